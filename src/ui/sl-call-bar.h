/* sl-call-bar.h — accept()/recv() buttons for the manual I/O modes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_CALL_BAR (sl_call_bar_get_type ())

G_DECLARE_FINAL_TYPE (SlCallBar, sl_call_bar, SL, CALL_BAR, GtkWidget)

/* Visible only when the endpoint's I/O mode is blocking, non-blocking or
 * timeout. Shows a short line saying what the mode means, and buttons named
 * as the calls: "accept()" (stream servers), "recv(1024)" (the connection set,
 * or the first), "recvfrom(1024)" (datagram endpoints). While a call waits
 * in a worker thread it shows a spinner, "Blocked in recv(1024)…" and a
 * Cancel button; the rest of the window stays usable. Results appear in the
 * log; failures other than the lesson's own (EAGAIN, timeout) are emitted
 * as ::failed.
 *
 * Properties: endpoint (SlEndpoint), connection (SlConnection or NULL),
 *   busy (boolean, read-only).
 * Signals: ::failed (GError *error). */
GtkWidget  *sl_call_bar_new            (void);
void        sl_call_bar_set_endpoint   (SlCallBar    *self,
                                        SlEndpoint   *endpoint);
void        sl_call_bar_set_connection (SlCallBar    *self,
                                        SlConnection *connection);
/* Same as clicking the buttons (for tests and shortcuts). */
void        sl_call_bar_accept         (SlCallBar    *self);
void        sl_call_bar_recv           (SlCallBar    *self);
void        sl_call_bar_cancel         (SlCallBar    *self);
gboolean    sl_call_bar_get_busy       (SlCallBar    *self);

G_END_DECLS
