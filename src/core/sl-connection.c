/* sl-connection.c — one TCP (or Unix stream) conversation, or one UDP peer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>

#include <glib/gi18n.h>

#include "sl-auth.h"
#include "sl-codec.h"
#include "sl-engine.h"
#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-tcp-state.h"
#include "sl-util.h"

struct _SlConnection
{
  GObject            parent_instance;

  SlEndpoint        *endpoint;        /* weak */
  SlEndpointConfig  *config;
  GMainContext      *context;
  guint              id;
  GSocket           *socket;          /* shared with the endpoint for datagrams */
  char              *variable;
  char              *recv_summary;    /* "conn.recv(1024)", see recv_call() */
  int                recv_summary_bufsize;
  GSocketAddress    *local;
  GSocketAddress    *remote;
  char              *peer;

  SlConnectionState  state;
  guint64            bytes_in;
  guint64            bytes_out;
  guint64            messages_in;
  guint64            messages_out;
  gint64             created;

  GSource           *read_source;
  GSource           *write_source;
  GQueue             send_queue;      /* of GBytes, the unsent tail of each */
  gsize              queued_bytes;    /* in send_queue */

  GCancellable      *cancellable;     /* the pending blocking call */
  SlCancelLink       cancel_link;
  char              *pending_call;
  guint              close_after_pending : 1;
  guint              reset_after_pending : 1;
  guint              datagram : 1;
  guint              closed_emitted : 1;
  guint              read_paused : 1;        /* too many replies unsent (async) */
  guint              told_paused : 1;        /* the pause row was written */
  guint              close_when_flushed : 1; /* peer closed: close once all is sent */

  SlAuth            *auth;            /* link authentication, NULL when off */
  GSource           *auth_timeout;
  GQueue             held;            /* of GBytes sent before the handshake ended */

  /* The kernel's view (TCP only): read after every event, then polled with
   * back-off while it can still change (see watch_schedule()). */
  SlTcpState         tcp_state;
  GSource           *watch_source;
  guint              watch_interval_ms;
  guint              watching : 1;    /* the endpoint holds a reference meanwhile */
};

G_DEFINE_FINAL_TYPE (SlConnection, sl_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_PEER,
  PROP_BYTES_IN,
  PROP_BYTES_OUT,
  PROP_MESSAGES_IN,
  PROP_MESSAGES_OUT,
  PROP_PENDING_CALL,
  PROP_TCP_STATE,
  N_PROPS
};

enum {
  SIGNAL_RECEIVED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void finish_close (SlConnection *self,
                          gboolean      trace);
static void watch_stop   (SlConnection *self);

static void
trace (SlConnection *self,
       SlLogKind     kind,
       const char   *summary,
       const char   *result,
       int           errsv,
       const char   *explanation,
       GBytes       *payload)
{
  if (self->endpoint != NULL)
    sl_endpoint_trace (self->endpoint, kind, self, summary, result, errsv, explanation, payload);
}

static void
trace_errno (SlConnection *self,
             const char   *summary,
             int           errsv)
{
  g_autofree char *python = sl_errno_python (errsv);

  trace (self, SL_LOG_KIND_ERROR, summary, python, errsv, sl_errno_explain (errsv), NULL);
}

static void
set_state (SlConnection      *self,
           SlConnectionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending_call (SlConnection *self,
                  const char   *call)
{
  if (sl_set_str (&self->pending_call, call))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CALL]);
}

static gboolean
has_socket (SlConnection *self)
{
  return self->socket != NULL && !g_socket_is_closed (self->socket);
}

/* The send queue with its byte count (see SL_MAX_QUEUED_BYTES). */
static void
queue_push_tail (SlConnection *self,
                 GBytes       *bytes)
{
  self->queued_bytes += g_bytes_get_size (bytes);
  g_queue_push_tail (&self->send_queue, bytes);
}

static GBytes *
queue_pop_head (SlConnection *self)
{
  GBytes *bytes = g_queue_pop_head (&self->send_queue);

  if (bytes != NULL)
    self->queued_bytes -= g_bytes_get_size (bytes);
  return bytes;
}

static void
queue_clear (SlConnection *self)
{
  g_queue_clear_full (&self->send_queue, (GDestroyNotify) g_bytes_unref);
  self->queued_bytes = 0;
}

static void
stop_reading (SlConnection *self)
{
  if (self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }
}

static void
stop_sources (SlConnection *self)
{
  if (self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }
  if (self->write_source != NULL)
    {
      g_source_destroy (self->write_source);
      g_clear_pointer (&self->write_source, g_source_unref);
    }
  if (self->auth_timeout != NULL)
    {
      g_source_destroy (self->auth_timeout);
      g_clear_pointer (&self->auth_timeout, g_source_unref);
    }
}

static void
sl_connection_dispose (GObject *object)
{
  SlConnection *self = SL_CONNECTION (object);

  watch_stop (self);
  stop_sources (self);
  sl_cancel_link_clear (&self->cancel_link);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  queue_clear (self);
  g_queue_clear_full (&self->held, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&self->auth, sl_auth_free);
  if (self->socket != NULL && !self->datagram)
    sl_sockops_close (self->socket);
  g_clear_object (&self->socket);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->config);
  g_clear_object (&self->local);
  g_clear_object (&self->remote);
  if (self->endpoint != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->endpoint), (gpointer *) &self->endpoint);
      self->endpoint = NULL;
    }

  G_OBJECT_CLASS (sl_connection_parent_class)->dispose (object);
}

static void
sl_connection_finalize (GObject *object)
{
  SlConnection *self = SL_CONNECTION (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->variable);
  g_free (self->recv_summary);
  g_free (self->peer);
  g_free (self->pending_call);

  G_OBJECT_CLASS (sl_connection_parent_class)->finalize (object);
}

static void
sl_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SlConnection *self = SL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PEER:
      g_value_set_string (value, self->peer);
      break;
    case PROP_BYTES_IN:
      g_value_set_uint64 (value, self->bytes_in);
      break;
    case PROP_BYTES_OUT:
      g_value_set_uint64 (value, self->bytes_out);
      break;
    case PROP_MESSAGES_IN:
      g_value_set_uint64 (value, self->messages_in);
      break;
    case PROP_MESSAGES_OUT:
      g_value_set_uint64 (value, self->messages_out);
      break;
    case PROP_PENDING_CALL:
      g_value_set_string (value, self->pending_call);
      break;
    case PROP_TCP_STATE:
      g_value_set_enum (value, self->tcp_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_connection_class_init (SlConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sl_connection_dispose;
  object_class->finalize = sl_connection_finalize;
  object_class->get_property = sl_connection_get_property;

  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SL_TYPE_CONNECTION_STATE,
                                              SL_CONNECTION_STATE_OPEN, ro);
  properties[PROP_PEER] = g_param_spec_string ("peer", NULL, NULL, NULL, ro);
  /* Counters change with every message: they do not notify; read them when needed. */
  properties[PROP_BYTES_IN] = g_param_spec_uint64 ("bytes-in", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_OUT] = g_param_spec_uint64 ("bytes-out", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_MESSAGES_IN] = g_param_spec_uint64 ("messages-in", NULL, NULL,
                                                      0, G_MAXUINT64, 0, ro);
  properties[PROP_MESSAGES_OUT] = g_param_spec_uint64 ("messages-out", NULL, NULL,
                                                       0, G_MAXUINT64, 0, ro);
  properties[PROP_PENDING_CALL] = g_param_spec_string ("pending-call", NULL, NULL, NULL, ro);
  properties[PROP_TCP_STATE] = g_param_spec_enum ("tcp-state", NULL, NULL, SL_TYPE_TCP_STATE,
                                                  SL_TCP_STATE_UNKNOWN, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sl_connection_init (SlConnection *self)
{
  g_queue_init (&self->send_queue);
  g_queue_init (&self->held);
  self->created = g_get_monotonic_time ();
}

SlConnection *
sl_connection_new (SlEndpoint     *endpoint,
                   guint           id,
                   GSocket        *socket,
                   gboolean        datagram,
                   const char     *variable,
                   GSocketAddress *local,
                   GSocketAddress *remote)
{
  SlConnection *self = g_object_new (SL_TYPE_CONNECTION, NULL);

  self->endpoint = endpoint;
  g_object_add_weak_pointer (G_OBJECT (endpoint), (gpointer *) &self->endpoint);
  self->config = g_object_ref (sl_endpoint_get_config (endpoint));
  self->context = g_main_context_ref (sl_endpoint_get_context (endpoint));
  self->id = id;
  self->socket = g_object_ref (socket);
  self->datagram = !!datagram;
  self->variable = g_strdup (variable);
  g_set_object (&self->local, local);
  g_set_object (&self->remote, remote);
  self->peer = remote != NULL ? sl_python_address (remote) : g_strdup ("''");

  return self;
}

guint
sl_connection_get_id (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), 0);
  return self->id;
}

SlEndpoint *
sl_connection_get_endpoint (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), NULL);
  return self->endpoint;
}

SlConnectionState
sl_connection_get_state (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), SL_CONNECTION_STATE_CLOSED);
  return self->state;
}

gboolean
sl_connection_is_datagram (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), FALSE);
  return self->datagram;
}

gboolean
sl_connection_is_open (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), FALSE);
  return self->state != SL_CONNECTION_STATE_CLOSED && self->state != SL_CONNECTION_STATE_RESET;
}

GSocketAddress *
sl_connection_get_local_address (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), NULL);
  return self->local;
}

GSocketAddress *
sl_connection_get_remote_address (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), NULL);
  return self->remote;
}

const char *
sl_connection_get_peer (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), NULL);
  return self->peer;
}

guint64
sl_connection_get_bytes_in (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), 0);
  return self->bytes_in;
}

guint64
sl_connection_get_bytes_out (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), 0);
  return self->bytes_out;
}

guint64
sl_connection_get_messages_in (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), 0);
  return self->messages_in;
}

guint64
sl_connection_get_messages_out (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), 0);
  return self->messages_out;
}

gint64
sl_connection_get_created_time (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), 0);
  return self->created;
}

SlTcpState
sl_connection_get_tcp_state (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), SL_TCP_STATE_UNKNOWN);
  return self->tcp_state;
}

const char *
sl_connection_get_pending_call (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), NULL);
  return self->pending_call;
}

SlAuthVerdict
sl_connection_get_auth_verdict (SlConnection *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), SL_AUTH_FAILED);
  if (self->auth == NULL)
    return SL_AUTH_OK;
  return sl_auth_get_verdict (self->auth);
}

const char *
sl_connection_state_to_string (SlConnectionState state)
{
  switch (state)
    {
    case SL_CONNECTION_STATE_OPEN:
      return _("open");
    case SL_CONNECTION_STATE_WRITE_SHUT:
      return _("writing shut down");
    case SL_CONNECTION_STATE_PEER_CLOSED:
      return _("peer closed");
    case SL_CONNECTION_STATE_CLOSED:
      return _("closed");
    case SL_CONNECTION_STATE_RESET:
      return _("reset");
    default:
      return "?";
    }
}

static char *
call_with_payload (SlConnection *self,
                   const char   *method,
                   GBytes       *bytes)
{
  g_autofree char *repr = sl_codec_python_bytes (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes),
                                                 SL_TRACE_REPR_LIMIT);

  /* Concatenated, not printed: one of these is made for every message sent. */
  if (self->datagram)
    return g_strconcat (self->variable, ".sendto(", repr, ", ", self->peer, ")", NULL);
  return g_strconcat (self->variable, ".", method, "(", repr, ")", NULL);
}

/* "conn.recv(1024)": made again only when the buffer size changes, as every
 * message received is traced with it. */
static const char *
recv_call (SlConnection *self)
{
  int bufsize = sl_endpoint_config_get_bufsize (self->config);

  if (self->recv_summary == NULL || self->recv_summary_bufsize != bufsize)
    {
      g_free (self->recv_summary);
      self->recv_summary = g_strdup_printf ("%s.recv(%d)", self->variable, bufsize);
      self->recv_summary_bufsize = bufsize;
    }
  return self->recv_summary;
}

/* The kernel's TCP state. Read right after every event and action, then
 * polled with back-off (10 ms, 20 ms ... 1 s) while it can still change: an
 * open socket settles (nothing changes without an event we see), a closed one
 * is watched through sock_diag until the kernel forgets it (TIME_WAIT lasts
 * 60 s on Linux, polled once a second). */

#define WATCH_FIRST_MS 10
#define WATCH_MAX_MS   1000

static gboolean
is_tcp (SlConnection *self)
{
  return !self->datagram && G_IS_INET_SOCKET_ADDRESS (self->remote) &&
         G_IS_INET_SOCKET_ADDRESS (self->local);
}

static SlTcpState
read_kernel_state (SlConnection *self)
{
  if (has_socket (self))
    return sl_tcp_state_from_socket (self->socket, NULL);
  return sl_tcp_state_lookup (self->local, self->remote, NULL, NULL);
}

/* Reads the kernel's state; a change becomes a state row. Returns TRUE when
 * it changed. */
static gboolean
update_tcp_state (SlConnection *self,
                  const char   *cause)
{
  SlTcpState state = read_kernel_state (self);
  SlTcpState old = self->tcp_state;
  g_autofree char *summary = NULL;
  g_autofree char *explanation = NULL;

  if (state == SL_TCP_STATE_UNKNOWN || state == old)
    return FALSE;

  /* An open socket that the kernel calls CLOSED was reset by the peer (also
   * when recv() returned b'' first: the RST followed the FIN). */
  if (state == SL_TCP_STATE_CLOSED && has_socket (self))
    cause = _("RST received");

  self->tcp_state = state;
  /* "state: ESTABLISHED → CLOSE_WAIT (peer sent FIN)": the cause, when the
   * app knows it, in parentheses as netstat-like text. */
  if (old == SL_TCP_STATE_UNKNOWN)
    summary = g_strdup_printf ("state: %s", sl_tcp_state_to_string (state));
  else
    summary = g_strdup_printf ("state: %s → %s", sl_tcp_state_to_string (old),
                               sl_tcp_state_to_string (state));
  if (cause != NULL)
    {
      char *with_cause = g_strdup_printf ("%s (%s)", summary, cause);

      g_free (summary);
      summary = with_cause;
    }

  if (state == SL_TCP_STATE_CLOSE_WAIT && has_socket (self) &&
      !sl_endpoint_config_get_close_on_eof (self->config))
    explanation = g_strdup_printf ("%s %s", sl_tcp_state_explain (state),
                                   _("“Close when the peer closes” is off, so this socket stays "
                                     "in CLOSE_WAIT until you close it: a server that forgets "
                                     "close() piles up CLOSE_WAIT sockets."));
  else
    explanation = g_strdup (sl_tcp_state_explain (state));

  trace (self, SL_LOG_KIND_STATE, summary, NULL, 0, explanation, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TCP_STATE]);
  return TRUE;
}

static void
watch_stop (SlConnection *self)
{
  if (self->watch_source != NULL)
    {
      g_source_destroy (self->watch_source);
      g_clear_pointer (&self->watch_source, g_source_unref);
    }
  if (self->watching)
    {
      self->watching = FALSE;
      if (self->endpoint != NULL)
        sl_endpoint_watch (self->endpoint, self, FALSE);
    }
}

static gboolean watch_cb (gpointer user_data);

/* Decides whether to look again, and when. */
static void
watch_schedule (SlConnection *self,
                gboolean      changed)
{
  gboolean open = has_socket (self);

  if (self->watch_source != NULL)
    {
      g_source_destroy (self->watch_source);
      g_clear_pointer (&self->watch_source, g_source_unref);
    }

  if (self->endpoint == NULL ||
      (!open && (self->tcp_state == SL_TCP_STATE_CLOSED ||
                 self->tcp_state == SL_TCP_STATE_UNKNOWN)) ||
      (open && !changed && self->watch_interval_ms >= WATCH_MAX_MS))
    {
      /* Final, or settled on an open socket: the next event looks again. */
      watch_stop (self);
      return;
    }

  if (changed || self->watch_interval_ms == 0)
    self->watch_interval_ms = WATCH_FIRST_MS;
  else
    self->watch_interval_ms = MIN (self->watch_interval_ms * 2, WATCH_MAX_MS);
  if (self->tcp_state == SL_TCP_STATE_TIME_WAIT)
    self->watch_interval_ms = WATCH_MAX_MS;

  if (!self->watching)
    {
      self->watching = TRUE;
      sl_endpoint_watch (self->endpoint, self, TRUE);
    }
  self->watch_source = g_timeout_source_new (self->watch_interval_ms);
  g_source_set_callback (self->watch_source, watch_cb, self, NULL);
  g_source_attach (self->watch_source, self->context);
}

static gboolean
watch_cb (gpointer user_data)
{
  SlConnection *self = user_data;
  G_GNUC_UNUSED g_autoptr(SlConnection) hold = g_object_ref (self);
  gboolean changed;

  g_clear_pointer (&self->watch_source, g_source_unref);
  changed = update_tcp_state (self, NULL);
  watch_schedule (self, changed);
  return G_SOURCE_REMOVE;
}

void
sl_connection_check_tcp_state (SlConnection *self,
                               const char   *cause)
{
  g_return_if_fail (SL_IS_CONNECTION (self));

  if (!is_tcp (self) || self->endpoint == NULL)
    return;
  update_tcp_state (self, cause);
  /* Something just happened: look again soon, whatever it was. */
  self->watch_interval_ms = 0;
  watch_schedule (self, TRUE);
}

void
sl_connection_stop_watching (SlConnection *self)
{
  g_return_if_fail (SL_IS_CONNECTION (self));

  if (self->watch_source != NULL)
    {
      g_source_destroy (self->watch_source);
      g_clear_pointer (&self->watch_source, g_source_unref);
    }
  self->watching = FALSE;
}

static void
emit_closed (SlConnection *self)
{
  if (self->closed_emitted)
    return;
  self->closed_emitted = TRUE;
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
}

/* The connection is over because of an error (reset, broken pipe): release
 * the socket without a close() row of its own after the error row. */
static void
abort_connection (SlConnection *self,
                  int           errsv)
{
  g_autofree char *cause = errsv == ECONNRESET ? g_strdup (_("RST received"))
                           : errsv != 0 ? sl_errno_python (errsv) : NULL;

  /* The owner of a failed manual call may have closed it already. */
  if (!sl_connection_is_open (self))
    return;

  stop_sources (self);
  queue_clear (self);
  if (!self->datagram && self->socket != NULL)
    {
      g_autofree char *summary = g_strdup_printf ("%s.close()", self->variable);

      sl_sockops_close (self->socket);
      trace (self, SL_LOG_KIND_CALL, summary, "None", 0,
             _("The connection failed, so the program closes its socket."), NULL);
    }
  sl_connection_check_tcp_state (self, cause);
  set_state (self, SL_CONNECTION_STATE_RESET);
  emit_closed (self);
}

/* Link authentication (tutorial 003). The handshake bytes go through SlAuth
 * before the conversation; what follows them is delivered as usual. */

static void flush_queue (SlConnection *self);

static char *
python_repr (GBytes *bytes)
{
  return sl_codec_python_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                SL_TRACE_REPR_LIMIT);
}

/* Handshake bytes bypass the queue of held messages. */
static void
send_handshake (SlConnection *self,
                GBytes       *bytes)
{
  queue_push_tail (self, g_bytes_ref (bytes));
  if (self->write_source == NULL)
    flush_queue (self);
}

static void
auth_failed (SlConnection *self)
{
  const char *reason = sl_auth_get_reason (self->auth);

  if (sl_auth_is_server (self->auth))
    /* What the tutorial's server prints, then it closes the connection. */
    trace (self, SL_LOG_KIND_ERROR, "print(\"verification fail\")", "verification fail", 0,
           reason, NULL);
  else
    trace (self, SL_LOG_KIND_ERROR, "msg = client.recv(32)", _("authentication failed"), 0,
           reason, NULL);

  g_queue_clear_full (&self->held, (GDestroyNotify) g_bytes_unref);
  finish_close (self, TRUE);
}

static gboolean
auth_timeout_cb (gpointer user_data)
{
  SlConnection *self = user_data;
  G_GNUC_UNUSED g_autoptr(SlConnection) hold = g_object_ref (self);

  g_clear_pointer (&self->auth_timeout, g_source_unref);
  if (self->auth != NULL && sl_auth_timeout (self->auth) == SL_AUTH_FAILED &&
      sl_connection_is_open (self))
    auth_failed (self);
  return G_SOURCE_REMOVE;
}

/* Creates the state machine as soon as the connection reads, so that messages
 * sent from then on are held; sl_connection_begin_auth() then starts it. */
static void
prepare_auth (SlConnection *self)
{
  SlAuthMode mode = sl_endpoint_config_get_auth (self->config);
  const char *salt = sl_endpoint_config_get_salt (self->config);

  if (sl_endpoint_is_server (self->endpoint))
    self->auth = sl_auth_new_server (mode, salt, NULL);
  else
    self->auth = sl_auth_new_client (mode, salt);
}

void
sl_connection_begin_auth (SlConnection *self)
{
  SlAuthMode mode = sl_endpoint_config_get_auth (self->config);
  const char *name = sl_auth_digest_name (mode);
  double seconds = sl_endpoint_config_get_auth_timeout (self->config);

  g_return_if_fail (SL_IS_CONNECTION (self));

  if (self->auth == NULL || self->auth_timeout != NULL ||
      sl_auth_get_verdict (self->auth) != SL_AUTH_PENDING || !sl_connection_is_open (self))
    return;

  if (sl_auth_is_server (self->auth))
    {
      g_autofree char *repr = NULL;
      g_autofree char *summary = NULL;

      repr = python_repr (sl_auth_get_challenge (self->auth));
      trace (self, SL_LOG_KIND_CALL, "msg = os.urandom(32)", repr, 0,
             _("Link authentication: the server makes a random 32-byte challenge for this "
               "client. Only a client that knows the salt can answer it."),
             sl_auth_get_challenge (self->auth));
      send_handshake (self, sl_auth_get_challenge (self->auth));

      summary = g_strdup_printf ("digest = hmac.new(salt, msg, '%s').digest()", name);
      g_clear_pointer (&repr, g_free);
      repr = python_repr (sl_auth_get_digest (self->auth));
      trace (self, SL_LOG_KIND_CALL, summary, repr, 0,
             mode == SL_AUTH_MODE_HMAC_MD5
             ? _("The answer the server expects: HMAC-MD5 of the challenge keyed with the salt "
                 "(what the tutorial's hmac.new(salt, msg) made before Python 3.8).")
             : _("The answer the server expects: HMAC-SHA256 of the challenge keyed with the "
                 "salt."),
             NULL);
    }
  else
    {
      trace (self, SL_LOG_KIND_EVENT, _("waiting for the challenge"), NULL, 0,
             _("Link authentication: the client first reads the server's 32-byte challenge; "
               "messages sent meanwhile wait until the handshake is done."),
             NULL);
    }

  self->auth_timeout = g_timeout_source_new ((guint) MAX (1.0, seconds * 1000.0));
  g_source_set_callback (self->auth_timeout, auth_timeout_cb, self, NULL);
  g_source_attach (self->auth_timeout, self->context);
}

static void
auth_succeeded (SlConnection *self)
{
  SlAuthMode mode = sl_auth_get_mode (self->auth);
  const char *name = sl_auth_digest_name (mode);

  if (self->auth_timeout != NULL)
    {
      g_source_destroy (self->auth_timeout);
      g_clear_pointer (&self->auth_timeout, g_source_unref);
    }

  if (!sl_auth_is_server (self->auth))
    {
      g_autofree char *challenge = python_repr (sl_auth_get_challenge (self->auth));
      g_autofree char *digest = python_repr (sl_auth_get_digest (self->auth));
      g_autofree char *h = g_strdup_printf ("h = hmac.new(salt, msg, '%s')", name);

      trace (self, SL_LOG_KIND_CALL, "msg = client.recv(32)", challenge, 0,
             _("The whole 32-byte challenge has arrived."), sl_auth_get_challenge (self->auth));
      trace (self, SL_LOG_KIND_CALL, h, NULL, 0,
             mode == SL_AUTH_MODE_HMAC_MD5
             ? _("HMAC-MD5 of the challenge keyed with the salt (what the tutorial's "
                 "hmac.new(salt, msg) made before Python 3.8).")
             : _("HMAC-SHA256 of the challenge keyed with the salt."),
             NULL);
      trace (self, SL_LOG_KIND_CALL, "digest = h.digest()", digest, 0, NULL,
             sl_auth_get_digest (self->auth));
      send_handshake (self, sl_auth_get_digest (self->auth));
    }

  /* Messages the program sent during the handshake go now, in order. */
  while (!g_queue_is_empty (&self->held))
    {
      g_autoptr(GBytes) bytes = g_queue_pop_head (&self->held);

      queue_push_tail (self, g_steal_pointer (&bytes));
    }
  if (self->write_source == NULL)
    flush_queue (self);
}

/* Bytes of one recv() while the handshake is pending. Returns FALSE when the
 * connection was closed. */
static gboolean
auth_feed (SlConnection *self,
           GBytes       *bytes,
           const char   *call)
{
  g_autoptr(GBytes) leftover = NULL;
  g_autofree char *repr = python_repr (bytes);
  g_autofree char *explanation = NULL;
  gsize size = g_bytes_get_size (bytes);
  gsize before = sl_auth_get_missing (self->auth);
  gsize used;
  gboolean server = sl_auth_is_server (self->auth);
  const char *what = server ? _("digest") : _("challenge");
  SlAuthVerdict verdict;

  verdict = sl_auth_feed (self->auth, g_bytes_get_data (bytes, NULL), size, NULL, &leftover);
  used = size - (leftover != NULL ? g_bytes_get_size (leftover) : 0);

  self->bytes_in += used;
  if (self->endpoint != NULL)
    sl_endpoint_count (self->endpoint, FALSE, used, 0);

  if (verdict == SL_AUTH_PENDING)
    explanation = g_strdup_printf (_("Only %lu of the %lu bytes of the %s so far: TCP is a "
                                     "stream and may split it, so the program keeps reading "
                                     "until it has them all. The tutorial's single "
                                     "recv(1024) would take this piece for the whole %s."),
                                   (gulong) (size), (gulong) before, what, what);
  else if (size > before)
    explanation = g_strdup_printf (_("This recv() returned the last %lu bytes of the %s and "
                                     "%lu bytes of the conversation after it: TCP is a stream "
                                     "and merged them. The tutorial's single recv(1024) would "
                                     "take them all for the %s; here the extra bytes are "
                                     "delivered as the first message."),
                                   (gulong) before, what, (gulong) (size - before), what);
  else if (before == (server ? sl_auth_digest_size (sl_auth_get_mode (self->auth))
                              : SL_AUTH_CHALLENGE_SIZE))
    explanation = g_strdup_printf (_("The whole %s (%lu bytes) in one recv(). TCP could as well "
                                     "have split it or merged it with the next message, so the "
                                     "program reads exactly %lu bytes; the tutorial's single "
                                     "recv(1024) only works when it comes alone."),
                                   what, (gulong) before, (gulong) before);
  else
    explanation = g_strdup_printf (_("The last %lu bytes of the %s."), (gulong) before, what);
  trace (self, SL_LOG_KIND_DATA_IN, call, repr, 0, explanation, bytes);

  if (verdict == SL_AUTH_PENDING)
    return TRUE;

  if (server)
    {
      g_autofree char *reply = python_repr (sl_auth_get_reply (self->auth));

      /* The tutorial: recvMsg = self.conn.recv(self.bufsize), then
       * hmac.compare_digest(digest, recvMsg); here exactly the digest's size is read. */
      g_autofree char *recv_summary = g_strdup_printf ("recvMsg = %s.recv(%lu)", self->variable,
                                                       (gulong) sl_auth_digest_size (
                                                         sl_auth_get_mode (self->auth)));

      trace (self, SL_LOG_KIND_CALL, recv_summary, reply, 0, NULL, NULL);
      trace (self, verdict == SL_AUTH_OK ? SL_LOG_KIND_CALL : SL_LOG_KIND_ERROR,
             "hmac.compare_digest(digest, recvMsg)", verdict == SL_AUTH_OK ? "True" : "False",
             0,
             verdict == SL_AUTH_OK
             ? _("The client knows the salt: the conversation can start. compare_digest takes "
                 "the same time wherever the bytes differ, so timing tells an attacker nothing.")
             : _("The reply is not the expected digest."),
             NULL);
    }

  if (verdict == SL_AUTH_FAILED)
    {
      auth_failed (self);
      return FALSE;
    }

  auth_succeeded (self);
  if (leftover != NULL && g_bytes_get_size (leftover) > 0 && sl_connection_is_open (self))
    sl_connection_deliver (self, leftover, call, NULL,
                           _("These bytes came right after the handshake in the same recv(): "
                             "they are the first message of the conversation."));
  return sl_connection_is_open (self);
}

static gboolean
auth_pending (SlConnection *self)
{
  return self->auth != NULL && sl_auth_get_verdict (self->auth) == SL_AUTH_PENDING;
}

/* A client whose server closes right after the digest, before a word of the
 * conversation: the tutorial's server does that after "verification fail". */
static void
hint_refused (SlConnection *self)
{
  if (self->auth == NULL || sl_auth_is_server (self->auth) ||
      sl_auth_get_verdict (self->auth) != SL_AUTH_OK || self->messages_in > 0)
    return;
  trace (self, SL_LOG_KIND_EVENT, _("authentication probably refused"), NULL, 0,
         _("The server closed the connection after the digest and before any reply: that is "
           "what it does after “verification fail”. Check that both sides use the same salt "
           "and digest."),
         NULL);
}

/* Handles the outcome of one stream recv(), in any I/O mode. Returns FALSE
 * when no more reading makes sense (peer closed, error). */
static gboolean
handle_recv_result (SlConnection *self,
                    GBytes       *bytes,
                    int           errsv)
{
  const char *call = recv_call (self);

  if (errsv == 0 && g_bytes_get_size (bytes) > 0 && auth_pending (self))
    return auth_feed (self, bytes, call);

  if (errsv == 0 && g_bytes_get_size (bytes) == 0 && auth_pending (self))
    {
      /* The peer closed in the middle of the handshake. */
      sl_auth_eof (self->auth);
      trace (self, SL_LOG_KIND_EVENT, call, _("b'' (peer closed the connection)"), 0, NULL, bytes);
      stop_sources (self);
      set_state (self, SL_CONNECTION_STATE_PEER_CLOSED);
      sl_connection_check_tcp_state (self, _("peer sent FIN"));
      auth_failed (self);
      return FALSE;
    }

  if (errsv == 0 && g_bytes_get_size (bytes) > 0)
    {
      sl_connection_deliver (self, bytes, call, NULL, NULL);
      return TRUE;
    }

  if (errsv == 0 || errsv == ECONNRESET)
    hint_refused (self);

  if (errsv == 0)
    {
      trace (self, SL_LOG_KIND_EVENT, call, _("b'' (peer closed the connection)"), 0,
             _("recv() returned 0 bytes: the peer sent FIN, so it will send nothing more. "
               "A program should now close its socket."),
             bytes);
      /* Replies still queued go out first, as sendall() would have sent them
       * before the next recv() saw b''. */
      if (self->queued_bytes == 0 || self->write_source == NULL)
        stop_sources (self);
      else
        stop_reading (self);
      set_state (self, SL_CONNECTION_STATE_PEER_CLOSED);
      sl_connection_check_tcp_state (self, _("peer sent FIN"));
      if (sl_endpoint_config_get_close_on_eof (self->config))
        {
          if (self->write_source != NULL && !g_queue_is_empty (&self->send_queue))
            self->close_when_flushed = TRUE;
          else
            finish_close (self, TRUE);
        }
      return FALSE;
    }

  if (errsv == EAGAIN)
    return TRUE;

  trace_errno (self, call, errsv);
  abort_connection (self, errsv);
  return FALSE;
}

static gboolean
read_ready_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  SlConnection *self = user_data;
  gsize bufsize = sl_endpoint_config_get_bufsize (self->config);
  g_autoptr(GBytes) bytes = NULL;
  G_GNUC_UNUSED g_autoptr(SlConnection) hold = g_object_ref (self);
  guint8 *buffer;
  gssize n;
  int errsv;

  buffer = g_malloc (bufsize);
  n = sl_sockops_recv (socket, buffer, bufsize, &errsv);
  if (errsv == EAGAIN)
    {
      g_free (buffer);
      return G_SOURCE_CONTINUE;
    }
  if (n > 0)
    buffer = g_realloc (buffer, n);
  else
    g_clear_pointer (&buffer, g_free);
  bytes = g_bytes_new_take (buffer, MAX (n, 0));

  if (!handle_recv_result (self, bytes, errsv))
    {
      /* handle_recv_result stopped the sources; the source pointer is gone. */
      return G_SOURCE_REMOVE;
    }
  if (self->queued_bytes > SL_MAX_QUEUED_BYTES && self->read_source != NULL &&
      self->write_source != NULL)
    {
      /* The peer does not read its replies: read nothing more until they go
       * out, or memory would grow with every byte it sends. */
      stop_reading (self);
      self->read_paused = TRUE;
      if (!self->told_paused)
        {
          g_autofree char *why = NULL;

          self->told_paused = TRUE;
          why = g_strdup_printf (_("%lu bytes of replies wait for the peer to read them. Like "
                                   "a server blocked in sendall(), this one reads nothing more "
                                   "from this peer until they are sent; TCP flow control then "
                                   "makes the peer's send() wait too."),
                                 (gulong) self->queued_bytes);
          trace (self, SL_LOG_KIND_EVENT, _("reading paused: the peer does not read"), NULL, 0,
                 why, NULL);
        }
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

void
sl_connection_start_reading (SlConnection *self)
{
  g_return_if_fail (SL_IS_CONNECTION (self));

  if (self->datagram || self->read_source != NULL || !has_socket (self))
    return;

  if (self->auth == NULL && self->endpoint != NULL &&
      sl_endpoint_config_get_auth (self->config) != SL_AUTH_MODE_NONE)
    prepare_auth (self);

  self->read_source = sl_sockops_watch (self->socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                        self->context, read_ready_cb, self);
}

static GBytes *
auto_reply (SlConnection *self,
            GBytes       *bytes)
{
  switch (sl_endpoint_config_get_reply_mode (self->config))
    {
    case SL_REPLY_ECHO:
      return g_bytes_ref (bytes);
    case SL_REPLY_UPPER:
      return sl_codec_ascii_upper (bytes);
    case SL_REPLY_FIXED:
      return sl_codec_encode (sl_endpoint_config_get_encoding (self->config),
                              sl_endpoint_config_get_reply_text (self->config), NULL);
    case SL_REPLY_NONE:
    default:
      return NULL;
    }
}

void
sl_connection_deliver (SlConnection *self,
                       GBytes       *bytes,
                       const char   *summary,
                       const char   *result,
                       const char   *explanation)
{
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *repr = NULL;
  gsize size = g_bytes_get_size (bytes);

  self->bytes_in += size;
  self->messages_in++;
  if (self->endpoint != NULL)
    sl_endpoint_count (self->endpoint, FALSE, size, 1);

  if (result == NULL)
    result = repr = sl_codec_python_bytes (g_bytes_get_data (bytes, NULL), size,
                                           SL_TRACE_REPR_LIMIT);
  trace (self, SL_LOG_KIND_DATA_IN, summary, result, 0, explanation, bytes);

  g_signal_emit (self, signals[SIGNAL_RECEIVED], 0, bytes);

  if (!sl_connection_is_open (self) || self->state == SL_CONNECTION_STATE_WRITE_SHUT)
    return;

  reply = auto_reply (self, bytes);
  if (reply != NULL)
    sl_connection_send (self, reply, NULL);
}

/* Sending. */

static void flush_queue (SlConnection *self);

static gboolean
write_ready_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  SlConnection *self = user_data;
  G_GNUC_UNUSED g_autoptr(SlConnection) hold = g_object_ref (self);

  g_clear_pointer (&self->write_source, g_source_unref);
  flush_queue (self);
  if (self->read_paused && self->queued_bytes <= SL_MAX_QUEUED_BYTES / 2)
    {
      self->read_paused = FALSE;
      if (self->state == SL_CONNECTION_STATE_OPEN ||
          self->state == SL_CONNECTION_STATE_WRITE_SHUT)
        sl_connection_start_reading (self);
    }
  return G_SOURCE_REMOVE;
}

static void
wait_writable (SlConnection *self)
{
  if (self->write_source != NULL)
    return;
  self->write_source = sl_sockops_watch (self->socket, G_IO_OUT | G_IO_ERR | G_IO_HUP,
                                         self->context, write_ready_cb, self);
}

/* One send()/sendto() system call, traced. Returns bytes sent or -1. */
static gssize
send_once (SlConnection *self,
           GBytes       *bytes,
           int          *errsv)
{
  g_autofree char *summary = call_with_payload (self, "send", bytes);
  gsize size = g_bytes_get_size (bytes);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  g_autofree char *result = NULL;
  const char *explanation = NULL;
  gssize n;

  if (self->datagram)
    n = sl_sockops_sendto (self->socket, data, size, self->remote, errsv);
  else
    n = sl_sockops_send (self->socket, data, size, errsv);

  if (n < 0)
    {
      if (*errsv != EAGAIN)
        trace_errno (self, summary, *errsv);
      return -1;
    }

  self->bytes_out += n;
  if (self->endpoint != NULL)
    sl_endpoint_count (self->endpoint, TRUE, n, 0);
  if (self->datagram && self->endpoint != NULL &&
      sl_endpoint_refresh_local_address (self->endpoint))
    g_set_object (&self->local, sl_endpoint_get_local_address (self->endpoint));

  result = g_strdup_printf ("%" G_GSSIZE_FORMAT, n);
  if (size == 0 && !self->datagram)
    explanation = _("An empty send() over TCP puts no bytes on the wire: the peer's recv() "
                    "sees nothing and keeps waiting.");
  else if (size == 0)
    explanation = _("An empty datagram is still a datagram: the peer's recvfrom() returns b''.");
  else if ((gsize) n < size)
    explanation = _("Partial send: the kernel's send buffer took only part of the data. "
                    "The rest must be sent again (sendall() does this).");

  trace (self, SL_LOG_KIND_DATA_OUT, summary, result, 0, explanation, bytes);
  return n;
}

static void
flush_queue (SlConnection *self)
{
  GBytes *head;

  while ((head = g_queue_peek_head (&self->send_queue)) != NULL)
    {
      gsize size = g_bytes_get_size (head);
      gssize n;
      int errsv;

      if (!has_socket (self))
        return;

      n = send_once (self, head, &errsv);
      if (n < 0 && errsv == EAGAIN)
        {
          wait_writable (self);
          return;
        }
      if (n < 0 && self->datagram)
        {
          /* A datagram that could not be sent (e.g. EMSGSIZE) is dropped alone. */
          g_bytes_unref (queue_pop_head (self));
          continue;
        }
      if (n < 0)
        {
          abort_connection (self, errsv);
          return;
        }

      queue_pop_head (self);
      if ((gsize) n < size)
        {
          g_queue_push_head (&self->send_queue, g_bytes_new_from_bytes (head, n, size - n));
          self->queued_bytes += size - n;
          g_bytes_unref (head);
          wait_writable (self);
          return;
        }
      g_bytes_unref (head);
    }

  /* The peer closed earlier and close-on-eof waited for these replies. */
  if (self->close_when_flushed)
    {
      self->close_when_flushed = FALSE;
      finish_close (self, TRUE);
    }
}

static void
count_message_out (SlConnection *self)
{
  self->messages_out++;
  if (self->endpoint != NULL)
    sl_endpoint_count (self->endpoint, TRUE, 0, 1);
}

gboolean
sl_connection_send (SlConnection  *self,
                    GBytes        *bytes,
                    GError       **error)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!sl_connection_is_open (self) || !has_socket (self))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("This connection is closed: nothing was sent. Start the endpoint again "
                     "or pick an open connection."));
      return FALSE;
    }

  if (sl_endpoint_config_get_io_mode (self->config) == SL_IO_MODE_NONBLOCKING &&
      g_queue_is_empty (&self->send_queue))
    {
      gssize n;
      int errsv;

      /* One real send(): what does not fit is not sent, as in Python. */
      n = send_once (self, bytes, &errsv);
      if (n < 0 && errsv == EAGAIN)
        {
          g_autofree char *summary = call_with_payload (self, "send", bytes);

          trace_errno (self, summary, errsv);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "%s",
                       sl_errno_explain (EAGAIN));
          return FALSE;
        }
      if (n < 0)
        {
          sl_set_errno_error (error, errsv, "send()");
          abort_connection (self, errsv);
          return FALSE;
        }
      count_message_out (self);
      return TRUE;
    }

  if (auth_pending (self))
    {
      /* Held until the handshake succeeds (dropped if it fails). */
      count_message_out (self);
      g_queue_push_tail (&self->held, g_bytes_ref (bytes));
      trace (self, SL_LOG_KIND_EVENT, _("message held"), NULL, 0,
             _("The link is not authenticated yet: the message waits until the handshake is "
               "done."),
             bytes);
      return TRUE;
    }

  /* sendall(): queue and write as the socket accepts it, in order. */
  count_message_out (self);
  queue_push_tail (self, g_bytes_ref (bytes));
  if (self->write_source == NULL)
    flush_queue (self);
  return TRUE;
}

/* Closing. */

static void
finish_close (SlConnection *self,
              gboolean      trace_call)
{
  if (!sl_connection_is_open (self))
    return;

  if (self->cancellable != NULL)
    {
      /* A worker thread still waits on this socket: close once it is back. */
      self->close_after_pending = TRUE;
      g_cancellable_cancel (self->cancellable);
      return;
    }

  stop_sources (self);
  if (!g_queue_is_empty (&self->send_queue))
    {
      guint n = g_queue_get_length (&self->send_queue);

      trace (self, SL_LOG_KIND_EVENT, _("unsent data discarded"), NULL, 0,
             g_dngettext (GETTEXT_PACKAGE,
                          "%u message was still waiting for the peer to read; closing drops it.",
                          "%u messages were still waiting for the peer to read; closing drops them.",
                          n),
             NULL);
      queue_clear (self);
    }

  if (!self->datagram)
    {
      /* Linux answers close() with RST instead of FIN when received data was
       * never read: say so, the trace must match what the peer sees. */
      gsize unread = sl_sockops_bytes_unread (self->socket);
      int errsv = sl_sockops_close (self->socket);

      if (trace_call)
        {
          g_autofree char *summary = g_strdup_printf ("%s.close()", self->variable);
          g_autofree char *why = NULL;

          if (unread > 0)
            why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%lu received byte was never read, so the kernel "
                                                "discards it and sends RST instead of FIN: the "
                                                "peer gets ECONNRESET.",
                                                "%lu received bytes were never read, so the kernel "
                                                "discards them and sends RST instead of FIN: the "
                                                "peer gets ECONNRESET.",
                                                unread),
                                   (gulong) unread);

          if (errsv != 0)
            trace_errno (self, summary, errsv);
          else
            trace (self, SL_LOG_KIND_CALL, summary, "None", 0,
                   why != NULL ? why
                   : self->state == SL_CONNECTION_STATE_PEER_CLOSED
                   ? _("Both sides have now closed: the conversation is over.")
                   : _("close() sends FIN: the peer's recv() will return b''."),
                   NULL);
        }
      sl_connection_check_tcp_state (self, unread > 0 ? _("RST sent")
                                                      : _("you called close()"));
      if (unread > 0)
        {
          set_state (self, SL_CONNECTION_STATE_RESET);
          emit_closed (self);
          return;
        }
    }
  else if (trace_call)
    {
      trace (self, SL_LOG_KIND_EVENT, _("peer forgotten"), NULL, 0,
             _("UDP has no connection: nothing is sent to the peer. Its next datagram "
               "will list it again."),
             NULL);
    }

  set_state (self, SL_CONNECTION_STATE_CLOSED);
  emit_closed (self);
}

gboolean
sl_connection_close (SlConnection  *self,
                     GError       **error)
{
  g_return_val_if_fail (SL_IS_CONNECTION (self), FALSE);

  if (!sl_connection_is_open (self))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("This connection is already closed."));
      return FALSE;
    }

  finish_close (self, TRUE);
  return TRUE;
}

void
sl_connection_shutdown_all (SlConnection *self)
{
  if (self->datagram)
    {
      /* The endpoint closes the one shared socket; a peer just goes away. */
      stop_sources (self);
      set_state (self, SL_CONNECTION_STATE_CLOSED);
      emit_closed (self);
      return;
    }
  finish_close (self, TRUE);
}

static gboolean
check_stream_action (SlConnection  *self,
                     GError       **error)
{
  if (self->datagram)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("UDP has no connection, so there is nothing to shut down or reset: "
                     "datagrams are independent."));
      return FALSE;
    }
  if (!sl_connection_is_open (self) || !has_socket (self))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   _("This connection is already closed."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sl_connection_shutdown_write (SlConnection  *self,
                              GError       **error)
{
  g_autofree char *summary = NULL;
  int errsv;

  g_return_val_if_fail (SL_IS_CONNECTION (self), FALSE);

  if (!check_stream_action (self, error))
    return FALSE;

  summary = g_strdup_printf ("%s.shutdown(socket.SHUT_WR)", self->variable);
  errsv = sl_sockops_shutdown_write (self->socket);
  if (errsv != 0)
    {
      trace_errno (self, summary, errsv);
      sl_set_errno_error (error, errsv, summary);
      return FALSE;
    }

  trace (self, SL_LOG_KIND_CALL, summary, "None", 0,
         _("Half-close: FIN sent, so the peer's recv() returns b''. This side can still "
           "receive until the peer closes too."),
         NULL);
  sl_connection_check_tcp_state (self, _("you called shutdown(SHUT_WR)"));
  if (self->state == SL_CONNECTION_STATE_OPEN)
    set_state (self, SL_CONNECTION_STATE_WRITE_SHUT);
  return TRUE;
}

gboolean
sl_connection_reset (SlConnection  *self,
                     GError       **error)
{
  g_autofree char *summary = NULL;
  int errsv;

  g_return_val_if_fail (SL_IS_CONNECTION (self), FALSE);

  if (!check_stream_action (self, error))
    return FALSE;

  summary = g_strdup_printf ("%s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, "
                             "struct.pack('ii', 1, 0))", self->variable);
  errsv = sl_sockops_set_linger_zero (self->socket);
  if (errsv != 0)
    {
      trace_errno (self, summary, errsv);
      sl_set_errno_error (error, errsv, summary);
      return FALSE;
    }
  trace (self, SL_LOG_KIND_CALL, summary, "None", 0,
         _("Linger on with a timeout of 0: the next close() discards unsent data and "
           "sends RST instead of FIN."),
         NULL);

  if (self->cancellable != NULL)
    {
      self->reset_after_pending = TRUE;
      self->close_after_pending = TRUE;
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }

  stop_sources (self);
  queue_clear (self);
  g_clear_pointer (&summary, g_free);
  summary = g_strdup_printf ("%s.close()", self->variable);
  sl_sockops_close (self->socket);
  trace (self, SL_LOG_KIND_CALL, summary, "None", 0,
         _("RST sent: the connection is aborted at once and the peer's next call fails "
           "with ECONNRESET (ConnectionResetError)."),
         NULL);
  sl_connection_check_tcp_state (self, _("RST sent"));
  set_state (self, SL_CONNECTION_STATE_RESET);
  emit_closed (self);
  return TRUE;
}

/* Manual recv() in the blocking, non-blocking and timeout modes. */

typedef struct
{
  GSocket *socket;
  gsize    bufsize;
  gint64   timeout_us;
  GBytes  *bytes;
  int      errsv;
} RecvCall;

static void
recv_call_free (RecvCall *call)
{
  g_clear_object (&call->socket);
  g_clear_pointer (&call->bytes, g_bytes_unref);
  g_free (call);
}

static void
do_recv (RecvCall *call)
{
  guint8 *buffer = g_malloc (call->bufsize);
  gssize n = sl_sockops_recv (call->socket, buffer, call->bufsize, &call->errsv);

  if (n > 0)
    call->bytes = g_bytes_new_take (g_realloc (buffer, n), n);
  else
    {
      g_free (buffer);
      call->bytes = g_bytes_new (NULL, 0);
    }
}

static void
recv_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  RecvCall *call = task_data;

  call->errsv = sl_sockops_wait (call->socket, G_IO_IN, call->timeout_us, cancellable);
  if (call->errsv == 0)
    do_recv (call);
  g_task_return_boolean (task, TRUE);
}

static void
complete_recv (SlConnection *self,
               GTask        *task,
               RecvCall     *call)
{
  const char *summary = recv_call (self);

  switch (call->errsv)
    {
    case 0:
      handle_recv_result (self, call->bytes, 0);
      g_task_return_pointer (task, g_bytes_ref (call->bytes), (GDestroyNotify) g_bytes_unref);
      break;
    default:
      /* The kernel's view first: the caller may close as soon as the task returns. */
      if (call->errsv != ECANCELED && call->errsv != ETIMEDOUT && call->errsv != EAGAIN)
        sl_connection_check_tcp_state (self, call->errsv == ECONNRESET ? _("RST received")
                                                                      : NULL);
      if (self->endpoint != NULL)
        sl_endpoint_fail_call (self->endpoint, self, task, summary, call->errsv);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s", summary);
      if (call->errsv != ECANCELED && call->errsv != ETIMEDOUT && call->errsv != EAGAIN)
        abort_connection (self, call->errsv);
      break;
    }
}

static void
recv_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SlConnection *self = SL_CONNECTION (object);
  g_autoptr(GTask) task = user_data;
  RecvCall *call = g_task_get_task_data (G_TASK (result));

  sl_cancel_link_clear (&self->cancel_link);
  g_clear_object (&self->cancellable);
  set_pending_call (self, NULL);

  if (self->close_after_pending)
    {
      /* The user closed or reset while we waited: that wins over the result. */
      gboolean reset = self->reset_after_pending;

      self->close_after_pending = self->reset_after_pending = FALSE;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection was closed while recv() was waiting."));
      if (reset)
        sl_connection_reset (self, NULL);
      else
        finish_close (self, TRUE);
      return;
    }

  complete_recv (self, task, call);
}

void
sl_connection_recv_async (SlConnection        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  const char *summary;
  SlIoMode mode;
  RecvCall *call;

  g_return_if_fail (SL_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_connection_recv_async);
  mode = sl_endpoint_config_get_io_mode (self->config);

  if (self->datagram)
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               _("UDP peers have no recv() of their own: call recvfrom() on "
                                 "the endpoint."));
      return;
    }
  if (mode == SL_IO_MODE_ASYNC)
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               _("In async mode data is received as it arrives; choose the "
                                 "blocking, non-blocking or timeout mode to call recv() "
                                 "yourself."));
      return;
    }
  if (self->cancellable != NULL)
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               _("A recv() call is already waiting on this connection."));
      return;
    }
  if (!sl_connection_is_open (self) || !has_socket (self) ||
      self->state == SL_CONNECTION_STATE_PEER_CLOSED)
    {
      /* After b'' Python's recv() keeps returning b''; a closed socket is EBADF. */
      if (self->state == SL_CONNECTION_STATE_PEER_CLOSED && has_socket (self))
        {
          g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

          summary = recv_call (self);
          trace (self, SL_LOG_KIND_EVENT, summary, "b''", 0,
                 _("The peer closed earlier, so every recv() returns b'' at once. Close the "
                   "socket."),
                 NULL);
          g_task_return_pointer (task, g_steal_pointer (&empty), (GDestroyNotify) g_bytes_unref);
          return;
        }
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                               _("This connection is closed: there is nothing to receive."));
      return;
    }

  call = g_new0 (RecvCall, 1);
  call->socket = g_object_ref (self->socket);
  call->bufsize = sl_endpoint_config_get_bufsize (self->config);
  call->timeout_us = mode == SL_IO_MODE_TIMEOUT
                     ? (gint64) (sl_endpoint_config_get_timeout (self->config) * G_USEC_PER_SEC)
                     : -1;

  if (mode == SL_IO_MODE_NONBLOCKING)
    {
      /* Returns at once: data, b'', or EAGAIN. */
      do_recv (call);
      complete_recv (self, task, call);
      recv_call_free (call);
      return;
    }

  summary = recv_call (self);
  set_pending_call (self, summary);
  trace (self, SL_LOG_KIND_CALL, summary,
         mode == SL_IO_MODE_TIMEOUT ? _("… waiting (with timeout)") : _("… blocking"), 0,
         mode == SL_IO_MODE_TIMEOUT
         ? _("The call waits until data arrives or the timeout expires.")
         : _("The call blocks: the program stops here until data or FIN arrives."),
         NULL);

  self->cancellable = g_cancellable_new ();
  sl_cancel_link_set (&self->cancel_link, cancellable, self->cancellable);

  worker = g_task_new (self, self->cancellable, recv_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, sl_connection_recv_async);
  g_task_set_task_data (worker, call, (GDestroyNotify) recv_call_free);
  g_task_set_return_on_cancel (worker, FALSE);
  g_task_run_in_thread (worker, recv_thread);
}

GBytes *
sl_connection_recv_finish (SlConnection  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
