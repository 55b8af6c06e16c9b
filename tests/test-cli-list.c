/* test-cli-list.c: list and export over current values; the upgrade of a real old
 * database; two processes amending the same sessions at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "meso-csv.h"
#include "meso-store.h"
#include "meso-test-util.h"

static char *
run_cli (const char         *db,
         const char * const *args,
         int                *out_status,
         char              **out_err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  /* The fixture's expected output was written in Paris time. */
  g_subprocess_launcher_setenv (launcher, "TZ", "Europe/Paris", TRUE);
  process = meso_test_spawn_cli (launcher, db, args);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, out_err, &error);
  g_assert_no_error (error);
  *out_status = g_subprocess_get_exit_status (process);
  return out;
}

static char *
run_ok (const char         *db,
        const char * const *args)
{
  g_autofree char *err = NULL;
  int status = -1;
  char *out = run_cli (db, args, &status, &err);

  meso_test_log_text ("stderr", err);
  g_assert_cmpint (status, ==, 0);
  return out;
}

static char *
read_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
copy_old_database (const MesoTestDir *dir,
                   guint              step)
{
  g_autofree char *name = g_strdup_printf ("schema-%u.db", step);
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GFile) from = g_file_new_for_path (source);
  g_autoptr(GFile) to = g_file_new_for_path (dir->db);
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (dir->db, 0600), ==, 0);
  return g_strdup (dir->db);
}

/* Databases written by earlier versions, kept as they wrote them: schema 1 (the first
 * release: three sessions), schema 2 (the complete record: amendments and a void) and
 * schema 3 (amendments of every kind, a void, adjustments and prints). Each is upgraded
 * on first use: `list` prints what the version that wrote it printed, every session
 * shows what it showed, and the audit chain holds. */
typedef struct
{
  const char *path;
  guint       step;
  guint       sessions;
} OldDatabase;

static const OldDatabase old_databases[] = {
  { "1", 1, 3 },
  { "2", 2, 3 },
  { "3", 3, 5 },
};

static char *
read_step_data (guint       step,
                const char *what)
{
  g_autofree char *name = g_strdup_printf ("schema-%u.%s", step, what);

  return read_data (name);
}

static void
test_upgrade (gconstpointer data)
{
  const OldDatabase *old = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *db = copy_old_database (dir, old->step);
  g_autofree char *list = NULL;
  g_autofree char *expected_list = read_step_data (old->step, "list.txt");
  g_autofree char *check = NULL;
  g_autofree char *csv = meso_test_dir_file (dir, "export.csv");
  g_autofree char *exported = NULL;
  g_autofree char *expected_csv = read_step_data (old->step, "export.csv");
  g_autoptr(GError) error = NULL;

  /* The commands that only read leave an old database as it is: it is brought up to
   * date by one that writes. */
  g_free (run_ok (db, (const char * const[]) { "upgrade", NULL }));
  list = run_ok (db, (const char * const[]) { "list", NULL });
  g_assert_cmpstr (list, ==, expected_list);
  for (guint id = 1; id <= old->sessions; id++)
    {
      g_autofree char *id_text = g_strdup_printf ("%u", id);
      g_autofree char *name = g_strdup_printf ("schema-%u.show-%u.txt", old->step, id);
      g_autofree char *expected = read_data (name);
      g_autofree char *shown = run_ok (db, (const char * const[]) { "show", id_text, NULL });

      g_assert_cmpstr (shown, ==, expected);
    }
  g_free (run_ok (db, (const char * const[]) { "export", "--output", csv, NULL }));
  g_file_get_contents (csv, &exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exported, ==, expected_csv);
  check = run_ok (db, (const char * const[]) { "check", NULL });
  g_assert_cmpstr (check, ==, "ok\n");
}

/* On a server, which has no old schema to upgrade, what the filters and formats below
 * read of schema 3's sessions, made by the tool: five sessions, the first four amended
 * (the first one's lot from L123), the fifth voided. */
static char *
server_fixture (const MesoTestDir *dir)
{
  static const char * const steps[][9] = {
    { "record", "--patient=Anne Dupont", "--area=scalp,neck", "--injections=120",
      "--duration=35", "--date=2025-11-03T10:30:00+01:00", "--lot=L123" },
    { "amend", "1", "--lot=L124", "--reason=wrong lot" },
    { "record", "--patient=José Núñez", "--area=face,neck", "--injections=80",
      "--duration=20", "--date=2025-11-04T09:00:00+01:00" },
    { "amend", "2", "--patient=José Nuñez", "--reason=name misspelt" },
    { "record", "--patient=Zoë Ölund", "--area=abdomen,flanks,thighs", "--injections=190",
      "--duration=45", "--date=2025-11-05T16:30:00+01:00" },
    { "amend", "3", "--injections=200", "--reason=miscounted" },
    { "record", "--patient=anne dupont", "--area=scalp", "--injections=100",
      "--duration=20", "--date=2025-11-18T10:00:00+01:00", "--lot=L123" },
    { "amend", "4", "--duration=25", "--reason=miscounted" },
    { "record", "--patient=Marc Blanc", "--area=buttocks", "--injections=50",
      "--duration=15", "--date=2025-11-20T11:00:00+01:00" },
    { "void", "5", "--reason=wrong patient" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    g_free (run_ok (dir->db, steps[i]));
  return g_strdup (dir->db);
}

/* A database with the fixture's five sessions, upgraded. */
static char *
upgraded_fixture (const MesoTestDir *dir)
{
  char *db;

  if (meso_test_engine_is_postgresql ())
    return server_fixture (dir);
  db = copy_old_database (dir, 3);

  g_free (run_ok (db, (const char * const[]) { "upgrade", NULL }));
  return db;
}

/* Filters work on the upgraded values: session 1's lot was amended from L123. */
static void
test_upgraded_filters (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *db = upgraded_fixture (dir);
  g_autofree char *list = run_ok (db, (const char * const[]) { "list", "--lot", "L123",
                                                               NULL });

  g_assert_true (g_str_has_prefix (list, "4\t"));
  g_assert_cmpuint (meso_test_count_newlines (list), ==, 1);
}

static void
test_csv_parses_back (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *db = upgraded_fixture (dir);
  g_autofree char *out = run_ok (db, (const char * const[]) { "list", "--format", "csv",
                                                              NULL });
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (out, strlen (out));
  g_auto(GStrv) header = NULL;
  g_autoptr(GError) error = NULL;
  guint line = 0, rows = 0, n_columns;
  GStrv row = NULL;

  g_assert_true (meso_csv_reader_next (reader, &header, &line, &error));
  n_columns = g_strv_length (header);
  g_assert_cmpstr (header[0], ==, "id");
  g_assert_cmpstr (header[n_columns - 1], ==, "status");
  while (meso_csv_reader_next (reader, &row, &line, &error))
    {
      g_assert_cmpuint (g_strv_length (row), ==, n_columns);
      if (g_str_equal (row[0], "5"))
        g_assert_cmpstr (row[n_columns - 1], ==, "voided");
      else
        g_assert_cmpstr (row[n_columns - 1], ==, "amended");  /* 1 to 4 were all corrected */
      rows++;
      g_clear_pointer (&row, g_strfreev);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 5);
}

static void
test_json_parses_back (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *db = upgraded_fixture (dir);
  g_autofree char *out = run_ok (db, (const char * const[]) { "list", "--format", "json",
                                                              "--area", "neck", NULL });
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonObject *first;

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (array), ==, 2);   /* sessions 2 and 1 */
  first = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (first, "patient"), ==, "José Nuñez");
  g_assert_cmpint (json_object_get_int_member (first, "injections"), ==, 80);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "area")), ==, 2);
  g_assert_false (json_object_get_boolean_member (first, "blood-thinners"));
  g_assert_true (json_object_get_null_member (first, "phone"));
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "amended");

  /* No match is an empty array, still JSON. */
  g_free (out);
  out = run_ok (db, (const char * const[]) { "list", "--format", "json", "--lot", "none",
                                             NULL });
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 0);
}

typedef struct
{
  const char *path;
  const char *option;
  const char *value;
  const char *word;
} BadOption;

static const BadOption bad_options[] = {
  { "from", "--from", "2025-02-30", "From" },
  { "to", "--to", "tomorrow", "To" },
  { "area", "--area", "nose", "Area" },
  { "indication", "--indication", "wrinkles", "Indication" },
  { "reactions", "--reactions", "itching", "Reactions" },
  { "status", "--status", "deleted", "Status" },
  { "limit", "--limit", "-3", "Limit" },
  { "limit-zero", "--limit", "0", "Limit" },
  { "offset", "--offset", "ten", "Offset" },
  { "format", "--format", "xml", "Format" },
};

static void
test_bad_option (gconstpointer data)
{
  const BadOption *bad = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *db = upgraded_fixture (dir);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  out = run_cli (db, (const char * const[]) { "list", bad->option, bad->value, NULL }, &status,
                 &err);
  g_assert_cmpint (status, !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (meso_test_count_newlines (err), ==, 1);
  g_assert_nonnull (strstr (err, bad->word));
}

/* Two processes amend and void sessions 1 to 5 at once, each reading the session it
 * amends: every amendment's earlier value must be the value that stood just before it,
 * and nothing is amended after its void. */
static void
test_amend_race (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "amend-writer", NULL);
  g_autoptr(GSubprocessLauncher) launcher = meso_test_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  GSubprocess *writers[2];
  g_autoptr(GError) error = NULL;
  guint n_amendments = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, 100, 10);

      meso_test_save_session (store, session);
    }

  for (guint w = 0; w < 2; w++)
    {
      writers[w] = g_subprocess_launcher_spawn (launcher, &error, writer, dir->db,
                                                w == 0 ? "chair" : "desk", "60", NULL);
      g_assert_no_error (error);
    }
  for (guint w = 0; w < 2; w++)
    {
      g_subprocess_wait_check (writers[w], NULL, &error);
      g_assert_no_error (error);
      g_object_unref (writers[w]);
    }

  for (gint64 id = 1; id <= 5; id++)
    {
      g_autoptr(GPtrArray) amendments = meso_store_list_amendments (store, id, &error);
      g_autoptr(MesoSession) session = meso_store_get_session (store, id, &error);
      g_autofree char *stood = g_strdup ("100");

      g_assert_no_error (error);
      for (guint a = 0; a < amendments->len; a++)
        {
          MesoAmendment *amendment = g_ptr_array_index (amendments, a);
          MesoChange *change = &g_array_index (amendment->changes, MesoChange, 0);

          g_assert_cmpuint (amendment->changes->len, ==, 1);
          g_assert_cmpstr (change->old_value, ==, stood);
          g_free (stood);
          stood = g_strdup (change->new_value);
          n_amendments++;
        }
      g_assert_cmpuint (meso_session_get_injections (session), ==, atoi (stood));
    }
  g_test_message ("%u amendments checked", n_amendments);
  g_assert_cmpuint (n_amendments, >, 100);
  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The steps of old SQLite files: on SQLite only. */
  if (!meso_test_engine_is_postgresql ())
    MESO_TEST_ADD_NAMED_CASES ("/cli-list/upgrade-from-schema-", old_databases, test_upgrade);
  g_test_add_func ("/cli-list/upgraded-filters", test_upgraded_filters);
  g_test_add_func ("/cli-list/csv-parses-back", test_csv_parses_back);
  g_test_add_func ("/cli-list/json-parses-back", test_json_parses_back);
  MESO_TEST_ADD_NAMED_CASES ("/cli-list/bad-option/", bad_options, test_bad_option);
  g_test_add_func ("/cli-list/amend-race", test_amend_race);
  return g_test_run ();
}
