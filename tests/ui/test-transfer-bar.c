/* test-transfer-bar.c — repeat, send a file, save received bytes, on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <unistd.h>

#include <glib/gstdio.h>

#include "sl-error.h"
#include "sl-transfer-bar.h"
#include "sl-ui-test-util.h"

typedef struct
{
  SlEndpoint *server;
  int         peer;
  GtkWidget  *composer;
  GtkWidget  *bar;
  GtkWindow  *window;
  char       *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  GtkWidget *box;

  if (!sl_ui_test_have_display ())
    return;

  /* A server that only listens (no reply), and a raw peer connected to it. */
  config = sl_ui_test_config (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_IO_MODE_ASYNC, 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  fixture->server = sl_test_endpoint_new_started (config);
  fixture->peer = sl_ui_test_peer_connect (fixture->server);

  fixture->composer = sl_composer_new ();
  sl_composer_set_endpoint (SL_COMPOSER (fixture->composer), fixture->server);
  fixture->bar = sl_transfer_bar_new ();
  sl_transfer_bar_set_composer (SL_TRANSFER_BAR (fixture->bar), SL_COMPOSER (fixture->composer));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), fixture->composer);
  gtk_box_append (GTK_BOX (box), fixture->bar);
  fixture->window = sl_ui_test_show (box, 600, 200);
  fixture->dir = g_dir_make_tmp ("sl-transfer-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window == NULL)
    return;

  sl_ui_test_close_window (fixture->window);
  close (fixture->peer);
  sl_endpoint_stop (fixture->server);
  g_clear_object (&fixture->server);
  sl_test_remove_tmp_dir (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
repeat_stopped (gpointer data)
{
  return !sl_repeat_send_get_running (data);
}

/* Five numbered messages, every 10 ms, in order; then it stops by itself. */
static void
test_repeat (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *expected = "msg 1;msg 2;msg 3;msg 4;msg 5;";
  char buffer[256] = { 0 };
  SlRepeatSend *repeat;
  gsize n;

  if (!sl_ui_test_have_display ())
    return;

  /* An unknown macro is refused with a message that names it. */
  sl_composer_set_text (SL_COMPOSER (fixture->composer), "msg {x};");
  g_assert_false (sl_transfer_bar_start_repeat (SL_TRANSFER_BAR (fixture->bar), 10, 5, &error));
  g_assert_nonnull (strstr (error->message, "{x}"));
  g_clear_error (&error);

  sl_composer_set_text (SL_COMPOSER (fixture->composer), "msg {n};");
  g_assert_true (sl_transfer_bar_start_repeat (SL_TRANSFER_BAR (fixture->bar), 10, 5, &error));
  g_assert_no_error (error);
  repeat = sl_transfer_bar_get_repeat (SL_TRANSFER_BAR (fixture->bar));
  g_assert_nonnull (repeat);
  g_assert_nonnull (sl_ui_test_find (fixture->bar, GTK_TYPE_LABEL, "Repeating every 10 ms"));

  n = sl_test_peer_recv_all (fixture->peer, buffer, strlen (expected), SL_UI_TEST_WAIT_MS);
  g_assert_cmpuint (n, ==, strlen (expected));
  g_assert_cmpstr (buffer, ==, expected);
  g_assert_true (sl_test_wait_until (repeat_stopped, repeat, SL_UI_TEST_WAIT_MS));
  g_assert_cmpuint (sl_repeat_send_get_n_sent (repeat), ==, 5);

  /* Until stopped: Stop halts it. */
  g_assert_true (sl_transfer_bar_start_repeat (SL_TRANSFER_BAR (fixture->bar), 20, 0, &error));
  repeat = sl_transfer_bar_get_repeat (SL_TRANSFER_BAR (fixture->bar));
  sl_test_run_for (100);
  g_assert_true (gtk_widget_activate_action (fixture->bar, "transfer.stop-repeat", NULL));
  g_assert_false (sl_repeat_send_get_running (repeat));
  g_assert_cmpuint (sl_repeat_send_get_n_sent (repeat), >=, 1);
}

static gboolean
send_done (gpointer data)
{
  return !sl_file_send_get_running (data);
}

/* A 4 MiB file arrives whole and unchanged at the peer. */
static void
test_send_file (Fixture       *fixture,
                gconstpointer  data)
{
  const gsize size = 4 * 1024 * 1024;
  g_autofree guchar *contents = g_malloc (size);
  g_autofree guchar *received = g_malloc (size + 1);
  g_autofree char *path = g_build_filename (fixture->dir, "data.bin", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SlFileSend *send;
  gsize n;

  if (!sl_ui_test_have_display ())
    return;

  for (gsize i = 0; i < size; i++)
    contents[i] = (guchar) g_random_int ();
  g_assert_true (g_file_set_contents (path, (const char *) contents, size, NULL));

  g_assert_true (sl_transfer_bar_send_file (SL_TRANSFER_BAR (fixture->bar), file, &error));
  g_assert_no_error (error);
  send = sl_transfer_bar_get_file_send (SL_TRANSFER_BAR (fixture->bar));
  n = sl_test_peer_recv_all (fixture->peer, received, size, 30000);
  g_assert_cmpuint (n, ==, size);
  g_assert_cmpmem (received, size, contents, size);
  g_assert_true (sl_test_wait_until (send_done, send, SL_UI_TEST_WAIT_MS));
  g_assert_cmpuint (sl_file_send_get_sent (send), ==, size);

  /* A file that is not there: told, nothing sent. */
  {
    g_autoptr(GFile) gone = g_file_new_for_path (missing);

    if (sl_transfer_bar_send_file (SL_TRANSFER_BAR (fixture->bar), gone, &error))
      {
        send = sl_transfer_bar_get_file_send (SL_TRANSFER_BAR (fixture->bar));
        g_assert_true (sl_test_wait_until (send_done, send, SL_UI_TEST_WAIT_MS));
        g_assert_cmpuint (sl_file_send_get_sent (send), ==, 0);
      }
    else
      g_assert_nonnull (error);
  }
}

static gboolean
receive_done (gpointer data)
{
  return !sl_file_receive_get_running (data);
}

/* What the peer sends after Save Received… lands in the file, byte-exact. */
static void
test_save_received (Fixture       *fixture,
                    gconstpointer  data)
{
  const gsize size = 300 * 1024;
  g_autofree guchar *contents = g_malloc (size);
  g_autofree char *path = g_build_filename (fixture->dir, "received.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  SlFileReceive *receive;
  gsize len = 0;

  if (!sl_ui_test_have_display ())
    return;

  for (gsize i = 0; i < size; i++)
    contents[i] = (guchar) g_random_int ();

  g_assert_true (sl_transfer_bar_save_received (SL_TRANSFER_BAR (fixture->bar), file, &error));
  g_assert_no_error (error);
  receive = sl_transfer_bar_get_file_receive (SL_TRANSFER_BAR (fixture->bar));
  g_assert_true (sl_test_peer_send_all (fixture->peer, contents, size, SL_UI_TEST_WAIT_MS));
  for (guint i = 0; i < 500 && sl_file_receive_get_bytes_written (receive) < size; i++)
    sl_test_run_for (10);
  g_assert_cmpuint (sl_file_receive_get_bytes_written (receive), ==, size);

  g_assert_true (gtk_widget_activate_action (fixture->bar, "transfer.stop-receive", NULL));
  g_assert_true (sl_test_wait_until (receive_done, receive, SL_UI_TEST_WAIT_MS));
  g_assert_true (g_file_get_contents (path, &saved, &len, NULL));
  g_assert_cmpmem (saved, len, contents, size);
}

/* Without a connection: a clear message, nothing starts. */
static void
test_no_connection (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (!sl_ui_test_have_display ())
    return;

  close (fixture->peer);
  fixture->peer = -1;
  sl_endpoint_stop (fixture->server);
  path = g_build_filename (fixture->dir, "x.bin", NULL);
  file = g_file_new_for_path (path);
  g_assert_false (sl_transfer_bar_save_received (SL_TRANSFER_BAR (fixture->bar), file, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_assert_false (sl_transfer_bar_start_repeat (SL_TRANSFER_BAR (fixture->bar), 100, 1, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
}

/* The buttons are named by their text without the mnemonic underscore: GTK 4.8
 * would name "Send _File…" by its raw label. */
static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char * const names[][2] = {
    { "Send File", "Send File…" }, { "Save Received", "Save Received…" },
  };

  if (fixture->window == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *button = sl_ui_test_get (fixture->bar, GTK_TYPE_BUTTON, names[i][0]);

      gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, names[i][1]);
      g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY));
    }
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/transfer-bar/repeat", test_repeat);
  ADD ("/transfer-bar/send-file", test_send_file);
  ADD ("/transfer-bar/save-received", test_save_received);
  ADD ("/transfer-bar/no-connection", test_no_connection);
  ADD ("/transfer-bar/accessible", test_accessible);
#undef ADD

  return g_test_run ();
}
