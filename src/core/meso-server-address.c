/* meso-server-address.c: where a clinic server is, as a workstation's settings hold it
 *
 * The settings keep the database's location as a libpq URI: empty for this computer's
 * file, else `postgresql://user@host:port/database?sslmode=...`. The password is never
 * part of it (it goes to the user's .pgpass file, see meso-pgpass.c). The preferences
 * edit the URI as fields; what a field may hold is checked here, once, the message
 * naming the field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-server"

#include "config.h"

#include <glib/gi18n.h>
#include <libpq-fe.h>
#include <string.h>

#include "meso-error.h"
#include "meso-server-address.h"

/* PostgreSQL's names are at most NAMEDATALEN - 1 bytes. */
#define NAME_MAX_BYTES 63
#define HOST_MAX_BYTES 255

static const char * const tls_names[] = { "prefer", "require", "verify-full" };

G_DEFINE_QUARK (meso-server-error-quark, meso_server_error)

/**
 * meso_location_is_server:
 * @location: (nullable): a database's location
 *
 * Returns: whether @location names a PostgreSQL server rather than a file.
 */
gboolean
meso_location_is_server (const char *location)
{
  return location != NULL
         && (g_str_has_prefix (location, "postgresql://")
             || g_str_has_prefix (location, "postgres://"));
}

MesoServerAddress *
meso_server_address_new (void)
{
  return g_new0 (MesoServerAddress, 1);
}

void
meso_server_address_free (MesoServerAddress *address)
{
  if (address == NULL)
    return;
  g_free (address->host);
  g_free (address->database);
  g_free (address->user);
  g_free (address->ca_file);
  g_free (address);
}

static void
set_field_error (GError          **error,
                 MesoServerField   field,
                 const char       *what)
{
  const char *label = NULL;

  switch (field)
    {
    case MESO_SERVER_FIELD_HOST: label = _("Server"); break;
    case MESO_SERVER_FIELD_PORT: label = _("Port"); break;
    case MESO_SERVER_FIELD_DATABASE: label = _("Database"); break;
    case MESO_SERVER_FIELD_USER: label = _("User"); break;
    case MESO_SERVER_FIELD_PASSWORD: label = _("Password"); break;
    case MESO_SERVER_FIELD_CA_FILE: label = _("Certificate authority"); break;
    case MESO_SERVER_FIELD_NONE: label = _("Clinic server"); break;
    default: g_assert_not_reached ();
    }
  /* Translators: a field's name, then what is wrong with its value */
  g_set_error (error, MESO_SERVER_ERROR, field, _("%s: %s"), label, what);
}

/**
 * meso_server_address_set_port_text:
 * @address: a #MesoServerAddress
 * @text: the port as typed: empty for the default
 * @error: a #GError, naming the field
 *
 * Returns: whether @text is a port; @address's is then set.
 */
gboolean
meso_server_address_set_port_text (MesoServerAddress  *address,
                                   const char         *text,
                                   GError            **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  guint64 port = 0;

  if (*stripped != '\0'
      && (!g_ascii_string_to_unsigned (stripped, 10, 1, 65535, &port, NULL)))
    {
      set_field_error (error, MESO_SERVER_FIELD_PORT,
                       _("enter a number from 1 to 65535, or leave it empty for 5432"));
      return FALSE;
    }
  address->port = port;
  return TRUE;
}

static gboolean
has_control_chars (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* A host name (letters, digits, dots and hyphens), an IPv4 or an IPv6 address. */
static gboolean
is_host_name (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;
  return *host != '-' && *host != '.';
}

static gboolean
validate_host (const char  *host,
               GError     **error)
{
  if (host == NULL || *host == '\0')
    {
      set_field_error (error, MESO_SERVER_FIELD_HOST,
                       _("enter the server’s name or address (or the folder of its socket)"));
      return FALSE;
    }
  if (strlen (host) > HOST_MAX_BYTES || !g_utf8_validate (host, -1, NULL)
      || has_control_chars (host))
    {
      set_field_error (error, MESO_SERVER_FIELD_HOST, _("this is not a server’s name"));
      return FALSE;
    }
  if (g_path_is_absolute (host) || is_host_name (host))
    return TRUE;
  set_field_error (error, MESO_SERVER_FIELD_HOST,
                   _("a name has only letters, digits, dots and hyphens; an address is "
                     "like 192.168.1.10; a socket’s folder starts with /"));
  return FALSE;
}

static gboolean
validate_name (const char       *name,
               MesoServerField   field,
               const char       *missing,
               GError          **error)
{
  if (name == NULL || *name == '\0')
    {
      set_field_error (error, field, missing);
      return FALSE;
    }
  if (!g_utf8_validate (name, -1, NULL) || has_control_chars (name))
    {
      set_field_error (error, field, _("it holds characters that cannot be part of a name"));
      return FALSE;
    }
  if (strlen (name) > NAME_MAX_BYTES)
    {
      set_field_error (error, field, _("PostgreSQL’s names are at most 63 bytes long"));
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_server_address_validate:
 * @address: a #MesoServerAddress
 * @error: a #GError whose code is the #MesoServerField at fault, its message naming it
 *
 * Returns: whether @address can be used: a host, a database and a user, and the
 *   certificate authority's file when the server's certificate is verified.
 */
gboolean
meso_server_address_validate (const MesoServerAddress  *address,
                              GError                  **error)
{
  g_return_val_if_fail (address != NULL, FALSE);

  if (!validate_host (address->host, error))
    return FALSE;
  if (address->port > 65535)
    {
      set_field_error (error, MESO_SERVER_FIELD_PORT, _("enter a number from 1 to 65535"));
      return FALSE;
    }
  if (!validate_name (address->database, MESO_SERVER_FIELD_DATABASE,
                      _("enter the name of the clinic’s database"), error)
      || !validate_name (address->user, MESO_SERVER_FIELD_USER,
                         _("enter the user Mesocare connects as"), error))
    return FALSE;
  if (address->tls != MESO_TLS_VERIFY_FULL)
    return TRUE;
  if (address->ca_file == NULL || *address->ca_file == '\0')
    {
      set_field_error (error, MESO_SERVER_FIELD_CA_FILE,
                       _("choose the file of the authority that signed the server’s "
                         "certificate"));
      return FALSE;
    }
  if (!g_path_is_absolute (address->ca_file) || has_control_chars (address->ca_file)
      || !g_file_test (address->ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *what = g_strdup_printf (_("there is no file at %s"), address->ca_file);

      set_field_error (error, MESO_SERVER_FIELD_CA_FILE, what);
      return FALSE;
    }
  return TRUE;
}

guint
meso_server_address_get_port (const MesoServerAddress *address)
{
  return address->port != 0 ? address->port : MESO_SERVER_DEFAULT_PORT;
}

static void
append_param (GString    *uri,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (uri, strchr (uri->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (uri, "%s=%s", name, escaped);
}

/**
 * meso_server_address_to_uri:
 * @address: a valid #MesoServerAddress (meso_server_address_validate())
 *
 * Returns: (transfer full): the libpq URI of @address, each part escaped; no password.
 *   A socket's folder goes into the `host` parameter, an address into the authority.
 */
char *
meso_server_address_to_uri (const MesoServerAddress *address)
{
  g_autofree char *user = g_uri_escape_string (address->user, NULL, FALSE);
  g_autofree char *database = g_uri_escape_string (address->database, NULL, FALSE);
  g_autoptr(GString) uri = g_string_new ("postgresql://");
  gboolean socket = g_path_is_absolute (address->host);

  g_string_append_printf (uri, "%s@", user);
  if (!socket && strchr (address->host, ':') != NULL)
    g_string_append_printf (uri, "[%s]", address->host);  /* IPv6 */
  else if (!socket)
    g_string_append (uri, address->host);
  if (!socket && address->port != 0)
    g_string_append_printf (uri, ":%u", address->port);
  g_string_append_printf (uri, "/%s", database);
  if (socket)
    append_param (uri, "host", address->host);
  if (socket && address->port != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", address->port);

      append_param (uri, "port", port);
    }
  append_param (uri, "sslmode", tls_names[address->tls]);
  if (address->tls == MESO_TLS_VERIFY_FULL && address->ca_file != NULL)
    append_param (uri, "sslrootcert", address->ca_file);
  return g_string_free (g_steal_pointer (&uri), FALSE);
}

static void
replace_str (char       **field,
             const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static gboolean
parse_params (MesoServerAddress  *address,
              const char         *query,
              GError            **error)
{
  g_autoptr(GHashTable) params = NULL;
  const char *value;

  if (query == NULL)
    return TRUE;
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    {
      set_field_error (error, MESO_SERVER_FIELD_NONE, _("the address’s options cannot be read"));
      return FALSE;
    }
  if ((value = g_hash_table_lookup (params, "host")) != NULL)
    replace_str (&address->host, value);
  if ((value = g_hash_table_lookup (params, "port")) != NULL
      && !meso_server_address_set_port_text (address, value, error))
    return FALSE;
  if ((value = g_hash_table_lookup (params, "dbname")) != NULL)
    replace_str (&address->database, value);
  if ((value = g_hash_table_lookup (params, "user")) != NULL)
    replace_str (&address->user, value);
  if ((value = g_hash_table_lookup (params, "sslrootcert")) != NULL)
    replace_str (&address->ca_file, value);
  if ((value = g_hash_table_lookup (params, "sslmode")) != NULL)
    {
      address->tls = MESO_TLS_PREFER;
      for (guint i = 0; i < G_N_ELEMENTS (tls_names); i++)
        if (g_str_equal (value, tls_names[i]))
          address->tls = i;
      /* "disable", "allow" and "verify-ca" are kept as the nearest that is not weaker. */
      if (g_str_equal (value, "verify-ca"))
        address->tls = MESO_TLS_VERIFY_FULL;
    }
  return TRUE;
}

/**
 * meso_server_address_parse:
 * @location: a `postgresql://` URI, as the settings hold it
 * @error: a #GError
 *
 * Reads back what meso_server_address_to_uri() wrote, and the URIs an administrator
 * would write by hand (host and port in the authority or in the parameters). A password
 * in the URI is ignored. The result is not validated.
 *
 * Returns: (transfer full): the address, or %NULL with @error set.
 */
MesoServerAddress *
meso_server_address_parse (const char  *location,
                           GError     **error)
{
  g_autoptr(MesoServerAddress) address = meso_server_address_new ();
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (!meso_location_is_server (location)
      || (uri = g_uri_parse (location, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_QUERY,
                             NULL)) == NULL)
    {
      set_field_error (error, MESO_SERVER_FIELD_NONE,
                       _("this is not the address of a PostgreSQL server "
                         "(postgresql://user@server/database)"));
      return NULL;
    }
  address->host = g_strdup (g_uri_get_host (uri));
  if (address->host != NULL && *address->host == '\0')
    g_clear_pointer (&address->host, g_free);
  address->port = g_uri_get_port (uri) > 0 ? (guint) g_uri_get_port (uri) : 0;
  address->user = g_strdup (g_uri_get_user (uri));
  path = g_uri_get_path (uri);
  if (path != NULL && *path == '/' && path[1] != '\0')
    address->database = g_strdup (path + 1);
  if (!parse_params (address, g_uri_get_query (uri), error))
    return NULL;
  return g_steal_pointer (&address);
}

/**
 * meso_server_describe_location:
 * @location: a database's location
 *
 * Returns: (transfer full): where @location is, for a person: the server (its port when
 *   not the default) and the database, or the file; never a password.
 */
char *
meso_server_describe_location (const char *location)
{
  g_autoptr(MesoServerAddress) address = NULL;
  g_autofree char *host = NULL;

  if (!meso_location_is_server (location))
    return g_strdup (location);
  address = meso_server_address_parse (location, NULL);
  if (address == NULL)
    return g_strdup (_("an unreadable server address"));
  host = address->port != 0 ? g_strdup_printf ("%s:%u", address->host != NULL
                                               ? address->host : "localhost", address->port)
                            : g_strdup (address->host != NULL ? address->host : "localhost");
  if (address->database == NULL)
    return g_steal_pointer (&host);
  /* Translators: a server's name, then the name of a database on it */
  return g_strdup_printf (_("%s, database “%s”"), host, address->database);
}

/**
 * meso_server_uri_for_test:
 * @uri: a server's URI
 * @password: (nullable): the password typed, not yet saved; %NULL to use .pgpass
 * @timeout_s: how long the connection may take, in seconds (at least 2)
 *
 * Returns: (transfer full): @uri for one try of the connection: given up after
 *   @timeout_s, with @password. Never to be stored or shown.
 */
char *
meso_server_uri_for_test (const char *uri,
                          const char *password,
                          guint       timeout_s)
{
  g_autoptr(GString) tried = g_string_new (uri);
  g_autofree char *timeout = g_strdup_printf ("%u", MAX (timeout_s, 2));

  append_param (tried, "connect_timeout", timeout);
  if (password != NULL && *password != '\0')
    append_param (tried, "password", password);
  return g_string_free (g_steal_pointer (&tried), FALSE);
}

/* libpq's messages end with a line break, and may hold a tab-indented hint. */
static char *
clean_message (const char *message)
{
  g_auto(GStrv) lines = g_strsplit (message != NULL ? message : "", "\n", -1);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, lines[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * meso_server_probe:
 * @uri: a server's URI (meso_server_uri_for_test() for a short timeout)
 * @out_version: (out) (optional): the server's version, such as "15.18"
 * @error: a #GError: %MESO_ERROR_SERVER_UNREACHABLE with libpq's reason
 *
 * Connects once and disconnects: whether the server answers and lets the user in.
 * Blocks for up to the URI's connect_timeout: call it from a worker thread.
 */
gboolean
meso_server_probe (const char  *uri,
                   char       **out_version,
                   GError     **error)
{
  PGconn *conn = PQconnectdb (uri);
  g_autofree char *reason = NULL;

  if (conn != NULL && PQstatus (conn) == CONNECTION_OK)
    {
      const char *version = PQparameterStatus (conn, "server_version");

      if (out_version != NULL)
        *out_version = g_strdup (version != NULL ? version : "?");
      PQfinish (conn);
      return TRUE;
    }
  reason = clean_message (conn != NULL ? PQerrorMessage (conn) : NULL);
  PQfinish (conn);
  g_set_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE,
               _("The clinic server cannot be reached: %s"),
               *reason != '\0' ? reason : _("no answer"));
  return FALSE;
}
