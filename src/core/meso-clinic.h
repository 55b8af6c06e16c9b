/* meso-clinic.h: the clinic's own details, printed on every sheet, the same for every
 * workstation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MESO_CLINIC_NAME_MAX_CHARS    200
#define MESO_CLINIC_ADDRESS_MAX_CHARS 500
#define MESO_CLINIC_LOGO_MAX_BYTES    (2 * 1024 * 1024)

#define MESO_CLINIC_LOGO_PNG "image/png"
#define MESO_CLINIC_LOGO_SVG "image/svg+xml"

/* Which of the details a change is about. */
typedef enum /*< flags,prefix=MESO_CLINIC >*/
{
  MESO_CLINIC_NAME    = 1 << 0, /*< nick=name >*/
  MESO_CLINIC_ADDRESS = 1 << 1, /*< nick=address >*/
  MESO_CLINIC_PHONE   = 1 << 2, /*< nick=phone >*/
  MESO_CLINIC_EMAIL   = 1 << 3, /*< nick=email >*/
  MESO_CLINIC_LOGO    = 1 << 4, /*< nick=logo >*/
  MESO_CLINIC_EMERGENCY_NUMBER = 1 << 5, /*< nick=emergency-number >*/
} MesoClinicFields;

#define MESO_CLINIC_ALL (MESO_CLINIC_NAME | MESO_CLINIC_ADDRESS | MESO_CLINIC_PHONE \
                         | MESO_CLINIC_EMAIL | MESO_CLINIC_LOGO \
                         | MESO_CLINIC_EMERGENCY_NUMBER)

#define MESO_TYPE_CLINIC (meso_clinic_get_type ())

G_DECLARE_FINAL_TYPE (MesoClinic, meso_clinic, MESO, CLINIC, GObject)

MesoClinic       *meso_clinic_new                (void);
MesoClinic       *meso_clinic_copy               (MesoClinic        *self);
MesoClinicFields  meso_clinic_copy_fields        (MesoClinic        *dest,
                                                  MesoClinic        *src,
                                                  MesoClinicFields   fields);
gboolean          meso_clinic_is_empty           (MesoClinic        *self);
MesoClinicFields  meso_clinic_get_missing        (MesoClinic        *self);

const char       *meso_clinic_get_name           (MesoClinic        *self);
void              meso_clinic_set_name           (MesoClinic        *self,
                                                  const char        *name);
const char       *meso_clinic_get_address        (MesoClinic        *self);
void              meso_clinic_set_address        (MesoClinic        *self,
                                                  const char        *address);
const char       *meso_clinic_get_phone          (MesoClinic        *self);
void              meso_clinic_set_phone          (MesoClinic        *self,
                                                  const char        *phone);
const char       *meso_clinic_get_email          (MesoClinic        *self);
void              meso_clinic_set_email          (MesoClinic        *self,
                                                  const char        *email);
const char       *meso_clinic_get_emergency_number (MesoClinic      *self);
void              meso_clinic_set_emergency_number (MesoClinic      *self,
                                                    const char      *number);
const char       *meso_clinic_get_emergency_number_or_default (MesoClinic *self);
const char       *meso_clinic_default_emergency_number (const char  *country);
GBytes           *meso_clinic_get_logo           (MesoClinic        *self);
const char       *meso_clinic_get_logo_type      (MesoClinic        *self);
void              meso_clinic_set_logo           (MesoClinic        *self,
                                                  GBytes            *logo);
gboolean          meso_clinic_set_logo_from_file (MesoClinic        *self,
                                                  const char        *path,
                                                  GError           **error);

gboolean          meso_clinic_validate           (MesoClinic        *self,
                                                  MesoClinicFields   fields,
                                                  GError           **error);
void              meso_clinic_append_payload     (MesoClinic        *self,
                                                  MesoClinicFields   fields,
                                                  GString           *payload);

G_END_DECLS
