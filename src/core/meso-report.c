/* meso-report.c: a manager's figures for a period, as the store's SQL adds them up
 *
 * The object only holds what an engine counted: it adds nothing up from sessions itself
 * (the issue: "never by loading sessions into memory"). What it does work out is the
 * shape of the chart, made for the whole period when the report is made so that empty
 * weeks or months still show, and the rates derived from the totals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-field.h"
#include "meso-report.h"

/* Up to this many days (about three months) the chart steps by week. */
#define WEEKS_UP_TO_DAYS 92

struct _MesoReport
{
  GObject            parent_instance;

  GDate              first_day;
  GDate              last_day;

  gint64             sessions;
  gint64             patients;
  gint64             new_patients;
  gint64             injections;
  gint64             minutes;
  gint64             voided;
  gint64             with_reactions;
  MesoReportSeries   series;

  GPtrArray         *rows[MESO_REPORT_N_BREAKDOWNS];   /* of MesoReportRow */

  MesoReportStep     step;
  const char * const *indications;
  guint              n_indications;
  GPtrArray         *buckets;                         /* of MesoReportBucket */
};

G_DEFINE_FINAL_TYPE (MesoReport, meso_report, G_TYPE_OBJECT)

static const char * const by_ids[MESO_REPORT_N_BREAKDOWNS] = {
  "area", "indication", "practitioner", "product", "reaction",
};

static void
row_free (gpointer data)
{
  MesoReportRow *row = data;

  g_free (row->key);
  g_free (row);
}

static void
bucket_free (gpointer data)
{
  MesoReportBucket *bucket = data;

  g_free (bucket->by_indication);
  g_free (bucket);
}

static void
meso_report_finalize (GObject *object)
{
  MesoReport *self = MESO_REPORT (object);

  for (guint i = 0; i < MESO_REPORT_N_BREAKDOWNS; i++)
    g_ptr_array_unref (self->rows[i]);
  g_ptr_array_unref (self->buckets);

  G_OBJECT_CLASS (meso_report_parent_class)->finalize (object);
}

static void
meso_report_class_init (MesoReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_report_finalize;
}

static void
meso_report_init (MesoReport *self)
{
  for (guint i = 0; i < MESO_REPORT_N_BREAKDOWNS; i++)
    self->rows[i] = g_ptr_array_new_with_free_func (row_free);
  self->buckets = g_ptr_array_new_with_free_func (bucket_free);
  self->indications = meso_field_get_choices (MESO_FIELD_INDICATION);
  self->n_indications = g_strv_length ((char **) self->indications);
}

/* The first day of the step holding @day: its week's Monday, or its month's first. */
static void
step_start (MesoReportStep  step,
            const GDate    *day,
            GDate          *out_start)
{
  *out_start = *day;
  if (step == MESO_REPORT_STEP_WEEK)
    g_date_subtract_days (out_start, g_date_get_weekday (day) - G_DATE_MONDAY);
  else
    g_date_set_day (out_start, 1);
}

static void
step_forward (MesoReportStep  step,
              GDate          *day)
{
  if (step == MESO_REPORT_STEP_WEEK)
    g_date_add_days (day, 7);
  else
    g_date_add_months (day, 1);
}

static void
make_buckets (MesoReport *self)
{
  guint days = g_date_days_between (&self->first_day, &self->last_day) + 1;
  GDate start;

  self->step = days <= WEEKS_UP_TO_DAYS ? MESO_REPORT_STEP_WEEK : MESO_REPORT_STEP_MONTH;
  for (step_start (self->step, &self->first_day, &start);
       g_date_compare (&start, &self->last_day) <= 0;
       step_forward (self->step, &start))
    {
      MesoReportBucket *bucket = g_new0 (MesoReportBucket, 1);

      bucket->start = start;
      bucket->by_indication = g_new0 (gint64, self->n_indications);
      g_ptr_array_add (self->buckets, bucket);
    }
}

/**
 * meso_report_new:
 * @first_day: the period's first day, in the clinic's time zone
 * @last_day: its last day, included; not before @first_day
 *
 * Returns: (transfer full): an empty report whose chart has every bucket of the period.
 */
MesoReport *
meso_report_new (const GDate *first_day,
                 const GDate *last_day)
{
  MesoReport *self;

  g_return_val_if_fail (first_day != NULL && g_date_valid (first_day), NULL);
  g_return_val_if_fail (last_day != NULL && g_date_valid (last_day), NULL);
  g_return_val_if_fail (g_date_compare (first_day, last_day) <= 0, NULL);

  self = g_object_new (MESO_TYPE_REPORT, NULL);
  self->first_day = *first_day;
  self->last_day = *last_day;
  make_buckets (self);
  return self;
}

const GDate *
meso_report_get_first_day (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), NULL);
  return &self->first_day;
}

const GDate *
meso_report_get_last_day (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), NULL);
  return &self->last_day;
}

gint64
meso_report_get_sessions (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->sessions;
}

gint64
meso_report_get_patients (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->patients;
}

/* Patients whose first session ever lies in the period. */
gint64
meso_report_get_new_patients (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->new_patients;
}

/* Patients seen in the period who had a session before it. */
gint64
meso_report_get_returning_patients (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->patients - self->new_patients;
}

gint64
meso_report_get_injections (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->injections;
}

gint64
meso_report_get_minutes (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->minutes;
}

/* Minutes per session; 0 for a period with none. */
double
meso_report_get_average_minutes (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->sessions > 0 ? (double) self->minutes / (double) self->sessions : 0.0;
}

gint64
meso_report_get_voided (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->voided;
}

/* Sessions with at least one reaction other than "none". */
gint64
meso_report_get_with_reactions (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), 0);
  return self->with_reactions;
}

const MesoReportSeries *
meso_report_get_series (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), NULL);
  return &self->series;
}

/**
 * meso_report_get_rows:
 * @self: a report
 * @by: the breakdown
 *
 * @per_hundred is worked out here from the period's sessions for every breakdown (for
 * areas, indications... it is the share of sessions; a session with two areas counts
 * under each, so those shares may add up to more than 100).
 *
 * Returns: (transfer none) (element-type MesoReportRow): the rows, most sessions first,
 *   then by key.
 */
GPtrArray *
meso_report_get_rows (MesoReport   *self,
                      MesoReportBy  by)
{
  GPtrArray *rows;

  g_return_val_if_fail (MESO_IS_REPORT (self), NULL);
  g_return_val_if_fail (by < MESO_REPORT_N_BREAKDOWNS, NULL);

  rows = self->rows[by];
  for (guint i = 0; i < rows->len; i++)
    {
      MesoReportRow *row = g_ptr_array_index (rows, i);

      row->per_hundred = self->sessions > 0
                         ? 100.0 * (double) row->sessions / (double) self->sessions : 0.0;
    }
  return rows;
}

MesoReportStep
meso_report_get_step (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), MESO_REPORT_STEP_WEEK);
  return self->step;
}

/**
 * meso_report_get_indications:
 * @self: a report
 *
 * Returns: (transfer none): the indication ids the field knows, "other" last; each
 *   bucket's @by_indication has one count per id, in this order.
 */
const char * const *
meso_report_get_indications (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), NULL);
  return self->indications;
}

GPtrArray *
meso_report_get_buckets (MesoReport *self)
{
  g_return_val_if_fail (MESO_IS_REPORT (self), NULL);
  return self->buckets;
}

void
meso_report_set_totals (MesoReport *self,
                        gint64      sessions,
                        gint64      patients,
                        gint64      new_patients,
                        gint64      injections,
                        gint64      minutes,
                        gint64      voided,
                        gint64      with_reactions)
{
  g_return_if_fail (MESO_IS_REPORT (self));
  g_return_if_fail (new_patients <= patients);

  self->sessions = sessions;
  self->patients = patients;
  self->new_patients = new_patients;
  self->injections = injections;
  self->minutes = minutes;
  self->voided = voided;
  self->with_reactions = with_reactions;
}

void
meso_report_set_series (MesoReport             *self,
                        const MesoReportSeries *series)
{
  g_return_if_fail (MESO_IS_REPORT (self));
  g_return_if_fail (series != NULL);
  self->series = *series;
}

/* Most sessions first; equal ones by key, so the order never depends on the engine's. */
static int
compare_rows (const MesoReportRow *a,
              const MesoReportRow *b)
{
  if (a->sessions != b->sessions)
    return a->sessions > b->sessions ? -1 : 1;
  return g_strcmp0 (a->key, b->key);
}

/* Adds a line to a breakdown, kept in order as it goes in. */
void
meso_report_add_row (MesoReport   *self,
                     MesoReportBy  by,
                     const char   *key,
                     gint64        sessions,
                     gint64        injections,
                     gint64        minutes)
{
  MesoReportRow *row;
  GPtrArray *rows;
  guint at;

  g_return_if_fail (MESO_IS_REPORT (self));
  g_return_if_fail (by < MESO_REPORT_N_BREAKDOWNS);

  row = g_new0 (MesoReportRow, 1);
  row->key = g_strdup (key != NULL ? key : "");
  row->sessions = sessions;
  row->injections = injections;
  row->minutes = minutes;

  rows = self->rows[by];
  for (at = rows->len; at > 0; at--)
    if (compare_rows (g_ptr_array_index (rows, at - 1), row) <= 0)
      break;
  g_ptr_array_insert (rows, at, row);
}

static guint
indication_index (MesoReport *self,
                  const char *indication)
{
  for (guint i = 0; indication != NULL && i < self->n_indications; i++)
    if (g_str_equal (indication, self->indications[i]))
      return i;
  return self->n_indications - 1;
}

void
meso_report_add_to_bucket (MesoReport  *self,
                           const GDate *day,
                           const char  *indication,
                           gint64       sessions)
{
  MesoReportBucket *bucket;
  GDate start, first_start;
  guint index;

  g_return_if_fail (MESO_IS_REPORT (self));
  g_return_if_fail (day != NULL && g_date_valid (day));

  if (g_date_compare (day, &self->first_day) < 0 || g_date_compare (day, &self->last_day) > 0)
    {
      g_critical ("A report’s day outside its period");
      return;
    }

  /* Buckets are consecutive steps from the first one's start. */
  step_start (self->step, day, &start);
  step_start (self->step, &self->first_day, &first_start);
  if (self->step == MESO_REPORT_STEP_WEEK)
    index = g_date_days_between (&first_start, &start) / 7;
  else
    index = (g_date_get_year (&start) - g_date_get_year (&first_start)) * 12
            + g_date_get_month (&start) - g_date_get_month (&first_start);

  g_return_if_fail (index < self->buckets->len);
  bucket = g_ptr_array_index (self->buckets, index);
  bucket->by_indication[indication_index (self, indication)] += sessions;
  bucket->total += sessions;
}

const char *
meso_report_by_get_id (MesoReportBy by)
{
  g_return_val_if_fail (by < MESO_REPORT_N_BREAKDOWNS, NULL);
  return by_ids[by];
}

/**
 * meso_report_by_get_title:
 * @by: a breakdown
 *
 * Returns: (transfer none): the breakdown's heading, in the user interface's language.
 */
const char *
meso_report_by_get_title (MesoReportBy by)
{
  switch (by)
    {
    case MESO_REPORT_BY_AREA: return _("By area");
    case MESO_REPORT_BY_INDICATION: return _("By indication");
    case MESO_REPORT_BY_PRACTITIONER: return _("By practitioner");
    case MESO_REPORT_BY_PRODUCT: return _("By product");
    case MESO_REPORT_BY_REACTION: return _("Reactions");
    default: g_return_val_if_reached ("");
    }
}

/**
 * meso_report_by_get_key_label:
 * @by: a breakdown
 * @key: (nullable): one of its lines' keys, as stored
 *
 * Returns: (transfer none): the key as people read it: areas, indications and
 *   reactions by their names, practitioners and products as they were written, a
 *   blank as "Not recorded".
 */
const char *
meso_report_by_get_key_label (MesoReportBy  by,
                              const char   *key)
{
  if (key == NULL || *key == '\0')
    return _("Not recorded");
  switch (by)
    {
    case MESO_REPORT_BY_AREA:
      return meso_field_get_choice_label (MESO_FIELD_AREAS, key);
    case MESO_REPORT_BY_INDICATION:
      return meso_field_get_choice_label (MESO_FIELD_INDICATION, key);
    case MESO_REPORT_BY_REACTION:
      return meso_field_get_choice_label (MESO_FIELD_REACTIONS, key);
    case MESO_REPORT_BY_PRACTITIONER:
    case MESO_REPORT_BY_PRODUCT:
    default:
      return key;
    }
}

void
meso_recall_patient_free (MesoRecallPatient *patient)
{
  if (patient == NULL)
    return;

  g_free (patient->patient_name);
  g_free (patient->phone);
  g_free (patient->email);
  g_free (patient->language);
  g_free (patient->product);
  g_free (patient->lot);
  g_clear_pointer (&patient->session_ids, g_array_unref);
  g_clear_pointer (&patient->session_days, g_ptr_array_unref);
  g_free (patient);
}
