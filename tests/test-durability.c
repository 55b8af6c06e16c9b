/* test-durability.c: what a crash, or two writers at once, must never cost
 *
 * A session whose id was printed is on disk: a writer killed with SIGKILL at any moment
 * leaves a database that opens, passes every check and holds every session it
 * announced. Two processes writing at the same moment both succeed, without a
 * "database is locked" reaching either.
 *
 * SIGKILL kills the process, not the machine: what reached the kernel survives it. A
 * power cut is beyond a test; synchronous=FULL is what covers it, and
 * /durability/concurrent-writers reports what a synced commit costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-durability"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-store.h"
#include "meso-test-util.h"

/* At least 200 kills, as the requirement says; the delay runs from 0 so that kills land
 * while the writer starts, inside its transactions and between them. */
#define CRASH_ROUNDS       200
#define MAX_KILL_DELAY_US  30000

#define CONCURRENT_SESSIONS 1000   /* by each of the two writers */
#define CLI_ROUNDS          50     /* of two `record` at once */

/* ---- A fresh folder for each test ---- */

/* The database lives one folder down, as the app's does, so that its creation is
 * tested too: a MesoTestDir. */
static MesoTestDir *
test_dir_new (void)
{
  MesoTestDir *dir = meso_test_dir_new ();

  /* Where the disk is: on a tmpfs an fsync costs nothing and the timings mean little. */
  g_test_message ("database: %s", dir->db);
  return dir;
}

/* ---- Starting processes ---- */

static char *
writer_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "durability-writer", NULL);
}

/* The children run in this test's own folders (see meso_test_launcher_new()). Their
 * stdin is inherited: none reads it. */
static GSubprocessLauncher *
new_launcher (void)
{
  return meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                 | G_SUBPROCESS_FLAGS_STDERR_PIPE);
}

static GSubprocess *
spawn (const char *const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return process;
}

/* @count 0: until killed. */
static GSubprocess *
spawn_writer (const char *db,
              const char *tag,
              guint       count)
{
  g_autofree char *program = writer_path ();
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  const char *argv[] = { program, db, tag, count_text, NULL };

  return spawn (argv);
}

static GSubprocess *
spawn_cli (const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();

  return meso_test_spawn_cli (launcher, NULL, args);
}

/* ---- Reading what a process said ---- */

static gboolean
read_chunk (GInputStream *stream,
            GString      *buffer)
{
  g_autoptr(GError) error = NULL;
  char chunk[4096];
  gssize n = g_input_stream_read (stream, chunk, sizeof chunk, NULL, &error);

  g_assert_no_error (error);
  g_string_append_len (buffer, chunk, n);
  return n > 0;
}


/* Once the process is dead the pipe ends: everything it wrote is still in it. */
static void
read_to_end (GInputStream *stream,
             GString      *buffer)
{
  while (read_chunk (stream, buffer))
    ;
}

static char *
read_stderr (GSubprocess *process)
{
  GString *err = g_string_new (NULL);

  read_to_end (g_subprocess_get_stderr_pipe (process), err);
  return g_string_free (err, FALSE);
}

/* A positive id in plain digits. */
static gint64
parse_id (const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  if (!g_ascii_isdigit (text[0]) || text[0] == '0')
    meso_test_log_text ("not an id", text);
  g_assert_true (g_ascii_isdigit (text[0]) && text[0] != '0');
  g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &id, &error);
  g_assert_no_error (error);
  return id;
}

/* The ids a writer printed, in order. Only whole lines count: a line cut short by the
 * kill was never a promise made to anyone. */
static GArray *
parse_ids (const GString *out)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *line = out->str;
  const char *end;

  g_assert_null (memchr (out->str, '\0', out->len));
  while ((end = strchr (line, '\n')) != NULL)
    {
      g_autofree char *text = g_strndup (line, end - line);
      gint64 id = parse_id (text);

      g_array_append_val (ids, id);
      line = end + 1;
    }
  if (*line != '\0')
    meso_test_log_text ("cut short, not counted", line);
  return ids;
}

/* ---- What a session must hold ---- */

static void
assert_session_is (MesoStore  *store,
                   gint64      id,
                   const char *tag,
                   guint64     n)
{
  g_autoptr(MesoSession) expected = meso_session_new ();
  g_autoptr(MesoSession) found = NULL;
  g_autoptr(GError) error = NULL;

  found = meso_store_get_session (store, id, &error);
  g_assert_no_error (error);
  meso_test_fill_writer_session (expected, tag, n);
  g_assert_cmpint (meso_session_get_id (found), ==, id);
  g_assert_cmpstr (meso_session_get_patient_name (found), ==,
                   meso_session_get_patient_name (expected));
  g_assert_cmphex (meso_session_get_areas (found), ==, meso_session_get_areas (expected));
  g_assert_cmpuint (meso_session_get_injections (found), ==,
                    meso_session_get_injections (expected));
  g_assert_cmpuint (meso_session_get_duration (found), ==,
                    meso_session_get_duration (expected));
  g_assert_false (meso_session_get_voided (found));
}

/* ---- The database, as the next user of it finds it ---- */

static MesoStore *
open_sound_store (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open (db, &error);

  g_assert_no_error (error);
  meso_store_check (store, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gint64
count_sessions (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 count = meso_store_count_sessions (store, &error);

  g_assert_no_error (error);
  return count;
}

/* Every id in the sessions table, read straight from SQLite: the store has no cheap way
 * to list ids, and rebuilding every session after each of 200 kills would cost minutes. */
static GHashTable *
list_session_ids (const char *db)
{
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT id FROM sessions", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return ids;
}

/* What a user would run after a crash: `check`, which says "ok" and nothing else. */
static void
assert_cli_check_ok (const char *db)
{
  const char *args[] = { "--db", db, "check", NULL };
  g_autoptr(GSubprocess) process = spawn_cli (args);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  meso_test_log_text ("check stdout", out);
  meso_test_log_text ("check stderr", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (out, ==, "ok\n");
  g_assert_cmpstr (err, ==, "");
}

/* ---- /durability/sigkill ---- */

typedef struct
{
  const char *db;
  GHashTable *ids;          /* every session the database must hold from now on */
  guint       acknowledged; /* ids printed before the kill */
  guint       unannounced;  /* sessions committed, the kill coming before their id */
  guint       empty_rounds; /* kills before the first commit */
} Crashes;

static void
assert_killed (GSubprocess *writer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_wait (writer, NULL, &error);
  g_assert_no_error (error);
  err = read_stderr (writer);
  if (*err != '\0' || !g_subprocess_get_if_signaled (writer))
    meso_test_log_text ("the writer ended by itself; its stderr", err);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_subprocess_get_if_signaled (writer));
  g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);
}

/* A session found that no one was told of: only the one the writer had committed when
 * the kill came, before it could print the id. The writer never starts the next one
 * before printing, so there can be no second. */
static void
check_unannounced (Crashes    *crashes,
                   MesoStore  *store,
                   GHashTable *found,
                   const char *tag,
                   guint       printed)
{
  GHashTableIter iter;
  gpointer key;
  guint extra = 0;

  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (crashes->ids, key))
      {
        assert_session_is (store, *(gint64 *) key, tag, printed + 1);
        g_hash_table_add (crashes->ids, g_memdup2 (key, sizeof (gint64)));
        extra++;
      }
  g_assert_cmpuint (extra, <=, 1);
  crashes->unannounced += extra;
  if (printed == 0 && extra == 0)
    crashes->empty_rounds++;
}

static void
check_after_crash (Crashes    *crashes,
                   const char *tag,
                   GArray     *printed)
{
  g_autoptr(MesoStore) store = open_sound_store (crashes->db);
  g_autoptr(GHashTable) found = list_session_ids (crashes->db);
  GHashTableIter iter;
  gpointer key;

  /* Nothing committed earlier is lost... */
  g_hash_table_iter_init (&iter, crashes->ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (found, key));

  /* ...each id printed is new, there, and holds what the writer gave it... */
  for (guint i = 0; i < printed->len; i++)
    {
      gint64 id = g_array_index (printed, gint64, i);

      g_assert_false (g_hash_table_contains (crashes->ids, &id));
      g_assert_true (g_hash_table_contains (found, &id));
      assert_session_is (store, id, tag, i + 1);
      g_hash_table_add (crashes->ids, g_memdup2 (&id, sizeof id));
    }
  crashes->acknowledged += printed->len;

  /* ...and nothing else is there but what the writer was doing when it died. */
  check_unannounced (crashes, store, found, tag, printed->len);
  g_assert_cmpint (count_sessions (store), ==, g_hash_table_size (crashes->ids));
}

/* Odd rounds wait for the first id before the delay starts, so that however slow the
 * start (under a sanitizer, on a loaded machine), half the kills land among commits;
 * even rounds count from the start, so kills also land while the store opens. */
static void
crash_round (Crashes *crashes,
             guint    round)
{
  g_autofree char *tag = g_strdup_printf ("r%u", round);
  gint delay_us = g_test_rand_int_range (0, MAX_KILL_DELAY_US + 1);
  g_autoptr(GSubprocess) writer = spawn_writer (crashes->db, tag, 0);
  GInputStream *stdout_pipe = g_subprocess_get_stdout_pipe (writer);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) printed = NULL;

  if (round % 2 == 1)
    {
      g_autofree char *first = meso_test_wait_for_output (stdout_pipe, "\n",
                                                          "the writer's first id");

      g_string_append (out, first);
    }
  /* Not a wait for anything: the kill's random moment, which is the test. Whatever the
   * writer has reached by then, what it announced must be on disk. */
  g_usleep (delay_us);
  g_subprocess_force_exit (writer);
  assert_killed (writer);

  read_to_end (stdout_pipe, out);
  printed = parse_ids (out);
  g_test_message ("round %u: killed %.1f ms after %s, %u ids printed", round,
                  delay_us / 1e3, round % 2 == 1 ? "its first id" : "its start",
                  printed->len);
  check_after_crash (crashes, tag, printed);
}

static void
test_sigkill (void)
{
  g_autoptr(MesoTestDir) dir = test_dir_new ();
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                     NULL);
  Crashes crashes = { dir->db, ids, 0, 0, 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint round = 0; round < CRASH_ROUNDS; round++)
    crash_round (&crashes, round);
  assert_cli_check_ok (dir->db);

  g_test_message ("%u kills in %.1f s: %u sessions acknowledged, %u more committed "
                  "unannounced, %u kills before any commit; all %u present",
                  CRASH_ROUNDS, (g_get_monotonic_time () - start) / 1e6,
                  crashes.acknowledged, crashes.unannounced, crashes.empty_rounds,
                  g_hash_table_size (ids));
  /* Kills that never found a writer at work would prove nothing. */
  g_assert_cmpuint (crashes.acknowledged, >, 0);
}

/* ---- /durability/concurrent-writers ---- */

typedef struct
{
  const char  *tag;
  GSubprocess *process;
  GArray      *ids;
} Writer;

static void
finish_writer (Writer *writer)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;
  gsize size = 0;
  const char *data;

  g_subprocess_communicate (writer->process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (err, &size);
  text = g_string_new_len (data, size);
  if (size > 0)
    meso_test_log_text (writer->tag, text->str);
  g_assert_cmpuint (size, ==, 0);
  g_assert_true (g_subprocess_get_if_exited (writer->process));
  g_assert_cmpint (g_subprocess_get_exit_status (writer->process), ==, 0);

  data = g_bytes_get_data (out, &size);
  g_string_assign (text, "");
  g_string_append_len (text, data, size);
  writer->ids = parse_ids (text);
  g_assert_cmpuint (writer->ids->len, ==, CONCURRENT_SESSIONS);
}

/* Maps each id to the writer that printed it; every id is printed once. */
static GHashTable *
owners_of (Writer writers[2])
{
  GHashTable *owners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint w = 0; w < 2; w++)
    for (guint i = 0; i < writers[w].ids->len; i++)
      {
        gint64 id = g_array_index (writers[w].ids, gint64, i);

        g_assert_true (g_hash_table_insert (owners, g_memdup2 (&id, sizeof id),
                                            GUINT_TO_POINTER (w)));
      }
  return owners;
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The writer of the @i-th id, or G_MAXUINT past the end. */
static guint
owner_at (GHashTable *owners,
          GArray     *ids,
          guint       i)
{
  if (i >= ids->len)
    return G_MAXUINT;
  return GPOINTER_TO_UINT (g_hash_table_lookup (owners, &g_array_index (ids, gint64, i)));
}

/* The writers in id order (the order of the commits), as runs: "1000 by A, 1000 by B"
 * when one waited for the other to finish, more runs only when they truly took turns. */
static char *
describe_runs (GHashTable *owners,
               Writer      writers[2],
               guint      *out_runs)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;
  guint runs = 0;
  guint length = 0;

  g_hash_table_iter_init (&iter, owners);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    {
      guint w = owner_at (owners, ids, i);

      length++;
      if (owner_at (owners, ids, i + 1) == w)
        continue;
      g_string_append_printf (text, "%s%u by %s", runs > 0 ? ", " : "", length,
                              writers[w].tag);
      runs++;
      length = 0;
    }
  *out_runs = runs;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_writers_stored (const char *db,
                       Writer      writers[2],
                       GHashTable *owners)
{
  g_autoptr(MesoStore) store = open_sound_store (db);
  g_autoptr(GHashTable) audited = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  guint creates = 0;

  g_assert_cmpint (count_sessions (store), ==, 2 * CONCURRENT_SESSIONS);
  g_assert_cmpuint (g_hash_table_size (owners), ==, 2 * CONCURRENT_SESSIONS);
  for (guint w = 0; w < 2; w++)
    for (guint i = 0; i < writers[w].ids->len; i++)
      assert_session_is (store, g_array_index (writers[w].ids, gint64, i), writers[w].tag,
                         i + 1);

  /* One 'create' entry for each session, naming it: none twice, none missing. */
  audit = meso_store_list_audit (store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      MesoAuditEntry *entry = g_ptr_array_index (audit, i);

      if (!g_str_equal (entry->action, "create"))
        continue;
      creates++;
      g_assert_cmpstr (entry->entity, ==, "session");
      g_assert_true (g_hash_table_contains (owners, &entry->entity_id));
      g_assert_true (g_hash_table_add (audited, &entry->entity_id));
    }
  g_assert_cmpuint (creates, ==, 2 * CONCURRENT_SESSIONS);
}

static void
test_concurrent_writers (void)
{
  g_autoptr(MesoTestDir) dir = test_dir_new ();
  Writer writers[2] = { { "A", NULL, NULL }, { "B", NULL, NULL } };
  g_autoptr(GHashTable) owners = NULL;
  g_autofree char *runs_text = NULL;
  gint64 start, elapsed;
  guint runs = 0;

  /* Back to back, into a database that does not exist yet: both create it at once. */
  start = g_get_monotonic_time ();
  for (guint w = 0; w < 2; w++)
    writers[w].process = spawn_writer (dir->db, writers[w].tag, CONCURRENT_SESSIONS);
  /* While A is waited for, B's ids (some 6 KB) wait in its pipe, which holds 64 KB. */
  for (guint w = 0; w < 2; w++)
    finish_writer (&writers[w]);
  elapsed = g_get_monotonic_time () - start;

  owners = owners_of (writers);
  assert_writers_stored (dir->db, writers, owners);
  assert_cli_check_ok (dir->db);

  runs_text = describe_runs (owners, writers, &runs);
  g_test_message ("%u sessions by two writers at once in %.2f s (%.3f ms a commit, "
                  "synchronous=FULL); in commit order: %s", 2 * CONCURRENT_SESSIONS,
                  elapsed / 1e6, elapsed / 1e3 / (2 * CONCURRENT_SESSIONS), runs_text);
  /* Two runs mean one writer waited out all of the other's commits: both succeeded,
   * which is what matters, but then this run is no evidence that they overlapped. That
   * depends on the disk's speed, so it is said in the log, not asserted. */
  if (runs < 3)
    g_test_message ("the writers did not take turns this time: one waited for the other");

  for (guint w = 0; w < 2; w++)
    {
      g_clear_object (&writers[w].process);
      g_clear_pointer (&writers[w].ids, g_array_unref);
    }
}

/* ---- /durability/cli-concurrent ---- */

/* The arguments of `record` for session n of @tag, by the rule of
 * meso_test_fill_writer_session(). */
static GStrv
record_args (const char *db,
             const char *tag,
             guint       n)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *areas = NULL;
  g_autofree char *injections = NULL;
  g_autofree char *duration = NULL;

  meso_test_fill_writer_session (session, tag, n);
  areas = meso_areas_to_string (meso_session_get_areas (session), ",");
  injections = g_strdup_printf ("%u", meso_session_get_injections (session));
  duration = g_strdup_printf ("%u", meso_session_get_duration (session));
  g_strv_builder_add_many (builder, "--db", db, "record",
                           "--patient", meso_session_get_patient_name (session),
                           "--area", areas, "--injections", injections,
                           "--duration", duration, NULL);
  return g_strv_builder_end (builder);
}

/* @who names the record in the log, should it fail. */
/* @said: (nullable): what it has written on stderr already. */
static gint64
finish_record (GSubprocess *process,
               const char  *who,
               const char  *said)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *all_err = NULL;
  g_autofree char *own_err = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  all_err = g_strconcat (said != NULL ? said : "", err, NULL);
  if (*all_err != '\0')
    meso_test_log_text (who, all_err);
  /* Nothing but the waits it was asked to tell. */
  own_err = meso_test_strip_debug_lines (all_err);
  g_assert_cmpstr (own_err, ==, "");
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  /* One line: its only newline is the last byte. */
  g_assert_true (g_str_has_suffix (out, "\n"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);
  out[strlen (out) - 1] = '\0';
  return parse_id (out);
}

static void
test_cli_concurrent (void)
{
  g_autoptr(MesoTestDir) dir = test_dir_new ();
  const char *tags[2] = { "cli-A", "cli-B" };
  gint64 ids[2][CLI_ROUNDS];
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(MesoStore) store = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint n = 1; n <= CLI_ROUNDS; n++)
    {
      GSubprocess *processes[2];

      for (guint w = 0; w < 2; w++)
        {
          g_auto(GStrv) args = record_args (dir->db, tags[w], n);

          processes[w] = spawn_cli ((const char *const *) args);
        }
      for (guint w = 0; w < 2; w++)
        {
          ids[w][n - 1] = finish_record (processes[w], tags[w], NULL);
          g_object_unref (processes[w]);
          g_assert_true (g_hash_table_add (seen, &ids[w][n - 1]));
        }
    }
  g_test_message ("%u `record` in pairs in %.2f s", 2 * CLI_ROUNDS,
                  (g_get_monotonic_time () - start) / 1e6);

  store = open_sound_store (dir->db);
  g_assert_cmpint (count_sessions (store), ==, 2 * CLI_ROUNDS);
  for (guint w = 0; w < 2; w++)
    for (guint n = 1; n <= CLI_ROUNDS; n++)
      assert_session_is (store, ids[w][n - 1], tags[w], n);
  assert_cli_check_ok (dir->db);
}

/* ---- /durability/first-run ---- */

/* The first run, with two Mesocare starting at once on a database that does not exist
 * yet: the first switches the new file to WAL holding its write lock, for a fraction of
 * a millisecond, and the second, arriving then, must wait for it as it waits for any
 * writer. Left to chance the two meet in that instant once in a few hundred starts; the
 * test plays the first and holds that lock until the second says it waits for it, so
 * that the moment comes every time, however slowly the second starts. */
static sqlite3 *
hold_lock_before_wal (const char *db)
{
  g_autofree char *folder = g_path_get_dirname (db);
  sqlite3 *handle = NULL;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return handle;
}

static void
test_first_run (void)
{
  g_autoptr(MesoTestDir) dir = test_dir_new ();
  sqlite3 *holder = hold_lock_before_wal (dir->db);
  g_auto(GStrv) args = record_args (dir->db, "first", 1);
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autofree char *said = NULL;
  gint64 id;

  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", MESO_TEST_STORE_DEBUG, TRUE);
  process = meso_test_spawn_cli (launcher, NULL, (const char *const *) args);
  said = meso_test_wait_for_output (g_subprocess_get_stderr_pipe (process),
                                    MESO_TEST_STORE_WAITS, "the record to wait for the write lock");
  g_assert_cmpint (sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);

  id = finish_record (process, "record", said);
  store = open_sound_store (dir->db);
  g_assert_cmpint (count_sessions (store), ==, 1);
  assert_session_is (store, id, "first", 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/durability/sigkill", test_sigkill);
  g_test_add_func ("/durability/concurrent-writers", test_concurrent_writers);
  g_test_add_func ("/durability/cli-concurrent", test_cli_concurrent);
  g_test_add_func ("/durability/first-run", test_first_run);

  return g_test_run ();
}
