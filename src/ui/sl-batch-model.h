/* sl-batch-model.h — a list model that passes its model's changes on in batches
 *
 * It shows the items of its model. A change that comes after a quiet moment
 * is passed on at once; the changes that follow it within the batch interval
 * are gathered and passed on together, as one items-changed over the span
 * they touched. A storm of changes (a thousand clients closing at once)
 * then costs the list view a few re-binds instead of one per item.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SL_TYPE_BATCH_MODEL (sl_batch_model_get_type ())

/* Changes that follow one another closer than this are gathered. */
#define SL_BATCH_MODEL_INTERVAL_MS 100

G_DECLARE_FINAL_TYPE (SlBatchModel, sl_batch_model, SL, BATCH_MODEL, GObject)

SlBatchModel *sl_batch_model_new       (void);
void          sl_batch_model_set_model (SlBatchModel *self,
                                        GListModel   *model);
GListModel   *sl_batch_model_get_model (SlBatchModel *self);
/* Passes on the changes gathered so far, now. */
void          sl_batch_model_flush     (SlBatchModel *self);

G_END_DECLS
