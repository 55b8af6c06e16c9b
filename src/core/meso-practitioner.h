/* meso-practitioner.h: one of the clinic's practitioners, as every workstation sees them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MESO_TYPE_PRACTITIONER (meso_practitioner_get_type ())

G_DECLARE_FINAL_TYPE (MesoPractitioner, meso_practitioner, MESO, PRACTITIONER, GObject)

MesoPractitioner *meso_practitioner_new              (const char        *name);
MesoPractitioner *meso_practitioner_copy             (MesoPractitioner  *self);
const char       *meso_practitioner_get_name         (MesoPractitioner  *self);
const char       *meso_practitioner_get_role         (MesoPractitioner  *self);
void              meso_practitioner_set_role         (MesoPractitioner  *self,
                                                      const char        *role);
const char       *meso_practitioner_get_registration (MesoPractitioner  *self);
void              meso_practitioner_set_registration (MesoPractitioner  *self,
                                                      const char        *registration);
gboolean          meso_practitioner_get_active       (MesoPractitioner  *self);
void              meso_practitioner_set_active       (MesoPractitioner  *self,
                                                      gboolean           active);
gboolean          meso_practitioner_validate         (MesoPractitioner  *self,
                                                      GError           **error);

G_END_DECLS
