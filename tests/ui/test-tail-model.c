/* test-tail-model.c — the newest rows of a list model, moved on when asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-tail-model.h"
#include "sl-ui-test-util.h"

typedef struct
{
  guint position, removed, added;
} Change;

static void
record_cb (GListModel *model,
           guint       position,
           guint       removed,
           guint       added,
           GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
append (GListStore *store,
        guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

      g_list_store_append (store, item);
    }
}

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
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  Change *c;

  append (store, 5);
  tail = sl_tail_model_new (G_LIST_MODEL (store));
  g_signal_connect (tail, "items-changed", G_CALLBACK (record_cb), changes);

  /* No limit: every change passes as it is. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tail)), ==, 5);
  append (store, 2);
  g_assert_cmpuint (changes->len, ==, 2);
  c = &g_array_index (changes, Change, 1);
  g_assert_cmpuint (c->position, ==, 6);
  g_assert_cmpuint (c->added, ==, 1);
  g_list_store_remove (store, 0);
  c = &g_array_index (changes, Change, 2);
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
  append (store, 2);
  g_assert_cmpuint (changes->len, ==, 0);
  sl_tail_model_catch_up (tail);
  g_assert_cmpuint (changes->len, ==, 2);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, 2);
  g_assert_cmpuint (c->added, ==, 0);
  c = &g_array_index (changes, Change, 1);
  g_assert_cmpuint (c->position, ==, 1);
  g_assert_cmpuint (c->added, ==, 2);
  assert_shows_tail (tail, store);

  /* More rows than the window: one change. */
  g_array_set_size (changes, 0);
  append (store, 10);
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
  append (store, 4);
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
