/* meso-clinic-banner.h: the first start's question: the clinic's name and phone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_CLINIC_BANNER (meso_clinic_banner_get_type ())

G_DECLARE_FINAL_TYPE (MesoClinicBanner, meso_clinic_banner, MESO, CLINIC_BANNER, AdwBin)

GtkWidget *meso_clinic_banner_new         (MesoStore        *store,
                                           GSettings        *settings);
gboolean   meso_clinic_banner_get_shown   (MesoClinicBanner *self);

G_END_DECLS
