/* meso-report.h: a manager's figures for a period, as the store's SQL adds them up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a report breaks its figures down by. The ids (nicks) are a command-line and CSV
 * contract. */
typedef enum /*< prefix=MESO_REPORT_BY >*/
{
  MESO_REPORT_BY_AREA,          /*< nick=area >*/
  MESO_REPORT_BY_INDICATION,    /*< nick=indication >*/
  MESO_REPORT_BY_PRACTITIONER,  /*< nick=practitioner >*/
  MESO_REPORT_BY_PRODUCT,       /*< nick=product >*/
  MESO_REPORT_BY_REACTION,      /*< nick=reaction >*/
} MesoReportBy;

#define MESO_REPORT_N_BREAKDOWNS (MESO_REPORT_BY_REACTION + 1)

/* One line of a breakdown. @key is the value as stored (an area's or indication's id, a
 * practitioner's or product's name; "" for sessions that left it blank); a session with
 * two areas counts once under each. For reactions, @sessions is the sessions where it was
 * seen and @per_hundred that per hundred sessions of the period. */
typedef struct
{
  char   *key;
  gint64  sessions;
  gint64  injections;
  gint64  minutes;
  double  per_hundred;
} MesoReportRow;

/* How the chart groups sessions in time: weeks (Monday first) for a period up to about
 * three months, months beyond. */
typedef enum /*< prefix=MESO_REPORT_STEP >*/
{
  MESO_REPORT_STEP_WEEK,   /*< nick=week >*/
  MESO_REPORT_STEP_MONTH,  /*< nick=month >*/
} MesoReportStep;

/* One bar of the chart: the sessions that began in [start, start + step), by indication
 * (the same order as meso_report_get_indications()). */
typedef struct
{
  GDate   start;
  gint64  total;
  gint64 *by_indication;
} MesoReportBucket;

/* Series (a patient's planned sessions of one indication): started in the period (a
 * session numbered 1), completed (its last planned session in the period), abandoned (a
 * next session date that passed, before the report's end, with no later session of the
 * patient). */
typedef struct
{
  gint64 started;
  gint64 completed;
  gint64 abandoned;
} MesoReportSeries;

#define MESO_TYPE_REPORT (meso_report_get_type ())

G_DECLARE_FINAL_TYPE (MesoReport, meso_report, MESO, REPORT, GObject)

/* Made by an engine (meso_store_report()), read by the page, the tool and the PDF. Every
 * figure leaves voided sessions out, save meso_report_get_voided(); an amended session
 * counts with its current values. The period is in days of the clinic's time zone,
 * @first_day and @last_day both included. */
MesoReport             *meso_report_new              (const GDate       *first_day,
                                                      const GDate       *last_day);
const GDate            *meso_report_get_first_day    (MesoReport        *self);
const GDate            *meso_report_get_last_day     (MesoReport        *self);

gint64                  meso_report_get_sessions     (MesoReport        *self);
gint64                  meso_report_get_patients     (MesoReport        *self);
gint64                  meso_report_get_new_patients (MesoReport        *self);
gint64                  meso_report_get_returning_patients (MesoReport  *self);
gint64                  meso_report_get_injections   (MesoReport        *self);
gint64                  meso_report_get_minutes      (MesoReport        *self);
double                  meso_report_get_average_minutes (MesoReport     *self);
gint64                  meso_report_get_voided       (MesoReport        *self);
gint64                  meso_report_get_with_reactions (MesoReport      *self);
const MesoReportSeries *meso_report_get_series       (MesoReport        *self);

/* The rows of a breakdown, most sessions first: a GPtrArray of MesoReportRow. */
GPtrArray              *meso_report_get_rows         (MesoReport        *self,
                                                      MesoReportBy       by);

MesoReportStep          meso_report_get_step         (MesoReport        *self);
/* The indications the chart stacks, in a fixed order (ids, NULL-terminated). */
const char * const     *meso_report_get_indications  (MesoReport        *self);
/* Every bucket of the period, empty ones included: a GPtrArray of MesoReportBucket. */
GPtrArray              *meso_report_get_buckets      (MesoReport        *self);

/* For the engines. */
void                    meso_report_set_totals       (MesoReport        *self,
                                                      gint64             sessions,
                                                      gint64             patients,
                                                      gint64             new_patients,
                                                      gint64             injections,
                                                      gint64             minutes,
                                                      gint64             voided,
                                                      gint64             with_reactions);
void                    meso_report_set_series       (MesoReport        *self,
                                                      const MesoReportSeries *series);
void                    meso_report_add_row          (MesoReport        *self,
                                                      MesoReportBy       by,
                                                      const char        *key,
                                                      gint64             sessions,
                                                      gint64             injections,
                                                      gint64             minutes);
/* Adds @sessions to the bucket holding @day, under @indication (NULL or unknown: the
 * last stack, "other"). */
void                    meso_report_add_to_bucket    (MesoReport        *self,
                                                      const GDate       *day,
                                                      const char        *indication,
                                                      gint64             sessions);

const char             *meso_report_by_get_id        (MesoReportBy      by);
const char             *meso_report_by_get_title     (MesoReportBy      by);
const char             *meso_report_by_get_key_label (MesoReportBy      by,
                                                       const char       *key);

/* One patient who received a recalled lot or product, with every session they had of it
 * (voided sessions left out), the newest contact details and language on record. */
typedef struct
{
  gint64   patient_id;
  char    *patient_name;
  char    *phone;
  char    *email;
  char    *language;      /* "en", "fr", "es"... as the sheet uses it */
  char    *product;
  char    *lot;
  GArray  *session_ids;   /* of gint64, oldest first */
  GPtrArray *session_days; /* of char *, "YYYY-MM-DD" in the clinic's time zone, same order */
} MesoRecallPatient;

void meso_recall_patient_free (MesoRecallPatient *patient);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoRecallPatient, meso_recall_patient_free)

G_END_DECLS
