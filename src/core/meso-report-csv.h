/* meso-report-csv.h: the report, the recall and the audit log as CSV, the files
 * `mesocare-cli … --format csv` prints and the Reports page saves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "meso-report.h"
#include "meso-store.h"

G_BEGIN_DECLS

/* The recall's columns, in order: a contract with the scripts that read them. */
#define MESO_RECALL_N_COLUMNS 8

const char * const *meso_recall_get_columns (void);
void                meso_recall_get_fields  (const MesoRecallPatient *patient,
                                             guint                    session,
                                             char                    *id_text,
                                             gsize                    id_size,
                                             const char              *fields[MESO_RECALL_N_COLUMNS]);

void meso_report_write_csv (MesoReport *report,
                            GString    *out);
void meso_recall_write_csv (GPtrArray  *patients,
                            GString    *out);
void meso_audit_write_csv  (GPtrArray  *entries,
                            GString    *out);

G_END_DECLS
