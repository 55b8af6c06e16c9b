/* meso-connect-window.h: the window shown while the clinic server is being reached, or
 * when it cannot be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MESO_TYPE_CONNECT_WINDOW (meso_connect_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoConnectWindow, meso_connect_window, MESO, CONNECT_WINDOW,
                      AdwApplicationWindow)

MesoConnectWindow *meso_connect_window_new              (GtkApplication    *application);
void               meso_connect_window_show_connecting  (MesoConnectWindow *self,
                                                         const char        *location);
void               meso_connect_window_show_unreachable (MesoConnectWindow *self,
                                                         const char        *location,
                                                         const GError      *error);
gboolean           meso_connect_window_get_connecting   (MesoConnectWindow *self);

G_END_DECLS
