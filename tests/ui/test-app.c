/* test-app.c — the application starts, shows its window and quits cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gtk/gtk.h>

#include "sl-application.h"
#include "sl-window.h"

/* Generous bounds: they only stop a broken test from hanging. */
#define WAIT_MS 10000

/* Not the real id, so the test never talks to a running Socket Lab. */
#define TEST_APP_ID "io.github.socketlab.SocketLab.Test"

typedef void (*CheckFunc) (SlApplication *app,
                           SlWindow      *window);

typedef struct
{
  CheckFunc  check;
  SlWindow  *window;   /* a strong ref, released with g_assert_finalize_object */
  gboolean   checked;
} RunState;

static gboolean
have_display (void)
{
  if (g_getenv ("DISPLAY") != NULL)
    return TRUE;

  g_test_skip ("No X display (run the tests under xvfb-run)");
  return FALSE;
}

static gboolean
run_checks_cb (gpointer user_data)
{
  RunState *state = user_data;
  GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
  GtkWindow *window;

  window = gtk_application_get_active_window (app);
  g_assert_true (SL_IS_WINDOW (window));
  state->window = g_object_ref (SL_WINDOW (window));

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  state->check (SL_APPLICATION (app), state->window);
  state->checked = TRUE;

  /* Quit as the user would: the action closes every window and the run ends. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);

  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             RunState     *state)
{
  /* Connected after the default handler, which has created the window. */
  g_idle_add (run_checks_cb, state);
}

/* Runs a fresh application through g_application_run() with @check called once its window
 * is drawn, then asserts that the run ended cleanly and that window and application are
 * finalized. */
static void
run_app (CheckFunc check)
{
  SlApplication *app;
  RunState state = { .check = check };
  int status;

  app = sl_application_new (TEST_APP_ID, G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), &state);

  status = g_application_run (G_APPLICATION (app), 0, NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (state.checked);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  g_assert_finalize_object (state.window);
  g_assert_finalize_object (app);
}

/* The accessible name of a button comes from its label property or relation, or from the
 * text it shows. */
static gboolean
button_has_name (GtkWidget *button)
{
  GtkWidget *parent = gtk_widget_get_parent (button);
  const char *text = NULL;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  if (GTK_IS_BUTTON (button))
    text = gtk_button_get_label (GTK_BUTTON (button));
  else if (GTK_IS_MENU_BUTTON (button))
    text = gtk_menu_button_get_label (GTK_MENU_BUTTON (button));
  if (text != NULL && *text != '\0')
    return TRUE;

  /* GTK 4.8 names a menu button on the GtkMenuButton; the toggle inside it is its
   * implementation. */
  if (GTK_IS_TOGGLE_BUTTON (button) && GTK_IS_MENU_BUTTON (parent))
    return button_has_name (parent);
  /* Likewise a drop-down is named on the GtkDropDown. */
  if (GTK_IS_TOGGLE_BUTTON (button) && GTK_IS_DROP_DOWN (parent))
    return gtk_test_accessible_has_property (GTK_ACCESSIBLE (parent),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL);

  return FALSE;
}

static void
collect_buttons (GtkWidget  *widget,
                 GPtrArray  *buttons)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  /* GTK 4.8 gives toggle buttons the button role too. */
  if (role == GTK_ACCESSIBLE_ROLE_BUTTON || GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget))
    g_ptr_array_add (buttons, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, buttons);
}

static void
check_window (SlApplication *app,
              SlWindow      *window)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  gboolean has_menu_button = FALSE;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Socket Lab");
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app))
                 == GTK_WINDOW (window));

  /* The actions the primary menu and the shortcuts use. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  /* GtkApplication found gtk/help-overlay.ui under the resource base path. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), "show-help-overlay"));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  collect_buttons (GTK_WIDGET (window), buttons);
  g_assert_cmpuint (buttons->len, >, 0);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      if (!button_has_name (button))
        g_error ("A %s (tooltip “%s”, inside a %s) in the window has no accessible name: give "
                 "it a label or set its accessible label", G_OBJECT_TYPE_NAME (button),
                 gtk_widget_get_tooltip_text (button),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_parent (button)));

      /* The primary menu is the one opened by F10. */
      if (GTK_IS_MENU_BUTTON (button) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)))
        {
          has_menu_button = TRUE;
          gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               "Main Menu");
        }
    }

  g_assert_true (has_menu_button);
}

static void
test_app_window (void)
{
  if (!have_display ())
    return;

  run_app (check_window);
}

static void
check_quit_accel (SlApplication *app,
                  SlWindow      *window)
{
  g_auto(GStrv) accels = NULL;

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_nonnull (accels);
  g_assert_cmpstr (accels[0], ==, "<Control>q");
}

static void
test_app_quit_accel (void)
{
  if (!have_display ())
    return;

  run_app (check_quit_accel);
}

static void
check_resize (SlApplication *app,
              SlWindow      *window)
{
  int width;
  int height;

  /* The size stored before the start was restored. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 530);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
}

/* The About window, borrowed from GTK's list of toplevels, or NULL. */
static GtkWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        return window;  /* the list keeps it alive */
    }

  return NULL;
}

static GtkWindow *about_window;

static void
check_about (SlApplication *app,
             SlWindow      *window)
{
  AdwAboutWindow *about;

  g_assert_null (find_about_window ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);

  /* A weak pointer: a strong ref would outlive the main window, its transient parent. */
  about_window = find_about_window ();
  g_assert_nonnull (about_window);
  g_object_add_weak_pointer (G_OBJECT (about_window), (gpointer *) &about_window);
  about = ADW_ABOUT_WINDOW (about_window);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (about));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (about)));
  g_assert_true (gtk_window_get_transient_for (about_window) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Socket Lab");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, SL_ICON_NAME);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);

  /* The icon it shows is bundled, so it exists even when nothing is installed. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                            gtk_widget_get_display (GTK_WIDGET (about))),
                                          SL_ICON_NAME));
}

static void
test_app_about (void)
{
  if (!have_display ())
    return;

  run_app (check_about);

  /* Quitting closed the main window, and the About window with it: it is finalized. */
  g_assert_null (find_about_window ());
  g_assert_null (about_window);
}

static void
test_app_window_size (void)
{
  g_autoptr(GSettings) settings = NULL;

  if (!have_display ())
    return;

  /* GSETTINGS_BACKEND=memory: the values live in this process only. */
  settings = g_settings_new (SL_SETTINGS_SCHEMA_ID);
  g_settings_set_int (settings, "window-width", 720);
  g_settings_set_int (settings, "window-height", 530);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  run_app (check_resize);

  /* Closing the window saved its new size. */
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 600);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static void
test_app_version (void)
{
  const char *app_path = g_getenv ("SL_APP_PATH");
  const char *argv[] = { app_path, "--version", NULL };
  g_auto(GStrv) envp = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_nonnull (app_path);

  /* --version is answered before GTK starts, so it works without a display. */
  envp = g_get_environ ();
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (out, ==, "socket-lab " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/version", test_app_version);
  g_test_add_func ("/app/window", test_app_window);
  g_test_add_func ("/app/quit-accel", test_app_quit_accel);
  g_test_add_func ("/app/about", test_app_about);
  g_test_add_func ("/app/window-size", test_app_window_size);

  return g_test_run ();
}
