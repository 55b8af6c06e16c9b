/* meso-sheet-view.h: the preview of an aftercare sheet, and its printing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-sheet.h"

G_BEGIN_DECLS

#define MESO_TYPE_SHEET_VIEW (meso_sheet_view_get_type ())

G_DECLARE_FINAL_TYPE (MesoSheetView, meso_sheet_view, MESO, SHEET_VIEW, GtkWidget)

GtkWidget         *meso_sheet_view_new                    (void);
void               meso_sheet_view_set_sheet              (MesoSheetView *self,
                                                           MesoSheet     *sheet);
gboolean           meso_sheet_view_has_document           (MesoSheetView *self);
GBytes            *meso_sheet_view_get_pdf                (MesoSheetView *self);
const char        *meso_sheet_view_get_note               (MesoSheetView *self);
guint              meso_sheet_view_get_n_pages            (MesoSheetView *self);
GtkPrintOperation *meso_sheet_view_create_print_operation (MesoSheetView *self);
void               meso_sheet_view_set_show_actions       (MesoSheetView *self,
                                                           gboolean       show);
void               meso_sheet_view_scroll_to_start        (MesoSheetView *self);
void               meso_sheet_view_set_stale_notice       (MesoSheetView *self,
                                                           const char    *notice);
const char        *meso_sheet_view_get_stale_notice       (MesoSheetView *self);
double             meso_sheet_view_get_scale              (MesoSheetView *self);
double             meso_sheet_view_get_zoom               (MesoSheetView *self);

G_END_DECLS
