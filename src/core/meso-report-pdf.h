/* meso-report-pdf.h: a report and a recall on paper, through the document layer the
 * sheet uses (header, footer with "Page N of M", blocks kept whole, tables that break
 * between rows, the chart)
 *
 * In the renderer's library (mesocare-sheet), not the core: Cairo and Pango.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "meso-clinic.h"
#include "meso-paper.h"
#include "meso-report.h"

G_BEGIN_DECLS

/* The colours of the chart: the page and the window (light or dark style) pass their own.
 * @stacks holds one colour per indication of meso_report_get_indications(), in order. */
typedef struct
{
  double        foreground[4];   /* axes, labels */
  double        grid[4];
  const double (*stacks)[4];
  guint         n_stacks;
} MesoChartStyle;

/* Sessions per week (or month), stacked by indication, with axes, labels and a legend,
 * into the rectangle (0, 0, @width, @height) of @cr; text through Pango. */
void    meso_report_draw_chart        (cairo_t              *cr,
                                       MesoReport           *report,
                                       const MesoChartStyle *style,
                                       double                width,
                                       double                height);
/* The chart as sentences, for its accessible description and the PDF's text. */
char   *meso_report_describe_chart    (MesoReport           *report);

/* The report: figures, breakdowns as tables, the chart. @clinic may be NULL. */
GBytes *meso_report_render_pdf        (MesoReport           *report,
                                       MesoClinic           *clinic,
                                       MesoPaper             paper,
                                       GError              **error);

/* A recall (@patients: MesoRecallPatient) as one list, in the user's language. */
GBytes *meso_recall_render_list_pdf   (GPtrArray            *patients,
                                       const char           *lot,
                                       const char           *product,
                                       MesoClinic           *clinic,
                                       MesoPaper             paper,
                                       GError              **error);
/* One letter a patient, each in the patient's language, each starting a page. */
GBytes *meso_recall_render_letters_pdf (GPtrArray           *patients,
                                       MesoClinic           *clinic,
                                       MesoPaper             paper,
                                       GError              **error);

G_END_DECLS
