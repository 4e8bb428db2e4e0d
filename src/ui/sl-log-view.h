/* sl-log-view.h — the call trace, as a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-log.h"

G_BEGIN_DECLS

#define SL_TYPE_LOG_VIEW (sl_log_view_get_type ())

G_DECLARE_FINAL_TYPE (SlLogView, sl_log_view, SL, LOG_VIEW, GtkWidget)

/* A GtkColumnView bound to an SlLog: columns time, kind (icon + accessible
 * name: call / in / out / event / error / state), peer, size, content.
 * Call rows are monospace Python; error rows are highlighted and show the
 * explanation under the content. Payloads are rendered through the codec in
 * the chosen payload encoding (invalid for it → raw rendering, flagged).
 * Follows new rows while scrolled to the bottom; once the user scrolls up it
 * stops following and shows a "Jump to newest" button. A search bar filters
 * rows (GtkFilterListModel + GtkStringFilter on the row text).
 *
 * Widget actions (gtk_widget_class_install_action):
 *   log.clear, log.copy-row, log.jump-to-newest, log.search (toggles the
 *   search bar), log.export-text, log.export-json (both via a file chooser).
 *   Rows are multi-selectable; log.copy-row copies every selected row, as
 *   sl_log_entry_format() lines (enabled while rows are selected).
 *
 * Properties: log (SlLog), payload-encoding (SlEncoding), search-text
 * (string), following (boolean, read-only: TRUE while autoscrolling).
 *
 * Signals (additive):
 *   ::failed (GError *error) — an export failed; for the window's toast.
 *   ::exported (GFile *file) — an export chosen in the file chooser was
 *     written. */
GtkWidget  *sl_log_view_new                  (void);
SlLog      *sl_log_view_get_log              (SlLogView   *self);
void        sl_log_view_set_log              (SlLogView   *self,
                                              SlLog       *log);
SlEncoding  sl_log_view_get_payload_encoding (SlLogView   *self);
void        sl_log_view_set_payload_encoding (SlLogView   *self,
                                              SlEncoding   encoding);
void        sl_log_view_set_search_text      (SlLogView   *self,
                                              const char  *text);
/* The rows currently shown (after the search filter), for tests. */
GListModel *sl_log_view_get_shown            (SlLogView   *self);
/* The text the content column shows for @entry in the current encoding. */
char       *sl_log_view_render_content       (SlLogView   *self,
                                              SlLogEntry  *entry);
gboolean    sl_log_view_get_following        (SlLogView   *self);
/* TRUE while a flood of rows makes the view show only the newest ones. */
gboolean    sl_log_view_get_flood            (SlLogView   *self);

/* Additive: what the search bar holds (NULL or "" when not filtering). */
const char *sl_log_view_get_search_text      (SlLogView   *self);

/* Additive: writes the whole log (not only the filtered rows) as text
 * (@json FALSE, sl_log_export_text()) or JSON (sl_log_export_json()) to
 * @file, replacing it. The file is generated in a worker thread and written
 * with g_file_replace_contents_async(), so a big log never blocks the main
 * loop. The export actions use it after their file chooser. */
void        sl_log_view_export_to_file       (SlLogView            *self,
                                              GFile                *file,
                                              gboolean              json,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean    sl_log_view_export_to_file_finish (SlLogView           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
