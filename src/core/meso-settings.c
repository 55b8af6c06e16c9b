/* meso-settings.c: what one workstation keeps in GSettings
 *
 * The paper, who sits at this chair and the language of new patients' sheets belong to
 * this computer. The clinic's details and practitioners, which older versions kept
 * here too, are the whole clinic's: they live in the database, and the old keys are read
 * once, to give the database its first values (meso_settings_carry_over_clinic()).
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
 * meso_settings_carry_over_clinic:
 * @settings: Mesocare's settings
 * @store: the store
 * @out_carried: (out) (optional): whether the settings' values were written
 * @error: a #GError
 *
 * Gives @store the clinic's details and practitioners this user's settings held, if it
 * has none yet (meso_store_carry_over_clinic()): the first start after the upgrade
 * carries them over, and the keys are not read again once the database has details.
 */
gboolean
meso_settings_carry_over_clinic (GSettings  *settings,
                                 MesoStore  *store,
                                 gboolean   *out_carried,
                                 GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *logo = NULL;
  g_auto(GStrv) practitioners = NULL;
  MesoClinicSettings old;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (MESO_IS_STORE (store), FALSE);

  name = g_settings_get_string (settings, "clinic-name");
  address = g_settings_get_string (settings, "clinic-address");
  phone = g_settings_get_string (settings, "clinic-phone");
  email = g_settings_get_string (settings, "clinic-email");
  logo = g_settings_get_string (settings, "clinic-logo");
  practitioners = g_settings_get_strv (settings, "practitioners");
  old = (MesoClinicSettings) { name, address, phone, email, logo,
                               (const char * const *) practitioners };
  return meso_store_carry_over_clinic (store, &old, out_carried, error);
}
