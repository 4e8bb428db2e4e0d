/* sl-ui-test-util.c — shared helpers for the in-process GTK tests (tests/ui)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The core helpers, compiled once per UI test (they define _GNU_SOURCE, so first). */
#include "../sl-test-util.c"

#include <string.h>

#include "sl-ui-test-util.h"

static gboolean gtk_ready;

void
sl_ui_test_init (int    *argc,
                 char ***argv)
{
  g_test_init (argc, argv, NULL);

  /* Without a display gtk_init() fails; the tests then skip one by one. */
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    gtk_ready = gtk_init_check ();
}

gboolean
sl_ui_test_have_display (void)
{
  if (gtk_ready)
    return TRUE;

  g_test_skip ("No display (run the tests under xvfb-run)");
  return FALSE;
}

GtkWindow *
sl_ui_test_show (GtkWidget *child,
                 int        width,
                 int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  return window;
}

void
sl_ui_test_close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  sl_test_run_for (20);
}

SlEndpointConfig *
sl_ui_test_config (SlProtocol protocol,
                   SlRole     role,
                   SlIoMode   io_mode,
                   int        port)
{
  SlEndpointConfig *config = sl_test_config_new (protocol, role, SL_FAMILY_IPV4,
                                                 "127.0.0.1", port);

  sl_endpoint_config_set_io_mode (config, io_mode);

  return config;
}

SlEndpoint *
sl_ui_test_start_server (SlProtocol protocol,
                         SlIoMode   io_mode)
{
  g_autoptr(SlEndpointConfig) config = sl_ui_test_config (protocol, SL_ROLE_SERVER, io_mode, 0);
  SlEndpoint *server = sl_test_endpoint_new_started (config);

  g_assert_cmpuint (sl_endpoint_get_local_port (server), >, 0);

  return server;
}

SlEndpoint *
sl_ui_test_start_client (SlEndpoint *server,
                         SlIoMode    io_mode)
{
  SlEndpointConfig *server_config = sl_endpoint_get_config (server);
  g_autoptr(SlEndpointConfig) config = NULL;

  config = sl_ui_test_config (sl_endpoint_config_get_protocol (server_config), SL_ROLE_CLIENT,
                              io_mode, sl_endpoint_get_local_port (server));

  return sl_test_endpoint_new_started (config);
}

int
sl_ui_test_peer_connect (SlEndpoint *server)
{
  GListModel *connections = sl_endpoint_get_connections (server);
  guint n = g_list_model_get_n_items (connections);
  int fd = sl_test_peer_connect_endpoint (server);

  g_assert_true (sl_test_wait_n_items (connections, n + 1, SL_UI_TEST_WAIT_MS));

  return fd;
}

int
sl_ui_test_udp_peer (SlEndpoint *server,
                     const char *hello)
{
  GListModel *connections = sl_endpoint_get_connections (server);
  guint n = g_list_model_get_n_items (connections);
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  int fd = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);

  g_assert_no_errno (fd);
  g_assert_cmpint (sl_test_peer_sendto (fd, hello, strlen (hello),
                                        sl_endpoint_get_local_address (server)),
                   ==, (gssize) strlen (hello));
  g_assert_true (sl_test_wait_n_items (connections, n + 1, SL_UI_TEST_WAIT_MS));

  return fd;
}

/* @text without mnemonic underscores ("Shut _Down" → "Shut Down", "__" → "_"). */
static char *
strip_mnemonic (const char *text)
{
  GString *stripped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (stripped, *p);
    }

  return g_string_free (stripped, FALSE);
}

/* The text a user would identify @widget by, as shown (mnemonic underscores removed). */
static char *
widget_text (GtkWidget *widget)
{
  const char *text = NULL;
  gboolean underline = FALSE;

  if (GTK_IS_BUTTON (widget))
    {
      text = gtk_button_get_label (GTK_BUTTON (widget));
      underline = gtk_button_get_use_underline (GTK_BUTTON (widget));
    }
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      text = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
      underline = gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget));
    }
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      text = gtk_menu_button_get_label (GTK_MENU_BUTTON (widget));
      underline = gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (widget));
    }
  else if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_EDITABLE (widget))
    text = gtk_editable_get_text (GTK_EDITABLE (widget));

  if (text == NULL)
    return NULL;

  return underline ? strip_mnemonic (text) : g_strdup (text);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

GtkWidget *
sl_ui_test_find (GtkWidget  *root,
                 GType       type,
                 const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      g_autofree char *shown = widget_text (root);

      if (text == NULL || contains (shown, text) ||
          contains (gtk_widget_get_tooltip_text (root), text))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sl_ui_test_find (child, type, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
sl_ui_test_get (GtkWidget  *root,
                GType       type,
                const char *text)
{
  GtkWidget *found = sl_ui_test_find (root, type, text);

  if (found == NULL)
    g_error ("No %s with the text “%s” in the %s", g_type_name (type),
             text != NULL ? text : "(any)", G_OBJECT_TYPE_NAME (root));

  return found;
}

typedef struct
{
  GtkWidget  *root;
  GType       type;
  const char *text;
  GtkWidget  *found;
} FindWait;

static gboolean
found_widget (gpointer data)
{
  FindWait *wait = data;

  wait->found = sl_ui_test_find (wait->root, wait->type, wait->text);

  return wait->found != NULL;
}

GtkWidget *
sl_ui_test_wait_find (GtkWidget  *root,
                      GType       type,
                      const char *text,
                      guint       timeout_ms)
{
  FindWait wait = { root, type, text, NULL };

  sl_test_wait_until (found_widget, &wait, timeout_ms);

  return wait.found;
}

void
sl_ui_test_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));

  /* gtk_widget_activate() on a GtkButton only emits ::clicked after a 250 ms press effect. */
  if (GTK_IS_BUTTON (button))
    g_signal_emit_by_name (button, "clicked");
  else
    gtk_widget_activate (button);
}

gboolean
sl_ui_test_press_key (GtkWidget       *widget,
                      guint            keyval,
                      GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  /* As GTK dispatches on one widget: capture-phase controllers first, then the others. */
  for (guint pass = 0; pass < 2 && !handled; pass++)
    for (guint i = 0; !handled && i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
        gboolean capture = gtk_event_controller_get_propagation_phase (controller)
                           == GTK_PHASE_CAPTURE;

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) && capture == (pass == 0))
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      }

  return handled;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
  gboolean    mapped;
} WidgetWait;

static gboolean
label_contains (gpointer data)
{
  WidgetWait *wait = data;

  return contains (gtk_label_get_text (GTK_LABEL (wait->widget)), wait->text);
}

gboolean
sl_ui_test_wait_label (GtkWidget  *label,
                       const char *text,
                       guint       timeout_ms)
{
  WidgetWait wait = { label, text, FALSE };

  g_assert_true (GTK_IS_LABEL (label));

  return sl_test_wait_until (label_contains, &wait, timeout_ms);
}

static gboolean
mapped_is (gpointer data)
{
  WidgetWait *wait = data;

  return gtk_widget_get_mapped (wait->widget) == wait->mapped;
}

gboolean
sl_ui_test_wait_mapped (GtkWidget *widget,
                        gboolean   mapped,
                        guint      timeout_ms)
{
  WidgetWait wait = { widget, NULL, !!mapped };

  return sl_test_wait_until (mapped_is, &wait, timeout_ms);
}

gboolean
sl_ui_test_save_png (GtkWidget  *widget,
                     const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || renderer == NULL)
    return FALSE;

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  return gdk_texture_save_to_png (texture, path);
}

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  SlUiTestChange change = { position, removed, added };

  g_array_append_val (changes, change);
}

void
sl_ui_test_record_changes (GListModel *model,
                           GArray     *changes)
{
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change_cb), changes);
}

void
sl_ui_test_append_objects (GListStore *store,
                           guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

      g_list_store_append (store, item);
    }
}
