/* meso-cli-migrate.c: mesocare-cli migrate: a clinic's database copied to another engine
 * (a file to a clinic server, or back for a local copy)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-dump.h"

/* Not translated: scripts read it, as they read check's "ok". */
static void
print_side (const char           *label,
            const char           *location,
            const MesoDumpCounts *counts,
            gint64                copied_entries)
{
  g_autofree char *shown = meso_dump_describe_location (location);

  g_print ("%s %s\n", label, shown);
  g_print ("  sessions: %" G_GINT64_FORMAT "\n", counts->sessions);
  g_print ("  amendments: %" G_GINT64_FORMAT "\n", counts->amendments);
  g_print ("  voids: %" G_GINT64_FORMAT "\n", counts->voids);
  g_print ("  adjustments: %" G_GINT64_FORMAT "\n", counts->adjustments);
  g_print ("  patients: %" G_GINT64_FORMAT "\n", counts->patients);
  g_print ("  practitioners: %" G_GINT64_FORMAT "\n", counts->practitioners);
  /* A copy of a server's log into a file is sealed at the copy: entries of its own
   * seal the rows as they stand (meso_seal_reseal_log()). */
  if (copied_entries >= 0 && counts->audit_entries > copied_entries + 1)
    g_print ("  audit entries: %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " copied, %"
             G_GINT64_FORMAT " sealing the copy’s rows, and this migration’s)\n",
             counts->audit_entries, copied_entries,
             counts->audit_entries - copied_entries - 1);
  else if (copied_entries >= 0)
    g_print ("  audit entries: %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT " copied, and this "
             "migration’s)\n", counts->audit_entries, copied_entries);
  else
    g_print ("  audit entries: %" G_GINT64_FORMAT "\n", counts->audit_entries);
  g_print ("  check: ok\n");
}

/* The copy's own history says where it came from. The entry is appended after the copy,
 * chained and sealed as any other: the copied entries stay as they were (a server's log
 * copied into a file is sealed anew at the copy, each entry's content and link kept),
 * so `check` proves the copy, and this entry, linked to the last copied one (or to the
 * entries sealing the copy), seals the copy's tail from the new side. The original is only read:
 * it stays as it was, an archive of the clinic up to the move. */
static gboolean
log_migration (MesoStore    *to,
               const char   *from_location,
               gint64        copied_entries,
               GError      **error)
{
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *shown = meso_dump_describe_location (from_location);
  g_autofree char *entries = g_strdup_printf ("%" G_GINT64_FORMAT, copied_entries);

  meso_payload_append (payload, "migrated_from", shown);
  meso_payload_append (payload, "entries", entries);
  return meso_store_log_event (to, "import", 0, payload->str, error);
}

static int refuse (const GError *error,
                   const char   *format,
                   ...) G_GNUC_PRINTF (2, 3);

static int
refuse (const GError *error,
        const char   *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("mesocare-cli: %s: %s\n", message, error->message);
  return MESO_CLI_EXIT_FAILURE;
}

static int
migrate (const char *from_location,
         const char *to_location)
{
  g_autoptr(MesoStore) from = NULL;
  g_autoptr(MesoStore) to = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from_shown = meso_dump_describe_location (from_location);
  g_autofree char *to_shown = meso_dump_describe_location (to_location);
  MesoDumpCounts from_counts, to_counts;

  from = meso_store_open_read_only (from_location, &error);
  if (from == NULL)
    return meso_cli_fail (error);
  /* A damaged original is found before anything is written anywhere. */
  if (!meso_store_check (from, &error))
    return refuse (error, _("The database to copy, %s, does not pass its check; nothing "
                            "was copied"), from_shown);
  if (!meso_dump_count (from, &from_counts, &error))
    return meso_cli_fail (error);

  to = meso_store_open (to_location, &error);
  if (to == NULL)
    return meso_cli_fail (error);
  if (!meso_dump_copy (from, to, &error))
    return meso_cli_fail (error);

  /* From here on the copy is whole and proven (the load proved it before it committed);
   * what fails now is said, the copy kept. */
  if (!log_migration (to, from_location, from_counts.audit_entries, &error))
    return refuse (error, _("The copy in %s is whole, but the entry recording the "
                            "migration could not be added"), to_shown);
  if (!meso_store_check (to, &error))
    return refuse (error, _("The copy in %s does not pass its check"), to_shown);
  if (!meso_dump_count (to, &to_counts, &error))
    return meso_cli_fail (error);

  print_side ("from", from_location, &from_counts, -1);
  print_side ("to", to_location, &to_counts, from_counts.audit_entries);
  return EXIT_SUCCESS;
}

int
meso_cli_migrate (const MesoCliGlobals  *globals,
                  int                    argc,
                  char                 **argv)
{
  g_autofree char *from_location = NULL;
  g_autofree char *to_location = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from_location,
      N_("The database to copy: a file, or a clinic server (postgresql://…)"), N_("DB") },
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &to_location,
      N_("Where to copy it: a new or empty file, or an empty database on a clinic "
         "server"), N_("DB") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_set_summary (context, _("Copy a clinic’s whole database, every record "
                                           "and audit entry with the same ids, into an "
                                           "empty database of another engine (a file to a "
                                           "clinic server, or back), then check both.\n"
                                           "The original is only read."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "migrate"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("migrate", _("unexpected argument “%s”"), argv[1]);
  if (from_location == NULL || to_location == NULL)
    return meso_cli_usage ("migrate", _("give both --from and --to"));
  if (globals->db_path != NULL)
    return meso_cli_usage ("migrate", _("give the databases with --from and --to, not --db"));
  if (g_str_equal (from_location, to_location))
    return meso_cli_usage ("migrate", _("--from and --to name the same database"));
  return migrate (from_location, to_location);
}
