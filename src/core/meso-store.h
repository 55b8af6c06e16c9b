/* meso-store.h: where sessions are kept: the interface every database engine implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-adjustments.h"
#include "meso-clinic.h"
#include "meso-dump.h"
#include "meso-practitioner.h"
#include "meso-report.h"
#include "meso-session.h"
#include "meso-session-query.h"

G_BEGIN_DECLS

/* One field changed by an amendment. */
typedef struct
{
  MesoField  field;        /* MESO_FIELD_NONE for a field this build does not know */
  char      *field_id;     /* the field as stored, known or not */
  char      *old_value;
  char      *new_value;
} MesoChange;

/* A correction of a session: who, when, why, and what changed. */
typedef struct
{
  gint64     id;
  char      *amended_at;   /* UTC, ISO 8601 */
  char      *user;
  char      *reason;
  GArray    *changes;      /* of MesoChange */
} MesoAmendment;

/* One entry of the append-only audit log. */
typedef struct
{
  gint64     seq;
  char      *at;           /* UTC, ISO 8601 */
  char      *user;
  char      *action;       /* create, amend, void, print, export, import, backup, restore,
                            * adjust, clinic, report, recall */
  char      *entity;       /* "session", "database", "clinic", "practitioner" */
  gint64     entity_id;    /* 0 when about no one record */
  char      *payload;      /* the values, one "key=value" a line */
  char      *prev_hash;
  char      *hash;
} MesoAuditEntry;

/* Which audit entries meso_store_find_audit() returns: each member left empty (NULL, 0)
 * does not filter. @from is included, @to excluded; @user is the user as recorded. */
typedef struct
{
  GDateTime  *from;
  GDateTime  *to;
  const char *action;
  const char *user;
  gint64      session_id;  /* entries about this session */
  guint       limit;       /* the newest @limit of those that match */
} MesoAuditFilter;

void meso_change_clear     (MesoChange     *change);
void meso_amendment_free   (MesoAmendment  *amendment);
void meso_audit_entry_free (MesoAuditEntry *entry);

/* What a sheet's fingerprint names (meso_store_find_fingerprint()): the audit entry
 * whose seal it comes from, its session, and the newest entry that changed what the
 * session's sheet prints (the same one while the sheet is current). */
typedef struct
{
  gint64  seq;
  gint64  session_id;
  gint64  latest_seq;
  char    action[16];
  char    latest_action[16];
} MesoFingerprint;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoAmendment, meso_amendment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoAuditEntry, meso_audit_entry_free)

/* The clinic's details and practitioners as older versions kept them, in one desktop
 * user's settings: read once, as the database's starting values
 * (meso_store_carry_over_clinic()). Any member may be NULL. */
typedef struct
{
  const char         *name;
  const char         *address;
  const char         *phone;
  const char         *email;
  const char         *logo_path;
  const char * const *practitioners;
} MesoClinicSettings;

/* Called with each session of a stream; returning FALSE stops it, with @error set. */
typedef gboolean (*MesoSessionFunc) (MesoSession  *session,
                                     gpointer      user_data,
                                     GError      **error);

/* A session as one line of a list shows it, read without the rest of its record: a
 * list of a million lines then costs what its lines cost. Valid during the call only. */
typedef struct
{
  gint64      id;
  GDateTime  *performed_at;
  const char *patient_name;
  MesoArea    areas;
  guint       injections;
  guint       duration;     /* minutes */
} MesoSessionLine;

/* Called with each line of a stream; returning FALSE stops it, with @error set. */
typedef gboolean (*MesoSessionLineFunc) (const MesoSessionLine  *line,
                                         gpointer                user_data,
                                         GError                **error);

#define MESO_TYPE_STORE (meso_store_get_type ())

G_DECLARE_DERIVABLE_TYPE (MesoStore, meso_store, MESO, STORE, GObject)

/* The work of meso_store_write_bulk(): the store's writes it makes join one transaction.
 * Returning FALSE (with @error set) undoes all of them. */
typedef gboolean (*MesoStoreBulkFunc) (MesoStore  *store,
                                       gpointer    user_data,
                                       GError    **error);

/* What an engine implements (sqlite/meso-sqlite-store.c). The public functions below
 * check their arguments, serialise the calls and hand them on: an engine's methods are
 * never called at once from two threads, and never with a write while writes are held
 * (meso_store_get_writes_held() is for them to ask). */
struct _MesoStoreClass
{
  GObjectClass parent_class;

  int          (*get_schema_version) (MesoStore         *self);
  gboolean     (*save_session)       (MesoStore         *self,
                                      MesoSession       *session,
                                      GError           **error);
  gboolean     (*save_sessions)      (MesoStore         *self,
                                      GPtrArray         *sessions,
                                      const char        *source,
                                      GError           **error);
  MesoSession *(*get_session)        (MesoStore         *self,
                                      gint64             id,
                                      GError           **error);
  gint64       (*count_sessions)     (MesoStore         *self,
                                      GError           **error);
  gint64       (*count_matching)     (MesoStore         *self,
                                      MesoSessionQuery  *query,
                                      GError           **error);
  gboolean     (*query_foreach)      (MesoStore         *self,
                                      MesoSessionQuery  *query,
                                      MesoSessionFunc    func,
                                      gpointer           user_data,
                                      GError           **error);
  char        *(*explain_query)      (MesoStore         *self,
                                      MesoSessionQuery  *query,
                                      GError           **error);
  GPtrArray   *(*find_patients)      (MesoStore         *self,
                                      const char        *query,
                                      guint              limit,
                                      GError           **error);
  GPtrArray   *(*recent_lots)        (MesoStore         *self,
                                      guint              limit,
                                      GError           **error);
  gboolean     (*amend_session)      (MesoStore         *self,
                                      MesoSession       *amended,
                                      const char        *reason,
                                      GError           **error);
  gboolean     (*void_session)       (MesoStore         *self,
                                      gint64             id,
                                      const char        *reason,
                                      GError           **error);
  GPtrArray   *(*list_amendments)    (MesoStore         *self,
                                      gint64             id,
                                      GError           **error);
  gboolean     (*save_adjustments)   (MesoStore         *self,
                                      gint64             session_id,
                                      MesoAdjustments   *adjustments,
                                      GError           **error);
  MesoAdjustments *(*get_adjustments) (MesoStore        *self,
                                      gint64             session_id,
                                      GError           **error);
  gboolean     (*log_event)          (MesoStore         *self,
                                      const char        *action,
                                      gint64             session_id,
                                      const char        *payload,
                                      GError           **error);
  GPtrArray   *(*list_audit)         (MesoStore         *self,
                                      gint64             session_id,
                                      GError           **error);
  GArray      *(*list_printed)       (MesoStore         *self,
                                      const gint64      *ids,
                                      guint              n_ids,
                                      GError           **error);
  gboolean     (*check)              (MesoStore         *self,
                                      GError           **error);
  /* A number that changes when another connection or process has written: the
   * watch (meso_store_watch_changes()) compares it, about once a second. */
  gint64       (*data_version)       (MesoStore         *self,
                                      GError           **error);
  /* Optional: an engine without it has its lines made from query_foreach's sessions. */
  gboolean     (*query_lines)        (MesoStore         *self,
                                      MesoSessionQuery  *query,
                                      MesoSessionLineFunc func,
                                      gpointer           user_data,
                                      GError           **error);

  /* The clinic: @out_stored says whether its row exists; each write sets @out_changed to
   * whether anything changed (nothing is written or audited otherwise). */
  MesoClinic  *(*get_clinic)         (MesoStore         *self,
                                      gboolean          *out_stored,
                                      GError           **error);
  gboolean     (*set_clinic)         (MesoStore         *self,
                                      MesoClinic        *clinic,
                                      MesoClinicFields   fields,
                                      gboolean          *out_changed,
                                      GError           **error);
  gboolean     (*carry_over_clinic)  (MesoStore         *self,
                                      MesoClinic        *clinic,
                                      GPtrArray         *practitioners,
                                      gboolean          *out_changed,
                                      GError           **error);
  GPtrArray   *(*list_practitioners) (MesoStore         *self,
                                      gboolean           active_only,
                                      GError           **error);
  gboolean     (*add_practitioner)   (MesoStore         *self,
                                      MesoPractitioner  *practitioner,
                                      gboolean          *out_changed,
                                      GError           **error);
  gboolean     (*update_practitioner) (MesoStore        *self,
                                      MesoPractitioner  *practitioner,
                                      gboolean          *out_changed,
                                      GError           **error);
  gboolean     (*retire_practitioner) (MesoStore        *self,
                                      const char        *name,
                                      gboolean          *out_changed,
                                      GError           **error);

  /* Runs @func with every write it makes in one transaction, the engine's per-write
   * upkeep (search index, caches) done once for the whole at the end. */
  gboolean     (*write_bulk)         (MesoStore         *self,
                                      MesoStoreBulkFunc  func,
                                      gpointer           user_data,
                                      GError           **error);

  /* The manager's reports (sqlite/meso-sqlite-store-report.c): each writes its audit
   * entry itself. */
  MesoReport  *(*report)             (MesoStore         *self,
                                      const GDate       *first_day,
                                      const GDate       *last_day,
                                      GError           **error);
  GPtrArray   *(*recall)             (MesoStore         *self,
                                      const char        *lot,
                                      const char        *product,
                                      GError           **error);
  GPtrArray   *(*find_audit)         (MesoStore         *self,
                                      const MesoAuditFilter *filter,
                                      GError           **error);
  gboolean     (*check_chain)        (MesoStore         *self,
                                      gint64            *out_first_broken,
                                      GError           **error);
  char        *(*get_fingerprint)    (MesoStore         *self,
                                      gint64             session_id,
                                      GError           **error);
  gboolean     (*find_fingerprint)   (MesoStore         *self,
                                      const char        *code,
                                      MesoFingerprint   *out_found,
                                      GError           **error);

  /* A new connection to the file the path names now (see meso_store_reopen()). */
  gboolean     (*reopen)             (MesoStore         *self,
                                      GError           **error);

  /* The whole database, engine-neutral (meso-dump.h), in one read transaction; and a
   * dump taken into an empty store in one write transaction (meso_store_load()). */
  gboolean     (*dump)               (MesoStore         *self,
                                      MesoDumpFunc       func,
                                      gpointer           user_data,
                                      GError           **error);
  gboolean     (*load)               (MesoStore         *self,
                                      MesoDumpSource     source,
                                      gpointer           source_data,
                                      GError           **error);
};

char       *meso_store_get_default_path    (void);
MesoStore  *meso_store_open                (const char   *path,
                                            GError      **error);
MesoStore  *meso_store_open_existing       (const char   *path,
                                            GError      **error);
MesoStore  *meso_store_open_read_only      (const char   *path,
                                            GError      **error);
gboolean    meso_store_reopen              (MesoStore    *self,
                                            GError      **error);
gboolean    meso_store_get_read_only       (MesoStore    *self);
const char *meso_store_get_path            (MesoStore    *self);
void        meso_store_hold_writes         (MesoStore    *self,
                                            gboolean      hold);
gboolean    meso_store_get_writes_held     (MesoStore    *self);
gboolean    meso_store_get_server_unreachable (MesoStore *self);
int         meso_store_get_schema_version  (MesoStore    *self);
int         meso_store_get_latest_schema_version (void);
void        meso_store_set_user            (MesoStore    *self,
                                            const char   *user);
const char *meso_store_get_user            (MesoStore    *self);

gboolean    meso_store_save_session        (MesoStore    *self,
                                            MesoSession  *session,
                                            GError      **error);
gboolean    meso_store_save_sessions       (MesoStore    *self,
                                            GPtrArray    *sessions,
                                            const char   *source,
                                            GError      **error);
gboolean    meso_store_write_bulk          (MesoStore    *self,
                                            MesoStoreBulkFunc func,
                                            gpointer      user_data,
                                            GError      **error);
MesoSession *meso_store_get_session        (MesoStore    *self,
                                            gint64        id,
                                            GError      **error);
GPtrArray  *meso_store_list_sessions       (MesoStore    *self,
                                            GError      **error);
gint64      meso_store_count_sessions      (MesoStore    *self,
                                            GError      **error);
gint64      meso_store_count_matching      (MesoStore    *self,
                                            MesoSessionQuery *query,
                                            GError      **error);
GPtrArray  *meso_store_query               (MesoStore    *self,
                                            MesoSessionQuery *query,
                                            GError      **error);
char       *meso_store_explain_query       (MesoStore    *self,
                                            MesoSessionQuery *query,
                                            GError      **error);
gboolean    meso_store_query_foreach       (MesoStore    *self,
                                            MesoSessionQuery *query,
                                            MesoSessionFunc func,
                                            gpointer      user_data,
                                            GError      **error);
gboolean    meso_store_query_lines         (MesoStore    *self,
                                            MesoSessionQuery *query,
                                            MesoSessionLineFunc func,
                                            gpointer      user_data,
                                            GError      **error);

GPtrArray  *meso_store_find_patients       (MesoStore    *self,
                                            const char   *query,
                                            guint         limit,
                                            GError      **error);
GPtrArray  *meso_store_recent_lots         (MesoStore    *self,
                                            guint         limit,
                                            GError      **error);

gboolean    meso_store_amend_session       (MesoStore    *self,
                                            MesoSession  *amended,
                                            const char   *reason,
                                            GError      **error);
gboolean    meso_store_void_session        (MesoStore    *self,
                                            gint64        id,
                                            const char   *reason,
                                            GError      **error);
GPtrArray  *meso_store_list_amendments     (MesoStore    *self,
                                            gint64        id,
                                            GError      **error);

gboolean    meso_store_save_adjustments    (MesoStore    *self,
                                            gint64        session_id,
                                            MesoAdjustments *adjustments,
                                            GError      **error);
MesoAdjustments *meso_store_get_adjustments (MesoStore   *self,
                                            gint64        session_id,
                                            GError      **error);

gboolean    meso_store_log_event           (MesoStore    *self,
                                            const char   *action,
                                            gint64        session_id,
                                            const char   *payload,
                                            GError      **error);
GPtrArray  *meso_store_list_audit          (MesoStore    *self,
                                            gint64        session_id,
                                            GError      **error);
GArray     *meso_store_list_printed        (MesoStore    *self,
                                            const gint64 *ids,
                                            guint         n_ids,
                                            GError      **error);
void        meso_payload_append            (GString      *payload,
                                            const char   *key,
                                            const char   *value);
gboolean    meso_store_check               (MesoStore    *self,
                                            GError      **error);
GPtrArray  *meso_store_find_audit          (MesoStore    *self,
                                            const MesoAuditFilter *filter,
                                            GError      **error);
gboolean    meso_store_check_chain         (MesoStore    *self,
                                            gint64       *out_first_broken,
                                            GError      **error);
char       *meso_store_get_fingerprint     (MesoStore    *self,
                                            gint64        session_id,
                                            GError      **error);
gboolean    meso_store_find_fingerprint    (MesoStore    *self,
                                            const char   *code,
                                            MesoFingerprint *out_found,
                                            GError      **error);

/* The manager's figures of a period (meso-report.h), added up by the engine's SQL over
 * the current values, voided sessions counted apart; writes the audit entry "report"
 * (from, to). A patient is new when their first session ever (voided ones aside) is in
 * the period, returning otherwise. Series: started = sessions numbered 1 in the period;
 * completed = sessions whose number is their series' total, in the period; abandoned =
 * sessions, of any date, that planned a next session on a day of the period before
 * today, and after which the patient has had no session (voided ones aside).
 * Reactions: "none" is not a reaction; per_hundred is per hundred sessions of the
 * period, for every breakdown. */
MesoReport *meso_store_report              (MesoStore    *self,
                                            const GDate  *first_day,
                                            const GDate  *last_day,
                                            GError      **error);
/* Every patient who received a lot (or a product: exactly one of the two), matched
 * trimmed and regardless of (ASCII) case, voided sessions left out, ordered by name:
 * a GPtrArray of MesoRecallPatient, empty when nobody did. Writes the audit entry
 * "recall" (the lot or product, the patient ids found). */
GPtrArray  *meso_store_recall              (MesoStore    *self,
                                            const char   *lot,
                                            const char   *product,
                                            GError      **error);

gboolean    meso_store_dump                (MesoStore    *self,
                                            MesoDumpFunc  func,
                                            gpointer      user_data,
                                            GError      **error);
gboolean    meso_store_load                (MesoStore    *self,
                                            MesoDumpSource source,
                                            gpointer      source_data,
                                            GError      **error);

MesoClinic *meso_store_get_clinic          (MesoStore    *self,
                                            GError      **error);
gboolean    meso_store_set_clinic          (MesoStore    *self,
                                            MesoClinic   *clinic,
                                            MesoClinicFields fields,
                                            GError      **error);
gboolean    meso_store_carry_over_clinic   (MesoStore    *self,
                                            const MesoClinicSettings *settings,
                                            gboolean     *out_carried,
                                            GError      **error);
GPtrArray  *meso_store_list_practitioners  (MesoStore    *self,
                                            gboolean      active_only,
                                            GError      **error);
gboolean    meso_store_add_practitioner    (MesoStore    *self,
                                            MesoPractitioner *practitioner,
                                            GError      **error);
gboolean    meso_store_update_practitioner (MesoStore    *self,
                                            MesoPractitioner *practitioner,
                                            GError      **error);
gboolean    meso_store_retire_practitioner (MesoStore    *self,
                                            const char   *name,
                                            GError      **error);

/* The same calls for the app's main loop (meso-store-async.c): each runs on the store's
 * one worker thread, in the order asked, and answers on the caller's thread-default
 * main context. */
void        meso_store_save_session_async  (MesoStore           *self,
                                            MesoSession         *session,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_save_session_finish (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_amend_session_async (MesoStore           *self,
                                            MesoSession         *amended,
                                            const char          *reason,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_amend_session_finish (MesoStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_void_session_async  (MesoStore           *self,
                                            gint64               id,
                                            const char          *reason,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_void_session_finish (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_log_event_async     (MesoStore           *self,
                                            const char          *action,
                                            gint64               session_id,
                                            const char          *payload,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_log_event_finish    (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_save_adjustments_async (MesoStore        *self,
                                            gint64               session_id,
                                            MesoAdjustments     *adjustments,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_save_adjustments_finish (MesoStore       *self,
                                            GAsyncResult        *result,
                                            GError             **error);

void        meso_store_get_session_async   (MesoStore           *self,
                                            gint64               id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MesoSession *meso_store_get_session_finish (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_get_adjustments_async (MesoStore         *self,
                                            gint64               session_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MesoAdjustments *meso_store_get_adjustments_finish (MesoStore   *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_get_fingerprint_async (MesoStore         *self,
                                            gint64               session_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char       *meso_store_get_fingerprint_finish (MesoStore        *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_find_patients_async (MesoStore           *self,
                                            const char          *query,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_find_patients_finish (MesoStore          *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_recent_lots_async   (MesoStore           *self,
                                            guint                limit,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_recent_lots_finish  (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_list_amendments_async (MesoStore         *self,
                                            gint64               id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_list_amendments_finish (MesoStore        *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_list_audit_async    (MesoStore           *self,
                                            gint64               session_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_list_audit_finish   (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_list_printed_async  (MesoStore           *self,
                                            GArray              *ids,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GArray     *meso_store_list_printed_finish (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_count_matching_async (MesoStore          *self,
                                            MesoSessionQuery    *query,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gint64      meso_store_count_matching_finish (MesoStore         *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_query_async         (MesoStore           *self,
                                            MesoSessionQuery    *query,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_query_finish        (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_check_async         (MesoStore           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_check_finish        (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

void        meso_store_report_async        (MesoStore           *self,
                                            const GDate         *first_day,
                                            const GDate         *last_day,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MesoReport *meso_store_report_finish       (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_recall_async        (MesoStore           *self,
                                            const char          *lot,
                                            const char          *product,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_recall_finish       (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_find_audit_async    (MesoStore           *self,
                                            const MesoAuditFilter *filter,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_find_audit_finish   (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_check_chain_async   (MesoStore           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_check_chain_finish  (MesoStore           *self,
                                            GAsyncResult        *result,
                                            gint64              *out_first_broken,
                                            GError             **error);

void        meso_store_get_clinic_async    (MesoStore           *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
MesoClinic *meso_store_get_clinic_finish   (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_set_clinic_async    (MesoStore           *self,
                                            MesoClinic          *clinic,
                                            MesoClinicFields     fields,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_set_clinic_finish   (MesoStore           *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_list_practitioners_async (MesoStore      *self,
                                            gboolean             active_only,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray  *meso_store_list_practitioners_finish (MesoStore     *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_add_practitioner_async (MesoStore        *self,
                                            MesoPractitioner    *practitioner,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_add_practitioner_finish (MesoStore       *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_update_practitioner_async (MesoStore     *self,
                                            MesoPractitioner    *practitioner,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_update_practitioner_finish (MesoStore    *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void        meso_store_retire_practitioner_async (MesoStore     *self,
                                            const char          *name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean    meso_store_retire_practitioner_finish (MesoStore    *self,
                                            GAsyncResult        *result,
                                            GError             **error);

void        meso_store_watch_changes       (MesoStore           *self,
                                            gboolean             watch);

G_END_DECLS
