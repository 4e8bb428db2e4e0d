/* sl-drawing.h — colours and text shared by the diagrams drawn with GtkSnapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  GdkRGBA fg;
  GdkRGBA bg;         /* opaque */
  GdkRGBA accent;     /* accent as a foreground (lines, text) */
  GdkRGBA accent_bg;  /* accent as a fill */
  GdkRGBA accent_fg;  /* text on accent_bg */
  GdkRGBA error;      /* error as a foreground (RST) */
} SlDrawingColors;

/* The widget's foreground and libadwaita's named colours (light, dark, high
 * contrast), with fallbacks when they are not defined. */
void          sl_drawing_get_colors    (GtkWidget             *widget,
                                        SlDrawingColors       *colors);

/* @a blended towards @b by @t (0: @a, 1: @b), opaque. */
GdkRGBA       sl_drawing_mix           (const GdkRGBA         *a,
                                        const GdkRGBA         *b,
                                        double                 t);

/* A layout of @text in the widget's font, optionally bold and scaled. */
PangoLayout  *sl_drawing_create_layout (GtkWidget             *widget,
                                        const char            *text,
                                        gboolean               bold,
                                        double                 size_scale);

G_END_DECLS
