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

/**
 * meso_validate_text_characters:
 * @text: valid UTF-8
 * @lines: whether @text may span lines
 *
 * Returns: whether @text is free of control characters, and of line and paragraph
 *   separators; with @lines, newlines and tabs are allowed.
 */
gboolean
meso_validate_text_characters (const char *text,
                               gboolean    lines)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (lines && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return FALSE;
    }
  return TRUE;
}

static guint
digits_value (const char *text,
              guint       n)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (guint) (text[i] - '0');
  return value;
}

/**
 * meso_validate_date:
 * @text: a date as typed or stored
 * @out_date: (out) (optional): where to put it
 *
 * Returns: whether @text is a date written YYYY-MM-DD: a real calendar date between
 *   1900 and 2199.
 */
gboolean
meso_validate_date (const char *text,
                    GDate      *out_date)
{
  guint year, month, day;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = digits_value (text, 4);
  month = digits_value (text + 5, 2);
  day = digits_value (text + 8, 2);
  if (year < 1900 || year > 2199 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  if (out_date != NULL)
    {
      g_date_clear (out_date, 1);
      g_date_set_dmy (out_date, day, month, year);
    }
  return TRUE;
}

/**
 * meso_validate_date_time:
 * @text: a date and time as typed or stored
 * @out_when: (out) (optional) (transfer full): where to put it
 *
 * ISO 8601 in local time unless it says otherwise, seconds optional; a bare date is
 * that day at noon, far from any time-zone edge.
 *
 * Returns: whether @text is a date and time.
 */
gboolean
meso_validate_date_time (const char  *text,
                         GDateTime  **out_when)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) when = NULL;
  GDate date;

  g_return_val_if_fail (text != NULL, FALSE);

  if (meso_validate_date (text, &date))
    when = g_date_time_new (local, g_date_get_year (&date), g_date_get_month (&date),
                            g_date_get_day (&date), 12, 0, 0);
  else
    when = g_date_time_new_from_iso8601 (text, local);

  /* GLib wants the seconds; people often leave them out ("2026-03-14T09:30"). */
  if (when == NULL && strlen (text) == 16 && text[10] == 'T' && text[13] == ':')
    {
      g_autofree char *with_seconds = g_strconcat (text, ":00", NULL);

      when = g_date_time_new_from_iso8601 (with_seconds, local);
    }

  if (when == NULL)
    return FALSE;
  if (out_when != NULL)
    *out_when = g_steal_pointer (&when);
  return TRUE;
}

/**
 * meso_validate_is_in_future:
 * @text: a date and time that meso_validate_date_time() accepts
 * @when: what it stands for
 *
 * A bare date may be today; a time may run a few minutes ahead of this computer's
 * clock, no more.
 *
 * Returns: whether @when is later than now allows.
 */
gboolean
meso_validate_is_in_future (const char *text,
                            GDateTime  *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_val_if_fail (text != NULL && when != NULL, FALSE);

  if (meso_validate_date (text, NULL))
    {
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      return strcmp (text, today) > 0;
    }
  return g_date_time_difference (when, now) > 10 * G_TIME_SPAN_MINUTE;
}

/**
 * meso_validate_count:
 * @text: a whole number as typed
 * @out_value: (out): where to put it; a number too large for 32 bits comes out above
 *   %G_MAXUINT32, never wrapped
 *
 * Returns: whether @text is digits only: no sign, no spaces inside, no other numeral
 *   systems.
 */
gboolean
meso_validate_count (const char *text,
                     guint64    *out_value)
{
  guint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (value <= G_MAXUINT32)
        value = value * 10 + (guint64) (*p - '0');
    }
  *out_value = value;
  return TRUE;
}

/**
 * meso_validate_volume:
 * @text: millilitres as typed: "2", "2.5" or "2,55"
 * @out_ul: (out): the volume in microlitres
 *
 * Volumes are kept as a whole number of microlitres, so that what is read back is
 * exactly what was written.
 *
 * Returns: whether @text is millilitres with at most two decimals.
 */
gboolean
meso_validate_volume (const char *text,
                      guint64    *out_ul)
{
  g_autofree char *whole = NULL;
  char *separator;
  const char *decimals = "";
  guint64 ml, fraction = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  whole = g_strdup (text);
  separator = strpbrk (whole, ".,");
  if (separator != NULL)
    {
      *separator = '\0';
      decimals = separator + 1;
    }
  if (!meso_validate_count (whole, &ml) || strlen (decimals) > 2
      || (*decimals != '\0' && !meso_validate_count (decimals, &fraction)))
    return FALSE;
  if (strlen (decimals) == 1)
    fraction *= 10;
  *out_ul = ml * 1000 + fraction * 10;
  return TRUE;
}

/**
 * meso_validate_yes_no:
 * @text: an answer as typed
 * @out_value: (out): the answer
 *
 * Returns: whether @text is yes ("yes", "true", "1") or no ("no", "false", "0", or
 *   nothing), in any case.
 */
gboolean
meso_validate_yes_no (const char *text,
                      gboolean   *out_value)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (g_ascii_strcasecmp (text, "yes") == 0 || g_str_equal (text, "1")
      || g_ascii_strcasecmp (text, "true") == 0)
    *out_value = TRUE;
  else if (g_ascii_strcasecmp (text, "no") == 0 || g_str_equal (text, "0")
           || g_ascii_strcasecmp (text, "false") == 0 || *text == '\0')
    *out_value = FALSE;
  else
    return FALSE;
  return TRUE;
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
  const char *at, *label;

  g_return_val_if_fail (text != NULL, FALSE);

  at = strchr (text, '@');
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
 * Digits as people write them: a leading "+" for the country code, and spaces (no-break
 * ones too), dots, dashes and brackets between them; from %MESO_PHONE_MIN_DIGITS to
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

  for (const char *p = *text == '+' ? text + 1 : text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        digits++;
      else if (c == '(' && !in_brackets)
        in_brackets = TRUE;
      else if (c == ')' && in_brackets)
        in_brackets = FALSE;
      /* A no-break space, as word processors put between pairs of digits, is a space. */
      else if (c != '.' && c != '-' && g_unichar_type (c) != G_UNICODE_SPACE_SEPARATOR)
        return FALSE;
    }
  return !in_brackets && digits >= MESO_PHONE_MIN_DIGITS && digits <= MESO_PHONE_MAX_DIGITS;
}
