/* test-cli-report.c: mesocare-cli report, recall and audit's review, end to end: every
 * format, the refusals and the exit statuses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-report"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "meso-csv.h"
#include "meso-store.h"
#include "meso-test-util.h"

#define CLINIC_TZ "Europe/Paris"

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

/* `mesocare-cli --db @db @args` in the clinic's time zone; its exit status and output. */
static int
run (const char         *db,
     const char * const *args,
     char              **out,
     char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "TZ", CLINIC_TZ, TRUE);
  process = meso_test_spawn_cli (launcher, db, args);
  g_subprocess_communicate (process, NULL, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  *out = bytes_to_string (out_bytes);
  *err = bytes_to_string (err_bytes);
  meso_test_log_text ("stdout", *out);
  meso_test_log_text ("stderr", *err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static char *
run_ok (const char         *db,
        const char * const *args)
{
  g_autofree char *err = NULL;
  char *out = NULL;

  g_assert_cmpint (run (db, args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return out;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Every record of a CSV text, each a GStrv. */
static GPtrArray *
parse_csv (const char *text)
{
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (text, strlen (text));
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  GStrv fields = NULL;

  while (meso_csv_reader_next (reader, &fields, NULL, &error))
    g_ptr_array_add (records, fields);
  g_assert_no_error (error);
  return records;
}

/* The record of @records whose first two fields are @section and @key. */
static const char * const *
find_record (GPtrArray  *records,
             const char *section,
             const char *key)
{
  for (guint i = 0; i < records->len; i++)
    {
      const char * const *fields = g_ptr_array_index (records, i);

      if (g_str_equal (fields[0], section) && g_str_equal (fields[1], key))
        return fields;
    }
  g_error ("no CSV record %s,%s", section, key);
  return NULL;
}

/* ---- The database: five sessions in March 2025, one of them voided ---- */

typedef struct
{
  MesoTestDir *dir;
  gint64       ids[5];
} Fixture;

static gint64
add (MesoStore   *store,
     const char  *patient,
     int          day,
     int          hour,
     MesoArea     areas,
     guint        injections,
     const char  *indication,
     const char  *lot,
     const char  *phone)
{
  g_autoptr(MesoSession) session = meso_test_session_new (patient, areas, injections, 20);
  g_autoptr(GDateTime) when = g_date_time_new_local (2025, 3, day, hour, 0, 0);
  g_autoptr(GError) error = NULL;

  meso_session_set_performed_at (session, when);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INDICATION, indication,
                                              &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRODUCT, "Vitamin C", &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, lot, &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PHONE, phone, &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER, "Dr Léa Martin",
                                              &error));
  g_assert_no_error (error);
  return meso_test_save_session (store, session);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = meso_test_dir_new ();
  store = meso_test_open_store (fixture->dir->db);
  /* Sessions 1..4 on the 3rd, 5th, 12th and 20th; the 5th voided. Lot L-1 to Zoé twice
   * and to Ana (the voided one) once; L-2 to Ben. */
  fixture->ids[0] = add (store, "Zoé Adam", 3, 10, MESO_AREA_FACE | MESO_AREA_NECK, 20,
                         "skin-rejuvenation", "L-1", "+33 1 00 00 00 01");
  fixture->ids[1] = add (store, "Ben Roy", 5, 11, MESO_AREA_SCALP, 40, "hair-loss", "L-2",
                         "+33 1 00 00 00 02");
  fixture->ids[2] = add (store, "Zoé Adam", 12, 9, MESO_AREA_FACE, 30, "skin-rejuvenation",
                         "l-1 ", "+33 1 00 00 00 03");
  fixture->ids[3] = add (store, "Ana Díaz", 20, 15, MESO_AREA_THIGHS, 50, "cellulite", "L-1",
                         "+33 1 00 00 00 04");
  g_assert_true (meso_store_void_session (store, fixture->ids[3], "wrong patient", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_dir_free (fixture->dir);
}

/* ---- report ---- */

/* A whole line of @text matches @pattern (columns padded with any number of blanks). */
static void
assert_line (const char *text,
             const char *pattern)
{
  g_autofree char *anchored = g_strconcat ("^", pattern, "$", NULL);

  if (!g_regex_match_simple (anchored, text, G_REGEX_MULTILINE, 0))
    g_error ("no line matches “%s”", pattern);
}

static void
test_report_text (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *out = run_ok (fixture->dir->db, (const char * const[]) {
    "report", "--from", "2025-03-01", "--to", "2025-03-31", NULL });

  g_assert_true (g_str_has_prefix (out, "Report from 2025-03-01 to 2025-03-31\n"));
  assert_line (out, "  Sessions +3");
  assert_line (out, "  Patients +2 \\(2 new, 0 returning\\)");
  assert_line (out, "  Injections +90");
  assert_line (out, "  Voided \\(not counted above\\) +1");
  /* Face: sessions 1 and 3 (20 + 30 injections, 40 minutes), two of three. */
  assert_line (out, "  face +2 +50 +40 +66\\.7");
  /* 31 days: by week, from Monday 24 February; the 3rd and the 5th in the second. */
  assert_line (out, "Week of +total hair-loss skin-rejuvenation fat-reduction cellulite other");
  assert_line (out, "  2025-02-24 +0 +0 +0 +0 +0 +0");
  assert_line (out, "  2025-03-03 +2 +1 +1 +0 +0 +0");
  assert_line (out, "  2025-03-17 +0 +0 +0 +0 +0 +0");
}

static void
test_report_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *out = run_ok (fixture->dir->db, (const char * const[]) {
    "report", "--from", "2025-03-01", "--to", "2025-03-31", "--format", "csv", NULL });
  g_autoptr(GPtrArray) records = parse_csv (out);
  const char * const header[] = {
    "section", "key", "sessions", "injections", "minutes", "per_hundred", NULL
  };

  g_assert_cmpstrv ((const char * const *) g_ptr_array_index (records, 0), header);
  g_assert_cmpstrv (find_record (records, "totals", ""),
                    ((const char * const[]) { "totals", "", "3", "90", "60", "100.00", NULL }));
  g_assert_cmpstrv (find_record (records, "patients", "new"),
                    ((const char * const[]) { "patients", "new", "2", "", "", "", NULL }));
  g_assert_cmpstrv (find_record (records, "voided", ""),
                    ((const char * const[]) { "voided", "", "1", "", "", "", NULL }));
  g_assert_cmpstrv (find_record (records, "area", "face"),
                    ((const char * const[]) { "area", "face", "2", "50", "40", "66.67", NULL }));
  g_assert_cmpstrv (find_record (records, "practitioner", "Dr Léa Martin"),
                    ((const char * const[]) { "practitioner", "Dr Léa Martin", "3", "90", "60",
                                              "100.00", NULL }));
  g_assert_cmpstrv (find_record (records, "week", "2025-03-10"),
                    ((const char * const[]) { "week", "2025-03-10", "1", "", "", "", NULL }));
  g_assert_cmpstrv (find_record (records, "week", "2025-03-10/skin-rejuvenation"),
                    ((const char * const[]) { "week", "2025-03-10/skin-rejuvenation", "1", "",
                                              "", "", NULL }));
}

static void
test_report_json (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *out = run_ok (fixture->dir->db, (const char * const[]) {
    "report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json", NULL });
  g_autoptr(JsonNode) root = parse_json (out);
  JsonObject *report = json_node_get_object (root);
  JsonObject *chart = json_object_get_object_member (report, "chart");
  JsonArray *buckets = json_object_get_array_member (chart, "buckets");
  JsonArray *areas = json_object_get_array_member (
    json_object_get_object_member (report, "breakdowns"), "area");
  JsonObject *march = json_array_get_object_element (buckets, 2);

  g_assert_cmpstr (json_object_get_string_member (report, "from"), ==, "2025-01-01");
  g_assert_cmpint (json_object_get_int_member (report, "sessions"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (report, "voided"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (report, "series"), "abandoned"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (areas, 0),
                                                  "key"), ==, "face");
  /* A year: by month, all twelve. */
  g_assert_cmpstr (json_object_get_string_member (chart, "step"), ==, "month");
  g_assert_cmpuint (json_array_get_length (buckets), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (march, "start"), ==, "2025-03-01");
  g_assert_cmpint (json_object_get_int_member (march, "total"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (march,
                                                                              "by_indication"),
                                               "hair-loss"), ==, 1);
}

/* Each report run is an audit entry, whatever its format. */
static void
test_report_audited (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *first = run_ok (fixture->dir->db, (const char * const[]) {
    "report", "--from", "2025-03-01", "--to", "2025-03-31", NULL });
  g_autofree char *second = run_ok (fixture->dir->db, (const char * const[]) {
    "report", "--from", "2025-03-02", "--to", "2025-03-02", "--format", "json", NULL });
  g_autofree char *audit = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--action", "report", NULL });

  g_assert_cmpuint (meso_test_count_newlines (audit), ==, 2);
  g_assert_nonnull (strstr (audit, "\treport\tdatabase 0\tfrom=2025-03-01; to=2025-03-31\n"));
  g_assert_nonnull (strstr (audit, "\treport\tdatabase 0\tfrom=2025-03-02; to=2025-03-02\n"));
}

/* ---- recall ---- */

static void
test_recall_formats (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *tsv = run_ok (fixture->dir->db, (const char * const[]) {
    "recall", "--lot", " L-1", NULL });
  g_autofree char *csv = run_ok (fixture->dir->db, (const char * const[]) {
    "recall", "--lot", "l-1", "--format", "csv", NULL });
  g_autofree char *json = run_ok (fixture->dir->db, (const char * const[]) {
    "recall", "--product", "VITAMIN C", "--format", "json", NULL });
  g_autofree char *expected_tsv = NULL;
  g_autoptr(GPtrArray) records = parse_csv (csv);
  g_autoptr(JsonNode) root = parse_json (json);
  JsonArray *lines = json_node_get_array (root);
  JsonObject *first = json_array_get_object_element (lines, 0);

  /* Zoé's two sessions (Ana's is voided), her newest phone on both, the lot as her
   * newest session has it (the store trims what is typed). */
  expected_tsv = g_strdup_printf (
    "Zoé Adam\t+33 1 00 00 00 03\t\ten\tVitamin C\tl-1\t%" G_GINT64_FORMAT "\t2025-03-03\n"
    "Zoé Adam\t+33 1 00 00 00 03\t\ten\tVitamin C\tl-1\t%" G_GINT64_FORMAT "\t2025-03-12\n",
    fixture->ids[0], fixture->ids[2]);
  g_assert_cmpstr (tsv, ==, expected_tsv);

  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstrv ((const char * const *) g_ptr_array_index (records, 0),
                    ((const char * const[]) { "patient", "phone", "email", "language",
                                              "product", "lot", "session", "date", NULL }));

  /* By product: Ben, then Zoé twice. */
  g_assert_cmpuint (json_array_get_length (lines), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (first, "patient"), ==, "Ben Roy");
  g_assert_cmpint (json_object_get_int_member (first, "session"), ==, fixture->ids[1]);
  g_assert_cmpstr (json_object_get_string_member (first, "date"), ==, "2025-03-05");
  g_assert_true (json_object_get_null_member (first, "email"));
}

/* Nobody found is an answer: exit 0. */
static void
test_recall_nobody (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *tsv = run_ok (fixture->dir->db, (const char * const[]) {
    "recall", "--lot", "NONE-1", NULL });
  g_autofree char *csv = run_ok (fixture->dir->db, (const char * const[]) {
    "recall", "--lot", "NONE-1", "--format", "csv", NULL });
  g_autofree char *json = run_ok (fixture->dir->db, (const char * const[]) {
    "recall", "--lot", "NONE-1", "--format", "json", NULL });
  g_autofree char *audit = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--action", "recall", "--format", "csv", NULL });
  g_autoptr(GPtrArray) records = parse_csv (audit);

  g_assert_cmpstr (tsv, ==, "");
  g_assert_cmpstr (csv, ==, "patient,phone,email,language,product,lot,session,date\r\n");
  g_assert_cmpstr (g_strstrip (json), ==, "[]");
  /* Three recalls, three entries. */
  g_assert_cmpuint (records->len, ==, 4);
  g_assert_cmpstr (((char **) records->pdata[1])[6], ==, "lot=NONE-1\npatients=\n");
}

/* ---- audit ---- */

static void
break_entry (const char *db,
             gint64      seq)
{
  g_autofree char *sql = g_strdup_printf ("DROP TRIGGER audit_log_never_updated;"
                                          " UPDATE audit_log SET actor = 'mallory'"
                                          " WHERE seq = %" G_GINT64_FORMAT, seq);
  sqlite3 *handle = NULL;

  if (meso_test_engine_is_postgresql ())
    {
      /* The server's superuser, as someone with psql and the keys of the server. */
      g_autofree char *pg_sql = g_strdup_printf (
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_never_updated;"
        " UPDATE audit_log SET actor = 'mallory' WHERE seq = %" G_GINT64_FORMAT, seq);

      meso_test_pg_run (db, pg_sql);
      return;
    }
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static void
test_audit_review (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *all = run_ok (fixture->dir->db, (const char * const[]) { "audit", NULL });
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->ids[3]);
  g_autofree char *positional = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", id, NULL });
  g_autofree char *by_option = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--session", id, NULL });
  g_autofree char *voids = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--action", "void", "--format", "csv", NULL });
  g_autofree char *today = NULL;
  g_autofree char *dated = NULL;
  g_autofree char *before = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--to", "2001-01-01", NULL });
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) records = parse_csv (voids);

  /* The default output as it was: four creates and a void, one line each. */
  g_assert_cmpuint (meso_test_count_newlines (all), ==, 5);
  /* Ana's session: its creation and its void, by ID as before or by --session. */
  g_assert_cmpuint (meso_test_count_newlines (positional), ==, 2);
  g_assert_cmpstr (positional, ==, by_option);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (((char **) records->pdata[1])[3], ==, "void");
  g_assert_cmpstr (((char **) records->pdata[1])[5], ==, id);
  /* Written today, in the clinic's days. */
  today = g_date_time_format (now, "%Y-%m-%d");
  dated = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--from", today, "--to", today, NULL });
  g_assert_cmpstr (dated, ==, all);
  g_assert_cmpstr (before, ==, "");
}

static void
test_audit_chain (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *intact = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--format", "json", NULL });
  g_autofree char *broken = NULL;
  g_autoptr(JsonNode) intact_root = parse_json (intact);
  g_autoptr(JsonNode) broken_root = NULL;
  JsonObject *object = json_node_get_object (intact_root);

  g_assert_cmpstr (json_object_get_string_member (object, "chain"), ==, "intact");
  g_assert_true (json_object_get_null_member (object, "first_broken"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "entries")),
                    ==, 5);

  break_entry (fixture->dir->db, 3);
  broken = run_ok (fixture->dir->db, (const char * const[]) {
    "audit", "--action", "void", "--format", "json", NULL });
  broken_root = parse_json (broken);
  object = json_node_get_object (broken_root);
  g_assert_cmpstr (json_object_get_string_member (object, "chain"), ==, "broken");
  g_assert_cmpint (json_object_get_int_member (object, "first_broken"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "entries")),
                    ==, 1);
}

/* ---- Refusals: one line naming the option, exit 2, nothing on stdout ---- */

typedef struct
{
  const char *path;
  const char *args[10];
  const char *word;
} Refusal;

static const Refusal refusals[] = {
  { "report-no-date", { "report", "--from", "2025-02-30", "--to", "2025-03-01" }, "From" },
  { "report-bad-to", { "report", "--from", "2025-03-01", "--to", "yesterday" }, "To" },
  { "report-backwards", { "report", "--from", "2025-03-02", "--to", "2025-03-01" }, "To" },
  /* sscanf's %u took the sign: a report up to the year 65,510 (found by fuzz-cli). */
  { "report-signed", { "report", "--from", "2025-03-01", "--to", "-026-12-31" }, "To" },
  { "audit-signed", { "audit", "--from", "+025-03-01" }, "From" },
  { "report-missing-to", { "report", "--from", "2025-03-01" }, "To" },
  { "report-format", { "report", "--from", "2025-03-01", "--to", "2025-03-02", "--format",
                       "xml" }, "Format" },
  { "recall-both", { "recall", "--lot", "L-1", "--product", "Vitamin C" }, "Product" },
  { "recall-neither", { "recall" }, "Lot" },
  { "recall-blank", { "recall", "--lot", "  " }, "Lot" },
  { "recall-format", { "recall", "--lot", "L-1", "--format", "pdf" }, "Format" },
  { "audit-action", { "audit", "--action", "delete" }, "Action" },
  { "audit-date", { "audit", "--from", "01/03/2025" }, "From" },
  { "audit-backwards", { "audit", "--from", "2025-03-02", "--to", "2025-03-01" }, "To" },
  { "audit-format", { "audit", "--format", "xml" }, "Format" },
  { "audit-session", { "audit", "--session", "first" }, "Session" },
};

static void
test_refused (gconstpointer data)
{
  const Refusal *refusal = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *audit = NULL;

  g_assert_cmpint (run (dir->db, refusal->args, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (meso_test_count_newlines (err), ==, 1);
  g_assert_nonnull (strstr (err, refusal->word));
  /* Refused before anything was looked at: nothing logged. */
  audit = run_ok (dir->db, (const char * const[]) { "audit", NULL });
  g_assert_cmpstr (audit, ==, "");
}

/* A report up to 9999-12-31 ends at the start of a day GDateTime does not have: refused,
 * naming the last day, where it logged criticals and printed no period (found by
 * fuzz-cli). */
static void
test_report_last_year (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (dir->db, (const char * const[]) {
    "report", "--from", "2025-03-01", "--to", "9999-12-31", NULL }, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "To: the last day must come before the year 9999"));
  g_assert_null (strstr (err, "CRITICAL"));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", CLINIC_TZ, TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/cli-report/report/text", test_report_text);
  ADD ("/cli-report/report/csv", test_report_csv);
  ADD ("/cli-report/report/json", test_report_json);
  ADD ("/cli-report/report/audited", test_report_audited);
  ADD ("/cli-report/recall/formats", test_recall_formats);
  ADD ("/cli-report/recall/nobody", test_recall_nobody);
  ADD ("/cli-report/audit/review", test_audit_review);
  ADD ("/cli-report/audit/chain", test_audit_chain);
#undef ADD
  MESO_TEST_ADD_NAMED_CASES ("/cli-report/refused/", refusals, test_refused);
  g_test_add_func ("/cli-report/report/last-year", test_report_last_year);

  return g_test_run ();
}
