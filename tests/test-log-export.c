/* test-log-export.c — the call trace as text and byte-exact JSON, and reading it back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "sl-codec.h"
#include "sl-error.h"
#include "sl-log-export.h"
#include "sl-test-util.h"

#define PEER "('127.0.0.1', 53422)"

static GBytes *
all_byte_values (void)
{
  guint8 data[256];

  for (guint i = 0; i < 256; i++)
    data[i] = (guint8) i;

  return g_bytes_new (data, sizeof data);
}

static GBytes *
big_payload (gsize size)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);

  return g_bytes_new_take (data, size);
}

static void
append_data (SlLog      *log,
             SlLogKind   kind,
             GBytes     *payload)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  g_autofree char *repr = sl_codec_python_bytes (data, len, 64);
  g_autoptr(SlLogEntry) entry = NULL;

  if (kind == SL_LOG_KIND_DATA_IN)
    entry = sl_log_entry_new (kind, 1, 2, PEER, "conn.recv(1024)", repr, 0, NULL, payload);
  else
    {
      g_autofree char *call = g_strdup_printf ("conn.send(%s)", repr);
      g_autofree char *result = g_strdup_printf ("%lu", (gulong) len);

      entry = sl_log_entry_new (kind, 1, 2, PEER, call, result, 0, NULL, payload);
    }
  sl_log_append (log, entry);
}

/* A log with every kind of row the export must keep exactly. */
static SlLog *
sample_log (void)
{
  SlLog *log = sl_log_new (0);
  g_autoptr(GBytes) bytes = all_byte_values ();
  g_autoptr(GBytes) invalid = g_bytes_new ("\xff\xfe\xc3(\xe4\xbd", 6);
  g_autoptr(GBytes) nuls = g_bytes_new ("\0a\0\0b\0", 6);
  g_autoptr(GBytes) big = big_payload (1024 * 1024);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) text = g_bytes_new ("héllo\nworld\r\n", 14);
  g_autoptr(SlLogEntry) call = NULL;
  g_autoptr(SlLogEntry) error = NULL;
  g_autoptr(SlLogEntry) event = NULL;
  g_autoptr(SlLogEntry) state = NULL;
  g_autofree char *python = sl_errno_python (ECONNRESET);

  call = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 0, NULL, "server.bind(('127.0.0.1', 8888))",
                           "None", 0, NULL, NULL);
  sl_log_append (log, call);
  append_data (log, SL_LOG_KIND_DATA_IN, bytes);
  append_data (log, SL_LOG_KIND_DATA_IN, invalid);
  append_data (log, SL_LOG_KIND_DATA_OUT, nuls);
  append_data (log, SL_LOG_KIND_DATA_IN, big);
  append_data (log, SL_LOG_KIND_DATA_IN, empty);
  append_data (log, SL_LOG_KIND_DATA_OUT, empty);
  append_data (log, SL_LOG_KIND_DATA_OUT, text);

  error = sl_log_entry_new (SL_LOG_KIND_ERROR, 1, 2, PEER, "conn.recv(1024)", python,
                            ECONNRESET, sl_errno_explain (ECONNRESET), NULL);
  sl_log_append (log, error);
  event = sl_log_entry_new (SL_LOG_KIND_EVENT, 1, 2, PEER, "client " PEER " connected", NULL, 0,
                            "A note with\na line break.", NULL);
  sl_log_append (log, event);
  state = sl_log_entry_new (SL_LOG_KIND_STATE, 7, 0, NULL, "listening", NULL, 0, NULL, NULL);
  sl_log_append (log, state);

  sl_log_flush (log);

  return log;
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_node_get_object (root);
}

/* ---- round trip --------------------------------------------------------- */

static void
test_json_round_trip (void)
{
  g_autoptr(SlLog) log = sample_log ();
  g_autoptr(SlLog) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = sl_log_export_json (log);
  g_autofree char *json2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray *entries;
  JsonObject *first_data;

  g_assert_true (g_utf8_validate (json, -1, NULL));

  root = parse_object (parser, json);
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, SL_LOG_JSON_FORMAT);
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, SL_LOG_JSON_VERSION);
  g_assert_cmpint (json_object_get_int_member (root, "dropped"), ==, 0);
  g_assert_nonnull (json_object_get_string_member (root, "exported"));
  entries = json_object_get_array_member (root, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 11);

  /* Fields as the header names them. */
  first_data = json_array_get_object_element (entries, 1);
  g_assert_cmpstr (json_object_get_string_member (first_data, "kind"), ==, "in");
  g_assert_cmpint (json_object_get_int_member (first_data, "size"), ==, 256);
  g_assert_cmpint (json_object_get_int_member (first_data, "endpoint"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first_data, "connection"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (first_data, "peer"), ==, PEER);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (entries, 0),
                                              "payload_base64"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 5),
                                                  "payload_base64"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 8),
                                                  "error_name"), ==, "ECONNRESET");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, 8),
                                               "errno"), ==, ECONNRESET);

  again = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  sl_test_assert_same_log (log, again);

  /* Stable: exporting the imported log gives the same entries. */
  json2 = sl_log_export_json (again);
  {
    g_autoptr(SlLog) third = sl_log_import_json (json2, strlen (json2), &error);

    g_assert_no_error (error);
    sl_test_assert_same_log (log, third);
    g_assert_finalize_object (g_steal_pointer (&third));
  }

  g_assert_finalize_object (g_steal_pointer (&again));
  g_assert_finalize_object (g_steal_pointer (&log));
}

static void
test_json_every_byte (void)
{
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(SlLog) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  /* Each single byte value as its own payload, and every pair boundary of base64 padding. */
  for (guint i = 0; i < 256; i++)
    {
      guint8 byte = (guint8) i;
      g_autoptr(GBytes) one = g_bytes_new (&byte, 1);

      append_data (log, i % 2 == 0 ? SL_LOG_KIND_DATA_IN : SL_LOG_KIND_DATA_OUT, one);
    }
  for (gsize len = 1; len <= 5; len++)
    {
      g_autoptr(GBytes) some = g_bytes_new ("\xff\xfe\xfd\xfc\xfb", len);

      append_data (log, SL_LOG_KIND_DATA_IN, some);
    }

  json = sl_log_export_json (log);
  again = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  sl_test_assert_same_log (log, again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 261);

  for (guint i = 0; i < 256; i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (again), i);
      guint8 byte = (guint8) i;

      g_assert_true (sl_test_entry_payload_is (entry, (const char *) &byte, 1));
    }
}

static void
test_json_empty_log (void)
{
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(SlLog) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = sl_log_export_json (log);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root = parse_object (parser, json);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "entries")), ==, 0);

  again = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);
}

/* Entries appended but not yet shown by the model are exported too. */
static void
test_json_flushes (void)
{
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(SlLogEntry) entry = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 0, NULL, "s.listen(5)",
                                                  "None", 0, NULL, NULL);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  sl_log_append (log, entry);
  json = sl_log_export_json (log);
  g_assert_nonnull (strstr (json, "s.listen(5)"));

  sl_log_clear (log);
  sl_log_append (log, entry);
  text = sl_log_export_text (log);
  g_assert_nonnull (strstr (text, "s.listen(5) → None"));
}

static void
test_json_dropped_marker (void)
{
  g_autoptr(SlLog) log = sl_log_new (3);
  g_autoptr(SlLog) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SlLogEntry) marker = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  JsonObject *root;
  JsonArray *entries;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *summary = g_strdup_printf ("call %u", i);
      g_autoptr(SlLogEntry) entry = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 0, NULL, summary,
                                                      "None", 0, NULL, NULL);

      sl_log_append (log, entry);
    }
  sl_log_flush (log);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 2);

  json = sl_log_export_json (log);
  root = parse_object (parser, json);
  g_assert_cmpint (json_object_get_int_member (root, "dropped"), ==, 2);
  entries = json_object_get_array_member (root, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0),
                                                  "summary"), ==, "2 older entries dropped");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 1),
                                                  "summary"), ==, "call 2");

  /* The marker comes back as a row saying what was dropped. */
  again = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);
  marker = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpint (sl_log_entry_get_kind (marker), ==, SL_LOG_KIND_EVENT);
  g_assert_cmpstr (sl_log_entry_get_summary (marker), ==, "2 older entries dropped");
  g_assert_nonnull (sl_log_entry_get_explanation (marker));

  /* The text export says it too, with the marker's explanation on its own line. */
  text = sl_log_export_text (log);
  g_assert_nonnull (strstr (text, "event  2 older entries dropped\n    The log keeps the newest 3"));
}

/* ---- text --------------------------------------------------------------- */

static void
test_text_lines (void)
{
  g_autoptr(SlLog) log = sample_log ();
  g_autofree char *text = sl_log_export_text (log);
  g_auto(GStrv) lines = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));
  guint line = 2;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);

  g_assert_true (g_str_has_prefix (lines[0], "# Socket Lab " PACKAGE_VERSION " call trace, "
                                   "exported "));
  g_assert_cmpstr (lines[1], ==, "# 11 entries");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autofree char *expected = sl_log_entry_format (entry);

      /* Each entry is exactly its formatted line: payload bytes never break it. */
      g_assert_cmpstr (lines[line], ==, expected);
      line++;

      if (sl_log_entry_get_kind (entry) == SL_LOG_KIND_EVENT)
        {
          /* A non-error explanation goes on an indented line, as one line. */
          g_assert_cmpstr (lines[line], ==, "    A note with a line break.");
          line++;
        }
      if (sl_log_entry_get_kind (entry) == SL_LOG_KIND_ERROR)
        {
          /* An error's line already carries its errno and explanation. */
          g_assert_nonnull (strstr (expected, "ECONNRESET"));
          g_assert_nonnull (strstr (expected, sl_errno_explain (ECONNRESET)));
        }
    }

  g_assert_cmpstr (lines[line], ==, "");
  g_assert_null (lines[line + 1]);

  /* The invalid UTF-8 and NUL payload rows are escaped, not raw. */
  g_assert_nonnull (strstr (text, "b'\\xff\\xfe\\xc3(\\xe4\\xbd'"));
  g_assert_nonnull (strstr (text, "conn.send(b'\\x00a\\x00\\x00b\\x00')"));
}

/* ---- corrupt input ------------------------------------------------------ */

static void
assert_import_fails (const char *json,
                     const char *expect1,
                     const char *expect2)
{
  g_autoptr(GError) error = NULL;
  SlLog *log = sl_log_import_json (json, strlen (json), &error);

  g_assert_null (log);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_test_message ("%s", error->message);
  /* Whatever the file holds, the message is text a label can show. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
  if (strstr (error->message, expect1) == NULL ||
      (expect2 != NULL && strstr (error->message, expect2) == NULL))
    g_error ("“%s” should mention “%s” and “%s”", error->message, expect1,
             expect2 != NULL ? expect2 : "");
}

#define ENTRY(fields) "{\"wall_time_us\": 1, \"kind\": \"in\", \"summary\": \"s.recv(5)\"" fields "}"
#define LOG(entries) "{\"format\": \"socket-lab-log\", \"version\": 1, \"dropped\": 0, " \
                     "\"entries\": [" entries "]}"

static void
test_import_minimal (void)
{
  g_autoptr(GError) error = NULL;
  const char *json = LOG (ENTRY ("") "," ENTRY (", \"payload_base64\": \"aGk=\", \"size\": 2"));
  g_autoptr(SlLog) log = sl_log_import_json (json, strlen (json), &error);
  g_autoptr(SlLogEntry) first = NULL;
  g_autoptr(SlLogEntry) second = NULL;

  /* Optional fields may be left out. */
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (log), 0);
  second = g_list_model_get_item (G_LIST_MODEL (log), 1);
  g_assert_null (sl_log_entry_get_payload (first));
  g_assert_null (sl_log_entry_get_peer (first));
  g_assert_cmpint (sl_log_entry_get_wall_time (first), ==, 1);
  g_assert_true (sl_test_entry_payload_is (second, "hi", 2));
}

static void
test_import_corrupt (void)
{
  assert_import_fails ("this is not json", "not valid JSON", NULL);
  assert_import_fails ("", "it is empty", NULL);
  assert_import_fails (" \n", "it is empty", NULL);
  assert_import_fails ("[1, 2]", "not a Socket Lab log", "an array");
  assert_import_fails ("{\"format\": \"pcap\", \"version\": 1, \"entries\": []}",
                       "not a Socket Lab log", "“pcap”");
  assert_import_fails ("{\"version\": 1, \"entries\": []}", "not a Socket Lab log", "format");
  assert_import_fails ("{\"format\": \"socket-lab-log\", \"version\": 99, \"entries\": []}",
                       "newer Socket Lab", "99");
  assert_import_fails ("{\"format\": \"socket-lab-log\", \"version\": \"1\", \"entries\": []}",
                       "version", NULL);
  assert_import_fails ("{\"format\": \"socket-lab-log\", \"version\": 1, \"entries\": {}}",
                       "“entries” must be an array", "an object");
  assert_import_fails ("{\"format\": \"socket-lab-log\", \"version\": 1}",
                       "no “entries” array", NULL);
  assert_import_fails ("{\"format\": \"socket-lab-log\", \"version\": 1, \"dropped\": -1, "
                       "\"entries\": []}", "dropped", NULL);

  /* Refused before json-glib, whose parser recurses. */
  {
    gsize depth = 100000;
    GString *deep = g_string_new ("{\"format\": \"socket-lab-log\", \"version\": 1, \"entries\": [");

    for (gsize i = 0; i < depth; i++)
      g_string_append_c (deep, '[');
    for (gsize i = 0; i < depth; i++)
      g_string_append_c (deep, ']');
    g_string_append (deep, "]}");
    assert_import_fails (deep->str, "levels deep", NULL);
    g_string_free (deep, TRUE);
  }
  /* What the file says is quoted printable: control characters, lone surrogates. */
  assert_import_fails ("{\"format\": \"x\\u0001y\", \"version\": 1, \"entries\": []}",
                       "its format is “x\\x01y”", NULL);
  assert_import_fails (LOG ("{\"wall_time_us\": 1, \"kind\": \"\\u0007\", \"summary\": \"x\"}"),
                       "entries[0]", "the kind “\\x07”");
  assert_import_fails ("{\"\\ude00\" \"x\"}", "not valid JSON", NULL);
  /* A lone surrogate escape is not text; a time GDateTime cannot show is refused. */
  assert_import_fails (LOG (ENTRY (", \"result\": \"\\ude00z\"")),
                       "entries[0]", "“result” is not valid text");
  assert_import_fails (LOG ("{\"wall_time_us\": -9223372036854775808, \"kind\": \"in\", "
                            "\"summary\": \"x\"}"), "entries[0]", "wall_time_us");

  /* Entry problems name the entry and the field. */
  assert_import_fails (LOG (ENTRY ("") "," ENTRY (", \"payload_base64\": \"aGk%\"")),
                       "entries[1]", "“payload_base64” is not valid base64: “%” at position 3");
  assert_import_fails (LOG (ENTRY (", \"payload_base64\": \"aGk\"")),
                       "entries[0]", "multiple of 4");
  assert_import_fails (LOG (ENTRY (", \"payload_base64\": \"a=Gk\"")),
                       "entries[0]", "padding");
  assert_import_fails (LOG ("{\"wall_time_us\": 1, \"kind\": \"in\"}"),
                       "entries[0]", "“summary” is missing");
  assert_import_fails (LOG (ENTRY ("") "," ENTRY ("") ","
                            "{\"wall_time_us\": 1, \"kind\": \"in\", \"summary\": null}"),
                       "entries[2]", "“summary” must be a string, not null");
  assert_import_fails (LOG (ENTRY (", \"errno\": \"ECONNRESET\"")),
                       "entries[0]", "“errno” must be an integer, not a string");
  assert_import_fails (LOG (ENTRY (", \"peer\": 5")),
                       "entries[0]", "“peer” must be a string or null, not a number");
  assert_import_fails (LOG (ENTRY (", \"endpoint\": 1.5")),
                       "entries[0]", "“endpoint” must be an integer, not a fractional number");
  assert_import_fails (LOG (ENTRY (", \"connection\": -1")),
                       "entries[0]", "“connection” is -1, outside 0 to");
  assert_import_fails (LOG ("{\"wall_time_us\": 1, \"kind\": \"sideways\", \"summary\": \"x\"}"),
                       "entries[0]", "“sideways” is unknown");
  assert_import_fails (LOG (ENTRY (", \"payload_base64\": \"aGk=\", \"size\": 3")),
                       "entries[0]", "says 3 bytes but the payload has 2");
  assert_import_fails (LOG (ENTRY (", \"size\": 3")), "entries[0]", "no “payload_base64”");
  assert_import_fails (LOG ("[]"), "entries[0]", "must be an object, not an array");
  assert_import_fails (LOG ("{\"kind\": \"in\", \"summary\": \"x\"}"),
                       "entries[0]", "“wall_time_us” is missing");
}

/* A bad entry late in a big file loads nothing, and a truncated file is not JSON. */
static void
test_import_all_or_nothing (void)
{
  g_autoptr(SlLog) log = sample_log ();
  g_autofree char *json = sl_log_export_json (log);
  g_autoptr(GString) broken = g_string_new (json);
  const char *last;

  last = g_strrstr (broken->str, "\"summary\":");
  g_assert_nonnull (last);
  g_string_overwrite (broken, last - broken->str, "\"Summary\":");
  assert_import_fails (broken->str, "entries[10]", "“summary” is missing");

  g_string_assign (broken, json);
  g_string_truncate (broken, broken->len / 2);
  assert_import_fails (broken->str, "not valid JSON", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log-export/json/round-trip", test_json_round_trip);
  g_test_add_func ("/log-export/json/every-byte", test_json_every_byte);
  g_test_add_func ("/log-export/json/empty-log", test_json_empty_log);
  g_test_add_func ("/log-export/json/flushes", test_json_flushes);
  g_test_add_func ("/log-export/json/dropped-marker", test_json_dropped_marker);
  g_test_add_func ("/log-export/text/lines", test_text_lines);
  g_test_add_func ("/log-export/import/minimal", test_import_minimal);
  g_test_add_func ("/log-export/import/corrupt", test_import_corrupt);
  g_test_add_func ("/log-export/import/all-or-nothing", test_import_all_or_nothing);

  return g_test_run ();
}
