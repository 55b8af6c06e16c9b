/* meso-cli-export.c: mesocare-cli export and mesocare-cli import (CSV)
 *
 * The columns are those of meso-export.c in the core: an export imports back as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-csv.h"
#include "meso-export.h"
#include "meso-field.h"

#define ID_COLUMN     "id"
#define VOID_COLUMN   "void-reason"

int
meso_cli_export (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the CSV file"),
      N_("FILE.csv") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoCliQuery) options = meso_cli_query_new ();
  g_autoptr(MesoSessionQuery) query = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, _("Write the sessions, with their current values, "
                                           "oldest first, to a CSV file (RFC 4180, UTF-8). "
                                           "The options that choose sessions are those of "
                                           "“list”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, meso_cli_query_get_entries (options),
                                     GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "export"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("export", _("unexpected argument “%s”"), argv[1]);
  if (output == NULL || *output == '\0')
    return meso_cli_usage ("export", _("Output: give the file to write with --output FILE.csv"));
  query = meso_cli_query_build (options, &error);
  if (query == NULL)
    return meso_cli_fail (error);
  meso_session_query_set_sort (query, MESO_SESSION_SORT_DATE, FALSE);

  store = meso_cli_open_store_for_output (globals);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_export_csv (store, query, output, NULL, &error))
    return meso_cli_fail (error);
  meso_cli_warn_not_audited (store);
  return EXIT_SUCCESS;
}

/* Which field each column holds; -1 for the id (ignored: ids are given anew) and -2
 * for the void reason. */
static GArray *
read_header (MesoCsvReader  *reader,
             GError        **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint line = 0;

  if (!meso_csv_reader_next (reader, &names, &line, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, MESO_ERROR, MESO_ERROR_CSV, _("Line 1: the file is empty"));
      return NULL;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      int column = meso_field_from_id (names[i]);

      if (g_str_equal (names[i], ID_COLUMN))
        column = -1;
      else if (g_str_equal (names[i], VOID_COLUMN))
        column = -2;
      else if (column == MESO_FIELD_NONE || column == MESO_FIELD_REASON)
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_CSV,
                       _("Line %u: “%s” is not a column Mesocare knows"), line, names[i]);
          return NULL;
        }
      if (!g_hash_table_add (seen, names[i]))
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_CSV,
                       _("Line %u: the column “%s” appears twice"), line, names[i]);
          return NULL;
        }
      g_array_append_val (columns, column);
    }
  return g_steal_pointer (&columns);
}

static MesoSession *
session_from_row (GArray       *columns,
                  GStrv         values,
                  guint         line,
                  GError      **error)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GError) local_error = NULL;

  if (g_strv_length (values) != columns->len)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_CSV,
                   _("Line %u: the row has %u values; the header has %u"), line,
                   g_strv_length (values), columns->len);
      return NULL;
    }

  for (guint i = 0; i < columns->len; i++)
    {
      int column = g_array_index (columns, int, i);

      if (column == -2 && *values[i] != '\0')
        {
          g_autofree char *reason = g_strstrip (meso_csv_unescape_formula (values[i]));

          /* Checked here, with the rest of the row, so the message names the line. */
          if (!meso_field_check_text (MESO_FIELD_REASON, reason, &local_error))
            break;
          meso_session_set_voided (session, reason);
        }
      else if (column > 0)
        {
          /* The export put a quote in front of text that a spreadsheet would run. */
          g_autofree char *text = meso_field_is_free_text (column)
                                  ? meso_csv_unescape_formula (values[i])
                                  : g_strdup (values[i]);

          if (!meso_session_set_field_text (session, column, text, &local_error))
            break;
        }
    }
  if (local_error == NULL && meso_session_validate (session, &local_error))
    return g_steal_pointer (&session);

  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Line %u: "), line);
  return NULL;
}

static GPtrArray *
read_sessions (const char  *data,
               gsize        length,
               GError     **error)
{
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (data, length);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) columns = read_header (reader, error);
  g_auto(GStrv) values = NULL;
  guint line = 0;

  if (columns == NULL)
    return NULL;
  while (meso_csv_reader_next (reader, &values, &line, error))
    {
      MesoSession *session = session_from_row (columns, values, line, error);

      g_clear_pointer (&values, g_strfreev);
      if (session == NULL)
        return NULL;
      g_ptr_array_add (sessions, session);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&sessions);
}

int
meso_cli_import (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.csv"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_option_context_set_summary (context, _("Add the sessions of a CSV file (the columns of "
                                           "“export”). Any bad row rejects the whole file."));
  if (!meso_cli_parse (context, &argc, &argv, "import"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("import", _("give one CSV file"));

  if (!g_file_get_contents (argv[1], &data, &length, &error))
    return meso_cli_fail (error);
  sessions = read_sessions (data, length, &error);
  if (sessions == NULL)
    {
      g_prefix_error (&error, _("Import %s: "), argv[1]);
      return meso_cli_fail (error);
    }

  store = meso_cli_open_store (globals, TRUE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_store_save_sessions (store, sessions, argv[1], &error))
    return meso_cli_fail (error);
  g_print (ngettext ("%u session imported\n", "%u sessions imported\n", sessions->len),
           sessions->len);
  return EXIT_SUCCESS;
}
