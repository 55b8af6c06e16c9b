/* meso-session.h: one treatment session, the record that travels from the form to
 * the store, the rules and the sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "meso-area.h"

G_BEGIN_DECLS

#define MESO_TYPE_SESSION (meso_session_get_type ())

G_DECLARE_FINAL_TYPE (MesoSession, meso_session, MESO, SESSION, GObject)

MesoSession *meso_session_new               (void);
MesoSession *meso_session_copy              (MesoSession *self);

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

gboolean     meso_session_validate          (MesoSession *self,
                                             GError     **error);

G_END_DECLS
