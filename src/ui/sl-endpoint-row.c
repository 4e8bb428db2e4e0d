/* sl-endpoint-row.c — one endpoint in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-endpoint-row.h"

struct _SlEndpointRow
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  GtkImage   *icon;
  GtkLabel   *title;
  GtkLabel   *address;
  GtkLabel   *badge;

  SlEndpoint *endpoint;
  const char *badge_class;
};

G_DEFINE_FINAL_TYPE (SlEndpointRow, sl_endpoint_row, GTK_TYPE_WIDGET)

const char *
sl_endpoint_icon_name (SlEndpoint *endpoint)
{
  SlEndpointConfig *config = sl_endpoint_get_config (endpoint);
  gboolean server = sl_endpoint_is_server (endpoint);

  if (sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_UDP)
    return server ? "network-receive-symbolic" : "network-transmit-symbolic";
  return server ? "network-server-symbolic" : "computer-symbolic";
}

char *
sl_endpoint_title (SlEndpoint *endpoint)
{
  return sl_endpoint_config_title (sl_endpoint_get_config (endpoint));
}

char *
sl_endpoint_config_title (SlEndpointConfig *config)
{
  gboolean tcp = sl_endpoint_config_get_protocol (config) == SL_PROTOCOL_TCP;
  gboolean server = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER;

  if (sl_endpoint_config_get_family (config) == SL_FAMILY_UNIX)
    {
      if (tcp)
        return g_strdup (server ? _("Unix stream server") : _("Unix stream client"));
      return g_strdup (server ? _("Unix datagram server") : _("Unix datagram client"));
    }
  if (tcp)
    return g_strdup (server ? _("TCP server") : _("TCP client"));
  return g_strdup (server ? _("UDP server") : _("UDP client"));
}

static char *
address_of (GSocketAddress *address)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

      if (g_inet_address_get_family (g_inet_socket_address_get_address (inet)) ==
          G_SOCKET_FAMILY_IPV6)
        return g_strdup_printf ("[%s]:%u", host, g_inet_socket_address_get_port (inet));
      return g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (inet));
    }
  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    return g_strdup (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)));
  return NULL;
}

char *
sl_endpoint_address_text (SlEndpoint *endpoint)
{
  SlEndpointConfig *config = sl_endpoint_get_config (endpoint);
  GSocketAddress *address;

  /* The real address once known (the port the kernel chose for port 0). */
  address = sl_endpoint_is_server (endpoint) ? sl_endpoint_get_local_address (endpoint)
                                             : sl_endpoint_get_remote_address (endpoint);
  if (address != NULL)
    {
      char *text = address_of (address);

      if (text != NULL)
        return text;
    }

  return sl_endpoint_config_address_text (config);
}

const char *
sl_endpoint_state_css_class (SlEndpointState state)
{
  switch (state)
    {
    case SL_ENDPOINT_STATE_LISTENING:
    case SL_ENDPOINT_STATE_CONNECTED:
      return "sl-state-live";
    case SL_ENDPOINT_STATE_STARTING:
    case SL_ENDPOINT_STATE_CONNECTING:
      return "sl-state-busy";
    case SL_ENDPOINT_STATE_ERROR:
      return "sl-state-error";
    case SL_ENDPOINT_STATE_STOPPED:
    case SL_ENDPOINT_STATE_CLOSED:
    default:
      return "sl-state-idle";
    }
}

static void
update (SlEndpointRow *self)
{
  g_autofree char *title = NULL;
  g_autofree char *address = NULL;
  g_autofree char *accessible = NULL;
  SlEndpointState state;
  const char *state_text;
  const char *css;

  if (self->endpoint == NULL)
    return;

  title = sl_endpoint_title (self->endpoint);
  address = sl_endpoint_address_text (self->endpoint);
  state = sl_endpoint_get_state (self->endpoint);
  state_text = sl_endpoint_state_to_string (state);

  gtk_image_set_from_icon_name (self->icon, sl_endpoint_icon_name (self->endpoint));
  gtk_label_set_label (self->title, title);
  gtk_label_set_label (self->address, address);
  gtk_label_set_label (self->badge, state_text);

  css = sl_endpoint_state_css_class (state);
  if (self->badge_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->badge), self->badge_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->badge), css);
  self->badge_class = css;

  if (state == SL_ENDPOINT_STATE_ERROR && sl_endpoint_get_error_message (self->endpoint) != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), sl_endpoint_get_error_message (self->endpoint));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);

  /* Translators: the sidebar row as a screen reader says it: "TCP server, 127.0.0.1:8888, listening". */
  accessible = g_strdup_printf (_("%s, %s, %s"), title, address, state_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
endpoint_notify_cb (SlEndpointRow *self)
{
  update (self);
}

void
sl_endpoint_row_set_endpoint (SlEndpointRow *self,
                              SlEndpoint    *endpoint)
{
  g_return_if_fail (SL_IS_ENDPOINT_ROW (self));

  if (self->endpoint == endpoint)
    return;

  if (self->endpoint != NULL)
    g_signal_handlers_disconnect_by_data (self->endpoint, self);
  g_set_object (&self->endpoint, endpoint);
  if (endpoint != NULL)
    {
      g_signal_connect_swapped (endpoint, "notify::state", G_CALLBACK (endpoint_notify_cb), self);
      update (self);
    }
}

SlEndpoint *
sl_endpoint_row_get_endpoint (SlEndpointRow *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_ROW (self), NULL);
  return self->endpoint;
}

static void
sl_endpoint_row_dispose (GObject *object)
{
  SlEndpointRow *self = SL_ENDPOINT_ROW (object);

  sl_endpoint_row_set_endpoint (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_ENDPOINT_ROW);

  G_OBJECT_CLASS (sl_endpoint_row_parent_class)->dispose (object);
}

static void
sl_endpoint_row_class_init (SlEndpointRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_endpoint_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-endpoint-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SlEndpointRow, box);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointRow, icon);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointRow, title);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointRow, address);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointRow, badge);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_endpoint_row_init (SlEndpointRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));
}

GtkWidget *
sl_endpoint_row_new (void)
{
  return g_object_new (SL_TYPE_ENDPOINT_ROW, NULL);
}
