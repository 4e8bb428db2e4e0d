/* sl-call-bar.c — accept()/recv() buttons for the manual I/O modes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-call-bar.h"
#include "sl-error.h"

struct _SlCallBar
{
  GtkWidget      parent_instance;

  SlEndpoint    *endpoint;
  SlConnection  *connection;

  /* The call in flight: its cancellable, and the endpoint or connection it waits on (whose
   * pending-call names it). */
  GCancellable  *cancellable;
  GObject       *waiting_on;
  gboolean       busy;

  /* Template children. */
  GtkWidget     *revealer;
  GtkStack      *status_stack;
  GtkLabel      *mode_label;
  GtkSpinner    *spinner;
  GtkLabel      *busy_label;
  GtkWidget     *accept_button;
  GtkButton     *recv_button;
  GtkButton     *recvfrom_button;
  GtkWidget     *cancel_button;
};

G_DEFINE_FINAL_TYPE (SlCallBar, sl_call_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_CONNECTION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
sl_call_bar_new (void)
{
  return g_object_new (SL_TYPE_CALL_BAR, NULL);
}

static SlEndpointConfig *
config (SlCallBar *self)
{
  return self->endpoint != NULL ? sl_endpoint_get_config (self->endpoint) : NULL;
}

static SlIoMode
io_mode (SlCallBar *self)
{
  return self->endpoint != NULL ? sl_endpoint_config_get_io_mode (config (self))
                                : SL_IO_MODE_ASYNC;
}

static gboolean
is_datagram (SlCallBar *self)
{
  return self->endpoint != NULL &&
         sl_endpoint_config_get_protocol (config (self)) == SL_PROTOCOL_UDP;
}

static gboolean
is_running (SlCallBar *self)
{
  SlEndpointState state;

  if (self->endpoint == NULL)
    return FALSE;

  state = sl_endpoint_get_state (self->endpoint);
  return state == SL_ENDPOINT_STATE_LISTENING || state == SL_ENDPOINT_STATE_CONNECTED;
}

/* The connection recv() reads from: the one set, else the first. */
static SlConnection *
recv_target (SlCallBar *self)
{
  if (self->endpoint == NULL)
    return NULL;
  if (self->connection != NULL && sl_connection_get_endpoint (self->connection) == self->endpoint)
    return self->connection;

  return sl_endpoint_get_first_connection (self->endpoint);
}

static char *
mode_text (SlCallBar *self)
{
  double timeout;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  switch (io_mode (self))
    {
    case SL_IO_MODE_BLOCKING:
      return g_strdup (_("You make each call; it waits until something arrives."));
    case SL_IO_MODE_NONBLOCKING:
      return g_strdup (_("Each call returns at once; nothing there raises BlockingIOError "
                         "(EAGAIN)."));
    case SL_IO_MODE_TIMEOUT:
      timeout = sl_endpoint_config_get_timeout (config (self));
      g_snprintf (number, sizeof number, "%g", timeout);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Each call waits at most %s second, then raises "
                                           "socket.timeout.",
                                           "Each call waits at most %s seconds, then raises "
                                           "socket.timeout.",
                                           timeout == 1.0 ? 1 : 2),
                              number);
    case SL_IO_MODE_ASYNC:
    default:
      return NULL;
    }
}

/* "conn.recv(1024)" → "recv(1024)": the call as the buttons name it. */
static const char *
strip_variable (const char *call)
{
  const char *paren = strchr (call, '(');
  const char *dot = NULL;

  for (const char *p = call; *p != '\0' && (paren == NULL || p < paren); p++)
    if (*p == '.')
      dot = p;

  return dot != NULL ? dot + 1 : call;
}

static void
update_busy_label (SlCallBar *self)
{
  g_autofree char *call = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *markup = NULL;

  if (self->waiting_on != NULL)
    g_object_get (self->waiting_on, "pending-call", &call, NULL);
  if (call == NULL)
    return;

  escaped = g_markup_printf_escaped ("<tt>%s</tt>", strip_variable (call));
  if (io_mode (self) == SL_IO_MODE_TIMEOUT)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (number, sizeof number, "%g", sl_endpoint_config_get_timeout (config (self)));
      /* Translators: %1$s is a call such as recv(1024), %2$s a number of seconds. */
      markup = g_strdup_printf (_("Blocked in %1$s… (at most %2$s s)"), escaped, number);
    }
  else
    /* Translators: %s is a call such as recv(1024) or accept(). */
    markup = g_strdup_printf (_("Blocked in %s…"), escaped);
  gtk_label_set_markup (self->busy_label, markup);
}

static void
update (SlCallBar *self)
{
  SlIoMode mode = io_mode (self);
  gboolean manual = mode != SL_IO_MODE_ASYNC;
  gboolean datagram = is_datagram (self);
  gboolean server = self->endpoint != NULL && sl_endpoint_is_server (self->endpoint);
  gboolean idle = self->cancellable == NULL;
  g_autofree char *text = mode_text (self);
  g_autofree char *recv_label = NULL;
  g_autofree char *recvfrom_label = NULL;
  SlConnection *target = recv_target (self);
  int bufsize = self->endpoint != NULL ? sl_endpoint_config_get_bufsize (config (self)) : 1024;

  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), manual);
  gtk_label_set_text (self->mode_label, text);

  recv_label = g_strdup_printf ("recv(%d)", bufsize);
  recvfrom_label = g_strdup_printf ("recvfrom(%d)", bufsize);
  gtk_button_set_label (self->recv_button, recv_label);
  gtk_button_set_label (self->recvfrom_button, recvfrom_label);

  gtk_widget_set_visible (self->accept_button, !datagram && server);
  gtk_widget_set_visible (GTK_WIDGET (self->recv_button), !datagram);
  gtk_widget_set_visible (GTK_WIDGET (self->recvfrom_button), datagram);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.accept",
                                 manual && idle && server && !datagram && is_running (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.recv",
                                 manual && idle && is_running (self) &&
                                 (datagram || (target != NULL && sl_connection_is_open (target))));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "call.cancel", self->busy);

  if (target == NULL && !datagram)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->recv_button),
                                 server ? _("Call recv(): there is no connection yet; accept() "
                                            "one first")
                                        : _("Call recv(): the client is not connected"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->recv_button),
                                 _("Call recv(): read what has arrived, waiting for it as the "
                                   "mode says"));

  gtk_widget_set_visible (self->cancel_button, self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  if (self->busy)
    update_busy_label (self);
  gtk_stack_set_visible_child_name (self->status_stack, self->busy ? "busy" : "idle");
}

static void
set_busy (SlCallBar *self,
          gboolean   busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The core names the call while a worker thread waits in it (never in non-blocking mode,
 * where the call returns at once). Busy lasts from then until the result is delivered. */
static void
pending_call_cb (SlCallBar *self)
{
  g_autofree char *call = NULL;

  if (self->waiting_on != NULL)
    g_object_get (self->waiting_on, "pending-call", &call, NULL);
  if (call != NULL && self->cancellable != NULL)
    set_busy (self, TRUE);
  update (self);
}

static void
watch (SlCallBar *self,
       GObject   *object)
{
  if (self->waiting_on != NULL)
    g_signal_handlers_disconnect_by_func (self->waiting_on, pending_call_cb, self);
  g_set_object (&self->waiting_on, object);
  if (object != NULL)
    g_signal_connect_swapped (object, "notify::pending-call", G_CALLBACK (pending_call_cb), self);
}

/* What a callback needs to know whether its call is still the bar's current one. The bar
 * is held weakly: a waiting call must not keep it alive, its dispose cancels the call. */
typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
} CallData;

static void
call_data_free (CallData *data)
{
  g_weak_ref_clear (&data->self);
  g_object_unref (data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallData, call_data_free)

static void
end_call (SlCallBar *self)
{
  g_clear_object (&self->cancellable);
  watch (self, NULL);
  set_busy (self, FALSE);
}

/* Runs once the call ended. EAGAIN, the timeout and a cancel are the lesson of the mode,
 * already in the log; anything else is reported. A call the bar gave up on (another
 * endpoint was set, or the bar is gone) only releases its data. */
static void
finish_call (CallData     *data,
             const GError *error)
{
  g_autoptr(SlCallBar) self = g_weak_ref_get (&data->self);

  if (self == NULL || self->cancellable != data->cancellable)
    return;

  end_call (self);
  if (error != NULL &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);

  update (self);
}

static void
accept_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CallData) data = user_data;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = sl_endpoint_accept_finish (SL_ENDPOINT (object), result, &error);
  finish_call (data, error);
}

static void
recv_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CallData) data = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = sl_connection_recv_finish (SL_CONNECTION (object), result, &error);
  finish_call (data, error);
}

static void
recvfrom_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CallData) data = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = sl_endpoint_recvfrom_finish (SL_ENDPOINT (object), result, NULL, &error);
  finish_call (data, error);
}

/* Starts tracking a call waiting on @waiting_on; NULL when one is already in flight. */
static CallData *
begin_call (SlCallBar *self,
            GObject   *waiting_on)
{
  CallData *data;

  if (self->cancellable != NULL || self->endpoint == NULL)
    return NULL;

  self->cancellable = g_cancellable_new ();
  watch (self, waiting_on);

  data = g_new0 (CallData, 1);
  g_weak_ref_init (&data->self, self);
  data->cancellable = g_object_ref (self->cancellable);
  return data;
}

void
sl_call_bar_accept (SlCallBar *self)
{
  CallData *data;

  g_return_if_fail (SL_IS_CALL_BAR (self));

  data = begin_call (self, G_OBJECT (self->endpoint));
  if (data == NULL)
    return;

  sl_endpoint_accept_async (self->endpoint, self->cancellable, accept_cb, data);
  pending_call_cb (self);
}

void
sl_call_bar_recv (SlCallBar *self)
{
  SlConnection *target;
  CallData *data;

  g_return_if_fail (SL_IS_CALL_BAR (self));

  if (is_datagram (self))
    {
      data = begin_call (self, G_OBJECT (self->endpoint));
      if (data == NULL)
        return;
      sl_endpoint_recvfrom_async (self->endpoint, self->cancellable, recvfrom_cb, data);
      pending_call_cb (self);
      return;
    }

  target = recv_target (self);
  if (target == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (self->endpoint == NULL)
        return;
      g_set_error_literal (&error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                           sl_endpoint_is_server (self->endpoint)
                           ? _("There is no connection to receive from: call accept() first.")
                           : _("The client is not connected: start it first."));
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }
  data = begin_call (self, G_OBJECT (target));
  if (data == NULL)
    return;

  sl_connection_recv_async (target, self->cancellable, recv_cb, data);
  pending_call_cb (self);
}

void
sl_call_bar_cancel (SlCallBar *self)
{
  g_return_if_fail (SL_IS_CALL_BAR (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
sl_call_bar_get_busy (SlCallBar *self)
{
  g_return_val_if_fail (SL_IS_CALL_BAR (self), FALSE);

  return self->busy;
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sl_call_bar_accept (SL_CALL_BAR (widget));
}

static void
recv_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sl_call_bar_recv (SL_CALL_BAR (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sl_call_bar_cancel (SL_CALL_BAR (widget));
}

/* Properties. */

static void
disconnect_endpoint (SlCallBar *self)
{
  if (self->endpoint == NULL)
    return;

  g_signal_handlers_disconnect_by_func (self->endpoint, update, self);
  g_signal_handlers_disconnect_by_func (sl_endpoint_get_config (self->endpoint), update, self);
}

void
sl_call_bar_set_endpoint (SlCallBar  *self,
                          SlEndpoint *endpoint)
{
  g_return_if_fail (SL_IS_CALL_BAR (self));
  g_return_if_fail (endpoint == NULL || SL_IS_ENDPOINT (endpoint));

  if (self->endpoint == endpoint)
    return;

  /* A call on the previous endpoint is of no interest any more. */
  sl_call_bar_cancel (self);
  end_call (self);
  disconnect_endpoint (self);
  g_set_object (&self->endpoint, endpoint);
  if (endpoint != NULL)
    {
      g_signal_connect_swapped (endpoint, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (endpoint, "notify::n-connections", G_CALLBACK (update), self);
      /* The endpoint's copy of the config can still be changed by whoever holds it. */
      g_signal_connect_swapped (sl_endpoint_get_config (endpoint), "notify",
                                G_CALLBACK (update), self);
    }
  sl_call_bar_set_connection (self, NULL);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
}

void
sl_call_bar_set_connection (SlCallBar    *self,
                            SlConnection *connection)
{
  g_return_if_fail (SL_IS_CALL_BAR (self));
  g_return_if_fail (connection == NULL || SL_IS_CONNECTION (connection));

  if (self->connection == connection)
    return;

  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, update, self);
  g_set_object (&self->connection, connection);
  if (connection != NULL)
    g_signal_connect_swapped (connection, "notify::state", G_CALLBACK (update), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

/* GObject. */

static void
sl_call_bar_dispose (GObject *object)
{
  SlCallBar *self = SL_CALL_BAR (object);

  /* The worker thread stops waiting; its callback then only releases its data. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  watch (self, NULL);
  disconnect_endpoint (self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_func (self->connection, update, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_CALL_BAR);

  g_clear_object (&self->connection);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (sl_call_bar_parent_class)->dispose (object);
}

static void
sl_call_bar_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SlCallBar *self = SL_CALL_BAR (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_call_bar_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SlCallBar *self = SL_CALL_BAR (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      sl_call_bar_set_endpoint (self, g_value_get_object (value));
      break;

    case PROP_CONNECTION:
      sl_call_bar_set_connection (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_call_bar_class_init (SlCallBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sl_call_bar_dispose;
  object_class->get_property = sl_call_bar_get_property;
  object_class->set_property = sl_call_bar_set_property;

  properties[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, SL_TYPE_ENDPOINT, rw);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, SL_TYPE_CONNECTION, rw);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-call-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, status_stack);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, mode_label);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, busy_label);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, accept_button);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, recv_button);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, recvfrom_button);
  gtk_widget_class_bind_template_child (widget_class, SlCallBar, cancel_button);

  gtk_widget_class_install_action (widget_class, "call.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "call.recv", NULL, recv_action);
  gtk_widget_class_install_action (widget_class, "call.cancel", NULL, cancel_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "callbar");
}

static void
sl_call_bar_init (SlCallBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  update (self);
}
