/* test-tcp-state.c — the kernel's TCP states, read from real loopback sockets
 *
 * Each transition is driven by plain system calls in the test and asserted
 * from the kernel (TCP_INFO while the descriptor is open, /proc/net/tcp{,6}
 * after). Every wait for a transition polls every 10 ms, bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-tcp-state.h"
#include "sl-test-util.h"

#define WAIT_MS 3000

/* Sockets ---------------------------------------------------------------- */

static int
listener_new (GSocketFamily family,
              const char   *host,
              int           backlog)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, 0);
  struct sockaddr_storage native;
  int fd = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET,
                   SOCK_STREAM | SOCK_CLOEXEC, 0);
  int zero = 0;

  g_assert_cmpint (fd, >=, 0);
  if (family == G_SOCKET_FAMILY_IPV6)
    g_assert_no_errno (setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero));
  g_assert_true (g_socket_address_to_native (address, &native, sizeof native, NULL));
  g_assert_no_errno (bind (fd, (struct sockaddr *) &native,
                           g_socket_address_get_native_size (address)));
  g_assert_no_errno (listen (fd, backlog));
  return fd;
}

/* A blocking client connected to @listener's port on @host. */
static int
client_new (int         listener,
            const char *host)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address =
    g_inet_socket_address_new (inet, sl_test_fd_local_port (listener));
  struct sockaddr_storage native;
  int fd = socket (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET,
                   SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_true (g_socket_address_to_native (address, &native, sizeof native, NULL));
  g_assert_no_errno (connect (fd, (struct sockaddr *) &native,
                              g_socket_address_get_native_size (address)));
  return fd;
}

static int
accept_one (int listener)
{
  struct pollfd pfd = { listener, POLLIN, 0 };
  int fd;

  g_assert_cmpint (poll (&pfd, 1, WAIT_MS), ==, 1);
  fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  return fd;
}

/* Waits (bounded) until @fd is readable, then one recv(). */
static gssize
recv_some (int    fd,
           void  *buffer,
           gsize  len)
{
  struct pollfd pfd = { fd, POLLIN, 0 };

  g_assert_cmpint (poll (&pfd, 1, WAIT_MS), ==, 1);
  return recv (fd, buffer, len, MSG_DONTWAIT);
}

/* Bounded waits for the kernel ---------------------------------------------- */

static SlTcpState
wait_fd_state (int        fd,
               SlTcpState want)
{
  SlTcpState state = SL_TCP_STATE_UNKNOWN;

  for (guint waited = 0; waited <= WAIT_MS; waited += 10)
    {
      state = sl_tcp_state_from_fd (fd, NULL);
      if (state == want)
        break;
      g_usleep (10 * 1000);
    }
  return state;
}

static SlTcpState
wait_lookup_state (GSocketAddress *local,
                   GSocketAddress *remote,
                   SlTcpState      want)
{
  SlTcpState state = SL_TCP_STATE_UNKNOWN;

  for (guint waited = 0; waited <= WAIT_MS; waited += 10)
    {
      g_autoptr(GError) error = NULL;

      state = sl_tcp_state_lookup (local, remote, NULL, &error);
      g_assert_no_error (error);
      if (state == want)
        break;
      g_usleep (10 * 1000);
    }

  /* Every state waited for here stays: the full table says the same. */
  if (state == want)
    {
      g_autoptr(GError) error = NULL;
      SlProcNetTcpRow row;

      g_assert_cmpstr (sl_tcp_state_to_string (sl_tcp_state_lookup_proc (local, remote, &row,
                                                                         &error)),
                       ==, sl_tcp_state_to_string (want));
      g_assert_no_error (error);
    }
  return state;
}

#define assert_state(actual, expected) \
  g_assert_cmpstr (sl_tcp_state_to_string (actual), ==, sl_tcp_state_to_string (expected))

/* One connection: the listener, the client and the accepted socket, with the
 * addresses of both ends (which stay valid after the descriptors close). */
typedef struct
{
  int             listener;
  int             client;
  int             server;
  GSocketAddress *client_local;
  GSocketAddress *server_local;
} Pair;

static void
pair_open (Pair          *pair,
           GSocketFamily  family,
           const char    *listen_host,
           const char    *connect_host)
{
  pair->listener = listener_new (family, listen_host, 8);
  pair->client = client_new (pair->listener, connect_host);
  pair->server = accept_one (pair->listener);
  pair->client_local = sl_test_fd_local_address (pair->client);
  pair->server_local = sl_test_fd_local_address (pair->server);
  g_assert_nonnull (pair->client_local);
  g_assert_nonnull (pair->server_local);
}

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
pair_close (Pair *pair)
{
  close_fd (&pair->client);
  close_fd (&pair->server);
  close_fd (&pair->listener);
  g_clear_object (&pair->client_local);
  g_clear_object (&pair->server_local);
}

/* Names and explanations ----------------------------------------------------- */

static void
test_names (void)
{
  static const struct
  {
    SlTcpState  state;
    const char *name;
    guint       kernel;
  } states[] = {
    { SL_TCP_STATE_UNKNOWN, "UNKNOWN", 0 },
    { SL_TCP_STATE_CLOSED, "CLOSED", 7 },
    { SL_TCP_STATE_LISTEN, "LISTEN", 10 },
    { SL_TCP_STATE_SYN_SENT, "SYN_SENT", 2 },
    { SL_TCP_STATE_SYN_RECEIVED, "SYN_RCVD", 3 },
    { SL_TCP_STATE_ESTABLISHED, "ESTABLISHED", 1 },
    { SL_TCP_STATE_FIN_WAIT_1, "FIN_WAIT_1", 4 },
    { SL_TCP_STATE_FIN_WAIT_2, "FIN_WAIT_2", 5 },
    { SL_TCP_STATE_CLOSE_WAIT, "CLOSE_WAIT", 8 },
    { SL_TCP_STATE_CLOSING, "CLOSING", 11 },
    { SL_TCP_STATE_LAST_ACK, "LAST_ACK", 9 },
    { SL_TCP_STATE_TIME_WAIT, "TIME_WAIT", 6 },
  };
  g_autoptr(GHashTable) explanations = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (SL_TYPE_TCP_STATE);

  /* Every value of the enum is listed here once. */
  g_assert_cmpuint (enum_class->n_values, ==, G_N_ELEMENTS (states));

  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    {
      const char *explanation = sl_tcp_state_explain (states[i].state);

      g_assert_nonnull (g_enum_get_value (enum_class, states[i].state));
      g_assert_cmpstr (sl_tcp_state_to_string (states[i].state), ==, states[i].name);
      assert_state (sl_tcp_state_from_kernel (states[i].kernel), states[i].state);

      /* A sentence, different for each state. */
      g_assert_nonnull (explanation);
      g_assert_cmpuint (strlen (explanation), >, 30);
      g_assert_true (g_str_has_suffix (explanation, "."));
      g_assert_true (g_hash_table_add (explanations, (gpointer) explanation));
    }

  g_assert_nonnull (strstr (sl_tcp_state_explain (SL_TCP_STATE_CLOSE_WAIT), "close()"));
  g_assert_nonnull (strstr (sl_tcp_state_explain (SL_TCP_STATE_SYN_SENT), "three-way handshake"));
  g_assert_nonnull (strstr (sl_tcp_state_explain (SL_TCP_STATE_FIN_WAIT_1), "four-way close"));

  /* Linux's TCP_NEW_SYN_RECV (a request socket) is still SYN_RCVD; the rest is unknown. */
  assert_state (sl_tcp_state_from_kernel (12), SL_TCP_STATE_SYN_RECEIVED);
  assert_state (sl_tcp_state_from_kernel (13), SL_TCP_STATE_UNKNOWN);
  assert_state (sl_tcp_state_from_kernel (255), SL_TCP_STATE_UNKNOWN);
  g_assert_cmpstr (sl_tcp_state_to_string ((SlTcpState) 99), ==, "UNKNOWN");
}

/* The parser on fixed text ---------------------------------------------------- */

static const char tcp4_text[] =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
  "inode                                                     \n"
  "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 "
  "123456 1 0000000000000000 100 0 0 10 0                     \n"
  "   1: 0100007F:C350 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 "
  "0 3 0000000000000000\n"
  "  12: 0A00A8C0:1F90 6400A8C0:C352 08 0000001F:00000005 00:00000000 00000000  1000        0 "
  "654321 1 0000000000000000 20 4 30 10 -1\n";

static GArray *
parse_ok (const char *text,
          gsize       len,
          gboolean    ipv6)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SlProcNetTcpRow));
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_proc_net_tcp_parse (text, len, ipv6, rows, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&rows);
}

static void
assert_address (GSocketAddress *address,
                const char     *host,
                guint16         port)
{
  g_autofree char *text = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));

  g_assert_cmpstr (text, ==, host);
  g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)), ==, port);
}

static void
assert_row_addresses (const SlProcNetTcpRow *row,
                      const char            *local_host,
                      guint16                local_port,
                      const char            *remote_host,
                      guint16                remote_port)
{
  g_autoptr(GSocketAddress) local = sl_proc_net_tcp_row_get_local (row);
  g_autoptr(GSocketAddress) remote = sl_proc_net_tcp_row_get_remote (row);

  assert_address (local, local_host, local_port);
  assert_address (remote, remote_host, remote_port);
  g_assert_cmpuint (row->local_port, ==, local_port);
  g_assert_cmpuint (row->remote_port, ==, remote_port);
}

static void
test_parse_ipv4 (void)
{
  static const guint8 loopback[16] = { 127, 0, 0, 1 };
  g_autoptr(GArray) rows = parse_ok (tcp4_text, strlen (tcp4_text), FALSE);
  const SlProcNetTcpRow *row;

  g_assert_cmpuint (rows->len, ==, 3);

  row = &g_array_index (rows, SlProcNetTcpRow, 0);
  g_assert_cmpuint (row->slot, ==, 0);
  g_assert_false (row->ipv6);
  g_assert_cmpmem (row->local_address, 16, loopback, 16);
  assert_row_addresses (row, "127.0.0.1", 8080, "0.0.0.0", 0);
  g_assert_cmpuint (row->kernel_state, ==, 0x0A);
  assert_state (row->state, SL_TCP_STATE_LISTEN);
  g_assert_cmpuint (row->tx_queue, ==, 0);
  g_assert_cmpuint (row->rx_queue, ==, 2);
  g_assert_cmpuint (row->uid, ==, 1000);
  g_assert_cmpuint (row->inode, ==, 123456);

  row = &g_array_index (rows, SlProcNetTcpRow, 1);
  g_assert_cmpuint (row->slot, ==, 1);
  assert_row_addresses (row, "127.0.0.1", 50000, "127.0.0.1", 8080);
  assert_state (row->state, SL_TCP_STATE_TIME_WAIT);
  g_assert_cmpuint (row->uid, ==, 0);
  g_assert_cmpuint (row->inode, ==, 0);

  /* Each 32-bit word is the host-order value of the network bytes. */
  row = &g_array_index (rows, SlProcNetTcpRow, 2);
  g_assert_cmpuint (row->slot, ==, 12);
  assert_row_addresses (row, "192.168.0.10", 8080, "192.168.0.100", 50002);
  assert_state (row->state, SL_TCP_STATE_CLOSE_WAIT);
  g_assert_cmpuint (row->tx_queue, ==, 31);
  g_assert_cmpuint (row->rx_queue, ==, 5);
  g_assert_cmpuint (row->inode, ==, 654321);
}

static void
test_parse_ipv6 (void)
{
  static const char text[] =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D431 01 "
    "0000000A:00000000 01:00000014 00000000  1000        0 778 1 0000000000000000 20 4 30 10 -1\n"
    "   2: B80D0120000000000000000001000000:9C40 B80D0120000000000000000002000000:01BB 05 "
    "00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 20 4 30 10 -1";
  g_autoptr(GArray) rows = parse_ok (text, strlen (text), TRUE);
  g_autoptr(GSocketAddress) mapped_local = NULL;
  g_autoptr(GSocketAddress) v4_local = NULL;
  g_autoptr(GSocketAddress) v4_remote = NULL;
  g_autoptr(GSocketAddress) v4_other = NULL;
  const SlProcNetTcpRow *row;

  g_assert_cmpuint (rows->len, ==, 3);

  row = &g_array_index (rows, SlProcNetTcpRow, 0);
  g_assert_true (row->ipv6);
  assert_row_addresses (row, "::1", 8080, "::", 0);
  assert_state (row->state, SL_TCP_STATE_LISTEN);
  g_assert_cmpuint (row->inode, ==, 777);

  row = &g_array_index (rows, SlProcNetTcpRow, 1);
  assert_row_addresses (row, "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.1", 54321);
  assert_state (row->state, SL_TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (row->tx_queue, ==, 10);

  /* The IPv4 addresses find their IPv4-mapped row. */
  v4_local = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 8080);
  v4_remote = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 54321);
  v4_other = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 54322);
  mapped_local = sl_proc_net_tcp_row_get_local (row);
  g_assert_true (sl_proc_net_tcp_row_matches (row, v4_local, v4_remote));
  g_assert_true (sl_proc_net_tcp_row_matches (row, mapped_local, v4_remote));
  g_assert_false (sl_proc_net_tcp_row_matches (row, v4_local, v4_other));
  g_assert_false (sl_proc_net_tcp_row_matches (row, v4_remote, v4_local));
  g_assert_false (sl_proc_net_tcp_row_matches (row, v4_local, NULL));

  row = &g_array_index (rows, SlProcNetTcpRow, 2);
  assert_row_addresses (row, "2001:db8::1", 40000, "2001:db8::2", 443);
  assert_state (row->state, SL_TCP_STATE_FIN_WAIT_2);

  /* A listener matches with no remote; an IPv6 address never matches an IPv4 row. */
  row = &g_array_index (rows, SlProcNetTcpRow, 0);
  {
    g_autoptr(GSocketAddress) local = sl_test_loopback_address (G_SOCKET_FAMILY_IPV6, 8080);
    g_autoptr(GArray) rows4 = parse_ok (tcp4_text, strlen (tcp4_text), FALSE);

    g_assert_true (sl_proc_net_tcp_row_matches (row, local, NULL));
    g_assert_false (sl_proc_net_tcp_row_matches (&g_array_index (rows4, SlProcNetTcpRow, 0),
                                                 local, NULL));
    g_assert_true (sl_proc_net_tcp_row_matches (&g_array_index (rows4, SlProcNetTcpRow, 0),
                                                v4_local, NULL));
  }
}

static void
test_parse_lenient (void)
{
  static const char header[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n";
  /* No header, blank lines, tabs, no final newline, nothing after the inode. */
  static const char bare[] =
    "\n   3: 0100007F:0050 0100007F:9C40 01 00000000:00000000 00:00000000 00000000 0 0 42\n"
    "  \n\t4:\t0100007F:0051\t0100007F:9C41\t0B\t00000000:00000000 00:00000000 00000000 0 0 43";
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) empty = NULL;

  empty = parse_ok (header, strlen (header), FALSE);
  g_assert_cmpuint (empty->len, ==, 0);
  g_clear_pointer (&empty, g_array_unref);
  empty = parse_ok (header, 0, FALSE);
  g_assert_cmpuint (empty->len, ==, 0);
  g_clear_pointer (&empty, g_array_unref);
  empty = parse_ok (NULL, 0, TRUE);
  g_assert_cmpuint (empty->len, ==, 0);

  rows = parse_ok (bare, strlen (bare), FALSE);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 0).slot, ==, 3);
  g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 0).inode, ==, 42);
  assert_state (g_array_index (rows, SlProcNetTcpRow, 1).state, SL_TCP_STATE_CLOSING);
  g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 1).local_port, ==, 0x51);
  g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 1).inode, ==, 43);
}

/* A string literal and its length, without its NUL. */
#define TEXT(literal) literal, sizeof (literal) - 1

static void
assert_parse_fails (const char *text,
                    gsize       len,
                    gboolean    ipv6,
                    const char *message_part)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SlProcNetTcpRow));
  g_autoptr(GError) error = NULL;
  SlProcNetTcpRow before = { .slot = 99, };

  g_array_append_val (rows, before);
  g_assert_false (sl_proc_net_tcp_parse (text, len, ipv6, rows, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, message_part);
  /* The rows are left as they were. */
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 0).slot, ==, 99);
}

static void
test_parse_malformed (void)
{
  g_autofree char *truncated = g_strndup (tcp4_text, strstr (tcp4_text, "C350") - tcp4_text);
  g_autofree char *bad_hex = g_strdup (tcp4_text);
  g_autofree char *huge = NULL;
  static const char binary[] = "\0\xff\n\x01";

  /* A line cut short names its line and the first missing field. */
  assert_parse_fails (truncated, strlen (truncated), FALSE, "line 3: the field “local_address”");
  /* The same text cut inside a word, without a NUL after it. */
  assert_parse_fails (tcp4_text, strstr (tcp4_text, "0A 0000") + 7 - tcp4_text, FALSE,
                      "line 2: the field “tx_queue:rx_queue”");
  assert_parse_fails (tcp4_text, strstr (tcp4_text, " 123456") - tcp4_text, FALSE,
                      "line 2: the field “inode”");

  *strstr (bad_hex, "0100007F:C350") = 'G';
  assert_parse_fails (bad_hex, strlen (bad_hex), FALSE, "line 3: the field “local_address”");

  /* An IPv4 table read as IPv6 (address lengths differ), and the reverse. */
  assert_parse_fails (tcp4_text, strlen (tcp4_text), TRUE, "/proc/net/tcp6 line 2");
  assert_parse_fails (TEXT ("0: 00000000000000000000000001000000:1F90 "), FALSE,
                      "/proc/net/tcp line 1: the field “local_address”");

  assert_parse_fails (TEXT ("   0: 0100007F:10000 00000000:0000 0A"), FALSE,
                      "“local_address”");
  assert_parse_fails (TEXT ("   0: 0100007F:1F90 00000000:0000 100 0:0 0:0 0 0 0 1"), FALSE,
                      "“st”");
  assert_parse_fails (TEXT ("   0: 0100007F:1F90 00000000:0000 0A 0 0:0 0 0 0 1"), FALSE,
                      "“tx_queue:rx_queue”");
  assert_parse_fails (TEXT ("   0: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 -1 0 1"), FALSE,
                      "“uid”");
  /* One more than G_MAXUINT64. */
  assert_parse_fails (TEXT ("   0: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 0 0 "
                            "18446744073709551616"), FALSE, "“inode”");
  assert_parse_fails (TEXT ("x: 0100007F:1F90"), FALSE, "line 1: the field “sl”");
  assert_parse_fails (TEXT (":"), FALSE, "“sl”");
  assert_parse_fails (binary, sizeof binary - 1, FALSE, "line 1: the field “sl”");

  /* A big table with one bad line at the end: the line number is right. */
  {
    GString *big = g_string_new (NULL);

    for (guint i = 0; i < 5000; i++)
      g_string_append_printf (big, "%4u: 0100007F:%04X 00000000:0000 0A 00000000:00000000 "
                              "00:00000000 00000000     0        0 %u\n", i, i, 1000 + i);
    g_string_append (big, "5000: zzz\n");
    huge = g_string_free (big, FALSE);
  }
  assert_parse_fails (huge, strlen (huge), FALSE, "line 5001:");
  {
    g_autoptr(GArray) rows = parse_ok (huge, strstr (huge, "5000: zzz") - huge, FALSE);

    g_assert_cmpuint (rows->len, ==, 5000);
    g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 4999).local_port, ==, 4999);
    g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 4999).inode, ==, 5999);
  }
}

/* Real sockets ------------------------------------------------------------------ */

static const char *
host_for (GSocketFamily family)
{
  return family == G_SOCKET_FAMILY_IPV6 ? "::1" : "127.0.0.1";
}

static gboolean
skip_without (GSocketFamily family)
{
  if (family == G_SOCKET_FAMILY_IPV6 && !sl_test_ipv6_available ())
    {
      g_test_skip ("::1 is not available");
      return TRUE;
    }
  return FALSE;
}

/* The row of /proc/net/tcp{,6} with these addresses, parsed by hand here. */
static gboolean
find_row (GSocketAddress  *local,
          GSocketAddress  *remote,
          SlProcNetTcpRow *row_out)
{
  gboolean ipv6 = g_socket_address_get_family (local) == G_SOCKET_FAMILY_IPV6;
  g_autofree char *contents = NULL;
  g_autoptr(GArray) rows = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (ipv6 ? "/proc/net/tcp6" : "/proc/net/tcp", &contents,
                                      &len, NULL));
  rows = parse_ok (contents, len, ipv6);
  for (guint i = 0; i < rows->len; i++)
    if (sl_proc_net_tcp_row_matches (&g_array_index (rows, SlProcNetTcpRow, i), local, remote))
      {
        *row_out = g_array_index (rows, SlProcNetTcpRow, i);
        return TRUE;
      }
  return FALSE;
}

/* sock_diag and the full table describe the same socket the same way. */
static void
assert_lookups_agree (GSocketAddress *local,
                      GSocketAddress *remote)
{
  g_autoptr(GError) error = NULL;
  SlProcNetTcpRow diag, proc;

  sl_tcp_state_lookup (local, remote, &diag, &error);
  g_assert_no_error (error);
  sl_tcp_state_lookup_proc (local, remote, &proc, &error);
  g_assert_no_error (error);

  assert_state (diag.state, proc.state);
  g_assert_cmpuint (diag.kernel_state, ==, proc.kernel_state);
  g_assert_true (diag.ipv6 == proc.ipv6);
  g_assert_cmpmem (diag.local_address, 16, proc.local_address, 16);
  g_assert_cmpmem (diag.remote_address, 16, proc.remote_address, 16);
  g_assert_cmpuint (diag.local_port, ==, proc.local_port);
  g_assert_cmpuint (diag.remote_port, ==, proc.remote_port);
  g_assert_cmpuint (diag.rx_queue, ==, proc.rx_queue);
  g_assert_cmpuint (diag.tx_queue, ==, proc.tx_queue);
  g_assert_cmpuint (diag.uid, ==, proc.uid);
  g_assert_cmpuint (diag.inode, ==, proc.inode);
}

static void
test_listen (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  SlProcNetTcpRow row;
  SlTcpInfo info;
  int listener;

  if (skip_without (family))
    return;

  listener = listener_new (family, host_for (family), 5);
  local = sl_test_fd_local_address (listener);

  assert_state (sl_tcp_state_from_fd (listener, &info), SL_TCP_STATE_LISTEN);
  assert_state (info.state, SL_TCP_STATE_LISTEN);
  g_assert_cmpuint (info.accept_queue, ==, 0);
  g_assert_cmpuint (info.accept_backlog, ==, 5);

  /* The table agrees, with the listener's own addresses and descriptor. */
  assert_state (sl_tcp_state_lookup (local, NULL, &row, &error), SL_TCP_STATE_LISTEN);
  g_assert_no_error (error);
  g_assert_cmpuint (row.local_port, ==, sl_test_fd_local_port (listener));
  g_assert_cmpuint (row.remote_port, ==, 0);
  g_assert_true (row.ipv6 == (family == G_SOCKET_FAMILY_IPV6));
  g_assert_cmpuint (row.uid, ==, getuid ());
  g_assert_cmpuint (row.inode, >, 0);
  {
    g_autoptr(GSocketAddress) row_local = sl_proc_net_tcp_row_get_local (&row);

    assert_address (row_local, host_for (family), sl_test_fd_local_port (listener));
  }
  assert_lookups_agree (local, NULL);

  close (listener);
  assert_state (sl_tcp_state_lookup (local, NULL, NULL, &error), SL_TCP_STATE_CLOSED);
  g_assert_no_error (error);
}

static void
test_established (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  Pair pair;
  SlTcpInfo info;
  SlProcNetTcpRow row;
  char buffer[8];

  if (skip_without (family))
    return;

  pair_open (&pair, family, host_for (family), host_for (family));

  assert_state (sl_tcp_state_from_fd (pair.client, &info), SL_TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (info.send_mss, >, 0);
  g_assert_cmpuint (info.accept_queue, ==, 0);
  assert_state (sl_tcp_state_from_fd (pair.server, NULL), SL_TCP_STATE_ESTABLISHED);
  assert_state (wait_lookup_state (pair.client_local, pair.server_local,
                                   SL_TCP_STATE_ESTABLISHED), SL_TCP_STATE_ESTABLISHED);
  assert_state (wait_lookup_state (pair.server_local, pair.client_local,
                                   SL_TCP_STATE_ESTABLISHED), SL_TCP_STATE_ESTABLISHED);
  /* Client and server rows are different sockets. */
  g_assert_true (find_row (pair.client_local, pair.server_local, &row));
  g_assert_cmpuint (row.local_port, ==, sl_test_fd_local_port (pair.client));
  g_assert_cmpuint (row.inode, >, 0);

  /* Bytes the server has not read show in its rx_queue; the round trip is measured. */
  g_assert_cmpint (send (pair.client, "hello", 5, MSG_NOSIGNAL), ==, 5);
  for (guint waited = 0; waited < WAIT_MS; waited += 10)
    {
      g_assert_true (find_row (pair.server_local, pair.client_local, &row));
      if (row.rx_queue == 5)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (row.rx_queue, ==, 5);
  assert_state (row.state, SL_TCP_STATE_ESTABLISHED);
  assert_lookups_agree (pair.server_local, pair.client_local);
  assert_lookups_agree (pair.client_local, pair.server_local);
  g_assert_cmpint (recv_some (pair.server, buffer, sizeof buffer), ==, 5);
  assert_state (sl_tcp_state_from_fd (pair.client, &info), SL_TCP_STATE_ESTABLISHED);
  g_assert_cmpuint (info.rtt_us, >, 0);

  /* A different 4-tuple is not found. */
  {
    g_autoptr(GSocketAddress) other = sl_test_loopback_address (family, 1);
    g_autoptr(GError) error = NULL;

    assert_state (sl_tcp_state_lookup (pair.client_local, other, NULL, &error),
                  SL_TCP_STATE_CLOSED);
    g_assert_no_error (error);
  }

  pair_close (&pair);
}

/* The client closes first: FIN_WAIT_2 / CLOSE_WAIT, then the server closes:
 * LAST_ACK (too short to see on loopback) / TIME_WAIT, which blocks a rebind. */
static void
test_active_close (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  Pair pair;
  char buffer[8];
  SlTcpState state;

  if (skip_without (family))
    return;

  pair_open (&pair, family, host_for (family), host_for (family));

  close_fd (&pair.client);
  /* The closed descriptor can't be asked; the table still knows it. */
  assert_state (wait_lookup_state (pair.client_local, pair.server_local,
                                   SL_TCP_STATE_FIN_WAIT_2), SL_TCP_STATE_FIN_WAIT_2);
  assert_state (wait_fd_state (pair.server, SL_TCP_STATE_CLOSE_WAIT), SL_TCP_STATE_CLOSE_WAIT);
  /* CLOSE_WAIT lasts as long as the server does not close: recv() says b''. */
  g_assert_cmpint (recv_some (pair.server, buffer, sizeof buffer), ==, 0);
  assert_state (sl_tcp_state_from_fd (pair.server, NULL), SL_TCP_STATE_CLOSE_WAIT);
  assert_state (sl_tcp_state_lookup (pair.server_local, pair.client_local, NULL, &error),
                SL_TCP_STATE_CLOSE_WAIT);
  g_assert_no_error (error);
  assert_state (sl_tcp_state_lookup (pair.client_local, pair.server_local, NULL, &error),
                SL_TCP_STATE_FIN_WAIT_2);

  close_fd (&pair.server);
  assert_state (wait_lookup_state (pair.client_local, pair.server_local,
                                   SL_TCP_STATE_TIME_WAIT), SL_TCP_STATE_TIME_WAIT);
  assert_lookups_agree (pair.client_local, pair.server_local);
  state = wait_lookup_state (pair.server_local, pair.client_local, SL_TCP_STATE_CLOSED);
  assert_state (state, SL_TCP_STATE_CLOSED);
  g_assert_true (sl_test_has_time_wait (
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (pair.client_local))));

  /* TIME_WAIT holds the client's address: binding it fails without SO_REUSEADDR. */
  {
    struct sockaddr_storage native;
    int fd = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET,
                     SOCK_STREAM | SOCK_CLOEXEC, 0);

    /* (SO_REUSEADDR helps only when the closed socket had it too, as the
     * tutorials' servers do; this client did not.) */
    g_assert_true (g_socket_address_to_native (pair.client_local, &native, sizeof native, NULL));
    g_assert_cmpint (bind (fd, (struct sockaddr *) &native,
                           g_socket_address_get_native_size (pair.client_local)), ==, -1);
    g_assert_cmpint (errno, ==, EADDRINUSE);
    close (fd);
  }

  pair_close (&pair);
}

/* Tutorial 003's "Address already in use": the server closes first, so the
 * server side holds TIME_WAIT on the listening port. A new listener on that
 * port fails without SO_REUSEADDR and succeeds with it (the old socket had it
 * too, as the tutorials' servers set it before bind()). */
static void
test_time_wait_rebind (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  g_autoptr(GSocketAddress) listen_address = NULL;
  struct sockaddr_storage native;
  gsize native_size;
  Pair pair;
  char buffer[8];
  int one = 1;
  int fd;

  if (skip_without (family))
    return;

  /* A listener with SO_REUSEADDR, as in the tutorials. */
  {
    g_autoptr(GSocketAddress) any = sl_test_loopback_address (family, 0);

    pair.listener = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET,
                            SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_no_errno (setsockopt (pair.listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    g_assert_true (g_socket_address_to_native (any, &native, sizeof native, NULL));
    g_assert_no_errno (bind (pair.listener, (struct sockaddr *) &native,
                             g_socket_address_get_native_size (any)));
    g_assert_no_errno (listen (pair.listener, 4));
  }
  pair.client = client_new (pair.listener, host_for (family));
  pair.server = accept_one (pair.listener);
  pair.client_local = sl_test_fd_local_address (pair.client);
  pair.server_local = sl_test_fd_local_address (pair.server);
  listen_address = sl_test_fd_local_address (pair.listener);

  /* The server closes first; the client answers its FIN by closing too. */
  close_fd (&pair.server);
  close_fd (&pair.listener);
  g_assert_cmpint (recv_some (pair.client, buffer, sizeof buffer), ==, 0);
  close_fd (&pair.client);
  assert_state (wait_lookup_state (pair.server_local, pair.client_local,
                                   SL_TCP_STATE_TIME_WAIT), SL_TCP_STATE_TIME_WAIT);
  assert_state (wait_lookup_state (pair.client_local, pair.server_local,
                                   SL_TCP_STATE_CLOSED), SL_TCP_STATE_CLOSED);

  native_size = g_socket_address_get_native_size (listen_address);
  g_assert_true (g_socket_address_to_native (listen_address, &native, sizeof native, NULL));
  fd = socket (family == G_SOCKET_FAMILY_IPV6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &native, native_size), ==, -1);
  g_assert_cmpint (errno, ==, EADDRINUSE);
  g_assert_no_errno (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  g_assert_no_errno (bind (fd, (struct sockaddr *) &native, native_size));
  g_assert_no_errno (listen (fd, 4));
  close (fd);

  pair_close (&pair);
}

/* The server closes while its FIN waits behind data the client does not read:
 * LAST_ACK stays visible. The client's own socket then says CLOSED by TCP_INFO
 * while the kernel keeps it in TIME_WAIT. */
static void
test_half_close_and_last_ack (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *chunk = g_malloc0 (65536);
  Pair pair;
  char buffer[8];
  int small = 4096;
  gsize total = 0;
  SlProcNetTcpRow row;

  if (skip_without (family))
    return;

  pair_open (&pair, family, host_for (family), host_for (family));
  /* Small buffers keep what is in flight small: the client drains it quickly. */
  g_assert_no_errno (setsockopt (pair.client, SOL_SOCKET, SO_RCVBUF, &small, sizeof small));
  g_assert_no_errno (setsockopt (pair.server, SOL_SOCKET, SO_SNDBUF, &small, sizeof small));

  /* Half-close: the client can still receive. */
  g_assert_no_errno (shutdown (pair.client, SHUT_WR));
  assert_state (wait_fd_state (pair.client, SL_TCP_STATE_FIN_WAIT_2), SL_TCP_STATE_FIN_WAIT_2);
  assert_state (wait_fd_state (pair.server, SL_TCP_STATE_CLOSE_WAIT), SL_TCP_STATE_CLOSE_WAIT);
  g_assert_cmpint (recv_some (pair.server, buffer, sizeof buffer), ==, 0);
  g_assert_cmpint (send (pair.server, "still", 5, MSG_NOSIGNAL), ==, 5);
  g_assert_cmpint (recv_some (pair.client, buffer, sizeof buffer), ==, 5);
  assert_state (sl_tcp_state_from_fd (pair.client, NULL), SL_TCP_STATE_FIN_WAIT_2);

  /* Fill the client's receive window, then close the server. */
  g_assert_no_errno (fcntl (pair.server, F_SETFL, O_NONBLOCK));
  for (guint i = 0; i < 10000; i++)
    {
      gssize sent = send (pair.server, chunk, 65536, MSG_NOSIGNAL);

      if (sent < 0)
        {
          struct pollfd pfd = { pair.server, POLLOUT, 0 };

          g_assert_cmpint (errno, ==, EAGAIN);
          /* Writable again within 100 ms means the client still takes data. */
          if (poll (&pfd, 1, 100) == 0)
            break;
          continue;
        }
      total += sent;
    }
  g_assert_cmpuint (total, >, 0);
  close_fd (&pair.server);

  assert_state (wait_lookup_state (pair.server_local, pair.client_local, SL_TCP_STATE_LAST_ACK),
                SL_TCP_STATE_LAST_ACK);
  g_usleep (50 * 1000);
  assert_state (sl_tcp_state_lookup (pair.server_local, pair.client_local, &row, &error),
                SL_TCP_STATE_LAST_ACK);
  g_assert_no_error (error);
  g_assert_cmpuint (row.tx_queue, >, 0);

  /* The client reads it all and gets the FIN. */
  g_assert_no_errno (fcntl (pair.client, F_SETFL, O_NONBLOCK));
  for (guint i = 0; i < 100000; i++)
    {
      gssize got = recv_some (pair.client, chunk, 65536);

      g_assert_cmpint (got, >=, 0);
      if (got == 0)
        break;
      total -= got;
    }
  g_assert_cmpuint (total, ==, 0);

  assert_state (wait_lookup_state (pair.server_local, pair.client_local, SL_TCP_STATE_CLOSED),
                SL_TCP_STATE_CLOSED);
  assert_state (wait_lookup_state (pair.client_local, pair.server_local, SL_TCP_STATE_TIME_WAIT),
                SL_TCP_STATE_TIME_WAIT);
  /* The descriptor is still open, but its TCP_INFO says CLOSE: only the table tells. */
  assert_state (sl_tcp_state_from_fd (pair.client, NULL), SL_TCP_STATE_CLOSED);

  pair_close (&pair);
}

static void
test_reset (gconstpointer data)
{
  GSocketFamily family = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  Pair pair;
  char buffer[8];

  if (skip_without (family))
    return;

  pair_open (&pair, family, host_for (family), host_for (family));

  sl_test_peer_reset (pair.client);
  pair.client = -1;
  /* RST: no FIN_WAIT, no TIME_WAIT, the kernel forgets the client side at once. */
  assert_state (sl_tcp_state_lookup (pair.client_local, pair.server_local, NULL, &error),
                SL_TCP_STATE_CLOSED);
  g_assert_no_error (error);
  /* ...and later too (the port alone could be in TIME_WAIT with another peer). */
  g_usleep (50 * 1000);
  assert_state (sl_tcp_state_lookup (pair.client_local, pair.server_local, NULL, &error),
                SL_TCP_STATE_CLOSED);
  g_assert_no_error (error);

  assert_state (wait_fd_state (pair.server, SL_TCP_STATE_CLOSED), SL_TCP_STATE_CLOSED);
  g_assert_cmpint (recv_some (pair.server, buffer, sizeof buffer), ==, -1);
  g_assert_cmpint (errno, ==, ECONNRESET);
  assert_state (sl_tcp_state_lookup (pair.server_local, pair.client_local, NULL, &error),
                SL_TCP_STATE_CLOSED);

  pair_close (&pair);
}

/* listen(2): the kernel completes backlog + 1 handshakes that nobody accepts;
 * the next client's SYN is dropped and it stays in SYN_SENT. */
static void
test_accept_queue (void)
{
  int listener = listener_new (G_SOCKET_FAMILY_IPV4, "127.0.0.1", 2);
  g_autoptr(GSocketAddress) local = sl_test_fd_local_address (listener);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  int clients[4];
  int late;
  SlTcpInfo info;
  SlProcNetTcpRow row;
  guint waited;

  for (guint i = 0; i < 3; i++)
    clients[i] = client_new (listener, "127.0.0.1");

  for (waited = 0; waited < WAIT_MS; waited += 10)
    {
      assert_state (sl_tcp_state_from_fd (listener, &info), SL_TCP_STATE_LISTEN);
      if (info.accept_queue == 3)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_cmpuint (info.accept_queue, ==, 3);
  g_assert_cmpuint (info.accept_backlog, ==, 2);
  /* The table says the same in the listener's rx_queue. */
  assert_state (sl_tcp_state_lookup (local, NULL, &row, &error), SL_TCP_STATE_LISTEN);
  g_assert_no_error (error);
  g_assert_cmpuint (row.rx_queue, ==, 3);
  assert_lookups_agree (local, NULL);
  for (guint i = 0; i < 3; i++)
    assert_state (sl_tcp_state_from_fd (clients[i], NULL), SL_TCP_STATE_ESTABLISHED);

  /* The queue is full: a fourth connect() gets no answer. */
  address = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, sl_test_fd_local_port (listener));
  late = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, NULL);
  g_assert_cmpint (late, >=, 0);
  {
    struct sockaddr_storage native;

    g_assert_true (g_socket_address_to_native (address, &native, sizeof native, NULL));
    g_assert_cmpint (connect (late, (struct sockaddr *) &native,
                              g_socket_address_get_native_size (address)), ==, -1);
    g_assert_cmpint (errno, ==, EINPROGRESS);
  }
  g_usleep (50 * 1000);
  assert_state (sl_tcp_state_from_fd (late, NULL), SL_TCP_STATE_SYN_SENT);

  /* accept() takes one off the queue. */
  clients[3] = accept_one (listener);
  assert_state (sl_tcp_state_from_fd (clients[3], NULL), SL_TCP_STATE_ESTABLISHED);
  sl_tcp_state_from_fd (listener, &info);
  g_assert_cmpuint (info.accept_queue, ==, 2);

  close (late);
  for (guint i = 0; i < 4; i++)
    close (clients[i]);
  close (listener);
}

/* A dual-stack IPv6 listener with an IPv4 client: the server side lives in
 * /proc/net/tcp6 with IPv4-mapped addresses, which GLib gives as IPv4. */
static void
test_ipv4_mapped (void)
{
  g_autoptr(GError) error = NULL;
  Pair pair;
  SlProcNetTcpRow row;

  if (skip_without (G_SOCKET_FAMILY_IPV6))
    return;

  pair_open (&pair, G_SOCKET_FAMILY_IPV6, "::", "127.0.0.1");
  g_assert_cmpint (g_socket_address_get_family (pair.server_local), ==, G_SOCKET_FAMILY_IPV4);

  assert_state (sl_tcp_state_lookup (pair.server_local, pair.client_local, &row, &error),
                SL_TCP_STATE_ESTABLISHED);
  g_assert_no_error (error);
  g_assert_true (row.ipv6);
  g_assert_cmpuint (row.local_address[10], ==, 0xff);
  g_assert_cmpuint (row.local_address[12], ==, 127);
  assert_state (sl_tcp_state_lookup (pair.client_local, pair.server_local, &row, &error),
                SL_TCP_STATE_ESTABLISHED);
  g_assert_false (row.ipv6);
  assert_lookups_agree (pair.server_local, pair.client_local);
  assert_lookups_agree (pair.client_local, pair.server_local);

  close_fd (&pair.client);
  assert_state (wait_fd_state (pair.server, SL_TCP_STATE_CLOSE_WAIT), SL_TCP_STATE_CLOSE_WAIT);
  assert_state (wait_lookup_state (pair.server_local, pair.client_local,
                                   SL_TCP_STATE_CLOSE_WAIT), SL_TCP_STATE_CLOSE_WAIT);
  pair_close (&pair);
}

static void
test_gsocket (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) tcp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                         G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GSocket) udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                         G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GSocket) unix_socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                                 G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(GSocketAddress) path = g_unix_socket_address_new ("/tmp/x");
  SlTcpInfo info;

  g_assert_no_error (error);

  /* A fresh TCP socket is CLOSED in the RFC's sense. */
  assert_state (sl_tcp_state_from_socket (tcp, &info), SL_TCP_STATE_CLOSED);
  g_assert_true (g_socket_bind (tcp, any, TRUE, &error));
  g_socket_set_listen_backlog (tcp, 7);
  g_assert_true (g_socket_listen (tcp, &error));
  assert_state (sl_tcp_state_from_socket (tcp, &info), SL_TCP_STATE_LISTEN);
  g_assert_cmpuint (info.accept_backlog, ==, 7);

  /* Not TCP, or no descriptor any more: unknown, everything zero. */
  memset (&info, 0xff, sizeof info);
  assert_state (sl_tcp_state_from_socket (udp, &info), SL_TCP_STATE_UNKNOWN);
  assert_state (info.state, SL_TCP_STATE_UNKNOWN);
  g_assert_cmpuint (info.accept_backlog, ==, 0);
  g_assert_cmpuint (info.rtt_us, ==, 0);
  assert_state (sl_tcp_state_from_socket (unix_socket, NULL), SL_TCP_STATE_UNKNOWN);
  assert_state (sl_tcp_state_from_fd (-1, NULL), SL_TCP_STATE_UNKNOWN);
  g_assert_true (g_socket_close (tcp, &error));
  assert_state (sl_tcp_state_from_socket (tcp, NULL), SL_TCP_STATE_UNKNOWN);

  /* The table has no Unix sockets. */
  assert_state (sl_tcp_state_lookup (path, NULL, NULL, &error), SL_TCP_STATE_UNKNOWN);
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION);

  g_assert_finalize_object (g_steal_pointer (&tcp));
  g_assert_finalize_object (g_steal_pointer (&udp));
  g_assert_finalize_object (g_steal_pointer (&unix_socket));
}

static void
add_family_test (const char    *path,
                 GTestDataFunc  func)
{
  g_autofree char *v4 = g_strdup_printf ("%s/ipv4", path);
  g_autofree char *v6 = g_strdup_printf ("%s/ipv6", path);

  g_test_add_data_func (v4, GINT_TO_POINTER (G_SOCKET_FAMILY_IPV4), func);
  g_test_add_data_func (v6, GINT_TO_POINTER (G_SOCKET_FAMILY_IPV6), func);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tcp-state/names", test_names);
  g_test_add_func ("/tcp-state/parse/ipv4", test_parse_ipv4);
  g_test_add_func ("/tcp-state/parse/ipv6", test_parse_ipv6);
  g_test_add_func ("/tcp-state/parse/lenient", test_parse_lenient);
  g_test_add_func ("/tcp-state/parse/malformed", test_parse_malformed);
  add_family_test ("/tcp-state/listen", test_listen);
  add_family_test ("/tcp-state/established", test_established);
  add_family_test ("/tcp-state/active-close", test_active_close);
  add_family_test ("/tcp-state/time-wait-rebind", test_time_wait_rebind);
  add_family_test ("/tcp-state/half-close-last-ack", test_half_close_and_last_ack);
  add_family_test ("/tcp-state/reset", test_reset);
  g_test_add_func ("/tcp-state/accept-queue", test_accept_queue);
  g_test_add_func ("/tcp-state/ipv4-mapped", test_ipv4_mapped);
  g_test_add_func ("/tcp-state/gsocket", test_gsocket);

  return g_test_run ();
}
