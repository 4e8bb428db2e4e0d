/* sl-file-chooser.h — the one place that asks the user for a file
 *
 * GTK 4.8 has GtkFileChooserNative (a portal inside Flatpak); GTK 4.10 and
 * later have GtkFileDialog. Everything that opens or saves a file goes
 * through these two functions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  SL_FILE_CHOOSER_OPEN,
  SL_FILE_CHOOSER_SAVE,
} SlFileChooserMode;

/* Shows a modal chooser over @parent. @initial_name: the suggested file name
 * when saving (NULL: none). @filter_name and @pattern (e.g. "*.lab"), both
 * NULL or both set, restrict what is shown when opening. */
void    sl_file_chooser_run        (GtkWindow           *parent,
                                    SlFileChooserMode    mode,
                                    const char          *title,
                                    const char          *accept_label,
                                    const char          *initial_name,
                                    const char          *filter_name,
                                    const char          *pattern,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
/* The chosen file, or NULL with G_IO_ERROR_CANCELLED when the user cancelled. */
GFile  *sl_file_chooser_run_finish (GAsyncResult        *result,
                                    GError             **error);

G_END_DECLS
