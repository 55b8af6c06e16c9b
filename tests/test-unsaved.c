/* test-unsaved.c: the Record form's unsaved work, under Xvfb: asked about before it is
 * lost (closing the window, quitting, a new session), and kept as a draft that a crash
 * cannot take (a child process typing is killed, the next start offers its work back)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "meso-application.h"
#include "meso-draft.h"
#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-window.h"

typedef struct
{
  char         *dir;
  char         *db;
  char         *draft;  /* where the Record page keeps its draft */
  MesoStore    *store;
  MesoWindow   *window;
  GtkWidget    *editor;
  GActionGroup *actions;
} Fixture;

static GtkWidget *
editor_child_of (GtkWidget  *editor,
                 const char *name)
{
  return meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, name);
}

static const char *
entry_text (GtkWidget  *editor,
            const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (editor_child_of (editor, name)));
}

static GtkWidget *
flag_button (GtkWidget  *editor,
             const char *box_name,
             const char *id)
{
  GtkWidget *box = editor_child_of (editor, box_name);

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (g_str_equal (gtk_widget_get_name (button), id))
        return button;
    }
  g_error ("no button %s in %s", id, box_name);
  return NULL;
}

/* Half a session, as typed at the chair: not yet valid (no duration). */
static void
type_some (GtkWidget *editor)
{
  GtkTextBuffer *instructions = gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (editor_child_of (editor, "instructions_view")));

  gtk_editable_set_text (GTK_EDITABLE (editor_child_of (editor, "patient_entry")), "Zoë Núñez");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (flag_button (editor, "areas_box", "scalp")),
                               TRUE);
  gtk_editable_set_text (GTK_EDITABLE (editor_child_of (editor, "injections_spin")), "110");
  gtk_text_buffer_set_text (instructions, "No hair wash tonight.\nCall if it swells.", -1);
}

static void
assert_typed (GtkWidget *editor)
{
  GtkTextBuffer *instructions = gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (editor_child_of (editor, "instructions_view")));
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_assert_cmpstr (entry_text (editor, "patient_entry"), ==, "Zoë Núñez");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (flag_button (editor, "areas_box",
                                                                             "scalp"))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (flag_button (editor,
                                                                              "areas_box",
                                                                              "face"))));
  g_assert_cmpstr (entry_text (editor, "injections_spin"), ==, "110");
  gtk_text_buffer_get_bounds (instructions, &start, &end);
  text = gtk_text_buffer_get_text (instructions, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "No hair wash tonight.\nCall if it swells.");
}

static void
open_window (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *record;

  fixture->store = meso_store_open (fixture->db, &error);
  g_assert_no_error (error);
  fixture->window = meso_window_new (NULL, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  record = meso_window_get_page (fixture->window, "record");
  fixture->actions = meso_record_page_get_actions (MESO_RECORD_PAGE (record));
  fixture->editor = GTK_WIDGET (gtk_widget_get_template_child (record, MESO_TYPE_RECORD_PAGE,
                                                               "editor"));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mesocare-unsaved-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "data", "mesocare.db", NULL);
  fixture->draft = meso_draft_get_default_path (fixture->db);
  if (data == NULL)
    open_window (fixture);
}

static void
close_window (Fixture *fixture)
{
  if (fixture->window == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  meso_test_drop_store (&fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_window (fixture);
  meso_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->draft);
}

/* The question shown now, if any. */
static AdwMessageDialog *
shown_question (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_question (gpointer data)
{
  return shown_question () != NULL;
}

static gboolean
no_question (gpointer data)
{
  return shown_question () == NULL;
}

/* The dialog asked synchronously: it is up as the action returns. */
static AdwMessageDialog *
assert_discard_question (GtkWindow *parent)
{
  AdwMessageDialog *dialog = shown_question ();

  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Discard the unsaved session of Zoë Núñez?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == parent);
  return dialog;
}

/* As its button does: answer, then close. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), label) == 0)
        return c;
      if ((found = find_button (c, label)) != NULL)
        return found;
    }
  return NULL;
}

/* As a click does: the dialog answers, then closes itself. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *button = find_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
file_gone (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
form_is_new (gpointer editor)
{
  return g_str_equal (entry_text (editor, "patient_entry"), "");
}

/* New Session (Ctrl+N, the menu): at once on a form just started; on one with work in
 * it, only after Discard. */
static void
test_new_session_asks (Fixture       *fixture,
                       gconstpointer  data)
{
  AdwMessageDialog *dialog;

  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  g_assert_null (shown_question ());

  type_some (fixture->editor);
  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  dialog = assert_discard_question (GTK_WINDOW (fixture->window));
  answer (dialog, "cancel");
  assert_typed (fixture->editor);
  g_assert_null (shown_question ());

  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  answer (assert_discard_question (GTK_WINDOW (fixture->window)), "discard");
  meso_test_wait_for (form_is_new, fixture->editor, "the new session's form");
  g_assert_cmpstr (entry_text (fixture->editor, "patient_entry"), ==, "");
  g_assert_cmpstr (entry_text (fixture->editor, "injections_spin"), ==, "0");
  g_assert_false (meso_window_get_unsaved (fixture->window));

  /* Typing back what a new form holds is no work to lose. */
  gtk_editable_set_text (GTK_EDITABLE (editor_child_of (fixture->editor, "patient_entry")), "Z");
  g_assert_true (meso_window_get_unsaved (fixture->window));
  gtk_editable_set_text (GTK_EDITABLE (editor_child_of (fixture->editor, "patient_entry")), "");
  g_assert_false (meso_window_get_unsaved (fixture->window));
  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  g_assert_null (shown_question ());
}

static gboolean
window_gone (gpointer data)
{
  GtkWindow **window = data;

  return *window == NULL;
}

/* The window's close button: closes at once on a form just started; asks on one with
 * work in it, Cancel keeping the window and the form, Discard closing it. */
static void
test_close_asks (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);
  AdwMessageDialog *dialog;

  type_some (fixture->editor);
  gtk_window_close (window);
  dialog = assert_discard_question (window);
  click_response (dialog, "_Cancel");
  meso_test_wait_for (no_question, NULL, "the question to close");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  assert_typed (fixture->editor);

  /* The draft written meanwhile goes with the work discarded. */
  meso_test_wait_for (file_exists, fixture->draft, "the draft to be written");
  gtk_window_close (window);
  dialog = assert_discard_question (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_clear_object (&fixture->window);  /* the fixture's reference: the window may go now */
  click_response (dialog, "_Discard");
  meso_test_wait_for (window_gone, &window, "the window to be closed");
  g_assert_false (g_file_test (fixture->draft, G_FILE_TEST_EXISTS));
  meso_test_drop_store (&fixture->store);
}

static void
test_close_clean (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *window = GTK_WINDOW (fixture->window);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_clear_object (&fixture->window);
  gtk_window_close (window);
  g_assert_null (shown_question ());
  meso_test_wait_for (window_gone, &window, "the window to be closed");
  meso_test_drop_store (&fixture->store);
}

/* ---- Quitting: the real application, run ---- */

typedef struct
{
  MesoApplication *app;
  gboolean         type;      /* whether the form is typed in before quitting */
  gboolean         second_step;
  gboolean         timed_out;
  guint            deadline;
} QuitRun;

static gboolean
on_quit_deadline_cb (gpointer data)
{
  QuitRun *run = data;

  run->deadline = 0;
  run->timed_out = TRUE;
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

static GtkWidget *
app_editor (MesoWindow *window)
{
  GtkWidget *record = meso_window_get_page (window, "record");

  return GTK_WIDGET (gtk_widget_get_template_child (record, MESO_TYPE_RECORD_PAGE, "editor"));
}

/* Ctrl+Q again, now Discard: the application quits (g_application_run() returns). */
static gboolean
quit_discarding_cb (gpointer data)
{
  QuitRun *run = data;
  MesoWindow *window = MESO_WINDOW (meso_test_wait_for_window_named ("MesoWindow"));

  run->second_step = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  answer (assert_discard_question (GTK_WINDOW (window)), "discard");
  run->deadline = g_timeout_add_seconds (MESO_TEST_WAIT_LIMIT_S, on_quit_deadline_cb, run);
  return G_SOURCE_REMOVE;
}

/* Ctrl+Q on a form with work in it: asks; Cancel keeps the application and the form.
 * The next step comes from the main loop: had Cancel quit, the run would end first. */
static gboolean
quit_cancelling_cb (gpointer data)
{
  QuitRun *run = data;
  MesoWindow *window = MESO_WINDOW (meso_test_wait_for_window_named ("MesoWindow"));
  GtkWidget *editor = app_editor (window);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  if (!run->type)
    {
      g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
      g_assert_null (shown_question ());
      run->second_step = TRUE;
      run->deadline = g_timeout_add_seconds (MESO_TEST_WAIT_LIMIT_S, on_quit_deadline_cb, run);
      return G_SOURCE_REMOVE;
    }
  type_some (editor);
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  answer (assert_discard_question (GTK_WINDOW (window)), "cancel");
  assert_typed (editor);
  g_idle_add (quit_discarding_cb, run);
  return G_SOURCE_REMOVE;
}

static void
on_activate_cb (GApplication *app,
                QuitRun      *run)
{
  g_idle_add (quit_cancelling_cb, run);
}

static void
run_quit (gboolean    type,
          const char *id)
{
  QuitRun run = { meso_application_new (), type, FALSE, FALSE, 0 };

  g_application_set_application_id (G_APPLICATION (run.app), id);
  g_application_set_flags (G_APPLICATION (run.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run.app, "activate", G_CALLBACK (on_activate_cb), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (run.app), 0, NULL), ==, 0);
  g_assert_true (run.second_step);
  g_assert_false (run.timed_out);
  g_clear_handle_id (&run.deadline, g_source_remove);
  for (GList *l; (l = gtk_application_get_windows (GTK_APPLICATION (run.app))) != NULL;)
    gtk_window_destroy (l->data);
  g_clear_object (&run.app);
}

static void
test_quit_asks (void)
{
  g_autofree char *db = meso_store_get_default_path ();
  g_autofree char *draft = meso_draft_get_default_path (db);

  run_quit (TRUE, "io.github.mesocare.Mesocare.QuitAsks");
  g_assert_false (g_file_test (draft, G_FILE_TEST_EXISTS));
}

static void
test_quit_clean (void)
{
  run_quit (FALSE, "io.github.mesocare.Mesocare.QuitClean");
}

/* ---- A crash while typing ---- */

/* The parent gone (a failed test), its child goes too. */
static gboolean
on_parent_gone_cb (int          fd,
                   GIOCondition condition,
                   gpointer     user_data)
{
  exit (2);
}

/* The child: a window on @db, half a session typed, then nothing until it is killed. */
static int
type_and_wait (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = NULL;
  MesoWindow *window;
  GtkWidget *record;

  gtk_init ();
  adw_init ();
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_parent_gone_cb, NULL);
  store = meso_store_open (db, &error);
  g_assert_no_error (error);
  window = meso_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  record = meso_window_get_page (window, "record");
  type_some (GTK_WIDGET (gtk_widget_get_template_child (record, MESO_TYPE_RECORD_PAGE,
                                                        "editor")));
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 1;
}

/* The draft holds the whole form as typed: the child typed it in one go. */
static gboolean
draft_written (gpointer path)
{
  g_autoptr(MesoDraft) draft = meso_draft_load (path, NULL);

  return draft != NULL
         && g_strcmp0 (meso_draft_get_text (draft, MESO_FIELD_PATIENT), "Zoë Núñez") == 0;
}

static void
crash_while_typing (Fixture *fixture)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  GStatBuf st;

  g_assert_nonnull (self);
  /* Its standard input is a pipe that closes when this process ends, however it ends. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                            &error,
                            self, "--type-draft", fixture->db, NULL);
  g_assert_no_error (error);
  meso_test_wait_for (draft_written, fixture->draft, "the child's draft to be written");
  g_subprocess_send_signal (child, SIGKILL);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  g_assert_cmpint (g_stat (fixture->draft, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}


static AdwMessageDialog *
wait_for_offer (Fixture *fixture)
{
  AdwMessageDialog *dialog;

  open_window (fixture);
  meso_test_wait_for (has_question, NULL, "the draft to be offered back");
  dialog = shown_question ();
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (dialog),
                                   "Restore the session you were typing at "));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Zoë Núñez"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "restore");
  return dialog;
}

static gboolean
form_is_saved (gpointer data)
{
  Fixture *fixture = data;

  return meso_store_count_sessions (fixture->store, NULL) == 1
         && g_str_equal (entry_text (fixture->editor, "patient_entry"), "");
}

/* Killed while typing: the next start offers the work back, restored exactly; once it
 * is saved, the draft goes. */
static void
test_draft_restored_after_kill (Fixture       *fixture,
                                gconstpointer  data)
{
  crash_while_typing (fixture);
  answer (wait_for_offer (fixture), "restore");
  assert_typed (fixture->editor);
  g_assert_true (meso_window_get_unsaved (fixture->window));

  gtk_editable_set_text (GTK_EDITABLE (editor_child_of (fixture->editor, "duration_spin")), "20");
  g_action_group_activate_action (fixture->actions, "save", NULL);
  meso_test_wait_for (form_is_saved, fixture, "the restored session to be saved");
  meso_test_wait_for (file_gone, fixture->draft, "the draft to go once saved");
}

/* Or Discard: the draft goes, the form stays empty, and the next start offers nothing. */
static void
test_draft_discarded_after_kill (Fixture       *fixture,
                                 gconstpointer  data)
{
  crash_while_typing (fixture);
  answer (wait_for_offer (fixture), "discard");
  g_assert_cmpstr (entry_text (fixture->editor, "patient_entry"), ==, "");
  g_assert_false (g_file_test (fixture->draft, G_FILE_TEST_EXISTS));
  close_window (fixture);

  open_window (fixture);
  g_assert_null (shown_question ());
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;
  int status;

  if (argc == 3 && g_str_equal (argv[1], "--type-draft"))
    return type_and_wait (argv[2]);

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-unsaved-home-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/unsaved/new-session-asks", test_new_session_asks, NULL);
  ADD ("/unsaved/close-asks", test_close_asks, NULL);
  ADD ("/unsaved/close-clean", test_close_clean, NULL);
  g_test_add_func ("/unsaved/quit-asks", test_quit_asks);
  g_test_add_func ("/unsaved/quit-clean", test_quit_clean);
  /* Their windows are opened after the child is killed. */
  ADD ("/unsaved/draft-restored-after-kill", test_draft_restored_after_kill, "later");
  ADD ("/unsaved/draft-discarded-after-kill", test_draft_discarded_after_kill, "later");

#undef ADD
  status = g_test_run ();
  meso_test_remove_tree (xdg);
  return status;
}
