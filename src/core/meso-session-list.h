/* meso-session-list.h: the sessions a query finds, as a GListModel read page by page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-session-item.h"
#include "meso-session-query.h"
#include "meso-store.h"

G_BEGIN_DECLS

/* Rows read from the store at once when one of them is asked for. */
#define MESO_SESSION_LIST_PAGE_SIZE 200
/* Pages kept, the least recently asked for going first. */
#define MESO_SESSION_LIST_CACHED_PAGES 8

#define MESO_TYPE_SESSION_LIST (meso_session_list_get_type ())

G_DECLARE_FINAL_TYPE (MesoSessionList, meso_session_list, MESO, SESSION_LIST, GObject)

MesoSessionList  *meso_session_list_new           (MesoStore        *store,
                                                   MesoSessionQuery *query);
MesoStore        *meso_session_list_get_store     (MesoSessionList  *self);
MesoSessionQuery *meso_session_list_get_query     (MesoSessionList  *self);
void              meso_session_list_set_query     (MesoSessionList  *self,
                                                   MesoSessionQuery *query);
gint64            meso_session_list_get_count     (MesoSessionList  *self);
gboolean          meso_session_list_get_loading   (MesoSessionList  *self);
guint64           meso_session_list_get_rows_read (MesoSessionList  *self);
void              meso_session_list_refresh       (MesoSessionList  *self);

G_END_DECLS
