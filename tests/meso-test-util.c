/* meso-test-util.c: what several test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-test-util.h"
#include "meso-validate.h"

/* ---- Temporary folders ---- */

/* @tmpl as for g_dir_make_tmp(): a name ending in XXXXXX. */
char *
meso_test_make_tmp_dir (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return path;
}

/* Removes @path and everything below it. A link is removed, never followed: tests make
 * links, and what one points to is not theirs to delete. */
void
meso_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      meso_test_remove_tree (child);
    }
  if (g_remove (path) != 0)
    g_test_message ("Cannot remove %s: %s", path, g_strerror (errno));
}

/* The name of one entry of folder @path, or %NULL when it is empty: what a test that
 * wrote nothing left behind. */
char *
meso_test_first_entry (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);

  g_assert_no_error (error);
  return g_strdup (g_dir_read_name (dir));
}

/* Named after the test program, so that a folder left behind says whose it is. */
MesoTestDir *
meso_test_dir_new (void)
{
  g_autofree char *program = g_path_get_basename (g_get_prgname ());
  g_autofree char *tmpl = g_strconcat (program, "-XXXXXX", NULL);
  MesoTestDir *dir = g_new0 (MesoTestDir, 1);

  g_autofree char *file = NULL;

  dir->path = meso_test_make_tmp_dir (tmpl);
  file = g_build_filename (dir->path, "data", "mesocare.db", NULL);
  /* On the postgresql suite, a database of its own on the test server. */
  dir->db = meso_test_db_location_new (file);
  return dir;
}

void
meso_test_dir_free (MesoTestDir *dir)
{
  meso_test_remove_tree (dir->path);
  g_free (dir->path);
  meso_test_db_location_free (dir->db);
  g_free (dir);
}

/* The file @name directly in the folder. */
char *
meso_test_dir_file (const MesoTestDir *dir,
                    const char        *name)
{
  return g_build_filename (dir->path, name, NULL);
}

/* ---- The engine, and a database for each test ---- */

gboolean
meso_test_engine_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("MESOCARE_TEST_ENGINE"), "postgresql") == 0;
}

/* A postgresql test without its server fails, saying why: it never passes on nothing. */
const char *
meso_test_server_uri (void)
{
  const char *uri = g_getenv ("MESOCARE_TEST_SERVER");

  if (uri == NULL || *uri == '\0')
    g_error ("MESOCARE_TEST_SERVER is not set: the postgresql suite needs a server (a "
             "superuser's postgresql:// URI); run it through build-aux/test, which starts "
             "one, or start one with “build-aux/pg-server start DIR”");
  return uri;
}

/* The URI of database @dbname on the server of @server_uri, as @user (NULL: the same
 * user), every other parameter kept. */
char *
meso_test_server_db_uri (const char *server_uri,
                         const char *dbname,
                         const char *user)
{
  PQconninfoOption *options = PQconninfoParse (server_uri, NULL);
  g_autoptr(GString) uri = g_string_new ("postgresql:///");
  gboolean first = TRUE;

  g_assert_nonnull (options);
  g_string_append_uri_escaped (uri, dbname, NULL, FALSE);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *value = g_str_equal (o->keyword, "user") && user != NULL ? user : o->val;

      if (value == NULL || *value == '\0' || g_str_equal (o->keyword, "dbname"))
        continue;
      g_string_append_printf (uri, "%s%s=", first ? "?" : "&", o->keyword);
      g_string_append_uri_escaped (uri, value, NULL, FALSE);
      first = FALSE;
    }
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* The database a postgresql:// location names. */
char *
meso_test_location_db_name (const char *location)
{
  PQconninfoOption *options = PQconninfoParse (location, NULL);
  char *name = NULL;

  g_assert_nonnull (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "dbname"))
      name = g_strdup (o->val);
  PQconninfoFree (options);
  return name;
}

static PGconn *
connect_or_fail (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("Cannot connect to the test server: %s", PQerrorMessage (conn));
  return conn;
}

/* Runs @sql (no values in it but the test's own) on @uri, and fails the test if it fails. */
void
meso_test_pg_run (const char *uri,
                  const char *sql)
{
  PGconn *conn = connect_or_fail (uri);
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

/* Whether @sql went through on @uri (a refusal is an answer, not a failure of the test). */
gboolean
meso_test_pg_try (const char *uri,
                  const char *sql)
{
  PGconn *conn = connect_or_fail (uri);
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK
                || PQresultStatus (result) == PGRES_TUPLES_OK;

  if (!ok)
    g_test_message ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  return ok;
}

/* The first column of the first row of @sql, a count. */
gint64
meso_test_pg_count (const char *uri,
                    const char *sql)
{
  PGconn *conn = connect_or_fail (uri);
  PGresult *result = PQexec (conn, sql);
  gint64 value;

  if (PQresultStatus (result) != PGRES_TUPLES_OK || PQntuples (result) != 1)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (conn);
  return value;
}

/* Every row of @sql, its columns separated by tabs, one row a line (NULL as "(null)"). */
char *
meso_test_pg_rows (const char *uri,
                   const char *sql)
{
  PGconn *conn = connect_or_fail (uri);
  PGresult *result = PQexec (conn, sql);
  GString *rows = g_string_new (NULL);

  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  for (int row = 0; row < PQntuples (result); row++)
    {
      for (int i = 0; i < PQnfields (result); i++)
        g_string_append_printf (rows, "%s%s", i > 0 ? "\t" : "",
                                PQgetisnull (result, row, i) ? "(null)"
                                                             : PQgetvalue (result, row, i));
      g_string_append_c (rows, '\n');
    }
  PQclear (result);
  PQfinish (conn);
  return g_string_free (rows, FALSE);
}

/* PostgreSQL 15 copies a template through its write-ahead log by default, block by block:
 * 0.2 to 0.3 s for an empty database, each test making one or three. The test server
 * runs without fsync, so the copy of the files with a checkpoint (the way before 15) costs
 * a fifth of that, and the database made is the same. */
#define DB_STRATEGY "STRATEGY FILE_COPY"

/* Every row of every table of Mesocare's in the database of @uri, table by table, each
 * table's rows in a fixed order: equal before and after a refused write when nothing was
 * written, in one connection rather than the tool started once per session. */
char *
meso_test_pg_fingerprint (const char *uri)
{
  PGconn *conn = connect_or_fail (uri);
  PGresult *tables = PQexec (conn, "SELECT format ('%I.%I', table_schema, table_name)"
                                   " FROM information_schema.tables"
                                   " WHERE table_type = 'BASE TABLE' AND table_schema"
                                   " NOT IN ('pg_catalog', 'information_schema')"
                                   " ORDER BY 1");
  GString *print = g_string_new (NULL);

  if (PQresultStatus (tables) != PGRES_TUPLES_OK)
    g_error ("the tables of the database: %s", PQerrorMessage (conn));
  for (int i = 0; i < PQntuples (tables); i++)
    {
      const char *table = PQgetvalue (tables, i, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT t::text FROM %s t ORDER BY 1", table);
      PGresult *rows = PQexec (conn, sql);

      if (PQresultStatus (rows) != PGRES_TUPLES_OK)
        g_error ("%s: %s", sql, PQerrorMessage (conn));
      g_string_append_printf (print, "%s: %d rows\n", table, PQntuples (rows));
      for (int row = 0; row < PQntuples (rows); row++)
        g_string_append_printf (print, "%s\n", PQgetvalue (rows, row, 0));
      PQclear (rows);
    }
  PQclear (tables);
  PQfinish (conn);
  return g_string_free (print, FALSE);
}

/* @sqlite_path on SQLite; on PostgreSQL a new, empty database (meso_t_ and random
 * letters) on the test server, given as its URI. */
char *
meso_test_db_location_new (const char *sqlite_path)
{
  g_autofree char *dbname = NULL;
  g_autofree char *create = NULL;

  if (!meso_test_engine_is_postgresql ())
    return g_strdup (sqlite_path);
  dbname = g_strdup_printf ("meso_t_%08x%08x", g_random_int (), g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s " DB_STRATEGY, dbname);
  meso_test_pg_run (meso_test_server_uri (), create);
  return meso_test_server_db_uri (meso_test_server_uri (), dbname, NULL);
}

/* Drops the server's database of @location (its connections ended first); a SQLite file
 * goes with the test's folder. Frees @location. */
void
meso_test_db_location_free (char *location)
{
  g_autofree char *dbname = NULL;
  g_autofree char *drop = NULL;

  if (location == NULL)
    return;
  if (g_str_has_prefix (location, "postgresql://"))
    {
      dbname = meso_test_location_db_name (location);
      drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
      meso_test_pg_run (meso_test_server_uri (), drop);
    }
  g_free (location);
}

gboolean
meso_test_db_location_is_blank (const char *location)
{
  if (!g_str_has_prefix (location, "postgresql://"))
    return !g_file_test (location, G_FILE_TEST_EXISTS);
  return meso_test_pg_count (location,
                             "SELECT count(*) FROM pg_class c"
                             " JOIN pg_namespace n ON n.oid = c.relnamespace"
                             " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
                             " AND n.nspname NOT LIKE 'pg_toast%'") == 0;
}

void
meso_test_db_location_copy (const char *from,
                            const char *to)
{
  g_autofree char *from_name = NULL;
  g_autofree char *to_name = NULL;
  g_autofree char *drop = NULL;
  g_autofree char *create = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_has_prefix (to, "postgresql://"))
    {
      from_name = meso_test_location_db_name (from);
      to_name = meso_test_location_db_name (to);
      drop = g_strdup_printf ("DROP DATABASE %s", to_name);
      /* A template must have no one connected: the stores on it are closed. */
      create = g_strdup_printf ("CREATE DATABASE %s TEMPLATE %s " DB_STRATEGY, to_name,
                                from_name);
      meso_test_pg_run (meso_test_server_uri (), drop);
      meso_test_pg_run (meso_test_server_uri (), create);
      return;
    }
  /* A store closed cleanly has the whole database in its one file. */
  source = g_file_new_for_path (from);
  target = g_file_new_for_path (to);
  parent = g_file_get_parent (target);
  g_file_make_directory_with_parents (parent, NULL, &error);
  g_assert_no_error (error);
  g_file_copy (source, target, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

char *
meso_test_missing_db_location_new (void)
{
  g_autofree char *dbname = g_strdup_printf ("meso_missing_%08x", g_random_int ());

  return meso_test_server_db_uri (meso_test_server_uri (), dbname, NULL);
}

/* ---- Running mesocare-cli ---- */

const char *
meso_test_cli_path (void)
{
  const char *path = g_getenv ("MESOCARE_CLI");

  if (path == NULL || *path == '\0')
    g_error ("MESOCARE_CLI is not set: run this test through “meson test”");
  return path;
}

/* Escaped, so that a newline or a stray byte cannot break the TAP stream. */
void
meso_test_log_text (const char *label,
                    const char *text)
{
  g_autofree char *escaped = g_strescape (text, NULL);

  g_test_message ("%s: %s", label, escaped);
}

/* G_TEST_OPTION_ISOLATE_DIRS gives each test its own folders, but on GLib 2.74 only
 * inside this process: the environment still names the real ones. The children are told
 * them explicitly, so that nothing they do can touch the real home. */
GSubprocessLauncher *
meso_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  return launcher;
}

/* Starts `mesocare-cli --db @db @args...` from @launcher, logging the command; without
 * --db when @db is %NULL. */
GSubprocess *
meso_test_spawn_cli (GSubprocessLauncher *launcher,
                     const char          *db,
                     const char * const  *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_strv_builder_add (builder, meso_test_cli_path ());
  if (db != NULL)
    g_strv_builder_add_many (builder, "--db", db, NULL);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  command = g_strjoinv (" ", argv);
  meso_test_log_text ("run", command);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  return process;
}

/* ---- Stores and sessions ---- */

MesoSession *
meso_test_session_new (const char *patient,
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

MesoStore *
meso_test_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  MesoStore *store = meso_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

gint64
meso_test_save_session (MesoStore   *store,
                        MesoSession *session)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_save_session (store, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_session_get_id (session), >, 0);
  return meso_session_get_id (session);
}

/* The same session, as saved and as read back. */
void
meso_test_assert_sessions_equal (MesoSession *a,
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

/* Session @n (from 1) of writer @tag: durability-writer saves it, test-durability checks
 * it from the id alone, so both must follow this one rule. */
void
meso_test_fill_writer_session (MesoSession *session,
                               const char  *tag,
                               guint64      n)
{
  g_autofree char *patient = g_strdup_printf ("Durability %s %" G_GUINT64_FORMAT, tag, n);

  meso_session_set_patient_name (session, patient);
  meso_session_set_areas (session, (MesoArea) (n % MESO_AREA_ALL + 1));
  meso_session_set_injections (session, (guint) (n % MESO_INJECTIONS_MAX + 1));
  meso_session_set_duration (session, (guint) (n % MESO_DURATION_MAX + 1));
}

/* ---- Files and text ---- */

GBytes *
meso_test_read_file (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

guint
meso_test_count_newlines (const char *text)
{
  guint count = 0;

  for (const char *p = text; *p != '\0'; p++)
    count += (*p == '\n');
  return count;
}

/* ---- Waiting for something to happen ---- */

/* Wakes the loop now and then: the condition is looked at after each iteration, and
 * some (a file another process writes, a row another connection commits) come with no
 * event of their own here. */
#define WAIT_POLL_MS 10

static gboolean
on_wait_poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* A build with the sanitizers runs several times slower (build-aux/test --sanitize sets
 * MESOCARE_TEST_TIMEOUT_SCALE to 3): every deadline stretches with it, as meson's own
 * timeouts do. */
static gint64
timeout_scale (void)
{
  const char *scale = g_getenv ("MESOCARE_TEST_TIMEOUT_SCALE");
  gint64 value = scale != NULL ? g_ascii_strtoll (scale, NULL, 10) : 1;

  return CLAMP (value, 1, 10);
}

/* Iterates the main context, blocking between events, until @condition (@data) holds
 * or @limit_s seconds (times the scale above) have passed. Returns whether it holds. */
gboolean
meso_test_wait_until (MesoTestCondition  condition,
                      gpointer           data,
                      guint              limit_s)
{
  gint64 deadline = g_get_monotonic_time () + limit_s * timeout_scale () * G_USEC_PER_SEC;
  GSource *poll = g_timeout_source_new (WAIT_POLL_MS);
  gboolean holds;

  g_source_set_callback (poll, on_wait_poll_cb, NULL, NULL);
  g_source_attach (poll, NULL);
  while (!(holds = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (poll);
  g_source_unref (poll);
  return holds;
}

/* See meso_test_wait_for(). */
void
meso_test_wait_for_at (const char        *file,
                       int                line,
                       const char        *func,
                       MesoTestCondition  condition,
                       gpointer           data,
                       const char        *what)
{
  g_autofree char *message = NULL;

  if (meso_test_wait_until (condition, data, MESO_TEST_WAIT_LIMIT_S))
    return;
  message = g_strdup_printf ("timed out after %" G_GINT64_FORMAT " s waiting for %s",
                             MESO_TEST_WAIT_LIMIT_S * timeout_scale (), what);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

typedef struct
{
  GInputStream *stream;
  const char   *needle;
  GString      *text;
  gboolean      done;   /* @needle read, or the end of the stream */
} Reading;

static void read_more (Reading *reading);

static void
on_read_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  Reading *reading = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);

  g_assert_no_error (error);
  g_string_append_len (reading->text, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  /* Not a byte more once it is there: what follows is for the caller to read. */
  if (g_bytes_get_size (bytes) == 0 || strstr (reading->text->str, reading->needle) != NULL)
    reading->done = TRUE;
  else
    read_more (reading);
}

static void
read_more (Reading *reading)
{
  g_input_stream_read_bytes_async (reading->stream, 4096, G_PRIORITY_DEFAULT, NULL,
                                   on_read_cb, reading);
}

static gboolean
reading_done (gpointer data)
{
  return ((Reading *) data)->done;
}

/* See meso_test_wait_for_output(). */
char *
meso_test_wait_for_output_at (const char   *file,
                              int           line,
                              const char   *func,
                              GInputStream *pipe,
                              const char   *needle,
                              const char   *what)
{
  Reading reading = { pipe, needle, g_string_new (NULL), FALSE };

  g_assert_nonnull (pipe);
  read_more (&reading);
  meso_test_wait_for_at (file, line, func, reading_done, &reading, what);
  if (strstr (reading.text->str, needle) == NULL)
    {
      g_autofree char *escaped = g_strescape (reading.text->str, NULL);
      g_autofree char *message = g_strdup_printf ("%s: the pipe closed first, after “%s”",
                                                  what, escaped);

      g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
    }
  return g_string_free (reading.text, FALSE);
}

/* @text without the lines of GLib's debug messages (G_MESSAGES_DEBUG): what is left is
 * what the program itself said. */
char *
meso_test_strip_debug_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *kept = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strstr (lines[i], "-DEBUG: ") != NULL)
        continue;
      g_string_append (kept, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (kept, '\n');
    }
  return g_string_free (kept, FALSE);
}

/* ---- Table-driven cases ---- */

/* Adds one test per element of @cases, an array of @n elements of @size bytes each,
 * named @prefix/0, @prefix/1... See MESO_TEST_ADD_NUMBERED_CASES(). */
void
meso_test_add_numbered_cases (const char    *prefix,
                              const void    *cases,
                              gsize          size,
                              gsize          n,
                              GTestDataFunc  func)
{
  for (gsize i = 0; i < n; i++)
    {
      const void *c = (const char *) cases + i * size;
      g_autofree char *path = g_strdup_printf ("%s/%" G_GSIZE_FORMAT, prefix, i);

      g_test_add_data_func (path, c, func);
    }
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
write_at (const char   *path,
          long          offset,
          const guint8 *bytes,
          gsize         size)
{
  FILE *file = fopen (path, "r+b");

  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, offset, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (bytes, 1, size, file), ==, size);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* As a failing disk would: 256 bytes of the index of patient names overwritten in the
 * middle of its page, among its entries (which the page header says reach past the
 * middle). Its header and schema stay readable: only a check of every page finds it.
 * The database must be a single file: closed, nothing left in its -wal. */
void
meso_test_damage_database (const char *path)
{
  int page_size = query_int (path, "PRAGMA page_size");
  int page = query_int (path, "SELECT rootpage FROM sqlite_schema WHERE name = 'patients_by_name'");
  g_autoptr(GBytes) bytes = meso_test_read_file (path);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  long start = (long) (page - 1) * page_size;
  guint8 garbage[256];

  g_assert_cmpint (page, >, 1);
  g_assert_cmpuint (g_bytes_get_size (bytes), >=, (gsize) start + page_size);
  g_assert_cmphex (data[start], ==, 0x0a);  /* a leaf page of an index */
  g_assert_cmpint (data[start + 5] << 8 | data[start + 6], <, page_size / 2);

  memset (garbage, 0xff, sizeof garbage);
  write_at (path, start + page_size / 2, garbage, sizeof garbage);
}

/* ---- Letting a store go ---- */

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
meso_test_drop_store (MesoStore **store)
{
  MesoStore *dropped = g_steal_pointer (store);

  g_object_add_weak_pointer (G_OBJECT (dropped), (gpointer *) &dropped);
  g_object_unref (dropped);
  meso_test_wait_for (is_null, &dropped, "the store to be finalized");
}

/* ---- Another writer holding the lock ---- */

GSubprocess *
meso_test_hold_write_lock (const char *db)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "lock-holder", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;
  GSubprocess *holder;
  /* On a server: psql holds the store's advisory lock (WRITE_LOCK_KEY of
   * postgresql/meso-pg-store.c) until its input closes. */
  static const char hold[] = "SELECT pg_advisory_lock (1299477359);\n\\! echo locked\n";

  if (g_str_has_prefix (db, "postgresql://"))
    {
      holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                 &error, "psql", "-X", "-q", "-d", db, NULL);
      g_assert_no_error (error);
      g_output_stream_write_all (g_subprocess_get_stdin_pipe (holder), hold, strlen (hold),
                                 NULL, NULL, &error);
      g_assert_no_error (error);
    }
  else
    holder = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               &error, program, db, NULL);
  g_assert_no_error (error);
  said = meso_test_wait_for_output (g_subprocess_get_stdout_pipe (holder), "locked",
                                    "another process to hold the write lock");
  return holder;
}

static gboolean
has_exited (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_holder_exited_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* Awaited through the main loop, which the store's answers come back on. */
void
meso_test_release_write_lock (GSubprocess *holder)
{
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;

  g_assert_true (g_output_stream_close (g_subprocess_get_stdin_pipe (holder), NULL, &error));
  g_assert_no_error (error);
  g_subprocess_wait_check_async (holder, NULL, on_holder_exited_cb, &exited);
  meso_test_wait_for (has_exited, &exited, "the process holding the lock to let it go");
}

void
meso_test_drop_store_and_dir (MesoStore **store,
                              char      **dir)
{
  g_autofree char *path = g_strdup (meso_store_get_path (*store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  /* Closed before its files are removed. */
  meso_test_drop_store (store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (*dir);
  g_clear_pointer (dir, g_free);
}
