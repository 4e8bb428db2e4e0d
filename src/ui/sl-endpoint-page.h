/* sl-endpoint-page.h — everything about one endpoint: header, connections,
 * calls, the call trace and the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_ENDPOINT_PAGE (sl_endpoint_page_get_type ())

G_DECLARE_FINAL_TYPE (SlEndpointPage, sl_endpoint_page, SL, ENDPOINT_PAGE, GtkWidget)

/* The header shows the endpoint's title, state badge, local and remote
 * addresses and the message and byte counters each way (refreshed while
 * mapped), with Start and Stop. Servers show their connections; selecting
 * one targets the composer and the call bar at it. The call trace fills the
 * rest, with a toolbar: payload view (text, base64, hex, JSON), search,
 * copy, clear and export.
 *
 * Widget actions: page.start, page.stop, page.search, page.clear-log.
 * Signals: ::toast (const char *message) for the window's toast overlay —
 *   routine failures (port in use, refused, reset) never open a dialog. */
GtkWidget  *sl_endpoint_page_new                 (void);
void        sl_endpoint_page_set_endpoint        (SlEndpointPage *self,
                                                  SlEndpoint     *endpoint);
SlEndpoint *sl_endpoint_page_get_endpoint        (SlEndpointPage *self);
/* All of the program's endpoints (a GListModel of SlEndpoint): when the peer
 * of the watched conversation is one of them, the sequence diagram shows both
 * ends' kernel states. */
void        sl_endpoint_page_set_endpoints       (SlEndpointPage *self,
                                                  GListModel     *endpoints);
/* The conversation the TCP States and Sequence tabs follow, or NULL. */
SlConnection *sl_endpoint_page_get_watched       (SlEndpointPage *self);
/* Projector mode: hides the trace's tools; a TCP endpoint shows its TCP States tab. */
void        sl_endpoint_page_set_presentation    (SlEndpointPage *self,
                                                  gboolean        presentation);
/* The other end of @connection among @endpoints (a GListModel of SlEndpoint):
 * its local address is @connection's remote one and the other way round; NULL
 * when the peer is outside the program. */
SlConnection *sl_endpoint_page_find_peer_connection (GListModel   *endpoints,
                                                     SlConnection *connection);
/* How long after a conversation starts new rows make the page look for its
 * peer's end among the program's endpoints (µs). */
#define SL_ENDPOINT_PAGE_PEER_SEARCH_US (2 * G_USEC_PER_SEC)
GtkWidget  *sl_endpoint_page_get_log_view        (SlEndpointPage *self);
GtkWidget  *sl_endpoint_page_get_composer        (SlEndpointPage *self);
GtkWidget  *sl_endpoint_page_get_connection_list (SlEndpointPage *self);
GtkWidget  *sl_endpoint_page_get_call_bar        (SlEndpointPage *self);

/* Starts the endpoint and reports a failure through ::toast. */
void        sl_endpoint_page_start               (SlEndpointPage *self);

G_END_DECLS
