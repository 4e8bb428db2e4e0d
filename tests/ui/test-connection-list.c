/* test-connection-list.c — a server's connections as rows, and Close / Shut down / Reset on
 * real peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sl-connection-list.h"
#include "sl-ui-test-util.h"

typedef struct
{
  SlEndpoint       *server;
  GtkWindow        *window;
  SlConnectionList *list;
  guint             n_selected_notifies;
  GError           *failed;
} Fixture;

static void
selected_notify_cb (SlConnectionList *list,
                    GParamSpec       *pspec,
                    Fixture          *fixture)
{
  fixture->n_selected_notifies++;
}

static void
failed_cb (SlConnectionList *list,
           const GError     *error,
           Fixture          *fixture)
{
  g_clear_error (&fixture->failed);
  fixture->failed = g_error_copy (error);
}

static void
fixture_set_up (Fixture    *fixture,
                SlProtocol  protocol)
{
  fixture->server = sl_ui_test_start_server (protocol, SL_IO_MODE_ASYNC);
  fixture->list = SL_CONNECTION_LIST (sl_connection_list_new ());
  g_signal_connect (fixture->list, "notify::selected", G_CALLBACK (selected_notify_cb), fixture);
  g_signal_connect (fixture->list, "failed", G_CALLBACK (failed_cb), fixture);
  sl_connection_list_set_endpoint (fixture->list, fixture->server);
  fixture->window = sl_ui_test_show (GTK_WIDGET (fixture->list), 700, 300);
}

static void
fixture_tear_down (Fixture *fixture)
{
  sl_ui_test_close_window (fixture->window);
  sl_endpoint_stop (fixture->server);
  /* The list held the only other reference. */
  sl_test_assert_finalize (fixture->server, SL_UI_TEST_WAIT_MS);
  g_clear_error (&fixture->failed);
}

static GtkWidget *
button (Fixture    *fixture,
        const char *label)
{
  return sl_ui_test_get (GTK_WIDGET (fixture->list), GTK_TYPE_BUTTON, label);
}

static SlConnection *
connection_at (Fixture *fixture,
               guint    position)
{
  g_autoptr(SlConnection) connection =
    g_list_model_get_item (sl_endpoint_get_connections (fixture->server), position);

  /* The endpoint's list keeps it alive. */
  return connection;
}

/* The peer as the server sees it: "('127.0.0.1', PORT)" with the raw socket's port. */
static char *
peer_of (int fd)
{
  return g_strdup_printf ("('127.0.0.1', %u)", sl_test_fd_local_port (fd));
}

/* The cell labels of the row showing @peer, in column order (peer, state, in, out, age),
 * once it is shown. */
static GPtrArray *
row_labels (Fixture    *fixture,
            const char *peer)
{
  GtkWidget *peer_label;
  GtkWidget *row;
  GPtrArray *labels = g_ptr_array_new ();

  peer_label = sl_ui_test_wait_find (GTK_WIDGET (fixture->list), GTK_TYPE_LABEL, peer,
                                     SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (peer_label);

  /* label → its cell → the row holding one cell per column. */
  row = gtk_widget_get_parent (gtk_widget_get_parent (peer_label));
  for (GtkWidget *cell = gtk_widget_get_first_child (row); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    {
      GtkWidget *label = gtk_widget_get_first_child (cell);

      g_assert_true (GTK_IS_LABEL (label));
      g_ptr_array_add (labels, label);
    }
  g_assert_cmpuint (labels->len, ==, 5);
  g_assert_true (g_ptr_array_index (labels, 0) == peer_label);

  return labels;
}

static const char *
cell_text (GPtrArray *labels,
           guint      column)
{
  return gtk_label_get_text (GTK_LABEL (g_ptr_array_index (labels, column)));
}

static gboolean
is_shown (Fixture    *fixture,
          const char *peer)
{
  GtkWidget *label = sl_ui_test_find (GTK_WIDGET (fixture->list), GTK_TYPE_LABEL, peer);

  return label != NULL && gtk_widget_get_mapped (label);
}

typedef struct
{
  Fixture    *fixture;
  const char *peer;
} GoneWait;

static gboolean
row_gone (gpointer data)
{
  GoneWait *wait = data;

  return !is_shown (wait->fixture, wait->peer);
}

static void
assert_buttons_sensitive (Fixture  *fixture,
                          gboolean  close,
                          gboolean  shutdown,
                          gboolean  reset)
{
  g_assert_cmpint (gtk_widget_is_sensitive (button (fixture, "Close")), ==, close);
  g_assert_cmpint (gtk_widget_is_sensitive (button (fixture, "Writing")), ==, shutdown);
  g_assert_cmpint (gtk_widget_is_sensitive (button (fixture, "Reset")), ==, reset);
}

static void
test_list_rows (void)
{
  Fixture fixture = { 0 };
  GtkWidget *empty;
  g_autofree char *peer1 = NULL;
  g_autofree char *peer2 = NULL;
  g_autoptr(GPtrArray) row1 = NULL;
  g_autoptr(GPtrArray) row2 = NULL;
  int fd1, fd2;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);

  empty = sl_ui_test_get (GTK_WIDGET (fixture.list), GTK_TYPE_LABEL, "No client connected yet");
  g_assert_true (gtk_widget_get_mapped (empty));
  assert_buttons_sensitive (&fixture, FALSE, FALSE, FALSE);

  fd1 = sl_ui_test_peer_connect (fixture.server);
  fd2 = sl_ui_test_peer_connect (fixture.server);
  peer1 = peer_of (fd1);
  peer2 = peer_of (fd2);
  g_assert_cmpstr (sl_connection_get_peer (connection_at (&fixture, 0)), ==, peer1);

  row1 = row_labels (&fixture, peer1);
  row2 = row_labels (&fixture, peer2);
  g_assert_cmpstr (cell_text (row1, 1), ==, "open");
  g_assert_cmpstr (cell_text (row1, 2), ==, "0");
  g_assert_cmpstr (cell_text (row1, 3), ==, "0");
  g_assert_true (g_str_has_suffix (cell_text (row1, 4), " s"));
  g_assert_cmpstr (cell_text (row2, 1), ==, "open");
  g_assert_true (sl_ui_test_wait_mapped (empty, FALSE, SL_UI_TEST_WAIT_MS));

  /* Nothing is selected until the user picks a row. */
  g_assert_null (sl_connection_list_get_selected (fixture.list));
  assert_buttons_sensitive (&fixture, FALSE, FALSE, FALSE);

  close (fd1);
  close (fd2);
  fixture_tear_down (&fixture);
}

static void
test_list_selection (void)
{
  Fixture fixture = { 0 };
  GtkColumnView *view;
  SlConnection *second;
  SlConnection *selected = NULL;
  int fd1, fd2;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd1 = sl_ui_test_peer_connect (fixture.server);
  fd2 = sl_ui_test_peer_connect (fixture.server);
  second = connection_at (&fixture, 1);

  sl_connection_list_select (fixture.list, second);
  g_assert_true (sl_connection_list_get_selected (fixture.list) == second);
  g_assert_cmpuint (fixture.n_selected_notifies, ==, 1);
  g_object_get (fixture.list, "selected", &selected, NULL);
  g_assert_true (selected == second);
  g_clear_object (&selected);
  assert_buttons_sensitive (&fixture, TRUE, TRUE, TRUE);

  /* Selecting it again changes nothing. */
  sl_connection_list_select (fixture.list, second);
  g_assert_cmpuint (fixture.n_selected_notifies, ==, 1);

  /* A click on a row selects through the view's model. */
  view = GTK_COLUMN_VIEW (sl_ui_test_get (GTK_WIDGET (fixture.list), GTK_TYPE_COLUMN_VIEW, NULL));
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_assert_true (sl_connection_list_get_selected (fixture.list) == connection_at (&fixture, 0));
  g_assert_cmpuint (fixture.n_selected_notifies, ==, 2);

  sl_connection_list_select (fixture.list, NULL);
  g_assert_null (sl_connection_list_get_selected (fixture.list));
  g_assert_cmpuint (fixture.n_selected_notifies, ==, 3);
  assert_buttons_sensitive (&fixture, FALSE, FALSE, FALSE);

  /* A selected connection that ends elsewhere leaves the selection too. */
  sl_connection_list_select (fixture.list, second);
  g_assert_true (sl_connection_close (second, NULL));
  g_assert_null (sl_connection_list_get_selected (fixture.list));
  assert_buttons_sensitive (&fixture, FALSE, FALSE, FALSE);

  close (fd1);
  close (fd2);
  fixture_tear_down (&fixture);
}

static void
test_list_close (void)
{
  Fixture fixture = { 0 };
  g_autofree char *peer = NULL;
  g_autoptr(GPtrArray) row = NULL;
  GoneWait wait = { &fixture, NULL };
  char buffer[16];
  int fd, other;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);
  other = sl_ui_test_peer_connect (fixture.server);
  peer = peer_of (fd);
  row = row_labels (&fixture, peer);

  sl_connection_list_select (fixture.list, connection_at (&fixture, 0));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button (&fixture, "Close")), ==,
                   "Close: send FIN, an orderly end");
  sl_ui_test_click (button (&fixture, "Close"));

  /* FIN: the peer's recv() returns b''. */
  g_assert_cmpint (sl_test_peer_recv (fd, buffer, sizeof buffer, SL_UI_TEST_WAIT_MS), ==, 0);
  g_assert_null (fixture.failed);
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (fixture.server)),
                    ==, 1);
  wait.peer = peer;
  g_assert_true (sl_test_wait_until (row_gone, &wait, SL_UI_TEST_WAIT_MS));
  g_assert_null (sl_connection_list_get_selected (fixture.list));

  close (fd);
  close (other);
  fixture_tear_down (&fixture);
}

static void
test_list_reset (void)
{
  Fixture fixture = { 0 };
  g_autofree char *peer = NULL;
  GoneWait wait = { &fixture, NULL };
  char buffer[16];
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);
  peer = peer_of (fd);
  g_ptr_array_unref (row_labels (&fixture, peer));

  sl_connection_list_select (fixture.list, connection_at (&fixture, 0));
  g_assert_true (gtk_widget_has_css_class (button (&fixture, "Reset"), "destructive-action"));
  gtk_widget_activate_action (GTK_WIDGET (fixture.list), "connection.reset", NULL);

  /* RST: the peer's next call fails with ECONNRESET. */
  errno = 0;
  g_assert_cmpint (sl_test_peer_recv (fd, buffer, sizeof buffer, SL_UI_TEST_WAIT_MS), ==, -1);
  g_assert_cmpint (errno, ==, ECONNRESET);
  g_assert_null (fixture.failed);
  wait.peer = peer;
  g_assert_true (sl_test_wait_until (row_gone, &wait, SL_UI_TEST_WAIT_MS));
  g_assert_true (gtk_widget_get_mapped (sl_ui_test_get (GTK_WIDGET (fixture.list),
                                                        GTK_TYPE_LABEL,
                                                        "No client connected yet")));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_list_shutdown (void)
{
  Fixture fixture = { 0 };
  g_autofree char *peer = NULL;
  g_autoptr(GPtrArray) row = NULL;
  SlConnection *connection;
  char buffer[16];
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);
  peer = peer_of (fd);
  row = row_labels (&fixture, peer);
  connection = connection_at (&fixture, 0);

  sl_connection_list_select (fixture.list, connection);
  sl_ui_test_click (button (&fixture, "Shut Down Writing"));

  /* Half-close: the peer reads EOF, the row stays with its new state. */
  g_assert_cmpint (sl_test_peer_recv (fd, buffer, sizeof buffer, SL_UI_TEST_WAIT_MS), ==, 0);
  g_assert_null (fixture.failed);
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 1), "writing shut down",
                                        SL_UI_TEST_WAIT_MS));
  g_assert_true (is_shown (&fixture, peer));
  g_assert_true (sl_connection_list_get_selected (fixture.list) == connection);
  /* Writing is already shut; closing or resetting is still possible. */
  assert_buttons_sensitive (&fixture, TRUE, FALSE, TRUE);

  /* This side still receives. */
  g_assert_true (sl_test_peer_send_all (fd, "still here", 10, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 2), "10", SL_UI_TEST_WAIT_MS));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_list_counters (void)
{
  Fixture fixture = { 0 };
  g_autofree char *peer = NULL;
  g_autoptr(GPtrArray) row = NULL;
  char buffer[16];
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);
  peer = peer_of (fd);
  row = row_labels (&fixture, peer);
  g_assert_cmpstr (cell_text (row, 2), ==, "0");

  /* The tutorials' server answers in upper case: 5 bytes in, 5 out. */
  g_assert_true (sl_test_peer_send_all (fd, "hello", 5, SL_UI_TEST_WAIT_MS));
  g_assert_cmpint (sl_test_peer_recv_all (fd, buffer, 5, SL_UI_TEST_WAIT_MS), ==, 5);
  g_assert_cmpmem (buffer, 5, "HELLO", 5);

  /* The counters do not notify: the once-a-second refresh shows them. */
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 2), "5", SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 3), "5", SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (cell_text (row, 2), ==, "5");
  g_assert_cmpstr (cell_text (row, 3), ==, "5");

  g_assert_true (sl_test_peer_send_all (fd, "0123456789", 10, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 2), "15", SL_UI_TEST_WAIT_MS));

  /* The age counts up too. */
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 4), "1 s", SL_UI_TEST_WAIT_MS));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_list_udp (void)
{
  Fixture fixture = { 0 };
  g_autofree char *peer = NULL;
  g_autoptr(GPtrArray) row = NULL;
  GtkWidget *note;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_UDP);
  g_assert_nonnull (sl_ui_test_find (GTK_WIDGET (fixture.list), GTK_TYPE_LABEL,
                                     "No datagram received yet"));

  fd = sl_ui_test_udp_peer (fixture.server, "hi");
  peer = peer_of (fd);
  row = row_labels (&fixture, peer);
  g_assert_true (sl_ui_test_wait_label (g_ptr_array_index (row, 2), "2", SL_UI_TEST_WAIT_MS));

  sl_connection_list_select (fixture.list, connection_at (&fixture, 0));
  g_assert_true (sl_connection_list_get_selected (fixture.list) == connection_at (&fixture, 0));

  /* A UDP peer has no connection: nothing to close, shut down or reset, and a note says so. */
  assert_buttons_sensitive (&fixture, FALSE, FALSE, FALSE);
  note = sl_ui_test_get (GTK_WIDGET (fixture.list), GTK_TYPE_LABEL, "UDP has no connection");
  g_assert_true (gtk_widget_get_mapped (note));
  gtk_widget_activate_action (GTK_WIDGET (fixture.list), "connection.close", NULL);
  g_assert_true (is_shown (&fixture, peer));
  g_assert_null (fixture.failed);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_list_accessible (void)
{
  Fixture fixture = { 0 };
  const char *labels[] = { "Close", "Shut Down Writing", "Reset" };

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkWidget *widget = button (&fixture, labels[i]);

      gtk_test_accessible_assert_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL, labels[i]);
      /* Named by that label alone: GTK 4.8 would add its own label's name ("Close Close"). */
      g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                                        GTK_ACCESSIBLE_RELATION_LABELLED_BY));
      g_assert_nonnull (gtk_widget_get_tooltip_text (widget));
    }
  gtk_test_accessible_assert_property (sl_ui_test_get (GTK_WIDGET (fixture.list),
                                                       GTK_TYPE_COLUMN_VIEW, NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Connections");

  /* No note about UDP on a TCP server. */
  g_assert_false (gtk_widget_get_visible (sl_ui_test_get (GTK_WIDGET (fixture.list),
                                                          GTK_TYPE_LABEL,
                                                          "UDP has no connection")));

  fixture_tear_down (&fixture);
}

static void
test_list_no_endpoint (void)
{
  SlConnectionList *list;
  g_autoptr(SlEndpoint) server = NULL;

  if (!sl_ui_test_have_display ())
    return;

  list = g_object_ref_sink (SL_CONNECTION_LIST (sl_connection_list_new ()));
  g_assert_null (sl_connection_list_get_selected (list));
  sl_connection_list_select (list, NULL);

  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  sl_connection_list_set_endpoint (list, server);
  sl_connection_list_set_endpoint (list, NULL);

  g_assert_finalize_object (list);
  sl_endpoint_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

  g_test_add_func ("/connection-list/rows", test_list_rows);
  g_test_add_func ("/connection-list/selection", test_list_selection);
  g_test_add_func ("/connection-list/close", test_list_close);
  g_test_add_func ("/connection-list/reset", test_list_reset);
  g_test_add_func ("/connection-list/shutdown", test_list_shutdown);
  g_test_add_func ("/connection-list/counters", test_list_counters);
  g_test_add_func ("/connection-list/udp", test_list_udp);
  g_test_add_func ("/connection-list/accessible", test_list_accessible);
  g_test_add_func ("/connection-list/no-endpoint", test_list_no_endpoint);

  return g_test_run ();
}
