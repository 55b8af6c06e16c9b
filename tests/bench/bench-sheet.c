/* bench-sheet.c: how long the app takes to render a typical sheet, against its floor
 *
 * The sheet is rendered as the app renders it, with the rules loaded once beforehand;
 * the floor draws the very text the sheet prints, read back from the sheet itself.
 * Prints one line (see bench_report()); fails only when it cannot measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include "bench-common.h"
#include "bench-floor-render.h"
#include "meso-sheet.h"

typedef struct
{
  MesoRules    *rules;
  MesoSession  *session;
  BenchPdfText  sheet_text;  /* what the floor prints */
} SheetBench;

/* As the app does it on each change: a new sheet for the session, rendered. */
static GBytes *
render_sheet (SheetBench *bench)
{
  g_autoptr(MesoSheet) sheet = meso_sheet_new (bench->session, bench->rules);
  g_autoptr(GError) error = NULL;
  GBytes *pdf = meso_sheet_render_pdf (sheet, &error);

  if (pdf == NULL)
    bench_fail ("the sheet: %s", error->message);
  return pdf;
}

static GBytes *
render_floor (SheetBench *bench)
{
  GBytes *pdf = bench_floor_render_pdf (bench->sheet_text.text, bench->sheet_text.width,
                                        bench->sheet_text.height);

  if (pdf == NULL)
    bench_fail ("the floor: Cairo could not draw the PDF");
  return pdf;
}

static gboolean
run_sheet (gpointer data)
{
  g_autoptr(GBytes) pdf = render_sheet (data);

  return pdf != NULL;
}

static gboolean
run_floor (gpointer data)
{
  g_autoptr(GBytes) pdf = render_floor (data);

  return pdf != NULL;
}

/* Renders both once: the floor's text comes from the sheet, and both must be the
 * typical two pages for the ratio to mean anything. */
static void
prepare (SheetBench *bench)
{
  g_autoptr(GBytes) sheet_pdf = render_sheet (bench);
  g_autoptr(GBytes) floor_pdf = NULL;

  bench_read_pdf_text (sheet_pdf, &bench->sheet_text);
  if (bench->sheet_text.n_pages != BENCH_TYPICAL_PAGES)
    bench_fail ("the sheet has %u pages, not the %u of a typical sheet",
                bench->sheet_text.n_pages, BENCH_TYPICAL_PAGES);
  floor_pdf = render_floor (bench);
  bench_check_floor (sheet_pdf, floor_pdf);
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options = { 0 };
  SheetBench bench = { 0 };
  g_autoptr(GArray) sheet_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));

  bench_parse_options (&argc, &argv, &options);
  bench.rules = bench_load_rules ();
  bench.session = bench_make_session ();
  prepare (&bench);

  bench_run_interleaved (&options, run_sheet, run_floor, &bench, sheet_ms, floor_ms);
  bench_report ("sheet-in-process", sheet_ms, floor_ms);

  bench_pdf_text_clear (&bench.sheet_text);
  g_object_unref (bench.session);
  g_object_unref (bench.rules);
  return 0;
}
