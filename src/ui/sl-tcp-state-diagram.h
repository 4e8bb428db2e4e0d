/* sl-tcp-state-diagram.h — the TCP state machine of RFC 9293, drawn
 *
 * The eleven states and their usual transitions as in tutorial 003: the client
 * (active open, active close) on the left, the server (passive open, passive
 * close) on the right. The current state is filled with the accent colour; the
 * path taken so far (its states and the transitions between consecutive ones)
 * is drawn emphasized. CLOSED is drawn twice, at the top (before the
 * connection) and at the bottom (after it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-enums.h"

G_BEGIN_DECLS

#define SL_TYPE_TCP_STATE_DIAGRAM (sl_tcp_state_diagram_get_type ())

G_DECLARE_FINAL_TYPE (SlTcpStateDiagram, sl_tcp_state_diagram, SL, TCP_STATE_DIAGRAM, GtkWidget)

GtkWidget  *sl_tcp_state_diagram_new               (void);

/* The current state (property "state"); UNKNOWN highlights nothing. */
SlTcpState  sl_tcp_state_diagram_get_state         (SlTcpStateDiagram *self);
void        sl_tcp_state_diagram_set_state         (SlTcpStateDiagram *self,
                                                    SlTcpState         state);

/* The states taken so far, oldest first (copied). UNKNOWN entries are skipped;
 * consecutive states with no transition in the diagram are joined by a dashed
 * line. */
void        sl_tcp_state_diagram_set_path          (SlTcpStateDiagram *self,
                                                    const SlTcpState  *states,
                                                    guint              n);
void        sl_tcp_state_diagram_clear_path        (SlTcpStateDiagram *self);

/* The box of @state in widget coordinates at the current size (for tests and
 * hit-testing). For CLOSED, the box that is highlighted now: the bottom one once
 * the path left CLOSED, else the top one. FALSE (and @out untouched) for
 * UNKNOWN or before the widget has a size. */
gboolean    sl_tcp_state_diagram_get_state_bounds  (SlTcpStateDiagram *self,
                                                    SlTcpState         state,
                                                    graphene_rect_t   *out);

G_END_DECLS
