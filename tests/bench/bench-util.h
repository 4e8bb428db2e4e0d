/* bench-util.h — small helpers shared by the benchmarks (header only)
 *
 * Every benchmark prints its figures for people, and each figure that goes
 * into docs/performance.md once more as a line
 *
 *   FIGURE <key> <value> <unit>
 *
 * which tests/bench/run-benchmarks.py collects from meson's test log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib.h>

/* A line for run-benchmarks.py; @key has no spaces. */
static inline void
bench_figure (const char *key,
              double      value,
              const char *unit)
{
  printf ("FIGURE %s %.6g %s\n", key, value, unit);
  fflush (stdout);
}

/* A field of /proc/PID/status (or /proc/self/status when @pid is 0) in bytes,
 * e.g. "VmRSS", "VmHWM", "RssAnon"; 0 when it cannot be read. */
static inline gint64
bench_proc_status_bytes (int         pid,
                         const char *field)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%d/status", pid)
                                  : g_strdup ("/proc/self/status");
  g_autofree char *status = NULL;
  g_autofree char *needle = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return 0;
  line = strstr (status, needle);
  if (line == NULL)
    return 0;

  return g_ascii_strtoll (line + strlen (needle), NULL, 10) * 1024;
}

/* The proportional set size (Pss) of a process from /proc/PID/smaps_rollup:
 * shared library pages divided among the processes that map them. */
static inline gint64
bench_pss_bytes (int pid)
{
  g_autofree char *path = pid > 0 ? g_strdup_printf ("/proc/%d/smaps_rollup", pid)
                                  : g_strdup ("/proc/self/smaps_rollup");
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  line = strstr (text, "\nPss:");
  if (line == NULL)
    return 0;

  return g_ascii_strtoll (line + strlen ("\nPss:"), NULL, 10) * 1024;
}

static inline void
bench_raise_fd_limit (rlim_t wanted)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < wanted)
    {
      limit.rlim_cur = MIN (limit.rlim_max, wanted);
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* CPU time (user + system) this process has used, in µs. */
static inline gint64
bench_cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

/* For g_array_sort() of gint64. */
static inline int
bench_compare_gint64 (gconstpointer a,
                      gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* For qsort()/g_array_sort() of doubles. */
static inline int
bench_compare_double (gconstpointer a,
                      gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The @p quantile (0 to 1) of @sorted, a sorted GArray of gint64 µs, in ms. */
static inline double
bench_percentile_ms (GArray *sorted,
                     double  p)
{
  if (sorted->len == 0)
    return 0;
  return g_array_index (sorted, gint64, MIN (sorted->len - 1, (guint) (p * sorted->len))) / 1000.0;
}

/* The flood of the latency benchmarks: one plain blocking TCP client on
 * 127.0.0.1:@port sending @rate numbered 64-byte lines a second for @seconds,
 * in a GThread (bench_flood_thread). */
#define BENCH_FLOOD_MESSAGE_SIZE 64

/* Message @n of a flood into @buffer (BENCH_FLOOD_MESSAGE_SIZE + 1 bytes):
 * "message 0000000042 xxx…x\n". */
static inline void
bench_flood_message (char    *buffer,
                     guint64  n)
{
  int len = g_snprintf (buffer, BENCH_FLOOD_MESSAGE_SIZE + 1, "message %010" G_GUINT64_FORMAT " ",
                        n);

  memset (buffer + len, 'x', BENCH_FLOOD_MESSAGE_SIZE - len - 1);
  buffer[BENCH_FLOOD_MESSAGE_SIZE - 1] = '\n';
}

typedef struct
{
  guint16   port;        /* in */
  guint     rate;        /* in: messages per second */
  guint     seconds;     /* in */
  guint64   sent;
  gint64    elapsed_us;
  int       error;       /* errno of a failed connect() or send() */
  gboolean  done;        /* atomic */
} BenchFlood;

static inline gpointer
bench_flood_thread (gpointer data)
{
  BenchFlood *flood = data;
  struct sockaddr_in address = { 0 };
  char message[BENCH_FLOOD_MESSAGE_SIZE + 1];
  gint64 start;
  int fd;

  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  address.sin_family = AF_INET;
  address.sin_port = htons (flood->port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
    {
      flood->error = errno;
      if (fd >= 0)
        close (fd);
      goto done;
    }

  start = g_get_monotonic_time ();
  for (;;)
    {
      gint64 elapsed = g_get_monotonic_time () - start;
      guint64 due;

      if (elapsed >= (gint64) flood->seconds * G_USEC_PER_SEC)
        break;
      due = (guint64) elapsed * flood->rate / G_USEC_PER_SEC;
      while (flood->sent < due)
        {
          bench_flood_message (message, flood->sent);
          if (send (fd, message, BENCH_FLOOD_MESSAGE_SIZE, MSG_NOSIGNAL) !=
              BENCH_FLOOD_MESSAGE_SIZE)
            {
              flood->error = errno;
              break;
            }
          flood->sent++;
        }
      if (flood->error != 0)
        break;
      g_usleep (200);
    }
  flood->elapsed_us = g_get_monotonic_time () - start;
  close (fd);

done:
  g_atomic_int_set (&flood->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}
