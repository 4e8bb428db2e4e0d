/* sl-tail-model.h — the newest rows of a list model, moved on only when asked
 *
 * With no limit (the default) it shows every item of its model and passes
 * every change on. With a limit it shows at most that many of the newest
 * items, and rows appended to the model appear only at the next
 * sl_tail_model_catch_up(), in two small changes (the oldest shown leave, the
 * new ones come): a list view following a flood then binds only the rows it
 * will show, a few times a second, instead of measuring hundreds of rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SL_TYPE_TAIL_MODEL (sl_tail_model_get_type ())

G_DECLARE_FINAL_TYPE (SlTailModel, sl_tail_model, SL, TAIL_MODEL, GObject)

SlTailModel *sl_tail_model_new       (GListModel  *model);
/* 0 or G_MAXUINT: no limit (every item, always up to date). */
void         sl_tail_model_set_limit (SlTailModel *self,
                                      guint        limit);
guint        sl_tail_model_get_limit (SlTailModel *self);
/* Shows the newest items now. */
void         sl_tail_model_catch_up  (SlTailModel *self);

G_END_DECLS
