/* meso-fingerprint.c: a sheet's fingerprint
 *
 * The code is the first 40 bits of the entry's digest, in eight letters and digits of
 * Crockford's base 32 ("7KQ2-M9XD"), short enough to read off paper and type back. The
 * digest is the entry's mac on a file (its keyed seal) and its hash on a clinic server,
 * which keeps the plain chain, its rows guarded by the server's roles and triggers; both
 * engines look a code up by either, so that a sheet stays findable after its clinic
 * moved from one engine to the other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "meso-fingerprint.h"

/* Crockford's base 32: no I, L, O or U to misread. */
static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * meso_fingerprint_from_digest:
 * @digest: a mac or hash, in hex, at least 10 digits
 *
 * Returns: (transfer full) (nullable): the code of @digest, "XXXX-XXXX", or %NULL when
 *   @digest is too short or not hex
 */
char *
meso_fingerprint_from_digest (const char *digest)
{
  guint64 bits = 0;
  char code[10];

  if (digest == NULL)
    return NULL;
  for (guint i = 0; i < 10; i++)
    {
      if (!g_ascii_isxdigit (digest[i]))
        return NULL;
      bits = bits << 4 | (guint64) g_ascii_xdigit_value (digest[i]);
    }
  for (guint i = 0, j = 0; i < 8; i++, j++)
    {
      if (i == 4)
        code[j++] = '-';
      code[j] = alphabet[(bits >> (35 - 5 * i)) & 31];
    }
  code[9] = '\0';
  return g_strdup (code);
}

/**
 * meso_fingerprint_to_prefix:
 * @code: a code as typed: any case, with or without its dash or blanks, O for 0 and I
 *   or L for 1 forgiven
 *
 * Returns: (transfer full) (nullable): the first 10 hex digits (lower case) of the
 *   digest @code came from, or %NULL when @code is no code
 */
char *
meso_fingerprint_to_prefix (const char *code)
{
  guint64 bits = 0;
  guint n = 0;

  for (const char *p = code; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);
      const char *at;

      if (c == '-' || c == ' ')
        continue;
      c = c == 'O' ? '0' : (c == 'I' || c == 'L') ? '1' : c;
      at = c != '\0' ? strchr (alphabet, c) : NULL;
      if (at == NULL || ++n > 8)
        return NULL;
      bits = bits << 5 | (guint64) (at - alphabet);
    }
  if (n != 8)
    return NULL;
  return g_strdup_printf ("%010" G_GINT64_MODIFIER "x", bits);
}
