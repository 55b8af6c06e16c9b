/* meso-store-async.c: the store for a main loop: one worker thread, and a watch for
 * other writers
 *
 * Each store has one worker thread (made at its first asynchronous call). A request
 * copies what it is given, is queued, and runs there through the synchronous call of
 * the same name, under the store's lock; its answer comes back on the caller's
 * thread-default main context. Requests run one at a time, in the order asked: a
 * save waiting for another process's lock holds back the searches queued behind it,
 * but never the main loop.
 *
 * A request cancelled before its turn never runs. One cancelled while it runs goes on
 * to its end, its transaction committed or rolled back whole, and its caller gets
 * G_IO_ERROR_CANCELLED instead of its result: a cancelled save may therefore be in the
 * database. Cancel searches and reads, which a newer one makes useless; not saves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include "meso-error.h"
#include "meso-store-private.h"

/* What a request was given, copied: the caller may change or drop its own at once. */
typedef struct
{
  gint64       id;        /* a session's, or 0 */
  guint        limit;
  guint        fields;    /* set_clinic: MesoClinicFields */
  gboolean     active_only;
  char        *text;      /* a reason, a search, an action */
  char        *payload;
  GObject     *object;    /* the store's copy of the session, query or adjustments */
  MesoSession *session;   /* save_session: the caller's, which gets the id */
  GArray      *ids;       /* list_printed: of gint64 */
  GDate        first_day; /* report */
  GDate        last_day;
  char        *text2;     /* recall: the product; find_audit: the user */
  GDateTime   *from;      /* find_audit */
  GDateTime   *to;
  gint64       first_broken;  /* check_chain's answer besides its boolean */
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->text);
  g_free (request->payload);
  g_clear_object (&request->object);
  g_clear_object (&request->session);
  g_clear_pointer (&request->ids, g_array_unref);
  g_free (request->text2);
  g_clear_pointer (&request->from, g_date_time_unref);
  g_clear_pointer (&request->to, g_date_time_unref);
  g_free (request);
}

static void
queue_request_named (MesoStore           *self,
                     Request             *request,
                     gpointer             tag,
                     const char          *name,
                     GTaskThreadFunc      run,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  /* Named after the call, for debuggers and GLib's warnings about lost tasks. */
  g_task_set_name (task, name);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, request, request_free);
  meso_worker_run (meso_store_get_worker (self), task, run);
}

#define queue_request(self, request, tag, ...) \
  queue_request_named ((self), (request), (tag), G_STRINGIFY (tag), __VA_ARGS__)

static gboolean
is_result (MesoStore    *self,
           GAsyncResult *result,
           gpointer      tag)
{
  return g_task_is_valid (result, self) && g_async_result_is_tagged (result, tag);
}

typedef struct
{
  MesoStore *store;
  gboolean   unreachable;
} Reach;

static gboolean
set_reach_cb (gpointer data)
{
  Reach *reach = data;

  meso_store_set_server_unreachable (reach->store, reach->unreachable);
  return G_SOURCE_REMOVE;
}

static void
reach_free (gpointer data)
{
  Reach *reach = data;

  g_object_unref (reach->store);
  g_free (reach);
}

/* Whether the server answered, told to MesoStore:server-unreachable where the answer
 * goes, before the answer itself (an idle queued first, at the same priority, runs
 * first). Another error tells nothing: a refusal of the core's may come before any
 * word with the server. Nothing is queued while nothing changes. */
static void
tell_reach (GTask        *task,
            const GError *error)
{
  MesoStore *store = g_task_get_source_object (task);
  MesoStorePrivate *priv = meso_store_get_private (store);
  gboolean unreachable = g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE);
  GSource *source;
  Reach *reach;

  if ((error != NULL && !unreachable)
      || g_atomic_int_get (&priv->server_unreachable) == unreachable)
    return;
  reach = g_new (Reach, 1);
  reach->store = g_object_ref (store);
  reach->unreachable = unreachable;
  source = g_idle_source_new ();
  g_source_set_priority (source, g_task_get_priority (task));
  g_source_set_name (source, "[mesocare] tell whether the server answers");
  g_source_set_callback (source, set_reach_cb, reach, reach_free);
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* Helpers for the worker's side: the synchronous calls set @error exactly when they
 * return FALSE or NULL. */
static void
return_boolean (GTask    *task,
                gboolean  ok,
                GError   *error)
{
  tell_reach (task, error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
return_pointer (GTask          *task,
                gpointer        result,
                GDestroyNotify  free_func,
                GError         *error)
{
  tell_reach (task, error);
  if (result != NULL)
    g_task_return_pointer (task, result, free_func);
  else
    g_task_return_error (task, error);
}

static void
return_count (GTask  *task,
              gint64  count,
              GError *error)
{
  GValue value = G_VALUE_INIT;

  tell_reach (task, error);
  if (count < 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, count);
  g_task_return_value (task, &value);
  g_value_unset (&value);
}

static void
run_save_session (GTask        *task,
                  gpointer      store,
                  gpointer      data,
                  GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean ok = meso_store_save_session (store, MESO_SESSION (request->object), &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_save_session_async:
 * @self: a #MesoStore
 * @session: a new session (its id 0), copied: changes made to it later are not saved
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_save_session() on the store's worker thread.
 */
void
meso_store_save_session_async (MesoStore           *self,
                               MesoSession         *session,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_SESSION (session));
  g_return_if_fail (meso_session_get_id (session) == 0);
  g_return_if_fail (!meso_session_get_voided (session));

  request = g_new0 (Request, 1);
  request->session = g_object_ref (session);
  request->object = G_OBJECT (meso_session_copy (session));
  queue_request (self, request, meso_store_save_session_async, run_save_session,
                 cancellable, callback, user_data);
}

/**
 * meso_store_save_session_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError; validation errors name the field
 *
 * On success the session given to meso_store_save_session_async() gets its id, and
 * the time it was stamped with if it had none, as meso_store_save_session() gives them.
 *
 * Returns: %TRUE when the session is on disk.
 */
gboolean
meso_store_save_session_finish (MesoStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  Request *request;
  MesoSession *saved;

  g_return_val_if_fail (is_result (self, result, meso_store_save_session_async), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  request = g_task_get_task_data (G_TASK (result));
  saved = MESO_SESSION (request->object);
  meso_session_set_id (request->session, meso_session_get_id (saved));
  meso_session_set_performed_at (request->session, meso_session_get_performed_at (saved));
  return TRUE;
}

static void
run_amend_session (GTask        *task,
                   gpointer      store,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean ok = meso_store_amend_session (store, MESO_SESSION (request->object), request->text,
                                          &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_amend_session_async:
 * @self: a #MesoStore
 * @amended: the session with its id and the corrected values, copied
 * @reason: why it is corrected
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_amend_session() on the store's worker thread. @amended is copied, and so
 * not marked as read with its amendment: to correct it again, read it again.
 */
void
meso_store_amend_session_async (MesoStore           *self,
                                MesoSession         *amended,
                                const char          *reason,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_SESSION (amended));

  request = g_new0 (Request, 1);
  request->object = G_OBJECT (meso_session_copy (amended));
  request->text = g_strdup (reason);
  queue_request (self, request, meso_store_amend_session_async, run_amend_session,
                 cancellable, callback, user_data);
}

gboolean
meso_store_amend_session_finish (MesoStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_amend_session_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_void_session (GTask        *task,
                  gpointer      store,
                  gpointer      data,
                  GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean ok = meso_store_void_session (store, request->id, request->text, &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_void_session_async:
 * @self: a #MesoStore
 * @id: a session id
 * @reason: why
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_void_session() on the store's worker thread.
 */
void
meso_store_void_session_async (MesoStore           *self,
                               gint64               id,
                               const char          *reason,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->id = id;
  request->text = g_strdup (reason);
  queue_request (self, request, meso_store_void_session_async, run_void_session,
                 cancellable, callback, user_data);
}

gboolean
meso_store_void_session_finish (MesoStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_void_session_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_log_event (GTask        *task,
               gpointer      store,
               gpointer      data,
               GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean ok = meso_store_log_event (store, request->text, request->id, request->payload,
                                      &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_log_event_async:
 * @self: a #MesoStore
 * @action: "print", "export", "backup" or "restore"
 * @session_id: the session it is about, or 0
 * @payload: what to record about it, one "key=value" a line
 * @cancellable: (nullable): a #GCancellable
 * @callback: (nullable): called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_log_event() on the store's worker thread.
 */
void
meso_store_log_event_async (MesoStore           *self,
                            const char          *action,
                            gint64               session_id,
                            const char          *payload,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (action != NULL && payload != NULL);

  request = g_new0 (Request, 1);
  request->text = g_strdup (action);
  request->id = session_id;
  request->payload = g_strdup (payload);
  queue_request (self, request, meso_store_log_event_async, run_log_event,
                 cancellable, callback, user_data);
}

gboolean
meso_store_log_event_finish (MesoStore     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_log_event_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_save_adjustments (GTask        *task,
                      gpointer      store,
                      gpointer      data,
                      GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean ok = meso_store_save_adjustments (store, request->id,
                                             MESO_ADJUSTMENTS (request->object), &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_save_adjustments_async:
 * @self: a #MesoStore
 * @session_id: the session whose sheet is adjusted
 * @adjustments: the adjustments, complete; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_save_adjustments() on the store's worker thread.
 */
void
meso_store_save_adjustments_async (MesoStore           *self,
                                   gint64               session_id,
                                   MesoAdjustments     *adjustments,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_ADJUSTMENTS (adjustments));

  request = g_new0 (Request, 1);
  request->id = session_id;
  request->object = G_OBJECT (meso_adjustments_copy (adjustments));
  queue_request (self, request, meso_store_save_adjustments_async, run_save_adjustments,
                 cancellable, callback, user_data);
}

gboolean
meso_store_save_adjustments_finish (MesoStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_save_adjustments_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_get_session (GTask        *task,
                 gpointer      store,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  MesoSession *session = meso_store_get_session (store, request->id, &error);

  return_pointer (task, session, g_object_unref, error);
}

/**
 * meso_store_get_session_async:
 * @self: a #MesoStore
 * @id: a session id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_get_session() on the store's worker thread.
 */
void
meso_store_get_session_async (MesoStore           *self,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->id = id;
  queue_request (self, request, meso_store_get_session_async, run_get_session,
                 cancellable, callback, user_data);
}

/**
 * meso_store_get_session_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError; %MESO_ERROR_NOT_FOUND when there is no such session
 *
 * Returns: (transfer full): the session, or %NULL.
 */
MesoSession *
meso_store_get_session_finish (MesoStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_get_session_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_get_adjustments (GTask        *task,
                     gpointer      store,
                     gpointer      data,
                     GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  MesoAdjustments *adjustments = meso_store_get_adjustments (store, request->id, &error);

  return_pointer (task, adjustments, g_object_unref, error);
}

/**
 * meso_store_get_adjustments_async:
 * @self: a #MesoStore
 * @session_id: a session
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_get_adjustments() on the store's worker thread.
 */
void
meso_store_get_adjustments_async (MesoStore           *self,
                                  gint64               session_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->id = session_id;
  queue_request (self, request, meso_store_get_adjustments_async, run_get_adjustments,
                 cancellable, callback, user_data);
}

/**
 * meso_store_get_adjustments_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full): the newest adjustments (empty ones when there are none),
 *   or %NULL.
 */
MesoAdjustments *
meso_store_get_adjustments_finish (MesoStore     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_get_adjustments_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_get_fingerprint (GTask        *task,
                     gpointer      store,
                     gpointer      data,
                     GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  char *fingerprint = meso_store_get_fingerprint (store, request->id, &error);

  /* NULL without an error: a session whose entries are not sealed. */
  tell_reach (task, error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, fingerprint, g_free);
}

/**
 * meso_store_get_fingerprint_async:
 * @self: a #MesoStore
 * @session_id: a session
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_get_fingerprint() on the store's worker thread.
 */
void
meso_store_get_fingerprint_async (MesoStore           *self,
                                  gint64               session_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->id = session_id;
  queue_request (self, request, meso_store_get_fingerprint_async, run_get_fingerprint,
                 cancellable, callback, user_data);
}

/**
 * meso_store_get_fingerprint_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the fingerprint, or %NULL (with @error set on
 *   failure).
 */
char *
meso_store_get_fingerprint_finish (MesoStore     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_get_fingerprint_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_find_patients (GTask        *task,
                   gpointer      store,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *patients = meso_store_find_patients (store, request->text, request->limit,
                                                  &error);

  return_pointer (task, patients, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_find_patients_async:
 * @self: a #MesoStore
 * @query: (nullable): part of a name or a date of birth
 * @limit: the most to return
 * @cancellable: (nullable): a #GCancellable; a newer search typed should cancel this one
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_find_patients() on the store's worker thread.
 */
void
meso_store_find_patients_async (MesoStore           *self,
                                const char          *query,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->text = g_strdup (query);
  request->limit = limit;
  queue_request (self, request, meso_store_find_patients_async, run_find_patients,
                 cancellable, callback, user_data);
}

/**
 * meso_store_find_patients_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoSession): the patients found, or %NULL.
 */
GPtrArray *
meso_store_find_patients_finish (MesoStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_find_patients_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_recent_lots (GTask        *task,
                 gpointer      store,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *lots = meso_store_recent_lots (store, request->limit, &error);

  return_pointer (task, lots, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_recent_lots_async:
 * @self: a #MesoStore
 * @limit: the most to return
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_recent_lots() on the store's worker thread.
 */
void
meso_store_recent_lots_async (MesoStore           *self,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->limit = limit;
  queue_request (self, request, meso_store_recent_lots_async, run_recent_lots,
                 cancellable, callback, user_data);
}

/**
 * meso_store_recent_lots_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoSession): the recent lots, or %NULL.
 */
GPtrArray *
meso_store_recent_lots_finish (MesoStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_recent_lots_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_list_amendments (GTask        *task,
                     gpointer      store,
                     gpointer      data,
                     GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *amendments = meso_store_list_amendments (store, request->id, &error);

  return_pointer (task, amendments, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_list_amendments_async:
 * @self: a #MesoStore
 * @id: a session id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_list_amendments() on the store's worker thread.
 */
void
meso_store_list_amendments_async (MesoStore           *self,
                                  gint64               id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->id = id;
  queue_request (self, request, meso_store_list_amendments_async, run_list_amendments,
                 cancellable, callback, user_data);
}

/**
 * meso_store_list_amendments_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoAmendment): the amendments, or %NULL.
 */
GPtrArray *
meso_store_list_amendments_finish (MesoStore     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_list_amendments_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_list_audit (GTask        *task,
                gpointer      store,
                gpointer      data,
                GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *entries = meso_store_list_audit (store, request->id, &error);

  return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_list_audit_async:
 * @self: a #MesoStore
 * @session_id: a session id, or 0 for the whole log
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_list_audit() on the store's worker thread.
 */
void
meso_store_list_audit_async (MesoStore           *self,
                             gint64               session_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->id = session_id;
  queue_request (self, request, meso_store_list_audit_async, run_list_audit,
                 cancellable, callback, user_data);
}

/**
 * meso_store_list_audit_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoAuditEntry): the entries, or %NULL.
 */
GPtrArray *
meso_store_list_audit_finish (MesoStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_list_audit_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_list_printed (GTask        *task,
                  gpointer      store,
                  gpointer      data,
                  GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GArray *printed = meso_store_list_printed (store, (const gint64 *) (gpointer) request->ids->data,
                                             request->ids->len, &error);

  return_pointer (task, printed, (GDestroyNotify) g_array_unref, error);
}

/**
 * meso_store_list_printed_async:
 * @self: a #MesoStore
 * @ids: (element-type gint64): session ids, copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_list_printed() on the store's worker thread.
 */
void
meso_store_list_printed_async (MesoStore           *self,
                               GArray              *ids,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (ids != NULL && g_array_get_element_size (ids) == sizeof (gint64));

  request = g_new0 (Request, 1);
  request->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), ids->len);
  g_array_append_vals (request->ids, ids->data, ids->len);
  queue_request (self, request, meso_store_list_printed_async, run_list_printed,
                 cancellable, callback, user_data);
}

/**
 * meso_store_list_printed_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type gint64): the ids printed, or %NULL.
 */
GArray *
meso_store_list_printed_finish (MesoStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_list_printed_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_count_matching (GTask        *task,
                    gpointer      store,
                    gpointer      data,
                    GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gint64 count = meso_store_count_matching (store, MESO_SESSION_QUERY (request->object), &error);

  return_count (task, count, error);
}

/**
 * meso_store_count_matching_async:
 * @self: a #MesoStore
 * @query: which sessions; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_count_matching() on the store's worker thread.
 */
void
meso_store_count_matching_async (MesoStore           *self,
                                 MesoSessionQuery    *query,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_SESSION_QUERY (query));

  request = g_new0 (Request, 1);
  request->object = G_OBJECT (meso_session_query_copy (query));
  queue_request (self, request, meso_store_count_matching_async, run_count_matching,
                 cancellable, callback, user_data);
}

/**
 * meso_store_count_matching_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: how many sessions match, or -1 on error.
 */
gint64
meso_store_count_matching_finish (MesoStore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  GValue value = G_VALUE_INIT;

  g_return_val_if_fail (is_result (self, result, meso_store_count_matching_async), -1);

  if (!g_task_propagate_value (G_TASK (result), &value, error))
    return -1;
  return g_value_get_int64 (&value);
}

static void
run_query (GTask        *task,
           gpointer      store,
           gpointer      data,
           GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *sessions = meso_store_query (store, MESO_SESSION_QUERY (request->object), &error);

  return_pointer (task, sessions, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_query_async:
 * @self: a #MesoStore
 * @query: which sessions; its range makes a page. Copied: the caller may go on to
 *   change it for the next page at once
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_query() on the store's worker thread.
 */
void
meso_store_query_async (MesoStore           *self,
                        MesoSessionQuery    *query,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_SESSION_QUERY (query));

  request = g_new0 (Request, 1);
  request->object = G_OBJECT (meso_session_query_copy (query));
  queue_request (self, request, meso_store_query_async, run_query,
                 cancellable, callback, user_data);
}

/**
 * meso_store_query_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoSession): the page of sessions, or %NULL.
 */
GPtrArray *
meso_store_query_finish (MesoStore     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_query_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_check (GTask        *task,
           gpointer      store,
           gpointer      data,
           GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean ok = meso_store_check (store, &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_check_async:
 * @self: a #MesoStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_check() on the store's worker thread: requests made meanwhile wait for it.
 */
void
meso_store_check_async (MesoStore           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (MESO_IS_STORE (self));

  queue_request (self, g_new0 (Request, 1), meso_store_check_async, run_check,
                 cancellable, callback, user_data);
}

gboolean
meso_store_check_finish (MesoStore     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_check_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- The manager's reports and the audit review ---- */

static void
run_report (GTask        *task,
            gpointer      store,
            gpointer      data,
            GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  MesoReport *report = meso_store_report (store, &request->first_day, &request->last_day,
                                          &error);

  return_pointer (task, report, g_object_unref, error);
}

/**
 * meso_store_report_async:
 * @self: a #MesoStore
 * @first_day: the period's first day, in the clinic's time zone
 * @last_day: its last day, included
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_report() on the store's worker thread; its audit entry is written there.
 */
void
meso_store_report_async (MesoStore           *self,
                         const GDate         *first_day,
                         const GDate         *last_day,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (first_day != NULL && g_date_valid (first_day));
  g_return_if_fail (last_day != NULL && g_date_valid (last_day));

  request = g_new0 (Request, 1);
  request->first_day = *first_day;
  request->last_day = *last_day;
  queue_request (self, request, meso_store_report_async, run_report,
                 cancellable, callback, user_data);
}

/**
 * meso_store_report_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full): the report, or %NULL.
 */
MesoReport *
meso_store_report_finish (MesoStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_report_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_recall (GTask        *task,
            gpointer      store,
            gpointer      data,
            GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *patients = meso_store_recall (store, request->text, request->text2, &error);

  return_pointer (task, patients, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_recall_async:
 * @self: a #MesoStore
 * @lot: (nullable): the lot recalled
 * @product: (nullable): or the product
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_recall() on the store's worker thread.
 */
void
meso_store_recall_async (MesoStore           *self,
                         const char          *lot,
                         const char          *product,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->text = g_strdup (lot);
  request->text2 = g_strdup (product);
  queue_request (self, request, meso_store_recall_async, run_recall,
                 cancellable, callback, user_data);
}

/**
 * meso_store_recall_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoRecallPatient): the patients, or %NULL.
 */
GPtrArray *
meso_store_recall_finish (MesoStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_recall_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_find_audit (GTask        *task,
                gpointer      store,
                gpointer      data,
                GCancellable *cancellable)
{
  Request *request = data;
  MesoAuditFilter filter = { request->from, request->to, request->text, request->text2,
                             request->id, request->limit };
  GError *error = NULL;
  GPtrArray *entries = meso_store_find_audit (store, &filter, &error);

  return_pointer (task, entries, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_find_audit_async:
 * @self: a #MesoStore
 * @filter: (nullable): which entries, copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_find_audit() on the store's worker thread.
 */
void
meso_store_find_audit_async (MesoStore              *self,
                             const MesoAuditFilter  *filter,
                             GCancellable           *cancellable,
                             GAsyncReadyCallback     callback,
                             gpointer                user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  if (filter != NULL)
    {
      request->from = filter->from != NULL ? g_date_time_ref (filter->from) : NULL;
      request->to = filter->to != NULL ? g_date_time_ref (filter->to) : NULL;
      request->text = g_strdup (filter->action);
      request->text2 = g_strdup (filter->user);
      request->id = filter->session_id;
      request->limit = filter->limit;
    }
  queue_request (self, request, meso_store_find_audit_async, run_find_audit,
                 cancellable, callback, user_data);
}

/**
 * meso_store_find_audit_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoAuditEntry): the entries, or %NULL.
 */
GPtrArray *
meso_store_find_audit_finish (MesoStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_find_audit_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_check_chain (GTask        *task,
                 gpointer      store,
                 gpointer      data,
                 GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean ok = meso_store_check_chain (store, &request->first_broken, &error);

  return_boolean (task, ok, error);
}

/**
 * meso_store_check_chain_async:
 * @self: a #MesoStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_check_chain() on the store's worker thread.
 */
void
meso_store_check_chain_async (MesoStore           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (MESO_IS_STORE (self));

  queue_request (self, g_new0 (Request, 1), meso_store_check_chain_async, run_check_chain,
                 cancellable, callback, user_data);
}

/**
 * meso_store_check_chain_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @out_first_broken: (out) (optional): as meso_store_check_chain() gives it
 * @error: a #GError
 *
 * Returns: %TRUE when the chain holds.
 */
gboolean
meso_store_check_chain_finish (MesoStore     *self,
                               GAsyncResult  *result,
                               gint64        *out_first_broken,
                               GError       **error)
{
  Request *request;

  g_return_val_if_fail (is_result (self, result, meso_store_check_chain_async), FALSE);

  request = g_task_get_task_data (G_TASK (result));
  if (out_first_broken != NULL)
    *out_first_broken = request->first_broken;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- The clinic's details and practitioners ---- */

static gboolean
emit_clinic_changed_cb (gpointer store)
{
  meso_store_emit_clinic_changed (store);
  return G_SOURCE_REMOVE;
}

/* The worker's side of a write to the clinic. MesoStore::clinic-changed is given where
 * the caller is, not here: queued on the task's context before its answer, at the
 * task's priority, so handlers run on the caller's thread and before its callback.
 * Given even when the caller cancelled meanwhile: the change is in the database, and
 * others showing the clinic must hear of it. */
static void
return_clinic_write (GTask    *task,
                     gpointer  store,
                     gboolean  ok,
                     gboolean  changed,
                     GError   *error)
{
  if (ok && changed)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, g_task_get_priority (task));
      g_source_set_callback (source, emit_clinic_changed_cb, g_object_ref (store),
                             g_object_unref);
      g_source_set_static_name (source, "[mesocare] clinic-changed");
      g_source_attach (source, g_task_get_context (task));
    }
  return_boolean (task, ok, error);
}

static void
run_get_clinic (GTask        *task,
                gpointer      store,
                gpointer      data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  MesoClinic *clinic = meso_store_get_clinic (store, &error);

  return_pointer (task, clinic, g_object_unref, error);
}

/**
 * meso_store_get_clinic_async:
 * @self: a #MesoStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_get_clinic() on the store's worker thread.
 */
void
meso_store_get_clinic_async (MesoStore           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (MESO_IS_STORE (self));

  queue_request (self, g_new0 (Request, 1), meso_store_get_clinic_async, run_get_clinic,
                 cancellable, callback, user_data);
}

/**
 * meso_store_get_clinic_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full): the clinic's details, or %NULL.
 */
MesoClinic *
meso_store_get_clinic_finish (MesoStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_get_clinic_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_set_clinic (GTask        *task,
                gpointer      store,
                gpointer      data,
                GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean changed = FALSE;
  gboolean ok = meso_store_set_clinic_unsignalled (store, MESO_CLINIC (request->object),
                                                   request->fields, &changed, &error);

  return_clinic_write (task, store, ok, changed, error);
}

/**
 * meso_store_set_clinic_async:
 * @self: a #MesoStore
 * @clinic: the new details, copied
 * @fields: which of them to change
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_set_clinic() on the store's worker thread. MesoStore::clinic-changed is
 * given on the caller's thread-default main context, just before @callback.
 */
void
meso_store_set_clinic_async (MesoStore           *self,
                             MesoClinic          *clinic,
                             MesoClinicFields     fields,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_CLINIC (clinic));
  g_return_if_fail ((fields & ~MESO_CLINIC_ALL) == 0);

  request = g_new0 (Request, 1);
  request->object = G_OBJECT (meso_clinic_copy (clinic));
  request->fields = fields;
  queue_request (self, request, meso_store_set_clinic_async, run_set_clinic,
                 cancellable, callback, user_data);
}

/**
 * meso_store_set_clinic_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError naming the detail that is wrong
 *
 * Returns: %TRUE when the details are written (or were the same already).
 */
gboolean
meso_store_set_clinic_finish (MesoStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_set_clinic_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_list_practitioners (GTask        *task,
                        gpointer      store,
                        gpointer      data,
                        GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  GPtrArray *practitioners = meso_store_list_practitioners (store, request->active_only,
                                                            &error);

  return_pointer (task, practitioners, (GDestroyNotify) g_ptr_array_unref, error);
}

/**
 * meso_store_list_practitioners_async:
 * @self: a #MesoStore
 * @active_only: only those the form offers
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_list_practitioners() on the store's worker thread.
 */
void
meso_store_list_practitioners_async (MesoStore           *self,
                                     gboolean             active_only,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));

  request = g_new0 (Request, 1);
  request->active_only = active_only;
  queue_request (self, request, meso_store_list_practitioners_async, run_list_practitioners,
                 cancellable, callback, user_data);
}

/**
 * meso_store_list_practitioners_finish:
 * @self: a #MesoStore
 * @result: the result given to the callback
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoPractitioner): the practitioners, by name,
 *   or %NULL.
 */
GPtrArray *
meso_store_list_practitioners_finish (MesoStore     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_list_practitioners_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_add_practitioner (GTask        *task,
                      gpointer      store,
                      gpointer      data,
                      GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean changed = FALSE;
  gboolean ok = meso_store_add_practitioner_unsignalled (store,
                                                         MESO_PRACTITIONER (request->object),
                                                         &changed, &error);

  return_clinic_write (task, store, ok, changed, error);
}

/**
 * meso_store_add_practitioner_async:
 * @self: a #MesoStore
 * @practitioner: who to list, copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_add_practitioner() on the store's worker thread. MesoStore::clinic-changed
 * is given on the caller's thread-default main context, just before @callback.
 */
void
meso_store_add_practitioner_async (MesoStore           *self,
                                   MesoPractitioner    *practitioner,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_PRACTITIONER (practitioner));

  request = g_new0 (Request, 1);
  request->object = G_OBJECT (meso_practitioner_copy (practitioner));
  queue_request (self, request, meso_store_add_practitioner_async, run_add_practitioner,
                 cancellable, callback, user_data);
}

gboolean
meso_store_add_practitioner_finish (MesoStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_add_practitioner_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_update_practitioner (GTask        *task,
                         gpointer      store,
                         gpointer      data,
                         GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean changed = FALSE;
  gboolean ok = meso_store_update_practitioner_unsignalled (store,
                                                            MESO_PRACTITIONER (request->object),
                                                            &changed, &error);

  return_clinic_write (task, store, ok, changed, error);
}

/**
 * meso_store_update_practitioner_async:
 * @self: a #MesoStore
 * @practitioner: a practitioner known to the store, with their new details; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_update_practitioner() on the store's worker thread.
 * MesoStore::clinic-changed is given on the caller's thread-default main context, just
 * before @callback.
 */
void
meso_store_update_practitioner_async (MesoStore           *self,
                                      MesoPractitioner    *practitioner,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (MESO_IS_PRACTITIONER (practitioner));

  request = g_new0 (Request, 1);
  request->object = G_OBJECT (meso_practitioner_copy (practitioner));
  queue_request (self, request, meso_store_update_practitioner_async, run_update_practitioner,
                 cancellable, callback, user_data);
}

gboolean
meso_store_update_practitioner_finish (MesoStore     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_update_practitioner_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_retire_practitioner (GTask        *task,
                         gpointer      store,
                         gpointer      data,
                         GCancellable *cancellable)
{
  Request *request = data;
  GError *error = NULL;
  gboolean changed = FALSE;
  gboolean ok = meso_store_retire_practitioner_unsignalled (store, request->text, &changed,
                                                            &error);

  return_clinic_write (task, store, ok, changed, error);
}

/**
 * meso_store_retire_practitioner_async:
 * @self: a #MesoStore
 * @name: a practitioner on the list
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: for @callback
 *
 * meso_store_retire_practitioner() on the store's worker thread.
 * MesoStore::clinic-changed is given on the caller's thread-default main context, just
 * before @callback.
 */
void
meso_store_retire_practitioner_async (MesoStore           *self,
                                      const char          *name,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Request *request;

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (name != NULL);

  request = g_new0 (Request, 1);
  request->text = g_strdup (name);
  queue_request (self, request, meso_store_retire_practitioner_async, run_retire_practitioner,
                 cancellable, callback, user_data);
}

gboolean
meso_store_retire_practitioner_finish (MesoStore     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (is_result (self, result, meso_store_retire_practitioner_async), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
