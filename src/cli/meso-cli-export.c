/* meso-cli-export.c: mesocare-cli export and mesocare-cli import (CSV)
 *
 * The columns: "id", one per session field (its id, as on the command line), then
 * "void-reason" (empty for a session in force). An export imports back as it is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-csv.h"
#include "meso-field.h"

#define ID_COLUMN     "id"
#define VOID_COLUMN   "void-reason"
#define STATUS_COLUMN "status"

/**
 * meso_cli_csv_header:
 * @with_status: whether a status column ends the row (list --format csv)
 *
 * Returns: (transfer container): the column names: the id, every field by its id, the
 *   void reason, and the status if asked.
 */
GPtrArray *
meso_cli_csv_header (gboolean with_status)
{
  GPtrArray *header = g_ptr_array_new ();

  g_ptr_array_add (header, (char *) ID_COLUMN);
  MESO_FIELD_FOREACH (field)
    g_ptr_array_add (header, (char *) meso_field_get_id (field));
  g_ptr_array_add (header, (char *) VOID_COLUMN);
  if (with_status)
    g_ptr_array_add (header, (char *) STATUS_COLUMN);
  return header;
}

void
meso_cli_csv_append_session (GString     *csv,
                             MesoSession *session,
                             gboolean     with_status)
{
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (row, g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (session)));
  MESO_FIELD_FOREACH (field)
    g_ptr_array_add (row, meso_session_get_field_text (session, field));
  g_ptr_array_add (row, g_strdup (meso_session_get_voided (session)
                                  ? meso_session_get_void_reason (session) : ""));
  if (with_status)
    g_ptr_array_add (row, g_strdup (meso_session_status_get_id (meso_session_get_status (session))));
  meso_csv_append_row (csv, (const char * const *) row->pdata, row->len);
}

typedef struct
{
  GOutputStream *out;
  GString       *buffer;
  guint          count;
} ExportData;

/* Rows go out in blocks of about 64 KiB: memory stays flat whatever the count. */
static gboolean
export_session (MesoSession  *session,
                gpointer      user_data,
                GError      **error)
{
  ExportData *data = user_data;

  meso_cli_csv_append_session (data->buffer, session, FALSE);
  data->count++;
  if (data->buffer->len < 65536)
    return TRUE;
  if (!g_output_stream_write_all (data->out, data->buffer->str, data->buffer->len, NULL, NULL,
                                  error))
    return FALSE;
  g_string_truncate (data->buffer, 0);
  return TRUE;
}

/* Written to a temporary file beside @output that replaces it only when whole: a failed
 * export leaves the earlier file as it was. */
static gboolean
write_export (MesoStore         *store,
              MesoSessionQuery  *query,
              const char        *output,
              guint             *out_count,
              GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (output);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GPtrArray) header = meso_cli_csv_header (FALSE);
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GCancellable) abandon = g_cancellable_new ();
  ExportData data;

  /* Private: the file holds medical records. */
  stream = g_file_replace (file, NULL, FALSE,
                           G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                           error);
  if (stream == NULL)
    return FALSE;
  data = (ExportData) { G_OUTPUT_STREAM (stream), buffer, 0 };
  meso_csv_append_row (buffer, (const char * const *) header->pdata, header->len);
  if (!meso_store_query_foreach (store, query, export_session, &data, error)
      || !g_output_stream_write_all (data.out, buffer->str, buffer->len, NULL, NULL, error))
    {
      /* Closing through a cancelled cancellable drops the temporary file. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (data.out, abandon, NULL);
      return FALSE;
    }
  *out_count = data.count;
  return g_output_stream_close (data.out, NULL, error);
}

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
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *count_text = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

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

  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!write_export (store, query, output, &count, &error))
    {
      g_prefix_error (&error, _("Output %s: "), output);
      return meso_cli_fail (error);
    }

  count_text = g_strdup_printf ("%u", count);
  meso_payload_append (payload, "file", output);
  meso_payload_append (payload, "sessions", count_text);
  if (!meso_store_log_event (store, "export", 0, payload->str, &error))
    return meso_cli_fail (error);
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
          g_autofree char *reason = g_strstrip (g_strdup (values[i]));

          /* Checked here, with the rest of the row, so the message names the line. */
          if (!meso_field_check_text (MESO_FIELD_REASON, reason, &local_error))
            break;
          meso_session_set_voided (session, reason);
        }
      else if (column > 0
               && !meso_session_set_field_text (session, column, values[i], &local_error))
        break;
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
