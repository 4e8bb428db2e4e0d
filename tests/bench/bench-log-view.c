/* bench-log-view.c — the window keeps drawing while a peer floods a server
 *
 * A window shows an SlLogView bound to the log of a real TCP server on
 * loopback (reply none). A raw client in a GThread sends 64-byte messages,
 * paced at 20,000 per second, for 10 seconds. Meanwhile a 1 ms main-loop
 * timer records how late it is dispatched (p50/p99/max) and a tick callback
 * counts the frames the window draws. Then the view is bound to a log fed
 * directly with 1,000,000 rows of 64-byte payloads and the growth of VmRSS
 * per row is printed. Figures, not a test: always exits 0 (a missing
 * display prints a note). Run: meson test -C BUILD --benchmark log-view-flood -v
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtk/gtk.h>

#include "bench-util.h"
#include "sl-codec.h"
#include "sl-endpoint.h"
#include "sl-log-view.h"

#define FLOOD_RATE      20000 /* messages per second */
#define FLOOD_SECONDS   10
#define MESSAGE_SIZE    BENCH_FLOOD_MESSAGE_SIZE
#define MEMORY_ROWS     1000000
#define PROBE_MS        1

typedef struct
{
  gint64    expected;
  gint64    start;
  gint64    worst_at;  /* µs after start */
  gint64    worst;
  guint     over_50ms;
  GArray   *delays;    /* gint64 µs */
} Probe;

typedef struct
{
  guint     frames;
  gint64    last;
  gint64    longest_gap;
} Frames;

/* Where a frame's time goes: the frame clock's phases, timed by handlers
 * connected after GTK's own (so "layout" ends when GTK's layout is done). */
typedef struct
{
  gint64    begin;       /* before-paint */
  gint64    layout_end;
  gint64    paint_end;
  GArray   *layout;      /* gint64 µs per frame */
  GArray   *paint;
} Phases;

static gboolean
probe_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 delay = now - probe->expected;

  g_array_append_val (probe->delays, delay);
  probe->expected = now + PROBE_MS * 1000;
  if (delay > probe->worst)
    {
      probe->worst = delay;
      probe->worst_at = now - probe->start;
    }
  if (delay > 50000)
    probe->over_50ms++;

  return G_SOURCE_CONTINUE;
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       data)
{
  Frames *frames = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (frames->last != 0)
    frames->longest_gap = MAX (frames->longest_gap, now - frames->last);
  frames->last = now;
  frames->frames++;

  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Phases        *phases)
{
  phases->begin = g_get_monotonic_time ();
  phases->layout_end = phases->paint_end = 0;
}

static void
layout_done_cb (GdkFrameClock *clock,
                Phases        *phases)
{
  phases->layout_end = g_get_monotonic_time ();
}

static void
paint_done_cb (GdkFrameClock *clock,
               Phases        *phases)
{
  phases->paint_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Phases        *phases)
{
  gint64 layout, paint;

  if (phases->begin == 0 || phases->layout_end == 0)
    return;
  layout = phases->layout_end - phases->begin;
  paint = (phases->paint_end != 0 ? phases->paint_end : g_get_monotonic_time ()) -
          phases->layout_end;
  g_array_append_val (phases->layout, layout);
  g_array_append_val (phases->paint, paint);
  phases->begin = 0;
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GError) error = NULL;
  gboolean *started = data;

  if (!sl_endpoint_start_finish (SL_ENDPOINT (object), result, &error))
    g_printerr ("log-view-flood: the server did not start: %s\n", error->message);
  *started = TRUE;
}

/* With @show the server's log is bound to the view; without, the view shows
 * nothing and only the engine and the window's own frames run (the baseline). */
static void
run_flood (GtkWindow *window,
           SlLogView *view,
           gboolean   show)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Phases phases = { 0 };
  gint64 cpu_start;
  double load[3] = { 0 };
  double blocked_share;
  g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(GThread) thread = NULL;
  BenchFlood flood = { .rate = FLOOD_RATE, .seconds = FLOOD_SECONDS };
  Probe probe = { 0 };
  Frames frames = { 0 };
  gboolean started = FALSE;
  guint probe_id, tick_id;
  gint64 start, deadline;
  guint64 bytes_in;

  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  server = sl_endpoint_new (config, log);
  sl_endpoint_start_async (server, NULL, started_cb, &started);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!started && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (sl_endpoint_get_state (server) != SL_ENDPOINT_STATE_LISTENING)
    {
      printf ("log-view-flood: no figures, the server is not listening\n");
      return;
    }

  if (show)
    sl_log_view_set_log (view, log);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  phases.layout = g_array_new (FALSE, FALSE, sizeof (gint64));
  phases.paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &phases);
  g_signal_connect_after (clock, "layout", G_CALLBACK (layout_done_cb), &phases);
  g_signal_connect_after (clock, "paint", G_CALLBACK (paint_done_cb), &phases);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), &phases);
  getloadavg (load, 3);
  cpu_start = bench_cpu_us ();

  probe.delays = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                    FLOOD_SECONDS * 1000 / PROBE_MS + 1000);
  probe.start = g_get_monotonic_time ();
  probe.expected = probe.start + PROBE_MS * 1000;
  probe_id = g_timeout_add (PROBE_MS, probe_cb, &probe);
  tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), frame_cb, &frames, NULL);

  flood.port = sl_endpoint_get_local_port (server);
  start = g_get_monotonic_time ();
  thread = g_thread_new ("flood", bench_flood_thread, &flood);

  while (!g_atomic_int_get (&flood.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (g_steal_pointer (&thread));

  g_source_remove (probe_id);
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handlers_disconnect_by_data (clock, &phases);
  cpu_start = bench_cpu_us () - cpu_start;

  /* Let the server read what is still queued (bounded). */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (sl_endpoint_get_bytes_in (server) < flood.sent * MESSAGE_SIZE &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  sl_log_flush (log);
  bytes_in = sl_endpoint_get_bytes_in (server);

  g_array_sort (probe.delays, bench_compare_gint64);

  /* The share of the flood during which the loop could not run a 16 ms frame's
   * work: the time past 16 ms of every late dispatch. */
  {
    gint64 blocked = 0;

    for (guint i = 0; i < probe.delays->len; i++)
      if (g_array_index (probe.delays, gint64, i) > 16000)
        blocked += g_array_index (probe.delays, gint64, i) - 16000;
    blocked_share = blocked * 100.0 / MAX (1, flood.elapsed_us);
  }

  g_array_sort (phases.layout, bench_compare_gint64);
  g_array_sort (phases.paint, bench_compare_gint64);

  printf ("log-view-flood: %d messages/s of %d bytes for %d s into a TCP server on loopback, "
          "%s\n", FLOOD_RATE, MESSAGE_SIZE, FLOOD_SECONDS,
          show ? "its log shown in an SlLogView" : "BASELINE: the view shows no log");
  if (flood.error != 0)
    printf ("  the peer stopped early: %s\n", g_strerror (flood.error));
  printf ("  sent %" G_GUINT64_FORMAT " messages in %.2f s (%.0f/s); the server received "
          "%.1f MB in %" G_GUINT64_FORMAT " recv() calls; the log holds %u rows\n",
          flood.sent, flood.elapsed_us / 1e6,
          flood.elapsed_us > 0 ? flood.sent * 1e6 / flood.elapsed_us : 0.0,
          bytes_in / 1e6, sl_endpoint_get_messages_in (server),
          g_list_model_get_n_items (G_LIST_MODEL (log)));
  printf ("  main-loop latency of a %d ms timer: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
          "(%u samples)\n", PROBE_MS,
          bench_percentile_ms (probe.delays, 0.50), bench_percentile_ms (probe.delays, 0.99),
          bench_percentile_ms (probe.delays, 1.0), probe.delays->len);
  printf ("  p99.9 %.2f ms; %u dispatches more than 50 ms late; the latest %.1f s into the "
          "flood\n", bench_percentile_ms (probe.delays, 0.999), probe.over_50ms, probe.worst_at / 1e6);
  printf ("  frames drawn: %u in %.1f s (%.1f per second), longest gap between frames "
          "%.1f ms\n", frames.frames, (g_get_monotonic_time () - start) / 1e6,
          frames.frames * 1e6 / MAX (1, flood.elapsed_us), frames.longest_gap / 1000.0);
  printf ("  per frame: layout phase p50 %.2f ms, p99 %.2f ms, max %.2f ms; paint phase p50 "
          "%.2f ms, p99 %.2f ms, max %.2f ms (%u frames)\n",
          bench_percentile_ms (phases.layout, 0.5), bench_percentile_ms (phases.layout, 0.99),
          bench_percentile_ms (phases.layout, 1.0), bench_percentile_ms (phases.paint, 0.5),
          bench_percentile_ms (phases.paint, 0.99), bench_percentile_ms (phases.paint, 1.0),
          phases.layout->len);
  printf ("  the loop was late by more than 16 ms for %.1f %% of the flood's time\n",
          blocked_share);
  printf ("  CPU time of this process (all threads) %.0f %% of one core; load average before "
          "%.2f\n", cpu_start * 100.0 / MAX (1, flood.elapsed_us), load[0]);
  {
    const char *prefix = show ? "flood" : "flood-unbound";
    g_autofree char *k50 = g_strconcat (prefix, ".p50", NULL);
    g_autofree char *k99 = g_strconcat (prefix, ".p99", NULL);
    g_autofree char *k999 = g_strconcat (prefix, ".p999", NULL);
    g_autofree char *kmax = g_strconcat (prefix, ".max", NULL);
    g_autofree char *kfps = g_strconcat (prefix, ".fps", NULL);
    g_autofree char *klayout = g_strconcat (prefix, ".layout.p99", NULL);
    g_autofree char *klayout_max = g_strconcat (prefix, ".layout.max", NULL);
    g_autofree char *kblocked = g_strconcat (prefix, ".blocked", NULL);

    bench_figure (k50, bench_percentile_ms (probe.delays, 0.50), "ms");
    bench_figure (k99, bench_percentile_ms (probe.delays, 0.99), "ms");
    bench_figure (k999, bench_percentile_ms (probe.delays, 0.999), "ms");
    bench_figure (kmax, bench_percentile_ms (probe.delays, 1.0), "ms");
    bench_figure (kfps, frames.frames * 1e6 / MAX (1, flood.elapsed_us), "frames/s");
    bench_figure (klayout, bench_percentile_ms (phases.layout, 0.99), "ms");
    bench_figure (klayout_max, bench_percentile_ms (phases.layout, 1.0), "ms");
    bench_figure (kblocked, blocked_share, "%");
  }
  if (show)
    printf ("  the view followed the newest row: %s\n",
            sl_log_view_get_following (view) ? "yes" : "no");

  g_array_unref (phases.layout);
  g_array_unref (phases.paint);
  g_array_unref (probe.delays);
  sl_endpoint_stop (server);
  if (show)
    sl_log_view_set_log (view, NULL);
}

static void
run_memory (GtkWindow *window,
            SlLogView *view)
{
  static const char peer[] = "('127.0.0.1', 53422)";
  g_autoptr(SlLog) log = sl_log_new (MEMORY_ROWS);
  gint64 rss_before, rss_after, start, fed, drawn;

  sl_log_view_set_log (view, log);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  malloc_trim (0);
  rss_before = bench_proc_status_bytes (0, "VmRSS");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < MEMORY_ROWS; i++)
    {
      char data[MESSAGE_SIZE + 1];
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(SlLogEntry) entry = NULL;
      g_autofree char *result = NULL;

      bench_flood_message (data, i);
      payload = g_bytes_new (data, MESSAGE_SIZE);
      result = sl_codec_python_bytes ((const guint8 *) data, MESSAGE_SIZE, 0);
      entry = sl_log_entry_new (SL_LOG_KIND_DATA_IN, 1, 1, peer, "conn.recv(1024)", result, 0,
                                NULL, payload);
      sl_log_append (log, entry);

      /* As the engine's batches would: the view takes them in as they come. */
      if (i % 50000 == 49999)
        {
          sl_log_flush (log);
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
    }
  sl_log_flush (log);
  fed = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  drawn = g_get_monotonic_time () - start;

  malloc_trim (0);
  rss_after = bench_proc_status_bytes (0, "VmRSS");

  printf ("log-view-memory: %u rows of %d-byte payloads in a log shown by the view: "
          "VmRSS %+.1f MiB, %.0f bytes per row (payload included); appending took %.2f s, "
          "the next frame %.0f ms; the view shows %u rows\n",
          MEMORY_ROWS, MESSAGE_SIZE, (rss_after - rss_before) / 1048576.0,
          (double) (rss_after - rss_before) / MEMORY_ROWS, fed / 1e6, drawn / 1000.0,
          g_list_model_get_n_items (sl_log_view_get_shown (view)));

  bench_figure ("log-view.bytes-per-row", (double) (rss_after - rss_before) / MEMORY_ROWS, "B");

  /* What the view itself holds for those rows (models, selection, row widgets). */
  sl_log_view_set_log (view, NULL);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  malloc_trim (0);
  printf ("log-view-memory: unbinding the view gave back %.1f MiB (%.1f bytes per row)\n",
          (rss_after - bench_proc_status_bytes (0, "VmRSS")) / 1048576.0, (double) (rss_after - bench_proc_status_bytes (0, "VmRSS")) / MEMORY_ROWS);
}

int
main (int   argc,
      char *argv[])
{
  GtkWindow *window;
  SlLogView *view;
  gint64 start = g_get_monotonic_time ();

  if (!gtk_init_check ())
    {
      printf ("log-view-flood: no figures, there is no display (run it under xvfb-run)\n");
      return 0;
    }

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1100, 700);
  view = SL_LOG_VIEW (sl_log_view_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  run_flood (window, view, FALSE);
  run_flood (window, view, TRUE);
  /* --flood-only: for profiling the flood alone (perf record, callgrind). */
  if (argc < 2 || !g_str_equal (argv[1], "--flood-only"))
    run_memory (window, view);

  gtk_window_destroy (window);
  printf ("log-view-flood: done in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  return 0;
}
