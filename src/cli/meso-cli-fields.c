/* meso-cli-fields.c: one command-line option per session field, made from the field
 * table, for `record` and `amend`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-field.h"

struct _MesoCliFields
{
  MesoCliFieldsMode  mode;
  char              *values[MESO_N_FIELDS];  /* as typed, raw bytes; NULL: not given */
  gboolean           flags[MESO_N_FIELDS];   /* for yes/no fields given as bare flags */
  GOptionEntry       entries[MESO_N_FIELDS + 2];
};

static gboolean
takes_bare_flag (MesoCliFields *self,
                 MesoField      field)
{
  return self->mode == MESO_CLI_FIELDS_RECORD && meso_field_is_flag (field);
}

static const char *
argument_name (MesoField field)
{
  switch (field)
    {
    case MESO_FIELD_DATE:
      return "ISO8601";
    case MESO_FIELD_DATE_OF_BIRTH:
    case MESO_FIELD_EXPIRY:
    case MESO_FIELD_NEXT_SESSION:
      return "YYYY-MM-DD";
    case MESO_FIELD_AREAS:
      return "AREA[,AREA...]";
    case MESO_FIELD_REACTIONS:
      return "ID[,ID...]";
    case MESO_FIELD_INJECTIONS:
    case MESO_FIELD_SESSION_NUMBER:
    case MESO_FIELD_SERIES_TOTAL:
      return "N";
    case MESO_FIELD_DURATION:
      return "MINUTES";
    case MESO_FIELD_VOLUME:
      return "ML";
    case MESO_FIELD_LANGUAGE:
      return "en|fr|es";
    default:
      return meso_field_is_flag (field) ? "yes|no" : "TEXT";
    }
}

/**
 * meso_cli_fields_new:
 * @mode: %MESO_CLI_FIELDS_RECORD: every field, yes/no fields as bare flags;
 *   %MESO_CLI_FIELDS_AMEND: the amendable fields, each with a value
 *
 * Returns: (transfer full): the options, to add to a #GOptionContext with
 *   meso_cli_fields_get_entries().
 */
MesoCliFields *
meso_cli_fields_new (MesoCliFieldsMode mode)
{
  MesoCliFields *self = g_new0 (MesoCliFields, 1);
  guint n = 0;

  self->mode = mode;
  MESO_FIELD_FOREACH (field)
    {
      GOptionEntry *entry = &self->entries[n];

      if (mode == MESO_CLI_FIELDS_AMEND && !meso_field_is_amendable (field))
        continue;
      entry->long_name = meso_field_get_id (field);
      entry->description = meso_field_get_description (field);
      if (takes_bare_flag (self, field))
        {
          entry->arg = G_OPTION_ARG_NONE;
          entry->arg_data = &self->flags[field];
        }
      else
        {
          /* Raw bytes (FILENAME), so that text that is not UTF-8 reaches the core's
           * check, whose message names the field, instead of failing in GOption. */
          entry->arg = G_OPTION_ARG_FILENAME;
          entry->arg_data = &self->values[field];
          entry->arg_description = argument_name (field);
        }
      n++;
    }
  return self;
}

void
meso_cli_fields_free (MesoCliFields *self)
{
  for (guint i = 0; i < MESO_N_FIELDS; i++)
    g_free (self->values[i]);
  g_free (self);
}

const GOptionEntry *
meso_cli_fields_get_entries (MesoCliFields *self)
{
  return self->entries;
}

/**
 * meso_cli_fields_apply:
 * @self: the parsed options
 * @session: the session to fill
 * @out_n_given: (out) (optional): how many fields were given
 * @error: a #GError naming the field
 *
 * Sets every field given on the command line, in the order of the form, each checked
 * by the core as it is set.
 */
gboolean
meso_cli_fields_apply (MesoCliFields  *self,
                       MesoSession    *session,
                       guint          *out_n_given,
                       GError        **error)
{
  guint n_given = 0;

  MESO_FIELD_FOREACH (field)
    {
      const char *text = self->values[field];

      if (takes_bare_flag (self, field) && self->flags[field])
        text = "yes";
      if (text == NULL)
        continue;
      if (!meso_session_set_field_text (session, field, text, error))
        return FALSE;
      n_given++;
    }

  if (out_n_given != NULL)
    *out_n_given = n_given;
  return TRUE;
}
