/* sl-workspace.h — a saved set of endpoints and the window's layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

#define SL_TYPE_WORKSPACE (sl_workspace_get_type ())

G_DECLARE_FINAL_TYPE (SlWorkspace, sl_workspace, SL, WORKSPACE, GObject)

/* The file format (JSON, documented in docs/workspace-format.md):
 *   {"format": "socket-lab-workspace", "version": 1,
 *    "endpoints": [{"config": {...every config field...}, "running": true}, ...],
 *    "layout": {"side-by-side": false, "selected": 0, "zoom": 1.0}}
 * Suggested file name suffix and MIME-ish filter pattern. */
#define SL_WORKSPACE_FORMAT          "socket-lab-workspace"
#define SL_WORKSPACE_VERSION         1
#define SL_WORKSPACE_SUFFIX          ".socketlab"
/* Limits of a file that is read: size and number of endpoints. */
#define SL_WORKSPACE_MAX_FILE_SIZE   (4 * 1024 * 1024)
#define SL_WORKSPACE_MAX_ENDPOINTS   64
/* Zoom range (as the "zoom" GSettings key). */
#define SL_WORKSPACE_ZOOM_MIN        0.5
#define SL_WORKSPACE_ZOOM_MAX        3.0

/* Properties (read-write, notify on change): side-by-side (boolean, default
 * FALSE), selected (int: index of the selected endpoint, -1 = none, default
 * -1), zoom (double, 0.5..3.0, default 1.0), n-endpoints (guint, read-only). */
SlWorkspace      *sl_workspace_new                      (void);

/* Appends a COPY of @config (later changes of @config do not show here).
 * @running: whether the endpoint was started when saved (opened → started). */
void              sl_workspace_add_endpoint             (SlWorkspace       *self,
                                                         SlEndpointConfig  *config,
                                                         gboolean           running);
guint             sl_workspace_get_n_endpoints          (SlWorkspace       *self);
/* The workspace's own config at @index (do not modify; copy it to use it). */
SlEndpointConfig *sl_workspace_get_endpoint_config      (SlWorkspace       *self,
                                                         guint              index);
gboolean          sl_workspace_get_endpoint_running     (SlWorkspace       *self,
                                                         guint              index);

gboolean          sl_workspace_get_side_by_side         (SlWorkspace       *self);
void              sl_workspace_set_side_by_side         (SlWorkspace       *self,
                                                         gboolean           side_by_side);
int               sl_workspace_get_selected             (SlWorkspace       *self);
void              sl_workspace_set_selected             (SlWorkspace       *self,
                                                         int                selected);
double            sl_workspace_get_zoom                 (SlWorkspace       *self);
/* Clamped to SL_WORKSPACE_ZOOM_MIN..MAX. */
void              sl_workspace_set_zoom                 (SlWorkspace       *self,
                                                         double             zoom);

/* The JSON text (UTF-8, pretty-printed, ends with a newline); @length
 * (optional) receives its length. Never fails. */
char             *sl_workspace_to_data                  (SlWorkspace       *self,
                                                         gsize             *length);
/* Parses a workspace. On any problem returns NULL with an SL_ERROR
 * (SL_ERROR_DECODE for the file itself, or the config's own validation code
 * for an invalid endpoint) whose message names the problem and what to do:
 * not JSON (with line:column), not a workspace ("format"), made by a newer
 * Socket Lab ("version"), a missing or wrongly typed field, an invalid
 * endpoint ("Endpoint 2: …"), too many endpoints. @length -1: NUL-terminated.
 * Unknown extra keys are ignored (forward compatibility). */
SlWorkspace      *sl_workspace_new_from_data            (const char        *data,
                                                         gssize             length,
                                                         GError           **error);

/* Writes the file atomically (g_file_replace_contents, no backup). */
gboolean          sl_workspace_save                     (SlWorkspace       *self,
                                                         GFile             *file,
                                                         GCancellable      *cancellable,
                                                         GError           **error);
/* Reads and parses; files larger than SL_WORKSPACE_MAX_FILE_SIZE are refused.
 * Errors from reading are G_IO_ERROR, with the file's name in the message. */
SlWorkspace      *sl_workspace_load                     (GFile             *file,
                                                         GCancellable      *cancellable,
                                                         GError           **error);

/* The same in a worker thread (the files are small; these keep the main loop
 * free on slow disks). */
void              sl_workspace_load_async               (GFile               *file,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
SlWorkspace      *sl_workspace_load_finish              (GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
