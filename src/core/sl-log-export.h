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

/* One line per entry as sl_log_entry_format() gives it, the explanation of
 * error rows on an indented second line, and a header naming the app
 * version and the export time. The dropped-entries marker is included. */
char   *sl_log_export_text  (SlLog        *log);

/* {"format": "socket-lab-log", "version": 1, "exported": ISO-8601,
 *  "dropped": N, "entries": [{"wall_time_us", "monotonic_us", "endpoint",
 *  "connection", "kind", "peer", "summary", "result", "errno", "error_name",
 *  "explanation", "size", "payload_base64"}]} — payloads byte-exact. */
char   *sl_log_export_json  (SlLog        *log);

/* Reads what sl_log_export_json() wrote into a new log (times kept). A
 * malformed file, another format or a newer version gives an SL_ERROR_DECODE
 * error naming the problem (and entry index); nothing is half-loaded. */
SlLog  *sl_log_import_json  (const char   *json,
                             gsize         length,
                             GError      **error);

G_END_DECLS
