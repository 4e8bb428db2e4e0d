/* sl-reference.h — the reference panels: every method, constant and concept of the tutorials
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SL_REFERENCE_KIND_METHOD,
  SL_REFERENCE_KIND_CONSTANT,
  SL_REFERENCE_KIND_TOPIC,
} SlReferenceKind;

/* One entry of the static table. Prose fields are English msgids marked with N_(): show them
 * through sl_reference_text(). Code fields (@signature, @posix, @gio, @example, @keywords) are
 * never translated. Any field but @id, @kind and @title may be NULL.
 *
 * @id: stable, e.g. "recv", "AF_INET", "SO_REUSEADDR", "tcp-states"
 * @title: "recv()", "TCP states"
 * @signature: "sock.recv(bufsize[, flags])"
 * @summary: what it does (for topics: the text, paragraphs separated by "\n\n")
 * @blocking: whether and when it blocks
 * @returns: what it returns
 * @errors: its common errors, errno names with Python's exception
 * @posix: the POSIX C call
 * @gio: the GIO equivalent
 * @example: a short Python example
 * @table: a table, rows separated by '\n', cells by '\t', the first row is the header
 * @note: where and how the tutorials are wrong or outdated, or NULL
 * @keywords: extra words for search, space separated (untranslated) */
typedef struct
{
  const char      *id;
  SlReferenceKind  kind;
  const char      *title;
  const char      *signature;
  const char      *summary;
  const char      *blocking;
  const char      *returns;
  const char      *errors;
  const char      *posix;
  const char      *gio;
  const char      *example;
  const char      *table;
  const char      *note;
  const char      *keywords;
} SlReferenceEntry;

/* The whole table, in display order (methods, constants, topics). */
const SlReferenceEntry *sl_reference_get_entries    (guint                  *n_entries);
/* The entry with @id (exact match), or NULL. */
const SlReferenceEntry *sl_reference_lookup         (const char             *id);
/* The translated text of a prose field (NULL stays NULL). */
const char             *sl_reference_text           (const char             *msgid);
/* The id of the entry that explains a call-trace summary, e.g. "conn.recv(1024)" → "recv",
 * "server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)" → "socket",
 * "server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)" → "SO_REUSEADDR",
 * "digest = hmac.new(salt, msg, 'md5').digest()" → "hmac-auth",
 * "state: ESTABLISHED → CLOSE_WAIT (peer sent FIN)" → "tcp-states"; NULL when none. */
const char             *sl_reference_id_for_call    (const char             *summary);
/* TRUE when every word of @query occurs, case-insensitively, in the entry's id, title,
 * signature, keywords or prose (translated or English). An empty query matches. */
gboolean                sl_reference_entry_matches  (const SlReferenceEntry *entry,
                                                     const char             *query);
/* "Methods", "Constants", "Topics" (translated). */
const char             *sl_reference_kind_to_string (SlReferenceKind         kind);

G_END_DECLS
