/* test-app-files.c: the app and its database file (issue 14): a restore while it is open,
 * an index only integrity_check finds damaged, a daily backup that fails
 *
 * Each test drives the real application in this process, on the database of a private
 * XDG tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "meso-application.h"
#include "meso-backup.h"
#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-window.h"

/* A fresh database at the default path, its backups folder empty, with @n sessions. */
static void
make_database (guint n)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(MesoStore) store = NULL;

  meso_test_remove_tree (dir);
  store = meso_test_open_store (path);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Before Restore %u", i + 1);
      g_autofree char *lot = g_strdup_printf ("LOT-%u", i + 1);
      g_autofree char *product = g_strdup_printf ("Product %u", i + 1);
      g_autoptr(MesoSession) session = meso_test_session_new (name, MESO_AREA_FACE, 10, 10);

      g_object_set (session, "lot", lot, "product", product, NULL);
      meso_test_save_session (store, session);
    }
  meso_test_drop_store (&store);
}

static MesoStore *
window_store (GtkWindow *window)
{
  MesoStore *store = NULL;

  g_object_get (window, "store", &store, NULL);
  g_object_unref (store);  /* the window keeps it */
  return store;
}

static gboolean
writes_open (gpointer data)
{
  return !meso_store_get_writes_held (data);
}

static gboolean
has_backup (gpointer data)
{
  g_autoptr(GDir) listing = g_dir_open (data, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "mesocare-") && g_str_has_suffix (name, ".db"))
      return TRUE;
  return FALSE;
}

static gboolean
backup_logged (gpointer data)
{
  g_autoptr(GPtrArray) entries = meso_store_list_audit (data, 0, NULL);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    if (g_str_equal (((MesoAuditEntry *) g_ptr_array_index (entries, i))->action, "backup"))
      return TRUE;
  return FALSE;
}

/* ---- A restore while the app is open ---- */

typedef struct
{
  MesoStore *store;
  gint64     sessions;
} Reopened;

/* The store reads the restored file, and its writes are open again. */
static gboolean
is_reopened (gpointer data)
{
  Reopened *reopened = data;

  return !meso_store_get_writes_held (reopened->store)
         && meso_store_count_sessions (reopened->store, NULL) == reopened->sessions;
}

static gboolean
is_save_done (gpointer data)
{
  return g_action_group_get_action_enabled (data, "save");
}

static void
click_save (GtkWidget    *editor,
            GActionGroup *actions)
{
  GtkWidget *button = meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, "save_button");

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  meso_test_wait_for (is_save_done, actions, "the save to be done");
}

/* A database of two other sessions, backed up to @backup: what the restore brings. */
static void
make_backup_to_restore (const char *backup)
{
  g_autofree char *dir = g_path_get_dirname (backup);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autoptr(MesoStore) store = meso_test_open_store (other);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("Restored %u", i + 1);
      g_autoptr(MesoSession) session = meso_test_session_new (name, MESO_AREA_SCALP, 20, 20);

      meso_test_save_session (store, session);
    }
  g_assert_true (meso_backup_create (other, backup, NULL));
  meso_test_drop_store (&store);
}

static void
run_restore (const char *backup)
{
  /* Its words on standard output would break the TAP stream. */
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = meso_test_spawn_cli (launcher, NULL,
                                 (const char * const[]) { "restore", backup, NULL });
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* The names of the sessions in @path, read without changing it. */
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

static char *
find_aside (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "mesocare.db.replaced-") && !g_str_has_suffix (name, "-wal")
        && !g_str_has_suffix (name, "-shm"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

/* `mesocare-cli restore` while the app is open: the form's save is refused, never written
 * into the replaced file; the form keeps its values; the app checks the restored file and
 * opens it; the same save then lands in it, with an id of its own. */
static void
test_restore_while_open (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *work = meso_test_make_tmp_dir ("mesocare-restore-XXXXXX");
  g_autofree char *backup = g_build_filename (work, "clinic-backup.db", NULL);
  g_autofree char *backups = meso_backup_get_default_dir (path);
  g_autoptr(MesoApplication) app = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *live = NULL;
  g_autofree char *replaced = NULL;
  Reopened reopened;
  GtkWindow *window;
  GtkWidget *record, *editor, *patient;
  GActionGroup *actions;

  make_database (1);
  make_backup_to_restore (backup);
  app = meso_test_start_app ("io.github.mesocare.Mesocare.Restored");
  window = meso_test_wait_for_window_named ("MesoWindow");
  meso_test_wait_for (writes_open, window_store (window), "the start check to pass");
  meso_test_wait_for (has_backup, backups, "the daily backup");
  meso_test_wait_for (backup_logged, window_store (window), "the daily backup's audit entry");

  run_restore (backup);

  record = meso_window_get_page (MESO_WINDOW (window), "record");
  actions = meso_record_page_get_actions (MESO_RECORD_PAGE (record));
  editor = meso_test_child (record, MESO_TYPE_RECORD_PAGE, "editor");
  patient = meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, "patient_entry");
  gtk_editable_set_text (GTK_EDITABLE (patient), "After Restore");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (meso_test_area_button (editor, "arms")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "injections_spin")), "30");
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "duration_spin")), "25");
  click_save (editor, actions);

  /* Refused: the form keeps what was typed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (patient)), ==, "After Restore");
  reopened = (Reopened) { window_store (window), 2 };
  meso_test_wait_for (is_reopened, &reopened, "the restored database to be opened");
  click_save (editor, actions);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (patient)), ==, "");

  live = names_in (path);
  g_assert_cmpstr (live, ==, "1 Restored 1\n2 Restored 2\n3 After Restore\n");
  meso_test_wait_for (writes_open, reopened.store, "nothing");  /* no write is pending */
  meso_test_stop_app (&app);
  aside = find_aside (dir);
  g_assert_nonnull (aside);
  replaced = names_in (aside);
  g_assert_cmpstr (replaced, ==, "1 Before Restore 1\n");
  meso_test_remove_tree (work);
}

/* ---- An index only integrity_check finds damaged ---- */

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/* Two indexes of the same shape swap their pages: every page is sound (quick_check
 * passes), but each index now hands out the other's rows, which integrity_check finds by
 * reading each row of the table against its indexes. */
static int
rootpage (const char *path,
          const char *index)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rootpage FROM sqlite_schema WHERE name = '%s'",
                                          index);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int page;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (page, >, 1);
  return page;
}

static void
swap_indexes (const char *path)
{
  int lot = rootpage (path, "current_by_lot");
  int product = rootpage (path, "current_by_product");
  g_autofree char *sql = g_strdup_printf ("PRAGMA writable_schema = ON;"
                                          " UPDATE sqlite_schema SET rootpage = %d"
                                          "  WHERE name = 'current_by_lot';"
                                          " UPDATE sqlite_schema SET rootpage = %d"
                                          "  WHERE name = 'current_by_product';",
                                          product, lot);

  exec_sql (path, sql);
}

static void
test_damaged_index_found (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  make_database (40);
  swap_indexes (path);
  /* The damage is the kind meant: only integrity_check sees it. */
  g_assert_true (meso_backup_check_file (path, NULL));
  g_assert_false (meso_backup_check_integrity (path, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE_DAMAGED);
  damaged = meso_test_read_file (path);

  app = meso_test_start_app ("io.github.mesocare.Mesocare.DamagedIndex");
  dialog = meso_test_wait_for_window_named ("AdwMessageDialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Mesocare Cannot Use Its Database");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "damaged"));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    g_assert_false (MESO_IS_WINDOW (l->data));
  /* Nothing was written to it meanwhile. */
  after = meso_test_read_file (path);
  g_assert_true (g_bytes_equal (after, damaged));
  meso_test_stop_app (&app);
}

/* ---- A daily backup that fails ---- */

/* A file where the backups folder should be: the failure stays on screen, saying why and
 * where, until answered; once the file is moved away, Try Again makes the backup. */
static void
test_daily_backup_failed (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *backups = meso_backup_get_default_dir (path);
  g_autoptr(MesoApplication) app = NULL;
  AdwMessageDialog *dialog;

  make_database (1);
  g_assert_true (g_file_set_contents (backups, "not a folder", -1, NULL));

  app = meso_test_start_app ("io.github.mesocare.Mesocare.BackupFailed");
  dialog = ADW_MESSAGE_DIALOG (meso_test_wait_for_window_named ("AdwMessageDialog"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Daily Backup Failed");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), backups));
  g_assert_true (adw_message_dialog_has_response (dialog, "retry"));

  g_assert_cmpint (g_unlink (backups), ==, 0);
  /* As its button does: answer, then close. */
  adw_message_dialog_response (dialog, "retry");
  gtk_window_destroy (GTK_WINDOW (dialog));
  meso_test_wait_for (has_backup, backups, "the backup tried again to be made");
  meso_test_stop_app (&app);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-app-files-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_add_func ("/app-files/restore-while-open", test_restore_while_open);
  g_test_add_func ("/app-files/damaged-index-found", test_damaged_index_found);
  g_test_add_func ("/app-files/daily-backup-failed", test_daily_backup_failed);
  return g_test_run ();
}
