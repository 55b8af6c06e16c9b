/* meso-store-private.h: what the parts of MesoStore share (meso-store.c keeps the
 * synchronous calls, meso-store-async.c their asynchronous faces, meso-store-watch.c
 * the watch for other writers)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "meso-store.h"
#include "meso-worker.h"

G_BEGIN_DECLS

typedef struct
{
  char       *path;
  char       *user;
  gboolean    writes_held;   /* until the database has passed its check */
  gboolean    read_only;     /* opened by meso_store_open_read_only() */
  gint        server_unreachable;  /* atomic: read on the worker, set on the main context */
  GRecMutex   lock;
  MesoWorker *worker;        /* made at the first asynchronous call */

  /* The watch for other writers; touched only on the thread that watches. */
  guint       watchers;
  GSource    *watch_source;
  gint64      seen_version;  /* -1 until the first look */
  gboolean    looking;       /* a look at the data version is on its way */
} MesoStorePrivate;

MesoStorePrivate *meso_store_get_private      (MesoStore  *self);
MesoWorker       *meso_store_get_worker       (MesoStore  *self);
gint64            meso_store_get_data_version (MesoStore  *self,
                                               GError    **error);
void              meso_store_emit_changed     (MesoStore  *self);
void              meso_store_emit_clinic_changed (MesoStore *self);
void              meso_store_emit_replaced    (MesoStore  *self);
void              meso_store_set_server_unreachable (MesoStore *self,
                                                     gboolean   unreachable);

/* The clinic's writers without MesoStore::clinic-changed: the worker thread has it given
 * on the caller's main context instead (meso-store-async.c). */
gboolean meso_store_set_clinic_unsignalled          (MesoStore         *self,
                                                     MesoClinic        *clinic,
                                                     MesoClinicFields   fields,
                                                     gboolean          *out_changed,
                                                     GError           **error);
gboolean meso_store_add_practitioner_unsignalled    (MesoStore         *self,
                                                     MesoPractitioner  *practitioner,
                                                     gboolean          *out_changed,
                                                     GError           **error);
gboolean meso_store_update_practitioner_unsignalled (MesoStore         *self,
                                                     MesoPractitioner  *practitioner,
                                                     gboolean          *out_changed,
                                                     GError           **error);
gboolean meso_store_retire_practitioner_unsignalled (MesoStore         *self,
                                                     const char        *name,
                                                     gboolean          *out_changed,
                                                     GError           **error);
void              meso_store_stop_watching    (MesoStore  *self);

/* What every engine checks the same way before it writes (meso-store.c). */
char             *meso_store_check_reason     (const char   *reason,
                                               GError      **error);
GArray           *meso_store_prepare_amendment (MesoStore    *self,
                                                MesoSession  *current,
                                                MesoSession  *amended,
                                                GError      **error);

G_END_DECLS
