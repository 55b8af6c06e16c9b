/* meso-cli-record.c: mesocare-cli record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-error.h"
#include "meso-validate.h"

typedef struct
{
  char *patient;
  char *areas;
  char *injections;
  char *duration;
} RecordOptions;

static void
record_options_clear (RecordOptions *options)
{
  g_clear_pointer (&options->patient, g_free);
  g_clear_pointer (&options->areas, g_free);
  g_clear_pointer (&options->injections, g_free);
  g_clear_pointer (&options->duration, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RecordOptions, record_options_clear)

/* Turns the options into a session, checking every value before anything is opened,
 * so that bad input writes nothing at all, not even a new empty database. Numbers are
 * taken as text so that the message for "abc" names the field. */
static MesoSession *
session_from_options (const RecordOptions  *options,
                      GError              **error)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  MesoArea areas = MESO_AREA_NONE;
  guint injections = 0;
  guint duration = 0;

  meso_session_set_patient_name (session, options->patient);
  if (!meso_validate_patient_name (meso_session_get_patient_name (session), error))
    return NULL;

  if (options->areas == NULL)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_AREAS_REQUIRED,
                           _("Area: give the areas treated with --area AREA[,AREA...]"));
      return NULL;
    }
  if (!meso_areas_parse (options->areas, &areas, error))
    return NULL;

  if (options->injections == NULL)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_INJECTIONS_RANGE,
                           _("Injections: give the number of injections with --injections N"));
      return NULL;
    }
  if (!meso_parse_injections (options->injections, &injections, error))
    return NULL;

  if (options->duration == NULL)
    {
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_DURATION_RANGE,
                           _("Duration: give the duration in minutes with --duration MINUTES"));
      return NULL;
    }
  if (!meso_parse_duration (options->duration, &duration, error))
    return NULL;

  meso_session_set_areas (session, areas);
  meso_session_set_injections (session, injections);
  meso_session_set_duration (session, duration);
  if (!meso_session_validate (session, error))
    return NULL;
  return g_steal_pointer (&session);
}

int
meso_cli_record (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_auto(RecordOptions) options = { 0 };
  /* The bounds come from the core, so the help cannot disagree with the validation. */
  g_autofree char *injections_help = g_strdup_printf (_("Number of injections, %d to %d"),
                                                      MESO_INJECTIONS_MIN, MESO_INJECTIONS_MAX);
  g_autofree char *duration_help = g_strdup_printf (_("Duration in whole minutes, %d to %d"),
                                                    MESO_DURATION_MIN, MESO_DURATION_MAX);
  const GOptionEntry entries[] = {
    /* Taken as raw bytes (FILENAME), so that text that is not UTF-8 reaches the core's
     * validation, whose message names the field, instead of failing in GOption. */
    { "patient", 0, 0, G_OPTION_ARG_FILENAME, &options.patient,
      N_("The patient’s full name"), N_("NAME") },
    /* Translators: the area ids are typed on the command line as they are: keep them */
    { "area", 0, 0, G_OPTION_ARG_FILENAME, &options.areas,
      N_("Areas treated: face, scalp, neck, decolletage, abdomen, flanks, thighs, buttocks, arms"),
      N_("AREA[,AREA...]") },
    { "injections", 0, 0, G_OPTION_ARG_STRING, &options.injections, injections_help, N_("N") },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &options.duration, duration_help, N_("MINUTES") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* Translators: "print" as in show on the terminal */
  g_option_context_set_summary (context, _("Store a session and print its id."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "record"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("record", _("unexpected argument “%s”"), argv[1]);

  session = session_from_options (&options, &error);
  if (session == NULL)
    return meso_cli_fail (error);

  store = meso_cli_open_store (globals, TRUE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_store_save_session (store, session, &error))
    return meso_cli_fail (error);

  /* Printed only now: the id on stdout means the session is committed to disk. */
  g_print ("%" G_GINT64_FORMAT "\n", meso_session_get_id (session));
  return EXIT_SUCCESS;
}
