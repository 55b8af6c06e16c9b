/* meso-store.c: the interface every database engine implements
 *
 * The public functions check their arguments and hand the call to the engine under one
 * lock, so that an engine never runs two calls at once: the store's worker thread
 * (meso-store-async.c) and a call from another thread wait for each other instead of
 * sharing a statement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-session-private.h"
#include "meso-store-private.h"
#include "postgresql/meso-pg-store.h"
#include "sqlite/meso-sqlite-store.h"

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MesoStore, meso_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_SERVER_UNREACHABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CLINIC_CHANGED,
  CHANGED,
  REPLACED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

MesoStorePrivate *
meso_store_get_private (MesoStore *self)
{
  return meso_store_get_instance_private (self);
}

/* Made at the first asynchronous call: the command-line tool, which makes none, runs
 * no thread for nothing. */
MesoWorker *
meso_store_get_worker (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  if (g_once_init_enter (&priv->worker))
    g_once_init_leave (&priv->worker, meso_worker_new ("meso-store"));
  return priv->worker;
}

void
meso_store_emit_changed (MesoStore *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
meso_store_emit_clinic_changed (MesoStore *self)
{
  g_signal_emit (self, signals[CLINIC_CHANGED], 0);
}

void
meso_store_emit_replaced (MesoStore *self)
{
  g_signal_emit (self, signals[REPLACED], 0);
}

static void
meso_store_dispose (GObject *object)
{
  meso_store_stop_watching (MESO_STORE (object));

  G_OBJECT_CLASS (meso_store_parent_class)->dispose (object);
}

/* The engine's finalize has run: its connection is closed. The worker has nothing left
 * to do (each request holds a reference to the store) and is stopped. */
static void
meso_store_finalize (GObject *object)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (MESO_STORE (object));

  g_clear_pointer (&priv->worker, meso_worker_free);
  g_clear_pointer (&priv->path, g_free);
  g_clear_pointer (&priv->user, g_free);
  g_rec_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (meso_store_parent_class)->finalize (object);
}

static void
meso_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (MESO_STORE (object));

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, priv->path);
      break;
    case PROP_SERVER_UNREACHABLE:
      g_value_set_boolean (value, g_atomic_int_get (&priv->server_unreachable));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_store_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (MESO_STORE (object));

  switch (prop_id)
    {
    case PROP_PATH:
      priv->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_store_class_init (MesoStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = meso_store_dispose;
  object_class->finalize = meso_store_finalize;
  object_class->get_property = meso_store_get_property;
  object_class->set_property = meso_store_set_property;

  /**
   * MesoStore:path:
   *
   * Where the database is: a file for SQLite, a `postgresql://` URI (without its
   * password, if it had one) for a clinic's server.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MesoStore:server-unreachable:
   *
   * The last asynchronous call that reached a verdict failed with
   * %MESO_ERROR_SERVER_UNREACHABLE: the clinic server is out of reach. It turns back to
   * %FALSE at the first asynchronous call that succeeds (the engine reconnects by itself
   * at its next call). Changed and notified on the caller's thread-default main context,
   * before the call's own callback; calls failing for another reason, or cancelled, leave
   * it as it is. Never %TRUE for a file.
   */
  properties[PROP_SERVER_UNREACHABLE] =
    g_param_spec_boolean ("server-unreachable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MesoStore::clinic-changed:
   * @self: a #MesoStore
   *
   * The clinic's details or its practitioners were changed through this store. Emitted
   * in the thread that made the change, once it is committed; for the asynchronous
   * calls (meso_store_set_clinic_async() and the like), on the caller's thread-default
   * main context, before the call's own callback.
   */
  signals[CLINIC_CHANGED] =
    g_signal_new ("clinic-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * MesoStore::changed:
   * @self: a #MesoStore
   *
   * Another connection (another process, another workstation, another store on the
   * same file) wrote to the database: what is shown from it may be out of date.
   * Emitted only while watched (meso_store_watch_changes()), on the thread that
   * watches, within about two seconds of the write; never for this store's own writes,
   * whose callers know of them already.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * MesoStore::replaced:
   * @self: a #MesoStore
   *
   * A write was refused (%MESO_ERROR_DATABASE_REPLACED) because the store's path no
   * longer names the file it opened: a backup was restored, or another file renamed over
   * it. Nothing was written; meso_store_reopen() opens the file the path names now.
   * Emitted in the thread that tried to write (the store's worker, for the asynchronous
   * calls), once per refused write.
   */
  signals[REPLACED] =
    g_signal_new ("replaced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
meso_store_init (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  priv->user = g_strdup (g_get_user_name ());
  priv->seen_version = -1;
  g_rec_mutex_init (&priv->lock);
}

/**
 * meso_store_get_server_unreachable:
 * @self: a #MesoStore
 *
 * Returns: whether the clinic server is out of reach, as the asynchronous calls found
 *   (see #MesoStore:server-unreachable).
 */
gboolean
meso_store_get_server_unreachable (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  return g_atomic_int_get (&priv->server_unreachable);
}

/* On the main context of the call that found it out (meso-store-async.c). */
void
meso_store_set_server_unreachable (MesoStore *self,
                                   gboolean   unreachable)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  if (g_atomic_int_get (&priv->server_unreachable) == unreachable)
    return;
  g_atomic_int_set (&priv->server_unreachable, unreachable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_UNREACHABLE]);
}

/**
 * meso_store_get_default_path:
 *
 * Returns: (transfer full): where the app and the command-line tool keep their
 *   database: `$XDG_DATA_HOME/mesocare/mesocare.db`.
 */
char *
meso_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "mesocare", "mesocare.db", NULL);
}

/**
 * meso_store_open:
 * @path: the database: a file (SQLite; it and its folder are created when missing), or a
 *   `postgresql://` (or `postgres://`) URI naming a clinic's server
 * @error: a #GError; %MESO_ERROR_SERVER_UNREACHABLE when a server cannot be reached
 *
 * Returns: (transfer full): the store, its schema up to date.
 */
MesoStore *
meso_store_open (const char  *path,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (meso_pg_store_is_location (path))
    return meso_pg_store_open (path, FALSE, error);
  return meso_sqlite_store_open (path, error);
}

/**
 * meso_store_open_existing:
 * @path: the database file
 * @error: a #GError
 *
 * Like meso_store_open(), but a missing database is an error rather than created:
 * for readers, which must write nothing when given a wrong path.
 *
 * Returns: (transfer full): the store, its schema up to date.
 */
MesoStore *
meso_store_open_existing (const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  /* A server's database is made by its administrator: an empty one is a new clinic. */
  if (meso_pg_store_is_location (path))
    return meso_pg_store_open (path, FALSE, error);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Database: there is no database at %s (no session has been recorded "
                     "there yet)"), path);
      return NULL;
    }
  return meso_sqlite_store_open (path, error);
}

/**
 * meso_store_open_read_only:
 * @path: the database file
 * @error: a #GError
 *
 * Opens an existing database for the commands that only read: nothing in the file, its
 * mode or its folder changes (no journal mode set, no schema step applied), so a backup
 * stays byte for byte as it was and a read-only file system is enough. An older schema
 * is read as it is when this version's queries can read it, else refused with
 * %MESO_ERROR_DATABASE_TOO_OLD (it is never upgraded); a newer one is refused. Every
 * write on the store fails, saving nothing.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
MesoStore *
meso_store_open_read_only (const char  *path,
                           GError     **error)
{
  MesoStore *store;

  g_return_val_if_fail (path != NULL, NULL);

  if (meso_pg_store_is_location (path))
    store = meso_pg_store_open (path, TRUE, error);
  else if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Database: there is no database at %s (no session has been recorded "
                     "there yet)"), path);
      return NULL;
    }
  else
    store = meso_sqlite_store_open_read_only (path, error);
  if (store != NULL)
    ((MesoStorePrivate *) meso_store_get_instance_private (store))->read_only = TRUE;
  return store;
}

/**
 * meso_store_get_read_only:
 * @self: a #MesoStore
 *
 * Returns: whether @self was opened with meso_store_open_read_only(): it writes
 *   nothing, audit entries included.
 */
gboolean
meso_store_get_read_only (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  return priv->read_only;
}

/**
 * meso_store_reopen:
 * @self: a #MesoStore
 * @error: a #GError
 *
 * Closes the store's connection and opens the file its path names now, after
 * MesoStore::replaced: the same store, so every page that holds it goes on with it.
 * A missing file is an error (never a new, empty database); the schema is brought up to
 * date as meso_store_open() does. The caller checks the file first (the app holds
 * writes until it passed its check). Emits MesoStore::changed, what was shown having
 * come from the other file.
 */
gboolean
meso_store_reopen (MesoStore  *self,
                   GError    **error)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);
  gboolean ok;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&priv->lock);
  ok = MESO_STORE_GET_CLASS (self)->reopen (self, error);
  g_rec_mutex_unlock (&priv->lock);
  meso_store_emit_changed (self);
  return ok;
}

/**
 * meso_store_get_latest_schema_version:
 *
 * Returns: the schema version this build of Mesocare writes (every engine has the same
 *   steps).
 */
int
meso_store_get_latest_schema_version (void)
{
  return meso_sqlite_store_get_latest_schema_version ();
}

const char *
meso_store_get_path (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  return priv->path;
}

/**
 * meso_store_hold_writes:
 * @self: a #MesoStore
 * @hold: whether writes wait
 *
 * While held, every write fails with %MESO_ERROR_WRITES_HELD and changes nothing: the
 * app holds them while the whole file is checked beside the open window, so that
 * nothing is written to a database that may turn out damaged.
 */
void
meso_store_hold_writes (MesoStore  *self,
                        gboolean    hold)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_if_fail (MESO_IS_STORE (self));
  g_atomic_int_set (&priv->writes_held, hold);
}

gboolean
meso_store_get_writes_held (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  return g_atomic_int_get (&priv->writes_held);
}

/**
 * meso_store_set_user:
 * @self: a #MesoStore
 * @user: who is working, as the audit log will name them
 *
 * By default the login name of the account running Mesocare.
 */
void
meso_store_set_user (MesoStore   *self,
                     const char  *user)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_if_fail (MESO_IS_STORE (self));
  g_return_if_fail (user != NULL && *user != '\0');

  g_rec_mutex_lock (&priv->lock);
  g_free (priv->user);
  priv->user = g_strdup (user);
  g_rec_mutex_unlock (&priv->lock);
}

/* A reason is required text, kept without the blanks around it: "  " is no reason.
 * Returns it trimmed, or NULL with @error set. For the engines. */
char *
meso_store_check_reason (const char  *reason,
                         GError     **error)
{
  g_autofree char *trimmed = g_strdup (reason != NULL ? reason : "");

  if (g_utf8_validate (trimmed, -1, NULL))
    g_strstrip (trimmed);
  if (!meso_field_check_text (MESO_FIELD_REASON, trimmed, error))
    return NULL;
  return g_steal_pointer (&trimmed);
}

/* An amendment rewrites the session's current row: a stored value this version cannot
 * read would be lost. The user is asked to give that field a value first. */
static gboolean
refuse_unknown_values (MesoSession  *amended,
                       GError      **error)
{
  MESO_FIELD_FOREACH (field)
    {
      const char *raw = meso_session_get_unknown_value (amended, field);
      g_autofree char *id = NULL;

      if (raw == NULL)
        continue;
      id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (amended));
      meso_set_field_error (error, field, MESO_CHECK_UNKNOWN_VALUE,
                            _("%s: session %s holds “%s”, a stored value this version does not "
                              "know: give this field a value in the same amendment"),
                            meso_field_get_label (field), id,
                            g_utf8_validate (raw, -1, NULL) ? raw : "?");
      return FALSE;
    }
  return TRUE;
}

/* @amended was read with fewer (or other) amendments than the store holds now: another
 * workstation amended the session meanwhile, and the values of this copy are older than
 * the stored ones. Written as they are, they would silently take the other amendment
 * back: it is refused, naming the latest amendment. A session not read from a store
 * (-1) is taken as the caller's statement of every value, and not checked. */
static gboolean
refuse_stale (MesoStore    *self,
              MesoSession  *amended,
              GError      **error)
{
  gint read = meso_session_get_amendments_read (amended);
  g_autoptr(GPtrArray) amendments = NULL;
  g_autofree char *id = NULL;

  if (read < 0)
    return TRUE;
  amendments = MESO_STORE_GET_CLASS (self)->list_amendments (self,
                                                             meso_session_get_id (amended),
                                                             error);
  if (amendments == NULL)
    return FALSE;
  if (amendments->len == (guint) read)
    return TRUE;

  id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (amended));
  if (amendments->len > (guint) read)
    {
      MesoAmendment *latest = g_ptr_array_index (amendments, amendments->len - 1);

      /* TRANSLATORS: %s: a session's id; then who amended it and when (UTC), as
       * "desk, 2026-03-02T10:15:00Z" */
      g_set_error (error, MESO_ERROR, MESO_ERROR_CONFLICT,
                   _("Session: session %s was amended by %s, %s, after it was opened here: "
                     "nothing was changed; open it again to see the new values, then amend "
                     "it again"), id, latest->user, latest->amended_at);
    }
  else
    g_set_error (error, MESO_ERROR, MESO_ERROR_CONFLICT,
                 _("Session: session %s changed in the database after it was opened here: "
                   "nothing was changed; open it again, then amend it again"), id);
  return FALSE;
}

/* What an amendment changes: every amendable field whose text differs. */
static GArray *
diff_sessions (MesoSession  *current,
               MesoSession  *amended,
               GError      **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (MesoChange));

  g_array_set_clear_func (changes, (GDestroyNotify) meso_change_clear);
  MESO_FIELD_FOREACH (field)
    {
      const char *unknown = meso_session_get_unknown_value (current, field);
      g_autofree char *before = unknown != NULL ? g_strdup (unknown)
                                                : meso_session_get_field_text (current, field);
      g_autofree char *after = meso_session_get_field_text (amended, field);
      MesoChange change = { 0 };

      if (g_str_equal (before, after))
        continue;
      if (!meso_field_is_amendable (field))
        {
          meso_set_field_error (error, field, MESO_CHECK_INCONSISTENT,
                                _("%s: this belongs to the patient’s record and is not "
                                  "amended on a session"), meso_field_get_label (field));
          return NULL;
        }
      change.field = field;
      change.field_id = g_strdup (meso_field_get_id (field));
      change.old_value = g_steal_pointer (&before);
      change.new_value = g_steal_pointer (&after);
      g_array_append_val (changes, change);
    }

  if (changes->len == 0)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_FAILED,
                           _("Amendment: the new values are the same as the current ones"));
      return NULL;
    }
  return g_steal_pointer (&changes);
}

/* For the engines, inside the write transaction that amends, with @current the session
 * as stored, read in that transaction: of two amendments racing from copies read alike,
 * the second then sees the first and is refused. Checks @amended, and returns what it
 * changes, already applied to @current (the row to write), or %NULL with @error set. */
GArray *
meso_store_prepare_amendment (MesoStore    *self,
                              MesoSession  *current,
                              MesoSession  *amended,
                              GError      **error)
{
  g_autoptr(GArray) changes = NULL;

  if (!refuse_stale (self, amended, error)
      || !refuse_unknown_values (amended, error)
      || !meso_session_validate (amended, error))
    return NULL;
  changes = diff_sessions (current, amended, error);
  if (changes == NULL)
    return NULL;
  for (guint i = 0; i < changes->len; i++)
    {
      MesoChange *change = &g_array_index (changes, MesoChange, i);

      if (!meso_field_load_text (current, change->field, change->new_value, error))
        return NULL;
    }
  return g_steal_pointer (&changes);
}

/* For the engines, which call it under the lock. */
const char *
meso_store_get_user (MesoStore *self)
{
  MesoStorePrivate *priv = meso_store_get_instance_private (self);

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  return priv->user;
}

void
meso_change_clear (MesoChange *change)
{
  g_free (change->field_id);
  g_free (change->old_value);
  g_free (change->new_value);
}

void
meso_amendment_free (MesoAmendment *amendment)
{
  g_free (amendment->amended_at);
  g_free (amendment->user);
  g_free (amendment->reason);
  g_clear_pointer (&amendment->changes, g_array_unref);
  g_free (amendment);
}

/**
 * meso_payload_append:
 * @payload: the payload being built
 * @key: a key
 * @value: its value; line breaks, tabs and backslashes are escaped so that one entry is
 *   one line
 */
void
meso_payload_append (GString    *payload,
                     const char *key,
                     const char *value)
{
  /* Runs of plain text are copied whole: a bulk write appends millions of values. */
  g_string_append (payload, key);
  g_string_append_c (payload, '=');
  for (const char *p = value; *p != '\0'; )
    {
      size_t plain = strcspn (p, "\\\n\r\t");

      g_string_append_len (payload, p, (gssize) plain);
      p += plain;
      switch (*p)
        {
        case '\0': continue;
        case '\\': g_string_append (payload, "\\\\"); break;
        case '\n': g_string_append (payload, "\\n"); break;
        case '\r': g_string_append (payload, "\\r"); break;
        default: g_string_append (payload, "\\t"); break;
        }
      p++;
    }
  g_string_append_c (payload, '\n');
}

void
meso_audit_entry_free (MesoAuditEntry *entry)
{
  g_free (entry->at);
  g_free (entry->user);
  g_free (entry->action);
  g_free (entry->entity);
  g_free (entry->payload);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

#define LOCKED(self) \
  g_autoptr(GRecMutexLocker) locker = \
    g_rec_mutex_locker_new (&((MesoStorePrivate *) meso_store_get_instance_private (self))->lock)

int
meso_store_get_schema_version (MesoStore *self)
{
  g_return_val_if_fail (MESO_IS_STORE (self), -1);
  return MESO_STORE_GET_CLASS (self)->get_schema_version (self);
}

/**
 * meso_store_save_session:
 * @self: a #MesoStore
 * @session: a new session (its id 0)
 * @error: a #GError; validation errors name the field
 *
 * Validates @session and stores it, with its audit entry, in one transaction: either
 * all of it is on disk when this returns %TRUE, or nothing is. On success the session's
 * id is set, and its time too if it had none (the current time, to the second).
 */
gboolean
meso_store_save_session (MesoStore    *self,
                         MesoSession  *session,
                         GError      **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION (session), FALSE);
  g_return_val_if_fail (meso_session_get_id (session) == 0, FALSE);
  g_return_val_if_fail (!meso_session_get_voided (session), FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->save_session (self, session, error);
}

/**
 * meso_store_save_sessions:
 * @self: a #MesoStore
 * @sessions: (element-type MesoSession): new sessions
 * @source: what they come from (a file name), for the audit log
 * @error: a #GError
 *
 * Saves all of @sessions in one transaction, or none: an import either happens whole
 * or not at all. Each is validated first; the error of the first invalid one is
 * returned, prefixed with its position ("Session 3: "). A session marked voided (with
 * its reason) is saved and voided.
 */
gboolean
meso_store_save_sessions (MesoStore   *self,
                          GPtrArray   *sessions,
                          const char  *source,
                          GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (sessions != NULL, FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->save_sessions (self, sessions, source, error);
}

/**
 * meso_store_write_bulk:
 * @self: a #MesoStore
 * @func: the work: saves, amendments and voids through this store
 * @user_data: for @func
 * @error: a #GError
 *
 * Runs @func with every write it makes through @self in one transaction: all of them
 * are saved, or none. For writes by the thousand (generate, a large import): the
 * engine then does once, at the end, the upkeep it would otherwise do for each row.
 * A write that fails inside leaves the whole to be undone: @func should stop and
 * return %FALSE; if it goes on, nothing is saved all the same. After a failure, the
 * sessions saved inside keep the ids they were given, which name nothing: drop them.
 * Other callers of the store wait until it ends.
 */
gboolean
meso_store_write_bulk (MesoStore          *self,
                       MesoStoreBulkFunc   func,
                       gpointer            user_data,
                       GError            **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (MESO_STORE_GET_CLASS (self)->write_bulk != NULL, FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->write_bulk (self, func, user_data, error);
}

/**
 * meso_store_get_session:
 * @self: a #MesoStore
 * @id: a session id
 * @error: a #GError; %MESO_ERROR_NOT_FOUND when there is no such session
 *
 * Returns: (transfer full): the session with its current values (amendments applied)
 *   and, if voided, the reason.
 */
MesoSession *
meso_store_get_session (MesoStore  *self,
                        gint64      id,
                        GError    **error)
{
  g_autoptr(GPtrArray) amendments = NULL;
  MesoSession *session;

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  /* Counted before the values are read: an amendment landing between the two reads
   * makes the copy look older than it is (an amendment from it refused needlessly),
   * never newer (another amendment taken back unseen). */
  amendments = MESO_STORE_GET_CLASS (self)->list_amendments (self, id, error);
  if (amendments == NULL)
    return NULL;
  session = MESO_STORE_GET_CLASS (self)->get_session (self, id, error);
  if (session != NULL)
    meso_session_set_amendments_read (session, (gint) amendments->len);
  return session;
}

/**
 * meso_store_count_sessions:
 * @self: a #MesoStore
 * @error: a #GError
 *
 * Returns: how many sessions the store holds, voided ones included, or -1 on error.
 */
gint64
meso_store_count_sessions (MesoStore  *self,
                           GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), -1);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->count_sessions (self, error);
}

/**
 * meso_store_count_matching:
 * @self: a #MesoStore
 * @query: which sessions (its order and range are not looked at)
 * @error: a #GError
 *
 * Returns: how many sessions match @query, or -1 on error.
 */
gint64
meso_store_count_matching (MesoStore         *self,
                           MesoSessionQuery  *query,
                           GError           **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), -1);
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (query), -1);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->count_matching (self, query, error);
}

/**
 * meso_store_query_foreach:
 * @self: a #MesoStore
 * @query: which sessions, in which order, which range
 * @func: called with each session in turn; returning %FALSE stops with @error set
 * @user_data: for @func
 * @error: a #GError
 *
 * Streams the matching sessions: each is read, handed to @func and dropped, so memory
 * does not grow with the number of sessions.
 */
gboolean
meso_store_query_foreach (MesoStore         *self,
                          MesoSessionQuery  *query,
                          MesoSessionFunc    func,
                          gpointer           user_data,
                          GError           **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (query), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->query_foreach (self, query, func, user_data, error);
}

typedef struct
{
  MesoSessionLineFunc func;
  gpointer            user_data;
} LinesData;

static gboolean
session_to_line (MesoSession  *session,
                 gpointer      user_data,
                 GError      **error)
{
  LinesData *data = user_data;
  MesoSessionLine line = {
    .id = meso_session_get_id (session),
    .performed_at = meso_session_get_performed_at (session),
    .patient_name = meso_session_get_patient_name (session),
    .areas = meso_session_get_areas (session),
    .injections = meso_session_get_injections (session),
    .duration = meso_session_get_duration (session),
  };

  return data->func (&line, data->user_data, error);
}

/**
 * meso_store_query_lines:
 * @self: a #MesoStore
 * @query: which sessions, in which order, which range
 * @func: called with each line in turn; returning %FALSE stops with @error set
 * @user_data: for @func
 * @error: a #GError
 *
 * Streams the matching sessions as meso_store_query_foreach() does, each reduced to
 * what a line of a list shows: the engine reads only those columns.
 */
gboolean
meso_store_query_lines (MesoStore            *self,
                        MesoSessionQuery     *query,
                        MesoSessionLineFunc   func,
                        gpointer              user_data,
                        GError              **error)
{
  MesoStoreClass *klass;
  LinesData data = { func, user_data };

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (query), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  LOCKED (self);
  klass = MESO_STORE_GET_CLASS (self);
  if (klass->query_lines != NULL)
    return klass->query_lines (self, query, func, user_data, error);
  return klass->query_foreach (self, query, session_to_line, &data, error);
}

/**
 * meso_store_explain_query:
 * @self: a #MesoStore
 * @query: a query
 * @error: a #GError
 *
 * For tests and benchmarks: how the database will find the rows of @query, one step
 * of SQLite's EXPLAIN QUERY PLAN a line ("SEARCH c USING INDEX current_by_lot ...").
 *
 * Returns: (transfer full): the plan, or %NULL on error.
 */
char *
meso_store_explain_query (MesoStore         *self,
                          MesoSessionQuery  *query,
                          GError           **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (MESO_IS_SESSION_QUERY (query), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->explain_query (self, query, error);
}

/**
 * meso_store_find_patients:
 * @self: a #MesoStore
 * @query: a few letters of a name (accents and case aside), or part of a date of birth
 *   (YYYY-MM-DD)
 * @limit: the most to return
 * @error: a #GError
 *
 * For the form's search as you type: patients are found again, not recorded twice.
 *
 * Returns: (transfer full) (element-type MesoPatient): the patients, by name, with the
 *   flags of their latest session.
 */
GPtrArray *
meso_store_find_patients (MesoStore   *self,
                          const char  *query,
                          guint        limit,
                          GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->find_patients (self, query, limit, error);
}

/**
 * meso_store_recent_lots:
 * @self: a #MesoStore
 * @limit: the most to return
 * @error: a #GError
 *
 * The products and lots of the latest sessions (voided ones left out), the most
 * recently used first: offered on the form so that a lot is typed once.
 *
 * Returns: (transfer full) (element-type MesoLot): the lots.
 */
GPtrArray *
meso_store_recent_lots (MesoStore  *self,
                        guint       limit,
                        GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->recent_lots (self, limit, error);
}

/**
 * meso_store_amend_session:
 * @self: a #MesoStore
 * @amended: the session with its id and the corrected values
 * @reason: why it is corrected (required)
 * @error: a #GError
 *
 * Records the differences between the stored session and @amended as one amendment:
 * nothing is overwritten, every earlier value stays readable. @amended must be valid
 * as a whole; a voided session is not amended.
 *
 * A session read with meso_store_get_session() (or a copy of one) remembers how many
 * amendments it was read with. If the session has been amended since, by another
 * workstation or process, @amended holds values older than the stored ones, and
 * writing it would take that amendment back unseen: nothing is written, and the error
 * is %MESO_ERROR_CONFLICT, saying who amended it and when; read the session again and
 * amend that. On success @amended counts as read with its own amendment, so it can be
 * corrected again. A session built by hand, not read from a store, is not checked.
 */
gboolean
meso_store_amend_session (MesoStore    *self,
                          MesoSession  *amended,
                          const char   *reason,
                          GError      **error)
{
  gint read;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION (amended), FALSE);

  LOCKED (self);
  if (!MESO_STORE_GET_CLASS (self)->amend_session (self, amended, reason, error))
    return FALSE;
  /* The check in the write transaction found the store at @read amendments: this one
   * made it one more. */
  read = meso_session_get_amendments_read (amended);
  if (read >= 0)
    meso_session_set_amendments_read (amended, read + 1);
  return TRUE;
}

/**
 * meso_store_void_session:
 * @self: a #MesoStore
 * @id: a session id
 * @reason: why (required)
 * @error: a #GError
 *
 * Marks a session void. It stays in the database and in the history, marked, with its
 * values as they were.
 */
gboolean
meso_store_void_session (MesoStore   *self,
                         gint64       id,
                         const char  *reason,
                         GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->void_session (self, id, reason, error);
}

/**
 * meso_store_list_amendments:
 * @self: a #MesoStore
 * @id: a session id
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoAmendment): the session's amendments,
 *   oldest first, each with the values before and after.
 */
GPtrArray *
meso_store_list_amendments (MesoStore  *self,
                            gint64      id,
                            GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->list_amendments (self, id, error);
}

/**
 * meso_store_save_adjustments:
 * @self: a #MesoStore
 * @session_id: the session whose sheet is adjusted
 * @adjustments: the adjustments, complete (they replace the earlier ones for printing)
 * @error: a #GError
 *
 * Keeps the adjustments with the session, so that every reprint is the same sheet.
 * Earlier versions stay in the database; the audit log records each save.
 */
gboolean
meso_store_save_adjustments (MesoStore        *self,
                             gint64            session_id,
                             MesoAdjustments  *adjustments,
                             GError          **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (adjustments), FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->save_adjustments (self, session_id, adjustments, error);
}

/**
 * meso_store_get_adjustments:
 * @self: a #MesoStore
 * @session_id: a session
 * @error: a #GError
 *
 * Returns: (transfer full): the newest adjustments of the session's sheet; empty ones
 *   when there are none.
 */
MesoAdjustments *
meso_store_get_adjustments (MesoStore  *self,
                            gint64      session_id,
                            GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->get_adjustments (self, session_id, error);
}

/**
 * meso_store_log_event:
 * @self: a #MesoStore
 * @action: "print", "export", "backup" or "restore"
 * @session_id: the session it is about, or 0
 * @payload: what to record about it, one "key=value" a line
 * @error: a #GError
 *
 * Adds an entry to the audit log for something done with the records.
 */
gboolean
meso_store_log_event (MesoStore   *self,
                      const char  *action,
                      gint64       session_id,
                      const char  *payload,
                      GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL && payload != NULL, FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->log_event (self, action, session_id, payload, error);
}

/**
 * meso_store_list_audit:
 * @self: a #MesoStore
 * @session_id: a session id, or 0 for the whole log
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoAuditEntry): the entries, oldest first.
 */
GPtrArray *
meso_store_list_audit (MesoStore  *self,
                       gint64      session_id,
                       GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->list_audit (self, session_id, error);
}

/**
 * meso_store_list_printed:
 * @self: a #MesoStore
 * @ids: (array length=n_ids): session ids
 * @n_ids: how many
 * @error: a #GError
 *
 * Which of these sessions have had their sheet handed out: the audit log holds a
 * "print" entry for each sheet printed or saved as a PDF.
 *
 * Returns: (transfer full) (element-type gint64): those of @ids that were printed, in
 *   the order given, or %NULL with @error set.
 */
GArray *
meso_store_list_printed (MesoStore     *self,
                         const gint64  *ids,
                         guint          n_ids,
                         GError       **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->list_printed (self, ids, n_ids, error);
}

/**
 * meso_store_check:
 * @self: a #MesoStore
 * @error: a #GError that names the first problem found
 *
 * Checks the whole database: SQLite's integrity check, the foreign keys, and the audit
 * log's chain of hashes.
 *
 * Returns: %TRUE only when all hold.
 */
gboolean
meso_store_check (MesoStore  *self,
                  GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->check (self, error);
}

/**
 * meso_store_find_audit:
 * @self: a #MesoStore
 * @filter: (nullable): which entries; %NULL or all members empty: the whole log
 * @error: a #GError
 *
 * The audit log as a reviewer reads it, through the indexes on time and on subject.
 *
 * Returns: (transfer full) (element-type MesoAuditEntry): the entries that match,
 *   oldest first (with a limit, the newest @limit of them, still oldest first).
 */
GPtrArray *
meso_store_find_audit (MesoStore              *self,
                       const MesoAuditFilter  *filter,
                       GError                **error)
{
  static const MesoAuditFilter all = { 0 };

  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->find_audit (self, filter != NULL ? filter : &all, error);
}

/**
 * meso_store_get_fingerprint:
 * @self: a #MesoStore
 * @session_id: a session
 * @error: a #GError
 *
 * A short code for the sheet's footer, "XXXX-XXXX", taken from the seal of the newest
 * audit entry that changed what the session's sheet prints (its record, an amendment,
 * its void, its adjustments): the same for every reprint, another after a change, and
 * made by no one without the database's key. meso_store_find_fingerprint() finds it
 * again from a sheet in hand.
 *
 * Returns: (transfer full) (nullable): the code, or %NULL (with @error set on failure;
 *   without, for a session whose entries are not sealed).
 */
char *
meso_store_get_fingerprint (MesoStore  *self,
                            gint64      session_id,
                            GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->get_fingerprint (self, session_id, error);
}

/**
 * meso_store_find_fingerprint:
 * @self: a #MesoStore
 * @code: a fingerprint read off a sheet (case, dashes and spaces do not matter)
 * @out_found: (out caller-allocates): what it names
 * @error: a #GError: %MESO_ERROR_NOT_FOUND when no entry has it
 *
 * Returns: %TRUE when an entry of the audit log has the fingerprint @code.
 */
gboolean
meso_store_find_fingerprint (MesoStore        *self,
                             const char       *code,
                             MesoFingerprint  *out_found,
                             GError          **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (code != NULL && out_found != NULL, FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->find_fingerprint (self, code, out_found, error);
}

/**
 * meso_store_check_chain:
 * @self: a #MesoStore
 * @out_first_broken: (out) (optional): the sequence number of the first entry whose
 *   hash or link is wrong, or 0 when the chain holds or could not be read
 * @error: a #GError saying what is wrong
 *
 * The audit log's own check, the one meso_store_check() ends with.
 *
 * Returns: %TRUE when every entry follows the one before it and hashes to what it says.
 */
gboolean
meso_store_check_chain (MesoStore  *self,
                        gint64     *out_first_broken,
                        GError    **error)
{
  gint64 first_broken = 0;
  gboolean ok;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);

  LOCKED (self);
  ok = MESO_STORE_GET_CLASS (self)->check_chain (self, &first_broken, error);
  if (out_first_broken != NULL)
    *out_first_broken = first_broken;
  return ok;
}

/**
 * meso_store_report:
 * @self: a #MesoStore
 * @first_day: the period's first day, in the clinic's time zone
 * @last_day: its last day, included
 * @error: a #GError
 *
 * Adds up the period's figures in the database (see meso-report.h for what each one
 * counts) and writes the audit entry "report" (from, to) that says who looked: a
 * report whose entry could not be written is not returned.
 *
 * Returns: (transfer full): the report, or %NULL with @error set.
 */
MesoReport *
meso_store_report (MesoStore    *self,
                   const GDate  *first_day,
                   const GDate  *last_day,
                   GError      **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);
  g_return_val_if_fail (first_day != NULL && g_date_valid (first_day), NULL);
  g_return_val_if_fail (last_day != NULL && g_date_valid (last_day), NULL);

  if (g_date_compare (last_day, first_day) < 0)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_FAILED,
                           _("To: the last day comes before the first"));
      return NULL;
    }
  /* The period ends at the start of the day after: GDateTime has none after 9999. */
  if (g_date_get_year (last_day) > 9998)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_FAILED,
                           _("To: the last day must come before the year 9999"));
      return NULL;
    }

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->report (self, first_day, last_day, error);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Exactly one of the two, not blank: a recall of everything is no recall. */
static gboolean
check_recall_key (const char  *lot,
                  const char  *product,
                  GError     **error)
{
  if (lot != NULL && product != NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_CODE (MESO_FIELD_PRODUCT, MESO_CHECK_INCONSISTENT),
                   _("%s: give a lot or a product to recall, not both"),
                   meso_field_get_label (MESO_FIELD_PRODUCT));
      return FALSE;
    }
  if (is_blank (lot) && is_blank (product))
    {
      MesoField field = product != NULL ? MESO_FIELD_PRODUCT : MESO_FIELD_LOT;

      g_set_error (error, MESO_ERROR, MESO_ERROR_CODE (field, MESO_CHECK_REQUIRED),
                   _("%s: give the lot or the product to recall"), meso_field_get_label (field));
      return FALSE;
    }
  if ((lot != NULL && !g_utf8_validate (lot, -1, NULL))
      || (product != NULL && !g_utf8_validate (product, -1, NULL)))
    {
      MesoField field = lot != NULL ? MESO_FIELD_LOT : MESO_FIELD_PRODUCT;

      g_set_error (error, MESO_ERROR, MESO_ERROR_CODE (field, MESO_CHECK_INVALID_TEXT),
                   _("%s: not valid text"), meso_field_get_label (field));
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_store_recall:
 * @self: a #MesoStore
 * @lot: (nullable): the lot recalled
 * @product: (nullable): or the product; exactly one of the two
 * @error: a #GError naming the lot or the product field when neither or both are given
 *
 * Finds every patient who received the lot (or product), matched without the blanks
 * around it and regardless of case (ASCII letters), voided sessions left out, and
 * writes the audit entry "recall" (the lot or product, the patients found).
 *
 * Returns: (transfer full) (element-type MesoRecallPatient): one per patient, ordered by
 *   name; empty when nobody received it.
 */
GPtrArray *
meso_store_recall (MesoStore   *self,
                   const char  *lot,
                   const char  *product,
                   GError     **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  if (!check_recall_key (lot, product, error))
    return NULL;

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->recall (self, lot, product, error);
}

/* For the watch (meso-store-async.c), on the worker thread. */
gint64
meso_store_get_data_version (MesoStore  *self,
                             GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), -1);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->data_version (self, error);
}

static gboolean
collect_session (MesoSession  *session,
                 gpointer      user_data,
                 GError      **error)
{
  g_ptr_array_add (user_data, g_object_ref (session));
  return TRUE;
}

/**
 * meso_store_query:
 * @self: a #MesoStore
 * @query: which sessions; its range makes a page
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoSession): the matching sessions.
 */
GPtrArray *
meso_store_query (MesoStore         *self,
                  MesoSessionQuery  *query,
                  GError           **error)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);

  if (!meso_store_query_foreach (self, query, collect_session, sessions, error))
    return NULL;
  return g_steal_pointer (&sessions);
}

/**
 * meso_store_list_sessions:
 * @self: a #MesoStore
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoSession): every session with its current
 *   values, voided ones included, newest first.
 */
GPtrArray *
meso_store_list_sessions (MesoStore  *self,
                          GError    **error)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();

  return meso_store_query (self, query, error);
}

/**
 * meso_store_get_clinic:
 * @self: a #MesoStore
 * @error: a #GError
 *
 * Returns: (transfer full): the clinic's details, shared by every workstation; empty ones
 *   when none have been set.
 */
MesoClinic *
meso_store_get_clinic (MesoStore  *self,
                       GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->get_clinic (self, NULL, error);
}

/* Said after the lock is let go: a handler may well read the store again. */
static gboolean
notify_clinic_changed (MesoStore *self,
                       gboolean   ok,
                       gboolean   changed)
{
  if (ok && changed)
    g_signal_emit (self, signals[CLINIC_CHANGED], 0);
  return ok;
}

/**
 * meso_store_set_clinic:
 * @self: a #MesoStore
 * @clinic: the new details
 * @fields: which of them to change; the others keep their stored values, whoever wrote
 *   them meanwhile
 * @error: a #GError naming the detail that is wrong; nothing is written then
 *
 * Validates the details given and writes them with an audit entry ("clinic", listing the
 * new values) in one transaction. Details the same as those stored write nothing.
 */
gboolean
meso_store_set_clinic (MesoStore         *self,
                       MesoClinic        *clinic,
                       MesoClinicFields   fields,
                       GError           **error)
{
  gboolean changed = FALSE;
  gboolean ok = meso_store_set_clinic_unsignalled (self, clinic, fields, &changed, error);

  return notify_clinic_changed (self, ok, changed);
}

/* meso_store_set_clinic() without the signal: @out_changed says whether to give it. */
gboolean
meso_store_set_clinic_unsignalled (MesoStore         *self,
                                   MesoClinic        *clinic,
                                   MesoClinicFields   fields,
                                   gboolean          *out_changed,
                                   GError           **error)
{
  gboolean ok;

  *out_changed = FALSE;
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_CLINIC (clinic), FALSE);
  g_return_val_if_fail ((fields & ~MESO_CLINIC_ALL) == 0, FALSE);

  if (!meso_clinic_validate (clinic, fields, error))
    return FALSE;
  {
    LOCKED (self);
    ok = MESO_STORE_GET_CLASS (self)->set_clinic (self, clinic, fields, out_changed, error);
  }
  return ok;
}

/* Each value is taken only if it is valid today: an old setting that no longer is (a
 * logo file since moved) is left out, with a note, rather than stop the app. */
static void
take_setting (MesoClinic       *clinic,
              MesoClinicFields  field,
              const char       *value)
{
  g_autoptr(GError) error = NULL;

  if (value == NULL || *value == '\0')
    return;
  switch (field)
    {
    case MESO_CLINIC_NAME: meso_clinic_set_name (clinic, value); break;
    case MESO_CLINIC_ADDRESS: meso_clinic_set_address (clinic, value); break;
    case MESO_CLINIC_PHONE: meso_clinic_set_phone (clinic, value); break;
    case MESO_CLINIC_EMAIL: meso_clinic_set_email (clinic, value); break;
    case MESO_CLINIC_LOGO:
      meso_clinic_set_logo_from_file (clinic, value, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (error == NULL && !meso_clinic_validate (clinic, field, &error))
    {
      g_autoptr(MesoClinic) empty = meso_clinic_new ();

      meso_clinic_copy_fields (clinic, empty, field);
    }
  if (error != NULL)
    g_message ("Not carried over from the settings: %s", error->message);
}

static GPtrArray *
take_practitioners (const char * const *names)
{
  GPtrArray *practitioners = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autoptr(MesoPractitioner) practitioner = meso_practitioner_new (names[i]);
      g_autoptr(GError) error = NULL;

      if (!meso_practitioner_validate (practitioner, &error))
        {
          g_message ("Not carried over from the settings: %s", error->message);
          continue;
        }
      if (!g_hash_table_add (seen, (gpointer) meso_practitioner_get_name (practitioner)))
        continue;
      g_ptr_array_add (practitioners, g_steal_pointer (&practitioner));
    }
  return practitioners;
}

/**
 * meso_store_carry_over_clinic:
 * @self: a #MesoStore
 * @settings: the details and practitioners as an older version kept them
 * @out_carried: (out) (optional): whether they were written
 * @error: a #GError
 *
 * Gives the database its first clinic details, once: only while it has none at all, so
 * that details already there (written from another workstation, or by an earlier
 * carry-over) are never overwritten. The practitioners are listed (active); values no
 * longer valid are left out. Everything is written, with its audit entries, in one
 * transaction. The app calls this at start with its settings' old values.
 */
gboolean
meso_store_carry_over_clinic (MesoStore                 *self,
                              const MesoClinicSettings  *settings,
                              gboolean                  *out_carried,
                              GError                   **error)
{
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(MesoClinic) stored = NULL;
  g_autoptr(GPtrArray) practitioners = NULL;
  gboolean has_details = FALSE;
  gboolean carried = FALSE;
  gboolean ok;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  if (out_carried != NULL)
    *out_carried = FALSE;

  /* Asked first, so that a logo is not read at every start for nothing. */
  {
    LOCKED (self);
    stored = MESO_STORE_GET_CLASS (self)->get_clinic (self, &has_details, error);
  }
  if (stored == NULL)
    return FALSE;
  if (has_details)
    return TRUE;

  clinic = meso_clinic_new ();
  take_setting (clinic, MESO_CLINIC_NAME, settings->name);
  take_setting (clinic, MESO_CLINIC_ADDRESS, settings->address);
  take_setting (clinic, MESO_CLINIC_PHONE, settings->phone);
  take_setting (clinic, MESO_CLINIC_EMAIL, settings->email);
  take_setting (clinic, MESO_CLINIC_LOGO, settings->logo_path);
  practitioners = take_practitioners (settings->practitioners);
  if (meso_clinic_is_empty (clinic) && practitioners->len == 0)
    return TRUE;

  {
    LOCKED (self);
    ok = MESO_STORE_GET_CLASS (self)->carry_over_clinic (self, clinic, practitioners, &carried,
                                                         error);
  }
  if (ok && out_carried != NULL)
    *out_carried = carried;
  return notify_clinic_changed (self, ok, carried);
}

/**
 * meso_store_list_practitioners:
 * @self: a #MesoStore
 * @active_only: only those the form offers; otherwise also those retired and those known
 *   only from the sessions that name them
 * @error: a #GError
 *
 * Returns: (transfer full) (element-type MesoPractitioner): the practitioners, by name.
 */
GPtrArray *
meso_store_list_practitioners (MesoStore  *self,
                               gboolean    active_only,
                               GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), NULL);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->list_practitioners (self, active_only, error);
}

/**
 * meso_store_add_practitioner:
 * @self: a #MesoStore
 * @practitioner: who to list
 * @error: a #GError naming the field
 *
 * Lists @practitioner on the form (active). Someone known already (retired, or named by
 * sessions) is listed again, keeping their role and number unless new ones are given;
 * someone listed already is an error.
 */
gboolean
meso_store_add_practitioner (MesoStore         *self,
                             MesoPractitioner  *practitioner,
                             GError           **error)
{
  gboolean changed = FALSE;
  gboolean ok = meso_store_add_practitioner_unsignalled (self, practitioner, &changed, error);

  return notify_clinic_changed (self, ok, changed);
}

/* meso_store_add_practitioner() without the signal: @out_changed says whether to give it. */
gboolean
meso_store_add_practitioner_unsignalled (MesoStore         *self,
                                         MesoPractitioner  *practitioner,
                                         gboolean          *out_changed,
                                         GError           **error)
{
  gboolean ok;

  *out_changed = FALSE;
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_PRACTITIONER (practitioner), FALSE);

  if (!meso_practitioner_validate (practitioner, error))
    return FALSE;
  {
    LOCKED (self);
    ok = MESO_STORE_GET_CLASS (self)->add_practitioner (self, practitioner, out_changed, error);
  }
  return ok;
}

/**
 * meso_store_update_practitioner:
 * @self: a #MesoStore
 * @practitioner: a practitioner known to the store, by name, with their new role,
 *   registration number and whether they are active
 * @error: a #GError; %MESO_ERROR_NOT_FOUND when no practitioner has that name
 *
 * The name never changes: sessions keep it. Someone who changes their name is added
 * under the new one, and the old one retired.
 */
gboolean
meso_store_update_practitioner (MesoStore         *self,
                                MesoPractitioner  *practitioner,
                                GError           **error)
{
  gboolean changed = FALSE;
  gboolean ok = meso_store_update_practitioner_unsignalled (self, practitioner, &changed, error);

  return notify_clinic_changed (self, ok, changed);
}

/* meso_store_update_practitioner() without the signal: @out_changed says whether to give it. */
gboolean
meso_store_update_practitioner_unsignalled (MesoStore         *self,
                                            MesoPractitioner  *practitioner,
                                            gboolean          *out_changed,
                                            GError           **error)
{
  gboolean ok;

  *out_changed = FALSE;
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (MESO_IS_PRACTITIONER (practitioner), FALSE);

  if (!meso_practitioner_validate (practitioner, error))
    return FALSE;
  {
    LOCKED (self);
    ok = MESO_STORE_GET_CLASS (self)->update_practitioner (self, practitioner, out_changed, error);
  }
  return ok;
}

/**
 * meso_store_retire_practitioner:
 * @self: a #MesoStore
 * @name: a practitioner on the list
 * @error: a #GError; %MESO_ERROR_NOT_FOUND when no one of that name is on the list
 *
 * Takes a practitioner off the form's list, noting when. Never deleted: their sessions
 * keep pointing at them, and adding them again lists them again.
 */
gboolean
meso_store_retire_practitioner (MesoStore   *self,
                                const char  *name,
                                GError           **error)
{
  gboolean changed = FALSE;
  gboolean ok = meso_store_retire_practitioner_unsignalled (self, name, &changed, error);

  return notify_clinic_changed (self, ok, changed);
}

/* meso_store_retire_practitioner() without the signal: @out_changed says whether to give it. */
gboolean
meso_store_retire_practitioner_unsignalled (MesoStore   *self,
                                            const char  *name,
                                            gboolean          *out_changed,
                                            GError           **error)
{
  g_autofree char *trimmed = NULL;
  gboolean ok;

  *out_changed = FALSE;
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  trimmed = g_strdup (name);
  if (g_utf8_validate (trimmed, -1, NULL))
    g_strstrip (trimmed);
  {
    LOCKED (self);
    ok = MESO_STORE_GET_CLASS (self)->retire_practitioner (self, trimmed, out_changed, error);
  }
  return ok;
}

/**
 * meso_store_dump:
 * @self: a #MesoStore
 * @func: called with each row (meso-dump.h), in the order of a dump
 * @user_data: for @func
 * @error: a #GError
 *
 * Streams the whole database in a form no engine owns, as one consistent snapshot: the
 * header (schema version, chain id), every record table's rows in id order with their
 * typed values, then every audit entry as it is. Only reads; one row in memory at a
 * time. Writes by others wait until it ends (the store's lock), readers too.
 *
 * Returns: %TRUE when every row was handed to @func.
 */
gboolean
meso_store_dump (MesoStore     *self,
                 MesoDumpFunc   func,
                 gpointer       user_data,
                 GError       **error)
{
  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (MESO_STORE_GET_CLASS (self)->dump != NULL, FALSE);

  LOCKED (self);
  return MESO_STORE_GET_CLASS (self)->dump (self, func, user_data, error);
}

/**
 * meso_store_load:
 * @self: an empty #MesoStore, open for writing
 * @source: hands the rows of a dump to the load (meso_dump_copy() hands another
 *   store's dump)
 * @source_data: for @source
 * @error: a #GError
 *
 * Takes a dump into @self in one transaction: the same ids, the same chain id, every
 * audit entry as it was, so that @self's check proves the copy with the same key. A
 * store that holds anything (sessions above all) is refused, and so is a dump of
 * another schema version or whose chain's key is not on this computer (the message
 * names the key's file). On any failure nothing is kept: @self is left empty.
 *
 * Returns: %TRUE when the whole dump was loaded.
 */
gboolean
meso_store_load (MesoStore       *self,
                 MesoDumpSource   source,
                 gpointer         source_data,
                 GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (MESO_IS_STORE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (MESO_STORE_GET_CLASS (self)->load != NULL, FALSE);

  {
    LOCKED (self);
    ok = MESO_STORE_GET_CLASS (self)->load (self, source, source_data, error);
  }
  if (ok)
    meso_store_emit_changed (self);
  return ok;
}
