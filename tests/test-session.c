/* test-session.c: a session's properties, and the notification of every write
 *
 * A form bound to a session must hear of each change to it, whatever wrote it: a typed
 * setter, the field table (the command line, an import, the form), the store, or a copy;
 * and must hear nothing when a write leaves the value as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "meso-field.h"
#include "meso-session-private.h"

/* ---- Counting notifications ---- */

typedef struct
{
  GPtrArray *names;  /* of the properties notified, in order; static strings */
} Heard;

static void
on_notify_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Heard *heard = user_data;

  g_ptr_array_add (heard->names, (gpointer) g_param_spec_get_name (pspec));
}

static void
listen (MesoSession *session,
        Heard       *heard)
{
  heard->names = g_ptr_array_new ();
  g_signal_connect (session, "notify", G_CALLBACK (on_notify_cb), heard);
}

static void
heard_clear (Heard *heard)
{
  g_clear_pointer (&heard->names, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Heard, heard_clear)

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Exactly the properties in @expected (space-separated, in alphabetical order; "" for
 * none) were notified since the last call, each once. */
static void
assert_heard (Heard      *heard,
              const char *expected)
{
  g_autoptr(GString) names = g_string_new (NULL);

  g_ptr_array_sort (heard->names, compare_names);
  for (guint i = 0; i < heard->names->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? " " : "",
                            (const char *) g_ptr_array_index (heard->names, i));
  g_assert_cmpstr (names->str, ==, expected);
  g_ptr_array_set_size (heard->names, 0);
}

/* ---- The property of each field ---- */

typedef struct
{
  MesoField   field;
  const char *property;
  const char *first;   /* two valid texts of the field, told apart by their value */
  const char *second;
} FieldCase;

static const FieldCase field_cases[] = {
  { MESO_FIELD_PATIENT, "patient-name", "Ann Lee", "Bob Stone" },
  { MESO_FIELD_AREAS, "areas", "face", "face,scalp" },
  { MESO_FIELD_INJECTIONS, "injections", "40", "41" },
  { MESO_FIELD_DURATION, "duration", "30", "31" },
  { MESO_FIELD_DATE, "performed-at", "2024-06-15T09:30:00Z", "2024-06-15T09:31:00Z" },
  { MESO_FIELD_DATE_OF_BIRTH, "date-of-birth", "1980-02-03", "1980-02-04" },
  { MESO_FIELD_PHONE, "phone", "+33 1 23 45 67 89", "+33 1 23 45 67 80" },
  { MESO_FIELD_EMAIL, "email", "ann@example.org", "bob@example.org" },
  { MESO_FIELD_LANGUAGE, "language", "fr", "es" },
  { MESO_FIELD_BLOOD_THINNERS, "blood-thinners", "yes", "no" },
  { MESO_FIELD_PREGNANT, "pregnant", "yes", "no" },
  { MESO_FIELD_ALLERGIES, "allergies", "latex", "nickel" },
  { MESO_FIELD_PATIENT_NOTES, "patient-notes", "Line 1\nLine 2", "Line 1" },
  { MESO_FIELD_PRACTITIONER, "practitioner", "Dr Ana", "Dr Ben" },
  { MESO_FIELD_PRACTITIONER_ROLE, "practitioner-role", "physician", "nurse" },
  { MESO_FIELD_PRACTITIONER_REGISTRATION, "practitioner-registration", "123", "124" },
  { MESO_FIELD_INDICATION, "indication", "cellulite", "hair-loss" },
  { MESO_FIELD_TECHNIQUE, "technique", "manual", "gun" },
  { MESO_FIELD_PRODUCT, "product", "Cocktail A", "Cocktail B" },
  { MESO_FIELD_LOT, "lot", "L1", "L2" },
  { MESO_FIELD_EXPIRY, "lot-expiry", "2025-01-01", "2025-01-02" },
  { MESO_FIELD_VOLUME, "volume-ul", "2.5", "2.55" },
  { MESO_FIELD_SESSION_NUMBER, "session-number", "1", "2" },
  { MESO_FIELD_SERIES_TOTAL, "series-total", "5", "6" },
  { MESO_FIELD_NEXT_SESSION, "next-session", "2024-07-01", "2024-07-02" },
  { MESO_FIELD_REACTIONS, "reactions", "redness", "redness,pain" },
  { MESO_FIELD_INSTRUCTIONS, "instructions", "Rest", "Rest.\nNo sun." },
  { MESO_FIELD_NOTES, "notes", "Private", "Private too" },
  { MESO_FIELD_PREGNANCY_OVERRIDE, "pregnancy-override", "yes", "no" },
};

/* The table above names every field, so that a field added without a property fails. */
static void
test_every_field_has_a_case (void)
{
  guint n = 0;

  MESO_FIELD_FOREACH (field)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
        found |= field_cases[i].field == field;
      g_assert_true (found);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (field_cases));
}

/* Its text form, through the property and back: the same text. */
static char *
text_through_property (MesoSession     *session,
                       const FieldCase *c)
{
  g_autoptr(MesoSession) other = meso_session_new ();
  g_auto(GValue) value = G_VALUE_INIT;

  g_object_get_property (G_OBJECT (session), c->property, &value);
  g_object_set_property (G_OBJECT (other), c->property, &value);
  return meso_session_get_field_text (other, c->field);
}

/* Written as text, as the command line, an import or the form write it. */
static void
test_field_text (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *through = NULL;
  g_auto(Heard) heard = { 0 };

  listen (session, &heard);

  g_assert_true (meso_session_set_field_text (session, c->field, c->first, &error));
  g_assert_no_error (error);
  assert_heard (&heard, c->property);
  text = meso_session_get_field_text (session, c->field);
  through = text_through_property (session, c);
  g_assert_cmpstr (through, ==, text);

  /* The same value again, blanks around it or not: nothing to hear. */
  g_assert_true (meso_session_set_field_text (session, c->field, c->first, NULL));
  assert_heard (&heard, "");

  g_assert_true (meso_session_set_field_text (session, c->field, c->second, NULL));
  assert_heard (&heard, c->property);

  /* A value refused changes nothing, and says nothing. */
  g_assert_false (meso_session_set_field_text (session, c->field, "\x01", NULL));
  assert_heard (&heard, "");
}

/* Read back from the store, which takes values without today's bounds. */
static void
test_field_load (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(MesoSession) session = meso_session_new ();
  g_auto(Heard) heard = { 0 };

  listen (session, &heard);

  g_assert_true (meso_field_load_text (session, c->field, c->first, NULL));
  assert_heard (&heard, c->property);
  g_assert_true (meso_field_load_text (session, c->field, c->first, NULL));
  assert_heard (&heard, "");
}

/* Copied from another session, as meso_session_copy() does, field by field. */
static void
test_field_copy (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(MesoSession) source = meso_session_new ();
  g_autoptr(MesoSession) session = meso_session_new ();
  g_auto(Heard) heard = { 0 };

  g_assert_true (meso_session_set_field_text (source, c->field, c->first, NULL));
  listen (session, &heard);

  meso_field_copy_value (c->field, session, source);
  assert_heard (&heard, c->property);
  meso_field_copy_value (c->field, session, source);
  assert_heard (&heard, "");
}

/* Written through the property itself. */
static void
test_field_property (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(MesoSession) source = meso_session_new ();
  g_autoptr(MesoSession) session = meso_session_new ();
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_auto(Heard) heard = { 0 };

  g_assert_true (meso_session_set_field_text (source, c->field, c->first, NULL));
  g_object_get_property (G_OBJECT (source), c->property, &value);
  listen (session, &heard);

  g_object_set_property (G_OBJECT (session), c->property, &value);
  assert_heard (&heard, c->property);
  g_object_set_property (G_OBJECT (session), c->property, &value);
  assert_heard (&heard, "");

  expected = meso_session_get_field_text (source, c->field);
  text = meso_session_get_field_text (session, c->field);
  g_assert_cmpstr (text, ==, expected);
}

/* ---- The typed setters ---- */

static void
test_setters (void)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = g_date_time_new_utc (2024, 6, 15, 9, 30, 0);
  g_autoptr(GDateTime) same_when = g_date_time_new_utc (2024, 6, 15, 9, 30, 0);
  g_auto(Heard) heard = { 0 };

  listen (session, &heard);

  meso_session_set_injections (session, 40);
  assert_heard (&heard, "injections");
  meso_session_set_injections (session, 40);
  assert_heard (&heard, "");
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INJECTIONS, " 40 ", NULL));
  assert_heard (&heard, "");
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INJECTIONS, "41", NULL));
  assert_heard (&heard, "injections");
  g_assert_cmpuint (meso_session_get_injections (session), ==, 41);

  meso_session_set_patient_name (session, "Ann Lee");
  assert_heard (&heard, "patient-name");
  meso_session_set_patient_name (session, "  Ann Lee ");
  assert_heard (&heard, "");

  meso_session_set_areas (session, MESO_AREA_FACE);
  assert_heard (&heard, "areas");
  meso_session_set_duration (session, 30);
  assert_heard (&heard, "duration");
  meso_session_set_duration (session, 30);
  assert_heard (&heard, "");

  meso_session_set_performed_at (session, when);
  assert_heard (&heard, "performed-at");
  meso_session_set_performed_at (session, same_when);
  assert_heard (&heard, "");

  meso_session_set_id (session, 7);
  assert_heard (&heard, "id");
  meso_session_set_id (session, 7);
  assert_heard (&heard, "");

  meso_session_set_voided (session, "Duplicate");
  assert_heard (&heard, "void-reason voided");
  meso_session_set_voided (session, "Duplicate");
  assert_heard (&heard, "");
  meso_session_set_voided (session, "Duplicate of 6");
  assert_heard (&heard, "void-reason");
  g_assert_true (meso_session_get_voided (session));
}

/* Clearing a field is a change too; clearing it again is not. */
static void
test_clear (void)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autofree char *lot = NULL;
  g_auto(Heard) heard = { 0 };

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, "L1", NULL));
  listen (session, &heard);

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, "  ", NULL));
  assert_heard (&heard, "lot");
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, NULL, NULL));
  assert_heard (&heard, "");
  g_object_get (session, "lot", &lot, NULL);
  g_assert_null (lot);
}

/* A copy has every value, the id and the void; making it tells the original nothing. */
static void
test_copy (void)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(MesoSession) copy = NULL;
  g_auto(Heard) heard = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    g_assert_true (meso_session_set_field_text (session, field_cases[i].field,
                                                field_cases[i].first, NULL));
  meso_session_set_id (session, 3);
  meso_session_set_voided (session, "Duplicate");
  listen (session, &heard);

  copy = meso_session_copy (session);
  assert_heard (&heard, "");
  g_assert_true (meso_session_equal (session, copy));
  g_assert_true (meso_session_get_voided (copy));
  g_assert_cmpstr (meso_session_get_void_reason (copy), ==, "Duplicate");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/every-field-has-a-case", test_every_field_has_a_case);
  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      const FieldCase *c = &field_cases[i];
      const char *ways[] = { "text", "load", "copy", "property" };
      const GTestDataFunc funcs[] = {
        test_field_text, test_field_load, test_field_copy, test_field_property
      };

      for (guint w = 0; w < G_N_ELEMENTS (ways); w++)
        {
          g_autofree char *path = g_strdup_printf ("/session/notify/%s/%s", ways[w],
                                                   c->property);

          g_test_add_data_func (path, c, funcs[w]);
        }
    }
  g_test_add_func ("/session/notify/setters", test_setters);
  g_test_add_func ("/session/notify/clear", test_clear);
  g_test_add_func ("/session/copy", test_copy);

  return g_test_run ();
}
