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
 * after: the real schema (meso_store_open()), then 20,000 patients and 1,000,000
 * sessions with their areas and their audit entries (a valid hash chain), written with
 * SQLite in one transaction. Each run copies it into the million tree.
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
#include "meso-area.h"
#include "meso-backup.h"
#include "meso-field.h"
#include "meso-store.h"

#define N_PATIENTS       20000
#define N_SESSIONS       1000000
#define N_PRACTITIONERS  3
#define GENESIS_HASH     "0000000000000000000000000000000000000000000000000000000000000000"

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

static void
exec_or_fail (sqlite3    *db,
              const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    bench_fail ("%s: %s", sql, message);
}

static sqlite3_stmt *
prepare_or_fail (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    bench_fail ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static void
step_or_fail (sqlite3      *db,
              sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    bench_fail ("%s: %s", sqlite3_sql (stmt), sqlite3_errmsg (db));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static char *
iso_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/* As meso-store-audit.c chains its entries. */
static char *
audit_hash (gint64      seq,
            const char *at,
            const char *user,
            gint64      entity_id,
            const char *payload,
            const char *prev_hash)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s\x1f" "create"
                                           "\x1f" "session" "\x1f%"
                                           G_GINT64_FORMAT "\x1f%s\x1f%s",
                                           seq, at, user, entity_id, payload, prev_hash);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* From 2014-01-01 on, one session every two minutes of a nine-hour day: the millionth
 * falls in 2024, in the past whatever the clock says. */
#define SESSIONS_A_DAY 270

static gint64
session_time (gint64 id)
{
  return 1388566800 + (id / SESSIONS_A_DAY) * 86400 + (id % SESSIONS_A_DAY) * 120;
}

static const char * const first_names[] = {
  "Claire", "Ann", "Sophie", "Marie", "Julie", "Laura", "Emma", "Chloé", "Inès", "Léa",
  "Sarah", "Camille", "Manon", "Lucie", "Elena", "Paula", "Nadia", "Yasmine", "Zoé", "Alice",
};
static const char * const last_names[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
  "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
  "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont",
};
static const char * const products[] = {
  "Hyaluronic acid 1.2% with vitamin complex", "Cocktail H", "Organic silicium 0.5%",
  "Dexpanthenol and biotin", "Phosphatidylcholine 5%",
};
static const char * const languages[] = { "en", "fr", "es" };

/* What the store writes for a session, in the order of its fields. */
static char *
session_payload (gint64      id,
                 const char *patient,
                 const char *areas,
                 int         injections,
                 int         duration,
                 const char *date,
                 const char *dob,
                 const char *language,
                 const char *practitioner,
                 const char *product,
                 const char *lot,
                 const char *next_session,
                 const char *instructions)
{
  GString *payload = g_string_new (NULL);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *injections_text = g_strdup_printf ("%d", injections);
  g_autofree char *duration_text = g_strdup_printf ("%d", duration);

  meso_payload_append (payload, "id", id_text);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_PATIENT), patient);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_AREAS), areas);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_INJECTIONS), injections_text);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_DURATION), duration_text);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_DATE), date);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_DATE_OF_BIRTH), dob);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_LANGUAGE), language);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_BLOOD_THINNERS), "no");
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_PREGNANT), "no");
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_PRACTITIONER), practitioner);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_PRODUCT), product);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_LOT), lot);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_NEXT_SESSION), next_session);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_INSTRUCTIONS), instructions);
  meso_payload_append (payload, meso_field_get_id (MESO_FIELD_PREGNANCY_OVERRIDE), "no");
  return g_string_free (payload, FALSE);
}

static void
insert_patients (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare_or_fail (db, "INSERT INTO patients (id, full_name, date_of_birth, phone, language,"
                         " created_at) VALUES (?1, ?2, ?3, ?4, ?5, '2015-01-01T09:00:00Z')");

  for (gint64 id = 1; id <= N_PATIENTS; id++)
    {
      guint i = (guint) id;
      g_autofree char *name = g_strdup_printf ("%s %s %u", first_names[i % G_N_ELEMENTS (first_names)],
                                               last_names[(i / 20) % G_N_ELEMENTS (last_names)], i);
      g_autofree char *dob = g_strdup_printf ("%04u-%02u-%02u", 1950 + i % 55, 1 + i % 12,
                                              1 + i % 28);
      g_autofree char *phone = g_strdup_printf ("+33 6 %02u %02u %02u %02u", i % 100,
                                                (i / 100) % 100, (i / 7) % 100, (i / 3) % 100);

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, dob, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, languages[i % G_N_ELEMENTS (languages)], -1, SQLITE_STATIC);
      step_or_fail (db, stmt);
    }
}

static void
insert_sessions (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) session =
    prepare_or_fail (db, "INSERT INTO sessions (id, patient_id, practitioner_id, performed_at,"
                         " injections, duration_minutes, created_at, created_by, product, lot,"
                         " next_session, instructions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4,"
                         " 'bench', ?7, ?8, ?9, ?10)");
  g_autoptr(sqlite3_stmt) area =
    prepare_or_fail (db, "INSERT INTO session_areas (session_id, area) VALUES (?1, ?2)");
  g_autoptr(sqlite3_stmt) audit =
    prepare_or_fail (db, "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id,"
                         " payload, prev_hash, hash) VALUES (?1, ?2, 'bench', 'create',"
                         " 'session', ?1, ?3, ?4, ?5)");
  static const char * const practitioners[N_PRACTITIONERS] = { "Dr Roux", "Dr Morel", "Dr Petit" };
  g_autofree char *prev_hash = g_strdup (GENESIS_HASH);

  for (guint i = 0; i < N_PRACTITIONERS; i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("INSERT INTO practitioners (id, name, created_at)"
                         " VALUES (%u, '%s', '2015-01-01T09:00:00Z')", i + 1, practitioners[i]);

      exec_or_fail (db, sql);
    }

  for (gint64 id = 1; id <= N_SESSIONS; id++)
    {
      guint i = (guint) id;
      guint patient = 1 + (guint) ((id * 7919) % N_PATIENTS);
      gint64 when = session_time (id);
      g_autofree char *at = iso_time (when);
      g_autofree char *next = iso_time (when + 28 * 86400);
      g_autofree char *next_date = g_strndup (next, 10);
      g_autofree char *lot = g_strdup_printf ("L-%u-%03u", 2014 + i / SESSIONS_A_DAY / 365,
                                              i % 997);
      g_autofree char *name = g_strdup_printf ("%s %s %u",
                                               first_names[patient % G_N_ELEMENTS (first_names)],
                                               last_names[(patient / 20) % G_N_ELEMENTS (last_names)],
                                               patient);
      g_autofree char *dob = g_strdup_printf ("%04u-%02u-%02u", 1950 + patient % 55,
                                              1 + patient % 12, 1 + patient % 28);
      MesoArea first = (MesoArea) (1u << (i % MESO_N_AREAS));
      MesoArea second = i % 2 == 0 ? (MesoArea) (1u << ((i / 2 + 3) % MESO_N_AREAS)) : 0;
      g_autofree char *areas = meso_areas_to_string (first | second, ",");
      const char *product = products[i % G_N_ELEMENTS (products)];
      const char *instructions = i % 3 == 0 ? "Sleep on your back for the first two nights.\n"
                                              "No facial massage until your next session."
                                            : "";
      int injections = 10 + (int) (i % 390), duration = 10 + (int) (i % 50);
      g_autofree char *payload = NULL;
      g_autofree char *hash = NULL;

      sqlite3_bind_int64 (session, 1, id);
      sqlite3_bind_int64 (session, 2, patient);
      sqlite3_bind_int64 (session, 3, 1 + i % N_PRACTITIONERS);
      sqlite3_bind_text (session, 4, at, -1, SQLITE_STATIC);
      sqlite3_bind_int (session, 5, injections);
      sqlite3_bind_int (session, 6, duration);
      sqlite3_bind_text (session, 7, product, -1, SQLITE_STATIC);
      sqlite3_bind_text (session, 8, lot, -1, SQLITE_STATIC);
      sqlite3_bind_text (session, 9, next_date, -1, SQLITE_STATIC);
      if (*instructions != '\0')
        sqlite3_bind_text (session, 10, instructions, -1, SQLITE_STATIC);
      step_or_fail (db, session);

      MESO_AREA_FOREACH (a)
        {
          if (!((first | second) & a))
            continue;
          sqlite3_bind_int64 (area, 1, id);
          sqlite3_bind_text (area, 2, meso_area_get_id (a), -1, SQLITE_STATIC);
          step_or_fail (db, area);
        }

      payload = session_payload (id, name, areas, injections, duration, at, dob,
                                 languages[patient % G_N_ELEMENTS (languages)],
                                 practitioners[i % N_PRACTITIONERS], product, lot, next_date,
                                 instructions);
      hash = audit_hash (id, at, "bench", id, payload, prev_hash);
      sqlite3_bind_int64 (audit, 1, id);
      sqlite3_bind_text (audit, 2, at, -1, SQLITE_STATIC);
      sqlite3_bind_text (audit, 3, payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (audit, 4, prev_hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (audit, 5, hash, -1, SQLITE_STATIC);
      step_or_fail (db, audit);
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
    }
}

/* The schema version, the count of sessions and the time of the last: a cache of
 * another version of the schema or of this program, or one half made, is made again. */
static gboolean
million_is_current (const char *path)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) version = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autofree char *last = iso_time (session_time (N_SESSIONS));

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)
      || sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &version, NULL) != SQLITE_OK
      || sqlite3_step (version) != SQLITE_ROW
      || sqlite3_column_int (version, 0) != meso_store_get_latest_schema_version ())
    return FALSE;
  return sqlite3_prepare_v2 (db, "SELECT count(*), max(performed_at) FROM sessions", -1, &count,
                             NULL) == SQLITE_OK
         && sqlite3_step (count) == SQLITE_ROW
         && sqlite3_column_int64 (count, 0) == N_SESSIONS
         && g_strcmp0 ((const char *) sqlite3_column_text (count, 1), last) == 0;
}

/* Made beside the cache, renamed into place when complete. Returns the seconds it
 * took, or 0 when the cache was current. */
static double
ensure_million (const char *path)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *tmp_wal = g_strconcat (tmp, "-wal", NULL);
  g_autofree char *tmp_shm = g_strconcat (tmp, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(sqlite3) db = NULL;
  gint64 start = g_get_monotonic_time ();

  if (million_is_current (path))
    return 0;

  g_printerr ("Making the database of a million sessions in %s (once)…\n", path);
  g_remove (tmp);
  g_remove (tmp_wal);
  g_remove (tmp_shm);
  store = meso_store_open (tmp, &error);
  if (store == NULL)
    bench_fail ("%s", error->message);
  g_clear_object (&store);

  if (sqlite3_open_v2 (tmp, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    bench_fail ("%s: %s", tmp, sqlite3_errmsg (db));
  /* A scratch file until it is renamed: no journal, no waiting for the disk. */
  exec_or_fail (db, "PRAGMA journal_mode = OFF");
  exec_or_fail (db, "PRAGMA synchronous = OFF");
  exec_or_fail (db, "PRAGMA cache_size = -262144");
  exec_or_fail (db, "BEGIN");
  insert_patients (db);
  insert_sessions (db);
  exec_or_fail (db, "COMMIT");
  /* As the app leaves its database. */
  exec_or_fail (db, "PRAGMA journal_mode = WAL");
  g_clear_pointer (&db, sqlite3_close);

  if (g_rename (tmp, path) != 0)
    bench_fail ("%s: %s", path, g_strerror (errno));
  if (!million_is_current (path))
    bench_fail ("%s: the database made is not the one expected", path);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
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
                           "sessions=%u patients=%u audit_entries=%u db_mb=%.0f %s",
                           bench_summarize (bench.ms[RUN_MILLION]).median
                           / bench_summarize (bench.ms[RUN_EMPTY]).median,
                           bench_summarize (bench.check_million_ms).median,
                           bench_summarize (bench.ms[RUN_MILLION_BACKED_UP]).median,
                           N_SESSIONS, N_PATIENTS, N_SESSIONS, file_mb (argv[3]), made);
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
