/* meso-sheet-printer.h: a sheet handed out (printed or saved as a PDF) and put on the
 * record, from whichever page asks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-rules.h"
#include "meso-sheet.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_SHEET_PRINTER (meso_sheet_printer_get_type ())

G_DECLARE_FINAL_TYPE (MesoSheetPrinter, meso_sheet_printer, MESO, SHEET_PRINTER, GObject)

MesoSheetPrinter *meso_sheet_printer_new              (MesoStore        *store);
MesoRules        *meso_sheet_printer_get_rules        (MesoSheetPrinter *self);
MesoSheet        *meso_sheet_printer_make_sheet       (MesoSheetPrinter *self,
                                                       MesoSession      *session,
                                                       MesoClinic       *clinic,
                                                       MesoAdjustments  *adjustments);
void              meso_sheet_printer_load_sheet_async (MesoSheetPrinter *self,
                                                       MesoSession      *session,
                                                       GCancellable     *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer          user_data);
MesoSheet        *meso_sheet_printer_load_sheet_finish (MesoSheetPrinter *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);
void              meso_sheet_printer_print            (MesoSheetPrinter *self,
                                                       GtkWidget        *from,
                                                       gint64            session_id,
                                                       GBytes           *pdf);
void              meso_sheet_printer_save_pdf         (MesoSheetPrinter *self,
                                                       GtkWidget        *from,
                                                       MesoSession      *session,
                                                       GBytes           *pdf);
void              meso_sheet_printer_write_pdf        (MesoSheetPrinter *self,
                                                       GtkWidget        *from,
                                                       gint64            session_id,
                                                       GBytes           *pdf,
                                                       GFile            *file);
void              meso_sheet_printer_print_document   (MesoSheetPrinter *self,
                                                       GtkWidget        *from,
                                                       GBytes           *pdf,
                                                       const char       *job_name,
                                                       const char       *document);
void              meso_sheet_printer_write_document   (MesoSheetPrinter *self,
                                                       GtkWidget        *from,
                                                       GBytes           *pdf,
                                                       GFile            *file,
                                                       const char       *document);
GtkPrintOperation *meso_sheet_print_operation_new     (gpointer          document);
GMutex           *meso_sheet_printer_get_poppler_lock (void);
void              meso_sheet_printer_hand_out         (MesoSheetPrinter *self,
                                                       GtkWidget        *from,
                                                       MesoSession      *session,
                                                       gboolean          to_file);

G_END_DECLS
