/* sl-cli.c — socket-lab-cli: one endpoint in a terminal, its call trace on stdout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixsocketaddress.h>

#include "sl-cli-options.h"
#include "sl-codec.h"
#include "sl-endpoint.h"
#include "sl-error.h"
#include "sl-python-export.h"

/* A non-blocking call that returned EAGAIN is tried again after this long. */
#define RETRY_INTERVAL_MS 200

/* After the run, a blocking call still waiting in a worker thread gets this
 * long to report its cancellation and the close() that follows. */
#define SETTLE_TIMEOUT_MS 2000

/* A stream client that closed keeps watching the kernel this long at most, so
 * that the states after close() (FIN_WAIT_2, TIME_WAIT) are printed too. */
#define LINGER_TIMEOUT_MS 1000

/* Bytes of a payload decoded into a row's annotation for --encoding. */
#define DECODED_LIMIT 256

/* The CLI prints rows as they come and never reads the model back, so the log
 * only needs to hold a few. */
#define CLI_LOG_MAX_ENTRIES 1000

typedef struct
{
  SlCliOptions     *options;
  GMainLoop        *loop;
  SlLog            *log;
  SlEndpoint       *endpoint;
  GCancellable     *cancellable;     /* start, stdin */
  GCancellable     *call_cancellable; /* the manual accept()/recv() in progress */
  GPtrArray        *held_rows;       /* rows logged while a server starts */
  GString          *line;            /* the row being printed */
  GDataInputStream *input;           /* stdin of an interactive client */
  SlConnection     *conversation;    /* the stream conversation read by hand */
  SlConnection     *client_connection; /* a stream client's one connection */
  guint             next_message;
  guint             calls_in_flight; /* manual calls whose callback has not run */
  guint             duration_id;
  guint             flush_id;
  guint             wait_id;
  guint             retry_id;
  guint             next_id;
  guint             sigint_id;
  guint             sigterm_id;
  gboolean          awaiting_reply;
  gboolean          finished;
  int               status;
} Cli;

static void manual_step (Cli *self);
static void send_next   (Cli *self);
static void read_line   (Cli *self);

static gboolean
is_server (Cli *self)
{
  return sl_cli_options_is_server (self->options);
}

static gboolean
is_datagram (Cli *self)
{
  return sl_cli_options_is_datagram (self->options);
}

static gboolean
is_manual (Cli *self)
{
  return sl_endpoint_config_get_io_mode (self->options->config) != SL_IO_MODE_ASYNC;
}

/* A server that does not answer by itself is a chat: what is typed on stdin
 * goes to the clients, like the input() of tutorial 004's server. */
static gboolean
is_chat_server (Cli *self)
{
  return is_server (self) &&
         sl_endpoint_config_get_reply_mode (self->options->config) == SL_REPLY_NONE;
}

/* A job started in the background would be stopped (SIGTTIN) by reading the
 * terminal, so a server only reads stdin when that cannot happen. */
static gboolean
stdin_readable_in_foreground (void)
{
  return !isatty (STDIN_FILENO) || tcgetpgrp (STDIN_FILENO) == getpgrp ();
}

/* sl_codec_decode() may span lines (pretty JSON, text with newlines); a row
 * may not. JSON is compacted; a newline in decoded text is shown as \n. */
static char *
decoded_one_line (SlEncoding  encoding,
                  const char *decoded)
{
  GString *line = g_string_sized_new (strlen (decoded));

  for (const char *p = decoded; *p != '\0'; p++)
    {
      if (*p != '\n' && *p != '\r')
        g_string_append_c (line, *p);
      else if (encoding != SL_ENCODING_JSON)
        g_string_append (line, *p == '\n' ? "\\n" : "\\r");
      else
        {
          while (p[1] == ' ')
            p++;
          if (line->len > 0 && line->str[line->len - 1] != '[' &&
              line->str[line->len - 1] != '{' && p[1] != ']' && p[1] != '}')
            g_string_append_c (line, ' ');
        }
    }
  return g_string_free (line, FALSE);
}

/* "  [base64 → 你好]": what a data row's bytes mean in the chosen encoding,
 * the way tutorial 000 prints base64.b64decode(data); or why they cannot be
 * decoded. NULL for text, which the row already shows. */
static char *
decoded_annotation (SlEncoding  encoding,
                    SlLogEntry *entry)
{
  SlLogKind kind = sl_log_entry_get_kind (entry);
  g_autoptr(GError) error = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *line = NULL;
  GBytes *payload;

  if (encoding == SL_ENCODING_TEXT ||
      (kind != SL_LOG_KIND_DATA_IN && kind != SL_LOG_KIND_DATA_OUT))
    return NULL;
  payload = sl_log_entry_get_payload (entry);
  if (payload == NULL || g_bytes_get_size (payload) == 0)
    return NULL;

  decoded = sl_codec_decode (encoding, payload, DECODED_LIMIT, &error);
  if (decoded == NULL)
    return g_strdup_printf ("  [%s]", error->message);
  line = decoded_one_line (encoding, decoded);
  return g_strdup_printf ("  [%s → %s]", sl_encoding_to_string (encoding), line);
}

static gboolean
flush_stdout_cb (gpointer user_data)
{
  Cli *self = user_data;

  self->flush_id = 0;
  fflush (stdout);
  return G_SOURCE_REMOVE;
}

static void
print_entry (Cli        *self,
             SlLogEntry *entry)
{
  g_autofree char *decoded = NULL;

  /* One line buffer serves every row. */
  g_string_truncate (self->line, 0);
  sl_log_entry_format_append (entry, self->line);
  decoded = decoded_annotation (sl_endpoint_config_get_encoding (self->options->config), entry);
  if (decoded != NULL)
    g_string_append (self->line, decoded);
  g_string_append_c (self->line, '\n');
  fwrite (self->line->str, 1, self->line->len, stdout);
  /* A terminal sees each row at once (line buffered); a pipe gets the rows
   * when the main loop has nothing else to do, not one write() each. */
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_LOW, flush_stdout_cb, self, NULL);
}

static void
entry_added_cb (SlLog      *log,
                SlLogEntry *entry,
                gpointer    user_data)
{
  Cli *self = user_data;

  if (self->held_rows != NULL)
    g_ptr_array_add (self->held_rows, g_object_ref (entry));
  else
    print_entry (self, entry);
}

static void
release_held_rows (Cli *self)
{
  g_autoptr(GPtrArray) rows = g_steal_pointer (&self->held_rows);

  if (rows == NULL)
    return;
  for (guint i = 0; i < rows->len; i++)
    print_entry (self, g_ptr_array_index (rows, i));
}

/* Ends the run: stops the endpoint (its close() rows are printed) and quits. */
static void
cli_finish (Cli *self,
            int  status)
{
  if (self->finished)
    return;

  self->finished = TRUE;
  self->status = status;
  g_cancellable_cancel (self->cancellable);
  if (self->call_cancellable != NULL)
    g_cancellable_cancel (self->call_cancellable);
  g_clear_handle_id (&self->wait_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->next_id, g_source_remove);
  g_clear_handle_id (&self->duration_id, g_source_remove);
  release_held_rows (self);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  sl_endpoint_stop (self->endpoint);
  fflush (stdout);
  g_main_loop_quit (self->loop);
}

static void
fail (Cli        *self,
      const char *message)
{
  if (self->finished)
    return;
  release_held_rows (self);
  fflush (stdout);
  g_printerr ("socket-lab-cli: %s\n", message);
  cli_finish (self, SL_CLI_EXIT_FAILURE);
}

static gboolean
signal_cb (gpointer user_data)
{
  cli_finish (user_data, SL_CLI_EXIT_OK);
  return G_SOURCE_CONTINUE;
}

static gboolean
duration_cb (gpointer user_data)
{
  Cli *self = user_data;

  self->duration_id = 0;
  cli_finish (self, SL_CLI_EXIT_OK);
  return G_SOURCE_REMOVE;
}

static guint
timeout_add_seconds_double (double      seconds,
                            GSourceFunc func,
                            gpointer    data)
{
  return g_timeout_add ((guint) MIN (seconds * 1000.0, (double) G_MAXUINT), func, data);
}

/* "listening on HOST:PORT", "[::1]:PORT" or a Unix path: the first line of a
 * server, which scripts read to learn the real port. */
static void
print_listening (Cli *self)
{
  GSocketAddress *address = sl_endpoint_get_local_address (self->endpoint);
  SlEndpointConfig *config = self->options->config;
  g_autofree char *where = NULL;

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      GInetAddress *host = g_inet_socket_address_get_address (inet);
      g_autofree char *text = g_inet_address_to_string (host);
      guint16 port = g_inet_socket_address_get_port (inet);

      if (g_inet_address_get_family (host) == G_SOCKET_FAMILY_IPV6)
        where = g_strdup_printf ("[%s]:%u", text, port);
      else
        where = g_strdup_printf ("%s:%u", text, port);
    }
  else if (G_IS_UNIX_SOCKET_ADDRESS (address))
    where = g_strdup (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)));
  else if (sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX)
    where = g_strdup (sl_endpoint_config_get_path (config));
  else
    where = g_strdup_printf ("%s:%u", sl_endpoint_config_get_host (config),
                             sl_endpoint_get_local_port (self->endpoint));

  /* Not translated: scripts parse this line. */
  printf ("listening on %s\n", where);
  fflush (stdout);
}

/* ---- Manual I/O modes: the program makes each accept()/recv() call ---- */

static gboolean
retry_cb (gpointer user_data)
{
  Cli *self = user_data;

  self->retry_id = 0;
  manual_step (self);
  return G_SOURCE_REMOVE;
}

static void
retry_later (Cli *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (RETRY_INTERVAL_MS, retry_cb, self);
}

/* The common outcomes of a manual call. Returns TRUE when handled. */
static gboolean
handle_manual_error (Cli    *self,
                     GError *error)
{
  if (self->finished || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return TRUE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* EAGAIN: the row is in the trace; that is the lesson of non-blocking mode. */
      retry_later (self);
      return TRUE;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* socket.timeout: the row is in the trace; the loop goes on. */
      manual_step (self);
      return TRUE;
    }
  if (g_error_matches (error, SL_ERROR, SL_ERROR_BUSY))
    {
      fail (self, error->message);
      return TRUE;
    }
  return FALSE;
}

static void
drop_conversation (Cli *self)
{
  if (self->conversation != NULL && sl_connection_is_open (self->conversation))
    sl_connection_close (self->conversation, NULL);
  g_clear_object (&self->conversation);
}

/* A manual-mode conversation ended, by the peer's FIN (@failure NULL) or an
 * error: a server closes its side and accepts the next client, as the
 * tutorials' connection loop does; a client is done. */
static void
conversation_over (Cli        *self,
                   const char *failure)
{
  if (is_server (self))
    {
      drop_conversation (self);
      manual_step (self);
    }
  else if (failure != NULL)
    fail (self, failure);
  else
    cli_finish (self, SL_CLI_EXIT_OK);
}

static void
recv_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Cli *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  self->calls_in_flight--;

  bytes = sl_connection_recv_finish (SL_CONNECTION (object), result, &error);
  if (bytes == NULL)
    {
      if (handle_manual_error (self, error))
        return;
      /* ECONNRESET and friends: this conversation is over. */
      conversation_over (self, error->message);
      return;
    }
  if (self->finished)
    return;

  /* b'': the peer closed. */
  if (g_bytes_get_size (bytes) == 0)
    {
      conversation_over (self, NULL);
      return;
    }

  manual_step (self);
}

static void
accept_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlConnection) connection = NULL;

  self->calls_in_flight--;

  connection = sl_endpoint_accept_finish (SL_ENDPOINT (object), result, &error);
  if (connection == NULL)
    {
      if (handle_manual_error (self, error))
        return;
      /* For example EMFILE: the row is traced; try again a little later. */
      retry_later (self);
      return;
    }
  if (self->finished)
    return;

  g_set_object (&self->conversation, connection);
  manual_step (self);
}

static void
recvfrom_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cli *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SlConnection) peer = NULL;

  self->calls_in_flight--;

  bytes = sl_endpoint_recvfrom_finish (SL_ENDPOINT (object), result, &peer, &error);
  if (bytes == NULL)
    {
      if (handle_manual_error (self, error))
        return;
      /* For example ECONNREFUSED after an ICMP "port unreachable": traced, go on. */
      retry_later (self);
      return;
    }
  if (self->finished)
    return;

  manual_step (self);
}

/* One step of the tutorials' loops: a datagram endpoint calls recvfrom(); a
 * stream server accept()s, then recv()s on that conversation until b'' (one
 * client at a time); a stream client recv()s. */
static void
manual_step (Cli *self)
{
  if (self->finished)
    return;

  if (self->call_cancellable != NULL)
    g_object_unref (self->call_cancellable);
  self->call_cancellable = g_cancellable_new ();

  self->calls_in_flight++;
  if (is_datagram (self))
    sl_endpoint_recvfrom_async (self->endpoint, self->call_cancellable, recvfrom_cb, self);
  else if (self->conversation == NULL && is_server (self))
    sl_endpoint_accept_async (self->endpoint, self->call_cancellable, accept_cb, self);
  else if (self->conversation != NULL)
    sl_connection_recv_async (self->conversation, self->call_cancellable, recv_cb, self);
  else
    self->calls_in_flight--;
}

/* ---- Clients: the messages to send ---- */

static gboolean
next_cb (gpointer user_data)
{
  Cli *self = user_data;

  self->next_id = 0;
  send_next (self);
  return G_SOURCE_REMOVE;
}

/* Runs after the I/O already waiting is handled (idle priority), so that a
 * reply split over several recv() calls is read before going on. */
static void
schedule_next (Cli *self)
{
  if (self->next_id == 0 && !self->finished)
    self->next_id = g_idle_add (next_cb, self);
}

static gboolean
wait_cb (gpointer user_data)
{
  Cli *self = user_data;

  self->wait_id = 0;
  self->awaiting_reply = FALSE;
  schedule_next (self);
  return G_SOURCE_REMOVE;
}

static void
send_message (Cli    *self,
              GBytes *bytes)
{
  g_autoptr(GError) error = NULL;

  if (!sl_endpoint_send (self->endpoint, NULL, bytes, &error))
    {
      /* Non-blocking mode: a full send buffer is shown in the trace; go on. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          fail (self, error->message);
          return;
        }
    }

  if (self->options->wait > 0)
    {
      self->awaiting_reply = TRUE;
      self->wait_id = timeout_add_seconds_double (self->options->wait, wait_cb, self);
    }
  else
    schedule_next (self);
}

/* All messages are sent: close, unless --duration keeps the client running. */
static void
messages_done (Cli *self)
{
  if (self->options->duration < 0)
    cli_finish (self, SL_CLI_EXIT_OK);
}

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Cli *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object), result,
                                               &length, &error);
  if (self->finished)
    return;
  if (line == NULL)
    {
      if (error != NULL)
        g_printerr ("socket-lab-cli: %s: %s\n", _("reading stdin failed"), error->message);
      /* A client is done; a chat server just stops reading and keeps serving. */
      if (!is_server (self))
        messages_done (self);
      return;
    }

  if (length > 0 && line[length - 1] == '\r')
    line[--length] = '\0';

  if (sl_endpoint_config_get_encoding (self->options->config) == SL_ENCODING_TEXT)
    bytes = g_bytes_new (line, length);  /* any bytes, as they were typed */
  else if (!g_utf8_validate (line, length, NULL))
    g_set_error_literal (&error, SL_ERROR, SL_ERROR_DECODE, _("The line is not UTF-8 text."));
  else
    bytes = sl_codec_encode (sl_endpoint_config_get_encoding (self->options->config), line,
                             &error);

  if (bytes == NULL)
    {
      g_autofree char *shown = sl_codec_render ((const guint8 *) line, length, 64);

      /* A typing mistake is not fatal: say so and read the next line. */
      g_printerr ("socket-lab-cli: “%s”: %s\n", shown, error->message);
      if (is_server (self))
        read_line (self);
      else
        schedule_next (self);
      return;
    }

  if (is_server (self))
    {
      if (sl_endpoint_send_to_all (self->endpoint, bytes) == 0)
        g_printerr ("socket-lab-cli: %s\n",
                    _("No client is connected, so the line was not sent."));
      read_line (self);
    }
  else
    send_message (self, bytes);
}

static void
read_line (Cli *self)
{
  if (self->input == NULL)
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);

      self->input = g_data_input_stream_new (in);
      g_data_input_stream_set_newline_type (self->input, G_DATA_STREAM_NEWLINE_TYPE_LF);
    }
  g_data_input_stream_read_line_async (self->input, G_PRIORITY_DEFAULT, self->cancellable,
                                       line_cb, self);
}

static void
send_next (Cli *self)
{
  SlCliOptions *options = self->options;

  if (self->finished)
    return;

  if (!sl_cli_options_is_interactive (options))
    {
      if (self->next_message < options->payloads->len)
        send_message (self, g_ptr_array_index (options->payloads, self->next_message++));
      else
        messages_done (self);
      return;
    }

  read_line (self);
}

static void
received_cb (SlEndpoint   *endpoint,
             SlConnection *connection,
             GBytes       *bytes,
             gpointer      user_data)
{
  Cli *self = user_data;

  if (self->options->quiet)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (bytes, &size);

      /* Like ncat: the payload as it is, for pipelines (clients and chat servers). */
      fwrite (data, 1, size, stdout);
      fflush (stdout);
    }

  if (self->awaiting_reply)
    {
      self->awaiting_reply = FALSE;
      g_clear_handle_id (&self->wait_id, g_source_remove);
      schedule_next (self);
    }
}

static void
connection_removed_cb (SlEndpoint   *endpoint,
                       SlConnection *connection,
                       gpointer      user_data)
{
  Cli *self = user_data;

  if (self->finished)
    return;

  /* The server closed or reset our only conversation: nothing more to do. */
  if (sl_connection_get_state (connection) == SL_CONNECTION_STATE_RESET)
    fail (self, _("The connection was reset (ECONNRESET)."));
  else
    cli_finish (self, SL_CLI_EXIT_OK);
}

static void
client_started (Cli *self)
{
  g_signal_connect (self->endpoint, "received", G_CALLBACK (received_cb), self);
  if (!is_datagram (self))
    {
      g_signal_connect (self->endpoint, "connection-removed",
                        G_CALLBACK (connection_removed_cb), self);
      g_set_object (&self->client_connection, sl_endpoint_get_first_connection (self->endpoint));
      if (is_manual (self))
        g_set_object (&self->conversation, sl_endpoint_get_first_connection (self->endpoint));
    }

  if (is_manual (self))
    manual_step (self);
  send_next (self);
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Cli *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sl_endpoint_start_finish (SL_ENDPOINT (object), result, &error))
    {
      fail (self, error->message);
      return;
    }
  if (self->finished)
    return;

  if (is_server (self))
    {
      print_listening (self);
      release_held_rows (self);
      if (is_chat_server (self))
        {
          g_signal_connect (self->endpoint, "received", G_CALLBACK (received_cb), self);
          if (stdin_readable_in_foreground ())
            read_line (self);
        }
      if (is_manual (self))
        manual_step (self);
    }
  else
    client_started (self);
}

static gboolean
settle_timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* A cancelled blocking call completes in its worker thread a moment later; its
 * "cancelled" row and the close() the endpoint deferred until then belong in
 * the trace, so wait for them (bounded). */
static void
settle (Cli *self)
{
  gboolean expired = FALSE;
  guint id;

  if (self->calls_in_flight == 0)
    return;

  id = g_timeout_add (SETTLE_TIMEOUT_MS, settle_timeout_cb, &expired);
  while (self->calls_in_flight > 0 && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
}

static gboolean
linger_done (SlConnection *connection)
{
  SlTcpState state = sl_connection_get_tcp_state (connection);

  return state == SL_TCP_STATE_UNKNOWN || state == SL_TCP_STATE_CLOSED ||
         state == SL_TCP_STATE_TIME_WAIT;
}

/* A stream client closed: the kernel walks on (FIN_WAIT_2, then TIME_WAIT once
 * the server closes too). Keep the engine watching, and its state rows coming,
 * until TIME_WAIT or CLOSED is seen or LINGER_TIMEOUT_MS have passed. */
static void
linger (Cli *self)
{
  gboolean expired = FALSE;
  guint id;

  if (self->client_connection == NULL || linger_done (self->client_connection))
    return;

  id = g_timeout_add (LINGER_TIMEOUT_MS, settle_timeout_cb, &expired);
  while (!linger_done (self->client_connection) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
}

static int
run (SlCliOptions *options)
{
  Cli cli = { 0 };
  Cli *self = &cli;

  self->options = options;
  self->loop = g_main_loop_new (NULL, FALSE);
  self->cancellable = g_cancellable_new ();
  self->log = sl_log_new (CLI_LOG_MAX_ENTRIES);
  self->line = g_string_sized_new (256);
  self->endpoint = sl_endpoint_new (options->config, self->log);

  /* --quiet formats nothing: benchmarks measure the sockets, not printf. */
  if (!options->quiet)
    {
      if (sl_cli_options_is_server (options))
        self->held_rows = g_ptr_array_new_with_free_func (g_object_unref);
      g_signal_connect (self->log, "entry-added", G_CALLBACK (entry_added_cb), self);
    }

  self->sigint_id = g_unix_signal_add (SIGINT, signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, self);
  if (options->duration >= 0)
    self->duration_id = timeout_add_seconds_double (options->duration, duration_cb, self);

  sl_endpoint_start_async (self->endpoint, self->cancellable, start_cb, self);
  g_main_loop_run (self->loop);
  settle (self);
  linger (self);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->log, self);
  g_signal_handlers_disconnect_by_data (self->endpoint, self);
  g_clear_object (&self->conversation);
  g_clear_object (&self->client_connection);
  g_clear_object (&self->input);
  g_clear_object (&self->call_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->endpoint);
  g_clear_object (&self->log);
  g_clear_pointer (&self->held_rows, g_ptr_array_unref);
  g_string_free (g_steal_pointer (&self->line), TRUE);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  fflush (stdout);

  return self->status;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SlCliOptions) options = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* One row per line: at once on a terminal; in a pipe, flushed whenever the
   * main loop is idle (see print_entry()), which costs far fewer write()s. */
  if (isatty (STDOUT_FILENO))
    setvbuf (stdout, NULL, _IOLBF, 0);
  else
    setvbuf (stdout, NULL, _IOFBF, 64 * 1024);
  g_set_prgname ("socket-lab-cli");

  options = sl_cli_options_parse (argc, argv, &error);
  if (options == NULL)
    {
      g_printerr ("socket-lab-cli: %s\n", error->message);
      return SL_CLI_EXIT_USAGE;
    }
  if (options->version)
    {
      printf ("socket-lab-cli %s\n", PACKAGE_VERSION);
      return SL_CLI_EXIT_OK;
    }
  if (options->export_python)
    {
      g_autofree char *script = sl_python_export (options->config, &error);

      if (script == NULL)
        {
          g_printerr ("socket-lab-cli: %s\n", error->message);
          return SL_CLI_EXIT_USAGE;
        }
      fputs (script, stdout);
      fflush (stdout);
      return SL_CLI_EXIT_OK;
    }

  /* The form warns of this too: a classroom network reaches such a server. */
  if (sl_endpoint_config_is_exposed (options->config))
    g_printerr (_("socket-lab-cli: warning: %s listens on every network interface, so other "
                  "computers can connect to it. Use 127.0.0.1 (or ::1) to keep it on this "
                  "computer.\n"), sl_endpoint_config_get_host (options->config));

  return run (options);
}
