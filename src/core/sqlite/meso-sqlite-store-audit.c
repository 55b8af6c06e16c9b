/* meso-sqlite-store-audit.c: the append-only audit log, and the checks of a store
 *
 * Each entry's hash covers its own content and the hash of the entry before it, so
 * changing or deleting an old entry breaks every link after it: `check` finds the first
 * broken one. The database refuses UPDATE and DELETE on the log (triggers), which stops
 * mistakes; the chain catches what gets past them (a file edited by hand).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "meso-error.h"
#include "meso-fingerprint.h"
#include "meso-sqlite-store-private.h"

/* Appends an entry, sealed, holding the rows the transaction changed since the last
 * one (meso-sqlite-seal.c); the caller holds the write transaction, so no other writer
 * can slip an entry in between reading the last one and inserting. */
gboolean
meso_sqlite_store_append_audit (MesoSqliteStore  *self,
                                const char       *action,
                                const char       *entity,
                                gint64            entity_id,
                                const char       *payload,
                                GError          **error)
{
  g_autofree char *at = meso_sqlite_store_now ();

  return meso_seal_append (self->seal, at, meso_store_get_user (MESO_STORE (self)), action,
                           entity, entity_id, payload, error);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

typedef gboolean (*AuditFunc) (const MesoAuditEntry  *entry,
                               gpointer               user_data,
                               GError               **error);

static MesoAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  MesoAuditEntry *entry = g_new0 (MesoAuditEntry, 1);

  entry->seq = sqlite3_column_int64 (stmt, 0);
  entry->at = column_dup (stmt, 1);
  entry->user = column_dup (stmt, 2);
  entry->action = column_dup (stmt, 3);
  entry->entity = column_dup (stmt, 4);
  entry->entity_id = sqlite3_column_int64 (stmt, 5);
  entry->payload = column_dup (stmt, 6);
  entry->prev_hash = column_dup (stmt, 7);
  entry->hash = column_dup (stmt, 8);
  return entry;
}

/* Hands each entry in order to @func, then drops it: a walk of a million entries holds
 * one at a time. */
static gboolean
audit_foreach (MesoSqliteStore  *self,
               gint64            session_id,
               AuditFunc         func,
               gpointer          user_data,
               GError          **error)
{
  sqlite3_stmt *stmt = meso_sqlite_store_stmt (self, STMT_LIST_AUDIT, error);
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  if (stmt == NULL)
    return FALSE;
  if (session_id != 0)
    sqlite3_bind_int64 (stmt, 1, session_id);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(MesoAuditEntry) entry = entry_from_row (stmt);

      ok = func (entry, user_data, error);
    }
  meso_sqlite_store_reset (self, STMT_LIST_AUDIT);
  if (ok && rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "list the audit log");
  return ok;
}

static gboolean
collect_entry (const MesoAuditEntry  *entry,
               gpointer               user_data,
               GError               **error)
{
  MesoAuditEntry *copy = g_new0 (MesoAuditEntry, 1);

  *copy = *entry;
  copy->at = g_strdup (entry->at);
  copy->user = g_strdup (entry->user);
  copy->action = g_strdup (entry->action);
  copy->entity = g_strdup (entry->entity);
  copy->payload = g_strdup (entry->payload);
  copy->prev_hash = g_strdup (entry->prev_hash);
  copy->hash = g_strdup (entry->hash);
  g_ptr_array_add (user_data, copy);
  return TRUE;
}

GPtrArray *
meso_sqlite_store_list_audit (MesoStore  *store,
                              gint64      session_id,
                              GError    **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 meso_audit_entry_free);

  if (!audit_foreach (MESO_SQLITE_STORE (store), session_id, collect_entry, entries, error))
    return NULL;
  return g_steal_pointer (&entries);
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The review's statement: only the filters given, so that SQLite picks the index that
 * fits (audit_by_time for a period, audit_by_entity for a session). With a limit, the
 * newest come first out of SQLite and are turned round here. */
static char *
find_audit_sql (const MesoAuditFilter *filter)
{
  GString *sql = g_string_new ("SELECT seq, at, actor, action, entity, entity_id, payload,"
                               " prev_hash, hash FROM audit_log");

  /* Left to itself, SQLite reads a period open at one end by walking the whole log in
   * the order of seq (to spare the sort); through the index, it reads the period alone. */
  if ((filter->from != NULL || filter->to != NULL) && filter->session_id == 0)
    g_string_append (sql, " INDEXED BY audit_by_time");
  g_string_append (sql, " WHERE 1");

  if (filter->from != NULL)
    g_string_append (sql, " AND at >= ?1");
  if (filter->to != NULL)
    g_string_append (sql, " AND at < ?2");
  if (filter->action != NULL && *filter->action != '\0')
    g_string_append (sql, " AND action = ?3");
  if (filter->user != NULL && *filter->user != '\0')
    g_string_append (sql, " AND actor = ?4");
  if (filter->session_id != 0)
    g_string_append (sql, " AND entity = 'session' AND entity_id = ?5");
  if (filter->limit > 0)
    g_string_append (sql, " ORDER BY seq DESC LIMIT ?6");
  else
    g_string_append (sql, " ORDER BY seq");
  return g_string_free (sql, FALSE);
}

GPtrArray *
meso_sqlite_store_find_audit (MesoStore              *store,
                              const MesoAuditFilter  *filter,
                              GError                **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 meso_audit_entry_free);
  g_autofree char *sql = find_audit_sql (filter);
  g_autofree char *from = filter->from != NULL ? format_utc (filter->from) : NULL;
  g_autofree char *to = filter->to != NULL ? format_utc (filter->to) : NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, "search the audit log");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, filter->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, filter->user, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, filter->session_id);
  sqlite3_bind_int64 (stmt, 6, filter->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "search the audit log");
      return NULL;
    }
  if (filter->limit > 0)
    for (guint i = 0, j = entries->len; j > i + 1; i++, j--)
      {
        gpointer swap = entries->pdata[i];

        entries->pdata[i] = entries->pdata[j - 1];
        entries->pdata[j - 1] = swap;
      }
  return g_steal_pointer (&entries);
}

/* One look-up per session, each through the index on (entity, entity_id): a day's
 * sessions are a few dozen. */
GArray *
meso_sqlite_store_list_printed (MesoStore     *store,
                                const gint64  *ids,
                                guint          n_ids,
                                GError       **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GArray) printed = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *sql = "SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity = 'session'"
                    " AND entity_id = ?1 AND action = 'print')";
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_DONE;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, "list the sheets printed");
      return NULL;
    }
  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_bind_int64 (stmt, 1, ids[i]);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        break;
      if (sqlite3_column_int (stmt, 0) != 0)
        g_array_append_val (printed, ids[i]);
      sqlite3_reset (stmt);
      rc = SQLITE_DONE;
    }
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "list the sheets printed");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&printed);
}

/* Runs a PRAGMA that answers "ok" (or nothing) when all is well. */
static gboolean
check_pragma (MesoSqliteStore  *self,
              const char       *pragma,
              const char       *what,
              GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (self->db, pragma, -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, pragma);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (text, "ok") != 0 && problems->len < 500)
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "",
                                text != NULL ? text : "(a row)");
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, pragma);
  if (problems->len > 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Database %s: the %s found a problem: %s"), self->path, what,
                   problems->str);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  MesoSqliteStore *self;
  gint64           expected_seq;
  char            *prev_hash;
  gint64           first_broken;   /* 0 while the chain holds */
} ChainWalk;

static gboolean
broken_entry (ChainWalk             *walk,
              const MesoAuditEntry  *entry,
              const char            *why,
              GError               **error)
{
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, entry->seq);

  walk->first_broken = entry->seq;
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Audit log of %s: entry %s (%s, %s) %s: the log has been altered"),
               walk->self->path, seq, entry->action, entry->at, why);
  return FALSE;
}

static gboolean
check_link (const MesoAuditEntry  *entry,
            gpointer               user_data,
            GError               **error)
{
  ChainWalk *walk = user_data;
  g_autofree char *hash = NULL;

  if (entry->seq != walk->expected_seq)
    return broken_entry (walk, entry, _("does not follow the one before it"), error);
  if (!g_str_equal (entry->prev_hash, walk->prev_hash))
    return broken_entry (walk, entry, _("does not link to the one before it"), error);
  hash = meso_seal_hash (entry->seq, entry->at, entry->user, entry->action, entry->entity,
                       entry->entity_id, entry->payload, entry->prev_hash);
  if (!g_str_equal (hash, entry->hash))
    return broken_entry (walk, entry, _("does not match its content"), error);
  walk->expected_seq++;
  g_free (walk->prev_hash);
  walk->prev_hash = g_strdup (entry->hash);
  return TRUE;
}

/* Walks the chain from the first entry, one entry in memory at a time: each must follow
 * the one before it with no gap in the numbering, point at its hash, and hash to what it
 * says. The one walk behind both `check` and `check_chain`. */
static gboolean
check_audit_chain (MesoSqliteStore  *self,
                   gint64           *out_first_broken,
                   GError          **error)
{
  ChainWalk walk = { self, 1, g_strdup (MESO_SEAL_GENESIS), 0 };
  gboolean ok = audit_foreach (self, 0, check_link, &walk, error);

  g_free (walk.prev_hash);
  *out_first_broken = walk.first_broken;
  return ok;
}

gboolean
meso_sqlite_store_check_chain (MesoStore  *store,
                               gint64     *out_first_broken,
                               GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);

  /* The sealed chain is checked with its key: plain hashes anyone can recompute. */
  if (meso_seal_is_sealed (self->db))
    return meso_seal_check_chain (self->db, self->path, out_first_broken, error);
  return check_audit_chain (self, out_first_broken, error);
}

gboolean
meso_sqlite_store_check (MesoStore  *store,
                         GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  gint64 first_broken;

  if (!check_pragma (self, "PRAGMA integrity_check", _("integrity check"), error)
      || !check_pragma (self, "PRAGMA foreign_key_check", _("foreign key check"), error))
    return FALSE;
  /* A database of an older schema, opened without its upgrade, has the plain chain. */
  if (!meso_seal_is_sealed (self->db))
    return check_audit_chain (self, &first_broken, error);
  return meso_seal_verify (self->db, self->path, TRUE, error);
}

/* ---- The sheets' fingerprints ---- */

char *
meso_sqlite_store_get_fingerprint (MesoStore  *store,
                                   gint64      session_id,
                                   GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  sqlite3_stmt *stmt = NULL;
  char *code = NULL;
  int rc;

  if (!meso_seal_is_sealed (self->db))
    return NULL;
  if (sqlite3_prepare_v2 (self->db, "SELECT mac FROM audit_log WHERE entity = 'session'"
                          " AND entity_id = ?1 AND action IN " MESO_FINGERPRINT_SHEET_ACTIONS
                          " ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, "read a fingerprint");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, session_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) >= 10)
    code = meso_fingerprint_from_digest ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    meso_sqlite_store_fail (self, error, "read a fingerprint");
  return code;
}

/* The newest entry of @session_id that changed its sheet. */
static gboolean
latest_sheet_entry (MesoSqliteStore  *self,
                    MesoFingerprint  *found,
                    GError          **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT seq, action FROM audit_log WHERE entity = 'session'"
                          " AND entity_id = ?1 AND action IN " MESO_FINGERPRINT_SHEET_ACTIONS
                          " ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "find a fingerprint");
  sqlite3_bind_int64 (stmt, 1, found->session_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found->latest_seq = sqlite3_column_int64 (stmt, 0);
      g_strlcpy (found->latest_action, (const char *) sqlite3_column_text (stmt, 1),
                 sizeof found->latest_action);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return meso_sqlite_store_fail (self, error, "find a fingerprint");
  return TRUE;
}

/* Reads the whole log (no index holds the macs): a command's work, not a window's. */
gboolean
meso_sqlite_store_find_fingerprint (MesoStore        *store,
                                    const char       *code,
                                    MesoFingerprint  *out_found,
                                    GError          **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *prefix = meso_fingerprint_to_prefix (code);
  sqlite3_stmt *stmt = NULL;
  int rc;

  memset (out_found, 0, sizeof *out_found);
  if (prefix == NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("“%s” is not a sheet’s fingerprint: it has eight letters and digits, "
                     "such as 7KQ2-M9XD"), g_utf8_validate (code, -1, NULL) ? code : "?");
      return FALSE;
    }
  if (!meso_seal_is_sealed (self->db)
      || sqlite3_prepare_v2 (self->db, "SELECT seq, entity_id, action FROM audit_log"
                             " WHERE entity = 'session'"
                             " AND action IN " MESO_FINGERPRINT_SHEET_ACTIONS
                             /* a server's code is its hash's (meso-fingerprint.c) */
                             " AND (substr (mac, 1, 10) = ?1 OR substr (hash, 1, 10) = ?1)"
                             " ORDER BY seq LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return meso_sqlite_store_fail (self, error, "find a fingerprint");
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out_found->seq = sqlite3_column_int64 (stmt, 0);
      out_found->session_id = sqlite3_column_int64 (stmt, 1);
      g_strlcpy (out_found->action, (const char *) sqlite3_column_text (stmt, 2),
                 sizeof out_found->action);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Database %s: no entry of the audit log has the fingerprint %s: the "
                     "sheet was not printed from this database, or its record was removed"),
                   self->path, code);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return meso_sqlite_store_fail (self, error, "find a fingerprint");
  return latest_sheet_entry (self, out_found, error);
}
