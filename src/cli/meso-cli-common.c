/* meso-cli-common.c: parsing, opening the store and reporting errors, once for every
 * command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>
#include <string.h>

#include "meso-cli.h"
#include "meso-error.h"

/* The options a command takes more than once, each adding a value; any other option
 * given twice is refused rather than silently taking the last value. */
static const struct
{
  const char         *command;
  const char * const  options[6];
} repeatable_options[] = {
  { "adjust", { "--off", "--on", "--text", "--reset-text", "--add-line", NULL } },
};

static gboolean
is_repeatable (const char *command,
               const char *option)
{
  for (gsize i = 0; i < G_N_ELEMENTS (repeatable_options); i++)
    if (g_str_equal (repeatable_options[i].command, command))
      return g_strv_contains ((const char * const *) repeatable_options[i].options, option);
  return FALSE;
}

/* "--patient=A" and "--patient A" are both "--patient"; "-o" is itself. */
static char *
option_name (const char *arg)
{
  if (g_str_has_prefix (arg, "--"))
    return g_strndup (arg, strcspn (arg, "="));
  if (arg[0] == '-' && g_ascii_isalpha (arg[1]))
    return g_strndup (arg, 2);
  return NULL;
}

static gboolean
check_repeated_options (int          argc,
                        char       **argv,
                        const char  *command,
                        GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 1; i < argc && g_strcmp0 (argv[i], "--") != 0; i++)
    {
      g_autofree char *name = option_name (argv[i]);

      if (name == NULL || is_repeatable (command, name))
        continue;
      if (g_hash_table_contains (seen, name))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("the option %s is given twice: give it once"), name);
          return FALSE;
        }
      g_hash_table_add (seen, g_steal_pointer (&name));
    }
  return TRUE;
}

/**
 * meso_cli_parse:
 *
 * Parses a command's options; on a bad option, or one given twice that does not add
 * values, prints one line and returns %FALSE.
 * `--help` prints the command's help and exits 0, as GOption does.
 */
gboolean
meso_cli_parse (GOptionContext   *context,
                int              *argc,
                char           ***argv,
                const char       *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strconcat ("mesocare-cli ", command, NULL);

  /* So that --help reads "Usage: mesocare-cli record [OPTION…]". */
  g_set_prgname (prgname);
  if (!check_repeated_options (*argc, *argv, command, &error)
      || !g_option_context_parse (context, argc, argv, &error))
    {
      meso_cli_usage (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_cli_get_db_path:
 * @globals: the global options
 *
 * Returns: (transfer full): the database to work on: --db, or the app's own.
 */
char *
meso_cli_get_db_path (const MesoCliGlobals *globals)
{
  if (globals->db_path != NULL)
    return g_strdup (globals->db_path);
  return meso_store_get_default_path ();
}

/**
 * meso_cli_parse_session_id:
 * @text: a session id as typed
 * @out_id: (out): the id
 * @error: a #GError naming the field
 */
gboolean
meso_cli_parse_session_id (const char  *text,
                           gint64      *out_id,
                           GError     **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
                   _("Session: “%s” is not a session id (a whole number from 1)"),
                   g_utf8_validate (text, -1, NULL) ? text : "?");
      return FALSE;
    }
  *out_id = (gint64) value;
  return TRUE;
}

/**
 * meso_cli_open_store:
 * @globals: the global options
 * @create: whether a missing database is created (for writers) or an error (readers)
 *
 * Returns: (transfer full) (nullable): the store, or %NULL after printing why not.
 */
MesoStore *
meso_cli_open_store (const MesoCliGlobals *globals,
                     gboolean              create)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = meso_cli_get_db_path (globals);
  MesoStore *store;

  store = create ? meso_store_open (path, &error) : meso_store_open_existing (path, &error);
  if (store == NULL)
    meso_cli_fail (error);
  return store;
}

/**
 * meso_cli_open_store_read_only:
 * @globals: the global options
 *
 * For the commands that only read (list, show, check, audit...): the database is left
 * exactly as it is, however old its schema (never upgraded) and wherever it lies (a
 * backup, a read-only disc).
 *
 * Returns: (transfer full) (nullable): the store, or %NULL after printing why not.
 */
MesoStore *
meso_cli_open_store_read_only (const MesoCliGlobals *globals)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = meso_cli_get_db_path (globals);
  MesoStore *store = meso_store_open_read_only (path, &error);

  if (store == NULL)
    meso_cli_fail (error);
  return store;
}

/* Whether the database and its folder (where SQLite keeps its journals) can be written:
 * not on a read-only file system, not a file its owner made read-only. */
static gboolean
can_write (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  return g_access (path, W_OK) == 0 && g_access (dir, W_OK) == 0;
}

/**
 * meso_cli_open_store_for_output:
 * @globals: the global options
 *
 * For the commands that read sessions and hand them out (sheet, export): everything
 * handed out is entered in the audit log, so the database is opened for writing when
 * it can be written; otherwise (a read-only file system) read-only, and the command
 * warns that its audit entry could not be made (meso_cli_warn_not_audited()).
 *
 * Returns: (transfer full) (nullable): the store, or %NULL after printing why not.
 */
MesoStore *
meso_cli_open_store_for_output (const MesoCliGlobals *globals)
{
  g_autofree char *path = meso_cli_get_db_path (globals);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) && !can_write (path))
    return meso_cli_open_store_read_only (globals);
  return meso_cli_open_store (globals, FALSE);
}

/**
 * meso_cli_warn_not_audited:
 * @store: the store a command read from
 *
 * Says on stderr, for a store opened read-only, that what was handed out is not in the
 * audit log.
 */
void
meso_cli_warn_not_audited (MesoStore *store)
{
  if (!meso_store_get_read_only (store))
    return;
  g_printerr (_("mesocare-cli: warning: the database %s cannot be written: what was handed "
                "out is not entered in its audit log\n"), meso_store_get_path (store));
}

/**
 * meso_cli_fail:
 * @error: what went wrong; its message already names the field or the file
 *
 * Returns: the exit status for a failed operation.
 */
int
meso_cli_fail (const GError *error)
{
  g_printerr ("mesocare-cli: %s\n", error->message);
  return MESO_CLI_EXIT_FAILURE;
}

int
meso_cli_usage (const char *command,
                const char *format,
                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    g_printerr ("mesocare-cli %s: %s (see “mesocare-cli %s --help”)\n", command, message,
                command);
  else
    g_printerr ("mesocare-cli: %s (see “mesocare-cli --help”)\n", message);
  return MESO_CLI_EXIT_USAGE;
}

/* GLib 2.74 looks the local time zone up on disk again (a readlink and a few stats of
 * /etc/localtime) every time it is asked for it while TZ is unset, and saving a session
 * asks four times (stamping, validating, checking the date is not in the future): an
 * import asks millions of times. Naming the zone it found in TZ, for this process only,
 * keeps it cached: the same zone, so the same times, and a quarter of the time saved. */
void
meso_cli_pin_local_time_zone (void)
{
  g_autoptr(GTimeZone) local = NULL;

  if (g_getenv ("TZ") != NULL)
    return;
  local = g_time_zone_new_local ();
  g_setenv ("TZ", g_time_zone_get_identifier (local), TRUE);
}

/**
 * meso_cli_parse_choice:
 * @text: what the user gave (a --format's value, say)
 * @names: the words allowed, %NULL-terminated
 * @out_index: (out): where @text stands among @names
 *
 * Returns: whether @text is one of @names, exactly.
 */
gboolean
meso_cli_parse_choice (const char         *text,
                       const char * const *names,
                       guint              *out_index)
{
  for (guint i = 0; text != NULL && names[i] != NULL; i++)
    if (g_str_equal (text, names[i]))
      {
        *out_index = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * meso_cli_json_text:
 * @builder: a builder holding a whole value
 * @pretty: indented, for a document read whole; else on one line, for a stream
 *
 * Returns: (transfer full): the value as JSON text, without a final line break.
 */
char *
meso_cli_json_text (JsonBuilder *builder,
                    gboolean     pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}
