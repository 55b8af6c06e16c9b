/* meso-sqlite-seal-check.c: every record table proven against the sealed chain
 *
 * One walk of the log, in order: each entry's number, link, hash and seal, its rows
 * replayed into a 16-byte digest per record row (an array per table, by rowid: memory
 * grows with the rows, never with their texts); then the head beside the database and
 * the newest backup, which must name entries the log still has; then every record table
 * read in rowid order, each row's text digested the same way and compared. The first
 * wrong entry or row is named, never a value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-backup.h"
#include "meso-error.h"
#include "meso-sqlite-seal-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* What the chain says a row holds: the digest of its text, and the entry that said so
 * (0: no row). */
typedef struct
{
  guint8  digest[DIGEST_BYTES];
  guint32 seq;
} Slot;

typedef struct
{
  sqlite3     *db;
  const char  *path;
  guint8       key[KEY_BYTES];
  GArray      *slots[MESO_SEAL_N_TABLES];   /* of Slot, by rowid */
  gint64       last_seq;
  char        *last_mac;
  gint64       first_broken;      /* the entry where the chain breaks, or 0 */
  gboolean     restored;          /* the head says: restored from a backup, nothing since */
  gboolean     chain_only;        /* no rows replayed: check_chain's walk */
} Verify;

static void
verify_clear (Verify *verify)
{
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    g_clear_pointer (&verify->slots[i], g_array_unref);
  g_clear_pointer (&verify->last_mac, g_free);
  memset (verify->key, 0, sizeof verify->key);
}

static gboolean
verify_failed (Verify      *verify,
               GError     **error,
               const char  *format,
               ...) G_GNUC_PRINTF (3, 4);

static gboolean
verify_failed (Verify      *verify,
               GError     **error,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Audit log of %s: %s"), verify->path,
               message);
  return FALSE;
}

static gboolean
verify_sql (Verify  *verify,
            GError **error)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Database %s: %s"), verify->path,
               sqlite3_errmsg (verify->db));
  return FALSE;
}

static gboolean
broken (Verify       *verify,
        sqlite3_stmt *entry,
        const char   *why,
        GError      **error)
{
  verify->first_broken = sqlite3_column_int64 (entry, 0);
  return verify_failed (verify, error, _("entry %lld (%s, %s) %s: the log has "
                                         "been altered"),
                        (long long) sqlite3_column_int64 (entry, 0),
                        (const char *) sqlite3_column_text (entry, 3),
                        (const char *) sqlite3_column_text (entry, 1), why);
}

/* Replays one entry's rows into the digests of what each row holds. */
static gboolean
replay_rows (Verify      *verify,
             gint64       seq,
             const char  *rows,
             GError     **error)
{
  for (const char *line = rows; line != NULL && *line != '\0'; )
    {
      const char *end = strchr (line, '\n');
      const char *tab1 = memchr (line, '\t', end != NULL ? (gsize) (end - line) : strlen (line));
      const char *tab2 = tab1 != NULL ? strchr (tab1 + 1, '\t') : NULL;
      g_autofree char *name = NULL;
      gint64 rowid;
      int table;
      Slot *slot;

      if (end == NULL || tab1 == NULL || tab2 == NULL || tab2 > end)
        return verify_failed (verify, error, _("entry %lld records a row it "
                                               "cannot name"), (long long) seq);
      name = g_strndup (line, (gsize) (tab1 - line));
      table = meso_seal_find_table (name);
      rowid = g_ascii_strtoll (tab1 + 1, NULL, 10);
      if (table < 0 || rowid <= 0 || rowid > G_MAXINT32)
        return verify_failed (verify, error, _("entry %lld records a row it "
                                               "cannot name"), (long long) seq);
      if ((guint) rowid >= verify->slots[table]->len)
        g_array_set_size (verify->slots[table], (guint) rowid + 1);
      slot = &g_array_index (verify->slots[table], Slot, rowid);
      if (end - tab2 == 2 && tab2[1] == '-')
        slot->seq = 0;
      else
        {
          meso_seal_digest_text (tab2 + 1, (gsize) (end - tab2 - 1), slot->digest);
          slot->seq = (guint32) MIN (seq, G_MAXUINT32);
        }
      line = end + 1;
    }
  return TRUE;
}

/* Each entry in order: its number follows, it links to the hash before it, it hashes
 * to what it says, and its mac is the key's; its rows are replayed. One entry in memory
 * at a time. */
static gboolean
walk_chain (Verify  *verify,
            GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev_hash = g_strdup (MESO_SEAL_GENESIS);
  g_autofree char *prev_mac = NULL;
  gint64 expected = 1;
  int rc;

  if (sqlite3_prepare_v2 (verify->db, "SELECT seq, at, actor, action, entity, entity_id,"
                          " payload, prev_hash, hash, rows, mac FROM audit_log ORDER BY seq", -1,
                          &stmt, NULL) != SQLITE_OK)
    return verify_sql (verify, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *rows = (const char *) sqlite3_column_text (stmt, 9);
      const char *mac = (const char *) sqlite3_column_text (stmt, 10);
      g_autofree char *hash = NULL;
      g_autofree char *expected_mac = NULL;

#define COL(i) ((const char *) sqlite3_column_text (stmt, (i)))
      if (seq != expected)
        return broken (verify, stmt, _("does not follow the one before it"), error);
      if (g_strcmp0 (COL (7), prev_hash) != 0)
        return broken (verify, stmt, _("does not link to the one before it"), error);
      hash = meso_seal_hash (seq, COL (1), COL (2), COL (3), COL (4),
                             sqlite3_column_int64 (stmt, 5), COL (6), COL (7));
      if (g_strcmp0 (hash, COL (8)) != 0)
        return broken (verify, stmt, _("does not match its content"), error);
#undef COL
      if (mac == NULL)
        return broken (verify, stmt, _("is not sealed"), error);
      expected_mac = meso_seal_compute_mac (verify->key, hash, rows, prev_mac);
      if (!g_str_equal (expected_mac, mac))
        return broken (verify, stmt, _("does not match its seal"), error);
      if (!verify->chain_only && !replay_rows (verify, seq, rows, error))
        return FALSE;
      expected++;
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      g_free (prev_mac);
      prev_mac = g_steal_pointer (&expected_mac);
    }
  if (rc != SQLITE_DONE)
    return verify_sql (verify, error);
  verify->last_seq = expected - 1;
  verify->last_mac = g_steal_pointer (&prev_mac);
  return TRUE;
}

/* The mac of entry @seq of @db, or NULL when it has none. */
static char *
mac_of_entry (sqlite3 *db,
              gint64   seq)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT mac FROM audit_log WHERE seq = ?1", -1, &stmt, NULL)
      != SQLITE_OK)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* An anchor of another history: the database was restored from an older backup since
 * (a sealed 'restore' entry at or before @seq, where the two histories part). */
static gboolean
restored_since (Verify  *verify,
                sqlite3 *other,
                gint64   seq)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (verify->db, "SELECT seq, mac FROM audit_log WHERE action = 'restore'"
                          " AND seq <= ?1 ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *theirs = mac_of_entry (other, sqlite3_column_int64 (stmt, 0));

      if (g_strcmp0 (theirs, (const char *) sqlite3_column_text (stmt, 1)) != 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_anchor (Verify      *verify,
              gint64       seq,
              const char  *mac,
              const char  *where,
              sqlite3     *other,
              GError     **error)
{
  g_autofree char *ours = mac_of_entry (verify->db, seq);

  if (ours != NULL && g_str_equal (ours, mac))
    return TRUE;
  if (other != NULL && restored_since (verify, other, seq))
    return TRUE;
  if (ours == NULL)
    return verify_failed (verify, error, _("the log ends at entry %lld but %s "
                                           "says %lld: entries were removed"),
                          (long long) verify->last_seq, where, (long long) seq);
  return verify_failed (verify, error, _("entry %lld is not the one %s names: "
                                         "the log was rewritten"), (long long) seq, where);
}

/* <database>.head: written after every commit that wrote entries. Missing, it is a
 * failure once the log holds a sealed entry (every such write made it), since removing
 * it is how a removed tail would hide. */
static gboolean
check_head (Verify      *verify,
            const char  *chain_id,
            GError     **error)
{
  g_autofree char *path = meso_seal_get_head_path (verify->path);
  g_autofree char *where = g_strdup_printf (_("its head outside the database (%s)"), path);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;
  gint64 seq;

  if (g_lstat (path, &st) != 0)
    {
      if (verify->last_seq == 0)
        return TRUE;
      return verify_failed (verify, error, _("its head outside the database, %s, is missing: "
                                             "entries may have been removed (a database "
                                             "copied by hand needs its .head file beside it)"),
                            path);
    }
  if (!S_ISREG (st.st_mode) || !g_file_get_contents (path, &text, NULL, NULL))
    return verify_failed (verify, error, _("its head outside the database, %s, cannot be "
                                           "read"), path);
  lines = g_strsplit (text, "\n", -1);
  if (g_strv_length (lines) < 4 || !g_str_equal (lines[0], HEAD_MAGIC))
    return verify_failed (verify, error, _("its head outside the database, %s, is not one of "
                                           "Mesocare"), path);
  /* A head left by a database this one replaced: a log with no entry yet has none. */
  if (!g_str_equal (lines[1], chain_id) && verify->last_seq == 0)
    return TRUE;
  if (!g_str_equal (lines[1], chain_id))
    return verify_failed (verify, error, _("its head outside the database, %s, belongs to "
                                           "another database"), path);
  seq = g_ascii_strtoll (lines[2], NULL, 10);
  if (lines[4] != NULL && g_str_has_prefix (lines[4], "restored "))
    {
      g_autofree char *tag = meso_seal_restored_tag (verify->key, seq, lines[3]);

      verify->restored = g_str_equal (tag, lines[4] + strlen ("restored "));
    }
  return check_anchor (verify, seq, lines[3], where, NULL, error);
}

/* The newest backup beside the database holds the chain as it was then. One of another
 * database, or of an older version, anchors nothing. */
static gboolean
check_newest_backup (Verify      *verify,
                     const char  *chain_id,
                     GError     **error)
{
  g_autofree char *dir = meso_backup_get_default_dir (verify->path);
  g_autofree char *backup = meso_backup_find_newest (dir);
  g_autofree char *theirs = NULL;
  g_autofree char *where = NULL;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (verify->restored)
    return TRUE;
  if (backup == NULL
      || sqlite3_open_v2 (backup, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return TRUE;
  theirs = meso_seal_read_chain_id (db);
  if (g_strcmp0 (theirs, chain_id) != 0
      || sqlite3_prepare_v2 (db, "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1",
                             -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    return TRUE;
  where = g_strdup_printf (_("the newest backup (%s)"), backup);
  return check_anchor (verify, sqlite3_column_int64 (stmt, 0),
                       (const char *) sqlite3_column_text (stmt, 1), where, db, error);
}

/* Every row of every record table, in rowid order, against what the chain recorded. */
static gboolean
check_table (Verify  *verify,
             guint    table,
             GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid, * FROM \"%s\" ORDER BY rowid",
                                          meso_seal_tables[table].name);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) child = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GArray *slots = verify->slots[table];
  const char *name = meso_seal_tables[table].name;
  int rc;

  if (sqlite3_prepare_v2 (verify->db, sql, -1, &stmt, NULL) != SQLITE_OK
      || (meso_seal_tables[table].child != NULL
          && (child = meso_seal_prepare_child (verify->db, &meso_seal_tables[table])) == NULL))
    return verify_sql (verify, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      guint8 digest[DIGEST_BYTES];
      Slot *slot;

      g_string_truncate (text, 0);
      if (!meso_seal_append_row_text (text, stmt, 1, child, rowid))
        return verify_sql (verify, error);
      if (rowid <= 0 || (guint64) rowid >= slots->len
          || (slot = &g_array_index (slots, Slot, rowid))->seq == 0)
        return verify_failed (verify, error, _("%s row %lld is not in the "
                                               "audit log"), name, (long long) rowid);
      meso_seal_digest_text (text->str, text->len, digest);
      if (memcmp (digest, slot->digest, DIGEST_BYTES) != 0)
        return verify_failed (verify, error, _("%s row %lld differs from what "
                                               "entry %u recorded"), name, (long long) rowid, slot->seq);
      slot->seq = 0;  /* seen */
    }
  if (rc != SQLITE_DONE)
    return verify_sql (verify, error);
  for (guint i = 0; i < slots->len; i++)
    if (g_array_index (slots, Slot, i).seq != 0)
      return verify_failed (verify, error, _("%s row %u, recorded by entry %u, is missing"),
                            name, i, g_array_index (slots, Slot, i).seq);
  return TRUE;
}

/* The chain's id and its key, which the walks need. */
static gboolean
verify_begin (Verify     *verify,
              char      **out_chain_id,
              GError    **error)
{
  g_autofree char *chain_id = meso_seal_read_chain_id (verify->db);

  if (chain_id == NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Audit log of %s: it is not sealed (its schema is older than this "
                     "version’s, or the chain’s id was removed)"), verify->path);
      return FALSE;
    }
  if (!meso_seal_read_key (chain_id, verify->key, error))
    {
      g_prefix_error (error, _("Audit log of %s: "), verify->path);
      return FALSE;
    }
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    verify->slots[i] = g_array_new (FALSE, TRUE, sizeof (Slot));
  *out_chain_id = g_steal_pointer (&chain_id);
  return TRUE;
}

/* Last, once every row matched: a trigger planted in the file would have Mesocare's next
 * write change a record and seal the change with its own (the store refuses to write
 * then; this says why); a table's SQL changed in the file has its rows read wrongly. */
static gboolean
check_schema (Verify      *verify,
              const char  *chain_id,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (meso_seal_verify_schema (verify->db, verify->path, chain_id, verify->key,
                               &local_error))
    return TRUE;
  return verify_failed (verify, error, _("its schema (a table, an index or a trigger) is "
                                         "not the one Mesocare made (one was added, changed "
                                         "or removed): the database has been altered"));
}

/**
 * meso_seal_check_chain:
 * @db: a connection to a sealed database
 * @db_path: its file, for the messages
 * @out_first_broken: (out): the first entry that breaks the chain, or 0 when it holds
 *   (or when no entry could be checked: the key is not here)
 * @error: a #GError
 *
 * The walk of meso_seal_verify() over the chain alone: numbering, links, hashes and
 * seals, without the tables.
 */
gboolean
meso_seal_check_chain (sqlite3     *db,
                       const char  *db_path,
                       gint64      *out_first_broken,
                       GError     **error)
{
  Verify verify = { db, db_path };
  g_autofree char *chain_id = NULL;
  gboolean ok;

  verify.chain_only = TRUE;
  ok = verify_begin (&verify, &chain_id, error) && walk_chain (&verify, error);
  *out_first_broken = verify.first_broken;
  verify_clear (&verify);
  return ok;
}

/**
 * meso_seal_verify:
 * @db: a connection to the database (read-only is enough)
 * @db_path: its file, for the messages and the anchors beside it
 * @anchored: whether to check it against its head file and newest backup (a live
 *   database), or not (a backup, which anchors itself)
 * @error: a #GError
 *
 * Proves every record table against the sealed chain, naming the first wrong entry or
 * row, and never a value. A database of a schema before step 9 has its plain chain
 * checked.
 */
gboolean
meso_seal_verify (sqlite3     *db,
                  const char  *db_path,
                  gboolean     anchored,
                  GError     **error)
{
  Verify verify = { db, db_path };
  g_autofree char *chain_id = NULL;
  gboolean ok;

  ok = verify_begin (&verify, &chain_id, error)
       && walk_chain (&verify, error)
       && (!anchored || check_head (&verify, chain_id, error))
       && (!anchored || check_newest_backup (&verify, chain_id, error));
  for (guint i = 0; ok && i < MESO_SEAL_N_TABLES; i++)
    ok = check_table (&verify, i, error);
  ok = ok && check_schema (&verify, chain_id, error);
  verify_clear (&verify);
  return ok;
}
