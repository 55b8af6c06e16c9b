/* meso-backup.h: copies of the database, taken while it is in use, and restoring one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "meso-store.h"

G_BEGIN_DECLS

/* How many daily backups the app keeps: a month of them. */
#define MESO_BACKUP_DEFAULT_KEEP 30

/* Every function works on paths and opens its own SQLite connections, so any of them
 * may run in a worker thread while the app keeps its own connection open (except
 * meso_backup_restore(), which needs the database closed). */

char     *meso_backup_get_default_dir  (const char  *db_path);
gboolean  meso_backup_create           (const char  *db_path,
                                        const char  *dest_path,
                                        GError     **error);
char     *meso_backup_create_daily     (const char  *db_path,
                                        guint        keep,
                                        GError     **error);
char     *meso_backup_create_now       (const char  *db_path,
                                        guint        keep,
                                        GError     **error);
gboolean  meso_backup_rotate           (const char  *dir,
                                        guint        keep,
                                        GError     **error);
gboolean  meso_backup_check_file       (const char  *path,
                                        GError     **error);
gboolean  meso_backup_check_integrity  (const char  *path,
                                        GError     **error);
gboolean  meso_backup_verify_file      (const char  *path,
                                        gboolean     anchored,
                                        GError     **error);
char     *meso_backup_find_newest      (const char  *dir);
gboolean  meso_backup_check_header     (const char  *path,
                                        gboolean    *out_latest,
                                        GError     **error);
char     *meso_backup_find_newest_good (const char  *dir,
                                        GError     **error);
gboolean  meso_backup_restore          (const char  *backup_path,
                                        const char  *db_path,
                                        char       **out_aside_path,
                                        GError     **error);

/* Through the store interface, for a database that is no file (a clinic server): the
 * backup is a SQLite file all the same, which restore and check understand. */
gboolean  meso_backup_create_from_store (MesoStore   *store,
                                        const char  *dest_path,
                                        GError     **error);
char     *meso_backup_create_now_from_store   (MesoStore   *store,
                                              const char  *dir,
                                              guint        keep,
                                              GError     **error);
char     *meso_backup_create_daily_from_store (MesoStore   *store,
                                              const char  *dir,
                                              guint        keep,
                                              GError     **error);
gboolean  meso_backup_restore_into_store (const char *backup_path,
                                        MesoStore   *store,
                                        GError     **error);

G_END_DECLS
