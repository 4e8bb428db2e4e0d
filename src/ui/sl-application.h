/* sl-application.h — the Socket Lab application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The GSettings schema of the app; one schema for the stable and the .Devel id. */
#define SL_SETTINGS_SCHEMA_ID "io.github.socketlab.SocketLab"
/* The icon name bundled in the GResource (the installed one follows APP_ID). */
#define SL_ICON_NAME          "io.github.socketlab.SocketLab"

#define SL_TYPE_APPLICATION (sl_application_get_type ())

G_DECLARE_FINAL_TYPE (SlApplication, sl_application, SL, APPLICATION, AdwApplication)

SlApplication *sl_application_new          (const char        *application_id,
                                            GApplicationFlags  flags);
/* The app's settings, or NULL when the schema is not installed (an uninstalled run
 * without GSETTINGS_SCHEMA_DIR): then nothing is remembered between runs. */
GSettings     *sl_application_get_settings (SlApplication     *self);

G_END_DECLS
