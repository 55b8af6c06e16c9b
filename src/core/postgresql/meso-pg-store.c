/* meso-pg-store.c: the store on a clinic's PostgreSQL server: the connection, its
 * outages, the schema, the write transactions, and the sessions
 *
 * Every workstation of a clinic connects to the same database. What SQLite's single
 * writer gives for free is made explicit here:
 *  - each writing transaction takes one transaction-level advisory lock before it reads
 *    the audit chain's head, so that concurrent writers append to the chain in order
 *    (and an amendment and a void of the same session see each other's result);
 *  - each writing transaction sends a NOTIFY on MESO_PG_CHANNEL in the same transaction:
 *    the other workstations, which LISTEN, see their data version move without asking
 *    the server (data_version only reads what already came over the socket);
 *  - a connection lost is MESO_ERROR_SERVER_UNREACHABLE: the server rolls back what was
 *    not committed, and the next call connects again by itself.
 * Values are always bound as parameters (PQexecParams), never written into the SQL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-lot.h"
#include "meso-patient.h"
#include "meso-pg-store-private.h"
#include "meso-session-private.h"
#include "meso-store-private.h"
#include "meso-text.h"
#include "sqlite/meso-sqlite-seal.h"

#define SQL_RESOURCE_DIR "/io/github/mesocare/Mesocare/core/sql/postgresql"
/* The one advisory lock of every writing transaction ("Meso" in ASCII). */
#define WRITE_LOCK_KEY   "1299477359"
#define MESO_PG_CHANNEL  "mesocare"
#define CONNECT_TIMEOUT  "10"
/* Statements prepared on one connection, at most: the lists' filters and sorts make a
 * few hundred texts at most; past this, the others run unprepared. */
#define MAX_PREPARED     500

/* The fields kept as columns of the sessions table, each as its canonical text (flags as
 * 0 or 1), and the SQL type a parameter of it is cast to. */
static const struct
{
  MesoField   field;
  const char *column;
  const char *type;
} session_columns[] = {
  { MESO_FIELD_INJECTIONS, "injections", "integer" },
  { MESO_FIELD_DURATION, "duration_minutes", "integer" },
  { MESO_FIELD_INDICATION, "indication", "text" },
  { MESO_FIELD_TECHNIQUE, "technique", "text" },
  { MESO_FIELD_PRODUCT, "product", "text" },
  { MESO_FIELD_LOT, "lot", "text" },
  { MESO_FIELD_EXPIRY, "lot_expiry", "text" },
  { MESO_FIELD_VOLUME, "volume_ml", "text" },
  { MESO_FIELD_SESSION_NUMBER, "session_number", "integer" },
  { MESO_FIELD_SERIES_TOTAL, "series_total", "integer" },
  { MESO_FIELD_NEXT_SESSION, "next_session", "text" },
  { MESO_FIELD_REACTIONS, "reactions", "text" },
  { MESO_FIELD_INSTRUCTIONS, "instructions", "text" },
  { MESO_FIELD_NOTES, "notes", "text" },
  { MESO_FIELD_BLOOD_THINNERS, "blood_thinners", "integer" },
  { MESO_FIELD_PREGNANT, "pregnant", "integer" },
  { MESO_FIELD_ALLERGIES, "allergies", "text" },
  { MESO_FIELD_PREGNANCY_OVERRIDE, "pregnancy_override", "integer" },
};

/* The columns of session_current beyond those of the sessions table. */
static const struct
{
  MesoField   field;
  const char *column;
} current_columns[] = {
  { MESO_FIELD_PATIENT, "patient_name" },
  { MESO_FIELD_PRACTITIONER, "practitioner" },
  { MESO_FIELD_AREAS, "areas" },
};

/* What a session row holds after its id and time, as in the SQLite engine. */
static const MesoField joined_fields[] = {
  MESO_FIELD_DATE_OF_BIRTH, MESO_FIELD_PHONE, MESO_FIELD_EMAIL, MESO_FIELD_LANGUAGE,
  MESO_FIELD_PATIENT_NOTES, MESO_FIELD_PRACTITIONER_ROLE, MESO_FIELD_PRACTITIONER_REGISTRATION,
};

#define FIRST_CURRENT_COLUMN (2 + (int) G_N_ELEMENTS (joined_fields))
#define FIRST_SESSION_COLUMN (FIRST_CURRENT_COLUMN + (int) G_N_ELEMENTS (current_columns))
#define STATUS_COLUMN        (FIRST_SESSION_COLUMN + (int) G_N_ELEMENTS (session_columns))
#define VOID_REASON_COLUMN   (STATUS_COLUMN + 1)
#define PATIENT_ID_COLUMN    (STATUS_COLUMN + 2)

/* The patient's details a session keeps as they were that day. */
static const struct
{
  const char *session_column;
  const char *patient_column;
} patient_details[] = {
  { "patient_date_of_birth", "date_of_birth" },
  { "patient_phone", "phone" },
  { "patient_email", "email" },
  { "patient_language", "language" },
  { "patient_notes", "notes" },
};

G_DEFINE_FINAL_TYPE (MesoPgStore, meso_pg_store, MESO_TYPE_STORE)

/* ---- Values ---- */

const char *
meso_pg_value (const PGresult *result,
               int             row,
               int             column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}

gint64
meso_pg_int64 (const PGresult *result,
               int             row,
               int             column)
{
  const char *text = meso_pg_value (result, row, column);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* The same text of the second as the SQLite engine writes. */
char *
meso_pg_store_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
int64_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* ---- Where the server is, said without the password ---- */

/**
 * meso_pg_store_is_location:
 * @location: a database location
 *
 * Returns: whether @location names a PostgreSQL server (a `postgresql://` or
 *   `postgres://` URI) rather than a SQLite file.
 */
gboolean
meso_pg_store_is_location (const char *location)
{
  return location != NULL
         && (g_str_has_prefix (location, "postgresql://")
             || g_str_has_prefix (location, "postgres://"));
}

static const char *
conninfo_value (PQconninfoOption *options,
                const char       *keyword)
{
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, keyword))
      return o->val;
  return NULL;
}

/* The server as people name it: its host, or the folder of its socket. */
static char *
describe_host (PQconninfoOption *options)
{
  const char *host = conninfo_value (options, "host");
  const char *hostaddr = conninfo_value (options, "hostaddr");

  if (host != NULL && *host != '\0')
    return g_strdup (host);
  if (hostaddr != NULL && *hostaddr != '\0')
    return g_strdup (hostaddr);
  return g_strdup ("localhost");
}

/**
 * meso_pg_store_describe:
 * @uri: a `postgresql://` URI
 *
 * Returns: (transfer full): the server, port, database and user @uri names, for
 *   messages: never its password.
 */
char *
meso_pg_store_describe (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  g_autofree char *host = NULL;
  const char *port, *dbname, *user;
  char *text;

  if (options == NULL)
    return g_strdup (_("a clinic server (its address cannot be read)"));
  host = describe_host (options);
  port = conninfo_value (options, "port");
  dbname = conninfo_value (options, "dbname");
  user = conninfo_value (options, "user");
  /* TRANSLATORS: a PostgreSQL server: "host db.clinic.lan, port 5432, database mesocare,
   * user desk" */
  text = g_strdup_printf (_("host %s, port %s, database %s, user %s"), host,
                          port != NULL && *port != '\0' ? port : "5432",
                          dbname != NULL && *dbname != '\0' ? dbname : "?",
                          user != NULL && *user != '\0' ? user : g_get_user_name ());
  PQconninfoFree (options);
  return text;
}

/* @uri with any password taken out: what MesoStore:path holds, which callers print. */
static char *
strip_password (const char *uri)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  const char *rest = strstr (uri, "://");
  const char *at, *colon, *query;

  if (rest == NULL)
    return g_strdup (uri);
  rest += 3;
  g_string_append_len (clean, uri, rest - uri);
  at = strpbrk (rest, "@/?");
  if (at != NULL && *at == '@')
    {
      colon = memchr (rest, ':', at - rest);
      g_string_append_len (clean, rest, (colon != NULL ? colon : at) - rest);
      rest = at;
    }
  query = strchr (rest, '?');
  if (query == NULL)
    {
      g_string_append (clean, rest);
      return g_string_free (g_steal_pointer (&clean), FALSE);
    }
  g_string_append_len (clean, rest, query - rest + 1);
  {
    g_auto(GStrv) pairs = g_strsplit (query + 1, "&", -1);
    gboolean first = TRUE;

    for (guint i = 0; pairs[i] != NULL; i++)
      {
        if (g_str_has_prefix (pairs[i], "password="))
          continue;
        g_string_append_printf (clean, "%s%s", first ? "" : "&", pairs[i]);
        first = FALSE;
      }
  }
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* ---- Failures ---- */

static gboolean
set_unreachable (MesoPgStore  *self,
                 const char   *why,
                 GError      **error)
{
  g_autofree char *first_line = g_strdup (why != NULL && *why != '\0' ? why : "?");
  g_autofree char *clean = NULL;
  char *end = strchr (first_line, '\n');

  const char *why_text;

  if (end != NULL)
    *end = '\0';
  why_text = g_strstrip (first_line);
  /* The server's severity is no news to a receptionist. */
  if (g_str_has_prefix (why_text, "FATAL:"))
    why_text = g_strchug ((char *) why_text + strlen ("FATAL:"));
  clean = meso_error_clean_text (why_text);
  g_debug ("The clinic server (%s) cannot be reached: %s", self->label, clean);
  g_set_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE,
               _("The clinic server at %s cannot be reached: %s. Nothing was changed; try "
                 "again when it is back."), self->host, clean);
  return FALSE;
}

/* What the server said when it answered and refused (FATAL), unless that is a passing
 * state of its own (starting, stopping, full): a role or database that does not exist,
 * a password refused, a pg_hba.conf rule. Trying again will not help: the address, the
 * user or the password are to be corrected. */
static gboolean
server_refused (const char *why)
{
  static const char * const passing[] = { "starting up", "shutting down", "recovery mode",
                                          "too many clients", "not yet accepting" };

  if (why == NULL || strstr (why, "FATAL:") == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (passing); i++)
    if (strstr (why, passing[i]) != NULL)
      return FALSE;
  return TRUE;
}

/* A connection that could not be made: refused by the server, or no server answered. */
static gboolean
set_connect_failed (MesoPgStore  *self,
                    GError      **error)
{
  const char *why = PQerrorMessage (self->conn);
  g_autofree char *first_line = NULL;
  g_autofree char *clean = NULL;
  const char *fatal;
  char *end;

  if (PQconnectionNeedsPassword (self->conn))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
                   _("The clinic server at %s asks for a password, and none was found for "
                     "this user in the password file (~/.pgpass; the app's preferences "
                     "write it)"),
                   self->host);
      return FALSE;
    }
  if (!server_refused (why))
    return set_unreachable (self, why, error);
  fatal = strstr (why, "FATAL:") + strlen ("FATAL:");
  first_line = g_strdup (fatal);
  end = strchr (first_line, '\n');
  if (end != NULL)
    *end = '\0';
  clean = meso_error_clean_text (g_strstrip (first_line));
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("The clinic server at %s refused the connection: %s. Check the database, "
                 "the user and the password given for it."), self->host, clean);
  return FALSE;
}

static gboolean
connection_lost (MesoPgStore    *self,
                 const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  if (PQstatus (self->conn) != CONNECTION_OK)
    return TRUE;
  /* Class 08: connection exceptions; 57P01-57P03: the server shutting down or starting. */
  return state != NULL && (g_str_has_prefix (state, "08") || g_str_equal (state, "57P01")
                           || g_str_equal (state, "57P02") || g_str_equal (state, "57P03"));
}

static gboolean
fail_result (MesoPgStore     *self,
             const PGresult  *result,
             const char      *what,
             GError         **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY)
                                       : NULL;
  g_autofree char *clean = NULL;

  if (connection_lost (self, result))
    return set_unreachable (self, PQerrorMessage (self->conn), error);
  clean = meso_error_clean_text (primary != NULL ? primary : PQerrorMessage (self->conn));
  g_debug ("%s failed (%s): %s", what, state != NULL ? state : "-", clean);
  if (state != NULL && (g_str_equal (state, "40001") || g_str_equal (state, "40P01")))
    g_set_error (error, MESO_ERROR, MESO_ERROR_CONFLICT,
                 _("Database %s: another workstation wrote at the same time: nothing was "
                   "saved; try again (%s)"), self->label, clean);
  else
    g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE, _("Database %s: %s"), self->label,
                 clean);
  return FALSE;
}

/* ---- The connection ---- */

/* The statements prepared on a connection that went (or was told to forget them). */
static void
forget_prepared (MesoPgStore *self)
{
  g_mutex_lock (&self->prepared_lock);
  g_hash_table_remove_all (self->prepared);
  g_mutex_unlock (&self->prepared_lock);
}

static gboolean
listen_for_writers (MesoPgStore  *self,
                    GError      **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, "LISTEN " MESO_PG_CHANNEL);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    return fail_result (self, result, "LISTEN", error);
  return TRUE;
}

static void
ignore_notice (void       *data,
               const char *message)
{
}

/* The URI's own connect_timeout wins over ours: it is processed after it. */
static gboolean
connect_server (MesoPgStore  *self,
                GError      **error)
{
  const char * const keywords[] = { "connect_timeout", "fallback_application_name", "dbname",
                                    NULL };
  const char * const values[] = { CONNECT_TIMEOUT, "mesocare", self->uri, NULL };

  g_clear_pointer (&self->conn, PQfinish);
  forget_prepared (self);
  self->conn = PQconnectdbParams (keywords, values, 1);
  if (self->conn == NULL)
    return set_unreachable (self, "out of memory", error);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return set_connect_failed (self, error);
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  return listen_for_writers (self, error);
}

/* A connection lost (the server restarted, the network cut) is made again before the
 * next call; the writes of other workstations meanwhile were not heard, so the data
 * version moves as if one was. */
static gboolean
ensure_connected (MesoPgStore  *self,
                  GError      **error)
{
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  g_debug ("Connecting again to the clinic server (%s)", self->label);
  self->in_transaction = FALSE;
  self->head_known = FALSE;
  if (self->conn == NULL)
    return connect_server (self, error);
  /* The statements prepared on the lost connection went with it. */
  forget_prepared (self);
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return set_connect_failed (self, error);
  self->version++;
  return listen_for_writers (self, error);
}

/* Runs @sql as the statement prepared for it on this connection, preparing it on its
 * first call: the server then parses and plans it once, not on every call (a page of
 * History planned again each time cost more than running it). A statement the server
 * cannot prepare gives the same error as running it would. */
static PGresult *
exec_prepared (MesoPgStore         *self,
               const char          *sql,
               int                  n_params,
               const char * const  *params)
{
  g_autofree char *name = NULL;
  gboolean known;
  PGresult *prepared;

  g_mutex_lock (&self->prepared_lock);
  name = g_strdup (g_hash_table_lookup (self->prepared, sql));
  known = name != NULL;
  if (!known && g_hash_table_size (self->prepared) < MAX_PREPARED)
    name = g_strdup_printf ("meso_%u", self->next_prepared++);
  g_mutex_unlock (&self->prepared_lock);

  if (name == NULL)
    return PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (!known)
    {
      prepared = PQprepare (self->conn, name, sql, n_params, NULL);
      if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
        return prepared;
      PQclear (prepared);
      g_mutex_lock (&self->prepared_lock);
      g_hash_table_insert (self->prepared, g_strdup (sql), g_strdup (name));
      g_mutex_unlock (&self->prepared_lock);
    }
  return PQexecPrepared (self->conn, name, n_params, params, NULL, NULL, 0);
}

/* The server no longer knows a statement this connection prepared (a DISCARD ALL, a
 * pooler between): all are prepared again as they come. */
static gboolean
forgot_prepared (MesoPgStore    *self,
                 const PGresult *result)
{
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);

  if (state == NULL || !g_str_equal (state, "26000"))
    return FALSE;
  forget_prepared (self);
  return TRUE;
}

/* Runs one statement. Outside a transaction, a connection found lost is made again and
 * the statement tried once more: nothing was half-done, and the server may be back. */
PGresult *
meso_pg_store_exec (MesoPgStore         *self,
                    const char          *sql,
                    int                  n_params,
                    const char * const  *params,
                    GError             **error)
{
  PGresult *result;
  ExecStatusType status;

  if (!ensure_connected (self, error))
    return NULL;
  for (guint attempt = 0; ; attempt++)
    {
      result = exec_prepared (self, sql, n_params, params);
      status = PQresultStatus (result);
      if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return result;
      if (attempt == 0 && !self->in_transaction && forgot_prepared (self, result))
        {
          PQclear (result);
          continue;
        }
      if (attempt == 0 && !self->in_transaction && connection_lost (self, result))
        {
          PQclear (result);
          if (!ensure_connected (self, error))
            return NULL;
          continue;
        }
      fail_result (self, result, sql, error);
      PQclear (result);
      return NULL;
    }
}

gboolean
meso_pg_store_run (MesoPgStore         *self,
                   const char          *sql,
                   int                  n_params,
                   const char * const  *params,
                   GError             **error)
{
  g_autoptr(PGresult) result = meso_pg_store_exec (self, sql, n_params, params, error);

  return result != NULL;
}

gboolean
meso_pg_store_query_int64 (MesoPgStore         *self,
                           const char          *sql,
                           int                  n_params,
                           const char * const  *params,
                           gint64              *out_value,
                           GError             **error)
{
  g_autoptr(PGresult) result = meso_pg_store_exec (self, sql, n_params, params, error);

  if (result == NULL)
    return FALSE;
  *out_value = PQntuples (result) > 0 ? meso_pg_int64 (result, 0, 0) : 0;
  return TRUE;
}

/* ---- The schema ---- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The steps, sorted by name; a step's number is the number its name begins with, the
 * same as the SQLite step that brings the same schema. */
static GStrv
list_schema_steps (void)
{
  g_auto(GStrv) names = g_resources_enumerate_children (SQL_RESOURCE_DIR,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  if (names == NULL)
    return g_new0 (char *, 1);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return g_steal_pointer (&names);
}

static int
step_number (const char *name)
{
  return (int) g_ascii_strtoll (name, NULL, 10);
}

static int
latest_schema_version (void)
{
  g_auto(GStrv) steps = list_schema_steps ();
  guint n = g_strv_length (steps);

  return n > 0 ? step_number (steps[n - 1]) : 0;
}

/* 0 for a database with no schema of ours yet. */
static gboolean
read_schema_version (MesoPgStore  *self,
                     int          *out_version,
                     GError      **error)
{
  g_autoptr(PGresult) exists = meso_pg_store_exec (self, "SELECT to_regclass ('meso_schema')"
                                                   " IS NOT NULL", 0, NULL, error);
  gint64 version = 0;

  if (exists == NULL)
    return FALSE;
  if (g_strcmp0 (meso_pg_value (exists, 0, 0), "t") == 0
      && !meso_pg_store_query_int64 (self, "SELECT version FROM meso_schema WHERE id = 1", 0,
                                     NULL, &version, error))
    return FALSE;
  *out_version = (int) version;
  return TRUE;
}

static gboolean
run_script (MesoPgStore  *self,
            const char   *sql,
            GError      **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    return fail_result (self, result, "schema step", error);
  return TRUE;
}

/* Still inside the transaction while it commits: a connection lost now is never
 * retried on a new one, where COMMIT would answer with a mere warning that there was
 * nothing to commit. It leaves it unknown whether the server committed: said as
 * unreachable all the same; the chain and the records are whole either way. */
static gboolean
commit (MesoPgStore  *self,
        GError      **error)
{
  gboolean ok = meso_pg_store_run (self, "COMMIT", 0, NULL, error);

  self->in_transaction = FALSE;
  self->head_known = FALSE;
  return ok;
}

/* One step in one transaction, under the write lock: two workstations starting at once
 * apply it once. */
static gboolean
apply_schema_step (MesoPgStore  *self,
                   const char   *name,
                   GError      **error)
{
  g_autofree char *resource = g_build_path ("/", SQL_RESOURCE_DIR, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                     error);
  g_autofree char *sql = NULL;
  g_autofree char *number = g_strdup_printf ("%d", step_number (name));
  const char *params[] = { number };
  int current = 0;

  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (!meso_pg_store_run (self, "BEGIN", 0, NULL, error))
    return FALSE;
  self->in_transaction = TRUE;
  if (!meso_pg_store_run (self, "SELECT pg_advisory_xact_lock (" WRITE_LOCK_KEY ")", 0, NULL,
                          error)
      || !read_schema_version (self, &current, error))
    goto failed;
  if (current < step_number (name)
      && (!run_script (self, sql, error)
          || !meso_pg_store_run (self, "INSERT INTO meso_schema (id, version) VALUES (1, $1)"
                                 " ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                                 1, params, error)))
    goto failed;
  return commit (self, error);

failed:
  if (PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "ROLLBACK"));
  self->in_transaction = FALSE;
  g_prefix_error (error, _("Schema step %s: "), name);
  return FALSE;
}

static gboolean
migrate (MesoPgStore  *self,
         GError      **error)
{
  g_auto(GStrv) steps = list_schema_steps ();
  int latest = latest_schema_version ();
  int current = 0;

  if (!read_schema_version (self, &current, error))
    return FALSE;
  if (current > latest)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_NEW,
                   _("Database %s was written by a newer version of Mesocare (schema %d; "
                     "this version knows up to %d). It has not been changed."),
                   self->label, current, latest);
      return FALSE;
    }
  if (self->read_only && current < latest)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE_TOO_OLD,
                   _("Database %s has the layout of an older version of Mesocare (schema %d; "
                     "this command reads schema %d): open it once for writing (start "
                     "Mesocare, or run “mesocare-cli upgrade”) to bring it up to date. It "
                     "has not been changed."), self->label, current, latest);
      return FALSE;
    }
  for (guint i = 0; steps[i] != NULL; i++)
    if (step_number (steps[i]) > current && !apply_schema_step (self, steps[i], error))
      return FALSE;
  self->schema_version = latest;
  return TRUE;
}

/* ---- The object ---- */

static void
meso_pg_store_finalize (GObject *object)
{
  MesoPgStore *self = MESO_PG_STORE (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->head_hash, g_free);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  g_mutex_clear (&self->prepared_lock);

  G_OBJECT_CLASS (meso_pg_store_parent_class)->finalize (object);
}

static void install_methods (MesoStoreClass *store_class);

static void
meso_pg_store_class_init (MesoPgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_pg_store_finalize;
  install_methods (MESO_STORE_CLASS (klass));
}

static void
meso_pg_store_init (MesoPgStore *self)
{
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&self->prepared_lock);
}

/**
 * meso_pg_store_open:
 * @uri: a `postgresql://` URI; its parameters (sslmode, sslrootcert, sslcert, sslkey,
 *   passfile, connect_timeout...) go to libpq as they are
 * @read_only: whether the store only reads (no schema step applied, every write refused)
 * @error: a #GError: %MESO_ERROR_SERVER_UNREACHABLE when the server cannot be reached
 *
 * Returns: (transfer full): the store, its schema up to date.
 */
MesoStore *
meso_pg_store_open (const char  *uri,
                    gboolean     read_only,
                    GError     **error)
{
  g_autoptr(MesoPgStore) self = NULL;
  g_autofree char *shown = NULL;
  PQconninfoOption *options;

  g_return_val_if_fail (uri != NULL, NULL);

  shown = strip_password (uri);
  self = g_object_new (MESO_TYPE_PG_STORE, "path", shown, NULL);
  self->uri = g_strdup (uri);
  self->label = meso_pg_store_describe (uri);
  options = PQconninfoParse (uri, NULL);
  self->host = options != NULL ? describe_host (options) : g_strdup ("?");
  if (options != NULL)
    PQconninfoFree (options);
  self->read_only = read_only;
  if (!connect_server (self, error) || !migrate (self, error))
    return NULL;
  return MESO_STORE (g_steal_pointer (&self));
}

static gboolean
pg_reopen (MesoStore  *store,
           GError    **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);

  g_return_val_if_fail (!self->in_bulk, FALSE);
  self->in_transaction = FALSE;
  return connect_server (self, error) && migrate (self, error);
}

static int
pg_get_schema_version (MesoStore *store)
{
  return MESO_PG_STORE (store)->schema_version;
}

/* ---- Write transactions ---- */

static void
rollback (MesoPgStore *self)
{
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    PQclear (PQexec (self->conn, "ROLLBACK"));
  self->in_transaction = FALSE;
  self->head_known = FALSE;
}

/* Said once per wait, when it begins, as the SQLite engine says it: with
 * G_MESSAGES_DEBUG=meso-store a save that took long shows that another workstation held
 * the lock, and tests see a writer reach it. */
static gboolean
take_write_lock (MesoPgStore  *self,
                 GError      **error)
{
  g_autoptr(PGresult) tried = meso_pg_store_exec (self, "SELECT pg_try_advisory_xact_lock ("
                                                  WRITE_LOCK_KEY ")", 0, NULL, error);

  if (tried == NULL)
    return FALSE;
  if (g_strcmp0 (meso_pg_value (tried, 0, 0), "t") == 0)
    return TRUE;
  g_debug ("%s is locked by another writer: waiting for it", self->label);
  return meso_pg_store_run (self, "SELECT pg_advisory_xact_lock (" WRITE_LOCK_KEY ")", 0, NULL,
                            error);
}

/* BEGIN, the write lock (every writer of the clinic waits for it), then @func, the
 * notification to the other workstations, COMMIT: all of it on the server when this
 * returns TRUE, or none of it. A connection lost before anything was written is made
 * again and the transaction started over, once. */
static gboolean
begin_write (MesoPgStore  *self,
             GError      **error)
{
  if (!meso_pg_store_run (self, "BEGIN", 0, NULL, error))
    return FALSE;
  self->in_transaction = TRUE;
  self->head_known = FALSE;
  if (!take_write_lock (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
refuse_failed_bulk (MesoPgStore  *self,
                    GError      **error)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Database %s: a write failed; nothing was saved"), self->label);
  return FALSE;
}

/* A write inside a bulk joins its transaction; once one failed, the bulk is undone
 * whatever its work says, and the writes after it are refused. */
static gboolean
join_bulk (MesoPgStore           *self,
           MesoPgStoreWriteFunc   func,
           gpointer               data,
           GError               **error)
{
  if (self->bulk_failed)
    return refuse_failed_bulk (self, error);
  if (!func (self, data, error))
    {
      self->bulk_failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

gboolean
meso_pg_store_write_transaction (MesoPgStore           *self,
                                 MesoPgStoreWriteFunc   func,
                                 gpointer               data,
                                 GError               **error)
{
  if (meso_store_get_writes_held (MESO_STORE (self)))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_WRITES_HELD,
                   _("The database is still being checked: nothing was saved. Try again "
                     "in a moment."));
      return FALSE;
    }
  if (self->read_only)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Database %s is open for reading only: nothing was saved"), self->label);
      return FALSE;
    }
  if (self->in_bulk)
    return join_bulk (self, func, data, error);
  if (!begin_write (self, error))
    return FALSE;
  if (!func (self, data, error)
      || !meso_pg_store_run (self, "SELECT pg_notify ('" MESO_PG_CHANNEL "', '')", 0, NULL,
                             error))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

typedef struct
{
  MesoStoreBulkFunc func;
  gpointer          user_data;
} BulkData;

static gboolean
run_bulk (MesoPgStore  *self,
          gpointer      user_data,
          GError      **error)
{
  BulkData *data = user_data;
  gboolean ok;

  self->in_bulk = TRUE;
  self->bulk_failed = FALSE;
  ok = data->func (MESO_STORE (self), data->user_data, error);
  self->in_bulk = FALSE;
  if (ok && self->bulk_failed)
    return refuse_failed_bulk (self, error);
  return ok;
}

/* One transaction for all of it: the server needs nothing set aside. */
static gboolean
pg_write_bulk (MesoStore          *store,
               MesoStoreBulkFunc   func,
               gpointer            user_data,
               GError            **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  BulkData data = { func, user_data };

  g_return_val_if_fail (!self->in_bulk, FALSE);
  return meso_pg_store_write_transaction (self, run_bulk, &data, error);
}

/* ---- The audit chain ---- */

static gboolean
read_head (MesoPgStore  *self,
           GError      **error)
{
  g_autoptr(PGresult) result = NULL;

  if (self->head_known)
    return TRUE;
  result = meso_pg_store_exec (self, "SELECT seq, hash FROM audit_log ORDER BY seq DESC"
                               " LIMIT 1", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  g_free (self->head_hash);
  if (PQntuples (result) == 0)
    {
      self->head_seq = 0;
      self->head_hash = g_strdup (MESO_SEAL_GENESIS);
    }
  else
    {
      self->head_seq = meso_pg_int64 (result, 0, 0);
      self->head_hash = g_strdup (meso_pg_value (result, 0, 1));
    }
  self->head_known = TRUE;
  return TRUE;
}

/* Appends an entry chained to the last, hashed exactly as the SQLite engine hashes it
 * (meso_seal_hash): the write lock is held, so no other writer reads the same head. An
 * entry that wrote no rows (@no_rows: an event) is also sealed as SQLite seals it when
 * the chain came from a sealed database (meso_pg_store_seal_event()); the others are
 * not sealed here yet (see meso-pg-store-audit.c). */
static gboolean
append_entry (MesoPgStore  *self,
              const char   *action,
              const char   *entity,
              gint64        entity_id,
              const char   *payload,
              gboolean      no_rows,
              GError      **error)
{
  g_autofree char *at = meso_pg_store_now ();
  const char *user = meso_store_get_user (MESO_STORE (self));
  g_autofree char *seq = NULL;
  g_autofree char *id = int64_text (entity_id);
  g_autofree char *hash = NULL;
  g_autofree char *mac = NULL;
  const char *params[11];

  if (!read_head (self, error))
    return FALSE;
  hash = meso_seal_hash (self->head_seq + 1, at, user, action, entity, entity_id, payload,
                         self->head_hash);
  if (no_rows && !meso_pg_store_seal_event (self, hash, &mac, error))
    return FALSE;
  seq = int64_text (self->head_seq + 1);
  params[0] = seq, params[1] = at, params[2] = user, params[3] = action, params[4] = entity;
  params[5] = id, params[6] = payload, params[7] = self->head_hash, params[8] = hash;
  params[9] = mac != NULL ? "" : NULL, params[10] = mac;
  if (!meso_pg_store_run (self, "INSERT INTO audit_log (seq, at, actor, action, entity,"
                          " entity_id, payload, prev_hash, hash, rows, mac)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", 11, params,
                          error))
    return FALSE;
  self->head_seq++;
  g_free (self->head_hash);
  self->head_hash = g_steal_pointer (&hash);
  return TRUE;
}

gboolean
meso_pg_store_append_audit (MesoPgStore  *self,
                            const char   *action,
                            const char   *entity,
                            gint64        entity_id,
                            const char   *payload,
                            GError      **error)
{
  return append_entry (self, action, entity, entity_id, payload, FALSE, error);
}

/* ---- Sessions ---- */

/* A session's field as a parameter: flags 1 or 0, an empty text NULL. */
static char *
field_param (MesoSession *session,
             MesoField    field)
{
  g_autofree char *text = meso_session_get_field_text (session, field);

  if (meso_field_is_flag (field))
    return g_strdup (g_str_equal (text, "yes") ? "1" : "0");
  if (*text == '\0')
    return NULL;
  return g_steal_pointer (&text);
}

/* Parameters that free themselves: each slot owns its text (or NULL). */
typedef struct
{
  char *values[48];
  int   n;
} Params;

static void
params_clear (Params *params)
{
  for (int i = 0; i < params->n; i++)
    g_free (params->values[i]);
  params->n = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Params, params_clear)

static void
params_take (Params *params,
             char   *value)
{
  g_assert (params->n < (int) G_N_ELEMENTS (params->values));
  params->values[params->n++] = value;
}

static void
params_add (Params     *params,
            const char *value)
{
  params_take (params, g_strdup (value));
}

static gboolean
params_run (MesoPgStore  *self,
            const char   *sql,
            Params       *params,
            PGresult    **out_result,
            GError      **error)
{
  PGresult *result = meso_pg_store_exec (self, sql, params->n,
                                         (const char * const *) params->values, error);

  if (result == NULL)
    return FALSE;
  if (out_result != NULL)
    *out_result = result;
  else
    PQclear (result);
  return TRUE;
}

/* A patient is the same person when the name and the date of birth match; contact
 * details given again replace the old ones, those not given stay. Found, updated or
 * inserted in one statement: one round trip. */
static gboolean
find_or_insert_patient (MesoPgStore  *self,
                        MesoSession  *session,
                        const char   *now,
                        gint64       *out_id,
                        GError      **error)
{
  g_auto(Params) params = { 0 };
  g_autoptr(PGresult) result = NULL;

  params_take (&params, field_param (session, MESO_FIELD_PATIENT));
  params_take (&params, field_param (session, MESO_FIELD_DATE_OF_BIRTH));
  params_take (&params, field_param (session, MESO_FIELD_PHONE));
  params_take (&params, field_param (session, MESO_FIELD_EMAIL));
  params_take (&params, field_param (session, MESO_FIELD_LANGUAGE));
  params_take (&params, field_param (session, MESO_FIELD_PATIENT_NOTES));
  params_add (&params, now);
  params_take (&params, meso_text_fold (meso_session_get_patient_name (session)));
  if (!params_run (self, "WITH f AS (SELECT id FROM patients WHERE full_name = $1::text"
                   "  AND date_of_birth IS NOT DISTINCT FROM $2::text ORDER BY id LIMIT 1),"
                   " u AS (UPDATE patients SET phone = coalesce ($3::text, phone),"
                   "  email = coalesce ($4::text, email), language = coalesce ($5::text, language),"
                   "  notes = coalesce ($6::text, notes) WHERE id = (SELECT id FROM f)"
                   "  RETURNING id),"
                   " i AS (INSERT INTO patients (full_name, date_of_birth, phone, email, language,"
                   "  notes, created_at, name_key) SELECT $1::text, $2::text, $3::text, $4::text,"
                   "  coalesce ($5::text, 'en'), $6::text, $7::text, $8::text"
                   "  WHERE NOT EXISTS (SELECT 1 FROM f) RETURNING id)"
                   " SELECT id FROM u UNION ALL SELECT id FROM i", &params, &result, error))
    return FALSE;
  if (PQntuples (result) != 1)
    return fail_result (self, NULL, "find or insert patient", error);
  *out_id = meso_pg_int64 (result, 0, 0);
  return TRUE;
}

/* 0 in *out_id when the session names no practitioner; a role or number given again
 * replaces the old one, one not given stays. One round trip, as for the patient. */
static gboolean
find_or_insert_practitioner (MesoPgStore  *self,
                             MesoSession  *session,
                             const char   *now,
                             gint64       *out_id,
                             GError      **error)
{
  const char *name = meso_session_get_practitioner (session);
  g_auto(Params) params = { 0 };
  g_autoptr(PGresult) result = NULL;

  *out_id = 0;
  if (name == NULL)
    return TRUE;
  params_add (&params, name);
  params_take (&params, field_param (session, MESO_FIELD_PRACTITIONER_ROLE));
  params_take (&params, field_param (session, MESO_FIELD_PRACTITIONER_REGISTRATION));
  params_add (&params, now);
  if (!params_run (self, "WITH f AS (SELECT id FROM practitioners WHERE name = $1::text),"
                   " u AS (UPDATE practitioners SET role = coalesce ($2::text, role),"
                   "  registration = coalesce ($3::text, registration)"
                   "  WHERE id = (SELECT id FROM f) RETURNING id),"
                   " i AS (INSERT INTO practitioners (name, created_at, role, registration)"
                   "  SELECT $1::text, $4::text, $2::text, $3::text"
                   "  WHERE NOT EXISTS (SELECT 1 FROM f) RETURNING id)"
                   " SELECT id FROM u UNION ALL SELECT id FROM i", &params, &result, error))
    return FALSE;
  if (PQntuples (result) != 1)
    return fail_result (self, NULL, "find or insert practitioner", error);
  *out_id = meso_pg_int64 (result, 0, 0);
  return TRUE;
}

/* The values of a session for the audit log, one "field=value" a line. */
static char *
session_payload (MesoSession *session)
{
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *id = int64_text (meso_session_get_id (session));

  meso_payload_append (payload, "id", id);
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = meso_session_get_field_text (session, field);

      if (*text != '\0')
        meso_payload_append (payload, meso_field_get_id (field), text);
    }
  return g_string_free (g_steal_pointer (&payload), FALSE);
}

/* Writes a session's current values whole: a new row for a new session, the same row
 * over again for an amendment. */
static char *
build_put_current_sql (void)
{
  GString *sql = g_string_new ("INSERT INTO session_current (session_id, performed_at,"
                               " patient_id, patient_key, status");
  GString *update = g_string_new (" ON CONFLICT (session_id) DO UPDATE SET"
                                  " performed_at = excluded.performed_at,"
                                  " patient_key = excluded.patient_key,"
                                  " status = excluded.status");
  guint n = 5;

  for (guint i = 0; i < G_N_ELEMENTS (current_columns) + G_N_ELEMENTS (session_columns); i++)
    {
      const char *column = i < G_N_ELEMENTS (current_columns)
                           ? current_columns[i].column
                           : session_columns[i - G_N_ELEMENTS (current_columns)].column;

      g_string_append_printf (sql, ", %s", column);
      g_string_append_printf (update, ", %s = excluded.%s", column, column);
      n++;
    }
  g_string_append (sql, ") VALUES ($1");
  for (guint i = 2; i <= n; i++)
    g_string_append_printf (sql, ", $%u", i);
  g_string_append (sql, ")");
  g_string_append (sql, update->str);
  g_string_free (update, TRUE);
  return g_string_free (sql, FALSE);
}

static gboolean
put_current (MesoPgStore  *self,
             MesoSession  *session,
             gint64        patient_id,
             const char   *status,
             GError      **error)
{
  static char *sql = NULL;
  g_autoptr(GDateTime) utc = g_date_time_to_utc (meso_session_get_performed_at (session));
  g_auto(Params) params = { 0 };

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, build_put_current_sql ());
  params_take (&params, int64_text (meso_session_get_id (session)));
  params_take (&params, g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ"));
  params_take (&params, int64_text (patient_id));
  params_take (&params, meso_text_fold (meso_session_get_patient_name (session)));
  params_add (&params, status);
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    params_take (&params, field_param (session, current_columns[i].field));
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    params_take (&params, field_param (session, session_columns[i].field));
  return params_run (self, sql, &params, NULL, error);
}

/* One statement, one round trip to the server, for the session's row, its areas and its
 * current values. The patient's details are copied from the patients row as this very
 * session left it: what its sheet prints, whatever a later session changes there.
 * $1 the patient, $2 the practitioner, $3 the time, $4 now, $5 the user, then the
 * session's columns, then the patient's search key, name, the practitioner's name, the
 * areas as text and as an array. */
static char *
build_insert_session_sql (void)
{
  GString *sql = g_string_new ("WITH s AS (INSERT INTO sessions (patient_id, practitioner_id,"
                               " performed_at, created_at, created_by");
  guint key = 6 + G_N_ELEMENTS (session_columns);

  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", %s", session_columns[i].column);
  for (guint i = 0; i < G_N_ELEMENTS (patient_details); i++)
    g_string_append_printf (sql, ", %s", patient_details[i].session_column);
  g_string_append (sql, ") SELECT $1::bigint, $2::bigint, $3::text, $4::text, $5::text");
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", $%u::%s", 6 + i, session_columns[i].type);
  for (guint i = 0; i < G_N_ELEMENTS (patient_details); i++)
    g_string_append_printf (sql, ", p.%s", patient_details[i].patient_column);
  g_string_append (sql, " FROM patients p WHERE p.id = $1::bigint RETURNING id),");
  g_string_append_printf (sql, " a AS (INSERT INTO session_areas (session_id, area)"
                          " SELECT s.id, x FROM s, unnest ($%u::text[]) AS x),", key + 4);
  g_string_append (sql, " c AS (INSERT INTO session_current (session_id, performed_at,"
                        " patient_id, patient_key, status, patient_name, practitioner, areas");
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", %s", session_columns[i].column);
  g_string_append_printf (sql, ") SELECT s.id, $3::text, $1::bigint, $%u::text, 'active',"
                          " $%u::text, $%u::text, $%u::text", key, key + 1, key + 2, key + 3);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", $%u::%s", 6 + i, session_columns[i].type);
  g_string_append (sql, " FROM s) SELECT id FROM s");
  return g_string_free (sql, FALSE);
}

/* "{face,scalp}": the ids of @areas as an array literal (ids of this build: no quoting). */
static char *
areas_array (MesoArea areas)
{
  GString *literal = g_string_new ("{");

  MESO_AREA_FOREACH (area)
    if (areas & area)
      g_string_append_printf (literal, "%s%s", literal->len > 1 ? "," : "",
                              meso_area_get_id (area));
  g_string_append_c (literal, '}');
  return g_string_free (literal, FALSE);
}

typedef struct
{
  gint64      id;
  const char *reason;
} VoidData;

static gboolean
insert_void (MesoPgStore  *self,
             gpointer      user_data,
             GError      **error)
{
  VoidData *data = user_data;
  g_autofree char *now = meso_pg_store_now ();
  g_autofree char *id = int64_text (data->id);
  g_autoptr(GString) payload = g_string_new (NULL);
  const char *insert[] = { id, now, meso_store_get_user (MESO_STORE (self)), data->reason };
  const char *update[] = { id, data->reason };

  if (!meso_pg_store_run (self, "INSERT INTO voids (session_id, voided_at, voided_by, reason)"
                          " VALUES ($1, $2, $3, $4)", 4, insert, error)
      || !meso_pg_store_run (self, "UPDATE session_current SET status = 'voided',"
                             " void_reason = $2 WHERE session_id = $1", 2, update, error))
    return FALSE;
  meso_payload_append (payload, "id", id);
  meso_payload_append (payload, "reason", data->reason);
  return meso_pg_store_append_audit (self, "void", "session", data->id, payload->str, error);
}

/* Inserts one validated session, stamped and audited, inside the caller's transaction. */
static gboolean
insert_session (MesoPgStore  *self,
                MesoSession  *session,
                GError      **error)
{
  static char *sql = NULL;
  g_autofree char *now = meso_pg_store_now ();
  g_autofree char *payload = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_auto(Params) params = { 0 };
  gint64 patient_id = 0, practitioner_id = 0;

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, build_insert_session_sql ());
  if (meso_session_get_performed_at (session) == NULL)
    {
      g_autoptr(GDateTime) stamp = g_date_time_new_from_iso8601 (now, NULL);

      meso_session_set_performed_at (session, stamp);
    }
  utc = g_date_time_to_utc (meso_session_get_performed_at (session));

  if (!find_or_insert_patient (self, session, now, &patient_id, error)
      || !find_or_insert_practitioner (self, session, now, &practitioner_id, error))
    return FALSE;

  params_take (&params, int64_text (patient_id));
  params_take (&params, practitioner_id != 0 ? int64_text (practitioner_id) : NULL);
  params_take (&params, g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ"));
  params_add (&params, now);
  params_add (&params, meso_store_get_user (MESO_STORE (self)));
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    params_take (&params, field_param (session, session_columns[i].field));
  params_take (&params, meso_text_fold (meso_session_get_patient_name (session)));
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    params_take (&params, field_param (session, current_columns[i].field));
  params_take (&params, areas_array (meso_session_get_areas (session)));
  if (!params_run (self, sql, &params, &inserted, error))
    return FALSE;
  /* The row is made from the patient's (INSERT ... SELECT): none, were it missing. */
  if (PQntuples (inserted) != 1)
    return fail_result (self, NULL, "insert session", error);

  meso_session_set_id (session, meso_pg_int64 (inserted, 0, 0));
  payload = session_payload (session);
  if (!meso_pg_store_append_audit (self, "create", "session", meso_session_get_id (session),
                                   payload, error))
    return FALSE;

  /* Only an import brings sessions voided already: void them as they arrive. */
  if (meso_session_get_voided (session))
    {
      VoidData data = { meso_session_get_id (session),
                        meso_session_get_void_reason (session) };

      return insert_void (self, &data, error);
    }
  return TRUE;
}

static gboolean
insert_one (MesoPgStore  *self,
            gpointer      session,
            GError      **error)
{
  return insert_session (self, session, error);
}

/* Puts back the id and time a failed transaction had stamped on a session. */
static void
unstamp (MesoSession *session,
         GDateTime   *performed_at)
{
  meso_session_set_id (session, 0);
  meso_session_set_performed_at (session, performed_at);
}

static gboolean
pg_save_session (MesoStore    *store,
                 MesoSession  *session,
                 GError      **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  g_autoptr(GDateTime) performed_at = NULL;

  g_return_val_if_fail (MESO_IS_SESSION (session), FALSE);
  g_return_val_if_fail (meso_session_get_id (session) == 0, FALSE);
  g_return_val_if_fail (!meso_session_get_voided (session), FALSE);

  if (!meso_session_validate (session, error))
    return FALSE;
  if (meso_session_get_performed_at (session) != NULL)
    performed_at = g_date_time_ref (meso_session_get_performed_at (session));
  if (!meso_pg_store_write_transaction (self, insert_one, session, error))
    {
      unstamp (session, performed_at);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GPtrArray  *sessions;
  const char *source;
} ImportData;

static gboolean
insert_all (MesoPgStore  *self,
            gpointer      user_data,
            GError      **error)
{
  ImportData *data = user_data;
  g_autoptr(GString) payload = g_string_new (NULL);
  g_autofree char *count = g_strdup_printf ("%u", data->sessions->len);

  for (guint i = 0; i < data->sessions->len; i++)
    if (!insert_session (self, g_ptr_array_index (data->sessions, i), error))
      return FALSE;
  meso_payload_append (payload, "source", data->source);
  meso_payload_append (payload, "sessions", count);
  return meso_pg_store_append_audit (self, "import", "database", 0, payload->str, error);
}

static gboolean
pg_save_sessions (MesoStore   *store,
                  GPtrArray   *sessions,
                  const char  *source,
                  GError     **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  ImportData data = { sessions, source };

  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);
      g_autofree char *void_reason = NULL;

      if (meso_session_get_voided (session))
        void_reason = meso_store_check_reason (meso_session_get_void_reason (session), error);
      if (!meso_session_validate (session, error)
          || (meso_session_get_voided (session) && void_reason == NULL))
        {
          g_prefix_error (error, _("Session %u: "), i + 1);
          return FALSE;
        }
    }
  if (meso_pg_store_write_transaction (self, insert_all, &data, error))
    return TRUE;
  for (guint i = 0; i < sessions->len; i++)
    meso_session_set_id (g_ptr_array_index (sessions, i), 0);
  return FALSE;
}

/* ---- Reading a session ---- */

static void
load_column (MesoSession    *session,
             MesoField       field,
             const PGresult *result,
             int             row,
             int             column)
{
  const char *text = meso_pg_value (result, row, column);
  g_autoptr(GError) local_error = NULL;

  if (meso_field_is_flag (field))
    text = text != NULL && g_ascii_strtoll (text, NULL, 10) != 0 ? "yes" : "no";
  /* One bad value must not make every list fail: it is read marked unknown. */
  if (!meso_field_load_text (session, field, text, &local_error))
    {
      g_debug ("Stored session %" G_GINT64_FORMAT ": %s", meso_session_get_id (session),
               local_error->message);
      meso_session_set_unknown_value (session, field, text);
    }
}

MesoSession *
meso_pg_store_session_from_row (const PGresult  *result,
                                int              row,
                                gint64          *out_patient_id,
                                GError         **error)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = NULL;
  const char *status;

  meso_session_set_id (session, meso_pg_int64 (result, row, 0));
  when = g_date_time_new_from_iso8601 (PQgetvalue (result, row, 1), NULL);
  meso_session_set_performed_at (session, when);
  for (guint i = 0; i < G_N_ELEMENTS (joined_fields); i++)
    load_column (session, joined_fields[i], result, row, 2 + (int) i);
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    load_column (session, current_columns[i].field, result, row, FIRST_CURRENT_COLUMN + (int) i);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    load_column (session, session_columns[i].field, result, row, FIRST_SESSION_COLUMN + (int) i);
  status = meso_pg_value (result, row, STATUS_COLUMN);
  meso_session_set_amended (session, g_strcmp0 (status, "amended") == 0);
  if (g_strcmp0 (status, "voided") == 0)
    meso_session_set_voided (session, meso_pg_value (result, row, VOID_REASON_COLUMN));
  if (out_patient_id != NULL)
    *out_patient_id = meso_pg_int64 (result, row, PATIENT_ID_COLUMN);
  return g_steal_pointer (&session);
}

static char *
build_select_sql (void)
{
  GString *sql = g_string_new ("SELECT c.session_id, c.performed_at");

  for (guint i = 0; i < G_N_ELEMENTS (patient_details); i++)
    g_string_append_printf (sql, ", CASE WHEN s.patient_language IS NULL THEN p.%s"
                            " ELSE s.%s END", patient_details[i].patient_column,
                            patient_details[i].session_column);
  g_string_append (sql, ", pr.role, pr.registration");
  for (guint i = 0; i < G_N_ELEMENTS (current_columns); i++)
    g_string_append_printf (sql, ", c.%s", current_columns[i].column);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    g_string_append_printf (sql, ", c.%s", session_columns[i].column);
  g_string_append (sql, ", c.status, c.void_reason, c.patient_id" MESO_PG_SESSION_FROM
                        " JOIN sessions s ON s.id = c.session_id");
  return g_string_free (sql, FALSE);
}

/* The SELECT of a session row with its current values, to which a WHERE is added. */
const char *
meso_pg_store_select_sql (void)
{
  static char *sql = NULL;

  if (g_once_init_enter (&sql))
    g_once_init_leave (&sql, build_select_sql ());
  return sql;
}

/* The session with its current values, or NULL with %MESO_ERROR_NOT_FOUND. */
static MesoSession *
read_session (MesoPgStore  *self,
              gint64        id,
              gint64       *out_patient_id,
              GError      **error)
{
  g_autofree char *sql = g_strconcat (meso_pg_store_select_sql (), " WHERE c.session_id = $1",
                                      NULL);
  g_autofree char *id_text = int64_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = meso_pg_store_exec (self, sql, 1, params, error);

  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Session: there is no session with id %s"), id_text);
      return NULL;
    }
  return meso_pg_store_session_from_row (result, 0, out_patient_id, error);
}

static MesoSession *
pg_get_session (MesoStore  *store,
                gint64      id,
                GError    **error)
{
  return read_session (MESO_PG_STORE (store), id, NULL, error);
}

static GPtrArray *
pg_list_amendments (MesoStore  *store,
                    gint64      id,
                    GError    **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  g_autoptr(GPtrArray) amendments = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                    meso_amendment_free);
  g_autofree char *id_text = int64_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = NULL;
  MesoAmendment *current = NULL;

  result = meso_pg_store_exec (self, "SELECT a.id, a.amended_at, a.amended_by, a.reason,"
                               " v.field, v.old_value, v.new_value"
                               " FROM amendments a JOIN amendment_values v"
                               " ON v.amendment_id = a.id"
                               " WHERE a.session_id = $1 ORDER BY a.id, v.ord", 1, params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      MesoChange change = { 0 };

      if (current == NULL || current->id != meso_pg_int64 (result, row, 0))
        {
          current = g_new0 (MesoAmendment, 1);
          current->id = meso_pg_int64 (result, row, 0);
          current->amended_at = g_strdup (meso_pg_value (result, row, 1));
          current->user = g_strdup (meso_pg_value (result, row, 2));
          current->reason = g_strdup (meso_pg_value (result, row, 3));
          current->changes = g_array_new (FALSE, TRUE, sizeof (MesoChange));
          g_array_set_clear_func (current->changes, (GDestroyNotify) meso_change_clear);
          g_ptr_array_add (amendments, current);
        }
      change.field_id = g_strdup (meso_pg_value (result, row, 4));
      change.field = meso_field_from_id (change.field_id);
      change.old_value = g_strdup (meso_pg_value (result, row, 5));
      change.new_value = g_strdup (meso_pg_value (result, row, 6));
      g_array_append_val (current->changes, change);
    }
  return g_steal_pointer (&amendments);
}

/* ---- Amendments and voids ---- */

typedef struct
{
  MesoSession *amended;
  const char  *reason;
} AmendData;

static gboolean
insert_amendment (MesoPgStore  *self,
                  gint64        session_id,
                  const char   *reason,
                  GArray       *changes,
                  GError      **error)
{
  g_autofree char *now = meso_pg_store_now ();
  g_autofree char *id = int64_text (session_id);
  g_autoptr(GString) payload = g_string_new (NULL);
  const char *insert[] = { id, now, meso_store_get_user (MESO_STORE (self)), reason };
  g_autoptr(PGresult) inserted = NULL;
  const char *amendment_id;

  inserted = meso_pg_store_exec (self, "INSERT INTO amendments (session_id, amended_at,"
                                 " amended_by, reason) VALUES ($1, $2, $3, $4) RETURNING id",
                                 4, insert, error);
  if (inserted == NULL)
    return FALSE;
  amendment_id = PQgetvalue (inserted, 0, 0);

  meso_payload_append (payload, "id", id);
  meso_payload_append (payload, "reason", reason);
  for (guint i = 0; i < changes->len; i++)
    {
      MesoChange *change = &g_array_index (changes, MesoChange, i);
      const char *field = meso_field_get_id (change->field);
      g_autofree char *old_key = g_strconcat (field, ".old", NULL);
      g_autofree char *new_key = g_strconcat (field, ".new", NULL);
      const char *value[] = { amendment_id, field, change->old_value, change->new_value };

      if (!meso_pg_store_run (self, "INSERT INTO amendment_values (amendment_id, field,"
                              " old_value, new_value) VALUES ($1, $2, $3, $4)", 4, value,
                              error))
        return FALSE;
      meso_payload_append (payload, old_key, change->old_value);
      meso_payload_append (payload, new_key, change->new_value);
    }
  return meso_pg_store_append_audit (self, "amend", "session", session_id, payload->str, error);
}

/* Who voided @id, and when, for the message of the write that lost the race. */
static char *
describe_void (MesoPgStore *self,
               gint64       id)
{
  g_autofree char *id_text = int64_text (id);
  const char *params[] = { id_text };
  g_autoptr(PGresult) result = meso_pg_store_exec (self, "SELECT voided_by, voided_at"
                                                   " FROM voids WHERE session_id = $1", 1,
                                                   params, NULL);

  if (result == NULL || PQntuples (result) == 0)
    return g_strdup ("?");
  /* TRANSLATORS: who voided a session, and when (UTC): "desk, 2026-03-02T10:15:00Z" */
  return g_strdup_printf (_("%s, %s"), meso_pg_value (result, 0, 0),
                          meso_pg_value (result, 0, 1));
}

/* On a server, a session voided when the caller thought it active was voided by another
 * workstation meanwhile: a conflict, said as such, with who and when. */
static gboolean
refuse_voided (MesoPgStore  *self,
               MesoSession  *current,
               gboolean      amending,
               GError      **error)
{
  g_autofree char *id = NULL;
  g_autofree char *who = NULL;

  if (!meso_session_get_voided (current))
    return TRUE;
  id = int64_text (meso_session_get_id (current));
  who = describe_void (self, meso_session_get_id (current));
  if (amending)
    g_set_error (error, MESO_ERROR, MESO_ERROR_CONFLICT,
                 _("Session: session %s was voided (%s) before this amendment was saved: it "
                   "cannot be amended, and nothing was saved"), id, who);
  else
    g_set_error (error, MESO_ERROR, MESO_ERROR_CONFLICT,
                 _("Session: session %s is already voided (%s): nothing was saved"), id, who);
  return FALSE;
}

/* A session the caller read as voided was voided before, not meanwhile: no conflict, the
 * refusal SQLite gives. */
static gboolean
refuse_known_void (MesoSession  *amended,
                   GError      **error)
{
  g_autofree char *id = NULL;

  if (!meso_session_get_voided (amended))
    return TRUE;
  id = int64_text (meso_session_get_id (amended));
  g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
               _("Session: session %s is voided and cannot be amended"), id);
  return FALSE;
}

/* The session is read under the write lock: an amendment or a void from another
 * workstation either came first, and is seen here (an amendment from a copy read before
 * it is refused: meso_store_prepare_amendment()), or waits for this one. */
static gboolean
amend_locked (MesoPgStore  *self,
              gpointer      user_data,
              GError      **error)
{
  AmendData *data = user_data;
  g_autoptr(MesoSession) current = NULL;
  g_autoptr(GArray) changes = NULL;
  gint64 patient_id = 0;

  current = read_session (self, meso_session_get_id (data->amended), &patient_id, error);
  if (current == NULL
      || !refuse_known_void (data->amended, error)
      || !refuse_voided (self, current, TRUE, error))
    return FALSE;
  changes = meso_store_prepare_amendment (MESO_STORE (self), current, data->amended, error);
  if (changes == NULL)
    return FALSE;
  return put_current (self, current, patient_id, "amended", error)
         && insert_amendment (self, meso_session_get_id (current), data->reason, changes,
                              error);
}

static gboolean
pg_amend_session (MesoStore    *store,
                  MesoSession  *amended,
                  const char   *reason,
                  GError      **error)
{
  g_autofree char *why = NULL;
  AmendData data;

  g_return_val_if_fail (MESO_IS_SESSION (amended), FALSE);

  why = meso_store_check_reason (reason, error);
  if (why == NULL)
    return FALSE;
  data = (AmendData) { amended, why };
  return meso_pg_store_write_transaction (MESO_PG_STORE (store), amend_locked, &data, error);
}

static gboolean
void_locked (MesoPgStore  *self,
             gpointer      user_data,
             GError      **error)
{
  VoidData *data = user_data;
  g_autoptr(MesoSession) current = read_session (self, data->id, NULL, error);

  return current != NULL
         && refuse_voided (self, current, FALSE, error)
         && insert_void (self, data, error);
}

static gboolean
pg_void_session (MesoStore   *store,
                 gint64       id,
                 const char  *reason,
                 GError     **error)
{
  g_autofree char *why = meso_store_check_reason (reason, error);
  VoidData data = { id, why };

  if (why == NULL)
    return FALSE;
  return meso_pg_store_write_transaction (MESO_PG_STORE (store), void_locked, &data, error);
}

/* ---- Events and adjustments ---- */

typedef struct
{
  const char *action;
  gint64      session_id;
  const char *payload;
} EventData;

static gboolean
insert_event (MesoPgStore  *self,
              gpointer      user_data,
              GError      **error)
{
  EventData *data = user_data;

  return append_entry (self, data->action, data->session_id != 0 ? "session" : "database",
                       data->session_id, data->payload, TRUE, error);
}

static gboolean
pg_log_event (MesoStore   *store,
              const char  *action,
              gint64       session_id,
              const char  *payload,
              GError     **error)
{
  EventData data = { action, session_id, payload };

  return meso_pg_store_write_transaction (MESO_PG_STORE (store), insert_event, &data, error);
}

typedef struct
{
  gint64      session_id;
  const char *data;
} AdjustData;

static gboolean
insert_adjustments (MesoPgStore  *self,
                    gpointer      user_data,
                    GError      **error)
{
  AdjustData *data = user_data;
  g_autofree char *now = meso_pg_store_now ();
  g_autofree char *id = int64_text (data->session_id);
  g_autoptr(GString) payload = g_string_new (NULL);
  const char *params[] = { id, now, meso_store_get_user (MESO_STORE (self)), data->data };

  if (!meso_pg_store_run (self, "INSERT INTO sheet_adjustments (session_id, saved_at,"
                          " saved_by, data) VALUES ($1, $2, $3, $4)", 4, params, error))
    return FALSE;
  meso_payload_append (payload, "id", id);
  meso_payload_append (payload, "adjustments", data->data);
  return meso_pg_store_append_audit (self, "adjust", "session", data->session_id, payload->str,
                                     error);
}

static gboolean
pg_save_adjustments (MesoStore        *store,
                     gint64            session_id,
                     MesoAdjustments  *adjustments,
                     GError          **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  g_autoptr(MesoSession) session = NULL;
  g_autofree char *text = NULL;
  AdjustData data;

  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (adjustments), FALSE);

  session = read_session (self, session_id, NULL, error);
  if (session == NULL)
    return FALSE;
  text = meso_adjustments_to_data (adjustments);
  data = (AdjustData) { session_id, text };
  return meso_pg_store_write_transaction (self, insert_adjustments, &data, error);
}

static MesoAdjustments *
pg_get_adjustments (MesoStore  *store,
                    gint64      session_id,
                    GError    **error)
{
  g_autofree char *id = int64_text (session_id);
  const char *params[] = { id };
  g_autoptr(PGresult) result = NULL;

  result = meso_pg_store_exec (MESO_PG_STORE (store), "SELECT data FROM sheet_adjustments"
                               " WHERE session_id = $1 ORDER BY id DESC LIMIT 1", 1, params,
                               error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    return meso_adjustments_new ();
  return meso_adjustments_new_from_data (PQgetvalue (result, 0, 0), error);
}

/* ---- Patients and lots ---- */

/* "%text%" for LIKE, with the pattern's own characters taken literally. */
static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static GPtrArray *
pg_find_patients (MesoStore   *store,
                  const char  *query,
                  guint        limit,
                  GError     **error)
{
  g_autofree char *key = meso_text_fold (query);
  g_autofree char *pattern = like_pattern (query != NULL ? query : "");
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { key, pattern, limit_text };
  g_autoptr(GPtrArray) patients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PGresult) result = NULL;

  /* A patient's flags are those of their latest session. */
  result = meso_pg_store_exec (MESO_PG_STORE (store),
                               "SELECT p.full_name, p.date_of_birth, p.phone, p.email,"
                               " p.language, p.notes, c.blood_thinners, c.pregnant, c.allergies"
                               " FROM patients p LEFT JOIN session_current c ON c.session_id ="
                               "  (SELECT session_id FROM session_current WHERE patient_id = p.id"
                               "   ORDER BY performed_at DESC, session_id DESC LIMIT 1)"
                               " WHERE strpos (p.name_key, $1) > 0"
                               " OR p.date_of_birth LIKE $2 ESCAPE '\\'"
                               " ORDER BY p.name_key, p.date_of_birth NULLS FIRST LIMIT $3",
                               3, params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (patients,
                     g_object_new (MESO_TYPE_PATIENT,
                                   "name", meso_pg_value (result, row, 0),
                                   "date-of-birth", meso_pg_value (result, row, 1),
                                   "phone", meso_pg_value (result, row, 2),
                                   "email", meso_pg_value (result, row, 3),
                                   "language", meso_pg_value (result, row, 4),
                                   "notes", meso_pg_value (result, row, 5),
                                   "blood-thinners", meso_pg_int64 (result, row, 6) != 0,
                                   "pregnant", meso_pg_int64 (result, row, 7) != 0,
                                   "allergies", meso_pg_value (result, row, 8),
                                   NULL));
  return g_steal_pointer (&patients);
}

static GPtrArray *
pg_recent_lots (MesoStore  *store,
                guint       limit,
                GError    **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { limit_text };
  g_autoptr(GPtrArray) lots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(PGresult) result = NULL;

  /* Only the latest sessions are looked at, through the index by time. */
  result = meso_pg_store_exec (MESO_PG_STORE (store),
                               "SELECT product, lot, lot_expiry FROM"
                               " (SELECT session_id, performed_at, product, lot, lot_expiry"
                               "  FROM session_current WHERE status <> 'voided'"
                               "  ORDER BY performed_at DESC, session_id DESC LIMIT 300) recent"
                               " WHERE product IS NOT NULL AND product <> ''"
                               " GROUP BY product, lot, lot_expiry"
                               " ORDER BY max (performed_at) DESC, max (session_id) DESC"
                               " LIMIT $1", 1, params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (lots, meso_lot_new (meso_pg_value (result, row, 0),
                                         meso_pg_value (result, row, 1),
                                         meso_pg_value (result, row, 2)));
  return g_steal_pointer (&lots);
}

/* ---- Other writers ---- */

/* What came over the socket already: no round trip to the server, so the watch's look
 * once a second costs nothing there. Each notification from another connection moves the
 * version; this connection's own are not counted. */
static gint64
pg_data_version (MesoStore  *store,
                 GError    **error)
{
  MesoPgStore *self = MESO_PG_STORE (store);
  PGnotify *notify;

  if (!ensure_connected (self, error))
    return -1;
  if (!PQconsumeInput (self->conn))
    {
      /* The connection went: the next look connects again, and counts that as a change. */
      set_unreachable (self, PQerrorMessage (self->conn), error);
      return -1;
    }
  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      if (notify->be_pid != PQbackendPID (self->conn))
        self->version++;
      PQfreemem (notify);
    }
  return self->version;
}

static void
install_methods (MesoStoreClass *store_class)
{
  store_class->get_schema_version = pg_get_schema_version;
  store_class->save_session = pg_save_session;
  store_class->save_sessions = pg_save_sessions;
  store_class->get_session = pg_get_session;
  store_class->count_sessions = meso_pg_store_count_sessions;
  store_class->count_matching = meso_pg_store_count_matching;
  store_class->query_foreach = meso_pg_store_query_foreach;
  store_class->query_lines = meso_pg_store_query_lines;
  store_class->explain_query = meso_pg_store_explain_query;
  store_class->find_patients = pg_find_patients;
  store_class->recent_lots = pg_recent_lots;
  store_class->amend_session = pg_amend_session;
  store_class->void_session = pg_void_session;
  store_class->list_amendments = pg_list_amendments;
  store_class->save_adjustments = pg_save_adjustments;
  store_class->get_adjustments = pg_get_adjustments;
  store_class->log_event = pg_log_event;
  store_class->report = meso_pg_store_report;
  store_class->recall = meso_pg_store_recall;
  store_class->find_audit = meso_pg_store_find_audit;
  store_class->check_chain = meso_pg_store_check_chain;
  store_class->get_fingerprint = meso_pg_store_get_fingerprint;
  store_class->find_fingerprint = meso_pg_store_find_fingerprint;
  store_class->list_audit = meso_pg_store_list_audit;
  store_class->list_printed = meso_pg_store_list_printed;
  store_class->check = meso_pg_store_check;
  store_class->get_clinic = meso_pg_store_get_clinic;
  store_class->set_clinic = meso_pg_store_set_clinic;
  store_class->carry_over_clinic = meso_pg_store_carry_over_clinic;
  store_class->list_practitioners = meso_pg_store_list_practitioners;
  store_class->add_practitioner = meso_pg_store_add_practitioner;
  store_class->update_practitioner = meso_pg_store_update_practitioner;
  store_class->retire_practitioner = meso_pg_store_retire_practitioner;
  store_class->data_version = pg_data_version;
  store_class->write_bulk = pg_write_bulk;
  store_class->reopen = pg_reopen;
  store_class->dump = meso_pg_store_dump;
  store_class->load = meso_pg_store_load;
}
