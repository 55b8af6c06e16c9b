/* bench-startup.c: from exec to the window's first frame, with an empty database and
 * with a million sessions, against a bare AdwApplicationWindow (bench-bare-window)
 *
 *   bench-startup [--rounds N] [--warmups N] MESOCARE BENCH-BARE-WINDOW MILLION-DB
 *
 * Each program runs in a private tree (HOME, XDG_*_HOME, XDG_RUNTIME_DIR 0700) with
 * MESOCARE_QUIT_AFTER_FIRST_FRAME set: it prints `first-frame <µs>` from
 * g_get_monotonic_time() when its first frame is painted, and quits. The time measured
 * runs from just before the spawn here to that moment there: one clock, CLOCK_MONOTONIC,
 * in both processes.
 *
 * MILLION-DB is a cache, made when missing (or of another schema version) and reused
 * after: `mesocare-cli generate --sessions 1000000 --seed 1` ($MESOCARE_CLI), so that
 * the window opens on a real clinic's database: patients, current values, name index,
 * amendments, voids and audit log (bench-generated.c; bench-store keeps the same file).
 * Each run copies it into the million tree.
 *
 * The app makes its daily backup in a worker thread when it finds none of today's. It
 * quits at its first frame, before the copy ends, so every start would be "the first of
 * the day": the backups folder is emptied before each start of either tree, so that
 * every round does the same, and a fourth program, the million tree with today's backup
 * present, shows what the backup costs. The line also gives what `PRAGMA quick_check`
 * (meso_backup_check_file(), which the app runs on its database before it opens it)
 * takes here, in this process, on each database.
 *
 * Prints two lines, startup-empty and startup-million; fails only when it cannot
 * measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "bench-generated.h"
#include "meso-backup.h"
#include "meso-store.h"

#define N_SESSIONS       1000000

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef enum
{
  RUN_EMPTY,
  RUN_MILLION,
  RUN_MILLION_BACKED_UP,  /* today's backup present: no daily backup */
  RUN_BARE,
  N_RUNS
} RunKind;

typedef struct
{
  GSubprocessLauncher *launcher;
  char                *db;          /* NULL for the bare window */
  char                *backups;
} Tree;

typedef struct
{
  char   *mesocare;
  char   *bare_window;
  Tree    empty;
  Tree    million;
  Tree    bare;
  GArray *ms[N_RUNS];
  GArray *check_empty_ms;
  GArray *check_million_ms;
} StartupBench;

/* ---- The private trees ---- */

static const char *private_dir;  /* bench_make_private_dir() */

/* GSETTINGS_SCHEMA_DIR and GSETTINGS_BACKEND=memory come from meson's environment, as
 * in the tests; the renderer is set here too, so that both programs use the same. */
static void
tree_init (Tree       *tree,
           const char *name)
{
  static const char * const variables[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_autofree char *root = bench_make_dir (private_dir, name);
  g_autofree char *data = NULL;

  tree->launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                              | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *path = bench_make_dir (root, variables[i][1]);

      g_subprocess_launcher_setenv (tree->launcher, variables[i][0], path, TRUE);
    }
  g_subprocess_launcher_setenv (tree->launcher, "MESOCARE_QUIT_AFTER_FIRST_FRAME", "1", TRUE);
  g_subprocess_launcher_setenv (tree->launcher, "GSK_RENDERER", "cairo", TRUE);
  g_subprocess_launcher_setenv (tree->launcher, "NO_AT_BRIDGE", "1", TRUE);

  /* Where meso_store_get_default_path() and meso_backup_get_default_dir() look. */
  data = bench_make_dir (root, "data/mesocare");
  tree->db = g_build_filename (data, "mesocare.db", NULL);
  tree->backups = g_build_filename (data, "backups", NULL);
}

static void
tree_clear (Tree *tree)
{
  g_clear_object (&tree->launcher);
  g_clear_pointer (&tree->db, g_free);
  g_clear_pointer (&tree->backups, g_free);
}

/* No backup, or only today's (its name is all the app looks at: an empty file will do). */
static void
reset_backups (Tree     *tree,
               gboolean  today_done)
{
  bench_remove_tree (tree->backups);
  if (today_done)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "mesocare-%Y%m%d-000000.db");
      g_autofree char *dir = bench_make_dir (tree->backups, "");
      g_autofree char *path = g_build_filename (dir, stamp, NULL);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (path, "", 0, &error))
        bench_fail ("%s", error->message);
    }
}

/* ---- The million ---- */

/* The tool's own folders while it generates: never the real home. */
static GStrv
generate_env (void)
{
  static const char * const variables[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                            "XDG_CACHE_HOME", "XDG_STATE_HOME",
                                            "XDG_RUNTIME_DIR" };
  g_autofree char *root = bench_make_dir (private_dir, "generate");
  GStrv env = g_get_environ ();

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *path = bench_make_dir (root, variables[i]);

      env = g_environ_setenv (env, variables[i], path, TRUE);
    }
  return env;
}

/* The database `generate` makes (the one bench-store keeps too). Returns the seconds
 * it took, or 0 when the cache was current. */
static double
ensure_million (const char *path)
{
  const char *cli = g_getenv ("MESOCARE_CLI");
  g_auto(GStrv) env = NULL;

  if (cli == NULL || *cli == '\0')
    bench_fail ("MESOCARE_CLI is not set: run this benchmark through “meson test --benchmark”");
  env = generate_env ();
  return bench_ensure_generated (cli, (const char * const *) env, path, N_SESSIONS);
}

/* What the million holds, for the result line. */
static char *
describe_million (const char *path)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT (SELECT count (*) FROM sessions),"
                                 " (SELECT count (*) FROM patients),"
                                 " (SELECT count (*) FROM audit_log)", -1, &stmt, NULL)
         != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    bench_fail ("%s: %s", path, sqlite3_errmsg (db));
  return g_strdup_printf ("sessions=%lld patients=%lld audit_entries=%lld",
                          sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                          sqlite3_column_int64 (stmt, 2));
}

static void
copy_or_fail (const char *from,
              const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    bench_fail ("%s: %s", to, error->message);
  g_chmod (to, 0600);
}

/* ---- Timing ---- */

static double
run_program (Tree       *tree,
             const char *program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *line;
  gint64 frame = 0;
  gint64 start;

  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (tree->launcher, &error, program, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error))
    bench_fail ("%s: %s", program, error->message);
  if (!g_subprocess_get_successful (process))
    bench_fail ("%s failed: %s", program, err);
  line = strstr (out, "first-frame ");
  if (line == NULL || sscanf (line, "first-frame %" G_GINT64_FORMAT, &frame) != 1 || frame < start)
    bench_fail ("%s printed no first frame: %s%s", program, out, err);
  return (frame - start) / 1000.0;
}

static double
time_check (const char *db)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!meso_backup_check_file (db, &error))
    bench_fail ("%s", error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
run_one (StartupBench *bench,
         RunKind       kind)
{
  switch (kind)
    {
    case RUN_EMPTY:
      reset_backups (&bench->empty, FALSE);
      return run_program (&bench->empty, bench->mesocare);
    case RUN_MILLION:
      reset_backups (&bench->million, FALSE);
      return run_program (&bench->million, bench->mesocare);
    case RUN_MILLION_BACKED_UP:
      reset_backups (&bench->million, TRUE);
      return run_program (&bench->million, bench->mesocare);
    case RUN_BARE:
    case N_RUNS:
    default:
      return run_program (&bench->bare, bench->bare_window);
    }
}

/* Each program goes first in turn, round after round, so that whatever the machine is
 * doing weighs on all alike. */
static void
run_rounds (StartupBench       *bench,
            const BenchOptions *options)
{
  for (guint round = 0; round < options->warmups + options->rounds; round++)
    {
      double ms[N_RUNS];
      double check_empty, check_million;

      for (guint k = 0; k < N_RUNS; k++)
        {
          RunKind kind = (round + k) % N_RUNS;

          ms[kind] = run_one (bench, kind);
        }
      check_empty = time_check (bench->empty.db);
      check_million = time_check (bench->million.db);
      if (round < options->warmups)
        continue;
      for (guint k = 0; k < N_RUNS; k++)
        g_array_append_val (bench->ms[k], ms[k]);
      g_array_append_val (bench->check_empty_ms, check_empty);
      g_array_append_val (bench->check_million_ms, check_million);
    }
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0;
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options = { 0 };
  StartupBench bench = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) empty_store = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *made = NULL;
  g_autofree char *contents = NULL;
  double made_s;

  bench_parse_options (&argc, &argv, &options);
  if (argc != 4)
    bench_fail ("give the paths of mesocare, bench-bare-window and the million's cache");
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("startup: no display, run under xvfb-run\n");
      return 77;
    }
  bench.mesocare = argv[1];
  bench.bare_window = argv[2];

  private_dir = bench_make_private_dir ("bench-startup-XXXXXX");
  tree_init (&bench.empty, "empty");
  tree_init (&bench.million, "million");
  tree_init (&bench.bare, "bare");

  empty_store = meso_store_open (bench.empty.db, &error);
  if (empty_store == NULL)
    bench_fail ("%s", error->message);
  g_clear_object (&empty_store);

  made_s = ensure_million (argv[3]);
  made = made_s > 0 ? g_strdup_printf ("db_made_s=%.1f", made_s) : g_strdup ("db_cached=yes");
  copy_or_fail (argv[3], bench.million.db);
  contents = describe_million (argv[3]);

  for (guint k = 0; k < N_RUNS; k++)
    bench.ms[k] = g_array_new (FALSE, FALSE, sizeof (double));
  bench.check_empty_ms = g_array_new (FALSE, FALSE, sizeof (double));
  bench.check_million_ms = g_array_new (FALSE, FALSE, sizeof (double));
  run_rounds (&bench, &options);

  extra = g_strdup_printf ("quick_check_ms=%.2f daily_backup=each-start",
                           bench_summarize (bench.check_empty_ms).median);
  bench_report_full ("startup-empty", bench.ms[RUN_EMPTY], bench.ms[RUN_BARE], BENCH_AIM,
                     extra);
  g_free (extra);
  extra = g_strdup_printf ("million_over_empty=%.2f quick_check_ms=%.2f "
                           "without_daily_backup_ms=%.2f daily_backup=each-start "
                           "%s db_mb=%.0f %s",
                           bench_summarize (bench.ms[RUN_MILLION]).median
                           / bench_summarize (bench.ms[RUN_EMPTY]).median,
                           bench_summarize (bench.check_million_ms).median,
                           bench_summarize (bench.ms[RUN_MILLION_BACKED_UP]).median,
                           contents, file_mb (argv[3]), made);
  bench_report_full ("startup-million", bench.ms[RUN_MILLION], bench.ms[RUN_BARE], BENCH_AIM,
                     extra);

  for (guint k = 0; k < N_RUNS; k++)
    g_array_unref (bench.ms[k]);
  g_array_unref (bench.check_empty_ms);
  g_array_unref (bench.check_million_ms);
  tree_clear (&bench.empty);
  tree_clear (&bench.million);
  tree_clear (&bench.bare);
  return 0;
}
