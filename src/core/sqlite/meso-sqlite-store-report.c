/* meso-sqlite-store-report.c: a manager's figures and a lot's recall, added up by SQL
 *
 * A report is one statement: the period's sessions (voided ones aside) are read once,
 * from the index made for it (current_for_report, schema step 7: in time order, with the
 * columns it adds up), into a materialised table, and each figure is a GROUP BY over it joined with
 * UNION ALL. What comes back is a few hundred rows (one per breakdown line and per day
 * and indication of the chart), never the sessions themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-sqlite-store-private.h"

/* ?1, ?2: the period as UTC times, [from, to); ?3, ?4: its first and last day; ?5:
 * today, all in the clinic's time zone (the process's, as SQLite's 'localtime' reads
 * it). The columns: what the row is, its key (and the day's indication), three counts.
 *
 * Voided sessions are left out of every figure save 'voided'. A session's areas and
 * reactions are comma-separated ids in session_current (current values: an amendment
 * changes them there); they are split by joining each distinct set with the list of
 * ids, after grouping, so the splitting costs what the sets cost, not the sessions. */
static const char report_sql_head[] =
  "WITH k AS MATERIALIZED ("
  " SELECT patient_id, performed_at, practitioner, areas, injections, duration_minutes AS minutes,"
  " indication, product, reactions, session_number, series_total"
  " FROM session_current WHERE performed_at >= ?1 AND performed_at < ?2"
  " AND status <> 'voided'),"
  " who AS MATERIALIZED (SELECT DISTINCT patient_id FROM k)"
  " SELECT 'totals', NULL, NULL, count(*), coalesce (sum (injections), 0),"
  "  coalesce (sum (minutes), 0) FROM k"
  /* From the status index alone (current_by_status), not the rows. */
  " UNION ALL SELECT 'voided', NULL, NULL, count(*), 0, 0 FROM session_current"
  "  WHERE status = 'voided' AND performed_at >= ?1 AND performed_at < ?2"
  " UNION ALL SELECT 'with-reactions', NULL, NULL, count(*), 0, 0 FROM k"
  "  WHERE reactions IS NOT NULL AND reactions NOT IN ('', 'none')"
  /* New: no session of theirs before the period (current_by_patient). */
  " UNION ALL SELECT 'patients', NULL, NULL, count(*),"
  "  coalesce (sum (NOT EXISTS (SELECT 1 FROM session_current o"
  "   WHERE o.patient_id = who.patient_id AND o.performed_at < ?1 AND o.status <> 'voided')), 0),"
  "  0 FROM who"
  " UNION ALL SELECT 'series', NULL, NULL, coalesce (sum (session_number = 1), 0),"
  "  coalesce (sum (session_number = series_total), 0), 0 FROM k"
  /* Abandoned: a session (of any time) planned a next one on a day of the period that
   * has passed, and the patient has had no session since (current_by_next_session). */
  " UNION ALL SELECT 'abandoned', NULL, NULL, count(*), 0, 0 FROM session_current s"
  "  WHERE s.next_session >= ?3 AND s.next_session <= ?4 AND s.next_session < ?5"
  "  AND s.status <> 'voided' AND NOT EXISTS (SELECT 1 FROM session_current o"
  "   WHERE o.patient_id = s.patient_id AND o.performed_at > s.performed_at"
  "   AND o.status <> 'voided')"
  " UNION ALL SELECT 'indication', coalesce (indication, ''), NULL, count(*), sum (injections),"
  "  sum (minutes) FROM k GROUP BY 2"
  " UNION ALL SELECT 'practitioner', coalesce (practitioner, ''), NULL, count(*),"
  "  sum (injections), sum (minutes) FROM k GROUP BY 2"
  " UNION ALL SELECT 'product', coalesce (product, ''), NULL, count(*), sum (injections),"
  "  sum (minutes) FROM k GROUP BY 2"
  " UNION ALL SELECT 'day', date (performed_at, 'localtime'), coalesce (indication, ''),"
  "  count(*), 0, 0 FROM k GROUP BY 2, 3";

/* Appends the breakdown of a comma-separated column by the ids @field knows. */
static void
append_split (GString    *sql,
              const char *section,
              const char *column,
              MesoField   field,
              const char *except)
{
  const char * const *ids = meso_field_get_choices (field);
  gboolean first = TRUE;

  g_string_append_printf (sql, " UNION ALL SELECT '%s', i.column1, NULL, sum (g.n), sum (g.i),"
                          " sum (g.m) FROM (SELECT %s AS v, count(*) AS n, sum (injections) AS i,"
                          " sum (minutes) AS m FROM k GROUP BY 1) g JOIN (VALUES ",
                          section, column);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (g_strcmp0 (ids[i], except) == 0)
        continue;
      g_string_append_printf (sql, "%s('%s')", first ? "" : ", ", ids[i]);
      first = FALSE;
    }
  g_string_append (sql, ") i ON instr (',' || g.v || ',', ',' || i.column1 || ',') > 0"
                        " GROUP BY 2");
}

/**
 * meso_sqlite_store_report_sql:
 *
 * Returns: (transfer full): the report's one statement, for the engine and for the
 *   benchmark, which runs the same in the sqlite3 shell.
 */
char *
meso_sqlite_store_report_sql (void)
{
  GString *sql = g_string_new (report_sql_head);

  append_split (sql, "area", "areas", MESO_FIELD_AREAS, NULL);
  /* "none" is no reaction: sessions where none was seen are not a line of it. */
  append_split (sql, "reaction", "reactions", MESO_FIELD_REACTIONS, "none");
  return g_string_free (sql, FALSE);
}

/* The UTC time at which @day begins in the clinic's time zone, as the store writes
 * times. */
static char *
day_start_utc (const GDate *day)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (g_date_get_year (day),
                                                      g_date_get_month (day),
                                                      g_date_get_day (day), 0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
format_day (const GDate *day)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day));
}

static gboolean
parse_day (const char *text,
           GDate      *out_day)
{
  unsigned year, month, day;

  g_date_clear (out_day, 1);
  if (text == NULL || sscanf (text, "%4u-%2u-%2u", &year, &month, &day) != 3
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  g_date_set_dmy (out_day, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static MesoReportBy
breakdown_of (const char *section,
              gboolean   *out_found)
{
  for (MesoReportBy by = 0; by < MESO_REPORT_N_BREAKDOWNS; by++)
    if (g_str_equal (section, meso_report_by_get_id (by)))
      {
        *out_found = TRUE;
        return by;
      }
  *out_found = FALSE;
  return 0;
}

typedef struct
{
  gint64 sessions, injections, minutes, voided, with_reactions, patients, new_patients;
  MesoReportSeries series;
} Totals;

/* Files one row of the statement's answer into the report. */
static void
take_row (MesoReport    *report,
          Totals        *totals,
          sqlite3_stmt  *stmt)
{
  const char *section = (const char *) sqlite3_column_text (stmt, 0);
  const char *key = (const char *) sqlite3_column_text (stmt, 1);
  const char *key2 = (const char *) sqlite3_column_text (stmt, 2);
  gint64 a = sqlite3_column_int64 (stmt, 3);
  gint64 b = sqlite3_column_int64 (stmt, 4);
  gint64 c = sqlite3_column_int64 (stmt, 5);
  gboolean found;
  MesoReportBy by;

  if (g_str_equal (section, "totals"))
    totals->sessions = a, totals->injections = b, totals->minutes = c;
  else if (g_str_equal (section, "voided"))
    totals->voided = a;
  else if (g_str_equal (section, "with-reactions"))
    totals->with_reactions = a;
  else if (g_str_equal (section, "patients"))
    totals->patients = a, totals->new_patients = b;
  else if (g_str_equal (section, "series"))
    totals->series.started = a, totals->series.completed = b;
  else if (g_str_equal (section, "abandoned"))
    totals->series.abandoned = a;
  else if (g_str_equal (section, "day"))
    {
      GDate day;

      /* A day outside the period would be a session on the edge read with another time
       * zone's rules than GLib's: filed nowhere rather than in a wrong bar. */
      if (parse_day (key, &day)
          && g_date_compare (&day, meso_report_get_first_day (report)) >= 0
          && g_date_compare (&day, meso_report_get_last_day (report)) <= 0)
        meso_report_add_to_bucket (report, &day, key2 != NULL && *key2 != '\0' ? key2 : NULL, a);
    }
  else if ((by = breakdown_of (section, &found)), found)
    meso_report_add_row (report, by, key, a, b, c);
}

static gboolean
run_report (MesoSqliteStore  *self,
            MesoReport       *report,
            const GDate      *first_day,
            const GDate      *last_day,
            GError          **error)
{
  g_autofree char *sql = meso_sqlite_store_report_sql ();
  g_autofree char *from = day_start_utc (first_day);
  g_autofree char *to = NULL;
  g_autofree char *first_text = format_day (first_day);
  g_autofree char *last_text = format_day (last_day);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GDate after = *last_day;
  sqlite3_stmt *stmt = NULL;
  Totals totals = { 0 };
  int rc;

  g_date_add_days (&after, 1);
  to = day_start_utc (&after);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "make a report");
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, first_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, last_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, today, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    take_row (report, &totals, stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "make a report");

  meso_report_set_totals (report, totals.sessions, totals.patients, totals.new_patients,
                          totals.injections, totals.minutes, totals.voided,
                          totals.with_reactions);
  meso_report_set_series (report, &totals.series);
  return TRUE;
}

typedef struct
{
  const char *action;
  GString    *payload;
} AuditData;

static gboolean
insert_audit (MesoSqliteStore  *self,
              gpointer          user_data,
              GError          **error)
{
  AuditData *data = user_data;

  return meso_sqlite_store_append_audit (self, data->action, "database", 0, data->payload->str,
                                         error);
}

MesoReport *
meso_sqlite_store_report (MesoStore    *store,
                          const GDate  *first_day,
                          const GDate  *last_day,
                          GError      **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(MesoReport) report = meso_report_new (first_day, last_day);
  g_autofree char *first_text = format_day (first_day);
  g_autofree char *last_text = format_day (last_day);
  AuditData audit = { "report", g_string_new (NULL) };
  gboolean ok;

  if (!run_report (self, report, first_day, last_day, error))
    {
      g_string_free (audit.payload, TRUE);
      return NULL;
    }
  /* Who looked at whose data: a report the log does not hold is not handed out. */
  meso_payload_append (audit.payload, "from", first_text);
  meso_payload_append (audit.payload, "to", last_text);
  ok = meso_sqlite_store_write_transaction (self, insert_audit, &audit, error);
  g_string_free (audit.payload, TRUE);
  return ok ? g_steal_pointer (&report) : NULL;
}

/* The recall's statement: ?1 the lot or product trimmed and lower-cased (ASCII, as
 * SQLite's lower() folds), matched by the expression indexes of schema step 007. The
 * contact details are the patient row's, which each session saved with them updates. */
static const char recall_sql_lot[] =
  "SELECT c.patient_id, c.patient_name, p.phone, p.email, p.language, c.product, c.lot,"
  " c.session_id, date (c.performed_at, 'localtime')"
  " FROM session_current c JOIN patients p ON p.id = c.patient_id"
  " WHERE lower (trim (c.lot)) = ?1 AND c.status <> 'voided'"
  " ORDER BY c.patient_id, c.performed_at, c.session_id";
static const char recall_sql_product[] =
  "SELECT c.patient_id, c.patient_name, p.phone, p.email, p.language, c.product, c.lot,"
  " c.session_id, date (c.performed_at, 'localtime')"
  " FROM session_current c JOIN patients p ON p.id = c.patient_id"
  " WHERE lower (trim (c.product)) = ?1 AND c.status <> 'voided'"
  " ORDER BY c.patient_id, c.performed_at, c.session_id";

/**
 * meso_sqlite_store_recall_sql:
 * @by_lot: the lot's statement, else the product's
 *
 * Returns: (transfer none): the recall's statement, for the benchmark too.
 */
const char *
meso_sqlite_store_recall_sql (gboolean by_lot)
{
  return by_lot ? recall_sql_lot : recall_sql_product;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

static MesoRecallPatient *
recall_patient_new (sqlite3_stmt *stmt)
{
  MesoRecallPatient *patient = g_new0 (MesoRecallPatient, 1);

  patient->patient_id = sqlite3_column_int64 (stmt, 0);
  patient->session_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  patient->session_days = g_ptr_array_new_with_free_func (g_free);
  return patient;
}

/* Rows come oldest first: the last one read gives the names, contact and product as
 * they stand now. */
static void
recall_patient_add (MesoRecallPatient *patient,
                    sqlite3_stmt      *stmt)
{
  gint64 session_id = sqlite3_column_int64 (stmt, 7);

  g_free (patient->patient_name);
  patient->patient_name = column_dup (stmt, 1);
  g_free (patient->phone);
  patient->phone = column_dup (stmt, 2);
  g_free (patient->email);
  patient->email = column_dup (stmt, 3);
  g_free (patient->language);
  patient->language = column_dup (stmt, 4);
  g_free (patient->product);
  patient->product = column_dup (stmt, 5);
  g_free (patient->lot);
  patient->lot = column_dup (stmt, 6);
  g_array_append_val (patient->session_ids, session_id);
  g_ptr_array_add (patient->session_days, column_dup (stmt, 8));
}

static int
compare_patients (gconstpointer a,
                  gconstpointer b)
{
  const MesoRecallPatient *pa = *(MesoRecallPatient * const *) a;
  const MesoRecallPatient *pb = *(MesoRecallPatient * const *) b;
  g_autofree char *ka = g_utf8_collate_key (pa->patient_name != NULL ? pa->patient_name : "", -1);
  g_autofree char *kb = g_utf8_collate_key (pb->patient_name != NULL ? pb->patient_name : "", -1);
  int order = strcmp (ka, kb);

  if (order != 0)
    return order;
  return pa->patient_id < pb->patient_id ? -1 : pa->patient_id > pb->patient_id;
}

static GPtrArray *
run_recall (MesoSqliteStore  *self,
            gboolean          by_lot,
            const char       *key,
            GError          **error)
{
  g_autoptr(GPtrArray) patients =
    g_ptr_array_new_with_free_func ((GDestroyNotify) meso_recall_patient_free);
  MesoRecallPatient *current = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, meso_sqlite_store_recall_sql (by_lot), -1, &stmt,
                          NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, "find the sessions of a lot");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (current == NULL || current->patient_id != sqlite3_column_int64 (stmt, 0))
        {
          current = recall_patient_new (stmt);
          g_ptr_array_add (patients, current);
        }
      recall_patient_add (current, stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "find the sessions of a lot");
      return NULL;
    }
  /* By name as the sessions now say it: an amendment may have changed it. */
  g_ptr_array_sort (patients, compare_patients);
  return g_steal_pointer (&patients);
}

/* The key as the statement compares it: trimmed, ASCII letters lower-cased. */
static char *
recall_key (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  return g_ascii_strdown (trimmed, -1);
}

GPtrArray *
meso_sqlite_store_recall (MesoStore   *store,
                          const char  *lot,
                          const char  *product,
                          GError     **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  gboolean by_lot = lot != NULL;
  g_autofree char *key = recall_key (by_lot ? lot : product);
  g_autoptr(GPtrArray) patients = run_recall (self, by_lot, key, error);
  g_autoptr(GString) ids = g_string_new (NULL);
  AuditData audit = { "recall", NULL };
  gboolean ok;

  if (patients == NULL)
    return NULL;
  for (guint i = 0; i < patients->len; i++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, i);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", patient->patient_id);
    }
  audit.payload = g_string_new (NULL);
  meso_payload_append (audit.payload, by_lot ? "lot" : "product", by_lot ? lot : product);
  meso_payload_append (audit.payload, "patients", ids->str);
  ok = meso_sqlite_store_write_transaction (self, insert_audit, &audit, error);
  g_string_free (audit.payload, TRUE);
  return ok ? g_steal_pointer (&patients) : NULL;
}
