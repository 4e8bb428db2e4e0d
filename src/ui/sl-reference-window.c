/* sl-reference-window.c — the reference: every socket method, constant and concept of the
 * tutorials, searchable, in a window of its own
 *
 * The entries are the static table of sl-reference.c; the list is built once, the detail
 * page is rebuilt for the entry shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-reference.h"
#include "sl-reference-window.h"

struct _SlReferenceWindow
{
  AdwWindow               parent_instance;

  AdwLeaflet             *leaflet;
  GtkWidget              *separator;
  GtkWidget              *content_box;
  GtkSearchEntry         *search_entry;
  GtkStack               *list_stack;
  GtkListBox             *list_box;
  AdwWindowTitle         *content_title;
  GtkScrolledWindow      *detail_scroller;
  GtkBox                 *detail_box;

  const SlReferenceEntry *shown;
  char                   *query;
};

G_DEFINE_FINAL_TYPE (SlReferenceWindow, sl_reference_window, ADW_TYPE_WINDOW)

#define ENTRY_KEY "sl-reference-entry"

static const SlReferenceEntry *
row_entry (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), ENTRY_KEY) : NULL;
}

/* The detail page. */

static GtkWidget *
text_label (const char *text,
            const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selectable by mouse, but not a tab stop: focus would select the whole text. */
  gtk_widget_set_focusable (label, FALSE);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

/* A heading, for screen readers too. */
static GtkWidget *
heading_label (const char *text,
               int         level)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "label", text,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, level,
                                  -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* A section: a heading, then @child. */
static void
add_section (SlReferenceWindow *self,
             const char        *title,
             GtkWidget         *child)
{
  GtkWidget *heading = heading_label (title, 2);

  gtk_widget_set_margin_top (heading, 18);
  gtk_box_append (self->detail_box, heading);
  gtk_box_append (self->detail_box, child);
}

static void
add_text_section (SlReferenceWindow *self,
                  const char        *title,
                  const char        *msgid)
{
  if (msgid == NULL || *msgid == '\0')
    return;
  add_section (self, title, text_label (sl_reference_text (msgid), NULL));
}

/* Code: monospace, kept as written (no wrapping inside a line), scrolling sideways when
 * the window is narrow. */
static GtkWidget *
code_view (const char *code,
           const char *accessible_name)
{
  GtkWidget *label = gtk_label_new (code);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 10);
  gtk_widget_set_margin_bottom (label, 10);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_widget_set_vexpand (scroller, FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  gtk_widget_add_css_class (scroller, "card");
  return scroller;
}

static void
add_code_section (SlReferenceWindow *self,
                  const char        *title,
                  const char        *code)
{
  if (code == NULL || *code == '\0')
    return;
  add_section (self, title, code_view (code, title));
}

static void
copy_example_cb (GtkButton         *button,
                 SlReferenceWindow *self)
{
  if (self->shown == NULL || self->shown->example == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->shown->example);
}

static void
add_example (SlReferenceWindow *self,
             const char        *example)
{
  GtkWidget *header, *heading, *copy;

  if (example == NULL)
    return;

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (header, 18);
  heading = heading_label (_("Example"), 2);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_box_append (GTK_BOX (header), heading);

  copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (copy, _("Copy the example to the clipboard"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Copy Example"), -1);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_example_cb), self);
  gtk_box_append (GTK_BOX (header), copy);

  gtk_box_append (self->detail_box, header);
  gtk_box_append (self->detail_box, code_view (example, _("Example")));
}

/* "Common errors": one line per error, as a list. */
static void
add_errors (SlReferenceWindow *self,
            const char        *msgid)
{
  g_auto(GStrv) lines = NULL;
  GtkWidget *box;

  if (msgid == NULL)
    return;
  lines = g_strsplit (sl_reference_text (msgid), "\n", -1);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *bullet = NULL;

      if (*lines[i] == '\0')
        continue;
      bullet = g_strconcat ("•  ", lines[i], NULL);
      gtk_box_append (GTK_BOX (box), text_label (bullet, NULL));
    }
  add_section (self, _("Common Errors"), box);
}

/* The length of the longest ASCII word of @text, at most @cap: a column that wide breaks no
 * short word in two. */
static int
longest_word (const char *text,
              int         cap)
{
  int longest = 0, run = 0;

  for (const char *p = text; ; p++)
    {
      if (*p != '\0' && *p != ' ' && (guchar) *p < 0x80)
        {
          run++;
          continue;
        }
      longest = MAX (longest, run);
      run = 0;
      if (*p == '\0')
        break;
    }
  return MIN (longest, cap);
}

/* A table (rows '\n', cells '\t', the first row the header) as a grid in a card. Cells wrap,
 * so the table fits a narrow window without scrolling sideways. */
static GtkWidget *
table_view (const char *text)
{
  g_auto(GStrv) rows = g_strsplit (text, "\n", -1);
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_add_css_class (grid, "card");
  gtk_widget_set_margin_top (grid, 12);

  for (guint r = 0; rows[r] != NULL; r++)
    {
      g_auto(GStrv) cells = g_strsplit (rows[r], "\t", -1);

      for (guint c = 0; cells[c] != NULL; c++)
        {
          GtkWidget *cell = text_label (cells[c], r == 0 || c == 0 ? "heading" : NULL);

          gtk_label_set_max_width_chars (GTK_LABEL (cell), 28);
          gtk_label_set_width_chars (GTK_LABEL (cell), longest_word (cells[c], 7));
          gtk_label_set_selectable (GTK_LABEL (cell), FALSE);
          gtk_widget_set_valign (cell, GTK_ALIGN_START);
          gtk_widget_set_hexpand (cell, c > 0);
          /* The card's padding: margins on the outer cells. */
          if (c == 0)
            gtk_widget_set_margin_start (cell, 12);
          if (cells[c + 1] == NULL)
            gtk_widget_set_margin_end (cell, 12);
          if (r == 0)
            gtk_widget_set_margin_top (cell, 10);
          if (rows[r + 1] == NULL)
            gtk_widget_set_margin_bottom (cell, 10);
          gtk_grid_attach (GTK_GRID (grid), cell, c, r, 1, 1);
        }
    }
  return grid;
}

/* Where the tutorials are wrong or outdated: a warning card. */
static void
add_note (SlReferenceWindow *self,
          const char        *msgid)
{
  GtkWidget *card, *title_box, *icon, *title;

  if (msgid == NULL)
    return;

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_top (card, 18);

  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_set_margin_start (title_box, 12);
  gtk_widget_set_margin_end (title_box, 12);
  gtk_widget_set_margin_top (title_box, 10);
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Warning"), -1);
  title = heading_label (_("Correction to the Tutorials"), 2);
  gtk_widget_add_css_class (title, "warning");
  gtk_box_append (GTK_BOX (title_box), icon);
  gtk_box_append (GTK_BOX (title_box), title);
  gtk_box_append (GTK_BOX (card), title_box);

  {
    GtkWidget *body = text_label (sl_reference_text (msgid), NULL);

    gtk_widget_set_margin_start (body, 12);
    gtk_widget_set_margin_end (body, 12);
    gtk_widget_set_margin_bottom (body, 12);
    gtk_box_append (GTK_BOX (card), body);
  }
  gtk_box_append (self->detail_box, card);
}

static void
clear_detail (SlReferenceWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
}

static void
show_detail (SlReferenceWindow      *self,
             const SlReferenceEntry *e)
{
  GtkWidget *title, *kind;
  const char *title_text;

  if (e == self->shown)
    return;
  self->shown = e;
  clear_detail (self);
  if (e == NULL)
    {
      adw_window_title_set_title (self->content_title, _("Reference"));
      adw_window_title_set_subtitle (self->content_title, NULL);
      return;
    }

  title_text = sl_reference_text (e->title);
  adw_window_title_set_title (self->content_title, title_text);
  adw_window_title_set_subtitle (self->content_title, sl_reference_kind_to_string (e->kind));

  title = heading_label (title_text, 1);
  gtk_widget_remove_css_class (title, "heading");
  gtk_widget_add_css_class (title, "title-1");
  gtk_box_append (self->detail_box, title);
  kind = text_label (sl_reference_kind_to_string (e->kind), "dim-label");
  gtk_label_set_selectable (GTK_LABEL (kind), FALSE);
  gtk_box_append (self->detail_box, kind);

  if (e->signature != NULL)
    {
      GtkWidget *signature = code_view (e->signature, _("Signature"));

      gtk_widget_set_margin_top (signature, 12);
      gtk_box_append (self->detail_box, signature);
    }
  if (e->summary != NULL)
    {
      GtkWidget *summary = text_label (sl_reference_text (e->summary), NULL);

      gtk_widget_set_margin_top (summary, 12);
      gtk_box_append (self->detail_box, summary);
    }
  if (e->table != NULL)
    {
      gtk_box_append (self->detail_box, table_view (sl_reference_text (e->table)));
    }

  add_note (self, e->note);
  add_text_section (self, _("Blocking"), e->blocking);
  add_text_section (self, _("Returns"), e->returns);
  add_errors (self, e->errors);
  add_code_section (self, _("POSIX C"), e->posix);
  add_code_section (self, _("GIO"), e->gio);
  add_example (self, e->example);

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->detail_scroller), 0);
}

/* The list. */

static GtkWidget *
entry_row (const SlReferenceEntry *e)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (sl_reference_text (e->title));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (e->kind != SL_REFERENCE_KIND_TOPIC)
    gtk_widget_add_css_class (label, "monospace");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sl_reference_text (e->title), -1);
  g_object_set_data (G_OBJECT (row), ENTRY_KEY, (gpointer) e);
  return row;
}

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  SlReferenceWindow *self = user_data;

  return sl_reference_entry_matches (row_entry (row), self->query);
}

/* A heading above the first visible row of each group. */
static void
header_func (GtkListBoxRow *row,
             GtkListBoxRow *before,
             gpointer       user_data)
{
  const SlReferenceEntry *e = row_entry (row);
  const SlReferenceEntry *prev = row_entry (before);
  GtkWidget *header;

  if (prev != NULL && prev->kind == e->kind)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }
  header = heading_label (sl_reference_kind_to_string (e->kind), 2);
  gtk_widget_add_css_class (header, "dim-label");
  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_top (header, prev == NULL ? 6 : 18);
  gtk_widget_set_margin_bottom (header, 6);
  gtk_list_box_row_set_header (row, header);
}

static GtkListBoxRow *
row_for_id (SlReferenceWindow *self,
            const char        *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const SlReferenceEntry *e;

      if (!GTK_IS_LIST_BOX_ROW (child))
        continue;
      e = row_entry (GTK_LIST_BOX_ROW (child));
      if (e != NULL && g_str_equal (e->id, id))
        return GTK_LIST_BOX_ROW (child);
    }
  return NULL;
}

static GtkListBoxRow *
first_visible_row (SlReferenceWindow *self)
{
  guint n = 0;
  const SlReferenceEntry *entries = sl_reference_get_entries (&n);

  for (guint i = 0; i < n; i++)
    if (sl_reference_entry_matches (&entries[i], self->query))
      return row_for_id (self, entries[i].id);
  return NULL;
}

static void
apply_query (SlReferenceWindow *self,
             const char        *text)
{
  GtkListBoxRow *selected;

  g_free (self->query);
  self->query = g_strdup (text);
  gtk_list_box_invalidate_filter (self->list_box);
  gtk_list_box_invalidate_headers (self->list_box);

  gtk_stack_set_visible_child_name (self->list_stack,
                                    first_visible_row (self) != NULL ? "list" : "empty");

  /* Keep showing a selected entry that still matches; else show the first match. */
  selected = gtk_list_box_get_selected_row (self->list_box);
  if (selected == NULL || !sl_reference_entry_matches (row_entry (selected), self->query))
    {
      GtkListBoxRow *first = first_visible_row (self);

      if (first != NULL)
        gtk_list_box_select_row (self->list_box, first);
    }
}

static void
search_changed_cb (SlReferenceWindow *self,
                   GtkSearchEntry    *entry)
{
  apply_query (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* Enter in the search: read the first match. */
static void
search_activate_cb (SlReferenceWindow *self,
                    GtkSearchEntry    *entry)
{
  GtkListBoxRow *first;

  apply_query (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  first = first_visible_row (self);
  if (first == NULL)
    return;
  gtk_list_box_select_row (self->list_box, first);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
row_selected_cb (SlReferenceWindow *self,
                 GtkListBoxRow     *row,
                 GtkListBox        *list_box)
{
  if (row != NULL)
    show_detail (self, row_entry (row));
}

static void
row_activated_cb (SlReferenceWindow *self,
                  GtkListBoxRow     *row,
                  GtkListBox        *list_box)
{
  show_detail (self, row_entry (row));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

static void
back_clicked_cb (SlReferenceWindow *self,
                 GtkButton         *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static gboolean
focus_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  SlReferenceWindow *self = SL_REFERENCE_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet,
                                 gtk_widget_get_parent (GTK_WIDGET (self->search_entry)));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return TRUE;
}

static void
sl_reference_window_dispose (GObject *object)
{
  SlReferenceWindow *self = SL_REFERENCE_WINDOW (object);

  self->shown = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_REFERENCE_WINDOW);

  G_OBJECT_CLASS (sl_reference_window_parent_class)->dispose (object);
}

static void
sl_reference_window_finalize (GObject *object)
{
  SlReferenceWindow *self = SL_REFERENCE_WINDOW (object);

  g_free (self->query);

  G_OBJECT_CLASS (sl_reference_window_parent_class)->finalize (object);
}

static void
sl_reference_window_class_init (SlReferenceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_reference_window_dispose;
  object_class->finalize = sl_reference_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/"
                                               "sl-reference-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, separator);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, list_box);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, detail_scroller);
  gtk_widget_class_bind_template_child (widget_class, SlReferenceWindow, detail_box);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, focus_search_cb, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sl_reference_window_init (SlReferenceWindow *self)
{
  guint n = 0;
  const SlReferenceEntry *entries = sl_reference_get_entries (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  adw_leaflet_page_set_navigatable (adw_leaflet_get_page (self->leaflet, self->separator),
                                    FALSE);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  gtk_list_box_set_filter_func (self->list_box, filter_func, self, NULL);
  gtk_list_box_set_header_func (self->list_box, header_func, self, NULL);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->list_box, entry_row (&entries[i]));

  if (n > 0)
    gtk_list_box_select_row (self->list_box, row_for_id (self, entries[0].id));
}

GtkWidget *
sl_reference_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (SL_TYPE_REFERENCE_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", parent != NULL,
                       "modal", FALSE,
                       NULL);
}

gboolean
sl_reference_window_show_entry (SlReferenceWindow *self,
                                const char        *id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (SL_IS_REFERENCE_WINDOW (self), FALSE);

  if (id == NULL || sl_reference_lookup (id) == NULL)
    return FALSE;
  row = row_for_id (self, id);
  g_return_val_if_fail (row != NULL, FALSE);

  if (!sl_reference_entry_matches (row_entry (row), self->query))
    {
      /* The search hides it: clear the search now (its change signal comes later). */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      apply_query (self, "");
    }
  gtk_list_box_select_row (self->list_box, row);
  show_detail (self, row_entry (row));
  gtk_widget_grab_focus (GTK_WIDGET (row));
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
  return TRUE;
}

const char *
sl_reference_window_get_entry_id (SlReferenceWindow *self)
{
  g_return_val_if_fail (SL_IS_REFERENCE_WINDOW (self), NULL);

  return self->shown != NULL ? self->shown->id : NULL;
}
