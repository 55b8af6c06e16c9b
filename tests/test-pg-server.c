/* test-pg-server.c: what only a clinic server has: several workstations writing at once,
 * an amendment racing a void, the server going away in the middle of a save, the
 * application's role that cannot rewrite a record, and a chair's save seen at the desk
 *
 * Registered in the postgresql suite only (MESOCARE_TEST_SERVER: a superuser's URI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <string.h>

#include "meso-error.h"
#include "meso-test-util.h"

/* The store's write lock (postgresql/meso-pg-store.c: WRITE_LOCK_KEY). */
#define WRITE_LOCK_KEY "1299477359"

typedef struct
{
  char      *dir;
  char      *location;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = meso_test_make_tmp_dir ("mesocare-pg-XXXXXX");
  /* A private server's folder goes inside: the server's own user (postgres, when the
   * tests run as root) must be able to reach it. */
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  fixture->location = meso_test_db_location_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_db_location_free (fixture->location);
  meso_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static MesoSession *
new_session (const char *patient)
{
  return meso_test_session_new (patient, MESO_AREA_FACE, 20, 15);
}

/* ---- Holding the store's write lock from another connection ---- */

static PGconn *
hold_write_lock (const char *uri)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, "SELECT pg_advisory_lock (" WRITE_LOCK_KEY ")");
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  PQclear (result);
  return conn;
}

static void
release_write_lock (PGconn *conn)
{
  PGresult *result = PQexec (conn, "SELECT pg_advisory_unlock (" WRITE_LOCK_KEY ")");

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  PQclear (result);
  PQfinish (conn);
}

typedef struct
{
  const char *uri;
  gint64      waiters;
} Waiters;

/* Whether @data's count of connections wait for the write lock. */
static gboolean
lock_waiters_reached (gpointer data)
{
  Waiters *waiters = data;

  return meso_test_pg_count (waiters->uri, "SELECT count(*) FROM pg_locks WHERE"
                                           " locktype = 'advisory' AND NOT granted")
         >= waiters->waiters;
}

static void
wait_for_lock_waiters (const char *uri,
                       gint64      n)
{
  Waiters waiters = { uri, n };

  meso_test_wait_for (lock_waiters_reached, &waiters, "the writers to wait for the lock");
}

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
is_nonnull (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  meso_test_wait_for (is_nonnull, result, "the store's answer");
  return *result;
}

/* ---- Two workstations saving at once ---- */

static GSubprocess *
start_writer (const char *uri,
              const char *tag)
{
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "pg-writer", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                           | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                           writer, uri, tag, "1000", NULL);

  g_assert_no_error (error);
  g_free (meso_test_wait_for_output (g_subprocess_get_stdout_pipe (process), "ready\n",
                                     "the writer to connect"));
  return process;
}

static void
go (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), "go\n", 3, NULL, NULL,
                             &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
}

static void
on_exited_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Two processes save 1,000 sessions each on one server at the same time: all 2,000 are
 * there, and the audit chain they appended to together is whole. */
static void
test_concurrent_writers (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->location);
  g_autoptr(GSubprocess) chair = start_writer (fixture->location, "Chair");
  g_autoptr(GSubprocess) desk = start_writer (fixture->location, "Desk");
  g_autoptr(GError) error = NULL;
  gint64 first_broken = -1;
  gboolean chair_done = FALSE, desk_done = FALSE;

  go (chair);
  go (desk);
  g_subprocess_wait_async (chair, NULL, on_exited_cb, &chair_done);
  g_subprocess_wait_async (desk, NULL, on_exited_cb, &desk_done);
  /* Generous: 2,000 transactions on a loaded machine. */
  g_assert_true (meso_test_wait_until (is_true, &chair_done, 500));
  g_assert_true (meso_test_wait_until (is_true, &desk_done, 500));
  g_assert_true (g_subprocess_get_successful (chair));
  g_assert_true (g_subprocess_get_successful (desk));

  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 2000);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM sessions"
                                                          " WHERE created_by IS NOT NULL"),
                   ==, 2000);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM audit_log"),
                   ==, 2000);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT max(seq) FROM audit_log"),
                   ==, 2000);
  g_assert_true (meso_store_check_chain (store, &first_broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_broken, ==, 0);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

/* ---- An amendment racing a void ---- */

/* The desk voids a session while the chair amends it: both wait for the write lock; the
 * void, first in line, wins; the amendment is refused as a conflict that names the
 * session and says it was voided, and writes nothing. */
static void
test_amend_races_void (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MesoStore) chair = meso_test_open_store (fixture->location);
  g_autoptr(MesoStore) desk = meso_test_open_store (fixture->location);
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GAsyncResult) void_result = NULL;
  g_autoptr(GAsyncResult) amend_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  PGconn *holder;

  meso_test_save_session (chair, session);
  id = g_strdup_printf ("session %" G_GINT64_FORMAT, meso_session_get_id (session));
  amended = meso_store_get_session (chair, meso_session_get_id (session), &error);
  g_assert_no_error (error);
  meso_session_set_injections (amended, 25);

  holder = hold_write_lock (fixture->location);
  meso_store_void_session_async (desk, meso_session_get_id (session), "Wrong patient", NULL,
                                 on_result_cb, &void_result);
  wait_for_lock_waiters (fixture->location, 1);
  meso_store_amend_session_async (chair, amended, "Miscounted", NULL, on_result_cb,
                                  &amend_result);
  wait_for_lock_waiters (fixture->location, 2);
  release_write_lock (holder);

  g_assert_true (meso_store_void_session_finish (desk, wait_for_result (&void_result),
                                                 &error));
  g_assert_no_error (error);
  g_assert_false (meso_store_amend_session_finish (chair, wait_for_result (&amend_result),
                                                   &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, id));
  g_assert_nonnull (strstr (error->message, "voided"));
  g_clear_error (&error);

  /* Nothing of the amendment: the void alone, after the session. */
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM amendments"),
                   ==, 0);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM audit_log"),
                   ==, 2);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT injections FROM"
                                                          " session_current"), ==, 20);
  g_assert_true (meso_store_check (chair, &error));
  g_assert_no_error (error);
}

/* ---- Two amendments racing from copies read alike ---- */

/* The chair and the desk open the same session and both amend it, the chair its count,
 * the desk its duration; both wait for the write lock, the chair first in line. The
 * chair's goes through; the desk's copy no longer holds the stored values, and it is
 * refused as a conflict naming the session and the chair, writing nothing. Without the
 * check under the lock, both would pass and the desk's would take the chair's back. */
static void
test_amend_races_amend (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MesoStore) chair = meso_test_open_store (fixture->location);
  g_autoptr(MesoStore) desk = meso_test_open_store (fixture->location);
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(MesoSession) at_chair = NULL;
  g_autoptr(MesoSession) at_desk = NULL;
  g_autoptr(GAsyncResult) chair_result = NULL;
  g_autoptr(GAsyncResult) desk_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  PGconn *holder;

  meso_store_set_user (chair, "chair");
  meso_store_set_user (desk, "desk");
  meso_test_save_session (chair, session);
  id = g_strdup_printf ("session %" G_GINT64_FORMAT " ", meso_session_get_id (session));
  at_chair = meso_store_get_session (chair, meso_session_get_id (session), &error);
  g_assert_no_error (error);
  at_desk = meso_store_get_session (desk, meso_session_get_id (session), &error);
  g_assert_no_error (error);
  meso_session_set_injections (at_chair, 25);
  g_assert_true (meso_session_set_field_text (at_desk, MESO_FIELD_DURATION, "30", NULL));

  holder = hold_write_lock (fixture->location);
  meso_store_amend_session_async (chair, at_chair, "Miscounted", NULL, on_result_cb,
                                  &chair_result);
  wait_for_lock_waiters (fixture->location, 1);
  meso_store_amend_session_async (desk, at_desk, "Timer", NULL, on_result_cb, &desk_result);
  wait_for_lock_waiters (fixture->location, 2);
  release_write_lock (holder);

  g_assert_true (meso_store_amend_session_finish (chair, wait_for_result (&chair_result),
                                                  &error));
  g_assert_no_error (error);
  g_assert_false (meso_store_amend_session_finish (desk, wait_for_result (&desk_result),
                                                   &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_CONFLICT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, id));
  g_assert_nonnull (strstr (error->message, "amended by chair"));
  g_clear_error (&error);

  /* The chair's amendment alone. */
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM amendments"),
                   ==, 1);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM audit_log"
                                                          " WHERE action = 'amend'"), ==, 1);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT injections FROM"
                                                          " session_current"), ==, 25);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT duration_minutes FROM"
                                                          " session_current"), ==, 15);
  g_assert_true (meso_store_check (chair, &error));
  g_assert_no_error (error);
}

/* mesocare-cli amend reads the session, then waits for the write lock behind the chair's
 * amendment: what it read is then older than what is stored, and it refuses, in one
 * line, with the status of its other refusals, writing nothing. */
static void
test_cli_amend_refused_when_stale (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(MesoStore) chair = meso_test_open_store (fixture->location);
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(MesoSession) at_chair = NULL;
  g_autoptr(GAsyncResult) chair_result = NULL;
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *named = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  PGconn *holder;

  meso_store_set_user (chair, "chair");
  meso_test_save_session (chair, session);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (session));
  named = g_strdup_printf ("session %s was amended by chair", id);
  at_chair = meso_store_get_session (chair, meso_session_get_id (session), &error);
  g_assert_no_error (error);
  meso_session_set_injections (at_chair, 25);

  holder = hold_write_lock (fixture->location);
  meso_store_amend_session_async (chair, at_chair, "Miscounted", NULL, on_result_cb,
                                  &chair_result);
  wait_for_lock_waiters (fixture->location, 1);
  cli = meso_test_spawn_cli (launcher, fixture->location,
                             (const char *[]) { "amend", id, "--duration", "30", "--reason",
                                                "Timer", NULL });
  wait_for_lock_waiters (fixture->location, 2);
  release_write_lock (holder);

  g_assert_true (meso_store_amend_session_finish (chair, wait_for_result (&chair_result),
                                                  &error));
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (cli, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (cli));
  g_assert_cmpint (g_subprocess_get_exit_status (cli), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (meso_test_count_newlines (err), ==, 1);
  g_assert_nonnull (strstr (err, named));

  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM amendments"),
                   ==, 1);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT duration_minutes FROM"
                                                          " session_current"), ==, 15);
}

/* ---- The server going away ---- */

static const char *
server_script (void)
{
  const char *script = g_getenv ("MESOCARE_PG_SERVER_SCRIPT");

  if (script == NULL || *script == '\0')
    g_error ("MESOCARE_PG_SERVER_SCRIPT is not set: run this test through “meson test”");
  return script;
}

static char *
run_server_script (const char *action,
                   const char *dir)
{
  const char *argv[] = { server_script (), action, dir, NULL };
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg-server %s failed: %s", action, err);
  return g_strstrip (out);
}

/* A save waiting in its transaction when the server stops: the save says the server
 * cannot be reached, nothing of it is on the server, and the same save succeeds once the
 * server is back, on the same store, which connected again by itself. */
static void
test_server_stopped_during_save (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *server_dir = g_build_filename (fixture->dir, "server", NULL);
  g_autofree char *server = run_server_script ("start", server_dir);
  g_autofree char *uri = meso_test_server_db_uri (server, "clinic", NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) first = new_session ("Ann Smith");
  g_autoptr(MesoSession) session = new_session ("Bea Jones");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_path_get_basename (server_dir);
  PGconn *holder;

  meso_test_pg_run (server, "CREATE DATABASE clinic");
  store = meso_test_open_store (uri);
  meso_test_save_session (store, first);

  /* The save starts its transaction, then waits for the lock another connection holds. */
  holder = hold_write_lock (uri);
  meso_store_save_session_async (store, session, NULL, on_result_cb, &result);
  wait_for_lock_waiters (uri, 1);
  g_free (run_server_script ("stop", server_dir));
  PQfinish (holder);

  g_assert_false (meso_store_save_session_finish (store, wait_for_result (&result), &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The clinic server at "));
  g_assert_nonnull (strstr (error->message, host));
  g_assert_cmpint (meso_session_get_id (session), ==, 0);
  g_clear_error (&error);
  g_clear_object (&result);

  /* While it is down, the next call says the same. */
  g_assert_cmpint (meso_store_count_sessions (store, &error), ==, -1);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE);
  g_clear_error (&error);

  /* Back: nothing half-written, and the same save goes through. */
  g_free (run_server_script ("start", server_dir));
  g_assert_cmpint (meso_test_pg_count (uri, "SELECT count(*) FROM sessions"), ==, 1);
  g_assert_cmpint (meso_test_pg_count (uri, "SELECT count(*) FROM patients"), ==, 1);
  g_assert_cmpint (meso_test_pg_count (uri, "SELECT count(*) FROM audit_log"), ==, 1);
  g_assert_true (meso_store_save_session (store, session, &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 2);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);

  g_clear_object (&store);
  g_free (run_server_script ("stop", server_dir));
}

/* Opening a store on a server that is not there says so, naming the server. */
static void
test_unreachable_at_open (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *uri = g_strdup_printf ("postgresql://meso:secret-word@/clinic?host=%s",
                                          fixture->dir);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = meso_store_open (uri, &error);
  g_assert_null (store);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fixture->dir));
  /* The password never shows. */
  g_assert_null (strstr (error->message, "secret-word"));
}

/* A server that answers and refuses (a role or a database that does not exist) is no
 * outage: the message says so, and nothing about trying again. */
static void
test_refused_at_open (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *no_role = meso_test_server_db_uri (meso_test_server_uri (), "postgres",
                                                      "nobody_here");
  g_autofree char *no_database = meso_test_server_db_uri (meso_test_server_uri (),
                                                          "no_such_clinic", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (meso_store_open (no_role, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "refused the connection"));
  g_assert_nonnull (strstr (error->message, "nobody_here"));
  g_assert_null (strstr (error->message, "try again"));
  g_clear_error (&error);

  g_assert_null (meso_store_open (no_database, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "no_such_clinic"));
  g_assert_nonnull (strstr (error->message, "refused the connection"));
}

/* ---- The application's role ---- */

/* Runs psql as @uri's user; returns whether @sql went through, its errors in *@out_err. */
static gboolean
psql (const char  *uri,
      const char  *sql,
      char       **out_err)
{
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql,
                         NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, out_err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("psql %s: %s", sql, *out_err);
  return g_spawn_check_wait_status (status, NULL);
}

/* A workstation's login role, a member of mesocare_app, works through the store but
 * cannot UPDATE or DELETE a session, an amendment, a void or the audit log with psql;
 * neither can the owner, whom the triggers stop. */
static void
test_app_role_cannot_rewrite (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *role = g_strdup_printf ("meso_t_clerk_%08x", g_random_int ());
  g_autofree char *create = g_strdup_printf ("CREATE ROLE %s LOGIN IN ROLE mesocare_app", role);
  g_autofree char *drop = g_strdup_printf ("DROP ROLE %s", role);
  g_autofree char *dbname = meso_test_location_db_name (fixture->location);
  g_autofree char *clerk = meso_test_server_db_uri (meso_test_server_uri (), dbname, role);
  g_autoptr(MesoStore) owner = meso_test_open_store (fixture->location);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(MesoPractitioner) practitioner = meso_practitioner_new ("Dr Roux");
  g_autoptr(GError) error = NULL;
  static const char * const refused[] = {
    "UPDATE sessions SET injections = 1",
    "DELETE FROM sessions",
    "UPDATE session_areas SET area = 'arms'",
    "DELETE FROM session_areas",
    "UPDATE amendments SET reason = 'x'",
    "DELETE FROM amendment_values",
    "DELETE FROM voids",
    "UPDATE audit_log SET payload = 'x'",
    "DELETE FROM audit_log",
    "TRUNCATE audit_log",
    "DELETE FROM session_current",
    "DELETE FROM patients",
    "UPDATE patients SET full_name = 'Someone Else'",
  };

  /* The schema exists (made by the owner's store); the clerk's store writes. */
  meso_test_pg_run (meso_test_server_uri (), create);
  store = meso_test_open_store (clerk);
  meso_test_save_session (store, session);
  amended = meso_store_get_session (store, meso_session_get_id (session), &error);
  g_assert_no_error (error);
  meso_session_set_injections (amended, 30);
  g_assert_true (meso_store_amend_session (store, amended, "Miscounted", &error));
  g_assert_no_error (error);
  g_assert_true (meso_store_void_session (store, meso_session_get_id (session), "Twice",
                                          &error));
  g_assert_no_error (error);
  /* The clinic's details and list too: the column grants are enough for all of it. */
  meso_clinic_set_name (clinic, "Clinique du Parc");
  g_assert_true (meso_store_set_clinic (store, clinic, MESO_CLINIC_NAME, &error));
  g_assert_no_error (error);
  meso_clinic_set_name (clinic, "Clinique du Lac");
  g_assert_true (meso_store_set_clinic (store, clinic, MESO_CLINIC_NAME, &error));
  g_assert_no_error (error);
  g_assert_true (meso_store_add_practitioner (store, practitioner, &error));
  g_assert_no_error (error);
  g_assert_true (meso_store_retire_practitioner (store, "Dr Roux", &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *clerk_err = NULL;
      g_autofree char *owner_err = NULL;

      g_assert_false (psql (clerk, refused[i], &clerk_err));
      g_assert_nonnull (strstr (clerk_err, "permission denied"));
      /* The owner has the privileges; the server's triggers refuse all the same. */
      if (!g_str_has_prefix (refused[i], "UPDATE patients"))
        {
          g_assert_false (psql (fixture->location, refused[i], &owner_err));
          g_assert_null (strstr (owner_err, "permission denied"));
        }
    }
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM sessions"),
                   ==, 1);
  g_assert_cmpint (meso_test_pg_count (fixture->location, "SELECT count(*) FROM audit_log"),
                   ==, 7);
  g_assert_true (meso_store_check (owner, &error));
  g_assert_no_error (error);

  g_clear_object (&owner);
  meso_test_db_location_free (g_steal_pointer (&fixture->location));
  meso_test_pg_run (meso_test_server_uri (), drop);
}

/* ---- A chair's save seen at the desk ---- */

static void
count_cb (MesoStore *store,
          guint     *count)
{
  (*count)++;
}

static gboolean
is_positive (gpointer data)
{
  return *(guint *) data > 0;
}

/* The desk watches; a save at the chair (another connection) makes the desk's store say
 * it changed, from the notification alone. */
static void
test_chair_to_desk (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MesoStore) desk = meso_test_open_store (fixture->location);
  g_autoptr(MesoStore) chair = meso_test_open_store (fixture->location);
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  guint changes = 0;
  gint64 start;
  gulong handler;

  handler = g_signal_connect (desk, "changed", G_CALLBACK (count_cb), &changes);
  meso_store_watch_changes (desk, TRUE);
  start = g_get_monotonic_time ();
  meso_test_save_session (chair, session);
  meso_test_wait_for (is_positive, &changes, "the desk to see the chair's save");
  g_test_message ("Seen at the desk after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (meso_store_count_sessions (desk, NULL), ==, 1);
  meso_store_watch_changes (desk, FALSE);
  g_signal_handler_disconnect (desk, handler);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (!meso_test_engine_is_postgresql ())
    g_error ("test-pg-server runs in the postgresql suite only (MESOCARE_TEST_ENGINE=postgresql)");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/pg/concurrent-writers", test_concurrent_writers);
  ADD ("/pg/amend-races-void", test_amend_races_void);
  ADD ("/pg/amend-races-amend", test_amend_races_amend);
  ADD ("/pg/cli-amend-refused-when-stale", test_cli_amend_refused_when_stale);
  ADD ("/pg/server-stopped-during-save", test_server_stopped_during_save);
  ADD ("/pg/unreachable-at-open", test_unreachable_at_open);
  ADD ("/pg/refused-at-open", test_refused_at_open);
  ADD ("/pg/app-role-cannot-rewrite", test_app_role_cannot_rewrite);
  ADD ("/pg/chair-to-desk", test_chair_to_desk);

#undef ADD
  return g_test_run ();
}
