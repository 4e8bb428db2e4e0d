/* test-tcp.c — the stream engine against raw POSIX peers on loopback
 *
 * Every peer here is a plain socket written in the test; the endpoint under
 * test runs on the default main context, which every peer wait iterates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sl-endpoint.h"
#include "sl-error.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

static SlEndpointConfig *
tcp_server_config (SlReplyMode reply)
{
  SlEndpointConfig *config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_IPV4,
                                                 "127.0.0.1", 0);

  sl_endpoint_config_set_reply_mode (config, reply);
  return config;
}

static SlEndpointConfig *
tcp_client_config (SlFamily    family,
                   const char *address,
                   int         port)
{
  SlEndpointConfig *config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, family,
                                                 address, port);

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  return config;
}

/* "('127.0.0.1', 53422)": how the engine names the peer on the other end of @fd. */
static char *
python_peer_of (int fd)
{
  return g_strdup_printf ("('127.0.0.1', %u)", sl_test_fd_local_port (fd));
}

static SlConnection *
get_connection (SlEndpoint *endpoint,
                guint       position)
{
  GListModel *model = sl_endpoint_get_connections (endpoint);

  g_assert_cmpuint (g_list_model_get_n_items (model), >, position);
  return g_list_model_get_item (model, position);
}

/* Waits until @fd has something to read, then asserts no byte is there: the
 * peer's recv() would block (EAGAIN). Called after the server has logged
 * what it did, so "nothing" is not a race. */
static void
assert_nothing_to_read (int fd)
{
  char buffer[16];
  gssize n;

  sl_test_run_for (100);
  n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
}

static void
assert_peer_reads_eof (int fd)
{
  char buffer[16];
  gssize n = sl_test_peer_recv (fd, buffer, sizeof buffer, WAIT_MS);

  g_assert_no_errno (n);
  g_assert_cmpint (n, ==, 0);
}

static void
assert_echo_works (int         fd,
                   const char *message)
{
  gsize len = strlen (message);
  g_autofree char *buffer = g_malloc0 (len + 1);

  g_assert_true (sl_test_peer_send_all (fd, message, len, WAIT_MS));
  g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, len, WAIT_MS), ==, len);
  g_assert_cmpstr (buffer, ==, message);
}

static void
count_cb (gpointer  instance,
          gpointer  arg,
          guint    *count)
{
  (*count)++;
}

static void
closed_cb (SlConnection *connection,
           guint        *count)
{
  (*count)++;
}

typedef struct
{
  SlEndpoint *endpoint;
  guint64     bytes_in;
} CounterWait;

static gboolean
endpoint_bytes_in_reached (gpointer data)
{
  CounterWait *wait = data;

  return sl_endpoint_get_bytes_in (wait->endpoint) >= wait->bytes_in;
}

static void
wait_endpoint_bytes_in (SlEndpoint *endpoint,
                        guint64     bytes_in)
{
  CounterWait wait = { endpoint, bytes_in };

  g_assert_true (sl_test_wait_until (endpoint_bytes_in_reached, &wait, WAIT_MS));
}

static void
stop_and_finalize (SlEndpoint *endpoint)
{
  sl_endpoint_stop (endpoint);
  sl_test_assert_finalize (endpoint, WAIT_MS);
}

/* ---- server start ---------------------------------------------------- */

static void
test_server_port_zero (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_UPPER);
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  GSocketAddress *local;
  g_autofree char *host = NULL;
  guint16 port;
  int fd;

  g_assert_true (sl_endpoint_is_server (endpoint));
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_LISTENING);

  port = sl_endpoint_get_local_port (endpoint);
  g_assert_cmpuint (port, !=, 0);

  local = sl_endpoint_get_local_address (endpoint);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (local));
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), ==, port);
  host = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local)));
  g_assert_cmpstr (host, ==, "127.0.0.1");

  /* The port read back is the real one: a raw client reaches it. */
  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  close (fd);

  stop_and_finalize (endpoint);
}

/* Finds the start rows in the order the tutorials write them. */
static void
assert_start_trace (SlLog      *log,
                    gboolean    reuseaddr,
                    const char *listen_call)
{
  g_autoptr(SlLogEntry) socket_row = NULL;
  g_autoptr(SlLogEntry) reuse_row = NULL;
  g_autoptr(SlLogEntry) bind_row = NULL;
  g_autoptr(SlLogEntry) listen_row = NULL;
  guint pos = 0;

  socket_row = sl_test_log_find (log, 0, SL_TEST_ANY_KIND, 0, "socket(", NULL, 0, &pos);
  if (socket_row == NULL)
    sl_test_log_dump (log);
  g_assert_nonnull (socket_row);
  g_assert_cmpint (sl_log_entry_get_kind (socket_row), ==, SL_LOG_KIND_CALL);
  g_assert_nonnull (strstr (sl_log_entry_get_summary (socket_row), "AF_INET"));
  g_assert_nonnull (strstr (sl_log_entry_get_summary (socket_row), "SOCK_STREAM"));

  if (reuseaddr)
    {
      reuse_row = sl_test_log_find (log, pos + 1, SL_TEST_ANY_KIND, 0, "SO_REUSEADDR", NULL, 0,
                                    &pos);
      g_assert_nonnull (reuse_row);
      g_assert_cmpint (sl_log_entry_get_kind (reuse_row), ==, SL_LOG_KIND_CALL);
      g_assert_nonnull (strstr (sl_log_entry_get_summary (reuse_row), "setsockopt("));
      g_assert_cmpint (sl_log_entry_get_error_code (reuse_row), ==, 0);
    }
  else
    {
      g_assert_cmpuint (sl_test_log_count (log, SL_TEST_ANY_KIND, SL_TEST_ANY_CONNECTION,
                                           "SO_REUSEADDR", NULL, 0), ==, 0);
    }

  bind_row = sl_test_log_find (log, pos + 1, SL_TEST_ANY_KIND, 0, "bind((", NULL, 0, &pos);
  g_assert_nonnull (bind_row);
  g_assert_cmpint (sl_log_entry_get_kind (bind_row), ==, SL_LOG_KIND_CALL);
  g_assert_nonnull (strstr (sl_log_entry_get_summary (bind_row), "'127.0.0.1'"));
  g_assert_cmpint (sl_log_entry_get_error_code (bind_row), ==, 0);

  listen_row = sl_test_log_find (log, pos + 1, SL_TEST_ANY_KIND, 0, listen_call, NULL, 0, &pos);
  g_assert_nonnull (listen_row);
  g_assert_cmpint (sl_log_entry_get_kind (listen_row), ==, SL_LOG_KIND_CALL);
  g_assert_cmpint (sl_log_entry_get_error_code (listen_row), ==, 0);

  /* Nothing failed while starting. */
  g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION,
                                       NULL, NULL, 0), ==, 0);
}

static void
test_server_trace_order (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_UPPER);
  SlEndpoint *endpoint;

  sl_endpoint_config_set_reuseaddr (config, TRUE);
  endpoint = sl_test_endpoint_new_started (config);
  assert_start_trace (sl_endpoint_get_log (endpoint), TRUE, "listen(5)");

  stop_and_finalize (endpoint);
}

static void
test_server_trace_no_reuseaddr (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_UPPER);
  SlEndpoint *endpoint;

  sl_endpoint_config_set_reuseaddr (config, FALSE);
  sl_endpoint_config_set_backlog (config, 7);
  endpoint = sl_test_endpoint_new_started (config);
  assert_start_trace (sl_endpoint_get_log (endpoint), FALSE, "listen(7)");

  stop_and_finalize (endpoint);
}

/* ---- accepting -------------------------------------------------------- */

static void
test_server_accept_peer (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  GListModel *model = sl_endpoint_get_connections (endpoint);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlLogEntry) accept_row = NULL;
  g_autofree char *expected_peer = NULL;
  g_autofree char *port_text = NULL;
  GSocketAddress *remote, *local;
  guint n_added = 0, n_removed = 0;
  int fd;

  g_signal_connect (endpoint, "connection-added", G_CALLBACK (count_cb), &n_added);
  g_signal_connect (endpoint, "connection-removed", G_CALLBACK (count_cb), &n_removed);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  fd = sl_test_peer_connect_endpoint (endpoint);
  expected_peer = python_peer_of (fd);

  g_assert_true (sl_test_wait_n_items (model, 1, WAIT_MS));
  g_assert_cmpuint (n_added, ==, 1);
  {
    guint n_connections = 0;

    g_object_get (endpoint, "n-connections", &n_connections, NULL);
    g_assert_cmpuint (n_connections, ==, 1);
  }

  connection = get_connection (endpoint, 0);
  g_assert_cmpstr (sl_connection_get_peer (connection), ==, expected_peer);
  g_assert_true (sl_connection_get_endpoint (connection) == endpoint);
  g_assert_false (sl_connection_is_datagram (connection));
  g_assert_true (sl_connection_is_open (connection));
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_OPEN);
  g_assert_cmpuint (sl_connection_get_id (connection), !=, 0);

  remote = sl_connection_get_remote_address (connection);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (remote));
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)), ==,
                    sl_test_fd_local_port (fd));
  local = sl_connection_get_local_address (connection);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (local));
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), ==,
                    sl_endpoint_get_local_port (endpoint));

  /* conn, addr = server.accept() → ('127.0.0.1', 53422) */
  accept_row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                                 SL_TEST_ANY_CONNECTION, "accept()", NULL, 0, NULL);
  g_assert_nonnull (accept_row);
  port_text = g_strdup_printf ("%u", sl_test_fd_local_port (fd));
  g_assert_true (sl_test_entry_mentions (accept_row, port_text) ||
                 g_strcmp0 (sl_log_entry_get_peer (accept_row), expected_peer) == 0);

  close (fd);
  g_assert_true (sl_test_wait_n_items (model, 0, WAIT_MS));
  g_assert_cmpuint (n_removed, ==, 1);
  g_assert_false (sl_connection_is_open (connection));
  g_clear_object (&connection);

  stop_and_finalize (endpoint);
}

static void
test_client_connect (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(SlLogEntry) connect_row = NULL;
  g_autoptr(GBytes) ping = g_bytes_new_static ("ping", 4);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_peer = NULL;
  SlEndpoint *endpoint;
  SlConnection *connection;
  GSocketAddress *remote;
  char buffer[8] = { 0 };
  guint16 port;
  int listener, fd;

  listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  g_assert_no_errno (listener);
  g_assert_no_errno (listen (listener, 5));
  port = sl_test_fd_local_port (listener);

  config = tcp_client_config (SL_FAMILY_IPV4, "127.0.0.1", port);
  endpoint = sl_endpoint_new (config, NULL);
  sl_test_collect_received (endpoint, received);
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);
  g_assert_false (sl_endpoint_is_server (endpoint));
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_CONNECTED);

  g_assert_true (sl_test_wait_fd (listener, G_IO_IN, WAIT_MS));
  fd = accept4 (listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  g_assert_no_errno (fd);

  /* The client's local port is read back and is the one the server sees. */
  g_assert_cmpuint (sl_endpoint_get_local_port (endpoint), !=, 0);
  {
    g_autoptr(GSocketAddress) peer_of_server = sl_test_fd_remote_address (fd);

    g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (peer_of_server)),
                      ==, sl_endpoint_get_local_port (endpoint));
  }
  remote = sl_endpoint_get_remote_address (endpoint);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (remote));
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)), ==, port);

  connection = sl_endpoint_get_first_connection (endpoint);
  g_assert_nonnull (connection);
  expected_peer = g_strdup_printf ("('127.0.0.1', %u)", port);
  g_assert_cmpstr (sl_connection_get_peer (connection), ==, expected_peer);

  connect_row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                                  SL_TEST_ANY_CONNECTION, "connect((", NULL, 0, NULL);
  g_assert_nonnull (connect_row);
  g_assert_cmpint (sl_log_entry_get_error_code (connect_row), ==, 0);

  g_assert_true (sl_endpoint_send (endpoint, NULL, ping, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, 4, WAIT_MS), ==, 4);
  g_assert_cmpstr (buffer, ==, "ping");

  g_assert_true (sl_test_peer_send_all (fd, "pong", 4, WAIT_MS));
  g_assert_true (sl_test_wait_bytes (received, 4, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "pong", 4);

  g_assert_cmpuint (sl_connection_get_bytes_out (connection), ==, 4);
  g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, 4);
  g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 1);
  g_assert_cmpuint (sl_connection_get_messages_in (connection), ==, 1);
  g_assert_cmpuint (sl_endpoint_get_bytes_out (endpoint), ==, 4);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 4);
  g_assert_cmpuint (sl_endpoint_get_messages_out (endpoint), ==, 1);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, 1);

  /* The server closes: the client reads b'' and its connection ends. */
  close (fd);
  {
    g_autoptr(SlLogEntry) eof_row = sl_test_wait_log (sl_endpoint_get_log (endpoint),
                                                      SL_TEST_ANY_KIND, SL_TEST_ANY_CONNECTION,
                                                      NULL, "b''", 0, WAIT_MS);

    g_assert_nonnull (eof_row);
  }
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));

  close (listener);
  stop_and_finalize (endpoint);
}

/* ---- auto-reply -------------------------------------------------------- */

static void
check_reply (SlReplyMode  mode,
             const char  *reply_text,
             const char  *message,
             const char  *expected)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (mode);
  g_autoptr(SlLogEntry) in_row = NULL;
  SlEndpoint *endpoint;
  SlLog *log;
  int fd;

  if (reply_text != NULL)
    sl_endpoint_config_set_reply_text (config, reply_text);
  endpoint = sl_test_endpoint_new_started (config);
  log = sl_endpoint_get_log (endpoint);
  fd = sl_test_peer_connect_endpoint (endpoint);

  g_assert_true (sl_test_peer_send_all (fd, message, strlen (message), WAIT_MS));

  if (expected != NULL)
    {
      gsize len = strlen (expected);
      g_autofree char *buffer = g_malloc0 (len + 1);
      g_autoptr(SlLogEntry) out_row = NULL;

      g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, len, WAIT_MS), ==, len);
      g_assert_cmpstr (buffer, ==, expected);

      out_row = sl_test_log_find (log, 0, SL_LOG_KIND_DATA_OUT, SL_TEST_ANY_CONNECTION, NULL,
                                  NULL, 0, NULL);
      g_assert_nonnull (out_row);
      g_assert_true (sl_test_entry_payload_is (out_row, expected, len));
    }

  in_row = sl_test_wait_log (log, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION, NULL, NULL, 0,
                             WAIT_MS);
  g_assert_nonnull (in_row);
  g_assert_true (sl_test_entry_payload_is (in_row, message, strlen (message)));

  /* Exactly the reply and nothing more (no newline, no second copy). */
  assert_nothing_to_read (fd);
  if (expected == NULL)
    g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_DATA_OUT, SL_TEST_ANY_CONNECTION,
                                         NULL, NULL, 0), ==, 0);

  close (fd);
  stop_and_finalize (endpoint);
}

static void
test_reply_upper (void)
{
  check_reply (SL_REPLY_UPPER, NULL, "hello", "HELLO");
  /* bytes.upper(): ASCII letters only, UTF-8 bytes unchanged. */
  check_reply (SL_REPLY_UPPER, NULL,
               "h\xc3\xa9llo w\xc3\xb6rld 1!", "H\xc3\xa9LLO W\xc3\xb6RLD 1!");
}

static void
test_reply_echo (void)
{
  check_reply (SL_REPLY_ECHO, NULL, "hello, Echo!", "hello, Echo!");
}

static void
test_reply_fixed (void)
{
  check_reply (SL_REPLY_FIXED, "got it", "hello", "got it");
}

static void
test_reply_none (void)
{
  check_reply (SL_REPLY_NONE, NULL, "hello", NULL);
}

/* ---- many clients ----------------------------------------------------- */

#define N_CLIENTS 200

static void
test_server_many_clients (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  SlEndpoint *endpoint;
  GListModel *model;
  int fds[N_CLIENTS];
  char *messages[N_CLIENTS];
  guint64 total = 0;

  sl_endpoint_config_set_backlog (config, 128);
  endpoint = sl_test_endpoint_new_started (config);
  model = sl_endpoint_get_connections (endpoint);

  /* All connected at once; the server accepts while the peers wait. */
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      fds[i] = sl_test_peer_connect_endpoint (endpoint);
      messages[i] = g_strdup_printf ("client %03u says %08x", i, g_random_int ());
      total += strlen (messages[i]);
      if ((i + 1) % 20 == 0)
        g_assert_true (sl_test_wait_n_items (model, i + 1, 10000));
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_CLIENTS);

  for (guint i = 0; i < N_CLIENTS; i++)
    g_assert_true (sl_test_peer_send_all (fds[i], messages[i], strlen (messages[i]), WAIT_MS));

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      gsize len = strlen (messages[i]);
      char buffer[64] = { 0 };

      g_assert_cmpuint (sl_test_peer_recv_all (fds[i], buffer, len, 10000), ==, len);
      g_assert_cmpstr (buffer, ==, messages[i]);
    }

  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, total);
  g_assert_cmpuint (sl_endpoint_get_bytes_out (endpoint), ==, total);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, N_CLIENTS);
  g_assert_cmpuint (sl_endpoint_get_messages_out (endpoint), ==, N_CLIENTS);

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      close (fds[i]);
      g_free (messages[i]);
    }
  g_assert_true (sl_test_wait_n_items (model, 0, 10000));

  stop_and_finalize (endpoint);
}

static void
test_server_max_clients (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  SlEndpoint *endpoint;
  GListModel *model;
  SlLog *log;
  gboolean reason_logged = FALSE;
  int fds[3], extra;

  sl_endpoint_config_set_max_clients (config, 3);
  endpoint = sl_test_endpoint_new_started (config);
  model = sl_endpoint_get_connections (endpoint);
  log = sl_endpoint_get_log (endpoint);

  for (guint i = 0; i < 3; i++)
    fds[i] = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (model, 3, WAIT_MS));

  /* The fourth is accepted and closed at once: it reads EOF. */
  extra = sl_test_peer_connect_endpoint (endpoint);
  assert_peer_reads_eof (extra);
  close (extra);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  sl_log_flush (log);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      SlLogKind kind = sl_log_entry_get_kind (entry);

      if ((kind == SL_LOG_KIND_EVENT || kind == SL_LOG_KIND_ERROR) &&
          sl_test_entry_mentions (entry, "max"))
        reason_logged = TRUE;
    }
  if (!reason_logged)
    sl_test_log_dump (log);
  g_assert_true (reason_logged);

  /* The first three keep working. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *message = g_strdup_printf ("still here %u", i);

      assert_echo_works (fds[i], message);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  for (guint i = 0; i < 3; i++)
    close (fds[i]);
  g_assert_true (sl_test_wait_n_items (model, 0, WAIT_MS));

  stop_and_finalize (endpoint);
}

/* ---- TCP is a stream: bufsize splits reads ---------------------------- */

static void
test_server_bufsize_split (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autofree char *data = g_malloc (3000);
  g_autoptr(GByteArray) joined = g_byte_array_new ();
  SlEndpoint *endpoint;
  GListModel *log_model;
  guint n_rows = 0;
  int fd;

  for (guint i = 0; i < 3000; i++)
    data[i] = 'a' + i % 26;

  sl_endpoint_config_set_bufsize (config, 1024);
  endpoint = sl_test_endpoint_new_started (config);
  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);

  /* One send() of 3000 bytes. */
  g_assert_cmpint (send (fd, data, 3000, MSG_NOSIGNAL), ==, 3000);
  wait_endpoint_bytes_in (endpoint, 3000);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 3000);
  g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, 3000);

  log_model = G_LIST_MODEL (sl_endpoint_get_log (endpoint));
  sl_log_flush (sl_endpoint_get_log (endpoint));
  for (guint i = 0; i < g_list_model_get_n_items (log_model); i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (log_model, i);
      GBytes *payload;

      if (sl_log_entry_get_kind (entry) != SL_LOG_KIND_DATA_IN)
        continue;
      g_assert_cmpuint (sl_log_entry_get_connection_id (entry), ==,
                        sl_connection_get_id (connection));
      g_assert_cmpuint (sl_log_entry_get_size (entry), <=, 1024);
      g_assert_cmpuint (sl_log_entry_get_size (entry), >, 0);
      payload = sl_log_entry_get_payload (entry);
      g_assert_nonnull (payload);
      g_assert_cmpuint (g_bytes_get_size (payload), ==, sl_log_entry_get_size (entry));
      g_byte_array_append (joined, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      n_rows++;
    }

  g_assert_cmpuint (n_rows, >=, 3);
  g_assert_cmpuint (sl_connection_get_messages_in (connection), ==, n_rows);
  g_assert_cmpmem (joined->data, joined->len, data, 3000);

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

/* ---- FIN, RST, half-close --------------------------------------------- */

static void
test_peer_fin (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlLogEntry) eof_row = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  guint n_closed = 0;
  int fd;

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), &n_closed);

  close (fd);

  /* conn.recv(1024) → b'' (peer closed) */
  eof_row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_TEST_ANY_KIND,
                              sl_connection_get_id (connection), NULL, "b''", 0, WAIT_MS);
  if (eof_row == NULL)
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  g_assert_nonnull (eof_row);
  g_assert_cmpint (sl_log_entry_get_error_code (eof_row), ==, 0);
  g_assert_cmpint (sl_log_entry_get_kind (eof_row), !=, SL_LOG_KIND_ERROR);

  /* close-on-eof (the default): the server closes in turn. */
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));
  g_assert_false (sl_connection_is_open (connection));
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_CLOSED);
  g_assert_cmpuint (n_closed, ==, 1);
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (endpoint), SL_LOG_KIND_ERROR,
                                       SL_TEST_ANY_CONNECTION, NULL, NULL, 0), ==, 0);

  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_peer_rst (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlLogEntry) reset_row = NULL;
  g_autofree char *reset_peer = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  int fd, other;

  fd = sl_test_peer_connect_endpoint (endpoint);
  other = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 2, WAIT_MS));
  assert_echo_works (fd, "before the reset");
  reset_peer = python_peer_of (fd);
  connection = get_connection (endpoint, 0);
  if (g_strcmp0 (sl_connection_get_peer (connection), reset_peer) != 0)
    {
      g_clear_object (&connection);
      connection = get_connection (endpoint, 1);
    }

  /* SO_LINGER {1, 0} + close(): the kernel sends RST instead of FIN. On Linux
   * the server's recv() on an established connection then fails with
   * ECONNRESET (not b''). */
  sl_test_peer_reset (fd);

  reset_row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_LOG_KIND_ERROR,
                                sl_connection_get_id (connection), NULL, NULL, ECONNRESET,
                                WAIT_MS);
  if (reset_row == NULL)
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  g_assert_nonnull (reset_row);
  g_assert_cmpstr (sl_log_entry_get_error_name (reset_row), ==, "ECONNRESET");
  g_assert_nonnull (sl_log_entry_get_explanation (reset_row));

  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_RESET);
  g_assert_false (sl_connection_is_open (connection));

  /* The server keeps serving its other client and new ones. */
  assert_echo_works (other, "I am still connected");
  close (other);
  other = sl_test_peer_connect_endpoint (endpoint);
  assert_echo_works (other, "and I am new");
  close (other);

  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_half_close (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) shutdown_row = NULL;
  g_autoptr(SlLogEntry) in_row = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  int fd;

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);

  g_assert_true (sl_connection_shutdown_write (connection, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_WRITE_SHUT);
  g_assert_true (sl_connection_is_open (connection));
  shutdown_row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                                   SL_TEST_ANY_CONNECTION, "shutdown(", NULL, 0, NULL);
  g_assert_nonnull (shutdown_row);

  /* The peer reads EOF ... */
  assert_peer_reads_eof (fd);

  /* ... but can still send, and we still receive. */
  g_assert_true (sl_test_peer_send_all (fd, "still here", 10, WAIT_MS));
  in_row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_LOG_KIND_DATA_IN,
                             sl_connection_get_id (connection), NULL, NULL, 0, WAIT_MS);
  g_assert_nonnull (in_row);
  g_assert_true (sl_test_entry_payload_is (in_row, "still here", 10));
  g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, 10);

  close (fd);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));

  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_our_reset (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) linger_row = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  char buffer[16];
  gssize n;
  int fd;

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);

  g_assert_true (sl_connection_reset (connection, &error));
  g_assert_no_error (error);

  n = sl_test_peer_recv (fd, buffer, sizeof buffer, WAIT_MS);
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpint (errno, ==, ECONNRESET);

  linger_row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                                 SL_TEST_ANY_CONNECTION, "SO_LINGER", NULL, 0, NULL);
  g_assert_nonnull (linger_row);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_RESET);
  g_assert_false (sl_connection_is_open (connection));

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_our_close (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GBytes) late = g_bytes_new_static ("late", 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) close_row = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  guint n_closed = 0;
  int fd;

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), &n_closed);

  g_assert_true (sl_connection_close (connection, &error));
  g_assert_no_error (error);
  assert_peer_reads_eof (fd);

  close_row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                                SL_TEST_ANY_CONNECTION, "close()", NULL, 0, NULL);
  g_assert_nonnull (close_row);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_CLOSED);
  g_assert_false (sl_connection_is_open (connection));
  g_assert_cmpuint (n_closed, ==, 1);

  /* A closed connection refuses to send, with a message. */
  g_assert_false (sl_connection_send (connection, late, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_send_after_peer_closed (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlLogEntry) eof_row = NULL;
  g_autoptr(SlLogEntry) error_row = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static ("anyone there?", 13);
  SlEndpoint *endpoint;
  SlLog *log;
  int fd;

  /* Keep the connection after b'' so that we can write to it. */
  sl_endpoint_config_set_close_on_eof (config, FALSE);
  endpoint = sl_test_endpoint_new_started (config);
  log = sl_endpoint_get_log (endpoint);

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);
  close (fd);

  eof_row = sl_test_wait_log (log, SL_TEST_ANY_KIND, sl_connection_get_id (connection), NULL,
                              "b''", 0, WAIT_MS);
  g_assert_nonnull (eof_row);
  g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_PEER_CLOSED);
  g_assert_true (sl_connection_is_open (connection));
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (endpoint)), ==, 1);

  /* The first send() succeeds (the data goes out; the peer's kernel answers
   * RST), a later one fails: EPIPE on Linux (a RST in CLOSE_WAIT), or
   * ECONNRESET. Bounded number of tries. */
  for (guint i = 0; i < 20 && error_row == NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!sl_connection_send (connection, data, &error))
        {
          g_assert_nonnull (error);
          if (g_error_matches (error, SL_ERROR, SL_ERROR_NOT_CONNECTED))
            break;
          g_assert_true (error->domain == G_IO_ERROR);
        }
      sl_test_run_for (50);

      error_row = sl_test_log_find (log, 0, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, NULL,
                                    NULL, EPIPE, NULL);
      if (error_row == NULL)
        error_row = sl_test_log_find (log, 0, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, NULL,
                                      NULL, ECONNRESET, NULL);
    }

  if (error_row == NULL)
    sl_test_log_dump (log);
  g_assert_nonnull (error_row);
  g_assert_true (g_strcmp0 (sl_log_entry_get_error_name (error_row), "EPIPE") == 0 ||
                 g_strcmp0 (sl_log_entry_get_error_name (error_row), "ECONNRESET") == 0);
  g_assert_nonnull (sl_log_entry_get_explanation (error_row));

  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

/* ---- client errors ----------------------------------------------------- */

static void
test_client_refused (void)
{
  guint16 port = sl_test_unused_port (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM);
  g_autoptr(SlEndpointConfig) config = tcp_client_config (SL_FAMILY_IPV4, "127.0.0.1", port);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  SlEndpoint *endpoint = sl_endpoint_new (config, NULL);

  g_assert_false (sl_test_endpoint_start (endpoint, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "ECONNREFUSED"));
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_ERROR);
  g_assert_nonnull (sl_endpoint_get_error_message (endpoint));

  row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_LOG_KIND_ERROR,
                          SL_TEST_ANY_CONNECTION, NULL, NULL, ECONNREFUSED, NULL);
  g_assert_nonnull (row);
  g_assert_cmpstr (sl_log_entry_get_error_name (row), ==, "ECONNREFUSED");
  g_assert_nonnull (strstr (sl_log_entry_get_summary (row), "connect(("));

  stop_and_finalize (endpoint);
}

static void
test_client_connect_timeout (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  g_autoptr(GSocketAddress) target = NULL;
  SlEndpoint *endpoint;
  int fill[20];
  guint n_fill = 0;
  gboolean stuck = FALSE;
  int listener;

  /* Only loopback is allowed, so make the connect hang for real: a listener
   * with backlog 1 that never accepts. Linux queues backlog + 1 finished
   * handshakes; after that it drops the SYNs (even with SYN cookies on, a
   * full accept queue drops), so a further connect stays in SYN_SENT. */
  listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  g_assert_no_errno (listener);
  g_assert_no_errno (listen (listener, 1));
  target = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, sl_test_fd_local_port (listener));

  while (!stuck && n_fill < G_N_ELEMENTS (fill))
    {
      struct sockaddr_storage storage;
      int fd = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, NULL);

      g_assert_true (g_socket_address_to_native (target, &storage, sizeof storage, NULL));
      if (connect (fd, (struct sockaddr *) &storage,
                   g_socket_address_get_native_size (target)) < 0)
        g_assert_cmpint (errno, ==, EINPROGRESS);
      fill[n_fill++] = fd;
      stuck = !sl_test_wait_fd (fd, G_IO_OUT, 300);
    }
  g_assert_true (stuck);

  config = tcp_client_config (SL_FAMILY_IPV4, "127.0.0.1", sl_test_fd_local_port (listener));
  sl_endpoint_config_set_connect_timeout (config, 1.0);
  endpoint = sl_endpoint_new (config, NULL);

  g_assert_false (sl_test_endpoint_start (endpoint, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_ERROR);

  row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_LOG_KIND_ERROR,
                          SL_TEST_ANY_CONNECTION, NULL, NULL, 0, NULL);
  g_assert_nonnull (row);
  g_assert_true (sl_log_entry_get_error_code (row) == ETIMEDOUT ||
                 sl_test_entry_mentions (row, "timed out"));

  for (guint i = 0; i < n_fill; i++)
    close (fill[i]);
  close (listener);
  stop_and_finalize (endpoint);
}

/* ---- address in use and TIME_WAIT ------------------------------------- */

static SlEndpoint *
start_expecting_addr_in_use (SlEndpointConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  SlEndpoint *endpoint = sl_endpoint_new (config, NULL);

  g_assert_false (sl_test_endpoint_start (endpoint, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, "EADDRINUSE"));
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_ERROR);
  g_assert_nonnull (sl_endpoint_get_error_message (endpoint));

  row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                          SL_TEST_ANY_CONNECTION, "bind((", NULL, EADDRINUSE, NULL);
  if (row == NULL)
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  g_assert_nonnull (row);
  g_assert_cmpint (sl_log_entry_get_kind (row), ==, SL_LOG_KIND_ERROR);
  g_assert_cmpstr (sl_log_entry_get_error_name (row), ==, "EADDRINUSE");
  g_assert_nonnull (sl_log_entry_get_explanation (row));

  return endpoint;
}

static void
test_server_addr_in_use (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  SlEndpoint *first, *second;
  int fd;

  first = sl_test_endpoint_new_started (config);
  sl_endpoint_config_set_port (config, sl_endpoint_get_local_port (first));

  second = start_expecting_addr_in_use (config);
  stop_and_finalize (second);

  /* On Linux SO_REUSEADDR does not allow two listeners on one port. */
  sl_endpoint_config_set_reuseaddr (config, TRUE);
  second = start_expecting_addr_in_use (config);
  stop_and_finalize (second);

  /* The first one is unharmed. */
  g_assert_cmpint (sl_endpoint_get_state (first), ==, SL_ENDPOINT_STATE_LISTENING);
  fd = sl_test_peer_connect_endpoint (first);
  assert_echo_works (fd, "first server");
  close (fd);

  stop_and_finalize (first);
}

static void
test_server_time_wait (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint;
  guint16 port;
  int fd;

  /* The tutorial's server sets SO_REUSEADDR. Linux lets a new bind reuse a
   * TIME_WAIT port only when both the old socket and the new one have it:
   * had the first server run without it, even a restart with SO_REUSEADDR
   * would get EADDRINUSE until TIME_WAIT ends (60 s). */
  sl_endpoint_config_set_reuseaddr (config, TRUE);
  endpoint = sl_test_endpoint_new_started (config);
  port = sl_endpoint_get_local_port (endpoint);

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);

  /* The server closes first (active close), so the server's side of the
   * connection ends in TIME_WAIT once the client closes too. */
  g_assert_true (sl_connection_close (connection, &error));
  g_assert_no_error (error);
  assert_peer_reads_eof (fd);
  close (fd);
  g_clear_object (&connection);
  sl_test_run_for (100);

  sl_endpoint_stop (endpoint);
  sl_test_assert_finalize (endpoint, WAIT_MS);
  g_assert_true (sl_test_has_time_wait (port));

  /* Restart on the same port without SO_REUSEADDR: EADDRINUSE. */
  sl_endpoint_config_set_port (config, port);
  sl_endpoint_config_set_reuseaddr (config, FALSE);
  endpoint = start_expecting_addr_in_use (config);
  stop_and_finalize (endpoint);

  /* With SO_REUSEADDR: it works. */
  sl_endpoint_config_set_reuseaddr (config, TRUE);
  endpoint = sl_test_endpoint_new_started (config);
  g_assert_cmpuint (sl_endpoint_get_local_port (endpoint), ==, port);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_LISTENING);
  stop_and_finalize (endpoint);
}

/* ---- IPv6 and Unix ----------------------------------------------------- */

static void
test_ipv6 (void)
{
  g_autoptr(SlEndpointConfig) server_config = NULL;
  g_autoptr(SlEndpointConfig) client_config = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) six = g_bytes_new_static ("six", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlConnection) accepted = NULL;
  SlEndpoint *server, *client;
  GSocketAddress *local;
  char buffer[8] = { 0 };
  int fd;

  if (!sl_test_ipv6_available ())
    {
      g_test_skip ("::1 is not available on this machine");
      return;
    }

  server_config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_IPV6, "::1", 0);
  sl_endpoint_config_set_reply_mode (server_config, SL_REPLY_UPPER);
  server = sl_test_endpoint_new_started (server_config);
  local = sl_endpoint_get_local_address (server);
  g_assert_cmpint (g_socket_address_get_family (local), ==, G_SOCKET_FAMILY_IPV6);
  g_assert_cmpuint (sl_endpoint_get_local_port (server), !=, 0);

  /* A raw IPv6 peer. */
  fd = sl_test_peer_connect_endpoint (server);
  g_assert_true (sl_test_peer_send_all (fd, "raw", 3, WAIT_MS));
  g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, 3, WAIT_MS), ==, 3);
  g_assert_cmpstr (buffer, ==, "RAW");
  close (fd);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 0, WAIT_MS));

  /* An SlEndpoint IPv6 client. */
  client_config = tcp_client_config (SL_FAMILY_IPV6, "::1", sl_endpoint_get_local_port (server));
  client = sl_endpoint_new (client_config, NULL);
  sl_test_collect_received (client, received);
  g_assert_true (sl_test_endpoint_start (client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_socket_address_get_family (sl_endpoint_get_local_address (client)), ==,
                   G_SOCKET_FAMILY_IPV6);

  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));
  accepted = get_connection (server, 0);
  g_assert_true (g_str_has_prefix (sl_connection_get_peer (accepted), "('::1', "));

  g_assert_true (sl_endpoint_send (client, NULL, six, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_bytes (received, 3, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "SIX", 3);

  g_clear_object (&accepted);
  stop_and_finalize (client);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 0, WAIT_MS));
  stop_and_finalize (server);
}

static void
test_unix_stream (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(SlEndpointConfig) server_config = NULL;
  g_autoptr(SlEndpointConfig) client_config = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SlLogEntry) bind_row = NULL;
  SlEndpoint *server, *client;
  char buffer[8] = { 0 };
  int fd;

  g_assert_no_error (error);
  path = g_build_filename (dir, "server.sock", NULL);

  server_config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_UNIX, path, 0);
  sl_endpoint_config_set_reply_mode (server_config, SL_REPLY_UPPER);
  server = sl_test_endpoint_new_started (server_config);
  g_assert_cmpint (sl_endpoint_get_state (server), ==, SL_ENDPOINT_STATE_LISTENING);
  g_assert_cmpuint (sl_endpoint_get_local_port (server), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  bind_row = sl_test_log_find (sl_endpoint_get_log (server), 0, SL_TEST_ANY_KIND, 0, "bind(",
                               NULL, 0, NULL);
  g_assert_nonnull (bind_row);
  g_assert_nonnull (strstr (sl_log_entry_get_summary (bind_row), path));

  /* A raw AF_UNIX peer. */
  address = g_unix_socket_address_new (path);
  fd = sl_test_peer_connect (address, WAIT_MS);
  g_assert_no_errno (fd);
  g_assert_true (sl_test_peer_send_all (fd, "unix", 4, WAIT_MS));
  g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, 4, WAIT_MS), ==, 4);
  g_assert_cmpstr (buffer, ==, "UNIX");
  close (fd);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 0, WAIT_MS));

  /* An SlEndpoint Unix client. */
  client_config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_UNIX, path, 0);
  sl_endpoint_config_set_reply_mode (client_config, SL_REPLY_NONE);
  client = sl_endpoint_new (client_config, NULL);
  sl_test_collect_received (client, received);
  g_assert_true (sl_test_endpoint_start (client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_endpoint_get_state (client), ==, SL_ENDPOINT_STATE_CONNECTED);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));

  g_assert_true (sl_endpoint_send (client, NULL, abc, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_bytes (received, 3, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "ABC", 3);

  stop_and_finalize (client);
  stop_and_finalize (server);

  /* The server removed the socket file it created. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  sl_test_remove_tmp_dir (dir);
}

/* ---- stop and counters ----------------------------------------------- */

static void
test_server_stop (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  g_autoptr(GSocketAddress) address = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  SlEndpoint *never_started;
  int fds[2];
  int fd;

  address = g_object_ref (sl_endpoint_get_local_address (endpoint));
  fds[0] = sl_test_peer_connect_endpoint (endpoint);
  fds[1] = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 2, WAIT_MS));

  sl_endpoint_stop (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_STOPPED);
  g_assert_null (sl_endpoint_get_first_connection (endpoint));

  /* Every client got FIN, and nobody listens any more. */
  assert_peer_reads_eof (fds[0]);
  assert_peer_reads_eof (fds[1]);
  close (fds[0]);
  close (fds[1]);
  fd = sl_test_peer_connect (address, WAIT_MS);
  g_assert_cmpint (fd, ==, -1);
  g_assert_cmpint (errno, ==, ECONNREFUSED);

  /* Idempotent. */
  sl_endpoint_stop (endpoint);
  sl_endpoint_stop (endpoint);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_STOPPED);
  sl_test_assert_finalize (endpoint, WAIT_MS);

  /* Stopping an endpoint that never started is harmless too. */
  never_started = sl_endpoint_new (config, NULL);
  sl_endpoint_stop (never_started);
  g_assert_cmpint (sl_endpoint_get_state (never_started), ==, SL_ENDPOINT_STATE_STOPPED);
  sl_test_assert_finalize (never_started, WAIT_MS);
}

static void
test_counters (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  g_autoptr(SlConnection) connection = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  int fd;

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);
  g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, 0);
  g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 0);

  /* Two messages, each echoed before the next is sent, so each is one recv(). */
  assert_echo_works (fd, "hello");
  assert_echo_works (fd, "world!");

  g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, 11);
  g_assert_cmpuint (sl_connection_get_bytes_out (connection), ==, 11);
  g_assert_cmpuint (sl_connection_get_messages_in (connection), ==, 2);
  g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 2);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 11);
  g_assert_cmpuint (sl_endpoint_get_bytes_out (endpoint), ==, 11);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, 2);
  g_assert_cmpuint (sl_endpoint_get_messages_out (endpoint), ==, 2);

  /* The properties say the same. */
  {
    guint64 bytes_in = 0, messages_out = 0;

    g_object_get (connection, "bytes-in", &bytes_in, "messages-out", &messages_out, NULL);
    g_assert_cmpuint (bytes_in, ==, 11);
    g_assert_cmpuint (messages_out, ==, 2);
    g_object_get (endpoint, "bytes-in", &bytes_in, "messages-out", &messages_out, NULL);
    g_assert_cmpuint (bytes_in, ==, 11);
    g_assert_cmpuint (messages_out, ==, 2);
  }

  close (fd);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 0, WAIT_MS));
  /* The endpoint's totals outlive the connection. */
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 11);

  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

/* ---- more engine behaviour -------------------------------------------- */

#define LARGE_SIZE (16 * 1024 * 1024)

static void
test_sendall_large (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *data = g_malloc (LARGE_SIZE);
  g_autofree guint8 *got = g_malloc (LARGE_SIZE);
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  guint n_rows;
  int fd;

  for (guint i = 0; i < LARGE_SIZE; i++)
    data[i] = (i * 7 + i / 4096) & 0xff;
  bytes = g_bytes_new_static (data, LARGE_SIZE);

  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = get_connection (endpoint, 0);

  /* sendall(): more than the kernel takes at once; the rest goes out as the
   * peer reads, each send() traced, every byte in order. */
  g_assert_true (sl_connection_send (connection, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_test_peer_recv_all (fd, got, LARGE_SIZE, 30000), ==, LARGE_SIZE);
  g_assert_true (memcmp (got, data, LARGE_SIZE) == 0);

  g_assert_cmpuint (sl_connection_get_bytes_out (connection), ==, LARGE_SIZE);
  g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 1);
  n_rows = sl_test_log_count (sl_endpoint_get_log (endpoint), SL_LOG_KIND_DATA_OUT,
                              sl_connection_get_id (connection), NULL, NULL, 0);
  g_assert_cmpuint (n_rows, >=, 2);
  assert_nothing_to_read (fd);

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_server_restart (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  int fd;

  /* Starting a running endpoint is refused. */
  g_assert_false (sl_test_endpoint_start (endpoint, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_LISTENING);

  sl_endpoint_stop (endpoint);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_STOPPED);

  /* The same object starts again and serves. */
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_LISTENING);
  g_assert_cmpuint (sl_endpoint_get_local_port (endpoint), !=, 0);
  fd = sl_test_peer_connect_endpoint (endpoint);
  assert_echo_works (fd, "second life");
  close (fd);

  stop_and_finalize (endpoint);
}

static void
test_server_unref_while_running (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  g_autoptr(GSocketAddress) address = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  int fd, again;

  address = g_object_ref (sl_endpoint_get_local_address (endpoint));
  fd = sl_test_peer_connect_endpoint (endpoint);
  assert_echo_works (fd, "hello");

  /* Dropping the last reference without stop() closes everything too. */
  sl_test_assert_finalize (endpoint, WAIT_MS);
  assert_peer_reads_eof (fd);
  close (fd);
  again = sl_test_peer_connect (address, WAIT_MS);
  g_assert_cmpint (again, ==, -1);
  g_assert_cmpint (errno, ==, ECONNREFUSED);
}

static void
test_server_invalid_config (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_ECHO);
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint;

  sl_endpoint_config_set_port (config, 70000);
  endpoint = sl_endpoint_new (config, NULL);
  g_assert_false (sl_test_endpoint_start (endpoint, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_PORT);
  g_assert_nonnull (strstr (error->message, "70000"));
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_ERROR);
  g_assert_nonnull (sl_endpoint_get_error_message (endpoint));
  /* No socket was made for a config that cannot work. */
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (endpoint), SL_TEST_ANY_KIND,
                                       SL_TEST_ANY_CONNECTION, "socket(", NULL, 0), ==, 0);

  stop_and_finalize (endpoint);
}

static void
test_server_send_to_all (void)
{
  g_autoptr(SlEndpointConfig) config = tcp_server_config (SL_REPLY_NONE);
  g_autoptr(GBytes) news = g_bytes_new_static ("news", 4);
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  int fds[3];

  g_assert_cmpuint (sl_endpoint_send_to_all (endpoint, news), ==, 0);
  for (guint i = 0; i < 3; i++)
    fds[i] = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 3, WAIT_MS));

  g_assert_cmpuint (sl_endpoint_send_to_all (endpoint, news), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      char buffer[8] = { 0 };

      g_assert_cmpuint (sl_test_peer_recv_all (fds[i], buffer, 4, WAIT_MS), ==, 4);
      g_assert_cmpstr (buffer, ==, "news");
      close (fds[i]);
    }
  g_assert_cmpuint (sl_endpoint_get_messages_out (endpoint), ==, 3);

  stop_and_finalize (endpoint);
}

static void
test_shared_log (void)
{
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(SlEndpointConfig) server_config = tcp_server_config (SL_REPLY_UPPER);
  g_autoptr(SlEndpointConfig) client_config = NULL;
  g_autoptr(GBytes) hi = g_bytes_new_static ("hi", 2);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SlConnection) accepted = NULL;
  SlEndpoint *server, *client;
  SlConnection *client_connection;
  guint server_in = 0, client_in = 0;

  server = sl_endpoint_new (server_config, log);
  g_assert_true (sl_endpoint_get_log (server) == log);
  g_assert_true (sl_test_endpoint_start (server, &error));
  g_assert_no_error (error);

  client_config = tcp_client_config (SL_FAMILY_IPV4, "127.0.0.1",
                                     sl_endpoint_get_local_port (server));
  client = sl_endpoint_new (client_config, log);
  sl_test_collect_received (client, received);
  g_assert_true (sl_test_endpoint_start (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_endpoint_get_id (client), !=, sl_endpoint_get_id (server));

  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));
  accepted = get_connection (server, 0);
  client_connection = sl_endpoint_get_first_connection (client);
  g_assert_true (sl_endpoint_send (client, NULL, hi, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_bytes (received, 2, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "HI", 2);

  /* Every row names its endpoint, and data rows their connection. */
  sl_log_flush (log);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      guint endpoint_id = sl_log_entry_get_endpoint_id (entry);

      g_assert_true (endpoint_id == sl_endpoint_get_id (server) ||
                     endpoint_id == sl_endpoint_get_id (client));
      if (sl_log_entry_get_kind (entry) != SL_LOG_KIND_DATA_IN)
        continue;
      if (endpoint_id == sl_endpoint_get_id (server))
        {
          g_assert_cmpuint (sl_log_entry_get_connection_id (entry), ==,
                            sl_connection_get_id (accepted));
          g_assert_cmpstr (sl_log_entry_get_peer (entry), ==, sl_connection_get_peer (accepted));
          server_in++;
        }
      else
        {
          g_assert_cmpuint (sl_log_entry_get_connection_id (entry), ==,
                            sl_connection_get_id (client_connection));
          client_in++;
        }
    }
  g_assert_cmpuint (server_in, ==, 1);
  g_assert_cmpuint (client_in, ==, 1);

  g_clear_object (&accepted);
  stop_and_finalize (client);
  stop_and_finalize (server);
}

static void
test_client_localhost (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint;
  int listener, fd;

  listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  g_assert_no_errno (listener);
  g_assert_no_errno (listen (listener, 5));

  config = tcp_client_config (SL_FAMILY_IPV4, "localhost", sl_test_fd_local_port (listener));
  endpoint = sl_endpoint_new (config, NULL);
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_fd (listener, G_IO_IN, WAIT_MS));
  fd = accept4 (listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  g_assert_no_errno (fd);
  g_assert_nonnull (sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND,
                                      SL_TEST_ANY_CONNECTION, "connect(('127.0.0.1', ", NULL, 0,
                                      NULL));

  close (fd);
  close (listener);
  stop_and_finalize (endpoint);
}

static void
test_client_local_bind (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GSocketAddress) seen = NULL;
  g_autoptr(GError) error = NULL;
  guint16 local_port = sl_test_unused_port (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM);
  SlEndpoint *endpoint;
  SlLog *log;
  guint bind_position = 0, connect_position = 0;
  int listener, fd;

  listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  g_assert_no_errno (listener);
  g_assert_no_errno (listen (listener, 5));

  config = tcp_client_config (SL_FAMILY_IPV4, "127.0.0.1", sl_test_fd_local_port (listener));
  sl_endpoint_config_set_local_host (config, "127.0.0.1");
  sl_endpoint_config_set_local_port (config, local_port);
  endpoint = sl_endpoint_new (config, NULL);
  log = sl_endpoint_get_log (endpoint);
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sl_endpoint_get_local_port (endpoint), ==, local_port);

  g_assert_true (sl_test_wait_fd (listener, G_IO_IN, WAIT_MS));
  fd = accept4 (listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  g_assert_no_errno (fd);
  seen = sl_test_fd_remote_address (fd);
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (seen)), ==,
                    local_port);

  /* client.bind((...)) comes before client.connect((...)). */
  {
    g_autoptr(SlLogEntry) bind_row = sl_test_log_find (log, 0, SL_TEST_ANY_KIND, 0,
                                                       "client.bind((", NULL, 0,
                                                       &bind_position);
    g_autoptr(SlLogEntry) connect_row = sl_test_log_find (log, 0, SL_TEST_ANY_KIND,
                                                          SL_TEST_ANY_CONNECTION, "connect((",
                                                          NULL, 0, &connect_position);

    g_assert_nonnull (bind_row);
    g_assert_nonnull (connect_row);
    g_assert_cmpuint (bind_position, <, connect_position);
  }

  close (fd);
  close (listener);
  stop_and_finalize (endpoint);
}

static void
test_unix_path_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  SlEndpoint *first, *second;
  char buffer[8] = { 0 };
  int fd;

  g_assert_no_error (error);
  path = g_build_filename (dir, "busy.sock", NULL);
  config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_UNIX, path, 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_UPPER);
  first = sl_test_endpoint_new_started (config);

  second = sl_endpoint_new (config, NULL);
  g_assert_false (sl_test_endpoint_start (second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  row = sl_test_log_find (sl_endpoint_get_log (second), 0, SL_LOG_KIND_ERROR,
                          SL_TEST_ANY_CONNECTION, "bind(", NULL, EADDRINUSE, NULL);
  g_assert_nonnull (row);

  /* The failed server must not remove the running one's socket file. */
  stop_and_finalize (second);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  address = g_unix_socket_address_new (path);
  fd = sl_test_peer_connect (address, WAIT_MS);
  g_assert_no_errno (fd);
  g_assert_true (sl_test_peer_send_all (fd, "ok", 2, WAIT_MS));
  g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, 2, WAIT_MS), ==, 2);
  g_assert_cmpstr (buffer, ==, "OK");
  close (fd);

  stop_and_finalize (first);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  sl_test_remove_tmp_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tcp/server/port-zero", test_server_port_zero);
  g_test_add_func ("/tcp/server/trace-order", test_server_trace_order);
  g_test_add_func ("/tcp/server/trace-no-reuseaddr", test_server_trace_no_reuseaddr);
  g_test_add_func ("/tcp/server/accept-peer", test_server_accept_peer);
  g_test_add_func ("/tcp/client/connect", test_client_connect);
  g_test_add_func ("/tcp/reply/upper", test_reply_upper);
  g_test_add_func ("/tcp/reply/echo", test_reply_echo);
  g_test_add_func ("/tcp/reply/fixed", test_reply_fixed);
  g_test_add_func ("/tcp/reply/none", test_reply_none);
  g_test_add_func ("/tcp/server/many-clients", test_server_many_clients);
  g_test_add_func ("/tcp/server/max-clients", test_server_max_clients);
  g_test_add_func ("/tcp/server/bufsize-split", test_server_bufsize_split);
  g_test_add_func ("/tcp/peer/fin", test_peer_fin);
  g_test_add_func ("/tcp/peer/rst", test_peer_rst);
  g_test_add_func ("/tcp/connection/half-close", test_half_close);
  g_test_add_func ("/tcp/connection/reset", test_our_reset);
  g_test_add_func ("/tcp/connection/close", test_our_close);
  g_test_add_func ("/tcp/connection/send-after-peer-closed", test_send_after_peer_closed);
  g_test_add_func ("/tcp/client/refused", test_client_refused);
  g_test_add_func ("/tcp/client/connect-timeout", test_client_connect_timeout);
  g_test_add_func ("/tcp/server/addr-in-use", test_server_addr_in_use);
  g_test_add_func ("/tcp/server/time-wait", test_server_time_wait);
  g_test_add_func ("/tcp/ipv6", test_ipv6);
  g_test_add_func ("/tcp/unix", test_unix_stream);
  g_test_add_func ("/tcp/server/stop", test_server_stop);
  g_test_add_func ("/tcp/counters", test_counters);
  g_test_add_func ("/tcp/connection/sendall-large", test_sendall_large);
  g_test_add_func ("/tcp/server/restart", test_server_restart);
  g_test_add_func ("/tcp/server/unref-while-running", test_server_unref_while_running);
  g_test_add_func ("/tcp/server/invalid-config", test_server_invalid_config);
  g_test_add_func ("/tcp/server/send-to-all", test_server_send_to_all);
  g_test_add_func ("/tcp/shared-log", test_shared_log);
  g_test_add_func ("/tcp/client/localhost", test_client_localhost);
  g_test_add_func ("/tcp/client/local-bind", test_client_local_bind);
  g_test_add_func ("/tcp/unix-path-in-use", test_unix_path_in_use);

  return g_test_run ();
}
