/* sl-connection-list.h — a server's connections, with Close, Shut down, Reset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_CONNECTION_LIST (sl_connection_list_get_type ())

G_DECLARE_FINAL_TYPE (SlConnectionList, sl_connection_list, SL, CONNECTION_LIST, GtkWidget)

/* A GtkColumnView of sl_endpoint_get_connections(): peer, state, bytes in,
 * bytes out, age (counters and age refresh once a second while mapped),
 * single selection, and a toolbar acting on the selected connection:
 * Close (FIN), Shut down writing (SHUT_WR), Reset (RST). Datagram peers show
 * a note that UDP has no connection instead of the three buttons. An empty
 * list shows "No client connected yet".
 *
 * Widget actions: connection.close, connection.shutdown, connection.reset.
 * Properties: endpoint (SlEndpoint), selected (SlConnection, read-only).
 * Signals: ::failed (GError *error) when an action fails. */
GtkWidget    *sl_connection_list_new           (void);
void          sl_connection_list_set_endpoint  (SlConnectionList *self,
                                                SlEndpoint       *endpoint);
SlConnection *sl_connection_list_get_selected  (SlConnectionList *self);
void          sl_connection_list_select        (SlConnectionList *self,
                                                SlConnection     *connection);

G_END_DECLS
