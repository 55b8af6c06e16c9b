/* meso-test-sqlite.c: what the tests that reach into a database file share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "meso-sqlite-seal.h"
#include "meso-test-sqlite.h"

/**
 * meso_test_sqlite_exec_sealed:
 * @path: a sealed database, its key in this account
 * @sql: statements that change its schema
 *
 * Runs @sql, then seals the schema it leaves with the database's key, as one of
 * Mesocare's own schema steps does: for a test that needs a schema Mesocare accepts
 * (a sabotaging index, a ballast table), since the store writes nothing to a database
 * whose schema is not the one sealed.
 */
void
meso_test_sqlite_exec_sealed (const char *path,
                              const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSeal) seal = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  seal = meso_seal_new (db, path);
  g_assert_true (meso_seal_load_key (seal, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (meso_seal_seal_schema (seal, &error));
  g_assert_no_error (error);
  g_clear_pointer (&seal, meso_seal_free);
  sqlite3_close (db);
}
