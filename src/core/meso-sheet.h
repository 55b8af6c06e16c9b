/* meso-sheet.h: the patient's take-home aftercare sheet, as a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-adjustments.h"
#include "meso-clinic.h"
#include "meso-paper.h"
#include "meso-rules.h"
#include "meso-session.h"

G_BEGIN_DECLS

#define MESO_TYPE_SHEET (meso_sheet_get_type ())

G_DECLARE_FINAL_TYPE (MesoSheet, meso_sheet, MESO, SHEET, GObject)

MesoSheet *meso_sheet_new             (MesoSession  *session,
                                       MesoRules    *rules);
/* Who hands the sheet out: printed at the top, and the phone in "when to call". */
void       meso_sheet_set_clinic      (MesoSheet    *self,
                                       MesoClinic   *clinic);
void       meso_sheet_set_clinic_name (MesoSheet    *self,
                                       const char   *clinic_name);
void       meso_sheet_set_language    (MesoSheet    *self,
                                       const char   *language);
const char *meso_sheet_get_language   (MesoSheet    *self);
void       meso_sheet_set_paper       (MesoSheet    *self,
                                       MesoPaper     paper);
void       meso_sheet_set_adjustments (MesoSheet    *self,
                                       MesoAdjustments *adjustments);
void       meso_sheet_set_fingerprint (MesoSheet    *self,
                                       const char   *fingerprint);

GStrv      meso_sheet_list_untranslated (MesoSheet  *self);
MesoClinicFields meso_sheet_get_missing_clinic (MesoSheet *self);
char      *meso_sheet_fill_text       (MesoSheet    *self,
                                       const char   *text);
GBytes    *meso_sheet_render_pdf      (MesoSheet    *self,
                                       GError      **error);
gboolean   meso_sheet_write_pdf       (MesoSheet    *self,
                                       const char   *path,
                                       GError      **error);

G_END_DECLS
