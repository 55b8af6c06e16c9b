/* meso-session-query.h: which sessions, in which order: what a list, a filter or an
 * export asks of the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "meso-area.h"
#include "meso-session.h"

G_BEGIN_DECLS

/* A session's state in the history. The ids (nicks) are a command-line contract. */
typedef enum /*< prefix=MESO_SESSION_STATUS >*/
{
  MESO_SESSION_STATUS_ANY,      /*< nick=any >*/
  MESO_SESSION_STATUS_ACTIVE,   /*< nick=active >*/
  MESO_SESSION_STATUS_AMENDED,  /*< nick=amended >*/
  MESO_SESSION_STATUS_VOIDED,   /*< nick=voided >*/
} MesoSessionStatus;

/* What a list can be sorted by; ties always fall back to newest first. */
typedef enum /*< prefix=MESO_SESSION_SORT >*/
{
  MESO_SESSION_SORT_DATE,          /*< nick=date >*/
  MESO_SESSION_SORT_PATIENT,       /*< nick=patient >*/
  MESO_SESSION_SORT_PRACTITIONER,  /*< nick=practitioner >*/
  MESO_SESSION_SORT_AREAS,         /*< nick=areas >*/
  MESO_SESSION_SORT_INDICATION,    /*< nick=indication >*/
  MESO_SESSION_SORT_PRODUCT,       /*< nick=product >*/
  MESO_SESSION_SORT_LOT,           /*< nick=lot >*/
  MESO_SESSION_SORT_INJECTIONS,    /*< nick=injections >*/
  MESO_SESSION_SORT_DURATION,      /*< nick=duration >*/
  MESO_SESSION_SORT_STATUS,        /*< nick=status >*/
} MesoSessionSort;

/* The periods a list offers at one click, in the clinic's time zone. */
typedef enum /*< prefix=MESO_PERIOD >*/
{
  MESO_PERIOD_ANY,         /*< nick=any >*/
  MESO_PERIOD_TODAY,       /*< nick=today >*/
  MESO_PERIOD_THIS_WEEK,   /*< nick=this-week >*/
  MESO_PERIOD_THIS_MONTH,  /*< nick=this-month >*/
} MesoPeriod;

const char        *meso_session_status_get_id   (MesoSessionStatus status);
gboolean           meso_session_status_from_id  (const char        *id,
                                                 MesoSessionStatus *out_status);
MesoSessionStatus  meso_session_get_status      (MesoSession       *session);

#define MESO_TYPE_SESSION_QUERY (meso_session_query_get_type ())

G_DECLARE_FINAL_TYPE (MesoSessionQuery, meso_session_query, MESO, SESSION_QUERY, GObject)

MesoSessionQuery *meso_session_query_new              (void);
MesoSessionQuery *meso_session_query_copy             (MesoSessionQuery  *self);
gboolean          meso_session_query_equal            (MesoSessionQuery  *a,
                                                       MesoSessionQuery  *b);

/* The period, from @from (included) to @to (excluded); either may be NULL. */
void              meso_session_query_set_period       (MesoSessionQuery  *self,
                                                       GDateTime         *from,
                                                       GDateTime         *to);
GDateTime        *meso_session_query_get_from         (MesoSessionQuery  *self);
GDateTime        *meso_session_query_get_to           (MesoSessionQuery  *self);
gboolean          meso_session_query_set_days         (MesoSessionQuery  *self,
                                                       const char        *first_day,
                                                       const char        *last_day,
                                                       GError           **error);
void              meso_session_query_set_calendar_period (MesoSessionQuery *self,
                                                        MesoPeriod        period,
                                                        GDateTime        *now);
void              meso_session_query_set_patient_text (MesoSessionQuery  *self,
                                                       const char        *text);
const char       *meso_session_query_get_patient_key  (MesoSessionQuery  *self);
gboolean          meso_session_query_set_birth_date   (MesoSessionQuery  *self,
                                                       const char        *date,
                                                       GError           **error);
const char       *meso_session_query_get_birth_date   (MesoSessionQuery  *self);
void              meso_session_query_set_patient_of   (MesoSessionQuery  *self,
                                                       gint64             session_id);
gint64            meso_session_query_get_patient_of   (MesoSessionQuery  *self);
void              meso_session_query_set_practitioner (MesoSessionQuery  *self,
                                                       const char        *name);
const char       *meso_session_query_get_practitioner (MesoSessionQuery  *self);
void              meso_session_query_set_areas        (MesoSessionQuery  *self,
                                                       MesoArea           areas);
MesoArea          meso_session_query_get_areas        (MesoSessionQuery  *self);
void              meso_session_query_set_indication   (MesoSessionQuery  *self,
                                                       const char        *indication);
const char       *meso_session_query_get_indication   (MesoSessionQuery  *self);
void              meso_session_query_set_product      (MesoSessionQuery  *self,
                                                       const char        *product);
const char       *meso_session_query_get_product      (MesoSessionQuery  *self);
void              meso_session_query_set_lot          (MesoSessionQuery  *self,
                                                       const char        *lot);
const char       *meso_session_query_get_lot          (MesoSessionQuery  *self);
void              meso_session_query_set_reactions    (MesoSessionQuery  *self,
                                                       MesoReaction       reactions);
MesoReaction      meso_session_query_get_reactions    (MesoSessionQuery  *self);
void              meso_session_query_set_status       (MesoSessionQuery  *self,
                                                       MesoSessionStatus  status);
MesoSessionStatus meso_session_query_get_status       (MesoSessionQuery  *self);
void              meso_session_query_set_sort         (MesoSessionQuery  *self,
                                                       MesoSessionSort    sort,
                                                       gboolean           descending);
MesoSessionSort   meso_session_query_get_sort         (MesoSessionQuery  *self,
                                                       gboolean          *descending);
void              meso_session_query_set_range        (MesoSessionQuery  *self,
                                                       guint              offset,
                                                       guint              limit);
guint             meso_session_query_get_offset       (MesoSessionQuery  *self);
guint             meso_session_query_get_limit        (MesoSessionQuery  *self);

G_END_DECLS
