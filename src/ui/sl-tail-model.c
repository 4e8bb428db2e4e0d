/* sl-tail-model.c — the newest rows of a list model, moved on only when asked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-tail-model.h"

struct _SlTailModel
{
  GObject     parent_instance;

  GListModel *model;
  guint       limit;     /* G_MAXUINT: every item, always up to date */
  guint       n_source;  /* items of the model, as last told */
  guint       offset;    /* the first item shown */
  guint       n_items;   /* items shown */
};

static void sl_tail_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlTailModel, sl_tail_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sl_tail_model_list_model_init))

static GType
sl_tail_model_get_item_type (GListModel *list)
{
  SlTailModel *self = SL_TAIL_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
sl_tail_model_get_n_items (GListModel *list)
{
  return SL_TAIL_MODEL (list)->n_items;
}

static gpointer
sl_tail_model_get_item (GListModel *list,
                        guint       position)
{
  SlTailModel *self = SL_TAIL_MODEL (list);

  if (self->model == NULL || position >= self->n_items)
    return NULL;
  return g_list_model_get_item (self->model, self->offset + position);
}

static void
sl_tail_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sl_tail_model_get_item_type;
  iface->get_n_items = sl_tail_model_get_n_items;
  iface->get_item = sl_tail_model_get_item;
}

/* Shows everything again, in one change. */
static void
reset (SlTailModel *self)
{
  guint removed = self->n_items;

  self->offset = self->limit == G_MAXUINT || self->n_source <= self->limit
                 ? 0 : self->n_source - self->limit;
  self->n_items = self->n_source - self->offset;
  if (removed > 0 || self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->n_items);
}

static void
items_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  SlTailModel *self)
{
  guint end = self->offset + self->n_items;

  self->n_source = self->n_source - removed + added;

  if (self->limit == G_MAXUINT)
    {
      /* Every item: pass the change on as it is. */
      self->n_items = self->n_source;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }

  if (position >= end)
    return;   /* beyond the window (rows appended): shown at the next catch-up */

  if (position + removed <= self->offset)
    {
      /* Before the window (the log's cap dropping old rows): it moves, unchanged. */
      self->offset = self->offset - removed + added;
      return;
    }

  /* The window itself changed (a clear, a new filter): start again from the end. */
  reset (self);
}

static void
sl_tail_model_dispose (GObject *object)
{
  SlTailModel *self = SL_TAIL_MODEL (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (sl_tail_model_parent_class)->dispose (object);
}

static void
sl_tail_model_class_init (SlTailModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sl_tail_model_dispose;
}

static void
sl_tail_model_init (SlTailModel *self)
{
  self->limit = G_MAXUINT;
}

SlTailModel *
sl_tail_model_new (GListModel *model)
{
  SlTailModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (SL_TYPE_TAIL_MODEL, NULL);
  self->model = g_object_ref (model);
  self->n_source = g_list_model_get_n_items (model);
  self->n_items = self->n_source;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), self);
  return self;
}

void
sl_tail_model_set_limit (SlTailModel *self,
                         guint        limit)
{
  g_return_if_fail (SL_IS_TAIL_MODEL (self));

  if (limit == 0)
    limit = G_MAXUINT;
  if (self->limit == limit)
    return;
  self->limit = limit;
  reset (self);
}

guint
sl_tail_model_get_limit (SlTailModel *self)
{
  g_return_val_if_fail (SL_IS_TAIL_MODEL (self), 0);
  return self->limit;
}

void
sl_tail_model_catch_up (SlTailModel *self)
{
  guint new_offset, dropped, kept, new_n;

  g_return_if_fail (SL_IS_TAIL_MODEL (self));

  if (self->limit == G_MAXUINT)
    return;

  new_offset = self->n_source <= self->limit ? 0 : self->n_source - self->limit;
  if (new_offset < self->offset)
    {
      reset (self);
      return;
    }
  dropped = MIN (new_offset - self->offset, self->n_items);
  kept = self->n_items - dropped;
  new_n = self->n_source - new_offset;
  if (new_offset - self->offset > self->n_items)
    {
      /* Nothing shown stays: one change. */
      guint removed = self->n_items;

      self->offset = new_offset;
      self->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, new_n);
      return;
    }

  self->offset = new_offset;
  self->n_items = kept;
  if (dropped > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, dropped, 0);
  self->n_items = new_n;
  if (new_n > kept)
    g_list_model_items_changed (G_LIST_MODEL (self), kept, 0, new_n - kept);
}
