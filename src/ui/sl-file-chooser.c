/* sl-file-chooser.c — the one place that asks the user for a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-file-chooser.h"

#if GTK_CHECK_VERSION (4, 10, 0)
static void
dialog_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  SlFileChooserMode mode = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  GFile *file;

  if (mode == SL_FILE_CHOOSER_SAVE)
    file = gtk_file_dialog_save_finish (dialog, result, &error);
  else
    file = gtk_file_dialog_open_finish (dialog, result, &error);

  if (file != NULL)
    g_task_return_pointer (task, file, g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("No file was chosen."));
}
#else
static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  GFile *file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_signal_handlers_disconnect_by_func (chooser, chooser_response_cb, user_data);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);

  if (file != NULL)
    g_task_return_pointer (task, file, g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                             _("No file was chosen."));
}
#endif

void
sl_file_chooser_run (GtkWindow           *parent,
                     SlFileChooserMode    mode,
                     const char          *title,
                     const char          *accept_label,
                     const char          *initial_name,
                     const char          *filter_name,
                     const char          *pattern,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GtkFileFilter) filter = NULL;
  GTask *task;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (title != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_file_chooser_run);
  g_task_set_task_data (task, GINT_TO_POINTER (mode), NULL);

  if (filter_name != NULL && pattern != NULL)
    {
      filter = gtk_file_filter_new ();
      gtk_file_filter_set_name (filter, filter_name);
      gtk_file_filter_add_pattern (filter, pattern);
    }

#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

    gtk_file_dialog_set_title (dialog, title);
    if (accept_label != NULL)
      gtk_file_dialog_set_accept_label (dialog, accept_label);
    if (initial_name != NULL)
      gtk_file_dialog_set_initial_name (dialog, initial_name);
    if (filter != NULL)
      gtk_file_dialog_set_default_filter (dialog, filter);
    if (mode == SL_FILE_CHOOSER_SAVE)
      gtk_file_dialog_save (dialog, parent, cancellable, dialog_done_cb, task);
    else
      gtk_file_dialog_open (dialog, parent, cancellable, dialog_done_cb, task);
  }
#else
  {
    GtkFileChooserNative *chooser;

    chooser = gtk_file_chooser_native_new (title, parent,
                                           mode == SL_FILE_CHOOSER_SAVE
                                           ? GTK_FILE_CHOOSER_ACTION_SAVE
                                           : GTK_FILE_CHOOSER_ACTION_OPEN,
                                           accept_label, _("_Cancel"));
    gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
    if (mode == SL_FILE_CHOOSER_SAVE && initial_name != NULL)
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), initial_name);
    if (filter != NULL)
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), task);
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  }
#endif
}

GFile *
sl_file_chooser_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
