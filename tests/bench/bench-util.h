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

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

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
