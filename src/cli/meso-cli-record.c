/* meso-cli-record.c: mesocare-cli record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"

int
meso_cli_record (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(MesoCliFields) fields = meso_cli_fields_new (MESO_CLI_FIELDS_RECORD);
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Translators: "print" as in show on the terminal */
  g_option_context_set_summary (context, _("Store a session and print its id.\n\n"
                                           "Required: --patient, --area, --injections, "
                                           "--duration. Dates are written YYYY-MM-DD."));
  g_option_context_add_main_entries (context, meso_cli_fields_get_entries (fields),
                                     GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "record"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("record", _("unexpected argument “%s”"), argv[1]);

  /* Every value is checked before the database is even opened, so bad input writes
   * nothing at all, not even a new empty database. */
  if (!meso_cli_fields_apply (fields, session, NULL, &error)
      || !meso_session_validate (session, &error))
    return meso_cli_fail (error);

  store = meso_cli_open_store (globals, TRUE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_store_save_session (store, session, &error))
    return meso_cli_fail (error);

  /* Printed only now: the id on stdout means the session is committed to disk. */
  g_print ("%" G_GINT64_FORMAT "\n", meso_session_get_id (session));
  return EXIT_SUCCESS;
}
