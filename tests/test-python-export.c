/* test-python-export.c — an endpoint's configuration as a Python 3 script
 *
 * The contents for several configurations; every script is also compiled by
 * /usr/bin/python3 when it is there. Running the scripts against the app's
 * endpoints is tests/interop/test_python_export.py.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-error.h"
#include "sl-python-export.h"
#include "sl-test-util.h"

#define PYTHON "/usr/bin/python3"

static SlEndpointConfig *
config_new (SlProtocol  protocol,
            SlRole      role,
            SlFamily    family,
            const char *address,
            int         port)
{
  return sl_test_config_new (protocol, role, family, address, port);
}

/* Python 3 compiles @script (a syntax error fails the test). */
static void
assert_compiles (const char *script)
{
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    return;
  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             PYTHON, "-c",
                             "import sys; compile(sys.stdin.buffer.read(), 'exported.py', 'exec')",
                             NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (python, script, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (python))
    g_error ("the exported script does not compile: %s\n%s", err, script);
}

/* Exports @config, checks what every script has, and returns the script. */
static char *
export (SlEndpointConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  char *script = sl_python_export (config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (script);
  g_assert_true (g_str_has_prefix (script, "#!/usr/bin/env python3\n"));
  g_assert_nonnull (strstr (script, "exported from Socket Lab"));
  g_assert_nonnull (strstr (script, "\nimport socket\n"));
  g_assert_nonnull (strstr (script, "# Configuration:\n"));
  /* Python 3 only: no Python 2 print statement. */
  g_assert_null (strstr (script, "print '"));
  g_assert_null (strstr (script, "print \""));
  g_assert_true (g_utf8_validate (script, -1, NULL));
  /* The same configuration gives the same script. */
  again = sl_python_export (config, NULL);
  g_assert_cmpstr (script, ==, again);
  assert_compiles (script);
  return script;
}

#define assert_has(script, text) \
  G_STMT_START { \
    if (strstr ((script), (text)) == NULL) \
      g_error ("%s:%d: the script lacks “%s”:\n%s", __FILE__, __LINE__, (text), (script)); \
  } G_STMT_END

#define assert_lacks(script, text) \
  G_STMT_START { \
    if (strstr ((script), (text)) != NULL) \
      g_error ("%s:%d: the script has “%s”:\n%s", __FILE__, __LINE__, (text), (script)); \
  } G_STMT_END

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_tcp_server_default (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 8888);
  g_autofree char *script = NULL;

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_UPPER);
  script = export (config);

  assert_has (script, "# tcp_server.py — exported from Socket Lab\n");
  assert_has (script, "#   socket-lab-cli tcp-server 127.0.0.1:8888\n");
  assert_has (script, "HOST = '127.0.0.1'\nPORT = 8888\n");
  assert_has (script, "BACKLOG = 5");
  assert_has (script, "BUFSIZE = 1024");
  assert_has (script, "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n");
  assert_has (script, "server.bind((HOST, PORT))\nserver.listen(BACKLOG)\n");
  assert_has (script, "print('listening on %s:%d' % server.getsockname()[:2], flush=True)");
  assert_has (script, "    while True:\n        conn, addr = server.accept()\n");
  assert_has (script, "            data = conn.recv(BUFSIZE)\n");
  assert_has (script, "            if not data:\n");
  assert_has (script, "conn.sendall(data.upper())");
  assert_has (script, "        conn.close()\n");
  assert_has (script, "except ConnectionResetError:");
  assert_has (script, "except KeyboardInterrupt:");
  /* Async mode is exported as blocking calls, and says so. */
  assert_has (script, "# I/O mode async:");
  assert_has (script, "plain Python equivalent uses blocking");
  assert_lacks (script, "SO_REUSEADDR, 1");
  assert_lacks (script, "settimeout(TIMEOUT)");
  assert_lacks (script, "setblocking(False)");
  assert_lacks (script, "import base64");
  assert_lacks (script, "import hmac");
  assert_lacks (script, "open_sockets");

  g_assert_finalize_object (g_steal_pointer (&config));
}

static void
test_tcp_server_options (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                   SL_FAMILY_IPV6, "::1", 0);
  g_autofree char *script = NULL;
  g_autofree char *args = NULL;

  sl_endpoint_config_set_reuseaddr (config, TRUE);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_ECHO);
  sl_endpoint_config_set_backlog (config, 2);
  sl_endpoint_config_set_bufsize (config, 16);
  sl_endpoint_config_set_max_clients (config, 3);
  sl_endpoint_config_set_close_on_eof (config, FALSE);
  script = export (config);

  assert_has (script, "server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)\n");
  assert_has (script, "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                      "server.bind((HOST, PORT))\n");
  assert_has (script, "HOST = '::1'\nPORT = 0  # 0: the kernel picks a free port");
  assert_has (script, "BACKLOG = 2");
  assert_has (script, "BUFSIZE = 16");
  assert_has (script, "print('listening on [%s]:%d' % server.getsockname()[:2], flush=True)");
  assert_has (script, "conn.sendall(data)");
  assert_has (script, "# Max clients 3:");
  assert_has (script, "open_sockets.append(conn)");
  assert_has (script, "CLOSE_WAIT");
  assert_lacks (script, "        conn.close()\n");

  args = sl_python_export_cli_args (config);
  g_assert_cmpstr (args, ==, "tcp-server '[::1]:0' --reuseaddr --reply=echo --backlog=2 "
                             "--bufsize=16 --max-clients=3 --no-close-on-eof");
}

static void
test_reply_modes (void)
{
  struct
  {
    SlEncoding  encoding;
    const char *text;
    const char *line;
  } fixed[] = {
    { SL_ENCODING_TEXT, "it's\n ok", "REPLY = 'it\\'s\\n ok'.encode('utf-8')" },
    { SL_ENCODING_BASE64, "收到", "REPLY = base64.b64encode('收到'.encode('utf-8'))" },
    { SL_ENCODING_HEX, "0x6f:0x6B", "REPLY = bytes.fromhex('6f 6b')" },
    { SL_ENCODING_JSON, "{\"ok\": true}", "REPLY = '{\"ok\": true}'.encode('utf-8')" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_UDP, SL_ROLE_SERVER,
                                                       SL_FAMILY_IPV4, "127.0.0.1", 9999);
      g_autofree char *script = NULL;

      sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
      sl_endpoint_config_set_reply_text (config, fixed[i].text);
      sl_endpoint_config_set_encoding (config, fixed[i].encoding);
      script = export (config);
      assert_has (script, fixed[i].line);
      assert_has (script, "server.sendto(REPLY, addr)");
      if (fixed[i].encoding != SL_ENCODING_TEXT)
        assert_has (script, "print('recvfrom:', data, decoded(data), 'from', addr, flush=True)");
    }

  {
    g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                     SL_FAMILY_IPV4, "127.0.0.1", 8888);
    g_autofree char *script = NULL;

    sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
    script = export (config);
    assert_has (script, "# reply none: this server only prints what it receives");
    assert_lacks (script, "conn.sendall(");
  }
}

static void
test_udp_server (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_UDP, SL_ROLE_SERVER,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 9999);
  g_autofree char *script = NULL;

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_UPPER);
  /* Authentication is for streams: a UDP config ignores it, as the engine does. */
  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_SHA256);
  sl_endpoint_config_set_salt (config, "s");
  script = export (config);

  assert_has (script, "# udp_server.py — exported from Socket Lab\n");
  assert_has (script, "server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n");
  assert_has (script, "data, addr = server.recvfrom(BUFSIZE)");
  assert_has (script, "server.sendto(data.upper(), addr)");
  assert_lacks (script, "listen(");
  assert_lacks (script, "accept()");
  assert_lacks (script, "hmac");
}

static void
test_tcp_client (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 8888);
  g_autofree char *script = NULL;
  g_autofree char *args = NULL;

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_local_host (config, "127.0.0.1");
  sl_endpoint_config_set_local_port (config, 40000);
  sl_endpoint_config_set_connect_timeout (config, 2.5);
  script = export (config);

  assert_has (script, "client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n"
                      "client.bind((LOCAL_HOST, LOCAL_PORT))");
  assert_has (script, "LOCAL_HOST = '127.0.0.1'");
  assert_has (script, "LOCAL_PORT = 40000");
  assert_has (script, "CONNECT_TIMEOUT = 2.5");
  assert_has (script, "client.settimeout(CONNECT_TIMEOUT)\nclient.connect((HOST, PORT))\n");
  assert_has (script, "msg = input(PROMPT)");
  assert_has (script, "except EOFError:");
  assert_has (script, "        if not msg:\n            continue\n");
  assert_has (script, "if msg == 'exit':");
  assert_has (script, "data = msg.encode('utf-8')");
  assert_has (script, "client.sendall(data)");
  assert_has (script, "reply = client.recv(BUFSIZE)");
  assert_has (script, "client.close()");
  assert_lacks (script, "listen(");

  args = sl_python_export_cli_args (config);
  g_assert_cmpstr (args, ==, "tcp-client 127.0.0.1:8888 --connect-timeout=2.5 "
                             "--bind=127.0.0.1:40000");
}

static void
test_unix (void)
{
  g_autoptr(SlEndpointConfig) server = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                   SL_FAMILY_UNIX, "/tmp/it's.sock", 0);
  g_autoptr(SlEndpointConfig) client = config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT,
                                                   SL_FAMILY_UNIX, "/tmp/lab.sock", 0);
  g_autofree char *server_script = NULL;
  g_autofree char *client_script = NULL;
  g_autofree char *name = NULL;
  g_autofree char *args = NULL;

  server_script = export (server);
  assert_has (server_script, "PATH = '/tmp/it\\'s.sock'");
  assert_has (server_script, "socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)");
  assert_has (server_script, "server.bind(PATH)");
  assert_has (server_script, "print('listening on %s' % PATH, flush=True)");
  assert_has (server_script, "import os\n");
  assert_has (server_script, "    os.unlink(PATH)");
  args = sl_python_export_cli_args (server);
  g_assert_cmpstr (args, ==, "unix-server '/tmp/it'\\''s.sock'");

  client_script = export (client);
  assert_has (client_script, "socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)");
  assert_has (client_script, "client.bind('')");
  assert_has (client_script, "client.sendto(data, PATH)");
  assert_has (client_script, "reply, addr = client.recvfrom(BUFSIZE)");
  name = sl_python_export_filename (client);
  g_assert_cmpstr (name, ==, "unix_datagram_client.py");
}

static void
test_io_modes (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 8888);
  g_autofree char *blocking = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *nonblocking = NULL;
  g_autofree char *client_timeout = NULL;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  blocking = export (config);
  assert_has (blocking, "# I/O mode blocking:");
  assert_lacks (blocking, "except socket.timeout");

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, 1.5);
  timeout = export (config);
  assert_has (timeout, "TIMEOUT = 1.5");
  assert_has (timeout, "server.settimeout(TIMEOUT)");
  assert_has (timeout, "conn.settimeout(TIMEOUT)");
  g_assert_cmpuint (count (timeout, "except socket.timeout:"), ==, 2);

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_NONBLOCKING);
  nonblocking = export (config);
  assert_has (nonblocking, "import time\n");
  assert_has (nonblocking, "server.setblocking(False)");
  assert_has (nonblocking, "conn.setblocking(False)");
  assert_has (nonblocking, "time.sleep(RETRY)");
  g_assert_cmpuint (count (nonblocking, "except BlockingIOError:"), ==, 2);

  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  client_timeout = export (config);
  assert_has (client_timeout, "client.settimeout(TIMEOUT)");
  assert_has (client_timeout, "recv() timed out after %s s: no reply");
}

static void
test_encodings (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 8000);
  g_autofree char *base64 = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *json = NULL;

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_BASE64);
  base64 = export (config);
  assert_has (base64, "import base64\n");
  /* Tutorial 000's client. */
  assert_has (base64, "data = base64.b64encode(msg.encode('utf-8'))");
  assert_has (base64, "base64.b64decode(data, validate=True)");
  assert_has (base64, "print(reply, decoded(reply), flush=True)");

  sl_endpoint_config_set_encoding (config, SL_ENCODING_HEX);
  hex = export (config);
  assert_has (hex, "bytes.fromhex(msg)");
  assert_has (hex, "data.hex(' ')");
  assert_has (hex, "not valid hex");

  sl_endpoint_config_set_encoding (config, SL_ENCODING_JSON);
  json = export (config);
  assert_has (json, "import json\n");
  assert_has (json, "json.loads(msg)");
  assert_has (json, "not valid JSON");
}

static void
test_hmac (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 8888);
  g_autofree char *sha256 = NULL;
  g_autofree char *md5 = NULL;
  g_autofree char *client = NULL;

  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_SHA256);
  sl_endpoint_config_set_salt (config, "SOCKET SERVER");
  sha256 = export (config);
  assert_has (sha256, "import hmac\n");
  assert_has (sha256, "import os\n");
  assert_has (sha256, "SALT = b'SOCKET SERVER'");
  assert_has (sha256, "DIGEST = 'sha256'");
  assert_has (sha256, "DIGEST_SIZE = 32");
  assert_has (sha256, "AUTH_TIMEOUT = 10");
  assert_has (sha256, "challenge = os.urandom(32)");
  assert_has (sha256, "reply = recv_exact(conn, DIGEST_SIZE)");
  assert_has (sha256, "hmac.compare_digest(digest, reply)");
  assert_has (sha256, "if not verification(conn):");
  assert_has (sha256, "print('verification fail:', addr, flush=True)");
  /* The digest is always given: hmac.new(key, msg) fails since Python 3.8. */
  g_assert_cmpuint (count (sha256, "hmac.new(SALT"), ==,
                    count (sha256, "hmac.new(SALT, challenge, DIGEST)"));

  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_MD5);
  sl_endpoint_config_set_salt (config, "盐 'x'");
  md5 = export (config);
  assert_has (md5, "DIGEST = 'md5'");
  assert_has (md5, "DIGEST_SIZE = 16");
  /* repr(bytes), as Python writes it. */
  assert_has (md5, "SALT = b\"\\xe7\\x9b\\x90 'x'\"");

  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  client = export (config);
  assert_has (client, "challenge = recv_exact(sock, 32)");
  assert_has (client, "sock.sendall(hmac.new(SALT, challenge, DIGEST).digest())");
  assert_has (client, "if not authenticate(client):");
  g_assert_cmpuint (count (client, "hmac.new(SALT"), ==,
                    count (client, "hmac.new(SALT, challenge, DIGEST)"));
}

static void
test_invalid_config (void)
{
  struct
  {
    const char *property;
    int         value;
    int         code;
    const char *words;
  } cases[] = {
    { "port", 70000, SL_ERROR_INVALID_PORT, "Port" },
    { "backlog", 0, SL_ERROR_INVALID_BACKLOG, "Backlog" },
    { "bufsize", -1, SL_ERROR_INVALID_BUFSIZE, "Buffer size" },
    { "max-clients", -2, SL_ERROR_INVALID_MAX_CLIENTS, "Maximum clients" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                       SL_FAMILY_IPV4, "127.0.0.1", 8888);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) expected = NULL;
      g_autofree char *script = NULL;

      g_object_set (config, cases[i].property, cases[i].value, NULL);
      script = sl_python_export (config, &error);
      g_assert_null (script);
      g_assert_error (error, SL_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      /* The same message as the form and the CLI. */
      g_assert_false (sl_endpoint_config_validate (config, NULL, &expected));
      g_assert_cmpstr (error->message, ==, expected->message);
    }

  {
    g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT,
                                                     SL_FAMILY_IPV4, "127.0.0.1", 8888);
    g_autoptr(GError) error = NULL;
    g_autofree char *script = NULL;

    sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_SHA256);
    script = sl_python_export (config, &error);
    g_assert_null (script);
    g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION);
    g_assert_nonnull (strstr (error->message, "salt"));
  }
}

static void
test_filenames (void)
{
  g_autoptr(SlEndpointConfig) config = config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT,
                                                   SL_FAMILY_IPV4, "127.0.0.1", 8888);
  g_autofree char *udp = sl_python_export_filename (config);
  g_autofree char *stream = NULL;

  g_assert_cmpstr (udp, ==, "udp_client.py");
  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_TCP);
  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_role (config, SL_ROLE_SERVER);
  stream = sl_python_export_filename (config);
  g_assert_cmpstr (stream, ==, "unix_stream_server.py");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/python-export/tcp-server/default", test_tcp_server_default);
  g_test_add_func ("/python-export/tcp-server/options", test_tcp_server_options);
  g_test_add_func ("/python-export/reply-modes", test_reply_modes);
  g_test_add_func ("/python-export/udp-server", test_udp_server);
  g_test_add_func ("/python-export/tcp-client", test_tcp_client);
  g_test_add_func ("/python-export/unix", test_unix);
  g_test_add_func ("/python-export/io-modes", test_io_modes);
  g_test_add_func ("/python-export/encodings", test_encodings);
  g_test_add_func ("/python-export/hmac", test_hmac);
  g_test_add_func ("/python-export/invalid-config", test_invalid_config);
  g_test_add_func ("/python-export/filenames", test_filenames);

  return g_test_run ();
}
