/* sl-python-export.c — an endpoint's configuration as a runnable Python 3 script
 *
 * The script is written the way the tutorials write their programs (import
 * socket, a connection loop around a communication loop, recv(1024),
 * data.upper(), recvfrom/sendto, an input() loop), corrected where they are
 * wrong: Python 3 prints, hmac.new() with its digest, exact reads for the
 * authentication handshake, sendall() for whole messages. It speaks the same
 * bytes as the app's endpoint with that configuration.
 *
 * The script itself is Python code and is not translated, like the call
 * trace; only the errors (from the config's validation) are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sl-auth.h"
#include "sl-codec.h"
#include "sl-error.h"
#include "sl-python-export.h"

/* Defaults of SlEndpointConfig (see sl-endpoint-config.h), left out of the
 * socket-lab-cli arguments. */
#define DEFAULT_BACKLOG         5
#define DEFAULT_BUFSIZE         1024
#define DEFAULT_CONNECT_TIMEOUT 5.0
#define DEFAULT_AUTH_TIMEOUT    10.0

/* How long a non-blocking script sleeps after BlockingIOError, as the CLI. */
#define RETRY_SECONDS "0.2"

typedef struct
{
  SlEndpointConfig *config;
  GString          *out;
  gboolean          server;
  gboolean          stream;
  SlFamily          family;
  SlIoMode          io_mode;
  SlReplyMode       reply;
  SlEncoding        encoding;
  SlAuthMode        auth;      /* NONE unless it applies (stream endpoints) */
  gboolean          local_bind;
} Script;

/* ---- Python literals ---- */

/* A Python str literal: 'text', with \\ \' \n \r \t and \xNN for other
 * control characters; other characters as they are (Python 3 source is
 * UTF-8). Invalid UTF-8 (never from the form) becomes a bytes literal, which
 * socket calls accept for paths too. */
static char *
py_str (const char *text)
{
  GString *literal;

  if (text == NULL)
    text = "";
  if (!g_utf8_validate (text, -1, NULL))
    return sl_codec_python_bytes ((const guint8 *) text, strlen (text), 0);

  literal = g_string_new ("'");
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '\\':
          g_string_append (literal, "\\\\");
          break;
        case '\'':
          g_string_append (literal, "\\'");
          break;
        case '\n':
          g_string_append (literal, "\\n");
          break;
        case '\r':
          g_string_append (literal, "\\r");
          break;
        case '\t':
          g_string_append (literal, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (literal, "\\x%02x", c);
          else
            g_string_append_c (literal, (char) c);
        }
    }
  g_string_append_c (literal, '\'');
  return g_string_free (literal, FALSE);
}

/* A number of seconds as Python and a shell read it: "5", "2.5", "0.001". */
static char *
py_seconds (double seconds)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", seconds));
}

/* A comment line may not contain a line break. */
static char *
one_line (const char *text)
{
  g_autofree char *copy = g_strdup (text != NULL ? text : "");

  return g_strdelimit (g_steal_pointer (&copy), "\r\n", ' ');
}

/* ---- Writing lines ---- */

/* Appends @block, one or more lines, each indented by @level * 4 spaces
 * (empty lines stay empty), and a final newline. */
static void
emit (Script     *self,
      int         level,
      const char *block)
{
  g_auto(GStrv) lines = NULL;

  /* g_strsplit() gives no element at all for "". */
  if (block[0] == '\0')
    {
      g_string_append_c (self->out, '\n');
      return;
    }
  lines = g_strsplit (block, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] != '\0')
        {
          for (int j = 0; j < level; j++)
            g_string_append (self->out, "    ");
          g_string_append (self->out, lines[i]);
        }
      g_string_append_c (self->out, '\n');
    }
}

static void
emitf (Script     *self,
       int         level,
       const char *format,
       ...) G_GNUC_PRINTF (3, 4);

static void
emitf (Script     *self,
       int         level,
       const char *format,
       ...)
{
  g_autofree char *block = NULL;
  va_list args;

  va_start (args, format);
  block = g_strdup_vprintf (format, args);
  va_end (args);
  emit (self, level, block);
}

/* ---- Names ---- */

static const char *
family_constant (SlFamily family)
{
  switch (family)
    {
    case SL_FAMILY_IPV6:
      return "socket.AF_INET6";
    case SL_FAMILY_UNIX:
      return "socket.AF_UNIX";
    case SL_FAMILY_IPV4:
    default:
      return "socket.AF_INET";
    }
}

static const char *
family_label (SlFamily family)
{
  switch (family)
    {
    case SL_FAMILY_IPV6:
      return "AF_INET6 (IPv6)";
    case SL_FAMILY_UNIX:
      return "AF_UNIX (a socket file)";
    case SL_FAMILY_IPV4:
    default:
      return "AF_INET (IPv4)";
    }
}

static const char *
mode_name (SlEndpointConfig *config)
{
  gboolean server = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER;

  if (sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX)
    return server ? "unix-server" : "unix-client";
  if (sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_TCP)
    return server ? "tcp-server" : "tcp-client";
  return server ? "udp-server" : "udp-client";
}

/* "127.0.0.1:8888", "[::1]:8888" or the path, as socket-lab-cli takes it. */

/* Quotes only what a shell would change. */
static char *
shell_word (const char *word)
{
  const char *safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                     "-_./:=,+@%";

  if (*word != '\0' && strspn (word, safe) == strlen (word))
    return g_strdup (word);
  return g_shell_quote (word);
}

static gboolean
has_local_bind (SlEndpointConfig *config)
{
  const char *local_host = sl_endpoint_config_get_local_host (config);

  if (sl_endpoint_config_get_role (config) != SL_ROLE_CLIENT ||
      sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX)
    return FALSE;
  return (local_host != NULL && local_host[0] != '\0') ||
         sl_endpoint_config_get_local_port (config) != 0;
}

static SlAuthMode
effective_auth (SlEndpointConfig *config)
{
  if (sl_endpoint_config_get_protocol (config) != SL_PROTOCOL_TCP)
    return SL_AUTH_MODE_NONE;
  return sl_endpoint_config_get_auth (config);
}

char *
sl_python_export_filename (SlEndpointConfig *config)
{
  const char *role;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (config), NULL);

  role = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER ? "server" : "client";
  if (sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX)
    return g_strdup_printf ("unix_%s_%s.py",
                            sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_TCP
                            ? "stream" : "datagram",
                            role);
  return g_strdup_printf ("%s_%s.py",
                          sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_TCP
                          ? "tcp" : "udp",
                          role);
}

char *
sl_python_export_cli_args (SlEndpointConfig *config)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  gboolean server, stream;
  SlReplyMode reply;
  SlAuthMode auth;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (config), NULL);

  server = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER;
  stream = sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_TCP;
  reply = sl_endpoint_config_get_reply_mode (config);
  auth = effective_auth (config);

  g_ptr_array_add (args, g_strdup (mode_name (config)));
  g_ptr_array_add (args, sl_endpoint_config_address_text (config));
  if (sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX && !stream)
    g_ptr_array_add (args, g_strdup ("--datagram"));
  if (sl_endpoint_config_get_reuseaddr (config))
    g_ptr_array_add (args, g_strdup ("--reuseaddr"));
  /* socket-lab-cli answers with upper in a server and with nothing in a client. */
  if (reply == SL_REPLY_FIXED)
    g_ptr_array_add (args, g_strdup_printf ("--reply=fixed:%s",
                                            sl_endpoint_config_get_reply_text (config)));
  else if (reply != (server ? SL_REPLY_UPPER : SL_REPLY_NONE))
    g_ptr_array_add (args, g_strdup_printf ("--reply=%s", sl_reply_mode_to_string (reply)));
  if (stream && server && sl_endpoint_config_get_backlog (config) != DEFAULT_BACKLOG)
    g_ptr_array_add (args, g_strdup_printf ("--backlog=%d",
                                            sl_endpoint_config_get_backlog (config)));
  if (sl_endpoint_config_get_bufsize (config) != DEFAULT_BUFSIZE)
    g_ptr_array_add (args, g_strdup_printf ("--bufsize=%d",
                                            sl_endpoint_config_get_bufsize (config)));
  if (stream && server
      && sl_endpoint_config_get_max_clients (config) != SL_ENDPOINT_CONFIG_DEFAULT_MAX_CLIENTS)
    g_ptr_array_add (args, g_strdup_printf ("--max-clients=%d",
                                            sl_endpoint_config_get_max_clients (config)));
  if (sl_endpoint_config_get_io_mode (config) == SL_IO_MODE_TIMEOUT)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_timeout (config));

      g_ptr_array_add (args, g_strdup_printf ("--io=timeout:%s", seconds));
    }
  else if (sl_endpoint_config_get_io_mode (config) != SL_IO_MODE_ASYNC)
    g_ptr_array_add (args, g_strdup_printf ("--io=%s", sl_io_mode_to_string (
                                              sl_endpoint_config_get_io_mode (config))));
  if (sl_endpoint_config_get_encoding (config) != SL_ENCODING_TEXT)
    g_ptr_array_add (args, g_strdup_printf ("--encoding=%s", sl_encoding_to_string (
                                              sl_endpoint_config_get_encoding (config))));
  if (stream && !server &&
      sl_endpoint_config_get_connect_timeout (config) != DEFAULT_CONNECT_TIMEOUT)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_connect_timeout (config));

      g_ptr_array_add (args, g_strdup_printf ("--connect-timeout=%s", seconds));
    }
  if (has_local_bind (config))
    {
      const char *host = sl_endpoint_config_get_local_host (config);
      int port = sl_endpoint_config_get_local_port (config);

      if (host == NULL || host[0] == '\0')
        host = sl_endpoint_config_get_family (config) == SL_FAMILY_IPV6 ? "::" : "0.0.0.0";
      if (sl_endpoint_config_get_family (config) == SL_FAMILY_IPV6)
        g_ptr_array_add (args, g_strdup_printf ("--bind=[%s]:%d", host, port));
      else
        g_ptr_array_add (args, g_strdup_printf ("--bind=%s:%d", host, port));
    }
  if (auth != SL_AUTH_MODE_NONE)
    {
      g_ptr_array_add (args, g_strdup_printf ("--auth=%s", sl_auth_mode_to_string (auth)));
      g_ptr_array_add (args, g_strdup_printf ("--salt=%s", sl_endpoint_config_get_salt (config)));
      if (sl_endpoint_config_get_auth_timeout (config) != DEFAULT_AUTH_TIMEOUT)
        {
          g_autofree char *seconds = py_seconds (sl_endpoint_config_get_auth_timeout (config));

          g_ptr_array_add (args, g_strdup_printf ("--auth-timeout=%s", seconds));
        }
    }
  if (stream && !sl_endpoint_config_get_close_on_eof (config))
    g_ptr_array_add (args, g_strdup ("--no-close-on-eof"));

  for (guint i = 0; i < args->len; i++)
    {
      char *word = shell_word (g_ptr_array_index (args, i));

      g_free (g_ptr_array_index (args, i));
      g_ptr_array_index (args, i) = word;
    }
  g_ptr_array_add (args, NULL);
  return g_strjoinv (" ", (char **) args->pdata);
}

/* ---- The script ---- */

static void
write_header (Script *self)
{
  SlEndpointConfig *config = self->config;
  g_autofree char *filename = sl_python_export_filename (config);
  g_autofree char *cli = sl_python_export_cli_args (config);
  g_autofree char *cli_line = one_line (cli);
  g_autofree char *address = sl_endpoint_config_address_text (config);
  g_autofree char *address_line = one_line (address);

  emitf (self, 0, "#!/usr/bin/env python3\n"
         "# %s — exported from Socket Lab\n"
         "#\n"
         "# A %s%s %s %s %s, in the style of the tutorials' programs.\n"
         "# The same endpoint in Socket Lab's terminal:\n"
         "#   socket-lab-cli %s\n"
         "#\n"
         "# Configuration:",
         filename,
         self->family == SL_FAMILY_UNIX ? "Unix" : self->stream ? "TCP" : "UDP",
         self->family == SL_FAMILY_UNIX ? (self->stream ? " stream" : " datagram") : "",
         self->server ? "server" : "client",
         self->server ? "on" : self->stream ? "connecting to" : "sending to",
         address_line, cli_line);
  emitf (self, 0, "#   family           %s", family_label (self->family));
  emitf (self, 0, "#   type             %s",
         self->stream
         ? (self->family == SL_FAMILY_UNIX ? "SOCK_STREAM" : "SOCK_STREAM (TCP)")
         : (self->family == SL_FAMILY_UNIX ? "SOCK_DGRAM" : "SOCK_DGRAM (UDP)"));
  emitf (self, 0, "#   role             %s", self->server ? "server" : "client");
  emitf (self, 0, "#   address          %s", address_line);
  if (self->local_bind)
    {
      const char *host = sl_endpoint_config_get_local_host (config);
      g_autofree char *host_line = one_line (host != NULL && host[0] != '\0' ? host : "any");

      emitf (self, 0, "#   local address    %s port %d", host_line,
             sl_endpoint_config_get_local_port (config));
    }
  emitf (self, 0, "#   SO_REUSEADDR     %s", sl_endpoint_config_get_reuseaddr (config)
                                              ? "on" : "off");
  if (self->stream && self->server)
    {
      int max_clients = sl_endpoint_config_get_max_clients (config);

      emitf (self, 0, "#   backlog          %d", sl_endpoint_config_get_backlog (config));
      if (max_clients > 0)
        emitf (self, 0, "#   max clients      %d", max_clients);
      else
        emit (self, 0, "#   max clients      no limit");
    }
  emitf (self, 0, "#   bufsize          %d", sl_endpoint_config_get_bufsize (config));
  if (self->io_mode == SL_IO_MODE_TIMEOUT)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_timeout (config));

      emitf (self, 0, "#   I/O mode         timeout (%s s)", seconds);
    }
  else
    emitf (self, 0, "#   I/O mode         %s", sl_io_mode_to_string (self->io_mode));
  if (self->stream && !self->server)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_connect_timeout (config));

      emitf (self, 0, "#   connect timeout  %s s", seconds);
    }
  if (self->reply == SL_REPLY_FIXED)
    {
      g_autofree char *text = one_line (sl_endpoint_config_get_reply_text (config));

      emitf (self, 0, "#   reply            fixed: %s", text);
    }
  else
    emitf (self, 0, "#   reply            %s", sl_reply_mode_to_string (self->reply));
  emitf (self, 0, "#   encoding         %s", sl_encoding_to_string (self->encoding));
  if (self->stream)
    emitf (self, 0, "#   close on EOF     %s", sl_endpoint_config_get_close_on_eof (config)
                                              ? "yes" : "no");
  if (self->auth != SL_AUTH_MODE_NONE)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_auth_timeout (config));

      emitf (self, 0, "#   authentication   HMAC-%s challenge-response, timeout %s s",
             self->auth == SL_AUTH_MODE_HMAC_MD5 ? "MD5" : "SHA256", seconds);
    }
  else if (self->stream)
    emit (self, 0, "#   authentication   none");

  emitf (self, 0, "#\n"
         "# Python 3 only. Run it with: python3 %s\n"
         "%s",
         filename,
         self->server
         ? "# Stop it with Ctrl+C. Its first line is \"listening on ...\" with the real port."
         : "# It reads one message per line from the keyboard (or from a pipe) and stops\n"
           "# at the end of input or at the line \"exit\".");
}

static void
write_imports (Script *self)
{
  gboolean nonblocking = self->io_mode == SL_IO_MODE_NONBLOCKING;
  gboolean needs_os = self->family == SL_FAMILY_UNIX && self->server;

  if (self->encoding == SL_ENCODING_BASE64)
    emit (self, 0, "import base64");
  if (self->auth != SL_AUTH_MODE_NONE)
    emit (self, 0, "import hmac");
  if (self->encoding == SL_ENCODING_JSON)
    emit (self, 0, "import json");
  if (needs_os || (self->auth != SL_AUTH_MODE_NONE && self->server))
    emit (self, 0, "import os");
  emit (self, 0, "import socket");
  if (!self->server || self->auth != SL_AUTH_MODE_NONE)
    emit (self, 0, "import sys");
  if (nonblocking)
    emit (self, 0, "import time");
  emit (self, 0, "");
}

static void
write_constants (Script *self)
{
  SlEndpointConfig *config = self->config;

  if (self->family == SL_FAMILY_UNIX)
    {
      g_autofree char *path = py_str (sl_endpoint_config_get_path (config));

      emitf (self, 0, "PATH = %s  # the socket file", path);
    }
  else
    {
      g_autofree char *host = py_str (sl_endpoint_config_get_host (config));
      int port = sl_endpoint_config_get_port (config);

      emitf (self, 0, "HOST = %s", host);
      if (port == 0 && self->server)
        emit (self, 0, "PORT = 0  # 0: the kernel picks a free port (printed below)");
      else
        emitf (self, 0, "PORT = %d", port);
    }
  if (self->local_bind)
    {
      g_autofree char *host = py_str (sl_endpoint_config_get_local_host (config));

      emitf (self, 0, "LOCAL_HOST = %s  # '' means any local address", host);
      emitf (self, 0, "LOCAL_PORT = %d  # 0: the kernel picks one",
             sl_endpoint_config_get_local_port (config));
    }
  if (self->stream && self->server)
    emitf (self, 0, "BACKLOG = %d  # connections the kernel queues before accept()",
           sl_endpoint_config_get_backlog (config));
  emitf (self, 0, "BUFSIZE = %d  # the most bytes one %s returns",
         sl_endpoint_config_get_bufsize (config), self->stream ? "recv()" : "recvfrom()");
  if (self->io_mode == SL_IO_MODE_TIMEOUT)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_timeout (config));

      emitf (self, 0, "TIMEOUT = %s  # seconds a call may wait before socket.timeout", seconds);
    }
  if (self->io_mode == SL_IO_MODE_NONBLOCKING)
    emit (self, 0, "RETRY = " RETRY_SECONDS "  # seconds to wait after BlockingIOError");
  if (self->stream && !self->server)
    {
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_connect_timeout (config));

      emitf (self, 0, "CONNECT_TIMEOUT = %s  # seconds connect() may take", seconds);
    }
  if (self->reply == SL_REPLY_FIXED && self->server)
    {
      const char *text = sl_endpoint_config_get_reply_text (config);
      g_autofree char *literal = py_str (text);

      switch (self->encoding)
        {
        case SL_ENCODING_BASE64:
          emitf (self, 0, "REPLY = base64.b64encode(%s.encode('utf-8'))", literal);
          break;
        case SL_ENCODING_HEX:
          {
            g_autoptr(GBytes) bytes = sl_codec_encode (SL_ENCODING_HEX, text, NULL);
            g_autofree char *hex = NULL;

            hex = bytes != NULL ? sl_codec_decode (SL_ENCODING_HEX, bytes, 0, NULL) : NULL;
            emitf (self, 0, "REPLY = bytes.fromhex('%s')", hex != NULL ? hex : "");
          }
          break;
        case SL_ENCODING_JSON:
          emitf (self, 0, "REPLY = %s.encode('utf-8')  # JSON text, sent as it is", literal);
          break;
        case SL_ENCODING_TEXT:
        default:
          emitf (self, 0, "REPLY = %s.encode('utf-8')", literal);
        }
    }
  if (self->auth != SL_AUTH_MODE_NONE)
    {
      const char *salt = sl_endpoint_config_get_salt (config);
      g_autofree char *literal = sl_codec_python_bytes ((const guint8 *) salt, strlen (salt), 0);
      g_autofree char *seconds = py_seconds (sl_endpoint_config_get_auth_timeout (config));

      emitf (self, 0, "SALT = %s  # the secret both sides know", literal);
      emitf (self, 0, "DIGEST = '%s'  # %s", sl_auth_digest_name (self->auth),
             self->auth == SL_AUTH_MODE_HMAC_MD5
             ? "what the tutorial's hmac.new(salt, msg) used before Python 3.8"
             : "hmac.new() needs a digest since Python 3.8");
      emitf (self, 0, "DIGEST_SIZE = %u  # bytes of an HMAC-%s digest",
             (guint) sl_auth_digest_size (self->auth),
             self->auth == SL_AUTH_MODE_HMAC_MD5 ? "MD5" : "SHA256");
      emitf (self, 0, "AUTH_TIMEOUT = %s  # seconds the handshake may take", seconds);
    }
  emit (self, 0, "");
}

static void
write_helpers (Script *self)
{
  switch (self->encoding)
    {
    case SL_ENCODING_BASE64:
      emit (self, 0, "\n"
            "def decoded(data):\n"
            "    \"\"\"What the bytes say, as tutorial 000 prints base64.b64decode(data).\"\"\"\n"
            "    try:\n"
            "        text = base64.b64decode(data, validate=True).decode('utf-8', "
            "'backslashreplace')\n"
            "    except ValueError as e:\n"
            "        return '[not base64: %s]' % e\n"
            "    return '[base64 → %s]' % text\n");
      break;
    case SL_ENCODING_HEX:
      emit (self, 0, "\n"
            "def decoded(data):\n"
            "    \"\"\"The bytes as hex pairs.\"\"\"\n"
            "    return '[hex → %s]' % data.hex(' ')\n");
      break;
    case SL_ENCODING_JSON:
      emit (self, 0, "\n"
            "def decoded(data):\n"
            "    \"\"\"The JSON value the bytes hold, or why they hold none.\"\"\"\n"
            "    try:\n"
            "        value = json.loads(data.decode('utf-8'))\n"
            "    except ValueError as e:\n"
            "        return '[not JSON: %s]' % e\n"
            "    return '[json → %s]' % json.dumps(value, ensure_ascii=False)\n");
      break;
    case SL_ENCODING_TEXT:
    default:
      break;
    }

  if (!self->server && self->encoding == SL_ENCODING_HEX)
    emit (self, 0, "\n"
          "def encode(msg):\n"
          "    \"\"\"The bytes a line of hex digits stands for: '48 65 6c', '48656c', "
          "'0x48:0x65'.\"\"\"\n"
          "    for separator in ('0x', '0X', ':', '-', ','):\n"
          "        msg = msg.replace(separator, ' ')\n"
          "    return bytes.fromhex(msg)\n");
  else if (!self->server && self->encoding == SL_ENCODING_JSON)
    emit (self, 0, "\n"
          "def encode(msg):\n"
          "    \"\"\"The line itself, once it is known to be valid JSON (json.loads raises\n"
          "    ValueError otherwise); sent unchanged, as Socket Lab does.\"\"\"\n"
          "    json.loads(msg)\n"
          "    return msg.encode('utf-8')\n");

  if (self->auth == SL_AUTH_MODE_NONE)
    return;

  emit (self, 0, "\n"
        "def recv_exact(sock, size):\n"
        "    \"\"\"Reads exactly @size bytes, or fewer if the peer closes first. The tutorial\n"
        "    reads the handshake with one recv(1024), but TCP is a byte stream: the\n"
        "    bytes may arrive split, or merged with the next message.\"\"\"\n"
        "    data = b''\n"
        "    while len(data) < size:\n"
        "        piece = sock.recv(size - len(data))\n"
        "        if not piece:\n"
        "            break\n"
        "        data += piece\n"
        "    return data\n");
  if (self->server)
    emit (self, 0, "\n"
          "def verification(conn):\n"
          "    \"\"\"Link authentication of tutorial 003: send 32 random bytes; the client\n"
          "    must answer hmac.new(SALT, challenge, DIGEST).digest().\"\"\"\n"
          "    challenge = os.urandom(32)\n"
          "    conn.sendall(challenge)\n"
          "    conn.settimeout(AUTH_TIMEOUT)\n"
          "    try:\n"
          "        reply = recv_exact(conn, DIGEST_SIZE)\n"
          "    except (socket.timeout, ConnectionResetError):\n"
          "        return False\n"
          "    finally:\n"
          "        conn.settimeout(None)\n"
          "    digest = hmac.new(SALT, challenge, DIGEST).digest()\n"
          "    return hmac.compare_digest(digest, reply)\n");
  else
    emit (self, 0, "\n"
          "def authenticate(sock):\n"
          "    \"\"\"Link authentication of tutorial 003: answer the server's 32-byte\n"
          "    challenge with hmac.new(SALT, challenge, DIGEST).digest().\"\"\"\n"
          "    sock.settimeout(AUTH_TIMEOUT)\n"
          "    try:\n"
          "        challenge = recv_exact(sock, 32)\n"
          "    except socket.timeout:\n"
          "        challenge = b''\n"
          "    finally:\n"
          "        sock.settimeout(None)\n"
          "    if len(challenge) < 32:\n"
          "        return False\n"
          "    sock.sendall(hmac.new(SALT, challenge, DIGEST).digest())\n"
          "    return True\n");
}

/* The print() of received bytes, with their meaning in the encoding. */
static char *
print_data (Script     *self,
            const char *prefix,
            const char *variable)
{
  return g_strdup_printf ("print(%s%s%s%s%s, flush=True)", prefix, variable,
                          self->encoding != SL_ENCODING_TEXT ? ", decoded(" : "",
                          self->encoding != SL_ENCODING_TEXT ? variable : "",
                          self->encoding != SL_ENCODING_TEXT ? ")" : "");
}

/* socket(), setsockopt(), bind() for servers and local binds. */
static void
write_socket (Script     *self,
              const char *name)
{
  emitf (self, 0, "%s = socket.socket(%s, %s)", name, family_constant (self->family),
         self->stream ? "socket.SOCK_STREAM" : "socket.SOCK_DGRAM");
  if (sl_endpoint_config_get_reuseaddr (self->config))
    emitf (self, 0, "%s%s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
           self->server ? "# Before bind(): allow a port still in TIME_WAIT to be used again.\n"
                        : "",
           name);
}

static void
write_mode_comment (Script *self)
{
  switch (self->io_mode)
    {
    case SL_IO_MODE_ASYNC:
      if (self->server && self->stream)
        emit (self, 0, "# I/O mode async: Socket Lab waits for all its sockets at once and serves\n"
              "# several clients together. This plain Python equivalent uses blocking\n"
              "# calls and serves one client after another, like the tutorials.");
      else
        emit (self, 0, "# I/O mode async: Socket Lab waits for its sockets without blocking its\n"
              "# window. This plain Python equivalent uses blocking calls.");
      break;
    case SL_IO_MODE_BLOCKING:
      emitf (self, 0, "# I/O mode blocking: %s waits until something arrives.",
             self->stream ? (self->server ? "accept() and recv()" : "recv()")
                          : "recvfrom()");
      break;
    case SL_IO_MODE_NONBLOCKING:
      emitf (self, 0, "# I/O mode non-blocking: %s returns at once; when nothing is there it\n"
             "# raises BlockingIOError (EAGAIN) and the program tries again a bit later.",
             self->stream ? (self->server ? "accept() or recv()" : "recv()") : "recvfrom()");
      break;
    case SL_IO_MODE_TIMEOUT:
      emitf (self, 0, "# I/O mode timeout: %s waits at most TIMEOUT seconds, then raises\n"
             "# socket.timeout.",
             self->stream ? (self->server ? "accept() or recv()" : "recv()") : "recvfrom()");
      break;
    default:
      break;
    }
}

/* settimeout()/setblocking() for the I/O mode, on socket @name. */
static void
write_mode_setting (Script     *self,
                    int         level,
                    const char *name)
{
  if (self->io_mode == SL_IO_MODE_TIMEOUT)
    emitf (self, level, "%s.settimeout(TIMEOUT)", name);
  else if (self->io_mode == SL_IO_MODE_NONBLOCKING)
    emitf (self, level, "%s.setblocking(False)", name);
}

/* The try/except around a receiving call: @call is "data = conn.recv(BUFSIZE)". */
static void
write_receive (Script     *self,
               int         level,
               const char *call,
               const char *what,
               gboolean    reset_breaks)
{
  if (self->io_mode != SL_IO_MODE_TIMEOUT && self->io_mode != SL_IO_MODE_NONBLOCKING &&
      !reset_breaks)
    {
      emit (self, level, call);
      return;
    }

  emit (self, level, "try:");
  emit (self, level + 1, call);
  if (self->io_mode == SL_IO_MODE_TIMEOUT)
    emitf (self, level, "except socket.timeout:\n"
           "    print('%s timed out after %%s s: %s' %% TIMEOUT, flush=True)\n"
           "    continue",
           what, g_str_equal (what, "accept()") ? "no client yet" : "nothing arrived");
  else if (self->io_mode == SL_IO_MODE_NONBLOCKING)
    emit (self, level, "except BlockingIOError:\n"
          "    time.sleep(RETRY)  # nothing there yet (EAGAIN): try again\n"
          "    continue");
  if (reset_breaks)
    emit (self, level, "except ConnectionResetError:\n"
          "    print('reset by peer:', addr, flush=True)  # the peer aborted (RST)\n"
          "    break");
}

static void
write_listening (Script     *self,
                 const char *name)
{
  if (self->family == SL_FAMILY_UNIX)
    emit (self, 0, "print('listening on %s' % PATH, flush=True)");
  else if (self->family == SL_FAMILY_IPV6)
    emitf (self, 0, "print('listening on [%%s]:%%d' %% %s.getsockname()[:2], flush=True)", name);
  else
    emitf (self, 0, "print('listening on %%s:%%d' %% %s.getsockname()[:2], flush=True)", name);
}

static const char *
reply_expression (Script *self)
{
  switch (self->reply)
    {
    case SL_REPLY_ECHO:
      return "data";
    case SL_REPLY_UPPER:
      return "data.upper()";
    case SL_REPLY_FIXED:
      return "REPLY";
    case SL_REPLY_NONE:
    default:
      return NULL;
    }
}

static void
write_server_end (Script *self)
{
  emit (self, 0, "except KeyboardInterrupt:\n"
        "    print('stopped', flush=True)\n"
        "finally:\n"
        "    server.close()");
  if (self->family == SL_FAMILY_UNIX)
    emit (self, 1, "os.unlink(PATH)  # the socket file stays after close(): remove it");
}

static void
write_tcp_server (Script *self)
{
  const char *reply = reply_expression (self);
  gboolean close_on_eof = sl_endpoint_config_get_close_on_eof (self->config);
  int max_clients = sl_endpoint_config_get_max_clients (self->config);
  g_autofree char *print_recv = print_data (self, "'recv:', ", "data");

  write_socket (self, "server");
  emit (self, 0, self->family == SL_FAMILY_UNIX ? "server.bind(PATH)"
                                                : "server.bind((HOST, PORT))");
  emit (self, 0, "server.listen(BACKLOG)");
  write_mode_comment (self);
  write_mode_setting (self, 0, "server");
  write_listening (self, "server");
  if (max_clients > 0 && max_clients != SL_ENDPOINT_CONFIG_DEFAULT_MAX_CLIENTS)
    emitf (self, 0, "# Max clients %d: Socket Lab accepts and closes at once a client beyond the\n"
           "# limit. This script talks to one client at a time, so it never has more.",
           max_clients);
  if (!close_on_eof)
    emit (self, 0, "open_sockets = []  # connections kept open after the peer closed");
  emit (self, 0, "\n"
        "try:\n"
        "    # Connection loop: one client after another.\n"
        "    while True:");
  if (self->io_mode == SL_IO_MODE_TIMEOUT || self->io_mode == SL_IO_MODE_NONBLOCKING)
    write_receive (self, 2, "conn, addr = server.accept()", "accept()", FALSE);
  else
    emit (self, 2, "conn, addr = server.accept()");
  emit (self, 2, "print('connected:', addr, flush=True)");
  if (self->auth != SL_AUTH_MODE_NONE)
    emit (self, 2, "\n"
          "if not verification(conn):\n"
          "    print('verification fail:', addr, flush=True)\n"
          "    conn.close()\n"
          "    continue\n"
          "print('verified:', addr, flush=True)");
  write_mode_setting (self, 2, "conn");
  emit (self, 2, "\n"
        "# Communication loop: this client's messages.\n"
        "while True:");
  write_receive (self, 3, "data = conn.recv(BUFSIZE)", "recv()", TRUE);
  emit (self, 3, "if not data:\n"
        "    # recv() returned b'': the client closed its side (FIN)\n"
        "    print('peer closed:', addr, flush=True)\n"
        "    break");
  emit (self, 3, print_recv);
  if (reply != NULL)
    emitf (self, 3, "try:\n"
           "    conn.sendall(%s)  # sendall(): send() may send only part\n"
           "except (BrokenPipeError, ConnectionResetError):\n"
           "    print('reset by peer:', addr, flush=True)\n"
           "    break",
           reply);
  else
    emit (self, 3, "# reply none: this server only prints what it receives");
  emit (self, 2, "");
  if (close_on_eof)
    emit (self, 2, "conn.close()\n"
          "print('closed:', addr, flush=True)");
  else
    emit (self, 2, "# \"Close when the peer closes\" is off: conn stays open, in CLOSE_WAIT,\n"
          "# until this program ends. A server that forgets close() piles them up.\n"
          "open_sockets.append(conn)");
  write_server_end (self);
}

static void
write_udp_server (Script *self)
{
  const char *reply = reply_expression (self);

  write_socket (self, "server");
  emit (self, 0, self->family == SL_FAMILY_UNIX ? "server.bind(PATH)"
                                                : "server.bind((HOST, PORT))");
  write_mode_comment (self);
  write_mode_setting (self, 0, "server");
  write_listening (self, "server");
  emit (self, 0, "\n"
        "try:\n"
        "    # Communication loop. Datagrams have no connection, so there is no\n"
        "    # connection loop: each recvfrom() tells who sent the datagram.\n"
        "    while True:");
  write_receive (self, 2, "data, addr = server.recvfrom(BUFSIZE)", "recvfrom()", FALSE);
  if (self->encoding == SL_ENCODING_TEXT)
    emit (self, 2, "print('recvfrom:', data, 'from', addr, flush=True)");
  else
    emit (self, 2, "print('recvfrom:', data, decoded(data), 'from', addr, flush=True)");
  if (reply != NULL)
    {
      if (self->family == SL_FAMILY_UNIX)
        emit (self, 2, "if not addr:\n"
              "    # a Unix datagram sender without an address of its own gets no reply\n"
              "    continue");
      emitf (self, 2, "server.sendto(%s, addr)  # the reply goes to the sender", reply);
    }
  else
    emit (self, 2, "# reply none: this server only prints what it receives");
  write_server_end (self);
}

/* The input() loop of a client, up to and including the send. */
static void
write_input_loop (Script *self)
{
  emit (self, 0, "\n"
        "PROMPT = '>>> ' if sys.stdin.isatty() else ''\n"
        "try:\n"
        "    while True:\n"
        "        try:\n"
        "            msg = input(PROMPT)\n"
        "        except EOFError:\n"
        "            break  # end of input\n"
        "");
  if (self->stream)
    emit (self, 2, "# Do not send empty messages: over TCP an empty send() sends nothing\n"
          "# and the recv() after it would wait forever for a reply.");
  else
    emit (self, 2, "# Skip empty messages, like the tutorials' clients. (Over UDP an empty\n"
          "# datagram would arrive, but an empty line is more likely a slip.)");
  emit (self, 2, "if not msg:\n"
        "    continue\n"
        "if msg == 'exit':\n"
        "    break\n");
  switch (self->encoding)
    {
    case SL_ENCODING_BASE64:
      emit (self, 2, "data = base64.b64encode(msg.encode('utf-8'))");
      break;
    case SL_ENCODING_HEX:
    case SL_ENCODING_JSON:
      emitf (self, 2, "try:\n"
             "    data = encode(msg)\n"
             "except ValueError as e:\n"
             "    print('not sent, not valid %s:', e, flush=True)\n"
             "    continue",
             self->encoding == SL_ENCODING_HEX ? "hex" : "JSON");
      break;
    case SL_ENCODING_TEXT:
    default:
      emit (self, 2, "data = msg.encode('utf-8')");
    }
}

static void
write_client_reply_note (Script *self)
{
  if (self->reply != SL_REPLY_NONE)
    emitf (self, 0, "# Reply %s: in Socket Lab this client also answers each message it\n"
           "# receives. This script reads one reply to each of its messages instead.",
           sl_reply_mode_to_string (self->reply));
}

static void
write_client_end (Script *self)
{
  emit (self, 0, "except KeyboardInterrupt:\n"
        "    pass\n"
        "finally:\n"
        "    client.close()");
}

static void
write_local_bind (Script *self)
{
  if (self->local_bind)
    emit (self, 0, "client.bind((LOCAL_HOST, LOCAL_PORT))  # the local address to send from");
}

static void
write_tcp_client (Script *self)
{
  g_autofree char *print_reply = print_data (self, "", "reply");

  write_socket (self, "client");
  write_local_bind (self);
  emit (self, 0, "client.settimeout(CONNECT_TIMEOUT)");
  emit (self, 0, self->family == SL_FAMILY_UNIX ? "client.connect(PATH)"
                                                : "client.connect((HOST, PORT))");
  emit (self, 0, "client.settimeout(None)\n"
        "print('connected:', client.getpeername(), flush=True)");
  if (self->auth != SL_AUTH_MODE_NONE)
    emit (self, 0, "if not authenticate(client):\n"
          "    print('authentication failed: the server closed or was too slow', flush=True)\n"
          "    client.close()\n"
          "    sys.exit(1)");
  write_mode_comment (self);
  write_mode_setting (self, 0, "client");
  write_client_reply_note (self);
  write_input_loop (self);
  emit (self, 2, "client.sendall(data)  # sendall(): send() may send only part");

  if (self->io_mode == SL_IO_MODE_NONBLOCKING)
    emit (self, 2, "\n"
          "while True:\n"
          "    try:\n"
          "        reply = client.recv(BUFSIZE)\n"
          "        break\n"
          "    except BlockingIOError:\n"
          "        time.sleep(RETRY)  # no reply yet (EAGAIN): try again\n"
          "    except ConnectionResetError:\n"
          "        reply = b''\n"
          "        break");
  else
    {
      emit (self, 2, "\ntry:\n"
            "    reply = client.recv(BUFSIZE)");
      if (self->io_mode == SL_IO_MODE_TIMEOUT)
        emit (self, 2, "except socket.timeout:\n"
              "    print('recv() timed out after %s s: no reply' % TIMEOUT, flush=True)\n"
              "    continue");
      emit (self, 2, "except ConnectionResetError:\n"
            "    reply = b''");
    }
  emit (self, 2, "if not reply:\n"
        "    print('server closed', flush=True)\n"
        "    break");
  emit (self, 2, print_reply);
  write_client_end (self);
}

static void
write_udp_client (Script *self)
{
  g_autofree char *print_reply = print_data (self, "", "reply");

  write_socket (self, "client");
  write_local_bind (self);
  if (self->family == SL_FAMILY_UNIX)
    emit (self, 0, "# A Unix datagram client needs an address of its own to get replies:\n"
          "# bind('') lets Linux give it a unique abstract one (autobind).\n"
          "client.bind('')");
  write_mode_comment (self);
  write_mode_setting (self, 0, "client");
  write_client_reply_note (self);
  write_input_loop (self);
  emit (self, 2, self->family == SL_FAMILY_UNIX ? "client.sendto(data, PATH)"
                                                : "client.sendto(data, (HOST, PORT))");
  if (self->io_mode == SL_IO_MODE_NONBLOCKING)
    emit (self, 2, "\n"
          "while True:\n"
          "    try:\n"
          "        reply, addr = client.recvfrom(BUFSIZE)\n"
          "        break\n"
          "    except BlockingIOError:\n"
          "        time.sleep(RETRY)  # no reply yet (EAGAIN): try again");
  else if (self->io_mode == SL_IO_MODE_TIMEOUT)
    emit (self, 2, "\n"
          "try:\n"
          "    reply, addr = client.recvfrom(BUFSIZE)\n"
          "except socket.timeout:\n"
          "    print('recvfrom() timed out after %s s: no reply' % TIMEOUT, flush=True)\n"
          "    continue");
  else
    emit (self, 2, "reply, addr = client.recvfrom(BUFSIZE)");
  emit (self, 2, print_reply);
  write_client_end (self);
}

char *
sl_python_export (SlEndpointConfig  *config,
                  GError           **error)
{
  Script script = { 0 };
  Script *self = &script;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (config), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sl_endpoint_config_validate (config, NULL, error))
    return NULL;

  self->config = config;
  self->out = g_string_new (NULL);
  self->server = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER;
  self->stream = sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_TCP;
  self->family = sl_endpoint_config_get_family (config);
  self->io_mode = sl_endpoint_config_get_io_mode (config);
  self->reply = sl_endpoint_config_get_reply_mode (config);
  self->encoding = sl_endpoint_config_get_encoding (config);
  self->auth = effective_auth (config);
  self->local_bind = has_local_bind (config);

  write_header (self);
  emit (self, 0, "");
  write_imports (self);
  write_constants (self);
  write_helpers (self);
  emit (self, 0, "");
  if (self->server && self->stream)
    write_tcp_server (self);
  else if (self->server)
    write_udp_server (self);
  else if (self->stream)
    write_tcp_client (self);
  else
    write_udp_client (self);

  return g_string_free (self->out, FALSE);
}
