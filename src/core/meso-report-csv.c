/* meso-report-csv.c
 *
 * One writer for each CSV file of the Reports: the command line prints it and the app
 * saves it, the same bytes. The columns and the sections are a contract with the
 * spreadsheets and scripts that read them (`mesocare-cli report --help` tells it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-report-csv"

#include "config.h"

#include "meso-csv.h"
#include "meso-report-csv.h"

/* A row whose text cells a spreadsheet would take for a formula ("=HYPERLINK(...)" as a
 * patient's or a product's name) get a quote in front, as the sessions' export does;
 * the cells in @kept (a bit a column: numbers, dates and phones the store checked) are
 * written as they are. */
static void
append_safe_row (GString            *out,
                 const char * const *fields,
                 guint               n_fields,
                 guint               kept)
{
  g_autoptr(GPtrArray) safe = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_fields; i++)
    g_ptr_array_add (safe, (kept & (1u << i)) != 0 ? g_strdup (fields[i])
                                                     : meso_csv_escape_formula (fields[i]));
  meso_csv_append_row (out, (const char * const *) safe->pdata, n_fields);
}

/* ---- The report: one row a figure ---- */

/* A number left out (negative) is an empty field; the per hundred with a dot whatever
 * the locale: a file for spreadsheets and scripts. */
static void
append_report_row (GString    *out,
                   const char *section,
                   const char *key,
                   gint64      sessions,
                   gint64      injections,
                   gint64      minutes,
                   double      per_hundred)
{
  char numbers[4][G_ASCII_DTOSTR_BUF_SIZE] = { "", "", "", "" };
  const char *fields[6] = { section, key, numbers[0], numbers[1], numbers[2], numbers[3] };

  g_snprintf (numbers[0], sizeof numbers[0], "%" G_GINT64_FORMAT, sessions);
  if (injections >= 0)
    g_snprintf (numbers[1], sizeof numbers[1], "%" G_GINT64_FORMAT, injections);
  if (minutes >= 0)
    g_snprintf (numbers[2], sizeof numbers[2], "%" G_GINT64_FORMAT, minutes);
  if (per_hundred >= 0)
    g_ascii_formatd (numbers[3], sizeof numbers[3], "%.2f", per_hundred);
  /* The key is a practitioner's or a product's name as typed. */
  append_safe_row (out, fields, G_N_ELEMENTS (fields), 0x3d);
}

static void
append_report_totals (GString    *out,
                      MesoReport *report)
{
  const MesoReportSeries *series = meso_report_get_series (report);
  gint64 sessions = meso_report_get_sessions (report);
  gint64 with_reactions = meso_report_get_with_reactions (report);

  append_report_row (out, "totals", "", sessions, meso_report_get_injections (report),
                     meso_report_get_minutes (report), sessions > 0 ? 100.0 : 0.0);
  append_report_row (out, "patients", "all", meso_report_get_patients (report), -1, -1, -1);
  append_report_row (out, "patients", "new", meso_report_get_new_patients (report), -1, -1, -1);
  append_report_row (out, "patients", "returning", meso_report_get_returning_patients (report),
                     -1, -1, -1);
  append_report_row (out, "with-reactions", "", with_reactions, -1, -1,
                     sessions > 0 ? 100.0 * with_reactions / sessions : 0);
  append_report_row (out, "series", "started", series->started, -1, -1, -1);
  append_report_row (out, "series", "completed", series->completed, -1, -1, -1);
  append_report_row (out, "series", "abandoned", series->abandoned, -1, -1, -1);
  append_report_row (out, "voided", "", meso_report_get_voided (report), -1, -1, -1);
}

/* The chart's bars: a bucket's total under its first day, then each indication's part
 * under "day/indication". */
static void
append_report_chart (GString    *out,
                     MesoReport *report)
{
  const char * const *indications = meso_report_get_indications (report);
  GPtrArray *buckets = meso_report_get_buckets (report);
  const char *step = meso_report_get_step (report) == MESO_REPORT_STEP_WEEK ? "week" : "month";

  for (guint b = 0; b < buckets->len; b++)
    {
      const MesoReportBucket *bucket = g_ptr_array_index (buckets, b);
      g_autofree char *start = g_strdup_printf ("%04u-%02u-%02u",
                                                g_date_get_year (&bucket->start),
                                                g_date_get_month (&bucket->start),
                                                g_date_get_day (&bucket->start));

      append_report_row (out, step, start, bucket->total, -1, -1, -1);
      for (guint i = 0; indications[i] != NULL; i++)
        {
          g_autofree char *key = g_strconcat (start, "/", indications[i], NULL);

          append_report_row (out, step, key, bucket->by_indication[i], -1, -1, -1);
        }
    }
}

/**
 * meso_report_write_csv:
 * @report: a report
 * @out: where the file's text is appended
 *
 * Appends @report as CSV: a header, then one row a figure (sections totals, patients,
 * with-reactions, series, voided), one a line of each breakdown (section the
 * breakdown's id), one a bar of the chart (section week or month).
 */
void
meso_report_write_csv (MesoReport *report,
                       GString    *out)
{
  static const char * const header[] = {
    "section", "key", "sessions", "injections", "minutes", "per_hundred"
  };

  g_return_if_fail (report != NULL);
  g_return_if_fail (out != NULL);

  meso_csv_append_row (out, header, G_N_ELEMENTS (header));
  append_report_totals (out, report);
  for (MesoReportBy by = 0; by < MESO_REPORT_N_BREAKDOWNS; by++)
    {
      GPtrArray *rows = meso_report_get_rows (report, by);

      for (guint i = 0; i < rows->len; i++)
        {
          const MesoReportRow *row = g_ptr_array_index (rows, i);

          append_report_row (out, meso_report_by_get_id (by), row->key, row->sessions,
                             row->injections, row->minutes, row->per_hundred);
        }
    }
  append_report_chart (out, report);
}

/* ---- The recall: one row a session ---- */

static const char * const recall_columns[MESO_RECALL_N_COLUMNS + 1] = {
  "patient", "phone", "email", "language", "product", "lot", "session", "date", NULL
};

/**
 * meso_recall_get_columns:
 *
 * Returns: (transfer none): the recall's column names, %NULL-terminated, in order.
 */
const char * const *
meso_recall_get_columns (void)
{
  return recall_columns;
}

/* One line's fields; @id_text holds the session id's text. */
static void
get_fields (const MesoRecallPatient *patient,
            guint                    session,
            char                    *id_text,
            gsize                    id_size,
            const char              *fields[MESO_RECALL_N_COLUMNS])
{
  g_snprintf (id_text, id_size, "%" G_GINT64_FORMAT,
              g_array_index (patient->session_ids, gint64, session));
  fields[0] = patient->patient_name;
  fields[1] = patient->phone != NULL ? patient->phone : "";
  fields[2] = patient->email != NULL ? patient->email : "";
  fields[3] = patient->language != NULL ? patient->language : "";
  fields[4] = patient->product != NULL ? patient->product : "";
  fields[5] = patient->lot != NULL ? patient->lot : "";
  fields[6] = id_text;
  fields[7] = g_ptr_array_index (patient->session_days, session);
}

/**
 * meso_recall_foreach_line:
 * @patients: (element-type MesoRecallPatient): a recall's patients
 * @func: called for each line, one a session, patients in the order given
 * @user_data: for @func
 *
 * Hands each line of the recall to @func, its fields in the order of
 * meso_recall_get_columns(): what the CSV, the tool's TSV and its JSON are made of.
 */
void
meso_recall_foreach_line (GPtrArray          *patients,
                          MesoRecallLineFunc  func,
                          gpointer            user_data)
{
  g_return_if_fail (patients != NULL);
  g_return_if_fail (func != NULL);

  for (guint p = 0; p < patients->len; p++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, p);

      for (guint i = 0; i < patient->session_ids->len; i++)
        {
          const char *fields[MESO_RECALL_N_COLUMNS];
          char id_text[24];

          get_fields (patient, i, id_text, sizeof id_text, fields);
          func (patient, i, fields, user_data);
        }
    }
}

static void
append_recall_row (const MesoRecallPatient *patient,
                   guint                    session,
                   const char * const      *fields,
                   gpointer                 user_data)
{
  /* patient, phone, email, language, product, lot, session, date: the phone and the
   * numbers as the store checked them. */
  append_safe_row (user_data, fields, MESO_RECALL_N_COLUMNS, 0xc2);
}

/**
 * meso_recall_write_csv:
 * @patients: (element-type MesoRecallPatient): a recall's patients
 * @out: where the file's text is appended
 *
 * Appends the recall as CSV: the header, then one row a session, in the order given.
 */
void
meso_recall_write_csv (GPtrArray *patients,
                       GString   *out)
{
  g_return_if_fail (patients != NULL);
  g_return_if_fail (out != NULL);

  meso_csv_append_row (out, recall_columns, MESO_RECALL_N_COLUMNS);
  meso_recall_foreach_line (patients, append_recall_row, out);
}

/* ---- The audit log: one row an entry ---- */

/**
 * meso_audit_write_csv:
 * @entries: (element-type MesoAuditEntry): entries of the audit log
 * @out: where the file's text is appended
 *
 * Appends the entries as CSV: a header, then one row an entry, its payload as stored.
 */
void
meso_audit_write_csv (GPtrArray *entries,
                      GString   *out)
{
  static const char * const header[] = {
    "seq", "at", "user", "action", "entity", "entity_id", "payload"
  };

  g_return_if_fail (entries != NULL);
  g_return_if_fail (out != NULL);

  meso_csv_append_row (out, header, G_N_ELEMENTS (header));
  for (guint i = 0; i < entries->len; i++)
    {
      const MesoAuditEntry *entry = g_ptr_array_index (entries, i);
      char seq[24], entity_id[24];
      const char *fields[] = { seq, entry->at, entry->user, entry->action, entry->entity,
                               entity_id, entry->payload };

      g_snprintf (seq, sizeof seq, "%" G_GINT64_FORMAT, entry->seq);
      g_snprintf (entity_id, sizeof entity_id, "%" G_GINT64_FORMAT, entry->entity_id);
      /* The user's name is the desktop account's; the payload holds what was typed. */
      append_safe_row (out, fields, G_N_ELEMENTS (fields), 0x3b);
    }
}
