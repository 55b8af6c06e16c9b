/* meso-server-banner.h: the clinic server cannot be reached: said under the header bar
 * until it can again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_SERVER_BANNER (meso_server_banner_get_type ())

G_DECLARE_FINAL_TYPE (MesoServerBanner, meso_server_banner, MESO, SERVER_BANNER, AdwBin)

GtkWidget *meso_server_banner_new             (MesoStore        *store);
void       meso_server_banner_report          (MesoServerBanner *self,
                                               const GError     *error);
gboolean   meso_server_banner_get_unreachable (MesoServerBanner *self);

G_END_DECLS
