/* sl-tcp-state-diagram.c — the TCP state machine of RFC 9293, drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-tcp-state-diagram.h"
#include "sl-drawing.h"
#include "sl-enum-types.h"
#include "sl-tcp-state.h"

/* The boxes drawn: CLOSED appears twice (before and after a connection). */
typedef enum
{
  NODE_CLOSED_TOP,
  NODE_LISTEN,
  NODE_SYN_SENT,
  NODE_SYN_RCVD,
  NODE_ESTABLISHED,
  NODE_FIN_WAIT_1,
  NODE_FIN_WAIT_2,
  NODE_CLOSE_WAIT,
  NODE_CLOSING,
  NODE_LAST_ACK,
  NODE_TIME_WAIT,
  NODE_CLOSED_END,
  N_NODES,
  NODE_NONE = -1,
} Node;

/* Grid position: column 0 is the client (active) side, 2 the server (passive)
 * side; rows 0 to 6 from top to bottom. */
static const struct
{
  SlTcpState state;
  double     col;
  double     row;
} nodes[N_NODES] = {
  [NODE_CLOSED_TOP]  = { SL_TCP_STATE_CLOSED,       1, 0 },
  [NODE_LISTEN]      = { SL_TCP_STATE_LISTEN,       2, 1 },
  [NODE_SYN_SENT]    = { SL_TCP_STATE_SYN_SENT,     0, 1 },
  [NODE_SYN_RCVD]    = { SL_TCP_STATE_SYN_RECEIVED, 2, 2 },
  [NODE_ESTABLISHED] = { SL_TCP_STATE_ESTABLISHED,  1, 3 },
  [NODE_FIN_WAIT_1]  = { SL_TCP_STATE_FIN_WAIT_1,   0, 4 },
  [NODE_FIN_WAIT_2]  = { SL_TCP_STATE_FIN_WAIT_2,   0, 5 },
  [NODE_CLOSE_WAIT]  = { SL_TCP_STATE_CLOSE_WAIT,   2, 4 },
  [NODE_CLOSING]     = { SL_TCP_STATE_CLOSING,      1, 5 },
  [NODE_LAST_ACK]    = { SL_TCP_STATE_LAST_ACK,     2, 5 },
  [NODE_TIME_WAIT]   = { SL_TCP_STATE_TIME_WAIT,    0, 6 },
  [NODE_CLOSED_END]  = { SL_TCP_STATE_CLOSED,       2, 6 },
};

/* "event / segment sent". Only labels with words are translated: function
 * and segment names are what the tutorials and RFC 9293 write. */
static const struct
{
  Node        from;
  Node        to;
  const char *label;
  gboolean    translatable;
} edges[] = {
  { NODE_CLOSED_TOP,  NODE_SYN_SENT,    "connect() / SYN", FALSE },
  { NODE_CLOSED_TOP,  NODE_LISTEN,      "listen()", FALSE },
  { NODE_LISTEN,      NODE_SYN_RCVD,    "SYN / SYN+ACK", FALSE },
  { NODE_SYN_SENT,    NODE_SYN_RCVD,    "SYN / SYN+ACK", FALSE },
  { NODE_SYN_SENT,    NODE_ESTABLISHED, "SYN+ACK / ACK", FALSE },
  { NODE_SYN_RCVD,    NODE_ESTABLISHED, "ACK", FALSE },
  { NODE_ESTABLISHED, NODE_FIN_WAIT_1,  "close() / FIN", FALSE },
  { NODE_ESTABLISHED, NODE_CLOSE_WAIT,  "FIN / ACK", FALSE },
  { NODE_FIN_WAIT_1,  NODE_FIN_WAIT_2,  "ACK", FALSE },
  { NODE_FIN_WAIT_1,  NODE_CLOSING,     "FIN / ACK", FALSE },
  { NODE_FIN_WAIT_2,  NODE_TIME_WAIT,   "FIN / ACK", FALSE },
  { NODE_CLOSING,     NODE_TIME_WAIT,   "ACK", FALSE },
  { NODE_CLOSE_WAIT,  NODE_LAST_ACK,    "close() / FIN", FALSE },
  { NODE_LAST_ACK,    NODE_CLOSED_END,  "ACK", FALSE },
  /* Translators: the edge from TIME_WAIT to CLOSED; keep "2MSL" (twice the
   * maximum segment lifetime). */
  { NODE_TIME_WAIT,   NODE_CLOSED_END,  N_("timeout 2MSL"), TRUE },
};

#define N_EDGES G_N_ELEMENTS (edges)

/* Natural and minimum sizes of the widget, in pixels. */
#define NATURAL_WIDTH  640
#define NATURAL_HEIGHT 420
#define MIN_WIDTH      360
#define MIN_HEIGHT     240

struct _SlTcpStateDiagram
{
  GtkWidget   parent_instance;

  SlTcpState  state;
  GArray     *path;       /* of SlTcpState, UNKNOWN entries removed */
};

G_DEFINE_FINAL_TYPE (SlTcpStateDiagram, sl_tcp_state_diagram, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where everything goes at the current size. Positions are in content units;
 * widget = offset + content * scale (scale < 1 only when the widget is
 * smaller than the text needs). */
typedef struct
{
  double scale;
  double ox;
  double oy;
  double em;          /* the height of a state name */
  double box_w;
  double box_h;
  double need_w;
  double need_h;
  double col_x[3];
  double row_y[7];
} Geometry;

/* The states of the path mapped to boxes, and which edges they took. */
typedef struct
{
  Node     current;
  gboolean after_open;  /* the path left CLOSED: CLOSED is the bottom box */
  gboolean on_path[N_NODES];
  gboolean edge_taken[N_EDGES];
  GArray  *jumps;     /* pairs of Node joined by no edge */
} PathInfo;

static Node
node_for_state (SlTcpState state,
                gboolean   after_open)
{
  if (state == SL_TCP_STATE_CLOSED)
    return after_open ? NODE_CLOSED_END : NODE_CLOSED_TOP;

  for (guint i = 0; i < N_NODES; i++)
    if (nodes[i].state == state)
      return i;

  return NODE_NONE;
}

static int
find_edge (Node from,
           Node to)
{
  for (guint i = 0; i < N_EDGES; i++)
    if (edges[i].from == from && edges[i].to == to)
      return i;

  return -1;
}

static void
path_info_init (SlTcpStateDiagram *self,
                PathInfo          *info)
{
  Node prev = NODE_NONE;
  gboolean after_open = FALSE;

  memset (info, 0, sizeof *info);
  info->jumps = g_array_new (FALSE, FALSE, sizeof (Node));

  for (guint i = 0; i < self->path->len; i++)
    {
      SlTcpState state = g_array_index (self->path, SlTcpState, i);
      Node node = node_for_state (state, after_open);

      if (node == NODE_NONE)
        continue;
      if (state != SL_TCP_STATE_CLOSED)
        after_open = TRUE;

      info->on_path[node] = TRUE;
      if (prev != NODE_NONE && prev != node)
        {
          int edge = find_edge (prev, node);

          if (edge >= 0)
            {
              info->edge_taken[edge] = TRUE;
            }
          else
            {
              g_array_append_val (info->jumps, prev);
              g_array_append_val (info->jumps, node);
            }
        }
      prev = node;
    }

  /* CLOSED is the bottom box once the path has left CLOSED. */
  info->after_open = after_open;
  info->current = node_for_state (self->state, after_open);
}

static void
path_info_clear (PathInfo *info)
{
  g_clear_pointer (&info->jumps, g_array_unref);
}

static const char *
edge_label (guint edge)
{
  return edges[edge].translatable ? _(edges[edge].label) : edges[edge].label;
}

#define LABEL_SCALE 0.9

static void
compute_geometry (SlTcpStateDiagram *self,
                  double             width,
                  double             height,
                  Geometry          *geo)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double text_w = 0, text_h = 0, label_w = 0, label_h = 0;
  double margin, margin_y, col_step, row_step, content_w, content_h, step;

  for (guint i = 0; i < N_NODES; i++)
    {
      g_autoptr(PangoLayout) layout =
        sl_drawing_create_layout (widget, sl_tcp_state_to_string (nodes[i].state), TRUE, 1.0);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      text_w = MAX (text_w, w);
      text_h = MAX (text_h, h);
    }
  for (guint i = 0; i < N_EDGES; i++)
    {
      g_autoptr(PangoLayout) layout =
        sl_drawing_create_layout (widget, edge_label (i), TRUE, LABEL_SCALE);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      label_w = MAX (label_w, w);
      label_h = MAX (label_h, h);
    }

  geo->em = MAX (text_h, 1);
  geo->box_w = text_w + 1.6 * geo->em;
  geo->box_h = 1.55 * geo->em;
  margin = 1.0 * geo->em;
  margin_y = 0.5 * geo->em;

  /* Two labels sit side by side half a column apart (FIN_WAIT_1's two
   * edges); a row leaves room for one label between two boxes. */
  col_step = MAX (geo->box_w + geo->em, label_w + 1.5 * geo->em);
  row_step = geo->box_h + label_h + 1.2 * geo->em;
  geo->need_w = 2 * margin + geo->box_w + 2 * col_step;
  geo->need_h = 2 * margin_y + geo->box_h + 6 * row_step;

  geo->scale = MIN (1.0, MIN (width / geo->need_w, height / geo->need_h));
  geo->scale = MAX (geo->scale, 0.05);
  content_w = width / geo->scale;
  content_h = height / geo->scale;

  /* Spread out into the room there is, up to a point, and centre. */
  col_step = MIN ((content_w - 2 * margin - geo->box_w) / 2, 1.8 * col_step);
  row_step = MIN ((content_h - 2 * margin_y - geo->box_h) / 6, 1.6 * row_step);
  geo->ox = (width - (geo->box_w + 2 * col_step) * geo->scale) / 2;
  geo->oy = (height - (geo->box_h + 6 * row_step) * geo->scale) / 2;

  step = col_step;
  for (guint c = 0; c < 3; c++)
    geo->col_x[c] = geo->box_w / 2 + c * step;
  for (guint r = 0; r < 7; r++)
    geo->row_y[r] = geo->box_h / 2 + r * row_step;
}

static void
node_center (const Geometry *geo,
             Node            node,
             double         *x,
             double         *y)
{
  *x = geo->col_x[(int) nodes[node].col];
  *y = geo->row_y[(int) nodes[node].row];
}

/* Where the segment from the centre of @from to the centre of @to leaves the
 * box of @from (plus @gap). */
static void
clip_to_box (const Geometry *geo,
             Node            from,
             Node            to,
             double          gap,
             double         *x,
             double         *y)
{
  double x0, y0, x1, y1, dx, dy, t = G_MAXDOUBLE;

  node_center (geo, from, &x0, &y0);
  node_center (geo, to, &x1, &y1);
  dx = x1 - x0;
  dy = y1 - y0;
  if (ABS (dx) > 1e-9)
    t = MIN (t, (geo->box_w / 2 + gap) / ABS (dx));
  if (ABS (dy) > 1e-9)
    t = MIN (t, (geo->box_h / 2 + gap) / ABS (dy));
  if (t == G_MAXDOUBLE)
    t = 0;

  *x = x0 + dx * t;
  *y = y0 + dy * t;
}

static void
rounded_rect_path (cairo_t *cr,
                   double   x,
                   double   y,
                   double   w,
                   double   h,
                   double   r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
draw_arrow (cairo_t        *cr,
            const Geometry *geo,
            Node            from,
            Node            to,
            const GdkRGBA  *color,
            double          width,
            gboolean        dashed)
{
  double x0, y0, x1, y1, ux, uy, head = 0.55 * geo->em;
  graphene_vec2_t direction;

  clip_to_box (geo, from, to, 2, &x0, &y0);
  clip_to_box (geo, to, from, 2, &x1, &y1);
  /* graphene instead of libm, which the UI library does not link. */
  graphene_vec2_init (&direction, x1 - x0, y1 - y0);
  graphene_vec2_normalize (&direction, &direction);
  ux = graphene_vec2_get_x (&direction);
  uy = graphene_vec2_get_y (&direction);

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, width);
  if (dashed)
    {
      double dash[] = { 2 * width, 2 * width };

      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_move_to (cr, x0, y0);
  /* The line stops inside the head so that the tip stays sharp. */
  cairo_line_to (cr, x1 - ux * head * 0.8, y1 - uy * head * 0.8);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - head * ux - 0.42 * head * uy, y1 - head * uy + 0.42 * head * ux);
  cairo_line_to (cr, x1 - head * ux + 0.42 * head * uy, y1 - head * uy - 0.42 * head * ux);
  cairo_close_path (cr);
  cairo_fill (cr);
}

/* The centre of the label of @edge (@label_w wide): the middle of the edge;
 * beside a vertical edge (towards the middle of the diagram) so that its short
 * arrow stays visible. */
static void
edge_label_center (const Geometry *geo,
                   guint           edge,
                   double          label_w,
                   double         *x,
                   double         *y)
{
  double x0, y0, x1, y1;

  clip_to_box (geo, edges[edge].from, edges[edge].to, 0, &x0, &y0);
  clip_to_box (geo, edges[edge].to, edges[edge].from, 0, &x1, &y1);
  *x = (x0 + x1) / 2;
  *y = (y0 + y1) / 2;

  if (nodes[edges[edge].from].col == nodes[edges[edge].to].col)
    {
      double shift = 0.4 * geo->em + label_w / 2;

      *x += nodes[edges[edge].from].col < 1 ? shift : -shift;
    }
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         cx,
                  double         cy,
                  const GdkRGBA *color)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (cx - w / 2.0, cy - h / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
sl_tcp_state_diagram_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  SlTcpStateDiagram *self = SL_TCP_STATE_DIAGRAM (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  PangoLayout *label_layouts[N_EDGES] = { NULL, };
  cairo_t *cr;
  Geometry geo;
  PathInfo info;
  SlDrawingColors colors;
  GdkRGBA line, dim, box_fill, box_border, path_fill, label_text;
  const char *headings[4];
  const double heading_pos[4][2] = { { 0, 0 }, { 2, 0 }, { 0, 3 }, { 2, 3 } };

  if (width <= 0 || height <= 0)
    return;

  sl_drawing_get_colors (widget, &colors);
  compute_geometry (self, width, height, &geo);
  path_info_init (self, &info);

  line = sl_drawing_mix (&colors.bg, &colors.fg, 0.5);
  dim = sl_drawing_mix (&colors.bg, &colors.fg, 0.6);
  label_text = sl_drawing_mix (&colors.bg, &colors.fg, 0.85);
  box_fill = sl_drawing_mix (&colors.bg, &colors.fg, 0.06);
  box_border = sl_drawing_mix (&colors.bg, &colors.fg, 0.45);
  path_fill = sl_drawing_mix (&colors.bg, &colors.accent_bg, 0.18);

  for (guint i = 0; i < N_EDGES; i++)
    label_layouts[i] = sl_drawing_create_layout (widget, edge_label (i), info.edge_taken[i],
                                                 LABEL_SCALE);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  gdk_cairo_set_source_rgba (cr, &colors.bg);
  cairo_paint (cr);

  cairo_translate (cr, geo.ox, geo.oy);
  cairo_scale (cr, geo.scale, geo.scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* Edges not taken first, so that the path is drawn over them. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < N_EDGES; i++)
      if (info.edge_taken[i] == (pass == 1))
        draw_arrow (cr, &geo, edges[i].from, edges[i].to,
                    pass == 1 ? &colors.accent : &line,
                    pass == 1 ? 0.2 * geo.em : 0.09 * geo.em, FALSE);

  for (guint i = 0; i + 1 < info.jumps->len; i += 2)
    draw_arrow (cr, &geo, g_array_index (info.jumps, Node, i),
                g_array_index (info.jumps, Node, i + 1), &colors.accent, 0.15 * geo.em, TRUE);

  /* A background behind each edge label so that lines do not cross the text. */
  for (guint i = 0; i < N_EDGES; i++)
    {
      double cx, cy, pad = 0.25 * geo.em;
      int w, h;

      pango_layout_get_pixel_size (label_layouts[i], &w, &h);
      edge_label_center (&geo, i, w, &cx, &cy);
      rounded_rect_path (cr, cx - w / 2.0 - pad, cy - h / 2.0, w + 2 * pad, h, h / 2.0);
      gdk_cairo_set_source_rgba (cr, &colors.bg);
      cairo_fill (cr);
    }

  for (guint i = 0; i < N_NODES; i++)
    {
      double cx, cy, r = 0.35 * geo.em;
      double x, y;

      node_center (&geo, i, &cx, &cy);
      x = cx - geo.box_w / 2;
      y = cy - geo.box_h / 2;

      if (i == (guint) info.current)
        {
          /* A ring around the current state, then the filled box. */
          double ring = 0.22 * geo.em;

          rounded_rect_path (cr, x - ring, y - ring, geo.box_w + 2 * ring,
                             geo.box_h + 2 * ring, r + ring);
          gdk_cairo_set_source_rgba (cr, &colors.accent);
          cairo_set_line_width (cr, 0.1 * geo.em);
          cairo_stroke (cr);

          rounded_rect_path (cr, x, y, geo.box_w, geo.box_h, r);
          gdk_cairo_set_source_rgba (cr, &colors.accent_bg);
          cairo_fill (cr);
        }
      else
        {
          rounded_rect_path (cr, x, y, geo.box_w, geo.box_h, r);
          gdk_cairo_set_source_rgba (cr, info.on_path[i] ? &path_fill : &box_fill);
          cairo_fill_preserve (cr);
          gdk_cairo_set_source_rgba (cr, info.on_path[i] ? &colors.accent : &box_border);
          cairo_set_line_width (cr, info.on_path[i] ? 0.16 * geo.em : 0.07 * geo.em);
          cairo_stroke (cr);
        }
    }

  cairo_destroy (cr);

  /* Text on top, through Pango in the snapshot so it renders crisply. */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (geo.ox, geo.oy));
  gtk_snapshot_scale (snapshot, geo.scale, geo.scale);

  for (guint i = 0; i < N_EDGES; i++)
    {
      double cx, cy;
      int w;

      pango_layout_get_pixel_size (label_layouts[i], &w, NULL);
      edge_label_center (&geo, i, w, &cx, &cy);
      append_layout_at (snapshot, label_layouts[i], cx, cy,
                        info.edge_taken[i] ? &colors.accent : &label_text);
    }

  for (guint i = 0; i < N_NODES; i++)
    {
      g_autoptr(PangoLayout) layout =
        sl_drawing_create_layout (widget, sl_tcp_state_to_string (nodes[i].state), TRUE, 1.0);
      double cx, cy;

      node_center (&geo, i, &cx, &cy);
      append_layout_at (snapshot, layout, cx, cy,
                        i == (guint) info.current ? &colors.accent_fg : &colors.fg);
    }

  /* Which side is which, in the empty corners of the grid, flush with the
   * outer edge of the boxes below them. */
  headings[0] = _("Client: active open");
  headings[1] = _("Server: passive open");
  headings[2] = _("Active close");
  headings[3] = _("Passive close");
  for (guint i = 0; i < G_N_ELEMENTS (headings); i++)
    {
      g_autoptr(PangoLayout) layout =
        sl_drawing_create_layout (widget, headings[i], FALSE, LABEL_SCALE);
      gboolean left = heading_pos[i][0] == 0;
      double room = geo.col_x[1] - geo.col_x[0] - 0.5 * geo.em;
      double cy = geo.row_y[(int) heading_pos[i][1]];
      int w, h;

      pango_layout_set_width (layout, (int) (room * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
      pango_layout_get_pixel_size (layout, &w, &h);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (left ? geo.col_x[0] - geo.box_w / 2
                                                         : geo.col_x[2] + geo.box_w / 2 - room,
                                                    cy - h / 2.0));
      gtk_snapshot_append_layout (snapshot, layout, &dim);
      gtk_snapshot_restore (snapshot);
    }

  gtk_snapshot_restore (snapshot);

  for (guint i = 0; i < N_EDGES; i++)
    g_object_unref (label_layouts[i]);
  path_info_clear (&info);
}

static void
sl_tcp_state_diagram_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  Geometry geo;

  /* The room the text needs at scale 1 (larger with a larger font). */
  compute_geometry (SL_TCP_STATE_DIAGRAM (widget), 1, 1, &geo);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = MAX (NATURAL_WIDTH, (int) geo.need_w + 1);
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = MAX (NATURAL_HEIGHT, (int) geo.need_h + 1);
    }
}

static void
update_description (SlTcpStateDiagram *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->state == SL_TCP_STATE_UNKNOWN)
    g_string_append (text, _("No current state."));
  else
    /* Translators: %s is a TCP state name such as TIME_WAIT (not translated). */
    g_string_append_printf (text, _("Current state: %s."), sl_tcp_state_to_string (self->state));

  if (self->path->len > 0)
    {
      g_autoptr(GString) path = g_string_new (NULL);

      for (guint i = 0; i < self->path->len; i++)
        {
          if (i > 0)
            g_string_append (path, " → ");
          g_string_append (path,
                           sl_tcp_state_to_string (g_array_index (self->path, SlTcpState, i)));
        }
      g_string_append_c (text, ' ');
      /* Translators: %s is a list of TCP states joined by arrows. */
      g_string_append_printf (text, _("Path: %s."), path->str);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  Geometry geo;

  if (keyboard_mode)
    return FALSE;

  compute_geometry (SL_TCP_STATE_DIAGRAM (widget), gtk_widget_get_width (widget),
                    gtk_widget_get_height (widget), &geo);

  for (guint i = 0; i < N_NODES; i++)
    {
      double cx, cy, wx, wy;
      g_autofree char *text = NULL;

      node_center (&geo, i, &cx, &cy);
      wx = geo.ox + cx * geo.scale;
      wy = geo.oy + cy * geo.scale;
      if (ABS (x - wx) > geo.box_w * geo.scale / 2 || ABS (y - wy) > geo.box_h * geo.scale / 2)
        continue;

      text = g_strdup_printf ("%s: %s", sl_tcp_state_to_string (nodes[i].state),
                              sl_tcp_state_explain (nodes[i].state));
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }

  return FALSE;
}

static void
sl_tcp_state_diagram_css_changed (GtkWidget         *widget,
                                  GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sl_tcp_state_diagram_parent_class)->css_changed (widget, change);

  /* The boxes are sized by the font, and the colours come from named colours
   * that change with the style (dark mode, high contrast). */
  gtk_widget_queue_resize (widget);
}

static void
sl_tcp_state_diagram_finalize (GObject *object)
{
  SlTcpStateDiagram *self = SL_TCP_STATE_DIAGRAM (object);

  g_clear_pointer (&self->path, g_array_unref);

  G_OBJECT_CLASS (sl_tcp_state_diagram_parent_class)->finalize (object);
}

static void
sl_tcp_state_diagram_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SlTcpStateDiagram *self = SL_TCP_STATE_DIAGRAM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_tcp_state_diagram_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SlTcpStateDiagram *self = SL_TCP_STATE_DIAGRAM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      sl_tcp_state_diagram_set_state (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_tcp_state_diagram_class_init (SlTcpStateDiagramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sl_tcp_state_diagram_finalize;
  object_class->get_property = sl_tcp_state_diagram_get_property;
  object_class->set_property = sl_tcp_state_diagram_set_property;

  widget_class->snapshot = sl_tcp_state_diagram_snapshot;
  widget_class->measure = sl_tcp_state_diagram_measure;
  widget_class->css_changed = sl_tcp_state_diagram_css_changed;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SL_TYPE_TCP_STATE, SL_TCP_STATE_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "tcpstatediagram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sl_tcp_state_diagram_init (SlTcpStateDiagram *self)
{
  self->state = SL_TCP_STATE_UNKNOWN;
  self->path = g_array_new (FALSE, FALSE, sizeof (SlTcpState));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("TCP state diagram"),
                                  -1);
  update_description (self);
}

GtkWidget *
sl_tcp_state_diagram_new (void)
{
  return g_object_new (SL_TYPE_TCP_STATE_DIAGRAM, NULL);
}

SlTcpState
sl_tcp_state_diagram_get_state (SlTcpStateDiagram *self)
{
  g_return_val_if_fail (SL_IS_TCP_STATE_DIAGRAM (self), SL_TCP_STATE_UNKNOWN);

  return self->state;
}

void
sl_tcp_state_diagram_set_state (SlTcpStateDiagram *self,
                                SlTcpState         state)
{
  g_return_if_fail (SL_IS_TCP_STATE_DIAGRAM (self));

  if (self->state == state)
    return;

  self->state = state;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
sl_tcp_state_diagram_set_path (SlTcpStateDiagram *self,
                               const SlTcpState  *states,
                               guint              n)
{
  g_return_if_fail (SL_IS_TCP_STATE_DIAGRAM (self));
  g_return_if_fail (states != NULL || n == 0);

  g_array_set_size (self->path, 0);
  for (guint i = 0; i < n; i++)
    if (states[i] != SL_TCP_STATE_UNKNOWN)
      g_array_append_val (self->path, states[i]);

  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sl_tcp_state_diagram_clear_path (SlTcpStateDiagram *self)
{
  sl_tcp_state_diagram_set_path (self, NULL, 0);
}

gboolean
sl_tcp_state_diagram_get_state_bounds (SlTcpStateDiagram *self,
                                       SlTcpState         state,
                                       graphene_rect_t   *out)
{
  int width, height;
  Geometry geo;
  PathInfo info;
  Node node;
  double cx, cy;

  g_return_val_if_fail (SL_IS_TCP_STATE_DIAGRAM (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0 || state == SL_TCP_STATE_UNKNOWN)
    return FALSE;

  path_info_init (self, &info);
  node = node_for_state (state, info.after_open);
  path_info_clear (&info);
  if (node == NODE_NONE)
    return FALSE;

  compute_geometry (self, width, height, &geo);
  node_center (&geo, node, &cx, &cy);
  graphene_rect_init (out,
                      geo.ox + (cx - geo.box_w / 2) * geo.scale,
                      geo.oy + (cy - geo.box_h / 2) * geo.scale,
                      geo.box_w * geo.scale,
                      geo.box_h * geo.scale);

  return TRUE;
}
