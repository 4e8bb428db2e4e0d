/* sl-endpoint-row.h — one endpoint in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_ENDPOINT_ROW (sl_endpoint_row_get_type ())

G_DECLARE_FINAL_TYPE (SlEndpointRow, sl_endpoint_row, SL, ENDPOINT_ROW, GtkWidget)

/* An icon for protocol and role, the endpoint's description ("TCP server"),
 * its address, and a live state badge (listening, connecting, connected,
 * closed, error) whose colour follows the state. The accessible label says
 * all three. */
GtkWidget  *sl_endpoint_row_new           (void);
void        sl_endpoint_row_set_endpoint  (SlEndpointRow *self,
                                           SlEndpoint    *endpoint);
SlEndpoint *sl_endpoint_row_get_endpoint  (SlEndpointRow *self);

/* Shared with the page header: the role/protocol icon, a short title and the
 * address line of an endpoint, and the style class of a state badge. */
const char *sl_endpoint_icon_name         (SlEndpoint    *endpoint);
char       *sl_endpoint_title             (SlEndpoint    *endpoint);
/* The same from a config: "TCP server", "UDP client"… */
char       *sl_endpoint_config_title      (SlEndpointConfig *config);
char       *sl_endpoint_address_text      (SlEndpoint    *endpoint);
const char *sl_endpoint_state_css_class   (SlEndpointState state);

G_END_DECLS
