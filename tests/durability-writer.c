/* durability-writer.c: the process test-durability kills, and the one it runs twice at
 * once
 *
 * Usage: durability-writer DATABASE TAG COUNT
 *
 * Records sessions one after another through the core, COUNT of them (0: until killed),
 * and prints each id on its own line the moment meso_store_save_session() returns TRUE:
 * a line on stdout is the promise that the session is on disk, exactly what `record`
 * promises a user. It never retries: the first error ends it with status 1 and the
 * message on stderr, so a "database is locked" reaches the test instead of being hidden.
 *
 * Session n (from 1) of writer TAG holds values derived from n, so that the test can
 * tell from an id alone what the session must contain: see
 * meso_test_fill_writer_session() in meso-test-util.c, which test-durability.c follows
 * too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "durability-writer"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "meso-store.h"
#include "meso-test-util.h"

static int
fail (const GError *error)
{
  g_printerr ("durability-writer: %s\n", error->message);
  return EXIT_FAILURE;
}

/* Flushed at once: a line still in our buffer when the kill comes was never said. */
static gboolean
announce (gint64 id)
{
  return printf ("%" G_GINT64_FORMAT "\n", id) > 0 && fflush (stdout) == 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 count = 0;

  if (argc != 4
      || !g_ascii_string_to_unsigned (argv[3], 10, 0, G_MAXUINT32, &count, NULL))
    {
      g_printerr ("Usage: durability-writer DATABASE TAG COUNT\n");
      return 2;
    }

  store = meso_store_open (argv[1], &error);
  if (store == NULL)
    return fail (error);

  for (guint64 n = 1; count == 0 || n <= count; n++)
    {
      g_autoptr(MesoSession) session = meso_session_new ();

      meso_test_fill_writer_session (session, argv[2], n);
      if (!meso_store_save_session (store, session, &error))
        return fail (error);
      if (!announce (meso_session_get_id (session)))
        {
          g_printerr ("durability-writer: cannot write on stdout: %s\n", g_strerror (errno));
          return EXIT_FAILURE;
        }
    }
  return EXIT_SUCCESS;
}
