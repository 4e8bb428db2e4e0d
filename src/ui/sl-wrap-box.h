/* sl-wrap-box.h — children in a row that wraps onto more rows when narrow
 *
 * A toolbar that fits a wide page on one line and a narrow one (two pages
 * side by side, presentation mode, the labs beside them) on two or more,
 * instead of making the page wider than its half of the screen. Children are
 * added with <child> in a .ui file or sl_wrap_box_append(); each keeps its
 * natural width when the row has room for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SL_TYPE_WRAP_BOX (sl_wrap_box_get_type ())

G_DECLARE_FINAL_TYPE (SlWrapBox, sl_wrap_box, SL, WRAP_BOX, GtkWidget)

GtkWidget *sl_wrap_box_new    (void);
void       sl_wrap_box_append (SlWrapBox *self,
                               GtkWidget *child);

G_END_DECLS
