/* meso-cli-amend.c: mesocare-cli amend and mesocare-cli void
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"

int
meso_cli_amend (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autoptr(MesoCliFields) fields = meso_cli_fields_new (MESO_CLI_FIELDS_AMEND);
  g_autofree char *reason = NULL;
  const GOptionEntry reason_entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason, N_("Why the session is corrected"),
      N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint n_given = 0;
  gint64 id = 0;

  g_option_context_set_summary (context, _("Correct session ID. The earlier values are "
                                           "kept and shown by “show”."));
  g_option_context_add_main_entries (context, reason_entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, meso_cli_fields_get_entries (fields),
                                     GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "amend"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("amend", _("give the id of one session"));
  if (!meso_cli_parse_session_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  session = meso_store_get_session (store, id, &error);
  if (session == NULL || !meso_cli_fields_apply (fields, session, &n_given, &error))
    return meso_cli_fail (error);
  if (n_given == 0)
    return meso_cli_usage ("amend", _("give at least one field to correct, such as "
                                      "--injections N"));
  if (!meso_store_amend_session (store, session, reason, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}

int
meso_cli_void (const MesoCliGlobals  *globals,
               int                    argc,
               char                 **argv)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason, N_("Why the session is voided"),
      N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_set_summary (context, _("Void session ID. It stays in the records, "
                                           "marked void."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "void"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("void", _("give the id of one session"));
  if (!meso_cli_parse_session_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_store_void_session (store, id, reason, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}
