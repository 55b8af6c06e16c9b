/* fuzz-database.c: a database file of any bytes, opened as `check`, `list`, `show` and
 * `audit` open it, and its first session's sheet drawn as `sheet` draws it
 *
 * The bytes are written to a file of their own and the tool's commands run on it in
 * process: each must fail with a message or succeed, never crash, whatever the file
 * holds. Seeds: small real databases of each schema.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-cli.h"
#include "meso-fuzz.h"

static char *folder;
static char *db_path;
static char *pdf_path;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  meso_fuzz_init ();
  folder = meso_fuzz_make_temp_dir ();
  db_path = g_build_filename (folder, "mesocare.db", NULL);
  pdf_path = g_build_filename (folder, "sheet.pdf", NULL);
  return 0;
}

/* Runs @command with the words that follow, up to a %NULL. */
static void run (MesoCliCommandFunc command,
                 ...) G_GNUC_NULL_TERMINATED;

static void
run (MesoCliCommandFunc command,
     ...)
{
  MesoCliGlobals globals = { db_path };
  char *argv[8] = { NULL };
  int argc = 0;
  va_list args;

  va_start (args, command);
  while (argc < 7 && (argv[argc] = va_arg (args, char *)) != NULL)
    argc++;
  va_end (args);
  command (&globals, argc, argv);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  meso_fuzz_write_file (db_path, data, size);
  run (meso_cli_check, "check", NULL);
  run (meso_cli_list, "list", NULL);
  run (meso_cli_show, "show", "1", NULL);
  run (meso_cli_show, "show", "2", NULL);
  run (meso_cli_audit, "audit", NULL);
  run (meso_cli_sheet, "sheet", "1", "--output", pdf_path, NULL);
  meso_fuzz_remove_files (folder, NULL);
  return 0;
}
