/* bench-log.c — memory per log entry and append speed
 *
 * Appends 1,000,000 data rows (16-byte payload each, one peer, the repr of
 * the payload as result) to a log that keeps them all, flushes, and prints
 * the memory each row costs beyond its payload, and how many rows per
 * second were made and appended. A figure, not a test: always exits 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "bench-util.h"
#include "sl-codec.h"
#include "sl-log.h"

#define N_ENTRIES    1000000
#define PAYLOAD_SIZE 16

/* Bytes in use by malloc: the heap plus mmap()ed blocks. GSlice's slabs
 * come from malloc too, so they are counted. */
static gint64
malloc_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (gint64) (info.uordblks + info.hblkhd);
}

int
main (int   argc,
      char *argv[])
{
  static const char peer[] = "('127.0.0.1', 53422)";
  g_autoptr(SlLog) log = NULL;
  gint64 heap_before, heap_after, rss_before, rss_after;
  gint64 start, elapsed;
  double heap_per_entry, rss_per_entry;

  /* Warm up the type system, the interned strings and the allocators, so
   * that their one-time cost is not counted per entry. */
  {
    g_autoptr(SlLog) warm = sl_log_new (10);
    g_autoptr(GBytes) payload = g_bytes_new ("0123456789abcdef", PAYLOAD_SIZE);
    g_autoptr(SlLogEntry) entry =
      sl_log_entry_new (SL_LOG_KIND_DATA_IN, 1, 1, peer, "conn.recv(1024)", "b''", 0, NULL,
                        payload);

    sl_log_append (warm, entry);
    sl_log_flush (warm);
  }

  malloc_trim (0);
  heap_before = malloc_in_use ();
  rss_before = bench_proc_status_bytes (0, "VmRSS");

  log = sl_log_new (N_ENTRIES + 1);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_ENTRIES; i++)
    {
      char data[PAYLOAD_SIZE + 1];
      g_autoptr(GBytes) payload = NULL;
      g_autofree char *result = NULL;
      g_autoptr(SlLogEntry) entry = NULL;

      /* What a connection logs for each recv(): its own bytes and their repr. */
      g_snprintf (data, sizeof data, "message #%07u", i);
      payload = g_bytes_new (data, PAYLOAD_SIZE);
      result = sl_codec_python_bytes ((const guint8 *) data, PAYLOAD_SIZE, 0);
      entry = sl_log_entry_new (SL_LOG_KIND_DATA_IN, 1, 1 + i % 16, peer, "conn.recv(1024)",
                                result, 0, NULL, payload);
      sl_log_append (log, entry);
    }
  sl_log_flush (log);
  elapsed = g_get_monotonic_time () - start;

  heap_after = malloc_in_use ();
  rss_after = bench_proc_status_bytes (0, "VmRSS");

  heap_per_entry = (double) (heap_after - heap_before) / N_ENTRIES - PAYLOAD_SIZE;
  rss_per_entry = (double) (rss_after - rss_before) / N_ENTRIES - PAYLOAD_SIZE;
  /* Under a sanitizer malloc is not glibc's and mallinfo2() sees nothing. */
  if (heap_after - heap_before <= 0)
    heap_per_entry = rss_per_entry;

  printf ("log-memory: %u entries, %.0f bytes/entry overhead, %.0f k entries/s\n",
          g_list_model_get_n_items (G_LIST_MODEL (log)), heap_per_entry,
          (double) N_ENTRIES / ((double) elapsed / G_USEC_PER_SEC) / 1000.0);
  printf ("log-memory: malloc in use %+.1f MiB, VmRSS %+.1f MiB (%.0f bytes/entry overhead "
          "by RSS), payload %d bytes, goal <= 150 bytes/entry overhead\n",
          (double) (heap_after - heap_before) / (1024 * 1024),
          (double) (rss_after - rss_before) / (1024 * 1024),
          rss_per_entry, PAYLOAD_SIZE);
  bench_figure ("log.bytes-per-entry", heap_per_entry, "B");
  bench_figure ("log.bytes-per-entry-rss", rss_per_entry, "B");

  return 0;
}
