/* sl-log-view.c — the call trace, as a column view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-codec.h"
#include "sl-enum-types.h"
#include "sl-log-export.h"
#include "sl-file-chooser.h"
#include "sl-log-view.h"
#include "sl-reference.h"
#include "sl-tail-model.h"

/* Payloads above this size are never decoded whole for display: base64 is
 * decoded from a prefix, JSON is shown as received. */
#define BIG_PAYLOAD (64 * 1024)

/* Lines of a payload shown in its row; the entry keeps every byte. */
#define MAX_CONTENT_LINES 4

/* While following a flood: when one scroll brought more rows than this, the
 * next waits until this long after it (see follow_new_rows()). */
#define FOLLOW_BURST_ROWS        64
/* While a flood is followed, the view holds only the newest rows (each jump
 * to the newest row then binds at most these), and all of them again once no
 * burst came for FLOOD_QUIET_MS or the user scrolls back. */
#define FLOOD_ROWS               16
#define FLOOD_QUIET_MS           400
#define FOLLOW_BURST_INTERVAL_MS 250

/* How close to the end (pixels) still counts as "at the newest row". */
#define BOTTOM_TOLERANCE 4.0

struct _SlLogView
{
  GtkWidget            parent_instance;

  /* template */
  GtkWidget           *box;           /* the only child: unparented by dispose_template */
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkMultiSelection   *selection;
  GtkFilterListModel  *filter_model;
  SlTailModel         *tail;           /* between the filter and the selection */
  gboolean             flood;          /* the view shows only the newest rows */
  gint64               flood_until;    /* a flood goes on until then, if rows keep coming */
  guint                flood_end_id;
  GtkStringFilter     *string_filter;
  AdwStatusPage       *empty_page;
  GtkRevealer         *jump_revealer;

  SlLog               *log;
  SlEncoding           payload_encoding;
  char                *search_text;
  gboolean             syncing_entry; /* the entry's text is set from search_text */

  GtkAdjustment       *vadjustment;
  gboolean             following;
  gboolean             scrolling;     /* we are setting the adjustment's value */
  GtkWidget           *list_view;     /* the column view's GtkListView */
  guint                scroll_tick_id;
  guint                burst_timeout_id;
  gint64               last_scroll;          /* monotonic µs */
  guint                rows_since_scroll;
  guint                last_rows_per_scroll;

  GHashTable          *bound_content; /* GtkListItem of the content column now bound */

  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (SlLogView, sl_log_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LOG,
  PROP_PAYLOAD_ENCODING,
  PROP_SEARCH_TEXT,
  PROP_FOLLOWING,
  N_PROPS
};

enum
{
  SIGNAL_FAILED,
  SIGNAL_EXPORTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* One icon per kind; the name is the accessible label, the style a libadwaita
 * colour class. */
static const struct
{
  const char *icon_name;
  const char *name;
  const char *tooltip;
  const char *style;
} kinds[] = {
  [SL_LOG_KIND_CALL] = {
    "system-run-symbolic", N_("Call"),
    N_("Call: a socket method, written as the Python of the tutorials"), "sl-log-kind-call" },
  [SL_LOG_KIND_DATA_IN] = {
    "go-down-symbolic", N_("Data in"),
    N_("Data in: bytes received from the peer"), "success" },
  [SL_LOG_KIND_DATA_OUT] = {
    "go-up-symbolic", N_("Data out"),
    N_("Data out: bytes sent to the peer"), "accent" },
  [SL_LOG_KIND_EVENT] = {
    "dialog-information-symbolic", N_("Event"),
    N_("Event: something happened, such as a peer connecting or leaving"), "dim-label" },
  [SL_LOG_KIND_ERROR] = {
    "dialog-error-symbolic", N_("Error"),
    N_("Error: a call failed; the explanation under it says why"), "error" },
  [SL_LOG_KIND_STATE] = {
    "emblem-synchronizing-symbolic", N_("State"),
    N_("State: the endpoint or a connection changed state"), "dim-label" },
};

/* ---- rendering ---------------------------------------------------------- */

static gboolean
is_data_row (SlLogEntry *entry)
{
  SlLogKind kind = sl_log_entry_get_kind (entry);

  return (kind == SL_LOG_KIND_DATA_IN || kind == SL_LOG_KIND_DATA_OUT) &&
         sl_log_entry_get_payload (entry) != NULL;
}

/* "conn.recv(1024) → b'hi'", "server.bind(...) → OSError: ...", "listening". */
static char *
call_text (SlLogEntry *entry)
{
  const char *summary = sl_log_entry_get_summary (entry);
  const char *result = sl_log_entry_get_result (entry);

  if (result == NULL && sl_log_entry_get_error_code (entry) != 0)
    result = sl_log_entry_get_error_name (entry);
  if (result == NULL)
    return g_strdup (summary);

  return g_strconcat (summary, " → ", result, NULL);
}

static void
append_more_bytes (GString *out,
                   gsize    remaining)
{
  /* The same message as the codec's. */
  g_string_append_printf (out, ngettext ("… (%lu more byte)", "… (%lu more bytes)",
                                         (gulong) remaining),
                          (gulong) remaining);
}

/* Decodes only as much base64 as the display shows. */
static char *
decode_base64_prefix (GBytes  *payload,
                      GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  gsize wanted = SL_CODEC_DISPLAY_LIMIT / 3 * 4;
  gsize chars = 0;
  gsize end = 0;
  g_autoptr(GBytes) prefix = NULL;
  GString *out;
  char *text;

  while (end < len && chars < wanted)
    {
      if (!g_ascii_isspace (data[end]))
        chars++;
      end++;
    }

  prefix = g_bytes_new_from_bytes (payload, 0, end);
  text = sl_codec_decode (SL_ENCODING_BASE64, prefix, 0, error);
  if (text == NULL || end == len)
    return text;

  out = g_string_new (text);
  g_free (text);
  /* Four base64 characters are three bytes. */
  append_more_bytes (out, (len - end) / 4 * 3);

  return g_string_free (out, FALSE);
}

/* The payload as the content column shows it. @flag receives a short note
 * when the bytes are not shown decoded, @problem why. */
static char *
render_payload (SlEncoding   encoding,
                GBytes      *payload,
                char       **flag,
                char       **problem)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  char *text = NULL;

  *flag = NULL;
  *problem = NULL;

  if (len == 0)
    return g_strdup (_("(no bytes)"));

  switch (encoding)
    {
    case SL_ENCODING_BASE64:
      if (len > BIG_PAYLOAD)
        text = decode_base64_prefix (payload, &error);
      else
        text = sl_codec_decode (encoding, payload, SL_CODEC_DISPLAY_LIMIT, &error);
      if (text == NULL)
        *flag = g_strdup (_("not valid base64 — shown raw"));
      break;

    case SL_ENCODING_JSON:
      if (len > BIG_PAYLOAD)
        {
          /* Laying out megabytes of JSON is not worth a frozen window. */
          *flag = g_strdup (_("large JSON — shown as received"));
          return sl_codec_decode (SL_ENCODING_TEXT, payload, SL_CODEC_DISPLAY_LIMIT, NULL);
        }
      text = sl_codec_decode (encoding, payload, SL_CODEC_DISPLAY_LIMIT, &error);
      if (text == NULL)
        *flag = g_strdup (_("not valid JSON — shown raw"));
      break;

    case SL_ENCODING_TEXT:
      {
        /* Enough bytes to judge without scanning megabytes; a character cut
         * at the end of them is not a fault. */
        gsize checked = MIN (len, (gsize) 64 * 1024);
        const char *end = NULL;

        if (!g_utf8_validate_len ((const char *) data, checked, &end)
            && (gsize) (end - (const char *) data) + 4 <= checked)
          {
            *flag = g_strdup (_("not valid UTF-8 — bytes escaped"));
            *problem = g_strdup (_("These bytes are not UTF-8 text: Python's data.decode() "
                                   "would raise UnicodeDecodeError. The others are shown as "
                                   "\\xNN; show payloads as Hex to see every byte."));
          }
      }
      text = sl_codec_decode (encoding, payload, SL_CODEC_DISPLAY_LIMIT, &error);
      break;

    case SL_ENCODING_HEX:
    default:
      text = sl_codec_decode (encoding, payload, SL_CODEC_DISPLAY_LIMIT, &error);
      break;
    }

  if (text != NULL)
    return text;

  /* Nothing is lost: the bytes as they are, escaped. */
  if (error != NULL)
    *problem = g_strdup (error->message);
  if (*flag == NULL)
    *flag = g_strdup (_("shown raw"));

  return sl_codec_render (data, len, SL_CODEC_DISPLAY_LIMIT);
}

/* Keeps the first lines of a multi-line payload (pretty JSON, text), then "…". */
static char *
cut_lines (char *text)
{
  char *p = text;

  for (guint line = 1; line < MAX_CONTENT_LINES; line++)
    {
      p = strchr (p, '\n');
      if (p == NULL)
        return text;
      p++;
    }

  p = strchr (p, '\n');
  if (p == NULL)
    return text;

  *p = '\0';
  p = g_strconcat (text, " …", NULL);
  g_free (text);

  return p;
}

static char *
render_content (SlLogView   *self,
                SlLogEntry  *entry,
                char       **flag,
                char       **problem)
{
  if (is_data_row (entry))
    return cut_lines (render_payload (self->payload_encoding, sl_log_entry_get_payload (entry),
                                      flag, problem));

  *flag = NULL;
  *problem = NULL;
  return call_text (entry);
}

/* What the search filter matches: everything a row shows. */
static char *
row_text_cb (SlLogEntry *entry,
             SlLogView  *self)
{
  GString *text;
  const char *parts[5];

  if (entry == NULL)
    return NULL;

  parts[0] = sl_log_entry_get_summary (entry);
  parts[1] = sl_log_entry_get_result (entry);
  parts[2] = sl_log_entry_get_peer (entry);
  parts[3] = sl_log_entry_get_explanation (entry);
  parts[4] = sl_log_entry_get_error_name (entry);

  text = g_string_sized_new (128);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      {
        g_string_append (text, parts[i]);
        g_string_append_c (text, '\n');
      }

  if (is_data_row (entry))
    {
      g_autofree char *flag = NULL;
      g_autofree char *problem = NULL;
      g_autofree char *payload = render_payload (self->payload_encoding,
                                                 sl_log_entry_get_payload (entry),
                                                 &flag, &problem);

      g_string_append (text, payload);
    }

  return g_string_free (text, FALSE);
}

static void
update_filter_expression (SlLogView *self)
{
  g_autoptr(GtkExpression) expression = NULL;

  /* A new expression makes the filter check every row again. */
  expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                            G_CALLBACK (row_text_cb), self, NULL);
  gtk_string_filter_set_expression (self->string_filter, expression);
}

/* ---- cells -------------------------------------------------------------- */

/* Setting a tooltip asks the display where the pointer is (a round trip to
 * the X server in GTK 4.8): cells set one only when it changes. */
static void
update_tooltip (GtkWidget  *widget,
                const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static void
time_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SlLogView                *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "sl-log-time");
  gtk_list_item_set_child (item, label);
}

static void
time_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SlLogView                *self)
{
  SlLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  char text[32];

  sl_log_format_clock (sl_log_entry_get_wall_time (entry), 3, text, sizeof text);
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
kind_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SlLogView                *self)
{
  GtkWidget *image = gtk_image_new ();

  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_widget_set_halign (image, GTK_ALIGN_CENTER);
  gtk_list_item_set_child (item, image);
}

static void
kind_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SlLogView                *self)
{
  SlLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *image = gtk_list_item_get_child (item);
  SlLogKind kind = sl_log_entry_get_kind (entry);
  const char *classes[] = { "sl-log-kind", NULL, NULL };

  if (kind >= G_N_ELEMENTS (kinds))
    kind = SL_LOG_KIND_EVENT;

  /* Rows of a flood are mostly of one kind: nothing to change then. */
  if (g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (image)), kinds[kind].icon_name) == 0)
    return;

  classes[1] = kinds[kind].style;
  gtk_image_set_from_icon_name (GTK_IMAGE (image), kinds[kind].icon_name);
  gtk_widget_set_css_classes (image, classes);
  update_tooltip (image, _(kinds[kind].tooltip));
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _(kinds[kind].name),
                                  -1);
}

static void
size_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SlLogView                *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "sl-log-size");
  gtk_list_item_set_child (item, label);
}

static void
size_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              SlLogView                *self)
{
  SlLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  char text[32] = "";

  if (sl_log_entry_get_payload (entry) != NULL)
    g_snprintf (text, sizeof text, "%lu", (gulong) sl_log_entry_get_size (entry));

  gtk_label_set_text (GTK_LABEL (label), text);
}

/* The content cell: the main text, a line with the Python call of a data row
 * and a flag when the payload is shown raw, and the explanation. */
typedef struct
{
  GtkLabel *main;
  GtkWidget *meta;
  GtkLabel *caption;
  GtkLabel *flag;
  GtkLabel *explanation;
} ContentCell;

static ContentCell
content_cell (GtkListItem *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  ContentCell cell;

  cell.main = GTK_LABEL (gtk_widget_get_first_child (box));
  cell.meta = gtk_widget_get_next_sibling (GTK_WIDGET (cell.main));
  cell.caption = GTK_LABEL (gtk_widget_get_first_child (cell.meta));
  cell.flag = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (cell.caption)));
  cell.explanation = GTK_LABEL (gtk_widget_get_next_sibling (cell.meta));

  return cell;
}

static GtkWidget *
new_cell_label (gboolean wrap)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
    }
  else
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);

  return label;
}

static void
content_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  SlLogView                *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *main_label = new_cell_label (FALSE);
  GtkWidget *meta = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *caption = new_cell_label (FALSE);
  GtkWidget *flag = gtk_label_new (NULL);
  GtkWidget *explanation = new_cell_label (TRUE);

  /* Long payloads and pretty JSON: a few lines (cut_lines()), each ellipsized;
   * the entry keeps every byte. Not wrapped: a wrapping label is measured
   * several times per width, and a flood binds dozens of rows a frame. */
  gtk_widget_add_css_class (main_label, "monospace");
  gtk_widget_add_css_class (main_label, "sl-log-content");

  gtk_widget_set_hexpand (caption, TRUE);
  gtk_widget_add_css_class (caption, "monospace");
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");

  gtk_widget_set_halign (flag, GTK_ALIGN_END);
  gtk_widget_set_valign (flag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (flag, "caption");
  gtk_widget_add_css_class (flag, "warning");
  gtk_widget_add_css_class (flag, "sl-log-flag");

  gtk_widget_add_css_class (explanation, "caption");
  gtk_widget_add_css_class (explanation, "sl-log-explanation");

  gtk_box_append (GTK_BOX (meta), caption);
  gtk_box_append (GTK_BOX (meta), flag);
  gtk_box_append (GTK_BOX (box), main_label);
  gtk_box_append (GTK_BOX (box), meta);
  gtk_box_append (GTK_BOX (box), explanation);
  gtk_list_item_set_child (item, box);
}

static void
bind_content (SlLogView   *self,
              GtkListItem *item)
{
  SlLogEntry *entry = gtk_list_item_get_item (item);
  ContentCell cell = content_cell (item);
  gboolean error = sl_log_entry_get_kind (entry) == SL_LOG_KIND_ERROR;
  const char *explanation = sl_log_entry_get_explanation (entry);
  g_autofree char *flag = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *text = render_content (self, entry, &flag, &problem);

  gtk_label_set_text (cell.main, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (cell.main), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (cell.main), "error");
  /* "(no bytes)" is a note, not data. */
  if (is_data_row (entry) && sl_log_entry_get_size (entry) == 0)
    gtk_widget_add_css_class (GTK_WIDGET (cell.main), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (cell.main), "dim-label");

  if (is_data_row (entry))
    {
      g_autofree char *call = call_text (entry);

      gtk_label_set_text (cell.caption, call);
      gtk_widget_set_visible (GTK_WIDGET (cell.caption), TRUE);
    }
  else
    {
      gtk_label_set_text (cell.caption, "");
      gtk_widget_set_visible (GTK_WIDGET (cell.caption), FALSE);
    }

  gtk_label_set_text (cell.flag, flag != NULL ? flag : "");
  update_tooltip (GTK_WIDGET (cell.flag), problem);
  gtk_widget_set_visible (GTK_WIDGET (cell.flag), flag != NULL);
  gtk_widget_set_visible (cell.meta, is_data_row (entry) || flag != NULL);

  gtk_label_set_text (cell.explanation, explanation != NULL ? explanation : "");
  gtk_widget_set_visible (GTK_WIDGET (cell.explanation), explanation != NULL);
  /* An error's explanation is what to read: full contrast under the red call. */
  if (error)
    gtk_widget_remove_css_class (GTK_WIDGET (cell.explanation), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (cell.explanation), "dim-label");
}

static void
content_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 SlLogView                *self)
{
  g_hash_table_add (self->bound_content, item);
  bind_content (self, item);
}

static void
content_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   SlLogView                *self)
{
  g_hash_table_remove (self->bound_content, item);
}

/* Only the visible rows are bound: re-rendering them is cheap. */
static void
rebind_content (SlLogView *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->bound_content);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    bind_content (self, item);
}

/* ---- following ---------------------------------------------------------- */

static gboolean
adjustment_at_bottom (GtkAdjustment *adjustment)
{
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  return gtk_adjustment_get_value (adjustment) >= bottom - BOTTOM_TOLERANCE;
}

static void
jump_revealed_cb (GtkRevealer *revealer,
                  GParamSpec  *pspec,
                  SlLogView   *self)
{
  /* A hidden revealer would still take the clicks meant for the rows under it. */
  if (!gtk_revealer_get_child_revealed (revealer) && !gtk_revealer_get_reveal_child (revealer))
    gtk_widget_set_visible (GTK_WIDGET (revealer), FALSE);
}

static void end_flood (SlLogView *self);

static void
set_following (SlLogView *self,
               gboolean   following)
{
  following = !!following;
  if (self->following == following)
    return;

  self->following = following;
  /* Scrolling back through a flood: every row again. */
  if (!following)
    end_flood (self);

  if (!following)
    gtk_widget_set_visible (GTK_WIDGET (self->jump_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->jump_revealer, !following);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static void
scroll_to_bottom_now (SlLogView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n == 0)
    return;

  /* Anchors the list at the end of its last row, so that rows measured
   * later do not move the view away from the bottom (setting the
   * adjustment would anchor whatever row is at the top of the view).
   * gtk_list_view_scroll_to() is GTK 4.12; this action is 4.0. */
  self->scrolling = TRUE;
  if (self->list_view == NULL ||
      !gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", n - 1))
    gtk_adjustment_set_value (self->vadjustment,
                              gtk_adjustment_get_upper (self->vadjustment) -
                              gtk_adjustment_get_page_size (self->vadjustment));
  self->scrolling = FALSE;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  SlLogView *self = SL_LOG_VIEW (widget);

  self->scroll_tick_id = 0;
  self->last_rows_per_scroll = self->rows_since_scroll;
  self->rows_since_scroll = 0;
  self->last_scroll = g_get_monotonic_time ();
  /* In the frame's update phase, before its layout, like the scroll below:
   * changing the model between a layout and its drawing makes GTK 4.8 draw
   * rows it has not placed. */
  if (self->following && self->flood_until > self->last_scroll)
    {
      if (!self->flood)
        {
          self->flood = TRUE;
          sl_tail_model_set_limit (self->tail, FLOOD_ROWS);
        }
      sl_tail_model_catch_up (self->tail);
    }
  if (self->following)
    scroll_to_bottom_now (self);

  return G_SOURCE_REMOVE;
}

/* At the next frame, before its layout, so that the list anchors itself at
 * the new end during that layout. */
static void
queue_scroll_to_bottom (SlLogView *self)
{
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb,
                                                         NULL, NULL);
}

static gboolean
flood_end_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  SlLogView *self = SL_LOG_VIEW (widget);

  if (self->flood)
    {
      self->flood = FALSE;
      sl_tail_model_set_limit (self->tail, G_MAXUINT);
      if (self->following)
        scroll_to_bottom_now (self);
    }
  return G_SOURCE_REMOVE;
}

/* Back to every row, at the next frame's update phase. */
static void
end_flood (SlLogView *self)
{
  self->flood_until = 0;
  g_clear_handle_id (&self->flood_end_id, g_source_remove);
  if (self->flood)
    gtk_widget_add_tick_callback (GTK_WIDGET (self), flood_end_tick_cb, NULL, NULL);
}

static gboolean
flood_end_cb (gpointer user_data)
{
  SlLogView *self = user_data;

  self->flood_end_id = 0;
  if (g_get_monotonic_time () < self->flood_until)
    {
      /* Rows kept coming: look again when the quiet time is over. */
      self->flood_end_id = g_timeout_add ((self->flood_until - g_get_monotonic_time ()) / 1000
                                          + 1, flood_end_cb, self);
      return G_SOURCE_REMOVE;
    }
  end_flood (self);
  return G_SOURCE_REMOVE;
}

gboolean
sl_log_view_get_flood (SlLogView *self)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), FALSE);
  return self->flood;
}

static gboolean
burst_timeout_cb (gpointer user_data)
{
  SlLogView *self = user_data;

  self->burst_timeout_id = 0;
  queue_scroll_to_bottom (self);

  return G_SOURCE_REMOVE;
}

/* Rows arrived. GTK 4.8's list view binds the 200 rows before its anchor:
 * following each batch of a flood would bind and measure every row that
 * arrives, most of them scrolled past before they are ever seen. So when the
 * last scroll brought many rows, the next one waits a little, and the rows
 * in between that do not fit are never bound. */
static void
follow_new_rows (SlLogView *self,
                 guint      added)
{
  gint64 since = g_get_monotonic_time () - self->last_scroll;

  self->rows_since_scroll += added;

  if (self->scroll_tick_id != 0 || self->burst_timeout_id != 0)
    return;

  if (self->last_rows_per_scroll > FOLLOW_BURST_ROWS && since < FOLLOW_BURST_INTERVAL_MS * 1000)
    {
      /* A flood: the newest rows only, until it has been quiet for a while. */
      self->flood_until = g_get_monotonic_time () + FLOOD_QUIET_MS * 1000;
      if (self->flood_end_id == 0)
        self->flood_end_id = g_timeout_add (FLOOD_QUIET_MS, flood_end_cb, self);
      self->burst_timeout_id = g_timeout_add ((FOLLOW_BURST_INTERVAL_MS * 1000 - since) / 1000 + 1,
                                              burst_timeout_cb, self);
      return;
    }

  queue_scroll_to_bottom (self);
}

/* GtkListBase sets the adjustment after each layout (rows added below, old
 * rows dropped above, heights measured) with its own value-changed handler
 * blocked: such moves are not the user's. */
static gboolean
list_is_configuring (SlLogView *self)
{
  guint signal_id = g_signal_lookup ("value-changed", GTK_TYPE_ADJUSTMENT);

  if (self->list_view == NULL)
    return FALSE;

  return g_signal_handler_find (self->vadjustment, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA,
                                signal_id, 0, NULL, NULL, self->list_view) != 0 &&
         g_signal_handler_find (self->vadjustment,
                                G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DATA | G_SIGNAL_MATCH_UNBLOCKED,
                                signal_id, 0, NULL, NULL, self->list_view) == 0;
}

static void
vadjustment_changed_cb (GtkAdjustment *adjustment,
                        SlLogView     *self)
{
  if (self->following && !adjustment_at_bottom (adjustment))
    follow_new_rows (self, 0);
}

static void
vadjustment_value_changed_cb (GtkAdjustment *adjustment,
                              SlLogView     *self)
{
  gboolean from_layout = list_is_configuring (self);

  if (self->scrolling)
    return;

  if (from_layout)
    {
      if (self->following && !adjustment_at_bottom (adjustment))
        follow_new_rows (self, 0);
      return;
    }

  /* The user (wheel, scroll bar, keys) or a program scrolled: follow again
   * only at the bottom. */
  set_following (self, adjustment_at_bottom (adjustment));
}

/* Keys move the focus and the list scrolls to it during its layout, which
 * list_is_configuring() cannot tell from rows arriving: decide here. */
static gboolean
list_key_pressed_cb (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     SlLogView             *self)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
        set_following (self, FALSE);
      break;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      set_following (self, TRUE);
      break;

    default:
      break;
    }

  return GDK_EVENT_PROPAGATE;
}

/* ---- model -------------------------------------------------------------- */

static void
update_empty_page (SlLogView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  gboolean filtering = self->search_text != NULL && *self->search_text != '\0';

  if (n > 0 || (filtering && gtk_filter_list_model_get_pending (self->filter_model) > 0))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->empty_page), FALSE);
      return;
    }

  if (filtering)
    {
      g_autofree char *description = NULL;

      /* Translators: %s is the text typed in the log's search bar */
      description = g_strdup_printf (_("No row contains “%s”. Check the spelling, or search "
                                       "for a part of a call, an address or a message."),
                                     self->search_text);
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Matching Rows"));
      adw_status_page_set_description (self->empty_page, description);
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "utilities-terminal-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Calls Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Start an endpoint: every socket call it makes and "
                                         "every message it sends or receives appears here."));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), TRUE);
}

static void
shown_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        SlLogView  *self)
{
  if (g_list_model_get_n_items (model) == 0)
    set_following (self, TRUE);
  else if (added > 0 && self->following)
    follow_new_rows (self, added);

  update_empty_page (self);
}

static void
pending_changed_cb (GtkFilterListModel *model,
                    GParamSpec         *pspec,
                    SlLogView          *self)
{
  update_empty_page (self);
}

static void
update_actions (SlLogView *self)
{
  gboolean have_log = self->log != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.clear", have_log);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.export-text", have_log);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.export-json", have_log);
  g_autoptr(GtkBitset) selected = NULL;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.copy-row",
                                 !gtk_bitset_is_empty (selected));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.what-is-this",
                                 !gtk_bitset_is_empty (selected));
}

static void
selection_changed_cb (GtkSelectionModel *selection,
                      guint              position,
                      guint              n_items,
                      SlLogView         *self)
{
  update_actions (self);
}

/* ---- search ------------------------------------------------------------- */

static void
search_changed_cb (GtkSearchEntry *entry,
                   SlLogView      *self)
{
  if (self->syncing_entry)
    return;

  sl_log_view_set_search_text (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* ---- export ------------------------------------------------------------- */

typedef struct
{
  GFile     *file;
  GPtrArray *entries;
  guint64    dropped;
  gboolean   json;
  char      *contents;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_pointer (&data->contents, g_free);
  g_free (data);
}

static void
export_generate_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  ExportData *data = task_data;
  char *contents;

  /* Entries are immutable and may be read from any thread. */
  if (data->json)
    contents = sl_log_export_json_entries (data->entries, data->dropped);
  else
    contents = sl_log_export_text_entries (data->entries);

  g_task_return_pointer (task, contents, g_free);
}

static void
export_written_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        /* Translators: the first %s is a file name, the second the system's reason */
        g_task_return_new_error (task, error->domain, error->code,
                                 _("Could not write the log to “%s”: %s. Choose another "
                                   "folder or file name."),
                                 name, error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
export_generated_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->contents = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->contents == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&data->entries, g_ptr_array_unref);

  /* data->contents lives in the task data until the write is done. */
  g_file_replace_contents_async (data->file, data->contents, strlen (data->contents),
                                 NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                 g_task_get_cancellable (task),
                                 export_written_cb, g_object_ref (task));
}

void
sl_log_view_export_to_file (SlLogView           *self,
                            GFile               *file,
                            gboolean             json,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  ExportData *data;

  g_return_if_fail (SL_IS_LOG_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_log_view_export_to_file);

  data = g_new0 (ExportData, 1);
  data->file = g_object_ref (file);
  data->json = json;
  if (self->log != NULL)
    data->entries = sl_log_export_snapshot (self->log, &data->dropped);
  else
    data->entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);

  /* Generating the text of 100,000 rows takes a while: not on the main loop. */
  worker = g_task_new (NULL, cancellable, export_generated_cb, g_object_ref (task));
  g_task_set_source_tag (worker, export_generate_thread);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, export_generate_thread);
}

gboolean
sl_log_view_export_to_file_finish (SlLogView     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sl_log_view_export_to_file,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SlLogView *self = SL_LOG_VIEW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;

  if (!sl_log_view_export_to_file_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_EXPORTED], 0, file);
}

static void
export_chosen (SlLogView *self,
               GFile     *file,
               gboolean   json)
{
  sl_log_view_export_to_file (self, file, json, self->cancellable, export_done_cb,
                              g_object_ref (file));
}

static char *
default_export_name (gboolean json)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");

  /* Translators: the start of a suggested file name for an exported log; keep it short */
  return g_strdup_printf ("%s-%s.%s", _("socket-lab-log"), stamp, json ? "json" : "txt");
}

static void
export_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SlLogView) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);
  gboolean json = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "sl-export-json"));

  if (file != NULL)
    export_chosen (self, file, json);
}

static void
choose_export_file (SlLogView *self,
                    gboolean   json)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *name = default_export_name (json);

  g_object_set_data (G_OBJECT (self), "sl-export-json", GINT_TO_POINTER (json));
  sl_file_chooser_run (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, SL_FILE_CHOOSER_SAVE,
                       json ? _("Export Log as JSON") : _("Export Log as Text"), _("_Export"),
                       name, NULL, NULL, self->cancellable, export_chosen_cb,
                       g_object_ref (self));
}

/* ---- actions ------------------------------------------------------------ */

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SlLogView *self = SL_LOG_VIEW (widget);

  if (self->log != NULL)
    sl_log_clear (self->log);
  set_following (self, TRUE);
}

/* The selected rows as the text export writes them: one line each, an
 * explanation the line does not carry on an indented line under it. */
/* The reference entry of a row's call, through the window's win.reference-entry. */
static gboolean
explain_position (SlLogView *self,
                  guint      position)
{
  g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  const char *id;

  if (entry == NULL || sl_log_entry_get_summary (entry) == NULL)
    return FALSE;
  id = sl_reference_id_for_call (sl_log_entry_get_summary (entry));
  if (id == NULL)
    return FALSE;

  return gtk_widget_activate_action (GTK_WIDGET (self), "win.reference-entry", "s", id);
}

static void
what_is_this_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SlLogView *self = SL_LOG_VIEW (widget);
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint position;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    explain_position (self, position);
}

/* Double-click or Enter on a row: what is this call? */
static void
row_activated_cb (SlLogView *self,
                  guint      position)
{
  explain_position (self, position);
}

static void
copy_row_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SlLogView *self = SL_LOG_VIEW (widget);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GString) text = NULL;
  GtkBitsetIter iter;
  guint position;

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (!gtk_bitset_iter_init_first (&iter, selected, &position))
    return;

  text = g_string_new (NULL);
  do
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                           position);
      g_autofree char *line = NULL;
      const char *explanation;

      if (entry == NULL)
        continue;

      line = sl_log_entry_format (entry);
      explanation = sl_log_entry_get_explanation (entry);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);

      /* Error lines already end with their explanation. */
      if (explanation != NULL && sl_log_entry_get_kind (entry) != SL_LOG_KIND_ERROR &&
          sl_log_entry_get_error_code (entry) == 0)
        {
          g_string_append (text, "\n    ");
          g_string_append (text, explanation);
        }
    }
  while (gtk_bitset_iter_next (&iter, &position));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
}

static void
jump_to_newest_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SlLogView *self = SL_LOG_VIEW (widget);

  set_following (self, TRUE);
  scroll_to_bottom_now (self);
  /* Again once the rows at the end have their real height. */
  queue_scroll_to_bottom (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SlLogView *self = SL_LOG_VIEW (widget);
  gboolean enable = !gtk_search_bar_get_search_mode (self->search_bar);

  gtk_search_bar_set_search_mode (self->search_bar, enable);
  if (enable)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
export_text_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose_export_file (SL_LOG_VIEW (widget), FALSE);
}

static void
export_json_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose_export_file (SL_LOG_VIEW (widget), TRUE);
}

/* ---- GObject ------------------------------------------------------------ */

static void
sl_log_view_map (GtkWidget *widget)
{
  SlLogView *self = SL_LOG_VIEW (widget);

  GTK_WIDGET_CLASS (sl_log_view_parent_class)->map (widget);

  if (self->following)
    queue_scroll_to_bottom (self);
}

static void
sl_log_view_dispose (GObject *object)
{
  SlLogView *self = SL_LOG_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->flood_end_id, g_source_remove);

  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }
  g_clear_handle_id (&self->burst_timeout_id, g_source_remove);

  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vadjustment, self);
      g_clear_object (&self->vadjustment);
    }

  if (self->filter_model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->filter_model, self);
      gtk_filter_list_model_set_model (self->filter_model, NULL);
    }
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  g_clear_object (&self->log);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_LOG_VIEW);
  g_clear_object (&self->tail);

  G_OBJECT_CLASS (sl_log_view_parent_class)->dispose (object);
}

static void
sl_log_view_finalize (GObject *object)
{
  SlLogView *self = SL_LOG_VIEW (object);

  g_clear_pointer (&self->bound_content, g_hash_table_unref);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sl_log_view_parent_class)->finalize (object);
}

static void
sl_log_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SlLogView *self = SL_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_PAYLOAD_ENCODING:
      g_value_set_enum (value, self->payload_encoding);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_log_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SlLogView *self = SL_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOG:
      sl_log_view_set_log (self, g_value_get_object (value));
      break;
    case PROP_PAYLOAD_ENCODING:
      sl_log_view_set_payload_encoding (self, g_value_get_enum (value));
      break;
    case PROP_SEARCH_TEXT:
      sl_log_view_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_log_view_class_init (SlLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_log_view_dispose;
  object_class->finalize = sl_log_view_finalize;
  object_class->get_property = sl_log_view_get_property;
  object_class->set_property = sl_log_view_set_property;

  widget_class->map = sl_log_view_map;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL,
                         SL_TYPE_LOG,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_PAYLOAD_ENCODING] =
    g_param_spec_enum ("payload-encoding", NULL, NULL,
                       SL_TYPE_ENCODING, SL_ENCODING_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL,
                          TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An export failed; the error's message is a sentence for a toast. */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__BOXED,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  /* An export chosen in the file chooser was written to this file. */
  signals[SIGNAL_EXPORTED] =
    g_signal_new ("exported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__OBJECT,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_install_action (widget_class, "log.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "log.copy-row", NULL, copy_row_action);
  gtk_widget_class_install_action (widget_class, "log.what-is-this", NULL, what_is_this_action);
  gtk_widget_class_install_action (widget_class, "log.jump-to-newest", NULL,
                                   jump_to_newest_action);
  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "log.export-text", NULL, export_text_action);
  gtk_widget_class_install_action (widget_class, "log.export-json", NULL, export_json_action);

  /* While the focus is in the log; the window adds its own accelerators. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "log.copy-row", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK,
                                       "log.jump-to-newest", NULL);

  g_type_ensure (SL_TYPE_LOG_ENTRY);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-log-view.ui");
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, box);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, selection);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, filter_model);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, string_filter);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SlLogView, jump_revealer);

  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, jump_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, size_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, size_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_unbind_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sl-log-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_log_view_init (SlLogView *self)
{
  GtkEventController *controller;

  self->following = TRUE;
  self->payload_encoding = SL_ENCODING_TEXT;
  self->bound_content = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      self->list_view = child;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (list_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (self->scrolled_window));
  g_signal_connect (self->vadjustment, "changed",
                    G_CALLBACK (vadjustment_changed_cb), self);
  g_signal_connect (self->vadjustment, "value-changed",
                    G_CALLBACK (vadjustment_value_changed_cb), self);

  self->tail = sl_tail_model_new (G_LIST_MODEL (self->filter_model));
  gtk_multi_selection_set_model (self->selection, G_LIST_MODEL (self->tail));
  g_signal_connect (self->filter_model, "items-changed",
                    G_CALLBACK (shown_items_changed_cb), self);
  g_signal_connect (self->filter_model, "notify::pending",
                    G_CALLBACK (pending_changed_cb), self);
  g_signal_connect (self->selection, "selection-changed",
                    G_CALLBACK (selection_changed_cb), self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  update_filter_expression (self);
  update_actions (self);
  update_empty_page (self);
}

/* ---- public ------------------------------------------------------------- */

GtkWidget *
sl_log_view_new (void)
{
  return g_object_new (SL_TYPE_LOG_VIEW, NULL);
}

SlLog *
sl_log_view_get_log (SlLogView *self)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), NULL);

  return self->log;
}

void
sl_log_view_set_log (SlLogView *self,
                     SlLog     *log)
{
  g_return_if_fail (SL_IS_LOG_VIEW (self));
  g_return_if_fail (log == NULL || SL_IS_LOG (log));

  if (!g_set_object (&self->log, log))
    return;

  gtk_filter_list_model_set_model (self->filter_model, G_LIST_MODEL (log));
  set_following (self, TRUE);
  queue_scroll_to_bottom (self);
  update_actions (self);
  update_empty_page (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}

SlEncoding
sl_log_view_get_payload_encoding (SlLogView *self)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), SL_ENCODING_TEXT);

  return self->payload_encoding;
}

void
sl_log_view_set_payload_encoding (SlLogView  *self,
                                  SlEncoding  encoding)
{
  g_return_if_fail (SL_IS_LOG_VIEW (self));
  g_return_if_fail (encoding <= SL_ENCODING_JSON);

  if (self->payload_encoding == encoding)
    return;

  self->payload_encoding = encoding;
  rebind_content (self);
  /* The rows' text changed: filter again when filtering. */
  if (self->search_text != NULL && *self->search_text != '\0')
    update_filter_expression (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAYLOAD_ENCODING]);
}

const char *
sl_log_view_get_search_text (SlLogView *self)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), NULL);

  return self->search_text;
}

void
sl_log_view_set_search_text (SlLogView  *self,
                             const char *text)
{
  g_return_if_fail (SL_IS_LOG_VIEW (self));

  if (text != NULL && *text == '\0')
    text = NULL;

  if (g_strcmp0 (self->search_text, text) == 0)
    return;
  g_free (self->search_text);
  self->search_text = g_strdup (text);

  gtk_string_filter_set_search (self->string_filter, text);

  /* Keep the entry in step when the text comes from the API. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                 text != NULL ? text : "") != 0)
    {
      /* Setting the text passes through "" and the entry reports that at once. */
      self->syncing_entry = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
      self->syncing_entry = FALSE;
    }
  if (text != NULL)
    gtk_search_bar_set_search_mode (self->search_bar, TRUE);

  update_empty_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

GListModel *
sl_log_view_get_shown (SlLogView *self)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

char *
sl_log_view_render_content (SlLogView  *self,
                            SlLogEntry *entry)
{
  g_autofree char *flag = NULL;
  g_autofree char *problem = NULL;

  g_return_val_if_fail (SL_IS_LOG_VIEW (self), NULL);
  g_return_val_if_fail (SL_IS_LOG_ENTRY (entry), NULL);

  return render_content (self, entry, &flag, &problem);
}

gboolean
sl_log_view_get_following (SlLogView *self)
{
  g_return_val_if_fail (SL_IS_LOG_VIEW (self), FALSE);

  return self->following;
}
