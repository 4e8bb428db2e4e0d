/* sl-endpoint.c — a running server or client built from a config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sl-codec.h"
#include "sl-engine.h"
#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-tcp-state.h"
#include "sl-util.h"

/* Calls handled per main-loop dispatch before yielding to other sources. */
#define MAX_CALLS_PER_DISPATCH 32

struct _SlEndpoint
{
  GObject            parent_instance;

  SlEndpointConfig  *config;
  SlLog             *log;
  GMainContext      *context;
  guint              id;

  SlEndpointState    state;
  char              *error_message;
  char              *pending_call;

  GSocket           *socket;          /* listener, datagram socket, or connecting client */
  GSocketAddress    *local_address;
  GSocketAddress    *remote_address;
  char              *unix_path;       /* a socket file we created, removed at stop */

  GListStore        *connections;
  GHashTable        *peers;           /* datagram: Python address → SlConnection (borrowed) */
  GQueue             peer_lru;        /* datagram peers, least recently active first (borrowed) */
  GHashTable        *peer_links;      /* datagram: SlConnection → its link in peer_lru */
  guint              next_connection_id;
  GPtrArray         *watched;         /* SlConnection whose TCP state is polled (strong) */
  guint              accept_queue;    /* TCP listener: completed, not yet accepted */
  GSource           *queue_source;    /* slow poll of accept_queue in the manual modes */

  GSource           *io_source;       /* accept() or recvfrom() as data arrives */
  GSource           *connect_source;
  GSource           *connect_timeout;
  GSource           *retry_source;    /* back-off after EMFILE */
  GTask             *start_task;
  GCancellable      *cancellable;     /* start, resolve */
  GCancellable      *pending;         /* a blocking accept()/recvfrom() */
  SlCancelLink       pending_link;
  gboolean           close_after_pending;

  guint64            bytes_in;
  guint64            bytes_out;
  guint64            messages_in;
  guint64            messages_out;
};

G_DEFINE_FINAL_TYPE (SlEndpoint, sl_endpoint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_LOG,
  PROP_ID,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_PENDING_CALL,
  PROP_BYTES_IN,
  PROP_BYTES_OUT,
  PROP_MESSAGES_IN,
  PROP_MESSAGES_OUT,
  PROP_N_CONNECTIONS,
  PROP_ACCEPT_QUEUE,
  N_PROPS
};

enum {
  SIGNAL_RECEIVED,
  SIGNAL_CONNECTION_ADDED,
  SIGNAL_CONNECTION_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static guint last_endpoint_id;

static void attach_io_source (SlEndpoint *self);

/* How often the accept queue of a listener is read in the manual I/O modes. */
#define QUEUE_POLL_MS 500
static gboolean queue_poll_cb (gpointer user_data);

/* Tracing. */

static void
trace_full (SlEndpoint *self,
            SlLogKind   kind,
            guint       connection_id,
            const char *peer,
            const char *summary,
            const char *result,
            int         errsv,
            const char *explanation,
            GBytes     *payload)
{
  g_autoptr(SlLogEntry) entry = sl_log_entry_new (kind, self->id, connection_id, peer, summary,
                                                  result, errsv, explanation, payload);

  sl_log_append (self->log, entry);
}

void
sl_endpoint_trace (SlEndpoint   *self,
                   SlLogKind     kind,
                   SlConnection *connection,
                   const char   *summary,
                   const char   *result,
                   int           errsv,
                   const char   *explanation,
                   GBytes       *payload)
{
  trace_full (self, kind,
              connection != NULL ? sl_connection_get_id (connection) : 0,
              connection != NULL ? sl_connection_get_peer (connection) : NULL,
              summary, result, errsv, explanation, payload);
}

static void
trace (SlEndpoint *self,
       SlLogKind   kind,
       const char *summary,
       const char *result,
       const char *explanation)
{
  trace_full (self, kind, 0, NULL, summary, result, 0, explanation, NULL);
}

static void
trace_errno (SlEndpoint *self,
             const char *summary,
             int         errsv)
{
  g_autofree char *python = sl_errno_python (errsv);

  trace_full (self, SL_LOG_KIND_ERROR, 0, NULL, summary, python, errsv,
              sl_errno_explain (errsv), NULL);
}

void
sl_endpoint_fail_call (SlEndpoint   *self,
                       SlConnection *connection,
                       GTask        *task,
                       const char   *summary,
                       int           errsv)
{
  g_autofree char *why = NULL;
  g_autofree char *python = NULL;

  switch (errsv)
    {
    case ECANCELED:
      sl_endpoint_trace (self, SL_LOG_KIND_EVENT, connection, summary, _("cancelled"), 0,
                         _("You cancelled the call while it was still waiting."), NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The call was cancelled."));
      break;
    case ETIMEDOUT:
      why = g_strdup_printf (_("settimeout(%g): nothing arrived within %g seconds, so the call "
                               "raised socket.timeout."),
                             sl_endpoint_config_get_timeout (self->config),
                             sl_endpoint_config_get_timeout (self->config));
      sl_endpoint_trace (self, SL_LOG_KIND_ERROR, connection, summary, "TimeoutError: timed out",
                         ETIMEDOUT, why, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s", why);
      break;
    default:
      python = sl_errno_python (errsv);
      sl_endpoint_trace (self, SL_LOG_KIND_ERROR, connection, summary, python, errsv,
                         sl_errno_explain (errsv), NULL);
      {
        GError *error = NULL;

        sl_set_errno_error (&error, errsv, summary);
        g_task_return_error (task, error);
      }
      break;
    }
}

void
sl_endpoint_count (SlEndpoint *self,
                   gboolean    outgoing,
                   gsize       n_bytes,
                   guint       n_messages)
{
  if (outgoing)
    {
      self->bytes_out += n_bytes;
      self->messages_out += n_messages;
    }
  else
    {
      self->bytes_in += n_bytes;
      self->messages_in += n_messages;
    }
}

GMainContext *
sl_endpoint_get_context (SlEndpoint *self)
{
  return self->context;
}

/* State. */

static void
set_state (SlEndpoint      *self,
           SlEndpointState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending_call (SlEndpoint *self,
                  const char *call)
{
  if (sl_set_str (&self->pending_call, call))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_CALL]);
}

static gboolean
is_stream (SlEndpoint *self)
{
  return sl_endpoint_config_get_protocol (self->config) == SL_PROTOCOL_TCP;
}

static const char *
variable (SlEndpoint *self)
{
  return sl_endpoint_is_server (self) ? "server" : "client";
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

gboolean
sl_endpoint_refresh_local_address (SlEndpoint *self)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *python = NULL;
  g_autofree char *summary = NULL;

  if (self->socket == NULL || sl_endpoint_is_server (self) ||
      sl_endpoint_get_local_port (self) != 0)
    return FALSE;

  address = sl_sockops_local_address (self->socket);
  if (!G_IS_INET_SOCKET_ADDRESS (address) ||
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) == 0)
    return FALSE;

  g_set_object (&self->local_address, address);
  python = sl_python_address (address);
  summary = g_strdup_printf ("%s.getsockname()", variable (self));
  trace (self, SL_LOG_KIND_CALL, summary, python,
         _("The first sendto() made the kernel bind the client to a free port: replies come "
           "back to this address."));
  return TRUE;
}

/* Connections. */

static void
connection_received_cb (SlConnection *connection,
                        GBytes       *bytes,
                        SlEndpoint   *self)
{
  g_signal_emit (self, signals[SIGNAL_RECEIVED], 0, connection, bytes);
}

/* Datagram peers in the order of their last datagram (SL_MAX_DATAGRAM_PEERS). */
static void
peer_lru_remove (SlEndpoint   *self,
                 SlConnection *connection)
{
  GList *link;

  if (self->peer_links == NULL)
    return;
  link = g_hash_table_lookup (self->peer_links, connection);
  if (link == NULL)
    return;
  g_hash_table_remove (self->peer_links, connection);
  g_queue_delete_link (&self->peer_lru, link);
}

static void
peer_lru_touch (SlEndpoint   *self,
                SlConnection *connection)
{
  GList *link = g_hash_table_lookup (self->peer_links, connection);

  if (link == NULL || link->next == NULL)
    return;
  g_queue_unlink (&self->peer_lru, link);
  g_queue_push_tail_link (&self->peer_lru, link);
}

static void
connection_closed_cb (SlConnection *connection,
                      SlEndpoint   *self)
{
  G_GNUC_UNUSED g_autoptr(SlConnection) hold = g_object_ref (connection);
  guint position;

  g_signal_handlers_disconnect_by_data (connection, self);
  if (self->peers != NULL)
    g_hash_table_remove (self->peers, sl_connection_get_peer (connection));
  peer_lru_remove (self, connection);
  if (g_list_store_find (self->connections, connection, &position))
    {
      g_list_store_remove (self->connections, position);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);
      g_signal_emit (self, signals[SIGNAL_CONNECTION_REMOVED], 0, connection);
    }

  /* A stream client is its one connection: when it ends, so does the client. */
  if (!sl_endpoint_is_server (self) && is_stream (self) &&
      self->state == SL_ENDPOINT_STATE_CONNECTED)
    {
      g_clear_object (&self->socket);
      set_state (self, SL_ENDPOINT_STATE_CLOSED);
    }
}

void
sl_endpoint_watch (SlEndpoint   *self,
                   SlConnection *connection,
                   gboolean      watch)
{
  g_return_if_fail (SL_IS_ENDPOINT (self));

  if (watch)
    {
      if (self->watched == NULL)
        self->watched = g_ptr_array_new_with_free_func (g_object_unref);
      if (!g_ptr_array_find (self->watched, connection, NULL))
        g_ptr_array_add (self->watched, g_object_ref (connection));
    }
  else if (self->watched != NULL)
    g_ptr_array_remove (self->watched, connection);
}

static SlConnection *
add_connection (SlEndpoint     *self,
                GSocket        *socket,
                gboolean        datagram,
                const char     *var,
                GSocketAddress *local,
                GSocketAddress *remote)
{
  g_autoptr(SlConnection) connection = NULL;

  connection = sl_connection_new (self, ++self->next_connection_id, socket, datagram, var,
                                  local, remote);
  g_signal_connect (connection, "received", G_CALLBACK (connection_received_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (connection_closed_cb), self);
  g_list_store_append (self->connections, connection);
  if (datagram)
    {
      g_hash_table_insert (self->peers, g_strdup (sl_connection_get_peer (connection)), connection);
      g_queue_push_tail (&self->peer_lru, connection);
      g_hash_table_insert (self->peer_links, connection, self->peer_lru.tail);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);
  g_signal_emit (self, signals[SIGNAL_CONNECTION_ADDED], 0, connection);

  if (!datagram && sl_endpoint_config_get_io_mode (self->config) == SL_IO_MODE_ASYNC)
    sl_connection_start_reading (connection);

  return connection;
}

/* GObject. */

static void
sl_endpoint_dispose (GObject *object)
{
  SlEndpoint *self = SL_ENDPOINT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->connections != NULL)
    sl_endpoint_stop (self);
  if (self->watched != NULL)
    {
      g_autoptr(GPtrArray) watched = g_steal_pointer (&self->watched);

      for (guint i = 0; i < watched->len; i++)
        sl_connection_stop_watching (g_ptr_array_index (watched, i));
    }

  destroy_source (&self->io_source);
  destroy_source (&self->connect_source);
  destroy_source (&self->connect_timeout);
  destroy_source (&self->retry_source);
  destroy_source (&self->queue_source);
  g_clear_object (&self->socket);
  g_clear_object (&self->cancellable);
  sl_cancel_link_clear (&self->pending_link);
  g_clear_object (&self->pending);
  g_clear_object (&self->local_address);
  g_clear_object (&self->remote_address);
  g_clear_pointer (&self->peers, g_hash_table_unref);
  g_queue_clear (&self->peer_lru);
  g_clear_pointer (&self->peer_links, g_hash_table_unref);
  g_clear_object (&self->connections);
  g_clear_object (&self->log);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (sl_endpoint_parent_class)->dispose (object);
}

static void
sl_endpoint_finalize (GObject *object)
{
  SlEndpoint *self = SL_ENDPOINT (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->error_message);
  g_free (self->pending_call);
  g_free (self->unix_path);

  G_OBJECT_CLASS (sl_endpoint_parent_class)->finalize (object);
}

static void
sl_endpoint_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SlEndpoint *self = SL_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_PENDING_CALL:
      g_value_set_string (value, self->pending_call);
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
    case PROP_ACCEPT_QUEUE:
      g_value_set_uint (value, self->accept_queue);
      break;
    case PROP_N_CONNECTIONS:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self->connections)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_endpoint_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SlEndpoint *self = SL_ENDPOINT (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      {
        SlEndpointConfig *config = g_value_get_object (value);

        self->config = config != NULL ? sl_endpoint_config_copy (config)
                                      : sl_endpoint_config_new ();
      }
      break;
    case PROP_LOG:
      {
        SlLog *log = g_value_get_object (value);

        self->log = log != NULL ? g_object_ref (log) : sl_log_new (0);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_endpoint_class_init (SlEndpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags co = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sl_endpoint_dispose;
  object_class->finalize = sl_endpoint_finalize;
  object_class->get_property = sl_endpoint_get_property;
  object_class->set_property = sl_endpoint_set_property;

  properties[PROP_CONFIG] = g_param_spec_object ("config", NULL, NULL,
                                                 SL_TYPE_ENDPOINT_CONFIG, co);
  properties[PROP_LOG] = g_param_spec_object ("log", NULL, NULL, SL_TYPE_LOG, co);
  properties[PROP_ID] = g_param_spec_uint ("id", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, SL_TYPE_ENDPOINT_STATE,
                                              SL_ENDPOINT_STATE_STOPPED, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_PENDING_CALL] = g_param_spec_string ("pending-call", NULL, NULL, NULL, ro);
  /* Counters change with every message: they do not notify; read them when needed. */
  properties[PROP_BYTES_IN] = g_param_spec_uint64 ("bytes-in", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_BYTES_OUT] = g_param_spec_uint64 ("bytes-out", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_MESSAGES_IN] = g_param_spec_uint64 ("messages-in", NULL, NULL,
                                                      0, G_MAXUINT64, 0, ro);
  properties[PROP_MESSAGES_OUT] = g_param_spec_uint64 ("messages-out", NULL, NULL,
                                                       0, G_MAXUINT64, 0, ro);
  properties[PROP_ACCEPT_QUEUE] = g_param_spec_uint ("accept-queue", NULL, NULL,
                                                     0, G_MAXUINT, 0, ro);
  properties[PROP_N_CONNECTIONS] = g_param_spec_uint ("n-connections", NULL, NULL,
                                                      0, G_MAXUINT, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RECEIVED] =
    g_signal_new ("received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SL_TYPE_CONNECTION, G_TYPE_BYTES);
  signals[SIGNAL_CONNECTION_ADDED] =
    g_signal_new ("connection-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SL_TYPE_CONNECTION);
  signals[SIGNAL_CONNECTION_REMOVED] =
    g_signal_new ("connection-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SL_TYPE_CONNECTION);
}

static void
sl_endpoint_init (SlEndpoint *self)
{
  self->id = ++last_endpoint_id;
  self->context = g_main_context_ref_thread_default ();
  self->connections = g_list_store_new (SL_TYPE_CONNECTION);
  self->peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->peer_lru);
  self->peer_links = g_hash_table_new (NULL, NULL);
  self->cancellable = g_cancellable_new ();
}

SlEndpoint *
sl_endpoint_new (SlEndpointConfig *config,
                 SlLog            *log)
{
  return g_object_new (SL_TYPE_ENDPOINT, "config", config, "log", log, NULL);
}

/* Getters. */

guint
sl_endpoint_get_id (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);
  return self->id;
}

SlEndpointConfig *
sl_endpoint_get_config (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return self->config;
}

SlLog *
sl_endpoint_get_log (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return self->log;
}

SlEndpointState
sl_endpoint_get_state (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), SL_ENDPOINT_STATE_ERROR);
  return self->state;
}

const char *
sl_endpoint_get_error_message (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return self->error_message;
}

const char *
sl_endpoint_get_pending_call (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return self->pending_call;
}

gboolean
sl_endpoint_is_server (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), FALSE);
  return sl_endpoint_config_get_role (self->config) == SL_ROLE_SERVER;
}

GSocketAddress *
sl_endpoint_get_local_address (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return self->local_address;
}

GSocketAddress *
sl_endpoint_get_remote_address (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return self->remote_address;
}

guint16
sl_endpoint_get_local_port (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);

  if (G_IS_INET_SOCKET_ADDRESS (self->local_address))
    return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->local_address));
  return 0;
}

guint64
sl_endpoint_get_bytes_in (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);
  return self->bytes_in;
}

guint64
sl_endpoint_get_bytes_out (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);
  return self->bytes_out;
}

guint64
sl_endpoint_get_messages_in (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);
  return self->messages_in;
}

guint64
sl_endpoint_get_messages_out (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);
  return self->messages_out;
}

guint
sl_endpoint_get_accept_queue (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);
  return self->accept_queue;
}

GListModel *
sl_endpoint_get_connections (SlEndpoint *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);
  return G_LIST_MODEL (self->connections);
}

SlConnection *
sl_endpoint_get_first_connection (SlEndpoint *self)
{
  g_autoptr(SlConnection) connection = NULL;

  g_return_val_if_fail (SL_IS_ENDPOINT (self), NULL);

  connection = g_list_model_get_item (G_LIST_MODEL (self->connections), 0);
  /* The list holds a reference as long as the connection is open. */
  return connection;
}

const char *
sl_endpoint_state_to_string (SlEndpointState state)
{
  switch (state)
    {
    case SL_ENDPOINT_STATE_STOPPED:
      return _("stopped");
    case SL_ENDPOINT_STATE_STARTING:
      return _("starting");
    case SL_ENDPOINT_STATE_LISTENING:
      return _("listening");
    case SL_ENDPOINT_STATE_CONNECTING:
      return _("connecting");
    case SL_ENDPOINT_STATE_CONNECTED:
      return _("connected");
    case SL_ENDPOINT_STATE_CLOSED:
      return _("closed");
    case SL_ENDPOINT_STATE_ERROR:
      return _("error");
    default:
      return "?";
    }
}

/* Python spelling of the socket() arguments. */

static int
socket_domain (SlEndpoint  *self,
               const char **name)
{
  switch (sl_endpoint_config_get_family (self->config))
    {
    case SL_FAMILY_IPV6:
      *name = "socket.AF_INET6";
      return AF_INET6;
    case SL_FAMILY_UNIX:
      *name = "socket.AF_UNIX";
      return AF_UNIX;
    case SL_FAMILY_IPV4:
    default:
      *name = "socket.AF_INET";
      return AF_INET;
    }
}

static int
socket_type (SlEndpoint  *self,
             const char **name)
{
  if (is_stream (self))
    {
      *name = "socket.SOCK_STREAM";
      return SOCK_STREAM;
    }
  *name = "socket.SOCK_DGRAM";
  return SOCK_DGRAM;
}

/* Start. */

static void
fail_start (SlEndpoint *self,
            GTask      *task,
            GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* sl_endpoint_stop() already set the state. */
      g_task_return_error (task, error);
      return;
    }

  destroy_source (&self->connect_source);
  destroy_source (&self->connect_timeout);
  if (self->socket != NULL)
    sl_sockops_close (self->socket);
  g_clear_object (&self->socket);

  g_free (self->error_message);
  self->error_message = g_strdup (error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  set_state (self, SL_ENDPOINT_STATE_ERROR);
  g_task_return_error (task, error);
}

/* Makes the socket: returns FALSE after tracing and failing @task. */
static gboolean
create_socket (SlEndpoint *self,
               GTask      *task)
{
  g_autofree char *summary = NULL;
  g_autofree char *result = NULL;
  const char *domain_name, *type_name;
  int domain = socket_domain (self, &domain_name);
  int type = socket_type (self, &type_name);
  int errsv;

  summary = g_strdup_printf ("%s = socket.socket(%s, %s)", variable (self), domain_name, type_name);
  g_clear_object (&self->socket);
  self->socket = sl_sockops_socket (domain, type, &errsv);
  if (self->socket == NULL)
    {
      GError *error = NULL;

      trace_errno (self, summary, errsv);
      sl_set_errno_error (&error, errsv, summary);
      fail_start (self, task, error);
      return FALSE;
    }

  result = g_strdup_printf ("<socket fd=%d>", g_socket_get_fd (self->socket));
  trace (self, SL_LOG_KIND_CALL, summary, result, NULL);

  if (sl_endpoint_config_get_reuseaddr (self->config))
    {
      g_clear_pointer (&summary, g_free);
      summary = g_strdup_printf ("%s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
                                 variable (self));
      errsv = sl_sockops_setsockopt_int (self->socket, SOL_SOCKET, SO_REUSEADDR, 1);
      if (errsv != 0)
        {
          GError *error = NULL;

          trace_errno (self, summary, errsv);
          sl_set_errno_error (&error, errsv, summary);
          fail_start (self, task, error);
          return FALSE;
        }
      trace (self, SL_LOG_KIND_CALL, summary, "None",
             _("SO_REUSEADDR lets bind() reuse a port that still has connections in "
               "TIME_WAIT, so a restarted server does not fail with EADDRINUSE."));
    }

  return TRUE;
}

static gboolean
bind_socket (SlEndpoint     *self,
             GTask          *task,
             GSocketAddress *address)
{
  g_autofree char *python = sl_python_address (address);
  g_autofree char *summary = g_strdup_printf ("%s.bind(%s)", variable (self), python);
  int errsv = sl_sockops_bind (self->socket, address);

  if (errsv != 0)
    {
      GError *error = NULL;

      trace_errno (self, summary, errsv);
      sl_set_errno_error (&error, errsv, summary);
      fail_start (self, task, error);
      return FALSE;
    }

  trace (self, SL_LOG_KIND_CALL, summary, "None", NULL);
  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    sl_set_str (&self->unix_path, g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)));
  return TRUE;
}

static void
read_back_local_address (SlEndpoint *self,
                         gboolean    explain_port_zero)
{
  g_autofree char *python = NULL;
  g_autofree char *summary = NULL;

  g_clear_object (&self->local_address);
  self->local_address = sl_sockops_local_address (self->socket);
  if (self->local_address == NULL || !explain_port_zero)
    return;

  python = sl_python_address (self->local_address);
  summary = g_strdup_printf ("%s.getsockname()", variable (self));
  trace (self, SL_LOG_KIND_CALL, summary, python,
         sl_endpoint_is_server (self)
         ? _("Port 0 asks the kernel for any free port; getsockname() tells which one it chose.")
         : _("The kernel chose this local address and port for the client (an ephemeral port)."));
}

static void
start_server (SlEndpoint *self,
              GTask      *task,
              GSocketAddress *address)
{
  g_autofree char *python = NULL;
  g_autofree char *message = NULL;
  gboolean port_zero;

  port_zero = G_IS_INET_SOCKET_ADDRESS (address) &&
              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)) == 0;

  if (!create_socket (self, task) || !bind_socket (self, task, address))
    return;
  read_back_local_address (self, port_zero);

  if (is_stream (self))
    {
      int backlog = sl_endpoint_config_get_backlog (self->config);
      g_autofree char *summary = g_strdup_printf ("server.listen(%d)", backlog);
      int errsv = sl_sockops_listen (self->socket, backlog);

      if (errsv != 0)
        {
          GError *error = NULL;

          trace_errno (self, summary, errsv);
          sl_set_errno_error (&error, errsv, summary);
          fail_start (self, task, error);
          return;
        }
      trace (self, SL_LOG_KIND_CALL, summary, "None",
             _("The socket now listens: the kernel completes handshakes and queues up to "
               "backlog connections until accept() takes them."));
      if (sl_tcp_state_from_socket (self->socket, NULL) == SL_TCP_STATE_LISTEN)
        {
          g_autofree char *state = g_strdup_printf ("state: %s (%s)",
                                                    sl_tcp_state_to_string (SL_TCP_STATE_LISTEN),
                                                    _("you called listen()"));

          trace (self, SL_LOG_KIND_STATE, state, NULL,
                 sl_tcp_state_explain (SL_TCP_STATE_LISTEN));
        }
    }

  python = sl_python_address (self->local_address != NULL ? self->local_address : address);
  if (is_stream (self))
    message = g_strdup_printf (_("listening on %s"), python);
  else
    message = g_strdup_printf (_("bound to %s, waiting for datagrams"), python);
  trace (self, SL_LOG_KIND_EVENT, message, NULL,
         is_stream (self) ? NULL
                          : _("UDP has no listen() and no accept(): any peer may send a "
                              "datagram at any time."));

  set_state (self, SL_ENDPOINT_STATE_LISTENING);
  if (sl_endpoint_config_get_io_mode (self->config) == SL_IO_MODE_ASYNC)
    attach_io_source (self);
  else if (is_stream (self) && G_IS_INET_SOCKET_ADDRESS (self->local_address))
    {
      /* Nobody accepts until the student does: watch the queue fill, slowly. */
      self->queue_source = g_timeout_source_new (QUEUE_POLL_MS);
      g_source_set_callback (self->queue_source, queue_poll_cb, self, NULL);
      g_source_attach (self->queue_source, self->context);
    }
  g_task_return_boolean (task, TRUE);
}

static void
connected (SlEndpoint *self,
           GTask      *task,
           gboolean    bound_locally)
{
  g_autofree char *python = sl_python_address (self->remote_address);
  g_autofree char *summary = g_strdup_printf ("client.connect(%s)", python);
  g_autoptr(GSocket) socket = NULL;
  SlConnection *connection;

  trace (self, SL_LOG_KIND_CALL, summary, "None",
         _("The three-way handshake is done: the connection is ESTABLISHED."));
  read_back_local_address (self, !bound_locally);

  /* From here on the connection owns the socket. */
  socket = g_steal_pointer (&self->socket);
  connection = add_connection (self, socket, FALSE, "client", self->local_address,
                               self->remote_address);
  sl_connection_check_tcp_state (connection, _("connect() completed the handshake"));
  sl_connection_begin_auth (connection);
  set_state (self, SL_ENDPOINT_STATE_CONNECTED);
  g_task_return_boolean (task, TRUE);
}

static gboolean
connect_ready_cb (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  SlEndpoint *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);
  int errsv = sl_sockops_get_so_error (socket);

  g_clear_pointer (&self->connect_source, g_source_unref);
  destroy_source (&self->connect_timeout);

  if (errsv != 0)
    {
      g_autofree char *python = sl_python_address (self->remote_address);
      g_autofree char *summary = g_strdup_printf ("client.connect(%s)", python);
      GError *error = NULL;

      trace_errno (self, summary, errsv);
      sl_set_errno_error (&error, errsv, summary);
      fail_start (self, task, error);
      return G_SOURCE_REMOVE;
    }

  connected (self, task, GPOINTER_TO_INT (g_task_get_task_data (task)));
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  SlEndpoint *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);
  g_autofree char *python = sl_python_address (self->remote_address);
  g_autofree char *summary = g_strdup_printf ("client.connect(%s)", python);
  g_autofree char *why = NULL;
  double seconds = sl_endpoint_config_get_connect_timeout (self->config);

  g_clear_pointer (&self->connect_timeout, g_source_unref);
  destroy_source (&self->connect_source);

  why = g_strdup_printf (_("No answer from %s within %g seconds: the server may be too busy "
                           "(its accept queue is full) or a firewall drops the packets."),
                         python, seconds);
  trace_full (self, SL_LOG_KIND_ERROR, 0, NULL, summary, "TimeoutError: timed out", ETIMEDOUT,
              why, NULL);
  fail_start (self, task, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s → %s. %s",
                                       summary, "TimeoutError: timed out", why));
  return G_SOURCE_REMOVE;
}

static void
start_stream_client (SlEndpoint     *self,
                     GTask          *task,
                     GSocketAddress *local)
{
  g_autofree char *python = sl_python_address (self->remote_address);
  g_autofree char *summary = g_strdup_printf ("client.connect(%s)", python);
  int errsv;

  if (!create_socket (self, task))
    return;
  if (local != NULL && !bind_socket (self, task, local))
    return;

  errsv = sl_sockops_connect (self->socket, self->remote_address);
  g_task_set_task_data (task, GINT_TO_POINTER (local != NULL), NULL);
  if (errsv == 0)
    {
      connected (self, task, local != NULL);
      return;
    }
  if (errsv != EINPROGRESS)
    {
      GError *error = NULL;

      trace_errno (self, summary, errsv);
      sl_set_errno_error (&error, errsv, summary);
      fail_start (self, task, error);
      return;
    }

  set_state (self, SL_ENDPOINT_STATE_CONNECTING);
  self->start_task = g_object_ref (task);
  self->connect_source = sl_sockops_watch (self->socket, G_IO_OUT | G_IO_ERR | G_IO_HUP,
                                           self->context, connect_ready_cb, self);
  self->connect_timeout =
    g_timeout_source_new ((guint) (sl_endpoint_config_get_connect_timeout (self->config) * 1000));
  g_source_set_callback (self->connect_timeout, connect_timeout_cb, self, NULL);
  g_source_attach (self->connect_timeout, self->context);
}

static void
start_datagram_client (SlEndpoint     *self,
                       GTask          *task,
                       GSocketAddress *local)
{
  g_autofree char *python = sl_python_address (self->remote_address);
  g_autofree char *message = NULL;

  if (!create_socket (self, task))
    return;

  if (local != NULL)
    {
      if (!bind_socket (self, task, local))
        return;
    }
  else if (sl_endpoint_config_get_family (self->config) == SL_FAMILY_UNIX)
    {
      /* A Unix datagram client needs an address of its own to get replies. */
      int errsv = sl_sockops_bind_unix_autobind (self->socket);

      if (errsv != 0)
        {
          GError *error = NULL;

          trace_errno (self, "client.bind('')", errsv);
          sl_set_errno_error (&error, errsv, "client.bind('')");
          fail_start (self, task, error);
          return;
        }
      trace (self, SL_LOG_KIND_CALL, "client.bind('')", "None",
             _("An empty path asks Linux for a unique abstract address, so the server "
               "has somewhere to send its replies."));
    }
  read_back_local_address (self, FALSE);

  add_connection (self, self->socket, TRUE, "client", self->local_address, self->remote_address);
  message = g_strdup_printf (_("ready to send to %s"), python);
  trace (self, SL_LOG_KIND_EVENT, message, NULL,
         _("UDP makes no connection: nothing reaches the server until you send a datagram, "
           "and the server may not even be running."));
  set_state (self, SL_ENDPOINT_STATE_CONNECTED);
  if (sl_endpoint_config_get_io_mode (self->config) == SL_IO_MODE_ASYNC)
    attach_io_source (self);
  g_task_return_boolean (task, TRUE);
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SlEndpoint *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) addresses = NULL;
  GSocketAddress *local;
  GError *error = NULL;

  addresses = sl_endpoint_config_resolve_finish (SL_ENDPOINT_CONFIG (object), result, &error);
  if (addresses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        trace_full (self, SL_LOG_KIND_ERROR, 0, NULL, "socket.getaddrinfo()",
                    "socket.gaierror", 0, error->message, NULL);
      fail_start (self, task, error);
      return;
    }

  local = addresses->len > 1 ? g_ptr_array_index (addresses, 1) : NULL;

  if (sl_endpoint_is_server (self))
    {
      start_server (self, task, g_ptr_array_index (addresses, 0));
      return;
    }

  g_set_object (&self->remote_address, g_ptr_array_index (addresses, 0));
  if (is_stream (self))
    start_stream_client (self, task, local);
  else
    start_datagram_client (self, task, local);
}

void
sl_endpoint_start_async (SlEndpoint          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SlConfigField field;
  GError *error = NULL;

  g_return_if_fail (SL_IS_ENDPOINT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_endpoint_start_async);

  if (self->state == SL_ENDPOINT_STATE_STARTING ||
      self->state == SL_ENDPOINT_STATE_LISTENING ||
      self->state == SL_ENDPOINT_STATE_CONNECTING ||
      self->state == SL_ENDPOINT_STATE_CONNECTED)
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               _("This endpoint is already running: stop it before starting "
                                 "it again."));
      return;
    }

  if (!sl_endpoint_config_validate (self->config, &field, &error))
    {
      trace_full (self, SL_LOG_KIND_ERROR, 0, NULL, _("invalid settings"), NULL, 0,
                  error->message, NULL);
      fail_start (self, task, error);
      return;
    }

  g_clear_pointer (&self->error_message, g_free);
  g_clear_object (&self->local_address);
  g_clear_object (&self->remote_address);
  set_state (self, SL_ENDPOINT_STATE_STARTING);

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  sl_endpoint_config_resolve_async (self->config, self->cancellable, resolved_cb,
                                    g_steal_pointer (&task));
}

gboolean
sl_endpoint_start_finish (SlEndpoint    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Accepting and receiving datagrams. */

static char *
accept_call (void)
{
  return g_strdup ("conn, addr = server.accept()");
}

/* The accept queue of a TCP listener (TCP_INFO: one system call). A change
 * is a state row: in the manual modes nobody accepts while the student does
 * not, and the queue fills up to the backlog (Linux: backlog + 1). */
static void
refresh_accept_queue (SlEndpoint *self)
{
  SlTcpInfo info;
  g_autofree char *summary = NULL;
  const char *explanation;

  if (self->socket == NULL || !sl_endpoint_is_server (self) || !is_stream (self) ||
      !G_IS_INET_SOCKET_ADDRESS (self->local_address))
    return;
  if (sl_tcp_state_from_socket (self->socket, &info) != SL_TCP_STATE_LISTEN ||
      info.accept_queue == self->accept_queue)
    return;

  self->accept_queue = info.accept_queue;
  summary = g_strdup_printf (_("accept queue: %u of backlog %u waiting for accept()"),
                             info.accept_queue, info.accept_backlog);
  if (info.accept_queue > info.accept_backlog)
    explanation = _("The queue is full: the kernel ignores new clients' SYNs until accept() "
                    "takes one, so their connect() waits and retries.");
  else if (info.accept_queue > 0)
    explanation = _("The kernel completed these three-way handshakes by itself: the clients "
                    "are ESTABLISHED and may already send. accept() takes them one by one.");
  else
    explanation = _("Every completed connection has been accepted.");
  trace (self, SL_LOG_KIND_STATE, summary, NULL, explanation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCEPT_QUEUE]);
}

static gboolean
queue_poll_cb (gpointer user_data)
{
  refresh_accept_queue (user_data);
  return G_SOURCE_CONTINUE;
}

/* Takes an accepted socket: a new connection, or refused when max clients is
 * reached. Returns the connection (borrowed) or NULL. */
static SlConnection *
take_accepted (SlEndpoint     *self,
               GSocket        *socket,
               GSocketAddress *peer)
{
  g_autofree char *python = peer != NULL ? sl_python_address (peer) : g_strdup ("''");
  g_autofree char *summary = accept_call ();
  g_autoptr(GSocketAddress) local = sl_sockops_local_address (socket);
  int max_clients = sl_endpoint_config_get_max_clients (self->config);
  guint n_open = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  SlConnection *connection;

  if (max_clients > 0 && n_open >= (guint) max_clients)
    {
      g_autofree char *why = NULL;

      trace_full (self, SL_LOG_KIND_CALL, 0, python, summary, python, 0, NULL, NULL);
      why = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Already serving %d client, the maximum: the new "
                                          "connection was accepted and closed at once. Raise "
                                          "max clients or close a connection.",
                                          "Already serving %d clients, the maximum: the new "
                                          "connection was accepted and closed at once. Raise "
                                          "max clients or close a connection.",
                                          max_clients),
                             max_clients);
      trace_full (self, SL_LOG_KIND_EVENT, 0, python, _("client refused: max clients reached"),
                  NULL, 0, why, NULL);
      sl_sockops_close (socket);
      refresh_accept_queue (self);
      trace_full (self, SL_LOG_KIND_CALL, 0, python, "conn.close()", "None", 0,
                  _("The refused client sees the connection close; if it sends anyway, the "
                    "kernel answers with RST."),
                  NULL);
      return NULL;
    }

  connection = add_connection (self, socket, FALSE, "conn", local, peer);
  refresh_accept_queue (self);
  trace_full (self, SL_LOG_KIND_CALL, sl_connection_get_id (connection), python, summary, python,
              0, n_open == 0 ? _("accept() returns a new socket for this conversation; the "
                                 "listening socket keeps waiting for more clients.") : NULL,
              NULL);
  sl_connection_check_tcp_state (connection, _("accept() took it from the queue"));
  sl_connection_begin_auth (connection);
  return connection;
}

/* A new source would list more than SL_MAX_DATAGRAM_PEERS peers: forget the
 * quarter that was quiet the longest, with one row for the batch. */
static void
forget_idle_peers (SlEndpoint *self)
{
  guint keep = MIN (SL_MAX_DATAGRAM_PEERS - 1, SL_MAX_DATAGRAM_PEERS - SL_MAX_DATAGRAM_PEERS / 4);
  guint forgotten = 0;
  g_autofree char *summary = NULL;
  g_autofree char *why = NULL;

  if (g_hash_table_size (self->peers) < SL_MAX_DATAGRAM_PEERS)
    return;

  while (g_hash_table_size (self->peers) > keep && !g_queue_is_empty (&self->peer_lru))
    {
      g_autoptr(SlConnection) oldest = g_object_ref (g_queue_peek_head (&self->peer_lru));

      peer_lru_remove (self, oldest);
      sl_connection_shutdown_all (oldest);
      /* Gone from the list even if it was closed already. */
      if (g_hash_table_lookup (self->peers, sl_connection_get_peer (oldest)) == oldest)
        connection_closed_cb (oldest, self);
      forgotten++;
    }

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u peer forgotten",
                                          "%u peers forgotten", forgotten),
                             forgotten);
  why = g_strdup_printf (_("Datagrams came from more than %d addresses: the %u peers that were "
                           "quiet the longest are no longer listed, so that memory stays "
                           "bounded. UDP has no connection, so nothing was sent to them; one "
                           "that sends again is listed as a new peer."),
                         SL_MAX_DATAGRAM_PEERS, forgotten);
  trace (self, SL_LOG_KIND_EVENT, summary, NULL, why);
}

static SlConnection *
peer_for (SlEndpoint     *self,
          GSocketAddress *from)
{
  g_autofree char *python = from != NULL ? sl_python_address (from) : g_strdup ("''");
  SlConnection *connection = g_hash_table_lookup (self->peers, python);
  g_autofree char *message = NULL;

  if (connection != NULL)
    {
      peer_lru_touch (self, connection);
      return connection;
    }

  forget_idle_peers (self);

  connection = add_connection (self, self->socket, TRUE, variable (self), self->local_address,
                               from);
  message = g_strdup_printf (_("new peer %s"), python);
  sl_endpoint_trace (self, SL_LOG_KIND_EVENT, connection, message, NULL, 0, NULL, NULL);
  return connection;
}

static void
take_datagram (SlEndpoint     *self,
               GBytes         *bytes,
               GSocketAddress *from,
               gsize           real_size)
{
  SlConnection *connection = peer_for (self, from);
  g_autofree char *summary = g_strdup_printf ("%s.recvfrom(%d)", variable (self),
                                              sl_endpoint_config_get_bufsize (self->config));
  g_autofree char *repr = sl_codec_python_bytes (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), SL_TRACE_REPR_LIMIT);
  g_autofree char *result = g_strdup_printf ("(%s, %s)", repr,
                                             sl_connection_get_peer (connection));
  g_autofree char *explanation = NULL;

  if (real_size > g_bytes_get_size (bytes))
    explanation = g_strdup_printf (_("The datagram had %lu bytes but the buffer only %lu: the "
                                     "rest is lost. UDP keeps message boundaries, so use a "
                                     "bufsize as large as the largest datagram."),
                                   (gulong) real_size, (gulong) g_bytes_get_size (bytes));
  else if (g_bytes_get_size (bytes) == 0)
    explanation = g_strdup (_("An empty datagram: over UDP b'' is a real message."));

  sl_connection_deliver (connection, bytes, summary, result, explanation);
}

static gboolean
receive_one_datagram (SlEndpoint *self,
                      int        *errsv_out)
{
  gsize bufsize = sl_endpoint_config_get_bufsize (self->config);
  g_autoptr(GSocketAddress) from = NULL;
  g_autofree guint8 *buffer = g_malloc (bufsize);
  g_autoptr(GBytes) bytes = NULL;
  gsize real_size;
  gssize n;

  n = sl_sockops_recvfrom (self->socket, buffer, bufsize, &from, &real_size, errsv_out);
  if (n < 0)
    return FALSE;

  bytes = g_bytes_new (buffer, n);
  take_datagram (self, bytes, from, real_size);
  return TRUE;
}

static gboolean
retry_io_cb (gpointer user_data)
{
  SlEndpoint *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  attach_io_source (self);
  return G_SOURCE_REMOVE;
}

static gboolean
io_ready_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  SlEndpoint *self = user_data;
  G_GNUC_UNUSED g_autoptr(SlEndpoint) hold = g_object_ref (self);

  for (guint i = 0; i < MAX_CALLS_PER_DISPATCH && self->io_source != NULL; i++)
    {
      int errsv;

      if (is_stream (self))
        {
          g_autoptr(GSocketAddress) peer = NULL;
          g_autoptr(GSocket) accepted = sl_sockops_accept (self->socket, &peer, &errsv);

          if (accepted != NULL)
            {
              take_accepted (self, accepted, peer);
              continue;
            }
        }
      else if (receive_one_datagram (self, &errsv))
        continue;

      if (errsv == EAGAIN)
        break;

      if (is_stream (self))
        {
          g_autofree char *summary = accept_call ();
          trace_errno (self, summary, errsv);
        }
      else
        {
          g_autofree char *summary = g_strdup_printf ("%s.recvfrom(%d)", variable (self),
                                                      sl_endpoint_config_get_bufsize (self->config));
          trace_errno (self, summary, errsv);
        }

      if (errsv == EMFILE || errsv == ENFILE || errsv == ENOBUFS || errsv == ENOMEM)
        {
          /* Out of descriptors: the socket stays readable, so wait before trying again. */
          destroy_source (&self->io_source);
          self->retry_source = g_timeout_source_new (500);
          g_source_set_callback (self->retry_source, retry_io_cb, self, NULL);
          g_source_attach (self->retry_source, self->context);
          return G_SOURCE_REMOVE;
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
attach_io_source (SlEndpoint *self)
{
  if (self->io_source != NULL || self->socket == NULL)
    return;

  self->io_source = sl_sockops_watch (self->socket, G_IO_IN, self->context, io_ready_cb, self);
}

/* Stop. */

static void
close_listener (SlEndpoint *self)
{
  g_autofree char *summary = NULL;

  if (self->socket == NULL)
    return;

  summary = g_strdup_printf ("%s.close()", variable (self));
  sl_sockops_close (self->socket);
  g_clear_object (&self->socket);
  trace (self, SL_LOG_KIND_CALL, summary, "None", NULL);

  if (self->unix_path != NULL && sl_endpoint_is_server (self))
    {
      g_autofree char *unlink_call = g_strdup_printf ("os.unlink('%s')", self->unix_path);

      if (g_unlink (self->unix_path) == 0)
        trace (self, SL_LOG_KIND_CALL, unlink_call, "None",
               _("A Unix socket file stays after close(): remove it, or the next bind() "
                 "fails with EADDRINUSE."));
    }
  g_clear_pointer (&self->unix_path, g_free);
}

void
sl_endpoint_stop (SlEndpoint *self)
{
  G_GNUC_UNUSED g_autoptr(SlEndpoint) hold = NULL;
  guint n;

  g_return_if_fail (SL_IS_ENDPOINT (self));

  hold = g_object_ref (self);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  destroy_source (&self->io_source);
  destroy_source (&self->connect_source);
  destroy_source (&self->connect_timeout);
  destroy_source (&self->retry_source);
  destroy_source (&self->queue_source);
  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The endpoint was stopped before it finished starting."));
    }

  /* Close every conversation, newest last, each with its own close() row. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->connections));
  if (n > 0)
    {
      g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (open, g_list_model_get_item (G_LIST_MODEL (self->connections), i));
      for (guint i = 0; i < open->len; i++)
        sl_connection_shutdown_all (g_ptr_array_index (open, i));
      /* Datagram peers and connections busy in a worker leave the list now. */
      g_list_store_remove_all (self->connections);
      g_hash_table_remove_all (self->peers);
      g_queue_clear (&self->peer_lru);
      g_hash_table_remove_all (self->peer_links);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONNECTIONS]);
    }

  if (self->pending != NULL)
    {
      /* A worker thread still waits on the listening socket: close it once back. */
      self->close_after_pending = TRUE;
      g_cancellable_cancel (self->pending);
    }
  else
    close_listener (self);

  if (self->state != SL_ENDPOINT_STATE_ERROR)
    set_state (self, SL_ENDPOINT_STATE_STOPPED);
}

/* Sending. */

gboolean
sl_endpoint_send (SlEndpoint    *self,
                  SlConnection  *connection,
                  GBytes        *bytes,
                  GError       **error)
{
  g_return_val_if_fail (SL_IS_ENDPOINT (self), FALSE);
  g_return_val_if_fail (connection == NULL || SL_IS_CONNECTION (connection), FALSE);

  if (connection == NULL)
    connection = sl_endpoint_get_first_connection (self);
  if (connection == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                   sl_endpoint_is_server (self)
                   ? _("No client is connected, so there is nobody to send to. Connect a "
                       "client first.")
                   : _("The client is not connected. Start it first."));
      return FALSE;
    }

  return sl_connection_send (connection, bytes, error);
}

guint
sl_endpoint_send_to_all (SlEndpoint *self,
                         GBytes     *bytes)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  guint sent = 0;

  g_return_val_if_fail (SL_IS_ENDPOINT (self), 0);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->connections)); i++)
    g_ptr_array_add (open, g_list_model_get_item (G_LIST_MODEL (self->connections), i));
  for (guint i = 0; i < open->len; i++)
    if (sl_connection_send (g_ptr_array_index (open, i), bytes, NULL))
      sent++;

  return sent;
}

/* Manual accept() and recvfrom() for the blocking, non-blocking and timeout
 * modes: one worker thread waits; the result is handled on the main context. */

typedef struct
{
  GSocket        *socket;
  gboolean        datagram;
  gsize           bufsize;
  gint64          timeout_us;
  int             errsv;
  GSocket        *accepted;
  GSocketAddress *peer;
  GBytes         *bytes;
  gsize           real_size;
} EndpointCall;

typedef struct
{
  SlConnection *connection;
  GBytes       *bytes;
} CallResult;

static void
endpoint_call_free (EndpointCall *call)
{
  g_clear_object (&call->socket);
  g_clear_object (&call->accepted);
  g_clear_object (&call->peer);
  g_clear_pointer (&call->bytes, g_bytes_unref);
  g_free (call);
}

static void
call_result_free (CallResult *result)
{
  g_clear_object (&result->connection);
  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_free (result);
}

static void
endpoint_call_once (EndpointCall *call)
{
  if (call->datagram)
    {
      g_autofree guint8 *buffer = g_malloc (call->bufsize);
      gssize n = sl_sockops_recvfrom (call->socket, buffer, call->bufsize, &call->peer,
                                      &call->real_size, &call->errsv);

      if (n >= 0)
        call->bytes = g_bytes_new (buffer, n);
    }
  else
    call->accepted = sl_sockops_accept (call->socket, &call->peer, &call->errsv);
}

static void
endpoint_call_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  EndpointCall *call = task_data;

  call->errsv = sl_sockops_wait (call->socket, G_IO_IN, call->timeout_us, cancellable);
  if (call->errsv == 0)
    endpoint_call_once (call);
  g_task_return_boolean (task, TRUE);
}

static char *
endpoint_call_summary (SlEndpoint *self)
{
  if (is_stream (self))
    return accept_call ();
  return g_strdup_printf ("%s.recvfrom(%d)", variable (self),
                          sl_endpoint_config_get_bufsize (self->config));
}

static void
complete_call (SlEndpoint   *self,
               GTask        *task,
               EndpointCall *call)
{
  g_autofree char *summary = endpoint_call_summary (self);

  switch (call->errsv)
    {
    case 0:
      {
        CallResult *result = g_new0 (CallResult, 1);

        if (call->datagram)
          {
            result->connection = g_object_ref (peer_for (self, call->peer));
            result->bytes = g_bytes_ref (call->bytes);
            take_datagram (self, call->bytes, call->peer, call->real_size);
          }
        else
          {
            SlConnection *connection = take_accepted (self, call->accepted, call->peer);

            if (connection == NULL)
              {
                call_result_free (result);
                g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                                         _("The client was refused: max clients reached."));
                return;
              }
            result->connection = g_object_ref (connection);
          }
        g_task_return_pointer (task, result, (GDestroyNotify) call_result_free);
      }
      break;
    default:
      sl_endpoint_fail_call (self, NULL, task, summary, call->errsv);
      break;
    }
}

static void
endpoint_call_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  SlEndpoint *self = SL_ENDPOINT (object);
  g_autoptr(GTask) task = user_data;
  EndpointCall *call = g_task_get_task_data (G_TASK (result));

  sl_cancel_link_clear (&self->pending_link);
  g_clear_object (&self->pending);
  set_pending_call (self, NULL);

  if (self->close_after_pending)
    {
      g_autofree char *summary = endpoint_call_summary (self);

      /* Stopping cancelled the call: trace that, then the close() it waited for. */
      self->close_after_pending = FALSE;
      sl_endpoint_fail_call (self, NULL, task, summary, ECANCELED);
      close_listener (self);
      return;
    }

  complete_call (self, task, call);
}

static void
start_call (SlEndpoint          *self,
            gboolean             datagram,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autofree char *summary = NULL;
  SlIoMode mode = sl_endpoint_config_get_io_mode (self->config);
  EndpointCall *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (datagram == is_stream (self) || (!datagram && !sl_endpoint_is_server (self)))
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               datagram
                               ? _("recvfrom() is for UDP endpoints; TCP connections use recv().")
                               : _("Only a TCP server accepts connections."));
      return;
    }
  if (mode == SL_IO_MODE_ASYNC)
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               _("In async mode the endpoint calls this by itself; choose the "
                                 "blocking, non-blocking or timeout mode to call it yourself."));
      return;
    }
  if (self->pending != NULL)
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_BUSY,
                               _("A call is already waiting on this endpoint."));
      return;
    }
  if (self->socket == NULL || g_socket_is_closed (self->socket))
    {
      g_task_return_new_error (task, SL_ERROR, SL_ERROR_NOT_CONNECTED,
                               _("The endpoint is not running: start it first."));
      return;
    }

  call = g_new0 (EndpointCall, 1);
  call->socket = g_object_ref (self->socket);
  call->datagram = datagram;
  call->bufsize = sl_endpoint_config_get_bufsize (self->config);
  call->timeout_us = mode == SL_IO_MODE_TIMEOUT
                     ? (gint64) (sl_endpoint_config_get_timeout (self->config) * G_USEC_PER_SEC)
                     : -1;

  if (mode == SL_IO_MODE_NONBLOCKING)
    {
      endpoint_call_once (call);
      complete_call (self, task, call);
      endpoint_call_free (call);
      return;
    }

  summary = endpoint_call_summary (self);
  set_pending_call (self, summary + (datagram ? 0 : strlen ("conn, addr = ")));
  trace (self, SL_LOG_KIND_CALL, summary,
         mode == SL_IO_MODE_TIMEOUT ? _("… waiting (with timeout)") : _("… blocking"),
         mode == SL_IO_MODE_TIMEOUT
         ? _("The call waits until something arrives or the timeout expires.")
         : _("The call blocks: the program stops here until something arrives."));

  self->pending = g_cancellable_new ();
  worker = g_task_new (self, self->pending, endpoint_call_done_cb, g_object_ref (task));
  g_task_set_source_tag (worker, source_tag);
  g_task_set_task_data (worker, call, (GDestroyNotify) endpoint_call_free);
  sl_cancel_link_set (&self->pending_link, cancellable, self->pending);
  g_task_run_in_thread (worker, endpoint_call_thread);
}

void
sl_endpoint_accept_async (SlEndpoint          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (SL_IS_ENDPOINT (self));
  start_call (self, FALSE, sl_endpoint_accept_async, cancellable, callback, user_data);
}

SlConnection *
sl_endpoint_accept_finish (SlEndpoint    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  CallResult *call_result;
  SlConnection *connection;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  call_result = g_task_propagate_pointer (G_TASK (result), error);
  if (call_result == NULL)
    return NULL;
  connection = g_steal_pointer (&call_result->connection);
  call_result_free (call_result);
  return connection;
}

void
sl_endpoint_recvfrom_async (SlEndpoint          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (SL_IS_ENDPOINT (self));
  start_call (self, TRUE, sl_endpoint_recvfrom_async, cancellable, callback, user_data);
}

GBytes *
sl_endpoint_recvfrom_finish (SlEndpoint    *self,
                             GAsyncResult  *result,
                             SlConnection **peer,
                             GError       **error)
{
  CallResult *call_result;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  call_result = g_task_propagate_pointer (G_TASK (result), error);
  if (call_result == NULL)
    return NULL;
  if (peer != NULL)
    *peer = g_steal_pointer (&call_result->connection);
  bytes = g_steal_pointer (&call_result->bytes);
  call_result_free (call_result);
  return bytes;
}
