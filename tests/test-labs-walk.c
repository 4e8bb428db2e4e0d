/* test-labs-walk.c — every built-in lab walked on real loopback sockets
 *
 * For each lab of data/labs/ the test does with SlEndpoints what a student
 * does in the app (start servers and clients, send, close, reset, call
 * accept() and recv() in the manual modes) and asserts that every step ticks,
 * in order, and that the lab completes. Where it is cheap, a wrong action
 * first (an echo server instead of an uppercase one, a FIN instead of an RST,
 * a word that is not the quit word) is shown not to tick the step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-codec.h"
#include "sl-endpoint.h"
#include "sl-error.h"
#include "sl-lab.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

typedef struct
{
  SlLab      *lab;
  GListStore *endpoints;
  SlLabRun   *run;
  GArray     *completed; /* guint: ::step-completed indexes, in order */
} Walk;

static void
step_completed_cb (SlLabRun *run,
                   guint     index,
                   Walk     *walk)
{
  g_array_append_val (walk->completed, index);
}

static Walk *
walk_new (const char *file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "labs", file, NULL);
  g_autoptr(GError) error = NULL;
  Walk *walk = g_new0 (Walk, 1);

  walk->lab = sl_lab_new_from_file (path, &error);
  g_assert_no_error (error);
  walk->endpoints = g_list_store_new (SL_TYPE_ENDPOINT);
  walk->run = sl_lab_run_new (walk->lab, G_LIST_MODEL (walk->endpoints));
  walk->completed = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (walk->run, "step-completed", G_CALLBACK (step_completed_cb), walk);
  return walk;
}

static void
walk_free (Walk *walk)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (walk->endpoints));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (walk->endpoints), i);

      sl_endpoint_stop (endpoint);
    }
  sl_test_run_for (50);
  g_list_store_remove_all (walk->endpoints);
  g_signal_handlers_disconnect_by_data (walk->run, walk);
  g_assert_finalize_object (walk->run);
  g_object_unref (walk->endpoints);
  sl_lab_unref (walk->lab);
  g_array_unref (walk->completed);
  g_free (walk);
}

static void
dump (Walk *walk)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (walk->endpoints));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (walk->endpoints), i);

      g_test_message ("— endpoint %u", sl_endpoint_get_id (endpoint));
      sl_test_log_dump (sl_endpoint_get_log (endpoint));
    }
}

typedef struct
{
  SlLabRun *run;
  guint     step;
} StepWait;

static gboolean
reached (gpointer data)
{
  StepWait *wait = data;

  return sl_lab_run_get_current_step (wait->run) >= wait->step;
}

/* Waits until @n steps are done and checks they ticked in order. */
static void
walk_expect (Walk  *walk,
             guint  n)
{
  StepWait wait = { walk->run, n };

  if (!sl_test_wait_until (reached, &wait, WAIT_MS))
    dump (walk);
  g_assert_cmpuint (sl_lab_run_get_current_step (walk->run), ==, n);
  g_assert_cmpuint (walk->completed->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (g_array_index (walk->completed, guint, i), ==, i);
      g_assert_true (sl_lab_run_is_step_done (walk->run, i));
    }
  g_assert_false (sl_lab_run_is_step_done (walk->run, n));
  g_assert_cmpint (sl_lab_run_get_completed (walk->run), ==,
                   n == sl_lab_get_n_steps (walk->lab));
}

/* A wrong action: the current step must not tick. */
static void
walk_expect_stays (Walk  *walk,
                   guint  n)
{
  sl_test_run_for (300);
  if (sl_lab_run_get_current_step (walk->run) != n)
    dump (walk);
  g_assert_cmpuint (sl_lab_run_get_current_step (walk->run), ==, n);
}

static SlEndpoint *
walk_add (Walk             *walk,
          SlEndpointConfig *config)
{
  g_autoptr(SlEndpoint) endpoint = sl_endpoint_new (config, NULL);

  g_list_store_append (walk->endpoints, endpoint);
  return endpoint; /* the store holds it */
}

static SlEndpoint *
walk_start (Walk             *walk,
            SlEndpointConfig *config)
{
  SlEndpoint *endpoint = walk_add (walk, config);
  g_autoptr(GError) error = NULL;

  if (!sl_test_endpoint_start (endpoint, &error))
    dump (walk);
  g_assert_no_error (error);
  return endpoint;
}

static SlEndpointConfig *
server_config (SlProtocol  protocol,
               SlReplyMode reply,
               int         port)
{
  SlEndpointConfig *config = sl_test_config_new (protocol, SL_ROLE_SERVER, SL_FAMILY_IPV4,
                                                 "127.0.0.1", port);

  sl_endpoint_config_set_reply_mode (config, reply);
  return config;
}

/* A client as a student makes it: it does not answer by itself. */
static SlEndpointConfig *
client_config (SlProtocol protocol,
               int        port)
{
  SlEndpointConfig *config = sl_test_config_new (protocol, SL_ROLE_CLIENT, SL_FAMILY_IPV4,
                                                 "127.0.0.1", port);

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  return config;
}

static SlEndpoint *
start_client_of (Walk       *walk,
                 SlEndpoint *server,
                 SlProtocol  protocol)
{
  g_autoptr(SlEndpointConfig) config = client_config (protocol,
                                                      sl_endpoint_get_local_port (server));

  return walk_start (walk, config);
}

static void
send_text (SlEndpoint   *endpoint,
           SlConnection *connection,
           const char   *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  sl_endpoint_send (endpoint, connection, bytes, &error);
  g_assert_no_error (error);
}

static gboolean
has_connection (gpointer data)
{
  return g_list_model_get_n_items (sl_endpoint_get_connections (data)) > 0;
}

static void
wait_connection (SlEndpoint *endpoint)
{
  g_assert_true (sl_test_wait_until (has_connection, endpoint, WAIT_MS));
}

static SlConnection *
first_connection (SlEndpoint *endpoint)
{
  wait_connection (endpoint);
  return sl_endpoint_get_first_connection (endpoint);
}

/* Manual accept() in a blocking or timeout mode: the result, or NULL with @error. */
static SlConnection *
manual_accept (SlEndpoint  *server,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sl_endpoint_accept_async (server, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  return sl_endpoint_accept_finish (server, result, error);
}

/* Non-blocking accept(): tried until the kernel has the connection (bounded). */
static SlConnection *
nonblocking_accept (SlEndpoint *server)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GError) error = NULL;
      SlConnection *connection = manual_accept (server, &error);

      if (connection != NULL)
        return connection;
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      sl_test_run_for (20);
    }
  g_assert_not_reached ();
}

static GBytes *
manual_recv (SlConnection  *connection,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sl_connection_recv_async (connection, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  return sl_connection_recv_finish (connection, result, error);
}

/* ---- the labs ------------------------------------------------------------ */

static void
test_lab_01 (void)
{
  Walk *walk = walk_new ("01-first-tcp.lab");
  g_autoptr(SlEndpointConfig) upper = server_config (SL_PROTOCOL_TCP, SL_REPLY_UPPER, 0);
  g_autoptr(SlEndpointConfig) echo = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO, 0);
  g_autoptr(GByteArray) got = g_byte_array_new ();
  SlEndpoint *server, *echo_server, *client;

  g_assert_cmpuint (sl_lab_get_n_steps (walk->lab), ==, 4);
  walk_expect (walk, 0);

  server = walk_start (walk, upper);
  walk_expect (walk, 1);

  /* Wrong: the client talks to an echo server; the reply is not upper case. */
  echo_server = walk_start (walk, echo);
  client = start_client_of (walk, echo_server, SL_PROTOCOL_TCP);
  walk_expect (walk, 2);
  sl_test_collect_received (client, got);
  send_text (client, NULL, "hello");
  walk_expect (walk, 3);
  g_assert_true (sl_test_wait_bytes (got, 5, WAIT_MS));
  walk_expect_stays (walk, 3);

  /* Right: a client of the uppercase server sends the same text. */
  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  send_text (client, NULL, "hello");
  walk_expect (walk, 4);

  walk_free (walk);
}

static void
test_lab_02 (void)
{
  Walk *walk = walk_new ("02-connection-loop.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_UPPER, 0);
  SlEndpoint *server, *a, *b;

  server = walk_start (walk, config);
  walk_expect (walk, 1);

  a = start_client_of (walk, server, SL_PROTOCOL_TCP);
  send_text (a, NULL, "first");
  walk_expect (walk, 2);

  /* Still talking: no FIN yet. */
  send_text (a, NULL, "more");
  walk_expect_stays (walk, 2);

  sl_endpoint_stop (a);
  walk_expect (walk, 3);

  b = start_client_of (walk, server, SL_PROTOCOL_TCP);
  send_text (b, NULL, "second");
  walk_expect (walk, 4);

  start_client_of (walk, server, SL_PROTOCOL_TCP);
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_03 (void)
{
  Walk *walk = walk_new ("03-udp.lab");
  guint16 port = sl_test_unused_port (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM);
  g_autoptr(SlEndpointConfig) udp_client = client_config (SL_PROTOCOL_UDP, port);
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_UDP, SL_REPLY_UPPER, port);
  SlEndpoint *client, *other;

  client = walk_start (walk, udp_client);
  send_text (client, NULL, "nobody listens");
  walk_expect (walk, 1);

  walk_start (walk, config);
  walk_expect (walk, 2);

  send_text (client, NULL, "hello");
  walk_expect (walk, 4);

  other = walk_start (walk, udp_client);
  send_text (other, NULL, "me too");
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_04 (void)
{
  Walk *walk = walk_new ("04-empty-message.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) udp = server_config (SL_PROTOCOL_UDP, SL_REPLY_NONE, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *server, *client, *udp_server, *udp_client;
  g_autoptr(SlConnection) connection = NULL;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  server = walk_start (walk, config);
  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  connection = manual_accept (server, &error);
  g_assert_no_error (error);
  walk_expect_stays (walk, 0);

  sl_connection_recv_async (connection, NULL, sl_test_store_result_cb, &result);
  walk_expect (walk, 1);

  sl_endpoint_send (client, NULL, empty, &error);
  g_assert_no_error (error);
  walk_expect (walk, 3);
  g_assert_null (result);

  send_text (client, NULL, "hi");
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  bytes = sl_connection_recv_finish (connection, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 2);
  walk_expect (walk, 4);

  udp_server = walk_start (walk, udp);
  udp_client = start_client_of (walk, udp_server, SL_PROTOCOL_UDP);
  sl_endpoint_send (udp_client, NULL, empty, &error);
  g_assert_no_error (error);
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_05 (void)
{
  Walk *walk = walk_new ("05-rst-fin.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_UPPER, 0);
  g_autoptr(GError) error = NULL;
  SlEndpoint *server, *first, *second, *third;

  server = walk_start (walk, config);
  walk_expect (walk, 1);

  first = start_client_of (walk, server, SL_PROTOCOL_TCP);
  second = start_client_of (walk, server, SL_PROTOCOL_TCP);
  third = start_client_of (walk, server, SL_PROTOCOL_TCP);
  walk_expect (walk, 2);

  /* Wrong: a normal close (FIN) is not a reset. */
  sl_connection_close (first_connection (third), &error);
  g_assert_no_error (error);
  walk_expect_stays (walk, 2);

  sl_connection_reset (first_connection (first), &error);
  g_assert_no_error (error);
  walk_expect (walk, 3);

  sl_connection_close (first_connection (second), &error);
  g_assert_no_error (error);
  walk_expect (walk, 5);
  g_assert_cmpint (sl_endpoint_get_state (server), ==, SL_ENDPOINT_STATE_LISTENING);

  walk_free (walk);
}

static gboolean
has_no_connection (gpointer data)
{
  return g_list_model_get_n_items (sl_endpoint_get_connections (data)) == 0;
}

static void
test_lab_06 (void)
{
  Walk *walk = walk_new ("06-port-in-use.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) same = NULL;
  g_autoptr(SlEndpointConfig) reuse = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *first, *second, *server, *client, *again;
  guint16 port;

  first = walk_start (walk, config);
  port = sl_endpoint_get_local_port (first);
  walk_expect (walk, 1);

  /* A real conflict on the port the kernel gave the first server. */
  same = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, port);
  second = walk_add (walk, same);
  g_assert_false (sl_test_endpoint_start (second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  walk_expect (walk, 2);

  sl_endpoint_stop (second);
  sl_endpoint_stop (first);
  reuse = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, port);
  sl_endpoint_config_set_reuseaddr (reuse, TRUE);
  server = walk_start (walk, reuse);
  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  wait_connection (server);
  wait_connection (client);
  /* The server closes first: its side ends in TIME_WAIT once the client closes too. */
  sl_endpoint_stop (server);
  g_assert_true (sl_test_wait_until (has_no_connection, client, WAIT_MS));
  walk_expect (walk, 3);

  again = walk_add (walk, same);
  g_assert_false (sl_test_endpoint_start (again, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  walk_expect (walk, 4);

  walk_start (walk, reuse);
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_07 (void)
{
  Walk *walk = walk_new ("07-io-modes.lab");
  g_autoptr(SlEndpointConfig) blocking = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) nonblocking = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) timeout = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlConnection) second = NULL;
  g_autoptr(SlConnection) third = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *server;

  sl_endpoint_config_set_io_mode (blocking, SL_IO_MODE_BLOCKING);
  sl_endpoint_config_set_io_mode (nonblocking, SL_IO_MODE_NONBLOCKING);
  sl_endpoint_config_set_io_mode (timeout, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (timeout, 0.2);

  /* accept() waits in a worker thread until the client comes. */
  server = walk_start (walk, blocking);
  sl_endpoint_accept_async (server, NULL, sl_test_store_result_cb, &result);
  walk_expect_stays (walk, 0);
  start_client_of (walk, server, SL_PROTOCOL_TCP);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  connection = sl_endpoint_accept_finish (server, result, &error);
  g_assert_no_error (error);
  walk_expect (walk, 1);

  server = walk_start (walk, nonblocking);
  g_assert_null (manual_accept (server, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  walk_expect (walk, 2);

  /* Wrong: a recv() that raises EAGAIN too early (step 3 is the timeout accept()). */
  start_client_of (walk, server, SL_PROTOCOL_TCP);
  second = g_object_ref (nonblocking_accept (server));
  g_assert_null (manual_recv (second, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  walk_expect_stays (walk, 2);

  server = walk_start (walk, timeout);
  g_assert_null (manual_accept (server, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);
  walk_expect (walk, 3);

  bytes = manual_recv (second, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  walk_expect (walk, 4);

  start_client_of (walk, server, SL_PROTOCOL_TCP);
  third = manual_accept (server, &error);
  g_assert_no_error (error);
  g_assert_null (manual_recv (third, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_08 (void)
{
  Walk *walk = walk_new ("08-base64.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) base64_client = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *server, *client, *text_client;

  sl_endpoint_config_set_encoding (config, SL_ENCODING_BASE64);
  server = walk_start (walk, config);
  walk_expect (walk, 1);

  /* Wrong: a text client is not a base64 client. */
  text_client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  walk_expect_stays (walk, 1);
  sl_endpoint_stop (text_client);

  base64_client = client_config (SL_PROTOCOL_TCP, sl_endpoint_get_local_port (server));
  sl_endpoint_config_set_encoding (base64_client, SL_ENCODING_BASE64);
  client = walk_start (walk, base64_client);
  walk_expect (walk, 2);

  message = sl_codec_encode (SL_ENCODING_BASE64, "你好, base64", &error);
  g_assert_no_error (error);
  sl_endpoint_send (client, NULL, message, &error);
  g_assert_no_error (error);
  walk_expect (walk, 4);

  answer = sl_codec_encode (SL_ENCODING_BASE64, "收到", &error);
  g_assert_no_error (error);
  sl_endpoint_send (server, first_connection (server), answer, &error);
  g_assert_no_error (error);
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_09 (void)
{
  Walk *walk = walk_new ("09-hmac.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_UPPER, 0);
  g_autoptr(SlEndpointConfig) good = NULL;
  g_autoptr(SlEndpointConfig) bad = NULL;
  SlEndpoint *server, *client;

  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_SHA256);
  sl_endpoint_config_set_salt (config, "secret");
  server = walk_start (walk, config);
  walk_expect (walk, 1);

  good = client_config (SL_PROTOCOL_TCP, sl_endpoint_get_local_port (server));
  sl_endpoint_config_set_auth (good, SL_AUTH_MODE_HMAC_SHA256);
  sl_endpoint_config_set_salt (good, "secret");
  client = walk_start (walk, good);
  walk_expect (walk, 2);

  send_text (client, NULL, "hello");
  walk_expect (walk, 3);

  bad = sl_endpoint_config_copy (good);
  sl_endpoint_config_set_salt (bad, "wrong");
  walk_start (walk, bad);
  walk_expect (walk, 5);

  walk_free (walk);
}

static void
test_lab_10 (void)
{
  Walk *walk = walk_new ("10-byte-stream.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) tiny = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *server, *client;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  server = walk_start (walk, config);
  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  connection = manual_accept (server, &error);
  g_assert_no_error (error);
  walk_expect (walk, 1);

  send_text (client, NULL, "hello");
  walk_expect_stays (walk, 1);
  send_text (client, NULL, "world");
  walk_expect (walk, 2);

  sl_test_run_for (50);
  bytes = manual_recv (connection, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "helloworld", 10);
  walk_expect (walk, 3);

  sl_endpoint_config_set_bufsize (tiny, 4);
  server = walk_start (walk, tiny);
  walk_expect (walk, 4);

  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  send_text (client, NULL, "hello world");
  walk_expect (walk, 6);

  walk_free (walk);
}

static gboolean
queue_at_least_3 (gpointer data)
{
  return sl_endpoint_get_accept_queue (data) >= 3;
}

static void
test_lab_11 (void)
{
  Walk *walk = walk_new ("11-backlog.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *server;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  sl_endpoint_config_set_backlog (config, 2);
  server = walk_start (walk, config);
  walk_expect (walk, 1);

  start_client_of (walk, server, SL_PROTOCOL_TCP);
  start_client_of (walk, server, SL_PROTOCOL_TCP);
  walk_expect (walk, 2);

  start_client_of (walk, server, SL_PROTOCOL_TCP);
  g_assert_true (sl_test_wait_until (queue_at_least_3, server, WAIT_MS));
  walk_expect (walk, 3);

  connection = manual_accept (server, &error);
  g_assert_no_error (error);
  walk_expect (walk, 4);

  walk_free (walk);
}

static void
test_lab_12 (void)
{
  Walk *walk = walk_new ("12-chat.lab");
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(GError) error = NULL;
  SlEndpoint *server, *client;

  server = walk_start (walk, config);
  walk_expect (walk, 1);
  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  walk_expect (walk, 2);

  send_text (client, NULL, "hello");
  walk_expect (walk, 3);
  send_text (server, first_connection (server), "hi, how are you?");
  walk_expect (walk, 4);

  /* Wrong: not the quit word. */
  send_text (client, NULL, "quiet please");
  walk_expect_stays (walk, 4);

  send_text (client, NULL, "q");
  walk_expect (walk, 5);

  sl_connection_close (first_connection (client), &error);
  g_assert_no_error (error);
  walk_expect (walk, 6);

  walk_free (walk);
}

/* The four-way close: the server must not close by itself, then each side's
 * close() walks the kernel through FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT. */
static void
test_lab_13 (void)
{
  Walk *walk = walk_new ("13-four-way-close.lab");
  g_autoptr(SlEndpointConfig) closing = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE, 0);
  g_autoptr(GError) error = NULL;
  SlEndpoint *server, *client;

  /* The tutorials' server closes when its peer does: not this lab's first step. */
  server = walk_start (walk, closing);
  walk_expect_stays (walk, 0);
  sl_endpoint_stop (server);

  sl_endpoint_config_set_close_on_eof (config, FALSE);
  server = walk_start (walk, config);
  walk_expect (walk, 1);

  client = start_client_of (walk, server, SL_PROTOCOL_TCP);
  wait_connection (server);
  wait_connection (client);
  walk_expect (walk, 2);

  /* The client closes first: FIN_WAIT on its side, CLOSE_WAIT on the server's. */
  g_assert_true (sl_connection_close (sl_endpoint_get_first_connection (client), &error));
  g_assert_no_error (error);
  walk_expect (walk, 4);

  /* The server closes its end: LAST_ACK, and the client waits in TIME_WAIT. */
  g_assert_true (sl_connection_close (sl_endpoint_get_first_connection (server), &error));
  g_assert_no_error (error);
  walk_expect (walk, 6);

  walk_free (walk);
}

/* Every file in data/labs/ is walked above. */
static void
test_all_walked (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "labs", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".lab"))
      n++;
  g_assert_cmpuint (n, ==, 13);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/labs-walk/all-walked", test_all_walked);
  g_test_add_func ("/labs-walk/01-first-tcp", test_lab_01);
  g_test_add_func ("/labs-walk/02-connection-loop", test_lab_02);
  g_test_add_func ("/labs-walk/03-udp", test_lab_03);
  g_test_add_func ("/labs-walk/04-empty-message", test_lab_04);
  g_test_add_func ("/labs-walk/05-rst-fin", test_lab_05);
  g_test_add_func ("/labs-walk/06-port-in-use", test_lab_06);
  g_test_add_func ("/labs-walk/07-io-modes", test_lab_07);
  g_test_add_func ("/labs-walk/08-base64", test_lab_08);
  g_test_add_func ("/labs-walk/09-hmac", test_lab_09);
  g_test_add_func ("/labs-walk/10-byte-stream", test_lab_10);
  g_test_add_func ("/labs-walk/11-backlog", test_lab_11);
  g_test_add_func ("/labs-walk/12-chat", test_lab_12);
  g_test_add_func ("/labs-walk/13-four-way-close", test_lab_13);

  return g_test_run ();
}
