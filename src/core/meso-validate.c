/* meso-validate.c: the checks the form and the command line make on single values,
 * in terms of the field table (meso-field.c), where every rule is written once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-validate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-field.h"
#include "meso-session.h"
#include "meso-validate.h"

gboolean
meso_validate_patient_name (const char  *name,
                            GError     **error)
{
  return meso_field_check_text (MESO_FIELD_PATIENT, name, error);
}

/**
 * meso_validate_areas:
 * @areas: the areas treated
 * @error: a #GError
 *
 * At least one area, and only areas that exist.
 */
gboolean
meso_validate_areas (MesoArea   areas,
                     GError   **error)
{
  g_autofree char *ids = NULL;

  if ((areas & ~MESO_AREA_ALL) != 0)
    {
      meso_set_field_error (error, MESO_FIELD_AREAS, MESO_CHECK_UNKNOWN_VALUE,
                            _("%s: the session names an area that does not exist"),
                            meso_field_get_label (MESO_FIELD_AREAS));
      return FALSE;
    }
  ids = meso_areas_to_string (areas, ",");
  return meso_field_check_text (MESO_FIELD_AREAS, ids, error);
}

static gboolean
validate_count (MesoField   field,
                guint       value,
                GError    **error)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  return meso_field_check_text (field, text, error);
}

gboolean
meso_validate_injections (guint    injections,
                          GError **error)
{
  return validate_count (MESO_FIELD_INJECTIONS, injections, error);
}

gboolean
meso_validate_duration (guint    minutes,
                        GError **error)
{
  return validate_count (MESO_FIELD_DURATION, minutes, error);
}

/* Parses a count typed as text through a scratch session, so that parsing and checking
 * are the field table's, blanks around the number included. */
static gboolean
parse_count (MesoField    field,
             const char  *text,
             guint       *out_value,
             GError     **error)
{
  g_autoptr(MesoSession) scratch = meso_session_new ();
  g_autofree char *canonical = NULL;

  if (!meso_session_set_field_text (scratch, field, text, error))
    return FALSE;
  canonical = meso_session_get_field_text (scratch, field);
  if (!meso_field_check_text (field, canonical, error))
    return FALSE;
  *out_value = (guint) g_ascii_strtoull (canonical, NULL, 10);
  return TRUE;
}

gboolean
meso_parse_injections (const char  *text,
                       guint       *out_injections,
                       GError     **error)
{
  return parse_count (MESO_FIELD_INJECTIONS, text, out_injections, error);
}

gboolean
meso_parse_duration (const char  *text,
                     guint       *out_minutes,
                     GError     **error)
{
  return parse_count (MESO_FIELD_DURATION, text, out_minutes, error);
}
