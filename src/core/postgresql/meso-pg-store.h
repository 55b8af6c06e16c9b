/* meso-pg-store.h: the store on a clinic's PostgreSQL server, for several workstations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "meso-store.h"

G_BEGIN_DECLS

#define MESO_TYPE_PG_STORE (meso_pg_store_get_type ())

G_DECLARE_FINAL_TYPE (MesoPgStore, meso_pg_store, MESO, PG_STORE, MesoStore)

gboolean   meso_pg_store_is_location  (const char  *location);
char      *meso_pg_store_describe     (const char  *uri);
MesoStore *meso_pg_store_open         (const char  *uri,
                                       gboolean     read_only,
                                       GError     **error);

G_END_DECLS
