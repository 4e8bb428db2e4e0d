/* sl-endpoint-page.c — everything about one endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-call-bar.h"
#include "sl-composer.h"
#include "sl-connection-list.h"
#include "sl-endpoint-page.h"
#include "sl-endpoint-row.h"
#include "sl-log-view.h"
#include "sl-sequence-diagram.h"
#include "sl-transfer-bar.h"
#include "sl-tcp-state.h"
#include "sl-tcp-state-diagram.h"
#include "sl-wrap-box.h"

struct _SlEndpointPage
{
  GtkWidget         parent_instance;

  GtkWidget        *content;
  GtkImage         *icon;
  GtkLabel         *title;
  GtkLabel         *badge;
  GtkLabel         *addresses;
  GtkLabel         *counters;
  GtkLabel         *error_label;
  GtkWidget        *connections_box;
  GtkWidget        *trace_tools;
  GtkStack         *lower_stack;
  gboolean          presentation;
  SlConnectionList *connection_list;
  SlCallBar        *call_bar;
  GtkDropDown      *payload_view;
  SlLogView        *log_view;
  SlComposer       *composer;
  GtkStack         *states_stack;
  AdwStatusPage    *states_status;
  SlTcpStateDiagram *state_diagram;
  GtkLabel         *state_label;
  SlSequenceDiagram *sequence_diagram;
  SlTransferBar    *transfer_bar;

  /* The conversation the diagram follows: kept after it closes, so that the
   * states the kernel goes through afterwards (FIN_WAIT_2, TIME_WAIT) still show. */
  SlConnection     *watched;
  GArray           *path;

  SlEndpoint       *endpoint;
  /* All the program's endpoints (the window's list): where the peer's end of
   * the watched conversation may be. */
  GListModel       *endpoints;
  GCancellable     *cancellable;
  const char       *badge_class;
  guint             tick_id;
};

G_DEFINE_FINAL_TYPE (SlEndpointPage, sl_endpoint_page, GTK_TYPE_WIDGET)

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void watch (SlEndpointPage *self,
                   SlConnection   *connection);

static void
toast (SlEndpointPage *self,
       const char     *message)
{
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, message);
}

static char *
format_address (GSocketAddress *address)
{
  return address != NULL ? sl_python_address (address) : g_strdup ("—");
}

static void
update_counters (SlEndpointPage *self)
{
  g_autofree char *in_size = NULL;
  g_autofree char *out_size = NULL;
  g_autofree char *messages_in = NULL;
  g_autofree char *messages_out = NULL;
  g_autofree char *text = NULL;

  if (self->endpoint == NULL)
    return;

  messages_in = g_strdup_printf ("%" G_GUINT64_FORMAT, sl_endpoint_get_messages_in (self->endpoint));
  messages_out = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                  sl_endpoint_get_messages_out (self->endpoint));
  in_size = g_format_size_full (sl_endpoint_get_bytes_in (self->endpoint), G_FORMAT_SIZE_LONG_FORMAT);
  out_size = g_format_size_full (sl_endpoint_get_bytes_out (self->endpoint),
                                 G_FORMAT_SIZE_LONG_FORMAT);
  /* Translators: the counters in an endpoint's header: messages and bytes received and sent. */
  text = g_strdup_printf (_("Received: %s messages, %s · Sent: %s messages, %s"),
                          messages_in, in_size, messages_out, out_size);
  gtk_label_set_label (self->counters, text);
}

static void
update_header (SlEndpointPage *self)
{
  g_autofree char *title = NULL;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *addresses = NULL;
  SlEndpointState state;
  const char *error;
  const char *css;
  gboolean running;

  if (self->endpoint == NULL)
    return;

  state = sl_endpoint_get_state (self->endpoint);
  title = sl_endpoint_title (self->endpoint);
  gtk_image_set_from_icon_name (self->icon, sl_endpoint_icon_name (self->endpoint));
  gtk_label_set_label (self->title, title);
  gtk_label_set_label (self->badge, sl_endpoint_state_to_string (state));
  css = sl_endpoint_state_css_class (state);
  if (self->badge_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), self->badge_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), css);
  self->badge_class = css;

  local = format_address (sl_endpoint_get_local_address (self->endpoint));
  if (sl_endpoint_is_server (self->endpoint))
    {
      if (sl_endpoint_get_local_address (self->endpoint) == NULL)
        {
          g_autofree char *configured = sl_endpoint_address_text (self->endpoint);

          /* Translators: a server's address before it is started. */
          addresses = g_strdup_printf (_("Will bind to %s"), configured);
        }
      else
        /* Translators: %s is an address as Python prints it, ('127.0.0.1', 8888). */
        addresses = g_strdup_printf (_("Local %s"), local);
    }
  else
    {
      g_autofree char *configured = sl_endpoint_address_text (self->endpoint);

      remote = sl_endpoint_get_remote_address (self->endpoint) != NULL
               ? format_address (sl_endpoint_get_remote_address (self->endpoint))
               : g_strdup (configured);
      /* Translators: a client's own address and, on the next line, the server's. */
      addresses = g_strdup_printf (_("Local %s\nRemote %s"), local, remote);
    }
  gtk_label_set_label (self->addresses, addresses);

  error = state == SL_ENDPOINT_STATE_ERROR ? sl_endpoint_get_error_message (self->endpoint) : NULL;
  gtk_label_set_label (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  running = state == SL_ENDPOINT_STATE_STARTING || state == SL_ENDPOINT_STATE_LISTENING ||
            state == SL_ENDPOINT_STATE_CONNECTING || state == SL_ENDPOINT_STATE_CONNECTED;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.start", !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.stop", running);

  update_counters (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  update_counters (user_data);
  return G_SOURCE_CONTINUE;
}

static void
sl_endpoint_page_map (GtkWidget *widget)
{
  SlEndpointPage *self = SL_ENDPOINT_PAGE (widget);

  GTK_WIDGET_CLASS (sl_endpoint_page_parent_class)->map (widget);
  /* AdwButtonContent labels its button once the page is in a window. */
  sl_accessible_own_labels (widget);

  /* The counters do not notify (they change with every message): poll them while visible. */
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add (500, tick_cb, self);
  update_counters (self);
}

static void
sl_endpoint_page_unmap (GtkWidget *widget)
{
  SlEndpointPage *self = SL_ENDPOINT_PAGE (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (sl_endpoint_page_parent_class)->unmap (widget);
}

static void
selected_connection_cb (SlEndpointPage *self)
{
  SlConnection *connection = sl_connection_list_get_selected (self->connection_list);

  sl_composer_set_connection (self->composer, connection);
  sl_call_bar_set_connection (self->call_bar, connection);
  watch (self, connection);
}

static void
update_states (SlEndpointPage *self)
{
  SlTcpState state;
  g_autofree char *text = NULL;

  if (self->endpoint != NULL &&
      (sl_endpoint_config_get_protocol (sl_endpoint_get_config (self->endpoint)) != SL_PROTOCOL_TCP ||
       sl_endpoint_config_get_family (sl_endpoint_get_config (self->endpoint)) == SL_FAMILY_UNIX))
    {
      adw_status_page_set_title (self->states_status, _("No TCP States Here"));
      adw_status_page_set_description (self->states_status,
                                       sl_endpoint_config_get_protocol (sl_endpoint_get_config (self->endpoint)) == SL_PROTOCOL_UDP
                                       ? _("UDP has no connection, so it has no states: every datagram "
                                           "stands alone, with no handshake and no close.")
                                       : _("A Unix domain socket is not TCP: the kernel keeps no TCP "
                                           "states for it."));
      gtk_stack_set_visible_child_name (self->states_stack, "none");
      return;
    }

  adw_status_page_set_title (self->states_status, _("No Connection Yet"));
  adw_status_page_set_description (self->states_status,
                                   _("Start the endpoint and connect: the diagram then follows the "
                                     "selected connection through the kernel's TCP states."));
  if (self->watched == NULL || self->path->len == 0)
    {
      gtk_stack_set_visible_child_name (self->states_stack, "none");
      return;
    }

  state = g_array_index (self->path, SlTcpState, self->path->len - 1);
  sl_tcp_state_diagram_set_state (self->state_diagram, state);
  sl_tcp_state_diagram_set_path (self->state_diagram, (const SlTcpState *) self->path->data,
                                 self->path->len);
  /* Translators: the kernel state of the selected connection, its peer, and what it means. */
  text = g_strdup_printf (_("%s with %s: %s"), sl_tcp_state_to_string (state),
                          sl_connection_get_peer (self->watched), sl_tcp_state_explain (state));
  gtk_label_set_label (self->state_label, text);
  gtk_stack_set_visible_child_name (self->states_stack, "diagram");
}

static void
watched_state_cb (SlEndpointPage *self)
{
  SlTcpState state = sl_connection_get_tcp_state (self->watched);

  if (state != SL_TCP_STATE_UNKNOWN &&
      (self->path->len == 0 || g_array_index (self->path, SlTcpState, self->path->len - 1) != state))
    g_array_append_val (self->path, state);
  update_states (self);
}

static gboolean
same_inet_address (GSocketAddress *a,
                   GSocketAddress *b)
{
  GInetSocketAddress *ia, *ib;

  if (!G_IS_INET_SOCKET_ADDRESS (a) || !G_IS_INET_SOCKET_ADDRESS (b))
    return FALSE;
  ia = G_INET_SOCKET_ADDRESS (a);
  ib = G_INET_SOCKET_ADDRESS (b);

  return g_inet_socket_address_get_port (ia) == g_inet_socket_address_get_port (ib)
         && g_inet_address_equal (g_inet_socket_address_get_address (ia),
                                  g_inet_socket_address_get_address (ib));
}

/* The other end of @connection when it is one of this program's endpoints
 * (the demo pair): its local address is our remote one and the other way round. */
SlConnection *
sl_endpoint_page_find_peer_connection (GListModel   *endpoints,
                                       SlConnection *connection)
{
  GSocketAddress *local = sl_connection_get_local_address (connection);
  GSocketAddress *remote = sl_connection_get_remote_address (connection);
  guint n;

  g_return_val_if_fail (endpoints == NULL || G_IS_LIST_MODEL (endpoints), NULL);
  g_return_val_if_fail (SL_IS_CONNECTION (connection), NULL);

  if (endpoints == NULL || local == NULL || remote == NULL
      || sl_connection_is_datagram (connection))
    return NULL;

  n = g_list_model_get_n_items (endpoints);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpoint) other = g_list_model_get_item (endpoints, i);
      GListModel *connections;
      guint n_connections;

      if (other == sl_connection_get_endpoint (connection))
        continue;
      connections = sl_endpoint_get_connections (other);
      n_connections = g_list_model_get_n_items (connections);
      for (guint j = 0; j < n_connections; j++)
        {
          g_autoptr(SlConnection) candidate = g_list_model_get_item (connections, j);

          if (same_inet_address (sl_connection_get_local_address (candidate), remote)
              && same_inet_address (sl_connection_get_remote_address (candidate), local))
            return g_steal_pointer (&candidate);
        }
    }

  return NULL;
}

/* Looks for the peer's end until it is found: the other endpoint may learn of
 * the conversation a moment after this one. */
static void
update_sequence_peer (SlEndpointPage *self)
{
  g_autoptr(SlConnection) peer = NULL;

  if (self->sequence_diagram == NULL || self->watched == NULL
      || sl_sequence_diagram_has_peer (self->sequence_diagram))
    return;

  peer = sl_endpoint_page_find_peer_connection (self->endpoints, self->watched);
  if (peer != NULL)
    sl_sequence_diagram_set_peer_log (self->sequence_diagram,
                                      sl_endpoint_get_log (sl_connection_get_endpoint (peer)),
                                      sl_connection_get_id (peer));
}

/* New rows: the peer's end, if it is in this program, shows up within
 * milliseconds of the conversation; after that, searching every endpoint's
 * connections at each batch of rows (a flood) would be wasted. */
static void
log_changed_cb (SlEndpointPage *self)
{
  if (self->watched != NULL
      && g_get_monotonic_time () - sl_connection_get_created_time (self->watched)
         < SL_ENDPOINT_PAGE_PEER_SEARCH_US)
    update_sequence_peer (self);
}

/* The sequence diagram draws the watched connection's rows of the trace. */
static void
update_sequence (SlEndpointPage *self)
{
  g_autofree char *local = NULL;

  if (self->sequence_diagram == NULL)
    return;
  if (self->watched == NULL || self->endpoint == NULL)
    {
      sl_sequence_diagram_set_log (self->sequence_diagram, NULL, 0);
      sl_sequence_diagram_set_peer_log (self->sequence_diagram, NULL, 0);
      sl_sequence_diagram_set_addresses (self->sequence_diagram, NULL, NULL);
      return;
    }

  /* Both as Python prints them, like the peer. */
  if (sl_connection_get_local_address (self->watched) != NULL)
    local = sl_python_address (sl_connection_get_local_address (self->watched));
  sl_sequence_diagram_set_addresses (self->sequence_diagram, local,
                                     sl_connection_get_peer (self->watched));
  sl_sequence_diagram_set_peer_log (self->sequence_diagram, NULL, 0);
  sl_sequence_diagram_set_log (self->sequence_diagram, sl_endpoint_get_log (self->endpoint),
                               sl_connection_get_id (self->watched));
  update_sequence_peer (self);
}

static void
watch (SlEndpointPage *self,
       SlConnection   *connection)
{
  if (connection == NULL || connection == self->watched)
    return;

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_set_object (&self->watched, connection);
  g_array_set_size (self->path, 0);
  update_sequence (self);
  g_signal_connect_swapped (connection, "notify::tcp-state", G_CALLBACK (watched_state_cb), self);
  watched_state_cb (self);
}

static void
unwatch (SlEndpointPage *self)
{
  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_clear_object (&self->watched);
  if (self->path != NULL)
    g_array_set_size (self->path, 0);
  update_sequence (self);
}

static void
connections_changed_cb (SlEndpointPage *self)
{
  /* A client's diagram follows its one conversation; a server's the first until one is chosen. */
  if (self->watched == NULL || !sl_endpoint_is_server (self->endpoint))
    watch (self, sl_endpoint_get_first_connection (self->endpoint));
  update_states (self);
}

static void
failed_cb (SlEndpointPage *self,
           GError         *error)
{
  toast (self, error->message);
}

static void
exported_cb (SlEndpointPage *self,
             GFile          *file)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *message = g_strdup_printf (_("Call trace saved to %s"), name);

  toast (self, message);
}

static void
payload_view_cb (SlEndpointPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->payload_view);

  if (selected != GTK_INVALID_LIST_POSITION)
    sl_log_view_set_payload_encoding (self->log_view, (SlEncoding) selected);
}

static void
state_cb (SlEndpointPage *self)
{
  update_header (self);
}

void
sl_endpoint_page_set_endpoint (SlEndpointPage *self,
                               SlEndpoint     *endpoint)
{
  SlEndpointConfig *config;
  gboolean server_list;

  g_return_if_fail (SL_IS_ENDPOINT_PAGE (self));
  g_return_if_fail (endpoint == NULL || SL_IS_ENDPOINT (endpoint));

  if (self->endpoint == endpoint)
    return;

  if (self->endpoint != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->endpoint, self);
      g_signal_handlers_disconnect_by_data (sl_endpoint_get_connections (self->endpoint), self);
      g_signal_handlers_disconnect_by_data (sl_endpoint_get_log (self->endpoint), self);
    }
  sl_transfer_bar_stop_all (self->transfer_bar);
  g_set_object (&self->endpoint, endpoint);
  unwatch (self);

  sl_connection_list_set_endpoint (self->connection_list, endpoint);
  sl_call_bar_set_endpoint (self->call_bar, endpoint);
  sl_composer_set_endpoint (self->composer, endpoint);
  sl_log_view_set_log (self->log_view, endpoint != NULL ? sl_endpoint_get_log (endpoint) : NULL);

  if (endpoint == NULL)
    {
      update_states (self);
      return;
    }

  config = sl_endpoint_get_config (endpoint);
  gtk_drop_down_set_selected (self->payload_view, sl_endpoint_config_get_encoding (config));

  /* A server lists its clients; a UDP endpoint its peers; a TCP client has just one. */
  server_list = sl_endpoint_is_server (endpoint) ||
                sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_UDP;
  gtk_widget_set_visible (self->connections_box, server_list);

  g_signal_connect_swapped (endpoint, "notify::state", G_CALLBACK (state_cb), self);
  g_signal_connect_swapped (endpoint, "notify::error-message", G_CALLBACK (state_cb), self);
  g_signal_connect_swapped (sl_endpoint_get_connections (endpoint), "items-changed",
                            G_CALLBACK (connections_changed_cb), self);
  g_signal_connect_swapped (sl_endpoint_get_log (endpoint), "items-changed",
                            G_CALLBACK (log_changed_cb), self);
  connections_changed_cb (self);
  update_header (self);
}

void
sl_endpoint_page_set_endpoints (SlEndpointPage *self,
                                GListModel     *endpoints)
{
  g_return_if_fail (SL_IS_ENDPOINT_PAGE (self));
  g_return_if_fail (endpoints == NULL || G_IS_LIST_MODEL (endpoints));

  g_set_object (&self->endpoints, endpoints);
  update_sequence_peer (self);
}

SlConnection *
sl_endpoint_page_get_watched (SlEndpointPage *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_PAGE (self), NULL);
  return self->watched;
}

void
sl_endpoint_page_set_presentation (SlEndpointPage *self,
                                   gboolean        presentation)
{
  g_return_if_fail (SL_IS_ENDPOINT_PAGE (self));

  self->presentation = !!presentation;
  /* For projectors: not the tools to sift the trace, and for TCP the kernel's
   * state machine, which reads from the back of the room (the trace is a tab away). */
  gtk_widget_set_visible (self->trace_tools, !self->presentation);
  if (self->presentation && self->endpoint != NULL
      && sl_endpoint_config_get_protocol (sl_endpoint_get_config (self->endpoint))
         == SL_PROTOCOL_TCP)
    gtk_stack_set_visible_child_name (self->lower_stack, "states");
}

SlEndpoint *
sl_endpoint_page_get_endpoint (SlEndpointPage *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_PAGE (self), NULL);
  return self->endpoint;
}

GtkWidget *
sl_endpoint_page_get_log_view (SlEndpointPage *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_PAGE (self), NULL);
  return GTK_WIDGET (self->log_view);
}

GtkWidget *
sl_endpoint_page_get_composer (SlEndpointPage *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_PAGE (self), NULL);
  return GTK_WIDGET (self->composer);
}

GtkWidget *
sl_endpoint_page_get_connection_list (SlEndpointPage *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_PAGE (self), NULL);
  return GTK_WIDGET (self->connection_list);
}

GtkWidget *
sl_endpoint_page_get_call_bar (SlEndpointPage *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_PAGE (self), NULL);
  return GTK_WIDGET (self->call_bar);
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SlEndpointPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sl_endpoint_start_finish (SL_ENDPOINT (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

void
sl_endpoint_page_start (SlEndpointPage *self)
{
  g_return_if_fail (SL_IS_ENDPOINT_PAGE (self));

  if (self->endpoint == NULL)
    return;
  sl_endpoint_start_async (self->endpoint, self->cancellable, start_cb, g_object_ref (self));
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  sl_endpoint_page_start (SL_ENDPOINT_PAGE (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlEndpointPage *self = SL_ENDPOINT_PAGE (widget);

  if (self->endpoint != NULL)
    sl_endpoint_stop (self->endpoint);
}

/* The trace toolbar sits beside the log view, outside its action scope. */
static void
forward_to_log_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SlEndpointPage *self = SL_ENDPOINT_PAGE (widget);
  static const struct { const char *page; const char *log; } map[] = {
    { "page.search", "log.search" },
    { "page.clear-log", "log.clear" },
    { "page.copy-row", "log.copy-row" },
    { "page.what-is-this", "log.what-is-this" },
    { "page.export-text", "log.export-text" },
    { "page.export-json", "log.export-json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (action_name, map[i].page))
      gtk_widget_activate_action (GTK_WIDGET (self->log_view), map[i].log, NULL);
}

static void
sl_endpoint_page_dispose (GObject *object)
{
  SlEndpointPage *self = SL_ENDPOINT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->endpoint != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->endpoint, self);
      g_signal_handlers_disconnect_by_data (sl_endpoint_get_connections (self->endpoint), self);
      g_signal_handlers_disconnect_by_data (sl_endpoint_get_log (self->endpoint), self);
    }
  g_clear_object (&self->endpoint);
  g_clear_object (&self->endpoints);
  unwatch (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_ENDPOINT_PAGE);

  G_OBJECT_CLASS (sl_endpoint_page_parent_class)->dispose (object);
}

static void
sl_endpoint_page_finalize (GObject *object)
{
  SlEndpointPage *self = SL_ENDPOINT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->path, g_array_unref);

  G_OBJECT_CLASS (sl_endpoint_page_parent_class)->finalize (object);
}

/* Wide enough for every toolbar on one line. */
#define NATURAL_WIDTH 640

/* The page is height-for-width: its width never depends on the height it
 * is given. Measured for a short height, GtkBox would ask its wrapping labels
 * to fit in one line and the page would want its natural width (918 pixels
 * instead of 430), too wide for half of a projector's screen. */
static GtkSizeRequestMode
sl_endpoint_page_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sl_endpoint_page_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int child_min, child_nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation,
                          orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : for_size,
                          &child_min, &child_nat, NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
  /* A page is happy at NATURAL_WIDTH: the trace's long rows would ask for
   * twice that, folding the sidebar away and widening the window. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *natural = MAX (*minimum, MIN (*natural, NATURAL_WIDTH));
}

static void
sl_endpoint_page_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
sl_endpoint_page_class_init (SlEndpointPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_endpoint_page_dispose;
  object_class->finalize = sl_endpoint_page_finalize;
  widget_class->map = sl_endpoint_page_map;
  widget_class->unmap = sl_endpoint_page_unmap;
  widget_class->get_request_mode = sl_endpoint_page_get_request_mode;
  widget_class->measure = sl_endpoint_page_measure;
  widget_class->size_allocate = sl_endpoint_page_size_allocate;

  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SL_TYPE_CONNECTION_LIST);
  g_type_ensure (SL_TYPE_CALL_BAR);
  g_type_ensure (SL_TYPE_LOG_VIEW);
  g_type_ensure (SL_TYPE_COMPOSER);
  g_type_ensure (SL_TYPE_TCP_STATE_DIAGRAM);
  g_type_ensure (SL_TYPE_SEQUENCE_DIAGRAM);
  g_type_ensure (SL_TYPE_TRANSFER_BAR);
  g_type_ensure (SL_TYPE_WRAP_BOX);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-endpoint-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, content);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, icon);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, title);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, badge);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, addresses);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, counters);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, connections_box);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, trace_tools);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, lower_stack);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, connection_list);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, call_bar);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, payload_view);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, log_view);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, composer);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, states_stack);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, states_status);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, state_diagram);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, sequence_diagram);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointPage, transfer_bar);

  gtk_widget_class_install_action (widget_class, "page.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "page.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, forward_to_log_action);
  gtk_widget_class_install_action (widget_class, "page.clear-log", NULL, forward_to_log_action);
  gtk_widget_class_install_action (widget_class, "page.copy-row", NULL, forward_to_log_action);
  gtk_widget_class_install_action (widget_class, "page.what-is-this", NULL,
                                   forward_to_log_action);
  gtk_widget_class_install_action (widget_class, "page.export-text", NULL, forward_to_log_action);
  gtk_widget_class_install_action (widget_class, "page.export-json", NULL, forward_to_log_action);
}

static void
sl_endpoint_page_init (SlEndpointPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->path = g_array_new (FALSE, FALSE, sizeof (SlTcpState));
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  g_signal_connect_swapped (self->connection_list, "notify::selected",
                            G_CALLBACK (selected_connection_cb), self);
  g_signal_connect_swapped (self->connection_list, "failed", G_CALLBACK (failed_cb), self);
  g_signal_connect_swapped (self->call_bar, "failed", G_CALLBACK (failed_cb), self);
  g_signal_connect_swapped (self->composer, "failed", G_CALLBACK (failed_cb), self);
  sl_transfer_bar_set_composer (self->transfer_bar, self->composer);
  g_signal_connect_swapped (self->transfer_bar, "toast", G_CALLBACK (toast), self);
  g_signal_connect_swapped (self->log_view, "failed", G_CALLBACK (failed_cb), self);
  g_signal_connect_swapped (self->log_view, "exported", G_CALLBACK (exported_cb), self);
  g_signal_connect_swapped (self->payload_view, "notify::selected",
                            G_CALLBACK (payload_view_cb), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.stop", FALSE);
}

GtkWidget *
sl_endpoint_page_new (void)
{
  return g_object_new (SL_TYPE_ENDPOINT_PAGE, NULL);
}
