/* meso-cli-documents.c: the report's PDF and the recall's letters, for `report --output`
 * and `recall --letters`, in the module that draws (mesocare-cli-sheet): the tool itself
 * never loads Cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "meso-cli.h"
#include "meso-report-pdf.h"
#include "meso-settings.h"

/* This computer's paper, as `sheet` uses it. */
static MesoPaper
settings_paper (void)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();

  return meso_settings_get_paper (settings);
}

/* Replaced as a whole and readable by its owner only, as a sheet is: the file names
 * patients. */
static gboolean
write_file (GBytes      *pdf,
            const char  *path,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  if (!g_file_replace_contents (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

int
meso_cli_module_report_pdf (const MesoCliGlobals *globals,
                            MesoReport           *report,
                            MesoClinic           *clinic,
                            const char           *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = meso_report_render_pdf (report, clinic, settings_paper (), &error);

  if (pdf == NULL || !write_file (pdf, path, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}

/* What the audit keeps of a printing of letters: where they went, what about, to whom. */
static char *
letters_payload (GPtrArray  *patients,
                 const char *path)
{
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) ids = g_string_new (NULL);
  const MesoRecallPatient *first = patients->len > 0 ? g_ptr_array_index (patients, 0) : NULL;

  for (guint i = 0; i < patients->len; i++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                              patient->patient_name != NULL ? patient->patient_name : "");
      g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", patient->patient_id);
    }
  meso_payload_append (payload, "document", "recall-letters");
  meso_payload_append (payload, "file", path);
  meso_payload_append (payload, "product", first != NULL && first->product != NULL
                                            ? first->product : "");
  meso_payload_append (payload, "lot", first != NULL && first->lot != NULL ? first->lot : "");
  meso_payload_append (payload, "patient-ids", ids->str);
  meso_payload_append (payload, "patients", names->str);
  return g_string_free (g_steal_pointer (&payload), FALSE);
}

int
meso_cli_module_recall_letters (const MesoCliGlobals *globals,
                                GPtrArray            *patients,
                                MesoClinic           *clinic,
                                const char           *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autofree char *payload = NULL;

  pdf = meso_recall_render_letters_pdf (patients, clinic, settings_paper (), &error);
  if (pdf == NULL)
    return meso_cli_fail (error);
  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  /* Every printing is on the record, as every sheet's is: about no one session, so 0. */
  payload = letters_payload (patients, path);
  if (!write_file (pdf, path, &error)
      || !meso_store_log_event (store, "print", 0, payload, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}
