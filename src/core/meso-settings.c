/* meso-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-settings"

#include "config.h"

#include "meso-settings.h"

/**
 * meso_settings_new_if_installed:
 *
 * g_settings_new() aborts when the schema is not installed, which is the case for a
 * command-line tool run straight from a build folder; this returns %NULL instead.
 *
 * Returns: (transfer full) (nullable): Mesocare's settings.
 */
GSettings *
meso_settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, MESO_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

/**
 * meso_settings_dup_clinic_name:
 * @settings: (nullable): Mesocare's settings
 *
 * Returns: (transfer full): the clinic's name, "" when not set.
 */
char *
meso_settings_dup_clinic_name (GSettings *settings)
{
  if (settings == NULL)
    return g_strdup ("");
  return g_settings_get_string (settings, "clinic-name");
}

/**
 * meso_settings_get_paper:
 * @settings: (nullable): Mesocare's settings
 *
 * Returns: the paper chosen in the preferences, or the locale's when none is.
 */
MesoPaper
meso_settings_get_paper (GSettings *settings)
{
  g_autofree char *id = settings != NULL ? g_settings_get_string (settings, "paper-size") : NULL;
  MesoPaper paper;

  if (meso_paper_from_id (id, &paper))
    return paper;
  return meso_paper_get_default ();
}

/**
 * meso_settings_apply_to_sheet:
 * @settings: (nullable): Mesocare's settings
 * @sheet: a sheet
 *
 * Gives @sheet the clinic's details and paper from the preferences: the app and the
 * command-line tool print the same sheet for the same session.
 */
void
meso_settings_apply_to_sheet (GSettings *settings,
                              MesoSheet *sheet)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();

  if (settings != NULL)
    {
      g_autofree char *name = g_settings_get_string (settings, "clinic-name");
      g_autofree char *address = g_settings_get_string (settings, "clinic-address");
      g_autofree char *phone = g_settings_get_string (settings, "clinic-phone");
      g_autofree char *email = g_settings_get_string (settings, "clinic-email");
      g_autofree char *logo = g_settings_get_string (settings, "clinic-logo");

      meso_clinic_set_name (clinic, name);
      meso_clinic_set_address (clinic, address);
      meso_clinic_set_phone (clinic, phone);
      meso_clinic_set_email (clinic, email);
      /* A logo that cannot be read is left out: the sheet matters more. */
      if (*logo != '\0')
        meso_clinic_set_logo_from_file (clinic, logo, NULL);
    }
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_paper (sheet, meso_settings_get_paper (settings));
}
