/* sl-transfer-bar.c — repeat a message, send a file, save what arrives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-error.h"
#include "sl-file-chooser.h"
#include "sl-transfer-bar.h"
#include "sl-wrap-box.h"

struct _SlTransferBar
{
  GtkWidget       parent_instance;

  GtkWidget      *content;
  GtkMenuButton  *repeat_button;
  GtkPopover     *repeat_popover;
  GtkSpinButton  *interval_spin;
  GtkSpinButton  *count_spin;
  GtkLabel       *repeat_error;
  GtkWidget      *repeat_status;
  GtkLabel       *repeat_label;
  GtkWidget      *send_status;
  GtkLabel       *send_label;
  GtkProgressBar *send_progress;
  GtkWidget      *receive_status;
  GtkLabel       *receive_label;

  SlComposer     *composer;
  SlRepeatSend   *repeat;
  SlFileSend     *file_send;
  SlFileReceive  *file_receive;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (SlTransferBar, sl_transfer_bar, GTK_TYPE_WIDGET)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (SlTransferBar *self,
       const char    *message)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, message);
}

/* The connection the tools act on: the composer's, or the endpoint's first. */
static SlConnection *
target (SlTransferBar *self,
        SlEndpoint   **endpoint)
{
  SlConnection *connection = NULL;

  *endpoint = self->composer != NULL ? sl_composer_get_endpoint (self->composer) : NULL;
  if (*endpoint == NULL)
    return NULL;
  g_object_get (self->composer, "connection", &connection, NULL);
  if (connection != NULL)
    {
      /* The composer holds it; g_object_get() gave a reference. */
      g_object_unref (connection);
      return connection;
    }
  return sl_endpoint_get_first_connection (*endpoint);
}

static gboolean
need_connection (SlTransferBar  *self,
                 SlConnection  **connection,
                 SlEndpoint    **endpoint,
                 GError        **error)
{
  *connection = target (self, endpoint);
  if (*connection == NULL || !sl_connection_is_open (*connection))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("There is no open connection to use: start the endpoint, or pick a "
                     "connected client in the list."));
      return FALSE;
    }
  return TRUE;
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_DEFAULT);
}

/* ---- repeat --------------------------------------------------------------- */

static void
update_repeat (SlTransferBar *self)
{
  g_autofree char *text = NULL;
  guint count;

  gtk_widget_set_visible (self->repeat_status,
                          self->repeat != NULL && sl_repeat_send_get_running (self->repeat));
  if (self->repeat == NULL)
    return;

  count = sl_repeat_send_get_count (self->repeat);
  if (count == 0)
    /* Translators: %lu messages sent so far, %u milliseconds between them. */
    text = g_strdup_printf (_("Repeating every %u ms: %lu sent, until you stop"),
                            sl_repeat_send_get_interval (self->repeat),
                            (gulong) sl_repeat_send_get_n_sent (self->repeat));
  else
    /* Translators: %u ms between messages, %lu of %u messages sent. */
    text = g_strdup_printf (_("Repeating every %u ms: %lu of %u sent"),
                            sl_repeat_send_get_interval (self->repeat),
                            (gulong) sl_repeat_send_get_n_sent (self->repeat), count);
  gtk_label_set_label (self->repeat_label, text);
}

static void
repeat_stopped_cb (SlRepeatSend  *repeat,
                   const char    *reason,
                   SlTransferBar *self)
{
  toast (self, reason);
  update_repeat (self);
}

gboolean
sl_transfer_bar_start_repeat (SlTransferBar  *self,
                              guint           interval_ms,
                              guint           count,
                              GError        **error)
{
  g_autoptr(SlRepeatSend) repeat = NULL;
  g_autofree char *text = NULL;
  SlConnection *connection;
  SlEndpoint *endpoint;
  SlEncoding encoding;

  g_return_val_if_fail (SL_IS_TRANSFER_BAR (self), FALSE);

  if (self->repeat != NULL && sl_repeat_send_get_running (self->repeat))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_BUSY,
                   _("A message is already repeating: stop it first."));
      return FALSE;
    }
  if (!need_connection (self, &connection, &endpoint, error))
    return FALSE;

  text = sl_composer_get_text (self->composer);
  g_object_get (self->composer, "encoding", &encoding, NULL);
  if (!sl_repeat_send_validate (text, encoding, interval_ms, error))
    return FALSE;

  repeat = sl_repeat_send_new (endpoint,
                               sl_connection_get_endpoint (connection) == endpoint ? connection
                                                                                  : NULL,
                               text, encoding, interval_ms, count);
  g_signal_connect_object (repeat, "stopped", G_CALLBACK (repeat_stopped_cb), self, 0);
  g_signal_connect_object (repeat, "notify::n-sent", G_CALLBACK (update_repeat), self,
                           G_CONNECT_SWAPPED);
  if (self->repeat != NULL)
    g_signal_handlers_disconnect_by_data (self->repeat, self);
  g_set_object (&self->repeat, repeat);
  if (!sl_repeat_send_start (repeat, error))
    return FALSE;
  update_repeat (self);
  return TRUE;
}

static void
start_repeat_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SlTransferBar *self = SL_TRANSFER_BAR (widget);
  g_autoptr(GError) error = NULL;

  if (sl_transfer_bar_start_repeat (self, gtk_spin_button_get_value_as_int (self->interval_spin),
                                    gtk_spin_button_get_value_as_int (self->count_spin), &error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->repeat_error), FALSE);
      gtk_popover_popdown (self->repeat_popover);
      return;
    }
  gtk_label_set_label (self->repeat_error, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->repeat_error), TRUE);
}

static void
stop_repeat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SlTransferBar *self = SL_TRANSFER_BAR (widget);

  if (self->repeat != NULL)
    sl_repeat_send_stop (self->repeat);
}

/* ---- send a file ---------------------------------------------------------- */

static void
update_send (SlTransferBar *self)
{
  g_autofree char *name = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;
  guint64 n_total;

  gtk_widget_set_visible (self->send_status,
                          self->file_send != NULL && sl_file_send_get_running (self->file_send));
  if (self->file_send == NULL)
    return;

  name = g_file_get_basename (sl_file_send_get_file (self->file_send));
  n_total = sl_file_send_get_total (self->file_send);
  sent = format_size (sl_file_send_get_sent (self->file_send));
  total = format_size (n_total);
  /* Translators: "Sending photo.jpg: 1.2 MB of 50.0 MB". */
  text = g_strdup_printf (_("Sending %s: %s of %s"), name, sent, total);
  gtk_label_set_label (self->send_label, text);
  gtk_progress_bar_set_fraction (self->send_progress,
                                 n_total > 0 ? (double) sl_file_send_get_sent (self->file_send)
                                               / n_total : 0);
}

static void
send_finished_cb (SlFileSend    *send,
                  GError        *error,
                  SlTransferBar *self)
{
  g_autofree char *name = g_file_get_basename (sl_file_send_get_file (send));
  g_autofree char *size = format_size (sl_file_send_get_sent (send));
  g_autofree char *message = NULL;

  if (error == NULL)
    /* Translators: "Sent photo.jpg (50.0 MB)". */
    message = g_strdup_printf (_("Sent %s (%s)"), name, size);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: "Stopped sending photo.jpg after 1.2 MB". */
    message = g_strdup_printf (_("Stopped sending %s after %s"), name, size);
  else
    /* Translators: a file name, then why sending it failed. */
    message = g_strdup_printf (_("Could not send %s: %s"), name, error->message);
  toast (self, message);
  update_send (self);
}

gboolean
sl_transfer_bar_send_file (SlTransferBar  *self,
                           GFile          *file,
                           GError        **error)
{
  g_autoptr(SlFileSend) send = NULL;
  SlConnection *connection;
  SlEndpoint *endpoint;

  g_return_val_if_fail (SL_IS_TRANSFER_BAR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->file_send != NULL && sl_file_send_get_running (self->file_send))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_BUSY,
                   _("A file is already being sent: wait for it or cancel it first."));
      return FALSE;
    }
  if (!need_connection (self, &connection, &endpoint, error))
    return FALSE;

  send = sl_file_send_new (connection, file);
  g_signal_connect_object (send, "finished", G_CALLBACK (send_finished_cb), self, 0);
  g_signal_connect_object (send, "notify::sent", G_CALLBACK (update_send), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (send, "notify::total", G_CALLBACK (update_send), self,
                           G_CONNECT_SWAPPED);
  if (self->file_send != NULL)
    g_signal_handlers_disconnect_by_data (self->file_send, self);
  g_set_object (&self->file_send, send);
  if (!sl_file_send_start (send, self->cancellable, error))
    return FALSE;
  update_send (self);
  return TRUE;
}

static void
send_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlTransferBar) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);
  g_autoptr(GError) error = NULL;

  if (file != NULL && !sl_transfer_bar_send_file (self, file, &error))
    toast (self, error->message);
}

static GtkWindow *
parent_window (SlTransferBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
send_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SlTransferBar *self = SL_TRANSFER_BAR (widget);

  sl_file_chooser_run (parent_window (self), SL_FILE_CHOOSER_OPEN, _("Send a File"), _("_Send"),
                       NULL, NULL, NULL, self->cancellable, send_chosen_cb, g_object_ref (self));
}

static void
cancel_send_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SlTransferBar *self = SL_TRANSFER_BAR (widget);

  if (self->file_send != NULL)
    sl_file_send_cancel (self->file_send);
}

/* ---- save received bytes ------------------------------------------------- */

static void
update_receive (SlTransferBar *self)
{
  g_autofree char *name = NULL;
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->receive_status,
                          self->file_receive != NULL
                          && sl_file_receive_get_running (self->file_receive));
  if (self->file_receive == NULL)
    return;

  name = g_file_get_basename (sl_file_receive_get_file (self->file_receive));
  size = format_size (sl_file_receive_get_bytes_written (self->file_receive));
  /* Translators: "Saving received bytes to data.bin: 1.2 MB". */
  text = g_strdup_printf (_("Saving received bytes to %s: %s"), name, size);
  gtk_label_set_label (self->receive_label, text);
}

static void
receive_finished_cb (SlFileReceive *receive,
                     GError        *error,
                     SlTransferBar *self)
{
  g_autofree char *name = g_file_get_basename (sl_file_receive_get_file (receive));
  g_autofree char *size = format_size (sl_file_receive_get_bytes_written (receive));
  g_autofree char *message = NULL;

  if (error == NULL)
    /* Translators: "Saved 1.2 MB of received bytes in data.bin". */
    message = g_strdup_printf (_("Saved %s of received bytes in %s"), size, name);
  else
    /* Translators: a file name, then why writing it failed. */
    message = g_strdup_printf (_("Could not save received bytes in %s: %s"), name,
                               error->message);
  toast (self, message);
  update_receive (self);
}

gboolean
sl_transfer_bar_save_received (SlTransferBar  *self,
                               GFile          *file,
                               GError        **error)
{
  g_autoptr(SlFileReceive) receive = NULL;
  SlConnection *connection;
  SlEndpoint *endpoint;

  g_return_val_if_fail (SL_IS_TRANSFER_BAR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->file_receive != NULL && sl_file_receive_get_running (self->file_receive))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_BUSY,
                   _("Received bytes are already being saved: stop that first."));
      return FALSE;
    }
  if (!need_connection (self, &connection, &endpoint, error))
    return FALSE;

  receive = sl_file_receive_new (endpoint, connection, file, error);
  if (receive == NULL)
    return FALSE;
  g_signal_connect_object (receive, "finished", G_CALLBACK (receive_finished_cb), self, 0);
  g_signal_connect_object (receive, "notify::bytes-written", G_CALLBACK (update_receive), self,
                           G_CONNECT_SWAPPED);
  if (self->file_receive != NULL)
    g_signal_handlers_disconnect_by_data (self->file_receive, self);
  g_set_object (&self->file_receive, receive);
  update_receive (self);
  return TRUE;
}

static void
receive_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SlTransferBar) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);
  g_autoptr(GError) error = NULL;

  if (file != NULL && !sl_transfer_bar_save_received (self, file, &error))
    toast (self, error->message);
}

static void
save_received_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SlTransferBar *self = SL_TRANSFER_BAR (widget);

  /* Translators: the suggested name of a file of received bytes */
  sl_file_chooser_run (parent_window (self), SL_FILE_CHOOSER_SAVE, _("Save Received Bytes"),
                       _("_Save"), _("received.bin"), NULL, NULL, self->cancellable,
                       receive_chosen_cb, g_object_ref (self));
}

static void
stop_receive_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SlTransferBar *self = SL_TRANSFER_BAR (widget);

  if (self->file_receive != NULL)
    sl_file_receive_stop (self->file_receive);
}

/* ---- GObject -------------------------------------------------------------- */

void
sl_transfer_bar_stop_all (SlTransferBar *self)
{
  g_return_if_fail (SL_IS_TRANSFER_BAR (self));

  if (self->repeat != NULL)
    sl_repeat_send_stop (self->repeat);
  if (self->file_send != NULL)
    sl_file_send_cancel (self->file_send);
  if (self->file_receive != NULL)
    sl_file_receive_stop (self->file_receive);
}

static void
sl_transfer_bar_dispose (GObject *object)
{
  SlTransferBar *self = SL_TRANSFER_BAR (object);

  g_cancellable_cancel (self->cancellable);
  if (self->repeat != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->repeat, self);
      sl_repeat_send_stop (self->repeat);
    }
  if (self->file_send != NULL)
    g_signal_handlers_disconnect_by_data (self->file_send, self);
  if (self->file_receive != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->file_receive, self);
      sl_file_receive_stop (self->file_receive);
    }
  g_clear_object (&self->repeat);
  g_clear_object (&self->file_send);
  g_clear_object (&self->file_receive);
  g_clear_object (&self->composer);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_TRANSFER_BAR);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sl_transfer_bar_parent_class)->dispose (object);
}

static void
sl_transfer_bar_class_init (SlTransferBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_transfer_bar_dispose;

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (SL_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-transfer-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, content);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, repeat_button);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, repeat_popover);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, count_spin);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, repeat_error);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, repeat_status);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, repeat_label);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, send_status);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, send_label);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, send_progress);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, receive_status);
  gtk_widget_class_bind_template_child (widget_class, SlTransferBar, receive_label);

  gtk_widget_class_install_action (widget_class, "transfer.start-repeat", NULL,
                                   start_repeat_action);
  gtk_widget_class_install_action (widget_class, "transfer.stop-repeat", NULL,
                                   stop_repeat_action);
  gtk_widget_class_install_action (widget_class, "transfer.send-file", NULL, send_file_action);
  gtk_widget_class_install_action (widget_class, "transfer.cancel-send", NULL,
                                   cancel_send_action);
  gtk_widget_class_install_action (widget_class, "transfer.save-received", NULL,
                                   save_received_action);
  gtk_widget_class_install_action (widget_class, "transfer.stop-receive", NULL,
                                   stop_receive_action);
}

static void
sl_transfer_bar_init (SlTransferBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
sl_transfer_bar_new (void)
{
  return g_object_new (SL_TYPE_TRANSFER_BAR, NULL);
}

void
sl_transfer_bar_set_composer (SlTransferBar *self,
                              SlComposer    *composer)
{
  g_return_if_fail (SL_IS_TRANSFER_BAR (self));
  g_return_if_fail (composer == NULL || SL_IS_COMPOSER (composer));

  g_set_object (&self->composer, composer);
}

SlRepeatSend *
sl_transfer_bar_get_repeat (SlTransferBar *self)
{
  g_return_val_if_fail (SL_IS_TRANSFER_BAR (self), NULL);
  return self->repeat;
}

SlFileSend *
sl_transfer_bar_get_file_send (SlTransferBar *self)
{
  g_return_val_if_fail (SL_IS_TRANSFER_BAR (self), NULL);
  return self->file_send;
}

SlFileReceive *
sl_transfer_bar_get_file_receive (SlTransferBar *self)
{
  g_return_val_if_fail (SL_IS_TRANSFER_BAR (self), NULL);
  return self->file_receive;
}
