/* meso-worker.h: one thread that runs tasks in turn, in the order they were given
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MesoWorker MesoWorker;

MesoWorker *meso_worker_new  (const char      *name);
void        meso_worker_run  (MesoWorker      *self,
                              GTask           *task,
                              GTaskThreadFunc  func);
void        meso_worker_free (MesoWorker      *self);

G_END_DECLS
