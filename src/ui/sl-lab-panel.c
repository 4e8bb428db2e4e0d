/* sl-lab-panel.c — the guided labs beside the endpoints
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-endpoint-row.h"
#include "sl-file-chooser.h"
#include "sl-lab-panel.h"

/* A teacher's lab file is a few kilobytes; refuse anything absurd. */
#define MAX_LAB_FILE_SIZE (1024 * 1024)

#define PROGRESS_PREFIX "socketlab-lab-progress:1:"

struct _SlLabPanel
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkListBox   *lab_list;
  GtkLabel     *progress_label;
  GtkProgressBar *progress_bar;
  GtkLabel     *title_label;
  GtkLabel     *goal_label;
  GtkExpander  *why_expander;
  GtkLabel     *why_label;
  GtkLabel     *done_label;
  GtkListBox   *step_list;

  GListModel   *endpoints;
  GListStore   *no_endpoints;
  GSettings    *settings;
  SlLabRun     *run;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SlLabPanel, sl_lab_panel, GTK_TYPE_WIDGET)

enum {
  SIGNAL_CREATE_ENDPOINT,
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild_steps (SlLabPanel *self);

/* ---- progress in GSettings ------------------------------------------------ */

/* The saved progress string of the lab @id, or NULL. */
static char *
saved_progress (SlLabPanel *self,
                const char *id)
{
  g_auto(GStrv) entries = NULL;
  g_autofree char *prefix = g_strconcat (PROGRESS_PREFIX, id, ":", NULL);

  if (self->settings == NULL)
    return NULL;

  entries = g_settings_get_strv (self->settings, "lab-progress");
  for (guint i = 0; entries[i] != NULL; i++)
    if (g_str_has_prefix (entries[i], prefix))
      return g_strdup (entries[i]);

  return NULL;
}

/* How many steps of @lab were done, from its saved progress. */
static guint
saved_steps_done (SlLabPanel *self,
                  SlLab      *lab)
{
  g_autofree char *progress = saved_progress (self, sl_lab_get_id (lab));
  const char *colon;
  guint64 n;

  if (progress == NULL || (colon = strrchr (progress, ':')) == NULL
      || !g_ascii_string_to_unsigned (colon + 1, 10, 0, sl_lab_get_n_steps (lab), &n, NULL))
    return 0;

  return (guint) n;
}

static void
save_progress (SlLabPanel *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) entries = NULL;
  g_auto(GStrv) kept = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *progress = NULL;

  if (self->settings == NULL || self->run == NULL)
    return;

  prefix = g_strconcat (PROGRESS_PREFIX, sl_lab_get_id (sl_lab_run_get_lab (self->run)), ":",
                        NULL);
  progress = sl_lab_run_get_progress (self->run);
  entries = g_settings_get_strv (self->settings, "lab-progress");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, progress);
  for (guint i = 0; entries[i] != NULL && i < 100; i++)
    if (!g_str_has_prefix (entries[i], prefix))
      g_strv_builder_add (builder, entries[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "lab-progress", (const char * const *) kept);
}

/* ---- the list of labs ------------------------------------------------------ */

static void
lab_row_activated_cb (AdwActionRow *row,
                      SlLabPanel   *self)
{
  sl_lab_panel_open_lab (self, g_object_get_data (G_OBJECT (row), "sl-lab"));
}

/* The built-in labs, parsed once: the resources never change while the
 * program runs, and the list is rebuilt whenever progress changes. */
static GPtrArray *
builtin_labs (void)
{
  static GPtrArray *labs;

  if (g_once_init_enter (&labs))
    {
      g_auto(GStrv) paths = sl_lab_list_builtin ();
      GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) sl_lab_unref);

      for (guint i = 0; paths[i] != NULL; i++)
        {
          g_autoptr(GError) error = NULL;
          SlLab *lab = sl_lab_new_from_resource (paths[i], &error);

          if (lab != NULL)
            g_ptr_array_add (parsed, lab);
          else
            /* A built-in lab always parses (a test checks): this is a packaging fault. */
            g_warning ("Built-in lab %s: %s", paths[i], error->message);
        }
      g_once_init_leave (&labs, parsed);
    }

  return labs;
}

static void
populate_lab_list (SlLabPanel *self)
{
  GPtrArray *labs = builtin_labs ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lab_list))) != NULL)
    gtk_list_box_remove (self->lab_list, child);

  for (guint i = 0; i < labs->len; i++)
    {
      SlLab *lab = g_ptr_array_index (labs, i);
      g_autofree char *title = NULL;
      GtkWidget *row, *suffix;
      guint done, n;

      n = sl_lab_get_n_steps (lab);
      done = saved_steps_done (self, lab);
      /* Translators: a lab in the list: its number and its title. */
      title = g_strdup_printf (_("%u. %s"), i + 1, sl_lab_get_title (lab));
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sl_lab_get_goal (lab));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

      if (done >= n)
        {
          suffix = gtk_image_new_from_icon_name ("object-select-symbolic");
          gtk_widget_add_css_class (suffix, "success");
          gtk_accessible_update_property (GTK_ACCESSIBLE (suffix),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Done"), -1);
        }
      else
        {
          g_autofree char *text = NULL;

          /* Translators: steps done out of all steps of a lab, e.g. "2/5". */
          text = g_strdup_printf (_("%u/%u"), done, n);
          suffix = gtk_label_new (text);
          gtk_widget_add_css_class (suffix, "dim-label");
          gtk_widget_add_css_class (suffix, "numeric");
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "sl-lab", sl_lab_ref (lab),
                              (GDestroyNotify) sl_lab_unref);
      g_signal_connect (row, "activated", G_CALLBACK (lab_row_activated_cb), self);
      gtk_list_box_append (self->lab_list, row);
    }
}

/* ---- one lab ----------------------------------------------------------------- */

static char *
describe_suggestion (SlEndpointConfig *config)
{
  g_autofree char *title = sl_endpoint_config_title (config);
  g_autofree char *address = sl_endpoint_config_address_text (config);

  /* Translators: a button of a lab step: "Create a TCP server at 127.0.0.1:8888". */
  return g_strdup_printf (_("Create a %s at %s"), title, address);
}

static void
suggestion_clicked_cb (GtkButton  *button,
                       SlLabPanel *self)
{
  SlEndpointConfig *config = g_object_get_data (G_OBJECT (button), "sl-config");

  g_signal_emit (self, signals[SIGNAL_CREATE_ENDPOINT], 0, config);
}

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
step_row (SlLabPanel *self,
          SlLab      *lab,
          guint       index)
{
  guint current = sl_lab_run_get_current_step (self->run);
  gboolean done = sl_lab_run_is_step_done (self->run, index);
  gboolean is_current = index == current;
  g_autofree char *title = NULL;
  g_autofree char *state = NULL;
  GtkWidget *row, *box, *icon, *text;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);

  icon = gtk_image_new_from_icon_name (done ? "object-select-symbolic"
                                       : is_current ? "go-next-symbolic"
                                       : "content-loading-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, done ? "success" : is_current ? "accent" : "dim-label");
  gtk_box_append (GTK_BOX (box), icon);

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_hexpand (text, TRUE);
  /* Translators: a lab step: its number and its title. */
  title = g_strdup_printf (_("Step %u: %s"), index + 1, sl_lab_get_step_title (lab, index));
  gtk_box_append (GTK_BOX (text), wrapped_label (title, is_current ? "heading" : NULL));
  if (!is_current && !done)
    gtk_widget_add_css_class (gtk_widget_get_first_child (text), "dim-label");

  if (is_current)
    {
      const char *hint = sl_lab_get_step_hint (lab, index);
      guint n_suggestions = sl_lab_get_step_n_suggestions (lab, index);

      gtk_box_append (GTK_BOX (text),
                      wrapped_label (sl_lab_get_step_instructions (lab, index), NULL));
      for (guint i = 0; i < n_suggestions; i++)
        {
          g_autoptr(SlEndpointConfig) config = sl_lab_get_step_suggestion (lab, index, i);
          g_autofree char *label = describe_suggestion (config);
          GtkWidget *button = gtk_button_new_with_label (label);

          gtk_widget_set_halign (button, GTK_ALIGN_START);
          gtk_widget_set_tooltip_text (button, _("Opens the New Endpoint form filled in for "
                                                 "this step; check it, then start it"));
          g_object_set_data_full (G_OBJECT (button), "sl-config", g_object_ref (config),
                                  g_object_unref);
          g_signal_connect (button, "clicked", G_CALLBACK (suggestion_clicked_cb), self);
          gtk_box_append (GTK_BOX (text), button);
        }
      if (hint != NULL)
        {
          GtkWidget *expander = gtk_expander_new (_("Hint"));
          GtkWidget *hint_label = wrapped_label (hint, "dim-label");

          gtk_accessible_update_property (GTK_ACCESSIBLE (expander),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hint"), -1);
          gtk_widget_set_margin_top (hint_label, 6);
          gtk_expander_set_child (GTK_EXPANDER (expander), hint_label);
          gtk_box_append (GTK_BOX (text), expander);
        }
    }
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Translators: read by screen readers after a step's title. */
  state = g_strdup_printf ("%s — %s", title,
                           done ? _("done") : is_current ? _("to do now") : _("later"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, state, -1);

  return row;
}

static void
rebuild_steps (SlLabPanel *self)
{
  SlLab *lab;
  GtkWidget *child;
  g_autofree char *progress = NULL;
  guint n, current;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->step_list))) != NULL)
    gtk_list_box_remove (self->step_list, child);
  if (self->run == NULL)
    return;

  lab = sl_lab_run_get_lab (self->run);
  n = sl_lab_get_n_steps (lab);
  current = MIN (sl_lab_run_get_current_step (self->run), n);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->step_list, step_row (self, lab, i));

  if (sl_lab_run_get_completed (self->run))
    progress = g_strdup (_("All steps done"));
  else
    /* Translators: the lab's progress, "Step 2 of 5". */
    progress = g_strdup_printf (_("Step %u of %u"), current + 1, n);
  gtk_label_set_label (self->progress_label, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, n > 0 ? (double) current / n : 1.0);
  gtk_widget_set_visible (GTK_WIDGET (self->done_label), sl_lab_run_get_completed (self->run));
}

static void
run_changed_cb (SlLabPanel *self)
{
  save_progress (self);
  rebuild_steps (self);
}

static void
clear_run (SlLabPanel *self)
{
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
}

/* ---- actions -------------------------------------------------------------- */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sl_lab_panel_open_lab (SL_LAB_PANEL (widget), NULL);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SlLabPanel *self = SL_LAB_PANEL (widget);

  if (self->run == NULL)
    return;
  sl_lab_run_reset (self->run);
  run_changed_cb (self);
}

static void
open_file_chosen_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(SlLabPanel) self = user_data;
  g_autoptr(GFile) file = sl_file_chooser_run_finish (result, NULL);

  if (file != NULL)
    sl_lab_panel_open_file_async (self, file);
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SlLabPanel *self = SL_LAB_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  sl_file_chooser_run (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, SL_FILE_CHOOSER_OPEN,
                       _("Open Lab File"), _("_Open"), NULL, _("Socket Lab labs"), "*.lab",
                       self->cancellable, open_file_chosen_cb, g_object_ref (self));
}

/* ---- GObject -------------------------------------------------------------- */

static void
sl_lab_panel_dispose (GObject *object)
{
  SlLabPanel *self = SL_LAB_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  clear_run (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_LAB_PANEL);
  g_clear_object (&self->endpoints);
  g_clear_object (&self->no_endpoints);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sl_lab_panel_parent_class)->dispose (object);
}

static void
sl_lab_panel_class_init (SlLabPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_lab_panel_dispose;

  signals[SIGNAL_CREATE_ENDPOINT] =
    g_signal_new ("create-endpoint", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SL_TYPE_ENDPOINT_CONFIG);
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "labpanel");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/sl-lab-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, lab_list);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, goal_label);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, why_expander);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, why_label);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, done_label);
  gtk_widget_class_bind_template_child (widget_class, SlLabPanel, step_list);

  gtk_widget_class_install_action (widget_class, "labs.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "labs.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "labs.open-file", NULL, open_file_action);
}

static void
sl_lab_panel_init (SlLabPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->no_endpoints = g_list_store_new (G_TYPE_OBJECT);
  populate_lab_list (self);
}

GtkWidget *
sl_lab_panel_new (void)
{
  return g_object_new (SL_TYPE_LAB_PANEL, NULL);
}

void
sl_lab_panel_set_endpoints (SlLabPanel *self,
                            GListModel *endpoints)
{
  g_autoptr(SlLab) lab = NULL;

  g_return_if_fail (SL_IS_LAB_PANEL (self));
  g_return_if_fail (endpoints == NULL || G_IS_LIST_MODEL (endpoints));

  g_set_object (&self->endpoints, endpoints);
  /* A run watches one list: start the open lab again over the new one. */
  if (self->run != NULL)
    {
      lab = sl_lab_ref (sl_lab_run_get_lab (self->run));
      sl_lab_panel_open_lab (self, lab);
    }
}

void
sl_lab_panel_set_settings (SlLabPanel *self,
                           GSettings  *settings)
{
  g_return_if_fail (SL_IS_LAB_PANEL (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  populate_lab_list (self);
}

void
sl_lab_panel_open_lab (SlLabPanel *self,
                       SlLab      *lab)
{
  g_autofree char *progress = NULL;
  g_autofree char *why = NULL;

  g_return_if_fail (SL_IS_LAB_PANEL (self));

  clear_run (self);
  if (lab == NULL)
    {
      populate_lab_list (self);
      gtk_stack_set_visible_child_name (self->stack, "list");
      return;
    }

  self->run = sl_lab_run_new (lab, self->endpoints != NULL ? self->endpoints
                                                           : G_LIST_MODEL (self->no_endpoints));
  progress = saved_progress (self, sl_lab_get_id (lab));
  if (progress != NULL)
    sl_lab_run_set_progress (self->run, progress, NULL);
  g_signal_connect_swapped (self->run, "notify::current-step", G_CALLBACK (run_changed_cb), self);

  gtk_label_set_label (self->title_label, sl_lab_get_title (lab));
  gtk_label_set_label (self->goal_label, sl_lab_get_goal (lab));
  if (sl_lab_get_tutorial (lab) != NULL)
    /* Translators: after why a lab matters; %s names the tutorial files. */
    why = g_strdup_printf (_("%s\n\nTutorial: %s"), sl_lab_get_why (lab),
                           sl_lab_get_tutorial (lab));
  gtk_label_set_label (self->why_label, why != NULL ? why : sl_lab_get_why (lab));
  gtk_expander_set_expanded (self->why_expander, FALSE);
  rebuild_steps (self);
  gtk_stack_set_visible_child_name (self->stack, "lab");
}

/* Reads and parses a teacher's lab file; any thread. */
static SlLab *
read_lab (GFile         *file,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_size (info) > MAX_LAB_FILE_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The file is %lu bytes; a lab file is at most %d. Is it really a lab?"),
                   (gulong) g_file_info_get_size (info), MAX_LAB_FILE_SIZE);
      return NULL;
    }
  if (!g_file_load_contents (file, cancellable, &contents, &len, NULL, error))
    return NULL;
  return sl_lab_new_from_data (contents, len, error);
}

/* What a read gave: the lab opened, or a toast saying why not. */
static gboolean
lab_read (SlLabPanel  *self,
          GFile       *file,
          SlLab       *lab,
          GError     **error)
{
  if (lab == NULL)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = NULL;

      /* Translators: %s is a file name, then the reason (which names the line). */
      message = g_strdup_printf (_("Could not open the lab %s: %s"), name, (*error)->message);
      g_signal_emit (self, signals[SIGNAL_TOAST], 0, message);
      return FALSE;
    }

  sl_lab_panel_open_lab (self, lab);
  return TRUE;
}

gboolean
sl_lab_panel_open_file (SlLabPanel  *self,
                        GFile       *file,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SlLab) lab = NULL;

  g_return_val_if_fail (SL_IS_LAB_PANEL (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  lab = read_lab (file, NULL, &local_error);
  if (!lab_read (self, file, lab, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
read_lab_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  SlLab *lab = read_lab (task_data, cancellable, &error);

  if (lab == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lab, g_object_unref);
}

static void
lab_file_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SlLabPanel *self = SL_LAB_PANEL (object);
  GFile *file = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = g_task_propagate_pointer (G_TASK (result), &error);

  /* The panel went away meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  lab_read (self, file, lab, &error);
}

void
sl_lab_panel_open_file_async (SlLabPanel *self,
                              GFile      *file)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SL_IS_LAB_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, self->cancellable, lab_file_read_cb, NULL);
  g_task_set_source_tag (task, sl_lab_panel_open_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_lab_thread);
}

SlLabRun *
sl_lab_panel_get_run (SlLabPanel *self)
{
  g_return_val_if_fail (SL_IS_LAB_PANEL (self), NULL);
  return self->run;
}
