/* sl-accessible.c — accessible names as the screen reader should say them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-accessible.h"

#include <string.h>

/* "Send _File…" → "Send File…"; "__" is one underscore. */
static char *
strip_mnemonic (const char *label)
{
  GString *text = g_string_sized_new (strlen (label));

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] != '_')
            continue;
          p++;
        }
      g_string_append_c (text, *p);
    }
  return g_string_free (text, FALSE);
}

static void
own_label (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  /* GTK's test API is the only way to read back what a widget was given. */
  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    gtk_accessible_reset_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);

  /* A button labelled by GTK itself is named by its raw label, mnemonic
   * underscore included ("Send _File…"). */
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    {
      const char *raw = gtk_button_get_label (GTK_BUTTON (widget));
      g_autofree char *differs = NULL;

      if (raw == NULL || strchr (raw, '_') == NULL)
        return;
      differs = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                    raw);
      if (differs == NULL)
        {
          g_autofree char *text = strip_mnemonic (raw);

          gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
          gtk_accessible_reset_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
        }
    }
}

void
sl_accessible_own_labels (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  own_label (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    sl_accessible_own_labels (child);
}
