/* sl-log-export.h — the call trace as text or byte-exact JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-log.h"

G_BEGIN_DECLS

#define SL_LOG_JSON_FORMAT  "socket-lab-log"
#define SL_LOG_JSON_VERSION 1

/* One line per entry as sl_log_entry_format() gives it, and a header naming
 * the app version and the export time. An explanation that the line does not
 * already carry (sl_log_entry_format() puts those of error rows on the line)
 * goes on an indented second line. The dropped-entries marker is included.
 * Flushes the log first. */
char   *sl_log_export_text  (SlLog        *log);

/* {"format": "socket-lab-log", "version": 1, "exported": ISO-8601,
 *  "dropped": N, "entries": [{"wall_time_us", "monotonic_us", "endpoint",
 *  "connection", "kind", "peer", "summary", "result", "errno", "error_name",
 *  "explanation", "size", "payload_base64"}]} — payloads byte-exact.
 * Absent strings are null; a row without payload has "payload_base64": null,
 * an empty payload "". One entry per line. Flushes the log first. */
char   *sl_log_export_json  (SlLog        *log);

/* Reads what sl_log_export_json() wrote into a new log (times kept). A
 * malformed file, another format or a newer version gives an SL_ERROR_DECODE
 * error naming the problem (and entry index); nothing is half-loaded.
 * The new log holds at least every entry of the file (max-entries is raised
 * above SL_LOG_DEFAULT_MAX_ENTRIES when needed); a dropped-entries marker in
 * the file comes back as an ordinary event row. */
SlLog  *sl_log_import_json  (const char   *json,
                             gsize         length,
                             GError      **error);

/* For exporting from a worker thread: the entries are immutable and may be
 * read from any thread, the log may not. sl_log_export_snapshot() flushes
 * @log and returns its rows (new references, the marker included) in an
 * array that frees them; *@dropped (optional) receives sl_log_get_n_dropped().
 * The _entries variants write what sl_log_export_text()/_json() write. */
GPtrArray *sl_log_export_snapshot      (SlLog      *log,
                                        guint64    *dropped);
char      *sl_log_export_text_entries  (GPtrArray  *entries);
char      *sl_log_export_json_entries  (GPtrArray  *entries,
                                        guint64     dropped);

G_END_DECLS
