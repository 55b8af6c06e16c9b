/* pg-writer.c: one of two processes saving sessions on one clinic server at the same
 * time (test-pg-server.c, /pg/concurrent-writers). Usage: pg-writer URI TAG COUNT. Each
 * session is saved in its own transaction, as a chair saves them; it prints "ready" once
 * connected, waits for a line on its standard input (so that both start together), and
 * exits 1 at the first error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "meso-store.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char line[16];
  guint count;

  if (argc != 4)
    return 2;
  store = meso_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  count = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  printf ("ready\n");
  fflush (stdout);
  if (fgets (line, sizeof line, stdin) == NULL)
    return 1;

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s Patient %u", argv[2], i);
      g_autoptr(MesoSession) session = g_object_new (MESO_TYPE_SESSION,
                                                     "patient-name", name,
                                                     "areas", MESO_AREA_SCALP,
                                                     "injections", 1 + i % 100,
                                                     "duration", 1 + i % 60,
                                                     NULL);

      if (!meso_store_save_session (store, session, &error))
        {
          g_printerr ("%s, session %u: %s\n", argv[2], i, error->message);
          return 1;
        }
    }
  return 0;
}
