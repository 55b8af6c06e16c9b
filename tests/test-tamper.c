/* test-tamper.c: the sealed audit chain against someone who can edit the database file
 * (issue 14): each way of changing a record unseen that `check` once called "ok" must
 * now fail, naming the first wrong entry or row
 *
 * A real clinic's database is built through mesocare-cli (a clinic, a practitioner,
 * sessions, an amendment, adjustments, a void, a backup), then changed through a plain
 * SQLite connection, as an attacker would, dropping the triggers in the way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-backup.h"
#include "meso-error.h"
#include "meso-test-util.h"

/* What check and a refused write say of a schema changed in the file. */
#define SCHEMA_ALTERED "its schema (a table, an index or a trigger) is not the one Mesocare made"

/* ---- Running the tool ---- */

static int
run_cli_out (const char         *db,
             const char * const *args,
             char              **out,
             char              **out_err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = meso_test_spawn_cli (launcher, db, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  meso_test_log_text ("stdout", stdout_text);
  meso_test_log_text ("stderr", stderr_text);
  g_assert_true (g_subprocess_get_if_exited (process));
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (out_err != NULL)
    *out_err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

static int
run_cli (const char         *db,
         const char * const *args,
         char              **out_err)
{
  return run_cli_out (db, args, NULL, out_err);
}

static void
run_ok (const char         *db,
        const char * const *args)
{
  g_autofree char *err = NULL;

  if (run_cli (db, args, &err) != 0)
    g_error ("mesocare-cli %s failed: %s", args[0], err);
}

/* `check` must fail, its message holding every one of @needles. */
static void
assert_check_fails (const char *db,
                    const char *needle,
                    const char *needle2)
{
  const char *args[] = { "check", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (db, args, &err), !=, 0);
  g_assert_nonnull (strstr (err, needle));
  if (needle2 != NULL)
    g_assert_nonnull (strstr (err, needle2));
  /* Never a value: the session's duration or its void reason. */
  g_assert_null (strstr (err, "138"));
  g_assert_null (strstr (err, "Duplicate record"));
}

static void
assert_check_ok (const char *db)
{
  const char *args[] = { "check", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (db, args, &err), ==, 0);
}

/* ---- The clinic ---- */

typedef struct
{
  char *dir;
  char *db;
  char *backups;
  char *backup;    /* the newest backup, made after the void */
} Clinic;

static void
clinic_free (Clinic *clinic)
{
  meso_test_remove_tree (clinic->dir);
  g_free (clinic->dir);
  g_free (clinic->db);
  g_free (clinic->backups);
  g_free (clinic->backup);
  g_free (clinic);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Clinic, clinic_free)

static char *
backup_name (guint n)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M");

  return g_strdup_printf ("mesocare-%s%02u.db", stamp, n);
}

/* Three sessions: 1 (138 minutes, amended and adjusted), 2 (voided), 3; the practitioner
 * Dr Ames; the clinic's details; a backup in the backups folder after all of them. */
static Clinic *
clinic_new (gboolean with_backup)
{
  Clinic *clinic = g_new0 (Clinic, 1);
  const char *details[] = { "clinic", "--name", "Clinique du Lac", NULL };
  const char *practitioner[] = { "clinic", "--add-practitioner", "Dr Ames", "--role",
                                 "physician", NULL };
  const char *first[] = { "record", "--patient", "Ann Lee", "--area", "face,neck",
                          "--injections", "20", "--duration", "138", "--practitioner",
                          "Dr Ames", "--dob", "1980-02-03", NULL };
  const char *second[] = { "record", "--patient", "Bob Ray", "--area", "scalp",
                           "--injections", "10", "--duration", "30", NULL };
  const char *third[] = { "record", "--patient", "Cleo Dunn", "--area", "thighs",
                          "--injections", "30", "--duration", "45", NULL };
  const char *amend[] = { "amend", "1", "--injections", "25", "--reason", "Recounted", NULL };
  const char *adjust[] = { "adjust", "1", "--add-line", "Drink water", NULL };
  const char *void_second[] = { "void", "2", "--reason", "Duplicate record", NULL };

  clinic->dir = meso_test_make_tmp_dir ("tamper-XXXXXX");
  clinic->db = g_build_filename (clinic->dir, "mesocare.db", NULL);
  clinic->backups = g_build_filename (clinic->dir, "backups", NULL);
  run_ok (clinic->db, details);
  run_ok (clinic->db, practitioner);
  run_ok (clinic->db, first);
  run_ok (clinic->db, second);
  run_ok (clinic->db, third);
  run_ok (clinic->db, amend);
  run_ok (clinic->db, adjust);
  run_ok (clinic->db, void_second);
  if (with_backup)
    {
      g_autofree char *name = backup_name (1);
      const char *backup[] = { "backup", NULL, NULL };

      g_assert_cmpint (g_mkdir_with_parents (clinic->backups, 0700), ==, 0);
      clinic->backup = g_build_filename (clinic->backups, name, NULL);
      backup[1] = clinic->backup;
      run_ok (clinic->db, backup);
    }
  assert_check_ok (clinic->db);
  return clinic;
}

/* ---- The attacker's connection ---- */

static void
changed_cb (sqlite3_context  *context,
            int               argc,
            sqlite3_value   **argv)
{
  sqlite3_result_null (context);
}

/* A plain connection, with a meso_changed() of its own that notes nothing: without one,
 * SQLite would refuse every write to a record table before its guards even ran. */
static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_create_function (db, "meso_changed", 2, SQLITE_UTF8, NULL, changed_cb, NULL, NULL);
  return db;
}

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Runs @sql expecting SQLite to refuse it with a message holding @needle. */
static void
exec_refused (sqlite3    *db,
              const char *sql,
              const char *needle)
{
  char *message = NULL;

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, &message), !=, SQLITE_OK);
  g_test_message ("%s: %s", sql, message);
  g_assert_nonnull (strstr (message, needle));
  sqlite3_free (message);
}

static void
tamper (const char *path,
        const char *sql)
{
  sqlite3 *db = open_raw (path);

  exec_ok (db, sql);
  sqlite3_close (db);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The plain chain as it was before the seal: SHA-256 over the fields, linked. */
static char *
plain_hash (sqlite3_stmt *stmt,
            gint64        seq,
            const char   *prev_hash)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  g_autofree char *entity_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                (gint64) sqlite3_column_int64 (stmt, 5));
  const char *parts[] = { seq_text, (const char *) sqlite3_column_text (stmt, 1),
                          (const char *) sqlite3_column_text (stmt, 2),
                          (const char *) sqlite3_column_text (stmt, 3),
                          (const char *) sqlite3_column_text (stmt, 4), entity_id,
                          (const char *) sqlite3_column_text (stmt, 6), prev_hash };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (i > 0)
        g_checksum_update (checksum, (const guchar *) "\x1f", 1);
      g_checksum_update (checksum, (const guchar *) parts[i], -1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* The old attack: renumbers the log from 1 and recomputes every hash from the start,
 * as anyone can without a key. */
static void
recompute_chain (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup ("0000000000000000000000000000000000000000000000000000000000000000");
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);
  gint64 n = 0;

  exec_ok (db, "DROP TRIGGER IF EXISTS audit_log_never_updated");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, at, actor, action, entity, entity_id,"
                                       " payload FROM audit_log ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *hash = plain_hash (stmt, ++n, prev);

      g_array_append_val (seqs, (gint64) { sqlite3_column_int64 (stmt, 0) });
      g_ptr_array_add (hashes, hash);
      g_free (prev);
      prev = g_strdup (hash);
    }
  sqlite3_finalize (stmt);
  for (guint i = 0; i < seqs->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE audit_log SET seq = %u, prev_hash = '%s',"
                                              " hash = '%s' WHERE seq = %" G_GINT64_FORMAT,
                                              i + 1,
                                              i == 0 ? "0000000000000000000000000000000000000000000000000000000000000000"
                                                     : (const char *) hashes->pdata[i - 1],
                                              (const char *) hashes->pdata[i],
                                              g_array_index (seqs, gint64, i));

      exec_ok (db, sql);
    }
}

static char *
head_path (const Clinic *clinic)
{
  return g_strconcat (clinic->db, ".head", NULL);
}

/* Writes the head file back to what the log's last entry now is, as an attacker who
 * removed the tail would. */
static void
rewrite_head (const Clinic *clinic)
{
  g_autofree char *path = head_path (clinic);
  g_autofree char *text = NULL;
  g_autofree char *rewritten = NULL;
  g_auto(GStrv) lines = NULL;
  sqlite3 *db = open_raw (clinic->db);
  sqlite3_stmt *stmt = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, mac FROM audit_log ORDER BY seq DESC"
                                       " LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  rewritten = g_strdup_printf ("%s\n%s\n%" G_GINT64_FORMAT "\n%s\n", lines[0], lines[1],
                               (gint64) sqlite3_column_int64 (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_true (g_file_set_contents_full (path, rewritten, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           NULL));
}

/* ---- The scenarios ---- */

static void
test_untouched (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  assert_check_ok (clinic->db);
}

/* The void undone: its row deleted, the session's current values put back, its audit
 * entry (and the backup's after it) removed. */
static void
undo_void (const Clinic *clinic)
{
  sqlite3 *db = open_raw (clinic->db);
  gint64 seq = query_int (db, "SELECT seq FROM audit_log WHERE action = 'void'");
  g_autofree char *sql = g_strdup_printf ("DELETE FROM audit_log WHERE seq >= %" G_GINT64_FORMAT,
                                          seq);

  exec_ok (db, "DROP TRIGGER IF EXISTS voids_never_deleted; DROP TRIGGER IF EXISTS audit_log_never_deleted;"
               " DROP TRIGGER IF EXISTS session_current_sealed_update;"
               " DELETE FROM voids WHERE session_id = 2;"
               " UPDATE session_current SET status = 'active', void_reason = NULL"
               " WHERE session_id = 2");
  exec_ok (db, sql);
  sqlite3_close (db);
}

static void
test_void_undone (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  undo_void (clinic);
  assert_check_fails (clinic->db, "its head outside the database", "entries were removed");
}

static void
test_void_undone_head_rewritten (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  undo_void (clinic);
  rewrite_head (clinic);
  assert_check_fails (clinic->db, "the newest backup", "entries were removed");
}

/* The last amendment undone: a new one is made and backed up, then removed. */
static void
test_amendment_undone (void)
{
  g_autoptr(Clinic) clinic = clinic_new (FALSE);
  g_autofree char *name = backup_name (2);
  g_autofree char *backup = g_build_filename (clinic->backups, name, NULL);
  const char *amend[] = { "amend", "3", "--injections", "12", "--reason", "Recounted", NULL };
  const char *backup_args[] = { "backup", backup, NULL };
  sqlite3 *db;
  gint64 seq;
  g_autofree char *sql = NULL;

  run_ok (clinic->db, amend);
  g_assert_cmpint (g_mkdir_with_parents (clinic->backups, 0700), ==, 0);
  run_ok (clinic->db, backup_args);
  db = open_raw (clinic->db);
  seq = query_int (db, "SELECT max (seq) FROM audit_log WHERE action = 'amend'");
  sql = g_strdup_printf ("DELETE FROM audit_log WHERE seq >= %" G_GINT64_FORMAT, seq);
  exec_ok (db, "DROP TRIGGER IF EXISTS amendments_never_deleted; DROP TRIGGER IF EXISTS amendment_values_never_deleted;"
               " DROP TRIGGER IF EXISTS audit_log_never_deleted; DROP TRIGGER IF EXISTS session_current_sealed_update;"
               " DELETE FROM amendment_values WHERE amendment_id = (SELECT max (id) FROM amendments);"
               " DELETE FROM amendments WHERE id = (SELECT max (id) FROM amendments);"
               " UPDATE session_current SET injections = 30, status = 'active' WHERE session_id = 3");
  exec_ok (db, sql);
  sqlite3_close (db);
  assert_check_fails (clinic->db, "its head outside the database", "entries were removed");
  rewrite_head (clinic);
  assert_check_fails (clinic->db, "the newest backup", "entries were removed");
}

/* An entry rewritten (the first session's payload), the whole chain recomputed. */
static void
test_chain_recomputed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  sqlite3 *db = open_raw (clinic->db);

  exec_ok (db, "DROP TRIGGER IF EXISTS audit_log_never_updated;"
               " UPDATE audit_log SET payload = replace (payload, 'injections=20',"
               " 'injections=2') WHERE seq = 3");
  recompute_chain (db);
  sqlite3_close (db);
  assert_check_fails (clinic->db, "entry 3 (create", "does not match its seal");
}

static void
test_session_changed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  tamper (clinic->db, "DROP TRIGGER IF EXISTS sessions_never_updated;"
                      " UPDATE sessions SET injections = 2 WHERE id = 1");
  assert_check_fails (clinic->db, "sessions row 1 differs from what entry 3 recorded", NULL);
}

static void
test_session_changed_with_payload (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  sqlite3 *db = open_raw (clinic->db);

  exec_ok (db, "DROP TRIGGER IF EXISTS sessions_never_updated; DROP TRIGGER IF EXISTS audit_log_never_updated;"
               " UPDATE sessions SET injections = 2 WHERE id = 1;"
               " UPDATE audit_log SET payload = replace (payload, 'injections=20',"
               " 'injections=2'), rows = replace (rows, 'injections=i20', 'injections=i2')"
               " WHERE seq = 3");
  recompute_chain (db);
  sqlite3_close (db);
  assert_check_fails (clinic->db, "entry 3", "does not match its seal");
}

/* Session 3 removed with its entry, the later entries renumbered, the chain recomputed. */
static void
test_session_deleted (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  sqlite3 *db = open_raw (clinic->db);
  gint64 seq;
  g_autofree char *sql = NULL;

  seq = query_int (db, "SELECT seq FROM audit_log WHERE action = 'create' AND entity_id = 3");
  sql = g_strdup_printf ("DELETE FROM audit_log WHERE seq = %" G_GINT64_FORMAT, seq);
  exec_ok (db, "PRAGMA foreign_keys = OFF; DROP TRIGGER IF EXISTS sessions_never_deleted;"
               " DROP TRIGGER IF EXISTS session_areas_never_deleted; DROP TRIGGER IF EXISTS session_current_never_deleted;"
               " DROP TRIGGER IF EXISTS audit_log_never_deleted;"
               " DELETE FROM session_areas WHERE session_id = 3;"
               " DELETE FROM session_current WHERE session_id = 3;"
               " DELETE FROM sessions WHERE id = 3");
  exec_ok (db, sql);
  recompute_chain (db);
  sqlite3_close (db);
  rewrite_head (clinic);
  assert_check_fails (clinic->db, "does not match its seal", NULL);
}

static void
test_session_inserted (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  tamper (clinic->db, "DROP TRIGGER IF EXISTS sessions_sealed_insert;"
                      " INSERT INTO sessions (id, patient_id, performed_at, injections,"
                      " duration_minutes, created_at) VALUES (4, 1, '2026-01-01T10:00:00Z', 5,"
                      " 20, '2026-01-01T10:00:00Z')");
  assert_check_fails (clinic->db, "sessions row 4 is not in the audit log", NULL);
}

static void
test_amendment_values_changed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  tamper (clinic->db, "DROP TRIGGER IF EXISTS amendment_values_never_updated;"
                      " UPDATE amendment_values SET new_value = '99'");
  assert_check_fails (clinic->db, "amendments row 1 differs from what entry", NULL);
}

static void
test_session_replaced (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *replace = "INSERT OR REPLACE INTO sessions (id, patient_id, performed_at,"
                        " injections, duration_minutes, created_at) VALUES (1, 1,"
                        " '2026-01-01T10:00:00Z', 5, 20, '2026-01-01T10:00:00Z')";
  sqlite3 *db = open_raw (clinic->db);

  exec_refused (db, replace, "never replaced");
  exec_ok (db, "DROP TRIGGER IF EXISTS sessions_never_replaced; DROP TRIGGER IF EXISTS sessions_sealed_insert");
  exec_ok (db, replace);
  sqlite3_close (db);
  assert_check_fails (clinic->db, "sessions row 1 differs from what entry", NULL);
}

static void
test_void_replaced (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *replace = "INSERT OR REPLACE INTO voids (session_id, voided_at, voided_by, reason)"
                        " VALUES (2, '2026-01-01T10:00:00Z', 'mallory', 'Entered in error')";
  sqlite3 *db = open_raw (clinic->db);

  exec_refused (db, replace, "never changed");
  exec_ok (db, "DROP TRIGGER IF EXISTS voids_never_replaced; DROP TRIGGER IF EXISTS voids_sealed_insert");
  exec_ok (db, replace);
  sqlite3_close (db);
  assert_check_fails (clinic->db, "voids row 2 differs from what entry", NULL);
}

static void
test_patient_renamed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *rename = "UPDATE patients SET full_name = 'Anne Leigh' WHERE id = 1";
  sqlite3 *db = open_raw (clinic->db);

  exec_refused (db, rename, "never changed");
  exec_ok (db, "DROP TRIGGER IF EXISTS patients_identity_never_changed;"
               " DROP TRIGGER IF EXISTS patients_sealed_update");
  exec_ok (db, rename);
  sqlite3_close (db);
  assert_check_fails (clinic->db, "patients row 1 differs from what entry", NULL);
}

static void
test_practitioner_changed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  tamper (clinic->db, "DROP TRIGGER IF EXISTS practitioners_sealed_update;"
                      " UPDATE practitioners SET registration = 'RPPS 999' WHERE id = 1");
  assert_check_fails (clinic->db, "practitioners row 1 differs from what entry", NULL);
}

/* The flipped byte of the issue: 138 minutes read as 10. */
static void
test_duration_flipped (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);

  tamper (clinic->db, "DROP TRIGGER IF EXISTS session_current_sealed_update;"
                      " UPDATE session_current SET duration_minutes = 10 WHERE session_id = 1");
  assert_check_fails (clinic->db, "session_current row 1 differs from what entry", NULL);
}

static char *
key_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "mesocare", "keys", NULL);
  g_autofree char *name = meso_test_first_entry (dir);

  g_assert_nonnull (name);
  return g_build_filename (dir, name, NULL);
}

static void
test_key_missing (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autofree char *key = key_path ();
  g_autofree char *aside = g_strconcat (key, ".aside", NULL);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  const char *list[] = { "list", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (g_rename (key, aside), ==, 0);
  assert_check_fails (clinic->db, "is not on this computer", key);
  /* Reading still works; writing is refused, saying why. */
  g_assert_cmpint (run_cli (clinic->db, list, NULL), ==, 0);
  g_assert_cmpint (run_cli (clinic->db, record, &err), !=, 0);
  g_assert_nonnull (strstr (err, "is not on this computer"));
  g_assert_cmpint (g_rename (aside, key), ==, 0);
  assert_check_ok (clinic->db);
}

static void
test_key_readable (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autofree char *key = key_path ();
  g_autofree char *target = g_strconcat (key, ".real", NULL);

  g_assert_cmpint (g_chmod (key, 0644), ==, 0);
  assert_check_fails (clinic->db, "can be read by other users", key);
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  assert_check_ok (clinic->db);
  /* Nor is a symbolic link followed. */
  g_assert_cmpint (g_rename (key, target), ==, 0);
  g_assert_cmpint (symlink (target, key), ==, 0);
  assert_check_fails (clinic->db, "is a symbolic link", key);
}

static void
test_restore_tampered (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *restore[] = { "restore", clinic->backup, NULL };
  g_autofree char *err = NULL;

  tamper (clinic->backup, "DROP TRIGGER IF EXISTS session_current_sealed_update;"
                          " UPDATE session_current SET duration_minutes = 10"
                          " WHERE session_id = 1");
  g_assert_cmpint (run_cli (clinic->db, restore, &err), !=, 0);
  g_assert_nonnull (strstr (err, "was not restored"));
  g_assert_nonnull (strstr (err, "session_current row 1 differs"));
  assert_check_ok (clinic->db);
}

static void
test_restore_good (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  const char *restore[] = { "restore", clinic->backup, NULL };

  run_ok (clinic->db, record);
  run_ok (clinic->db, restore);
  assert_check_ok (clinic->db);
}

/* ---- An upgrade from step 7 ---- */

static void
fold_cb (sqlite3_context  *context,
         int               argc,
         sqlite3_value   **argv)
{
  sqlite3_result_text (context, g_utf8_strdown ((const char *) sqlite3_value_text (argv[0]),
                                                -1), -1, g_free);
}

/* A database as Mesocare's step 7 left it: two sessions and their audit entries,
 * written by hand through the schema's own steps. */
static char *
make_step7_database (const char *dir)
{
  static const char * const steps[] = {
    "001-initial.sql", "002-complete-record.sql", "003-sheet-adjustments.sql",
    "004-current-values.sql", "005-clinic.sql", "006-emergency-number.sql",
    "007-report-indexes.sql",
  };
  char *path = g_build_filename (dir, "mesocare.db", NULL);
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *prev = g_strdup ("0000000000000000000000000000000000000000000000000000000000000000");

  sqlite3_create_function (db, "meso_fold", 1, SQLITE_UTF8, NULL, fold_cb, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *file = g_test_build_filename (G_TEST_DIST, "..", "data", "sql", "sqlite",
                                                     steps[i], NULL);
      g_autofree char *sql = NULL;

      g_assert_true (g_file_get_contents (file, &sql, NULL, NULL));
      exec_ok (db, sql);
    }
  exec_ok (db, "PRAGMA user_version = 7;"
               " INSERT INTO patients (id, full_name, created_at, language, name_key)"
               "  VALUES (1, 'Old Patient', '2025-01-01T00:00:00Z', 'en', 'old patient');"
               " INSERT INTO sessions (id, patient_id, performed_at, injections,"
               "  duration_minutes, created_at) VALUES"
               "  (1, 1, '2025-01-02T10:00:00Z', 150, 35, '2025-01-02T10:00:00Z'),"
               "  (2, 1, '2025-02-02T10:00:00Z', 120, 30, '2025-02-02T10:00:00Z');"
               " INSERT INTO session_areas VALUES (1, 'face'), (2, 'scalp');"
               " INSERT INTO session_current (session_id, performed_at, patient_id,"
               "  patient_name, patient_key, areas, injections, duration_minutes) VALUES"
               "  (1, '2025-01-02T10:00:00Z', 1, 'Old Patient', 'old patient', 'face', 150, 35),"
               "  (2, '2025-02-02T10:00:00Z', 1, 'Old Patient', 'old patient', 'scalp', 120, 30);"
               " INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, payload,"
               "  prev_hash, hash) VALUES"
               "  (1, '2025-01-02T10:00:00Z', 'alice', 'create', 'session', 1,"
               "   'id=1\ninjections=150\n', '', ''),"
               "  (2, '2025-02-02T10:00:00Z', 'alice', 'create', 'session', 2,"
               "   'id=2\ninjections=120\n', '', '')");
  /* The hashes, as step 7's Mesocare wrote them. */
  exec_ok (db, "DROP TRIGGER IF EXISTS audit_log_never_updated");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, at, actor, action, entity, entity_id,"
                                       " payload FROM audit_log ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_autofree char *hash = plain_hash (stmt, seq, prev);
      g_autofree char *sql = g_strdup_printf ("UPDATE audit_log SET prev_hash = '%s', hash = '%s'"
                                              " WHERE seq = %" G_GINT64_FORMAT, prev, hash, seq);

      exec_ok (db, sql);
      g_free (prev);
      prev = g_steal_pointer (&hash);
    }
  sqlite3_finalize (stmt);
  exec_ok (db, "CREATE TRIGGER audit_log_never_updated BEFORE UPDATE ON audit_log"
               " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;");
  sqlite3_close (db);
  return path;
}

static void
test_upgrade (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("tamper-XXXXXX");
  g_autofree char *db = make_step7_database (dir);
  const char *record[] = { "record", "--patient", "Old Patient", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  sqlite3 *raw;

  run_ok (db, record);
  assert_check_ok (db);
  raw = open_raw (db);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM audit_log WHERE action = 'seal'"), >, 0);
  g_assert_cmpint (query_int (raw, "SELECT count(*) FROM audit_log WHERE mac IS NULL"), ==, 0);
  sqlite3_close (raw);
  /* Sealed now: the old rows are in the chain. */
  tamper (db, "DROP TRIGGER IF EXISTS session_current_sealed_update;"
              " UPDATE session_current SET duration_minutes = 10 WHERE session_id = 1");
  assert_check_fails (db, "session_current row 1 differs from what entry", NULL);
  meso_test_remove_tree (dir);
}

/* An entry edited before the upgrade is not laundered by it. */
static void
test_upgrade_keeps_earlier_edit (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("tamper-XXXXXX");
  g_autofree char *db = make_step7_database (dir);
  const char *record[] = { "record", "--patient", "Old Patient", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };

  tamper (db, "DROP TRIGGER IF EXISTS audit_log_never_updated;"
              " UPDATE audit_log SET payload = 'id=2\ninjections=12\n' WHERE seq = 2");
  run_ok (db, record);
  assert_check_fails (db, "entry 2 (create", "does not match its content");
  meso_test_remove_tree (dir);
}

/* Two processes saving at once: each entry chains to the other's. */
static void
test_concurrent_saves (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autoptr(GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSubprocessLauncher) launcher = meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *patient = g_strdup_printf ("Writer %u", i);
      const char *record[] = { "record", "--patient", patient, "--area", "face",
                               "--injections", "5", "--duration", "10", NULL };

      g_ptr_array_add (processes, meso_test_spawn_cli (launcher, clinic->db, record));
    }
  for (guint i = 0; i < processes->len; i++)
    {
      g_autoptr(GError) error = NULL;

      g_subprocess_wait_check (processes->pdata[i], NULL, &error);
      g_assert_no_error (error);
    }
  assert_check_ok (clinic->db);
}

/* A trigger planted in the file, which would change a record inside the next save and
 * have it sealed with the save: the save is refused, and check names it. */
static void
test_trigger_planted (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  g_autofree char *err = NULL;

  tamper (clinic->db, "CREATE TRIGGER zz_launder AFTER INSERT ON sessions BEGIN"
                      " UPDATE session_current SET duration_minutes = 10 WHERE session_id = 1;"
                      " END");
  g_assert_cmpint (run_cli (clinic->db, record, &err), !=, 0);
  g_assert_nonnull (strstr (err, SCHEMA_ALTERED));
  assert_check_fails (clinic->db, SCHEMA_ALTERED, NULL);
}

/* A table's constraint loosened in the file: the rows still pass SQLite's own checks, so
 * only the sealed schema can tell; the next save is refused too. */
static void
test_constraint_loosened (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  g_autofree char *err = NULL;

  tamper (clinic->db, "PRAGMA writable_schema = ON;"
                      " UPDATE sqlite_schema SET sql = replace (sql, 'CHECK (', 'CHECK (1 OR ')"
                      " WHERE name = 'sessions' AND sql LIKE '%CHECK (%'");
  assert_check_fails (clinic->db, SCHEMA_ALTERED, NULL);
  g_assert_cmpint (run_cli (clinic->db, record, &err), !=, 0);
  g_assert_nonnull (strstr (err, SCHEMA_ALTERED));
}

/* One letter of a column's name changed in the table's SQL, as a flipped byte might: the
 * file still opens, but no session can be shown any more. The row is named first (its
 * columns are no longer those sealed), the schema last. */
static void
test_column_renamed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  sqlite3 *db = open_raw (clinic->db);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'sessions'"
                                  " AND instr (sql, 'duration_minutes') > 0"), ==, 1);
  sqlite3_close (db);
  tamper (clinic->db, "PRAGMA writable_schema = ON;"
                      " UPDATE sqlite_schema SET sql = replace (sql, 'duration_minutes',"
                      " 'duratijn_minutes') WHERE name = 'sessions'");
  assert_check_fails (clinic->db, "sessions row 1 differs from what entry", NULL);
}

/* The digest a database sealed by step 9 holds: the triggers' alone, under the key. */
static void
seal_as_step9 (const char *path)
{
  g_autofree char *key_file = key_path ();
  g_autofree char *key_text = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *chain_id = NULL;
  g_autofree char *mac_text = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *sql = NULL;
  guint8 key[32];
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *stmt = NULL;

  g_assert_true (g_file_get_contents (key_file, &key_text, NULL, NULL));
  g_strchomp (key_text);
  g_assert_cmpuint (strlen (key_text), ==, 2 * sizeof key);
  for (guint i = 0; i < sizeof key; i++)
    key[i] = (guint8) (g_ascii_xdigit_value (key_text[2 * i]) * 16
                       + g_ascii_xdigit_value (key_text[2 * i + 1]));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_schema"
                                       " WHERE type = 'trigger' ORDER BY name", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < 2; i++)
      {
        g_checksum_update (checksum, sqlite3_column_text (stmt, i),
                           sqlite3_column_bytes (stmt, i));
        g_checksum_update (checksum, (const guchar *) "\x1f", 1);
      }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT chain_id FROM audit_chain", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  chain_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  mac_text = g_strdup_printf ("triggers\x1f%s\x1f%s", chain_id,
                              g_checksum_get_string (checksum));
  mac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, sizeof key, mac_text, -1);
  sql = g_strdup_printf ("UPDATE audit_chain SET triggers = '%s', triggers_mac = '%s';"
                         " PRAGMA user_version = 9", g_checksum_get_string (checksum), mac);
  exec_ok (db, sql);
  sqlite3_close (db);
}

static char *
sealed_digest (const char *path)
{
  sqlite3 *db = open_raw (path);
  sqlite3_stmt *stmt = NULL;
  char *digest;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT triggers FROM audit_chain", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  digest = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return digest;
}

/* A database sealed by step 9 (its triggers' digest alone) still checks ok, as do its
 * backups; opened for writing, step 10 seals its whole schema. */
static void
test_step9_upgraded (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  seal_as_step9 (clinic->db);
  before = sealed_digest (clinic->db);
  g_assert_false (g_str_has_prefix (before, "schema:"));
  assert_check_ok (clinic->db);
  run_ok (clinic->db, record);
  after = sealed_digest (clinic->db);
  g_assert_true (g_str_has_prefix (after, "schema:"));
  assert_check_ok (clinic->db);
}

/* A trigger planted in a step-9 database is not sealed by the upgrade as found. */
static void
test_step9_planted_not_sealed (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  g_autofree char *err = NULL;
  g_autofree char *digest = NULL;

  seal_as_step9 (clinic->db);
  tamper (clinic->db, "CREATE TRIGGER zz_launder AFTER INSERT ON sessions BEGIN"
                      " UPDATE session_current SET duration_minutes = 10 WHERE session_id = 1;"
                      " END");
  g_assert_cmpint (run_cli (clinic->db, record, &err), !=, 0);
  g_assert_nonnull (strstr (err, SCHEMA_ALTERED));
  digest = sealed_digest (clinic->db);
  g_assert_false (g_str_has_prefix (digest, "schema:"));
  assert_check_fails (clinic->db, SCHEMA_ALTERED, NULL);
}

/* ---- The head, the app's start check, the backups ---- */

/* Once the log has a sealed entry, its head must be beside it: removing the head is how a
 * removed tail would otherwise hide. */
static void
test_head_missing (void)
{
  g_autoptr(Clinic) clinic = clinic_new (FALSE);
  g_autofree char *head = head_path (clinic);

  g_assert_cmpint (g_unlink (head), ==, 0);
  assert_check_fails (clinic->db, "its head outside the database", "is missing");
}

/* What the app's check at start runs beside the open window, a failure of which it
 * answers as damage (the recovery dialog, writes held). */
static void
test_start_check (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_backup_verify_file (clinic->db, TRUE, &error));
  g_assert_no_error (error);
  tamper (clinic->db, "DROP TRIGGER IF EXISTS session_current_sealed_update;"
                      " UPDATE session_current SET duration_minutes = 10 WHERE session_id = 1");
  g_assert_false (meso_backup_verify_file (clinic->db, TRUE, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "session_current row 1 differs"));
}

/* The recovery dialog offers the newest backup that passes its checks: a tampered one is
 * skipped. */
static void
test_newest_good_skips_tampered (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autofree char *name = backup_name (2);
  g_autofree char *newer = g_build_filename (clinic->backups, name, NULL);
  const char *backup[] = { "backup", newer, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;

  run_ok (clinic->db, backup);
  tamper (newer, "DROP TRIGGER IF EXISTS sessions_never_updated;"
                 " UPDATE sessions SET injections = 2 WHERE id = 1");
  found = meso_backup_find_newest_good (clinic->backups, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, clinic->backup);
}

/* An older backup restored while a newer one (here tampered, so not offered) is in the
 * folder: the newer one is of another history now, which the restore explains. */
static void
test_restore_older (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autofree char *name = backup_name (2);
  g_autofree char *newer = g_build_filename (clinic->backups, name, NULL);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  const char *backup[] = { "backup", newer, NULL };
  const char *restore[] = { "restore", clinic->backup, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;

  run_ok (clinic->db, record);
  run_ok (clinic->db, backup);
  tamper (newer, "DROP TRIGGER IF EXISTS sessions_never_updated;"
                 " UPDATE sessions SET injections = 2 WHERE id = 1");

  /* As the app restores: checked at once, before it logs the restore. */
  g_assert_true (meso_backup_restore (clinic->backup, clinic->db, &aside, &error));
  g_assert_no_error (error);
  g_assert_true (meso_backup_verify_file (clinic->db, TRUE, &error));
  g_assert_no_error (error);

  /* As the command-line tool restores: the restore logged, then more written. */
  run_ok (clinic->db, restore);
  assert_check_ok (clinic->db);
  run_ok (clinic->db, record);
  assert_check_ok (clinic->db);
}

/* ---- The sheets' fingerprints ---- */

/* Writes session @id's sheet to @pdf and returns the code its footer prints. */
static char *
sheet_fingerprint (const Clinic *clinic,
                   const char   *id,
                   const char   *pdf)
{
  const char *args[] = { "sheet", id, "--output", pdf, NULL };
  g_autofree char *uri = g_filename_to_uri (pdf, NULL, NULL);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  g_autofree char *text = NULL;
  const char *at;
  char *code;

  run_ok (clinic->db, args);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  page = poppler_document_get_page (document, 0);
  text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (document);
  at = strstr (text, "Code ");
  g_assert_nonnull (at);
  code = g_strndup (at + strlen ("Code "), 9);
  g_assert_cmpint (strlen (code), ==, 9);
  g_assert_cmpint (code[4], ==, '-');
  return code;
}

static int
check_fingerprint (const Clinic  *clinic,
                   const char    *code,
                   char         **out,
                   char         **err)
{
  const char *args[] = { "check", "--fingerprint", code, NULL };

  return run_cli_out (clinic->db, args, out, err);
}

/* The footer's code names its session's entry, stays the same on a reprint, and tells
 * a sheet made out of date by an amendment. */
static void
test_fingerprint (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autofree char *first_pdf = g_build_filename (clinic->dir, "first.pdf", NULL);
  g_autofree char *again_pdf = g_build_filename (clinic->dir, "again.pdf", NULL);
  g_autofree char *code = sheet_fingerprint (clinic, "3", first_pdf);
  g_autofree char *again = sheet_fingerprint (clinic, "3", again_pdf);
  g_autofree char *first_bytes = NULL;
  g_autofree char *again_bytes = NULL;
  const char *amend[] = { "amend", "3", "--injections", "12", "--reason", "Recounted", NULL };
  char *out = NULL, *err = NULL;
  gsize first_size, again_size;

  g_assert_cmpstr (code, ==, again);
  g_assert_true (g_file_get_contents (first_pdf, &first_bytes, &first_size, NULL));
  g_assert_true (g_file_get_contents (again_pdf, &again_bytes, &again_size, NULL));
  g_assert_true (first_size == again_size && memcmp (first_bytes, again_bytes, first_size) == 0);

  g_assert_cmpint (check_fingerprint (clinic, code, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "session 3"));
  g_assert_nonnull (strstr (out, "still matches"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  run_ok (clinic->db, amend);
  g_assert_cmpint (check_fingerprint (clinic, code, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "has changed since"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (check_fingerprint (clinic, "0000-0000", &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "no entry of the audit log has the fingerprint"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
}

/* A sheet's code against a record changed unseen: check fails, and so does the sheet. */
static void
test_fingerprint_tampered (void)
{
  g_autoptr(Clinic) clinic = clinic_new (TRUE);
  g_autofree char *pdf = g_build_filename (clinic->dir, "sheet.pdf", NULL);
  g_autofree char *code = sheet_fingerprint (clinic, "1", pdf);
  char *out = NULL, *err = NULL;

  tamper (clinic->db, "DROP TRIGGER IF EXISTS session_current_sealed_update;"
                      " UPDATE session_current SET duration_minutes = 10 WHERE session_id = 1");
  g_assert_cmpint (check_fingerprint (clinic, code, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "session_current row 1 differs"));
  g_free (out);
  g_free (err);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tamper/untouched", test_untouched);
  g_test_add_func ("/tamper/void-undone", test_void_undone);
  g_test_add_func ("/tamper/void-undone-head-rewritten", test_void_undone_head_rewritten);
  g_test_add_func ("/tamper/amendment-undone", test_amendment_undone);
  g_test_add_func ("/tamper/chain-recomputed", test_chain_recomputed);
  g_test_add_func ("/tamper/session-changed", test_session_changed);
  g_test_add_func ("/tamper/session-changed-with-payload", test_session_changed_with_payload);
  g_test_add_func ("/tamper/session-deleted", test_session_deleted);
  g_test_add_func ("/tamper/session-inserted", test_session_inserted);
  g_test_add_func ("/tamper/amendment-values-changed", test_amendment_values_changed);
  g_test_add_func ("/tamper/session-replaced", test_session_replaced);
  g_test_add_func ("/tamper/void-replaced", test_void_replaced);
  g_test_add_func ("/tamper/patient-renamed", test_patient_renamed);
  g_test_add_func ("/tamper/practitioner-changed", test_practitioner_changed);
  g_test_add_func ("/tamper/duration-flipped", test_duration_flipped);
  g_test_add_func ("/tamper/key-missing", test_key_missing);
  g_test_add_func ("/tamper/key-readable", test_key_readable);
  g_test_add_func ("/tamper/restore-tampered", test_restore_tampered);
  g_test_add_func ("/tamper/restore-good", test_restore_good);
  g_test_add_func ("/tamper/upgrade", test_upgrade);
  g_test_add_func ("/tamper/upgrade-keeps-earlier-edit", test_upgrade_keeps_earlier_edit);
  g_test_add_func ("/tamper/concurrent-saves", test_concurrent_saves);
  g_test_add_func ("/tamper/trigger-planted", test_trigger_planted);
  g_test_add_func ("/tamper/constraint-loosened", test_constraint_loosened);
  g_test_add_func ("/tamper/column-renamed", test_column_renamed);
  g_test_add_func ("/tamper/step9-upgraded", test_step9_upgraded);
  g_test_add_func ("/tamper/step9-planted-not-sealed", test_step9_planted_not_sealed);
  g_test_add_func ("/tamper/head-missing", test_head_missing);
  g_test_add_func ("/tamper/restore-older", test_restore_older);
  g_test_add_func ("/tamper/start-check", test_start_check);
  g_test_add_func ("/tamper/newest-good-skips-tampered", test_newest_good_skips_tampered);
  g_test_add_func ("/tamper/fingerprint", test_fingerprint);
  g_test_add_func ("/tamper/fingerprint-tampered", test_fingerprint_tampered);

  return g_test_run ();
}
