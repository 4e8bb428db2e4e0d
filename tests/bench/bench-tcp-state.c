/* bench-tcp-state.c — what reading the kernel's TCP states costs
 *
 * Opens N connections on loopback (2N sockets plus a listener; N = 500 by
 * default, argv[1] to change it), then measures per call:
 *   - sl_tcp_state_from_fd() and sl_tcp_state_from_socket() (one getsockopt);
 *   - reading /proc/net/tcp (the kernel formats every TCP socket);
 *   - sl_proc_net_tcp_parse() of that text alone;
 *   - sl_tcp_state_lookup_proc() (read + parse + match), the price of one
 *     re-parse of the full table, and the CPU share at a few lookups per
 *     second;
 *   - sl_tcp_state_lookup() (sock_diag netlink, one exact 4-tuple).
 * Prints figures and exits 0; nothing here asserts a speed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <locale.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sl-tcp-state.h"

static int
listener_new (struct sockaddr_in *address)
{
  socklen_t len = sizeof *address;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  memset (address, 0, sizeof *address);
  address->sin_family = AF_INET;
  address->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) address, sizeof *address) < 0 ||
      listen (fd, 4096) < 0 || getsockname (fd, (struct sockaddr *) address, &len) < 0)
    g_error ("listener: %s", g_strerror (errno));
  return fd;
}

static double
elapsed_us (gint64 start,
            guint  n)
{
  return (double) (g_get_monotonic_time () - start) / n;
}

int
main (int   argc,
      char *argv[])
{
  guint n_connections = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 500;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SlProcNetTcpRow));
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocket) gsocket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  struct sockaddr_in address;
  struct rlimit limit;
  volatile SlTcpState sink = SL_TCP_STATE_UNKNOWN;
  gsize contents_len;
  double per_call, lookup_us;
  gint64 start;
  int listener, client = -1, server = -1;
  guint n;

  setlocale (LC_ALL, "");

  /* Room for 2N descriptors. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && 2 * n_connections + 64 > limit.rlim_cur)
    n_connections = (limit.rlim_cur - 64) / 2;

  listener = listener_new (&address);
  for (guint i = 0; i < n_connections; i++)
    {
      client = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (client < 0 || connect (client, (struct sockaddr *) &address, sizeof address) < 0)
        g_error ("connect: %s", g_strerror (errno));
      server = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
      if (server < 0)
        g_error ("accept: %s", g_strerror (errno));
      g_array_append_val (fds, client);
      g_array_append_val (fds, server);
    }

  g_print ("%u connections on 127.0.0.1 (%u sockets + 1 listener)\n",
           n_connections, 2 * n_connections);

  /* TCP_INFO on one socket. */
  n = 200000;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    sink = sl_tcp_state_from_fd (client, NULL);
  per_call = elapsed_us (start, n);
  g_print ("sl_tcp_state_from_fd:     %8.3f µs per call (%s)\n", per_call,
           sl_tcp_state_to_string (sink));

  gsocket = g_socket_new_from_fd (dup (client), &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      SlTcpInfo info;

      sink = sl_tcp_state_from_socket (gsocket, &info);
    }
  per_call = elapsed_us (start, n);
  g_print ("sl_tcp_state_from_socket: %8.3f µs per call, with SlTcpInfo\n", per_call);

  /* The whole table. */
  n = 200;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_clear_pointer (&contents, g_free);
      if (!g_file_get_contents ("/proc/net/tcp", &contents, &contents_len, &error))
        g_error ("%s", error->message);
    }
  per_call = elapsed_us (start, n);
  g_print ("read /proc/net/tcp:       %8.1f µs per read (%" G_GSIZE_FORMAT " bytes)\n",
           per_call, contents_len);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_array_set_size (rows, 0);
      if (!sl_proc_net_tcp_parse (contents, contents_len, FALSE, rows, &error))
        g_error ("%s", error->message);
    }
  per_call = elapsed_us (start, n);
  g_print ("sl_proc_net_tcp_parse:    %8.1f µs per parse (%u rows, %.3f µs per row)\n",
           per_call, rows->len, per_call / MAX (rows->len, 1));

  /* The last connection's 4-tuple, looked up as after a close. */
  {
    struct sockaddr_storage storage;
    socklen_t len = sizeof storage;

    getsockname (client, (struct sockaddr *) &storage, &len);
    local = g_socket_address_new_from_native (&storage, len);
    len = sizeof storage;
    getpeername (client, (struct sockaddr *) &storage, &len);
    remote = g_socket_address_new_from_native (&storage, len);
  }
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      sink = sl_tcp_state_lookup_proc (local, remote, NULL, &error);
      g_assert_no_error (error);
    }
  lookup_us = elapsed_us (start, n);
  g_print ("sl_tcp_state_lookup_proc: %8.1f µs per lookup (%s), a full table re-parse\n",
           lookup_us, sl_tcp_state_to_string (sink));
  g_print ("  CPU of one core at 1, 5, 10 lookups/s: %.3f %%, %.3f %%, %.3f %%\n",
           lookup_us / 1e4, 5 * lookup_us / 1e4, 10 * lookup_us / 1e4);

  n = 20000;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      sink = sl_tcp_state_lookup (local, remote, NULL, &error);
      g_assert_no_error (error);
    }
  lookup_us = elapsed_us (start, n);
  g_print ("sl_tcp_state_lookup:      %8.1f µs per lookup (%s), sock_diag of one 4-tuple\n",
           lookup_us, sl_tcp_state_to_string (sink));
  g_print ("  CPU of one core at 10, 100 lookups/s: %.4f %%, %.4f %%\n",
           10 * lookup_us / 1e4, 100 * lookup_us / 1e4);

  /* A socket the kernel does not have. */
  {
    g_autoptr(GSocketAddress) nowhere = g_inet_socket_address_new_from_string ("127.0.0.1", 1);

    start = g_get_monotonic_time ();
    for (guint i = 0; i < n; i++)
      {
        sink = sl_tcp_state_lookup (nowhere, remote, NULL, &error);
        g_assert_no_error (error);
      }
    g_print ("sl_tcp_state_lookup, miss: %7.1f µs per lookup (%s: IPv4, then as IPv4-mapped)\n",
             elapsed_us (start, n), sl_tcp_state_to_string (sink));

    n = 200;
    start = g_get_monotonic_time ();
    for (guint i = 0; i < n; i++)
      {
        sink = sl_tcp_state_lookup_proc (nowhere, remote, NULL, &error);
        g_assert_no_error (error);
      }
    g_print ("sl_tcp_state_lookup_proc, miss: %.1f µs per lookup (%s: tcp and tcp6 read)\n",
             elapsed_us (start, n), sl_tcp_state_to_string (sink));
  }

  /* RST rather than FIN: leave no 500 TIME_WAIT rows behind for the next reader. */
  for (guint i = 0; i < fds->len; i++)
    {
      struct linger linger = { 1, 0 };

      setsockopt (g_array_index (fds, int, i), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      close (g_array_index (fds, int, i));
    }
  close (listener);
  return 0;
}
