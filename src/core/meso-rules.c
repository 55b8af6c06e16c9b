/* meso-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-error.h"
#include "meso-rules.h"

#define RULES_RESOURCE "/io/github/mesocare/Mesocare/core/aftercare/rules.ini"

#define SHEET_GROUP    "Sheet"
#define SECTION_PREFIX "Section "
#define AREA_PREFIX    "Area "
#define RULE_PREFIX    "Rule "

struct _MesoRule
{
  char     *id;
  char     *group;
  char     *section;
  char     *fact;
  MesoArea  areas;          /* NONE: any area */
  guint     min_injections; /* 0: any count */
};

struct _MesoRules
{
  GObject    parent_instance;

  GKeyFile  *key_file;
  GPtrArray *sections;  /* section ids in print order, NULL-terminated */
  GPtrArray *rules;     /* MesoRule, in section order then file order */
};

G_DEFINE_FINAL_TYPE (MesoRules, meso_rules, G_TYPE_OBJECT)

static void
meso_rule_free (MesoRule *rule)
{
  g_free (rule->id);
  g_free (rule->group);
  g_free (rule->section);
  g_free (rule->fact);
  g_free (rule);
}

static void
meso_rules_finalize (GObject *object)
{
  MesoRules *self = (MesoRules *) object;

  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->sections, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);

  G_OBJECT_CLASS (meso_rules_parent_class)->finalize (object);
}

static void
meso_rules_class_init (MesoRulesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_rules_finalize;
}

static void
meso_rules_init (MesoRules *self)
{
  self->sections = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) meso_rule_free);
}

static gboolean
parse_areas (GKeyFile    *key_file,
             const char  *group,
             MesoArea    *out_areas,
             GError     **error)
{
  g_auto(GStrv) ids = NULL;
  MesoArea areas = MESO_AREA_NONE;

  if (!g_key_file_has_key (key_file, group, "Areas", NULL))
    {
      *out_areas = MESO_AREA_NONE;
      return TRUE;
    }

  ids = g_key_file_get_string_list (key_file, group, "Areas", NULL, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      MesoArea area = meso_area_from_id (ids[i]);

      if (area == MESO_AREA_NONE)
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_RULES,
                       _("Aftercare rules, [%s]: unknown area “%s”"), group, ids[i]);
          return FALSE;
        }
      areas |= area;
    }
  *out_areas = areas;
  return TRUE;
}

static MesoRule *
parse_rule (MesoRules   *self,
            const char  *group,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  MesoRule *rule = g_new0 (MesoRule, 1);
  gint64 min_injections = 0;

  rule->id = g_strdup (group + strlen (RULE_PREFIX));
  rule->group = g_strdup (group);
  rule->section = g_key_file_get_string (self->key_file, group, "Section", &local_error);
  if (rule->section != NULL)
    rule->fact = g_key_file_get_string (self->key_file, group, "Fact", &local_error);
  if (rule->fact != NULL && !g_key_file_has_key (self->key_file, group, "Text", &local_error))
    {
      /* Translators: "Text" is a key of the rules file; do not translate it */
      g_set_error (&local_error, MESO_ERROR, MESO_ERROR_RULES, _("no Text"));
    }
  if (local_error == NULL
      && g_key_file_has_key (self->key_file, group, "MinInjections", NULL))
    min_injections = g_key_file_get_int64 (self->key_file, group, "MinInjections",
                                           &local_error);
  if (local_error == NULL && (min_injections < 0 || min_injections > G_MAXUINT))
    /* Translators: "MinInjections" is a key of the rules file; do not translate it */
    g_set_error (&local_error, MESO_ERROR, MESO_ERROR_RULES, _("MinInjections out of range"));
  if (local_error == NULL)
    parse_areas (self->key_file, group, &rule->areas, &local_error);
  if (local_error == NULL && !g_ptr_array_find_with_equal_func (self->sections, rule->section,
                                                                 g_str_equal, NULL))
    g_set_error (&local_error, MESO_ERROR, MESO_ERROR_RULES,
                 _("unknown section “%s”"), rule->section);

  if (local_error != NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_RULES,
                   _("Aftercare rules, [%s]: %s"), group, local_error->message);
      meso_rule_free (rule);
      return NULL;
    }
  rule->min_injections = (guint) min_injections;
  return rule;
}

static guint
section_index (MesoRules  *self,
               const char *section)
{
  guint index = 0;

  g_ptr_array_find_with_equal_func (self->sections, section, g_str_equal, &index);
  return index;
}

static int
compare_rules_by_section (gconstpointer a,
                          gconstpointer b,
                          gpointer      user_data)
{
  MesoRules *self = user_data;
  const MesoRule *ra = *(const MesoRule * const *) a;
  const MesoRule *rb = *(const MesoRule * const *) b;

  return (int) section_index (self, ra->section) - (int) section_index (self, rb->section);
}

static gboolean
load (MesoRules   *self,
      const char  *data,
      gsize        length,
      GError     **error)
{
  g_auto(GStrv) groups = NULL;

  if (!g_key_file_load_from_data (self->key_file, data, length, G_KEY_FILE_KEEP_TRANSLATIONS,
                                  error))
    {
      g_prefix_error (error, _("Aftercare rules: "));
      return FALSE;
    }

  groups = g_key_file_get_groups (self->key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    if (g_str_has_prefix (groups[i], SECTION_PREFIX))
      g_ptr_array_add (self->sections, g_strdup (groups[i] + strlen (SECTION_PREFIX)));

  for (guint i = 0; groups[i] != NULL; i++)
    {
      MesoRule *rule;

      if (!g_str_has_prefix (groups[i], RULE_PREFIX))
        continue;
      rule = parse_rule (self, groups[i], error);
      if (rule == NULL)
        return FALSE;
      g_ptr_array_add (self->rules, rule);
    }

  /* A stable sort keeps the file's order within a section. */
  g_ptr_array_sort_with_data (self->rules, compare_rules_by_section, self);
  return TRUE;
}

/**
 * meso_rules_new_from_data:
 * @data: the rules, in #GKeyFile form
 * @length: the length of @data, or -1
 * @error: a #GError; the message names the rule that is wrong
 *
 * Returns: (transfer full): the rules.
 */
MesoRules *
meso_rules_new_from_data (const char  *data,
                          gsize        length,
                          GError     **error)
{
  g_autoptr(MesoRules) self = g_object_new (MESO_TYPE_RULES, NULL);

  self->key_file = g_key_file_new ();
  if (!load (self, data, length, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * meso_rules_new_default:
 * @error: a #GError
 *
 * Returns: (transfer full): the rules that ship with Mesocare.
 */
MesoRules *
meso_rules_new_default (GError **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (RULES_RESOURCE,
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return NULL;
  return meso_rules_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   error);
}

/**
 * meso_rules_get_rules:
 * @self: a #MesoRules
 *
 * Returns: (transfer none) (element-type MesoRule): every rule, in print order.
 */
GPtrArray *
meso_rules_get_rules (MesoRules *self)
{
  g_return_val_if_fail (MESO_IS_RULES (self), NULL);
  return self->rules;
}

/**
 * meso_rules_select:
 * @self: a #MesoRules
 * @session: a session
 *
 * Returns: (transfer container) (element-type MesoRule): the rules that apply to
 *   @session, in print order; each appears once however many areas call for it.
 */
GPtrArray *
meso_rules_select (MesoRules   *self,
                   MesoSession *session)
{
  GPtrArray *selected = g_ptr_array_new ();

  g_return_val_if_fail (MESO_IS_RULES (self), selected);

  for (guint i = 0; i < self->rules->len; i++)
    {
      MesoRule *rule = g_ptr_array_index (self->rules, i);

      if (meso_rule_applies (rule, session))
        g_ptr_array_add (selected, rule);
    }
  return selected;
}

/**
 * meso_rules_get_sections:
 * @self: a #MesoRules
 *
 * Returns: (transfer none): the section ids, in print order.
 */
const char * const *
meso_rules_get_sections (MesoRules *self)
{
  g_return_val_if_fail (MESO_IS_RULES (self), NULL);

  return (const char * const *) self->sections->pdata;
}

static char *
get_translated (MesoRules  *self,
                const char *group,
                const char *key,
                const char *language)
{
  char *value = g_key_file_get_locale_string (self->key_file, group, key, language, NULL);

  return value != NULL ? value : g_strdup ("");
}

char *
meso_rules_get_section_title (MesoRules  *self,
                              const char *section,
                              const char *language)
{
  g_autofree char *group = g_strconcat (SECTION_PREFIX, section, NULL);

  g_return_val_if_fail (MESO_IS_RULES (self), NULL);
  return get_translated (self, group, "Title", language);
}

/**
 * meso_rules_get_label:
 * @self: a #MesoRules
 * @key: a key of the [Sheet] group
 * @language: (nullable): a language code such as "fr"; %NULL for English
 *
 * Returns: (transfer full): the label in @language, or in English when it has no
 *   translation.
 */
char *
meso_rules_get_label (MesoRules  *self,
                      const char *key,
                      const char *language)
{
  g_return_val_if_fail (MESO_IS_RULES (self), NULL);
  return get_translated (self, SHEET_GROUP, key, language);
}

char *
meso_rules_get_area_name (MesoRules  *self,
                          MesoArea    area,
                          const char *language)
{
  g_autofree char *group = g_strconcat (AREA_PREFIX, meso_area_get_id (area), NULL);

  g_return_val_if_fail (MESO_IS_RULES (self), NULL);
  return get_translated (self, group, "Name", language);
}

char *
meso_rules_get_text (MesoRules      *self,
                     const MesoRule *rule,
                     const char     *language)
{
  g_return_val_if_fail (MESO_IS_RULES (self), NULL);
  return get_translated (self, rule->group, "Text", language);
}

const char *
meso_rule_get_id (const MesoRule *rule)
{
  return rule->id;
}

const char *
meso_rule_get_section (const MesoRule *rule)
{
  return rule->section;
}

const char *
meso_rule_get_fact (const MesoRule *rule)
{
  return rule->fact;
}

/**
 * meso_rule_applies:
 * @rule: a rule
 * @session: a session
 *
 * Returns: whether every condition @rule names holds for @session.
 */
gboolean
meso_rule_applies (const MesoRule *rule,
                   MesoSession    *session)
{
  if (rule->areas != MESO_AREA_NONE && (rule->areas & meso_session_get_areas (session)) == 0)
    return FALSE;
  if (meso_session_get_injections (session) < rule->min_injections)
    return FALSE;
  return TRUE;
}
