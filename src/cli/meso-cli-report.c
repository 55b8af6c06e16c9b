/* meso-cli-report.c: mesocare-cli report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "meso-cli.h"
#include "meso-report-csv.h"
#include "meso-error.h"

typedef enum
{
  FORMAT_TEXT,
  FORMAT_CSV,
  FORMAT_JSON,
} Format;

/* Digits and dashes where YYYY-MM-DD has them: sscanf's %u would also take a sign or a
 * blank, and read "-026" as a year past 65,000. */
static gboolean
is_day_shaped (const char *text)
{
  for (guint i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * meso_cli_parse_day:
 * @text: a day as typed
 * @label: the option, as its error names it ("From")
 * @out_day: (out): the day
 * @error: a #GError naming @label
 */
gboolean
meso_cli_parse_day (const char  *text,
                    const char  *label,
                    GDate       *out_day,
                    GError     **error)
{
  unsigned year = 0, month = 0, day = 0;
  char end;

  g_date_clear (out_day, 1);
  if (strlen (text) != 10 || !is_day_shaped (text)
      || sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("%s: “%s” is not a date (YYYY-MM-DD)"), label,
                   g_utf8_validate (text, -1, NULL) ? text : "?");
      return FALSE;
    }
  g_date_set_dmy (out_day, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static char *
format_day (const GDate *day)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (day), g_date_get_month (day),
                          g_date_get_day (day));
}

static const char *
shown_key (const char *key)
{
  /* Translators: a breakdown's line for the sessions that left the field blank */
  return *key != '\0' ? key : _("(blank)");
}

/* ---- Text: a table to read ---- */

static void append_padded (GString *out, const char *text, guint width);

static void
append_figure (GString    *out,
               const char *label,
               const char *value)
{
  g_string_append (out, "  ");
  append_padded (out, label, 27);
  g_string_append_printf (out, "%s\n", value);
}

static char *
count_text (gint64 count)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static void
append_text_totals (GString    *out,
                    MesoReport *report)
{
  const MesoReportSeries *series = meso_report_get_series (report);
  g_autofree char *first = format_day (meso_report_get_first_day (report));
  g_autofree char *last = format_day (meso_report_get_last_day (report));
  g_autofree char *sessions = count_text (meso_report_get_sessions (report));
  g_autofree char *patients = count_text (meso_report_get_patients (report));
  g_autofree char *new_patients = count_text (meso_report_get_new_patients (report));
  g_autofree char *returning = count_text (meso_report_get_returning_patients (report));
  g_autofree char *injections = count_text (meso_report_get_injections (report));
  g_autofree char *minutes = count_text (meso_report_get_minutes (report));
  g_autofree char *reactions = count_text (meso_report_get_with_reactions (report));
  g_autofree char *voided = count_text (meso_report_get_voided (report));
  g_autofree char *started = count_text (series->started);
  g_autofree char *completed = count_text (series->completed);
  g_autofree char *abandoned = count_text (series->abandoned);
  g_autofree char *patients_text = NULL;
  g_autofree char *minutes_text = NULL;
  g_autofree char *series_text = NULL;

  /* Translators: patients seen: all of them (new ones, returning ones) */
  patients_text = g_strdup_printf (_("%s (%s new, %s returning)"), patients, new_patients,
                                   returning);
  /* Translators: minutes in all (minutes a session on average) */
  minutes_text = g_strdup_printf (_("%s (%.1f a session)"), minutes,
                                  meso_report_get_average_minutes (report));
  series_text = g_strdup_printf (_("%s started, %s completed, %s abandoned"), started,
                                 completed, abandoned);

  g_string_append_printf (out, _("Report from %s to %s"), first, last);
  g_string_append (out, "\n\n");
  append_figure (out, _("Sessions"), sessions);
  append_figure (out, _("Patients"), patients_text);
  append_figure (out, _("Injections"), injections);
  append_figure (out, _("Minutes"), minutes_text);
  append_figure (out, _("Sessions with reactions"), reactions);
  append_figure (out, _("Series"), series_text);
  append_figure (out, _("Voided (not counted above)"), voided);
}

/* Pads by characters, not bytes: names have accents. */
static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (out, ' ');
}

static void
append_text_breakdown (GString      *out,
                       MesoReport   *report,
                       MesoReportBy  by)
{
  GPtrArray *rows = meso_report_get_rows (report, by);
  guint width = 26;

  for (guint i = 0; i < rows->len; i++)
    {
      const MesoReportRow *row = g_ptr_array_index (rows, i);

      width = MAX (width, (guint) g_utf8_strlen (shown_key (row->key), -1));
    }
  g_string_append_c (out, '\n');
  append_padded (out, meso_report_by_get_title (by), width + 2);
  g_string_append_printf (out, " %9s %11s %8s %8s\n", _("sessions"), _("injections"),
                          _("minutes"), _("per 100"));
  if (rows->len == 0)
    g_string_append_printf (out, "  %s\n", _("(none)"));
  for (guint i = 0; i < rows->len; i++)
    {
      const MesoReportRow *row = g_ptr_array_index (rows, i);

      g_string_append (out, "  ");
      append_padded (out, shown_key (row->key), width);
      g_string_append_printf (out, " %9" G_GINT64_FORMAT " %11" G_GINT64_FORMAT
                              " %8" G_GINT64_FORMAT " %8.1f\n", row->sessions, row->injections,
                              row->minutes, row->per_hundred);
    }
}

static void
append_text_chart (GString    *out,
                   MesoReport *report)
{
  const char * const *indications = meso_report_get_indications (report);
  GPtrArray *buckets = meso_report_get_buckets (report);

  g_string_append_printf (out, "\n%-12s %7s",
                          meso_report_get_step (report) == MESO_REPORT_STEP_WEEK
                          ? _("Week of") : _("Month of"), _("total"));
  for (guint i = 0; indications[i] != NULL; i++)
    g_string_append_printf (out, " %s", indications[i]);
  g_string_append_c (out, '\n');
  for (guint b = 0; b < buckets->len; b++)
    {
      const MesoReportBucket *bucket = g_ptr_array_index (buckets, b);
      g_autofree char *start = format_day (&bucket->start);

      g_string_append_printf (out, "  %-10s %7" G_GINT64_FORMAT, start, bucket->total);
      for (guint i = 0; indications[i] != NULL; i++)
        g_string_append_printf (out, " %*" G_GINT64_FORMAT, (int) strlen (indications[i]),
                                bucket->by_indication[i]);
      g_string_append_c (out, '\n');
    }
}

static void
append_text (GString    *out,
             MesoReport *report)
{
  append_text_totals (out, report);
  for (MesoReportBy by = 0; by < MESO_REPORT_N_BREAKDOWNS; by++)
    append_text_breakdown (out, report, by);
  append_text_chart (out, report);
}

/* ---- JSON ---- */

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_json_breakdowns (JsonBuilder *builder,
                     MesoReport  *report)
{
  json_builder_set_member_name (builder, "breakdowns");
  json_builder_begin_object (builder);
  for (MesoReportBy by = 0; by < MESO_REPORT_N_BREAKDOWNS; by++)
    {
      GPtrArray *rows = meso_report_get_rows (report, by);

      json_builder_set_member_name (builder, meso_report_by_get_id (by));
      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          const MesoReportRow *row = g_ptr_array_index (rows, i);

          json_builder_begin_object (builder);
          add_string (builder, "key", row->key);
          add_int (builder, "sessions", row->sessions);
          add_int (builder, "injections", row->injections);
          add_int (builder, "minutes", row->minutes);
          json_builder_set_member_name (builder, "per_hundred");
          json_builder_add_double_value (builder, row->per_hundred);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
add_json_chart (JsonBuilder *builder,
                MesoReport  *report)
{
  const char * const *indications = meso_report_get_indications (report);
  GPtrArray *buckets = meso_report_get_buckets (report);

  json_builder_set_member_name (builder, "chart");
  json_builder_begin_object (builder);
  add_string (builder, "step",
              meso_report_get_step (report) == MESO_REPORT_STEP_WEEK ? "week" : "month");
  json_builder_set_member_name (builder, "buckets");
  json_builder_begin_array (builder);
  for (guint b = 0; b < buckets->len; b++)
    {
      const MesoReportBucket *bucket = g_ptr_array_index (buckets, b);
      g_autofree char *start = format_day (&bucket->start);

      json_builder_begin_object (builder);
      add_string (builder, "start", start);
      add_int (builder, "total", bucket->total);
      json_builder_set_member_name (builder, "by_indication");
      json_builder_begin_object (builder);
      for (guint i = 0; indications[i] != NULL; i++)
        add_int (builder, indications[i], bucket->by_indication[i]);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
append_json (GString    *out,
             MesoReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *first = format_day (meso_report_get_first_day (report));
  g_autofree char *last = format_day (meso_report_get_last_day (report));
  g_autofree char *text = NULL;
  const MesoReportSeries *series = meso_report_get_series (report);

  json_builder_begin_object (builder);
  add_string (builder, "from", first);
  add_string (builder, "to", last);
  add_int (builder, "sessions", meso_report_get_sessions (report));
  add_int (builder, "patients", meso_report_get_patients (report));
  add_int (builder, "new_patients", meso_report_get_new_patients (report));
  add_int (builder, "returning_patients", meso_report_get_returning_patients (report));
  add_int (builder, "injections", meso_report_get_injections (report));
  add_int (builder, "minutes", meso_report_get_minutes (report));
  json_builder_set_member_name (builder, "average_minutes");
  json_builder_add_double_value (builder, meso_report_get_average_minutes (report));
  add_int (builder, "with_reactions", meso_report_get_with_reactions (report));
  add_int (builder, "voided", meso_report_get_voided (report));
  json_builder_set_member_name (builder, "series");
  json_builder_begin_object (builder);
  add_int (builder, "started", series->started);
  add_int (builder, "completed", series->completed);
  add_int (builder, "abandoned", series->abandoned);
  json_builder_end_object (builder);
  add_json_breakdowns (builder, report);
  add_json_chart (builder, report);
  json_builder_end_object (builder);

  text = meso_cli_json_text (builder, TRUE);
  g_string_append_printf (out, "%s\n", text);
}

static gboolean
parse_format (const char *text,
              Format     *out_format)
{
  static const char * const names[] = { "text", "csv", "json", NULL };
  guint index;

  if (!meso_cli_parse_choice (text, names, &index))
    return FALSE;
  *out_format = (Format) index;
  return TRUE;
}

/* Checks the options; prints why and returns FALSE when one is wrong. */
static gboolean
check_period (const char *from,
              const char *to,
              GDate      *first,
              GDate      *last)
{
  g_autoptr(GError) error = NULL;

  if (from == NULL || to == NULL)
    {
      meso_cli_usage ("report", from == NULL ? _("From: give the first day (--from YYYY-MM-DD)")
                                             : _("To: give the last day (--to YYYY-MM-DD)"));
      return FALSE;
    }
  if (!meso_cli_parse_day (from, _("From"), first, &error)
      || !meso_cli_parse_day (to, _("To"), last, &error))
    {
      meso_cli_usage ("report", "%s", error->message);
      return FALSE;
    }
  if (g_date_compare (last, first) < 0)
    {
      meso_cli_usage ("report", _("To: the last day (%s) comes before the first (%s)"), to, from);
      return FALSE;
    }
  return TRUE;
}

static int
write_pdf (const MesoCliGlobals *globals,
           MesoStore            *store,
           const GDate          *first,
           const GDate          *last,
           const char           *path)
{
  MesoCliReportPdfFunc report_pdf;
  g_autoptr(MesoReport) report = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;

  /* Found before the report is made: a report nobody gets is not logged as looked at. */
  report_pdf = meso_cli_module_symbol (MESO_CLI_DRAWING_MODULE, "meso_cli_module_report_pdf",
                                       "report");
  if (report_pdf == NULL)
    return MESO_CLI_EXIT_FAILURE;
  clinic = meso_store_get_clinic (store, &error);
  if (clinic == NULL)
    return meso_cli_fail (error);
  report = meso_store_report (store, first, last, &error);
  if (report == NULL)
    return meso_cli_fail (error);
  return report_pdf (globals, report, clinic, path);
}

int
meso_cli_report (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The first day of the period"),
      N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The last day of the period, included"),
      N_("YYYY-MM-DD") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("text (the default: tables to read), csv or json"), N_("FORMAT") },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report as a PDF to FILE instead"), N_("FILE.pdf") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoReport) report = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Format chosen = FORMAT_TEXT;
  GDate first, last;

  g_option_context_set_summary (context,
    _("Add up the sessions of a period, days in the clinic’s time zone: totals, patients\n"
      "new and returning, series, and the sessions by area, indication, practitioner,\n"
      "product and reaction, by week or month. Voided sessions are counted apart. Each\n"
      "report is written in the audit log.\n"
      "CSV columns: section, key, sessions, injections, minutes, per_hundred; one row for\n"
      "each figure (sections totals, patients, with-reactions, series, voided), each line\n"
      "of a breakdown (area, indication, practitioner, product, reaction), and each bar of\n"
      "the chart (section week or month, key YYYY-MM-DD for its total and\n"
      "YYYY-MM-DD/INDICATION for each indication’s part)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "report"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("report", _("unexpected argument “%s”"), argv[1]);
  if (format != NULL && !parse_format (format, &chosen))
    return meso_cli_usage ("report", _("Format: “%s” is not one of text, csv, json"), format);
  if (output != NULL && format != NULL)
    return meso_cli_usage ("report", _("Output: a PDF has no format: give --output or --format"));
  if (!check_period (from, to, &first, &last))
    return MESO_CLI_EXIT_USAGE;

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (output != NULL)
    return write_pdf (globals, store, &first, &last, output);

  report = meso_store_report (store, &first, &last, &error);
  if (report == NULL)
    return meso_cli_fail (error);
  if (chosen == FORMAT_CSV)
    meso_report_write_csv (report, out);
  else if (chosen == FORMAT_JSON)
    append_json (out, report);
  else
    append_text (out, report);
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
  return EXIT_SUCCESS;
}
