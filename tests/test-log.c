/* test-log.c — log entries and the batched, capped log model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>

#include "sl-codec.h"
#include "sl-error.h"
#include "sl-log.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

/* ---- entries ------------------------------------------------------------ */

static SlLogEntry *
numbered_entry (guint n)
{
  g_autofree char *summary = g_strdup_printf ("entry %u", n);

  return sl_log_entry_new (SL_LOG_KIND_CALL, 1, 0, NULL, summary, "None", 0, NULL, NULL);
}

static void
test_entry_getters (void)
{
  g_autoptr(GBytes) payload = g_bytes_new ("hello", 5);
  gint64 before = g_get_real_time ();
  gint64 before_mono = g_get_monotonic_time ();
  SlLogEntry *entry;
  g_autofree char *peer = NULL;
  SlLogKind kind;
  guint connection_id;

  entry = sl_log_entry_new (SL_LOG_KIND_DATA_IN, 3, 7, "('127.0.0.1', 53422)",
                            "conn.recv(1024)", "b'hello'", 0, NULL, payload);

  g_assert_cmpint (sl_log_entry_get_kind (entry), ==, SL_LOG_KIND_DATA_IN);
  g_assert_cmpuint (sl_log_entry_get_endpoint_id (entry), ==, 3);
  g_assert_cmpuint (sl_log_entry_get_connection_id (entry), ==, 7);
  g_assert_cmpstr (sl_log_entry_get_peer (entry), ==, "('127.0.0.1', 53422)");
  g_assert_cmpstr (sl_log_entry_get_summary (entry), ==, "conn.recv(1024)");
  g_assert_cmpstr (sl_log_entry_get_result (entry), ==, "b'hello'");
  g_assert_cmpint (sl_log_entry_get_error_code (entry), ==, 0);
  g_assert_null (sl_log_entry_get_error_name (entry));
  g_assert_null (sl_log_entry_get_explanation (entry));
  g_assert_true (g_bytes_equal (sl_log_entry_get_payload (entry), payload));
  g_assert_cmpuint (sl_log_entry_get_size (entry), ==, 5);
  g_assert_cmpint (sl_log_entry_get_wall_time (entry), >=, before);
  g_assert_cmpint (sl_log_entry_get_wall_time (entry), <=, g_get_real_time ());
  g_assert_cmpint (sl_log_entry_get_monotonic_time (entry), >=, before_mono);
  g_assert_cmpint (sl_log_entry_get_monotonic_time (entry), <=, g_get_monotonic_time ());

  /* The same values as read-only properties, for list rows. */
  g_object_get (entry, "peer", &peer, "kind", &kind, "connection-id", &connection_id, NULL);
  g_assert_cmpstr (peer, ==, "('127.0.0.1', 53422)");
  g_assert_cmpint (kind, ==, SL_LOG_KIND_DATA_IN);
  g_assert_cmpuint (connection_id, ==, 7);

  g_assert_finalize_object (entry);
}

static void
test_entry_error (void)
{
  SlLogEntry *entry;

  entry = sl_log_entry_new (SL_LOG_KIND_ERROR, 1, 2, NULL, "conn.recv(1024)",
                            "ConnectionResetError: [Errno 104] ECONNRESET", ECONNRESET,
                            sl_errno_explain (ECONNRESET), NULL);

  g_assert_cmpint (sl_log_entry_get_error_code (entry), ==, ECONNRESET);
  g_assert_cmpstr (sl_log_entry_get_error_name (entry), ==, "ECONNRESET");
  g_assert_cmpstr (sl_log_entry_get_explanation (entry), ==, sl_errno_explain (ECONNRESET));
  g_assert_null (sl_log_entry_get_payload (entry));
  g_assert_cmpuint (sl_log_entry_get_size (entry), ==, 0);
  g_assert_null (sl_log_entry_get_peer (entry));

  g_assert_finalize_object (entry);
}

static void
test_entry_payload (void)
{
  gsize sizes[] = { 0, 1, 16, 128, 129, 65536 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *data = g_malloc (sizes[i] + 1);
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GBytes) kept = NULL;
      g_autofree char *result = NULL;
      g_autofree char *summary = NULL;
      SlLogEntry *in;
      SlLogEntry *out;

      for (gsize j = 0; j < sizes[i]; j++)
        data[j] = (guint8) (j * 31);
      payload = g_bytes_new (data, sizes[i]);
      result = sl_codec_python_bytes (data, sizes[i], 64);
      summary = g_strdup_printf ("conn.sendall(%s)", result);

      in = sl_log_entry_new (SL_LOG_KIND_DATA_IN, 1, 1, "peer", "conn.recv(65536)", result,
                             0, NULL, payload);
      out = sl_log_entry_new (SL_LOG_KIND_DATA_OUT, 1, 1, "peer", summary, "None",
                              0, NULL, payload);

      g_assert_true (g_bytes_equal (sl_log_entry_get_payload (in), payload));
      g_assert_true (g_bytes_equal (sl_log_entry_get_payload (out), payload));
      /* transfer none: the same object on every call */
      g_assert_true (sl_log_entry_get_payload (in) == sl_log_entry_get_payload (in));
      g_assert_cmpuint (sl_log_entry_get_size (in), ==, sizes[i]);
      g_assert_cmpstr (sl_log_entry_get_result (in), ==, result);
      g_assert_cmpstr (sl_log_entry_get_summary (in), ==, "conn.recv(65536)");
      g_assert_cmpstr (sl_log_entry_get_summary (out), ==, summary);
      g_assert_cmpstr (sl_log_entry_get_result (out), ==, "None");

      /* A payload kept by the caller outlives its entry. */
      kept = g_bytes_ref (sl_log_entry_get_payload (in));
      g_assert_finalize_object (in);
      g_assert_finalize_object (out);
      g_assert_true (g_bytes_equal (kept, payload));
    }
}

static void
test_entry_shared_strings (void)
{
  g_autofree char *peer = g_strdup ("('127.0.0.1', 8888)");
  SlLogEntry *a = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 1, peer, "conn.recv(1024)", NULL,
                                    0, NULL, NULL);
  SlLogEntry *b = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 1, "('127.0.0.1', 8888)",
                                    "conn.recv(1024)", NULL, 0, NULL, NULL);
  SlLogEntry *c = sl_log_entry_new (SL_LOG_KIND_CALL, 2, 3, "('127.0.0.1', 8888)",
                                    "conn.recv(1024)", NULL, 0, NULL, NULL);
  SlLogEntry *d = sl_log_entry_new (SL_LOG_KIND_CALL, 1, 1, NULL, "server.accept()", NULL,
                                    0, NULL, NULL);

  /* Rows of one connection share one copy of its peer. */
  g_assert_true (sl_log_entry_get_peer (a) == sl_log_entry_get_peer (b));
  g_assert_true (sl_log_entry_get_peer (a) != peer);
  g_assert_true (sl_log_entry_get_summary (a) == sl_log_entry_get_summary (c));
  g_assert_null (sl_log_entry_get_result (a));

  /* ...and each row keeps its own ids and peer. */
  g_assert_cmpuint (sl_log_entry_get_endpoint_id (c), ==, 2);
  g_assert_cmpuint (sl_log_entry_get_connection_id (c), ==, 3);
  g_assert_cmpstr (sl_log_entry_get_peer (c), ==, "('127.0.0.1', 8888)");
  g_assert_cmpuint (sl_log_entry_get_endpoint_id (d), ==, 1);
  g_assert_cmpuint (sl_log_entry_get_connection_id (d), ==, 1);
  g_assert_null (sl_log_entry_get_peer (d));

  g_assert_finalize_object (a);
  g_assert_cmpstr (sl_log_entry_get_peer (b), ==, "('127.0.0.1', 8888)");
  g_assert_finalize_object (b);
  g_assert_finalize_object (c);
  g_assert_finalize_object (d);
}

/* Entries are made in worker threads too (blocking calls) and released in
 * the main thread: the shared strings and origins stay consistent. */
static gpointer
make_entries_thread (gpointer data)
{
  GPtrArray *entries = data;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *peer = g_strdup_printf ("('127.0.0.1', %u)", 40000 + i % 7);

      g_ptr_array_add (entries, sl_log_entry_new (SL_LOG_KIND_CALL, 1, i % 7, peer,
                                                  "conn.recv(1024)", "b'x'", 0, NULL, NULL));
    }

  return entries;
}

static void
test_entry_threads (void)
{
  GThread *threads[4];

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    threads[t] = g_thread_new ("entries", make_entries_thread,
                               g_ptr_array_new_with_free_func (g_object_unref));

  for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      g_autoptr(GPtrArray) entries = g_thread_join (threads[t]);

      g_assert_cmpuint (entries->len, ==, 2000);
      for (guint i = 0; i < entries->len; i++)
        {
          SlLogEntry *entry = g_ptr_array_index (entries, i);
          g_autofree char *peer = g_strdup_printf ("('127.0.0.1', %u)", 40000 + i % 7);

          g_assert_cmpuint (sl_log_entry_get_connection_id (entry), ==, i % 7);
          g_assert_cmpstr (sl_log_entry_get_peer (entry), ==, peer);
          g_assert_cmpstr (sl_log_entry_get_result (entry), ==, "b'x'");
        }
    }
}

static void
assert_format (SlLogEntry *entry,
               const char *expected_after_time)
{
  g_autofree char *line = sl_log_entry_format (entry);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;
  gint64 wall = sl_log_entry_get_wall_time (entry);

  g_test_message ("%s", line);
  g_assert_true (g_regex_match_simple ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}  ", line, 0, 0));
  g_assert_cmpstr (line + strlen ("15:04:05.123456"), ==, expected_after_time);

  local = g_date_time_new_from_unix_local (wall / G_USEC_PER_SEC);
  time = g_strdup_printf ("%02d:%02d:%02d.%06d", g_date_time_get_hour (local),
                          g_date_time_get_minute (local), g_date_time_get_second (local),
                          (int) (wall % G_USEC_PER_SEC));
  g_assert_true (g_str_has_prefix (line, time));

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (p)));
  g_assert_finalize_object (entry);
}

static void
test_entry_format (void)
{
  g_autoptr(GBytes) hello = g_bytes_new ("hello", 5);

  assert_format (sl_log_entry_new (SL_LOG_KIND_CALL, 1, 0, NULL,
                                   "server.bind(('127.0.0.1', 8888))", "None", 0, NULL, NULL),
                 "  call   server.bind(('127.0.0.1', 8888)) → None");
  assert_format (sl_log_entry_new (SL_LOG_KIND_DATA_IN, 1, 1, "('127.0.0.1', 53422)",
                                   "conn.recv(1024)", "b'hello'", 0, NULL, hello),
                 "  in     ('127.0.0.1', 53422)  conn.recv(1024) → b'hello'");
  assert_format (sl_log_entry_new (SL_LOG_KIND_DATA_OUT, 1, 1, "('127.0.0.1', 53422)",
                                   "conn.sendall(b'hello')", "None", 0, NULL, hello),
                 "  out    ('127.0.0.1', 53422)  conn.sendall(b'hello') → None");
  assert_format (sl_log_entry_new (SL_LOG_KIND_EVENT, 1, 1, NULL,
                                   "client ('127.0.0.1', 53422) connected", NULL, 0,
                                   "not shown for events", NULL),
                 "  event  client ('127.0.0.1', 53422) connected");
  assert_format (sl_log_entry_new (SL_LOG_KIND_ERROR, 1, 1, NULL, "conn.recv(1024)",
                                   "ConnectionResetError: [Errno 104] ECONNRESET", ECONNRESET,
                                   "the peer reset the connection.", NULL),
                 "  error  conn.recv(1024) → ConnectionResetError: [Errno 104] ECONNRESET"
                 " — the peer reset the connection.");
  assert_format (sl_log_entry_new (SL_LOG_KIND_ERROR, 1, 1, NULL, "server.accept()", NULL,
                                   EAGAIN, NULL, NULL),
                 "  error  server.accept() → EAGAIN");
  assert_format (sl_log_entry_new (SL_LOG_KIND_STATE, 1, 1, NULL, "ESTABLISHED → CLOSE_WAIT",
                                   NULL, 0, NULL, NULL),
                 "  state  ESTABLISHED → CLOSE_WAIT");
  /* Nothing can break the line: control characters, line separators and
   * invalid UTF-8 are escaped; backslashes of Python code are kept. */
  assert_format (sl_log_entry_new (SL_LOG_KIND_ERROR, 1, 1, "a\nb",
                                   "conn.send(b'\\n')\r\n\t\x1b[31m",
                                   "x\xe2\x80\xa8y\xc2\x85z\xff", EPIPE, "line 1\nline 2", NULL),
                 "  error  a\\nb  conn.send(b'\\n')\\r\\n\\t\\x1b[31m → x\\u2028y\\u0085z\\xff"
                 " — line 1\\nline 2");
}

static void
test_kind_names (void)
{
  g_assert_cmpstr (sl_log_kind_to_string (SL_LOG_KIND_CALL), ==, "call");
  g_assert_cmpstr (sl_log_kind_to_string (SL_LOG_KIND_DATA_IN), ==, "in");
  g_assert_cmpstr (sl_log_kind_to_string (SL_LOG_KIND_DATA_OUT), ==, "out");
  g_assert_cmpstr (sl_log_kind_to_string (SL_LOG_KIND_EVENT), ==, "event");
  g_assert_cmpstr (sl_log_kind_to_string (SL_LOG_KIND_ERROR), ==, "error");
  g_assert_cmpstr (sl_log_kind_to_string (SL_LOG_KIND_STATE), ==, "state");
}

/* ---- the log ------------------------------------------------------------ */

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_items; /* what the model said during the emission */
} Change;

typedef struct
{
  GArray  *changes;
  guint    n_entry_added;
  guint    n_dropped_notify;
  gpointer last_entry;
} Recorder;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  Change change = { position, removed, added, g_list_model_get_n_items (model) };

  g_array_append_val (recorder->changes, change);
}

static void
entry_added_cb (SlLog      *log,
                SlLogEntry *entry,
                Recorder   *recorder)
{
  g_assert_true (SL_IS_LOG_ENTRY (entry));
  recorder->n_entry_added++;
  recorder->last_entry = entry;
}

static void
notify_n_dropped_cb (SlLog      *log,
                     GParamSpec *pspec,
                     Recorder   *recorder)
{
  recorder->n_dropped_notify++;
}

static void
recorder_init (Recorder *recorder,
               SlLog    *log)
{
  memset (recorder, 0, sizeof *recorder);
  recorder->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), recorder);
  g_signal_connect (log, "entry-added", G_CALLBACK (entry_added_cb), recorder);
  g_signal_connect (log, "notify::n-dropped", G_CALLBACK (notify_n_dropped_cb), recorder);
}

static void
recorder_reset (Recorder *recorder)
{
  g_array_set_size (recorder->changes, 0);
  recorder->n_entry_added = 0;
  recorder->n_dropped_notify = 0;
}

static void
recorder_clear (Recorder *recorder,
                SlLog    *log)
{
  g_signal_handlers_disconnect_by_data (log, recorder);
  g_clear_pointer (&recorder->changes, g_array_unref);
}

static void
assert_change (Recorder *recorder,
               guint     index,
               guint     position,
               guint     removed,
               guint     added)
{
  Change *change;

  g_assert_cmpuint (index, <, recorder->changes->len);
  change = &g_array_index (recorder->changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static void
append_numbered (SlLog *log,
                 guint  from,
                 guint  count)
{
  for (guint i = from; i < from + count; i++)
    {
      g_autoptr(SlLogEntry) entry = numbered_entry (i);

      sl_log_append (log, entry);
    }
}

static void
assert_item_summary (SlLog      *log,
                     guint       position,
                     const char *summary)
{
  g_autoptr(SlLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), position);

  g_assert_nonnull (entry);
  g_assert_cmpstr (sl_log_entry_get_summary (entry), ==, summary);
}

static void
assert_item_number (SlLog *log,
                    guint  position,
                    guint  n)
{
  g_autofree char *summary = g_strdup_printf ("entry %u", n);

  assert_item_summary (log, position, summary);
}

static void
test_log_append_flush (void)
{
  SlLog *log = sl_log_new (0);
  SlLogEntry *entries[3];
  Recorder recorder;

  recorder_init (&recorder, log);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == SL_TYPE_LOG_ENTRY);
  g_assert_cmpuint (sl_log_get_max_entries (log), ==, SL_LOG_DEFAULT_MAX_ENTRIES);

  for (guint i = 0; i < 3; i++)
    {
      entries[i] = numbered_entry (i);
      sl_log_append (log, entries[i]);
      /* ::entry-added at once, with the entry itself */
      g_assert_cmpuint (recorder.n_entry_added, ==, i + 1);
      g_assert_true (recorder.last_entry == entries[i]);
    }

  /* Pending until the flush. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (sl_log_get_n_appended (log), ==, 3);
  g_assert_cmpuint (recorder.changes->len, ==, 0);

  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);
  g_assert_cmpuint (recorder.changes->len, ==, 1);
  assert_change (&recorder, 0, 0, 0, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SlLogEntry) item = g_list_model_get_item (G_LIST_MODEL (log), i);

      g_assert_true (item == entries[i]);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 3));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), G_MAXUINT));

  /* A flush with nothing pending says nothing. */
  sl_log_flush (log);
  g_assert_cmpuint (recorder.changes->len, ==, 1);

  /* More entries go at the end. */
  append_numbered (log, 3, 2);
  sl_log_flush (log);
  g_assert_cmpuint (recorder.changes->len, ==, 2);
  assert_change (&recorder, 1, 3, 0, 2);
  assert_item_number (log, 4, 4);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 0);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
  for (guint i = 0; i < 3; i++)
    g_assert_finalize_object (entries[i]);
}

static gboolean
has_n_items (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (args[0]) == GPOINTER_TO_UINT (args[1]);
}

static void
test_log_batch_source (void)
{
  SlLog *log = sl_log_new (0);
  gpointer args[2] = { log, GUINT_TO_POINTER (2) };
  Recorder recorder;

  recorder_init (&recorder, log);
  append_numbered (log, 0, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);

  /* The main context shows them without an explicit flush. */
  g_assert_true (sl_test_wait_until (has_n_items, args, WAIT_MS));
  g_assert_cmpuint (recorder.changes->len, ==, 1);
  assert_change (&recorder, 0, 0, 0, 2);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
test_log_flood (void)
{
  SlLog *log = sl_log_new (0);
  gpointer args[2] = { log, GUINT_TO_POINTER (20000) };
  Recorder recorder;

  recorder_init (&recorder, log);

  /* 20,000 entries within one main-context iteration... */
  append_numbered (log, 0, 20000);
  g_assert_cmpuint (recorder.n_entry_added, ==, 20000);
  g_assert_true (sl_test_wait_until (has_n_items, args, WAIT_MS));

  /* ...are announced by one items-changed. */
  g_assert_cmpuint (recorder.changes->len, ==, 1);
  assert_change (&recorder, 0, 0, 0, 20000);
  assert_item_number (log, 0, 0);
  assert_item_number (log, 19999, 19999);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
test_log_flood_capped (void)
{
  SlLog *log = sl_log_new (1000);
  gpointer args[2] = { log, GUINT_TO_POINTER (1001) };
  Recorder recorder;

  recorder_init (&recorder, log);
  append_numbered (log, 0, 20000);
  g_assert_true (sl_test_wait_until (has_n_items, args, WAIT_MS));

  /* The marker appears and the newest 1000 are added: two emissions. */
  g_assert_cmpuint (recorder.changes->len, ==, 2);
  assert_change (&recorder, 0, 0, 0, 1);
  assert_change (&recorder, 1, 1, 0, 1000);
  assert_item_summary (log, 0, "19000 older entries dropped");
  assert_item_number (log, 1, 19000);
  assert_item_number (log, 1000, 19999);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 19000);
  g_assert_cmpuint (sl_log_get_n_appended (log), ==, 20000);
  g_assert_cmpuint (recorder.n_dropped_notify, ==, 1);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
test_log_cap_marker (void)
{
  SlLog *log = sl_log_new (100);
  SlLogEntry *marker;
  SlLogEntry *marker_again;
  Recorder recorder;

  recorder_init (&recorder, log);
  append_numbered (log, 0, 250);
  sl_log_flush (log);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 101);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 150);
  g_assert_cmpuint (recorder.n_dropped_notify, ==, 1);

  marker = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpint (sl_log_entry_get_kind (marker), ==, SL_LOG_KIND_EVENT);
  g_assert_cmpstr (sl_log_entry_get_summary (marker), ==, "150 older entries dropped");
  g_assert_nonnull (sl_log_entry_get_explanation (marker));
  /* get_item gives a reference to the marker itself. */
  marker_again = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_true (marker == marker_again);
  g_object_unref (marker_again);

  assert_item_number (log, 1, 150);
  assert_item_number (log, 100, 249);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 101));

  /* Ten more: ten shown entries and the old marker go, a new marker comes,
   * then the ten are added at the end. */
  recorder_reset (&recorder);
  append_numbered (log, 250, 10);
  sl_log_flush (log);
  g_assert_cmpuint (recorder.changes->len, ==, 2);
  assert_change (&recorder, 0, 0, 11, 1);
  g_assert_cmpuint (g_array_index (recorder.changes, Change, 0).n_items, ==, 91);
  assert_change (&recorder, 1, 91, 0, 10);
  g_assert_cmpuint (g_array_index (recorder.changes, Change, 1).n_items, ==, 101);
  g_assert_cmpuint (recorder.n_dropped_notify, ==, 1);
  assert_item_summary (log, 0, "160 older entries dropped");
  assert_item_number (log, 1, 160);
  assert_item_number (log, 100, 259);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 160);

  /* The old marker is no longer held by the log. */
  g_assert_finalize_object (marker);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
test_log_cap_one_by_one (void)
{
  SlLog *log = sl_log_new (100);
  Recorder recorder;

  recorder_init (&recorder, log);
  for (guint i = 0; i < 250; i++)
    {
      append_numbered (log, i, 1);
      sl_log_flush (log);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==,
                        i < 100 ? i + 1 : 101);
    }

  assert_item_summary (log, 0, "150 older entries dropped");
  assert_item_number (log, 1, 150);
  assert_item_number (log, 100, 249);

  /* Each flush past the cap: (0, 2, 1) for the oldest entry and the marker
   * (or (0, 1, 1) the first time), then (100, 0, 1). */
  g_assert_cmpuint (recorder.changes->len, ==, 100 + 2 * 150);
  assert_change (&recorder, 100, 0, 1, 1);
  assert_change (&recorder, 101, 100, 0, 1);
  assert_change (&recorder, 102, 0, 2, 1);
  assert_change (&recorder, 103, 100, 0, 1);
  g_assert_cmpuint (recorder.n_dropped_notify, ==, 150);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
test_log_single_entry_marker (void)
{
  SlLog *log = sl_log_new (1);

  append_numbered (log, 0, 5);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  assert_item_summary (log, 0, "4 older entries dropped");
  assert_item_number (log, 1, 4);

  append_numbered (log, 5, 1);
  sl_log_flush (log);
  assert_item_summary (log, 0, "5 older entries dropped");
  assert_item_number (log, 1, 5);

  g_assert_finalize_object (log);
}

static void
test_log_clear (void)
{
  SlLog *log = sl_log_new (10);
  Recorder recorder;

  recorder_init (&recorder, log);
  append_numbered (log, 0, 15);
  sl_log_flush (log);
  append_numbered (log, 15, 3); /* pending at the clear */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 11);

  recorder_reset (&recorder);
  sl_log_clear (log);
  g_assert_cmpuint (recorder.changes->len, ==, 1);
  assert_change (&recorder, 0, 0, 11, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 0);
  g_assert_cmpuint (recorder.n_dropped_notify, ==, 1);
  g_assert_cmpuint (sl_log_get_n_appended (log), ==, 18);

  /* The pending entries went too: nothing more to show. */
  sl_log_flush (log);
  sl_test_run_for (2 * SL_LOG_BATCH_INTERVAL_MS);
  g_assert_cmpuint (recorder.changes->len, ==, 1);

  /* Clearing an empty log says nothing. */
  sl_log_clear (log);
  g_assert_cmpuint (recorder.changes->len, ==, 1);

  /* The log works as new, without a marker. */
  append_numbered (log, 100, 2);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  assert_item_number (log, 0, 100);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
test_log_set_max_entries (void)
{
  SlLog *log = sl_log_new (0);
  gpointer args[2] = { log, GUINT_TO_POINTER (21) };
  Recorder recorder;
  guint max = 0;
  guint64 n_dropped = 1;

  append_numbered (log, 0, 50);
  sl_log_flush (log);
  recorder_init (&recorder, log);

  sl_log_set_max_entries (log, 10);
  g_assert_cmpuint (sl_log_get_max_entries (log), ==, 10);
  /* Dropped at the next flush, not before. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 50);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 11);
  g_assert_cmpuint (recorder.changes->len, ==, 1);
  assert_change (&recorder, 0, 0, 40, 1);
  assert_item_summary (log, 0, "40 older entries dropped");
  assert_item_number (log, 1, 40);

  /* Growing drops nothing; shrinking again is flushed by the main context. */
  sl_log_set_max_entries (log, 30);
  append_numbered (log, 50, 20);
  sl_log_set_max_entries (log, 20);
  g_assert_true (sl_test_wait_until (has_n_items, args, WAIT_MS));
  assert_item_summary (log, 0, "50 older entries dropped");
  assert_item_number (log, 1, 50);
  assert_item_number (log, 20, 69);

  /* 0 means the default, as a property too. */
  g_object_set (log, "max-entries", 0, NULL);
  g_object_get (log, "max-entries", &max, "n-dropped", &n_dropped, NULL);
  g_assert_cmpuint (max, ==, SL_LOG_DEFAULT_MAX_ENTRIES);
  g_assert_cmpuint (n_dropped, ==, 50);

  recorder_clear (&recorder, log);
  g_assert_finalize_object (log);
}

static void
notify_counter_cb (GObject    *object,
                   GParamSpec *pspec,
                   guint      *count)
{
  (*count)++;
}

static void
test_log_properties (void)
{
  SlLog *log = g_object_new (SL_TYPE_LOG, "max-entries", 5, NULL);
  guint n_notify = 0;

  g_assert_cmpuint (sl_log_get_max_entries (log), ==, 5);
  g_signal_connect (log, "notify::max-entries", G_CALLBACK (notify_counter_cb), &n_notify);
  sl_log_set_max_entries (log, 5);
  g_assert_cmpuint (n_notify, ==, 0);
  sl_log_set_max_entries (log, 6);
  g_assert_cmpuint (n_notify, ==, 1);
  g_assert_finalize_object (log);

  log = g_object_new (SL_TYPE_LOG, NULL);
  g_assert_cmpuint (sl_log_get_max_entries (log), ==, SL_LOG_DEFAULT_MAX_ENTRIES);
  g_assert_finalize_object (log);
}

static void
test_log_dispose_pending (void)
{
  SlLog *log = sl_log_new (0);
  SlLogEntry *entry = numbered_entry (0);

  /* Disposing with a flush scheduled removes the source: the main context
   * must not call into the finalized log afterwards. */
  sl_log_append (log, entry);
  g_assert_finalize_object (log);
  sl_test_run_for (3 * SL_LOG_BATCH_INTERVAL_MS);
  g_assert_finalize_object (entry);
}

static void
append_from_handler_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *n_calls)
{
  /* A handler that logs in turn: the new entry waits for the next batch. */
  if ((*n_calls)++ == 0)
    append_numbered (SL_LOG (model), 1000, 1);
}

static void
test_log_reentrant (void)
{
  SlLog *log = sl_log_new (0);
  gpointer args[2] = { log, GUINT_TO_POINTER (4) };
  guint n_calls = 0;

  g_signal_connect (log, "items-changed", G_CALLBACK (append_from_handler_cb), &n_calls);
  append_numbered (log, 0, 3);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);
  g_assert_true (sl_test_wait_until (has_n_items, args, WAIT_MS));
  assert_item_number (log, 3, 1000);
  g_assert_cmpuint (n_calls, ==, 2);

  g_assert_finalize_object (log);
}

static void
test_log_thread_context (void)
{
  /* The batch source runs on the thread-default context of sl_log_new(). */
  GMainContext *context = g_main_context_new ();
  SlLog *log;
  gpointer args[2];

  g_main_context_push_thread_default (context);
  log = sl_log_new (0);
  g_main_context_pop_thread_default (context);

  append_numbered (log, 0, 1);
  sl_test_run_for (3 * SL_LOG_BATCH_INTERVAL_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);

  g_main_context_push_thread_default (context);
  args[0] = log;
  args[1] = GUINT_TO_POINTER (1);
  for (guint i = 0; i < 1000 && !has_n_items (args); i++)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);

  g_assert_finalize_object (log);
  g_main_context_unref (context);
}

/* The payload bytes are capped too: a stream of big payloads keeps the
 * newest ones within max-bytes, says how many entries it dropped, and a
 * single entry bigger than the cap still stays. */
static void
test_log_max_bytes (void)
{
  g_autoptr(SlLog) log = sl_log_new (1000);
  g_autofree char *data = g_malloc0 (1024);
  g_autoptr(SlLogEntry) first = NULL;
  g_autoptr(SlLogEntry) last = NULL;
  guint n;

  g_assert_cmpuint (sl_log_get_max_bytes (log), ==, SL_LOG_DEFAULT_MAX_BYTES);
  sl_log_set_max_bytes (log, 10 * 1024);

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GBytes) payload = g_bytes_new (data, 1024);
      g_autoptr(SlLogEntry) entry = sl_log_entry_new (SL_LOG_KIND_DATA_IN, 1, 1, NULL,
                                                      "conn.recv(1024)", NULL, 0, NULL,
                                                      payload);

      sl_log_append (log, entry);
      /* Pending entries are bounded by bytes too, before any flush. */
      g_assert_cmpuint (sl_log_get_payload_bytes (log), <=, 10 * 1024);
    }
  sl_log_flush (log);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  /* The marker and the newest 10 entries. */
  g_assert_cmpuint (n, ==, 11);
  g_assert_cmpuint (sl_log_get_n_dropped (log), ==, 90);
  g_assert_cmpuint (sl_log_get_payload_bytes (log), ==, 10 * 1024);
  first = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_nonnull (strstr (sl_log_entry_get_summary (first), "90 older entries dropped"));
  g_assert_nonnull (strstr (sl_log_entry_get_explanation (first), "of payloads"));

  /* A lower cap drops at the next flush; one entry larger than the cap stays. */
  sl_log_set_max_bytes (log, 100);
  sl_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  last = g_list_model_get_item (G_LIST_MODEL (log), 1);
  g_assert_cmpuint (sl_log_entry_get_size (last), ==, 1024);

  sl_log_clear (log);
  g_assert_cmpuint (sl_log_get_payload_bytes (log), ==, 0);
}

/* The clock of the rows agrees with GDateTime in the local zone, for times
 * around now, the epoch, before it, and a microsecond before a second. */
static void
test_format_clock (void)
{
  const gint64 times[] = {
    g_get_real_time (), 0, 1, -1, 1700000000999999, -86400000001, 1711846800000000,
    G_GINT64_CONSTANT (253402000000999999),
  };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 micros = ((times[i] % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC;
      g_autoptr(GDateTime) local = g_date_time_new_from_unix_local ((times[i] - micros)
                                                                   / G_USEC_PER_SEC);
      g_autofree char *expected = NULL;
      char clock[32];

      g_assert_nonnull (local);
      expected = g_strdup_printf ("%02d:%02d:%02d.%06d", g_date_time_get_hour (local),
                                  g_date_time_get_minute (local), g_date_time_get_second (local),
                                  (int) micros);
      sl_log_format_clock (times[i], 6, clock, sizeof clock);
      g_assert_cmpstr (clock, ==, expected);
      sl_log_format_clock (times[i], 3, clock, sizeof clock);
      g_assert_cmpuint (strlen (clock), ==, 12);
      g_assert_true (g_str_has_prefix (expected, clock));
      sl_log_format_clock (times[i], 0, clock, sizeof clock);
      g_assert_cmpuint (strlen (clock), ==, 8);
    }
}

/* The rows' clock looks the zone's offset up once a minute: in a zone with
 * summer time it still changes at the very second the offset does, both
 * ways, and times given out of order (a log read back from a file) each get
 * their own offset. Runs in a subprocess with TZ set before the zone is read. */
static void
test_format_clock_summer_time (void)
{
  if (!g_test_subprocess ())
    {
      if (!g_file_test ("/usr/share/zoneinfo/Europe/Berlin", G_FILE_TEST_EXISTS))
        {
          g_test_skip ("no time zone data (install tzdata)");
          return;
        }
      g_autofree char *saved = g_strdup (g_getenv ("TZ"));

      /* The subprocess inherits the environment (GLib 2.74 has no _with_envp). */
      g_setenv ("TZ", "Europe/Berlin", TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      if (saved != NULL)
        g_setenv ("TZ", saved, TRUE);
      else
        g_unsetenv ("TZ");
      g_test_trap_assert_passed ();
      return;
    }

  {
    /* 2024-03-31 01:00:00 UTC: 02:00 CET becomes 03:00 CEST;
     * 2024-10-27 01:00:00 UTC: 03:00 CEST becomes 02:00 CET. */
    const struct { gint64 seconds; const char *expected; } cases[] = {
      { 1711846799, "01:59:59.000000" },
      { 1711846800, "03:00:00.000000" },
      { 1711846799, "01:59:59.000000" },
      { 1711846860, "03:01:00.000000" },
      { 1729990799, "02:59:59.000000" },
      { 1729990800, "02:00:00.000000" },
      { 1711846799, "01:59:59.000000" },
      { 1729990740, "02:59:00.000000" },
      { 1729990860, "02:01:00.000000" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        char clock[32];

        sl_log_format_clock (cases[i].seconds * G_USEC_PER_SEC, 6, clock, sizeof clock);
        g_assert_cmpstr (clock, ==, cases[i].expected);
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log/entry/getters", test_entry_getters);
  g_test_add_func ("/log/entry/error", test_entry_error);
  g_test_add_func ("/log/entry/payload", test_entry_payload);
  g_test_add_func ("/log/entry/shared-strings", test_entry_shared_strings);
  g_test_add_func ("/log/entry/threads", test_entry_threads);
  g_test_add_func ("/log/entry/format", test_entry_format);
  g_test_add_func ("/log/entry/kind-names", test_kind_names);
  g_test_add_func ("/log/append-flush", test_log_append_flush);
  g_test_add_func ("/log/batch-source", test_log_batch_source);
  g_test_add_func ("/log/flood", test_log_flood);
  g_test_add_func ("/log/flood-capped", test_log_flood_capped);
  g_test_add_func ("/log/cap-marker", test_log_cap_marker);
  g_test_add_func ("/log/cap-one-by-one", test_log_cap_one_by_one);
  g_test_add_func ("/log/single-entry-cap", test_log_single_entry_marker);
  g_test_add_func ("/log/clear", test_log_clear);
  g_test_add_func ("/log/set-max-entries", test_log_set_max_entries);
  g_test_add_func ("/log/max-bytes", test_log_max_bytes);
  g_test_add_func ("/log/format-clock", test_format_clock);
  g_test_add_func ("/log/format-clock/summer-time", test_format_clock_summer_time);
  g_test_add_func ("/log/properties", test_log_properties);
  g_test_add_func ("/log/dispose-pending", test_log_dispose_pending);
  g_test_add_func ("/log/reentrant", test_log_reentrant);
  g_test_add_func ("/log/thread-context", test_log_thread_context);

  return g_test_run ();
}
