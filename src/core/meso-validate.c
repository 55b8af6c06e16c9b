/* meso-validate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-validate"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-error.h"
#include "meso-validate.h"

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/**
 * meso_validate_patient_name:
 * @name: (nullable): the patient's name, already trimmed
 * @error: a #GError
 *
 * A name is required, valid UTF-8 on one line, and at most
 * %MESO_PATIENT_NAME_MAX_CHARS characters: a longer one is refused, never cut.
 */
gboolean
meso_validate_patient_name (const char  *name,
                            GError     **error)
{
  glong length;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_PATIENT_REQUIRED,
                           _("Patient: enter the patient’s name"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_PATIENT_INVALID,
                           _("Patient: the name is not valid UTF-8 text"));
      return FALSE;
    }

  if (has_control_characters (name))
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_PATIENT_INVALID,
                           _("Patient: the name must be on one line, without control characters"));
      return FALSE;
    }

  length = g_utf8_strlen (name, -1);
  if (length > MESO_PATIENT_NAME_MAX_CHARS)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_PATIENT_TOO_LONG,
                   _("Patient: the name has %ld characters; at most %d are allowed"),
                   length, MESO_PATIENT_NAME_MAX_CHARS);
      return FALSE;
    }

  return TRUE;
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
  if ((areas & MESO_AREA_ALL) == MESO_AREA_NONE)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_AREAS_REQUIRED,
                           _("Area: choose at least one area treated"));
      return FALSE;
    }
  if ((areas & ~MESO_AREA_ALL) != 0)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_AREA_UNKNOWN,
                           _("Area: the session names an area that does not exist"));
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_validate_injections:
 * @injections: the number of injections given
 * @error: a #GError
 */
gboolean
meso_validate_injections (guint    injections,
                          GError **error)
{
  if (injections < MESO_INJECTIONS_MIN || injections > MESO_INJECTIONS_MAX)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_INJECTIONS_RANGE,
                   _("Injections: enter a whole number from %d to %d"),
                   MESO_INJECTIONS_MIN, MESO_INJECTIONS_MAX);
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_validate_duration:
 * @minutes: how long the session took
 * @error: a #GError
 */
gboolean
meso_validate_duration (guint    minutes,
                        GError **error)
{
  if (minutes < MESO_DURATION_MIN || minutes > MESO_DURATION_MAX)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DURATION_RANGE,
                   _("Duration: enter whole minutes from %d to %d"),
                   MESO_DURATION_MIN, MESO_DURATION_MAX);
      return FALSE;
    }
  return TRUE;
}

/* Parses a whole decimal number; one too large for a guint is returned as G_MAXUINT so
 * that the range check, not an overflow, explains what is wrong. */
static gboolean
parse_whole_number (const char *text,
                    guint      *out_value)
{
  g_autofree char *trimmed = NULL;
  guint64 value = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return FALSE;

  for (const char *p = trimmed; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (value <= G_MAXUINT)
        value = value * 10 + (guint64) (*p - '0');
    }

  *out_value = (guint) MIN (value, (guint64) G_MAXUINT);
  return TRUE;
}

/**
 * meso_parse_injections:
 * @text: the count as typed
 * @out_injections: (out): the count
 * @error: a #GError
 *
 * Parses and validates an injection count typed as text.
 */
gboolean
meso_parse_injections (const char  *text,
                       guint       *out_injections,
                       GError     **error)
{
  guint value;

  if (!parse_whole_number (text, &value))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_INJECTIONS_NOT_A_NUMBER,
                   _("Injections: “%s” is not a whole number"),
                   text != NULL && g_utf8_validate (text, -1, NULL) ? text : "?");
      return FALSE;
    }
  if (!meso_validate_injections (value, error))
    return FALSE;

  *out_injections = value;
  return TRUE;
}

/**
 * meso_parse_duration:
 * @text: the duration in minutes as typed
 * @out_minutes: (out): the duration
 * @error: a #GError
 *
 * Parses and validates a duration typed as text.
 */
gboolean
meso_parse_duration (const char  *text,
                     guint       *out_minutes,
                     GError     **error)
{
  guint value;

  if (!parse_whole_number (text, &value))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DURATION_NOT_A_NUMBER,
                   _("Duration: “%s” is not a whole number of minutes"),
                   text != NULL && g_utf8_validate (text, -1, NULL) ? text : "?");
      return FALSE;
    }
  if (!meso_validate_duration (value, error))
    return FALSE;

  *out_minutes = value;
  return TRUE;
}
