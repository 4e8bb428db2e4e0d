/* sl-wrap-box.c — children in a row that wraps onto more rows when narrow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-wrap-box.h"

#define SPACING     6
#define ROW_SPACING 6

struct _SlWrapBox
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (SlWrapBox, sl_wrap_box, GTK_TYPE_WIDGET)

/* The width a child takes in a row @width wide: its natural width, at least
 * its minimum, at most the row. */
static int
child_width (GtkWidget *child,
             int        width)
{
  int min, nat;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return MAX (min, MIN (nat, width));
}

static int
child_height (GtkWidget *child,
              int        width)
{
  int min, nat;

  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  return nat;
}

/* Lays the children out in rows of @width (allocating them when @allocate)
 * and returns the height the rows take. */
static int
layout (SlWrapBox *self,
        int        width,
        gboolean   allocate)
{
  GtkWidget *row_start = gtk_widget_get_first_child (GTK_WIDGET (self));
  int y = 0;
  gboolean first_row = TRUE;

  while (row_start != NULL)
    {
      GtkWidget *row_end = NULL;   /* the first child of the next row */
      int used = 0, n = 0, n_expand = 0, height = 0, x = 0, extra;

      /* Which children fit on this row. */
      for (GtkWidget *child = row_start; child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          int w;

          if (!gtk_widget_should_layout (child))
            continue;
          w = child_width (child, width);
          if (n > 0 && used + SPACING + w > width)
            {
              row_end = child;
              break;
            }
          used += (n > 0 ? SPACING : 0) + w;
          n++;
          if (gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
            n_expand++;
        }
      if (n == 0)
        break;

      /* The row's height, and the room left for the children that expand. */
      for (GtkWidget *child = row_start; child != row_end; child = gtk_widget_get_next_sibling (child))
        if (gtk_widget_should_layout (child))
          height = MAX (height, child_height (child, child_width (child, width)));
      extra = MAX (0, width - used);

      if (!first_row)
        y += ROW_SPACING;
      first_row = FALSE;

      if (allocate)
        for (GtkWidget *child = row_start; child != row_end;
             child = gtk_widget_get_next_sibling (child))
          {
            int w;

            if (!gtk_widget_should_layout (child))
              continue;
            w = child_width (child, width);
            if (n_expand > 0 && gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
              {
                int share = extra / n_expand;

                w += share;
                extra -= share;
                n_expand--;
              }
            if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
              gtk_widget_size_allocate (child,
                                        &(GtkAllocation) { width - x - w, y, w, height }, -1);
            else
              gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, w, height }, -1);
            x += w + SPACING;
          }

      y += height;
      row_start = row_end;
    }

  return y;
}

static GtkSizeRequestMode
sl_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sl_wrap_box_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  SlWrapBox *self = SL_WRAP_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int min = 0, nat = 0, n = 0;

      /* As narrow as the widest child; naturally, all on one row. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_min, child_nat;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, &child_nat,
                              NULL, NULL);
          min = MAX (min, child_min);
          nat += (n++ > 0 ? SPACING : 0) + child_nat;
        }
      *minimum = min;
      *natural = MAX (min, nat);
    }
  else
    {
      int width = for_size;
      int unused;

      if (width < 0)
        sl_wrap_box_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &unused, &width, NULL, NULL);
      *minimum = *natural = layout (self, width, FALSE);
    }
}

static void
sl_wrap_box_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  layout (SL_WRAP_BOX (widget), width, TRUE);
}

static void
sl_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sl_wrap_box_parent_class)->dispose (object);
}

static void
sl_wrap_box_class_init (SlWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_wrap_box_dispose;
  widget_class->get_request_mode = sl_wrap_box_get_request_mode;
  widget_class->measure = sl_wrap_box_measure;
  widget_class->size_allocate = sl_wrap_box_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sl_wrap_box_init (SlWrapBox *self)
{
}

GtkWidget *
sl_wrap_box_new (void)
{
  return g_object_new (SL_TYPE_WRAP_BOX, NULL);
}

void
sl_wrap_box_append (SlWrapBox *self,
                    GtkWidget *child)
{
  g_return_if_fail (SL_IS_WRAP_BOX (self));
  g_return_if_fail (GTK_IS_WIDGET (child));

  gtk_widget_set_parent (child, GTK_WIDGET (self));
}
