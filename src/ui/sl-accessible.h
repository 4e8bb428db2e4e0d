/* sl-accessible.h — accessible names as the screen reader should say them
 *
 * GTK 4.8 names a widget by its accessible label *followed by* the names of
 * the widgets it is labelled by, and gives a text button (or an AdwEntryRow)
 * a labelled-by relation to its own label: with the label a .ui file sets,
 * a screen reader says "Close Close", "Port Port"; a button GTK labels
 * itself is named by its raw label ("Send _File…"). sl_accessible_own_labels()
 * drops the labelled-by relation of every widget under @root that has its own
 * label, so that the label alone names it, and names such buttons by their
 * text without the mnemonic underscore. Call it after
 * gtk_widget_init_template(), and again when the widget is mapped if it holds
 * an AdwButtonContent (which labels its button only once it is in a window).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sl_accessible_own_labels (GtkWidget *root);

G_END_DECLS
