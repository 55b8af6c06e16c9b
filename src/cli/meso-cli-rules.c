/* meso-cli-rules.c: mesocare-cli rules and mesocare-cli adjust
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"
#include "meso-error.h"
#include "meso-rules.h"

/* Why each rule of the session's sheet is there, in print order; and which of them the
 * practitioner switched off or reworded. */
static int
explain_session (MesoStore *store,
                 MesoRules *rules,
                 gint64     id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) session = meso_store_get_session (store, id, &error);
  g_autoptr(MesoAdjustments) adjustments = NULL;
  g_autoptr(GPtrArray) selected = NULL;

  if (session != NULL)
    adjustments = meso_store_get_adjustments (store, id, &error);
  if (adjustments == NULL)
    return meso_cli_fail (error);

  selected = meso_rules_select (rules, session);
  for (guint i = 0; i < selected->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (selected, i);
      g_autofree char *why = meso_rule_explain (rule, session);
      const char *id_text = meso_rule_get_id (rule);
      const char *note = meso_adjustments_is_rule_off (adjustments, id_text)
                         ? _(" [switched off for this patient]")
                         : meso_adjustments_get_text (adjustments, id_text) != NULL
                         ? _(" [reworded for this patient]") : "";

      g_print ("%s\t%s\t%s%s\n", id_text, meso_rule_get_section (rule), why, note);
    }
  return EXIT_SUCCESS;
}

static void
list_rules (MesoRules *rules)
{
  GPtrArray *all = meso_rules_get_rules (rules);

  for (guint i = 0; i < all->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (all, i);
      g_autofree char *conditions = meso_rule_describe (rule);

      g_print ("%s\t%s\t%s%s\n", meso_rule_get_id (rule), meso_rule_get_section (rule),
               conditions, meso_rule_is_safety (rule) ? _("; safety line") : "");
    }
}

int
meso_cli_rules (const MesoCliGlobals  *globals,
                int                    argc,
                char                 **argv)
{
  g_autofree char *explain = NULL;
  const GOptionEntry entries[] = {
    { "explain", 0, 0, G_OPTION_ARG_FILENAME, &explain,
      N_("Which rules the sheet of session ID uses, and why"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoRules) rules = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_set_summary (context, _("List the aftercare rules, tab-separated: id, "
                                           "section, conditions."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "rules"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("rules", _("unexpected argument “%s”"), argv[1]);
  if (explain != NULL && !meso_cli_parse_session_id (explain, &id, &error))
    return meso_cli_fail (error);

  rules = meso_rules_new_default (&error);
  if (rules == NULL)
    return meso_cli_fail (error);
  if (explain == NULL)
    {
      list_rules (rules);
      return EXIT_SUCCESS;
    }

  store = meso_cli_open_store_read_only (globals);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  return explain_session (store, rules, id);
}

typedef struct
{
  GStrv    off;
  GStrv    on;
  GStrv    texts;
  GStrv    reset_texts;
  GStrv    add_lines;
  gboolean clear_lines;
} AdjustOptions;

static void
adjust_options_clear (AdjustOptions *options)
{
  g_clear_pointer (&options->off, g_strfreev);
  g_clear_pointer (&options->on, g_strfreev);
  g_clear_pointer (&options->texts, g_strfreev);
  g_clear_pointer (&options->reset_texts, g_strfreev);
  g_clear_pointer (&options->add_lines, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AdjustOptions, adjust_options_clear)

static gboolean
check_rule_id (MesoRules   *rules,
               const char  *id,
               GError     **error)
{
  if (meso_rules_find (rules, id) != NULL)
    return TRUE;
  g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND,
               _("Rule: “%s” is not a rule (“mesocare-cli rules” lists them)"),
               g_utf8_validate (id, -1, NULL) ? id : "?");
  return FALSE;
}

/* Applies the options to the stored adjustments, in a fixed order, checking every rule
 * id and text before anything is saved. Safety lines stay as written: whatever older
 * versions stored against them is dropped, and asking again is refused. */
static gboolean
apply_options (const AdjustOptions  *options,
               MesoRules            *rules,
               MesoAdjustments      *adjustments,
               GError              **error)
{
  meso_rules_keep_safety_lines (rules, adjustments);
  for (guint i = 0; options->off != NULL && options->off[i] != NULL; i++)
    if (!check_rule_id (rules, options->off[i], error))
      return FALSE;
    else
      meso_adjustments_set_rule_off (adjustments, options->off[i], TRUE);
  for (guint i = 0; options->on != NULL && options->on[i] != NULL; i++)
    if (!check_rule_id (rules, options->on[i], error))
      return FALSE;
    else
      meso_adjustments_set_rule_off (adjustments, options->on[i], FALSE);
  for (guint i = 0; options->reset_texts != NULL && options->reset_texts[i] != NULL; i++)
    if (!check_rule_id (rules, options->reset_texts[i], error)
        || !meso_adjustments_set_text (adjustments, options->reset_texts[i], NULL, error))
      return FALSE;
  for (guint i = 0; options->texts != NULL && options->texts[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (options->texts[i], "=", 2);

      /* "" splits into no part at all. */
      if (pair[0] == NULL || pair[1] == NULL)
        {
          g_set_error_literal (error, MESO_ERROR, MESO_ERROR_FAILED,
                               _("Text: write it as RULE=TEXT"));
          return FALSE;
        }
      if (!check_rule_id (rules, pair[0], error)
          || !meso_adjustments_set_text (adjustments, pair[0], pair[1], error))
        return FALSE;
    }
  if (options->clear_lines)
    meso_adjustments_clear_lines (adjustments);
  for (guint i = 0; options->add_lines != NULL && options->add_lines[i] != NULL; i++)
    if (!meso_adjustments_add_line (adjustments, options->add_lines[i], error))
      return FALSE;
  return meso_rules_check_adjustments (rules, adjustments, error);
}

int
meso_cli_adjust (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_auto(AdjustOptions) options = { 0 };
  const GOptionEntry entries[] = {
    { "off", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.off,
      N_("Leave this rule off the patient’s sheet"), N_("RULE") },
    { "on", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.on,
      N_("Switch a rule back on"), N_("RULE") },
    { "text", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.texts,
      N_("Print these words instead of the rule’s"), N_("RULE=TEXT") },
    { "reset-text", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.reset_texts,
      N_("Print the rule’s own words again"), N_("RULE") },
    { "add-line", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options.add_lines,
      N_("Add a line to the practitioner’s instructions"), N_("TEXT") },
    { "clear-lines", 0, 0, G_OPTION_ARG_NONE, &options.clear_lines,
      N_("Remove the lines added before"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoRules) rules = NULL;
  g_autoptr(MesoAdjustments) adjustments = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  g_option_context_set_summary (context, _("Adjust the aftercare sheet of session ID for this "
                                           "patient. The adjustments are kept: every reprint "
                                           "is the same sheet."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "adjust"))
    return MESO_CLI_EXIT_USAGE;
  if (argc != 2)
    return meso_cli_usage ("adjust", _("give the id of one session"));
  if (options.off == NULL && options.on == NULL && options.texts == NULL
      && options.reset_texts == NULL && options.add_lines == NULL && !options.clear_lines)
    return meso_cli_usage ("adjust", _("give at least one adjustment, such as --off RULE"));
  if (!meso_cli_parse_session_id (argv[1], &id, &error))
    return meso_cli_fail (error);

  rules = meso_rules_new_default (&error);
  if (rules == NULL)
    return meso_cli_fail (error);
  store = meso_cli_open_store (globals, FALSE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  adjustments = meso_store_get_adjustments (store, id, &error);
  if (adjustments == NULL || !apply_options (&options, rules, adjustments, &error)
      || !meso_store_save_adjustments (store, id, adjustments, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}
