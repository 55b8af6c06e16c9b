/* meso-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-draft-keeper.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_WINDOW (meso_window_get_type ())

G_DECLARE_FINAL_TYPE (MesoWindow, meso_window, MESO, WINDOW, AdwApplicationWindow)

MesoWindow *meso_window_new        (GtkApplication *application,
                                    MesoStore      *store);
void        meso_window_show_toast (MesoWindow     *self,
                                    const char     *message);
GtkWidget  *meso_window_get_page   (MesoWindow     *self,
                                    const char     *name);
void        meso_window_open_session (MesoWindow   *self,
                                      gint64        id);
void        meso_window_open_patient (MesoWindow   *self,
                                      gint64        session_id);
gboolean    meso_window_get_unsaved  (MesoWindow   *self);
void        meso_window_report_store_result (MesoWindow   *self,
                                             const GError *error);
void        meso_window_ask_discard  (MesoWindow   *self,
                                      MesoDiscardedFunc then,
                                      gpointer      user_data,
                                      GDestroyNotify destroy);

G_END_DECLS
