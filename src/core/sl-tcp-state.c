/* sl-tcp-state.c — the kernel's view of TCP sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <glib/gi18n.h>

#include "sl-error.h"
#include "sl-tcp-state.h"

/* Linux's TCP_* numbers (include/net/tcp_states.h). */
enum
{
  KERNEL_ESTABLISHED = 1,
  KERNEL_SYN_SENT,
  KERNEL_SYN_RECV,
  KERNEL_FIN_WAIT1,
  KERNEL_FIN_WAIT2,
  KERNEL_TIME_WAIT,
  KERNEL_CLOSE,
  KERNEL_CLOSE_WAIT,
  KERNEL_LAST_ACK,
  KERNEL_LISTEN,
  KERNEL_CLOSING,
  KERNEL_NEW_SYN_RECV,
};

SlTcpState
sl_tcp_state_from_kernel (guint kernel_state)
{
  switch (kernel_state)
    {
    case KERNEL_ESTABLISHED: return SL_TCP_STATE_ESTABLISHED;
    case KERNEL_SYN_SENT: return SL_TCP_STATE_SYN_SENT;
    case KERNEL_SYN_RECV: return SL_TCP_STATE_SYN_RECEIVED;
    case KERNEL_FIN_WAIT1: return SL_TCP_STATE_FIN_WAIT_1;
    case KERNEL_FIN_WAIT2: return SL_TCP_STATE_FIN_WAIT_2;
    case KERNEL_TIME_WAIT: return SL_TCP_STATE_TIME_WAIT;
    case KERNEL_CLOSE: return SL_TCP_STATE_CLOSED;
    case KERNEL_CLOSE_WAIT: return SL_TCP_STATE_CLOSE_WAIT;
    case KERNEL_LAST_ACK: return SL_TCP_STATE_LAST_ACK;
    case KERNEL_LISTEN: return SL_TCP_STATE_LISTEN;
    case KERNEL_CLOSING: return SL_TCP_STATE_CLOSING;
    case KERNEL_NEW_SYN_RECV: return SL_TCP_STATE_SYN_RECEIVED;
    default: return SL_TCP_STATE_UNKNOWN;
    }
}

SlTcpState
sl_tcp_state_from_fd (int        fd,
                      SlTcpInfo *info_out)
{
  struct tcp_info ti;
  socklen_t len = sizeof ti;
  SlTcpInfo info = { SL_TCP_STATE_UNKNOWN, 0, };

  memset (&ti, 0, sizeof ti);
  if (fd >= 0 && getsockopt (fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
      len >= offsetof (struct tcp_info, tcpi_total_retrans) + sizeof ti.tcpi_total_retrans)
    {
      info.state = sl_tcp_state_from_kernel (ti.tcpi_state);
      if (info.state == SL_TCP_STATE_LISTEN)
        {
          /* For a listener the kernel reuses these two fields for the accept
           * queue (sk_ack_backlog) and its limit (sk_max_ack_backlog). */
          info.accept_queue = ti.tcpi_unacked;
          info.accept_backlog = ti.tcpi_sacked;
        }
      else
        {
          info.unacked = ti.tcpi_unacked;
          info.retransmits = ti.tcpi_retransmits;
          info.total_retransmits = ti.tcpi_total_retrans;
          info.rtt_us = ti.tcpi_rtt;
          info.rtt_var_us = ti.tcpi_rttvar;
          info.send_mss = ti.tcpi_snd_mss;
          info.send_cwnd = ti.tcpi_snd_cwnd;
        }
    }

  if (info_out != NULL)
    *info_out = info;
  return info.state;
}

SlTcpState
sl_tcp_state_from_socket (GSocket   *socket,
                          SlTcpInfo *info_out)
{
  g_return_val_if_fail (G_IS_SOCKET (socket), SL_TCP_STATE_UNKNOWN);

  /* A closed GSocket's number may already belong to another descriptor. */
  if (g_socket_is_closed (socket) || g_socket_get_protocol (socket) == G_SOCKET_PROTOCOL_UDP ||
      g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX)
    return sl_tcp_state_from_fd (-1, info_out);

  return sl_tcp_state_from_fd (g_socket_get_fd (socket), info_out);
}

/* /proc/net/tcp{,6}: one header line, then per socket (net/ipv4/tcp_ipv4.c,
 * get_tcp4_sock, and net/ipv6/tcp_ipv6.c):
 *   "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu ..."
 *   sl local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
 * An address is printed as 32-bit words, each the host-order value of 4
 * network-order bytes: copying the parsed value back into memory as a host
 * integer gives the network bytes on any byte order. */

typedef struct
{
  const char *p;
  const char *end;
} Cursor;

static gboolean
next_token (Cursor      *cursor,
            const char **start,
            gsize       *len)
{
  while (cursor->p < cursor->end && (*cursor->p == ' ' || *cursor->p == '\t'))
    cursor->p++;
  *start = cursor->p;
  while (cursor->p < cursor->end && *cursor->p != ' ' && *cursor->p != '\t')
    cursor->p++;
  *len = cursor->p - *start;
  return *len > 0;
}

/* 1 to @max_digits hex digits, nothing else. */
static gboolean
parse_hex (const char *s,
           gsize       len,
           gsize       max_digits,
           guint64    *out)
{
  guint64 value = 0;

  if (len == 0 || len > max_digits)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int digit = g_ascii_xdigit_value (s[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (guint64) digit;
    }
  *out = value;
  return TRUE;
}

/* 1 to 20 decimal digits, no overflow past @max. */
static gboolean
parse_decimal (const char *s,
               gsize       len,
               guint64     max,
               guint64    *out)
{
  guint64 value = 0;

  if (len == 0 || len > 20)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      guint digit;

      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      digit = (guint) (s[i] - '0');
      if (value > (max - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }
  *out = value;
  return TRUE;
}

/* "HEX:HEX" split at the single colon. */
static gboolean
split_pair (const char  *s,
            gsize        len,
            gsize       *first_len,
            const char **second,
            gsize       *second_len)
{
  const char *colon = memchr (s, ':', len);

  if (colon == NULL)
    return FALSE;
  *first_len = colon - s;
  *second = colon + 1;
  *second_len = len - *first_len - 1;
  return TRUE;
}

static gboolean
parse_endpoint (const char *s,
                gsize       len,
                gboolean    ipv6,
                guint8      address[16],
                guint16    *port)
{
  gsize n_words = ipv6 ? 4 : 1;
  gsize address_len, port_len;
  const char *port_text;
  guint64 value;

  if (!split_pair (s, len, &address_len, &port_text, &port_len) || address_len != n_words * 8)
    return FALSE;

  memset (address, 0, 16);
  for (gsize i = 0; i < n_words; i++)
    {
      guint32 word;

      if (!parse_hex (s + i * 8, 8, 8, &value))
        return FALSE;
      word = (guint32) value;
      memcpy (address + i * 4, &word, 4);
    }

  if (!parse_hex (port_text, port_len, 4, &value))
    return FALSE;
  *port = (guint16) value;
  return TRUE;
}

/* Parses one socket line into @row; on failure returns the name of the bad field. */
static const char *
parse_line (const char      *line,
            gsize            len,
            gboolean         ipv6,
            SlProcNetTcpRow *row)
{
  Cursor cursor = { line, line + len };
  const char *token, *second;
  gsize token_len, first_len, second_len;
  guint64 value, value2;

  memset (row, 0, sizeof *row);
  row->ipv6 = ipv6;

  /* "sl": "12:" */
  if (!next_token (&cursor, &token, &token_len) || token[token_len - 1] != ':' ||
      !parse_decimal (token, token_len - 1, G_MAXUINT, &value))
    return "sl";
  row->slot = (guint) value;

  if (!next_token (&cursor, &token, &token_len) ||
      !parse_endpoint (token, token_len, ipv6, row->local_address, &row->local_port))
    return "local_address";

  if (!next_token (&cursor, &token, &token_len) ||
      !parse_endpoint (token, token_len, ipv6, row->remote_address, &row->remote_port))
    return "rem_address";

  if (!next_token (&cursor, &token, &token_len) || !parse_hex (token, token_len, 2, &value))
    return "st";
  row->kernel_state = (guint8) value;
  row->state = sl_tcp_state_from_kernel (row->kernel_state);

  if (!next_token (&cursor, &token, &token_len) ||
      !split_pair (token, token_len, &first_len, &second, &second_len) ||
      !parse_hex (token, first_len, 8, &value) || !parse_hex (second, second_len, 8, &value2))
    return "tx_queue:rx_queue";
  row->tx_queue = (guint32) value;
  row->rx_queue = (guint32) value2;

  /* "tr:tm->when" and "retrnsmt": checked for shape, not kept. */
  if (!next_token (&cursor, &token, &token_len) ||
      !split_pair (token, token_len, &first_len, &second, &second_len) ||
      !parse_hex (token, first_len, 2, &value) || !parse_hex (second, second_len, 16, &value2))
    return "tr:tm->when";
  if (!next_token (&cursor, &token, &token_len) || !parse_hex (token, token_len, 8, &value))
    return "retrnsmt";

  if (!next_token (&cursor, &token, &token_len) ||
      !parse_decimal (token, token_len, G_MAXUINT32, &value))
    return "uid";
  row->uid = (guint32) value;

  /* "timeout" is a signed int (a negative probe count can show). */
  if (!next_token (&cursor, &token, &token_len) ||
      !parse_decimal (token + (token[0] == '-'), token_len - (token[0] == '-'), G_MAXINT, &value))
    return "timeout";

  if (!next_token (&cursor, &token, &token_len) ||
      !parse_decimal (token, token_len, G_MAXUINT64, &value))
    return "inode";
  row->inode = value;

  return NULL;
}

static gboolean
is_blank (const char *line,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_header (const char *line,
           gsize       len)
{
  Cursor cursor = { line, line + len };
  const char *token;
  gsize token_len;

  return next_token (&cursor, &token, &token_len) && token_len == 2 && memcmp (token, "sl", 2) == 0;
}

gboolean
sl_proc_net_tcp_parse (const char  *text,
                       gsize        len,
                       gboolean     ipv6,
                       GArray      *rows,
                       GError     **error)
{
  const char *p = text;
  const char *end;
  guint original_len;
  guint line_number = 0;

  g_return_val_if_fail (text != NULL || len == 0, FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (rows) == sizeof (SlProcNetTcpRow), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len == 0)
    return TRUE;
  end = text + len;
  original_len = rows->len;

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      gsize line_len = line_end - p;
      SlProcNetTcpRow row;
      const char *bad_field;

      line_number++;
      if (!(line_number == 1 && is_header (p, line_len)) && !is_blank (p, line_len))
        {
          bad_field = parse_line (p, line_len, ipv6, &row);
          if (bad_field != NULL)
            {
              g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                           /* Translators: %s is a file such as /proc/net/tcp, the second %s
                            * a column name such as local_address. */
                           _("%s line %u: the field “%s” is missing or not in the kernel’s "
                             "format; this reader may be too old for this kernel"),
                           ipv6 ? "/proc/net/tcp6" : "/proc/net/tcp", line_number, bad_field);
              g_array_set_size (rows, original_len);
              return FALSE;
            }
          g_array_append_val (rows, row);
        }

      p = newline != NULL ? newline + 1 : end;
    }

  return TRUE;
}

static GSocketAddress *
row_address (const guint8 *bytes,
             guint16       port,
             gboolean      ipv6)
{
  g_autoptr(GInetAddress) address =
    g_inet_address_new_from_bytes (bytes, ipv6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (address, port);
}

GSocketAddress *
sl_proc_net_tcp_row_get_local (const SlProcNetTcpRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row_address (row->local_address, row->local_port, row->ipv6);
}

GSocketAddress *
sl_proc_net_tcp_row_get_remote (const SlProcNetTcpRow *row)
{
  g_return_val_if_fail (row != NULL, NULL);

  return row_address (row->remote_address, row->remote_port, row->ipv6);
}

/* @address's 16 bytes as they appear in a row of the table for @ipv6 (an IPv4
 * address in tcp6 is IPv4-mapped). FALSE if not an IP socket address. */
static gboolean
address_bytes (GSocketAddress *address,
               gboolean        ipv6,
               guint8          bytes[16],
               guint16        *port)
{
  GInetAddress *inet;
  const guint8 *raw;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return FALSE;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  raw = g_inet_address_to_bytes (inet);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  memset (bytes, 0, 16);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      if (!ipv6)
        return FALSE;
      memcpy (bytes, raw, 16);
    }
  else if (ipv6)
    {
      bytes[10] = 0xff;
      bytes[11] = 0xff;
      memcpy (bytes + 12, raw, 4);
    }
  else
    {
      memcpy (bytes, raw, 4);
    }

  return TRUE;
}

gboolean
sl_proc_net_tcp_row_matches (const SlProcNetTcpRow *row,
                             GSocketAddress        *local,
                             GSocketAddress        *remote)
{
  static const guint8 zero[16] = { 0, };
  guint8 bytes[16];
  guint16 port;

  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (local), FALSE);
  g_return_val_if_fail (remote == NULL || G_IS_SOCKET_ADDRESS (remote), FALSE);

  if (!address_bytes (local, row->ipv6, bytes, &port) || port != row->local_port ||
      memcmp (bytes, row->local_address, 16) != 0)
    return FALSE;

  if (remote == NULL)
    return row->remote_port == 0 && memcmp (row->remote_address, zero, 16) == 0;

  return address_bytes (remote, row->ipv6, bytes, &port) && port == row->remote_port &&
         memcmp (bytes, row->remote_address, 16) == 0;
}

static gboolean
lookup_in (const char       *path,
           gboolean          ipv6,
           GSocketAddress   *local,
           GSocketAddress   *remote,
           SlProcNetTcpRow  *found,
           GError          **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (SlProcNetTcpRow));
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  if (!sl_proc_net_tcp_parse (contents, len, ipv6, rows, error))
    return FALSE;

  found->state = SL_TCP_STATE_CLOSED;
  for (guint i = 0; i < rows->len; i++)
    {
      const SlProcNetTcpRow *row = &g_array_index (rows, SlProcNetTcpRow, i);

      if (sl_proc_net_tcp_row_matches (row, local, remote))
        {
          *found = *row;
          break;
        }
    }

  return TRUE;
}

static gboolean
is_ipv6 (GSocketAddress *address)
{
  return g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
}

static gboolean
check_addresses (GSocketAddress  *local,
                 GSocketAddress  *remote,
                 GError         **error)
{
  if (!G_IS_INET_SOCKET_ADDRESS (local) || (remote != NULL && !G_IS_INET_SOCKET_ADDRESS (remote)))
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                           _("TCP states exist only for IP sockets; a Unix socket has none."));
      return FALSE;
    }
  return TRUE;
}

SlTcpState
sl_tcp_state_lookup_proc (GSocketAddress   *local,
                          GSocketAddress   *remote,
                          SlProcNetTcpRow  *row_out,
                          GError          **error)
{
  SlProcNetTcpRow found;

  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (local), SL_TCP_STATE_UNKNOWN);
  g_return_val_if_fail (remote == NULL || G_IS_SOCKET_ADDRESS (remote), SL_TCP_STATE_UNKNOWN);
  g_return_val_if_fail (error == NULL || *error == NULL, SL_TCP_STATE_UNKNOWN);

  memset (&found, 0, sizeof found);
  found.state = SL_TCP_STATE_UNKNOWN;

  if (!check_addresses (local, remote, error))
    ;
  else if (is_ipv6 (local) || (remote != NULL && is_ipv6 (remote)))
    lookup_in ("/proc/net/tcp6", TRUE, local, remote, &found, error);
  else if (lookup_in ("/proc/net/tcp", FALSE, local, remote, &found, error) &&
           found.state == SL_TCP_STATE_CLOSED && g_file_test ("/proc/net/tcp6", G_FILE_TEST_EXISTS))
    /* An IPv6 socket talking to an IPv4 peer shows IPv4-mapped addresses. */
    lookup_in ("/proc/net/tcp6", TRUE, local, remote, &found, error);

  if (row_out != NULL)
    *row_out = found;
  return found.state;
}

/* sock_diag (netlink) asked for one exact 4-tuple: the kernel looks it up in
 * its hash tables (TIME_WAIT and FIN_WAIT_2 remnants included) instead of
 * formatting every socket of the machine. TRUE with @found set (state CLOSED
 * when the kernel has no such socket); FALSE when sock_diag cannot answer. */
static gboolean
lookup_sock_diag (gboolean         ipv6,
                  GSocketAddress  *local,
                  GSocketAddress  *remote,
                  SlProcNetTcpRow *found)
{
  struct
  {
    struct nlmsghdr         header;
    struct inet_diag_req_v2 request;
  } message;
  union
  {
    struct nlmsghdr header;
    char            bytes[4096];
  } reply;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK, };
  const struct inet_diag_msg *diag;
  guint8 local_bytes[16], remote_bytes[16] = { 0, };
  guint16 local_port, remote_port = 0;
  gssize n;
  int fd;

  if (!address_bytes (local, ipv6, local_bytes, &local_port) ||
      (remote != NULL && !address_bytes (remote, ipv6, remote_bytes, &remote_port)))
    return FALSE;

  memset (&message, 0, sizeof message);
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST;  /* no NLM_F_DUMP: one exact socket */
  message.header.nlmsg_seq = 1;
  message.request.sdiag_family = ipv6 ? AF_INET6 : AF_INET;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = ~0U;
  message.request.id.idiag_sport = g_htons (local_port);
  message.request.id.idiag_dport = g_htons (remote_port);
  memcpy (message.request.id.idiag_src, local_bytes, ipv6 ? 16 : 4);
  memcpy (message.request.id.idiag_dst, remote_bytes, ipv6 ? 16 : 4);
  message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;

  fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0)
    return FALSE;
  if (sendto (fd, &message, sizeof message, 0, (struct sockaddr *) &kernel, sizeof kernel) !=
      (gssize) sizeof message)
    {
      close (fd);
      return FALSE;
    }
  /* The kernel answers within sendto(); the reply is already queued. */
  n = recv (fd, &reply, sizeof reply, MSG_DONTWAIT);
  close (fd);

  if (n < (gssize) sizeof reply.header || !NLMSG_OK (&reply.header, (gsize) n))
    return FALSE;

  memset (found, 0, sizeof *found);
  found->state = SL_TCP_STATE_CLOSED;

  if (reply.header.nlmsg_type == NLMSG_ERROR)
    {
      const struct nlmsgerr *nl_error = NLMSG_DATA (&reply.header);

      return reply.header.nlmsg_len >= NLMSG_LENGTH (sizeof *nl_error) &&
             nl_error->error == -ENOENT;
    }

  if (reply.header.nlmsg_type != SOCK_DIAG_BY_FAMILY ||
      reply.header.nlmsg_len < NLMSG_LENGTH (sizeof *diag))
    return FALSE;

  diag = NLMSG_DATA (&reply.header);
  /* Without an established match the kernel answers with the listener on
   * the local port: that is not the connection asked for. */
  if (g_ntohs (diag->id.idiag_sport) != local_port || g_ntohs (diag->id.idiag_dport) != remote_port)
    return TRUE;

  found->ipv6 = diag->idiag_family == AF_INET6;
  if (found->ipv6 == ipv6)
    {
      memcpy (found->local_address, local_bytes, 16);
      memcpy (found->remote_address, remote_bytes, 16);
    }
  else
    {
      memcpy (found->local_address, diag->id.idiag_src, found->ipv6 ? 16 : 4);
      memcpy (found->remote_address, diag->id.idiag_dst, found->ipv6 ? 16 : 4);
    }
  found->local_port = local_port;
  found->remote_port = remote_port;
  found->kernel_state = diag->idiag_state;
  found->state = sl_tcp_state_from_kernel (diag->idiag_state);
  /* As /proc/net/tcp says it: for a listener rqueue is the accept queue and
   * wqueue the backlog, which the table does not show. */
  found->rx_queue = diag->idiag_rqueue;
  found->tx_queue = found->state == SL_TCP_STATE_LISTEN ? 0 : diag->idiag_wqueue;
  found->uid = diag->idiag_uid;
  found->inode = diag->idiag_inode;
  return TRUE;
}

SlTcpState
sl_tcp_state_lookup (GSocketAddress   *local,
                     GSocketAddress   *remote,
                     SlProcNetTcpRow  *row_out,
                     GError          **error)
{
  SlProcNetTcpRow found;
  gboolean ipv6;

  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (local), SL_TCP_STATE_UNKNOWN);
  g_return_val_if_fail (remote == NULL || G_IS_SOCKET_ADDRESS (remote), SL_TCP_STATE_UNKNOWN);
  g_return_val_if_fail (error == NULL || *error == NULL, SL_TCP_STATE_UNKNOWN);

  if (!check_addresses (local, remote, error))
    {
      if (row_out != NULL)
        {
          memset (row_out, 0, sizeof *row_out);
          row_out->state = SL_TCP_STATE_UNKNOWN;
        }
      return SL_TCP_STATE_UNKNOWN;
    }

  ipv6 = is_ipv6 (local) || (remote != NULL && is_ipv6 (remote));
  if (lookup_sock_diag (ipv6, local, remote, &found) &&
      (found.state != SL_TCP_STATE_CLOSED || ipv6 ||
       /* An IPv4 pair may belong to a dual-stack IPv6 socket. */
       lookup_sock_diag (TRUE, local, remote, &found)))
    {
      if (row_out != NULL)
        *row_out = found;
      return found.state;
    }

  return sl_tcp_state_lookup_proc (local, remote, row_out, error);
}

const char *
sl_tcp_state_to_string (SlTcpState state)
{
  switch (state)
    {
    case SL_TCP_STATE_CLOSED: return "CLOSED";
    case SL_TCP_STATE_LISTEN: return "LISTEN";
    case SL_TCP_STATE_SYN_SENT: return "SYN_SENT";
    case SL_TCP_STATE_SYN_RECEIVED: return "SYN_RCVD";
    case SL_TCP_STATE_ESTABLISHED: return "ESTABLISHED";
    case SL_TCP_STATE_FIN_WAIT_1: return "FIN_WAIT_1";
    case SL_TCP_STATE_FIN_WAIT_2: return "FIN_WAIT_2";
    case SL_TCP_STATE_CLOSE_WAIT: return "CLOSE_WAIT";
    case SL_TCP_STATE_CLOSING: return "CLOSING";
    case SL_TCP_STATE_LAST_ACK: return "LAST_ACK";
    case SL_TCP_STATE_TIME_WAIT: return "TIME_WAIT";
    case SL_TCP_STATE_UNKNOWN:
    default:
      return "UNKNOWN";
    }
}

const char *
sl_tcp_state_explain (SlTcpState state)
{
  switch (state)
    {
    case SL_TCP_STATE_CLOSED:
      return _("No connection: the kernel keeps nothing for this socket (any more).");
    case SL_TCP_STATE_LISTEN:
      return _("The server waits for clients: the kernel answers their SYN and completes the "
               "three-way handshake, then queues the connection for accept().");
    case SL_TCP_STATE_SYN_SENT:
      return _("connect() sent a SYN (first step of the three-way handshake) and waits for the "
               "server’s SYN+ACK.");
    case SL_TCP_STATE_SYN_RECEIVED:
      return _("The server received the client’s SYN and answered SYN+ACK; it waits for the "
               "client’s ACK, the last step of the three-way handshake.");
    case SL_TCP_STATE_ESTABLISHED:
      return _("The three-way handshake is done: both sides can send and receive data.");
    case SL_TCP_STATE_FIN_WAIT_1:
      return _("This side closed first and sent a FIN (step 1 of the four-way close); it waits "
               "for the peer to acknowledge it.");
    case SL_TCP_STATE_FIN_WAIT_2:
      return _("The peer acknowledged this side’s FIN: this side sends no more data and waits "
               "for the peer’s FIN.");
    case SL_TCP_STATE_CLOSE_WAIT:
      return _("The peer has closed its side (FIN received, recv() returns b''); this side must "
               "still call close().");
    case SL_TCP_STATE_CLOSING:
      return _("Both sides sent a FIN at the same time; this side waits for the ACK of its own "
               "FIN.");
    case SL_TCP_STATE_LAST_ACK:
      return _("The peer closed first and this side has now closed too (FIN sent); it waits for "
               "the peer’s last ACK.");
    case SL_TCP_STATE_TIME_WAIT:
      return _("This side closed first and the four-way close is done; the kernel keeps the "
               "address pair for a while (60 s on Linux) so late segments die out, which is why "
               "a quick rebind can fail with “Address already in use”.");
    case SL_TCP_STATE_UNKNOWN:
    default:
      return _("The kernel’s state of this socket could not be read.");
    }
}
