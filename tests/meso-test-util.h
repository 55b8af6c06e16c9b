/* meso-test-util.h: what several test programs share: temporary folders, mesocare-cli
 * run in a private home, stores and sessions, waiting for something to happen, and
 * table-driven cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-store.h"

G_BEGIN_DECLS

/* Temporary folders */
char                *meso_test_make_tmp_dir          (const char *tmpl);
void                 meso_test_remove_tree           (const char *path);
char                *meso_test_first_entry           (const char *path);

/* A fresh folder whose database, path/data/mesocare.db, lives one folder down, so that
 * a folder created for nothing shows too. On the postgresql suite (see
 * meso_test_db_location_new()), @db is instead a database of its own on the test server,
 * dropped with the folder: what meso_store_open() and mesocare-cli --db take either way. */
typedef struct
{
  char *path;
  char *db;
} MesoTestDir;

MesoTestDir         *meso_test_dir_new               (void);
void                 meso_test_dir_free              (MesoTestDir *dir);
char                *meso_test_dir_file              (const MesoTestDir *dir,
                                                      const char        *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoTestDir, meso_test_dir_free)

/* The engine the store tests run on, and a fresh database for each test.
 * MESOCARE_TEST_ENGINE=postgresql runs them on a clinic server: a database of its own for
 * each test, made on MESOCARE_TEST_SERVER (a superuser's postgresql:// URI, which
 * build-aux/test starts and sets) and dropped at the end; otherwise on SQLite. A location
 * is what meso_store_open() and mesocare-cli's --db take. */
gboolean             meso_test_engine_is_postgresql  (void);
char                *meso_test_db_location_new       (const char *sqlite_path);
void                 meso_test_db_location_free      (char       *location);
const char          *meso_test_server_uri            (void);
char                *meso_test_server_db_uri         (const char *server_uri,
                                                      const char *dbname,
                                                      const char *user);
char                *meso_test_location_db_name      (const char *location);
void                 meso_test_pg_run                (const char *uri,
                                                      const char *sql);
gint64               meso_test_pg_count              (const char *uri,
                                                      const char *sql);
char                *meso_test_pg_rows               (const char *uri,
                                                      const char *sql);
gboolean             meso_test_pg_try                (const char *uri,
                                                      const char *sql);
/* Every row of every table in the database of @uri, as text, in a fixed order. */
char                *meso_test_pg_fingerprint        (const char *uri);
/* Whether nothing of Mesocare's is at @location yet: no file on SQLite, no table in the
 * test's database on a server (which the test made, empty). */
gboolean             meso_test_db_location_is_blank  (const char *location);
/* @to (a fresh location of meso_test_db_location_new()) made a copy of @from, a closed
 * database: the file copied (its folder made), or the server's database made again
 * with @from as its template. */
void                 meso_test_db_location_copy      (const char *from,
                                                      const char *to);
/* A postgresql:// location of a database that does not exist on the test server. */
char                *meso_test_missing_db_location_new (void);

/* Running mesocare-cli */
const char          *meso_test_cli_path              (void);
void                 meso_test_log_text              (const char *label,
                                                      const char *text);
GSubprocessLauncher *meso_test_launcher_new          (GSubprocessFlags flags);
GSubprocess         *meso_test_spawn_cli             (GSubprocessLauncher *launcher,
                                                      const char          *db,
                                                      const char * const  *args);

/* Stores and sessions */
MesoSession         *meso_test_session_new           (const char *patient,
                                                      MesoArea   areas,
                                                      guint      injections,
                                                      guint      duration);
MesoStore           *meso_test_open_store            (const char *path);
gint64               meso_test_save_session          (MesoStore   *store,
                                                      MesoSession *session);
void                 meso_test_assert_sessions_equal (MesoSession *a,
                                                      MesoSession *b);
void                 meso_test_fill_writer_session   (MesoSession *session,
                                                      const char  *tag,
                                                      guint64     n);

/* Files and text */
GBytes              *meso_test_read_file             (const char *path);
void                 meso_test_damage_database       (const char *path);
guint                meso_test_count_newlines        (const char *text);

/* Waiting for something to happen: never for a fixed time, which a loaded machine
 * overruns, but for the thing itself, with an upper bound that only a real failure
 * reaches. They iterate the global default main context: call them from the main
 * thread. */
#define MESO_TEST_WAIT_LIMIT_S 30

typedef gboolean (*MesoTestCondition) (gpointer data);

gboolean             meso_test_wait_until            (MesoTestCondition  condition,
                                                      gpointer           data,
                                                      guint              limit_s);
void                 meso_test_wait_for_at           (const char        *file,
                                                      int                line,
                                                      const char        *func,
                                                      MesoTestCondition  condition,
                                                      gpointer           data,
                                                      const char        *what);
char                *meso_test_wait_for_output_at    (const char        *file,
                                                      int                line,
                                                      const char        *func,
                                                      GInputStream      *pipe,
                                                      const char        *needle,
                                                      const char        *what);

/* Until @condition (@data) holds. Fails the test, naming @what and the caller's line,
 * when it still does not after MESO_TEST_WAIT_LIMIT_S seconds. */
#define meso_test_wait_for(condition, data, what) \
  meso_test_wait_for_at (__FILE__, __LINE__, G_STRFUNC, (condition), (data), (what))

/* Until @needle has come through @pipe (a child process's stdout or stderr); returns
 * what came, the rest being left in the pipe. Fails the test, naming @what, when the
 * pipe closes first or @needle has not come after MESO_TEST_WAIT_LIMIT_S seconds. */
#define meso_test_wait_for_output(pipe, needle, what) \
  meso_test_wait_for_output_at (__FILE__, __LINE__, G_STRFUNC, (pipe), (needle), (what))

/* What the store says, with G_MESSAGES_DEBUG=meso-store, when it finds the database
 * locked by another writer and starts waiting for it (see meso-store.c). */
#define MESO_TEST_STORE_DEBUG     "meso-store"
#define MESO_TEST_STORE_WAITS     "locked by another writer: waiting for it"

char                *meso_test_strip_debug_lines     (const char        *text);

/* Lets go of *@store and waits, through the main loop, until it is finalized: its
 * worker lets go of its last requests from there. */
void                 meso_test_drop_store            (MesoStore        **store);
/* The same, then removes the database (and its -wal and -shm files) and *@dir, the folder
 * that held it, which is freed. */
void                 meso_test_drop_store_and_dir    (MesoStore        **store,
                                                      char             **dir);

/* Another process (tests/lock-holder; psql holding the store's advisory lock on a
 * server) holding the database's write lock: started and awaited until it holds the
 * lock; released by closing its standard input, then awaited until it has gone. */
GSubprocess         *meso_test_hold_write_lock       (const char        *db);
void                 meso_test_release_write_lock    (GSubprocess       *holder);

/* Table-driven cases: one test for each element of an array, given the element as its
 * data. */
void                 meso_test_add_numbered_cases    (const char    *prefix,
                                                      const void    *cases,
                                                      gsize         size,
                                                      gsize         n,
                                                      GTestDataFunc func);

/* Named @prefix/0, @prefix/1...; the size and count taken from the array itself, so that
 * they cannot disagree with it. */
#define MESO_TEST_ADD_NUMBERED_CASES(prefix, cases, func)               \
  meso_test_add_numbered_cases ((prefix), (cases), sizeof ((cases)[0]), \
                                G_N_ELEMENTS (cases), (func))

/* Named @prefix followed by each element's `path` member, @prefix ending in "/". A macro,
 * as the element type is the caller's. */
#define MESO_TEST_ADD_NAMED_CASES(prefix, table, func)                                   \
  G_STMT_START {                                                                         \
    for (guint case_i = 0; case_i < G_N_ELEMENTS (table); case_i++)                      \
      {                                                                                  \
        g_autofree char *case_path = g_strconcat ((prefix), (table)[case_i].path, NULL); \
                                                                                         \
        g_test_add_data_func (case_path, &(table)[case_i], (func));                      \
      }                                                                                  \
  } G_STMT_END

G_END_DECLS
