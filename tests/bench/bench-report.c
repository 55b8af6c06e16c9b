/* bench-report.c: a month's and a year's report and a lot's recall on a million sessions,
 * against the sqlite3 shell running the same SQL on the same file
 *
 *   bench-report [--rounds N] [--warmups N] [--sessions N] SQLITE3 CACHE-DIR
 *
 * The database is `mesocare-cli generate --sessions N --seed 1` (a million by default),
 * made once and kept in CACHE-DIR as store-1m.db, the file the store's benchmark keeps
 * (bench-generated.c), then copied to a private folder: the runs never touch the cache.
 *
 * Three subjects, each `mesocare-cli report --format csv` or `recall --format tsv` as a
 * whole process (opening the store, the statement, the audit entry, the output):
 * - report-month: the last whole month before today, stepped by week;
 * - report-year: the twelve whole months before today, stepped by month;
 * - recall-lot: the lot of the newest session.
 * The floor of each: the sqlite3 shell, as a whole process, running the engine's own
 * statement (meso_sqlite_store_report_sql(), meso_sqlite_store_recall_sql()) with the
 * same values bound, printing the same rows, then writing the same audit entry, chained
 * as the store chains its own (the shell's sha3() where the store uses SHA-256), with
 * PRAGMA synchronous = FULL as the store (as bench-store's floors do). Both run in the
 * same time zone, which 'localtime' reads.
 *
 * Prints one line per subject (see bench_report_full()); fails only when it cannot
 * measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "bench-common.h"
#include "bench-generated.h"
#include "meso-sqlite-store-private.h"

/* The hash before the first audit entry. */
#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  const char *cli;
  const char *sqlite3;
  char       *path;
  GStrv       subject_argv;   /* after `mesocare-cli --db PATH` */
  GStrv       floor_argv;     /* the shell's arguments after the database */
} Run;

static gboolean
spawn_reads_rows (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    bench_fail ("%s: %s: %s", argv[0], error->message, err != NULL ? err : "");
  return out != NULL && *out != '\0';
}

static gboolean
run_subject (gpointer data)
{
  Run *run = data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, run->cli, "--db", run->path, NULL);
  g_strv_builder_addv (builder, (const char **) run->subject_argv);
  argv = g_strv_builder_end (builder);
  return spawn_reads_rows ((const char * const *) argv);
}

static gboolean
run_floor (gpointer data)
{
  Run *run = data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add_many (builder, run->sqlite3, "-batch", "-noheader", run->path, NULL);
  g_strv_builder_addv (builder, (const char **) run->floor_argv);
  argv = g_strv_builder_end (builder);
  return spawn_reads_rows ((const char * const *) argv);
}

/* The shell's `.parameter set ?N 'value'`: the value quoted twice, once for the
 * dot-command's parser, once as an SQL string. */
static char *
parameter (guint       n,
           const char *value)
{
  return g_strdup_printf (".parameter set ?%u \"'%s'\"", n, value);
}

/* An INSERT of the next audit entry about the database, chained to the last one; @payload
 * is SQL. */
static char *
audit_insert_sql (const char *action,
                  const char *payload)
{
  return g_strdup_printf (
    "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, payload, prev_hash, hash)"
    " SELECT seq, at, 'bench', '%s', 'database', 0, payload, prev,"
    "  lower (hex (sha3 (seq || char (31) || at || char (31) || 'bench' || char (31) || '%s'"
    "   || char (31) || 'database' || char (31) || 0 || char (31) || payload || char (31)"
    "   || prev, 256)))"
    " FROM (SELECT coalesce (max (seq), 0) + 1 AS seq,"
    "  strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now') AS at, %s AS payload,"
    "  coalesce ((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '" GENESIS_HASH "')"
    "  AS prev FROM audit_log);",
    action, action, payload);
}

static char *
format_day (const GDate *day)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day));
}

static char *
day_start_utc (const GDate *day)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (g_date_get_year (day),
                                                      g_date_get_month (day),
                                                      g_date_get_day (day), 0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The report of [@first, @last] as the tool runs it, and as the shell runs its SQL. */
static void
set_up_report (Run         *run,
               const GDate *first,
               const GDate *last)
{
  g_autofree char *from = format_day (first);
  g_autofree char *to = format_day (last);
  g_autofree char *sql = meso_sqlite_store_report_sql ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GDate after = *last;
  g_autofree char *from_utc = day_start_utc (first);
  g_autofree char *to_utc = NULL;
  g_autoptr(GPtrArray) floor = g_ptr_array_new ();
  g_autofree char *payload = g_strdup_printf ("'from=%s' || char (10) || 'to=%s' || char (10)",
                                              from, to);

  g_date_add_days (&after, 1);
  to_utc = day_start_utc (&after);
  g_strfreev (run->subject_argv);
  run->subject_argv = g_strdupv ((char *[]) { "report", "--from", from, "--to", to,
                                              "--format", "csv", NULL });
  g_ptr_array_add (floor, parameter (1, from_utc));
  g_ptr_array_add (floor, parameter (2, to_utc));
  g_ptr_array_add (floor, parameter (3, from));
  g_ptr_array_add (floor, parameter (4, to));
  g_ptr_array_add (floor, parameter (5, today));
  g_ptr_array_add (floor, g_strconcat (sql, ";", NULL));
  g_ptr_array_add (floor, g_strdup ("PRAGMA synchronous = FULL;"));
  g_ptr_array_add (floor, audit_insert_sql ("report", payload));
  g_ptr_array_add (floor, NULL);
  g_strfreev (run->floor_argv);
  run->floor_argv = (GStrv) g_ptr_array_steal (floor, NULL);
}

static void
set_up_recall (Run        *run,
               const char *lot)
{
  g_autofree char *key = g_ascii_strdown (lot, -1);
  g_autoptr(GPtrArray) floor = g_ptr_array_new ();
  g_autofree char *payload = g_strdup_printf (
    "'lot=%s' || char (10) || 'patients=' || (SELECT group_concat (patient_id, ',') FROM"
    " (SELECT DISTINCT patient_id FROM session_current WHERE lower (trim (lot)) = '%s'"
    " AND status <> 'voided')) || char (10)", lot, key);

  g_strfreev (run->subject_argv);
  run->subject_argv = g_strdupv ((char *[]) { "recall", "--lot", (char *) lot, NULL });
  g_ptr_array_add (floor, parameter (1, key));
  g_ptr_array_add (floor, g_strconcat (meso_sqlite_store_recall_sql (TRUE), ";", NULL));
  g_ptr_array_add (floor, g_strdup ("PRAGMA synchronous = FULL;"));
  /* The patients' ids as the store lists them: from the same rows, read again. */
  g_ptr_array_add (floor, audit_insert_sql ("recall", payload));
  g_ptr_array_add (floor, NULL);
  g_strfreev (run->floor_argv);
  run->floor_argv = (GStrv) g_ptr_array_steal (floor, NULL);
}

/* The lot of the newest session that has one. */
static char *
newest_lot (const char *path)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT lot FROM session_current WHERE lot IS NOT NULL"
                                 " AND status <> 'voided' ORDER BY performed_at DESC LIMIT 1",
                             -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    bench_fail ("%s: no lot", path);
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
copy_database (const char *from,
               const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    bench_fail ("%s: %s", from, error->message);
}

static void
measure (const BenchOptions *options,
         Run                *run,
         const char         *name)
{
  g_autoptr(GArray) subject_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));

  bench_run_interleaved (options, run_subject, run_floor, run, subject_ms, floor_ms);
  bench_report_full (name, subject_ms, floor_ms, BENCH_AIM, NULL);
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options;
  Run run = { NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *label = NULL;
  g_autofree char *name = NULL;
  const char *dir;
  int sessions = 1000000;
  GDate first, last;
  const GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_INT, &sessions, "Sessions in the database (1000000)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || sessions < 1)
    bench_fail ("--sessions: a number of sessions, at least 1");
  bench_parse_options (&argc, &argv, &options);
  if (argc != 3)
    bench_fail ("usage: bench-report [--rounds N] [--warmups N] [--sessions N] SQLITE3 "
                "CACHE-DIR");
  run.cli = g_getenv ("MESOCARE_CLI");
  if (run.cli == NULL)
    bench_fail ("MESOCARE_CLI is not set");
  run.sqlite3 = argv[1];

  cache = g_build_filename (argv[2], sessions == 1000000 ? "store-1m.db" : "report.db", NULL);
  bench_ensure_generated (run.cli, NULL, cache, (guint) sessions);
  dir = bench_make_private_dir ("mesocare-bench-report-XXXXXX");
  run.path = g_build_filename (dir, "mesocare.db", NULL);
  copy_database (cache, run.path);
  label = sessions == 1000000 ? g_strdup ("1m") : g_strdup_printf ("%d", sessions);

  /* The last whole month, and the twelve before today's month. */
  now = g_date_time_new_now_local ();
  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&last, 1, g_date_time_get_month (now), g_date_time_get_year (now));
  g_date_subtract_days (&last, 1);
  first = last;
  g_date_set_day (&first, 1);
  set_up_report (&run, &first, &last);
  name = g_strconcat ("report-month-", label, NULL);
  measure (&options, &run, name);

  g_date_subtract_months (&first, 11);
  set_up_report (&run, &first, &last);
  g_free (name);
  name = g_strconcat ("report-year-", label, NULL);
  measure (&options, &run, name);

  lot = newest_lot (run.path);
  set_up_recall (&run, lot);
  g_free (name);
  name = g_strconcat ("recall-lot-", label, NULL);
  measure (&options, &run, name);

  g_strfreev (run.subject_argv);
  g_strfreev (run.floor_argv);
  g_free (run.path);
  return 0;
}
