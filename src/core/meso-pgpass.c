/* meso-pgpass.c: the clinic server's password, in the user's .pgpass file
 *
 * The password is never kept in GSettings, whose files any program of the session reads.
 * libpq reads `~/.pgpass` (or `$PGPASSFILE`) by itself, and only when no one but its owner
 * can read it: one line a server, `host:port:database:user:password`, a `:` or a `\` inside
 * a field escaped with `\`, the first line that matches used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-pgpass"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "meso-pgpass.h"
#include "meso-server-address.h"

#define FIELDS_MATCHED 4

/**
 * meso_pgpass_get_path:
 *
 * Returns: (transfer full): the password file libpq reads: `$PGPASSFILE`, else
 *   `~/.pgpass`.
 */
char *
meso_pgpass_get_path (void)
{
  const char *file = g_getenv ("PGPASSFILE");

  if (file != NULL && *file != '\0')
    return g_strdup (file);
  return g_build_filename (g_get_home_dir (), ".pgpass", NULL);
}

/**
 * meso_pgpass_escape:
 * @field: one field of a line
 *
 * Returns: (transfer full): @field with its `:` and `\` escaped; a field that is only
 *   `*`, which libpq would take for "any", escaped too.
 */
char *
meso_pgpass_escape (const char *field)
{
  GString *escaped = g_string_new (NULL);

  if (g_str_equal (field, "*"))
    return g_string_free (g_string_append (escaped, "\\*"), FALSE);
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == ':' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, *p);
    }
  return g_string_free (escaped, FALSE);
}

/* The fields of a line, unescaped as libpq reads them; NULL for a comment, a blank line
 * or one with fewer than five fields. */
static GPtrArray *
split_line (const char *line)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);

  if (*line == '#' || *line == '\0')
    {
      g_string_free (field, TRUE);
      return NULL;
    }
  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        g_string_append_c (field, *++p);
      else if (*p == ':' && fields->len < FIELDS_MATCHED)
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else
        g_string_append_c (field, *p);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  if (fields->len <= FIELDS_MATCHED)
    return NULL;
  return g_steal_pointer (&fields);
}

/* Whether @line is the one for this server, database and user: its four first fields
 * are the same text (a line of wildcards is another one, kept). */
static gboolean
is_line_for (const char         *line,
             const char * const *key)
{
  g_autoptr(GPtrArray) fields = split_line (line);

  if (fields == NULL)
    return FALSE;
  for (guint i = 0; i < FIELDS_MATCHED; i++)
    if (!g_str_equal (g_ptr_array_index (fields, i), key[i]))
      return FALSE;
  return TRUE;
}

/* A field of a line holds anything but a line break, which would end the line. */
static gboolean
check_field (const char       *text,
             MesoServerField   field,
             const char       *label,
             GError          **error)
{
  if (text != NULL && *text != '\0' && strpbrk (text, "\r\n") == NULL)
    return TRUE;
  /* Translators: a field's name, then what is wrong with its value */
  g_set_error (error, MESO_SERVER_ERROR, field, _("%s: %s"), label,
               text == NULL || *text == '\0' ? _("it is empty")
                                             : _("it cannot hold a line break"));
  return FALSE;
}

static char *
read_existing (const char  *path,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;

  if (g_file_get_contents (path, &contents, NULL, &local_error))
    return contents;
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return g_strdup ("");
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), _("Password file: "));
  return NULL;
}

/**
 * meso_pgpass_set_password:
 * @path: the password file (meso_pgpass_get_path()); created when missing
 * @host: the server, as the connection names it (a socket's folder included)
 * @port: its port, 0 for the default
 * @database: the database
 * @user: the user
 * @password: the password, without line breaks
 * @error: a #GError
 *
 * Adds the line for @host, @port, @database and @user, or replaces it, first in the
 * file: libpq uses the first line that matches, and a line of wildcards above would
 * otherwise win. Every other line (comments included) is kept, in its order. Written to
 * a temporary file, flushed, renamed over @path: a crash leaves the old file or the new
 * one, never half of one; readable by its owner only (0600), which libpq insists on.
 */
gboolean
meso_pgpass_set_password (const char  *path,
                          const char  *host,
                          guint        port,
                          const char  *database,
                          const char  *user,
                          const char  *password,
                          GError     **error)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port != 0 ? port
                                                                 : MESO_SERVER_DEFAULT_PORT);
  const char *key[FIELDS_MATCHED] = { host, port_text, database, user };
  g_autofree char *existing = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) written = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, FALSE);

  if (!check_field (host, MESO_SERVER_FIELD_HOST, _("Server"), error)
      || !check_field (database, MESO_SERVER_FIELD_DATABASE, _("Database"), error)
      || !check_field (user, MESO_SERVER_FIELD_USER, _("User"), error)
      || !check_field (password, MESO_SERVER_FIELD_PASSWORD, _("Password"), error))
    return FALSE;
  existing = read_existing (path, error);
  if (existing == NULL)
    return FALSE;

  for (guint i = 0; i < FIELDS_MATCHED; i++)
    {
      g_autofree char *escaped = meso_pgpass_escape (key[i]);

      g_string_append_printf (written, "%s:", escaped);
    }
  {
    g_autofree char *escaped = meso_pgpass_escape (password);

    g_string_append_printf (written, "%s\n", escaped);
  }
  lines = g_strsplit (existing, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* The text after the last line break is no line. */
      if (lines[i + 1] == NULL && *lines[i] == '\0')
        break;
      if (!is_line_for (lines[i], key))
        g_string_append_printf (written, "%s\n", lines[i]);
    }
  if (!g_file_set_contents_full (path, written->str, written->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  /* An existing file keeps its mode through the rename on some systems: made sure. */
  if (g_chmod (path, 0600) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Password file: %s cannot be made private: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_pgpass_find_password:
 * @path: the password file
 * @host: the server
 * @port: its port, 0 for the default
 * @database: the database
 * @user: the user
 *
 * Returns: (transfer full) (nullable): the password of the line written for exactly
 *   these (wildcards are not expanded), or %NULL.
 */
char *
meso_pgpass_find_password (const char *path,
                           const char *host,
                           guint       port,
                           const char *database,
                           const char *user)
{
  g_autofree char *port_text = g_strdup_printf ("%u", port != 0 ? port
                                                                 : MESO_SERVER_DEFAULT_PORT);
  const char *key[FIELDS_MATCHED] = { host, port_text, database, user };
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) fields = NULL;

      if (!is_line_for (lines[i], key))
        continue;
      fields = split_line (lines[i]);
      return g_strdup (g_ptr_array_index (fields, FIELDS_MATCHED));
    }
  return NULL;
}
