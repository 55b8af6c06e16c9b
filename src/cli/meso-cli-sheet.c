/* meso-cli-sheet.c: mesocare-cli sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-error.h"
#include "meso-settings.h"
#include "meso-sheet.h"

int
meso_cli_sheet (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Where to write the sheet"), N_("FILE.pdf") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(MesoRules) rules = NULL;
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *clinic = NULL;
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_set_summary (context, _("Write the aftercare sheet of session ID as a PDF."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "sheet"))
    return MESO_CLI_EXIT_USAGE;
  if (argc < 2)
    return meso_cli_usage ("sheet", _("give the id of the session"));
  if (argc > 2)
    return meso_cli_usage ("sheet", _("unexpected argument “%s”"), argv[2]);
  if (output == NULL || *output == '\0')
    return meso_cli_usage ("sheet", _("Output: give the file to write with --output FILE.pdf"));
  if (!meso_cli_parse_session_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  session = meso_store_get_session (store, id, &error);
  if (session == NULL)
    return meso_cli_fail (error);
  rules = meso_rules_new_default (&error);
  if (rules == NULL)
    return meso_cli_fail (error);

  settings = meso_settings_new_if_installed ();
  clinic = meso_settings_dup_clinic_name (settings);
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_clinic_name (sheet, clinic);
  if (!meso_sheet_write_pdf (sheet, output, &error))
    return meso_cli_fail (error);

  /* Every sheet handed out is on the record, with where it went. */
  meso_payload_append (payload, "file", output);
  if (!meso_store_log_event (store, "print", id, payload->str, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}
