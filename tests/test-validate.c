/* test-validate.c: every validation rule, both sides of every bound
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-session-private.h"
#include "meso-test-util.h"
#include "meso-validate.h"

static char *
repeat (const char *unit,
        guint       times)
{
  GString *str = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (str, unit);
  return g_string_free (str, FALSE);
}

static void
assert_error (GError      *error,
              int          code,
              MesoField    field,
              const char  *field_word)
{
  g_assert_error (error, MESO_ERROR, code);
  g_assert_cmpint (meso_error_get_field (error), ==, field);
  g_assert_nonnull (strstr (error->message, field_word));
}

static void
test_patient_name (void)
{
  g_autofree char *at_limit = repeat ("é", MESO_PATIENT_NAME_MAX_CHARS);
  g_autofree char *over_limit = repeat ("a", MESO_PATIENT_NAME_MAX_CHARS + 1);
  GError *error = NULL;

  g_assert_true (meso_validate_patient_name ("A", &error));
  g_assert_no_error (error);
  /* The limit counts characters, not bytes: 200 two-byte letters pass. */
  g_assert_true (meso_validate_patient_name (at_limit, &error));
  g_assert_no_error (error);

  g_assert_false (meso_validate_patient_name (NULL, &error));
  assert_error (error, MESO_ERROR_PATIENT_REQUIRED, MESO_FIELD_PATIENT, "Patient");
  g_clear_error (&error);

  g_assert_false (meso_validate_patient_name ("", &error));
  assert_error (error, MESO_ERROR_PATIENT_REQUIRED, MESO_FIELD_PATIENT, "Patient");
  g_clear_error (&error);

  g_assert_false (meso_validate_patient_name (over_limit, &error));
  assert_error (error, MESO_ERROR_PATIENT_TOO_LONG, MESO_FIELD_PATIENT, "201");
  g_clear_error (&error);

  g_assert_false (meso_validate_patient_name ("Ann\xff", &error));
  assert_error (error, MESO_ERROR_PATIENT_INVALID, MESO_FIELD_PATIENT, "UTF-8");
  g_clear_error (&error);

  g_assert_false (meso_validate_patient_name ("Ann\nSmith", &error));
  assert_error (error, MESO_ERROR_PATIENT_INVALID, MESO_FIELD_PATIENT, "one line");
  g_clear_error (&error);

  g_assert_false (meso_validate_patient_name ("Ann\tSmith", &error));
  assert_error (error, MESO_ERROR_PATIENT_INVALID, MESO_FIELD_PATIENT, "Patient");
  g_clear_error (&error);
}

static void
test_areas (void)
{
  GError *error = NULL;

  g_assert_true (meso_validate_areas (MESO_AREA_FACE, &error));
  g_assert_true (meso_validate_areas (MESO_AREA_ALL, &error));
  g_assert_no_error (error);

  g_assert_false (meso_validate_areas (MESO_AREA_NONE, &error));
  assert_error (error, MESO_ERROR_AREAS_REQUIRED, MESO_FIELD_AREAS, "Area");
  g_clear_error (&error);

  g_assert_false (meso_validate_areas ((MesoArea) (MESO_AREA_FACE | (1 << 20)), &error));
  assert_error (error, MESO_ERROR_AREA_UNKNOWN, MESO_FIELD_AREAS, "Area");
  g_clear_error (&error);
}

typedef struct
{
  const char *text;
  gboolean    ok;
  MesoArea    areas;
  int         code;
} AreasCase;

static const AreasCase areas_cases[] = {
  { "face", TRUE, MESO_AREA_FACE, 0 },
  { "scalp,face", TRUE, MESO_AREA_FACE | MESO_AREA_SCALP, 0 },
  { " neck , arms ", TRUE, MESO_AREA_NECK | MESO_AREA_ARMS, 0 },
  { "face,face", TRUE, MESO_AREA_FACE, 0 },
  { "face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms", TRUE, MESO_AREA_ALL, 0 },
  { "", FALSE, 0, MESO_ERROR_AREAS_REQUIRED },
  { "  ", FALSE, 0, MESO_ERROR_AREAS_REQUIRED },
  { "face,", FALSE, 0, MESO_ERROR_AREA_UNKNOWN },
  { ",face", FALSE, 0, MESO_ERROR_AREA_UNKNOWN },
  { "Face", FALSE, 0, MESO_ERROR_AREA_UNKNOWN },
  { "knee", FALSE, 0, MESO_ERROR_AREA_UNKNOWN },
  { "face;scalp", FALSE, 0, MESO_ERROR_AREA_UNKNOWN },
  { "face\xff", FALSE, 0, MESO_ERROR_AREA_UNKNOWN },
};

static void
test_areas_parse (gconstpointer data)
{
  const AreasCase *c = data;
  GError *error = NULL;
  MesoArea areas = MESO_AREA_NONE;
  gboolean ok = meso_areas_parse (c->text, &areas, &error);

  g_assert_cmpint (ok, ==, c->ok);
  if (c->ok)
    {
      g_assert_no_error (error);
      g_assert_cmphex (areas, ==, c->areas);
    }
  else
    {
      assert_error (error, c->code, MESO_FIELD_AREAS, "Area");
      g_assert_cmphex (areas, ==, MESO_AREA_NONE);
      g_clear_error (&error);
    }
}

static void
test_area_ids (void)
{
  g_autofree char *all = meso_areas_to_string (MESO_AREA_ALL, ",");

  /* The ids are a contract with the database and the command line. */
  g_assert_cmpstr (all, ==, "face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms");
  MESO_AREA_FOREACH (area)
    {
      g_assert_cmpint (meso_area_from_id (meso_area_get_id (area)), ==, area);
      g_assert_nonnull (meso_area_get_label (area));
    }
  g_assert_cmpint (meso_area_from_id ("elbow"), ==, MESO_AREA_NONE);
}

typedef struct
{
  const char *text;
  gboolean    ok;
  guint       value;
  int         code;
} CountCase;

static const CountCase injections_cases[] = {
  { "1", TRUE, 1, 0 },
  { "2000", TRUE, 2000, 0 },
  { " 42 ", TRUE, 42, 0 },
  { "0", FALSE, 0, MESO_ERROR_INJECTIONS_RANGE },
  { "2001", FALSE, 0, MESO_ERROR_INJECTIONS_RANGE },
  { "99999999999999999999999", FALSE, 0, MESO_ERROR_INJECTIONS_RANGE },
  { "", FALSE, 0, MESO_ERROR_CODE (MESO_FIELD_INJECTIONS, MESO_CHECK_REQUIRED) },
  { "   ", FALSE, 0, MESO_ERROR_CODE (MESO_FIELD_INJECTIONS, MESO_CHECK_REQUIRED) },
  { "abc", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
  { "-5", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
  { "+5", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
  { "1.5", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
  { "12abc", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
  { "0x10", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
  { "١٢", FALSE, 0, MESO_ERROR_INJECTIONS_NOT_A_NUMBER },
};

static void
test_injections_parse (gconstpointer data)
{
  const CountCase *c = data;
  GError *error = NULL;
  guint value = 7777;

  g_assert_cmpint (meso_parse_injections (c->text, &value, &error), ==, c->ok);
  if (c->ok)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (value, ==, c->value);
    }
  else
    {
      assert_error (error, c->code, MESO_FIELD_INJECTIONS, "Injections");
      g_assert_cmpuint (value, ==, 7777);
      g_clear_error (&error);
    }
}

static const CountCase duration_cases[] = {
  { "1", TRUE, 1, 0 },
  { "480", TRUE, 480, 0 },
  { "45", TRUE, 45, 0 },
  { "0", FALSE, 0, MESO_ERROR_DURATION_RANGE },
  { "481", FALSE, 0, MESO_ERROR_DURATION_RANGE },
  { "4294967296", FALSE, 0, MESO_ERROR_DURATION_RANGE },
  { "", FALSE, 0, MESO_ERROR_CODE (MESO_FIELD_DURATION, MESO_CHECK_REQUIRED) },
  { "half an hour", FALSE, 0, MESO_ERROR_DURATION_NOT_A_NUMBER },
  { "30min", FALSE, 0, MESO_ERROR_DURATION_NOT_A_NUMBER },
  { "-1", FALSE, 0, MESO_ERROR_DURATION_NOT_A_NUMBER },
};

static void
test_duration_parse (gconstpointer data)
{
  const CountCase *c = data;
  GError *error = NULL;
  guint value = 7777;

  g_assert_cmpint (meso_parse_duration (c->text, &value, &error), ==, c->ok);
  if (c->ok)
    {
      g_assert_no_error (error);
      g_assert_cmpuint (value, ==, c->value);
    }
  else
    {
      assert_error (error, c->code, MESO_FIELD_DURATION, "Duration");
      g_assert_cmpuint (value, ==, 7777);
      g_clear_error (&error);
    }
}

static void
test_count_bounds (void)
{
  GError *error = NULL;

  g_assert_false (meso_validate_injections (MESO_INJECTIONS_MIN - 1, NULL));
  g_assert_true (meso_validate_injections (MESO_INJECTIONS_MIN, NULL));
  g_assert_true (meso_validate_injections (MESO_INJECTIONS_MAX, NULL));
  g_assert_false (meso_validate_injections (MESO_INJECTIONS_MAX + 1, &error));
  assert_error (error, MESO_ERROR_INJECTIONS_RANGE, MESO_FIELD_INJECTIONS, "1 to 2000");
  g_clear_error (&error);

  g_assert_false (meso_validate_duration (MESO_DURATION_MIN - 1, NULL));
  g_assert_true (meso_validate_duration (MESO_DURATION_MIN, NULL));
  g_assert_true (meso_validate_duration (MESO_DURATION_MAX, NULL));
  g_assert_false (meso_validate_duration (MESO_DURATION_MAX + 1, &error));
  assert_error (error, MESO_ERROR_DURATION_RANGE, MESO_FIELD_DURATION, "1 to 480");
  g_clear_error (&error);
}

typedef struct
{
  MesoField   field;
  const char *text;
  gboolean    ok;
} FormatCase;

static const FormatCase format_cases[] = {
  { MESO_FIELD_EMAIL, "anna@x.org", TRUE },
  { MESO_FIELD_EMAIL, "  anna.lee+mesocare@mail.example.co.uk  ", TRUE },
  { MESO_FIELD_EMAIL, "zoë@xn--bcher-kva.example", TRUE },
  { MESO_FIELD_EMAIL, "zoë@bücher.example", TRUE },
  { MESO_FIELD_EMAIL, "a@b-c.de", TRUE },
  { MESO_FIELD_EMAIL, "", TRUE },   /* not recorded */
  { MESO_FIELD_EMAIL, "anna", FALSE },
  { MESO_FIELD_EMAIL, "anna@", FALSE },
  { MESO_FIELD_EMAIL, "@x.org", FALSE },
  { MESO_FIELD_EMAIL, "anna@x", FALSE },
  { MESO_FIELD_EMAIL, "anna@@x.org", FALSE },
  { MESO_FIELD_EMAIL, "anna@b@x.org", FALSE },
  { MESO_FIELD_EMAIL, "anna lee@x.org", FALSE },
  { MESO_FIELD_EMAIL, "anna@x .org", FALSE },
  { MESO_FIELD_EMAIL, "anna@x.org\u00a0", FALSE },  /* a no-break space is not trimmed */
  { MESO_FIELD_EMAIL, "anna@.org", FALSE },
  { MESO_FIELD_EMAIL, "anna@x.org.", FALSE },
  { MESO_FIELD_EMAIL, "anna@x..org", FALSE },
  { MESO_FIELD_EMAIL, "anna@-x.org", FALSE },
  { MESO_FIELD_EMAIL, "anna@x_y.org", FALSE },
  { MESO_FIELD_PHONE, "+33 1 23 45 67 89", TRUE },
  { MESO_FIELD_PHONE, "(555) 010-2000", TRUE },
  { MESO_FIELD_PHONE, "01.23.45.67.89", TRUE },
  { MESO_FIELD_PHONE, "+44 (0)20 7946 0000", TRUE },
  { MESO_FIELD_PHONE, "123456", TRUE },                 /* 6 digits */
  { MESO_FIELD_PHONE, "+12345678901234567890", TRUE },  /* 20 digits */
  { MESO_FIELD_PHONE, "", TRUE },   /* not recorded */
  { MESO_FIELD_PHONE, "call me", FALSE },
  { MESO_FIELD_PHONE, "12", FALSE },
  { MESO_FIELD_PHONE, "12345", FALSE },                  /* 5 digits */
  { MESO_FIELD_PHONE, "+123456789012345678901", FALSE }, /* 21 digits */
  { MESO_FIELD_PHONE, "+33 1 23 45 67 89 ext", FALSE },
  { MESO_FIELD_PHONE, "+33 1 23 45 67 89 x12", FALSE },
  { MESO_FIELD_PHONE, "33+1 23 45 67 89", FALSE },
  { MESO_FIELD_PHONE, "++33 1 23 45 67 89", FALSE },
  { MESO_FIELD_PHONE, "+33 (1 23 45 67 89", FALSE },
  { MESO_FIELD_PHONE, "+33 1) 23 45 67 89", FALSE },
  { MESO_FIELD_PHONE, "((33)) 1 23 45 67 89", FALSE },
  { MESO_FIELD_PHONE, "+33 1 23 45 67 89 / 90", FALSE },
  { MESO_FIELD_PHONE, "٠١٢٣٤٥٦٧٨٩", FALSE },        /* only ASCII digits dial */
};

/* The same rule for a value checked alone and for one written to a session, and on error
 * the session keeps what it had. */
static void
test_format (gconstpointer data)
{
  const FormatCase *c = data;
  const char *label = meso_field_get_label (c->field);
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autofree char *kept = NULL;
  GError *error = NULL;

  g_assert_cmpint (meso_field_check_text (c->field, g_strstrip (g_strdup (c->text)), &error),
                   ==, c->ok);
  if (c->ok)
    {
      g_assert_no_error (error);
      g_assert_true (meso_session_set_field_text (session, c->field, c->text, &error));
      g_assert_no_error (error);
      return;
    }

  assert_error (error, MESO_ERROR_CODE (c->field, MESO_CHECK_INVALID_FORMAT), c->field, label);
  g_assert_true (g_str_has_prefix (error->message, label));
  g_clear_error (&error);

  g_assert_true (meso_session_set_field_text (session, c->field, "", NULL));
  g_assert_false (meso_session_set_field_text (session, c->field, c->text, &error));
  assert_error (error, MESO_ERROR_CODE (c->field, MESO_CHECK_INVALID_FORMAT), c->field, label);
  g_clear_error (&error);
  kept = meso_session_get_field_text (session, c->field);
  g_assert_cmpstr (kept, ==, "");
}

/* A session stored before the rule stays readable; only a new value must keep it. */
static void
test_format_not_applied_to_stored (void)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autofree char *phone = NULL;
  GError *error = NULL;

  g_assert_true (meso_field_load_text (session, MESO_FIELD_PHONE, "000", &error));
  g_assert_no_error (error);
  phone = meso_session_get_field_text (session, MESO_FIELD_PHONE);
  g_assert_cmpstr (phone, ==, "000");
}

static MesoSession *
valid_session (void)
{
  return g_object_new (MESO_TYPE_SESSION,
                       "patient-name", "Ann Smith",
                       "areas", MESO_AREA_FACE,
                       "injections", 100,
                       "duration", 30,
                       NULL);
}

static void
test_session_validate (void)
{
  g_autoptr(MesoSession) session = valid_session ();
  GError *error = NULL;

  g_assert_true (meso_session_validate (session, &error));
  g_assert_no_error (error);

  /* Fields are checked in the order of the form: the first error is the first field. */
  meso_session_set_duration (session, 0);
  meso_session_set_injections (session, 0);
  g_assert_false (meso_session_validate (session, &error));
  assert_error (error, MESO_ERROR_INJECTIONS_RANGE, MESO_FIELD_INJECTIONS, "Injections");
  g_clear_error (&error);

  meso_session_set_injections (session, 5);
  g_assert_false (meso_session_validate (session, &error));
  assert_error (error, MESO_ERROR_DURATION_RANGE, MESO_FIELD_DURATION, "Duration");
  g_clear_error (&error);

  meso_session_set_duration (session, 5);
  meso_session_set_areas (session, MESO_AREA_NONE);
  g_assert_false (meso_session_validate (session, &error));
  assert_error (error, MESO_ERROR_AREAS_REQUIRED, MESO_FIELD_AREAS, "Area");
  g_clear_error (&error);

  meso_session_set_patient_name (session, "   ");
  g_assert_false (meso_session_validate (session, &error));
  assert_error (error, MESO_ERROR_PATIENT_REQUIRED, MESO_FIELD_PATIENT, "Patient");
  g_clear_error (&error);
}

static void
test_session_trims_name (void)
{
  g_autoptr(MesoSession) session = meso_session_new ();

  meso_session_set_patient_name (session, "  Ann  Smith \t");
  /* Only the blanks around the name go; those inside are the patient's. */
  g_assert_cmpstr (meso_session_get_patient_name (session), ==, "Ann  Smith");
}

static void
test_error_field_of_other_errors (void)
{
  g_autoptr(GError) db = g_error_new_literal (MESO_ERROR, MESO_ERROR_DATABASE, "x");
  g_autoptr(GError) io = g_error_new_literal (G_FILE_ERROR, MESO_ERROR_PATIENT_REQUIRED, "x");

  g_assert_cmpint (meso_error_get_field (db), ==, MESO_FIELD_NONE);
  g_assert_cmpint (meso_error_get_field (io), ==, MESO_FIELD_NONE);
  g_assert_cmpint (meso_error_get_field (NULL), ==, MESO_FIELD_NONE);
}

static void
test_clean_text (void)
{
  g_autofree char *long_text = repeat ("é", 400);
  g_autofree char *garbage = meso_error_clean_text ("bad\xff\xfe bytes\n\tand lines");
  g_autofree char *cut = meso_error_clean_text (long_text);
  g_autofree char *kept = meso_error_clean_text ("Zoë’s “record” 💉");
  g_autofree char *null = meso_error_clean_text (NULL);

  g_assert_true (g_utf8_validate (garbage, -1, NULL));
  g_assert_null (strchr (garbage, '\n'));
  g_assert_cmpstr (garbage, ==, "bad?? bytes??and lines");
  g_assert_cmpint (g_utf8_strlen (cut, -1), ==, 301);
  g_assert_true (g_str_has_suffix (cut, "…"));
  g_assert_cmpstr (kept, ==, "Zoë’s “record” 💉");
  g_assert_cmpstr (null, ==, "?");
}

/* Shown with the year in four digits, even in the C locale (whose "%x" writes 06/30/99);
 * what is no date is shown as it is, never guessed at. */
static void
test_format_date (void)
{
  g_autofree char *c_locale = g_strdup (setlocale (LC_TIME, NULL));
  g_autofree char *shown = NULL;
  g_autofree char *not_a_date = NULL;
  g_autofree char *impossible = NULL;

  setlocale (LC_TIME, "C");
  shown = meso_field_format_date ("2099-06-30");
  not_a_date = meso_field_format_date ("next week");
  impossible = meso_field_format_date ("2026-02-30");
  setlocale (LC_TIME, c_locale);

  g_assert_cmpstr (shown, ==, "30 Jun 2099");
  g_assert_cmpstr (not_a_date, ==, "next week");
  g_assert_cmpstr (impossible, ==, "2026-02-30");
}

/* The lists of ids a choice field accepts, for callers that offer or draw them: each id
 * passes its field's check, and a field without a list has none. */
static void
test_field_choices (void)
{
  const MesoField fields[] = {
    MESO_FIELD_AREAS, MESO_FIELD_LANGUAGE, MESO_FIELD_INDICATION, MESO_FIELD_TECHNIQUE,
    MESO_FIELD_REACTIONS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char * const *choices = meso_field_get_choices (fields[i]);

      g_assert_nonnull (choices);
      g_assert_nonnull (choices[0]);
      for (guint j = 0; choices[j] != NULL; j++)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (meso_field_check_text (fields[i], choices[j], &error));
          g_assert_no_error (error);
        }
    }
  g_assert_cmpuint (g_strv_length ((char **) meso_field_get_choices (MESO_FIELD_AREAS)), ==,
                    MESO_N_AREAS);
  g_assert_cmpstr (meso_field_get_choices (MESO_FIELD_INDICATION)[0], ==, "hair-loss");
  g_assert_null (meso_field_get_choices (MESO_FIELD_PATIENT));
  g_assert_null (meso_field_get_choices (MESO_FIELD_INJECTIONS));
}

/* Each choice has a name of its own, not its id; a language is named in its own words;
 * an id this build does not know is shown as it is stored, a missing one as nothing. */
static void
test_field_choice_labels (void)
{
  const MesoField fields[] = {
    MESO_FIELD_AREAS, MESO_FIELD_LANGUAGE, MESO_FIELD_INDICATION, MESO_FIELD_TECHNIQUE,
    MESO_FIELD_REACTIONS,
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char * const *choices = meso_field_get_choices (fields[i]);

      for (guint j = 0; choices[j] != NULL; j++)
        {
          const char *label = meso_field_get_choice_label (fields[i], choices[j]);

          g_assert_nonnull (label);
          g_assert_cmpstr (label, !=, choices[j]);
        }
      g_assert_cmpstr (meso_field_get_choice_label (fields[i], "made-up"), ==, "made-up");
      g_assert_cmpstr (meso_field_get_choice_label (fields[i], NULL), ==, "");
    }
  g_assert_cmpstr (meso_field_get_choice_label (MESO_FIELD_INDICATION, "hair-loss"), ==,
                   "Hair loss");
  g_assert_cmpstr (meso_field_get_choice_label (MESO_FIELD_REACTIONS, "none"), ==,
                   "None seen");
  g_assert_cmpstr (meso_field_get_choice_label (MESO_FIELD_TECHNIQUE, "gun"), ==,
                   "With a gun");
  g_assert_cmpstr (meso_field_get_choice_label (MESO_FIELD_AREAS, "decolletage"), ==,
                   "Décolleté");
  g_assert_cmpstr (meso_field_get_choice_label (MESO_FIELD_LANGUAGE, "fr"), ==, "Français");
}

/* A name of nothing but invisible characters (a no-break space, a zero-width space, a
 * byte order mark, a word joiner) is refused as an empty one, naming the field; for the
 * check alone and for the value written to a session. */
static void
test_invisible_name_required (void)
{
  static const char * const names[] = {
    "\u00a0", "\u200b", "\ufeff", "\u2060", " \u00a0\u200b\t\u2060 ",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MesoSession) session = meso_session_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) set_error = NULL;

      g_assert_false (meso_validate_patient_name (names[i], &error));
      g_assert_error (error, MESO_ERROR, MESO_ERROR_PATIENT_REQUIRED);
      g_assert_nonnull (strstr (error->message, "Patient"));
      g_assert_false (meso_session_set_field_text (session, MESO_FIELD_PATIENT, names[i],
                                                   &set_error));
      g_assert_error (set_error, MESO_ERROR, MESO_ERROR_PATIENT_REQUIRED);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/patient-name", test_patient_name);
  g_test_add_func ("/validate/areas", test_areas);
  g_test_add_func ("/validate/area-ids", test_area_ids);
  g_test_add_func ("/validate/count-bounds", test_count_bounds);
  g_test_add_func ("/validate/session", test_session_validate);
  g_test_add_func ("/validate/session-trims-name", test_session_trims_name);
  g_test_add_func ("/validate/invisible-name-required", test_invisible_name_required);
  g_test_add_func ("/validate/error-field-of-other-errors", test_error_field_of_other_errors);
  g_test_add_func ("/validate/clean-text", test_clean_text);
  g_test_add_func ("/validate/format-date", test_format_date);
  g_test_add_func ("/validate/field-choices", test_field_choices);
  g_test_add_func ("/validate/field-choice-labels", test_field_choice_labels);
  MESO_TEST_ADD_NUMBERED_CASES ("/validate/areas-parse", areas_cases, test_areas_parse);
  MESO_TEST_ADD_NUMBERED_CASES ("/validate/injections-parse", injections_cases,
                                test_injections_parse);
  MESO_TEST_ADD_NUMBERED_CASES ("/validate/duration-parse", duration_cases, test_duration_parse);
  MESO_TEST_ADD_NUMBERED_CASES ("/validate/format", format_cases, test_format);
  g_test_add_func ("/validate/format-not-applied-to-stored", test_format_not_applied_to_stored);

  return g_test_run ();
}
