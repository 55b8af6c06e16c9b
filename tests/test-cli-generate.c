/* test-cli-generate.c: mesocare-cli generate end to end: what it makes, that a seed
 * makes the same sessions again, and that bad input is refused with nothing written
 *
 * The made-up sessions are judged only through the tool's own commands (list, check,
 * export, audit, show), as a user trying the app on a big clinic would see them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-generate"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-csv.h"
#include "meso-field.h"
#include "meso-test-util.h"

/* Enough sessions for every area, indication, technique and reaction to come up, and a
 * few amendments and voids. */
#define COVERAGE_SESSIONS "2000"

/* ---- Running the tool ---- */

typedef struct
{
  int   status;  /* the exit status; -1 when the tool did not exit by itself */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data != NULL ? data : "", size);
}

/* The start of it only: an audit log of thousands of lines would drown the TAP stream. */
static void
log_output (const char *label,
            const char *text)
{
  g_autofree char *start = g_strndup (text, 2000);

  meso_test_log_text (label, start);
  if (strlen (text) > 2000)
    g_test_message ("%s: (%zu bytes in all)", label, strlen (text));
}

/* Runs `mesocare-cli --db @db @args...` in this test's own folders (see
 * meso_test_launcher_new()), in time zone @tz (%NULL: the computer's own), with an empty
 * stdin, and fills @run. */
static void
cli_run_in_zone (const char         *db,
                 const char         *tz,
                 const char * const *args,
                 Run                *run)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  if (tz != NULL)
    g_subprocess_launcher_setenv (launcher, "TZ", tz, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "TZ");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = meso_test_spawn_cli (launcher, db, args);

  g_subprocess_communicate (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  log_output ("stdout", run->out);
  log_output ("stderr", run->err);
  g_test_message ("exit status: %d", run->status);
}

static void
cli_run (const char         *db,
         const char * const *args,
         Run                *run)
{
  cli_run_in_zone (db, "UTC", args, run);
}

/* Runs a command that must succeed without a word on stderr; returns its stdout. */
static char *
cli_ok (const char         *db,
        const char * const *args)
{
  g_auto(Run) run = { 0 };

  cli_run (db, args, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  return g_steal_pointer (&run.out);
}

/* `generate --sessions @n`, with `--seed @seed` unless it is %NULL; returns its summary. */
static char *
generate_ok (const char *db,
             const char *n,
             const char *seed)
{
  const char *args[] = { "generate", "--sessions", n, seed != NULL ? "--seed" : NULL, seed,
                         NULL };

  return cli_ok (db, args);
}

static GStrv
split_lines (const char *text)
{
  g_autofree char *trimmed = g_strdup (text);

  if (*trimmed == '\0')
    return g_new0 (char *, 1);
  g_assert_true (g_str_has_suffix (trimmed, "\n"));
  trimmed[strlen (trimmed) - 1] = '\0';
  return g_strsplit (trimmed, "\n", -1);
}

static GStrv
list_lines (const char *db)
{
  const char *args[] = { "list", NULL };
  g_autofree char *out = cli_ok (db, args);

  return split_lines (out);
}

static char *
audit_text (const char *db)
{
  const char *args[] = { "audit", NULL };

  return cli_ok (db, args);
}

/* The export of @db, as written to a file of @dir. */
static char *
export_text (const MesoTestDir *dir,
             const char        *db)
{
  g_autofree char *path = meso_test_dir_file (dir, "export.csv");
  const char *args[] = { "export", "--output", path, NULL };
  g_autofree char *out = cli_ok (db, args);
  g_autofree char *contents = NULL;

  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpint (g_remove (path), ==, 0);
  return g_steal_pointer (&contents);
}

static char *
show_text (const char *db,
           const char *id)
{
  const char *args[] = { "show", id, NULL };

  return cli_ok (db, args);
}

/* ---- Reading an export ---- */

typedef struct
{
  GStrv      header;
  GPtrArray *rows;   /* of GStrv */
} Table;

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->header, g_strfreev);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Table, table_clear)

static void
read_table (const char *csv,
            Table      *table)
{
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (csv, strlen (csv));
  g_autoptr(GError) error = NULL;
  GStrv values = NULL;
  guint line = 0;

  g_assert_true (meso_csv_reader_next (reader, &table->header, &line, &error));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  while (meso_csv_reader_next (reader, &values, &line, &error))
    {
      g_assert_cmpuint (g_strv_length (values), ==, g_strv_length (table->header));
      g_ptr_array_add (table->rows, g_steal_pointer (&values));
    }
  g_assert_no_error (error);
}

static guint
column (const Table *table,
        const char  *name)
{
  for (guint i = 0; table->header[i] != NULL; i++)
    if (g_str_equal (table->header[i], name))
      return i;
  g_error ("The export has no column “%s”", name);
}

static const char *
cell (const Table *table,
      guint        row,
      const char  *name)
{
  return ((GStrv) g_ptr_array_index (table->rows, row))[column (table, name)];
}

/* Whether some row holds @id in the column of @field, alone or in its list. */
static gboolean
table_has_value (const Table *table,
                 MesoField    field,
                 const char  *id)
{
  for (guint i = 0; i < table->rows->len; i++)
    {
      g_auto(GStrv) items = g_strsplit (cell (table, i, meso_field_get_id (field)), ",", -1);

      if (g_strv_contains ((const char * const *) items, id))
        return TRUE;
    }
  return FALSE;
}

/* ---- What generate makes ---- */

/* In the computer's own time zone, as a user runs it: the summary, one line per
 * session, and a database that passes its own check. */
static void
test_generate_list_and_check (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *args[] = { "generate", "--sessions", "300", NULL };
  const char *check[] = { "check", NULL };
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;
  g_autofree char *checked = NULL;

  cli_run_in_zone (dir->db, NULL, args, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");  /* no progress: stderr is no terminal */
  g_assert_true (g_regex_match_simple ("^Generated 300 sessions for [1-9][0-9]* patients\n$",
                                       run.out, 0, 0));

  lines = list_lines (dir->db);
  g_assert_cmpuint (g_strv_length (lines), ==, 300);
  checked = cli_ok (dir->db, check);
  g_assert_cmpstr (checked, ==, "ok\n");
}

static void
test_generate_one_session (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *out = generate_ok (dir->db, "1", NULL);

  g_assert_cmpstr (out, ==, "Generated 1 session for 1 patient\n");
}

/* What `list` shows of a session but its id: its time, patient, areas, injections and
 * minutes. */
static char *
list_without_ids (const char *db)
{
  g_auto(GStrv) lines = list_lines (db);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *tab = strchr (lines[i], '\t');

      g_assert_nonnull (tab);
      g_string_append_printf (text, "%s\n", tab + 1);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The same seed makes the same sessions, amendments and voids included (the export
 * shows current values and void reasons); no seed is seed 1; another seed differs. */
static void
test_generate_same_seed (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *names[] = { "seed7-a.db", "seed7-b.db", "default.db", "seed1.db", "seed8.db" };
  const char *seeds[] = { "7", "7", NULL, "1", "8" };
  char *exports[G_N_ELEMENTS (names)];
  char *lists[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = meso_test_dir_file (dir, names[i]);
      /* On a server, a database of its own, dropped once read. */
      char *db = meso_test_db_location_new (path);
      g_autofree char *out = generate_ok (db, "300", seeds[i]);

      exports[i] = export_text (dir, db);
      lists[i] = list_without_ids (db);
      meso_test_db_location_free (db);
    }

  g_assert_cmpstr (lists[0], ==, lists[1]);
  g_assert_cmpstr (exports[0], ==, exports[1]);
  g_assert_cmpstr (exports[2], ==, exports[3]);
  g_assert_cmpstr (lists[3], !=, lists[4]);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_free (exports[i]);
      g_free (lists[i]);
    }
}

static void
assert_every_choice (const Table *table,
                     MesoField    field)
{
  const char * const *choices = meso_field_get_choices (field);

  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (!table_has_value (table, field, choices[i]))
        g_test_message ("No session has %s “%s”", meso_field_get_id (field), choices[i]);
      g_assert_true (table_has_value (table, field, choices[i]));
    }
}

/* Each session as validation would take it at the chair, over the five years to now
 * (counted from yesterday, a Sunday moved back a day). */
static void
assert_plausible_row (const Table *table,
                      guint        row,
                      GDateTime   *now,
                      GDateTime   *earliest)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (cell (table, row, "date"), NULL);
  g_autofree char *day = NULL;
  const char *expiry = cell (table, row, "expiry");
  const char *next = cell (table, row, "next-session");
  guint64 number = g_ascii_strtoull (cell (table, row, "session-number"), NULL, 10);
  guint64 total = g_ascii_strtoull (cell (table, row, "series-total"), NULL, 10);

  g_assert_nonnull (when);
  g_assert_cmpint (g_date_time_compare (when, now), <=, 0);
  g_assert_cmpint (g_date_time_compare (when, earliest), >=, 0);
  day = g_date_time_format (when, "%Y-%m-%d");
  g_assert_cmpstr (expiry, >=, day);
  g_assert_true (number >= 1 && number <= total && total >= 3 && total <= 10);
  if (number < total)
    g_assert_cmpstr (next, >, day);
  else
    g_assert_cmpstr (next, ==, "");
  g_assert_cmpstr (cell (table, row, "practitioner-role"), !=, "");
  g_assert_cmpstr (cell (table, row, "lot"), !=, "");
}

/* The id of the session of the first audit entry of @action ("amend", "void"), and how
 * many there are. */
static guint
count_audited (const char  *audit,
               const char  *action,
               char       **out_first_id)
{
  g_auto(GStrv) lines = split_lines (audit);
  g_autofree char *infix = g_strdup_printf ("\t%s\tsession ", action);
  guint count = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *found = strstr (lines[i], infix);

      if (found == NULL)
        continue;
      if (count++ == 0)
        *out_first_id = g_strndup (found + strlen (infix),
                                   strcspn (found + strlen (infix), "\t"));
    }
  return count;
}

/* With 2,000 sessions, in a zone with summer time: every value of every list comes up,
 * no session is in the future or before the five years, none uses an expired lot, and
 * a few are amended and voided, as `show` tells. */
static void
test_generate_covers_everything (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *args[] = { "generate", "--sessions", COVERAGE_SESSIONS, NULL };
  const MesoField lists[] = {
    MESO_FIELD_AREAS, MESO_FIELD_INDICATION, MESO_FIELD_TECHNIQUE, MESO_FIELD_REACTIONS,
    MESO_FIELD_LANGUAGE,
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) five_years = g_date_time_add_years (now, -5);
  g_autoptr(GDateTime) earliest = g_date_time_add_days (five_years, -3);
  g_auto(Run) run = { 0 };
  g_auto(Table) table = { 0 };
  g_autofree char *csv = NULL, *audit = NULL, *amended_id = NULL, *voided_id = NULL;
  g_autofree char *amended = NULL, *voided = NULL;
  guint n_voided_rows = 0;

  cli_run_in_zone (dir->db, "Europe/Paris", args, &run);
  g_assert_cmpint (run.status, ==, 0);
  csv = export_text (dir, dir->db);
  read_table (csv, &table);
  g_assert_cmpuint (table.rows->len, ==, 2000);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    assert_every_choice (&table, lists[i]);
  for (guint i = 0; i < table.rows->len; i++)
    {
      assert_plausible_row (&table, i, now, earliest);
      n_voided_rows += *cell (&table, i, "void-reason") != '\0';
    }

  audit = audit_text (dir->db);
  g_assert_cmpuint (count_audited (audit, "amend", &amended_id), >=, 10);
  g_assert_cmpuint (count_audited (audit, "void", &voided_id), ==, n_voided_rows);
  g_assert_cmpuint (n_voided_rows, >=, 2);
  amended = show_text (dir->db, amended_id);
  voided = show_text (dir->db, voided_id);
  g_assert_nonnull (strstr (amended, "Amendments"));
  g_assert_nonnull (strstr (voided, "VOIDED: "));
}

/* Made-up sessions can never be deleted: they are never mixed with real ones. */
static void
test_generate_refuses_filled_database (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *args[] = { "generate", "--sessions", "10", NULL };
  g_autofree char *first = generate_ok (dir->db, "5", NULL);
  g_autofree char *before = audit_text (dir->db);
  g_autofree char *after = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(Run) run = { 0 };

  cli_run (dir->db, args, &run);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpuint (meso_test_count_newlines (run.err), ==, 1);
  g_assert_nonnull (strstr (run.err, dir->db));
  g_assert_nonnull (strstr (run.err, "already holds sessions"));

  lines = list_lines (dir->db);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  after = audit_text (dir->db);
  g_assert_cmpstr (after, ==, before);
}

/* ---- Bad input ---- */

typedef struct
{
  const char *path;
  const char *args[7];   /* after --db PATH */
  const char *word;      /* what the message must name */
} BadCase;

static const BadCase bad_cases[] = {
  { "missing", { "generate" }, "--sessions" },
  { "no-value", { "generate", "--sessions" }, "--sessions" },
  { "zero", { "generate", "--sessions", "0" }, "--sessions" },
  { "negative", { "generate", "--sessions", "-5" }, "--sessions" },
  { "not-a-number", { "generate", "--sessions", "many" }, "--sessions" },
  { "decimal", { "generate", "--sessions", "1.5" }, "--sessions" },
  { "empty", { "generate", "--sessions", "" }, "--sessions" },
  { "blank-before", { "generate", "--sessions", " 5" }, "--sessions" },
  { "too-many", { "generate", "--sessions", "10000001" }, "--sessions" },
  { "overflow", { "generate", "--sessions", "18446744073709551617" }, "--sessions" },
  { "seed-negative", { "generate", "--sessions", "10", "--seed", "-1" }, "--seed" },
  { "seed-not-a-number", { "generate", "--sessions", "10", "--seed", "abc" }, "--seed" },
  { "seed-too-big", { "generate", "--sessions", "10", "--seed", "4294967296" }, "--seed" },
  { "unknown-option", { "generate", "--sessions", "10", "--patients", "5" }, "--patients" },
  { "extra-argument", { "generate", "--sessions", "10", "extra" }, "extra" },
};

/* A usage error: status 2, nothing on stdout, one line on stderr naming the option. */
static void
run_bad_case (const BadCase *bad,
              const char    *db)
{
  g_auto(Run) run = { 0 };

  cli_run (db, bad->args, &run);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_prefix (run.err, "mesocare-cli generate: "));
  g_assert_cmpuint (meso_test_count_newlines (run.err), ==, 1);
  g_assert_nonnull (strstr (run.err, bad->word));
}

/* Without a database: none is made, not even its folder. */
static void
test_bad_input_fresh (gconstpointer data)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *left = NULL;

  run_bad_case (data, dir->db);
  left = meso_test_first_entry (dir->path);
  g_assert_null (left);
  g_assert_true (meso_test_db_location_is_blank (dir->db));
}

/* An empty database stays empty (it would have been filled). */
static void
test_bad_input_empty_database (gconstpointer data)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_auto(GStrv) lines = NULL;
  g_autofree char *audit = NULL;

  g_clear_object (&store);
  run_bad_case (data, dir->db);
  lines = list_lines (dir->db);
  g_assert_cmpuint (g_strv_length (lines), ==, 0);
  audit = audit_text (dir->db);
  g_assert_cmpstr (audit, ==, "");
}

/* ---- Help ---- */

static void
test_help (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *command_help[] = { "generate", "--help", NULL };
  const char *global_help[] = { "--help", NULL };
  g_autofree char *command = cli_ok (dir->db, command_help);
  g_autofree char *global = cli_ok (dir->db, global_help);
  g_autofree char *left = meso_test_first_entry (dir->path);

  g_assert_true (g_str_has_prefix (command, "Usage:"));
  g_assert_nonnull (strstr (command, "--sessions"));
  g_assert_nonnull (strstr (command, "--seed"));
  g_assert_nonnull (strstr (global, "\n  generate "));
  g_assert_null (left);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/generate/list-and-check", test_generate_list_and_check);
  g_test_add_func ("/cli/generate/one-session", test_generate_one_session);
  g_test_add_func ("/cli/generate/same-seed", test_generate_same_seed);
  g_test_add_func ("/cli/generate/covers-everything", test_generate_covers_everything);
  g_test_add_func ("/cli/generate/refuses-filled-database",
                   test_generate_refuses_filled_database);
  MESO_TEST_ADD_NAMED_CASES ("/cli/generate/bad-input/fresh/", bad_cases, test_bad_input_fresh);
  MESO_TEST_ADD_NAMED_CASES ("/cli/generate/bad-input/empty-database/", bad_cases,
                             test_bad_input_empty_database);
  g_test_add_func ("/cli/generate/help", test_help);

  return g_test_run ();
}
