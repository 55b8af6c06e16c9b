/* test-app-server.c: the app's side of a clinic server (issue 13): the screen when the
 * server cannot be reached at start, and Retry; the preferences writing the address to
 * GSettings and the password to .pgpass; a connection lost during a save
 *
 * Each test drives the real application in this process, in a private XDG tree. The
 * server out of reach is a folder with no server in it. With MESOCARE_TEST_SERVER set
 * (the URI of a private server, see MACHINE-NOTES), the cases that need a server that
 * answers run too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "meso-application.h"
#include "meso-backup.h"
#include "meso-connect-window.h"
#include "meso-dump.h"
#include "meso-error.h"
#include "meso-history-page.h"
#include "meso-preferences-window.h"
#include "meso-record-page.h"
#include "meso-server-address.h"
#include "meso-server-banner.h"
#include "meso-server-page.h"
#include "meso-session-editor.h"
#include "meso-settings.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-window.h"

#define LOCATION_KEY "database-location"

static void set_location (const char *location);

/* The application, started on @location; set before, so that no other application of
 * this process follows the change (meso_test_stop_app() waits for each to be gone). */
static MesoApplication *
start_app (const char *id,
           const char *location)
{
  set_location (location);
  return meso_test_start_app (id);
}

static void
set_location (const char *location)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();

  g_assert_nonnull (settings);
  g_settings_set_string (settings, LOCATION_KEY, location);
}

static char *
get_location (void)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();

  return g_settings_get_string (settings, LOCATION_KEY);
}

/* A server's URI whose host is a folder with no server in it. */
static char *
unreachable_uri (const char *dir)
{
  g_autofree char *escaped = g_uri_escape_string (dir, NULL, FALSE);

  return g_strdup_printf ("postgresql://meso@/postgres?host=%s", escaped);
}

static gboolean
has_window_named (GtkApplication *app,
                  const char     *type_name)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (g_str_equal (G_OBJECT_TYPE_NAME (l->data), type_name))
      return TRUE;
  return FALSE;
}

static GtkWindow *
find_window_named (GtkApplication *app,
                   const char     *type_name)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (g_str_equal (G_OBJECT_TYPE_NAME (l->data), type_name))
      return l->data;
  return NULL;
}

static gboolean
retry_offered (gpointer data)
{
  return g_action_group_get_action_enabled (data, "retry-connection");
}

static gboolean
main_window_shown (gpointer data)
{
  return has_window_named (data, "MesoWindow") && !has_window_named (data, "MesoConnectWindow");
}

/* The screen says the server cannot be reached, where it is, and the store's own reason;
 * the normal window is not there. */
static void
assert_unreachable_screen (MesoApplication *app,
                           const char      *dir,
                           const char      *reason)
{
  GtkWindow *window = find_window_named (GTK_APPLICATION (app), "MesoConnectWindow");
  GtkWidget *stack, *page;
  g_autofree char *escaped = g_markup_escape_text (reason, -1);
  const char *description;

  g_assert_nonnull (window);
  g_assert_false (meso_connect_window_get_connecting (MESO_CONNECT_WINDOW (window)));
  stack = meso_test_child (GTK_WIDGET (window), MESO_TYPE_CONNECT_WINDOW, "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "unreachable");
  page = meso_test_child (GTK_WIDGET (window), MESO_TYPE_CONNECT_WINDOW, "unreachable_page");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==,
                   "Cannot Reach the Clinic Server");
  description = adw_status_page_get_description (ADW_STATUS_PAGE (page));
  g_assert_nonnull (strstr (description, dir));
  g_assert_nonnull (strstr (description, escaped));
  g_assert_true (gtk_widget_get_visible (meso_test_child (GTK_WIDGET (window),
                                                          MESO_TYPE_CONNECT_WINDOW,
                                                          "retry_button")));
  g_assert_false (has_window_named (GTK_APPLICATION (app), "MesoWindow"));
}

/* What the store says about the location: the reason the screen must show. */
static char *
store_reason (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open (uri, &error);

  g_assert_null (store);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

/* ---- The server out of reach at start ---- */

static MesoServerPage *
open_server_page (MesoApplication *app)
{
  GtkWindow *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = meso_test_wait_for_window_named ("MesoPreferencesWindow");
  return meso_preferences_window_get_server_page (MESO_PREFERENCES_WINDOW (prefs));
}

static GtkWidget *
page_child (MesoServerPage *page,
            const char     *name)
{
  return meso_test_child (GTK_WIDGET (page), MESO_TYPE_SERVER_PAGE, name);
}

/* A full screen that says so, with the host and the reason; Retry while the server is
 * still down keeps it, with the reason; the preferences open from it (no store behind
 * them) on the server's address, and choosing this computer there opens the normal
 * window. */
static void
test_outage_at_start (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-noserver-XXXXXX");
  g_autofree char *uri = unreachable_uri (dir);
  g_autofree char *reason = store_reason (uri);
  g_autoptr(MesoApplication) app = NULL;
  MesoServerPage *page;
  GtkWidget *prefs;
  GtkWindow *window;

  app = start_app ("io.github.mesocare.Mesocare.Outage", uri);
  window = meso_test_wait_for_window_named ("MesoConnectWindow");
  meso_test_wait_for (retry_offered, app, "the first try to end");
  meso_test_wait_for_frame (GTK_WIDGET (window));
  assert_unreachable_screen (app, dir, reason);

  /* Retry: tried again (not offered meanwhile), and still out of reach. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "retry-connection", NULL);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "retry-connection"));
  g_assert_true (meso_connect_window_get_connecting (MESO_CONNECT_WINDOW (window)));
  meso_test_wait_for (retry_offered, app, "the retry to end");
  assert_unreachable_screen (app, dir, reason);

  /* The preferences, on the address in the settings; no clinic's details (they are on
   * the server). */
  page = open_server_page (app);
  prefs = gtk_widget_get_ancestor (GTK_WIDGET (page), MESO_TYPE_PREFERENCES_WINDOW);
  g_assert_null (gtk_widget_get_parent (meso_test_child (prefs, MESO_TYPE_PREFERENCES_WINDOW,
                                                         "clinic_page")));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (page_child (page,
                                                                            "server_check"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (page, "host_row"))), ==,
                   dir);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (page, "user_row"))), ==,
                   "meso");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (page, "database_row"))),
                   ==, "postgres");

  /* Back to this computer: the normal window, on the local file. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (page, "local_check")), TRUE);
  g_signal_emit_by_name (page_child (page, "apply_button"), "clicked");
  g_assert_cmpstr (get_location (), ==, "");
  meso_test_wait_for (main_window_shown, app, "the normal window on this computer's file");
  g_assert_false (has_window_named (GTK_APPLICATION (app), "MesoPreferencesWindow"));

  meso_test_stop_app (&app);
  meso_test_remove_tree (dir);
}

/* ---- The preferences ---- */

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
set_text (MesoServerPage *page,
          const char     *row,
          const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (page, row)), text);
}

static const char *
status_text (MesoServerPage *page)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (page_child (page, "status_row")));
}

/* A field refused by the core: its row marked, the message naming it, nothing written.
 * Then the address goes to GSettings without the password, which goes to the .pgpass
 * file (0600, its line escaped, first, another line kept); the app then follows the
 * setting to the server (out of reach here: a folder whose name holds a colon). */
static void
test_preferences_write (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pgpass-XXXXXX");
  g_autofree char *socket = g_build_filename (dir, "no:server", NULL);
  g_autofree char *pgpass = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *escaped_socket = g_uri_escape_string (socket, NULL, FALSE);
  g_autofree char *expected_uri = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *location = NULL;
  g_autoptr(MesoApplication) app = NULL;
  MesoServerPage *page;
  GtkWidget *database_row, *ca_row;

  g_setenv ("PGPASSFILE", pgpass, TRUE);
  g_assert_true (g_file_set_contents (pgpass, "other.host:5432:clinic:desk:kept\n", -1, NULL));
  app = start_app ("io.github.mesocare.Mesocare.ServerPreferences", "");
  meso_test_wait_for_window_named ("MesoWindow");
  page = open_server_page (app);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (page, "server_check")), TRUE);
  set_text (page, "host_row", socket);
  set_text (page, "port_row", "6432");
  set_text (page, "user_row", "front:desk");
  set_text (page, "password_row", "Zq:ss\\word7");
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (page, "tls_row")), 1);

  /* No database: refused, naming it. */
  g_signal_emit_by_name (page_child (page, "apply_button"), "clicked");
  database_row = page_child (page, "database_row");
  g_assert_true (gtk_widget_has_css_class (database_row, "error"));
  g_assert_true (g_str_has_prefix (status_text (page), "Database: "));
  location = get_location ();
  g_assert_cmpstr (location, ==, "");
  text = read_text (pgpass);
  g_assert_cmpstr (text, ==, "other.host:5432:clinic:desk:kept\n");

  set_text (page, "database_row", "clinic");
  g_assert_false (gtk_widget_has_css_class (database_row, "error"));

  /* The server's certificate verified: its authority's file is asked for. */
  ca_row = page_child (page, "ca_row");
  g_assert_false (gtk_widget_get_visible (ca_row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (page, "tls_row")), 2);
  g_assert_true (gtk_widget_get_visible (ca_row));
  g_signal_emit_by_name (page_child (page, "apply_button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (ca_row, "error"));
  g_assert_true (g_str_has_prefix (status_text (page), "Certificate authority: "));
  g_clear_pointer (&location, g_free);
  location = get_location ();
  g_assert_cmpstr (location, ==, "");

  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (page, "tls_row")), 1);
  g_assert_false (gtk_widget_get_visible (ca_row));
  g_signal_emit_by_name (page_child (page, "apply_button"), "clicked");

  expected_uri = g_strdup_printf ("postgresql://front%%3Adesk@/clinic?host=%s&port=6432"
                                  "&sslmode=require", escaped_socket);
  g_clear_pointer (&location, g_free);
  location = get_location ();
  g_assert_cmpstr (location, ==, expected_uri);
  g_assert_null (strstr (location, "word7"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (page, "password_row"))),
                   ==, "");
  g_assert_cmpuint (file_mode (pgpass), ==, 0600);
  g_clear_pointer (&text, g_free);
  text = read_text (pgpass);
  expected_text = g_strdup_printf ("%s/no\\:server:6432:clinic:front\\:desk:Zq\\:ss\\\\word7\n"
                                   "other.host:5432:clinic:desk:kept\n", dir);
  g_assert_cmpstr (text, ==, expected_text);

  /* The app follows: the server out of reach, said in full. */
  meso_test_wait_for_window_named ("MesoConnectWindow");
  meso_test_wait_for (retry_offered, app, "the try of the new server to end");
  g_assert_false (has_window_named (GTK_APPLICATION (app), "MesoWindow"));

  meso_test_stop_app (&app);
  g_unsetenv ("PGPASSFILE");
  meso_test_remove_tree (dir);
}

static gboolean
test_done (gpointer data)
{
  return !meso_server_page_get_testing (data);
}

/* Test Connection runs beside the window (it answers at once, the test on its way) and
 * gives the reason the server cannot be reached, without the password typed. Nothing is
 * written: neither the setting nor the password file. */
static void
test_connection_unreachable (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-noserver-XXXXXX");
  g_autofree char *pgpass = g_build_filename (dir, "pgpass", NULL);
  g_autofree char *location = NULL;
  g_autoptr(MesoApplication) app = NULL;
  MesoServerPage *page;

  g_setenv ("PGPASSFILE", pgpass, TRUE);
  app = start_app ("io.github.mesocare.Mesocare.TestUnreachable", "");
  meso_test_wait_for_window_named ("MesoWindow");
  page = open_server_page (app);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (page, "server_check")), TRUE);
  set_text (page, "host_row", dir);
  set_text (page, "database_row", "postgres");
  set_text (page, "user_row", "meso");
  set_text (page, "password_row", "Typed-Secret-9");

  g_signal_emit_by_name (page_child (page, "test_button"), "clicked");
  g_assert_true (meso_server_page_get_testing (page));
  g_assert_false (gtk_widget_get_sensitive (page_child (page, "test_button")));
  meso_test_wait_for (test_done, page, "the connection test to end");
  g_test_message ("Test Connection said: %s", status_text (page));
  g_assert_true (g_str_has_prefix (status_text (page), "The clinic server cannot be reached: "));
  g_assert_nonnull (strstr (status_text (page), dir));
  g_assert_null (strstr (status_text (page), "Typed-Secret-9"));
  g_assert_true (gtk_widget_get_sensitive (page_child (page, "test_button")));

  location = get_location ();
  g_assert_cmpstr (location, ==, "");
  g_assert_false (g_file_test (pgpass, G_FILE_TEST_EXISTS));
  meso_test_stop_app (&app);
  g_unsetenv ("PGPASSFILE");
  meso_test_remove_tree (dir);
}

/* ---- A connection lost during a save ---- */

/* The engine answers as the PostgreSQL engine does while its server is down: the store's
 * own class methods, switched by a flag, so that the app's whole path is the real one. */
static gint server_down;
static gboolean (*real_save_session) (MesoStore *, MesoSession *, GError **);
static MesoClinic *(*real_get_clinic) (MesoStore *, gboolean *, GError **);

static void
set_unreachable (GError **error)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE,
               "The clinic server cannot be reached: server closed the connection "
               "unexpectedly");
}

static gboolean
down_save_session (MesoStore    *store,
                   MesoSession  *session,
                   GError      **error)
{
  if (g_atomic_int_get (&server_down))
    {
      set_unreachable (error);
      return FALSE;
    }
  return real_save_session (store, session, error);
}

static MesoClinic *
down_get_clinic (MesoStore  *store,
                 gboolean   *out_stored,
                 GError    **error)
{
  if (g_atomic_int_get (&server_down))
    {
      set_unreachable (error);
      return NULL;
    }
  return real_get_clinic (store, out_stored, error);
}

static void
patch_engine (MesoStore *store)
{
  MesoStoreClass *klass = MESO_STORE_GET_CLASS (store);

  if (real_save_session == NULL)
    {
      real_save_session = klass->save_session;
      real_get_clinic = klass->get_clinic;
    }
  klass->save_session = down_save_session;
  klass->get_clinic = down_get_clinic;
}

static void
unpatch_engine (MesoStore *store)
{
  MesoStoreClass *klass = MESO_STORE_GET_CLASS (store);

  klass->save_session = real_save_session;
  klass->get_clinic = real_get_clinic;
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
is_save_done (gpointer data)
{
  return g_action_group_get_action_enabled (data, "save");
}

static gboolean
banner_gone (gpointer data)
{
  return !meso_server_banner_get_unreachable (data) && !gtk_widget_get_visible (data);
}

static void
fill_form (GtkWidget *editor)
{
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "patient_entry")), "Server Down");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (meso_test_area_button (editor, "scalp")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "injections_spin")), "40");
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "duration_spin")), "30");
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

/* Refused, nothing written, the form as it was, the banner up; once the server is back,
 * the banner goes by itself and the same Save goes through. */
static void
test_lost_during_save (void)
{
  g_autoptr(MesoApplication) app = NULL;
  GtkWindow *window;
  MesoStore *store;
  GtkWidget *record, *editor, *patient, *banner, *slot;
  GActionGroup *actions;

  app = start_app ("io.github.mesocare.Mesocare.LostDuringSave", "");
  window = meso_test_wait_for_window_named ("MesoWindow");
  store = window_store (window);
  meso_test_wait_for (writes_open, store, "the start check to pass");
  slot = meso_test_child (GTK_WIDGET (window), MESO_TYPE_WINDOW, "server_banner_slot");
  banner = adw_bin_get_child (ADW_BIN (slot));
  g_assert_false (gtk_widget_get_visible (banner));

  record = meso_window_get_page (MESO_WINDOW (window), "record");
  actions = meso_record_page_get_actions (MESO_RECORD_PAGE (record));
  editor = meso_test_child (record, MESO_TYPE_RECORD_PAGE, "editor");
  patient = meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, "patient_entry");
  fill_form (editor);

  patch_engine (store);
  g_atomic_int_set (&server_down, 1);
  click_save (editor, actions);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (patient)), ==, "Server Down");
  g_assert_true (meso_session_editor_get_unsaved (MESO_SESSION_EDITOR (editor)));
  g_assert_true (meso_server_banner_get_unreachable (MESO_SERVER_BANNER (banner)));
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 0);

  /* Back: the banner goes by itself, and Save works. */
  g_atomic_int_set (&server_down, 0);
  meso_test_wait_for (banner_gone, banner, "the banner to go once the server answers");
  click_save (editor, actions);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (patient)), ==, "");
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);

  unpatch_engine (store);
  meso_test_stop_app (&app);
}

/* ---- Another location, with unsaved work ---- */

static gboolean
location_is_local (gpointer data)
{
  g_autofree char *location = get_location ();

  return g_str_equal (location, "");
}

/* The location changed in the preferences while the Record form holds unsaved work: the
 * question; Cancel keeps the work, and the setting and the page's form go back to the
 * database open (this computer's file), which stays open. */
static void
test_location_change_cancelled (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-noserver-XXXXXX");
  g_autoptr(MesoApplication) app = NULL;
  GtkWindow *window, *question;
  GtkWidget *record, *editor;
  MesoServerPage *page;

  app = start_app ("io.github.mesocare.Mesocare.LocationCancelled", "");
  meso_test_wait_for (main_window_shown, app, "the normal window");
  window = find_window_named (GTK_APPLICATION (app), "MesoWindow");
  record = meso_window_get_page (MESO_WINDOW (window), "record");
  editor = meso_test_child (record, MESO_TYPE_RECORD_PAGE, "editor");
  fill_form (editor);
  g_assert_true (meso_window_get_unsaved (MESO_WINDOW (window)));

  page = open_server_page (app);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (page, "server_check")), TRUE);
  set_text (page, "host_row", dir);
  set_text (page, "database_row", "postgres");
  set_text (page, "user_row", "meso");
  g_signal_emit_by_name (page_child (page, "apply_button"), "clicked");

  question = meso_test_wait_for_window_named ("AdwMessageDialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "cancel");
  gtk_window_destroy (question);
  meso_test_wait_for (location_is_local, NULL, "the setting to go back to this computer");

  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (page_child (page,
                                                                           "local_check"))));
  g_assert_true (g_str_has_prefix (status_text (page), "Not changed: "));
  g_assert_true (find_window_named (GTK_APPLICATION (app), "MesoWindow") == window);
  g_assert_false (has_window_named (GTK_APPLICATION (app), "MesoConnectWindow"));
  g_assert_false (meso_location_is_server (meso_store_get_path (window_store (window))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (meso_test_child (editor,
                                                                         MESO_TYPE_SESSION_EDITOR,
                                                                         "patient_entry"))),
                   ==, "Server Down");

  /* Asked again, Discard this time: the app follows the setting to the server. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (page, "server_check")), TRUE);
  g_signal_emit_by_name (page_child (page, "apply_button"), "clicked");
  question = meso_test_wait_for_window_named ("AdwMessageDialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "discard");
  gtk_window_destroy (question);
  meso_test_wait_for_window_named ("MesoConnectWindow");
  meso_test_wait_for (retry_offered, app, "the try of the server to end");

  meso_test_stop_app (&app);
  meso_test_remove_tree (dir);
}

/* ---- With a real server (MESOCARE_TEST_SERVER) ---- */

/* Test Connection on the server's address: the version and the database, the window
 * usable meanwhile. */
static void
test_server_connection_test (void)
{
  const char *server = g_getenv ("MESOCARE_TEST_SERVER");
  g_autoptr(MesoServerAddress) address = meso_server_address_parse (server, NULL);
  g_autoptr(MesoApplication) app = NULL;
  g_autofree char *port = NULL;
  MesoServerPage *page;

  g_assert_nonnull (address);
  app = start_app ("io.github.mesocare.Mesocare.ServerTest", "");
  meso_test_wait_for_window_named ("MesoWindow");
  page = open_server_page (app);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (page, "server_check")), TRUE);
  set_text (page, "host_row", address->host);
  port = address->port != 0 ? g_strdup_printf ("%u", address->port) : g_strdup ("");
  set_text (page, "port_row", port);
  set_text (page, "database_row", address->database);
  set_text (page, "user_row", address->user);
  g_signal_emit_by_name (page_child (page, "test_button"), "clicked");
  g_assert_true (meso_server_page_get_testing (page));
  meso_test_wait_for (test_done, page, "the connection test to end");
  g_test_message ("Test Connection said: %s", status_text (page));
  g_assert_true (g_str_has_prefix (status_text (page), "Connected: PostgreSQL "));
  g_assert_nonnull (strstr (status_text (page), address->database));
  meso_test_stop_app (&app);
}

/* The server's address in the settings at start: the normal window, on the server. */
static void
test_server_at_start (void)
{
  g_autoptr(MesoApplication) app = NULL;

  app = start_app ("io.github.mesocare.Mesocare.ServerAtStart",
                   g_getenv ("MESOCARE_TEST_SERVER"));
  meso_test_wait_for (main_window_shown, app, "the normal window on the server");
  meso_test_stop_app (&app);
}

/* A server of its own, which the test stops and starts: the shared one must stay up for
 * the other tests. A shell holds it, reading commands ("stop", "start") on its standard
 * input; when the test ends, the input closes and the shell stops it. Should the test
 * die instead (a crash, or killed by meson's timeout with its process group, the shell
 * too but not the server, which pg_ctl puts in a session of its own), the shell is told
 * by SIGTERM as its parent dies (PR_SET_PDEATHSIG), and stops it then. */
#define PG_BIN "/usr/lib/postgresql/15/bin"

static const char private_server_script[] =
  "set -e\n"
  "d=$1\n"
  "as_pg () { if [ \"$(id -u)\" = 0 ]; then runuser -u postgres -- \"$@\"; else \"$@\"; fi; }\n"
  "stop_now () { as_pg " PG_BIN "/pg_ctl -D \"$d/data\" -m immediate -w stop >/dev/null 2>&1"
  "  || true; }\n"
  "trap 'stop_now; exit 1' TERM HUP INT\n"
  "[ \"$(id -u)\" = 0 ] && chown postgres \"$d\"\n"
  "as_pg " PG_BIN "/initdb -D \"$d/data\" -A trust -U meso >/dev/null\n"
  "start () { as_pg " PG_BIN "/pg_ctl -D \"$d/data\" -o \"-k $d -h ''\" -l \"$d/log\" -w start"
  "  >/dev/null; echo started; }\n"
  "start\n"
  "while read -r command; do\n"
  "  case $command in\n"
  "    stop) as_pg " PG_BIN "/pg_ctl -D \"$d/data\" -m fast -w stop >/dev/null; echo stopped;;\n"
  "    start) start;;\n"
  "  esac\n"
  "done\n"
  "stop_now\n";

/* In the shell's process, before it runs: it is to die with this one. A parent gone
 * before the call is seen by the shell's parent having changed. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != GPOINTER_TO_INT (data))
    raise (SIGTERM);
}

static GSubprocess *
start_private_server (const char *dir)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *said = NULL;
  GSubprocess *server;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent,
                                         GINT_TO_POINTER (getpid ()), NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, "sh", "-c", private_server_script,
                                        "sh", dir, NULL);
  g_assert_no_error (error);
  said = meso_test_wait_for_output (g_subprocess_get_stdout_pipe (server), "started",
                                    "the private server to start");
  return server;
}

static void
tell_server (GSubprocess *server,
             const char  *command,
             const char  *answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autofree char *said = NULL;

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (server), line, strlen (line), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  said = meso_test_wait_for_output (g_subprocess_get_stdout_pipe (server), answer, command);
}

static gboolean
is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_server_exited_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static void
stop_private_server (GSubprocess *server)
{
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;

  g_output_stream_close (g_subprocess_get_stdin_pipe (server), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (server, NULL, on_server_exited_cb, &exited);
  meso_test_wait_for (is_set, &exited, "the private server to stop");
}

/* The server stopped under the open app: the save is refused, the form kept, the banner
 * up; the server started again: the banner goes as the store reconnects by itself, and
 * the same Save goes through, once. */
static void
test_server_lost_during_save (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pg-XXXXXX");
  g_autofree char *uri = unreachable_uri (dir);
  g_autoptr(GSubprocess) server = start_private_server (dir);
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(MesoStore) check = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  GtkWidget *record, *editor, *patient, *banner;
  GActionGroup *actions;

  app = start_app ("io.github.mesocare.Mesocare.ServerLost", uri);
  meso_test_wait_for (main_window_shown, app, "the normal window on the server");
  window = find_window_named (GTK_APPLICATION (app), "MesoWindow");
  banner = adw_bin_get_child (ADW_BIN (meso_test_child (GTK_WIDGET (window), MESO_TYPE_WINDOW,
                                                        "server_banner_slot")));
  record = meso_window_get_page (MESO_WINDOW (window), "record");
  actions = meso_record_page_get_actions (MESO_RECORD_PAGE (record));
  editor = meso_test_child (record, MESO_TYPE_RECORD_PAGE, "editor");
  patient = meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, "patient_entry");
  fill_form (editor);

  tell_server (server, "stop", "stopped");
  click_save (editor, actions);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (patient)), ==, "Server Down");
  g_assert_true (meso_server_banner_get_unreachable (MESO_SERVER_BANNER (banner)));

  tell_server (server, "start", "started");
  meso_test_wait_for (banner_gone, banner, "the banner to go once the server is back");
  click_save (editor, actions);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (patient)), ==, "");

  meso_test_stop_app (&app);
  check = meso_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (check, &error), ==, 1);
  g_assert_no_error (error);
  meso_test_drop_store (&check);
  stop_private_server (server);
  meso_test_remove_tree (dir);
}

typedef struct
{
  MesoSessionList *list;
  gint64           count;
} CountWait;

static gboolean
list_counted (gpointer data)
{
  CountWait *wait = data;

  return !meso_session_list_get_loading (wait->list)
         && meso_session_list_get_count (wait->list) == wait->count;
}

static gboolean
first_row_read (gpointer data)
{
  g_autoptr(MesoSessionItem) item = g_list_model_get_item (data, 0);

  return item != NULL && meso_session_item_get_session (item) != NULL;
}

static gboolean
banner_up (gpointer data)
{
  return meso_server_banner_get_unreachable (data) && gtk_widget_get_visible (data);
}

/* History asked for sessions while the server is down: the banner says so (a read, not
 * a save, found it out), the page keeps what it showed; the server back, the banner goes
 * and the page reads again by itself: the session shows. */
static void
test_server_lost_during_read (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-pg-XXXXXX");
  g_autofree char *uri = unreachable_uri (dir);
  g_autoptr(GSubprocess) server = start_private_server (dir);
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(MesoStore) writer = NULL;
  g_autoptr(MesoSession) session = meso_test_session_new ("Outage Patient", MESO_AREA_SCALP,
                                                          20, 15);
  g_autoptr(MesoSessionItem) item = NULL;
  g_autoptr(GError) error = NULL;
  CountWait wait;
  GtkWindow *window;
  GtkWidget *history, *search, *banner;

  writer = meso_store_open (uri, &error);
  g_assert_no_error (error);
  meso_test_save_session (writer, session);
  meso_test_drop_store (&writer);

  app = start_app ("io.github.mesocare.Mesocare.ServerLostRead", uri);
  meso_test_wait_for (main_window_shown, app, "the normal window on the server");
  window = find_window_named (GTK_APPLICATION (app), "MesoWindow");
  banner = adw_bin_get_child (ADW_BIN (meso_test_child (GTK_WIDGET (window), MESO_TYPE_WINDOW,
                                                        "server_banner_slot")));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("history"));
  history = meso_window_get_page (MESO_WINDOW (window), "history");
  wait.list = meso_history_page_get_list (MESO_HISTORY_PAGE (history));
  search = meso_test_child (history, MESO_TYPE_HISTORY_PAGE, "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (search), "Nobody Here");
  wait.count = 0;
  meso_test_wait_for (list_counted, &wait, "History to find no one");
  g_assert_false (gtk_widget_get_visible (banner));

  tell_server (server, "stop", "stopped");
  gtk_editable_set_text (GTK_EDITABLE (search), "Outage");
  meso_test_wait_for (banner_up, banner, "the banner, History's read having failed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (wait.list)), ==, 0);

  tell_server (server, "start", "started");
  meso_test_wait_for (banner_gone, banner, "the banner to go once the server is back");
  wait.count = 1;
  meso_test_wait_for (list_counted, &wait, "History to read the session once the server is back");
  meso_test_wait_for (first_row_read, wait.list, "History's row to be read");
  item = g_list_model_get_item (G_LIST_MODEL (wait.list), 0);
  g_assert_cmpstr (meso_session_get_patient_name (meso_session_item_get_session (item)), ==,
                   "Outage Patient");

  meso_test_stop_app (&app);
  stop_private_server (server);
  meso_test_remove_tree (dir);
}

/* ---- Backups of a server ---- */

/* A new database on the test server, its records copied from a file of this computer
 * (as `mesocare-cli migrate` does): its audit log sealed, so that a copy back to a file
 * is possible today (sessions saved on the server itself are not sealed yet, and their
 * copy is refused). */
static char *
make_migrated_server_db (const char *work)
{
  g_autofree char *dbname = g_strdup_printf ("meso_t_%08x%08x", g_random_int (),
                                             g_random_int ());
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", dbname);
  g_autofree char *file = g_build_filename (work, "clinic.db", NULL);
  g_autoptr(MesoSession) session = meso_test_session_new ("Copied Patient", MESO_AREA_FACE,
                                                          10, 10);
  g_autoptr(MesoStore) from = meso_test_open_store (file);
  g_autoptr(MesoStore) to = NULL;
  g_autoptr(GError) error = NULL;
  char *uri;

  meso_test_save_session (from, session);
  meso_test_pg_run (meso_test_server_uri (), create);
  uri = meso_test_server_db_uri (meso_test_server_uri (), dbname, NULL);
  to = meso_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (meso_dump_copy (from, to, &error));
  g_assert_no_error (error);
  meso_test_drop_store (&to);
  meso_test_drop_store (&from);
  return uri;
}

static char *
usual_backups_dir (void)
{
  g_autofree char *file = meso_store_get_default_path ();

  return meso_backup_get_default_dir (file);
}

/* g_ptr_array_sort() hands the comparison pointers to the elements. */
static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The backups in the folder of the server's database @dbname inside the usual one (none
 * until it is made). Other tests' servers have folders of their own there. */
static GPtrArray *
list_server_backups (const char  *dbname,
                     char       **out_dir)
{
  g_autofree char *usual = usual_backups_dir ();
  g_autofree char *prefix = g_strconcat ("server-", dbname, "@", NULL);
  g_autoptr(GDir) listing = g_dir_open (usual, 0, NULL);
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_assert_null (dir);
        dir = g_build_filename (usual, name, NULL);
      }
  g_clear_pointer (&listing, g_dir_close);
  if (dir != NULL)
    listing = g_dir_open (dir, 0, NULL);
  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "mesocare-") && g_str_has_suffix (name, ".db"))
      g_ptr_array_add (backups, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (backups, compare_paths);
  if (out_dir != NULL)
    *out_dir = g_steal_pointer (&dir);
  return g_steal_pointer (&backups);
}

typedef struct
{
  const char *dbname;
  guint       n;
} BackupWait;

static gboolean
has_server_backups (gpointer data)
{
  BackupWait *wait = data;
  g_autoptr(GPtrArray) backups = list_server_backups (wait->dbname, NULL);

  return backups->len >= wait->n;
}

/* A backup of the server as any other: 0600, proven whole by the same check as a file's,
 * the session copied in it. */
static void
assert_server_backup (const char *path,
                      gint64      sessions)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) copy = NULL;

  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_true (meso_backup_verify_file (path, FALSE, &error));
  g_assert_no_error (error);
  copy = meso_store_open_read_only (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (meso_store_count_sessions (copy, &error), ==, sessions);
  g_assert_true (meso_store_check (copy, &error));
  g_assert_no_error (error);
  meso_test_drop_store (&copy);
}

typedef struct
{
  MesoStore *store;
  guint      n;
} LogWait;

/* Each backup is on the record, on the server. */
static gboolean
backups_logged (gpointer data)
{
  LogWait *wait = data;
  g_autoptr(GPtrArray) entries = meso_store_list_audit (wait->store, 0, NULL);
  guint n = 0;

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    if (g_str_equal (((MesoAuditEntry *) g_ptr_array_index (entries, i))->action, "backup"))
      n++;
  return n >= wait->n;
}

static gboolean
second_changed (gpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_path_get_basename (data);

  /* A backup's name is its second: Back Up Now in the same one would replace it. */
  return strstr (name, stamp) == NULL;
}

/* On a server, the daily backup at start and Back Up Now write a SQLite file of its
 * records into a folder of the server's own inside the usual backups folder; the
 * file's own backups folder holds none of them. */
static void
test_server_backups (void)
{
  g_autofree char *work = meso_test_make_tmp_dir ("mesocare-server-backup-XXXXXX");
  g_autofree char *uri = make_migrated_server_db (work);
  g_autofree char *usual = usual_backups_dir ();
  g_autofree char *dir = NULL;
  g_autoptr(MesoApplication) app = NULL;
  g_autofree char *dbname = meso_test_location_db_name (uri);
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(MesoSession) saved = meso_test_session_new ("Chair Patient", MESO_AREA_SCALP,
                                                        20, 15);
  g_autoptr(MesoStore) chair = NULL;
  g_autoptr(GError) error = NULL;
  BackupWait backup_wait;
  LogWait log;

  meso_test_remove_tree (usual);
  app = start_app ("io.github.mesocare.Mesocare.ServerBackups", uri);
  meso_test_wait_for (main_window_shown, app, "the normal window on the server");
  backup_wait.dbname = dbname;
  backup_wait.n = 1;
  meso_test_wait_for (has_server_backups, &backup_wait, "the daily backup");
  log.store = window_store (find_window_named (GTK_APPLICATION (app), "MesoWindow"));
  log.n = 1;
  meso_test_wait_for (backups_logged, &log, "the daily backup's audit entry");
  backups = list_server_backups (dbname, &dir);
  g_assert_cmpuint (backups->len, ==, 1);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  assert_server_backup (backups->pdata[0], 1);

  /* A session saved at a chair, on the server itself (no seal of a file's key): the next
   * backup holds it too, under a seal of its own starting at the copy. */
  chair = meso_store_open (uri, &error);
  g_assert_no_error (error);
  meso_test_save_session (chair, saved);
  meso_test_drop_store (&chair);

  meso_test_wait_for (second_changed, backups->pdata[0], "the next second");
  g_action_group_activate_action (G_ACTION_GROUP (app), "backup", NULL);
  backup_wait.n = 2;
  meso_test_wait_for (has_server_backups, &backup_wait, "the backup made on demand");
  g_clear_pointer (&backups, g_ptr_array_unref);
  backups = list_server_backups (dbname, NULL);
  assert_server_backup (backups->pdata[1], 2);
  log.n = 2;
  meso_test_wait_for (backups_logged, &log, "the second backup's audit entry");

  meso_test_stop_app (&app);
  meso_test_db_location_free (g_steal_pointer (&uri));
  meso_test_remove_tree (usual);
  meso_test_remove_tree (work);
}

/* A file where the backups folder should be: the server's daily backup fails as a
 * file's does, the dialog saying why and where; Try Again makes it. */
static void
test_server_backup_failed (void)
{
  g_autofree char *work = meso_test_make_tmp_dir ("mesocare-server-backup-XXXXXX");
  g_autofree char *uri = make_migrated_server_db (work);
  g_autofree char *usual = usual_backups_dir ();
  g_autoptr(MesoApplication) app = NULL;
  g_autofree char *dbname = meso_test_location_db_name (uri);
  AdwMessageDialog *dialog;
  BackupWait backup_wait;
  LogWait log;

  meso_test_remove_tree (usual);
  g_assert_true (g_file_set_contents (usual, "not a folder", -1, NULL));
  app = start_app ("io.github.mesocare.Mesocare.ServerBackupFailed", uri);
  dialog = ADW_MESSAGE_DIALOG (meso_test_wait_for_window_named ("AdwMessageDialog"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "The Daily Backup Failed");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), usual));

  g_assert_cmpint (g_unlink (usual), ==, 0);
  adw_message_dialog_response (dialog, "retry");
  gtk_window_destroy (GTK_WINDOW (dialog));
  backup_wait.dbname = dbname;
  backup_wait.n = 1;
  meso_test_wait_for (has_server_backups, &backup_wait, "the backup tried again");
  log.store = window_store (find_window_named (GTK_APPLICATION (app), "MesoWindow"));
  log.n = 1;
  meso_test_wait_for (backups_logged, &log, "the backup's audit entry");

  meso_test_stop_app (&app);
  meso_test_db_location_free (g_steal_pointer (&uri));
  meso_test_remove_tree (usual);
  meso_test_remove_tree (work);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-app-server-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);

  g_test_add_func ("/app-server/outage-at-start", test_outage_at_start);
  g_test_add_func ("/app-server/preferences-write", test_preferences_write);
  g_test_add_func ("/app-server/test-connection-unreachable", test_connection_unreachable);
  g_test_add_func ("/app-server/lost-during-save", test_lost_during_save);
  g_test_add_func ("/app-server/location-change-cancelled", test_location_change_cancelled);
  /* Only where a server runs (a skip would count as passed); they need the PostgreSQL
   * engine of the store. */
  if (g_getenv ("MESOCARE_TEST_SERVER") != NULL)
    {
      g_test_add_func ("/app-server/server/connection-test", test_server_connection_test);
      g_test_add_func ("/app-server/server/at-start", test_server_at_start);
      g_test_add_func ("/app-server/server/backups", test_server_backups);
      g_test_add_func ("/app-server/server/backup-failed", test_server_backup_failed);
      /* It starts a server of its own, with the programs the shared one runs with. */
      if (g_file_test (PG_BIN "/pg_ctl", G_FILE_TEST_IS_EXECUTABLE))
        {
          g_test_add_func ("/app-server/server/lost-during-save", test_server_lost_during_save);
          g_test_add_func ("/app-server/server/lost-during-read", test_server_lost_during_read);
        }
    }
  return g_test_run ();
}
