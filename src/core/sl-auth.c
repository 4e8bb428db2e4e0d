/* sl-auth.c — link authentication of tutorial 003: HMAC challenge-response
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>

#include "sl-auth.h"

struct _SlAuth
{
  SlAuthMode     mode;
  gboolean       server;
  char          *salt;
  SlAuthVerdict  verdict;
  SlAuthFailure  failure;
  char          *reason;

  GByteArray    *buffer;     /* what was received of the handshake so far */
  gsize          expected;   /* how many bytes the handshake reads */
  GBytes        *challenge;
  GBytes        *digest;
  GBytes        *reply;
};

gsize
sl_auth_digest_size (SlAuthMode mode)
{
  switch (mode)
    {
    case SL_AUTH_MODE_HMAC_MD5:
      return 16;
    case SL_AUTH_MODE_HMAC_SHA256:
      return 32;
    case SL_AUTH_MODE_NONE:
    default:
      return 0;
    }
}

const char *
sl_auth_digest_name (SlAuthMode mode)
{
  switch (mode)
    {
    case SL_AUTH_MODE_HMAC_MD5:
      return "md5";
    case SL_AUTH_MODE_HMAC_SHA256:
      return "sha256";
    case SL_AUTH_MODE_NONE:
    default:
      return NULL;
    }
}

const char *
sl_auth_mode_to_string (SlAuthMode mode)
{
  switch (mode)
    {
    case SL_AUTH_MODE_HMAC_MD5:
      return "hmac-md5";
    case SL_AUTH_MODE_HMAC_SHA256:
      return "hmac-sha256";
    case SL_AUTH_MODE_NONE:
    default:
      return "none";
    }
}

gboolean
sl_auth_mode_from_string (const char *text,
                          SlAuthMode *mode)
{
  static const SlAuthMode modes[] = {
    SL_AUTH_MODE_NONE, SL_AUTH_MODE_HMAC_MD5, SL_AUTH_MODE_HMAC_SHA256,
  };

  g_return_val_if_fail (mode != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      if (g_ascii_strcasecmp (text, sl_auth_mode_to_string (modes[i])) == 0)
        {
          *mode = modes[i];
          return TRUE;
        }
    }
  return FALSE;
}

GBytes *
sl_auth_compute (SlAuthMode    mode,
                 const char   *salt,
                 const guint8 *message,
                 gsize         size)
{
  GChecksumType type;
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize length = sizeof digest;

  g_return_val_if_fail (mode == SL_AUTH_MODE_HMAC_MD5 || mode == SL_AUTH_MODE_HMAC_SHA256, NULL);

  type = mode == SL_AUTH_MODE_HMAC_MD5 ? G_CHECKSUM_MD5 : G_CHECKSUM_SHA256;
  if (salt == NULL)
    salt = "";
  hmac = g_hmac_new (type, (const guchar *) salt, strlen (salt));
  g_hmac_update (hmac, message, size);
  g_hmac_get_digest (hmac, digest, &length);
  return g_bytes_new (digest, length);
}

gboolean
sl_auth_equal (const guint8 *a,
               gsize         a_size,
               const guint8 *b,
               gsize         b_size)
{
  volatile guint8 diff = 0;

  /* As hmac.compare_digest: different lengths are unequal at once (the length
   * is not secret); equal lengths are compared without an early exit. */
  if (a_size != b_size)
    return FALSE;
  for (gsize i = 0; i < a_size; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

static SlAuth *
auth_new (SlAuthMode  mode,
          const char *salt,
          gboolean    server)
{
  SlAuth *self;

  g_return_val_if_fail (mode == SL_AUTH_MODE_HMAC_MD5 || mode == SL_AUTH_MODE_HMAC_SHA256, NULL);

  self = g_new0 (SlAuth, 1);
  self->mode = mode;
  self->server = server;
  self->salt = g_strdup (salt != NULL ? salt : "");
  self->buffer = g_byte_array_new ();
  self->verdict = SL_AUTH_PENDING;
  return self;
}

static void
random_challenge (guint8 *challenge)
{
  gsize done = 0;

  while (done < SL_AUTH_CHALLENGE_SIZE)
    {
      ssize_t n = getrandom (challenge + done, SL_AUTH_CHALLENGE_SIZE - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          /* Never expected on Linux ≥ 3.17; still, never send a fixed challenge. */
          for (; done < SL_AUTH_CHALLENGE_SIZE; done++)
            challenge[done] = (guint8) g_random_int ();
          return;
        }
      done += n;
    }
}

SlAuth *
sl_auth_new_server (SlAuthMode    mode,
                    const char   *salt,
                    const guint8 *challenge)
{
  SlAuth *self = auth_new (mode, salt, TRUE);
  guint8 random[SL_AUTH_CHALLENGE_SIZE];

  if (self == NULL)
    return NULL;

  if (challenge == NULL)
    {
      random_challenge (random);
      challenge = random;
    }
  self->challenge = g_bytes_new (challenge, SL_AUTH_CHALLENGE_SIZE);
  self->digest = sl_auth_compute (mode, self->salt, challenge, SL_AUTH_CHALLENGE_SIZE);
  self->expected = sl_auth_digest_size (mode);
  return self;
}

SlAuth *
sl_auth_new_client (SlAuthMode  mode,
                    const char *salt)
{
  SlAuth *self = auth_new (mode, salt, FALSE);

  if (self == NULL)
    return NULL;
  self->expected = SL_AUTH_CHALLENGE_SIZE;
  return self;
}

void
sl_auth_free (SlAuth *self)
{
  if (self == NULL)
    return;
  g_free (self->salt);
  g_free (self->reason);
  g_byte_array_unref (self->buffer);
  g_clear_pointer (&self->challenge, g_bytes_unref);
  g_clear_pointer (&self->digest, g_bytes_unref);
  g_clear_pointer (&self->reply, g_bytes_unref);
  g_free (self);
}

gboolean
sl_auth_is_server (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->server;
}

SlAuthMode
sl_auth_get_mode (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, SL_AUTH_MODE_NONE);
  return self->mode;
}

gsize
sl_auth_get_missing (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, 0);
  if (self->verdict != SL_AUTH_PENDING)
    return 0;
  return self->expected - self->buffer->len;
}

static void
fail (SlAuth        *self,
      SlAuthFailure  failure)
{
  self->verdict = SL_AUTH_FAILED;
  self->failure = failure;
  g_clear_pointer (&self->reason, g_free);

  switch (failure)
    {
    case SL_AUTH_FAILURE_WRONG_DIGEST:
      self->reason = g_strdup_printf (_("verification fail: the client's reply is not "
                                        "HMAC-%s(salt, challenge). The client uses another "
                                        "salt or another digest."),
                                      self->mode == SL_AUTH_MODE_HMAC_MD5 ? "MD5" : "SHA256");
      break;
    case SL_AUTH_FAILURE_TRUNCATED:
      self->reason = g_strdup_printf (self->server
                                      ? _("verification fail: the client closed the connection "
                                          "after %u of the %u bytes of the digest.")
                                      : _("The server closed the connection after %u of the %u "
                                          "bytes of the challenge."),
                                      self->buffer->len, (guint) self->expected);
      break;
    case SL_AUTH_FAILURE_TIMEOUT:
      self->reason = g_strdup_printf (self->server
                                      ? _("verification fail: the client sent %u of the %u "
                                          "bytes of the digest in time, so the server gave up.")
                                      : _("The server sent %u of the %u bytes of the challenge "
                                          "in time, so the client gave up."),
                                      self->buffer->len, (guint) self->expected);
      break;
    case SL_AUTH_FAILURE_NONE:
    default:
      g_assert_not_reached ();
    }
}

SlAuthVerdict
sl_auth_feed (SlAuth        *self,
              const guint8  *data,
              gsize          size,
              GBytes       **out,
              GBytes       **leftover)
{
  gsize take;

  g_return_val_if_fail (self != NULL, SL_AUTH_FAILED);
  g_return_val_if_fail (data != NULL || size == 0, SL_AUTH_FAILED);

  if (out != NULL)
    *out = NULL;
  if (leftover != NULL)
    *leftover = NULL;

  if (self->verdict != SL_AUTH_PENDING)
    {
      if (leftover != NULL)
        *leftover = g_bytes_new (data, size);
      return self->verdict;
    }

  /* Read exactly what the handshake needs, however the stream was cut. */
  take = MIN (size, self->expected - self->buffer->len);
  g_byte_array_append (self->buffer, data, take);
  if (self->buffer->len < self->expected)
    return SL_AUTH_PENDING;

  if (self->server)
    {
      self->reply = g_bytes_new (self->buffer->data, self->buffer->len);
      if (sl_auth_equal (self->buffer->data, self->buffer->len,
                         g_bytes_get_data (self->digest, NULL), g_bytes_get_size (self->digest)))
        self->verdict = SL_AUTH_OK;
      else
        fail (self, SL_AUTH_FAILURE_WRONG_DIGEST);
    }
  else
    {
      self->challenge = g_bytes_new (self->buffer->data, self->buffer->len);
      self->digest = sl_auth_compute (self->mode, self->salt, self->buffer->data,
                                      self->buffer->len);
      if (out != NULL)
        *out = g_bytes_ref (self->digest);
      self->verdict = SL_AUTH_OK;
    }

  if (leftover != NULL)
    *leftover = g_bytes_new (data + take, size - take);
  return self->verdict;
}

SlAuthVerdict
sl_auth_eof (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, SL_AUTH_FAILED);
  if (self->verdict == SL_AUTH_PENDING)
    fail (self, SL_AUTH_FAILURE_TRUNCATED);
  return self->verdict;
}

SlAuthVerdict
sl_auth_timeout (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, SL_AUTH_FAILED);
  if (self->verdict == SL_AUTH_PENDING)
    fail (self, SL_AUTH_FAILURE_TIMEOUT);
  return self->verdict;
}

SlAuthVerdict
sl_auth_get_verdict (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, SL_AUTH_FAILED);
  return self->verdict;
}

SlAuthFailure
sl_auth_get_failure (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, SL_AUTH_FAILURE_NONE);
  return self->failure;
}

const char *
sl_auth_get_reason (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->reason;
}

GBytes *
sl_auth_get_challenge (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->challenge;
}

GBytes *
sl_auth_get_digest (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->digest;
}

GBytes *
sl_auth_get_reply (SlAuth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->reply;
}
