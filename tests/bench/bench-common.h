/* bench-common.h: what the sheet benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-rules.h"
#include "meso-session.h"

G_BEGIN_DECLS

/* The aim: the sheet within this many times its floor. Reported, never asserted. */
#define BENCH_AIM 1.5

/* A typical sheet is this long; a benchmark of another sheet would mislead. */
#define BENCH_TYPICAL_PAGES 2

typedef struct
{
  guint rounds;   /* measured, after the warm-ups */
  guint warmups;  /* run, not measured: caches, fonts, the page cache */
} BenchOptions;

/* Times in ms: their median, fastest and slowest. */
typedef struct
{
  double median;
  double min;
  double max;
} BenchSummary;

/* One run of what is measured; FALSE when it failed. */
typedef gboolean (*BenchFunc) (gpointer data);

/* What poppler reads back from a PDF: its text in the form of bench-floor-render.h. */
typedef struct
{
  char   *text;
  guint   n_pages;
  double  width;   /* of the first page, in points */
  double  height;
} BenchPdfText;

void          bench_fail              (const char   *format,
                                       ...) G_GNUC_NORETURN G_GNUC_PRINTF (1, 2);
void          bench_parse_options     (int          *argc,
                                       char       ***argv,
                                       BenchOptions *options);

MesoRules    *bench_load_rules        (void);
MesoSession  *bench_make_session      (void);

void          bench_pdf_text_clear    (BenchPdfText *pdf_text);
void          bench_read_pdf_text     (GBytes       *pdf,
                                       BenchPdfText *out_pdf_text);
void          bench_check_floor       (GBytes       *sheet_pdf,
                                       GBytes       *floor_pdf);

void          bench_run_interleaved   (const BenchOptions *options,
                                       BenchFunc     subject_run,
                                       BenchFunc     floor_run,
                                       gpointer      data,
                                       GArray       *subject_ms,
                                       GArray       *floor_ms);
BenchSummary  bench_summarize         (GArray       *times);
void          bench_report            (const char   *name,
                                       GArray       *subject_ms,
                                       GArray       *floor_ms);
void          bench_report_full       (const char   *name,
                                       GArray       *subject_ms,
                                       GArray       *floor_ms,
                                       double        aim,
                                       const char   *extra);

const char   *bench_make_private_dir  (const char   *template);
char         *bench_make_dir          (const char   *parent,
                                       const char   *name);
void          bench_remove_tree       (const char   *path);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BenchPdfText, bench_pdf_text_clear)

G_END_DECLS
