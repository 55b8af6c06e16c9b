/* meso-area.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-area"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-area.h"
#include "meso-error.h"
#include "meso-field.h"

typedef struct
{
  MesoArea    area;
  const char *id;
  const char *label;
} AreaInfo;

static const AreaInfo area_table[] = {
  { MESO_AREA_FACE,        "face",        N_("Face") },
  { MESO_AREA_SCALP,       "scalp",       N_("Scalp") },
  { MESO_AREA_NECK,        "neck",        N_("Neck") },
  { MESO_AREA_DECOLLETAGE, "decolletage", N_("Décolleté") },
  { MESO_AREA_ABDOMEN,     "abdomen",     N_("Abdomen") },
  { MESO_AREA_FLANKS,      "flanks",      N_("Flanks") },
  { MESO_AREA_THIGHS,      "thighs",      N_("Thighs") },
  { MESO_AREA_BUTTOCKS,    "buttocks",    N_("Buttocks") },
  { MESO_AREA_ARMS,        "arms",        N_("Arms") },
};

static const AreaInfo *
lookup (MesoArea area)
{
  for (guint i = 0; i < G_N_ELEMENTS (area_table); i++)
    if (area_table[i].area == area)
      return &area_table[i];
  return NULL;
}

/**
 * meso_area_get_id:
 * @area: a single area
 *
 * Returns: the stable id of @area ("face", "scalp", ...), or %NULL if @area is not
 *   exactly one area.
 */
const char *
meso_area_get_id (MesoArea area)
{
  const AreaInfo *info = lookup (area);

  return info != NULL ? info->id : NULL;
}

/**
 * meso_area_get_label:
 * @area: a single area
 *
 * Returns: the name of @area for people, in the user interface's language.
 */
const char *
meso_area_get_label (MesoArea area)
{
  const AreaInfo *info = lookup (area);

  return info != NULL ? g_dgettext (GETTEXT_PACKAGE, info->label) : NULL;
}

/**
 * meso_area_from_id:
 * @id: an area id
 *
 * Returns: the area named by @id, or %MESO_AREA_NONE if there is none.
 */
MesoArea
meso_area_from_id (const char *id)
{
  g_return_val_if_fail (id != NULL, MESO_AREA_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (area_table); i++)
    if (g_str_equal (area_table[i].id, id))
      return area_table[i].area;
  return MESO_AREA_NONE;
}

static char *
list_known_ids (void)
{
  return meso_areas_to_string (MESO_AREA_ALL, ", ");
}

/**
 * meso_areas_parse:
 * @text: area ids separated by commas, as typed on the command line
 * @out_areas: (out): the areas
 * @error: a #GError
 *
 * Blanks around each id are ignored; an empty list, an empty item or an unknown id
 * is an error that names the field.
 */
gboolean
meso_areas_parse (const char  *text,
                  MesoArea    *out_areas,
                  GError     **error)
{
  g_auto(GStrv) parts = NULL;
  MesoArea result = MESO_AREA_NONE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_areas != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_AREA_UNKNOWN,
                           _("Area: the text is not valid UTF-8"));
      return FALSE;
    }

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *id = g_strstrip (parts[i]);
      MesoArea area;

      if (*id == '\0')
        {
          if (parts[1] == NULL)
            break; /* the whole list is empty: reported below */
          g_set_error_literal (error, MESO_ERROR, MESO_ERROR_AREA_UNKNOWN,
                               _("Area: the list has an empty item"));
          return FALSE;
        }

      area = meso_area_from_id (id);
      if (area == MESO_AREA_NONE)
        {
          g_autofree char *known = list_known_ids ();

          g_set_error (error, MESO_ERROR, MESO_ERROR_AREA_UNKNOWN,
                       _("Area: “%s” is not a known area (use one of: %s)"), id, known);
          return FALSE;
        }
      result |= area;
    }

  if (!meso_validate_areas (result, error))
    return FALSE;

  *out_areas = result;
  return TRUE;
}

/**
 * meso_areas_to_string:
 * @areas: a set of areas
 * @separator: what goes between two ids
 *
 * Returns: (transfer full): the ids of @areas in their fixed order.
 */
char *
meso_areas_to_string (MesoArea    areas,
                      const char *separator)
{
  g_autoptr(GString) str = g_string_new (NULL);

  MESO_AREA_FOREACH (area)
    {
      if (!(areas & area))
        continue;
      if (str->len > 0)
        g_string_append (str, separator);
      g_string_append (str, meso_area_get_id (area));
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}

/**
 * meso_areas_to_labels:
 * @areas: a set of areas
 *
 * Returns: (transfer full): the names of @areas for people, comma-separated.
 */
char *
meso_areas_to_labels (MesoArea areas)
{
  g_autoptr(GString) str = g_string_new (NULL);

  MESO_AREA_FOREACH (area)
    {
      if (!(areas & area))
        continue;
      if (str->len > 0)
        /* Translators: the separator between two area names in a list */
        g_string_append (str, _(", "));
      g_string_append (str, meso_area_get_label (area));
    }
  return g_string_free (g_steal_pointer (&str), FALSE);
}
