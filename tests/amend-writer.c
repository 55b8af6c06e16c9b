/* amend-writer.c: one of two processes amending and voiding the same sessions at once
 * (test-cli-list.c, /cli/amend-race). Usage: amend-writer DB TAG ROUNDS. Each round
 * amends the injections of sessions 1 to 5; now and then it voids one. An amendment
 * refused because the session was voided in between is expected; one refused because
 * the other writer amended it in between is made again from the session read again; any
 * other error ends it with status 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "meso-store.h"

#define N_TARGETS 5

/* Voided in between: the session is left. */
static gboolean
expected_refusal (const GError *error)
{
  return error != NULL && strstr (error->message, "voided") != NULL;
}

/* Reads session @id and sets its injections to @injections; read again, as a user opens
 * it again, while the other writer's amendment gets in between. */
static gboolean
amend (MesoStore   *store,
       gint64       id,
       guint        injections,
       const char  *reason,
       GError     **error)
{
  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(MesoSession) session = meso_store_get_session (store, id, error);

      if (session == NULL)
        return FALSE;
      meso_session_set_injections (session, injections);
      if (meso_store_amend_session (store, session, reason, error))
        return TRUE;
      /* Refused a hundred times over, the last refusal ends the writer. */
      if (!g_error_matches (*error, MESO_ERROR, MESO_ERROR_CONFLICT) || attempt == 100)
        return FALSE;
      g_clear_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = NULL;
  guint rounds;

  if (argc != 4)
    return 2;
  store = meso_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  rand = g_rand_new_with_seed (g_str_hash (argv[2]));
  rounds = (guint) g_ascii_strtoull (argv[3], NULL, 10);

  for (guint round = 0; round < rounds; round++)
    for (gint64 id = 1; id <= N_TARGETS; id++)
      {
        g_autofree char *reason = g_strdup_printf ("%s round %u", argv[2], round);
        guint injections = (guint) g_rand_int_range (rand, 1, 2001);

        if (g_rand_int_range (rand, 0, 40) == 0)
          meso_store_void_session (store, id, reason, &error);
        else
          amend (store, id, injections, reason, &error);
        if (error != NULL && !expected_refusal (error)
            && !g_error_matches (error, MESO_ERROR, MESO_ERROR_FAILED))
          break;
        g_clear_error (&error);
      }
  if (error != NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
