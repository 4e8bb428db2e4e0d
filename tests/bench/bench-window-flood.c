/* bench-window-flood.c — main-loop latency of the whole window during a 20,000 messages/s flood
 *
 * bench-log-view.c floods a server whose log is shown by an SlLogView alone.
 * This one does it in the app's window: an SlWindow (made as
 * tests/ui/test-window.c makes it, 1200 × 760) with a TCP server added by
 * sl_window_add_endpoint() (reply none), its page on screen — sidebar row,
 * counters, connection list, call trace following the newest row. A plain
 * client in a GThread sends 64-byte messages paced at 20,000 a second for
 * 10 s. A 1 ms main-loop timer records how late it is dispatched (p50, p99,
 * p99.9, max, and the total lateness beyond 16 ms); a tick callback counts
 * frames. Figures, not a test: exits 0 (a missing display prints a note).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "sl-window.h"

#define FLOOD_RATE    20000
#define FLOOD_SECONDS 10
#define MESSAGE_SIZE  BENCH_FLOOD_MESSAGE_SIZE

typedef struct
{
  gint64  expected;
  GArray *delays;    /* gint64 µs */
} Probe;

static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 delay = now - probe->expected;

  g_array_append_val (probe->delays, delay);
  probe->expected = now + 1000;
  return G_SOURCE_CONTINUE;
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(GThread) thread = NULL;
  SlWindow *window;
  SlEndpoint *server;
  BenchFlood flood = { .rate = FLOOD_RATE, .seconds = FLOOD_SECONDS };
  Probe probe = { 0 };
  guint frames = 0, probe_id, tick_id, over_50 = 0;
  gint64 limit, blocked = 0;

  if (!gtk_init_check ())
    {
      printf ("window-flood: no figures, there is no display (run it under xvfb-run)\n");
      return 0;
    }
  adw_init ();

  settings = g_settings_new (SL_SETTINGS_SCHEMA_ID);
  window = g_object_new (SL_TYPE_WINDOW, "settings", settings, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  config = sl_endpoint_config_new ();
  sl_endpoint_config_set_host (config, "127.0.0.1");
  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  server = sl_window_add_endpoint (window, config, TRUE);
  limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sl_endpoint_get_state (server) != SL_ENDPOINT_STATE_LISTENING &&
         g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  if (sl_endpoint_get_state (server) != SL_ENDPOINT_STATE_LISTENING)
    {
      printf ("window-flood: no figures, the server is not listening\n");
      gtk_window_destroy (GTK_WINDOW (window));
      return 0;
    }
  /* Let the page settle on screen before the clock starts. */
  for (guint i = 0; i < 5; i++)
    gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  probe.delays = g_array_sized_new (FALSE, FALSE, sizeof (gint64), FLOOD_SECONDS * 1000 + 1000);
  probe.expected = g_get_monotonic_time () + 1000;
  probe_id = g_timeout_add (1, probe_cb, &probe);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), frame_cb, &frames, NULL);

  flood.port = sl_endpoint_get_local_port (server);
  thread = g_thread_new ("flood", bench_flood_thread, &flood);
  while (!g_atomic_int_get (&flood.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (g_steal_pointer (&thread));

  g_source_remove (probe_id);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);

  for (guint i = 0; i < probe.delays->len; i++)
    {
      gint64 delay = g_array_index (probe.delays, gint64, i);

      if (delay > 16000)
        blocked += delay - 16000;
      if (delay > 50000)
        over_50++;
    }
  g_array_sort (probe.delays, bench_compare_gint64);

  printf ("window-flood: %d messages/s of %d bytes for %d s into a TCP server shown in the "
          "app's window (SlWindow, its page, call trace following)\n", FLOOD_RATE, MESSAGE_SIZE,
          FLOOD_SECONDS);
  if (flood.error != 0)
    printf ("  the peer stopped early: %s\n", g_strerror (flood.error));
  printf ("  sent %" G_GUINT64_FORMAT " messages in %.2f s; the log holds %u rows\n",
          flood.sent, flood.elapsed_us / 1e6,
          g_list_model_get_n_items (G_LIST_MODEL (sl_endpoint_get_log (server))));
  printf ("  main-loop latency of a 1 ms timer: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
          "max %.2f ms (%u samples, %u later than 50 ms)\n",
          bench_percentile_ms (probe.delays, 0.5), bench_percentile_ms (probe.delays, 0.99),
          bench_percentile_ms (probe.delays, 0.999), bench_percentile_ms (probe.delays, 1.0),
          probe.delays->len, over_50);
  printf ("  the loop was late by more than 16 ms for %.1f %% of the flood's time; %u frames "
          "(%.1f per second)\n", blocked * 100.0 / MAX (1, flood.elapsed_us), frames,
          frames * 1e6 / MAX (1, flood.elapsed_us));
  bench_figure ("window-flood.p50", bench_percentile_ms (probe.delays, 0.5), "ms");
  bench_figure ("window-flood.p99", bench_percentile_ms (probe.delays, 0.99), "ms");
  bench_figure ("window-flood.p999", bench_percentile_ms (probe.delays, 0.999), "ms");
  bench_figure ("window-flood.max", bench_percentile_ms (probe.delays, 1.0), "ms");
  bench_figure ("window-flood.blocked", blocked * 100.0 / MAX (1, flood.elapsed_us), "%");
  bench_figure ("window-flood.fps", frames * 1e6 / MAX (1, flood.elapsed_us), "frames/s");

  g_array_unref (probe.delays);
  sl_endpoint_stop (server);
  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  return 0;
}
