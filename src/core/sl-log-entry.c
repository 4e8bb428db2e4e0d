/* sl-log-entry.c — one immutable row of the call trace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gi18n.h>

#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-log-entry.h"

/* A log may hold a million rows, so an entry is kept small, 88 bytes on
 * 64-bit (see tests/bench/bench-log.c):
 *  - the endpoint id, connection id and peer of a row are one interned
 *    Origin, shared by every row of that connection;
 *  - strings that repeat from row to row (the call, results without a
 *    payload, explanations) are interned GRefStrings shared by every row;
 *  - strings that usually carry the payload (the repr in a recv() result,
 *    the data in a send() call) are stored with the entry;
 *  - payloads up to INLINE_PAYLOAD_MAX bytes are copied into one block with
 *    those strings, and their GBytes is made (and kept as qdata) only when
 *    someone asks for it; larger payloads keep a reference to the caller's
 *    GBytes. */
#define INLINE_PAYLOAD_MAX 128

enum
{
  FLAG_PAYLOAD_INLINE = 1 << 0, /* storage is a block: payload, then owned strings */
  FLAG_SUMMARY_OWNED  = 1 << 1, /* else an interned GRefString */
  FLAG_RESULT_OWNED   = 1 << 2, /* else an interned GRefString (or NULL) */
};

static GQuark payload_quark;

/* Where a row comes from. Interned: one per (endpoint, connection, peer),
 * counted under origins_lock. */
typedef struct
{
  guint  ref_count;
  guint  endpoint_id;
  guint  connection_id;
  char  *peer;
} Origin;

static GMutex origins_lock;
static GHashTable *origins;

static guint
origin_hash (gconstpointer data)
{
  const Origin *origin = data;

  return (origin->endpoint_id * 1000003u) ^ origin->connection_id ^
         (origin->peer != NULL ? g_str_hash (origin->peer) : 0);
}

static gboolean
origin_equal (gconstpointer a,
              gconstpointer b)
{
  const Origin *x = a;
  const Origin *y = b;

  return x->endpoint_id == y->endpoint_id &&
         x->connection_id == y->connection_id &&
         g_strcmp0 (x->peer, y->peer) == 0;
}

static Origin *
origin_acquire (guint       endpoint_id,
                guint       connection_id,
                const char *peer)
{
  Origin key = { 0, endpoint_id, connection_id, (char *) peer };
  Origin *origin;

  g_mutex_lock (&origins_lock);

  if (origins == NULL)
    origins = g_hash_table_new (origin_hash, origin_equal);

  origin = g_hash_table_lookup (origins, &key);
  if (origin == NULL)
    {
      origin = g_new (Origin, 1);
      origin->ref_count = 0;
      origin->endpoint_id = endpoint_id;
      origin->connection_id = connection_id;
      origin->peer = g_strdup (peer);
      g_hash_table_add (origins, origin);
    }
  origin->ref_count++;

  g_mutex_unlock (&origins_lock);

  return origin;
}

static void
origin_release (Origin *origin)
{
  g_mutex_lock (&origins_lock);

  if (--origin->ref_count == 0)
    {
      g_hash_table_remove (origins, origin);
      g_free (origin->peer);
      g_free (origin);
    }

  g_mutex_unlock (&origins_lock);
}

struct _SlLogEntry
{
  GObject     parent_instance;

  gint64      wall_time;
  gint64      monotonic_time;
  int         error_code;
  guint8      kind;
  guint8      flags;
  guint8      inline_len;

  Origin     *origin;
  const char *summary;
  const char *result;
  const char *explanation;
  gpointer    storage;      /* a block when FLAG_PAYLOAD_INLINE, else GBytes or NULL */
};

G_DEFINE_FINAL_TYPE (SlLogEntry, sl_log_entry, G_TYPE_OBJECT)

/* 88 bytes fit a 96-byte malloc chunk where GSlice is plain malloc (GLib >= 2.76). */
G_STATIC_ASSERT (GLIB_SIZEOF_VOID_P != 8 || sizeof (SlLogEntry) == 88);

enum
{
  PROP_0,
  PROP_KIND,
  PROP_WALL_TIME,
  PROP_MONOTONIC_TIME,
  PROP_ENDPOINT_ID,
  PROP_CONNECTION_ID,
  PROP_PEER,
  PROP_SUMMARY,
  PROP_RESULT,
  PROP_ERROR_CODE,
  PROP_ERROR_NAME,
  PROP_EXPLANATION,
  PROP_PAYLOAD,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
intern (const char *str)
{
  return str != NULL ? g_ref_string_new_intern (str) : NULL;
}

static void
release (const char *str)
{
  if (str != NULL)
    g_ref_string_release ((char *) str);
}

static void
sl_log_entry_finalize (GObject *object)
{
  SlLogEntry *self = SL_LOG_ENTRY (object);
  gboolean inline_payload = (self->flags & FLAG_PAYLOAD_INLINE) != 0;

  origin_release (self->origin);
  release (self->explanation);

  if (self->flags & FLAG_SUMMARY_OWNED)
    {
      if (!inline_payload)
        g_free ((char *) self->summary);
    }
  else
    release (self->summary);

  if (self->flags & FLAG_RESULT_OWNED)
    {
      if (!inline_payload)
        g_free ((char *) self->result);
    }
  else
    release (self->result);

  if (inline_payload)
    g_free (self->storage);
  else if (self->storage != NULL)
    g_bytes_unref (self->storage);

  G_OBJECT_CLASS (sl_log_entry_parent_class)->finalize (object);
}

static void
sl_log_entry_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SlLogEntry *self = SL_LOG_ENTRY (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_WALL_TIME:
      g_value_set_int64 (value, self->wall_time);
      break;
    case PROP_MONOTONIC_TIME:
      g_value_set_int64 (value, self->monotonic_time);
      break;
    case PROP_ENDPOINT_ID:
      g_value_set_uint (value, self->origin->endpoint_id);
      break;
    case PROP_CONNECTION_ID:
      g_value_set_uint (value, self->origin->connection_id);
      break;
    case PROP_PEER:
      g_value_set_string (value, self->origin->peer);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_RESULT:
      g_value_set_string (value, self->result);
      break;
    case PROP_ERROR_CODE:
      g_value_set_int (value, self->error_code);
      break;
    case PROP_ERROR_NAME:
      g_value_set_string (value, sl_log_entry_get_error_name (self));
      break;
    case PROP_EXPLANATION:
      g_value_set_string (value, self->explanation);
      break;
    case PROP_PAYLOAD:
      g_value_set_boxed (value, sl_log_entry_get_payload (self));
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, sl_log_entry_get_size (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_log_entry_class_init (SlLogEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  payload_quark = g_quark_from_static_string ("sl-log-entry-payload");

  object_class->finalize = sl_log_entry_finalize;
  object_class->get_property = sl_log_entry_get_property;

  /* Read-only mirrors of the getters, for GtkExpression lookups in list rows. */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SL_TYPE_LOG_KIND, SL_LOG_KIND_CALL, flags);
  properties[PROP_WALL_TIME] =
    g_param_spec_int64 ("wall-time", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_MONOTONIC_TIME] =
    g_param_spec_int64 ("monotonic-time", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ENDPOINT_ID] =
    g_param_spec_uint ("endpoint-id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CONNECTION_ID] =
    g_param_spec_uint ("connection-id", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PEER] = g_param_spec_string ("peer", NULL, NULL, NULL, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_RESULT] = g_param_spec_string ("result", NULL, NULL, NULL, flags);
  properties[PROP_ERROR_CODE] =
    g_param_spec_int ("error-code", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_ERROR_NAME] = g_param_spec_string ("error-name", NULL, NULL, NULL, flags);
  properties[PROP_EXPLANATION] = g_param_spec_string ("explanation", NULL, NULL, NULL, flags);
  properties[PROP_PAYLOAD] = g_param_spec_boxed ("payload", NULL, NULL, G_TYPE_BYTES, flags);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sl_log_entry_init (SlLogEntry *self)
{
}

SlLogEntry *
sl_log_entry_new (SlLogKind    kind,
                  guint        endpoint_id,
                  guint        connection_id,
                  const char  *peer,
                  const char  *summary,
                  const char  *result,
                  int          error_code,
                  const char  *explanation,
                  GBytes      *payload)
{
  return sl_log_entry_new_full (kind, g_get_real_time (), g_get_monotonic_time (),
                                endpoint_id, connection_id, peer, summary, result,
                                error_code, explanation, payload);
}

SlLogEntry *
sl_log_entry_new_full (SlLogKind    kind,
                       gint64       wall_time_us,
                       gint64       monotonic_us,
                       guint        endpoint_id,
                       guint        connection_id,
                       const char  *peer,
                       const char  *summary,
                       const char  *result,
                       int          error_code,
                       const char  *explanation,
                       GBytes      *payload)
{
  SlLogEntry *self;
  gboolean summary_owned;
  gboolean result_owned;

  g_return_val_if_fail (kind <= SL_LOG_KIND_STATE, NULL);

  self = g_object_new (SL_TYPE_LOG_ENTRY, NULL);
  self->wall_time = wall_time_us;
  self->monotonic_time = monotonic_us;
  self->kind = (guint8) kind;
  self->error_code = error_code;
  self->origin = origin_acquire (endpoint_id, connection_id, peer);

  if (summary == NULL)
    summary = "";

  /* The data of a send() is in its call, the data of a recv() in its result. */
  summary_owned = payload != NULL && kind == SL_LOG_KIND_DATA_OUT;
  result_owned = payload != NULL && kind != SL_LOG_KIND_DATA_OUT && result != NULL;

  self->explanation = intern (explanation);
  if (!summary_owned)
    self->summary = intern (summary);
  if (!result_owned)
    self->result = intern (result);

  if (payload != NULL && g_bytes_get_size (payload) <= INLINE_PAYLOAD_MAX)
    {
      gsize payload_len = g_bytes_get_size (payload);
      gsize summary_len = summary_owned ? strlen (summary) + 1 : 0;
      gsize result_len = result_owned ? strlen (result) + 1 : 0;
      /* At least one byte, so that an empty payload still has a block to point into. */
      guint8 *block = g_malloc (MAX (payload_len + summary_len + result_len, 1));
      guint8 *p = block;

      if (payload_len > 0)
        memcpy (p, g_bytes_get_data (payload, NULL), payload_len);
      p += payload_len;
      if (summary_owned)
        {
          memcpy (p, summary, summary_len);
          self->summary = (const char *) p;
          p += summary_len;
        }
      if (result_owned)
        {
          memcpy (p, result, result_len);
          self->result = (const char *) p;
        }

      self->storage = block;
      self->inline_len = (guint8) payload_len;
      self->flags |= FLAG_PAYLOAD_INLINE;
    }
  else
    {
      if (summary_owned)
        self->summary = g_strdup (summary);
      if (result_owned)
        self->result = g_strdup (result);
      if (payload != NULL)
        self->storage = g_bytes_ref (payload);
    }

  if (summary_owned)
    self->flags |= FLAG_SUMMARY_OWNED;
  if (result_owned)
    self->flags |= FLAG_RESULT_OWNED;

  return self;
}

SlLogKind
sl_log_entry_get_kind (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), SL_LOG_KIND_CALL);

  return self->kind;
}

gint64
sl_log_entry_get_wall_time (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), 0);

  return self->wall_time;
}

gint64
sl_log_entry_get_monotonic_time (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), 0);

  return self->monotonic_time;
}

guint
sl_log_entry_get_endpoint_id (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), 0);

  return self->origin->endpoint_id;
}

guint
sl_log_entry_get_connection_id (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), 0);

  return self->origin->connection_id;
}

const char *
sl_log_entry_get_peer (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  return self->origin->peer;
}

const char *
sl_log_entry_get_summary (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  return self->summary;
}

const char *
sl_log_entry_get_result (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  return self->result;
}

int
sl_log_entry_get_error_code (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), 0);

  return self->error_code;
}

const char *
sl_log_entry_get_error_name (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  return sl_errno_name (self->error_code);
}

const char *
sl_log_entry_get_explanation (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  return self->explanation;
}

GBytes *
sl_log_entry_get_payload (SlLogEntry *self)
{
  GBytes *bytes;

  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  if (!(self->flags & FLAG_PAYLOAD_INLINE))
    return self->storage;

  bytes = g_object_get_qdata (G_OBJECT (self), payload_quark);
  if (bytes != NULL)
    return bytes;

  /* A copy, so that the GBytes may outlive the entry. Entries are read from
   * any thread: the first one to store its copy wins. */
  bytes = g_bytes_new (self->storage, self->inline_len);
  if (!g_object_replace_qdata (G_OBJECT (self), payload_quark, NULL, bytes,
                               (GDestroyNotify) g_bytes_unref, NULL))
    {
      g_bytes_unref (bytes);
      bytes = g_object_get_qdata (G_OBJECT (self), payload_quark);
    }

  return bytes;
}

/* The payload's size in bytes, 0 without a payload. */
gsize
sl_log_entry_get_size (SlLogEntry *self)
{
  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), 0);

  if (self->flags & FLAG_PAYLOAD_INLINE)
    return self->inline_len;
  if (self->storage != NULL)
    return g_bytes_get_size (self->storage);
  return 0;
}

/* Appends @str with control characters, line breaks and invalid UTF-8
 * escaped, so that the line stays one line. Backslashes are kept: the
 * summaries are Python code that already contains escapes. */
static void
append_one_line (GString    *out,
                 const char *str)
{
  const char *p = str;

  while (*p != '\0')
    {
      guchar c = (guchar) *p;
      gunichar ch;

      if (c >= 0x20 && c < 0x7f)
        {
          const char *q = p + 1;

          while ((guchar) *q >= 0x20 && (guchar) *q < 0x7f)
            q++;
          g_string_append_len (out, p, q - p);
          p = q;
          continue;
        }

      if (c < 0x80)
        {
          if (c == '\n')
            g_string_append (out, "\\n");
          else if (c == '\r')
            g_string_append (out, "\\r");
          else if (c == '\t')
            g_string_append (out, "\\t");
          else
            g_string_append_printf (out, "\\x%02x", c);
          p++;
          continue;
        }

      ch = g_utf8_get_char_validated (p, -1);
      if (ch == (gunichar) -1 || ch == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", c);
          p++;
          continue;
        }

      if ((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029 ||
          (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069))
        g_string_append_printf (out, "\\u%04x", (guint) ch);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
}

/* The local time zone, read once: GLib 2.74 rereads /etc/localtime for every
 * g_date_time_new_from_unix_local() when TZ is unset (3 syscalls a row). */
static GTimeZone *
local_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    g_once_init_leave (&zone, g_time_zone_new_local ());

  return zone;
}

/* The zone's offset from UTC at @seconds. Rows come many a second and the
 * offset changes at most at the turn of a minute, so it is looked up once a
 * minute (g_time_zone_find_interval() is a search of the zone's transitions). */
static gint64
local_offset (gint64 seconds)
{
  static GMutex lock;
  static gint64 cached_minute = G_MININT64;
  static gint64 cached_offset;
  gint64 minute = seconds >= 0 ? seconds / 60 : (seconds - 59) / 60;
  gint64 offset;

  g_mutex_lock (&lock);
  if (minute != cached_minute)
    {
      GTimeZone *zone = local_zone ();
      int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, seconds);

      cached_offset = interval >= 0 ? g_time_zone_get_offset (zone, interval) : 0;
      cached_minute = minute;
    }
  offset = cached_offset;
  g_mutex_unlock (&lock);

  return offset;
}

static char *
put_digits (char    *p,
            gint64   value,
            guint    n_digits)
{
  for (guint i = n_digits; i > 0; i--)
    {
      p[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
  return p + n_digits;
}

void
sl_log_format_clock (gint64  wall_time_us,
                     guint   decimals,
                     char   *buffer,
                     gsize   size)
{
  gint64 micros = wall_time_us % G_USEC_PER_SEC;
  gint64 seconds, day_seconds;
  char text[16];
  char *p = text;

  if (micros < 0)
    micros += G_USEC_PER_SEC;
  seconds = (wall_time_us - micros) / G_USEC_PER_SEC;
  seconds += local_offset (seconds);
  day_seconds = ((seconds % 86400) + 86400) % 86400;

  /* "HH:MM:SS" or "HH:MM:SS.ffffff", written by hand: this runs for every row
   * a trace prints. */
  p = put_digits (p, day_seconds / 3600, 2);
  *p++ = ':';
  p = put_digits (p, day_seconds / 60 % 60, 2);
  *p++ = ':';
  p = put_digits (p, day_seconds % 60, 2);
  decimals = MIN (decimals, 6);
  if (decimals > 0)
    {
      gint64 fraction = micros;

      for (guint i = decimals; i < 6; i++)
        fraction /= 10;
      *p++ = '.';
      p = put_digits (p, fraction, decimals);
    }
  *p = '\0';

  g_strlcpy (buffer, text, size);
}

char *
sl_log_entry_format (SlLogEntry *self)
{
  GString *line;

  g_return_val_if_fail (SL_IS_LOG_ENTRY (self), NULL);

  line = g_string_sized_new (128);
  sl_log_entry_format_append (self, line);
  return g_string_free (line, FALSE);
}

void
sl_log_entry_format_append (SlLogEntry *self,
                            GString    *line)
{
  char clock[32];
  const char *kind;
  gsize kind_len;

  g_return_if_fail (SL_IS_LOG_ENTRY (self));
  g_return_if_fail (line != NULL);

  sl_log_format_clock (self->wall_time, 6, clock, sizeof clock);
  g_string_append (line, clock);

  /* "  %-5s  " */
  kind = sl_log_kind_to_string (self->kind);
  kind_len = strlen (kind);
  g_string_append (line, "  ");
  g_string_append_len (line, kind, kind_len);
  g_string_append_len (line, "       ", (kind_len < 5 ? 5 - kind_len : 0) + 2);

  if (self->origin->peer != NULL)
    {
      append_one_line (line, self->origin->peer);
      g_string_append (line, "  ");
    }

  append_one_line (line, self->summary);

  if (self->result != NULL)
    {
      g_string_append (line, " → ");
      append_one_line (line, self->result);
    }
  else if (self->error_code != 0)
    {
      g_string_append (line, " → ");
      g_string_append (line, sl_errno_name (self->error_code));
    }

  if (self->explanation != NULL && (self->kind == SL_LOG_KIND_ERROR || self->error_code != 0))
    {
      g_string_append (line, " — ");
      append_one_line (line, self->explanation);
    }
}

const char *
sl_log_kind_to_string (SlLogKind kind)
{
  switch (kind)
    {
    case SL_LOG_KIND_CALL:
      return "call";
    case SL_LOG_KIND_DATA_IN:
      return "in";
    case SL_LOG_KIND_DATA_OUT:
      return "out";
    case SL_LOG_KIND_EVENT:
      return "event";
    case SL_LOG_KIND_ERROR:
      return "error";
    case SL_LOG_KIND_STATE:
      return "state";
    default:
      g_return_val_if_reached (NULL);
    }
}
