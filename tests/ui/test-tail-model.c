/* test-tail-model.c — the newest rows of a list model, moved on when asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-tail-model.h"
#include "sl-ui-test-util.h"

/* The tail shows the newest items in the order of the store. */
static void
assert_shows_tail (SlTailModel *tail,
                   GListStore  *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (tail));
  guint total = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) shown = g_list_model_get_item (G_LIST_MODEL (tail), i);
      g_autoptr(GObject) expected = g_list_model_get_item (G_LIST_MODEL (store), total - n + i);

      g_assert_true (shown == expected);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (tail), n));
}

static void
test_tail (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(SlTailModel) tail = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (SlUiTestChange));
  SlUiTestChange *c;

  sl_ui_test_append_objects (store, 5);
  tail = sl_tail_model_new (G_LIST_MODEL (store));
  sl_ui_test_record_changes (G_LIST_MODEL (tail), changes);

  /* No limit: every change passes as it is. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 5);
  sl_ui_test_append_objects (store, 2);
  g_assert_cmpuint (changes->len, ==, 2);
  c = &g_array_index (changes, SlUiTestChange, 1);
  g_assert_cmpuint (c->position, ==, 6);
  g_assert_cmpuint (c->added, ==, 1);
  g_list_store_remove (store, 0);
  c = &g_array_index (changes, SlUiTestChange, 2);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, 1);
  assert_shows_tail (tail, store);

  /* A limit of 3: the newest three, in one change. */
  g_array_set_size (changes, 0);
  sl_tail_model_set_limit (tail, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 3);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_shows_tail (tail, store);

  /* Rows appended wait for the catch-up, which moves the window in two changes. */
  g_array_set_size (changes, 0);
  sl_ui_test_append_objects (store, 2);
  g_assert_cmpuint (changes->len, ==, 0);
  sl_tail_model_catch_up (tail);
  g_assert_cmpuint (changes->len, ==, 2);
  c = &g_array_index (changes, SlUiTestChange, 0);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, 2);
  g_assert_cmpuint (c->added, ==, 0);
  c = &g_array_index (changes, SlUiTestChange, 1);
  g_assert_cmpuint (c->position, ==, 1);
  g_assert_cmpuint (c->added, ==, 2);
  assert_shows_tail (tail, store);

  /* More rows than the window: one change. */
  g_array_set_size (changes, 0);
  sl_ui_test_append_objects (store, 10);
  sl_tail_model_catch_up (tail);
  g_assert_cmpuint (changes->len, ==, 1);
  assert_shows_tail (tail, store);

  /* Old rows dropped before the window: nothing shown changes. */
  g_array_set_size (changes, 0);
  g_list_store_remove (store, 0);
  g_assert_cmpuint (changes->len, ==, 0);
  assert_shows_tail (tail, store);

  /* The shown rows themselves change (a clear): the window starts again. */
  g_list_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 0);
  sl_ui_test_append_objects (store, 4);
  sl_tail_model_catch_up (tail);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 3);
  assert_shows_tail (tail, store);

  /* No limit again: everything. */
  sl_tail_model_set_limit (tail, 0);
  g_assert_cmpuint (sl_tail_model_get_limit (tail), ==, G_MAXUINT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 4);
  assert_shows_tail (tail, store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tail-model/tail", test_tail);
  return g_test_run ();
}
