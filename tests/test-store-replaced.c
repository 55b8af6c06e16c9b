/* test-store-replaced.c: a store whose file is replaced while it is open (a backup
 * restored, a file renamed over it) refuses to write, writes nothing anywhere, and opens
 * the new file when asked (issue 14, defect 1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "meso-backup.h"
#include "meso-error.h"
#include "meso-store.h"
#include "meso-test-util.h"

static void
on_replaced_cb (MesoStore *store,
                guint     *count)
{
  (*count)++;
}

static void
save_named (MesoStore  *store,
            const char *name)
{
  g_autoptr(MesoSession) session = meso_test_session_new (name, MESO_AREA_FACE, 10, 10);

  meso_test_save_session (store, session);
}

/* The sessions of @path, "id name" a line, read without changing it. */
static char *
names_in (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open_read_only (path, &error);
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GString) names = g_string_new (NULL);

  g_assert_no_error (error);
  sessions = meso_store_list_sessions (store, &error);
  g_assert_no_error (error);
  for (guint i = sessions->len; i > 0; i--)
    {
      MesoSession *session = g_ptr_array_index (sessions, i - 1);

      g_string_append_printf (names, "%" G_GINT64_FORMAT " %s\n", meso_session_get_id (session),
                              meso_session_get_patient_name (session));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* A backup of two sessions of its own, restored over @path. */
static char *
restore_other (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autofree char *backup = g_build_filename (dir, "other-backup.db", NULL);
  g_autoptr(MesoStore) store = meso_test_open_store (other);
  g_autoptr(GError) error = NULL;
  char *aside = NULL;

  save_named (store, "Restored 1");
  save_named (store, "Restored 2");
  g_assert_true (meso_backup_create (other, backup, &error));
  g_assert_no_error (error);
  g_assert_true (meso_backup_restore (backup, path, &aside, &error));
  g_assert_no_error (error);
  g_assert_nonnull (aside);
  return aside;
}

static void
test_restore_refused_then_reopened (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autoptr(MesoSession) late = meso_test_session_new ("After Restore", MESO_AREA_ARMS, 5, 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *live = NULL;
  guint replaced = 0;

  g_signal_connect (store, "replaced", G_CALLBACK (on_replaced_cb), &replaced);
  save_named (store, "Before Restore");
  aside = restore_other (dir->db);

  g_assert_false (meso_store_save_session (store, late, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_REPLACED);
  g_assert_nonnull (strstr (error->message, dir->db));
  g_assert_cmpint (meso_session_get_id (late), ==, 0);
  g_assert_cmpuint (replaced, ==, 1);
  g_clear_error (&error);
  /* Nothing in the file opened either. */
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);

  g_assert_true (meso_store_reopen (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 2);
  meso_test_save_session (store, late);
  g_assert_cmpint (meso_session_get_id (late), ==, 3);
  meso_test_drop_store (&store);

  live = names_in (dir->db);
  g_assert_cmpstr (live, ==, "1 Restored 1\n2 Restored 2\n3 After Restore\n");
  kept = names_in (aside);
  g_assert_cmpstr (kept, ==, "1 Before Restore\n");
}

/* Another database renamed over the path, by hand: refused the same. */
static void
test_rename_over_refused (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *other = meso_test_dir_file (dir, "other.db");
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autoptr(MesoStore) second = meso_test_open_store (other);
  g_autoptr(GError) error = NULL;

  save_named (store, "First");
  meso_test_drop_store (&second);
  g_assert_cmpint (g_rename (other, dir->db), ==, 0);
  g_assert_false (meso_store_log_event (store, "export", 0, "file=x\n", &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_REPLACED);
}

/* The file gone: refused, and reopening makes no new, empty database in its place. */
static void
test_gone_refused (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autoptr(MesoSession) late = meso_test_session_new ("Late", MESO_AREA_ARMS, 5, 5);
  g_autoptr(GError) error = NULL;

  save_named (store, "First");
  g_assert_cmpint (g_unlink (dir->db), ==, 0);
  g_assert_false (meso_store_save_session (store, late, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_REPLACED);
  g_clear_error (&error);
  g_assert_false (meso_store_reopen (store, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (dir->db, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-replaced/restore-refused-then-reopened",
                   test_restore_refused_then_reopened);
  g_test_add_func ("/store-replaced/rename-over-refused", test_rename_over_refused);
  g_test_add_func ("/store-replaced/gone-refused", test_gone_refused);
  return g_test_run ();
}
