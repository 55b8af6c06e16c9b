/* bench-common.c
 *
 * The sheet benchmarks compare the sheet with its floor (bench-floor-render.c) in the
 * same run, one after the other, round after round, so that whatever else the machine
 * is doing weighs on both alike. They report medians, which one slow round cannot move,
 * and the ratio of the two, which means the same on a fast machine and a slow one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "bench-floor-render.h"
#include "meso-area.h"
#include "meso-field.h"

/* The sheet puts at least 2 points between paragraphs and none between the lines of
 * one, so a gap wider than this between two lines' boxes starts a paragraph. */
#define PARAGRAPH_GAP_MIN 1.0

void
bench_fail (const char *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\n", g_get_prgname (), message);
  exit (EXIT_FAILURE);
}

void
bench_parse_options (int           *argc,
                     char        ***argv,
                     BenchOptions  *options)
{
  int rounds = 30, warmups = 3;
  const GOptionEntry entries[] = {
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Rounds measured (30)", "N" },
    { "warmups", 'w', 0, G_OPTION_ARG_INT, &warmups, "Rounds run first, not measured (3)",
      "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    bench_fail ("%s", error->message);
  if (rounds < 1 || warmups < 0)
    bench_fail ("--rounds must be at least 1, --warmups at least 0");
  options->rounds = (guint) rounds;
  options->warmups = (guint) warmups;
}

MesoRules *
bench_load_rules (void)
{
  g_autoptr(GError) error = NULL;
  MesoRules *rules = meso_rules_new_default (&error);

  if (rules == NULL)
    bench_fail ("the rules: %s", error->message);
  return rules;
}

/* A typical visit: face and neck, a product and its lot, the next date, and two lines
 * of the clinician's own. Dated well in the past, so that the store takes it whatever
 * the machine's clock says. */
MesoSession *
bench_make_session (void)
{
  static const struct
  {
    MesoField   field;
    const char *text;
  } fields[] = {
    { MESO_FIELD_PRODUCT, "Hyaluronic acid 1.2% with vitamin complex" },
    { MESO_FIELD_LOT, "HA-2403-117" },
    { MESO_FIELD_NEXT_SESSION, "2024-04-09" },
    { MESO_FIELD_INSTRUCTIONS, "Sleep on your back for the first two nights.\n"
                               "No facial massage or gua sha until your next session." },
  };
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 ("2024-03-12T10:30:00Z", NULL);
  g_autoptr(MesoSession) session = g_object_new (MESO_TYPE_SESSION,
                                                 "patient-name", "Claire Martin",
                                                 "areas", MESO_AREA_FACE | MESO_AREA_NECK,
                                                 "injections", 120u,
                                                 "duration", 35u,
                                                 "performed-at", when,
                                                 NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!meso_session_set_field_text (session, fields[i].field, fields[i].text, &error))
        bench_fail ("the session: %s", error->message);
    }
  return g_steal_pointer (&session);
}

/* ---- The text of a PDF ---- */

typedef struct
{
  double top;
  double bottom;
} LineBox;

/* The top and bottom of each line of @lines, from poppler's box of each character:
 * the boxes are in the order of the characters of poppler_page_get_text(), the newlines
 * included. */
static GArray *
line_boxes (PopplerPage *page,
            GStrv        lines)
{
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (LineBox));
  PopplerRectangle *rects = NULL;
  guint n_rects = 0;
  guint offset = 0;

  poppler_page_get_text_layout (page, &rects, &n_rects);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      guint length = (guint) g_utf8_strlen (lines[l], -1);
      LineBox box = { G_MAXDOUBLE, -G_MAXDOUBLE };

      for (guint c = offset; c < offset + length && c < n_rects; c++)
        {
          box.top = MIN (box.top, rects[c].y1);
          box.bottom = MAX (box.bottom, rects[c].y2);
        }
      g_array_append_val (boxes, box);
      offset += length + 1;
    }
  g_free (rects);
  return boxes;
}

/* A gap above the line, or a line back up the page (another column). */
static gboolean
starts_paragraph (const LineBox *previous,
                  const LineBox *box)
{
  return box->top - previous->bottom > PARAGRAPH_GAP_MIN || box->top < previous->top;
}

/* The page's lines as poppler reads them, an empty line between paragraphs. */
static void
append_page_text (GString     *out,
                  PopplerPage *page)
{
  g_autofree char *text = poppler_page_get_text (page);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GArray) boxes = line_boxes (page, lines);
  const LineBox *previous = NULL;

  for (guint l = 0; lines[l] != NULL; l++)
    {
      const LineBox *box = &g_array_index (boxes, LineBox, l);

      if (*lines[l] == '\0')
        continue;
      g_debug ("line top %.2f bottom %.2f: %s", box->top, box->bottom, lines[l]);
      if (previous != NULL)
        g_string_append (out, starts_paragraph (previous, box) ? BENCH_PARAGRAPH_BREAK : "\n");
      g_string_append (out, lines[l]);
      previous = box;
    }
}

void
bench_pdf_text_clear (BenchPdfText *pdf_text)
{
  g_clear_pointer (&pdf_text->text, g_free);
}

void
bench_read_pdf_text (GBytes       *pdf,
                     BenchPdfText *out_pdf_text)
{
  g_autoptr(GError) error = NULL;
  /* Poppler 22.02 has no g_autoptr() for its types. */
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  if (document == NULL)
    bench_fail ("poppler cannot read the PDF: %s", error->message);
  out_pdf_text->n_pages = (guint) poppler_document_get_n_pages (document);
  for (guint i = 0; i < out_pdf_text->n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, (int) i);

      if (i == 0)
        poppler_page_get_size (page, &out_pdf_text->width, &out_pdf_text->height);
      else
        g_string_append (text, BENCH_PAGE_BREAK);
      append_page_text (text, page);
      g_object_unref (page);
    }
  g_object_unref (document);
  out_pdf_text->text = g_string_free (g_steal_pointer (&text), FALSE);
}

/* Only the words and their order count: the floor places them its own way. */
static char *
words (const char *text)
{
  g_autoptr(GRegex) blanks = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *single = g_regex_replace_literal (blanks, text, -1, 0, " ", 0, NULL);

  return g_strdup (g_strstrip (single));
}

/* A floor that printed less, or other pages, would flatter the sheet. */
void
bench_check_floor (GBytes *sheet_pdf,
                   GBytes *floor_pdf)
{
  g_auto(BenchPdfText) sheet = { 0 };
  g_auto(BenchPdfText) floor = { 0 };
  g_autofree char *sheet_words = NULL;
  g_autofree char *floor_words = NULL;

  bench_read_pdf_text (sheet_pdf, &sheet);
  bench_read_pdf_text (floor_pdf, &floor);
  if (floor.n_pages != sheet.n_pages)
    bench_fail ("the floor has %u pages, the sheet %u", floor.n_pages, sheet.n_pages);
  sheet_words = words (sheet.text);
  floor_words = words (floor.text);
  if (g_strcmp0 (sheet_words, floor_words) != 0)
    bench_fail ("the floor does not print the sheet's text:\nsheet: %s\nfloor: %s",
                sheet_words, floor_words);
}

/* ---- Timing ---- */

static double
time_ms (BenchFunc func,
         gpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  if (!func (data))
    bench_fail ("a run failed");
  return (g_get_monotonic_time () - start) / 1000.0;
}

void
bench_run_interleaved (const BenchOptions *options,
                       BenchFunc           subject_run,
                       BenchFunc           floor_run,
                       gpointer            data,
                       GArray             *subject_ms,
                       GArray             *floor_ms)
{
  for (guint round = 0; round < options->warmups + options->rounds; round++)
    {
      /* Each goes first every other round: what one leaves warm (the allocator, the
       * caches) then helps both alike. */
      gboolean subject_first = round % 2 == 0;
      double subject_time = subject_first ? time_ms (subject_run, data) : 0;
      double floor_time = time_ms (floor_run, data);

      if (!subject_first)
        subject_time = time_ms (subject_run, data);

      if (round < options->warmups)
        continue;
      g_array_append_val (subject_ms, subject_time);
      g_array_append_val (floor_ms, floor_time);
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

BenchSummary
bench_summarize (GArray *times)
{
  g_autoptr(GArray) sorted = g_array_copy (times);
  guint n = sorted->len;
  const double *t = &g_array_index (sorted, double, 0);

  g_array_sort (sorted, compare_doubles);
  return (BenchSummary) {
    .median = n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2,
    .min = t[0],
    .max = t[n - 1],
  };
}

/* One line, always the same keys in the same order, for build-aux/benchmark to read. */
void
bench_report (const char *name,
              GArray     *subject_ms,
              GArray     *floor_ms)
{
  bench_report_full (name, subject_ms, floor_ms, BENCH_AIM, NULL);
}

/* bench_report() against an aim of its own, then @extra ("key=value ...", or NULL): the
 * benchmark's own keys, after the common ones. */
void
bench_report_full (const char *name,
                   GArray     *subject_ms,
                   GArray     *floor_ms,
                   double      aim,
                   const char *extra)
{
  BenchSummary subject = bench_summarize (subject_ms);
  BenchSummary floor = bench_summarize (floor_ms);
  double ratio = subject.median / floor.median;

  printf ("%s median_ms=%.2f floor_ms=%.2f ratio=%.2f min_ms=%.2f max_ms=%.2f "
          "floor_min_ms=%.2f floor_max_ms=%.2f n=%u aim=%.1f within_aim=%s%s%s\n",
          name, subject.median, floor.median, ratio, subject.min, subject.max,
          floor.min, floor.max, subject_ms->len, aim, ratio <= aim ? "yes" : "no",
          extra != NULL ? " " : "", extra != NULL ? extra : "");
  fflush (stdout);
}

/* ---- Private folders ---- */

void
bench_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      bench_remove_tree (child);
    }
  g_remove (path);
}

static char *private_dir;

static void
remove_private_dir (void)
{
  if (private_dir != NULL)
    bench_remove_tree (private_dir);
  g_clear_pointer (&private_dir, g_free);
}

/* Home, database, files written: one folder a run, removed at exit, after a
 * bench_fail() too, so that no run leaves anything behind. */
const char *
bench_make_private_dir (const char *template)
{
  g_autoptr(GError) error = NULL;

  g_assert (private_dir == NULL);
  private_dir = g_dir_make_tmp (template, &error);
  if (private_dir == NULL)
    bench_fail ("%s", error->message);
  atexit (remove_private_dir);
  return private_dir;
}

char *
bench_make_dir (const char *parent,
                const char *name)
{
  char *path = g_build_filename (parent, name, NULL);

  if (g_mkdir_with_parents (path, 0700) != 0)
    bench_fail ("%s: %s", path, g_strerror (errno));
  return path;
}
