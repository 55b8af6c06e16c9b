/* meso-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-error"

#include "config.h"

#include "meso-error.h"

G_DEFINE_QUARK (meso-error-quark, meso_error)

/**
 * meso_error_get_field:
 * @error: (nullable): an error from the core
 *
 * Returns: the form field @error is about, or %MESO_FIELD_NONE when it is not a
 *   validation error of one field.
 */
MesoField
meso_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != MESO_ERROR)
    return MESO_FIELD_NONE;

  switch ((MesoErrorCode) error->code)
    {
    case MESO_ERROR_PATIENT_REQUIRED:
    case MESO_ERROR_PATIENT_TOO_LONG:
    case MESO_ERROR_PATIENT_INVALID:
      return MESO_FIELD_PATIENT;

    case MESO_ERROR_AREAS_REQUIRED:
    case MESO_ERROR_AREA_UNKNOWN:
      return MESO_FIELD_AREAS;

    case MESO_ERROR_INJECTIONS_NOT_A_NUMBER:
    case MESO_ERROR_INJECTIONS_RANGE:
      return MESO_FIELD_INJECTIONS;

    case MESO_ERROR_DURATION_NOT_A_NUMBER:
    case MESO_ERROR_DURATION_RANGE:
      return MESO_FIELD_DURATION;

    case MESO_ERROR_FAILED:
    case MESO_ERROR_NOT_FOUND:
    case MESO_ERROR_DATABASE:
    case MESO_ERROR_DATABASE_TOO_NEW:
    case MESO_ERROR_RULES:
    case MESO_ERROR_RENDER:
    default:
      return MESO_FIELD_NONE;
    }
}
