/* sl-python-export.h — an endpoint's configuration as a runnable Python 3 script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

/* The endpoint described by @config as a Python 3 program in the tutorials'
 * style (import socket, connection loop and communication loop, recv(1024),
 * data.upper(), recvfrom/sendto, an input() loop for clients): family, type,
 * role, SO_REUSEADDR, backlog, bufsize, I/O mode, reply, encoding, HMAC link
 * authentication, close-on-eof, local bind. The program speaks the same bytes
 * as the app's endpoint, so each can talk to the other. Servers print
 * "listening on HOST:PORT" first (the real port, also for port 0); clients
 * read their messages from stdin, one per line, until EOF or "exit".
 * The config is validated first; an invalid one gives the SL_ERROR of
 * sl_endpoint_config_validate(), whose message names the field. */
char   *sl_python_export              (SlEndpointConfig  *config,
                                       GError           **error);

/* A file name for the script: "tcp_server.py", "udp_client.py",
 * "unix_stream_server.py", "unix_datagram_client.py". */
char   *sl_python_export_filename     (SlEndpointConfig  *config);

/* The socket-lab-cli arguments that run the same endpoint, shell-quoted, e.g.
 * "tcp-server 127.0.0.1:8888 --reuseaddr --reply=echo" (defaults left out).
 * The exported script names them in its header. */
char   *sl_python_export_cli_args     (SlEndpointConfig  *config);

G_END_DECLS
