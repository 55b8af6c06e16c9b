/* meso-cli-audit.c: mesocare-cli audit and mesocare-cli check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"

/* One line an entry, tab-separated: sequence, time (UTC), user, action, what it is
 * about, the values ("key=value" joined by "; "; the store escapes line breaks). */
static void
print_entry (const MesoAuditEntry *entry)
{
  g_auto(GStrv) lines = g_strsplit (entry->payload, "\n", -1);
  g_autofree char *values = NULL;
  guint n = g_strv_length (lines);

  if (n > 0 && *lines[n - 1] == '\0')
    {
      g_free (lines[n - 1]);
      lines[n - 1] = NULL;
    }
  values = g_strjoinv ("; ", lines);
  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s %" G_GINT64_FORMAT "\t%s\n", entry->seq,
           entry->at, entry->user, entry->action, entry->entity, entry->entity_id, values);
}

int
meso_cli_audit (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[ID]"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_set_summary (context, _("Print the audit log, oldest first: of session ID, "
                                           "or all of it.\nColumns: sequence, time (UTC), user, "
                                           "action, subject, values."));
  if (!meso_cli_parse (context, &argc, &argv, "audit"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 2)
    return meso_cli_usage ("audit", _("unexpected argument “%s”"), argv[2]);
  if (argc == 2 && !meso_cli_parse_session_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (id != 0)
    {
      g_autoptr(MesoSession) session = meso_store_get_session (store, id, &error);

      if (session == NULL)
        return meso_cli_fail (error);
    }
  entries = meso_store_list_audit (store, id, &error);
  if (entries == NULL)
    return meso_cli_fail (error);

  for (guint i = 0; i < entries->len; i++)
    print_entry (g_ptr_array_index (entries, i));
  return EXIT_SUCCESS;
}

int
meso_cli_check (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Check the database: SQLite’s integrity check, "
                                           "the foreign keys and the audit log’s chain.\n"
                                           "Exits 0 only when all hold."));
  if (!meso_cli_parse (context, &argc, &argv, "check"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("check", _("unexpected argument “%s”"), argv[1]);

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_store_check (store, &error))
    return meso_cli_fail (error);
  /* Not translated: scripts read it. */
  g_print ("ok\n");
  return EXIT_SUCCESS;
}
