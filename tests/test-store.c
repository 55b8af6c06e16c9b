/* test-store.c: the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-lot.h"
#include "meso-patient.h"
#include "meso-store.h"
#include "meso-test-sqlite.h"
#include "meso-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = meso_test_make_tmp_dir ("mesocare-store-XXXXXX");
  /* A folder that does not exist yet: the store must create it. */
  g_autofree char *file = g_build_filename (fixture->dir, "clinic", "mesocare.db", NULL);

  fixture->path = meso_test_db_location_new (file);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_remove_tree (fixture->dir);
  meso_test_db_location_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MesoSession) written = meso_test_session_new ("Ann Smith",
                                                          MESO_AREA_FACE | MESO_AREA_NECK,
                                                          120, 30);
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  gint64 id = meso_test_save_session (store, written);

  /* Closed and opened again, as after a restart of the app. */
  g_clear_object (&store);
  store = meso_test_open_store (fixture->path);
  read = meso_store_get_session (store, id, &error);
  g_assert_no_error (error);
  meso_test_assert_sessions_equal (written, read);
}

static void
test_explicit_time_kept (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2026-03-04T10:20:30+02:00", NULL);
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_SCALP, 10, 10);
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GDateTime) utc = NULL;

  meso_session_set_performed_at (session, when);
  read = meso_store_get_session (store, meso_test_save_session (store, session), NULL);
  utc = g_date_time_to_utc (meso_session_get_performed_at (read));
  g_assert_true (g_date_time_equal (when, meso_session_get_performed_at (read)));
  g_assert_cmpint (g_date_time_get_hour (utc), ==, 8);
}

/* On either engine: @path is a file or a server's URI. */
static int
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (meso_test_engine_is_postgresql ())
    return (int) meso_test_pg_count (path, sql);
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

  if (meso_test_engine_is_postgresql ())
    {
      meso_test_pg_run (path, sql);
      return;
    }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_schema_version (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);

  g_assert_cmpint (meso_store_get_latest_schema_version (), >=, 1);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
  if (meso_test_engine_is_postgresql ())
    {
      g_assert_cmpint (query_int (fixture->path, "SELECT version FROM meso_schema"), ==,
                       meso_store_get_latest_schema_version ());
      g_assert_cmpint (query_int (fixture->path,
                                  "SELECT count(*) FROM information_schema.tables WHERE"
                                  " table_name IN ('patients', 'sessions', 'session_areas')"),
                       ==, 3);
    }
  else
    {
      g_assert_cmpint (query_int (fixture->path, "PRAGMA user_version"), ==,
                       meso_store_get_latest_schema_version ());
      g_assert_cmpint (query_int (fixture->path,
                                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                                  " name IN ('patients', 'sessions', 'session_areas')"), ==, 3);
    }

  /* Opening again applies nothing twice. */
  g_clear_object (&store);
  store = meso_test_open_store (fixture->path);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
}

static void
test_wal (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
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

static void
test_newer_database_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *newer = NULL;

  g_clear_object (&store);
  newer = g_strdup_printf ("PRAGMA journal_mode = DELETE; PRAGMA user_version = %d",
                           meso_store_get_latest_schema_version () + 1);
  exec_sql (fixture->path, newer);
  before = meso_test_read_file (fixture->path);

  store = meso_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));

  after = meso_test_read_file (fixture->path);
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

  after = meso_test_read_file (fixture->path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                   garbage, sizeof garbage - 1);
}

static void
test_private_files (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, 1, 1);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  GStatBuf st;

  meso_test_save_session (store, session);
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
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) good = meso_test_session_new ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoSession) bad = meso_test_session_new ("Bob", MESO_AREA_FACE, 2001, 10);
  g_autoptr(GError) error = NULL;

  meso_test_save_session (store, good);
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
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE | MESO_AREA_ARMS,
                                                          10, 10);
  g_autoptr(GError) error = NULL;

  /* Sabotage the last insert of the transaction: the second area row. A SQLite store
   * writes nothing to a file whose schema is not the one its steps sealed, so there the
   * index is sealed as a schema step would, with the key. */
  if (meso_test_engine_is_postgresql ())
    exec_sql (fixture->path, "CREATE UNIQUE INDEX one_area ON session_areas (session_id)");
  else
    meso_test_sqlite_exec_sealed (fixture->path,
                                  "CREATE UNIQUE INDEX one_area ON session_areas (session_id)");
  g_assert_false (meso_store_save_session (store, session, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_cmpint (meso_session_get_id (session), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM sessions"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM patients"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM session_areas"), ==, 0);

  /* And the store is still usable afterwards. */
  meso_session_set_areas (session, MESO_AREA_FACE);
  meso_test_save_session (store, session);
}

static void
test_list_newest_first (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) sessions = NULL;
  const char *times[] = { "2026-01-02T09:00:00Z", "2026-05-01T09:00:00Z",
                          "2025-12-31T23:59:59Z" };
  gint64 ids[G_N_ELEMENTS (times)];

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, i + 1, 10);
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (times[i], NULL);

      meso_session_set_performed_at (session, when);
      ids[i] = meso_test_save_session (store, session);
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
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
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
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) first = meso_test_session_new ("Ann Smith", MESO_AREA_FACE, 1, 1);
  g_autoptr(MesoSession) second = meso_test_session_new ("  Ann Smith ", MESO_AREA_SCALP, 2, 2);
  g_autoptr(MesoSession) other = meso_test_session_new ("Ann Smyth", MESO_AREA_SCALP, 2, 2);

  meso_test_save_session (store, first);
  meso_test_save_session (store, second);
  meso_test_save_session (store, other);
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
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new (names[i], MESO_AREA_FACE, 1, 1);
      g_autoptr(MesoSession) read = NULL;
      g_autofree char *trimmed = g_strstrip (g_strdup (names[i]));

      read = meso_store_get_session (store, meso_test_save_session (store, session), NULL);
      g_assert_cmpstr (meso_session_get_patient_name (read), ==, trimmed);
    }
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, G_N_ELEMENTS (names));
}


static MesoSession *
full_session (void)
{
  g_autoptr(MesoSession) session = meso_test_session_new ("Claire Dubois", MESO_AREA_SCALP,
                                                          200, 40);
  const struct { MesoField field; const char *text; } values[] = {
    { MESO_FIELD_DATE_OF_BIRTH, "1979-06-15" },
    { MESO_FIELD_PHONE, "+33 6 00 00 00 00" },
    { MESO_FIELD_EMAIL, "claire@example.org" },
    { MESO_FIELD_LANGUAGE, "fr" },
    { MESO_FIELD_BLOOD_THINNERS, "yes" },
    { MESO_FIELD_ALLERGIES, "latex" },
    { MESO_FIELD_PRACTITIONER, "Dr Roux" },
    { MESO_FIELD_INDICATION, "hair-loss" },
    { MESO_FIELD_TECHNIQUE, "gun" },
    { MESO_FIELD_PRODUCT, "Cocktail H" },
    { MESO_FIELD_LOT, "L-42" },
    { MESO_FIELD_EXPIRY, "2030-01-31" },
    { MESO_FIELD_VOLUME, "2.55" },
    { MESO_FIELD_SESSION_NUMBER, "2" },
    { MESO_FIELD_SERIES_TOTAL, "6" },
    { MESO_FIELD_REACTIONS, "redness,pain" },
    { MESO_FIELD_INSTRUCTIONS, "Sleep on your back.\nNo hat today." },
    { MESO_FIELD_NOTES, "Prefers mornings." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (meso_session_set_field_text (session, values[i].field, values[i].text,
                                                  &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&session);
}

static void
test_full_record_round_trip (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MesoSession) written = full_session ();
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  gint64 id = meso_test_save_session (store, written);

  g_clear_object (&store);
  store = meso_test_open_store (fixture->path);
  read = meso_store_get_session (store, id, NULL);
  g_assert_true (meso_session_equal (written, read));
  g_assert_cmpstr (meso_session_get_language (read), ==, "fr");
  g_assert_true (meso_session_get_blood_thinners (read));
  g_assert_cmpint (meso_session_get_reactions (read), ==,
                   MESO_REACTION_REDNESS | MESO_REACTION_PAIN);
}

static char *
field_text (MesoSession *session,
            MesoField    field)
{
  return meso_session_get_field_text (session, field);
}

static void
test_amend_keeps_history (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(MesoSession) current = NULL;
  g_autoptr(GPtrArray) amendments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *injections = NULL;
  MesoAmendment *first;
  gint64 id = meso_test_save_session (store, session);

  amended = meso_store_get_session (store, id, NULL);
  g_assert_true (meso_session_set_field_text (amended, MESO_FIELD_INJECTIONS, "210", NULL));
  g_assert_true (meso_session_set_field_text (amended, MESO_FIELD_LOT, "L-43", NULL));
  g_assert_true (meso_store_amend_session (store, amended, "Count and lot misread", &error));
  g_assert_no_error (error);

  g_assert_true (meso_session_set_field_text (amended, MESO_FIELD_INJECTIONS, "220", NULL));
  g_assert_true (meso_store_amend_session (store, amended, "Recounted", &error));
  g_assert_no_error (error);

  current = meso_store_get_session (store, id, NULL);
  injections = field_text (current, MESO_FIELD_INJECTIONS);
  g_assert_cmpstr (injections, ==, "220");
  g_assert_cmpstr (meso_session_get_lot (current), ==, "L-43");

  /* Every earlier value is still there, in order. */
  amendments = meso_store_list_amendments (store, id, NULL);
  g_assert_cmpuint (amendments->len, ==, 2);
  first = g_ptr_array_index (amendments, 0);
  g_assert_cmpstr (first->reason, ==, "Count and lot misread");
  g_assert_cmpuint (first->changes->len, ==, 2);
  g_assert_cmpint (g_array_index (first->changes, MesoChange, 0).field, ==, MESO_FIELD_INJECTIONS);
  g_assert_cmpstr (g_array_index (first->changes, MesoChange, 0).old_value, ==, "200");
  g_assert_cmpstr (g_array_index (first->changes, MesoChange, 0).new_value, ==, "210");
  g_assert_cmpstr (g_array_index (first->changes, MesoChange, 1).old_value, ==, "L-42");

  /* The row as first written is untouched. */
  g_assert_cmpint (query_int (fixture->path, "SELECT injections FROM sessions"), ==, 200);
}

static void
test_amend_refusals (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = meso_test_save_session (store, session);

  amended = meso_store_get_session (store, id, NULL);
  g_assert_false (meso_store_amend_session (store, amended, "No change", &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (meso_session_set_field_text (amended, MESO_FIELD_INJECTIONS, "3", NULL));
  g_assert_false (meso_store_amend_session (store, amended, "  ", &error));
  g_assert_cmpint (meso_error_get_field (error), ==, MESO_FIELD_REASON);
  g_clear_error (&error);

  /* A patient's own record is not changed through one of their sessions. */
  g_assert_true (meso_session_set_field_text (amended, MESO_FIELD_PHONE, "+33 6 00 00 00 01",
                                              NULL));
  g_assert_false (meso_store_amend_session (store, amended, "Phone", &error));
  g_assert_cmpint (meso_error_get_field (error), ==, MESO_FIELD_PHONE);
  g_clear_error (&error);

  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM amendments"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM audit_log"), ==, 1);
}

/* The amendments of @id in its audit entries. */
static guint
count_amend_entries (MesoStore *store,
                     gint64     id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_list_audit (store, id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    if (g_str_equal (((MesoAuditEntry *) g_ptr_array_index (entries, i))->action, "amend"))
      n++;
  return n;
}

/* Two workstations open the same session; the chair corrects the lot; the desk, still
 * showing the form as it was, corrects the duration. Its copy holds the old lot: written,
 * it would take the chair's correction back unseen. It is refused, naming the session and
 * who amended it, and nothing of it is written; read again, the desk's correction goes
 * through, over the chair's. */
static void
test_amend_stale_copy_refused (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(MesoStore) chair = meso_test_open_store (fixture->path);
  g_autoptr(MesoStore) desk = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  g_autoptr(MesoSession) at_chair = NULL;
  g_autoptr(MesoSession) at_desk = NULL;
  g_autoptr(MesoSession) form = NULL;
  g_autoptr(MesoSession) stored = NULL;
  g_autoptr(GPtrArray) amendments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *named = NULL;
  gint64 id;

  meso_store_set_user (chair, "chair");
  meso_store_set_user (desk, "desk");
  id = meso_test_save_session (chair, session);
  named = g_strdup_printf ("session %" G_GINT64_FORMAT " ", id);
  at_chair = meso_store_get_session (chair, id, &error);
  g_assert_no_error (error);
  at_desk = meso_store_get_session (desk, id, &error);
  g_assert_no_error (error);

  g_assert_true (meso_session_set_field_text (at_chair, MESO_FIELD_LOT, "L-43", NULL));
  g_assert_true (meso_store_amend_session (chair, at_chair, "Lot misread", &error));
  g_assert_no_error (error);

  /* The app amends a copy of the session it shows: the copy knows what it was read with. */
  form = meso_session_copy (at_desk);
  g_assert_true (meso_session_set_field_text (form, MESO_FIELD_DURATION, "45", NULL));
  g_assert_false (meso_store_amend_session (desk, form, "Timer", &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, named));
  g_assert_nonnull (strstr (error->message, "amended by chair"));
  g_assert_nonnull (strstr (error->message, "nothing was changed"));
  g_clear_error (&error);

  /* The chair's amendment alone, as it wrote it. */
  stored = meso_store_get_session (desk, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_session_get_lot (stored), ==, "L-43");
  duration = meso_session_get_field_text (stored, MESO_FIELD_DURATION);
  g_assert_cmpstr (duration, ==, "40");
  amendments = meso_store_list_amendments (desk, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (amendments->len, ==, 1);
  g_assert_cmpuint (count_amend_entries (desk, id), ==, 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM amendment_values"), ==, 1);

  /* Opened again, the session amends. */
  g_assert_true (meso_session_set_field_text (stored, MESO_FIELD_DURATION, "45", NULL));
  g_assert_true (meso_store_amend_session (desk, stored, "Timer", &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  g_clear_pointer (&duration, g_free);
  stored = meso_store_get_session (chair, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_session_get_lot (stored), ==, "L-43");
  duration = meso_session_get_field_text (stored, MESO_FIELD_DURATION);
  g_assert_cmpstr (duration, ==, "45");
  g_assert_cmpuint (count_amend_entries (chair, id), ==, 2);
  g_assert_true (meso_store_check (chair, &error));
  g_assert_no_error (error);
}

static void
test_void_keeps_session (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  g_autoptr(MesoSession) voided = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = meso_test_save_session (store, session);

  g_assert_true (meso_store_void_session (store, id, "Recorded for the wrong patient", &error));
  g_assert_no_error (error);
  voided = meso_store_get_session (store, id, NULL);
  g_assert_true (meso_session_get_voided (voided));
  g_assert_cmpstr (meso_session_get_void_reason (voided), ==, "Recorded for the wrong patient");
  meso_session_set_voided (voided, NULL);
  meso_session_set_voided (session, NULL);
  g_assert_true (meso_session_equal (session, voided));

  all = meso_store_list_sessions (store, NULL);
  g_assert_cmpuint (all->len, ==, 1);

  g_assert_false (meso_store_void_session (store, id, "Again", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (meso_session_set_field_text (voided, MESO_FIELD_INJECTIONS, "9", NULL));
  g_assert_false (meso_store_amend_session (store, voided, "After void", &error));
  g_assert_nonnull (strstr (error->message, "voided"));
}

static void
test_database_refuses_rewrites (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *statements[] = {
    "UPDATE sessions SET injections = 1",
    "DELETE FROM sessions",
    "DELETE FROM session_areas",
    "UPDATE audit_log SET payload = 'x'",
    "DELETE FROM audit_log",
    "DELETE FROM voids",
    "UPDATE amendment_values SET new_value = 'x'",
  };
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  sqlite3 *db = NULL;

  /* A row in every table, or a trigger would have nothing to refuse. */
  meso_test_save_session (store, session);
  meso_session_set_injections (session, 201);
  g_assert_true (meso_store_amend_session (store, session, "Recount", NULL));
  g_assert_true (meso_store_void_session (store, meso_session_get_id (session), "Test", NULL));
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_test_message ("%s", statements[i]);
      g_assert_cmpint (sqlite3_exec (db, statements[i], NULL, NULL, NULL), !=, SQLITE_OK);
    }
  sqlite3_close (db);
  g_assert_true (meso_store_check (store, NULL));
}

static void
test_audit_log (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const MesoAuditEntry *create;
  gint64 id;

  meso_store_set_user (store, "alice");
  id = meso_test_save_session (store, session);
  amended = meso_store_get_session (store, id, NULL);
  meso_session_set_field_text (amended, MESO_FIELD_DURATION, "45", NULL);
  g_assert_true (meso_store_amend_session (store, amended, "Timer", NULL));
  g_assert_true (meso_store_log_event (store, "print", id, "file=x.pdf\n", NULL));
  g_assert_true (meso_store_void_session (store, id, "Duplicate", NULL));

  entries = meso_store_list_audit (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 4);
  create = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (create->action, ==, "create");
  g_assert_cmpstr (create->user, ==, "alice");
  g_assert_true (g_str_has_suffix (create->at, "Z"));
  g_assert_nonnull (strstr (create->payload, "patient=Claire Dubois\n"));
  /* Line breaks are escaped: one value, one line. */
  g_assert_nonnull (strstr (create->payload, "instructions=Sleep on your back.\\nNo hat today.\n"));
  g_assert_cmpstr (((MesoAuditEntry *) g_ptr_array_index (entries, 1))->action, ==, "amend");
  g_assert_nonnull (strstr (((MesoAuditEntry *) g_ptr_array_index (entries, 1))->payload,
                            "duration.old=40\nduration.new=45\n"));
  g_assert_cmpstr (((MesoAuditEntry *) g_ptr_array_index (entries, 2))->action, ==, "print");
  g_assert_cmpstr (((MesoAuditEntry *) g_ptr_array_index (entries, 3))->action, ==, "void");
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

/* Tampering bypasses the triggers (dropped first, as someone editing the file by hand
 * would), and must still be found, naming the first broken entry. */
typedef struct
{
  const char *sql;
  const char *expected;
} TamperCase;

static const TamperCase tamper_cases[] = {
  { "UPDATE audit_log SET payload = replace (payload, 'injections=201', 'injections=210')"
    " WHERE seq = 2",
    "entry 2 (create" },
  { "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", "entry 1 (create" },
  { "DELETE FROM audit_log WHERE seq = 2", "entry 3" },
  { "UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE seq = 3", "entry 3" },
};

static void
test_audit_tamper_detected (gconstpointer data)
{
  const TamperCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("mesocare-tamper-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "mesocare.db", NULL);
  char *path = meso_test_db_location_new (file);
  g_autoptr(MesoStore) store = meso_test_open_store (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, 200 + i, 10);

      meso_test_save_session (store, session);
    }
  g_assert_true (meso_store_check (store, NULL));

  /* What only the database's owner can do on a server, and anyone with the file. */
  if (meso_test_engine_is_postgresql ())
    sql = g_strdup_printf ("DROP TRIGGER audit_log_never_updated ON audit_log;"
                           " DROP TRIGGER audit_log_never_deleted ON audit_log; %s", c->sql);
  else
    sql = g_strdup_printf ("DROP TRIGGER audit_log_never_updated;"
                           " DROP TRIGGER audit_log_never_deleted; %s", c->sql);
  exec_sql (path, sql);
  g_assert_false (meso_store_check (store, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->expected));
  g_assert_nonnull (strstr (error->message, "altered"));

  g_clear_object (&store);
  meso_test_db_location_free (path);
  meso_test_remove_tree (dir);
}

/* A database made by every earlier schema step opens in this version with nothing lost. */
static void
test_migrate_from_step_1 (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) step1 =
    g_resources_lookup_data ("/io/github/mesocare/Mesocare/core/sql/sqlite/001-initial.sql", 0,
                             NULL);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *sql = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) old = NULL;
  g_autoptr(MesoSession) added = meso_test_session_new ("New", MESO_AREA_ARMS, 5, 5);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (step1);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  sql = g_strdup_printf ("%.*s; PRAGMA user_version = 1;"
                         " INSERT INTO patients VALUES (1, 'Old Patient', '2025-01-01T00:00:00Z');"
                         " INSERT INTO sessions VALUES (1, 1, '2025-01-02T10:00:00Z', 150, 35,"
                         " '2025-01-02T10:00:00Z');"
                         " INSERT INTO session_areas VALUES (1, 'face'), (1, 'neck');",
                         (int) g_bytes_get_size (step1),
                         (const char *) g_bytes_get_data (step1, NULL));
  exec_sql (fixture->path, sql);

  store = meso_test_open_store (fixture->path);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
  old = meso_store_get_session (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_session_get_patient_name (old), ==, "Old Patient");
  g_assert_cmphex (meso_session_get_areas (old), ==, MESO_AREA_FACE | MESO_AREA_NECK);
  g_assert_cmpuint (meso_session_get_injections (old), ==, 150);
  g_assert_cmpuint (meso_session_get_duration (old), ==, 35);
  g_assert_cmpstr (meso_session_get_language (old), ==, "en");
  g_assert_cmpint (meso_session_get_reactions (old), ==, 0);

  meso_test_save_session (store, added);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 2);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

static void
test_save_sessions_all_or_none (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (batch, meso_test_session_new ("A", MESO_AREA_FACE, 1, 1));
  g_ptr_array_add (batch, meso_test_session_new ("B", MESO_AREA_FACE, 2, 2));
  g_ptr_array_add (batch, meso_test_session_new ("C", MESO_AREA_FACE, 0, 3));
  g_assert_false (meso_store_save_sessions (store, batch, "batch.csv", &error));
  g_assert_nonnull (strstr (error->message, "Session 3: Injections"));
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 0);
  g_clear_error (&error);

  meso_session_set_injections (g_ptr_array_index (batch, 2), 3);
  meso_session_set_voided (g_ptr_array_index (batch, 1), "Imported voided");
  g_assert_true (meso_store_save_sessions (store, batch, "batch.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 3);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM voids"), ==, 1);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM audit_log WHERE action = 'import'"), ==, 1);
  g_assert_true (meso_store_check (store, NULL));
}

static char *
schema_sql (const char *name)
{
  g_autofree char *path = g_strconcat ("/io/github/mesocare/Mesocare/core/sql/sqlite/", name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The audit hash as the store computes it (meso-store-audit.c): a contract of the file
 * format, written out here on purpose so that a change to it fails this test. */
static char *
audit_hash (int         seq,
            const char *action,
            const char *payload,
            const char *prev)
{
  g_autofree char *text = g_strdup_printf ("%d\x1f" "2025-06-01T10:00:00Z\x1f" "alice\x1f%s\x1f"
                                           "session\x1f" "1\x1f%s\x1f%s", seq, action, payload,
                                           prev);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* A database of step 2, with an amended, voided session and its audit entries, opens in
 * this version with nothing lost and its audit chain intact. */
static void
test_migrate_from_step_2 (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *zero = "0000000000000000000000000000000000000000000000000000000000000000";
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *step1 = schema_sql ("001-initial.sql");
  g_autofree char *step2 = schema_sql ("002-complete-record.sql");
  g_autofree char *hash1 = audit_hash (1, "create", "id=1\n", zero);
  g_autofree char *hash2 = audit_hash (2, "amend", "id=1\n", hash1);
  g_autofree char *rows = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) old = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  rows = g_strdup_printf (
    "%s; %s; PRAGMA user_version = 2;"
    " INSERT INTO patients (id, full_name, created_at, language) VALUES (1, 'Ann', 'x', 'es');"
    " INSERT INTO sessions (id, patient_id, performed_at, injections, duration_minutes,"
    "   created_at, lot, reactions) VALUES (1, 1, '2025-06-01T10:00:00Z', 100, 30, 'x', 'L1',"
    "   'none');"
    " INSERT INTO session_areas VALUES (1, 'scalp');"
    " INSERT INTO amendments VALUES (1, 1, 'x', 'alice', 'Recount');"
    " INSERT INTO amendment_values VALUES (1, 'injections', '100', '110');"
    " INSERT INTO voids VALUES (1, 'x', 'alice', 'Duplicate');"
    " INSERT INTO audit_log VALUES (1, '2025-06-01T10:00:00Z', 'alice', 'create', 'session', 1,"
    "   'id=1\n', '%s', '%s');"
    " INSERT INTO audit_log VALUES (2, '2025-06-01T10:00:00Z', 'alice', 'amend', 'session', 1,"
    "   'id=1\n', '%s', '%s');",
    step1, step2, zero, hash1, hash1, hash2);
  exec_sql (fixture->path, rows);

  store = meso_test_open_store (fixture->path);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
  old = meso_store_get_session (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meso_session_get_injections (old), ==, 110);
  g_assert_cmpstr (meso_session_get_lot (old), ==, "L1");
  g_assert_cmpstr (meso_session_get_language (old), ==, "es");
  g_assert_cmpint (meso_session_get_reactions (old), ==, MESO_REACTION_NONE);
  g_assert_true (meso_session_get_voided (old));
  /* Its two entries, then the 'seal' entries of the upgrade to the sealed chain. */
  entries = meso_store_list_audit (store, 0, NULL);
  g_assert_cmpuint (entries->len, >, 2);
  g_assert_cmpstr (((MesoAuditEntry *) entries->pdata[1])->action, ==, "amend");
  g_assert_cmpstr (((MesoAuditEntry *) entries->pdata[2])->action, ==, "seal");
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);

  /* The rebuilt log still refuses rewrites, and takes the new action. */
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM sqlite_master WHERE type ="
                                             " 'trigger' AND tbl_name = 'audit_log'"), ==, 2);
}

static void
test_adjustments_kept (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = full_session ();
  g_autoptr(MesoAdjustments) first = meso_adjustments_new ();
  g_autoptr(MesoAdjustments) second = meso_adjustments_new ();
  g_autoptr(MesoAdjustments) read = NULL;
  g_autoptr(MesoAdjustments) none = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = meso_test_save_session (store, session);

  none = meso_store_get_adjustments (store, id, &error);
  g_assert_no_error (error);
  g_assert_true (meso_adjustments_is_empty (none));

  meso_adjustments_set_rule_off (first, "drink-water", TRUE);
  g_assert_true (meso_adjustments_set_text (first, "no-heat-48h", "No sauna this week.", NULL));
  g_assert_true (meso_adjustments_add_line (first, "Call us on Friday.", NULL));
  g_assert_true (meso_store_save_adjustments (store, id, first, &error));
  g_assert_no_error (error);
  meso_adjustments_set_rule_off (second, "cold-pack", TRUE);
  g_assert_true (meso_store_save_adjustments (store, id, second, &error));

  /* The newest is the one printed; the earlier one is kept too. */
  read = meso_store_get_adjustments (store, id, NULL);
  g_assert_true (meso_adjustments_equal (read, second));
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM sheet_adjustments"), ==, 2);
  g_assert_cmpint (query_int (fixture->path,
                              "SELECT count(*) FROM audit_log WHERE action = 'adjust'"), ==, 2);
  g_assert_false (meso_store_save_adjustments (store, 999, first, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  g_assert_true (meso_store_check (store, NULL));
}

/* Patients are found by part of their name or date of birth, the search's own
 * characters taken literally, each once, with their flags as last recorded. */
static void
test_find_patients (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  const struct { const char *name; const char *dob; const char *thinners; } people[] = {
    { "Claire Dubois", "1979-06-15", "no" },
    { "Claire Dubois", "1979-06-15", "yes" },   /* the same patient, later */
    { "Claire Durand", "1990-01-01", "no" },
    { "Ann 100% Smith", NULL, "no" },
  };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) earlier = g_date_time_new_from_iso8601 ("2025-01-01T10:00:00Z", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new (people[i].name, MESO_AREA_FACE,
                                                              10, 10);

      if (i == 0)
        meso_session_set_performed_at (session, earlier);
      if (people[i].dob != NULL)
        g_assert_true (meso_session_set_field_text (session, MESO_FIELD_DATE_OF_BIRTH,
                                                    people[i].dob, NULL));
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_BLOOD_THINNERS,
                                                  people[i].thinners, NULL));
      meso_test_save_session (store, session);
    }

  found = meso_store_find_patients (store, "claire du", 10, NULL);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_true (MESO_IS_PATIENT (g_ptr_array_index (found, 0)));
  g_assert_cmpstr (meso_patient_get_name (g_ptr_array_index (found, 0)), ==, "Claire Dubois");
  g_assert_cmpstr (meso_patient_get_date_of_birth (g_ptr_array_index (found, 0)), ==,
                   "1979-06-15");
  /* The flags of the latest session. */
  g_assert_true (meso_patient_get_blood_thinners (g_ptr_array_index (found, 0)));
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Accents and case aside, as the receptionist types them. */
  found = meso_store_find_patients (store, "CLAIRE DÜRAND", 10, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (meso_patient_get_name (g_ptr_array_index (found, 0)), ==, "Claire Durand");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = meso_store_find_patients (store, "1990-01", 10, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = meso_store_find_patients (store, "100%", 10, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = meso_store_find_patients (store, "_", 10, NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = meso_store_find_patients (store, "a", 1, NULL);
  g_assert_cmpuint (found->len, ==, 1);
}

/* While the app checks the file, every write is refused whole, and says why. */
static void
test_hold_writes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann Smith", MESO_AREA_FACE, 10, 10);
  g_autoptr(GError) error = NULL;
  gint64 entries = query_int (fixture->path, "SELECT count(*) FROM audit_log");

  meso_store_hold_writes (store, TRUE);
  g_assert_false (meso_store_save_session (store, session, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_WRITES_HELD);
  g_assert_nonnull (strstr (error->message, "nothing was saved"));
  g_clear_error (&error);
  g_assert_false (meso_store_log_event (store, "backup", 0, "", &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_WRITES_HELD);
  g_clear_error (&error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM audit_log"), ==, entries);

  meso_store_hold_writes (store, FALSE);
  g_assert_true (meso_store_save_session (store, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);
}

static gint64
save_with_lot (MesoStore  *store,
               const char *product,
               const char *lot,
               const char *expiry)
{
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann Smith", MESO_AREA_FACE, 10, 10);

  if (product != NULL)
    {
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRODUCT, product, NULL));
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, lot, NULL));
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_EXPIRY, expiry, NULL));
    }
  return meso_test_save_session (store, session);
}

/* The lots of the latest sessions, most recent first, each once; a voided session's
 * lot (perhaps the mistake it was voided for) is not offered again. */
static void
test_recent_lots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;
  gint64 voided;

  recent = meso_store_recent_lots (store, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 0);
  g_clear_pointer (&recent, g_ptr_array_unref);

  save_with_lot (store, "Hyaluronic acid 1%", "HA-001", "2030-01-31");
  save_with_lot (store, "Biotin complex", "BC-77", "2029-06-30");
  save_with_lot (store, "Hyaluronic acid 1%", "HA-001", "2030-01-31");
  save_with_lot (store, NULL, NULL, NULL);
  voided = save_with_lot (store, "Hyaluronic acid 1%", "HA-0001", "2030-01-31");
  g_assert_true (meso_store_void_session (store, voided, "Lot mistyped", NULL));

  recent = meso_store_recent_lots (store, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 2);
  g_assert_true (MESO_IS_LOT (g_ptr_array_index (recent, 0)));
  g_assert_cmpstr (meso_lot_get_number (g_ptr_array_index (recent, 0)), ==, "HA-001");
  g_assert_cmpstr (meso_lot_get_product (g_ptr_array_index (recent, 0)), ==,
                   "Hyaluronic acid 1%");
  g_assert_cmpstr (meso_lot_get_expiry (g_ptr_array_index (recent, 0)), ==, "2030-01-31");
  g_assert_cmpstr (meso_lot_get_number (g_ptr_array_index (recent, 1)), ==, "BC-77");
  g_clear_pointer (&recent, g_ptr_array_unref);

  recent = meso_store_recent_lots (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 1);
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
  ADD ("/store/invalid-writes-nothing", test_invalid_writes_nothing);
  ADD ("/store/failed-write-rolls-back", test_failed_write_rolls_back);
  ADD ("/store/list-newest-first", test_list_newest_first);
  ADD ("/store/missing-session", test_missing_session);
  ADD ("/store/patient-found-again", test_patient_found_again);
  ADD ("/store/hostile-name", test_hostile_name);
  ADD ("/store/full-record-round-trip", test_full_record_round_trip);
  ADD ("/store/amend-keeps-history", test_amend_keeps_history);
  ADD ("/store/amend-refusals", test_amend_refusals);
  ADD ("/store/amend-stale-copy-refused", test_amend_stale_copy_refused);
  ADD ("/store/void-keeps-session", test_void_keeps_session);
  ADD ("/store/audit-log", test_audit_log);
  ADD ("/store/adjustments-kept", test_adjustments_kept);
  ADD ("/store/find-patients", test_find_patients);
  ADD ("/store/recent-lots", test_recent_lots);
  ADD ("/store/hold-writes", test_hold_writes);
  ADD ("/store/save-sessions-all-or-none", test_save_sessions_all_or_none);
  for (guint i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/store/audit-tamper-detected/%u", i);

      g_test_add_data_func (path, &tamper_cases[i], test_audit_tamper_detected);
    }

  /* About the SQLite file itself: its journal, its header, its modes, its triggers as
   * sqlite3 sees them, the steps of older files. (The server's own are in test-pg-*.c.) */
  if (!meso_test_engine_is_postgresql ())
    {
      ADD ("/store/wal", test_wal);
      ADD ("/store/newer-database-refused", test_newer_database_refused);
      ADD ("/store/not-a-database", test_not_a_database);
      ADD ("/store/private-files", test_private_files);
      ADD ("/store/database-refuses-rewrites", test_database_refuses_rewrites);
      ADD ("/store/migrate-from-step-1", test_migrate_from_step_1);
      ADD ("/store/migrate-from-step-2", test_migrate_from_step_2);
    }

#undef ADD
  return g_test_run ();
}
