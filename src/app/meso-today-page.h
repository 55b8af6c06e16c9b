/* meso-today-page.h: the Today page: today's sessions, live, and a search of any
 * patient's recent ones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-sheet-printer.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_TODAY_PAGE (meso_today_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoTodayPage, meso_today_page, MESO, TODAY_PAGE, AdwBin)

GtkWidget    *meso_today_page_new         (MesoStore        *store,
                                           MesoSheetPrinter *printer);
GActionGroup *meso_today_page_get_actions (MesoTodayPage    *self);
void          meso_today_page_reload      (MesoTodayPage    *self);
gboolean      meso_today_page_get_loading (MesoTodayPage    *self);

G_END_DECLS
