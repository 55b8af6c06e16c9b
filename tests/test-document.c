/* test-document.c: the page layer of the sheet and the reports, read back with poppler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <pango/pangocairo.h>
#include <poppler.h>
#include <string.h>

#include "meso-document.h"

#define FOOTER_LEFT "Clinique Lumen footer"

static const MesoTextStyle body = { "DejaVu Sans 12", 4, 0 };
static const MesoTextStyle heading = { "DejaVu Sans Bold 14", 11, 0, .keep_with_next = TRUE };
static const MesoTextStyle bullet = { "DejaVu Sans 12", 3, MESO_DOCUMENT_BULLET_INDENT,
                                      .bullet = TRUE };

static MesoDocument *
new_document (void)
{
  MesoDocument *document = meso_document_new (MESO_PAPER_A4, "en");

  meso_document_set_footer (document, FOOTER_LEFT, "Page {page} of {pages}");
  return document;
}

/* Each page's text, blanks made single spaces: a sentence reads the same wherever the
 * layout wrapped it. */
static GPtrArray *
page_texts (MesoDocument *document)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = meso_document_render_pdf (document, &error);
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);
  PopplerDocument *doc;
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  doc = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);

      g_ptr_array_add (texts, g_regex_replace_literal (blanks, text, -1, 0, " ", 0, NULL));
      g_object_unref (page);
    }
  g_object_unref (doc);
  g_assert_cmpuint (texts->len, ==, meso_document_get_n_pages (document));
  return texts;
}

/* The page holding @needle; fails if none or more than one does. */
static guint
page_of (GPtrArray  *texts,
         const char *needle)
{
  int found = -1;

  for (guint i = 0; i < texts->len; i++)
    if (strstr (g_ptr_array_index (texts, i), needle) != NULL)
      {
        if (found >= 0)
          g_error ("“%s” on pages %d and %u", needle, found + 1, i + 1);
        found = i;
      }
  if (found < 0)
    g_error ("“%s” on no page", needle);
  return found;
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Every @needle of every page above the footer's rule: nothing runs off its page. */
static void
assert_above_footer (MesoDocument *document,
                     const char   *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = meso_document_render_pdf (document, &error);
  PopplerDocument *doc = poppler_document_new_from_bytes (pdf, NULL, &error);
  guint found = 0;

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (doc); i++)
    {
      PopplerPage *page = poppler_document_get_page (doc, i);
      g_autofree char *text = poppler_page_get_text (page);
      PopplerRectangle *rects = NULL;
      guint n_rects = 0;
      double width, height;

      poppler_page_get_size (page, &width, &height);
      g_assert_true (poppler_page_get_text_layout (page, &rects, &n_rects));
      for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
        {
          glong at = g_utf8_pointer_to_offset (text, p);

          g_assert_cmpuint (at, <, n_rects);
          /* The footer takes the 24 points above the bottom margin. */
          g_assert_cmpfloat (rects[at].y2, <=, height - MESO_DOCUMENT_MARGIN - 24);
          g_assert_cmpfloat (rects[at].y1, >, MESO_DOCUMENT_MARGIN - 2);
          found++;
        }
      g_free (rects);
      g_object_unref (page);
    }
  g_object_unref (doc);
  g_assert_cmpuint (found, >, 0);
}

static void
assert_footers (GPtrArray *texts)
{
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *number = g_strdup_printf ("Page %u of %u", i + 1, texts->len);

      g_assert_nonnull (strstr (g_ptr_array_index (texts, i), number));
      g_assert_nonnull (strstr (g_ptr_array_index (texts, i), FOOTER_LEFT));
    }
}

#define LONG_NOTE "more words more words more words more words more words more words " \
                  "more words more words more words more words more words more words " \
                  "more words more words more words more words more words more words"

/* 200 rows of two to six lines each: every row whole on one page (its first and last
 * words on the same page), the header row on every page, Page N of M on each. */
static void
test_table_breaks_between_rows (void)
{
  static const MesoTableColumn columns[] = {
    { "Patient column", 0.3, FALSE }, { "Notes column", 0.5, FALSE },
    { "Count column", 0.2, TRUE },
  };
  g_autoptr(MesoDocument) document = new_document ();
  g_autoptr(GPtrArray) texts = NULL;

  meso_document_add_text (document, &heading, "A table");
  meso_document_begin_table (document, "DejaVu Sans 10", columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("start-%03u", i);
      /* Long enough to wrap in its column: a row of several lines. */
      g_autofree char *notes = g_strdup_printf ("words words words words words words words "
                                                "words words %s end-%03u",
                                                i % 3 == 0 ? LONG_NOTE : "", i);
      g_autofree char *count = g_strdup_printf ("%u", i * 7);
      const char *cells[] = { name, notes, count, NULL };

      meso_document_add_row (document, cells);
    }
  meso_document_end_table (document);
  texts = page_texts (document);

  g_assert_cmpuint (texts->len, >, 2);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *start = g_strdup_printf ("start-%03u", i);
      g_autofree char *end = g_strdup_printf ("end-%03u", i);

      g_assert_cmpuint (page_of (texts, start), ==, page_of (texts, end));
    }
  for (guint i = 0; i < texts->len; i++)
    {
      g_assert_cmpuint (count_occurrences (g_ptr_array_index (texts, i), "Patient column"), ==, 1);
      g_assert_cmpuint (count_occurrences (g_ptr_array_index (texts, i), "Count column"), ==, 1);
    }
  assert_above_footer (document, "end-");
  assert_footers (texts);
}

/* Headings and paragraphs of every length, so that many headings come near a page's foot:
 * each heading on the page of its paragraph's first words, never left behind. */
static void
test_heading_kept_with_next (void)
{
  g_autoptr(MesoDocument) document = new_document ();
  g_autoptr(GPtrArray) texts = NULL;

  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *title = g_strdup_printf ("heading-%02u", i);
      g_autoptr(GString) paragraph = g_string_new (NULL);

      g_string_append_printf (paragraph, "first-%02u", i);
      for (guint w = 0; w < 6 + (i * 7) % 50; w++)
        g_string_append (paragraph, " filler");
      meso_document_add_text (document, &heading, title);
      meso_document_add_text (document, &body, paragraph->str);
    }
  texts = page_texts (document);

  g_assert_cmpuint (texts->len, >, 3);
  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *title = g_strdup_printf ("heading-%02u", i);
      g_autofree char *first = g_strdup_printf ("first-%02u", i);

      g_assert_cmpuint (page_of (texts, title), ==, page_of (texts, first));
    }
  assert_footers (texts);
}

/* A bullet of about twenty-five lines (more than a third of the page, which a paragraph may
 * break at) starting half-way down a page: moved whole to the next page. A paragraph as
 * long does break there. */
static void
test_long_bullet_not_split (void)
{
  g_autoptr(MesoDocument) document = new_document ();
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GString) long_text = g_string_new ("bullet-start");

  for (guint i = 0; i < 300; i++)
    g_string_append (long_text, " word");
  g_string_append (long_text, " bullet-end");
  for (guint i = 0; i < 32; i++)
    meso_document_add_text (document, &body, "A line of text before the bullet.");
  meso_document_add_text (document, &bullet, long_text->str);
  for (guint i = 0; i < 10; i++)
    meso_document_add_text (document, &body, "A line of text before the paragraph.");
  g_string_replace (long_text, "bullet-", "paragraph-", 0);
  meso_document_add_text (document, &body, long_text->str);
  texts = page_texts (document);

  g_assert_cmpuint (page_of (texts, "bullet-start"), ==, page_of (texts, "bullet-end"));
  g_assert_cmpuint (page_of (texts, "bullet-start"), ==, 1);
  g_assert_cmpuint (page_of (texts, "paragraph-start"), <, page_of (texts, "paragraph-end"));
  assert_footers (texts);
}

static void
draw_marker_cb (cairo_t  *cr,
                double    width,
                double    height,
                gpointer  user_data)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  guint *calls = user_data;

  (*calls)++;
  g_assert_cmpfloat (width, >, 400);
  g_assert_cmpfloat (height, ==, 300);
  pango_layout_set_text (layout, "drawn-marker", -1);
  pango_cairo_show_layout (cr, layout);
}

/* Parts start a page each and are numbered on their own; a drawing is drawn once, whole,
 * on the page where it fits. */
static void
test_parts_and_drawings (void)
{
  g_autoptr(MesoDocument) document = new_document ();
  g_autoptr(GPtrArray) texts = NULL;
  guint calls = 0;

  meso_document_add_text (document, &body, "part-one");
  for (guint i = 0; i < 30; i++)
    meso_document_add_text (document, &body, "Filler for the first page of the first part.");
  meso_document_add_drawing (document, 6, 300, draw_marker_cb, &calls, NULL);
  meso_document_start_part (document);
  meso_document_set_footer (document, "second footer", "Página {page} de {pages}");
  meso_document_add_text (document, &body, "part-two");
  texts = page_texts (document);

  g_assert_cmpuint (calls, ==, 1);
  g_assert_cmpuint (texts->len, ==, 3);
  g_assert_cmpuint (page_of (texts, "drawn-marker"), ==, 1);
  g_assert_cmpuint (page_of (texts, "part-two"), ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (texts, 0), "Page 1 of 2"));
  g_assert_nonnull (strstr (g_ptr_array_index (texts, 1), "Page 2 of 2"));
  g_assert_nonnull (strstr (g_ptr_array_index (texts, 2), "Página 1 de 1"));
  g_assert_nonnull (strstr (g_ptr_array_index (texts, 2), "second footer"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/document/table-breaks-between-rows", test_table_breaks_between_rows);
  g_test_add_func ("/document/heading-kept-with-next", test_heading_kept_with_next);
  g_test_add_func ("/document/long-bullet-not-split", test_long_bullet_not_split);
  g_test_add_func ("/document/parts-and-drawings", test_parts_and_drawings);

  return g_test_run ();
}
