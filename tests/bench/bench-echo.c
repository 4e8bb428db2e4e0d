/* bench-echo.c — echo round trips per second: SlEndpoint against a minimal GIO server
 *
 * The server under test runs on this process's main context; the clients run
 * in worker threads, each driving its share of the connections with one
 * 64-byte message outstanding per connection (send 64, receive the 64 echoed
 * bytes, send again) for 1 s; each server is measured three times, the
 * servers taking turns, and the median is kept. The baseline is the least a GIO
 * echo server can do: GSocketService + g_input_stream_read_async() +
 * g_output_stream_write_all_async().
 *
 * Then the same clients against separate processes (argv[1] is the path of
 * socket-lab-cli; without it this part is left out), so that the app's
 * server is measured as a user runs it:
 *   - cli-trace = socket-lab-cli tcp-server --reply=echo, trace printed to
 *                 /dev/null;
 *   - cli-quiet = the same with --quiet (the log is kept, nothing printed);
 *   - gio-proc  = this program re-run as `bench-echo --gio-server PORT`, the
 *                 baseline alone in its process.
 * Each server process gets a free port (probed with bind(0)) and is ready
 * once a probe connect() succeeds, before the clock starts.
 *
 * Prints figures and exits 0; a failed run (refused connection, wrong echo)
 * exits 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "bench-util.h"
#include "sl-endpoint.h"

#define MESSAGE_SIZE   64
#define DURATION_US    (1 * G_USEC_PER_SEC)
/* Each server is measured ROUNDS times, the servers taking turns, and the
 * median is kept: the machine is shared, and a load that comes and goes
 * then touches every server alike. */
#define ROUNDS         5
#define MAX_THREADS    4
#define BUFFER_SIZE    1024

/* ---- clients --------------------------------------------------------- */

typedef struct
{
  int    fd;
  guint8 sent[MESSAGE_SIZE];
  guint8 got[MESSAGE_SIZE];
  gsize  n_got;
} Client;

typedef struct
{
  GSocketAddress *address;
  guint           n_clients;
  gint           *ready;        /* threads connected */
  gint           *go;           /* set once every thread is connected */
  gint           *done;         /* threads finished */
  gint64          deadline;     /* written before go is set */
  guint64         round_trips;
  gboolean        failed;
  GThread        *thread;
} Worker;

static void
next_message (Client *client,
              guint64 counter)
{
  for (guint i = 0; i < MESSAGE_SIZE; i++)
    client->sent[i] = 'a' + (counter + i + client->fd) % 26;
  client->n_got = 0;
}

static gboolean
send_message (Client *client)
{
  gsize sent = 0;

  /* 64 bytes always fit in an empty socket buffer; loop for correctness. */
  while (sent < MESSAGE_SIZE)
    {
      gssize n = send (client->fd, client->sent + sent, MESSAGE_SIZE - sent, MSG_NOSIGNAL);

      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd pfd = { client->fd, POLLOUT, 0 };

          poll (&pfd, 1, 100);
          continue;
        }
      if (n < 0)
        return FALSE;
      sent += n;
    }

  return TRUE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autofree Client *clients = g_new0 (Client, worker->n_clients);
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, worker->n_clients);
  struct sockaddr_storage storage;
  socklen_t len = g_socket_address_get_native_size (worker->address);
  guint64 counter = 0;

  g_socket_address_to_native (worker->address, &storage, sizeof storage, NULL);

  for (guint i = 0; i < worker->n_clients; i++)
    clients[i].fd = -1;

  for (guint i = 0; i < worker->n_clients; i++)
    {
      clients[i].fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (clients[i].fd < 0 || connect (clients[i].fd, (struct sockaddr *) &storage, len) < 0)
        {
          g_printerr ("bench-echo: connect: %s\n", g_strerror (errno));
          worker->failed = TRUE;
          break;
        }
      g_unix_set_fd_nonblocking (clients[i].fd, TRUE, NULL);
      pfds[i].fd = clients[i].fd;
      pfds[i].events = POLLIN;
    }

  g_atomic_int_inc (worker->ready);
  g_main_context_wakeup (NULL);
  while (!g_atomic_int_get (worker->go))
    g_usleep (500);

  for (guint i = 0; i < worker->n_clients && !worker->failed; i++)
    {
      next_message (&clients[i], counter++);
      if (!send_message (&clients[i]))
        worker->failed = TRUE;
    }

  while (!worker->failed && g_get_monotonic_time () < worker->deadline)
    {
      int n_ready = poll (pfds, worker->n_clients, 100);

      if (n_ready < 0 && errno != EINTR)
        worker->failed = TRUE;

      for (guint i = 0; i < worker->n_clients && n_ready > 0; i++)
        {
          Client *client = &clients[i];
          gssize n;

          if (pfds[i].revents == 0)
            continue;
          n_ready--;

          n = recv (client->fd, client->got + client->n_got, MESSAGE_SIZE - client->n_got, 0);
          if (n < 0 && errno == EAGAIN)
            continue;
          if (n <= 0)
            {
              g_printerr ("bench-echo: recv: %s\n", n == 0 ? "EOF" : g_strerror (errno));
              worker->failed = TRUE;
              break;
            }
          client->n_got += n;
          if (client->n_got < MESSAGE_SIZE)
            continue;

          if (memcmp (client->got, client->sent, MESSAGE_SIZE) != 0)
            {
              g_printerr ("bench-echo: the echo differs from what was sent\n");
              worker->failed = TRUE;
              break;
            }
          worker->round_trips++;
          next_message (client, counter++);
          if (!send_message (client))
            worker->failed = TRUE;
        }
    }

  for (guint i = 0; i < worker->n_clients; i++)
    if (clients[i].fd >= 0)
      close (clients[i].fd);

  g_atomic_int_inc (worker->done);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Runs @n_clients clients against @address for DURATION_US while iterating
 * the main context (where the server lives). Returns round trips per second,
 * or a negative value on failure. */
static double
run_clients (GSocketAddress *address,
             guint           n_clients)
{
  guint n_threads = MIN (n_clients, MAX_THREADS);
  Worker workers[MAX_THREADS];
  gint ready = 0, go = 0, done = 0;
  guint64 total = 0;
  gboolean failed = FALSE;
  gint64 start, limit;

  memset (workers, 0, sizeof workers);
  for (guint t = 0; t < n_threads; t++)
    {
      workers[t].address = address;
      workers[t].n_clients = n_clients / n_threads + (t < n_clients % n_threads ? 1 : 0);
      workers[t].ready = &ready;
      workers[t].go = &go;
      workers[t].done = &done;
      workers[t].thread = g_thread_new ("bench-client", worker_thread, &workers[t]);
    }

  /* Let the server accept everyone before the clock starts. */
  limit = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&ready) < (gint) n_threads && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  for (guint t = 0; t < n_threads; t++)
    workers[t].deadline = start + DURATION_US;
  g_atomic_int_set (&go, 1);

  limit = start + DURATION_US + 30 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&done) < (gint) n_threads && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);

  for (guint t = 0; t < n_threads; t++)
    {
      g_thread_join (workers[t].thread);
      total += workers[t].round_trips;
      failed |= workers[t].failed;
    }

  if (failed)
    return -1.0;

  return total / ((double) DURATION_US / G_USEC_PER_SEC);
}

/* ---- the GIO baseline server --------------------------------------------- */

typedef struct
{
  GSocketConnection *connection;
  guint8             buffer[BUFFER_SIZE];
} EchoConn;

static void read_more (EchoConn *conn);

static void
echo_conn_free (EchoConn *conn)
{
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  g_object_unref (conn->connection);
  g_free (conn);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  EchoConn *conn = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      echo_conn_free (conn);
      return;
    }
  read_more (conn);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  EchoConn *conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);
  GOutputStream *out;

  if (n <= 0)
    {
      echo_conn_free (conn);
      return;
    }

  out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  g_output_stream_write_all_async (out, conn->buffer, n, G_PRIORITY_DEFAULT, NULL,
                                   written_cb, conn);
}

static void
read_more (EchoConn *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_async (in, conn->buffer, sizeof conn->buffer, G_PRIORITY_DEFAULT, NULL,
                             read_cb, conn);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  EchoConn *conn = g_new0 (EchoConn, 1);

  conn->connection = g_object_ref (connection);
  read_more (conn);
  return TRUE;
}

static double
bench_baseline (guint n_clients)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  double rate;

  any = g_inet_socket_address_new (loopback, 0);
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), 128);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error))
    {
      g_printerr ("bench-echo: baseline: %s\n", error->message);
      return -1.0;
    }
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (service);

  rate = run_clients (bound, n_clients);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  /* Let the last reads see EOF and free their state. */
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;

  return rate;
}

/* ---- the Socket Lab server --------------------------------------------- */

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static double
bench_app (guint   n_clients,
           guint   max_entries,
           guint64 *n_appended)
{
  g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();
  g_autoptr(SlLog) log = sl_log_new (max_entries);
  g_autoptr(SlEndpoint) endpoint = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 limit = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  double rate;

  sl_endpoint_config_set_host (config, "127.0.0.1");
  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_backlog (config, 128);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_ECHO);
  sl_endpoint_config_set_bufsize (config, BUFFER_SIZE);
  endpoint = sl_endpoint_new (config, log);

  sl_endpoint_start_async (endpoint, NULL, started_cb, &result);
  while (result == NULL && g_get_monotonic_time () < limit)
    g_main_context_iteration (NULL, TRUE);
  if (result == NULL || !sl_endpoint_start_finish (endpoint, result, &error))
    {
      g_printerr ("bench-echo: server: %s\n", error != NULL ? error->message : "no answer");
      return -1.0;
    }

  rate = run_clients (sl_endpoint_get_local_address (endpoint), n_clients);

  sl_endpoint_stop (endpoint);
  sl_log_flush (log);
  *n_appended = sl_log_get_n_appended (log);

  return rate;
}

/* ---- servers in their own process ------------------------------------------ */

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* `bench-echo --gio-server PORT`: the baseline alone, until SIGTERM. */
static int
gio_server_main (int port)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_socket_listener_set_backlog (G_SOCKET_LISTENER (service), 128);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, NULL,
                                      &error))
    {
      g_printerr ("bench-echo --gio-server: %s\n", error->message);
      return 1;
    }
  g_signal_connect (service, "incoming", G_CALLBACK (incoming_cb), NULL);
  g_socket_service_start (service);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}

static int
free_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t len = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int port = -1;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &address, sizeof address) == 0 &&
      getsockname (fd, (struct sockaddr *) &address, &len) == 0)
    port = ntohs (address.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

static gboolean
probe_connect (int port)
{
  struct sockaddr_in address = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ok = fd >= 0 && connect (fd, (struct sockaddr *) &address, sizeof address) == 0;
  if (fd >= 0)
    close (fd);
  return ok;
}

/* Runs @args (stdout and stderr to /dev/null), where an argument "PORT" is
 * replaced by a free port and "127.0.0.1:PORT" by that address, and measures
 * the clients against it. */
static double
bench_process (const char *const *args,
               guint              n_clients)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  int port = free_port ();
  GPid pid;
  gboolean ready = FALSE;
  double rate = -1.0;
  int status;

  for (guint i = 0; args[i] != NULL; i++)
    {
      if (g_str_equal (args[i], "PORT"))
        g_ptr_array_add (argv, g_strdup_printf ("%d", port));
      else if (g_str_equal (args[i], "127.0.0.1:PORT"))
        g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%d", port));
      else
        g_ptr_array_add (argv, g_strdup (args[i]));
    }
  g_ptr_array_add (argv, NULL);

  if (port < 0 ||
      !g_spawn_async (NULL, (char **) argv->pdata, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error))
    {
      g_printerr ("bench-echo: cannot start %s: %s\n", args[0],
                  error != NULL ? error->message : "no free port");
      return -1.0;
    }

  for (guint i = 0; i < 1000 && !ready; i++)
    {
      ready = probe_connect (port);
      if (!ready)
        g_usleep (10000);
    }
  if (ready)
    {
      /* Let the server take the probe in and settle. */
      g_usleep (200000);
      address = g_inet_socket_address_new (loopback, port);
      rate = run_clients (address, n_clients);
    }
  else
    g_printerr ("bench-echo: %s does not accept connections on port %d\n", args[0], port);

  kill (pid, SIGTERM);
  for (guint i = 0; i < 200 && waitpid (pid, &status, WNOHANG) == 0; i++)
    g_usleep (25000);
  if (waitpid (pid, &status, WNOHANG) == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
    }
  g_spawn_close_pid (pid);

  return rate;
}

/* The median of @n rates; negative (a failure) when any is. */
static double
median_rate (const double *rates,
             guint         n)
{
  double sorted[ROUNDS];

  for (guint i = 0; i < n; i++)
    {
      if (rates[i] < 0)
        return -1.0;
      sorted[i] = rates[i];
    }
  qsort (sorted, n, sizeof (double), bench_compare_double);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void
print_rounds (const char   *name,
              const double *rates)
{
  g_print ("           %-10s", name);
  for (guint r = 0; r < ROUNDS; r++)
    g_print (" %9.0f", rates[r]);
  g_print ("\n");
}

int
main (int   argc,
      char *argv[])
{
  static const guint n_clients[] = { 1, 50, 500 };
  g_autofree char *self_path = NULL;
  const char *cli = NULL;
  gboolean failed = FALSE;

  if (argc == 3 && g_str_equal (argv[1], "--gio-server"))
    return gio_server_main (atoi (argv[2]));
  if (argc > 1)
    cli = argv[1];
  self_path = g_file_read_link ("/proc/self/exe", NULL);

  bench_raise_fd_limit (4096);

  g_print ("Echo round trips per second: %d-byte messages, one outstanding per connection,\n"
           "%d s per measurement, %d rounds with the servers taking turns, median shown;\n"
           "clients in up to %d threads; server on the main context.\n"
           "  app       = SlEndpoint TCP server, reply echo, call trace on (log cap %u)\n"
           "  app-cap1k = the same with a log cap of 1000 entries\n"
           "  gio       = GSocketService + read_async/write_all_async (baseline)\n\n",
           MESSAGE_SIZE, (int) (DURATION_US / G_USEC_PER_SEC), ROUNDS, MAX_THREADS,
           SL_LOG_DEFAULT_MAX_ENTRIES);
  g_print ("%8s %12s %12s %12s %10s %12s\n",
           "clients", "app", "app-cap1k", "gio", "app/gio", "trace rows");

  for (guint i = 0; i < G_N_ELEMENTS (n_clients); i++)
    {
      g_autofree char *key_app = g_strdup_printf ("echo.inproc.app.%u", n_clients[i]);
      g_autofree char *key_gio = g_strdup_printf ("echo.inproc.gio.%u", n_clients[i]);
      double apps[ROUNDS], caps[ROUNDS], gios[ROUNDS];
      guint64 rows = 0, rows_cap = 0;
      double app, app_cap, gio;

      for (guint r = 0; r < ROUNDS; r++)
        {
          apps[r] = bench_app (n_clients[i], SL_LOG_DEFAULT_MAX_ENTRIES, &rows);
          caps[r] = bench_app (n_clients[i], 1000, &rows_cap);
          gios[r] = bench_baseline (n_clients[i]);
        }
      app = median_rate (apps, ROUNDS);
      app_cap = median_rate (caps, ROUNDS);
      gio = median_rate (gios, ROUNDS);

      if (app < 0 || app_cap < 0 || gio < 0)
        failed = TRUE;
      g_print ("%8u %12.0f %12.0f %12.0f %10.2f %12" G_GUINT64_FORMAT "\n",
               n_clients[i], app, app_cap, gio, gio > 0 ? app / gio : 0.0, rows);
      print_rounds ("app", apps);
      print_rounds ("gio", gios);
      bench_figure (key_app, app, "rt/s");
      bench_figure (key_gio, gio, "rt/s");
    }

  if (cli == NULL || self_path == NULL)
    {
      g_print ("\n(no path of socket-lab-cli given: the separate-process runs are left out)\n");
      return failed ? 1 : 0;
    }

  g_print ("\nThe same clients against a server in its own process:\n"
           "  cli-trace = socket-lab-cli tcp-server --reply=echo, trace to /dev/null\n"
           "  cli-quiet = socket-lab-cli tcp-server --reply=echo --quiet\n"
           "  gio-proc  = the baseline above, alone in a process\n\n");
  g_print ("%8s %12s %12s %12s %12s %12s\n",
           "clients", "cli-trace", "cli-quiet", "gio-proc", "trace/gio", "quiet/gio");
  for (guint i = 0; i < G_N_ELEMENTS (n_clients); i++)
    {
      const char *const trace_args[] = { cli, "tcp-server", "127.0.0.1:PORT", "--reply=echo",
                                         "--backlog=128", NULL };
      const char *const quiet_args[] = { cli, "tcp-server", "127.0.0.1:PORT", "--reply=echo",
                                         "--backlog=128", "--quiet", NULL };
      const char *const gio_args[] = { self_path, "--gio-server", "PORT", NULL };
      g_autofree char *key_trace = g_strdup_printf ("echo.cli.trace.%u", n_clients[i]);
      g_autofree char *key_quiet = g_strdup_printf ("echo.cli.quiet.%u", n_clients[i]);
      g_autofree char *key_gio = g_strdup_printf ("echo.proc.gio.%u", n_clients[i]);
      double traces[ROUNDS], quiets[ROUNDS], gios[ROUNDS];
      double trace, quiet, gio;

      for (guint r = 0; r < ROUNDS; r++)
        {
          traces[r] = bench_process (trace_args, n_clients[i]);
          quiets[r] = bench_process (quiet_args, n_clients[i]);
          gios[r] = bench_process (gio_args, n_clients[i]);
        }
      trace = median_rate (traces, ROUNDS);
      quiet = median_rate (quiets, ROUNDS);
      gio = median_rate (gios, ROUNDS);

      if (trace < 0 || quiet < 0 || gio < 0)
        failed = TRUE;
      g_print ("%8u %12.0f %12.0f %12.0f %12.2f %12.2f\n", n_clients[i], trace, quiet,
               gio, gio > 0 ? trace / gio : 0.0, gio > 0 ? quiet / gio : 0.0);
      print_rounds ("cli-trace", traces);
      print_rounds ("cli-quiet", quiets);
      print_rounds ("gio-proc", gios);
      bench_figure (key_trace, trace, "rt/s");
      bench_figure (key_quiet, quiet, "rt/s");
      bench_figure (key_gio, gio, "rt/s");
    }

  return failed ? 1 : 0;
}
