/* meso-sqlite-seal-private.h: what the two halves of the sealed chain share
 * (meso-sqlite-seal.c writes it, meso-sqlite-seal-check.c proves the tables against it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "meso-sqlite-seal.h"

G_BEGIN_DECLS

#define KEY_BYTES     32
#define DIGEST_BYTES  16
#define SEAL_CHUNK    1000
/* Blobs up to this size are recorded whole, larger ones (a clinic's logo) by digest. */
#define BLOB_INLINE   64
#define HEAD_MAGIC    "mesocare-head 1"

#define MESO_SEAL_N_TABLES 8

typedef struct
{
  const char *name;
  const char *child;        /* NULL: none */
  const char *child_key;
  const char *child_order;
} SealTable;

extern const SealTable meso_seal_tables[MESO_SEAL_N_TABLES];

int           meso_seal_find_table      (const char       *name);
gboolean      meso_seal_append_row_text (GString          *out,
                                         sqlite3_stmt     *row,
                                         int               first,
                                         sqlite3_stmt     *child,
                                         gint64            rowid);
sqlite3_stmt *meso_seal_prepare_child   (sqlite3          *db,
                                         const SealTable  *table);
void          meso_seal_digest_text     (const char       *text,
                                         gsize             length,
                                         guint8            digest[DIGEST_BYTES]);
char         *meso_seal_compute_mac     (const guint8     *key,
                                         const char       *hash,
                                         const char       *rows,
                                         const char       *prev_mac);
gboolean      meso_seal_read_key        (const char       *chain_id,
                                         guint8            key[KEY_BYTES],
                                         GError          **error);
char         *meso_seal_read_chain_id   (sqlite3          *db);
char         *meso_seal_restored_tag    (const guint8     *key,
                                         gint64            seq,
                                         const char       *mac);

G_END_DECLS
