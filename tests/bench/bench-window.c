/* bench-window.c — time to first frame of the main window, and its idle memory, in-process
 *
 * The window is made as tests/ui/test-window.c makes it (an SlWindow with the
 * app's settings, 1200 × 760, no GtkApplication), and timed in steps from
 * main():
 *   - gtk_init () and adw_init () (display connection, theme and CSS);
 *   - g_object_new (SL_TYPE_WINDOW) (class init, templates, the start screen);
 *   - gtk_window_present () until gtk_test_widget_wait_for_draw () returns,
 *     i.e. the first frame has been painted.
 * A second window made afterwards shows the warm cost (classes and templates
 * already loaded). The process start itself (exec, dynamic linking) is not in
 * these figures: bench-launch measures the real socket-lab from exec() to its
 * first frame from outside.
 *
 * Then the idle memory: VmRSS and Pss after 2 s idle on the start screen, and
 * after 2 s idle with the demo pair (win.demo-pair: a server and a connected
 * client, shown side by side). Figures, not a test: exits 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <malloc.h>

#include "bench-util.h"
#include "sl-window.h"

#define IDLE_MS 2000

static gboolean
expire_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
idle_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, expire_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static SlWindow *
new_window (GSettings *settings,
            gint64    *constructed,
            gint64    *drawn)
{
  gint64 start = g_get_monotonic_time ();
  SlWindow *window = g_object_new (SL_TYPE_WINDOW, "settings", settings, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  *constructed = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  *drawn = g_get_monotonic_time () - start;

  return window;
}

static void
print_memory (const char *what,
              const char *key)
{
  gint64 rss = bench_proc_status_bytes (0, "VmRSS");
  gint64 pss = bench_pss_bytes (0);
  gint64 anon = bench_proc_status_bytes (0, "RssAnon");

  printf ("  %-38s VmRSS %6.1f MiB, Pss %6.1f MiB, RssAnon %6.1f MiB\n", what,
          rss / 1048576.0, pss / 1048576.0, anon / 1048576.0);
  if (key != NULL)
    {
      g_autofree char *rss_key = g_strconcat (key, ".rss", NULL);
      g_autofree char *pss_key = g_strconcat (key, ".pss", NULL);

      bench_figure (rss_key, rss / 1048576.0, "MiB");
      bench_figure (pss_key, pss / 1048576.0, "MiB");
    }
}

int
main (int   argc,
      char *argv[])
{
  gint64 start = g_get_monotonic_time ();
  gint64 init, constructed, drawn, constructed2, drawn2, limit;
  g_autoptr(GSettings) settings = NULL;
  SlWindow *window, *second;
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  GListModel *endpoints;

  if (!gtk_init_check ())
    {
      printf ("window: no figures, there is no display (run it under xvfb-run)\n");
      return 0;
    }
  adw_init ();
  init = g_get_monotonic_time () - start;

  settings = g_settings_new (SL_SETTINGS_SCHEMA_ID);
  window = new_window (settings, &constructed, &drawn);

  printf ("window: time to first frame, in-process (renderer %s)\n",
          g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");
  printf ("  gtk_init + adw_init             %7.1f ms\n", init / 1000.0);
  printf ("  construct the SlWindow          %7.1f ms\n", constructed / 1000.0);
  printf ("  present until the first frame   %7.1f ms\n", drawn / 1000.0);
  printf ("  total from main()               %7.1f ms\n", (init + constructed + drawn) / 1000.0);
  bench_figure ("first-frame.inprocess", (init + constructed + drawn) / 1000.0, "ms");

  second = new_window (settings, &constructed2, &drawn2);
  printf ("  a second window (warm): construct %.1f ms, first frame %.1f ms\n",
          constructed2 / 1000.0, drawn2 / 1000.0);
  bench_figure ("first-frame.second-window", (constructed2 + drawn2) / 1000.0, "ms");
  gtk_window_destroy (GTK_WINDOW (second));
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  printf ("window: idle memory of this process (one window; %d ms idle before each reading)\n",
          IDLE_MS);
  malloc_trim (0);
  idle_for (IDLE_MS);
  print_memory ("start screen:", "idle.window.start");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.demo-pair", NULL);
  endpoints = sl_window_get_endpoints (window);
  limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < limit)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_list_model_get_n_items (endpoints) == 2)
        {
          g_clear_object (&server);
          g_clear_object (&client);
          server = g_list_model_get_item (endpoints, 0);
          client = g_list_model_get_item (endpoints, 1);
          if (sl_endpoint_get_state (server) == SL_ENDPOINT_STATE_LISTENING &&
              sl_endpoint_get_state (client) == SL_ENDPOINT_STATE_CONNECTED &&
              g_list_model_get_n_items (sl_endpoint_get_connections (server)) == 1)
            break;
        }
    }
  if (client == NULL || sl_endpoint_get_state (client) != SL_ENDPOINT_STATE_CONNECTED)
    printf ("  the demo pair did not connect within 10 s; no figure\n");
  else
    {
      gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
      idle_for (IDLE_MS);
      print_memory ("demo pair running, side by side:", "idle.window.demo");
    }

  g_clear_object (&server);
  g_clear_object (&client);
  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  return 0;
}
