/* sl-python-dialog.c — "Show as Python": an endpoint as a Python 3 script to copy or save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-file-chooser.h"
#include "sl-python-dialog.h"
#include "sl-python-export.h"

struct _SlPythonDialog
{
  AdwWindow              parent_instance;

  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkLabel              *error_label;
  GtkTextView           *text_view;

  SlEndpointConfig      *config;
  char                  *script;
  GCancellable          *cancellable;
};

G_DEFINE_FINAL_TYPE (SlPythonDialog, sl_python_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (SlPythonDialog *self,
            const char     *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
toast (SlPythonDialog *self,
       const char     *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- Copy ---- */

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlPythonDialog *self = SL_PYTHON_DIALOG (widget);

  if (self->script == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->script);
  toast (self, _("Script copied to the clipboard"));
}

/* ---- Save ---- */

static void
replace_contents_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SlPythonDialog) self = user_data;
  GFile *file = G_FILE (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!g_file_replace_contents_finish (file, result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *parse_name = g_file_get_parse_name (file);
          /* Translators: the first %s is a file name, the second the reason from the system */
          g_autofree char *message = g_strdup_printf (_("Could not save “%s”: %s. Choose "
                                                        "another folder or file name."),
                                                      parse_name, error->message);

          show_error (self, message);
        }
      g_signal_emit (self, signals[SIGNAL_SAVED], 0, file, error);
      return;
    }

  show_error (self, NULL);
  name = g_file_get_basename (file);
  {
    /* Translators: %s is a file name, such as tcp_server.py */
    g_autofree char *title = g_strdup_printf (_("Saved as “%s”"), name);

    toast (self, title);
  }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, file, NULL);
}

void
sl_python_dialog_save_to_file (SlPythonDialog *self,
                               GFile          *file)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (SL_IS_PYTHON_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->script != NULL);

  bytes = g_bytes_new (self->script, strlen (self->script));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       self->cancellable, replace_contents_cb,
                                       g_object_ref (self));
}

static void
save_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlPythonDialog) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);

  if (file != NULL)
    sl_python_dialog_save_to_file (self, file);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlPythonDialog *self = SL_PYTHON_DIALOG (widget);
  g_autofree char *name = NULL;

  if (self->script == NULL)
    return;
  name = sl_python_export_filename (self->config);
  sl_file_chooser_run (GTK_WINDOW (self), SL_FILE_CHOOSER_SAVE, _("Save Python Script"),
                       _("_Save"), name, NULL, NULL, self->cancellable, save_chosen_cb,
                       g_object_ref (self));
}

/* ---- Object ---- */

static void
sl_python_dialog_dispose (GObject *object)
{
  SlPythonDialog *self = SL_PYTHON_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_PYTHON_DIALOG);

  G_OBJECT_CLASS (sl_python_dialog_parent_class)->dispose (object);
}

static void
sl_python_dialog_finalize (GObject *object)
{
  SlPythonDialog *self = SL_PYTHON_DIALOG (object);

  g_clear_object (&self->config);
  g_clear_object (&self->cancellable);
  g_free (self->script);

  G_OBJECT_CLASS (sl_python_dialog_parent_class)->finalize (object);
}

static void
sl_python_dialog_class_init (SlPythonDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_python_dialog_dispose;
  object_class->finalize = sl_python_dialog_finalize;

  /**
   * SlPythonDialog::saved:
   * @file: the file written
   * @error: (nullable): why it could not be written, or NULL
   *
   * The end of sl_python_dialog_save_to_file().
   */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_FILE, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/"
                                               "sl-python-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SlPythonDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SlPythonDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SlPythonDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SlPythonDialog, text_view);

  gtk_widget_class_install_action (widget_class, "python.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "python.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "python.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sl_python_dialog_init (SlPythonDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

const char *
sl_python_dialog_get_script (SlPythonDialog *self)
{
  g_return_val_if_fail (SL_IS_PYTHON_DIALOG (self), NULL);
  return self->script;
}

GtkWidget *
sl_python_dialog_new (GtkWindow        *parent,
                      SlEndpointConfig *config)
{
  SlPythonDialog *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (config), NULL);

  self = g_object_new (SL_TYPE_PYTHON_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->config = sl_endpoint_config_copy (config);
  self->script = sl_python_export (self->config, &error);

  name = sl_python_export_filename (self->config);
  adw_window_title_set_subtitle (self->window_title, name);

  if (self->script == NULL)
    {
      /* Translators: %s is the reason, a complete sentence naming the field in error */
      g_autofree char *message = g_strdup_printf (_("This endpoint’s settings are not valid, "
                                                    "so there is no script: %s"),
                                                  error->message);

      show_error (self, message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "python.copy", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "python.save", FALSE);
    }
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), self->script, -1);

  return GTK_WIDGET (self);
}
