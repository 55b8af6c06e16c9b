/* meso-session.h: one treatment session, the record that travels from the form to
 * the store, the rules and the sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "meso-area.h"
#include "meso-error.h"

G_BEGIN_DECLS

/* Reactions seen at the chair. 0 means "not recorded"; NONE is the explicit answer "no
 * reaction seen", never implied by a blank. Ids (the nicks) are stored: append only. */
typedef enum /*< flags,prefix=MESO_REACTION >*/
{
  MESO_REACTION_NONE     = 1 << 0, /*< nick=none >*/
  MESO_REACTION_REDNESS  = 1 << 1, /*< nick=redness >*/
  MESO_REACTION_SWELLING = 1 << 2, /*< nick=swelling >*/
  MESO_REACTION_BRUISING = 1 << 3, /*< nick=bruising >*/
  MESO_REACTION_BLEEDING = 1 << 4, /*< nick=bleeding >*/
  MESO_REACTION_PAIN     = 1 << 5, /*< nick=pain >*/
  MESO_REACTION_OTHER    = 1 << 6, /*< nick=other >*/
} MesoReaction;

#define MESO_TYPE_SESSION (meso_session_get_type ())

G_DECLARE_FINAL_TYPE (MesoSession, meso_session, MESO, SESSION, GObject)

MesoSession *meso_session_new               (void);
MesoSession *meso_session_copy              (MesoSession *self);
gboolean     meso_session_equal             (MesoSession *a,
                                             MesoSession *b);

gint64       meso_session_get_id            (MesoSession *self);
void         meso_session_set_id            (MesoSession *self,
                                             gint64       id);
const char  *meso_session_get_patient_name  (MesoSession *self);
void         meso_session_set_patient_name  (MesoSession *self,
                                             const char  *patient_name);
MesoArea     meso_session_get_areas         (MesoSession *self);
void         meso_session_set_areas         (MesoSession *self,
                                             MesoArea     areas);
guint        meso_session_get_injections    (MesoSession *self);
void         meso_session_set_injections    (MesoSession *self,
                                             guint        injections);
guint        meso_session_get_duration      (MesoSession *self);
void         meso_session_set_duration      (MesoSession *self,
                                             guint        minutes);
GDateTime   *meso_session_get_performed_at  (MesoSession *self);
void         meso_session_set_performed_at  (MesoSession *self,
                                             GDateTime   *performed_at);

const char  *meso_session_get_date_of_birth (MesoSession *self);
const char  *meso_session_get_language      (MesoSession *self);
gboolean     meso_session_get_blood_thinners (MesoSession *self);
gboolean     meso_session_get_pregnant      (MesoSession *self);
gboolean     meso_session_get_pregnancy_override (MesoSession *self);
const char  *meso_session_get_practitioner  (MesoSession *self);
const char  *meso_session_get_indication    (MesoSession *self);
const char  *meso_session_get_technique     (MesoSession *self);
const char  *meso_session_get_product       (MesoSession *self);
const char  *meso_session_get_lot           (MesoSession *self);
MesoReaction meso_session_get_reactions     (MesoSession *self);
const char  *meso_session_get_instructions  (MesoSession *self);
const char  *meso_session_get_next_session  (MesoSession *self);
gboolean     meso_session_get_amended       (MesoSession *self);
void         meso_session_set_amended       (MesoSession *self,
                                             gboolean     amended);
gboolean     meso_session_get_voided        (MesoSession *self);
const char  *meso_session_get_void_reason   (MesoSession *self);
void         meso_session_set_voided        (MesoSession *self,
                                             const char  *reason);

/* Every field as text: the one way values come in from the command line, a CSV file or
 * an amendment, and go out to `show`, an export or the audit log. */
void         meso_session_set_unknown_value (MesoSession *self,
                                            MesoField    field,
                                            const char  *raw);
const char  *meso_session_get_unknown_value (MesoSession *self,
                                            MesoField    field);
char        *meso_session_get_field_text    (MesoSession *self,
                                             MesoField    field);
gboolean     meso_session_set_field_text    (MesoSession *self,
                                             MesoField    field,
                                             const char  *text,
                                             GError     **error);

gboolean     meso_session_list_problems     (MesoSession *self,
                                             GPtrArray   *problems);
gboolean     meso_session_validate          (MesoSession *self,
                                             GError     **error);
gboolean     meso_lot_is_expired            (const char  *expiry,
                                             const char  *day);

G_END_DECLS
