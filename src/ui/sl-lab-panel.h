/* sl-lab-panel.h — the guided labs beside the endpoints
 *
 * A list of the built-in labs (with each one's progress) and "Open Lab
 * File…"; once a lab is chosen, its goal, why it matters and its steps, which
 * tick themselves off from the real events of the program's endpoints (an
 * SlLabRun over the list given to sl_lab_panel_set_endpoints()). The current
 * step shows its instructions, a hint on request and a button per suggested
 * endpoint. Progress is kept in the "lab-progress" setting.
 *
 * Signals:
 *   ::create-endpoint (SlEndpointConfig *config) — the student asked for a
 *     step's suggested endpoint; the window opens the New Endpoint form with it.
 *   ::toast (const char *message) — a lab file could not be opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sl-lab.h"

G_BEGIN_DECLS

#define SL_TYPE_LAB_PANEL (sl_lab_panel_get_type ())

G_DECLARE_FINAL_TYPE (SlLabPanel, sl_lab_panel, SL, LAB_PANEL, GtkWidget)

GtkWidget *sl_lab_panel_new            (void);
/* Where the labs' steps look for events: a GListModel of SlEndpoint. */
void       sl_lab_panel_set_endpoints  (SlLabPanel *self,
                                        GListModel *endpoints);
/* Where progress is remembered; NULL remembers nothing. */
void       sl_lab_panel_set_settings   (SlLabPanel *self,
                                        GSettings  *settings);
/* Starts @lab (resuming its saved progress); NULL goes back to the list. */
void       sl_lab_panel_open_lab       (SlLabPanel *self,
                                        SlLab      *lab);
/* Parses a teacher's lab file and opens it; FALSE with the parser's error
 * (which names the line) also shown to the user. */
gboolean   sl_lab_panel_open_file      (SlLabPanel *self,
                                        GFile      *file,
                                        GError    **error);
/* The same without blocking the window: read and parsed in a worker thread;
 * what went wrong is shown as a toast. */
void       sl_lab_panel_open_file_async (SlLabPanel *self,
                                         GFile      *file);
/* The run of the open lab, or NULL on the list. */
SlLabRun  *sl_lab_panel_get_run        (SlLabPanel *self);

G_END_DECLS
