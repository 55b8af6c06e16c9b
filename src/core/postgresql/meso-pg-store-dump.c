/* meso-pg-store-dump.c: the PostgreSQL engine's dump of the whole database, and its
 * load of a dump into an empty database (meso-dump.h)
 *
 * The same rows as the SQLite engine's dump (sqlite/meso-sqlite-store-dump.c): the
 * header, the record tables in meso_dump_tables' order, each in the order of its id (as
 * SQLite's rowid, which is the id there), with the same column names and typed values,
 * then every audit entry as it is, rows and mac included. The server's own additions
 * stay out: amendment_values' ord (SQLite's hidden rowid) gives the order only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "meso-dump.h"
#include "meso-error.h"
#include "meso-pg-store-private.h"
#include "sqlite/meso-sqlite-seal-private.h"

#define AUDIT_COLUMNS \
  "seq, at, actor, action, entity, entity_id, payload, prev_hash, hash, rows, mac"
/* Rows fetched at a time from a table's cursor: a million audit entries are never in
 * memory at once. */
#define FETCH_PAGE "5000"
#define FETCH_PAGE_ROWS 5000

/* The type oids of the server's catalog (pg_type.dat: fixed, the same on every server)
 * that a column of the schema can have. */
#define BOOL_OID    16
#define BYTEA_OID   17
#define INT8_OID    20
#define INT2_OID    21
#define INT4_OID    23
#define FLOAT4_OID  700
#define FLOAT8_OID  701

/* How each table is read: its columns as the SQLite engine has them, in the order its
 * rows were given their ids. */
static const struct
{
  const char *table;
  const char *select;
} dump_queries[] = {
  { "patients", "SELECT * FROM patients ORDER BY id" },
  { "practitioners", "SELECT * FROM practitioners ORDER BY id" },
  { "clinic", "SELECT * FROM clinic ORDER BY id" },
  { "sessions", "SELECT * FROM sessions ORDER BY id" },
  { "session_areas", "SELECT * FROM session_areas ORDER BY session_id, area" },
  { "amendments", "SELECT * FROM amendments ORDER BY id" },
  { "amendment_values", "SELECT amendment_id, field, old_value, new_value"
                        " FROM amendment_values ORDER BY ord" },
  { "voids", "SELECT * FROM voids ORDER BY session_id" },
  { "sheet_adjustments", "SELECT * FROM sheet_adjustments ORDER BY id" },
  { "session_current", "SELECT * FROM session_current ORDER BY session_id" },
  { MESO_DUMP_AUDIT, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq" },
};

/* The ids the server gives: each sequence is moved past what a load brought. */
static const struct
{
  const char *table;
  const char *column;
} id_columns[] = {
  { "patients", "id" },
  { "practitioners", "id" },
  { "sessions", "id" },
  { "amendments", "id" },
  { "amendment_values", "ord" },
  { "sheet_adjustments", "id" },
};

/* ---- The dump ---- */

static const char *
dump_query (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (dump_queries); i++)
    if (g_str_equal (dump_queries[i].table, table))
      return dump_queries[i].select;
  g_return_val_if_reached (NULL);
}

/* @value from a text-format result; a blob is unescaped into @blob, freed by the
 * caller once the row was handed on. */
static void
read_value (const PGresult *result,
            int             row,
            int             column,
            MesoDumpValue  *value,
            guchar        **blob)
{
  const char *text = PQgetvalue (result, row, column);

  memset (value, 0, sizeof *value);
  *blob = NULL;
  if (PQgetisnull (result, row, column))
    {
      value->type = MESO_DUMP_NULL;
      return;
    }
  switch (PQftype (result, column))
    {
    case INT2_OID:
    case INT4_OID:
    case INT8_OID:
      value->type = MESO_DUMP_INTEGER;
      value->integer = g_ascii_strtoll (text, NULL, 10);
      break;
    case BOOL_OID:
      value->type = MESO_DUMP_INTEGER;
      value->integer = text[0] == 't';
      break;
    case FLOAT4_OID:
    case FLOAT8_OID:
      value->type = MESO_DUMP_REAL;
      value->real = g_ascii_strtod (text, NULL);
      break;
    case BYTEA_OID:
      {
        size_t length = 0;

        *blob = PQunescapeBytea ((const unsigned char *) text, &length);
        value->type = MESO_DUMP_BLOB;
        value->data = (const char *) *blob;
        value->length = length;
      }
      break;
    default:
      value->type = MESO_DUMP_TEXT;
      value->data = text;
      value->length = (gsize) PQgetlength (result, row, column);
      break;
    }
}

static gboolean
hand_rows (const PGresult  *result,
           MesoDumpRow     *row,
           MesoDumpValue   *values,
           MesoDumpFunc     func,
           gpointer         user_data,
           GError         **error)
{
  g_autofree guchar **blobs = g_new0 (guchar *, row->n_columns);
  gboolean ok = TRUE;

  for (int r = 0; ok && r < PQntuples (result); r++)
    {
      for (guint i = 0; i < row->n_columns; i++)
        read_value (result, r, (int) i, &values[i], &blobs[i]);
      ok = func (row, user_data, error);
      for (guint i = 0; i < row->n_columns; i++)
        g_clear_pointer (&blobs[i], PQfreemem);
    }
  return ok;
}

/* Every row of @table through a cursor, a page at a time, inside the caller's
 * transaction. */
static gboolean
dump_table (MesoPgStore   *self,
            const char    *table,
            MesoDumpFunc   func,
            gpointer       user_data,
            GError       **error)
{
  g_autofree char *declare = g_strdup_printf ("DECLARE meso_dump NO SCROLL CURSOR FOR %s",
                                              dump_query (table));
  g_autofree const char **columns = NULL;
  g_autofree MesoDumpValue *values = NULL;
  MesoDumpRow row = { table };
  gboolean ok = TRUE;
  int fetched;

  if (!meso_pg_store_run (self, declare, 0, NULL, error))
    return FALSE;
  do
    {
      g_autoptr(PGresult) result = meso_pg_store_exec (self, "FETCH " FETCH_PAGE
                                                       " FROM meso_dump", 0, NULL, error);

      if (result == NULL)
        return FALSE;
      if (columns == NULL)
        {
          row.n_columns = (guint) PQnfields (result);
          columns = g_new0 (const char *, row.n_columns + 1);
          values = g_new0 (MesoDumpValue, row.n_columns);
          row.columns = columns;
          row.values = values;
        }
      /* The names belong to each page's result: taken again from this one. */
      for (guint i = 0; i < row.n_columns; i++)
        columns[i] = PQfname (result, (int) i);
      fetched = PQntuples (result);
      ok = hand_rows (result, &row, values, func, user_data, error);
    }
  while (ok && fetched == FETCH_PAGE_ROWS);
  return ok && meso_pg_store_run (self, "CLOSE meso_dump", 0, NULL, error);
}

static gboolean
dump_header (MesoPgStore   *self,
             MesoDumpFunc   func,
             gpointer       user_data,
             GError       **error)
{
  static const char * const columns[] = { "schema_version", "chain_id" };
  g_autoptr(PGresult) result = meso_pg_store_exec (self, "SELECT chain_id FROM audit_chain"
                                                   " WHERE id = 1", 0, NULL, error);
  const char *chain_id = result != NULL ? meso_pg_value (result, 0, 0) : NULL;
  MesoDumpValue values[2] = {
    { MESO_DUMP_INTEGER, self->schema_version },
    { chain_id != NULL ? MESO_DUMP_TEXT : MESO_DUMP_NULL, 0, 0, chain_id,
      chain_id != NULL ? strlen (chain_id) : 0 },
  };
  MesoDumpRow row = { MESO_DUMP_HEADER, G_N_ELEMENTS (columns), columns, values };

  if (result == NULL)
    return FALSE;
  return func (&row, user_data, error);
}

static gboolean
dump_all (MesoPgStore   *self,
          MesoDumpFunc   func,
          gpointer       user_data,
          GError       **error)
{
  gboolean ok = dump_header (self, func, user_data, error);

  for (guint i = 0; ok && meso_dump_tables[i] != NULL; i++)
    ok = dump_table (self, meso_dump_tables[i], func, user_data, error);
  return ok && dump_table (self, MESO_DUMP_AUDIT, func, user_data, error);
}

/* One snapshot (REPEATABLE READ), whatever other workstations write meanwhile: they
 * are not held up by it. */
gboolean
meso_pg_store_dump (MesoStore     *store,
                    MesoDumpFunc   func,
                    gpointer       user_data,
                    GError       **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  gboolean ok;

  g_return_val_if_fail (!self->in_bulk && !self->in_transaction, FALSE);

  if (!meso_pg_store_run (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL,
                          error))
    return FALSE;
  self->in_transaction = TRUE;
  ok = dump_all (self, func, user_data, error);
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "ROLLBACK"));
  self->in_transaction = FALSE;
  return ok;
}

/* ---- The load ---- */

typedef struct
{
  MesoPgStore    *self;
  MesoDumpSource  source;
  gpointer        source_data;
  gboolean        header_seen;
  char           *chain_id;
  GHashTable     *inserts;   /* "table\x1fcolumn\x1f..." → its INSERT */
  GHashTable     *given;     /* table → TableSum of the rows the dump gave */
} Load;

/* What a table's rows add up to: their number, and a digest of every row's typed
 * values by column name, in the order they came. */
typedef struct
{
  gint64     rows;
  GChecksum *digest;
} TableSum;

static void
table_sum_free (gpointer data)
{
  TableSum *sum = data;

  g_checksum_free (sum->digest);
  g_free (sum);
}

static TableSum *
table_sum_new (void)
{
  TableSum *sum = g_new0 (TableSum, 1);

  sum->digest = g_checksum_new (G_CHECKSUM_SHA256);
  return sum;
}

static int
compare_columns (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const MesoDumpRow *row = user_data;

  return strcmp (row->columns[*(const guint *) a], row->columns[*(const guint *) b]);
}

/* The row into @sum: its columns by name (a dump's column order is its engine's), each
 * with its type and its bytes, lengths given so that no value runs into the next. */
static void
table_sum_add (TableSum          *sum,
               const MesoDumpRow *row)
{
  g_autofree guint *order = g_new (guint, MAX (row->n_columns, 1));

  for (guint i = 0; i < row->n_columns; i++)
    order[i] = i;
  g_qsort_with_data (order, (gint) row->n_columns, sizeof (guint), compare_columns,
                     (gpointer) row);
  for (guint k = 0; k < row->n_columns; k++)
    {
      const MesoDumpValue *value = &row->values[order[k]];
      g_autofree char *head = NULL;

      switch (value->type)
        {
        case MESO_DUMP_INTEGER:
          head = g_strdup_printf ("%s\x1fi%" G_GINT64_FORMAT "\x1e", row->columns[order[k]],
                                  value->integer);
          break;
        case MESO_DUMP_REAL:
          head = g_strdup_printf ("%s\x1fr%.17g\x1e", row->columns[order[k]], value->real);
          break;
        case MESO_DUMP_TEXT:
        case MESO_DUMP_BLOB:
          head = g_strdup_printf ("%s\x1f%c%zu:", row->columns[order[k]],
                                  value->type == MESO_DUMP_TEXT ? 't' : 'x', value->length);
          break;
        case MESO_DUMP_NULL:
        default:
          head = g_strdup_printf ("%s\x1fn\x1e", row->columns[order[k]]);
          break;
        }
      g_checksum_update (sum->digest, (const guchar *) head, -1);
      if (value->type == MESO_DUMP_TEXT || value->type == MESO_DUMP_BLOB)
        g_checksum_update (sum->digest, (const guchar *) value->data, (gssize) value->length);
    }
  g_checksum_update (sum->digest, (const guchar *) "\n", 1);
  sum->rows++;
}

static TableSum *
lookup_sum (GHashTable *sums,
            const char *table)
{
  TableSum *sum = g_hash_table_lookup (sums, table);

  if (sum == NULL)
    {
      sum = table_sum_new ();
      g_hash_table_insert (sums, g_strdup (table), sum);
    }
  return sum;
}

static gboolean
load_failed (GError     **error,
             const char  *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
load_failed (GError     **error,
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
count_rows (MesoPgStore  *self,
            const char   *table,
            gint64       *out_count,
            GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);

  return meso_pg_store_query_int64 (self, sql, 0, NULL, out_count, error);
}

/* A copy keeps every id and the whole chain: it can only go where there is nothing
 * yet, not even a practitioner or an audit entry (the SQLite engine's words). */
static gboolean
require_empty (Load    *load,
               GError **error)
{
  gint64 count = 0;

  if (!count_rows (load->self, "sessions", &count, error))
    return FALSE;
  if (count > 0)
    return load_failed (error, ngettext ("it already holds %lld session: a database "
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
        return load_failed (error, _("it already holds records (the %s table): a "
                                     "database is copied only into an empty one"),
                            meso_dump_tables[i]);
    }
  if (!count_rows (load->self, "audit_log", &count, error))
    return FALSE;
  if (count > 0)
    return load_failed (error, _("its audit log already holds %lld entries: a "
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

/* The INSERT for rows of @row's table and columns, written once. */
static const char *
get_insert (Load              *load,
            const MesoDumpRow *row)
{
  g_autoptr(GString) key = g_string_new (row->table);
  GString *sql;
  const char *found;

  for (guint i = 0; i < row->n_columns; i++)
    g_string_append_printf (key, "\x1f%s", row->columns[i]);
  found = g_hash_table_lookup (load->inserts, key->str);
  if (found != NULL)
    return found;

  sql = g_string_new ("INSERT INTO ");
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
    g_string_append_printf (sql, "%s$%u", i > 0 ? ", " : "", i + 1);
  g_string_append (sql, ")");
  found = sql->str;
  g_hash_table_insert (load->inserts, g_string_free (g_steal_pointer (&key), FALSE),
                       g_string_free (sql, FALSE));
  return found;
}

/* A value as a text parameter, which the server takes as the column's type; a blob in
 * bytea's hex form. NULL for SQL's NULL. */
static char *
value_param (const MesoDumpValue *value)
{
  GString *hex;

  switch (value->type)
    {
    case MESO_DUMP_INTEGER:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
    case MESO_DUMP_REAL:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value->real));
      }
    case MESO_DUMP_TEXT:
      return g_strndup (value->data, value->length);
    case MESO_DUMP_BLOB:
      hex = g_string_sized_new (2 + 2 * value->length);
      g_string_append (hex, "\\x");
      for (gsize i = 0; i < value->length; i++)
        g_string_append_printf (hex, "%02x", (guchar) value->data[i]);
      return g_string_free (hex, FALSE);
    case MESO_DUMP_NULL:
    default:
      return NULL;
    }
}

/* The same chain id is the same key file: the account running the copy must hold it,
 * as on SQLite (meso_store_load() promises it whatever the engine): a server keeps the
 * plain chain, but the entries' macs copied here are proven with it wherever the
 * database is copied or backed up next. */
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
    return load_failed (error, _("what was to be copied is not a database of Mesocare"));
  if (version->integer != load->self->schema_version)
    return load_failed (error, _("the database copied has the layout of schema %lld, "
                                 "this one of schema %d: bring the older one up to "
                                 "date first (“mesocare-cli upgrade”)"),
                        (long long) version->integer, load->self->schema_version);
  if (chain_id == NULL || chain_id->type != MESO_DUMP_TEXT)
    return load_failed (error, _("the database copied has no sealed audit log"));
  load->chain_id = g_strndup (chain_id->data, chain_id->length);
  load->header_seen = TRUE;
  return require_key (load, error);
}

static gboolean
load_row (const MesoDumpRow  *row,
          gpointer            user_data,
          GError            **error)
{
  Load *load = user_data;
  g_autoptr(GPtrArray) params = NULL;

  if (g_str_equal (row->table, MESO_DUMP_HEADER))
    return load_header (load, row, error);
  if (!load->header_seen)
    return load_failed (error, _("what was to be copied is not a database of Mesocare"));
  if (!is_known_table (row->table))
    return load_failed (error, _("the database copied has a table this version does not "
                                 "know, %s"), row->table);
  params = g_ptr_array_new_full (row->n_columns, g_free);
  for (guint i = 0; i < row->n_columns; i++)
    g_ptr_array_add (params, value_param (&row->values[i]));
  if (!meso_pg_store_run (load->self, get_insert (load, row), (int) row->n_columns,
                          (const char * const *) params->pdata, error))
    {
      g_prefix_error (error, _("Table %s: "), row->table);
      return FALSE;
    }
  table_sum_add (lookup_sum (load->given, row->table), row);
  return TRUE;
}

static gboolean
set_chain_id (Load    *load,
              GError **error)
{
  const char *params[] = { load->chain_id };

  return meso_pg_store_run (load->self, "INSERT INTO audit_chain (id, chain_id)"
                            " VALUES (1, $1)", 1, params, error);
}

/* The next id the server gives follows the loaded ones: the rows came with their ids,
 * which a sequence does not see. Moving a sequence needs UPDATE on it: the database's
 * owner role runs a copy to the server, as it runs the schema steps. */
static gboolean
move_sequences (Load    *load,
                GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (id_columns); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence"
                                              " ('%s', '%s'), max (%s)) FROM %s"
                                              " HAVING max (%s) IS NOT NULL",
                                              id_columns[i].table, id_columns[i].column,
                                              id_columns[i].column, id_columns[i].table,
                                              id_columns[i].column);

      if (!meso_pg_store_run (load->self, sql, 0, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
sum_loaded_row (const MesoDumpRow  *row,
                gpointer            user_data,
                GError            **error)
{
  table_sum_add (lookup_sum (user_data, row->table), row);
  return TRUE;
}

/* Each table holds exactly the rows the dump gave, value for value and type for type:
 * read back through the dump itself, nothing added by a default or a trigger, nothing
 * turned into another type by a column's. */
static gboolean
verify_tables (Load    *load,
               GError **error)
{
  g_autoptr(GHashTable) loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        table_sum_free);

  for (guint i = 0; i < G_N_ELEMENTS (dump_queries); i++)
    {
      const char *table = dump_queries[i].table;
      TableSum *given, *found;

      if (!dump_table (load->self, table, sum_loaded_row, loaded, error))
        return FALSE;
      given = lookup_sum (load->given, table);
      found = lookup_sum (loaded, table);
      if (given->rows != found->rows)
        return load_failed (error, _("the %s table holds %lld rows after the copy, the "
                                     "copied database %lld"), table,
                            (long long) found->rows, (long long) given->rows);
      if (!g_str_equal (g_checksum_get_string (given->digest),
                        g_checksum_get_string (found->digest)))
        return load_failed (error, _("the %s table does not hold the values the copied "
                                     "database gave"), table);
    }
  return TRUE;
}

/* Inside meso_pg_store_write_transaction(): BEGIN, the clinic's write lock (no other
 * workstation writes meanwhile), this, the notification, COMMIT.
 *
 * The entries go in as they are (rows and mac included, which this engine does not
 * write for its own entries yet but keeps, so that a copy back to SQLite is the same
 * and its check proves it there), the chain takes the copied database's id. Before the
 * commit, what this engine's `check` proves is proven (every session has its current
 * values; the chain links and hashes from the first entry to the last), and each table
 * is read back and matched to the rows the dump gave: a copy that fails either is
 * never kept, and the database stays empty. */
static gboolean
load_locked (MesoPgStore  *self,
             gpointer      data,
             GError      **error)
{
  Load *load = data;

  if (!require_empty (load, error)
      || !load->source (load_row, load, load->source_data, error))
    return FALSE;
  if (!load->header_seen)
    return load_failed (error, _("what was to be copied is not a database of Mesocare"));
  return set_chain_id (load, error)
         && move_sequences (load, error)
         && meso_pg_store_check (MESO_STORE (self), error)
         && verify_tables (load, error);
}

gboolean
meso_pg_store_load (MesoStore       *store,
                    MesoDumpSource   source,
                    gpointer         source_data,
                    GError         **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  Load load = { self, source, source_data };
  gboolean ok;

  g_return_val_if_fail (!self->in_bulk, FALSE);

  load.inserts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  load.given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, table_sum_free);
  ok = meso_pg_store_write_transaction (self, load_locked, &load, error);
  g_hash_table_unref (load.inserts);
  g_hash_table_unref (load.given);
  g_free (load.chain_id);
  if (!ok)
    g_prefix_error (error, _("Nothing was copied into %s: "), self->label);
  return ok;
}

/* ---- Events on a copied chain ---- */

/**
 * meso_pg_store_seal_event:
 * @self: a store inside a write transaction, before it appends an entry
 * @hash: the hash of the entry about to be appended
 * @out_mac: (out) (nullable): its mac, or %NULL when it stays unsealed
 * @error: a #GError
 *
 * A chain loaded from a sealed database (mesocare-cli migrate, restore) keeps each
 * entry's mac, and the commands that copy it log an event on it (import, backup,
 * restore): an entry that writes no rows. Such an entry is sealed exactly as the SQLite
 * engine seals it (no rows, the key of the chain's id, the mac of the entry before), so
 * that the database copied back to SQLite still checks there. Unsealed (%NULL) when the
 * chain was made on the server (no chain id), when an entry before was not sealed (the
 * seal stops there already), or when the key is not on this computer.
 *
 * Returns: %FALSE only when the server could not be read.
 */
gboolean
meso_pg_store_seal_event (MesoPgStore  *self,
                          const char   *hash,
                          char        **out_mac,
                          GError      **error)
{
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GError) key_error = NULL;
  const char *chain_id, *prev_mac;
  guint8 key[KEY_BYTES];

  *out_mac = NULL;
  result = meso_pg_store_exec (self, "SELECT c.chain_id, h.seq, h.mac FROM audit_chain c"
                               " LEFT JOIN (SELECT seq, mac FROM audit_log ORDER BY seq DESC"
                               " LIMIT 1) h ON true WHERE c.id = 1", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  chain_id = meso_pg_value (result, 0, 0);
  prev_mac = meso_pg_value (result, 0, 2);
  if (chain_id == NULL)
    return TRUE;
  if (meso_pg_value (result, 0, 1) != NULL && prev_mac == NULL)
    return TRUE;
  if (!meso_seal_read_key (chain_id, key, &key_error))
    {
      g_debug ("The entry is not sealed: %s", key_error->message);
      return TRUE;
    }
  *out_mac = meso_seal_compute_mac (key, hash, "", prev_mac);
  memset (key, 0, sizeof key);
  return TRUE;
}
