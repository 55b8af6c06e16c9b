/* meso-backup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "meso-backup.h"
#include "meso-dump.h"
#include "meso-error.h"
#include "meso-output.h"
#include "meso-sqlite-seal.h"
#include "meso-sqlite-store.h"
#include "meso-store.h"

#define BUSY_TIMEOUT_MS  10000
#define BUSY_SLEEP_MS    20
#define PAGES_PER_STEP   64     /* 256 KiB at the default page size */
#define MAX_RESTARTS     3
#define STAMP_FORMAT     "%Y%m%d-%H%M%S"
#define BACKUP_PREFIX    "mesocare-"
#define BACKUP_SUFFIX    ".db"
#define QUICK_CHECK      "PRAGMA quick_check(5)"
#define INTEGRITY_CHECK  "PRAGMA integrity_check(5)"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean set_errno_error (GError     **error,
                                 int          saved_errno,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", message, g_strerror (saved_errno));
  return FALSE;
}

/* A file that fails SQLite's checks is damaged, which the app answers by offering a
 * restore; anything else (busy, disk full, no permission) is not the file's fault. */
static gboolean
set_sqlite_error (GError        **error,
                  int             rc,
                  MesoErrorCode   code,
                  const char     *path,
                  const char     *detail)
{
  int primary = rc & 0xff;
  g_autofree char *clean = meso_error_clean_text (detail);

  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED,
                 _("The database %s is damaged: %s"), path, clean);
  else
    g_set_error (error, MESO_ERROR, code, _("Database %s: %s"), path, clean);
  return FALSE;
}

/* "mesocare-YYYYMMDD-HHMMSS.db": the only names rotation may ever delete. */
static gboolean
is_backup_name (const char *name)
{
  static const char pattern[] = BACKUP_PREFIX "########-######" BACKUP_SUFFIX;

  if (strlen (name) != sizeof pattern - 1)
    return FALSE;
  for (gsize i = 0; pattern[i] != '\0'; i++)
    if (pattern[i] == '#' ? !g_ascii_isdigit (name[i]) : name[i] != pattern[i])
      return FALSE;
  return TRUE;
}

static gboolean
path_exists (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0;
}

static gboolean
require_file (const char  *path,
              GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
               _("There is no database at %s"), path);
  return FALSE;
}

/* Renaming a copy over the file it was made from would lose the file's -wal. */
static gboolean
refuse_same_file (const char  *path,
                  const char  *other,
                  GError     **error)
{
  GStatBuf a, b;

  if (g_stat (path, &a) != 0 || g_stat (other, &b) != 0
      || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_BACKUP,
               _("%s and %s are the same file: choose another file"), path, other);
  return FALSE;
}

/* Patient records: folders are the owner's alone (an existing folder the user chose,
 * a USB stick say, keeps its mode). */
static gboolean
make_private_dir (const char  *dir,
                  GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (dir, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  return set_errno_error (error, saved_errno, _("Cannot create the folder %s"), dir);
}

/* A new empty file beside @path, 0600, for a copy that is renamed over @path only once
 * complete and checked, so @path is never half-written. The leading dot keeps it out of
 * sight and out of the backup name pattern. */
static char *
make_private_temp (const char  *path,
                   GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *template = NULL;
  int fd;

  if (!make_private_dir (dir, error))
    return NULL;
  template = g_strdup_printf ("%s%c.%s.XXXXXX.part", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      set_errno_error (error, saved_errno, _("Cannot create a file in the folder %s"), dir);
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&template);
}

/* Removes a temporary copy and whatever SQLite left beside it after a failure. */
static void
discard_temp (const char *tmp_path)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (tmp_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

static gboolean
sync_file (const char  *path,
           GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd >= 0 && fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved_errno = errno;
  if (fd >= 0)
    close (fd);
  return set_errno_error (error, saved_errno, _("Cannot write %s"), path);
}

/* Makes a rename durable. Some file systems cannot sync a folder; the file itself is
 * already on disk by then, so that is no reason to fail. */
static void
sync_parent_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fsync (fd);
  close (fd);
}

static gboolean
rename_file (const char  *from,
             const char  *to,
             GError     **error)
{
  int saved_errno;

  if (g_rename (from, to) == 0)
    return TRUE;
  saved_errno = errno;
  return set_errno_error (error, saved_errno, _("Cannot rename %s to %s"), from, to);
}

static sqlite3 *
open_db (const char  *path,
         int          flags,
         GError     **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, rc, MESO_ERROR_DATABASE, path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, 1);
  return db;
}

/* SQLite's report, on one line for a message: its heading left out. */
static void
append_problems (GString    *problems,
                 const char *report)
{
  g_auto(GStrv) lines = g_strsplit (report, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0' && !g_str_has_prefix (lines[i], "*** "))
      g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", lines[i]);
}

/* Runs PRAGMA quick_check or integrity_check: SQLite answers "ok", or lists (at most
 * five) problems, in words that name pages and indexes, never a record's values. */
static gboolean
check_db (sqlite3     *db,
          const char  *path,
          const char  *pragma,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc = sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *row = (const char *) sqlite3_column_text (stmt, 0);

        if (g_strcmp0 (row, "ok") != 0)
          append_problems (problems, row != NULL ? row : "?");
      }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, rc, MESO_ERROR_DATABASE, path, sqlite3_errmsg (db));
  if (problems->len == 0)
    return TRUE;
  return set_sqlite_error (error, SQLITE_CORRUPT, MESO_ERROR_DATABASE, path, problems->str);
}

static gboolean
query_int (sqlite3     *db,
           const char  *path,
           const char  *sql,
           int         *out_value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (error, rc, MESO_ERROR_DATABASE, path, sqlite3_errmsg (db));
  *out_value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

static gboolean
refuse_too_new (const char  *path,
                int          version,
                GError     **error)
{
  int latest = meso_store_get_latest_schema_version ();

  if (version <= latest)
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW,
               _("Database %s was written by a newer version of Mesocare (schema %d; "
                 "this version knows up to %d). It has not been changed."),
               path, version, latest);
  return FALSE;
}

/* An empty file or another program's database passes SQLite's checks, but restoring it
 * would replace the records with nothing. */
static gboolean
require_records (sqlite3     *db,
                 const char  *path,
                 int          version,
                 GError     **error)
{
  int has_sessions = 0;

  if (version >= 1
      && !query_int (db, path, "SELECT count(*) FROM sqlite_schema"
                     " WHERE type = 'table' AND name = 'sessions'", &has_sessions, error))
    return FALSE;
  if (has_sessions > 0)
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_BACKUP,
               _("%s is not a Mesocare backup: it holds no treatment records"), path);
  return FALSE;
}

/* The rows no foreign key allows: a session of no patient, say. */
static gboolean
check_foreign_keys (sqlite3     *db,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return set_sqlite_error (error, rc, MESO_ERROR_DATABASE, path, sqlite3_errmsg (db));
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Database %s: the foreign key check found a problem in the %s table"), path,
               (const char *) sqlite3_column_text (stmt, 0));
  return FALSE;
}

/* The sealed chain, and every record table against it (meso-sqlite-seal.c); a database
 * of a schema before the chain was sealed has SQLite's checks alone. */
static gboolean
check_chain (sqlite3     *db,
             const char  *path,
             gboolean     anchored,
             GError     **error)
{
  if (!meso_seal_is_sealed (db))
    return TRUE;
  return check_foreign_keys (db, path, error)
         && meso_seal_verify (db, path, anchored, error);
}

/* Opened read-only, so a damaged or newer database is never written to. With
 * @verify, the audit chain and the tables are proven too. */
static gboolean
check_database_full (const char  *path,
                     const char  *pragma,
                     gboolean     need_records,
                     gboolean     verify,
                     gboolean     anchored,
                     GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  int version = 0;

  if (!require_file (path, error))
    return FALSE;
  db = open_db (path, SQLITE_OPEN_READONLY, error);
  return db != NULL
         && check_db (db, path, pragma, error)
         && query_int (db, path, "PRAGMA user_version", &version, error)
         && refuse_too_new (path, version, error)
         && (!need_records || require_records (db, path, version, error))
         && (!verify || check_chain (db, path, anchored, error));
}

static gboolean
check_database (const char  *path,
                const char  *pragma,
                gboolean     need_records,
                GError     **error)
{
  return check_database_full (path, pragma, need_records, FALSE, FALSE, error);
}

/* Copies in chunks, each step a short read transaction of the source, so that a writer
 * waits for one chunk at most (in WAL mode, readers never block the writer at all). */
static int
step_backup (sqlite3_backup *backup)
{
  int pages = PAGES_PER_STEP;
  int last_remaining = -1;
  guint stalls = 0;
  gint64 busy_since = 0;

  for (;;)
    {
      int rc = sqlite3_backup_step (backup, pages);

      switch (rc & 0xff)
        {
        case SQLITE_DONE:
          return SQLITE_OK;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
          if (busy_since == 0)
            busy_since = g_get_monotonic_time ();
          else if (g_get_monotonic_time () - busy_since
                   > BUSY_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND)
            return rc;
          sqlite3_sleep (BUSY_SLEEP_MS);
          continue;
        case SQLITE_OK:
          break;
        default:
          return rc;
        }
      busy_since = 0;
      /* A write by another connection between two steps makes SQLite start the copy
       * over, so that it is one consistent snapshot. Under constant writes that could
       * go on for ever: after a few restarts, copy the rest in one step, a single read
       * transaction, which in WAL mode does not block the writers either. */
      if (pages > 0 && last_remaining >= 0
          && sqlite3_backup_remaining (backup) >= last_remaining && ++stalls >= MAX_RESTARTS)
        {
          g_debug ("Written to %u times during the copy: copying the rest in one step", stalls);
          pages = -1;
        }
      last_remaining = sqlite3_backup_remaining (backup);
    }
}

/* Whether @rc is a failure to write the copy (a full disk, a failed write or sync)
 * rather than to read the source: the source is opened read-only, so these are the
 * copy's, and the message must not blame the database. */
static gboolean
is_write_error (int rc)
{
  switch (rc)
    {
    case SQLITE_FULL:
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_DIR_FSYNC:
    case SQLITE_IOERR_TRUNCATE:
    case SQLITE_IOERR_SHORT_READ:
      return TRUE;
    default:
      return (rc & 0xff) == SQLITE_FULL;
    }
}

/* The copy's own failure: the caller's prefix names the backup file. */
static gboolean
set_copy_error (GError **error,
                int      rc)
{
  g_autofree char *clean = meso_error_clean_text (sqlite3_errstr (rc));

  g_set_error (error, MESO_ERROR, MESO_ERROR_BACKUP,
               _("the copy could not be written (%s): is the disk full?"), clean);
  return FALSE;
}

static gboolean
run_backup (sqlite3     *src,
            sqlite3     *dest,
            const char  *src_path,
            GError     **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dest, "main", src, "main");
  int rc;

  if (backup == NULL)
    return set_sqlite_error (error, sqlite3_extended_errcode (dest), MESO_ERROR_BACKUP,
                             src_path, sqlite3_errmsg (dest));
  rc = step_backup (backup);
  if (sqlite3_backup_finish (backup) != SQLITE_OK && rc == SQLITE_OK)
    rc = sqlite3_extended_errcode (dest);
  if (rc != SQLITE_OK && is_write_error (rc))
    return set_copy_error (error, rc);
  if (rc != SQLITE_OK)
    return set_sqlite_error (error, rc, MESO_ERROR_BACKUP, src_path, sqlite3_errstr (rc));
  return TRUE;
}

static gboolean
set_journal_mode (sqlite3     *db,
                  const char  *path,
                  const char  *mode,
                  GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && is_write_error (sqlite3_extended_errcode (db)))
    return set_copy_error (error, sqlite3_extended_errcode (db));
  if (rc != SQLITE_ROW)
    return set_sqlite_error (error, rc, MESO_ERROR_BACKUP, path, sqlite3_errmsg (db));
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), mode) == 0)
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_BACKUP,
               _("Database %s: cannot switch its journal to %s"), path, mode);
  return FALSE;
}

/* The copy's header still names the source's journal mode: opened afresh, SQLite reads
 * it and then switches properly (folding a WAL into the single file, say). Problems
 * found are the source's, so the messages name it. */
static gboolean
finish_copy (const char  *copy_path,
             const char  *journal_mode,
             const char  *src_path,
             GError     **error)
{
  g_autoptr(sqlite3) db = open_db (copy_path, SQLITE_OPEN_READWRITE, error);

  return db != NULL
         && set_journal_mode (db, src_path, journal_mode, error)
         && check_db (db, src_path, INTEGRITY_CHECK, error);
}

/* Copies the database at @src_path, read through its own read-only connection, into
 * @copy_path (an empty file), leaves the copy in @journal_mode, "delete" or "wal", and
 * checks it whole. */
static gboolean
copy_database (const char  *src_path,
               const char  *copy_path,
               const char  *journal_mode,
               GError     **error)
{
  g_autoptr(sqlite3) src = NULL;
  g_autoptr(sqlite3) copy = NULL;

  src = open_db (src_path, SQLITE_OPEN_READONLY, error);
  if (src == NULL)
    return FALSE;
  copy = open_db (copy_path, SQLITE_OPEN_READWRITE, error);
  if (copy == NULL || !run_backup (src, copy, src_path, error))
    return FALSE;
  g_clear_pointer (&copy, sqlite3_close);
  g_clear_pointer (&src, sqlite3_close);
  return finish_copy (copy_path, journal_mode, src_path, error)
         && sync_file (copy_path, error);
}

/**
 * meso_backup_get_default_dir:
 * @db_path: the database file
 *
 * Returns: (transfer full): where the daily backups of @db_path go: a `backups` folder
 *   beside it.
 */
char *
meso_backup_get_default_dir (const char *db_path)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);

  dir = g_path_get_dirname (db_path);
  return g_build_filename (dir, "backups", NULL);
}

/* A backup is a copy of the audit log as it was: its head goes beside it, so that the
 * copy checked on its own (`mesocare-cli --db BACKUP check`) still proves its tail whole.
 * Written before the copy takes its name: no backup without its head. */
static gboolean
write_copy_head (const char  *tmp_path,
                 const char  *dest_path,
                 GError     **error)
{
  g_autoptr(sqlite3) db = open_db (tmp_path, SQLITE_OPEN_READONLY, error);

  return db != NULL && meso_seal_write_head (dest_path, db, error);
}

/**
 * meso_backup_create:
 * @db_path: the database, which the app may be writing to meanwhile
 * @dest_path: the backup file to write (replaced if it exists)
 * @error: a #GError
 *
 * Copies @db_path with SQLite's online backup into a single self-contained file
 * (rollback journal, no -wal), 0600, checked with PRAGMA integrity_check before it
 * takes the name @dest_path: a failed backup leaves @dest_path as it was. The head of
 * its audit log goes beside it (`@dest_path.head`), as beside the database.
 */
gboolean
meso_backup_create (const char  *db_path,
                    const char  *dest_path,
                    GError     **error)
{
  g_autofree char *tmp_path = NULL;

  g_return_val_if_fail (db_path != NULL, FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  /* A copy renamed over the database's -wal or -shm would lose what they hold. */
  if (!require_file (db_path, error) || !refuse_same_file (db_path, dest_path, error)
      || !meso_output_check_target (dest_path, db_path, error))
    return FALSE;
  tmp_path = make_private_temp (dest_path, error);
  if (tmp_path == NULL)
    return FALSE;

  if (!copy_database (db_path, tmp_path, "delete", error)
      || !write_copy_head (tmp_path, dest_path, error)
      || !rename_file (tmp_path, dest_path, error))
    {
      discard_temp (tmp_path);
      g_prefix_error (error, _("No backup was written to %s: "), dest_path);
      return FALSE;
    }
  sync_parent_dir (dest_path);
  g_debug ("Backed up %s to %s", db_path, dest_path);
  return TRUE;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  return -g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The backups in @dir, newest first: regular files named by the pattern, whose
 * timestamps sort as text. Symbolic links are not ours to use or delete. */
static GPtrArray *
list_backups (const char  *dir,
              GError     **error)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, error);
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (folder == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (is_backup_name (name) && g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_newest_first);
  return g_steal_pointer (&names);
}

static gboolean
has_backup_of_day (GPtrArray  *names,
                   const char *stamp)
{
  for (guint i = 0; i < names->len; i++)
    if (strncmp ((const char *) names->pdata[i] + strlen (BACKUP_PREFIX), stamp, 8) == 0)
      return TRUE;
  return FALSE;
}

/* The default backups folder beside the database: a symbolic link planted there would
 * send the clinic's records wherever it points, so it is refused, never followed. */
static gboolean
make_backups_dir (const char  *dir,
                  GError     **error)
{
  GStatBuf buf;

  if (g_lstat (dir, &buf) == 0 && S_ISLNK (buf.st_mode))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_BACKUP,
                   _("The backups folder %s is a symbolic link, not a folder: it is not "
                     "followed; remove it, or back up to a file of your choice"), dir);
      return FALSE;
    }
  return make_private_dir (dir, error);
}

/**
 * meso_backup_create_daily:
 * @db_path: the database
 * @keep: how many backups to keep, at least 1 (%MESO_BACKUP_DEFAULT_KEEP)
 * @error: a #GError
 *
 * Unless the backups folder of @db_path (meso_backup_get_default_dir()) holds one of
 * today (local date) already, backs up @db_path there as `mesocare-YYYYMMDD-HHMMSS.db`,
 * then deletes the oldest backups beyond @keep. The folder is created 0700.
 *
 * Returns: (transfer full) (nullable): the new backup, or %NULL: with @error set on
 *   failure, without when today's backup exists already.
 */
char *
meso_backup_create_daily (const char  *db_path,
                          guint        keep,
                          GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, STAMP_FORMAT);
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (keep > 0, NULL);

  dir = meso_backup_get_default_dir (db_path);
  if (!make_backups_dir (dir, error) || (names = list_backups (dir, error)) == NULL)
    return NULL;
  if (has_backup_of_day (names, stamp))
    return NULL;

  return meso_backup_create_now (db_path, keep, error);
}

/**
 * meso_backup_create_now:
 * @db_path: the database
 * @keep: how many of the newest backups to keep, at least 1
 * @error: a #GError
 *
 * Backs the database up into its backups folder now ("Back Up Now", and the daily
 * backup), then deletes the oldest beyond @keep.
 *
 * Returns: (transfer full): the new backup's path, or %NULL with @error set.
 */
char *
meso_backup_create_now (const char  *db_path,
                        guint        keep,
                        GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, STAMP_FORMAT);
  g_autofree char *dir = meso_backup_get_default_dir (db_path);
  g_autofree char *name = g_strconcat (BACKUP_PREFIX, stamp, BACKUP_SUFFIX, NULL);
  g_autofree char *dest = g_build_filename (dir, name, NULL);
  g_autoptr(GError) rotate_error = NULL;

  g_return_val_if_fail (keep > 0, NULL);

  if (!make_backups_dir (dir, error) || !meso_backup_create (db_path, dest, error))
    return NULL;
  /* The backup is made: old ones left over must be seen, but not undo that. */
  if (!meso_backup_rotate (dir, keep, &rotate_error))
    g_warning ("%s", rotate_error->message);
  return g_steal_pointer (&dest);
}

/**
 * meso_backup_create_now_from_store:
 * @store: the database to back up, of any engine (a clinic server's)
 * @dir: the backups folder (created 0700)
 * @keep: how many of the newest backups to keep in @dir, at least 1
 * @error: a #GError
 *
 * What meso_backup_create_now() does for a file, for a database that is none: the same
 * name, `mesocare-YYYYMMDD-HHMMSS.db` in @dir, written by
 * meso_backup_create_from_store(), then the oldest beyond @keep deleted.
 *
 * Returns: (transfer full): the new backup's path, or %NULL with @error set.
 */
char *
meso_backup_create_now_from_store (MesoStore   *store,
                                   const char  *dir,
                                   guint        keep,
                                   GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, STAMP_FORMAT);
  g_autofree char *name = g_strconcat (BACKUP_PREFIX, stamp, BACKUP_SUFFIX, NULL);
  g_autofree char *dest = g_build_filename (dir, name, NULL);
  g_autoptr(GError) rotate_error = NULL;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (keep > 0, NULL);

  if (!make_backups_dir (dir, error) || !meso_backup_create_from_store (store, dest, error))
    return NULL;
  if (!meso_backup_rotate (dir, keep, &rotate_error))
    g_warning ("%s", rotate_error->message);
  return g_steal_pointer (&dest);
}

/**
 * meso_backup_create_daily_from_store:
 * @store: the database to back up, of any engine (a clinic server's)
 * @dir: the backups folder (created 0700)
 * @keep: how many backups to keep in @dir, at least 1
 * @error: a #GError
 *
 * meso_backup_create_daily() for a database that is no file: unless @dir holds a backup
 * of today (local date) already, meso_backup_create_now_from_store().
 *
 * Returns: (transfer full) (nullable): the new backup, or %NULL: with @error set on
 *   failure, without when today's backup exists already.
 */
char *
meso_backup_create_daily_from_store (MesoStore   *store,
                                     const char  *dir,
                                     guint        keep,
                                     GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, STAMP_FORMAT);
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (keep > 0, NULL);

  if (!make_backups_dir (dir, error) || (names = list_backups (dir, error)) == NULL)
    return NULL;
  if (has_backup_of_day (names, stamp))
    return NULL;
  return meso_backup_create_now_from_store (store, dir, keep, error);
}

/**
 * meso_backup_rotate:
 * @dir: a backups folder
 * @keep: how many of the newest backups to keep, at least 1
 * @error: a #GError
 *
 * Deletes the backups in @dir beyond the @keep newest. Only regular files named
 * `mesocare-YYYYMMDD-HHMMSS.db` count as backups; nothing else is ever deleted.
 */
gboolean
meso_backup_rotate (const char  *dir,
                    guint        keep,
                    GError     **error)
{
  g_autoptr(GPtrArray) names = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (keep > 0, FALSE);

  names = list_backups (dir, error);
  if (names == NULL)
    return FALSE;
  for (guint i = keep; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      int saved_errno;

      g_autofree char *head = meso_seal_get_head_path (path);

      /* Its head goes with it (an old backup may have none). */
      g_unlink (head);
      if (g_unlink (path) == 0)
        continue;
      saved_errno = errno;
      /* Another process rotating at the same time may have been first. */
      if (saved_errno != ENOENT && ok)
        ok = set_errno_error (error, saved_errno, _("Cannot delete the old backup %s"), path);
    }
  return ok;
}

/**
 * meso_backup_check_file:
 * @path: a database or a backup
 * @error: a #GError
 *
 * Checks @path through a read-only connection, so it is never written to: PRAGMA
 * quick_check, then its schema version.
 *
 * Returns: %TRUE if @path can be used; otherwise %FALSE with %MESO_ERROR_NOT_FOUND,
 *   %MESO_ERROR_DATABASE_DAMAGED (with SQLite's words), %MESO_ERROR_DATABASE_TOO_NEW or
 *   %MESO_ERROR_DATABASE, the message naming the file.
 */
gboolean
meso_backup_check_file (const char  *path,
                        GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return check_database (path, QUICK_CHECK, FALSE, error);
}

/**
 * meso_backup_check_integrity:
 * @path: a database
 * @error: a #GError
 *
 * As meso_backup_check_file(), with PRAGMA integrity_check instead of quick_check: it
 * also reads every index against its table, so an index that would hand out wrong rows
 * (quick_check passes it) is found. Slower: the app runs it at start beside the open
 * window, writes held until it passes.
 *
 * Returns: %TRUE if @path can be used; otherwise %FALSE with the errors of
 *   meso_backup_check_file().
 */
gboolean
meso_backup_check_integrity (const char  *path,
                             GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return check_database (path, INTEGRITY_CHECK, FALSE, error);
}

/**
 * meso_backup_verify_file:
 * @path: a database or a backup
 * @anchored: %TRUE for the live database, which is also checked against the head of
 *   its audit log kept beside it and its newest backup; %FALSE for a backup
 * @error: a #GError
 *
 * What meso_backup_check_file() checks, with PRAGMA integrity_check instead of the
 * quick check, then the foreign keys, the sealed audit log and every record table
 * against it, through a read-only connection. Takes seconds on a large database: for
 * a worker thread.
 *
 * Returns: %TRUE if @path can be trusted; otherwise %FALSE, the message naming the
 *   first wrong entry or row.
 */
gboolean
meso_backup_verify_file (const char  *path,
                         gboolean     anchored,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return check_database_full (path, INTEGRITY_CHECK, FALSE, TRUE, anchored, error);
}

/**
 * meso_backup_find_newest:
 * @dir: a backups folder
 *
 * Returns: (transfer full) (nullable): the newest backup in @dir by the time in its
 *   name, unchecked, or %NULL
 */
char *
meso_backup_find_newest (const char *dir)
{
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) || (names = list_backups (dir, NULL)) == NULL
      || names->len == 0)
    return NULL;
  return g_build_filename (dir, names->pdata[0], NULL);
}

/**
 * meso_backup_check_header:
 * @path: a database
 * @out_latest: (out) (optional): whether its schema is this version's, so that opening
 *   it migrates nothing
 * @error: a #GError
 *
 * The checks that cost the same however large the file, through a read-only
 * connection: it is a database, its schema can be read, and it is not from a newer
 * Mesocare. Damage deeper in the file is for meso_backup_check_file(), which reads
 * every page: at start, the app runs that one beside the open window.
 *
 * Returns: %TRUE if @path looks usable; otherwise %FALSE with the errors of
 *   meso_backup_check_file().
 */
gboolean
meso_backup_check_header (const char  *path,
                          gboolean    *out_latest,
                          GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  int tables = 0;
  int version = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!require_file (path, error) || (db = open_db (path, SQLITE_OPEN_READONLY, error)) == NULL)
    return FALSE;
  if (!query_int (db, path, "SELECT count(*) FROM sqlite_schema", &tables, error)
      || !query_int (db, path, "PRAGMA user_version", &version, error)
      || !refuse_too_new (path, version, error))
    return FALSE;
  if (out_latest != NULL)
    *out_latest = version == meso_store_get_latest_schema_version ();
  return TRUE;
}

/**
 * meso_backup_find_newest_good:
 * @dir: a backups folder
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the newest backup in @dir, by the time in its
 *   name, that passes meso_backup_check_file(), holds records and whose audit log
 *   and tables pass meso_backup_verify_file(); %NULL with
 *   %MESO_ERROR_NOT_FOUND when there is none.
 */
char *
meso_backup_find_newest_good (const char  *dir,
                              GError     **error)
{
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (dir != NULL, NULL);

  if (g_file_test (dir, G_FILE_TEST_IS_DIR) && (names = list_backups (dir, error)) == NULL)
    return NULL;
  for (guint i = 0; names != NULL && i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autoptr(GError) local_error = NULL;

      if (check_database_full (path, QUICK_CHECK, TRUE, TRUE, FALSE, &local_error))
        return g_steal_pointer (&path);
      g_debug ("Skipping backup %s: %s", path, local_error->message);
    }

  if (names == NULL || names->len == 0)
    g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND, _("There is no backup in %s"), dir);
  else
    g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                 _("None of the backups in %s can be used"), dir);
  return NULL;
}

/* "<db>.replaced-YYYYMMDD-HHMMSS", with a number after it should a restore in the same
 * second have taken that name: nothing kept aside is ever overwritten. */
static char *
choose_aside_path (const char *db_path)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, STAMP_FORMAT);

  for (guint n = 1; ; n++)
    {
      g_autofree char *aside = n == 1
        ? g_strdup_printf ("%s.replaced-%s", db_path, stamp)
        : g_strdup_printf ("%s.replaced-%s-%u", db_path, stamp, n);
      g_autofree char *wal = g_strconcat (aside, "-wal", NULL);
      g_autofree char *shm = g_strconcat (aside, "-shm", NULL);
      g_autofree char *journal = g_strconcat (aside, "-journal", NULL);

      if (!path_exists (aside) && !path_exists (wal) && !path_exists (shm)
          && !path_exists (journal))
        return g_steal_pointer (&aside);
    }
}

/* Moves the database and its companions aside under one suffix, so they still open
 * together as they were. The journals go first: a database beside a -wal or -journal
 * that is not its own would be read wrongly, while one without them only lacks its
 * latest changes. On failure, whatever was moved is put back. */
static gboolean
move_aside (const char  *db_path,
            const char  *aside,
            GError     **error)
{
  static const char * const suffixes[] = { "-journal", "-wal", "-shm", "" };
  guint moved;

  for (moved = 0; moved < G_N_ELEMENTS (suffixes); moved++)
    {
      g_autofree char *from = g_strconcat (db_path, suffixes[moved], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[moved], NULL);

      if (path_exists (from) && !rename_file (from, to, error))
        break;
    }
  if (moved == G_N_ELEMENTS (suffixes))
    return TRUE;

  while (moved-- > 0)
    {
      g_autofree char *from = g_strconcat (aside, suffixes[moved], NULL);
      g_autofree char *to = g_strconcat (db_path, suffixes[moved], NULL);

      if (path_exists (from))
        g_rename (from, to);
    }
  return FALSE;
}

/* Puts the checked copy at @tmp_path in the place of @db_path, keeping what was there. */
static gboolean
replace_database (const char  *tmp_path,
                  const char  *db_path,
                  char       **out_aside,
                  GError     **error)
{
  g_autofree char *aside = choose_aside_path (db_path);

  if (!move_aside (db_path, aside, error))
    return FALSE;
  if (!rename_file (tmp_path, db_path, error))
    {
      move_aside (aside, db_path, NULL);
      return FALSE;
    }
  sync_parent_dir (db_path);
  if (path_exists (aside))
    *out_aside = g_steal_pointer (&aside);
  return TRUE;
}

/* The head of the audit log beside the database is the restored copy's now, or it
 * would name entries of the database replaced. */
static void
write_head (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  /* Read-write, though it only reads: the last connection closed takes the -wal and
   * -shm of the restored copy with it, as if it had never been opened. */
  g_autoptr(sqlite3) db = open_db (db_path, SQLITE_OPEN_READWRITE, &error);

  if (db == NULL || !meso_seal_write_head (db_path, db, &error))
    g_message ("%s", error->message);
}

/**
 * meso_backup_restore:
 * @backup_path: the backup to restore
 * @db_path: the database it replaces; the caller has closed its connection to it
 * @out_aside_path: (out) (optional) (nullable): where the replaced database was kept,
 *   %NULL if there was none
 * @error: a #GError
 *
 * Checks @backup_path (quick and integrity checks, schema version, records, its sealed
 * audit log and every record table against it) and refuses
 * it, changing nothing, unless it passes. Then moves the database and its -wal and
 * -shm aside to `<db_path>.replaced-YYYYMMDD-HHMMSS` (and `-wal`, `-shm`), never
 * deleting them, and puts a copy of the backup in its place, 0600, in WAL mode.
 */
gboolean
meso_backup_restore (const char  *backup_path,
                     const char  *db_path,
                     char       **out_aside_path,
                     GError     **error)
{
  g_autofree char *tmp_path = NULL;
  g_autofree char *aside = NULL;

  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (db_path != NULL, FALSE);

  if (out_aside_path != NULL)
    *out_aside_path = NULL;
  if (!refuse_same_file (backup_path, db_path, error)
      || !check_database_full (backup_path, INTEGRITY_CHECK, TRUE, TRUE, FALSE, error))
    {
      g_prefix_error (error, _("The backup %s was not restored: "), backup_path);
      return FALSE;
    }
  tmp_path = make_private_temp (db_path, error);
  if (tmp_path == NULL)
    return FALSE;

  if (!copy_database (backup_path, tmp_path, "wal", error)
      || !replace_database (tmp_path, db_path, &aside, error))
    {
      discard_temp (tmp_path);
      g_prefix_error (error, _("The database %s was left as it was: "), db_path);
      return FALSE;
    }
  write_head (db_path);
  g_debug ("Restored %s from %s; the replaced database is at %s", db_path, backup_path,
           aside != NULL ? aside : "(none)");
  if (out_aside_path != NULL)
    *out_aside_path = g_steal_pointer (&aside);
  return TRUE;
}

/* The whole of @store loaded into the new SQLite database @tmp_path, then turned into a
 * single self-contained file as other backups are. */
static gboolean
load_into_file (MesoStore   *store,
                const char  *tmp_path,
                GError     **error)
{
  g_autoptr(MesoStore) copy = meso_sqlite_store_open (tmp_path, error);
  g_autofree char *tmp_head = meso_seal_get_head_path (tmp_path);
  gboolean ok;

  if (copy == NULL)
    return FALSE;
  ok = meso_dump_copy (store, copy, error);
  g_clear_object (&copy);
  /* The copy's own head names a file about to be renamed: the backup's is written
   * beside its final name (write_copy_head()). */
  g_unlink (tmp_head);
  return ok && finish_copy (tmp_path, "delete", tmp_path, error) && sync_file (tmp_path, error);
}

/**
 * meso_backup_create_from_store:
 * @store: the database to back up, of any engine (a clinic server's)
 * @dest_path: the backup file to write (replaced if it exists)
 * @error: a #GError
 *
 * Writes a backup of @store as meso_backup_create() writes one of a file: a SQLite file,
 * 0600, with its head beside it (`@dest_path.head`), that `restore` and `check`
 * understand. It is made by loading @store's dump (meso_store_dump()) into a new file,
 * every id and audit entry as they are, and proven whole (its sealed audit log and every
 * table against it) before it takes the name @dest_path: a failed backup leaves
 * @dest_path as it was.
 */
gboolean
meso_backup_create_from_store (MesoStore   *store,
                               const char  *dest_path,
                               GError     **error)
{
  g_autofree char *tmp_path = NULL;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  if (!meso_output_check_target (dest_path, NULL, error))
    return FALSE;
  tmp_path = make_private_temp (dest_path, error);
  if (tmp_path == NULL)
    return FALSE;
  if (!load_into_file (store, tmp_path, error)
      || !check_database_full (tmp_path, QUICK_CHECK, FALSE, TRUE, FALSE, error)
      || !write_copy_head (tmp_path, dest_path, error)
      || !rename_file (tmp_path, dest_path, error))
    {
      discard_temp (tmp_path);
      g_prefix_error (error, _("No backup was written to %s: "), dest_path);
      return FALSE;
    }
  sync_parent_dir (dest_path);
  g_debug ("Backed up a store to %s", dest_path);
  return TRUE;
}

/**
 * meso_backup_restore_into_store:
 * @backup_path: the backup to restore
 * @store: an empty database, of any engine (a clinic server's)
 * @error: a #GError
 *
 * Checks @backup_path as meso_backup_restore() does, then loads it whole into @store,
 * every id and audit entry as they are (meso_store_load()). A database that is not a
 * file cannot be moved aside as meso_backup_restore() keeps the one it replaces: so
 * @store must be empty (a new database on the server), and one that holds anything is
 * refused, changing nothing. On any failure @store is left empty.
 */
gboolean
meso_backup_restore_into_store (const char  *backup_path,
                                MesoStore   *store,
                                GError     **error)
{
  g_autoptr(MesoStore) backup = NULL;

  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);

  if (!check_database_full (backup_path, INTEGRITY_CHECK, TRUE, TRUE, FALSE, error)
      || (backup = meso_store_open_read_only (backup_path, error)) == NULL
      || !meso_dump_copy (backup, store, error))
    {
      g_prefix_error (error, _("The backup %s was not restored: "), backup_path);
      return FALSE;
    }
  g_debug ("Restored a store from %s", backup_path);
  return TRUE;
}
