/* sl-connection-list.c — a server's connections, with Close, Shut down, Reset
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-connection-list.h"
#include "sl-accessible.h"
#include "sl-batch-model.h"
#include "sl-wrap-box.h"

typedef enum
{
  COLUMN_PEER,
  COLUMN_STATE,
  COLUMN_IN,
  COLUMN_OUT,
  COLUMN_AGE,
} Column;

struct _SlConnectionList
{
  GtkWidget            parent_instance;

  SlEndpoint          *endpoint;
  GtkSingleSelection  *selection;
  SlBatchModel        *batch;       /* the endpoint's connections, changes gathered */
  SlConnection        *selected;
  /* GtkListItem → Column of every bound cell, refreshed by the tick. */
  GHashTable          *bound;
  guint                tick_id;

  /* Template children; toolbar, udp_label and stack are the direct ones. */
  GtkWidget           *toolbar;
  GtkWidget           *buttons_box;
  GtkWidget           *udp_label;
  GtkStack            *stack;
  GtkLabel            *empty_label;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *peer_column;
  GtkColumnViewColumn *state_column;
  GtkColumnViewColumn *in_column;
  GtkColumnViewColumn *out_column;
  GtkColumnViewColumn *age_column;
};

G_DEFINE_FINAL_TYPE (SlConnectionList, sl_connection_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GtkWidget *
sl_connection_list_new (void)
{
  return g_object_new (SL_TYPE_CONNECTION_LIST, NULL);
}

/* "12 s", "3 min", "2 h": how long a connection has been open. */
static char *
format_age (gint64 created)
{
  gint64 seconds = MAX (0, (g_get_monotonic_time () - created) / G_USEC_PER_SEC);

  if (seconds < 60)
    /* Translators: an age in seconds, as short as possible. */
    return g_strdup_printf (_("%u s"), (guint) seconds);
  if (seconds < 3600)
    /* Translators: an age in minutes, as short as possible. */
    return g_strdup_printf (_("%u min"), (guint) (seconds / 60));

  /* Translators: an age in hours, as short as possible. */
  return g_strdup_printf (_("%u h"), (guint) (seconds / 3600));
}

static void
refresh_cell (GtkListItem *item,
              Column       column)
{
  SlConnection *connection = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *text = NULL;

  if (connection == NULL)
    return;

  switch (column)
    {
    case COLUMN_PEER:
      gtk_label_set_text (label, sl_connection_get_peer (connection));
      return;
    case COLUMN_STATE:
      gtk_label_set_text (label, sl_connection_state_to_string (
                                   sl_connection_get_state (connection)));
      return;
    case COLUMN_IN:
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, sl_connection_get_bytes_in (connection));
      break;
    case COLUMN_OUT:
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, sl_connection_get_bytes_out (connection));
      break;
    case COLUMN_AGE:
      text = format_age (sl_connection_get_created_time (connection));
      break;
    default:
      g_assert_not_reached ();
    }

  /* Same text, no relayout. */
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void
refresh_all (SlConnectionList *self)
{
  GHashTableIter iter;
  gpointer item, column;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, &column))
    refresh_cell (item, GPOINTER_TO_INT (column));
}

static gboolean
tick_cb (gpointer user_data)
{
  refresh_all (SL_CONNECTION_LIST (user_data));

  return G_SOURCE_CONTINUE;
}

/* Cells. */

static Column
factory_column (GtkListItemFactory *factory)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "sl-column"));
}

static void
setup_cb (GtkListItemFactory *factory,
          GtkListItem        *item,
          SlConnectionList   *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  switch (factory_column (factory))
    {
    case COLUMN_PEER:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "monospace");
      break;
    case COLUMN_STATE:
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      break;
    case COLUMN_IN:
    case COLUMN_OUT:
    case COLUMN_AGE:
    default:
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      break;
    }
  gtk_list_item_set_child (item, label);
}

static void
state_changed_cb (SlConnection *connection,
                  GParamSpec   *pspec,
                  GtkListItem  *item)
{
  refresh_cell (item, COLUMN_STATE);
}

static void
bind_cb (GtkListItemFactory *factory,
         GtkListItem        *item,
         SlConnectionList   *self)
{
  Column column = factory_column (factory);

  if (column == COLUMN_STATE)
    g_signal_connect (gtk_list_item_get_item (item), "notify::state",
                      G_CALLBACK (state_changed_cb), item);
  g_hash_table_insert (self->bound, item, GINT_TO_POINTER (column));
  refresh_cell (item, column);
}

static void
unbind_cb (GtkListItemFactory *factory,
           GtkListItem        *item,
           SlConnectionList   *self)
{
  if (factory_column (factory) == COLUMN_STATE)
    g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), state_changed_cb, item);
  g_hash_table_remove (self->bound, item);
}

static void
teardown_cb (GtkListItemFactory *factory,
             GtkListItem        *item,
             SlConnectionList   *self)
{
  g_hash_table_remove (self->bound, item);
}

static void
set_factory (SlConnectionList    *self,
             GtkColumnViewColumn *column,
             Column               which)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "sl-column", GINT_TO_POINTER (which));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cb), self);
  gtk_column_view_column_set_factory (column, factory);
}

/* Selection and actions. */

static gboolean
is_datagram_endpoint (SlConnectionList *self)
{
  return self->endpoint != NULL &&
         sl_endpoint_config_get_protocol (sl_endpoint_get_config (self->endpoint))
         == SL_PROTOCOL_UDP;
}

static void
update_actions (SlConnectionList *self)
{
  SlConnection *connection = self->selected;
  gboolean stream = connection != NULL && !sl_connection_is_datagram (connection);
  gboolean open = stream && sl_connection_is_open (connection);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.close", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.reset", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connection.shutdown",
                                 open && sl_connection_get_state (connection)
                                         == SL_CONNECTION_STATE_OPEN);

  gtk_widget_set_visible (self->udp_label,
                          (connection != NULL && sl_connection_is_datagram (connection)) ||
                          (connection == NULL && is_datagram_endpoint (self)));
}

static void
selected_state_cb (SlConnectionList *self)
{
  update_actions (self);
}

static void
update_selected (SlConnectionList *self)
{
  SlConnection *connection = gtk_single_selection_get_selected_item (self->selection);

  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, selected_state_cb, self);

  if (g_set_object (&self->selected, connection))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);

  if (self->selected != NULL)
    g_signal_connect_swapped (self->selected, "notify::state",
                              G_CALLBACK (selected_state_cb), self);
  update_actions (self);
}

static void
update_empty (SlConnectionList *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  gboolean empty = g_list_model_get_n_items (model) == 0;

  gtk_label_set_text (self->empty_label,
                      is_datagram_endpoint (self)
                      ? _("No datagram received yet")
                      : _("No client connected yet"));
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
items_changed_cb (SlConnectionList *self)
{
  update_empty (self);
}

static gboolean
check_selected (SlConnectionList  *self,
                GError           **error)
{
  if (self->selected == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Select a connection in the list first."));
      return FALSE;
    }

  return TRUE;
}

static void
run_action (SlConnectionList *self,
            gboolean        (*action) (SlConnection *connection, GError **error))
{
  g_autoptr(GError) error = NULL;
  /* The connection may leave the list (and the selection) while the action runs. */
  g_autoptr(SlConnection) connection = NULL;

  if (check_selected (self, &error))
    {
      connection = g_object_ref (self->selected);
      action (connection, &error);
    }
  if (error != NULL)
    g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  update_actions (self);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run_action (SL_CONNECTION_LIST (widget), sl_connection_close);
}

static void
shutdown_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  run_action (SL_CONNECTION_LIST (widget), sl_connection_shutdown_write);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  run_action (SL_CONNECTION_LIST (widget), sl_connection_reset);
}

/* The selected connection leaves the list at once, not with its batch: the
 * buttons must not act on a connection that has gone. */
static void
connection_removed_cb (SlConnectionList *self,
                       SlConnection     *connection)
{
  if (connection == self->selected)
    sl_batch_model_flush (self->batch);
}

/* Public API. */

void
sl_connection_list_set_endpoint (SlConnectionList *self,
                                 SlEndpoint       *endpoint)
{
  g_return_if_fail (SL_IS_CONNECTION_LIST (self));
  g_return_if_fail (endpoint == NULL || SL_IS_ENDPOINT (endpoint));

  if (self->endpoint == endpoint)
    return;

  if (self->endpoint != NULL)
    g_signal_handlers_disconnect_by_data (self->endpoint, self);
  g_set_object (&self->endpoint, endpoint);
  if (endpoint != NULL)
    g_signal_connect_swapped (endpoint, "connection-removed",
                              G_CALLBACK (connection_removed_cb), self);

  sl_batch_model_set_model (self->batch,
                            endpoint != NULL ? sl_endpoint_get_connections (endpoint) : NULL);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  update_selected (self);
  update_empty (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDPOINT]);
}

SlConnection *
sl_connection_list_get_selected (SlConnectionList *self)
{
  g_return_val_if_fail (SL_IS_CONNECTION_LIST (self), NULL);

  return self->selected;
}

void
sl_connection_list_select (SlConnectionList *self,
                           SlConnection     *connection)
{
  GListModel *model;
  guint position = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (SL_IS_CONNECTION_LIST (self));
  g_return_if_fail (connection == NULL || SL_IS_CONNECTION (connection));

  /* A connection just added may still wait in the batch. */
  sl_batch_model_flush (self->batch);
  model = G_LIST_MODEL (self->selection);
  for (guint i = 0; connection != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SlConnection) item = g_list_model_get_item (model, i);

      if (item == connection)
        {
          position = i;
          break;
        }
    }

  gtk_single_selection_set_selected (self->selection, position);
}

/* GtkWidget. */

static void
sl_connection_list_map (GtkWidget *widget)
{
  SlConnectionList *self = SL_CONNECTION_LIST (widget);

  GTK_WIDGET_CLASS (sl_connection_list_parent_class)->map (widget);

  /* Counters do not notify: read them once a second, and only while they can be seen. */
  refresh_all (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
}

static void
sl_connection_list_unmap (GtkWidget *widget)
{
  SlConnectionList *self = SL_CONNECTION_LIST (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (sl_connection_list_parent_class)->unmap (widget);
}

/* GObject. */

static void
sl_connection_list_dispose (GObject *object)
{
  SlConnectionList *self = SL_CONNECTION_LIST (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->selected != NULL)
    g_signal_handlers_disconnect_by_func (self->selected, selected_state_cb, self);
  g_clear_object (&self->selected);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_CONNECTION_LIST);

  g_clear_object (&self->selection);
  g_clear_object (&self->batch);
  if (self->endpoint != NULL)
    g_signal_handlers_disconnect_by_data (self->endpoint, self);
  g_clear_object (&self->endpoint);

  G_OBJECT_CLASS (sl_connection_list_parent_class)->dispose (object);
}

static void
sl_connection_list_finalize (GObject *object)
{
  SlConnectionList *self = SL_CONNECTION_LIST (object);

  g_clear_pointer (&self->bound, g_hash_table_unref);

  G_OBJECT_CLASS (sl_connection_list_parent_class)->finalize (object);
}

static void
sl_connection_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SlConnectionList *self = SL_CONNECTION_LIST (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      g_value_set_object (value, self->endpoint);
      break;

    case PROP_SELECTED:
      g_value_set_object (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_connection_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SlConnectionList *self = SL_CONNECTION_LIST (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT:
      sl_connection_list_set_endpoint (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_connection_list_class_init (SlConnectionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_connection_list_dispose;
  object_class->finalize = sl_connection_list_finalize;
  object_class->get_property = sl_connection_list_get_property;
  object_class->set_property = sl_connection_list_set_property;

  widget_class->map = sl_connection_list_map;
  widget_class->unmap = sl_connection_list_unmap;

  properties[PROP_ENDPOINT] =
    g_param_spec_object ("endpoint", NULL, NULL, SL_TYPE_ENDPOINT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, SL_TYPE_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);

  g_type_ensure (SL_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/"
                                               "sl-connection-list.ui");
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, udp_label);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, stack);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, empty_label);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, column_view);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, peer_column);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, state_column);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, in_column);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, out_column);
  gtk_widget_class_bind_template_child (widget_class, SlConnectionList, age_column);

  gtk_widget_class_install_action (widget_class, "connection.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "connection.shutdown", NULL, shutdown_action);
  gtk_widget_class_install_action (widget_class, "connection.reset", NULL, reset_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "connectionlist");
}

static void
sl_connection_list_init (SlConnectionList *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->bound = g_hash_table_new (NULL, NULL);

  set_factory (self, self->peer_column, COLUMN_PEER);
  set_factory (self, self->state_column, COLUMN_STATE);
  set_factory (self, self->in_column, COLUMN_IN);
  set_factory (self, self->out_column, COLUMN_OUT);
  set_factory (self, self->age_column, COLUMN_AGE);

  /* A thousand clients closing at once are one change to the list, not a
   * thousand re-binds of its rows. */
  self->batch = sl_batch_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->batch)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (update_selected), self);
  g_signal_connect_swapped (self->selection, "items-changed",
                            G_CALLBACK (items_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  update_actions (self);
  update_empty (self);
}
