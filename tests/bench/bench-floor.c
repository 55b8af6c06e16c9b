/* bench-floor.c: the floor of `mesocare-cli sheet` as a whole process
 *
 *   bench-floor WIDTH HEIGHT TEXT-FILE OUTPUT.pdf
 *
 * Reads the sheet's text (see bench-floor-render.h), draws it as the in-process floor
 * does, and writes the PDF with plain stdio. It links GLib, Cairo and Pango only, so
 * that its start-up is the least a program printing text with them can have.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-floor-render.h"

static gboolean
parse_points (const char *text,
              double     *out_points)
{
  char *end = NULL;

  *out_points = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *out_points > 0;
}

static gboolean
write_file (const char *path,
            GBytes     *contents)
{
  gsize size = 0;
  const void *data = g_bytes_get_data (contents, &size);
  FILE *file = fopen (path, "wb");

  if (file == NULL)
    return FALSE;
  if (fwrite (data, 1, size, file) != size)
    {
      fclose (file);
      return FALSE;
    }
  return fclose (file) == 0;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  double width, height;

  if (argc != 5 || !parse_points (argv[1], &width) || !parse_points (argv[2], &height))
    {
      g_printerr ("Usage: bench-floor WIDTH HEIGHT TEXT-FILE OUTPUT.pdf\n");
      return 2;
    }
  if (!g_file_get_contents (argv[3], &text, NULL, &error))
    {
      g_printerr ("bench-floor: %s\n", error->message);
      return EXIT_FAILURE;
    }
  pdf = bench_floor_render_pdf (text, width, height);
  if (pdf == NULL)
    {
      g_printerr ("bench-floor: Cairo could not draw the PDF\n");
      return EXIT_FAILURE;
    }
  if (!write_file (argv[4], pdf))
    {
      g_printerr ("bench-floor: %s: %s\n", argv[4], g_strerror (errno));
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
