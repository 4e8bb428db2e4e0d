/* sl-sequence-diagram.c — one TCP connection as a sequence diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-sequence-diagram.h"
#include "sl-drawing.h"
#include "sl-util.h"

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
  gboolean  peer_side; /* states: on the peer's lifeline */
  gboolean  implied;   /* states: implied by the handshake, too brief to read */
  gint64    time;      /* monotonic µs of the row it comes from: the order */
  char     *label;     /* "send 5 bytes", "SYN", or a state name */
  char     *group;     /* the first arrow of a handshake: "connect()" */
} Item;

struct _SlSequenceDiagram
{
  GtkWidget  parent_instance;

  SlLog     *log;
  guint      connection_id;
  /* The peer's end when it is in this program too: its state rows. */
  SlLog     *peer_log;
  guint      peer_connection_id;
  guint      n_peer_scanned;
  gint64     peer_first_time;  /* of the peer connection's first row, or G_MAXINT64 */
  char      *local;
  char      *peer;
  char      *local_name;
  char      *peer_name;
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
  gint64     row_time;      /* the monotonic time of the row being scanned */
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
  item->time = self->row_time;

  /* Rows of the two ends arrive through two logs: keep the items in time order. */
  {
    guint at = self->items->len;

    while (at > 0 && ((Item *) g_ptr_array_index (self->items, at - 1))->time > item->time)
      at--;
    g_ptr_array_insert (self->items, at, item);
  }

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
add_state (SlSequenceDiagram *self,
           gboolean           peer_side,
           gboolean           implied,
           char              *state)
{
  /* An implied state is part of the handshake: compact, like its arrows. */
  add_item (self, ITEM_STATE, FALSE, implied, FALSE, state, NULL);
  /* add_item() put it in time order: find it again (from the end, where it usually is). */
  for (guint i = self->items->len; i > 0; i--)
    {
      Item *item = g_ptr_array_index (self->items, i - 1);

      if (item->label == state)
        {
          item->peer_side = peer_side;
          item->implied = implied;
          break;
        }
    }
}

/* SYN, SYN+ACK, ACK: from this end for connect(), from the peer for accept().
 * SYN_SENT and SYN_RCVD last microseconds on loopback and the connection is
 * only known once it is ESTABLISHED, so they are drawn as implied. The items
 * of the handshake take a time just before the row that revealed it. */
static void
add_handshake (SlSequenceDiagram *self,
               gboolean           active,
               const char        *group)
{
  gint64 saved = self->row_time;

  /* The peer's end may have logged its first row earlier. */
  self->row_time = MIN (saved, self->peer_first_time) - 1;
  add_item (self, ITEM_ARROW, active, TRUE, FALSE, g_strdup ("SYN"), group);
  add_state (self, !active, TRUE, g_strdup ("SYN_SENT"));
  add_state (self, active, TRUE, g_strdup ("SYN_RCVD"));
  add_item (self, ITEM_ARROW, !active, TRUE, FALSE, g_strdup ("SYN+ACK"), NULL);
  add_item (self, ITEM_ARROW, active, TRUE, FALSE, g_strdup ("ACK"), NULL);
  self->row_time = saved;
}

/* The peer's first row came before the handshake drawn from this end's rows:
 * move the handshake (the compact items) before it, keeping the order. */
static void
move_handshake_before (SlSequenceDiagram *self,
                       gint64             time)
{
  gboolean moved = FALSE;

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      if (item->compact && item->time >= time)
        {
          item->time = time - 1;
          moved = TRUE;
        }
    }
  if (!moved)
    return;

  /* Insertion sort: stable, and the array is nearly sorted. */
  for (guint i = 1; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      guint j = i;

      while (j > 0 && ((Item *) g_ptr_array_index (self->items, j - 1))->time > item->time)
        {
          self->items->pdata[j] = self->items->pdata[j - 1];
          j--;
        }
      self->items->pdata[j] = item;
    }
}

/* The peer's rows only add its kernel states, on its lifeline: its sends and
 * receives are the same arrows as this end's. */
static void
scan_peer_entry (SlSequenceDiagram *self,
                 SlLogEntry        *entry)
{
  char *state;

  if (sl_log_entry_get_connection_id (entry) != self->peer_connection_id)
    return;

  self->row_time = sl_log_entry_get_monotonic_time (entry);
  if (self->peer_first_time == G_MAXINT64)
    {
      self->peer_first_time = self->row_time;
      move_handshake_before (self, self->row_time);
    }
  if (sl_log_entry_get_kind (entry) != SL_LOG_KIND_STATE)
    return;

  state = parse_state (sl_log_entry_get_summary (entry) != NULL
                       ? sl_log_entry_get_summary (entry) : "");
  if (state != NULL)
    add_state (self, TRUE, FALSE, state);
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
  self->row_time = sl_log_entry_get_monotonic_time (entry);

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
      add_state (self, FALSE, FALSE, state);
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
  self->n_peer_scanned = 0;
  self->peer_first_time = G_MAXINT64;
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
      if (item->type == ITEM_STATE && item->implied && item->peer_side)
        /* Translators: in the sequence diagram's description; %s is a TCP state name
         * (SYN_SENT, SYN_RCVD) that the handshake implies but that is too brief to read. */
        g_string_append_printf (text, _("peer state %s (implied);"), item->label);
      else if (item->type == ITEM_STATE && item->implied)
        /* Translators: in the sequence diagram's description; %s is a TCP state name
         * (SYN_SENT, SYN_RCVD) that the handshake implies but that is too brief to read. */
        g_string_append_printf (text, _("state %s (implied);"), item->label);
      else if (item->type == ITEM_STATE && item->peer_side)
        /* Translators: in the sequence diagram's description; %s is a TCP state name. */
        g_string_append_printf (text, _("peer state %s;"), item->label);
      else if (item->type == ITEM_STATE)
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
  guint n, before;

  if (self->log == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->log));
  before = self->items->len + self->n_earlier;

  for (; self->n_scanned < n; self->n_scanned++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->log),
                                                           self->n_scanned);

      scan_entry (self, entry);
    }
  if (self->peer_log != NULL)
    {
      guint n_peer = g_list_model_get_n_items (G_LIST_MODEL (self->peer_log));

      for (; self->n_peer_scanned < n_peer; self->n_peer_scanned++)
        {
          g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->peer_log),
                                                               self->n_peer_scanned);

          scan_peer_entry (self, entry);
        }
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
peer_items_changed_cb (SlSequenceDiagram *self,
                       guint              position,
                       guint              removed,
                       guint              added)
{
  if (position == 0 && removed > 0 && removed < self->n_peer_scanned)
    self->n_peer_scanned -= removed;
  else if (removed > 0 || position < self->n_peer_scanned)
    {
      /* Both ends' items are interleaved: start again from both logs. */
      reset_scan (self);
      update_description (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  scan_new_rows (self);
}

/* Two states in a row on different lifelines share one line of the diagram
 * (SYN_SENT beside SYN_RCVD, both ends' ESTABLISHED). */
static gboolean
shares_row (SlSequenceDiagram *self,
            guint              i)
{
  Item *item = g_ptr_array_index (self->items, i);
  Item *previous;

  if (i == 0 || item->type != ITEM_STATE)
    return FALSE;
  previous = g_ptr_array_index (self->items, i - 1);
  if (previous->type != ITEM_STATE || previous->peer_side == item->peer_side)
    return FALSE;

  return !shares_row (self, i - 1);
}

/* How far down the next item goes after item @i. */
static double
item_height (SlSequenceDiagram *self,
             guint              i,
             const Geometry    *geo)
{
  Item *item = g_ptr_array_index (self->items, i);

  if (item->type == ITEM_STATE)
    return i + 1 < self->items->len && shares_row (self, i + 1) ? 0 : geo->state_h;

  return item->compact ? geo->compact_h : geo->row_h;
}

static const char *
caption_text (SlSequenceDiagram *self)
{
  if (self->peer_log != NULL)
    return _("Both ends are in this program. Reconstructed from their socket calls and the "
             "kernel's states — not a packet capture. Dashed states are implied by the "
             "handshake: too brief to read from the kernel.");
  return _("Reconstructed from this program's socket calls and the kernel's states — not a "
           "packet capture. Dashed states are implied by the handshake: too brief to read from "
           "the kernel.");
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
  pango_layout_set_text (caption, caption_text (self), -1);
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
    geo->height += item_height (self, i, geo);
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
  names[0] = self->local_name != NULL ? self->local_name : _("This end");
  names[1] = self->peer_name != NULL ? self->peer_name : _("Peer");
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

          double x = item->peer_side ? geo.right_x : geo.left_x;

          pango_layout_get_pixel_size (layout, &w, &h);
          rounded_rect (cr, x - w / 2.0 - 0.5 * geo.em, y + (geo.state_h - h) / 2 - 2,
                        w + geo.em, h + 4, (h + 4) / 2.0);
          if (item->implied)
            {
              /* Implied, not read from the kernel: an outline, dashed. */
              static const double dashes[] = { 4, 3 };

              gdk_cairo_set_source_rgba (cr, &colors.bg);
              cairo_fill_preserve (cr);
              gdk_cairo_set_source_rgba (cr, &colors.accent);
              cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
              cairo_set_line_width (cr, 1.5);
              cairo_stroke (cr);
              cairo_set_dash (cr, NULL, 0, 0);
            }
          else
            {
              gdk_cairo_set_source_rgba (cr, &colors.accent_bg);
              cairo_fill (cr);
            }
          y += item_height (self, i, &geo);
        }
      else
        {
          double rh = item_height (self, i, &geo);
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
  pango_layout_set_text (caption, caption_text (self), -1);
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
          append_layout (snapshot, layout,
                         (item->peer_side ? geo.right_x : geo.left_x) - w / 2.0,
                         y + (geo.state_h - h) / 2,
                         item->implied ? &colors.accent : &colors.accent_fg);
          y += item_height (self, i, &geo);
          continue;
        }

      layout = sl_drawing_create_layout (widget, item->label, !item->compact,
                                         item->compact ? 0.75 : LABEL_SCALE);
      pango_layout_get_pixel_size (layout, &w, &h);
      {
        double rh = item_height (self, i, &geo);
        double ay = y + rh * 0.72;

        append_layout (snapshot, layout, (geo.left_x + geo.right_x - w) / 2, ay - h - 1,
                       item->rst ? &colors.error : item->compact ? &dim : &colors.fg);

        if (item->group != NULL)
          {
            g_autoptr(PangoLayout) group = sl_drawing_create_layout (widget, item->group, TRUE,
                                                                     LABEL_SCALE);
            /* Beside the SYN that starts it, where no state is drawn. */
            pango_layout_get_pixel_size (group, &w, &h);
            append_layout (snapshot, group, geo.left_x - w - 0.6 * geo.em, ay - h / 2.0,
                           &colors.fg);
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
disconnect_peer_log (SlSequenceDiagram *self)
{
  if (self->peer_log != NULL)
    g_signal_handlers_disconnect_by_data (self->peer_log, self);
  g_clear_object (&self->peer_log);
  self->peer_connection_id = 0;
}

static void
sl_sequence_diagram_dispose (GObject *object)
{
  disconnect_log (SL_SEQUENCE_DIAGRAM (object));
  disconnect_peer_log (SL_SEQUENCE_DIAGRAM (object));

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
  g_free (self->local_name);
  g_free (self->peer_name);

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
  self->peer_first_time = G_MAXINT64;

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
sl_sequence_diagram_set_peer_log (SlSequenceDiagram *self,
                                  SlLog             *log,
                                  guint              connection_id)
{
  g_return_if_fail (SL_IS_SEQUENCE_DIAGRAM (self));
  g_return_if_fail (log == NULL || SL_IS_LOG (log));

  if (connection_id == 0)
    log = NULL;
  if (log == self->peer_log && connection_id == self->peer_connection_id)
    return;

  disconnect_peer_log (self);
  reset_scan (self);
  if (log != NULL)
    {
      self->peer_log = g_object_ref (log);
      self->peer_connection_id = connection_id;
      g_signal_connect_swapped (log, "items-changed", G_CALLBACK (peer_items_changed_cb), self);
    }
  scan_new_rows (self);
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

gboolean
sl_sequence_diagram_has_peer (SlSequenceDiagram *self)
{
  g_return_val_if_fail (SL_IS_SEQUENCE_DIAGRAM (self), FALSE);

  return self->peer_log != NULL;
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

void
sl_sequence_diagram_set_names (SlSequenceDiagram *self,
                               const char        *local,
                               const char        *peer)
{
  g_return_if_fail (SL_IS_SEQUENCE_DIAGRAM (self));

  sl_set_str (&self->local_name, local);
  sl_set_str (&self->peer_name, peer);
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
