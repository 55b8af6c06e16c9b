/* meso-cli-backup.c: mesocare-cli backup, restore and upgrade: the database as a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-backup.h"
#include "meso-cli.h"
#include "meso-dump.h"

static int
log_event (const MesoCliGlobals *globals,
           const char           *action,
           const char           *key,
           const char           *value)
{
  g_autoptr(MesoStore) store = meso_cli_open_store (globals, FALSE);
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  meso_payload_append (payload, key, value);
  if (!meso_store_log_event (store, action, 0, payload->str, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}

/* A server's database is no file to copy: its dump goes into a new SQLite file, which
 * restore and check take as any other backup. */
static int
backup_server (const MesoCliGlobals *globals,
               const char           *dest_path)
{
  g_autoptr(MesoStore) store = meso_cli_open_store (globals, FALSE);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_backup_create_from_store (store, dest_path, &error))
    return meso_cli_fail (error);
  g_clear_object (&store);
  return log_event (globals, "backup", "file", dest_path);
}

/* A server's database cannot be moved aside as a file is: the backup goes into an empty
 * one (a new database on the server), and one that holds records is refused. */
static int
restore_server (const MesoCliGlobals *globals,
                const char           *backup_path)
{
  g_autoptr(MesoStore) store = meso_cli_open_store (globals, TRUE);
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_backup_restore_into_store (backup_path, store, &error))
    return meso_cli_fail (error);
  g_clear_object (&store);
  return log_event (globals, "restore", "file", backup_path);
}

int
meso_cli_backup (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autofree char *db_path = meso_cli_get_db_path (globals);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Copy the database to FILE, safely, even while "
                                           "the app is writing to it."));
  if (!meso_cli_parse (context, &argc, &argv, "backup"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("backup", _("give the file to write the backup to"));

  if (meso_dump_is_server (db_path))
    return backup_server (globals, argv[1]);
  if (!meso_backup_create (db_path, argv[1], &error))
    return meso_cli_fail (error);
  return log_event (globals, "backup", "file", argv[1]);
}

/* The commands that only read never upgrade a database (meso_store_open_read_only()):
 * this one does, on purpose, as the app and every command that writes do at first use. */
int
meso_cli_upgrade (const MesoCliGlobals  *globals,
                  int                    argc,
                  char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;

  g_option_context_set_summary (context, _("Bring the database’s layout up to date for this "
                                           "version of Mesocare, keeping every record. The "
                                           "commands that only read never do it."));
  if (!meso_cli_parse (context, &argc, &argv, "upgrade"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("upgrade", _("unexpected argument “%s”"), argv[1]);
  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  /* Not translated: scripts read it. */
  g_print ("schema %d\n", meso_store_get_schema_version (store));
  return EXIT_SUCCESS;
}

int
meso_cli_restore (const MesoCliGlobals  *globals,
                  int                    argc,
                  char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autofree char *db_path = meso_cli_get_db_path (globals);
  g_autofree char *aside = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Replace the database with the backup FILE, after "
                                           "checking it. The replaced database is kept "
                                           "beside it, renamed."));
  if (!meso_cli_parse (context, &argc, &argv, "restore"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("restore", _("give the backup file to restore"));

  if (meso_dump_is_server (db_path))
    return restore_server (globals, argv[1]);
  if (!meso_backup_restore (argv[1], db_path, &aside, &error))
    return meso_cli_fail (error);
  if (aside != NULL)
    g_print (_("The replaced database was kept as %s\n"), aside);
  return log_event (globals, "restore", "file", argv[1]);
}
