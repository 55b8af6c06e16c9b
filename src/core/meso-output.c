/* meso-output.c: a file written safely: whole or not at all, private, never the database
 *
 * Every file Mesocare hands out (an export, a sheet) is written here: into a temporary
 * file beside the target, created 0600 (it holds medical records), synced, then renamed
 * over the target. A full disk or a failed write therefore leaves the earlier file as it
 * was, never a truncated CSV or an empty PDF, and an existing 0644 file ends 0600. A
 * target that is the open database, or its -wal, -shm or -journal file, however it is
 * named (a symlink, "./", a hard link), is refused before anything is written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-output"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "meso-error.h"
#include "meso-output.h"

struct _MesoOutput
{
  char *path;      /* the target */
  char *tmp_path;  /* the temporary file beside it, until renamed */
  int   fd;
};

/* The files SQLite keeps beside a database: writing over any of them destroys it. */
static const char * const database_suffixes[] = { "", "-wal", "-shm", "-journal" };

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Output %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

/* @path as the file system resolves it: symlinks, "." and ".." followed. A file that does
 * not exist yet is its folder's real path and its name. */
static char *
resolve_path (const char *path)
{
  g_autofree char *real = realpath (path, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *real_dir = NULL;
  g_autofree char *base = NULL;

  if (real != NULL)
    return g_strdup (real);
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  real_dir = realpath (dir, NULL);
  if (real_dir == NULL)
    return g_canonicalize_filename (path, NULL);
  return g_build_filename (real_dir, base, NULL);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0
         && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/**
 * meso_output_check_target:
 * @path: the file about to be written
 * @database: (nullable): the database in use, whose files must never be written over
 * @error: a #GError
 *
 * Returns: %FALSE, with a message naming both, when @path is @database itself or one of
 *   the files SQLite keeps beside it, by whatever name.
 */
gboolean
meso_output_check_target (const char  *path,
                          const char  *database,
                          GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *db = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (database == NULL)
    return TRUE;
  target = resolve_path (path);
  db = resolve_path (database);
  for (gsize i = 0; i < G_N_ELEMENTS (database_suffixes); i++)
    {
      g_autofree char *name = g_strconcat (db, database_suffixes[i], NULL);

      if (g_strcmp0 (target, name) == 0 || same_file (path, name))
        {
          g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                       _("Output %s: this is the database %s (or a file of it): choose "
                         "another file to write"), path, database);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * meso_output_open:
 * @path: the file to write; replaced only by meso_output_commit()
 * @database: (nullable): the database in use, refused as a target
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the output, writing to a private temporary file
 *   beside @path; meso_output_free() without a commit removes it.
 */
MesoOutput *
meso_output_open (const char  *path,
                  const char  *database,
                  GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  MesoOutput *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!meso_output_check_target (path, database, error))
    return NULL;
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  self = g_new0 (MesoOutput, 1);
  self->path = g_strdup (path);
  self->tmp_path = g_strdup_printf ("%s%c.%s.XXXXXX.part", dir, G_DIR_SEPARATOR, base);
  self->fd = g_mkstemp_full (self->tmp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (self->fd < 0)
    {
      int saved_errno = errno;

      g_clear_pointer (&self->tmp_path, g_free);
      meso_output_free (self);
      set_errno_error (error, saved_errno, path);
      return NULL;
    }
  return self;
}

/**
 * meso_output_write:
 * @self: a #MesoOutput
 * @data: (array length=length): bytes to append
 * @length: their number
 * @error: a #GError: the message names the target, not the temporary file
 */
gboolean
meso_output_write (MesoOutput  *self,
                   const void  *data,
                   gsize        length,
                   GError     **error)
{
  const char *p = data;

  g_return_val_if_fail (self != NULL && self->fd >= 0, FALSE);

  while (length > 0)
    {
      gssize n = write (self->fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, self->path);
      p += n;
      length -= n;
    }
  return TRUE;
}

/* Makes the rename durable. Some file systems cannot sync a folder; the file is on disk
 * by then, so that is no reason to fail. */
static void
sync_parent_dir (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd < 0)
    return;
  fsync (fd);
  close (fd);
}

/**
 * meso_output_commit:
 * @self: a #MesoOutput
 * @error: a #GError
 *
 * Syncs what was written and puts it in the place of the target, as a whole.
 */
gboolean
meso_output_commit (MesoOutput  *self,
                    GError     **error)
{
  int fd;

  g_return_val_if_fail (self != NULL && self->fd >= 0, FALSE);

  fd = self->fd;
  self->fd = -1;
  if (fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, self->path);
    }
  /* Closed once, whatever it answers: the export runs on a thread, and a second close
   * could close another thread's new file. */
  if (close (fd) != 0)
    return set_errno_error (error, errno, self->path);
  if (g_rename (self->tmp_path, self->path) != 0)
    return set_errno_error (error, errno, self->path);
  g_clear_pointer (&self->tmp_path, g_free);
  sync_parent_dir (self->path);
  return TRUE;
}

/**
 * meso_output_free:
 * @self: (nullable): a #MesoOutput
 *
 * Closes it; an output never committed leaves no temporary file behind.
 */
void
meso_output_free (MesoOutput *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}

/**
 * meso_output_write_file:
 * @path: the file to write
 * @database: (nullable): the database in use, refused as a target
 * @data: (array length=length): the whole contents
 * @length: their size
 * @error: a #GError
 *
 * Writes @path as a whole, 0600, through a temporary file: a failure leaves the earlier
 * file as it was.
 */
gboolean
meso_output_write_file (const char  *path,
                        const char  *database,
                        const void  *data,
                        gsize        length,
                        GError     **error)
{
  g_autoptr(MesoOutput) output = meso_output_open (path, database, error);

  return output != NULL
         && meso_output_write (output, data, length, error)
         && meso_output_commit (output, error);
}
