/* bench-launch.c — the real socket-lab from exec() to its first frame, watched from outside
 *
 * Usage: bench-launch PATH/TO/socket-lab [RUNS]
 *
 * A tiny X client, not a GTK program: it selects SubstructureNotify on the
 * root window, starts socket-lab (posix_spawn, the clock starts just before),
 * and waits for
 *   - mapped: the MapNotify of a top-level window whose _NET_WM_PID is the
 *     child's (Xvfb has no window manager, so the app's window is a child of
 *     the root);
 *   - first frame: the first XDamage report on that window after which its
 *     pixels are not all one colour (the server's own background clear does
 *     not count).
 * Then it lets the app idle for 2 s on its start screen and reads VmRSS and
 * Pss from /proc, and ends it with SIGTERM. The first run is cold (the
 * session's accessibility bus is started by the first GTK app, libraries may
 * still be read from disk); the later runs are summarized as a median.
 * Figures, not a test: exits 0 (no display or no app prints a note).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/Xdamage.h>

#include "bench-util.h"

extern char **environ;

#define LIMIT_S  30
#define IDLE_MS  2000

typedef struct
{
  double mapped_ms;
  double frame_ms;
  double rss_mib;
  double pss_mib;
} Launch;

static Atom net_wm_pid;

static long
window_pid (Display *display,
            Window   window)
{
  Atom type;
  int format;
  unsigned long n, after;
  unsigned char *data = NULL;
  long pid = -1;

  if (XGetWindowProperty (display, window, net_wm_pid, 0, 1, False, XA_CARDINAL, &type,
                          &format, &n, &after, &data) == Success &&
      data != NULL && n == 1 && format == 32)
    pid = *(long *) data;
  if (data != NULL)
    XFree (data);
  return pid;
}

/* TRUE when the window shows more than one colour (sampled on a grid). */
static gboolean
window_has_content (Display *display,
                    Window   window)
{
  XWindowAttributes attributes;
  XImage *image;
  unsigned long first = 0;
  gboolean varied = FALSE;

  if (!XGetWindowAttributes (display, window, &attributes) || attributes.map_state != IsViewable)
    return FALSE;
  image = XGetImage (display, window, 0, 0, attributes.width, attributes.height, AllPlanes,
                     ZPixmap);
  if (image == NULL)
    return FALSE;
  for (int y = 0; y < attributes.height && !varied; y += 4)
    for (int x = 0; x < attributes.width && !varied; x += 4)
      {
        unsigned long pixel = XGetPixel (image, x, y);

        if (x == 0 && y == 0)
          first = pixel;
        else if (pixel != first)
          varied = TRUE;
      }
  XDestroyImage (image);
  return varied;
}

static gboolean
next_event (Display *display,
            XEvent  *event,
            gint64   limit)
{
  while (!XPending (display))
    {
      struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };
      gint64 left = limit - g_get_monotonic_time ();

      if (left <= 0)
        return FALSE;
      poll (&pfd, 1, (int) MIN (left / 1000 + 1, 100));
    }
  XNextEvent (display, event);
  return TRUE;
}

static gboolean
launch (Display    *display,
        int         damage_event,
        const char *app,
        Launch     *result)
{
  char *argv[] = { (char *) app, NULL };
  Window root = DefaultRootWindow (display);
  Window window = None;
  Damage damage = None;
  gboolean damage_owned = FALSE;
  g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Damage));
  g_autoptr(GArray) candidate_windows = g_array_new (FALSE, FALSE, sizeof (Window));
  gint64 start, limit, mapped = 0, frame = 0;
  pid_t pid;
  int status;
  XEvent event;

  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, True);

  start = g_get_monotonic_time ();
  if (posix_spawn (&pid, app, NULL, NULL, argv, environ) != 0)
    {
      printf ("launch: cannot start %s: %s\n", app, g_strerror (errno));
      return FALSE;
    }

  limit = start + LIMIT_S * G_USEC_PER_SEC;
  while (frame == 0 && next_event (display, &event, limit))
    {
      gint64 now = g_get_monotonic_time ();

      if (event.type == CreateNotify && event.xcreatewindow.parent == root &&
          !event.xcreatewindow.override_redirect)
        {
          /* Watch its drawing from the start; whose it is shows at map time. */
          Damage d = XDamageCreate (display, event.xcreatewindow.window, XDamageReportNonEmpty);

          g_array_append_val (candidates, d);
          g_array_append_val (candidate_windows, event.xcreatewindow.window);
        }
      else if (event.type == MapNotify && event.xmap.event == root && window == None &&
               !event.xmap.override_redirect && window_pid (display, event.xmap.window) == pid)
        {
          mapped = now;
          window = event.xmap.window;
          for (guint i = 0; i < candidates->len; i++)
            if (g_array_index (candidate_windows, Window, i) == window)
              damage = g_array_index (candidates, Damage, i);
          if (damage == None)
            {
              damage = XDamageCreate (display, window, XDamageReportNonEmpty);
              damage_owned = TRUE;
            }
          if (window_has_content (display, window))
            frame = g_get_monotonic_time ();
        }
      else if (event.type == damage_event + XDamageNotify && window != None &&
               ((XDamageNotifyEvent *) &event)->drawable == window)
        {
          XDamageSubtract (display, damage, None, None);
          if (window_has_content (display, window))
            frame = now;
        }
    }

  for (guint i = 0; i < candidates->len; i++)
    XDamageDestroy (display, g_array_index (candidates, Damage, i));
  if (damage_owned)
    XDamageDestroy (display, damage);
  XSelectInput (display, root, NoEventMask);
  XSync (display, True);

  if (frame != 0)
    {
      g_usleep (IDLE_MS * 1000);
      result->rss_mib = bench_proc_status_bytes (pid, "VmRSS") / 1048576.0;
      result->pss_mib = bench_pss_bytes (pid) / 1048576.0;
    }

  kill (pid, SIGTERM);
  for (int i = 0; i < 100 && waitpid (pid, &status, WNOHANG) == 0; i++)
    g_usleep (50000);
  if (waitpid (pid, &status, WNOHANG) == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }

  if (frame == 0)
    {
      printf ("launch: no %s within %d s\n", mapped == 0 ? "mapped window" : "first frame",
              LIMIT_S);
      return FALSE;
    }
  result->mapped_ms = (mapped - start) / 1000.0;
  result->frame_ms = (frame - start) / 1000.0;
  return TRUE;
}

static double
median (Launch *launches,
        guint   n,
        gsize   offset)
{
  g_autofree double *values = g_new (double, n);

  for (guint i = 0; i < n; i++)
    values[i] = G_STRUCT_MEMBER (double, &launches[i], offset);
  qsort (values, n, sizeof (double), bench_compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  const char *app = argc > 1 ? argv[1] : NULL;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 6;
  g_autofree Launch *launches = NULL;
  Display *display;
  int damage_event, damage_error;
  guint done = 0;

  if (app == NULL || !g_file_test (app, G_FILE_TEST_IS_EXECUTABLE))
    {
      printf ("launch: no figures, give the path of socket-lab\n");
      return 0;
    }
  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      printf ("launch: no figures, there is no display (run it under xvfb-run)\n");
      return 0;
    }
  if (!XDamageQueryExtension (display, &damage_event, &damage_error))
    {
      printf ("launch: no figures, the X server has no DAMAGE extension\n");
      return 0;
    }
  net_wm_pid = XInternAtom (display, "_NET_WM_PID", False);
  runs = CLAMP (runs, 2, 50);
  launches = g_new0 (Launch, runs);

  printf ("launch: %s from posix_spawn() to its window mapped and first drawn (X server "
          "events), then %d ms idle on the start screen; renderer %s\n", app, IDLE_MS,
          g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");
  for (guint i = 0; i < runs; i++)
    {
      if (!launch (display, damage_event, app, &launches[done]))
        continue;
      printf ("  run %u%s: mapped %6.1f ms, first frame %6.1f ms, idle VmRSS %.1f MiB, "
              "Pss %.1f MiB\n", i + 1, i == 0 ? " (cold)" : "       ",
              launches[done].mapped_ms, launches[done].frame_ms, launches[done].rss_mib,
              launches[done].pss_mib);
      done++;
    }

  if (done >= 2)
    {
      Launch *warm = launches + 1;
      guint n = done - 1;

      printf ("  median of the %u warm runs: mapped %.1f ms, first frame %.1f ms, "
              "idle VmRSS %.1f MiB, Pss %.1f MiB\n", n,
              median (warm, n, G_STRUCT_OFFSET (Launch, mapped_ms)),
              median (warm, n, G_STRUCT_OFFSET (Launch, frame_ms)),
              median (warm, n, G_STRUCT_OFFSET (Launch, rss_mib)),
              median (warm, n, G_STRUCT_OFFSET (Launch, pss_mib)));
      bench_figure ("first-frame.launch.cold", launches[0].frame_ms, "ms");
      bench_figure ("first-frame.launch.mapped", median (warm, n, G_STRUCT_OFFSET (Launch,
                                                                                 mapped_ms)),
                    "ms");
      bench_figure ("first-frame.launch", median (warm, n, G_STRUCT_OFFSET (Launch, frame_ms)),
                    "ms");
      bench_figure ("idle.app.start.rss", median (warm, n, G_STRUCT_OFFSET (Launch, rss_mib)),
                    "MiB");
      bench_figure ("idle.app.start.pss", median (warm, n, G_STRUCT_OFFSET (Launch, pss_mib)),
                    "MiB");
    }

  XCloseDisplay (display);
  return 0;
}
