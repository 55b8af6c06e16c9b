/* meso-pg-store-audit.c: the audit log on the clinic's server, and the checks
 *
 * The chain is hashed exactly as the SQLite engine hashes it (meso_seal_hash: the same
 * canonical text), so `check` means the same on both engines. The server refuses UPDATE
 * and DELETE on the log (triggers, and the application role's grants); the chain catches
 * what gets past them (an owner's hand).
 *
 * This engine keeps the plain SHA-256 chain: the keyed seal of SQLite's step 9 (rows and
 * mac per entry) is not written here yet, so a sheet's fingerprint, which comes from the
 * mac, is not offered on a server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "meso-error.h"
#include "meso-fingerprint.h"
#include "meso-pg-store-private.h"
#include "sqlite/meso-sqlite-seal.h"

#define AUDIT_COLUMNS "seq, at, actor, action, entity, entity_id, payload, prev_hash, hash"
/* Entries read at a time by a walk of the whole log: a million entries are never in
 * memory at once. */
#define WALK_PAGE 5000

static char *
value_dup (const PGresult *result,
           int             row,
           int             column)
{
  const char *text = meso_pg_value (result, row, column);

  return g_strdup (text != NULL ? text : "");
}

static MesoAuditEntry *
entry_from_row (const PGresult *result,
                int             row)
{
  MesoAuditEntry *entry = g_new0 (MesoAuditEntry, 1);

  entry->seq = meso_pg_int64 (result, row, 0);
  entry->at = value_dup (result, row, 1);
  entry->user = value_dup (result, row, 2);
  entry->action = value_dup (result, row, 3);
  entry->entity = value_dup (result, row, 4);
  entry->entity_id = meso_pg_int64 (result, row, 5);
  entry->payload = value_dup (result, row, 6);
  entry->prev_hash = value_dup (result, row, 7);
  entry->hash = value_dup (result, row, 8);
  return entry;
}

GPtrArray *
meso_pg_store_list_audit (MesoStore  *store,
                          gint64      session_id,
                          GError    **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 meso_audit_entry_free);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, session_id);
  const char *params[] = { session_id != 0 ? id : NULL };
  g_autoptr(PGresult) result = NULL;

  result = meso_pg_store_exec (MESO_PG_STORE (store), "SELECT " AUDIT_COLUMNS " FROM audit_log"
                               " WHERE $1::bigint IS NULL"
                               " OR (entity = 'session' AND entity_id = $1::bigint)"
                               " ORDER BY seq", 1, params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (entries, entry_from_row (result, row));
  return g_steal_pointer (&entries);
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

GPtrArray *
meso_pg_store_find_audit (MesoStore              *store,
                          const MesoAuditFilter  *filter,
                          GError                **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 meso_audit_entry_free);
  g_autoptr(GString) sql = g_string_new ("SELECT " AUDIT_COLUMNS " FROM audit_log WHERE true");
  g_autofree char *from = filter->from != NULL ? format_utc (filter->from) : NULL;
  g_autofree char *to = filter->to != NULL ? format_utc (filter->to) : NULL;
  g_autofree char *session = g_strdup_printf ("%" G_GINT64_FORMAT, filter->session_id);
  g_autofree char *limit = g_strdup_printf ("%u", filter->limit);
  const char *params[6];
  int n = 0;
  g_autoptr(PGresult) result = NULL;

  if (from != NULL)
    params[n] = from, g_string_append_printf (sql, " AND at >= $%d", ++n);
  if (to != NULL)
    params[n] = to, g_string_append_printf (sql, " AND at < $%d", ++n);
  if (filter->action != NULL && *filter->action != '\0')
    params[n] = filter->action, g_string_append_printf (sql, " AND action = $%d", ++n);
  if (filter->user != NULL && *filter->user != '\0')
    params[n] = filter->user, g_string_append_printf (sql, " AND actor = $%d", ++n);
  if (filter->session_id != 0)
    params[n] = session, g_string_append_printf (sql, " AND entity = 'session'"
                                                 " AND entity_id = $%d::bigint", ++n);
  /* With a limit, the newest come first out of the server and are turned round here. */
  if (filter->limit > 0)
    params[n] = limit, g_string_append_printf (sql, " ORDER BY seq DESC LIMIT $%d::bigint", ++n);
  else
    g_string_append (sql, " ORDER BY seq");

  result = meso_pg_store_exec (MESO_PG_STORE (store), sql->str, n, params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (entries, entry_from_row (result, row));
  if (filter->limit > 0)
    for (guint i = 0, j = entries->len; j > i + 1; i++, j--)
      {
        gpointer swap = entries->pdata[i];

        entries->pdata[i] = entries->pdata[j - 1];
        entries->pdata[j - 1] = swap;
      }
  return g_steal_pointer (&entries);
}

/* One statement for the day's sessions. */
GArray *
meso_pg_store_list_printed (MesoStore     *store,
                            const gint64  *ids,
                            guint          n_ids,
                            GError       **error)
{
  g_autoptr(GArray) printed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) list = g_string_new ("{");
  g_autoptr(PGresult) result = NULL;
  const char *params[1];

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
  g_string_append_c (list, '}');
  params[0] = list->str;
  result = meso_pg_store_exec (MESO_PG_STORE (store), "SELECT DISTINCT entity_id FROM audit_log"
                               " WHERE entity = 'session' AND action = 'print'"
                               " AND entity_id = ANY ($1::bigint[])", 1, params, error);
  if (result == NULL)
    return NULL;
  /* In the order asked, as the SQLite engine gives them. */
  for (guint i = 0; i < n_ids; i++)
    for (int row = 0; row < PQntuples (result); row++)
      if (meso_pg_int64 (result, row, 0) == ids[i])
        {
          g_array_append_val (printed, ids[i]);
          break;
        }
  return g_steal_pointer (&printed);
}

typedef struct
{
  MesoPgStore *self;
  gint64       expected_seq;
  char        *prev_hash;
  gint64       first_broken;   /* 0 while the chain holds */
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
               walk->self->label, seq, entry->action, entry->at, why);
  return FALSE;
}

static gboolean
check_link (ChainWalk             *walk,
            const MesoAuditEntry  *entry,
            GError               **error)
{
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

/* Walks the chain from the first entry, a page at a time: each must follow the one
 * before it with no gap in the numbering, point at its hash, and hash to what it says. */
static gboolean
walk_chain (MesoPgStore  *self,
            gint64       *out_first_broken,
            GError      **error)
{
  ChainWalk walk = { self, 1, g_strdup (MESO_SEAL_GENESIS), 0 };
  gint64 after = 0;
  gboolean ok = TRUE;

  while (ok)
    {
      g_autofree char *after_text = g_strdup_printf ("%" G_GINT64_FORMAT, after);
      const char *params[] = { after_text };
      g_autoptr(PGresult) result = NULL;

      result = meso_pg_store_exec (self, "SELECT " AUDIT_COLUMNS " FROM audit_log"
                                   " WHERE seq > $1::bigint ORDER BY seq"
                                   " LIMIT " G_STRINGIFY (WALK_PAGE), 1, params, error);
      if (result == NULL)
        {
          ok = FALSE;
          break;
        }
      for (int row = 0; ok && row < PQntuples (result); row++)
        {
          g_autoptr(MesoAuditEntry) entry = entry_from_row (result, row);

          ok = check_link (&walk, entry, error);
          after = entry->seq;
        }
      if (PQntuples (result) < WALK_PAGE)
        break;
    }
  g_free (walk.prev_hash);
  *out_first_broken = walk.first_broken;
  return ok;
}

gboolean
meso_pg_store_check_chain (MesoStore  *store,
                           gint64     *out_first_broken,
                           GError    **error)
{
  return walk_chain (MESO_PG_STORE (store), out_first_broken, error);
}

/* The server keeps its own pages sound (checksums, WAL); what is ours to check is that
 * every session has its current values, and the chain. */
gboolean
meso_pg_store_check (MesoStore  *store,
                     GError    **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  gint64 first_broken = 0;
  gint64 missing = 0;

  if (!meso_pg_store_query_int64 (self, "SELECT count(*) FROM sessions s WHERE NOT EXISTS"
                                  " (SELECT 1 FROM session_current c"
                                  " WHERE c.session_id = s.id)", 0, NULL, &missing, error))
    return FALSE;
  if (missing > 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Database %s: the %s found a problem: %s"), self->label,
                   _("integrity check"), "session_current");
      return FALSE;
    }
  return walk_chain (self, &first_broken, error);
}

/* A sheet's code is its entry's mac where the entry has one (copied from a file, whose
 * key sealed it) and its hash otherwise: the server keeps the plain chain, its entries
 * guarded by its roles and triggers (meso-fingerprint.c). */
char *
meso_pg_store_get_fingerprint (MesoStore  *store,
                               gint64      session_id,
                               GError    **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, session_id);
  const char *params[] = { id };
  g_autoptr(PGresult) result = NULL;

  result = meso_pg_store_exec (MESO_PG_STORE (store), "SELECT COALESCE (NULLIF (mac, ''), hash)"
                               " FROM audit_log WHERE entity = 'session' AND entity_id = $1"
                               " AND action IN " MESO_FINGERPRINT_SHEET_ACTIONS
                               " ORDER BY seq DESC LIMIT 1", 1, params, error);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return meso_fingerprint_from_digest (PQgetvalue (result, 0, 0));
}

/* The newest entry of @found's session that changed its sheet. */
static gboolean
latest_sheet_entry (MesoPgStore      *self,
                    MesoFingerprint  *found,
                    GError          **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, found->session_id);
  const char *params[] = { id };
  g_autoptr(PGresult) result = NULL;

  result = meso_pg_store_exec (self, "SELECT seq, action FROM audit_log"
                               " WHERE entity = 'session' AND entity_id = $1"
                               " AND action IN " MESO_FINGERPRINT_SHEET_ACTIONS
                               " ORDER BY seq DESC LIMIT 1", 1, params, error);
  if (result == NULL)
    return FALSE;
  found->latest_seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  g_strlcpy (found->latest_action, PQgetvalue (result, 0, 1), sizeof found->latest_action);
  return TRUE;
}

gboolean
meso_pg_store_find_fingerprint (MesoStore        *store,
                                const char       *code,
                                MesoFingerprint  *out_found,
                                GError          **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  g_autofree char *prefix = meso_fingerprint_to_prefix (code);
  const char *params[] = { prefix };
  g_autoptr(PGresult) result = NULL;

  memset (out_found, 0, sizeof *out_found);
  if (prefix == NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("“%s” is not a sheet’s fingerprint: it has eight letters and digits, "
                     "such as 7KQ2-M9XD"), g_utf8_validate (code, -1, NULL) ? code : "?");
      return FALSE;
    }
  result = meso_pg_store_exec (self, "SELECT seq, entity_id, action FROM audit_log"
                               " WHERE entity = 'session'"
                               " AND action IN " MESO_FINGERPRINT_SHEET_ACTIONS
                               " AND (substr (mac, 1, 10) = $1 OR substr (hash, 1, 10) = $1)"
                               " ORDER BY seq LIMIT 1", 1, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Database %s: no entry of the audit log has the fingerprint %s: the "
                     "sheet was not printed from this database, or its record was removed"),
                   self->label, code);
      return FALSE;
    }
  out_found->seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  out_found->session_id = g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10);
  g_strlcpy (out_found->action, PQgetvalue (result, 0, 2), sizeof out_found->action);
  return latest_sheet_entry (self, out_found, error);
}
