/* bench-state-polling.c — what watching the kernel's TCP states costs
 *
 * One server endpoint and N client endpoints (N = 100 by default, argv[1] to
 * change it) of the engine on loopback. Measures the CPU time of this process
 * (getrusage: user + system) while the main loop runs:
 *   - idle: N settled ESTABLISHED connections (the engine stops polling once
 *     a state is stable; only events make it look again);
 *   - the first 5 s after all N clients close at once (the burst of events,
 *     then N TIME_WAIT connections polled once a second by sock_diag);
 *   - the next 5 s (only the TIME_WAIT polls).
 * Prints CPU % of one core for each and exits 0; nothing here asserts a speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <locale.h>
#include <sys/resource.h>

#include "bench-util.h"
#include "sl-endpoint.h"
#include "sl-tcp-state.h"

#define WINDOW_MS 5000

static gboolean
expire_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms (bounded by the timeout itself). */
static void
run_for (guint ms)
{
  gboolean expired = FALSE;

  g_timeout_add (ms, expire_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *n_started = user_data;
  g_autoptr(GError) error = NULL;

  if (!sl_endpoint_start_finish (SL_ENDPOINT (object), result, &error))
    g_error ("start: %s", error->message);
  (*n_started)++;
}

static double
measure (const char *what,
         guint       ms)
{
  gint64 cpu0 = bench_cpu_us ();
  gint64 wall0 = g_get_monotonic_time ();
  double percent;

  run_for (ms);
  percent = 100.0 * (double) (bench_cpu_us () - cpu0) / (double) (g_get_monotonic_time () - wall0);
  g_print ("%-62s %6.3f %% CPU\n", what, percent);
  return percent;
}

static guint
count_state (GPtrArray  *connections,
             SlTcpState  state)
{
  guint count = 0;

  for (guint i = 0; i < connections->len; i++)
    if (sl_connection_get_tcp_state (g_ptr_array_index (connections, i)) == state)
      count++;
  return count;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100;
  g_autoptr(SlEndpointConfig) server_config = sl_endpoint_config_new ();
  g_autoptr(SlEndpoint) server = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_started = 0;
  gint64 deadline;

  setlocale (LC_ALL, "");
  n = CLAMP (n, 1, 400);

  sl_endpoint_config_set_protocol (server_config, SL_PROTOCOL_TCP);
  sl_endpoint_config_set_role (server_config, SL_ROLE_SERVER);
  sl_endpoint_config_set_host (server_config, "127.0.0.1");
  sl_endpoint_config_set_port (server_config, 0);
  sl_endpoint_config_set_backlog (server_config, 128);
  sl_endpoint_config_set_reply_mode (server_config, SL_REPLY_NONE);
  server = sl_endpoint_new (server_config, NULL);
  sl_endpoint_start_async (server, NULL, started_cb, &n_started);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (n_started < 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (n_started < 1)
    g_error ("the server did not start");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();

      sl_endpoint_config_set_protocol (config, SL_PROTOCOL_TCP);
      sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
      sl_endpoint_config_set_host (config, "127.0.0.1");
      sl_endpoint_config_set_port (config, sl_endpoint_get_local_port (server));
      sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
      g_ptr_array_add (clients, sl_endpoint_new (config, sl_log_new (1000)));
      sl_endpoint_start_async (g_ptr_array_index (clients, i), NULL, started_cb, &n_started);
    }
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((n_started < n + 1 ||
          g_list_model_get_n_items (sl_endpoint_get_connections (server)) < n) &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (n_started < n + 1)
    g_error ("only %u of %u clients connected", n_started - 1, n);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (connections,
                     g_object_ref (sl_endpoint_get_first_connection (g_ptr_array_index (clients,
                                                                                        i))));

  g_print ("%u connections on loopback (%u client endpoints, one server endpoint)\n", n, n);
  run_for (3000);  /* the back-off after the connect events ends */
  measure ("idle, all ESTABLISHED and settled:", WINDOW_MS);

  for (guint i = 0; i < n; i++)
    sl_connection_close (g_ptr_array_index (connections, i), NULL);
  measure ("all clients close at once, the next 5 s:", WINDOW_MS);
  g_print ("  in TIME_WAIT now: %u of %u\n",
           count_state (connections, SL_TCP_STATE_TIME_WAIT), n);
  measure ("TIME_WAIT watch only (one sock_diag lookup per second each):", WINDOW_MS);
  g_print ("  in TIME_WAIT now: %u of %u\n",
           count_state (connections, SL_TCP_STATE_TIME_WAIT), n);

  g_ptr_array_set_size (connections, 0);
  g_ptr_array_set_size (clients, 0);
  return 0;
}
