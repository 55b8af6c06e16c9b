/* meso-sqlite-store-dump.c: the SQLite engine's dump of the whole database, and its
 * load of a dump into an empty database (meso-dump.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-dump.h"
#include "meso-error.h"
#include "meso-sqlite-seal-private.h"
#include "meso-sqlite-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define AUDIT_COLUMNS \
  "seq, at, actor, action, entity, entity_id, payload, prev_hash, hash, rows, mac"

/* ---- The dump ---- */

static gboolean
dump_header (MesoSqliteStore  *self,
             MesoDumpFunc      func,
             gpointer          user_data,
             GError          **error)
{
  static const char * const columns[] = { "schema_version", "chain_id" };
  g_autofree char *chain_id = meso_seal_is_sealed (self->db)
                              ? meso_seal_read_chain_id (self->db) : NULL;
  MesoDumpValue values[2] = {
    { MESO_DUMP_INTEGER, self->schema_version },
    { chain_id != NULL ? MESO_DUMP_TEXT : MESO_DUMP_NULL, 0, 0, chain_id,
      chain_id != NULL ? strlen (chain_id) : 0 },
  };
  MesoDumpRow row = { MESO_DUMP_HEADER, G_N_ELEMENTS (columns), columns, values };

  return func (&row, user_data, error);
}

static void
read_value (sqlite3_stmt  *stmt,
            int            column,
            MesoDumpValue *value)
{
  memset (value, 0, sizeof *value);
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      value->type = MESO_DUMP_INTEGER;
      value->integer = sqlite3_column_int64 (stmt, column);
      break;
    case SQLITE_FLOAT:
      value->type = MESO_DUMP_REAL;
      value->real = sqlite3_column_double (stmt, column);
      break;
    case SQLITE_TEXT:
      value->type = MESO_DUMP_TEXT;
      value->data = (const char *) sqlite3_column_text (stmt, column);
      value->length = (gsize) sqlite3_column_bytes (stmt, column);
      break;
    case SQLITE_BLOB:
      value->type = MESO_DUMP_BLOB;
      value->data = sqlite3_column_blob (stmt, column);
      value->length = (gsize) sqlite3_column_bytes (stmt, column);
      break;
    default:
      value->type = MESO_DUMP_NULL;
      break;
    }
}

/* Every row of @table, in the order its ids were given. */
static gboolean
dump_table (MesoSqliteStore  *self,
            const char       *table,
            MesoDumpFunc      func,
            gpointer          user_data,
            GError          **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree const char **columns = NULL;
  g_autofree MesoDumpValue *values = NULL;
  MesoDumpRow row = { table };
  int rc;

  if (g_str_equal (table, MESO_DUMP_AUDIT))
    sql = g_strdup ("SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq");
  else if (g_str_equal (table, "session_areas"))  /* WITHOUT ROWID: its key is its order */
    sql = g_strdup ("SELECT * FROM session_areas ORDER BY session_id, area");
  else
    sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY rowid", table);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "dump: prepare");

  row.n_columns = (guint) sqlite3_column_count (stmt);
  columns = g_new0 (const char *, row.n_columns + 1);
  values = g_new0 (MesoDumpValue, row.n_columns);
  for (guint i = 0; i < row.n_columns; i++)
    columns[i] = sqlite3_column_name (stmt, (int) i);
  row.columns = columns;
  row.values = values;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < row.n_columns; i++)
        read_value (stmt, (int) i, &values[i]);
      if (!func (&row, user_data, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "dump");
  return TRUE;
}

/* One read transaction: a snapshot, whatever another process writes meanwhile. */
gboolean
meso_sqlite_store_dump (MesoStore     *store,
                        MesoDumpFunc   func,
                        gpointer       user_data,
                        GError       **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  gboolean ok;

  g_return_val_if_fail (!self->in_bulk, FALSE);

  if (sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "dump: begin");
  ok = dump_header (self, func, user_data, error);
  for (guint i = 0; ok && meso_dump_tables[i] != NULL; i++)
    ok = dump_table (self, meso_dump_tables[i], func, user_data, error);
  ok = ok && dump_table (self, MESO_DUMP_AUDIT, func, user_data, error);
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return ok;
}

/* ---- The load ---- */

typedef struct
{
  MesoSqliteStore *self;
  MesoDumpSource   source;
  gpointer         source_data;
  gboolean         header_seen;
  char            *chain_id;    /* the copied chain's, or NULL (a server's own chain) */
  char            *own_chain_id; /* the copy's own, when its seal starts at the copy */
  GHashTable      *inserts;     /* "table\x1fcolumn\x1f..." → its INSERT statement */
  sqlite3_stmt    *stage;       /* an audit entry into STAGED_LOG */
} Load;

/* The copied audit entries wait here until the whole log is known: whether each has a
 * mac decides how they go into the log (adopted as they are, or sealed anew). A
 * temporary table is no part of the database's schema (nor of its sealed digest), and
 * it goes with the transaction. */
#define STAGED_LOG "meso_copied_log"


static gboolean
load_failed (Load        *load,
             GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
load_failed (Load        *load,
             GError     **error,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* The caller's prefix names the database. */
  g_set_error_literal (error, MESO_ERROR, MESO_ERROR_DATABASE, message);
  return FALSE;
}

static gboolean
count_rows_where (MesoSqliteStore  *self,
                  const char       *from,
                  gint64           *out_count,
                  GError          **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", from);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return meso_sqlite_store_fail (self, error, "count rows");
  *out_count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
count_rows (MesoSqliteStore  *self,
            const char       *table,
            gint64           *out_count,
            GError          **error)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", table);

  return count_rows_where (self, quoted, out_count, error);
}

/* A copy keeps every id and the whole chain: it can only go where there is nothing
 * yet, not even a practitioner or an audit entry. */
static gboolean
require_empty (Load    *load,
               GError **error)
{
  gint64 count = 0;

  if (!count_rows (load->self, "sessions", &count, error))
    return FALSE;
  if (count > 0)
    return load_failed (load, error, ngettext ("it already holds %lld session: a database "
                                               "is copied only into an empty one",
                                               "it already holds %lld sessions: a database "
                                               "is copied only into an empty one",
                                               (unsigned long) MIN (count, G_MAXINT32)),
                        (long long) count);
  for (guint i = 0; meso_dump_tables[i] != NULL; i++)
    {
      if (!count_rows (load->self, meso_dump_tables[i], &count, error))
        return FALSE;
      if (count > 0)
        return load_failed (load, error, _("it already holds records (the %s table): a "
                                           "database is copied only into an empty one"),
                            meso_dump_tables[i]);
    }
  if (!count_rows (load->self, "audit_log", &count, error))
    return FALSE;
  if (count > 0)
    return load_failed (load, error, _("its audit log already holds %lld entries: a "
                                       "database is copied only into an empty one"),
                        (long long) count);
  return TRUE;
}

static gboolean
is_known_table (const char *table)
{
  if (g_str_equal (table, MESO_DUMP_AUDIT))
    return TRUE;
  for (guint i = 0; meso_dump_tables[i] != NULL; i++)
    if (g_str_equal (table, meso_dump_tables[i]))
      return TRUE;
  return FALSE;
}

static void
append_identifier (GString    *sql,
                   const char *name)
{
  g_string_append_c (sql, '"');
  for (const char *c = name; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (sql, '"');
      g_string_append_c (sql, *c);
    }
  g_string_append_c (sql, '"');
}

/* The INSERT for rows of @row's table and columns, prepared once. */
static sqlite3_stmt *
get_insert (Load               *load,
            const MesoDumpRow  *row,
            GError            **error)
{
  g_autoptr(GString) key = g_string_new (row->table);
  g_autoptr(GString) sql = g_string_new ("INSERT INTO ");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < row->n_columns; i++)
    g_string_append_printf (key, "\x1f%s", row->columns[i]);
  stmt = g_hash_table_lookup (load->inserts, key->str);
  if (stmt != NULL)
    return stmt;

  append_identifier (sql, row->table);
  g_string_append (sql, " (");
  for (guint i = 0; i < row->n_columns; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      append_identifier (sql, row->columns[i]);
    }
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < row->n_columns; i++)
    g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append (sql, ")");
  if (sqlite3_prepare_v2 (load->self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (load->self, error, "load: prepare");
      g_prefix_error (error, _("Table %s: "), row->table);
      return NULL;
    }
  g_hash_table_insert (load->inserts, g_string_free (g_steal_pointer (&key), FALSE), stmt);
  return stmt;
}

static void
bind_value (sqlite3_stmt        *stmt,
            int                  index,
            const MesoDumpValue *value)
{
  switch (value->type)
    {
    case MESO_DUMP_INTEGER:
      sqlite3_bind_int64 (stmt, index, value->integer);
      break;
    case MESO_DUMP_REAL:
      sqlite3_bind_double (stmt, index, value->real);
      break;
    case MESO_DUMP_TEXT:
      sqlite3_bind_text64 (stmt, index, value->data, value->length, SQLITE_STATIC, SQLITE_UTF8);
      break;
    case MESO_DUMP_BLOB:
      /* A blob of no bytes from a NULL pointer would be bound as NULL. */
      if (value->length == 0)
        sqlite3_bind_zeroblob (stmt, index, 0);
      else
        sqlite3_bind_blob64 (stmt, index, value->data, value->length, SQLITE_STATIC);
      break;
    case MESO_DUMP_NULL:
    default:
      sqlite3_bind_null (stmt, index);
      break;
    }
}

/* The same chain id is the same key file: the account running the copy must hold it
 * to adopt a log wholly sealed with it. */
static gboolean
require_key (Load    *load,
             GError **error)
{
  guint8 key[KEY_BYTES];
  gboolean ok = meso_seal_read_key (load->chain_id, key, error);

  memset (key, 0, sizeof key);
  if (!ok)
    g_prefix_error (error, _("the copied database’s audit log needs its key on this "
                             "computer: "));
  return ok;
}

static gboolean
load_header (Load               *load,
             const MesoDumpRow  *row,
             GError            **error)
{
  const MesoDumpValue *version = meso_dump_row_get (row, "schema_version");
  const MesoDumpValue *chain_id = meso_dump_row_get (row, "chain_id");

  if (load->header_seen || version == NULL || version->type != MESO_DUMP_INTEGER)
    return load_failed (load, error, _("what was to be copied is not a database of "
                                       "Mesocare"));
  if (version->integer != load->self->schema_version)
    return load_failed (load, error, _("the database copied has the layout of schema %lld, "
                                       "this one of schema %d: bring the older one up to "
                                       "date first (“mesocare-cli upgrade”)"),
                        (long long) version->integer, load->self->schema_version);
  /* A clinic server that never held a copy of a file has no chain id: its log is the
   * plain chain, which the copy seals anew (load_log()). */
  if (chain_id == NULL || (chain_id->type != MESO_DUMP_TEXT && chain_id->type != MESO_DUMP_NULL))
    return load_failed (load, error, _("what was to be copied is not a database of "
                                       "Mesocare"));
  if (chain_id->type == MESO_DUMP_TEXT)
    load->chain_id = g_strndup (chain_id->data, chain_id->length);
  load->header_seen = TRUE;
  return TRUE;
}

static gboolean
create_stage (Load    *load,
              GError **error)
{
  if (sqlite3_exec (load->self->db, "DROP TABLE IF EXISTS temp." STAGED_LOG ";"
                    "CREATE TEMP TABLE " STAGED_LOG " (seq INTEGER PRIMARY KEY,"
                    " at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
                    " entity TEXT NOT NULL, entity_id INTEGER, payload TEXT NOT NULL,"
                    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL, rows TEXT, mac TEXT)",
                    NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (load->self->db, "INSERT INTO temp." STAGED_LOG " (" AUDIT_COLUMNS
                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1,
                             &load->stage, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (load->self, error, "load: stage the log");
  return TRUE;
}

/* An audit entry, staged by the names of its columns (an engine's dump may give them in
 * another order). */
static gboolean
stage_entry (Load               *load,
             const MesoDumpRow  *row,
             GError            **error)
{
  static const char * const columns[] = { "seq", "at", "actor", "action", "entity",
                                          "entity_id", "payload", "prev_hash", "hash",
                                          "rows", "mac" };
  static const MesoDumpValue null_value = { MESO_DUMP_NULL };
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const MesoDumpValue *value = meso_dump_row_get (row, columns[i]);

      bind_value (load->stage, (int) i + 1, value != NULL ? value : &null_value);
    }
  rc = sqlite3_step (load->stage);
  sqlite3_reset (load->stage);
  sqlite3_clear_bindings (load->stage);
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (load->self, error, "load");
      g_prefix_error (error, _("Table %s: "), row->table);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_row (const MesoDumpRow  *row,
          gpointer            user_data,
          GError            **error)
{
  Load *load = user_data;
  sqlite3_stmt *stmt;
  int rc;

  if (g_str_equal (row->table, MESO_DUMP_HEADER))
    return load_header (load, row, error);
  if (!load->header_seen)
    return load_failed (load, error, _("what was to be copied is not a database of "
                                       "Mesocare"));
  if (!is_known_table (row->table))
    return load_failed (load, error, _("the database copied has a table this version does "
                                       "not know, %s"), row->table);
  if (g_str_equal (row->table, MESO_DUMP_AUDIT))
    return stage_entry (load, row, error);
  stmt = get_insert (load, row, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < row->n_columns; i++)
    bind_value (stmt, (int) i + 1, &row->values[i]);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (load->self, error, "load");
      g_prefix_error (error, _("Table %s: "), row->table);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_chain_id (Load    *load,
              GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (load->self->db, "UPDATE audit_chain SET chain_id = ?1 WHERE id = 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (load->self, error, "load: chain id");
  sqlite3_bind_text (stmt, 1, load->chain_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return meso_sqlite_store_fail (load->self, error, "load: chain id");
  if (sqlite3_changes (load->self->db) != 1)
    return load_failed (load, error, _("it has no sealed audit log to take the copy’s"));
  return TRUE;
}

/* A log wholly sealed under the copied chain's key, which is on this computer.
 *
 * The rows went in through the tables' triggers like any write's: nothing is switched
 * off, and the triggers noted every row for the seal. What is not done is what a write
 * does next, appending an entry that seals the noted rows with a new mac: the copied
 * entries already seal them, under the chain's key, and a new seal here would vouch for
 * rows this load never proved. So the entries are inserted as they are, the chain takes
 * the copied database's id (and so its key), and the noted rows are matched against the
 * rows the copied entries record (meso_seal_adopt_log()): the same rows, none more, none
 * fewer. Whether each row holds what its entry sealed, and each entry is the key's, is
 * then `check`'s proof on the copy, exactly as it was on the original: nothing here
 * could have made it pass. The only seal made is that of this database's own schema,
 * moved from its first key to the chain's: it is the one its schema steps made
 * (verified before, and unchanged by the load, which adds rows only), not the copied
 * database's, which belongs to its engine. */
static gboolean
adopt_log (Load    *load,
           GError **error)
{
  MesoSqliteStore *self = load->self;

  if (!require_key (load, error) || !set_chain_id (load, error))
    return FALSE;
  if (sqlite3_exec (self->db, "INSERT INTO audit_log (" AUDIT_COLUMNS ") SELECT " AUDIT_COLUMNS
                    " FROM temp." STAGED_LOG " ORDER BY seq", NULL, NULL, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "load: audit log");
  meso_seal_load_key (self->seal, NULL);
  return meso_seal_can_write (self->seal, error)
         && meso_seal_seal_schema (self->seal, error)
         && meso_seal_adopt_log (self->seal, error);
}

/* Inside write_transaction(), which verified this database's schema (its tables, indexes
 * and triggers) under its own key before anything was written.
 *
 * The record rows go in as they come, the audit entries into a temporary table. A log
 * wholly sealed under the copied chain's key is then adopted as it is (adopt_log()). A
 * log holding entries without a mac was written, at least in part, on a clinic server,
 * which keeps the plain chain only: no key could prove those entries or their rows, so
 * the copy's seal starts at the copy (meso_seal_reseal_log(): the chain proven link by
 * link, a chain id and a key of the copy's own, every entry and every row as it stands
 * sealed under it), as step 9 started the seal of the logs written before it. */
static gboolean
load_locked (MesoSqliteStore  *self,
             gpointer          data,
             GError          **error)
{
  Load *load = data;
  gint64 unsealed = 0;
  gboolean ok;

  if (!require_empty (load, error) || !create_stage (load, error)
      || !load->source (load_row, load, load->source_data, error))
    return FALSE;
  if (!load->header_seen)
    return load_failed (load, error, _("what was to be copied is not a database of "
                                       "Mesocare"));
  if (!count_rows_where (self, "temp." STAGED_LOG " WHERE mac IS NULL", &unsealed, error))
    return FALSE;
  if (load->chain_id != NULL && unsealed == 0)
    ok = adopt_log (load, error);
  else
    ok = meso_seal_reseal_log (self->seal, STAGED_LOG, meso_store_get_user (MESO_STORE (self)),
                               &load->own_chain_id, error);
  /* Proven before the commit, as `check` will prove it (the anchors outside aside: the
   * head is written at the commit): a copy that would not pass is never kept, and the
   * database stays empty. */
  if (!ok || !meso_seal_verify (self->db, self->path, FALSE, error))
    return FALSE;
  if (sqlite3_exec (self->db, "DROP TABLE temp." STAGED_LOG, NULL, NULL, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "load: stage the log");
  return TRUE;
}

static void
forget_key (const char *chain_id)
{
  g_autofree char *path = meso_seal_get_key_path (chain_id);

  if (g_unlink (path) != 0)
    g_debug ("The key %s of the empty database replaced by a copy stays: %s", path,
             g_strerror (errno));
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

gboolean
meso_sqlite_store_load (MesoStore       *store,
                        MesoDumpSource   source,
                        gpointer         source_data,
                        GError         **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *old_chain_id = meso_seal_read_chain_id (self->db);
  Load load = { self, source, source_data };
  const char *new_chain_id;
  gboolean ok;

  g_return_val_if_fail (!self->in_bulk, FALSE);

  load.inserts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        finalize_stmt);
  ok = meso_sqlite_store_write_transaction (self, load_locked, &load, error);
  g_hash_table_unref (load.inserts);
  g_clear_pointer (&load.stage, sqlite3_finalize);
  /* The seal goes back to (or on with) the chain the database now holds. */
  meso_seal_load_key (self->seal, NULL);
  new_chain_id = load.own_chain_id != NULL ? load.own_chain_id : load.chain_id;
  /* The key this database was given when it was made sealed nothing but its schema,
   * which the chain's key seals now: no other database uses it (one copied while empty
   * would have nothing to lose). */
  if (ok && old_chain_id != NULL && g_strcmp0 (old_chain_id, new_chain_id) != 0)
    forget_key (old_chain_id);
  /* A key made for a copy that was not kept seals nothing. */
  if (!ok && load.own_chain_id != NULL)
    forget_key (load.own_chain_id);
  if (!ok)
    g_prefix_error (error, _("Nothing was copied into %s: "), self->path);
  g_free (load.chain_id);
  g_free (load.own_chain_id);
  return ok;
}
