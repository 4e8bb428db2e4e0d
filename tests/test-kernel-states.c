/* test-kernel-states.c — the engine reports the kernel's TCP states
 *
 * Real loopback connections between two endpoints of the engine (or raw
 * peers): every transition is asserted from the state rows of the log and the
 * tcp-state property, which the engine reads from the kernel (TCP_INFO while
 * the socket is open, sock_diag after close()). Every wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <string.h>
#include <unistd.h>

#include "sl-endpoint.h"
#include "sl-tcp-state.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

typedef struct
{
  SlEndpoint   *server;
  SlEndpoint   *client;
  SlConnection *server_conn;   /* owned */
  SlConnection *client_conn;   /* owned */
} Pair;

static SlEndpoint *
start_server (gboolean close_on_eof)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_close_on_eof (config, close_on_eof);
  return sl_test_endpoint_new_started (config);
}

static void
pair_open (Pair     *pair,
           gboolean  server_close_on_eof)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  GListModel *accepted;

  pair->server = start_server (server_close_on_eof);
  config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_IPV4, "127.0.0.1",
                               sl_endpoint_get_local_port (pair->server));
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  pair->client = sl_test_endpoint_new_started (config);

  accepted = sl_endpoint_get_connections (pair->server);
  g_assert_true (sl_test_wait_n_items (accepted, 1, WAIT_MS));
  pair->server_conn = g_list_model_get_item (accepted, 0);
  pair->client_conn = g_object_ref (sl_endpoint_get_first_connection (pair->client));
}

static void
pair_close (Pair *pair)
{
  g_clear_object (&pair->server_conn);
  g_clear_object (&pair->client_conn);
  sl_test_assert_finalize (g_steal_pointer (&pair->client), WAIT_MS);
  sl_test_assert_finalize (g_steal_pointer (&pair->server), WAIT_MS);
}

typedef struct
{
  SlConnection *connection;
  SlTcpState    state;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;

  return sl_connection_get_tcp_state (wait->connection) == wait->state;
}

static gboolean
wait_tcp_state (SlConnection *connection,
                SlTcpState    state)
{
  StateWait wait = { connection, state };

  return sl_test_wait_until (has_state, &wait, WAIT_MS);
}

/* The state row of @endpoint's log whose summary contains @text (waits). */
static SlLogEntry *
wait_state_row (SlEndpoint *endpoint,
                const char *text)
{
  SlLogEntry *entry = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_LOG_KIND_STATE,
                                        SL_TEST_ANY_CONNECTION, text, NULL, 0, WAIT_MS);

  if (entry == NULL)
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  return entry;
}

static guint
count_state_rows (SlEndpoint *endpoint,
                  const char *text)
{
  return sl_test_log_count (sl_endpoint_get_log (endpoint), SL_LOG_KIND_STATE,
                            SL_TEST_ANY_CONNECTION, text, NULL, 0);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* connect → both ends ESTABLISHED, each with its row and cause. */
static void
test_established (void)
{
  Pair pair = { 0 };
  g_autoptr(SlLogEntry) client_row = NULL;
  g_autoptr(SlLogEntry) server_row = NULL;

  pair_open (&pair, TRUE);

  g_assert_cmpint (sl_connection_get_tcp_state (pair.client_conn), ==,
                   SL_TCP_STATE_ESTABLISHED);
  g_assert_cmpint (sl_connection_get_tcp_state (pair.server_conn), ==,
                   SL_TCP_STATE_ESTABLISHED);
  client_row = wait_state_row (pair.client, "state: ESTABLISHED");
  server_row = wait_state_row (pair.server, "state: ESTABLISHED");
  g_assert_nonnull (client_row);
  g_assert_nonnull (server_row);
  g_assert_true (sl_test_entry_mentions (client_row, "connect()"));
  g_assert_true (sl_test_entry_mentions (server_row, "accept()"));
  g_assert_cmpuint (sl_log_entry_get_connection_id (client_row), ==,
                    sl_connection_get_id (pair.client_conn));
  g_assert_cmpstr (sl_log_entry_get_explanation (client_row), ==,
                   sl_tcp_state_explain (SL_TCP_STATE_ESTABLISHED));

  pair_close (&pair);
}

/* The client closes first; the server does not close on EOF: the client sits
 * in FIN_WAIT_2 and the server in CLOSE_WAIT until the server closes; then
 * the client walks to TIME_WAIT and the server to LAST_ACK or CLOSED. */
static void
test_active_close_stuck_close_wait (void)
{
  Pair pair = { 0 };
  g_autoptr(SlLogEntry) fin_wait = NULL;
  g_autoptr(SlLogEntry) close_wait = NULL;
  g_autoptr(SlLogEntry) time_wait = NULL;
  g_autoptr(SlLogEntry) server_closed = NULL;
  guint notified = 0;

  pair_open (&pair, FALSE);
  g_signal_connect (pair.client_conn, "notify::tcp-state", G_CALLBACK (notify_count_cb),
                    &notified);

  g_assert_true (sl_connection_close (pair.client_conn, NULL));
  fin_wait = wait_state_row (pair.client, "→ FIN_WAIT_2");
  g_assert_nonnull (fin_wait);
  g_assert_true (wait_tcp_state (pair.client_conn, SL_TCP_STATE_FIN_WAIT_2));
  g_assert_cmpuint (notified, >=, 1);
  /* The close() row names its cause. */
  g_assert_cmpuint (count_state_rows (pair.client, "(you called close())"), ==, 1);

  close_wait = wait_state_row (pair.server, "ESTABLISHED → CLOSE_WAIT (peer sent FIN)");
  g_assert_nonnull (close_wait);
  g_assert_true (sl_test_entry_mentions (close_wait, "until you close it"));

  /* Nobody closes: it stays there (the connection is still in the list). */
  sl_test_run_for (300);
  g_assert_cmpint (sl_connection_get_tcp_state (pair.server_conn), ==, SL_TCP_STATE_CLOSE_WAIT);
  g_assert_cmpint (sl_connection_get_tcp_state (pair.client_conn), ==, SL_TCP_STATE_FIN_WAIT_2);
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (pair.server)), ==, 1);

  g_assert_true (sl_connection_close (pair.server_conn, NULL));
  time_wait = wait_state_row (pair.client, "FIN_WAIT_2 → TIME_WAIT");
  g_assert_nonnull (time_wait);
  g_assert_true (wait_tcp_state (pair.client_conn, SL_TCP_STATE_TIME_WAIT));

  server_closed = wait_state_row (pair.server, "CLOSE_WAIT → ");
  g_assert_nonnull (server_closed);
  g_assert_true (sl_test_entry_mentions (server_closed, "LAST_ACK") ||
                 sl_test_entry_mentions (server_closed, "CLOSED"));
  g_assert_true (wait_tcp_state (pair.server_conn, SL_TCP_STATE_CLOSED));
  g_assert_cmpuint (count_state_rows (pair.server, "TIME_WAIT"), ==, 0);

  pair_close (&pair);
}

/* Close on EOF (the default): the server closes as soon as it reads b''. */
static void
test_close_on_eof (void)
{
  Pair pair = { 0 };
  g_autoptr(SlLogEntry) close_wait = NULL;
  g_autoptr(SlLogEntry) after = NULL;
  g_autoptr(SlLogEntry) time_wait = NULL;
  SlConnection *watched;

  pair_open (&pair, TRUE);
  g_assert_true (sl_connection_close (pair.client_conn, NULL));

  close_wait = wait_state_row (pair.server, "ESTABLISHED → CLOSE_WAIT (peer sent FIN)");
  g_assert_nonnull (close_wait);
  g_assert_false (sl_test_entry_mentions (close_wait, "until you close it"));
  after = wait_state_row (pair.server, "CLOSE_WAIT → ");
  g_assert_nonnull (after);
  g_assert_true (sl_test_entry_mentions (after, "you called close()"));
  g_assert_true (wait_tcp_state (pair.server_conn, SL_TCP_STATE_CLOSED));

  time_wait = wait_state_row (pair.client, "→ TIME_WAIT");
  g_assert_nonnull (time_wait);
  g_assert_cmpstr (sl_log_entry_get_explanation (time_wait), ==,
                   sl_tcp_state_explain (SL_TCP_STATE_TIME_WAIT));
  /* The client's connection left its endpoint's list but is still watched. */
  g_assert_null (sl_endpoint_get_first_connection (pair.client));
  g_assert_true (wait_tcp_state (pair.client_conn, SL_TCP_STATE_TIME_WAIT));

  /* The endpoint keeps it while it watches; its dispose lets it go. */
  watched = pair.client_conn;
  g_object_add_weak_pointer (G_OBJECT (watched), (gpointer *) &watched);
  pair_close (&pair);
  g_assert_null (watched);
}

/* RST: straight to CLOSED on both ends, no TIME_WAIT anywhere. */
static void
test_reset (void)
{
  Pair pair = { 0 };
  g_autoptr(SlLogEntry) sent = NULL;
  g_autoptr(SlLogEntry) received = NULL;

  pair_open (&pair, TRUE);
  g_assert_true (sl_connection_reset (pair.client_conn, NULL));

  sent = wait_state_row (pair.client, "ESTABLISHED → CLOSED (RST sent)");
  g_assert_nonnull (sent);
  received = wait_state_row (pair.server, "(RST received)");
  g_assert_nonnull (received);
  g_assert_true (sl_test_entry_mentions (received, "→ CLOSED"));

  sl_test_run_for (200);
  g_assert_cmpint (sl_connection_get_tcp_state (pair.client_conn), ==, SL_TCP_STATE_CLOSED);
  g_assert_cmpint (sl_connection_get_tcp_state (pair.server_conn), ==, SL_TCP_STATE_CLOSED);
  g_assert_cmpuint (count_state_rows (pair.client, "TIME_WAIT"), ==, 0);
  g_assert_cmpuint (count_state_rows (pair.server, "TIME_WAIT"), ==, 0);

  pair_close (&pair);
}

/* shutdown(SHUT_WR): our side in FIN_WAIT_2, still open; the peer in CLOSE_WAIT. */
static void
test_half_close (void)
{
  Pair pair = { 0 };
  g_autoptr(SlLogEntry) row = NULL;
  g_autoptr(SlLogEntry) close_wait = NULL;

  pair_open (&pair, FALSE);
  g_assert_true (sl_connection_shutdown_write (pair.client_conn, NULL));

  row = wait_state_row (pair.client, "→ FIN_WAIT_2");
  g_assert_nonnull (row);
  g_assert_cmpuint (count_state_rows (pair.client, "(you called shutdown(SHUT_WR))"), ==, 1);
  g_assert_true (wait_tcp_state (pair.client_conn, SL_TCP_STATE_FIN_WAIT_2));
  g_assert_true (sl_connection_is_open (pair.client_conn));
  close_wait = wait_state_row (pair.server, "→ CLOSE_WAIT");
  g_assert_nonnull (close_wait);

  pair_close (&pair);
}

/* Blocking mode, nobody calls accept(): the kernel queues the handshakes up to
 * the backlog (Linux: backlog + 1), and the endpoint shows it. */
static void
test_accept_queue (void)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SlConnection) accepted = NULL;
  g_autoptr(GError) error = NULL;
  int peers[3];
  guint notified = 0;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  sl_endpoint_config_set_backlog (config, 2);
  server = sl_test_endpoint_new_started (config);
  row = wait_state_row (server, "state: LISTEN (you called listen())");
  g_assert_nonnull (row);
  g_assert_cmpuint (sl_log_entry_get_connection_id (row), ==, 0);
  g_clear_object (&row);
  g_assert_cmpuint (sl_endpoint_get_accept_queue (server), ==, 0);
  g_signal_connect (server, "notify::accept-queue", G_CALLBACK (notify_count_cb), &notified);

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    peers[i] = sl_test_peer_connect_endpoint (server);

  row = wait_state_row (server, "accept queue: 3 of backlog 2");
  g_assert_nonnull (row);
  g_assert_true (sl_test_entry_mentions (row, "full"));
  g_assert_cmpuint (sl_endpoint_get_accept_queue (server), ==, 3);
  g_assert_cmpuint (notified, >=, 1);

  sl_endpoint_accept_async (server, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  accepted = sl_endpoint_accept_finish (server, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (accepted);
  g_assert_cmpuint (sl_endpoint_get_accept_queue (server), ==, 2);
  g_clear_object (&row);
  row = wait_state_row (server, "accept queue: 2 of backlog 2");
  g_assert_nonnull (row);
  g_assert_cmpint (sl_connection_get_tcp_state (accepted), ==, SL_TCP_STATE_ESTABLISHED);

  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    close (peers[i]);
  g_clear_object (&accepted);
  g_clear_object (&result);
  sl_test_assert_finalize (g_steal_pointer (&server), WAIT_MS);
}

/* Blocking mode: the peer resets while recv() waits. The state row comes
 * before the error, names the RST, and the socket is closed once. */
static void
test_reset_received_blocking (void)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SlConnection) conn = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  guint state_position = 0;
  guint error_position = 0;
  g_autoptr(SlLogEntry) error_row = NULL;
  int peer;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  server = sl_test_endpoint_new_started (config);
  peer = sl_test_peer_connect_endpoint (server);

  sl_endpoint_accept_async (server, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  conn = sl_endpoint_accept_finish (server, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  sl_connection_recv_async (conn, NULL, sl_test_store_result_cb, &result);
  sl_test_run_for (50);
  sl_test_peer_reset (peer);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  bytes = sl_connection_recv_finish (conn, result, &error);
  g_assert_null (bytes);
  g_assert_nonnull (error);
  g_clear_object (&result);

  row = sl_test_log_find (sl_endpoint_get_log (server), 0, SL_LOG_KIND_STATE,
                          sl_connection_get_id (conn), "ESTABLISHED → CLOSED (RST received)",
                          NULL, 0, &state_position);
  g_assert_nonnull (row);
  error_row = sl_test_log_find (sl_endpoint_get_log (server), 0, SL_LOG_KIND_ERROR,
                                sl_connection_get_id (conn), "recv(", NULL, 0, &error_position);
  g_assert_nonnull (error_row);
  g_assert_cmpuint (state_position, <, error_position);
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (server), SL_LOG_KIND_CALL,
                                       sl_connection_get_id (conn), "conn.close()", NULL, 0),
                    ==, 1);
  g_assert_cmpint (sl_connection_get_tcp_state (conn), ==, SL_TCP_STATE_CLOSED);

  g_clear_object (&conn);
  sl_test_assert_finalize (g_steal_pointer (&server), WAIT_MS);
}

/* UDP and Unix conversations have no TCP state. */
static void
test_no_state_for_unix (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sl-states-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.sock", NULL);
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_UNIX, path, 0);
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlConnection) conn = NULL;
  int peer;

  server = sl_test_endpoint_new_started (config);
  peer = sl_test_peer_connect_endpoint (server);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));
  conn = g_list_model_get_item (sl_endpoint_get_connections (server), 0);
  g_assert_cmpint (sl_connection_get_tcp_state (conn), ==, SL_TCP_STATE_UNKNOWN);
  close (peer);
  sl_test_run_for (100);
  g_assert_cmpint (sl_connection_get_tcp_state (conn), ==, SL_TCP_STATE_UNKNOWN);
  g_assert_cmpuint (count_state_rows (server, "state:"), ==, 0);
  g_clear_object (&conn);
  sl_test_assert_finalize (g_steal_pointer (&server), WAIT_MS);
  sl_test_remove_tmp_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kernel-states/established", test_established);
  g_test_add_func ("/kernel-states/active-close-stuck-close-wait",
                   test_active_close_stuck_close_wait);
  g_test_add_func ("/kernel-states/close-on-eof", test_close_on_eof);
  g_test_add_func ("/kernel-states/reset", test_reset);
  g_test_add_func ("/kernel-states/reset-received-blocking", test_reset_received_blocking);
  g_test_add_func ("/kernel-states/half-close", test_half_close);
  g_test_add_func ("/kernel-states/accept-queue", test_accept_queue);
  g_test_add_func ("/kernel-states/unix", test_no_state_for_unix);

  return g_test_run ();
}
