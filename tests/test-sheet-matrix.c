/* test-sheet-matrix.c: the sheet's layout over sessions of every kind, in every language,
 * on both papers, read back with poppler as a reader would find it on paper
 *
 * Every area, indication, technique, flag and reaction appears in at least one session;
 * each session is drawn in English, French and Spanish, on A4 and US Letter. What is
 * checked on each sheet: the clinic's phone and email never broken across lines; the
 * footer (phone, patient, date, "Page N of M") on every page; no heading without text
 * under it; every piece of advice whole on one page; body text at 12 pt or more; a title
 * whose last line is not a lone word; no last page holding only a line or two; and, for the
 * typical sessions of one or two areas, two pages at most.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <poppler.h>
#include <string.h>

#include "meso-field.h"
#include "meso-sheet.h"

#define PHONE      "+33 1 23 45 67 89"
#define EMAIL      "accueil@clinique-lumen-saisons.example"
#define EMERGENCY  "15"
#define PATIENT    "Ann Lee-Marchetti"
#define MM         (72.0 / 25.4)
/* Where the footer starts, from the page's foot: the sheet's margin and footer. */
#define FOOTER_ZONE (15.0 * MM + 24.0)

typedef struct
{
  const char *name;
  const char *values;   /* "field=value;..." */
  gboolean    typical;  /* one or two areas, no long instructions: two pages at most */
} MatrixSession;

static const MatrixSession sessions[] = {
  { "scalp-hair", "area=scalp;indication=hair-loss;technique=manual;reactions=none", TRUE },
  { "face-rejuvenation", "area=face;indication=skin-rejuvenation;technique=gun;"
    "reactions=redness", TRUE },
  { "neck-decolletage", "area=neck,decolletage;indication=skin-rejuvenation;technique=manual;"
    "reactions=swelling;blood-thinners=yes", TRUE },
  { "abdomen-fat", "area=abdomen,flanks;indication=fat-reduction;technique=gun;"
    "reactions=bruising;next-session=2026-12-20", TRUE },
  { "thighs-cellulite", "area=thighs,buttocks;indication=cellulite;technique=manual;"
    "reactions=bleeding;session-number=2;series-total=6;next-session=2026-12-04", TRUE },
  { "arms-pregnant", "area=arms;indication=other;technique=gun;reactions=pain,other;"
    "pregnant=yes;injections=220", TRUE },
  { "everything", "area=face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms;"
    "indication=fat-reduction;technique=gun;blood-thinners=yes;pregnant=yes;"
    "reactions=redness,swelling,bruising,bleeding,pain,other;injections=400;"
    "next-session=2026-12-20;session-number=3;series-total=8;product=Cocktail Lumen;"
    "lot=L-2026-11;practitioner=Dr Léa Roux;instructions=Sleep on your back tonight.\n"
    "Come back on Monday if the bruise on the left thigh has not faded.", FALSE },
};

static const struct { const char *id; const char *page; const char *date; } languages[] = {
  { "en", "Page {page} of {pages}", "20 November 2026" },
  { "fr", "Page {page} sur {pages}", "20 novembre 2026" },
  { "es", "Página {page} de {pages}", "20 de noviembre de 2026" },
};

static char *
page_footer (guint language,
             int   page,
             int   n_pages)
{
  GString *text = g_string_new (languages[language].page);
  g_autofree char *page_str = g_strdup_printf ("%d", page);
  g_autofree char *pages_str = g_strdup_printf ("%d", n_pages);

  g_string_replace (text, "{page}", page_str, 0);
  g_string_replace (text, "{pages}", pages_str, 0);
  return g_string_free (text, FALSE);
}

static MesoSession *
make_session (const char *values)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2026-11-20T10:30:00Z", NULL);
  g_autoptr(MesoSession) session = g_object_new (MESO_TYPE_SESSION,
                                                 "id", (gint64) 7,
                                                 "patient-name", PATIENT,
                                                 "areas", MESO_AREA_FACE,
                                                 "injections", 80,
                                                 "duration", 30,
                                                 "performed-at", when,
                                                 NULL);
  g_auto(GStrv) pairs = g_strsplit (values, ";", -1);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (pairs[i], "=", 2);
      g_autoptr(GError) error = NULL;

      meso_session_set_field_text (session, meso_field_from_id (pair[0]), pair[1], &error);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&session);
}

static MesoClinic *
make_clinic (void)
{
  MesoClinic *clinic = meso_clinic_new ();

  meso_clinic_set_name (clinic, "Clinique Lumen des Quatre Saisons");
  meso_clinic_set_address (clinic, "12 rue des Lilas\n75011 Paris");
  meso_clinic_set_phone (clinic, PHONE);
  meso_clinic_set_email (clinic, EMAIL);
  meso_clinic_set_emergency_number (clinic, EMERGENCY);
  return clinic;
}

/* ---- Reading a page back ---- */

typedef struct
{
  char   *text;            /* poppler's, lines ending in '\n' */
  GList  *attributes;      /* of PopplerTextAttributes */
  PopplerRectangle *rects; /* one a character of text */
  guint   n_rects;
  double  height;
} PageText;

static void
page_text_clear (PageText *page)
{
  g_free (page->text);
  poppler_page_free_text_attributes (page->attributes);
  g_free (page->rects);
}

static void
read_page (PopplerDocument *document,
           int              index,
           PageText        *out)
{
  PopplerPage *page = poppler_document_get_page (document, index);
  double width;

  out->text = poppler_page_get_text (page);
  out->attributes = poppler_page_get_text_attributes (page);
  g_assert_true (poppler_page_get_text_layout (page, &out->rects, &out->n_rects));
  poppler_page_get_size (page, &width, &out->height);
  g_object_unref (page);
}

static gboolean
in_footer (const PageText *page,
           int             index)
{
  g_assert_cmpint (index, <, (int) page->n_rects);
  return page->rects[index].y1 > page->height - FOOTER_ZONE;
}

/* The characters of [start, end] that are not blanks. */
static gboolean
has_ink (const PageText *page,
         int             start,
         int             end)
{
  const char *p = g_utf8_offset_to_pointer (page->text, start);

  for (int i = start; i <= end && *p != '\0'; i++, p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Each occurrence of @start begins the whole of @whole on one line: a number or address
 * broken across lines would show the beginning with something else after it. */
static guint
assert_unbroken (const char *text,
                 const char *start,
                 const char *whole,
                 const char *where)
{
  guint n = 0;

  for (const char *p = strstr (text, start); p != NULL; p = strstr (p + 1, start))
    {
      if (!g_str_has_prefix (p, whole))
        g_error ("%s: “%s” broken across lines: “%.60s”", where, whole, p);
      n++;
    }
  return n;
}

/* Sizes of the text outside the footer: at least 12 pt; the footer's at least 8. */
static void
assert_sizes (const PageText *page,
              const char     *where)
{
  guint body_chars = 0;

  for (GList *l = page->attributes; l != NULL; l = l->next)
    {
      PopplerTextAttributes *run = l->data;

      if (!has_ink (page, run->start_index, run->end_index))
        continue;
      if (in_footer (page, run->start_index))
        {
          if (run->font_size < 8 - 0.01)
            g_error ("%s: footer at %.1f pt", where, run->font_size);
          continue;
        }
      if (run->font_size < 12 - 0.01)
        g_error ("%s: text at %.1f pt (“%.40s”)", where, run->font_size,
                 g_utf8_offset_to_pointer (page->text, run->start_index));
      if (fabs (run->font_size - 12) < 0.01)
        body_chars += run->end_index - run->start_index + 1;
    }
  g_assert_cmpuint (body_chars, >, 0);
}

/* Blanks made single, and none after a hyphen: "broad-spectrum" may break after its
 * hyphen at a line's end, which is no split. Done alike to the rules and to the pages. */
static char *
collapse_blanks (const char *text)
{
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);
  g_autoptr(GRegex) hyphens = g_regex_new ("- ", 0, 0, NULL);
  g_autofree char *single = g_regex_replace_literal (blanks, text, -1, 0, " ", 0, NULL);

  return g_regex_replace_literal (hyphens, single, -1, 0, "-", 0, NULL);
}

/* The headings' text, run after run (a ligature makes a run of its own), counted as
 * sections: two section titles in one stretch of heading text is a section printed empty. */
static guint
count_titles (const char *headings,
              GStrv       titles)
{
  g_autofree char *flat = collapse_blanks (headings);
  guint n = 0;

  for (guint i = 0; titles[i] != NULL; i++)
    n += strstr (flat, titles[i]) != NULL;
  return n;
}

/* A heading (13.5 to 17 pt) is followed on its page by body text, never by another heading
 * or the footer: no section is printed empty, and none is parted from its text. */
static void
assert_headings_have_text (const PageText *page,
                           GStrv           titles,
                           const char     *where)
{
  g_autoptr(GString) headings = g_string_new (NULL);

  for (GList *l = page->attributes; l != NULL; l = l->next)
    {
      PopplerTextAttributes *run = l->data;
      gboolean is_heading = run->font_size > 13.5 && run->font_size < 17;
      const char *start = g_utf8_offset_to_pointer (page->text, run->start_index);
      const char *end = g_utf8_offset_to_pointer (page->text, run->end_index + 1);

      if (!has_ink (page, run->start_index, run->end_index))
        continue;
      if (is_heading)
        {
          g_string_append_len (headings, start, end - start);
          continue;
        }
      if (headings->len > 0 && in_footer (page, run->start_index))
        g_error ("%s: heading “%s” at the foot of the page", where, headings->str);
      if (count_titles (headings->str, titles) > 1)
        g_error ("%s: a section printed empty: “%s”", where, headings->str);
      g_string_truncate (headings, 0);
    }
  if (headings->len > 0)
    g_error ("%s: heading “%s” last on the page", where, headings->str);
}

/* The title's last line holds more than one word. */
static void
assert_title_balanced (const PageText *page,
                       const char     *where)
{
  g_autoptr(GString) title = g_string_new (NULL);
  const char *last;

  for (GList *l = page->attributes; l != NULL; l = l->next)
    {
      PopplerTextAttributes *run = l->data;
      const char *start = g_utf8_offset_to_pointer (page->text, run->start_index);
      const char *end = g_utf8_offset_to_pointer (page->text, run->end_index + 1);

      if (run->font_size > 18)
        g_string_append_len (title, start, end - start);
    }
  g_strstrip (title->str);
  g_assert_cmpuint (strlen (title->str), >, 0);
  last = strrchr (title->str, '\n');
  if (last != NULL && strchr (last + 1, ' ') == NULL)
    g_error ("%s: the title ends in a lone word: “%s”", where, title->str);
}

/* Lines of text above the footer. */
static guint
count_body_lines (const PageText *page)
{
  g_auto(GStrv) lines = g_strsplit (page->text, "\n", -1);
  guint n = 0;
  int offset = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      glong length = g_utf8_strlen (lines[i], -1);

      if (length > 0 && offset < (int) page->n_rects && !in_footer (page, offset))
        n++;
      offset += length + 1;
    }
  return n;
}

/* Every rule of the sheet printed whole on a single page: a bullet never split across
 * pages. The words up to the first placeholder are enough to know it. */
static void
assert_rules_whole (MesoRules   *rules,
                    MesoSession *session,
                    const char  *language,
                    GPtrArray   *pages,
                    const char  *where)
{
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);

  for (guint i = 0; i < selected->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (selected, i);
      g_autofree char *text = meso_rules_get_text (rules, rule, language);
      g_autofree char *words = NULL;
      char *brace = strchr (text, '{');
      gboolean found = FALSE;

      if (brace != NULL)
        *brace = '\0';
      words = collapse_blanks (g_strstrip (text));
      for (guint p = 0; p < pages->len && !found; p++)
        found = strstr (g_ptr_array_index (pages, p), words) != NULL;
      if (!found)
        g_error ("%s: rule %s not whole on one page: “%s”", where, meso_rule_get_id (rule),
                 words);
    }
}

static void
check_sheet (MesoRules           *rules,
             const MatrixSession *matrix,
             guint                language,
             MesoPaper            paper)
{
  g_autoptr(MesoSession) session = make_session (matrix->values);
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);
  g_autoptr(MesoClinic) clinic = make_clinic ();
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) flat_pages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *where = g_strdup_printf ("%s/%s/%s", matrix->name, languages[language].id,
                                            paper == MESO_PAPER_A4 ? "a4" : "letter");
  g_autoptr(GPtrArray) title_list = g_ptr_array_new_with_free_func (g_free);
  const char * const *sections = meso_rules_get_sections (rules);
  g_auto(GStrv) titles = NULL;
  PopplerDocument *document;
  int n_pages;

  for (guint i = 0; sections[i] != NULL; i++)
    g_ptr_array_add (title_list, meso_rules_get_section_title (rules, sections[i],
                                                               languages[language].id));
  g_ptr_array_add (title_list, NULL);
  titles = (GStrv) g_ptr_array_free (g_steal_pointer (&title_list), FALSE);
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_language (sheet, languages[language].id);
  meso_sheet_set_paper (sheet, paper);
  pdf = meso_sheet_render_pdf (sheet, &error);
  g_assert_no_error (error);
  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  n_pages = poppler_document_get_n_pages (document);
  g_test_message ("%s: %d pages", where, n_pages);
  if (matrix->typical)
    g_assert_cmpint (n_pages, <=, 2);

  for (int i = 0; i < n_pages; i++)
    {
      PageText page = { 0 };
      g_autofree char *footer = page_footer (language, i + 1, n_pages);
      g_autofree char *page_where = g_strdup_printf ("%s page %d", where, i + 1);
      guint phones;

      read_page (document, i, &page);
      /* The footer: the phone, the patient, the date, the page. */
      phones = assert_unbroken (page.text, "+33", PHONE, page_where);
      g_assert_cmpuint (phones, >=, i == 0 ? 3 : 1);
      assert_unbroken (page.text, "accueil@", EMAIL, page_where);
      if (!strstr (page.text, footer) || !strstr (page.text, PATIENT)
          || !strstr (page.text, languages[language].date))
        g_error ("%s: footer missing: %s", page_where, page.text);
      if (i == 0)
        {
          g_assert_nonnull (strstr (page.text, EMAIL));
          g_assert_nonnull (strstr (page.text, " " EMERGENCY));
          assert_title_balanced (&page, page_where);
        }
      assert_sizes (&page, page_where);
      assert_headings_have_text (&page, titles, page_where);
      /* No last page holding only a heading and a line or two. */
      if (i > 0 && i == n_pages - 1 && count_body_lines (&page) < 4)
        g_error ("%s: a near-empty last page: %s", page_where, page.text);
      g_ptr_array_add (flat_pages, collapse_blanks (page.text));
      page_text_clear (&page);
    }
  assert_rules_whole (rules, session, languages[language].id, flat_pages, where);
  g_object_unref (document);
}

static void
test_matrix (gconstpointer data)
{
  const MatrixSession *matrix = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoRules) rules = meso_rules_new_default (&error);

  g_assert_no_error (error);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      check_sheet (rules, matrix, l, MESO_PAPER_A4);
      check_sheet (rules, matrix, l, MESO_PAPER_LETTER);
    }
}

/* The matrix covers what the rules look at: every area, indication, technique, reaction
 * and flag is in one of its sessions. */
static void
test_matrix_covers_everything (void)
{
  static const char * const wanted[] = {
    "face", "scalp", "neck", "decolletage", "abdomen", "flanks", "thighs", "buttocks", "arms",
    "hair-loss", "skin-rejuvenation", "fat-reduction", "cellulite", "indication=other",
    "manual", "gun", "none", "redness", "swelling", "bruising", "bleeding", "pain",
    "blood-thinners=yes", "pregnant=yes", "next-session=", "series-total=",
  };
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_string_append_printf (all, "%s;", sessions[i].values);
  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    if (strstr (all->str, wanted[i]) == NULL)
      g_error ("no session of the matrix has %s", wanted[i]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sheet-matrix/covers-everything", test_matrix_covers_everything);
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sheet-matrix/%s", sessions[i].name);

      g_test_add_data_func (path, &sessions[i], test_matrix);
    }
  return g_test_run ();
}
