/* sl-batch-model.c — a list model that passes its model's changes on in batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-batch-model.h"

struct _SlBatchModel
{
  GObject     parent_instance;

  GListModel *model;
  gulong      changed_id;
  GPtrArray  *items;       /* what is shown: the model's items at the last flush */
  gint64      last_flush;  /* monotonic time of the last change passed on */
  guint       flush_id;    /* the end of the current batch */
};

static void sl_batch_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlBatchModel, sl_batch_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sl_batch_model_list_model_init))

static GType
sl_batch_model_get_item_type (GListModel *list)
{
  SlBatchModel *self = SL_BATCH_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
sl_batch_model_get_n_items (GListModel *list)
{
  return SL_BATCH_MODEL (list)->items->len;
}

static gpointer
sl_batch_model_get_item (GListModel *list,
                         guint       position)
{
  SlBatchModel *self = SL_BATCH_MODEL (list);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
sl_batch_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sl_batch_model_get_item_type;
  iface->get_n_items = sl_batch_model_get_n_items;
  iface->get_item = sl_batch_model_get_item;
}

static GPtrArray *
copy_items (GListModel *model)
{
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  GPtrArray *items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      gpointer item = g_list_model_get_item (model, i);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  return items;
}

void
sl_batch_model_flush (SlBatchModel *self)
{
  g_autoptr(GPtrArray) old = NULL;
  guint n_old, n_new, prefix = 0, suffix = 0;

  g_return_if_fail (SL_IS_BATCH_MODEL (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  self->last_flush = g_get_monotonic_time ();

  old = g_steal_pointer (&self->items);
  self->items = copy_items (self->model);
  n_old = old->len;
  n_new = self->items->len;

  /* One change over the span between the first and the last item that differ. */
  while (prefix < n_old && prefix < n_new &&
         g_ptr_array_index (old, prefix) == g_ptr_array_index (self->items, prefix))
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         g_ptr_array_index (old, n_old - 1 - suffix) ==
         g_ptr_array_index (self->items, n_new - 1 - suffix))
    suffix++;

  if (n_old - prefix - suffix > 0 || n_new - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_old - prefix - suffix,
                                n_new - prefix - suffix);
}

static gboolean
flush_cb (gpointer user_data)
{
  SlBatchModel *self = user_data;

  self->flush_id = 0;
  sl_batch_model_flush (self);
  return G_SOURCE_REMOVE;
}

static void
model_changed_cb (SlBatchModel *self)
{
  gint64 since = g_get_monotonic_time () - self->last_flush;
  gint64 interval = SL_BATCH_MODEL_INTERVAL_MS * 1000;

  if (self->flush_id != 0)
    return;
  /* After a quiet moment a change shows at once; what follows it waits for
   * the end of the batch. */
  if (since >= interval)
    sl_batch_model_flush (self);
  else
    self->flush_id = g_timeout_add ((guint) ((interval - since) / 1000) + 1, flush_cb, self);
}

/* GObject. */

static void
sl_batch_model_dispose (GObject *object)
{
  SlBatchModel *self = SL_BATCH_MODEL (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_signal_handler (&self->changed_id, self->model);
  g_clear_object (&self->model);
  g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (sl_batch_model_parent_class)->dispose (object);
}

static void
sl_batch_model_finalize (GObject *object)
{
  SlBatchModel *self = SL_BATCH_MODEL (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (sl_batch_model_parent_class)->finalize (object);
}

static void
sl_batch_model_class_init (SlBatchModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_batch_model_dispose;
  object_class->finalize = sl_batch_model_finalize;
}

static void
sl_batch_model_init (SlBatchModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->last_flush = G_MININT64 / 2;
}

/* Public API. */

SlBatchModel *
sl_batch_model_new (void)
{
  return g_object_new (SL_TYPE_BATCH_MODEL, NULL);
}

void
sl_batch_model_set_model (SlBatchModel *self,
                          GListModel   *model)
{
  g_return_if_fail (SL_IS_BATCH_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  g_clear_signal_handler (&self->changed_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    self->changed_id = g_signal_connect_swapped (model, "items-changed",
                                                 G_CALLBACK (model_changed_cb), self);
  /* A new model shows at once. */
  sl_batch_model_flush (self);
}

GListModel *
sl_batch_model_get_model (SlBatchModel *self)
{
  g_return_val_if_fail (SL_IS_BATCH_MODEL (self), NULL);

  return self->model;
}
