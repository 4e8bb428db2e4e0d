/* fuzz-proc-net-tcp.c — the /proc/net/tcp{,6} reader over arbitrary bytes
 *
 * The input is parsed both as /proc/net/tcp and as /proc/net/tcp6 (without a
 * terminating NUL, so a read past the end shows under ASan or libFuzzer).
 * Checks the invariants: a failed parse leaves the rows untouched, a
 * successful one never yields more rows than lines, and every row matches its
 * own addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-tcp-state.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
check (const guint8 *data,
       size_t        size,
       gboolean      ipv6)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SlProcNetTcpRow));
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_memdup2 (data, size);
  SlProcNetTcpRow sentinel = { .slot = 4242, };
  gsize n_lines = 1;

  g_array_append_val (rows, sentinel);
  for (gsize i = 0; i < size; i++)
    n_lines += data[i] == '\n';

  if (!sl_proc_net_tcp_parse (copy, size, ipv6, rows, &error))
    {
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "line "));
      g_assert_cmpuint (rows->len, ==, 1);
      g_assert_cmpuint (g_array_index (rows, SlProcNetTcpRow, 0).slot, ==, 4242);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len - 1, <=, n_lines);
  for (guint i = 1; i < rows->len; i++)
    {
      const SlProcNetTcpRow *row = &g_array_index (rows, SlProcNetTcpRow, i);
      g_autoptr(GSocketAddress) local = sl_proc_net_tcp_row_get_local (row);
      g_autoptr(GSocketAddress) remote = sl_proc_net_tcp_row_get_remote (row);

      g_assert_true (row->ipv6 == ipv6);
      g_assert_true (sl_proc_net_tcp_row_matches (row, local, remote));
      g_assert_nonnull (sl_tcp_state_to_string (row->state));
      g_assert_cmpint (row->state, ==, sl_tcp_state_from_kernel (row->kernel_state));
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  check (data, size, FALSE);
  check (data, size, TRUE);
  return 0;
}
