/* test-cli.c: mesocare-cli end to end, run as a user or a script would run it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-area.h"
#include "meso-settings.h"
#include "meso-sheet.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-validate.h"

/* How many sessions a "seeded" database holds, and an id none of them has. */
#define SEEDED_SESSIONS 3
#define NO_SUCH_SESSION "999"

/* A valid value for each option of `record`, for the cases that break another one. */
#define PATIENT    "--patient", "Ann Lee"
#define AREA       "--area", "face"
#define INJECTIONS "--injections", "40"
#define DURATION   "--duration", "30"

/* In the tables, replaced when the test runs. */
#define OUTPUT_FILE  "@OUTPUT@"   /* the test's sheet.pdf */
#define TOO_LONG     "@TOO_LONG@" /* a name one character over the limit */

/* ---- A fresh folder for each test (a MesoTestDir) ---- */

/* Where `sheet` writes, in the test's folder. */
#define SHEET_FILE "sheet.pdf"

static void
assert_dir_empty (const char *path)
{
  g_autofree char *name = meso_test_first_entry (path);

  if (name != NULL)
    g_test_message ("Left behind in %s: %s", path, name);
  g_assert_null (name);
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 07777;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* ---- Running the tool ---- */

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return g_strdup ("");
  g_assert_null (memchr (data, '\0', size));
  return g_strndup (data, size);
}

/* Starts the tool with `--db @db` (left out when @db is %NULL) and @args, in this test's
 * own folders (see meso_test_launcher_new()). Its stdin is an empty pipe, so nothing can
 * wait for a terminal. */
static GSubprocess *
spawn_cli (const char        *db,
           const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                            | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  return meso_test_spawn_cli (launcher, db, args);
}

/* Waits for @process and returns its exit status. A crash is never an acceptable
 * answer, whatever the input. */
static int
finish_cli (GSubprocess  *process,
            char        **out,
            char        **err)
{
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate (process, no_input, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  *out = bytes_to_string (out_bytes);
  *err = bytes_to_string (err_bytes);
  meso_test_log_text ("stdout", *out);
  meso_test_log_text ("stderr", *err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("exit status: %d", g_subprocess_get_exit_status (process));
  return g_subprocess_get_exit_status (process);
}

/**
 * run_cli_db:
 * @db: (nullable): the database, given as `--db @db` first; %NULL for none
 * @args: the arguments that follow, %NULL-terminated
 * @out: (out): everything written on stdout
 * @err: (out): everything written on stderr
 *
 * Returns: the exit status.
 */
static int
run_cli_db (const char         *db,
            const char *const  *args,
            char              **out,
            char              **err)
{
  g_autoptr(GSubprocess) process = spawn_cli (db, args);

  return finish_cli (process, out, err);
}

/* ---- What the tool prints ---- */

/* Exactly one line: one newline, at the very end. */
static void
assert_one_line (const char *text)
{
  g_assert_true (g_str_has_suffix (text, "\n"));
  g_assert_cmpuint (meso_test_count_newlines (text), ==, 1);
}

/* The output of `record`: a positive id in plain digits, alone on its line. */
static gint64
parse_id_line (const char *out)
{
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  assert_one_line (out);
  line = g_strndup (out, strlen (out) - 1);
  g_assert_true (g_ascii_isdigit (line[0]) && line[0] != '0');
  g_ascii_string_to_signed (line, 10, 1, G_MAXINT64, &id, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
record_ok (const char *db,
           const char *patient,
           const char *areas,
           const char *injections,
           const char *duration)
{
  const char *args[] = {
    "record", "--patient", patient, "--area", areas,
    "--injections", injections, "--duration", duration, NULL
  };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_db (db, args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return parse_id_line (out);
}

/* The lines of `list`, without their newlines. */
static GStrv
list_lines (const char *db)
{
  const char *args[] = { "list", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_db (db, args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  if (*out == '\0')
    return g_new0 (char *, 1);
  g_assert_true (g_str_has_suffix (out, "\n"));
  out[strlen (out) - 1] = '\0';
  return g_strsplit (out, "\n", -1);
}

static GStrv
split_fields (const char *line)
{
  GStrv fields = g_strsplit (line, "\t", -1);

  g_assert_cmpuint (g_strv_length (fields), ==, 6);
  return fields;
}

/* The line of `list` for session @id, which must be there once. */
static char *
find_list_line (const char *db,
                gint64      id)
{
  g_auto(GStrv) lines = list_lines (db);
  g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT "\t", id);
  char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      {
        g_assert_null (found);
        found = g_strdup (lines[i]);
      }
  g_assert_nonnull (found);
  return found;
}

/* ---- The database, read through the core ---- */

static MesoStore *
open_store (const char *db)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_store_open (db, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
count_sessions (const char *db)
{
  g_autoptr(MesoStore) store = open_store (db);
  g_autoptr(GError) error = NULL;
  gint64 count = meso_store_count_sessions (store, &error);

  g_assert_no_error (error);
  return count;
}

static MesoSession *
get_session (const char *db,
             gint64      id)
{
  g_autoptr(MesoStore) store = open_store (db);
  g_autoptr(GError) error = NULL;
  MesoSession *session = meso_store_get_session (store, id, &error);

  g_assert_no_error (error);
  return session;
}

static void
save_session (const char *db,
              const char *patient,
              GDateTime  *performed_at)
{
  g_autoptr(MesoStore) store = open_store (db);
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GError) error = NULL;

  meso_session_set_patient_name (session, patient);
  meso_session_set_areas (session, MESO_AREA_SCALP);
  meso_session_set_injections (session, 50);
  meso_session_set_duration (session, 20);
  meso_session_set_performed_at (session, performed_at);
  meso_store_save_session (store, session, &error);
  g_assert_no_error (error);
}

static void
seed_sessions (const char *db)
{
  for (guint i = 0; i < SEEDED_SESSIONS; i++)
    {
      g_autofree char *patient = g_strdup_printf ("Seeded Patient %u", i + 1);

      save_session (db, patient, NULL);
    }
  g_assert_cmpint (count_sessions (db), ==, SEEDED_SESSIONS);
}

static void
assert_session (MesoSession *session,
                const char  *patient,
                MesoArea     areas,
                guint        injections,
                guint        duration)
{
  g_assert_cmpstr (meso_session_get_patient_name (session), ==, patient);
  g_assert_cmpuint (meso_session_get_areas (session), ==, areas);
  g_assert_cmpuint (meso_session_get_injections (session), ==, injections);
  g_assert_cmpuint (meso_session_get_duration (session), ==, duration);
}

/* Within a few minutes of now: the session is stamped when it is recorded. */
static void
assert_recent (GDateTime *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan age;

  g_assert_nonnull (when);
  age = g_date_time_difference (now, when);
  g_assert_cmpint (age, >=, -G_TIME_SPAN_MINUTE);
  g_assert_cmpint (age, <=, 5 * G_TIME_SPAN_MINUTE);
}

/* ---- record ---- */

static void
test_record_stores_session (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoSession) session = NULL;
  gint64 id;

  id = record_ok (dir->db, "Ann Lee", "neck,face", "120", "45");
  g_assert_cmpint (id, >, 0);

  session = get_session (dir->db, id);
  g_assert_cmpint (meso_session_get_id (session), ==, id);
  assert_session (session, "Ann Lee", MESO_AREA_FACE | MESO_AREA_NECK, 120, 45);
  assert_recent (meso_session_get_performed_at (session));
  g_assert_cmpint (count_sessions (dir->db), ==, 1);
}

typedef struct
{
  const char *path;
  const char *injections;
  const char *duration;
  guint       expected_injections;
  guint       expected_duration;
} BoundaryCase;

static const BoundaryCase boundary_cases[] = {
  { "injections-1",    "1",    "30",  1,    30 },
  { "injections-2000", "2000", "30",  2000, 30 },
  { "duration-1",      "40",   "1",   40,   1 },
  { "duration-480",    "40",   "480", 40,   480 },
};

static void
test_record_boundary (gconstpointer data)
{
  const BoundaryCase *boundary = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoSession) session = NULL;
  gint64 id;

  id = record_ok (dir->db, "Ann Lee", "face", boundary->injections, boundary->duration);
  session = get_session (dir->db, id);
  assert_session (session, "Ann Lee", MESO_AREA_FACE, boundary->expected_injections,
                  boundary->expected_duration);
}

/* Names that a careless tool would break: quoting, SQL, format strings, emoji built
 * with joiners, right-to-left scripts, decomposed accents, bidi controls. */
typedef struct
{
  const char *path;
  const char *name;
  guint       repeat;   /* the name is @name this many times; 0 means once */
} NameCase;

static const NameCase name_cases[] = {
  { "quotes",        "O'Brien \"Doc\" `whoami` $(id) \\ ; |", 0 },
  { "sql",           "Robert'); DROP TABLE sessions;--", 0 },
  { "format",        "%s%n%x%% {0} ${HOME}", 0 },
  { "accents",       "Zoë Ñúñez-Gonçalves Ærøskøbing Łódź", 0 },
  { "decomposed",    "Jose\xcc\x81 Rene\xcc\x81", 0 },
  { "emoji",         "Ana \xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xe2\x9a\x95\xef\xb8\x8f "
                     "Lima \xf0\x9f\x8e\x89", 0 },
  { "arabic",        "محمد عبد الله", 0 },
  { "hebrew",        "דוד לוי", 0 },
  { "mixed-bidi",    "Dr. شريف (דוד) 12", 0 },
  { "bidi-isolates", "Ann \xe2\x81\xa7" "سارة" "\xe2\x81\xa9 Lee", 0 },
  { "dash",          "-rf --db /tmp", 0 },
  { "max-length",    "é", MESO_PATIENT_NAME_MAX_CHARS },
  { "max-length-emoji", "\xf0\x9f\x98\x80", MESO_PATIENT_NAME_MAX_CHARS },
};

static char *
repeat_string (const char *text,
               guint       times)
{
  g_autoptr(GString) result = g_string_new (NULL);

  for (guint i = 0; i < MAX (times, 1); i++)
    g_string_append (result, text);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

static void
test_record_name_round_trip (gconstpointer data)
{
  const NameCase *name_case = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *name = repeat_string (name_case->name, name_case->repeat);
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(MesoSession) session = NULL;
  gint64 id;

  seed_sessions (dir->db);
  id = record_ok (dir->db, name, "face", "40", "30");

  line = find_list_line (dir->db, id);
  fields = split_fields (line);
  g_assert_cmpuint (strlen (fields[2]), ==, strlen (name));
  g_assert_cmpstr (fields[2], ==, name);

  session = get_session (dir->db, id);
  g_assert_cmpstr (meso_session_get_patient_name (session), ==, name);
  g_assert_cmpint (count_sessions (dir->db), ==, SEEDED_SESSIONS + 1);
}

/* Several scripts, or a script and the app, at once: every record succeeds with its own
 * id. */
#define N_CONCURRENT 8

/* With @telling_waits, each says on stderr when it finds the database locked and starts
 * waiting for it. */
static void
spawn_records (const char  *db,
               gboolean     telling_waits,
               GSubprocess *processes[N_CONCURRENT])
{
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher =
        meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_autofree char *patient = g_strdup_printf ("Parallel Patient %u", i);
      const char *args[] = {
        "record", "--patient", patient, AREA, INJECTIONS, DURATION, NULL
      };

      if (telling_waits)
        g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", MESO_TEST_STORE_DEBUG, TRUE);
      processes[i] = meso_test_spawn_cli (launcher, db, args);
    }
}

/* @said: what each has written on stderr already, or %NULL; freed. */
static void
finish_records (GSubprocess *processes[N_CONCURRENT],
                char        *said[N_CONCURRENT])
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autoptr(GSubprocess) process = processes[i];
      g_autofree char *earlier = said != NULL ? said[i] : NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *all_err = NULL;
      g_autofree char *own_err = NULL;
      gint64 *id = g_new (gint64, 1);

      g_assert_cmpint (finish_cli (process, &out, &err), ==, 0);
      all_err = g_strconcat (earlier != NULL ? earlier : "", err, NULL);
      /* Nothing but the waits they were asked to tell. */
      own_err = meso_test_strip_debug_lines (all_err);
      g_assert_cmpstr (own_err, ==, "");
      *id = parse_id_line (out);
      g_assert_true (g_hash_table_add (ids, id));   /* every id is new */
    }
}

static void
test_record_concurrent (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  GSubprocess *processes[N_CONCURRENT];

  seed_sessions (dir->db);
  spawn_records (dir->db, FALSE, processes);
  finish_records (processes, NULL);
  g_assert_cmpint (count_sessions (dir->db), ==, SEEDED_SESSIONS + N_CONCURRENT);
}

/* Creates a database without any table yet and takes its write lock, as a Mesocare
 * starting its first run would just before it creates the tables. */
static sqlite3 *
hold_write_lock (const char *db)
{
  g_autofree char *folder = g_path_get_dirname (db);
  sqlite3 *handle = NULL;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA journal_mode = WAL", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return handle;
}

/* The first run: the records all find a database without its tables, busy for a moment,
 * and must not all try to create them once it is free. The lock is let go only when
 * every one of them has said it waits for it: however slowly they start, they all meet
 * it. */
static void
test_record_concurrent_first_run (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  GSubprocess *processes[N_CONCURRENT];
  char *said[N_CONCURRENT];
  sqlite3 *holder = hold_write_lock (dir->db);

  spawn_records (dir->db, TRUE, processes);
  for (guint i = 0; i < N_CONCURRENT; i++)
    {
      g_autofree char *what = g_strdup_printf ("record %u to wait for the write lock", i);

      said[i] = meso_test_wait_for_output (g_subprocess_get_stderr_pipe (processes[i]),
                                           MESO_TEST_STORE_WAITS, what);
    }
  g_assert_cmpint (sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);

  finish_records (processes, said);
  g_assert_cmpint (count_sessions (dir->db), ==, N_CONCURRENT);
}

/* A failure to store prints no id: the id on stdout means the session is on disk. */
static void
assert_record_fails (const char *db)
{
  const char *args[] = { "record", PATIENT, AREA, INJECTIONS, DURATION, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_db (db, args, &out, &err), !=, 0);
  g_assert_cmpstr (out, ==, "");
  assert_one_line (err);
}

static void
test_record_folder_is_a_file (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (folder, "not a folder", -1, &error);
  g_assert_no_error (error);
  assert_record_fails (dir->db);
}

static void
test_record_not_a_database (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autofree char *junk = repeat_string ("This is not an SQLite database. ", 256);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_file_set_contents (dir->db, junk, -1, &error);
  g_assert_no_error (error);

  assert_record_fails (dir->db);
  after = read_bytes (dir->db);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), junk, strlen (junk));
}

static void
set_user_version (const char *db,
                  int         version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static int
count_rows (const char *db)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int count;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT count(*) FROM sessions", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return count;
}

/* On a server, the version is a row of its own, and "untouched" is every row as it was
 * (the server's files are none of the test's business). */
static void
test_record_newer_schema_server (const char *db,
                                 int         newer)
{
  g_autofree char *set = g_strdup_printf ("UPDATE meso_schema SET version = %d", newer);
  const char *rows = "SELECT (SELECT version FROM meso_schema),"
                     " (SELECT count(*) FROM sessions), (SELECT count(*) FROM audit_log)";
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  meso_test_pg_run (db, set);
  before = meso_test_pg_rows (db, rows);
  assert_record_fails (db);
  after = meso_test_pg_rows (db, rows);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (meso_test_pg_count (db, "SELECT count(*) FROM sessions"), ==,
                   SEEDED_SESSIONS);
}

/* A database from a newer Mesocare is refused, untouched. */
static void
test_record_newer_schema (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  int newer = meso_store_get_latest_schema_version () + 1;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  seed_sessions (dir->db);
  if (meso_test_engine_is_postgresql ())
    {
      test_record_newer_schema_server (dir->db, newer);
      return;
    }
  set_user_version (dir->db, newer);
  before = read_bytes (dir->db);

  assert_record_fails (dir->db);
  after = read_bytes (dir->db);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (count_rows (dir->db), ==, SEEDED_SESSIONS);
}

/* ---- list ---- */

static void
assert_list_line (const char *db,
                  const char *line,
                  gint64      id,
                  const char *patient,
                  const char *areas,
                  const char *injections,
                  const char *duration)
{
  g_auto(GStrv) fields = split_fields (line);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (fields[1], NULL);
  g_autoptr(MesoSession) session = get_session (db, id);

  g_assert_cmpstr (fields[0], ==, id_text);
  g_assert_nonnull (when);
  g_assert_true (g_date_time_equal (when, meso_session_get_performed_at (session)));
  g_assert_cmpstr (fields[2], ==, patient);
  g_assert_cmpstr (fields[3], ==, areas);
  g_assert_cmpstr (fields[4], ==, injections);
  g_assert_cmpstr (fields[5], ==, duration);
}

static void
test_list_newest_first (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_auto(GStrv) lines = NULL;
  gint64 first;
  gint64 second;

  first = record_ok (dir->db, "Ann Lee", "scalp,face", "10", "20");
  second = record_ok (dir->db, "Bob Stone", "arms,neck,face", "2000", "480");
  g_assert_cmpint (second, !=, first);

  lines = list_lines (dir->db);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  assert_list_line (dir->db, lines[0], second, "Bob Stone", "face,neck,arms", "2000", "480");
  assert_list_line (dir->db, lines[1], first, "Ann Lee", "face,scalp", "10", "20");
}

/* Newest means the date of the session, not the order it was typed in: a session of
 * last week entered in the app after this one is listed after it. */
static void
test_list_orders_by_date (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) last_week = g_date_time_add_days (now, -7);
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;
  gint64 today;

  today = record_ok (dir->db, "Ann Lee", "face", "40", "30");
  save_session (dir->db, "Late Entry", last_week);

  lines = list_lines (dir->db);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  assert_list_line (dir->db, lines[0], today, "Ann Lee", "face", "40", "30");
  fields = split_fields (lines[1]);
  g_assert_cmpstr (fields[2], ==, "Late Entry");
}

static void
test_list_all_areas (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *line = NULL;
  gint64 id;

  id = record_ok (dir->db, "Ann Lee",
                  "arms,buttocks,thighs,flanks,abdomen,decolletage,neck,scalp,face", "40", "30");
  line = find_list_line (dir->db, id);
  assert_list_line (dir->db, line, id, "Ann Lee",
                    "face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms",
                    "40", "30");
}

static void
test_list_empty (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  store = meso_store_open (dir->db, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  lines = list_lines (dir->db);
  g_assert_cmpuint (g_strv_length (lines), ==, 0);
}

/* A reader given a wrong path (or a server's database that does not exist) says so, and
 * creates nothing there. */
static void
test_list_missing_database (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *args[] = { "list", NULL };
  g_autofree char *db = meso_test_engine_is_postgresql () ? meso_test_missing_db_location_new ()
                                                         : g_strdup (dir->db);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_db (db, args, &out, &err), !=, 0);
  g_assert_cmpstr (out, ==, "");
  if (meso_test_engine_is_postgresql ())
    {
      g_autofree char *name = meso_test_location_db_name (db);
      g_autofree char *query = g_strdup_printf ("SELECT count(*) FROM pg_database"
                                                " WHERE datname = '%s'", name);

      /* The server's refusal, naming the database, with nothing about trying again. */
      g_assert_nonnull (strstr (err, "refused the connection"));
      g_assert_nonnull (strstr (err, name));
      g_assert_null (strstr (err, "try again"));
      g_assert_cmpint (meso_test_pg_count (meso_test_server_uri (), query), ==, 0);
      return;
    }
  g_assert_nonnull (strstr (err, "Database"));
  g_assert_nonnull (strstr (err, dir->db));
  g_assert_false (g_file_test (dir->db, G_FILE_TEST_EXISTS));
}

/* ---- show ---- */

static void
changed_stub (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  sqlite3_result_null (context);
}

/* Adds an amendment of @field from "a" to "b" to session @id, as a newer Mesocare or
 * someone with sqlite3 or psql could: the database refuses only updates and deletions. */
static void
insert_amendment (const char *db,
                  gint64      id,
                  const char *field)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO amendments (session_id, amended_at, amended_by, reason)"
    " VALUES (%" G_GINT64_FORMAT ", '2024-06-16T10:00:00Z', 'someone', 'by hand');"
    "INSERT INTO amendment_values (amendment_id, field, old_value, new_value)"
    " VALUES (last_insert_rowid (), '%s', 'a', 'b');", id, field);
  sqlite3 *handle = NULL;

  if (meso_test_engine_is_postgresql ())
    {
      g_autofree char *pg_sql = g_strdup_printf (
        "WITH a AS (INSERT INTO amendments (session_id, amended_at, amended_by, reason)"
        " VALUES (%" G_GINT64_FORMAT ", '2024-06-16T10:00:00Z', 'someone', 'by hand')"
        " RETURNING id)"
        " INSERT INTO amendment_values (amendment_id, field, old_value, new_value)"
        " SELECT id, '%s', 'a', 'b' FROM a", id, field);

      meso_test_pg_run (db, pg_sql);
      return;
    }
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  /* The sealed triggers call a function of Mesocare's connection: one that notes nothing
   * stands in for it. */
  sqlite3_create_function (handle, "meso_changed", 2, SQLITE_UTF8, NULL, changed_stub, NULL,
                           NULL);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

typedef struct
{
  const char *path;
  const char *field;   /* as stored in amendment_values */
  const char *change;  /* the end of the line `show` prints for it */
} ShowCase;

static const ShowCase show_cases[] = {
  /* A field this build does not know. */
  { "unknown-field", "colour", "colour (unknown field): “a” → “b”\n" },
  /* A field that is no field of a session. */
  { "not-a-session-field", "reason", "Reason: “a” → “b”\n" },
};

/* Whatever an amendment names, `show` prints the session and the change. */
static void
test_show_amendment (gconstpointer data)
{
  const ShowCase *show = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *id_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 id;

  id = record_ok (dir->db, "Ann Lee", "face", "40", "30");
  insert_amendment (dir->db, id, show->field);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (run_cli_db (dir->db, (const char *[]) { "show", id_text, NULL }, &out, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "Patient: Ann Lee\n"));
  g_assert_nonnull (strstr (out, "Injections: 40\n"));
  g_assert_nonnull (strstr (out, "2024-06-16T10:00:00Z, someone: by hand\n"));
  g_assert_true (g_str_has_suffix (out, show->change));
}

/* ---- sheet ---- */

static char *
pdf_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  PopplerDocument *document;

  g_assert_no_error (error);
  document = poppler_document_new_from_file (uri, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (poppler_document_get_n_pages (document), >=, 1);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_string_append_c (text, '\n');
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_sheet_writes_pdf (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *output = meso_test_dir_file (dir, SHEET_FILE);
  gint64 id = record_ok (dir->db, "Zoë Marchetti", "face,neck", "80", "40");
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *args[] = { "sheet", id_text, "--output", output, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  /* With no clinic set, written all the same, with a warning (test-cli-clinic.c). */
  g_assert_cmpint (run_cli_db (dir->db, args, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (err, "mesocare-cli: warning: the clinic has no name"));

  g_file_get_contents (output, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (file_mode (output) & 077, ==, 0);

  text = pdf_text (output);
  meso_test_log_text ("sheet text", text);
  g_assert_nonnull (strstr (text, "Zoë Marchetti"));
}

/* The module draws with the very renderer the app links: the same sheet, byte for byte,
 * as the library makes in process from the same records and settings. */
static void
test_sheet_same_as_library (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *output = meso_test_dir_file (dir, SHEET_FILE);
  gint64 id = record_ok (dir->db, "Zoë Marchetti", "scalp,face", "120", "35");
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *args[] = { "sheet", id_text, "--output", output, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(MesoAdjustments) adjustments = NULL;
  g_autoptr(MesoRules) rules = NULL;
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL;

  g_assert_cmpint (run_cli_db (dir->db, args, &out, &err), ==, 0);
  written = read_bytes (output);

  store = open_store (dir->db);
  session = meso_store_get_session (store, id, &error);
  g_assert_no_error (error);
  clinic = meso_store_get_clinic (store, &error);
  g_assert_no_error (error);
  adjustments = meso_store_get_adjustments (store, id, &error);
  g_assert_no_error (error);
  rules = meso_rules_new_default (&error);
  g_assert_no_error (error);
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_paper (sheet, meso_settings_get_paper (settings));
  meso_sheet_set_adjustments (sheet, adjustments);
  fingerprint = meso_store_get_fingerprint (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fingerprint);
  meso_sheet_set_fingerprint (sheet, fingerprint);
  expected = meso_sheet_render_pdf (sheet, &error);
  g_assert_no_error (error);

  g_assert_true (g_bytes_equal (written, expected));
}

/* The code a sheet prints names its session's entry, on a file (its mac) and on a
 * server (its hash) alike: `check --fingerprint` finds it, and tells a sheet made out of
 * date by an amendment. */
static void
test_check_fingerprint (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  gint64 id = record_ok (dir->db, "Zoë Marchetti", "scalp", "80", "30");
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *session_text = g_strdup_printf ("session %" G_GINT64_FORMAT, id);
  const char *amend[] = { "amend", id_text, "--injections", "82", "--reason", "Recounted",
                          NULL };
  g_autoptr(MesoStore) store = open_store (dir->db);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = meso_store_get_fingerprint (store, id, &error);
  char *out = NULL, *err = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (code);
  g_assert_cmpint (strlen (code), ==, 9);
  g_assert_cmpint (code[4], ==, '-');
  g_clear_object (&store);

  g_assert_cmpint (run_cli_db (dir->db, (const char *[]) { "check", "--fingerprint", code, NULL },
                               &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, session_text));
  g_assert_nonnull (strstr (out, "still matches"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli_db (dir->db, amend, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli_db (dir->db, (const char *[]) { "check", "--fingerprint", code, NULL },
                               &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "has changed since"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli_db (dir->db, (const char *[]) { "check", "--fingerprint",
                                                           "0000-0000", NULL },
                               &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "no entry of the audit log has the fingerprint"));
  g_free (out);
  g_free (err);
}

/* ---- What the tool loads ---- */

/* Only `sheet` draws: the other commands start without Cairo, Pango and the libraries
 * under them, whose loading was a quarter of a short command's time. The dynamic loader
 * lists what the tool needs at start, as ldd does, without running it. */
static void
test_loads_no_renderer (void)
{
  static const char * const drawing[] = {
    "libcairo", "libpango", "libfontconfig", "libfreetype", "libharfbuzz", "libX11",
  };
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "LD_TRACE_LOADED_OBJECTS", "1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, meso_test_cli_path (), "--version",
                                         NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  meso_test_log_text ("libraries", out);
  g_assert_true (g_subprocess_get_successful (process));
  g_assert_nonnull (strstr (out, "libglib-2.0"));
  for (guint i = 0; i < G_N_ELEMENTS (drawing); i++)
    g_assert_null (strstr (out, drawing[i]));
}

/* ---- The app's database, without --db ---- */

static void
test_default_database (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "mesocare", NULL);
  g_autofree char *db = g_build_filename (folder, "mesocare.db", NULL);
  g_autoptr(MesoSession) session = NULL;
  g_autofree char *line = NULL;
  gint64 id;

  /* This test's own folder (see meso_test_launcher_new()), never the real home. */
  g_assert_true (g_str_has_prefix (folder, g_get_tmp_dir ()));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  id = record_ok (NULL, "Ann Lee", "face", "40", "30");
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (file_mode (folder), ==, 0700);
  g_assert_cmpuint (file_mode (db), ==, 0600);

  session = get_session (db, id);
  assert_session (session, "Ann Lee", MESO_AREA_FACE, 40, 30);
  line = find_list_line (NULL, id);
  g_assert_true (g_str_has_suffix (line, "\tAnn Lee\tface\t40\t30"));
}

/* ---- Bad input ---- */

typedef struct
{
  const char *path;
  const char *args[14];   /* after --db PATH */
  const char *word;       /* what the one line on stderr must name */
  const char *word_fresh; /* the same, when there is no database file yet (NULL: @word) */
} BadCase;

static const BadCase bad_cases[] = {
  /* Patient */
  { "patient/empty", { "record", "--patient", "", AREA, INJECTIONS, DURATION }, "Patient" },
  { "patient/blank", { "record", "--patient", " \t  ", AREA, INJECTIONS, DURATION }, "Patient" },
  { "patient/too-long", { "record", "--patient", TOO_LONG, AREA, INJECTIONS, DURATION },
    "Patient" },
  { "patient/newline", { "record", "--patient", "Ann\nLee", AREA, INJECTIONS, DURATION },
    "Patient" },
  { "patient/tab", { "record", "--patient", "Ann\tLee", AREA, INJECTIONS, DURATION },
    "Patient" },
  { "patient/carriage-return", { "record", "--patient", "Ann\rLee", AREA, INJECTIONS,
                                 DURATION }, "Patient" },
  { "patient/escape", { "record", "--patient", "Ann\x1b[2JLee", AREA, INJECTIONS, DURATION },
    "Patient" },
  { "patient/invalid-utf8", { "record", "--patient", "Ann \xff\xfe", AREA, INJECTIONS,
                              DURATION }, "Patient" },
  { "patient/missing", { "record", AREA, INJECTIONS, DURATION }, "Patient" },
  /* Area */
  { "area/unknown", { "record", PATIENT, "--area", "elbow", INJECTIONS, DURATION }, "Area" },
  { "area/unknown-in-list", { "record", PATIENT, "--area", "face,elbow", INJECTIONS,
                              DURATION }, "Area" },
  { "area/wrong-case", { "record", PATIENT, "--area", "Face", INJECTIONS, DURATION }, "Area" },
  { "area/empty", { "record", PATIENT, "--area", "", INJECTIONS, DURATION }, "Area" },
  { "area/trailing-comma", { "record", PATIENT, "--area", "face,", INJECTIONS, DURATION },
    "Area" },
  { "area/leading-comma", { "record", PATIENT, "--area", ",face", INJECTIONS, DURATION },
    "Area" },
  { "area/empty-item", { "record", PATIENT, "--area", "face,,neck", INJECTIONS, DURATION },
    "Area" },
  { "area/invalid-utf8", { "record", PATIENT, "--area", "face,\xff", INJECTIONS, DURATION },
    "Area" },
  { "area/missing", { "record", PATIENT, INJECTIONS, DURATION }, "Area" },
  /* Injections */
  { "injections/zero", { "record", PATIENT, AREA, "--injections", "0", DURATION },
    "Injections" },
  { "injections/2001", { "record", PATIENT, AREA, "--injections", "2001", DURATION },
    "Injections" },
  { "injections/letters", { "record", PATIENT, AREA, "--injections", "abc", DURATION },
    "Injections" },
  { "injections/negative", { "record", PATIENT, AREA, "--injections", "-5", DURATION },
    "Injections" },
  { "injections/negative-joined", { "record", PATIENT, AREA, "--injections=-5", DURATION },
    "Injections" },
  { "injections/fraction", { "record", PATIENT, AREA, "--injections", "1.5", DURATION },
    "Injections" },
  { "injections/huge", { "record", PATIENT, AREA, "--injections", "99999999999999999999",
                         DURATION }, "Injections" },
  { "injections/wraps-to-40", { "record", PATIENT, AREA, "--injections", "4294967336",
                                DURATION }, "Injections" },
  { "injections/hex", { "record", PATIENT, AREA, "--injections", "0x10", DURATION },
    "Injections" },
  { "injections/exponent", { "record", PATIENT, AREA, "--injections", "1e3", DURATION },
    "Injections" },
  { "injections/empty", { "record", PATIENT, AREA, "--injections", "", DURATION },
    "Injections" },
  { "injections/missing", { "record", PATIENT, AREA, DURATION }, "Injections" },
  /* Duration */
  { "duration/zero", { "record", PATIENT, AREA, INJECTIONS, "--duration", "0" }, "Duration" },
  { "duration/481", { "record", PATIENT, AREA, INJECTIONS, "--duration", "481" }, "Duration" },
  { "duration/letters", { "record", PATIENT, AREA, INJECTIONS, "--duration", "x" },
    "Duration" },
  { "duration/negative", { "record", PATIENT, AREA, INJECTIONS, "--duration=-1" },
    "Duration" },
  { "duration/fraction", { "record", PATIENT, AREA, INJECTIONS, "--duration", "2.5" },
    "Duration" },
  { "duration/unit", { "record", PATIENT, AREA, INJECTIONS, "--duration", "30min" },
    "Duration" },
  { "duration/huge", { "record", PATIENT, AREA, INJECTIONS, "--duration",
                       "99999999999999999999" }, "Duration" },
  { "duration/missing", { "record", PATIENT, AREA, INJECTIONS }, "Duration" },
  /* The command line itself */
  { "record/unknown-option", { "record", PATIENT, AREA, INJECTIONS, DURATION, "--frobnicate" },
    "--frobnicate" },
  { "record/extra-argument", { "record", PATIENT, AREA, INJECTIONS, DURATION, "surplus" },
    "surplus" },
  { "global/unknown-option", { "--frobnicate", "list" }, "--frobnicate" },
  { "global/unknown-command", { "frobnicate" }, "frobnicate" },
  { "global/no-command", { NULL }, "command" },
  { "list/extra-argument", { "list", "surplus" }, "surplus" },
  /* sheet */
  { "sheet/id-letters", { "sheet", "abc", "--output", OUTPUT_FILE }, "Session" },
  { "sheet/id-zero", { "sheet", "0", "--output", OUTPUT_FILE }, "Session" },
  { "sheet/id-fraction", { "sheet", "1.5", "--output", OUTPUT_FILE }, "Session" },
  { "sheet/id-huge", { "sheet", "99999999999999999999", "--output", OUTPUT_FILE }, "Session" },
  { "sheet/id-unknown", { "sheet", NO_SUCH_SESSION, "--output", OUTPUT_FILE }, "Session",
    "Database" },
  { "sheet/id-missing", { "sheet", "--output", OUTPUT_FILE }, "session" },
  { "sheet/output-missing", { "sheet", "1" }, "Output" },
  { "sheet/output-empty", { "sheet", "1", "--output", "" }, "Output" },
  { "sheet/extra-argument", { "sheet", "1", "surplus", "--output", OUTPUT_FILE }, "surplus" },
};

static char *
expand_arg (const char        *arg,
            const MesoTestDir *dir)
{
  if (g_str_equal (arg, OUTPUT_FILE))
    return meso_test_dir_file (dir, SHEET_FILE);
  if (g_str_equal (arg, TOO_LONG))
    return repeat_string ("é", MESO_PATIENT_NAME_MAX_CHARS + 1);
  return g_strdup (arg);
}

/* Runs @bad and checks what every bad input must give: a failure, nothing on stdout,
 * one line on stderr that names the field, and no sheet. */
static void
run_bad_case (const BadCase     *bad,
              const MesoTestDir *dir,
              const char        *word)
{
  g_autofree char *output = meso_test_dir_file (dir, SHEET_FILE);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  for (guint i = 0; bad->args[i] != NULL; i++)
    {
      g_autofree char *arg = expand_arg (bad->args[i], dir);

      g_strv_builder_add (builder, arg);
    }
  args = g_strv_builder_end (builder);

  g_assert_cmpint (run_cli_db (dir->db, (const char *const *) args, &out, &err), !=, 0);
  g_assert_cmpstr (out, ==, "");
  assert_one_line (err);
  if (strstr (err, word) == NULL)
    g_test_message ("The message does not name “%s”", word);
  g_assert_nonnull (strstr (err, word));
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* Without a database: none is created, not even its folder (on a server: not a table in
 * the empty database). */
static void
test_bad_input_fresh (gconstpointer data)
{
  const BadCase *bad = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();

  /* A server's empty database is a new clinic, not a wrong path: no word of its own. */
  run_bad_case (bad, dir, bad->word_fresh != NULL && !meso_test_engine_is_postgresql ()
                          ? bad->word_fresh : bad->word);
  assert_dir_empty (dir->path);
  /* Refused before the database was opened, it is left as it was; a case that only the
   * database can answer (@word_fresh) opens it, and an empty one on a server is set up. */
  if (bad->word_fresh == NULL)
    g_assert_true (meso_test_db_location_is_blank (dir->db));
}

/* With a database: it keeps the sessions it had, no more. */
static void
test_bad_input_seeded (gconstpointer data)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();

  const BadCase *bad = data;

  seed_sessions (dir->db);
  run_bad_case (bad, dir, bad->word);
  g_assert_cmpint (count_sessions (dir->db), ==, SEEDED_SESSIONS);
}

/* ---- --help and --version ---- */

typedef struct
{
  const char *path;
  const char *args[4];   /* after --db PATH */
  const char *word;      /* what the help must mention besides "Usage" */
} HelpCase;

static const HelpCase help_cases[] = {
  { "global",       { "--help" },           "record" },
  { "global-short", { "-h" },               "sheet" },
  { "record",       { "record", "--help" }, "--patient" },
  { "sheet",        { "sheet", "--help" },  "--output" },
  { "list",         { "list", "--help" },   "list" },
};

static void
test_help (gconstpointer data)
{
  const HelpCase *help = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_db (dir->db, help->args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "Usage"));
  g_assert_nonnull (strstr (out, help->word));
  assert_dir_empty (dir->path);
}

static void
test_version (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_db (dir->db, args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "mesocare-cli " PACKAGE_VERSION "\n");
  g_assert_true (g_regex_match_simple ("^mesocare-cli [0-9]+\\.[0-9]+\\.[0-9]+\n$", out, 0, 0));
  assert_dir_empty (dir->path);
}

/* ---- Registration ---- */

static void
add_bad_input_tests (void)
{
  MESO_TEST_ADD_NAMED_CASES ("/cli/bad-input/fresh/", bad_cases, test_bad_input_fresh);
  MESO_TEST_ADD_NAMED_CASES ("/cli/bad-input/seeded/", bad_cases, test_bad_input_seeded);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/record/stores-session", test_record_stores_session);
  MESO_TEST_ADD_NAMED_CASES ("/cli/record/boundary/", boundary_cases, test_record_boundary);
  MESO_TEST_ADD_NAMED_CASES ("/cli/record/name-round-trip/", name_cases,
                             test_record_name_round_trip);
  g_test_add_func ("/cli/record/concurrent/existing-database", test_record_concurrent);
  g_test_add_func ("/cli/record/newer-schema", test_record_newer_schema);
  g_test_add_func ("/cli/list/newest-first", test_list_newest_first);
  g_test_add_func ("/cli/list/orders-by-date", test_list_orders_by_date);
  g_test_add_func ("/cli/list/all-areas", test_list_all_areas);
  g_test_add_func ("/cli/list/empty", test_list_empty);
  g_test_add_func ("/cli/list/missing-database", test_list_missing_database);
  MESO_TEST_ADD_NAMED_CASES ("/cli/show/amendment/", show_cases, test_show_amendment);
  g_test_add_func ("/cli/sheet/writes-pdf", test_sheet_writes_pdf);
  add_bad_input_tests ();
  MESO_TEST_ADD_NAMED_CASES ("/cli/help/", help_cases, test_help);
  g_test_add_func ("/cli/version", test_version);

  /* About the SQLite file itself (its write lock, a folder or a file where it should be,
   * the app's default file when --db is left out), and what loads before any database:
   * once, on SQLite. */
  if (!meso_test_engine_is_postgresql ())
    {
      g_test_add_func ("/cli/record/concurrent/first-run", test_record_concurrent_first_run);
      g_test_add_func ("/cli/record/folder-is-a-file", test_record_folder_is_a_file);
      g_test_add_func ("/cli/record/not-a-database", test_record_not_a_database);
      g_test_add_func ("/cli/loads-no-renderer", test_loads_no_renderer);
      g_test_add_func ("/cli/default-database", test_default_database);
    }
  g_test_add_func ("/cli/sheet/same-as-library", test_sheet_same_as_library);
  g_test_add_func ("/cli/check/fingerprint", test_check_fingerprint);

  return g_test_run ();
}
