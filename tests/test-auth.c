/* test-auth.c — the HMAC challenge-response of tutorial 003: the state
 * machine (SlAuth) and the engine on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sl-auth.h"
#include "sl-endpoint.h"
#include "sl-test-util.h"

#define SALT "SOCKET SERVER"
#define WAIT_MS 5000

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


/* ---- engine on loopback ------------------------------------------------ */

static SlEndpointConfig *
auth_config (SlRole      role,
             int         port,
             SlAuthMode  mode,
             const char *salt)
{
  SlEndpointConfig *config = sl_test_config_new (SL_PROTOCOL_TCP, role, SL_FAMILY_IPV4,
                                                 "127.0.0.1", port);

  sl_endpoint_config_set_reply_mode (config, role == SL_ROLE_SERVER ? SL_REPLY_UPPER
                                                                    : SL_REPLY_NONE);
  sl_endpoint_config_set_auth (config, mode);
  sl_endpoint_config_set_salt (config, salt);
  return config;
}

static void
append_cb (SlEndpoint   *endpoint,
           SlConnection *connection,
           GBytes       *bytes,
           GByteArray   *received)
{
  g_byte_array_append (received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

typedef struct
{
  GByteArray *array;
  guint       len;
} ArrayWait;

static gboolean
array_reached (gpointer data)
{
  ArrayWait *wait = data;

  return wait->array->len >= wait->len;
}

static void
wait_array (GByteArray *array,
            guint       len)
{
  ArrayWait wait = { array, len };

  g_assert_true (sl_test_wait_until (array_reached, &wait, WAIT_MS));
}

static gboolean
endpoint_closed (gpointer data)
{
  return sl_endpoint_get_state (data) == SL_ENDPOINT_STATE_CLOSED;
}

static void
stop_and_finalize (SlEndpoint *endpoint)
{
  sl_endpoint_stop (endpoint);
  sl_test_assert_finalize (endpoint, WAIT_MS);
}

static void
run_engine_pair (SlAuthMode mode)
{
  g_autoptr(SlEndpointConfig) server_config = auth_config (SL_ROLE_SERVER, 0, mode, SALT);
  SlEndpoint *server = sl_test_endpoint_new_started (server_config);
  g_autoptr(SlEndpointConfig) client_config = NULL;
  SlEndpoint *client;
  SlLog *server_log = sl_endpoint_get_log (server);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(SlLogEntry) entry = NULL;
  g_autofree char *hmac_row = g_strdup_printf ("digest = hmac.new(salt, msg, '%s').digest()",
                                               sl_auth_digest_name (mode));
  g_autoptr(GError) error = NULL;

  client_config = auth_config (SL_ROLE_CLIENT, sl_endpoint_get_local_port (server), mode, SALT);
  client = sl_test_endpoint_new_started (client_config);
  g_signal_connect (client, "received", G_CALLBACK (append_cb), received);

  /* Sent at once: held until the handshake is done, then answered. */
  g_assert_true (sl_endpoint_send (client, NULL, hello, &error));
  g_assert_no_error (error);
  wait_array (received, 5);
  g_assert_cmpmem (received->data, received->len, "HELLO", 5);

  g_assert_cmpint (sl_connection_get_auth_verdict (sl_endpoint_get_first_connection (client)), ==,
                   SL_AUTH_OK);
  g_assert_cmpint (sl_connection_get_auth_verdict (sl_endpoint_get_first_connection (server)), ==,
                   SL_AUTH_OK);
  entry = sl_test_log_find (server_log, 0, SL_LOG_KIND_CALL, SL_TEST_ANY_CONNECTION,
                            "msg = os.urandom(32)", NULL, 0, NULL);
  g_assert_nonnull (entry);
  g_clear_object (&entry);
  entry = sl_test_log_find (server_log, 0, SL_LOG_KIND_CALL, SL_TEST_ANY_CONNECTION,
                            hmac_row, NULL, 0, NULL);
  g_assert_nonnull (entry);
  g_clear_object (&entry);
  entry = sl_test_log_find (server_log, 0, SL_LOG_KIND_CALL, SL_TEST_ANY_CONNECTION,
                            "hmac.compare_digest(digest, recvMsg)", "True", 0, NULL);
  g_assert_nonnull (entry);
  g_clear_object (&entry);
  entry = sl_test_log_find (sl_endpoint_get_log (client), 0, SL_LOG_KIND_CALL,
                            SL_TEST_ANY_CONNECTION, "digest = h.digest()", NULL, 0, NULL);
  g_assert_nonnull (entry);
  g_clear_object (&entry);
  /* The handshake is not a message of the conversation. */
  g_assert_cmpuint (sl_endpoint_get_messages_in (server), ==, 1);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server), ==, sl_auth_digest_size (mode) + 5);

  stop_and_finalize (client);
  stop_and_finalize (server);
}

static void
test_engine_sha256 (void)
{
  run_engine_pair (SL_AUTH_MODE_HMAC_SHA256);
}

static void
test_engine_md5 (void)
{
  run_engine_pair (SL_AUTH_MODE_HMAC_MD5);
}

static void
test_engine_wrong_salt (void)
{
  g_autoptr(SlEndpointConfig) server_config = auth_config (SL_ROLE_SERVER, 0,
                                                           SL_AUTH_MODE_HMAC_MD5, SALT);
  SlEndpoint *server = sl_test_endpoint_new_started (server_config);
  g_autoptr(SlEndpointConfig) client_config = NULL;
  SlEndpoint *client;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(SlLogEntry) entry = NULL;

  client_config = auth_config (SL_ROLE_CLIENT, sl_endpoint_get_local_port (server),
                               SL_AUTH_MODE_HMAC_MD5, "socket server");
  client = sl_test_endpoint_new_started (client_config);
  g_signal_connect (client, "received", G_CALLBACK (append_cb), received);
  g_assert_true (sl_endpoint_send (client, NULL, hello, NULL));

  entry = sl_test_wait_log (sl_endpoint_get_log (server), SL_LOG_KIND_ERROR,
                            SL_TEST_ANY_CONNECTION, "verification fail", NULL, 0, WAIT_MS);
  g_assert_nonnull (entry);
  g_assert_true (sl_test_entry_mentions (entry, "another salt"));
  g_clear_object (&entry);
  entry = sl_test_log_find (sl_endpoint_get_log (server), 0, SL_LOG_KIND_ERROR,
                            SL_TEST_ANY_CONNECTION, "hmac.compare_digest(digest, recvMsg)",
                            "False", 0, NULL);
  g_assert_nonnull (entry);

  /* The server closed the conversation; the client learns it from its recv(). */
  g_assert_true (sl_test_wait_until (endpoint_closed, client, WAIT_MS));
  g_clear_object (&entry);
  entry = sl_test_log_find (sl_endpoint_get_log (client), 0, SL_LOG_KIND_EVENT,
                            SL_TEST_ANY_CONNECTION, "authentication probably refused", NULL, 0,
                            NULL);
  g_assert_nonnull (entry);
  g_assert_true (sl_test_entry_mentions (entry, "same salt"));
  g_assert_cmpuint (received->len, ==, 0);
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (server), 0, WAIT_MS));
  g_assert_cmpint (sl_endpoint_get_state (server), ==, SL_ENDPOINT_STATE_LISTENING);

  stop_and_finalize (client);
  stop_and_finalize (server);
}

/* A raw peer acting as the tutorial's client, cutting the stream by hand. */
static void
raw_client_handshake (int         fd,
                      SlAuthMode  mode,
                      const char *salt,
                      const char *message)
{
  guint8 challenge[32];
  g_autoptr(GBytes) digest = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();

  g_assert_cmpuint (sl_test_peer_recv_all (fd, challenge, 32, WAIT_MS), ==, 32);
  digest = sl_auth_compute (mode, salt, challenge, 32);
  g_byte_array_append (out, g_bytes_get_data (digest, NULL), g_bytes_get_size (digest));
  g_byte_array_append (out, (const guint8 *) message, strlen (message));
  /* The first piece of the digest alone, the rest merged with the message. */
  g_assert_true (sl_test_peer_send_all (fd, out->data, 3, WAIT_MS));
  sl_test_run_for (50);
  g_assert_true (sl_test_peer_send_all (fd, out->data + 3, out->len - 3, WAIT_MS));
}

static void
test_engine_raw_client_merged (void)
{
  g_autoptr(SlEndpointConfig) config = auth_config (SL_ROLE_SERVER, 0,
                                                    SL_AUTH_MODE_HMAC_SHA256, SALT);
  SlEndpoint *server = sl_test_endpoint_new_started (config);
  int fd = sl_test_peer_connect_endpoint (server);
  char reply[8] = { 0 };

  raw_client_handshake (fd, SL_AUTH_MODE_HMAC_SHA256, SALT, "\"hi\"");
  g_assert_cmpuint (sl_test_peer_recv_all (fd, reply, 4, WAIT_MS), ==, 4);
  g_assert_cmpstr (reply, ==, "\"HI\"");
  close (fd);
  stop_and_finalize (server);
}

static void
test_engine_raw_server_split (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  int listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  g_autoptr(SlEndpointConfig) config = NULL;
  SlEndpoint *client;
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) expected = NULL;
  guint8 challenge[32 + 9];
  guint8 digest[16 + 5];
  int fd;

  g_assert_cmpint (listener, >=, 0);
  g_assert_no_errno (listen (listener, 1));
  config = auth_config (SL_ROLE_CLIENT, sl_test_fd_local_port (listener), SL_AUTH_MODE_HMAC_MD5,
                        SALT);
  client = sl_test_endpoint_new_started (config);
  g_signal_connect (client, "received", G_CALLBACK (append_cb), received);
  g_assert_true (sl_endpoint_send (client, NULL, hello, NULL));

  g_assert_true (sl_test_wait_fd (listener, G_IO_IN, WAIT_MS));
  fd = accept (listener, NULL, NULL);
  g_assert_no_errno (fd);

  /* The challenge in two segments, the second merged with a first message. */
  for (guint i = 0; i < 32; i++)
    challenge[i] = 100 + i;
  memcpy (challenge + 32, "\"welcome\"", 9);
  expected = sl_auth_compute (SL_AUTH_MODE_HMAC_MD5, SALT, challenge, 32);
  g_assert_true (sl_test_peer_send_all (fd, challenge, 10, WAIT_MS));
  sl_test_run_for (50);
  g_assert_true (sl_test_peer_send_all (fd, challenge + 10, sizeof challenge - 10, WAIT_MS));

  wait_array (received, 9);
  g_assert_cmpmem (received->data, received->len, "\"welcome\"", 9);
  g_assert_cmpuint (sl_test_peer_recv_all (fd, digest, sizeof digest, WAIT_MS), ==, sizeof digest);
  g_assert_cmpmem (digest, 16, g_bytes_get_data (expected, NULL), 16);
  g_assert_cmpmem (digest + 16, 5, "hello", 5);

  close (fd);
  close (listener);
  stop_and_finalize (client);
}

static void
test_engine_slow_and_truncated (void)
{
  g_autoptr(SlEndpointConfig) config = auth_config (SL_ROLE_SERVER, 0,
                                                    SL_AUTH_MODE_HMAC_SHA256, SALT);
  SlEndpoint *server;
  SlLog *log;
  g_autoptr(SlLogEntry) entry = NULL;
  int slow, truncated, good;
  guint8 challenge[32];
  char buffer[8] = { 0 };

  sl_endpoint_config_set_auth_timeout (config, 0.3);
  server = sl_test_endpoint_new_started (config);
  log = sl_endpoint_get_log (server);

  slow = sl_test_peer_connect_endpoint (server);
  truncated = sl_test_peer_connect_endpoint (server);

  g_assert_cmpuint (sl_test_peer_recv_all (slow, challenge, 32, WAIT_MS), ==, 32);
  g_assert_cmpuint (sl_test_peer_recv_all (truncated, challenge, 32, WAIT_MS), ==, 32);
  g_assert_true (sl_test_peer_send_all (truncated, "12345", 5, WAIT_MS));
  g_assert_no_errno (shutdown (truncated, SHUT_WR));

  entry = sl_test_wait_log (log, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, "verification fail",
                            "verification fail", 0, WAIT_MS);
  g_assert_nonnull (entry);
  g_assert_true (sl_test_entry_mentions (entry, "closed the connection after 5 of the 32 bytes"));
  g_clear_object (&entry);

  /* The slow one: nothing within the timeout, closed with its own reason. */
  g_assert_cmpint (sl_test_peer_recv (slow, buffer, sizeof buffer, WAIT_MS), ==, 0);
  g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION,
                                       "verification fail", NULL, 0), ==, 2);
  entry = sl_test_log_find (log, 0, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION,
                            "verification fail", NULL, 0, NULL);
  g_assert_nonnull (entry);

  /* A good client is served: the server kept listening. */
  good = sl_test_peer_connect_endpoint (server);
  raw_client_handshake (good, SL_AUTH_MODE_HMAC_SHA256, SALT, "ok");
  g_assert_cmpuint (sl_test_peer_recv_all (good, buffer, 2, WAIT_MS), ==, 2);
  g_assert_cmpmem (buffer, 2, "OK", 2);
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
    gboolean found = FALSE;

    for (guint i = 0; i < n && !found; i++)
      {
        g_autoptr(SlLogEntry) row = g_list_model_get_item (G_LIST_MODEL (log), i);

        found = sl_log_entry_get_kind (row) == SL_LOG_KIND_ERROR &&
                sl_test_entry_mentions (row, "0 of the 32 bytes of the digest in time");
      }
    g_assert_true (found);
  }

  close (slow);
  close (truncated);
  close (good);
  stop_and_finalize (server);
}

/* The client's side of a failure: the challenge is cut short, or never comes. */
static void
test_engine_client_failures (void)
{
  for (guint round = 0; round < 2; round++)
    {
      gboolean truncated = round == 0;
      g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
      int listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
      g_autoptr(SlEndpointConfig) config = NULL;
      g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
      g_autoptr(SlLogEntry) entry = NULL;
      SlEndpoint *client;
      char buffer[8];
      int fd;

      g_assert_cmpint (listener, >=, 0);
      g_assert_no_errno (listen (listener, 1));
      config = auth_config (SL_ROLE_CLIENT, sl_test_fd_local_port (listener),
                            SL_AUTH_MODE_HMAC_SHA256, SALT);
      sl_endpoint_config_set_auth_timeout (config, 0.3);
      client = sl_test_endpoint_new_started (config);
      g_assert_true (sl_endpoint_send (client, NULL, hello, NULL));

      g_assert_true (sl_test_wait_fd (listener, G_IO_IN, WAIT_MS));
      fd = accept (listener, NULL, NULL);
      g_assert_no_errno (fd);
      if (truncated)
        {
          g_assert_true (sl_test_peer_send_all (fd, "0123456789", 10, WAIT_MS));
          g_assert_no_errno (shutdown (fd, SHUT_WR));
        }

      entry = sl_test_wait_log (sl_endpoint_get_log (client), SL_LOG_KIND_ERROR,
                                SL_TEST_ANY_CONNECTION, "msg = client.recv(32)", NULL, 0,
                                WAIT_MS);
      g_assert_nonnull (entry);
      g_assert_true (sl_test_entry_mentions (entry, truncated
                                                    ? "closed the connection after 10 of the 32"
                                                    : "0 of the 32 bytes of the challenge in "
                                                      "time"));
      g_assert_true (sl_test_wait_until (endpoint_closed, client, WAIT_MS));
      /* The held message was never sent: the server reads only the end. */
      g_assert_cmpint (sl_test_peer_recv (fd, buffer, sizeof buffer, WAIT_MS), ==, 0);

      close (fd);
      close (listener);
      stop_and_finalize (client);
    }
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
  g_test_add_func ("/auth/engine/sha256", test_engine_sha256);
  g_test_add_func ("/auth/engine/md5", test_engine_md5);
  g_test_add_func ("/auth/engine/wrong-salt", test_engine_wrong_salt);
  g_test_add_func ("/auth/engine/raw-client-merged", test_engine_raw_client_merged);
  g_test_add_func ("/auth/engine/raw-server-split", test_engine_raw_server_split);
  g_test_add_func ("/auth/engine/slow-and-truncated", test_engine_slow_and_truncated);
  g_test_add_func ("/auth/engine/client-failures", test_engine_client_failures);

  return g_test_run ();
}
