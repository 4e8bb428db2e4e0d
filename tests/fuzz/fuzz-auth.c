/* fuzz-auth.c — the HMAC handshake state machine over arbitrary bytes
 *
 * Input layout: byte 0 picks the side and digest (bit 0: client, bit 1:
 * MD5), byte 1 the salt length (capped by the input), then the salt, then
 * the stream, cut into pieces whose sizes come from the stream itself (each
 * piece is 1 + its first byte % 40 long). Checks the invariants: the verdict
 * settles once, the bytes after the handshake are exactly the rest of the
 * stream, a client's digest is HMAC(salt, challenge).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-auth.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const guint8 fixed_challenge[SL_AUTH_CHALLENGE_SIZE] = { 7, };
  g_autoptr(SlAuth) auth = NULL;
  g_autofree char *salt = NULL;
  g_autoptr(GByteArray) rest = g_byte_array_new ();
  gboolean client, md5;
  SlAuthMode mode;
  gsize salt_len, pos, consumed = 0, stream_start;
  SlAuthVerdict last = SL_AUTH_PENDING;

  if (size < 2)
    return 0;
  client = data[0] & 1;
  md5 = (data[0] >> 1) & 1;
  mode = md5 ? SL_AUTH_MODE_HMAC_MD5 : SL_AUTH_MODE_HMAC_SHA256;
  salt_len = MIN ((gsize) data[1], size - 2);
  salt = g_strndup ((const char *) data + 2, salt_len);
  stream_start = pos = 2 + salt_len;

  auth = client ? sl_auth_new_client (mode, salt)
                : sl_auth_new_server (mode, salt, fixed_challenge);

  while (pos < size)
    {
      gsize piece = MIN ((gsize) 1 + data[pos] % 40, size - pos);
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GBytes) leftover = NULL;
      SlAuthVerdict verdict = sl_auth_feed (auth, data + pos, piece, &out, &leftover);

      g_assert (last == SL_AUTH_PENDING || verdict == last);
      if (verdict == SL_AUTH_PENDING)
        {
          g_assert (leftover == NULL);
          consumed += piece;
        }
      else
        {
          g_assert (leftover != NULL);
          if (last == SL_AUTH_PENDING)
            consumed += piece - g_bytes_get_size (leftover);
          g_byte_array_append (rest, g_bytes_get_data (leftover, NULL),
                               g_bytes_get_size (leftover));
        }
      if (out != NULL)
        {
          g_autoptr(GBytes) expected = NULL;

          g_assert (client && verdict == SL_AUTH_OK && last == SL_AUTH_PENDING);
          expected = sl_auth_compute (mode, salt, data + stream_start, SL_AUTH_CHALLENGE_SIZE);
          g_assert (g_bytes_equal (out, expected));
        }
      last = verdict;
      pos += piece;
    }

  if (last == SL_AUTH_PENDING)
    {
      g_assert (consumed == size - stream_start);
      g_assert (sl_auth_get_missing (auth) > 0);
      g_assert (sl_auth_eof (auth) == SL_AUTH_FAILED);
      g_assert (sl_auth_get_reason (auth) != NULL);
    }
  else
    {
      gsize needed = client ? SL_AUTH_CHALLENGE_SIZE : sl_auth_digest_size (mode);

      g_assert (consumed == needed);
      g_assert (rest->len == size - stream_start - needed);
      g_assert (rest->len == 0 || memcmp (rest->data, data + stream_start + needed, rest->len) == 0);
      g_assert (sl_auth_eof (auth) == last);
    }
  return 0;
}
