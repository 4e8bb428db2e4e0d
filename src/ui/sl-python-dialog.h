/* sl-python-dialog.h — "Show as Python": an endpoint as a Python 3 script to copy or save
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

#define SL_TYPE_PYTHON_DIALOG (sl_python_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SlPythonDialog, sl_python_dialog, SL, PYTHON_DIALOG, AdwWindow)

/* A modal window, transient for @parent, showing sl_python_export() of a copy of
 * @config in a read-only monospace view, with Copy (python.copy, to the clipboard) and
 * Save… (python.save, a file chooser proposing sl_python_export_filename()). An invalid
 * config shows its validation error instead, and both actions are disabled. Present it
 * with gtk_window_present(). */
GtkWidget  *sl_python_dialog_new           (GtkWindow         *parent,
                                            SlEndpointConfig  *config);

/* The script shown, or NULL when the config was invalid. */
const char *sl_python_dialog_get_script    (SlPythonDialog    *self);

/* Writes the script to @file (what Save… does once a file is chosen); the outcome is
 * shown in the dialog: a toast, or an error message above the script. Asynchronous;
 * ::saved is emitted at the end with the error or NULL. */
void        sl_python_dialog_save_to_file  (SlPythonDialog    *self,
                                            GFile             *file);

G_END_DECLS
