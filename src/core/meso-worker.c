/* meso-worker.c: one thread that runs tasks in turn, in the order they were given
 *
 * What g_task_run_in_thread() does, but always on the same thread and one task at a
 * time: a store's connection is then only ever used from that thread, and requests
 * are answered in the order they were made (Epiphany's history service works so).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-worker"

#include "config.h"

#include "meso-worker.h"

struct _MesoWorker
{
  GThread     *thread;
  GAsyncQueue *queue;  /* of Job, and the stop mark last */
};

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} Job;

/* Pushed last: the thread ends when it comes to it. */
static Job stop_mark;

static gboolean
release_task_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* The worker lets go of a task where its answer goes, after the answer: the task may
 * hold the last reference to the store that owns this worker, whose finalize must then
 * run on the caller's thread (it waits for this one) rather than here. */
static void
release_task (GTask *task)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, g_task_get_priority (task));
  g_source_set_name (source, "[mesocare] release a task");
  g_source_set_callback (source, release_task_cb, task, NULL);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* A request cancelled before its turn never runs. One cancelled while it runs goes on
 * to its end (a transaction is never left half-done); GTask then drops its result and
 * reports G_IO_ERROR_CANCELLED, the task's check-cancellable being on. */
static void
run_job (Job *job)
{
  if (!g_task_return_error_if_cancelled (job->task))
    job->func (job->task, g_task_get_source_object (job->task), g_task_get_task_data (job->task),
               g_task_get_cancellable (job->task));
  release_task (job->task);
  g_free (job);
}

static gpointer
worker_main (gpointer data)
{
  g_autoptr(GAsyncQueue) queue = data;
  Job *job;

  while ((job = g_async_queue_pop (queue)) != &stop_mark)
    run_job (job);
  return NULL;
}

/**
 * meso_worker_new:
 * @name: the thread's name, as debuggers show it
 *
 * Returns: (transfer full): a worker, its thread started and waiting for tasks.
 */
MesoWorker *
meso_worker_new (const char *name)
{
  MesoWorker *self = g_new0 (MesoWorker, 1);

  self->queue = g_async_queue_new ();
  self->thread = g_thread_new (name, worker_main, g_async_queue_ref (self->queue));
  return self;
}

/**
 * meso_worker_run:
 * @self: a #MesoWorker
 * @task: the task; the worker holds a reference until @func has returned
 * @func: what to run on the worker's thread; it returns the task's result
 *
 * Queues @task: @func runs after every task queued before it.
 */
void
meso_worker_run (MesoWorker      *self,
                 GTask           *task,
                 GTaskThreadFunc  func)
{
  Job *job = g_new (Job, 1);

  job->task = g_object_ref (task);
  job->func = func;
  g_async_queue_push (self->queue, job);
}

/**
 * meso_worker_free:
 * @self: a #MesoWorker
 *
 * Stops the thread once the tasks queued have run, and waits for it. The tasks are let
 * go of on their callers' threads, so this is not called from the worker's own; were it
 * so, the thread is left to end on its own rather than wait for itself for ever.
 */
void
meso_worker_free (MesoWorker *self)
{
  g_async_queue_push (self->queue, &stop_mark);
  if (g_thread_self () == self->thread)
    g_thread_unref (self->thread);
  else
    g_thread_join (self->thread);
  g_async_queue_unref (self->queue);
  g_free (self);
}
