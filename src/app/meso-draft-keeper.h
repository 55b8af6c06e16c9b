/* meso-draft-keeper.h: the Record form's unsaved work: its draft on disk, offered back
 * after a crash, and the question before it is thrown away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-session-editor.h"

G_BEGIN_DECLS

#define MESO_TYPE_DRAFT_KEEPER (meso_draft_keeper_get_type ())

G_DECLARE_FINAL_TYPE (MesoDraftKeeper, meso_draft_keeper, MESO, DRAFT_KEEPER, GObject)

/* What follows once the practitioner has agreed to lose the form's work (or when
 * there was none). */
typedef void (*MesoDiscardedFunc) (gpointer user_data);

MesoDraftKeeper *meso_draft_keeper_new         (MesoSessionEditor *editor,
                                                const char        *path);
const char      *meso_draft_keeper_get_path    (MesoDraftKeeper   *self);
gboolean         meso_draft_keeper_get_unsaved (MesoDraftKeeper   *self);
void             meso_draft_keeper_discard     (MesoDraftKeeper   *self);
void             meso_draft_keeper_ask_discard (MesoDraftKeeper   *self,
                                                GtkWindow         *parent,
                                                MesoDiscardedFunc  then,
                                                gpointer           user_data,
                                                GDestroyNotify     destroy);

G_END_DECLS
