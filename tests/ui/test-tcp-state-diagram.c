/* test-tcp-state-diagram.c — the state-machine diagram, rendered to PNG and checked by pixel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sl-tcp-state-diagram.h"
#include "sl-tcp-state.h"
#include "sl-ui-test-util.h"

#define WIDTH  640
#define HEIGHT 420

static char *tmp_dir;

/* The pixels of a rendered PNG (ARGB32 premultiplied; the diagram is opaque). */
typedef struct
{
  int     width;
  int     height;
  gsize   stride;
  guchar *data;
} Pixels;

static void
pixels_free (Pixels *pixels)
{
  g_free (pixels->data);
  g_free (pixels);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pixels, pixels_free)

static void
pixel_at (const Pixels *pixels,
          int           x,
          int           y,
          GdkRGBA      *out)
{
  const guchar *p = pixels->data + y * pixels->stride + x * 4;

  /* GDK_MEMORY_DEFAULT is B8G8R8A8 premultiplied on little endian. */
  out->blue = p[0] / 255.0;
  out->green = p[1] / 255.0;
  out->red = p[2] / 255.0;
  out->alpha = p[3] / 255.0;
}

static gboolean
near (const GdkRGBA *a,
      const GdkRGBA *b)
{
  return ABS (a->red - b->red) < 0.04 && ABS (a->green - b->green) < 0.04
         && ABS (a->blue - b->blue) < 0.04;
}

static double
luminance (const GdkRGBA *c)
{
  return 0.299 * c->red + 0.587 * c->green + 0.114 * c->blue;
}

/* Renders @diagram to @name.png in the temporary folder, loads it back and checks its size. */
static Pixels *
render (GtkWidget  *diagram,
        const char *name)
{
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (tmp_dir, file_name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Pixels *pixels;

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
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gtk_widget_get_width (diagram));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (diagram));

  pixels = g_new0 (Pixels, 1);
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->stride = pixels->width * 4;
  pixels->data = g_malloc (pixels->stride * pixels->height);
  gdk_texture_download (texture, pixels->data, pixels->stride);

  return pixels;
}

/* The fraction of the pixels inside @state's box that are @color. */
static double
fraction_of_color (SlTcpStateDiagram *diagram,
                   const Pixels      *pixels,
                   SlTcpState         state,
                   const GdkRGBA     *color)
{
  graphene_rect_t box;
  guint total = 0, hits = 0;

  g_assert_true (sl_tcp_state_diagram_get_state_bounds (diagram, state, &box));
  g_assert_cmpfloat (box.size.width, >, 20);
  g_assert_cmpfloat (box.size.height, >, 10);

  for (int y = (int) box.origin.y + 2; y < (int) (box.origin.y + box.size.height) - 2; y++)
    for (int x = (int) box.origin.x + 2; x < (int) (box.origin.x + box.size.width) - 2; x++)
      {
        GdkRGBA c;

        g_assert_cmpint (x, <, pixels->width);
        g_assert_cmpint (y, <, pixels->height);
        pixel_at (pixels, x, y, &c);
        total++;
        if (near (&c, color))
          hits++;
      }

  g_assert_cmpuint (total, >, 0);
  return (double) hits / total;
}

/* The pixels of @color on the vertical edge between @upper and the box below it, @lower. */
static guint
edge_pixels_of_color (SlTcpStateDiagram *diagram,
                      const Pixels      *pixels,
                      SlTcpState         upper,
                      SlTcpState         lower,
                      const GdkRGBA     *color)
{
  graphene_rect_t a, b;
  guint hits = 0;
  int cx;

  g_assert_true (sl_tcp_state_diagram_get_state_bounds (diagram, upper, &a));
  g_assert_true (sl_tcp_state_diagram_get_state_bounds (diagram, lower, &b));
  g_assert_cmpfloat (b.origin.y, >, a.origin.y + a.size.height);
  cx = (int) (a.origin.x + a.size.width / 2);

  for (int y = (int) (a.origin.y + a.size.height) + 1; y < (int) b.origin.y - 1; y++)
    for (int x = cx - 3; x <= cx + 3; x++)
      {
        GdkRGBA c;

        pixel_at (pixels, x, y, &c);
        if (near (&c, color))
          hits++;
      }

  return hits;
}

static void
accent_color (GtkWidget *widget,
              GdkRGBA   *out)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "accent_bg_color",
                                       out))
    gdk_rgba_parse (out, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
test_accessible (void)
{
  GtkWidget *diagram;
  const SlTcpState path[] = {
    SL_TCP_STATE_ESTABLISHED, SL_TCP_STATE_FIN_WAIT_1, SL_TCP_STATE_FIN_WAIT_2,
    SL_TCP_STATE_TIME_WAIT,
  };

  if (!sl_ui_test_have_display ())
    return;

  diagram = g_object_ref_sink (sl_tcp_state_diagram_new ());

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (diagram), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (diagram), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "TCP state diagram");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (diagram),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "No current state.");

  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_LISTEN);
  g_assert_cmpint (sl_tcp_state_diagram_get_state (SL_TCP_STATE_DIAGRAM (diagram)), ==,
                   SL_TCP_STATE_LISTEN);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (diagram),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Current state: LISTEN.");

  g_object_set (diagram, "state", SL_TCP_STATE_TIME_WAIT, NULL);
  sl_tcp_state_diagram_set_path (SL_TCP_STATE_DIAGRAM (diagram), path, G_N_ELEMENTS (path));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (diagram),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Current state: TIME_WAIT. Path: ESTABLISHED → FIN_WAIT_1"
                                       " → FIN_WAIT_2 → TIME_WAIT.");

  sl_tcp_state_diagram_clear_path (SL_TCP_STATE_DIAGRAM (diagram));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (diagram),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       "Current state: TIME_WAIT.");

  /* No bounds before the widget has a size. */
  {
    graphene_rect_t box;

    g_assert_false (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                           SL_TCP_STATE_LISTEN, &box));
  }

  g_assert_finalize_object (diagram);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_notify (void)
{
  g_autoptr(GtkWidget) diagram = NULL;
  guint notified = 0;
  SlTcpState state;

  if (!sl_ui_test_have_display ())
    return;

  diagram = g_object_ref_sink (sl_tcp_state_diagram_new ());
  g_signal_connect (diagram, "notify::state", G_CALLBACK (count_cb), &notified);

  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_CLOSE_WAIT);
  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_CLOSE_WAIT);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (diagram, "state", &state, NULL);
  g_assert_cmpint (state, ==, SL_TCP_STATE_CLOSE_WAIT);
}

static void
test_render_states (void)
{
  const SlTcpState states[] = {
    SL_TCP_STATE_LISTEN, SL_TCP_STATE_ESTABLISHED, SL_TCP_STATE_TIME_WAIT,
    SL_TCP_STATE_CLOSE_WAIT,
  };
  GtkWidget *diagram;
  GtkWindow *window;
  GdkRGBA accent;

  if (!sl_ui_test_have_display ())
    return;

  diagram = sl_tcp_state_diagram_new ();
  window = sl_ui_test_show (diagram, WIDTH, HEIGHT);
  g_assert_cmpint (gtk_widget_get_width (diagram), ==, WIDTH);
  g_assert_cmpint (gtk_widget_get_height (diagram), ==, HEIGHT);
  accent_color (diagram, &accent);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      SlTcpState other = states[(i + 1) % G_N_ELEMENTS (states)];
      g_autoptr(Pixels) pixels = NULL;
      g_autofree char *name = g_strdup_printf ("light-%s", sl_tcp_state_to_string (states[i]));

      sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), states[i]);
      pixels = render (diagram, name);
      g_assert_cmpint (pixels->width, ==, WIDTH);
      g_assert_cmpint (pixels->height, ==, HEIGHT);

      /* The current state's box is mostly accent (the rest is its name)... */
      g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels, states[i],
                                            &accent), >, 0.5);
      /* ...another state's box has none of it, nor have the unused boxes. */
      g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels, other,
                                            &accent), ==, 0);
      g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                            SL_TCP_STATE_CLOSING, &accent), ==, 0);
    }

  sl_ui_test_close_window (window);
}

static void
test_render_path (void)
{
  const SlTcpState path[] = {
    SL_TCP_STATE_CLOSED, SL_TCP_STATE_SYN_SENT, SL_TCP_STATE_ESTABLISHED,
    SL_TCP_STATE_FIN_WAIT_1, SL_TCP_STATE_FIN_WAIT_2, SL_TCP_STATE_TIME_WAIT,
  };
  const SlTcpState closed_path[] = {
    SL_TCP_STATE_ESTABLISHED, SL_TCP_STATE_CLOSE_WAIT, SL_TCP_STATE_LAST_ACK,
    SL_TCP_STATE_CLOSED,
  };
  GtkWidget *diagram;
  GtkWindow *window;
  GdkRGBA accent, line;
  graphene_rect_t top, bottom;

  if (!sl_ui_test_have_display ())
    return;

  diagram = sl_tcp_state_diagram_new ();
  window = sl_ui_test_show (diagram, WIDTH, HEIGHT);
  accent_color (diagram, &accent);

  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_TIME_WAIT);
  sl_tcp_state_diagram_set_path (SL_TCP_STATE_DIAGRAM (diagram), path, G_N_ELEMENTS (path));
  {
    g_autoptr(Pixels) pixels = render (diagram, "light-path-client");

    g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                          SL_TCP_STATE_TIME_WAIT, &accent), >, 0.5);
    /* States on the path are tinted, not filled; states off the path are plain. */
    g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                          SL_TCP_STATE_FIN_WAIT_2, &accent), <, 0.1);
    g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                          SL_TCP_STATE_CLOSE_WAIT, &accent), ==, 0);

    /* The edges taken are drawn in the accent colour, the others not. */
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (diagram), "accent_color",
                                         &line))
      gdk_rgba_parse (&line, "#1c71d8");
    G_GNUC_END_IGNORE_DEPRECATIONS
    g_assert_cmpuint (edge_pixels_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                            SL_TCP_STATE_FIN_WAIT_1, SL_TCP_STATE_FIN_WAIT_2,
                                            &line), >, 10);
    g_assert_cmpuint (edge_pixels_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                            SL_TCP_STATE_CLOSE_WAIT, SL_TCP_STATE_LAST_ACK,
                                            &line), ==, 0);
  }

  /* CLOSED is the top box before a connection and the bottom one after it. */
  sl_tcp_state_diagram_clear_path (SL_TCP_STATE_DIAGRAM (diagram));
  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_CLOSED);
  g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                        SL_TCP_STATE_CLOSED, &top));
  sl_tcp_state_diagram_set_path (SL_TCP_STATE_DIAGRAM (diagram), closed_path,
                                 G_N_ELEMENTS (closed_path));
  g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                        SL_TCP_STATE_CLOSED, &bottom));
  g_assert_cmpfloat (bottom.origin.y, >, top.origin.y + top.size.height);
  {
    g_autoptr(Pixels) pixels = render (diagram, "light-path-server");

    g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                          SL_TCP_STATE_CLOSED, &accent), >, 0.5);
    g_assert_false (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                           SL_TCP_STATE_UNKNOWN, &top));
  }

  /* A reset jumps from ESTABLISHED to CLOSED (no edge of the diagram): still the bottom box. */
  {
    const SlTcpState reset_path[] = { SL_TCP_STATE_ESTABLISHED, SL_TCP_STATE_CLOSED };
    g_autoptr(Pixels) pixels = NULL;

    sl_tcp_state_diagram_set_path (SL_TCP_STATE_DIAGRAM (diagram), reset_path,
                                   G_N_ELEMENTS (reset_path));
    pixels = render (diagram, "light-path-reset");
    g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                          SL_TCP_STATE_CLOSED, &bottom));
    g_assert_cmpfloat (bottom.origin.y, >, top.origin.y + top.size.height);
    g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                          SL_TCP_STATE_CLOSED, &accent), >, 0.5);
  }

  sl_ui_test_close_window (window);
}

/* In dark mode the background is dark, the text light, and the accent still marks the state. */
static void
test_render_dark (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  const SlTcpState path[] = {
    SL_TCP_STATE_LISTEN, SL_TCP_STATE_SYN_RECEIVED, SL_TCP_STATE_ESTABLISHED,
    SL_TCP_STATE_CLOSE_WAIT,
  };
  g_autoptr(Pixels) light = NULL;
  g_autoptr(Pixels) dark = NULL;
  GtkWidget *diagram;
  GtkWindow *window;
  GdkRGBA accent, light_bg, dark_bg;
  graphene_rect_t box;
  double max_contrast = 0;

  if (!sl_ui_test_have_display ())
    return;

  diagram = sl_tcp_state_diagram_new ();
  window = sl_ui_test_show (diagram, WIDTH, HEIGHT);
  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_CLOSE_WAIT);
  sl_tcp_state_diagram_set_path (SL_TCP_STATE_DIAGRAM (diagram), path, G_N_ELEMENTS (path));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  sl_test_run_for (50);
  light = render (diagram, "light-path-server-open");
  pixel_at (light, 1, 1, &light_bg);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  sl_test_run_for (50);
  dark = render (diagram, "dark-path-server-open");
  pixel_at (dark, 1, 1, &dark_bg);
  accent_color (diagram, &accent);

  g_assert_cmpfloat (luminance (&light_bg), >, 0.8);
  g_assert_cmpfloat (luminance (&dark_bg), <, 0.3);
  g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), dark,
                                        SL_TCP_STATE_CLOSE_WAIT, &accent), >, 0.5);
  g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), dark,
                                        SL_TCP_STATE_TIME_WAIT, &accent), ==, 0);

  /* The name in a plain box (FIN_WAIT_2) is light text on the dark box. */
  g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                        SL_TCP_STATE_FIN_WAIT_2, &box));
  for (int y = (int) box.origin.y + 3; y < (int) (box.origin.y + box.size.height) - 3; y++)
    for (int x = (int) box.origin.x + 3; x < (int) (box.origin.x + box.size.width) - 3; x++)
      {
        GdkRGBA c;

        pixel_at (dark, x, y, &c);
        max_contrast = MAX (max_contrast, luminance (&c) - luminance (&dark_bg));
      }
  g_assert_cmpfloat (max_contrast, >, 0.5);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  sl_test_run_for (50);
  sl_ui_test_close_window (window);
}

/* Smaller than its natural size, the diagram scales down and still fits. */
static void
test_small (void)
{
  GtkWidget *diagram;
  GtkWindow *window;
  graphene_rect_t box;
  int minimum, natural;

  if (!sl_ui_test_have_display ())
    return;

  diagram = sl_tcp_state_diagram_new ();
  gtk_widget_measure (diagram, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (natural, >=, 640);
  gtk_widget_measure (diagram, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, <=, 240);
  g_assert_cmpint (natural, >=, 420);

  window = sl_ui_test_show (diagram, 360, 240);
  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_ESTABLISHED);
  {
    g_autoptr(Pixels) pixels = render (diagram, "small-ESTABLISHED");

    (void) pixels;
  }
  for (SlTcpState s = SL_TCP_STATE_CLOSED; s <= SL_TCP_STATE_TIME_WAIT; s++)
    {
      g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram), s,
                                                            &box));
      g_assert_cmpfloat (box.origin.x, >=, 0);
      g_assert_cmpfloat (box.origin.y, >=, 0);
      g_assert_cmpfloat (box.origin.x + box.size.width, <=, gtk_widget_get_width (diagram));
      g_assert_cmpfloat (box.origin.y + box.size.height, <=, gtk_widget_get_height (diagram));
    }

  sl_ui_test_close_window (window);
}

/* A larger font (zoom) makes the boxes and the natural size grow; the text stays inside. */
static void
test_zoom (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
  GtkWidget *diagram;
  GtkWindow *window;
  graphene_rect_t normal, zoomed;
  int natural_w, natural_h;

  if (!sl_ui_test_have_display ())
    return;

  diagram = sl_tcp_state_diagram_new ();
  window = sl_ui_test_show (diagram, 1000, 700);
  sl_tcp_state_diagram_set_state (SL_TCP_STATE_DIAGRAM (diagram), SL_TCP_STATE_FIN_WAIT_1);
  g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                        SL_TCP_STATE_ESTABLISHED, &normal));

  gtk_css_provider_load_from_data (provider, "tcpstatediagram { font-size: 200%; }", -1);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_add_provider (gtk_widget_get_style_context (diagram),
                                  GTK_STYLE_PROVIDER (provider),
                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  G_GNUC_END_IGNORE_DEPRECATIONS
  sl_test_run_for (50);
  {
    g_autoptr(Pixels) pixels = render (diagram, "zoomed-FIN_WAIT_1");
    GdkRGBA accent;

    accent_color (diagram, &accent);
    g_assert_cmpfloat (fraction_of_color (SL_TCP_STATE_DIAGRAM (diagram), pixels,
                                          SL_TCP_STATE_FIN_WAIT_1, &accent), >, 0.5);
  }
  g_assert_true (sl_tcp_state_diagram_get_state_bounds (SL_TCP_STATE_DIAGRAM (diagram),
                                                        SL_TCP_STATE_ESTABLISHED, &zoomed));
  g_assert_cmpfloat (zoomed.size.height, >, 1.5 * normal.size.height);
  g_assert_cmpfloat (zoomed.size.width, >, 1.5 * normal.size.width);

  gtk_widget_measure (diagram, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural_w, NULL, NULL);
  gtk_widget_measure (diagram, GTK_ORIENTATION_VERTICAL, -1, NULL, &natural_h, NULL, NULL);
  g_assert_cmpint (natural_w, >, 640);
  g_assert_cmpint (natural_h, >, 420);

  sl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  sl_ui_test_init (&argc, &argv);
  if (g_getenv ("DISPLAY") != NULL)
    adw_init ();

  tmp_dir = g_dir_make_tmp ("sl-diagram-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/tcp-state-diagram/accessible", test_accessible);
  g_test_add_func ("/tcp-state-diagram/notify", test_notify);
  g_test_add_func ("/tcp-state-diagram/render-states", test_render_states);
  g_test_add_func ("/tcp-state-diagram/render-path", test_render_path);
  g_test_add_func ("/tcp-state-diagram/render-dark", test_render_dark);
  g_test_add_func ("/tcp-state-diagram/small", test_small);
  g_test_add_func ("/tcp-state-diagram/zoom", test_zoom);

  ret = g_test_run ();

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

  return ret;
}
