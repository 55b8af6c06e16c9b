/* test-store.c: the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "meso-error.h"
#include "meso-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mesocare-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet: the store must create it. */
  fixture->path = g_build_filename (fixture->dir, "clinic", "mesocare.db", NULL);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static MesoSession *
make_session (const char *patient,
              MesoArea    areas,
              guint       injections,
              guint       duration)
{
  return g_object_new (MESO_TYPE_SESSION,
                       "patient-name", patient,
                       "areas", areas,
                       "injections", injections,
                       "duration", duration,
                       NULL);
}

static MesoStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static gint64
save (MesoStore   *store,
      MesoSession *session)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_save_session (store, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_session_get_id (session), >, 0);
  return meso_session_get_id (session);
}

static void
assert_sessions_equal (MesoSession *a,
                       MesoSession *b)
{
  g_assert_cmpint (meso_session_get_id (a), ==, meso_session_get_id (b));
  g_assert_cmpstr (meso_session_get_patient_name (a), ==, meso_session_get_patient_name (b));
  g_assert_cmphex (meso_session_get_areas (a), ==, meso_session_get_areas (b));
  g_assert_cmpuint (meso_session_get_injections (a), ==, meso_session_get_injections (b));
  g_assert_cmpuint (meso_session_get_duration (a), ==, meso_session_get_duration (b));
  g_assert_nonnull (meso_session_get_performed_at (a));
  g_assert_nonnull (meso_session_get_performed_at (b));
  g_assert_true (g_date_time_equal (meso_session_get_performed_at (a),
                                    meso_session_get_performed_at (b)));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MesoSession) written = make_session ("Ann Smith", MESO_AREA_FACE | MESO_AREA_NECK,
                                                 120, 30);
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  gint64 id = save (store, written);

  /* Closed and opened again, as after a restart of the app. */
  g_clear_object (&store);
  store = open_store (fixture->path);
  read = meso_store_get_session (store, id, &error);
  g_assert_no_error (error);
  assert_sessions_equal (written, read);
}

static void
test_explicit_time_kept (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2026-03-04T10:20:30+02:00", NULL);
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_SCALP, 10, 10);
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(GDateTime) utc = NULL;

  meso_session_set_performed_at (session, when);
  read = meso_store_get_session (store, save (store, session), NULL);
  utc = g_date_time_to_utc (meso_session_get_performed_at (read));
  g_assert_true (g_date_time_equal (when, meso_session_get_performed_at (read)));
  g_assert_cmpint (g_date_time_get_hour (utc), ==, 8);
}

static int
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_schema_version (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);

  g_assert_cmpint (meso_store_get_latest_schema_version (), >=, 1);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
  g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==,
                   meso_store_get_latest_schema_version ());
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                              " ('patients', 'sessions', 'session_areas')"), ==, 3);

  /* Opening again applies nothing twice. */
  g_clear_object (&store);
  store = open_store (fixture->path);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
}

static void
test_wal (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static GBytes *
read_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static void
test_newer_database_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *newer = NULL;

  g_clear_object (&store);
  newer = g_strdup_printf ("PRAGMA journal_mode = DELETE; PRAGMA user_version = %d",
                           meso_store_get_latest_schema_version () + 1);
  exec_sql (fixture->path, newer);
  before = read_file (fixture->path);

  store = meso_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));

  after = read_file (fixture->path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  const char garbage[] = "These are not the records you are looking for.\n";
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, NULL));

  store = meso_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, fixture->path));

  after = read_file (fixture->path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                   garbage, sizeof garbage - 1);
}

static void
test_private_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 1, 1);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  GStatBuf st;

  save (store, session);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_invalid_writes_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(MesoSession) good = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoSession) bad = make_session ("Bob", MESO_AREA_FACE, 2001, 10);
  g_autoptr(GError) error = NULL;

  save (store, good);
  g_assert_false (meso_store_save_session (store, bad, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_INJECTIONS_RANGE);
  g_assert_cmpint (meso_session_get_id (bad), ==, 0);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM patients"), ==, 1);
}

/* The database's own checks stand behind the core's: a row that slipped past validation
 * would still be refused, and the transaction leaves nothing half-written. */
static void
test_failed_write_rolls_back (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE | MESO_AREA_ARMS, 10, 10);
  g_autoptr(GError) error = NULL;

  /* Sabotage the last insert of the transaction: the area rows. */
  exec_sql (fixture->path,
            "CREATE TRIGGER no_arms BEFORE INSERT ON session_areas WHEN NEW.area = 'arms'"
            " BEGIN SELECT RAISE(ABORT, 'arms refused'); END");
  g_assert_false (meso_store_save_session (store, session, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_cmpint (meso_session_get_id (session), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM sessions"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM patients"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM session_areas"), ==, 0);

  /* And the store is still usable afterwards. */
  meso_session_set_areas (session, MESO_AREA_FACE);
  save (store, session);
}

static void
test_list_newest_first (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(GPtrArray) sessions = NULL;
  const char *times[] = { "2026-01-02T09:00:00Z", "2026-05-01T09:00:00Z",
                          "2025-12-31T23:59:59Z" };
  gint64 ids[G_N_ELEMENTS (times)];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, i + 1, 10);
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (times[i], NULL);

      meso_session_set_performed_at (session, when);
      ids[i] = save (store, session);
    }

  sessions = meso_store_list_sessions (store, NULL);
  g_assert_cmpuint (sessions->len, ==, 3);
  g_assert_cmpint (meso_session_get_id (g_ptr_array_index (sessions, 0)), ==, ids[1]);
  g_assert_cmpint (meso_session_get_id (g_ptr_array_index (sessions, 1)), ==, ids[0]);
  g_assert_cmpint (meso_session_get_id (g_ptr_array_index (sessions, 2)), ==, ids[2]);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 3);
}

static void
test_missing_session (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) session = meso_store_get_session (store, 42, &error);

  g_assert_null (session);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "42"));
}

static void
test_patient_found_again (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MesoStore) store = open_store (fixture->path);
  g_autoptr(MesoSession) first = make_session ("Ann Smith", MESO_AREA_FACE, 1, 1);
  g_autoptr(MesoSession) second = make_session ("  Ann Smith ", MESO_AREA_SCALP, 2, 2);
  g_autoptr(MesoSession) other = make_session ("Ann Smyth", MESO_AREA_SCALP, 2, 2);

  save (store, first);
  save (store, second);
  save (store, other);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM patients"), ==, 2);
}

static void
test_hostile_name (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *names[] = {
    "O'Brien \"Bobby\" Tables'); DROP TABLE sessions;--",
    "Zoë Ångström-Łukasiewicz 🧴💉",
    "محمد بن سلمان",
    "שרה כהן (Sarah)",
    "%s %n %x \\ \\0 ",
  };
  g_autoptr(MesoStore) store = open_store (fixture->path);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MesoSession) session = make_session (names[i], MESO_AREA_FACE, 1, 1);
      g_autoptr(MesoSession) read = NULL;
      g_autofree char *trimmed = g_strstrip (g_strdup (names[i]));

      read = meso_store_get_session (store, save (store, session), NULL);
      g_assert_cmpstr (meso_session_get_patient_name (read), ==, trimmed);
    }
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, G_N_ELEMENTS (names));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/round-trip", test_round_trip);
  ADD ("/store/explicit-time-kept", test_explicit_time_kept);
  ADD ("/store/schema-version", test_schema_version);
  ADD ("/store/wal", test_wal);
  ADD ("/store/newer-database-refused", test_newer_database_refused);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/private-files", test_private_files);
  ADD ("/store/invalid-writes-nothing", test_invalid_writes_nothing);
  ADD ("/store/failed-write-rolls-back", test_failed_write_rolls_back);
  ADD ("/store/list-newest-first", test_list_newest_first);
  ADD ("/store/missing-session", test_missing_session);
  ADD ("/store/patient-found-again", test_patient_found_again);
  ADD ("/store/hostile-name", test_hostile_name);

#undef ADD
  return g_test_run ();
}
