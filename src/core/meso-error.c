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

/**
 * meso_error_clean_text:
 * @text: (nullable): a message from elsewhere (SQLite's, say)
 *
 * A damaged database can put any bytes into SQLite's messages; a message for people
 * must be valid UTF-8 on one line, and short.
 *
 * Returns: (transfer full): @text with invalid bytes and control characters replaced by
 *   "?", cut to 300 characters with "…" when longer.
 */
char *
meso_error_clean_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "?", -1);
  g_autoptr(GString) clean = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == 300)
        {
          g_string_append (clean, "…");
          break;
        }
      if (g_unichar_iscntrl (c) || c == 0xFFFD)
        g_string_append_c (clean, '?');
      else
        g_string_append_unichar (clean, c);
    }
  return g_string_free (g_steal_pointer (&clean), FALSE);
}
