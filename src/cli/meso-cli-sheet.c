/* meso-cli-sheet.c: mesocare-cli sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-output.h"
#include "meso-settings.h"
#include "meso-sheet.h"

typedef struct
{
  char *output;
  char *language;
  char *paper;
} SheetOptions;

static gboolean
check_options (const SheetOptions  *options,
               MesoPaper           *paper,
               GError             **error)
{
  if (options->language != NULL
      && !meso_field_check_text (MESO_FIELD_LANGUAGE, options->language, error))
    return FALSE;
  if (options->paper != NULL && !meso_paper_from_id (options->paper, paper))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Paper: “%s” is not one of: a4, letter"),
                   g_utf8_validate (options->paper, -1, NULL) ? options->paper : "?");
      return FALSE;
    }
  return TRUE;
}

/* A sheet with no clinic's name or phone gives the patient nobody to call: it is still
 * written (the patient must not leave empty-handed), but the user hears of it. */
static void
warn_clinic_missing (MesoClinic *clinic)
{
  MesoClinicFields missing = meso_clinic_get_missing (clinic);
  gboolean no_name = (missing & MESO_CLINIC_NAME) != 0;
  gboolean no_phone = (missing & MESO_CLINIC_PHONE) != 0;

  if (no_name && no_phone)
    g_printerr ("%s\n", _("mesocare-cli: warning: the clinic has no name and no phone yet: the "
                          "sheet tells the patient to call the clinic without a number; set "
                          "them with “mesocare-cli clinic --name NAME --phone NUMBER”"));
  else if (no_name)
    g_printerr ("%s\n", _("mesocare-cli: warning: the clinic has no name yet: the sheet is "
                          "headed “Your mesotherapy clinic”; set it with “mesocare-cli clinic "
                          "--name NAME”"));
  else if (no_phone)
    g_printerr ("%s\n", _("mesocare-cli: warning: the clinic has no phone yet: the sheet tells "
                          "the patient to call the clinic without a number; set it with "
                          "“mesocare-cli clinic --phone NUMBER”"));
}

/* The sheet as the app would print it: the session's current values, its stored
 * adjustments, the clinic's details from the database, this computer's paper, in the
 * patient's language unless told otherwise. */
static MesoSheet *
prepare_sheet (MesoStore           *store,
               gint64               id,
               const SheetOptions  *options,
               MesoPaper            paper,
               GError             **error)
{
  g_autoptr(MesoSession) session = meso_store_get_session (store, id, error);
  g_autoptr(MesoRules) rules = NULL;
  g_autoptr(MesoAdjustments) adjustments = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fingerprint = NULL;
  MesoSheet *sheet;

  if (session == NULL)
    return NULL;
  adjustments = meso_store_get_adjustments (store, id, error);
  if (adjustments == NULL)
    return NULL;
  clinic = meso_store_get_clinic (store, error);
  if (clinic == NULL)
    return NULL;
  rules = meso_rules_new_default (error);
  if (rules == NULL)
    return NULL;
  fingerprint = meso_store_get_fingerprint (store, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  warn_clinic_missing (clinic);
  settings = meso_settings_new_if_installed ();
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_paper (sheet, meso_settings_get_paper (settings));
  meso_sheet_set_adjustments (sheet, adjustments);
  meso_sheet_set_fingerprint (sheet, fingerprint);
  if (options->language != NULL)
    meso_sheet_set_language (sheet, options->language);
  if (options->paper != NULL)
    meso_sheet_set_paper (sheet, paper);
  return sheet;
}

/* Said before the sheet is written, as the app says it before printing. */
static void
warn_untranslated (MesoSheet *sheet)
{
  g_auto(GStrv) missing = meso_sheet_list_untranslated (sheet);
  guint n = g_strv_length (missing);

  if (n > 0)
    g_printerr (ngettext ("mesocare-cli: note: %u sentence of this sheet has no “%s” "
                          "translation yet and is printed in English\n",
                          "mesocare-cli: note: %u sentences of this sheet have no “%s” "
                          "translation yet and are printed in English\n", n),
                n, meso_sheet_get_language (sheet));
}

/* The sheet written as a whole, never over the database the tool has open. */
static gboolean
write_sheet (MesoStore   *store,
             MesoSheet   *sheet,
             const char  *path,
             GError     **error)
{
  g_autoptr(GBytes) pdf = NULL;

  if (!meso_output_check_target (path, meso_store_get_path (store), error))
    return FALSE;
  pdf = meso_sheet_render_pdf (sheet, error);
  return pdf != NULL
         && meso_output_write_file (path, meso_store_get_path (store),
                                    g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                    error);
}

int
meso_cli_sheet (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  SheetOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
      N_("Where to write the sheet"), N_("FILE.pdf") },
    { "language", 0, 0, G_OPTION_ARG_FILENAME, &options.language,
      N_("The sheet’s language, instead of the patient’s"), N_("en|fr|es") },
    { "paper", 0, 0, G_OPTION_ARG_FILENAME, &options.paper,
      N_("The paper size, instead of the one in the preferences"), N_("a4|letter") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  MesoPaper paper = MESO_PAPER_A4;
  gint64 id = 0;
  int status = MESO_CLI_EXIT_FAILURE;

  g_option_context_set_summary (context, _("Write the aftercare sheet of session ID as a PDF."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "sheet"))
    status = MESO_CLI_EXIT_USAGE;
  else if (argc < 2)
    status = meso_cli_usage ("sheet", _("give the id of the session"));
  else if (argc > 2)
    status = meso_cli_usage ("sheet", _("unexpected argument “%s”"), argv[2]);
  else if (options.output == NULL || *options.output == '\0')
    status = meso_cli_usage ("sheet", _("Output: give the file to write with --output FILE.pdf"));
  else if (!meso_cli_parse_session_id (argv[1], &id, &error)
           || !check_options (&options, &paper, &error))
    status = meso_cli_fail (error);
  else if ((store = meso_cli_open_store_for_output (globals)) != NULL)
    {
      sheet = prepare_sheet (store, id, &options, paper, &error);
      if (sheet != NULL)
        warn_untranslated (sheet);
      /* Every sheet handed out is on the record, with where it went. */
      meso_payload_append (payload, "file", options.output);
      meso_payload_append (payload, "language",
                           sheet != NULL ? meso_sheet_get_language (sheet) : "");
      if (sheet == NULL || !write_sheet (store, sheet, options.output, &error)
          || (!meso_store_get_read_only (store)
              && !meso_store_log_event (store, "print", id, payload->str, &error)))
        status = meso_cli_fail (error);
      else
        status = EXIT_SUCCESS;
      if (status == EXIT_SUCCESS)
        meso_cli_warn_not_audited (store);
    }

  g_free (options.output);
  g_free (options.language);
  g_free (options.paper);
  return status;
}
