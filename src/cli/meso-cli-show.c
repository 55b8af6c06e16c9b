/* meso-cli-show.c: mesocare-cli show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-field.h"

/* Text that spans lines is indented under its label, so the output stays readable. */
static void
print_value (const char *label,
             const char *value)
{
  g_auto(GStrv) lines = g_strsplit (value, "\n", -1);

  g_print ("%s: %s\n", label, lines[0]);
  for (guint i = 1; lines[i] != NULL; i++)
    g_print ("    %s\n", lines[i]);
}

static void
print_session (MesoSession *session)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_get_id (session));

  g_print (_("Session %s\n"), id);
  if (meso_session_get_voided (session))
    {
      g_autofree char *status = g_strdup_printf (_("VOIDED: %s"),
                                                 meso_session_get_void_reason (session));

      print_value (_("Status"), status);
    }
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = meso_session_get_field_text (session, field);
      const char *unknown = meso_session_get_unknown_value (session, field);

      if (unknown != NULL)
        {
          /* Translators: a stored value this version cannot read, by its stored text */
          g_autofree char *shown = g_strdup_printf (_("“%s” (unknown stored value)"),
                                                    g_utf8_validate (unknown, -1, NULL)
                                                    ? unknown : "?");

          print_value (meso_field_get_label (field), shown);
          continue;
        }
      if (*text == '\0')
        {
          /* "Not recorded" is said, never left to look like "none". */
          if (field == MESO_FIELD_REACTIONS)
            print_value (meso_field_get_label (field), _("not recorded"));
          continue;
        }
      print_value (meso_field_get_label (field), text);
    }
}

/* An amendment may name a field this build does not know: made by a newer Mesocare, or
 * by hand. It is shown as such, never guessed at. */
static char *
change_label (const MesoChange *change)
{
  if (change->field == MESO_FIELD_NONE)
    /* Translators: an amended field this version does not know, by its stored id */
    return g_strdup_printf (_("%s (unknown field)"), change->field_id);
  return g_strdup (meso_field_get_label (change->field));
}

static void
print_amendments (GPtrArray *amendments)
{
  if (amendments->len == 0)
    return;
  g_print ("\n%s\n", _("Amendments (oldest first):"));
  for (guint i = 0; i < amendments->len; i++)
    {
      MesoAmendment *amendment = g_ptr_array_index (amendments, i);

      g_print ("%u. %s, %s: %s\n", i + 1, amendment->amended_at, amendment->user,
               amendment->reason);
      for (guint c = 0; c < amendment->changes->len; c++)
        {
          MesoChange *change = &g_array_index (amendment->changes, MesoChange, c);
          g_autofree char *label = change_label (change);

          g_print ("    %s: “%s” → “%s”\n", label, change->old_value, change->new_value);
        }
    }
}

int
meso_cli_show (const MesoCliGlobals  *globals,
               int                    argc,
               char                 **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GPtrArray) amendments = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_set_summary (context, _("Show every field of session ID, with its "
                                           "amendments."));
  if (!meso_cli_parse (context, &argc, &argv, "show"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("show", _("give the id of one session"));
  if (!meso_cli_parse_session_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  store = meso_cli_open_store_read_only (globals);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  session = meso_store_get_session (store, id, &error);
  if (session != NULL)
    amendments = meso_store_list_amendments (store, id, &error);
  if (amendments == NULL)
    return meso_cli_fail (error);

  print_session (session);
  print_amendments (amendments);
  return EXIT_SUCCESS;
}
