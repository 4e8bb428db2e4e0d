/* sl-preferences-window.c — the few settings a teacher changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-preferences-window.h"

struct _SlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;
};

G_DEFINE_FINAL_TYPE (SlPreferencesWindow, sl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
sl_preferences_window_class_init (SlPreferencesWindowClass *klass)
{
}

static void
sl_preferences_window_init (SlPreferencesWindow *self)
{
}

/* A row with a spin button bound to a numeric key (libadwaita 1.2 has no AdwSpinRow). */
static GtkWidget *
spin_row (GSettings  *settings,
          const char *key,
          const char *title,
          const char *subtitle,
          double      lower,
          double      upper,
          double      step,
          guint       digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_set_tooltip_text (spin, subtitle);
  g_settings_bind (settings, key, gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)),
                   "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

GtkWidget *
sl_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  SlPreferencesWindow *self;
  AdwPreferencesPage *page;
  AdwPreferencesGroup *trace, *view;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (SL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       "search-enabled", FALSE,
                       "default-width", 480,
                       "default-height", 360,
                       NULL);

  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  trace = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (trace, _("Call Trace"));
  adw_preferences_group_add (trace,
                             spin_row (settings, "log-max-entries", _("Rows Kept per Endpoint"),
                                       _("Older rows are dropped past this number, and the trace "
                                         "says how many. Applies to new endpoints."),
                                       1000, 10000000, 1000, 0));
  adw_preferences_page_add (page, trace);

  view = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (view, _("View"));
  adw_preferences_group_add (view,
                             spin_row (settings, "zoom", _("Text Zoom"),
                                       _("Larger text for projectors (Ctrl+Plus, Ctrl+Minus, "
                                         "Ctrl+0)."),
                                       0.5, 3.0, 0.1, 1));
  adw_preferences_page_add (page, view);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);

  return GTK_WIDGET (self);
}
