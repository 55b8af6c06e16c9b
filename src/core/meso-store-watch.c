/* meso-store-watch.c: MesoStore::changed, what other writers did, seen from a main loop
 *
 * While someone watches, the store looks at its engine's data version about once a
 * second (SQLite's PRAGMA data_version: one read of the WAL index, which a writer
 * holding the lock does not block). The look runs on the worker thread, queued behind
 * the requests already there, and at most one is waiting at a time: a busy or blocked
 * worker makes the looks late, never piled up, and never holds the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include "meso-store-private.h"

static void
run_data_version (GTask        *task,
                  gpointer      store,
                  gpointer      data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 version = meso_store_get_data_version (store, &error);

  if (version < 0)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&version, sizeof version), g_free);
}

static void
on_looked_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MesoStore *self = MESO_STORE (source);
  MesoStorePrivate *priv = meso_store_get_private (self);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *version = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean changed;

  priv->looking = FALSE;
  /* A failed look (a disk gone away) tells nothing; the next one may do better. */
  if (version == NULL)
    {
      g_debug ("Looking for other writers failed: %s", error->message);
      return;
    }
  if (priv->watchers == 0)
    return;
  changed = priv->seen_version >= 0 && *version != priv->seen_version;
  priv->seen_version = *version;
  if (changed)
    meso_store_emit_changed (self);
}

static void
look_for_changes (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_private (self);
  g_autoptr(GTask) task = NULL;

  if (priv->looking)
    return;
  priv->looking = TRUE;
  task = g_task_new (self, NULL, on_looked_cb, NULL);
  g_task_set_source_tag (task, look_for_changes);
  meso_worker_run (meso_store_get_worker (self), task, run_data_version);
}

/* The timer holds the store weakly: watching does not keep a store alive. */
static gboolean
on_tick_cb (gpointer data)
{
  g_autoptr(MesoStore) self = g_weak_ref_get (data);

  if (self == NULL)
    return G_SOURCE_REMOVE;
  look_for_changes (self);
  return G_SOURCE_CONTINUE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
start_watching (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_private (self);
  GWeakRef *ref = g_new (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  /* Whole seconds, which GLib wakes for together with the other such timers. */
  priv->watch_source = g_timeout_source_new_seconds (1);
  g_source_set_name (priv->watch_source, "[mesocare] look for other writers");
  g_source_set_callback (priv->watch_source, on_tick_cb, ref, free_weak_ref);
  g_source_attach (priv->watch_source, g_main_context_get_thread_default ());
  /* The first look gives the version later ones are compared with. */
  look_for_changes (self);
}

/* Also from dispose, on whichever thread drops the last reference. */
void
meso_store_stop_watching (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_private (self);

  if (priv->watch_source != NULL)
    {
      g_source_destroy (priv->watch_source);
      g_clear_pointer (&priv->watch_source, g_source_unref);
    }
  priv->watchers = 0;
  priv->seen_version = -1;
}

/**
 * meso_store_watch_changes:
 * @self: a #MesoStore
 * @watch: %TRUE to start watching, %FALSE to stop
 *
 * While watched, the store emits #MesoStore::changed when another connection writes,
 * on the thread-default main context of the thread that started the watch (call this
 * from that thread only). Calls are counted: each %TRUE needs its %FALSE.
 *
 * Start watching before reading what is shown: a write made after this call is either
 * seen by the requests made after it, or signalled.
 */
void
meso_store_watch_changes (MesoStore *self,
                          gboolean   watch)
{
  MesoStorePrivate *priv = meso_store_get_private (self);

  g_return_if_fail (MESO_IS_STORE (self));

  if (watch)
    {
      if (priv->watchers++ == 0)
        start_watching (self);
      return;
    }
  g_return_if_fail (priv->watchers > 0);
  if (--priv->watchers == 0)
    meso_store_stop_watching (self);
}
