/* test-repeat-send.c — repeated sends to raw peers on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "sl-error.h"
#include "sl-repeat-send.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

typedef struct
{
  guint  n_stopped;
  char  *reason;
} Stopped;

static void
stopped_cb (SlRepeatSend *repeat,
            const char   *reason,
            Stopped      *stopped)
{
  stopped->n_stopped++;
  g_free (stopped->reason);
  stopped->reason = g_strdup (reason);
}

static gboolean
has_stopped (gpointer data)
{
  return ((Stopped *) data)->n_stopped > 0;
}

static gboolean
sent_at_least_3 (gpointer data)
{
  return sl_repeat_send_get_n_sent (data) >= 3;
}

/* A TCP server (no auto reply) with one raw peer connected; returns the
 * server-side connection. */
static SlEndpoint *
server_with_peer (int           *peer,
                  SlConnection **connection)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);
  SlEndpoint *server;

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  server = sl_test_endpoint_new_started (config);
  *peer = sl_test_peer_connect_endpoint (server);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));
  *connection = g_list_model_get_item (sl_endpoint_get_connections (server), 0);
  return server;
}

/* Reads from @fd until @expected arrived (bounded), then checks nothing more comes. */
static void
assert_peer_reads_exactly (int         fd,
                           const char *expected)
{
  gsize len = strlen (expected);
  g_autofree char *buffer = g_malloc0 (len + 64);
  gsize got = sl_test_peer_recv_all (fd, buffer, len, WAIT_MS);
  gssize more;

  g_assert_cmpuint (got, ==, len);
  g_assert_cmpstr (buffer, ==, expected);

  sl_test_run_for (50);
  more = recv (fd, buffer, 64, MSG_DONTWAIT);
  g_assert_cmpint (more, ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
}

static void
test_expand (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) at = g_date_time_new (utc, 2026, 11, 21, 9, 5, 7.089);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = sl_repeat_send_expand ("msg {n}", 42, at, &error);
  g_autofree char *b = sl_repeat_send_expand ("[{time}] {{n}} }}{n}{{", 7, at, &error);
  g_autofree char *c = sl_repeat_send_expand ("", 1, at, &error);
  g_autofree char *d = sl_repeat_send_expand ("{{\"n\": {n}, \"at\": \"{time}\"}}", 3, at, &error);
  g_autofree char *e = sl_repeat_send_expand ("\xe4\xbd\xa0{n}\xe5\xa5\xbd", 2, at, &error);
  g_autofree char *now = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a, ==, "msg 42");
  g_assert_cmpstr (b, ==, "[09:05:07.089] {n} }7{");
  g_assert_cmpstr (c, ==, "");
  g_assert_cmpstr (d, ==, "{\"n\": 3, \"at\": \"09:05:07.089\"}");
  g_assert_cmpstr (e, ==, "\xe4\xbd\xa0" "2\xe5\xa5\xbd");

  /* Without a time: now, local, HH:MM:SS.mmm. */
  now = sl_repeat_send_expand ("{time}", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\\.[0-9]{3}$", now, 0, 0));
}

static void
assert_template_error (const char *template_text,
                       const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expanded = NULL;

  g_assert_false (sl_repeat_send_validate_template (template_text, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_test_message ("%s → %s", template_text, error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” not in “%s”", needle, error->message);
  g_clear_error (&error);

  expanded = sl_repeat_send_expand (template_text, 1, NULL, &error);
  g_assert_null (expanded);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
}

static void
test_template_errors (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_repeat_send_validate_template ("plain text", &error));
  g_assert_true (sl_repeat_send_validate_template ("{n} {time} {{ }}", &error));
  g_assert_no_error (error);

  assert_template_error ("abcd{x}", "Unknown macro “{x}” at position 5");
  assert_template_error ("{count}", "Unknown macro “{count}” at position 1");
  assert_template_error ("\xe4\xbd\xa0{N}", "Unknown macro “{N}” at position 2");
  assert_template_error ("{}", "The “{” at position 1 does not start {n} or {time}");
  assert_template_error ("abc {n", "The “{” at position 5 does not start");
  assert_template_error ("{\"n\": {n}}", "in a JSON template, {{ and }}");
  assert_template_error ("a } b", "The “}” at position 3 ends no macro");
  assert_template_error ("{n}}", "The “}” at position 4 ends no macro");
}

static void
test_validate (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_repeat_send_validate ("{n}", SL_ENCODING_TEXT, 1, &error));
  g_assert_true (sl_repeat_send_validate ("{n}", SL_ENCODING_TEXT, 3600000, &error));
  g_assert_true (sl_repeat_send_validate ("{{\"n\": {n}}}", SL_ENCODING_JSON, 100, &error));
  g_assert_true (sl_repeat_send_validate ("48 69", SL_ENCODING_HEX, 100, &error));
  g_assert_true (sl_repeat_send_validate ("", SL_ENCODING_JSON, 100, &error));
  g_assert_no_error (error);

  g_assert_false (sl_repeat_send_validate ("{n}", SL_ENCODING_TEXT, 0, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "1 ms to 3600000 ms"));
  g_clear_error (&error);
  g_assert_false (sl_repeat_send_validate ("{n}", SL_ENCODING_TEXT, 3600001, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_TIMEOUT);
  g_clear_error (&error);

  /* The expanded first message must encode: "1" is one hex digit, and
   * {"n": 1} without doubled braces is not even a template. */
  g_assert_false (sl_repeat_send_validate ("{n}", SL_ENCODING_HEX, 100, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_clear_error (&error);
  g_assert_false (sl_repeat_send_validate ("n is {n}", SL_ENCODING_JSON, 100, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_clear_error (&error);
}

static void
test_count (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = server_with_peer (&peer, &connection);
  g_autoptr(SlRepeatSend) repeat = NULL;
  g_autoptr(GError) error = NULL;
  Stopped stopped = { 0, };

  repeat = sl_repeat_send_new (server, connection, "msg {n};", SL_ENCODING_TEXT, 5, 5);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_false (sl_repeat_send_get_running (repeat));
  g_assert_cmpuint (sl_repeat_send_get_count (repeat), ==, 5);
  g_assert_cmpuint (sl_repeat_send_get_interval (repeat), ==, 5);

  g_assert_true (sl_repeat_send_start (repeat, &error));
  g_assert_no_error (error);
  g_assert_true (sl_repeat_send_get_running (repeat));
  /* The first message goes at once. */
  g_assert_cmpuint (sl_repeat_send_get_n_sent (repeat), ==, 1);

  /* Starting twice is refused. */
  g_assert_false (sl_repeat_send_start (repeat, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  g_assert_cmpstr (stopped.reason, ==, "Sent 5 messages.");
  g_assert_cmpuint (sl_repeat_send_get_n_sent (repeat), ==, 5);
  g_assert_false (sl_repeat_send_get_running (repeat));
  g_assert_null (sl_repeat_send_get_last_error (repeat));

  assert_peer_reads_exactly (peer, "msg 1;msg 2;msg 3;msg 4;msg 5;");
  g_assert_cmpuint (sl_connection_get_messages_out (connection), ==, 5);

  /* It can run again, from 1. */
  stopped.n_stopped = 0;
  g_assert_true (sl_repeat_send_start (repeat, &error));
  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  assert_peer_reads_exactly (peer, "msg 1;msg 2;msg 3;msg 4;msg 5;");

  sl_test_assert_finalize (g_steal_pointer (&repeat), WAIT_MS);
  g_free (stopped.reason);
  close (peer);
  sl_endpoint_stop (server);
}

static void
test_count_one (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = server_with_peer (&peer, &connection);
  g_autoptr(SlRepeatSend) repeat = NULL;
  Stopped stopped = { 0, };

  /* count 1 ends inside start(): one message, one ::stopped. */
  repeat = sl_repeat_send_new (server, connection, "only", SL_ENCODING_TEXT, 1000, 1);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, NULL));
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  g_assert_cmpstr (stopped.reason, ==, "Sent 1 message.");
  g_assert_false (sl_repeat_send_get_running (repeat));
  assert_peer_reads_exactly (peer, "only");

  g_free (stopped.reason);
  close (peer);
  sl_endpoint_stop (server);
}

/* Parses "[1][2]…[n]" and returns n, asserting the numbers run 1, 2, 3 … */
static guint
count_in_order (const char *text)
{
  guint expected = 1;
  const char *p = text;

  while (*p != '\0')
    {
      char *end;
      guint64 value;

      g_assert_cmpint (*p, ==, '[');
      value = g_ascii_strtoull (p + 1, &end, 10);
      g_assert_cmpuint (value, ==, expected);
      g_assert_cmpint (*end, ==, ']');
      p = end + 1;
      expected++;
    }
  return expected - 1;
}

static void
test_stop (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = server_with_peer (&peer, &connection);
  g_autoptr(SlRepeatSend) repeat = NULL;
  g_autofree char *expected_reason = NULL;
  Stopped stopped = { 0, };
  char buffer[4096] = { 0, };
  guint64 n;
  gsize got = 0;

  repeat = sl_repeat_send_new (server, connection, "[{n}]", SL_ENCODING_TEXT, 10, 0);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, NULL));
  g_assert_true (sl_test_wait_until (sent_at_least_3, repeat, WAIT_MS));

  sl_repeat_send_stop (repeat);
  n = sl_repeat_send_get_n_sent (repeat);
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  expected_reason = g_strdup_printf ("Stopped after %" G_GUINT64_FORMAT " messages.", n);
  g_assert_cmpstr (stopped.reason, ==, expected_reason);
  g_assert_false (sl_repeat_send_get_running (repeat));

  /* Stopping again does nothing; no more messages go. */
  sl_repeat_send_stop (repeat);
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  sl_test_run_for (100);
  g_assert_cmpuint (sl_repeat_send_get_n_sent (repeat), ==, n);

  /* The peer got exactly n messages, in order. */
  while (got < sizeof buffer - 1)
    {
      gssize r = recv (peer, buffer + got, sizeof buffer - 1 - got, MSG_DONTWAIT);

      if (r <= 0)
        break;
      got += r;
    }
  g_assert_cmpuint (count_in_order (buffer), ==, n);

  g_free (stopped.reason);
  close (peer);
  sl_endpoint_stop (server);
}

static void
test_peer_closes (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = server_with_peer (&peer, &connection);
  g_autoptr(SlRepeatSend) repeat = NULL;
  g_autofree char *expected = NULL;
  Stopped stopped = { 0, };

  repeat = sl_repeat_send_new (server, connection, "[{n}]", SL_ENCODING_TEXT, 5, 0);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, NULL));
  g_assert_true (sl_test_wait_until (sent_at_least_3, repeat, WAIT_MS));

  /* The peer closes (FIN); the server closes in turn (close-on-eof), or the
   * next send meets the closed socket: either way repeating stops, saying why. */
  close (peer);
  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  expected = g_strdup_printf ("The connection closed: repeating stopped after %" G_GUINT64_FORMAT
                              " messages.", sl_repeat_send_get_n_sent (repeat));
  g_assert_cmpstr (stopped.reason, ==, expected);
  g_assert_false (sl_repeat_send_get_running (repeat));

  /* Starting on the closed connection is refused. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (sl_repeat_send_start (repeat, &error));
    g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  }

  g_free (stopped.reason);
  sl_endpoint_stop (server);
}

static void
test_peer_resets (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);
  g_autoptr(SlRepeatSend) repeat = NULL;
  Stopped stopped = { 0, };

  /* Without close-on-eof the server keeps sending after the peer's FIN:
   * the peer's RST then ends the connection. */
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_close_on_eof (config, FALSE);
  server = sl_test_endpoint_new_started (config);
  peer = sl_test_peer_connect_endpoint (server);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1, WAIT_MS));
  connection = g_list_model_get_item (sl_endpoint_get_connections (server), 0);

  repeat = sl_repeat_send_new (server, connection, "[{n}]", SL_ENCODING_TEXT, 5, 0);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, NULL));
  g_assert_true (sl_test_wait_until (sent_at_least_3, repeat, WAIT_MS));

  sl_test_peer_reset (peer);
  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_true (g_str_has_prefix (stopped.reason,
                                   "The connection closed: repeating stopped after "));

  g_free (stopped.reason);
  sl_endpoint_stop (server);
}

static void
test_endpoint_stops (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = server_with_peer (&peer, &connection);
  g_autoptr(SlRepeatSend) repeat = NULL;
  Stopped stopped = { 0, };

  repeat = sl_repeat_send_new (server, connection, "[{n}]", SL_ENCODING_TEXT, 5, 0);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, NULL));
  sl_endpoint_stop (server);
  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_cmpuint (stopped.n_stopped, ==, 1);
  g_assert_nonnull (strstr (stopped.reason, "repeating stopped after 1 message."));
  g_assert_false (sl_repeat_send_get_running (repeat));

  g_free (stopped.reason);
  close (peer);
}

/* A TCP client with connection NULL: messages go to its one connection. */
static void
test_client_default_connection (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  int listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(SlRepeatSend) repeat = NULL;
  g_autoptr(GError) error = NULL;
  Stopped stopped = { 0, };
  int peer;

  g_assert_cmpint (listener, >=, 0);
  g_assert_cmpint (listen (listener, 1), ==, 0);
  config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_IPV4, "127.0.0.1",
                               sl_test_fd_local_port (listener));
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  client = sl_endpoint_new (config, NULL);

  /* Not started: nothing to send to. */
  repeat = sl_repeat_send_new (client, NULL, "{n}\n", SL_ENCODING_TEXT, 1, 3);
  g_assert_false (sl_repeat_send_start (repeat, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "Start it first"));
  g_clear_error (&error);

  g_assert_true (sl_test_endpoint_start (client, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_fd (listener, G_IO_IN, WAIT_MS));
  peer = accept4 (listener, NULL, NULL, SOCK_NONBLOCK);
  g_assert_cmpint (peer, >=, 0);

  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, &error));
  g_assert_no_error (error);
  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_cmpstr (stopped.reason, ==, "Sent 3 messages.");
  assert_peer_reads_exactly (peer, "1\n2\n3\n");

  g_free (stopped.reason);
  close (peer);
  close (listener);
  sl_endpoint_stop (client);
}

static void
test_server_without_clients (void)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);
  g_autoptr(SlEndpoint) server = sl_test_endpoint_new_started (config);
  g_autoptr(SlRepeatSend) repeat = sl_repeat_send_new (server, NULL, "x", SL_ENCODING_TEXT, 10, 0);
  g_autoptr(SlRepeatSend) bad = sl_repeat_send_new (server, NULL, "{x}", SL_ENCODING_TEXT, 10, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (sl_repeat_send_start (repeat, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (error->message, "No client is connected"));
  g_clear_error (&error);

  /* The template is checked first. */
  g_assert_false (sl_repeat_send_start (bad, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert_false (sl_repeat_send_get_running (bad));

  sl_endpoint_stop (server);
}

static void
test_udp (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  int peer = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(SlRepeatSend) repeat = NULL;
  Stopped stopped = { 0, };

  g_assert_cmpint (peer, >=, 0);
  config = sl_test_config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT, SL_FAMILY_IPV4, "127.0.0.1",
                               sl_test_fd_local_port (peer));
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  client = sl_test_endpoint_new_started (config);

  repeat = sl_repeat_send_new (client, NULL, "d{n}", SL_ENCODING_TEXT, 2, 3);
  g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
  g_assert_true (sl_repeat_send_start (repeat, NULL));
  g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
  g_assert_cmpstr (stopped.reason, ==, "Sent 3 messages.");

  /* One datagram per message, in order (loopback keeps the order). */
  for (guint i = 1; i <= 3; i++)
    {
      char buffer[16] = { 0, };
      g_autofree char *expected = g_strdup_printf ("d%u", i);
      gssize n = sl_test_peer_recvfrom (peer, buffer, sizeof buffer - 1, NULL, WAIT_MS);

      g_assert_cmpint (n, ==, (gssize) strlen (expected));
      g_assert_cmpstr (buffer, ==, expected);
    }

  g_free (stopped.reason);
  close (peer);
  sl_endpoint_stop (client);
}

static void
test_encodings (void)
{
  int peer = -1;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlEndpoint) server = server_with_peer (&peer, &connection);
  Stopped stopped = { 0, };
  char buffer[256] = { 0, };
  gsize got;

  /* JSON: doubled braces, {n} and {time} inside; each message is valid JSON. */
  {
    g_autoptr(SlRepeatSend) repeat =
      sl_repeat_send_new (server, connection, "{{\"n\": {n}, \"at\": \"{time}\"}}",
                          SL_ENCODING_JSON, 1, 2);
    g_autoptr(JsonParser) parser = json_parser_new ();
    const char *second;
    JsonObject *object;

    g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
    g_assert_true (sl_repeat_send_start (repeat, NULL));
    g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
    /* {"n": 1, "at": "HH:MM:SS.mmm"} is 30 bytes. */
    got = sl_test_peer_recv_all (peer, buffer, 60, WAIT_MS);
    g_assert_cmpuint (got, ==, 60);
    second = buffer + 30;
    g_assert_true (json_parser_load_from_data (parser, second, 30, NULL));
    object = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpint (json_object_get_int_member (object, "n"), ==, 2);
    g_assert_cmpuint (strlen (json_object_get_string_member (object, "at")), ==, 12);
  }

  /* Base64: the expanded text is encoded, as the composer does. */
  {
    g_autoptr(SlRepeatSend) repeat =
      sl_repeat_send_new (server, connection, "hi {n}", SL_ENCODING_BASE64, 1, 2);
    g_autofree char *one = g_base64_encode ((const guchar *) "hi 1", 4);
    g_autofree char *two = g_base64_encode ((const guchar *) "hi 2", 4);
    g_autofree char *expected = g_strconcat (one, two, NULL);

    stopped.n_stopped = 0;
    g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
    g_assert_true (sl_repeat_send_start (repeat, NULL));
    g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
    assert_peer_reads_exactly (peer, expected);
  }

  /* Hex: no macros, the bytes they denote. */
  {
    g_autoptr(SlRepeatSend) repeat =
      sl_repeat_send_new (server, connection, "48 69 0a", SL_ENCODING_HEX, 1, 2);

    stopped.n_stopped = 0;
    g_signal_connect (repeat, "stopped", G_CALLBACK (stopped_cb), &stopped);
    g_assert_true (sl_repeat_send_start (repeat, NULL));
    g_assert_true (sl_test_wait_until (has_stopped, &stopped, WAIT_MS));
    assert_peer_reads_exactly (peer, "Hi\nHi\n");
  }

  g_free (stopped.reason);
  close (peer);
  sl_endpoint_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/repeat-send/expand", test_expand);
  g_test_add_func ("/repeat-send/template-errors", test_template_errors);
  g_test_add_func ("/repeat-send/validate", test_validate);
  g_test_add_func ("/repeat-send/count", test_count);
  g_test_add_func ("/repeat-send/count-one", test_count_one);
  g_test_add_func ("/repeat-send/stop", test_stop);
  g_test_add_func ("/repeat-send/peer-closes", test_peer_closes);
  g_test_add_func ("/repeat-send/peer-resets", test_peer_resets);
  g_test_add_func ("/repeat-send/endpoint-stops", test_endpoint_stops);
  g_test_add_func ("/repeat-send/client-default-connection", test_client_default_connection);
  g_test_add_func ("/repeat-send/server-without-clients", test_server_without_clients);
  g_test_add_func ("/repeat-send/udp", test_udp);
  g_test_add_func ("/repeat-send/encodings", test_encodings);

  return g_test_run ();
}
