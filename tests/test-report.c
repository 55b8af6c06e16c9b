/* test-report.c: a manager's report, against a database whose every figure is known
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "meso-report.h"
#include "meso-sqlite-store-private.h"
#include "meso-store.h"
#include "meso-test-util.h"

/* The clinic is in Paris (UTC+1 in March 2025): the edges of the period are its
 * midnights, not UTC's. The period of most tests: Wednesday 5 to Sunday 16 March 2025,
 * twelve days, so the chart steps by week from Monday 3 March. */
#define CLINIC_TZ "Europe/Paris"

typedef struct
{
  const char *patient;
  int         month, day, hour, minute;   /* local time, 2025 */
  MesoArea    areas;
  guint       injections;
  guint       duration;
  const char *practitioner;
  const char *indication;                 /* NULL: left blank */
  const char *product;
  const char *reactions;
  const char *session_number;
  const char *series_total;
  const char *next_session;
} Row;

/* In the period (S1..S6, then the voided one), then out of it. Each figure asserted
 * below is counted by hand from this table. */
enum { S1, S2, S3, S4, S5, S6, VOIDED, CHLOE_AFTER, ANNE_BEFORE, FAY_BEFORE, GUS_EVE, N_ROWS };

static const Row rows[N_ROWS] = {
  [S1] = { "Anne Dupont", 3, 5, 10, 0, MESO_AREA_FACE, 20, 30, "Dr Léa Martin",
           "skin-rejuvenation", "Vitamin C", "none", NULL, NULL, NULL },
  [S2] = { "Bruno Costa", 3, 6, 14, 0, MESO_AREA_SCALP, 40, 20, "Nurse Tom", "hair-loss",
           "Dutasteride", "redness", "1", "3", "2025-03-13" },
  [S3] = { "Chloé Petit", 3, 10, 9, 0, MESO_AREA_THIGHS | MESO_AREA_BUTTOCKS, 60, 45,
           "Dr Léa Martin", "cellulite", "Vitamin C", "redness,bruising", "3", "3", NULL },
  /* 23:30 on the last day: in. */
  [S4] = { "Chloé Petit", 3, 16, 23, 30, MESO_AREA_ABDOMEN, 30, 25, "Nurse Tom",
           "fat-reduction", "Lipolysis", "none", NULL, NULL, NULL },
  /* Saved with 10 injections, amended to 25. */
  [S5] = { "Emma Weber", 3, 12, 11, 0, MESO_AREA_FACE | MESO_AREA_NECK, 10, 15,
           "Dr Léa Martin", NULL, "Vitamin C", "swelling", "1", "5", NULL },
  /* 00:30 on the first day: in. */
  [S6] = { "Hana Sato", 3, 5, 0, 30, MESO_AREA_ARMS, 15, 10, "Nurse Tom", "hair-loss",
           "Dutasteride", "none", NULL, NULL, NULL },
  [VOIDED] = { "David Roux", 3, 11, 10, 0, MESO_AREA_FACE, 99, 60, "Nurse Tom", "hair-loss",
               "Vitamin C", "pain", "1", "2", "2025-03-14" },
  /* 00:30 the day after the last: out. */
  [CHLOE_AFTER] = { "Chloé Petit", 3, 17, 0, 30, MESO_AREA_THIGHS, 50, 40, "Dr Léa Martin",
                    "cellulite", "Vitamin C", "none", NULL, NULL, NULL },
  /* Anne was seen before the period (she returns); her next session, planned in it, she
   * came to (S1), so no series of hers was abandoned. */
  [ANNE_BEFORE] = { "Anne Dupont", 2, 10, 10, 0, MESO_AREA_FACE, 20, 30, "Dr Léa Martin",
                    "hair-loss", "Vitamin C", "none", "1", "4", "2025-03-07" },
  /* Fay's next session was planned in the period and she never came: abandoned, though
   * her session is not in the period. */
  [FAY_BEFORE] = { "Fay Moreau", 2, 20, 10, 0, MESO_AREA_SCALP, 30, 20, "Nurse Tom",
                   "cellulite", "Dutasteride", "none", "2", "6", "2025-03-12" },
  /* 23:30 on the eve of the first day: out. */
  [GUS_EVE] = { "Gus Berg", 3, 4, 23, 30, MESO_AREA_FACE, 10, 10, "Nurse Tom", "hair-loss",
                "Vitamin C", "none", NULL, NULL, NULL },
};

typedef struct
{
  char      *dir;
  char      *location;   /* the database: a file in @dir, or a server's */
  MesoStore *store;
  gint64     ids[N_ROWS];
} Fixture;

static void
set_text (MesoSession *session,
          MesoField    field,
          const char  *text)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return;
  g_assert_true (meso_session_set_field_text (session, field, text, &error));
  g_assert_no_error (error);
}

static gint64
save_row (MesoStore *store,
          const Row *row)
{
  g_autoptr(MesoSession) session = meso_test_session_new (row->patient, row->areas,
                                                          row->injections, row->duration);
  g_autoptr(GDateTime) when = g_date_time_new_local (2025, row->month, row->day, row->hour,
                                                     row->minute, 0);

  meso_session_set_performed_at (session, when);
  set_text (session, MESO_FIELD_PRACTITIONER, row->practitioner);
  set_text (session, MESO_FIELD_INDICATION, row->indication);
  set_text (session, MESO_FIELD_PRODUCT, row->product);
  set_text (session, MESO_FIELD_REACTIONS, row->reactions);
  set_text (session, MESO_FIELD_SESSION_NUMBER, row->session_number);
  set_text (session, MESO_FIELD_SERIES_TOTAL, row->series_total);
  set_text (session, MESO_FIELD_NEXT_SESSION, row->next_session);
  return meso_test_save_session (store, session);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = meso_test_make_tmp_dir ("mesocare-report-XXXXXX");
  path = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->location = meso_test_db_location_new (path);
  fixture->store = meso_test_open_store (fixture->location);
  for (guint i = 0; i < N_ROWS; i++)
    fixture->ids[i] = save_row (fixture->store, &rows[i]);

  amended = meso_store_get_session (fixture->store, fixture->ids[S5], &error);
  g_assert_no_error (error);
  set_text (amended, MESO_FIELD_INJECTIONS, "25");
  g_assert_true (meso_store_amend_session (fixture->store, amended, "miscounted", &error));
  g_assert_no_error (error);
  g_assert_true (meso_store_void_session (fixture->store, fixture->ids[VOIDED],
                                          "wrong patient", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_drop_store_and_dir (&fixture->store, &fixture->dir);
  meso_test_db_location_free (fixture->location);
}

static MesoReport *
make_report (Fixture *fixture,
             int      first_month,
             int      first_day,
             int      last_month,
             int      last_day)
{
  g_autoptr(GError) error = NULL;
  GDate first, last;
  MesoReport *report;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, first_day, first_month, 2025);
  g_date_set_dmy (&last, last_day, last_month, 2025);
  report = meso_store_report (fixture->store, &first, &last, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
test_totals (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MesoReport) report = make_report (fixture, 3, 5, 3, 16);
  const MesoReportSeries *series = meso_report_get_series (report);

  /* S1..S6; the voided session apart; the edges in Paris time (S4, S6 in; Gus's eve and
   * Chloé's day after out). */
  g_assert_cmpint (meso_report_get_sessions (report), ==, 6);
  g_assert_cmpint (meso_report_get_voided (report), ==, 1);
  /* 20 + 40 + 60 + 30 + 25 (S5 as amended, not its 10) + 15 */
  g_assert_cmpint (meso_report_get_injections (report), ==, 190);
  g_assert_cmpint (meso_report_get_minutes (report), ==, 145);
  g_assert_cmpfloat_with_epsilon (meso_report_get_average_minutes (report), 145.0 / 6, 1e-9);
  /* Anne, Bruno, Chloé, Emma, Hana: David's only session is voided. Anne returns; the
   * others' first session ever is in the period. */
  g_assert_cmpint (meso_report_get_patients (report), ==, 5);
  g_assert_cmpint (meso_report_get_new_patients (report), ==, 4);
  g_assert_cmpint (meso_report_get_returning_patients (report), ==, 1);
  /* S2, S3, S5: "none" is no reaction, and the voided session's pain does not count. */
  g_assert_cmpint (meso_report_get_with_reactions (report), ==, 3);

  /* Started: S2 and S5 (session 1); completed: S3 (3 of 3); abandoned: Bruno (S2's next
   * session on the 13th, nothing since) and Fay (planned the 12th from February); not
   * Anne (came on the 5th), not David (voided). */
  g_assert_cmpint (series->started, ==, 2);
  g_assert_cmpint (series->completed, ==, 1);
  g_assert_cmpint (series->abandoned, ==, 2);
}

typedef struct
{
  const char *key;
  gint64      sessions, injections, minutes;
} Expected;

static void
assert_rows (MesoReport     *report,
             MesoReportBy    by,
             const Expected *expected,
             guint           n)
{
  GPtrArray *got = meso_report_get_rows (report, by);

  g_test_message ("breakdown by %s", meso_report_by_get_id (by));
  g_assert_cmpuint (got->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const MesoReportRow *row = g_ptr_array_index (got, i);

      g_assert_cmpstr (row->key, ==, expected[i].key);
      g_assert_cmpint (row->sessions, ==, expected[i].sessions);
      g_assert_cmpint (row->injections, ==, expected[i].injections);
      g_assert_cmpint (row->minutes, ==, expected[i].minutes);
      g_assert_cmpfloat_with_epsilon (row->per_hundred, 100.0 * expected[i].sessions / 6, 1e-9);
    }
}

static void
test_breakdowns (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MesoReport) report = make_report (fixture, 3, 5, 3, 16);
  /* Most sessions first, then by key; a session with two areas under each. */
  static const Expected areas[] = {
    { "face", 2, 45, 45 }, { "abdomen", 1, 30, 25 }, { "arms", 1, 15, 10 },
    { "buttocks", 1, 60, 45 }, { "neck", 1, 25, 15 }, { "scalp", 1, 40, 20 },
    { "thighs", 1, 60, 45 },
  };
  /* S5's indication left blank: the key "". */
  static const Expected indications[] = {
    { "hair-loss", 2, 55, 30 }, { "", 1, 25, 15 }, { "cellulite", 1, 60, 45 },
    { "fat-reduction", 1, 30, 25 }, { "skin-rejuvenation", 1, 20, 30 },
  };
  static const Expected practitioners[] = {
    { "Dr Léa Martin", 3, 105, 90 }, { "Nurse Tom", 3, 85, 55 },
  };
  static const Expected products[] = {
    { "Vitamin C", 3, 105, 90 }, { "Dutasteride", 2, 55, 30 }, { "Lipolysis", 1, 30, 25 },
  };
  /* Per hundred sessions: redness 2 of 6, bruising and swelling 1 of 6; "none" is not a
   * line, the voided session's pain neither. */
  static const Expected reactions[] = {
    { "redness", 2, 100, 65 }, { "bruising", 1, 60, 45 }, { "swelling", 1, 25, 15 },
  };

  assert_rows (report, MESO_REPORT_BY_AREA, areas, G_N_ELEMENTS (areas));
  assert_rows (report, MESO_REPORT_BY_INDICATION, indications, G_N_ELEMENTS (indications));
  assert_rows (report, MESO_REPORT_BY_PRACTITIONER, practitioners,
               G_N_ELEMENTS (practitioners));
  assert_rows (report, MESO_REPORT_BY_PRODUCT, products, G_N_ELEMENTS (products));
  assert_rows (report, MESO_REPORT_BY_REACTION, reactions, G_N_ELEMENTS (reactions));
}

static void
assert_bucket (GPtrArray    *buckets,
               guint         index,
               int           day,
               int           month,
               const gint64  by_indication[5])
{
  const MesoReportBucket *bucket = g_ptr_array_index (buckets, index);
  gint64 total = 0;

  g_test_message ("bucket %u", index);
  g_assert_cmpint (g_date_get_day (&bucket->start), ==, day);
  g_assert_cmpint (g_date_get_month (&bucket->start), ==, month);
  g_assert_cmpint (g_date_get_year (&bucket->start), ==, 2025);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (bucket->by_indication[i], ==, by_indication[i]);
      total += by_indication[i];
    }
  g_assert_cmpint (bucket->total, ==, total);
}

static void
test_weeks (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MesoReport) report = make_report (fixture, 3, 5, 3, 16);
  GPtrArray *buckets = meso_report_get_buckets (report);
  const char * const *indications = meso_report_get_indications (report);
  const char * const expected_indications[] = {
    "hair-loss", "skin-rejuvenation", "fat-reduction", "cellulite", "other", NULL
  };

  g_assert_cmpstrv (indications, expected_indications);
  g_assert_cmpint (meso_report_get_step (report), ==, MESO_REPORT_STEP_WEEK);
  /* From Monday 3 March (the period begins on a Wednesday); S4, at 23:30 on Sunday 16,
   * in the second; S5 (no indication) under "other". */
  g_assert_cmpuint (buckets->len, ==, 2);
  assert_bucket (buckets, 0, 3, 3, (const gint64[]) { 2, 1, 0, 0, 0 });
  assert_bucket (buckets, 1, 10, 3, (const gint64[]) { 0, 0, 1, 1, 1 });
}

static void
test_months (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MesoReport) report = make_report (fixture, 1, 1, 6, 30);
  GPtrArray *buckets = meso_report_get_buckets (report);
  const MesoReportSeries *series = meso_report_get_series (report);

  g_assert_cmpint (meso_report_get_step (report), ==, MESO_REPORT_STEP_MONTH);
  /* Every month, the empty ones too. February: Anne (hair loss) and Fay (cellulite).
   * March: S1..S6, Chloé's 17th (cellulite), Gus's 4th (hair loss). */
  g_assert_cmpuint (buckets->len, ==, 6);
  assert_bucket (buckets, 0, 1, 1, (const gint64[]) { 0, 0, 0, 0, 0 });
  assert_bucket (buckets, 1, 1, 2, (const gint64[]) { 1, 0, 0, 1, 0 });
  assert_bucket (buckets, 2, 1, 3, (const gint64[]) { 3, 1, 1, 2, 1 });
  assert_bucket (buckets, 3, 1, 4, (const gint64[]) { 0, 0, 0, 0, 0 });
  assert_bucket (buckets, 4, 1, 5, (const gint64[]) { 0, 0, 0, 0, 0 });
  assert_bucket (buckets, 5, 1, 6, (const gint64[]) { 0, 0, 0, 0, 0 });

  /* Ten sessions; every patient seen is new in a period that holds their first. */
  g_assert_cmpint (meso_report_get_sessions (report), ==, 10);
  g_assert_cmpint (meso_report_get_patients (report), ==, 7);
  g_assert_cmpint (meso_report_get_new_patients (report), ==, 7);
  /* Anne's February session 1 too; Anne came back, Bruno and Fay did not. */
  g_assert_cmpint (series->started, ==, 3);
  g_assert_cmpint (series->completed, ==, 1);
  g_assert_cmpint (series->abandoned, ==, 2);
}

/* The chart's step and buckets come from the period alone. */
static void
test_step (void)
{
  GDate first, last;
  g_autoptr(MesoReport) weeks = NULL;
  g_autoptr(MesoReport) months = NULL;
  GPtrArray *buckets;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  /* 92 days, Sunday 1 June to Sunday 31 August 2025: weeks, from Monday 26 May. */
  g_date_set_dmy (&first, 1, 6, 2025);
  g_date_set_dmy (&last, 31, 8, 2025);
  g_assert_cmpint (g_date_days_between (&first, &last) + 1, ==, 92);
  weeks = meso_report_new (&first, &last);
  buckets = meso_report_get_buckets (weeks);
  g_assert_cmpint (meso_report_get_step (weeks), ==, MESO_REPORT_STEP_WEEK);
  g_assert_cmpuint (buckets->len, ==, 14);
  g_assert_cmpint (g_date_get_day (&((MesoReportBucket *) buckets->pdata[0])->start), ==, 26);
  g_assert_cmpint (g_date_get_weekday (&((MesoReportBucket *) buckets->pdata[13])->start), ==,
                   G_DATE_MONDAY);

  /* 93 days: months, from the first of the first one. */
  g_date_set_dmy (&last, 1, 9, 2025);
  months = meso_report_new (&first, &last);
  buckets = meso_report_get_buckets (months);
  g_assert_cmpint (meso_report_get_step (months), ==, MESO_REPORT_STEP_MONTH);
  g_assert_cmpuint (buckets->len, ==, 4);
  g_assert_cmpint (g_date_get_month (&((MesoReportBucket *) buckets->pdata[3])->start), ==, 9);
}

static void
test_audited (Fixture       *fixture,
              gconstpointer  data)
{
  MesoAuditFilter filter = { .action = "report" };
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(MesoReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const MesoAuditEntry *entry;

  before = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 0);

  meso_store_set_user (fixture->store, "manager");
  report = make_report (fixture, 3, 5, 3, 16);
  after = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  entry = g_ptr_array_index (after, 0);
  g_assert_cmpstr (entry->payload, ==, "from=2025-03-05\nto=2025-03-16\n");
  g_assert_cmpstr (entry->user, ==, "manager");
  g_assert_cmpstr (entry->entity, ==, "database");
  g_assert_true (meso_store_check_chain (fixture->store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 16, 3, 2025);
  g_date_set_dmy (&last, 5, 3, 2025);
  g_assert_null (meso_store_report (fixture->store, &first, &last, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "To:"));
}

static void
on_report_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MesoReport **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = meso_store_report_finish (MESO_STORE (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MesoReport) report = NULL;
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 5, 3, 2025);
  g_date_set_dmy (&last, 16, 3, 2025);
  meso_store_report_async (fixture->store, &first, &last, NULL, on_report_cb, &report);
  meso_test_wait_for (is_set, &report, "the report");
  g_assert_cmpint (meso_report_get_sessions (report), ==, 6);
  g_assert_cmpint (meso_report_get_injections (report), ==, 190);
}

/* SQLite's plan of the engine's own statement, one step a line. */
static char *
explain (const char *path,
         const char *sql)
{
  g_autofree char *explained = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, explained, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (plan, FALSE);
}

/* A report reads its period from the index made for it (in time order, with the
 * columns it adds up), and looks up the next sessions and each patient's earlier ones by
 * theirs: never every session, nor the period's whole rows. */
static void
test_plan (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "mesocare.db", NULL);
  g_autofree char *sql = meso_sqlite_store_report_sql ();
  g_autofree char *plan = explain (path, sql);

  g_test_message ("%s", plan);
  g_assert_nonnull (strstr (plan, "USING COVERING INDEX current_for_report (performed_at>? AND "
                                 "performed_at<?)"));
  g_assert_nonnull (strstr (plan, "USING COVERING INDEX current_by_status"));
  g_assert_nonnull (strstr (plan, "USING COVERING INDEX current_by_next_session"));
  g_assert_nonnull (strstr (plan, "SEARCH o USING COVERING INDEX current_by_patient"));
  g_assert_null (strstr (plan, "SEARCH o USING INDEX"));
  g_assert_null (strstr (plan, "SCAN session_current"));
  g_assert_null (strstr (plan, "SCAN s\n"));
  g_assert_null (strstr (plan, "SCAN o\n"));
}

int
main (int    argc,
      char **argv)
{
  /* Before anything reads the local time zone: GLib and SQLite's 'localtime' both. */
  g_setenv ("TZ", CLINIC_TZ, TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

  if (!meso_test_engine_is_postgresql ())
    g_test_add_func ("/report/step", test_step);
#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/report/totals", test_totals);
  ADD ("/report/breakdowns", test_breakdowns);
  ADD ("/report/weeks", test_weeks);
  ADD ("/report/months", test_months);
  ADD ("/report/audited", test_audited);
  ADD ("/report/refused", test_refused);
  ADD ("/report/async", test_async);
  /* SQLite's plan of its statement. */
  if (!meso_test_engine_is_postgresql ())
    ADD ("/report/plan", test_plan);
#undef ADD

  return g_test_run ();
}
