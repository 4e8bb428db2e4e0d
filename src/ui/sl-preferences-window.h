/* sl-preferences-window.h — the few settings a teacher changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SL_TYPE_PREFERENCES_WINDOW (sl_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (SlPreferencesWindow, sl_preferences_window, SL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The call trace size (log-max-entries, for endpoints created from now on)
 * and the text zoom, both bound to @settings. */
GtkWidget *sl_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

G_END_DECLS
