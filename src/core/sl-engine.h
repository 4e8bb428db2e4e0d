/* sl-engine.h — internal glue between SlEndpoint and SlConnection, and the
 * thin system-call layer they share. Not part of the core's public face.
 *
 * The calls go straight to the kernel on the GSocket's file descriptor so
 * that the trace can show the real errno of every call (GIO maps errno to
 * GIOErrorEnum and loses e.g. EADDRNOTAVAIL vs EINVAL). GSocket still owns
 * the descriptor and provides main-context sources and cancellable waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-connection.h"
#include "sl-endpoint.h"

G_BEGIN_DECLS

/* Bytes of a payload repeated inside a trace row's text; the row keeps all. */
#define SL_TRACE_REPR_LIMIT 64

/* System calls: return 0 or an errno value. */
GSocket        *sl_sockops_socket            (int              domain,
                                              int              type,
                                              int             *errsv);
int             sl_sockops_setsockopt_int    (GSocket         *socket,
                                              int              level,
                                              int              option,
                                              int              value);
int             sl_sockops_bind              (GSocket         *socket,
                                              GSocketAddress  *address);
int             sl_sockops_bind_unix_autobind (GSocket        *socket);
int             sl_sockops_listen            (GSocket         *socket,
                                              int              backlog);
/* 0, EINPROGRESS, or an errno. */
int             sl_sockops_connect           (GSocket         *socket,
                                              GSocketAddress  *address);
int             sl_sockops_get_so_error      (GSocket         *socket);
GSocket        *sl_sockops_accept            (GSocket         *listener,
                                              GSocketAddress **peer,
                                              int             *errsv);
/* -1 with *errsv on failure. */
gssize          sl_sockops_recv              (GSocket         *socket,
                                              guint8          *buffer,
                                              gsize            size,
                                              int             *errsv);
/* *real_size receives the datagram's real size (MSG_TRUNC). */
gssize          sl_sockops_recvfrom          (GSocket         *socket,
                                              guint8          *buffer,
                                              gsize            size,
                                              GSocketAddress **from,
                                              gsize           *real_size,
                                              int             *errsv);
gssize          sl_sockops_send              (GSocket         *socket,
                                              const guint8    *data,
                                              gsize            size,
                                              int             *errsv);
gssize          sl_sockops_sendto            (GSocket         *socket,
                                              const guint8    *data,
                                              gsize            size,
                                              GSocketAddress  *to,
                                              int             *errsv);
int             sl_sockops_shutdown_write    (GSocket         *socket);
int             sl_sockops_set_linger_zero   (GSocket         *socket);
int             sl_sockops_close             (GSocket         *socket);
GSocketAddress *sl_sockops_local_address     (GSocket         *socket);
/* Bytes received by the kernel and not yet read (FIONREAD). */
gsize           sl_sockops_bytes_unread      (GSocket         *socket);

/* A main-context source for @condition on @socket, attached to @context with
 * @callback (a GSocketSourceFunc). It may recurse: see sl-sockops.c. */
GSource        *sl_sockops_watch             (GSocket         *socket,
                                              GIOCondition     condition,
                                              GMainContext    *context,
                                              GSocketSourceFunc callback,
                                              gpointer         user_data);

/* A worker-thread wait used by every blocking call: waits for @condition on
 * @socket for @timeout_us (-1 = forever) or until @cancellable fires. Returns
 * 0, ETIMEDOUT or ECANCELED. */
int             sl_sockops_wait              (GSocket         *socket,
                                              GIOCondition     condition,
                                              gint64           timeout_us,
                                              GCancellable    *cancellable);

/* Forwards a user's cancellable to the internal one of a pending blocking
 * call, and undoes that when the call is over. */
typedef struct
{
  GCancellable *user;
  gulong        handler;
} SlCancelLink;

void            sl_cancel_link_set           (SlCancelLink    *link,
                                              GCancellable    *user,
                                              GCancellable    *pending);
void            sl_cancel_link_clear         (SlCancelLink    *link);

/* Endpoint services for its connections. */
void            sl_endpoint_trace            (SlEndpoint      *self,
                                              SlLogKind        kind,
                                              SlConnection    *connection,
                                              const char      *summary,
                                              const char      *result,
                                              int              errsv,
                                              const char      *explanation,
                                              GBytes          *payload);
void            sl_endpoint_count            (SlEndpoint      *self,
                                              gboolean         outgoing,
                                              gsize            n_bytes,
                                              guint            n_messages);
GMainContext   *sl_endpoint_get_context      (SlEndpoint      *self);
/* A blocking call ended without data (@errsv: ECANCELED, ETIMEDOUT, EAGAIN or
 * a socket error): trace it as Python reports it and fail @task. */
void            sl_endpoint_fail_call        (SlEndpoint      *self,
                                              SlConnection    *connection,
                                              GTask           *task,
                                              const char      *summary,
                                              int              errsv);
/* A datagram client that had no port gets one from the kernel at its first
 * sendto(): read it back and trace it. Returns TRUE when it changed. */
gboolean        sl_endpoint_refresh_local_address (SlEndpoint *self);

/* Connection construction and hooks, for SlEndpoint. @variable is the Python
 * variable of the trace ("conn", "client", "server"). */
SlConnection   *sl_connection_new            (SlEndpoint      *endpoint,
                                              guint            id,
                                              GSocket         *socket,
                                              gboolean         datagram,
                                              const char      *variable,
                                              GSocketAddress  *local,
                                              GSocketAddress  *remote);
/* Async mode: pick up data as it arrives. */
void            sl_connection_start_reading  (SlConnection    *self);
/* Link authentication on (config auth): after the accept()/connect() row,
 * send the challenge (servers) and start the timeout. No-op when off. */
void            sl_connection_begin_auth     (SlConnection    *self);
/* Bytes arrived (stream recv or a datagram from this peer): count, trace,
 * emit ::received, auto-reply. */
void            sl_connection_deliver        (SlConnection    *self,
                                              GBytes          *bytes,
                                              const char      *summary,
                                              const char      *result,
                                              const char      *explanation);
/* Reads the kernel's TCP state now (after an event or action; @cause, if
 * known, goes in the state row's result) and keeps watching it with back-off
 * while it can change. No-op for UDP and Unix. */
void            sl_connection_check_tcp_state (SlConnection   *self,
                                               const char     *cause);
/* The endpoint is going away: no more polling. */
void            sl_connection_stop_watching  (SlConnection    *self);
/* A connection being watched asks its endpoint to keep it alive (@watch TRUE)
 * until it is done (FALSE), also after it left the list. */
void            sl_endpoint_watch            (SlEndpoint      *self,
                                              SlConnection    *connection,
                                              gboolean         watch);
/* Endpoint is stopping: close without a new FIN row if @quiet. */
void            sl_connection_shutdown_all   (SlConnection    *self);

G_END_DECLS
