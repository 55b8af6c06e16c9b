/* meso-store.h: where sessions are kept (SQLite)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-session.h"

G_BEGIN_DECLS

#define MESO_TYPE_STORE (meso_store_get_type ())

G_DECLARE_FINAL_TYPE (MesoStore, meso_store, MESO, STORE, GObject)

char       *meso_store_get_default_path    (void);
MesoStore  *meso_store_open                (const char   *path,
                                            GError      **error);
MesoStore  *meso_store_open_existing       (const char   *path,
                                            GError      **error);
const char *meso_store_get_path            (MesoStore    *self);
int         meso_store_get_schema_version  (MesoStore    *self);
int         meso_store_get_latest_schema_version (void);

gboolean    meso_store_save_session        (MesoStore    *self,
                                            MesoSession  *session,
                                            GError      **error);
MesoSession *meso_store_get_session        (MesoStore    *self,
                                            gint64        id,
                                            GError      **error);
GPtrArray  *meso_store_list_sessions       (MesoStore    *self,
                                            GError      **error);
gint64      meso_store_count_sessions      (MesoStore    *self,
                                            GError      **error);

G_END_DECLS
