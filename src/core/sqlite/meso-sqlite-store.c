/* meso-sqlite-store.c: the store in one SQLite file: its schema steps, records and writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-session-private.h"
#include "meso-store-private.h"
#include "meso-sqlite-store-private.h"
#include "meso-lot.h"
#include "meso-patient.h"
#include "meso-text.h"

#define SQL_RESOURCE_DIR "/io/github/mesocare/Mesocare/core/sql/sqlite"
#define BUSY_TIMEOUT_MS  10000
/* From this many sessions on, an import is saved as a bulk write (see
 * meso-sqlite-store-bulk.c): its setting up costs more than it saves on a few. */
#define BULK_MIN_SESSIONS 200
/* The step from which each session keeps the patient's details of its day
 * (008-patient-details.sql), and the oldest schema a read-only store can read as it is:
 * its queries need the clinic's table of step 5 and the emergency number of step 6. */
#define SESSION_DETAILS_SCHEMA  8
#define READ_ONLY_MIN_SCHEMA    6

/* The fields kept as columns of the sessions table, each as its canonical text (flags as
 * 0 or 1): the one mapping between MesoSession and its row. */
static const struct
{
  MesoField   field;
  const char *column;
} session_columns[] = {
  { MESO_FIELD_INJECTIONS, "injections" },
  { MESO_FIELD_DURATION, "duration_minutes" },
  { MESO_FIELD_INDICATION, "indication" },
  { MESO_FIELD_TECHNIQUE, "technique" },
  { MESO_FIELD_PRODUCT, "product" },
  { MESO_FIELD_LOT, "lot" },
  { MESO_FIELD_EXPIRY, "lot_expiry" },
  { MESO_FIELD_VOLUME, "volume_ml" },
  { MESO_FIELD_SESSION_NUMBER, "session_number" },
  { MESO_FIELD_SERIES_TOTAL, "series_total" },
  { MESO_FIELD_NEXT_SESSION, "next_session" },
  { MESO_FIELD_REACTIONS, "reactions" },
  { MESO_FIELD_INSTRUCTIONS, "instructions" },
  { MESO_FIELD_NOTES, "notes" },
  { MESO_FIELD_BLOOD_THINNERS, "blood_thinners" },
  { MESO_FIELD_PREGNANT, "pregnant" },
  { MESO_FIELD_ALLERGIES, "allergies" },
  { MESO_FIELD_PREGNANCY_OVERRIDE, "pregnancy_override" },
};

/* The columns of session_current beyond those of the sessions table: what an amendment
 * can change there that the first record keeps elsewhere. */
static const struct
{
  MesoField   field;
  const char *column;
} current_columns[] = {
  { MESO_FIELD_PATIENT, "patient_name" },
  { MESO_FIELD_PRACTITIONER, "practitioner" },
  { MESO_FIELD_AREAS, "areas" },
};

/* What a session row (SESSION_SELECT) holds after its id and time: the patient's and the
 * practitioner's own details, then the current columns, then the session's, then its
 * status, void reason and patient id. */
static const MesoField joined_fields[] = {
  MESO_FIELD_DATE_OF_BIRTH, MESO_FIELD_PHONE, MESO_FIELD_EMAIL, MESO_FIELD_LANGUAGE,
  MESO_FIELD_PATIENT_NOTES, MESO_FIELD_PRACTITIONER_ROLE, MESO_FIELD_PRACTITIONER_REGISTRATION,
};

#define FIRST_CURRENT_COLUMN (2 + G_N_ELEMENTS (joined_fields))
#define FIRST_SESSION_COLUMN (FIRST_CURRENT_COLUMN + G_N_ELEMENTS (current_columns))
#define STATUS_COLUMN        (FIRST_SESSION_COLUMN + G_N_ELEMENTS (session_columns))
#define VOID_REASON_COLUMN   (STATUS_COLUMN + 1)
#define PATIENT_ID_COLUMN    (STATUS_COLUMN + 2)

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  /* A patient is the same person when the name and the date of birth match. */
  [STMT_FIND_PATIENT] =
    "SELECT id FROM patients WHERE full_name = ?1 AND date_of_birth IS ?2 ORDER BY id LIMIT 1",
  [STMT_INSERT_PATIENT] =
    "INSERT INTO patients (full_name, date_of_birth, phone, email, language, notes, created_at,"
    " name_key) VALUES (?1, ?2, ?3, ?4, coalesce (?5, 'en'), ?6, ?7, meso_fold (?1))",
  /* Contact details given again replace the old ones; those not given stay. */
  [STMT_UPDATE_PATIENT] =
    "UPDATE patients SET phone = coalesce (?2, phone), email = coalesce (?3, email),"
    " language = coalesce (?4, language), notes = coalesce (?5, notes) WHERE id = ?1",
  [STMT_FIND_PRACTITIONER] = "SELECT id FROM practitioners WHERE name = ?1",
  [STMT_INSERT_PRACTITIONER] =
    "INSERT INTO practitioners (name, created_at, role, registration) VALUES (?1, ?2, ?3, ?4)",
  /* A role or number given again replaces the old one; one not given stays. */
  [STMT_UPDATE_PRACTITIONER] =
    "UPDATE practitioners SET role = coalesce (?2, role), registration = coalesce (?3, registration)"
    " WHERE id = ?1",
  [STMT_INSERT_SESSION] = NULL,  /* built from session_columns */
  [STMT_INSERT_AREA] = "INSERT INTO session_areas (session_id, area) VALUES (?1, ?2)",
  [STMT_GET_SESSION] = NULL,     /* built from session_columns */
  [STMT_PUT_CURRENT] = NULL,     /* built from session_columns */
  [STMT_VOID_CURRENT] =
    "UPDATE session_current SET status = 'voided', void_reason = ?2 WHERE session_id = ?1",
  [STMT_COUNT_SESSIONS] = "SELECT count(*) FROM sessions",
  [STMT_INSERT_AMENDMENT] =
    "INSERT INTO amendments (session_id, amended_at, amended_by, reason) VALUES (?1, ?2, ?3, ?4)",
  [STMT_INSERT_AMENDMENT_VALUE] =
    "INSERT INTO amendment_values (amendment_id, field, old_value, new_value)"
    " VALUES (?1, ?2, ?3, ?4)",
  [STMT_LIST_AMENDMENT_VALUES] =
    "SELECT a.id, a.amended_at, a.amended_by, a.reason, v.field, v.old_value, v.new_value"
    " FROM amendments a JOIN amendment_values v ON v.amendment_id = a.id"
    " WHERE a.session_id = ?1 ORDER BY a.id, v.rowid",
  [STMT_INSERT_VOID] =
    "INSERT INTO voids (session_id, voided_at, voided_by, reason) VALUES (?1, ?2, ?3, ?4)",
  [STMT_LIST_AUDIT] =
    "SELECT seq, at, actor, action, entity, entity_id, payload, prev_hash, hash FROM audit_log"
    " WHERE ?1 IS NULL OR (entity = 'session' AND entity_id = ?1) ORDER BY seq",
  [STMT_INSERT_ADJUSTMENTS] =
    "INSERT INTO sheet_adjustments (session_id, saved_at, saved_by, data) VALUES (?1, ?2, ?3, ?4)",
  /* A patient's flags are those of their latest session: what the practitioner last
   * recorded. */
  [STMT_FIND_PATIENTS] =
    "SELECT p.full_name, p.date_of_birth, p.phone, p.email, p.language, p.notes,"
    " c.blood_thinners, c.pregnant, c.allergies"
    " FROM patients p LEFT JOIN session_current c ON c.session_id ="
    "  (SELECT session_id FROM session_current WHERE patient_id = p.id"
    "   ORDER BY performed_at DESC, session_id DESC LIMIT 1)"
    " WHERE instr (p.name_key, ?1) > 0 OR p.date_of_birth LIKE ?2 ESCAPE '\\'"
    " ORDER BY p.name_key, p.date_of_birth LIMIT ?3",
  /* Only the latest sessions are looked at, through the index by time: a lot in use
   * shows among them, and the look stays as quick with a million sessions. */
  [STMT_RECENT_LOTS] =
    "SELECT product, lot, lot_expiry FROM"
    " (SELECT session_id, performed_at, product, lot, lot_expiry FROM session_current"
    "  WHERE status <> 'voided'"
    "  ORDER BY performed_at DESC, session_id DESC LIMIT 300)"
    " WHERE product IS NOT NULL AND product <> ''"
    " GROUP BY product, lot, lot_expiry"
    " ORDER BY MAX(performed_at) DESC, MAX(session_id) DESC LIMIT ?1",
  [STMT_GET_ADJUSTMENTS] =
    "SELECT data FROM sheet_adjustments WHERE session_id = ?1 ORDER BY id DESC LIMIT 1",
  /* Changes when another connection commits, never for this one's own: a look at the
   * WAL index, which a writer holding the lock does not block. */
  [STMT_DATA_VERSION] = "PRAGMA data_version",
};

/* The patient's details a session keeps as they were that day (step 8), in the order of
 * the first columns of joined_fields: the sessions table's column, the patients one. */
static const struct
{
  const char *session_column;
  const char *patient_column;
} patient_details[] = {
  { "patient_date_of_birth", "date_of_birth" },
  { "patient_phone", "phone" },
  { "patient_email", "email" },
  { "patient_language", "language" },
  { "patient_notes", "notes" },
};

/* The patient's details are copied from the patients row as this very session left it
 * (updated or inserted just before, in the same transaction): what its sheet prints,
 * whatever a later session changes there. */
static char *
build_insert_session_sql (void)
{
  GString *sql = g_string_new ("INSERT INTO sessions (patient_id, practitioner_id, performed_at,"
                               " created_at, created_by");
  guint n = 5;

  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", %s", session_columns[i].column);
  for (guint i = 0; i < G_N_ELEMENTS (patient_details); i++)
    g_string_append_printf (sql, ", %s", patient_details[i].session_column);
  g_string_append (sql, ") SELECT ?1");
  for (guint i = 2; i <= n + G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", ?%u", i);
  for (guint i = 0; i < G_N_ELEMENTS (patient_details); i++)
    g_string_append_printf (sql, ", p.%s", patient_details[i].patient_column);
  g_string_append (sql, " FROM patients p WHERE p.id = ?1");
  return g_string_free (sql, FALSE);
}

/* The SELECT of a session row with its current values, joined to the patient's details
 * of that session and the practitioner's (see joined_fields), to which a WHERE is added.
 * A session from before step 8, or one whose schema is older (a store opened read-only),
 * shows the patients row. */
char *
meso_sqlite_store_select_sql (MesoSqliteStore *self)
{
  gboolean kept = self->schema_version >= SESSION_DETAILS_SCHEMA;
  GString *sql = g_string_new ("SELECT c.session_id, c.performed_at");

  for (guint i = 0; i < G_N_ELEMENTS (patient_details); i++)
    if (kept)
      g_string_append_printf (sql, ", CASE WHEN s.patient_language IS NULL THEN p.%s"
                              " ELSE s.%s END", patient_details[i].patient_column,
                              patient_details[i].session_column);
    else
      g_string_append_printf (sql, ", p.%s", patient_details[i].patient_column);
  g_string_append (sql, ", pr.role, pr.registration");
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    g_string_append_printf (sql, ", c.%s", current_columns[i].column);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", c.%s", session_columns[i].column);
  g_string_append (sql, ", c.status, c.void_reason, c.patient_id" MESO_SQLITE_SESSION_FROM);
  if (kept)
    g_string_append (sql, " JOIN sessions s ON s.id = c.session_id");
  return g_string_free (sql, FALSE);
}

static char *
build_get_session_sql (MesoSqliteStore *self)
{
  g_autofree char *select = meso_sqlite_store_select_sql (self);

  return g_strconcat (select, " WHERE c.session_id = ?1", NULL);
}

/* Writes a session's current values whole: a new row for a new session, the same row
 * over again for an amendment. */
static char *
build_put_current_sql (void)
{
  GString *sql = g_string_new ("INSERT INTO session_current (session_id, performed_at,"
                               " patient_id, patient_key, status");
  GString *update = g_string_new (" ON CONFLICT (session_id) DO UPDATE SET"
                                  " performed_at = excluded.performed_at,"
                                  " patient_key = excluded.patient_key,"
                                  " status = excluded.status");
  guint n = 5;

  for (guint i = 0; i < G_N_ELEMENTS (current_columns) + G_N_ELEMENTS (session_columns); i++)
    {
      const char *column = i < G_N_ELEMENTS (current_columns)
                           ? current_columns[i].column
                           : session_columns[i - G_N_ELEMENTS (current_columns)].column;

      g_string_append_printf (sql, ", %s", column);
      g_string_append_printf (update, ", %s = excluded.%s", column, column);
      n++;
    }
  g_string_append (sql, ") VALUES (?1");
  for (guint i = 2; i <= n; i++)
    g_string_append_printf (sql, ", ?%u", i);
  g_string_append (sql, ")");
  g_string_append (sql, update->str);
  g_string_free (update, TRUE);
  return g_string_free (sql, FALSE);
}

G_DEFINE_FINAL_TYPE (MesoSqliteStore, meso_sqlite_store, MESO_TYPE_STORE)

static void
clear_statements (MesoSqliteStore *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
}

static void close_connection (MesoSqliteStore *self);

static void
meso_sqlite_store_finalize (GObject *object)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (object);

  close_connection (self);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (meso_sqlite_store_parent_class)->finalize (object);
}

static void install_methods (MesoStoreClass *store_class);

static void
meso_sqlite_store_class_init (MesoSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_sqlite_store_finalize;
  install_methods (MESO_STORE_CLASS (klass));
}

static void
meso_sqlite_store_init (MesoSqliteStore *self)
{
}

gboolean
meso_sqlite_store_fail (MesoSqliteStore  *self,
                        GError          **error,
                        const char       *what)
{
  /* @what is for developers, in the debug log; the user reads SQLite's own words. */
  g_autofree char *clean = meso_error_clean_text (sqlite3_errmsg (self->db));

  g_debug ("%s failed: %s", what, clean);
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Database %s: %s"), self->path, clean);
  return FALSE;
}

/* Formatting the time costs more than writing a row: a bulk write asks thousands of
 * times a second, so each thread keeps the text of the second it last formatted. */
char *
meso_sqlite_store_now (void)
{
  static _Thread_local gint64 second_kept = -1;
  static _Thread_local char text_kept[sizeof "2000-01-01T00:00:00Z"];
  gint64 second = g_get_real_time () / G_USEC_PER_SEC;

  if (second != second_kept)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (second);
      g_autofree char *text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      g_strlcpy (text_kept, text, sizeof text_kept);
      second_kept = second;
    }
  return g_strdup (text_kept);
}

/* meso_fold (text): names as search keeps them (meso_text_fold), for the schema steps
 * and the queries. */
static void
fold_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  g_autofree char *folded = meso_text_fold ((const char *) sqlite3_value_text (argv[0]));

  g_assert (argc == 1);
  sqlite3_result_text (context, folded, -1, SQLITE_TRANSIENT);
}

void
meso_sqlite_store_add_functions (sqlite3 *db)
{
  sqlite3_create_function_v2 (db, "meso_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                              fold_function, NULL, NULL, NULL);
}

static gboolean
exec_sql (MesoSqliteStore  *self,
          const char       *sql,
          GError          **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_autofree char *clean = meso_error_clean_text (message);

      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Database %s: %s"), self->path,
                   clean);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static int
read_user_version (MesoSqliteStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The schema steps, sorted by name: "001-initial.sql", "002-...". The step number is
 * the position in this list, which is what PRAGMA user_version counts. */
static GStrv
list_schema_steps (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children (SQL_RESOURCE_DIR,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  if (names == NULL)
    return g_new0 (char *, 1);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return g_steal_pointer (&names);
}

/**
 * meso_store_get_latest_schema_version:
 *
 * Returns: the schema version this build of Mesocare writes.
 */
int
meso_sqlite_store_get_latest_schema_version (void)
{
  g_auto(GStrv) steps = list_schema_steps ();

  return (int) g_strv_length (steps);
}

static gboolean fill_current_values (MesoSqliteStore *self,
                                     GError    **error);

static gboolean
seal_chain (MesoSqliteStore  *self,
            GError          **error)
{
  return meso_seal_upgrade (self->seal, meso_store_get_user (MESO_STORE (self)), error);
}

/* What SQL alone cannot do in a step runs after the step's SQL, inside the same
 * transaction. */
static const struct
{
  const char *step;
  gboolean  (*run) (MesoSqliteStore *self, GError **error);
} step_code[] = {
  { "004-current-values.sql", fill_current_values },
  { "009-sealed-chain.sql", seal_chain },
};

static gboolean
run_step_code (MesoSqliteStore  *self,
               const char       *name,
               GError          **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (step_code); i++)
    if (g_str_equal (name, step_code[i].step))
      return step_code[i].run (self, error);
  return TRUE;
}

static gboolean
apply_schema_step (MesoSqliteStore  *self,
                   const char       *name,
                   int               version,
                   GError          **error)
{
  g_autofree char *resource = g_build_path ("/", SQL_RESOURCE_DIR, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *set_version = NULL;

  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  set_version = g_strdup_printf ("PRAGMA user_version = %d", version);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  /* Another process (the app and the command-line tool, say) may have applied this
   * step while we waited for the write lock: look again now that we hold it. */
  if (read_user_version (self) >= version)
    return exec_sql (self, "COMMIT", error);
  /* A step changes the schema: its digest is sealed again (from step 9 on), so what the
   * file holds is first proven to be what the last step sealed, never sealed as found. */
  if ((meso_seal_is_sealed (self->db) && !meso_seal_check_schema (self->seal, error))
      || !exec_sql (self, sql, error) || !run_step_code (self, name, error)
      || (meso_seal_is_sealed (self->db) && !meso_seal_seal_schema (self->seal, error))
      || !exec_sql (self, set_version, error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      g_prefix_error (error, _("Schema step %s: "), name);
      return FALSE;
    }
  return exec_sql (self, "COMMIT", error);
}

/* Reads the schema step of the database and refuses one written by a newer Mesocare.
 * This runs before anything that writes (even PRAGMA journal_mode writes the file's
 * header), so a refused database is left exactly as it was. */
static gboolean
check_schema_version (MesoSqliteStore  *self,
                      int              *out_version,
                      GError          **error)
{
  int latest = meso_sqlite_store_get_latest_schema_version ();
  int current = read_user_version (self);

  if (current < 0)
    return meso_sqlite_store_fail (self, error, "PRAGMA user_version");

  if (current > latest)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW,
                   _("Database %s was written by a newer version of Mesocare (schema %d; "
                     "this version knows up to %d). It has not been changed."),
                   self->path, current, latest);
      return FALSE;
    }

  *out_version = current;
  return TRUE;
}

/* Brings the schema up to date one step at a time, each in its own transaction, so an
 * interrupted upgrade leaves a database at a known step. */
static gboolean
migrate (MesoSqliteStore  *self,
         int               current,
         GError          **error)
{
  g_auto(GStrv) steps = list_schema_steps ();
  int latest = (int) g_strv_length (steps);

  /* A step's C code reads through the statements of the schema it finds (the select
   * of a session follows the schema version): those prepared meanwhile are dropped
   * once the schema is the latest. */
  self->schema_version = current;
  for (int version = current + 1; version <= latest; version++)
    {
      if (!apply_schema_step (self, steps[version - 1], version, error))
        return FALSE;
      self->schema_version = version;
    }
  if (current < latest)
    clear_statements (self);
  return TRUE;
}

/* A file or folder of ours that others may read is made the owner's alone. Someone
 * else's (a shared folder given with --db) is left as it is: it is not ours to change. */
static void
tighten_mode (const char *path,
              mode_t      mode)
{
  GStatBuf buf;

  if (g_lstat (path, &buf) != 0 || buf.st_uid != geteuid () || (buf.st_mode & 077) == 0
      || (S_ISDIR (buf.st_mode) ? (buf.st_mode & S_ISVTX) != 0 : !S_ISREG (buf.st_mode)))
    return;
  if (g_chmod (path, mode) != 0)
    g_debug ("Cannot make %s private: %s", path, g_strerror (errno));
}

/* An existing database (and its -wal and -shm files) of a looser mode is tightened, and
 * so is the app's own data folder: a folder given with --db may be shared (a home, /tmp),
 * so only the default one is. */
static void
tighten_existing (const char *path)
{
  g_autofree char *default_path = meso_store_get_default_path ();
  g_autofree char *default_dir = g_path_get_dirname (default_path);
  g_autofree char *dir = g_path_get_dirname (path);
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      tighten_mode (file, 0600);
    }
  if (g_str_equal (dir, default_dir))
    tighten_mode (dir, 0700);
}

/* The database holds medical records: its folder is the owner's alone, and so is the
 * file, created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
 * same mode as the database). */
static gboolean
prepare_private_file (const char  *path,
                      GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the database %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  tighten_existing (path);
  return TRUE;
}

/* Said once per wait, when it begins: with G_MESSAGES_DEBUG=meso-store a save that took
 * long shows that another Mesocare held the database, and the tests that hold it on
 * purpose see each writer reach the lock before they let it go. */
static void
note_busy (MesoSqliteStore *self)
{
  self->busy_since = g_get_monotonic_time ();
  g_debug ("%s is locked by another writer: waiting for it", self->path);
}

static gboolean
busy_too_long (MesoSqliteStore *self)
{
  return g_get_monotonic_time () - self->busy_since > BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
}

/* What sqlite3_busy_timeout() does, saying when it starts: the same sleeps, longer and
 * longer, and BUSY_TIMEOUT_MS in all. */
static int
on_busy_cb (void *data,
            int   count)
{
  static const int sleeps_ms[] = { 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 };
  MesoSqliteStore *self = data;

  if (count == 0)
    note_busy (self);
  else if (busy_too_long (self))
    return 0;
  sqlite3_sleep (sleeps_ms[MIN ((guint) count, G_N_ELEMENTS (sleeps_ms) - 1)]);
  return 1;
}

/* Turning a new database to WAL needs the write lock while holding a read, and SQLite
 * does not call the busy handler for that: two processes opening a new database at once
 * would see "database is locked" at once. Retry for as long as the busy handler would
 * wait. */
static gboolean
set_wal_mode (MesoSqliteStore  *self,
              GError          **error)
{
  gboolean waiting = FALSE;
  int rc;

  while ((rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL))
         != SQLITE_OK)
    {
      if ((rc & 0xff) != SQLITE_BUSY || (waiting && busy_too_long (self)))
        return meso_sqlite_store_fail (self, error, "PRAGMA journal_mode");
      if (!waiting)
        note_busy (self);
      waiting = TRUE;
      g_usleep (10 * 1000);
    }
  return TRUE;
}

static gboolean
configure_connection (MesoSqliteStore  *self,
                      GError          **error)
{
  return set_wal_mode (self, error)
         && exec_sql (self, "PRAGMA synchronous = FULL", error)
         && exec_sql (self, "PRAGMA foreign_keys = ON", error);
}

/* Statements are prepared on first use, then kept: a command that runs one query
 * prepares one, instead of paying for all of them at every open. */
sqlite3_stmt *
meso_sqlite_store_stmt (MesoSqliteStore  *self,
                        StmtId            id,
                        GError          **error)
{
  g_autofree char *built = NULL;
  const char *sql = stmt_sql[id];

  if (self->stmts[id] != NULL)
    return self->stmts[id];

  if (id == STMT_INSERT_SESSION)
    sql = built = build_insert_session_sql ();
  else if (id == STMT_GET_SESSION)
    sql = built = build_get_session_sql (self);
  else if (id == STMT_PUT_CURRENT)
    sql = built = build_put_current_sql ();

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &self->stmts[id], NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, "prepare");
      return NULL;
    }
  return self->stmts[id];
}

/* Whether @path names the file of device @dev and inode @ino. */
static gboolean
same_file (const char    *path,
           dev_t          dev,
           ino_t          ino)
{
  GStatBuf buf;

  return g_stat (path, &buf) == 0 && buf.st_dev == dev && buf.st_ino == ino;
}

/* Remembers which file the connection opened (see require_same_file()). */
static gboolean
note_file_opened (MesoSqliteStore  *self,
                  GError          **error)
{
  GStatBuf buf;

  if (g_stat (self->path, &buf) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the database %s: %s"), self->path, g_strerror (saved_errno));
      return FALSE;
    }
  self->file_dev = buf.st_dev;
  self->file_ino = buf.st_ino;
  return TRUE;
}

static gboolean
open_connection (MesoSqliteStore  *self,
                 const char       *filename,
                 int               flags,
                 GError          **error)
{
  if (sqlite3_open_v2 (filename, &self->db, flags | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "open");
  sqlite3_busy_handler (self->db, on_busy_cb, self);
  sqlite3_extended_result_codes (self->db, 1);
  meso_sqlite_store_add_functions (self->db);
  /* Notes the record rows each write changes, for the entry that seals them. */
  self->seal = meso_seal_new (self->db, self->path);
  return note_file_opened (self, error);
}

/* Opens the file for reading and writing, its schema brought up to date. */
static gboolean
connect_read_write (MesoSqliteStore  *self,
                    GError          **error)
{
  int version = 0;

  if (!open_connection (self, self->path, SQLITE_OPEN_READWRITE, error)
      || !check_schema_version (self, &version, error)
      || !configure_connection (self, error))
    return FALSE;
  /* A sealed database's later steps seal its schema again, with its key. A key that is
   * not on this computer leaves the database readable; writes are refused, saying where
   * the key was looked for. */
  meso_seal_load_key (self->seal, NULL);
  if (!migrate (self, version, error))
    return FALSE;
  /* Step 9 of a database made now gave it its key; its upgrade wrote entries, which the
   * head outside follows. */
  meso_seal_load_key (self->seal, NULL);
  meso_seal_committed (self->seal);
  return TRUE;
}

/* A database in WAL mode is read through its -shm file, which a read-only folder (a
 * read-only file system, a copy on a disc) cannot hold when it is missing. With no -wal
 * beside the database nothing can be in a WAL either: the file is then read as one that
 * nothing changes (SQLite's "immutable"). */
static gboolean
open_read_only_connection (MesoSqliteStore  *self,
                           GError          **error)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *absolute = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *immutable = NULL;

  if (!open_connection (self, self->path, SQLITE_OPEN_READONLY, error))
    return FALSE;
  if (read_user_version (self) >= 0 || g_file_test (wal, G_FILE_TEST_EXISTS))
    return TRUE;
  g_debug ("%s cannot be read in place: read as immutable", self->path);
  close_connection (self);
  absolute = g_canonicalize_filename (self->path, NULL);
  uri = g_filename_to_uri (absolute, NULL, error);
  if (uri == NULL)
    return FALSE;
  immutable = g_strconcat (uri, "?immutable=1", NULL);
  return open_connection (self, immutable, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, error);
}

/* Reads the file as it is: no journal mode set, no schema step applied, nothing created.
 * The queries read every schema from READ_ONLY_MIN_SCHEMA on; an older one must be
 * brought up to date by a store that writes, once. */
static gboolean
connect_read_only (MesoSqliteStore  *self,
                   GError          **error)
{
  int version = 0;

  if (!open_read_only_connection (self, error)
      || !check_schema_version (self, &version, error)
      || !exec_sql (self, "PRAGMA query_only = ON", error))
    return FALSE;
  if (version < READ_ONLY_MIN_SCHEMA)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_OLD,
                   _("Database %s has the layout of an older version of Mesocare (schema %d; "
                     "this command reads from schema %d): open it once for writing (start "
                     "Mesocare, or run “mesocare-cli upgrade”) to bring it up to date. It "
                     "has not been changed."), self->path, version, READ_ONLY_MIN_SCHEMA);
      return FALSE;
    }
  self->schema_version = version;
  /* For the fingerprints of sheets; a database not sealed yet has no key to load. */
  meso_seal_load_key (self->seal, NULL);
  return TRUE;
}

/**
 * meso_sqlite_store_open:
 * @path: the database file; it and its folder are created when missing
 * @error: a #GError
 *
 * Returns: (transfer full): the store, its schema up to date.
 */
MesoStore *
meso_sqlite_store_open (const char  *path,
                        GError     **error)
{
  g_autoptr(MesoSqliteStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!prepare_private_file (path, error))
    return NULL;

  self = g_object_new (MESO_TYPE_SQLITE_STORE, "path", path, NULL);
  self->path = g_strdup (path);
  if (!connect_read_write (self, error))
    return NULL;
  return MESO_STORE (g_steal_pointer (&self));
}

/**
 * meso_sqlite_store_open_read_only:
 * @path: an existing database file
 * @error: a #GError
 *
 * Opens @path for reading only: the file, its mode and its folder are left exactly as
 * they are, whatever is then asked of the store (a write fails, saving nothing). A
 * schema older than this version's is read as it is, from READ_ONLY_MIN_SCHEMA on
 * (older: %MESO_ERROR_DATABASE_TOO_OLD); a newer one is refused as
 * meso_sqlite_store_open() refuses it.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
MesoStore *
meso_sqlite_store_open_read_only (const char  *path,
                                  GError     **error)
{
  g_autoptr(MesoSqliteStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (MESO_TYPE_SQLITE_STORE, "path", path, NULL);
  self->path = g_strdup (path);
  self->read_only = TRUE;
  if (!connect_read_only (self, error))
    return NULL;
  return MESO_STORE (g_steal_pointer (&self));
}

/* Closes the connection. When the path names another file now, the -wal and -shm names
 * may be that file's: SQLite would delete them by name as it closes this one, so the
 * WAL is emptied into this file and kept instead. */
static void
close_connection (MesoSqliteStore *self)
{
  int persist = 1;

  clear_statements (self);
  /* Its statements go before the connection. */
  g_clear_pointer (&self->seal, meso_seal_free);
  if (self->db == NULL)
    return;
  if (!self->read_only && !same_file (self->path, self->file_dev, self->file_ino))
    {
      sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      sqlite3_file_control (self->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    }
  g_clear_pointer (&self->db, sqlite3_close);
}

/* A new connection to whatever file the path names now (after a restore): never a new,
 * empty database in the place of one that is gone. */
static gboolean
sqlite_reopen (MesoStore  *store,
               GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);

  g_return_val_if_fail (!self->in_bulk, FALSE);

  close_connection (self);
  if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Database: there is no database at %s any more"), self->path);
      return FALSE;
    }
  if (self->read_only)
    return connect_read_only (self, error);
  tighten_existing (self->path);
  return connect_read_write (self, error);
}

static int
sqlite_get_schema_version (MesoStore *store)
{
  return MESO_SQLITE_STORE (store)->schema_version;
}

void
meso_sqlite_store_reset (MesoSqliteStore  *self,
                         StmtId            id)
{
  /* A statement not prepared yet has nothing to reset. */
  if (self->stmts[id] == NULL)
    return;
  sqlite3_reset (self->stmts[id]);
  sqlite3_clear_bindings (self->stmts[id]);
}

/* Runs a statement that returns no row (an insert, BEGIN, COMMIT...). */
gboolean
meso_sqlite_store_step_done (MesoSqliteStore  *self,
                             StmtId            id,
                             GError          **error)
{
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, id, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  meso_sqlite_store_reset (self, id);
  if (rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, stmt_sql[id] != NULL ? stmt_sql[id] : "insert");
  return TRUE;
}

/* A connection keeps writing to the file it opened even once its path names another
 * one: a backup restored (or any file renamed over it) while the app is open would take
 * every save after it, into a file no one reads again. Refused instead, with nothing
 * written anywhere; the app then opens the database again (meso_store_reopen()). */
static gboolean
require_same_file (MesoSqliteStore  *self,
                   GError          **error)
{
  if (same_file (self->path, self->file_dev, self->file_ino))
    return TRUE;
  g_debug ("%s no longer names the file opened", self->path);
  meso_store_emit_replaced (MESO_STORE (self));
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_REPLACED,
               _("Database %s was replaced by another file (a backup restored?) while it "
                 "was open: nothing was saved. Open it again, then save once more."),
               self->path);
  return FALSE;
}

typedef gboolean (*WriteFunc) (MesoSqliteStore *self,
                               gpointer    data,
                               GError    **error);

/* Runs @func inside one BEGIN IMMEDIATE ... COMMIT: all of it is on disk when this
 * returns TRUE, or none of it. IMMEDIATE takes the write lock first, so two writers
 * wait for each other (busy_timeout) instead of failing half-way. */
static gboolean
write_transaction (MesoSqliteStore  *self,
                   WriteFunc         func,
                   gpointer          data,
                   GError          **error)
{
  if (meso_store_get_writes_held (MESO_STORE (self)))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_WRITES_HELD,
                   _("The database is still being checked: nothing was saved. Try again "
                     "in a moment."));
      return FALSE;
    }
  if (self->read_only)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Database %s is open for reading only: nothing was saved"), self->path);
      return FALSE;
    }
  if (self->in_bulk)
    return meso_sqlite_store_bulk_join (self, func, data, error);
  /* Looked at once the write lock is held, and again just before the commit: a restore
   * renames its file over the path without taking SQLite's locks. */
  if (!require_same_file (self, error) || !meso_seal_can_write (self->seal, error))
    return FALSE;
  if (!meso_sqlite_store_step_done (self, STMT_BEGIN, error))
    return FALSE;
  /* Read inside the write lock: no other writer changes the schema meanwhile. */
  if (!meso_seal_check_schema (self->seal, error))
    {
      meso_sqlite_store_step_done (self, STMT_ROLLBACK, NULL);
      return FALSE;
    }
  meso_seal_begin (self->seal);
  if (!require_same_file (self, error) || !func (self, data, error)
      || !meso_seal_end (self->seal, error) || !require_same_file (self, error)
      || !meso_sqlite_store_step_done (self, STMT_COMMIT, error))
    {
      meso_sqlite_store_step_done (self, STMT_ROLLBACK, NULL);
      meso_seal_begin (self->seal);
      return FALSE;
    }
  meso_seal_committed (self->seal);
  return TRUE;
}

/* For the other files of the engine. */
gboolean
meso_sqlite_store_write_transaction (MesoSqliteStore           *self,
                                     MesoSqliteStoreWriteFunc   func,
                                     gpointer                   data,
                                     GError                   **error)
{
  return write_transaction (self, func, data, error);
}

static void
bind_field (sqlite3_stmt *stmt,
            int           index,
            MesoSession  *session,
            MesoField     field)
{
  g_autofree char *text = meso_session_get_field_text (session, field);

  if (meso_field_is_flag (field))
    sqlite3_bind_int (stmt, index, g_str_equal (text, "yes"));
  else if (*text == '\0')
    sqlite3_bind_null (stmt, index);
  else  /* handed over, not copied: a bulk write binds a million of them */
    sqlite3_bind_text (stmt, index, g_steal_pointer (&text), -1, g_free);
}

static gboolean
find_or_insert_patient_row (MesoSqliteStore  *self,
                            MesoSession      *session,
                            const char       *now,
                            gint64           *out_id,
                            GError          **error)
{
  sqlite3_stmt *find = meso_sqlite_store_stmt (self, STMT_FIND_PATIENT, error);
  sqlite3_stmt *stmt;
  int rc;

  if (find == NULL)
    return FALSE;
  bind_field (find, 1, session, MESO_FIELD_PATIENT);
  bind_field (find, 2, session, MESO_FIELD_DATE_OF_BIRTH);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (find, 0);
  meso_sqlite_store_reset (self, STMT_FIND_PATIENT);

  if (rc == SQLITE_ROW)
    {
      if ((stmt = meso_sqlite_store_stmt (self, STMT_UPDATE_PATIENT, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, *out_id);
      bind_field (stmt, 2, session, MESO_FIELD_PHONE);
      bind_field (stmt, 3, session, MESO_FIELD_EMAIL);
      bind_field (stmt, 4, session, MESO_FIELD_LANGUAGE);
      bind_field (stmt, 5, session, MESO_FIELD_PATIENT_NOTES);
      return meso_sqlite_store_step_done (self, STMT_UPDATE_PATIENT, error);
    }
  if (rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "find patient");

  if ((stmt = meso_sqlite_store_stmt (self, STMT_INSERT_PATIENT, error)) == NULL)
    return FALSE;
  bind_field (stmt, 1, session, MESO_FIELD_PATIENT);
  bind_field (stmt, 2, session, MESO_FIELD_DATE_OF_BIRTH);
  bind_field (stmt, 3, session, MESO_FIELD_PHONE);
  bind_field (stmt, 4, session, MESO_FIELD_EMAIL);
  bind_field (stmt, 5, session, MESO_FIELD_LANGUAGE);
  bind_field (stmt, 6, session, MESO_FIELD_PATIENT_NOTES);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  if (!meso_sqlite_store_step_done (self, STMT_INSERT_PATIENT, error))
    return FALSE;
  *out_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* Returns 0 in *out_id when the session names no practitioner. */
static gboolean
find_or_insert_practitioner_row (MesoSqliteStore  *self,
                                 MesoSession      *session,
                                 const char       *now,
                                 gint64           *out_id,
                                 GError          **error)
{
  sqlite3_stmt *find;
  sqlite3_stmt *stmt;
  const char *name = meso_session_get_practitioner (session);
  int rc;

  *out_id = 0;
  if (name == NULL)
    return TRUE;
  if ((find = meso_sqlite_store_stmt (self, STMT_FIND_PRACTITIONER, error)) == NULL)
    return FALSE;

  sqlite3_bind_text (find, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (find, 0);
  meso_sqlite_store_reset (self, STMT_FIND_PRACTITIONER);
  if (rc == SQLITE_ROW)
    {
      if ((stmt = meso_sqlite_store_stmt (self, STMT_UPDATE_PRACTITIONER, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, *out_id);
      bind_field (stmt, 2, session, MESO_FIELD_PRACTITIONER_ROLE);
      bind_field (stmt, 3, session, MESO_FIELD_PRACTITIONER_REGISTRATION);
      return meso_sqlite_store_step_done (self, STMT_UPDATE_PRACTITIONER, error);
    }
  if (rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "find practitioner");

  if ((stmt = meso_sqlite_store_stmt (self, STMT_INSERT_PRACTITIONER, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  bind_field (stmt, 3, session, MESO_FIELD_PRACTITIONER_ROLE);
  bind_field (stmt, 4, session, MESO_FIELD_PRACTITIONER_REGISTRATION);
  if (!meso_sqlite_store_step_done (self, STMT_INSERT_PRACTITIONER, error))
    return FALSE;
  *out_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

/* The texts of @fields in @session, for the bulk's memory of the rows it wrote. */
static GStrv
field_texts (MesoSession     *session,
             const MesoField *fields,
             guint            n_fields)
{
  GStrv texts = g_new0 (char *, n_fields + 1);

  for (guint i = 0; i < n_fields; i++)
    texts[i] = meso_session_get_field_text (session, fields[i]);
  return texts;
}

/* In a bulk, a patient already written with the same details needs neither the look-up
 * nor the update: a returning patient costs nothing more. */
static gboolean
find_or_insert_patient (MesoSqliteStore  *self,
                        MesoSession      *session,
                        const char       *now,
                        gint64           *out_id,
                        GError          **error)
{
  static const MesoField fields[] = { MESO_FIELD_PATIENT, MESO_FIELD_DATE_OF_BIRTH,
                                      MESO_FIELD_PHONE, MESO_FIELD_EMAIL,
                                      MESO_FIELD_LANGUAGE, MESO_FIELD_PATIENT_NOTES };
  g_auto(GStrv) texts = NULL;

  if (!self->in_bulk)
    return find_or_insert_patient_row (self, session, now, out_id, error);
  texts = field_texts (session, fields, G_N_ELEMENTS (fields));
  if (meso_sqlite_store_bulk_known (self, MESO_BULK_PATIENTS, texts, 2, out_id))
    return TRUE;
  if (!find_or_insert_patient_row (self, session, now, out_id, error))
    return FALSE;
  meso_sqlite_store_bulk_remember (self, MESO_BULK_PATIENTS, texts, 2, *out_id);
  return TRUE;
}

static gboolean
find_or_insert_practitioner (MesoSqliteStore  *self,
                             MesoSession      *session,
                             const char       *now,
                             gint64           *out_id,
                             GError          **error)
{
  static const MesoField fields[] = { MESO_FIELD_PRACTITIONER, MESO_FIELD_PRACTITIONER_ROLE,
                                      MESO_FIELD_PRACTITIONER_REGISTRATION };
  g_auto(GStrv) texts = NULL;

  if (!self->in_bulk || meso_session_get_practitioner (session) == NULL)
    return find_or_insert_practitioner_row (self, session, now, out_id, error);
  texts = field_texts (session, fields, G_N_ELEMENTS (fields));
  if (meso_sqlite_store_bulk_known (self, MESO_BULK_PRACTITIONERS, texts, 1, out_id))
    return TRUE;
  if (!find_or_insert_practitioner_row (self, session, now, out_id, error))
    return FALSE;
  meso_sqlite_store_bulk_remember (self, MESO_BULK_PRACTITIONERS, texts, 1, *out_id);
  return TRUE;
}

/* The values of a session for the audit log, one "field=value" a line. */
static char *
session_payload (MesoSession *session)
{
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (session));

  meso_payload_append (payload, "id", id);
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = meso_session_get_field_text (session, field);

      if (*text != '\0')
        meso_payload_append (payload, meso_field_get_id (field), text);
    }
  return g_string_free (g_steal_pointer (&payload), FALSE);
}

static gboolean
insert_areas (MesoSqliteStore  *self,
              gint64            session_id,
              MesoArea          areas,
              GError          **error)
{
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_INSERT_AREA, error);

  if (stmt == NULL)
    return FALSE;
  MESO_AREA_FOREACH (area)
    {
      if (!(areas & area))
        continue;
      sqlite3_bind_int64 (stmt, 1, session_id);
      sqlite3_bind_text (stmt, 2, meso_area_get_id (area), -1, SQLITE_STATIC);
      if (!meso_sqlite_store_step_done (self, STMT_INSERT_AREA, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64      id;
  const char *reason;
} VoidData;

static gboolean
insert_void (MesoSqliteStore  *self,
             gpointer          user_data,
             GError          **error)
{
  VoidData *data = user_data;
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_INSERT_VOID, error);
  g_autofree char *now = meso_sqlite_store_now ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->id);
  g_autoptr(GString) payload = g_string_new (NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, meso_store_get_user (MESO_STORE (self)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, data->reason, -1, SQLITE_STATIC);
  if (!meso_sqlite_store_step_done (self, STMT_INSERT_VOID, error))
    return FALSE;
  if ((stmt = meso_sqlite_store_stmt (self, STMT_VOID_CURRENT, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->id);
  sqlite3_bind_text (stmt, 2, data->reason, -1, SQLITE_STATIC);
  if (!meso_sqlite_store_step_done (self, STMT_VOID_CURRENT, error))
    return FALSE;

  meso_payload_append (payload, "id", id);
  meso_payload_append (payload, "reason", data->reason);
  return meso_sqlite_store_append_audit (self, "void", "session", data->id, payload->str, error);
}

static gboolean put_current (MesoSqliteStore *self,
                             MesoSession  *session,
                             gint64        patient_id,
                             const char   *status,
                             GError      **error);

/* Inserts one validated session, stamped and audited, inside the caller's transaction. */
static gboolean
insert_session (MesoSqliteStore  *self,
                MesoSession      *session,
                GError          **error)
{
  sqlite3_stmt *insert = meso_sqlite_store_stmt (self, STMT_INSERT_SESSION, error);
  g_autofree char *now = meso_sqlite_store_now ();
  g_autofree char *performed_at = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GDateTime) utc = NULL;
  gint64 patient_id = 0, practitioner_id = 0;

  if (insert == NULL)
    return FALSE;

  if (meso_session_get_performed_at (session) == NULL)
    {
      g_autoptr(GDateTime) stamp = g_date_time_new_from_iso8601 (now, NULL);

      meso_session_set_performed_at (session, stamp);
    }
  utc = g_date_time_to_utc (meso_session_get_performed_at (session));
  performed_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

  if (!find_or_insert_patient (self, session, now, &patient_id, error)
      || !find_or_insert_practitioner (self, session, now, &practitioner_id, error))
    return FALSE;

  sqlite3_bind_int64 (insert, 1, patient_id);
  if (practitioner_id != 0)
    sqlite3_bind_int64 (insert, 2, practitioner_id);
  sqlite3_bind_text (insert, 3, performed_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, meso_store_get_user (MESO_STORE (self)), -1, SQLITE_STATIC);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    bind_field (insert, 6 + (int) i, session, session_columns[i].field);
  if (!meso_sqlite_store_step_done (self, STMT_INSERT_SESSION, error))
    return FALSE;
  /* The row is made from the patient's (INSERT ... SELECT): none, were it missing. */
  if (sqlite3_changes (self->db) != 1)
    return meso_sqlite_store_fail (self, error, "insert session");

  meso_session_set_id (session, sqlite3_last_insert_rowid (self->db));
  payload = session_payload (session);
  if (!insert_areas (self, meso_session_get_id (session), meso_session_get_areas (session),
                     error)
      || !put_current (self, session, patient_id, "active", error)
      || !meso_sqlite_store_append_audit (self, "create", "session", meso_session_get_id (session),
                                   payload, error))
    return FALSE;

  /* Only an import brings sessions voided already: void them as they arrive. */
  if (meso_session_get_voided (session))
    {
      VoidData data = { meso_session_get_id (session),
                        meso_session_get_void_reason (session) };

      return insert_void (self, &data, error);
    }
  return TRUE;
}

static gboolean
insert_one (MesoSqliteStore  *self,
            gpointer          session,
            GError          **error)
{
  return insert_session (self, session, error);
}

/* Puts back the id and time a failed transaction had stamped on a session. */
static void
unstamp (MesoSession *session,
         GDateTime   *performed_at)
{
  meso_session_set_id (session, 0);
  meso_session_set_performed_at (session, performed_at);
}

static gboolean
sqlite_save_session (MesoStore    *store,
                     MesoSession  *session,
                     GError      **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GDateTime) performed_at = NULL;

  g_return_val_if_fail (MESO_IS_SESSION (session), FALSE);
  g_return_val_if_fail (meso_session_get_id (session) == 0, FALSE);
  g_return_val_if_fail (!meso_session_get_voided (session), FALSE);

  if (!meso_session_validate (session, error))
    return FALSE;

  if (meso_session_get_performed_at (session) != NULL)
    performed_at = g_date_time_ref (meso_session_get_performed_at (session));
  if (!write_transaction (self, insert_one, session, error))
    {
      unstamp (session, performed_at);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GPtrArray  *sessions;
  const char *source;
} ImportData;

static gboolean
insert_all (MesoSqliteStore  *self,
            gpointer          user_data,
            GError          **error)
{
  ImportData *data = user_data;
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *count = g_strdup_printf ("%u", data->sessions->len);

  for (guint i = 0; i < data->sessions->len; i++)
    if (!insert_session (self, g_ptr_array_index (data->sessions, i), error))
      return FALSE;

  meso_payload_append (payload, "source", data->source);
  meso_payload_append (payload, "sessions", count);
  return meso_sqlite_store_append_audit (self, "import", "database", 0, payload->str, error);
}

static gboolean
insert_all_in_bulk (MesoStore  *store,
                    gpointer    data,
                    GError    **error)
{
  return write_transaction (MESO_SQLITE_STORE (store), insert_all, data, error);
}

static gboolean
sqlite_save_sessions (MesoStore   *store,
                      GPtrArray   *sessions,
                      const char  *source,
                      GError     **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  ImportData data = { sessions, source };
  gboolean ok;


  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);

      g_autofree char *void_reason = NULL;

      if (meso_session_get_voided (session))
        void_reason = meso_store_check_reason (meso_session_get_void_reason (session), error);
      if (!meso_session_validate (session, error)
          || (meso_session_get_voided (session) && void_reason == NULL))
        {
          g_prefix_error (error, _("Session %u: "), i + 1);
          return FALSE;
        }
    }

  if (sessions->len >= BULK_MIN_SESSIONS && !self->in_bulk)
    ok = meso_sqlite_store_write_bulk (store, insert_all_in_bulk, &data, error);
  else
    ok = write_transaction (self, insert_all, &data, error);
  if (!ok)
    for (guint i = 0; i < sessions->len; i++)
      meso_session_set_id (g_ptr_array_index (sessions, i), 0);
  return ok;
}

gboolean
meso_sqlite_store_load_column (MesoSession   *session,
             MesoField      field,
             sqlite3_stmt  *stmt,
             int            column,
             GError       **error)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  g_autoptr(GError) local_error = NULL;

  if (meso_field_is_flag (field))
    text = sqlite3_column_int (stmt, column) ? "yes" : "no";
  /* One bad value (an id a newer version wrote, a row changed by hand) must not make
   * every list and export fail: the session is read with that value marked unknown. */
  if (!meso_field_load_text (session, field, text, &local_error))
    {
      g_debug ("Stored session %" G_GINT64_FORMAT ": %s", meso_session_get_id (session),
               local_error->message);
      meso_session_set_unknown_value (session, field, text);
    }
  return TRUE;
}

/**
 * meso_sqlite_store_session_from_row:
 * @stmt: a statement on a row of SESSION_SELECT
 * @out_patient_id: (out) (optional): the patient's id
 * @error: a #GError
 *
 * Builds a session from its row of current values.
 */
MesoSession *
meso_sqlite_store_session_from_row (sqlite3_stmt  *stmt,
                             gint64        *out_patient_id,
                             GError       **error)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = NULL;
  const char *status;

  meso_session_set_id (session, sqlite3_column_int64 (stmt, 0));
  when = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 1), NULL);
  meso_session_set_performed_at (session, when);

  for (guint i = 0; i < G_N_ELEMENTS (joined_fields); i++)
    if (!meso_sqlite_store_load_column (session, joined_fields[i], stmt, 2 + (int) i, error))
      return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    if (!meso_sqlite_store_load_column (session, current_columns[i].field, stmt,
                                 FIRST_CURRENT_COLUMN + (int) i, error))
      return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    if (!meso_sqlite_store_load_column (session, session_columns[i].field, stmt,
                                 FIRST_SESSION_COLUMN + (int) i, error))
      return NULL;

  status = (const char *) sqlite3_column_text (stmt, STATUS_COLUMN);
  meso_session_set_amended (session, g_strcmp0 (status, "amended") == 0);
  if (g_strcmp0 (status, "voided") == 0)
    meso_session_set_voided (session,
                             (const char *) sqlite3_column_text (stmt, VOID_REASON_COLUMN));
  if (out_patient_id != NULL)
    *out_patient_id = sqlite3_column_int64 (stmt, PATIENT_ID_COLUMN);
  return g_steal_pointer (&session);
}

/* The session with its current values, or NULL with %MESO_ERROR_NOT_FOUND. */
static MesoSession *
read_session (MesoSqliteStore  *self,
              gint64            id,
              gint64           *out_patient_id,
              GError          **error)
{
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_GET_SESSION, error);
  g_autoptr(MesoSession) session = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    session = meso_sqlite_store_session_from_row (stmt, out_patient_id, error);
  meso_sqlite_store_reset (self, STMT_GET_SESSION);

  if (rc == SQLITE_DONE)
    {
      g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Session: there is no session with id %s"), id_str);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      meso_sqlite_store_fail (self, error, "read session");
      return NULL;
    }
  return g_steal_pointer (&session);
}

/* Writes the current values of @session (its id set) whole, inside the caller's
 * transaction. */
static gboolean
put_current (MesoSqliteStore  *self,
             MesoSession      *session,
             gint64            patient_id,
             const char       *status,
             GError          **error)
{
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_PUT_CURRENT, error);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (meso_session_get_performed_at (session));
  g_autofree char *performed_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *key = meso_text_fold (meso_session_get_patient_name (session));
  int column = 6;

  if (stmt == NULL)
    return FALSE;

  meso_sqlite_store_bulk_note_current (self, meso_session_get_id (session));
  sqlite3_bind_int64 (stmt, 1, meso_session_get_id (session));
  sqlite3_bind_text (stmt, 2, performed_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, patient_id);
  sqlite3_bind_text (stmt, 4, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    bind_field (stmt, column++, session, current_columns[i].field);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    bind_field (stmt, column++, session, session_columns[i].field);
  return meso_sqlite_store_step_done (self, STMT_PUT_CURRENT, error);
}

static GPtrArray *
sqlite_list_amendments (MesoStore  *store,
                        gint64      id,
                        GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GPtrArray) amendments = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    meso_amendment_free);
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_LIST_AMENDMENT_VALUES, error);
  MesoAmendment *current = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MesoChange change = { 0 };

      if (current == NULL || current->id != sqlite3_column_int64 (stmt, 0))
        {
          current = g_new0 (MesoAmendment, 1);
          current->id = sqlite3_column_int64 (stmt, 0);
          current->amended_at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          current->user = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          current->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          current->changes = g_array_new (FALSE, TRUE, sizeof (MesoChange));
          g_array_set_clear_func (current->changes, (GDestroyNotify) meso_change_clear);
          g_ptr_array_add (amendments, current);
        }
      change.field_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      change.field = meso_field_from_id (change.field_id);
      change.old_value = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      change.new_value = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      g_array_append_val (current->changes, change);
    }
  meso_sqlite_store_reset (self, STMT_LIST_AMENDMENT_VALUES);

  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "list amendments");
      return NULL;
    }
  return g_steal_pointer (&amendments);
}

/* The current values: the row as first saved, then each amendment in order. */
static gboolean
apply_amendments (MesoSqliteStore  *self,
                  MesoSession      *session,
                  GError          **error)
{
  g_autoptr(GPtrArray) amendments = sqlite_list_amendments (MESO_STORE (self),
                                                                meso_session_get_id (session),
                                                                error);

  if (amendments == NULL)
    return FALSE;
  for (guint i = 0; i < amendments->len; i++)
    {
      MesoAmendment *amendment = g_ptr_array_index (amendments, i);

      for (guint c = 0; c < amendment->changes->len; c++)
        {
          MesoChange *change = &g_array_index (amendment->changes, MesoChange, c);

          if (change->field != MESO_FIELD_NONE
              && !meso_field_load_text (session, change->field, change->new_value, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Step 4 copied every session as first recorded into session_current; the amendments
 * made before it are applied here through the same field code that read them until
 * then, so that a session shows after the upgrade exactly what it showed before. */
static gboolean
fill_current_values (MesoSqliteStore  *self,
                     GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT DISTINCT session_id FROM amendments"
                                    " ORDER BY session_id", -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "list amended sessions");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "list amended sessions");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 patient_id = 0;
      g_autoptr(MesoSession) session = read_session (self, g_array_index (ids, gint64, i),
                                                     &patient_id, error);

      if (session == NULL || !apply_amendments (self, session, error)
          || !put_current (self, session, patient_id,
                           meso_session_get_voided (session) ? "voided" : "amended", error))
        return FALSE;
    }
  return TRUE;
}

static MesoSession *
sqlite_get_session (MesoStore  *store,
                    gint64      id,
                    GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);

  return read_session (self, id, NULL, error);
}

typedef struct
{
  MesoSession *amended;
  const char  *reason;
} AmendData;

static gboolean
insert_amendment (MesoSqliteStore  *self,
                  gint64            session_id,
                  const char       *reason,
                  GArray           *changes,
                  GError          **error)
{
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_INSERT_AMENDMENT, error);
  g_autofree char *now = meso_sqlite_store_now ();
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, session_id);
  gint64 amendment_id;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, meso_store_get_user (MESO_STORE (self)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  if (!meso_sqlite_store_step_done (self, STMT_INSERT_AMENDMENT, error))
    return FALSE;
  amendment_id = sqlite3_last_insert_rowid (self->db);

  meso_payload_append (payload, "id", id);
  meso_payload_append (payload, "reason", reason);
  for (guint i = 0; i < changes->len; i++)
    {
      MesoChange *change = &g_array_index (changes, MesoChange, i);
      const char *field = meso_field_get_id (change->field);
      g_autofree char *old_key = g_strconcat (field, ".old", NULL);
      g_autofree char *new_key = g_strconcat (field, ".new", NULL);

      if ((stmt = meso_sqlite_store_stmt (self, STMT_INSERT_AMENDMENT_VALUE, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, amendment_id);
      sqlite3_bind_text (stmt, 2, field, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, change->old_value, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, change->new_value, -1, SQLITE_STATIC);
      if (!meso_sqlite_store_step_done (self, STMT_INSERT_AMENDMENT_VALUE, error))
        return FALSE;
      meso_payload_append (payload, old_key, change->old_value);
      meso_payload_append (payload, new_key, change->new_value);
    }
  return meso_sqlite_store_append_audit (self, "amend", "session", session_id, payload->str, error);
}

static gboolean
refuse_voided (MesoSession  *current,
               gboolean      amending,
               GError      **error)
{
  g_autofree char *id = NULL;

  if (!meso_session_get_voided (current))
    return TRUE;
  id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (current));
  if (amending)
    g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                 _("Session: session %s is voided and cannot be amended"), id);
  else
    g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                 _("Session: session %s is already voided"), id);
  return FALSE;
}

/* The session is read inside the write transaction: an amendment from another
 * workstation either came first, and is seen here (an amendment from a copy read before
 * it is refused: meso_store_prepare_amendment()), or waits for this one to commit. */
static gboolean
amend_locked (MesoSqliteStore  *self,
              gpointer          user_data,
              GError          **error)
{
  AmendData *data = user_data;
  g_autoptr(MesoSession) current = NULL;
  g_autoptr(GArray) changes = NULL;
  gint64 patient_id = 0;

  current = read_session (self, meso_session_get_id (data->amended), &patient_id, error);
  if (current == NULL || !refuse_voided (current, TRUE, error))
    return FALSE;
  changes = meso_store_prepare_amendment (MESO_STORE (self), current, data->amended, error);
  if (changes == NULL)
    return FALSE;

  /* The current values first: the amendment's audit entry seals the rows written
   * before it (meso-sqlite-seal.c). */
  return put_current (self, current, patient_id, "amended", error)
         && insert_amendment (self, meso_session_get_id (current), data->reason, changes,
                              error);
}

static gboolean
sqlite_amend_session (MesoStore    *store,
                      MesoSession  *amended,
                      const char   *reason,
                      GError      **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *why = NULL;
  AmendData data;

  g_return_val_if_fail (MESO_IS_SESSION (amended), FALSE);

  why = meso_store_check_reason (reason, error);
  if (why == NULL)
    return FALSE;
  data = (AmendData) { amended, why };
  return write_transaction (self, amend_locked, &data, error);
}

/* Read inside the write transaction, as for an amendment: of a void and an amendment
 * racing, one wins and the other is told why it did not. */
static gboolean
void_locked (MesoSqliteStore  *self,
             gpointer          user_data,
             GError          **error)
{
  VoidData *data = user_data;
  g_autoptr(MesoSession) current = read_session (self, data->id, NULL, error);

  return current != NULL
         && refuse_voided (current, FALSE, error)
         && insert_void (self, data, error);
}

static gboolean
sqlite_void_session (MesoStore   *store,
                     gint64       id,
                     const char  *reason,
                     GError     **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *why = NULL;
  VoidData data = { id, NULL };


  why = meso_store_check_reason (reason, error);
  if (why == NULL)
    return FALSE;
  data.reason = why;
  return write_transaction (self, void_locked, &data, error);
}

typedef struct
{
  const char *action;
  gint64      session_id;
  const char *payload;
} EventData;

static gboolean
insert_event (MesoSqliteStore  *self,
              gpointer          user_data,
              GError          **error)
{
  EventData *data = user_data;

  return meso_sqlite_store_append_audit (self, data->action,
                                  data->session_id != 0 ? "session" : "database",
                                  data->session_id, data->payload, error);
}

static gboolean
sqlite_log_event (MesoStore   *store,
                  const char  *action,
                  gint64       session_id,
                  const char  *payload,
                  GError     **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  EventData data = { action, session_id, payload };

  return write_transaction (self, insert_event, &data, error);
}

typedef struct
{
  gint64      session_id;
  const char *data;
} AdjustData;

static gboolean
insert_adjustments (MesoSqliteStore  *self,
                    gpointer          user_data,
                    GError          **error)
{
  AdjustData *data = user_data;
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_INSERT_ADJUSTMENTS, error);
  g_autofree char *now = meso_sqlite_store_now ();
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, data->session_id);
  g_autoptr(GString) payload = g_string_new (NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, data->session_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, meso_store_get_user (MESO_STORE (self)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, data->data, -1, SQLITE_STATIC);
  if (!meso_sqlite_store_step_done (self, STMT_INSERT_ADJUSTMENTS, error))
    return FALSE;

  meso_payload_append (payload, "id", id);
  meso_payload_append (payload, "adjustments", data->data);
  return meso_sqlite_store_append_audit (self, "adjust", "session", data->session_id, payload->str,
                                  error);
}

static gboolean
sqlite_save_adjustments (MesoStore        *store,
                         gint64            session_id,
                         MesoAdjustments  *adjustments,
                         GError          **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(MesoSession) session = NULL;
  g_autofree char *text = NULL;
  AdjustData data;

  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (adjustments), FALSE);

  session = read_session (self, session_id, NULL, error);
  if (session == NULL)
    return FALSE;
  text = meso_adjustments_to_data (adjustments);
  data = (AdjustData) { session_id, text };
  return write_transaction (self, insert_adjustments, &data, error);
}

static MesoAdjustments *
sqlite_get_adjustments (MesoStore  *store,
                        gint64      session_id,
                        GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  g_autofree char *data = NULL;
  int rc;


  if ((stmt = meso_sqlite_store_stmt (self, STMT_GET_ADJUSTMENTS, error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, session_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    data = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  meso_sqlite_store_reset (self, STMT_GET_ADJUSTMENTS);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "read adjustments");
      return NULL;
    }
  if (data == NULL)
    return meso_adjustments_new ();
  return meso_adjustments_new_from_data (data, error);
}

/* "%text%" for LIKE, with the pattern's own characters taken literally. */
static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The flags are those of the patient's latest session: what the practitioner last
 * recorded. */
static gpointer
patient_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  return g_object_new (MESO_TYPE_PATIENT,
                       "name", column_text (stmt, 0),
                       "date-of-birth", column_text (stmt, 1),
                       "phone", column_text (stmt, 2),
                       "email", column_text (stmt, 3),
                       "language", column_text (stmt, 4),
                       "notes", column_text (stmt, 5),
                       "blood-thinners", sqlite3_column_int (stmt, 6) != 0,
                       "pregnant", sqlite3_column_int (stmt, 7) != 0,
                       "allergies", column_text (stmt, 8),
                       NULL);
}

typedef gpointer (*RowReader) (sqlite3_stmt *stmt, GError **error);

/* Steps a bound statement to its end, one object a row. */
static GPtrArray *
collect_rows (MesoSqliteStore  *self,
              StmtId            id,
              RowReader         read_row,
              const char       *what,
              GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = self->stmts[id];  /* prepared and bound by the caller */
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer row = read_row (stmt, error);

      if (row == NULL)
        {
          meso_sqlite_store_reset (self, id);
          return NULL;
        }
      g_ptr_array_add (rows, row);
    }
  meso_sqlite_store_reset (self, id);
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static GPtrArray *
sqlite_find_patients (MesoStore   *store,
                      const char  *query,
                      guint        limit,
                      GError     **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *key = meso_text_fold (query);
  g_autofree char *pattern = like_pattern (query != NULL ? query : "");
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_FIND_PATIENTS, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, pattern, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit);
  return collect_rows (self, STMT_FIND_PATIENTS, patient_from_row, "find patients", error);
}

static gpointer
lot_from_row (sqlite3_stmt  *stmt,
              GError       **error)
{
  return meso_lot_new (column_text (stmt, 0), column_text (stmt, 1), column_text (stmt, 2));
}

static GPtrArray *
sqlite_recent_lots (MesoStore  *store,
                    guint       limit,
                    GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_RECENT_LOTS, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  return collect_rows (self, STMT_RECENT_LOTS, lot_from_row, "list recent lots", error);
}

static gint64
sqlite_data_version (MesoStore  *store,
                     GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_DATA_VERSION, error);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  else
    meso_sqlite_store_fail (self, error, "PRAGMA data_version");
  meso_sqlite_store_reset (self, STMT_DATA_VERSION);
  return version;
}

static void
install_methods (MesoStoreClass *store_class)
{
  store_class->get_schema_version = sqlite_get_schema_version;
  store_class->save_session = sqlite_save_session;
  store_class->save_sessions = sqlite_save_sessions;
  store_class->get_session = sqlite_get_session;
  store_class->count_sessions = meso_sqlite_store_count_sessions;
  store_class->count_matching = meso_sqlite_store_count_matching;
  store_class->query_foreach = meso_sqlite_store_query_foreach;
  store_class->query_lines = meso_sqlite_store_query_lines;
  store_class->explain_query = meso_sqlite_store_explain_query;
  store_class->find_patients = sqlite_find_patients;
  store_class->recent_lots = sqlite_recent_lots;
  store_class->amend_session = sqlite_amend_session;
  store_class->void_session = sqlite_void_session;
  store_class->list_amendments = sqlite_list_amendments;
  store_class->save_adjustments = sqlite_save_adjustments;
  store_class->get_adjustments = sqlite_get_adjustments;
  store_class->log_event = sqlite_log_event;
  store_class->report = meso_sqlite_store_report;
  store_class->recall = meso_sqlite_store_recall;
  store_class->find_audit = meso_sqlite_store_find_audit;
  store_class->check_chain = meso_sqlite_store_check_chain;
  store_class->get_fingerprint = meso_sqlite_store_get_fingerprint;
  store_class->find_fingerprint = meso_sqlite_store_find_fingerprint;
  store_class->list_audit = meso_sqlite_store_list_audit;
  store_class->list_printed = meso_sqlite_store_list_printed;
  store_class->check = meso_sqlite_store_check;
  store_class->get_clinic = meso_sqlite_store_get_clinic;
  store_class->set_clinic = meso_sqlite_store_set_clinic;
  store_class->carry_over_clinic = meso_sqlite_store_carry_over_clinic;
  store_class->list_practitioners = meso_sqlite_store_list_practitioners;
  store_class->add_practitioner = meso_sqlite_store_add_practitioner;
  store_class->update_practitioner = meso_sqlite_store_update_practitioner;
  store_class->retire_practitioner = meso_sqlite_store_retire_practitioner;
  store_class->data_version = sqlite_data_version;
  store_class->write_bulk = meso_sqlite_store_write_bulk;
  store_class->reopen = sqlite_reopen;
  store_class->dump = meso_sqlite_store_dump;
  store_class->load = meso_sqlite_store_load;
}
