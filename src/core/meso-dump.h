/* meso-dump.h: a clinic's whole database in a form no engine owns, to copy it from one
 * engine to another (mesocare-cli migrate, the backup of a clinic server)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The types a value of the records can have: SQLite's storage classes, which every
 * engine can hold as they are (the sealed audit chain records each row's values with
 * their type: an engine must give them back exactly). */
typedef enum
{
  MESO_DUMP_NULL,
  MESO_DUMP_INTEGER,
  MESO_DUMP_REAL,
  MESO_DUMP_TEXT,
  MESO_DUMP_BLOB,
} MesoDumpType;

typedef struct
{
  MesoDumpType  type;
  gint64        integer;
  double        real;
  const char   *data;     /* text (UTF-8, not nul-terminated in a blob) or blob */
  gsize         length;   /* bytes of @data */
} MesoDumpValue;

/* One row of a table: its columns by name, as the schema steps of data/sql name them.
 * Valid during the call only. */
typedef struct
{
  const char          *table;
  guint                n_columns;
  const char * const  *columns;
  const MesoDumpValue *values;
} MesoDumpRow;

/* The first row of a dump: columns "schema_version" (integer) and "chain_id" (the
 * sealed audit chain's id, text; its key is the file of that name in
 * $XDG_CONFIG_HOME/mesocare/keys; NULL for a clinic server that never held a copy of a
 * file, whose log is the plain chain of hashes). */
#define MESO_DUMP_HEADER "mesocare"
/* The last rows: every audit entry as it is, in the order of its seq, with the columns
 * seq, at, actor, action, entity, entity_id, payload, prev_hash, hash, rows, mac (rows
 * and mac NULL in the entries a clinic server wrote itself). */
#define MESO_DUMP_AUDIT  "audit_log"

/* The record tables, in the order of a dump (each row in the order of its id or rowid)
 * and of a load: a table comes after those it refers to. */
extern const char * const meso_dump_tables[];

/* Called with each row of a dump; returning FALSE stops it, with @error set. */
typedef gboolean (*MesoDumpFunc)   (const MesoDumpRow  *row,
                                    gpointer            user_data,
                                    GError            **error);
/* What a load reads: it calls @func with each row of a dump, in the dump's order (the
 * face of meso_store_dump() of another store, or a test's own rows). */
typedef gboolean (*MesoDumpSource) (MesoDumpFunc        func,
                                    gpointer            func_data,
                                    gpointer            user_data,
                                    GError            **error);

/* How many rows a dump holds, by what they are to a clinic. */
typedef struct
{
  gint64  sessions;
  gint64  amendments;
  gint64  voids;
  gint64  adjustments;
  gint64  patients;
  gint64  practitioners;
  gint64  audit_entries;
} MesoDumpCounts;

const MesoDumpValue *meso_dump_row_get        (const MesoDumpRow *row,
                                               const char        *column);
void                 meso_dump_counts_add_row (MesoDumpCounts    *counts,
                                               const MesoDumpRow *row);
gboolean             meso_dump_is_server      (const char        *location);
char                *meso_dump_describe_location (const char     *location);

/* The store's side (meso-store.h declares MesoStore the same way). */
typedef struct _MesoStore MesoStore;

gboolean             meso_dump_count          (MesoStore         *store,
                                               MesoDumpCounts    *out_counts,
                                               GError           **error);
gboolean             meso_dump_copy           (MesoStore         *from,
                                               MesoStore         *to,
                                               GError           **error);

G_END_DECLS
