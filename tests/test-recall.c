/* test-recall.c: a lot's recall, the audit review and the chain's check, against a
 * database whose answers are known
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>
#include <time.h>

#include "meso-error.h"
#include "meso-report.h"
#include "meso-report-csv.h"
#include "meso-sqlite-store-private.h"
#include "meso-store.h"
#include "meso-test-util.h"

typedef struct
{
  const char *patient;
  const char *dob;
  int         month, day;   /* 2025, 10:00 local */
  const char *product;
  const char *lot;
  const char *phone;        /* NULL: not given this time */
  const char *language;
} Row;

/* Lot "AB-12" went to Zoé (twice, the second time typed " ab-12 "), to Marc (a
 * session voided) and to Anne; "AB-13" to Marc. Zoé changed her phone and language on
 * her second visit. Two Annes: a different date of birth makes another patient. */
enum { ZOE_1, MARC_VOIDED, ANNE, ZOE_2, MARC_OTHER_LOT, ANNE_OTHER, OLGA, N_ROWS };

static const Row rows[N_ROWS] = {
  [ZOE_1] = { "Zoé Adam", "1980-01-01", 3, 1, "Vitamin C", "AB-12", "+33 1 11 11 11 11", "fr" },
  [MARC_VOIDED] = { "Marc Blanc", "1975-05-05", 3, 2, "Vitamin C", "AB-12", "+33 2 22 22 22 22",
                    "en" },
  [ANNE] = { "Anne Carré", "1990-09-09", 3, 3, "vitamin c ", "AB-12", NULL, "es" },
  [ZOE_2] = { "Zoé Adam", "1980-01-01", 4, 1, "Vitamin C", " ab-12 ", "+33 6 66 66 66 66", "en" },
  [MARC_OTHER_LOT] = { "Marc Blanc", "1975-05-05", 4, 2, "Vitamin C", "AB-13", NULL, "en" },
  [ANNE_OTHER] = { "Anne Carré", "1991-01-01", 4, 3, "Hyaluronic", "XY-1", NULL, "en" },
  [OLGA] = { "Olga Durand", "1985-02-02", 4, 4, "Hyaluronic", "AB-12X", NULL, "en" },
};

typedef struct
{
  char      *dir;
  char      *path;
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_autofree char *file = NULL;

  fixture->dir = meso_test_make_tmp_dir ("mesocare-recall-XXXXXX");
  file = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->path = meso_test_db_location_new (file);
  fixture->store = meso_test_open_store (fixture->path);
  for (guint i = 0; i < N_ROWS; i++)
    {
      const Row *row = &rows[i];
      g_autoptr(MesoSession) session = meso_test_session_new (row->patient, MESO_AREA_FACE,
                                                              10, 10);
      g_autoptr(GDateTime) when = g_date_time_new_local (2025, row->month, row->day, 10, 0, 0);

      meso_session_set_performed_at (session, when);
      set_text (session, MESO_FIELD_DATE_OF_BIRTH, row->dob);
      set_text (session, MESO_FIELD_PRODUCT, row->product);
      set_text (session, MESO_FIELD_LOT, row->lot);
      set_text (session, MESO_FIELD_PHONE, row->phone);
      set_text (session, MESO_FIELD_LANGUAGE, row->language);
      fixture->ids[i] = meso_test_save_session (fixture->store, session);
    }
  g_assert_true (meso_store_void_session (fixture->store, fixture->ids[MARC_VOIDED],
                                          "wrong patient", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_drop_store_and_dir (&fixture->store, &fixture->dir);
  meso_test_db_location_free (fixture->path);
}

static void
assert_patient (GPtrArray          *patients,
                guint               index,
                const char         *name,
                const char         *phone,
                const char         *language,
                const gint64       *session_ids,
                const char * const *days)
{
  const MesoRecallPatient *patient = g_ptr_array_index (patients, index);
  guint n = g_strv_length ((char **) days);

  g_assert_cmpstr (patient->patient_name, ==, name);
  g_assert_cmpstr (patient->phone, ==, phone);
  g_assert_cmpstr (patient->language, ==, language);
  g_assert_cmpuint (patient->session_ids->len, ==, n);
  g_assert_cmpuint (patient->session_days->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (g_array_index (patient->session_ids, gint64, i), ==, session_ids[i]);
      g_assert_cmpstr (g_ptr_array_index (patient->session_days, i), ==, days[i]);
    }
}

static void
test_by_lot (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  /* Typed as people type it: blanks around, another case. */
  g_autoptr(GPtrArray) patients = meso_store_recall (fixture->store, "  ab-12", NULL, &error);
  const MesoRecallPatient *zoe;

  g_assert_no_error (error);
  /* By name: Anne, then Zoé; Marc's only AB-12 session is voided; Olga's AB-12X is
   * another lot. */
  g_assert_cmpuint (patients->len, ==, 2);
  assert_patient (patients, 0, "Anne Carré", NULL, "es",
                  (const gint64[]) { fixture->ids[ANNE] },
                  (const char * const[]) { "2025-03-03", NULL });
  /* Zoé's two sessions, oldest first; her phone and language as last given. */
  assert_patient (patients, 1, "Zoé Adam", "+33 6 66 66 66 66", "en",
                  (const gint64[]) { fixture->ids[ZOE_1], fixture->ids[ZOE_2] },
                  (const char * const[]) { "2025-03-01", "2025-04-01", NULL });
  zoe = g_ptr_array_index (patients, 1);
  g_assert_cmpstr (zoe->product, ==, "Vitamin C");
}

static void
test_by_product (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = meso_store_recall (fixture->store, NULL, "VITAMIN C",
                                                     &error);

  g_assert_no_error (error);
  /* Anne ("vitamin c "), Marc (AB-13: his voided session left out), Zoé. */
  g_assert_cmpuint (patients->len, ==, 3);
  assert_patient (patients, 0, "Anne Carré", NULL, "es",
                  (const gint64[]) { fixture->ids[ANNE] },
                  (const char * const[]) { "2025-03-03", NULL });
  assert_patient (patients, 1, "Marc Blanc", "+33 2 22 22 22 22", "en",
                  (const gint64[]) { fixture->ids[MARC_OTHER_LOT] },
                  (const char * const[]) { "2025-04-02", NULL });
  assert_patient (patients, 2, "Zoé Adam", "+33 6 66 66 66 66", "en",
                  (const gint64[]) { fixture->ids[ZOE_1], fixture->ids[ZOE_2] },
                  (const char * const[]) { "2025-03-01", "2025-04-01", NULL });
}

static void
test_no_match (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = meso_store_recall (fixture->store, "ZZ-99", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (patients);
  g_assert_cmpuint (patients->len, ==, 0);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) both = NULL;
  g_autoptr(GError) neither = NULL;
  g_autoptr(GError) blank = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  MesoAuditFilter filter = { .action = "recall" };

  g_assert_null (meso_store_recall (fixture->store, "AB-12", "Vitamin C", &both));
  g_assert_error (both, MESO_ERROR, MESO_ERROR_CODE (MESO_FIELD_PRODUCT, MESO_CHECK_INCONSISTENT));
  g_assert_cmpint (meso_error_get_field (both), ==, MESO_FIELD_PRODUCT);
  g_assert_true (g_str_has_prefix (both->message, "Product:"));

  g_assert_null (meso_store_recall (fixture->store, NULL, NULL, &neither));
  g_assert_error (neither, MESO_ERROR, MESO_ERROR_CODE (MESO_FIELD_LOT, MESO_CHECK_REQUIRED));
  g_assert_true (g_str_has_prefix (neither->message, "Lot:"));

  g_assert_null (meso_store_recall (fixture->store, NULL, "   ", &blank));
  g_assert_error (blank, MESO_ERROR, MESO_ERROR_CODE (MESO_FIELD_PRODUCT, MESO_CHECK_REQUIRED));

  /* Refused, so not looked at: no entry. */
  audit = meso_store_find_audit (fixture->store, &filter, NULL);
  g_assert_cmpuint (audit->len, ==, 0);
}

static void
test_audited (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *expected = NULL;
  MesoAuditFilter filter = { .action = "recall" };
  const MesoRecallPatient *anne, *zoe;

  patients = meso_store_recall (fixture->store, "AB-12", NULL, &error);
  g_assert_no_error (error);
  none = meso_store_recall (fixture->store, NULL, "Nothing", &error);
  g_assert_no_error (error);
  anne = g_ptr_array_index (patients, 0);
  zoe = g_ptr_array_index (patients, 1);

  entries = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  expected = g_strdup_printf ("lot=AB-12\npatients=%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\n",
                              anne->patient_id, zoe->patient_id);
  g_assert_cmpstr (((MesoAuditEntry *) entries->pdata[0])->payload, ==, expected);
  /* A recall that found nobody is a look at the records too. */
  g_assert_cmpstr (((MesoAuditEntry *) entries->pdata[1])->payload, ==,
                   "product=Nothing\npatients=\n");
}

/* Each filter alone, then together, against the log the fixture wrote: seven 'create',
 * one 'void', then what the test adds. */
static void
test_find_audit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) past = g_date_time_new_utc (2000, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) future = g_date_time_new_utc (2100, 1, 1, 0, 0, 0);
  MesoAuditFilter filter = { 0 };

  meso_store_set_user (fixture->store, "auditor");
  g_assert_true (meso_store_log_event (fixture->store, "print", fixture->ids[ZOE_1], "x=1\n",
                                       &error));
  g_assert_no_error (error);

  all = meso_store_find_audit (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_ROWS + 2);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (((MesoAuditEntry *) all->pdata[i])->seq, ==, i + 1);

  filter.action = "create";
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, N_ROWS);
  g_clear_pointer (&found, g_ptr_array_unref);

  filter.action = NULL;
  filter.user = "auditor";
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((MesoAuditEntry *) found->pdata[0])->action, ==, "print");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Session Zoé 1: its creation and its print, oldest first. */
  filter.user = NULL;
  filter.session_id = fixture->ids[ZOE_1];
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((MesoAuditEntry *) found->pdata[0])->action, ==, "create");
  g_assert_cmpstr (((MesoAuditEntry *) found->pdata[1])->action, ==, "print");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Times: everything was written now, so before 2000 nothing, up to 2100 all. */
  filter.session_id = 0;
  filter.to = past;
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  filter.to = future;
  filter.from = past;
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, all->len);
  g_clear_pointer (&found, g_ptr_array_unref);
  filter.from = future;
  filter.to = NULL;
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A limit keeps the newest, still oldest first. */
  filter.from = NULL;
  filter.limit = 3;
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpint (((MesoAuditEntry *) found->pdata[0])->seq, ==, all->len - 2);
  g_assert_cmpint (((MesoAuditEntry *) found->pdata[2])->seq, ==, all->len);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Together: the creates of session Zoé 1. */
  filter.limit = 0;
  filter.action = "create";
  filter.session_id = fixture->ids[ZOE_1];
  found = meso_store_find_audit (fixture->store, &filter, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_no_error (error);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (meso_test_engine_is_postgresql ())
    {
      meso_test_pg_run (path, sql);
      return;
    }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_chain (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  gint64 first_broken = -1;

  g_assert_true (meso_store_check_chain (fixture->store, &first_broken, &error));
  g_assert_no_error (error);
  g_assert_cmpint (first_broken, ==, 0);

  /* Entry 4's content changed by hand, past the trigger that forbids it. */
  g_clear_object (&fixture->store);
  exec_sql (fixture->path, meso_test_engine_is_postgresql ()
                           ? "DROP TRIGGER audit_log_never_updated ON audit_log;"
                             " UPDATE audit_log SET payload = payload || 'x' WHERE seq = 4;"
                           : "DROP TRIGGER audit_log_never_updated;"
                             " UPDATE audit_log SET payload = payload || 'x' WHERE seq = 4;");
  fixture->store = meso_test_open_store (fixture->path);

  g_assert_false (meso_store_check_chain (fixture->store, &first_broken, &error));
  g_assert_cmpint (first_broken, ==, 4);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  /* The whole check stops at the same entry. */
  g_assert_false (meso_store_check (fixture->store, &check_error));
  g_assert_cmpstr (check_error->message, ==, error->message);
}

static void
test_chain_link (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 first_broken = 0;

  /* Entry 6 deleted: 7 no longer follows. */
  g_clear_object (&fixture->store);
  exec_sql (fixture->path, meso_test_engine_is_postgresql ()
                           ? "DROP TRIGGER audit_log_never_deleted ON audit_log;"
                             " DELETE FROM audit_log WHERE seq = 6;"
                           : "DROP TRIGGER audit_log_never_deleted;"
                             " DELETE FROM audit_log WHERE seq = 6;");
  fixture->store = meso_test_open_store (fixture->path);

  g_assert_false (meso_store_check_chain (fixture->store, &first_broken, &error));
  g_assert_cmpint (first_broken, ==, 7);
}

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

/* A recall finds its sessions through the index on the trimmed, lower-cased lot (or
 * product), not by reading every session. */
static void
test_plan (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *by_lot = explain (fixture->path, meso_sqlite_store_recall_sql (TRUE));
  g_autofree char *by_product = explain (fixture->path, meso_sqlite_store_recall_sql (FALSE));

  g_test_message ("%s%s", by_lot, by_product);
  g_assert_nonnull (strstr (by_lot, "SEARCH c USING INDEX current_by_lot_key"));
  g_assert_nonnull (strstr (by_product, "SEARCH c USING INDEX current_by_product_key"));
}

typedef struct
{
  GPtrArray *patients;
  GPtrArray *entries;
  gboolean   chain_done;
  gboolean   chain_intact;
  gint64     first_broken;
} AsyncAnswers;

static void
on_recall_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncAnswers *answers = user_data;
  g_autoptr(GError) error = NULL;

  answers->patients = meso_store_recall_finish (MESO_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
on_find_audit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncAnswers *answers = user_data;
  g_autoptr(GError) error = NULL;

  answers->entries = meso_store_find_audit_finish (MESO_STORE (source), result, &error);
  g_assert_no_error (error);
}

static void
on_check_chain_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AsyncAnswers *answers = user_data;
  g_autoptr(GError) error = NULL;

  answers->chain_intact = meso_store_check_chain_finish (MESO_STORE (source), result,
                                                         &answers->first_broken, &error);
  answers->chain_done = TRUE;
}

static gboolean
all_answered (gpointer data)
{
  AsyncAnswers *answers = data;

  return answers->patients != NULL && answers->entries != NULL && answers->chain_done;
}

/* The same calls from a main loop, on the store's worker thread, answered in order: the
 * audit search queued after the recall finds its entry. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  AsyncAnswers answers = { NULL };
  MesoAuditFilter filter = { .action = "recall" };

  meso_store_recall_async (fixture->store, "ab-12", NULL, NULL, on_recall_cb, &answers);
  meso_store_find_audit_async (fixture->store, &filter, NULL, on_find_audit_cb, &answers);
  meso_store_check_chain_async (fixture->store, NULL, on_check_chain_cb, &answers);
  meso_test_wait_for (all_answered, &answers, "the three answers");

  g_assert_cmpuint (answers.patients->len, ==, 2);
  g_assert_cmpuint (answers.entries->len, ==, 1);
  g_assert_true (answers.chain_intact);
  g_assert_cmpint (answers.first_broken, ==, 0);
  g_ptr_array_unref (answers.patients);
  g_ptr_array_unref (answers.entries);
}

/* A name or product a spreadsheet would run as a formula is written with a quote in
 * front, in the recall's CSV as in the sessions' export; the phone, the session and the
 * date as they are. */
static void
test_csv_formulas (void)
{
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (
    (GDestroyNotify) meso_recall_patient_free);
  g_autoptr(GString) csv = g_string_new (NULL);
  MesoRecallPatient *patient = g_new0 (MesoRecallPatient, 1);
  gint64 id = 7;

  patient->patient_id = 1;
  patient->patient_name = g_strdup ("=HYPERLINK(\"http://x.example\",\"Ann\")");
  patient->phone = g_strdup ("+33 1 23 45 67 89");
  patient->email = g_strdup ("@ann.example");
  patient->language = g_strdup ("en");
  patient->product = g_strdup ("-Vitamin C");
  patient->lot = g_strdup ("+L1");
  patient->session_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (patient->session_ids, id);
  patient->session_days = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (patient->session_days, g_strdup ("2026-11-03"));
  g_ptr_array_add (patients, patient);

  meso_recall_write_csv (patients, csv);
  g_assert_cmpstr (csv->str, ==,
                   "patient,phone,email,language,product,lot,session,date\r\n"
                   "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Ann\"\")\",+33 1 23 45 67 89,"
                   "'@ann.example,en,'-Vitamin C,'+L1,7,2026-11-03\r\n");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "Europe/Paris", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/recall/by-lot", test_by_lot);
  ADD ("/recall/by-product", test_by_product);
  ADD ("/recall/no-match", test_no_match);
  ADD ("/recall/refused", test_refused);
  ADD ("/recall/audited", test_audited);
  ADD ("/audit/find", test_find_audit);
  ADD ("/audit/chain-content", test_chain);
  ADD ("/audit/chain-link", test_chain_link);
  ADD ("/recall/async", test_async);
  /* SQLite's plan of its statement. */
  if (!meso_test_engine_is_postgresql ())
    ADD ("/recall/plan", test_plan);
#undef ADD
  if (!meso_test_engine_is_postgresql ())
    g_test_add_func ("/recall/csv-formulas", test_csv_formulas);

  return g_test_run ();
}
