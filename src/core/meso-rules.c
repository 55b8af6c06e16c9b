/* meso-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-rules.h"

#define RULES_RESOURCE "/io/github/mesocare/Mesocare/core/aftercare/rules.ini"

#define TEXT_KEY       "Text"
#define SECTION_PREFIX "Section "
#define RULE_PREFIX    "Rule "
#define ROLE_PREFIX    "Role "

/* Facts of a session a rule can ask for, beyond its fields' values. */
typedef enum
{
  FLAG_BLOOD_THINNERS = 1 << 0,
  FLAG_PREGNANT       = 1 << 1,
  FLAG_NEXT_SESSION   = 1 << 2,
  FLAG_SERIES         = 1 << 3,
  FLAG_FIRST_SESSION  = 1 << 4,  /* the first of its series: "your 1st session" */
} RuleFlag;

static const char * const flag_ids[] = {
  "blood-thinners", "pregnant", "next-session", "series", "first-session", NULL
};

/* A condition on a field whose value is one id, or a set of ids (areas, reactions):
 * it holds when the session's value meets one of the ids listed. */
typedef struct
{
  const char *key;
  MesoField   field;
} ListCondition;

static const ListCondition list_conditions[] = {
  { "Areas", MESO_FIELD_AREAS },
  { "Indications", MESO_FIELD_INDICATION },
  { "Techniques", MESO_FIELD_TECHNIQUE },
  { "Reactions", MESO_FIELD_REACTIONS },
};

#define N_LIST_CONDITIONS G_N_ELEMENTS (list_conditions)

struct _MesoRule
{
  char     *id;
  char     *group;
  char     *section;
  char     *fact;
  GStrv     lists[N_LIST_CONDITIONS];  /* NULL: no condition */
  guint     min_injections;            /* 0: any */
  guint     min_duration;              /* 0: any */
  guint     flags;                     /* all must hold */
  guint     unless_flags;              /* none may hold */
  gboolean  safety;                    /* printed as written, whatever the adjustments */
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
  for (guint i = 0; i < N_LIST_CONDITIONS; i++)
    g_strfreev (rule->lists[i]);
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

/* Reads "Key=id;id;" and checks every id against the field it is about. */
static gboolean
parse_list (GKeyFile       *key_file,
            const char     *group,
            const ListCondition *condition,
            GStrv          *out_ids,
            GError        **error)
{
  g_auto(GStrv) ids = NULL;

  *out_ids = NULL;
  if (!g_key_file_has_key (key_file, group, condition->key, NULL))
    return TRUE;

  ids = g_key_file_get_string_list (key_file, group, condition->key, NULL, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!meso_field_check_text (condition->field, ids[i], NULL) || *ids[i] == '\0')
      {
        g_set_error (error, MESO_ERROR, MESO_ERROR_RULES, _("%s: unknown id “%s”"),
                     condition->key, ids[i]);
        return FALSE;
      }
  *out_ids = g_steal_pointer (&ids);
  return TRUE;
}

static gboolean
parse_flags (GKeyFile    *key_file,
             const char  *group,
             const char  *key,
             guint       *out_flags,
             GError     **error)
{
  g_auto(GStrv) ids = NULL;

  *out_flags = 0;
  if (!g_key_file_has_key (key_file, group, key, NULL))
    return TRUE;
  ids = g_key_file_get_string_list (key_file, group, key, NULL, error);
  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint bit = 0;

      while (flag_ids[bit] != NULL && !g_str_equal (flag_ids[bit], ids[i]))
        bit++;
      if (flag_ids[bit] == NULL)
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_RULES, _("%s: unknown flag “%s”"), key,
                       ids[i]);
          return FALSE;
        }
      *out_flags |= 1u << bit;
    }
  return TRUE;
}

static gboolean
parse_minimum (GKeyFile    *key_file,
               const char  *group,
               const char  *key,
               guint       *out_value,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 value;

  *out_value = 0;
  if (!g_key_file_has_key (key_file, group, key, NULL))
    return TRUE;
  value = g_key_file_get_int64 (key_file, group, key, &local_error);
  if (local_error != NULL || value < 0 || value > G_MAXUINT)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_RULES, _("%s: not a whole number"), key);
      return FALSE;
    }
  *out_value = (guint) value;
  return TRUE;
}

static gboolean
parse_conditions (MesoRules  *self,
                  MesoRule   *rule,
                  GError    **error)
{
  for (guint i = 0; i < N_LIST_CONDITIONS; i++)
    if (!parse_list (self->key_file, rule->group, &list_conditions[i], &rule->lists[i], error))
      return FALSE;
  return parse_minimum (self->key_file, rule->group, "MinInjections", &rule->min_injections,
                        error)
         && parse_minimum (self->key_file, rule->group, "MinDuration", &rule->min_duration,
                           error)
         && parse_flags (self->key_file, rule->group, "Flags", &rule->flags, error)
         && parse_flags (self->key_file, rule->group, "UnlessFlags", &rule->unless_flags,
                         error);
}

static char *
get_required (GKeyFile    *key_file,
              const char  *group,
              const char  *key,
              GError     **error)
{
  char *value = g_key_file_get_string (key_file, group, key, NULL);

  if (value == NULL || *value == '\0')
    {
      g_free (value);
      /* Translators: %s is a key of the rules file, such as "Section": keep it */
      g_set_error (error, MESO_ERROR, MESO_ERROR_RULES, _("no %s"), key);
      return NULL;
    }
  return value;
}

static MesoRule *
parse_rule (MesoRules   *self,
            const char  *group,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  MesoRule *rule = g_new0 (MesoRule, 1);

  rule->id = g_strdup (group + strlen (RULE_PREFIX));
  rule->group = g_strdup (group);
  rule->section = get_required (self->key_file, group, "Section", &local_error);
  if (rule->section != NULL)
    rule->fact = get_required (self->key_file, group, "Fact", &local_error);
  if (rule->fact != NULL)
    text = get_required (self->key_file, group, TEXT_KEY, &local_error);
  if (text != NULL && parse_conditions (self, rule, &local_error)
      && g_key_file_has_key (self->key_file, group, "Safety", NULL))
    rule->safety = g_key_file_get_boolean (self->key_file, group, "Safety", &local_error);
  if (local_error == NULL && !g_strv_contains ((const char * const *) self->sections->pdata,
                                               rule->section))
    g_set_error (&local_error, MESO_ERROR, MESO_ERROR_RULES,
                 _("unknown section “%s”"), rule->section);

  if (local_error != NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_RULES,
                   _("Aftercare rules, [%s]: %s"), group, local_error->message);
      meso_rule_free (rule);
      return NULL;
    }
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
 * Returns: (transfer full): the rules that ship with Mesocare, translations included.
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
 * meso_rules_find:
 * @self: a #MesoRules
 * @id: a rule id
 *
 * Returns: (transfer none) (nullable): the rule with that id.
 */
const MesoRule *
meso_rules_find (MesoRules  *self,
                 const char *id)
{
  g_return_val_if_fail (MESO_IS_RULES (self), NULL);

  for (guint i = 0; i < self->rules->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (self->rules, i);

      if (g_str_equal (rule->id, id))
        return rule;
    }
  return NULL;
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

/**
 * meso_rules_translate:
 * @self: a #MesoRules
 * @group: a group of the rules file
 * @language: a language code such as "fr"
 * @out_fell_back: (out) (optional): set to %TRUE when @language has no translation of
 *   this string and English was used instead
 *
 * Returns: (transfer full): the group's text in @language, or in English for a string
 *   not translated yet; "" for a group that does not exist.
 */
char *
meso_rules_translate (MesoRules  *self,
                      const char *group,
                      const char *language,
                      gboolean   *out_fell_back)
{
  g_autofree char *found_in = NULL;
  char *value;

  g_return_val_if_fail (MESO_IS_RULES (self), NULL);

  value = g_key_file_get_locale_string (self->key_file, group, TEXT_KEY, language, NULL);
  if (out_fell_back != NULL)
    {
      found_in = g_key_file_get_locale_for_key (self->key_file, group, TEXT_KEY, language);
      *out_fell_back = value != NULL && g_strcmp0 (language, "en") != 0
                       && g_strcmp0 (found_in, language) != 0;
    }
  return value != NULL ? value : g_strdup ("");
}

char *
meso_rules_get_section_title (MesoRules  *self,
                              const char *section,
                              const char *language)
{
  g_autofree char *group = g_strconcat (SECTION_PREFIX, section, NULL);

  return meso_rules_translate (self, group, language, NULL);
}

/**
 * meso_rules_get_label:
 * @self: a #MesoRules
 * @key: the key of a [Label KEY] group
 * @language: a language code such as "fr"
 *
 * Returns: (transfer full): the label in @language, or in English when it has no
 *   translation.
 */
char *
meso_rules_get_label (MesoRules  *self,
                      const char *key,
                      const char *language)
{
  g_autofree char *group = g_strconcat ("Label ", key, NULL);

  return meso_rules_translate (self, group, language, NULL);
}

char *
meso_rules_get_area_name (MesoRules  *self,
                          MesoArea    area,
                          const char *language)
{
  g_autofree char *group = g_strconcat ("Area ", meso_area_get_id (area), NULL);

  return meso_rules_translate (self, group, language, NULL);
}

char *
meso_rules_get_text (MesoRules      *self,
                     const MesoRule *rule,
                     const char     *language)
{
  return meso_rules_translate (self, rule->group, language, NULL);
}

/* "Nurse Tom Baker" already says the role: the word before the name, without its dot,
 * is the role's id, its name in @language, or a title that means it ("Dr" for a
 * physician). */
static gboolean
name_starts_with_role (MesoRules  *self,
                       const char *name,
                       const char *role_group,
                       const char *role,
                       const char *translated)
{
  g_autofree char *titles = g_key_file_get_string (self->key_file, role_group, "Titles", NULL);
  g_auto(GStrv) title_list = g_strsplit (titles != NULL ? titles : "", ";", -1);
  g_autofree char *first = g_strdup (name);
  g_autofree char *first_folded = NULL;
  char *space = strchr (first, ' ');

  if (space == NULL)
    return FALSE;
  *space = '\0';
  if (space > first && space[-1] == '.')
    space[-1] = '\0';
  first_folded = g_utf8_casefold (first, -1);
  for (guint i = 0; title_list[i] != NULL; i++)
    {
      g_autofree char *title = g_utf8_casefold (title_list[i], -1);

      if (*title != '\0' && g_str_equal (title, first_folded))
        return TRUE;
    }
  {
    g_autofree char *role_folded = g_utf8_casefold (role, -1);
    g_autofree char *translated_folded = g_utf8_casefold (translated, -1);

    return g_str_equal (first_folded, role_folded) || g_str_equal (first_folded,
                                                                   translated_folded);
  }
}

/**
 * meso_rules_format_practitioner:
 * @self: a #MesoRules
 * @session: a session
 * @language: the sheet's language
 *
 * The role is translated when the rules know it ([Role ID]; any other is printed as
 * typed), and left out when the name already says it: "Nurse Tom Baker", not "Nurse Tom
 * Baker, nurse".
 *
 * Returns: (transfer full): "Dr Claire Roux" or "Ana Gil, infirmier·ère"; "" with no
 *   practitioner.
 */
char *
meso_rules_format_practitioner (MesoRules   *self,
                                MesoSession *session,
                                const char  *language)
{
  const char *name = meso_session_get_practitioner (session);
  g_autofree char *role = NULL;
  g_autofree char *role_id = NULL;
  g_autofree char *role_group = NULL;
  g_autofree char *translated = NULL;

  g_return_val_if_fail (MESO_IS_RULES (self), NULL);

  if (name == NULL || *name == '\0')
    return g_strdup ("");
  role = meso_session_get_field_text (session, MESO_FIELD_PRACTITIONER_ROLE);
  g_strstrip (role);
  if (*role == '\0')
    return g_strdup (name);

  role_id = g_ascii_strdown (role, -1);
  role_group = g_strconcat (ROLE_PREFIX, role_id, NULL);
  translated = g_key_file_has_group (self->key_file, role_group)
               ? meso_rules_translate (self, role_group, language, NULL)
               : g_strdup (role);
  if (name_starts_with_role (self, name, role_group, role, translated))
    return g_strdup (name);
  return g_strdup_printf ("%s, %s", name, translated);
}

const char *
meso_rule_get_id (const MesoRule *rule)
{
  return rule->id;
}

const char *
meso_rule_get_group (const MesoRule *rule)
{
  return rule->group;
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
 * meso_rule_is_safety:
 * @rule: a rule
 *
 * Returns: whether @rule is a safety line (when to call, the emergency number, blood
 *   thinners, pregnancy): printed on every sheet it applies to, in its own words.
 */
gboolean
meso_rule_is_safety (const MesoRule *rule)
{
  return rule->safety;
}

/* "Call the emergency number at once if…": enough of the words for a person to know
 * which line a message is about. */
static char *
rule_excerpt (MesoRules      *self,
              const MesoRule *rule)
{
  g_autofree char *text = meso_rules_get_text (self, rule, "en");
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= 60)
    return g_steal_pointer (&text);
  start = g_utf8_substring (text, 0, 60);
  return g_strconcat (start, "…", NULL);
}

/**
 * meso_rules_check_adjustments:
 * @self: a #MesoRules
 * @adjustments: what a practitioner asks to change on a patient's sheet
 * @error: a #GError, naming the first safety line switched off or reworded
 *
 * Safety lines cannot be switched off or reworded for a patient; lines added to the
 * sheet can say anything, and are checked where they are added.
 *
 * Returns: whether @adjustments leave every safety line as it is.
 */
gboolean
meso_rules_check_adjustments (MesoRules        *self,
                              MesoAdjustments  *adjustments,
                              GError          **error)
{
  g_return_val_if_fail (MESO_IS_RULES (self), FALSE);
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (adjustments), FALSE);

  for (guint i = 0; i < self->rules->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *words = NULL;

      if (!rule->safety)
        continue;
      if (meso_adjustments_is_rule_off (adjustments, rule->id))
        {
          words = rule_excerpt (self, rule);
          g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                       /* Translators: %s is a rule id, then the start of its words */
                       _("Rule “%s” (“%s”) is a safety line: it is printed on every sheet "
                         "and cannot be switched off"), rule->id, words);
          return FALSE;
        }
      if (meso_adjustments_get_text (adjustments, rule->id) != NULL)
        {
          words = rule_excerpt (self, rule);
          g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                       /* Translators: %s is a rule id, then the start of its words */
                       _("Rule “%s” (“%s”) is a safety line: its words cannot be changed; "
                         "add a line of your own instead"), rule->id, words);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * meso_rules_keep_safety_lines:
 * @self: a #MesoRules
 * @adjustments: adjustments, perhaps stored before safety lines were locked
 *
 * Takes out of @adjustments any switching off or rewording of a safety line, so that
 * a sheet made from them prints every safety line as written. Added lines stay.
 */
void
meso_rules_keep_safety_lines (MesoRules       *self,
                              MesoAdjustments *adjustments)
{
  g_return_if_fail (MESO_IS_RULES (self));
  g_return_if_fail (MESO_IS_ADJUSTMENTS (adjustments));

  for (guint i = 0; i < self->rules->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (self->rules, i);

      if (!rule->safety)
        continue;
      meso_adjustments_set_rule_off (adjustments, rule->id, FALSE);
      meso_adjustments_set_text (adjustments, rule->id, NULL, NULL);
    }
}

static guint
session_flags (MesoSession *session)
{
  g_autofree char *number = meso_session_get_field_text (session, MESO_FIELD_SESSION_NUMBER);
  g_autofree char *total = meso_session_get_field_text (session, MESO_FIELD_SERIES_TOTAL);
  guint flags = 0;

  if (meso_session_get_blood_thinners (session))
    flags |= FLAG_BLOOD_THINNERS;
  if (meso_session_get_pregnant (session))
    flags |= FLAG_PREGNANT;
  if (meso_session_get_next_session (session) != NULL)
    flags |= FLAG_NEXT_SESSION;
  if (*number != '\0' && *total != '\0')
    flags |= FLAG_SERIES;
  if (g_str_equal (number, "1"))
    flags |= FLAG_FIRST_SESSION;
  return flags;
}

/* Whether the session's value of @condition's field meets one of @ids. */
static gboolean
list_holds (const ListCondition *condition,
            const char * const  *ids,
            MesoSession         *session)
{
  g_autofree char *value = meso_session_get_field_text (session, condition->field);
  g_auto(GStrv) values = g_strsplit (value, ",", -1);

  for (guint i = 0; values[i] != NULL; i++)
    if (*values[i] != '\0' && g_strv_contains (ids, values[i]))
      return TRUE;
  return FALSE;
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
  guint flags = session_flags (session);

  for (guint i = 0; i < N_LIST_CONDITIONS; i++)
    if (rule->lists[i] != NULL
        && !list_holds (&list_conditions[i], (const char * const *) rule->lists[i], session))
      return FALSE;

  return meso_session_get_injections (session) >= rule->min_injections
         && meso_session_get_duration (session) >= rule->min_duration
         && (flags & rule->flags) == rule->flags
         && (flags & rule->unless_flags) == 0;
}

static void
append_flags (GString    *text,
              const char *prefix,
              guint       flags)
{
  for (guint bit = 0; flag_ids[bit] != NULL; bit++)
    if (flags & (1u << bit))
      g_string_append_printf (text, "%s%s%s", text->len > 0 ? "; " : "", prefix, flag_ids[bit]);
}

/**
 * meso_rule_describe:
 * @rule: a rule
 *
 * Returns: (transfer full): its conditions, for people ("areas: scalp; min injections:
 *   200"), or "every session".
 */
char *
meso_rule_describe (const MesoRule *rule)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < N_LIST_CONDITIONS; i++)
    if (rule->lists[i] != NULL)
      {
        g_autofree char *ids = g_strjoinv (",", rule->lists[i]);
        g_autofree char *key = g_ascii_strdown (list_conditions[i].key, -1);

        g_string_append_printf (text, "%s%s: %s", text->len > 0 ? "; " : "", key, ids);
      }
  if (rule->min_injections > 0)
    g_string_append_printf (text, "%sinjections ≥ %u", text->len > 0 ? "; " : "",
                            rule->min_injections);
  if (rule->min_duration > 0)
    g_string_append_printf (text, "%sduration ≥ %u min", text->len > 0 ? "; " : "",
                            rule->min_duration);
  append_flags (text, "", rule->flags);
  append_flags (text, "not ", rule->unless_flags);

  if (text->len == 0)
    g_string_append (text, "every session");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * meso_rule_explain:
 * @rule: a rule that applies to @session
 * @session: a session
 *
 * Returns: (transfer full): why @rule applies, with the session's own values:
 *   "areas: scalp (this session: face,scalp)".
 */
char *
meso_rule_explain (const MesoRule *rule,
                   MesoSession    *session)
{
  g_autofree char *conditions = meso_rule_describe (rule);
  g_autoptr(GString) values = g_string_new (NULL);

  for (guint i = 0; i < N_LIST_CONDITIONS; i++)
    if (rule->lists[i] != NULL)
      {
        g_autofree char *value = meso_session_get_field_text (session, list_conditions[i].field);

        g_string_append_printf (values, "%s%s", values->len > 0 ? ", " : "", value);
      }
  if (rule->min_injections > 0)
    g_string_append_printf (values, "%s%u injections", values->len > 0 ? ", " : "",
                            meso_session_get_injections (session));
  if (rule->min_duration > 0)
    g_string_append_printf (values, "%s%u min", values->len > 0 ? ", " : "",
                            meso_session_get_duration (session));

  if (values->len == 0)
    return g_steal_pointer (&conditions);
  return g_strdup_printf ("%s (this session: %s)", conditions, values->str);
}
