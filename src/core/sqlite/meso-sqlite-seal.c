/* meso-sqlite-seal.c: the sealed audit chain
 *
 * The plain chain of hashes (each entry's hash covers the one before it) can be
 * recomputed from the start by anyone who edits the file. Here each entry also carries
 * `rows`, the full new values of every record row its write changed, and `mac`, an
 * HMAC-SHA256 over its hash, those rows and the mac before it, under a key of 32 random
 * bytes kept outside the database (~/.config/mesocare/keys/<chain id>.key, the clinic
 * account's alone): without the key no one can reseal an edited entry. The rows are
 * noted by triggers of the record tables (meso_changed()), so no write path can forget
 * them; the last entry is also written beside the database (<database>.head), and every
 * backup holds the chain as it was, so a removed tail is found too.
 *
 * This half writes the chain (the key, the rows, the entries, the head, the upgrade of
 * step 9); meso-sqlite-seal-check.c proves every record table against it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "meso-error.h"
#include "meso-sqlite-seal-private.h"
#include "meso-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The record tables, each with the rows of another table folded into its own text. */
const SealTable meso_seal_tables[MESO_SEAL_N_TABLES] = {
  { "sessions", "session_areas", "session_id", "area" },
  { "patients", NULL, NULL, NULL },
  { "practitioners", NULL, NULL, NULL },
  { "amendments", "amendment_values", "amendment_id", "field" },
  { "voids", NULL, NULL, NULL },
  { "sheet_adjustments", NULL, NULL, NULL },
  { "session_current", NULL, NULL, NULL },
  { "clinic", NULL, NULL, NULL },
};


typedef struct
{
  guint   table;
  gint64  rowid;
} Noted;

struct _MesoSeal
{
  sqlite3      *db;
  char         *db_path;
  char         *chain_id;
  guint8        key[KEY_BYTES];
  gboolean      has_key;
  GError       *key_error;     /* why writes are refused, when the key is not here */
  GArray       *pending;       /* of Noted: rows changed since the last entry */
  sqlite3_stmt *row_stmts[MESO_SEAL_N_TABLES];
  sqlite3_stmt *child_stmts[MESO_SEAL_N_TABLES];
  sqlite3_stmt *last_stmt;
  sqlite3_stmt *insert_stmt;

  /* The last entry of the open transaction, once it wrote one. */
  gint64        last_seq;
  char         *last_hash;
  char         *last_mac;
  gboolean      wrote;
};

int
meso_seal_find_table (const char *name)
{
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    if (g_strcmp0 (name, meso_seal_tables[i].name) == 0)
      return (int) i;
  return -1;
}

/* ---- The canonical text of a row ---- */

static void
append_escaped (GString    *out,
                const char *text,
                int         bytes)
{
  for (int i = 0; i < bytes; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
}

static void
append_value (GString      *out,
              sqlite3_stmt *stmt,
              int           column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_INTEGER:
      g_string_append_printf (out, "i%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt,
                                                                                      column));
      break;
    case SQLITE_FLOAT:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append_printf (out, "r%s", g_ascii_dtostr (buf, sizeof buf,
                                                            sqlite3_column_double (stmt,
                                                                                   column)));
      }
      break;
    case SQLITE_BLOB:
      {
        const guchar *data = sqlite3_column_blob (stmt, column);
        int bytes = sqlite3_column_bytes (stmt, column);

        if (bytes <= BLOB_INLINE)
          {
            g_string_append_c (out, 'x');
            for (int i = 0; i < bytes; i++)
              g_string_append_printf (out, "%02x", data[i]);
          }
        else
          {
            g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data,
                                                                   (gsize) bytes);

            g_string_append_printf (out, "h%s", digest);
          }
      }
      break;
    default:  /* text */
      {
        const char *text = (const char *) sqlite3_column_text (stmt, column);

        g_string_append_c (out, 't');
        append_escaped (out, text, sqlite3_column_bytes (stmt, column));
      }
      break;
    }
}

/* name=value for each column from @first on, tab-separated; NULL columns are left out,
 * so that a later step adding a nullable column leaves the texts of old rows as they
 * were. */
static void
append_columns (GString      *out,
                sqlite3_stmt *stmt,
                int           first,
                const char   *prefix)
{
  int n = sqlite3_column_count (stmt);

  for (int i = first; i < n; i++)
    {
      if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
        continue;
      if (out->len > 0 && out->str[out->len - 1] != '\t')
        g_string_append_c (out, '\t');
      g_string_append (out, prefix);
      g_string_append (out, sqlite3_column_name (stmt, i));
      g_string_append_c (out, '=');
      append_value (out, stmt, i);
    }
}

sqlite3_stmt *
meso_seal_prepare_child (sqlite3          *db,
               const SealTable  *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE \"%s\" = ?1 ORDER BY \"%s\"",
                                          table->child, table->child_key, table->child_order);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    return NULL;
  return stmt;
}

/* The row's own columns (from @first on in @row), then its folded rows, "+1.area=...". */
gboolean
meso_seal_append_row_text (GString          *out,
                 sqlite3_stmt     *row,
                 int               first,
                 sqlite3_stmt     *child,
                 gint64            rowid)
{
  guint n = 0;
  int rc;

  append_columns (out, row, first, "");
  if (child == NULL)
    return TRUE;
  sqlite3_bind_int64 (child, 1, rowid);
  while ((rc = sqlite3_step (child)) == SQLITE_ROW)
    {
      g_autofree char *prefix = g_strdup_printf ("+%u.", ++n);

      append_columns (out, child, 0, prefix);
    }
  sqlite3_reset (child);
  return rc == SQLITE_DONE;
}

/* The first 16 bytes of SHA-256 over a row's text: what the check keeps for each row. */
void
meso_seal_digest_text (const char *text,
             gsize       length,
             guint8      digest[DIGEST_BYTES])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 full[32];
  gsize size = sizeof full;

  g_checksum_update (checksum, (const guchar *) text, (gssize) length);
  g_checksum_get_digest (checksum, full, &size);
  memcpy (digest, full, DIGEST_BYTES);
}

/* ---- The hash and the mac ---- */

/**
 * meso_seal_hash:
 *
 * SHA-256 over every column of an entry but its hash, rows and mac, fields separated by
 * a byte that cannot occur in them (the payload escapes control characters).
 */
char *
meso_seal_hash (gint64      seq,
                const char *at,
                const char *user,
                const char *action,
                const char *entity,
                gint64      entity_id,
                const char *payload,
                const char *prev_hash)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char seq_text[24], entity_id_text[24];
  const char *parts[] = { seq_text, at, user, action, entity, entity_id_text, payload,
                          prev_hash };

  g_snprintf (seq_text, sizeof seq_text, "%" G_GINT64_FORMAT, seq);
  g_snprintf (entity_id_text, sizeof entity_id_text, "%" G_GINT64_FORMAT, entity_id);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (i > 0)
        g_checksum_update (checksum, (const guchar *) "\x1f", 1);
      g_checksum_update (checksum, (const guchar *) parts[i], -1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

char *
meso_seal_compute_mac (const guint8 *key,
             const char   *hash,
             const char   *rows,
             const char   *prev_mac)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key, KEY_BYTES);

  g_hmac_update (hmac, (const guchar *) hash, -1);
  g_hmac_update (hmac, (const guchar *) "\x1f", 1);
  g_hmac_update (hmac, (const guchar *) (rows != NULL ? rows : ""), -1);
  g_hmac_update (hmac, (const guchar *) "\x1f", 1);
  g_hmac_update (hmac, (const guchar *) (prev_mac != NULL ? prev_mac : MESO_SEAL_GENESIS), -1);
  return g_strdup (g_hmac_get_string (hmac));
}

char *
meso_seal_mac (MesoSeal   *seal,
               const char *hash,
               const char *rows,
               const char *prev_mac)
{
  g_return_val_if_fail (seal->has_key, NULL);
  return meso_seal_compute_mac (seal->key, hash, rows, prev_mac);
}

/* ---- The key ---- */

static char *
get_key_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "mesocare", "keys", NULL);
}

char *
meso_seal_get_key_path (const char *chain_id)
{
  g_autofree char *dir = get_key_dir ();
  g_autofree char *name = g_strconcat (chain_id, ".key", NULL);

  return g_build_filename (dir, name, NULL);
}

static gboolean
set_key_error (GError     **error,
               const char  *path,
               const char  *why)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("The key of this database’s audit log, %s, %s"), path, why);
  return FALSE;
}

/* The key is refused when anyone but the clinic's account could read it, or when it is
 * a symbolic link (it could point anywhere, and be replaced). */
gboolean
meso_seal_read_key (const char  *chain_id,
          guint8       key[KEY_BYTES],
          GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;
  gsize length = 0;

  if (chain_id == NULL || !g_uuid_string_is_valid (chain_id))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("The audit log of this database names no valid chain: it has been "
                     "altered"));
      return FALSE;
    }
  path = meso_seal_get_key_path (chain_id);
  if (g_lstat (path, &st) != 0)
    return set_key_error (error, path,
                          _("is not on this computer: the database can be read, but not "
                            "checked or written to here"));
  if (S_ISLNK (st.st_mode))
    return set_key_error (error, path, _("is a symbolic link: it is refused"));
  if (!S_ISREG (st.st_mode))
    return set_key_error (error, path, _("is not a file: it is refused"));
  if ((st.st_mode & 077) != 0)
    return set_key_error (error, path,
                          _("can be read by other users: it is refused; make it "
                            "readable by this account alone (chmod 600)"));
  if (!g_file_get_contents (path, &text, &length, NULL))
    return set_key_error (error, path, _("cannot be read"));
  g_strchomp (text);
  if (strlen (text) != KEY_BYTES * 2)
    return set_key_error (error, path, _("is not a key of Mesocare"));
  for (guint i = 0; i < KEY_BYTES; i++)
    {
      int high = g_ascii_xdigit_value (text[2 * i]);
      int low = g_ascii_xdigit_value (text[2 * i + 1]);

      if (high < 0 || low < 0)
        return set_key_error (error, path, _("is not a key of Mesocare"));
      key[i] = (guint8) (high * 16 + low);
    }
  return TRUE;
}

static gboolean
random_bytes (guint8  *buf,
              gsize    size,
              GError **error)
{
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = getrandom (buf + done, size - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot make a key: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* Written whole to a temporary file, synced (a lost key cannot be made again), then
 * renamed: the key file is there complete or not at all. */
static gboolean
create_key (const char  *chain_id,
            guint8       key[KEY_BYTES],
            GError     **error)
{
  g_autofree char *dir = get_key_dir ();
  g_autofree char *path = meso_seal_get_key_path (chain_id);
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  int fd, saved_errno;

  if (!random_bytes (key, KEY_BYTES, error))
    return FALSE;
  for (guint i = 0; i < KEY_BYTES; i++)
    g_string_append_printf (text, "%02x", key[i]);
  g_string_append_c (text, '\n');

  if (g_mkdir_with_parents (dir, 0700) != 0)
    goto failed;
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    goto failed;
  if (write (fd, text->str, text->len) != (ssize_t) text->len || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp);
      errno = saved_errno;
      goto failed;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp);
      errno = saved_errno;
      goto failed;
    }
  return TRUE;

failed:
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot write the key of the audit log to %s: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

char *
meso_seal_read_chain_id (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT chain_id FROM audit_chain WHERE id = 1", -1, &stmt,
                          NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/**
 * meso_seal_is_sealed:
 *
 * Whether @db has the sealed chain of step 9 (its table of the chain's id), whatever
 * that table holds.
 */
gboolean
meso_seal_is_sealed (sqlite3 *db)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  return sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
                             " AND name = 'audit_chain'", -1, &stmt, NULL) == SQLITE_OK
         && sqlite3_step (stmt) == SQLITE_ROW;
}

/* Step 9 sealed the digest of the triggers alone; from step 10 on the sealed digest is
 * of the whole schema, written with this prefix. The prefix is under the seal, so a
 * database cannot be made to look as if it had the older, weaker digest. */
#define SCHEMA_DIGEST_PREFIX "schema:"

/* SHA-256 over the rows of @sql, each column's text followed by a separator. */
static char *
digest_query (sqlite3    *db,
              const char *sql)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        g_checksum_update (checksum, sqlite3_column_text (stmt, i),
                           sqlite3_column_bytes (stmt, i));
        g_checksum_update (checksum, (const guchar *) "\x1f", 1);
      }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

/* Step 9's digest: the name and SQL of every trigger. Kept to check the databases and
 * backups sealed by step 9 until their upgrade seals the whole schema. */
static char *
triggers_digest (sqlite3 *db)
{
  return digest_query (db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'"
                           " ORDER BY name");
}

/**
 * meso_seal_schema_digest:
 * @db: a database
 *
 * Returns: (transfer full) (nullable): "schema:" and the SHA-256 over every table,
 *   index, view and trigger of @db (type, name, table and SQL, in the order of their
 *   names); %NULL when the schema cannot be read. The entries SQLite itself may add or
 *   change (sqlite_stat1, sqlite_sequence, its automatic indexes: names that begin with
 *   "sqlite_") are left out.
 */
char *
meso_seal_schema_digest (sqlite3 *db)
{
  g_autofree char *digest = digest_query (db, "SELECT type, name, tbl_name, sql"
                                               " FROM sqlite_schema"
                                               " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                               " ORDER BY name, type");

  return digest != NULL ? g_strconcat (SCHEMA_DIGEST_PREFIX, digest, NULL) : NULL;
}

static gboolean fail_sql (MesoSeal  *seal,
                          GError   **error);

static char *
schema_mac (const guint8 *key,
            const char   *chain_id,
            const char   *digest)
{
  g_autofree char *text = g_strdup_printf ("triggers\x1f%s\x1f%s", chain_id, digest);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, KEY_BYTES, text, -1);
}

/**
 * meso_seal_seal_schema:
 *
 * After a schema step, inside its transaction: the digest of the schema it left,
 * sealed under the key into the table of the chain's id.
 */
gboolean
meso_seal_seal_schema (MesoSeal  *seal,
                       GError   **error)
{
  g_autofree char *digest = NULL;
  g_autofree char *mac = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!meso_seal_can_write (seal, error))
    return FALSE;
  digest = meso_seal_schema_digest (seal->db);
  if (digest == NULL)
    return fail_sql (seal, error);
  mac = schema_mac (seal->key, seal->chain_id, digest);
  if (sqlite3_prepare_v2 (seal->db, "UPDATE audit_chain SET triggers = ?1, triggers_mac = ?2"
                          " WHERE id = 1", -1, &stmt, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  sqlite3_bind_text (stmt, 1, digest, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, mac, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fail_sql (seal, error);
  return TRUE;
}

/* The digest of @db of the same kind as the one sealed: the whole schema's, or the
 * triggers' alone for a database sealed by step 9 and not upgraded since. */
static char *
digest_like (sqlite3    *db,
             const char *sealed)
{
  if (g_str_has_prefix (sealed, SCHEMA_DIGEST_PREFIX))
    return meso_seal_schema_digest (db);
  return triggers_digest (db);
}

/**
 * meso_seal_verify_schema:
 *
 * Whether the schema of @db is the one its schema steps left (their sealed digest): a
 * trigger planted in the file would run inside Mesocare's own writes and have what it
 * changes sealed with them; a table's or an index's SQL changed in the file (by hand, or
 * by a damaged byte that still parses) would have rows read wrongly, or not at all.
 */
gboolean
meso_seal_verify_schema (sqlite3       *db,
                         const char    *db_path,
                         const char    *chain_id,
                         const guint8  *key,
                         GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *found = NULL;
  g_autofree char *mac = NULL;
  const char *sealed = NULL;
  const char *sealed_mac = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT triggers, triggers_mac FROM audit_chain WHERE id = 1",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Database %s: %s"), db_path,
                   sqlite3_errmsg (db));
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sealed = (const char *) sqlite3_column_text (stmt, 0);
      sealed_mac = (const char *) sqlite3_column_text (stmt, 1);
    }
  if (sealed != NULL && sealed_mac != NULL)
    {
      mac = schema_mac (key, chain_id, sealed);
      found = digest_like (db, sealed);
    }
  if (mac != NULL && found != NULL && g_str_equal (mac, sealed_mac)
      && g_str_equal (found, sealed))
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Database %s: its schema (a table, an index or a trigger) is not the one "
                 "Mesocare made (one was added, changed or removed): the database has been "
                 "altered"), db_path);
  return FALSE;
}

/* Before each write, inside its transaction. */
gboolean
meso_seal_check_schema (MesoSeal  *seal,
                        GError   **error)
{
  if (!meso_seal_can_write (seal, error))
    return FALSE;
  if (meso_seal_verify_schema (seal->db, seal->db_path, seal->chain_id, seal->key, error))
    return TRUE;
  g_prefix_error (error, _("Nothing was saved: "));
  return FALSE;
}

/* ---- The store's side: noting rows, writing entries ---- */

/* meso_changed (table, rowid): called by the triggers of step 9 for every row written. */
static void
changed_function (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  MesoSeal *seal = sqlite3_user_data (context);
  int table = meso_seal_find_table ((const char *) sqlite3_value_text (argv[0]));
  Noted noted;

  g_assert (argc == 2);
  if (table < 0)
    {
      sqlite3_result_error (context, "meso_changed: not a record table", -1);
      return;
    }
  noted.table = (guint) table;
  noted.rowid = sqlite3_value_int64 (argv[1]);
  g_array_append_val (seal->pending, noted);
  sqlite3_result_null (context);
}

MesoSeal *
meso_seal_new (sqlite3    *db,
               const char *db_path)
{
  MesoSeal *seal = g_new0 (MesoSeal, 1);

  seal->db = db;
  seal->db_path = g_strdup (db_path);
  seal->pending = g_array_new (FALSE, FALSE, sizeof (Noted));
  sqlite3_create_function_v2 (db, "meso_changed", 2, SQLITE_UTF8, seal, changed_function,
                              NULL, NULL, NULL);
  return seal;
}

void
meso_seal_free (MesoSeal *seal)
{
  if (seal == NULL)
    return;
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    {
      g_clear_pointer (&seal->row_stmts[i], sqlite3_finalize);
      g_clear_pointer (&seal->child_stmts[i], sqlite3_finalize);
    }
  g_clear_pointer (&seal->last_stmt, sqlite3_finalize);
  g_clear_pointer (&seal->insert_stmt, sqlite3_finalize);
  g_clear_error (&seal->key_error);
  g_array_unref (seal->pending);
  g_free (seal->chain_id);
  g_free (seal->db_path);
  g_free (seal->last_hash);
  g_free (seal->last_mac);
  memset (seal->key, 0, sizeof seal->key);
  g_free (seal);
}

/**
 * meso_seal_load_key:
 *
 * Reads the database's chain id and its key. A key that is not here is no error for
 * reading: it is kept, and writes are refused with it (meso_seal_can_write()).
 * Returns FALSE only when the database has no sealed chain yet (an older schema).
 */
gboolean
meso_seal_load_key (MesoSeal  *seal,
                    GError   **error)
{
  g_clear_error (&seal->key_error);
  g_clear_pointer (&seal->chain_id, g_free);
  seal->has_key = FALSE;
  seal->chain_id = meso_seal_read_chain_id (seal->db);
  if (seal->chain_id == NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Database %s has no sealed audit log"), seal->db_path);
      return FALSE;
    }
  seal->has_key = meso_seal_read_key (seal->chain_id, seal->key, &seal->key_error);
  return TRUE;
}

gboolean
meso_seal_can_write (MesoSeal  *seal,
                     GError   **error)
{
  if (seal->has_key)
    return TRUE;
  if (seal->key_error != NULL)
    g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                 _("Nothing was saved to %s: %s"), seal->db_path, seal->key_error->message);
  else
    g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                 _("Nothing was saved to %s: its audit log is not sealed"), seal->db_path);
  return FALSE;
}

void
meso_seal_begin (MesoSeal *seal)
{
  g_array_set_size (seal->pending, 0);
  g_clear_pointer (&seal->last_hash, g_free);
  g_clear_pointer (&seal->last_mac, g_free);
  seal->last_seq = 0;
  seal->wrote = FALSE;
}

/* A write that changed a record row and wrote no audit entry for it is a bug: it is
 * refused whole rather than left out of the chain. */
gboolean
meso_seal_end (MesoSeal  *seal,
               GError   **error)
{
  if (seal->pending->len == 0)
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Database %s: a change to the %s table came without its audit entry; "
                 "nothing was saved"), seal->db_path,
               meso_seal_tables[g_array_index (seal->pending, Noted, 0).table].name);
  g_array_set_size (seal->pending, 0);
  return FALSE;
}

/* The mark a restore leaves in the head, made with the key so that no one else can
 * make it: the newest backup may be of a later history than the copy restored. */
char *
meso_seal_restored_tag (const guint8 *key,
              gint64        seq,
              const char   *mac)
{
  g_autofree char *text = g_strdup_printf ("restored\x1f%" G_GINT64_FORMAT "\x1f%s", seq, mac);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, KEY_BYTES, text, -1);
}

static gboolean
write_head (const char  *db_path,
            const char  *chain_id,
            gint64       seq,
            const char  *mac,
            const char  *tag,
            GError     **error)
{
  g_autofree char *path = meso_seal_get_head_path (db_path);
  g_autofree char *tmp = g_strconcat (path, ".XXXXXX", NULL);
  g_autofree char *text = g_strdup_printf (HEAD_MAGIC "\n%s\n%" G_GINT64_FORMAT "\n%s\n%s%s%s",
                                           chain_id, seq, mac, tag != NULL ? "restored " : "",
                                           tag != NULL ? tag : "", tag != NULL ? "\n" : "");
  gsize length = strlen (text);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  int saved_errno;

  if (fd >= 0 && write (fd, text, length) == (ssize_t) length && close (fd) == 0
      && g_rename (tmp, path) == 0)
    return TRUE;
  saved_errno = errno;
  if (fd >= 0)
    g_unlink (tmp);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Cannot write the head of the audit log to %s: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

/* After a commit that wrote entries: the head outside the database follows. Not
 * synced: after a crash, a head one entry behind still anchors all before it. */
void
meso_seal_committed (MesoSeal *seal)
{
  g_autoptr(GError) error = NULL;

  if (!seal->wrote || seal->chain_id == NULL)
    return;
  seal->wrote = FALSE;
  if (!write_head (seal->db_path, seal->chain_id, seal->last_seq, seal->last_mac, NULL,
                   &error))
    g_message ("%s", error->message);
}

char *
meso_seal_get_head_path (const char *db_path)
{
  return g_strconcat (db_path, ".head", NULL);
}

/**
 * meso_seal_write_head:
 * @db_path: a database just restored from a backup
 * @db: a connection to it
 * @error: a #GError
 *
 * Writes the head beside @db_path from its last entry, marked (under the key) as a
 * restore: until the log records the restore itself, the newest backup, which may hold
 * a later history than the copy restored, anchors nothing.
 */
gboolean
meso_seal_write_head (const char  *db_path,
                      sqlite3     *db,
                      GError     **error)
{
  g_autofree char *chain_id = meso_seal_read_chain_id (db);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *tag = NULL;
  guint8 key[KEY_BYTES];
  const char *mac;
  gint64 seq;

  if (chain_id == NULL)
    return TRUE;  /* an older schema: its first write after the upgrade makes the head */
  if (sqlite3_prepare_v2 (db, "SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1", -1,
                          &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 1) == SQLITE_NULL)
    return TRUE;
  seq = sqlite3_column_int64 (stmt, 0);
  mac = (const char *) sqlite3_column_text (stmt, 1);
  if (meso_seal_read_key (chain_id, key, NULL))
    tag = meso_seal_restored_tag (key, seq, mac);
  memset (key, 0, sizeof key);
  return write_head (db_path, chain_id, seq, mac, tag, error);
}

static gboolean
fail_sql (MesoSeal    *seal,
          GError     **error)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Database %s: %s"), seal->db_path,
               sqlite3_errmsg (seal->db));
  return FALSE;
}

/* The last entry: from the open transaction when it wrote one (a bulk writes thousands),
 * else read from the log. */
gboolean
meso_seal_last_entry (MesoSeal     *seal,
                      gint64       *out_seq,
                      const char  **out_hash,
                      const char  **out_mac)
{
  int rc;

  if (seal->last_hash == NULL)
    {
      if (seal->last_stmt == NULL
          && sqlite3_prepare_v3 (seal->db, "SELECT seq, hash, mac FROM audit_log"
                                 " ORDER BY seq DESC LIMIT 1", -1, SQLITE_PREPARE_PERSISTENT,
                                 &seal->last_stmt, NULL) != SQLITE_OK)
        return FALSE;
      rc = sqlite3_step (seal->last_stmt);
      seal->last_seq = 0;
      seal->last_hash = g_strdup (MESO_SEAL_GENESIS);
      seal->last_mac = NULL;
      if (rc == SQLITE_ROW)
        {
          seal->last_seq = sqlite3_column_int64 (seal->last_stmt, 0);
          g_free (seal->last_hash);
          seal->last_hash = g_strdup ((const char *) sqlite3_column_text (seal->last_stmt, 1));
          seal->last_mac = g_strdup ((const char *) sqlite3_column_text (seal->last_stmt, 2));
        }
      sqlite3_reset (seal->last_stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          g_clear_pointer (&seal->last_hash, g_free);
          return FALSE;
        }
    }
  *out_seq = seal->last_seq;
  *out_hash = seal->last_hash;
  *out_mac = seal->last_mac;
  return TRUE;
}

void
meso_seal_note_entry (MesoSeal   *seal,
                      gint64      seq,
                      const char *hash,
                      const char *mac)
{
  seal->last_seq = seq;
  g_free (seal->last_hash);
  seal->last_hash = g_strdup (hash);
  g_free (seal->last_mac);
  seal->last_mac = g_strdup (mac);
  seal->wrote = TRUE;
}

static int
compare_noted (gconstpointer a,
               gconstpointer b)
{
  const Noted *x = a, *y = b;

  if (x->table != y->table)
    return x->table < y->table ? -1 : 1;
  return x->rowid < y->rowid ? -1 : x->rowid > y->rowid;
}

/* "table\trowid\ttext\n" of one row as it is now; "-" for a row no longer there. */
static gboolean
append_row_line (MesoSeal  *seal,
                 GString   *rows,
                 guint      table,
                 gint64     rowid)
{
  sqlite3_stmt *stmt = seal->row_stmts[table];
  g_autoptr(GString) text = g_string_new (NULL);
  int rc;

  if (stmt == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE rowid = ?1",
                                              meso_seal_tables[table].name);

      if (sqlite3_prepare_v3 (seal->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
          != SQLITE_OK)
        return FALSE;
      seal->row_stmts[table] = stmt;
    }
  if (meso_seal_tables[table].child != NULL && seal->child_stmts[table] == NULL
      && (seal->child_stmts[table] = meso_seal_prepare_child (seal->db, &meso_seal_tables[table])) == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && !meso_seal_append_row_text (text, stmt, 0, seal->child_stmts[table], rowid))
    rc = SQLITE_ERROR;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_string_assign (text, "-");
  else if (rc != SQLITE_ROW)
    return FALSE;
  g_string_append_printf (rows, "%s\t%" G_GINT64_FORMAT "\t%s\n", meso_seal_tables[table].name, rowid,
                          text->str);
  return TRUE;
}

/**
 * meso_seal_take_rows:
 *
 * Returns: the rows changed since the last entry, one line each, for the next entry's
 *   `rows`; the list of changed rows is then empty.
 */
char *
meso_seal_take_rows (MesoSeal  *seal,
                     GError   **error)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  GArray *pending = seal->pending;

  g_array_sort (pending, compare_noted);
  for (guint i = 0; i < pending->len; i++)
    {
      Noted *noted = &g_array_index (pending, Noted, i);

      if (i > 0 && compare_noted (noted, &g_array_index (pending, Noted, i - 1)) == 0)
        continue;
      if (!append_row_line (seal, rows, noted->table, noted->rowid))
        {
          g_array_set_size (pending, 0);
          fail_sql (seal, error);
          return NULL;
        }
    }
  g_array_set_size (pending, 0);
  return g_string_free (g_steal_pointer (&rows), FALSE);
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Inserts one entry chained to the last, with @rows and its mac. */
static gboolean
insert_entry (MesoSeal    *seal,
              const char  *at,
              const char  *user,
              const char  *action,
              const char  *entity,
              gint64       entity_id,
              const char  *payload,
              const char  *rows,
              GError     **error)
{
  const char *prev_hash, *prev_mac;
  g_autofree char *hash = NULL;
  g_autofree char *mac = NULL;
  gint64 seq;
  int rc;

  if (!meso_seal_last_entry (seal, &seq, &prev_hash, &prev_mac))
    return fail_sql (seal, error);
  seq++;
  hash = meso_seal_hash (seq, at, user, action, entity, entity_id, payload, prev_hash);
  mac = meso_seal_compute_mac (seal->key, hash, rows, prev_mac);
  if (seal->insert_stmt == NULL
      && sqlite3_prepare_v3 (seal->db, "INSERT INTO audit_log (seq, at, actor, action, entity,"
                             " entity_id, payload, prev_hash, hash, rows, mac)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1,
                             SQLITE_PREPARE_PERSISTENT, &seal->insert_stmt, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  sqlite3_bind_int64 (seal->insert_stmt, 1, seq);
  sqlite3_bind_text (seal->insert_stmt, 2, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 3, user, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 5, entity, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (seal->insert_stmt, 6, entity_id);
  sqlite3_bind_text (seal->insert_stmt, 7, payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 8, prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 9, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 10, rows, -1, SQLITE_STATIC);
  sqlite3_bind_text (seal->insert_stmt, 11, mac, -1, SQLITE_STATIC);
  rc = sqlite3_step (seal->insert_stmt);
  sqlite3_reset (seal->insert_stmt);
  sqlite3_clear_bindings (seal->insert_stmt);
  if (rc != SQLITE_DONE)
    return fail_sql (seal, error);
  meso_seal_note_entry (seal, seq, hash, mac);
  return TRUE;
}

/**
 * meso_seal_append:
 *
 * Appends an entry holding the rows changed since the last one; the caller holds the
 * write transaction.
 */
gboolean
meso_seal_append (MesoSeal    *seal,
                  const char  *at,
                  const char  *user,
                  const char  *action,
                  const char  *entity,
                  gint64       entity_id,
                  const char  *payload,
                  GError     **error)
{
  g_autofree char *rows = NULL;

  if (!meso_seal_can_write (seal, error))
    return FALSE;
  rows = meso_seal_take_rows (seal, error);
  return rows != NULL
         && insert_entry (seal, at, user, action, entity, entity_id, payload, rows, error);
}

/* ---- The upgrade to step 9 ---- */

/* The entry on @walk's row (seq, at, actor, action, entity, entity_id, payload,
 * prev_hash, hash, in that order) proven against the one before it: its hash when its
 * number, its link and its hash hold, or NULL with @out_why saying which does not. Both
 * walks that seal a chain found unsealed (step 9's upgrade, a server's log copied into a
 * file) prove it so. */
static char *
prove_entry (sqlite3_stmt  *walk,
             gint64         expected,
             const char    *prev_hash,
             const char   **out_why)
{
  gint64 seq = sqlite3_column_int64 (walk, 0);
  g_autofree char *hash = NULL;

#define COL(i) ((const char *) sqlite3_column_text (walk, (i)))
  if (seq != expected)
    {
      *out_why = _("does not follow the one before it");
      return NULL;
    }
  if (g_strcmp0 (COL (7), prev_hash) != 0)
    {
      *out_why = _("does not link to the one before it");
      return NULL;
    }
  hash = meso_seal_hash (seq, COL (1), COL (2), COL (3), COL (4),
                         sqlite3_column_int64 (walk, 5), COL (6), COL (7));
  if (g_strcmp0 (hash, COL (8)) != 0)
    {
      *out_why = _("does not match its content");
      return NULL;
    }
#undef COL
  return g_steal_pointer (&hash);
}

/* Fills the mac of each entry of the old, unkeyed chain, in order, as far as its links
 * and hashes hold: an entry edited before the upgrade stays unsealed, and `check` keeps
 * failing there. */
static gboolean
seal_old_entries (MesoSeal  *seal,
                  GError   **error)
{
  g_autoptr(sqlite3_stmt) walk = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *prev_hash = g_strdup (MESO_SEAL_GENESIS);
  g_autofree char *prev_mac = NULL;
  gint64 expected = 1;
  int rc;

  if (sqlite3_prepare_v2 (seal->db, "SELECT seq, at, actor, action, entity, entity_id,"
                          " payload, prev_hash, hash FROM audit_log ORDER BY seq", -1, &walk,
                          NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (seal->db, "UPDATE audit_log SET rows = '', mac = ?2"
                             " WHERE seq = ?1", -1, &update, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  while ((rc = sqlite3_step (walk)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (walk, 0);
      const char *why = NULL;
      g_autofree char *hash = prove_entry (walk, expected, prev_hash, &why);
      g_autofree char *mac = NULL;

      if (hash == NULL)
        {
          g_debug ("The audit log breaks at entry %" G_GINT64_FORMAT ": the entries from "
                   "there on are left unsealed", seq);
          break;
        }
      mac = meso_seal_compute_mac (seal->key, hash, "", prev_mac);
      sqlite3_bind_int64 (update, 1, seq);
      sqlite3_bind_text (update, 2, mac, -1, SQLITE_STATIC);
      if (sqlite3_step (update) != SQLITE_DONE)
        return fail_sql (seal, error);
      sqlite3_reset (update);
      expected++;
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      g_free (prev_mac);
      prev_mac = g_steal_pointer (&mac);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail_sql (seal, error);
  return TRUE;
}

/* Writes the rows of @table as they stand into 'seal' entries of at most SEAL_CHUNK rows. */
static gboolean
seal_table (MesoSeal    *seal,
            guint        table,
            const char  *at,
            const char  *user,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM \"%s\" ORDER BY rowid",
                                          meso_seal_tables[table].name);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  guint n = 0;
  int rc;

  if (sqlite3_prepare_v2 (seal->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  do
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW
          && !append_row_line (seal, rows, table, sqlite3_column_int64 (stmt, 0)))
        return fail_sql (seal, error);
      if (rc == SQLITE_ROW)
        n++;
      if (n > 0 && (n == SEAL_CHUNK || rc != SQLITE_ROW))
        {
          g_autoptr(GString) payload = g_string_new (NULL);
          g_autofree char *count = g_strdup_printf ("%u", n);

          meso_payload_append (payload, "table", meso_seal_tables[table].name);
          meso_payload_append (payload, "rows", count);
          if (!insert_entry (seal, at, user, "seal", "database", 0, payload->str, rows->str,
                             error))
            return FALSE;
          g_string_truncate (rows, 0);
          n = 0;
        }
    }
  while (rc == SQLITE_ROW);
  if (rc != SQLITE_DONE)
    return fail_sql (seal, error);
  return TRUE;
}

/**
 * meso_seal_upgrade:
 *
 * The code of schema step 9, inside its transaction: gives the database a chain id and
 * a new key, seals the old entries as far as they hold, then the record rows as they
 * stand, and puts back the log's guard against updates.
 */
gboolean
meso_seal_upgrade (MesoSeal    *seal,
                   const char  *user,
                   GError     **error)
{
  g_autofree char *chain_id = g_uuid_string_random ();
  g_autofree char *at = now_text ();
  g_autoptr(sqlite3_stmt) insert = NULL;

  if (sqlite3_prepare_v2 (seal->db, "INSERT INTO audit_chain (id, chain_id) VALUES (1, ?1)", -1,
                          &insert, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  sqlite3_bind_text (insert, 1, chain_id, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return fail_sql (seal, error);
  if (!create_key (chain_id, seal->key, error))
    return FALSE;
  g_clear_error (&seal->key_error);
  g_free (seal->chain_id);
  seal->chain_id = g_steal_pointer (&chain_id);
  seal->has_key = TRUE;

  meso_seal_begin (seal);
  if (!seal_old_entries (seal, error))
    return FALSE;
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    if (!seal_table (seal, i, at, user, error))
      return FALSE;
  if (sqlite3_exec (seal->db, MESO_SEAL_UPGRADE_TRIGGER, NULL, NULL, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  /* The rows sealed here were noted by nothing else. */
  g_array_set_size (seal->pending, 0);
  return TRUE;
}


/* ---- A log loaded from another database ---- */

/* Which rows @rows_text says exist after its entry: for each line, the row is there
 * (its values recorded) or gone ("-"); the last entry to name a row has the last word. */
static gboolean
note_recorded (GArray      *recorded[MESO_SEAL_N_TABLES],
               const char  *rows_text)
{
  for (const char *line = rows_text; line != NULL && *line != '\0'; )
    {
      const char *end = strchr (line, '\n');
      const char *tab1 = end != NULL ? memchr (line, '\t', (gsize) (end - line)) : NULL;
      const char *tab2 = tab1 != NULL ? memchr (tab1 + 1, '\t', (gsize) (end - tab1 - 1)) : NULL;
      g_autofree char *name = NULL;
      gint64 rowid;
      int table;

      if (tab2 == NULL)
        return FALSE;
      name = g_strndup (line, (gsize) (tab1 - line));
      table = meso_seal_find_table (name);
      rowid = g_ascii_strtoll (tab1 + 1, NULL, 10);
      if (table < 0 || rowid <= 0 || rowid > G_MAXINT32)
        return FALSE;
      if ((guint) rowid >= recorded[table]->len)
        g_array_set_size (recorded[table], (guint) rowid + 1);
      g_array_index (recorded[table], guint8, rowid) = !(end - tab2 == 2 && tab2[1] == '-');
      line = end + 1;
    }
  return TRUE;
}

/* The rows the triggers noted during the load, each once, against what the loaded log
 * records: the same rows, none more, none fewer. */
static gboolean
match_noted (MesoSeal    *seal,
             GArray      *recorded[MESO_SEAL_N_TABLES],
             GError     **error)
{
  gint64 noted_rows[MESO_SEAL_N_TABLES] = { 0 };
  GArray *pending = seal->pending;

  g_array_sort (pending, compare_noted);
  for (guint i = 0; i < pending->len; i++)
    {
      Noted *noted = &g_array_index (pending, Noted, i);
      GArray *states = recorded[noted->table];

      if (i > 0 && compare_noted (noted, &g_array_index (pending, Noted, i - 1)) == 0)
        continue;
      if (noted->rowid <= 0 || (guint64) noted->rowid >= states->len
          || g_array_index (states, guint8, noted->rowid) == 0)
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                       _("Database %s: %s row %lld was copied, but no entry of the copied "
                         "audit log records it"), seal->db_path,
                       meso_seal_tables[noted->table].name, (long long) noted->rowid);
          return FALSE;
        }
      noted_rows[noted->table]++;
    }
  for (guint table = 0; table < MESO_SEAL_N_TABLES; table++)
    {
      gint64 present = 0;

      for (guint rowid = 0; rowid < recorded[table]->len; rowid++)
        present += g_array_index (recorded[table], guint8, rowid);
      if (present != noted_rows[table])
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                       _("Database %s: the copied audit log records %lld rows of the %s "
                         "table, but %lld were copied"), seal->db_path, (long long) present,
                       meso_seal_tables[table].name, (long long) noted_rows[table]);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * meso_seal_adopt_log:
 * @seal: the seal of a connection whose open transaction loaded a dump: record rows
 *   (noted by the triggers, as any write's are) and then another database's audit
 *   entries, as they were, and that database's chain id (its key loaded)
 * @error: a #GError
 *
 * A write's rows are sealed by the entry it appends; a load appends no entry of its
 * own: its rows are those the loaded entries recorded when they were written. So the
 * rows the triggers noted must be exactly the rows the loaded log says exist, none
 * more (a row no entry seals) and none fewer; they are then taken as sealed, and the
 * last loaded entry becomes the head written after the commit. Nothing is resealed
 * and no mac is computed: whether each row holds what its entry sealed, and each entry
 * is the key's, stays the check's proof (meso_seal_verify()), as it was the source's.
 */
gboolean
meso_seal_adopt_log (MesoSeal  *seal,
                     GError   **error)
{
  GArray *recorded[MESO_SEAL_N_TABLES];
  g_autoptr(sqlite3_stmt) walk = NULL;
  g_autofree char *last_hash = NULL;
  g_autofree char *last_mac = NULL;
  gint64 last_seq = 0;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  if (sqlite3_prepare_v2 (seal->db, "SELECT seq, hash, mac, rows FROM audit_log ORDER BY seq",
                          -1, &walk, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    recorded[i] = g_array_new (FALSE, TRUE, sizeof (guint8));
  while (ok && (rc = sqlite3_step (walk)) == SQLITE_ROW)
    {
      last_seq = sqlite3_column_int64 (walk, 0);
      g_free (last_hash);
      last_hash = g_strdup ((const char *) sqlite3_column_text (walk, 1));
      g_free (last_mac);
      last_mac = g_strdup ((const char *) sqlite3_column_text (walk, 2));
      if (!note_recorded (recorded, (const char *) sqlite3_column_text (walk, 3)))
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                       _("Database %s: entry %lld of the copied audit log records a row it "
                         "cannot name"), seal->db_path, (long long) last_seq);
          ok = FALSE;
        }
    }
  if (ok && rc != SQLITE_DONE)
    ok = fail_sql (seal, error);
  ok = ok && match_noted (seal, recorded, error);
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    g_array_unref (recorded[i]);
  g_array_set_size (seal->pending, 0);
  if (ok && last_seq > 0)
    meso_seal_note_entry (seal, last_seq, last_hash, last_mac);
  return ok;
}


/* ---- A log copied from a clinic server: the copy's own seal ---- */

static gboolean
copied_entry_broken (sqlite3_stmt  *walk,
                     const char    *why,
                     GError       **error)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("entry %lld (%s, %s) of the copied audit log %s: the log has been altered"),
               (long long) sqlite3_column_int64 (walk, 0),
               (const char *) sqlite3_column_text (walk, 3),
               (const char *) sqlite3_column_text (walk, 1), why);
  return FALSE;
}

/* A chain of the copy's own: a new id and a new key, which seal its schema first. The
 * source's key is neither needed nor used: a server's own entries were never sealed
 * with it. */
static gboolean
start_own_chain (MesoSeal  *seal,
                 char     **out_chain_id,
                 GError   **error)
{
  g_autofree char *chain_id = g_uuid_string_random ();
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (seal->db, "UPDATE audit_chain SET chain_id = ?1 WHERE id = 1", -1,
                          &stmt, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  sqlite3_bind_text (stmt, 1, chain_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fail_sql (seal, error);
  if (sqlite3_changes (seal->db) != 1)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("Database %s has no sealed audit log"), seal->db_path);
      return FALSE;
    }
  if (!create_key (chain_id, seal->key, error))
    return FALSE;
  *out_chain_id = g_strdup (chain_id);
  g_clear_error (&seal->key_error);
  g_free (seal->chain_id);
  seal->chain_id = g_steal_pointer (&chain_id);
  seal->has_key = TRUE;
  return meso_seal_seal_schema (seal, error);
}

/* Each staged entry in order, proven as the server's check proves its chain (numbering,
 * link, hash), then written to the log with a mac under the copy's key.
 *
 * Each entry keeps the rows it recorded when it was written (a SQLite file's entries
 * copied to the server carry them; the server's own have none, and get '' as step 9
 * gave the old entries): `check` replays them, so the copy still says what each of
 * those writes changed, and a row such an entry records that the server no longer
 * holds is found ("recorded by entry N, is missing") rather than forgotten. The 'seal'
 * entries appended next record every row as it stands, the last word on each. */
static gboolean
reseal_entries (MesoSeal    *seal,
                const char  *staged,
                GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT seq, at, actor, action, entity, entity_id,"
                                          " payload, prev_hash, hash, rows"
                                          " FROM temp.\"%s\" ORDER BY seq", staged);
  g_autoptr(sqlite3_stmt) walk = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *prev_hash = g_strdup (MESO_SEAL_GENESIS);
  g_autofree char *prev_mac = NULL;
  gint64 expected = 1;
  int rc;

  if (sqlite3_prepare_v2 (seal->db, sql, -1, &walk, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (seal->db, "INSERT INTO audit_log (seq, at, actor, action, entity,"
                             " entity_id, payload, prev_hash, hash, rows, mac)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", -1,
                             &insert, NULL) != SQLITE_OK)
    return fail_sql (seal, error);
  while ((rc = sqlite3_step (walk)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (walk, 0);
      const char *rows = (const char *) sqlite3_column_text (walk, 9);
      const char *why = NULL;
      g_autofree char *hash = prove_entry (walk, expected, prev_hash, &why);
      g_autofree char *mac = NULL;

      if (hash == NULL)
        return copied_entry_broken (walk, why, error);
      if (rows == NULL)
        rows = "";
      mac = meso_seal_compute_mac (seal->key, hash, rows, prev_mac);
      for (int i = 0; i < 9; i++)
        sqlite3_bind_value (insert, i + 1, sqlite3_column_value (walk, i));
      sqlite3_bind_text (insert, 10, rows, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 11, mac, -1, SQLITE_STATIC);
      rc = sqlite3_step (insert);
      sqlite3_reset (insert);
      sqlite3_clear_bindings (insert);
      if (rc != SQLITE_DONE)
        return fail_sql (seal, error);
      meso_seal_note_entry (seal, seq, hash, mac);
      expected++;
      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      g_free (prev_mac);
      prev_mac = g_steal_pointer (&mac);
    }
  if (rc != SQLITE_DONE)
    return fail_sql (seal, error);
  return TRUE;
}

/**
 * meso_seal_reseal_log:
 * @seal: the seal of a connection whose open transaction loaded a dump's record rows,
 *   and its audit entries into the temporary table @staged (not yet into the log)
 * @staged: that table, with the audit log's columns
 * @user: who makes the copy, for the 'seal' entries
 * @out_chain_id: (out): the copy's new chain id, whose key was made (removed by the
 *   caller when the transaction does not commit)
 * @error: a #GError
 *
 * A log written on a clinic server holds entries without a mac: the server keeps the
 * plain chain only, so nothing vouches for those entries but their links and hashes,
 * and no key could prove their rows. A local copy's seal then starts at the copy, as
 * step 9 started the seal of the logs written before it (meso_seal_upgrade()): the
 * chain is proven link by link and hash by hash (a broken one is refused, naming the
 * entry), the copy gets a chain id and a key of its own (not the source's), every
 * entry is sealed in order under it, and the record rows as they stand are sealed by
 * 'seal' entries after them. `check` on the copy then proves that nothing changed since
 * the copy, and the copy's later writes go on from that chain.
 */
gboolean
meso_seal_reseal_log (MesoSeal    *seal,
                      const char  *staged,
                      const char  *user,
                      char       **out_chain_id,
                      GError     **error)
{
  g_autofree char *at = now_text ();

  *out_chain_id = NULL;
  if (!start_own_chain (seal, out_chain_id, error)
      || !reseal_entries (seal, staged, error))
    return FALSE;
  /* The rows noted as they were loaded are sealed here as they stand, each once. */
  g_array_set_size (seal->pending, 0);
  for (guint i = 0; i < MESO_SEAL_N_TABLES; i++)
    if (!seal_table (seal, i, at, user, error))
      return FALSE;
  g_array_set_size (seal->pending, 0);
  return TRUE;
}
