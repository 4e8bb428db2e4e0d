/* sl-test-util.h — shared helpers for the core tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-endpoint.h"

G_BEGIN_DECLS

/* Iterates the default main context until *@flag is TRUE or @timeout_ms pass.
 * Returns *@flag. Every test loop is bounded by this. */
gboolean  sl_test_wait_for_flag       (const gboolean *flag,
                                       guint           timeout_ms);

/* Iterates until @condition (@data) returns TRUE or @timeout_ms pass. */
gboolean  sl_test_wait_until          (gboolean      (*condition) (gpointer data),
                                       gpointer        data,
                                       guint           timeout_ms);

/* Iterates the main context for @ms milliseconds. */
void      sl_test_run_for             (guint           ms);

/* A GAsyncReadyCallback that stores a ref of the result in *(GAsyncResult **)user_data. */
void      sl_test_store_result_cb     (GObject        *object,
                                       GAsyncResult   *result,
                                       gpointer        user_data);

/* Waits (bounded, @timeout_ms) until *@result is set by sl_test_store_result_cb. */
gboolean  sl_test_wait_for_result     (GAsyncResult  **result,
                                       guint           timeout_ms);

/* Raw POSIX peers for the engine tests. The sockets are non-blocking and every
 * wait iterates the default main context, so an endpoint running there keeps
 * working while the peer waits. All waits are bounded by @timeout_ms. */

/* Iterates the default main context until @fd reports @condition (G_IO_IN or
 * G_IO_OUT; G_IO_ERR and G_IO_HUP always count) or @timeout_ms pass. */
gboolean        sl_test_wait_fd              (int              fd,
                                              GIOCondition     condition,
                                              guint            timeout_ms);

/* A non-blocking socket of @type with the family of @address (or @family
 * when @address is NULL), bound to @address when given. -1 on failure. */
int             sl_test_peer_socket          (GSocketFamily    family,
                                              GSocketType      type,
                                              GSocketAddress  *address);

/* A non-blocking stream socket connected to @address. On failure returns -1
 * with errno set (ETIMEDOUT when not connected within @timeout_ms). */
int             sl_test_peer_connect         (GSocketAddress  *address,
                                              guint            timeout_ms);

/* Sends all of @data (MSG_NOSIGNAL). FALSE with errno set on failure. */
gboolean        sl_test_peer_send_all        (int              fd,
                                              const void      *data,
                                              gsize            len,
                                              guint            timeout_ms);

/* Waits until @fd is readable, then makes one recv() and returns its result
 * (0 = EOF, -1 with errno). Nothing within @timeout_ms: -1, errno ETIMEDOUT. */
gssize          sl_test_peer_recv            (int              fd,
                                              void            *buffer,
                                              gsize            len,
                                              guint            timeout_ms);

/* Receives until @len bytes, EOF, an error or @timeout_ms; returns how many
 * bytes arrived. */
gsize           sl_test_peer_recv_all        (int              fd,
                                              void            *buffer,
                                              gsize            len,
                                              guint            timeout_ms);

/* One sendto() (MSG_NOSIGNAL); returns its result. */
gssize          sl_test_peer_sendto          (int              fd,
                                              const void      *data,
                                              gsize            len,
                                              GSocketAddress  *to);

/* Waits until readable, then one recvfrom(); @from (optional) receives the
 * sender's address (NULL for an unnamed Unix socket). Timeout as in recv. */
gssize          sl_test_peer_recvfrom        (int              fd,
                                              void            *buffer,
                                              gsize            len,
                                              GSocketAddress **from,
                                              guint            timeout_ms);

/* Aborts the connection: SO_LINGER {1, 0} then close(), so the kernel sends RST. */
void            sl_test_peer_reset           (int              fd);

GSocketAddress *sl_test_fd_local_address     (int              fd);
guint16         sl_test_fd_local_port        (int              fd);
GSocketAddress *sl_test_fd_remote_address    (int              fd);

/* "127.0.0.1" or "::1" and @port as a GSocketAddress. */
GSocketAddress *sl_test_loopback_address     (GSocketFamily    family,
                                              guint16          port);
/* A port on which nothing listens right now (bound, read back, closed). */
guint16         sl_test_unused_port          (GSocketFamily    family,
                                              GSocketType      type);
/* TRUE if a socket can be bound to ::1. */
gboolean        sl_test_ipv6_available       (void);
/* TRUE if /proc/net/tcp{,6} lists a TIME_WAIT socket whose local port is @port. */
gboolean        sl_test_has_time_wait        (guint16          port);

/* Removes @dir and the files directly in it (a g_dir_make_tmp() directory). */
void            sl_test_remove_tmp_dir       (const char      *dir);

/* Iterates the main context until @object holds only the caller's reference
 * (pending main-context callbacks may hold refs), bounded by @timeout_ms,
 * then unrefs it and asserts that it was finalized. */
void            sl_test_assert_finalize      (gpointer         object,
                                              guint            timeout_ms);

/* Helpers for SlEndpoint tests (they need the engine linked). */

#define SL_TEST_ANY_KIND       (-1)
#define SL_TEST_ANY_CONNECTION G_MAXUINT

/* A config of the given kind: @address is the host (IPv4/IPv6) or the path (Unix). */
SlEndpointConfig *sl_test_config_new         (SlProtocol        protocol,
                                              SlRole            role,
                                              SlFamily          family,
                                              const char       *address,
                                              int               port);
/* Starts @endpoint and waits (bounded, asserting completion) for the result. */
gboolean          sl_test_endpoint_start     (SlEndpoint       *endpoint,
                                              GError          **error);
/* A new endpoint (own log) from @config, started; asserts success. */
SlEndpoint       *sl_test_endpoint_new_started (SlEndpointConfig *config);
/* A raw peer connected to the endpoint's local address; asserts success. */
int               sl_test_peer_connect_endpoint (SlEndpoint    *endpoint);

/* The first entry at or after @from (flushing the log first) whose kind is
 * @kind (or SL_TEST_ANY_KIND), connection id is @connection_id (or
 * SL_TEST_ANY_CONNECTION), summary contains @summary and result contains
 * @result (NULL: any), and error code is @error_code (0: any). @position
 * (optional) receives its index. Returns a new reference or NULL. */
SlLogEntry       *sl_test_log_find           (SlLog            *log,
                                              guint             from,
                                              int               kind,
                                              guint             connection_id,
                                              const char       *summary,
                                              const char       *result,
                                              int               error_code,
                                              guint            *position);
guint             sl_test_log_count          (SlLog            *log,
                                              int               kind,
                                              guint             connection_id,
                                              const char       *summary,
                                              const char       *result,
                                              int               error_code);
/* Iterates the main context until sl_test_log_find (log, 0, ...) finds an
 * entry or @timeout_ms pass. */
SlLogEntry       *sl_test_wait_log           (SlLog            *log,
                                              int               kind,
                                              guint             connection_id,
                                              const char       *summary,
                                              const char       *result,
                                              int               error_code,
                                              guint             timeout_ms);
/* TRUE if @text occurs, ignoring ASCII case, in the entry's summary, result or explanation. */
gboolean          sl_test_entry_mentions     (SlLogEntry       *entry,
                                              const char       *text);
/* TRUE if the entry's payload equals @data. */
gboolean          sl_test_entry_payload_is   (SlLogEntry       *entry,
                                              const char       *data,
                                              gsize             len);
/* Calls accept() on @endpoint (in its I/O mode) and waits for it, at most
 * @timeout_ms; asserts success and returns the new connection. */
SlConnection     *sl_test_accept             (SlEndpoint       *endpoint,
                                              guint             timeout_ms);
/* Asserts that two entries say the same (kind, times, ids, texts, error) and
 * carry the same payload byte for byte (none stays none, empty stays empty). */
void              sl_test_assert_same_entry  (SlLogEntry       *a,
                                              SlLogEntry       *b);
/* The same for every row of two logs, in order. */
void              sl_test_assert_same_log    (SlLog            *a,
                                              SlLog            *b);
/* Prints every row with g_test_message() (call before a failing assertion). */
void              sl_test_log_dump           (SlLog            *log);

/* Iterates until @model has @n items or @timeout_ms pass. */
gboolean          sl_test_wait_n_items       (GListModel       *model,
                                              guint             n,
                                              guint             timeout_ms);

/* Appends every ::received payload of @endpoint to @into. */
void              sl_test_collect_received   (SlEndpoint       *endpoint,
                                              GByteArray       *into);
/* Iterates until @array holds at least @len bytes or @timeout_ms pass. */
gboolean          sl_test_wait_bytes         (GByteArray       *array,
                                              gsize             len,
                                              guint             timeout_ms);

G_END_DECLS
