/* sl-codec.h — message encodings and safe rendering of any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-enums.h"

G_BEGIN_DECLS

/* Default number of bytes shown before a payload is truncated for display. */
#define SL_CODEC_DISPLAY_LIMIT 4096

/* Turns what the user typed into the bytes to send.
 *  TEXT:   the UTF-8 bytes of @text as they are.
 *  BASE64: the base64 encoding of the UTF-8 bytes of @text (what tutorial 000's
 *          client sends: base64.b64encode(msg.encode('utf-8'))).
 *  HEX:    @text is hex digits ("48 65 6c", "48656c", "0x48 0x65", ":"/"-"
 *          separators allowed); the bytes they denote are sent.
 *  JSON:   @text must be valid JSON; its UTF-8 bytes are sent unchanged.
 * Invalid input returns NULL and an SL_ERROR_DECODE error that names the
 * problem and where it is (e.g. "Hex: “4g” at position 2 is not a hex digit"). */
GBytes     *sl_codec_encode            (SlEncoding     encoding,
                                        const char    *text,
                                        GError       **error);

/* Decodes received bytes for display in @encoding:
 *  TEXT:   UTF-8 text (invalid sequences escaped as \xNN).
 *  BASE64: the decoded bytes rendered as text; invalid base64 is an error.
 *  HEX:    lower-case hex pairs separated by spaces ("48 65 6c").
 *  JSON:   pretty-printed JSON; invalid JSON is an error.
 * On error returns NULL; the caller shows the raw rendering instead so that
 * nothing is lost. Output longer than @limit bytes of input is truncated with
 * a trailing "… (N more bytes)"; @limit 0 means no limit. */
char       *sl_codec_decode            (SlEncoding     encoding,
                                        GBytes        *bytes,
                                        gsize          limit,
                                        GError       **error);

/* The byte offset of the first [ or { of @data (outside strings) that opens
 * a level deeper than @max_depth, or -1 when there is none: json-glib's
 * parser recurses, so deep input must be refused before it. */
gssize      sl_codec_json_too_deep     (const char    *data,
                                        gsize          len,
                                        guint          max_depth);
/* @text as valid UTF-8 without control characters (shown as \xNN), for
 * messages that quote outside text (NULL gives ""). */
char       *sl_codec_make_printable    (const char    *text);
/* Safe one-line rendering of any bytes: valid UTF-8 as is, control bytes as
 * \n \r \t \0 or \xNN, invalid UTF-8 bytes as \xNN, a backslash as \\.
 * Truncated after @limit input bytes with "… (N more bytes)"; 0 = no limit. */
char       *sl_codec_render            (const guint8  *data,
                                        gsize          len,
                                        gsize          limit);

/* Python's repr() of a bytes object, as the tutorials print it:
 * b'hello', b'it\'s', b'\xe4\xbd\xa0', b'' — truncated after @limit bytes
 * with "…" appended outside the quotes; 0 = no limit. */
char       *sl_codec_python_bytes      (const guint8  *data,
                                        gsize          len,
                                        gsize          limit);

/* Python's bytes.upper(): ASCII letters only, every other byte unchanged. */
GBytes     *sl_codec_ascii_upper       (GBytes        *bytes);

const char *sl_encoding_to_string      (SlEncoding     encoding);
gboolean    sl_encoding_from_string    (const char    *str,
                                        SlEncoding    *encoding);

G_END_DECLS
