/* meso-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-application"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-application.h"
#include "meso-backup.h"
#include "meso-connect-window.h"
#include "meso-error.h"
#include "meso-preferences-window.h"
#include "meso-server-address.h"
#include "meso-settings.h"
#include "meso-store.h"
#include "meso-window.h"

/* Where the records are: empty for this computer's file, else a server's URI. */
#define LOCATION_KEY "database-location"

struct _MesoApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;       /* NULL when the schema is not installed */
  char           *location;       /* the location open, or being opened: "" for the file */
  guint           generation;     /* counts the locations opened: answers for an older one
                                   * are dropped */
  gboolean        connecting;     /* a server is being opened */
  gboolean        switched;       /* another location was chosen: the window says so */
  MesoStore      *store;
  gboolean        checked;        /* the store passed its full check: writes are open */
  char           *restored_from;  /* the backup restored at start, if any */
  char           *kept_aside;     /* where the replaced database was kept */
  gboolean        reopening;      /* the file was replaced: checked, then opened again */
  GtkWidget      *backup_failed;  /* the dialog saying the daily backup failed, if up */
};

G_DEFINE_FINAL_TYPE (MesoApplication, meso_application, ADW_TYPE_APPLICATION)

static void open_database        (MesoApplication *self);
static void connect_to_server    (MesoApplication *self);
static void start_backup         (MesoApplication *self,
                                  gboolean         daily);
static void show_recovery_dialog (MesoApplication *self,
                                  const GError    *error);

static gboolean
is_server (MesoApplication *self)
{
  return meso_location_is_server (self->location);
}

/* Work started for the database open now: its answer is dropped if another location
 * was chosen meanwhile. */
static void
mark_current (MesoApplication *self,
              GTask           *task)
{
  g_object_set_data (G_OBJECT (task), "generation", GUINT_TO_POINTER (self->generation));
}

static gboolean
is_current (MesoApplication *self,
            GAsyncResult    *result)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "generation"))
         == self->generation;
}

static void
show_toast (MesoApplication *self,
            const char      *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (MESO_IS_WINDOW (window))
    meso_window_show_toast (MESO_WINDOW (window), message);
}

static void
on_event_logged_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MesoApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  meso_store_log_event_finish (MESO_STORE (source), result, &error);
  /* A file restored meanwhile (its writes held while it is checked) is not the one backed
   * up: the entry had no place in it. */
  if (g_error_matches (error, MESO_ERROR, MESO_ERROR_DATABASE_REPLACED)
      || g_error_matches (error, MESO_ERROR, MESO_ERROR_WRITES_HELD))
    g_debug ("An entry was not written to the audit log: %s", error->message);
  /* The clinic server went out of reach after the copy was made (the banner says so):
   * the copy stands; the person at the screen is told its entry is missing. */
  else if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE))
    {
      g_autofree char *message = g_strdup_printf (_("The audit log could not note the "
                                                    "backup: %s"), error->message);

      show_toast (self, message);
    }
  else if (error != NULL)
    g_warning ("An entry could not be written to the audit log: %s", error->message);
  g_application_release (G_APPLICATION (self));
}

/* A backup or a restore, on the record. The application is held until the entry is
 * written: quitting meanwhile does not lose it. */
static void
log_file_event (MesoApplication *self,
                const char      *action,
                const char      *file)
{
  g_autoptr(GString) payload = g_string_new (NULL);

  meso_payload_append (payload, "file", file);
  g_application_hold (G_APPLICATION (self));
  meso_store_log_event_async (self->store, action, 0, payload->str, NULL, on_event_logged_cb,
                              g_object_ref (self));
}

/* Where this workstation keeps its backups: a `backups` folder beside this computer's
 * database file. A server's go into a folder of their own inside it, named after the
 * server and its database: the daily backup of one is never taken for the other's, each
 * keeps its own month of them, and the file's recovery at start never offers a
 * server's copy. */
static char *
get_backups_dir (MesoApplication *self)
{
  g_autofree char *file = meso_store_get_default_path ();
  g_autofree char *usual = meso_backup_get_default_dir (file);
  g_autoptr(MesoServerAddress) address = NULL;
  g_autofree char *name = NULL;
  g_autofree char *port = NULL;

  if (!is_server (self))
    return meso_backup_get_default_dir (meso_store_get_path (self->store));
  address = meso_server_address_parse (self->location, NULL);
  if (address == NULL)
    return g_build_filename (usual, "server", NULL);
  port = address->port != 0 ? g_strdup_printf ("-%u", address->port) : g_strdup ("");
  name = g_strdup_printf ("server-%s@%s%s", address->database ? address->database : "",
                          address->host ? address->host : "localhost", port);
  g_strcanon (name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.@-", '_');
  return g_build_filename (usual, name, NULL);
}

static void
on_backup_failed_response_cb (AdwMessageDialog *dialog,
                              const char       *response,
                              MesoApplication  *self)
{
  g_clear_weak_pointer (&self->backup_failed);
  if (g_str_equal (response, "retry") && self->store != NULL)
    start_backup (self, TRUE);
}

/* A failed daily backup leaves the clinic without its copy of the day: a toast that goes
 * away by itself would be missed. The dialog stays until answered, says why and where,
 * and offers to try again (once the folder is fixed). */
static void
show_backup_failed (MesoApplication *self,
                    const GError    *error)
{
  g_autofree char *dir = get_backups_dir (self);
  g_autofree char *body = NULL;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  body = g_strdup_printf (_("Today’s backup could not be made in %s.\n\n%s\n\nThe records "
                            "are safe in the database, but there is no copy of today’s. Fix "
                            "the problem, then try again."), dir, error->message);
  if (self->backup_failed != NULL)
    {
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (self->backup_failed), body);
      return;
    }
  self->backup_failed = adw_message_dialog_new (parent, _("The Daily Backup Failed"), body);
  g_object_add_weak_pointer (G_OBJECT (self->backup_failed), (gpointer *) &self->backup_failed);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (self->backup_failed),
                                    "close", _("_Close"), "retry", _("_Try Again"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self->backup_failed),
                                              "retry", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (self->backup_failed), "retry");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (self->backup_failed), "close");
  gtk_window_set_application (GTK_WINDOW (self->backup_failed), GTK_APPLICATION (self));
  g_signal_connect (self->backup_failed, "response",
                    G_CALLBACK (on_backup_failed_response_cb), self);
  gtk_window_present (GTK_WINDOW (self->backup_failed));
}

static void
on_backup_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MesoApplication *self = MESO_APPLICATION (source);
  gboolean daily = g_task_get_source_tag (G_TASK (result)) == NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *made = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;

  if (!is_current (self, result))
    return;  /* of a database no longer open: another location was chosen */
  if (error != NULL && daily && self->store != NULL)
    {
      show_backup_failed (self, error);
      return;
    }
  if (error != NULL)
    {
      message = g_strdup_printf (_("The backup could not be made: %s"), error->message);
      show_toast (self, message);
      return;
    }
  if (made == NULL || self->store == NULL)
    return;  /* today's backup was made already */

  log_file_event (self, "backup", made);
  if (!daily)
    {
      g_autofree char *name = g_path_get_basename (made);

      message = g_strdup_printf (_("Backup saved as %s"), name);
      show_toast (self, message);
    }
}

/* What a backup's thread is given. */
typedef struct
{
  char *location;  /* the file, or the server's URI */
  char *dir;       /* a server's backups folder; NULL for a file's (beside it) */
} BackupJob;

static void
backup_job_free (gpointer data)
{
  BackupJob *job = data;

  g_free (job->location);
  g_free (job->dir);
  g_free (job);
}

/* A server's database is no file to copy: its dump goes into a new SQLite file, which
 * restore and check take as any other backup. Through a connection of its own, so that
 * the pages' reads do not wait behind it. */
static char *
back_up_server (BackupJob  *job,
                gboolean    daily,
                GError    **error)
{
  g_autoptr(MesoStore) store = meso_store_open_read_only (job->location, error);

  if (store == NULL)
    return NULL;
  return daily ? meso_backup_create_daily_from_store (store, job->dir, MESO_BACKUP_DEFAULT_KEEP,
                                                      error)
               : meso_backup_create_now_from_store (store, job->dir, MESO_BACKUP_DEFAULT_KEEP,
                                                    error);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupJob *job = task_data;
  gboolean daily = g_task_get_source_tag (task) == NULL;
  GError *error = NULL;
  char *made;

  if (job->dir != NULL)
    made = back_up_server (job, daily, &error);
  else if (daily)
    made = meso_backup_create_daily (job->location, MESO_BACKUP_DEFAULT_KEEP, &error);
  else
    made = meso_backup_create_now (job->location, MESO_BACKUP_DEFAULT_KEEP, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, made, g_free);
}

/* Copies the database into backups/ off the main thread: the window is usable meanwhile.
 * The daily one is made only at the first start of a day; one on demand, always. */
static void
start_backup (MesoApplication *self,
              gboolean         daily)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_backup_done_cb, NULL);
  BackupJob *job = g_new0 (BackupJob, 1);

  /* The source tag tells the two apart: NULL for the daily backup. */
  g_task_set_source_tag (task, daily ? NULL : (gpointer) start_backup);
  mark_current (self, task);
  if (is_server (self))
    {
      job->location = g_strdup (self->location);
      job->dir = get_backups_dir (self);
    }
  else
    job->location = g_strdup (meso_store_get_path (self->store));
  g_task_set_task_data (task, job, backup_job_free);
  g_task_run_in_thread (task, backup_thread);
}

static void
backup_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MesoApplication *self = user_data;

  /* The backup is entered in the audit log, which waits for the check too. */
  if (self->store != NULL && !self->checked)
    show_toast (self, _("The database is still being checked: try again in a moment."));
  else if (self->store != NULL)
    start_backup (self, FALSE);
}

/* For the start-up benchmark (tests/bench/): with MESOCARE_QUIT_AFTER_FIRST_FRAME set,
 * the process prints when the window's first frame is painted and quits, so that
 * "from exec to the first frame" is measured on the real program. */
static void
on_first_frame_cb (GdkFrameClock *clock,
                   GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame_cb, app);
  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_application_quit (app);
}

static void
on_window_realized_cb (GtkWidget    *window,
                       GApplication *app)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_frame_cb), app);
}

static void
present_window (MesoApplication *self,
                const char      *toast)
{
  MesoWindow *window = meso_window_new (GTK_APPLICATION (self), self->store);
  g_autofree char *switched = NULL;

  if (toast == NULL && self->switched)
    {
      g_autofree char *where = meso_server_describe_location (self->location);

      switched = is_server (self)
                 ? g_strdup_printf (_("The records are now those of the clinic server %s"),
                                    where)
                 : g_strdup (_("The records are now those of this computer"));
      toast = switched;
    }
  self->switched = FALSE;

  if (g_getenv ("MESOCARE_QUIT_AFTER_FIRST_FRAME") != NULL)
    g_signal_connect (window, "realize", G_CALLBACK (on_window_realized_cb), self);
  gtk_window_present (GTK_WINDOW (window));
  if (toast != NULL)
    meso_window_show_toast (window, toast);
}

static void
restore_backup (MesoApplication *self,
                const char      *backup)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *aside = NULL;
  g_autoptr(GError) error = NULL;

  if (!meso_backup_restore (backup, path, &aside, &error))
    {
      show_recovery_dialog (self, error);
      return;
    }
  g_free (self->restored_from);
  self->restored_from = g_strdup (backup);
  g_free (self->kept_aside);
  self->kept_aside = g_steal_pointer (&aside);
  open_database (self);
}

static void
on_recovery_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         MesoApplication  *self)
{
  const char *backup = g_object_get_data (G_OBJECT (dialog), "backup");

  if (g_str_equal (response, "restore") && backup != NULL)
    restore_backup (self, backup);
  else
    g_application_quit (G_APPLICATION (self));
}

/* Mesocare never writes to a database it cannot trust (damaged, or from a newer
 * version): it says what is wrong and offers the newest backup that passes its checks.
 * The file replaced is kept beside it, renamed, never deleted. */
static void
show_recovery_dialog (MesoApplication *self,
                      const GError    *error)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = meso_backup_get_default_dir (path);
  g_autofree char *backup = meso_backup_find_newest_good (dir, NULL);
  g_autoptr(GString) body = g_string_new (error->message);
  GtkWidget *dialog;

  if (backup != NULL)
    {
      g_autofree char *name = g_path_get_basename (backup);

      g_string_append_printf (body, "\n\n%s\n%s\n\n%s",
                              _("The newest backup that passes its checks is:"), name,
                              _("Restoring it replaces the database with that copy. The "
                                "current file is kept beside it, renamed."));
    }
  else
    g_string_append_printf (body, "\n\n%s", _("There is no backup to restore."));

  dialog = adw_message_dialog_new (NULL, _("Mesocare Cannot Use Its Database"), body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  if (backup != NULL)
    {
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "restore",
                                       _("_Restore Backup"));
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "restore",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "restore");
    }
  g_object_set_data_full (G_OBJECT (dialog), "backup", g_steal_pointer (&backup), g_free);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect (dialog, "response", G_CALLBACK (on_recovery_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static char *
describe_restore (MesoApplication *self)
{
  return g_strdup_printf (_("Database restored from a backup; the replaced file was kept as %s"),
                          self->kept_aside != NULL ? self->kept_aside : "—");
}

/* The first start after the upgrade gives the database the clinic's details this user's
 * settings held, unless another workstation (or an earlier start) gave it some already.
 * A write: it waits for the database to pass its check. */
static void
carry_over_settings (MesoApplication *self)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  g_autoptr(GError) error = NULL;

  if (settings == NULL)
    return;
  if (!meso_settings_carry_over_clinic (settings, self->store, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The clinic’s details could not be moved "
                                                    "into the database: %s"), error->message);

      show_toast (self, message);
    }
}

/* The file that replaced the database passed its check: the same store, and so every
 * page holding it, goes on with a connection to it. */
static gboolean
reopen_replaced (MesoApplication  *self,
                 GError          **error)
{
  if (!self->reopening)
    return TRUE;
  self->reopening = FALSE;
  if (!meso_store_reopen (self->store, error))
    return FALSE;
  show_toast (self, _("The database was opened again: what was not saved can be saved now"));
  return TRUE;
}

/* The database turned out damaged while the window was open: nothing more is written
 * to it. The window goes (with the store it holds), and the recovery dialog stays. */
static void
on_full_check_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  MesoApplication *self = MESO_APPLICATION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) windows = NULL;

  if (!is_current (self, result))
    return;  /* of a file no longer open: another location was chosen */
  if (g_task_propagate_boolean (G_TASK (result), &error)
      && (self->store == NULL || reopen_replaced (self, &error)))
    {
      /* A copy of a damaged file would be no backup: it comes after the check. */
      if (self->store != NULL)
        {
          self->checked = TRUE;
          meso_store_hold_writes (self->store, FALSE);
          carry_over_settings (self);
          /* Written once writes are open: before, it would be refused. */
          if (self->restored_from != NULL)
            log_file_event (self, "restore", self->restored_from);
          /* Once: a later check (after a file replaced) is of another restore. */
          g_clear_pointer (&self->restored_from, g_free);
          start_backup (self, TRUE);
        }
      return;
    }
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  show_recovery_dialog (self, error);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_clear_object (&self->store);
}

static void
full_check_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  /* integrity_check (a damaged index passes quick_check, and the app would then write
   * through it), then the sealed audit log and every record table against it. */
  if (meso_backup_verify_file (task_data, TRUE, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Reading every page of a large database takes seconds: it is done beside the open
 * window rather than before it. */
static void
start_full_check (MesoApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_full_check_done_cb, NULL);

  mark_current (self, task);
  g_task_set_task_data (task, g_strdup (meso_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, full_check_thread);
}

/* A backup was restored (or another file renamed over the database) while the app had
 * it open: the store refused a write and said so (MesoStore::replaced). Writes are held,
 * the new file gets the full check, and the store is then opened on it
 * (reopen_replaced()). The form that could not be saved keeps its values. */
static gboolean
on_replaced_idle_cb (gpointer user_data)
{
  MesoApplication *self = user_data;

  if (self->store == NULL || self->reopening)
    return G_SOURCE_REMOVE;
  self->reopening = TRUE;
  self->checked = FALSE;
  meso_store_hold_writes (self->store, TRUE);
  show_toast (self, _("The database was replaced by another file (a backup restored?) while "
                      "Mesocare had it open: nothing was saved, and your form is kept. It is "
                      "being checked and opened again."));
  start_full_check (self);
  return G_SOURCE_REMOVE;
}

/* Emitted in the thread that tried to write (the store's worker): the rest is done on
 * the main loop, never inside the store's call. */
static void
on_store_replaced_cb (MesoStore       *store,
                      MesoApplication *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, on_replaced_idle_cb, g_object_ref (self),
                   g_object_unref);
}

/* Mesocare never writes to a database it cannot trust. What costs the same for any size
 * (a database, a schema it knows) is checked before opening; an upgrade, which writes,
 * waits for the full check (integrity_check); otherwise the full check runs once the
 * window is up, and the daily backup after it. */
static void
open_database (MesoApplication *self)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *toast = NULL;
  g_autoptr(GError) error = NULL;
  gboolean latest = TRUE;

  if (g_file_test (path, G_FILE_TEST_EXISTS)
      && (!meso_backup_check_header (path, &latest, &error)
          || (!latest && !meso_backup_check_integrity (path, &error))))
    {
      show_recovery_dialog (self, error);
      return;
    }
  self->store = meso_store_open (path, &error);
  if (self->store == NULL)
    {
      show_recovery_dialog (self, error);
      return;
    }
  g_signal_connect_object (self->store, "replaced", G_CALLBACK (on_store_replaced_cb), self,
                           0);

  if (self->restored_from != NULL)
    toast = describe_restore (self);
  present_window (self, toast);
  self->checked = FALSE;
  meso_store_hold_writes (self->store, TRUE);
  start_full_check (self);
}

/* ---- A clinic server ---- */

static MesoConnectWindow *
find_connect_window (MesoApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (MESO_IS_CONNECT_WINDOW (l->data))
      return l->data;
  return NULL;
}

static MesoConnectWindow *
ensure_connect_window (MesoApplication *self)
{
  MesoConnectWindow *window = find_connect_window (self);

  if (window == NULL)
    {
      window = meso_connect_window_new (GTK_APPLICATION (self));
      gtk_window_present (GTK_WINDOW (window));
    }
  return window;
}

/* Retry is offered only while the server is out of reach, not while it is being tried. */
static void
update_retry_action (MesoApplication *self)
{
  GAction *retry = g_action_map_lookup_action (G_ACTION_MAP (self), "retry-connection");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (retry),
                               is_server (self) && self->store == NULL && !self->connecting);
}

/* The server answered: the normal window takes the place of the one that waited. There
 * is no file to check: the server enforces its own constraints. The day's backup, a
 * copy on this workstation, follows. */
static void
use_server_store (MesoApplication *self)
{
  MesoConnectWindow *waiting = find_connect_window (self);

  self->checked = TRUE;
  present_window (self, NULL);
  if (waiting != NULL)
    gtk_window_destroy (GTK_WINDOW (waiting));
  carry_over_settings (self);
  start_backup (self, TRUE);
}

static void
on_server_opened_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  MesoApplication *self = MESO_APPLICATION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  if (!is_current (self, result))
    return;  /* another location was chosen meanwhile */
  self->connecting = FALSE;
  if (store == NULL)
    {
      /* Whatever the reason (the server down, a wrong address or password, a version
       * of Mesocare without the server's engine), the workstation cannot reach its
       * records: the window says so, with the reason, and offers Retry. */
      g_debug ("The clinic server cannot be opened: %s", error->message);
      update_retry_action (self);
      meso_connect_window_show_unreachable (ensure_connect_window (self), self->location,
                                            error);
      return;
    }
  self->store = g_steal_pointer (&store);
  update_retry_action (self);
  use_server_store (self);
}

static void
open_server_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GError *error = NULL;
  MesoStore *store = meso_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/* Reaching a server takes up to its connection timeout: a window says it is being
 * reached, and the open runs beside the main loop. */
static void
connect_to_server (MesoApplication *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_server_opened_cb, NULL);

  self->connecting = TRUE;
  update_retry_action (self);
  meso_connect_window_show_connecting (ensure_connect_window (self), self->location);
  mark_current (self, task);
  g_task_set_task_data (task, g_strdup (self->location), g_free);
  g_task_run_in_thread (task, open_server_thread);
}

static void
retry_connection_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  MesoApplication *self = user_data;

  if (is_server (self) && self->store == NULL && !self->connecting)
    connect_to_server (self);
}

/* ---- Where the records are ---- */

static char *
get_configured_location (MesoApplication *self)
{
  g_autofree char *location = NULL;

  if (self->settings != NULL)
    location = g_settings_get_string (self->settings, LOCATION_KEY);
  /* Anything but a server's address is this computer's file. */
  if (!meso_location_is_server (location))
    g_clear_pointer (&location, g_free);
  return location != NULL ? g_steal_pointer (&location) : g_strdup ("");
}

/* Opens what the settings name: this computer's file, or a server. */
static void
open_location (MesoApplication *self)
{
  g_free (self->location);
  self->location = get_configured_location (self);
  self->generation++;
  if (is_server (self))
    connect_to_server (self);
  else
    open_database (self);
  update_retry_action (self);
}

/* Every window goes with the store it shows (the preferences too, which hold it), and
 * the new location is opened. Safer than moving each page to another store: nothing
 * shown can then come from the other database. From the main loop: the change may come
 * from a button of a window that goes. */
static gboolean
on_reopen_idle_cb (gpointer user_data)
{
  MesoApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* The application would quit when its last window goes. */
  g_application_hold (G_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_clear_object (&self->store);
  self->checked = FALSE;
  self->reopening = FALSE;
  self->connecting = FALSE;
  self->switched = TRUE;
  open_location (self);
  g_application_release (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void follow_location (MesoApplication *self);

/* The question about unsaved work, asked because the location changed. */
typedef struct
{
  MesoApplication *app;
  gboolean         discarded;
} LocationQuestion;

static void
follow_location_again (gpointer user_data)
{
  LocationQuestion *question = user_data;

  question->discarded = TRUE;
  follow_location (question->app);
}

/* Cancel: the work is kept, and so is the database open. The setting goes back to it,
 * so that it never names a database other than the one in use (and the next start
 * opens the same). */
static void
location_question_free (gpointer user_data)
{
  LocationQuestion *question = user_data;
  MesoApplication *self = question->app;

  if (!question->discarded && self->location != NULL && self->settings != NULL)
    {
      g_autofree char *configured = get_configured_location (self);

      if (!g_str_equal (configured, self->location))
        g_settings_set_string (self->settings, LOCATION_KEY, self->location);
    }
  g_object_unref (question->app);
  g_free (question);
}

/* The location in the settings changed (the preferences, or `gsettings set`): unsaved
 * work in a form is asked about first, as when quitting; kept, the setting is put back
 * to the database open. */
static void
follow_location (MesoApplication *self)
{
  g_autofree char *location = get_configured_location (self);

  if (self->location == NULL || g_str_equal (location, self->location))
    {
      /* The same server, its password perhaps changed: tried again if out of reach. */
      if (is_server (self) && self->store == NULL && !self->connecting)
        connect_to_server (self);
      return;
    }
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (MESO_IS_WINDOW (l->data) && meso_window_get_unsaved (l->data))
      {
        LocationQuestion *question = g_new0 (LocationQuestion, 1);

        question->app = g_object_ref (self);
        meso_window_ask_discard (l->data, follow_location_again, question,
                                 location_question_free);
        return;
      }
  g_idle_add_full (G_PRIORITY_DEFAULT, on_reopen_idle_cb, g_object_ref (self), g_object_unref);
}

static void
meso_application_activate (GApplication *app)
{
  MesoApplication *self = MESO_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    gtk_window_present (window);
  else if (self->store == NULL && !self->connecting)
    open_location (self);
  else if (self->store != NULL)
    present_window (self, NULL);
}

static void
quit_again (gpointer user_data)
{
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
}

/* A window whose form holds unsaved work asks first; once each has been discarded (a
 * discarded form counts no more), the application quits. */
static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = user_data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (MESO_IS_WINDOW (l->data) && meso_window_get_unsaved (l->data))
      {
        meso_window_ask_discard (l->data, quit_again, g_object_ref (app), g_object_unref);
        return;
      }
  g_application_quit (app);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Mesocare developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Mesocare"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Record mesotherapy sessions and print aftercare sheets."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MesoApplication *self = user_data;
  GtkApplication *app = user_data;
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  GtkWindow *parent = gtk_application_get_active_window (app);
  GtkWidget *window;

  /* Without a store, the recovery dialog is up (nothing to edit then), or the server
   * cannot be reached: its address may be what needs correcting. */
  if (self->store == NULL && !is_server (self))
    return;
  /* Only a build run without its settings schema lacks them: say so, do not crash. */
  if (settings == NULL)
    {
      if (MESO_IS_WINDOW (parent))
        meso_window_show_toast (MESO_WINDOW (parent),
                                _("The preferences cannot be opened: Mesocare’s settings "
                                  "schema is not installed"));
      return;
    }
  window = meso_preferences_window_new (settings, self->store);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "preferences", preferences_activated, NULL, NULL, NULL },
  { "backup", backup_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
  { "retry-connection", retry_connection_activated, NULL, NULL, NULL },
};

static const struct {
  const char *action;
  const char *accels[2];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "record.save", { "<Control>s", NULL } },
  { "record.print", { "<Control>p", NULL } },
  { "record.save-pdf", { "<Shift><Control>s", NULL } },
  { "record.new-session", { "<Control>n", NULL } },
  { "win.show-page::record", { "<Alt>1", NULL } },
  { "win.show-page::today", { "<Alt>2", NULL } },
  { "win.show-page::history", { "<Alt>3", NULL } },
  { "win.show-page::reports", { "<Alt>4", NULL } },
  { "win.search", { "<Control>f", NULL } },
};

static void
meso_application_startup (GApplication *app)
{
  MesoApplication *self = MESO_APPLICATION (app);

  G_APPLICATION_CLASS (meso_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);

  self->settings = meso_settings_new_if_installed ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::" LOCATION_KEY,
                             G_CALLBACK (follow_location), self, G_CONNECT_SWAPPED);
  update_retry_action (self);
}

/* The application ends: it follows the settings no more, the answers of work still on
 * its way are dropped (see is_current()), and the database is closed now, not when the
 * application is finalized (exported on D-Bus, it may outlive its run). */
static void
meso_application_shutdown (GApplication *app)
{
  MesoApplication *self = MESO_APPLICATION (app);

  self->generation++;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->store);
  G_APPLICATION_CLASS (meso_application_parent_class)->shutdown (app);
}

static void
meso_application_dispose (GObject *object)
{
  MesoApplication *self = (MesoApplication *) object;

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->location, g_free);
  g_clear_weak_pointer (&self->backup_failed);
  g_clear_pointer (&self->restored_from, g_free);
  g_clear_pointer (&self->kept_aside, g_free);
  G_OBJECT_CLASS (meso_application_parent_class)->dispose (object);
}

static void
meso_application_class_init (MesoApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = meso_application_dispose;
  G_APPLICATION_CLASS (klass)->activate = meso_application_activate;
  G_APPLICATION_CLASS (klass)->startup = meso_application_startup;
  G_APPLICATION_CLASS (klass)->shutdown = meso_application_shutdown;
}

static void
meso_application_init (MesoApplication *self)
{
}

MesoApplication *
meso_application_new (void)
{
  return g_object_new (MESO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/mesocare/Mesocare",
                       NULL);
}
