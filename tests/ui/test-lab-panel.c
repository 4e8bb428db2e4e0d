/* test-lab-panel.c — the guided labs panel over real endpoints on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "sl-lab-panel.h"
#include "sl-ui-test-util.h"

typedef struct
{
  GSettings  *settings;
  GListStore *endpoints;
  GtkWidget  *panel;
  GtkWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!sl_ui_test_have_display ())
    return;

  fixture->settings = g_settings_new ("io.github.socketlab.SocketLab");
  g_settings_reset (fixture->settings, "lab-progress");
  fixture->endpoints = g_list_store_new (SL_TYPE_ENDPOINT);
  fixture->panel = sl_lab_panel_new ();
  sl_lab_panel_set_endpoints (SL_LAB_PANEL (fixture->panel), G_LIST_MODEL (fixture->endpoints));
  sl_lab_panel_set_settings (SL_LAB_PANEL (fixture->panel), fixture->settings);
  fixture->window = sl_ui_test_show (fixture->panel, 380, 700);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  guint n;

  if (fixture->window == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (fixture->endpoints));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (fixture->endpoints), i);

      sl_endpoint_stop (endpoint);
    }
  sl_ui_test_close_window (fixture->window);
  g_clear_object (&fixture->endpoints);
  g_clear_object (&fixture->settings);
}

static gboolean
current_step_reaches (SlLabRun *run,
                      guint     step)
{
  for (guint i = 0; i < SL_UI_TEST_WAIT_MS / 10 && sl_lab_run_get_current_step (run) < step; i++)
    sl_test_run_for (10);
  return sl_lab_run_get_current_step (run) >= step;
}

static SlLab *
builtin_lab (const char *name)
{
  g_autofree char *path = g_strconcat (SL_LAB_RESOURCE_DIR, name, NULL);
  g_autoptr(GError) error = NULL;
  SlLab *lab = sl_lab_new_from_resource (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lab);
  return lab;
}

/* The list shows all thirteen built-in labs; the first one walked through on
 * real sockets ticks its steps, says it is complete and remembers it. */
static void
test_first_lab (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SlLab) lab = NULL;
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) progress = NULL;
  GtkWidget *list, *done;
  SlLabRun *run;
  guint n_rows = 0;

  if (!sl_ui_test_have_display ())
    return;

  /* Thirteen labs, each a row with its title. */
  list = sl_ui_test_get (fixture->panel, GTK_TYPE_LIST_BOX, NULL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, "Labs");
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 13);
  g_assert_nonnull (sl_ui_test_find (list, GTK_TYPE_LABEL, "First TCP server and client"));

  lab = builtin_lab ("01-first-tcp.lab");
  sl_lab_panel_open_lab (SL_LAB_PANEL (fixture->panel), lab);
  run = sl_lab_panel_get_run (SL_LAB_PANEL (fixture->panel));
  g_assert_nonnull (run);
  g_assert_cmpuint (sl_lab_run_get_current_step (run), ==, 0);
  g_assert_nonnull (sl_ui_test_find (fixture->panel, GTK_TYPE_LABEL, "Step 1 of 4"));

  /* Step 1: an uppercase TCP server listens. */
  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (sl_endpoint_get_config (server)), ==,
                   SL_REPLY_UPPER);
  g_list_store_append (fixture->endpoints, server);
  g_assert_true (current_step_reaches (run, 1));
  g_assert_nonnull (sl_ui_test_find (fixture->panel, GTK_TYPE_LABEL, "Step 2 of 4"));

  /* Step 2: a client connects. */
  client = sl_ui_test_start_client (server, SL_IO_MODE_ASYNC);
  g_list_store_append (fixture->endpoints, client);
  g_assert_true (current_step_reaches (run, 2));

  /* Steps 3 and 4: hello goes out, HELLO comes back. */
  g_assert_true (sl_endpoint_send (client, NULL, hello, &error));
  g_assert_no_error (error);
  g_assert_true (current_step_reaches (run, 4));
  g_assert_true (sl_lab_run_get_completed (run));
  done = sl_ui_test_get (fixture->panel, GTK_TYPE_LABEL, "Lab complete");
  g_assert_true (gtk_widget_get_visible (done));
  g_assert_nonnull (sl_ui_test_find (fixture->panel, GTK_TYPE_LABEL, "All steps done"));

  /* Remembered in the settings, and shown as done in the list. */
  progress = g_settings_get_strv (fixture->settings, "lab-progress");
  g_assert_cmpuint (g_strv_length (progress), ==, 1);
  g_assert_true (g_str_has_suffix (progress[0], ":first-tcp:4"));
  gtk_widget_activate_action (fixture->panel, "labs.back", NULL);
  g_assert_null (sl_lab_panel_get_run (SL_LAB_PANEL (fixture->panel)));
  g_assert_nonnull (sl_ui_test_find (list, GTK_TYPE_IMAGE, NULL));
  sl_lab_panel_open_lab (SL_LAB_PANEL (fixture->panel), lab);
  run = sl_lab_panel_get_run (SL_LAB_PANEL (fixture->panel));
  g_assert_true (sl_lab_run_get_completed (run));

  /* Reset forgets the rows; the endpoints' states still count, so the first
   * two steps (a listening server, a connected client) tick again at once. */
  gtk_widget_activate_action (fixture->panel, "labs.reset", NULL);
  g_assert_false (sl_lab_run_get_completed (run));
  g_assert_true (current_step_reaches (run, 2));
  sl_test_run_for (100);
  g_assert_cmpuint (sl_lab_run_get_current_step (run), ==, 2);
  g_clear_pointer (&progress, g_strfreev);
  progress = g_settings_get_strv (fixture->settings, "lab-progress");
  g_assert_true (g_str_has_suffix (progress[0], ":first-tcp:2"));
}

static void
create_endpoint_cb (SlLabPanel        *panel,
                    SlEndpointConfig  *config,
                    SlEndpointConfig **out)
{
  g_set_object (out, config);
}

static GtkWidget *
find_expander (GtkWidget  *root,
               const char *label)
{
  if (GTK_IS_EXPANDER (root) && g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_expander (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A step's suggested endpoint: a button that hands the config to the window. */
static void
test_suggestion (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SlLab) lab = NULL;
  g_autoptr(SlEndpointConfig) asked = NULL;
  GtkWidget *button;

  if (!sl_ui_test_have_display ())
    return;

  lab = builtin_lab ("01-first-tcp.lab");
  sl_lab_panel_open_lab (SL_LAB_PANEL (fixture->panel), lab);
  g_signal_connect (fixture->panel, "create-endpoint", G_CALLBACK (create_endpoint_cb), &asked);
  button = sl_ui_test_get (fixture->panel, GTK_TYPE_BUTTON, "Create a TCP server at 127.0.0.1");
  sl_ui_test_click (button);
  g_assert_nonnull (asked);
  g_assert_cmpint (sl_endpoint_config_get_role (asked), ==, SL_ROLE_SERVER);
  g_assert_cmpint (sl_endpoint_config_get_protocol (asked), ==, SL_PROTOCOL_TCP);
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (asked), ==, SL_REPLY_UPPER);

  /* The hint is there for the current step. */
  g_assert_nonnull (find_expander (fixture->panel, "Hint"));
}

static void
toast_cb (SlLabPanel  *panel,
          const char  *message,
          char       **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

static gboolean
has_toast (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
panel_has_run (gpointer data)
{
  return sl_lab_panel_get_run (SL_LAB_PANEL (data)) != NULL;
}

static GFile *
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return g_file_new_for_path (path);
}

/* A teacher's file: a valid one opens; a broken one says which line and
 * changes nothing; a newer format is refused. */
static void
test_open_file (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *toast = NULL;
  g_autofree char *builtin = NULL;
  g_autoptr(GFile) good = NULL;
  g_autoptr(GFile) broken = NULL;
  g_autoptr(GFile) newer = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!sl_ui_test_have_display ())
    return;

  dir = g_dir_make_tmp ("sl-lab-panel-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_signal_connect (fixture->panel, "toast", G_CALLBACK (toast_cb), &toast);

  g_assert_true (g_file_get_contents (g_test_get_filename (G_TEST_DIST, "..", "..", "data",
                                                           "labs", "03-udp.lab", NULL),
                                      &builtin, &len, NULL));
  good = write_file (dir, "teacher.lab", builtin);
  g_assert_true (sl_lab_panel_open_file (SL_LAB_PANEL (fixture->panel), good, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sl_lab_panel_get_run (SL_LAB_PANEL (fixture->panel)));
  g_assert_cmpstr (sl_lab_get_id (sl_lab_run_get_lab (sl_lab_panel_get_run (
    SL_LAB_PANEL (fixture->panel)))), ==, "udp");

  broken = write_file (dir, "broken.lab",
                       "[Lab]\nFormat=1\nId=broken\nTitle=Broken\nGoal=g\nWhy=w\n\n"
                       "[Step 1]\nTitle=t\nInstructions=i\nCheck=log kind=recevie\n");
  g_assert_false (sl_lab_panel_open_file (SL_LAB_PANEL (fixture->panel), broken, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "line 11"));
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (toast, "broken.lab"));
  g_assert_nonnull (strstr (toast, "line 11"));
  /* The open lab is still the good one. */
  g_assert_cmpstr (sl_lab_get_id (sl_lab_run_get_lab (sl_lab_panel_get_run (
    SL_LAB_PANEL (fixture->panel)))), ==, "udp");
  g_clear_error (&error);

  newer = write_file (dir, "newer.lab", "[Lab]\nFormat=2\nId=newer\n");
  g_assert_false (sl_lab_panel_open_file (SL_LAB_PANEL (fixture->panel), newer, &error));
  g_assert_nonnull (strstr (error->message, "newer"));

  /* In the background, as the Open Lab File dialog opens them: the error is a
   * toast and the lab stays; a good file opens. */
  g_clear_pointer (&toast, g_free);
  sl_lab_panel_open_file_async (SL_LAB_PANEL (fixture->panel), broken);
  g_assert_true (sl_test_wait_until (has_toast, &toast, SL_UI_TEST_WAIT_MS));
  g_assert_nonnull (strstr (toast, "line 11"));
  g_assert_cmpstr (sl_lab_get_id (sl_lab_run_get_lab (sl_lab_panel_get_run (
    SL_LAB_PANEL (fixture->panel)))), ==, "udp");
  sl_lab_panel_open_lab (SL_LAB_PANEL (fixture->panel), NULL);
  sl_lab_panel_open_file_async (SL_LAB_PANEL (fixture->panel), good);
  g_assert_true (sl_test_wait_until (panel_has_run, fixture->panel, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (sl_lab_get_id (sl_lab_run_get_lab (sl_lab_panel_get_run (
    SL_LAB_PANEL (fixture->panel)))), ==, "udp");

  sl_test_remove_tmp_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/lab-panel/first-lab", test_first_lab);
  ADD ("/lab-panel/suggestion", test_suggestion);
  ADD ("/lab-panel/open-file", test_open_file);
#undef ADD

  return g_test_run ();
}
