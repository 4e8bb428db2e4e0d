/* sl-drawing.c — colours and text shared by the diagrams drawn with GtkSnapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-drawing.h"

void
sl_drawing_get_colors (GtkWidget       *widget,
                       SlDrawingColors *colors)
{
  GtkStyleContext *context;
  gboolean dark;

  /* GTK 4.8 has no gtk_widget_get_color(); the style context is the only way
   * to the foreground and libadwaita's named colours. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &colors->fg);
  dark = (0.299 * colors->fg.red + 0.587 * colors->fg.green + 0.114 * colors->fg.blue) > 0.5;

  if (!gtk_style_context_lookup_color (context, "view_bg_color", &colors->bg))
    gdk_rgba_parse (&colors->bg, dark ? "#1e1e1e" : "#ffffff");
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &colors->accent_bg))
    gdk_rgba_parse (&colors->accent_bg, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "accent_fg_color", &colors->accent_fg))
    gdk_rgba_parse (&colors->accent_fg, "#ffffff");
  if (!gtk_style_context_lookup_color (context, "accent_color", &colors->accent))
    gdk_rgba_parse (&colors->accent, dark ? "#78aeed" : "#1c71d8");
  if (!gtk_style_context_lookup_color (context, "error_color", &colors->error))
    gdk_rgba_parse (&colors->error, dark ? "#ff7b63" : "#c01c28");
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* The diagrams are drawn on an opaque background so that they read the same
   * on any parent (and on a projector). */
  colors->bg.alpha = 1.0;
}

GdkRGBA
sl_drawing_mix (const GdkRGBA *a,
                const GdkRGBA *b,
                double         t)
{
  GdkRGBA out = {
    a->red + (b->red - a->red) * t,
    a->green + (b->green - a->green) * t,
    a->blue + (b->blue - a->blue) * t,
    1.0,
  };

  return out;
}

PangoLayout *
sl_drawing_create_layout (GtkWidget  *widget,
                          const char *text,
                          gboolean    bold,
                          double      size_scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (size_scale != 1.0)
    pango_attr_list_insert (attrs, pango_attr_scale_new (size_scale));
  pango_layout_set_attributes (layout, attrs);

  return layout;
}
