/* meso-export.c: sessions written out as CSV, for `mesocare-cli export` and the app
 *
 * The columns: "id", one per session field (its id, as on the command line), then
 * "void-reason" (empty for a session in force). An export imports back as it is.
 * Every export is entered in the audit log, whoever makes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-csv.h"
#include "meso-export.h"
#include "meso-field.h"
#include "meso-output.h"

#define ID_COLUMN     "id"
#define VOID_COLUMN   "void-reason"
#define STATUS_COLUMN "status"

/**
 * meso_export_csv_header:
 * @with_status: whether a status column ends the row (list --format csv)
 *
 * Returns: (transfer container): the column names: the id, every field by its id, the
 *   void reason, and the status if asked.
 */
GPtrArray *
meso_export_csv_header (gboolean with_status)
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
meso_export_csv_append_session (GString     *csv,
                                MesoSession *session,
                                gboolean     with_status)
{
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (row, g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (session)));
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = meso_session_get_field_text (session, field);
      const char *unknown = meso_session_get_unknown_value (session, field);

      /* Only what the user typed can look like a formula; numbers, dates and ids are
       * written as they are. A stored value this version cannot read is written as it is
       * stored (the import then names it), never dropped; it may be anything. */
      if (unknown != NULL)
        g_ptr_array_add (row, meso_csv_escape_formula (unknown));
      else
        g_ptr_array_add (row, meso_field_is_free_text (field)
                              ? meso_csv_escape_formula (text) : g_steal_pointer (&text));
    }
  g_ptr_array_add (row, meso_csv_escape_formula (meso_session_get_voided (session)
                                                 ? meso_session_get_void_reason (session)
                                                 : ""));
  if (with_status)
    g_ptr_array_add (row, g_strdup (meso_session_status_get_id (meso_session_get_status (session))));
  meso_csv_append_row (csv, (const char * const *) row->pdata, row->len);
}

typedef struct
{
  MesoOutput *out;
  GString    *buffer;
  guint       count;
} ExportData;

/* Rows go out in blocks of about 64 KiB: memory stays flat whatever the count. */
static gboolean
export_session (MesoSession  *session,
                gpointer      user_data,
                GError      **error)
{
  ExportData *data = user_data;

  meso_export_csv_append_session (data->buffer, session, FALSE);
  data->count++;
  if (data->buffer->len < 65536)
    return TRUE;
  if (!meso_output_write (data->out, data->buffer->str, data->buffer->len, error))
    return FALSE;
  g_string_truncate (data->buffer, 0);
  return TRUE;
}

/* Written through a MesoOutput: a failed export leaves the earlier file as it was, and
 * the database itself is never the target. */
static gboolean
write_csv (MesoStore         *store,
           MesoSessionQuery  *query,
           const char        *path,
           guint             *out_count,
           GError           **error)
{
  g_autoptr(MesoOutput) output = NULL;
  g_autoptr(GPtrArray) header = meso_export_csv_header (FALSE);
  g_autoptr(GString) buffer = g_string_new (NULL);
  ExportData data;

  output = meso_output_open (path, meso_store_get_path (store), error);
  if (output == NULL)
    return FALSE;
  data = (ExportData) { output, buffer, 0 };
  meso_csv_append_row (buffer, (const char * const *) header->pdata, header->len);
  if (!meso_store_query_foreach (store, query, export_session, &data, error)
      || !meso_output_write (output, buffer->str, buffer->len, error)
      || !meso_output_commit (output, error))
    return FALSE;
  *out_count = data.count;
  return TRUE;
}

/**
 * meso_export_csv:
 * @store: a #MesoStore
 * @query: which sessions, in its order (its range, if any, makes a page)
 * @path: the file to write (readable by its owner only), replaced only when whole
 * @out_count: (out) (optional): how many sessions were written
 * @error: a #GError
 *
 * Writes the sessions with their current values, then enters the export in the audit
 * log (the file and the number of sessions; never the values). A store opened
 * read-only (meso_store_open_read_only()) cannot take the entry: the caller says so.
 */
gboolean
meso_export_csv (MesoStore         *store,
                 MesoSessionQuery  *query,
                 const char        *path,
                 guint             *out_count,
                 GError           **error)
{
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *count_text = NULL;
  guint count = 0;

  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (query), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!write_csv (store, query, path, &count, error))
    return FALSE;
  count_text = g_strdup_printf ("%u", count);
  meso_payload_append (payload, "file", path);
  meso_payload_append (payload, "sessions", count_text);
  if (!meso_store_get_read_only (store)
      && !meso_store_log_event (store, "export", 0, payload->str, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = count;
  return TRUE;
}

typedef struct
{
  MesoSessionQuery *query;
  char             *path;
} ExportTask;

static void
export_task_free (gpointer data)
{
  ExportTask *export = data;

  g_object_unref (export->query);
  g_free (export->path);
  g_free (export);
}

/* On a thread of GLib's pool: the synchronous calls of the store are serialised with
 * its worker's, so the window's requests only queue behind the export. */
static void
run_export (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  ExportTask *export = data;
  GError *error = NULL;
  guint count = 0;

  if (meso_export_csv (MESO_STORE (source), export->query, export->path, &count, &error))
    g_task_return_pointer (task, g_memdup2 (&count, sizeof count), g_free);
  else
    g_task_return_error (task, error);
}

/**
 * meso_export_csv_async:
 * @store: a #MesoStore
 * @query: which sessions; copied
 * @path: the file to write
 * @cancellable: (nullable): a #GCancellable: once the export has started it runs to
 *   its end, and the caller gets G_IO_ERROR_CANCELLED
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_export_csv() off the caller's thread.
 */
void
meso_export_csv_async (MesoStore           *store,
                       MesoSessionQuery    *query,
                       const char          *path,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportTask *export;

  g_return_if_fail (MESO_IS_STORE (store));
  g_return_if_fail (MESO_IS_SESSION_QUERY (query));
  g_return_if_fail (path != NULL);

  export = g_new0 (ExportTask, 1);
  export->query = meso_session_query_copy (query);
  export->path = g_strdup (path);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, meso_export_csv_async);
  g_task_set_name (task, "meso_export_csv_async");
  g_task_set_task_data (task, export, export_task_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_export);
}

/**
 * meso_export_csv_finish:
 * @store: a #MesoStore
 * @result: the result given to the callback
 * @out_count: (out) (optional): how many sessions were written
 * @error: a #GError
 *
 * Returns: whether the file was written whole.
 */
gboolean
meso_export_csv_finish (MesoStore     *store,
                        GAsyncResult  *result,
                        guint         *out_count,
                        GError       **error)
{
  g_autofree guint *count = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, meso_export_csv_async), FALSE);

  count = g_task_propagate_pointer (G_TASK (result), error);
  if (count == NULL)
    return FALSE;
  if (out_count != NULL)
    *out_count = *count;
  return TRUE;
}
