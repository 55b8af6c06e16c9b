/* main.c: mesocare-cli, the command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "meso-cli.h"

typedef struct
{
  const char         *name;
  MesoCliCommandFunc  func;     /* NULL for a command in a module */
  const char         *summary;
  const char         *module;   /* the module the command lives in, if any */
} Command;

static const Command commands[] = {
  /* Translators: "print" as in show on the terminal */
  { "record", meso_cli_record, N_("Store a session and print its id") },
  /* Cairo and Pango are loaded for this command alone. */
  { "sheet",  NULL,  N_("Write a session’s aftercare sheet as a PDF"), "mesocare-cli-sheet" },
  { "list",   meso_cli_list,   N_("List the sessions, newest first") },
  { "show",   meso_cli_show,   N_("Show every field of a session, with its amendments") },
  { "amend",  meso_cli_amend,  N_("Correct a session, keeping the earlier values") },
  { "void",   meso_cli_void,   N_("Void a session, keeping it in the records") },
  { "audit",  meso_cli_audit,  N_("Print the audit log") },
  { "export", meso_cli_export, N_("Write every session to a CSV file") },
  { "import", meso_cli_import, N_("Add the sessions of a CSV file, all or none") },
  { "backup", meso_cli_backup, N_("Copy the database to a backup file") },
  { "restore", meso_cli_restore, N_("Replace the database with a backup") },
  { "check",  meso_cli_check,  N_("Check the database and the audit log") },
  { "upgrade", meso_cli_upgrade, N_("Bring an older database’s layout up to date") },
  { "migrate", meso_cli_migrate, N_("Copy the database into an empty one of another engine") },
  { "rules",  meso_cli_rules,  N_("List the aftercare rules, or explain a sheet’s") },
  { "adjust", meso_cli_adjust, N_("Adjust a patient’s aftercare sheet") },
  { "generate", meso_cli_generate, N_("Fill an empty database with made-up sessions") },
  { "clinic", meso_cli_clinic, N_("Print or change the clinic’s details and practitioners") },
  { "report", meso_cli_report, N_("Add up a period’s sessions for the manager") },
  { "recall", meso_cli_recall, N_("Find the patients who received a lot or a product") },
};

static char *
describe_commands (void)
{
  g_autoptr(GString) text = g_string_new (_("Commands:"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "\n  %-8s %s", commands[i].name, _(commands[i].summary));
  g_string_append (text, "\n\n");
  g_string_append (text, _("Run “mesocare-cli COMMAND --help” for a command’s options."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db_path = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      N_("The database to use (default: the app’s own)"), N_("PATH") },
    /* Translators: "print" as in show on the terminal */
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  MesoCliGlobals globals = { 0 };

  /* Our stdout is what scripts read (an id, a list): GLib's debug and info messages,
   * which it would print there, go with the others to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
  meso_cli_pin_local_time_zone ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [OPTIONS]"));
  g_option_context_set_summary (context, _("Record mesotherapy sessions and print their "
                                           "aftercare sheets."));
  description = describe_commands ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Stop at the command: what follows it is the command's to parse. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return meso_cli_usage (NULL, "%s", error->message);

  if (version)
    {
      g_print ("mesocare-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc < 2)
    return meso_cli_usage (NULL, _("give a command, such as record, sheet or list"));

  globals.db_path = db_path;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const Command *command = &commands[i];

      if (!g_str_equal (argv[1], command->name))
        continue;
      if (command->module != NULL)
        return meso_cli_run_module (command->module, command->name, &globals, argc - 1,
                                    argv + 1);
      return command->func (&globals, argc - 1, argv + 1);
    }

  return meso_cli_usage (NULL, _("unknown command “%s”"), argv[1]);
}
