/* meso-cli-recall.c: mesocare-cli recall
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "meso-cli.h"
#include "meso-report-csv.h"
#include "meso-error.h"

typedef enum
{
  FORMAT_TSV,
  FORMAT_CSV,
  FORMAT_JSON,
} Format;

/* Tabs and line breaks inside a value (a product typed oddly) would break the columns. */
static void
append_tsv_field (GString    *out,
                  const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    g_string_append_c (out, *p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
}

static void
append_tsv_line (const MesoRecallPatient *patient,
                 guint                    session,
                 const char * const      *fields,
                 gpointer                 user_data)
{
  GString *out = user_data;

  for (guint f = 0; f < MESO_RECALL_N_COLUMNS; f++)
    {
      if (f > 0)
        g_string_append_c (out, '\t');
      append_tsv_field (out, fields[f]);
    }
  g_string_append_c (out, '\n');
}

/* A line as an object: the patient's id first, the session's a number, a detail not
 * on record null. */
static void
add_json_line (const MesoRecallPatient *patient,
               guint                    session,
               const char * const      *fields,
               gpointer                 user_data)
{
  JsonBuilder *builder = user_data;
  const char * const *columns = meso_recall_get_columns ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "patient_id");
  json_builder_add_int_value (builder, patient->patient_id);
  for (guint f = 0; f < MESO_RECALL_N_COLUMNS; f++)
    {
      json_builder_set_member_name (builder, columns[f]);
      if (f == 6)
        json_builder_add_int_value (builder,
                                    g_array_index (patient->session_ids, gint64, session));
      else if (*fields[f] == '\0')
        json_builder_add_null_value (builder);
      else
        json_builder_add_string_value (builder, fields[f]);
    }
  json_builder_end_object (builder);
}

static void
append_json (GString   *out,
             GPtrArray *patients)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  meso_recall_foreach_line (patients, add_json_line, builder);
  json_builder_end_array (builder);

  text = meso_cli_json_text (builder, TRUE);
  g_string_append_printf (out, "%s\n", text);
}

static gboolean
parse_format (const char *text,
              Format     *out_format)
{
  static const char * const names[] = { "tsv", "csv", "json", NULL };
  guint index;

  if (!meso_cli_parse_choice (text, names, &index))
    return FALSE;
  *out_format = (Format) index;
  return TRUE;
}

static int
write_letters (const MesoCliGlobals *globals,
               MesoStore            *store,
               const char           *lot,
               const char           *product,
               const char           *path)
{
  MesoCliRecallLettersFunc recall_letters;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;

  /* Found first: a recall whose letters cannot be written is not logged as made. */
  recall_letters = meso_cli_module_symbol (MESO_CLI_DRAWING_MODULE,
                                           "meso_cli_module_recall_letters", "recall");
  if (recall_letters == NULL)
    return MESO_CLI_EXIT_FAILURE;
  clinic = meso_store_get_clinic (store, &error);
  if (clinic == NULL)
    return meso_cli_fail (error);
  patients = meso_store_recall (store, lot, product, &error);
  if (patients == NULL && meso_error_get_field (error) != MESO_FIELD_NONE)
    return meso_cli_usage ("recall", "%s", error->message);
  if (patients == NULL)
    return meso_cli_fail (error);
  return recall_letters (globals, patients, clinic, path);
}

int
meso_cli_recall (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_autofree char *lot = NULL;
  g_autofree char *product = NULL;
  g_autofree char *format = NULL;
  g_autofree char *letters = NULL;
  const GOptionEntry entries[] = {
    { "lot", 0, 0, G_OPTION_ARG_STRING, &lot, N_("The lot recalled"), N_("TEXT") },
    { "product", 0, 0, G_OPTION_ARG_STRING, &product, N_("Or the product recalled"),
      N_("TEXT") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("tsv (the default), csv (with a header) or json (an array)"), N_("FORMAT") },
    { "letters", 0, 0, G_OPTION_ARG_FILENAME, &letters,
      N_("Write a letter to each patient, in their language, as a PDF to FILE instead"),
      N_("FILE.pdf") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Format chosen = FORMAT_TSV;

  g_option_context_set_summary (context,
    _("Find every patient who received a lot (or a product), matched without the blanks\n"
      "around it and regardless of case; voided sessions are left out. Each recall is\n"
      "written in the audit log.\n"
      "One line per session, patients by name, columns: patient, phone, email, language,\n"
      "product, lot, session, date (the contact details the newest on record).\n"
      "Finding nobody is no failure: it exits 0, printing nothing (tsv), the header alone\n"
      "(csv) or [] (json)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "recall"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("recall", _("unexpected argument “%s”"), argv[1]);
  if (format != NULL && !parse_format (format, &chosen))
    return meso_cli_usage ("recall", _("Format: “%s” is not one of tsv, csv, json"), format);
  if (lot != NULL && product != NULL)
    return meso_cli_usage ("recall", _("Product: give --lot or --product, not both"));
  if (lot == NULL && product == NULL)
    return meso_cli_usage ("recall", _("Lot: give --lot or --product"));
  if (letters != NULL && format != NULL)
    return meso_cli_usage ("recall", _("Letters: a PDF has no format: give --letters or "
                                       "--format"));

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (letters != NULL)
    return write_letters (globals, store, lot, product, letters);

  patients = meso_store_recall (store, lot, product, &error);
  if (patients == NULL && meso_error_get_field (error) != MESO_FIELD_NONE)
    return meso_cli_usage ("recall", "%s", error->message);   /* a blank --lot */
  if (patients == NULL)
    return meso_cli_fail (error);
  if (chosen == FORMAT_CSV)
    meso_recall_write_csv (patients, out);
  else if (chosen == FORMAT_JSON)
    append_json (out, patients);
  else
    meso_recall_foreach_line (patients, append_tsv_line, out);
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
  return EXIT_SUCCESS;
}
