/* sl-application.c — the Socket Lab application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-application.h"
#include "sl-window.h"

struct _SlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (SlApplication, sl_application, ADW_TYPE_APPLICATION)

SlApplication *
sl_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  /* The resource base path is fixed so that the .Devel id finds the same resources. */
  return g_object_new (SL_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", "/io/github/socketlab/SocketLab",
                       NULL);
}

GSettings *
sl_application_get_settings (SlApplication *self)
{
  g_return_val_if_fail (SL_IS_APPLICATION (self), NULL);

  return self->settings;
}

static void
quit_cb (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  SlApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Close every window like the user would, so each saves its state; the application
   * quits when the last one is gone. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
about_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  SlApplication *self = user_data;
  GtkWindow *parent;
  GtkWidget *about;
  static const char *developers[] = {
    "The Socket Lab developers",
    NULL
  };

  parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "destroy-with-parent", TRUE,
                        "application-icon", SL_ICON_NAME,
                        "application-name", _("Socket Lab"),
                        "developer-name", _("The Socket Lab developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Create TCP and UDP servers and clients and watch every "
                                      "socket call, with its real result, as the tutorials "
                                      "write it."),
                        "website", "https://github.com/socketlab/socket-lab",
                        "issue-url", "https://github.com/socketlab/socket-lab/issues",
                        "copyright", _("© 2026 The Socket Lab developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: Replace "translator-credits" with your name and email,
                         * one translator per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_entries[] = {
  { .name = "quit", .activate = quit_cb },
  { .name = "about", .activate = about_cb },
};

static GSettings *
load_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SL_SETTINGS_SCHEMA_ID, TRUE);

  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed, so the window size is not "
                 "remembered. Install Socket Lab, or run it with `meson devenv`.",
                 SL_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static int
sl_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("socket-lab %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* Go on with the default processing. */
  return -1;
}

static void
sl_application_startup (GApplication *app)
{
  SlApplication *self = SL_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[4];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.new-endpoint", { "<Control>n", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.clear-log", { "<Control>l", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "win.zoom-reset", { "<Control>0", "<Control>KP_0", NULL } },
    { "win.fullscreen", { "F11", NULL } },
    { "win.side-by-side", { "F9", NULL } },
    { "win.presentation", { "F5", NULL } },
    { "win.show-labs", { "F2", NULL } },
    { "win.reference", { "F1", NULL } },
    { "win.save-workspace", { "<Control>s", NULL } },
    { "win.open-workspace", { "<Control>o", NULL } },
  };

  G_APPLICATION_CLASS (sl_application_parent_class)->startup (app);

  self->settings = load_settings ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
sl_application_activate (GApplication *app)
{
  SlApplication *self = SL_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (sl_window_new (self));

  gtk_window_present (window);
}

static void
sl_application_dispose (GObject *object)
{
  SlApplication *self = SL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sl_application_parent_class)->dispose (object);
}

static void
sl_application_class_init (SlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sl_application_dispose;

  app_class->handle_local_options = sl_application_handle_local_options;
  app_class->startup = sl_application_startup;
  app_class->activate = sl_application_activate;
}

static void
sl_application_init (SlApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "version", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Print the version and exit"), NULL);
}
