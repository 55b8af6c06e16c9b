/* meso-sheet-adjuster.h: the practitioner's changes to one patient's sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-adjustments.h"
#include "meso-rules.h"

G_BEGIN_DECLS

#define MESO_TYPE_SHEET_ADJUSTER (meso_sheet_adjuster_get_type ())

G_DECLARE_FINAL_TYPE (MesoSheetAdjuster, meso_sheet_adjuster, MESO, SHEET_ADJUSTER, GtkWidget)

GtkWidget       *meso_sheet_adjuster_new             (void);
void             meso_sheet_adjuster_load            (MesoSheetAdjuster *self,
                                                      MesoRules         *rules,
                                                      MesoSession       *session,
                                                      const char        *language,
                                                      MesoAdjustments   *adjustments);
MesoAdjustments *meso_sheet_adjuster_get_adjustments (MesoSheetAdjuster *self);

G_END_DECLS
