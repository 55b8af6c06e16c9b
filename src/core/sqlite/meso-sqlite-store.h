/* meso-sqlite-store.h: the store in one SQLite file, the default: nothing to set up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_SQLITE_STORE (meso_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (MesoSqliteStore, meso_sqlite_store, MESO, SQLITE_STORE, MesoStore)

MesoStore *meso_sqlite_store_open                      (const char  *path,
                                                        GError     **error);
MesoStore *meso_sqlite_store_open_read_only            (const char  *path,
                                                        GError     **error);
int        meso_sqlite_store_get_latest_schema_version (void);

G_END_DECLS
