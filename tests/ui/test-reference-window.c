/* test-reference-window.c — the reference window: search, show_entry, narrow layout,
 * accessible names
 *
 * SL_REFERENCE_PNG_DIR=/some/dir also renders a few entries there as PNG files to look at;
 * with SL_REFERENCE_LOCALEDIR=/dir/with/zh_CN/LC_MESSAGES and LANGUAGE=zh_CN, in Chinese.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-reference.h"
#include "sl-reference-window.h"
#include "sl-ui-test-util.h"

static SlReferenceWindow *
open_window (int width,
             int height)
{
  SlReferenceWindow *window = SL_REFERENCE_WINDOW (sl_reference_window_new (NULL));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
close_window (SlReferenceWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  sl_test_run_for (50);
}

static GtkListBox *
list_box (SlReferenceWindow *window)
{
  return GTK_LIST_BOX (sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, NULL));
}

static GtkWidget *
search_entry (SlReferenceWindow *window)
{
  return sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, NULL);
}

/* The row whose entry is @id. */
static GtkListBoxRow *
row_of (SlReferenceWindow *window,
        const char        *id)
{
  const SlReferenceEntry *wanted = sl_reference_lookup (id);

  g_assert_nonnull (wanted);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_box (window)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_object_get_data (G_OBJECT (child), "sl-reference-entry")
        == wanted)
      return GTK_LIST_BOX_ROW (child);
  g_assert_not_reached ();
}

static guint
n_rows_shown (SlReferenceWindow *window)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_box (window)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child))
      n++;
  return n;
}

typedef struct
{
  SlReferenceWindow *window;
  guint              n;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return n_rows_shown (wait->window) == wait->n;
}

static void
search (SlReferenceWindow *window,
        const char        *text,
        guint              expected)
{
  CountWait wait = { window, expected };

  gtk_editable_set_text (GTK_EDITABLE (search_entry (window)), text);
  /* search-changed comes after GtkSearchEntry's delay. */
  if (!sl_test_wait_until (count_reached, &wait, SL_UI_TEST_WAIT_MS))
    g_error ("search “%s”: %u rows shown, expected %u", text, n_rows_shown (window), expected);
}

static guint
n_matching (const char *query)
{
  guint n = 0, count = 0;
  const SlReferenceEntry *entries = sl_reference_get_entries (&n);

  for (guint i = 0; i < n; i++)
    if (sl_reference_entry_matches (&entries[i], query))
      count++;
  return count;
}

static void
test_search_filters (void)
{
  SlReferenceWindow *window;
  guint n = 0;
  GtkWidget *no_results;

  if (!sl_ui_test_have_display ())
    return;
  sl_reference_get_entries (&n);
  window = open_window (900, 640);
  g_assert_cmpuint (n_rows_shown (window), ==, n);
  /* The first entry is shown at once. */
  g_assert_cmpstr (sl_reference_window_get_entry_id (window), ==, "socket");

  search (window, "EADDRINUSE", n_matching ("EADDRINUSE"));
  g_assert_cmpuint (n_matching ("EADDRINUSE"), <, n);
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (row_of (window, "bind"))));
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (row_of (window, "SO_REUSEADDR"))));
  g_assert_false (gtk_widget_get_child_visible (GTK_WIDGET (row_of (window, "recvfrom"))));
  /* The shown entry follows the search to its first match. */
  g_assert_true (sl_reference_entry_matches (
                   sl_reference_lookup (sl_reference_window_get_entry_id (window)),
                   "EADDRINUSE"));

  /* Case-insensitive, every word. */
  search (window, "time_wait so_reuseaddr", n_matching ("time_wait so_reuseaddr"));
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (row_of (window, "SO_REUSEADDR"))));

  /* Nothing: a status page says so. */
  search (window, "zzzz-nothing", 0);
  no_results = sl_ui_test_get (GTK_WIDGET (window), ADW_TYPE_STATUS_PAGE, NULL);
  g_assert_true (sl_ui_test_wait_mapped (no_results, TRUE, SL_UI_TEST_WAIT_MS));

  search (window, "", n);
  g_assert_true (sl_ui_test_wait_mapped (no_results, FALSE, SL_UI_TEST_WAIT_MS));
  close_window (window);
}

static GtkWidget *
detail_label (SlReferenceWindow *window,
              const char        *text)
{
  return sl_ui_test_find (GTK_WIDGET (window), GTK_TYPE_LABEL, text);
}

static void
test_show_entry (void)
{
  SlReferenceWindow *window;
  GtkWidget *correction;
  const char *id;

  if (!sl_ui_test_have_display ())
    return;
  window = open_window (900, 640);

  g_assert_true (sl_reference_window_show_entry (window, "tcp-states"));
  g_assert_cmpstr (sl_reference_window_get_entry_id (window), ==, "tcp-states");
  g_assert_true (gtk_list_box_get_selected_row (list_box (window)) ==
                 row_of (window, "tcp-states"));
  /* The glossary is a table: one cell per state. */
  g_assert_nonnull (detail_label (window, "FIN_WAIT_2"));
  g_assert_nonnull (detail_label (window, "CLOSE_WAIT"));

  /* A search that hides the entry is cleared. */
  search (window, "recvfrom", n_matching ("recvfrom"));
  g_assert_false (gtk_widget_get_child_visible (GTK_WIDGET (row_of (window, "ports"))));
  g_assert_true (sl_reference_window_show_entry (window, "ports"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (window))), ==, "");
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (row_of (window, "ports"))));
  g_assert_cmpstr (sl_reference_window_get_entry_id (window), ==, "ports");
  g_assert_nonnull (detail_label (window, "Gopher"));

  /* Unknown ids change nothing. */
  g_assert_false (sl_reference_window_show_entry (window, "recvform"));
  g_assert_false (sl_reference_window_show_entry (window, NULL));
  g_assert_cmpstr (sl_reference_window_get_entry_id (window), ==, "ports");

  /* The entry a trace row links to, with its correction of the tutorial as a warning. */
  id = sl_reference_id_for_call ("server.recvfrom(1024)");
  g_assert_true (sl_reference_window_show_entry (window, id));
  g_assert_cmpstr (sl_reference_window_get_entry_id (window), ==, "recvfrom");
  g_assert_nonnull (detail_label (window, "data, address = sock.recvfrom(bufsize[, flags])"));
  correction = detail_label (window, "Correction to the Tutorials");
  g_assert_nonnull (correction);
  g_assert_true (gtk_widget_has_css_class (correction, "warning"));
  g_assert_nonnull (detail_label (window, "recvform"));
  g_assert_nonnull (detail_label (window, "g_socket_receive_from"));

  /* Clicking a row shows its entry. */
  gtk_widget_activate (GTK_WIDGET (row_of (window, "sendall")));
  g_assert_cmpstr (sl_reference_window_get_entry_id (window), ==, "sendall");
  close_window (window);
}

static void
test_narrow (void)
{
  SlReferenceWindow *window;
  AdwLeaflet *leaflet;
  GtkWidget *back;

  if (!sl_ui_test_have_display ())
    return;
  window = open_window (360, 600);
  leaflet = ADW_LEAFLET (sl_ui_test_get (GTK_WIDGET (window), ADW_TYPE_LEAFLET, NULL));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  /* The list first. */
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (list_box (window)),
                                         adw_leaflet_get_visible_child (leaflet)));

  g_assert_true (sl_reference_window_show_entry (window, "recv"));
  g_assert_false (gtk_widget_is_ancestor (GTK_WIDGET (list_box (window)),
                                          adw_leaflet_get_visible_child (leaflet)));
  back = sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Back to the list");
  g_assert_true (sl_ui_test_wait_mapped (back, TRUE, SL_UI_TEST_WAIT_MS));
  sl_ui_test_click (back);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (list_box (window)),
                                         adw_leaflet_get_visible_child (leaflet)));
  close_window (window);
}

static void
test_accessible (void)
{
  SlReferenceWindow *window;
  GtkWidget *widget;
  guint n = 0;
  const SlReferenceEntry *entries = sl_reference_get_entries (&n);

  if (!sl_ui_test_have_display ())
    return;
  window = open_window (900, 640);

  widget = search_entry (window);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Search the reference");
  g_assert_nonnull (gtk_widget_get_tooltip_text (widget));

  widget = GTK_WIDGET (list_box (window));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_LIST);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Reference entries");
  g_assert_nonnull (gtk_widget_get_tooltip_text (widget));

  for (guint i = 0; i < n; i++)
    gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row_of (window, entries[i].id)),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL, entries[i].title);

  widget = sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Back to the list");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Back");

  g_assert_true (sl_reference_window_show_entry (window, "connect"));
  /* Sections are headings to screen readers. */
  widget = sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_LABEL, "Common Errors");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_HEADING);
  widget = sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_LABEL, "Correction to the Tutorials");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_ROLE_HEADING);
  widget = sl_ui_test_get (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Copy the example");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Copy Example");
  close_window (window);
}

/* Not a check: pictures to look at, when asked for. */
static void
test_render (void)
{
  const char *dir = g_getenv ("SL_REFERENCE_PNG_DIR");
  const char *const shots[][2] = {
    { "recv", "900" }, { "ports", "900" }, { "tcp-states", "900" }, { "hmac-auth", "900" },
    { "recvfrom", "360" }, { "tcp-vs-udp", "900" }, { "ports", "360" },
  };

  if (!sl_ui_test_have_display ())
    return;
  if (dir == NULL)
    {
      g_test_skip ("set SL_REFERENCE_PNG_DIR to render PNG files");
      return;
    }
  /* The app's look (cards, colours) comes with libadwaita's style sheet. */
  adw_init ();
  if (g_getenv ("SL_REFERENCE_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SL_REFERENCE_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      SlReferenceWindow *window = open_window (atoi (shots[i][1]), 700);
      g_autofree char *name = g_strdup_printf ("reference-%s-%s.png", shots[i][0], shots[i][1]);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_true (sl_reference_window_show_entry (window, shots[i][0]));
      sl_test_run_for (200);
      g_assert_true (sl_ui_test_save_png (GTK_WIDGET (window), path));
      close_window (window);
    }

  /* Dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  {
    SlReferenceWindow *window = open_window (900, 700);
    g_autofree char *path = g_build_filename (dir, "reference-hmac-auth-dark.png", NULL);

    g_assert_true (sl_reference_window_show_entry (window, "hmac-auth"));
    sl_test_run_for (200);
    g_assert_true (sl_ui_test_save_png (GTK_WIDGET (window), path));
    close_window (window);
  }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);

  g_test_add_func ("/reference-window/search-filters", test_search_filters);
  g_test_add_func ("/reference-window/show-entry", test_show_entry);
  g_test_add_func ("/reference-window/narrow", test_narrow);
  g_test_add_func ("/reference-window/accessible", test_accessible);
  g_test_add_func ("/reference-window/render", test_render);

  return g_test_run ();
}
