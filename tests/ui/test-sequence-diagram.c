/* test-sequence-diagram.c — the sequence diagram of a real loopback TCP conversation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sl-endpoint-page.h"
#include "sl-sequence-diagram.h"
#include "sl-ui-test-util.h"

#define WIDTH 520

static char *tmp_dir;

/* The accessible description (gtk_test_accessible_check_property returns the
 * value when it differs from the one asked for). */
static char *
get_description (GtkWidget *widget)
{
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                             "\x01 never this");
}

/* Renders @widget to a PNG, checks its size and that the lifeline areas are drawn. */
static void
check_render (GtkWidget  *diagram,
              const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (tmp_dir, file_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *data = NULL;
  int width, height;
  gsize stride;
  guint differ_left = 0, differ_right = 0;
  const guchar *bg;

  gtk_widget_queue_draw (diagram);
  gtk_test_widget_wait_for_draw (diagram);
  g_assert_true (sl_ui_test_save_png (diagram, path));
  if (g_getenv ("SL_DIAGRAM_PNG_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("SL_DIAGRAM_PNG_DIR"), file_name, NULL);

      sl_ui_test_save_png (diagram, copy);
    }

  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, ==, gtk_widget_get_width (diagram));
  g_assert_cmpint (height, ==, gtk_widget_get_height (diagram));
  g_assert_cmpint (width, >=, 300);
  g_assert_cmpint (height, >=, 200);

  stride = width * 4;
  data = g_malloc (stride * height);
  gdk_texture_download (texture, data, stride);

  /* The top-left corner is background; the lifelines (at 30 % and 75 % of the
   * width) and the arrows between them are not. */
  bg = data;
  for (int y = height / 4; y < height; y++)
    for (int dx = -2; dx <= 2; dx++)
      {
        const guchar *l = data + y * stride + (width * 3 / 10 + dx) * 4;
        const guchar *r = data + y * stride + (width * 3 / 4 + dx) * 4;

        if (ABS (l[0] - bg[0]) + ABS (l[1] - bg[1]) + ABS (l[2] - bg[2]) > 30)
          differ_left++;
        if (ABS (r[0] - bg[0]) + ABS (r[1] - bg[1]) + ABS (r[2] - bg[2]) > 30)
          differ_right++;
      }
  g_assert_cmpuint (differ_left, >, (guint) height / 2);
  g_assert_cmpuint (differ_right, >, (guint) height / 2);
}

static void
wait_bytes (GByteArray *array,
            gsize       len)
{
  g_assert_true (sl_test_wait_bytes (array, len, SL_UI_TEST_WAIT_MS));
}

static void
test_conversation (void)
{
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(GByteArray) at_server = g_byte_array_new ();
  g_autoptr(GByteArray) at_client = g_byte_array_new ();
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) reply = g_bytes_new_static ("world!", 6);
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLogEntry) closed = NULL;
  g_autoptr(SlLogEntry) server_closed = NULL;
  g_autofree char *description = NULL;
  SlConnection *client_conn, *server_conn;
  guint client_id, server_id;
  GtkWidget *client_diagram, *server_diagram, *box, *scrolled;
  GtkWindow *window;
  int natural_before, natural_after;
  guint n_out, n_in;

  if (!sl_ui_test_have_display ())
    return;

  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  client = sl_ui_test_start_client (server, SL_IO_MODE_ASYNC);
  sl_test_collect_received (server, at_server);
  sl_test_collect_received (client, at_client);

  client_conn = sl_endpoint_get_first_connection (client);
  g_assert_nonnull (client_conn);
  client_id = sl_connection_get_id (client_conn);

  client_diagram = sl_sequence_diagram_new ();
  server_diagram = sl_sequence_diagram_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_box_append (GTK_BOX (box), client_diagram);
  gtk_box_append (GTK_BOX (box), server_diagram);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  window = sl_ui_test_show (scrolled, 2 * WIDTH, 600);

  /* Nothing without a connection. */
  sl_sequence_diagram_set_log (SL_SEQUENCE_DIAGRAM (client_diagram),
                               sl_endpoint_get_log (client), 0);
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (client_diagram)),
                    ==, 0);

  sl_log_flush (sl_endpoint_get_log (client));
  sl_sequence_diagram_set_log (SL_SEQUENCE_DIAGRAM (client_diagram),
                               sl_endpoint_get_log (client), client_id);
  sl_sequence_diagram_set_addresses (SL_SEQUENCE_DIAGRAM (client_diagram), "client", NULL);
  /* The handshake of connect(). */
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (client_diagram)),
                    ==, 3);
  gtk_widget_measure (client_diagram, GTK_ORIENTATION_VERTICAL, WIDTH, NULL, &natural_before,
                      NULL, NULL);

  g_assert_true (sl_connection_send (client_conn, hello, &error));
  g_assert_no_error (error);
  wait_bytes (at_server, 5);

  server_conn = sl_endpoint_get_first_connection (server);
  g_assert_nonnull (server_conn);
  server_id = sl_connection_get_id (server_conn);
  sl_sequence_diagram_set_log (SL_SEQUENCE_DIAGRAM (server_diagram),
                               sl_endpoint_get_log (server), server_id);

  g_assert_true (sl_connection_send (server_conn, reply, &error));
  g_assert_no_error (error);
  wait_bytes (at_client, 6);

  g_assert_true (sl_connection_close (client_conn, &error));
  g_assert_no_error (error);
  closed = sl_test_wait_log (sl_endpoint_get_log (client), SL_LOG_KIND_CALL, client_id,
                             ".close()", NULL, 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (closed);
  /* The server closes when its peer does (the default), so it sees b'' then closes. */
  server_closed = sl_test_wait_log (sl_endpoint_get_log (server), SL_LOG_KIND_CALL, server_id,
                                    ".close()", NULL, 0, SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (server_closed);
  sl_log_flush (sl_endpoint_get_log (client));
  sl_log_flush (sl_endpoint_get_log (server));

  if (g_test_verbose ())
    {
      sl_test_log_dump (sl_endpoint_get_log (client));
      sl_test_log_dump (sl_endpoint_get_log (server));
    }

  /* The test server answers in upper case and the client echoes what it gets, so how many
   * messages crossed before the close depends on timing: count them in the log. Client: SYN,
   * SYN+ACK, ACK, each send and each recv, FIN. */
  n_out = sl_test_log_count (sl_endpoint_get_log (client), SL_LOG_KIND_DATA_OUT, client_id,
                             "send", NULL, 0);
  n_in = sl_test_log_count (sl_endpoint_get_log (client), SL_LOG_KIND_DATA_IN, client_id,
                            "recv", NULL, 0);
  g_assert_cmpuint (n_out, >=, 1);
  g_assert_cmpuint (n_in, >=, 1);
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (client_diagram)),
                    ==, 3 + n_out + n_in + 1);
  /* Server: the handshake of accept(), recv 5, its replies, then FIN or RST from the client
   * (RST when the client closed with a reply unread) and its own FIN unless reset. */
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (server_diagram)),
                    >=, 3 + 1 + 1 + 1);

  gtk_widget_measure (client_diagram, GTK_ORIENTATION_VERTICAL, WIDTH, NULL, &natural_after,
                      NULL, NULL);
  g_assert_cmpint (natural_after, >, natural_before);

  description = get_description (client_diagram);
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, "FIN to the peer"));
  g_clear_pointer (&description, g_free);
  description = get_description (server_diagram);
  g_assert_true (strstr (description, "FIN from the peer") != NULL
                 || strstr (description, "RST from the peer") != NULL);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (client_diagram), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (client_diagram),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Sequence diagram");

  check_render (client_diagram, "client");
  check_render (server_diagram, "server");

  sl_ui_test_close_window (window);
  sl_endpoint_stop (client);
  sl_endpoint_stop (server);
}

static SlLogEntry *
entry (SlLogKind   kind,
       guint       connection_id,
       const char *summary,
       const char *explanation,
       gsize       size)
{
  g_autofree char *data = g_malloc0 (MAX (size, 1));
  g_autoptr(GBytes) payload = g_bytes_new (data, size);

  return sl_log_entry_new (kind, 1, connection_id, "127.0.0.1:5000", summary, "None", 0,
                           explanation, size > 0 || kind != SL_LOG_KIND_CALL ? payload : NULL);
}

/* Rows written as the engine writes them (the linger reset, the cap): the
 * reconstruction rules and the bound on the drawing. */
static void
test_rules (void)
{
  g_autoptr(SlLog) log = sl_log_new (SL_LOG_DEFAULT_MAX_ENTRIES);
  GtkWidget *diagram;
  GtkWindow *window;
  g_autofree char *description = NULL;

  if (!sl_ui_test_have_display ())
    return;

  diagram = sl_sequence_diagram_new ();
  window = sl_ui_test_show (diagram, WIDTH, 400);
  sl_sequence_diagram_set_log (SL_SEQUENCE_DIAGRAM (diagram), log, 7);

  sl_log_append (log, entry (SL_LOG_KIND_CALL, 0, "conn, addr = server.accept()", NULL, 0));
  sl_log_append (log, entry (SL_LOG_KIND_STATE, 7, "state: ESTABLISHED", NULL, 0));
  /* Another connection's rows are not drawn. */
  sl_log_append (log, entry (SL_LOG_KIND_DATA_IN, 8, "conn.recv(1024)", NULL, 3));
  sl_log_append (log, entry (SL_LOG_KIND_CALL, 7,
                             "conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, "
                             "struct.pack('ii', 1, 0))", NULL, 0));
  sl_log_append (log, entry (SL_LOG_KIND_CALL, 7, "conn.close()", NULL, 0));
  sl_log_append (log, entry (SL_LOG_KIND_STATE, 7, "state: ESTABLISHED → CLOSED (RST sent)",
                             NULL, 0));
  sl_log_flush (log);

  /* SYN, SYN+ACK, ACK, RST. */
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)), ==, 4);
  description = get_description (diagram);
  g_assert_cmpstr (description, ==,
                   "Latest events: state SYN_RCVD (implied); SYN+ACK to the peer; "
                   "ACK from the peer; state ESTABLISHED; RST to the peer; state CLOSED.");
  check_render (diagram, "rules");

  /* A long conversation: only the last SL_SEQUENCE_DIAGRAM_MAX_EVENTS are kept. */
  for (guint i = 0; i < 300; i++)
    sl_log_append (log, entry (SL_LOG_KIND_DATA_OUT, 7, "conn.sendall(b'x')", NULL, 1));
  sl_log_flush (log);
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)),
                    ==, SL_SEQUENCE_DIAGRAM_MAX_EVENTS);

  /* Clearing the log clears the diagram; connection 0 shows nothing. */
  sl_log_clear (log);
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)), ==, 0);
  sl_log_append (log, entry (SL_LOG_KIND_DATA_OUT, 7, "conn.sendall(b'x')", NULL, 1));
  sl_log_flush (log);
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)), ==, 1);
  sl_sequence_diagram_set_log (SL_SEQUENCE_DIAGRAM (diagram), log, 0);
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)), ==, 0);

  sl_ui_test_close_window (window);
}

/* The endpoint page's Sequence tab follows the client's one connection. */
static void
test_page (void)
{
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autofree char *description = NULL;
  GtkWidget *page, *diagram;
  GtkStack *stack;
  GtkWindow *window;

  if (!sl_ui_test_have_display ())
    return;

  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  client = sl_ui_test_start_client (server, SL_IO_MODE_ASYNC);

  page = sl_endpoint_page_new ();
  sl_endpoint_page_set_endpoint (SL_ENDPOINT_PAGE (page), client);
  window = sl_ui_test_show (page, 900, 700);

  diagram = sl_ui_test_get (page, SL_TYPE_SEQUENCE_DIAGRAM, NULL);
  stack = GTK_STACK (gtk_widget_get_ancestor (gtk_widget_get_parent (gtk_widget_get_parent (
    gtk_widget_get_parent (diagram))), GTK_TYPE_STACK));
  g_assert_nonnull (gtk_stack_get_child_by_name (stack, "sequence"));
  gtk_stack_set_visible_child_name (stack, "sequence");
  g_assert_true (sl_ui_test_wait_mapped (diagram, TRUE, SL_UI_TEST_WAIT_MS));

  /* Nothing is sent: the test server answers and the client echoes, back and forth.
   * The handshake of connect() and the kernel's ESTABLISHED. */
  sl_log_flush (sl_endpoint_get_log (client));
  g_assert_cmpuint (sl_sequence_diagram_get_n_arrows (SL_SEQUENCE_DIAGRAM (diagram)), ==, 3);
  description = get_description (diagram);
  g_assert_nonnull (strstr (description, "state ESTABLISHED"));
  if (g_getenv ("SL_DIAGRAM_PNG_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("SL_DIAGRAM_PNG_DIR"), "page.png",
                                                NULL);

      gtk_test_widget_wait_for_draw (page);
      sl_ui_test_save_png (page, copy);
    }

  sl_ui_test_close_window (window);
  sl_endpoint_stop (client);
  sl_endpoint_stop (server);
}

/* A server page that knows every endpoint of the program finds the client's
 * end of the conversation and draws both ends' kernel states. */
static void
test_both_ends (void)
{
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(GListStore) endpoints = g_list_store_new (SL_TYPE_ENDPOINT);
  g_autoptr(SlLogEntry) time_wait = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  SlConnection *client_conn;
  GtkWidget *page, *diagram;
  GtkStack *stack;
  GtkWindow *window;

  if (!sl_ui_test_have_display ())
    return;

  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  client = sl_ui_test_start_client (server, SL_IO_MODE_ASYNC);
  g_list_store_append (endpoints, server);
  g_list_store_append (endpoints, client);
  client_conn = sl_endpoint_get_first_connection (client);
  g_assert_nonnull (client_conn);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 1,
                                      SL_UI_TEST_WAIT_MS));

  page = sl_endpoint_page_new ();
  sl_endpoint_page_set_endpoint (SL_ENDPOINT_PAGE (page), server);
  sl_endpoint_page_set_endpoints (SL_ENDPOINT_PAGE (page), G_LIST_MODEL (endpoints));
  window = sl_ui_test_show (page, 900, 900);
  diagram = sl_ui_test_get (page, SL_TYPE_SEQUENCE_DIAGRAM, NULL);
  stack = GTK_STACK (gtk_widget_get_ancestor (gtk_widget_get_parent (gtk_widget_get_parent (
    gtk_widget_get_parent (diagram))), GTK_TYPE_STACK));
  gtk_stack_set_visible_child_name (stack, "sequence");
  g_assert_true (sl_ui_test_wait_mapped (diagram, TRUE, SL_UI_TEST_WAIT_MS));

  sl_log_flush (sl_endpoint_get_log (server));
  sl_log_flush (sl_endpoint_get_log (client));
  g_assert_true (sl_sequence_diagram_has_peer (SL_SEQUENCE_DIAGRAM (diagram)));

  /* The client closes first: it goes through FIN_WAIT_2 to TIME_WAIT, which the
   * peer's lifeline shows after the server's own states. */
  g_assert_true (sl_connection_close (client_conn, &error));
  g_assert_no_error (error);
  time_wait = sl_test_wait_log (sl_endpoint_get_log (client), SL_LOG_KIND_STATE,
                                sl_connection_get_id (client_conn), "TIME_WAIT", NULL, 0,
                                SL_UI_TEST_WAIT_MS);
  g_assert_nonnull (time_wait);
  sl_log_flush (sl_endpoint_get_log (server));
  sl_log_flush (sl_endpoint_get_log (client));

  description = get_description (diagram);
  g_assert_nonnull (strstr (description, "peer state TIME_WAIT"));
  check_render (diagram, "both-ends");
  if (g_getenv ("SL_DIAGRAM_PNG_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("SL_DIAGRAM_PNG_DIR"),
                                                "both-ends-page.png", NULL);

      gtk_test_widget_wait_for_draw (page);
      sl_ui_test_save_png (page, copy);
    }

  /* Without the list of endpoints the peer is outside the program. */
  sl_endpoint_page_set_endpoints (SL_ENDPOINT_PAGE (page), NULL);
  sl_endpoint_page_set_endpoint (SL_ENDPOINT_PAGE (page), NULL);
  g_assert_false (sl_sequence_diagram_has_peer (SL_SEQUENCE_DIAGRAM (diagram)));

  sl_ui_test_close_window (window);
  sl_endpoint_stop (client);
  sl_endpoint_stop (server);
}

int
main (int    argc,
      char **argv)
{
  int status;

  sl_ui_test_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("sl-sequence-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/sequence-diagram/conversation", test_conversation);
  g_test_add_func ("/sequence-diagram/rules", test_rules);
  g_test_add_func ("/sequence-diagram/page", test_page);
  g_test_add_func ("/sequence-diagram/both-ends", test_both_ends);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }

  return status;
}
