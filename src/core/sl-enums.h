/* sl-enums.h — the enumerations of the Socket Lab core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SL_PROTOCOL_TCP,
  SL_PROTOCOL_UDP,
} SlProtocol;

typedef enum
{
  SL_ROLE_SERVER,
  SL_ROLE_CLIENT,
} SlRole;

typedef enum
{
  SL_FAMILY_IPV4,
  SL_FAMILY_IPV6,
  SL_FAMILY_UNIX,
} SlFamily;

typedef enum
{
  SL_IO_MODE_ASYNC,
  SL_IO_MODE_BLOCKING,
  SL_IO_MODE_NONBLOCKING,
  SL_IO_MODE_TIMEOUT,
} SlIoMode;

typedef enum
{
  SL_REPLY_NONE,
  SL_REPLY_ECHO,
  SL_REPLY_UPPER,
  SL_REPLY_FIXED,
} SlReplyMode;

typedef enum
{
  SL_ENCODING_TEXT,
  SL_ENCODING_BASE64,
  SL_ENCODING_HEX,
  SL_ENCODING_JSON,
} SlEncoding;

typedef enum
{
  SL_LOG_KIND_CALL,
  SL_LOG_KIND_DATA_IN,
  SL_LOG_KIND_DATA_OUT,
  SL_LOG_KIND_EVENT,
  SL_LOG_KIND_ERROR,
  SL_LOG_KIND_STATE,
} SlLogKind;

typedef enum
{
  SL_ENDPOINT_STATE_STOPPED,
  SL_ENDPOINT_STATE_STARTING,
  SL_ENDPOINT_STATE_LISTENING,
  SL_ENDPOINT_STATE_CONNECTING,
  SL_ENDPOINT_STATE_CONNECTED,
  SL_ENDPOINT_STATE_CLOSED,
  SL_ENDPOINT_STATE_ERROR,
} SlEndpointState;

typedef enum
{
  SL_CONNECTION_STATE_OPEN,
  SL_CONNECTION_STATE_WRITE_SHUT,  /* we called shutdown(SHUT_WR) */
  SL_CONNECTION_STATE_PEER_CLOSED, /* recv() returned 0: the peer sent FIN */
  SL_CONNECTION_STATE_CLOSED,      /* we closed it (FIN) */
  SL_CONNECTION_STATE_RESET,       /* RST sent or received */
} SlConnectionState;

/* Link authentication of stream connections (tutorial 003): HMAC
 * challenge-response. MD5 is what hmac.new(salt, msg) used before Python 3.8. */
typedef enum
{
  SL_AUTH_MODE_NONE,
  SL_AUTH_MODE_HMAC_MD5,
  SL_AUTH_MODE_HMAC_SHA256,
} SlAuthMode;

/* The TCP states of RFC 9293 section 3.3.2, as the kernel reports them
 * (see sl-tcp-state.h). UNKNOWN: not readable, or a value we do not know. */
typedef enum
{
  SL_TCP_STATE_UNKNOWN,
  SL_TCP_STATE_CLOSED,
  SL_TCP_STATE_LISTEN,
  SL_TCP_STATE_SYN_SENT,
  SL_TCP_STATE_SYN_RECEIVED,
  SL_TCP_STATE_ESTABLISHED,
  SL_TCP_STATE_FIN_WAIT_1,
  SL_TCP_STATE_FIN_WAIT_2,
  SL_TCP_STATE_CLOSE_WAIT,
  SL_TCP_STATE_CLOSING,
  SL_TCP_STATE_LAST_ACK,
  SL_TCP_STATE_TIME_WAIT,
} SlTcpState;

G_END_DECLS
