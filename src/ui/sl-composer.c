/* sl-composer.c — type a message, pick its encoding, send it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-codec.h"
#include "sl-composer.h"
#include "sl-enum-types.h"
#include "sl-error.h"

/* Sent messages remembered for Up/Down. */
#define HISTORY_MAX 100

struct _SlComposer
{
  GtkWidget        parent_instance;

  SlEndpoint      *endpoint;
  SlConnection    *connection;
  SlEncoding       encoding;
  gboolean         multi_line;
  gboolean         send_to_all;
  char            *error_message;
  gboolean         can_send;

  /* Most recent first; history_pos -1 is the draft being typed. */
  GPtrArray       *history;
  int              history_pos;
  char            *draft;

  /* Template children; input_box and status_box are the direct ones. */
  GtkWidget       *input_box;
  GtkToggleButton *multi_line_button;
  GtkStack        *input_stack;
  GtkEntry        *entry;
  GtkWidget       *scrolled_window;
  GtkTextView     *text_view;
  GtkDropDown     *encoding_drop_down;
  GtkButton       *send_button;
  GtkWidget       *status_box;
  GtkLabel        *error_label;
  GtkLabel        *hint_label;
  GtkCheckButton  *to_all_check;
};

G_DEFINE_FINAL_TYPE (SlComposer, sl_composer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_CONNECTION,
  PROP_ENCODING,
  PROP_MULTI_LINE,
  PROP_SEND_TO_ALL,
  PROP_TEXT,
  PROP_ERROR_MESSAGE,
  PROP_CAN_SEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SENT,
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
sl_composer_new (void)
{
  return g_object_new (SL_TYPE_COMPOSER, NULL);
}

static gboolean
is_datagram (SlComposer *self)
{
  return self->endpoint != NULL &&
         sl_endpoint_config_get_protocol (sl_endpoint_get_config (self->endpoint))
         == SL_PROTOCOL_UDP;
}

static gboolean
is_server (SlComposer *self)
{
  return self->endpoint != NULL && sl_endpoint_is_server (self->endpoint);
}

/* An empty message is b'' in every encoding (even JSON, where "" alone is not a document):
 * what an empty send does is the lesson, not the syntax. */
static GBytes *
encode (SlComposer  *self,
        const char  *text,
        GError     **error)
{
  if (*text == '\0')
    return g_bytes_new (NULL, 0);

  return sl_codec_encode (self->encoding, text, error);
}

static const char *
placeholder (SlEncoding encoding)
{
  switch (encoding)
    {
    case SL_ENCODING_BASE64:
      return _("Text to send base64-encoded");
    case SL_ENCODING_HEX:
      /* Translators: keep the example hex digits as they are. */
      return _("Hex bytes, e.g. 48 69 0a");
    case SL_ENCODING_JSON:
      /* Translators: keep the JSON example as it is. */
      return _("A JSON document, e.g. {\"msg\": \"hi\"}");
    case SL_ENCODING_TEXT:
    default:
      return _("Message to send");
    }
}

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **str,
         const char  *value)
{
  if (g_strcmp0 (*str, value) == 0)
    return FALSE;

  g_free (*str);
  *str = g_strdup (value);
  return TRUE;
}

/* Validates the text, then brings the labels, the Send action and the properties up to date. */
static void
update_state (SlComposer *self)
{
  g_autofree char *text = sl_composer_get_text (self);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean can_send;
  const char *hint = NULL;

  bytes = encode (self, text, &error);

  if (set_str (&self->error_message, error != NULL ? error->message : NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);

  gtk_label_set_text (self->error_label, self->error_message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), self->error_message != NULL);
  if (self->error_message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->scrolled_window), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->scrolled_window), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID);
    }

  if (error == NULL && *text == '\0' && self->endpoint != NULL)
    hint = is_datagram (self)
           ? _("An empty datagram is a real message: the peer’s recvfrom() returns b''.")
           : _("An empty send() puts no bytes on the wire: the peer’s recv() keeps waiting.");
  gtk_label_set_text (self->hint_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->to_all_check), is_server (self));
  gtk_widget_set_visible (self->status_box,
                          self->error_message != NULL || hint != NULL || is_server (self));

  can_send = self->endpoint != NULL && error == NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send", can_send);
  if (self->can_send != can_send)
    {
      self->can_send = can_send;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SEND]);
    }
}

static void
text_changed_cb (SlComposer *self)
{
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static void
set_active_text (SlComposer *self,
                 const char *text)
{
  if (self->multi_line)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
      gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
    }
}

static void
push_history (SlComposer *self,
              const char *text)
{
  if (*text == '\0')
    return;
  if (self->history->len > 0 && g_str_equal (g_ptr_array_index (self->history, 0), text))
    return;

  g_ptr_array_insert (self->history, 0, g_strdup (text));
  if (self->history->len > HISTORY_MAX)
    g_ptr_array_set_size (self->history, HISTORY_MAX);
}

static void
emit_failed (SlComposer   *self,
             const GError *error)
{
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

gboolean
sl_composer_send (SlComposer *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (SL_IS_COMPOSER (self), FALSE);

  text = sl_composer_get_text (self);
  bytes = encode (self, text, &error);
  if (bytes == NULL)
    {
      /* The inline label already says what is wrong; nothing is sent. */
      return FALSE;
    }
  if (self->endpoint == NULL)
    return FALSE;

  if (self->send_to_all && is_server (self))
    {
      if (sl_endpoint_send_to_all (self->endpoint, bytes) == 0)
        g_set_error_literal (&error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                             _("No client is connected, so there is nobody to send to. Connect "
                               "a client first."));
    }
  else
    {
      SlConnection *connection = self->connection;

      /* A connection of another endpoint is not a target of this one. */
      if (connection != NULL && sl_connection_get_endpoint (connection) != self->endpoint)
        connection = NULL;
      sl_endpoint_send (self->endpoint, connection, bytes, &error);
    }

  if (error != NULL)
    {
      emit_failed (self, error);
      return FALSE;
    }

  push_history (self, text);
  self->history_pos = -1;
  g_clear_pointer (&self->draft, g_free);
  set_active_text (self, "");
  g_signal_emit (self, signals[SIGNAL_SENT], 0, bytes);

  return TRUE;
}

void
sl_composer_history_previous (SlComposer *self)
{
  g_return_if_fail (SL_IS_COMPOSER (self));

  if (self->history_pos + 1 >= (int) self->history->len)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  if (self->history_pos == -1)
    {
      g_free (self->draft);
      self->draft = sl_composer_get_text (self);
    }
  self->history_pos++;
  set_active_text (self, g_ptr_array_index (self->history, self->history_pos));
}

void
sl_composer_history_next (SlComposer *self)
{
  g_return_if_fail (SL_IS_COMPOSER (self));

  if (self->history_pos < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  self->history_pos--;
  if (self->history_pos >= 0)
    set_active_text (self, g_ptr_array_index (self->history, self->history_pos));
  else
    {
      g_autofree char *draft = g_steal_pointer (&self->draft);

      set_active_text (self, draft != NULL ? draft : "");
    }
}

static void
entry_activate_cb (SlComposer *self)
{
  if (self->can_send)
    sl_composer_send (self);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static gboolean
is_enter (guint keyval)
{
  return keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter;
}

static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      SlComposer            *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) != 0)
    {
      if (is_enter (keyval) && (state & GDK_CONTROL_MASK) != 0)
        {
          entry_activate_cb (self);
          return GDK_EVENT_STOP;
        }
      return GDK_EVENT_PROPAGATE;
    }

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      sl_composer_history_previous (self);
      return GDK_EVENT_STOP;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      sl_composer_history_next (self);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
}

static gboolean
text_view_key_pressed_cb (GtkEventControllerKey *controller,
                          guint                  keyval,
                          guint                  keycode,
                          GdkModifierType        state,
                          SlComposer            *self)
{
  if (is_enter (keyval) && (state & GDK_CONTROL_MASK) != 0)
    {
      entry_activate_cb (self);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sl_composer_send (SL_COMPOSER (widget));
}

/* Properties. */

SlEndpoint *
sl_composer_get_endpoint (SlComposer *self)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), NULL);

  return self->endpoint;
}

void
sl_composer_set_endpoint (SlComposer *self,
                          SlEndpoint *endpoint)
{
  g_return_if_fail (SL_IS_COMPOSER (self));
  g_return_if_fail (endpoint == NULL || SL_IS_ENDPOINT (endpoint));

  if (!g_set_object (&self->endpoint, endpoint))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (endpoint != NULL)
    sl_composer_set_encoding (self,
                              sl_endpoint_config_get_encoding (sl_endpoint_get_config (endpoint)));
  if (!is_server (self) && self->send_to_all)
    {
      self->send_to_all = FALSE;
      gtk_check_button_set_active (self->to_all_check, FALSE);
    }
  sl_composer_set_connection (self, NULL);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
sl_composer_set_connection (SlComposer   *self,
                            SlConnection *connection)
{
  g_return_if_fail (SL_IS_COMPOSER (self));
  g_return_if_fail (connection == NULL || SL_IS_CONNECTION (connection));

  if (g_set_object (&self->connection, connection))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

char *
sl_composer_get_text (SlComposer *self)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), NULL);

  if (self->multi_line)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }

  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

void
sl_composer_set_text (SlComposer *self,
                      const char *text)
{
  g_return_if_fail (SL_IS_COMPOSER (self));

  set_active_text (self, text != NULL ? text : "");
}

void
sl_composer_set_encoding (SlComposer *self,
                          SlEncoding  encoding)
{
  g_return_if_fail (SL_IS_COMPOSER (self));
  g_return_if_fail (encoding <= SL_ENCODING_JSON);

  if (self->encoding == encoding)
    return;

  self->encoding = encoding;
  gtk_drop_down_set_selected (self->encoding_drop_down, encoding);
  gtk_entry_set_placeholder_text (self->entry, placeholder (encoding));
  /* Hex digits and JSON read better when columns line up. */
  if (encoding == SL_ENCODING_HEX || encoding == SL_ENCODING_JSON)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "monospace");
      gtk_text_view_set_monospace (self->text_view, TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "monospace");
      gtk_text_view_set_monospace (self->text_view, FALSE);
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

static void
set_multi_line (SlComposer *self,
                gboolean    multi_line)
{
  g_autofree char *text = NULL;
  gboolean had_focus;

  multi_line = !!multi_line;
  if (self->multi_line == multi_line)
    return;

  had_focus = gtk_widget_get_focus_child (GTK_WIDGET (self)) != NULL;

  /* The text moves to the other editor without notifying a change. */
  text = sl_composer_get_text (self);
  g_signal_handlers_block_by_func (self->entry, text_changed_cb, self);
  g_signal_handlers_block_by_func (gtk_text_view_get_buffer (self->text_view),
                                   text_changed_cb, self);
  self->multi_line = multi_line;
  set_active_text (self, text);
  g_signal_handlers_unblock_by_func (self->entry, text_changed_cb, self);
  g_signal_handlers_unblock_by_func (gtk_text_view_get_buffer (self->text_view),
                                     text_changed_cb, self);

  gtk_stack_set_visible_child_name (self->input_stack, multi_line ? "multi" : "single");
  gtk_toggle_button_set_active (self->multi_line_button, multi_line);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button),
                               multi_line ? _("Send the message (Ctrl+Enter)")
                                          : _("Send the message (Enter)"));
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self));

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MULTI_LINE]);
}

static void
set_send_to_all (SlComposer *self,
                 gboolean    send_to_all)
{
  send_to_all = !!send_to_all;
  if (self->send_to_all == send_to_all)
    return;

  self->send_to_all = send_to_all;
  gtk_check_button_set_active (self->to_all_check, send_to_all);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEND_TO_ALL]);
}

const char *
sl_composer_get_error_message (SlComposer *self)
{
  g_return_val_if_fail (SL_IS_COMPOSER (self), NULL);

  return self->error_message;
}

static void
multi_line_toggled_cb (SlComposer *self)
{
  set_multi_line (self, gtk_toggle_button_get_active (self->multi_line_button));
}

static void
to_all_toggled_cb (SlComposer *self)
{
  set_send_to_all (self, gtk_check_button_get_active (self->to_all_check));
}

static void
encoding_selected_cb (SlComposer *self)
{
  guint selected = gtk_drop_down_get_selected (self->encoding_drop_down);

  if (selected <= SL_ENCODING_JSON)
    sl_composer_set_encoding (self, selected);
}

/* GtkWidget. */

static gboolean
sl_composer_grab_focus (GtkWidget *widget)
{
  SlComposer *self = SL_COMPOSER (widget);

  if (self->multi_line)
    return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));

  return gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* GObject. */

static void
sl_composer_dispose (GObject *object)
{
  SlComposer *self = SL_COMPOSER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_COMPOSER);
  g_clear_object (&self->connection);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (sl_composer_parent_class)->dispose (object);
}

static void
sl_composer_finalize (GObject *object)
{
  SlComposer *self = SL_COMPOSER (object);

  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->draft, g_free);
  g_clear_pointer (&self->error_message, g_free);

  G_OBJECT_CLASS (sl_composer_parent_class)->finalize (object);
}

static void
sl_composer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SlComposer *self = SL_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;

    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;

    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;

    case PROP_MULTI_LINE:
      g_value_set_boolean (value, self->multi_line);
      break;

    case PROP_SEND_TO_ALL:
      g_value_set_boolean (value, self->send_to_all);
      break;

    case PROP_TEXT:
      g_value_take_string (value, sl_composer_get_text (self));
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_CAN_SEND:
      g_value_set_boolean (value, self->can_send);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_composer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SlComposer *self = SL_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      sl_composer_set_endpoint (self, g_value_get_object (value));
      break;

    case PROP_CONNECTION:
      sl_composer_set_connection (self, g_value_get_object (value));
      break;

    case PROP_ENCODING:
      sl_composer_set_encoding (self, g_value_get_enum (value));
      break;

    case PROP_MULTI_LINE:
      set_multi_line (self, g_value_get_boolean (value));
      break;

    case PROP_SEND_TO_ALL:
      set_send_to_all (self, g_value_get_boolean (value));
      break;

    case PROP_TEXT:
      sl_composer_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_composer_class_init (SlComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sl_composer_dispose;
  object_class->finalize = sl_composer_finalize;
  object_class->get_property = sl_composer_get_property;
  object_class->set_property = sl_composer_set_property;

  widget_class->grab_focus = sl_composer_grab_focus;

  properties[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, SL_TYPE_ENDPOINT, rw);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, SL_TYPE_CONNECTION, rw);
  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL, SL_TYPE_ENCODING, SL_ENCODING_TEXT, rw);
  properties[PROP_MULTI_LINE] =
    g_param_spec_boolean ("multi-line", NULL, NULL, FALSE, rw);
  properties[PROP_SEND_TO_ALL] =
    g_param_spec_boolean ("send-to-all", NULL, NULL, FALSE, rw);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, rw);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_CAN_SEND] =
    g_param_spec_boolean ("can-send", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, SlComposer, input_box);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, multi_line_button);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, input_stack);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, entry);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, encoding_drop_down);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, send_button);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, status_box);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, error_label);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, hint_label);
  gtk_widget_class_bind_template_child (widget_class, SlComposer, to_all_check);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "composer");
}

static void
sl_composer_init (SlComposer *self)
{
  GtkEventController *controller;
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->history = g_ptr_array_new_with_free_func (g_free);
  self->history_pos = -1;
  self->encoding = SL_ENCODING_TEXT;

  /* Capture phase: the entry's text widget would otherwise take Up/Down first. */
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (text_view_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), controller);

  g_signal_connect_swapped (self->entry, "changed", G_CALLBACK (text_changed_cb), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view), "changed",
                            G_CALLBACK (text_changed_cb), self);
  g_signal_connect_swapped (self->multi_line_button, "toggled",
                            G_CALLBACK (multi_line_toggled_cb), self);
  g_signal_connect_swapped (self->to_all_check, "toggled", G_CALLBACK (to_all_toggled_cb), self);
  g_signal_connect_swapped (self->encoding_drop_down, "notify::selected",
                            G_CALLBACK (encoding_selected_cb), self);

  gtk_entry_set_placeholder_text (self->entry, placeholder (self->encoding));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->send_button), _("Send the message (Enter)"));
  update_state (self);
}
