/* sl-file-transfer.c — send a file over a connection; save what arrives to a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sl-error.h"
#include "sl-file-transfer.h"

/* How often the send queue is looked at while it is full or draining (the
 * connection's byte counters do not notify): every 1 ms while the peer reads,
 * backing off to 64 ms while it does not. */
#define POLL_MIN_MS 1
#define POLL_MAX_MS 64

/* SlFileSend. */

struct _SlFileSend
{
  GObject        parent_instance;

  SlConnection  *connection;
  GFile         *file;

  /* One run. */
  GMainContext  *context;
  GCancellable  *cancellable;      /* ours, cancelled when the run ends */
  GCancellable  *user_cancellable;
  gulong         user_cancelled_id;
  GSource       *cancel_idle;
  gulong         closed_id;
  GSource       *poll;
  guint          poll_ms;
  guint64        sent_at_poll;
  GInputStream  *stream;
  gboolean       reading;
  gboolean       eof;
  gboolean       running;
  guint64        bytes_out_start;
  guint64        total;
  guint64        handed;
  guint64        sent;
};

G_DEFINE_FINAL_TYPE (SlFileSend, sl_file_send, G_TYPE_OBJECT)

enum
{
  SEND_PROP_0,
  SEND_PROP_CONNECTION,
  SEND_PROP_FILE,
  SEND_PROP_TOTAL,
  SEND_PROP_SENT,
  SEND_PROP_HANDED,
  SEND_PROP_RUNNING,
  SEND_N_PROPS
};

static GParamSpec *send_properties[SEND_N_PROPS];

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint send_signals[N_SIGNALS];
static guint receive_signals[N_SIGNALS];

static void pump (SlFileSend *self);

static char *
file_name (GFile *file)
{
  return g_file_get_parse_name (file);
}

static void
set_total (SlFileSend *self,
           guint64     total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_TOTAL]);
}

static void
update_sent (SlFileSend *self)
{
  guint64 out = sl_connection_get_bytes_out (self->connection);
  guint64 sent = out >= self->bytes_out_start ? out - self->bytes_out_start : 0;

  /* Other messages sent on the connection meanwhile are not file bytes. */
  sent = MIN (sent, self->handed);
  if (sent == self->sent)
    return;
  self->sent = sent;
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_SENT]);
}

/* Releases what a run holds; no signal. */
static void
halt (SlFileSend *self)
{
  if (self->poll != NULL)
    {
      g_source_destroy (self->poll);
      g_clear_pointer (&self->poll, g_source_unref);
    }
  if (self->cancel_idle != NULL)
    {
      g_source_destroy (self->cancel_idle);
      g_clear_pointer (&self->cancel_idle, g_source_unref);
    }
  if (self->user_cancellable != NULL)
    {
      g_cancellable_disconnect (self->user_cancellable, self->user_cancelled_id);
      self->user_cancelled_id = 0;
      g_clear_object (&self->user_cancellable);
    }
  if (self->connection != NULL)
    g_clear_signal_handler (&self->closed_id, self->connection);
  /* A pending read sees the cancellation and is dropped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->running = FALSE;
}

/* Ends the run and emits ::finished (@error: NULL for success; taken). */
static void
finish (SlFileSend *self,
        GError     *error)
{
  g_autoptr(GError) owned = error;
  G_GNUC_UNUSED g_autoptr(SlFileSend) hold = g_object_ref (self);

  if (!self->running)
    return;

  halt (self);
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_RUNNING]);
  g_signal_emit (self, send_signals[SIGNAL_FINISHED], 0, owned);
}

static void
fail_file (SlFileSend   *self,
           const GError *error)
{
  g_autofree char *name = file_name (self->file);

  finish (self, g_error_new (error->domain, error->code,
                             _("Could not read the file “%s”: %s. Pick another file."),
                             name, error->message));
}

static gboolean
poll_cb (gpointer user_data)
{
  SlFileSend *self = user_data;

  g_clear_pointer (&self->poll, g_source_unref);
  pump (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_poll (SlFileSend *self)
{
  if (self->poll != NULL)
    return;
  /* No progress since the last look: look less often. */
  if (self->sent == self->sent_at_poll)
    self->poll_ms = MIN (MAX (self->poll_ms * 2, POLL_MIN_MS), POLL_MAX_MS);
  else
    self->poll_ms = POLL_MIN_MS;
  self->sent_at_poll = self->sent;

  self->poll = g_timeout_source_new (self->poll_ms);
  g_source_set_callback (self->poll, poll_cb, self, NULL);
  g_source_set_name (self->poll, "[socket-lab] file send queue");
  g_source_attach (self->poll, self->context);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SlFileSend) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  /* A read of an earlier, ended run. */
  if (!self->running || G_INPUT_STREAM (object) != self->stream)
    return;
  self->reading = FALSE;

  if (bytes == NULL)
    {
      fail_file (self, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      self->eof = TRUE;
      /* The file changed size since it was measured: the bytes read count. */
      set_total (self, self->handed);
      pump (self);
      return;
    }

  if (!sl_connection_send (self->connection, bytes, &error))
    {
      finish (self, g_steal_pointer (&error));
      return;
    }
  self->handed += g_bytes_get_size (bytes);
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_HANDED]);
  pump (self);
}

/* Reads the next chunk when the queue has room; finishes once the kernel
 * took every byte; fails when the connection is gone. */
static void
pump (SlFileSend *self)
{
  if (!self->running || self->stream == NULL)
    return;

  update_sent (self);

  if (self->eof && self->sent >= self->handed)
    {
      finish (self, NULL);
      return;
    }

  if (!sl_connection_is_open (self->connection))
    {
      finish (self, g_error_new (SL_ERROR, SL_ERROR_NOT_CONNECTED,
                                 _("The connection closed after %lu of "
                                   "%lu bytes of the file were sent: the "
                                   "rest was not sent. Connect again and send the file "
                                   "again."),
                                 (unsigned long) self->sent, (unsigned long) self->total));
      return;
    }

  if (self->reading)
    return;

  if (self->eof || self->handed - self->sent >= SL_FILE_SEND_MAX_QUEUED)
    {
      schedule_poll (self);
      return;
    }

  self->reading = TRUE;
  g_input_stream_read_bytes_async (self->stream, SL_FILE_SEND_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   self->cancellable, read_cb, g_object_ref (self));
}

static void
query_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SlFileSend) self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (object), result, &error);
  if (!self->running || G_INPUT_STREAM (object) != self->stream)
    return;
  self->reading = FALSE;

  if (info == NULL)
    {
      fail_file (self, error);
      return;
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    set_total (self, (guint64) g_file_info_get_size (info));

  pump (self);
}

static void
read_opened_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlFileSend) self = user_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = g_file_read_finish (G_FILE (object), result, &error);
  /* Cancelled: an ended run's (a run only ends by finish(), which cancels). */
  if (!self->running || self->stream != NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (stream == NULL)
    {
      fail_file (self, error);
      return;
    }

  self->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
  self->reading = TRUE;
  g_file_input_stream_query_info_async (G_FILE_INPUT_STREAM (self->stream),
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE, G_PRIORITY_DEFAULT,
                                        self->cancellable, query_info_cb, g_object_ref (self));
}

static void
connection_closed_cb (SlConnection *connection,
                      SlFileSend   *self)
{
  pump (self);
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  SlFileSend *self = user_data;

  g_clear_pointer (&self->cancel_idle, g_source_unref);
  sl_file_send_cancel (self);
  return G_SOURCE_REMOVE;
}

/* May run in any thread: the cancellation itself happens in an idle of our context. */
static void
user_cancelled_cb (GCancellable *cancellable,
                   SlFileSend   *self)
{
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, cancel_idle_cb, self, NULL);
  g_source_set_name (source, "[socket-lab] file send cancel");
  if (self->cancel_idle == NULL)
    {
      self->cancel_idle = source;
      g_source_attach (source, self->context);
    }
  else
    g_source_unref (source);
}

gboolean
sl_file_send_start (SlFileSend    *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  SlEndpoint *endpoint;

  g_return_val_if_fail (SL_IS_FILE_SEND (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->running)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_BUSY,
                   _("This file is already being sent: wait for it or cancel it first."));
      return FALSE;
    }

  endpoint = sl_connection_get_endpoint (self->connection);
  if (endpoint == NULL || !sl_connection_is_open (self->connection))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("This connection is closed: the file was not sent. Pick an open "
                     "connection."));
      return FALSE;
    }

  if (sl_connection_is_datagram (self->connection))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                   _("A file cannot be sent over UDP or a Unix datagram socket: each "
                     "datagram is a separate message that may be lost or reordered. Use a "
                     "TCP or Unix stream connection."));
      return FALSE;
    }

  if (sl_endpoint_config_get_io_mode (sl_endpoint_get_config (endpoint)) ==
      SL_IO_MODE_NONBLOCKING)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                   _("In the non-blocking I/O mode one send() may take only part of the data, "
                     "and the rest would be lost; sending a file needs sendall(). Switch the "
                     "endpoint to the async or blocking I/O mode."));
      return FALSE;
    }

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   _("Sending the file was cancelled before it began."));
      return FALSE;
    }

  self->running = TRUE;
  self->reading = FALSE;
  self->eof = FALSE;
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->bytes_out_start = sl_connection_get_bytes_out (self->connection);
  self->handed = 0;
  self->sent = 0;
  self->sent_at_poll = G_MAXUINT64;
  self->poll_ms = POLL_MIN_MS;
  self->total = 0;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_HANDED]);
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_SENT]);
  g_object_notify_by_pspec (G_OBJECT (self), send_properties[SEND_PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));

  self->closed_id = g_signal_connect (self->connection, "closed",
                                      G_CALLBACK (connection_closed_cb), self);
  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->user_cancelled_id = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (user_cancelled_cb),
                                                       self, NULL);
    }

  g_file_read_async (self->file, G_PRIORITY_DEFAULT, self->cancellable, read_opened_cb,
                     g_object_ref (self));
  return TRUE;
}

void
sl_file_send_cancel (SlFileSend *self)
{
  g_return_if_fail (SL_IS_FILE_SEND (self));

  if (!self->running)
    return;

  update_sent (self);
  finish (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("Sending the file was cancelled after %lu of "
                               "%lu bytes; the bytes already handed to the "
                               "connection are still sent."),
                             (unsigned long) self->handed, (unsigned long) self->total));
}

static void
sl_file_send_dispose (GObject *object)
{
  SlFileSend *self = SL_FILE_SEND (object);

  /* Dropped while running (between reads, waiting for the queue): end quietly. */
  halt (self);
  g_clear_object (&self->connection);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (sl_file_send_parent_class)->dispose (object);
}

static void
sl_file_send_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SlFileSend *self = SL_FILE_SEND (object);

  switch (prop_id)
    {
    case SEND_PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case SEND_PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case SEND_PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    case SEND_PROP_SENT:
      g_value_set_uint64 (value, self->sent);
      break;
    case SEND_PROP_HANDED:
      g_value_set_uint64 (value, self->handed);
      break;
    case SEND_PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_file_send_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SlFileSend *self = SL_FILE_SEND (object);

  switch (prop_id)
    {
    case SEND_PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case SEND_PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_file_send_class_init (SlFileSendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sl_file_send_dispose;
  object_class->get_property = sl_file_send_get_property;
  object_class->set_property = sl_file_send_set_property;

  send_properties[SEND_PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, SL_TYPE_CONNECTION, construct);
  send_properties[SEND_PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, construct);
  send_properties[SEND_PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  send_properties[SEND_PROP_SENT] =
    g_param_spec_uint64 ("sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  send_properties[SEND_PROP_HANDED] =
    g_param_spec_uint64 ("handed", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  send_properties[SEND_PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, SEND_N_PROPS, send_properties);

  send_signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_file_send_init (SlFileSend *self)
{
}

SlFileSend *
sl_file_send_new (SlConnection *connection,
                  GFile        *file)
{
  g_return_val_if_fail (SL_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (SL_TYPE_FILE_SEND, "connection", connection, "file", file, NULL);
}

SlConnection *
sl_file_send_get_connection (SlFileSend *self)
{
  g_return_val_if_fail (SL_IS_FILE_SEND (self), NULL);
  return self->connection;
}

GFile *
sl_file_send_get_file (SlFileSend *self)
{
  g_return_val_if_fail (SL_IS_FILE_SEND (self), NULL);
  return self->file;
}

guint64
sl_file_send_get_total (SlFileSend *self)
{
  g_return_val_if_fail (SL_IS_FILE_SEND (self), 0);
  return self->total;
}

guint64
sl_file_send_get_sent (SlFileSend *self)
{
  g_return_val_if_fail (SL_IS_FILE_SEND (self), 0);
  return self->sent;
}

guint64
sl_file_send_get_handed (SlFileSend *self)
{
  g_return_val_if_fail (SL_IS_FILE_SEND (self), 0);
  return self->handed;
}

gboolean
sl_file_send_get_running (SlFileSend *self)
{
  g_return_val_if_fail (SL_IS_FILE_SEND (self), FALSE);
  return self->running;
}

/* SlFileReceive. */

struct _SlFileReceive
{
  GObject        parent_instance;

  SlEndpoint    *endpoint;
  SlConnection  *connection;
  GFile         *file;

  GOutputStream *stream;
  GCancellable  *cancellable;
  gulong         received_id;
  gulong         closed_id;
  GByteArray    *pending;     /* received, not yet handed to a write */
  GBytes        *writing;     /* being written */
  gboolean       running;     /* until ::finished */
  gboolean       stopping;    /* no new bytes; close once written */
  gboolean       closing;
  guint64        bytes_received;
  guint64        bytes_written;
};

G_DEFINE_FINAL_TYPE (SlFileReceive, sl_file_receive, G_TYPE_OBJECT)

enum
{
  RECEIVE_PROP_0,
  RECEIVE_PROP_ENDPOINT,
  RECEIVE_PROP_CONNECTION,
  RECEIVE_PROP_FILE,
  RECEIVE_PROP_BYTES_RECEIVED,
  RECEIVE_PROP_BYTES_WRITTEN,
  RECEIVE_PROP_RUNNING,
  RECEIVE_N_PROPS
};

static GParamSpec *receive_properties[RECEIVE_N_PROPS];

static void write_pending (SlFileReceive *self);

static void
disconnect_connection (SlFileReceive *self)
{
  g_clear_signal_handler (&self->received_id, self->connection);
  g_clear_signal_handler (&self->closed_id, self->connection);
}

static void
receive_finish (SlFileReceive *self,
                GError        *error)
{
  g_autoptr(GError) owned = error;
  G_GNUC_UNUSED g_autoptr(SlFileReceive) hold = g_object_ref (self);

  if (!self->running)
    return;

  disconnect_connection (self);
  self->running = FALSE;
  self->stopping = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), receive_properties[RECEIVE_PROP_RUNNING]);
  g_signal_emit (self, receive_signals[SIGNAL_FINISHED], 0, owned);
}

/* A write or close failed: stop, keep what was written, tell why. */
static void
receive_fail (SlFileReceive *self,
              const GError  *error)
{
  g_autofree char *name = file_name (self->file);
  guint64 lost = self->bytes_received - self->bytes_written;

  g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL && !g_output_stream_is_closed (self->stream) &&
      !g_output_stream_has_pending (self->stream))
    g_output_stream_close (self->stream, NULL, NULL);

  receive_finish (self, g_error_new (error->domain, error->code,
                                     _("Writing “%s” failed: %s. The file holds the first "
                                       "%lu bytes; %lu received bytes are not in it. Free "
                                       "some space or choose another folder, then try "
                                       "again."),
                                     name, error->message, (unsigned long) self->bytes_written,
                                     (unsigned long) lost));
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SlFileReceive) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      if (self->running)
        receive_fail (self, error);
      return;
    }

  receive_finish (self, NULL);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SlFileReceive) self = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  gboolean ok;

  ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error);
  g_clear_pointer (&self->writing, g_bytes_unref);
  self->bytes_written += written;
  if (written > 0)
    g_object_notify_by_pspec (G_OBJECT (self), receive_properties[RECEIVE_PROP_BYTES_WRITTEN]);

  if (!self->running)
    return;
  if (!ok)
    {
      receive_fail (self, error);
      return;
    }

  write_pending (self);
}

/* Writes what has arrived (one write at a time, in order); closes the file
 * when stopping and nothing is left. */
static void
write_pending (SlFileReceive *self)
{
  gsize size;
  gconstpointer data;

  if (!self->running || self->writing != NULL || self->closing)
    return;

  if (self->pending->len == 0)
    {
      if (self->stopping)
        {
          self->closing = TRUE;
          g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       close_cb, g_object_ref (self));
        }
      return;
    }

  self->writing = g_byte_array_free_to_bytes (self->pending);
  self->pending = g_byte_array_new ();
  data = g_bytes_get_data (self->writing, &size);
  g_output_stream_write_all_async (self->stream, data, size, G_PRIORITY_DEFAULT,
                                   self->cancellable, write_cb, g_object_ref (self));
}

static void
received_cb (SlConnection  *connection,
             GBytes        *bytes,
             SlFileReceive *self)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (self->stopping || size == 0)
    return;

  g_byte_array_append (self->pending, data, size);
  self->bytes_received += size;
  g_object_notify_by_pspec (G_OBJECT (self), receive_properties[RECEIVE_PROP_BYTES_RECEIVED]);
  write_pending (self);
}

static void
receive_closed_cb (SlConnection  *connection,
                   SlFileReceive *self)
{
  sl_file_receive_stop (self);
}

void
sl_file_receive_stop (SlFileReceive *self)
{
  g_return_if_fail (SL_IS_FILE_RECEIVE (self));

  if (!self->running || self->stopping)
    return;

  self->stopping = TRUE;
  disconnect_connection (self);
  write_pending (self);
}

static void
sl_file_receive_dispose (GObject *object)
{
  SlFileReceive *self = SL_FILE_RECEIVE (object);

  /* Writes hold a reference, so none is pending here. */
  if (self->connection != NULL)
    disconnect_connection (self);
  if (self->stream != NULL && !g_output_stream_is_closed (self->stream))
    g_output_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->endpoint);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (sl_file_receive_parent_class)->dispose (object);
}

static void
sl_file_receive_finalize (GObject *object)
{
  SlFileReceive *self = SL_FILE_RECEIVE (object);

  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_clear_pointer (&self->writing, g_bytes_unref);

  G_OBJECT_CLASS (sl_file_receive_parent_class)->finalize (object);
}

static void
sl_file_receive_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SlFileReceive *self = SL_FILE_RECEIVE (object);

  switch (prop_id)
    {
    case RECEIVE_PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;
    case RECEIVE_PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case RECEIVE_PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case RECEIVE_PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    case RECEIVE_PROP_BYTES_WRITTEN:
      g_value_set_uint64 (value, self->bytes_written);
      break;
    case RECEIVE_PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_file_receive_class_init (SlFileReceiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sl_file_receive_dispose;
  object_class->finalize = sl_file_receive_finalize;
  object_class->get_property = sl_file_receive_get_property;

  receive_properties[RECEIVE_PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, SL_TYPE_ENDPOINT, ro);
  receive_properties[RECEIVE_PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, SL_TYPE_CONNECTION, ro);
  receive_properties[RECEIVE_PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, ro);
  receive_properties[RECEIVE_PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  receive_properties[RECEIVE_PROP_BYTES_WRITTEN] =
    g_param_spec_uint64 ("bytes-written", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  receive_properties[RECEIVE_PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, RECEIVE_N_PROPS, receive_properties);

  receive_signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
sl_file_receive_init (SlFileReceive *self)
{
  self->pending = g_byte_array_new ();
  self->cancellable = g_cancellable_new ();
}

SlFileReceive *
sl_file_receive_new (SlEndpoint    *endpoint,
                     SlConnection  *connection,
                     GFile         *file,
                     GError       **error)
{
  g_autoptr(SlFileReceive) self = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SL_IS_ENDPOINT (endpoint), NULL);
  g_return_val_if_fail (SL_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sl_connection_get_endpoint (connection) != endpoint || !sl_connection_is_open (connection))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("This connection is closed: there is nothing to save. Pick an open "
                     "connection."));
      return NULL;
    }

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &local_error);
  if (stream == NULL)
    {
      g_autofree char *name = file_name (file);

      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not create “%s”: %s. Choose another folder or file name."),
                   name, local_error->message);
      return NULL;
    }

  self = g_object_new (SL_TYPE_FILE_RECEIVE, NULL);
  self->endpoint = g_object_ref (endpoint);
  self->connection = g_object_ref (connection);
  self->file = g_object_ref (file);
  self->stream = G_OUTPUT_STREAM (g_steal_pointer (&stream));
  self->running = TRUE;
  self->received_id = g_signal_connect (connection, "received",
                                        G_CALLBACK (received_cb), self);
  self->closed_id = g_signal_connect (connection, "closed",
                                      G_CALLBACK (receive_closed_cb), self);

  return g_steal_pointer (&self);
}

SlEndpoint *
sl_file_receive_get_endpoint (SlFileReceive *self)
{
  g_return_val_if_fail (SL_IS_FILE_RECEIVE (self), NULL);
  return self->endpoint;
}

SlConnection *
sl_file_receive_get_connection (SlFileReceive *self)
{
  g_return_val_if_fail (SL_IS_FILE_RECEIVE (self), NULL);
  return self->connection;
}

GFile *
sl_file_receive_get_file (SlFileReceive *self)
{
  g_return_val_if_fail (SL_IS_FILE_RECEIVE (self), NULL);
  return self->file;
}

guint64
sl_file_receive_get_bytes_received (SlFileReceive *self)
{
  g_return_val_if_fail (SL_IS_FILE_RECEIVE (self), 0);
  return self->bytes_received;
}

guint64
sl_file_receive_get_bytes_written (SlFileReceive *self)
{
  g_return_val_if_fail (SL_IS_FILE_RECEIVE (self), 0);
  return self->bytes_written;
}

gboolean
sl_file_receive_get_running (SlFileReceive *self)
{
  g_return_val_if_fail (SL_IS_FILE_RECEIVE (self), FALSE);
  return self->running;
}
