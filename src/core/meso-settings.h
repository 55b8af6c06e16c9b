/* meso-settings.h: the clinic's settings, shared by the app and the command-line tool
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-sheet.h"

G_BEGIN_DECLS

#define MESO_SETTINGS_SCHEMA_ID "io.github.mesocare.Mesocare"

GSettings *meso_settings_new_if_installed (void);
char      *meso_settings_dup_clinic_name  (GSettings *settings);
MesoPaper  meso_settings_get_paper        (GSettings *settings);
void       meso_settings_apply_to_sheet   (GSettings *settings,
                                           MesoSheet *sheet);

G_END_DECLS
