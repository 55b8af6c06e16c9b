/* test-cli-files.c: the files and input of mesocare-cli, as an attacker or a bad disk
 * would try them (issue 14): outputs that name the database, that exist 0644, that meet
 * a full disk; dates typed with an offset; a value changed by hand in the database;
 * options given twice; a data folder and database others may read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>

#include "meso-test-util.h"

/* ---- Running the tool ---- */

/* A full disk, as the tool meets it: no file may grow past this many bytes (writes beyond
 * fail with EFBIG, SIGXFSZ ignored). Room enough for the database's -wal and -shm files,
 * too little for the export of 200 sessions or a sheet with a large logo. */
#define FULL_DISK_BYTES (40 * 1024)

static void
fill_disk_cb (gpointer data)
{
  struct rlimit limit = { FULL_DISK_BYTES, FULL_DISK_BYTES };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

typedef enum
{
  RUN_PLAIN,
  RUN_FULL_DISK,
} RunMode;

/* Runs the tool in @cwd (or the test's own), returns its status; its stderr in @out_err. */
static int
run_cli_in (const char         *cwd,
            RunMode             mode,
            const char         *db,
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

  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if (mode == RUN_FULL_DISK)
    g_subprocess_launcher_set_child_setup (launcher, fill_disk_cb, NULL, NULL);
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

static char *
run_ok (const char         *db,
        const char * const *args)
{
  char *out = NULL;

  g_assert_cmpint (run_cli_in (NULL, RUN_PLAIN, db, args, &out, NULL), ==, 0);
  return out;
}

static void
record_session (const char *db,
                const char *patient)
{
  const char *args[] = {
    "record", "--patient", patient, "--area", "face", "--injections", "40",
    "--duration", "30", NULL
  };
  g_autofree char *out = run_ok (db, args);
}

static guint
file_mode (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return buf.st_mode & 07777;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
write_text (const char *path,
            const char *text,
            int         mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

/* Nothing but @expected (a NULL-terminated list of names) in @folder: no temporary file
 * left behind. */
static void
assert_folder_holds (const char         *folder,
                     const char * const *expected)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (!g_strv_contains (expected, name))
        g_test_message ("Left behind in %s: %s", folder, name);
      g_assert_true (g_strv_contains (expected, name));
    }
}

/* ---- Outputs that name the database ---- */

typedef struct
{
  const char *path;
  const char *command;  /* export or sheet */
  const char *target;   /* relative to the database's folder, which is the tool's cwd */
} DatabaseTarget;

static const DatabaseTarget database_targets[] = {
  { "export-db", "export", "mesocare.db" },
  { "export-dot", "export", "./mesocare.db" },
  { "export-dotdot", "export", "../data/mesocare.db" },
  { "export-symlink", "export", "link.csv" },
  { "export-hard-link", "export", "hard.csv" },
  { "export-wal", "export", "mesocare.db-wal" },
  { "export-shm", "export", "mesocare.db-shm" },
  { "sheet-db", "sheet", "mesocare.db" },
  { "sheet-dot", "sheet", "./mesocare.db" },
  { "sheet-symlink", "sheet", "link.csv" },
  { "sheet-wal", "sheet", "mesocare.db-wal" },
};

/* `export --output` or `sheet --output` naming the database, by any name, is refused with
 * a message that says so, and the database is left whole. */
static void
test_output_is_database (gconstpointer data)
{
  const DatabaseTarget *target = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autofree char *sym = g_build_filename (folder, "link.csv", NULL);
  g_autofree char *hard = g_build_filename (folder, "hard.csv", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *err = NULL;
  const char *export_args[] = { "export", "--output", target->target, NULL };
  const char *sheet_args[] = { "sheet", "1", "--output", target->target, NULL };
  const char *list_args[] = { "list", NULL };

  record_session (dir->db, "Ann Lee");
  g_assert_cmpint (symlink ("mesocare.db", sym), ==, 0);
  g_assert_cmpint (link (dir->db, hard), ==, 0);
  before = run_ok (dir->db, list_args);

  g_assert_cmpint (run_cli_in (folder, RUN_PLAIN, "mesocare.db",
                               g_str_equal (target->command, "export")
                               ? export_args : sheet_args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "this is the database"));

  after = run_ok (dir->db, list_args);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (g_file_test (sym, G_FILE_TEST_IS_SYMLINK), ==, TRUE);
}

/* ---- Private outputs ---- */

/* An export or a sheet over an existing 0644 file leaves it 0600: it holds medical
 * records. */
static void
test_output_made_private (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *csv = meso_test_dir_file (dir, "out.csv");
  g_autofree char *pdf = meso_test_dir_file (dir, "out.pdf");
  const char *export_args[] = { "export", "--output", csv, NULL };
  const char *sheet_args[] = { "sheet", "1", "--output", pdf, NULL };
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *text = NULL;

  record_session (dir->db, "Ann Lee");
  write_text (csv, "old\n", 0644);
  write_text (pdf, "old\n", 0644);
  out1 = run_ok (dir->db, export_args);
  out2 = run_ok (dir->db, sheet_args);
  g_assert_cmpuint (file_mode (csv), ==, 0600);
  g_assert_cmpuint (file_mode (pdf), ==, 0600);
  text = read_text (csv);
  g_assert_nonnull (strstr (text, "Ann Lee"));
}

/* ---- A full disk ---- */

/* A PNG of noise, which no compression shrinks: a sheet that prints it is larger than
 * FULL_DISK_BYTES. */
static void
write_noise_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 160, 160);
  unsigned char *pixels = cairo_image_surface_get_data (surface);
  int size = cairo_image_surface_get_stride (surface) * 160;
  GRand *rand = g_rand_new_with_seed (14);

  cairo_surface_flush (surface);
  for (int i = 0; i < size; i++)
    pixels[i] = g_rand_int_range (rand, 0, 256);
  cairo_surface_mark_dirty (surface);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  g_rand_free (rand);
}

/* On a full disk, an export or a sheet fails naming the output file (not the database),
 * and the file that was there is left as it was, with nothing left beside it. */
static void
test_output_full_disk (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *csv = meso_test_dir_file (dir, "out.csv");
  g_autofree char *pdf = meso_test_dir_file (dir, "out.pdf");
  g_autofree char *new_csv = meso_test_dir_file (dir, "new.csv");
  g_autofree char *logo = meso_test_dir_file (dir, "logo.png");
  const char *generate_args[] = { "generate", "--sessions", "200", NULL };
  const char *logo_args[] = { "clinic", "--logo", logo, NULL };
  const char *export_args[] = { "export", "--output", csv, NULL };
  const char *new_export_args[] = { "export", "--output", new_csv, NULL };
  const char *sheet_args[] = { "sheet", "1", "--output", pdf, NULL };
  const char * const left[] = { "data", "out.csv", "out.pdf", "logo.png", NULL };
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *pdf_text = NULL;
  g_autofree char *err1 = NULL;
  g_autofree char *err2 = NULL;
  g_autofree char *err3 = NULL;

  out1 = run_ok (dir->db, generate_args);
  write_noise_png (logo);
  out2 = run_ok (dir->db, logo_args);
  write_text (csv, "earlier export\n", 0600);
  write_text (pdf, "earlier sheet\n", 0600);

  g_assert_cmpint (run_cli_in (NULL, RUN_FULL_DISK, dir->db, export_args, NULL, &err1), ==, 1);
  g_assert_nonnull (strstr (err1, csv));
  g_assert_null (strstr (err1, "Database"));
  g_assert_cmpint (run_cli_in (NULL, RUN_FULL_DISK, dir->db, new_export_args, NULL, &err2),
                   ==, 1);
  g_assert_nonnull (strstr (err2, new_csv));
  g_assert_cmpint (run_cli_in (NULL, RUN_FULL_DISK, dir->db, sheet_args, NULL, &err3), ==, 1);
  g_assert_nonnull (strstr (err3, pdf));
  g_assert_null (strstr (err3, "Database"));

  csv_text = read_text (csv);
  g_assert_cmpstr (csv_text, ==, "earlier export\n");
  pdf_text = read_text (pdf);
  g_assert_cmpstr (pdf_text, ==, "earlier sheet\n");
  assert_folder_holds (dir->path, left);
}

/* ---- Dates with an offset ---- */

static int
run_in_utc (const char         *db,
            const char * const *args,
            char              **out,
            char              **err)
{
  g_setenv ("TZ", "UTC", TRUE);
  return run_cli_in (NULL, RUN_PLAIN, db, args, out, err);
}

/* A session typed in 2000 with an offset (stored in UTC as 1999-12-31T23:30:00Z) is
 * shown, amended, exported and imported again; the year-2000 rule still refuses what was
 * typed before 2000. */
static void
test_date_with_offset (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *csv = meso_test_dir_file (dir, "out.csv");
  g_autofree char *second_db = g_build_filename (dir->path, "second", "mesocare.db", NULL);
  const char *record[] = {
    "record", "--patient", "Ann Lee", "--area", "face", "--injections", "40",
    "--duration", "30", "--date", "2000-01-01T00:30:00+01:00", NULL
  };
  const char *show[] = { "show", "1", NULL };
  const char *amend[] = { "amend", "1", "--injections", "41", "--reason", "typo", NULL };
  const char *export[] = { "export", "--output", csv, NULL };
  const char *import[] = { "import", csv, NULL };
  static const char * const refused[] = {
    "1999-12-31", "1999-12-31T23:30", "1999-12-31T23:59:59+14:00", "1999-12-31T09:00:00Z",
  };
  g_autofree char *id = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *amended = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *shown_again = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_in_utc (dir->db, record, &id, NULL), ==, 0);
  g_assert_cmpstr (id, ==, "1\n");
  g_assert_cmpint (run_in_utc (dir->db, show, &shown, NULL), ==, 0);
  g_assert_nonnull (strstr (shown, "Date: 1999-12-31T23:30:00+00:00\n"));
  g_assert_cmpint (run_in_utc (dir->db, amend, &amended, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (run_in_utc (dir->db, export, &exported, NULL), ==, 0);
  g_assert_cmpint (run_in_utc (second_db, import, &imported, NULL), ==, 0);
  g_assert_cmpstr (imported, ==, "1 session imported\n");
  g_assert_cmpint (run_in_utc (second_db, show, &shown_again, NULL), ==, 0);
  g_assert_nonnull (strstr (shown_again, "Date: 1999-12-31T23:30:00+00:00\n"));
  g_assert_nonnull (strstr (shown_again, "Injections: 41\n"));

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      const char *args[] = {
        "record", "--patient", "Ann Lee", "--area", "face", "--injections", "40",
        "--duration", "30", "--date", refused[i], NULL
      };
      g_autofree char *message = NULL;

      g_assert_cmpint (run_in_utc (dir->db, args, NULL, &message), ==, 1);
      g_assert_nonnull (strstr (message, "before the year 2000"));
    }
}

/* ---- A bad stored value ---- */

static void
changed_stub (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  sqlite3_result_null (context);
}

static void
corrupt_reaction (const char *db)
{
  sqlite3 *handle = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  /* As someone editing the file by hand would: an id no version of Mesocare knows (with
   * a meso_changed() of their own, which the sealed triggers call, noting nothing). */
  sqlite3_create_function (handle, "meso_changed", 2, SQLITE_UTF8, NULL, changed_stub, NULL,
                           NULL);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "UPDATE session_current SET reactions = 'sparkles'"
                                 " WHERE session_id = 1",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (handle), ==, 1);
  g_assert_cmpint (sqlite3_exec (handle,
                                 "UPDATE session_current SET areas = 'elbow'"
                                 " WHERE session_id = 2",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (handle), ==, 1);
  sqlite3_close (handle);
}

/* One reaction and one session's areas changed by hand to unknown ids: `list`, `list
 * --format csv` and `export`
 * still give every session, the bad values shown as stored or marked; `show` says it is
 * unknown; an amendment that would drop it is refused, one that replaces it is taken. */
static void
test_unknown_stored_value (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *csv = meso_test_dir_file (dir, "out.csv");
  const char *record[] = {
    "record", "--patient", "Ann Lee", "--area", "face", "--injections", "40",
    "--duration", "30", "--reactions", "redness", NULL
  };
  const char *list[] = { "list", NULL };
  const char *list_csv[] = { "list", "--format", "csv", NULL };
  const char *export[] = { "export", "--output", csv, NULL };
  const char *show[] = { "show", "1", NULL };
  const char *amend[] = { "amend", "1", "--injections", "41", "--reason", "typo", NULL };
  const char *amend_both[] = {
    "amend", "1", "--injections", "41", "--reactions", "pain", "--reason", "typo", NULL
  };
  g_autofree char *id = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *listed_csv = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *csv_text = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *err = NULL;
  g_autofree char *amended = NULL;
  g_autofree char *shown_after = NULL;

  g_assert_cmpint (run_cli_in (NULL, RUN_PLAIN, dir->db, record, &id, NULL), ==, 0);
  record_session (dir->db, "Bob Stone");
  corrupt_reaction (dir->db);

  listed = run_ok (dir->db, list);
  g_assert_nonnull (strstr (listed, "\tAnn Lee\tface\t"));
  g_assert_nonnull (strstr (listed, "\tBob Stone\t(unknown)\t"));
  listed_csv = run_ok (dir->db, list_csv);
  g_assert_nonnull (strstr (listed_csv, ",sparkles,"));
  g_assert_nonnull (strstr (listed_csv, "Bob Stone"));
  exported = run_ok (dir->db, export);
  csv_text = read_text (csv);
  g_assert_nonnull (strstr (csv_text, ",sparkles,"));
  g_assert_nonnull (strstr (csv_text, "Bob Stone,elbow,"));
  shown = run_ok (dir->db, show);
  g_assert_nonnull (strstr (shown, "Reactions: “sparkles” (unknown stored value)\n"));

  g_assert_cmpint (run_cli_in (NULL, RUN_PLAIN, dir->db, amend, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "“sparkles”, a stored value this version does not know"));
  amended = run_ok (dir->db, amend_both);
  shown_after = run_ok (dir->db, show);
  g_assert_nonnull (strstr (shown_after, "Reactions: pain\n"));
  g_assert_nonnull (strstr (shown_after, "“sparkles” → “pain”"));
}

/* ---- Options given twice ---- */

/* `record --patient A --patient B` is refused, naming the option, and nothing is
 * recorded; `--patient=A ... --patient B` too. */
static void
test_repeated_option (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *twice[] = {
    "record", "--patient", "Ann Lee", "--patient", "Bob Stone", "--area", "face",
    "--injections", "40", "--duration", "30", NULL
  };
  const char *twice_equals[] = {
    "record", "--patient=Ann Lee", "--area", "face", "--injections", "40",
    "--duration", "30", "--patient", "Bob Stone", NULL
  };
  const char *list_twice[] = { "list", "--format", "csv", "--format", "json", NULL };
  const char *list[] = { "list", NULL };
  const char * const *cases[] = { twice, twice_equals, list_twice };
  g_autofree char *listed = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out = NULL;

      g_assert_cmpint (run_cli_in (NULL, RUN_PLAIN, dir->db, cases[i], &out, &err), ==, 2);
      g_assert_nonnull (strstr (err, i < 2 ? "the option --patient is given twice"
                                           : "the option --format is given twice"));
      g_assert_cmpstr (out, ==, "");
    }
  record_session (dir->db, "Cleo Park");
  listed = run_ok (dir->db, list);
  g_assert_null (strstr (listed, "Ann Lee"));
  g_assert_null (strstr (listed, "Bob Stone"));
}

/* ---- Modes tightened at open ---- */

/* The app's data folder found 0755 and its database 0644 (made by hand, or by a copy) are
 * made 0700 and 0600 when the database is opened for writing (a command that only reads
 * changes nothing); a folder given with --db, which may be shared, keeps its mode while
 * the database in it is tightened. */
static void
test_modes_tightened (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "mesocare", NULL);
  g_autofree char *db = g_build_filename (folder, "mesocare.db", NULL);
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *shared = g_path_get_dirname (dir->db);
  const char *list[] = { "upgrade", NULL };
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  record_session (NULL, "Ann Lee");
  g_assert_cmpint (g_chmod (folder, 0755), ==, 0);
  g_assert_cmpint (g_chmod (db, 0644), ==, 0);
  out1 = run_ok (NULL, list);
  g_assert_cmpuint (file_mode (folder), ==, 0700);
  g_assert_cmpuint (file_mode (db), ==, 0600);

  record_session (dir->db, "Bob Stone");
  g_assert_cmpint (g_chmod (shared, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir->db, 0644), ==, 0);
  out2 = run_ok (dir->db, list);
  g_assert_cmpuint (file_mode (dir->db), ==, 0600);
  g_assert_cmpuint (file_mode (shared), ==, 0755);
}

/* ---- A backup onto a full disk ---- */

/* `backup FILE` on a full disk fails naming FILE, never blaming the database, and
 * leaves no file behind. */
static void
test_backup_full_disk (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *copy = meso_test_dir_file (dir, "copy.db");
  const char *generate_args[] = { "generate", "--sessions", "200", NULL };
  const char *backup_args[] = { "backup", copy, NULL };
  const char * const left[] = { "data", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  out = run_ok (dir->db, generate_args);
  g_assert_cmpint (run_cli_in (NULL, RUN_FULL_DISK, dir->db, backup_args, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, copy));
  g_assert_null (strstr (err, dir->db));
  assert_folder_holds (dir->path, left);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  MESO_TEST_ADD_NAMED_CASES ("/cli-files/output-is-database/", database_targets,
                             test_output_is_database);
  g_test_add_func ("/cli-files/output-made-private", test_output_made_private);
  g_test_add_func ("/cli-files/output-full-disk", test_output_full_disk);
  g_test_add_func ("/cli-files/date-with-offset", test_date_with_offset);
  g_test_add_func ("/cli-files/unknown-stored-value", test_unknown_stored_value);
  g_test_add_func ("/cli-files/repeated-option", test_repeated_option);
  g_test_add_func ("/cli-files/modes-tightened", test_modes_tightened);
  g_test_add_func ("/cli-files/backup-full-disk", test_backup_full_disk);
  return g_test_run ();
}
