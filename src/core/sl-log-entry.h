/* sl-log-entry.h — one immutable row of the call trace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-enums.h"

G_BEGIN_DECLS

#define SL_TYPE_LOG_ENTRY (sl_log_entry_get_type ())

G_DECLARE_FINAL_TYPE (SlLogEntry, sl_log_entry, SL, LOG_ENTRY, GObject)

/* @endpoint_id and @connection_id are small integers assigned by the endpoint
 * (connection 0 = the endpoint itself, e.g. the listening socket).
 * @peer: the peer's address as Python prints it, "('127.0.0.1', 53422)", or NULL.
 * @summary: the Python call as the tutorials write it, "conn.recv(1024)", or for
 *   events and state rows a sentence ("client ('127.0.0.1', 53422) connected").
 * @result: what the call returned, "b'hello'", "5", "None", or
 *   "OSError: [Errno 98] EADDRINUSE", or NULL.
 * @error_code: the errno of a failed call, or 0.
 * @explanation: one sentence a student can act on, or NULL.
 * @payload: the bytes received or sent, or NULL.
 * The time stamps are taken now. */
SlLogEntry  *sl_log_entry_new                (SlLogKind    kind,
                                              guint        endpoint_id,
                                              guint        connection_id,
                                              const char  *peer,
                                              const char  *summary,
                                              const char  *result,
                                              int          error_code,
                                              const char  *explanation,
                                              GBytes      *payload);
/* The same with the time stamps given, for entries read back from a file
 * (see sl_log_import_json()). */
SlLogEntry  *sl_log_entry_new_full           (SlLogKind    kind,
                                              gint64       wall_time_us,
                                              gint64       monotonic_us,
                                              guint        endpoint_id,
                                              guint        connection_id,
                                              const char  *peer,
                                              const char  *summary,
                                              const char  *result,
                                              int          error_code,
                                              const char  *explanation,
                                              GBytes      *payload);

SlLogKind    sl_log_entry_get_kind           (SlLogEntry  *self);
/* Microseconds since the epoch (g_get_real_time). */
gint64       sl_log_entry_get_wall_time      (SlLogEntry  *self);
/* Microseconds (g_get_monotonic_time). */
gint64       sl_log_entry_get_monotonic_time (SlLogEntry  *self);
guint        sl_log_entry_get_endpoint_id    (SlLogEntry  *self);
guint        sl_log_entry_get_connection_id  (SlLogEntry  *self);
const char  *sl_log_entry_get_peer           (SlLogEntry  *self);
const char  *sl_log_entry_get_summary        (SlLogEntry  *self);
const char  *sl_log_entry_get_result         (SlLogEntry  *self);
int          sl_log_entry_get_error_code     (SlLogEntry  *self);
/* "ECONNRESET", or NULL when error_code is 0. */
const char  *sl_log_entry_get_error_name     (SlLogEntry  *self);
const char  *sl_log_entry_get_explanation    (SlLogEntry  *self);
GBytes      *sl_log_entry_get_payload        (SlLogEntry  *self);
gsize        sl_log_entry_get_size           (SlLogEntry  *self);

/* One line for terminals and text export:
 * "15:04:05.123456  call   server.bind(('127.0.0.1', 8888)) → None"
 * "15:04:05.200000  in     ('127.0.0.1', 53422)  conn.recv(1024) → b'hello'"
 * "15:04:06.000000  error  conn.recv(1024) → ConnectionResetError: [Errno 104] ECONNRESET — the peer reset..."
 * Payloads are shown by result; the line never contains a raw newline. */
char        *sl_log_entry_format             (SlLogEntry  *self);
/* The same line appended to @line (for a caller that prints many rows). */
void         sl_log_entry_format_append      (SlLogEntry  *self,
                                              GString     *line);

const char  *sl_log_kind_to_string           (SlLogKind    kind);
/* "15:04:05" and @decimals (0 to 6) digits of the second, in local time
 * (the time zone is read once), into @buffer. */
void         sl_log_format_clock             (gint64       wall_time_us,
                                              guint        decimals,
                                              char        *buffer,
                                              gsize        size);

G_END_DECLS
