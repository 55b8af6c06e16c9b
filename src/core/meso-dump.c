/* meso-dump.c: a clinic's whole database in a form no engine owns
 *
 * A dump is a stream of rows (meso_store_dump()): a header with the schema version and
 * the sealed chain's id, the record tables in meso_dump_tables' order, then the audit
 * log entry by entry. A load (meso_store_load()) takes such a stream into an empty
 * store of any engine, keeping every id, and every entry as it was: the copy's check
 * then proves it with the same key, its entries sealing exactly the rows copied. A
 * server's log, whose own entries are not sealed, gets a seal of the file's own when it
 * is copied into a file (meso_seal_reseal_log()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <string.h>

#include "meso-dump.h"
#include "meso-store.h"

/* Parents before children: an engine that checks references as rows arrive takes them
 * in this order. session_current is the sessions' current values, a table of its own
 * because the chain seals it as it is. */
const char * const meso_dump_tables[] = {
  "patients",
  "practitioners",
  "clinic",
  "sessions",
  "session_areas",
  "amendments",
  "amendment_values",
  "voids",
  "sheet_adjustments",
  "session_current",
  NULL
};

/**
 * meso_dump_row_get:
 * @row: a row of a dump
 * @column: a column's name
 *
 * Returns: (nullable): the value of @column in @row, or %NULL when it has no such column.
 */
const MesoDumpValue *
meso_dump_row_get (const MesoDumpRow *row,
                   const char        *column)
{
  for (guint i = 0; i < row->n_columns; i++)
    if (g_str_equal (row->columns[i], column))
      return &row->values[i];
  return NULL;
}

/**
 * meso_dump_counts_add_row:
 * @counts: counts so far
 * @row: a row of a dump
 *
 * Counts @row by what it is to a clinic (rows of other tables count nowhere).
 */
void
meso_dump_counts_add_row (MesoDumpCounts    *counts,
                          const MesoDumpRow *row)
{
  static const struct
  {
    const char *table;
    gsize       offset;
  } counted[] = {
    { "sessions", G_STRUCT_OFFSET (MesoDumpCounts, sessions) },
    { "amendments", G_STRUCT_OFFSET (MesoDumpCounts, amendments) },
    { "voids", G_STRUCT_OFFSET (MesoDumpCounts, voids) },
    { "sheet_adjustments", G_STRUCT_OFFSET (MesoDumpCounts, adjustments) },
    { "patients", G_STRUCT_OFFSET (MesoDumpCounts, patients) },
    { "practitioners", G_STRUCT_OFFSET (MesoDumpCounts, practitioners) },
    { MESO_DUMP_AUDIT, G_STRUCT_OFFSET (MesoDumpCounts, audit_entries) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (counted); i++)
    if (g_str_equal (row->table, counted[i].table))
      G_STRUCT_MEMBER (gint64, counts, counted[i].offset)++;
}

/**
 * meso_dump_is_server:
 * @location: a database's location, as given with --db
 *
 * Returns: whether @location names a clinic server (a `postgresql://` URI) rather than
 *   a file.
 */
gboolean
meso_dump_is_server (const char *location)
{
  return location != NULL
         && (g_str_has_prefix (location, "postgresql://")
             || g_str_has_prefix (location, "postgres://"));
}

/**
 * meso_dump_describe_location:
 * @location: a database's location
 *
 * Returns: (transfer full): @location as it may be printed: a server's URI with its
 *   password, if it holds one, replaced by "***".
 */
char *
meso_dump_describe_location (const char *location)
{
  g_autoptr(GString) shown = NULL;
  const char *start, *at, *colon, *password;

  if (!meso_dump_is_server (location))
    return g_strdup (location);
  shown = g_string_new (location);
  start = strstr (location, "://") + 3;
  /* user:password@ ends at the authority's last '@' (one in a password stays in it). */
  at = g_strrstr_len (start, (gssize) strcspn (start, "/?"), "@");
  colon = at != NULL ? memchr (start, ':', (gsize) (at - start)) : NULL;
  if (colon != NULL)
    g_string_printf (shown, "%.*s:***%s", (int) (colon - location), location, at);
  /* libpq also takes it as a parameter: ?password=... or &password=... */
  password = strstr (shown->str, "password=");
  if (password != NULL && password > shown->str && (password[-1] == '?' || password[-1] == '&'))
    {
      gsize from = (gsize) (password - shown->str) + strlen ("password=");
      gsize length = strcspn (shown->str + from, "&");

      g_string_erase (shown, (gssize) from, (gssize) length);
      g_string_insert (shown, (gssize) from, "***");
    }
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

static gboolean
count_row (const MesoDumpRow  *row,
           gpointer            user_data,
           GError            **error)
{
  meso_dump_counts_add_row (user_data, row);
  return TRUE;
}

/**
 * meso_dump_count:
 * @store: a store
 * @out_counts: (out caller-allocates): how many rows of each kind it holds
 * @error: a #GError
 *
 * Counts the rows a dump of @store holds, through the dump itself: the same figures
 * whichever the engine.
 */
gboolean
meso_dump_count (MesoStore       *store,
                 MesoDumpCounts  *out_counts,
                 GError         **error)
{
  memset (out_counts, 0, sizeof *out_counts);
  return meso_store_dump (store, count_row, out_counts, error);
}

static gboolean
dump_source (MesoDumpFunc   func,
             gpointer       func_data,
             gpointer       user_data,
             GError       **error)
{
  return meso_store_dump (MESO_STORE (user_data), func, func_data, error);
}

/**
 * meso_dump_copy:
 * @from: the store copied
 * @to: an empty store (of any engine)
 * @error: a #GError
 *
 * Copies every row of @from into @to in one transaction of @to: all of it, or nothing
 * (see meso_store_load()). @from is only read.
 */
gboolean
meso_dump_copy (MesoStore  *from,
                MesoStore  *to,
                GError    **error)
{
  g_return_val_if_fail (MESO_IS_STORE (from), FALSE);
  g_return_val_if_fail (MESO_IS_STORE (to), FALSE);
  g_return_val_if_fail (from != to, FALSE);

  return meso_store_load (to, dump_source, from, error);
}
