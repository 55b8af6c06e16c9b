/* lock-holder.c: another process holding a database's write lock, for as long as a
 * test needs
 *
 * Usage: lock-holder DB
 * Takes the write lock (BEGIN IMMEDIATE), says "locked" on its standard output, and
 * keeps the lock until its standard input closes; then rolls back and exits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <sqlite3.h>

int
main (int    argc,
      char **argv)
{
  sqlite3 *db = NULL;
  char buffer[256];

  if (argc != 2)
    {
      fprintf (stderr, "Usage: lock-holder DB\n");
      return 2;
    }
  if (sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
      || sqlite3_busy_timeout (db, 10000) != SQLITE_OK
      || sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "lock-holder: %s: %s\n", argv[1], sqlite3_errmsg (db));
      sqlite3_close (db);
      return 1;
    }
  printf ("locked\n");
  fflush (stdout);

  while (fread (buffer, 1, sizeof buffer, stdin) > 0)
    ;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  return 0;
}
