/* sl-connection.h — one TCP (or Unix stream) conversation, or one UDP peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-enums.h"

G_BEGIN_DECLS

#define SL_TYPE_CONNECTION (sl_connection_get_type ())

G_DECLARE_FINAL_TYPE (SlConnection, sl_connection, SL, CONNECTION, GObject)

typedef struct _SlEndpoint SlEndpoint;

/* Properties (read-only, notify on change): id, state (SlConnectionState),
 * peer (string, as Python prints the address), bytes-in, bytes-out,
 * messages-in, messages-out (guint64; these four do NOT notify: they change
 * with every message, so read them when needed, e.g. on a timer or on
 * ::received), pending-call (string or NULL: the
 * blocking call a worker thread is waiting in, e.g. "conn.recv(1024)"),
 * tcp-state (SlTcpState: the kernel's state of a TCP conversation, read after
 * every socket event and polled while it can change; also after close(), until
 * the kernel forgets it (TIME_WAIT); UNKNOWN for UDP and Unix). Every change
 * of tcp-state is also a log row of kind SL_LOG_KIND_STATE.
 *
 * Signals:
 *   ::received (GBytes *bytes) — bytes arrived (every recv that returned data).
 *   ::closed () — the conversation ended (state CLOSED or RESET, or peer
 *     closed and the endpoint closed in turn). */

guint              sl_connection_get_id              (SlConnection  *self);
/* The endpoint this belongs to, or NULL once the endpoint is gone. */
SlEndpoint        *sl_connection_get_endpoint        (SlConnection  *self);
SlConnectionState  sl_connection_get_state           (SlConnection  *self);
gboolean           sl_connection_is_datagram         (SlConnection  *self);
/* TRUE until the connection is closed or reset (peer-closed counts as open
 * until we close too). */
gboolean           sl_connection_is_open             (SlConnection  *self);
GSocketAddress    *sl_connection_get_local_address   (SlConnection  *self);
GSocketAddress    *sl_connection_get_remote_address  (SlConnection  *self);
const char        *sl_connection_get_peer            (SlConnection  *self);
guint64            sl_connection_get_bytes_in        (SlConnection  *self);
guint64            sl_connection_get_bytes_out       (SlConnection  *self);
guint64            sl_connection_get_messages_in     (SlConnection  *self);
guint64            sl_connection_get_messages_out    (SlConnection  *self);
/* g_get_monotonic_time() when the connection was made. */
gint64             sl_connection_get_created_time    (SlConnection  *self);
const char        *sl_connection_get_pending_call    (SlConnection  *self);
SlTcpState         sl_connection_get_tcp_state       (SlConnection  *self);

/* Sends all of @bytes (sendall semantics: partial send() calls are retried
 * when the socket is writable, each call traced). In non-blocking mode one
 * send() call is made and a partial result is reported as it is, the rest
 * not sent (the lesson of send vs sendall). An empty message is a real
 * send(b'') over TCP (nothing reaches the peer) and a real empty datagram
 * over UDP. Fails at once with SL_ERROR_NOT_CONNECTED when closed. */
gboolean           sl_connection_send                (SlConnection  *self,
                                                      GBytes        *bytes,
                                                      GError       **error);
/* close(): FIN; the connection leaves the endpoint's list. */
gboolean           sl_connection_close               (SlConnection  *self,
                                                      GError       **error);
/* shutdown(SHUT_WR): half-close, we can still receive. */
gboolean           sl_connection_shutdown_write      (SlConnection  *self,
                                                      GError       **error);
/* SO_LINGER {1, 0} then close(): the kernel sends RST. */
gboolean           sl_connection_reset               (SlConnection  *self,
                                                      GError       **error);

/* Manual recv(bufsize) for blocking, non-blocking and timeout modes (in async
 * mode data is picked up as it arrives, and this fails with SL_ERROR_BUSY).
 * Blocking: a worker thread waits until data, FIN, an error or cancellation.
 * Non-blocking: returns at once; nothing there is G_IO_ERROR_WOULD_BLOCK
 * (EAGAIN). Timeout: G_IO_ERROR_TIMED_OUT after the configured seconds.
 * The result is the bytes received; an empty GBytes means the peer closed.
 * For UDP peers use sl_endpoint_recvfrom_async(). */
void               sl_connection_recv_async          (SlConnection        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GBytes            *sl_connection_recv_finish         (SlConnection        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

const char        *sl_connection_state_to_string     (SlConnectionState    state);

G_END_DECLS
