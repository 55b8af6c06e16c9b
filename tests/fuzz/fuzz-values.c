/* fuzz-values.c: the parsers of what a user types (dates with offsets, counts,
 * durations, volumes, yes/no, phone numbers, addresses, areas) and every field's check
 *
 * Input: one text. Every parser reads it; a value one accepts is written back in its
 * canonical form and read again, which must give the same value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "meso-area.h"
#include "meso-field.h"
#include "meso-fuzz.h"
#include "meso-session.h"
#include "meso-validate.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  meso_fuzz_init ();
  return 0;
}

static void
parse_plain (const char *text)
{
  g_autoptr(GDateTime) when = NULL;
  GDate date;
  guint64 number;
  gboolean yes;
  MesoArea areas;
  guint count;

  /* These ask for UTF-8: their callers check it first. */
  if (g_utf8_validate (text, -1, NULL))
    {
      meso_validate_text_characters (text, FALSE);
      meso_validate_text_characters (text, TRUE);
      meso_validate_email_address (text);
      meso_validate_phone_number (text);
    }
  g_date_clear (&date, 1);
  meso_validate_date (text, &date);
  if (meso_validate_date_time (text, &when))
    meso_validate_is_in_future (text, when);
  meso_validate_count (text, &number);
  meso_validate_volume (text, &number);
  meso_validate_yes_no (text, &yes);
  meso_areas_parse (text, &areas, NULL);
  meso_parse_injections (text, &count, NULL);
  meso_parse_duration (text, &count, NULL);
  g_free (meso_field_format_date (text));
  meso_validate_patient_name (text, NULL);
}

/* Each field's check, and its setter: what it stores must read back to itself. */
static void
set_every_field (const char *text)
{
  MESO_FIELD_FOREACH (field)
    {
      g_autoptr(MesoSession) session = meso_session_new ();
      g_autoptr(MesoSession) again = meso_session_new ();
      g_autofree char *stored = NULL;
      g_autofree char *stored_again = NULL;

      meso_field_check_text (field, text, NULL);
      if (!meso_session_set_field_text (session, field, text, NULL))
        continue;
      stored = meso_session_get_field_text (session, field);
      if (!meso_session_set_field_text (again, field, stored, NULL))
        g_error ("field %s: its own text “%s” (from “%s”) is refused",
                 meso_field_get_id (field), stored, text);
      stored_again = meso_session_get_field_text (again, field);
      if (g_strcmp0 (stored, stored_again) != 0)
        g_error ("field %s: “%s” reads back as “%s”", meso_field_get_id (field), stored,
                 stored_again);
    }
  meso_field_check_text (MESO_FIELD_REASON, text, NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  /* Longer than anything typed into a field: the checks refuse it on its length. */
  if (size > 4096 || memchr (data, '\0', size) != NULL)
    return -1;
  parse_plain (text);
  set_every_field (text);
  return 0;
}
