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

/* One line of a recall: @patient's @session-th session (an index into its arrays), its
 * fields one a column, a detail not on record "". */
typedef void (*MesoRecallLineFunc) (const MesoRecallPatient *patient,
                                    guint                    session,
                                    const char * const      *fields,
                                    gpointer                 user_data);

const char * const *meso_recall_get_columns   (void);
void                meso_recall_foreach_line  (GPtrArray          *patients,
                                               MesoRecallLineFunc  func,
                                               gpointer            user_data);

void meso_report_write_csv (MesoReport *report,
                            GString    *out);
void meso_recall_write_csv (GPtrArray  *patients,
                            GString    *out);
void meso_audit_write_csv  (GPtrArray  *entries,
                            GString    *out);

G_END_DECLS
