/* sl-cli-options.c — the command line of socket-lab-cli, parsed into a config
 *
 * Every value is first stored as typed, then set into an SlEndpointConfig and
 * checked with sl_endpoint_config_validate(), so the terminal shows the same
 * messages as the app's form, prefixed with the argument that caused them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sl-auth.h"
#include "sl-cli-options.h"
#include "sl-codec.h"
#include "sl-error.h"

typedef struct
{
  SlProtocol  protocol;
  SlRole      role;
  gboolean    unix_family;
  const char *name;
} Mode;

static const Mode modes[] = {
  { SL_PROTOCOL_TCP, SL_ROLE_SERVER, FALSE, "tcp-server" },
  { SL_PROTOCOL_TCP, SL_ROLE_CLIENT, FALSE, "tcp-client" },
  { SL_PROTOCOL_UDP, SL_ROLE_SERVER, FALSE, "udp-server" },
  { SL_PROTOCOL_UDP, SL_ROLE_CLIENT, FALSE, "udp-client" },
  { SL_PROTOCOL_TCP, SL_ROLE_SERVER, TRUE,  "unix-server" },
  { SL_PROTOCOL_TCP, SL_ROLE_CLIENT, TRUE,  "unix-client" },
};

/* The arguments as typed, before they are checked. */
typedef struct
{
  char      *reply;
  char      *backlog;
  char      *bufsize;
  char      *max_clients;
  char      *io;
  char      *encoding;
  char      *duration;
  char      *wait;
  char      *connect_timeout;
  char      *bind;
  char      *auth;
  char      *salt;
  char      *auth_timeout;
  GPtrArray *sends;
  gboolean   reuseaddr;
  gboolean   quiet;
  gboolean   datagram;
  gboolean   close_on_eof;
  gboolean   no_close_on_eof;
  gboolean   version;
} RawArgs;

static void
raw_args_clear (RawArgs *raw)
{
  g_free (raw->reply);
  g_free (raw->backlog);
  g_free (raw->bufsize);
  g_free (raw->max_clients);
  g_free (raw->io);
  g_free (raw->encoding);
  g_free (raw->duration);
  g_free (raw->wait);
  g_free (raw->connect_timeout);
  g_free (raw->bind);
  g_free (raw->auth);
  g_free (raw->salt);
  g_free (raw->auth_timeout);
  g_clear_pointer (&raw->sends, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RawArgs, raw_args_clear)

void
sl_cli_options_free (SlCliOptions *options)
{
  if (options == NULL)
    return;

  g_clear_object (&options->config);
  g_clear_pointer (&options->messages, g_ptr_array_unref);
  g_clear_pointer (&options->payloads, g_ptr_array_unref);
  g_free (options);
}

gboolean
sl_cli_options_is_server (SlCliOptions *options)
{
  return sl_endpoint_config_get_role (options->config) == SL_ROLE_SERVER;
}

gboolean
sl_cli_options_is_datagram (SlCliOptions *options)
{
  return sl_endpoint_config_get_protocol (options->config) == SL_PROTOCOL_UDP;
}

gboolean
sl_cli_options_is_interactive (SlCliOptions *options)
{
  return !sl_cli_options_is_server (options) && options->messages->len == 0;
}

static gboolean
bad_value (GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad_value (GError    **error,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* FAILED marks our own messages, which already say what is allowed. */
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
  return FALSE;
}

/* Message texts are taken as raw bytes (G_OPTION_FLAG_FILENAME) so that no
 * locale conversion can reject them; they must be UTF-8. */
static gboolean
send_cb (const char  *option_name,
         const char  *value,
         gpointer     user_data,
         GError     **error)
{
  RawArgs *raw = user_data;

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_autofree char *shown = sl_codec_render ((const guint8 *) value, strlen (value), 64);

      return bad_value (error, _("--send “%s”: the message is not valid UTF-8 text; "
                                 "use --encoding=hex to send arbitrary bytes."), shown);
    }
  g_ptr_array_add (raw->sends, g_strdup (value));
  return TRUE;
}

static gboolean
reply_cb (const char  *option_name,
          const char  *value,
          gpointer     user_data,
          GError     **error)
{
  RawArgs *raw = user_data;

  if (!g_utf8_validate (value, -1, NULL))
    return bad_value (error, _("--reply: the text is not valid UTF-8."));
  g_free (raw->reply);
  raw->reply = g_strdup (value);
  return TRUE;
}

static gboolean
parse_int (const char  *option,
           const char  *text,
           int         *value,
           GError     **error)
{
  gint64 parsed;

  if (!g_ascii_string_to_signed (text, 10, G_MININT, G_MAXINT, &parsed, NULL))
    return bad_value (error, _("%s=%s: “%s” is not a whole number."), option, text, text);
  *value = (int) parsed;
  return TRUE;
}

static gboolean
parse_seconds (const char  *option,
               const char  *text,
               double      *value,
               GError     **error)
{
  char *end = NULL;
  double parsed;

  parsed = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == NULL || *end != '\0' || !isfinite (parsed))
    return bad_value (error, _("%s=%s: “%s” is not a number of seconds (for example 2 or 0.5)."),
                      option, text, text);
  if (parsed < 0)
    return bad_value (error, _("%s=%s: the time cannot be negative; use 0 or more seconds."),
                      option, text);
  *value = parsed;
  return TRUE;
}

static gboolean
parse_reply (SlEndpointConfig  *config,
             const char        *text,
             GError           **error)
{
  if (g_str_equal (text, "none"))
    sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  else if (g_str_equal (text, "echo"))
    sl_endpoint_config_set_reply_mode (config, SL_REPLY_ECHO);
  else if (g_str_equal (text, "upper"))
    sl_endpoint_config_set_reply_mode (config, SL_REPLY_UPPER);
  else if (g_str_has_prefix (text, "fixed:"))
    {
      sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
      sl_endpoint_config_set_reply_text (config, text + strlen ("fixed:"));
    }
  else
    return bad_value (error, _("--reply=%s: unknown reply “%s”; use none, echo, upper or "
                               "fixed:TEXT."), text, text);
  return TRUE;
}

static gboolean
parse_io (SlEndpointConfig  *config,
          const char        *text,
          GError           **error)
{
  if (g_str_equal (text, "async"))
    sl_endpoint_config_set_io_mode (config, SL_IO_MODE_ASYNC);
  else if (g_str_equal (text, "blocking"))
    sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  else if (g_str_equal (text, "nonblocking") || g_str_equal (text, "non-blocking"))
    sl_endpoint_config_set_io_mode (config, SL_IO_MODE_NONBLOCKING);
  else if (g_str_equal (text, "timeout"))
    sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  else if (g_str_has_prefix (text, "timeout:"))
    {
      const char *seconds = text + strlen ("timeout:");
      char *end = NULL;
      double timeout = g_ascii_strtod (seconds, &end);

      if (*seconds == '\0' || end == NULL || *end != '\0' || !isfinite (timeout))
        return bad_value (error, _("--io=%s: “%s” is not a number of seconds; write for "
                                   "example --io=timeout:2.5."), text, seconds);
      sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
      sl_endpoint_config_set_timeout (config, timeout);
    }
  else
    return bad_value (error, _("--io=%s: unknown I/O mode “%s”; use async, blocking, "
                               "nonblocking or timeout:SECONDS."), text, text);
  return TRUE;
}

/* --bind=HOST:PORT is parsed like ADDRESS, then moved to the local fields. */
static gboolean
parse_bind (SlEndpointConfig  *config,
            const char        *text,
            GError           **error)
{
  g_autoptr(SlEndpointConfig) local = sl_endpoint_config_new ();
  g_autoptr(GError) local_error = NULL;

  sl_endpoint_config_set_family (local, sl_endpoint_config_get_family (config));
  if (sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX)
    return bad_value (error, _("--bind=%s: a local address only applies to TCP and UDP "
                               "clients, not to Unix sockets."), text);
  if (!sl_endpoint_config_set_address_string (local, text, &local_error))
    return bad_value (error, "--bind=%s: %s", text, local_error->message);

  sl_endpoint_config_set_local_host (config, sl_endpoint_config_get_host (local));
  sl_endpoint_config_set_local_port (config, sl_endpoint_config_get_port (local));
  return TRUE;
}

/* The argument a config field came from, as the user typed it. */
static char *
field_argument (RawArgs       *raw,
                const char    *address,
                SlConfigField  field)
{
  switch (field)
    {
    case SL_CONFIG_FIELD_HOST:
    case SL_CONFIG_FIELD_PORT:
    case SL_CONFIG_FIELD_PATH:
      return g_strdup_printf (_("ADDRESS “%s”"), address);
    case SL_CONFIG_FIELD_LOCAL_HOST:
    case SL_CONFIG_FIELD_LOCAL_PORT:
      return g_strdup_printf ("--bind=%s", raw->bind);
    case SL_CONFIG_FIELD_BACKLOG:
      return g_strdup_printf ("--backlog=%s", raw->backlog);
    case SL_CONFIG_FIELD_BUFSIZE:
      return g_strdup_printf ("--bufsize=%s", raw->bufsize);
    case SL_CONFIG_FIELD_MAX_CLIENTS:
      return g_strdup_printf ("--max-clients=%s", raw->max_clients);
    case SL_CONFIG_FIELD_TIMEOUT:
      return g_strdup_printf ("--io=%s", raw->io);
    case SL_CONFIG_FIELD_CONNECT_TIMEOUT:
      return g_strdup_printf ("--connect-timeout=%s", raw->connect_timeout);
    case SL_CONFIG_FIELD_REPLY_TEXT:
      return g_strdup_printf ("--reply=%s", raw->reply);
    case SL_CONFIG_FIELD_AUTH:
      return g_strdup_printf ("--auth=%s", raw->auth);
    case SL_CONFIG_FIELD_SALT:
      return g_strdup_printf ("--salt=%s", raw->salt != NULL ? raw->salt : "");
    case SL_CONFIG_FIELD_AUTH_TIMEOUT:
      return g_strdup_printf ("--auth-timeout=%s", raw->auth_timeout);
    case SL_CONFIG_FIELD_NONE:
    default:
      return NULL;
    }
}

static const Mode *
find_mode (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (modes[i].name, name))
      return &modes[i];
  return NULL;
}

static GOptionContext *
build_context (RawArgs *raw)
{
  const GOptionEntry entries[] = {
    { "reply", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, reply_cb,
      N_("Answer to each message: none, echo, upper or fixed:TEXT"),
      N_("REPLY") },
    { "reuseaddr", 0, 0, G_OPTION_ARG_NONE, &raw->reuseaddr,
      N_("Call setsockopt(SOL_SOCKET, SO_REUSEADDR, 1) before bind()"), NULL },
    { "backlog", 0, 0, G_OPTION_ARG_STRING, &raw->backlog,
      N_("listen() backlog: connections queued before accept() (5)"),
      N_("N") },
    { "bufsize", 0, 0, G_OPTION_ARG_STRING, &raw->bufsize,
      N_("Bytes asked for by each recv() or recvfrom() (1024)"), N_("N") },
    { "max-clients", 0, 0, G_OPTION_ARG_STRING, &raw->max_clients,
      N_("Most clients served at once; 0 = no limit (1024)"), N_("N") },
    { "io", 0, 0, G_OPTION_ARG_STRING, &raw->io,
      N_("async, blocking, nonblocking or timeout:SECONDS (async)"), N_("MODE") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &raw->encoding,
      N_("Encoding of messages sent and shown: text, base64, hex, json"),
      N_("ENCODING") },
    { "send", 0, G_OPTION_FLAG_FILENAME, G_OPTION_ARG_CALLBACK, send_cb,
      N_("A message to send; repeat it to send several in order"),
      N_("MESSAGE") },
    { "wait", 0, 0, G_OPTION_ARG_STRING, &raw->wait,
      N_("Wait this long for a reply after each message (2; 0 = no wait)"),
      N_("SECONDS") },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &raw->duration,
      N_("Stop after this many seconds"),
      N_("SECONDS") },
    { "connect-timeout", 0, 0, G_OPTION_ARG_STRING, &raw->connect_timeout,
      N_("How long connect() may take (5)"), N_("SECONDS") },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &raw->bind,
      N_("Local address a client binds before connecting"), N_("HOST:PORT") },
    { "auth", 0, 0, G_OPTION_ARG_STRING, &raw->auth,
      N_("Link authentication of tutorial 003: none, hmac-sha256 or hmac-md5 (none)"),
      N_("AUTH") },
    { "salt", 0, 0, G_OPTION_ARG_STRING, &raw->salt,
      N_("The secret both sides know, the key of the HMAC"), N_("TEXT") },
    { "auth-timeout", 0, 0, G_OPTION_ARG_STRING, &raw->auth_timeout,
      N_("How long the authentication handshake may take (10)"), N_("SECONDS") },
    { "datagram", 0, 0, G_OPTION_ARG_NONE, &raw->datagram,
      N_("unix-*: use SOCK_DGRAM instead of SOCK_STREAM"), NULL },
    { "close-on-eof", 0, 0, G_OPTION_ARG_NONE, &raw->close_on_eof,
      N_("Close a connection when recv() returns b'' (default)"), NULL },
    { "no-close-on-eof", 0, 0, G_OPTION_ARG_NONE, &raw->no_close_on_eof,
      N_("Keep it half-open after the peer closed (CLOSE_WAIT)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &raw->quiet,
      N_("No trace; a client prints the bytes it receives as they are"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &raw->version,
      N_("Print the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *context;
  GOptionGroup *group;
  g_autofree char *description = NULL;

  /* Translators: the parameter summary of socket-lab-cli --help */
  context = g_option_context_new (_("MODE ADDRESS — run one socket endpoint and print its "
                                    "call trace"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("MODE is one of tcp-server, tcp-client, udp-server, udp-client, unix-server, "
      "unix-client.\n"
      "ADDRESS is HOST:PORT, [IPv6]:PORT, or a filesystem path for unix-*; port 0 asks the\n"
      "kernel for any free port.\n"
      "\n"
      "Every socket call is printed as the Python of the tutorials writes it, with its real\n"
      "result or error, one row per line. A server's first line is “listening on HOST:PORT”\n"
      "with the real port."));
  description = g_strdup_printf ("%s\n\n%s\n\n%s\n\n"
                                 "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n\n%s",
    _("Servers answer with --reply (upper by default, like the tutorials; clients: none).\n"
      "A client sends each --send message in order and waits up to --wait seconds for the\n"
      "reply before the next; without --send it sends each line it reads on stdin (without\n"
      "the newline) and stops at the end of input. Without --duration a server runs until\n"
      "Ctrl+C or SIGTERM, a client until its messages are answered. A server with\n"
      "--reply=none is a chat: it sends each line it reads on stdin to every client.\n"
      "--quiet prints no trace: a server still prints its “listening on” line; a client (and\n"
      "a chat server) prints the bytes it receives as they are, like ncat.\n"
      "\n"
      "In the blocking, nonblocking and timeout modes the program calls accept() and recv()\n"
      "itself, one client at a time, like the tutorials' connection loop and communication\n"
      "loop; in nonblocking mode each BlockingIOError (EAGAIN) is shown and the call is\n"
      "retried every 200 ms."),
    _("--auth=hmac-sha256 --salt=TEXT runs the handshake of tutorial 003 on every TCP or Unix\n"
      "stream connection (async mode only): the server sends os.urandom(32), the client\n"
      "answers hmac.new(salt, challenge, 'sha256').digest(), and a wrong, short or late\n"
      "answer (--auth-timeout) closes the connection (“verification fail”). hmac-md5 is what\n"
      "the tutorial's hmac.new(salt, msg) made before Python 3.8. A client sends its --send\n"
      "messages only after the handshake."),
    _("socket-lab-cli export-python MODE ADDRESS [OPTIONS] takes the same arguments and\n"
      "prints the endpoint as a Python 3 program in the tutorials' style instead of running\n"
      "it: save it as a .py file and run it with python3. It speaks the same bytes as\n"
      "socket-lab-cli with these arguments."),
    _("Examples:"),
    _("  socket-lab-cli tcp-server 127.0.0.1:8888 --reuseaddr --reply=upper"),
    _("  socket-lab-cli tcp-client 127.0.0.1:8888 --send=hello --send=exit"),
    _("  echo hello | socket-lab-cli tcp-client localhost:8888 --quiet"),
    _("  socket-lab-cli tcp-server 127.0.0.1:0 --io=blocking --bufsize=4"),
    _("  socket-lab-cli tcp-server 127.0.0.1:0 --io=timeout:2.5"),
    _("  socket-lab-cli udp-server '[::1]:9999' --reply=echo --encoding=hex"),
    _("  socket-lab-cli tcp-client 127.0.0.1:8000 --encoding=base64 --send=你好"),
    _("  socket-lab-cli unix-server /tmp/lab.sock --datagram --duration=60"),
    _("  socket-lab-cli tcp-server 127.0.0.1:8888 --auth=hmac-md5 --salt='SOCKET SERVER'"),
    _("  socket-lab-cli export-python tcp-server 127.0.0.1:8888 --reply=upper --reuseaddr > "
      "server.py"),
    _("Exit status: 0 after a clean run (also after Ctrl+C or SIGTERM), 1 when a socket call\n"
      "fails (address in use, connection refused, unknown host), 2 for a bad argument."));
  g_option_context_set_description (context, description);

  group = g_option_group_new ("socket-lab-cli", NULL, NULL, raw, NULL);
  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_context_set_main_group (context, group);
  return context;
}

static gboolean
apply_options (SlCliOptions  *options,
               RawArgs       *raw,
               GError       **error)
{
  SlEndpointConfig *config = options->config;
  gboolean server = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER;
  int value;

  if (raw->reply != NULL && !parse_reply (config, raw->reply, error))
    return FALSE;
  if (raw->backlog != NULL)
    {
      if (!parse_int ("--backlog", raw->backlog, &value, error))
        return FALSE;
      sl_endpoint_config_set_backlog (config, value);
    }
  if (raw->bufsize != NULL)
    {
      if (!parse_int ("--bufsize", raw->bufsize, &value, error))
        return FALSE;
      sl_endpoint_config_set_bufsize (config, value);
    }
  if (raw->max_clients != NULL)
    {
      if (!parse_int ("--max-clients", raw->max_clients, &value, error))
        return FALSE;
      sl_endpoint_config_set_max_clients (config, value);
    }
  if (raw->io != NULL && !parse_io (config, raw->io, error))
    return FALSE;
  if (raw->encoding != NULL)
    {
      SlEncoding encoding;

      if (!sl_encoding_from_string (raw->encoding, &encoding))
        return bad_value (error, _("--encoding=%s: unknown encoding “%s”; use text, base64, "
                                   "hex or json."), raw->encoding, raw->encoding);
      sl_endpoint_config_set_encoding (config, encoding);
    }
  if (raw->connect_timeout != NULL)
    {
      double seconds;

      if (!parse_seconds ("--connect-timeout", raw->connect_timeout, &seconds, error))
        return FALSE;
      sl_endpoint_config_set_connect_timeout (config, seconds);
    }
  if (raw->auth != NULL)
    {
      SlAuthMode mode;

      if (!sl_auth_mode_from_string (raw->auth, &mode))
        return bad_value (error, _("--auth=%s: unknown authentication “%s”; use none, "
                                   "hmac-sha256 or hmac-md5."), raw->auth, raw->auth);
      sl_endpoint_config_set_auth (config, mode);
    }
  if (raw->salt != NULL)
    sl_endpoint_config_set_salt (config, raw->salt);
  if (raw->auth_timeout != NULL)
    {
      double seconds;

      if (!parse_seconds ("--auth-timeout", raw->auth_timeout, &seconds, error))
        return FALSE;
      sl_endpoint_config_set_auth_timeout (config, seconds);
    }
  if (raw->duration != NULL &&
      !parse_seconds ("--duration", raw->duration, &options->duration, error))
    return FALSE;
  if (raw->wait != NULL && !parse_seconds ("--wait", raw->wait, &options->wait, error))
    return FALSE;
  if (raw->close_on_eof && raw->no_close_on_eof)
    return bad_value (error, _("--close-on-eof and --no-close-on-eof contradict each other; "
                               "give one of them."));
  if (raw->close_on_eof || raw->no_close_on_eof)
    sl_endpoint_config_set_close_on_eof (config, raw->close_on_eof);
  sl_endpoint_config_set_reuseaddr (config, raw->reuseaddr);

  if (raw->bind != NULL)
    {
      if (server)
        return bad_value (error, _("--bind=%s: only clients bind a local address; a server "
                                   "binds ADDRESS itself."), raw->bind);
      if (!parse_bind (config, raw->bind, error))
        return FALSE;
    }
  if (raw->sends->len > 0 && server)
    return bad_value (error, _("--send is for clients; a server answers with --reply."));

  return TRUE;
}

static gboolean
encode_messages (SlCliOptions  *options,
                 GError       **error)
{
  SlEncoding encoding = sl_endpoint_config_get_encoding (options->config);

  for (guint i = 0; i < options->messages->len; i++)
    {
      const char *text = g_ptr_array_index (options->messages, i);
      g_autoptr(GError) local_error = NULL;
      GBytes *bytes = sl_codec_encode (encoding, text, &local_error);

      if (bytes == NULL)
        return bad_value (error, "--send=%s: %s", text, local_error->message);
      g_ptr_array_add (options->payloads, bytes);
    }
  return TRUE;
}

SlCliOptions *
sl_cli_options_parse (int      argc,
                      char   **argv,
                      GError **error)
{
  g_auto(RawArgs) raw = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SlCliOptions) options = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) args = NULL;
  const char *address;
  const Mode *mode;
  SlConfigField field = SL_CONFIG_FIELD_NONE;

  raw.sends = g_ptr_array_new_with_free_func (g_free);
  context = build_context (&raw);

  /* g_option_context_parse_strv() frees what it removes from the array. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &args, &local_error))
    {
      /* GOption's own messages ("Unknown option --foo") do not say what to do. */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("%s (see “socket-lab-cli --help”)"), local_error->message);
      return NULL;
    }

  options = g_new0 (SlCliOptions, 1);
  options->messages = g_ptr_array_new_with_free_func (g_free);
  options->payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  options->duration = -1;
  options->wait = 2.0;
  options->quiet = raw.quiet;
  options->version = raw.version;
  options->config = sl_endpoint_config_new ();
  if (raw.version)
    return g_steal_pointer (&options);

  /* "export-python MODE ADDRESS [OPTIONS]": the same arguments as running. */
  if (g_strv_length (args) >= 2 && g_str_equal (args[1], "export-python"))
    {
      g_free (args[1]);
      memmove (&args[1], &args[2], sizeof (char *) * g_strv_length (&args[2]) + sizeof (char *));
      options->export_python = TRUE;
    }

  if (g_strv_length (args) < 2)
    {
      bad_value (error, _("Missing MODE and ADDRESS, for example "
                          "“socket-lab-cli tcp-server 127.0.0.1:8888”; see --help."));
      return NULL;
    }
  mode = find_mode (args[1]);
  if (mode == NULL)
    {
      bad_value (error, _("Unknown mode “%s”: use tcp-server, tcp-client, udp-server, "
                          "udp-client, unix-server or unix-client."), args[1]);
      return NULL;
    }
  if (g_strv_length (args) < 3)
    {
      bad_value (error, mode->unix_family
                 ? _("Missing ADDRESS after “%s”: give the path of the socket file.")
                 : _("Missing ADDRESS after “%s”: give HOST:PORT or [IPv6]:PORT."),
                 mode->name);
      return NULL;
    }
  if (g_strv_length (args) > 3)
    {
      bad_value (error, _("Unexpected argument “%s”: give only MODE and ADDRESS, and put "
                          "a message in --send=MESSAGE."), args[3]);
      return NULL;
    }
  address = args[2];

  sl_endpoint_config_set_role (options->config, mode->role);
  sl_endpoint_config_set_protocol (options->config, mode->protocol);
  if (raw.datagram)
    {
      if (!mode->unix_family)
        {
          bad_value (error, _("--datagram only applies to unix-server and unix-client; use "
                              "udp-server or udp-client for UDP."));
          return NULL;
        }
      sl_endpoint_config_set_protocol (options->config, SL_PROTOCOL_UDP);
    }
  /* A client answering automatically would ping-pong with an echo server. */
  if (mode->role == SL_ROLE_CLIENT)
    sl_endpoint_config_set_reply_mode (options->config, SL_REPLY_NONE);
  sl_endpoint_config_set_family (options->config,
                                 mode->unix_family ? SL_FAMILY_UNIX : SL_FAMILY_IPV4);
  if (!sl_endpoint_config_set_address_string (options->config, address, &local_error))
    {
      bad_value (error, _("ADDRESS “%s”: %s"), address, local_error->message);
      return NULL;
    }

  if (!apply_options (options, &raw, error))
    return NULL;

  if (!sl_endpoint_config_validate (options->config, &field, &local_error))
    {
      g_autofree char *argument = field_argument (&raw, address, field);

      if (argument != NULL)
        bad_value (error, "%s: %s", argument, local_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (options->export_python && raw.sends->len > 0)
    {
      bad_value (error, _("--send does not apply to export-python: the exported client "
                          "reads its messages from stdin, one per line."));
      return NULL;
    }

  for (guint i = 0; i < raw.sends->len; i++)
    g_ptr_array_add (options->messages, g_strdup (g_ptr_array_index (raw.sends, i)));
  if (!encode_messages (options, error))
    return NULL;

  return g_steal_pointer (&options);
}
