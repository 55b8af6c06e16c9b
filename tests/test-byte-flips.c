/* test-byte-flips.c: a thousand copies of a real database, each with one byte changed,
 * opened by `check`, `list`, `show` and `sheet` (issue 14)
 *
 * The database is made by mesocare-cli itself: sessions made up, some amended, one
 * voided, sheets adjusted, the clinic's details. Each session's `show` is kept. Then each
 * copy, with one byte at a random offset changed to another value, is opened by the
 * tool's own commands, run in process in a child of this test (forked, so that a crash
 * is that child's signal and a hang is a child that never ends, killed at a deadline
 * that only a hang reaches). Each copy must:
 * - not crash: no signal, no sanitizer report, no GLib critical (G_DEBUG=fatal-criticals);
 * - not hang;
 * - when `check` says ok, show every session exactly as before: a changed session that
 *   `check` calls ok is tampering gone unseen.
 * The copies are all tried before the test fails, and the failures are described: the
 * offset, the page and the table (or index) holding it, the session that changed.
 *
 * The copies come from a fixed seed, so that CI tries the same thousand every time (a
 * random one per run would make a rare miss a flaky CI); MESOCARE_FLIP_SEED=N tries
 * others (each run prints its seed), MESOCARE_FLIP_COPIES=N fewer or more copies.
 * The fixed seed is the one that found the last miss (copy 143 flipped a letter of a
 * table's SQL, which `check` called ok while `show` could read no session), found since
 * by the sealed schema of step 10.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

/* The copies CI tries (see above); measured: 442 refused by check, 558 ok and unchanged. */
#define FIXED_SEED 1621010471u

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "meso-cli.h"
#include "meso-test-util.h"

#define N_COPIES     1000
#define N_SESSIONS   32
/* Only a hang reaches it: a copy takes well under a second, ten under the sanitizers. */
#define COPY_LIMIT_S 120

/* What a child says of its copy: one of these as its exit status. */
enum
{
  COPY_CHECK_FAILED = 10,  /* `check` refused the copy: fine, whatever the others did */
  COPY_CHECK_OK = 11,      /* `check` said ok, and every session shows as before */
  COPY_CHANGED_OK = 12,    /* `check` said ok, and a session shows differently */
};

typedef struct
{
  char       *dir;          /* the test's folder */
  char       *data;         /* the original database's folder */
  char       *db;           /* the original database */
  char       *copy_dir;     /* the folder each copy is laid in */
  char       *copy_db;
  GBytes     *original;     /* the database's bytes */
  GPtrArray  *shown;        /* each session's `show`, by id - 1 */
} Fixture;

/* ---- Making the database, with the tool ---- */

static void
run_cli (const char         *db,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = meso_test_spawn_cli (launcher, db, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      meso_test_log_text ("stderr", err);
      g_error ("mesocare-cli %s failed", args[0]);
    }
}

/* A few dozen sessions as a clinic would have them: made up by `generate`, two recorded
 * by hand (one with every field), amendments, a void, adjusted sheets, the clinic. */
static void
make_database (const char *db)
{
  const char *generate[] = { "generate", "--sessions", "30", "--seed", "14", NULL };
  const char *record_full[] = {
    "record", "--patient", "Anne Dupont", "--area", "scalp,neck", "--injections", "110",
    "--duration", "30", "--date", "2025-11-03T09:15:00+01:00", "--language", "fr",
    "--blood-thinners", "--product", "Dutasteride cocktail", "--lot", "L123",
    "--expiry", "2027-01-31", "--volume", "2.5", "--reactions", "redness,bleeding",
    "--instructions", "No hat today", NULL
  };
  const char *record_plain[] = {
    "record", "--patient", "José Nuñez", "--area", "face", "--injections", "80",
    "--duration", "20", "--date", "2025-11-04T08:00:00+01:00", "--language", "es", NULL
  };
  const char * const amends[][9] = {
    { "amend", "31", "--injections", "120", "--reason", "miscounted", NULL },
    { "amend", "31", "--product", "Dutasteride mix", "--reason", "wrong product", NULL },
    { "amend", "5", "--duration", "45", "--reason", "ran over", NULL },
    { "amend", "12", "--instructions", "Call us if it spreads", "--reason", "called back",
      NULL },
    { "void", "32", "--reason", "entered twice", NULL },
    { "void", "20", "--reason", "wrong patient", NULL },
    { "adjust", "31", "--off", "drink-water", "--add-line", "Drink water", NULL },
    { "adjust", "7", "--text", "cold-pack=A cold pack for ten minutes", NULL },
  };
  const char *clinic[] = {
    "clinic", "--name", "Clinique du Parc", "--phone", "+33 1 23 45 67 89", NULL
  };

  run_cli (db, generate);
  run_cli (db, record_full);
  run_cli (db, record_plain);
  for (guint i = 0; i < G_N_ELEMENTS (amends); i++)
    run_cli (db, amends[i]);
  run_cli (db, clinic);
}

/* ---- The commands, in process ---- */

static GString *printed;  /* what the command running prints */

static void
capture_print_cb (const char *text)
{
  g_string_append (printed, text);
}

static GString *printed_err;  /* and what it says went wrong */

static void
capture_printerr_cb (const char *text)
{
  g_string_append (printed_err, text);
}

/* Runs a command of the tool on @db as main.c would; what it prints in *@out. */
static int
run_command (MesoCliCommandFunc   command,
             const char          *db,
             const char * const  *args,
             char               **out)
{
  MesoCliGlobals globals = { db };
  g_auto(GStrv) argv = g_strdupv ((GStrv) args);
  g_autofree char **argv_list = g_memdup2 (argv, sizeof (char *) * (g_strv_length (argv) + 1));
  int status;

  GPrintFunc old_print = g_set_print_handler (capture_print_cb);
  GPrintFunc old_printerr = g_set_printerr_handler (capture_printerr_cb);

  /* Captured for this command only: GTest's own TAP lines go through g_print too. */
  g_string_truncate (printed, 0);
  g_string_truncate (printed_err, 0);
  status = command (&globals, (int) g_strv_length (argv), argv_list);
  g_set_print_handler (old_print);
  g_set_printerr_handler (old_printerr);
  /* GTest prints GLib's debug messages (G_MESSAGES_DEBUG) through g_print too. */
  if (out != NULL)
    *out = meso_test_strip_debug_lines (printed->str);
  return status;
}

static char *
show_session (const char *db,
              guint       id)
{
  g_autofree char *number = g_strdup_printf ("%u", id);
  const char *show[] = { "show", number, NULL };
  char *out = NULL;

  run_command (meso_cli_show, db, show, &out);
  return out;
}

/* "session 6: “Duration: 138” → “Duration: 10”": the first line that differs. */
static void
describe_change (GString    *report,
                 guint       id,
                 const char *before,
                 const char *after)
{
  g_auto(GStrv) old_lines = g_strsplit (before, "\n", -1);
  g_auto(GStrv) new_lines = g_strsplit (after, "\n", -1);
  guint i = 0;

  while (old_lines[i] != NULL && new_lines[i] != NULL
         && g_str_equal (old_lines[i], new_lines[i]))
    i++;
  g_string_append_printf (report, "session %u: “%s” → “%s”; ", id,
                          old_lines[i] != NULL ? old_lines[i] : "(end)",
                          new_lines[i] != NULL ? new_lines[i] : "(end)");
}

/* In a child: the commands on the copy, and what they say of it (the exit status). */
static int
try_copy (Fixture *fixture,
          GString *report)
{
  g_autofree char *pdf = g_build_filename (fixture->copy_dir, "sheet.pdf", NULL);
  const char *check[] = { "check", NULL };
  const char *list[] = { "list", NULL };
  const char *sheet[] = { "sheet", "31", "--output", pdf, NULL };
  gboolean check_ok;
  guint n_changed = 0;

  check_ok = run_command (meso_cli_check, fixture->copy_db, check, NULL) == 0;
  run_command (meso_cli_list, fixture->copy_db, list, NULL);
  run_command (meso_cli_sheet, fixture->copy_db, sheet, NULL);

  /* Every session when `check` vouches for them; a few otherwise, for the crashes. */
  for (guint id = 1; id <= fixture->shown->len; id++)
    {
      g_autofree char *shown = NULL;

      if (!check_ok && id % 12 != 1)
        continue;
      shown = show_session (fixture->copy_db, id);
      if (check_ok && g_strcmp0 (shown, g_ptr_array_index (fixture->shown, id - 1)) != 0)
        {
          /* A shared row (a practitioner) changes many: the first two say enough. */
          if (n_changed < 2)
            describe_change (report, id, g_ptr_array_index (fixture->shown, id - 1), shown);
          n_changed++;
        }
    }
  if (n_changed > 2)
    g_string_append_printf (report, "%u sessions changed in all", n_changed);
  if (!check_ok)
    return COPY_CHECK_FAILED;
  return n_changed == 0 ? COPY_CHECK_OK : COPY_CHANGED_OK;
}

/* ---- Each copy in a child, waited for with a deadline ---- */

typedef enum
{
  OUTCOME_CHECK_FAILED,
  OUTCOME_CHECK_OK,
  OUTCOME_CHANGED_OK,
  OUTCOME_CRASHED,
  OUTCOME_HUNG,
  N_OUTCOMES
} Outcome;

static const char * const outcome_names[N_OUTCOMES] = {
  "refused by check", "ok and unchanged", "CHANGED BUT OK", "CRASHED", "HUNG",
};

/* Reads the child's report until it closes its end (it ends) or the deadline passes. */
static gboolean
read_report (int      fd,
             gint64   deadline,
             GString *report)
{
  char buffer[4096];

  for (;;)
    {
      struct pollfd poll_fd = { fd, POLLIN, 0 };
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      ssize_t n;
      int ready;

      if (left_ms <= 0)
        return FALSE;
      ready = poll (&poll_fd, 1, (int) MIN (left_ms, G_MAXINT));
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        return FALSE;
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return TRUE;
      g_string_append_len (report, buffer, n);
    }
}

static Outcome
run_copy_in_child (Fixture *fixture,
                   GString *report)
{
  int fds[2];
  pid_t pid;
  int status = 0;

  g_assert_cmpint (pipe (fds), ==, 0);
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(GString) child_report = g_string_new (NULL);
      int null_fd = open ("/dev/null", O_WRONLY);
      int result;

      /* `list` writes to stdout itself, which is the TAP stream. */
      if (null_fd < 0 || dup2 (null_fd, STDOUT_FILENO) < 0)
        _exit (1);
      close (null_fd);
      close (fds[0]);
      result = try_copy (fixture, child_report);
      if (write (fds[1], child_report->str, child_report->len) < 0)
        result = 1;
      _exit (result);
    }

  close (fds[1]);
  if (!read_report (fds[0], g_get_monotonic_time () + COPY_LIMIT_S * G_USEC_PER_SEC, report))
    {
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      close (fds[0]);
      return OUTCOME_HUNG;
    }
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  if (WIFEXITED (status) && WEXITSTATUS (status) == COPY_CHECK_FAILED)
    return OUTCOME_CHECK_FAILED;
  if (WIFEXITED (status) && WEXITSTATUS (status) == COPY_CHECK_OK)
    return OUTCOME_CHECK_OK;
  if (WIFEXITED (status) && WEXITSTATUS (status) == COPY_CHANGED_OK)
    return OUTCOME_CHANGED_OK;
  if (WIFSIGNALED (status))
    g_string_append_printf (report, "killed by signal %d (%s)", WTERMSIG (status),
                            g_strsignal (WTERMSIG (status)));
  else
    g_string_append_printf (report, "exit status %d (a sanitizer's report is above)",
                            WEXITSTATUS (status));
  return OUTCOME_CRASHED;
}

/* ---- Where a byte is ---- */

/* The table or index holding page @page of the original database, from SQLite's dbstat;
 * "the header" for the first 100 bytes. */
static char *
describe_offset (Fixture *fixture,
                 gsize    offset)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *owner = NULL;
  int page_size = 4096;
  gint64 page;

  if (offset < 100)
    return g_strdup_printf ("offset %" G_GSIZE_FORMAT ", the file's header", offset);
  g_assert_cmpint (sqlite3_open_v2 (fixture->db, &handle, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_prepare_v2 (handle, "PRAGMA page_size", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    page_size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  page = (gint64) (offset / (gsize) page_size) + 1;
  if (sqlite3_prepare_v2 (handle, "SELECT name FROM dbstat WHERE pageno = ?", -1, &stmt,
                          NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, page);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return g_strdup_printf ("offset %" G_GSIZE_FORMAT ", page %" G_GINT64_FORMAT " (%s)",
                          offset, page, owner != NULL ? owner : "free or unknown");
}

/* ---- The test ---- */

/* Lays the copy: every file of the original's folder (a file beside the database, such
 * as the chain's head, goes with it), the database with byte @offset set to @value. */
static void
lay_copy (Fixture *fixture,
          gsize    offset,
          guint8   value)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->data, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *bytes = NULL;
  gsize size = 0;
  const char *name;

  if (g_file_test (fixture->copy_dir, G_FILE_TEST_EXISTS))
    meso_test_remove_tree (fixture->copy_dir);
  g_assert_cmpint (g_mkdir (fixture->copy_dir, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from = g_build_filename (fixture->data, name, NULL);
      g_autofree char *to = g_build_filename (fixture->copy_dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_test (from, G_FILE_TEST_IS_REGULAR) || g_str_equal (from, fixture->db))
        continue;
      g_file_get_contents (from, &contents, &length, &error);
      g_assert_no_error (error);
      g_file_set_contents_full (to, contents, (gssize) length, G_FILE_SET_CONTENTS_NONE,
                                0600, &error);
      g_assert_no_error (error);
    }

  size = g_bytes_get_size (fixture->original);
  bytes = g_memdup2 (g_bytes_get_data (fixture->original, NULL), size);
  bytes[offset] = value;
  g_file_set_contents_full (fixture->copy_db, (const char *) bytes, (gssize) size,
                            G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *fixture)
{
  fixture->dir = meso_test_make_tmp_dir ("test-byte-flips-XXXXXX");
  fixture->data = g_build_filename (fixture->dir, "data", NULL);
  fixture->db = g_build_filename (fixture->data, "mesocare.db", NULL);
  fixture->copy_dir = g_build_filename (fixture->dir, "copy", NULL);
  fixture->copy_db = g_build_filename (fixture->copy_dir, "mesocare.db", NULL);
  fixture->shown = g_ptr_array_new_with_free_func (g_free);

  make_database (fixture->db);
  fixture->original = meso_test_read_file (fixture->db);
  g_test_message ("database: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (fixture->original));
}

static void
fixture_tear_down (Fixture *fixture)
{
  meso_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->data, g_free);
  g_clear_pointer (&fixture->db, g_free);
  g_clear_pointer (&fixture->copy_dir, g_free);
  g_clear_pointer (&fixture->copy_db, g_free);
  g_clear_pointer (&fixture->original, g_bytes_unref);
  g_clear_pointer (&fixture->shown, g_ptr_array_unref);
}

/* The original, through the same path as the copies: `check` ok, every session shown. */
static void
record_original (Fixture *fixture)
{
  const char *check[] = { "check", NULL };

  g_assert_cmpint (run_command (meso_cli_check, fixture->db, check, NULL), ==, 0);
  for (guint id = 1; id <= N_SESSIONS; id++)
    {
      char *shown = show_session (fixture->db, id);

      if (!g_str_has_prefix (shown, "Session "))
        meso_test_log_text ("show failed", printed_err->str);
      g_assert_true (g_str_has_prefix (shown, "Session "));
      g_ptr_array_add (fixture->shown, shown);
    }
  /* The last session is the last one: the database has N_SESSIONS. */
  g_assert_cmpstr (show_session (fixture->db, N_SESSIONS + 1), ==, "");
}

static guint
env_number (const char *name,
            guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &value, NULL))
    return fallback;
  return (guint) value;
}

static void
test_thousand_copies (void)
{
  Fixture fixture = { 0 };
  guint32 seed = env_number ("MESOCARE_FLIP_SEED", FIXED_SEED);
  guint n_copies = env_number ("MESOCARE_FLIP_COPIES", N_COPIES);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint counts[N_OUTCOMES] = { 0 };
  g_autoptr(GString) failures = g_string_new (NULL);
  gsize size;
  gint64 start;

  fixture_set_up (&fixture);
  record_original (&fixture);
  size = g_bytes_get_size (fixture.original);
  g_test_message ("seed %u (MESOCARE_FLIP_SEED=%u replays it), %u copies", seed, seed,
                  n_copies);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_copies; i++)
    {
      gsize offset = (gsize) g_rand_int_range (rand, 0, (gint32) size);
      guint8 old = ((const guint8 *) g_bytes_get_data (fixture.original, NULL))[offset];
      guint8 value = old ^ (guint8) g_rand_int_range (rand, 1, 256);
      g_autoptr(GString) report = g_string_new (NULL);
      Outcome outcome;

      lay_copy (&fixture, offset, value);
      outcome = run_copy_in_child (&fixture, report);
      counts[outcome]++;
      if (outcome != OUTCOME_CHECK_FAILED && outcome != OUTCOME_CHECK_OK)
        {
          g_autofree char *where = describe_offset (&fixture, offset);

          g_string_append_printf (failures, "copy %u, %s, 0x%02x → 0x%02x: %s: %s\n", i,
                                  where, old, value, outcome_names[outcome], report->str);
        }
    }

  g_test_message ("%u copies in %.0f s: %u refused by check, %u ok and unchanged, "
                  "%u changed but ok, %u crashed, %u hung", n_copies,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  counts[OUTCOME_CHECK_FAILED], counts[OUTCOME_CHECK_OK],
                  counts[OUTCOME_CHANGED_OK], counts[OUTCOME_CRASHED], counts[OUTCOME_HUNG]);
  if (failures->len > 0)
    meso_test_log_text ("failures", failures->str);
  fixture_tear_down (&fixture);

  g_assert_cmpuint (counts[OUTCOME_CRASHED], ==, 0);
  g_assert_cmpuint (counts[OUTCOME_HUNG], ==, 0);
  g_assert_cmpuint (counts[OUTCOME_CHANGED_OK], ==, 0);
}

/* ---- A stored text that is not UTF-8 ---- */

static void
changed_stub (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  sqlite3_result_null (context);
}

/* Runs @sql on a database of one session (and a clinic) through a plain connection, as a
 * flipped byte would change it, then the sheet of that session in a child whose Pango
 * warnings are fatal; returns what `show 1` prints then. */
static char *
sheet_after_edit (const char *sql)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *pdf = NULL;
  char *shown = NULL;
  const char *record[] = {
    "record", "--patient", "Anne Dupont", "--area", "face", "--injections", "40",
    "--duration", "20", "--product", "Vitamin C", NULL
  };
  const char *clinic[] = { "clinic", "--name", "Clinique du Parc", "--phone", "01 23 45 67 89",
                           NULL };
  sqlite3 *handle = NULL;

  dir = meso_test_make_tmp_dir ("test-byte-flips-XXXXXX");
  db = g_build_filename (dir, "mesocare.db", NULL);
  pdf = g_build_filename (dir, "sheet.pdf", NULL);
  run_cli (db, record);
  run_cli (db, clinic);
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  /* The sealed triggers call a function of Mesocare's connection: one that notes nothing
   * stands in for it (the change is then unsealed, as a flipped byte's would be). */
  sqlite3_create_function (handle, "meso_changed", 2, SQLITE_UTF8, NULL, changed_stub, NULL,
                           NULL);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (handle), ==, 1);
  sqlite3_close (handle);

  shown = show_session (db, 1);
  meso_test_log_text ("show", shown);

  g_setenv ("FLIP_TEST_DB", db, TRUE);
  g_setenv ("FLIP_TEST_PDF", pdf, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  meso_test_remove_tree (dir);
  return shown;
}

/* The child of sheet_after_edit(). */
static void
draw_sheet_in_child (void)
{
  const char *sheet[] = { "sheet", "1", "--output", NULL, NULL };

  /* Pango's warning on bad markup, fatal here. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  sheet[3] = g_getenv ("FLIP_TEST_PDF");
  g_assert_cmpint (run_command (meso_cli_sheet, g_getenv ("FLIP_TEST_DB"), sheet, NULL),
                   ==, 0);
}

/* What one flipped byte in a text does: the product of session 1 set to bytes that are
 * not UTF-8 (as a flip of a lead byte makes them). `show` marks it as an unknown stored
 * value, and the sheet is drawn without it: before, the bytes went as they were into the
 * sheet's Pango markup, which refused the whole paragraph with a warning (found by
 * tests/fuzz/fuzz-sheet). */
static void
test_text_not_utf8 (void)
{
  g_autofree char *shown = NULL;

  if (g_test_subprocess ())
    {
      draw_sheet_in_child ();
      return;
    }
  shown = sheet_after_edit ("UPDATE session_current SET product = "
                            "CAST(X'56697461ED696E2043' AS TEXT) WHERE session_id = 1");
  g_assert_nonnull (strstr (shown, "Product: “?” (unknown stored value)\n"));
}

/* The same in the clinic's name, which heads every sheet: it reached the markup as it was
 * ("Clinique du P\xa1rc", found by the thousand copies, seed 57358355, copy 975). It is
 * drawn as unreadable (U+FFFD) instead. */
static void
test_clinic_not_utf8 (void)
{
  g_autofree char *shown = NULL;

  if (g_test_subprocess ())
    {
      draw_sheet_in_child ();
      return;
    }
  shown = sheet_after_edit ("UPDATE clinic SET name = CAST(X'436C696E6971756520647520' "
                            "|| X'50A17263' AS TEXT) WHERE id = 1");
  g_assert_nonnull (strstr (shown, "Session 1\n"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  printed = g_string_new (NULL);
  printed_err = g_string_new (NULL);
  g_test_add_func ("/byte-flips/text-not-utf8", test_text_not_utf8);
  g_test_add_func ("/byte-flips/clinic-not-utf8", test_clinic_not_utf8);
  g_test_add_func ("/byte-flips/thousand-copies", test_thousand_copies);
  return g_test_run ();
}
