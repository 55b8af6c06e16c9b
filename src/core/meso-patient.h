/* meso-patient.h: a patient as the store knows them, found again by name or birth date
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "meso-session.h"

G_BEGIN_DECLS

#define MESO_TYPE_PATIENT (meso_patient_get_type ())

G_DECLARE_FINAL_TYPE (MesoPatient, meso_patient, MESO, PATIENT, GObject)

const char *meso_patient_get_name           (MesoPatient *self);
const char *meso_patient_get_date_of_birth  (MesoPatient *self);
const char *meso_patient_get_phone          (MesoPatient *self);
const char *meso_patient_get_email          (MesoPatient *self);
const char *meso_patient_get_language       (MesoPatient *self);
const char *meso_patient_get_notes          (MesoPatient *self);
gboolean    meso_patient_get_blood_thinners (MesoPatient *self);
gboolean    meso_patient_get_pregnant       (MesoPatient *self);
const char *meso_patient_get_allergies      (MesoPatient *self);
void        meso_patient_fill_session       (MesoPatient *self,
                                             MesoSession *session);

G_END_DECLS
