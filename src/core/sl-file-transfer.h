/* sl-file-transfer.h — send a file over a connection; save what arrives to a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-connection.h"
#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_FILE_SEND (sl_file_send_get_type ())

G_DECLARE_FINAL_TYPE (SlFileSend, sl_file_send, SL, FILE_SEND, GObject)

/* Size of each read and sl_connection_send(), and how many bytes may wait in
 * the connection's send queue before reading pauses. */
#define SL_FILE_SEND_CHUNK_SIZE   (64 * 1024)
#define SL_FILE_SEND_MAX_QUEUED   (256 * 1024)

/* Sends the bytes of @file over @connection (sendall semantics: the file is
 * read in 64 KiB chunks asynchronously, each handed to sl_connection_send(),
 * with at most ~256 KiB waiting in the send queue; the main loop never
 * blocks). Refused in the non-blocking I/O mode, where one send() may take
 * only part of a chunk, and on datagram connections (a file is not a
 * datagram).
 *
 * Properties (read-only, notify on change): connection, file (construct
 * only), total (guint64: the file size, known after start), sent (guint64:
 * bytes the kernel accepted, from the connection's bytes-out), handed
 * (guint64: bytes read and given to the connection), running (boolean).
 *
 * Signal ::finished (GError *error) — once per start: @error NULL when every
 * byte was accepted by the kernel (sent == total); G_IO_ERROR_CANCELLED after
 * sl_file_send_cancel() or the cancellable (bytes already handed over still
 * go); otherwise the read or connection error (e.g. the connection closed). */
SlFileSend   *sl_file_send_new              (SlConnection   *connection,
                                             GFile          *file);
/* FALSE with an error when it cannot start at all (already running,
 * connection closed, datagram, non-blocking mode); ::finished is not
 * emitted then. A missing or unreadable file is reported by ::finished
 * (the file is opened asynchronously). */
gboolean      sl_file_send_start            (SlFileSend     *self,
                                             GCancellable   *cancellable,
                                             GError        **error);
void          sl_file_send_cancel           (SlFileSend     *self);
SlConnection *sl_file_send_get_connection   (SlFileSend     *self);
GFile        *sl_file_send_get_file         (SlFileSend     *self);
guint64       sl_file_send_get_total        (SlFileSend     *self);
guint64       sl_file_send_get_sent         (SlFileSend     *self);
guint64       sl_file_send_get_handed       (SlFileSend     *self);
gboolean      sl_file_send_get_running      (SlFileSend     *self);


#define SL_TYPE_FILE_RECEIVE (sl_file_receive_get_type ())

G_DECLARE_FINAL_TYPE (SlFileReceive, sl_file_receive, SL, FILE_RECEIVE, GObject)

/* Writes every later ::received chunk of @connection (of @endpoint) to @file
 * (created or replaced, byte-exact), in order, asynchronously.
 *
 * Properties (read-only, notify on change): endpoint, connection, file,
 * bytes-received (guint64: bytes that arrived since creation),
 * bytes-written (guint64: bytes written to the file), running (boolean).
 *
 * Signal ::finished (GError *error) — once: after sl_file_receive_stop() or
 * when the connection closes, once every received byte is written and the
 * file closed (@error NULL); or on a write error such as a full disk (@error
 * set, reception stops, the file keeps what was written). */
SlFileReceive *sl_file_receive_new            (SlEndpoint     *endpoint,
                                               SlConnection   *connection,
                                               GFile          *file,
                                               GError        **error);
/* Stops taking new bytes, writes what is pending, closes the file, then
 * emits ::finished. Idempotent. */
void           sl_file_receive_stop           (SlFileReceive  *self);
SlEndpoint    *sl_file_receive_get_endpoint   (SlFileReceive  *self);
SlConnection  *sl_file_receive_get_connection (SlFileReceive  *self);
GFile         *sl_file_receive_get_file       (SlFileReceive  *self);
guint64        sl_file_receive_get_bytes_received (SlFileReceive *self);
guint64        sl_file_receive_get_bytes_written  (SlFileReceive *self);
gboolean       sl_file_receive_get_running    (SlFileReceive  *self);

G_END_DECLS
