/* test-backup.c: backups taken while the database is in use, their checks and restoring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meso-backup.h"
#include "meso-error.h"
#include "meso-store.h"
#include "meso-test-sqlite.h"
#include "meso-test-util.h"

typedef struct
{
  char *dir;
  char *path;      /* the database: clinic/mesocare.db, its folder not made yet */
  char *backups;   /* clinic/backups */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = meso_test_make_tmp_dir ("mesocare-backup-XXXXXX");
  fixture->path = g_build_filename (fixture->dir, "clinic", "mesocare.db", NULL);
  fixture->backups = meso_backup_get_default_dir (fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_remove_tree (fixture->dir);
  g_free (fixture->backups);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Helpers: sessions and stores */

/* Session @i of a test, every field different from its neighbours'. */
static MesoSession *
make_numbered_session (guint i)
{
  g_autofree char *patient = g_strdup_printf ("Patient %04u of the backup test, with a long"
                                              " name", i);

  return meso_test_session_new (patient, (MesoArea) (i % MESO_AREA_ALL + 1), i % 2000 + 1,
                                i % 480 + 1);
}

/* Saves @n numbered sessions, starting at @first; returns them as saved. */
static GPtrArray *
fill_store (MesoStore *store,
            guint      first,
            guint      n)
{
  GPtrArray *written = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = first; i < first + n; i++)
    {
      MesoSession *session = make_numbered_session (i);

      meso_test_save_session (store, session);
      g_ptr_array_add (written, session);
    }
  return written;
}

static void
fill_database (const char *path,
               guint       n)
{
  g_autoptr(MesoStore) store = meso_test_open_store (path);
  g_autoptr(GPtrArray) written = fill_store (store, 0, n);
}

static int
compare_by_id (gconstpointer a,
               gconstpointer b)
{
  gint64 id_a = meso_session_get_id (*(MesoSession * const *) a);
  gint64 id_b = meso_session_get_id (*(MesoSession * const *) b);

  return id_a < id_b ? -1 : id_a > id_b;
}

/* Every session of the database at @path, by id. */
static GPtrArray *
read_sessions (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open_existing (path, &error);
  GPtrArray *sessions;

  g_assert_no_error (error);
  sessions = meso_store_list_sessions (store, &error);
  g_assert_no_error (error);
  g_ptr_array_sort (sessions, compare_by_id);
  return sessions;
}

/* The fields a test sets, between a session written and one read back. */
static void
assert_sessions_equal (MesoSession *a,
                       MesoSession *b)
{
  meso_test_assert_sessions_equal (a, b);
  /* Equal, and not merely both without areas: every session here has some. */
  g_assert_cmphex (meso_session_get_areas (a), !=, MESO_AREA_NONE);
}

static void
assert_same_as_written (GPtrArray *sessions,
                        GPtrArray *written)
{
  g_assert_cmpuint (sessions->len, ==, written->len);
  for (guint i = 0; i < sessions->len; i++)
    assert_sessions_equal (g_ptr_array_index (sessions, i), g_ptr_array_index (written, i));
}

/* @sessions (by id) are the first ones of @reference, in order: no gap, nothing else.
 * Both read from a store, so every field the store keeps must agree (a session read
 * back may have defaults that the one written had not). */
static void
assert_prefix_of (GPtrArray *sessions,
                  GPtrArray *reference)
{
  g_assert_cmpuint (sessions->len, <=, reference->len);
  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *a = g_ptr_array_index (sessions, i);
      MesoSession *b = g_ptr_array_index (reference, i);

      assert_sessions_equal (a, b);
      g_assert_true (meso_session_equal (a, b));
    }
}

static void
assert_same_sessions (GPtrArray *a,
                      GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  assert_prefix_of (a, b);
}

/* Helpers: files and raw SQLite */

static void
assert_same_bytes (const char *path,
                   GBytes     *expected)
{
  g_autoptr(GBytes) bytes = meso_test_read_file (path);

  g_assert_true (g_bytes_equal (bytes, expected));
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GBytes) bytes = meso_test_read_file (from);

  g_assert_true (g_file_set_contents_full (to, g_bytes_get_data (bytes, NULL),
                                           g_bytes_get_size (bytes),
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
}

static void
assert_mode (const char *path,
             guint       mode)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, mode);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names in @dir, sorted, joined by spaces: what a test compares before and after. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (folder);
  while ((name = g_dir_read_name (folder)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

static char *
query_text (const char *path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static int
query_int (const char *path,
           const char *sql)
{
  g_autofree char *text = query_text (path, sql);

  return atoi (text);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
append_row (GString      *line,
            sqlite3_stmt *stmt)
{
  for (int col = 0; col < sqlite3_column_count (stmt); col++)
    {
      const void *blob = sqlite3_column_blob (stmt, col);
      int size = sqlite3_column_bytes (stmt, col);
      g_autofree char *sum = NULL;

      switch (sqlite3_column_type (stmt, col))
        {
        case SQLITE_NULL:
          g_string_append (line, "|null");
          break;
        case SQLITE_BLOB:
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, blob, size);
          g_string_append_printf (line, "|blob:%d:%s", size, sum);
          break;
        default:
          g_string_append_printf (line, "|%d:%s", sqlite3_column_type (stmt, col),
                                  (const char *) sqlite3_column_text (stmt, col));
          break;
        }
    }
}

/* Every row of every table, and the schema version: the whole content of a database,
 * whatever its schema, to compare two of them. */
static char *
dump_database (const char *path)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *tables = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_schema"
                                       " WHERE type = 'table' ORDER BY name", -1, &tables,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\"", table);
      sqlite3_stmt *rows = NULL;

      g_ptr_array_add (lines, g_strdup_printf ("%s: %s", table, sqlite3_column_text (tables, 1)));
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        {
          GString *line = g_string_new (table);

          append_row (line, rows);
          g_ptr_array_add (lines, g_string_free (line, FALSE));
        }
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  sqlite3_close (db);

  g_ptr_array_sort (lines, compare_strings);
  g_ptr_array_add (lines, g_strdup_printf ("user_version %d",
                                           query_int (path, "PRAGMA user_version")));
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
assert_integrity_ok (const char *path)
{
  g_autofree char *result = query_text (path, "PRAGMA integrity_check");

  g_assert_cmpstr (result, ==, "ok");
}


static void
write_garbage (const char *path)
{
  const char garbage[] = "These are not the records you are looking for.\n";

  g_assert_true (g_file_set_contents_full (path, garbage, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           NULL));
}

/* A database as a newer Mesocare leaves it: its schema one step ahead. */
static void
make_too_new (const char *path)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = DELETE; PRAGMA user_version = %d",
                                          meso_store_get_latest_schema_version () + 1);

  exec_sql (path, sql);
}

static void
make_private_dir (const char *dir)
{
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
}

/* A good backup at @dest of a database of @n sessions, made elsewhere. */
static void
make_backup (Fixture    *fixture,
             const char *dest,
             guint       n)
{
  g_autofree char *name = g_strdup_printf ("source-%u.db", g_random_int ());
  g_autofree char *source = g_build_filename (fixture->dir, "sources", name, NULL);
  g_autoptr(GError) error = NULL;

  fill_database (source, n);
  g_assert_true (meso_backup_create (source, dest, &error));
  g_assert_no_error (error);
}

static void
assert_error_names (const GError *error,
                    const char   *path)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
}

/* The tests */

static void
test_default_dir (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dir = meso_backup_get_default_dir ("/data/mesocare/mesocare.db");
  g_autofree char *expected = g_build_filename ("/data/mesocare", "backups", NULL);

  g_assert_cmpstr (dir, ==, expected);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) written = fill_store (store, 0, 7);
  g_autofree char *folder = g_build_filename (fixture->dir, "usb", "mesocare", NULL);
  g_autofree char *dest = g_build_filename (folder, "copy.db", NULL);
  g_autofree char *journal_mode = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GPtrArray) source = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(GError) error = NULL;

  /* The store is still open, its last sessions still in its -wal: they are copied too. */
  g_assert_true (meso_backup_create (fixture->path, dest, &error));
  g_assert_no_error (error);

  assert_mode (folder, 0700);
  assert_mode (dest, 0600);
  listing = list_dir (folder);
  /* The head of its audit log beside it, as beside the database. */
  g_assert_cmpstr (listing, ==, "copy.db copy.db.head");
  head = g_strconcat (dest, ".head", NULL);
  assert_mode (head, 0600);
  journal_mode = query_text (dest, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "delete");
  assert_integrity_ok (dest);

  read = read_sessions (dest);
  source = read_sessions (fixture->path);
  assert_same_as_written (read, written);
  assert_same_sessions (read, source);

  /* A second backup to the same name replaces the first. */
  more = fill_store (store, 7, 2);
  g_ptr_array_extend_and_steal (written, g_steal_pointer (&more));
  g_assert_true (meso_backup_create (fixture->path, dest, &error));
  g_assert_no_error (error);
  g_clear_pointer (&read, g_ptr_array_unref);
  g_clear_pointer (&source, g_ptr_array_unref);
  read = read_sessions (dest);
  source = read_sessions (fixture->path);
  assert_same_as_written (read, written);
  assert_same_sessions (read, source);
}

static void
test_create_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (fixture->backups, "copy.db", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;

  /* No database at all. */
  g_assert_false (meso_backup_create (fixture->path, dest, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  assert_error_names (error, fixture->path);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* A good backup exists; then the database gets damaged: the backup is kept as it was. */
  fill_database (fixture->path, 50);
  g_assert_true (meso_backup_create (fixture->path, dest, &error));
  g_assert_no_error (error);
  before = meso_test_read_file (dest);
  meso_test_damage_database (fixture->path);
  g_assert_false (meso_backup_create (fixture->path, dest, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  assert_error_names (error, fixture->path);
  g_clear_error (&error);
  assert_same_bytes (dest, before);

  /* Not a database. */
  write_garbage (fixture->path);
  g_assert_false (meso_backup_create (fixture->path, dest, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  assert_error_names (error, fixture->path);
  g_clear_error (&error);
  assert_same_bytes (dest, before);

  /* The database itself as the destination. */
  g_assert_false (meso_backup_create (dest, dest, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_BACKUP);
  g_clear_error (&error);
  assert_same_bytes (dest, before);

  /* No temporary file left behind; the first backup's head as it was. */
  listing = list_dir (fixture->backups);
  g_assert_cmpstr (listing, ==, "copy.db copy.db.head");
}

/* Backup during writes */

#define N_WRITES 300

typedef struct
{
  const char *path;
  GPtrArray  *written;      /* the writer's sessions, in order; read after the join */
  GMutex      lock;         /* for the counts */
  GCond       counted;      /* one of the counts went up */
  guint       saved;
  guint       backups_done;
} Writes;

static void
count_up (Writes *writes,
          guint  *count)
{
  g_mutex_lock (&writes->lock);
  (*count)++;
  g_cond_broadcast (&writes->counted);
  g_mutex_unlock (&writes->lock);
}

static guint
read_count (Writes *writes,
            guint  *count)
{
  guint value;

  g_mutex_lock (&writes->lock);
  value = *count;
  g_mutex_unlock (&writes->lock);
  return value;
}

/* Until the other thread has brought *@count to @n. */
static void
wait_for_count (Writes     *writes,
                guint      *count,
                guint       n,
                const char *what)
{
  gint64 deadline = g_get_monotonic_time () + MESO_TEST_WAIT_LIMIT_S * G_USEC_PER_SEC;
  guint value;

  g_mutex_lock (&writes->lock);
  while (*count < n && g_cond_wait_until (&writes->counted, &writes->lock, deadline))
    ;
  value = *count;
  g_mutex_unlock (&writes->lock);
  if (value < n)
    g_error ("timed out after %d s waiting for %s (%u of %u)", MESO_TEST_WAIT_LIMIT_S, what,
             value, n);
}

/* The app saving sessions, through its own connection, while the backups are taken. */
static gpointer
write_sessions (gpointer data)
{
  Writes *writes = data;
  g_autoptr(MesoStore) store = meso_test_open_store (writes->path);

  for (guint i = 0; i < N_WRITES; i++)
    {
      MesoSession *session = make_numbered_session (i);

      meso_test_save_session (store, session);
      g_ptr_array_add (writes->written, session);
      count_up (writes, &writes->saved);

      /* Halfway, wait for one backup to be complete: so at least one is taken in the
       * middle of the writes, however the threads are scheduled. */
      if (i == N_WRITES / 2)
        wait_for_count (writes, &writes->backups_done, 1, "a backup halfway through the writes");
    }
  return NULL;
}

/* Makes the database big enough that SQLite copies it in several steps (a clinic's
 * years of records), so writes land between the steps of a backup. Sealed, or the
 * store would write nothing to a database whose schema is not its own. */
static void
add_ballast (const char *path)
{
  meso_test_sqlite_exec_sealed (path, "CREATE TABLE test_ballast (data BLOB);"
                                      "INSERT INTO test_ballast VALUES (randomblob (600000))");
}

static GPtrArray *
take_backups_during (Writes  *writes,
                     Fixture *fixture)
{
  GPtrArray *backups = g_ptr_array_new_with_free_func (g_free);
  guint saved;

  wait_for_count (writes, &writes->saved, 10, "the writer's first sessions");
  while ((saved = read_count (writes, &writes->saved)) < N_WRITES && backups->len < 100)
    {
      g_autofree char *name = g_strdup_printf ("during-%03u.db", backups->len);
      char *dest = g_build_filename (fixture->backups, name, NULL);
      g_autoptr(GError) error = NULL;

      g_assert_true (meso_backup_create (fixture->path, dest, &error));
      g_assert_no_error (error);
      g_ptr_array_add (backups, dest);
      count_up (writes, &writes->backups_done);
      /* The next one when the writer has written more, so that no two are taken at the
       * same point of the writes. */
      saved = read_count (writes, &writes->saved);
      if (saved < N_WRITES)
        wait_for_count (writes, &writes->saved, saved + 1, "the writer's next session");
    }
  return backups;
}

/* Each backup passes the checks and holds exactly the first N sessions of @final. Inspected
 * through a copy, since opening a store may convert it. Returns N. */
static guint
check_backup_of_writes (Fixture    *fixture,
                        const char *backup,
                        GPtrArray  *final)
{
  g_autofree char *copy = g_build_filename (fixture->dir, "inspect.db", NULL);
  g_autofree char *journal_mode = query_text (backup, "PRAGMA journal_mode");
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (journal_mode, ==, "delete");
  assert_integrity_ok (backup);
  g_assert_true (meso_backup_check_file (backup, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (backup, "SELECT count(*) FROM test_ballast"), ==, 1);

  copy_file (backup, copy);
  sessions = read_sessions (copy);
  assert_prefix_of (sessions, final);
  g_unlink (copy);
  return sessions->len;
}

static void
test_backup_during_writes (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) final = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GThread) writer = NULL;
  g_autoptr(GPtrArray) expected_sessions = NULL;
  g_autoptr(GPtrArray) restored_sessions = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GError) error = NULL;
  Writes writes = { .path = fixture->path, .written = written };
  const char *last;
  guint in_between = 0;

  g_object_unref (meso_test_open_store (fixture->path));
  add_ballast (fixture->path);

  g_mutex_init (&writes.lock);
  g_cond_init (&writes.counted);
  writer = g_thread_new ("writer", write_sessions, &writes);
  backups = take_backups_during (&writes, fixture);
  g_thread_join (g_steal_pointer (&writer));
  g_mutex_clear (&writes.lock);
  g_cond_clear (&writes.counted);
  g_assert_cmpuint (written->len, ==, N_WRITES);
  g_assert_cmpuint (backups->len, >=, 1);
  final = read_sessions (fixture->path);
  assert_same_as_written (final, written);

  for (guint i = 0; i < backups->len; i++)
    {
      guint n = check_backup_of_writes (fixture, g_ptr_array_index (backups, i), final);

      g_test_message ("backup %u holds the first %u of %u sessions", i, n, N_WRITES);
      if (n > 0 && n < N_WRITES)
        in_between++;
    }
  g_assert_cmpuint (in_between, >=, 1);

  /* The last backup restored: the database then holds what that backup holds. */
  last = g_ptr_array_index (backups, backups->len - 1);
  expected = dump_database (last);
  copy = g_build_filename (fixture->dir, "inspect.db", NULL);
  copy_file (last, copy);
  expected_sessions = read_sessions (copy);

  g_assert_true (meso_backup_restore (last, fixture->path, &aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (aside);
  restored = dump_database (fixture->path);
  g_assert_cmpstr (restored, ==, expected);
  restored_sessions = read_sessions (fixture->path);
  assert_same_sessions (restored_sessions, expected_sessions);
}

/* Daily backups and rotation */

static char *
today_stamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y%m%d");
}

static void
test_daily (Fixture       *fixture,
            gconstpointer  data)
{
  /* Where the app keeps it: the test's own $XDG_DATA_HOME. */
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = meso_backup_get_default_dir (path);
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "mesocare",
                                                    "backups", NULL);
  g_autofree char *today = today_stamp ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *base = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_autofree char *today_after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (dir, ==, expected_dir);
  fill_database (path, 3);

  first = meso_backup_create_daily (path, MESO_BACKUP_DEFAULT_KEEP, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  base = g_path_get_basename (first);
  g_assert_true (g_str_has_prefix (base, "mesocare-"));
  g_assert_true (g_str_has_prefix (base + strlen ("mesocare-"), today));
  g_assert_true (g_str_has_suffix (base, ".db"));
  g_assert_cmpuint (strlen (base), ==, strlen ("mesocare-YYYYMMDD-HHMMSS.db"));
  assert_mode (dir, 0700);
  assert_mode (first, 0600);
  g_assert_true (meso_backup_check_file (first, &error));
  g_assert_no_error (error);
  listing = list_dir (dir);
  /* The backup with the head of its audit log beside it. */
  expected = g_strdup_printf ("%s %s.head", base, base);
  g_assert_cmpstr (listing, ==, expected);

  second = meso_backup_create_daily (path, MESO_BACKUP_DEFAULT_KEEP, &error);
  today_after = today_stamp ();
  if (!g_str_equal (today, today_after))
    {
      g_test_skip ("The day changed during the test");
      return;
    }
  g_assert_no_error (error);
  g_assert_null (second);
  listing_after = list_dir (dir);
  g_assert_cmpstr (listing_after, ==, listing);
}

/* Backup-named files for days 1 to @n of 2024, their content not a database: rotation
 * goes by name only. */
static void
make_dated_files (const char *dir,
                  guint       n)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2024, 1, 1, 12, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (start, i);
      g_autofree char *name = g_date_time_format (day, "mesocare-%Y%m%d-%H%M%S.db");
      g_autofree char *path = g_build_filename (dir, name, NULL);

      write_garbage (path);
    }
}

static guint
count_backup_files (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_prefix (name, "mesocare-2024") && g_str_has_suffix (name, ".db"))
      n++;
  return n;
}

static void
assert_exists (const char *dir,
               const char *name,
               gboolean    exists)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  g_assert_cmpint (g_lstat (path, &st) == 0, ==, exists);
}

static void
test_rotate (Fixture       *fixture,
             gconstpointer  data)
{
  const char *others[] = {
    "notes.txt", "mesocare-20230101-120000.db-journal", "mesocare-20230101-120000.db.old",
    "mesocare-latest.db", "mesocare-2023010-120000.db", "Mesocare-20230101-120000.db",
    "mesocare-20230101-1200000.db", "mesocare-2023O101-120000.db",
    ".mesocare-20230101-120000.db.ABCDEF.part", "mesocare.db",
  };
  g_autofree char *subdir = g_build_filename (fixture->backups, "mesocare-20200101-000000.db",
                                              NULL);
  g_autofree char *link = g_build_filename (fixture->backups, "mesocare-20190101-000000.db",
                                            NULL);
  g_autofree char *head_oldest = g_build_filename (fixture->backups,
                                                  "mesocare-20240101-120000.db.head", NULL);
  g_autofree char *head_kept = g_build_filename (fixture->backups,
                                                "mesocare-20240204-120000.db.head", NULL);
  g_autoptr(GError) error = NULL;

  make_private_dir (fixture->backups);
  make_dated_files (fixture->backups, 35);
  /* Heads beside the oldest and a kept one: each goes with its backup, and only then. */
  write_garbage (head_oldest);
  write_garbage (head_kept);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *path = g_build_filename (fixture->backups, others[i], NULL);

      write_garbage (path);
    }
  /* Named like old backups, but a folder and a link: not backups, never deleted. */
  make_private_dir (subdir);
  g_assert_cmpint (symlink ("notes.txt", link), ==, 0);

  g_assert_true (meso_backup_rotate (fixture->backups, 30, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_backup_files (fixture->backups), ==, 30);
  /* The oldest five went: 1 to 5 January. */
  assert_exists (fixture->backups, "mesocare-20240105-120000.db", FALSE);
  assert_exists (fixture->backups, "mesocare-20240106-120000.db", TRUE);
  assert_exists (fixture->backups, "mesocare-20240204-120000.db", TRUE);
  assert_exists (fixture->backups, "mesocare-20240101-120000.db.head", FALSE);
  assert_exists (fixture->backups, "mesocare-20240204-120000.db.head", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    assert_exists (fixture->backups, others[i], TRUE);
  assert_exists (fixture->backups, "mesocare-20200101-000000.db", TRUE);
  assert_exists (fixture->backups, "mesocare-20190101-000000.db", TRUE);

  g_assert_true (meso_backup_rotate (fixture->backups, 30, &error));
  g_assert_cmpuint (count_backup_files (fixture->backups), ==, 30);
  g_assert_true (meso_backup_rotate (fixture->backups, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_backup_files (fixture->backups), ==, 3);
  assert_exists (fixture->backups, "mesocare-20240204-120000.db", TRUE);
  assert_exists (fixture->backups, "mesocare-20240202-120000.db", TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    assert_exists (fixture->backups, others[i], TRUE);
}

static void
test_daily_rotates (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *made = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) error = NULL;

  fill_database (fixture->path, 2);
  make_private_dir (fixture->backups);
  make_dated_files (fixture->backups, 5);

  made = meso_backup_create_daily (fixture->path, 3, &error);
  g_assert_no_error (error);
  g_assert_nonnull (made);
  base = g_path_get_basename (made);
  assert_exists (fixture->backups, base, TRUE);
  assert_exists (fixture->backups, "mesocare-20240105-120000.db", TRUE);
  assert_exists (fixture->backups, "mesocare-20240104-120000.db", TRUE);
  assert_exists (fixture->backups, "mesocare-20240103-120000.db", FALSE);
  g_assert_cmpuint (count_backup_files (fixture->backups), ==, 2);
}

/* A symbolic link planted at the backups folder (to a folder an attacker can read) is
 * refused, naming it, and nothing is written where it points (issue 14). */
static void
test_backups_symlink_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *elsewhere = g_build_filename (fixture->dir, "elsewhere", NULL);
  g_autofree char *daily = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) now_error = NULL;

  fill_database (fixture->path, 2);
  make_private_dir (elsewhere);
  g_assert_cmpint (symlink (elsewhere, fixture->backups), ==, 0);

  daily = meso_backup_create_daily (fixture->path, 3, &error);
  g_assert_null (daily);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_BACKUP);
  g_assert_nonnull (strstr (error->message, fixture->backups));
  g_assert_nonnull (strstr (error->message, "symbolic link"));
  now = meso_backup_create_now (fixture->path, 3, &now_error);
  g_assert_null (now);
  g_assert_error (now_error, MESO_ERROR, MESO_ERROR_BACKUP);
  g_assert_cmpuint (count_backup_files (elsewhere), ==, 0);
  g_assert_true (g_file_test (fixture->backups, G_FILE_TEST_IS_SYMLINK));
  g_assert_cmpint (g_unlink (fixture->backups), ==, 0);
}

/* A backup named as the database's -wal or -shm file (by its path, or through ./) is
 * refused before anything is written: renamed over them, the copy would lose what the
 * -wal holds (issue 14). */
static void
test_create_refuses_database_files (Fixture       *fixture,
                                    gconstpointer  data)
{
  static const char * const suffixes[] = { "-wal", "-shm" };

  fill_database (fixture->path, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *dir = g_path_get_dirname (fixture->path);
      g_autofree char *base = g_path_get_basename (fixture->path);
      g_autofree char *dest = g_strconcat (dir, "/./", base, suffixes[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (meso_backup_create (fixture->path, dest, &error));
      g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "this is the database"));
      g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
    }
}

/* Checks */

static void
test_check_damaged (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autoptr(GError) error = NULL;

  fill_database (fixture->path, 50);
  g_assert_true (meso_backup_check_file (fixture->path, &error));
  g_assert_no_error (error);

  meso_test_damage_database (fixture->path);
  g_assert_false (meso_backup_check_file (fixture->path, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  assert_error_names (error, fixture->path);
  g_clear_error (&error);

  write_garbage (garbage);
  g_assert_false (meso_backup_check_file (garbage, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  assert_error_names (error, garbage);
  g_assert_nonnull (strstr (error->message, "not a database"));
  g_clear_error (&error);

  g_assert_false (meso_backup_check_file (missing, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  assert_error_names (error, missing);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* The header's checks, quick however large the file, catch what is not a database or is
 * too new; damage deep in a page is left to the full check, which reads every page. */
static void
test_check_header (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
  g_autoptr(GError) error = NULL;
  gboolean latest = FALSE;

  fill_database (fixture->path, 50);
  g_assert_true (meso_backup_check_header (fixture->path, &latest, &error));
  g_assert_no_error (error);
  g_assert_true (latest);

  meso_test_damage_database (fixture->path);
  g_assert_true (meso_backup_check_header (fixture->path, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (meso_backup_check_file (fixture->path, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  g_clear_error (&error);

  write_garbage (garbage);
  g_assert_false (meso_backup_check_header (garbage, NULL, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  assert_error_names (error, garbage);
  g_clear_error (&error);

  g_assert_false (meso_backup_check_header (missing, NULL, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  fill_database (missing, 2);
  make_too_new (missing);
  g_assert_false (meso_backup_check_header (missing, NULL, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW);
  g_clear_error (&error);

  /* An older schema: opening it would migrate, so the app checks it all first. */
  exec_sql (missing, "PRAGMA user_version = 1");
  g_assert_true (meso_backup_check_header (missing, &latest, &error));
  g_assert_false (latest);
}

static void
test_check_too_new (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *listing = NULL;
  g_autofree char *listing_after = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;

  fill_database (fixture->path, 2);
  make_too_new (fixture->path);
  before = meso_test_read_file (fixture->path);
  listing = list_dir (dir);

  g_assert_false (meso_backup_check_file (fixture->path, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW);
  assert_error_names (error, fixture->path);

  assert_same_bytes (fixture->path, before);
  listing_after = list_dir (dir);
  g_assert_cmpstr (listing_after, ==, listing);
}

/* Restoring */

static void
test_restore (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->backups,
                                              "mesocare-20240101-120000.db", NULL);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *expected = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_base = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *expected_listing = NULL;
  g_autofree char *journal_mode = NULL;
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) written = fill_store (store, 0, 3);
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) backup_bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_backup_create (fixture->path, backup, &error));
  g_assert_no_error (error);
  later = fill_store (store, 3, 2);
  g_clear_object (&store);
  before = meso_test_read_file (fixture->path);
  backup_bytes = meso_test_read_file (backup);
  expected = dump_database (backup);

  g_assert_true (meso_backup_restore (backup, fixture->path, &aside, &error));
  g_assert_no_error (error);

  /* The replaced database is kept, as it was, beside the new one. */
  g_assert_nonnull (aside);
  aside_base = g_path_get_basename (aside);
  g_test_message ("kept aside as %s", aside_base);
  g_assert_true (g_str_has_prefix (aside, fixture->path));
  g_assert_true (g_str_has_prefix (aside + strlen (fixture->path), ".replaced-"));
  assert_same_bytes (aside, before);
  assert_mode (aside, 0600);
  listing = list_dir (dir);
  /* With the head of the restored copy's audit log beside it. */
  expected_listing = g_strjoin (" ", "backups", "mesocare.db", "mesocare.db.head", aside_base,
                                NULL);
  g_assert_cmpstr (listing, ==, expected_listing);

  /* The restored one has the backup's content, in WAL mode, 0600. */
  assert_mode (fixture->path, 0600);
  journal_mode = query_text (fixture->path, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  restored = dump_database (fixture->path);
  g_assert_cmpstr (restored, ==, expected);
  read = read_sessions (fixture->path);
  assert_same_as_written (read, written);

  /* The backup itself was only read. */
  assert_same_bytes (backup, backup_bytes);
}

/* The app crashed: its last sessions are in the -wal. Restoring keeps the database and
 * its -wal aside together, so the aside copy still opens with every session. */
static void
test_restore_keeps_wal_aside (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->backups, "before.db", NULL);
  g_autofree char *crashed = g_build_filename (fixture->dir, "crashed", "mesocare.db", NULL);
  g_autofree char *crashed_dir = g_path_get_dirname (crashed);
  g_autofree char *aside = NULL;
  g_autofree char *aside_wal = NULL;
  g_autofree char *crashed_wal = g_strconcat (crashed, "-wal", NULL);
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->path);
  g_autoptr(GPtrArray) first = fill_store (store, 0, 1);
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(GBytes) wal_bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_true (meso_backup_create (fixture->path, backup, &error));
  g_assert_no_error (error);
  last = fill_store (store, 1, 3);
  make_private_dir (crashed_dir);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (fixture->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (crashed, suffixes[i], NULL);

      copy_file (from, to);
    }
  g_clear_object (&store);
  wal_bytes = meso_test_read_file (crashed_wal);
  g_assert_cmpuint (g_bytes_get_size (wal_bytes), >, 0);

  g_assert_true (meso_backup_restore (backup, crashed, &aside, &error));
  g_assert_no_error (error);
  aside_wal = g_strconcat (aside, "-wal", NULL);
  assert_same_bytes (aside_wal, wal_bytes);
  assert_exists (crashed_dir, "mesocare.db-wal", FALSE);
  assert_exists (crashed_dir, "mesocare.db-shm", FALSE);

  read = read_sessions (crashed);
  assert_same_as_written (read, first);
  g_clear_pointer (&read, g_ptr_array_unref);
  g_ptr_array_extend_and_steal (first, g_steal_pointer (&last));
  read = read_sessions (aside);
  assert_same_as_written (read, first);
}

static void
assert_restore_refused (Fixture    *fixture,
                        const char *backup,
                        int         code)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *listing = list_dir (dir);
  g_autofree char *listing_after = NULL;
  g_autofree char *aside = NULL;
  g_autoptr(GBytes) before = meso_test_read_file (fixture->path);
  g_autoptr(GError) error = NULL;

  g_assert_false (meso_backup_restore (backup, fixture->path, &aside, &error));
  g_assert_error (error, MESO_ERROR, code);
  assert_error_names (error, backup);
  g_assert_null (aside);

  assert_same_bytes (fixture->path, before);
  listing_after = list_dir (dir);
  g_assert_cmpstr (listing_after, ==, listing);
}

static void
test_restore_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.db", NULL);
  g_autofree char *too_new = g_build_filename (fixture->dir, "too-new.db", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.db", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);

  fill_database (fixture->path, 4);
  make_backup (fixture, damaged, 50);
  meso_test_damage_database (damaged);
  make_backup (fixture, too_new, 2);
  make_too_new (too_new);
  write_garbage (garbage);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  assert_restore_refused (fixture, garbage, MESO_ERROR_DATABASE_DAMAGED);
  assert_restore_refused (fixture, damaged, MESO_ERROR_DATABASE_DAMAGED);
  assert_restore_refused (fixture, too_new, MESO_ERROR_DATABASE_TOO_NEW);
  assert_restore_refused (fixture, empty, MESO_ERROR_BACKUP);
  assert_restore_refused (fixture, missing, MESO_ERROR_NOT_FOUND);
  assert_restore_refused (fixture, fixture->path, MESO_ERROR_BACKUP);
}

/* The database was lost: restoring puts one back, in a private folder. */
static void
test_restore_missing_database (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "kept", "backup.db", NULL);
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *aside = NULL;
  g_autoptr(GError) error = NULL;

  make_backup (fixture, backup, 3);
  g_assert_true (meso_backup_restore (backup, fixture->path, &aside, &error));
  g_assert_no_error (error);
  g_assert_null (aside);
  assert_mode (dir, 0700);
  assert_mode (fixture->path, 0600);
  g_assert_cmpint (query_int (fixture->path, "SELECT count(*) FROM sessions"), ==, 3);
}

static void
test_find_newest_good (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *names[] = {
    "mesocare-20240101-120000.db", "mesocare-20240102-120000.db",
    "mesocare-20240103-120000.db", "mesocare-20240104-120000.db",
  };
  g_auto(GStrv) paths = g_new0 (char *, G_N_ELEMENTS (names) + 1);
  g_autofree char *unrelated = g_build_filename (fixture->backups, "zzz.db", NULL);
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  found = meso_backup_find_newest_good (fixture->backups, &error);
  g_assert_null (found);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  assert_error_names (error, fixture->backups);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    paths[i] = g_build_filename (fixture->backups, names[i], NULL);
  make_backup (fixture, paths[0], 1);
  make_backup (fixture, paths[1], 2);
  make_backup (fixture, paths[2], 3);
  make_too_new (paths[2]);
  write_garbage (paths[3]);
  make_backup (fixture, unrelated, 5);

  /* The newest is garbage, the next too new: the one before is the newest good one. */
  found = meso_backup_find_newest_good (fixture->backups, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, paths[1]);

  g_unlink (paths[0]);
  g_unlink (paths[1]);
  g_clear_pointer (&found, g_free);
  found = meso_backup_find_newest_good (fixture->backups, &error);
  g_assert_null (found);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  assert_error_names (error, fixture->backups);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/backup/default-dir", test_default_dir);
  ADD ("/backup/create", test_create);
  ADD ("/backup/create-refused", test_create_refused);
  ADD ("/backup/create-refuses-database-files", test_create_refuses_database_files);
  ADD ("/backup/during-writes", test_backup_during_writes);
  ADD ("/backup/daily", test_daily);
  ADD ("/backup/rotate", test_rotate);
  ADD ("/backup/daily-rotates", test_daily_rotates);
  ADD ("/backup/backups-symlink-refused", test_backups_symlink_refused);
  ADD ("/backup/check-damaged", test_check_damaged);
  ADD ("/backup/check-too-new", test_check_too_new);
  ADD ("/backup/check-header", test_check_header);
  ADD ("/backup/restore", test_restore);
  ADD ("/backup/restore-keeps-wal-aside", test_restore_keeps_wal_aside);
  ADD ("/backup/restore-refused", test_restore_refused);
  ADD ("/backup/restore-missing-database", test_restore_missing_database);
  ADD ("/backup/find-newest-good", test_find_newest_good);

#undef ADD
  return g_test_run ();
}
