/* meso-report-chart.h: a report's sessions per week (or month), drawn in the window's
 * style, light or dark, and told in words to a screen reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-report.h"

G_BEGIN_DECLS

#define MESO_TYPE_REPORT_CHART (meso_report_chart_get_type ())

G_DECLARE_FINAL_TYPE (MesoReportChart, meso_report_chart, MESO, REPORT_CHART, GtkDrawingArea)

GtkWidget  *meso_report_chart_new         (void);
void        meso_report_chart_set_report  (MesoReportChart *self,
                                           MesoReport      *report);
MesoReport *meso_report_chart_get_report  (MesoReportChart *self);
gboolean    meso_report_chart_get_dark    (MesoReportChart *self);

G_END_DECLS
