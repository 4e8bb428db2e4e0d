/* sl-auth.h — link authentication of tutorial 003: HMAC challenge-response
 *
 * A pure state machine, no sockets: bytes in, bytes out, a verdict, and the
 * bytes that followed the handshake (they belong to the conversation).
 *
 * Server: sl_auth_new_server() makes a 32-byte challenge (os.urandom(32));
 * send sl_auth_get_challenge(); feed what the client sends; after exactly the
 * digest's size (16 bytes MD5, 32 SHA-256) the verdict is OK or FAILED
 * (compared in constant time, as hmac.compare_digest).
 * Client: sl_auth_new_client(); feed what the server sends; after exactly 32
 * bytes the verdict is OK and @out holds the digest to send.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "sl-enums.h"

G_BEGIN_DECLS

#define SL_AUTH_CHALLENGE_SIZE 32

typedef enum
{
  SL_AUTH_PENDING,
  SL_AUTH_OK,
  SL_AUTH_FAILED,
} SlAuthVerdict;

typedef enum
{
  SL_AUTH_FAILURE_NONE,
  SL_AUTH_FAILURE_WRONG_DIGEST, /* server: the reply is not HMAC(salt, challenge) */
  SL_AUTH_FAILURE_TRUNCATED,    /* the peer closed before the whole handshake */
  SL_AUTH_FAILURE_TIMEOUT,      /* the peer was too slow */
} SlAuthFailure;

typedef struct _SlAuth SlAuth;

/* @challenge: SL_AUTH_CHALLENGE_SIZE bytes, or NULL for random ones. */
SlAuth        *sl_auth_new_server        (SlAuthMode     mode,
                                          const char    *salt,
                                          const guint8  *challenge);
SlAuth        *sl_auth_new_client        (SlAuthMode     mode,
                                          const char    *salt);
void           sl_auth_free              (SlAuth        *self);

gboolean       sl_auth_is_server         (SlAuth        *self);
SlAuthMode     sl_auth_get_mode          (SlAuth        *self);
/* Bytes the handshake still waits for. */
gsize          sl_auth_get_missing       (SlAuth        *self);

/* Feeds received bytes. @out (optional) receives bytes to send now (the
 * client's digest) or NULL; @leftover (optional) receives the bytes after the
 * handshake once it is over (never NULL then; maybe empty), else NULL.
 * Feeding after the verdict gives everything back as leftover. */
SlAuthVerdict  sl_auth_feed              (SlAuth        *self,
                                          const guint8  *data,
                                          gsize          size,
                                          GBytes       **out,
                                          GBytes       **leftover);
/* The peer closed (recv() returned b''): a pending handshake fails. */
SlAuthVerdict  sl_auth_eof               (SlAuth        *self);
/* The time is up: a pending handshake fails. */
SlAuthVerdict  sl_auth_timeout           (SlAuth        *self);

SlAuthVerdict  sl_auth_get_verdict       (SlAuth        *self);
SlAuthFailure  sl_auth_get_failure       (SlAuth        *self);
/* A sentence a student can act on, or NULL while not failed. */
const char    *sl_auth_get_reason        (SlAuth        *self);

/* The challenge (server: from the start; client: once received), the digest
 * expected (server) or sent (client), and the reply received (server). */
GBytes        *sl_auth_get_challenge     (SlAuth        *self);
GBytes        *sl_auth_get_digest        (SlAuth        *self);
GBytes        *sl_auth_get_reply         (SlAuth        *self);

/* 16 (MD5), 32 (SHA-256), 0 (none). */
gsize          sl_auth_digest_size       (SlAuthMode     mode);
/* 'md5' or 'sha256' as hmac.new() names it, or NULL. */
const char    *sl_auth_digest_name       (SlAuthMode     mode);
/* HMAC(@salt, @message) with GHmac. */
GBytes        *sl_auth_compute           (SlAuthMode     mode,
                                          const char    *salt,
                                          const guint8  *message,
                                          gsize          size);
/* hmac.compare_digest: the time does not depend on where @a and @b differ. */
gboolean       sl_auth_equal             (const guint8  *a,
                                          gsize          a_size,
                                          const guint8  *b,
                                          gsize          b_size);

const char    *sl_auth_mode_to_string    (SlAuthMode     mode);
gboolean       sl_auth_mode_from_string  (const char    *text,
                                          SlAuthMode    *mode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlAuth, sl_auth_free)

/* The engine runs the handshake on every stream connection of an endpoint
 * whose config has auth on (async mode): sl_connection_send() holds messages
 * until it succeeds; a failure closes the connection with a trace row naming
 * the reason. OK when authentication is off. */
typedef struct _SlConnection SlConnection;
SlAuthVerdict  sl_connection_get_auth_verdict (SlConnection *connection);

G_END_DECLS
