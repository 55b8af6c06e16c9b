/* meso-sqlite-seal.h: the sealed audit chain: its key, the rows each entry records, the
 * head kept outside the database, and the walk that proves every record table against it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The hash before the first entry, and the mac before the first sealed one. */
#define MESO_SEAL_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"


/* The guard step 9 puts back on the log once its code has sealed the old entries. */
#define MESO_SEAL_UPGRADE_TRIGGER \
  "CREATE TRIGGER audit_log_never_updated BEFORE UPDATE ON audit_log" \
  " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"

typedef struct _MesoSeal MesoSeal;

MesoSeal *meso_seal_new               (sqlite3      *db,
                                       const char   *db_path);
void      meso_seal_free              (MesoSeal     *seal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoSeal, meso_seal_free)

gboolean  meso_seal_load_key          (MesoSeal     *seal,
                                       GError      **error);
gboolean  meso_seal_can_write         (MesoSeal     *seal,
                                       GError      **error);
void      meso_seal_begin             (MesoSeal     *seal);
gboolean  meso_seal_end               (MesoSeal     *seal,
                                       GError      **error);
void      meso_seal_committed         (MesoSeal     *seal);
gboolean  meso_seal_last_entry        (MesoSeal     *seal,
                                       gint64       *out_seq,
                                       const char  **out_hash,
                                       const char  **out_mac);
char     *meso_seal_take_rows         (MesoSeal     *seal,
                                       GError      **error);
char     *meso_seal_mac               (MesoSeal     *seal,
                                       const char   *hash,
                                       const char   *rows,
                                       const char   *prev_mac);
gboolean  meso_seal_append            (MesoSeal     *seal,
                                       const char   *at,
                                       const char   *user,
                                       const char   *action,
                                       const char   *entity,
                                       gint64        entity_id,
                                       const char   *payload,
                                       GError      **error);
void      meso_seal_note_entry        (MesoSeal     *seal,
                                       gint64        seq,
                                       const char   *hash,
                                       const char   *mac);
gboolean  meso_seal_adopt_log         (MesoSeal     *seal,
                                       GError      **error);
gboolean  meso_seal_reseal_log        (MesoSeal     *seal,
                                       const char   *staged,
                                       const char   *user,
                                       char        **out_chain_id,
                                       GError      **error);
gboolean  meso_seal_upgrade           (MesoSeal     *seal,
                                       const char   *user,
                                       GError      **error);

char     *meso_seal_hash              (gint64        seq,
                                       const char   *at,
                                       const char   *user,
                                       const char   *action,
                                       const char   *entity,
                                       gint64        entity_id,
                                       const char   *payload,
                                       const char   *prev_hash);
char     *meso_seal_get_key_path      (const char   *chain_id);
char     *meso_seal_get_head_path     (const char   *db_path);
gboolean  meso_seal_write_head        (const char   *db_path,
                                       sqlite3      *db,
                                       GError      **error);
char     *meso_seal_schema_digest     (sqlite3      *db);
gboolean  meso_seal_seal_schema       (MesoSeal     *seal,
                                       GError      **error);
gboolean  meso_seal_check_schema      (MesoSeal     *seal,
                                       GError      **error);
gboolean  meso_seal_verify_schema     (sqlite3      *db,
                                       const char   *db_path,
                                       const char   *chain_id,
                                       const guint8 *key,
                                       GError      **error);
gboolean  meso_seal_is_sealed         (sqlite3      *db);
gboolean  meso_seal_check_chain       (sqlite3      *db,
                                       const char   *db_path,
                                       gint64       *out_first_broken,
                                       GError      **error);
gboolean  meso_seal_verify            (sqlite3      *db,
                                       const char   *db_path,
                                       gboolean      anchored,
                                       GError      **error);

G_END_DECLS
