/* test-auth.c — the HMAC challenge-response of tutorial 003: the state
 * machine (SlAuth) and the engine on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-auth.h"
#include "sl-endpoint.h"
#include "sl-test-util.h"

#define SALT "SOCKET SERVER"

/* hmac.new(b'SOCKET SERVER', bytes(range(32)), ...).hexdigest() by Python 3 */
#define MD5_OF_RANGE    "049fe894aaf26b6ff8beb6b9ebd92af6"
#define SHA256_OF_RANGE "a921445793a31e3d762b014af4890728da6df9951583b0e4cf24dce723c9796b"

static guint8 range32[SL_AUTH_CHALLENGE_SIZE];

static char *
hex (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (s, "%02x", data[i]);
  return g_string_free (s, FALSE);
}

static void
test_compute_matches_python (void)
{
  g_autoptr(GBytes) md5 = sl_auth_compute (SL_AUTH_MODE_HMAC_MD5, SALT, range32, 32);
  g_autoptr(GBytes) sha = sl_auth_compute (SL_AUTH_MODE_HMAC_SHA256, SALT, range32, 32);
  g_autofree char *md5_hex = hex (md5);
  g_autofree char *sha_hex = hex (sha);

  g_assert_cmpstr (md5_hex, ==, MD5_OF_RANGE);
  g_assert_cmpstr (sha_hex, ==, SHA256_OF_RANGE);
  g_assert_cmpuint (sl_auth_digest_size (SL_AUTH_MODE_HMAC_MD5), ==, 16);
  g_assert_cmpuint (sl_auth_digest_size (SL_AUTH_MODE_HMAC_SHA256), ==, 32);
  g_assert_cmpstr (sl_auth_digest_name (SL_AUTH_MODE_HMAC_MD5), ==, "md5");
  g_assert_cmpstr (sl_auth_digest_name (SL_AUTH_MODE_HMAC_SHA256), ==, "sha256");
}

static void
test_equal (void)
{
  guint8 a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 2, 3, 5 };
  SlAuthMode mode;

  g_assert_true (sl_auth_equal (a, 4, a, 4));
  g_assert_false (sl_auth_equal (a, 4, b, 4));
  g_assert_false (sl_auth_equal (a, 3, a, 4));
  g_assert_true (sl_auth_equal (a, 0, b, 0));

  g_assert_true (sl_auth_mode_from_string ("hmac-md5", &mode));
  g_assert_cmpint (mode, ==, SL_AUTH_MODE_HMAC_MD5);
  g_assert_true (sl_auth_mode_from_string ("HMAC-SHA256", &mode));
  g_assert_cmpint (mode, ==, SL_AUTH_MODE_HMAC_SHA256);
  g_assert_true (sl_auth_mode_from_string ("none", &mode));
  g_assert_cmpint (mode, ==, SL_AUTH_MODE_NONE);
  g_assert_false (sl_auth_mode_from_string ("sha1", &mode));
}

/* A client and a server talk through the state machines only; the streams
 * are cut into pieces of @step bytes (0: all at once). */
static void
run_pair (SlAuthMode  mode,
          const char *server_salt,
          const char *client_salt,
          gsize       step,
          const char *after_challenge,
          const char *after_digest,
          gboolean    expect_ok)
{
  g_autoptr(SlAuth) server = sl_auth_new_server (mode, server_salt, NULL);
  g_autoptr(SlAuth) client = sl_auth_new_client (mode, client_salt);
  g_autoptr(GByteArray) to_client = g_byte_array_new ();
  g_autoptr(GByteArray) to_server = g_byte_array_new ();
  g_autoptr(GByteArray) client_rest = g_byte_array_new ();
  g_autoptr(GByteArray) server_rest = g_byte_array_new ();
  GBytes *challenge = sl_auth_get_challenge (server);
  SlAuthVerdict verdict = SL_AUTH_PENDING;

  g_assert_cmpuint (g_bytes_get_size (challenge), ==, 32);
  g_byte_array_append (to_client, g_bytes_get_data (challenge, NULL), 32);
  g_byte_array_append (to_client, (const guint8 *) after_challenge, strlen (after_challenge));

  for (gsize pos = 0; pos < to_client->len;)
    {
      gsize piece = step == 0 ? to_client->len : MIN (step, to_client->len - pos);
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GBytes) leftover = NULL;

      verdict = sl_auth_feed (client, to_client->data + pos, piece, &out, &leftover);
      if (out != NULL)
        g_byte_array_append (to_server, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
      if (leftover != NULL)
        g_byte_array_append (client_rest, g_bytes_get_data (leftover, NULL),
                             g_bytes_get_size (leftover));
      else
        g_assert_cmpint (verdict, ==, SL_AUTH_PENDING);
      pos += piece;
    }
  g_assert_cmpint (verdict, ==, SL_AUTH_OK);
  g_assert_true (g_bytes_equal (sl_auth_get_challenge (client), challenge));
  g_assert_cmpmem (client_rest->data, client_rest->len, after_challenge, strlen (after_challenge));
  g_assert_cmpuint (to_server->len, ==, sl_auth_digest_size (mode));

  g_byte_array_append (to_server, (const guint8 *) after_digest, strlen (after_digest));
  verdict = SL_AUTH_PENDING;
  for (gsize pos = 0; pos < to_server->len;)
    {
      gsize piece = step == 0 ? to_server->len : MIN (step, to_server->len - pos);
      g_autoptr(GBytes) leftover = NULL;

      g_assert_cmpuint (sl_auth_get_missing (server) > 0, ==, verdict == SL_AUTH_PENDING);
      verdict = sl_auth_feed (server, to_server->data + pos, piece, NULL, &leftover);
      if (leftover != NULL)
        g_byte_array_append (server_rest, g_bytes_get_data (leftover, NULL),
                             g_bytes_get_size (leftover));
      pos += piece;
    }

  g_assert_cmpuint (sl_auth_get_missing (server), ==, 0);
  if (expect_ok)
    {
      g_assert_cmpint (verdict, ==, SL_AUTH_OK);
      g_assert_null (sl_auth_get_reason (server));
      g_assert_cmpmem (server_rest->data, server_rest->len, after_digest, strlen (after_digest));
    }
  else
    {
      g_assert_cmpint (verdict, ==, SL_AUTH_FAILED);
      g_assert_cmpint (sl_auth_get_failure (server), ==, SL_AUTH_FAILURE_WRONG_DIGEST);
      g_assert_nonnull (strstr (sl_auth_get_reason (server), "verification fail"));
    }
  g_assert_true (g_bytes_equal (sl_auth_get_reply (server), sl_auth_get_digest (client)));
  g_assert_true (g_bytes_equal (sl_auth_get_reply (server), sl_auth_get_digest (server)) ==
                 expect_ok);
}

static void
test_pair_both_digests (void)
{
  run_pair (SL_AUTH_MODE_HMAC_SHA256, SALT, SALT, 0, "", "", TRUE);
  run_pair (SL_AUTH_MODE_HMAC_MD5, SALT, SALT, 0, "", "", TRUE);
}

static void
test_split_byte_by_byte (void)
{
  run_pair (SL_AUTH_MODE_HMAC_SHA256, SALT, SALT, 1, "", "", TRUE);
  run_pair (SL_AUTH_MODE_HMAC_MD5, SALT, SALT, 1, "\"hi\"", "\"hello\"", TRUE);
}

static void
test_merged_with_conversation (void)
{
  /* The challenge and the server's first message in one recv(); the digest
   * and the client's first message in one recv(). */
  run_pair (SL_AUTH_MODE_HMAC_SHA256, SALT, SALT, 0, "\"welcome\"", "\"hello\"", TRUE);
  run_pair (SL_AUTH_MODE_HMAC_MD5, SALT, SALT, 0, "\"welcome\"", "\"hello\"", TRUE);
  run_pair (SL_AUTH_MODE_HMAC_MD5, SALT, SALT, 7, "\"welcome\"", "\"hello\"", TRUE);
}

static void
test_wrong_salt (void)
{
  run_pair (SL_AUTH_MODE_HMAC_SHA256, SALT, "socket server", 0, "", "", FALSE);
  run_pair (SL_AUTH_MODE_HMAC_MD5, SALT, "", 3, "", "", FALSE);
}

static void
test_wrong_digest (void)
{
  g_autoptr(SlAuth) server = sl_auth_new_server (SL_AUTH_MODE_HMAC_SHA256, SALT, range32);
  g_autoptr(SlAuth) md5_server = sl_auth_new_server (SL_AUTH_MODE_HMAC_SHA256, SALT, range32);
  g_autoptr(GBytes) md5 = sl_auth_compute (SL_AUTH_MODE_HMAC_MD5, SALT, range32, 32);
  g_autoptr(GBytes) leftover = NULL;
  guint8 zeros[32] = { 0 };

  g_assert_cmpint (sl_auth_feed (server, zeros, 32, NULL, &leftover), ==, SL_AUTH_FAILED);
  g_assert_cmpuint (g_bytes_get_size (leftover), ==, 0);
  g_assert_cmpint (sl_auth_get_failure (server), ==, SL_AUTH_FAILURE_WRONG_DIGEST);
  /* Settled: more bytes do not change it. */
  g_clear_pointer (&leftover, g_bytes_unref);
  g_assert_cmpint (sl_auth_feed (server, zeros, 5, NULL, &leftover), ==, SL_AUTH_FAILED);
  g_assert_cmpuint (g_bytes_get_size (leftover), ==, 5);
  g_clear_pointer (&leftover, g_bytes_unref);

  /* A client using MD5 against a SHA-256 server: 16 bytes are not enough,
   * and with 16 more bytes the reply is wrong. */
  g_assert_cmpint (sl_auth_feed (md5_server, g_bytes_get_data (md5, NULL), 16, NULL, NULL), ==,
                   SL_AUTH_PENDING);
  g_assert_cmpuint (sl_auth_get_missing (md5_server), ==, 16);
  g_assert_cmpint (sl_auth_feed (md5_server, zeros, 16, NULL, NULL), ==, SL_AUTH_FAILED);
}

static void
test_truncated_and_timeout (void)
{
  g_autoptr(SlAuth) server = sl_auth_new_server (SL_AUTH_MODE_HMAC_MD5, SALT, NULL);
  g_autoptr(SlAuth) client = sl_auth_new_client (SL_AUTH_MODE_HMAC_SHA256, SALT);
  g_autoptr(SlAuth) slow = sl_auth_new_server (SL_AUTH_MODE_HMAC_SHA256, SALT, NULL);
  g_autoptr(SlAuth) done = sl_auth_new_server (SL_AUTH_MODE_HMAC_SHA256, SALT, range32);
  g_autoptr(GBytes) good = sl_auth_compute (SL_AUTH_MODE_HMAC_SHA256, SALT, range32, 32);

  g_assert_cmpint (sl_auth_feed (server, range32, 10, NULL, NULL), ==, SL_AUTH_PENDING);
  g_assert_cmpint (sl_auth_eof (server), ==, SL_AUTH_FAILED);
  g_assert_cmpint (sl_auth_get_failure (server), ==, SL_AUTH_FAILURE_TRUNCATED);
  g_assert_nonnull (strstr (sl_auth_get_reason (server), "10 of the 16 bytes"));

  g_assert_cmpint (sl_auth_feed (client, range32, 31, NULL, NULL), ==, SL_AUTH_PENDING);
  g_assert_cmpint (sl_auth_eof (client), ==, SL_AUTH_FAILED);
  g_assert_nonnull (strstr (sl_auth_get_reason (client), "31 of the 32 bytes"));

  g_assert_cmpint (sl_auth_timeout (slow), ==, SL_AUTH_FAILED);
  g_assert_cmpint (sl_auth_get_failure (slow), ==, SL_AUTH_FAILURE_TIMEOUT);
  g_assert_nonnull (strstr (sl_auth_get_reason (slow), "0 of the 32 bytes"));

  /* After success, EOF and timeout change nothing. */
  g_assert_cmpint (sl_auth_feed (done, g_bytes_get_data (good, NULL), 32, NULL, NULL), ==,
                   SL_AUTH_OK);
  g_assert_cmpint (sl_auth_eof (done), ==, SL_AUTH_OK);
  g_assert_cmpint (sl_auth_timeout (done), ==, SL_AUTH_OK);
}

static void
test_random_splits (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);

  for (guint round = 0; round < 200; round++)
    {
      SlAuthMode mode = g_rand_boolean (rand) ? SL_AUTH_MODE_HMAC_MD5 : SL_AUTH_MODE_HMAC_SHA256;
      g_autoptr(SlAuth) server = sl_auth_new_server (mode, SALT, NULL);
      g_autoptr(GBytes) digest = NULL;
      g_autoptr(GByteArray) stream = g_byte_array_new ();
      g_autoptr(GByteArray) rest = g_byte_array_new ();
      guint tail = g_rand_int_range (rand, 0, 100);
      gboolean corrupt = g_rand_int_range (rand, 0, 4) == 0;
      SlAuthVerdict verdict = SL_AUTH_PENDING;

      digest = sl_auth_compute (mode, SALT, g_bytes_get_data (sl_auth_get_challenge (server), NULL),
                                32);
      g_byte_array_append (stream, g_bytes_get_data (digest, NULL), g_bytes_get_size (digest));
      if (corrupt)
        stream->data[g_rand_int_range (rand, 0, stream->len)] ^= 0x40;
      for (guint i = 0; i < tail; i++)
        {
          guint8 b = g_rand_int (rand);

          g_byte_array_append (stream, &b, 1);
        }

      for (gsize pos = 0; pos < stream->len;)
        {
          gsize want = g_rand_int_range (rand, 1, 20);
          gsize piece = MIN (want, stream->len - pos);
          g_autoptr(GBytes) leftover = NULL;

          verdict = sl_auth_feed (server, stream->data + pos, piece, NULL, &leftover);
          if (leftover != NULL)
            g_byte_array_append (rest, g_bytes_get_data (leftover, NULL),
                                 g_bytes_get_size (leftover));
          pos += piece;
        }
      g_assert_cmpint (verdict, ==, corrupt ? SL_AUTH_FAILED : SL_AUTH_OK);
      g_assert_cmpmem (rest->data, rest->len, stream->data + g_bytes_get_size (digest), tail);
    }
}

static void
test_config (void)
{
  g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();
  g_autoptr(SlEndpointConfig) copy = NULL;
  g_autoptr(SlEndpointConfig) restored = sl_endpoint_config_new ();
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GError) error = NULL;
  SlConfigField field = SL_CONFIG_FIELD_NONE;

  g_assert_cmpint (sl_endpoint_config_get_auth (config), ==, SL_AUTH_MODE_NONE);
  g_assert_cmpstr (sl_endpoint_config_get_salt (config), ==, "");
  g_assert_cmpfloat (sl_endpoint_config_get_auth_timeout (config), ==, 10.0);
  g_assert_true (sl_endpoint_config_validate (config, NULL, NULL));

  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_MD5);
  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_SALT);
  g_assert_nonnull (strstr (error->message, "salt is empty"));
  g_clear_error (&error);

  sl_endpoint_config_set_salt (config, SALT);
  sl_endpoint_config_set_auth_timeout (config, 0);
  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_AUTH_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "“0”"));
  g_clear_error (&error);
  sl_endpoint_config_set_auth_timeout (config, 600.5);
  g_assert_false (sl_endpoint_config_validate (config, NULL, NULL));
  sl_endpoint_config_set_auth_timeout (config, 600);
  g_assert_true (sl_endpoint_config_validate (config, NULL, NULL));

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_AUTH);
  g_assert_nonnull (strstr (error->message,
                            "Authentication needs the async I/O mode in this version"));
  g_clear_error (&error);
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_ASYNC);

  /* UDP has no connection to authenticate: the fields do not apply. */
  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_UDP);
  sl_endpoint_config_set_salt (config, "");
  g_assert_true (sl_endpoint_config_validate (config, NULL, NULL));
  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_TCP);
  sl_endpoint_config_set_salt (config, SALT);

  copy = sl_endpoint_config_copy (config);
  g_assert_cmpint (sl_endpoint_config_get_auth (copy), ==, SL_AUTH_MODE_HMAC_MD5);
  g_assert_cmpstr (sl_endpoint_config_get_salt (copy), ==, SALT);

  dict = sl_endpoint_config_to_variant (config);
  g_assert_true (g_variant_lookup (dict, "auth", "&s", NULL));
  g_assert_true (sl_endpoint_config_apply_variant (restored, dict, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_endpoint_config_get_auth (restored), ==, SL_AUTH_MODE_HMAC_MD5);
  g_assert_cmpstr (sl_endpoint_config_get_salt (restored), ==, SALT);
  g_assert_cmpfloat (sl_endpoint_config_get_auth_timeout (restored), ==, 600);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < 32; i++)
    range32[i] = i;

  g_test_add_func ("/auth/compute-matches-python", test_compute_matches_python);
  g_test_add_func ("/auth/equal", test_equal);
  g_test_add_func ("/auth/pair-both-digests", test_pair_both_digests);
  g_test_add_func ("/auth/split-byte-by-byte", test_split_byte_by_byte);
  g_test_add_func ("/auth/merged-with-conversation", test_merged_with_conversation);
  g_test_add_func ("/auth/wrong-salt", test_wrong_salt);
  g_test_add_func ("/auth/wrong-digest", test_wrong_digest);
  g_test_add_func ("/auth/truncated-and-timeout", test_truncated_and_timeout);
  g_test_add_func ("/auth/random-splits", test_random_splits);
  g_test_add_func ("/auth/config", test_config);

  return g_test_run ();
}
