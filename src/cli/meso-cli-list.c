/* meso-cli-list.c: mesocare-cli list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "meso-cli.h"
#include "meso-csv.h"
#include "meso-export.h"
#include "meso-field.h"

typedef enum
{
  FORMAT_TSV,
  FORMAT_CSV,
  FORMAT_JSON,
} Format;

typedef struct
{
  Format   format;
  GString *buffer;
  guint    count;
} ListData;

/* One line a session: id, local date-time with its UTC offset, patient, area ids,
 * injections, minutes. Validation keeps tabs and newlines out of names, so the columns
 * cannot be broken by the data. */
static void
append_tsv (GString               *out,
            const MesoSessionLine *line)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (line->performed_at);
  g_autofree char *when = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
  /* A session always has an area: none means its stored areas are unknown here. */
  g_autofree char *areas = line->areas == MESO_AREA_NONE
                           ? g_strdup (_("(unknown)"))
                           : meso_areas_to_string (line->areas, ",");

  g_string_append_printf (out, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%u\t%u\n",
                          line->id, when, line->patient_name, areas, line->injections,
                          line->duration);
}

static gboolean
is_count (MesoField field)
{
  return field == MESO_FIELD_INJECTIONS || field == MESO_FIELD_DURATION
         || field == MESO_FIELD_SESSION_NUMBER || field == MESO_FIELD_SERIES_TOTAL;
}

/* A field as JSON: counts as numbers, flags as booleans, areas and reactions as arrays
 * of ids, the rest as strings; a field not recorded as null. */
static void
add_json_field (JsonBuilder *builder,
                MesoField    field,
                const char  *text)
{
  json_builder_set_member_name (builder, meso_field_get_id (field));
  if (meso_field_is_flag (field))
    json_builder_add_boolean_value (builder, g_str_equal (text, "yes"));
  else if (*text == '\0')
    json_builder_add_null_value (builder);
  else if (is_count (field))
    json_builder_add_int_value (builder, g_ascii_strtoll (text, NULL, 10));
  else if (field == MESO_FIELD_AREAS || field == MESO_FIELD_REACTIONS)
    {
      g_auto(GStrv) ids = g_strsplit (text, ",", -1);

      json_builder_begin_array (builder);
      for (guint i = 0; ids[i] != NULL; i++)
        json_builder_add_string_value (builder, ids[i]);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_string_value (builder, text);
}

static void
append_json (GString     *out,
             MesoSession *session,
             gboolean     first)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, meso_session_get_id (session));
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *value = meso_session_get_field_text (session, field);

      add_json_field (builder, field, value);
    }
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder,
                                 meso_session_status_get_id (meso_session_get_status (session)));
  json_builder_set_member_name (builder, "void-reason");
  if (meso_session_get_voided (session))
    json_builder_add_string_value (builder, meso_session_get_void_reason (session));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  text = meso_cli_json_text (builder, FALSE);
  g_string_append_printf (out, "%s%s", first ? "\n" : ",\n", text);
}

/* Each row is printed as it is read: the first lines of a long list show at once, and
 * memory does not grow with the number of sessions. */
static void
count_and_flush (ListData *data)
{
  data->count++;
  if (data->buffer->len >= 16384)
    {
      fwrite (data->buffer->str, 1, data->buffer->len, stdout);
      g_string_truncate (data->buffer, 0);
    }
}

/* TSV shows six columns: the store reads only those (no whole session a row). */
static gboolean
print_line (const MesoSessionLine  *line,
            gpointer                user_data,
            GError                **error)
{
  ListData *data = user_data;

  append_tsv (data->buffer, line);
  count_and_flush (data);
  return TRUE;
}

/* CSV and JSON show every field. */
static gboolean
print_session (MesoSession  *session,
               gpointer      user_data,
               GError      **error)
{
  ListData *data = user_data;

  if (data->format == FORMAT_CSV)
    meso_export_csv_append_session (data->buffer, session, TRUE);
  else
    append_json (data->buffer, session, data->count == 0);
  count_and_flush (data);
  return TRUE;
}

static gboolean
print_sessions (MesoStore         *store,
                MesoSessionQuery  *query,
                ListData          *data,
                GError           **error)
{
  if (data->format == FORMAT_TSV)
    return meso_store_query_lines (store, query, print_line, data, error);
  return meso_store_query_foreach (store, query, print_session, data, error);
}

static gboolean
parse_format (const char *text,
              Format     *out_format)
{
  static const char * const names[] = { "tsv", "csv", "json", NULL };
  guint index;

  if (!meso_cli_parse_choice (text, names, &index))
    return FALSE;
  *out_format = (Format) index;
  return TRUE;
}

static void
begin_output (ListData *data)
{
  if (data->format == FORMAT_CSV)
    {
      g_autoptr(GPtrArray) header = meso_export_csv_header (TRUE);

      meso_csv_append_row (data->buffer, (const char * const *) header->pdata, header->len);
    }
  else if (data->format == FORMAT_JSON)
    g_string_append_c (data->buffer, '[');
}

static void
end_output (ListData *data)
{
  if (data->format == FORMAT_JSON)
    g_string_append (data->buffer, data->count > 0 ? "\n]\n" : "]\n");
  fwrite (data->buffer->str, 1, data->buffer->len, stdout);
  fflush (stdout);
}

int
meso_cli_list (const MesoCliGlobals  *globals,
               int                    argc,
               char                 **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("tsv (the default: six columns), csv or json (every field and the status)"),
      N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoCliQuery) options = meso_cli_query_new ();
  g_autoptr(MesoSessionQuery) query = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  ListData data = { FORMAT_TSV, buffer, 0 };

  g_option_context_set_summary (context,
                                _("List the sessions, newest first, one per line, tab-separated:\n"
                                  "id, date-time, patient, areas, injections, minutes."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, meso_cli_query_get_entries (options),
                                     GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "list"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("list", _("unexpected argument “%s”"), argv[1]);
  if (format != NULL && !parse_format (format, &data.format))
    return meso_cli_usage ("list", _("Format: “%s” is not one of tsv, csv, json"), format);
  query = meso_cli_query_build (options, &error);
  if (query == NULL)
    return meso_cli_fail (error);

  store = meso_cli_open_store_read_only (globals);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  begin_output (&data);
  if (!print_sessions (store, query, &data, &error))
    {
      fwrite (buffer->str, 1, buffer->len, stdout);
      return meso_cli_fail (error);
    }
  end_output (&data);
  return EXIT_SUCCESS;
}
