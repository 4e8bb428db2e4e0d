/* test-interop-core.c — the core in-process against tutorial-style Python peers
 *
 * An SlEndpoint runs in this process; the peer is a Python program in the
 * style of the tutorials (tests/interop/peers/), run with GSubprocess. Every
 * wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gio/gio.h>

#include "sl-auth.h"
#include "sl-codec.h"
#include "sl-endpoint.h"
#include "sl-test-util.h"

#define WAIT_MS 20000

static char *
peer_path (const char *script)
{
  const char *dir = g_getenv ("SL_INTEROP_PEERS");

  if (dir != NULL)
    return g_build_filename (dir, script, NULL);
  return g_test_build_filename (G_TEST_DIST, "peers", script, NULL);
}

static GSubprocess *
spawn_peer (GSubprocessFlags   flags,
            const char        *script,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  const char *arg;
  va_list args;

  g_subprocess_launcher_setenv (launcher, "PYTHONIOENCODING", "utf-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "PYTHONDONTWRITEBYTECODE", "1", TRUE);
  g_ptr_array_add (argv, g_strdup ("/usr/bin/python3"));
  g_ptr_array_add (argv, peer_path (script));
  va_start (args, script);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Feeds @input to the peer's stdin and collects its stdout (bounded). */
static char *
communicate (GSubprocess *process,
             const char  *input)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gboolean ok;

  g_subprocess_communicate_utf8_async (process, input, NULL, sl_test_store_result_cb, &result);
  if (!sl_test_wait_for_result (&result, WAIT_MS))
    {
      g_subprocess_force_exit (process);
      g_error ("the Python peer did not finish within %d ms", WAIT_MS);
    }
  ok = g_subprocess_communicate_utf8_finish (process, result, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return g_steal_pointer (&out);
}

/* Reads the peer server's first line, "listening on HOST:PORT" (bounded). */
static guint16
read_listening_port (GSubprocess *process)
{
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *colon;
  guint64 port = 0;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL,
                                       sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  line = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on 127.0.0.1:"));

  colon = strrchr (line, ':');
  g_assert_true (g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL));
  return (guint16) port;
}

static void
wait_for_exit (GSubprocess *process)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_async (process, NULL, sl_test_store_result_cb, &result);
  if (!sl_test_wait_for_result (&result, WAIT_MS))
    {
      g_subprocess_force_exit (process);
      g_error ("the Python peer did not exit within %d ms", WAIT_MS);
    }
  g_subprocess_wait_check_finish (process, result, &error);
  g_assert_no_error (error);
}

static SlEndpoint *
start_endpoint (SlEndpointConfig *config)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint = sl_endpoint_new (config, NULL);

  sl_endpoint_start_async (endpoint, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
  g_assert_true (sl_endpoint_start_finish (endpoint, result, &error));
  g_assert_no_error (error);
  return endpoint;
}

static SlEndpointConfig *
config_new (SlProtocol   protocol,
            SlRole       role,
            guint16      port,
            SlReplyMode  reply)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_protocol (config, protocol);
  sl_endpoint_config_set_role (config, role);
  sl_endpoint_config_set_family (config, SL_FAMILY_IPV4);
  sl_endpoint_config_set_host (config, "127.0.0.1");
  sl_endpoint_config_set_port (config, port);
  sl_endpoint_config_set_reply_mode (config, reply);
  g_assert_true (sl_endpoint_config_validate (config, NULL, NULL));
  return config;
}

static void
stop_and_finalize (SlEndpoint *endpoint)
{
  sl_endpoint_stop (endpoint);
  /* Let the closed sources and finished tasks drop their references. */
  sl_test_run_for (50);
  g_assert_finalize_object (endpoint);
}

/* Collects what an in-process client receives. */
typedef struct
{
  GByteArray *data;
  guint       n_received;
} Received;

static void
received_cb (SlEndpoint   *endpoint,
             SlConnection *connection,
             GBytes       *bytes,
             gpointer      user_data)
{
  Received *received = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_byte_array_append (received->data, data, size);
  received->n_received++;
}

typedef struct
{
  Received *received;
  gsize     length;
} ReceivedGoal;

static gboolean
received_goal_reached (gpointer user_data)
{
  ReceivedGoal *goal = user_data;

  return goal->received->data->len >= goal->length;
}

static void
send_text (SlEndpoint *endpoint,
           const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_endpoint_send (endpoint, NULL, bytes, &error));
  g_assert_no_error (error);
}

/* Sends @text and waits (bounded) until @expected has arrived in total. */
static void
send_and_expect (SlEndpoint *endpoint,
                 Received   *received,
                 const char *text,
                 const char *expected_total)
{
  ReceivedGoal goal = { received, strlen (expected_total) };

  send_text (endpoint, text);
  g_assert_true (sl_test_wait_until (received_goal_reached, &goal, WAIT_MS));
  g_assert_cmpmem (received->data->data, received->data->len,
                   expected_total, strlen (expected_total));
}

/* The in-process uppercase server and tutorial 003's interactive client. */
static void
test_tcp_server_python_client (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, 0,
                                                   SL_REPLY_UPPER);
  g_autoptr(GSubprocess) client = NULL;
  g_autofree char *address = NULL;
  g_autofree char *out = NULL;
  SlEndpoint *server = start_endpoint (config);

  g_assert_cmpuint (sl_endpoint_get_local_port (server), >, 0);
  address = g_strdup_printf ("127.0.0.1:%u", sl_endpoint_get_local_port (server));
  client = spawn_peer (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                       "tcp_client.py", address, NULL);
  out = communicate (client, "hello\nsocket lab\n\nexit\n");

  g_assert_cmpstr (out, ==, "b'HELLO'\nb'SOCKET LAB'\nclient close\n");
  g_assert_cmpuint (sl_endpoint_get_messages_in (server), ==, 2);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server), ==, strlen ("hellosocket lab"));
  g_assert_cmpuint (sl_endpoint_get_bytes_out (server), ==, strlen ("HELLOSOCKET LAB"));

  stop_and_finalize (server);
}

/* Two tutorial clients one after another: the server keeps serving. */
static void
test_tcp_server_clients_in_turn (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, 0,
                                                   SL_REPLY_ECHO);
  g_autofree char *address = NULL;
  SlEndpoint *server = start_endpoint (config);

  address = g_strdup_printf ("127.0.0.1:%u", sl_endpoint_get_local_port (server));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSubprocess) client = NULL;
      g_autofree char *out = NULL;

      client = spawn_peer (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                           "tcp_client.py", address, NULL);
      out = communicate (client, i == 0 ? "first\n" : "second\n");
      g_assert_cmpstr (out, ==, i == 0 ? "b'first'\nclient close\n"
                                       : "b'second'\nclient close\n");
    }
  g_assert_cmpuint (sl_endpoint_get_messages_in (server), ==, 2);

  stop_and_finalize (server);
}

/* Tutorial 000's base64 client against an in-process echo server. */
static void
test_base64_client (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER, 0,
                                                   SL_REPLY_ECHO);
  g_autoptr(GSubprocess) client = NULL;
  g_autofree char *address = NULL;
  g_autofree char *out = NULL;
  SlEndpoint *server;

  sl_endpoint_config_set_encoding (config, SL_ENCODING_BASE64);
  server = start_endpoint (config);
  address = g_strdup_printf ("127.0.0.1:%u", sl_endpoint_get_local_port (server));
  client = spawn_peer (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                       "b64_client.py", address, NULL);
  out = communicate (client, "你好\n");

  g_assert_cmpstr (out, ==, "decoded: 你好\n");
  /* base64 of the UTF-8 of 你好 is 8 bytes: "5L2g5aW9". */
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server), ==, 8);

  stop_and_finalize (server);
}

/* Tutorial 003's uppercase server against an in-process client. */
static void
test_python_server_tcp_client (void)
{
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(SlEndpointConfig) config = NULL;
  Received received = { g_byte_array_new (), 0 };
  SlEndpoint *client;
  guint16 port;

  peer = spawn_peer (G_SUBPROCESS_FLAGS_STDOUT_PIPE, "tcp_upper_server.py", "127.0.0.1:0", "1",
                     NULL);
  port = read_listening_port (peer);

  config = config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, port, SL_REPLY_NONE);
  client = start_endpoint (config);
  g_assert_cmpint (sl_endpoint_get_state (client), ==, SL_ENDPOINT_STATE_CONNECTED);
  g_signal_connect (client, "received", G_CALLBACK (received_cb), &received);

  send_and_expect (client, &received, "abc", "ABC");
  send_and_expect (client, &received, "x y z", "ABCX Y Z");

  /* Our FIN ends the server's communication loop; it serves one client and exits. */
  g_signal_handlers_disconnect_by_data (client, &received);
  stop_and_finalize (client);
  wait_for_exit (peer);
  g_byte_array_unref (received.data);
}

/* The in-process UDP uppercase server and tutorial 003's UDP client. */
static void
test_udp_server_python_client (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_UDP, SL_ROLE_SERVER, 0,
                                                   SL_REPLY_UPPER);
  g_autoptr(GSubprocess) client = NULL;
  g_autofree char *address = NULL;
  g_autofree char *out = NULL;
  SlEndpoint *server = start_endpoint (config);

  address = g_strdup_printf ("127.0.0.1:%u", sl_endpoint_get_local_port (server));
  client = spawn_peer (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                       "udp_client.py", address, NULL);
  /* The empty line is a real, empty datagram: it arrives and is answered. */
  out = communicate (client, "ping\n\nudp\n");

  g_assert_cmpstr (out, ==, "b'PING'\nb''\nb'UDP'\n");
  g_assert_cmpuint (sl_endpoint_get_messages_in (server), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (server)), ==, 1);

  stop_and_finalize (server);
}

/* Tutorial 003's UDP uppercase server against an in-process UDP client. */
static void
test_python_udp_server_client (void)
{
  g_autoptr(GSubprocess) peer = NULL;
  g_autoptr(SlEndpointConfig) config = NULL;
  Received received = { g_byte_array_new (), 0 };
  SlEndpoint *client;
  guint16 port;

  peer = spawn_peer (G_SUBPROCESS_FLAGS_STDOUT_PIPE, "udp_upper_server.py", "127.0.0.1:0", "2",
                     NULL);
  port = read_listening_port (peer);

  config = config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT, port, SL_REPLY_NONE);
  client = start_endpoint (config);
  g_signal_connect (client, "received", G_CALLBACK (received_cb), &received);

  send_and_expect (client, &received, "datagram", "DATAGRAM");
  send_and_expect (client, &received, "two", "DATAGRAMTWO");
  g_assert_cmpuint (received.n_received, ==, 2);

  g_signal_handlers_disconnect_by_data (client, &received);
  stop_and_finalize (client);
  wait_for_exit (peer);
  g_byte_array_unref (received.data);
}

/* Link authentication (tutorial 003) against hmac_client.py / hmac_server.py. */

#define AUTH_SALT "SOCKET SERVER"

static SlEndpointConfig *
auth_config_new (SlRole      role,
                 guint16     port,
                 SlAuthMode  mode,
                 const char *salt)
{
  SlEndpointConfig *config = config_new (SL_PROTOCOL_TCP, role, port,
                                         role == SL_ROLE_SERVER ? SL_REPLY_UPPER : SL_REPLY_NONE);

  sl_endpoint_config_set_auth (config, mode);
  sl_endpoint_config_set_salt (config, salt);
  g_assert_true (sl_endpoint_config_validate (config, NULL, NULL));
  return config;
}

static void
run_python_client_vs_core_server (SlAuthMode mode)
{
  g_autoptr(SlEndpointConfig) config = auth_config_new (SL_ROLE_SERVER, 0, mode, AUTH_SALT);
  const char *digest = sl_auth_digest_name (mode);
  g_autofree char *address = NULL;
  SlEndpoint *server = start_endpoint (config);

  address = g_strdup_printf ("127.0.0.1:%u", sl_endpoint_get_local_port (server));

  /* The right salt, then a wrong one: the server keeps serving. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSubprocess) client = NULL;
      g_autofree char *out = NULL;

      client = spawn_peer (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                           "hmac_client.py", digest, i == 0 ? AUTH_SALT : "socket server",
                           address, NULL);
      out = communicate (client, "hello\nlab\n");
      g_assert_cmpstr (out, ==, i == 0 ? "digest sent\nHELLO\nLAB\n"
                                       : "digest sent\nserver closed\n");
    }

  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (server), SL_LOG_KIND_CALL,
                                       SL_TEST_ANY_CONNECTION,
                                       "hmac.compare_digest(digest, recvMsg)", "True", 0), ==, 1);
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (server), SL_LOG_KIND_ERROR,
                                       SL_TEST_ANY_CONNECTION, "verification fail", NULL, 0),
                    ==, 1);
  /* Only the authenticated client's two messages are messages. */
  g_assert_cmpuint (sl_endpoint_get_messages_in (server), ==, 2);
  stop_and_finalize (server);
}

static void
test_auth_python_client_sha256 (void)
{
  run_python_client_vs_core_server (SL_AUTH_MODE_HMAC_SHA256);
}

static void
test_auth_python_client_md5 (void)
{
  run_python_client_vs_core_server (SL_AUTH_MODE_HMAC_MD5);
}

static gboolean
endpoint_closed (gpointer data)
{
  return sl_endpoint_get_state (data) == SL_ENDPOINT_STATE_CLOSED;
}

static void
run_core_client_vs_python_server (SlAuthMode  mode,
                                  const char *salt)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GBytes) rest = NULL;
  gboolean right = g_str_equal (salt, AUTH_SALT);
  Received received = { g_byte_array_new (), 0 };
  SlEndpoint *client;
  guint16 port;
  gsize size;
  const char *text;

  server = spawn_peer (G_SUBPROCESS_FLAGS_STDOUT_PIPE, "hmac_server.py",
                       sl_auth_digest_name (mode), AUTH_SALT, "127.0.0.1:0", NULL);
  port = read_listening_port (server);
  config = auth_config_new (SL_ROLE_CLIENT, port, mode, salt);
  client = start_endpoint (config);
  g_signal_connect (client, "received", G_CALLBACK (received_cb), &received);

  if (right)
    {
      /* The tutorial's client sends json.dumps(text); the server echoes it. */
      send_and_expect (client, &received, "\"hello\"", "\"hello\"");
      send_and_expect (client, &received, "\"lab\"", "\"hello\"\"lab\"");
    }
  else
    {
      send_text (client, "\"hello\"");
      g_assert_true (sl_test_wait_until (endpoint_closed, client, WAIT_MS));
      g_assert_cmpuint (received.data->len, ==, 0);
    }

  sl_endpoint_stop (client);
  wait_for_exit (server);
  /* What the Python server printed after its first line (printed alone before
   * accept(), so read_listening_port() buffered nothing more). */
  rest = g_input_stream_read_bytes (g_subprocess_get_stdout_pipe (server), 4096, NULL, NULL);
  g_assert_nonnull (rest);
  text = g_bytes_get_data (rest, &size);
  if (right)
    g_assert_cmpmem (text, size, "verified\nreceived: hello\nreceived: lab\nclient close\n",
                     strlen ("verified\nreceived: hello\nreceived: lab\nclient close\n"));
  else
    g_assert_cmpmem (text, size, "verification fail\n", strlen ("verification fail\n"));

  g_byte_array_unref (received.data);
  stop_and_finalize (client);
}

static void
test_auth_python_server_sha256 (void)
{
  run_core_client_vs_python_server (SL_AUTH_MODE_HMAC_SHA256, AUTH_SALT);
}

static void
test_auth_python_server_md5 (void)
{
  run_core_client_vs_python_server (SL_AUTH_MODE_HMAC_MD5, AUTH_SALT);
}

static void
test_auth_python_server_wrong_salt (void)
{
  run_core_client_vs_python_server (SL_AUTH_MODE_HMAC_MD5, "socket server");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/bin/python3 is needed for the peers");
      g_test_add_func ("/interop/auth/python-client-sha256", test_auth_python_client_sha256);
  g_test_add_func ("/interop/auth/python-client-md5", test_auth_python_client_md5);
  g_test_add_func ("/interop/auth/python-server-sha256", test_auth_python_server_sha256);
  g_test_add_func ("/interop/auth/python-server-md5", test_auth_python_server_md5);
  g_test_add_func ("/interop/auth/python-server-wrong-salt", test_auth_python_server_wrong_salt);

  return g_test_run ();
    }

  g_test_add_func ("/interop/core/tcp-server/python-client", test_tcp_server_python_client);
  g_test_add_func ("/interop/core/tcp-server/clients-in-turn", test_tcp_server_clients_in_turn);
  g_test_add_func ("/interop/core/tcp-server/base64-client", test_base64_client);
  g_test_add_func ("/interop/core/tcp-client/python-server", test_python_server_tcp_client);
  g_test_add_func ("/interop/core/udp-server/python-client", test_udp_server_python_client);
  g_test_add_func ("/interop/core/udp-client/python-server", test_python_udp_server_client);

  g_test_add_func ("/interop/auth/python-client-sha256", test_auth_python_client_sha256);
  g_test_add_func ("/interop/auth/python-client-md5", test_auth_python_client_md5);
  g_test_add_func ("/interop/auth/python-server-sha256", test_auth_python_server_sha256);
  g_test_add_func ("/interop/auth/python-server-md5", test_auth_python_server_md5);
  g_test_add_func ("/interop/auth/python-server-wrong-salt", test_auth_python_server_wrong_salt);

  return g_test_run ();
}
