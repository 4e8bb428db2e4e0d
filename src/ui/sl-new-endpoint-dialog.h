/* sl-new-endpoint-dialog.h — the window that creates an endpoint from the form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

#define SL_TYPE_NEW_ENDPOINT_DIALOG (sl_new_endpoint_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SlNewEndpointDialog, sl_new_endpoint_dialog, SL, NEW_ENDPOINT_DIALOG,
                      AdwWindow)

/* A modal AdwWindow with a header bar (Cancel, and a suggested "Start"
 * button that is sensitive only while the form is valid) around an
 * SlEndpointForm. Start (or Ctrl+Enter) emits ::create with a copy of the
 * config and closes. The form starts from @initial (copied), or from the
 * last values saved in GSettings key "last-config" when @initial is NULL,
 * and saves them there on Start.
 *
 * Signals:
 *   ::create (SlEndpointConfig *config) */
SlNewEndpointDialog *sl_new_endpoint_dialog_new      (GtkWindow        *parent,
                                                      GSettings        *settings,
                                                      SlEndpointConfig *initial);
GtkWidget           *sl_new_endpoint_dialog_get_form (SlNewEndpointDialog *self);
/* Same as clicking Start (does nothing while the form is invalid). */
void                 sl_new_endpoint_dialog_start    (SlNewEndpointDialog *self);

G_END_DECLS
