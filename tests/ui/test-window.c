/* test-window.c — the main window: endpoints, the demo pair, side by side, zoom, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include "sl-composer.h"
#include "sl-endpoint-form.h"
#include "sl-endpoint-page.h"
#include "sl-endpoint-row.h"
#include "sl-log-view.h"
#include "sl-new-endpoint-dialog.h"
#include "sl-preferences-window.h"
#include "sl-python-dialog.h"
#include "sl-reference-window.h"
#include "sl-sequence-diagram.h"
#include "sl-tcp-state-diagram.h"
#include "sl-ui-test-util.h"
#include "sl-window.h"

typedef struct
{
  GSettings *settings;
  SlWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!sl_ui_test_have_display ())
    return;

  fixture->settings = g_settings_new ("io.github.socketlab.SocketLab");
  g_settings_reset (fixture->settings, "zoom");
  fixture->window = g_object_new (SL_TYPE_WINDOW, "settings", fixture->settings, NULL);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 760);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      sl_test_run_for (50);
      g_assert_finalize_object (fixture->window);
    }
  g_clear_object (&fixture->settings);
}

static SlEndpointConfig *
server_config (int port)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_port (config, port);
  return config;
}

static gboolean
endpoint_state_is (SlEndpoint      *endpoint,
                   SlEndpointState  state)
{
  for (guint i = 0; i < SL_UI_TEST_WAIT_MS / 10 && sl_endpoint_get_state (endpoint) != state; i++)
    sl_test_run_for (10);
  return sl_endpoint_get_state (endpoint) == state;
}

static SlEndpoint *
endpoint_at (SlWindow *window,
             guint     position)
{
  g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (sl_window_get_endpoints (window), position);

  /* The window's list holds it. */
  return endpoint;
}

/* Counts the sidebar rows that show an endpoint and collects those endpoints. */
static guint
count_rows (GtkWidget *widget,
            GPtrArray *endpoints)
{
  guint n = 0;

  if (SL_IS_ENDPOINT_ROW (widget) && sl_endpoint_row_get_endpoint (SL_ENDPOINT_ROW (widget)) != NULL)
    {
      g_ptr_array_add (endpoints, sl_endpoint_row_get_endpoint (SL_ENDPOINT_ROW (widget)));
      return 1;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child, endpoints);
  return n;
}

static void
test_start_screen (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *welcome;

  if (!sl_ui_test_have_display ())
    return;

  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 0);
  welcome = sl_ui_test_get (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE, NULL);
  g_assert_true (sl_ui_test_wait_mapped (welcome, TRUE, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (welcome)), ==,
                   "Welcome to Socket Lab");
  g_assert_nonnull (sl_ui_test_find (welcome, GTK_TYPE_BUTTON, "Demo Pair"));
  g_assert_nonnull (sl_ui_test_find (welcome, GTK_TYPE_BUTTON, "New Endpoint"));
}

static void
test_demo_pair (Fixture       *fixture,
                gconstpointer  data)
{
  SlEndpoint *server, *client;
  GtkWidget *left, *right;
  g_autoptr(SlLogEntry) in_server = NULL;
  g_autoptr(SlLogEntry) in_client = NULL;
  gboolean side_by_side = FALSE;

  if (!sl_ui_test_have_display ())
    return;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.demo-pair", NULL);
  g_assert_true (sl_test_wait_n_items (sl_window_get_endpoints (fixture->window), 2,
                                       SL_UI_TEST_WAIT_MS));
  server = endpoint_at (fixture->window, 0);
  client = endpoint_at (fixture->window, 1);
  g_assert_true (sl_endpoint_is_server (server));
  g_assert_false (sl_endpoint_is_server (client));
  g_assert_true (endpoint_state_is (server, SL_ENDPOINT_STATE_LISTENING));
  g_assert_true (endpoint_state_is (client, SL_ENDPOINT_STATE_CONNECTED));
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1,
                                       SL_UI_TEST_WAIT_MS));

  /* Both have a row in the sidebar, with their live state. */
  {
    g_autoptr(GPtrArray) shown = g_ptr_array_new ();

    gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
    g_assert_cmpuint (count_rows (GTK_WIDGET (fixture->window), shown), ==, 2);
    g_assert_true (g_ptr_array_find (shown, server, NULL));
    g_assert_true (g_ptr_array_find (shown, client, NULL));
    g_assert_true (sl_ui_test_wait_label (sl_ui_test_get (GTK_WIDGET (fixture->window),
                                                          GTK_TYPE_LABEL, "listening"),
                                          "listening", SL_UI_TEST_WAIT_MS));
  }

  /* Server left, client right, both on screen. */
  g_object_get (fixture->window, "side-by-side", &side_by_side, NULL);
  g_assert_true (side_by_side);
  left = sl_window_get_side_page (fixture->window, FALSE);
  right = sl_window_get_side_page (fixture->window, TRUE);
  g_assert_true (sl_endpoint_page_get_endpoint (SL_ENDPOINT_PAGE (left)) == server);
  g_assert_true (sl_endpoint_page_get_endpoint (SL_ENDPOINT_PAGE (right)) == client);
  g_assert_true (sl_ui_test_wait_mapped (left, TRUE, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_ui_test_wait_mapped (right, TRUE, SL_UI_TEST_WAIT_MS));

  /* The tutorials' first exercise: the client says hello, the server answers HELLO. */
  sl_composer_set_text (SL_COMPOSER (sl_endpoint_page_get_composer (SL_ENDPOINT_PAGE (right))),
                        "hello");
  g_assert_true (sl_composer_send (SL_COMPOSER (sl_endpoint_page_get_composer (SL_ENDPOINT_PAGE (right)))));
  in_server = sl_test_wait_log (sl_endpoint_get_log (server), SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION, "recv",
                                "b'hello'", 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (in_server);
  in_client = sl_test_wait_log (sl_endpoint_get_log (client), SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION, "recv",
                                "b'HELLO'", 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (in_client);

  /* Leaving side by side shows the selected endpoint alone. */
  g_object_set (fixture->window, "side-by-side", FALSE, NULL);
  g_assert_true (sl_ui_test_wait_mapped (sl_window_get_page (fixture->window,
                                                             sl_window_get_selected_endpoint (fixture->window)),
                                         TRUE, SL_UI_TEST_WAIT_MS));
}

static void
test_demo_pair_port_busy (Fixture       *fixture,
                          gconstpointer  data)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (8888) };
  SlEndpoint *server, *client;
  int fd;
  gboolean holding;

  if (!sl_ui_test_have_display ())
    return;

  /* Hold 8888 ourselves (if someone else already has it, the lesson is the same). */
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_STREAM, 0);
  /* Reuse over TIME_WAIT left by an earlier test; an active listener still blocks others. */
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &(int) { 1 }, sizeof (int));
  holding = bind (fd, (struct sockaddr *) &address, sizeof address) == 0 && listen (fd, 1) == 0;
  if (!holding)
    g_test_message ("port 8888 already in use by another process");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.demo-pair", NULL);
  g_assert_true (sl_test_wait_n_items (sl_window_get_endpoints (fixture->window), 2,
                                       SL_UI_TEST_WAIT_MS));
  server = endpoint_at (fixture->window, 0);
  client = endpoint_at (fixture->window, 1);
  g_assert_true (endpoint_state_is (server, SL_ENDPOINT_STATE_LISTENING));
  g_assert_true (endpoint_state_is (client, SL_ENDPOINT_STATE_CONNECTED));
  g_assert_cmpuint (sl_endpoint_get_local_port (server), !=, 8888);
  /* The failed first bind stays in the trace: it is the lesson. */
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (server), SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, "bind",
                                       NULL, 98 /* EADDRINUSE */), ==, 1);
  close (fd);
}

static void
test_add_remove (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  SlEndpoint *endpoint;
  GtkWidget *page;

  if (!sl_ui_test_have_display ())
    return;

  endpoint = sl_window_add_endpoint (fixture->window, config, TRUE);
  g_assert_true (endpoint_state_is (endpoint, SL_ENDPOINT_STATE_LISTENING));
  g_assert_true (sl_window_get_selected_endpoint (fixture->window) == endpoint);
  page = sl_window_get_page (fixture->window, endpoint);
  g_assert_true (sl_ui_test_wait_mapped (page, TRUE, SL_UI_TEST_WAIT_MS));
  address = g_object_ref (sl_endpoint_get_local_address (endpoint));

  /* Duplicate makes a stopped copy with the same settings. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.duplicate", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 2);
  g_assert_cmpint (sl_endpoint_get_state (endpoint_at (fixture->window, 1)), ==,
                   SL_ENDPOINT_STATE_STOPPED);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 1);

  sl_window_select_endpoint (fixture->window, endpoint);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.remove", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 0);

  /* Removing stopped it: nobody listens there any more. */
  connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_true (sl_ui_test_wait_mapped (sl_ui_test_get (GTK_WIDGET (fixture->window),
                                                         ADW_TYPE_STATUS_PAGE, NULL),
                                         TRUE, SL_UI_TEST_WAIT_MS));
}

static SlNewEndpointDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (SL_IS_NEW_ENDPOINT_DIALOG (window))
        return SL_NEW_ENDPOINT_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static void
test_new_endpoint_dialog (Fixture       *fixture,
                          gconstpointer  data)
{
  SlNewEndpointDialog *dialog;
  SlEndpointForm *form;
  SlEndpoint *endpoint;

  if (!sl_ui_test_have_display ())
    return;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-endpoint", NULL);
  g_assert_true (sl_test_wait_until (dialog_shown, NULL, SL_UI_TEST_WAIT_MS));
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (dialog), "sl-zoom"));
  form = SL_ENDPOINT_FORM (sl_new_endpoint_dialog_get_form (dialog));
  sl_endpoint_config_set_port (sl_endpoint_form_get_config (form), 0);
  sl_endpoint_config_set_reply_mode (sl_endpoint_form_get_config (form), SL_REPLY_ECHO);
  sl_new_endpoint_dialog_start (dialog);

  g_assert_true (sl_test_wait_n_items (sl_window_get_endpoints (fixture->window), 1,
                                       SL_UI_TEST_WAIT_MS));
  endpoint = endpoint_at (fixture->window, 0);
  g_assert_true (endpoint_state_is (endpoint, SL_ENDPOINT_STATE_LISTENING));
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (sl_endpoint_get_config (endpoint)), ==,
                   SL_REPLY_ECHO);
}

static void
test_error_inline (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  g_autoptr(SlEndpointConfig) second = NULL;
  SlEndpoint *first, *clash;
  GtkWidget *page;

  if (!sl_ui_test_have_display ())
    return;

  first = sl_window_add_endpoint (fixture->window, config, TRUE);
  g_assert_true (endpoint_state_is (first, SL_ENDPOINT_STATE_LISTENING));

  /* Same port again: a routine failure shown in the page and the trace, no dialog. */
  second = server_config (sl_endpoint_get_local_port (first));
  clash = sl_window_add_endpoint (fixture->window, second, TRUE);
  g_assert_true (endpoint_state_is (clash, SL_ENDPOINT_STATE_ERROR));
  page = sl_window_get_page (fixture->window, clash);
  g_assert_true (sl_ui_test_wait_label (sl_ui_test_get (page, GTK_TYPE_LABEL, "EADDRINUSE"),
                                        "EADDRINUSE", SL_UI_TEST_WAIT_MS));
  g_assert_cmpuint (sl_test_log_count (sl_endpoint_get_log (clash), SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, "bind",
                                       NULL, 98), ==, 1);
}

static void
test_zoom (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *window;

  if (!sl_ui_test_have_display ())
    return;

  window = GTK_WIDGET (fixture->window);
  g_assert_cmpfloat_with_epsilon (sl_window_get_zoom (fixture->window), 1.0, 0.001);
  gtk_widget_activate_action (window, "win.zoom-in", NULL);
  gtk_widget_activate_action (window, "win.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (sl_window_get_zoom (fixture->window), 1.2, 0.001);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "zoom"), 1.2, 0.001);
  gtk_widget_activate_action (window, "win.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (sl_window_get_zoom (fixture->window), 1.1, 0.001);
  gtk_widget_activate_action (window, "win.zoom-reset", NULL);
  g_assert_cmpfloat_with_epsilon (sl_window_get_zoom (fixture->window), 1.0, 0.001);

  /* At the top, zooming in is disabled. */
  g_settings_set_double (fixture->settings, "zoom", 3.0);
  g_assert_false (gtk_widget_activate_action (window, "win.zoom-in", NULL) &&
                  sl_window_get_zoom (fixture->window) > 3.0);
  g_assert_cmpfloat_with_epsilon (sl_window_get_zoom (fixture->window), 3.0, 0.001);
  g_settings_reset (fixture->settings, "zoom");
}

static void
test_side_by_side_needs_pair (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  gboolean side_by_side = TRUE;

  if (!sl_ui_test_have_display ())
    return;

  sl_window_add_endpoint (fixture->window, config, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.side-by-side", NULL);
  g_object_get (fixture->window, "side-by-side", &side_by_side, NULL);
  g_assert_false (side_by_side);
}

/* Presentation mode: the pair side by side, their sequence diagram between
 * them with both ends' states, larger type, no sidebar; F5 leaves it. */
static void
test_presentation (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  SlEndpoint *server, *client;
  GtkWidget *diagram, *sidebar_list, *leave;
  gboolean presentation = TRUE;
  double zoom_font_before, zoom_font_after;

  if (!sl_ui_test_have_display ())
    return;

  /* Not without a pair: it says so and stays off. */
  sl_window_add_endpoint (fixture->window, config, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.presentation", NULL);
  g_object_get (fixture->window, "presentation", &presentation, NULL);
  g_assert_false (presentation);
  sl_window_remove_endpoint (fixture->window, endpoint_at (fixture->window, 0));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.demo-pair", NULL);
  g_assert_true (sl_test_wait_n_items (sl_window_get_endpoints (fixture->window), 2,
                                       SL_UI_TEST_WAIT_MS));
  server = endpoint_at (fixture->window, 0);
  client = endpoint_at (fixture->window, 1);
  g_assert_true (endpoint_state_is (client, SL_ENDPOINT_STATE_CONNECTED));
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1,
                                       SL_UI_TEST_WAIT_MS));

  /* The sidebar: the box that holds the endpoint list (hidden, not merely folded away). */
  sidebar_list = sl_ui_test_get (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON,
                                 "New Endpoint (Ctrl+N)");
  while (gtk_widget_get_parent (sidebar_list) != NULL
         && !ADW_IS_LEAFLET (gtk_widget_get_parent (sidebar_list)))
    sidebar_list = gtk_widget_get_parent (sidebar_list);
  g_assert_nonnull (sl_ui_test_find (sidebar_list, GTK_TYPE_LIST_VIEW, NULL));
  g_assert_true (gtk_widget_get_visible (sidebar_list));
  zoom_font_before = pango_font_description_get_size (
    pango_context_get_font_description (gtk_widget_get_pango_context (
      sl_window_get_side_page (fixture->window, FALSE)))) / (double) PANGO_SCALE;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.presentation", NULL);
  g_assert_true (sl_window_get_presentation (fixture->window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "sl-presentation"));

  /* The sequence diagram between the two pages, following the demo's conversation. */
  diagram = gtk_widget_get_ancestor (sl_window_get_side_page (fixture->window, FALSE),
                                     GTK_TYPE_PANED);
  g_assert_nonnull (diagram);
  diagram = sl_ui_test_get (gtk_paned_get_end_child (GTK_PANED (diagram)),
                            SL_TYPE_SEQUENCE_DIAGRAM, NULL);
  g_assert_true (sl_ui_test_wait_mapped (sl_window_get_side_page (fixture->window, FALSE), TRUE,
                                         SL_UI_TEST_WAIT_MS));
  sl_log_flush (sl_endpoint_get_log (client));
  sl_log_flush (sl_endpoint_get_log (server));
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)), >=, 3);
  g_assert_true (sl_sequence_diagram_has_peer (SL_SEQUENCE_DIAGRAM (diagram)));
  g_assert_true (sl_ui_test_wait_mapped (diagram, TRUE, SL_UI_TEST_WAIT_MS));

  /* No sidebar; a way back; larger type. */
  g_assert_false (gtk_widget_get_visible (sidebar_list));
  leave = sl_ui_test_find (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, "Leave Presentation");
  g_assert_nonnull (leave);
  g_assert_true (gtk_widget_get_visible (leave));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (leave), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Leave Presentation");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  zoom_font_after = pango_font_description_get_size (
    pango_context_get_font_description (gtk_widget_get_pango_context (
      sl_window_get_side_page (fixture->window, FALSE)))) / (double) PANGO_SCALE;
  g_assert_cmpfloat (zoom_font_after, >, zoom_font_before);
  if (g_getenv ("SL_DIAGRAM_PNG_DIR") != NULL)
    {
      g_autofree char *path = g_build_filename (g_getenv ("SL_DIAGRAM_PNG_DIR"),
                                                "presentation.png", NULL);

      sl_ui_test_save_png (GTK_WIDGET (fixture->window), path);
    }

  /* Leaving side by side leaves presentation mode too. */
  g_object_set (fixture->window, "side-by-side", FALSE, NULL);
  g_assert_false (sl_window_get_presentation (fixture->window));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture->window), "sl-presentation"));
  g_assert_true (gtk_widget_get_visible (sidebar_list));
}

static void
test_clear_log (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  SlEndpoint *endpoint;
  SlLog *log;

  if (!sl_ui_test_have_display ())
    return;

  endpoint = sl_window_add_endpoint (fixture->window, config, TRUE);
  g_assert_true (endpoint_state_is (endpoint, SL_ENDPOINT_STATE_LISTENING));
  log = sl_endpoint_get_log (endpoint);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), >, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.clear-log", NULL);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
preferences_shown (gpointer data)
{
  return find_toplevel (SL_TYPE_PREFERENCES_WINDOW) != NULL;
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  GtkWindow *preferences;
  GtkWidget *spin;
  SlEndpoint *endpoint;

  if (!sl_ui_test_have_display ())
    return;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL);
  g_assert_true (sl_test_wait_until (preferences_shown, NULL, SL_UI_TEST_WAIT_MS));
  preferences = find_toplevel (SL_TYPE_PREFERENCES_WINDOW);

  /* The trace size is a setting; endpoints created afterwards use it. */
  spin = sl_ui_test_get (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, NULL);
  gtk_test_accessible_assert_property (spin, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Rows Kept per Endpoint");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 5000);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "log-max-entries"), ==, 5000);
  endpoint = sl_window_add_endpoint (fixture->window, config, FALSE);
  g_assert_cmpuint (sl_log_get_max_entries (sl_endpoint_get_log (endpoint)), ==, 5000);

  gtk_window_destroy (preferences);
  g_settings_reset (fixture->settings, "log-max-entries");
}

static void
test_header_buttons (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  GtkWidget *side_by_side;

  if (!sl_ui_test_have_display ())
    return;

  /* With nothing to act on, the start screen alone says what to do. */
  side_by_side = sl_ui_test_get (GTK_WIDGET (fixture->window), GTK_TYPE_TOGGLE_BUTTON,
                                 "side by side");
  g_assert_false (gtk_widget_get_visible (side_by_side));
  sl_window_add_endpoint (fixture->window, config, FALSE);
  g_assert_true (gtk_widget_get_visible (side_by_side));
}

static gboolean
diagram_in_state (SlTcpStateDiagram *diagram,
                  SlTcpState         state)
{
  for (guint i = 0; i < SL_UI_TEST_WAIT_MS / 10; i++)
    {
      if (sl_tcp_state_diagram_get_state (diagram) == state)
        return TRUE;
      sl_test_run_for (10);
    }
  return FALSE;
}

/* "What is this?" on a trace row opens the reference at the call's entry. */
static void
test_reference (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  g_autoptr(SlLogEntry) bind_row = NULL;
  SlEndpoint *endpoint;
  GtkWidget *page, *log_view, *column_view, *reference;
  GtkSelectionModel *selection;
  GListModel *shown;
  guint n, position = G_MAXUINT;

  if (!sl_ui_test_have_display ())
    return;

  endpoint = sl_window_add_endpoint (fixture->window, config, TRUE);
  g_assert_true (endpoint_state_is (endpoint, SL_ENDPOINT_STATE_LISTENING));
  bind_row = sl_test_wait_log (sl_endpoint_get_log (endpoint), SL_LOG_KIND_CALL, 0, ".bind(",
                               NULL, 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (bind_row);
  sl_log_flush (sl_endpoint_get_log (endpoint));

  page = sl_window_get_page (fixture->window, endpoint);
  log_view = sl_endpoint_page_get_log_view (SL_ENDPOINT_PAGE (page));
  shown = sl_log_view_get_shown (SL_LOG_VIEW (log_view));
  n = g_list_model_get_n_items (shown);
  for (guint i = 0; i < n && position == G_MAXUINT; i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (shown, i);

      if (entry == bind_row)
        position = i;
    }
  g_assert_cmpuint (position, <, n);
  column_view = sl_ui_test_get (log_view, GTK_TYPE_COLUMN_VIEW, NULL);
  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view));
  gtk_selection_model_select_item (selection, position, TRUE);

  g_assert_true (gtk_widget_activate_action (page, "page.what-is-this", NULL));
  reference = sl_window_show_reference (fixture->window, NULL);
  g_assert_nonnull (reference);
  g_assert_cmpstr (sl_reference_window_get_entry_id (SL_REFERENCE_WINDOW (reference)), ==,
                   "bind");

  /* By id, as the labs and the menu do. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reference-entry", "s",
                              "SO_REUSEADDR");
  g_assert_cmpstr (sl_reference_window_get_entry_id (SL_REFERENCE_WINDOW (reference)), ==,
                   "SO_REUSEADDR");
  gtk_window_destroy (GTK_WINDOW (reference));
}

/* Show as Python: the selected endpoint's script in a dialog. */
static void
test_show_python (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) config = server_config (0);
  g_autoptr(GListModel) toplevels = NULL;
  GtkWidget *dialog = NULL;

  if (!sl_ui_test_have_display ())
    return;

  sl_window_add_endpoint (fixture->window, config, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-python", NULL);
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (SL_IS_PYTHON_DIALOG (window))
        dialog = window;
    }
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (sl_python_dialog_get_script (SL_PYTHON_DIALOG (dialog)),
                            "server.listen("));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A workspace saved and opened again: same endpoints, the running ones
 * started, the layout back; a bad file changes nothing. */
static void
test_workspace (Fixture       *fixture,
                gconstpointer  data)
{
  guint16 port = sl_test_unused_port (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM);
  g_autoptr(SlEndpointConfig) server = server_config (port);
  g_autoptr(SlEndpointConfig) client = server_config (port);
  g_autoptr(SlEndpointConfig) idle = server_config (0);
  g_autofree char *dir = g_dir_make_tmp ("sl-workspace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "class.socketlab", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.socketlab", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) recent = NULL;
  SlEndpoint *endpoint;
  gboolean side_by_side = FALSE;

  if (!sl_ui_test_have_display ())
    return;

  sl_endpoint_config_set_reuseaddr (server, TRUE);
  sl_endpoint_config_set_role (client, SL_ROLE_CLIENT);
  sl_endpoint_config_set_port (idle, 0);
  endpoint = sl_window_add_endpoint (fixture->window, server, TRUE);
  g_assert_true (endpoint_state_is (endpoint, SL_ENDPOINT_STATE_LISTENING));
  endpoint = sl_window_add_endpoint (fixture->window, client, TRUE);
  g_assert_true (endpoint_state_is (endpoint, SL_ENDPOINT_STATE_CONNECTED));
  sl_window_add_endpoint (fixture->window, idle, FALSE);
  g_object_set (fixture->window, "side-by-side", TRUE, NULL);

  g_assert_true (sl_window_save_workspace (fixture->window, file, &error));
  g_assert_no_error (error);
  recent = g_settings_get_strv (fixture->settings, "recent-workspaces");
  g_assert_cmpuint (g_strv_length (recent), >=, 1);
  g_assert_true (g_str_has_suffix (recent[0], "class.socketlab"));
  g_assert_nonnull (sl_ui_test_find (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL,
                                     "class.socketlab"));

  /* A bad file: a toast, and the three endpoints stay. */
  g_assert_true (g_file_set_contents (bad_path, "{\"format\": \"socket-lab-workspace\", "
                                      "\"version\": 99}", -1, NULL));
  g_assert_false (sl_window_open_workspace (fixture->window, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 3);

  /* Opening replaces the endpoints with the saved ones, running as they were. */
  g_assert_true (sl_window_open_workspace (fixture->window, file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      SlEndpoint *opened = endpoint_at (fixture->window, i);
      SlEndpointConfig *config = sl_endpoint_get_config (opened);

      if (sl_endpoint_config_get_role (config) == SL_ROLE_CLIENT)
        {
          g_assert_cmpint (sl_endpoint_config_get_port (config), ==, port);
          g_assert_true (endpoint_state_is (opened, SL_ENDPOINT_STATE_CONNECTED));
        }
      else if (sl_endpoint_config_get_port (config) == port)
        {
          g_assert_true (sl_endpoint_config_get_reuseaddr (config));
          g_assert_true (endpoint_state_is (opened, SL_ENDPOINT_STATE_LISTENING));
        }
      else
        g_assert_cmpint (sl_endpoint_get_state (opened), ==, SL_ENDPOINT_STATE_STOPPED);
    }
  g_object_get (fixture->window, "side-by-side", &side_by_side, NULL);
  g_assert_true (side_by_side);

  /* In the background, as the Open dialog and the recent list open it: a bad
   * file changes nothing; a good one brings the three endpoints back. */
  while (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)) > 0)
    sl_window_remove_endpoint (fixture->window, endpoint_at (fixture->window, 0));
  sl_window_open_workspace_async (fixture->window, bad);
  sl_test_run_for (300);
  g_assert_cmpuint (g_list_model_get_n_items (sl_window_get_endpoints (fixture->window)), ==, 0);
  sl_window_open_workspace_async (fixture->window, file);
  g_assert_true (sl_test_wait_n_items (sl_window_get_endpoints (fixture->window), 3,
                                       SL_UI_TEST_WAIT_MS));

  g_settings_reset (fixture->settings, "recent-workspaces");
  sl_test_remove_tmp_dir (dir);
}

static void
test_states_tab (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) udp = server_config (0);
  SlTcpStateDiagram *diagram;
  SlEndpoint *client, *datagram;
  GtkWidget *right, *page;

  if (!sl_ui_test_have_display ())
    return;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.demo-pair", NULL);
  g_assert_true (sl_test_wait_n_items (sl_window_get_endpoints (fixture->window), 2,
                                       SL_UI_TEST_WAIT_MS));
  client = endpoint_at (fixture->window, 1);
  g_assert_true (endpoint_state_is (client, SL_ENDPOINT_STATE_CONNECTED));

  /* The client's page follows its conversation in the kernel... */
  right = sl_window_get_side_page (fixture->window, TRUE);
  diagram = SL_TCP_STATE_DIAGRAM (sl_ui_test_get (right, SL_TYPE_TCP_STATE_DIAGRAM, NULL));
  g_assert_true (diagram_in_state (diagram, SL_TCP_STATE_ESTABLISHED));

  /* ... and keeps following it after Stop: the active close ends in TIME_WAIT. */
  sl_endpoint_stop (client);
  g_assert_true (diagram_in_state (diagram, SL_TCP_STATE_TIME_WAIT));

  /* UDP has no states, and the tab says why. */
  sl_endpoint_config_set_protocol (udp, SL_PROTOCOL_UDP);
  datagram = sl_window_add_endpoint (fixture->window, udp, FALSE);
  page = sl_window_get_page (fixture->window, datagram);
  g_assert_nonnull (sl_ui_test_get (page, GTK_TYPE_LABEL, "UDP has no connection, so it has no states"));
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/window/start-screen", test_start_screen);
  ADD ("/window/demo-pair", test_demo_pair);
  ADD ("/window/demo-pair-port-busy", test_demo_pair_port_busy);
  ADD ("/window/add-remove", test_add_remove);
  ADD ("/window/new-endpoint-dialog", test_new_endpoint_dialog);
  ADD ("/window/error-inline", test_error_inline);
  ADD ("/window/zoom", test_zoom);
  ADD ("/window/side-by-side-needs-pair", test_side_by_side_needs_pair);
  ADD ("/window/clear-log", test_clear_log);
  ADD ("/window/presentation", test_presentation);
  ADD ("/window/reference", test_reference);
  ADD ("/window/show-python", test_show_python);
  ADD ("/window/workspace", test_workspace);
  ADD ("/window/preferences", test_preferences);
  ADD ("/window/header-buttons", test_header_buttons);
  ADD ("/window/states-tab", test_states_tab);
#undef ADD

  return g_test_run ();
}
