/* meso-sheet-page.h: one page of the sheet preview, as wide as it is given, as tall as
 * its proportions ask
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MESO_TYPE_SHEET_PAGE (meso_sheet_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoSheetPage, meso_sheet_page, MESO, SHEET_PAGE, GtkWidget)

GtkWidget *meso_sheet_page_new (GdkPaintable *paintable,
                                const char   *name);

G_END_DECLS
