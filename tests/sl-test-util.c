/* sl-test-util.c — shared helpers for the core tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-test-util.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sl_test_wait_until (gboolean (*condition) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint id;

  if (condition (data))
    return TRUE;

  id = g_timeout_add (timeout_ms, timeout_cb, &expired);
  while (!expired && !condition (data))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);

  return condition (data);
}

static gboolean
flag_set (gpointer data)
{
  return *(const gboolean *) data;
}

gboolean
sl_test_wait_for_flag (const gboolean *flag,
                       guint           timeout_ms)
{
  return sl_test_wait_until (flag_set, (gpointer) flag, timeout_ms);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
sl_test_run_for (guint ms)
{
  sl_test_wait_until (never, NULL, ms);
}

void
sl_test_store_result_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

gboolean
sl_test_wait_for_result (GAsyncResult **result,
                         guint          timeout_ms)
{
  return sl_test_wait_until (result_set, result, timeout_ms);
}
