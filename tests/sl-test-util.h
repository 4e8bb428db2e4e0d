/* sl-test-util.h — shared helpers for the core tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Iterates the default main context until *@flag is TRUE or @timeout_ms pass.
 * Returns *@flag. Every test loop is bounded by this. */
gboolean  sl_test_wait_for_flag       (const gboolean *flag,
                                       guint           timeout_ms);

/* Iterates until @condition (@data) returns TRUE or @timeout_ms pass. */
gboolean  sl_test_wait_until          (gboolean      (*condition) (gpointer data),
                                       gpointer        data,
                                       guint           timeout_ms);

/* Iterates the main context for @ms milliseconds. */
void      sl_test_run_for             (guint           ms);

/* A GAsyncReadyCallback that stores a ref of the result in *(GAsyncResult **)user_data. */
void      sl_test_store_result_cb     (GObject        *object,
                                       GAsyncResult   *result,
                                       gpointer        user_data);

/* Waits (bounded, @timeout_ms) until *@result is set by sl_test_store_result_cb. */
gboolean  sl_test_wait_for_result     (GAsyncResult  **result,
                                       guint           timeout_ms);

G_END_DECLS
