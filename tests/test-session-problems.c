/* test-session-problems.c: a session's every problem listed at once, each naming its
 * field, by the one validation the app, the command line and the store share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-field.h"
#include "meso-session.h"

static MesoSession *
valid_session (void)
{
  return g_object_new (MESO_TYPE_SESSION,
                       "patient-name", "Ann Smith",
                       "areas", MESO_AREA_FACE,
                       "injections", 80,
                       "duration", 30,
                       NULL);
}

static GPtrArray *
list_problems (MesoSession *session)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  meso_session_list_problems (session, problems);
  return problems;
}

static void
assert_problem (GPtrArray  *problems,
                guint       index,
                MesoField   field,
                const char *label)
{
  const GError *error = g_ptr_array_index (problems, index);

  g_assert_error (error, MESO_ERROR, error->code);
  g_assert_cmpint (meso_error_get_field (error), ==, field);
  if (!g_str_has_prefix (error->message, label))
    g_error ("“%s” does not name its field, %s", error->message, label);
}

/* Three bad fields, three problems, in the order of the fields: the form shows them all
 * in one round. The first is what meso_session_validate() reports. */
static void
test_three_problems (void)
{
  g_autoptr(MesoSession) session = valid_session ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) first = NULL;

  meso_session_set_patient_name (session, "   ");
  meso_session_set_injections (session, 0);
  meso_session_set_duration (session, 9999);
  problems = list_problems (session);

  g_assert_cmpuint (problems->len, ==, 3);
  assert_problem (problems, 0, MESO_FIELD_PATIENT, "Patient");
  assert_problem (problems, 1, MESO_FIELD_INJECTIONS, "Injections");
  assert_problem (problems, 2, MESO_FIELD_DURATION, "Duration");

  g_assert_false (meso_session_validate (session, &first));
  g_assert_error (first, MESO_ERROR, MESO_ERROR_PATIENT_REQUIRED);
}

/* The rules between fields are looked at too, beside a field's own problem; a field
 * whose own value is wrong is not judged against the others. */
static void
test_rules_between_fields_too (void)
{
  g_autoptr(MesoSession) session = valid_session ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  meso_session_set_areas (session, MESO_AREA_NONE);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_SESSION_NUMBER, "7", &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_SERIES_TOTAL, "6", &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PREGNANT, "yes", &error));
  problems = list_problems (session);

  g_assert_cmpuint (problems->len, ==, 3);
  assert_problem (problems, 0, MESO_FIELD_AREAS, "Area");
  assert_problem (problems, 1, MESO_FIELD_SESSION_NUMBER, "Session");
  assert_problem (problems, 2, MESO_FIELD_PREGNANCY_OVERRIDE, "");
}

/* A field the caller already found wrong (its text could not be read) is not reported a
 * second time as missing. */
static void
test_known_problem_kept (void)
{
  g_autoptr(MesoSession) session = valid_session ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  GError *error = NULL;

  meso_session_set_patient_name (session, NULL);
  g_assert_false (meso_session_set_field_text (session, MESO_FIELD_INJECTIONS, "many", &error));
  g_ptr_array_add (problems, error);
  meso_session_set_injections (session, 0);

  g_assert_false (meso_session_list_problems (session, problems));
  g_assert_cmpuint (problems->len, ==, 2);
  assert_problem (problems, 0, MESO_FIELD_INJECTIONS, "Injections");
  assert_problem (problems, 1, MESO_FIELD_PATIENT, "Patient");
}

static void
test_valid_has_none (void)
{
  g_autoptr(MesoSession) session = valid_session ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  g_assert_true (meso_session_list_problems (session, problems));
  g_assert_cmpuint (problems->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session-problems/three-at-once", test_three_problems);
  g_test_add_func ("/session-problems/rules-between-fields", test_rules_between_fields_too);
  g_test_add_func ("/session-problems/known-problem-kept", test_known_problem_kept);
  g_test_add_func ("/session-problems/valid-has-none", test_valid_has_none);

  return g_test_run ();
}
