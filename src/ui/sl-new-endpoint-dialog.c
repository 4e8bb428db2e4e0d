/* sl-new-endpoint-dialog.c — the window that creates an endpoint from the form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-endpoint-form.h"
#include "sl-new-endpoint-dialog.h"

#define LAST_CONFIG_KEY "last-config"

struct _SlNewEndpointDialog
{
  AdwWindow         parent_instance;

  GSettings        *settings;
  SlEndpointConfig *config;  /* the form's, watched for the title */

  /* Template children */
  AdwWindowTitle   *window_title;
  GtkButton        *start_button;
  SlEndpointForm   *form;
};

G_DEFINE_FINAL_TYPE (SlNewEndpointDialog, sl_new_endpoint_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

enum {
  CREATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_title (SlNewEndpointDialog *self)
{
  g_autofree char *description = sl_endpoint_config_describe (self->config);

  /* What Start would create, e.g. "TCP server 127.0.0.1:8888". */
  adw_window_title_set_subtitle (self->window_title, description);
}

static void
update_start (SlNewEndpointDialog *self)
{
  gboolean valid = sl_endpoint_form_get_valid (self->form);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.start", valid);

  /* The tooltip of an insensitive Start says why. */
  if (valid)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->start_button),
                                 _("Create the endpoint and start it (Ctrl+Enter)"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->start_button),
                                 sl_endpoint_form_get_error_message (self->form));
}

static void
form_config_changed_cb (SlNewEndpointDialog *self)
{
  SlEndpointConfig *config = sl_endpoint_form_get_config (self->form);

  if (self->config == config)
    return;

  if (self->config != NULL)
    g_signal_handlers_disconnect_by_func (self->config, update_title, self);
  g_set_object (&self->config, config);
  g_signal_connect_object (self->config, "notify", G_CALLBACK (update_title), self,
                           G_CONNECT_SWAPPED);

  update_title (self);
}

SlNewEndpointDialog *
sl_new_endpoint_dialog_new (GtkWindow        *parent,
                            GSettings        *settings,
                            SlEndpointConfig *initial)
{
  SlNewEndpointDialog *self;
  g_autoptr(SlEndpointConfig) config = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (initial == NULL || SL_IS_ENDPOINT_CONFIG (initial), NULL);

  self = g_object_new (SL_TYPE_NEW_ENDPOINT_DIALOG,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);

  if (initial != NULL)
    config = sl_endpoint_config_copy (initial);
  else
    {
      config = sl_endpoint_config_new ();

      if (settings != NULL)
        {
          g_autoptr(GVariant) last = g_settings_get_value (settings, LAST_CONFIG_KEY);
          g_autoptr(GError) error = NULL;

          /* Damaged values change nothing: the form starts from the defaults. */
          if (!sl_endpoint_config_apply_variant (config, last, &error))
            g_debug ("Ignoring the saved endpoint form: %s", error->message);
        }
    }

  sl_endpoint_form_set_config (self->form, config);

  return self;
}

GtkWidget *
sl_new_endpoint_dialog_get_form (SlNewEndpointDialog *self)
{
  g_return_val_if_fail (SL_IS_NEW_ENDPOINT_DIALOG (self), NULL);

  return GTK_WIDGET (self->form);
}

void
sl_new_endpoint_dialog_start (SlNewEndpointDialog *self)
{
  g_autoptr(SlNewEndpointDialog) hold = NULL;
  g_autoptr(SlEndpointConfig) copy = NULL;
  SlEndpointConfig *config;

  g_return_if_fail (SL_IS_NEW_ENDPOINT_DIALOG (self));

  if (!sl_endpoint_form_get_valid (self->form))
    return;

  config = sl_endpoint_form_get_config (self->form);
  if (self->settings != NULL)
    g_settings_set_value (self->settings, LAST_CONFIG_KEY,
                          sl_endpoint_config_to_variant (config));

  /* A handler may close the dialog itself. */
  hold = g_object_ref (self);
  copy = sl_endpoint_config_copy (config);
  g_signal_emit (self, signals[CREATE], 0, copy);

  gtk_window_close (GTK_WINDOW (self));
}

static void
start_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sl_new_endpoint_dialog_start (SL_NEW_ENDPOINT_DIALOG (widget));
}

/* GObject */

static void
sl_new_endpoint_dialog_dispose (GObject *object)
{
  SlNewEndpointDialog *self = SL_NEW_ENDPOINT_DIALOG (object);

  if (self->config != NULL)
    g_signal_handlers_disconnect_by_func (self->config, update_title, self);
  g_clear_object (&self->config);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_NEW_ENDPOINT_DIALOG);

  G_OBJECT_CLASS (sl_new_endpoint_dialog_parent_class)->dispose (object);
}

static void
sl_new_endpoint_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SlNewEndpointDialog *self = SL_NEW_ENDPOINT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_new_endpoint_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SlNewEndpointDialog *self = SL_NEW_ENDPOINT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      /* Construct-only, so no notify. */
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_new_endpoint_dialog_class_init (SlNewEndpointDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_new_endpoint_dialog_dispose;
  object_class->get_property = sl_new_endpoint_dialog_get_property;
  object_class->set_property = sl_new_endpoint_dialog_set_property;

  /* Where "last-config" is read and saved; NULL remembers nothing. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The config to create (a copy the handler may keep). */
  signals[CREATE] =
    g_signal_new ("create",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SL_TYPE_ENDPOINT_CONFIG);

  g_type_ensure (SL_TYPE_ENDPOINT_FORM);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/"
                                               "sl-new-endpoint-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SlNewEndpointDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SlNewEndpointDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, SlNewEndpointDialog, form);

  gtk_widget_class_install_action (widget_class, "dialog.start", NULL, start_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dialog.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "dialog.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, GDK_CONTROL_MASK,
                                       "dialog.start", NULL);
}

static void
sl_new_endpoint_dialog_init (SlNewEndpointDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  g_signal_connect_object (self->form, "notify::valid", G_CALLBACK (update_start), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::error-message", G_CALLBACK (update_start), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "notify::config", G_CALLBACK (form_config_changed_cb),
                           self, G_CONNECT_SWAPPED);

  form_config_changed_cb (self);
  update_start (self);
}
