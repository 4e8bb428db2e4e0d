/* sl-log.h — the call trace: an append-only, capped, batched GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-log-entry.h"

G_BEGIN_DECLS

#define SL_LOG_DEFAULT_MAX_ENTRIES 100000
/* The payloads the log keeps, at most (the oldest entries go first). */
#define SL_LOG_DEFAULT_MAX_BYTES   (G_GUINT64_CONSTANT (256) * 1024 * 1024)

#define SL_TYPE_LOG (sl_log_get_type ())

G_DECLARE_FINAL_TYPE (SlLog, sl_log, SL, LOG, GObject)

/* A GListModel of SlLogEntry. Must be used from the thread whose thread-default
 * main context was current at sl_log_new().
 *
 * Batching: sl_log_append() stores the entry and emits ::entry-added at once,
 * but GListModel::items-changed is emitted in batches from a main-context
 * source at most every SL_LOG_BATCH_INTERVAL_MS, so a flood cannot starve the
 * main loop; get_n_items/get_item only show flushed entries.
 *
 * Cap: when more than max-entries entries are held, the oldest are dropped and
 * position 0 becomes a marker entry (kind EVENT, summary
 * "N older entries dropped") until the log is cleared. */

#define SL_LOG_BATCH_INTERVAL_MS 50

SlLog      *sl_log_new              (guint        max_entries);
void        sl_log_append           (SlLog       *self,
                                     SlLogEntry  *entry);
/* Emits pending items-changed now (tests, export). */
void        sl_log_flush            (SlLog       *self);
void        sl_log_clear            (SlLog       *self);
guint       sl_log_get_max_entries  (SlLog       *self);
void        sl_log_set_max_entries  (SlLog       *self,
                                     guint        max_entries);
/* Entries dropped because of the cap since the last clear. */
guint64     sl_log_get_n_dropped    (SlLog       *self);
/* The cap on the payload bytes kept (SL_LOG_DEFAULT_MAX_BYTES unless set),
 * and the payload bytes kept now. */
guint64     sl_log_get_max_bytes    (SlLog       *self);
void        sl_log_set_max_bytes    (SlLog       *self,
                                     guint64      max_bytes);
guint64     sl_log_get_payload_bytes (SlLog      *self);
/* Entries appended since creation (including dropped and pending ones). */
guint64     sl_log_get_n_appended   (SlLog       *self);

G_END_DECLS
