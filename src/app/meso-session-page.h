/* meso-session-page.h: one stored session: every field, its amendments and audit
 * entries, its sheet; Reprint, Save as PDF, Amend, Void
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-sheet-printer.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_SESSION_PAGE (meso_session_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoSessionPage, meso_session_page, MESO, SESSION_PAGE, AdwBin)

GtkWidget    *meso_session_page_new         (MesoStore        *store,
                                             MesoSheetPrinter *printer);
void          meso_session_page_load        (MesoSessionPage  *self,
                                             gint64            id);
MesoSession  *meso_session_page_get_session (MesoSessionPage  *self);
gboolean      meso_session_page_get_loading (MesoSessionPage  *self);
GActionGroup *meso_session_page_get_actions (MesoSessionPage  *self);

G_END_DECLS
