/* meso-cli-audit.c: mesocare-cli audit and mesocare-cli check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "meso-cli.h"
#include "meso-report-csv.h"

/* One line an entry, tab-separated: sequence, time (UTC), user, action, what it is
 * about, the values ("key=value" joined by "; "; the store escapes line breaks). */
static void
print_entry (const MesoAuditEntry *entry)
{
  g_auto(GStrv) lines = g_strsplit (entry->payload, "\n", -1);
  g_autofree char *values = NULL;
  guint n = g_strv_length (lines);

  if (n > 0 && *lines[n - 1] == '\0')
    {
      g_free (lines[n - 1]);
      lines[n - 1] = NULL;
    }
  values = g_strjoinv ("; ", lines);
  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s %" G_GINT64_FORMAT "\t%s\n", entry->seq,
           entry->at, entry->user, entry->action, entry->entity, entry->entity_id, values);
}

typedef enum
{
  FORMAT_TSV,
  FORMAT_CSV,
  FORMAT_JSON,
} Format;

/* The actions the log's CHECK constraint allows (data/sql/sqlite/004-current-values.sql). */
static const char * const actions[] = {
  "create", "amend", "void", "print", "export", "import", "backup", "restore", "adjust",
  "clinic", "report", "recall", NULL
};

static void
add_json_entry (JsonBuilder          *builder,
                const MesoAuditEntry *entry)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, entry->seq);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, entry->at);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, entry->user);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, entry->action);
  json_builder_set_member_name (builder, "entity");
  json_builder_add_string_value (builder, entry->entity);
  json_builder_set_member_name (builder, "entity_id");
  json_builder_add_int_value (builder, entry->entity_id);
  json_builder_set_member_name (builder, "payload");
  json_builder_add_string_value (builder, entry->payload);
  json_builder_end_object (builder);
}

/* The entries, and the state of the whole chain they belong to. */
static void
append_json (GString   *out,
             GPtrArray *entries,
             gboolean   intact,
             gint64     first_broken)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "chain");
  json_builder_add_string_value (builder, intact ? "intact" : "broken");
  json_builder_set_member_name (builder, "first_broken");
  if (intact)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, first_broken);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    add_json_entry (builder, g_ptr_array_index (entries, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  text = meso_cli_json_text (builder, TRUE);
  g_string_append_printf (out, "%s\n", text);
}

static gboolean
parse_format (const char *text,
              Format     *out_format)
{
  static const char * const names[] = { "tsv", "csv", "json", NULL };
  guint index;

  if (!meso_cli_parse_choice (text, names, &index))
    return FALSE;
  *out_format = (Format) index;
  return TRUE;
}

/* Local midnight of @day, or of the day after it for the end of a period. */
static GDateTime *
day_start (const GDate *day,
           gboolean     after)
{
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_get_year (day),
                                                      g_date_get_month (day),
                                                      g_date_get_day (day), 0, 0, 0);

  return after ? g_date_time_add_days (start, 1) : g_steal_pointer (&start);
}

typedef struct
{
  const char *from;
  const char *to;
  const char *action;
  const char *session;
  const char *format;
} AuditOptions;

/* Turns the options into a filter. Returns 0, or the exit status after saying what is
 * wrong: a usage error, but for a bad positional ID, a failure as it always was. */
static int
build_filter (const AuditOptions *options,
              const char         *positional_id,
              MesoAuditFilter    *filter,
              Format             *out_format)
{
  g_autoptr(GError) error = NULL;
  GDate first, last;
  gint64 id = 0;

  if (options->format != NULL && !parse_format (options->format, out_format))
    return meso_cli_usage ("audit", _("Format: “%s” is not one of tsv, csv, json"),
                           options->format);
  if (options->action != NULL && !g_strv_contains (actions, options->action))
    return meso_cli_usage ("audit", _("Action: “%s” is not an action of the log"),
                           options->action);
  if ((options->from != NULL && !meso_cli_parse_day (options->from, _("From"), &first, &error))
      || (options->to != NULL && !meso_cli_parse_day (options->to, _("To"), &last, &error)))
    return meso_cli_usage ("audit", "%s", error->message);
  if (options->from != NULL && options->to != NULL && g_date_compare (&last, &first) < 0)
    return meso_cli_usage ("audit", _("To: the last day (%s) comes before the first (%s)"),
                           options->to, options->from);
  if (options->session != NULL && positional_id != NULL)
    return meso_cli_usage ("audit", _("Session: give the session once"));
  if (options->session != NULL && !meso_cli_parse_session_id (options->session, &id, &error))
    return meso_cli_usage ("audit", "%s", error->message);
  if (positional_id != NULL && !meso_cli_parse_session_id (positional_id, &id, &error))
    return meso_cli_fail (error);

  filter->from = options->from != NULL ? day_start (&first, FALSE) : NULL;
  filter->to = options->to != NULL ? day_start (&last, TRUE) : NULL;
  filter->action = options->action;
  filter->session_id = id;
  return 0;
}

static int
print_entries (MesoStore       *store,
               MesoAuditFilter *filter,
               Format           format)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 first_broken = 0;
  gboolean intact;

  entries = meso_store_find_audit (store, filter, &error);
  if (entries == NULL)
    return meso_cli_fail (error);
  if (format == FORMAT_TSV)
    {
      for (guint i = 0; i < entries->len; i++)
        print_entry (g_ptr_array_index (entries, i));
      return EXIT_SUCCESS;
    }
  if (format == FORMAT_CSV)
    meso_audit_write_csv (entries, out);
  else
    {
      /* A broken chain is the answer, not a failure of the command; a database that
       * cannot be read is one. */
      intact = meso_store_check_chain (store, &first_broken, &error);
      if (!intact && first_broken == 0)
        return meso_cli_fail (error);
      append_json (out, entries, intact, first_broken);
    }
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
  return EXIT_SUCCESS;
}

static int
run_audit (const MesoCliGlobals *globals,
           MesoAuditFilter      *filter,
           Format                format)
{
  g_autoptr(MesoStore) store = meso_cli_open_store_read_only (globals);
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  /* An unknown session is an error, not an empty log. */
  if (filter->session_id != 0
      && (session = meso_store_get_session (store, filter->session_id, &error)) == NULL)
    return meso_cli_fail (error);
  return print_entries (store, filter, format);
}

int
meso_cli_audit (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *action = NULL;
  g_autofree char *session = NULL;
  g_autofree char *format_text = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Entries on or after this day"),
      N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Entries on or before this day"),
      N_("YYYY-MM-DD") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &action,
      N_("Entries of this action: create, amend, void, print, export, import, backup, "
         "restore, adjust, clinic, report, recall"), N_("ACTION") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session, N_("Entries about this session"),
      N_("ID") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      N_("tsv (the default), csv (with a header) or json (with the chain’s state)"),
      N_("FORMAT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[ID]"));
  MesoAuditFilter filter = { 0 };
  AuditOptions options;
  Format format = FORMAT_TSV;
  int status;

  g_option_context_set_summary (context, _("Print the audit log, oldest first: of session ID, "
                                           "or all of it.\nColumns: sequence, time (UTC), user, "
                                           "action, subject, values.\nDays are the clinic’s. "
                                           "JSON gives {\"chain\": \"intact\" or \"broken\", "
                                           "\"first_broken\": the first entry altered or null, "
                                           "\"entries\": [...]}."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "audit"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 2)
    return meso_cli_usage ("audit", _("unexpected argument “%s”"), argv[2]);
  options = (AuditOptions) { from, to, action, session, format_text };
  status = build_filter (&options, argc == 2 ? argv[1] : NULL, &filter, &format);
  if (status == 0)
    status = run_audit (globals, &filter, format);
  g_clear_pointer (&filter.from, g_date_time_unref);
  g_clear_pointer (&filter.to, g_date_time_unref);
  return status;
}

/* The entry a sheet's fingerprint names, and whether the session's record is still what
 * that sheet printed (its newest sheet entry is the same one, and `check` holds). */
static int
check_fingerprint (MesoStore   *store,
                   const char  *code,
                   gboolean     intact)
{
  g_autoptr(GError) error = NULL;
  MesoFingerprint found;

  if (!meso_store_find_fingerprint (store, code, &found, &error))
    return meso_cli_fail (error);
  g_print (_("Fingerprint %s: session %lld, audit entry %lld (%s)\n"), code,
           (long long) found.session_id, (long long) found.seq, found.action);
  if (found.latest_seq != found.seq)
    {
      g_printerr (_("mesocare-cli: the session has changed since this sheet was printed "
                    "(audit entry %lld, %s): print it again\n"),
                  (long long) found.latest_seq, found.latest_action);
      return MESO_CLI_EXIT_FAILURE;
    }
  if (!intact)
    return MESO_CLI_EXIT_FAILURE;
  g_print (_("The record still matches this sheet.\n"));
  return EXIT_SUCCESS;
}

int
meso_cli_check (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autofree char *fingerprint = NULL;
  const GOptionEntry entries[] = {
    { "fingerprint", 0, 0, G_OPTION_ARG_STRING, &fingerprint,
      N_("Also say which session and audit entry a sheet’s fingerprint (its footer’s "
         "code) belongs to, and whether the record still matches it"), N_("CODE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean intact;

  g_option_context_set_summary (context, _("Check the database: SQLite’s integrity check, "
                                           "the foreign keys, the sealed audit log and every "
                                           "record table against it.\n"
                                           "Exits 0 only when all hold."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "check"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("check", _("unexpected argument “%s”"), argv[1]);

  store = meso_cli_open_store_read_only (globals);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  intact = meso_store_check (store, &error);
  if (!intact)
    g_printerr ("mesocare-cli: %s\n", error->message);
  else
    /* Not translated: scripts read it. */
    g_print ("ok\n");
  if (fingerprint != NULL)
    return check_fingerprint (store, fingerprint, intact);
  return intact ? EXIT_SUCCESS : MESO_CLI_EXIT_FAILURE;
}
