/* test-batch-model.c — a model's changes passed on in batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-batch-model.h"
#include "sl-ui-test-util.h"

/* The batch model shows the store's items, in order. */
static void
assert_same (SlBatchModel *batch,
             GListStore   *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) shown = g_list_model_get_item (G_LIST_MODEL (batch), i);
      g_autoptr(GObject) expected = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_assert_true (shown == expected);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (batch), n));
}

/* Applies the recorded changes to a copy of @before and checks that it gives
 * what @batch shows: the changes told are the changes made. */
static void
assert_changes_replay (GPtrArray    *before,
                       GArray       *changes,
                       SlBatchModel *batch)
{
  /* Borrowed pointers: @before and @batch hold the items. */
  g_autoptr(GPtrArray) replay = g_ptr_array_new ();
  guint n;

  for (guint i = 0; i < before->len; i++)
    g_ptr_array_add (replay, g_ptr_array_index (before, i));

  for (guint i = 0; i < changes->len; i++)
    {
      SlUiTestChange *c = &g_array_index (changes, SlUiTestChange, i);

      g_assert_cmpuint (c->position + c->removed, <=, replay->len);
      g_ptr_array_remove_range (replay, c->position, c->removed);
      for (guint j = 0; j < c->added; j++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (batch),
                                                           c->position + j);

          g_ptr_array_insert (replay, (int) (c->position + j), item);
        }
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (batch));
  g_assert_cmpuint (replay->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) shown = g_list_model_get_item (G_LIST_MODEL (batch), i);

      g_assert_true (g_ptr_array_index (replay, i) == shown);
    }
}

static GPtrArray *
snapshot (SlBatchModel *batch)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (batch));
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (batch), i));
  return items;
}

static gboolean
has_changes (gpointer data)
{
  return ((GArray *) data)->len > 0;
}

/* One change after a quiet moment shows at once, exactly. */
static void
test_single_change (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(SlBatchModel) batch = sl_batch_model_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (SlUiTestChange));
  SlUiTestChange *c;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (batch)) == G_TYPE_OBJECT);
  sl_ui_test_append_objects (store, 5);
  sl_batch_model_set_model (batch, G_LIST_MODEL (store));
  g_assert_true (sl_batch_model_get_model (batch) == G_LIST_MODEL (store));
  assert_same (batch, store);

  sl_ui_test_record_changes (G_LIST_MODEL (batch), changes);
  /* Past the batch interval since the model was set. */
  sl_test_run_for (SL_BATCH_MODEL_INTERVAL_MS + 20);
  g_list_store_remove (store, 2);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, SlUiTestChange, 0);
  g_assert_cmpuint (c->position, ==, 2);
  g_assert_cmpuint (c->removed, ==, 1);
  g_assert_cmpuint (c->added, ==, 0);
  assert_same (batch, store);
}

/* A storm of changes right after one another: the first at once, all the
 * others in one change at the end of the batch, and nothing lost. */
static void
test_storm (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(SlBatchModel) batch = sl_batch_model_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (SlUiTestChange));
  g_autoptr(GPtrArray) before = NULL;

  sl_ui_test_append_objects (store, 1000);
  sl_batch_model_set_model (batch, G_LIST_MODEL (store));
  sl_test_run_for (SL_BATCH_MODEL_INTERVAL_MS + 20);
  before = snapshot (batch);
  sl_ui_test_record_changes (G_LIST_MODEL (batch), changes);

  /* Every other item leaves (as clients closing in any order), two come. */
  for (guint i = 0; i < 500; i++)
    g_list_store_remove (store, i);
  sl_ui_test_append_objects (store, 2);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 999);

  g_array_set_size (changes, 0);
  g_ptr_array_unref (before);
  before = snapshot (batch);
  g_assert_true (sl_test_wait_until (has_changes, changes, SL_UI_TEST_WAIT_MS));
  g_assert_cmpuint (changes->len, ==, 1);
  assert_same (batch, store);
  assert_changes_replay (before, changes, batch);

  /* Nothing more is pending. */
  sl_test_run_for (SL_BATCH_MODEL_INTERVAL_MS * 2);
  g_assert_cmpuint (changes->len, ==, 1);
}

/* sl_batch_model_flush() shows what is pending at once; appends at the end
 * are told as appends. */
static void
test_flush (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(SlBatchModel) batch = sl_batch_model_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (SlUiTestChange));
  SlUiTestChange *c;

  sl_ui_test_append_objects (store, 3);
  sl_batch_model_set_model (batch, G_LIST_MODEL (store));
  sl_ui_test_record_changes (G_LIST_MODEL (batch), changes);
  /* Within the interval of the set_model(): gathered. */
  sl_ui_test_append_objects (store, 4);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 3);
  sl_batch_model_flush (batch);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, SlUiTestChange, 0);
  g_assert_cmpuint (c->position, ==, 3);
  g_assert_cmpuint (c->removed, ==, 0);
  g_assert_cmpuint (c->added, ==, 4);
  assert_same (batch, store);

  /* A flush with nothing changed tells nothing. */
  sl_batch_model_flush (batch);
  g_assert_cmpuint (changes->len, ==, 1);
}

/* Another model, or none, shows at once; a model gone with a batch pending
 * leaves nothing behind. */
static void
test_set_model (void)
{
  g_autoptr(GListStore) first = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(GListStore) second = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(SlBatchModel) batch = sl_batch_model_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (SlUiTestChange));
  SlUiTestChange *c;

  sl_ui_test_append_objects (first, 3);
  sl_ui_test_append_objects (second, 2);
  sl_batch_model_set_model (batch, G_LIST_MODEL (first));
  sl_ui_test_record_changes (G_LIST_MODEL (batch), changes);
  /* Gathered (within the interval of the first set_model()), never shown. */
  sl_ui_test_append_objects (first, 1);
  g_assert_cmpuint (changes->len, ==, 0);
  sl_batch_model_set_model (batch, G_LIST_MODEL (second));
  assert_same (batch, second);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, SlUiTestChange, 0);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, 3);
  g_assert_cmpuint (c->added, ==, 2);

  /* The old model no longer counts. */
  g_array_set_size (changes, 0);
  sl_ui_test_append_objects (first, 5);
  sl_test_run_for (SL_BATCH_MODEL_INTERVAL_MS * 2);
  g_assert_cmpuint (changes->len, ==, 0);

  sl_batch_model_set_model (batch, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (batch)), ==, 0);
  g_assert_null (sl_batch_model_get_model (batch));

  /* Disposed with a batch pending: its timeout goes with it. */
  sl_batch_model_set_model (batch, G_LIST_MODEL (first));
  sl_ui_test_append_objects (first, 1);
  g_signal_handlers_disconnect_by_data (batch, changes);
  g_clear_object (&batch);
  sl_test_run_for (SL_BATCH_MODEL_INTERVAL_MS * 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/batch-model/single-change", test_single_change);
  g_test_add_func ("/batch-model/storm", test_storm);
  g_test_add_func ("/batch-model/flush", test_flush);
  g_test_add_func ("/batch-model/set-model", test_set_model);
  return g_test_run ();
}
