/* sl-tcp-state.h — the kernel's view of TCP sockets
 *
 * Two sources, both read-only and cheap:
 *  - getsockopt(TCP_INFO) on a socket the app still holds (one system call);
 *  - /proc/net/tcp and /proc/net/tcp6, for the states that outlive the app's
 *    socket (TIME_WAIT after an active close, FIN_WAIT_2, LAST_ACK): once the
 *    descriptor is closed, only the table can tell, matched by the 4-tuple.
 *    sl_tcp_state_lookup() asks the kernel for that one socket by sock_diag
 *    netlink; reading the table (the fallback) costs a full parse of every
 *    TCP socket of the machine, so callers should do that only right after
 *    an event and a few times per second at most
 *    (tests/bench/bench-tcp-state.c measures all three).
 *
 * State names are those of the tutorials (SYN_RCVD, FIN_WAIT_1, ...), which
 * are RFC 9293's with underscores; Linux itself says SYN_RECV, FIN_WAIT1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-enums.h"

G_BEGIN_DECLS

typedef struct
{
  SlTcpState state;
  /* LISTEN only: connections the kernel completed that nobody accept()ed yet,
   * and the limit set by listen(backlog) (the kernel's tcpi_unacked and
   * tcpi_sacked, which mean this for a listener). 0 for other states. */
  guint32    accept_queue;
  guint32    accept_backlog;
  /* Other states: segments sent and not yet acknowledged, retransmissions of
   * the current segment and in total, smoothed round-trip time and its
   * variation (microseconds), maximum segment size, congestion window
   * (segments). */
  guint32    unacked;
  guint32    retransmits;
  guint32    total_retransmits;
  guint32    rtt_us;
  guint32    rtt_var_us;
  guint32    send_mss;
  guint32    send_cwnd;
} SlTcpInfo;

/* One line of /proc/net/tcp or /proc/net/tcp6. Addresses are the raw bytes in
 * network order (an IPv4 address fills the first 4 bytes, the rest are 0). */
typedef struct
{
  guint      slot;               /* the "sl" column */
  gboolean   ipv6;
  guint8     local_address[16];
  guint16    local_port;
  guint8     remote_address[16];
  guint16    remote_port;
  SlTcpState state;
  guint8     kernel_state;       /* the raw "st" column (Linux TCP_* value) */
  /* Bytes in the send queue (not acknowledged) and the receive queue (not
   * read). For a LISTEN socket rx_queue is the accept queue length. */
  guint32    tx_queue;
  guint32    rx_queue;
  guint32    uid;
  guint64    inode;              /* 0 once the socket has no descriptor (TIME_WAIT, orphans) */
} SlProcNetTcpRow;

/* The kernel's state of @socket by getsockopt(TCP_INFO). UNKNOWN when it cannot
 * be read: not a TCP socket (UDP, Unix), or a GSocket already closed — then
 * only sl_tcp_state_lookup() knows what the kernel still holds. @info_out,
 * if given, is filled (all zero but the state when unknown). */
SlTcpState          sl_tcp_state_from_socket         (GSocket          *socket,
                                                      SlTcpInfo        *info_out);
/* The same on a raw descriptor. */
SlTcpState          sl_tcp_state_from_fd             (int               fd,
                                                      SlTcpInfo        *info_out);

/* Linux's TCP_* numbers (tcpi_state, the "st" column) to the RFC state;
 * TCP_NEW_SYN_RECV counts as SYN_RCVD; anything else is UNKNOWN. */
SlTcpState          sl_tcp_state_from_kernel         (guint             kernel_state);

/* Parses the text of /proc/net/tcp (@ipv6 FALSE) or /proc/net/tcp6 and appends
 * one SlProcNetTcpRow per socket line to @rows (a GArray of SlProcNetTcpRow).
 * @text need not be NUL-terminated. The header line, empty lines and fields
 * after the inode are ignored. A malformed line fails the whole parse with an
 * SL_ERROR_DECODE error naming the line number and the field, and @rows is
 * left as it was. */
gboolean            sl_proc_net_tcp_parse            (const char       *text,
                                                      gsize             len,
                                                      gboolean          ipv6,
                                                      GArray           *rows,
                                                      GError          **error);

/* The row's addresses as GInetSocketAddress (new references). */
GSocketAddress     *sl_proc_net_tcp_row_get_local    (const SlProcNetTcpRow *row);
GSocketAddress     *sl_proc_net_tcp_row_get_remote   (const SlProcNetTcpRow *row);

/* TRUE if @row is the socket with these addresses. @remote NULL matches a
 * socket without a peer (a listener: remote 0.0.0.0:0 or [::]:0). An IPv4
 * address also matches an IPv4-mapped one (::ffff:a.b.c.d) in a tcp6 row. */
gboolean            sl_proc_net_tcp_row_matches      (const SlProcNetTcpRow *row,
                                                      GSocketAddress   *local,
                                                      GSocketAddress   *remote);

/* The state of the socket with this 4-tuple (@remote NULL: a listener), also
 * after the app closed it. Asks the kernel for that one socket by sock_diag
 * netlink (cheap: no table is formatted); if that is not available, falls
 * back to sl_tcp_state_lookup_proc(). CLOSED when the kernel no longer has
 * it. UNKNOWN with @error set when nothing can be read, or the addresses are
 * not IP addresses. @row_out (optional) receives what the kernel said, in the
 * form of a /proc/net/tcp row (slot and the timer columns are 0). */
SlTcpState          sl_tcp_state_lookup              (GSocketAddress   *local,
                                                      GSocketAddress   *remote,
                                                      SlProcNetTcpRow  *row_out,
                                                      GError          **error);

/* The same by reading and parsing the full /proc/net/tcp (IPv4 addresses;
 * then /proc/net/tcp6 for an IPv6 socket that talks to IPv4-mapped
 * addresses) or /proc/net/tcp6 — milliseconds with a thousand sockets. */
SlTcpState          sl_tcp_state_lookup_proc         (GSocketAddress   *local,
                                                      GSocketAddress   *remote,
                                                      SlProcNetTcpRow  *row_out,
                                                      GError          **error);

/* "ESTABLISHED", "TIME_WAIT", "SYN_RCVD"...: the names of the tutorials, not
 * translated (they are what netstat and the tutorials print). */
const char         *sl_tcp_state_to_string           (SlTcpState        state);
/* One translated sentence a student understands: what the state means in the
 * handshake or teardown of tutorial 003, and what this side waits for. */
const char         *sl_tcp_state_explain             (SlTcpState        state);

G_END_DECLS
