/* sl-repeat-send.c — send a message every N ms, with {n} and {time} macros
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sl-codec.h"
#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-repeat-send.h"

struct _SlRepeatSend
{
  GObject       parent_instance;

  SlEndpoint   *endpoint;
  SlConnection *connection;   /* as given (NULL: the endpoint's first) */
  char         *template_text;
  SlEncoding    encoding;
  guint         interval;
  guint         count;

  SlConnection *target;       /* while running */
  gulong        closed_id;
  gulong        state_id;
  GSource      *timer;
  gboolean      running;
  guint64       n_sent;
  char         *last_error;
};

G_DEFINE_FINAL_TYPE (SlRepeatSend, sl_repeat_send, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ENDPOINT,
  PROP_CONNECTION,
  PROP_TEMPLATE,
  PROP_ENCODING,
  PROP_INTERVAL,
  PROP_COUNT,
  PROP_RUNNING,
  PROP_N_SENT,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Templates. */

typedef enum
{
  PIECE_TEXT,
  PIECE_N,
  PIECE_TIME,
} PieceKind;

/* Calls @piece for each literal run and macro of @template_text. FALSE with an
 * error at the first bad brace. */
typedef void (*PieceFunc) (PieceKind   kind,
                           const char *text,
                           gsize       length,
                           gpointer    user_data);

static glong
position_of (const char *template_text,
             const char *p)
{
  return g_utf8_pointer_to_offset (template_text, p) + 1;
}

static gboolean
parse_template (const char  *template_text,
                PieceFunc    piece,
                gpointer     user_data,
                GError     **error)
{
  const char *p = template_text;
  const char *run = template_text;

  while (*p != '\0')
    {
      if (*p == '{' && p[1] == '{')
        {
          piece (PIECE_TEXT, run, p - run + 1, user_data);
          p += 2;
          run = p;
        }
      else if (*p == '}' && p[1] == '}')
        {
          piece (PIECE_TEXT, run, p - run + 1, user_data);
          p += 2;
          run = p;
        }
      else if (*p == '{')
        {
          const char *name = p + 1;
          const char *q = name;

          while (g_ascii_isalnum (*q) || *q == '_')
            q++;
          if (q == name || *q != '}')
            {
              g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                           _("The “{” at position %ld does not start {n} or {time}: write {{ "
                             "for a literal brace (in a JSON template, {{ and }} around each "
                             "object, as in Python's str.format())."),
                           position_of (template_text, p));
              return FALSE;
            }

          piece (PIECE_TEXT, run, p - run, user_data);
          if (q - name == 1 && *name == 'n')
            piece (PIECE_N, NULL, 0, user_data);
          else if (q - name == 4 && strncmp (name, "time", 4) == 0)
            piece (PIECE_TIME, NULL, 0, user_data);
          else
            {
              g_autofree char *shown = g_strndup (name, MIN (q - name, 40));

              g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                           _("Unknown macro “{%s}” at position %ld: use {n} (the message "
                             "number), {time} (the time it is sent), or {{ and }} for literal "
                             "braces."),
                           shown, position_of (template_text, p));
              return FALSE;
            }
          p = q + 1;
          run = p;
        }
      else if (*p == '}')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                       _("The “}” at position %ld ends no macro: write }} for a literal brace."),
                       position_of (template_text, p));
          return FALSE;
        }
      else
        p++;
    }

  piece (PIECE_TEXT, run, p - run, user_data);
  return TRUE;
}

static void
ignore_piece (PieceKind   kind,
              const char *text,
              gsize       length,
              gpointer    user_data)
{
}

gboolean
sl_repeat_send_validate_template (const char  *template_text,
                                  GError     **error)
{
  g_return_val_if_fail (template_text != NULL, FALSE);

  return parse_template (template_text, ignore_piece, NULL, error);
}

typedef struct
{
  GString   *out;
  guint64    n;
  GDateTime *time;
} Expansion;

static void
expand_piece (PieceKind   kind,
              const char *text,
              gsize       length,
              gpointer    user_data)
{
  Expansion *expansion = user_data;

  switch (kind)
    {
    case PIECE_TEXT:
      g_string_append_len (expansion->out, text, length);
      break;
    case PIECE_N:
      g_string_append_printf (expansion->out, "%" G_GUINT64_FORMAT, expansion->n);
      break;
    case PIECE_TIME:
      {
        g_autofree char *hms = g_date_time_format (expansion->time, "%H:%M:%S");

        g_string_append_printf (expansion->out, "%s.%03d", hms,
                                g_date_time_get_microsecond (expansion->time) / 1000);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
sl_repeat_send_expand (const char  *template_text,
                       guint64      n,
                       GDateTime   *time,
                       GError     **error)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  Expansion expansion;

  g_return_val_if_fail (template_text != NULL, NULL);

  if (time == NULL)
    time = now = g_date_time_new_now_local ();

  expansion.out = out;
  expansion.n = n;
  expansion.time = time;
  if (!parse_template (template_text, expand_piece, &expansion, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* As the composer: an empty message is b'' in every encoding. */
static GBytes *
encode (const char  *text,
        SlEncoding   encoding,
        GError     **error)
{
  if (*text == '\0')
    return g_bytes_new (NULL, 0);

  return sl_codec_encode (encoding, text, error);
}

gboolean
sl_repeat_send_validate (const char  *template_text,
                         SlEncoding   encoding,
                         guint        interval_ms,
                         GError     **error)
{
  g_autofree char *first = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (template_text != NULL, FALSE);

  if (interval_ms < SL_REPEAT_SEND_MIN_INTERVAL || interval_ms > SL_REPEAT_SEND_MAX_INTERVAL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_TIMEOUT,
                   _("Interval “%u ms” is out of range: use 1 ms to 3600000 ms (one hour)."),
                   interval_ms);
      return FALSE;
    }

  first = sl_repeat_send_expand (template_text, 1, NULL, error);
  if (first == NULL)
    return FALSE;

  bytes = encode (first, encoding, error);
  return bytes != NULL;
}

/* Object. */

static void
set_running (SlRepeatSend *self,
             gboolean      running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_last_error (SlRepeatSend *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* Ends a run; no signal. */
static void
halt (SlRepeatSend *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  if (self->target != NULL)
    g_clear_signal_handler (&self->closed_id, self->target);
  if (self->endpoint != NULL)
    g_clear_signal_handler (&self->state_id, self->endpoint);
  g_clear_object (&self->target);
}

static void
stop_with_reason (SlRepeatSend *self,
                  const char   *reason)
{
  G_GNUC_UNUSED g_autoptr(SlRepeatSend) hold = g_object_ref (self);

  if (!self->running)
    return;
  halt (self);
  set_running (self, FALSE);
  g_signal_emit (self, signals[SIGNAL_STOPPED], 0, reason);
}

static char *
after_n (guint64 n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "repeating stopped after %lu message.",
                                       "repeating stopped after %lu messages.",
                                       n),
                          (unsigned long) n);
}

static void
stop_closed (SlRepeatSend *self)
{
  g_autofree char *after = after_n (self->n_sent);
  g_autofree char *reason = NULL;

  /* Translators: the %s is "repeating stopped after N messages." */
  reason = g_strdup_printf (_("The connection closed: %s"), after);
  stop_with_reason (self, reason);
}

static void
target_closed_cb (SlConnection *connection,
                  SlRepeatSend *self)
{
  stop_closed (self);
}

static void
endpoint_state_cb (SlEndpoint   *endpoint,
                   GParamSpec   *pspec,
                   SlRepeatSend *self)
{
  SlEndpointState state = sl_endpoint_get_state (endpoint);
  g_autofree char *after = NULL;
  g_autofree char *reason = NULL;

  if (state == SL_ENDPOINT_STATE_LISTENING || state == SL_ENDPOINT_STATE_CONNECTED)
    return;

  if (self->target != NULL && !sl_connection_is_open (self->target))
    {
      stop_closed (self);
      return;
    }

  after = after_n (self->n_sent);
  /* Translators: the %s is "repeating stopped after N messages." */
  reason = g_strdup_printf (_("The endpoint stopped: %s"), after);
  stop_with_reason (self, reason);
}

/* Sends message number n_sent + 1. FALSE when the run ended. */
static gboolean
send_next (SlRepeatSend *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  text = sl_repeat_send_expand (self->template_text, self->n_sent + 1, NULL, &error);
  if (text != NULL)
    bytes = encode (text, self->encoding, &error);
  if (bytes == NULL || !sl_connection_send (self->target, bytes, &error))
    {
      g_autofree char *after = after_n (self->n_sent);
      g_autofree char *reason = NULL;

      if (!sl_connection_is_open (self->target))
        {
          stop_closed (self);
          return FALSE;
        }
      set_last_error (self, error->message);
      /* Translators: the first %s is why sending failed (a sentence), the second
       * "repeating stopped after N messages." */
      reason = g_strdup_printf (_("Sending failed: %s Then %s"), error->message, after);
      stop_with_reason (self, reason);
      return FALSE;
    }

  self->n_sent++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SENT]);

  if (self->count > 0 && self->n_sent >= self->count)
    {
      g_autofree char *reason =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Sent %lu message.",
                                      "Sent %lu messages.",
                                      self->n_sent),
                         (unsigned long) self->n_sent);

      stop_with_reason (self, reason);
      return FALSE;
    }

  return TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  SlRepeatSend *self = user_data;
  G_GNUC_UNUSED g_autoptr(SlRepeatSend) hold = g_object_ref (self);

  /* When the run ends, halt() has destroyed this source already. */
  return send_next (self) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

gboolean
sl_repeat_send_start (SlRepeatSend  *self,
                      GError       **error)
{
  SlConnection *target;
  GSource *source;

  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->running)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_BUSY,
                   _("Repeat send is already running: stop it first."));
      return FALSE;
    }

  if (!sl_repeat_send_validate (self->template_text, self->encoding, self->interval, error))
    return FALSE;

  if (self->connection != NULL && sl_connection_is_open (self->connection) &&
      sl_connection_get_endpoint (self->connection) != self->endpoint)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                   _("This connection belongs to another endpoint: pick one of this "
                     "endpoint's connections."));
      return FALSE;
    }

  target = self->connection != NULL ? self->connection
                                    : sl_endpoint_get_first_connection (self->endpoint);
  if (target == NULL || !sl_connection_is_open (target))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   self->connection != NULL
                   ? _("This connection is closed: nothing was sent. Pick an open connection.")
                   : sl_endpoint_is_server (self->endpoint)
                   ? _("No client is connected, so there is nobody to send to. Connect a "
                       "client first.")
                   : _("The client is not connected. Start it first."));
      return FALSE;
    }

  g_set_object (&self->target, target);
  self->closed_id = g_signal_connect (self->target, "closed",
                                      G_CALLBACK (target_closed_cb), self);
  self->state_id = g_signal_connect (self->endpoint, "notify::state",
                                     G_CALLBACK (endpoint_state_cb), self);

  self->n_sent = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SENT]);
  set_last_error (self, NULL);
  set_running (self, TRUE);

  /* The timer is made before the first send, which may end the run at once. */
  source = g_timeout_source_new (self->interval);
  g_source_set_callback (source, tick_cb, self, NULL);
  g_source_set_name (source, "[socket-lab] repeat send");
  g_source_attach (source, g_main_context_get_thread_default ());
  self->timer = source;

  send_next (self);
  return TRUE;
}

void
sl_repeat_send_stop (SlRepeatSend *self)
{
  g_autofree char *reason = NULL;

  g_return_if_fail (SL_IS_REPEAT_SEND (self));

  if (!self->running)
    return;

  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Stopped after %lu message.",
                                         "Stopped after %lu messages.",
                                         self->n_sent),
                            (unsigned long) self->n_sent);
  stop_with_reason (self, reason);
}

static void
sl_repeat_send_dispose (GObject *object)
{
  SlRepeatSend *self = SL_REPEAT_SEND (object);

  /* Disposed while running: end quietly (nobody is left to tell). */
  halt (self);
  self->running = FALSE;
  g_clear_object (&self->connection);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (sl_repeat_send_parent_class)->dispose (object);
}

static void
sl_repeat_send_finalize (GObject *object)
{
  SlRepeatSend *self = SL_REPEAT_SEND (object);

  g_free (self->template_text);
  g_free (self->last_error);

  G_OBJECT_CLASS (sl_repeat_send_parent_class)->finalize (object);
}

static void
sl_repeat_send_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SlRepeatSend *self = SL_REPEAT_SEND (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_TEMPLATE:
      g_value_set_string (value, self->template_text);
      break;
    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_N_SENT:
      g_value_set_uint64 (value, self->n_sent);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_repeat_send_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SlRepeatSend *self = SL_REPEAT_SEND (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      self->endpoint = g_value_dup_object (value);
      break;
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_TEMPLATE:
      self->template_text = g_value_dup_string (value);
      if (self->template_text == NULL)
        self->template_text = g_strdup ("");
      break;
    case PROP_ENCODING:
      self->encoding = g_value_get_enum (value);
      break;
    case PROP_INTERVAL:
      self->interval = g_value_get_uint (value);
      break;
    case PROP_COUNT:
      self->count = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_repeat_send_class_init (SlRepeatSendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sl_repeat_send_dispose;
  object_class->finalize = sl_repeat_send_finalize;
  object_class->get_property = sl_repeat_send_get_property;
  object_class->set_property = sl_repeat_send_set_property;

  properties[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, SL_TYPE_ENDPOINT, construct);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, SL_TYPE_CONNECTION, construct);
  properties[PROP_TEMPLATE] =
    g_param_spec_string ("template", NULL, NULL, "", construct);
  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL, SL_TYPE_ENCODING, SL_ENCODING_TEXT, construct);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, G_MAXUINT, 1000, construct);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, construct);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_N_SENT] =
    g_param_spec_uint64 ("n-sent", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STOPPED] =
    g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sl_repeat_send_init (SlRepeatSend *self)
{
}

SlRepeatSend *
sl_repeat_send_new (SlEndpoint   *endpoint,
                    SlConnection *connection,
                    const char   *template_text,
                    SlEncoding    encoding,
                    guint         interval_ms,
                    guint         count)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (endpoint), NULL);
  g_return_val_if_fail (connection == NULL || SL_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (template_text != NULL, NULL);

  return g_object_new (SL_TYPE_REPEAT_SEND,
                       "endpoint", endpoint,
                       "connection", connection,
                       "template", template_text,
                       "encoding", encoding,
                       "interval", interval_ms,
                       "count", count,
                       NULL);
}

SlEndpoint *
sl_repeat_send_get_endpoint (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), NULL);
  return self->endpoint;
}

SlConnection *
sl_repeat_send_get_connection (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), NULL);
  return self->connection;
}

const char *
sl_repeat_send_get_template (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), NULL);
  return self->template_text;
}

SlEncoding
sl_repeat_send_get_encoding (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), SL_ENCODING_TEXT);
  return self->encoding;
}

guint
sl_repeat_send_get_interval (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), 0);
  return self->interval;
}

guint
sl_repeat_send_get_count (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), 0);
  return self->count;
}

gboolean
sl_repeat_send_get_running (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), FALSE);
  return self->running;
}

guint64
sl_repeat_send_get_n_sent (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), 0);
  return self->n_sent;
}

const char *
sl_repeat_send_get_last_error (SlRepeatSend *self)
{
  g_return_val_if_fail (SL_IS_REPEAT_SEND (self), NULL);
  return self->last_error;
}
