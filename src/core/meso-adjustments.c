/* meso-adjustments.c
 *
 * Kept as a small key file in the database (GKeyFile does the escaping), one version
 * per save: the newest is the one printed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-adjustments"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-adjustments.h"
#include "meso-error.h"

#define GROUP      "Adjustments"
#define TEXTS      "Texts"

struct _MesoAdjustments
{
  GObject     parent_instance;

  GPtrArray  *rules_off;  /* sorted, so two equal sets write the same data */
  GHashTable *texts;      /* rule id -> text */
  GPtrArray  *lines;      /* NULL-terminated */
};

G_DEFINE_FINAL_TYPE (MesoAdjustments, meso_adjustments, G_TYPE_OBJECT)

static void
meso_adjustments_finalize (GObject *object)
{
  MesoAdjustments *self = (MesoAdjustments *) object;

  g_clear_pointer (&self->rules_off, g_ptr_array_unref);
  g_clear_pointer (&self->texts, g_hash_table_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  G_OBJECT_CLASS (meso_adjustments_parent_class)->finalize (object);
}

static void
meso_adjustments_class_init (MesoAdjustmentsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_adjustments_finalize;
}

static void
meso_adjustments_init (MesoAdjustments *self)
{
  self->rules_off = g_ptr_array_new_null_terminated (4, g_free, TRUE);
  self->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->lines = g_ptr_array_new_null_terminated (4, g_free, TRUE);
}

MesoAdjustments *
meso_adjustments_new (void)
{
  return g_object_new (MESO_TYPE_ADJUSTMENTS, NULL);
}

/* The same rules as the session's text fields: valid UTF-8, one line, not too long,
 * trimmed; refused, never cut. */
static char *
check_line (const char  *what,
            const char  *text,
            GError     **error)
{
  g_autofree char *trimmed = g_strdup (text != NULL ? text : "");
  glong length;

  if (!g_utf8_validate (trimmed, -1, NULL))
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED, _("%s: the text is not valid UTF-8"),
                   what);
      return NULL;
    }
  g_strstrip (trimmed);
  if (*trimmed == '\0')
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED, _("%s: the text is empty"), what);
      return NULL;
    }
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                     _("%s: the text must be on one line, without control characters"), what);
        return NULL;
      }
  length = g_utf8_strlen (trimmed, -1);
  if (length > MESO_ADJUSTMENT_TEXT_MAX_CHARS)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("%s: the text has %ld characters; at most %d are allowed"), what, length,
                   MESO_ADJUSTMENT_TEXT_MAX_CHARS);
      return NULL;
    }
  return g_steal_pointer (&trimmed);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
meso_adjustments_set_rule_off (MesoAdjustments *self,
                               const char      *rule_id,
                               gboolean         off)
{
  guint index;

  g_return_if_fail (MESO_IS_ADJUSTMENTS (self));

  if (g_ptr_array_find_with_equal_func (self->rules_off, rule_id, g_str_equal, &index))
    {
      if (!off)
        g_ptr_array_remove_index (self->rules_off, index);
      return;
    }
  if (off)
    {
      g_ptr_array_add (self->rules_off, g_strdup (rule_id));
      g_ptr_array_sort (self->rules_off, compare_strings);
    }
}

gboolean
meso_adjustments_is_rule_off (MesoAdjustments *self,
                              const char      *rule_id)
{
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), FALSE);
  return g_ptr_array_find_with_equal_func (self->rules_off, rule_id, g_str_equal, NULL);
}

GStrv
meso_adjustments_dup_rules_off (MesoAdjustments *self)
{
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), NULL);
  return g_strdupv ((char **) self->rules_off->pdata);
}

/**
 * meso_adjustments_set_text:
 * @self: a #MesoAdjustments
 * @rule_id: a rule
 * @text: (nullable): the words to print instead of the rule's, or %NULL for the rule's own
 * @error: a #GError
 */
gboolean
meso_adjustments_set_text (MesoAdjustments  *self,
                           const char       *rule_id,
                           const char       *text,
                           GError          **error)
{
  g_autofree char *what = NULL;
  char *checked;

  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), FALSE);

  if (text == NULL)
    {
      g_hash_table_remove (self->texts, rule_id);
      return TRUE;
    }
  /* Translators: %s is the id of an aftercare rule */
  what = g_strdup_printf (_("Text of “%s”"), rule_id);
  checked = check_line (what, text, error);
  if (checked == NULL)
    return FALSE;
  g_hash_table_replace (self->texts, g_strdup (rule_id), checked);
  return TRUE;
}

const char *
meso_adjustments_get_text (MesoAdjustments *self,
                           const char      *rule_id)
{
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), NULL);
  return g_hash_table_lookup (self->texts, rule_id);
}

GHashTable *
meso_adjustments_get_texts (MesoAdjustments *self)
{
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), NULL);
  return self->texts;
}

gboolean
meso_adjustments_add_line (MesoAdjustments  *self,
                           const char       *line,
                           GError          **error)
{
  char *checked;

  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), FALSE);

  if (self->lines->len >= MESO_ADJUSTMENT_MAX_LINES)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Added line: at most %d lines can be added"), MESO_ADJUSTMENT_MAX_LINES);
      return FALSE;
    }
  checked = check_line (_("Added line"), line, error);
  if (checked == NULL)
    return FALSE;
  g_ptr_array_add (self->lines, checked);
  return TRUE;
}

void
meso_adjustments_clear_lines (MesoAdjustments *self)
{
  g_return_if_fail (MESO_IS_ADJUSTMENTS (self));
  g_ptr_array_set_size (self->lines, 0);
}

const char * const *
meso_adjustments_get_lines (MesoAdjustments *self)
{
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), NULL);
  return (const char * const *) self->lines->pdata;
}

gboolean
meso_adjustments_is_empty (MesoAdjustments *self)
{
  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), TRUE);
  return self->rules_off->len == 0 && g_hash_table_size (self->texts) == 0
         && self->lines->len == 0;
}

/**
 * meso_adjustments_to_data:
 * @self: a #MesoAdjustments
 *
 * Returns: (transfer full): the adjustments as text, the same for equal adjustments.
 */
char *
meso_adjustments_to_data (MesoAdjustments *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  guint n_ids = 0;
  g_autofree const char **ids = (const char **) g_hash_table_get_keys_as_array (self->texts,
                                                                               &n_ids);

  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), NULL);

  g_key_file_set_string_list (key_file, GROUP, "RulesOff",
                              (const char * const *) self->rules_off->pdata,
                              self->rules_off->len);
  g_key_file_set_string_list (key_file, GROUP, "Lines",
                              (const char * const *) self->lines->pdata, self->lines->len);
  qsort (ids, n_ids, sizeof (char *), compare_strings);
  for (guint i = 0; i < n_ids; i++)
    g_key_file_set_string (key_file, TEXTS, ids[i], g_hash_table_lookup (self->texts, ids[i]));
  return g_key_file_to_data (key_file, NULL, NULL);
}

/**
 * meso_adjustments_new_from_data:
 * @data: what meso_adjustments_to_data() wrote
 * @error: a #GError
 *
 * Returns: (transfer full): the adjustments, or %NULL when @data is not readable.
 */
MesoAdjustments *
meso_adjustments_new_from_data (const char  *data,
                                GError     **error)
{
  g_autoptr(MesoAdjustments) self = meso_adjustments_new ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_auto(GStrv) off = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) ids = NULL;

  if (!g_key_file_load_from_data (key_file, data, -1, G_KEY_FILE_NONE, error))
    return NULL;
  off = g_key_file_get_string_list (key_file, GROUP, "RulesOff", NULL, NULL);
  lines = g_key_file_get_string_list (key_file, GROUP, "Lines", NULL, NULL);
  ids = g_key_file_get_keys (key_file, TEXTS, NULL, NULL);

  for (guint i = 0; off != NULL && off[i] != NULL; i++)
    meso_adjustments_set_rule_off (self, off[i], TRUE);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    if (!meso_adjustments_add_line (self, lines[i], error))
      return NULL;
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      g_autofree char *text = g_key_file_get_string (key_file, TEXTS, ids[i], NULL);

      if (!meso_adjustments_set_text (self, ids[i], text, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * meso_adjustments_copy:
 * @self: a #MesoAdjustments
 *
 * Adjustments are handed to the store's worker thread as copies, so that the sheet
 * adjuster can go on changing its own.
 *
 * Returns: (transfer full): adjustments equal to @self.
 */
MesoAdjustments *
meso_adjustments_copy (MesoAdjustments *self)
{
  g_autofree char *data = NULL;
  MesoAdjustments *copy;

  g_return_val_if_fail (MESO_IS_ADJUSTMENTS (self), NULL);

  /* The data holds all of them, and reads back what it was written from. */
  data = meso_adjustments_to_data (self);
  copy = meso_adjustments_new_from_data (data, NULL);
  g_assert (copy != NULL);
  return copy;
}

gboolean
meso_adjustments_equal (MesoAdjustments *a,
                        MesoAdjustments *b)
{
  g_autofree char *data_a = meso_adjustments_to_data (a);
  g_autofree char *data_b = meso_adjustments_to_data (b);

  return g_str_equal (data_a, data_b);
}
