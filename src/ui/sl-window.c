/* sl-window.c — the Socket Lab main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-endpoint-page.h"
#include "sl-endpoint-row.h"
#include "sl-file-chooser.h"
#include "sl-lab-panel.h"
#include "sl-log.h"
#include "sl-new-endpoint-dialog.h"
#include "sl-preferences-window.h"
#include "sl-python-dialog.h"
#include "sl-reference-window.h"
#include "sl-sequence-diagram.h"
#include "sl-window.h"
#include "sl-workspace.h"

#define ZOOM_MIN  0.5
#define ZOOM_MAX  3.0
#define ZOOM_STEP 0.1
/* Presentation mode enlarges the zoom in use by this much. */
#define PRESENTATION_SCALE 1.35

/* How many workspaces the start screen lists. */
#define MAX_RECENT 5

/* The tutorials' server: 127.0.0.1:8888, uppercase reply. */
#define DEMO_PORT 8888

struct _SlWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkStack             *sidebar_stack;
  GtkListView          *endpoint_list;
  GtkWidget            *content_box;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  GtkStack             *pages_stack;
  SlEndpointPage       *left_page;
  SlEndpointPage       *right_page;
  GtkPaned             *side_paned;
  GtkWidget            *endpoint_menu_button;
  GtkWidget            *side_by_side_button;
  GtkWidget            *sidebar;
  GtkWidget            *presentation_scroller;
  SlSequenceDiagram    *presentation_diagram;
  GtkWidget            *leave_presentation_button;
  GtkRevealer          *lab_revealer;
  SlLabPanel           *lab_panel;
  GtkListBox           *recent_list;
  GtkWidget            *reference_window;   /* weak */

  GListStore           *endpoints;
  GtkSingleSelection   *selection;
  GHashTable           *pages;            /* SlEndpoint → SlEndpointPage (owned by pages_stack) */
  GtkCssProvider       *zoom_provider;
  GCancellable         *cancellable;
  gboolean              side_by_side;
  gboolean              presentation;
  /* The client whose conversation the presentation's sequence diagram draws. */
  SlEndpoint           *presented_client;
};

G_DEFINE_FINAL_TYPE (SlWindow, sl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_SIDE_BY_SIDE,
  PROP_PRESENTATION,
  PROP_SHOW_LABS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_view      (SlWindow *self);
static void apply_zoom       (SlWindow *self);
static void set_zoom         (SlWindow *self,
                              double    zoom);
static void set_presentation (SlWindow *self,
                              gboolean  presentation);
static void set_side_by_side (SlWindow *self,
                              gboolean  side_by_side);

SlWindow *
sl_window_new (SlApplication *application)
{
  g_return_val_if_fail (SL_IS_APPLICATION (application), NULL);

  return g_object_new (SL_TYPE_WINDOW,
                       "application", application,
                       "settings", sl_application_get_settings (application),
                       NULL);
}

void
sl_window_add_toast (SlWindow   *self,
                     const char *message)
{
  AdwToast *toast;

  g_return_if_fail (SL_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
page_toast_cb (SlEndpointPage *page,
               const char     *message,
               SlWindow       *self)
{
  sl_window_add_toast (self, message);
}

/* Endpoints. */

GListModel *
sl_window_get_endpoints (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->endpoints);
}

SlEndpoint *
sl_window_get_selected_endpoint (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return gtk_single_selection_get_selected_item (self->selection);
}

void
sl_window_select_endpoint (SlWindow   *self,
                           SlEndpoint *endpoint)
{
  guint position;

  g_return_if_fail (SL_IS_WINDOW (self));

  if (g_list_store_find (self->endpoints, endpoint, &position))
    gtk_single_selection_set_selected (self->selection, position);
}

GtkWidget *
sl_window_get_page (SlWindow   *self,
                    SlEndpoint *endpoint)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return g_hash_table_lookup (self->pages, endpoint);
}

GtkWidget *
sl_window_get_side_page (SlWindow *self,
                         gboolean  right)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return GTK_WIDGET (right ? self->right_page : self->left_page);
}

static guint
log_cap (SlWindow *self)
{
  return self->settings != NULL ? g_settings_get_uint (self->settings, "log-max-entries") : 0;
}

SlEndpoint *
sl_window_add_endpoint (SlWindow         *self,
                        SlEndpointConfig *config,
                        gboolean          start)
{
  g_autoptr(SlLog) log = NULL;
  g_autoptr(SlEndpoint) endpoint = NULL;
  g_autofree char *name = NULL;
  GtkWidget *page;

  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (config), NULL);

  log = sl_log_new (log_cap (self));
  endpoint = sl_endpoint_new (config, log);

  page = sl_endpoint_page_new ();
  sl_endpoint_page_set_endpoint (SL_ENDPOINT_PAGE (page), endpoint);
  sl_endpoint_page_set_endpoints (SL_ENDPOINT_PAGE (page), G_LIST_MODEL (self->endpoints));
  g_signal_connect (page, "toast", G_CALLBACK (page_toast_cb), self);
  name = g_strdup_printf ("endpoint-%u", sl_endpoint_get_id (endpoint));
  gtk_stack_add_named (self->pages_stack, page, name);
  g_hash_table_insert (self->pages, endpoint, page);

  g_list_store_append (self->endpoints, endpoint);
  sl_window_select_endpoint (self, endpoint);
  if (start)
    sl_endpoint_page_start (SL_ENDPOINT_PAGE (page));

  return endpoint;
}

void
sl_window_remove_endpoint (SlWindow   *self,
                           SlEndpoint *endpoint)
{
  g_autoptr(SlEndpoint) hold = NULL;
  GtkWidget *page;
  guint position;

  g_return_if_fail (SL_IS_WINDOW (self));

  if (!g_list_store_find (self->endpoints, endpoint, &position))
    return;

  hold = g_object_ref (endpoint);
  sl_endpoint_stop (endpoint);

  if (sl_endpoint_page_get_endpoint (self->left_page) == endpoint)
    sl_endpoint_page_set_endpoint (self->left_page, NULL);
  if (sl_endpoint_page_get_endpoint (self->right_page) == endpoint)
    sl_endpoint_page_set_endpoint (self->right_page, NULL);

  page = g_hash_table_lookup (self->pages, endpoint);
  g_hash_table_remove (self->pages, endpoint);
  if (page != NULL)
    gtk_stack_remove (self->pages_stack, page);

  g_list_store_remove (self->endpoints, position);
  update_view (self);
}

/* The side-by-side pair: the selected endpoint and the most recent endpoint
 * of the other role, the server on the left. */
static gboolean
find_pair (SlWindow    *self,
           SlEndpoint **server,
           SlEndpoint **client)
{
  SlEndpoint *selected = sl_window_get_selected_endpoint (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->endpoints));

  *server = *client = NULL;
  if (selected != NULL)
    {
      if (sl_endpoint_is_server (selected))
        *server = selected;
      else
        *client = selected;
    }

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (self->endpoints), i - 1);

      if (*server == NULL && sl_endpoint_is_server (endpoint))
        *server = endpoint;
      else if (*client == NULL && !sl_endpoint_is_server (endpoint))
        *client = endpoint;
    }

  return *server != NULL && *client != NULL;
}

static void
update_title (SlWindow *self)
{
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);
  g_autofree char *title = NULL;
  g_autofree char *address = NULL;

  if (endpoint == NULL || self->side_by_side)
    {
      adw_window_title_set_title (self->content_title,
                                  self->side_by_side ? _("Side by Side") : _("Socket Lab"));
      adw_window_title_set_subtitle (self->content_title, NULL);
      return;
    }

  title = sl_endpoint_title (endpoint);
  address = sl_endpoint_address_text (endpoint);
  adw_window_title_set_title (self->content_title, title);
  adw_window_title_set_subtitle (self->content_title, address);
}

static gboolean
center_divider_cb (gpointer user_data)
{
  SlWindow *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self->side_paned));

  if (width > 0)
    gtk_paned_set_position (self->side_paned, width / 2);
  return G_SOURCE_REMOVE;
}

static void
update_view (SlWindow *self)
{
  gboolean was_side_by_side = self->side_by_side;
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->endpoints)) > 0;
  SlEndpoint *server, *client;

  gtk_stack_set_visible_child_name (self->sidebar_stack, any ? "list" : "empty");
  /* Nothing to act on yet: the start screen offers what to do. */
  gtk_widget_set_visible (self->endpoint_menu_button, any);
  gtk_widget_set_visible (self->side_by_side_button, any);

  if (!any)
    {
      self->side_by_side = FALSE;
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
    }
  else if (self->side_by_side && find_pair (self, &server, &client))
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self->content_stack));

      sl_endpoint_page_set_endpoint (self->left_page, server);
      sl_endpoint_page_set_endpoint (self->right_page, client);
      gtk_stack_set_visible_child_name (self->content_stack, "side-by-side");
      /* Half and half: GtkPaned would otherwise give the server its natural width. */
      if (!was_side_by_side)
        {
          /* Two pages need the room of a projector's screen. */
          if (!gtk_window_is_fullscreen (GTK_WINDOW (self)))
            gtk_window_maximize (GTK_WINDOW (self));
          if (width > 0)
            gtk_paned_set_position (self->side_paned, width / 2);
          g_idle_add_full (G_PRIORITY_LOW, center_divider_cb, g_object_ref (self), g_object_unref);
        }
    }
  else
    {
      GtkWidget *page = endpoint != NULL ? g_hash_table_lookup (self->pages, endpoint) : NULL;

      self->side_by_side = FALSE;
      if (page != NULL)
        gtk_stack_set_visible_child (self->pages_stack, page);
      gtk_stack_set_visible_child_name (self->content_stack, "single");
    }

  if (self->presentation && !self->side_by_side)
    set_presentation (self, FALSE);
  else if (self->presentation)
    {
      sl_endpoint_page_set_presentation (self->left_page, TRUE);
      sl_endpoint_page_set_presentation (self->right_page, TRUE);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", endpoint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", endpoint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.duplicate", endpoint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove", endpoint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-log", endpoint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", endpoint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-python", endpoint != NULL);
  update_title (self);
  if (was_side_by_side != self->side_by_side)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDE_BY_SIDE]);
}

static void
selection_changed_cb (SlWindow *self)
{
  update_view (self);
  if (sl_window_get_selected_endpoint (self) != NULL)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
endpoint_activated_cb (SlWindow *self,
                       guint     position)
{
  gtk_single_selection_set_selected (self->selection, position);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* The sidebar list. */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, sl_endpoint_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  sl_endpoint_row_set_endpoint (SL_ENDPOINT_ROW (gtk_list_item_get_child (item)),
                                gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  sl_endpoint_row_set_endpoint (SL_ENDPOINT_ROW (gtk_list_item_get_child (item)), NULL);
}

/* The current page, where search and clear go. */
static SlEndpointPage *
current_page (SlWindow *self)
{
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);

  if (self->side_by_side)
    {
      if (endpoint == sl_endpoint_page_get_endpoint (self->right_page))
        return self->right_page;
      return self->left_page;
    }
  return endpoint != NULL ? g_hash_table_lookup (self->pages, endpoint) : NULL;
}

/* Actions. */

static void
dialog_create_cb (SlNewEndpointDialog *dialog,
                  SlEndpointConfig    *config,
                  SlWindow            *self)
{
  sl_window_add_endpoint (self, config, TRUE);
}

static void
new_endpoint_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  SlNewEndpointDialog *dialog;

  dialog = sl_new_endpoint_dialog_new (GTK_WINDOW (self), self->settings, NULL);
  /* The form zooms with the trace, for projectors. */
  gtk_widget_add_css_class (GTK_WIDGET (dialog), "sl-zoom");
  g_signal_connect_object (dialog, "create", G_CALLBACK (dialog_create_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct
{
  SlWindow   *window;
  SlEndpoint *server;
  gboolean    retried;
} DemoPair;

static void
demo_pair_free (DemoPair *pair)
{
  g_clear_object (&pair->window);
  g_clear_object (&pair->server);
  g_free (pair);
}

static void
demo_server_started_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  DemoPair *pair = user_data;
  SlWindow *self = pair->window;
  g_autoptr(SlEndpointConfig) client = NULL;
  g_autoptr(GError) error = NULL;

  if (!sl_endpoint_start_finish (pair->server, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE) && !pair->retried)
        {
          /* Someone already has 8888: let the kernel pick a free port instead. */
          pair->retried = TRUE;
          sl_endpoint_config_set_port (sl_endpoint_get_config (pair->server), 0);
          sl_window_add_toast (self, _("Port 8888 is in use, so the demo server takes any free "
                                       "port instead."));
          sl_endpoint_start_async (pair->server, self->cancellable, demo_server_started_cb, pair);
          return;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sl_window_add_toast (self, error->message);
      demo_pair_free (pair);
      return;
    }

  client = sl_endpoint_config_new ();
  sl_endpoint_config_set_role (client, SL_ROLE_CLIENT);
  sl_endpoint_config_set_port (client, sl_endpoint_get_local_port (pair->server));
  sl_endpoint_config_set_reply_mode (client, SL_REPLY_NONE);
  sl_window_add_endpoint (self, client, TRUE);

  set_side_by_side (self, TRUE);
  demo_pair_free (pair);
}

static void
demo_pair_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  g_autoptr(SlEndpointConfig) server = sl_endpoint_config_new ();
  DemoPair *pair;

  /* The defaults are the tutorials' server: TCP, 127.0.0.1:8888, backlog 5, uppercase reply. */
  sl_endpoint_config_set_port (server, DEMO_PORT);
  sl_endpoint_config_set_reuseaddr (server, TRUE);

  pair = g_new0 (DemoPair, 1);
  pair->window = g_object_ref (self);
  pair->server = g_object_ref (sl_window_add_endpoint (self, server, FALSE));
  sl_endpoint_start_async (pair->server, self->cancellable, demo_server_started_cb, pair);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);
  SlEndpointPage *page;

  if (endpoint == NULL)
    return;
  page = g_hash_table_lookup (self->pages, endpoint);
  sl_endpoint_page_start (page);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (SL_WINDOW (widget));

  if (endpoint != NULL)
    sl_endpoint_stop (endpoint);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);

  /* Not started: a copy of a running server would only meet EADDRINUSE. */
  if (endpoint != NULL)
    sl_window_add_endpoint (self, sl_endpoint_get_config (endpoint), FALSE);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);

  if (endpoint != NULL)
    sl_window_remove_endpoint (self, endpoint);
}

static void
set_side_by_side (SlWindow *self,
                  gboolean  side_by_side)
{
  SlEndpoint *server, *client;

  if (side_by_side && !find_pair (self, &server, &client))
    {
      sl_window_add_toast (self, _("Side by side shows a server and a client: create both "
                                   "first, or start the demo pair."));
      side_by_side = FALSE;
    }

  self->side_by_side = side_by_side;
  update_view (self);
  /* Always notify, so a toggle button pressed in vain springs back. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDE_BY_SIDE]);
}

/* Presentation mode: the pair side by side, the sequence diagram of their
 * conversation between them, large type, no sidebar and no trace tools. */

/* Two pages and a third column (the sequence diagram, or the labs) within a
 * projector's 1280 pixels: each page wraps its toolbars to fit (about 430
 * pixels at the least), and scrolls sideways only when large type makes it
 * wider still. */
static void
update_side_widths (SlWindow *self)
{
  gboolean third = self->presentation
                   || (self->lab_revealer != NULL
                       && gtk_revealer_get_reveal_child (self->lab_revealer));
  int width = third ? 430 : 560;

  gtk_widget_set_size_request (gtk_widget_get_ancestor (GTK_WIDGET (self->left_page),
                                                        GTK_TYPE_SCROLLED_WINDOW), width, -1);
  gtk_widget_set_size_request (gtk_widget_get_ancestor (GTK_WIDGET (self->right_page),
                                                        GTK_TYPE_SCROLLED_WINDOW), width, -1);
}

static void
update_presentation_diagram (SlWindow *self)
{
  SlConnection *connection;
  g_autoptr(SlConnection) peer = NULL;

  if (!self->presentation || self->presented_client == NULL)
    {
      sl_sequence_diagram_set_log (self->presentation_diagram, NULL, 0);
      sl_sequence_diagram_set_peer_log (self->presentation_diagram, NULL, 0);
      return;
    }

  /* The client's one conversation, seen from the server's end as the server's
   * page is on the left, the client as its peer on the right. */
  connection = sl_endpoint_get_first_connection (self->presented_client);
  if (connection == NULL || sl_sequence_diagram_has_peer (self->presentation_diagram))
    return;
  peer = sl_endpoint_page_find_peer_connection (G_LIST_MODEL (self->endpoints), connection);
  if (peer == NULL)
    return;
  sl_sequence_diagram_set_log (self->presentation_diagram,
                               sl_endpoint_get_log (sl_connection_get_endpoint (peer)),
                               sl_connection_get_id (peer));
  sl_sequence_diagram_set_peer_log (self->presentation_diagram,
                                    sl_endpoint_get_log (self->presented_client),
                                    sl_connection_get_id (connection));
  sl_sequence_diagram_set_names (self->presentation_diagram, _("Server"), _("Client"));
}

/* New rows of the client: its server learns of the conversation a moment
 * after it, and not at all later (see SL_ENDPOINT_PAGE_PEER_SEARCH_US). */
static void
presented_log_changed_cb (SlWindow *self)
{
  SlConnection *connection = sl_endpoint_get_first_connection (self->presented_client);

  if (connection != NULL
      && g_get_monotonic_time () - sl_connection_get_created_time (connection)
         < SL_ENDPOINT_PAGE_PEER_SEARCH_US)
    update_presentation_diagram (self);
}

static void
set_presented_client (SlWindow   *self,
                      SlEndpoint *client)
{
  if (self->presented_client == client)
    return;

  if (self->presented_client != NULL)
    {
      g_signal_handlers_disconnect_by_data (sl_endpoint_get_log (self->presented_client), self);
      g_signal_handlers_disconnect_by_data (sl_endpoint_get_connections (self->presented_client),
                                            self);
    }
  g_set_object (&self->presented_client, client);
  if (client != NULL)
    {
      /* The server learns of the conversation a moment after the client. */
      g_signal_connect_swapped (sl_endpoint_get_log (client), "items-changed",
                                G_CALLBACK (presented_log_changed_cb), self);
      g_signal_connect_swapped (sl_endpoint_get_connections (client), "items-changed",
                                G_CALLBACK (update_presentation_diagram), self);
    }
  update_presentation_diagram (self);
}

static void
set_presentation (SlWindow *self,
                  gboolean  presentation)
{
  SlEndpoint *server = NULL, *client = NULL;

  presentation = !!presentation;
  if (presentation && !find_pair (self, &server, &client))
    {
      sl_window_add_toast (self, _("Presentation mode shows a server and a client: create both "
                                   "first, or start the demo pair."));
      presentation = FALSE;
    }

  if (presentation != self->presentation)
    {
      self->presentation = presentation;
      if (presentation)
        {
          gtk_widget_add_css_class (GTK_WIDGET (self), "sl-presentation");
          self->side_by_side = TRUE;
          update_view (self);
        }
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "sl-presentation");

      gtk_widget_set_visible (self->sidebar, !presentation);
      update_side_widths (self);
      /* A sequence of states needs a connection: UDP pairs show their two traces. */
      gtk_widget_set_visible (self->presentation_scroller,
                              presentation && server != NULL
                              && sl_endpoint_config_get_protocol (sl_endpoint_get_config (server))
                                 == SL_PROTOCOL_TCP);
      gtk_widget_set_visible (self->leave_presentation_button, presentation);
      sl_endpoint_page_set_presentation (self->left_page, presentation);
      sl_endpoint_page_set_presentation (self->right_page, presentation);
      set_presented_client (self, presentation ? client : NULL);
      apply_zoom (self);
    }

  /* Always notify, so a toggle pressed in vain springs back. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

gboolean
sl_window_get_presentation (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  return self->presentation;
}

/* Guided labs, reference, Python export. */

static void
set_show_labs (SlWindow *self,
               gboolean  show)
{
  show = !!show;
  if (self->lab_revealer == NULL || show == gtk_revealer_get_reveal_child (self->lab_revealer))
    return;
  gtk_revealer_set_reveal_child (self->lab_revealer, show);
  update_side_widths (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABS]);
}

SlLabPanel *
sl_window_get_lab_panel (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);
  return self->lab_panel;
}

/* A lab step's suggested endpoint: the form, filled in, for the student to check. */
static void
lab_create_endpoint_cb (SlWindow         *self,
                        SlEndpointConfig *config)
{
  SlNewEndpointDialog *dialog;

  dialog = sl_new_endpoint_dialog_new (GTK_WINDOW (self), NULL, config);
  gtk_widget_add_css_class (GTK_WIDGET (dialog), "sl-zoom");
  g_signal_connect_object (dialog, "create", G_CALLBACK (dialog_create_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lab_toast_cb (SlWindow   *self,
              const char *message)
{
  sl_window_add_toast (self, message);
}

GtkWidget *
sl_window_show_reference (SlWindow   *self,
                          const char *id)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), NULL);

  if (self->reference_window == NULL)
    {
      self->reference_window = sl_reference_window_new (GTK_WINDOW (self));
      g_object_add_weak_pointer (G_OBJECT (self->reference_window),
                                 (gpointer *) &self->reference_window);
    }
  if (id != NULL)
    sl_reference_window_show_entry (SL_REFERENCE_WINDOW (self->reference_window), id);
  gtk_window_present (GTK_WINDOW (self->reference_window));
  return self->reference_window;
}

static void
reference_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *id = parameter != NULL ? g_variant_get_string (parameter, NULL) : NULL;

  sl_window_show_reference (SL_WINDOW (widget), id != NULL && *id != '\0' ? id : NULL);
}

static void
show_python_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  SlEndpoint *endpoint = sl_window_get_selected_endpoint (self);

  if (endpoint != NULL)
    gtk_window_present (GTK_WINDOW (sl_python_dialog_new (GTK_WINDOW (self),
                                                          sl_endpoint_get_config (endpoint))));
}

/* Workspaces: the endpoints, whether each runs, and the layout, in a file. */

static void
remember_recent (SlWindow *self,
                 GFile    *file)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) kept = NULL;
  g_autofree char *uri = g_file_get_uri (file);
  guint n = 1;

  if (self->settings == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-workspaces");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, uri);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (recent[i], uri))
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-workspaces", (const char * const *) kept);
}

gboolean
sl_window_save_workspace (SlWindow  *self,
                          GFile     *file,
                          GError   **error)
{
  g_autoptr(SlWorkspace) workspace = sl_workspace_new ();
  SlEndpoint *selected = sl_window_get_selected_endpoint (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->endpoints));

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (self->endpoints), i);
      SlEndpointState state = sl_endpoint_get_state (endpoint);

      sl_workspace_add_endpoint (workspace, sl_endpoint_get_config (endpoint),
                                 state == SL_ENDPOINT_STATE_STARTING
                                 || state == SL_ENDPOINT_STATE_LISTENING
                                 || state == SL_ENDPOINT_STATE_CONNECTING
                                 || state == SL_ENDPOINT_STATE_CONNECTED);
      if (endpoint == selected)
        sl_workspace_set_selected (workspace, (int) i);
    }
  sl_workspace_set_side_by_side (workspace, self->side_by_side);
  sl_workspace_set_zoom (workspace, sl_window_get_zoom (self));

  if (!sl_workspace_save (workspace, file, NULL, error))
    return FALSE;
  remember_recent (self, file);
  return TRUE;
}

static void
apply_workspace (SlWindow    *self,
                 SlWorkspace *workspace)
{
  guint n = sl_workspace_get_n_endpoints (workspace);
  int selected = sl_workspace_get_selected (workspace);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  set_presentation (self, FALSE);
  while (g_list_model_get_n_items (G_LIST_MODEL (self->endpoints)) > 0)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (self->endpoints), 0);

      sl_endpoint_stop (endpoint);
      sl_window_remove_endpoint (self, endpoint);
    }

  /* Servers first, so that the clients that start find them listening. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n; i++)
      {
        SlEndpointConfig *config = sl_workspace_get_endpoint_config (workspace, i);
        gboolean server = sl_endpoint_config_get_role (config) == SL_ROLE_SERVER;

        if (server == (pass == 0))
          g_ptr_array_add (added, g_object_ref (sl_window_add_endpoint (self, config, FALSE)));
        else
          continue;
        g_object_set_data (g_ptr_array_index (added, added->len - 1), "sl-workspace-index",
                           GUINT_TO_POINTER (i + 1));
      }

  for (guint i = 0; i < added->len; i++)
    {
      SlEndpoint *endpoint = g_ptr_array_index (added, i);
      guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (endpoint),
                                                         "sl-workspace-index")) - 1;

      if (sl_workspace_get_endpoint_running (workspace, index))
        sl_endpoint_page_start (g_hash_table_lookup (self->pages, endpoint));
      if ((int) index == selected)
        sl_window_select_endpoint (self, endpoint);
    }

  if (self->settings != NULL)
    set_zoom (self, sl_workspace_get_zoom (workspace));
  set_side_by_side (self, sl_workspace_get_side_by_side (workspace) && n >= 2);

  /* The form warns before such a server starts; a workspace starts it at once. */
  for (guint i = 0; i < n; i++)
    if (sl_workspace_get_endpoint_running (workspace, i)
        && sl_endpoint_config_is_exposed (sl_workspace_get_endpoint_config (workspace, i)))
      {
        sl_window_add_toast (self, _("This workspace started a server on every network "
                                     "interface: other computers can connect to it."));
        break;
      }
}

/* What a load gave: the workspace applied, or a toast saying why not. */
static gboolean
workspace_loaded (SlWindow     *self,
                  GFile        *file,
                  SlWorkspace  *workspace,
                  GError      **error)
{
  if (workspace == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = NULL;

      /* The loader always says why; never trust that blindly with a file from outside. */
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The file could not be read as a workspace."));
      /* Translators: %s is a file name, then why it could not be opened. */
      message = g_strdup_printf (_("Could not open the workspace %s: %s"), name,
                                 (*error)->message);
      sl_window_add_toast (self, message);
      return FALSE;
    }

  apply_workspace (self, workspace);
  remember_recent (self, file);
  return TRUE;
}

gboolean
sl_window_open_workspace (SlWindow  *self,
                          GFile     *file,
                          GError   **error)
{
  g_autoptr(SlWorkspace) workspace = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* Read and check everything first: a bad file changes nothing. */
  workspace = sl_workspace_load (file, NULL, &local_error);
  if (!workspace_loaded (self, file, workspace, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  SlWindow *window;
  GFile    *file;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_object_unref (data->window);
  g_object_unref (data->file);
  g_free (data);
}

static void
workspace_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  OpenData *data = user_data;
  g_autoptr(SlWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  workspace = sl_workspace_load_finish (result, &error);
  /* Unless the window was closed meanwhile. */
  if (data->window->cancellable != NULL &&
      !g_cancellable_is_cancelled (data->window->cancellable) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    workspace_loaded (data->window, data->file, workspace, &error);
  open_data_free (data);
}

void
sl_window_open_workspace_async (SlWindow *self,
                                GFile    *file)
{
  OpenData *data;

  g_return_if_fail (SL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (OpenData, 1);
  data->window = g_object_ref (self);
  data->file = g_object_ref (file);
  sl_workspace_load_async (file, self->cancellable, workspace_read_cb, data);
}

static void
save_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlWindow) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);
  g_autoptr(GError) error = NULL;

  if (file == NULL)
    return;
  if (sl_window_save_workspace (self, file, &error))
    sl_window_add_toast (self, _("Workspace saved"));
  else
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the workspace file could not be written. */
      message = g_strdup_printf (_("Could not save the workspace: %s"), error->message);
      sl_window_add_toast (self, message);
    }
}

static void
save_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  /* Translators: the suggested file name of a saved workspace; keep the suffix */
  g_autofree char *name = g_strconcat (_("workspace"), SL_WORKSPACE_SUFFIX, NULL);

  sl_file_chooser_run (GTK_WINDOW (self), SL_FILE_CHOOSER_SAVE, _("Save Workspace"), _("_Save"),
                       name, NULL, NULL, self->cancellable, save_chosen_cb,
                       g_object_ref (self));
}

static void
open_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SlWindow) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);

  if (file != NULL)
    sl_window_open_workspace_async (self, file);
}

static void
open_workspace_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);

  sl_file_chooser_run (GTK_WINDOW (self), SL_FILE_CHOOSER_OPEN, _("Open Workspace"), _("_Open"),
                       NULL, _("Socket Lab workspaces"), "*" SL_WORKSPACE_SUFFIX,
                       self->cancellable, open_chosen_cb, g_object_ref (self));
}

static void
recent_activated_cb (AdwActionRow *row,
                     SlWindow     *self)
{
  g_autoptr(GFile) file = g_file_new_for_uri (g_object_get_data (G_OBJECT (row), "sl-uri"));

  sl_window_open_workspace_async (self, file);
}

static void
update_recent (SlWindow *self)
{
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  if (self->settings == NULL)
    return;

  recent = g_settings_get_strv (self->settings, "recent-workspaces");
  for (; recent[n] != NULL && n < MAX_RECENT; n++)
    {
      g_autoptr(GFile) file = g_file_new_for_uri (recent[n]);
      g_autoptr(GFile) parent = g_file_get_parent (file);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *where = parent != NULL ? g_file_get_parse_name (parent) : NULL;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (where != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), where);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("document-open-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "sl-uri", g_strdup (recent[n]), g_free);
      g_signal_connect (row, "activated", G_CALLBACK (recent_activated_cb), self);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), n > 0);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SlEndpointPage *page = current_page (SL_WINDOW (widget));

  if (page != NULL)
    gtk_widget_activate_action (GTK_WIDGET (page), "page.search", NULL);
}

static void
clear_log_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SlEndpointPage *page = current_page (SL_WINDOW (widget));

  if (page != NULL)
    gtk_widget_activate_action (GTK_WIDGET (page), "page.clear-log", NULL);
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  GtkWidget *preferences;

  if (self->settings == NULL)
    {
      sl_window_add_toast (self, _("Settings cannot be changed: the settings schema is not "
                                   "installed."));
      return;
    }
  preferences = sl_preferences_window_new (GTK_WINDOW (self), self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  adw_leaflet_navigate (SL_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* Zoom: the trace, forms and composer scale for projectors. */

double
sl_window_get_zoom (SlWindow *self)
{
  g_return_val_if_fail (SL_IS_WINDOW (self), 1.0);

  if (self->settings == NULL)
    return 1.0;
  return g_settings_get_double (self->settings, "zoom");
}

static void
apply_zoom (SlWindow *self)
{
  g_autoptr(PangoFontDescription) font = NULL;
  g_autofree char *font_name = NULL;
  g_autofree char *css = NULL;
  char size[G_ASCII_DTOSTR_BUF_SIZE];
  double base = 11.0;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-font-name", &font_name, NULL);
  if (font_name != NULL)
    {
      font = pango_font_description_from_string (font_name);
      if (pango_font_description_get_size (font) > 0)
        base = (double) pango_font_description_get_size (font) / PANGO_SCALE;
    }

  g_ascii_formatd (size, sizeof size, "%.2f",
                   base * sl_window_get_zoom (self)
                   * (self->presentation ? PRESENTATION_SCALE : 1.0));
  css = g_strdup_printf (".sl-zoom { font-size: %spt; }", size);
  gtk_css_provider_load_from_data (self->zoom_provider, css, -1);
}

static void
set_zoom (SlWindow *self,
          double    zoom)
{
  if (self->settings == NULL)
    return;

  zoom = CLAMP (zoom, ZOOM_MIN, ZOOM_MAX);
  /* Steps of 0.1 without the drift of repeated floating point additions. */
  zoom = (double) (gint) (zoom * 10 + 0.5) / 10;
  g_settings_set_double (self->settings, "zoom", zoom);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SlWindow *self = SL_WINDOW (widget);
  double zoom = sl_window_get_zoom (self);

  if (g_str_equal (action_name, "win.zoom-in"))
    set_zoom (self, zoom + ZOOM_STEP);
  else if (g_str_equal (action_name, "win.zoom-out"))
    set_zoom (self, zoom - ZOOM_STEP);
  else
    set_zoom (self, 1.0);
}

static void
zoom_changed_cb (SlWindow *self)
{
  double zoom = sl_window_get_zoom (self);

  apply_zoom (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", zoom < ZOOM_MAX - 0.01);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", zoom > ZOOM_MIN + 0.01);
}

/* Window state. */

static void
save_window_state (SlWindow *self)
{
  int width;
  int height;

  if (self->settings == NULL)
    return;

  /* The default size stays the unmaximized size while the window is maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static void
restore_window_state (SlWindow *self)
{
  if (self->settings == NULL)
    return;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
sl_window_close_request (GtkWindow *window)
{
  SlWindow *self = SL_WINDOW (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (sl_window_parent_class);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->endpoints));

  save_window_state (self);

  /* Close every socket cleanly, each with its close() row. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (self->endpoints), i);

      sl_endpoint_stop (endpoint);
    }

  if (parent_class->close_request != NULL)
    return parent_class->close_request (window);
  return FALSE;
}

static void
sl_window_constructed (GObject *object)
{
  SlWindow *self = SL_WINDOW (object);

  G_OBJECT_CLASS (sl_window_parent_class)->constructed (object);

  restore_window_state (self);
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::zoom", G_CALLBACK (zoom_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::recent-workspaces",
                               G_CALLBACK (update_recent), self, G_CONNECT_SWAPPED);
    }
  zoom_changed_cb (self);
  update_recent (self);
  sl_lab_panel_set_settings (self->lab_panel, self->settings);
}

static void
sl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SlWindow *self = SL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SIDE_BY_SIDE:
      g_value_set_boolean (value, self->side_by_side);
      break;

    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;

    case PROP_SHOW_LABS:
      /* Asked by the property action even while the template is disposed. */
      g_value_set_boolean (value, self->lab_revealer != NULL
                                  && gtk_revealer_get_reveal_child (self->lab_revealer));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SlWindow *self = SL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      /* Construct-only, so no notify. */
      self->settings = g_value_dup_object (value);
      break;

    case PROP_SIDE_BY_SIDE:
      set_side_by_side (self, g_value_get_boolean (value));
      break;

    case PROP_PRESENTATION:
      set_presentation (self, g_value_get_boolean (value));
      break;

    case PROP_SHOW_LABS:
      set_show_labs (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_window_dispose (GObject *object)
{
  SlWindow *self = SL_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  set_presented_client (self, NULL);
  if (self->reference_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->reference_window));
  if (self->zoom_provider != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->zoom_provider));
  g_clear_object (&self->zoom_provider);
  g_clear_pointer (&self->pages, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_WINDOW);

  g_clear_object (&self->selection);
  g_clear_object (&self->endpoints);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sl_window_parent_class)->dispose (object);
}

static void
sl_window_class_init (SlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sl_window_constructed;
  object_class->dispose = sl_window_dispose;
  object_class->get_property = sl_window_get_property;
  object_class->set_property = sl_window_set_property;

  /* Where the window keeps its size and zoom; NULL remembers nothing. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));
  /* A server and a client side by side, for the classroom. */
  properties[PROP_SIDE_BY_SIDE] =
    g_param_spec_boolean ("side-by-side", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                           G_PARAM_EXPLICIT_NOTIFY));
  /* Projector mode: the pair side by side with their sequence diagram, large type. */
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                           G_PARAM_EXPLICIT_NOTIFY));
  /* The guided labs beside the content. */
  properties[PROP_SHOW_LABS] =
    g_param_spec_boolean ("show-labs", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                           G_PARAM_EXPLICIT_NOTIFY));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  window_class->close_request = sl_window_close_request;

  g_type_ensure (SL_TYPE_ENDPOINT_PAGE);
  g_type_ensure (SL_TYPE_SEQUENCE_DIAGRAM);
  g_type_ensure (SL_TYPE_LAB_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, endpoint_list);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, pages_stack);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, left_page);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, right_page);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, side_paned);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, endpoint_menu_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, side_by_side_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, presentation_scroller);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, presentation_diagram);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, leave_presentation_button);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, lab_revealer);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, lab_panel);
  gtk_widget_class_bind_template_child (widget_class, SlWindow, recent_list);

  gtk_widget_class_install_action (widget_class, "win.new-endpoint", NULL, new_endpoint_action);
  gtk_widget_class_install_action (widget_class, "win.demo-pair", NULL, demo_pair_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "win.remove", NULL, remove_action);
  gtk_widget_class_install_property_action (widget_class, "win.side-by-side", "side-by-side");
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presentation");
  gtk_widget_class_install_property_action (widget_class, "win.show-labs", "show-labs");
  gtk_widget_class_install_action (widget_class, "win.reference", NULL, reference_action);
  gtk_widget_class_install_action (widget_class, "win.reference-entry", "s", reference_action);
  gtk_widget_class_install_action (widget_class, "win.show-python", NULL, show_python_action);
  gtk_widget_class_install_action (widget_class, "win.save-workspace", NULL,
                                   save_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.open-workspace", NULL,
                                   open_workspace_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.clear-log", NULL, clear_log_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
}

static void
sl_window_init (SlWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  self->cancellable = g_cancellable_new ();
  self->endpoints = g_list_store_new (SL_TYPE_ENDPOINT);
  self->pages = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->endpoints)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_list_view_set_model (self->endpoint_list, GTK_SELECTION_MODEL (self->selection));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->endpoint_list, factory);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_swapped (self->endpoint_list, "activate", G_CALLBACK (endpoint_activated_cb),
                            self);

  g_signal_connect (self->left_page, "toast", G_CALLBACK (page_toast_cb), self);
  g_signal_connect (self->right_page, "toast", G_CALLBACK (page_toast_cb), self);
  sl_endpoint_page_set_endpoints (self->left_page, G_LIST_MODEL (self->endpoints));
  sl_endpoint_page_set_endpoints (self->right_page, G_LIST_MODEL (self->endpoints));
  sl_lab_panel_set_endpoints (self->lab_panel, G_LIST_MODEL (self->endpoints));
  g_signal_connect_swapped (self->lab_panel, "create-endpoint", G_CALLBACK (lab_create_endpoint_cb),
                            self);
  g_signal_connect_swapped (self->lab_panel, "toast", G_CALLBACK (lab_toast_cb), self);

  self->zoom_provider = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->zoom_provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  update_view (self);
}
