/* meso-validate.c: the checks the form and the command line make on single values,
 * in terms of the field table (meso-field.c), where every rule is written once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-validate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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

/* Letters, digits and hyphens, not at either end; any non-ASCII character passes, for
 * internationalized names. */
static gboolean
is_domain_label (const char *label,
                 gsize       length)
{
  if (length == 0 || label[0] == '-' || label[length - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (label[i]) && label[i] != '-' && (guchar) label[i] < 0x80)
      return FALSE;
  return TRUE;
}

/**
 * meso_validate_email_address:
 * @text: valid UTF-8, without blanks around it
 *
 * Not every address the standard allows, nor only the ones that exist: what a person
 * could have mistyped. A name, one "@", and a domain of at least two labels, with no
 * blank anywhere.
 *
 * Returns: whether @text looks like an email address.
 */
gboolean
meso_validate_email_address (const char *text)
{
  const char *at = strchr (text, '@');
  const char *label;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || strchr (at + 1, '.') == NULL)
    return FALSE;

  label = at + 1;
  for (const char *dot = strchr (label, '.'); dot != NULL; dot = strchr (label, '.'))
    {
      if (!is_domain_label (label, (gsize) (dot - label)))
        return FALSE;
      label = dot + 1;
    }
  return is_domain_label (label, strlen (label));
}

/**
 * meso_validate_phone_number:
 * @text: valid UTF-8, without blanks around it
 *
 * Digits as people write them: a leading "+" for the country code, and spaces, dots,
 * dashes and brackets between them; from %MESO_PHONE_MIN_DIGITS to
 * %MESO_PHONE_MAX_DIGITS digits in all. Words, such as "ext 12", are refused: there is
 * no telling what a dialler would make of them.
 *
 * Returns: whether @text looks like a phone number.
 */
gboolean
meso_validate_phone_number (const char *text)
{
  guint digits = 0;
  gboolean in_brackets = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = *text == '+' ? text + 1 : text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '(' && !in_brackets)
        in_brackets = TRUE;
      else if (*p == ')' && in_brackets)
        in_brackets = FALSE;
      else if (*p != ' ' && *p != '.' && *p != '-')
        return FALSE;
    }
  return !in_brackets && digits >= MESO_PHONE_MIN_DIGITS && digits <= MESO_PHONE_MAX_DIGITS;
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
