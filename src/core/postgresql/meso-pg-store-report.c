/* meso-pg-store-report.c: a manager's figures and a lot's recall on the clinic's server
 *
 * The statement of the SQLite engine (sqlite/meso-sqlite-store-report.c) in PostgreSQL's
 * words. The server does not know the clinic's time zone (the workstation's): the days
 * of the chart come from the UTC time each local day of the period starts at, computed
 * here with GLib's rules and handed to width_bucket(), so both engines file a session
 * under the same day.
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
#include "meso-pg-store-private.h"

/* $1, $2: the period as UTC times, [from, to); $3, $4: its first and last day; $5: today;
 * $6: the UTC start of each day of the period, $7: those days' dates (text arrays). */
static const char report_sql_head[] =
  "WITH k AS MATERIALIZED ("
  " SELECT patient_id, performed_at, practitioner, areas, injections, duration_minutes AS minutes,"
  " indication, product, reactions, session_number, series_total"
  " FROM session_current WHERE performed_at >= $1 AND performed_at < $2"
  " AND status <> 'voided'),"
  " who AS MATERIALIZED (SELECT DISTINCT patient_id FROM k)"
  " SELECT 'totals', NULL, NULL, count(*), coalesce (sum (injections), 0),"
  "  coalesce (sum (minutes), 0) FROM k"
  " UNION ALL SELECT 'voided', NULL, NULL, count(*), 0, 0 FROM session_current"
  "  WHERE status = 'voided' AND performed_at >= $1 AND performed_at < $2"
  " UNION ALL SELECT 'with-reactions', NULL, NULL, count(*), 0, 0 FROM k"
  "  WHERE reactions IS NOT NULL AND reactions NOT IN ('', 'none')"
  " UNION ALL SELECT 'patients', NULL, NULL, count(*),"
  "  coalesce (sum ((NOT EXISTS (SELECT 1 FROM session_current o"
  "   WHERE o.patient_id = who.patient_id AND o.performed_at < $1"
  "   AND o.status <> 'voided'))::int), 0), 0 FROM who"
  " UNION ALL SELECT 'series', NULL, NULL, coalesce (sum ((session_number = 1)::int), 0),"
  "  coalesce (sum ((session_number = series_total)::int), 0), 0 FROM k"
  " UNION ALL SELECT 'abandoned', NULL, NULL, count(*), 0, 0 FROM session_current s"
  "  WHERE s.next_session >= $3 AND s.next_session <= $4 AND s.next_session < $5"
  "  AND s.status <> 'voided' AND NOT EXISTS (SELECT 1 FROM session_current o"
  "   WHERE o.patient_id = s.patient_id AND o.performed_at > s.performed_at"
  "   AND o.status <> 'voided')"
  " UNION ALL SELECT 'indication', coalesce (indication, ''), NULL, count(*), sum (injections),"
  "  sum (minutes) FROM k GROUP BY 2"
  " UNION ALL SELECT 'practitioner', coalesce (practitioner, ''), NULL, count(*),"
  "  sum (injections), sum (minutes) FROM k GROUP BY 2"
  " UNION ALL SELECT 'product', coalesce (product, ''), NULL, count(*), sum (injections),"
  "  sum (minutes) FROM k GROUP BY 2"
  " UNION ALL SELECT 'day', ($7::text[])[width_bucket (performed_at, $6::text[])],"
  "  coalesce (indication, ''), count(*), 0, 0 FROM k GROUP BY 2, 3";

/* Appends the breakdown of a comma-separated column by the ids @field knows (constants
 * of this build, not values from anyone). */
static void
append_split (GString    *sql,
              const char *section,
              const char *column,
              MesoField   field,
              const char *except)
{
  const char * const *ids = meso_field_get_choices (field);
  gboolean first = TRUE;

  g_string_append_printf (sql, " UNION ALL SELECT '%s', i.id, NULL, sum (g.n), sum (g.i),"
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
  g_string_append (sql, ") i (id) ON strpos (',' || g.v || ',', ',' || i.id || ',') > 0"
                        " GROUP BY 2");
}

static char *
report_sql (void)
{
  GString *sql = g_string_new (report_sql_head);

  append_split (sql, "area", "areas", MESO_FIELD_AREAS, NULL);
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

/* A text[] literal of @texts (dates and times: no character needs quoting). */
static char *
array_literal (GPtrArray *texts)
{
  GString *literal = g_string_new ("{");

  for (guint i = 0; i < texts->len; i++)
    g_string_append_printf (literal, "%s%s", i > 0 ? "," : "", (char *) texts->pdata[i]);
  g_string_append_c (literal, '}');
  return g_string_free (literal, FALSE);
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

static void
take_row (MesoReport     *report,
          Totals         *totals,
          const PGresult *result,
          int             row)
{
  const char *section = meso_pg_value (result, row, 0);
  const char *key = meso_pg_value (result, row, 1);
  const char *key2 = meso_pg_value (result, row, 2);
  gint64 a = meso_pg_int64 (result, row, 3);
  gint64 b = meso_pg_int64 (result, row, 4);
  gint64 c = meso_pg_int64 (result, row, 5);
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

      if (parse_day (key, &day)
          && g_date_compare (&day, meso_report_get_first_day (report)) >= 0
          && g_date_compare (&day, meso_report_get_last_day (report)) <= 0)
        meso_report_add_to_bucket (report, &day, key2 != NULL && *key2 != '\0' ? key2 : NULL, a);
    }
  else if ((by = breakdown_of (section, &found)), found)
    meso_report_add_row (report, by, key, a, b, c);
}

static gboolean
run_report (MesoPgStore  *self,
            MesoReport   *report,
            const GDate  *first_day,
            const GDate  *last_day,
            GError      **error)
{
  g_autofree char *sql = report_sql ();
  g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *first_text = format_day (first_day);
  g_autofree char *last_text = format_day (last_day);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *starts_text = NULL;
  g_autofree char *days_text = NULL;
  g_autoptr(PGresult) result = NULL;
  GDate day = *first_day;
  Totals totals = { 0 };
  const char *params[7];

  /* One more start than days: the end of the period, which no session reaches. */
  for (; g_date_compare (&day, last_day) <= 0; g_date_add_days (&day, 1))
    {
      g_ptr_array_add (starts, day_start_utc (&day));
      g_ptr_array_add (days, format_day (&day));
    }
  g_ptr_array_add (starts, day_start_utc (&day));
  starts_text = array_literal (starts);
  days_text = array_literal (days);
  params[0] = starts->pdata[0];
  params[1] = starts->pdata[starts->len - 1];
  params[2] = first_text, params[3] = last_text, params[4] = today;
  params[5] = starts_text, params[6] = days_text;

  result = meso_pg_store_exec (self, sql, 7, params, error);
  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    take_row (report, &totals, result, row);
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
insert_audit (MesoPgStore  *self,
              gpointer      user_data,
              GError      **error)
{
  AuditData *data = user_data;

  return meso_pg_store_append_audit (self, data->action, "database", 0, data->payload->str,
                                     error);
}

MesoReport *
meso_pg_store_report (MesoStore    *store,
                      const GDate  *first_day,
                      const GDate  *last_day,
                      GError      **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  g_autoptr(MesoReport) report = meso_report_new (first_day, last_day);
  g_autofree char *first_text = format_day (first_day);
  g_autofree char *last_text = format_day (last_day);
  g_autoptr(GString) payload = g_string_new (NULL);
  AuditData audit = { "report", payload };

  if (!run_report (self, report, first_day, last_day, error))
    return NULL;
  /* Who looked at whose data: a report the log does not hold is not handed out. */
  meso_payload_append (payload, "from", first_text);
  meso_payload_append (payload, "to", last_text);
  if (!meso_pg_store_write_transaction (self, insert_audit, &audit, error))
    return NULL;
  return g_steal_pointer (&report);
}

/* $1: the lot or product trimmed and lower-cased (ASCII), as the expression indexes
 * hold it. The day of each session is made here, in the clinic's time zone. */
static const char recall_sql_lot[] =
  "SELECT c.patient_id, c.patient_name, p.phone, p.email, p.language, c.product, c.lot,"
  " c.session_id, c.performed_at"
  " FROM session_current c JOIN patients p ON p.id = c.patient_id"
  " WHERE lower (trim (c.lot)) = $1 AND c.status <> 'voided'"
  " ORDER BY c.patient_id, c.performed_at, c.session_id";
static const char recall_sql_product[] =
  "SELECT c.patient_id, c.patient_name, p.phone, p.email, p.language, c.product, c.lot,"
  " c.session_id, c.performed_at"
  " FROM session_current c JOIN patients p ON p.id = c.patient_id"
  " WHERE lower (trim (c.product)) = $1 AND c.status <> 'voided'"
  " ORDER BY c.patient_id, c.performed_at, c.session_id";

static char *
value_dup (const PGresult *result,
           int             row,
           int             column)
{
  return g_strdup (meso_pg_value (result, row, column));
}

static char *
local_day (const char *utc_text)
{
  g_autoptr(GDateTime) utc = utc_text != NULL ? g_date_time_new_from_iso8601 (utc_text, NULL)
                                              : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;
}

/* Rows come oldest first: the last one read gives the names, contact and product as
 * they stand now. */
static void
recall_patient_add (MesoRecallPatient *patient,
                    const PGresult    *result,
                    int                row)
{
  gint64 session_id = meso_pg_int64 (result, row, 7);

  g_free (patient->patient_name);
  patient->patient_name = value_dup (result, row, 1);
  g_free (patient->phone);
  patient->phone = value_dup (result, row, 2);
  g_free (patient->email);
  patient->email = value_dup (result, row, 3);
  g_free (patient->language);
  patient->language = value_dup (result, row, 4);
  g_free (patient->product);
  patient->product = value_dup (result, row, 5);
  g_free (patient->lot);
  patient->lot = value_dup (result, row, 6);
  g_array_append_val (patient->session_ids, session_id);
  g_ptr_array_add (patient->session_days, local_day (meso_pg_value (result, row, 8)));
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
run_recall (MesoPgStore  *self,
            gboolean      by_lot,
            const char   *key,
            GError      **error)
{
  g_autoptr(GPtrArray) patients =
    g_ptr_array_new_with_free_func ((GDestroyNotify) meso_recall_patient_free);
  const char *params[] = { key };
  g_autoptr(PGresult) result = meso_pg_store_exec (self, by_lot ? recall_sql_lot
                                                                : recall_sql_product,
                                                   1, params, error);
  MesoRecallPatient *current = NULL;

  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      if (current == NULL || current->patient_id != meso_pg_int64 (result, row, 0))
        {
          current = g_new0 (MesoRecallPatient, 1);
          current->patient_id = meso_pg_int64 (result, row, 0);
          current->session_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          current->session_days = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (patients, current);
        }
      recall_patient_add (current, result, row);
    }
  g_ptr_array_sort (patients, compare_patients);
  return g_steal_pointer (&patients);
}

/* The key as the statement compares it: trimmed, ASCII letters lower-cased (SQL's
 * lower() would fold others too: the text is folded here and compared folded). */
static char *
recall_key (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  return g_ascii_strdown (trimmed, -1);
}

GPtrArray *
meso_pg_store_recall (MesoStore   *store,
                      const char  *lot,
                      const char  *product,
                      GError     **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  gboolean by_lot = lot != NULL;
  g_autofree char *key = recall_key (by_lot ? lot : product);
  g_autoptr(GPtrArray) patients = run_recall (self, by_lot, key, error);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) payload = g_string_new (NULL);
  AuditData audit = { "recall", payload };

  if (patients == NULL)
    return NULL;
  for (guint i = 0; i < patients->len; i++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, i);

      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", patient->patient_id);
    }
  meso_payload_append (payload, by_lot ? "lot" : "product", by_lot ? lot : product);
  meso_payload_append (payload, "patients", ids->str);
  if (!meso_pg_store_write_transaction (self, insert_audit, &audit, error))
    return NULL;
  return g_steal_pointer (&patients);
}
