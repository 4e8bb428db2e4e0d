/* bench-accept-list.c — time to accept and list 1,000 clients in the window
 *
 * An SlWindow (as tests/ui/test-window.c makes it) with one TCP server added
 * through sl_window_add_endpoint() on 127.0.0.1:0 (async I/O, reply echo,
 * backlog 1024, no client limit), its page showing the connection list. A
 * GThread connects 1,000 plain blocking sockets one after the other as fast
 * as the kernel lets it. Measured from the first connect():
 *   - accepted: the engine lists 1,000 connections (sl_endpoint_get_connections);
 *   - listed: the connection list's GtkColumnView model holds 1,000 rows;
 *   - shown: the first frame drawn after that.
 * Then all 1,000 close at once and the time until the list is empty again is
 * printed, and the VmRSS the 1,000 connections added. Figures, not a test:
 * exits 0 (a missing display prints a note).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench-util.h"
#include "sl-endpoint-page.h"
#include "sl-window.h"

#define N_CLIENTS 1000
#define LIMIT_S   60

typedef struct
{
  guint16  port;
  int      fds[N_CLIENTS];
  guint    n_connected;      /* atomic */
  gint64   first_connect;
  gint64   last_connect;
  int      error;
  gboolean done;             /* atomic */
} Clients;

typedef struct
{
  GListModel *model;
  gint64      listed;        /* the model reached N_CLIENTS rows */
  gint64      emptied;       /* the model is empty again */
  gboolean    closing;
} Watch;

static gpointer
connect_thread (gpointer data)
{
  Clients *clients = data;
  struct sockaddr_in address = { 0 };

  address.sin_family = AF_INET;
  address.sin_port = htons (clients->port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  clients->first_connect = g_get_monotonic_time ();
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

      if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) < 0)
        {
          clients->error = errno;
          if (fd >= 0)
            close (fd);
          break;
        }
      clients->fds[i] = fd;
      g_atomic_int_inc (&clients->n_connected);
    }
  clients->last_connect = g_get_monotonic_time ();
  g_atomic_int_set (&clients->done, TRUE);
  g_main_context_wakeup (NULL);

  return NULL;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  guint n = g_list_model_get_n_items (model);

  if (watch->listed == 0 && n >= N_CLIENTS)
    watch->listed = g_get_monotonic_time ();
  if (watch->closing && watch->emptied == 0 && n == 0)
    watch->emptied = g_get_monotonic_time ();
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Iterates the default main context until *@flag (an atomic int) is set or
 * @seconds pass. */
static gboolean
iterate_until (const gint *flag,
               int         seconds)
{
  gint64 limit = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!g_atomic_int_get (flag) && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  return g_atomic_int_get (flag);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
run (SlWindow *window)
{
  g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();
  g_autoptr(GThread) thread = NULL;
  g_autofree Clients *clients = g_new0 (Clients, 1);
  SlEndpoint *server;
  GtkWidget *page, *list, *column_view;
  GListModel *connections;
  Watch watch = { 0 };
  gint64 limit, accepted = 0, shown, rss_before, rss_after, closed_at, engine_empty = 0;
  guint wake_id;
  gboolean listed_flag;

  sl_endpoint_config_set_host (config, "127.0.0.1");
  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_backlog (config, 1024);
  sl_endpoint_config_set_max_clients (config, 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_ECHO);
  server = sl_window_add_endpoint (window, config, TRUE);

  limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sl_endpoint_get_state (server) != SL_ENDPOINT_STATE_LISTENING &&
         g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  if (sl_endpoint_get_state (server) != SL_ENDPOINT_STATE_LISTENING)
    {
      printf ("accept-list: no figures, the server is not listening\n");
      return;
    }

  page = sl_window_get_page (window, server);
  list = page != NULL ? sl_endpoint_page_get_connection_list (SL_ENDPOINT_PAGE (page)) : NULL;
  column_view = list != NULL ? find_type (list, GTK_TYPE_COLUMN_VIEW) : NULL;
  if (column_view == NULL)
    {
      printf ("accept-list: no figures, the server's page has no connection list\n");
      return;
    }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!gtk_widget_get_mapped (list) && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  /* The column view itself is mapped once there is a connection (an empty list
   * shows a label instead). */
  if (!gtk_widget_get_mapped (list))
    printf ("accept-list: note: the connection list is not on screen\n");
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  watch.model = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)));
  g_signal_connect (watch.model, "items-changed", G_CALLBACK (items_changed_cb), &watch);
  connections = sl_endpoint_get_connections (server);

  rss_before = bench_proc_status_bytes (0, "VmRSS");

  /* A 1 ms source so that the loop notices the engine's progress promptly. */
  wake_id = g_timeout_add (1, wake_cb, NULL);

  clients->port = sl_endpoint_get_local_port (server);
  thread = g_thread_new ("connect", connect_thread, clients);

  limit = g_get_monotonic_time () + LIMIT_S * G_USEC_PER_SEC;
  while ((watch.listed == 0 || accepted == 0) && g_get_monotonic_time () < limit)
    {
      g_main_context_iteration (NULL, TRUE);
      if (accepted == 0 && g_list_model_get_n_items (connections) >= N_CLIENTS)
        accepted = g_get_monotonic_time ();
      if (g_atomic_int_get (&clients->done) && clients->error != 0)
        break;
    }
  iterate_until (&clients->done, 10);
  listed_flag = watch.listed != 0;
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  shown = g_get_monotonic_time ();
  if (!gtk_widget_get_mapped (column_view))
    printf ("accept-list: note: the connection list's column view is not on screen\n");
  g_thread_join (g_steal_pointer (&thread));

  printf ("accept-list: %d clients connect one after another to a server shown in the window\n",
          N_CLIENTS);
  if (clients->error != 0)
    printf ("  the clients stopped after %u connections: %s\n", clients->n_connected,
            g_strerror (clients->error));
  printf ("  connect() of all %u took %.1f ms (kernel handshakes on loopback)\n",
          clients->n_connected, (clients->last_connect - clients->first_connect) / 1000.0);
  if (accepted != 0)
    printf ("  the engine lists %d connections %.1f ms after the first connect()\n", N_CLIENTS,
            (accepted - clients->first_connect) / 1000.0);
  if (listed_flag)
    {
      printf ("  the connection list holds %d rows after %.1f ms; the next frame is drawn at "
              "%.1f ms\n", N_CLIENTS, (watch.listed - clients->first_connect) / 1000.0,
              (shown - clients->first_connect) / 1000.0);
      bench_figure ("accept-list.accepted", (accepted - clients->first_connect) / 1000.0, "ms");
      bench_figure ("accept-list.shown", (shown - clients->first_connect) / 1000.0, "ms");
    }
  else
    printf ("  the connection list did not reach %d rows within %d s (it has %u)\n",
            N_CLIENTS, LIMIT_S, g_list_model_get_n_items (watch.model));

  rss_after = bench_proc_status_bytes (0, "VmRSS");
  printf ("  VmRSS grew by %.1f MiB with %u connections (%.1f KiB each, their trace rows "
          "included); the trace holds %u rows\n", (rss_after - rss_before) / 1048576.0,
          g_list_model_get_n_items (connections),
          (rss_after - rss_before) / 1024.0 / MAX (1, g_list_model_get_n_items (connections)),
          g_list_model_get_n_items (G_LIST_MODEL (sl_endpoint_get_log (server))));

  /* All close at once: the list empties. */
  watch.closing = TRUE;
  closed_at = g_get_monotonic_time ();
  for (guint i = 0; i < clients->n_connected; i++)
    close (clients->fds[i]);
  limit = g_get_monotonic_time () + LIMIT_S * G_USEC_PER_SEC;
  while ((watch.emptied == 0 || engine_empty == 0) && g_get_monotonic_time () < limit)
    {
      g_main_context_iteration (NULL, TRUE);
      if (engine_empty == 0 && g_list_model_get_n_items (connections) == 0)
        engine_empty = g_get_monotonic_time ();
    }
  if (watch.emptied != 0)
    {
      printf ("  after all close at once: the engine has none left at %.1f ms, the list is "
              "empty at %.1f ms\n", (engine_empty - closed_at) / 1000.0,
              (watch.emptied - closed_at) / 1000.0);
      bench_figure ("accept-list.emptied", (watch.emptied - closed_at) / 1000.0, "ms");
    }
  else
    printf ("  after all close at once the list still has %u rows after %d s\n",
            g_list_model_get_n_items (watch.model), LIMIT_S);

  g_source_remove (wake_id);
  g_signal_handlers_disconnect_by_data (watch.model, &watch);
  sl_endpoint_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  SlWindow *window;

  bench_raise_fd_limit (4096);

  if (!gtk_init_check ())
    {
      printf ("accept-list: no figures, there is no display (run it under xvfb-run)\n");
      return 0;
    }
  adw_init ();

  settings = g_settings_new (SL_SETTINGS_SCHEMA_ID);
  window = g_object_new (SL_TYPE_WINDOW, "settings", settings, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  run (window);

  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  return 0;
}
