/* sl-lab.h — guided labs: a lab file (steps with checks) and a run that ticks
 * the steps off from the real events of the app's endpoints
 *
 * The file format and the check language are described in docs/lab-format.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sl-endpoint-config.h"

G_BEGIN_DECLS

/* The newest lab file format this version reads (the Format= key). */
#define SL_LAB_FORMAT_VERSION 1

/* Where the built-in labs are in the application's GResource. */
#define SL_LAB_RESOURCE_DIR "/io/github/socketlab/SocketLab/labs/"

/* ---- SlLab: a parsed lab file (immutable, reference counted) ---------------- */

#define SL_TYPE_LAB (sl_lab_get_type ())

typedef struct _SlLab SlLab;

GType        sl_lab_get_type                 (void) G_GNUC_CONST;

/* Parses a lab file (@len: bytes of @data, or -1 when it ends with a NUL).
 * The localized texts are read for the user's languages
 * (g_get_language_names()). On any problem returns NULL with an SL_ERROR
 * (SL_ERROR_DECODE) whose message starts with "line N: " where a line is
 * known, names the problem and says what to do. */
SlLab       *sl_lab_new_from_data            (const char   *data,
                                              gsize         len,
                                              GError      **error);
/* The same for one @locale ("zh_CN"; NULL: the user's languages). */
SlLab       *sl_lab_new_from_data_for_locale (const char   *data,
                                              gsize         len,
                                              const char   *locale,
                                              GError      **error);
SlLab       *sl_lab_new_from_file            (const char   *path,
                                              GError      **error);
/* A built-in lab, e.g. SL_LAB_RESOURCE_DIR "01-first-tcp.lab". */
SlLab       *sl_lab_new_from_resource        (const char   *resource_path,
                                              GError      **error);
/* The resource paths of the built-in labs, sorted by name (their number);
 * empty when the application's resources are not registered. */
GStrv        sl_lab_list_builtin             (void);

/* Checks that every localized key of the lab file has a non-empty
 * translation for @locale ("zh_CN"). FALSE with an error naming the first
 * key without one, with its line. The file must parse. */
gboolean     sl_lab_check_translations       (const char   *data,
                                              gsize         len,
                                              const char   *locale,
                                              GError      **error);

SlLab       *sl_lab_ref                      (SlLab        *self);
void         sl_lab_unref                    (SlLab        *self);

const char  *sl_lab_get_id                   (SlLab        *self);
const char  *sl_lab_get_title                (SlLab        *self);
const char  *sl_lab_get_goal                 (SlLab        *self);
const char  *sl_lab_get_why                  (SlLab        *self);
/* The tutorial file(s) the lab is built on ("003_54fb4e800cd42a98.txt"), or NULL. */
const char  *sl_lab_get_tutorial             (SlLab        *self);
guint        sl_lab_get_n_steps              (SlLab        *self);
const char  *sl_lab_get_step_title           (SlLab        *self,
                                              guint         index);
const char  *sl_lab_get_step_instructions    (SlLab        *self,
                                              guint         index);
/* NULL when the step has no hint. */
const char  *sl_lab_get_step_hint            (SlLab        *self,
                                              guint         index);
/* The step's Check= text as written in the file. */
const char  *sl_lab_get_step_check           (SlLab        *self,
                                              guint         index);
/* Suggested endpoints for the step (Suggest=), for a form to prefill: a new
 * config with the suggested properties set over the defaults. */
guint             sl_lab_get_step_n_suggestions (SlLab     *self,
                                                 guint      index);
SlEndpointConfig *sl_lab_get_step_suggestion    (SlLab     *self,
                                                 guint      index,
                                                 guint      suggestion);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SlLab, sl_lab_unref)

/* ---- SlLabRun: one student's progress through a lab -------------------------- */

#define SL_TYPE_LAB_RUN (sl_lab_run_get_type ())

G_DECLARE_FINAL_TYPE (SlLabRun, sl_lab_run, SL, LAB_RUN, GObject)

/* Watches @endpoints (a GListModel of SlEndpoint, e.g. the window's list; items
 * may come and go) and their logs, and ticks the steps in order as matching
 * rows and states occur. Rows logged before the run was created are ignored.
 *
 * Properties (read-only, notify on change): lab (SlLab), current-step (guint:
 * the index of the step being worked on; n_steps once completed),
 * completed (gboolean).
 * Signal: ::step-completed (guint index), after current-step has moved on. */
SlLabRun    *sl_lab_run_new                  (SlLab        *lab,
                                              GListModel   *endpoints);
SlLab       *sl_lab_run_get_lab              (SlLabRun     *self);
guint        sl_lab_run_get_current_step     (SlLabRun     *self);
gboolean     sl_lab_run_get_completed        (SlLabRun     *self);
gboolean     sl_lab_run_is_step_done         (SlLabRun     *self,
                                              guint         index);
/* Forgets the progress; rows logged before the reset are ignored from now on
 * (the endpoints' current states still count). */
void         sl_lab_run_reset                (SlLabRun     *self);

/* Progress as a short string for GSettings: "socketlab-lab-progress:1:ID:N"
 * (N steps done). */
char        *sl_lab_run_get_progress         (SlLabRun     *self);
/* Restores progress saved by sl_lab_run_get_progress(), as a reset that then
 * marks the first N steps done. If a step still to do compares with a row of
 * a done step (same-as=, upper-of=…), which this session never saw, the run
 * resumes at that earlier step. Restored steps notify current-step (and
 * completed) but emit no ::step-completed. FALSE with an error (nothing
 * changed) when the string is not progress of this lab. */
gboolean     sl_lab_run_set_progress         (SlLabRun     *self,
                                              const char   *progress,
                                              GError      **error);

G_END_DECLS
