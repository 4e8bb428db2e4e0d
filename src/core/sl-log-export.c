/* sl-log-export.c — the call trace as text or byte-exact JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "sl-codec.h"
#include "sl-error.h"
#include "sl-log-export.h"

/* The kinds as the file spells them: sl_log_kind_to_string(). */
/* An exported log nests three levels; anything much deeper is not one. */
#define MAX_DEPTH 16

static const SlLogKind all_kinds[] = {
  SL_LOG_KIND_CALL, SL_LOG_KIND_DATA_IN, SL_LOG_KIND_DATA_OUT,
  SL_LOG_KIND_EVENT, SL_LOG_KIND_ERROR, SL_LOG_KIND_STATE,
};

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format_iso8601 (now);
}

/* ---- snapshot ----------------------------------------------------------- */

GPtrArray *
sl_log_export_snapshot (SlLog   *log,
                        guint64 *dropped)
{
  GPtrArray *entries;
  guint n;

  g_return_val_if_fail (SL_IS_LOG (log), NULL);

  sl_log_flush (log);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  entries = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (entries, g_list_model_get_item (G_LIST_MODEL (log), i));

  if (dropped != NULL)
    *dropped = sl_log_get_n_dropped (log);

  return entries;
}

/* ---- text --------------------------------------------------------------- */

/* An explanation on one indented line. */
static void
append_explanation (GString    *out,
                    const char *explanation)
{
  g_string_append (out, "    ");
  for (const char *p = explanation; *p != '\0'; p++)
    g_string_append_c (out, (*p == '\n' || *p == '\r') ? ' ' : *p);
  g_string_append_c (out, '\n');
}

static gboolean
line_has_explanation (SlLogEntry *entry)
{
  /* What sl_log_entry_format() puts on the line. */
  return sl_log_entry_get_kind (entry) == SL_LOG_KIND_ERROR ||
         sl_log_entry_get_error_code (entry) != 0;
}

char *
sl_log_export_text_entries (GPtrArray *entries)
{
  g_autofree char *exported = now_iso8601 ();
  GString *out;

  g_return_val_if_fail (entries != NULL, NULL);

  out = g_string_sized_new (128 + entries->len * 96);

  /* Translators: the first line of an exported call trace; %s are the app
   * version and a date like 2024-05-01T15:04:05+08 */
  g_string_append_printf (out, _("# Socket Lab %s call trace, exported %s"),
                          PACKAGE_VERSION, exported);
  g_string_append_c (out, '\n');
  /* Translators: second line of an exported call trace; %u is a number of rows */
  g_string_append_printf (out, ngettext ("# %u entry", "# %u entries", entries->len),
                          entries->len);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < entries->len; i++)
    {
      SlLogEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *line = sl_log_entry_format (entry);
      const char *explanation = sl_log_entry_get_explanation (entry);

      g_string_append (out, line);
      g_string_append_c (out, '\n');
      if (explanation != NULL && *explanation != '\0' && !line_has_explanation (entry))
        append_explanation (out, explanation);
    }

  return g_string_free (out, FALSE);
}

char *
sl_log_export_text (SlLog *log)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (SL_IS_LOG (log), NULL);

  entries = sl_log_export_snapshot (log, NULL);
  return sl_log_export_text_entries (entries);
}

/* ---- JSON --------------------------------------------------------------- */

/* JSON strings are UTF-8; the core only makes valid UTF-8 strings, but a
 * broken one must not make the file unreadable. */
static void
set_string_member (JsonObject *object,
                   const char *name,
                   const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, name);
  else if (g_utf8_validate (value, -1, NULL))
    json_object_set_string_member (object, name, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_object_set_string_member (object, name, valid);
    }
}

static JsonNode *
entry_to_node (SlLogEntry *entry)
{
  JsonObject *object = json_object_new ();
  GBytes *payload = sl_log_entry_get_payload (entry);
  JsonNode *node;

  json_object_set_int_member (object, "wall_time_us", sl_log_entry_get_wall_time (entry));
  json_object_set_int_member (object, "monotonic_us", sl_log_entry_get_monotonic_time (entry));
  json_object_set_int_member (object, "endpoint", sl_log_entry_get_endpoint_id (entry));
  json_object_set_int_member (object, "connection", sl_log_entry_get_connection_id (entry));
  set_string_member (object, "kind", sl_log_kind_to_string (sl_log_entry_get_kind (entry)));
  set_string_member (object, "peer", sl_log_entry_get_peer (entry));
  set_string_member (object, "summary", sl_log_entry_get_summary (entry));
  set_string_member (object, "result", sl_log_entry_get_result (entry));
  json_object_set_int_member (object, "errno", sl_log_entry_get_error_code (entry));
  set_string_member (object, "error_name", sl_log_entry_get_error_name (entry));
  set_string_member (object, "explanation", sl_log_entry_get_explanation (entry));
  json_object_set_int_member (object, "size", (gint64) sl_log_entry_get_size (entry));

  if (payload == NULL)
    json_object_set_null_member (object, "payload_base64");
  else
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (payload, &len);
      g_autofree char *encoded = g_base64_encode (data, len);

      json_object_set_string_member (object, "payload_base64", encoded);
    }

  node = json_node_alloc ();
  json_node_init_object (node, object);
  json_object_unref (object);

  return node;
}

char *
sl_log_export_json_entries (GPtrArray *entries,
                            guint64    dropped)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *exported = now_iso8601 ();
  GString *out;

  g_return_val_if_fail (entries != NULL, NULL);

  out = g_string_sized_new (256 + entries->len * 320);

  /* Written by hand around the entries, so that a big log is never a whole
   * JsonNode tree in memory; each entry is generated by json-glib. */
  g_string_append_printf (out,
                          "{\n"
                          "  \"format\": \"%s\",\n"
                          "  \"version\": %d,\n"
                          "  \"exported\": \"%s\",\n"
                          "  \"dropped\": %" G_GUINT64_FORMAT ",\n"
                          "  \"entries\": [",
                          SL_LOG_JSON_FORMAT, SL_LOG_JSON_VERSION, exported, dropped);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(JsonNode) node = entry_to_node (g_ptr_array_index (entries, i));

      g_string_append (out, i == 0 ? "\n    " : ",\n    ");
      json_generator_set_root (generator, node);
      json_generator_to_gstring (generator, out);
    }

  g_string_append (out, entries->len > 0 ? "\n  ]\n}\n" : "]\n}\n");

  return g_string_free (out, FALSE);
}

char *
sl_log_export_json (SlLog *log)
{
  g_autoptr(GPtrArray) entries = NULL;
  guint64 dropped = 0;

  g_return_val_if_fail (SL_IS_LOG (log), NULL);

  entries = sl_log_export_snapshot (log, &dropped);
  return sl_log_export_json_entries (entries, dropped);
}

/* ---- import ------------------------------------------------------------- */

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("an array");

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    case G_TYPE_DOUBLE:
      return _("a fractional number");
    default:
      return _("a number");
    }
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static void
set_entry_error (GError     **error,
                 guint        index,
                 const char  *message)
{
  /* Translators: %u is the position of a row in the file's "entries" array
   * (from 0), the second %s says what is wrong with it */
  g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
               _("This log file is damaged at entries[%u]: %s Export the log again, or "
                 "correct that entry."),
               index, message);
}

static void
set_type_error (GError     **error,
                guint        index,
                const char  *field,
                const char  *expected,
                JsonNode    *found)
{
  /* Translators: the first %s is a field name, the second what it must be
   * ("a string", "an integer"...), the third what the file has */
  g_autofree char *message = g_strdup_printf (_("the field “%s” must be %s, not %s."),
                                              field, expected, node_type_name (found));

  set_entry_error (error, index, message);
}

/* A string member, or NULL for null/absent. FALSE when the type is wrong or
 * when @required and the member is absent or null. */
static gboolean
get_string (JsonObject  *object,
            guint        index,
            const char  *field,
            gboolean     required,
            const char **value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *value = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_autofree char *message = NULL;

          if (node == NULL)
            message = g_strdup_printf (_("the field “%s” is missing."), field);
          else
            message = g_strdup_printf (_("the field “%s” must be a string, not null."), field);
          set_entry_error (error, index, message);
          return FALSE;
        }
      return TRUE;
    }

  if (!node_is_string (node))
    {
      set_type_error (error, index, field,
                      required ? _("a string") : _("a string or null"), node);
      return FALSE;
    }

  *value = json_node_get_string (node);
  return TRUE;
}

/* An integer member within [@min, @max]; absent gives 0 unless @required. */
static gboolean
get_int (JsonObject  *object,
         guint        index,
         const char  *field,
         gboolean     required,
         gint64       min,
         gint64       max,
         gint64      *value,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *value = 0;

  if (node == NULL)
    {
      if (required)
        {
          g_autofree char *message = g_strdup_printf (_("the field “%s” is missing."), field);

          set_entry_error (error, index, message);
          return FALSE;
        }
      return TRUE;
    }

  if (!node_is_int (node))
    {
      set_type_error (error, index, field, _("an integer"), node);
      return FALSE;
    }

  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *hi = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      g_autofree char *bad = g_strdup_printf ("%" G_GINT64_FORMAT, *value);
      /* Translators: a field name, its value, then the smallest and largest allowed */
      g_autofree char *message = g_strdup_printf (_("the field “%s” is %s, outside %s to %s."),
                                                  field, bad, lo, hi);

      set_entry_error (error, index, message);
      return FALSE;
    }

  return TRUE;
}

/* g_base64_decode() skips what it does not understand; a file must be exact. */
static gboolean
base64_check (const char  *text,
              char       **problem)
{
  gsize len = strlen (text);
  gsize padding = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (c == '=')
        {
          padding++;
          continue;
        }

      if (padding > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/'))
        {
          if (padding > 0)
            /* Translators: %lu is a position in a base64 string */
            *problem = g_strdup_printf (_("“=” padding before position %lu"), (gulong) i);
          else if (g_ascii_isprint (c))
            /* Translators: %c is a character, %lu its position in a base64 string */
            *problem = g_strdup_printf (_("“%c” at position %lu is not a base64 character"),
                                        c, (gulong) i);
          else
            /* Translators: %02x is a byte value, %lu its position in a base64 string */
            *problem = g_strdup_printf (_("byte 0x%02x at position %lu is not a base64 "
                                          "character"),
                                        (guint) (guchar) c, (gulong) i);
          return FALSE;
        }
    }

  if (padding > 2 || len % 4 != 0)
    {
      /* Translators: %lu is the length of a base64 string */
      *problem = g_strdup_printf (_("its length %lu is not a multiple of 4"), (gulong) len);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_kind (const char *name,
            SlLogKind  *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    if (g_str_equal (name, sl_log_kind_to_string (all_kinds[i])))
      {
        *kind = all_kinds[i];
        return TRUE;
      }

  return FALSE;
}

static SlLogEntry *
entry_from_node (JsonNode  *node,
                 guint      index,
                 GError   **error)
{
  JsonObject *object;
  gint64 wall_time, monotonic, endpoint, connection, error_code, size;
  const char *kind_name, *peer, *summary, *result, *error_name, *explanation, *encoded;
  g_autoptr(GBytes) payload = NULL;
  SlLogKind kind;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      /* Translators: %s is what the file has instead ("an array", "a string"...) */
      g_autofree char *message = g_strdup_printf (_("each entry must be an object, not %s."),
                                                  node_type_name (node));

      set_entry_error (error, index, message);
      return NULL;
    }
  object = json_node_get_object (node);

  /* Years 1 to 9999, as GDateTime can show them. */
  if (!get_int (object, index, "wall_time_us", TRUE, G_GINT64_CONSTANT (-62135596800000000),
                G_GINT64_CONSTANT (253402300799999999), &wall_time, error) ||
      !get_int (object, index, "monotonic_us", FALSE, G_MININT64, G_MAXINT64, &monotonic, error) ||
      !get_int (object, index, "endpoint", FALSE, 0, G_MAXUINT, &endpoint, error) ||
      !get_int (object, index, "connection", FALSE, 0, G_MAXUINT, &connection, error) ||
      !get_string (object, index, "kind", TRUE, &kind_name, error) ||
      !get_string (object, index, "peer", FALSE, &peer, error) ||
      !get_string (object, index, "summary", TRUE, &summary, error) ||
      !get_string (object, index, "result", FALSE, &result, error) ||
      !get_int (object, index, "errno", FALSE, G_MININT, G_MAXINT, &error_code, error) ||
      !get_string (object, index, "error_name", FALSE, &error_name, error) ||
      !get_string (object, index, "explanation", FALSE, &explanation, error) ||
      !get_int (object, index, "size", FALSE, 0, G_MAXINT64, &size, error) ||
      !get_string (object, index, "payload_base64", FALSE, &encoded, error))
    return NULL;

  {
    const char *texts[] = { peer, summary, result, error_name, explanation };
    const char *names[] = { "peer", "summary", "result", "error_name", "explanation" };

    /* json-glib decodes a lone surrogate escape (\ud800) into bytes that are not UTF-8. */
    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      if (texts[i] != NULL && !g_utf8_validate (texts[i], -1, NULL))
        {
          /* Translators: %s is a field name such as “summary” */
          g_autofree char *message =
            g_strdup_printf (_("the field “%s” is not valid text (a \\u escape names half of "
                               "a surrogate pair alone)."), names[i]);

          set_entry_error (error, index, message);
          return NULL;
        }
  }

  if (!parse_kind (kind_name, &kind))
    {
      g_autofree char *shown = sl_codec_make_printable (kind_name);
      /* Translators: %s is the kind found; the list names the kinds as the file spells them */
      g_autofree char *message =
        g_strdup_printf (_("the kind “%s” is unknown (expected call, in, out, event, error or "
                           "state)."), shown);

      set_entry_error (error, index, message);
      return NULL;
    }

  if (encoded != NULL)
    {
      g_autofree char *problem = NULL;
      guchar *data;
      gsize len = 0;

      if (!base64_check (encoded, &problem))
        {
          /* Translators: %s says what is wrong, e.g. "“%” at position 12 is not a base64 character" */
          g_autofree char *message =
            g_strdup_printf (_("the field “payload_base64” is not valid base64: %s."), problem);

          set_entry_error (error, index, message);
          return NULL;
        }

      data = *encoded != '\0' ? g_base64_decode (encoded, &len) : NULL;
      payload = g_bytes_new_take (data, len);

      if (json_object_has_member (object, "size") && (guint64) size != len)
        {
          g_autofree char *said = g_strdup_printf ("%" G_GINT64_FORMAT, size);
          g_autofree char *has = g_strdup_printf ("%lu", (gulong) len);
          /* Translators: both %s are byte counts */
          g_autofree char *message =
            g_strdup_printf (_("the field “size” says %s bytes but the payload has %s."),
                             said, has);

          set_entry_error (error, index, message);
          return NULL;
        }
    }
  else if (size != 0)
    {
      g_autofree char *said = g_strdup_printf ("%" G_GINT64_FORMAT, size);
      /* Translators: %s is a byte count */
      g_autofree char *message =
        g_strdup_printf (_("the field “size” says %s bytes but there is no “payload_base64”."),
                         said);

      set_entry_error (error, index, message);
      return NULL;
    }

  return sl_log_entry_new_full (kind, wall_time, monotonic, (guint) endpoint, (guint) connection,
                                peer, summary, result, (int) error_code, explanation, payload);
}

SlLog *
sl_log_import_json (const char  *json,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  JsonObject *root;
  JsonNode *node;
  JsonArray *array;
  SlLog *log;
  guint n;

  g_return_val_if_fail (json != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json != NULL && sl_codec_json_too_deep (json, length, MAX_DEPTH) >= 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   _("This file is not a Socket Lab log: it nests lists and objects more than "
                     "%u levels deep. Choose a file exported with “Export as JSON”."),
                   MAX_DEPTH);
      return NULL;
    }

  if (length > G_MAXSSIZE ||
      !json_parser_load_from_data (parser, json != NULL ? json : "", (gssize) length,
                                   &local_error))
    {
      /* json-glib quotes what it stopped at as it decoded it. */
      g_autofree char *shown = sl_codec_make_printable (local_error != NULL
                                                        ? local_error->message
                                                        : _("too large"));

      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   /* Translators: %s is the JSON parser's message */
                   _("This file is not a Socket Lab log: it is not valid JSON (%s). Choose a "
                     "file exported with “Export as JSON”."),
                   shown);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_DECODE,
                           _("This file is not a Socket Lab log: it is empty. Choose a file "
                             "exported with “Export as JSON”."));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   /* Translators: %s is what the file holds ("an array", "a string"...) */
                   _("This file is not a Socket Lab log: it holds %s instead of an object. "
                     "Choose a file exported with “Export as JSON”."),
                   node_type_name (node));
      return NULL;
    }
  root = json_node_get_object (node);

  node = json_object_get_member (root, "format");
  if (node == NULL || !node_is_string (node) ||
      !g_str_equal (json_node_get_string (node), SL_LOG_JSON_FORMAT))
    {
      if (node != NULL && node_is_string (node))
        {
          g_autofree char *shown = sl_codec_make_printable (json_node_get_string (node));

          g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                       /* Translators: the first %s is the format the file names, the second the one expected */
                       _("This file is not a Socket Lab log: its format is “%s”, not “%s”. "
                         "Choose a file exported with “Export as JSON”."),
                       shown, SL_LOG_JSON_FORMAT);
        }
      else
        g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                     /* Translators: %s is the expected format name */
                     _("This file is not a Socket Lab log: it has no “format”: “%s” field. "
                       "Choose a file exported with “Export as JSON”."),
                     SL_LOG_JSON_FORMAT);
      return NULL;
    }

  node = json_object_get_member (root, "version");
  if (node == NULL || !node_is_int (node) || json_node_get_int (node) < 1)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   /* Translators: %d is the version this app reads */
                   _("This Socket Lab log has no valid “version” (a whole number such as %d). "
                     "The file is damaged; export the log again."),
                   SL_LOG_JSON_VERSION);
      return NULL;
    }
  if (json_node_get_int (node) > SL_LOG_JSON_VERSION)
    {
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   /* Translators: %s is the file's format version, %d the newest this app reads */
                   _("This log was written by a newer Socket Lab (format version %s); this "
                     "version reads format version %d. Update Socket Lab to open it."),
                   version, SL_LOG_JSON_VERSION);
      return NULL;
    }

  node = json_object_get_member (root, "dropped");
  if (node != NULL && (!node_is_int (node) || json_node_get_int (node) < 0))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   /* Translators: %s is what the file has ("a string"...) */
                   _("This Socket Lab log is damaged: “dropped” must be a whole number of "
                     "entries, not %s. Export the log again."),
                   node_type_name (node));
      return NULL;
    }

  node = json_object_get_member (root, "entries");
  if (node == NULL)
    {
      g_set_error_literal (error, SL_ERROR, SL_ERROR_DECODE,
                           _("This Socket Lab log is damaged: it has no “entries” array of rows. "
                             "Export the log again."));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   /* Translators: %s is what the file has instead ("an object", "null"...) */
                   _("This Socket Lab log is damaged: “entries” must be an array of rows, not "
                     "%s. Export the log again."),
                   node_type_name (node));
      return NULL;
    }
  array = json_node_get_array (node);
  n = json_array_get_length (array);

  /* Every entry is checked before the log exists: all or nothing. */
  entries = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      SlLogEntry *entry = entry_from_node (json_array_get_element (array, i), i, error);

      if (entry == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
    }

  log = sl_log_new (MAX (n, (guint) SL_LOG_DEFAULT_MAX_ENTRIES));
  for (guint i = 0; i < entries->len; i++)
    sl_log_append (log, g_ptr_array_index (entries, i));
  sl_log_flush (log);

  return log;
}
