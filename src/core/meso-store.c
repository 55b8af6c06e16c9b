/* meso-store.c
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
#include "meso-store.h"

#define SQL_RESOURCE_DIR "/io/github/mesocare/Mesocare/core/sql"
#define BUSY_TIMEOUT_MS  10000

/* Every statement the store runs, prepared once at open and kept. */
typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_FIND_PATIENT,
  STMT_INSERT_PATIENT,
  STMT_INSERT_SESSION,
  STMT_INSERT_AREA,
  STMT_GET_SESSION,
  STMT_GET_AREAS,
  STMT_LIST_SESSIONS,
  STMT_COUNT_SESSIONS,
  N_STMTS
} StmtId;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_FIND_PATIENT] =
    "SELECT id FROM patients WHERE full_name = ?1 ORDER BY id LIMIT 1",
  [STMT_INSERT_PATIENT] =
    "INSERT INTO patients (full_name, created_at) VALUES (?1, ?2)",
  [STMT_INSERT_SESSION] =
    "INSERT INTO sessions (patient_id, performed_at, injections, duration_minutes, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_INSERT_AREA] =
    "INSERT INTO session_areas (session_id, area) VALUES (?1, ?2)",
  [STMT_GET_SESSION] =
    "SELECT s.id, p.full_name, s.performed_at, s.injections, s.duration_minutes"
    " FROM sessions s JOIN patients p ON p.id = s.patient_id WHERE s.id = ?1",
  [STMT_GET_AREAS] =
    "SELECT area FROM session_areas WHERE session_id = ?1",
  [STMT_LIST_SESSIONS] =
    "SELECT s.id, p.full_name, s.performed_at, s.injections, s.duration_minutes"
    " FROM sessions s JOIN patients p ON p.id = s.patient_id"
    " ORDER BY s.performed_at DESC, s.id DESC",
  [STMT_COUNT_SESSIONS] = "SELECT count(*) FROM sessions",
};

struct _MesoStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  int           schema_version;
};

G_DEFINE_FINAL_TYPE (MesoStore, meso_store, G_TYPE_OBJECT)

static void
meso_store_finalize (GObject *object)
{
  MesoStore *self = (MesoStore *) object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (meso_store_parent_class)->finalize (object);
}

static void
meso_store_class_init (MesoStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_store_finalize;
}

static void
meso_store_init (MesoStore *self)
{
}

static gboolean
set_db_error (MesoStore   *self,
              GError     **error,
              const char  *what)
{
  /* @what is for developers, in the debug log; the user reads SQLite's own words. */
  g_debug ("%s failed: %s", what, sqlite3_errmsg (self->db));
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Database %s: %s"), self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static char *
now_utc_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
exec_sql (MesoStore   *self,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Database %s: %s"), self->path, message != NULL ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static int
read_user_version (MesoStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
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
  qsort (names, g_strv_length (names), sizeof (char *), (GCompareFunc) g_strcmp0);
  return g_steal_pointer (&names);
}

/**
 * meso_store_get_latest_schema_version:
 *
 * Returns: the schema version this build of Mesocare writes.
 */
int
meso_store_get_latest_schema_version (void)
{
  g_auto(GStrv) steps = list_schema_steps ();

  return (int) g_strv_length (steps);
}

static gboolean
apply_schema_step (MesoStore   *self,
                   const char  *name,
                   int          version,
                   GError     **error)
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
  if (!exec_sql (self, sql, error) || !exec_sql (self, set_version, error))
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
check_schema_version (MesoStore  *self,
                      int        *out_version,
                      GError    **error)
{
  int latest = meso_store_get_latest_schema_version ();
  int current = read_user_version (self);

  if (current < 0)
    return set_db_error (self, error, "PRAGMA user_version");

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
migrate (MesoStore  *self,
         int         current,
         GError    **error)
{
  g_auto(GStrv) steps = list_schema_steps ();
  int latest = (int) g_strv_length (steps);

  for (int version = current + 1; version <= latest; version++)
    if (!apply_schema_step (self, steps[version - 1], version, error))
      return FALSE;

  self->schema_version = latest;
  return TRUE;
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
  return TRUE;
}

static gboolean
configure_connection (MesoStore  *self,
                      GError    **error)
{
  return exec_sql (self, "PRAGMA journal_mode = WAL", error)
         && exec_sql (self, "PRAGMA synchronous = FULL", error)
         && exec_sql (self, "PRAGMA foreign_keys = ON", error);
}

static gboolean
prepare_statements (MesoStore  *self,
                    GError    **error)
{
  for (guint i = 0; i < N_STMTS; i++)
    if (sqlite3_prepare_v3 (self->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &self->stmts[i], NULL) != SQLITE_OK)
      return set_db_error (self, error, "prepare");
  return TRUE;
}

/**
 * meso_store_get_default_path:
 *
 * Returns: (transfer full): where the app and the command-line tool keep their
 *   database: `$XDG_DATA_HOME/mesocare/mesocare.db`.
 */
char *
meso_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "mesocare", "mesocare.db", NULL);
}

/**
 * meso_store_open:
 * @path: the database file; it and its folder are created when missing
 * @error: a #GError
 *
 * Returns: (transfer full): the store, its schema up to date.
 */
MesoStore *
meso_store_open (const char  *path,
                 GError     **error)
{
  g_autoptr(MesoStore) self = NULL;
  int version = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!prepare_private_file (path, error))
    return NULL;

  self = g_object_new (MESO_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      set_db_error (self, error, "open");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, 1);

  if (!check_schema_version (self, &version, error)
      || !configure_connection (self, error)
      || !migrate (self, version, error)
      || !prepare_statements (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * meso_store_open_existing:
 * @path: the database file
 * @error: a #GError
 *
 * Like meso_store_open(), but a missing database is an error rather than created:
 * for readers, which must write nothing when given a wrong path.
 *
 * Returns: (transfer full): the store, its schema up to date.
 */
MesoStore *
meso_store_open_existing (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Database: there is no database at %s (no session has been recorded "
                     "there yet)"), path);
      return NULL;
    }
  return meso_store_open (path, error);
}

const char *
meso_store_get_path (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  return self->path;
}

int
meso_store_get_schema_version (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), -1);
  return self->schema_version;
}

/* Runs a statement that returns no row (an insert, BEGIN, COMMIT...). */
static gboolean
step_done (MesoStore   *self,
           StmtId       id,
           GError     **error)
{
  sqlite3_stmt *stmt = self->stmts[id];
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return set_db_error (self, error, stmt_sql[id]);
  return TRUE;
}

static gboolean
find_or_insert_patient (MesoStore   *self,
                        const char  *full_name,
                        const char  *now,
                        gint64      *out_id,
                        GError     **error)
{
  sqlite3_stmt *find = self->stmts[STMT_FIND_PATIENT];
  int rc;

  sqlite3_bind_text (find, 1, full_name, -1, SQLITE_STATIC);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    *out_id = sqlite3_column_int64 (find, 0);
  sqlite3_reset (find);
  sqlite3_clear_bindings (find);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return set_db_error (self, error, "find patient");

  sqlite3_bind_text (self->stmts[STMT_INSERT_PATIENT], 1, full_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->stmts[STMT_INSERT_PATIENT], 2, now, -1, SQLITE_STATIC);
  if (!step_done (self, STMT_INSERT_PATIENT, error))
    return FALSE;
  *out_id = sqlite3_last_insert_rowid (self->db);
  return TRUE;
}

static gboolean
insert_session_rows (MesoStore    *self,
                     MesoSession  *session,
                     const char   *performed_at,
                     const char   *now,
                     gint64       *out_id,
                     GError      **error)
{
  sqlite3_stmt *insert = self->stmts[STMT_INSERT_SESSION];
  MesoArea areas = meso_session_get_areas (session);
  gint64 patient_id = 0;
  gint64 session_id;

  if (!find_or_insert_patient (self, meso_session_get_patient_name (session), now,
                               &patient_id, error))
    return FALSE;

  sqlite3_bind_int64 (insert, 1, patient_id);
  sqlite3_bind_text (insert, 2, performed_at, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, meso_session_get_injections (session));
  sqlite3_bind_int64 (insert, 4, meso_session_get_duration (session));
  sqlite3_bind_text (insert, 5, now, -1, SQLITE_STATIC);
  if (!step_done (self, STMT_INSERT_SESSION, error))
    return FALSE;
  session_id = sqlite3_last_insert_rowid (self->db);

  MESO_AREA_FOREACH (area)
    {
      if (!(areas & area))
        continue;
      sqlite3_bind_int64 (self->stmts[STMT_INSERT_AREA], 1, session_id);
      sqlite3_bind_text (self->stmts[STMT_INSERT_AREA], 2, meso_area_get_id (area), -1,
                         SQLITE_STATIC);
      if (!step_done (self, STMT_INSERT_AREA, error))
        return FALSE;
    }

  *out_id = session_id;
  return TRUE;
}

/**
 * meso_store_save_session:
 * @self: a #MesoStore
 * @session: a new session (its id 0)
 * @error: a #GError; validation errors name the field
 *
 * Validates @session and stores it in one transaction: either all of it is on disk
 * when this returns %TRUE, or nothing is. On success the session's id is set, and its
 * time too if it had none (the current time, to the second).
 */
gboolean
meso_store_save_session (MesoStore    *self,
                         MesoSession  *session,
                         GError      **error)
{
  g_autofree char *now = NULL;
  g_autofree char *performed_at = NULL;
  g_autoptr(GDateTime) when = NULL;
  gint64 id = 0;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION (session), FALSE);
  g_return_val_if_fail (meso_session_get_id (session) == 0, FALSE);

  if (!meso_session_validate (session, error))
    return FALSE;

  now = now_utc_iso8601 ();
  if (meso_session_get_performed_at (session) != NULL)
    when = g_date_time_to_utc (meso_session_get_performed_at (session));
  else
    when = g_date_time_new_from_iso8601 (now, NULL);
  performed_at = g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ");

  if (!step_done (self, STMT_BEGIN, error))
    return FALSE;
  if (!insert_session_rows (self, session, performed_at, now, &id, error)
      || !step_done (self, STMT_COMMIT, error))
    {
      step_done (self, STMT_ROLLBACK, NULL);
      return FALSE;
    }

  if (meso_session_get_performed_at (session) == NULL)
    meso_session_set_performed_at (session, when);
  meso_session_set_id (session, id);
  return TRUE;
}

static MesoArea
read_areas (MesoStore  *self,
            gint64      id)
{
  sqlite3_stmt *stmt = self->stmts[STMT_GET_AREAS];
  MesoArea areas = MESO_AREA_NONE;

  sqlite3_bind_int64 (stmt, 1, id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    areas |= meso_area_from_id ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return areas;
}

/* Builds a session from a row of STMT_GET_SESSION or STMT_LIST_SESSIONS. */
static MesoSession *
session_from_row (MesoStore    *self,
                  sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) when = NULL;
  gint64 id = sqlite3_column_int64 (stmt, 0);

  when = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 2), NULL);
  return g_object_new (MESO_TYPE_SESSION,
                       "id", id,
                       "patient-name", (const char *) sqlite3_column_text (stmt, 1),
                       "performed-at", when,
                       "injections", (guint) sqlite3_column_int64 (stmt, 3),
                       "duration", (guint) sqlite3_column_int64 (stmt, 4),
                       "areas", read_areas (self, id),
                       NULL);
}

/**
 * meso_store_get_session:
 * @self: a #MesoStore
 * @id: a session id
 * @error: a #GError; %MESO_ERROR_NOT_FOUND when there is no such session
 *
 * Returns: (transfer full): the session.
 */
MesoSession *
meso_store_get_session (MesoStore  *self,
                        gint64      id,
                        GError    **error)
{
  sqlite3_stmt *stmt;
  MesoSession *session = NULL;
  int rc;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  stmt = self->stmts[STMT_GET_SESSION];
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    session = session_from_row (self, stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc == SQLITE_DONE)
    {
      g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Session: there is no session with id %s"), id_str);
    }
  else if (rc != SQLITE_ROW)
    set_db_error (self, error, "read session");
  return session;
}

/**
 * meso_store_list_sessions:
 * @self: a #MesoStore
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoSession): every session, newest first.
 */
GPtrArray *
meso_store_list_sessions (MesoStore  *self,
                          GError    **error)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  stmt = self->stmts[STMT_LIST_SESSIONS];
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (sessions, session_from_row (self, stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error, "list sessions");
      return NULL;
    }
  return g_steal_pointer (&sessions);
}

/**
 * meso_store_count_sessions:
 * @self: a #MesoStore
 * @error: a #GError
 *
 * Returns: how many sessions the store holds, or -1 on error.
 */
gint64
meso_store_count_sessions (MesoStore  *self,
                           GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (MESO_IS_STORE (self), -1);

  stmt = self->stmts[STMT_COUNT_SESSIONS];
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_db_error (self, error, "count sessions");
  sqlite3_reset (stmt);
  return count;
}
