/* meso-session-item.h: one row of a session list, which may still be on its way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "meso-session.h"

G_BEGIN_DECLS

#define MESO_TYPE_SESSION_ITEM (meso_session_item_get_type ())

G_DECLARE_FINAL_TYPE (MesoSessionItem, meso_session_item, MESO, SESSION_ITEM, GObject)

MesoSessionItem *meso_session_item_new         (guint            position);
guint            meso_session_item_get_position (MesoSessionItem *self);
MesoSession     *meso_session_item_get_session (MesoSessionItem *self);
void             meso_session_item_set_session (MesoSessionItem *self,
                                                MesoSession     *session);
gint64           meso_session_item_get_id      (MesoSessionItem *self);

G_END_DECLS
