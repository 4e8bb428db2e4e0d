/* make-screenshots.c — renders the screenshots of data/screenshots/ from real sockets
 *
 * Not a test: `ninja -C build tests/ui/make-screenshots` then, under Xvfb,
 *   build/tests/ui/make-screenshots OUT_DIR [LOCALEDIR]
 * writes OUT_DIR/demo-pair.png, trace.png, labs.png and presentation.png in the language of $LANGUAGE
 * (translations are read from LOCALEDIR, e.g. an install prefix's share/locale).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include <glib/gi18n.h>

#include "sl-composer.h"
#include "sl-endpoint-page.h"
#include "sl-ui-test-util.h"
#include "sl-window.h"

static void
send_from (SlWindow   *window,
           gboolean    right,
           const char *text)
{
  SlEndpointPage *page = SL_ENDPOINT_PAGE (sl_window_get_side_page (window, right));
  SlComposer *composer = SL_COMPOSER (sl_endpoint_page_get_composer (page));

  sl_composer_set_text (composer, text);
  if (!sl_composer_send (composer))
    g_error ("could not send %s", text);
  sl_test_run_for (300);
}

static void
save (SlWindow   *window,
      const char *dir,
      const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  sl_test_run_for (600);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  if (!sl_ui_test_save_png (GTK_WIDGET (window), path))
    g_error ("could not save %s", path);
  g_print ("%s\n", path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettings) settings = NULL;
  SlWindow *window;
  SlEndpoint *server;
  int peer;

  if (argc < 2)
    {
      g_printerr ("usage: %s OUT_DIR [LOCALEDIR]\n", argv[0]);
      return 2;
    }

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, argc > 2 ? argv[2] : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();
  adw_init ();
  /* The resources register themselves; the stylesheet is loaded by AdwApplication in the app. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/socketlab/SocketLab/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  settings = g_settings_new ("io.github.socketlab.SocketLab");
  window = g_object_new (SL_TYPE_WINDOW, "settings", settings, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The tutorials' first exercise, for real: the demo pair and a short conversation. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.demo-pair", NULL);
  if (!sl_test_wait_n_items (sl_window_get_endpoints (window), 2, 10000))
    g_error ("the demo pair did not start");
  sl_test_run_for (800);
  send_from (window, TRUE, "hello");
  send_from (window, TRUE, "你好, socket");
  send_from (window, FALSE, "welcome!");

  /* A second client that connects and leaves abruptly (RST), so the server shows it. */
  server = sl_endpoint_page_get_endpoint (SL_ENDPOINT_PAGE (sl_window_get_side_page (window, FALSE)));
  peer = sl_test_peer_connect_endpoint (server);
  sl_test_run_for (300);
  sl_test_peer_reset (peer);
  save (window, argv[1], "demo-pair.png");

  /* The server alone with its connections and trace. */
  g_object_set (window, "side-by-side", FALSE, NULL);
  sl_window_select_endpoint (window, server);
  save (window, argv[1], "trace.png");

  /* The first guided lab beside the pair: the pair already ticks its first two steps. */
  g_object_set (window, "side-by-side", TRUE, "show-labs", TRUE, NULL);
  {
    g_autoptr(SlLab) lab = sl_lab_new_from_resource (SL_LAB_RESOURCE_DIR "01-first-tcp.lab", NULL);

    if (lab == NULL)
      g_error ("the first lab did not load");
    sl_lab_panel_open_lab (sl_window_get_lab_panel (window), lab);
  }
  send_from (window, TRUE, "hello lab");
  save (window, argv[1], "labs.png");

  /* Presentation mode for projectors: the pair and their sequence diagram. */
  g_object_set (window, "show-labs", FALSE, "presentation", TRUE, NULL);
  send_from (window, TRUE, "big screen");
  save (window, argv[1], "presentation.png");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
