/* meso-store-private.h: what the parts of MesoStore share (meso-store.c keeps the
 * sessions, meso-store-audit.c the audit log and the checks)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "meso-store.h"

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
  N_STMTS
} StmtId;

struct _MesoStore
{
  GObject       parent_instance;

  char         *path;
  char         *user;
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  int           schema_version;
  gboolean      writes_held;  /* until the database has passed its check */
  gint64        busy_since;   /* when the current wait for another writer began */
};

gboolean meso_store_fail          (MesoStore    *self,
                                   GError      **error,
                                   const char   *what);
gboolean meso_store_step_done     (MesoStore    *self,
                                   StmtId        id,
                                   GError      **error);
void     meso_store_reset         (MesoStore    *self,
                                   StmtId        id);
char    *meso_store_now           (void);
gboolean meso_store_append_audit  (MesoStore    *self,
                                   const char   *action,
                                   const char   *entity,
                                   gint64        entity_id,
                                   const char   *payload,
                                   GError      **error);

void         meso_store_add_functions    (sqlite3       *db);
gboolean     meso_store_load_column      (MesoSession   *session,
                                          MesoField      field,
                                          sqlite3_stmt  *stmt,
                                          int            column,
                                          GError       **error);
MesoSession *meso_store_session_from_row (sqlite3_stmt  *stmt,
                                          gint64        *out_patient_id,
                                          GError       **error);
char        *meso_store_select_sql       (void);

G_END_DECLS
