/* test-datagram.c — UDP and Unix datagram endpoints against raw peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sl-endpoint.h"
#include "sl-error.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

static SlEndpointConfig *
udp_config (SlRole       role,
            int          port,
            SlReplyMode  reply)
{
  SlEndpointConfig *config = sl_test_config_new (SL_PROTOCOL_UDP, role, SL_FAMILY_IPV4,
                                                 "127.0.0.1", port);

  sl_endpoint_config_set_reply_mode (config, reply);
  return config;
}

/* A raw UDP peer bound to 127.0.0.1 on a free port. */
static int
udp_peer (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  int fd = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);

  g_assert_no_errno (fd);
  return fd;
}

static guint16
address_port (GSocketAddress *address)
{
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

typedef struct
{
  SlEndpoint *endpoint;
  guint64     messages_in;
} MessagesWait;

static gboolean
messages_in_reached (gpointer data)
{
  MessagesWait *wait = data;

  return sl_endpoint_get_messages_in (wait->endpoint) >= wait->messages_in;
}

static void
wait_messages_in (SlEndpoint *endpoint,
                  guint64     messages_in)
{
  MessagesWait wait = { endpoint, messages_in };

  g_assert_true (sl_test_wait_until (messages_in_reached, &wait, WAIT_MS));
}

static void
stop_and_finalize (SlEndpoint *endpoint)
{
  sl_endpoint_stop (endpoint);
  sl_test_assert_finalize (endpoint, WAIT_MS);
}

/* Nothing arrives: no datagram waits on @fd after a moment. */
static void
assert_nothing_to_read_dgram (int fd)
{
  char buffer[16];
  gssize n;

  sl_test_run_for (100);
  n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
}

static gboolean
model_has_peer (GListModel *model,
                const char *peer)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SlConnection) connection = g_list_model_get_item (model, i);

      if (g_strcmp0 (sl_connection_get_peer (connection), peer) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_udp_server_two_peers (void)
{
  g_autoptr(SlEndpointConfig) config = udp_config (SL_ROLE_SERVER, 0, SL_REPLY_UPPER);
  g_autoptr(GSocketAddress) server_address = NULL;
  g_autofree char *peer_a = NULL;
  g_autofree char *peer_b = NULL;
  g_autoptr(SlLogEntry) bind_row = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  GListModel *model = sl_endpoint_get_connections (endpoint);
  int a = udp_peer ();
  int b = udp_peer ();

  g_assert_cmpuint (sl_endpoint_get_local_port (endpoint), !=, 0);
  server_address = g_object_ref (sl_endpoint_get_local_address (endpoint));
  bind_row = sl_test_log_find (sl_endpoint_get_log (endpoint), 0, SL_TEST_ANY_KIND, 0, "bind((",
                               NULL, 0, NULL);
  g_assert_nonnull (bind_row);
  /* A datagram server neither listens nor accepts. */
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (endpoint), SL_TEST_ANY_KIND,
                                       SL_TEST_ANY_CONNECTION, "listen(", NULL, 0), ==, 0);

  g_assert_cmpint (sl_test_peer_sendto (a, "from a", 6, server_address), ==, 6);
  g_assert_cmpint (sl_test_peer_sendto (b, "from b", 6, server_address), ==, 6);

  /* Each sender gets its own reply, from the server's port. */
  for (guint i = 0; i < 2; i++)
    {
      int fd = i == 0 ? a : b;
      const char *expected = i == 0 ? "FROM A" : "FROM B";
      g_autoptr(GSocketAddress) from = NULL;
      char buffer[16] = { 0 };
      gssize n;

      n = sl_test_peer_recvfrom (fd, buffer, sizeof buffer, &from, WAIT_MS);
      g_assert_cmpint (n, ==, 6);
      g_assert_cmpstr (buffer, ==, expected);
      g_assert_cmpuint (address_port (from), ==, sl_endpoint_get_local_port (endpoint));
    }

  /* Both peers are listed. */
  peer_a = g_strdup_printf ("('127.0.0.1', %u)", sl_test_fd_local_port (a));
  peer_b = g_strdup_printf ("('127.0.0.1', %u)", sl_test_fd_local_port (b));
  g_assert_true (sl_test_wait_n_items (model, 2, WAIT_MS));
  g_assert_true (model_has_peer (model, peer_a));
  g_assert_true (model_has_peer (model, peer_b));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SlConnection) connection = g_list_model_get_item (model, i);

      g_assert_true (sl_connection_is_datagram (connection));
      g_assert_cmpuint (sl_connection_get_messages_in (connection), ==, 1);
      g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 1);
      g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, 6);
    }

  /* A second datagram from a known peer adds no item. */
  g_assert_cmpint (sl_test_peer_sendto (a, "again", 5, server_address), ==, 5);
  {
    char buffer[16] = { 0 };

    g_assert_cmpint (sl_test_peer_recvfrom (a, buffer, sizeof buffer, NULL, WAIT_MS), ==, 5);
    g_assert_cmpstr (buffer, ==, "AGAIN");
  }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, 3);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 17);

  close (a);
  close (b);
  stop_and_finalize (endpoint);
}

static void
test_udp_client (void)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) ping = g_bytes_new_static ("ping", 4);
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_peer = NULL;
  SlEndpoint *endpoint;
  SlConnection *connection;
  char buffer[16] = { 0 };
  int server = udp_peer ();

  config = udp_config (SL_ROLE_CLIENT, sl_test_fd_local_port (server), SL_REPLY_NONE);
  endpoint = sl_endpoint_new (config, NULL);
  sl_test_collect_received (endpoint, received);
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);

  g_assert_true (sl_endpoint_send (endpoint, NULL, ping, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_peer_recvfrom (server, buffer, sizeof buffer, &from, WAIT_MS), ==, 4);
  g_assert_cmpstr (buffer, ==, "ping");
  /* If the client reads back its (auto)bound port, it is the sender's. */
  if (sl_endpoint_get_local_port (endpoint) != 0)
    g_assert_cmpuint (address_port (from), ==, sl_endpoint_get_local_port (endpoint));

  /* The reply to the sender's address reaches the client. */
  g_assert_cmpint (sl_test_peer_sendto (server, "pong", 4, from), ==, 4);
  g_assert_true (sl_test_wait_bytes (received, 4, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "pong", 4);

  connection = sl_endpoint_get_first_connection (endpoint);
  g_assert_nonnull (connection);
  g_assert_true (sl_connection_is_datagram (connection));
  expected_peer = g_strdup_printf ("('127.0.0.1', %u)", sl_test_fd_local_port (server));
  g_assert_cmpstr (sl_connection_get_peer (connection), ==, expected_peer);
  g_assert_cmpuint (sl_endpoint_get_messages_out (endpoint), ==, 1);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, 1);
  g_assert_cmpuint (sl_endpoint_get_bytes_out (endpoint), ==, 4);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 4);

  close (server);
  stop_and_finalize (endpoint);
}

static void
test_udp_empty_datagram (void)
{
  g_autoptr(SlEndpointConfig) config = udp_config (SL_ROLE_SERVER, 0, SL_REPLY_NONE);
  g_autoptr(SlLogEntry) in_row = NULL;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) from = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  char buffer[8];
  int fd = udp_peer ();

  /* b'' over UDP is a real datagram: the server's recvfrom() returns it. */
  g_assert_cmpint (sl_test_peer_sendto (fd, "", 0, sl_endpoint_get_local_address (endpoint)),
                   ==, 0);
  wait_messages_in (endpoint, 1);
  in_row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_LOG_KIND_DATA_IN,
                             SL_TEST_ANY_CONNECTION, NULL, NULL, 0, WAIT_MS);
  g_assert_nonnull (in_row);
  g_assert_cmpuint (sl_log_entry_get_size (in_row), ==, 0);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, 1);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 0);

  /* And the other way: the peer receives a datagram of length 0. */
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = g_list_model_get_item (sl_endpoint_get_connections (endpoint), 0);
  g_assert_true (sl_connection_send (connection, empty, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_peer_recvfrom (fd, buffer, sizeof buffer, &from, WAIT_MS), ==, 0);
  g_assert_nonnull (from);
  g_assert_cmpuint (address_port (from), ==, sl_endpoint_get_local_port (endpoint));
  g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 1);

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_tcp_empty_send (void)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) x = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) send_row = NULL;
  SlEndpoint *endpoint;
  char buffer[8];
  gssize n;
  int fd;

  config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_IPV4, "127.0.0.1", 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  endpoint = sl_test_endpoint_new_started (config);
  fd = sl_test_peer_connect_endpoint (endpoint);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  connection = g_list_model_get_item (sl_endpoint_get_connections (endpoint), 0);

  /* send(b'') over TCP is a real call that puts nothing on the wire. */
  g_assert_true (sl_connection_send (connection, empty, &error));
  g_assert_no_error (error);
  send_row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_TEST_ANY_KIND,
                               sl_connection_get_id (connection), "b''", NULL, 0, WAIT_MS);
  if (send_row == NULL)
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  g_assert_nonnull (send_row);
  sl_test_run_for (100);
  n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);

  /* The stream is intact: the next byte is the first the peer sees. */
  g_assert_true (sl_connection_send (connection, x, &error));
  g_assert_no_error (error);
  n = sl_test_peer_recv (fd, buffer, sizeof buffer, WAIT_MS);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (buffer[0], ==, 'x');

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_udp_bufsize_truncates (void)
{
  g_autoptr(SlEndpointConfig) config = udp_config (SL_ROLE_SERVER, 0, SL_REPLY_NONE);
  GSocketAddress *address;
  SlEndpoint *endpoint;
  SlLog *log;
  char big[100];
  guint position = 0;
  int fd = udp_peer ();

  for (guint i = 0; i < sizeof big; i++)
    big[i] = 'a' + i % 26;

  sl_endpoint_config_set_bufsize (config, 16);
  endpoint = sl_test_endpoint_new_started (config);
  log = sl_endpoint_get_log (endpoint);
  address = sl_endpoint_get_local_address (endpoint);

  /* recvfrom(16) of a 100-byte datagram returns its first 16 bytes and Linux
   * discards the other 84: a datagram is never split over two reads. */
  g_assert_cmpint (sl_test_peer_sendto (fd, big, sizeof big, address), ==, sizeof big);
  g_assert_cmpint (sl_test_peer_sendto (fd, "next", 4, address), ==, 4);
  wait_messages_in (endpoint, 2);

  {
    g_autoptr(SlLogEntry) first = sl_test_log_find (log, 0, SL_LOG_KIND_DATA_IN,
                                                    SL_TEST_ANY_CONNECTION, NULL, NULL, 0,
                                                    &position);
    g_autoptr(SlLogEntry) second = NULL;

    g_assert_nonnull (first);
    g_assert_cmpuint (sl_log_entry_get_size (first), ==, 16);
    g_assert_true (sl_test_entry_payload_is (first, big, 16));

    second = sl_test_log_find (log, position + 1, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION,
                               NULL, NULL, 0, NULL);
    g_assert_nonnull (second);
    g_assert_true (sl_test_entry_payload_is (second, "next", 4));
  }
  g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION, NULL,
                                       NULL, 0), ==, 2);
  g_assert_cmpuint (sl_endpoint_get_messages_in (endpoint), ==, 2);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (endpoint), ==, 20);

  close (fd);
  stop_and_finalize (endpoint);
}

static void
test_unix_datagram (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-test-XXXXXX", &error);
  g_autofree char *server_path = NULL;
  g_autofree char *peer_path = NULL;
  g_autofree char *raw_server_path = NULL;
  g_autoptr(SlEndpointConfig) server_config = NULL;
  g_autoptr(SlEndpointConfig) client_config = NULL;
  g_autoptr(GSocketAddress) server_address = NULL;
  g_autoptr(GSocketAddress) peer_address = NULL;
  g_autoptr(GSocketAddress) raw_server_address = NULL;
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) ping = g_bytes_new_static ("ping", 4);
  SlEndpoint *server, *client;
  char buffer[16] = { 0 };
  int peer, raw_server;

  g_assert_no_error (error);
  server_path = g_build_filename (dir, "server.sock", NULL);
  peer_path = g_build_filename (dir, "peer.sock", NULL);
  raw_server_path = g_build_filename (dir, "raw-server.sock", NULL);

  /* An SlEndpoint Unix datagram server and a bound raw peer. */
  server_config = sl_test_config_new (SL_PROTOCOL_UDP, SL_ROLE_SERVER, SL_FAMILY_UNIX,
                                      server_path, 0);
  sl_endpoint_config_set_reply_mode (server_config, SL_REPLY_UPPER);
  server = sl_test_endpoint_new_started (server_config);
  g_assert_true (g_file_test (server_path, G_FILE_TEST_EXISTS));

  server_address = g_unix_socket_address_new (server_path);
  peer_address = g_unix_socket_address_new (peer_path);
  peer = sl_test_peer_socket (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, peer_address);
  g_assert_no_errno (peer);
  g_assert_cmpint (sl_test_peer_sendto (peer, "hey", 3, server_address), ==, 3);
  g_assert_cmpint (sl_test_peer_recvfrom (peer, buffer, sizeof buffer, NULL, WAIT_MS), ==, 3);
  g_assert_cmpstr (buffer, ==, "HEY");
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));
  close (peer);

  /* An SlEndpoint Unix datagram client and a raw server: the client must be
   * bound (to a path or autobound) or the server could not answer it. */
  raw_server_address = g_unix_socket_address_new (raw_server_path);
  raw_server = sl_test_peer_socket (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM,
                                    raw_server_address);
  g_assert_no_errno (raw_server);

  client_config = sl_test_config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT, SL_FAMILY_UNIX,
                                      raw_server_path, 0);
  sl_endpoint_config_set_reply_mode (client_config, SL_REPLY_NONE);
  client = sl_endpoint_new (client_config, NULL);
  sl_test_collect_received (client, received);
  g_assert_true (sl_test_endpoint_start (client, &error));
  g_assert_no_error (error);

  g_assert_true (sl_endpoint_send (client, NULL, ping, &error));
  g_assert_no_error (error);
  memset (buffer, 0, sizeof buffer);
  g_assert_cmpint (sl_test_peer_recvfrom (raw_server, buffer, sizeof buffer, &from, WAIT_MS),
                   ==, 4);
  g_assert_cmpstr (buffer, ==, "ping");
  g_assert_nonnull (from);
  g_assert_cmpint (sl_test_peer_sendto (raw_server, "pong", 4, from), ==, 4);
  g_assert_true (sl_test_wait_bytes (received, 4, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "pong", 4);

  /* The client and the SlEndpoint server talk to each other too. */
  stop_and_finalize (client);
  g_byte_array_set_size (received, 0);
  g_clear_object (&client_config);
  client_config = sl_test_config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT, SL_FAMILY_UNIX,
                                      server_path, 0);
  sl_endpoint_config_set_reply_mode (client_config, SL_REPLY_NONE);
  client = sl_endpoint_new (client_config, NULL);
  sl_test_collect_received (client, received);
  g_assert_true (sl_test_endpoint_start (client, &error));
  g_assert_no_error (error);
  g_assert_true (sl_endpoint_send (client, NULL, ping, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_bytes (received, 4, WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "PING", 4);

  stop_and_finalize (client);
  stop_and_finalize (server);
  g_assert_false (g_file_test (server_path, G_FILE_TEST_EXISTS));

  close (raw_server);
  sl_test_remove_tmp_dir (dir);
}

static void
test_udp_nobody_listening (void)
{
  guint16 port = sl_test_unused_port (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM);
  g_autoptr(SlEndpointConfig) config = udp_config (SL_ROLE_CLIENT, port, SL_REPLY_NONE);
  g_autoptr(GBytes) data = g_bytes_new_static ("anyone?", 7);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) out_row = NULL;
  SlEndpoint *endpoint;
  SlLog *log;

  endpoint = sl_endpoint_new (config, NULL);
  log = sl_endpoint_get_log (endpoint);
  /* UDP has no handshake: starting a client succeeds with nobody there. */
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);

  g_assert_true (sl_endpoint_send (endpoint, NULL, data, &error));
  g_assert_no_error (error);
  out_row = sl_test_wait_log (log, SL_LOG_KIND_DATA_OUT, SL_TEST_ANY_CONNECTION, NULL, NULL, 0,
                              WAIT_MS);
  g_assert_nonnull (out_row);
  g_assert_true (sl_test_entry_payload_is (out_row, "anyone?", 7));

  /* The kernel answers with ICMP port unreachable. A connected UDP socket
   * sees it as ECONNREFUSED on its next call; an unconnected one never does.
   * Either way: no crash, and any error row names ECONNREFUSED. */
  sl_test_run_for (300);
  {
    g_autoptr(GError) again_error = NULL;

    if (!sl_endpoint_send (endpoint, NULL, data, &again_error))
      g_assert_true (g_error_matches (again_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
                     g_error_matches (again_error, SL_ERROR, SL_ERROR_NOT_CONNECTED));
  }
  sl_test_run_for (100);

  sl_log_flush (log);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (sl_log_entry_get_kind (entry) == SL_LOG_KIND_ERROR)
        g_assert_cmpstr (sl_log_entry_get_error_name (entry), ==, "ECONNREFUSED");
    }
  g_test_message ("ECONNREFUSED rows: %u",
                  sl_test_log_count (log, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, NULL, NULL,
                                     ECONNREFUSED));

  stop_and_finalize (endpoint);
}

static void
test_udp_forget_peer (void)
{
  g_autoptr(SlEndpointConfig) config = udp_config (SL_ROLE_SERVER, 0, SL_REPLY_ECHO);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint = sl_test_endpoint_new_started (config);
  GListModel *model = sl_endpoint_get_connections (endpoint);
  GSocketAddress *address = sl_endpoint_get_local_address (endpoint);
  char buffer[8] = { 0 };
  int fd = udp_peer ();

  g_assert_cmpint (sl_test_peer_sendto (fd, "one", 3, address), ==, 3);
  g_assert_cmpint (sl_test_peer_recvfrom (fd, buffer, sizeof buffer, NULL, WAIT_MS), ==, 3);
  g_assert_true (sl_test_wait_n_items (model, 1, WAIT_MS));
  connection = g_list_model_get_item (model, 0);

  /* UDP has nothing to shut down or reset. */
  g_assert_false (sl_connection_shutdown_write (connection, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_false (sl_connection_reset (connection, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_clear_error (&error);

  /* Closing a peer forgets it (nothing goes on the wire); the socket stays. */
  g_assert_true (sl_connection_close (connection, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_n_items (model, 0, WAIT_MS));
  assert_nothing_to_read_dgram (fd);

  /* Its next datagram lists it again, and it still gets replies. */
  g_assert_cmpint (sl_test_peer_sendto (fd, "two", 3, address), ==, 3);
  memset (buffer, 0, sizeof buffer);
  g_assert_cmpint (sl_test_peer_recvfrom (fd, buffer, sizeof buffer, NULL, WAIT_MS), ==, 3);
  g_assert_cmpstr (buffer, ==, "two");
  g_assert_true (sl_test_wait_n_items (model, 1, WAIT_MS));

  close (fd);
  g_clear_object (&connection);
  stop_and_finalize (endpoint);
}

static void
test_udp_too_big (void)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(GBytes) small = g_bytes_new_static ("small", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  SlEndpoint *endpoint;
  char buffer[16] = { 0 };
  int server = udp_peer ();

  huge = g_bytes_new_take (g_malloc0 (70000), 70000);
  config = udp_config (SL_ROLE_CLIENT, sl_test_fd_local_port (server), SL_REPLY_NONE);
  endpoint = sl_endpoint_new (config, NULL);
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);

  /* 70000 bytes exceed the 65507 a UDP/IPv4 datagram can carry: EMSGSIZE,
   * the datagram is dropped, and the endpoint carries on. */
  sl_endpoint_send (endpoint, NULL, huge, NULL);
  row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_LOG_KIND_ERROR,
                          SL_TEST_ANY_CONNECTION, NULL, NULL, EMSGSIZE, WAIT_MS);
  if (row == NULL)
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  g_assert_nonnull (row);
  g_assert_cmpstr (sl_log_entry_get_error_name (row), ==, "EMSGSIZE");

  g_assert_true (sl_endpoint_send (endpoint, NULL, small, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_test_peer_recvfrom (server, buffer, sizeof buffer, NULL, WAIT_MS), ==, 5);
  g_assert_cmpstr (buffer, ==, "small");
  g_assert_cmpuint (sl_endpoint_get_bytes_out (endpoint), ==, 5);

  close (server);
  stop_and_finalize (endpoint);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/datagram/udp/server-two-peers", test_udp_server_two_peers);
  g_test_add_func ("/datagram/udp/client", test_udp_client);
  g_test_add_func ("/datagram/udp/empty-datagram", test_udp_empty_datagram);
  g_test_add_func ("/datagram/tcp/empty-send", test_tcp_empty_send);
  g_test_add_func ("/datagram/udp/bufsize-truncates", test_udp_bufsize_truncates);
  g_test_add_func ("/datagram/unix", test_unix_datagram);
  g_test_add_func ("/datagram/udp/nobody-listening", test_udp_nobody_listening);
  g_test_add_func ("/datagram/udp/forget-peer", test_udp_forget_peer);
  g_test_add_func ("/datagram/udp/too-big", test_udp_too_big);

  return g_test_run ();
}
