/* bench-engines.c: the same work on a clinic server (PostgreSQL over a Unix socket) and
 * on this computer's file (SQLite), with the same generated data
 *
 *   bench-engines [--rounds N] [--warmups N] [--sessions N] PG-SERVER-SCRIPT
 *
 * Both databases are `mesocare-cli generate --sessions N --seed 1` (ten thousand by
 * default: a clinic's few years), one in a private folder, one in a database of its own
 * on a private server (build-aux/pg-server, with fsync turned back on so that a commit
 * costs what it costs a clinic), or on MESOCARE_TEST_SERVER when it is set. While
 * working on an engine, MESOCARE_BENCH_ENGINES_PG (a database's URI) and
 * MESOCARE_BENCH_ENGINES_SQLITE (a file), both generated so before, skip the minute or
 * two of generating (each run's saves are added to them).
 *
 * Three subjects (and the first page in halves), each through MesoStore in this process,
 * the PostgreSQL store measured against the SQLite store in interleaved rounds (the
 * "floor" of each line is SQLite):
 * - save: one new session, acknowledged (its transaction committed, its audit entry
 *   chained);
 * - history-first-page: what History asks when it opens: the count of every session and
 *   the first page of lines, newest first (and each half alone: history-count,
 *   history-lines);
 * - report-month: the last whole month's report.
 *
 * Prints one line per subject (bench_report_full(), against the aim: within 2
 * times); fails only when it cannot measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <string.h>

#include "bench-common.h"
#include "meso-session-list.h"
#include "meso-store.h"

/* The aim for a server over a Unix socket. */
#define ENGINES_AIM 2.0

typedef struct
{
  MesoStore *sqlite;
  MesoStore *pg;
  GDate      first;
  GDate      last;
} Stores;

static char *
run_out (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error))
    bench_fail ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    bench_fail ("%s %s failed: %s", argv[0], argv[1], err);
  return g_strstrip (g_steal_pointer (&out));
}

static void
psql (const char *uri,
      const char *sql)
{
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql,
                         NULL };

  g_free (run_out (argv));
}

/* The server's URI for database @name, from the superuser's @server (host= in its query). */
static char *
database_uri (const char *server,
              const char *name)
{
  const char *query = strchr (server, '?');
  const char *slash = strstr (server, "@/");

  if (query == NULL || slash == NULL)
    bench_fail ("a server's URI of the form postgresql://USER@/DB?host=DIR: %s", server);
  return g_strdup_printf ("%.*s/%s%s", (int) (slash + 1 - server), server, name, query);
}

static void
generate (const char *cli,
          const char *location,
          int         sessions)
{
  g_autofree char *count = g_strdup_printf ("%d", sessions);
  const char *argv[] = { cli, "--db", location, "generate", "--sessions", count,
                         "--seed", "1", NULL };

  g_free (run_out (argv));
}

static MesoStore *
open_store (const char *location)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_store_open (location, &error);

  if (store == NULL)
    bench_fail ("%s", error->message);
  return store;
}

/* ---- The subjects, each on one store ---- */

static gboolean
save_on (MesoStore *store)
{
  g_autoptr(MesoSession) session = bench_make_session ();
  g_autoptr(GError) error = NULL;

  if (!meso_store_save_session (store, session, &error))
    bench_fail ("save: %s", error->message);
  return TRUE;
}

static gboolean
count_line (const MesoSessionLine  *line,
            gpointer                user_data,
            GError                **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static gboolean
first_page_on (MesoStore *store)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GError) error = NULL;
  guint lines = 0;

  if (meso_store_count_matching (store, query, &error) < 0)
    bench_fail ("count: %s", error->message);
  meso_session_query_set_range (query, 0, MESO_SESSION_LIST_PAGE_SIZE);
  if (!meso_store_query_lines (store, query, count_line, &lines, &error))
    bench_fail ("first page: %s", error->message);
  if (lines != MESO_SESSION_LIST_PAGE_SIZE)
    bench_fail ("first page: %u lines", lines);
  return TRUE;
}

static gboolean
report_on (MesoStore   *store,
           const GDate *first,
           const GDate *last)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoReport) report = meso_store_report (store, first, last, &error);

  if (report == NULL)
    bench_fail ("report: %s", error->message);
  return TRUE;
}

/* The two halves of the first page, apart: where its time goes. */
static gboolean
count_on (MesoStore *store)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GError) error = NULL;

  if (meso_store_count_matching (store, query, &error) < 0)
    bench_fail ("count: %s", error->message);
  return TRUE;
}

static gboolean
lines_on (MesoStore *store)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GError) error = NULL;
  guint lines = 0;

  meso_session_query_set_range (query, 0, MESO_SESSION_LIST_PAGE_SIZE);
  if (!meso_store_query_lines (store, query, count_line, &lines, &error))
    bench_fail ("first page: %s", error->message);
  return TRUE;
}

static gboolean count_pg (gpointer data)     { return count_on (((Stores *) data)->pg); }
static gboolean count_sqlite (gpointer data) { return count_on (((Stores *) data)->sqlite); }
static gboolean lines_pg (gpointer data)     { return lines_on (((Stores *) data)->pg); }
static gboolean lines_sqlite (gpointer data) { return lines_on (((Stores *) data)->sqlite); }
static gboolean save_pg (gpointer data)     { return save_on (((Stores *) data)->pg); }
static gboolean save_sqlite (gpointer data) { return save_on (((Stores *) data)->sqlite); }
static gboolean page_pg (gpointer data)     { return first_page_on (((Stores *) data)->pg); }
static gboolean page_sqlite (gpointer data) { return first_page_on (((Stores *) data)->sqlite); }

static gboolean
report_pg (gpointer data)
{
  Stores *stores = data;

  return report_on (stores->pg, &stores->first, &stores->last);
}

static gboolean
report_sqlite (gpointer data)
{
  Stores *stores = data;

  return report_on (stores->sqlite, &stores->first, &stores->last);
}

static void
measure (const BenchOptions *options,
         const char         *name,
         BenchFunc           pg_run,
         BenchFunc           sqlite_run,
         Stores             *stores)
{
  g_autoptr(GArray) pg_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sqlite_ms = g_array_new (FALSE, FALSE, sizeof (double));

  bench_run_interleaved (options, pg_run, sqlite_run, stores, pg_ms, sqlite_ms);
  bench_report_full (name, pg_ms, sqlite_ms, ENGINES_AIM, "floor=sqlite subject=postgresql");
}

static void
measure_all (const BenchOptions *options,
             Stores             *stores)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  /* The last whole month. */
  g_date_clear (&stores->last, 1);
  g_date_set_dmy (&stores->last, 1, g_date_time_get_month (now), g_date_time_get_year (now));
  g_date_subtract_days (&stores->last, 1);
  stores->first = stores->last;
  g_date_set_day (&stores->first, 1);

  measure (options, "engines-history-first-page", page_pg, page_sqlite, stores);
  measure (options, "engines-history-count", count_pg, count_sqlite, stores);
  measure (options, "engines-history-lines", lines_pg, lines_sqlite, stores);
  measure (options, "engines-report-month", report_pg, report_sqlite, stores);
  measure (options, "engines-save", save_pg, save_sqlite, stores);
}

/* ---- The private server ---- */

static char *server_dir;
static const char *server_script;

static void
stop_server (void)
{
  const char *argv[] = { server_script, "stop", server_dir, NULL };

  if (server_dir == NULL)
    return;
  g_free (run_out (argv));
  bench_remove_tree (server_dir);
}

/* In a folder of its own, not the private one: the server runs as its own user (as
 * `postgres`, when this runs as root), which must be able to reach it. */
static char *
start_server (void)
{
  const char *argv[] = { server_script, "start", NULL, NULL };
  g_autoptr(GError) error = NULL;
  char *uri;

  server_dir = g_dir_make_tmp ("mesocare-bench-server-XXXXXX", &error);
  if (server_dir == NULL)
    bench_fail ("%s", error->message);
  argv[2] = server_dir;
  uri = run_out (argv);
  atexit (stop_server);
  /* The script's servers skip fsync, for the tests' speed; a clinic's does not. */
  psql (uri, "ALTER SYSTEM SET fsync = on");
  psql (uri, "SELECT pg_reload_conf ()");
  return uri;
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options;
  Stores stores = { NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *db_name = NULL;
  g_autofree char *create = NULL;
  g_autofree char *drop = NULL;
  g_autofree char *pg_location = NULL;
  g_autofree char *sqlite_location = NULL;
  const char *cli = g_getenv ("MESOCARE_CLI");
  const char *dir;
  int sessions = 10000;
  const GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_INT, &sessions, "Sessions in each database (10000)",
      "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || sessions < 100)
    bench_fail ("--sessions: a number of sessions, at least 100");
  bench_parse_options (&argc, &argv, &options);
  if (argc != 2)
    bench_fail ("usage: bench-engines [--rounds N] [--warmups N] [--sessions N] "
                "PG-SERVER-SCRIPT");
  if (cli == NULL)
    bench_fail ("MESOCARE_CLI is not set");
  server_script = argv[1];
  dir = bench_make_private_dir ("mesocare-bench-engines-XXXXXX");

  if (g_getenv ("MESOCARE_BENCH_ENGINES_PG") != NULL
      && g_getenv ("MESOCARE_BENCH_ENGINES_SQLITE") != NULL)
    {
      stores.pg = open_store (g_getenv ("MESOCARE_BENCH_ENGINES_PG"));
      stores.sqlite = open_store (g_getenv ("MESOCARE_BENCH_ENGINES_SQLITE"));
      measure_all (&options, &stores);
      g_clear_object (&stores.sqlite);
      g_clear_object (&stores.pg);
      return 0;
    }
  server = g_strdup (g_getenv ("MESOCARE_TEST_SERVER"));
  if (server == NULL || *server == '\0')
    {
      g_free (server);
      server = start_server ();
    }
  db_name = g_strdup_printf ("meso_bench_%u", g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s", db_name);
  psql (server, create);
  pg_location = database_uri (server, db_name);
  sqlite_location = g_build_filename (dir, "mesocare.db", NULL);
  generate (cli, sqlite_location, sessions);
  generate (cli, pg_location, sessions);
  /* What autovacuum does within a minute or so of the load, and has done long since on a
   * clinic's server: without it every count reads each row's heap page again to see
   * whether it is visible (the visibility map not yet set), two to three times slower. */
  psql (pg_location, "VACUUM ANALYZE");
  stores.sqlite = open_store (sqlite_location);
  stores.pg = open_store (pg_location);
  measure_all (&options, &stores);

  g_clear_object (&stores.sqlite);
  g_clear_object (&stores.pg);
  drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", db_name);
  psql (server, drop);
  return 0;
}
