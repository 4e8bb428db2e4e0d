/* sl-composer.h — type a message, pick its encoding, send it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_COMPOSER (sl_composer_get_type ())

G_DECLARE_FINAL_TYPE (SlComposer, sl_composer, SL, COMPOSER, GtkWidget)

/* An entry (a GtkTextView when multi-line is on), a send-encoding drop-down
 * (text, base64, hex, JSON), a "send to all clients" toggle (servers), and a
 * Send button. Enter sends in single-line mode, Ctrl+Enter in multi-line
 * mode; Up/Down walk the history of sent messages. The text is validated
 * with sl_codec_encode() as the user types: an invalid message (bad hex,
 * base64 or JSON) shows the codec's message inline and Send is insensitive,
 * nothing is sent. An empty message may be sent; a line under the entry
 * explains what it does over TCP (nothing reaches the peer) and UDP (an
 * empty datagram arrives).
 *
 * Sends go to the connection set with sl_composer_set_connection(), or to
 * the endpoint's first connection when it is NULL, or to every connection
 * with send-to-all. Failures are emitted as ::failed for a toast.
 *
 * Properties: endpoint (SlEndpoint), connection (SlConnection or NULL),
 *   encoding (SlEncoding), multi-line (boolean), send-to-all (boolean),
 *   text (string), error-message (string or NULL, read-only), can-send
 *   (boolean, read-only).
 * Signals: ::sent (GBytes *bytes), ::failed (GError *error). */
GtkWidget    *sl_composer_new               (void);
void          sl_composer_set_endpoint      (SlComposer    *self,
                                             SlEndpoint    *endpoint);
SlEndpoint   *sl_composer_get_endpoint      (SlComposer    *self);
void          sl_composer_set_connection    (SlComposer    *self,
                                             SlConnection  *connection);
void          sl_composer_set_text          (SlComposer    *self,
                                             const char    *text);
char         *sl_composer_get_text          (SlComposer    *self);
void          sl_composer_set_encoding      (SlComposer    *self,
                                             SlEncoding     encoding);
const char   *sl_composer_get_error_message (SlComposer    *self);
/* Same as pressing Send; FALSE when invalid or nothing to send to. */
gboolean      sl_composer_send              (SlComposer    *self);
/* History navigation, as Up/Down do. */
void          sl_composer_history_previous  (SlComposer    *self);
void          sl_composer_history_next      (SlComposer    *self);

G_END_DECLS
