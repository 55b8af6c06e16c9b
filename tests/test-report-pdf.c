/* test-report-pdf.c: the report, the recall list and the recall letters on paper, read
 * back with poppler; the reports are made by hand, not by a store's SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <poppler.h>
#include <string.h>

#include "meso-report-pdf.h"

#define CLINIC_NAME "Clinique Lumen"

static MesoClinic *
make_clinic (void)
{
  MesoClinic *clinic = meso_clinic_new ();

  meso_clinic_set_name (clinic, CLINIC_NAME);
  meso_clinic_set_address (clinic, "12 rue des Lilas\n75011 Paris");
  meso_clinic_set_phone (clinic, "+33 1 23 45 67 89");
  meso_clinic_set_email (clinic, "accueil@lumen.example");
  return clinic;
}

static MesoReport *
make_report (guint n_products)
{
  GDate first, last, day;
  MesoReport *report;
  MesoReportSeries series = { 4, 2, 1 };

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_clear (&day, 1);
  g_date_set_dmy (&first, 1, G_DATE_NOVEMBER, 2026);
  g_date_set_dmy (&last, 30, G_DATE_NOVEMBER, 2026);
  report = meso_report_new (&first, &last);
  meso_report_set_totals (report, 9, 7, 3, 240, 315, 3, 2);
  meso_report_set_series (report, &series);
  /* The week of Monday 2 November: 3 for hair loss, 2 for skin rejuvenation. */
  g_date_set_dmy (&day, 3, G_DATE_NOVEMBER, 2026);
  meso_report_add_to_bucket (report, &day, "hair-loss", 3);
  meso_report_add_to_bucket (report, &day, "skin-rejuvenation", 2);
  g_date_set_dmy (&day, 18, G_DATE_NOVEMBER, 2026);
  meso_report_add_to_bucket (report, &day, "cellulite", 4);
  meso_report_add_row (report, MESO_REPORT_BY_INDICATION, "hair-loss", 3, 90, 105);
  meso_report_add_row (report, MESO_REPORT_BY_INDICATION, "cellulite", 4, 100, 140);
  meso_report_add_row (report, MESO_REPORT_BY_AREA, "scalp", 3, 90, 105);
  /* Left blank, and a value no longer known: shown all the same. */
  meso_report_add_row (report, MESO_REPORT_BY_AREA, "", 2, 40, 30);
  meso_report_add_row (report, MESO_REPORT_BY_AREA, "elbow", 1, 10, 15);
  meso_report_add_row (report, MESO_REPORT_BY_PRACTITIONER, "Dr Amel Haddad", 9, 240, 315);
  meso_report_add_row (report, MESO_REPORT_BY_REACTION, "redness", 2, 0, 0);
  for (guint i = 0; i < n_products; i++)
    {
      g_autofree char *product = g_strdup_printf ("Cocktail number %03u", i);

      meso_report_add_row (report, MESO_REPORT_BY_PRODUCT, product, 1 + i % 5, 30, 35);
    }
  return report;
}

typedef struct
{
  PopplerDocument *document;
  GPtrArray       *pages;   /* each page's text, blanks made single spaces */
} Pdf;

static void
pdf_clear (Pdf *pdf)
{
  g_clear_object (&pdf->document);
  g_clear_pointer (&pdf->pages, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pdf, pdf_clear)

static void
read_pdf (GBytes *bytes,
          Pdf    *pdf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);

  g_assert_nonnull (bytes);
  pdf->document = poppler_document_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  pdf->pages = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < poppler_document_get_n_pages (pdf->document); i++)
    {
      PopplerPage *page = poppler_document_get_page (pdf->document, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_ptr_array_add (pdf->pages, g_regex_replace_literal (blanks, text, -1, 0, " ", 0, NULL));
      g_object_unref (page);
    }
}

static const char *
page_text (Pdf   *pdf,
           guint  page)
{
  g_assert_cmpuint (page, <, pdf->pages->len);
  return g_ptr_array_index (pdf->pages, page);
}

static char *
all_text (Pdf *pdf)
{
  g_ptr_array_add (pdf->pages, NULL);
  g_autofree char *text = g_strjoinv (" ", (GStrv) pdf->pages->pdata);

  g_ptr_array_remove_index (pdf->pages, pdf->pages->len - 1);
  return g_steal_pointer (&text);
}

static gboolean
found_on_line (PopplerPage *page,
               const char  *text,
               double       y)
{
  GList *rects = poppler_page_find_text (page, text);
  gboolean found = FALSE;

  for (GList *l = rects; l != NULL; l = l->next)
    {
      const PopplerRectangle *rect = l->data;

      found = found || ABS (rect->y1 - y) < 2;
    }
  g_list_free_full (rects, (GDestroyNotify) poppler_rectangle_free);
  return found;
}

/* A table's row: its cells side by side on one line of one page. */
static void
assert_row (Pdf        *pdf,
            const char *first,
            ...)
{
  for (int i = 0; i < poppler_document_get_n_pages (pdf->document); i++)
    {
      PopplerPage *page = poppler_document_get_page (pdf->document, i);
      GList *rects = poppler_page_find_text (page, first);
      gboolean found = FALSE;

      for (GList *l = rects; l != NULL && !found; l = l->next)
        {
          const PopplerRectangle *rect = l->data;
          va_list cells;
          const char *cell;

          found = TRUE;
          va_start (cells, first);
          while (found && (cell = va_arg (cells, const char *)) != NULL)
            found = found_on_line (page, cell, rect->y1);
          va_end (cells);
        }
      g_list_free_full (rects, (GDestroyNotify) poppler_rectangle_free);
      g_object_unref (page);
      if (found)
        return;
    }
  g_error ("No row starts with “%s” and holds the cells asked for", first);
}

#define assert_contains(haystack, needle) \
  G_STMT_START { \
    if (strstr ((haystack), (needle)) == NULL) \
      g_error ("“%s” not found in: %s", (needle), (haystack)); \
  } G_STMT_END

static void
assert_footers (Pdf        *pdf,
                const char *left)
{
  for (guint i = 0; i < pdf->pages->len; i++)
    {
      g_autofree char *number = g_strdup_printf ("Page %u of %u", i + 1, pdf->pages->len);

      assert_contains (page_text (pdf, i), number);
      assert_contains (page_text (pdf, i), left);
    }
}

/* A report with 150 products runs over pages: each with the clinic and Page N of M in
 * its footer, the figures, voided sessions apart, the chart described in words. */
static void
test_report_big (void)
{
  g_autoptr(MesoReport) report = make_report (150);
  g_autoptr(MesoClinic) clinic = make_clinic ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = meso_report_render_pdf (report, clinic, MESO_PAPER_A4, &error);
  g_auto(Pdf) pdf = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *description = meso_report_describe_chart (report);

  g_assert_no_error (error);
  read_pdf (bytes, &pdf);
  text = all_text (&pdf);

  g_assert_cmpuint (pdf.pages->len, >, 1);
  assert_footers (&pdf, CLINIC_NAME);
  assert_contains (page_text (&pdf, 0), "Report: 1 November 2026 to 30 November 2026");
  assert_contains (page_text (&pdf, 0), "12 rue des Lilas, 75011 Paris");
  assert_row (&pdf, "Sessions", "9", NULL);
  assert_row (&pdf, "New patients", "3", NULL);
  assert_row (&pdf, "Returning patients", "4", NULL);
  assert_row (&pdf, "Minutes a session, on average", "35.0", NULL);
  assert_row (&pdf, "Series abandoned", "1", NULL);
  assert_contains (text, "3 voided sessions in this period, counted in none of the figures.");
  assert_row (&pdf, "Hair loss", "3", "90", "105", NULL);
  assert_row (&pdf, "Scalp", "3", "90", "105", NULL);
  assert_row (&pdf, "Not recorded", "2", "40", "30", NULL);
  assert_row (&pdf, "elbow", "1", "10", "15", NULL);
  assert_row (&pdf, "Redness", "2", "22.2", NULL);
  assert_row (&pdf, "Reaction", "Sessions", "Per hundred sessions", NULL);
  assert_row (&pdf, "Area", "Sessions", "Injections", "Minutes", NULL);
  assert_contains (text, "Cocktail number 149");
  g_assert_cmpstr (description, ==,
                   "Week of 2 November: 5 sessions (3 hair loss, 2 skin rejuvenation). "
                   "Week of 16 November: 4 sessions (4 cellulite).");
  assert_contains (text, description);
  /* The legend, drawn by the chart. */
  assert_contains (text, "Fat reduction");
  g_assert_cmpstr (poppler_document_get_title (pdf.document), ==,
                   "Report: 1 November 2026 to 30 November 2026");
}

static void
test_report_empty (void)
{
  GDate first, last;
  g_autoptr(MesoReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *description = NULL;
  g_auto(Pdf) pdf = { 0 };
  g_autofree char *text = NULL;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 1, G_DATE_JANUARY, 2026);
  g_date_set_dmy (&last, 31, G_DATE_DECEMBER, 2026);
  report = meso_report_new (&first, &last);
  bytes = meso_report_render_pdf (report, NULL, MESO_PAPER_LETTER, &error);
  g_assert_no_error (error);
  read_pdf (bytes, &pdf);
  text = all_text (&pdf);
  description = meso_report_describe_chart (report);

  g_assert_cmpstr (description, ==, "No sessions in this period.");
  /* Once drawn by the chart, once as its description. */
  assert_contains (text, "No sessions in this period No sessions in this period.");
  assert_contains (text, "Sessions by month");
  assert_contains (text, "Nothing recorded in this period.");
  assert_footers (&pdf, "Made on ");
}

static MesoRecallPatient *
make_patient (const char *name,
              const char *language,
              const char *phone,
              const char *first_day,
              const char *second_day)
{
  MesoRecallPatient *patient = g_new0 (MesoRecallPatient, 1);
  static gint64 next_id = 1;
  gint64 id = next_id++;

  patient->patient_id = id;
  patient->patient_name = g_strdup (name);
  patient->phone = g_strdup (phone);
  patient->email = g_strdup_printf ("patient%" G_GINT64_FORMAT "@mail.example", id);
  patient->language = g_strdup (language);
  patient->product = g_strdup ("Hair cocktail");
  patient->lot = g_strdup ("L-42");
  patient->session_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  patient->session_days = g_ptr_array_new_with_free_func (g_free);
  g_array_append_val (patient->session_ids, id);
  g_ptr_array_add (patient->session_days, g_strdup (first_day));
  if (second_day != NULL)
    {
      g_array_append_val (patient->session_ids, id);
      g_ptr_array_add (patient->session_days, g_strdup (second_day));
    }
  return patient;
}

static GPtrArray *
make_patients (void)
{
  GPtrArray *patients = g_ptr_array_new_with_free_func ((GDestroyNotify) meso_recall_patient_free);

  g_ptr_array_add (patients, make_patient ("Ann Turner", "en", "+44 20 7946 0000", "2026-11-03",
                                           NULL));
  g_ptr_array_add (patients, make_patient ("Élodie Marchand", "fr", "+33 6 12 34 56 78",
                                           "2026-11-03", "2026-11-10"));
  g_ptr_array_add (patients, make_patient ("Lucía Fernández", "es", "+34 600 000 000",
                                           "2026-10-01", NULL));
  return patients;
}

static void
test_recall_list (void)
{
  g_autoptr(GPtrArray) patients = make_patients ();
  g_autoptr(MesoClinic) clinic = make_clinic ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = meso_recall_render_list_pdf (patients, "L-42", "Hair cocktail",
                                                         clinic, MESO_PAPER_A4, &error);
  g_auto(Pdf) pdf = { 0 };
  g_autofree char *subject = NULL;

  g_assert_no_error (error);
  read_pdf (bytes, &pdf);

  g_assert_cmpuint (pdf.pages->len, ==, 1);
  assert_contains (page_text (&pdf, 0), "Recall: Hair cocktail, lot L-42");
  assert_contains (page_text (&pdf, 0), "3 patients received it.");
  assert_row (&pdf, "Patient", "Phone", "Email", "Language", "Sessions", NULL);
  assert_row (&pdf, "Élodie Marchand", "+33 6 12 34 56 78", "patient2@mail.example", "fr",
              "2026-11-03", NULL);
  assert_contains (page_text (&pdf, 0), "2026-11-10");
  assert_contains (page_text (&pdf, 0), "Lucía Fernández");
  assert_contains (page_text (&pdf, 0), "patient1@mail.example");
  assert_footers (&pdf, CLINIC_NAME);
  subject = poppler_document_get_subject (pdf.document);
  g_assert_cmpstr (subject, ==, "Hair cocktail, lot L-42");
}

/* A letter each, on a page of its own numbered on its own, each in the patient's
 * language with dates written its way; the metadata names the lot, never a patient. */
static void
test_recall_letters (void)
{
  g_autoptr(GPtrArray) patients = make_patients ();
  g_autoptr(MesoClinic) clinic = make_clinic ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = meso_recall_render_letters_pdf (patients, clinic, MESO_PAPER_A4,
                                                            &error);
  g_auto(Pdf) pdf = { 0 };
  g_autofree char *subject = NULL;
  g_autofree char *title = NULL;

  g_assert_no_error (error);
  read_pdf (bytes, &pdf);

  g_assert_cmpuint (pdf.pages->len, ==, 3);
  assert_contains (page_text (&pdf, 0), "Dear Ann Turner,");
  assert_contains (page_text (&pdf, 0), "on 3 November 2026: Hair cocktail, lot L-42.");
  assert_contains (page_text (&pdf, 0), "Phone +33 1 23 45 67 89, Email accueil@lumen.example");
  assert_contains (page_text (&pdf, 0), "Page 1 of 1");
  assert_contains (page_text (&pdf, 1), "Bonjour Élodie Marchand,");
  assert_contains (page_text (&pdf, 1), "Nous vous écrivons au sujet d’un produit");
  assert_contains (page_text (&pdf, 1), "le 3 novembre 2026 et 10 novembre 2026 : Hair cocktail, "
                                        "lot L-42.");
  assert_contains (page_text (&pdf, 1), "Page 1 sur 1");
  assert_contains (page_text (&pdf, 2), "Estimado/a Lucía Fernández:");
  assert_contains (page_text (&pdf, 2), "Le escribimos en relación con un producto");
  assert_contains (page_text (&pdf, 2), "el 1 de octubre de 2026: Hair cocktail, lote L-42.");
  for (guint i = 0; i < pdf.pages->len; i++)
    {
      assert_contains (page_text (&pdf, i), CLINIC_NAME);
      assert_contains (page_text (&pdf, i), "12 rue des Lilas, 75011 Paris");
    }
  g_assert_null (strstr (page_text (&pdf, 0), "Nous vous"));
  g_assert_null (strstr (page_text (&pdf, 1), "We are writing"));
  g_assert_null (strstr (page_text (&pdf, 2), "We are writing"));

  subject = poppler_document_get_subject (pdf.document);
  title = poppler_document_get_title (pdf.document);
  g_assert_cmpstr (subject, ==, "Hair cocktail, lot L-42");
  for (guint i = 0; i < patients->len; i++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, i);

      g_assert_null (strstr (subject, patient->patient_name));
      g_assert_null (strstr (title, patient->patient_name));
    }
}

/* The text of a page as poppler reads it, line breaks kept. */
static char *
raw_page_text (GBytes *bytes,
               int     index)
{
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_bytes (bytes, NULL, &error);
  PopplerPage *page;
  char *text;

  g_assert_no_error (error);
  page = poppler_document_get_page (document, index);
  text = poppler_page_get_text (page);
  g_object_unref (page);
  g_object_unref (document);
  return text;
}

/* The clinic's phone and email are never broken across lines, in the letter's request as
 * in its header, whatever the length of the words before them; a clinic with neither
 * still asks the patient to contact it. */
static void
test_recall_letters_contact (void)
{
  g_autoptr(GPtrArray) patients = make_patients ();
  g_autoptr(MesoClinic) clinic = make_clinic ();
  g_autoptr(MesoClinic) bare = meso_clinic_new ();
  g_autoptr(GString) name = g_string_new ("Clinique");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *letter = NULL;

      g_string_append (name, i % 4 == 0 ? " L" : "u");
      meso_clinic_set_name (clinic, name->str);
      meso_clinic_set_email (clinic, i % 2 == 0 ? "accueil@clinique-lumen-saisons.example"
                                                : "accueil@lumen.example");
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = meso_recall_render_letters_pdf (patients, clinic, MESO_PAPER_A4, &error);
      g_assert_no_error (error);
      for (int page = 0; page < 3; page++)
        {
          g_autofree char *raw = raw_page_text (bytes, page);
          const char *phone = strstr (raw, "+33 1 23");
          const char *email = strstr (raw, "accueil@");

          g_assert_nonnull (phone);
          g_assert_true (g_str_has_prefix (phone, "+33 1 23 45 67 89"));
          g_assert_nonnull (email);
          g_assert_true (g_str_has_prefix (email, meso_clinic_get_email (clinic)));
          /* And the request's own, after the header's. */
          phone = strstr (phone + 1, "+33 1 23");
          g_assert_nonnull (phone);
          g_assert_true (g_str_has_prefix (phone, "+33 1 23 45 67 89"));
        }
    }

  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = meso_recall_render_letters_pdf (patients, bare, MESO_PAPER_A4, &error);
  g_assert_no_error (error);
  text = raw_page_text (bytes, 0);
  g_assert_nonnull (strstr (text, "Please contact the clinic so that we can give you more"));
  g_clear_pointer (&text, g_free);
  text = raw_page_text (bytes, 1);
  g_assert_nonnull (strstr (text, "Merci de prendre contact avec la clinique"));
}

static gboolean
has_colour (cairo_surface_t *surface,
            guint32          rgb)
{
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      if ((((const guint32 *) (data + y * stride))[x] & 0xffffff) == rgb)
        return TRUE;
  return FALSE;
}

/* The window's chart, in its dark style, at any size its widget may be given (nothing at
 * first): the stacks in the style's colours, and no size hangs or draws out of bounds. */
static void
test_chart_any_size (void)
{
  static const double stacks[][4] = { { 1, 0, 0, 1 }, { 0, 1, 0, 1 }, { 0, 0, 1, 1 } };
  const MesoChartStyle dark = { { 1, 1, 1, 1 }, { 0.3, 0.3, 0.3, 1 }, stacks, 3 };
  static const int sizes[][2] = { { 0, 0 }, { 1, 1 }, { 8, 400 }, { 60, 40 }, { 600, 300 } };
  g_autoptr(MesoReport) report = make_report (1);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                                             MAX (sizes[i][0], 1),
                                                             MAX (sizes[i][1], 1));
      cairo_t *cr = cairo_create (surface);

      meso_report_draw_chart (cr, report, &dark, sizes[i][0], sizes[i][1]);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      if (sizes[i][0] == 600)
        {
          /* Hair loss, the first stack, in the style's first colour; cellulite (the
           * fourth) in its first again, the style having three. */
          g_assert_true (has_colour (surface, 0xff0000));
          g_assert_true (has_colour (surface, 0x00ff00));
          g_assert_true (has_colour (surface, 0xffffff));
        }
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/report-pdf/big", test_report_big);
  g_test_add_func ("/report-pdf/empty", test_report_empty);
  g_test_add_func ("/report-pdf/chart-any-size", test_chart_any_size);
  g_test_add_func ("/report-pdf/recall-list", test_recall_list);
  g_test_add_func ("/report-pdf/recall-letters", test_recall_letters);
  g_test_add_func ("/report-pdf/recall-letters-contact", test_recall_letters_contact);

  return g_test_run ();
}
