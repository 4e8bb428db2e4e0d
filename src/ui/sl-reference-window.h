/* sl-reference-window.h — the reference: every socket method, constant and concept of the
 * tutorials, searchable, in a window of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SL_TYPE_REFERENCE_WINDOW (sl_reference_window_get_type ())

G_DECLARE_FINAL_TYPE (SlReferenceWindow, sl_reference_window, SL, REFERENCE_WINDOW, AdwWindow)

/* A new reference window (not modal), transient for @parent (may be NULL) and destroyed with
 * it. It shows the first entry until told otherwise; present it with gtk_window_present(). */
GtkWidget  *sl_reference_window_new          (GtkWindow         *parent);
/* Selects the entry @id (see sl-reference.h; e.g. sl_reference_id_for_call() of a trace
 * row), clearing a search that hides it, shows it and, when the window is narrow, turns to
 * it. Returns FALSE (and changes nothing) when there is no such entry. */
gboolean    sl_reference_window_show_entry   (SlReferenceWindow *self,
                                              const char        *id);
/* The id of the entry shown, or NULL. */
const char *sl_reference_window_get_entry_id (SlReferenceWindow *self);

G_END_DECLS
