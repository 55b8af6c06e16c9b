/* test-pgpass.c: the clinic server's address (the URI in the settings, each field
 * checked) and its password in the .pgpass file (issue 13)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "meso-error.h"
#include "meso-pgpass.h"
#include "meso-server-address.h"
#include "meso-test-util.h"

/* ---- The password file ---- */

static void
test_escape (void)
{
  struct { const char *field; const char *escaped; } cases[] = {
    { "plain", "plain" },
    { "a:b", "a\\:b" },
    { "back\\slash", "back\\\\slash" },
    { "::\\", "\\:\\:\\\\" },
    { "*", "\\*" },       /* alone, libpq would take it for any value */
    { "a*b", "a*b" },
    { "pässwörd", "pässwörd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = meso_pgpass_escape (cases[i].field);

      g_assert_cmpstr (escaped, ==, cases[i].escaped);
    }
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* No file yet: one is made, holding the one line, readable by its owner only. */
static void
test_new_file (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pgpass-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_pgpass_set_password (path, "db.clinic.lan", 0, "clinic", "desk",
                                           "s3cret", &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "db.clinic.lan:5432:clinic:desk:s3cret\n");
  g_assert_cmpuint (file_mode (path), ==, 0600);
  meso_test_remove_tree (dir);
}

/* The line of the same server, port, database and user is replaced and goes first;
 * every other line stays as it was, in its order: comments, other servers, wildcards,
 * a last line without its line break. A file readable by others becomes private. */
static void
test_replace_keeps_others (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pgpass-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *text = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path,
                                      "# the clinic's servers\n"
                                      "other.host:5432:clinic:desk:other\n"
                                      "*:*:*:desk:wildcard\n"
                                      "db.clinic.lan:5432:clinic:desk:old\n"
                                      "db.clinic.lan:5433:clinic:desk:another port",
                                      -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  g_assert_true (meso_pgpass_set_password (path, "db.clinic.lan", 5432, "clinic", "desk",
                                           "new", &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_cmpstr (text, ==,
                   "db.clinic.lan:5432:clinic:desk:new\n"
                   "# the clinic's servers\n"
                   "other.host:5432:clinic:desk:other\n"
                   "*:*:*:desk:wildcard\n"
                   "db.clinic.lan:5433:clinic:desk:another port\n");
  g_assert_cmpuint (file_mode (path), ==, 0600);
  found = meso_pgpass_find_password (path, "db.clinic.lan", 0, "clinic", "desk");
  g_assert_cmpstr (found, ==, "new");
  meso_test_remove_tree (dir);
}

/* `:` and `\` in any field are escaped as libpq reads them, and read back the same. */
static void
test_escaped_line (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pgpass-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *text = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_pgpass_set_password (path, "::1", 6543, "my:db", "do\\main",
                                           "p:a\\ss", &error));
  g_assert_no_error (error);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "\\:\\:1:6543:my\\:db:do\\\\main:p\\:a\\\\ss\n");
  found = meso_pgpass_find_password (path, "::1", 6543, "my:db", "do\\main");
  g_assert_cmpstr (found, ==, "p:a\\ss");

  /* Written again: still one line. */
  g_assert_true (meso_pgpass_set_password (path, "::1", 6543, "my:db", "do\\main", "again",
                                           &error));
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  text = read_text (path);
  g_assert_cmpstr (text, ==, "\\:\\:1:6543:my\\:db:do\\\\main:again\n");
  meso_test_remove_tree (dir);
}

/* A line break would end the line: refused, naming the field, the file untouched. */
static void
test_refused (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pgpass-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "kept:5432:db:u:pw\n", -1, NULL));
  g_assert_false (meso_pgpass_set_password (path, "h", 0, "db", "u", "two\nlines", &error));
  g_assert_error (error, MESO_SERVER_ERROR, MESO_SERVER_FIELD_PASSWORD);
  g_assert_true (g_str_has_prefix (error->message, "Password: "));
  g_clear_error (&error);
  g_assert_false (meso_pgpass_set_password (path, "h", 0, "db", "", "pw", &error));
  g_assert_error (error, MESO_SERVER_ERROR, MESO_SERVER_FIELD_USER);
  g_assert_true (g_str_has_prefix (error->message, "User: "));
  text = read_text (path);
  g_assert_cmpstr (text, ==, "kept:5432:db:u:pw\n");
  meso_test_remove_tree (dir);
}

static void
test_path (void)
{
  g_autofree char *home = g_build_filename (g_get_home_dir (), ".pgpass", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("PGPASSFILE"));
  g_autofree char *by_default = NULL;
  g_autofree char *chosen = NULL;

  g_unsetenv ("PGPASSFILE");
  by_default = meso_pgpass_get_path ();
  g_assert_cmpstr (by_default, ==, home);
  g_setenv ("PGPASSFILE", "/somewhere/pgpass", TRUE);
  chosen = meso_pgpass_get_path ();
  g_assert_cmpstr (chosen, ==, "/somewhere/pgpass");
  if (saved != NULL)
    g_setenv ("PGPASSFILE", saved, TRUE);
  else
    g_unsetenv ("PGPASSFILE");
}

/* ---- The address ---- */

static MesoServerAddress *
address_new (const char  *host,
             guint        port,
             const char  *database,
             const char  *user,
             MesoTlsMode  tls,
             const char  *ca_file)
{
  MesoServerAddress *address = meso_server_address_new ();

  address->host = g_strdup (host);
  address->port = port;
  address->database = g_strdup (database);
  address->user = g_strdup (user);
  address->tls = tls;
  address->ca_file = g_strdup (ca_file);
  return address;
}

typedef struct
{
  const char  *path;
  const char  *host;
  guint        port;
  const char  *database;
  const char  *user;
  MesoTlsMode  tls;
  const char  *ca_file;
  const char  *uri;
} UriCase;

static const UriCase uri_cases[] = {
  { "name", "db.clinic.lan", 0, "clinic", "desk", MESO_TLS_PREFER, NULL,
    "postgresql://desk@db.clinic.lan/clinic?sslmode=prefer" },
  { "port", "192.168.1.10", 5433, "clinic", "desk", MESO_TLS_REQUIRE, NULL,
    "postgresql://desk@192.168.1.10:5433/clinic?sslmode=require" },
  { "escaped", "db", 0, "my db/1?#", "front desk@clinic:1", MESO_TLS_PREFER, NULL,
    "postgresql://front%20desk%40clinic%3A1@db/my%20db%2F1%3F%23?sslmode=prefer" },
  { "ipv6", "::1", 5432, "clinic", "desk", MESO_TLS_PREFER, NULL,
    "postgresql://desk@[::1]:5432/clinic?sslmode=prefer" },
  { "socket", "/tmp/EMPTY DIR", 0, "postgres", "meso", MESO_TLS_PREFER, NULL,
    "postgresql://meso@/postgres?host=%2Ftmp%2FEMPTY%20DIR&sslmode=prefer" },
  { "socket-port", "/run/pg", 5433, "postgres", "meso", MESO_TLS_PREFER, NULL,
    "postgresql://meso@/postgres?host=%2Frun%2Fpg&port=5433&sslmode=prefer" },
  { "verify-full", "db.clinic.lan", 0, "clinic", "desk", MESO_TLS_VERIFY_FULL,
    "/etc/clinic ca.pem",
    "postgresql://desk@db.clinic.lan/clinic?sslmode=verify-full"
    "&sslrootcert=%2Fetc%2Fclinic%20ca.pem" },
};

static void
assert_same_address (const MesoServerAddress *a,
                     const MesoServerAddress *b)
{
  g_assert_cmpstr (a->host, ==, b->host);
  g_assert_cmpuint (a->port, ==, b->port);
  g_assert_cmpstr (a->database, ==, b->database);
  g_assert_cmpstr (a->user, ==, b->user);
  g_assert_cmpint (a->tls, ==, b->tls);
  g_assert_cmpstr (a->ca_file, ==, b->ca_file);
}

/* Each part escaped; read back to the same fields. */
static void
test_uri (gconstpointer data)
{
  const UriCase *c = data;
  g_autoptr(MesoServerAddress) address = address_new (c->host, c->port, c->database, c->user,
                                                      c->tls, c->ca_file);
  g_autoptr(MesoServerAddress) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = meso_server_address_to_uri (address);

  g_assert_cmpstr (uri, ==, c->uri);
  g_assert_true (meso_location_is_server (uri));
  parsed = meso_server_address_parse (uri, &error);
  g_assert_no_error (error);
  assert_same_address (parsed, address);
}

/* What an administrator may write by hand: the host in the parameters (a socket), a
 * password (ignored, never written back), no sslmode (libpq's default, prefer). */
static void
test_parse_by_hand (void)
{
  g_autoptr(MesoServerAddress) socket = NULL;
  g_autoptr(MesoServerAddress) with_password = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  socket = meso_server_address_parse ("postgresql://meso@/postgres?host=/tmp/EMPTYDIR", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (socket->host, ==, "/tmp/EMPTYDIR");
  g_assert_cmpstr (socket->user, ==, "meso");
  g_assert_cmpstr (socket->database, ==, "postgres");
  g_assert_cmpuint (socket->port, ==, 0);
  g_assert_cmpint (socket->tls, ==, MESO_TLS_PREFER);

  with_password = meso_server_address_parse ("postgres://desk:s3cret@db:6000/clinic", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (with_password->user, ==, "desk");
  g_assert_cmpuint (with_password->port, ==, 6000);
  uri = meso_server_address_to_uri (with_password);
  g_assert_null (strstr (uri, "s3cret"));

  g_assert_null (meso_server_address_parse ("/home/clinic/mesocare.db", &error));
  g_assert_error (error, MESO_SERVER_ERROR, MESO_SERVER_FIELD_NONE);
  g_assert_false (meso_location_is_server ("/home/clinic/mesocare.db"));
  g_assert_false (meso_location_is_server (""));
}

static void
test_describe (void)
{
  g_autofree char *socket = meso_server_describe_location ("postgresql://meso@/postgres"
                                                           "?host=/tmp/EMPTYDIR");
  g_autofree char *port = meso_server_describe_location ("postgresql://u:pw@db:6000/clinic");
  g_autofree char *file = meso_server_describe_location ("/data/mesocare.db");

  g_assert_cmpstr (socket, ==, "/tmp/EMPTYDIR, database “postgres”");
  g_assert_cmpstr (port, ==, "db:6000, database “clinic”");
  g_assert_cmpstr (file, ==, "/data/mesocare.db");
}

typedef struct
{
  const char      *path;
  const char      *host;
  const char      *port;
  const char      *database;
  const char      *user;
  MesoTlsMode      tls;
  const char      *ca_file;
  MesoServerField  field;
  const char      *prefix;
} FieldCase;

static const FieldCase field_cases[] = {
  { "host-empty", "", "", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_HOST, "Server: " },
  { "host-space", "db clinic", "", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_HOST,
    "Server: " },
  { "host-slash", "db/clinic", "", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_HOST,
    "Server: " },
  { "host-control", "/tmp/a\tb", "", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_HOST,
    "Server: " },
  { "port-zero", "db", "0", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_PORT, "Port: " },
  { "port-big", "db", "65536", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_PORT, "Port: " },
  { "port-text", "db", "five", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_PORT, "Port: " },
  { "port-sign", "db", "-1", "clinic", "desk", 0, NULL, MESO_SERVER_FIELD_PORT, "Port: " },
  { "database-empty", "db", "", "", "desk", 0, NULL, MESO_SERVER_FIELD_DATABASE,
    "Database: " },
  { "database-long", "db", "",
    "a234567890123456789012345678901234567890123456789012345678901234", "desk", 0, NULL,
    MESO_SERVER_FIELD_DATABASE, "Database: " },
  { "user-empty", "db", "", "clinic", "", 0, NULL, MESO_SERVER_FIELD_USER, "User: " },
  { "user-line-break", "db", "", "clinic", "de\nsk", 0, NULL, MESO_SERVER_FIELD_USER,
    "User: " },
  { "ca-missing", "db", "", "clinic", "desk", MESO_TLS_VERIFY_FULL, NULL,
    MESO_SERVER_FIELD_CA_FILE, "Certificate authority: " },
  { "ca-not-there", "db", "", "clinic", "desk", MESO_TLS_VERIFY_FULL, "/nonexistent/ca.pem",
    MESO_SERVER_FIELD_CA_FILE, "Certificate authority: " },
  { "valid", "db.clinic.lan", "5432", "clinic", "desk", MESO_TLS_REQUIRE, NULL,
    MESO_SERVER_FIELD_NONE, NULL },
};

/* Each refused value names its field, in the code and at the head of the message. */
static void
test_field (gconstpointer data)
{
  const FieldCase *c = data;
  g_autoptr(MesoServerAddress) address = address_new (c->host, 0, c->database, c->user,
                                                      c->tls, c->ca_file);
  g_autoptr(GError) error = NULL;

  if (meso_server_address_set_port_text (address, c->port, &error))
    meso_server_address_validate (address, &error);
  if (c->prefix == NULL)
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_error (error, MESO_SERVER_ERROR, (int) c->field);
  g_assert_true (g_str_has_prefix (error->message, c->prefix));
}

/* ---- The connection test ---- */

/* A folder with no server in it: the reason comes back, as unreachable. */
static void
test_probe_unreachable (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-noserver-XXXXXX");
  g_autofree char *escaped = g_uri_escape_string (dir, NULL, FALSE);
  g_autofree char *uri = g_strdup_printf ("postgresql://meso@/postgres?host=%s", escaped);
  g_autofree char *tried = meso_server_uri_for_test (uri, "not shown", 2);
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (tried, "connect_timeout=2"));
  g_assert_false (meso_server_probe (tried, &version, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_null (strstr (error->message, "not shown"));
  g_assert_null (version);
  meso_test_remove_tree (dir);
}

/* A real server (MESOCARE_TEST_SERVER, a URI): it answers with its version. */
static void
test_probe_server (void)
{
  g_autofree char *tried = meso_server_uri_for_test (g_getenv ("MESOCARE_TEST_SERVER"), NULL,
                                                     5);
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_server_probe (tried, &version, &error));
  g_assert_no_error (error);
  g_assert_true (g_ascii_isdigit (version[0]));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pgpass/escape", test_escape);
  g_test_add_func ("/pgpass/new-file", test_new_file);
  g_test_add_func ("/pgpass/replace-keeps-others", test_replace_keeps_others);
  g_test_add_func ("/pgpass/escaped-line", test_escaped_line);
  g_test_add_func ("/pgpass/refused", test_refused);
  g_test_add_func ("/pgpass/path", test_path);
  MESO_TEST_ADD_NAMED_CASES ("/server-address/uri/", uri_cases, test_uri);
  g_test_add_func ("/server-address/parse-by-hand", test_parse_by_hand);
  g_test_add_func ("/server-address/describe", test_describe);
  MESO_TEST_ADD_NAMED_CASES ("/server-address/field/", field_cases, test_field);
  g_test_add_func ("/server-address/probe-unreachable", test_probe_unreachable);
  /* Only where a server runs: a skip would count as passed. */
  if (g_getenv ("MESOCARE_TEST_SERVER") != NULL)
    g_test_add_func ("/server-address/probe-server", test_probe_server);
  return g_test_run ();
}
