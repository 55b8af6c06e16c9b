/* meso-patient-page.h: one patient: their details and flags, their sessions as a series,
 * the next session due, and New Session for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PATIENT_PAGE (meso_patient_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatientPage, meso_patient_page, MESO, PATIENT_PAGE, AdwBin)

GtkWidget   *meso_patient_page_new         (MesoStore       *store);
void         meso_patient_page_load        (MesoPatientPage *self,
                                            gint64           session_id);
void         meso_patient_page_refresh     (MesoPatientPage *self);
gboolean     meso_patient_page_get_loading (MesoPatientPage *self);
MesoSession *meso_patient_page_get_latest  (MesoPatientPage *self);

G_END_DECLS
