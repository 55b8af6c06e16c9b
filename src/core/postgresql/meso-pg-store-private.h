/* meso-pg-store-private.h: what the parts of MesoPgStore share (meso-pg-store.c keeps the
 * connection, the schema and the sessions, -query.c the lists, -report.c the reports,
 * -audit.c the audit log and the checks, -clinic.c the clinic's details, -dump.c the
 * dump and load)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libpq-fe.h>

#include "meso-pg-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

struct _MesoPgStore
{
  MesoStore   parent_instance;

  char       *uri;          /* as given: may hold a password, so never shown */
  char       *label;        /* "host H, port P, database D, user U": what messages show */
  char       *host;         /* the server, as messages name it */
  PGconn     *conn;
  int         schema_version;
  gboolean    read_only;

  gboolean    in_transaction;
  gboolean    head_known;   /* the chain's head below is the one this transaction sees */
  gint64      head_seq;
  char       *head_hash;

  gboolean    in_bulk;      /* inside meso_store_write_bulk(): writes join its transaction */
  gboolean    bulk_failed;  /* a write inside failed: the whole bulk is undone */
  gint64      version;      /* what data_version returns: moves with others' writes */

  GHashTable *prepared;     /* SQL → the name of its statement prepared on this connection */
  guint       next_prepared;
  GMutex      prepared_lock; /* the app looks for others' writes (a reconnection forgets the
                                statements) on its main thread while its worker runs them */
};

/* Runs in the write transaction of meso_pg_store_write_transaction(). */
typedef gboolean (*MesoPgStoreWriteFunc) (MesoPgStore  *self,
                                          gpointer      data,
                                          GError      **error);

PGresult *meso_pg_store_exec              (MesoPgStore         *self,
                                           const char          *sql,
                                           int                  n_params,
                                           const char * const  *params,
                                           GError             **error);
gboolean  meso_pg_store_run               (MesoPgStore         *self,
                                           const char          *sql,
                                           int                  n_params,
                                           const char * const  *params,
                                           GError             **error);
gboolean  meso_pg_store_query_int64       (MesoPgStore         *self,
                                           const char          *sql,
                                           int                  n_params,
                                           const char * const  *params,
                                           gint64              *out_value,
                                           GError             **error);
gboolean  meso_pg_store_write_transaction (MesoPgStore          *self,
                                           MesoPgStoreWriteFunc  func,
                                           gpointer              data,
                                           GError              **error);
gboolean  meso_pg_store_append_audit      (MesoPgStore         *self,
                                           const char          *action,
                                           const char          *entity,
                                           gint64               entity_id,
                                           const char          *payload,
                                           GError             **error);
char     *meso_pg_store_now               (void);
const char *meso_pg_value                 (const PGresult      *result,
                                           int                  row,
                                           int                  column);
gint64    meso_pg_int64                   (const PGresult      *result,
                                           int                  row,
                                           int                  column);

MesoSession *meso_pg_store_session_from_row (const PGresult    *result,
                                           int                  row,
                                           gint64              *out_patient_id,
                                           GError             **error);
const char  *meso_pg_store_select_sql     (void);

/* What every list of sessions reads from, whichever columns it takes. */
#define MESO_PG_SESSION_FROM \
  " FROM session_current c JOIN patients p ON p.id = c.patient_id" \
  " LEFT JOIN practitioners pr ON pr.name = c.practitioner"

/* meso-pg-store-query.c */
gint64    meso_pg_store_count_sessions    (MesoStore           *store,
                                           GError             **error);
gint64    meso_pg_store_count_matching    (MesoStore           *store,
                                           MesoSessionQuery    *query,
                                           GError             **error);
gboolean  meso_pg_store_query_foreach     (MesoStore           *store,
                                           MesoSessionQuery    *query,
                                           MesoSessionFunc      func,
                                           gpointer             user_data,
                                           GError             **error);
gboolean  meso_pg_store_query_lines       (MesoStore           *store,
                                           MesoSessionQuery    *query,
                                           MesoSessionLineFunc  func,
                                           gpointer             user_data,
                                           GError             **error);
char     *meso_pg_store_explain_query     (MesoStore           *store,
                                           MesoSessionQuery    *query,
                                           GError             **error);

/* meso-pg-store-report.c */
MesoReport *meso_pg_store_report          (MesoStore           *store,
                                           const GDate         *first_day,
                                           const GDate         *last_day,
                                           GError             **error);
GPtrArray *meso_pg_store_recall           (MesoStore           *store,
                                           const char          *lot,
                                           const char          *product,
                                           GError             **error);

/* meso-pg-store-audit.c */
GPtrArray *meso_pg_store_list_audit       (MesoStore           *store,
                                           gint64               session_id,
                                           GError             **error);
GPtrArray *meso_pg_store_find_audit       (MesoStore           *store,
                                           const MesoAuditFilter *filter,
                                           GError             **error);
GArray    *meso_pg_store_list_printed     (MesoStore           *store,
                                           const gint64        *ids,
                                           guint                n_ids,
                                           GError             **error);
gboolean  meso_pg_store_check             (MesoStore           *store,
                                           GError             **error);
gboolean  meso_pg_store_check_chain       (MesoStore           *store,
                                           gint64              *out_first_broken,
                                           GError             **error);
char     *meso_pg_store_get_fingerprint   (MesoStore           *store,
                                           gint64               session_id,
                                           GError             **error);
gboolean  meso_pg_store_find_fingerprint  (MesoStore           *store,
                                           const char          *code,
                                           MesoFingerprint     *out_found,
                                           GError             **error);

/* meso-pg-store-dump.c */
gboolean  meso_pg_store_dump              (MesoStore           *store,
                                           MesoDumpFunc         func,
                                           gpointer             user_data,
                                           GError             **error);
gboolean  meso_pg_store_load              (MesoStore           *store,
                                           MesoDumpSource       source,
                                           gpointer             source_data,
                                           GError             **error);
gboolean  meso_pg_store_seal_event        (MesoPgStore         *self,
                                           const char          *hash,
                                           char               **out_mac,
                                           GError             **error);

/* meso-pg-store-clinic.c */
MesoClinic *meso_pg_store_get_clinic      (MesoStore           *store,
                                           gboolean            *out_stored,
                                           GError             **error);
gboolean  meso_pg_store_set_clinic        (MesoStore           *store,
                                           MesoClinic          *clinic,
                                           MesoClinicFields     fields,
                                           gboolean            *out_changed,
                                           GError             **error);
gboolean  meso_pg_store_carry_over_clinic (MesoStore           *store,
                                           MesoClinic          *clinic,
                                           GPtrArray           *practitioners,
                                           gboolean            *out_changed,
                                           GError             **error);
GPtrArray *meso_pg_store_list_practitioners (MesoStore         *store,
                                           gboolean             active_only,
                                           GError             **error);
gboolean  meso_pg_store_add_practitioner  (MesoStore           *store,
                                           MesoPractitioner    *practitioner,
                                           gboolean            *out_changed,
                                           GError             **error);
gboolean  meso_pg_store_update_practitioner (MesoStore         *store,
                                           MesoPractitioner    *practitioner,
                                           gboolean            *out_changed,
                                           GError             **error);
gboolean  meso_pg_store_retire_practitioner (MesoStore         *store,
                                           const char          *name,
                                           gboolean            *out_changed,
                                           GError             **error);

G_END_DECLS
