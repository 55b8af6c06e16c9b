/* meso-cli-query.c: the options that choose sessions (list, export)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-enums.h"
#include "meso-field.h"

struct _MesoCliQuery
{
  char        *patient;
  char        *from;
  char        *to;
  char        *area;
  char        *practitioner;
  char        *indication;
  char        *product;
  char        *lot;
  char        *reactions;
  char        *status;
  char        *limit;
  char        *offset;
  GOptionEntry entries[13];
};

MesoCliQuery *
meso_cli_query_new (void)
{
  MesoCliQuery *self = g_new0 (MesoCliQuery, 1);
  const GOptionEntry entries[] = {
    { "patient", 0, 0, G_OPTION_ARG_STRING, &self->patient,
      N_("Patients whose name holds TEXT (accents and case do not matter)"), N_("TEXT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &self->from, N_("Sessions on or after this day"),
      N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &self->to, N_("Sessions on or before this day"),
      N_("YYYY-MM-DD") },
    { "area", 0, 0, G_OPTION_ARG_STRING, &self->area, N_("Sessions that treated any of these"),
      N_("AREA[,AREA...]") },
    { "practitioner", 0, 0, G_OPTION_ARG_STRING, &self->practitioner,
      N_("Sessions given by this practitioner (the name as recorded)"), N_("NAME") },
    { "indication", 0, 0, G_OPTION_ARG_STRING, &self->indication,
      N_("Sessions for this indication"), N_("ID") },
    { "product", 0, 0, G_OPTION_ARG_STRING, &self->product,
      N_("Sessions with this product (the name as recorded)"), N_("TEXT") },
    { "lot", 0, 0, G_OPTION_ARG_STRING, &self->lot, N_("Sessions with this lot number"),
      N_("TEXT") },
    { "reactions", 0, 0, G_OPTION_ARG_STRING, &self->reactions,
      N_("Sessions where any of these reactions was seen"), N_("ID[,ID...]") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &self->status,
      N_("active (never corrected), amended or voided"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_STRING, &self->limit, N_("At most N sessions"), N_("N") },
    { "offset", 0, 0, G_OPTION_ARG_STRING, &self->offset,
      N_("Skip the first N sessions (with --limit: a page)"), N_("N") },
    { NULL }
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (entries) == G_N_ELEMENTS (self->entries));
  memcpy (self->entries, entries, sizeof entries);
  return self;
}

void
meso_cli_query_free (MesoCliQuery *self)
{
  char **texts[] = { &self->patient, &self->from, &self->to, &self->area, &self->practitioner,
                     &self->indication, &self->product, &self->lot, &self->reactions,
                     &self->status, &self->limit, &self->offset };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_free (*texts[i]);
  g_free (self);
}

const GOptionEntry *
meso_cli_query_get_entries (MesoCliQuery *self)
{
  return self->entries;
}

static gboolean
parse_count (const char  *text,
             const char  *label,
             guint       *out_value,
             GError     **error)
{
  guint64 value = 0;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("%s: “%s” is not a whole number from 0"), label,
                   g_utf8_validate (text, -1, NULL) ? text : "?");
      return FALSE;
    }
  *out_value = (guint) value;
  return TRUE;
}

/* The reactions' ids, checked by the field table, as flags. */
static gboolean
parse_reactions (const char    *text,
                 MesoReaction  *out_reactions,
                 GError       **error)
{
  g_autoptr(GFlagsClass) klass = NULL;
  g_auto(GStrv) ids = NULL;

  if (!meso_field_check_text (MESO_FIELD_REACTIONS, text, error))
    return FALSE;
  klass = g_type_class_ref (MESO_TYPE_REACTION);
  ids = g_strsplit (text, ",", -1);
  *out_reactions = 0;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      GFlagsValue *value = g_flags_get_value_by_nick (klass, g_strstrip (ids[i]));

      if (value != NULL)
        *out_reactions |= value->value;
    }
  return TRUE;
}

static gboolean
apply_choices (MesoCliQuery      *self,
               MesoSessionQuery  *query,
               GError           **error)
{
  MesoArea areas = MESO_AREA_NONE;
  MesoReaction reactions = 0;
  MesoSessionStatus status = MESO_SESSION_STATUS_ANY;

  if (self->area != NULL && !meso_areas_parse (self->area, &areas, error))
    return FALSE;
  if (self->indication != NULL
      && !meso_field_check_text (MESO_FIELD_INDICATION, self->indication, error))
    return FALSE;
  if (self->reactions != NULL && !parse_reactions (self->reactions, &reactions, error))
    return FALSE;
  if (self->status != NULL
      && (!meso_session_status_from_id (self->status, &status)
          || status == MESO_SESSION_STATUS_ANY))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Status: “%s” is not one of active, amended, voided"),
                   g_utf8_validate (self->status, -1, NULL) ? self->status : "?");
      return FALSE;
    }
  meso_session_query_set_areas (query, areas);
  meso_session_query_set_indication (query, self->indication);
  meso_session_query_set_reactions (query, reactions);
  meso_session_query_set_status (query, status);
  return TRUE;
}

/**
 * meso_cli_query_build:
 * @self: the parsed options
 * @error: a #GError naming the option's field
 *
 * Returns: (transfer full) (nullable): the query the options ask for, newest first, or
 *   %NULL when one of them is wrong.
 */
MesoSessionQuery *
meso_cli_query_build (MesoCliQuery  *self,
                      GError       **error)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  guint limit = 0, offset = 0;

  if (!meso_session_query_set_days (query, self->from, self->to, error)
      || !apply_choices (self, query, error)
      || !parse_count (self->limit, _("Limit"), &limit, error)
      || !parse_count (self->offset, _("Offset"), &offset, error))
    return NULL;
  if (self->limit != NULL && limit == 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Limit: give at least 1 (leave --limit out for every session)"));
      return NULL;
    }
  meso_session_query_set_patient_text (query, self->patient);
  meso_session_query_set_practitioner (query, self->practitioner);
  meso_session_query_set_product (query, self->product);
  meso_session_query_set_lot (query, self->lot);
  meso_session_query_set_range (query, offset, limit);
  return g_steal_pointer (&query);
}
