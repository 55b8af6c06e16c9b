/* test-migrate.c: mesocare-cli migrate --from DB --to DB, end to end (issue 13)
 *
 * A real clinic's database is built through the tool (the clinic's details and logo,
 * practitioners, sessions with areas, an amendment, adjustments, a void), copied, and
 * both sides compared through the tool as a clinic would: every count, `show` of each
 * session, the text of each sheet (its fingerprint included), the audit log entry by
 * entry, and `check`. With MESOCARE_TEST_SERVER (a superuser's URI of a private
 * PostgreSQL server, see tests/meson.build) the same clinic also goes to the server and
 * back; without it those cases are not registered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-dump.h"
#include "meso-store.h"
#include "meso-test-util.h"

/* ---- Running the tool ---- */

static int
run_cli_out (const char         *db,
             const char * const *args,
             char              **out,
             char              **out_err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = meso_test_spawn_cli (launcher, db, args);
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

/* Runs the tool on @db (NULL: no --db), which must succeed; returns its output. */
static char *
run_ok (const char         *db,
        const char * const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (run_cli_out (db, args, &out, &err) != 0)
    g_error ("mesocare-cli %s failed: %s", args[0], err);
  return g_steal_pointer (&out);
}

static void
assert_check_ok (const char *db)
{
  const char *args[] = { "check", NULL };
  g_autofree char *out = run_ok (db, args);

  g_assert_cmpstr (out, ==, "ok\n");
}

static char *
migrate_ok (const char *from,
            const char *to)
{
  const char *args[] = { "migrate", "--from", from, "--to", to, NULL };

  return run_ok (NULL, args);
}

static int
migrate_fails (const char  *from,
               const char  *to,
               char       **out_err)
{
  const char *args[] = { "migrate", "--from", from, "--to", to, NULL };
  g_autofree char *out = NULL;
  int status = run_cli_out (NULL, args, &out, out_err);

  g_assert_cmpstr (out, ==, "");
  return status;
}

/* ---- The clinic ---- */

static char *
write_png (const char *dir)
{
  char *path = g_build_filename (dir, "logo.png", NULL);
  cairo_surface_t *png = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 120, 60);
  cairo_t *cr = cairo_create (png);

  cairo_set_source_rgb (cr, 0.2, 0.5, 0.3);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (png, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (png);
  return path;
}

#define N_SESSIONS 4

/* Sessions 1 (amended, adjusted), 2 (voided), 3 and 4, two practitioners (one retired),
 * the clinic's details and logo. */
static char *
make_clinic (const char *dir)
{
  char *db = g_build_filename (dir, "clinic.db", NULL);
  g_autofree char *logo = write_png (dir);
  const char *details[] = { "clinic", "--name", "Clinique du Lac", "--address",
                            "1 rue du Port\n74000 Annecy", "--phone", "+33 4 50 00 00 00",
                            "--emergency-number", "112", "--logo", logo, NULL };
  const char *ames[] = { "clinic", "--add-practitioner", "Dr Ames", "--role", "physician",
                         "--registration", "10001", NULL };
  const char *bell[] = { "clinic", "--add-practitioner", "Dr Bell", "--role", "nurse", NULL };
  const char *retire[] = { "clinic", "--retire-practitioner", "Dr Bell", NULL };
  const char *sessions[][20] = {
    { "record", "--patient", "Ann Lee", "--area", "face,neck", "--injections", "20",
      "--duration", "45", "--practitioner", "Dr Ames", "--dob", "1980-02-03", "--lot",
      "L-778", "--product", "Hyaluronic", "--language", "fr", NULL },
    { "record", "--patient", "Bob Ray", "--area", "scalp", "--injections", "10",
      "--duration", "30", "--practitioner", "Dr Bell", NULL },
    { "record", "--patient", "Cleo Dunn", "--area", "thighs,buttocks,abdomen",
      "--injections", "30", "--duration", "60", "--reactions", "redness,bruising",
      "--notes", "Tab\there, and a quote \" and é", NULL },
    { "record", "--patient", "Ann Lee", "--area", "decolletage", "--injections", "15",
      "--duration", "20", "--dob", "1980-02-03", "--session-number", "2",
      "--series-total", "4", "--next-session", "2099-01-10", NULL },
  };
  const char *amend[] = { "amend", "1", "--injections", "25", "--reason", "Recounted", NULL };
  const char *adjust[] = { "adjust", "1", "--add-line", "Drink water", NULL };
  const char *adjust_again[] = { "adjust", "1", "--add-line", "Rest a day", NULL };
  const char *void_second[] = { "void", "2", "--reason", "Duplicate record", NULL };

  g_free (run_ok (db, details));
  g_free (run_ok (db, ames));
  g_free (run_ok (db, bell));
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_free (run_ok (db, sessions[i]));
  g_free (run_ok (db, retire));
  g_free (run_ok (db, amend));
  g_free (run_ok (db, adjust));
  g_free (run_ok (db, adjust_again));
  g_free (run_ok (db, void_second));
  assert_check_ok (db);
  return db;
}

/* ---- Comparing two sides ---- */

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
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
sheet_text (const char *db,
            const char *id,
            const char *dir,
            const char *name)
{
  g_autofree char *pdf = g_build_filename (dir, name, NULL);
  const char *args[] = { "sheet", id, "--output", pdf, NULL };

  g_free (run_ok (db, args));
  return pdf_text (pdf);
}

/* The lines of `audit` (one entry a line). */
static GStrv
audit_lines (const char *db)
{
  const char *args[] = { "audit", NULL };
  g_autofree char *out = run_ok (db, args);

  g_strchomp (out);
  return g_strsplit (out, "\n", -1);
}

/* What `migrate` printed for one side ("from" or "to"): its lines up to "check: ok". */
static char *
side_of (const char *out,
         const char *label)
{
  g_autofree char *heading = g_strconcat (label, " ", NULL);
  const char *start = g_str_has_prefix (out, heading) ? out : strstr (out, heading);
  const char *end;

  g_assert_nonnull (start);
  start = strchr (start, '\n') + 1;
  end = strstr (start, "  check: ok\n");
  g_assert_nonnull (end);
  return g_strndup (start, (gsize) (end - start));
}

/* Every count the same but the audit entries, the copy's one more: this migration's. */
static void
assert_counts_equal (const char *out)
{
  g_autofree char *from = side_of (out, "from");
  g_autofree char *to = side_of (out, "to");
  g_autofree char *from_counts = g_strndup (from, (gsize) (strstr (from, "  audit") - from));
  g_autofree char *to_counts = g_strndup (to, (gsize) (strstr (to, "  audit") - to));
  gint64 entries = g_ascii_strtoll (strstr (from, "audit entries: ") + 15, NULL, 10);
  g_autofree char *to_entries = g_strdup_printf ("  audit entries: %" G_GINT64_FORMAT
                                                 " (%" G_GINT64_FORMAT " copied, and this "
                                                 "migration’s)\n", entries + 1, entries);

  g_assert_cmpstr (from_counts, ==, to_counts);
  g_assert_nonnull (strstr (from_counts, "  sessions: " G_STRINGIFY (N_SESSIONS) "\n"));
  g_assert_nonnull (strstr (from_counts, "  amendments: 1\n"));
  g_assert_nonnull (strstr (from_counts, "  voids: 1\n"));
  g_assert_nonnull (strstr (from_counts, "  adjustments: 2\n"));
  g_assert_nonnull (strstr (from_counts, "  practitioners: 2\n"));
  g_assert_true (g_str_has_suffix (to, to_entries));
  g_assert_cmpint (entries, >, 10);
}

/* The audit log of @copy is @original's, entry by entry, and then one entry of its own,
 * of @action ("import": a migration; "restore"). */
static void
assert_audit_copied (const char *original,
                     const char *copy,
                     const char *action)
{
  g_autofree char *column = g_strdup_printf ("\t%s\t", action);
  guint extra = 1;
  g_auto(GStrv) theirs = audit_lines (original);
  g_auto(GStrv) ours = audit_lines (copy);
  guint n = g_strv_length (theirs);

  g_assert_cmpuint (g_strv_length (ours), ==, n + extra);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (ours[i], ==, theirs[i]);
  for (guint i = n; i < n + extra; i++)
    g_assert_nonnull (strstr (ours[i], column));
}

/* `show` of each session, the clinic's details and its practitioners, all as the tool
 * prints them, then the text of each sheet: the same on both sides. The sheets last:
 * each one printed is an audit entry of its side. */
static void
assert_same_records (const char *a,
                     const char *b,
                     const char *dir)
{
  const char *list[] = { "list", NULL };
  const char *clinic[] = { "clinic", "--all", NULL };
  g_autofree char *list_a = run_ok (a, list);
  g_autofree char *list_b = run_ok (b, list);
  g_autofree char *clinic_a = run_ok (a, clinic);
  g_autofree char *clinic_b = run_ok (b, clinic);

  g_assert_cmpstr (list_a, ==, list_b);
  g_assert_cmpstr (clinic_a, ==, clinic_b);
  g_assert_nonnull (strstr (clinic_a, "Dr Bell"));
  for (guint i = 1; i <= N_SESSIONS; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      const char *show[] = { "show", id, NULL };
      g_autofree char *show_a = run_ok (a, show);
      g_autofree char *show_b = run_ok (b, show);

      g_assert_cmpstr (show_a, ==, show_b);
    }
  for (guint i = 1; i <= N_SESSIONS; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);
      g_autofree char *name_a = g_strdup_printf ("a-%u.pdf", i);
      g_autofree char *name_b = g_strdup_printf ("b-%u.pdf", i);
      g_autofree char *text_a = NULL;
      g_autofree char *text_b = NULL;

      if (i == 2)
        continue;  /* voided: no sheet */
      text_a = sheet_text (a, id, dir, name_a);
      text_b = sheet_text (b, id, dir, name_b);
      g_assert_cmpstr (text_a, ==, text_b);
      g_assert_nonnull (strstr (text_a, "Clinique du Lac"));
    }
}

/* ---- SQLite to SQLite ---- */

static void
test_copy_identical (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *to = g_build_filename (dir, "copy", "clinic.db", NULL);
  g_autofree char *out = migrate_ok (from, to);
  g_autofree char *to_head = g_strconcat (to, ".head", NULL);

  assert_counts_equal (out);
  assert_check_ok (from);
  assert_check_ok (to);
  g_assert_true (g_file_test (to_head, G_FILE_TEST_IS_REGULAR));
  assert_audit_copied (from, to, "import");
  assert_same_records (from, to, dir);
  assert_check_ok (from);
  assert_check_ok (to);
  meso_test_remove_tree (dir);
}

/* The copy goes on as a database of its own: written to, it still proves itself. */
static void
test_copy_written_to (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *to = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *out = migrate_ok (from, to);
  const char *record[] = { "record", "--patient", "Dee Fox", "--area", "arms",
                           "--injections", "12", "--duration", "25", NULL };
  const char *amend[] = { "amend", "3", "--duration", "61", "--reason", "Clock", NULL };
  const char *void_fourth[] = { "void", "4", "--reason", "Entered twice", NULL };
  const char *practitioner[] = { "clinic", "--add-practitioner", "Dr Cole", NULL };
  g_autofree char *id = run_ok (to, record);

  g_assert_cmpstr (id, ==, "5\n");
  g_free (run_ok (to, amend));
  g_free (run_ok (to, void_fourth));
  g_free (run_ok (to, practitioner));
  assert_check_ok (to);
  assert_check_ok (from);
  meso_test_remove_tree (dir);
}

static char *
file_digest (const char *path)
{
  g_autoptr(GBytes) bytes = meso_test_read_file (path);

  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* A target that holds a session is refused, left as it was, and says why. */
static void
test_refuses_non_empty (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *to = g_build_filename (dir, "other.db", NULL);
  const char *record[] = { "record", "--patient", "Eve Gray", "--area", "face",
                           "--injections", "5", "--duration", "10", NULL };
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(GStrv) audit_before = NULL;
  g_auto(GStrv) audit_after = NULL;

  g_free (run_ok (to, record));
  assert_check_ok (to);
  audit_before = audit_lines (to);
  before = file_digest (to);
  g_assert_cmpint (migrate_fails (from, to, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already holds 1 session:"));
  g_assert_nonnull (strstr (err, to));
  after = file_digest (to);
  g_assert_cmpstr (before, ==, after);
  audit_after = audit_lines (to);
  g_assert_cmpstrv (audit_before, audit_after);
  assert_check_ok (to);
  meso_test_remove_tree (dir);
}

static void
changed_cb (sqlite3_context  *context,
            int               argc,
            sqlite3_value   **argv)
{
  sqlite3_result_null (context);
}

/* A damaged original (a row changed behind the tool's back) fails its check before
 * anything is written: the target is not even made. */
static void
test_refuses_damaged_source (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *to = g_build_filename (dir, "copy.db", NULL);
  g_autofree char *err = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (from, &db), ==, SQLITE_OK);
  sqlite3_create_function (db, "meso_changed", 2, SQLITE_UTF8, NULL, changed_cb, NULL, NULL);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE patients SET phone = '0600000000' WHERE id = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (migrate_fails (from, to, &err), ==, 1);
  g_assert_nonnull (strstr (err, "does not pass its check; nothing was copied"));
  g_assert_nonnull (strstr (err, "patients row 1"));
  g_assert_false (g_file_test (to, G_FILE_TEST_EXISTS));
  meso_test_remove_tree (dir);
}

static void
test_usage (void)
{
  const char *no_to[] = { "migrate", "--from", "a.db", NULL };
  const char *same[] = { "migrate", "--from", "a.db", "--to", "a.db", NULL };
  g_autofree char *err = NULL;
  g_autofree char *err_same = NULL;

  g_assert_cmpint (run_cli_out (NULL, no_to, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "give both --from and --to"));
  g_assert_cmpint (run_cli_out (NULL, same, NULL, &err_same), ==, 2);
  g_assert_nonnull (strstr (err_same, "the same database"));
}

/* ---- Through a PostgreSQL server ---- */

/* A new, empty database on the test server; its URI. */
static char *
create_server_database (const char *server,
                        const char *name)
{
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql,
                         NULL };
  const char *after = strstr (server, "://");
  const char *path, *query;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (after);
  path = strchr (after + 3, '/');
  g_assert_nonnull (path);
  query = strchr (path, '?');
  return g_strdup_printf ("%.*s/%s%s", (int) (path - server), server, name,
                          query != NULL ? query : "");
}

static void
drop_server_database (const char *server,
                      const char *name)
{
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", name);
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql,
                         NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static char *
server_name (const char *what)
{
  return g_strdup_printf ("meso_migrate_%s_%u", what, g_random_int ());
}

/* SQLite → the server → SQLite: both copies the same as the original, each check ok. */
static void
test_server_round_trip (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *name = server_name ("trip");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *back = g_build_filename (dir, "back.db", NULL);
  g_autofree char *out = migrate_ok (from, on_server);
  g_autofree char *out_back = migrate_ok (on_server, back);

  assert_counts_equal (out);
  assert_check_ok (on_server);
  assert_check_ok (back);
  assert_audit_copied (from, on_server, "import");
  assert_audit_copied (on_server, back, "import");
  assert_same_records (from, back, dir);
  drop_server_database (server, name);
  meso_test_remove_tree (dir);
}

/* `backup` of a server database writes a file that `check` and `restore` take. */
static void
test_server_backup (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *name = server_name ("backup");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *name2 = server_name ("restore");
  g_autofree char *restored = create_server_database (server, name2);
  g_autofree char *backup = g_build_filename (dir, "server-backup.db", NULL);
  g_autofree char *backup_head = g_strconcat (backup, ".head", NULL);
  const char *backup_args[] = { "backup", backup, NULL };
  const char *restore_args[] = { "restore", backup, NULL };
  g_autofree char *err = NULL;

  g_free (migrate_ok (from, on_server));
  g_free (run_ok (on_server, backup_args));
  g_assert_true (g_file_test (backup_head, G_FILE_TEST_IS_REGULAR));
  assert_check_ok (backup);
  g_free (run_ok (restored, restore_args));
  assert_check_ok (restored);
  assert_audit_copied (backup, restored, "restore");
  /* A server database that holds records is not restored over. */
  g_assert_cmpint (run_cli_out (on_server, restore_args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "already holds"));
  drop_server_database (server, name);
  drop_server_database (server, name2);
  meso_test_remove_tree (dir);
}

/* After a migration to the server, what the server writes next gets the next ids (each
 * id sequence was moved past the copied rows): a new patient, practitioner, session,
 * amendment and its values, adjustment; `check` stays ok there. The way back to SQLite
 * takes them too, though the server sealed none of them (its entries have no rows and
 * no mac: see meso-pg-store-audit.c): the local copy's seal starts at the copy. */
static void
test_server_next_ids (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *name = server_name ("ids");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *back = g_build_filename (dir, "back.db", NULL);
  g_autofree char *next = g_strdup_printf ("%d", N_SESSIONS + 1);
  g_autofree char *next_line = g_strdup_printf ("%d\n", N_SESSIONS + 1);
  const char *practitioner[] = { "clinic", "--add-practitioner", "Dr Cole", NULL };
  const char *record[] = { "record", "--patient", "Dan Fox", "--area", "arms",
                           "--injections", "12", "--duration", "25", "--practitioner",
                           "Dr Cole", NULL };
  const char *amend[] = { "amend", next, "--injections", "14", "--reason", "Recounted",
                          NULL };
  const char *adjust[] = { "adjust", next, "--add-line", "Ice", NULL };
  const char *show[] = { "show", next, NULL };
  g_autofree char *out = NULL;
  g_autofree char *shown = NULL;

  g_free (migrate_ok (from, on_server));
  g_free (run_ok (on_server, practitioner));
  out = run_ok (on_server, record);
  g_assert_cmpstr (out, ==, next_line);
  g_free (run_ok (on_server, amend));
  g_free (run_ok (on_server, adjust));
  shown = run_ok (on_server, show);
  g_assert_nonnull (strstr (shown, "Patient: Dan Fox\n"));
  g_assert_nonnull (strstr (shown, "Injections: 14\n"));
  assert_check_ok (on_server);

  g_free (migrate_ok (on_server, back));
  assert_check_ok (on_server);
  assert_check_ok (back);
  g_free (shown);
  shown = run_ok (back, show);
  g_assert_nonnull (strstr (shown, "Patient: Dan Fox\n"));
  g_assert_nonnull (strstr (shown, "Injections: 14\n"));
  drop_server_database (server, name);
  meso_test_remove_tree (dir);
}


/* ---- Server-written history, copied back ---- */

/* What the server itself writes: a practitioner, two sessions (ids @next and @next + 1),
 * an amendment, a void, an adjustment, a printed sheet (an event). */
static void
write_on_server (const char *on_server,
                 const char *dir,
                 int         next)
{
  g_autofree char *first = g_strdup_printf ("%d", next);
  g_autofree char *second = g_strdup_printf ("%d", next + 1);
  g_autofree char *pdf = g_build_filename (dir, "server-sheet.pdf", NULL);
  const char *practitioner[] = { "clinic", "--add-practitioner", "Dr Cole", NULL };
  const char *record[] = { "record", "--patient", "Dan Fox", "--area", "arms",
                           "--injections", "12", "--duration", "25", "--practitioner",
                           "Dr Cole", "--notes", "Server \"one\"\tand é", NULL };
  const char *record_again[] = { "record", "--patient", "Eve Gray", "--area", "face",
                                 "--injections", "8", "--duration", "15", NULL };
  const char *amend[] = { "amend", first, "--injections", "14", "--reason", "Recounted",
                          NULL };
  const char *void_second[] = { "void", second, "--reason", "Wrong patient", NULL };
  const char *adjust[] = { "adjust", first, "--add-line", "Ice", NULL };
  const char *sheet[] = { "sheet", first, "--output", pdf, NULL };

  g_free (run_ok (on_server, practitioner));
  g_free (run_ok (on_server, record));
  g_free (run_ok (on_server, record_again));
  g_free (run_ok (on_server, amend));
  g_free (run_ok (on_server, void_second));
  g_free (run_ok (on_server, adjust));
  g_free (run_ok (on_server, sheet));
  assert_check_ok (on_server);
}

typedef struct
{
  GString   *tables;   /* every record row, one line each */
  GPtrArray *entries;  /* each audit entry's line, without its rows and mac */
  gboolean   all_sealed;
} DumpText;

static void
append_dump_value (GString             *out,
                   const MesoDumpValue *value)
{
  switch (value->type)
    {
    case MESO_DUMP_INTEGER:
      g_string_append_printf (out, "i%" G_GINT64_FORMAT, value->integer);
      break;
    case MESO_DUMP_REAL:
      g_string_append_printf (out, "r%.17g", value->real);
      break;
    case MESO_DUMP_TEXT:
      g_string_append_c (out, 't');
      g_string_append_len (out, value->data, (gssize) value->length);
      break;
    case MESO_DUMP_BLOB:
      g_string_append_c (out, 'x');
      for (gsize i = 0; i < value->length; i++)
        g_string_append_printf (out, "%02x", (guchar) value->data[i]);
      break;
    case MESO_DUMP_NULL:
    default:
      g_string_append_c (out, 'n');
      break;
    }
}

static gboolean
dump_text_row (const MesoDumpRow  *row,
               gpointer            user_data,
               GError            **error)
{
  DumpText *text = user_data;
  gboolean audit = g_str_equal (row->table, MESO_DUMP_AUDIT);
  g_autoptr(GString) line = g_string_new (row->table);

  if (g_str_equal (row->table, MESO_DUMP_HEADER))
    return TRUE;
  for (guint i = 0; i < row->n_columns; i++)
    {
      if (audit && (g_str_equal (row->columns[i], "rows") || g_str_equal (row->columns[i],
                                                                          "mac")))
        continue;
      g_string_append_printf (line, "\x1f%s=", row->columns[i]);
      append_dump_value (line, &row->values[i]);
    }
  if (audit)
    {
      const MesoDumpValue *mac = meso_dump_row_get (row, "mac");

      text->all_sealed = text->all_sealed && mac != NULL && mac->type == MESO_DUMP_TEXT;
      g_ptr_array_add (text->entries, g_string_free (g_steal_pointer (&line), FALSE));
    }
  else
    g_string_append_printf (text->tables, "%s\n", line->str);
  return TRUE;
}

static void
dump_text (const char *location,
           DumpText   *out_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open_read_only (location, &error);

  g_assert_no_error (error);
  out_text->tables = g_string_new (NULL);
  out_text->entries = g_ptr_array_new_with_free_func (g_free);
  out_text->all_sealed = TRUE;
  g_assert_true (meso_store_dump (store, dump_text_row, out_text, &error));
  g_assert_no_error (error);
}

static void
dump_text_clear (DumpText *text)
{
  g_string_free (text->tables, TRUE);
  g_ptr_array_unref (text->entries);
}

/* @copy holds every record row of @original with the same values, and every audit
 * entry of it (each column but rows and mac) in the same order, then the entries that
 * seal its rows at the copy and the migration's; each of them sealed. */
static void
assert_dumps_copied (const char *original,
                     const char *copy)
{
  DumpText theirs, ours;

  dump_text (original, &theirs);
  dump_text (copy, &ours);
  g_assert_cmpstr (ours.tables->str, ==, theirs.tables->str);
  g_assert_nonnull (strstr (theirs.tables->str, "Dan Fox"));
  g_assert_false (theirs.all_sealed);
  g_assert_true (ours.all_sealed);
  g_assert_cmpuint (ours.entries->len, >, theirs.entries->len + 1);
  for (guint i = 0; i < theirs.entries->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ours.entries, i), ==,
                     g_ptr_array_index (theirs.entries, i));
  for (guint i = theirs.entries->len; i + 1 < ours.entries->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (ours.entries, i), "\x1f" "action=tseal\x1f"));
  g_assert_nonnull (strstr (g_ptr_array_index (ours.entries, ours.entries->len - 1),
                            "\x1f" "action=timport\x1f"));
  dump_text_clear (&theirs);
  dump_text_clear (&ours);
}

/* Changes one session's injections in @path behind the store's back (its triggers off
 * on this connection alone, the schema untouched): `check` must name that row. */
static void
edit_session (const char *path,
              gint64      session_id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE sessions SET injections = injections + 1"
                                          " WHERE id = %" G_GINT64_FORMAT, session_id);
  sqlite3 *db = NULL;
  int enabled = -1;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &enabled), ==,
                   SQLITE_OK);
  g_assert_cmpint (enabled, ==, 0);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static void
assert_check_fails (const char *db,
                    const char *message)
{
  const char *args[] = { "check", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli_out (db, args, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, message));
}

/* The chain id of @path's audit log (its key's name). */
static char *
chain_id_of (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *chain_id;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT chain_id FROM audit_chain", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  chain_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return chain_id;
}

/* A clinic moved to its server, which then records, amends, voids, adjusts and prints
 * there: `migrate --to FILE` copies all of it back, both sides check ok, every row and
 * every entry is there with the same values, the file has a chain (and key) of its own,
 * a later write to the file is sealed and checks ok, and an edited session is caught. */
static void
test_server_copy_back (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *name = server_name ("back");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *back = g_build_filename (dir, "back.db", NULL);
  g_autofree char *back_head = g_strconcat (back, ".head", NULL);
  g_autofree char *out = NULL;
  g_autofree char *from_chain = NULL;
  g_autofree char *back_chain = NULL;
  g_autofree char *id = NULL;
  g_autofree char *next_line = g_strdup_printf ("%d\n", N_SESSIONS + 3);
  g_autofree char *edited = g_strdup_printf ("sessions row %d differs from what entry",
                                             N_SESSIONS + 1);
  const char *record[] = { "record", "--patient", "Fay Hill", "--area", "neck",
                           "--injections", "9", "--duration", "20", NULL };
  const char *amend[] = { "amend", "3", "--duration", "61", "--reason", "Clock", NULL };

  g_free (migrate_ok (from, on_server));
  write_on_server (on_server, dir, N_SESSIONS + 1);
  out = migrate_ok (on_server, back);
  g_assert_nonnull (strstr (out, " sealing the copy’s rows, and this migration’s)\n"));
  assert_check_ok (on_server);
  assert_check_ok (back);
  g_assert_true (g_file_test (back_head, G_FILE_TEST_IS_REGULAR));
  assert_dumps_copied (on_server, back);
  from_chain = chain_id_of (from);
  back_chain = chain_id_of (back);
  g_assert_cmpstr (from_chain, !=, back_chain);

  /* The file goes on as any file: its writes sealed under its own key. */
  id = run_ok (back, record);
  g_assert_cmpstr (id, ==, next_line);
  g_free (run_ok (back, amend));
  assert_check_ok (back);
  edit_session (back, N_SESSIONS + 1);
  assert_check_fails (back, edited);
  drop_server_database (server, name);
  meso_test_remove_tree (dir);
}

/* A server that never held a copy of a file (its log the plain chain from its first
 * entry, no chain id): its copy back is whole and checks ok too. */
static void
test_server_fresh_copy_back (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *name = server_name ("fresh");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *back = g_build_filename (dir, "back.db", NULL);
  const char *record[] = { "record", "--patient", "Ann Lee", "--area", "face",
                           "--injections", "20", "--duration", "45", NULL };
  const char *list[] = { "list", NULL };
  g_autofree char *list_server = NULL;
  g_autofree char *list_back = NULL;

  g_free (run_ok (on_server, record));
  write_on_server (on_server, dir, 2);
  g_free (migrate_ok (on_server, back));
  assert_check_ok (on_server);
  assert_check_ok (back);
  assert_dumps_copied (on_server, back);
  list_server = run_ok (on_server, list);
  list_back = run_ok (back, list);
  g_assert_cmpstr (list_server, ==, list_back);
  drop_server_database (server, name);
  meso_test_remove_tree (dir);
}

/* `backup` of a server that wrote sessions, amendments, voids, adjustments and events
 * itself: the file checks ok, and restored into an empty server database it checks ok
 * there, every record as it was. */
static void
test_server_backup_written (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *from = make_clinic (dir);
  g_autofree char *name = server_name ("wbackup");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *name2 = server_name ("wrestore");
  g_autofree char *restored = create_server_database (server, name2);
  g_autofree char *backup = g_build_filename (dir, "server-backup.db", NULL);
  const char *backup_args[] = { "backup", backup, NULL };
  const char *restore_args[] = { "restore", backup, NULL };
  DumpText theirs, ours;

  g_free (migrate_ok (from, on_server));
  write_on_server (on_server, dir, N_SESSIONS + 1);
  g_free (run_ok (on_server, backup_args));
  assert_check_ok (backup);
  g_free (run_ok (restored, restore_args));
  assert_check_ok (restored);
  assert_check_ok (on_server);
  assert_audit_copied (backup, restored, "restore");
  dump_text (backup, &theirs);
  dump_text (restored, &ours);
  g_assert_cmpstr (ours.tables->str, ==, theirs.tables->str);
  g_assert_nonnull (strstr (ours.tables->str, "Dan Fox"));
  dump_text_clear (&theirs);
  dump_text_clear (&ours);
  drop_server_database (server, name);
  drop_server_database (server, name2);
  meso_test_remove_tree (dir);
}

/* Runs @sql on the server database @uri as its owner (the test server's superuser). */
static void
server_run (const char *uri,
            const char *sql)
{
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", uri, "-c", sql, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* A server log whose chain an owner's hand broke (its trigger disabled, an entry's link
 * rewritten): the copy back and the backup are refused, naming the entry, and leave no
 * file holding anything. */
static void
test_server_broken_link (gconstpointer data)
{
  const char *server = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("migrate-XXXXXX");
  g_autofree char *name = server_name ("broken");
  g_autofree char *on_server = create_server_database (server, name);
  g_autofree char *back = g_build_filename (dir, "back.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "backup.db", NULL);
  const char *record[] = { "record", "--patient", "Ann Lee", "--area", "face",
                           "--injections", "20", "--duration", "45", NULL };
  const char *backup_args[] = { "backup", backup, NULL };
  g_autofree char *err = NULL;
  g_autofree char *backup_err = NULL;

  g_free (run_ok (on_server, record));
  write_on_server (on_server, dir, 2);
  server_run (on_server, "ALTER TABLE audit_log DISABLE TRIGGER USER;"
                         " UPDATE audit_log SET prev_hash = repeat ('1', 64) WHERE seq = 3;"
                         " ALTER TABLE audit_log ENABLE TRIGGER USER");

  g_assert_cmpint (migrate_fails (on_server, back, &err), ==, 1);
  g_assert_nonnull (strstr (err, "entry 3 ("));
  g_assert_nonnull (strstr (err, "does not link to the one before it"));
  g_assert_nonnull (strstr (err, "nothing was copied"));
  g_assert_false (g_file_test (back, G_FILE_TEST_EXISTS));

  /* A backup does not check the server first: its load proves the chain itself. */
  g_assert_cmpint (run_cli_out (on_server, backup_args, NULL, &backup_err), ==, 1);
  g_assert_nonnull (strstr (backup_err, "No backup was written"));
  g_assert_nonnull (strstr (backup_err, "entry 3 ("));
  g_assert_nonnull (strstr (backup_err, "of the copied audit log does not link to the one "
                                        "before it"));
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
  drop_server_database (server, name);
  meso_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  const char *server = g_getenv ("MESOCARE_TEST_SERVER");

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/migrate/sqlite/copy-identical", test_copy_identical);
  g_test_add_func ("/migrate/sqlite/copy-written-to", test_copy_written_to);
  g_test_add_func ("/migrate/sqlite/refuses-non-empty", test_refuses_non_empty);
  g_test_add_func ("/migrate/sqlite/refuses-damaged-source", test_refuses_damaged_source);
  g_test_add_func ("/migrate/usage", test_usage);
  /* Only with a server to run them on. */
  if (server != NULL && *server != '\0')
    {
      g_test_add_data_func ("/migrate/postgresql/round-trip", server, test_server_round_trip);
      g_test_add_data_func ("/migrate/postgresql/backup-restore", server, test_server_backup);
      g_test_add_data_func ("/migrate/postgresql/next-ids", server, test_server_next_ids);
      g_test_add_data_func ("/migrate/postgresql/copy-back", server, test_server_copy_back);
      g_test_add_data_func ("/migrate/postgresql/fresh-copy-back", server,
                            test_server_fresh_copy_back);
      g_test_add_data_func ("/migrate/postgresql/backup-server-written", server,
                            test_server_backup_written);
      g_test_add_data_func ("/migrate/postgresql/broken-link", server, test_server_broken_link);
    }
  return g_test_run ();
}
