/* sl-cli-options.h — the command line of socket-lab-cli, parsed into a config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

/* Exit statuses of socket-lab-cli. */
#define SL_CLI_EXIT_OK      0
#define SL_CLI_EXIT_FAILURE 1 /* runtime: bind, connect, resolve failed */
#define SL_CLI_EXIT_USAGE   2 /* a bad argument */

typedef struct
{
  SlEndpointConfig *config;
  GPtrArray        *messages;    /* char *: the --send texts, in order */
  GPtrArray        *payloads;    /* GBytes *: the --send texts encoded */
  double            duration;    /* seconds; < 0: until SIGINT/SIGTERM */
  double            wait;        /* seconds a client waits for a reply after a send */
  gboolean          quiet;
  gboolean          version;     /* --version: print it and exit */
  gboolean          export_python; /* "export-python MODE ADDRESS": print the script */
} SlCliOptions;

/* Parses @argv (GOptionContext; --help prints and exits). A first argument
 * "export-python" sets export_python and the rest is parsed as for running. On a bad argument
 * returns NULL and an error whose message names the argument and what is
 * allowed, ready to print after "socket-lab-cli: ". */
SlCliOptions *sl_cli_options_parse   (int            argc,
                                      char         **argv,
                                      GError       **error);
void          sl_cli_options_free    (SlCliOptions  *options);

gboolean      sl_cli_options_is_server   (SlCliOptions *options);
gboolean      sl_cli_options_is_datagram (SlCliOptions *options);
/* A client without --send reads its messages from stdin, line by line. */
gboolean      sl_cli_options_is_interactive (SlCliOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlCliOptions, sl_cli_options_free)

G_END_DECLS
