/* sl-window.h — the Socket Lab main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sl-application.h"
#include "sl-lab-panel.h"
#include "sl-endpoint.h"

G_BEGIN_DECLS

#define SL_TYPE_WINDOW (sl_window_get_type ())

G_DECLARE_FINAL_TYPE (SlWindow, sl_window, SL, WINDOW, AdwApplicationWindow)

/* The endpoints sidebar on the left, the selected endpoint's page (or a
 * server and a client side by side) on the right, a start screen while
 * there is no endpoint, and toasts for routine failures.
 *
 * Window actions: win.new-endpoint, win.demo-pair, win.start, win.stop,
 * win.duplicate, win.remove, win.side-by-side (stateful), win.zoom-in,
 * win.zoom-out, win.zoom-reset, win.fullscreen, win.search, win.clear-log,
 * win.back. */
SlWindow     *sl_window_new                    (SlApplication    *application);
/* The endpoints, a GListModel of SlEndpoint in sidebar order. */
GListModel   *sl_window_get_endpoints          (SlWindow         *self);
/* Adds an endpoint built from a copy of @config (its log capped by the
 * log-max-entries setting), selects it, and starts it when @start. */
SlEndpoint   *sl_window_add_endpoint           (SlWindow         *self,
                                                SlEndpointConfig *config,
                                                gboolean          start);
void          sl_window_remove_endpoint        (SlWindow         *self,
                                                SlEndpoint       *endpoint);
SlEndpoint   *sl_window_get_selected_endpoint  (SlWindow         *self);
void          sl_window_select_endpoint        (SlWindow         *self,
                                                SlEndpoint       *endpoint);
/* The page showing @endpoint in the single view. */
GtkWidget    *sl_window_get_page               (SlWindow         *self,
                                                SlEndpoint       *endpoint);
/* The two pages of the side-by-side view (server left, client right). */
GtkWidget    *sl_window_get_side_page          (SlWindow         *self,
                                                gboolean          right);
void          sl_window_add_toast              (SlWindow         *self,
                                                const char       *message);
/* Presentation mode (property "presentation", action win.presentation, F5):
 * the server and client side by side with the sequence diagram of their
 * conversation between them, large type, no sidebar or trace tools. */
gboolean      sl_window_get_presentation       (SlWindow         *self);
/* The guided labs panel (property "show-labs", action win.show-labs, F2). */
SlLabPanel   *sl_window_get_lab_panel          (SlWindow         *self);
/* Opens (or raises) the reference window, at entry @id when not NULL
 * (actions win.reference, F1, and win.reference-entry with the id). */
GtkWidget    *sl_window_show_reference         (SlWindow         *self,
                                                const char       *id);
/* Workspaces (actions win.save-workspace, Ctrl+S, and win.open-workspace,
 * Ctrl+O): every endpoint's config, whether it runs, and the layout. Opening
 * replaces the endpoints; a bad file changes nothing and is told in a toast. */
gboolean      sl_window_save_workspace         (SlWindow         *self,
                                                GFile            *file,
                                                GError          **error);
gboolean      sl_window_open_workspace         (SlWindow         *self,
                                                GFile            *file,
                                                GError          **error);
/* The same without blocking the window: the file is read in a worker thread;
 * what went wrong is shown in a toast. */
void          sl_window_open_workspace_async   (SlWindow         *self,
                                                GFile            *file);
/* The zoom factor in use (the "zoom" setting, 0.5 to 3). */
double        sl_window_get_zoom               (SlWindow         *self);

G_END_DECLS
