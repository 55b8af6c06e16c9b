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

static gboolean
parse_session_id (const char  *text,
                  gint64      *out_id,
                  GError     **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Session: “%s” is not a session id (a whole number from 1)"),
                   g_utf8_validate (text, -1, NULL) ? text : "?");
      return FALSE;
    }
  *out_id = (gint64) value;
  return TRUE;
}

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
  if (!parse_session_id (argv[1], &id, &error))
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
  return EXIT_SUCCESS;
}
