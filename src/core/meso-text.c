/* meso-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-text"

#include "config.h"

#include <string.h>

#include "meso-text.h"

/**
 * meso_text_fold:
 * @text: (nullable): UTF-8 text, such as a name
 *
 * The form in which names are kept for search and compared with what is typed: accents
 * and other marks taken off, case folded, runs of blanks made one space, blanks at the
 * ends removed. "  Zoë  ÖLUND" and "zoe olund" fold alike, so a receptionist finds
 * a patient however the name was typed.
 *
 * Returns: (transfer full): the folded text; "" for %NULL or text that is not UTF-8.
 */
char *
meso_text_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");

  /* Compatibility decomposition splits "é" into "e" and a combining mark, and "ﬁ" into
   * "fi"; the marks are then dropped. */
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  folded = g_utf8_casefold (decomposed, -1);
  out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
          || type == G_UNICODE_ENCLOSING_MARK || type == G_UNICODE_FORMAT)
        continue;
      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}
