/* test-sheet.c: the aftercare sheet, read back with poppler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <poppler.h>

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
  assert_contains (text, "Today and the first 12 hours");
  assert_contains (text, "This includes your hair: wait 12 hours before you wash it.");
  assert_contains (text, "Leave heavy make-up off the treated skin for one or two days.");
  assert_contains (text, "Call the emergency services at once");
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
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-11-20T10:30:00Z", NULL);

  g_assert_cmpstr (title, ==, "Aftercare after your mesotherapy session");
  g_assert_cmpstr (author, ==, "Clinique du Parc");
  g_assert_cmpstr (subject, ==, "Ann");
  g_assert_nonnull (created);
  g_assert_true (g_date_time_equal (created, expected));
  g_object_unref (document);
}

/* A reprint is the same document as the first print, byte for byte. */
static void
test_reprint_identical (void)
{
  g_autoptr(MesoSession) session = make_session ("Ann", MESO_AREA_FACE | MESO_AREA_ARMS, 10, 10);
  g_autoptr(GBytes) first = render (session, MESO_PAPER_A4);
  g_autoptr(GBytes) second = NULL;

  g_usleep (1100 * 1000);  /* across a second boundary: no clock in the document */
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

  return g_test_run ();
}
