/* meso-validate.c: the rules a value must keep, as pure checks of its text
 *
 * Nothing here knows fields, labels or sessions: the field table (meso-field.c) applies
 * these checks to each field and says what is wrong, naming the field; the session
 * (meso-session.c) adds the rules between fields.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-validate"

#include "config.h"

#include <string.h>

#include "meso-validate.h"

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
