/* meso-field.h: the fields of a session, their ids, labels and rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "meso-area.h"
#include "meso-error.h"

G_BEGIN_DECLS

const char  *meso_field_get_id         (MesoField    field);
const char  *meso_field_get_label      (MesoField    field);
const char  *meso_field_get_description (MesoField   field);
MesoField    meso_field_from_id        (const char  *id);
gboolean     meso_field_is_amendable   (MesoField    field);
gboolean     meso_field_is_flag        (MesoField    field);
gboolean     meso_field_is_free_text   (MesoField    field);
const char * const *meso_field_get_choices (MesoField field);
const char  *meso_field_get_choice_label (MesoField   field,
                                          const char *id);
gboolean     meso_field_check_text     (MesoField    field,
                                        const char  *text,
                                        GError     **error);
char        *meso_field_format_date    (const char  *iso);

/* Single fields checked by value, with the same rules and messages as their text. */
gboolean     meso_validate_patient_name (const char  *name,
                                         GError     **error);
gboolean     meso_validate_areas        (MesoArea     areas,
                                         GError     **error);
gboolean     meso_validate_injections   (guint        injections,
                                         GError     **error);
gboolean     meso_validate_duration     (guint        minutes,
                                         GError     **error);
gboolean     meso_parse_injections      (const char  *text,
                                         guint       *out_injections,
                                         GError     **error);
gboolean     meso_parse_duration        (const char  *text,
                                         guint       *out_minutes,
                                         GError     **error);

/* Iterate over every field, in the order of the form. */
#define MESO_FIELD_FOREACH(var) \
  for (MesoField var = MESO_FIELD_PATIENT; var < MESO_N_FIELDS; var = (MesoField) (var + 1)) \
    if (var != MESO_FIELD_REASON)

G_END_DECLS
