/* fuzz-codec.c — every SlCodec entry point over arbitrary bytes
 *
 * The input is used as received bytes (decode, render, Python repr, upper)
 * and, cut at its first NUL, as what a student typed (encode). A limit for
 * the truncated renderings comes from the input's first byte. Checks the
 * invariants:
 *  - every rendering is valid UTF-8; the one-line rendering holds no control
 *    character, and un-escaping it gives back the input byte for byte (so it
 *    hides nothing and invents nothing); a truncated one is a prefix of the
 *    whole one, cut at a character boundary, that counts the bytes not shown;
 *  - Python's repr() is b'…' or b"…" with CPython's choice of quote, pure
 *    ASCII, and un-escaping it gives back the input;
 *  - hex: encode (decode (x)) == x; base64: decode (encode (t)) renders t;
 *    an accepted hex text, re-rendered and parsed again, keeps its bytes;
 *  - JSON: encode and decode accept the same texts; what decode pretty-prints
 *    is JSON again and pretty-prints to itself;
 *  - a decode or encode either returns a value or sets an SL_ERROR_DECODE
 *    error with a non-empty, valid UTF-8 message — never both, never neither;
 *  - ascii_upper changes only a–z; sl_encoding_from_string accepts only the
 *    four names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-codec.h"
#include "sl-error.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* Inputs above this size only go through the linear entry points: JSON
 * pretty-printing is checked on smaller ones so that a run stays fast. */
#define MAX_JSON_INPUT 65536

static int
hex_value (char c)
{
  g_assert (g_ascii_isxdigit (c));
  return g_ascii_xdigit_value (c);
}

/* Undoes sl_codec_render() (and the TEXT decoding when @keep_lines): every
 * escape back to its bytes. Asserts that nothing unescaped is a control
 * character, a C1 control, a line separator or a bidi override. */
static GByteArray *
unrender (const char *text,
          gsize       len,
          gboolean    keep_lines)
{
  GByteArray *out = g_byte_array_sized_new ((guint) len);
  gsize i = 0;

  while (i < len)
    {
      guint8 c = (guint8) text[i];

      if (c == '\\')
        {
          guint8 byte;

          g_assert (i + 1 < len);
          switch (text[i + 1])
            {
            case '\\':
              byte = '\\';
              i += 2;
              break;
            case 'n':
              byte = '\n';
              i += 2;
              break;
            case 't':
              byte = '\t';
              i += 2;
              break;
            case 'r':
              byte = '\r';
              i += 2;
              break;
            case '0':
              byte = '\0';
              i += 2;
              break;
            case 'x':
              g_assert (i + 3 < len);
              byte = (guint8) (hex_value (text[i + 2]) << 4 | hex_value (text[i + 3]));
              i += 4;
              break;
            case 'u':
              {
                char utf8[6];
                gunichar ch = 0;
                int n;

                g_assert (i + 5 < len);
                for (int k = 0; k < 4; k++)
                  ch = ch << 4 | (gunichar) hex_value (text[i + 2 + k]);
                /* Only what must not be shown as is gets this escape. */
                g_assert ((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029 ||
                          (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069));
                n = g_unichar_to_utf8 (ch, utf8);
                g_byte_array_append (out, (const guint8 *) utf8, (guint) n);
                i += 6;
                continue;
              }
            default:
              g_error ("unknown escape \\%c in a rendering", text[i + 1]);
            }
          g_byte_array_append (out, &byte, 1);
          continue;
        }

      if (c < 0x80)
        {
          if (keep_lines && (c == '\n' || c == '\t'))
            ;
          else
            g_assert (c >= 0x20 && c != 0x7f);
          g_byte_array_append (out, &c, 1);
          i++;
        }
      else
        {
          const char *next = g_utf8_next_char (text + i);
          gunichar ch = g_utf8_get_char (text + i);

          g_assert (!((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029 ||
                      (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069)));
          g_byte_array_append (out, (const guint8 *) text + i, (guint) (next - (text + i)));
          i = (gsize) (next - text);
        }
    }

  return out;
}

/* For a rendering of @len bytes truncated at @limit: splits off the
 * "… (N more bytes)" suffix, checks N, and returns the length of the text
 * before it. Without truncation returns strlen (@text). */
static gsize
split_more_bytes (const char *text,
                  gsize       len,
                  gsize       limit,
                  gsize      *consumed)
{
  const char *suffix;
  guint64 more;
  char *end = NULL;

  if (limit == 0 || len <= limit)
    {
      *consumed = len;
      return strlen (text);
    }

  /* The input itself may hold "… (": the suffix is the last one. */
  suffix = g_strrstr (text, "… (");
  g_assert_nonnull (suffix);
  more = g_ascii_strtoull (suffix + strlen ("… ("), &end, 10);
  g_assert (g_str_equal (end, more == 1 ? " more byte)" : " more bytes)"));
  g_assert_cmpuint (more, >=, 1);
  g_assert_cmpuint (more, <=, len);
  *consumed = len - (gsize) more;
  return (gsize) (suffix - text);
}

static void
check_render (const guint8 *data,
              gsize         size,
              gsize         limit)
{
  g_autofree char *whole = sl_codec_render (data, size, 0);
  g_autofree char *cut = sl_codec_render (data, size, limit);
  g_autoptr(GByteArray) back = NULL;
  gsize consumed, cut_len;

  g_assert_nonnull (whole);
  g_assert (g_utf8_validate (whole, -1, NULL));
  g_assert (g_utf8_validate (cut, -1, NULL));

  back = unrender (whole, strlen (whole), FALSE);
  g_assert_cmpmem (back->data, back->len, data, size);

  /* The truncated rendering shows a prefix of the input, never a part of a
   * character (a character is at most 4 bytes), and says how much is left. */
  cut_len = split_more_bytes (cut, size, limit, &consumed);
  if (consumed < size)
    {
      g_autofree char *prefix = sl_codec_render (data, consumed, 0);

      g_assert_cmpuint (consumed, <=, limit);
      g_assert_cmpuint (consumed + 3, >=, limit);
      g_assert_cmpmem (cut, cut_len, prefix, strlen (prefix));
    }
  else
    g_assert_cmpstr (cut, ==, whole);
}

static void
check_python_bytes (const guint8 *data,
                    gsize         size,
                    gsize         limit)
{
  g_autofree char *repr = sl_codec_python_bytes (data, size, limit);
  gsize shown = (limit != 0 && size > limit) ? limit : size;
  gsize len = strlen (repr);
  gboolean has_single = shown > 0 && memchr (data, '\'', shown) != NULL;
  gboolean has_double = shown > 0 && memchr (data, '"', shown) != NULL;
  char quote = (has_single && !has_double) ? '"' : '\'';
  g_autoptr(GByteArray) back = g_byte_array_new ();
  gsize i;

  if (shown < size)
    {
      g_assert (g_str_has_suffix (repr, "…"));
      len -= strlen ("…");
    }
  g_assert_cmpuint (len, >=, 3);
  g_assert (repr[0] == 'b' && repr[1] == quote && repr[len - 1] == quote);

  for (i = 2; i < len - 1; )
    {
      guint8 c = (guint8) repr[i];

      g_assert (c >= 0x20 && c < 0x7f);
      g_assert (c != (guint8) quote);
      if (c != '\\')
        {
          g_byte_array_append (back, &c, 1);
          i++;
          continue;
        }
      g_assert (i + 1 < len - 1);
      switch (repr[i + 1])
        {
        case 't':
          c = '\t';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case '\\':
          c = '\\';
          break;
        case 'x':
          g_assert (i + 3 < len - 1);
          c = (guint8) (hex_value (repr[i + 2]) << 4 | hex_value (repr[i + 3]));
          /* CPython writes printable ASCII and \t \n \r as themselves. */
          g_assert (c < 0x20 || c >= 0x7f);
          g_assert (c != '\t' && c != '\n' && c != '\r');
          i += 2;
          break;
        default:
          g_assert (repr[i + 1] == quote);
          c = (guint8) quote;
          break;
        }
      g_byte_array_append (back, &c, 1);
      i += 2;
    }
  g_assert_cmpmem (back->data, back->len, data, shown);
}

/* FIXED in 1bbc770 (kept as a check that stays on): the
 * JSON errors that json_parser_error() builds from json-glib's message copy
 * the string constant json-glib quotes, as json-glib decoded it: a lone
 * surrogate escape (["\ude00" "x"]) comes out as the bytes ed b8 80, which
 * are not UTF-8, and "\u0001" as a raw control byte. The seed
 * json-error-surrogate is that input. Set to FALSE once the message is made
 * valid there (g_utf8_make_valid + sl_codec_render of json-glib's detail). */
#define TOLERATE_JSON_ERROR_UTF8_BUG FALSE

static void
check_error (GError *error)
{
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert (error->message[0] != '\0');
  if (TOLERATE_JSON_ERROR_UTF8_BUG && g_str_has_prefix (error->message, "JSON: error at line "))
    return;
  g_assert (g_utf8_validate (error->message, -1, NULL));
}

static void
check_text_and_hex (const guint8 *data,
                    gsize         size,
                    gsize         limit)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sl_codec_decode (SL_ENCODING_TEXT, bytes, 0, &error);
  g_autofree char *text_cut = sl_codec_decode (SL_ENCODING_TEXT, bytes, limit, &error);
  g_autofree char *hex = sl_codec_decode (SL_ENCODING_HEX, bytes, 0, &error);
  g_autofree char *hex_cut = sl_codec_decode (SL_ENCODING_HEX, bytes, limit, &error);
  g_autoptr(GByteArray) back = NULL;
  g_autoptr(GBytes) parsed = NULL;
  gsize consumed, cut_len;

  g_assert_no_error (error);

  /* TEXT keeps lines and tabs, and hides nothing either. */
  g_assert (g_utf8_validate (text, -1, NULL));
  g_assert (g_utf8_validate (text_cut, -1, NULL));
  back = unrender (text, strlen (text), TRUE);
  g_assert_cmpmem (back->data, back->len, data, size);

  /* HEX: "48 65 6c", lower case, parsed back to the same bytes. */
  g_assert_cmpuint (strlen (hex), ==, size == 0 ? 0 : size * 3 - 1);
  for (gsize i = 0; hex[i] != '\0'; i++)
    g_assert (i % 3 == 2 ? hex[i] == ' ' : (g_ascii_isdigit (hex[i]) ||
                                            (hex[i] >= 'a' && hex[i] <= 'f')));
  parsed = sl_codec_encode (SL_ENCODING_HEX, hex, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (parsed, NULL), g_bytes_get_size (parsed), data, size);

  cut_len = split_more_bytes (hex_cut, size, limit, &consumed);
  g_assert_cmpuint (consumed, ==, MIN (size, limit ? limit : size));
  g_assert_cmpuint (cut_len, ==, consumed == 0 ? 0 : consumed * 3 - 1);
  g_assert (strncmp (hex_cut, hex, cut_len) == 0);
}

static void
check_base64 (const guint8 *data,
              gsize         size,
              const char   *typed)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) typed_bytes = g_bytes_new (typed, strlen (typed));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) encoded = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *as_text = NULL;
  g_autofree char *received = NULL;

  /* What tutorial 000's client sends, read back by the server. */
  encoded = sl_codec_encode (SL_ENCODING_BASE64, typed, &error);
  g_assert_no_error (error);
  decoded = sl_codec_decode (SL_ENCODING_BASE64, encoded, 0, &error);
  g_assert_no_error (error);
  as_text = sl_codec_decode (SL_ENCODING_TEXT, typed_bytes, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (decoded, ==, as_text);

  /* Arbitrary received bytes: an error or the rendering of what
   * g_base64_decode() makes of them once the spaces are gone. */
  received = sl_codec_decode (SL_ENCODING_BASE64, bytes, 0, &error);
  g_assert ((received == NULL) != (error == NULL));
  if (received == NULL)
    check_error (error);
  else
    {
      g_autoptr(GString) clean = g_string_new (NULL);
      g_autofree guchar *raw = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GBytes) raw_bytes = NULL;
      gsize raw_len = 0;

      for (gsize i = 0; i < size; i++)
        /* The codec's spaces; g_ascii_isspace() leaves out \v. */
        if (data[i] == 0 || strchr (" \t\n\r\f\v", data[i]) == NULL)
          g_string_append_c (clean, (char) data[i]);
      g_assert_cmpuint (clean->len % 4, ==, 0);
      raw = g_base64_decode (clean->str, &raw_len);
      raw_bytes = g_bytes_new (raw, raw_len);
      expected = sl_codec_decode (SL_ENCODING_TEXT, raw_bytes, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (received, ==, expected);
    }
}

static void
check_typed_hex (const char *typed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) parsed = sl_codec_encode (SL_ENCODING_HEX, typed, &error);
  g_autofree char *shown = NULL;
  g_autoptr(GBytes) again = NULL;

  g_assert ((parsed == NULL) != (error == NULL));
  if (parsed == NULL)
    {
      check_error (error);
      return;
    }

  shown = sl_codec_decode (SL_ENCODING_HEX, parsed, 0, &error);
  g_assert_no_error (error);
  again = sl_codec_encode (SL_ENCODING_HEX, shown, &error);
  g_assert_no_error (error);
  g_assert (g_bytes_equal (parsed, again));
}

/* FIXED in 1bbc770 (flags kept FALSE, so these are checked): two bugs
 * through json-glib's scanner, which the prescan lets decode strings:
 *  - an invalid escape ("\x41", "\q", "\u" with fewer than four hex
 *    digits: "\ude0n") is accepted as JSON by encode and
 *    decode although Python's json.loads() refuses it ("Invalid \escape"),
 *    and the pretty text silently drops the backslash: ["\x41"] shows as
 *    ["x41"] (seed json-bad-escape);
 *  - a lone surrogate escape ("\ude00z") becomes bytes that are not UTF-8,
 *    the character after it is lost, and the pretty text falls back to the
 *    \xNN rendering, which is not JSON: ["\ude00z"] shows as ["\xed\xb8\x80"]
 *    (seed json-lone-surrogate).
 * Set a flag to FALSE once its bug is fixed: then an accepted text must hold
 * no invalid escape, and the pretty text of a lone surrogate must be JSON
 * that pretty-prints to itself. */
#define TOLERATE_JSON_BAD_ESCAPE_BUG FALSE
#define TOLERATE_JSON_LONE_SURROGATE_BUG FALSE

static gboolean
read_hex4 (const guint8 *p,
           gsize         avail,
           guint        *value)
{
  *value = 0;
  if (avail < 4)
    return FALSE;
  for (int k = 0; k < 4; k++)
    {
      if (!g_ascii_isxdigit (p[k]))
        return FALSE;
      *value = *value << 4 | (guint) g_ascii_xdigit_value (p[k]);
    }
  return TRUE;
}

/* Looks at every backslash escape of @data (inside strings or not: outside
 * one it is a syntax error anyway). */
static void
scan_json_escapes (const guint8 *data,
                   gsize         size,
                   gboolean     *bad_escape,
                   gboolean     *lone_surrogate)
{
  *bad_escape = FALSE;
  *lone_surrogate = FALSE;

  for (gsize i = 0; i + 1 < size; i++)
    {
      guint unit, low;

      if (data[i] != '\\')
        continue;
      if (data[i + 1] != 'u')
        {
          if (data[i + 1] == 0 || strchr ("\"\\/bfnrt", data[i + 1]) == NULL)
            *bad_escape = TRUE;
          i++;
          continue;
        }
      if (!read_hex4 (data + i + 2, size - i - 2, &unit))
        {
          /* json-glib takes "\ude0n" too, and what it makes of it may be
           * half a surrogate pair. */
          *bad_escape = TRUE;
          *lone_surrogate = TRUE;
          i++;
          continue;
        }
      if (unit >= 0xd800 && unit <= 0xdbff && i + 11 < size && data[i + 6] == '\\' &&
          data[i + 7] == 'u' && read_hex4 (data + i + 8, size - i - 8, &low) &&
          low >= 0xdc00 && low <= 0xdfff)
        i += 11;
      else
        {
          if (unit >= 0xd800 && unit <= 0xdfff)
            *lone_surrogate = TRUE;
          i += 5;
        }
    }
}

static void
check_json (const guint8 *data,
            gsize         size,
            const char   *typed,
            gsize         limit)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) typed_bytes = g_bytes_new (typed, strlen (typed));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) typed_error = NULL;
  g_autofree char *pretty = NULL;
  g_autofree char *pretty_cut = NULL;
  g_autofree char *typed_pretty = NULL;
  g_autoptr(GBytes) sent = NULL;
  gboolean bad_escape, lone_surrogate;

  scan_json_escapes (data, size, &bad_escape, &lone_surrogate);
  pretty = sl_codec_decode (SL_ENCODING_JSON, bytes, 0, &error);
  g_assert ((pretty == NULL) != (error == NULL));
  if (pretty == NULL)
    check_error (error);
  else if (TOLERATE_JSON_LONE_SURROGATE_BUG && lone_surrogate)
    g_assert (g_utf8_validate (pretty, -1, NULL));
  else
    {
      g_autoptr(GBytes) pretty_bytes = g_bytes_new (pretty, strlen (pretty));
      g_autoptr(GBytes) pretty_sent = NULL;
      g_autofree char *again = NULL;

      g_assert (TOLERATE_JSON_BAD_ESCAPE_BUG || !bad_escape);
      g_assert (g_utf8_validate (pretty, -1, NULL));
      pretty_sent = sl_codec_encode (SL_ENCODING_JSON, pretty, &error);
      g_assert_no_error (error);
      again = sl_codec_decode (SL_ENCODING_JSON, pretty_bytes, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, pretty);
    }
  g_clear_error (&error);

  pretty_cut = sl_codec_decode (SL_ENCODING_JSON, bytes, limit, &error);
  g_assert ((pretty_cut == NULL) == (pretty == NULL));
  if (pretty_cut != NULL)
    {
      g_assert (g_utf8_validate (pretty_cut, -1, NULL));
      if (strlen (pretty) <= limit)
        g_assert_cmpstr (pretty_cut, ==, pretty);
    }
  g_clear_error (&error);

  /* The composer and the trace agree on what is JSON. */
  sent = sl_codec_encode (SL_ENCODING_JSON, typed, &error);
  typed_pretty = sl_codec_decode (SL_ENCODING_JSON, typed_bytes, 0, &typed_error);
  g_assert ((sent == NULL) != (error == NULL));
  g_assert ((sent == NULL) == (typed_pretty == NULL));
  if (sent == NULL)
    check_error (error);
  else
    g_assert (g_bytes_equal (sent, typed_bytes));
}

static void
check_upper (const guint8 *data,
             gsize         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GBytes) upper = sl_codec_ascii_upper (bytes);
  const guint8 *up;
  gsize up_len;

  up = g_bytes_get_data (upper, &up_len);
  g_assert_cmpuint (up_len, ==, size);
  for (gsize i = 0; i < size; i++)
    g_assert (up[i] == ((data[i] >= 'a' && data[i] <= 'z') ? data[i] - 'a' + 'A' : data[i]));
}

static void
check_encoding_name (const char *typed)
{
  SlEncoding encoding = (SlEncoding) 42;

  if (sl_encoding_from_string (typed, &encoding))
    {
      g_assert_cmpint (encoding, >=, SL_ENCODING_TEXT);
      g_assert_cmpint (encoding, <=, SL_ENCODING_JSON);
      g_assert (g_ascii_strcasecmp (typed, sl_encoding_to_string (encoding)) == 0);
    }
  else
    g_assert_cmpint (encoding, ==, 42);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static gboolean initialized = FALSE;
  g_autofree char *typed = g_strndup ((const char *) data, size);
  gsize limit = size > 0 ? 1 + data[0] % 64 : 1;
  g_autoptr(GBytes) typed_text = NULL;
  g_autoptr(GError) error = NULL;

  if (!initialized)
    {
      /* A g_return_if_fail() reached by some input is a crash too. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialized = TRUE;
    }

  check_render (data, size, limit);
  check_python_bytes (data, size, 0);
  check_python_bytes (data, size, limit);
  check_text_and_hex (data, size, limit);
  check_base64 (data, size, typed);
  check_typed_hex (typed);
  if (size <= MAX_JSON_INPUT)
    check_json (data, size, typed, limit);
  check_upper (data, size);
  check_encoding_name (typed);

  typed_text = sl_codec_encode (SL_ENCODING_TEXT, typed, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (typed_text, NULL), g_bytes_get_size (typed_text),
                   typed, strlen (typed));

  return 0;
}
