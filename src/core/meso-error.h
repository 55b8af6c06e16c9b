/* meso-error.h: the error domain of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MESO_ERROR (meso_error_quark ())

/* A code names the rule that failed; the message names the field in plain words.
 * Validation codes are grouped by field so meso_error_get_field() can tell a form
 * which widget to mark. */
typedef enum
{
  MESO_ERROR_FAILED,

  MESO_ERROR_PATIENT_REQUIRED,
  MESO_ERROR_PATIENT_TOO_LONG,
  MESO_ERROR_PATIENT_INVALID,

  MESO_ERROR_AREAS_REQUIRED,
  MESO_ERROR_AREA_UNKNOWN,

  MESO_ERROR_INJECTIONS_NOT_A_NUMBER,
  MESO_ERROR_INJECTIONS_RANGE,

  MESO_ERROR_DURATION_NOT_A_NUMBER,
  MESO_ERROR_DURATION_RANGE,

  MESO_ERROR_NOT_FOUND,         /* no record with that id */
  MESO_ERROR_DATABASE,          /* the database failed */
  MESO_ERROR_DATABASE_TOO_NEW,  /* written by a newer Mesocare: refused untouched */
  MESO_ERROR_RULES,             /* the aftercare rules file is broken */
  MESO_ERROR_RENDER,            /* the sheet could not be drawn or written */
} MesoErrorCode;

/* The fields of the session form that a validation error can point at. */
typedef enum
{
  MESO_FIELD_NONE,
  MESO_FIELD_PATIENT,
  MESO_FIELD_AREAS,
  MESO_FIELD_INJECTIONS,
  MESO_FIELD_DURATION,
} MesoField;

GQuark    meso_error_quark     (void);
MesoField meso_error_get_field (const GError *error);

G_END_DECLS
