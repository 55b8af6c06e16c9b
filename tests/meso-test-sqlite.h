/* meso-test-sqlite.h: what the tests that reach into a database file share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void meso_test_sqlite_exec_sealed (const char *path,
                                   const char *sql);

G_END_DECLS
