/* fuzz-rules.c: an aftercare rules file (data/aftercare/rules.ini) read from bytes
 *
 * A file the loader accepts is then used as the app uses it: every rule described and
 * its text taken in each language, the rules a few sessions need chosen and explained,
 * and a sheet drawn with them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-fuzz.h"
#include "meso-rules.h"
#include "meso-sheet.h"

static const char * const languages[] = { MESO_SHEET_LANGUAGES, "de", NULL };

/* Two sessions far apart: one with nothing to warn about, one with every risk. */
static const struct
{
  MesoField   field;
  const char *plain;
  const char *risky;
} values[] = {
  { MESO_FIELD_PATIENT, "Anne Dupont", "José Nuñez" },
  { MESO_FIELD_AREAS, "face", "face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms" },
  { MESO_FIELD_INJECTIONS, "40", "2000" },
  { MESO_FIELD_DURATION, "20", "480" },
  { MESO_FIELD_DATE, "2025-11-03T09:30:00+00:00", "2025-11-04T08:00:00+01:00" },
  { MESO_FIELD_LANGUAGE, "en", "fr" },
  { MESO_FIELD_BLOOD_THINNERS, "no", "yes" },
  { MESO_FIELD_PREGNANT, "no", "yes" },
  { MESO_FIELD_PREGNANCY_OVERRIDE, "no", "yes" },
  { MESO_FIELD_ALLERGIES, "", "nickel" },
  { MESO_FIELD_PRACTITIONER, "Dr Léa Martin", "Dr Léa Martin" },
  { MESO_FIELD_INDICATION, "hair-loss", "other" },
  { MESO_FIELD_TECHNIQUE, "gun", "gun" },
  { MESO_FIELD_PRODUCT, "Vitamin C", "Dutasteride mix" },
  { MESO_FIELD_REACTIONS, "none", "redness,bruising,swelling,bleeding,pain,other" },
  { MESO_FIELD_INSTRUCTIONS, "", "No hat today" },
};

static MesoSession *sessions[2];

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  meso_fuzz_init ();
  for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
    {
      sessions[s] = meso_session_new ();
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        {
          g_autoptr(GError) error = NULL;

          meso_session_set_field_text (sessions[s], values[i].field,
                                       s == 0 ? values[i].plain : values[i].risky, &error);
          g_assert_no_error (error);
        }
    }
  return 0;
}

static void
use_rule (MesoRules      *rules,
          const MesoRule *rule)
{
  meso_rule_get_group (rule);
  meso_rule_get_section (rule);
  meso_rule_get_fact (rule);
  meso_rule_is_safety (rule);
  g_free (meso_rule_describe (rule));
  for (guint l = 0; languages[l] != NULL; l++)
    g_free (meso_rules_get_text (rules, rule, languages[l]));
  for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
    {
      meso_rule_applies (rule, sessions[s]);
      g_free (meso_rule_explain (rule, sessions[s]));
    }
  if (meso_rules_find (rules, meso_rule_get_id (rule)) == NULL)
    g_error ("rule %s is not found by its id", meso_rule_get_id (rule));
}

static void
use_rules (MesoRules *rules)
{
  GPtrArray *all = meso_rules_get_rules (rules);
  const char * const *sections = meso_rules_get_sections (rules);

  for (guint i = 0; i < all->len; i++)
    use_rule (rules, g_ptr_array_index (all, i));
  for (guint l = 0; languages[l] != NULL; l++)
    {
      for (guint i = 0; sections != NULL && sections[i] != NULL; i++)
        g_free (meso_rules_get_section_title (rules, sections[i], languages[l]));
      MESO_AREA_FOREACH (area)
        g_free (meso_rules_get_area_name (rules, area, languages[l]));
      g_free (meso_rules_get_label (rules, "instructions", languages[l]));
      for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
        g_free (meso_rules_format_practitioner (rules, sessions[s], languages[l]));
    }
}

static void
draw_sheets (MesoRules *rules)
{
  for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
    {
      g_autoptr(GPtrArray) chosen = meso_rules_select (rules, sessions[s]);
      g_autoptr(MesoSheet) sheet = meso_sheet_new (sessions[s], rules);
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GError) error = NULL;

      pdf = meso_sheet_render_pdf (sheet, &error);
      if (pdf == NULL)
        g_error ("a sheet drawn with rules the loader accepted failed: %s", error->message);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(MesoRules) rules = meso_rules_new_from_data ((const char *) data, size, NULL);

  if (rules == NULL)
    return 0;
  use_rules (rules);
  draw_sheets (rules);
  return 0;
}
