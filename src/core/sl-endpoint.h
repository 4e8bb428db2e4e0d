/* sl-endpoint.h — a running server or client built from a config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-connection.h"
#include "sl-endpoint-config.h"
#include "sl-log.h"

G_BEGIN_DECLS

#define SL_TYPE_ENDPOINT (sl_endpoint_get_type ())

G_DECLARE_FINAL_TYPE (SlEndpoint, sl_endpoint, SL, ENDPOINT, GObject)

/* Properties: config (SlEndpointConfig, construct-only; the endpoint keeps its
 * own copy), log (SlLog, construct-only; a new one when NULL), id (guint),
 * state (SlEndpointState), error-message (string: why the state is ERROR),
 * pending-call (string or NULL: the blocking call a worker thread waits in,
 * e.g. "server.accept()"), bytes-in, bytes-out, messages-in, messages-out
 * (guint64 totals over all connections), n-connections (guint),
 * accept-queue (guint: a TCP listener's connections that the kernel completed
 * and nobody accept()ed yet; read after each accept() and every 500 ms in the
 * manual I/O modes; each change is also a log row of kind SL_LOG_KIND_STATE).
 *
 * Signals:
 *   ::received (SlConnection *connection, GBytes *bytes) — bytes arrived on
 *     any connection (or from a UDP peer).
 *   ::connection-added (SlConnection *connection)
 *   ::connection-removed (SlConnection *connection)
 *
 * Everything runs on the thread-default main context current at creation;
 * blocking calls run in GTask worker threads and report back there. */

SlEndpoint        *sl_endpoint_new                   (SlEndpointConfig    *config,
                                                      SlLog               *log);
guint              sl_endpoint_get_id                (SlEndpoint          *self);
SlEndpointConfig  *sl_endpoint_get_config            (SlEndpoint          *self);
SlLog             *sl_endpoint_get_log               (SlEndpoint          *self);
SlEndpointState    sl_endpoint_get_state             (SlEndpoint          *self);
const char        *sl_endpoint_get_error_message     (SlEndpoint          *self);
const char        *sl_endpoint_get_pending_call      (SlEndpoint          *self);
gboolean           sl_endpoint_is_server             (SlEndpoint          *self);
/* After start: the bound local address (the real port when 0 was asked). */
GSocketAddress    *sl_endpoint_get_local_address     (SlEndpoint          *self);
/* Clients: the server's address once resolved. */
GSocketAddress    *sl_endpoint_get_remote_address    (SlEndpoint          *self);
/* The bound port, or 0 (Unix, or not started). */
guint16            sl_endpoint_get_local_port        (SlEndpoint          *self);
guint64            sl_endpoint_get_bytes_in          (SlEndpoint          *self);
guint64            sl_endpoint_get_bytes_out         (SlEndpoint          *self);
guint64            sl_endpoint_get_messages_in       (SlEndpoint          *self);
guint64            sl_endpoint_get_messages_out      (SlEndpoint          *self);
guint              sl_endpoint_get_accept_queue      (SlEndpoint          *self);

/* The open connections, a GListModel of SlConnection: accepted TCP/Unix
 * stream conversations for servers, the one connection of a stream client,
 * and one item per peer for datagram endpoints. A closed conversation leaves
 * the list. */
GListModel        *sl_endpoint_get_connections       (SlEndpoint          *self);
/* The first open connection, or NULL (handy for clients). */
SlConnection      *sl_endpoint_get_first_connection  (SlEndpoint          *self);

/* Resolves, creates the socket, and binds + listens (servers), or connects
 * (stream clients, with the connect timeout), or binds (datagram). Every call
 * is traced. Completes once listening/connected; failures are G_IO_ERROR (with
 * errno in the message) or SL_ERROR (bad config, unknown host). */
void               sl_endpoint_start_async           (SlEndpoint          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean           sl_endpoint_start_finish          (SlEndpoint          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Closes every connection (FIN) and the listening socket; idempotent. A Unix
 * server removes the socket file it created. */
void               sl_endpoint_stop                  (SlEndpoint          *self);

/* Sends to one connection (NULL: the first, for clients). Datagram clients
 * send to the configured peer. See sl_connection_send(). */
gboolean           sl_endpoint_send                  (SlEndpoint          *self,
                                                      SlConnection        *connection,
                                                      GBytes              *bytes,
                                                      GError             **error);
/* Sends to every open connection; returns how many were sent to. */
guint              sl_endpoint_send_to_all           (SlEndpoint          *self,
                                                      GBytes              *bytes);

/* Manual accept() for stream servers in blocking, non-blocking or timeout
 * mode (async mode accepts by itself and this fails with SL_ERROR_BUSY).
 * Same waiting rules as sl_connection_recv_async(). */
void               sl_endpoint_accept_async          (SlEndpoint          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
SlConnection      *sl_endpoint_accept_finish         (SlEndpoint          *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Manual recvfrom(bufsize) for datagram endpoints in the manual modes.
 * @peer receives the SlConnection of the sender. */
void               sl_endpoint_recvfrom_async        (SlEndpoint          *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GBytes            *sl_endpoint_recvfrom_finish       (SlEndpoint          *self,
                                                      GAsyncResult        *result,
                                                      SlConnection       **peer,
                                                      GError             **error);

const char        *sl_endpoint_state_to_string       (SlEndpointState      state);

G_END_DECLS
