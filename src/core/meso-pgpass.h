/* meso-pgpass.h: the clinic server's password, in the user's .pgpass file, which libpq
 * reads by itself
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *meso_pgpass_get_path      (void);
char     *meso_pgpass_escape        (const char  *field);
gboolean  meso_pgpass_set_password  (const char  *path,
                                     const char  *host,
                                     guint        port,
                                     const char  *database,
                                     const char  *user,
                                     const char  *password,
                                     GError     **error);
char     *meso_pgpass_find_password (const char  *path,
                                     const char  *host,
                                     guint        port,
                                     const char  *database,
                                     const char  *user);

G_END_DECLS
