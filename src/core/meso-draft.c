/* meso-draft.c
 *
 * A draft holds each field of the form as text, exactly as typed: a half-typed form is
 * rarely a valid session, so it is no MesoSession. It is a small key file (GKeyFile does
 * the escaping of lines and quotes), keyed by the fields' ids: an id this build does not
 * know is passed over, so a draft left by another version still opens.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-draft"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "meso-draft.h"
#include "meso-field.h"

#define GROUP_DRAFT  "Draft"
#define GROUP_FIELDS "Fields"
#define KEY_SAVED_AT "saved-at"

/* Beside the database, in its private folder. */
#define DRAFT_FILE   "unsaved-session.ini"

struct _MesoDraft
{
  GObject    parent_instance;

  char      *texts[MESO_N_FIELDS];  /* NULL: not in the draft */
  GDateTime *saved_at;              /* NULL until written or read */
};

G_DEFINE_FINAL_TYPE (MesoDraft, meso_draft, G_TYPE_OBJECT)

static void
meso_draft_finalize (GObject *object)
{
  MesoDraft *self = MESO_DRAFT (object);

  for (guint i = 0; i < MESO_N_FIELDS; i++)
    g_free (self->texts[i]);
  g_clear_pointer (&self->saved_at, g_date_time_unref);
  G_OBJECT_CLASS (meso_draft_parent_class)->finalize (object);
}

static void
meso_draft_class_init (MesoDraftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_draft_finalize;
}

static void
meso_draft_init (MesoDraft *self)
{
}

MesoDraft *
meso_draft_new (void)
{
  return g_object_new (MESO_TYPE_DRAFT, NULL);
}

/**
 * meso_draft_get_text:
 * @self: a #MesoDraft
 * @field: a field of the form
 *
 * Returns: (nullable): the field's text as it was typed, or %NULL when the draft does
 *   not hold it.
 */
const char *
meso_draft_get_text (MesoDraft *self,
                     MesoField  field)
{
  g_return_val_if_fail (MESO_IS_DRAFT (self), NULL);
  g_return_val_if_fail (field > MESO_FIELD_NONE && field < MESO_N_FIELDS, NULL);
  return self->texts[field];
}

void
meso_draft_set_text (MesoDraft  *self,
                     MesoField   field,
                     const char *text)
{
  g_return_if_fail (MESO_IS_DRAFT (self));
  g_return_if_fail (field > MESO_FIELD_NONE && field < MESO_N_FIELDS);

  g_free (self->texts[field]);
  self->texts[field] = g_strdup (text);
}

/**
 * meso_draft_get_saved_at:
 * @self: a #MesoDraft
 *
 * Returns: (nullable) (transfer none): when the draft was written, or %NULL.
 */
GDateTime *
meso_draft_get_saved_at (MesoDraft *self)
{
  g_return_val_if_fail (MESO_IS_DRAFT (self), NULL);
  return self->saved_at;
}

void
meso_draft_set_saved_at (MesoDraft *self,
                         GDateTime *saved_at)
{
  g_return_if_fail (MESO_IS_DRAFT (self));

  g_clear_pointer (&self->saved_at, g_date_time_unref);
  if (saved_at != NULL)
    self->saved_at = g_date_time_ref (saved_at);
}

/**
 * meso_draft_to_bytes:
 * @self: a #MesoDraft
 *
 * Returns: (transfer full): the draft as the file holds it.
 */
GBytes *
meso_draft_to_bytes (MesoDraft *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gsize length = 0;
  char *data;

  g_return_val_if_fail (MESO_IS_DRAFT (self), NULL);

  if (self->saved_at != NULL)
    {
      g_autofree char *iso = g_date_time_format_iso8601 (self->saved_at);

      g_key_file_set_string (file, GROUP_DRAFT, KEY_SAVED_AT, iso);
    }
  for (MesoField field = MESO_FIELD_PATIENT; field < MESO_N_FIELDS; field++)
    if (self->texts[field] != NULL)
      g_key_file_set_string (file, GROUP_FIELDS, meso_field_get_id (field), self->texts[field]);
  data = g_key_file_to_data (file, &length, NULL);
  return g_bytes_new_take (data, length);
}

static void
set_corrupt_error (GError     **error,
                   const char  *reason)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
               _("The unsaved session could not be read back: %s"), reason);
}

/**
 * meso_draft_new_from_bytes:
 * @bytes: a draft as meso_draft_to_bytes() wrote it
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the draft, or %NULL when @bytes is none.
 */
MesoDraft *
meso_draft_new_from_bytes (GBytes  *bytes,
                           GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(MesoDraft) self = meso_draft_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *iso = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_key_file_load_from_data (file, data != NULL ? data : "", size, G_KEY_FILE_NONE,
                                  &local_error))
    {
      set_corrupt_error (error, local_error->message);
      return NULL;
    }
  if (!g_key_file_has_group (file, GROUP_FIELDS))
    {
      set_corrupt_error (error, _("it holds no field of the form"));
      return NULL;
    }
  iso = g_key_file_get_string (file, GROUP_DRAFT, KEY_SAVED_AT, NULL);
  if (iso != NULL)
    self->saved_at = g_date_time_new_from_iso8601 (iso, NULL);
  keys = g_key_file_get_keys (file, GROUP_FIELDS, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      MesoField field = meso_field_from_id (keys[i]);

      if (field == MESO_FIELD_NONE || field == MESO_FIELD_REASON)
        continue;  /* a field of another version */
      self->texts[field] = g_key_file_get_string (file, GROUP_FIELDS, keys[i], &local_error);
      if (self->texts[field] == NULL)
        {
          set_corrupt_error (error, local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

/**
 * meso_draft_get_default_path:
 * @database: the database's file
 *
 * Returns: (transfer full): where the draft of the form that writes to @database is
 *   kept: beside it, in its private folder.
 */
char *
meso_draft_get_default_path (const char *database)
{
  g_autofree char *dir = g_path_get_dirname (database);

  return g_build_filename (dir, DRAFT_FILE, NULL);
}

/**
 * meso_draft_save:
 * @self: a #MesoDraft
 * @path: the draft's file
 * @error: a #GError
 *
 * Writes the draft where a crash or a power cut cannot leave half of it: to a temporary
 * file, flushed to the disk, then renamed over @path. Readable by its owner only, in a
 * folder that is too: it holds medical details.
 */
gboolean
meso_draft_save (MesoDraft   *self,
                 const char  *path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;
  const char *data;

  g_return_val_if_fail (MESO_IS_DRAFT (self), FALSE);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("The folder %s could not be made: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  bytes = meso_draft_to_bytes (self);
  data = g_bytes_get_data (bytes, &length);
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT
                                   | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/**
 * meso_draft_load:
 * @path: the draft's file
 * @error: a #GError: %G_FILE_ERROR_NOENT when there is no draft
 *
 * Returns: (transfer full) (nullable): the draft kept at @path, or %NULL.
 */
MesoDraft *
meso_draft_load (const char  *path,
                 GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  return meso_draft_new_from_bytes (bytes, error);
}

/**
 * meso_draft_remove:
 * @path: the draft's file
 * @error: a #GError
 *
 * Removes the draft: the session was saved, or its form discarded. No draft there is
 * no error.
 */
gboolean
meso_draft_remove (const char  *path,
                   GError     **error)
{
  int saved_errno;

  if (g_unlink (path) == 0)
    return TRUE;
  saved_errno = errno;
  if (saved_errno == ENOENT)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("The file %s could not be removed: %s"), path, g_strerror (saved_errno));
  return FALSE;
}
