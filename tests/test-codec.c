/* test-codec.c — encodings and safe rendering of any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-codec.h"
#include "sl-error.h"

#define PYTHON "/usr/bin/python3"

static GBytes *
bytes_of (const char *data,
          gsize       len)
{
  return g_bytes_new (data, len);
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected,
              gsize       expected_len)
{
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   expected, expected_len);
}

/* Encodes @text, expecting an SL_ERROR_DECODE whose message contains every
 * one of the NULL-terminated fragments. */
static void
assert_encode_error (SlEncoding  encoding,
                     const char *text,
                     ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sl_codec_encode (encoding, text, &error);
  const char *fragment;
  va_list args;

  g_assert_null (bytes);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_test_message ("%s", error->message);

  va_start (args, text);
  while ((fragment = va_arg (args, const char *)) != NULL)
    {
      if (strstr (error->message, fragment) == NULL)
        g_error ("“%s” not in error message “%s”", fragment, error->message);
    }
  va_end (args);
}

static void
assert_decode_error (SlEncoding  encoding,
                     const char *data,
                     gssize      len,
                     ...)
{
  g_autoptr(GBytes) bytes = bytes_of (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sl_codec_decode (encoding, bytes, 0, &error);
  const char *fragment;
  va_list args;

  g_assert_null (text);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_test_message ("%s", error->message);

  va_start (args, len);
  while ((fragment = va_arg (args, const char *)) != NULL)
    {
      if (strstr (error->message, fragment) == NULL)
        g_error ("“%s” not in error message “%s”", fragment, error->message);
    }
  va_end (args);
}

static char *
decode_ok (SlEncoding  encoding,
           GBytes     *bytes,
           gsize       limit)
{
  g_autoptr(GError) error = NULL;
  char *text = sl_codec_decode (encoding, bytes, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));

  return text;
}

static GBytes *
encode_ok (SlEncoding  encoding,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = sl_codec_encode (encoding, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);

  return bytes;
}

/* Checks that @text contains no raw control character or line break. */
static void
assert_one_line (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (ch));
      g_assert_cmpuint (ch, !=, 0x2028);
      g_assert_cmpuint (ch, !=, 0x2029);
    }
}

/* ---- names -------------------------------------------------------------- */

static void
test_encoding_names (void)
{
  static const struct { SlEncoding encoding; const char *name; } names[] = {
    { SL_ENCODING_TEXT, "text" },
    { SL_ENCODING_BASE64, "base64" },
    { SL_ENCODING_HEX, "hex" },
    { SL_ENCODING_JSON, "json" },
  };
  SlEncoding encoding;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (sl_encoding_to_string (names[i].encoding), ==, names[i].name);
      encoding = (SlEncoding) -1;
      g_assert_true (sl_encoding_from_string (names[i].name, &encoding));
      g_assert_cmpint (encoding, ==, names[i].encoding);
    }

  g_assert_true (sl_encoding_from_string ("HEX", &encoding));
  g_assert_cmpint (encoding, ==, SL_ENCODING_HEX);
  g_assert_true (sl_encoding_from_string ("json", NULL));

  encoding = SL_ENCODING_JSON;
  g_assert_false (sl_encoding_from_string ("utf-8", &encoding));
  g_assert_false (sl_encoding_from_string ("", &encoding));
  g_assert_false (sl_encoding_from_string (NULL, &encoding));
  g_assert_cmpint (encoding, ==, SL_ENCODING_JSON);
}

/* ---- text --------------------------------------------------------------- */

static void
test_text_round_trip (void)
{
  static const char *texts[] = { "", "hello", "你好", "line 1\nline 2\tend", "ünïcödé 😀" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = encode_ok (SL_ENCODING_TEXT, texts[i]);
      g_autofree char *back = NULL;

      assert_bytes (bytes, texts[i], strlen (texts[i]));
      back = decode_ok (SL_ENCODING_TEXT, bytes, 0);
      g_assert_cmpstr (back, ==, texts[i]);
    }
}

static void
test_text_decode_binary (void)
{
  g_autoptr(GBytes) nul = bytes_of ("a\0b\0", 4);
  g_autoptr(GBytes) bad = bytes_of ("ok \xff\xfe \xe4\xbd", 8);
  g_autoptr(GBytes) cr = bytes_of ("hi\r\n\\", 5);
  g_autofree char *nul_text = decode_ok (SL_ENCODING_TEXT, nul, 0);
  g_autofree char *bad_text = decode_ok (SL_ENCODING_TEXT, bad, 0);
  g_autofree char *cr_text = decode_ok (SL_ENCODING_TEXT, cr, 0);

  g_assert_cmpstr (nul_text, ==, "a\\0b\\0");
  g_assert_cmpstr (bad_text, ==, "ok \\xff\\xfe \\xe4\\xbd");
  /* Text keeps line breaks (it is shown as text); \r and \ are escaped. */
  g_assert_cmpstr (cr_text, ==, "hi\\r\n\\\\");
}

/* ---- base64 ------------------------------------------------------------- */

static void
test_base64_round_trip (void)
{
  static const struct { const char *text; const char *encoded; } cases[] = {
    { "", "" },
    { "f", "Zg==" },
    { "fo", "Zm8=" },
    { "foo", "Zm9v" },
    { "你好", "5L2g5aW9" },
    { "hello, world", "aGVsbG8sIHdvcmxk" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = encode_ok (SL_ENCODING_BASE64, cases[i].text);
      g_autofree char *back = NULL;

      assert_bytes (bytes, cases[i].encoded, strlen (cases[i].encoded));
      back = decode_ok (SL_ENCODING_BASE64, bytes, 0);
      g_assert_cmpstr (back, ==, cases[i].text);
    }
}

static void
test_base64_decode (void)
{
  g_autoptr(GBytes) nul = bytes_of ("AGEA", 4);             /* b'\x00a\x00' */
  g_autoptr(GBytes) spaced = bytes_of (" 5L2g\r\n5aW9\n", 12);
  g_autoptr(GBytes) binary = bytes_of ("//79", 4);          /* b'\xff\xfe\xfd' */
  g_autoptr(GBytes) loose = bytes_of ("QR==", 4);           /* nonzero spare bits, as Python */
  g_autofree char *nul_text = decode_ok (SL_ENCODING_BASE64, nul, 0);
  g_autofree char *spaced_text = decode_ok (SL_ENCODING_BASE64, spaced, 0);
  g_autofree char *binary_text = decode_ok (SL_ENCODING_BASE64, binary, 0);
  g_autofree char *loose_text = decode_ok (SL_ENCODING_BASE64, loose, 0);

  g_assert_cmpstr (nul_text, ==, "\\0a\\0");
  g_assert_cmpstr (spaced_text, ==, "你好");
  g_assert_cmpstr (binary_text, ==, "\\xff\\xfe\\xfd");
  g_assert_cmpstr (loose_text, ==, "A");
}

static void
test_base64_errors (void)
{
  assert_decode_error (SL_ENCODING_BASE64, "5L2g*aW9", -1, "Base64", "“*”", "position 5",
                       "encoding", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "5L2g5aW9\x01", -1, "“\\x01”", "position 9", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "AAAA你好", -1, "“你”", "position 5", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "AA\xff=", 4, "“\\xff”", "position 3", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "5L2g\0aW9", 8, "“\\0”", "position 5", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "a-b_", -1, "“-”", "position 2", NULL);
  /* Padding in the middle, too much padding, missing padding. */
  assert_decode_error (SL_ENCODING_BASE64, "QQ==QQ==", -1, "padding", "position 3", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "QQ=A", -1, "padding", "position 3", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "Q===", -1, "padding", "position 4", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "QQ", -1, "2 characters", "multiple of 4",
                       "position 2", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "QUJDR A", -1, "6 characters", "position 7", NULL);
  assert_decode_error (SL_ENCODING_BASE64, "Zm9v=", -1, "5 characters", NULL);
}

/* ---- hex ---------------------------------------------------------------- */

static void
test_hex_round_trip (void)
{
  static const struct {
    const char *text;
    const char *bytes;
    gsize len;
    const char *shown;
  } cases[] = {
    { "", "", 0, "" },
    { "48 65 6c 6c 6f", "Hello", 5, "48 65 6c 6c 6f" },
    { "48656C6C6F", "Hello", 5, "48 65 6c 6c 6f" },
    { "0x48 0X65 0x6c", "Hel", 3, "48 65 6c" },
    { "48:65-6c", "Hel", 3, "48 65 6c" },
    { "  de AD\tbe\nEF  ", "\xde\xad\xbe\xef", 4, "de ad be ef" },
    { "00 ff 00", "\0\xff\0", 3, "00 ff 00" },
    { "0x0001", "\0\1", 2, "00 01" },
    { "\\x48\\x69", "Hi", 2, "48 69" },
    { "e4 bd a0 e5 a5 bd", "你好", 6, "e4 bd a0 e5 a5 bd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = encode_ok (SL_ENCODING_HEX, cases[i].text);
      g_autofree char *back = NULL;

      assert_bytes (bytes, cases[i].bytes, cases[i].len);
      back = decode_ok (SL_ENCODING_HEX, bytes, 0);
      g_assert_cmpstr (back, ==, cases[i].shown);
    }
}

static void
test_hex_errors (void)
{
  assert_encode_error (SL_ENCODING_HEX, "4g", "Hex", "“g”", "position 2", "not a hex digit",
                       "encoding", NULL);
  assert_encode_error (SL_ENCODING_HEX, "48 65 zz", "“z”", "position 7", NULL);
  assert_encode_error (SL_ENCODING_HEX, "486", "“486”", "odd number", "(3)", "position 1", NULL);
  assert_encode_error (SL_ENCODING_HEX, "48 6 6c", "“6”", "odd", "position 4", NULL);
  assert_encode_error (SL_ENCODING_HEX, "0x4 0x5", "“0x4”", "odd", NULL);
  assert_encode_error (SL_ENCODING_HEX, "48 0x", "“0x”", "position 4", "no digits", NULL);
  assert_encode_error (SL_ENCODING_HEX, "４８", "“４”", "position 1", NULL);
  assert_encode_error (SL_ENCODING_HEX, "你好", "“你”", "position 1", NULL);
  assert_encode_error (SL_ENCODING_HEX, "48 你", "“你”", "position 4", NULL);
  assert_encode_error (SL_ENCODING_HEX, "48,65", "“,”", "position 3", NULL);
  assert_encode_error (SL_ENCODING_HEX, "48\x01", "“\\x01”", "position 3", NULL);
  assert_encode_error (SL_ENCODING_HEX, "\xff\xfe", "“\\xff”", "position 1", NULL);
  assert_encode_error (SL_ENCODING_HEX, "480x65", "“x”", "position 4", NULL);
}

static void
test_hex_decode_limit (void)
{
  g_autoptr(GBytes) bytes = bytes_of ("Hello", 5);
  g_autofree char *text = decode_ok (SL_ENCODING_HEX, bytes, 3);
  g_autofree char *all = decode_ok (SL_ENCODING_HEX, bytes, 5);
  g_autoptr(GBytes) base64 = bytes_of ("aGVsbG8=", 8);
  g_autofree char *one = NULL;

  g_assert_cmpstr (text, ==, "48 65 6c… (2 more bytes)");
  g_assert_cmpstr (all, ==, "48 65 6c 6c 6f");

  g_clear_pointer (&text, g_free);
  text = decode_ok (SL_ENCODING_HEX, bytes, 4);
  g_assert_cmpstr (text, ==, "48 65 6c 6c… (1 more byte)");
  one = decode_ok (SL_ENCODING_BASE64, base64, 2);
  g_assert_cmpstr (one, ==, "he… (3 more bytes)");
}

/* ---- JSON --------------------------------------------------------------- */

static void
test_json_round_trip (void)
{
  static const struct { const char *text; const char *pretty; } cases[] = {
    { "{\"name\": \"你好\", \"n\": [1, -2, true, false, null]}",
      "{\n  \"name\" : \"你好\",\n  \"n\" : [\n    1,\n    -2,\n    true,\n    false,\n"
      "    null\n  ]\n}" },
    { "42", "42" },
    { "\"s\\n\"", "\"s\\n\"" },
    { "[]", "[]" },
    { " { } ", "{}" },
    { "{\"a\":{\"b\":[]}}", "{\n  \"a\" : {\n    \"b\" : []\n  }\n}" },
    /* Literals the generator would change are kept as written. */
    { "{\"price\": 0.1, \"id\": 12345678901234567890}",
      "{\n  \"price\" : 0.1,\n  \"id\" : 12345678901234567890\n}" },
    { "[1e400, -0, \"a\\u0000b\"]", "[\n  1e400,\n  -0,\n  \"a\\u0000b\"\n]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = encode_ok (SL_ENCODING_JSON, cases[i].text);
      g_autofree char *pretty = NULL;
      g_autoptr(GBytes) again = NULL;

      /* Sent unchanged. */
      assert_bytes (bytes, cases[i].text, strlen (cases[i].text));
      pretty = decode_ok (SL_ENCODING_JSON, bytes, 0);
      g_assert_cmpstr (pretty, ==, cases[i].pretty);
      /* The pretty form is valid JSON too. */
      again = encode_ok (SL_ENCODING_JSON, pretty);
    }
}

static void
test_json_errors (void)
{
  /* Errors found by json-glib carry its line and column. */
  assert_encode_error (SL_ENCODING_JSON, "{\"a\": 1,}", "JSON", "line 1, column 8",
                       "encoding", NULL);
  assert_encode_error (SL_ENCODING_JSON, "{\n  \"a\": 1\n  \"b\": 2\n}", "line 2", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[1, 2", "line 1", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[1] [2]", "line 1, column 5", "“[”", "follows", NULL);
  assert_encode_error (SL_ENCODING_JSON, "\"a\" 1", "“1”", "follows", NULL);
  /* What json-glib would let through, refused like Python's json.loads(). */
  assert_encode_error (SL_ENCODING_JSON, "{'a': 1}", "line 1, column 2", "“'”",
                       "double quotes", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[1,\n /* x */ 2]", "line 2, column 2",
                       "comments", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[01]", "“01”", "column 2", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[.5]", "“.5”", NULL);
  assert_encode_error (SL_ENCODING_JSON, "0x10", "“0x10”", NULL);
  assert_encode_error (SL_ENCODING_JSON, "{\"ok\": True}", "“True”", "column 8", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[\"a\nb\"]", "line 1, column 4", "\\n", NULL);
  assert_encode_error (SL_ENCODING_JSON, "\"open", "closing quote", NULL);
  assert_encode_error (SL_ENCODING_JSON, "", "empty", NULL);
  assert_encode_error (SL_ENCODING_JSON, " \n ", "empty", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[\"\xff\"]", "byte 3", "UTF-8", NULL);
  /* Escapes as Python's json.loads() takes them: no \x or \q, surrogates in pairs. */
  assert_encode_error (SL_ENCODING_JSON, "[\"\\x41\"]", "column 3", "not a JSON escape", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[\"a\\q\"]", "not a JSON escape", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[\"\\ude00z\"]", "surrogate", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[\"\\ud83d\"]", "surrogate", NULL);
  assert_encode_error (SL_ENCODING_JSON, "[\"\\u12\"]", "not a JSON escape", NULL);
  {
    /* A pair is one character (U+1F600), and the usual escapes pass. */
    const char *ok = "[\"\\ud83d\\ude00\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]";
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = sl_codec_encode (SL_ENCODING_JSON, ok, &error);

    g_assert_no_error (error);
    g_assert_nonnull (bytes);
  }

  /* Received data. */
  assert_decode_error (SL_ENCODING_JSON, "[1,\0 2]", 7, "NUL", "byte 4", NULL);
  assert_decode_error (SL_ENCODING_JSON, "", 0, "empty", NULL);
  assert_decode_error (SL_ENCODING_JSON, "{\"a\" 1}", -1, "line 1", "column", "encoding", NULL);
}

static void
test_json_deep (void)
{
  /* json-glib 1.6 overflows its stack on this: refused before parsing. */
  gsize depth = 200000;
  g_autofree char *deep = g_malloc (2 * depth + 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  memset (deep, '[', depth);
  memset (deep + depth, ']', depth);
  deep[2 * depth] = '\0';

  assert_encode_error (SL_ENCODING_JSON, deep, "nested", "line 1", NULL);

  bytes = g_bytes_new_take (g_steal_pointer (&deep), 2 * depth);
  text = sl_codec_decode (SL_ENCODING_JSON, bytes, 0, &error);
  g_assert_null (text);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
}

static void
test_json_limit (void)
{
  g_autoptr(GBytes) bytes = bytes_of ("[\"你好\"]", 10);
  g_autofree char *whole = decode_ok (SL_ENCODING_JSON, bytes, 8);
  g_autofree char *cut = decode_ok (SL_ENCODING_JSON, bytes, 7);

  /* The layout "[\n  \"你好\"\n]" is 14 bytes; 你 is bytes 5 to 7. */
  g_assert_cmpstr (whole, ==, "[\n  \"你… (6 more bytes)");
  /* A cut inside 你 moves before it. */
  g_assert_cmpstr (cut, ==, "[\n  \"… (9 more bytes)");
}

/* ---- render ------------------------------------------------------------- */

static char *
render (const char *data,
        gsize       len,
        gsize       limit)
{
  char *text = sl_codec_render ((const guint8 *) data, len, limit);

  assert_one_line (text);
  return text;
}

static void
check_render (const char *data,
              gsize       len,
              gsize       limit,
              const char *expected)
{
  g_autofree char *text = render (data, len, limit);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_render_basic (void)
{
  check_render ("", 0, 0, "");
  check_render (NULL, 0, 0, "");
  check_render ("hello", 5, 0, "hello");
  check_render ("你好", 6, 0, "你好");
  check_render ("a\nb\rc\td\0e\\", 10, 0, "a\\nb\\rc\\td\\0e\\\\");
  check_render ("\x01\x1b\x7f", 3, 0, "\\x01\\x1b\\x7f");
  /* Invalid UTF-8: stray bytes, overlong, surrogate, beyond U+10FFFF, cut short. */
  check_render ("\xff\xfe", 2, 0, "\\xff\\xfe");
  check_render ("\xc0\x80", 2, 0, "\\xc0\\x80");
  check_render ("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80");
  check_render ("\xf4\x90\x80\x80", 4, 0, "\\xf4\\x90\\x80\\x80");
  check_render ("ok\xe4\xbd", 4, 0, "ok\\xe4\\xbd");
  check_render ("\xe4\x00\xbd", 3, 0, "\\xe4\\0\\xbd");
  /* Valid but line-breaking or misleading characters. */
  check_render ("\xc2\x85", 2, 0, "\\u0085");
  check_render ("a\xe2\x80\xa8" "b", 5, 0, "a\\u2028b");
  check_render ("\xe2\x80\xae" "abc", 6, 0, "\\u202eabc");
  check_render ("é😀", 6, 0, "é😀");
}

static void
test_render_truncate (void)
{
  /* "你好" is e4 bd a0 e5 a5 bd. */
  check_render ("你好", 6, 6, "你好");
  check_render ("你好", 6, 7, "你好");
  check_render ("你好", 6, 5, "你… (3 more bytes)");
  check_render ("你好", 6, 4, "你… (3 more bytes)");
  check_render ("你好", 6, 3, "你… (3 more bytes)");
  check_render ("你好", 6, 2, "… (6 more bytes)");
  check_render ("a你", 4, 1, "a… (3 more bytes)");
  check_render ("ab", 2, 1, "a… (1 more byte)");
  /* Invalid bytes are single bytes: cut exactly at the limit. */
  check_render ("\xff\xff\xff", 3, 2, "\\xff\\xff… (1 more byte)");
  check_render ("a\xe4\xbd", 3, 2, "a\\xe4… (1 more byte)");
  check_render ("\0\0\0\0", 4, 3, "\\0\\0\\0… (1 more byte)");
}

static void
test_render_huge (void)
{
  gsize len = 1024 * 1024;
  g_autofree guint8 *random = g_malloc (len);
  g_autofree guint8 *chinese = g_malloc (3 * 349526);
  g_autofree char *all = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *expected = NULL;
  const char *more;
  gulong n_more;
  GRand *rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < len; i++)
    random[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);

  all = sl_codec_render (random, len, 0);
  assert_one_line (all);
  g_assert_null (strstr (all, "more byte"));

  /* The count of bytes not shown is exact: the shown part renders the same
   * alone. */
  cut = sl_codec_render (random, len, SL_CODEC_DISPLAY_LIMIT);
  assert_one_line (cut);
  more = strstr (cut, "… (");
  g_assert_nonnull (more);
  n_more = strtoul (more + strlen ("… ("), NULL, 10);
  g_assert_cmpuint (n_more, >=, len - SL_CODEC_DISPLAY_LIMIT);
  g_assert_cmpuint (n_more, <=, len - SL_CODEC_DISPLAY_LIMIT + 3);
  prefix = sl_codec_render (random, len - n_more, 0);
  g_assert_cmpmem (cut, more - cut, prefix, strlen (prefix));

  /* 4096 = 3 × 1365 + 1: the 1366th character does not fit. */
  for (gsize i = 0; i < 349526; i++)
    memcpy (chinese + 3 * i, "你", 3);
  g_clear_pointer (&cut, g_free);
  cut = sl_codec_render (chinese, 3 * 349526, SL_CODEC_DISPLAY_LIMIT);
  expected = g_strdup_printf ("… (%lu more bytes)", (gulong) (3 * 349526 - 3 * 1365));
  g_assert_true (g_str_has_suffix (cut, expected));
  g_assert_cmpuint (g_utf8_strlen (cut, -1), ==, 1365 + g_utf8_strlen (expected, -1));
}

/* ---- Python's repr(bytes) ----------------------------------------------- */

static char *
python_bytes (const char *data,
              gsize       len,
              gsize       limit)
{
  char *text = sl_codec_python_bytes ((const guint8 *) data, len, limit);

  assert_one_line (text);
  return text;
}

static void
check_python_bytes (const char *data,
                    gsize       len,
                    gsize       limit,
                    const char *expected)
{
  g_autofree char *text = python_bytes (data, len, limit);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_python_bytes_basic (void)
{
  check_python_bytes ("", 0, 0, "b''");
  check_python_bytes (NULL, 0, 0, "b''");
  check_python_bytes ("hello", 5, 0, "b'hello'");
  check_python_bytes ("it's", 4, 0, "b\"it's\"");
  check_python_bytes ("say \"hi\"", 8, 0, "b'say \"hi\"'");
  check_python_bytes ("'\"", 2, 0, "b'\\'\"'");
  check_python_bytes ("\\", 1, 0, "b'\\\\'");
  check_python_bytes ("\t\n\r\0\x1f\x7f\x80\xff", 8, 0, "b'\\t\\n\\r\\x00\\x1f\\x7f\\x80\\xff'");
  check_python_bytes ("你", 3, 0, "b'\\xe4\\xbd\\xa0'");
  check_python_bytes ("hello", 5, 2, "b'he'…");
  check_python_bytes ("hello", 5, 5, "b'hello'");
  /* The quote is chosen on what is shown. */
  check_python_bytes ("ab'\"", 4, 3, "b\"ab'\"…");
  /* Plain runs between escapes. */
  check_python_bytes ("ab\\cd\x01" "ef'g\nhi", 13, 0, "b\"ab\\\\cd\\x01ef'g\\nhi\"");
  check_python_bytes ("x\"y'z", 5, 0, "b'x\"y\\'z'");
  check_python_bytes ("\xff" "abc\xff", 5, 0, "b'\\xffabc\\xff'");
}

static void
test_python_bytes_huge (void)
{
  gsize len = 1024 * 1024;
  g_autofree guint8 *data = g_malloc (len);
  g_autofree char *text = NULL;

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 7);
  text = sl_codec_python_bytes (data, len, 0);
  g_assert_true (g_str_has_prefix (text, "b'\\x00\\x07\\x0e\\x15\\x1c#*1"));
  g_assert_cmpuint (strlen (text), >, 2 * len);

  g_clear_pointer (&text, g_free);
  text = sl_codec_python_bytes (data, len, SL_CODEC_DISPLAY_LIMIT);
  g_assert_true (g_str_has_suffix (text, "'…"));
}

/* Runs /usr/bin/python3 on each input (passed as hex) and returns the lines
 * it prints for @expression (with d the bytes). */
static char **
python_lines (GPtrArray  *inputs,
              const char *expression)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *script = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  script = g_strdup_printf ("import sys\n"
                            "for a in sys.argv[1:]:\n"
                            "    d = bytes.fromhex(a)\n"
                            "    sys.stdout.buffer.write(%s.encode('utf-8') + b'\\n')\n",
                            expression);
  g_ptr_array_add (argv, g_strdup (PYTHON));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (script));
  for (guint i = 0; i < inputs->len; i++)
    {
      GBytes *input = g_ptr_array_index (inputs, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (input, &len);
      GString *hex = g_string_new (NULL);

      for (gsize j = 0; j < len; j++)
        g_string_append_printf (hex, "%02x", data[j]);
      g_ptr_array_add (argv, g_string_free (hex, FALSE));
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 failed: %s", err);

  return g_strsplit (out, "\n", -1);
}

static GPtrArray *
tricky_inputs (void)
{
  GPtrArray *inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  static const char *texts[] = {
    "hello", "it's", "say \"hi\"", "'\"", "both ' and \"", "''", "\"\"", "\\", "\\'",
    "a\\\"b", "tab\there", "line\nbreak\r\n", "你好", "ü", "\x7f\x80\x9f\xa0\xff", "~ {}",
    "Hello, World! abc XYZ é ß",
  };
  guint8 all[256];

  g_ptr_array_add (inputs, g_bytes_new (NULL, 0));
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_ptr_array_add (inputs, g_bytes_new (texts[i], strlen (texts[i])));
  for (guint i = 0; i < 256; i++)
    all[i] = (guint8) i;
  g_ptr_array_add (inputs, g_bytes_new (all, sizeof all));
  g_ptr_array_add (inputs, g_bytes_new ("\0\0'\0", 4));
  for (guint i = 0; i < 256; i++)
    {
      guint8 one = (guint8) i;

      g_ptr_array_add (inputs, g_bytes_new (&one, 1));
    }

  return inputs;
}

static void
test_python_bytes_against_python (void)
{
  g_autoptr(GPtrArray) inputs = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (PYTHON " is not installed");
      return;
    }

  inputs = tricky_inputs ();
  lines = python_lines (inputs, "repr(d)");
  g_assert_cmpuint (g_strv_length (lines), ==, inputs->len + 1);

  for (guint i = 0; i < inputs->len; i++)
    {
      GBytes *input = g_ptr_array_index (inputs, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (input, &len);
      g_autofree char *ours = sl_codec_python_bytes (data, len, 0);

      g_assert_cmpstr (ours, ==, lines[i]);
    }
}

static void
test_upper (void)
{
  static const char text[] = "hello, World! \xc3\xa9 \xff z{";
  g_autoptr(GBytes) in = bytes_of (text, strlen (text));
  g_autoptr(GBytes) up = sl_codec_ascii_upper (in);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) empty_up = sl_codec_ascii_upper (empty);

  /* Only a-z change: é (c3 a9) and ß stay as they are, as in Python. */
  assert_bytes (up, "HELLO, WORLD! \xc3\xa9 \xff Z{", strlen (text));
  g_assert_cmpuint (g_bytes_get_size (empty_up), ==, 0);
}

static void
test_upper_against_python (void)
{
  g_autoptr(GPtrArray) inputs = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (PYTHON " is not installed");
      return;
    }

  inputs = tricky_inputs ();
  lines = python_lines (inputs, "repr(d.upper())");
  g_assert_cmpuint (g_strv_length (lines), ==, inputs->len + 1);

  for (guint i = 0; i < inputs->len; i++)
    {
      g_autoptr(GBytes) upper = sl_codec_ascii_upper (g_ptr_array_index (inputs, i));
      gsize len;
      const guint8 *data = g_bytes_get_data (upper, &len);
      g_autofree char *ours = sl_codec_python_bytes (data, len, 0);

      g_assert_cmpstr (ours, ==, lines[i]);
    }
}

/* ---- any input ---------------------------------------------------------- */

/* Random bytes through every decoder and renderer: an answer or a named
 * error, never a crash, and any text returned is valid UTF-8. */
static void
test_random_input (void)
{
  static const SlEncoding encodings[] = {
    SL_ENCODING_TEXT, SL_ENCODING_BASE64, SL_ENCODING_HEX, SL_ENCODING_JSON,
  };
  static const char alphabet[] = "AZaz09+/= \n{}[]\":,0x-\\\x80\xe4\xbd\xa0\xff\0'tfn.e";
  GRand *rand = g_rand_new_with_seed (7);
  guint n_ok = 0, n_errors = 0;

  for (guint round = 0; round < 3000; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 48);
      g_autofree char *data = g_malloc (len + 1);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *rendered = NULL;
      g_autofree char *repr = NULL;

      for (gsize i = 0; i < len; i++)
        data[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      data[len] = '\0';
      bytes = g_bytes_new (data, len);

      rendered = sl_codec_render ((const guint8 *) data, len,
                                  (gsize) g_rand_int_range (rand, 0, 8));
      assert_one_line (rendered);
      repr = sl_codec_python_bytes ((const guint8 *) data, len, 0);
      assert_one_line (repr);

      for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GError) encode_error = NULL;
          g_autofree char *text = sl_codec_decode (encodings[e], bytes, 0, &error);
          g_autoptr(GBytes) encoded = sl_codec_encode (encodings[e], data, &encode_error);

          if (text != NULL)
            {
              g_assert_no_error (error);
              g_assert_true (g_utf8_validate (text, -1, NULL));
              n_ok++;
            }
          else
            {
              g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
              g_assert_true (g_utf8_validate (error->message, -1, NULL));
              n_errors++;
            }
          g_assert_true ((encoded != NULL) != (encode_error != NULL));
        }
    }
  g_rand_free (rand);

  g_assert_cmpuint (n_ok, >, 0);
  g_assert_cmpuint (n_errors, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/encoding-names", test_encoding_names);
  g_test_add_func ("/codec/text/round-trip", test_text_round_trip);
  g_test_add_func ("/codec/text/decode-binary", test_text_decode_binary);
  g_test_add_func ("/codec/base64/round-trip", test_base64_round_trip);
  g_test_add_func ("/codec/base64/decode", test_base64_decode);
  g_test_add_func ("/codec/base64/errors", test_base64_errors);
  g_test_add_func ("/codec/hex/round-trip", test_hex_round_trip);
  g_test_add_func ("/codec/hex/errors", test_hex_errors);
  g_test_add_func ("/codec/hex/decode-limit", test_hex_decode_limit);
  g_test_add_func ("/codec/json/round-trip", test_json_round_trip);
  g_test_add_func ("/codec/json/errors", test_json_errors);
  g_test_add_func ("/codec/json/deep", test_json_deep);
  g_test_add_func ("/codec/json/limit", test_json_limit);
  g_test_add_func ("/codec/render/basic", test_render_basic);
  g_test_add_func ("/codec/render/truncate", test_render_truncate);
  g_test_add_func ("/codec/render/huge", test_render_huge);
  g_test_add_func ("/codec/python-bytes/basic", test_python_bytes_basic);
  g_test_add_func ("/codec/python-bytes/huge", test_python_bytes_huge);
  g_test_add_func ("/codec/python-bytes/against-python", test_python_bytes_against_python);
  g_test_add_func ("/codec/upper/basic", test_upper);
  g_test_add_func ("/codec/upper/against-python", test_upper_against_python);
  g_test_add_func ("/codec/random-input", test_random_input);

  return g_test_run ();
}
