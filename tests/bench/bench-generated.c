/* bench-generated.c: the databases `mesocare-cli generate` makes for the benchmarks, made
 * once and kept
 *
 * A cache is taken when its schema is the one this build writes, it holds the count of
 * sessions asked for, and its audit log names `generate --seed 1` as the source of its
 * sessions; otherwise it is made again, beside, then renamed into place, so that a cache
 * half made is never taken for a whole one. bench-store and bench-startup share the
 * million this way: whichever runs first makes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "bench-common.h"
#include "bench-generated.h"
#include "meso-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

void
bench_remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* The first row's first column as text, or NULL. */
static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

gboolean
bench_generated_is_current (const char *path,
                            guint       n_sessions)
{
  g_autoptr(sqlite3) db = NULL;
  g_autofree char *version = NULL;
  g_autofree char *count = NULL;
  g_autofree char *source = NULL;
  g_autofree char *expected = g_strdup_printf ("%u", n_sessions);

  /* Read-write, so that closing it removes the -wal and -shm files that even a reader
   * of a WAL database makes. */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)
      || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    return FALSE;
  version = query_text (db, "PRAGMA user_version");
  count = query_text (db, "SELECT count(*) FROM sessions");
  source = query_text (db, "SELECT payload FROM audit_log WHERE entity = 'database'"
                           " AND entity_id = 0 AND action = 'import' ORDER BY seq LIMIT 1");
  return version != NULL && atoi (version) == meso_store_get_latest_schema_version ()
         && g_strcmp0 (count, expected) == 0
         && source != NULL
         && g_str_has_prefix (source, "source=mesocare-cli generate --seed "
                                      BENCH_GENERATE_SEED "\n");
}

/* Makes @path anew with `generate`, in the environment @env; returns the seconds the
 * tool took, from before its spawn to after its end. */
double
bench_generate (const char         *cli,
                const char * const *env,
                const char         *path,
                guint               n_sessions)
{
  g_autofree char *count = g_strdup_printf ("%u", n_sessions);
  const char *argv[] = { cli, "--db", path, "generate", "--sessions", count,
                         "--seed", BENCH_GENERATE_SEED, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gint64 start;

  bench_remove_database (path);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, (char **) env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                     NULL, NULL, &err, &status, &error))
    bench_fail ("%s: %s", cli, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    bench_fail ("%s generate: %s: %s", cli, error->message, err);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Returns the seconds `generate` took, or 0 when the cache was current. */
double
bench_ensure_generated (const char         *cli,
                        const char * const *env,
                        const char         *cache,
                        guint               n_sessions)
{
  g_autofree char *tmp = g_strconcat (cache, ".tmp", NULL);
  g_autoptr(sqlite3) db = NULL;
  double seconds;

  if (bench_generated_is_current (cache, n_sessions))
    return 0;
  g_printerr ("Making %s with mesocare-cli generate --sessions %u (once)…\n", cache,
              n_sessions);
  seconds = bench_generate (cli, env, tmp, n_sessions);
  /* Everything into the main file, so that the file alone is the database. */
  if (sqlite3_open_v2 (tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    bench_fail ("%s: %s", tmp, sqlite3_errmsg (db));
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  g_clear_pointer (&db, sqlite3_close);
  bench_remove_database (cache);
  if (g_rename (tmp, cache) != 0)
    bench_fail ("%s: %s", cache, g_strerror (errno));
  /* The head of its sealed audit log, which `check` reads beside it. */
  {
    g_autofree char *tmp_head = g_strconcat (tmp, ".head", NULL);
    g_autofree char *head = g_strconcat (cache, ".head", NULL);

    if (g_file_test (tmp_head, G_FILE_TEST_EXISTS) && g_rename (tmp_head, head) != 0)
      bench_fail ("%s: %s", head, g_strerror (errno));
  }
  bench_remove_database (tmp);
  if (!bench_generated_is_current (cache, n_sessions))
    bench_fail ("%s: the database made is not the one expected", cache);
  return seconds;
}
