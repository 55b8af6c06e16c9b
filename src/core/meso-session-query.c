/* meso-session-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "meso-error.h"
#include "meso-session-query.h"
#include "meso-text.h"

struct _MesoSessionQuery
{
  GObject            parent_instance;

  GDateTime         *from;
  GDateTime         *to;
  char              *patient_key;   /* folded (meso_text_fold) */
  char              *birth_date;    /* YYYY-MM-DD */
  gint64             patient_of;    /* a session id; 0: any patient */
  char              *practitioner;
  MesoArea           areas;
  char              *indication;
  char              *product;
  char              *lot;
  MesoReaction       reactions;
  MesoSessionStatus  status;
  MesoSessionSort    sort;
  gboolean           descending;
  guint              offset;
  guint              limit;         /* 0: no limit */
};

G_DEFINE_FINAL_TYPE (MesoSessionQuery, meso_session_query, G_TYPE_OBJECT)

static const char * const status_ids[] = { "any", "active", "amended", "voided" };

const char *
meso_session_status_get_id (MesoSessionStatus status)
{
  g_return_val_if_fail (status <= MESO_SESSION_STATUS_VOIDED, NULL);
  return status_ids[status];
}

gboolean
meso_session_status_from_id (const char        *id,
                             MesoSessionStatus *out_status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_ids); i++)
    if (g_strcmp0 (id, status_ids[i]) == 0)
      {
        *out_status = (MesoSessionStatus) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * meso_session_get_status:
 * @session: a session read from the store
 *
 * Returns: voided, amended (corrected at least once, in force), or active.
 */
MesoSessionStatus
meso_session_get_status (MesoSession *session)
{
  if (meso_session_get_voided (session))
    return MESO_SESSION_STATUS_VOIDED;
  return meso_session_get_amended (session) ? MESO_SESSION_STATUS_AMENDED
                                            : MESO_SESSION_STATUS_ACTIVE;
}

static void
meso_session_query_finalize (GObject *object)
{
  MesoSessionQuery *self = (MesoSessionQuery *) object;

  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_clear_pointer (&self->patient_key, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  g_clear_pointer (&self->practitioner, g_free);
  g_clear_pointer (&self->indication, g_free);
  g_clear_pointer (&self->product, g_free);
  g_clear_pointer (&self->lot, g_free);

  G_OBJECT_CLASS (meso_session_query_parent_class)->finalize (object);
}

static void
meso_session_query_class_init (MesoSessionQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_session_query_finalize;
}

static void
meso_session_query_init (MesoSessionQuery *self)
{
  self->sort = MESO_SESSION_SORT_DATE;
  self->descending = TRUE;
}

/**
 * meso_session_query_new:
 *
 * Returns: (transfer full): a query for every session, newest first.
 */
MesoSessionQuery *
meso_session_query_new (void)
{
  return g_object_new (MESO_TYPE_SESSION_QUERY, NULL);
}

/**
 * meso_session_query_copy:
 * @self: a #MesoSessionQuery
 *
 * Returns: (transfer full): the same question, to hand to another thread while @self
 *   goes on changing.
 */
MesoSessionQuery *
meso_session_query_copy (MesoSessionQuery *self)
{
  MesoSessionQuery *copy = meso_session_query_new ();

  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);

  meso_session_query_set_period (copy, self->from, self->to);
  copy->patient_key = g_strdup (self->patient_key);
  copy->birth_date = g_strdup (self->birth_date);
  copy->patient_of = self->patient_of;
  copy->practitioner = g_strdup (self->practitioner);
  copy->areas = self->areas;
  copy->indication = g_strdup (self->indication);
  copy->product = g_strdup (self->product);
  copy->lot = g_strdup (self->lot);
  copy->reactions = self->reactions;
  copy->status = self->status;
  copy->sort = self->sort;
  copy->descending = self->descending;
  copy->offset = self->offset;
  copy->limit = self->limit;
  return copy;
}

static gboolean
times_equal (GDateTime *a,
             GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

/**
 * meso_session_query_equal:
 * @a: a #MesoSessionQuery
 * @b: another
 *
 * Returns: whether both ask for the same sessions in the same order and range: a list
 *   given the same question again need not ask the store.
 */
gboolean
meso_session_query_equal (MesoSessionQuery *a,
                          MesoSessionQuery *b)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (a) && MESO_IS_SESSION_QUERY (b), FALSE);

  return times_equal (a->from, b->from) && times_equal (a->to, b->to)
         && g_strcmp0 (a->patient_key, b->patient_key) == 0
         && g_strcmp0 (a->birth_date, b->birth_date) == 0
         && a->patient_of == b->patient_of
         && g_strcmp0 (a->practitioner, b->practitioner) == 0
         && a->areas == b->areas
         && g_strcmp0 (a->indication, b->indication) == 0
         && g_strcmp0 (a->product, b->product) == 0
         && g_strcmp0 (a->lot, b->lot) == 0
         && a->reactions == b->reactions && a->status == b->status
         && a->sort == b->sort && a->descending == b->descending
         && a->offset == b->offset && a->limit == b->limit;
}

static void
replace_time (GDateTime **slot,
              GDateTime  *value)
{
  g_clear_pointer (slot, g_date_time_unref);
  if (value != NULL)
    *slot = g_date_time_to_utc (value);
}

void
meso_session_query_set_period (MesoSessionQuery *self,
                               GDateTime        *from,
                               GDateTime        *to)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));

  replace_time (&self->from, from);
  replace_time (&self->to, to);
}

GDateTime *
meso_session_query_get_from (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->from;
}

GDateTime *
meso_session_query_get_to (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->to;
}

/* A day as typed, YYYY-MM-DD, to the local midnight that starts it; @label names the
 * option in the message. */
static GDateTime *
parse_day (const char  *text,
           const char  *label,
           GError     **error)
{
  unsigned year, month, day;
  char end;
  GDateTime *midnight = NULL;

  /* Digits where sscanf's %u would also take a sign or a blank ("-026" is a huge year). */
  for (guint i = 0; i < 10 && text[i] != '\0'; i++)
    if (i == 4 || i == 7 ? text[i] != '-' : !g_ascii_isdigit (text[i]))
      goto bad;
  if (sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) != 3
      || strlen (text) != 10
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year)
      || (midnight = g_date_time_new_local ((int) year, (int) month, (int) day,
                                            0, 0, 0)) == NULL)
    goto bad;
  return midnight;

bad:
  g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
               _("%s: “%s” is not a date (YYYY-MM-DD)"), label, text);
  return NULL;
}

/**
 * meso_session_query_set_days:
 * @self: a #MesoSessionQuery
 * @first_day: (nullable): the first day, YYYY-MM-DD, local time
 * @last_day: (nullable): the last day, included
 * @error: a #GError naming "From" or "To"
 *
 * The period as a person says it: "from the 1st to the 30th" means up to the end of
 * the 30th, in the clinic's time zone.
 */
gboolean
meso_session_query_set_days (MesoSessionQuery  *self,
                             const char        *first_day,
                             const char        *last_day,
                             GError           **error)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GDateTime) to = NULL;

  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), FALSE);

  if (first_day != NULL && (from = parse_day (first_day, _("From"), error)) == NULL)
    return FALSE;
  if (last_day != NULL)
    {
      if ((last = parse_day (last_day, _("To"), error)) == NULL)
        return FALSE;
      to = g_date_time_add_days (last, 1);
    }
  if (from != NULL && to != NULL && g_date_time_compare (from, to) >= 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("To: the last day (%s) comes before the first (%s)"), last_day, first_day);
      return FALSE;
    }
  meso_session_query_set_period (self, from, to);
  return TRUE;
}

/**
 * meso_session_query_set_calendar_period:
 * @self: a #MesoSessionQuery
 * @period: today, this week (from Monday), this month, or any time
 * @now: (nullable): the moment it is, in the time zone that says where days begin;
 *   %NULL: now, local time
 *
 * The period as a receptionist picks it: "this week" is the calendar week that holds
 * @now, to its end, so that a session booked for later today or this week shows too.
 */
void
meso_session_query_set_calendar_period (MesoSessionQuery *self,
                                        MesoPeriod        period,
                                        GDateTime        *now)
{
  g_autoptr(GDateTime) local_now = now != NULL ? g_date_time_ref (now)
                                               : g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  g_return_if_fail (MESO_IS_SESSION_QUERY (self));

  midnight = g_date_time_new (g_date_time_get_timezone (local_now),
                              g_date_time_get_year (local_now),
                              g_date_time_get_month (local_now),
                              g_date_time_get_day_of_month (local_now), 0, 0, 0);
  switch (period)
    {
    case MESO_PERIOD_TODAY:
      from = g_date_time_ref (midnight);
      to = g_date_time_add_days (midnight, 1);
      break;
    case MESO_PERIOD_THIS_WEEK:
      from = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (midnight));
      to = g_date_time_add_weeks (from, 1);
      break;
    case MESO_PERIOD_THIS_MONTH:
      from = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_month (midnight));
      to = g_date_time_add_months (from, 1);
      break;
    case MESO_PERIOD_ANY:
    default:
      break;
    }
  meso_session_query_set_period (self, from, to);
}

/**
 * meso_session_query_set_patient_text:
 * @self: a #MesoSessionQuery
 * @text: (nullable): a few letters of the patient's name, anywhere in it; accents and
 *   case do not matter
 */
void
meso_session_query_set_patient_text (MesoSessionQuery *self,
                                     const char       *text)
{
  g_autofree char *key = meso_text_fold (text);

  g_return_if_fail (MESO_IS_SESSION_QUERY (self));

  g_clear_pointer (&self->patient_key, g_free);
  if (*key != '\0')
    self->patient_key = g_steal_pointer (&key);
}

const char *
meso_session_query_get_patient_key (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->patient_key;
}

/**
 * meso_session_query_set_birth_date:
 * @self: a #MesoSessionQuery
 * @date: (nullable): a patient's date of birth, YYYY-MM-DD, or %NULL for any
 *
 * The sessions of the patients born that day: how the front desk tells apart two
 * patients of one name.
 *
 * Returns: %FALSE, with @error naming the field, when @date is no date.
 */
gboolean
meso_session_query_set_birth_date (MesoSessionQuery  *self,
                                   const char        *date,
                                   GError           **error)
{
  g_autoptr(GDateTime) day = NULL;

  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), FALSE);

  if (date != NULL && (day = parse_day (date, _("Date of birth"), error)) == NULL)
    return FALSE;
  g_free (self->birth_date);
  self->birth_date = g_strdup (date);
  return TRUE;
}

const char *
meso_session_query_get_birth_date (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->birth_date;
}

static void
replace_text (char       **slot,
              const char  *value)
{
  g_clear_pointer (slot, g_free);
  if (value != NULL && *value != '\0')
    *slot = g_strdup (value);
}

void
meso_session_query_set_practitioner (MesoSessionQuery *self,
                                     const char       *name)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  replace_text (&self->practitioner, name);
}

const char *
meso_session_query_get_practitioner (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->practitioner;
}

/* Sessions that treated any one of @areas. */
void
meso_session_query_set_areas (MesoSessionQuery *self,
                              MesoArea          areas)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  self->areas = areas & MESO_AREA_ALL;
}

MesoArea
meso_session_query_get_areas (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), MESO_AREA_NONE);
  return self->areas;
}

void
meso_session_query_set_indication (MesoSessionQuery *self,
                                   const char       *indication)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  replace_text (&self->indication, indication);
}

const char *
meso_session_query_get_indication (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->indication;
}

void
meso_session_query_set_product (MesoSessionQuery *self,
                                const char       *product)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  replace_text (&self->product, product);
}

const char *
meso_session_query_get_product (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->product;
}

void
meso_session_query_set_lot (MesoSessionQuery *self,
                            const char       *lot)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  replace_text (&self->lot, lot);
}

const char *
meso_session_query_get_lot (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), NULL);
  return self->lot;
}

/* Sessions where any one of @reactions was seen. */
void
meso_session_query_set_reactions (MesoSessionQuery *self,
                                  MesoReaction      reactions)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  self->reactions = reactions;
}

MesoReaction
meso_session_query_get_reactions (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), 0);
  return self->reactions;
}

void
meso_session_query_set_status (MesoSessionQuery  *self,
                               MesoSessionStatus  status)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  self->status = status;
}

MesoSessionStatus
meso_session_query_get_status (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), MESO_SESSION_STATUS_ANY);
  return self->status;
}

void
meso_session_query_set_sort (MesoSessionQuery *self,
                             MesoSessionSort   sort,
                             gboolean          descending)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  self->sort = sort;
  self->descending = descending;
}

MesoSessionSort
meso_session_query_get_sort (MesoSessionQuery *self,
                             gboolean         *descending)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), MESO_SESSION_SORT_DATE);
  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

/* A page: @limit rows (0: all) after skipping @offset. */
void
meso_session_query_set_range (MesoSessionQuery *self,
                              guint             offset,
                              guint             limit)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  self->offset = offset;
  self->limit = limit;
}

guint
meso_session_query_get_offset (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), 0);
  return self->offset;
}

guint
meso_session_query_get_limit (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), 0);
  return self->limit;
}

/**
 * meso_session_query_set_patient_of:
 * @self: a #MesoSessionQuery
 * @session_id: a stored session's id, or 0 for any patient
 *
 * The sessions of the patient of session @session_id, by the store's identity of the
 * patient rather than by name: two patients of one name stay apart.
 */
void
meso_session_query_set_patient_of (MesoSessionQuery *self,
                                   gint64            session_id)
{
  g_return_if_fail (MESO_IS_SESSION_QUERY (self));
  g_return_if_fail (session_id >= 0);

  self->patient_of = session_id;
}

gint64
meso_session_query_get_patient_of (MesoSessionQuery *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (self), 0);
  return self->patient_of;
}
