/* meso-fuzz.c: what the libFuzzer harnesses share
 *
 * Each harness calls the real core (or the command-line tool's own commands) on bytes
 * libFuzzer makes up. A crash, a sanitizer report, a GLib critical or warning (made fatal
 * here: in our code each is a bug) or a leak is a finding.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meso-fuzz.h"

/* Millions of runs each print an error message: thrown away, or libFuzzer's own report
 * would drown. libFuzzer and the sanitizers write their reports to stderr directly. */
static void
discard_print (const char *text)
{
}

/**
 * meso_fuzz_init:
 *
 * Once per process: a fixed locale and time zone (so an input does the same thing every
 * time), its own home folders, criticals and warnings fatal, the tool’s messages and
 * stdout discarded.
 */
void
meso_fuzz_init (void)
{
  g_autofree char *home = NULL;
  int null_fd;

  /* A home of its own, before GLib reads the real one: whatever the code keeps in the
   * user's folders (settings, the app's database, a key) stays out of the real ones. */
  home = meso_fuzz_make_temp_dir ();
  g_setenv ("HOME", home, TRUE);
  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                              "XDG_STATE_HOME" };
      g_autofree char *dir = g_build_filename (home, names[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (names[i], dir, TRUE);
    }
  g_setenv ("TZ", "Europe/Paris", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_ERROR);
  g_log_writer_default_set_use_stderr (TRUE);
  g_set_print_handler (discard_print);
  g_set_printerr_handler (discard_print);

  /* What writes to stdout without g_print (a CSV export, a list): away too. */
  null_fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd >= 0)
    {
      fflush (stdout);
      dup2 (null_fd, STDOUT_FILENO);
      close (null_fd);
    }
}

/**
 * meso_fuzz_make_temp_dir:
 *
 * Returns: (transfer full): a new private folder; the harness's files stay in it.
 */
static GPtrArray *temp_dirs;

/* At the end of a run (libFuzzer exits): the folders go. After a finding they stay, with
 * what the input left in them. */
static void
remove_temp_dirs (void)
{
  for (guint i = 0; i < temp_dirs->len; i++)
    {
      meso_fuzz_remove_files (g_ptr_array_index (temp_dirs, i), NULL);
      g_rmdir (g_ptr_array_index (temp_dirs, i));
    }
}

char *
meso_fuzz_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("mesocare-fuzz-XXXXXX", &error);

  g_assert_no_error (error);
  if (temp_dirs == NULL)
    {
      temp_dirs = g_ptr_array_new ();
      atexit (remove_temp_dirs);
    }
  g_ptr_array_add (temp_dirs, g_strdup (dir));
  return dir;
}

/**
 * meso_fuzz_split:
 * @data: the input
 * @size: its length
 * @max_parts: at most this many parts (the rest is dropped)
 *
 * Returns: (transfer full): @data cut at each NUL byte, as strings (not necessarily
 *   UTF-8: the code under test must refuse what is not).
 */
GStrv
meso_fuzz_split (const uint8_t *data,
                 size_t         size,
                 guint          max_parts)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  size_t start = 0;
  guint n = 0;

  for (size_t i = 0; i <= size && n < max_parts; i++)
    if (i == size || data[i] == '\0')
      {
        g_ptr_array_add (parts, g_strndup ((const char *) data + start, i - start));
        start = i + 1;
        n++;
      }
  g_ptr_array_add (parts, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&parts), FALSE);
}

void
meso_fuzz_write_file (const char *path,
                      const void *data,
                      size_t      size)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, data, (gssize) size, G_FILE_SET_CONTENTS_NONE, 0600,
                            &error);
  g_assert_no_error (error);
}

/**
 * meso_fuzz_remove_files:
 * @dir: a harness's folder
 * @keep: (nullable): a file name to leave
 *
 * Empties @dir, folders included (a command may make `backups`), so that one input never
 * sees what an earlier one left.
 */
void
meso_fuzz_remove_files (const char *dir,
                        const char *keep)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  if (folder == NULL)
    return;
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_strcmp0 (name, keep) == 0)
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        meso_fuzz_remove_files (path, NULL);
      g_remove (path);
    }
}
