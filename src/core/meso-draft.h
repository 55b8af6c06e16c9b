/* meso-draft.h: the form of a session not yet saved, kept on disk against a crash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "meso-error.h"

G_BEGIN_DECLS

#define MESO_TYPE_DRAFT (meso_draft_get_type ())

G_DECLARE_FINAL_TYPE (MesoDraft, meso_draft, MESO, DRAFT, GObject)

MesoDraft  *meso_draft_new              (void);
const char *meso_draft_get_text         (MesoDraft   *self,
                                         MesoField    field);
void        meso_draft_set_text         (MesoDraft   *self,
                                         MesoField    field,
                                         const char  *text);
GDateTime  *meso_draft_get_saved_at     (MesoDraft   *self);
void        meso_draft_set_saved_at     (MesoDraft   *self,
                                         GDateTime   *saved_at);

GBytes     *meso_draft_to_bytes         (MesoDraft   *self);
MesoDraft  *meso_draft_new_from_bytes   (GBytes      *bytes,
                                         GError     **error);

char       *meso_draft_get_default_path (const char  *database);
gboolean    meso_draft_save             (MesoDraft   *self,
                                         const char  *path,
                                         GError     **error);
MesoDraft  *meso_draft_load             (const char  *path,
                                         GError     **error);
gboolean    meso_draft_remove           (const char  *path,
                                         GError     **error);

G_END_DECLS
