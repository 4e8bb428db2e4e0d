/* sl-endpoint-config.h — what the form describes, and its validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-enums.h"

G_BEGIN_DECLS

#define SL_TYPE_ENDPOINT_CONFIG (sl_endpoint_config_get_type ())

G_DECLARE_FINAL_TYPE (SlEndpointConfig, sl_endpoint_config, SL, ENDPOINT_CONFIG, GObject)

/* Which field an error belongs to, so a form can show it at the field. */
typedef enum
{
  SL_CONFIG_FIELD_NONE,
  SL_CONFIG_FIELD_HOST,
  SL_CONFIG_FIELD_PORT,
  SL_CONFIG_FIELD_PATH,
  SL_CONFIG_FIELD_LOCAL_HOST,
  SL_CONFIG_FIELD_LOCAL_PORT,
  SL_CONFIG_FIELD_BACKLOG,
  SL_CONFIG_FIELD_BUFSIZE,
  SL_CONFIG_FIELD_MAX_CLIENTS,
  SL_CONFIG_FIELD_TIMEOUT,
  SL_CONFIG_FIELD_CONNECT_TIMEOUT,
  SL_CONFIG_FIELD_REPLY_TEXT,
  SL_CONFIG_FIELD_AUTH,
  SL_CONFIG_FIELD_SALT,
  SL_CONFIG_FIELD_AUTH_TIMEOUT,
} SlConfigField;

/* Defaults follow the tutorials: TCP server, IPv4, host 127.0.0.1, port 8888,
 * backlog 5, bufsize 1024, SO_REUSEADDR off, max clients 1024 (0: no limit), I/O
 * async, timeout 5 s, connect timeout 5 s, reply upper, reply text "",
 * encoding text, no local bind (local-host NULL, local-port 0), close-on-eof on.
 *
 * Properties (all read-write, notify on change):
 *   protocol (SlProtocol), role (SlRole), family (SlFamily),
 *   host (string), port (int), path (string, Unix sockets),
 *   local-host (string or NULL), local-port (int),
 *   backlog (int), reuseaddr (boolean), bufsize (int), max-clients (int),
 *   io-mode (SlIoMode), timeout (double seconds, for SL_IO_MODE_TIMEOUT),
 *   connect-timeout (double seconds, TCP clients),
 *   reply-mode (SlReplyMode), reply-text (string, for SL_REPLY_FIXED),
 *   encoding (SlEncoding), close-on-eof (boolean).
 * Integer properties accept any int so that a form can hold an invalid value;
 * sl_endpoint_config_validate() tells what is wrong. */
SlEndpointConfig *sl_endpoint_config_new             (void);
SlEndpointConfig *sl_endpoint_config_copy            (SlEndpointConfig  *self);

SlProtocol   sl_endpoint_config_get_protocol         (SlEndpointConfig *self);
void         sl_endpoint_config_set_protocol         (SlEndpointConfig *self, SlProtocol protocol);
SlRole       sl_endpoint_config_get_role             (SlEndpointConfig *self);
void         sl_endpoint_config_set_role             (SlEndpointConfig *self, SlRole role);
SlFamily     sl_endpoint_config_get_family           (SlEndpointConfig *self);
void         sl_endpoint_config_set_family           (SlEndpointConfig *self, SlFamily family);
const char  *sl_endpoint_config_get_host             (SlEndpointConfig *self);
void         sl_endpoint_config_set_host             (SlEndpointConfig *self, const char *host);
int          sl_endpoint_config_get_port             (SlEndpointConfig *self);
void         sl_endpoint_config_set_port             (SlEndpointConfig *self, int port);
const char  *sl_endpoint_config_get_path             (SlEndpointConfig *self);
void         sl_endpoint_config_set_path             (SlEndpointConfig *self, const char *path);
const char  *sl_endpoint_config_get_local_host       (SlEndpointConfig *self);
void         sl_endpoint_config_set_local_host       (SlEndpointConfig *self, const char *local_host);
int          sl_endpoint_config_get_local_port       (SlEndpointConfig *self);
void         sl_endpoint_config_set_local_port       (SlEndpointConfig *self, int local_port);
int          sl_endpoint_config_get_backlog          (SlEndpointConfig *self);
void         sl_endpoint_config_set_backlog          (SlEndpointConfig *self, int backlog);
gboolean     sl_endpoint_config_get_reuseaddr        (SlEndpointConfig *self);
void         sl_endpoint_config_set_reuseaddr        (SlEndpointConfig *self, gboolean reuseaddr);
int          sl_endpoint_config_get_bufsize          (SlEndpointConfig *self);
void         sl_endpoint_config_set_bufsize          (SlEndpointConfig *self, int bufsize);
/* A server serves this many clients at once unless told otherwise: enough
 * for any classroom, and a bound on what a flood of connections can take. */
#define SL_ENDPOINT_CONFIG_DEFAULT_MAX_CLIENTS 1024
int          sl_endpoint_config_get_max_clients      (SlEndpointConfig *self);
void         sl_endpoint_config_set_max_clients      (SlEndpointConfig *self, int max_clients);
SlIoMode     sl_endpoint_config_get_io_mode          (SlEndpointConfig *self);
void         sl_endpoint_config_set_io_mode          (SlEndpointConfig *self, SlIoMode io_mode);
double       sl_endpoint_config_get_timeout          (SlEndpointConfig *self);
void         sl_endpoint_config_set_timeout          (SlEndpointConfig *self, double timeout);
double       sl_endpoint_config_get_connect_timeout  (SlEndpointConfig *self);
void         sl_endpoint_config_set_connect_timeout  (SlEndpointConfig *self, double timeout);
SlReplyMode  sl_endpoint_config_get_reply_mode       (SlEndpointConfig *self);
void         sl_endpoint_config_set_reply_mode       (SlEndpointConfig *self, SlReplyMode reply_mode);
const char  *sl_endpoint_config_get_reply_text       (SlEndpointConfig *self);
void         sl_endpoint_config_set_reply_text       (SlEndpointConfig *self, const char *reply_text);
SlEncoding   sl_endpoint_config_get_encoding         (SlEndpointConfig *self);
void         sl_endpoint_config_set_encoding         (SlEndpointConfig *self, SlEncoding encoding);
gboolean     sl_endpoint_config_get_close_on_eof     (SlEndpointConfig *self);
void         sl_endpoint_config_set_close_on_eof     (SlEndpointConfig *self, gboolean close_on_eof);

/* Link authentication (tutorial 003), stream endpoints only: auth
 * (SlAuthMode, default none), salt (string, default "", required when auth
 * is on), auth-timeout (double seconds, default 10, 0 < t <= 600). The
 * handshake needs the async I/O mode in this version. */
SlAuthMode   sl_endpoint_config_get_auth             (SlEndpointConfig *self);
void         sl_endpoint_config_set_auth             (SlEndpointConfig *self, SlAuthMode auth);
const char  *sl_endpoint_config_get_salt             (SlEndpointConfig *self);
void         sl_endpoint_config_set_salt             (SlEndpointConfig *self, const char *salt);
double       sl_endpoint_config_get_auth_timeout     (SlEndpointConfig *self);
void         sl_endpoint_config_set_auth_timeout     (SlEndpointConfig *self, double timeout);

/* Checks every field without touching the network (host names are checked
 * for syntax only; resolution happens at start). Returns FALSE with an
 * SL_ERROR whose message names the field, the bad value and what is allowed,
 * e.g. "Port “70000” is out of range: use 0 (any free port) to 65535."
 * @field (optional) receives the field in error. */
gboolean     sl_endpoint_config_validate             (SlEndpointConfig  *self,
                                                      SlConfigField     *field,
                                                      GError           **error);
/* Validates one field only (for inline form errors). */
gboolean     sl_endpoint_config_validate_field       (SlEndpointConfig  *self,
                                                      SlConfigField      field,
                                                      GError           **error);

/* Parses a port typed in a form or on a command line ("8888"); rejects
 * non-numbers and values outside 0..65535 with an SL_ERROR_INVALID_PORT. */
gboolean     sl_endpoint_config_parse_port           (const char        *text,
                                                      int               *port,
                                                      GError           **error);

/* Parses "HOST:PORT", "[IPv6]:PORT" (family becomes IPv6), or for @family
 * SL_FAMILY_UNIX a filesystem path, into the config. */
gboolean     sl_endpoint_config_set_address_string   (SlEndpointConfig  *self,
                                                      const char        *address,
                                                      GError           **error);

/* Resolves host (and local-host) to socket addresses of the configured
 * family: numeric addresses directly, "localhost" to 127.0.0.1 or ::1 per
 * family, anything else through GResolver. An unknown name gives
 * SL_ERROR_RESOLVE naming the host field. Result: a GPtrArray holding
 * the remote (or bind) GSocketAddress at index 0 and the local bind address
 * (or NULL) at index 1. Unix paths resolve immediately. */
void         sl_endpoint_config_resolve_async        (SlEndpointConfig    *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray   *sl_endpoint_config_resolve_finish       (SlEndpointConfig    *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* TRUE for a server bound to every network interface (0.0.0.0, :: or
 * another spelling of them): other computers can reach it. */
gboolean     sl_endpoint_config_is_exposed           (SlEndpointConfig    *self);

/* The configured address as a person types it: "127.0.0.1:8888",
 * "[::1]:8888" or the Unix path. */
char        *sl_endpoint_config_address_text         (SlEndpointConfig    *self);

/* "('127.0.0.1', 8888)", "('::1', 8888, 0, 0)" or "'/tmp/sock'" as Python
 * prints a socket address. */
char        *sl_python_address                       (GSocketAddress    *address);

/* Short human description: "TCP server 127.0.0.1:8888", "Unix datagram client /tmp/s". */
char        *sl_endpoint_config_describe             (SlEndpointConfig  *self);

/* Every property as a dictionary (a{sv}) keyed by property name, enums by
 * their nick ("tcp", "server", "ipv4", "async", "upper", "text"), for
 * GSettings and saved files. */
GVariant    *sl_endpoint_config_to_variant           (SlEndpointConfig  *self);
/* Sets the properties found in @dict (a{sv}, as to_variant writes it);
 * unknown keys are ignored. A value of the wrong type or an unknown enum
 * nick gives SL_ERROR_INVALID_COMBINATION naming the key, and then nothing
 * at all is changed. */
gboolean     sl_endpoint_config_apply_variant        (SlEndpointConfig  *self,
                                                      GVariant          *dict,
                                                      GError           **error);

/* Limits of the engine that keep memory bounded under floods (compile-time).
 * SL_MAX_DATAGRAM_PEERS: a datagram endpoint lists at most this many peers;
 * when a new source would exceed it, the least recently active quarter is
 * forgotten, with one log row per batch.
 * SL_MAX_QUEUED_BYTES: replies waiting for a stream peer that does not read;
 * above this an async connection stops reading until half are sent, so TCP
 * flow control slows the peer as a server blocked in sendall() would. */
#define SL_MAX_DATAGRAM_PEERS 1000
#define SL_MAX_QUEUED_BYTES   (1024 * 1024)

/* Names used on the command line and in saved files. */
const char  *sl_io_mode_to_string                    (SlIoMode           mode);
const char  *sl_reply_mode_to_string                 (SlReplyMode        mode);

G_END_DECLS
