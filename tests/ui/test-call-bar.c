/* test-call-bar.c — accept()/recv() in the manual modes really wait, and the window does not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sl-call-bar.h"
#include "sl-error.h"
#include "sl-ui-test-util.h"

typedef struct
{
  SlEndpoint *server;
  GtkWindow  *window;
  SlCallBar  *bar;
  guint       n_busy_notifies;
  GError     *failed;
} Fixture;

static void
busy_notify_cb (SlCallBar  *bar,
                GParamSpec *pspec,
                Fixture    *fixture)
{
  fixture->n_busy_notifies++;
}

static void
failed_cb (SlCallBar    *bar,
           const GError *error,
           Fixture      *fixture)
{
  g_clear_error (&fixture->failed);
  fixture->failed = g_error_copy (error);
}

static void
fixture_show (Fixture    *fixture,
              SlEndpoint *server)
{
  fixture->server = server;
  fixture->bar = SL_CALL_BAR (sl_call_bar_new ());
  g_signal_connect (fixture->bar, "notify::busy", G_CALLBACK (busy_notify_cb), fixture);
  g_signal_connect (fixture->bar, "failed", G_CALLBACK (failed_cb), fixture);
  sl_call_bar_set_endpoint (fixture->bar, server);
  fixture->window = sl_ui_test_show (GTK_WIDGET (fixture->bar), 700, -1);
}

static void
fixture_set_up (Fixture    *fixture,
                SlProtocol  protocol,
                SlIoMode    mode)
{
  fixture_show (fixture, sl_ui_test_start_server (protocol, mode));
}

static void
fixture_tear_down (Fixture *fixture)
{
  sl_ui_test_close_window (fixture->window);
  sl_endpoint_stop (fixture->server);
  /* The bar held the only other reference, and no call is left behind. */
  sl_test_assert_finalize (fixture->server, SL_UI_TEST_WAIT_MS);
  g_clear_error (&fixture->failed);
}

static GtkWidget *
find (Fixture    *fixture,
      GType       type,
      const char *text)
{
  return sl_ui_test_get (GTK_WIDGET (fixture->bar), type, text);
}

static SlLog *
server_log (Fixture *fixture)
{
  return sl_endpoint_get_log (fixture->server);
}

static gboolean
not_busy (gpointer data)
{
  return !sl_call_bar_get_busy (SL_CALL_BAR (data));
}

static gboolean
wait_idle (Fixture *fixture)
{
  return sl_test_wait_until (not_busy, fixture->bar, SL_UI_TEST_WAIT_MS);
}

static gboolean
tick_cb (gpointer user_data)
{
  guint *ticks = user_data;

  (*ticks)++;
  return G_SOURCE_CONTINUE;
}

/* Enough 10 ms timer ticks went by to show the main loop runs (however slowly). */
static gboolean
ticked_enough (gpointer data)
{
  return *(guint *) data >= 10;
}

/* The bar's busy look: spinner spinning, "Blocked in …", Cancel, the calls insensitive. */
static void
assert_busy (Fixture    *fixture,
             const char *text)
{
  GtkWidget *spinner = find (fixture, GTK_TYPE_SPINNER, NULL);
  GtkWidget *label = find (fixture, GTK_TYPE_LABEL, "Blocked in");

  g_assert_true (sl_call_bar_get_busy (fixture->bar));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_true (sl_ui_test_wait_mapped (spinner, TRUE, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_ui_test_wait_mapped (label, TRUE, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, text);
  g_assert_true (gtk_widget_is_sensitive (find (fixture, GTK_TYPE_BUTTON, "Cancel")));
  g_assert_true (gtk_widget_get_visible (find (fixture, GTK_TYPE_BUTTON, "Cancel")));
  g_assert_false (gtk_widget_is_sensitive (find (fixture, GTK_TYPE_BUTTON, "recv(")));
  g_assert_false (gtk_widget_is_sensitive (find (fixture, GTK_TYPE_BUTTON, "accept()")));
}

static void
assert_idle (Fixture *fixture)
{
  GtkWidget *spinner = find (fixture, GTK_TYPE_SPINNER, NULL);

  g_assert_false (sl_call_bar_get_busy (fixture->bar));
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_false (gtk_widget_get_visible (find (fixture, GTK_TYPE_BUTTON, "Cancel")));
  g_assert_true (sl_ui_test_wait_mapped (find (fixture, GTK_TYPE_LABEL, "call"), TRUE,
                                         SL_UI_TEST_WAIT_MS));
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (widget);
}

/* A raw client, accepted through the bar's accept() (manual modes accept nothing alone). */
static int
connect_and_accept (Fixture *fixture)
{
  GListModel *connections = sl_endpoint_get_connections (fixture->server);
  guint n = g_list_model_get_n_items (connections);
  int fd = sl_test_peer_connect_endpoint (fixture->server);

  sl_ui_test_click (find (fixture, GTK_TYPE_BUTTON, "accept()"));
  g_assert_true (wait_idle (fixture));
  g_assert_true (sl_test_wait_n_items (connections, n + 1, SL_UI_TEST_WAIT_MS));
  g_assert_null (fixture->failed);

  return fd;
}

static void
test_bar_visibility (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlEndpoint) blocking = NULL;
  GtkWidget *revealer;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  revealer = find (&fixture, GTK_TYPE_REVEALER, NULL);

  /* Async mode calls by itself: nothing to show. */
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (sl_ui_test_wait_mapped (find (&fixture, GTK_TYPE_BUTTON, "accept()"), FALSE,
                                         SL_UI_TEST_WAIT_MS));

  blocking = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_BLOCKING);
  sl_call_bar_set_endpoint (fixture.bar, blocking);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (sl_ui_test_wait_mapped (find (&fixture, GTK_TYPE_BUTTON, "accept()"), TRUE,
                                         SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_ui_test_wait_mapped (find (&fixture, GTK_TYPE_LABEL,
                                               "You make each call; it waits until "
                                               "something arrives."),
                                         TRUE, SL_UI_TEST_WAIT_MS));
  /* A stream server: accept() and recv(); recv() has nothing to read from yet. */
  g_assert_true (gtk_widget_is_sensitive (find (&fixture, GTK_TYPE_BUTTON, "accept()")));
  g_assert_true (gtk_widget_get_visible (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));
  g_assert_false (gtk_widget_is_sensitive (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));
  g_assert_false (gtk_widget_get_visible (find (&fixture, GTK_TYPE_BUTTON, "recvfrom(")));
  g_assert_true (gtk_widget_has_css_class (find (&fixture, GTK_TYPE_BUTTON, "accept()"),
                                           "monospace"));
  assert_idle (&fixture);

  /* Back to async: hidden again. */
  sl_call_bar_set_endpoint (fixture.bar, fixture.server);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));

  sl_call_bar_set_endpoint (fixture.bar, NULL);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  sl_endpoint_stop (blocking);
  sl_call_bar_set_endpoint (fixture.bar, fixture.server);
  fixture_tear_down (&fixture);
}

static void
test_bar_blocking_recv (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlLogEntry) row = NULL;
  guint ticks = 0;
  guint tick_id;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP, SL_IO_MODE_BLOCKING);
  fd = connect_and_accept (&fixture);
  g_assert_cmpuint (fixture.n_busy_notifies, ==, 2);

  sl_ui_test_click (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)"));
  assert_busy (&fixture, "Blocked in recv(1024)…");

  /* A worker thread waits in recv(): the main loop keeps running meanwhile. */
  tick_id = g_timeout_add (10, tick_cb, &ticks);
  g_assert_true (sl_test_wait_until (ticked_enough, &ticks, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_call_bar_get_busy (fixture.bar));

  g_assert_true (sl_test_peer_send_all (fd, "hi", 2, SL_UI_TEST_WAIT_MS));
  g_assert_true (wait_idle (&fixture));
  g_source_remove (tick_id);
  assert_idle (&fixture);
  g_assert_null (fixture.failed);

  row = sl_test_log_find (server_log (&fixture), 0, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION,
                          "recv(1024)", NULL, 0, NULL);
  g_assert_nonnull (row);
  g_assert_true (sl_test_entry_payload_is (row, "hi", 2));
  /* Ready for the next call. */
  g_assert_true (gtk_widget_is_sensitive (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_bar_cancel (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlLogEntry) cancelled = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP, SL_IO_MODE_BLOCKING);
  fd = connect_and_accept (&fixture);

  sl_call_bar_recv (fixture.bar);
  assert_busy (&fixture, "Blocked in recv(1024)…");
  sl_ui_test_click (find (&fixture, GTK_TYPE_BUTTON, "Cancel"));
  g_assert_true (wait_idle (&fixture));
  assert_idle (&fixture);
  /* Cancelling is the lesson, not a failure; the log says it. */
  g_assert_null (fixture.failed);
  cancelled = sl_test_wait_log (server_log (&fixture), SL_TEST_ANY_KIND, SL_TEST_ANY_CONNECTION,
                                "recv(1024)", "cancelled", 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (cancelled);

  /* The connection is still there and the next recv() gets the data. */
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (fixture.server)),
                    ==, 1);
  sl_call_bar_recv (fixture.bar);
  g_assert_true (sl_call_bar_get_busy (fixture.bar));
  g_assert_true (sl_test_peer_send_all (fd, "after", 5, SL_UI_TEST_WAIT_MS));
  g_assert_true (wait_idle (&fixture));
  row = sl_test_log_find (server_log (&fixture), 0, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION,
                          "recv(1024)", NULL, 0, NULL);
  g_assert_nonnull (row);
  g_assert_true (sl_test_entry_payload_is (row, "after", 5));
  g_assert_null (fixture.failed);

  /* Cancel with nothing waiting does nothing. */
  sl_call_bar_cancel (fixture.bar);
  g_assert_false (sl_call_bar_get_busy (fixture.bar));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_bar_blocking_accept (void)
{
  Fixture fixture = { 0 };
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP, SL_IO_MODE_BLOCKING);

  sl_ui_test_click (find (&fixture, GTK_TYPE_BUTTON, "accept()"));
  assert_busy (&fixture, "Blocked in accept()…");
  sl_test_run_for (50);
  g_assert_true (sl_call_bar_get_busy (fixture.bar));

  fd = sl_test_peer_connect_endpoint (fixture.server);
  g_assert_true (wait_idle (&fixture));
  assert_idle (&fixture);
  g_assert_null (fixture.failed);
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (fixture.server)),
                    ==, 1);
  /* Now recv() has a connection to read from. */
  g_assert_true (gtk_widget_is_sensitive (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_bar_nonblocking (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlLogEntry) row = NULL;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP, SL_IO_MODE_NONBLOCKING);
  g_assert_nonnull (find (&fixture, GTK_TYPE_LABEL, "BlockingIOError (EAGAIN)"));

  /* Nobody there yet: accept() returns at once with EAGAIN. */
  sl_call_bar_accept (fixture.bar);
  g_assert_false (sl_call_bar_get_busy (fixture.bar));
  g_assert_true (wait_idle (&fixture));
  g_assert_true (sl_test_wait_log (server_log (&fixture), SL_LOG_KIND_ERROR,
                                   SL_TEST_ANY_CONNECTION, "accept()", "BlockingIOError",
                                   0, SL_UI_TEST_WAIT_MS) != NULL);

  fd = sl_test_peer_connect_endpoint (fixture.server);
  sl_call_bar_accept (fixture.bar);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (fixture.server), 1,
                                       SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_test_wait_until (is_sensitive,
                                     find (&fixture, GTK_TYPE_BUTTON, "recv(1024)"),
                                     SL_UI_TEST_WAIT_MS));

  /* recv() with nothing there: at once, never busy, BlockingIOError in the log. */
  sl_ui_test_click (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)"));
  g_assert_false (sl_call_bar_get_busy (fixture.bar));
  row = sl_test_wait_log (server_log (&fixture), SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION,
                          "recv(1024)", "BlockingIOError", EAGAIN, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (row);
  g_assert_true (sl_test_wait_until (is_sensitive,
                                     find (&fixture, GTK_TYPE_BUTTON, "recv(1024)"),
                                     SL_UI_TEST_WAIT_MS));
  /* EAGAIN is the lesson of the mode, not a failure; the bar was never busy. */
  g_assert_null (fixture.failed);
  g_assert_cmpuint (fixture.n_busy_notifies, ==, 0);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_bar_timeout (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  config = sl_ui_test_config (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_IO_MODE_TIMEOUT, 0);
  sl_endpoint_config_set_timeout (config, 0.3);
  fixture_show (&fixture, sl_test_endpoint_new_started (config));
  g_assert_nonnull (find (&fixture, GTK_TYPE_LABEL,
                          "Each call waits at most 0.3 seconds, then raises socket.timeout."));
  fd = connect_and_accept (&fixture);

  sl_call_bar_recv (fixture.bar);
  assert_busy (&fixture, "Blocked in recv(1024)… (at most 0.3 s)");
  g_assert_true (wait_idle (&fixture));
  assert_idle (&fixture);

  row = sl_test_wait_log (server_log (&fixture), SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION,
                          "recv(1024)", "timed out", 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (row);
  g_assert_null (fixture.failed);
  /* The connection stays open after a timeout. */
  g_assert_true (gtk_widget_is_sensitive (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_bar_udp (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlLogEntry) row = NULL;
  GtkWidget *button;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_UDP, SL_IO_MODE_BLOCKING);
  button = find (&fixture, GTK_TYPE_BUTTON, "recvfrom(1024)");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  /* No accept() and no recv() for UDP. */
  g_assert_false (gtk_widget_get_visible (find (&fixture, GTK_TYPE_BUTTON, "accept()")));
  g_assert_false (gtk_widget_get_visible (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));

  sl_ui_test_click (button);
  assert_busy (&fixture, "Blocked in recvfrom(1024)…");

  fd = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);
  g_assert_cmpint (sl_test_peer_sendto (fd, "dgram", 5, sl_endpoint_get_local_address (
                                                          fixture.server)), ==, 5);
  g_assert_true (wait_idle (&fixture));
  assert_idle (&fixture);
  g_assert_null (fixture.failed);
  row = sl_test_log_find (server_log (&fixture), 0, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION,
                          "recvfrom(1024)", NULL, 0, NULL);
  g_assert_nonnull (row);
  g_assert_true (sl_test_entry_payload_is (row, "dgram", 5));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_bar_connection (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlLogEntry) row = NULL;
  SlConnection *second;
  int fd1, fd2;

  if (!sl_ui_test_have_display ())
    return;

  config = sl_ui_test_config (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_IO_MODE_BLOCKING, 0);
  sl_endpoint_config_set_bufsize (config, 512);
  fixture_show (&fixture, sl_test_endpoint_new_started (config));

  /* No connection: recv() says what to do first. */
  sl_call_bar_recv (fixture.bar);
  g_assert_error (fixture.failed, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_assert_false (sl_call_bar_get_busy (fixture.bar));
  g_clear_error (&fixture.failed);

  fd1 = connect_and_accept (&fixture);
  fd2 = connect_and_accept (&fixture);
  second = g_list_model_get_item (sl_endpoint_get_connections (fixture.server), 1);
  g_object_unref (second);  /* the endpoint keeps it */

  /* recv() reads from the connection set, with the configured bufsize. */
  sl_call_bar_set_connection (fixture.bar, second);
  sl_ui_test_click (find (&fixture, GTK_TYPE_BUTTON, "recv(512)"));
  assert_busy (&fixture, "Blocked in recv(512)…");
  g_assert_true (sl_connection_get_pending_call (second) != NULL);
  g_assert_true (sl_test_peer_send_all (fd2, "two", 3, SL_UI_TEST_WAIT_MS));
  g_assert_true (wait_idle (&fixture));
  row = sl_test_log_find (server_log (&fixture), 0, SL_LOG_KIND_DATA_IN,
                          sl_connection_get_id (second), "recv(512)", NULL, 0, NULL);
  g_assert_nonnull (row);
  g_assert_true (sl_test_entry_payload_is (row, "two", 3));

  /* The peer resets while recv() waits: that is a real failure. */
  sl_call_bar_recv (fixture.bar);
  g_assert_true (sl_call_bar_get_busy (fixture.bar));
  sl_test_peer_reset (fd2);
  g_assert_true (wait_idle (&fixture));
  g_assert_error (fixture.failed, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);

  sl_call_bar_set_connection (fixture.bar, NULL);
  close (fd1);
  fixture_tear_down (&fixture);
}

static void
test_bar_client (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("yo", 2);
  g_autoptr(SlLogEntry) row = NULL;

  if (!sl_ui_test_have_display ())
    return;

  /* A blocking TCP client of an async server: recv() only, on its one connection. */
  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  fixture_show (&fixture, sl_ui_test_start_client (server, SL_IO_MODE_BLOCKING));
  g_assert_false (gtk_widget_get_visible (find (&fixture, GTK_TYPE_BUTTON, "accept()")));
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1,
                                       SL_UI_TEST_WAIT_MS));

  sl_ui_test_click (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)"));
  assert_busy (&fixture, "Blocked in recv(1024)…");
  g_assert_true (sl_endpoint_send (server, NULL, bytes, NULL));
  g_assert_true (wait_idle (&fixture));
  assert_idle (&fixture);
  g_assert_null (fixture.failed);
  row = sl_test_log_find (server_log (&fixture), 0, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION,
                          "recv(1024)", NULL, 0, NULL);
  g_assert_nonnull (row);
  g_assert_true (sl_test_entry_payload_is (row, "yo", 2));

  sl_endpoint_stop (server);
  fixture_tear_down (&fixture);
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_bar_dispose_while_busy (void)
{
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlLogEntry) cancelled = NULL;
  SlCallBar *bar;
  GtkWindow *window;

  if (!sl_ui_test_have_display ())
    return;

  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_BLOCKING);
  bar = SL_CALL_BAR (sl_call_bar_new ());
  sl_call_bar_set_endpoint (bar, server);
  window = sl_ui_test_show (GTK_WIDGET (bar), 600, -1);
  g_object_add_weak_pointer (G_OBJECT (bar), (gpointer *) &bar);

  sl_call_bar_accept (bar);
  g_assert_true (sl_call_bar_get_busy (bar));

  /* Closing the window cancels the call; the bar goes once the worker has let go. */
  sl_ui_test_close_window (window);
  cancelled = sl_test_wait_log (sl_endpoint_get_log (server), SL_TEST_ANY_KIND,
                                SL_TEST_ANY_CONNECTION, "accept()", "cancelled", 0,
                                SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (cancelled);
  g_assert_true (sl_test_wait_until (pointer_is_null, &bar, SL_UI_TEST_WAIT_MS));
  g_assert_null (sl_endpoint_get_pending_call (server));

  sl_endpoint_stop (server);
}

static void
test_bar_accessible (void)
{
  Fixture fixture = { 0 };

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP, SL_IO_MODE_BLOCKING);

  gtk_test_accessible_assert_property (find (&fixture, GTK_TYPE_BUTTON, "Cancel"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Cancel");
  g_assert_nonnull (gtk_widget_get_tooltip_text (find (&fixture, GTK_TYPE_BUTTON, "accept()")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (find (&fixture, GTK_TYPE_BUTTON, "recv(1024)")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (find (&fixture, GTK_TYPE_BUTTON, "Cancel")));
  gtk_test_accessible_assert_property (find (&fixture, GTK_TYPE_SPINNER, NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Waiting");

  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

  g_test_add_func ("/call-bar/visibility", test_bar_visibility);
  g_test_add_func ("/call-bar/blocking-recv", test_bar_blocking_recv);
  g_test_add_func ("/call-bar/cancel", test_bar_cancel);
  g_test_add_func ("/call-bar/blocking-accept", test_bar_blocking_accept);
  g_test_add_func ("/call-bar/nonblocking", test_bar_nonblocking);
  g_test_add_func ("/call-bar/timeout", test_bar_timeout);
  g_test_add_func ("/call-bar/udp", test_bar_udp);
  g_test_add_func ("/call-bar/connection", test_bar_connection);
  g_test_add_func ("/call-bar/client", test_bar_client);
  g_test_add_func ("/call-bar/dispose-while-busy", test_bar_dispose_while_busy);
  g_test_add_func ("/call-bar/accessible", test_bar_accessible);

  return g_test_run ();
}
