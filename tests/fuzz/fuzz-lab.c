/* fuzz-lab.c — the lab file parser over arbitrary bytes
 *
 * Every input either parses into a lab whose getters all answer, or fails
 * with an SL_ERROR whose message is valid UTF-8; the translation check must
 * agree with the parser about whether the file parses. A parsed lab is also
 * run once (no endpoints) and reset, which exercises the check structures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-error.h"
#include "sl-lab.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) translation_error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data ((const char *) data, size, &error);
  gboolean translated;

  translated = sl_lab_check_translations ((const char *) data, size, "zh_CN",
                                          &translation_error);
  if (lab == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == SL_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_false (translated);
      return 0;
    }

  g_assert_null (error);
  g_assert_true (translated == (translation_error == NULL));
  g_assert_nonnull (sl_lab_get_id (lab));
  g_assert_nonnull (sl_lab_get_title (lab));
  g_assert_nonnull (sl_lab_get_goal (lab));
  g_assert_nonnull (sl_lab_get_why (lab));
  g_assert_cmpuint (sl_lab_get_n_steps (lab), >, 0);
  for (guint i = 0; i < sl_lab_get_n_steps (lab); i++)
    {
      g_assert_nonnull (sl_lab_get_step_title (lab, i));
      g_assert_nonnull (sl_lab_get_step_instructions (lab, i));
      g_assert_nonnull (sl_lab_get_step_check (lab, i));
      for (guint k = 0; k < sl_lab_get_step_n_suggestions (lab, i); k++)
        g_object_unref (sl_lab_get_step_suggestion (lab, i, k));
    }

  {
    g_autoptr(SlLabRun) run = sl_lab_run_new (lab, NULL);
    g_autofree char *progress = sl_lab_run_get_progress (run);

    g_assert_true (sl_lab_run_set_progress (run, progress, NULL));
    sl_lab_run_reset (run);
    g_assert_cmpuint (sl_lab_run_get_current_step (run), ==, 0);
  }

  return 0;
}
