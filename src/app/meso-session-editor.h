/* meso-session-editor.h: the chair-side form of one session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-draft.h"
#include "meso-session.h"
#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_SESSION_EDITOR (meso_session_editor_get_type ())

G_DECLARE_FINAL_TYPE (MesoSessionEditor, meso_session_editor, MESO, SESSION_EDITOR, GtkWidget)

GtkWidget   *meso_session_editor_new          (void);
MesoSession *meso_session_editor_read_session (MesoSessionEditor *self,
                                               GPtrArray         *problems);
void         meso_session_editor_show_problems (MesoSessionEditor *self,
                                                GPtrArray         *problems);
void         meso_session_editor_show_error   (MesoSessionEditor *self,
                                               const GError      *error);
void         meso_session_editor_clear        (MesoSessionEditor *self);
void         meso_session_editor_focus_patient (MesoSessionEditor *self);
void         meso_session_editor_start_from   (MesoSessionEditor *self,
                                               MesoSession       *last,
                                               guint              session_number);
void         meso_session_editor_set_saving   (MesoSessionEditor *self,
                                               gboolean           saving);
void         meso_session_editor_reload_lots  (MesoSessionEditor *self);
void         meso_session_editor_set_store    (MesoSessionEditor *self,
                                               MesoStore         *store);
void         meso_session_editor_set_practitioners (MesoSessionEditor *self,
                                                    GPtrArray         *practitioners);
void         meso_session_editor_set_defaults (MesoSessionEditor *self,
                                               const char        *language,
                                               const char        *practitioner);
void         meso_session_editor_start_timer  (MesoSessionEditor *self,
                                               gint64             now);
guint        meso_session_editor_stop_timer   (MesoSessionEditor *self,
                                               gint64             now);
gboolean     meso_session_editor_get_unsaved  (MesoSessionEditor *self);
MesoDraft   *meso_session_editor_get_draft    (MesoSessionEditor *self);
void         meso_session_editor_load_draft   (MesoSessionEditor *self,
                                               MesoDraft         *draft);

G_END_DECLS
