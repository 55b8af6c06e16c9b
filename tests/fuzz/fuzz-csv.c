/* fuzz-csv.c: `mesocare-cli import`, in process, on a CSV file libFuzzer makes up
 *
 * The command's own code reads the file (meso-cli-export.c, meso-csv.c, each field's
 * parser) and, when every row is good, saves the sessions into a database of its own,
 * made anew for each input. The bare CSV reader is also run to the end of the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "meso-cli.h"
#include "meso-csv.h"
#include "meso-fuzz.h"

static char *folder;
static char *csv_path;
static char *db_path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  meso_fuzz_init ();
  folder = meso_fuzz_make_temp_dir ();
  csv_path = g_build_filename (folder, "sessions.csv", NULL);
  db_path = g_build_filename (folder, "mesocare.db", NULL);
  return 0;
}

static void
read_whole (const uint8_t *data,
            size_t         size)
{
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new ((const char *) data, size);
  g_auto(GStrv) fields = NULL;
  guint line = 0;

  while (meso_csv_reader_next (reader, &fields, &line, NULL))
    {
      for (guint i = 0; fields[i] != NULL; i++)
        {
          g_autofree char *escaped = meso_csv_escape_formula (fields[i]);
          g_autofree char *back = meso_csv_unescape_formula (escaped);

          if (g_strcmp0 (back, fields[i]) != 0)
            g_error ("“%s” escaped as a formula reads back as “%s”", fields[i], back);
        }
      g_clear_pointer (&fields, g_strfreev);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  MesoCliGlobals globals = { db_path };
  char *argv[] = { (char *) "import", csv_path, NULL };

  read_whole (data, size);
  meso_fuzz_write_file (csv_path, data, size);
  meso_cli_import (&globals, 2, argv);
  meso_fuzz_remove_files (folder, NULL);
  return 0;
}
