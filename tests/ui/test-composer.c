/* test-composer.c — the composer validates, sends to real peers and remembers what it sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sl-composer.h"
#include "sl-error.h"
#include "sl-ui-test-util.h"

typedef struct
{
  SlEndpoint *server;
  GtkWindow  *window;
  SlComposer *composer;
  GPtrArray  *sent;      /* GBytes of every ::sent */
  GError     *failed;    /* the last ::failed */
} Fixture;

static void
sent_cb (SlComposer *composer,
         GBytes     *bytes,
         Fixture    *fixture)
{
  g_ptr_array_add (fixture->sent, g_bytes_ref (bytes));
}

static void
failed_cb (SlComposer   *composer,
           const GError *error,
           Fixture      *fixture)
{
  g_clear_error (&fixture->failed);
  fixture->failed = g_error_copy (error);
}

static void
fixture_set_up (Fixture    *fixture,
                SlProtocol  protocol)
{
  fixture->server = sl_ui_test_start_server (protocol, SL_IO_MODE_ASYNC);
  fixture->composer = SL_COMPOSER (sl_composer_new ());
  fixture->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_signal_connect (fixture->composer, "sent", G_CALLBACK (sent_cb), fixture);
  g_signal_connect (fixture->composer, "failed", G_CALLBACK (failed_cb), fixture);
  sl_composer_set_endpoint (fixture->composer, fixture->server);
  fixture->window = sl_ui_test_show (GTK_WIDGET (fixture->composer), 600, -1);
}

static void
fixture_tear_down (Fixture *fixture)
{
  sl_ui_test_close_window (fixture->window);
  sl_endpoint_stop (fixture->server);
  /* The composer held the only other reference. */
  sl_test_assert_finalize (fixture->server, SL_UI_TEST_WAIT_MS);
  g_ptr_array_unref (fixture->sent);
  g_clear_error (&fixture->failed);
}

static GtkWidget *
child (Fixture    *fixture,
       GType       type,
       const char *text)
{
  return sl_ui_test_get (GTK_WIDGET (fixture->composer), type, text);
}

static GtkWidget *
send_button (Fixture *fixture)
{
  return child (fixture, GTK_TYPE_BUTTON, "Send");
}

static GtkWidget *
entry (Fixture *fixture)
{
  return child (fixture, GTK_TYPE_ENTRY, NULL);
}

static gboolean
can_send (Fixture *fixture)
{
  gboolean value;

  g_object_get (fixture->composer, "can-send", &value, NULL);
  return value;
}

static char *
text (Fixture *fixture)
{
  return sl_composer_get_text (fixture->composer);
}

/* Types into the entry as a user would. */
static void
type_text (Fixture    *fixture,
           const char *value)
{
  gtk_editable_set_text (GTK_EDITABLE (entry (fixture)), value);
}

/* Enter in the entry: its text widget emits ::activate, which the entry passes on. */
static void
press_enter (GtkWidget *input)
{
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (input)), "activate");
}

static void
assert_peer_receives (int         fd,
                      const char *expected,
                      gsize       len)
{
  char buffer[256];
  gsize n;

  g_assert_cmpuint (len, <, sizeof buffer);
  n = sl_test_peer_recv_all (fd, buffer, len, SL_UI_TEST_WAIT_MS);
  g_assert_cmpmem (buffer, n, expected, len);
}

/* The one status label (under the entry) with the style class @class. */
static GtkWidget *
status_label (Fixture    *fixture,
              const char *class)
{
  GtkWidget *composer = GTK_WIDGET (fixture->composer);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (GtkWidget *box = gtk_widget_get_first_child (composer); box != NULL;
       box = gtk_widget_get_next_sibling (box))
    for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL;
         c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_LABEL (c) && gtk_widget_has_css_class (c, class))
        g_ptr_array_add (labels, c);

  g_assert_cmpuint (labels->len, ==, 1);

  return g_ptr_array_index (labels, 0);
}

static void
test_composer_send_text (void)
{
  Fixture fixture = { 0 };
  int fd;
  g_autofree char *after = NULL;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);

  type_text (&fixture, "hello");
  g_assert_true (can_send (&fixture));
  g_assert_null (sl_composer_get_error_message (fixture.composer));
  sl_ui_test_click (send_button (&fixture));

  assert_peer_receives (fd, "hello", 5);
  g_assert_cmpuint (fixture.sent->len, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (fixture.sent, 0)), ==, 5);
  g_assert_null (fixture.failed);
  /* Sent: the entry is cleared for the next message. */
  after = text (&fixture);
  g_assert_cmpstr (after, ==, "");

  /* Enter in the entry sends too. */
  type_text (&fixture, "again");
  press_enter (entry (&fixture));
  assert_peer_receives (fd, "again", 5);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_composer_hex (void)
{
  Fixture fixture = { 0 };
  GtkDropDown *drop_down;
  SlEncoding encoding;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);

  /* Chosen in the drop-down as a user would. */
  drop_down = GTK_DROP_DOWN (child (&fixture, GTK_TYPE_DROP_DOWN, NULL));
  gtk_drop_down_set_selected (drop_down, SL_ENCODING_HEX);
  g_object_get (fixture.composer, "encoding", &encoding, NULL);
  g_assert_cmpint (encoding, ==, SL_ENCODING_HEX);

  type_text (&fixture, "48 69");
  g_assert_true (sl_composer_send (fixture.composer));
  assert_peer_receives (fd, "Hi", 2);

  /* Base64 sends the base64 of the text, as tutorial 000's client does. */
  sl_composer_set_encoding (fixture.composer, SL_ENCODING_BASE64);
  g_assert_cmpuint (gtk_drop_down_get_selected (drop_down), ==, SL_ENCODING_BASE64);
  type_text (&fixture, "Hi");
  g_assert_true (sl_composer_send (fixture.composer));
  assert_peer_receives (fd, "SGk=", 4);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
assert_invalid (Fixture    *fixture,
                SlEncoding  encoding,
                const char *value,
                const char *problem)
{
  GtkWidget *error_label;
  g_autofree char *kept = NULL;

  sl_composer_set_encoding (fixture->composer, encoding);
  type_text (fixture, value);

  g_assert_false (can_send (fixture));
  g_assert_nonnull (sl_composer_get_error_message (fixture->composer));
  g_assert_nonnull (strstr (sl_composer_get_error_message (fixture->composer), problem));

  error_label = status_label (fixture, "error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==,
                   sl_composer_get_error_message (fixture->composer));
  g_assert_true (gtk_widget_has_css_class (entry (fixture), "error"));
  gtk_test_accessible_assert_state (entry (fixture), GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);

  /* Nothing is sent, by the button, by Enter or by the API; the text stays to be fixed. */
  g_assert_false (gtk_widget_is_sensitive (send_button (fixture)));
  press_enter (entry (fixture));
  g_assert_false (sl_composer_send (fixture->composer));
  g_assert_cmpuint (fixture->sent->len, ==, 0);
  g_assert_null (fixture->failed);
  kept = text (fixture);
  g_assert_cmpstr (kept, ==, value);
}

static void
test_composer_invalid (void)
{
  Fixture fixture = { 0 };
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);

  assert_invalid (&fixture, SL_ENCODING_HEX, "48 6g", "Hex");
  assert_invalid (&fixture, SL_ENCODING_HEX, "486", "Hex");
  assert_invalid (&fixture, SL_ENCODING_JSON, "{\"a\": }", "JSON");
  assert_invalid (&fixture, SL_ENCODING_JSON, "[1, 2", "JSON");

  /* The same text is fine as Text: the error goes away, Send comes back. */
  sl_composer_set_encoding (fixture.composer, SL_ENCODING_TEXT);
  g_assert_true (can_send (&fixture));
  g_assert_null (sl_composer_get_error_message (fixture.composer));
  g_assert_false (gtk_widget_get_visible (status_label (&fixture, "error")));
  g_assert_false (gtk_widget_has_css_class (entry (&fixture), "error"));
  g_assert_true (gtk_widget_is_sensitive (send_button (&fixture)));

  /* Base64 encodes any text, so it is never invalid. */
  sl_composer_set_encoding (fixture.composer, SL_ENCODING_BASE64);
  type_text (&fixture, "{ not json \xe4\xbd\xa0");
  g_assert_true (can_send (&fixture));

  /* The first bytes the peer ever sees are the ones of this valid message: nothing of the
   * invalid ones went out before it. */
  sl_composer_set_encoding (fixture.composer, SL_ENCODING_HEX);
  type_text (&fixture, "6f6b");
  g_assert_true (sl_composer_send (fixture.composer));
  assert_peer_receives (fd, "ok", 2);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_composer_empty_tcp (void)
{
  Fixture fixture = { 0 };
  GtkWidget *hint;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);

  /* Even in JSON, where "" alone is no document, an empty message is b''. */
  sl_composer_set_encoding (fixture.composer, SL_ENCODING_JSON);
  type_text (&fixture, "");
  g_assert_true (can_send (&fixture));
  g_assert_true (gtk_widget_is_sensitive (send_button (&fixture)));
  hint = status_label (&fixture, "dim-label");
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==,
                   "An empty send() puts no bytes on the wire: the peer’s recv() keeps waiting.");

  g_assert_true (sl_composer_send (fixture.composer));
  g_assert_cmpuint (fixture.sent->len, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (fixture.sent, 0)), ==, 0);

  /* The hint is about empty messages only. */
  type_text (&fixture, "1");
  g_assert_false (gtk_widget_get_visible (hint));

  /* The empty send put nothing on the wire: the first byte the peer reads is this one. */
  g_assert_true (sl_composer_send (fixture.composer));
  assert_peer_receives (fd, "1", 1);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_composer_empty_udp (void)
{
  Fixture fixture = { 0 };
  GtkWidget *hint;
  char buffer[16];
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_UDP);
  fd = sl_ui_test_udp_peer (fixture.server, "hello");
  /* The tutorials' server answers in upper case. */
  g_assert_cmpint (sl_test_peer_recvfrom (fd, buffer, sizeof buffer, NULL, SL_UI_TEST_WAIT_MS),
                   ==, 5);
  g_assert_cmpmem (buffer, 5, "HELLO", 5);

  hint = status_label (&fixture, "dim-label");
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==,
                   "An empty datagram is a real message: the peer’s recvfrom() returns b''.");

  /* The empty datagram really arrives, as a message of 0 bytes. */
  g_assert_true (sl_composer_send (fixture.composer));
  g_assert_cmpint (sl_test_peer_recvfrom (fd, buffer, sizeof buffer, NULL, SL_UI_TEST_WAIT_MS),
                   ==, 0);

  close (fd);
  fixture_tear_down (&fixture);
}

static void
assert_text (Fixture    *fixture,
             const char *expected)
{
  g_autofree char *value = text (fixture);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_composer_history (void)
{
  Fixture fixture = { 0 };
  GtkWidget *input;
  char buffer[1024];
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);
  input = entry (&fixture);

  /* Nothing sent yet: Up has nothing to recall. */
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Up, 0));
  assert_text (&fixture, "");

  for (guint i = 0; i < 4; i++)
    {
      const char *messages[] = { "one", "two", "two", "three" };

      type_text (&fixture, messages[i]);
      press_enter (input);
    }
  g_assert_cmpuint (fixture.sent->len, ==, 4);
  g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, 14, SL_UI_TEST_WAIT_MS), ==, 14);

  type_text (&fixture, "draft");
  /* Most recent first; "two" twice in a row is remembered once. */
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Up, 0));
  assert_text (&fixture, "three");
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Up, 0));
  assert_text (&fixture, "two");
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Up, 0));
  assert_text (&fixture, "one");
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Up, 0));
  assert_text (&fixture, "one");
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Down, 0));
  assert_text (&fixture, "two");
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Down, 0));
  assert_text (&fixture, "three");
  /* Down past the newest brings back what was being typed. */
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Down, 0));
  assert_text (&fixture, "draft");
  g_assert_true (sl_ui_test_press_key (input, GDK_KEY_Down, 0));
  assert_text (&fixture, "draft");

  /* Other keys are left to the entry. */
  g_assert_false (sl_ui_test_press_key (input, GDK_KEY_a, 0));

  /* Sending a recalled message makes it the newest again. */
  sl_composer_history_previous (fixture.composer);
  sl_composer_history_previous (fixture.composer);
  assert_text (&fixture, "two");
  g_assert_true (sl_composer_send (fixture.composer));
  sl_composer_history_previous (fixture.composer);
  assert_text (&fixture, "two");
  sl_composer_history_previous (fixture.composer);
  assert_text (&fixture, "three");

  /* The history keeps the last 100 messages. */
  sl_composer_set_text (fixture.composer, "");
  for (guint i = 0; i < 105; i++)
    {
      g_autofree char *message = g_strdup_printf ("m%03u", i);

      sl_composer_set_text (fixture.composer, message);
      g_assert_true (sl_composer_send (fixture.composer));
      /* Drain the peer so the server never has to queue. */
      g_assert_cmpuint (sl_test_peer_recv_all (fd, buffer, 4, SL_UI_TEST_WAIT_MS), ==, 4);
    }
  for (guint i = 0; i < 120; i++)
    sl_composer_history_previous (fixture.composer);
  assert_text (&fixture, "m005");

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_composer_multi_line (void)
{
  Fixture fixture = { 0 };
  GtkWidget *toggle;
  GtkWidget *text_view;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  gboolean multi_line;
  int fd;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd = sl_ui_test_peer_connect (fixture.server);
  toggle = child (&fixture, GTK_TYPE_TOGGLE_BUTTON, "Multi-line");
  text_view = child (&fixture, GTK_TYPE_TEXT_VIEW, NULL);
  g_assert_false (gtk_widget_get_mapped (text_view));

  type_text (&fixture, "first");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  g_object_get (fixture.composer, "multi-line", &multi_line, NULL);
  g_assert_true (multi_line);
  g_assert_true (sl_ui_test_wait_mapped (text_view, TRUE, SL_UI_TEST_WAIT_MS));
  /* The text moved into the text view. */
  assert_text (&fixture, "first");

  /* Enter alone is the text view's: it starts a new line. Ctrl+Enter sends. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view));
  gtk_text_buffer_set_text (buffer, "line 1", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  g_assert_true (sl_ui_test_press_key (text_view, GDK_KEY_Return, 0));
  gtk_text_buffer_insert_at_cursor (buffer, "line 2", -1);
  assert_text (&fixture, "line 1\nline 2");
  g_assert_cmpuint (fixture.sent->len, ==, 0);
  g_assert_true (sl_ui_test_press_key (text_view, GDK_KEY_Return, GDK_CONTROL_MASK));
  assert_peer_receives (fd, "line 1\nline 2", 13);
  assert_text (&fixture, "");

  /* Invalid JSON is caught in the text view too. */
  sl_composer_set_encoding (fixture.composer, SL_ENCODING_JSON);
  sl_composer_set_text (fixture.composer, "{\n  \"a\": 1,\n}");
  g_assert_false (can_send (&fixture));
  g_assert_true (sl_ui_test_press_key (text_view, GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_cmpuint (fixture.sent->len, ==, 1);

  /* Back to one line, with the text. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  g_assert_true (sl_ui_test_wait_mapped (entry (&fixture), TRUE, SL_UI_TEST_WAIT_MS));
  assert_text (&fixture, "{\n  \"a\": 1,\n}");
  g_assert_false (can_send (&fixture));

  close (fd);
  fixture_tear_down (&fixture);
}

static void
test_composer_send_to_all (void)
{
  Fixture fixture = { 0 };
  GtkWidget *check;
  gboolean to_all;
  int fd1, fd2;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  fd1 = sl_ui_test_peer_connect (fixture.server);
  fd2 = sl_ui_test_peer_connect (fixture.server);

  check = child (&fixture, GTK_TYPE_CHECK_BUTTON, "all clients");
  g_assert_true (gtk_widget_get_visible (check));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_object_get (fixture.composer, "send-to-all", &to_all, NULL);
  g_assert_true (to_all);

  type_text (&fixture, "to everyone");
  sl_ui_test_click (send_button (&fixture));
  assert_peer_receives (fd1, "to everyone", 11);
  assert_peer_receives (fd2, "to everyone", 11);

  /* Without it, the target is the connection set (here the second). */
  g_object_set (fixture.composer, "send-to-all", FALSE, NULL);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  {
    g_autoptr(SlConnection) second =
      g_list_model_get_item (sl_endpoint_get_connections (fixture.server), 1);

    sl_composer_set_connection (fixture.composer, second);
  }
  type_text (&fixture, "you");
  g_assert_true (sl_composer_send (fixture.composer));
  assert_peer_receives (fd2, "you", 3);
  /* And to the first when none is set. */
  sl_composer_set_connection (fixture.composer, NULL);
  type_text (&fixture, "first");
  g_assert_true (sl_composer_send (fixture.composer));
  assert_peer_receives (fd1, "first", 5);

  close (fd1);
  close (fd2);
  fixture_tear_down (&fixture);
}

static void
test_composer_client (void)
{
  Fixture fixture = { 0 };
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(GByteArray) received = g_byte_array_new ();

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);
  client = sl_ui_test_start_client (fixture.server, SL_IO_MODE_ASYNC);
  sl_test_collect_received (fixture.server, received);

  /* A client has one conversation: no "to all". */
  sl_composer_set_endpoint (fixture.composer, client);
  g_assert_false (gtk_widget_get_visible (child (&fixture, GTK_TYPE_CHECK_BUTTON, "all clients")));

  type_text (&fixture, "from the client");
  g_assert_true (sl_composer_send (fixture.composer));
  g_assert_true (sl_test_wait_bytes (received, 15, SL_UI_TEST_WAIT_MS));
  g_assert_cmpmem (received->data, received->len, "from the client", 15);

  sl_composer_set_endpoint (fixture.composer, fixture.server);
  sl_endpoint_stop (client);
  fixture_tear_down (&fixture);
}

static void
test_composer_failed (void)
{
  Fixture fixture = { 0 };
  int fd;
  g_autoptr(SlConnection) connection = NULL;
  g_autofree char *kept = NULL;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);

  /* Nobody connected: Send is there, and says why nothing was sent. */
  type_text (&fixture, "anyone?");
  g_assert_true (can_send (&fixture));
  sl_ui_test_click (send_button (&fixture));
  g_assert_error (fixture.failed, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (fixture.sent->len, ==, 0);
  /* The message stays, to be sent once a client is there. */
  kept = text (&fixture);
  g_assert_cmpstr (kept, ==, "anyone?");

  g_clear_error (&fixture.failed);
  g_object_set (fixture.composer, "send-to-all", TRUE, NULL);
  g_assert_false (sl_composer_send (fixture.composer));
  g_assert_error (fixture.failed, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_object_set (fixture.composer, "send-to-all", FALSE, NULL);

  /* A connection that was closed meanwhile. */
  fd = sl_ui_test_peer_connect (fixture.server);
  connection = g_list_model_get_item (sl_endpoint_get_connections (fixture.server), 0);
  sl_composer_set_connection (fixture.composer, connection);
  g_assert_true (sl_connection_close (connection, NULL));
  g_clear_error (&fixture.failed);
  g_assert_false (sl_composer_send (fixture.composer));
  g_assert_error (fixture.failed, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_assert_cmpuint (fixture.sent->len, ==, 0);

  close (fd);
  sl_composer_set_connection (fixture.composer, NULL);
  fixture_tear_down (&fixture);
}

static void
test_composer_default_encoding (void)
{
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlEndpoint) endpoint = NULL;
  SlComposer *composer;
  SlEncoding encoding;
  gboolean can_send_value;

  if (!sl_ui_test_have_display ())
    return;

  config = sl_ui_test_config (SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_IO_MODE_ASYNC, 0);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_HEX);
  endpoint = sl_endpoint_new (config, NULL);

  composer = g_object_ref_sink (SL_COMPOSER (sl_composer_new ()));
  g_object_get (composer, "encoding", &encoding, "can-send", &can_send_value, NULL);
  g_assert_cmpint (encoding, ==, SL_ENCODING_TEXT);
  /* Nothing to send with. */
  g_assert_false (can_send_value);

  sl_composer_set_endpoint (composer, endpoint);
  g_assert_true (sl_composer_get_endpoint (composer) == endpoint);
  g_object_get (composer, "encoding", &encoding, NULL);
  g_assert_cmpint (encoding, ==, SL_ENCODING_HEX);

  g_assert_finalize_object (composer);
}

static void
test_composer_accessible (void)
{
  Fixture fixture = { 0 };
  GtkWidget *toggle;
  GtkWidget *drop_down;
  GtkWidget *button;

  if (!sl_ui_test_have_display ())
    return;

  fixture_set_up (&fixture, SL_PROTOCOL_TCP);

  toggle = child (&fixture, GTK_TYPE_TOGGLE_BUTTON, "Multi-line");
  /* GTK 4.8 gives toggle buttons the button role. */
  gtk_test_accessible_assert_role (toggle, GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (toggle, GTK_ACCESSIBLE_PROPERTY_LABEL, "Multi-line");

  drop_down = child (&fixture, GTK_TYPE_DROP_DOWN, NULL);
  gtk_test_accessible_assert_property (drop_down, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Send encoding");
  g_assert_nonnull (gtk_widget_get_tooltip_text (drop_down));

  button = send_button (&fixture);
  gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, "Send");
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));

  gtk_test_accessible_assert_property (entry (&fixture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Message");
  gtk_test_accessible_assert_property (child (&fixture, GTK_TYPE_TEXT_VIEW, NULL),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Message");
  gtk_test_accessible_assert_property (child (&fixture, GTK_TYPE_CHECK_BUTTON, "all clients"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "To all clients");

  /* Focusing the composer puts the cursor in the message. */
  gtk_widget_grab_focus (GTK_WIDGET (fixture.composer));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture.window)),
                                         entry (&fixture)) ||
                 gtk_root_get_focus (GTK_ROOT (fixture.window)) == entry (&fixture));

  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

  g_test_add_func ("/composer/send-text", test_composer_send_text);
  g_test_add_func ("/composer/hex-and-base64", test_composer_hex);
  g_test_add_func ("/composer/invalid", test_composer_invalid);
  g_test_add_func ("/composer/empty-tcp", test_composer_empty_tcp);
  g_test_add_func ("/composer/empty-udp", test_composer_empty_udp);
  g_test_add_func ("/composer/history", test_composer_history);
  g_test_add_func ("/composer/multi-line", test_composer_multi_line);
  g_test_add_func ("/composer/send-to-all", test_composer_send_to_all);
  g_test_add_func ("/composer/client", test_composer_client);
  g_test_add_func ("/composer/failed", test_composer_failed);
  g_test_add_func ("/composer/default-encoding", test_composer_default_encoding);
  g_test_add_func ("/composer/accessible", test_composer_accessible);

  return g_test_run ();
}
