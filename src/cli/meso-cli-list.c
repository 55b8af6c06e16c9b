/* meso-cli-list.c: mesocare-cli list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"

/* One line a session: id, local date-time with its UTC offset, patient, area ids,
 * injections, minutes. Validation keeps tabs and newlines out of names, so the columns
 * cannot be broken by the data. */
static void
print_session (MesoSession *session)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (session));
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
  g_autofree char *areas = meso_areas_to_string (meso_session_get_areas (session), ",");

  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%u\t%u\n",
           meso_session_get_id (session), when, meso_session_get_patient_name (session), areas,
           meso_session_get_injections (session), meso_session_get_duration (session));
}

int
meso_cli_list (const MesoCliGlobals  *globals,
               int                    argc,
               char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
                                _("List the sessions, newest first, one per line, tab-separated:\n"
                                  "id, date-time, patient, areas, injections, minutes."));
  if (!meso_cli_parse (context, &argc, &argv, "list"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("list", _("unexpected argument “%s”"), argv[1]);

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  sessions = meso_store_list_sessions (store, &error);
  if (sessions == NULL)
    return meso_cli_fail (error);

  for (guint i = 0; i < sessions->len; i++)
    print_session (g_ptr_array_index (sessions, i));
  return EXIT_SUCCESS;
}
