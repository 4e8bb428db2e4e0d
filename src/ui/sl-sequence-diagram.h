/* sl-sequence-diagram.h — one TCP connection as a sequence diagram
 *
 * Two lifelines, this end (left) and the peer (right), and top to bottom in
 * time order the arrows reconstructed from the log rows of one connection:
 * the three-way handshake of connect() or accept(), each send and recv, FIN,
 * RST, and the kernel's state annotated on this end's lifeline where each
 * state row occurred (and on the peer's, when the peer is in this program
 * too; SYN_SENT and SYN_RCVD, too brief to read, are drawn as implied). It is reconstructed from this program's socket calls and
 * the kernel's states, not from a packet capture, and says so at the top.
 * Its natural height grows with the number of events (put it in a
 * GtkScrolledWindow); only the last SL_SEQUENCE_DIAGRAM_MAX_EVENTS are drawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-log.h"

G_BEGIN_DECLS

#define SL_SEQUENCE_DIAGRAM_MAX_EVENTS 200

#define SL_TYPE_SEQUENCE_DIAGRAM (sl_sequence_diagram_get_type ())

G_DECLARE_FINAL_TYPE (SlSequenceDiagram, sl_sequence_diagram, SL, SEQUENCE_DIAGRAM, GtkWidget)

GtkWidget  *sl_sequence_diagram_new               (void);

/* Follows the rows of @log whose connection id is @connection_id (redrawn on
 * items-changed). NULL or 0: nothing. */
void        sl_sequence_diagram_set_log           (SlSequenceDiagram *self,
                                                   SlLog             *log,
                                                   guint              connection_id);

/* The peer's end of the same conversation when it is in this program too (the
 * demo pair): its kernel states, read from the rows of @log whose connection
 * id is @connection_id, are drawn on the peer's lifeline in time order with
 * this end's. NULL or 0: the peer is outside this program. */
void        sl_sequence_diagram_set_peer_log      (SlSequenceDiagram *self,
                                                   SlLog             *log,
                                                   guint              connection_id);
gboolean    sl_sequence_diagram_has_peer          (SlSequenceDiagram *self);

/* The labels of the two lifelines under "This end" and "Peer" (e.g.
 * "127.0.0.1:5000"); NULL: none (the peer then comes from the log rows).
 * Additive to the brief's API. */
void        sl_sequence_diagram_set_addresses     (SlSequenceDiagram *self,
                                                   const char        *local,
                                                   const char        *peer);

/* The names over the two lifelines instead of "This end" and "Peer" (e.g.
 * "Server", "Client"); NULL: the defaults. */
void        sl_sequence_diagram_set_names         (SlSequenceDiagram *self,
                                                   const char        *local,
                                                   const char        *peer);

/* The arrows drawn now (a handshake counts three); for tests. */
guint       sl_sequence_diagram_get_n_arrows      (SlSequenceDiagram *self);

G_END_DECLS
