/* fuzz-workspace.c — the workspace parser over arbitrary bytes
 *
 * Checks the invariants: the parser returns a workspace or an error, never
 * both and never neither; a workspace it accepts is written back and read
 * again to the same text (every value it holds survives a round trip).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-workspace.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlWorkspace) workspace = NULL;
  g_autoptr(SlWorkspace) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize length;

  workspace = sl_workspace_new_from_data ((const char *) data, size, &error);
  g_assert ((workspace == NULL) != (error == NULL));
  if (workspace == NULL)
    {
      g_assert (error->message != NULL && error->message[0] != '\0');
      return 0;
    }

  text = sl_workspace_to_data (workspace, &length);
  again = sl_workspace_new_from_data (text, length, &error);
  g_assert_no_error (error);
  g_assert (again != NULL);
  text_again = sl_workspace_to_data (again, NULL);
  g_assert (strcmp (text, text_again) == 0);

  return 0;
}
