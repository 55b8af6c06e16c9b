/* test-sheet.c: the aftercare sheet, read back with poppler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-sheet.h"

static MesoRules *
default_rules (void)
{
  g_autoptr(GError) error = NULL;
  MesoRules *rules = meso_rules_new_default (&error);

  g_assert_no_error (error);
  return rules;
}

static MesoSession *
make_session (const char *patient,
              MesoArea    areas,
              guint       injections,
              guint       duration)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2026-11-20T10:30:00Z", NULL);

  return g_object_new (MESO_TYPE_SESSION,
                       "id", (gint64) 7,
                       "patient-name", patient,
                       "areas", areas,
                       "injections", injections,
                       "duration", duration,
                       "performed-at", when,
                       NULL);
}

static GBytes *
render (MesoSession *session,
        MesoPaper    paper)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autoptr(GError) error = NULL;
  GBytes *pdf;

  meso_sheet_set_clinic_name (sheet, "Clinique du Parc");
  meso_sheet_set_paper (sheet, paper);
  pdf = meso_sheet_render_pdf (sheet, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  return pdf;
}

static PopplerDocument *
open_pdf (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (document);
  return document;
}

/* The text of every page, with line breaks and runs of blanks made single spaces, so a
 * sentence reads the same wherever the layout wrapped it. */
static char *
document_text (PopplerDocument *document)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
      g_object_unref (page);
    }
  return g_regex_replace_literal (blanks, text->str, -1, 0, " ", 0, NULL);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in the sheet: %s", needle, haystack);
}

static void
test_contents (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann Ó'Brien-Zoë", MESO_AREA_SCALP
                                                 | MESO_AREA_NECK, 120, 35);
  g_autoptr(GBytes) pdf = render (session, MESO_PAPER_A4);
  PopplerDocument *document = open_pdf (pdf);
  g_autofree char *text = document_text (document);

  assert_contains (text, "Clinique du Parc");
  assert_contains (text, "Patient: Ann Ó'Brien-Zoë");
  assert_contains (text, "Date: 20 November 2026");
  assert_contains (text, "Areas treated: Scalp, Neck");
  assert_contains (text, "Injections: 120");
  assert_contains (text, "Duration: 35 min");
  /* The instructions this session needs, and none it does not. */
  assert_contains (text, "Today and tonight");
  assert_contains (text, "This includes your hair: wait 12 hours before you wash it.");
  assert_contains (text, "Leave heavy make-up off the treated skin.");
  assert_contains (text, "Call the emergency number at once");
  g_assert_null (strstr (text, "massage"));
  g_object_unref (document);
}

static void
test_rule_absent_when_not_needed (void)
{
  g_autoptr(MesoSession) session = make_session ("Bob", MESO_AREA_THIGHS, 150, 40);
  g_autoptr(GBytes) pdf = NULL;
  PopplerDocument *document = NULL;
  g_autofree char *text = NULL;

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INDICATION, "cellulite", NULL));
  pdf = render (session, MESO_PAPER_A4);
  document = open_pdf (pdf);
  text = document_text (document);

  assert_contains (text, "massage the treated areas");
  g_assert_null (strstr (text, "wash it"));
  g_assert_null (strstr (text, "make-up"));
  g_object_unref (document);
}

static void
test_page_sizes_and_footers (void)
{
  const struct { MesoPaper paper; double width, height; } papers[] = {
    { MESO_PAPER_A4, 595.28, 841.89 },
    { MESO_PAPER_LETTER, 612.0, 792.0 },
  };

  for (guint p = 0; p < G_N_ELEMENTS (papers); p++)
    {
      g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_ALL, 300, 60);
      g_autoptr(GBytes) pdf = render (session, papers[p].paper);
      PopplerDocument *document = open_pdf (pdf);
      int n_pages = poppler_document_get_n_pages (document);

      g_assert_cmpint (n_pages, >=, 1);
      for (int i = 0; i < n_pages; i++)
        {
          PopplerPage *page = poppler_document_get_page (document, i);
          g_autofree char *page_text = poppler_page_get_text (page);
          g_autofree char *footer = g_strdup_printf ("Page %d of %d", i + 1, n_pages);
          double width, height;

          poppler_page_get_size (page, &width, &height);
          g_assert_cmpfloat_with_epsilon (width, papers[p].width, 0.5);
          g_assert_cmpfloat_with_epsilon (height, papers[p].height, 0.5);
          assert_contains (page_text, footer);
          g_object_unref (page);
        }
      g_object_unref (document);
    }
}

static void
test_metadata (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(GBytes) pdf = render (session, MESO_PAPER_A4);
  PopplerDocument *document = open_pdf (pdf);
  g_autofree char *title = poppler_document_get_title (document);
  g_autofree char *author = poppler_document_get_author (document);
  g_autofree char *subject = poppler_document_get_subject (document);
  g_autoptr(GDateTime) created = poppler_document_get_creation_date_time (document);
  g_autoptr(GDateTime) modified = poppler_document_get_modification_date_time (document);
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-11-20T10:30:00Z", NULL);

  g_assert_cmpstr (title, ==, "Aftercare after your mesotherapy session");
  g_assert_cmpstr (author, ==, "Clinique du Parc");
  /* The patient's name is in no metadata (issue 14): indexers and file managers show it. */
  g_assert_cmpstr (subject, ==, "Aftercare after your mesotherapy session");
  g_assert_null (strstr (subject, "Ann"));
  /* The session's time, and no other: not the clock's. */
  g_assert_nonnull (created);
  g_assert_true (g_date_time_equal (created, expected));
  g_assert_null (modified);
  g_object_unref (document);
}

/* Until the wall clock reads a later second than at @after: a PDF's dates count whole
 * seconds, so a clock read from now on cannot write what it wrote before. A wait for the
 * clock itself, a second at most. */
static void
wait_for_next_second (gint64 after)
{
  gint64 now;

  while ((now = g_get_real_time ()) / G_USEC_PER_SEC <= after / G_USEC_PER_SEC)
    g_usleep (G_USEC_PER_SEC - now % G_USEC_PER_SEC);
}

/* A reprint is the same document as the first print, byte for byte: rendered again
 * after the clock has moved on, so that no clock can be in it, anywhere. */
static void
test_reprint_identical (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE | MESO_AREA_ARMS, 10, 10);
  g_autoptr(GBytes) first = render (session, MESO_PAPER_A4);
  g_autoptr(GBytes) second = NULL;

  wait_for_next_second (g_get_real_time ());
  second = render (session, MESO_PAPER_A4);
  g_assert_true (g_bytes_equal (first, second));
}

static void
test_write_pdf (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autofree char *dir = g_dir_make_tmp ("mesocare-sheet-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sheet.pdf", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "sheet.pdf", NULL);
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_true (meso_sheet_write_pdf (sheet, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  g_assert_false (meso_sheet_write_pdf (sheet, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, bad));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  g_unlink (path);
  g_rmdir (dir);
}

/* ---- Every rule: one session whose sheet has it, one whose sheet has not ---- */

typedef struct
{
  const char *rule;
  const char *with;     /* "field=value;..." that bring the rule in */
  const char *without;  /* values that keep it out; NULL: the rule applies to every
                         * session, so it is kept out by switching it off */
} RuleCase;

static const RuleCase rule_cases[] = {
  { "clinician-first", "", NULL },
  { "contact-clinic", "", NULL },
  { "call-redness-spreads", "", NULL },
  { "call-heat", "", NULL },
  { "call-pus", "", NULL },
  { "call-fever", "", NULL },
  { "call-severe-pain", "", NULL },
  { "call-large-bruise", "", NULL },
  { "watch-bleeding", "reactions=bleeding", "reactions=redness" },
  { "call-allergy", "", NULL },
  { "emergency", "", NULL },
  { "keep-dry-12h", "", NULL },
  { "scalp-hair-wash", "area=scalp", "area=face" },
  { "no-touching", "", NULL },
  { "cold-pack", "", NULL },
  { "drink-water", "", NULL },
  { "body-massage", "indication=cellulite", "indication=hair-loss" },
  { "sun-protection", "area=arms", "area=thighs" },
  { "scalp-sun", "area=scalp", "area=face" },
  { "anti-inflammatories", "pregnant=no", "pregnant=yes" },
  { "pregnancy-medicines", "pregnant=yes", "pregnant=no" },
  { "keep-prescribed-medicines", "", NULL },
  { "no-heat-48h", "", NULL },
  { "no-exercise-48h", "", NULL },
  { "light-make-up", "area=face", "area=scalp" },
  { "diet-exercise-plan", "indication=fat-reduction", "indication=cellulite" },
  { "hair-series", "indication=hair-loss", "indication=cellulite" },
  { "other-treatments", "", NULL },
  { "normal-reactions", "", NULL },
  { "many-injections", "injections=200", "injections=199" },
  { "normal-bruising", "", NULL },
  { "blood-thinners-bruising", "blood-thinners=yes", "blood-thinners=no" },
  { "normal-soreness", "", NULL },
  { "next-session-date", "next-session=2026-12-20", "" },
  { "series-first", "session-number=1;series-total=6", "session-number=2;series-total=6" },
  { "series", "session-number=2;series-total=6", "session-number=1;series-total=6" },
  { "before-next-session", "next-session=2026-12-20", "" },
  { "tell-new-medicine", "next-session=2026-12-20", "" },
};

static MesoSession *
session_with (const char *values)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_THIGHS, 100, 30);
  g_auto(GStrv) pairs = g_strsplit (values, ";", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "=", 2);
      g_autoptr(GError) error = NULL;

      if (*pairs[i] == '\0')
        continue;
      g_assert_true (meso_session_set_field_text (session, meso_field_from_id (pair[0]),
                                                  pair[1], &error));
      g_assert_no_error (error);
    }
  return g_steal_pointer (&session);
}

static char *
sheet_text (MesoSession     *session,
            MesoAdjustments *adjustments,
            const char      *language)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autoptr(GBytes) pdf = NULL;
  PopplerDocument *document;
  char *text;

  meso_sheet_set_adjustments (sheet, adjustments);
  if (language != NULL)
    meso_sheet_set_language (sheet, language);
  pdf = meso_sheet_render_pdf (sheet, NULL);
  g_assert_nonnull (pdf);
  document = open_pdf (pdf);
  text = document_text (document);
  g_object_unref (document);
  return text;
}

/* The rule's words as printed, up to its first placeholder, blanks made single. */
static char *
printed_words (const MesoRule *rule,
               const char     *language)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autofree char *text = meso_rules_get_text (rules, rule, language);
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);
  char *brace = strchr (text, '{');

  if (brace != NULL)
    *brace = '\0';
  return g_regex_replace_literal (blanks, g_strstrip (text), -1, 0, " ", 0, NULL);
}

static void
test_rule_in_and_out (gconstpointer data)
{
  const RuleCase *c = data;
  g_autoptr(MesoRules) rules = default_rules ();
  const MesoRule *rule = meso_rules_find (rules, c->rule);
  g_autoptr(MesoSession) with = NULL;
  g_autoptr(MesoSession) without = NULL;
  g_autoptr(MesoAdjustments) off = meso_adjustments_new ();
  g_autofree char *words = NULL;
  g_autofree char *text_with = NULL;
  g_autofree char *text_without = NULL;

  g_assert_nonnull (rule);
  words = printed_words (rule, "en");
  with = session_with (c->with);
  text_with = sheet_text (with, NULL, NULL);
  if (strstr (text_with, words) == NULL)
    g_error ("“%s” is not on the sheet of a session with %s", words, c->with);

  if (c->without != NULL)
    without = session_with (c->without);
  else
    {
      without = g_object_ref (with);
      meso_adjustments_set_rule_off (off, c->rule, TRUE);
      if (meso_rule_is_safety (rule))
        g_assert_true (meso_adjustments_set_text (off, c->rule, "Stop your warfarin.", NULL));
    }
  text_without = sheet_text (without, off, NULL);
  /* A safety line switched off or reworded by adjustments stored before it was locked:
   * the sheet still prints it, as written. */
  if (c->without == NULL && meso_rule_is_safety (rule))
    {
      if (strstr (text_without, words) == NULL || strstr (text_without, "warfarin") != NULL)
        g_error ("the safety line “%s” was switched off or reworded", words);
      return;
    }
  if (strstr (text_without, words) != NULL)
    g_error ("“%s” is on the sheet of a session with %s", words,
             c->without != NULL ? c->without : "the rule switched off");
}

/* A rule added to the file without a case here fails: every rule is tested both ways. */
static void
test_every_rule_has_a_case (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  GPtrArray *all = meso_rules_get_rules (rules);

  g_assert_cmpuint (all->len, ==, G_N_ELEMENTS (rule_cases));
  for (guint i = 0; i < all->len; i++)
    {
      const char *id = meso_rule_get_id (g_ptr_array_index (all, i));
      gboolean found = FALSE;

      for (guint c = 0; c < G_N_ELEMENTS (rule_cases); c++)
        found |= g_str_equal (rule_cases[c].rule, id);
      if (!found)
        g_error ("rule %s has no case in rule_cases[]", id);
    }
}


/* Dates in words as each language writes them, the first of the month included; the
 * practitioner's role in the sheet's language, and not after a title that says it. */
static void
test_dates_and_roles (void)
{
  const char * const cases[][3] = {
    { "en", "Your next session is planned for 1 January 2027.", "Claire Roux, physician" },
    { "fr", "Votre prochaine séance est prévue le 1er janvier 2027.", "Claire Roux, médecin" },
    { "es", "Su próxima sesión está prevista para el 1 de enero de 2027.",
      "Claire Roux, médico" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MesoSession) session = session_with ("next-session=2027-01-01;"
                                                     "practitioner=Claire Roux;"
                                                     "practitioner-role=physician");
      g_autoptr(MesoSession) nurse = session_with ("practitioner=Nurse Tom Baker;"
                                                   "practitioner-role=nurse");
      g_autofree char *text = sheet_text (session, NULL, cases[i][0]);
      g_autofree char *nurse_text = sheet_text (nurse, NULL, cases[i][0]);

      assert_contains (text, cases[i][1]);
      assert_contains (text, cases[i][2]);
      /* 20 November, the session's own date: not the first, so no "er". */
      g_assert_null (strstr (text, "20er"));
      assert_contains (nurse_text, "Nurse Tom Baker");
      g_assert_null (strstr (nurse_text, "Nurse Tom Baker,"));
    }
}

/* ---- Languages ---- */

static MesoSession *
everything_session (void)
{
  return session_with ("area=face,scalp,abdomen;indication=fat-reduction;technique=gun;"
                       "blood-thinners=yes;reactions=redness,bleeding,pain;injections=250;"
                       "next-session=2026-12-20;session-number=2;series-total=6;"
                       "product=Cocktail;lot=L-1;practitioner=Dr Roux");
}

/* Every sentence of the rules file that has a translation different from its English
 * must not appear in English on a sheet in that language. */
static void
test_language_complete (gconstpointer data)
{
  const char *language = data;
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) session = everything_session ();
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autofree char *text = NULL;
  g_auto(GStrv) untranslated = NULL;
  const char * const *sections = meso_rules_get_sections (rules);
  GPtrArray *all = meso_rules_get_rules (rules);
  guint headings = 0;

  meso_sheet_set_language (sheet, language);
  untranslated = meso_sheet_list_untranslated (sheet);
  if (untranslated[0] != NULL)
    g_error ("%u strings have no “%s” translation, the first %s", g_strv_length (untranslated),
             language, untranslated[0]);
  text = sheet_text (session, NULL, language);

  for (guint i = 0; sections[i] != NULL; i++)
    {
      g_autofree char *title = meso_rules_get_section_title (rules, sections[i], language);

      if (strstr (text, title) != NULL)
        headings++;
    }
  g_assert_cmpuint (headings, >=, 6);

  for (guint i = 0; i < all->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (all, i);
      g_autofree char *english = printed_words (rule, "en");
      g_autofree char *translated = printed_words (rule, language);

      if (!g_str_equal (english, translated) && strstr (text, english) != NULL)
        g_error ("English left on the “%s” sheet: %s", language, english);
    }
  g_assert_null (strstr (text, "Today and tonight"));
  g_assert_null (strstr (text, "Page 1 of"));
  g_assert_null (strstr (text, "November"));
}

/* A string missing in a language falls back to English, for that string alone, and the
 * sheet says which. */
static void
test_language_fallback (void)
{
  const char data[] =
    "[Label title]\nText=Aftercare\nText[fr]=Soins après la séance\n"
    "[Label page]\nText=Page {page} of {pages}\nText[fr]=Page {page} sur {pages}\n"
    "[Section today]\nText=Today\nText[fr]=Aujourd’hui\n"
    "[Rule a]\nSection=today\nFact=f\nText=Rest today.\nText[fr]=Reposez-vous aujourd’hui.\n"
    "[Rule b]\nSection=today\nFact=f\nText=Drink some water.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoRules) rules = meso_rules_new_from_data (data, sizeof data - 1, &error);
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_auto(GStrv) untranslated = NULL;
  g_autofree char *text = NULL;
  PopplerDocument *document;

  g_assert_no_error (error);
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_language (sheet, "fr");
  untranslated = meso_sheet_list_untranslated (sheet);
  g_assert_true (g_strv_contains ((const char * const *) untranslated, "Rule b"));
  g_assert_false (g_strv_contains ((const char * const *) untranslated, "Rule a"));

  pdf = meso_sheet_render_pdf (sheet, NULL);
  document = open_pdf (pdf);
  text = document_text (document);
  g_object_unref (document);
  assert_contains (text, "Soins après la séance");
  assert_contains (text, "Reposez-vous aujourd’hui.");
  assert_contains (text, "Drink some water.");
  assert_contains (text, "Page 1 sur 1");
}

/* ---- Long sheets ---- */

static void
test_three_pages (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 100, 30);
  g_autoptr(GString) instructions = g_string_new (NULL);
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  PopplerDocument *document;
  int n_pages;

  for (guint i = 1; i <= 70; i++)
    g_string_append_printf (instructions, "%sInstruction %u.", i > 1 ? "\n" : "",
                            i);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INSTRUCTIONS, instructions->str,
                                              NULL));
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_paper (sheet, MESO_PAPER_A4);
  pdf = meso_sheet_render_pdf (sheet, NULL);
  document = open_pdf (pdf);
  n_pages = poppler_document_get_n_pages (document);
  text = document_text (document);
  g_assert_cmpint (n_pages, >=, 3);

  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);
      g_autofree char *footer = g_strdup_printf ("Page %d of %d", i + 1, n_pages);

      assert_contains (page_text, footer);
      g_object_unref (page);
    }
  /* Every line once: "number 1 " must not also match "number 10". */
  for (guint i = 1; i <= 70; i++)
    {
      g_autofree char *line = g_strdup_printf ("Instruction %u.", i);
      const char *first = strstr (text, line);

      g_assert_nonnull (first);
      g_assert_null (strstr (first + 1, line));
    }
  g_object_unref (document);
}

/* Nothing is drawn in the margins: each page rendered, every pixel within 18 mm of an
 * edge (less a hair for anti-aliasing) is white. */
static void
test_margins_blank (gconstpointer data)
{
  MesoPaper paper = GPOINTER_TO_INT (data);
  g_autoptr(MesoSession) session = everything_session ();
  g_autoptr(GBytes) pdf = NULL;
  PopplerDocument *document;
  const double scale = 2.0;
  const int margin = (int) ((15.0 / 25.4 * 72.0 - 1.0) * scale);

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INSTRUCTIONS,
                                              "A long line of instructions that goes on and on "
                                              "to the right edge of the printable area and wraps",
                                              NULL));
  pdf = render (session, paper);
  document = open_pdf (pdf);
  for (int p = 0; p < poppler_document_get_n_pages (document); p++)
    {
      PopplerPage *page = poppler_document_get_page (document, p);
      double width, height;
      cairo_surface_t *surface;
      cairo_t *cr;
      int w, h, stride;
      guint32 *pixels;

      poppler_page_get_size (page, &width, &height);
      w = (int) (width * scale);
      h = (int) (height * scale);
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
      cr = cairo_create (surface);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, scale, scale);
      poppler_page_render (page, cr);
      cairo_destroy (cr);
      cairo_surface_flush (surface);

      pixels = (guint32 *) cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface) / 4;
      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          if ((x < margin || x >= w - margin || y < margin || y >= h - margin)
              && (pixels[y * stride + x] & 0xffffff) != 0xffffff)
            g_error ("page %d: ink in the margin at %d,%d (pt)", p + 1, (int) (x / scale),
                     (int) (y / scale));
      cairo_surface_destroy (surface);
      g_object_unref (page);
    }
  g_object_unref (document);
}

static void
test_adjusted_reprint_identical (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 100, 30);
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autofree char *text = NULL;

  meso_adjustments_set_rule_off (adjustments, "drink-water", TRUE);
  g_assert_true (meso_adjustments_set_text (adjustments, "no-heat-48h",
                                            "No sauna or hot bath for a whole week.", NULL));
  g_assert_true (meso_adjustments_add_line (adjustments, "Come back on Friday for a check.",
                                            NULL));

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);

      meso_sheet_set_adjustments (sheet, adjustments);
      meso_sheet_set_paper (sheet, MESO_PAPER_A4);
      if (round == 0)
        first = meso_sheet_render_pdf (sheet, NULL);
      else
        second = meso_sheet_render_pdf (sheet, NULL);
    }
  g_assert_true (g_bytes_equal (first, second));

  text = sheet_text (session, adjustments, NULL);
  g_assert_null (strstr (text, "Drink plenty of water."));
  g_assert_null (strstr (text, "Stay away from sunbathing"));
  assert_contains (text, "No sauna or hot bath for a whole week.");
  assert_contains (text, "Come back on Friday for a check.");
}

static char *
write_logo (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("mesocare-logo-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  if (g_str_has_suffix (name, ".svg"))
    g_assert_true (g_file_set_contents (path, "<svg xmlns='http://www.w3.org/2000/svg' "
                                        "width='200' height='100'><rect width='200' height='100'"
                                        " fill='#1c71d8'/></svg>", -1, NULL));
  else
    {
      cairo_surface_t *png = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 100);
      cairo_t *cr = cairo_create (png);

      cairo_set_source_rgb (cr, 0.1, 0.4, 0.8);
      cairo_paint (cr);
      cairo_destroy (cr);
      g_assert_cmpint (cairo_surface_write_to_png (png, path), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_destroy (png);
    }
  return path;
}

static MesoClinic *
make_clinic (const char *logo)
{
  MesoClinic *clinic = meso_clinic_new ();
  g_autoptr(GError) error = NULL;

  meso_clinic_set_name (clinic, "Clinique du Parc");
  meso_clinic_set_address (clinic, "12 rue des Lilas\n75011 Paris");
  meso_clinic_set_phone (clinic, "+33 1 23 45 67 89");
  meso_clinic_set_email (clinic, "accueil@parc.example");
  g_assert_true (meso_clinic_set_logo_from_file (clinic, logo, &error));
  g_assert_no_error (error);
  return clinic;
}

/* The same details, logo included, make the same sheet, byte for byte. */
static void
test_clinic_reprint_identical (gconstpointer data)
{
  g_autofree char *logo = write_logo (data);
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoClinic) clinic = make_clinic (logo);
  g_autoptr(MesoClinic) again = meso_clinic_copy (clinic);
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autoptr(MesoSheet) reprint = meso_sheet_new (session, rules);
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;

  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_paper (sheet, MESO_PAPER_A4);
  first = meso_sheet_render_pdf (sheet, NULL);
  wait_for_next_second (g_get_real_time ());
  meso_sheet_set_clinic (reprint, again);
  meso_sheet_set_paper (reprint, MESO_PAPER_A4);
  second = meso_sheet_render_pdf (reprint, NULL);
  g_assert_true (g_bytes_equal (first, second));
  g_unlink (logo);
}

/* The logo is drawn at the top right, inside the margins; the clinic's details print. */
static void
test_clinic_header (gconstpointer data)
{
  g_autofree char *logo = write_logo (data);
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autoptr(MesoClinic) clinic = make_clinic (logo);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint32 *pixels;
  int stride;

  meso_sheet_set_clinic (sheet, clinic);
  /* The sheet draws the image it was given: the file may go. */
  g_assert_cmpint (g_unlink (logo), ==, 0);
  meso_sheet_set_paper (sheet, MESO_PAPER_A4);
  pdf = meso_sheet_render_pdf (sheet, NULL);
  document = open_pdf (pdf);
  text = document_text (document);
  assert_contains (text, "12 rue des Lilas, 75011 Paris");
  assert_contains (text, "+33 1 23 45 67 89");
  assert_contains (text, "accueil@parc.example");
  /* The phone is given where the patient is told when to call. */
  assert_contains (text, "The clinic: Clinique du Parc, phone +33 1 23 45 67 89.");

  page = poppler_document_get_page (document, 0);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 596, 842);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = (guint32 *) cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface) / 4;
  /* A point well inside the logo's box: 18 mm from the top and right edges, plus some. */
  g_assert_cmphex (pixels[70 * stride + 520] & 0xffffff, !=, 0xffffff);
  cairo_surface_destroy (surface);
  g_object_unref (page);
  g_object_unref (document);
}

/* The app shows the advice with its placeholders filled in as the sheet prints them:
 * the session's numbers, and dates in the sheet's language. */
static void
test_fill_text (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) session = make_session ("Ann Smith", MESO_AREA_FACE, 80, 30);
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *series = NULL;
  g_autofree char *next = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *french = NULL;

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_SESSION_NUMBER, "3", &error));
  g_assert_no_error (error);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_SERIES_TOTAL, "6", &error));
  g_assert_no_error (error);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_NEXT_SESSION, "2026-12-18",
                                              &error));
  g_assert_no_error (error);
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_language (sheet, "en");

  series = meso_sheet_fill_text (sheet, "This was session {session-number} of {series-total}.");
  g_assert_cmpstr (series, ==, "This was session 3 of 6.");
  next = meso_sheet_fill_text (sheet, "Your next session is planned for {next-session}.");
  g_assert_cmpstr (next, ==, "Your next session is planned for 18 December 2026.");
  plain = meso_sheet_fill_text (sheet, "Drink plenty of water.");
  g_assert_cmpstr (plain, ==, "Drink plenty of water.");

  meso_sheet_set_language (sheet, "fr");
  french = meso_sheet_fill_text (sheet, "Prochaine séance : {next-session}.");
  g_assert_cmpstr (french, ==, "Prochaine séance : 18 décembre 2026.");
}

/* ---- The contact panel ---- */

static char *
page_texts (GBytes *pdf)
{
  PopplerDocument *document = open_pdf (pdf);
  g_autoptr(GString) text = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Each occurrence of @start begins the whole of @whole, on one line. */
static void
assert_unbroken (const char *text,
                 const char *start,
                 const char *whole,
                 const char *name)
{
  for (const char *p = strstr (text, start); p != NULL; p = strstr (p + 1, start))
    if (!g_str_has_prefix (p, whole))
      g_error ("with the clinic named “%s”, “%s” is broken: “%.50s”", name, whole, p);
}

/* Whatever the length of the clinic's name, which moves the phone along the panel's line
 * and the email along the header's, neither is ever broken across lines. */
static void
test_contact_unbroken (void)
{
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(GString) name = g_string_new ("Clinique");

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
      g_autoptr(MesoClinic) clinic = meso_clinic_new ();
      g_autoptr(GBytes) pdf = NULL;
      g_autofree char *text = NULL;

      g_string_append (name, i % 5 == 0 ? " L" : "u");
      meso_clinic_set_name (clinic, name->str);
      meso_clinic_set_address (clinic, name->str);
      meso_clinic_set_phone (clinic, "+33 1 23 45 67 89");
      meso_clinic_set_email (clinic, "accueil@clinique-lumen-saisons.example");
      meso_sheet_set_clinic (sheet, clinic);
      meso_sheet_set_paper (sheet, MESO_PAPER_A4);
      pdf = meso_sheet_render_pdf (sheet, NULL);
      text = page_texts (pdf);
      assert_unbroken (text, "+33", "+33 1 23 45 67 89", name->str);
      assert_unbroken (text, "accueil@", "accueil@clinique-lumen-saisons.example", name->str);
    }
}

/* The text of each page, blanks made single. */
static GPtrArray *
split_pages (GBytes *pdf)
{
  PopplerDocument *document = open_pdf (pdf);
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_ptr_array_add (pages, g_regex_replace_literal (blanks, page_text, -1, 0, " ", 0, NULL));
      g_object_unref (page);
    }
  g_object_unref (document);
  return pages;
}

static GBytes *
render_with_instructions (const char *instructions)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE | MESO_AREA_NECK, 100,
                                                 30);

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INSTRUCTIONS, instructions,
                                              NULL));
  return render (session, MESO_PAPER_A4);
}

/* The clinician's instructions come right after the summary, under a heading that says
 * they come first, before the contact panel and every other section. */
static void
test_instructions_first (void)
{
  g_autoptr(GBytes) pdf = render_with_instructions ("Wait 24 hours before washing your hair.");
  g_autoptr(GPtrArray) pages = split_pages (pdf);
  const char *first = g_ptr_array_index (pages, 0);
  const char *summary = strstr (first, "Injections");
  const char *heading = strstr (first, "Your clinician’s instructions come first");
  const char *words = strstr (first, "Wait 24 hours before washing your hair.");
  const char *panel = strstr (first, "When to call for help");
  const char *today = strstr (first, "Today and tonight");

  g_test_message ("%s", first);
  g_assert_nonnull (summary);
  g_assert_nonnull (heading);
  g_assert_nonnull (words);
  g_assert_nonnull (panel);
  g_assert_true (summary < heading);
  g_assert_true (heading < words);
  g_assert_true (words < panel);
  g_assert_true (today == NULL || panel < today);
}

#define LONG_INSTRUCTION \
  "Long instruction %u: keep the dressing on the treated area until tomorrow morning, then " \
  "take it off gently with clean hands, rinse the skin with cool water only, pat it dry " \
  "with a clean towel without rubbing, leave it uncovered for the rest of the day, and " \
  "call us at once if the dressing sticks to the skin, if the skin under it is red, warm " \
  "or swollen, or if anything about it worries you in any way at all, day or night."

/* Long instructions, each several lines, shifted down a line at a time by short ones
 * before them: wherever the page ends, each is printed whole on one page. */
static void
test_bullets_never_split (void)
{
  for (guint shift = 0; shift < 40; shift += 2)
    {
      g_autoptr(GString) instructions = g_string_new (NULL);
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GPtrArray) pages = NULL;

      for (guint i = 0; i < shift; i++)
        g_string_append_printf (instructions, "S%u.\n", i);
      for (guint i = 0; i < 3; i++)
        g_string_append_printf (instructions, LONG_INSTRUCTION "\n", i);
      pdf = render_with_instructions (instructions->str);
      pages = split_pages (pdf);
      for (guint i = 0; i < 3; i++)
        {
          g_autofree char *line = g_strdup_printf (LONG_INSTRUCTION, i);
          gboolean found = FALSE;

          for (guint p = 0; p < pages->len && !found; p++)
            found = strstr (g_ptr_array_index (pages, p), line) != NULL;
          if (!found)
            g_error ("shifted by %u lines, instruction %u is split across pages", shift, i);
        }
    }
}

/* However long the sheet runs, its last page never holds only a heading and a line or
 * two: the spaces are drawn tighter to take them back onto the page before. The
 * clinician's instructions, a line at a time, move the end of the sheet down the page. */
static void
test_no_near_empty_last_page (void)
{
  for (guint n = 0; n < 60; n++)
    {
      g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE | MESO_AREA_SCALP,
                                                     250, 30);
      g_autoptr(GString) instructions = g_string_new ("Rest.");
      g_autoptr(GBytes) pdf = NULL;
      PopplerDocument *document;
      int n_pages;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (instructions, "\nStep %u.", i);
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INSTRUCTIONS,
                                                  instructions->str, NULL));
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_BLOOD_THINNERS, "yes",
                                                  NULL));
      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_NEXT_SESSION,
                                                  "2026-12-20", NULL));
      pdf = render (session, MESO_PAPER_A4);
      document = open_pdf (pdf);
      n_pages = poppler_document_get_n_pages (document);
      if (n_pages > 1)
        {
          PopplerPage *page = poppler_document_get_page (document, n_pages - 1);
          g_autofree char *text = poppler_page_get_text (page);
          g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
          guint body = 0;

          /* The footer's line or lines name the patient. */
          for (guint i = 0; lines[i] != NULL; i++)
            body += *g_strstrip (lines[i]) != '\0' && strstr (lines[i], "Page ") == NULL
                    && strstr (lines[i], "Ann") == NULL;
          g_test_message ("%u steps: %d pages, %u lines on the last", n, n_pages, body);
          /* Near-empty: less than about a sixth of a page, six lines of body text. */
          if (body < 6)
            g_error ("with %u steps, the last page holds only: %s", n, text);
          g_object_unref (page);
        }
      g_object_unref (document);
    }
}

/* The clinic's own emergency number, or else its country's, read from the locale. */
static void
test_emergency_number (void)
{
  static const struct { const char *country; const char *number; } defaults[] = {
    { "US", "911" }, { "CA", "911" }, { "GB", "999" }, { "FR", "15" }, { "ES", "112" },
    { "DE", "112" }, { "IT", "112" }, { "AU", "000" },
  };
  g_autoptr(MesoRules) rules = default_rules ();
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("LC_ALL"));

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    g_assert_cmpstr (meso_clinic_default_emergency_number (defaults[i].country), ==,
                     defaults[i].number);

  /* None set: the locale's country's. */
  g_setenv ("LC_ALL", "en_GB.UTF-8", TRUE);
  g_assert_cmpstr (meso_clinic_get_emergency_number_or_default (clinic), ==, "999");
  sheet = meso_sheet_new (session, rules);
  meso_sheet_set_clinic (sheet, clinic);
  pdf = meso_sheet_render_pdf (sheet, NULL);
  text = page_texts (pdf);
  assert_contains (text, "Emergency: call 999");
  if (saved != NULL)
    g_setenv ("LC_ALL", saved, TRUE);
  else
    g_unsetenv ("LC_ALL");

  /* Set: the clinic's. */
  meso_clinic_set_emergency_number (clinic, "112");
  g_assert_true (meso_clinic_validate (clinic, MESO_CLINIC_ALL, NULL));
  meso_sheet_set_clinic (sheet, clinic);
  g_clear_pointer (&pdf, g_bytes_unref);
  g_clear_pointer (&text, g_free);
  pdf = meso_sheet_render_pdf (sheet, NULL);
  text = page_texts (pdf);
  assert_contains (text, "Emergency: call 112");
  g_assert_null (strstr (text, "999"));

  meso_clinic_set_emergency_number (clinic, "dial 112");
  g_assert_false (meso_clinic_validate (clinic, MESO_CLINIC_EMERGENCY_NUMBER, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sheet/contents", test_contents);
  g_test_add_func ("/sheet/rule-absent-when-not-needed", test_rule_absent_when_not_needed);
  g_test_add_func ("/sheet/page-sizes-and-footers", test_page_sizes_and_footers);
  g_test_add_func ("/sheet/metadata", test_metadata);
  g_test_add_func ("/sheet/reprint-identical", test_reprint_identical);
  g_test_add_func ("/sheet/write-pdf", test_write_pdf);
  g_test_add_func ("/sheet/every-rule-has-a-case", test_every_rule_has_a_case);
  g_test_add_func ("/sheet/fill-text", test_fill_text);
  g_test_add_func ("/sheet/dates-and-roles", test_dates_and_roles);
  for (guint i = 0; i < G_N_ELEMENTS (rule_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sheet/rule/%s", rule_cases[i].rule);

      g_test_add_data_func (path, &rule_cases[i], test_rule_in_and_out);
    }
  g_test_add_data_func ("/sheet/language/fr", "fr", test_language_complete);
  g_test_add_data_func ("/sheet/language/es", "es", test_language_complete);
  g_test_add_func ("/sheet/language/fallback", test_language_fallback);
  g_test_add_func ("/sheet/three-pages", test_three_pages);
  g_test_add_data_func ("/sheet/margins-blank/a4", GINT_TO_POINTER (MESO_PAPER_A4),
                        test_margins_blank);
  g_test_add_data_func ("/sheet/margins-blank/letter", GINT_TO_POINTER (MESO_PAPER_LETTER),
                        test_margins_blank);
  g_test_add_func ("/sheet/adjusted-reprint-identical", test_adjusted_reprint_identical);
  g_test_add_data_func ("/sheet/clinic-header/png", "logo.png", test_clinic_header);
  g_test_add_data_func ("/sheet/clinic-header/svg", "logo.svg", test_clinic_header);
  g_test_add_data_func ("/sheet/clinic-reprint-identical/png", "logo.png",
                        test_clinic_reprint_identical);
  g_test_add_data_func ("/sheet/clinic-reprint-identical/svg", "logo.svg",
                        test_clinic_reprint_identical);

  g_test_add_func ("/sheet/contact-unbroken", test_contact_unbroken);
  g_test_add_func ("/sheet/instructions-first", test_instructions_first);
  g_test_add_func ("/sheet/bullets-never-split", test_bullets_never_split);
  g_test_add_func ("/sheet/no-near-empty-last-page", test_no_near_empty_last_page);
  g_test_add_func ("/sheet/emergency-number", test_emergency_number);

  return g_test_run ();
}
