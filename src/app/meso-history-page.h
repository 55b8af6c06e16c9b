/* meso-history-page.h: every session, found by filters, sorted by the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-session-list.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_HISTORY_PAGE (meso_history_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoHistoryPage, meso_history_page, MESO, HISTORY_PAGE, AdwBin)

GtkWidget       *meso_history_page_new           (MesoStore       *store);
MesoStore       *meso_history_page_get_store     (MesoHistoryPage *self);
MesoSessionList *meso_history_page_get_list      (MesoHistoryPage *self);
gboolean         meso_history_page_get_exporting (MesoHistoryPage *self);
gboolean         meso_history_page_get_narrow    (MesoHistoryPage *self);
void             meso_history_page_export_to     (MesoHistoryPage *self,
                                                  GFile           *file);

G_END_DECLS
