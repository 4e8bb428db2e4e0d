/* test-form.c — the new endpoint form and its dialog, driven through their real rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>

#include "sl-application.h"
#include "sl-endpoint-form.h"
#include "sl-new-endpoint-dialog.h"

/* Generous bounds: they only stop a broken test from hanging. */
#define WAIT_MS 10000

static gboolean display_ok;

static gboolean
have_display (void)
{
  if (display_ok)
    return TRUE;

  g_test_skip ("No X display (run the tests under xvfb-run)");
  return FALSE;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* Iterates the default main context until @condition (@data) holds or WAIT_MS pass. */
static gboolean
wait_until (gboolean (*condition) (gpointer data),
            gpointer   data)
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static void
pump (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Finding the real widgets, as a user sees them: rows by title, buttons by label */

typedef gboolean (*WidgetMatch) (GtkWidget  *widget,
                                 const char *text);

static GtkWidget *
find_widget (GtkWidget   *root,
             WidgetMatch  match,
             const char  *text)
{
  if (match (root, text))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
row_titled (GtkWidget  *widget,
            const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
button_labelled (GtkWidget  *widget,
                 const char *label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                              label) == 0;
}

static gboolean
is_window_title (GtkWidget  *widget,
                 const char *unused)
{
  return ADW_IS_WINDOW_TITLE (widget);
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = find_widget (root, row_titled, title);

  if (found == NULL)
    g_error ("No row titled “%s”", title);

  return found;
}

static GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  GtkWidget *found = find_widget (root, button_labelled, label);

  if (found == NULL)
    g_error ("No button labelled “%s”", label);

  return found;
}

static GtkWidget *
switch_of (GtkWidget  *root,
           const char *title)
{
  GtkWidget *sw = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row (root, title)));

  g_assert_true (GTK_IS_SWITCH (sw));
  return sw;
}

/* TRUE if the row (and every container up to the window) is shown. */
static gboolean
shown (GtkWidget  *root,
       const char *title)
{
  return gtk_widget_is_visible (row (root, title));
}

/* What a user does */

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *entry = row (root, title);

  g_assert_true (ADW_IS_ENTRY_ROW (entry));
  g_assert_true (gtk_widget_is_visible (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  pump ();
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *widget = button (root, label);

  g_assert_true (gtk_widget_is_sensitive (widget));
  g_assert_true (gtk_widget_is_visible (widget));
  /* What a click ends in (gtk_widget_activate() would wait for a timeout first). */
  g_signal_emit_by_name (widget, "clicked");
  pump ();
}

static gboolean
switch_is_cb (gpointer data)
{
  GtkSwitch *sw = data;

  return gtk_switch_get_active (sw) ==
         GPOINTER_TO_INT (g_object_get_data (G_OBJECT (sw), "sl-test-want"));
}

/* Activates the switch of a row, as a click or the space key would. */
static void
flip (GtkWidget  *root,
      const char *title)
{
  GtkWidget *sw = switch_of (root, title);

  g_object_set_data (G_OBJECT (sw), "sl-test-want",
                     GINT_TO_POINTER (!gtk_switch_get_active (GTK_SWITCH (sw))));
  gtk_widget_activate (sw);
  /* The switch slides over before its state changes. */
  g_assert_true (wait_until (switch_is_cb, sw));
}

/* Picks the choice whose text is @choice in a combo row. */
static void
choose (GtkWidget  *root,
        const char *title,
        const char *choice)
{
  AdwComboRow *combo = ADW_COMBO_ROW (row (root, title));
  GListModel *model = adw_combo_row_get_model (combo);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), choice))
        {
          adw_combo_row_set_selected (combo, i);
          pump ();
          return;
        }
    }

  g_error ("Combo row “%s” has no choice “%s”", title, choice);
}

/* The message shown under an entry row: the label of the row that follows it. */
static const char *
inline_message (GtkWidget  *root,
                const char *title,
                gboolean   *is_error)
{
  GtkWidget *entry = row (root, title);
  GtkWidget *help = gtk_widget_get_next_sibling (entry);
  GtkWidget *label;

  g_assert_true (ADW_IS_PREFERENCES_ROW (help));
  g_assert_true (gtk_widget_is_visible (help));
  label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (help));
  g_assert_true (GTK_IS_LABEL (label));

  *is_error = gtk_widget_has_css_class (label, "error");
  /* The field itself says so too, not only its message. */
  g_assert_cmpint (gtk_widget_has_css_class (entry, "error"), ==, *is_error);

  return gtk_label_get_text (GTK_LABEL (label));
}

/* A form in a window */

typedef struct
{
  GtkWindow      *window;
  SlEndpointForm *form;
  GtkWidget      *root;  /* = form */
} Fixture;

static gboolean
drawn_cb (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!display_ok)
    return;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 560, 900);
  fixture->form = SL_ENDPOINT_FORM (sl_endpoint_form_new ());
  fixture->root = GTK_WIDGET (fixture->form);
  g_object_ref (fixture->form);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->form));
  gtk_window_present (fixture->window);
  g_assert_true (wait_until (drawn_cb, fixture->form));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  SlEndpointConfig *config;

  if (!display_ok)
    return;

  config = g_object_ref (sl_endpoint_form_get_config (fixture->form));
  gtk_window_destroy (fixture->window);
  pump ();

  /* The form and its config are released with the window. */
  g_assert_finalize_object (fixture->form);
  g_assert_finalize_object (config);
}

/* Defaults */

static void
test_form_defaults (Fixture       *fixture,
                    gconstpointer  data)
{
  SlEndpointConfig *config;
  GtkWidget *root = fixture->root;
  gboolean is_error = TRUE;

  if (!have_display ())
    return;

  config = sl_endpoint_form_get_config (fixture->form);
  g_assert_nonnull (config);

  /* The tutorials' server: TCP on 127.0.0.1:8888, listen(5), recv(1024), uppercase reply. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Host"))), ==, "127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Port"))), ==, "8888");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Backlog"))), ==, "5");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Buffer Size"))), ==, "1024");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "Server"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "TCP"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "IPv4"))));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (root, "Automatic Reply"))),
                    ==, SL_REPLY_UPPER);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (root, "I/O Mode"))),
                    ==, SL_IO_MODE_ASYNC);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (switch_of (root,
                                                                "Reuse Address (SO_REUSEADDR)"))));

  g_assert_true (sl_endpoint_form_get_valid (fixture->form));
  g_assert_null (sl_endpoint_form_get_error_message (fixture->form));

  /* Each field has its help line. */
  assert_contains (inline_message (root, "Backlog", &is_error), "listen(5)");
  g_assert_false (is_error);
  assert_contains (inline_message (root, "Buffer Size", &is_error), "recv(1024)");
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (root, "Automatic Reply"))),
                   "capitals");
}

/* One case per bad field */

typedef struct
{
  const char    *name;
  void         (*prepare) (GtkWidget *root);  /* makes the field appear */
  const char    *title;                       /* of the entry row */
  SlConfigField  field;
  const char    *bad;
  const char    *expected;                    /* in the message */
  const char    *good;
} BadField;

static void
prepare_unix (GtkWidget *root)
{
  click (root, "Unix");
}

static void
prepare_client (GtkWidget *root)
{
  click (root, "Client");
}

static void
prepare_timeout_mode (GtkWidget *root)
{
  choose (root, "I/O Mode", "Timeout");
}

static void
prepare_fixed_hex (GtkWidget *root)
{
  choose (root, "Message Encoding", "Hex");
  choose (root, "Automatic Reply", "Fixed Text");
}

static char long_path[201];

static const BadField bad_fields[] = {
  { "port-out-of-range", NULL, "Port", SL_CONFIG_FIELD_PORT, "70000", "“70000”", "9000" },
  { "port-not-a-number", NULL, "Port", SL_CONFIG_FIELD_PORT, "abc", "“abc”", "8888" },
  { "port-negative", NULL, "Port", SL_CONFIG_FIELD_PORT, "-1", "“-1”", "0" },
  { "port-huge", NULL, "Port", SL_CONFIG_FIELD_PORT, "99999999999", "“99999999999”", "1" },
  { "host-empty", NULL, "Host", SL_CONFIG_FIELD_HOST, "", "empty", "localhost" },
  { "host-syntax", NULL, "Host", SL_CONFIG_FIELD_HOST, "no such host", "“no such host”",
    "127.0.0.1" },
  { "host-wrong-family", NULL, "Host", SL_CONFIG_FIELD_HOST, "::1", "“::1”", "127.0.0.2" },
  { "path-empty", prepare_unix, "Socket File", SL_CONFIG_FIELD_PATH, "", "empty",
    "/tmp/socket-lab-test-form.sock" },
  { "path-too-long", prepare_unix, "Socket File", SL_CONFIG_FIELD_PATH, long_path, long_path,
    "/tmp/socket-lab-test-form.sock" },
  { "backlog-zero", NULL, "Backlog", SL_CONFIG_FIELD_BACKLOG, "0", "“0”", "5" },
  { "backlog-not-a-number", NULL, "Backlog", SL_CONFIG_FIELD_BACKLOG, "five", "“five”", "5" },
  { "backlog-empty", NULL, "Backlog", SL_CONFIG_FIELD_BACKLOG, "", "Backlog is empty", "1" },
  { "bufsize-zero", NULL, "Buffer Size", SL_CONFIG_FIELD_BUFSIZE, "0", "“0”", "1024" },
  { "bufsize-too-big", NULL, "Buffer Size", SL_CONFIG_FIELD_BUFSIZE, "16777217", "“16777217”",
    "16777216" },
  { "max-clients-negative", NULL, "Maximum Clients", SL_CONFIG_FIELD_MAX_CLIENTS, "-3", "“-3”",
    "" },
  { "timeout-zero", prepare_timeout_mode, "Timeout", SL_CONFIG_FIELD_TIMEOUT, "0", "“0”", "2.5" },
  { "timeout-not-a-number", prepare_timeout_mode, "Timeout", SL_CONFIG_FIELD_TIMEOUT, "soon",
    "“soon”", "0,5" },
  { "connect-timeout-too-long", prepare_client, "Connect Timeout",
    SL_CONFIG_FIELD_CONNECT_TIMEOUT, "601", "“601”", "600" },
  { "local-port-out-of-range", prepare_client, "Local Port (optional)",
    SL_CONFIG_FIELD_LOCAL_PORT, "65536", "“65536”", "" },
  { "local-port-not-a-number", prepare_client, "Local Port (optional)",
    SL_CONFIG_FIELD_LOCAL_PORT, "x1", "“x1”", "40000" },
  { "local-host-syntax", prepare_client, "Local Host (optional)", SL_CONFIG_FIELD_LOCAL_HOST,
    "127.0.0.1:5000", "“127.0.0.1:5000”", "" },
  { "reply-invalid-hex", prepare_fixed_hex, "Reply Text", SL_CONFIG_FIELD_REPLY_TEXT, "zz",
    "“zz”", "48 69" },
  { "reply-empty", prepare_fixed_hex, "Reply Text", SL_CONFIG_FIELD_REPLY_TEXT, "", "empty",
    "4f4b" },
};

typedef struct
{
  guint count;
} NotifyCount;

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  ((NotifyCount *) user_data)->count++;
}

static void
test_form_bad_field (Fixture       *fixture,
                     gconstpointer  data)
{
  const BadField *bad = data;
  GtkWidget *root = fixture->root;
  NotifyCount valid_notifies = { 0 };
  gboolean is_error = FALSE;
  const char *shown_message;
  g_autofree char *message = NULL;

  if (!have_display ())
    return;

  if (bad->prepare != NULL)
    bad->prepare (root);
  /* From a good value (the fixed reply starts empty, which is not one). */
  type_into (root, bad->title, bad->good);

  g_assert_true (sl_endpoint_form_get_valid (fixture->form));
  g_assert_null (sl_endpoint_form_get_field_error (fixture->form, bad->field));
  g_signal_connect (fixture->form, "notify::valid", G_CALLBACK (count_cb), &valid_notifies);

  type_into (root, bad->title, bad->bad);

  /* The message is at the field, names the bad value, and blocks the form. */
  message = g_strdup (sl_endpoint_form_get_field_error (fixture->form, bad->field));
  g_test_message ("%s: %s", bad->title, message);
  g_assert_nonnull (message);
  assert_contains (message, bad->expected);
  shown_message = inline_message (root, bad->title, &is_error);
  g_assert_true (is_error);
  g_assert_cmpstr (shown_message, ==, message);
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));
  g_assert_cmpstr (sl_endpoint_form_get_error_message (fixture->form), ==, message);
  g_assert_cmpuint (valid_notifies.count, ==, 1);

  /* Fixing it restores the help line and the form. */
  type_into (root, bad->title, bad->good);
  g_assert_null (sl_endpoint_form_get_field_error (fixture->form, bad->field));
  shown_message = inline_message (root, bad->title, &is_error);
  g_assert_false (is_error);
  g_assert_cmpstr (shown_message, !=, message);
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));
  g_assert_null (sl_endpoint_form_get_error_message (fixture->form));
  g_assert_cmpuint (valid_notifies.count, ==, 2);

  g_signal_handlers_disconnect_by_func (fixture->form, count_cb, &valid_notifies);
}

/* What is typed reaches the config, and the config reaches the rows */

static void
test_form_edits_config (Fixture       *fixture,
                        gconstpointer  data)
{
  SlEndpointConfig *config;
  GtkWidget *root = fixture->root;

  if (!have_display ())
    return;

  config = sl_endpoint_form_get_config (fixture->form);

  type_into (root, "Port", "9999");
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 9999);
  type_into (root, "Host", "localhost");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "localhost");
  type_into (root, "Backlog", " 12 ");
  g_assert_cmpint (sl_endpoint_config_get_backlog (config), ==, 12);
  /* What was typed stays as typed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Backlog"))), ==, " 12 ");
  type_into (root, "Buffer Size", "4096");
  g_assert_cmpint (sl_endpoint_config_get_bufsize (config), ==, 4096);
  type_into (root, "Maximum Clients", "3");
  g_assert_cmpint (sl_endpoint_config_get_max_clients (config), ==, 3);
  flip (root, "Reuse Address (SO_REUSEADDR)");
  g_assert_true (sl_endpoint_config_get_reuseaddr (config));
  flip (root, "Close When the Peer Closes");
  g_assert_false (sl_endpoint_config_get_close_on_eof (config));

  choose (root, "I/O Mode", "Timeout");
  g_assert_cmpint (sl_endpoint_config_get_io_mode (config), ==, SL_IO_MODE_TIMEOUT);
  type_into (root, "Timeout", "2,5");
  g_assert_cmpfloat (sl_endpoint_config_get_timeout (config), ==, 2.5);
  choose (root, "Automatic Reply", "Echo");
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (config), ==, SL_REPLY_ECHO);
  choose (root, "Message Encoding", "JSON");
  g_assert_cmpint (sl_endpoint_config_get_encoding (config), ==, SL_ENCODING_JSON);

  click (root, "UDP");
  g_assert_cmpint (sl_endpoint_config_get_protocol (config), ==, SL_PROTOCOL_UDP);
  click (root, "IPv6");
  g_assert_cmpint (sl_endpoint_config_get_family (config), ==, SL_FAMILY_IPV6);

  /* A client: it types its messages itself (an automatic reply would ping-pong). */
  click (root, "Client");
  g_assert_cmpint (sl_endpoint_config_get_role (config), ==, SL_ROLE_CLIENT);
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (config), ==, SL_REPLY_NONE);
  type_into (root, "Local Host (optional)", "::1");
  g_assert_cmpstr (sl_endpoint_config_get_local_host (config), ==, "::1");
  type_into (root, "Local Host (optional)", "");
  g_assert_null (sl_endpoint_config_get_local_host (config));
  type_into (root, "Local Port (optional)", "40000");
  g_assert_cmpint (sl_endpoint_config_get_local_port (config), ==, 40000);
  type_into (root, "Local Port (optional)", "");
  g_assert_cmpint (sl_endpoint_config_get_local_port (config), ==, 0);
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  /* Changes made to the config show in the rows. */
  g_object_set (config,
                "role", SL_ROLE_SERVER,
                "protocol", SL_PROTOCOL_TCP,
                "family", SL_FAMILY_IPV4,
                "host", "10.1.2.3",
                "port", 1234,
                "bufsize", 64,
                "reuseaddr", FALSE,
                "io-mode", SL_IO_MODE_BLOCKING,
                "reply-mode", SL_REPLY_FIXED,
                "reply-text", "ok",
                "encoding", SL_ENCODING_TEXT,
                NULL);
  pump ();
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "Server"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "TCP"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "IPv4"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Host"))), ==, "10.1.2.3");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Port"))), ==, "1234");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Buffer Size"))), ==, "64");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Reply Text"))), ==, "ok");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (switch_of (root,
                                                                "Reuse Address (SO_REUSEADDR)"))));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (root, "I/O Mode"))), ==,
                    SL_IO_MODE_BLOCKING);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (root, "Automatic Reply"))),
                    ==, SL_REPLY_FIXED);
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));
}

/* A new config replaces the old one entirely, including text that did not parse. */
static void
test_form_set_config (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SlEndpointConfig) other = sl_endpoint_config_new ();
  SlEndpointConfig *old;
  GtkWidget *root = fixture->root;
  gboolean is_error = TRUE;

  if (!have_display ())
    return;

  old = g_object_ref (sl_endpoint_form_get_config (fixture->form));
  type_into (root, "Port", "abc");
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));

  sl_endpoint_config_set_port (other, 7000);
  sl_endpoint_form_set_config (fixture->form, other);
  g_assert_true (sl_endpoint_form_get_config (fixture->form) == other);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Port"))), ==, "7000");
  inline_message (root, "Port", &is_error);
  g_assert_false (is_error);
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  /* The old config is let go, and no longer drives the form. */
  sl_endpoint_config_set_port (old, 1);
  pump ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Port"))), ==, "7000");
  g_assert_finalize_object (old);

  /* A config that is invalid from the start shows its problem at once. */
  {
    g_autoptr(SlEndpointConfig) invalid = sl_endpoint_config_new ();

    sl_endpoint_config_set_backlog (invalid, -2);
    sl_endpoint_form_set_config (fixture->form, invalid);
    g_assert_false (sl_endpoint_form_get_valid (fixture->form));
    assert_contains (sl_endpoint_form_get_field_error (fixture->form, SL_CONFIG_FIELD_BACKLOG),
                     "“-2”");
    assert_contains (sl_endpoint_form_get_error_message (fixture->form), "Backlog");
    sl_endpoint_form_set_config (fixture->form, other);
  }
}

/* Rows that do not apply are hidden */

typedef struct
{
  const char *title;
  gboolean    shown;
} Expect;

static void
assert_rows (GtkWidget    *root,
             const Expect *expect,
             guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      if (shown (root, expect[i].title) != expect[i].shown)
        g_error ("Row “%s” should be %s", expect[i].title,
                 expect[i].shown ? "shown" : "hidden");
    }
}

static void
test_form_visibility (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *root = fixture->root;
  static const Expect tcp_server[] = {
    { "Host", TRUE }, { "Port", TRUE }, { "Socket File", FALSE },
    { "Backlog", TRUE }, { "Maximum Clients", TRUE }, { "Reuse Address (SO_REUSEADDR)", TRUE },
    { "Local Host (optional)", FALSE }, { "Local Port (optional)", FALSE },
    { "Connect Timeout", FALSE }, { "Timeout", FALSE }, { "Reply Text", FALSE },
    { "Close When the Peer Closes", TRUE }, { "Buffer Size", TRUE }, { "I/O Mode", TRUE },
    { "Automatic Reply", TRUE }, { "Message Encoding", TRUE },
  };
  static const Expect tcp_client[] = {
    { "Host", TRUE }, { "Port", TRUE }, { "Socket File", FALSE },
    { "Backlog", FALSE }, { "Maximum Clients", FALSE }, { "Reuse Address (SO_REUSEADDR)", FALSE },
    { "Local Host (optional)", TRUE }, { "Local Port (optional)", TRUE },
    { "Connect Timeout", TRUE }, { "Close When the Peer Closes", TRUE },
  };
  static const Expect udp_client[] = {
    { "Backlog", FALSE }, { "Maximum Clients", FALSE }, { "Connect Timeout", FALSE },
    { "Local Host (optional)", TRUE }, { "Local Port (optional)", TRUE },
    { "Close When the Peer Closes", FALSE }, { "Buffer Size", TRUE },
  };
  static const Expect udp_server[] = {
    { "Backlog", FALSE }, { "Maximum Clients", FALSE }, { "Connect Timeout", FALSE },
    { "Reuse Address (SO_REUSEADDR)", TRUE }, { "Local Host (optional)", FALSE },
    { "Close When the Peer Closes", FALSE },
  };
  static const Expect unix_udp_server[] = {
    { "Host", FALSE }, { "Port", FALSE }, { "Socket File", TRUE }, { "Backlog", FALSE },
    { "Reuse Address (SO_REUSEADDR)", FALSE },
  };
  static const Expect unix_tcp_server[] = {
    { "Host", FALSE }, { "Port", FALSE }, { "Socket File", TRUE }, { "Backlog", TRUE },
    { "Maximum Clients", TRUE }, { "Reuse Address (SO_REUSEADDR)", FALSE },
  };
  static const Expect unix_tcp_client[] = {
    { "Socket File", TRUE }, { "Local Host (optional)", FALSE },
    { "Local Port (optional)", FALSE }, { "Connect Timeout", TRUE }, { "Backlog", FALSE },
  };
  static const Expect timeout_fixed[] = {
    { "Timeout", TRUE }, { "Reply Text", TRUE },
  };

  if (!have_display ())
    return;

  assert_rows (root, tcp_server, G_N_ELEMENTS (tcp_server));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                     gtk_widget_get_ancestor (row (root, "Host"), ADW_TYPE_PREFERENCES_GROUP))),
                   ==, "Address");

  click (root, "Client");
  assert_rows (root, tcp_client, G_N_ELEMENTS (tcp_client));
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (
                     gtk_widget_get_ancestor (row (root, "Host"), ADW_TYPE_PREFERENCES_GROUP))),
                   ==, "Server Address");
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (root, "Role"))),
                   "connect()");

  click (root, "UDP");
  assert_rows (root, udp_client, G_N_ELEMENTS (udp_client));
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (root, "Protocol"))),
                   "SOCK_DGRAM");

  click (root, "Server");
  assert_rows (root, udp_server, G_N_ELEMENTS (udp_server));

  click (root, "Unix");
  assert_rows (root, unix_udp_server, G_N_ELEMENTS (unix_udp_server));
  /* The server group has nothing left to show for a Unix datagram server. */
  g_assert_false (gtk_widget_is_visible (gtk_widget_get_ancestor (row (root, "Backlog"),
                                                                  ADW_TYPE_PREFERENCES_GROUP)));
  /* A path to start from, so the form stays valid. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Socket File"))), !=, "");
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  click (root, "TCP");
  assert_rows (root, unix_tcp_server, G_N_ELEMENTS (unix_tcp_server));

  click (root, "Client");
  assert_rows (root, unix_tcp_client, G_N_ELEMENTS (unix_tcp_client));

  choose (root, "I/O Mode", "Timeout");
  choose (root, "Automatic Reply", "Fixed Text");
  assert_rows (root, timeout_fixed, G_N_ELEMENTS (timeout_fixed));
  choose (root, "I/O Mode", "Non-blocking");
  g_assert_false (shown (root, "Timeout"));
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (root, "I/O Mode"))),
                   "EAGAIN");
  choose (root, "Automatic Reply", "None");
  g_assert_false (shown (root, "Reply Text"));
}

/* A field that does not apply never blocks the form. */
static void
test_form_hidden_field_ignored (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWidget *root = fixture->root;
  gboolean is_error = FALSE;

  if (!have_display ())
    return;

  type_into (root, "Backlog", "lots");
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));

  click (root, "Client");
  g_assert_false (shown (root, "Backlog"));
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  /* Back to a server: the text is still there, and so is its message. */
  click (root, "Server");
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));
  assert_contains (inline_message (root, "Backlog", &is_error), "“lots”");
  g_assert_true (is_error);
}

/* Family switches carry "this computer" over */

static void
test_form_family_switch (Fixture       *fixture,
                         gconstpointer  data)
{
  SlEndpointConfig *config;
  GtkWidget *root = fixture->root;

  if (!have_display ())
    return;

  config = sl_endpoint_form_get_config (fixture->form);

  click (root, "IPv6");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "::1");
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));
  click (root, "IPv4");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1");

  type_into (root, "Host", "0.0.0.0");
  click (root, "IPv6");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "::");

  /* A name is kept as it is. */
  type_into (root, "Host", "localhost");
  click (root, "IPv4");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "localhost");
}

/* 0.0.0.0 and :: are reachable from the network */

static void
test_form_any_address_warning (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *root = fixture->root;
  GtkWidget *warning;

  if (!have_display ())
    return;

  warning = row (root, "Other machines on the network can connect to this server.");
  g_assert_true (gtk_widget_has_css_class (warning, "warning"));
  g_assert_false (gtk_widget_is_visible (warning));

  type_into (root, "Host", "0.0.0.0");
  g_assert_true (gtk_widget_is_visible (warning));
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (warning)),
                   "Use 127.0.0.1 to keep it on this computer.");
  /* A warning, not an error: the server may start. */
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  type_into (root, "Host", "127.0.0.1");
  g_assert_false (gtk_widget_is_visible (warning));

  click (root, "IPv6");
  type_into (root, "Host", "::");
  g_assert_true (gtk_widget_is_visible (warning));
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (warning)), "::1");

  /* A client connecting to :: exposes nothing. */
  click (root, "Client");
  g_assert_false (gtk_widget_is_visible (warning));
  click (root, "Server");
  g_assert_true (gtk_widget_is_visible (warning));

  /* One click keeps the server on this computer. */
  click (root, "Keep Local");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Host"))), ==, "::1");
  g_assert_false (gtk_widget_is_visible (warning));

  type_into (root, "Host", "::");
  g_assert_true (gtk_widget_is_visible (warning));
  click (root, "Unix");
  g_assert_false (gtk_widget_is_visible (warning));
}

/* Accessible names */

static void
test_form_accessible (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *root = fixture->root;
  static const char * const entries[] = {
    "Host", "Port", "Socket File", "Backlog", "Maximum Clients", "Local Host (optional)",
    "Local Port (optional)", "Connect Timeout", "Timeout", "Buffer Size", "Reply Text",
  };
  static const char * const combos[] = { "I/O Mode", "Automatic Reply", "Message Encoding" };
  static const char * const switches[] = {
    "Reuse Address (SO_REUSEADDR)", "Close When the Peer Closes",
  };
  static const char * const toggles[] = {
    "Server", "Client", "TCP", "UDP", "IPv4", "IPv6", "Unix",
  };

  if (!have_display ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GtkWidget *entry = row (root, entries[i]);

      gtk_test_accessible_assert_role (entry, GTK_ACCESSIBLE_ROLE_TEXT_BOX);
      gtk_test_accessible_assert_property (entry, GTK_ACCESSIBLE_PROPERTY_LABEL, entries[i]);
      g_assert_nonnull (gtk_widget_get_tooltip_text (entry));
      /* The help line (or the error) is the description. */
      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (entry),
                                                       GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));
    }

  for (guint i = 0; i < G_N_ELEMENTS (combos); i++)
    {
      GtkWidget *combo = row (root, combos[i]);

      gtk_test_accessible_assert_role (combo, GTK_ACCESSIBLE_ROLE_COMBO_BOX);
      gtk_test_accessible_assert_property (combo, GTK_ACCESSIBLE_PROPERTY_LABEL, combos[i]);
      g_assert_nonnull (gtk_widget_get_tooltip_text (combo));
    }

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    {
      GtkWidget *sw = switch_of (root, switches[i]);

      gtk_test_accessible_assert_property (sw, GTK_ACCESSIBLE_PROPERTY_LABEL, switches[i]);
      g_assert_nonnull (gtk_widget_get_tooltip_text (sw));
    }

  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    {
      GtkWidget *toggle = button (root, toggles[i]);

      gtk_test_accessible_assert_property (toggle, GTK_ACCESSIBLE_PROPERTY_LABEL, toggles[i]);
      g_assert_nonnull (gtk_widget_get_tooltip_text (toggle));
    }

  gtk_test_accessible_assert_property (button (root, "Keep Local"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Keep Local");

  /* An error becomes the field's description, so a screen reader reads it. */
  type_into (root, "Port", "70000");
  gtk_test_accessible_assert_property (row (root, "Port"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       sl_endpoint_form_get_field_error (fixture->form,
                                                                         SL_CONFIG_FIELD_PORT));
}

/* The dialog */

typedef struct
{
  guint             count;
  SlEndpointConfig *config;
} Created;

static void
create_cb (SlNewEndpointDialog *dialog,
           SlEndpointConfig    *config,
           Created             *created)
{
  created->count++;
  g_set_object (&created->config, config);
}

static gboolean
finalized_cb (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closes (or expects closed) @dialog and waits until it is finalized. */
static void
assert_dialog_gone (SlNewEndpointDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_object_unref (dialog);
  g_assert_true (wait_until (finalized_cb, &weak));
}

static SlNewEndpointDialog *
open_dialog (GtkWindow        *parent,
             GSettings        *settings,
             SlEndpointConfig *initial)
{
  SlNewEndpointDialog *dialog = sl_new_endpoint_dialog_new (parent, settings, initial);

  /* The test's own reference; GTK keeps the window alive while it is open. */
  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (wait_until (drawn_cb, dialog));

  return dialog;
}

static gboolean
closed_cb (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

static void
test_dialog_window (void)
{
  GtkWindow *parent;
  SlNewEndpointDialog *dialog;
  GtkWidget *root;
  int width = 0;
  int height = 0;
  Created created = { 0 };

  if (!have_display ())
    return;

  parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (parent);
  dialog = open_dialog (parent, NULL, NULL);
  root = GTK_WIDGET (dialog);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "New Endpoint");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == parent);
  gtk_window_get_default_size (GTK_WINDOW (dialog), &width, &height);
  g_assert_cmpint (width, ==, 560);
  g_assert_cmpint (height, ==, 720);
  g_assert_true (SL_IS_ENDPOINT_FORM (sl_new_endpoint_dialog_get_form (dialog)));
  g_assert_true (gtk_widget_has_css_class (button (root, "_Start"), "suggested-action"));
  gtk_test_accessible_assert_property (button (root, "_Start"), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Start");
  gtk_test_accessible_assert_property (button (root, "_Cancel"), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Cancel");

  /* Without settings the defaults are used, and nothing is saved. */
  g_assert_cmpint (sl_endpoint_config_get_port (sl_endpoint_form_get_config (
                     SL_ENDPOINT_FORM (sl_new_endpoint_dialog_get_form (dialog)))), ==, 8888);

  /* Cancel closes without creating anything. */
  g_signal_connect (dialog, "create", G_CALLBACK (create_cb), &created);
  click (root, "_Cancel");
  g_assert_true (wait_until (closed_cb, dialog));
  g_assert_cmpuint (created.count, ==, 0);
  assert_dialog_gone (dialog);

  gtk_window_destroy (parent);
}

/* Runs what the key @trigger (e.g. "<Control>Return") does in @widget's own shortcuts, as
 * pressing it would; FALSE when no shortcut has that trigger. */
static gboolean
press_shortcut (GtkWidget  *widget,
                const char *trigger)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger_text =
            gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (g_str_equal (trigger_text, trigger))
            {
              gboolean done = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                            GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                            widget,
                                                            gtk_shortcut_get_arguments (
                                                              shortcut));
              pump ();
              return done;
            }
        }
    }

  return FALSE;
}

static void
test_dialog_shortcuts (void)
{
  static const char * const start_keys[] = {
    "<Control>Return", "<Control>KP_Enter", "<Control>ISO_Enter",
  };
  SlNewEndpointDialog *dialog;
  Created created = { 0 };

  if (!have_display ())
    return;

  /* Escape closes without creating anything. */
  dialog = open_dialog (NULL, NULL, NULL);
  g_signal_connect (dialog, "create", G_CALLBACK (create_cb), &created);
  g_assert_true (press_shortcut (GTK_WIDGET (dialog), "Escape"));
  g_assert_true (wait_until (closed_cb, dialog));
  g_assert_cmpuint (created.count, ==, 0);
  assert_dialog_gone (dialog);

  /* Ctrl+Enter starts, from either Enter key; not while the form is invalid. */
  for (guint i = 0; i < G_N_ELEMENTS (start_keys); i++)
    {
      dialog = open_dialog (NULL, NULL, NULL);
      g_signal_connect (dialog, "create", G_CALLBACK (create_cb), &created);

      type_into (GTK_WIDGET (dialog), "Port", "");
      press_shortcut (GTK_WIDGET (dialog), start_keys[i]);
      g_assert_cmpuint (created.count, ==, i);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));

      type_into (GTK_WIDGET (dialog), "Port", "5000");
      g_assert_true (press_shortcut (GTK_WIDGET (dialog), start_keys[i]));
      g_assert_cmpuint (created.count, ==, i + 1);
      g_assert_cmpint (sl_endpoint_config_get_port (created.config), ==, 5000);
      g_assert_true (wait_until (closed_cb, dialog));
      assert_dialog_gone (dialog);
    }

  g_assert_finalize_object (created.config);
}

static void
test_dialog_start_insensitive (void)
{
  SlNewEndpointDialog *dialog;
  GtkWidget *root;
  GtkWidget *start;
  Created created = { 0 };

  if (!have_display ())
    return;

  dialog = open_dialog (NULL, NULL, NULL);
  root = GTK_WIDGET (dialog);
  start = button (root, "_Start");
  g_signal_connect (dialog, "create", G_CALLBACK (create_cb), &created);

  g_assert_true (gtk_widget_is_sensitive (start));

  type_into (root, "Port", "abc");
  g_assert_false (gtk_widget_is_sensitive (start));
  /* Its tooltip says why. */
  assert_contains (gtk_widget_get_tooltip_text (start), "“abc”");

  /* Neither the action nor the API starts an invalid endpoint. */
  gtk_widget_activate_action (root, "dialog.start", NULL);
  sl_new_endpoint_dialog_start (dialog);
  pump ();
  g_assert_cmpuint (created.count, ==, 0);
  g_assert_true (gtk_widget_get_visible (root));

  type_into (root, "Port", "8080");
  g_assert_true (gtk_widget_is_sensitive (start));

  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_cmpuint (created.count, ==, 0);
  assert_dialog_gone (dialog);
}

static void
test_dialog_start_saves (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) saved = NULL;
  SlNewEndpointDialog *dialog;
  SlEndpointConfig *form_config;
  GtkWidget *root;
  Created created = { 0 };
  const char *nick = NULL;
  gint32 port = 0;

  if (!have_display ())
    return;

  /* GSETTINGS_BACKEND=memory: the values live in this process only. */
  settings = g_settings_new (SL_SETTINGS_SCHEMA_ID);
  g_settings_reset (settings, "last-config");

  dialog = open_dialog (NULL, settings, NULL);
  root = GTK_WIDGET (dialog);
  g_signal_connect (dialog, "create", G_CALLBACK (create_cb), &created);

  /* An empty last-config: the tutorials' defaults. */
  form_config = sl_endpoint_form_get_config (SL_ENDPOINT_FORM (
                                               sl_new_endpoint_dialog_get_form (dialog)));
  g_assert_cmpint (sl_endpoint_config_get_port (form_config), ==, 8888);

  click (root, "UDP");
  click (root, "Client");
  type_into (root, "Port", "9999");
  type_into (root, "Host", "localhost");
  choose (root, "Message Encoding", "Hex");
  click (root, "_Start");

  /* ::create got a copy with what was typed, and the dialog closed. */
  g_assert_cmpuint (created.count, ==, 1);
  g_assert_nonnull (created.config);
  g_assert_true (created.config != form_config);
  g_assert_cmpint (sl_endpoint_config_get_protocol (created.config), ==, SL_PROTOCOL_UDP);
  g_assert_cmpint (sl_endpoint_config_get_role (created.config), ==, SL_ROLE_CLIENT);
  g_assert_cmpint (sl_endpoint_config_get_port (created.config), ==, 9999);
  g_assert_cmpstr (sl_endpoint_config_get_host (created.config), ==, "localhost");
  g_assert_cmpint (sl_endpoint_config_get_encoding (created.config), ==, SL_ENCODING_HEX);
  g_assert_true (wait_until (closed_cb, dialog));
  assert_dialog_gone (dialog);

  /* Saved for next time. */
  saved = g_settings_get_value (settings, "last-config");
  g_assert_true (g_variant_lookup (saved, "port", "i", &port));
  g_assert_cmpint (port, ==, 9999);
  g_assert_true (g_variant_lookup (saved, "protocol", "&s", &nick));
  g_assert_cmpstr (nick, ==, "udp");

  /* A second dialog opened without a config starts from them. */
  dialog = open_dialog (NULL, settings, NULL);
  root = GTK_WIDGET (dialog);
  form_config = sl_endpoint_form_get_config (SL_ENDPOINT_FORM (
                                               sl_new_endpoint_dialog_get_form (dialog)));
  g_assert_cmpint (sl_endpoint_config_get_port (form_config), ==, 9999);
  g_assert_cmpint (sl_endpoint_config_get_protocol (form_config), ==, SL_PROTOCOL_UDP);
  g_assert_cmpint (sl_endpoint_config_get_role (form_config), ==, SL_ROLE_CLIENT);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (root, "Port"))), ==, "9999");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button (root, "UDP"))));
  /* The title says what Start would create. */
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (
                     find_widget (root, is_window_title, NULL))),
                   ==, "UDP client localhost:9999");
  gtk_window_close (GTK_WINDOW (dialog));
  assert_dialog_gone (dialog);

  g_assert_finalize_object (created.config);
  g_settings_reset (settings, "last-config");
}

static void
test_dialog_initial (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SlEndpointConfig) initial = sl_endpoint_config_new ();
  SlNewEndpointDialog *dialog;
  SlEndpointConfig *form_config;

  if (!have_display ())
    return;

  settings = g_settings_new (SL_SETTINGS_SCHEMA_ID);
  g_settings_set_value (settings, "last-config",
                        g_variant_new_parsed ("@a{sv} {'port': <1111>}"));

  /* A given config wins over the saved one, and is copied. */
  sl_endpoint_config_set_port (initial, 2222);
  dialog = open_dialog (NULL, settings, initial);
  form_config = sl_endpoint_form_get_config (SL_ENDPOINT_FORM (
                                               sl_new_endpoint_dialog_get_form (dialog)));
  g_assert_true (form_config != initial);
  g_assert_cmpint (sl_endpoint_config_get_port (form_config), ==, 2222);
  type_into (GTK_WIDGET (dialog), "Port", "3333");
  g_assert_cmpint (sl_endpoint_config_get_port (initial), ==, 2222);
  gtk_window_close (GTK_WINDOW (dialog));
  assert_dialog_gone (dialog);

  /* Damaged saved values are ignored as a whole: the defaults. */
  g_settings_set_value (settings, "last-config",
                        g_variant_new_parsed ("@a{sv} {'port': <1111>, 'role': <'teacher'>}"));
  dialog = open_dialog (NULL, settings, NULL);
  form_config = sl_endpoint_form_get_config (SL_ENDPOINT_FORM (
                                               sl_new_endpoint_dialog_get_form (dialog)));
  g_assert_cmpint (sl_endpoint_config_get_port (form_config), ==, 8888);
  g_assert_cmpint (sl_endpoint_config_get_role (form_config), ==, SL_ROLE_SERVER);
  gtk_window_close (GTK_WINDOW (dialog));
  assert_dialog_gone (dialog);

  g_settings_reset (settings, "last-config");
}

/* Authentication (issue 5): the group, its rows, and their messages */

static void
test_form_auth (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *root = fixture->root;
  SlEndpointConfig *config;
  GtkWidget *salt;

  if (!have_display ())
    return;

  config = sl_endpoint_form_get_config (fixture->form);
  g_assert_true (shown (root, "Link Authentication"));
  g_assert_false (shown (root, "Salt"));
  g_assert_false (shown (root, "Authentication Timeout (seconds)"));
  g_assert_cmpint (sl_endpoint_config_get_auth (config), ==, SL_AUTH_MODE_NONE);

  /* HMAC-MD5 is explained as the tutorial's digest. */
  choose (root, "Link Authentication", "HMAC-MD5");
  g_assert_cmpint (sl_endpoint_config_get_auth (config), ==, SL_AUTH_MODE_HMAC_MD5);
  assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row (root, "Link Authentication"))),
                   "hmac.new(salt, msg) made before Python 3.8");
  g_assert_true (shown (root, "Salt"));
  g_assert_true (shown (root, "Authentication Timeout (seconds)"));

  /* No salt yet: the form says so and is not valid. */
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));
  assert_contains (sl_endpoint_form_get_field_error (fixture->form, SL_CONFIG_FIELD_SALT),
                   "salt is empty");
  assert_contains (sl_endpoint_form_get_error_message (fixture->form), "salt is empty");
  salt = row (root, "Salt");
  g_assert_true (gtk_widget_has_css_class (salt, "error"));

  /* The salt is plain text: students see what they type. */
  type_into (root, "Salt", "SOCKET SERVER");
  g_assert_cmpstr (sl_endpoint_config_get_salt (config), ==, "SOCKET SERVER");
  g_assert_false (gtk_widget_has_css_class (salt, "error"));
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  type_into (root, "Authentication Timeout (seconds)", "soon");
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));
  assert_contains (sl_endpoint_form_get_field_error (fixture->form,
                                                     SL_CONFIG_FIELD_AUTH_TIMEOUT), "“soon”");
  type_into (root, "Authentication Timeout (seconds)", "0");
  assert_contains (sl_endpoint_form_get_field_error (fixture->form,
                                                     SL_CONFIG_FIELD_AUTH_TIMEOUT), "“0”");
  type_into (root, "Authentication Timeout (seconds)", "2,5");
  g_assert_cmpfloat (sl_endpoint_config_get_auth_timeout (config), ==, 2.5);
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  /* Manual I/O modes are refused for now, with the reason. */
  choose (root, "I/O Mode", "Blocking");
  g_assert_false (sl_endpoint_form_get_valid (fixture->form));
  assert_contains (sl_endpoint_form_get_error_message (fixture->form),
                   "Authentication needs the async I/O mode in this version");
  choose (root, "I/O Mode", "Async");
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  /* UDP: no connection, no authentication. */
  click (root, "UDP");
  g_assert_false (shown (root, "Link Authentication"));
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));
  click (root, "TCP");
  g_assert_true (shown (root, "Salt"));

  /* The config drives the rows too. */
  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_SHA256);
  sl_endpoint_config_set_salt (config, "lab");
  pump ();
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (root, "Link Authentication"))),
                    ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (salt)), ==, "lab");
  choose (root, "Link Authentication", "None");
  g_assert_false (shown (root, "Salt"));
  g_assert_true (sl_endpoint_form_get_valid (fixture->form));

  gtk_test_accessible_assert_property (row (root, "Salt"), GTK_ACCESSIBLE_PROPERTY_LABEL, "Salt");
  gtk_test_accessible_assert_property (row (root, "Link Authentication"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Link Authentication");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") != NULL)
    {
      gtk_init ();
      adw_init ();
      display_ok = TRUE;
    }

  /* A path one byte longer than any Unix socket path may be. */
  memset (long_path, 'a', sizeof long_path - 1);
  memcpy (long_path, "/tmp/", 5);

  g_test_add ("/form/defaults", Fixture, NULL, fixture_set_up, test_form_defaults,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autofree char *name = g_strconcat ("/form/bad-field/", bad_fields[i].name, NULL);

      g_test_add (name, Fixture, &bad_fields[i], fixture_set_up, test_form_bad_field,
                  fixture_tear_down);
    }
  g_test_add ("/form/edits-config", Fixture, NULL, fixture_set_up, test_form_edits_config,
              fixture_tear_down);
  g_test_add ("/form/set-config", Fixture, NULL, fixture_set_up, test_form_set_config,
              fixture_tear_down);
  g_test_add ("/form/visibility", Fixture, NULL, fixture_set_up, test_form_visibility,
              fixture_tear_down);
  g_test_add ("/form/hidden-field-ignored", Fixture, NULL, fixture_set_up,
              test_form_hidden_field_ignored, fixture_tear_down);
  g_test_add ("/form/family-switch", Fixture, NULL, fixture_set_up, test_form_family_switch,
              fixture_tear_down);
  g_test_add ("/form/any-address-warning", Fixture, NULL, fixture_set_up,
              test_form_any_address_warning, fixture_tear_down);
  g_test_add ("/form/accessible", Fixture, NULL, fixture_set_up, test_form_accessible,
              fixture_tear_down);

  g_test_add ("/form/auth", Fixture, NULL, fixture_set_up, test_form_auth, fixture_tear_down);
  g_test_add_func ("/dialog/window", test_dialog_window);
  g_test_add_func ("/dialog/shortcuts", test_dialog_shortcuts);
  g_test_add_func ("/dialog/start-insensitive", test_dialog_start_insensitive);
  g_test_add_func ("/dialog/start-saves", test_dialog_start_saves);
  g_test_add_func ("/dialog/initial", test_dialog_initial);

  return g_test_run ();
}
