/* sl-codec.c — message encodings and safe rendering of any bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sl-codec.h"
#include "sl-error.h"

/* json-glib 1.6 parses and generates recursively, one stack frame per level,
 * and overflows the stack on deeply nested input: refuse it before parsing. */
#define JSON_MAX_DEPTH 512

/* Whether a problem is in what the user typed or in what was received, which
 * decides what the student can do about it. */
typedef enum
{
  DIRECTION_ENCODE,
  DIRECTION_DECODE,
} Direction;

typedef enum
{
  RENDER_ONE_LINE = 0,
  RENDER_KEEP_LINES = 1 << 0, /* "\n" and "\t" stay as they are */
} RenderFlags;

static const char hex_chars[] = "0123456789abcdef";

static const char *
advice (Direction direction)
{
  if (direction == DIRECTION_ENCODE)
    return _("Correct the message, or choose another encoding.");
  else
    return _("Choose another encoding to view these bytes.");
}

static void
append_hex_escape (GString *out,
                   guint8   byte)
{
  char buf[4] = { '\\', 'x', hex_chars[byte >> 4], hex_chars[byte & 0xf] };

  g_string_append_len (out, buf, sizeof buf);
}

static void
append_more_bytes (GString *out,
                   gsize    remaining)
{
  /* Translators: appended to a shortened payload; %lu is the number of bytes not shown */
  g_string_append_printf (out, ngettext ("… (%lu more byte)", "… (%lu more bytes)",
                                         (gulong) remaining),
                          (gulong) remaining);
}

/* Characters that are valid UTF-8 but would break a one-line display or
 * mislead the reader: C1 controls, line and paragraph separators, and the
 * bidirectional overrides and isolates. */
static gboolean
unichar_needs_escape (gunichar ch)
{
  return (ch >= 0x80 && ch <= 0x9f) ||
         ch == 0x2028 || ch == 0x2029 ||
         (ch >= 0x202a && ch <= 0x202e) ||
         (ch >= 0x2066 && ch <= 0x2069);
}

/* Length of the valid UTF-8 character at @data (at most @avail bytes), or 0
 * when the bytes there are not a complete valid character. @data[0] >= 0x80. */
static gsize
utf8_char_length (const guint8 *data,
                  gsize         avail,
                  gunichar     *out_ch)
{
  gunichar ch;
  gsize n;

  ch = g_utf8_get_char_validated ((const char *) data, (gssize) MIN (avail, 8));
  if (ch == (gunichar) -1 || ch == (gunichar) -2)
    return 0;

  n = (gsize) (g_utf8_next_char ((const char *) data) - (const char *) data);
  if (n > avail)
    return 0;

  *out_ch = ch;
  return n;
}

/* Appends the rendering of at most @limit bytes of @data (0 = all) and
 * returns how many input bytes it consumed: never a part of a character. */
static gsize
render_into (GString      *out,
             const guint8 *data,
             gsize         len,
             gsize         limit,
             RenderFlags   flags)
{
  gsize stop = (limit == 0 || limit > len) ? len : limit;
  gsize i = 0;

  while (i < stop)
    {
      guint8 c = data[i];
      gunichar ch;
      gsize n;

      if (c >= 0x20 && c < 0x7f && c != '\\')
        {
          gsize j = i + 1;

          while (j < stop && data[j] >= 0x20 && data[j] < 0x7f && data[j] != '\\')
            j++;
          g_string_append_len (out, (const char *) data + i, (gssize) (j - i));
          i = j;
          continue;
        }

      if (c < 0x80)
        {
          switch (c)
            {
            case '\\':
              g_string_append (out, "\\\\");
              break;
            case '\n':
              g_string_append (out, (flags & RENDER_KEEP_LINES) ? "\n" : "\\n");
              break;
            case '\t':
              g_string_append (out, (flags & RENDER_KEEP_LINES) ? "\t" : "\\t");
              break;
            case '\r':
              g_string_append (out, "\\r");
              break;
            case '\0':
              g_string_append (out, "\\0");
              break;
            default:
              append_hex_escape (out, c);
              break;
            }
          i++;
          continue;
        }

      n = utf8_char_length (data + i, len - i, &ch);
      if (n == 0)
        {
          append_hex_escape (out, c);
          i++;
          continue;
        }

      /* Never split a character at the limit: it counts as not shown. */
      if (i + n > stop)
        break;

      if (unichar_needs_escape (ch))
        g_string_append_printf (out, "\\u%04x", (guint) ch);
      else
        g_string_append_len (out, (const char *) data + i, (gssize) n);
      i += n;
    }

  return i;
}

static char *
render (const guint8 *data,
        gsize         len,
        gsize         limit,
        RenderFlags   flags)
{
  GString *out;
  gsize consumed;

  if (len == 0)
    return g_strdup ("");

  out = g_string_sized_new (MIN (len, limit ? limit : len) + 32);
  consumed = render_into (out, data, len, limit, flags);
  if (consumed < len)
    append_more_bytes (out, len - consumed);

  return g_string_free (out, FALSE);
}

gssize
sl_codec_json_too_deep (const char *data,
                        gsize       len,
                        guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if ((c == '[' || c == '{') && ++depth > max_depth)
        return (gssize) MIN (i, (gsize) G_MAXSSIZE);
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return -1;
}

char *
sl_codec_make_printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

char *
sl_codec_render (const guint8 *data,
                 gsize         len,
                 gsize         limit)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return render (data, len, limit, RENDER_ONE_LINE);
}

/* The character (or the single undecodable byte) at @p, rendered safely for
 * an error message. */
static char *
describe_char (const guint8 *p,
               gsize         avail)
{
  gunichar ch;
  gsize n = 1;

  if (p[0] >= 0x80)
    {
      n = utf8_char_length (p, avail, &ch);
      if (n == 0)
        n = 1;
    }

  return sl_codec_render (p, n, 0);
}

char *
sl_codec_python_bytes (const guint8 *data,
                       gsize         len,
                       gsize         limit)
{
  gsize n = (limit != 0 && len > limit) ? limit : len;
  gboolean has_single = FALSE;
  gboolean has_double = FALSE;
  char quote;
  GString *out;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (n > 0)
    {
      has_single = memchr (data, '\'', n) != NULL;
      has_double = memchr (data, '"', n) != NULL;
    }
  /* CPython's bytes_repr(): double quotes only when that avoids escaping. */
  quote = (has_single && !has_double) ? '"' : '\'';

  out = g_string_sized_new (n + 8);
  g_string_append_c (out, 'b');
  g_string_append_c (out, quote);

  for (gsize i = 0; i < n; i++)
    {
      guint8 c = data[i];
      gsize run = i;

      /* Printable bytes other than the quote and the backslash go as they
       * are, a run at a time (the usual message is all of them). */
      while (run < n && data[run] >= 0x20 && data[run] < 0x7f && data[run] != quote &&
             data[run] != '\\')
        run++;
      if (run > i)
        {
          g_string_append_len (out, (const char *) data + i, run - i);
          i = run - 1;
          continue;
        }

      if (c == quote || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else
        append_hex_escape (out, c);
    }

  g_string_append_c (out, quote);
  if (n < len)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

GBytes *
sl_codec_ascii_upper (GBytes *bytes)
{
  const guint8 *data;
  guint8 *copy;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    return g_bytes_new (NULL, 0);

  copy = g_malloc (len);
  for (gsize i = 0; i < len; i++)
    copy[i] = (data[i] >= 'a' && data[i] <= 'z') ? (guint8) (data[i] - 'a' + 'A') : data[i];

  return g_bytes_new_take (copy, len);
}

const char *
sl_encoding_to_string (SlEncoding encoding)
{
  switch (encoding)
    {
    case SL_ENCODING_TEXT:
      return "text";
    case SL_ENCODING_BASE64:
      return "base64";
    case SL_ENCODING_HEX:
      return "hex";
    case SL_ENCODING_JSON:
      return "json";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
sl_encoding_from_string (const char *str,
                         SlEncoding *encoding)
{
  static const SlEncoding all[] = {
    SL_ENCODING_TEXT, SL_ENCODING_BASE64, SL_ENCODING_HEX, SL_ENCODING_JSON,
  };

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      if (g_ascii_strcasecmp (str, sl_encoding_to_string (all[i])) == 0)
        {
          if (encoding != NULL)
            *encoding = all[i];
          return TRUE;
        }
    }

  return FALSE;
}

/* ---- hex ---------------------------------------------------------------- */

static gboolean
is_hex_separator (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '-';
}

/* 1-based character position of @offset in @text, for messages. */
static gulong
char_position (const char *text,
               gsize       offset)
{
  if (g_utf8_validate_len (text, offset, NULL))
    return (gulong) g_utf8_strlen (text, (gssize) offset) + 1;
  return (gulong) offset + 1;
}

static GBytes *
hex_parse (const char  *text,
           GError     **error)
{
  gsize len = strlen (text);
  g_autoptr(GByteArray) out = g_byte_array_sized_new ((guint) MIN (len / 2, G_MAXUINT));
  gsize group_start = 0;   /* where the current group (with its prefix) begins */
  gsize digits = 0;        /* hex digits in the current group */
  gboolean prefixed = FALSE;
  guint8 high = 0;
  gsize i = 0;

  while (i <= len)
    {
      char c = i < len ? text[i] : '\0';

      if (i == len || is_hex_separator (c) || (c == '\\' && text[i + 1] == 'x'))
        {
          /* The current group ends here. */
          if (prefixed && digits == 0)
            {
              g_autofree char *shown = sl_codec_render ((const guint8 *) text + group_start,
                                                        2, 0);

              g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                           _("Hex: “%s” at position %lu has no digits after it. Write a byte "
                             "after the prefix, for example “0x41”. %s"),
                           shown, char_position (text, group_start), advice (DIRECTION_ENCODE));
              return NULL;
            }
          if (digits % 2 != 0)
            {
              g_autofree char *group = sl_codec_render ((const guint8 *) text + group_start,
                                                        i - group_start, 64);

              g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                           _("Hex: “%s” at position %lu has an odd number of digits (%lu). "
                             "Write every byte as two digits, for example “0a” instead of "
                             "“a”. %s"),
                           group, char_position (text, group_start), (gulong) digits,
                           advice (DIRECTION_ENCODE));
              return NULL;
            }

          digits = 0;
          prefixed = FALSE;
          if (i == len)
            break;

          if (c == '\\')
            {
              /* Python-style "\x48" starts a prefixed group. */
              group_start = i;
              prefixed = TRUE;
              i += 2;
            }
          else
            {
              i++;
              group_start = i;
            }
          continue;
        }

      if (digits == 0 && !prefixed && c == '0' && (text[i + 1] == 'x' || text[i + 1] == 'X'))
        {
          group_start = i;
          prefixed = TRUE;
          i += 2;
          continue;
        }

      if (g_ascii_isxdigit (c))
        {
          guint8 nibble = (guint8) g_ascii_xdigit_value (c);

          if (digits % 2 == 0)
            high = nibble;
          else
            g_byte_array_append (out, (guint8[]) { (guint8) ((high << 4) | nibble) }, 1);
          digits++;
          i++;
          continue;
        }

      {
        g_autofree char *shown = describe_char ((const guint8 *) text + i, len - i);

        g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                     _("Hex: “%s” at position %lu is not a hex digit. Use only 0–9 and a–f, "
                       "two digits per byte, optionally separated by spaces, “:” or “-”. %s"),
                     shown, char_position (text, i), advice (DIRECTION_ENCODE));
        return NULL;
      }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static char *
hex_render (const guint8 *data,
            gsize         len,
            gsize         limit)
{
  gsize n = (limit != 0 && len > limit) ? limit : len;
  GString *out = g_string_sized_new (n * 3 + 32);

  for (gsize i = 0; i < n; i++)
    {
      char pair[3] = { ' ', hex_chars[data[i] >> 4], hex_chars[data[i] & 0xf] };

      if (i == 0)
        g_string_append_len (out, pair + 1, 2);
      else
        g_string_append_len (out, pair, 3);
    }
  if (n < len)
    append_more_bytes (out, len - n);

  return g_string_free (out, FALSE);
}

/* ---- base64 ------------------------------------------------------------- */

static gboolean
is_base64_char (guint8 c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

static gboolean
is_base64_space (guint8 c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Strict base64 (RFC 4648 alphabet, padding only at the end, length a
 * multiple of 4 once whitespace is removed); g_base64_decode() itself
 * silently skips anything it does not understand. */
static guint8 *
base64_decode_strict (const guint8  *data,
                      gsize          len,
                      gsize         *out_len,
                      GError       **error)
{
  g_autofree char *clean = g_malloc (len + 1);
  gsize n = 0;
  gsize n_pad = 0;
  gsize first_pad = 0;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (is_base64_space (c))
        continue;

      if (c == '=')
        {
          if (n_pad == 0)
            first_pad = i;
          n_pad++;
          if (n_pad > 2)
            {
              g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                           _("Base64: bad padding at position %lu: at most two “=” may end "
                             "the text. %s"),
                           (gulong) i + 1, advice (DIRECTION_DECODE));
              return NULL;
            }
          clean[n++] = '=';
          continue;
        }

      if (!is_base64_char (c))
        {
          g_autofree char *shown = describe_char (data + i, len - i);

          g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                       _("Base64: “%s” at position %lu is not a base64 character. Base64 "
                         "uses only A–Z, a–z, 0–9, “+” and “/”, with “=” padding at the "
                         "end. %s"),
                       shown, (gulong) i + 1, advice (DIRECTION_DECODE));
          return NULL;
        }

      if (n_pad > 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                       _("Base64: bad padding at position %lu: “=” may only end the text, "
                         "but more data follows it (were two messages joined?). %s"),
                       (gulong) first_pad + 1, advice (DIRECTION_DECODE));
          return NULL;
        }

      clean[n++] = (char) c;
    }

  if (n % 4 != 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   ngettext ("Base64: the text ends at position %lu after %lu character "
                             "(not counting spaces), which is not a multiple of 4: it is cut "
                             "short or its “=” padding is missing. %s",
                             "Base64: the text ends at position %lu after %lu characters "
                             "(not counting spaces), which is not a multiple of 4: it is cut "
                             "short or its “=” padding is missing. %s",
                             (gulong) n),
                   (gulong) len, (gulong) n, advice (DIRECTION_DECODE));
      return NULL;
    }

  clean[n] = '\0';
  return g_base64_decode (clean, out_len);
}

/* ---- JSON --------------------------------------------------------------- */

typedef struct
{
  const char *data;
  gsize       len;
  Direction   direction;
  gsize       line_start; /* byte offset where the current line begins */
  guint       line;
  gboolean    exact;      /* JsonGenerator can reproduce every literal as written */
} JsonScan;

static void
json_scan_error (JsonScan    *scan,
                 GError     **error,
                 gsize        offset,
                 const char  *problem)
{
  gulong column = (gulong) g_utf8_strlen (scan->data + scan->line_start,
                                          (gssize) (offset - scan->line_start)) + 1;

  /* Translators: the second %s is a sentence describing the problem, the third what to do */
  g_set_error (error, SL_ERROR, SL_ERROR_DECODE, _("JSON: error at line %u, column %lu: %s %s"),
               scan->line, column, problem, advice (scan->direction));
}

static gboolean
json_number_valid (const char *p,
                   gsize       n,
                   gboolean   *is_int64)
{
  gsize i = 0;
  gboolean integer = TRUE;

  if (i < n && p[i] == '-')
    i++;
  if (i >= n || !g_ascii_isdigit (p[i]))
    return FALSE;
  if (p[i] == '0')
    i++;
  else
    while (i < n && g_ascii_isdigit (p[i]))
      i++;
  if (i < n && p[i] == '.')
    {
      integer = FALSE;
      i++;
      if (i >= n || !g_ascii_isdigit (p[i]))
        return FALSE;
      while (i < n && g_ascii_isdigit (p[i]))
        i++;
    }
  if (i < n && (p[i] == 'e' || p[i] == 'E'))
    {
      integer = FALSE;
      i++;
      if (i < n && (p[i] == '+' || p[i] == '-'))
        i++;
      if (i >= n || !g_ascii_isdigit (p[i]))
        return FALSE;
      while (i < n && g_ascii_isdigit (p[i]))
        i++;
    }
  if (i != n)
    return FALSE;

  *is_int64 = FALSE;
  if (integer && !(n == 2 && p[0] == '-' && p[1] == '0'))
    {
      char buf[24];
      char *end = NULL;

      if (n < sizeof buf)
        {
          memcpy (buf, p, n);
          buf[n] = '\0';
          errno = 0;
          g_ascii_strtoll (buf, &end, 10);
          *is_int64 = errno == 0 && end == buf + n;
        }
    }

  return TRUE;
}

static gboolean
json_hex4 (const char *p,
           gsize       n,
           guint      *value)
{
  *value = 0;
  if (n < 4)
    return FALSE;
  for (guint k = 0; k < 4; k++)
    {
      if (!g_ascii_isxdigit (p[k]))
        return FALSE;
      *value = *value * 16 + (guint) g_ascii_xdigit_value (p[k]);
    }
  return TRUE;
}

/* The escape at data[*i] (a backslash inside a string): one of \" \\ \/ \b
 * \f \n \r \t or \uXXXX, with surrogates in pairs, as JSON (and Python's
 * json.loads(), which refuses other escapes) wants. Moves *i to its last byte. */
static gboolean
json_escape_valid (JsonScan    *scan,
                   const char  *data,
                   gsize        len,
                   gsize       *i,
                   GError     **error)
{
  gsize at = *i;
  char e = at + 1 < len ? data[at + 1] : '\0';
  guint unit, low;

  if (e != '\0' && strchr ("\"\\/bfnrt", e) != NULL)
    {
      *i = at + 1;
      return TRUE;
    }
  if (e == 'u' && json_hex4 (data + at + 2, len - MIN (len, at + 2), &unit))
    {
      if (unit == 0)
        scan->exact = FALSE;
      *i = at + 5;
      if (unit < 0xd800 || unit > 0xdfff)
        return TRUE;
      if (unit <= 0xdbff && at + 11 < len && data[at + 6] == '\\' && data[at + 7] == 'u'
          && json_hex4 (data + at + 8, len - (at + 8), &low) && low >= 0xdc00 && low <= 0xdfff)
        {
          *i = at + 11;
          return TRUE;
        }
      json_scan_error (scan, error, at,
                       _("A \\u escape names half of a surrogate pair (D800–DFFF) alone, "
                         "which is not a character. Write the character itself, or both "
                         "halves of its pair."));
      return FALSE;
    }

  {
    g_autofree char *shown = sl_codec_render ((const guint8 *) data + at, MIN (len - at, 2), 0);
    g_autofree char *problem =
      g_strdup_printf (_("“%s” is not a JSON escape. Use \\\", \\\\, \\/, \\b, \\f, \\n, "
                         "\\r, \\t or \\u followed by four hex digits."), shown);

    json_scan_error (scan, error, at, problem);
  }
  return FALSE;
}

/* Checks what json-glib 1.6 lets through although it is not JSON (comments,
 * single quotes, 01, .5, 0x10, raw control characters in strings) or would
 * crash on (deep nesting), so that what is accepted is what Python's
 * json.loads() accepts. Structure errors are left to JsonParser. */
static gboolean
json_prescan (JsonScan  *scan,
              GError   **error)
{
  const char *data = scan->data;
  gsize len = scan->len;
  const char *bad_utf8 = NULL;
  guint depth = 0;
  gboolean any = FALSE;
  gboolean complete = FALSE; /* a whole top-level value has been seen */
  gsize i = 0;

  scan->line = 1;
  scan->line_start = 0;
  scan->exact = TRUE;

  if (!g_utf8_validate_len (data, len, &bad_utf8))
    {
      gsize offset = (gsize) (bad_utf8 - data);

      if (*bad_utf8 == '\0' && offset < len)
        g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                     _("JSON: byte %lu is a NUL byte (\\0), which JSON text cannot contain. %s"),
                     (gulong) offset + 1, advice (scan->direction));
      else
        g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                     _("JSON: byte %lu (0x%02x) is not valid UTF-8, which JSON text must be. "
                       "%s"),
                     (gulong) offset + 1, (guint) (guint8) *bad_utf8, advice (scan->direction));
      return FALSE;
    }

  while (i < len)
    {
      char c = data[i];

      if (complete && !(c == ' ' || c == '\t' || c == '\r' || c == '\n'))
        {
          /* json-glib silently takes the last of several values. */
          g_autofree char *shown = describe_char ((const guint8 *) data + i, len - i);
          g_autofree char *problem =
            g_strdup_printf (_("“%s” follows the end of the JSON value. Send one value per "
                               "message, or put several in a list [ ]."), shown);

          json_scan_error (scan, error, i, problem);
          return FALSE;
        }

      switch (c)
        {
        case '\n':
          scan->line++;
          scan->line_start = i + 1;
          i++;
          break;

        case ' ':
        case '\t':
        case '\r':
          i++;
          break;

        case '[':
        case '{':
          any = TRUE;
          if (++depth > JSON_MAX_DEPTH)
            {
              g_autofree char *problem =
                g_strdup_printf (_("The data is nested more than %u levels deep, which "
                                   "Socket Lab does not take apart."), JSON_MAX_DEPTH);
              json_scan_error (scan, error, i, problem);
              return FALSE;
            }
          i++;
          break;

        case ']':
        case '}':
          any = TRUE;
          if (depth > 0)
            depth--;
          complete = depth == 0;
          i++;
          break;

        case ',':
        case ':':
          any = TRUE;
          i++;
          break;

        case '"':
          {
            gsize start = i;

            any = TRUE;
            for (i++; i < len && data[i] != '"'; i++)
              {
                guint8 s = (guint8) data[i];

                if (s == '\\')
                  {
                    if (!json_escape_valid (scan, data, len, &i, error))
                      return FALSE;
                  }
                else if (s < 0x20)
                  {
                    g_autofree char *shown = sl_codec_render (&s, 1, 0);
                    g_autofree char *problem =
                      g_strdup_printf (_("A raw control character (%s) is inside a string. "
                                         "Write it as an escape such as \\n or \\t."), shown);

                    json_scan_error (scan, error, i, problem);
                    return FALSE;
                  }
              }
            if (i >= len)
              {
                json_scan_error (scan, error, start,
                                 _("This string has no closing quote (\")."));
                return FALSE;
              }
            i++;
            complete = depth == 0;
          }
          break;

        default:
          if (c == '-' || g_ascii_isdigit (c) || g_ascii_isalpha (c) || c == '.' || c == '+' ||
              c == '_')
            {
              gsize start = i;
              gboolean is_int64 = FALSE;

              any = TRUE;
              while (i < len && (g_ascii_isalnum (data[i]) || data[i] == '-' ||
                                 data[i] == '+' || data[i] == '.' || data[i] == '_'))
                i++;

              if (c == '-' || c == '.' || c == '+' || g_ascii_isdigit (c))
                {
                  if (!json_number_valid (data + start, i - start, &is_int64))
                    {
                      g_autofree char *word = sl_codec_render ((const guint8 *) data + start,
                                                               i - start, 64);
                      g_autofree char *problem =
                        g_strdup_printf (_("“%s” is not a JSON number. Numbers look like "
                                           "42, -7, 3.14 or 1e-5, with no leading zeros, "
                                           "“+” or hex."), word);

                      json_scan_error (scan, error, start, problem);
                      return FALSE;
                    }
                  if (!is_int64)
                    scan->exact = FALSE;
                }
              else if (!((i - start == 4 && memcmp (data + start, "true", 4) == 0) ||
                         (i - start == 5 && memcmp (data + start, "false", 5) == 0) ||
                         (i - start == 4 && memcmp (data + start, "null", 4) == 0)))
                {
                  g_autofree char *word = sl_codec_render ((const guint8 *) data + start,
                                                           i - start, 64);
                  g_autofree char *problem =
                    g_strdup_printf (_("“%s” is not a JSON value. Write true, false, null, a "
                                       "number, a \"string\" in double quotes, [ ] or { }."),
                                     word);

                  json_scan_error (scan, error, start, problem);
                  return FALSE;
                }
              complete = depth == 0;
            }
          else
            {
              g_autofree char *shown = describe_char ((const guint8 *) data + i, len - i);
              g_autofree char *problem = NULL;

              if (c == '\'')
                problem = g_strdup_printf (_("“%s” is not allowed here: JSON strings use "
                                             "double quotes (\")."), shown);
              else if (c == '/')
                problem = g_strdup_printf (_("“%s” is not allowed here: JSON has no "
                                             "comments."), shown);
              else
                problem = g_strdup_printf (_("“%s” is not allowed here. Check for a typo, a "
                                             "missing quote or a stray character."), shown);
              json_scan_error (scan, error, i, problem);
              return FALSE;
            }
          break;
        }
    }

  if (!any)
    {
      if (scan->direction == DIRECTION_ENCODE)
        g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                     _("JSON: the message is empty. Type a JSON value such as "
                       "{\"name\": \"value\"}, or choose the Text encoding."));
      else
        g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                     _("JSON: the data is empty, so it is not a JSON value. %s"),
                     advice (scan->direction));
      return FALSE;
    }

  return TRUE;
}

/* Turns a JsonParser error ("<data>:3:5: Parse error: unexpected …") into a
 * message that keeps json-glib's line and column. */
static void
json_parser_error (JsonScan  *scan,
                   GError    *parse_error,
                   GError   **error)
{
  const char *msg = parse_error->message;
  guint line = 0, column = 0;
  const char *detail = NULL;

  if (g_str_has_prefix (msg, "<data>:"))
    {
      char *end = NULL;

      line = (guint) g_ascii_strtoull (msg + 7, &end, 10);
      if (end != NULL && *end == ':')
        column = (guint) g_ascii_strtoull (end + 1, &end, 10);
      if (end != NULL && *end == ':')
        {
          /* Skip json-glib's "Parse error: " label (translated or not). */
          detail = strstr (end + 1, ": ");
          detail = detail != NULL ? detail + 2 : end + 1;
          while (*detail == ' ')
            detail++;
        }
    }

  {
    /* json-glib quotes the text it stopped at as it decoded it: control
     * characters, or bytes that are not UTF-8. */
    g_autofree char *safe = sl_codec_make_printable (detail != NULL && line > 0 ? detail : msg);

    if (detail != NULL && line > 0)
      /* Translators: the third %s is json-glib's description of the problem */
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   _("JSON: error at line %u, column %u: %s. %s"),
                   line, column, safe, advice (scan->direction));
    else
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE, _("JSON: %s. %s"),
                   safe, advice (scan->direction));
  }
}

static JsonNode *
json_parse (JsonScan  *scan,
            GError   **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_prescan (scan, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, scan->data, (gssize) scan->len, &local_error))
    {
      json_parser_error (scan, local_error, error);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE, _("JSON: the data holds no value. %s"),
                   advice (scan->direction));
      return NULL;
    }

  return json_node_ref (root);
}

static void
append_indent (GString *out,
               guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* Lays out already validated JSON like JsonGenerator's pretty mode, but
 * copies every string and number as it was written. Used when the generator
 * would change a literal (0.1 → 0.10000000000000001, integers beyond 64 bits,
 * "\u0000" in strings). */
static char *
json_relayout (const char *data,
               gsize       len)
{
  GString *out = g_string_sized_new (len + len / 2);
  guint depth = 0;
  gsize i = 0;

  while (i < len)
    {
      char c = data[i];

      switch (c)
        {
        case ' ':
        case '\t':
        case '\r':
        case '\n':
          i++;
          break;

        case '[':
        case '{':
          {
            gsize j = i + 1;

            while (j < len && strchr (" \t\r\n", data[j]) != NULL && data[j] != '\0')
              j++;
            if (j < len && data[j] == (c == '[' ? ']' : '}'))
              {
                g_string_append_c (out, c);
                g_string_append_c (out, data[j]);
                i = j + 1;
              }
            else
              {
                g_string_append_c (out, c);
                append_indent (out, ++depth);
                i++;
              }
          }
          break;

        case ']':
        case '}':
          append_indent (out, depth > 0 ? --depth : 0);
          g_string_append_c (out, c);
          i++;
          break;

        case ',':
          g_string_append_c (out, ',');
          append_indent (out, depth);
          i++;
          break;

        case ':':
          g_string_append (out, " : ");
          i++;
          break;

        case '"':
          {
            gsize start = i;

            for (i++; i < len && data[i] != '"'; i++)
              if (data[i] == '\\')
                i++;
            i = MIN (i + 1, len);
            g_string_append_len (out, data + start, (gssize) (i - start));
          }
          break;

        default:
          {
            gsize start = i;

            while (i < len && strchr (" \t\r\n[]{},:\"", data[i]) == NULL)
              i++;
            g_string_append_len (out, data + start, (gssize) (i - start));
          }
          break;
        }
    }

  return g_string_free (out, FALSE);
}

static char *
json_pretty (const guint8  *data,
             gsize          len,
             gsize          limit,
             GError       **error)
{
  JsonScan scan = { (const char *) data, len, DIRECTION_DECODE, 0, 1, TRUE };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gsize text_len;
  gsize cut;
  GString *out;

  root = json_parse (&scan, error);
  if (root == NULL)
    return NULL;

  if (scan.exact)
    {
      g_autoptr(JsonGenerator) generator = json_generator_new ();

      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, &text_len);
    }
  else
    {
      text = json_relayout ((const char *) data, len);
      text_len = strlen (text);
    }

  if (!g_utf8_validate_len (text, text_len, NULL))
    return render ((const guint8 *) text, text_len, limit, RENDER_KEEP_LINES);

  if (limit == 0 || text_len <= limit)
    return g_steal_pointer (&text);

  /* Cut at a character boundary; the count is of the laid-out text. */
  cut = limit;
  while (cut > 0 && ((guint8) text[cut] & 0xc0) == 0x80)
    cut--;
  out = g_string_new_len (text, (gssize) cut);
  append_more_bytes (out, text_len - cut);

  return g_string_free (out, FALSE);
}

/* ---- public ------------------------------------------------------------- */

GBytes *
sl_codec_encode (SlEncoding   encoding,
                 const char  *text,
                 GError     **error)
{
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = strlen (text);

  switch (encoding)
    {
    case SL_ENCODING_TEXT:
      return g_bytes_new (text, len);

    case SL_ENCODING_BASE64:
      {
        char *encoded = g_base64_encode ((const guchar *) text, len);

        return g_bytes_new_take (encoded, strlen (encoded));
      }

    case SL_ENCODING_HEX:
      return hex_parse (text, error);

    case SL_ENCODING_JSON:
      {
        JsonScan scan = { text, len, DIRECTION_ENCODE, 0, 1, TRUE };
        g_autoptr(JsonNode) root = json_parse (&scan, error);

        if (root == NULL)
          return NULL;
        return g_bytes_new (text, len);
      }

    default:
      g_return_val_if_reached (NULL);
    }
}

char *
sl_codec_decode (SlEncoding   encoding,
                 GBytes      *bytes,
                 gsize        limit,
                 GError     **error)
{
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);

  switch (encoding)
    {
    case SL_ENCODING_TEXT:
      return render (data, len, limit, RENDER_KEEP_LINES);

    case SL_ENCODING_BASE64:
      {
        g_autofree guint8 *decoded = NULL;
        gsize decoded_len = 0;

        decoded = base64_decode_strict (data, len, &decoded_len, error);
        if (decoded == NULL)
          return NULL;
        return render (decoded, decoded_len, limit, RENDER_KEEP_LINES);
      }

    case SL_ENCODING_HEX:
      return hex_render (data, len, limit);

    case SL_ENCODING_JSON:
      return json_pretty (data, len, limit, error);

    default:
      g_return_val_if_reached (NULL);
    }
}
