/* fuzz-cli.c: mesocare-cli's command lines, each command's option parsing and checks
 *
 * Input: the words of a command line cut at NUL bytes, the command first ("list",
 * "record", ...). The command's own function runs in process, as main.c dispatches it,
 * on a small database of its own (made once; put back before each input, so that a
 * write by one input is not seen by the next), in a folder that is the current one
 * while it runs: a file an option names stays in there.
 *
 * Left out: `generate` (its work grows with the number given), `sheet` (a module; the
 * renderer has its own harness, and fuzz-database draws from damaged files), `--help`
 * (GOption exits), and any word with a '/' (a path out of the folder).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "meso-cli.h"
#include "meso-fuzz.h"

static const struct
{
  const char         *name;
  MesoCliCommandFunc  func;
} commands[] = {
  { "record", meso_cli_record },
  { "list", meso_cli_list },
  { "show", meso_cli_show },
  { "amend", meso_cli_amend },
  { "void", meso_cli_void },
  { "audit", meso_cli_audit },
  { "export", meso_cli_export },
  { "import", meso_cli_import },
  { "backup", meso_cli_backup },
  { "restore", meso_cli_restore },
  { "check", meso_cli_check },
  { "rules", meso_cli_rules },
  { "adjust", meso_cli_adjust },
  { "clinic", meso_cli_clinic },
  { "report", meso_cli_report },
  { "recall", meso_cli_recall },
};

#define DB_NAME "mesocare.db"

static char *folder;
static char *db_path;
static GBytes *pristine;   /* the database as made once */

static int
run_words (const char * const *words)
{
  MesoCliGlobals globals = { db_path };
  g_auto(GStrv) argv = g_strdupv ((GStrv) words);
  g_autofree char **argv_list = g_memdup2 (argv, sizeof (char *) * (g_strv_length (argv) + 1));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (words[0], commands[i].name))
      return commands[i].func (&globals, (int) g_strv_length (argv), argv_list);
  return MESO_CLI_EXIT_USAGE;
}

/* A small database: sessions made up, one amended, one voided, a sheet adjusted, the
 * clinic's details. */
static void
make_database (void)
{
  static const char * const setup[][14] = {
    { "generate", "--sessions", "12", "--seed", "7" },
    { "amend", "2", "--injections", "99", "--reason", "miscounted" },
    { "void", "3", "--reason", "entered twice" },
    { "adjust", "4", "--add-line", "Drink water", "--text", "cold-pack=A cold pack for ten minutes" },
    { "clinic", "--name", "Clinique du Parc", "--phone", "+33 1 23 45 67 89" },
  };
  MesoCliGlobals globals = { db_path };

  for (guint i = 0; i < G_N_ELEMENTS (setup); i++)
    {
      g_auto(GStrv) argv = g_strdupv ((GStrv) setup[i]);
      g_autofree char **argv_list = g_memdup2 (argv, sizeof (char *) * (g_strv_length (argv) + 1));
      int status;

      status = g_str_equal (setup[i][0], "generate")
               ? meso_cli_generate (&globals, (int) g_strv_length (argv), argv_list)
               : run_words (setup[i]);
      if (status != 0)
        g_error ("setting up the database: “%s” failed", setup[i][0]);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  meso_fuzz_init ();
  folder = meso_fuzz_make_temp_dir ();
  db_path = g_build_filename (folder, DB_NAME, NULL);
  make_database ();
  if (!g_file_get_contents (db_path, &data, &length, NULL))
    g_error ("the database was not made");
  pristine = g_bytes_new_take (g_steal_pointer (&data), length);
  return 0;
}

/* Whether a word would make GOption print help and exit, or reach out of the folder. */
static gboolean
is_left_out (const char *word)
{
  if (strchr (word, '/') != NULL || g_str_has_prefix (word, "--help"))
    return TRUE;
  return word[0] == '-' && word[1] != '-' && strpbrk (word, "h?") != NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(GStrv) words = NULL;
  int here;

  if (size > 4096)
    return -1;
  words = meso_fuzz_split (data, size, 32);
  if (g_str_equal (words[0], "generate") || g_str_equal (words[0], "sheet"))
    return -1;
  for (guint i = 0; words[i] != NULL; i++)
    if (is_left_out (words[i]))
      return -1;

  meso_fuzz_remove_files (folder, NULL);
  meso_fuzz_write_file (db_path, g_bytes_get_data (pristine, NULL),
                        g_bytes_get_size (pristine));
  here = open (".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (here < 0 || chdir (folder) != 0)
    g_error ("cannot enter %s", folder);
  run_words ((const char * const *) words);
  if (fchdir (here) != 0)
    g_error ("cannot go back to the folder libFuzzer started in");
  close (here);
  return 0;
}
