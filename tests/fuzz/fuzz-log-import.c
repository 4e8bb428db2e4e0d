/* fuzz-log-import.c — the saved JSON log format over arbitrary bytes
 *
 * sl_log_import_json() reads what "Export as JSON" wrote. Checks the
 * invariants: it returns a log or an SL_ERROR_DECODE error with a
 * non-empty, valid UTF-8 message, never both and never neither; a log it
 * accepts holds no dropped-entries count and keeps every row; exported
 * again and imported again it gives the same rows field by field, payloads
 * byte-exact (import → export → import is the identity on what was
 * accepted), and the second export is the first one but for its time
 * stamp; the text export of an accepted log works and is valid UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "sl-error.h"
#include "sl-log-export.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* FIXED in 79c596f (flag kept FALSE, so this is checked; reported as
 * bug 1, the codec part fixed in 1bbc770):
 * sl_log_import_json() puts json-glib's parse error message in its own, and
 * json-glib quotes the string constant where it stopped as it decoded it: a
 * lone surrogate escape ({"\ude00" "x"}) comes out as the bytes ed b8 80,
 * which are not UTF-8 (seed json-error-surrogate.json). The messages that
 * quote the file's "format" and an entry's "kind" do the same with what
 * json-glib decoded, which can be such bytes too: json-glib also takes a
 * "\u" escape with fewer than four hex digits, "\ude0-" (seed
 * format-bad-escape.json). Set to FALSE once these messages are made valid
 * there (sl_codec_make_printable()). */
#define TOLERATE_JSON_ERROR_UTF8_BUG FALSE

/* FIXED in 1bbc770 (flag kept FALSE, so this is checked): the import
 * takes any string json-glib gives, and json-glib turns a lone surrogate
 * escape ("\ud83d") into bytes that are not UTF-8; the row then holds
 * invalid UTF-8 (seed lone-surrogate.json). The
 * export makes it valid (U+FFFD), so the round trip changes it. While TRUE,
 * such a string must come back as g_utf8_make_valid() of itself, and the
 * text export is not checked for UTF-8. Set to FALSE once the import
 * refuses (or repairs) strings that are not UTF-8. */
#define TOLERATE_IMPORT_INVALID_UTF8_BUG FALSE

static gboolean saw_invalid_utf8;

/* The same string after import → export → import. */
static void
assert_same_string (const char *first,
                    const char *again)
{
  if (first != NULL && !g_utf8_validate (first, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (first, -1);

      g_assert (TOLERATE_IMPORT_INVALID_UTF8_BUG);
      saw_invalid_utf8 = TRUE;
      g_assert_cmpstr (valid, ==, again);
      return;
    }
  g_assert_cmpstr (first, ==, again);
}

static void
assert_same_entry (SlLogEntry *a,
                   SlLogEntry *b)
{
  GBytes *pa = sl_log_entry_get_payload (a);
  GBytes *pb = sl_log_entry_get_payload (b);

  g_assert_cmpint (sl_log_entry_get_kind (a), ==, sl_log_entry_get_kind (b));
  g_assert_cmpint (sl_log_entry_get_wall_time (a), ==, sl_log_entry_get_wall_time (b));
  g_assert_cmpint (sl_log_entry_get_monotonic_time (a), ==, sl_log_entry_get_monotonic_time (b));
  g_assert_cmpuint (sl_log_entry_get_endpoint_id (a), ==, sl_log_entry_get_endpoint_id (b));
  g_assert_cmpuint (sl_log_entry_get_connection_id (a), ==, sl_log_entry_get_connection_id (b));
  assert_same_string (sl_log_entry_get_peer (a), sl_log_entry_get_peer (b));
  assert_same_string (sl_log_entry_get_summary (a), sl_log_entry_get_summary (b));
  assert_same_string (sl_log_entry_get_result (a), sl_log_entry_get_result (b));
  g_assert_cmpint (sl_log_entry_get_error_code (a), ==, sl_log_entry_get_error_code (b));
  g_assert_cmpstr (sl_log_entry_get_error_name (a), ==, sl_log_entry_get_error_name (b));
  assert_same_string (sl_log_entry_get_explanation (a), sl_log_entry_get_explanation (b));
  g_assert_cmpuint (sl_log_entry_get_size (a), ==, sl_log_entry_get_size (b));
  g_assert ((pa == NULL) == (pb == NULL));
  if (pa != NULL)
    g_assert (g_bytes_equal (pa, pb));
}

/* The export without its "exported" line, which holds the time. */
static char *
without_time_stamp (const char *json)
{
  const char *line = strstr (json, "\n  \"exported\": \"");
  const char *end;

  g_assert_nonnull (line);
  end = strchr (line + 1, '\n');
  g_assert_nonnull (end);

  return g_strdup_printf ("%.*s%s", (int) (line - json), json, end);
}

static void
assert_same_rows (SlLog *a,
                  SlLog *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlLogEntry) ea = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(SlLogEntry) eb = g_list_model_get_item (G_LIST_MODEL (b), i);

      assert_same_entry (ea, eb);
    }
}

static guint
count_entries (const guint8 *data,
               gsize         size)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *root;

  g_assert (json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL));
  root = json_node_get_object (json_parser_get_root (parser));

  return json_array_get_length (json_object_get_array_member (root, "entries"));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static gboolean initialized = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLog) log = NULL;
  g_autoptr(SlLog) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *stripped_again = NULL;
  g_autofree char *text = NULL;

  saw_invalid_utf8 = FALSE;
  if (!initialized)
    {
      /* A g_return_if_fail() reached by some input is a crash too. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialized = TRUE;
    }

  log = sl_log_import_json ((const char *) data, size, &error);
  g_assert ((log == NULL) != (error == NULL));
  if (log == NULL)
    {
      g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
      g_assert (error->message[0] != '\0');
      if (!(TOLERATE_JSON_ERROR_UTF8_BUG &&
            (g_str_has_prefix (error->message, "This file is not a Socket Lab log: it is not "
                                               "valid JSON (") ||
             g_str_has_prefix (error->message, "This file is not a Socket Lab log: its format "
                                               "is “") ||
             strstr (error->message, ": the kind “") != NULL)))
        g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  /* Every row of the file, nothing dropped, nothing added. */
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, count_entries (data, size));

  json = sl_log_export_json (log);
  g_assert (g_utf8_validate (json, -1, NULL));
  again = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  assert_same_rows (log, again);

  json_again = sl_log_export_json (again);
  stripped = without_time_stamp (json);
  stripped_again = without_time_stamp (json_again);
  g_assert_cmpstr (stripped, ==, stripped_again);

  text = sl_log_export_text (log);
  g_assert (saw_invalid_utf8 || g_utf8_validate (text, -1, NULL));

  return 0;
}
