/* test-store-bulk.c: writes by the thousand (meso_store_write_bulk(), and the imports
 * large enough to take its path): all or nothing, the schema as it was after, the name
 * index and the audit chain whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-store.h"
#include "meso-test-util.h"

/* More than the store's threshold for an import to be saved as a bulk write. */
#define LARGE_IMPORT 250

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *file = NULL;

  fixture->dir = meso_test_make_tmp_dir ("mesocare-bulk-XXXXXX");
  file = g_build_filename (fixture->dir, "mesocare.db", NULL);
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

/* ---- Looking into the file ---- */

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return db;
}

/* Every row of @sql, its columns separated by tabs, one row a line; on either engine. */
static char *
query_rows (const char *path,
            const char *sql)
{
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);

  if (meso_test_engine_is_postgresql ())
    return meso_test_pg_rows (path, sql);
  db = open_db (path);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (rows, "%s%s", i > 0 ? "\t" : "",
                                (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (rows, '\n');
    }
  return g_string_free (g_steal_pointer (&rows), FALSE);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  g_autofree char *text = query_rows (path, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* The schema as the engine keeps it: tables, indexes and triggers with their SQL. */
static char *
schema_of (const char *path)
{
  if (meso_test_engine_is_postgresql ())
    return query_rows (path, "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes"
                             " WHERE schemaname = 'public'"
                             " UNION ALL SELECT 'trigger', tgname, tgrelid::regclass::text,"
                             " pg_get_triggerdef (oid) FROM pg_trigger WHERE NOT tgisinternal"
                             " UNION ALL SELECT 'table', table_name, table_name, ''"
                             " FROM information_schema.tables WHERE table_schema = 'public'"
                             " ORDER BY 1, 2");
  return query_rows (path, "SELECT type, name, tbl_name, sql FROM sqlite_schema"
                           " ORDER BY type, name");
}

/* FTS5's own check that the name index holds exactly what session_current holds. */
static void
assert_name_index_whole (const char *path)
{
  g_autoptr(sqlite3) db = NULL;
  char *message = NULL;

  /* A server has no such index: names are found by scanning the folded names. */
  if (meso_test_engine_is_postgresql ())
    return;
  db = open_db (path);
  if (sqlite3_exec (db, "INSERT INTO session_names (session_names) VALUES ('integrity-check')",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("the name index does not match the sessions: %s", message);
}

static gint64
count_name_matches (const char *path,
                    const char *letters)
{
  g_autofree char *sql = NULL;

  if (meso_test_engine_is_postgresql ())
    sql = g_strdup_printf ("SELECT count(*) FROM session_current"
                           " WHERE strpos (patient_key, '%s') > 0", letters);
  else
    sql = g_strdup_printf ("SELECT count(*) FROM session_names"
                           " WHERE session_names MATCH '\"%s\"'", letters);

  return query_int (path, sql);
}

/* ---- Sessions ---- */

static MesoSession *
patient_session (const char *patient,
                 const char *phone)
{
  MesoSession *session = meso_test_session_new (patient, MESO_AREA_FACE, 40, 30);
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PHONE, phone, &error));
  g_assert_no_error (error);
  return session;
}

static GPtrArray *
make_batch (guint       n,
            const char *prefix)
{
  GPtrArray *batch = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s Patient %u", prefix, i % 37);

      g_ptr_array_add (batch, meso_test_session_new (name, MESO_AREA_FACE | MESO_AREA_NECK,
                                                     10 + i % 50, 20));
    }
  return batch;
}

/* ---- The work handed to meso_store_write_bulk() ---- */

typedef struct
{
  GPtrArray *batch;
  gboolean   fail_late;     /* amend a voided session at the end, and give up */
  gboolean   ignore_error;  /* ... but return TRUE all the same */
} Work;

/* Saves the batch, amends its first session's injections, voids its second. */
static gboolean
save_amend_void (MesoStore  *store,
                 gpointer    user_data,
                 GError    **error)
{
  Work *work = user_data;
  MesoSession *first = g_ptr_array_index (work->batch, 0);
  gint64 second = 0;
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!meso_store_save_sessions (store, work->batch, "bulk-test", error))
    return FALSE;
  second = meso_session_get_id (g_ptr_array_index (work->batch, 1));
  amended = meso_store_get_session (store, meso_session_get_id (first), error);
  if (amended == NULL)
    return FALSE;
  meso_session_set_injections (amended, meso_session_get_injections (amended) + 1);
  if (!meso_store_amend_session (store, amended, "Mistyped", error)
      || !meso_store_void_session (store, second, "Entered twice", error))
    return FALSE;
  if (!work->fail_late)
    return TRUE;

  /* A voided session is never amended: this write fails. */
  meso_session_set_id (amended, second);
  if (meso_store_amend_session (store, amended, "Too late", &local_error))
    g_error ("amending a voided session succeeded");
  if (work->ignore_error)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* ---- The tests ---- */

static void
test_bulk_saves_all (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) batch = make_batch (60, "Zoë");
  g_autofree char *schema = schema_of (fixture->path);
  g_autofree char *after = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(GError) error = NULL;
  Work work = { batch, FALSE, FALSE };

  g_assert_true (meso_store_write_bulk (store, save_amend_void, &work, &error));
  g_assert_no_error (error);

  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 60);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM amendments"), ==, 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM voids"), ==, 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM session_current"
                                             " WHERE status = 'voided'"), ==, 1);
  /* 60 creations, an amendment, a void and the import's own entry, chained. */
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM audit_log"), ==, 63);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);

  /* The triggers and indexes set aside are back, as they were. */
  after = schema_of (fixture->path);
  g_assert_cmpstr (after, ==, schema);
  assert_name_index_whole (fixture->path);
  g_assert_cmpint (count_name_matches (fixture->path, "zoe patient 12"), ==, 2);
  /* Filled through a rollback journal, being empty; back to WAL after. */
  if (!meso_test_engine_is_postgresql ())
    {
      mode = query_rows (fixture->path, "PRAGMA journal_mode");
      g_assert_cmpstr (mode, ==, "wal\n");
    }
}

/* Into an empty database (filled through a rollback journal, its indexes built at the
 * end), a failure leaves it as empty as it was, in WAL mode. */
static void
test_bulk_failure_into_empty (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) batch = make_batch (30, "Late");
  g_autofree char *schema = schema_of (fixture->path);
  g_autofree char *after = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(GError) error = NULL;
  Work work = { batch, TRUE, FALSE };

  g_assert_false (meso_store_write_bulk (store, save_amend_void, &work, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM audit_log"), ==, 0);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM patients"), ==, 0);
  after = schema_of (fixture->path);
  g_assert_cmpstr (after, ==, schema);
  if (!meso_test_engine_is_postgresql ())
    {
      mode = query_rows (fixture->path, "PRAGMA journal_mode");
      g_assert_cmpstr (mode, ==, "wal\n");
    }
}

static void
test_bulk_failure_undoes_all (gconstpointer data)
{
  gboolean ignore_error = GPOINTER_TO_INT (data);
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-bulk-XXXXXX");
  g_autofree char *file = g_build_filename (dir, "mesocare.db", NULL);
  char *path = meso_test_db_location_new (file);
  g_autoptr(MesoStore) store = meso_test_open_store (path);
  g_autoptr(GPtrArray) batch = make_batch (30, "Late");
  g_autoptr(MesoSession) earlier = patient_session ("Earlier Patient", "+33 6 00 00 00 01");
  g_autofree char *schema = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  Work work = { batch, TRUE, ignore_error };

  meso_test_save_session (store, earlier);
  schema = schema_of (path);

  g_assert_false (meso_store_write_bulk (store, save_amend_void, &work, &error));
  g_assert_nonnull (error);
  if (ignore_error)
    g_assert_nonnull (strstr (error->message, "nothing was saved"));
  else
    g_assert_nonnull (strstr (error->message, "voided"));
  g_clear_error (&error);

  /* Nothing of the bulk, everything of before. */
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM amendments"), ==, 0);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM voids"), ==, 0);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM audit_log"), ==, 1);
  after = schema_of (path);
  g_assert_cmpstr (after, ==, schema);
  assert_name_index_whole (path);

  /* And the store writes as before (fresh sessions: those of the failed bulk keep the
   * ids it had given them). */
  g_clear_pointer (&batch, g_ptr_array_unref);
  batch = make_batch (30, "Again");
  g_assert_true (meso_store_write_bulk (store, save_amend_void,
                                        &(Work) { batch, FALSE, FALSE }, &error));
  g_assert_no_error (error);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  meso_test_db_location_free (path);
  meso_test_remove_tree (dir);
}

typedef struct
{
  MesoSession *renamed;
  GPtrArray   *batch;
} RenameWork;

/* Corrects the name of a session saved before the bulk, then saves the batch. */
static gboolean
rename_then_save (MesoStore  *store,
                  gpointer    user_data,
                  GError    **error)
{
  RenameWork *work = user_data;

  return meso_store_amend_session (store, work->renamed, "Name misspelt", error)
         && meso_store_save_sessions (store, work->batch, "bulk-test", error);
}

/* The name index of a session indexed before the bulk follows its amendment. */
static void
test_bulk_amends_earlier_name (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) session = patient_session ("Aoife Murphy", "+44 7700 900123");
  g_autoptr(MesoSession) renamed = NULL;
  g_autoptr(GPtrArray) batch = make_batch (10, "Other");
  g_autoptr(GError) error = NULL;
  gint64 id = meso_test_save_session (store, session);
  RenameWork work;

  renamed = meso_store_get_session (store, id, &error);
  g_assert_no_error (error);
  meso_session_set_patient_name (renamed, "Aoife Murphey");
  work = (RenameWork) { renamed, batch };
  g_assert_true (meso_store_write_bulk (store, rename_then_save, &work, &error));
  g_assert_no_error (error);

  assert_name_index_whole (fixture->path);
  g_assert_cmpint (count_name_matches (fixture->path, "murphey"), ==, 1);
  g_assert_cmpint (count_name_matches (fixture->path, "aoife murphy"), ==, 0);
  g_assert_cmpint (count_name_matches (fixture->path, "other patient"), ==, 10);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

static gboolean
save_three (MesoStore  *store,
            gpointer    user_data,
            GError    **error)
{
  GPtrArray *batch = user_data;

  for (guint i = 0; i < batch->len; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, g_ptr_array_index (batch, i));
      if (!meso_store_save_sessions (store, one, "bulk-test", error))
        return FALSE;
    }
  return TRUE;
}

/* A patient who comes back within a bulk is one patient; new contact details replace
 * the old, and a session that gives none leaves them, as outside a bulk. */
static void
test_bulk_returning_patient (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *patients = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (batch, patient_session ("Niamh Walsh", "+353 85 000 0001"));
  g_ptr_array_add (batch, patient_session ("Niamh Walsh", "+353 85 000 0002"));
  g_ptr_array_add (batch, patient_session ("Niamh Walsh", ""));
  g_assert_true (meso_store_write_bulk (store, save_three, batch, &error));
  g_assert_no_error (error);

  patients = query_rows (fixture->path, "SELECT full_name, phone FROM patients");
  g_assert_cmpstr (patients, ==, "Niamh Walsh\t+353 85 000 0002\n");
  g_assert_cmpint (query_int (fixture->path, "SELECT count(DISTINCT patient_id)"
                                             " FROM sessions"), ==, 1);
}

/* An import large enough to be saved as a bulk write keeps its contract: every
 * session validated, the first bad one named, nothing written when one is bad. */
static void
test_large_import_all_or_none (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(MesoSession) earlier = patient_session ("Earlier Patient", "+33 6 00 00 00 01");
  g_autoptr(GPtrArray) batch = make_batch (LARGE_IMPORT, "Imported");
  g_autofree char *schema = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  meso_test_save_session (store, earlier);
  schema = schema_of (fixture->path);

  meso_session_set_injections (g_ptr_array_index (batch, LARGE_IMPORT - 1), 0);
  g_assert_false (meso_store_save_sessions (store, batch, "big.csv", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Session 250: Injections"));
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);
  g_clear_error (&error);

  meso_session_set_injections (g_ptr_array_index (batch, LARGE_IMPORT - 1), 12);
  meso_session_set_voided (g_ptr_array_index (batch, 7), "Imported voided");
  g_assert_true (meso_store_save_sessions (store, batch, "big.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, LARGE_IMPORT + 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM voids"), ==, 1);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM audit_log"
                                             " WHERE action = 'import'"), ==, 1);
  after = schema_of (fixture->path);
  g_assert_cmpstr (after, ==, schema);
  assert_name_index_whole (fixture->path);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-bulk/saves-all", test_bulk_saves_all);
  ADD ("/store-bulk/failure-into-empty", test_bulk_failure_into_empty);
  ADD ("/store-bulk/amends-earlier-name", test_bulk_amends_earlier_name);
  ADD ("/store-bulk/returning-patient", test_bulk_returning_patient);
  ADD ("/store-bulk/large-import-all-or-none", test_large_import_all_or_none);
  g_test_add_data_func ("/store-bulk/failure-undoes-all/returned", GINT_TO_POINTER (FALSE),
                        test_bulk_failure_undoes_all);
  g_test_add_data_func ("/store-bulk/failure-undoes-all/ignored", GINT_TO_POINTER (TRUE),
                        test_bulk_failure_undoes_all);

#undef ADD

  return g_test_run ();
}
