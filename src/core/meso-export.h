/* meso-export.h: sessions written out as CSV, the columns `mesocare-cli import` reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-session.h"
#include "meso-session-query.h"
#include "meso-store.h"

G_BEGIN_DECLS

GPtrArray *meso_export_csv_header         (gboolean           with_status);
void       meso_export_csv_append_session (GString           *csv,
                                           MesoSession       *session,
                                           gboolean           with_status);

gboolean   meso_export_csv                (MesoStore         *store,
                                           MesoSessionQuery  *query,
                                           const char        *path,
                                           guint             *out_count,
                                           GError           **error);
void       meso_export_csv_async          (MesoStore         *store,
                                           MesoSessionQuery  *query,
                                           const char        *path,
                                           GCancellable      *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer           user_data);
gboolean   meso_export_csv_finish         (MesoStore         *store,
                                           GAsyncResult      *result,
                                           guint             *out_count,
                                           GError           **error);

G_END_DECLS
