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
 * Returns: the session field @error is about, or %MESO_FIELD_NONE when it is not a
 *   validation error of one field.
 */
MesoField
meso_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != MESO_ERROR || error->code < 100
      || error->code / 100 >= MESO_N_FIELDS)
    return MESO_FIELD_NONE;
  return (MesoField) (error->code / 100);
}

/**
 * meso_error_get_check:
 * @error: (nullable): an error from the core
 *
 * Returns: the rule a validation error broke, or 0 for any other error.
 */
MesoCheck
meso_error_get_check (const GError *error)
{
  if (meso_error_get_field (error) == MESO_FIELD_NONE)
    return 0;
  return (MesoCheck) (error->code % 100);
}

/**
 * meso_set_field_error:
 * @error: a #GError to set
 * @field: the field the value belongs to
 * @check: the rule it breaks
 * @format: the message, which names the field
 *
 * Sets a validation error whose code is made of @field and @check.
 */
void
meso_set_field_error (GError     **error,
                      MesoField    field,
                      MesoCheck    check,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, MESO_ERROR, MESO_ERROR_CODE (field, check), message);
}
