/* meso-sqlite-store-private.h: what the parts of MesoSqliteStore share
 * (meso-sqlite-store.c keeps the sessions, -audit.c the audit log and the checks, -query.c
 * the lists)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>
#include <sys/types.h>

#include "meso-sqlite-seal.h"
#include "meso-sqlite-store.h"

G_BEGIN_DECLS

/* The statements the store runs again and again, each prepared at its first use and
 * kept (meso_sqlite_store_stmt()). */
typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_FIND_PATIENT,
  STMT_INSERT_PATIENT,
  STMT_UPDATE_PATIENT,
  STMT_FIND_PRACTITIONER,
  STMT_INSERT_PRACTITIONER,
  STMT_UPDATE_PRACTITIONER,
  STMT_INSERT_SESSION,
  STMT_INSERT_AREA,
  STMT_GET_SESSION,
  STMT_PUT_CURRENT,
  STMT_VOID_CURRENT,
  STMT_COUNT_SESSIONS,
  STMT_INSERT_AMENDMENT,
  STMT_INSERT_AMENDMENT_VALUE,
  STMT_LIST_AMENDMENT_VALUES,
  STMT_INSERT_VOID,
  STMT_LIST_AUDIT,
  STMT_INSERT_ADJUSTMENTS,
  STMT_GET_ADJUSTMENTS,
  STMT_FIND_PATIENTS,
  STMT_RECENT_LOTS,
  STMT_DATA_VERSION,
  N_STMTS
} StmtId;

struct _MesoSqliteStore
{
  MesoStore     parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  int           schema_version;
  gboolean      read_only;    /* meso_sqlite_store_open_read_only(): never writes the file */
  dev_t         file_dev;     /* the file opened, to tell when its path names another one */
  ino_t         file_ino;
  gint64        busy_since;   /* when the current wait for another writer began */
  MesoSeal     *seal;         /* the sealed audit chain: its key, the rows each write changed */

  /* Inside meso_store_write_bulk() (meso-sqlite-store-bulk.c): the writes join its
   * transaction, and the name index waits for the end. */
  gboolean      in_bulk;
  gboolean      bulk_failed;    /* a write inside failed: the whole is undone */
  gint64        names_indexed;  /* the last session in the name index when it began */
  gboolean      names_stale;    /* an amendment changed a session indexed before */
  GHashTable   *known[2];       /* of MesoBulkTable: the rows the bulk wrote */
};

/* Runs in the write transaction of meso_sqlite_store_write_transaction(). */
typedef gboolean (*MesoSqliteStoreWriteFunc) (MesoSqliteStore  *self,
                                              gpointer          data,
                                              GError          **error);

gboolean meso_sqlite_store_write_transaction (MesoSqliteStore           *self,
                                              MesoSqliteStoreWriteFunc   func,
                                              gpointer                   data,
                                              GError                   **error);
sqlite3_stmt *meso_sqlite_store_stmt     (MesoSqliteStore *self,
                                          StmtId           id,
                                          GError         **error);
gboolean meso_sqlite_store_fail          (MesoSqliteStore *self,
                                   GError      **error,
                                   const char   *what);
gboolean meso_sqlite_store_step_done     (MesoSqliteStore *self,
                                   StmtId        id,
                                   GError      **error);
void     meso_sqlite_store_reset         (MesoSqliteStore *self,
                                   StmtId        id);
char    *meso_sqlite_store_now           (void);
gboolean meso_sqlite_store_append_audit  (MesoSqliteStore *self,
                                   const char   *action,
                                   const char   *entity,
                                   gint64        entity_id,
                                   const char   *payload,
                                   GError      **error);

void         meso_sqlite_store_add_functions    (sqlite3       *db);
gboolean     meso_sqlite_store_load_column      (MesoSession   *session,
                                          MesoField      field,
                                          sqlite3_stmt  *stmt,
                                          int            column,
                                          GError       **error);
MesoSession *meso_sqlite_store_session_from_row (sqlite3_stmt  *stmt,
                                          gint64        *out_patient_id,
                                          GError       **error);
char        *meso_sqlite_store_select_sql       (MesoSqliteStore *self);

/* What every list of sessions reads from, whichever columns it takes: the current
 * values, joined to the patient's and the practitioner's details. */
#define MESO_SQLITE_SESSION_FROM \
  " FROM session_current c JOIN patients p ON p.id = c.patient_id" \
  " LEFT JOIN practitioners pr ON pr.name = c.practitioner"

/* The methods the other files of the engine implement. */
gint64    meso_sqlite_store_count_sessions (MesoStore         *store,
                                            GError           **error);
gint64    meso_sqlite_store_count_matching (MesoStore         *store,
                                            MesoSessionQuery  *query,
                                            GError           **error);
gboolean  meso_sqlite_store_query_foreach  (MesoStore         *store,
                                            MesoSessionQuery  *query,
                                            MesoSessionFunc    func,
                                            gpointer           user_data,
                                            GError           **error);
gboolean  meso_sqlite_store_query_lines    (MesoStore         *store,
                                            MesoSessionQuery  *query,
                                            MesoSessionLineFunc func,
                                            gpointer           user_data,
                                            GError           **error);
char     *meso_sqlite_store_explain_query  (MesoStore         *store,
                                            MesoSessionQuery  *query,
                                            GError           **error);
char     *meso_sqlite_store_query_sql      (MesoStore         *store,
                                            MesoSessionQuery  *query,
                                            const char        *select,
                                            GError           **error);
GPtrArray *meso_sqlite_store_list_audit    (MesoStore         *store,
                                            gint64             session_id,
                                            GError           **error);
GArray    *meso_sqlite_store_list_printed  (MesoStore         *store,
                                            const gint64      *ids,
                                            guint              n_ids,
                                            GError           **error);
gboolean  meso_sqlite_store_check          (MesoStore         *store,
                                            GError           **error);
gboolean  meso_sqlite_store_check_chain    (MesoStore         *store,
                                            gint64            *out_first_broken,
                                            GError           **error);
char      *meso_sqlite_store_get_fingerprint (MesoStore       *store,
                                            gint64             session_id,
                                            GError           **error);
gboolean  meso_sqlite_store_find_fingerprint (MesoStore       *store,
                                            const char        *code,
                                            MesoFingerprint   *out_found,
                                            GError           **error);
GPtrArray *meso_sqlite_store_find_audit    (MesoStore         *store,
                                            const MesoAuditFilter *filter,
                                            GError           **error);

/* meso-sqlite-store-report.c */
MesoReport *meso_sqlite_store_report       (MesoStore         *store,
                                            const GDate       *first_day,
                                            const GDate       *last_day,
                                            GError           **error);
GPtrArray *meso_sqlite_store_recall        (MesoStore         *store,
                                            const char        *lot,
                                            const char        *product,
                                            GError           **error);
char      *meso_sqlite_store_report_sql    (void);
const char *meso_sqlite_store_recall_sql   (gboolean           by_lot);

/* meso-sqlite-store-bulk.c */
typedef enum
{
  MESO_BULK_PATIENTS,
  MESO_BULK_PRACTITIONERS,
} MesoBulkTable;

gboolean  meso_sqlite_store_bulk_known     (MesoSqliteStore   *self,
                                            MesoBulkTable      table,
                                            GStrv              texts,
                                            guint              n_key,
                                            gint64            *out_id);
void      meso_sqlite_store_bulk_remember  (MesoSqliteStore   *self,
                                            MesoBulkTable      table,
                                            GStrv              texts,
                                            guint              n_key,
                                            gint64             id);
gboolean  meso_sqlite_store_write_bulk     (MesoStore         *store,
                                            MesoStoreBulkFunc  func,
                                            gpointer           user_data,
                                            GError           **error);
gboolean  meso_sqlite_store_bulk_join      (MesoSqliteStore   *self,
                                            MesoSqliteStoreWriteFunc func,
                                            gpointer           data,
                                            GError           **error);
void      meso_sqlite_store_bulk_note_current (MesoSqliteStore *self,
                                            gint64             session_id);

/* meso-sqlite-store-dump.c */
gboolean  meso_sqlite_store_dump           (MesoStore         *store,
                                            MesoDumpFunc       func,
                                            gpointer           user_data,
                                            GError           **error);
gboolean  meso_sqlite_store_load           (MesoStore         *store,
                                            MesoDumpSource     source,
                                            gpointer           source_data,
                                            GError           **error);

/* meso-sqlite-store-clinic.c */
MesoClinic *meso_sqlite_store_get_clinic   (MesoStore         *store,
                                            gboolean          *out_stored,
                                            GError           **error);
gboolean  meso_sqlite_store_set_clinic     (MesoStore         *store,
                                            MesoClinic        *clinic,
                                            MesoClinicFields   fields,
                                            gboolean          *out_changed,
                                            GError           **error);
gboolean  meso_sqlite_store_carry_over_clinic (MesoStore      *store,
                                            MesoClinic        *clinic,
                                            GPtrArray         *practitioners,
                                            gboolean          *out_changed,
                                            GError           **error);
GPtrArray *meso_sqlite_store_list_practitioners (MesoStore    *store,
                                            gboolean           active_only,
                                            GError           **error);
gboolean  meso_sqlite_store_add_practitioner (MesoStore       *store,
                                            MesoPractitioner  *practitioner,
                                            gboolean          *out_changed,
                                            GError           **error);
gboolean  meso_sqlite_store_update_practitioner (MesoStore    *store,
                                            MesoPractitioner  *practitioner,
                                            gboolean          *out_changed,
                                            GError           **error);
gboolean  meso_sqlite_store_retire_practitioner (MesoStore    *store,
                                            const char        *name,
                                            gboolean          *out_changed,
                                            GError           **error);

G_END_DECLS
