/* meso-preferences-window.h: the clinic's preferences, and this workstation's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-server-page.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PREFERENCES_WINDOW (meso_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoPreferencesWindow, meso_preferences_window, MESO, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget      *meso_preferences_window_new             (GSettings             *settings,
                                                         MesoStore             *store);
MesoServerPage *meso_preferences_window_get_server_page (MesoPreferencesWindow *self);

G_END_DECLS
