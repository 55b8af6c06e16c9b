/* meso-server-address.h: where a clinic server is, as a workstation's settings hold it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MESO_SERVER_DEFAULT_PORT 5432

/* How the connection is encrypted: libpq's sslmode values of the same names. */
typedef enum
{
  MESO_TLS_PREFER,       /* TLS when the server offers it (the default) */
  MESO_TLS_REQUIRE,      /* TLS or nothing, the server's certificate not checked */
  MESO_TLS_VERIFY_FULL,  /* TLS, the certificate signed by the chosen authority, the name
                          * the server's */
} MesoTlsMode;

/* The field a refused value is in: the code of a MESO_SERVER_ERROR. */
typedef enum
{
  MESO_SERVER_FIELD_NONE,      /* a location that is no server address at all */
  MESO_SERVER_FIELD_HOST,
  MESO_SERVER_FIELD_PORT,
  MESO_SERVER_FIELD_DATABASE,
  MESO_SERVER_FIELD_USER,
  MESO_SERVER_FIELD_PASSWORD,
  MESO_SERVER_FIELD_CA_FILE,
} MesoServerField;

#define MESO_SERVER_ERROR (meso_server_error_quark ())

/* A server's address without its password, which never goes into the settings. */
typedef struct
{
  char        *host;      /* a name, an IP address, or the folder of a Unix socket */
  guint        port;      /* 0 for the default, MESO_SERVER_DEFAULT_PORT */
  char        *database;
  char        *user;
  MesoTlsMode  tls;
  char        *ca_file;   /* the certificate authority, for MESO_TLS_VERIFY_FULL */
} MesoServerAddress;

GQuark             meso_server_error_quark         (void);

gboolean           meso_location_is_server         (const char               *location);

MesoServerAddress *meso_server_address_new         (void);
void               meso_server_address_free        (MesoServerAddress        *address);
gboolean           meso_server_address_set_port_text (MesoServerAddress      *address,
                                                    const char               *text,
                                                    GError                  **error);
gboolean           meso_server_address_validate    (const MesoServerAddress  *address,
                                                    GError                  **error);
char              *meso_server_address_to_uri      (const MesoServerAddress  *address);
MesoServerAddress *meso_server_address_parse       (const char               *location,
                                                    GError                  **error);
guint              meso_server_address_get_port    (const MesoServerAddress  *address);
char              *meso_server_describe_location   (const char               *location);

char              *meso_server_uri_for_test        (const char               *uri,
                                                    const char               *password,
                                                    guint                     timeout_s);
gboolean           meso_server_probe               (const char               *uri,
                                                    char                    **out_version,
                                                    GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoServerAddress, meso_server_address_free)

G_END_DECLS
