/* test-python-dialog.c — "Show as Python": the script shown, copied and saved
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-python-dialog.h"
#include "sl-python-export.h"
#include "sl-ui-test-util.h"

typedef struct
{
  GtkWindow      *parent;
  SlPythonDialog *dialog;
  char           *tmpdir;
} Fixture;

static void
fixture_open (Fixture          *fixture,
              SlEndpointConfig *config)
{
  fixture->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (fixture->parent);
  fixture->dialog = SL_PYTHON_DIALOG (sl_python_dialog_new (fixture->parent, config));
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->dialog));
}

static gboolean
dialog_gone (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

static void
fixture_close (Fixture *fixture)
{
  SlPythonDialog *dialog = fixture->dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &fixture->dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* Nothing else holds the dialog once it is destroyed. */
  g_assert_true (sl_test_wait_until (dialog_gone, fixture, SL_UI_TEST_WAIT_MS));
  sl_ui_test_close_window (fixture->parent);
  if (fixture->tmpdir != NULL)
    sl_test_remove_tmp_dir (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static char *
buffer_text (SlPythonDialog *dialog)
{
  GtkTextView *view = GTK_TEXT_VIEW (sl_ui_test_get (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW,
                                                     NULL));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static SlEndpointConfig *
server_config (void)
{
  SlEndpointConfig *config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                 SL_FAMILY_IPV4, "127.0.0.1", 8888);

  sl_endpoint_config_set_reuseaddr (config, TRUE);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_UPPER);
  return config;
}

static void
test_shows_script (void)
{
  g_autoptr(SlEndpointConfig) config = server_config ();
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;
  Fixture fixture = { 0 };
  GtkTextView *view;
  AdwWindowTitle *title;

  if (!sl_ui_test_have_display ())
    return;

  fixture_open (&fixture, config);
  expected = sl_python_export (config, NULL);
  shown = buffer_text (fixture.dialog);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpstr (sl_python_dialog_get_script (fixture.dialog), ==, expected);

  view = GTK_TEXT_VIEW (sl_ui_test_get (GTK_WIDGET (fixture.dialog), GTK_TYPE_TEXT_VIEW, NULL));
  g_assert_false (gtk_text_view_get_editable (view));
  g_assert_true (gtk_text_view_get_monospace (view));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (fixture.dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (fixture.dialog)) == fixture.parent);

  title = ADW_WINDOW_TITLE (sl_ui_test_get (GTK_WIDGET (fixture.dialog), ADW_TYPE_WINDOW_TITLE,
                                            NULL));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "tcp_server.py");

  /* The dialog shows a copy: changing the config afterwards changes nothing. */
  sl_endpoint_config_set_port (config, 9999);
  g_free (shown);
  shown = buffer_text (fixture.dialog);
  g_assert_cmpstr (shown, ==, expected);

  fixture_close (&fixture);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_copy (void)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 9999);
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;
  Fixture fixture = { 0 };
  GdkClipboard *clipboard;

  if (!sl_ui_test_have_display ())
    return;

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_BASE64);
  fixture_open (&fixture, config);
  expected = sl_python_export (config, NULL);

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture.dialog));
  gdk_clipboard_set_text (clipboard, "something else");
  /* The Copy button runs python.copy. */
  sl_ui_test_click (sl_ui_test_get (GTK_WIDGET (fixture.dialog), GTK_TYPE_BUTTON,
                                    "Copy the whole script"));
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &copied);
  g_assert_true (sl_test_wait_until (is_set, &copied, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (copied, ==, expected);

  /* The action works the same without the button. */
  gdk_clipboard_set_text (clipboard, "again something else");
  g_clear_pointer (&copied, g_free);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.dialog), "python.copy", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &copied);
  g_assert_true (sl_test_wait_until (is_set, &copied, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (copied, ==, expected);

  fixture_close (&fixture);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} Saved;

static void
saved_cb (SlPythonDialog *dialog,
          GFile          *file,
          const GError   *error,
          Saved          *saved)
{
  saved->done = TRUE;
  g_clear_error (&saved->error);
  if (error != NULL)
    saved->error = g_error_copy (error);
}

static void
test_save (void)
{
  g_autoptr(SlEndpointConfig) config = server_config ();
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) impossible = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  Fixture fixture = { 0 };
  Saved saved = { 0 };
  GtkWidget *error_label;

  if (!sl_ui_test_have_display ())
    return;

  fixture_open (&fixture, config);
  fixture.tmpdir = g_dir_make_tmp ("sl-python-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  g_signal_connect (fixture.dialog, "saved", G_CALLBACK (saved_cb), &saved);

  /* A file in a folder that does not exist: the error is shown in the dialog. */
  path = g_build_filename (fixture.tmpdir, "missing", "tcp_server.py", NULL);
  impossible = g_file_new_for_path (path);
  sl_python_dialog_save_to_file (fixture.dialog, impossible);
  g_assert_true (sl_test_wait_for_flag (&saved.done, SL_UI_TEST_WAIT_MS));
  g_assert_error (saved.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  error_label = sl_ui_test_get (GTK_WIDGET (fixture.dialog), GTK_TYPE_LABEL, "Could not save");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), path));

  /* A good file: written byte for byte, and the error goes away. */
  g_free (path);
  path = g_build_filename (fixture.tmpdir, "tcp_server.py", NULL);
  file = g_file_new_for_path (path);
  saved.done = FALSE;
  sl_python_dialog_save_to_file (fixture.dialog, file);
  g_assert_true (sl_test_wait_for_flag (&saved.done, SL_UI_TEST_WAIT_MS));
  g_assert_no_error (saved.error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, sl_python_dialog_get_script (fixture.dialog));
  g_assert_false (gtk_widget_get_visible (error_label));

  fixture_close (&fixture);
}

static void
test_invalid_config (void)
{
  g_autoptr(SlEndpointConfig) config = server_config ();
  g_autofree char *shown = NULL;
  Fixture fixture = { 0 };
  GtkWidget *error_label;

  if (!sl_ui_test_have_display ())
    return;

  sl_endpoint_config_set_backlog (config, 0);
  fixture_open (&fixture, config);

  g_assert_null (sl_python_dialog_get_script (fixture.dialog));
  shown = buffer_text (fixture.dialog);
  g_assert_cmpstr (shown, ==, "");
  error_label = sl_ui_test_get (GTK_WIDGET (fixture.dialog), GTK_TYPE_LABEL, "Backlog");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "not valid"));
  g_assert_false (gtk_widget_get_sensitive (sl_ui_test_get (GTK_WIDGET (fixture.dialog),
                                                            GTK_TYPE_BUTTON,
                                                            "Copy the whole script")));
  g_assert_false (gtk_widget_get_sensitive (sl_ui_test_get (GTK_WIDGET (fixture.dialog),
                                                            GTK_TYPE_BUTTON, "Save the script")));

  fixture_close (&fixture);
}

static void
test_accessible (void)
{
  g_autoptr(SlEndpointConfig) config = server_config ();
  Fixture fixture = { 0 };
  GtkWidget *root;

  if (!sl_ui_test_have_display ())
    return;

  fixture_open (&fixture, config);
  root = GTK_WIDGET (fixture.dialog);

  gtk_test_accessible_assert_property (sl_ui_test_get (root, GTK_TYPE_BUTTON,
                                                       "Copy the whole script"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Copy Script");
  gtk_test_accessible_assert_property (sl_ui_test_get (root, GTK_TYPE_BUTTON, "Save the script"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Save Script");
  gtk_test_accessible_assert_property (sl_ui_test_get (root, GTK_TYPE_TEXT_VIEW, NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Python Script");
  gtk_test_accessible_assert_role (sl_ui_test_get (root, GTK_TYPE_TEXT_VIEW, NULL),
                                   GTK_ACCESSIBLE_ROLE_TEXT_BOX);
  g_assert_nonnull (gtk_widget_get_tooltip_text (sl_ui_test_get (root, GTK_TYPE_BUTTON,
                                                                 "Save the script")));

  if (g_getenv ("SL_PYTHON_DIALOG_PNG") != NULL)
    sl_ui_test_save_png (root, g_getenv ("SL_PYTHON_DIALOG_PNG"));

  fixture_close (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

  g_test_add_func ("/python-dialog/shows-script", test_shows_script);
  g_test_add_func ("/python-dialog/copy", test_copy);
  g_test_add_func ("/python-dialog/save", test_save);
  g_test_add_func ("/python-dialog/invalid-config", test_invalid_config);
  g_test_add_func ("/python-dialog/accessible", test_accessible);

  return g_test_run ();
}
