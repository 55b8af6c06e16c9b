/* meso-sqlite-store-private.h: what the parts of MesoSqliteStore share
 * (meso-sqlite-store.c keeps the sessions, -audit.c the audit log and the checks, -query.c
 * the lists)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "meso-sqlite-store.h"

G_BEGIN_DECLS

/* Every statement the store runs, prepared once at open and kept. */
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
  STMT_LAST_AUDIT,
  STMT_INSERT_AUDIT,
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
  gint64        busy_since;   /* when the current wait for another writer began */
};

/* Runs in the write transaction of meso_sqlite_store_write_transaction(). */
typedef gboolean (*MesoSqliteStoreWriteFunc) (MesoSqliteStore  *self,
                                              gpointer          data,
                                              GError          **error);

gboolean meso_sqlite_store_write_transaction (MesoSqliteStore           *self,
                                              MesoSqliteStoreWriteFunc   func,
                                              gpointer                   data,
                                              GError                   **error);
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
char        *meso_sqlite_store_select_sql       (void);

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
char     *meso_sqlite_store_explain_query  (MesoStore         *store,
                                            MesoSessionQuery  *query,
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
