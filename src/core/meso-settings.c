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
