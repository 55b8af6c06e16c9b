/* meso-store-private.h: what the parts of MesoStore share (meso-store.c keeps the
 * synchronous calls, meso-store-async.c their asynchronous faces)
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
  GRecMutex   lock;
  MesoWorker *worker;        /* made at the first asynchronous call */
} MesoStorePrivate;

MesoStorePrivate *meso_store_get_private      (MesoStore  *self);
MesoWorker       *meso_store_get_worker       (MesoStore  *self);

G_END_DECLS
