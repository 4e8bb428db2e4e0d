/* test-log-view.c — the call trace view: rows, rendering, search, export, following
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sl-codec.h"
#include "sl-error.h"
#include "sl-log-export.h"
#include "sl-log-view.h"
#include "sl-ui-test-util.h"

#define PEER "('127.0.0.1', 53422)"

typedef struct
{
  SlLog     *log;
  SlLogView *view;
  GtkWindow *window;
} Fixture;

static SlLogEntry *
data_entry (SlLogKind   kind,
            const void *data,
            gsize       len)
{
  g_autoptr(GBytes) payload = g_bytes_new (data, len);
  g_autofree char *repr = sl_codec_python_bytes (data, len, 64);

  if (kind == SL_LOG_KIND_DATA_OUT)
    {
      g_autofree char *call = g_strdup_printf ("conn.send(%s)", repr);
      g_autofree char *result = g_strdup_printf ("%lu", (gulong) len);

      return sl_log_entry_new (kind, 1, 1, PEER, call, result, 0, NULL, payload);
    }

  return sl_log_entry_new (kind, 1, 1, PEER, "conn.recv(1024)", repr, 0, NULL, payload);
}

static SlLogEntry *
append_data (SlLog      *log,
             SlLogKind   kind,
             const void *data,
             gsize       len)
{
  SlLogEntry *entry = data_entry (kind, data, len);

  sl_log_append (log, entry);
  return entry;
}

static void
append_call (SlLog      *log,
             const char *summary,
             const char *result)
{
  g_autoptr(SlLogEntry) entry = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 0, NULL, summary, result,
                                                  0, NULL, NULL);

  sl_log_append (log, entry);
}

static void
append_error (SlLog *log,
              int    errsv)
{
  g_autofree char *python = sl_errno_python (errsv);
  g_autoptr(SlLogEntry) entry = sl_log_entry_new (SL_LOG_KIND_ERROR, 1, 1, PEER,
                                                  "conn.recv(1024)", python, errsv,
                                                  sl_errno_explain (errsv), NULL);

  sl_log_append (log, entry);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  if (!sl_ui_test_have_display ())
    return;

  fixture->log = sl_log_new (0);
  fixture->view = SL_LOG_VIEW (sl_log_view_new ());
  g_object_ref_sink (fixture->view);
  sl_log_view_set_log (fixture->view, fixture->log);
  fixture->window = sl_ui_test_show (GTK_WIDGET (fixture->view), 1000, GPOINTER_TO_INT (data));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window == NULL)
    return;

  sl_ui_test_close_window (fixture->window);
  g_assert_finalize_object (g_steal_pointer (&fixture->view));
  /* The view let go of the log. */
  g_assert_finalize_object (g_steal_pointer (&fixture->log));
}

/* Flushes the log and lets the view lay out and bind its rows. */
static void
show_rows (Fixture *fixture)
{
  sl_log_flush (fixture->log);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  sl_test_run_for (50);
}

static GtkLabel *
find_label (Fixture    *fixture,
            const char *text)
{
  return GTK_LABEL (sl_ui_test_wait_find (GTK_WIDGET (fixture->view), GTK_TYPE_LABEL, text,
                                          SL_UI_TEST_WAIT_MS));
}

/* Label whose text is exactly @text (NULL if none is bound). */
static GtkLabel *
find_label_exact (GtkWidget  *root,
                  const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_exact (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
  GtkLabel   *found;
} ExactWait;

static gboolean
exact_label_found (gpointer data)
{
  ExactWait *wait = data;

  wait->found = find_label_exact (GTK_WIDGET (wait->fixture->view), wait->text);
  return wait->found != NULL;
}

static GtkLabel *
wait_label_exact (Fixture    *fixture,
                  const char *text)
{
  ExactWait wait = { fixture, text, NULL };

  sl_test_wait_until (exact_label_found, &wait, SL_UI_TEST_WAIT_MS);
  return wait.found;
}

/* The flag label of the content cell whose main label is @main. */
static GtkLabel *
flag_of (GtkLabel *main)
{
  GtkWidget *meta = gtk_widget_get_next_sibling (GTK_WIDGET (main));
  GtkWidget *caption = gtk_widget_get_first_child (meta);

  return GTK_LABEL (gtk_widget_get_next_sibling (caption));
}

static gboolean
filter_done (gpointer data)
{
  GtkFilterListModel *model = data;

  return gtk_filter_list_model_get_pending (model) == 0;
}

static guint
shown_after_filter (Fixture *fixture)
{
  GListModel *shown = sl_log_view_get_shown (fixture->view);

  g_assert_true (GTK_IS_FILTER_LIST_MODEL (shown));
  g_assert_true (sl_test_wait_until (filter_done, shown, SL_UI_TEST_WAIT_MS));

  return g_list_model_get_n_items (shown);
}

/* ---- rows --------------------------------------------------------------- */

static void
test_rows_appear (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SlLogEntry) in = NULL;
  GtkWidget *empty;

  if (fixture->window == NULL)
    return;

  /* An empty log says so. */
  empty = sl_ui_test_get (GTK_WIDGET (fixture->view), ADW_TYPE_STATUS_PAGE, NULL);
  g_assert_true (gtk_widget_get_visible (empty));

  append_call (fixture->log, "server.bind(('127.0.0.1', 8888))", "None");
  append_call (fixture->log, "server.listen(5)", "None");
  in = append_data (fixture->log, SL_LOG_KIND_DATA_IN, "hello", 5);

  /* Nothing before the batch is flushed. */
  g_assert_cmpuint (g_list_model_get_n_items (sl_log_view_get_shown (fixture->view)), ==, 0);
  show_rows (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (sl_log_view_get_shown (fixture->view)), ==, 3);
  g_assert_false (gtk_widget_get_visible (empty));

  /* Call rows: the Python and its result; data rows: the payload, the call as a caption. */
  g_assert_nonnull (wait_label_exact (fixture, "server.bind(('127.0.0.1', 8888)) → None"));
  g_assert_nonnull (wait_label_exact (fixture, "server.listen(5) → None"));
  g_assert_nonnull (wait_label_exact (fixture, "hello"));
  g_assert_nonnull (wait_label_exact (fixture, "conn.recv(1024) → b'hello'"));
  g_assert_nonnull (wait_label_exact (fixture, PEER));
  g_assert_nonnull (wait_label_exact (fixture, "5"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (wait_label_exact (fixture, "hello")),
                                           "monospace"));

  g_assert_cmpstr (sl_log_view_render_content (fixture->view, in), ==, "hello");
}

static void
test_error_rows (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *python = sl_errno_python (ECONNRESET);
  g_autofree char *content = g_strconcat ("conn.recv(1024) → ", python, NULL);
  GtkLabel *main;
  GtkLabel *explanation;

  if (fixture->window == NULL)
    return;

  append_error (fixture->log, ECONNRESET);
  show_rows (fixture);

  main = wait_label_exact (fixture, content);
  g_assert_nonnull (main);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (main), "error"));

  /* The explanation under it, visible and wrapped. */
  explanation = wait_label_exact (fixture, sl_errno_explain (ECONNRESET));
  g_assert_nonnull (explanation);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (explanation)));
  g_assert_true (gtk_label_get_wrap (explanation));
}

static void
test_kind_icons (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct
  {
    const char *icon;
    const char *label;
  } expected[] = {
    { "system-run-symbolic", "Call" },
    { "go-down-symbolic", "Data in" },
    { "go-up-symbolic", "Data out" },
    { "dialog-information-symbolic", "Event" },
    { "dialog-error-symbolic", "Error" },
    { "emblem-synchronizing-symbolic", "State" },
  };
  g_autoptr(SlLogEntry) in = NULL;
  g_autoptr(SlLogEntry) out = NULL;
  g_autoptr(SlLogEntry) event = NULL;
  g_autoptr(SlLogEntry) state = NULL;
  GtkIconTheme *theme;
  guint found = 0;

  if (fixture->window == NULL)
    return;

  append_call (fixture->log, "server.listen(5)", "None");
  in = append_data (fixture->log, SL_LOG_KIND_DATA_IN, "hi", 2);
  out = append_data (fixture->log, SL_LOG_KIND_DATA_OUT, "HI", 2);
  event = sl_log_entry_new (SL_LOG_KIND_EVENT, 1, 1, PEER, "client connected", NULL, 0, NULL,
                            NULL);
  sl_log_append (fixture->log, event);
  append_error (fixture->log, EPIPE);
  state = sl_log_entry_new (SL_LOG_KIND_STATE, 1, 0, NULL, "listening", NULL, 0, NULL, NULL);
  sl_log_append (fixture->log, state);
  show_rows (fixture);

  /* Every icon exists in the theme GTK 4.8 ships with, and is named for screen readers. */
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (fixture->view)));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (gtk_icon_theme_has_icon (theme, expected[i].icon));

  /* Walk the bound kind icons. */
  {
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, fixture->view);
    while (stack->len > 0)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_IMAGE (widget) && gtk_widget_has_css_class (widget, "sl-log-kind"))
          {
            const char *icon = gtk_image_get_icon_name (GTK_IMAGE (widget));

            for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
              if (g_strcmp0 (icon, expected[i].icon) == 0)
                {
                  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget),
                                                       GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                       expected[i].label);
                  g_assert_nonnull (gtk_widget_get_tooltip_text (widget));
                  g_assert_true (g_str_has_prefix (gtk_widget_get_tooltip_text (widget),
                                                   expected[i].label));
                  found |= 1u << i;
                }
          }

        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
    g_ptr_array_unref (stack);
  }

  /* All six kinds were seen. */
  g_assert_cmphex (found, ==, 0x3f);
}

/* ---- rendering ---------------------------------------------------------- */

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char bytes[] = "ok\xff\xfe\xc3(\x00z";
  g_autoptr(SlLogEntry) entry = NULL;
  g_autofree char *content = NULL;
  GtkLabel *label;

  if (fixture->window == NULL)
    return;

  entry = append_data (fixture->log, SL_LOG_KIND_DATA_IN, bytes, sizeof bytes - 1);
  show_rows (fixture);

  content = sl_log_view_render_content (fixture->view, entry);
  g_assert_cmpstr (content, ==, "ok\\xff\\xfe\\xc3(\\0z");
  g_assert_true (g_utf8_validate (content, -1, NULL));

  label = wait_label_exact (fixture, content);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
  /* Escaped, and flagged with what Python would say of these bytes. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (flag_of (label))));
  g_assert_cmpstr (gtk_label_get_text (flag_of (label)), ==, "not valid UTF-8 — bytes escaped");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (flag_of (label))),
                            "UnicodeDecodeError"));
}

static void
test_huge_payload (Fixture       *fixture,
                   gconstpointer  data)
{
  gsize size = 5 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autoptr(SlLogEntry) entry = NULL;
  g_autofree char *content = NULL;
  GtkLabel *label;
  GBytes *payload;

  if (fixture->window == NULL)
    return;

  for (gsize i = 0; i < size; i++)
    big[i] = "abcdefghij"[i % 10];
  entry = append_data (fixture->log, SL_LOG_KIND_DATA_IN, big, size);
  show_rows (fixture);

  content = sl_log_view_render_content (fixture->view, entry);
  g_assert_nonnull (strstr (content, "more bytes)"));
  g_assert_cmpuint (strlen (content), <, SL_CODEC_DISPLAY_LIMIT + 64);

  label = find_label (fixture, "more bytes)");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, content);
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_END);

  /* The size column tells the whole size, and the entry still holds every byte. */
  g_assert_nonnull (wait_label_exact (fixture, "5242880"));
  payload = sl_log_entry_get_payload (entry);
  g_assert_cmpuint (g_bytes_get_size (payload), ==, size);
  g_assert_cmpmem (g_bytes_get_data (payload, NULL), size, big, size);

  /* Every encoding stays bounded for it. */
  for (SlEncoding encoding = SL_ENCODING_TEXT; encoding <= SL_ENCODING_JSON; encoding++)
    {
      g_autofree char *shown = NULL;

      sl_log_view_set_payload_encoding (fixture->view, encoding);
      shown = sl_log_view_render_content (fixture->view, entry);
      g_assert_cmpuint (strlen (shown), <, 4 * SL_CODEC_DISPLAY_LIMIT);
    }
}

static void
test_multi_line (Fixture       *fixture,
                 gconstpointer  data)
{
  static const char text[] = "one\ntwo\nthree\nfour\nfive\nsix";
  g_autoptr(SlLogEntry) entry = NULL;
  g_autofree char *content = NULL;

  if (fixture->window == NULL)
    return;

  entry = append_data (fixture->log, SL_LOG_KIND_DATA_IN, text, strlen (text));
  show_rows (fixture);

  /* A few lines, then "…"; the entry keeps them all. */
  content = sl_log_view_render_content (fixture->view, entry);
  g_assert_cmpstr (content, ==, "one\ntwo\nthree\nfour …");
  g_assert_nonnull (wait_label_exact (fixture, content));
  g_assert_cmpuint (sl_log_entry_get_size (entry), ==, strlen (text));
}

static void
test_encodings (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SlLogEntry) b64 = NULL;
  g_autoptr(SlLogEntry) json = NULL;
  g_autoptr(SlLogEntry) bad = NULL;
  g_autofree char *shown = NULL;
  GtkLabel *label;
  GtkLabel *flag;

  if (fixture->window == NULL)
    return;

  b64 = append_data (fixture->log, SL_LOG_KIND_DATA_IN, "aGVsbG8=", 8);
  json = append_data (fixture->log, SL_LOG_KIND_DATA_IN, "{\"a\":[1,2]}", 11);
  bad = append_data (fixture->log, SL_LOG_KIND_DATA_OUT, "not base64!", 11);
  show_rows (fixture);

  /* Text: as received. */
  g_assert_cmpint (sl_log_view_get_payload_encoding (fixture->view), ==, SL_ENCODING_TEXT);
  g_assert_nonnull (wait_label_exact (fixture, "aGVsbG8="));
  g_assert_nonnull (wait_label_exact (fixture, "{\"a\":[1,2]}"));

  /* Hex: the bytes. */
  sl_log_view_set_payload_encoding (fixture->view, SL_ENCODING_HEX);
  g_assert_nonnull (wait_label_exact (fixture, "61 47 56 73 62 47 38 3d"));
  shown = sl_log_view_render_content (fixture->view, bad);
  g_assert_cmpstr (shown, ==, "6e 6f 74 20 62 61 73 65 36 34 21");
  g_clear_pointer (&shown, g_free);

  /* Base64: decoded; invalid base64 shown raw with a flag saying so. */
  sl_log_view_set_payload_encoding (fixture->view, SL_ENCODING_BASE64);
  label = wait_label_exact (fixture, "hello");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (flag_of (label))));

  shown = sl_log_view_render_content (fixture->view, bad);
  g_assert_cmpstr (shown, ==, "not base64!");
  g_clear_pointer (&shown, g_free);
  label = wait_label_exact (fixture, "not base64!");
  g_assert_nonnull (label);
  flag = flag_of (label);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (flag)));
  g_assert_cmpstr (gtk_label_get_text (flag), ==, "not valid base64 — shown raw");
  /* Its tooltip is the codec's reason. */
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (flag)), "base64"));

  /* JSON: pretty-printed; not JSON → raw, flagged. */
  sl_log_view_set_payload_encoding (fixture->view, SL_ENCODING_JSON);
  shown = sl_log_view_render_content (fixture->view, json);
  g_assert_nonnull (strstr (shown, "\"a\" : ["));
  g_assert_nonnull (strchr (shown, '\n'));
  g_assert_nonnull (wait_label_exact (fixture, shown));
  g_clear_pointer (&shown, g_free);
  label = wait_label_exact (fixture, "aGVsbG8=");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (flag_of (label)), ==, "not valid JSON — shown raw");

  /* Back to text: no flags. */
  sl_log_view_set_payload_encoding (fixture->view, SL_ENCODING_TEXT);
  label = wait_label_exact (fixture, "aGVsbG8=");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (flag_of (label))));
}

/* ---- search ------------------------------------------------------------- */

static gboolean
has_search_text (gpointer data)
{
  return sl_log_view_get_search_text (data) != NULL;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SlLogEntry) a = NULL;
  g_autoptr(SlLogEntry) b = NULL;
  GtkSearchBar *bar;

  if (fixture->window == NULL)
    return;

  append_call (fixture->log, "server.bind(('127.0.0.1', 8888))", "None");
  append_call (fixture->log, "server.listen(5)", "None");
  a = append_data (fixture->log, SL_LOG_KIND_DATA_IN, "aGVsbG8=", 8);
  b = append_data (fixture->log, SL_LOG_KIND_DATA_OUT, "GOODBYE", 7);
  append_error (fixture->log, ECONNREFUSED);
  show_rows (fixture);
  g_assert_cmpuint (shown_after_filter (fixture), ==, 5);

  /* The summary, the peer, the result, the explanation, the payload. */
  sl_log_view_set_search_text (fixture->view, "listen(5)");
  g_assert_cmpuint (shown_after_filter (fixture), ==, 1);
  sl_log_view_set_search_text (fixture->view, "53422");
  g_assert_cmpuint (shown_after_filter (fixture), ==, 3);
  sl_log_view_set_search_text (fixture->view, "ECONNREFUSED");
  g_assert_cmpuint (shown_after_filter (fixture), ==, 1);
  sl_log_view_set_search_text (fixture->view, "goodbye");
  g_assert_cmpuint (shown_after_filter (fixture), ==, 1);

  /* The payload as shown: "hello" only once decoded as base64. */
  sl_log_view_set_search_text (fixture->view, "hello");
  g_assert_cmpuint (shown_after_filter (fixture), ==, 0);
  g_assert_true (gtk_widget_get_visible (sl_ui_test_get (GTK_WIDGET (fixture->view),
                                                         ADW_TYPE_STATUS_PAGE, NULL)));
  sl_log_view_set_payload_encoding (fixture->view, SL_ENCODING_BASE64);
  g_assert_cmpuint (shown_after_filter (fixture), ==, 1);
  g_assert_nonnull (wait_label_exact (fixture, "hello"));

  /* The search bar shows what is searched; new rows are filtered too. */
  bar = GTK_SEARCH_BAR (sl_ui_test_get (GTK_WIDGET (fixture->view), GTK_TYPE_SEARCH_BAR, NULL));
  g_assert_true (gtk_search_bar_get_search_mode (bar));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sl_ui_test_get (GTK_WIDGET (bar),
                                                                        GTK_TYPE_SEARCH_ENTRY,
                                                                        NULL))), ==, "hello");
  append_call (fixture->log, "print('hello')", NULL);
  append_call (fixture->log, "server.close()", "None");
  sl_log_flush (fixture->log);
  g_assert_cmpuint (shown_after_filter (fixture), ==, 2);

  /* Clearing the text shows every row; log.search toggles the bar. */
  sl_log_view_set_search_text (fixture->view, NULL);
  g_assert_cmpuint (shown_after_filter (fixture), ==, 7);
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.search", NULL);
  g_assert_false (gtk_search_bar_get_search_mode (bar));
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.search", NULL);
  g_assert_true (gtk_search_bar_get_search_mode (bar));

  /* Typing in the entry filters (search-changed comes after a short delay). */
  gtk_editable_set_text (GTK_EDITABLE (sl_ui_test_get (GTK_WIDGET (bar), GTK_TYPE_SEARCH_ENTRY,
                                                       NULL)), "bind");
  g_assert_true (sl_test_wait_until (has_search_text, fixture->view, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (sl_log_view_get_search_text (fixture->view), ==, "bind");
  g_assert_cmpuint (shown_after_filter (fixture), ==, 1);
}

/* ---- actions ------------------------------------------------------------ */

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  if (fixture->window == NULL)
    return;

  for (guint i = 0; i < 10; i++)
    append_call (fixture->log, "server.accept()", NULL);
  show_rows (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (sl_log_view_get_shown (fixture->view)), ==, 10);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->log)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sl_log_view_get_shown (fixture->view)), ==, 0);
  g_assert_true (sl_log_view_get_following (fixture->view));
  g_assert_true (sl_ui_test_wait_mapped (sl_ui_test_get (GTK_WIDGET (fixture->view),
                                                         ADW_TYPE_STATUS_PAGE, NULL),
                                         TRUE, SL_UI_TEST_WAIT_MS));
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static void
test_copy_row (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SlLogEntry) note = NULL;
  g_autoptr(SlLogEntry) entry = NULL;
  g_autofree char *line = NULL;
  g_autofree char *expected = NULL;
  GtkSelectionModel *selection;
  ClipboardRead read = { NULL, FALSE };
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->view));

  if (fixture->window == NULL)
    return;

  append_call (fixture->log, "server.listen(5)", "None");
  note = sl_log_entry_new (SL_LOG_KIND_DATA_OUT, 1, 1, PEER, "conn.send(b'')", "0", 0,
                           "An empty send() puts no bytes on the wire.", NULL);
  sl_log_append (fixture->log, note);
  show_rows (fixture);

  /* Nothing selected: nothing copied. */
  gdk_clipboard_set_text (clipboard, "before");
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.copy-row", NULL);
  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
  g_assert_true (sl_test_wait_for_flag (&read.done, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (read.text, ==, "before");
  g_clear_pointer (&read.text, g_free);
  read.done = FALSE;

  selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (sl_ui_test_get (GTK_WIDGET (fixture->view),
                                                                          GTK_TYPE_COLUMN_VIEW,
                                                                          NULL)));
  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.copy-row", NULL));

  entry = g_list_model_get_item (G_LIST_MODEL (fixture->log), 1);
  line = sl_log_entry_format (entry);
  expected = g_strconcat (line, "\n    An empty send() puts no bytes on the wire.", NULL);

  gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
  g_assert_true (sl_test_wait_for_flag (&read.done, SL_UI_TEST_WAIT_MS));
  g_assert_cmpstr (read.text, ==, expected);
  g_clear_pointer (&read.text, g_free);
  read.done = FALSE;

  /* Several rows: one after the other, in log order. */
  g_assert_true (gtk_selection_model_select_range (selection, 0, 2, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.copy-row", NULL));
  {
    g_autoptr(SlLogEntry) first = g_list_model_get_item (G_LIST_MODEL (fixture->log), 0);
    g_autofree char *first_line = sl_log_entry_format (first);
    g_autofree char *both = g_strconcat (first_line, "\n", expected, NULL);

    gdk_clipboard_read_text_async (clipboard, NULL, clipboard_read_cb, &read);
    g_assert_true (sl_test_wait_for_flag (&read.done, SL_UI_TEST_WAIT_MS));
    g_assert_cmpstr (read.text, ==, both);
    g_clear_pointer (&read.text, g_free);
  }
}

/* ---- export ------------------------------------------------------------- */

static void
test_export_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-log-view-XXXXXX", &error);
  g_autofree char *json_path = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) json_file = NULL;
  g_autoptr(GFile) text_file = NULL;
  g_autoptr(GFile) bad_file = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SlLog) imported = NULL;
  guint8 every[256];
  gsize length;
  guint n;

  if (fixture->window == NULL)
    return;

  g_assert_no_error (error);

  for (guint i = 0; i < 256; i++)
    every[i] = (guint8) i;
  append_call (fixture->log, "server.listen(5)", "None");
  g_object_unref (append_data (fixture->log, SL_LOG_KIND_DATA_IN, every, sizeof every));
  g_object_unref (append_data (fixture->log, SL_LOG_KIND_DATA_IN, "\xff\xfe\0\0x", 5));
  g_object_unref (append_data (fixture->log, SL_LOG_KIND_DATA_OUT, "", 0));
  append_error (fixture->log, ECONNRESET);
  /* Not flushed yet: the export still has it. */
  g_object_unref (append_data (fixture->log, SL_LOG_KIND_DATA_IN, "last", 4));

  /* Even while a search hides rows, the whole log is exported. */
  sl_log_view_set_search_text (fixture->view, "listen");

  json_path = g_build_filename (dir, "log.json", NULL);
  json_file = g_file_new_for_path (json_path);
  sl_log_view_export_to_file (fixture->view, json_file, TRUE, NULL, sl_test_store_result_cb,
                              &result);
  g_assert_true (sl_test_wait_for_result (&result, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_log_view_export_to_file_finish (fixture->view, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_true (g_file_get_contents (json_path, &contents, &length, &error));
  g_assert_no_error (error);
  imported = sl_log_import_json (contents, length, &error);
  g_assert_no_error (error);

  n = g_list_model_get_n_items (G_LIST_MODEL (fixture->log));
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (imported)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlLogEntry) a = g_list_model_get_item (G_LIST_MODEL (fixture->log), i);
      g_autoptr(SlLogEntry) b = g_list_model_get_item (G_LIST_MODEL (imported), i);
      GBytes *pa = sl_log_entry_get_payload (a);
      GBytes *pb = sl_log_entry_get_payload (b);

      g_assert_cmpstr (sl_log_entry_get_summary (a), ==, sl_log_entry_get_summary (b));
      g_assert_cmpint (sl_log_entry_get_wall_time (a), ==, sl_log_entry_get_wall_time (b));
      g_assert_true ((pa == NULL) == (pb == NULL));
      if (pa != NULL)
        g_assert_true (g_bytes_equal (pa, pb));
    }
  g_clear_pointer (&contents, g_free);

  /* Text: one line per row. */
  text_path = g_build_filename (dir, "log.txt", NULL);
  text_file = g_file_new_for_path (text_path);
  sl_log_view_export_to_file (fixture->view, text_file, FALSE, NULL, sl_test_store_result_cb,
                              &result);
  g_assert_true (sl_test_wait_for_result (&result, SL_UI_TEST_WAIT_MS));
  g_assert_true (sl_log_view_export_to_file_finish (fixture->view, result, &error));
  g_clear_object (&result);
  g_assert_true (g_file_get_contents (text_path, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "# Socket Lab "));
  g_assert_nonnull (strstr (contents, "server.listen(5) → None\n"));
  g_assert_nonnull (strstr (contents, "ECONNRESET"));
  g_assert_nonnull (strstr (contents, "conn.recv(1024) → b'last'\n"));

  /* A folder that does not exist: an error naming the file. */
  bad_file = g_file_new_build_filename (dir, "missing", "log.json", NULL);
  sl_log_view_export_to_file (fixture->view, bad_file, TRUE, NULL, sl_test_store_result_cb,
                              &result);
  g_assert_true (sl_test_wait_for_result (&result, SL_UI_TEST_WAIT_MS));
  g_assert_false (sl_log_view_export_to_file_finish (fixture->view, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "log.json"));
  g_clear_error (&error);

  g_unlink (json_path);
  g_unlink (text_path);
  sl_test_remove_tmp_dir (dir);
}

/* ---- following ---------------------------------------------------------- */

static GtkAdjustment *
vadjustment (Fixture *fixture)
{
  GtkWidget *scrolled = sl_ui_test_get (GTK_WIDGET (fixture->view), GTK_TYPE_SCROLLED_WINDOW,
                                        NULL);

  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
}

static GtkWidget *
jump_button (Fixture *fixture)
{
  /* Found by its tooltip: the search bar has a revealer and a button too. */
  return sl_ui_test_get (GTK_WIDGET (fixture->view), GTK_TYPE_BUTTON,
                         "Scroll to the newest row");
}

static gboolean
at_bottom (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) &&
         gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 4;
}

static void
append_batch (Fixture *fixture,
              guint    first,
              guint    n)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %u", i);

      g_object_unref (append_data (fixture->log, SL_LOG_KIND_DATA_IN, text, strlen (text)));
    }
  sl_log_flush (fixture->log);
  sl_test_run_for (60);
}

static void
test_following (Fixture       *fixture,
                gconstpointer  data)
{
  GtkAdjustment *adjustment;
  GtkWidget *revealer;
  GtkWidget *column_view;
  double value;

  if (fixture->window == NULL)
    return;

  adjustment = vadjustment (fixture);
  revealer = gtk_widget_get_ancestor (jump_button (fixture), GTK_TYPE_REVEALER);
  g_assert_true (sl_log_view_get_following (fixture->view));
  g_assert_false (gtk_widget_get_visible (revealer));

  /* Appending in batches, as the log does: the view keeps following the newest row. */
  for (guint batch = 0; batch < 10; batch++)
    {
      append_batch (fixture, batch * 30, 30);
      g_assert_true (sl_log_view_get_following (fixture->view));
    }
  g_assert_true (sl_test_wait_until (at_bottom, adjustment, SL_UI_TEST_WAIT_MS));
  g_assert_nonnull (wait_label_exact (fixture, "message 299"));
  g_assert_true (sl_log_view_get_following (fixture->view));

  /* Scrolling up stops following and offers the jump button. */
  gtk_adjustment_set_value (adjustment, 0);
  g_assert_false (sl_log_view_get_following (fixture->view));
  g_assert_true (gtk_widget_get_visible (revealer));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_nonnull (wait_label_exact (fixture, "message 0"));

  /* New rows do not pull the reader away. */
  append_batch (fixture, 300, 30);
  sl_test_run_for (100);
  g_assert_false (sl_log_view_get_following (fixture->view));
  value = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (value, <, 100);
  g_assert_false (at_bottom (adjustment));

  /* The button: back to the newest row, following again. */
  sl_ui_test_click (jump_button (fixture));
  g_assert_true (sl_log_view_get_following (fixture->view));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (sl_test_wait_until (at_bottom, adjustment, SL_UI_TEST_WAIT_MS));
  g_assert_nonnull (wait_label_exact (fixture, "message 329"));
  g_assert_true (sl_ui_test_wait_mapped (revealer, FALSE, SL_UI_TEST_WAIT_MS));

  append_batch (fixture, 330, 30);
  g_assert_true (sl_test_wait_until (at_bottom, adjustment, SL_UI_TEST_WAIT_MS));
  g_assert_nonnull (wait_label_exact (fixture, "message 359"));

  /* The action does the same; scrolling back to the bottom by hand follows too. */
  gtk_adjustment_set_value (adjustment, 10);
  g_assert_false (sl_log_view_get_following (fixture->view));
  gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.jump-to-newest", NULL);
  g_assert_true (sl_log_view_get_following (fixture->view));
  gtk_adjustment_set_value (adjustment, 0);
  g_assert_false (sl_log_view_get_following (fixture->view));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  g_assert_true (sl_log_view_get_following (fixture->view));

  /* Keys: moving up reads back, End follows again. */
  column_view = sl_ui_test_get (GTK_WIDGET (fixture->view), GTK_TYPE_COLUMN_VIEW, NULL);
  sl_ui_test_press_key (column_view, GDK_KEY_Page_Up, 0);
  g_assert_false (sl_log_view_get_following (fixture->view));
  sl_ui_test_press_key (column_view, GDK_KEY_End, 0);
  g_assert_true (sl_log_view_get_following (fixture->view));
  sl_ui_test_press_key (column_view, GDK_KEY_Up, 0);
  g_assert_false (sl_log_view_get_following (fixture->view));
}

/* Old rows dropped at the front while new ones arrive: still following. */
static void
test_following_capped (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkAdjustment *adjustment;

  if (fixture->window == NULL)
    return;

  sl_log_set_max_entries (fixture->log, 100);
  adjustment = vadjustment (fixture);

  for (guint batch = 0; batch < 12; batch++)
    {
      append_batch (fixture, batch * 40, 40);
      g_assert_true (sl_log_view_get_following (fixture->view));
    }
  g_assert_cmpuint (sl_log_get_n_dropped (fixture->log), ==, 380);
  g_assert_true (sl_test_wait_until (at_bottom, adjustment, SL_UI_TEST_WAIT_MS));
  g_assert_nonnull (wait_label_exact (fixture, "message 479"));
  g_assert_true (sl_log_view_get_following (fixture->view));
}

/* A flood: hundreds of rows a batch. The view catches up with the newest row
 * (in steps, see follow_new_rows()) and keeps following. */
static void
test_following_flood (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkAdjustment *adjustment;

  if (fixture->window == NULL)
    return;

  adjustment = vadjustment (fixture);
  for (guint batch = 0; batch < 8; batch++)
    {
      append_batch (fixture, batch * 500, 500);
      g_assert_true (sl_log_view_get_following (fixture->view));
    }
  g_assert_true (sl_test_wait_until (at_bottom, adjustment, SL_UI_TEST_WAIT_MS));
  g_assert_nonnull (wait_label_exact (fixture, "message 3999"));
  g_assert_true (sl_log_view_get_following (fixture->view));
  g_assert_cmpuint (g_list_model_get_n_items (sl_log_view_get_shown (fixture->view)), ==, 4000);
}

/* ---- accessibility ------------------------------------------------------ */

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *root;
  GtkWidget *entry;
  GtkWidget *button;
  GtkWidget *column_view;

  if (fixture->window == NULL)
    return;

  root = GTK_WIDGET (fixture->view);
  entry = sl_ui_test_get (root, GTK_TYPE_SEARCH_ENTRY, NULL);
  button = jump_button (fixture);
  column_view = sl_ui_test_get (root, GTK_TYPE_COLUMN_VIEW, NULL);

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Filter the call trace");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Jump to newest row");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (column_view),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Call trace");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_ROLE_BUTTON);

  g_assert_nonnull (gtk_widget_get_tooltip_text (entry));
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));
  g_assert_nonnull (gtk_widget_get_tooltip_text (column_view));

  /* The column titles. */
  for (guint i = 0; i < 5; i++)
    {
      static const char *titles[] = { "Time", "Kind", "Peer", "Bytes", "Content" };
      GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (column_view));
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, titles[i]);
    }
}

/* ---- lifetime ----------------------------------------------------------- */

static void
test_switch_log (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SlLog) other = NULL;

  if (fixture->window == NULL)
    return;

  append_call (fixture->log, "first.listen(5)", "None");
  show_rows (fixture);
  g_assert_nonnull (wait_label_exact (fixture, "first.listen(5) → None"));

  other = sl_log_new (0);
  append_call (other, "second.connect(('127.0.0.1', 8888))", "None");
  sl_log_flush (other);
  g_object_set (fixture->view, "log", other, NULL);
  g_assert_true (sl_log_view_get_log (fixture->view) == other);
  g_assert_nonnull (wait_label_exact (fixture, "second.connect(('127.0.0.1', 8888)) → None"));
  g_assert_cmpuint (g_list_model_get_n_items (sl_log_view_get_shown (fixture->view)), ==, 1);

  sl_log_view_set_log (fixture->view, fixture->log);
  g_assert_finalize_object (g_steal_pointer (&other));
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

#define ADD(path, func, height) \
  g_test_add ("/log-view/" path, Fixture, GINT_TO_POINTER (height), fixture_setup, func, \
              fixture_teardown)

  ADD ("rows-appear", test_rows_appear, 600);
  ADD ("error-rows", test_error_rows, 600);
  ADD ("kind-icons", test_kind_icons, 600);
  ADD ("invalid-utf8", test_invalid_utf8, 600);
  ADD ("huge-payload", test_huge_payload, 600);
  ADD ("multi-line", test_multi_line, 600);
  ADD ("encodings", test_encodings, 600);
  ADD ("search", test_search, 600);
  ADD ("clear", test_clear, 600);
  ADD ("copy-row", test_copy_row, 600);
  ADD ("export-round-trip", test_export_round_trip, 600);
  ADD ("following", test_following, 400);
  ADD ("following-capped", test_following_capped, 400);
  ADD ("following-flood", test_following_flood, 400);
  ADD ("accessible", test_accessible, 600);
  ADD ("switch-log", test_switch_log, 600);

  return g_test_run ();
}
