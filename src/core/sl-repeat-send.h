/* sl-repeat-send.h — send a message every N ms, with {n} and {time} macros
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-connection.h"
#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_REPEAT_SEND (sl_repeat_send_get_type ())

G_DECLARE_FINAL_TYPE (SlRepeatSend, sl_repeat_send, SL, REPEAT_SEND, GObject)

/* Interval bounds: 1 ms .. 1 hour. */
#define SL_REPEAT_SEND_MIN_INTERVAL 1
#define SL_REPEAT_SEND_MAX_INTERVAL (60 * 60 * 1000)

/* Template macros (text and JSON encodings):
 *   {n}     the 1-based number of the message (1, 2, 3, …)
 *   {time}  local time when it is sent, HH:MM:SS.mmm
 *   {{ }}   a literal { or }
 * Any other {name}, and any other brace, is an error: as in Python's
 * str.format(), a JSON template doubles the braces of its objects:
 * {{"n": {n}, "at": "{time}"}}. After expansion, the text becomes bytes with
 * sl_codec_encode() in the chosen encoding, as the composer does (an empty
 * text is b''). In base64 and hex, macros are expanded too but rarely make
 * sense (hex needs hex digits): use them with text and JSON.
 * Returns FALSE with an SL_ERROR_DECODE naming the bad macro or brace and
 * its position, e.g. "Unknown macro “{x}” at position 5: use {n} (the message number),
 * {time} (the time it is sent), or {{ and }} for literal braces."
 * Positions count characters from 1. */
gboolean      sl_repeat_send_validate_template   (const char    *template_text,
                                                  GError       **error);
/* Expands the macros for message number @n at @time (NULL: now). NULL with
 * the error of validate_template() when invalid. */
char         *sl_repeat_send_expand              (const char    *template_text,
                                                  guint64        n,
                                                  GDateTime     *time,
                                                  GError       **error);
/* Checks template (and that the first message encodes in @encoding), interval
 * (1 ms .. 1 h). FALSE with an SL_ERROR saying what to change. */
gboolean      sl_repeat_send_validate            (const char    *template_text,
                                                  SlEncoding     encoding,
                                                  guint          interval_ms,
                                                  GError       **error);

/* @connection NULL: sl_endpoint_send (@endpoint, NULL, …): the first
 * connection, e.g. a stream client's or a UDP client's peer. Otherwise
 * messages go to @connection, which must belong to @endpoint.
 * @count 0 = until stopped. Nothing is sent before start(). Invalid
 * arguments are reported by start(). */
SlRepeatSend *sl_repeat_send_new                 (SlEndpoint    *endpoint,
                                                  SlConnection  *connection,
                                                  const char    *template_text,
                                                  SlEncoding     encoding,
                                                  guint          interval_ms,
                                                  guint          count);

/* Sends the first message at once, then one every interval. FALSE with an
 * error (invalid template/interval/encoding, already running, nothing to send
 * to) when it cannot start; ::stopped is not emitted then. Can be started
 * again after it stopped (the counter starts from 1 again). */
gboolean      sl_repeat_send_start               (SlRepeatSend  *self,
                                                  GError       **error);
/* Stops; emits ::stopped ("Stopped after N messages.") if it was running. */
void          sl_repeat_send_stop                (SlRepeatSend  *self);

/* Properties (read-only, notify on change): endpoint, connection (construct
 * only), template (string), encoding (SlEncoding), interval (guint ms),
 * count (guint, 0 = until stopped), running (boolean), n-sent (guint64:
 * messages handed to the socket), last-error (string or NULL: why the last
 * run stopped on an error).
 *
 * Signal ::stopped (const char *reason) — the run ended; @reason is a
 * translated sentence, e.g. "Sent 10 messages." or "The connection closed:
 * repeating stopped after 7 messages." */
SlEndpoint   *sl_repeat_send_get_endpoint        (SlRepeatSend  *self);
SlConnection *sl_repeat_send_get_connection      (SlRepeatSend  *self);
const char   *sl_repeat_send_get_template        (SlRepeatSend  *self);
SlEncoding    sl_repeat_send_get_encoding        (SlRepeatSend  *self);
guint         sl_repeat_send_get_interval        (SlRepeatSend  *self);
guint         sl_repeat_send_get_count           (SlRepeatSend  *self);
gboolean      sl_repeat_send_get_running         (SlRepeatSend  *self);
guint64       sl_repeat_send_get_n_sent          (SlRepeatSend  *self);
const char   *sl_repeat_send_get_last_error      (SlRepeatSend  *self);

G_END_DECLS
