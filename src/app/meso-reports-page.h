/* meso-reports-page.h: a manager's review: a period's figures and chart, a lot's recall,
 * the audit log, each on screen, on paper and in a file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-report.h"
#include "meso-sheet-printer.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_REPORTS_PAGE (meso_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoReportsPage, meso_reports_page, MESO, REPORTS_PAGE, AdwBin)

GtkWidget  *meso_reports_page_new          (MesoStore        *store,
                                            MesoSheetPrinter *printer);
MesoReport *meso_reports_page_get_report   (MesoReportsPage  *self);
GPtrArray  *meso_reports_page_get_recall   (MesoReportsPage  *self);
GPtrArray  *meso_reports_page_get_audit    (MesoReportsPage  *self);
gboolean    meso_reports_page_get_busy     (MesoReportsPage  *self);
void        meso_reports_page_refresh      (MesoReportsPage  *self);

G_END_DECLS
