/* sl-endpoint-form.h — every field of an endpoint config, validated inline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

#define SL_TYPE_ENDPOINT_FORM (sl_endpoint_form_get_type ())

G_DECLARE_FINAL_TYPE (SlEndpointForm, sl_endpoint_form, SL, ENDPOINT_FORM, GtkWidget)

/* A form (preference groups and rows) editing one SlEndpointConfig live:
 * protocol, role, family, host, port, Unix path, local bind (clients),
 * backlog, SO_REUSEADDR, recv buffer size, max clients, I/O mode + timeout,
 * connect timeout, auto-reply + fixed text, message encoding, close on EOF.
 * Each row has a one-line help subtitle; rows that do not apply to the
 * current protocol/role/family are hidden. A field whose value is invalid
 * shows the core's message inline at the field (and the row gets the
 * "error" style class). Binding a server to 0.0.0.0 or :: shows a warning
 * that other machines can reach it.
 *
 * Properties:
 *   config (SlEndpointConfig, read-write): the config being edited (the form
 *     writes into it as the user types; never NULL).
 *   valid (boolean, read-only, notify): TRUE when the whole config validates.
 *   error-message (string, read-only): the first problem, or NULL. */
GtkWidget         *sl_endpoint_form_new             (void);
SlEndpointConfig  *sl_endpoint_form_get_config      (SlEndpointForm   *self);
void               sl_endpoint_form_set_config      (SlEndpointForm   *self,
                                                     SlEndpointConfig *config);
gboolean           sl_endpoint_form_get_valid       (SlEndpointForm   *self);
const char        *sl_endpoint_form_get_error_message (SlEndpointForm *self);
/* The inline message currently shown at @field, or NULL (for tests). */
const char        *sl_endpoint_form_get_field_error (SlEndpointForm   *self,
                                                     SlConfigField     field);

G_END_DECLS
