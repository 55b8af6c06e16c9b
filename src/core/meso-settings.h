/* meso-settings.h: what one workstation keeps in its settings, shared by the app and the
 * command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-paper.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_SETTINGS_SCHEMA_ID "io.github.mesocare.Mesocare"

GSettings *meso_settings_new_if_installed  (void);
MesoPaper  meso_settings_get_paper         (GSettings  *settings);
gboolean   meso_settings_carry_over_clinic (GSettings  *settings,
                                            MesoStore  *store,
                                            gboolean   *out_carried,
                                            GError    **error);

G_END_DECLS
