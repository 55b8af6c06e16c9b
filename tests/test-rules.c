/* test-rules.c: the aftercare rules and their selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-error.h"
#include "meso-field.h"
#include "meso-rules.h"

static MesoRules *
default_rules (void)
{
  g_autoptr(GError) error = NULL;
  MesoRules *rules = meso_rules_new_default (&error);

  g_assert_no_error (error);
  g_assert_nonnull (rules);
  return rules;
}

static MesoSession *
make_session (MesoArea areas,
              guint    injections)
{
  return g_object_new (MESO_TYPE_SESSION,
                       "patient-name", "Ann",
                       "areas", areas,
                       "injections", injections,
                       "duration", 30,
                       NULL);
}

static gboolean
selects (MesoRules   *rules,
         MesoSession *session,
         const char  *rule_id)
{
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);

  for (guint i = 0; i < selected->len; i++)
    if (g_str_equal (meso_rule_get_id (g_ptr_array_index (selected, i)), rule_id))
      return TRUE;
  return FALSE;
}

static void
test_every_rule_complete (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  GPtrArray *all = meso_rules_get_rules (rules);

  g_assert_cmpuint (all->len, >=, 10);
  for (guint i = 0; i < all->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (all, i);
      g_autofree char *text = meso_rules_get_text (rules, rule, "en");
      g_autofree char *lower = g_utf8_strdown (text, -1);

      g_test_message ("rule %s", meso_rule_get_id (rule));
      g_assert_nonnull (meso_rule_get_fact (rule));
      g_assert_cmpstr (meso_rule_get_fact (rule), !=, "");
      g_assert_cmpuint (strlen (text), >, 10);
      /* Our safety rule: a sheet never tells a patient to stop a medicine. */
      g_assert_null (strstr (lower, "stop taking"));
      g_assert_null (strstr (lower, "stop your"));
    }
}

/* Every rule names a fact of data/aftercare/FACTS.md, which says where it comes from. */
static void
test_every_fact_listed (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "aftercare",
                                                 "FACTS.md", NULL);
  g_autofree char *facts = NULL;
  g_autoptr(MesoRules) rules = default_rules ();
  GPtrArray *all = meso_rules_get_rules (rules);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &facts, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (all, i);
      g_autofree char *row = g_strdup_printf ("| `%s` |", meso_rule_get_fact (rule));

      if (strstr (facts, row) == NULL)
        g_error ("rule %s rests on fact “%s”, which FACTS.md does not list",
                 meso_rule_get_id (rule), meso_rule_get_fact (rule));
    }
}

static void
test_sections_in_order (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  const char * const *sections = meso_rules_get_sections (rules);
  GPtrArray *all = meso_rules_get_rules (rules);
  guint last = 0;

  g_assert_cmpstr (sections[0], ==, "first-12-hours");
  g_assert_true (g_strv_contains (sections, "contact"));
  /* Rules come out in section order, so a sheet can print them as they come. */
  for (guint i = 0; i < all->len; i++)
    {
      const char *section = meso_rule_get_section (g_ptr_array_index (all, i));
      guint index = 0;

      while (sections[index] != NULL && !g_str_equal (sections[index], section))
        index++;
      g_assert_nonnull (sections[index]);
      g_assert_cmpuint (index, >=, last);
      last = index;
    }
}

static void
test_area_conditions (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) scalp = make_session (MESO_AREA_SCALP, 100);
  g_autoptr(MesoSession) face = make_session (MESO_AREA_FACE, 100);
  g_autoptr(MesoSession) body = make_session (MESO_AREA_THIGHS | MESO_AREA_ABDOMEN, 100);

  g_assert_true (selects (rules, scalp, "scalp-hair-wash"));
  g_assert_false (selects (rules, face, "scalp-hair-wash"));
  g_assert_false (selects (rules, body, "scalp-hair-wash"));

  g_assert_true (selects (rules, face, "light-make-up"));
  g_assert_false (selects (rules, scalp, "light-make-up"));

  /* The massage is for fat reduction and cellulite, whatever the body area. */
  g_assert_false (selects (rules, body, "body-massage"));
  g_assert_true (meso_session_set_field_text (body, MESO_FIELD_INDICATION, "cellulite", NULL));
  g_assert_true (selects (rules, body, "body-massage"));
  g_assert_false (selects (rules, face, "body-massage"));

  /* Rules with no condition apply to every session. */
  g_assert_true (selects (rules, scalp, "contact-clinic"));
  g_assert_true (selects (rules, body, "contact-clinic"));
}

static void
test_combined_areas_no_repeat (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) session = make_session (MESO_AREA_FACE | MESO_AREA_NECK
                                                 | MESO_AREA_DECOLLETAGE, 100);
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < selected->len; i++)
    g_assert_true (g_hash_table_add (seen, (char *) meso_rule_get_id (g_ptr_array_index (selected, i))));
  g_assert_true (g_hash_table_contains (seen, "light-make-up"));
}

static void
test_min_injections (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) below = make_session (MESO_AREA_FACE, 199);
  g_autoptr(MesoSession) at = make_session (MESO_AREA_FACE, 200);

  g_assert_false (selects (rules, below, "many-injections"));
  g_assert_true (selects (rules, at, "many-injections"));
}

static void
test_labels_fall_back_to_english (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autofree char *en = meso_rules_get_label (rules, "title", "en");
  g_autofree char *unknown = meso_rules_get_label (rules, "title", "xx");
  g_autofree char *area = meso_rules_get_area_name (rules, MESO_AREA_DECOLLETAGE, "xx");

  g_assert_cmpstr (en, ==, "Aftercare after your mesotherapy session");
  g_assert_cmpstr (unknown, ==, en);
  g_assert_cmpstr (area, ==, "Décolleté");
}

static void
test_translation_picked (void)
{
  const char data[] =
    "[Label title]\nText=Aftercare\nText[fr]=Après la séance\n"
    "[Section today]\nText=Today\n"
    "[Rule a]\nSection=today\nFact=f\nText=Rest.\nText[fr]=Reposez-vous.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoRules) rules = meso_rules_new_from_data (data, sizeof data - 1, &error);
  g_autofree char *title_fr = NULL;
  g_autofree char *text_fr = NULL;
  g_autofree char *text_es = NULL;

  g_assert_no_error (error);
  title_fr = meso_rules_get_label (rules, "title", "fr");
  text_fr = meso_rules_get_text (rules, g_ptr_array_index (meso_rules_get_rules (rules), 0), "fr");
  text_es = meso_rules_get_text (rules, g_ptr_array_index (meso_rules_get_rules (rules), 0), "es");
  g_assert_cmpstr (title_fr, ==, "Après la séance");
  g_assert_cmpstr (text_fr, ==, "Reposez-vous.");
  g_assert_cmpstr (text_es, ==, "Rest.");
}

typedef struct
{
  const char *data;
  const char *expected;  /* in the message */
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "[Section s]\nTitle=S\n[Rule a]\nFact=f\nText=T\n", "[Rule a]" },
  { "[Section s]\nTitle=S\n[Rule b]\nSection=s\nText=T\n", "[Rule b]" },
  { "[Section s]\nTitle=S\n[Rule c]\nSection=s\nFact=f\n", "[Rule c]" },
  { "[Section s]\nTitle=S\n[Rule d]\nSection=nowhere\nFact=f\nText=T\n", "nowhere" },
  { "[Section s]\nTitle=S\n[Rule e]\nSection=s\nFact=f\nText=T\nAreas=knee;\n", "knee" },
  { "[Section s]\nTitle=S\n[Rule f]\nSection=s\nFact=f\nText=T\nMinInjections=many\n", "[Rule f]" },
  { "[Section s]\nTitle=S\n[Rule g]\nSection=s\nFact=f\nText=T\nMinInjections=-3\n", "[Rule g]" },
  { "this is not a key file", "Aftercare rules" },
};

static void
test_broken_rules (gconstpointer user_data)
{
  const BrokenCase *c = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoRules) rules = meso_rules_new_from_data (c->data, strlen (c->data), &error);

  g_assert_null (rules);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->expected));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/every-rule-complete", test_every_rule_complete);
  g_test_add_func ("/rules/every-fact-listed", test_every_fact_listed);
  g_test_add_func ("/rules/sections-in-order", test_sections_in_order);
  g_test_add_func ("/rules/area-conditions", test_area_conditions);
  g_test_add_func ("/rules/combined-areas-no-repeat", test_combined_areas_no_repeat);
  g_test_add_func ("/rules/min-injections", test_min_injections);
  g_test_add_func ("/rules/labels-fall-back-to-english", test_labels_fall_back_to_english);
  g_test_add_func ("/rules/translation-picked", test_translation_picked);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rules/broken/%u", i);

      g_test_add_data_func (path, &broken_cases[i], test_broken_rules);
    }

  return g_test_run ();
}
