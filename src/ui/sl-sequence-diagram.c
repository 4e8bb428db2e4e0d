/* sl-sequence-diagram.c — one TCP connection as a sequence diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-sequence-diagram.h"
#include "sl-drawing.h"

/* How many events the accessible description lists. */
#define N_DESCRIBED 6

#define LABEL_SCALE   0.85
#define CAPTION_SCALE 0.85

typedef enum
{
  ITEM_ARROW,
  ITEM_STATE,
} ItemType;

typedef struct
{
  ItemType  type;
  gboolean  to_peer;   /* arrows: this end → peer */
  gboolean  compact;   /* one of the three arrows of a handshake */
  gboolean  rst;       /* drawn in the error colour */
  char     *label;     /* "send 5 bytes", "SYN", or a state name */
  char     *group;     /* the first arrow of a handshake: "connect()" */
} Item;

struct _SlSequenceDiagram
{
  GtkWidget  parent_instance;

  SlLog     *log;
  guint      connection_id;
  char      *local;
  char      *peer;
  char      *peer_from_log;

  /* The reconstruction, up to the last SL_SEQUENCE_DIAGRAM_MAX_EVENTS items. */
  GPtrArray *items;
  guint      n_earlier;     /* items dropped at the front */
  guint      n_scanned;     /* log rows looked at so far */
  gboolean   linger;        /* SO_LINGER 0 set: close() sends RST */
  gboolean   fin_sent;
  gboolean   fin_received;
  gboolean   reset;
  /* connect() and accept() are rows of the endpoint (connection 0), written
   * just before the connection's first row: the last one seen waits here. */
  const char *pending_handshake;
  gboolean   seen_own_row;
};

G_DEFINE_FINAL_TYPE (SlSequenceDiagram, sl_sequence_diagram, GTK_TYPE_WIDGET)

/* Where everything goes at a width. */
typedef struct
{
  double em;
  double margin;
  double left_x;     /* this end's lifeline */
  double right_x;    /* the peer's lifeline */
  double caption_h;
  double head_h;     /* the boxes naming the lifelines */
  double note_h;     /* "… earlier events" */
  double top;        /* where the first row starts */
  double row_h;
  double compact_h;
  double state_h;
  double height;     /* the natural height */
} Geometry;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->label);
  g_free (item->group);
  g_free (item);
}

static void
add_item (SlSequenceDiagram *self,
          ItemType           type,
          gboolean           to_peer,
          gboolean           compact,
          gboolean           rst,
          char              *label,
          const char        *group)
{
  Item *item = g_new0 (Item, 1);

  item->type = type;
  item->to_peer = to_peer;
  item->compact = compact;
  item->rst = rst;
  item->label = label;
  item->group = g_strdup (group);
  g_ptr_array_add (self->items, item);

  if (self->items->len > SL_SEQUENCE_DIAGRAM_MAX_EVENTS)
    {
      g_ptr_array_remove_index (self->items, 0);
      self->n_earlier++;
    }
}

static void
add_arrow (SlSequenceDiagram *self,
           gboolean           to_peer,
           gboolean           rst,
           char              *label)
{
  add_item (self, ITEM_ARROW, to_peer, FALSE, rst, label, NULL);
}

/* SYN, SYN+ACK, ACK: from this end for connect(), from the peer for accept(). */
static void
add_handshake (SlSequenceDiagram *self,
               gboolean           active,
               const char        *group)
{
  add_item (self, ITEM_ARROW, active, TRUE, FALSE, g_strdup ("SYN"), group);
  add_item (self, ITEM_ARROW, !active, TRUE, FALSE, g_strdup ("SYN+ACK"), NULL);
  add_item (self, ITEM_ARROW, active, TRUE, FALSE, g_strdup ("ACK"), NULL);
}

/* "state: ESTABLISHED → CLOSE_WAIT (peer sent FIN)" → "CLOSE_WAIT";
 * "state: LISTEN" → "LISTEN". */
static char *
parse_state (const char *summary)
{
  const char *start, *arrow, *end;

  if (!g_str_has_prefix (summary, "state: "))
    return NULL;
  start = summary + strlen ("state: ");
  arrow = strstr (start, "→");
  if (arrow != NULL)
    start = arrow + strlen ("→");
  while (*start == ' ')
    start++;
  for (end = start; *end != '\0' && *end != ' ' && *end != '('; end++)
    ;
  if (end == start)
    return NULL;

  return g_strndup (start, end - start);
}

static void
scan_entry (SlSequenceDiagram *self,
            SlLogEntry        *entry)
{
  SlLogKind kind = sl_log_entry_get_kind (entry);
  const char *summary = sl_log_entry_get_summary (entry);
  const char *error_name = sl_log_entry_get_error_name (entry);
  const char *peer = sl_log_entry_get_peer (entry);
  gsize size = sl_log_entry_get_size (entry);

  if (summary == NULL)
    summary = "";

  if (sl_log_entry_get_connection_id (entry) == 0)
    {
      if (sl_log_entry_get_error_code (entry) != 0 || kind != SL_LOG_KIND_CALL)
        return;
      if (strstr (summary, ".connect(") != NULL)
        self->pending_handshake = "connect()";
      else if (strstr (summary, ".accept()") != NULL)
        self->pending_handshake = "accept()";
      return;
    }
  if (sl_log_entry_get_connection_id (entry) != self->connection_id)
    {
      /* That handshake was another connection's. */
      self->pending_handshake = NULL;
      return;
    }
  if (!self->seen_own_row)
    {
      self->seen_own_row = TRUE;
      /* A server's accept() row carries the new connection's id. */
      if (kind == SL_LOG_KIND_CALL && sl_log_entry_get_error_code (entry) == 0
          && strstr (summary, ".accept()") != NULL)
        self->pending_handshake = "accept()";
      if (self->pending_handshake != NULL)
        add_handshake (self, g_str_equal (self->pending_handshake, "connect()"),
                       self->pending_handshake);
      self->pending_handshake = NULL;
    }

  if (self->peer_from_log == NULL && peer != NULL && peer[0] != '\0')
    self->peer_from_log = g_strdup (peer);

  if (kind == SL_LOG_KIND_STATE)
    {
      char *state = parse_state (summary);

      if (state == NULL)
        return;
      /* The kernel dropped the connection because an RST arrived (a close()
       * by the peer with unread data, or its SO_LINGER 0). */
      if (g_str_equal (state, "CLOSED") && strstr (summary, "RST") != NULL && !self->reset)
        {
          add_arrow (self, FALSE, TRUE, g_strdup ("RST"));
          self->reset = TRUE;
        }
      add_item (self, ITEM_STATE, FALSE, FALSE, FALSE, state, NULL);
      return;
    }

  if (g_strcmp0 (error_name, "ECONNRESET") == 0)
    {
      if (!self->reset)
        add_arrow (self, FALSE, TRUE, g_strdup ("RST"));
      self->reset = TRUE;
      return;
    }
  if (sl_log_entry_get_error_code (entry) != 0)
    return;   /* a failed call sent nothing */

  if (kind == SL_LOG_KIND_DATA_OUT && size > 0)
    {
      /* Translators: an arrow of the sequence diagram; %lu is a number of bytes. */
      add_arrow (self, TRUE, FALSE,
                 g_strdup_printf (ngettext ("send %lu byte", "send %lu bytes", size),
                                  (gulong) size));
    }
  else if (kind == SL_LOG_KIND_DATA_IN && size > 0)
    {
      /* Translators: an arrow of the sequence diagram; %lu is a number of bytes. */
      add_arrow (self, FALSE, FALSE,
                 g_strdup_printf (ngettext ("recv %lu byte", "recv %lu bytes", size),
                                  (gulong) size));
    }
  else if ((kind == SL_LOG_KIND_DATA_IN || kind == SL_LOG_KIND_EVENT || kind == SL_LOG_KIND_CALL)
           && strstr (summary, ".recv(") != NULL && size == 0)
    {
      /* recv() returned b'': the peer's FIN (the first time only). */
      if (!self->fin_received && !self->reset)
        add_arrow (self, FALSE, FALSE, g_strdup ("FIN"));
      self->fin_received = TRUE;
    }
  else if (kind != SL_LOG_KIND_CALL && kind != SL_LOG_KIND_EVENT)
    return;
  else if (strstr (summary, ".setsockopt(") != NULL && strstr (summary, "SO_LINGER") != NULL)
    self->linger = TRUE;
  else if (strstr (summary, ".shutdown(socket.SHUT_WR)") != NULL
           || strstr (summary, ".shutdown(socket.SHUT_RDWR)") != NULL)
    {
      if (!self->fin_sent && !self->reset)
        add_arrow (self, TRUE, FALSE, g_strdup (_("FIN (half-close)")));
      self->fin_sent = TRUE;
    }
  else if (g_str_has_suffix (summary, ".close()"))
    {
      const char *explanation = sl_log_entry_get_explanation (entry);

      if (self->reset)
        return;   /* the connection is gone already: nothing is sent */
      if (self->linger || (explanation != NULL && strstr (explanation, "RST") != NULL))
        {
          add_arrow (self, TRUE, TRUE, g_strdup ("RST"));
          self->reset = TRUE;
        }
      else if (!self->fin_sent)
        {
          add_arrow (self, TRUE, FALSE, g_strdup ("FIN"));
          self->fin_sent = TRUE;
        }
    }
}

static void
reset_scan (SlSequenceDiagram *self)
{
  g_ptr_array_set_size (self->items, 0);
  g_clear_pointer (&self->peer_from_log, g_free);
  self->n_earlier = 0;
  self->n_scanned = 0;
  self->linger = FALSE;
  self->fin_sent = FALSE;
  self->fin_received = FALSE;
  self->reset = FALSE;
  self->pending_handshake = NULL;
  self->seen_own_row = FALSE;
}

static void
update_description (SlSequenceDiagram *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint first = self->items->len > N_DESCRIBED ? self->items->len - N_DESCRIBED : 0;

  if (self->items->len == 0)
    g_string_append (text, _("No events yet."));
  else
    g_string_append (text, _("Latest events:"));

  for (guint i = first; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      g_string_append_c (text, ' ');
      if (item->type == ITEM_STATE)
        /* Translators: in the sequence diagram's description; %s is a TCP state name. */
        g_string_append_printf (text, _("state %s;"), item->label);
      else if (item->to_peer)
        /* Translators: in the sequence diagram's description; %s is "FIN", "send 5 bytes"... */
        g_string_append_printf (text, _("%s to the peer;"), item->label);
      else
        /* Translators: in the sequence diagram's description; %s is "FIN", "recv 5 bytes"... */
        g_string_append_printf (text, _("%s from the peer;"), item->label);
    }
  if (text->str[text->len - 1] == ';')
    text->str[text->len - 1] = '.';

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static void
scan_new_rows (SlSequenceDiagram *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  guint before = self->items->len + self->n_earlier;

  for (; self->n_scanned < n; self->n_scanned++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->log),
                                                           self->n_scanned);

      scan_entry (self, entry);
    }

  if (self->items->len + self->n_earlier != before)
    {
      update_description (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
}

static void
items_changed_cb (SlSequenceDiagram *self,
                  guint              position,
                  guint              removed,
                  guint              added)
{
  /* The log only appends, except when its cap drops rows at the front (the
   * reconstruction keeps what it drew from them) or it is cleared (start
   * again from its first row). */
  if (position == 0 && removed > 0 && removed < self->n_scanned)
    self->n_scanned -= removed;
  else if (removed > 0 || position < self->n_scanned)
    {
      reset_scan (self);
      update_description (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  scan_new_rows (self);
}

static void
compute_geometry (SlSequenceDiagram *self,
                  int                width,
                  Geometry          *geo)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) em_layout = sl_drawing_create_layout (widget, "M", FALSE, 1.0);
  g_autoptr(PangoLayout) caption = NULL;
  int w, h;

  pango_layout_get_pixel_size (em_layout, &w, &h);
  geo->em = h;
  geo->margin = 0.75 * geo->em;
  geo->left_x = MAX (width * 0.3, 5 * geo->em);
  geo->right_x = MAX (width * 0.75, geo->left_x + 8 * geo->em);

  caption = sl_drawing_create_layout (widget, NULL, FALSE, CAPTION_SCALE);
  pango_layout_set_text (caption, _("Reconstructed from this program's socket calls and the "
                                    "kernel's states — not a packet capture"), -1);
  pango_layout_set_width (caption, (int) (MAX (width - 2 * geo->margin, 1) * PANGO_SCALE));
  pango_layout_set_wrap (caption, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (caption, NULL, &h);
  geo->caption_h = h;

  geo->head_h = 2.6 * geo->em;
  geo->note_h = self->n_earlier > 0 ? 1.4 * geo->em : 0;
  geo->top = geo->margin + geo->caption_h + 0.6 * geo->em + geo->head_h + geo->note_h
             + 0.6 * geo->em;
  geo->row_h = 2.2 * geo->em;
  geo->compact_h = 1.5 * geo->em;
  geo->state_h = 1.6 * geo->em;

  geo->height = geo->top;
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      geo->height += item->type == ITEM_STATE ? geo->state_h
                     : item->compact ? geo->compact_h : geo->row_h;
    }
  geo->height += geo->margin;
}

static void
append_layout (GtkSnapshot   *snapshot,
               PangoLayout   *layout,
               double         x,
               double         y,
               const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_arrow (cairo_t       *cr,
            double         x0,
            double         x1,
            double         y,
            double         head,
            double         width,
            const GdkRGBA *color)
{
  double dir = x1 > x0 ? 1 : -1;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1 - dir * head * 0.8, y);
  cairo_stroke (cr);
  cairo_move_to (cr, x1, y);
  cairo_line_to (cr, x1 - dir * head, y - 0.42 * head);
  cairo_line_to (cr, x1 - dir * head, y + 0.42 * head);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
rounded_rect (cairo_t *cr,
              double   x,
              double   y,
              double   w,
              double   h,
              double   r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
sl_sequence_diagram_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  SlSequenceDiagram *self = SL_SEQUENCE_DIAGRAM (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  SlDrawingColors colors;
  GdkRGBA line, dim, box_fill, box_border;
  g_autoptr(PangoLayout) caption = NULL;
  Geometry geo;
  cairo_t *cr;
  const char *names[2];
  const char *addresses[2];
  double xs[2];
  double y, head_y;

  if (width <= 0 || height <= 0)
    return;

  sl_drawing_get_colors (widget, &colors);
  compute_geometry (self, width, &geo);
  line = sl_drawing_mix (&colors.bg, &colors.fg, 0.45);
  dim = sl_drawing_mix (&colors.bg, &colors.fg, 0.65);
  box_fill = sl_drawing_mix (&colors.bg, &colors.fg, 0.06);
  box_border = sl_drawing_mix (&colors.bg, &colors.fg, 0.45);

  xs[0] = geo.left_x;
  xs[1] = geo.right_x;
  names[0] = _("This end");
  names[1] = _("Peer");
  addresses[0] = self->local;
  addresses[1] = self->peer != NULL ? self->peer : self->peer_from_log;
  head_y = geo.margin + geo.caption_h + 0.6 * geo.em;

  /* Background, lifelines, heads and arrows with cairo. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &colors.bg);
  cairo_paint (cr);

  for (guint i = 0; i < 2; i++)
    {
      double bw = MIN (11 * geo.em, (geo.right_x - geo.left_x) - geo.em);

      gdk_cairo_set_source_rgba (cr, &line);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, xs[i], head_y + geo.head_h);
      cairo_line_to (cr, xs[i], height - geo.margin / 2);
      cairo_stroke (cr);

      rounded_rect (cr, xs[i] - bw / 2, head_y, bw, geo.head_h, 0.4 * geo.em);
      gdk_cairo_set_source_rgba (cr, &box_fill);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &box_border);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }

  y = geo.top;
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->type == ITEM_STATE)
        {
          g_autoptr(PangoLayout) layout = sl_drawing_create_layout (widget, item->label, TRUE,
                                                                    LABEL_SCALE);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          rounded_rect (cr, geo.left_x - w / 2.0 - 0.5 * geo.em, y + (geo.state_h - h) / 2 - 2,
                        w + geo.em, h + 4, (h + 4) / 2.0);
          gdk_cairo_set_source_rgba (cr, &colors.accent_bg);
          cairo_fill (cr);
          y += geo.state_h;
        }
      else
        {
          double rh = item->compact ? geo.compact_h : geo.row_h;
          double ay = y + rh * 0.72;
          double x0 = item->to_peer ? geo.left_x : geo.right_x;
          double x1 = item->to_peer ? geo.right_x : geo.left_x;

          draw_arrow (cr, x0, x1, ay, (item->compact ? 0.45 : 0.6) * geo.em,
                      item->compact ? 1.5 : 2,
                      item->rst ? &colors.error : item->compact ? &dim : &colors.accent);
          y += rh;
        }
    }
  cairo_destroy (cr);

  /* Text on top, through Pango in the snapshot so that it renders crisply. */
  caption = sl_drawing_create_layout (widget, NULL, FALSE, CAPTION_SCALE);
  pango_layout_set_text (caption, _("Reconstructed from this program's socket calls and the "
                                    "kernel's states — not a packet capture"), -1);
  pango_layout_set_width (caption, (int) (MAX (width - 2 * geo.margin, 1) * PANGO_SCALE));
  pango_layout_set_wrap (caption, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (caption, PANGO_ALIGN_CENTER);
  append_layout (snapshot, caption, geo.margin, geo.margin, &dim);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      int w, h;

      text = addresses[i] != NULL
             ? g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", names[i], addresses[i])
             : g_markup_printf_escaped ("<b>%s</b>", names[i]);
      layout = sl_drawing_create_layout (widget, NULL, FALSE, 1.0);
      pango_layout_set_markup (layout, text, -1);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout (snapshot, layout, xs[i] - w / 2.0, head_y + (geo.head_h - h) / 2, &colors.fg);
    }

  if (self->n_earlier > 0)
    {
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      int w, h;

      /* Translators: above the sequence diagram when older events are not drawn. */
      text = g_strdup_printf (ngettext ("… %u earlier event", "… %u earlier events",
                                        self->n_earlier), self->n_earlier);
      layout = sl_drawing_create_layout (widget, text, FALSE, LABEL_SCALE);
      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout (snapshot, layout, (geo.left_x + geo.right_x - w) / 2,
                     head_y + geo.head_h + (geo.note_h - h) / 2 + 0.3 * geo.em, &dim);
    }

  y = geo.top;
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      g_autoptr(PangoLayout) layout = NULL;
      int w, h;

      if (item->type == ITEM_STATE)
        {
          layout = sl_drawing_create_layout (widget, item->label, TRUE, LABEL_SCALE);
          pango_layout_get_pixel_size (layout, &w, &h);
          append_layout (snapshot, layout, geo.left_x - w / 2.0, y + (geo.state_h - h) / 2,
                         &colors.accent_fg);
          y += geo.state_h;
          continue;
        }

      layout = sl_drawing_create_layout (widget, item->label, !item->compact,
                                         item->compact ? 0.75 : LABEL_SCALE);
      pango_layout_get_pixel_size (layout, &w, &h);
      {
        double rh = item->compact ? geo.compact_h : geo.row_h;
        double ay = y + rh * 0.72;

        append_layout (snapshot, layout, (geo.left_x + geo.right_x - w) / 2, ay - h - 1,
                       item->rst ? &colors.error : item->compact ? &dim : &colors.fg);

        if (item->group != NULL)
          {
            g_autoptr(PangoLayout) group = sl_drawing_create_layout (widget, item->group, TRUE,
                                                                     LABEL_SCALE);
            double group_h = 3 * geo.compact_h;

            pango_layout_get_pixel_size (group, &w, &h);
            append_layout (snapshot, group, geo.left_x - w - 0.6 * geo.em,
                           y + (group_h - h) / 2 + 0.2 * geo.em, &colors.fg);
          }
        y += rh;
      }
    }
}

static void
sl_sequence_diagram_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  SlSequenceDiagram *self = SL_SEQUENCE_DIAGRAM (widget);
  Geometry geo;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      compute_geometry (self, 480, &geo);
      *minimum = (int) (14 * geo.em);
      *natural = 480;
    }
  else
    {
      compute_geometry (self, for_size > 0 ? for_size : 480, &geo);
      *minimum = *natural = (int) geo.height + 1;
    }
}

static void
sl_sequence_diagram_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sl_sequence_diagram_parent_class)->css_changed (widget, change);

  /* Rows are sized by the font; colours follow the style (dark, high contrast). */
  gtk_widget_queue_resize (widget);
}

static void
disconnect_log (SlSequenceDiagram *self)
{
  if (self->log != NULL)
    g_signal_handlers_disconnect_by_data (self->log, self);
  g_clear_object (&self->log);
}

static void
sl_sequence_diagram_dispose (GObject *object)
{
  disconnect_log (SL_SEQUENCE_DIAGRAM (object));

  G_OBJECT_CLASS (sl_sequence_diagram_parent_class)->dispose (object);
}

static void
sl_sequence_diagram_finalize (GObject *object)
{
  SlSequenceDiagram *self = SL_SEQUENCE_DIAGRAM (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->local);
  g_free (self->peer);
  g_free (self->peer_from_log);

  G_OBJECT_CLASS (sl_sequence_diagram_parent_class)->finalize (object);
}

static void
sl_sequence_diagram_class_init (SlSequenceDiagramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_sequence_diagram_dispose;
  object_class->finalize = sl_sequence_diagram_finalize;

  widget_class->snapshot = sl_sequence_diagram_snapshot;
  widget_class->measure = sl_sequence_diagram_measure;
  widget_class->css_changed = sl_sequence_diagram_css_changed;

  gtk_widget_class_set_css_name (widget_class, "sequencediagram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sl_sequence_diagram_init (SlSequenceDiagram *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sequence diagram"),
                                  -1);
  update_description (self);
}

GtkWidget *
sl_sequence_diagram_new (void)
{
  return g_object_new (SL_TYPE_SEQUENCE_DIAGRAM, NULL);
}

void
sl_sequence_diagram_set_log (SlSequenceDiagram *self,
                             SlLog             *log,
                             guint              connection_id)
{
  g_return_if_fail (SL_IS_SEQUENCE_DIAGRAM (self));
  g_return_if_fail (log == NULL || SL_IS_LOG (log));

  if (log == self->log && connection_id == self->connection_id)
    return;

  disconnect_log (self);
  reset_scan (self);
  self->connection_id = connection_id;
  if (log != NULL && connection_id != 0)
    {
      self->log = g_object_ref (log);
      g_signal_connect_swapped (log, "items-changed", G_CALLBACK (items_changed_cb), self);
      scan_new_rows (self);
    }
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
sl_sequence_diagram_set_addresses (SlSequenceDiagram *self,
                                   const char        *local,
                                   const char        *peer)
{
  g_return_if_fail (SL_IS_SEQUENCE_DIAGRAM (self));

  g_free (self->local);
  self->local = g_strdup (local);
  g_free (self->peer);
  self->peer = g_strdup (peer);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sl_sequence_diagram_get_n_arrows (SlSequenceDiagram *self)
{
  guint n = 0;

  g_return_val_if_fail (SL_IS_SEQUENCE_DIAGRAM (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (((Item *) g_ptr_array_index (self->items, i))->type == ITEM_ARROW)
      n++;

  return n;
}
