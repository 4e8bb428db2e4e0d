/* corpus-driver.c — runs a fuzz target over every file of a seed corpus
 *
 * Without libFuzzer (gcc builds, CI), this main() feeds each file of the
 * directory given as argv[1] to LLVMFuzzerTestOneInput once, so the seeds are
 * checked in every test run. Exit status 0 when every input was handled.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n = 0;

  if (argc != 2)
    {
      g_printerr ("usage: %s CORPUS_DIR\n", argv[0]);
      return 2;
    }

  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (argv[1], name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
      n++;
    }

  g_print ("%u corpus inputs handled\n", n);
  return n > 0 ? 0 : 1;
}
