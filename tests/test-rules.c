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

  /* The clinician's instructions first, when to call for help next (the sheet's contact
   * panel), then time as the patient lives it, from today on. */
  const char * const expected[] = {
    "instructions", "contact", "today", "next-two-days", "following-days", "normal",
    "next-session", NULL
  };

  g_assert_cmpstrv (sections, expected);
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

  /* Diet and exercise plans are for weight loss ([A]): fat reduction, not cellulite. */
  g_assert_false (selects (rules, body, "diet-exercise-plan"));

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


/* ---- Safety lines ---- */

static const char * const safety_ids[] = {
  "contact-clinic", "call-redness-spreads", "call-heat", "call-pus", "call-fever",
  "call-severe-pain", "call-large-bruise", "watch-bleeding", "call-allergy", "emergency",
  "anti-inflammatories", "pregnancy-medicines", "keep-prescribed-medicines",
  "blood-thinners-bruising", "tell-new-medicine",
};

static void
test_safety_lines_marked (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  GPtrArray *all = meso_rules_get_rules (rules);

  for (guint i = 0; i < G_N_ELEMENTS (safety_ids); i++)
    {
      const MesoRule *rule = meso_rules_find (rules, safety_ids[i]);

      g_test_message ("rule %s", safety_ids[i]);
      g_assert_nonnull (rule);
      g_assert_true (meso_rule_is_safety (rule));
    }
  /* Everything said about when to call is a safety line; comfort advice is not. */
  for (guint i = 0; i < all->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (all, i);

      if (g_str_equal (meso_rule_get_section (rule), "contact"))
        g_assert_true (meso_rule_is_safety (rule));
    }
  g_assert_false (meso_rule_is_safety (meso_rules_find (rules, "drink-water")));
  g_assert_false (meso_rule_is_safety (meso_rules_find (rules, "no-heat-48h")));
}

static void
assert_refused (MesoRules       *rules,
                MesoAdjustments *adjustments,
                const char      *rule_id,
                const char      *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *named = g_strdup_printf ("“%s”", rule_id);

  g_assert_false (meso_rules_check_adjustments (rules, adjustments, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  /* The message names the line, by its id and by its words, and says why. */
  g_assert_nonnull (strstr (error->message, named));
  g_assert_nonnull (strstr (error->message, "safety line"));
  g_assert_nonnull (strstr (error->message, what));
}

static void
test_safety_lines_locked (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();
  g_autoptr(GError) error = NULL;

  /* What may change: comfort advice switched off or reworded, lines added, whatever
   * they say. */
  meso_adjustments_set_rule_off (adjustments, "drink-water", TRUE);
  g_assert_true (meso_adjustments_set_text (adjustments, "no-heat-48h", "No sauna this week.",
                                            NULL));
  g_assert_true (meso_adjustments_add_line (adjustments, "Stop your warfarin for 3 days.", NULL));
  g_assert_true (meso_rules_check_adjustments (rules, adjustments, &error));
  g_assert_no_error (error);

  meso_adjustments_set_rule_off (adjustments, "emergency", TRUE);
  assert_refused (rules, adjustments, "emergency", "switched off");
  meso_adjustments_set_rule_off (adjustments, "emergency", FALSE);
  meso_adjustments_set_rule_off (adjustments, "contact-clinic", TRUE);
  assert_refused (rules, adjustments, "contact-clinic", "switched off");
  meso_adjustments_set_rule_off (adjustments, "contact-clinic", FALSE);

  g_assert_true (meso_adjustments_set_text (adjustments, "anti-inflammatories",
                                            "Stop your warfarin for 3 days.", NULL));
  assert_refused (rules, adjustments, "anti-inflammatories", "words cannot be changed");

  /* Adjustments stored before the lines were locked: the safety lines come back as
   * written, everything else stays. */
  meso_adjustments_set_rule_off (adjustments, "emergency", TRUE);
  meso_rules_keep_safety_lines (rules, adjustments);
  g_assert_true (meso_rules_check_adjustments (rules, adjustments, NULL));
  g_assert_false (meso_adjustments_is_rule_off (adjustments, "emergency"));
  g_assert_null (meso_adjustments_get_text (adjustments, "anti-inflammatories"));
  g_assert_true (meso_adjustments_is_rule_off (adjustments, "drink-water"));
  g_assert_cmpstr (meso_adjustments_get_text (adjustments, "no-heat-48h"), ==,
                   "No sauna this week.");
  g_assert_cmpstr (meso_adjustments_get_lines (adjustments)[0], ==,
                   "Stop your warfarin for 3 days.");
}

static void
test_safety_key_parsed (void)
{
  const char data[] =
    "[Section s]\nText=S\n"
    "[Rule locked]\nSection=s\nFact=f\nSafety=true\nText=Call us.\n"
    "[Rule free]\nSection=s\nFact=f\nText=Rest.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoRules) rules = meso_rules_new_from_data (data, sizeof data - 1, &error);

  g_assert_no_error (error);
  g_assert_true (meso_rule_is_safety (meso_rules_find (rules, "locked")));
  g_assert_false (meso_rule_is_safety (meso_rules_find (rules, "free")));
}

/* ---- When to call ---- */

static char *
selected_text (MesoRules   *rules,
               MesoSession *session,
               const char  *language)
{
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < selected->len; i++)
    {
      g_autofree char *words = meso_rules_get_text (rules, g_ptr_array_index (selected, i),
                                                    language);

      g_string_append_printf (text, "%s\n", words);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "After 36 hours" is about getting worse, and about nothing else: every other sign is its
 * own line, to call about at any time, allergic reactions included; the severe ones go to
 * the emergency number, in a line of their own, last. */
static void
test_contact_one_sign_a_line (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) session = make_session (MESO_AREA_FACE, 100);
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);
  const char * const signs[][2] = {
    { "contact-clinic", "36 hours" },
    { "call-redness-spreads", "redness spreads" },
    { "call-heat", "hot" },
    { "call-pus", "pus" },
    { "call-fever", "fever" },
    { "call-severe-pain", "pain is severe" },
    { "call-large-bruise", "large area" },
    { "call-allergy", "hives" },
    { "emergency", "breathe" },
  };
  guint n = 0;

  for (guint i = 0; i < selected->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (selected, i);
      g_autofree char *text = NULL;

      if (!g_str_equal (meso_rule_get_section (rule), "contact"))
        continue;
      text = meso_rules_get_text (rules, rule, "en");
      g_test_message ("%s: %s", meso_rule_get_id (rule), text);
      g_assert_cmpuint (n, <, G_N_ELEMENTS (signs));
      g_assert_cmpstr (meso_rule_get_id (rule), ==, signs[n][0]);
      g_assert_nonnull (strstr (text, signs[n][1]));
      /* Each line one sign: no line names another line's sign. */
      for (guint other = 0; other < G_N_ELEMENTS (signs); other++)
        if (other != n)
          g_assert_null (strstr (text, signs[other][1]));
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (signs));
  {
    g_autofree char *emergency = meso_rules_get_text (rules, meso_rules_find (rules, "emergency"),
                                                      "en");

    g_assert_true (g_str_has_prefix (emergency, "Call the emergency number at once"));
    g_assert_nonnull (strstr (emergency, "lips"));
  }
}

/* ---- Pregnancy ---- */

static void
test_pregnancy (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) pregnant = make_session (MESO_AREA_FACE | MESO_AREA_ABDOMEN, 250);
  g_autoptr(MesoSession) other = make_session (MESO_AREA_FACE | MESO_AREA_ABDOMEN, 250);
  const char * const languages[] = { "en", "fr", "es" };
  /* Words that would put an anti-inflammatory before her as an option. */
  const char * const offers[] = { "anti-inflammat", "antiinflamat", "ibuprofen" };

  g_assert_true (meso_session_set_field_text (pregnant, MESO_FIELD_PREGNANT, "yes", NULL));
  g_assert_true (meso_session_set_field_text (pregnant, MESO_FIELD_BLOOD_THINNERS, "yes", NULL));
  g_assert_true (meso_session_set_field_text (pregnant, MESO_FIELD_INDICATION, "fat-reduction",
                                              NULL));

  g_assert_true (selects (rules, pregnant, "pregnancy-medicines"));
  g_assert_false (selects (rules, pregnant, "anti-inflammatories"));
  g_assert_false (selects (rules, other, "pregnancy-medicines"));
  g_assert_true (selects (rules, other, "anti-inflammatories"));

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autofree char *text = selected_text (rules, pregnant, languages[l]);
      g_autofree char *lower = g_utf8_strdown (text, -1);

      for (guint o = 0; o < G_N_ELEMENTS (offers); o++)
        if (strstr (lower, offers[o]) != NULL)
          g_error ("the %s sheet of a pregnant patient offers “%s”: %s", languages[l], offers[o],
                   text);
    }
  {
    g_autofree char *text = selected_text (rules, pregnant, "en");

    g_assert_nonnull (strstr (text, "ask your midwife, doctor or pharmacist before you take "
                                    "any medicine, painkillers included"));
  }
}

/* ---- Time order ---- */

static const char *
section_of (MesoRules  *rules,
            const char *rule_id)
{
  return meso_rule_get_section (meso_rules_find (rules, rule_id));
}

/* What starts today is under today, even when it goes on for days. */
static void
test_today_first (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  const char * const today[] = {
    "keep-dry-12h", "no-touching", "cold-pack", "body-massage", "sun-protection",
    "anti-inflammatories", "pregnancy-medicines",
  };

  for (guint i = 0; i < G_N_ELEMENTS (today); i++)
    g_assert_cmpstr (section_of (rules, today[i]), ==, "today");
  g_assert_cmpstr (section_of (rules, "no-exercise-48h"), ==, "next-two-days");
  g_assert_cmpstr (section_of (rules, "clinician-first"), ==, "instructions");
  g_assert_cmpstr (meso_rules_get_sections (rules)[0], ==, "instructions");
}

/* ---- No advice said twice ---- */

/* A phrase that carries one piece of advice: found in one line of a sheet at most. */
static const char * const advice_phrases[] = {
  "unless the doctor who prescribed", "thins the blood", "drink plenty of water",
  "direct sunlight", "36 hours after", "sunbathing", "strenuous exercise", "make-up",
  "massage", "anti-inflammatory", "emergency number", "alcohol", "new medicine",
  "fever", "hives", "pus", "larger or last longer", "settle within",
};

/* Every combination that changes a sheet: areas (each, and some together), indications,
 * techniques, flags and reactions. */
static void
for_each_session (void (*check) (MesoRules *, MesoSession *, const char *))
{
  g_autoptr(MesoRules) rules = default_rules ();
  const MesoArea areas[] = {
    MESO_AREA_FACE, MESO_AREA_SCALP, MESO_AREA_NECK, MESO_AREA_DECOLLETAGE, MESO_AREA_ABDOMEN,
    MESO_AREA_FLANKS, MESO_AREA_THIGHS, MESO_AREA_BUTTOCKS, MESO_AREA_ARMS,
    MESO_AREA_FACE | MESO_AREA_NECK | MESO_AREA_DECOLLETAGE, MESO_AREA_SCALP | MESO_AREA_FACE,
    MESO_AREA_ALL,
  };
  const char * const indications[] = {
    "", "hair-loss", "skin-rejuvenation", "fat-reduction", "cellulite", "other"
  };
  const char * const techniques[] = { "", "manual", "gun" };
  const char * const reactions[] = {
    "", "none", "redness", "swelling", "bruising", "bleeding", "pain", "other",
    "redness,swelling,bruising,bleeding,pain,other"
  };
  const char * const flags[] = {
    "", "blood-thinners=yes", "pregnant=yes", "next-session=2026-12-20",
    "session-number=1;series-total=4", "session-number=2;series-total=4",
    "blood-thinners=yes;pregnant=yes;next-session=2026-12-20;session-number=1;series-total=4",
    "blood-thinners=yes;next-session=2026-12-20;session-number=3;series-total=4",
  };
  const guint injections[] = { 20, 250 };

  for (guint a = 0; a < G_N_ELEMENTS (areas); a++)
    for (guint i = 0; i < G_N_ELEMENTS (indications); i++)
      for (guint t = 0; t < G_N_ELEMENTS (techniques); t++)
        for (guint r = 0; r < G_N_ELEMENTS (reactions); r++)
          for (guint f = 0; f < G_N_ELEMENTS (flags); f++)
            for (guint n = 0; n < G_N_ELEMENTS (injections); n++)
              {
                g_autoptr(MesoSession) session = make_session (areas[a], injections[n]);
                g_autofree char *values = g_strdup_printf ("indication=%s;technique=%s;"
                                                           "reactions=%s;%s", indications[i],
                                                           techniques[t], reactions[r], flags[f]);
                g_auto(GStrv) pairs = g_strsplit (values, ";", -1);

                for (guint p = 0; pairs[p] != NULL; p++)
                  {
                    g_auto(GStrv) pair = g_strsplit (pairs[p], "=", 2);

                    if (pair[0] == NULL || pair[1] == NULL || *pair[1] == '\0')
                      continue;
                    g_assert_true (meso_session_set_field_text (session,
                                                                meso_field_from_id (pair[0]),
                                                                pair[1], NULL));
                  }
                check (rules, session, values);
              }
}

static void
check_no_repeat (MesoRules   *rules,
                 MesoSession *session,
                 const char  *values)
{
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint counts[G_N_ELEMENTS (advice_phrases)] = { 0 };

  for (guint i = 0; i < selected->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (selected, i);
      g_autofree char *text = meso_rules_get_text (rules, rule, "en");
      g_autofree char *lower = g_utf8_strdown (text, -1);

      if (!g_hash_table_add (ids, (char *) meso_rule_get_id (rule)))
        g_error ("%s: rule %s twice", values, meso_rule_get_id (rule));
      for (guint p = 0; p < G_N_ELEMENTS (advice_phrases); p++)
        if (strstr (lower, advice_phrases[p]) != NULL && ++counts[p] > 1)
          g_error ("%s: “%s” said twice, the second time by %s", values, advice_phrases[p],
                   meso_rule_get_id (rule));
    }
}

static void
test_no_advice_repeated (void)
{
  for_each_session (check_no_repeat);
}

/* Two rules with the same words in any language would be the same advice twice. */
static void
test_no_two_rules_alike (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  GPtrArray *all = meso_rules_get_rules (rules);
  const char * const languages[] = { "en", "fr", "es" };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; i < all->len; i++)
        {
          char *text = meso_rules_get_text (rules, g_ptr_array_index (all, i), languages[l]);

          if (!g_hash_table_add (texts, text))
            g_error ("%s: two rules say “%s”", languages[l], text);
        }
    }
}

/* ---- Tailoring ---- */

static GStrv
selected_ids (MesoRules  *rules,
              MesoArea    areas,
              const char *indication,
              const char *technique)
{
  g_autoptr(MesoSession) session = make_session (areas, 150);
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INDICATION, indication, NULL));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_TECHNIQUE, technique, NULL));
  selected = meso_rules_select (rules, session);
  for (guint i = 0; i < selected->len; i++)
    g_strv_builder_add (ids, meso_rule_get_id (g_ptr_array_index (selected, i)));
  return g_strv_builder_end (ids);
}

/* Where the facts tell sessions apart, their sheets differ; where they do not (the face
 * and the neck; a gun and the hand), neither do the sheets, as the README says. */
static void
test_tailoring (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_auto(GStrv) abdomen_fat_gun = selected_ids (rules, MESO_AREA_ABDOMEN, "fat-reduction", "gun");
  g_auto(GStrv) thighs_cellulite_manual = selected_ids (rules, MESO_AREA_THIGHS, "cellulite",
                                                        "manual");
  g_auto(GStrv) abdomen_fat_manual = selected_ids (rules, MESO_AREA_ABDOMEN, "fat-reduction",
                                                   "manual");
  g_auto(GStrv) scalp_hair = selected_ids (rules, MESO_AREA_SCALP, "hair-loss", "manual");
  g_auto(GStrv) face_skin = selected_ids (rules, MESO_AREA_FACE, "skin-rejuvenation", "manual");
  g_auto(GStrv) neck_skin = selected_ids (rules, MESO_AREA_NECK, "skin-rejuvenation", "manual");
  g_auto(GStrv) thighs_skin = selected_ids (rules, MESO_AREA_THIGHS, "skin-rejuvenation",
                                            "manual");

  g_assert_false (g_strv_equal ((const char * const *) abdomen_fat_gun,
                                (const char * const *) thighs_cellulite_manual));
  g_assert_true (g_strv_contains ((const char * const *) abdomen_fat_gun, "diet-exercise-plan"));
  g_assert_false (g_strv_contains ((const char * const *) thighs_cellulite_manual,
                                   "diet-exercise-plan"));
  g_assert_true (g_strv_contains ((const char * const *) thighs_cellulite_manual,
                                  "body-massage"));
  g_assert_false (g_strv_equal ((const char * const *) scalp_hair,
                                (const char * const *) face_skin));
  g_assert_true (g_strv_contains ((const char * const *) scalp_hair, "scalp-hair-wash"));
  g_assert_true (g_strv_contains ((const char * const *) scalp_hair, "hair-series"));
  g_assert_false (g_strv_equal ((const char * const *) face_skin,
                                (const char * const *) thighs_skin));
  g_assert_true (g_strv_contains ((const char * const *) face_skin, "light-make-up"));
  g_assert_false (g_strv_contains ((const char * const *) thighs_skin, "sun-protection"));

  g_assert_true (g_strv_equal ((const char * const *) face_skin,
                               (const char * const *) neck_skin));
  g_assert_true (g_strv_equal ((const char * const *) abdomen_fat_gun,
                               (const char * const *) abdomen_fat_manual));
}

/* ---- Series ---- */

static void
test_first_session_of_series (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) first = make_session (MESO_AREA_FACE, 100);
  g_autoptr(MesoSession) second = make_session (MESO_AREA_FACE, 100);

  g_assert_true (meso_session_set_field_text (first, MESO_FIELD_SESSION_NUMBER, "1", NULL));
  g_assert_true (meso_session_set_field_text (first, MESO_FIELD_SERIES_TOTAL, "4", NULL));
  g_assert_true (meso_session_set_field_text (second, MESO_FIELD_SESSION_NUMBER, "2", NULL));
  g_assert_true (meso_session_set_field_text (second, MESO_FIELD_SERIES_TOTAL, "4", NULL));

  g_assert_true (selects (rules, first, "series-first"));
  g_assert_false (selects (rules, first, "series"));
  g_assert_true (selects (rules, second, "series"));
  g_assert_false (selects (rules, second, "series-first"));
  {
    g_autofree char *fr = meso_rules_get_text (rules, meso_rules_find (rules, "series-first"),
                                               "fr");

    g_assert_cmpstr (fr, ==, "Il s’agissait de votre 1re séance sur {series-total}.");
  }
}

/* ---- Words ---- */

typedef struct
{
  const char *name;
  const char *role;
  const char *language;
  const char *expected;
} PractitionerCase;

static const PractitionerCase practitioner_cases[] = {
  { "Tom Baker", "nurse", "en", "Tom Baker, nurse" },
  { "Nurse Tom Baker", "nurse", "en", "Nurse Tom Baker" },
  { "Dr Claire Roux", "physician", "en", "Dr Claire Roux" },
  { "Dr. Claire Roux", "physician", "fr", "Dr. Claire Roux" },
  { "Claire Roux", "physician", "fr", "Claire Roux, médecin" },
  { "Claire Roux", "Physician", "es", "Claire Roux, médico" },
  { "Ana Gil", "nurse", "fr", "Ana Gil, infirmier(ère)" },
  { "Enfermera Ana Gil", "nurse", "es", "Enfermera Ana Gil" },
  { "Ana Gil", "nurse", "es", "Ana Gil, enfermero/a" },
  { "Dr Claire Roux", "dermatologist", "fr", "Dr Claire Roux, dermatologue" },
  /* A role the rules do not know is printed as typed. */
  { "Ana Gil", "aesthetician", "fr", "Ana Gil, aesthetician" },
  { "Ana Gil", "", "fr", "Ana Gil" },
  { "", "nurse", "fr", "" },
};

static void
test_practitioner_words (void)
{
  g_autoptr(MesoRules) rules = default_rules ();

  for (guint i = 0; i < G_N_ELEMENTS (practitioner_cases); i++)
    {
      const PractitionerCase *c = &practitioner_cases[i];
      g_autoptr(MesoSession) session = make_session (MESO_AREA_FACE, 10);
      g_autofree char *words = NULL;

      if (*c->name != '\0')
        g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER, c->name,
                                                    NULL));
      if (*c->role != '\0')
        g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER_ROLE,
                                                    c->role, NULL));
      words = meso_rules_format_practitioner (rules, session, c->language);
      g_assert_cmpstr (words, ==, c->expected);
    }
}

/* The corrections a native reading asked for, kept. */
static void
test_native_words (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  const char * const expected[][3] = {
    { "Label email", "es", "Correo electrónico" },
    { "Area buttocks", "fr", "Fesses" },
    { "Section normal", "es", "Lo que es normal" },
    { "Rule light-make-up", "fr", "maquillage couvrant" },
    { "Rule light-make-up", "es", "maquillaje de alta cobertura" },
    { "Rule watch-bleeding", "es", "se ha observado" },
    { "Rule series", "es", "Esta ha sido" },
    { "Label date-format-first", "fr", "1er {month} {year}" },
  };
  const char * const avoided[][2] = {
    { "es", "especialista" }, { "es", "se observó" }, { "es", "Tuvo " },
    { "fr", "C’était" }, { "fr", "épais" }, { "en", "not concerned" },
    { "en", "washing on them" },
  };
  GPtrArray *all = meso_rules_get_rules (rules);
  g_autofree char *next_two_days = meso_rules_get_section_title (rules, "next-two-days", "fr");
  g_autofree char *following = meso_rules_get_section_title (rules, "following-days", "fr");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *text = meso_rules_translate (rules, expected[i][0], expected[i][1], NULL);

      if (strstr (text, expected[i][2]) == NULL)
        g_error ("[%s] in %s: “%s” wanted, “%s” found", expected[i][0], expected[i][1],
                 expected[i][2], text);
    }
  for (guint i = 0; i < all->len; i++)
    for (guint a = 0; a < G_N_ELEMENTS (avoided); a++)
      {
        g_autofree char *text = meso_rules_get_text (rules, g_ptr_array_index (all, i),
                                                     avoided[a][0]);

        if (strstr (text, avoided[a][1]) != NULL)
          g_error ("%s: “%s” in “%s”", avoided[a][0], avoided[a][1], text);
      }
  /* Two headings that read alike would not tell the patient which is which. */
  g_assert_false (g_str_has_prefix (next_two_days, "Les jours"));
  g_assert_false (g_str_has_prefix (following, "Les jours"));
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
  { "[Section s]\nTitle=S\n[Rule h]\nSection=s\nFact=f\nText=T\nSafety=perhaps\n", "[Rule h]" },
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
  g_test_add_func ("/rules/safety-lines-marked", test_safety_lines_marked);
  g_test_add_func ("/rules/safety-lines-locked", test_safety_lines_locked);
  g_test_add_func ("/rules/safety-key-parsed", test_safety_key_parsed);
  g_test_add_func ("/rules/contact-one-sign-a-line", test_contact_one_sign_a_line);
  g_test_add_func ("/rules/pregnancy", test_pregnancy);
  g_test_add_func ("/rules/today-first", test_today_first);
  g_test_add_func ("/rules/no-advice-repeated", test_no_advice_repeated);
  g_test_add_func ("/rules/no-two-rules-alike", test_no_two_rules_alike);
  g_test_add_func ("/rules/tailoring", test_tailoring);
  g_test_add_func ("/rules/first-session-of-series", test_first_session_of_series);
  g_test_add_func ("/rules/practitioner-words", test_practitioner_words);
  g_test_add_func ("/rules/native-words", test_native_words);
  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/rules/broken/%u", i);

      g_test_add_data_func (path, &broken_cases[i], test_broken_rules);
    }

  return g_test_run ();
}
