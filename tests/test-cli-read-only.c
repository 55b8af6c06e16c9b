/* test-cli-read-only.c: the commands that only read leave the database as it is (issue 14,
 * defect 9); the patient's details kept per session (defect 6), through the store and
 * through mesocare-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <sqlite3.h>
#include <unistd.h>

#include "meso-backup.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-patient.h"
#include "meso-store.h"
#include "meso-test-util.h"

static char *
run_cli (const char         *db,
         const char * const *args,
         int                *out_status)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = meso_test_spawn_cli (launcher, db, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  meso_test_log_text ("stdout", out);
  meso_test_log_text ("stderr", err);
  *out_status = g_subprocess_get_exit_status (process);
  return out;
}

static char *
run_ok (const char         *db,
        const char * const *args)
{
  int status = -1;
  char *out = run_cli (db, args, &status);

  g_assert_cmpint (status, ==, 0);
  return out;
}

static int
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
assert_no_companions (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
    }
}

/* Two sessions of Ann Lee (born 1980-02-03): in French with phone A, then in Spanish with
 * phone B. */
#define PHONE_A "+33 6 11 11 11 11"
#define PHONE_B "+34 600 000 000"

static void
record_two_languages (const char *db)
{
  g_free (run_ok (db, (const char * const[]) {
    "record", "--patient", "Ann Lee", "--dob", "1980-02-03", "--phone", PHONE_A,
    "--language", "fr", "--area", "face", "--injections", "40", "--duration", "30", NULL }));
  g_free (run_ok (db, (const char * const[]) {
    "record", "--patient", "Ann Lee", "--dob", "1980-02-03", "--phone", PHONE_B,
    "--language", "es", "--area", "scalp", "--injections", "60", "--duration", "35", NULL }));
}

/* ---- The commands that only read ---- */

/* `list` on a backup (a single file in rollback-journal mode) leaves it byte for byte as
 * it was: not switched to WAL (header bytes 18 and 19 stay 1), no -wal or -shm made. */
static void
test_list_leaves_backup (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *backup = meso_test_dir_file (dir, "backup.db");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *shown = NULL;
  const guint8 *header;

  record_two_languages (dir->db);
  g_free (run_ok (dir->db, (const char * const[]) { "backup", backup, NULL }));
  before = meso_test_read_file (backup);
  header = g_bytes_get_data (before, NULL);
  g_assert_cmpint (header[18], ==, 1);
  g_assert_cmpint (header[19], ==, 1);

  listed = run_ok (backup, (const char * const[]) { "list", NULL });
  g_assert_cmpuint (meso_test_count_newlines (listed), ==, 2);
  shown = run_ok (backup, (const char * const[]) { "show", "1", NULL });
  g_free (run_ok (backup, (const char * const[]) { "check", NULL }));

  after = meso_test_read_file (backup);
  g_assert_true (g_bytes_equal (before, after));
  assert_no_companions (backup);
}

static void
fold_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  g_autofree char *folded = g_utf8_casefold ((const char *) sqlite3_value_text (argv[0]), -1);

  sqlite3_result_text (context, folded, -1, SQLITE_TRANSIENT);
}

static char *
session_phone (MesoSession *session)
{
  return meso_session_get_field_text (session, MESO_FIELD_PHONE);
}

static char *
schema_sql (const char *name)
{
  g_autofree char *path = g_strconcat ("/io/github/mesocare/Mesocare/core/sql/sqlite/", name,
                                       NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* A database as step 7 wrote it: Ann Lee, her details those of her latest session (in
 * Spanish, phone B), two sessions. */
static void
make_step_7 (const char *path)
{
  static const char * const steps[] = {
    "001-initial.sql", "002-complete-record.sql", "003-sheet-adjustments.sql",
    "004-current-values.sql", "005-clinic.sql", "006-emergency-number.sql",
    "007-report-indexes.sql",
  };
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_create_function (db, "meso_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                           fold_function, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *sql = schema_sql (steps[i]);

      if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
        g_error ("%s: %s", steps[i], message);
    }
  if (sqlite3_exec (db,
                    "PRAGMA user_version = 7;"
                    " INSERT INTO patients (id, full_name, created_at, date_of_birth, phone,"
                    "  language, name_key) VALUES (1, 'Ann Lee', '2025-01-01T00:00:00Z',"
                    "  '1980-02-03', '" PHONE_B "', 'es', 'ann lee');"
                    " INSERT INTO sessions (id, patient_id, performed_at, injections,"
                    "  duration_minutes, created_at) VALUES"
                    "  (1, 1, '2025-01-02T10:00:00Z', 40, 30, '2025-01-02T10:00:00Z'),"
                    "  (2, 1, '2025-02-02T10:00:00Z', 60, 35, '2025-02-02T10:00:00Z');"
                    " INSERT INTO session_areas VALUES (1, 'face'), (2, 'scalp');"
                    " INSERT INTO session_current (session_id, performed_at, patient_id,"
                    "  patient_name, patient_key, areas, injections, duration_minutes) VALUES"
                    "  (1, '2025-01-02T10:00:00Z', 1, 'Ann Lee', 'ann lee', 'face', 40, 30),"
                    "  (2, '2025-02-02T10:00:00Z', 1, 'Ann Lee', 'ann lee', 'scalp', 60, 35);",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("rows: %s", message);
  sqlite3_close (db);
}

/* `check` and `list` on an older schema read it as it is: it is not upgraded. */
static void
test_old_schema_not_upgraded (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *listed = NULL;
  g_autofree char *shown = NULL;
  int status = -1;

  make_step_7 (dir->db);
  g_free (run_cli (dir->db, (const char * const[]) { "check", NULL }, &status));
  g_assert_cmpint (query_int (dir->db, "PRAGMA user_version"), ==, 7);
  listed = run_ok (dir->db, (const char * const[]) { "list", NULL });
  g_assert_cmpuint (meso_test_count_newlines (listed), ==, 2);
  shown = run_ok (dir->db, (const char * const[]) { "show", "1", NULL });
  g_assert_nonnull (strstr (shown, PHONE_B));
  g_assert_cmpint (query_int (dir->db, "PRAGMA user_version"), ==, 7);
}

/* A schema older than the queries can read is refused with a message saying what to do,
 * and left as it is. */
static void
test_too_old_schema_refused (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autofree char *step1 = schema_sql ("001-initial.sql");
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (dir->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, step1, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 1", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  store = meso_store_open_read_only (dir->db, &error);
  g_assert_null (store);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_OLD);
  g_assert_nonnull (strstr (error->message, dir->db));
  g_assert_nonnull (strstr (error->message, "mesocare-cli upgrade"));
  g_assert_cmpint (query_int (dir->db, "PRAGMA user_version"), ==, 1);
}

/* A store opened read-only writes nothing, audit entries included, and says why. */
static void
test_store_refuses_writes (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = meso_test_session_new ("Bo Ek", MESO_AREA_ARMS, 5, 5);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  record_two_languages (dir->db);
  before = meso_test_read_file (dir->db);
  store = meso_store_open_read_only (dir->db, &error);
  g_assert_no_error (error);
  g_assert_true (meso_store_get_read_only (store));
  g_assert_false (meso_store_save_session (store, session, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "open for reading only"));
  g_assert_nonnull (strstr (error->message, dir->db));
  g_clear_error (&error);
  g_assert_false (meso_store_log_event (store, "export", 0, "file=x\n", &error));
  g_assert_nonnull (strstr (error->message, "open for reading only"));
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 2);
  g_clear_object (&store);
  after = meso_test_read_file (dir->db);
  g_assert_true (g_bytes_equal (before, after));
}

/* The commands that only read work on a read-only file system: a tmpfs mounted read-only
 * in a mount namespace of our own (unshare -rm), which works as root, as CI runs. Where
 * namespaces are not allowed, the database and its folder are made immutable (chattr +i,
 * which binds root too); where that is not allowed either, read-only modes, which bind
 * root not at all: the commands that only read must then still leave the file byte for
 * byte as it was, with no -wal or -shm made beside it. */
static gboolean
run_quietly (const char * const *argv)
{
  int status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                       | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL)
         && g_spawn_check_wait_status (status, NULL);
}

static gboolean
can_unshare (void)
{
  return run_quietly ((const char * const[]) { "unshare", "-rm", "true", NULL });
}

static void
read_in_namespace (const MesoTestDir *dir,
                   const char        *out)
{
  g_autofree char *mount = meso_test_dir_file (dir, "ro");
  g_autofree char *cli = g_shell_quote (meso_test_cli_path ());
  g_autofree char *src = g_shell_quote (dir->db);
  g_autofree char *m = g_shell_quote (mount);
  g_autofree char *o = g_shell_quote (out);
  g_autofree char *script = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_cmpint (g_mkdir_with_parents (mount, 0700), ==, 0);
  script = g_strdup_printf (
    "set -e; mount -t tmpfs tmpfs %s; cp %s %s/mesocare.db; cp %s.head %s/mesocare.db.head;"
    " mount -o remount,ro %s;"
    " db=%s/mesocare.db; touch $db-wal 2>/dev/null && exit 3;"
    " %s --db $db list; %s --db $db show 1; %s --db $db check;"
    " %s --db $db export --output %s/all.csv; %s --db $db sheet 1 --output %s/1.pdf",
    m, src, m, src, m, m, m, cli, cli, cli, cli, o, cli, o);
  g_spawn_sync (NULL, (char *[]) { "unshare", "-rm", "sh", "-c", script, NULL }, NULL,
                G_SPAWN_SEARCH_PATH, NULL, NULL, &stdout_text, &stderr_text, &status, &error);
  g_assert_no_error (error);
  meso_test_log_text ("stdout", stdout_text);
  meso_test_log_text ("stderr", stderr_text);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (stdout_text, "Ann Lee"));
  g_assert_nonnull (strstr (stdout_text, "ok\n"));
  g_assert_nonnull (strstr (stderr_text, "not entered in its audit log"));
}

/* Without a namespace: the same commands on @dir's database, made read-only by the
 * caller. */
static void
read_in_place (const MesoTestDir *dir,
               const char        *out,
               gboolean           enforced)
{
  g_autofree char *csv = g_build_filename (out, "all.csv", NULL);
  g_autofree char *pdf = g_build_filename (out, "1.pdf", NULL);
  g_autoptr(GBytes) before = meso_test_read_file (dir->db);
  g_autoptr(GBytes) after = NULL;
  g_autofree char *listed = run_ok (dir->db, (const char * const[]) { "list", NULL });
  g_autofree char *shown = run_ok (dir->db, (const char * const[]) { "show", "1", NULL });
  g_autofree char *checked = run_ok (dir->db, (const char * const[]) { "check", NULL });

  g_assert_nonnull (strstr (listed, "Ann Lee"));
  g_assert_cmpstr (checked, ==, "ok\n");
  /* The database itself is left as it was (the -shm that SQLite reads a WAL database
   * through may be made beside it, where the folder lets it). */
  after = meso_test_read_file (dir->db);
  g_assert_true (g_bytes_equal (before, after));
  /* These two write their audit entry when they can: only where the file really cannot
   * be written do they read it in place. */
  if (!enforced)
    return;
  g_free (run_ok (dir->db, (const char * const[]) { "export", "--output", csv, NULL }));
  g_free (run_ok (dir->db, (const char * const[]) { "sheet", "1", "--output", pdf, NULL }));
}

static void
test_read_only_file_system (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *out = meso_test_dir_file (dir, "out");
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autofree char *csv = g_build_filename (out, "all.csv", NULL);
  g_autofree char *pdf = g_build_filename (out, "1.pdf", NULL);
  g_autofree char *probe = g_build_filename (folder, "probe", NULL);

  record_two_languages (dir->db);
  g_assert_cmpint (g_mkdir_with_parents (out, 0700), ==, 0);
  if (can_unshare ())
    read_in_namespace (dir, out);
  else if (run_quietly ((const char * const[]) { "chattr", "+i", dir->db, folder, NULL })
           && !g_file_set_contents (probe, "", 0, NULL))
    {
      g_test_message ("no namespaces here: the database and its folder made immutable");
      read_in_place (dir, out, TRUE);
      g_assert_true (run_quietly ((const char * const[]) { "chattr", "-i", dir->db, folder,
                                                           NULL }));
    }
  else
    {
      g_test_message ("neither namespaces nor chattr here: read-only modes, which bind root "
                      "not, and the file must be left as it was");
      run_quietly ((const char * const[]) { "chattr", "-i", dir->db, folder, NULL });
      g_assert_cmpint (g_chmod (dir->db, 0400), ==, 0);
      g_assert_cmpint (g_chmod (folder, 0500), ==, 0);
      read_in_place (dir, out, geteuid () != 0);
      g_assert_cmpint (g_chmod (folder, 0700), ==, 0);
      g_assert_cmpint (g_chmod (dir->db, 0600), ==, 0);
      if (geteuid () == 0)
        return;
    }
  g_assert_true (g_file_test (csv, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

/* ---- The patient's details of each session ---- */

static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = meso_test_read_file (path);
  PopplerDocument *document = poppler_document_new_from_bytes (bytes, NULL, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The first session's `show` and sheet stay in French with phone A after a second session
 * in Spanish with phone B; the second's are its own; the patient's record is the newest. */
static void
test_details_per_session_cli (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *pdf1 = meso_test_dir_file (dir, "1.pdf");
  g_autofree char *pdf2 = meso_test_dir_file (dir, "2.pdf");
  g_autofree char *show1 = NULL;
  g_autofree char *show2 = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;

  record_two_languages (dir->db);
  show1 = run_ok (dir->db, (const char * const[]) { "show", "1", NULL });
  show2 = run_ok (dir->db, (const char * const[]) { "show", "2", NULL });
  g_assert_nonnull (strstr (show1, PHONE_A));
  g_assert_null (strstr (show1, PHONE_B));
  g_assert_nonnull (strstr (show2, PHONE_B));

  g_free (run_ok (dir->db, (const char * const[]) { "sheet", "1", "--output", pdf1, NULL }));
  g_free (run_ok (dir->db, (const char * const[]) { "sheet", "2", "--output", pdf2, NULL }));
  text1 = pdf_text (pdf1);
  text2 = pdf_text (pdf2);
  g_assert_nonnull (strstr (text1, "Quand demander de l’aide"));
  g_assert_null (strstr (text1, "Cuándo pedir ayuda"));
  g_assert_nonnull (strstr (text2, "Cuándo pedir ayuda"));
}

/* Through the store; and an upgrade from step 7 keeps what every session showed. */
static void
test_details_upgrade_from_step_7 (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) added = meso_test_session_new ("Ann Lee", MESO_AREA_ARMS, 5, 5);
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) error = NULL;

  make_step_7 (dir->db);
  store = meso_test_open_store (dir->db);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
  for (gint64 id = 1; id <= 2; id++)
    {
      g_autoptr(MesoSession) session = meso_store_get_session (store, id, &error);
      g_autofree char *phone = session_phone (session);

      g_assert_no_error (error);
      g_assert_cmpstr (meso_session_get_language (session), ==, "es");
      g_assert_cmpstr (phone, ==, PHONE_B);
    }
  g_assert_cmpint (query_int (dir->db, "SELECT count(*) FROM sessions"
                                       " WHERE patient_language = 'es'"), ==, 2);
  /* The trigger that forbids changing a session is back. */
  g_assert_cmpint (query_int (dir->db, "SELECT count(*) FROM sqlite_schema"
                                       " WHERE name = 'sessions_never_updated'"), ==, 1);

  /* A third session in French, phone A: the first two keep theirs. */
  g_object_set (added, "date-of-birth", "1980-02-03", "phone", PHONE_A, "language", "fr", NULL);
  meso_test_save_session (store, added);
  for (gint64 id = 1; id <= 3; id++)
    {
      g_autoptr(MesoSession) session = meso_store_get_session (store, id, &error);
      g_autofree char *phone = session_phone (session);

      g_assert_no_error (error);
      g_assert_cmpstr (meso_session_get_language (session), ==, id == 3 ? "fr" : "es");
      g_assert_cmpstr (phone, ==, id == 3 ? PHONE_A : PHONE_B);
    }
  /* The patient's record holds the newest, for the form and a recall. */
  patients = meso_store_find_patients (store, "Ann", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (patients->len, ==, 1);
  g_assert_cmpstr (meso_patient_get_phone (g_ptr_array_index (patients, 0)), ==, PHONE_A);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-read-only/list-leaves-backup", test_list_leaves_backup);
  g_test_add_func ("/cli-read-only/old-schema-not-upgraded", test_old_schema_not_upgraded);
  g_test_add_func ("/cli-read-only/too-old-schema-refused", test_too_old_schema_refused);
  g_test_add_func ("/cli-read-only/store-refuses-writes", test_store_refuses_writes);
  g_test_add_func ("/cli-read-only/read-only-file-system", test_read_only_file_system);
  g_test_add_func ("/cli-read-only/details-per-session", test_details_per_session_cli);
  g_test_add_func ("/cli-read-only/details-upgrade-from-step-7",
                   test_details_upgrade_from_step_7);
  return g_test_run ();
}
