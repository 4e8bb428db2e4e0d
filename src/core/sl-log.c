/* sl-log.c — the call trace: an append-only, capped, batched GListModel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-log.h"

/* A ring of entries: O(1) append at the back and drop at the front. */
typedef struct
{
  SlLogEntry **items;
  gsize        capacity;
  gsize        head;
  gsize        length;
} Ring;

/* The log keeps two rings: the entries the model shows, and the pending
 * ones appended since the last flush. Pending entries beyond the cap are
 * dropped at once (nobody has seen them), so neither ring grows beyond
 * max-entries even when the main loop does not run; shown entries are only
 * dropped at a flush, together with their items-changed. */
struct _SlLog
{
  GObject       parent_instance;

  GMainContext *context;
  GSource      *flush_source;

  Ring          visible;
  Ring          pending;
  SlLogEntry   *marker;            /* position 0 once entries were dropped */

  guint         max_entries;
  guint64       max_bytes;         /* of payloads, over both rings */
  guint64       visible_bytes;
  guint64       pending_bytes;
  guint64       n_dropped;         /* announced, as the marker says */
  guint64       n_dropped_pending; /* pending entries dropped since the last flush */
  guint64       n_appended;
};

static void sl_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SlLog, sl_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sl_log_list_model_init))

enum
{
  PROP_0,
  PROP_MAX_ENTRIES,
  PROP_N_DROPPED,
  N_PROPS
};

enum
{
  ENTRY_ADDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- ring --------------------------------------------------------------- */

static inline gsize
ring_slot (const Ring *ring,
           gsize       i)
{
  gsize slot = ring->head + i;

  return slot >= ring->capacity ? slot - ring->capacity : slot;
}

static inline SlLogEntry *
ring_get (const Ring *ring,
          gsize       i)
{
  return ring->items[ring_slot (ring, i)];
}

/* Moves the contents into a new array of @capacity (>= length), in order. */
static void
ring_resize (Ring  *ring,
             gsize  capacity)
{
  SlLogEntry **items = g_new (SlLogEntry *, capacity);
  gsize first = MIN (ring->length, ring->capacity - ring->head);

  if (ring->length > 0)
    {
      memcpy (items, ring->items + ring->head, first * sizeof *items);
      memcpy (items + first, ring->items, (ring->length - first) * sizeof *items);
    }

  g_free (ring->items);
  ring->items = items;
  ring->capacity = capacity;
  ring->head = 0;
}

/* Takes ownership of @entry. Grows by doubling, but not beyond @limit once
 * the ring may hold that much. */
static void
ring_push (Ring       *ring,
           SlLogEntry *entry,
           gsize       limit)
{
  if (ring->length == ring->capacity)
    {
      gsize capacity = ring->capacity > 0 ? ring->capacity * 2 : 64;

      if (limit > ring->capacity && capacity > limit)
        capacity = limit;
      ring_resize (ring, capacity);
    }

  ring->items[ring_slot (ring, ring->length)] = entry;
  ring->length++;
}

/* Returns the oldest entry, transfer full. */
static SlLogEntry *
ring_pop (Ring *ring)
{
  SlLogEntry *entry = ring->items[ring->head];

  ring->items[ring->head] = NULL;
  ring->head = ring->head + 1 == ring->capacity ? 0 : ring->head + 1;
  ring->length--;

  return entry;
}

static void
ring_clear (Ring *ring)
{
  for (gsize i = 0; i < ring->length; i++)
    g_object_unref (ring_get (ring, i));
  g_clear_pointer (&ring->items, g_free);
  ring->capacity = 0;
  ring->head = 0;
  ring->length = 0;
}

/* ---- batching ----------------------------------------------------------- */

/* Payload bytes are counted as entries enter and leave the rings. */
static void
push_pending (SlLog      *self,
              SlLogEntry *entry)
{
  ring_push (&self->pending, entry, self->max_entries);
  self->pending_bytes += sl_log_entry_get_size (entry);
}

static void
drop_pending (SlLog *self)
{
  SlLogEntry *entry = ring_pop (&self->pending);

  self->pending_bytes -= sl_log_entry_get_size (entry);
  g_object_unref (entry);
}

static void
drop_visible (SlLog *self)
{
  SlLogEntry *entry = ring_pop (&self->visible);

  self->visible_bytes -= sl_log_entry_get_size (entry);
  g_object_unref (entry);
}

static void
remove_flush_source (SlLog *self)
{
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
}

static gboolean
flush_cb (gpointer user_data)
{
  SlLog *self = user_data;

  /* The source is being dispatched, so it stays alive until we return. */
  g_clear_pointer (&self->flush_source, g_source_unref);
  sl_log_flush (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_flush (SlLog *self)
{
  if (self->flush_source != NULL)
    return;

  self->flush_source = g_timeout_source_new (SL_LOG_BATCH_INTERVAL_MS);
  g_source_set_static_name (self->flush_source, "[socket-lab] SlLog flush");
  g_source_set_callback (self->flush_source, flush_cb, self, NULL);
  g_source_attach (self->flush_source, self->context);
}

static SlLogEntry *
make_marker (SlLog *self)
{
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, self->n_dropped);
  gulong n = (gulong) MIN (self->n_dropped, G_MAXULONG);
  g_autofree char *summary = NULL;
  g_autofree char *explanation = NULL;

  /* Translators: %s is a number; this row replaces the entries the log dropped */
  summary = g_strdup_printf (ngettext ("%s older entry dropped", "%s older entries dropped", n),
                             count);
  {
    g_autofree char *bytes = g_format_size (self->max_bytes);

    /* Translators: %u is a number of entries, %s a size such as "256.0 MB". */
    explanation = g_strdup_printf (ngettext ("The log keeps the newest %u entry and at most %s of "
                                             "payloads. Clear the log or raise its limit to keep "
                                             "more.",
                                             "The log keeps the newest %u entries and at most %s "
                                             "of payloads. Clear the log or raise its limit to "
                                             "keep more.",
                                             self->max_entries),
                                   self->max_entries, bytes);
  }

  return sl_log_entry_new (SL_LOG_KIND_EVENT, 0, 0, NULL, summary, NULL, 0, explanation, NULL);
}

static guint
n_items (SlLog *self)
{
  return (self->marker != NULL ? 1 : 0) + (guint) self->visible.length;
}

/* Applies the cap: drops the oldest entries and replaces the marker, in one
 * items-changed at the front. */
static void
trim (SlLog *self)
{
  gsize n_visible = 0;
  gsize n_pending = 0;
  guint removed;

  /* The count, then the payload bytes; the newest entry always stays. */
  for (;;)
    {
      gsize left = self->visible.length + self->pending.length;

      if (left <= self->max_entries
          && (self->visible_bytes + self->pending_bytes <= self->max_bytes || left <= 1))
        break;
      if (self->visible.length > 0)
        {
          drop_visible (self);
          n_visible++;
        }
      else
        {
          drop_pending (self);
          n_pending++;
        }
    }

  if (n_visible == 0 && n_pending == 0 && self->n_dropped_pending == 0)
    return;

  self->n_dropped += self->n_dropped_pending + n_visible + n_pending;
  self->n_dropped_pending = 0;

  removed = (guint) n_visible + (self->marker != NULL ? 1 : 0);
  g_clear_object (&self->marker);
  self->marker = make_marker (self);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
}

/* Shows the pending entries, in one items-changed at the end. */
static void
publish (SlLog *self)
{
  gsize added = self->pending.length;
  guint position;

  if (added == 0)
    return;

  position = n_items (self);

  if (self->visible.length == 0)
    {
      Ring empty = self->visible;

      self->visible = self->pending;
      self->pending = empty;
    }
  else
    {
      gsize limit = MAX ((gsize) self->max_entries, self->visible.length + added);

      while (self->pending.length > 0)
        ring_push (&self->visible, ring_pop (&self->pending), limit);
    }
  self->visible_bytes += self->pending_bytes;
  self->pending_bytes = 0;

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, (guint) added);
}

/* Gives back memory a shrunken cap or a past flood left unused. */
static void
compact (SlLog *self)
{
  if (self->pending.length == 0 && self->pending.capacity > 1024)
    ring_clear (&self->pending);

  if (self->visible.capacity > 1024 &&
      self->visible.capacity > 2 * MAX (self->visible.length, (gsize) self->max_entries))
    ring_resize (&self->visible, MAX (self->visible.length, 64));
}

/* ---- GListModel --------------------------------------------------------- */

static GType
sl_log_get_item_type (GListModel *model)
{
  return SL_TYPE_LOG_ENTRY;
}

static guint
sl_log_get_n_items (GListModel *model)
{
  return n_items (SL_LOG (model));
}

static gpointer
sl_log_get_item (GListModel *model,
                 guint       position)
{
  SlLog *self = SL_LOG (model);

  if (self->marker != NULL)
    {
      if (position == 0)
        return g_object_ref (self->marker);
      position--;
    }

  if (position >= self->visible.length)
    return NULL;

  return g_object_ref (ring_get (&self->visible, position));
}

static void
sl_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sl_log_get_item_type;
  iface->get_n_items = sl_log_get_n_items;
  iface->get_item = sl_log_get_item;
}

/* ---- GObject ------------------------------------------------------------ */

static void
sl_log_dispose (GObject *object)
{
  SlLog *self = SL_LOG (object);

  remove_flush_source (self);
  ring_clear (&self->visible);
  ring_clear (&self->pending);
  g_clear_object (&self->marker);

  G_OBJECT_CLASS (sl_log_parent_class)->dispose (object);
}

static void
sl_log_finalize (GObject *object)
{
  SlLog *self = SL_LOG (object);

  g_main_context_unref (self->context);

  G_OBJECT_CLASS (sl_log_parent_class)->finalize (object);
}

static void
sl_log_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  SlLog *self = SL_LOG (object);

  switch (prop_id)
    {
    case PROP_MAX_ENTRIES:
      g_value_set_uint (value, self->max_entries);
      break;
    case PROP_N_DROPPED:
      g_value_set_uint64 (value, self->n_dropped);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_log_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  SlLog *self = SL_LOG (object);

  switch (prop_id)
    {
    case PROP_MAX_ENTRIES:
      sl_log_set_max_entries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_log_class_init (SlLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sl_log_dispose;
  object_class->finalize = sl_log_finalize;
  object_class->get_property = sl_log_get_property;
  object_class->set_property = sl_log_set_property;

  /* 0 means SL_LOG_DEFAULT_MAX_ENTRIES; reading gives the limit in force. */
  properties[PROP_MAX_ENTRIES] =
    g_param_spec_uint ("max-entries", NULL, NULL,
                       0, G_MAXINT, SL_LOG_DEFAULT_MAX_ENTRIES,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                       G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_N_DROPPED] =
    g_param_spec_uint64 ("n-dropped", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted in sl_log_append(), before the entry is shown by the model. */
  signals[ENTRY_ADDED] =
    g_signal_new ("entry-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__OBJECT,
                  G_TYPE_NONE, 1, SL_TYPE_LOG_ENTRY);
  g_signal_set_va_marshaller (signals[ENTRY_ADDED], G_TYPE_FROM_CLASS (klass),
                              g_cclosure_marshal_VOID__OBJECTv);
}

static void
sl_log_init (SlLog *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->max_entries = SL_LOG_DEFAULT_MAX_ENTRIES;
  self->max_bytes = SL_LOG_DEFAULT_MAX_BYTES;
}

/* ---- public ------------------------------------------------------------- */

SlLog *
sl_log_new (guint max_entries)
{
  return g_object_new (SL_TYPE_LOG, "max-entries", max_entries, NULL);
}

/* @entry: (transfer none): the log takes its own reference. */
void
sl_log_append (SlLog      *self,
               SlLogEntry *entry)
{
  g_return_if_fail (SL_IS_LOG (self));
  g_return_if_fail (SL_IS_LOG_ENTRY (entry));

  /* Pending entries nobody has seen go at once beyond the caps, so that a
   * flood while the main loop is busy stays bounded in count and bytes. */
  while (self->pending.length >= self->max_entries
         || (self->pending.length > 0
             && self->pending_bytes + sl_log_entry_get_size (entry) > self->max_bytes))
    {
      drop_pending (self);
      self->n_dropped_pending++;
    }

  push_pending (self, g_object_ref (entry));
  self->n_appended++;
  schedule_flush (self);

  g_signal_emit (self, signals[ENTRY_ADDED], 0, entry);
}

void
sl_log_flush (SlLog *self)
{
  g_return_if_fail (SL_IS_LOG (self));

  g_object_ref (self);

  remove_flush_source (self);
  trim (self);
  /* A handler of the first items-changed may have cleared or flushed the
   * log: publish() looks at the state as it is now. */
  publish (self);
  compact (self);

  g_object_unref (self);
}

void
sl_log_clear (SlLog *self)
{
  guint removed;
  gboolean had_drops;

  g_return_if_fail (SL_IS_LOG (self));

  removed = n_items (self);
  had_drops = self->n_dropped != 0;

  remove_flush_source (self);
  ring_clear (&self->visible);
  ring_clear (&self->pending);
  self->visible_bytes = self->pending_bytes = 0;
  g_clear_object (&self->marker);
  self->n_dropped = 0;
  self->n_dropped_pending = 0;

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  if (had_drops)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
}

guint
sl_log_get_max_entries (SlLog *self)
{
  g_return_val_if_fail (SL_IS_LOG (self), 0);

  return self->max_entries;
}

/* A smaller limit drops the oldest shown entries at the next flush. */
void
sl_log_set_max_entries (SlLog *self,
                        guint  max_entries)
{
  g_return_if_fail (SL_IS_LOG (self));

  if (max_entries == 0)
    max_entries = SL_LOG_DEFAULT_MAX_ENTRIES;
  max_entries = MIN (max_entries, (guint) G_MAXINT);

  if (self->max_entries == max_entries)
    return;

  self->max_entries = max_entries;

  while (self->pending.length > self->max_entries)
    {
      drop_pending (self);
      self->n_dropped_pending++;
    }
  if (self->visible.length + self->pending.length > self->max_entries ||
      self->n_dropped_pending > 0)
    schedule_flush (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ENTRIES]);
}

guint64
sl_log_get_max_bytes (SlLog *self)
{
  g_return_val_if_fail (SL_IS_LOG (self), 0);

  return self->max_bytes;
}

/* 0 restores SL_LOG_DEFAULT_MAX_BYTES; a smaller limit drops the oldest
 * entries at the next flush. */
void
sl_log_set_max_bytes (SlLog   *self,
                      guint64  max_bytes)
{
  g_return_if_fail (SL_IS_LOG (self));

  self->max_bytes = max_bytes > 0 ? max_bytes : SL_LOG_DEFAULT_MAX_BYTES;
  if (self->visible_bytes + self->pending_bytes > self->max_bytes)
    schedule_flush (self);
}

guint64
sl_log_get_payload_bytes (SlLog *self)
{
  g_return_val_if_fail (SL_IS_LOG (self), 0);

  return self->visible_bytes + self->pending_bytes;
}

guint64
sl_log_get_n_dropped (SlLog *self)
{
  g_return_val_if_fail (SL_IS_LOG (self), 0);

  return self->n_dropped;
}

guint64
sl_log_get_n_appended (SlLog *self)
{
  g_return_val_if_fail (SL_IS_LOG (self), 0);

  return self->n_appended;
}
