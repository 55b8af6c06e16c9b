/* bench-cli.c: how long `mesocare-cli sheet` takes as a whole process, against the
 * floor as a whole process (bench-floor)
 *
 *   bench-cli [--rounds N] [--warmups N] BENCH-FLOOR
 *
 * The tool comes from $MESOCARE_CLI, as in the tests. Both programs run with a private
 * home, from a database prepared once, and write a new file each round: what a user
 * waits for, start-up, database and disk included. Prints one line (see
 * bench_report()); fails only when it cannot measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "meso-store.h"

typedef struct
{
  GSubprocessLauncher *launcher;
  const char          *dir;        /* private_dir, see there */
  GStrv                cli_argv;
  GStrv                floor_argv;
  const char          *sheet_pdf;  /* in cli_argv */
  const char          *floor_pdf;  /* in floor_argv */
} CliBench;

static const char *private_dir;  /* bench_make_private_dir() */

/* The tool never sees the real home, and finds its settings where the tests put them
 * (GSETTINGS_SCHEMA_DIR, GSETTINGS_BACKEND: inherited from meson's environment). */
static GSubprocessLauncher *
new_launcher (const char *dir)
{
  static const char * const variables[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  GSubprocessLauncher *launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                               | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *path = bench_make_dir (dir, variables[i][1]);

      g_subprocess_launcher_setenv (launcher, variables[i][0], path, TRUE);
    }
  return launcher;
}

/* The database, with the typical session in it; returns the session's id. */
static char *
prepare_database (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open (db, &error);
  g_autoptr(MesoSession) session = bench_make_session ();

  if (store == NULL || !meso_store_save_session (store, session, &error))
    bench_fail ("the database: %s", error->message);
  return g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (session));
}

static gboolean
run_process (CliBench *bench,
             GStrv     argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) err = NULL;

  process = g_subprocess_launcher_spawnv (bench->launcher, (const char * const *) argv,
                                          &error);
  if (process == NULL || !g_subprocess_communicate (process, no_input, NULL, NULL, &err, &error))
    bench_fail ("%s: %s", argv[0], error->message);
  if (!g_subprocess_get_successful (process))
    bench_fail ("%s failed: %.*s", argv[0], (int) g_bytes_get_size (err),
                (const char *) g_bytes_get_data (err, NULL));
  return TRUE;
}

/* Each round writes a new file: replacing one would add the wait for the disk that
 * GIO rightly takes before it replaces a file, and a user mostly saves a new one. */
static gboolean
run_cli (gpointer data)
{
  CliBench *bench = data;

  g_remove (bench->sheet_pdf);
  return run_process (bench, bench->cli_argv);
}

static gboolean
run_floor (gpointer data)
{
  CliBench *bench = data;

  g_remove (bench->floor_pdf);
  return run_process (bench, bench->floor_argv);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    bench_fail ("%s", error->message);
  return g_bytes_new_take (contents, length);
}

/* Runs the tool once: the floor's text is what the tool printed, read back. */
static void
prepare_floor (CliBench   *bench,
               const char *floor_exe)
{
  g_auto(BenchPdfText) sheet = { 0 };
  g_autoptr(GBytes) sheet_pdf = NULL;
  g_autoptr(GBytes) floor_pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text_file = g_build_filename (bench->dir, "sheet.txt", NULL);
  g_autofree char *floor_pdf_path = g_build_filename (bench->dir, "floor.pdf", NULL);
  char width[G_ASCII_DTOSTR_BUF_SIZE], height[G_ASCII_DTOSTR_BUF_SIZE];

  run_cli (bench);
  sheet_pdf = read_bytes (bench->sheet_pdf);
  bench_read_pdf_text (sheet_pdf, &sheet);
  if (sheet.n_pages != BENCH_TYPICAL_PAGES)
    bench_fail ("the sheet has %u pages, not the %u of a typical sheet", sheet.n_pages,
                BENCH_TYPICAL_PAGES);
  if (!g_file_set_contents (text_file, sheet.text, -1, &error))
    bench_fail ("%s", error->message);

  g_ascii_dtostr (width, sizeof width, sheet.width);
  g_ascii_dtostr (height, sizeof height, sheet.height);
  bench->floor_argv = g_strdupv ((char *[]) {
    (char *) floor_exe, width, height, text_file, floor_pdf_path, NULL
  });
  bench->floor_pdf = bench->floor_argv[4];

  run_floor (bench);
  floor_pdf = read_bytes (bench->floor_pdf);
  bench_check_floor (sheet_pdf, floor_pdf);
}

static void
prepare (CliBench   *bench,
         const char *floor_exe)
{
  const char *cli = g_getenv ("MESOCARE_CLI");
  g_autofree char *db = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sheet_pdf = NULL;

  if (cli == NULL || *cli == '\0')
    bench_fail ("MESOCARE_CLI is not set: run this benchmark through “meson test --benchmark”");
  private_dir = bench_make_private_dir ("bench-cli-XXXXXX");
  bench->dir = private_dir;
  bench->launcher = new_launcher (bench->dir);

  db = g_build_filename (bench->dir, "mesocare.db", NULL);
  id = prepare_database (db);
  sheet_pdf = g_build_filename (bench->dir, "sheet.pdf", NULL);
  bench->cli_argv = g_strdupv ((char *[]) {
    (char *) cli, "--db", db, "sheet", id, "--output", sheet_pdf, NULL
  });
  bench->sheet_pdf = bench->cli_argv[6];

  prepare_floor (bench, floor_exe);
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options = { 0 };
  CliBench bench = { 0 };
  g_autoptr(GArray) cli_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));

  bench_parse_options (&argc, &argv, &options);
  if (argc != 2)
    bench_fail ("give the path of bench-floor");
  prepare (&bench, argv[1]);

  bench_run_interleaved (&options, run_cli, run_floor, &bench, cli_ms, floor_ms);
  bench_report ("sheet-process", cli_ms, floor_ms);

  g_strfreev (bench.cli_argv);
  g_strfreev (bench.floor_argv);
  g_object_unref (bench.launcher);
  return 0;
}
