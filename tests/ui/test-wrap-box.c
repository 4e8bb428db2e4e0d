/* test-wrap-box.c — a row of children that wraps when narrow, and the pages that use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sl-endpoint-page.h"
#include "sl-ui-test-util.h"
#include "sl-wrap-box.h"

static int
min_width (GtkWidget *widget)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return min;
}

static int
nat_width (GtkWidget *widget)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return nat;
}

static int
height_for (GtkWidget *widget,
            int        width)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  return nat;
}

static graphene_rect_t
bounds_in (GtkWidget *child,
           GtkWidget *box)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child, box, &bounds));
  return bounds;
}

static void
test_wrap (void)
{
  GtkWidget *box, *buttons[3], *hidden;
  graphene_rect_t b0, b1, b2;
  int wide, narrow_min, one_row, rows;

  if (!sl_ui_test_have_display ())
    return;

  box = sl_wrap_box_new ();
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      g_autofree char *label = g_strdup_printf ("Button number %u", i);

      buttons[i] = gtk_button_new_with_label (label);
      sl_wrap_box_append (SL_WRAP_BOX (box), buttons[i]);
    }
  hidden = gtk_button_new_with_label ("A hidden button that takes no room at all");
  gtk_widget_set_visible (hidden, FALSE);
  sl_wrap_box_append (SL_WRAP_BOX (box), hidden);
  gtk_widget_set_hexpand (buttons[0], TRUE);

  /* As narrow as its widest child; naturally all on one row. */
  narrow_min = 0;
  wide = 0;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      narrow_min = MAX (narrow_min, min_width (buttons[i]));
      wide += nat_width (buttons[i]);
    }
  g_assert_cmpint (min_width (box), ==, narrow_min);
  g_assert_cmpint (nat_width (box), ==, wide + 2 * 6);
  one_row = height_for (box, nat_width (box));
  rows = height_for (box, narrow_min);
  g_assert_cmpint (rows, >=, 3 * one_row);

  /* Wide: one row, in order, the expanding child takes the room left. */
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, nat_width (box) + 100, one_row }, -1);
  b0 = bounds_in (buttons[0], box);
  b1 = bounds_in (buttons[1], box);
  b2 = bounds_in (buttons[2], box);
  g_assert_cmpfloat (b0.origin.y, ==, b1.origin.y);
  g_assert_cmpfloat (b1.origin.y, ==, b2.origin.y);
  g_assert_cmpfloat (b0.origin.x, ==, 0);
  g_assert_cmpfloat (b0.size.width, ==, nat_width (buttons[0]) + 100);
  g_assert_cmpfloat (b1.origin.x, >, b0.origin.x + b0.size.width);
  g_assert_cmpfloat (b2.origin.x + b2.size.width, ==, nat_width (box) + 100);

  /* Narrow: one child a row, none wider than the box. */
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, narrow_min, rows }, -1);
  b0 = bounds_in (buttons[0], box);
  b1 = bounds_in (buttons[1], box);
  b2 = bounds_in (buttons[2], box);
  g_assert_cmpfloat (b1.origin.y, >=, b0.origin.y + b0.size.height);
  g_assert_cmpfloat (b2.origin.y, >=, b1.origin.y + b1.size.height);
  g_assert_cmpfloat (b2.origin.y + b2.size.height, <=, rows);
  g_assert_cmpfloat (b1.origin.x, ==, 0);
  g_assert_cmpfloat (b1.size.width, <=, narrow_min);

  /* Right to left: the row starts at the right. */
  gtk_widget_set_direction (box, GTK_TEXT_DIR_RTL);
  gtk_widget_size_allocate (box, &(GtkAllocation) { 0, 0, nat_width (box), one_row }, -1);
  b0 = bounds_in (buttons[0], box);
  b2 = bounds_in (buttons[2], box);
  g_assert_cmpfloat (b0.origin.x + b0.size.width, ==, nat_width (box));
  g_assert_cmpfloat (b2.origin.x, ==, 0);

  g_object_ref_sink (box);
  g_object_unref (box);
}

/* An endpoint page fits half of a 1024-pixel screen: its toolbars wrap
 * instead of widening it (it was 709 pixels at least, and up to 918 for a
 * short height). */
static void
test_page_narrow (void)
{
  g_autoptr(SlEndpoint) server = NULL;
  GtkWidget *page, *button;
  GtkWindow *window;
  graphene_rect_t bounds;
  int width;

  if (!sl_ui_test_have_display ())
    return;

  server = sl_ui_test_start_server (SL_PROTOCOL_TCP, SL_IO_MODE_ASYNC);
  page = sl_endpoint_page_new ();
  sl_endpoint_page_set_endpoint (SL_ENDPOINT_PAGE (page), server);
  window = sl_ui_test_show (page, 1000, 700);

  width = min_width (page);
  g_test_message ("endpoint page: minimum width %d px", width);
  g_assert_cmpint (width, <=, 1024 / 2);

  /* Given a short height (a low window), it does not ask for more width:
   * its wrapping labels would otherwise want one line each (918 pixels). */
  for (int height = 200; height <= 1000; height += 200)
    {
      int min, nat;

      gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, height, &min, &nat, NULL, NULL);
      g_assert_cmpint (min, ==, width);
      g_assert_cmpint (nat, <=, 640);
    }

  /* At that width the toolbars wrap rather than cutting their buttons off. */
  gtk_widget_size_allocate (page, &(GtkAllocation) { 0, 0, width, height_for (page, width) }, -1);
  button = sl_ui_test_get (page, GTK_TYPE_BUTTON, "Shut Down Writing");
  bounds = bounds_in (button, page);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
  button = sl_ui_test_get (page, GTK_TYPE_BUTTON, "Stop");
  bounds = bounds_in (button, page);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);

  sl_ui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  sl_ui_test_init (&argc, &argv);
  g_test_add_func ("/wrap-box/wrap", test_wrap);
  g_test_add_func ("/wrap-box/page-narrow", test_page_narrow);
  return g_test_run ();
}
