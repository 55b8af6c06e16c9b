/* meso-sqlite-store-bulk.c: writes by the thousand, in one transaction
 *
 * Saved one call at a time, a million sessions cost a million updates of the trigram
 * index of names (each through its trigger, in a savepoint of its own), the pages of the
 * indexes spilled again and again from a small cache, and one fsync for every amendment
 * and every void. Inside meso_store_write_bulk() every write joins one transaction; the
 * triggers of the name index are set aside and the index is filled once, at the end,
 * with one INSERT ... SELECT; into a database with no session yet, the indexes of the
 * tables that grow are built at the end too, and the file is filled through a rollback
 * journal; the cache is larger while it lasts; the audit chain goes on from the entry
 * the bulk wrote last (meso-sqlite-seal.c keeps it), and a patient or practitioner written again with the same
 * details is not looked up again. The triggers and indexes go and come back inside that
 * transaction: a crash or an error leaves the schema and the index as they were, with
 * none of the writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-error.h"
#include "meso-sqlite-store-private.h"

/* The page cache while a bulk write lasts, in KiB: the indexes of a million sessions
 * are written in the order of their keys (times, lots, names), not of the rows, and a
 * small cache writes the same pages out again and again. */
#define BULK_CACHE_KIB 262144
/* Helper threads of SQLite's sorter, beside the caller's: a second core for the sorts
 * of CREATE INDEX at the end of a bulk into an empty database. */
#define BULK_SORT_THREADS 1

/* Patients and practitioners a bulk remembers at most: beyond, it starts again, so
 * that its memory stays bounded whatever the size of the clinic. */
#define MAX_KNOWN_ROWS 65536

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static gboolean
exec_sql (MesoSqliteStore  *self,
          const char       *sql,
          GError          **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, sql);
  return TRUE;
}

static gboolean
query_int64 (MesoSqliteStore  *self,
             const char       *sql,
             gint64           *out_value,
             GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return meso_sqlite_store_fail (self, error, sql);
  *out_value = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* Drops the schema objects that @select lists (name, sql), and returns their SQL as
 * the schema has it, to make them again. */
static GPtrArray *
take_schema_objects (MesoSqliteStore  *self,
                     const char       *kind,
                     const char       *select,
                     GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (sqlite3_prepare_v2 (self->db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, select);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, select);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP %s \"%s\"", kind,
                                               (const char *) g_ptr_array_index (names, i));

      if (!exec_sql (self, drop, error))
        return NULL;
    }
  return g_steal_pointer (&sql);
}

/* The triggers that keep the name index (session_names) in step with session_current. */
static GPtrArray *
take_name_triggers (MesoSqliteStore  *self,
                    GError          **error)
{
  return take_schema_objects (self, "TRIGGER",
                              "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
                              " AND tbl_name = 'session_current'"
                              " AND instr (sql, 'session_names') > 0 ORDER BY name",
                              error);
}

/* Into a database with no session yet, the indexes of the tables that grow with each
 * session are built once at the end, sorted, rather than row by row in the order of
 * the rows. Those the writes look up (patients, practitioners, amendments) stay; so do
 * the ones of constraints (sql IS NULL), which cannot be dropped. */
static GPtrArray *
take_session_indexes (MesoSqliteStore  *self,
                      GError          **error)
{
  gint64 empty = 0;

  if (!query_int64 (self, "SELECT NOT EXISTS (SELECT 1 FROM sessions)", &empty, error))
    return NULL;
  if (!empty)
    return g_ptr_array_new_with_free_func (g_free);
  return take_schema_objects (self, "INDEX",
                              "SELECT name, sql FROM sqlite_schema WHERE type = 'index'"
                              " AND sql IS NOT NULL AND tbl_name IN ('sessions',"
                              " 'session_current', 'audit_log') ORDER BY name",
                              error);
}

static gboolean
restore_schema_objects (MesoSqliteStore  *self,
                  GPtrArray        *sql,
                  GError          **error)
{
  for (guint i = 0; i < sql->len; i++)
    if (!exec_sql (self, g_ptr_array_index (sql, i), error))
      return FALSE;
  return TRUE;
}

/* The sessions added since the bulk began go into the name index in one statement; an
 * amendment of a session indexed before (whose name may have changed) has the whole
 * index made again instead. */
static gboolean
fill_name_index (MesoSqliteStore  *self,
                 GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->names_stale)
    return exec_sql (self, "INSERT INTO session_names (session_names) VALUES ('rebuild')",
                     error);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO session_names (rowid, patient_key)"
                          " SELECT session_id, patient_key FROM session_current"
                          " WHERE session_id > ?1 ORDER BY session_id",
                          -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "fill the name index");
  sqlite3_bind_int64 (stmt, 1, self->names_indexed);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "fill the name index");
  return TRUE;
}

static void
leave_bulk (MesoSqliteStore *self)
{
  self->in_bulk = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (self->known); i++)
    g_clear_pointer (&self->known[i], g_hash_table_unref);
}

typedef struct
{
  MesoStoreBulkFunc  func;
  gpointer           user_data;
} BulkData;

static gboolean
run_bulk (MesoSqliteStore  *self,
          BulkData         *data,
          GError          **error)
{
  g_autoptr(GPtrArray) triggers = NULL;
  g_autoptr(GPtrArray) indexes = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!query_int64 (self, "SELECT coalesce (max (session_id), 0) FROM session_current",
                    &self->names_indexed, error))
    return FALSE;
  triggers = take_name_triggers (self, error);
  if (triggers == NULL)
    return FALSE;
  indexes = take_session_indexes (self, error);
  if (indexes == NULL)
    return FALSE;

  self->in_bulk = TRUE;
  self->bulk_failed = FALSE;
  self->names_stale = FALSE;
  ok = data->func (MESO_STORE (self), data->user_data, &local_error);
  leave_bulk (self);

  if (ok && self->bulk_failed)
    g_set_error (&local_error, MESO_ERROR, MESO_ERROR_DATABASE,
                 _("Database %s: a write failed; nothing was saved"), self->path);
  else if (!ok && local_error == NULL)
    g_set_error (&local_error, MESO_ERROR, MESO_ERROR_FAILED,
                 _("Database %s: the work stopped; nothing was saved"), self->path);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return fill_name_index (self, error)
         && restore_schema_objects (self, triggers, error)
         && restore_schema_objects (self, indexes, error);
}

static gboolean
run_bulk_cb (MesoSqliteStore  *self,
             gpointer          data,
             GError          **error)
{
  return run_bulk (self, data, error);
}

/* The cache as it was; larger for the bulk, and the sorts that build the indexes at
 * its end (CREATE INDEX) may use a second core. */
static gboolean
grow_cache (MesoSqliteStore  *self,
            gint64           *out_old_cache,
            gint64           *out_old_threads,
            GError          **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = -%d", BULK_CACHE_KIB);

  return query_int64 (self, "PRAGMA cache_size", out_old_cache, error)
         && query_int64 (self, "PRAGMA threads", out_old_threads, error)
         && exec_sql (self, sql, error)
         && exec_sql (self, "PRAGMA threads = " G_STRINGIFY (BULK_SORT_THREADS), error);
}

static gboolean
journal_mode_is (MesoSqliteStore *self,
                 const char      *sql,
                 const char      *mode)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  return sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK
         && sqlite3_step (stmt) == SQLITE_ROW
         && g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), mode) == 0;
}

/* A database with no session yet is filled through a rollback journal: the pages it
 * gains are written once, to the file, where the write-ahead log would take them all
 * and copy them again at the checkpoint. A crash half-way leaves a hot journal, which
 * the next open rolls back (then turns the file to WAL again, as at every open).
 * SQLite refuses the change while another connection has the file open: the bulk then
 * goes through the log as any other write. */
static gboolean
leave_wal_if_empty (MesoSqliteStore *self)
{
  gint64 empty = 0;

  if (!query_int64 (self, "SELECT NOT EXISTS (SELECT 1 FROM sessions)", &empty, NULL)
      || !empty)
    return FALSE;
  return journal_mode_is (self, "PRAGMA journal_mode = DELETE", "delete");
}

static void
return_to_wal (MesoSqliteStore *self)
{
  if (!journal_mode_is (self, "PRAGMA journal_mode = WAL", "wal"))
    g_debug ("%s stays in rollback mode until it is opened again", self->path);
}

gboolean
meso_sqlite_store_write_bulk (MesoStore          *store,
                              MesoStoreBulkFunc   func,
                              gpointer            user_data,
                              GError            **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *restore = NULL;
  BulkData data = { func, user_data };
  gint64 old_cache = 0, old_threads = 0;
  gboolean rollback_journal;
  gboolean ok;

  /* One transaction: a bulk inside a bulk is a bug of the caller. */
  g_return_val_if_fail (!self->in_bulk, FALSE);

  if (!grow_cache (self, &old_cache, &old_threads, error))
    return FALSE;
  rollback_journal = !meso_store_get_writes_held (store) && leave_wal_if_empty (self);
  ok = meso_sqlite_store_write_transaction (self, run_bulk_cb, &data, error);
  leave_bulk (self);
  if (rollback_journal)
    return_to_wal (self);

  /* Once the memory is given back; a failure here changes nothing to the data. */
  restore = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT "; PRAGMA threads = %"
                             G_GINT64_FORMAT, old_cache, old_threads);
  sqlite3_exec (self->db, restore, NULL, NULL, NULL);
  return ok;
}

/* A write made inside a bulk: it runs in the bulk's transaction, and a failure leaves
 * the whole to be undone. */
gboolean
meso_sqlite_store_bulk_join (MesoSqliteStore           *self,
                             MesoSqliteStoreWriteFunc   func,
                             gpointer                   data,
                             GError                   **error)
{
  if (self->bulk_failed)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Database %s: a write failed; nothing was saved"), self->path);
      return FALSE;
    }
  if (!func (self, data, error))
    {
      self->bulk_failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* Called when the current values of a session are written: one the name index held
 * before the bulk may have changed its name, and the index must be made whole again. */
void
meso_sqlite_store_bulk_note_current (MesoSqliteStore *self,
                                     gint64           session_id)
{
  if (self->in_bulk && session_id <= self->names_indexed)
    self->names_stale = TRUE;
}

/* A patient or a practitioner the bulk wrote: its id, and the details it holds after the
 * writes (NULL: not known, as for a row found rather than written). */
typedef struct
{
  gint64  id;
  GStrv   values;
} KnownRow;

static void
known_row_free (KnownRow *row)
{
  g_strfreev (row->values);
  g_free (row);
}

static char *
known_key (GStrv texts,
           guint n_key)
{
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint i = 0; i < n_key; i++)
    {
      g_string_append (key, texts[i]);
      g_string_append_c (key, '\x1f');
    }
  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* Whether the row of @texts (@n_key of them make the key; then the details, each
 * written with "coalesce (new, old)") was written in this bulk with the same details:
 * writing it again would change nothing. */
gboolean
meso_sqlite_store_bulk_known (MesoSqliteStore  *self,
                              MesoBulkTable     table,
                              GStrv             texts,
                              guint             n_key,
                              gint64           *out_id)
{
  g_autofree char *key = NULL;
  KnownRow *row;

  if (!self->in_bulk || self->known[table] == NULL)
    return FALSE;
  key = known_key (texts, n_key);
  row = g_hash_table_lookup (self->known[table], key);
  if (row == NULL)
    return FALSE;
  for (guint i = n_key; texts[i] != NULL; i++)
    if (*texts[i] != '\0' && g_strcmp0 (texts[i], row->values[i - n_key]) != 0)
      return FALSE;
  *out_id = row->id;
  return TRUE;
}

/* Notes that the row of @texts was written (see meso_sqlite_store_bulk_known()). */
void
meso_sqlite_store_bulk_remember (MesoSqliteStore  *self,
                                 MesoBulkTable     table,
                                 GStrv             texts,
                                 guint             n_key,
                                 gint64            id)
{
  g_autofree char *key = known_key (texts, n_key);
  guint n_values = g_strv_length (texts) - n_key;
  KnownRow *row;

  if (!self->in_bulk)
    return;
  if (self->known[table] == NULL
      || g_hash_table_size (self->known[table]) >= MAX_KNOWN_ROWS)
    {
      g_clear_pointer (&self->known[table], g_hash_table_unref);
      self->known[table] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) known_row_free);
    }
  row = g_hash_table_lookup (self->known[table], key);
  if (row == NULL || row->id != id)
    {
      row = g_new0 (KnownRow, 1);
      row->id = id;
      row->values = g_new0 (char *, n_values + 1);
      g_hash_table_replace (self->known[table], g_steal_pointer (&key), row);
    }
  for (guint i = 0; i < n_values; i++)
    if (*texts[n_key + i] != '\0')
      {
        g_free (row->values[i]);
        row->values[i] = g_strdup (texts[n_key + i]);
      }
}
