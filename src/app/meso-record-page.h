/* meso-record-page.h: the Record page: the chair-side form and the session's sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "meso-draft-keeper.h"
#include "meso-sheet-printer.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_RECORD_PAGE (meso_record_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoRecordPage, meso_record_page, MESO, RECORD_PAGE, AdwBin)

GtkWidget    *meso_record_page_new         (MesoStore        *store,
                                            MesoSheetPrinter *printer);
GActionGroup *meso_record_page_get_actions (MesoRecordPage   *self);
void          meso_record_page_set_active  (MesoRecordPage   *self,
                                            gboolean          active);
gboolean      meso_record_page_start_for   (MesoRecordPage   *self,
                                            MesoSession      *last,
                                            guint             session_number);
MesoDraftKeeper *meso_record_page_get_drafts (MesoRecordPage  *self);

G_END_DECLS
