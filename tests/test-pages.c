/* test-pages.c: the window's pages beside Record, driven through their widgets under
 * Xvfb, with the command-line tool writing to the same database meanwhile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "meso-field.h"
#include "meso-history-page.h"
#include "meso-patient-page.h"
#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-session-item.h"
#include "meso-session-page.h"
#include "meso-sheet-view.h"
#include "meso-store.h"
#include "meso-clinic-banner.h"
#include "meso-settings.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-today-page.h"
#include "meso-window.h"

typedef struct
{
  char       *dir;
  char       *db;
  MesoStore  *store;
  MesoWindow *window;
  GtkWidget  *today;
} Fixture;

static gboolean
is_today_loaded (gpointer data)
{
  return !meso_today_page_get_loading (MESO_TODAY_PAGE (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("mesocare-pages-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->store = meso_store_open (fixture->db, &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (meso_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  fixture->today = meso_window_get_page (fixture->window, "today");
  meso_test_wait_for (is_today_loaded, fixture->today, "Today's first read");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  meso_test_drop_store (&fixture->store);
  meso_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* mesocare-cli on the window's database, as another program would run it; its
 * standard output. */
static char *
run_cli (Fixture            *fixture,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = meso_test_spawn_cli (launcher, fixture->db, args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("mesocare-cli %s failed: %s", args[0], err);
  return g_steal_pointer (&out);
}

static gint64
record_with_cli (Fixture            *fixture,
                 const char * const *args)
{
  g_autofree char *out = run_cli (fixture, args);

  return g_ascii_strtoll (out, NULL, 10);
}

/* --- Today's rows ------------------------------------------------------------------- */

typedef struct
{
  GtkWidget  *list_box;
  const char *patient;
  const char *subtitle_part;  /* NULL for any */
  guint       n_rows;         /* 0 for any number */
  GtkWidget  *found;
} RowWait;

static guint
count_rows (GtkWidget *list_box)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list_box); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static gboolean
has_row (gpointer data)
{
  RowWait *wait = data;

  wait->found = NULL;
  if (wait->n_rows != 0 && count_rows (wait->list_box) != wait->n_rows)
    return FALSE;
  for (GtkWidget *c = gtk_widget_get_first_child (wait->list_box); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c));
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (c));

      if (g_strcmp0 (title, wait->patient) == 0
          && (wait->subtitle_part == NULL || strstr (subtitle, wait->subtitle_part) != NULL))
        {
          wait->found = c;
          return TRUE;
        }
    }
  return FALSE;
}

static GtkWidget *
wait_for_row (Fixture    *fixture,
              const char *patient,
              const char *subtitle_part,
              guint       n_rows)
{
  RowWait wait = { meso_test_child (fixture->today, MESO_TYPE_TODAY_PAGE, "list_box"), patient,
                   subtitle_part, n_rows, NULL };
  g_autofree char *what = g_strdup_printf ("a row for %s (%s) on Today", patient,
                                           subtitle_part != NULL ? subtitle_part : "any");

  meso_test_wait_for (has_row, &wait, what);
  return wait.found;
}

static void
search (Fixture    *fixture,
        const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (fixture->today, MESO_TYPE_TODAY_PAGE,
                                                        "search_entry")), text);
}

/* Sessions recorded by the command-line tool while the window is open appear on Today,
 * newest first, and so does one saved from the Record page; a sheet printed at another
 * workstation is marked printed. The search finds a patient by a few letters of the
 * name, accents and case aside, or by the date of birth. */
static void
test_today_follows_the_store (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *zoe[] = { "record", "--patient", "Zoë Núñez", "--area", "face,scalp",
                        "--injections", "40", "--duration", "20", "--practitioner", "Dr Roux",
                        NULL };
  const char *marie[] = { "record", "--patient", "Marie Curie", "--area", "neck",
                          "--injections", "10", "--duration", "15", "--dob", "1980-05-17",
                          NULL };
  g_autoptr(MesoStore) other = NULL;
  GtkWidget *list_box = meso_test_child (fixture->today, MESO_TYPE_TODAY_PAGE, "list_box");
  GtkWidget *row;
  gint64 zoe_id;

  zoe_id = record_with_cli (fixture, zoe);
  g_assert_cmpint (zoe_id, >, 0);
  row = wait_for_row (fixture, "Zoë Núñez", "Sheet not printed", 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Dr Roux"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Face"));

  record_with_cli (fixture, marie);
  wait_for_row (fixture, "Marie Curie", NULL, 2);
  /* Newest first. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     gtk_widget_get_first_child (list_box))), ==, "Marie Curie");

  /* Another workstation prints Zoë's sheet. */
  other = meso_test_open_store (fixture->db);
  g_assert_true (meso_store_log_event (other, "print", zoe_id, "printer=Desk 2\n", NULL));
  wait_for_row (fixture, "Zoë Núñez", "Sheet printed", 2);

  search (fixture, "NUNEZ");
  wait_for_row (fixture, "Zoë Núñez", NULL, 1);
  search (fixture, "1980-05-17");
  wait_for_row (fixture, "Marie Curie", NULL, 1);
  search (fixture, "");
  wait_for_row (fixture, "Zoë Núñez", NULL, 2);
}

/* Fills in the Record page's form for @patient (the face, 80 injections, 30 minutes)
 * and saves it, as Ctrl+S does. */
static void
save_on_record_page (Fixture    *fixture,
                     const char *patient)
{
  GtkWidget *record = meso_window_get_page (fixture->window, "record");
  GtkWidget *editor = meso_test_child (record, MESO_TYPE_RECORD_PAGE, "editor");
  GtkWidget *areas = meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, "areas_box");
  GtkWidget *face = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (gtk_widget_get_first_child (areas)));

  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "patient_entry")),
                         patient);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (face), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "injections_spin")),
                         "80");
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (editor, MESO_TYPE_SESSION_EDITOR,
                                                        "duration_spin")),
                         "30");
  g_action_group_activate_action (meso_record_page_get_actions (MESO_RECORD_PAGE (record)),
                                  "save", NULL);
}

/* A session saved at the chair is on Today without waiting for the watch. */
static void
test_today_follows_the_record_page (Fixture       *fixture,
                                    gconstpointer  data)
{
  save_on_record_page (fixture, "Ann Smith");
  wait_for_row (fixture, "Ann Smith", "Sheet not printed", 1);
}

/* Alt+2's action and Ctrl+F's: Today comes to the front, the search field takes the
 * focus. */
static gboolean
is_search_focused (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *entry = meso_test_child (fixture->today, MESO_TYPE_TODAY_PAGE, "search_entry");
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

static void
test_today_search_shortcut (Fixture       *fixture,
                            gconstpointer  data)
{
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_parent (fixture->today));

  while (stack != NULL && !ADW_IS_VIEW_STACK (stack))
    stack = (AdwViewStack *) gtk_widget_get_parent (GTK_WIDGET (stack));
  g_assert_nonnull (stack);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "record");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "today.search", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "today");
  meso_test_wait_for (is_search_focused, fixture, "the focus in Today's search field");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "history"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "history");
}

/* Ctrl+S and Ctrl+P save and print the form only while the Record page is in front;
 * New Session works from any page and brings it to the front. */
static void
test_record_keys_follow_the_page (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *record = meso_window_get_page (fixture->window, "record");
  GActionGroup *actions = meso_record_page_get_actions (MESO_RECORD_PAGE (record));
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (record, ADW_TYPE_VIEW_STACK));

  g_assert_true (g_action_group_get_action_enabled (actions, "save"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "today"));
  g_assert_false (g_action_group_get_action_enabled (actions, "save"));
  g_assert_false (g_action_group_get_action_enabled (actions, "print"));
  g_assert_true (g_action_group_get_action_enabled (actions, "new-session"));
  g_action_group_activate_action (actions, "new-session", NULL);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "record");
  g_assert_true (g_action_group_get_action_enabled (actions, "save"));
}

/* --- A session's page ----------------------------------------------------------------- */

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (c), name) == 0)
        return c;
      if ((found = find_named (c, name)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  Fixture *fixture;
  gint64   id;
  gboolean amended;
  gboolean voided;
} SessionWait;

/* The session page shows session @id, read whole, its sheet drawn (unless voided). */
static gboolean
is_session_shown (gpointer data)
{
  SessionWait *wait = data;
  GtkWidget *page = meso_window_get_page (wait->fixture->window, "session");
  MesoSession *session;

  if (page == NULL || meso_session_page_get_loading (MESO_SESSION_PAGE (page)))
    return FALSE;
  session = meso_session_page_get_session (MESO_SESSION_PAGE (page));
  return session != NULL && meso_session_get_id (session) == wait->id
         && meso_session_get_amended (session) == wait->amended
         && meso_session_get_voided (session) == wait->voided
         && meso_sheet_view_has_document (
                MESO_SHEET_VIEW (meso_test_child (page, MESO_TYPE_SESSION_PAGE, "sheet_view")));
}

/* Voided, and its sheet drawn again: no render is left running when the test ends
 * (poppler's threads must not outlive the process's exit). */
static gboolean
is_session_voided (gpointer data)
{
  SessionWait *wait = data;
  GtkWidget *page = meso_window_get_page (wait->fixture->window, "session");
  MesoSession *session = meso_session_page_get_session (MESO_SESSION_PAGE (page));

  return !meso_session_page_get_loading (MESO_SESSION_PAGE (page))
         && session != NULL && meso_session_get_voided (session)
         && meso_sheet_view_has_document (
                MESO_SHEET_VIEW (meso_test_child (page, MESO_TYPE_SESSION_PAGE, "sheet_view")));
}

static gboolean
is_marked (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static GActionGroup *
session_actions (Fixture *fixture)
{
  return meso_session_page_get_actions (MESO_SESSION_PAGE (meso_window_get_page (fixture->window,
                                                                                 "session")));
}

/* Save as PDF from the session's page, to @path: through the same writing and audit
 * as the dialog's, which a test cannot drive (GTK 4.8's fallback file chooser takes its
 * folder from the working directory when it answers). */
static void
save_pdf_from_session_page (Fixture    *fixture,
                            const char *path)
{
  g_assert_true (g_action_group_get_action_enabled (session_actions (fixture), "save-pdf"));
  g_action_group_activate_action (session_actions (fixture), "save-pdf-to",
                                  g_variant_new_string (path));
  /* Marked printed once the file is whole and the audit entry written. */
  meso_test_wait_for (file_exists, (gpointer) path, "the sheet saved as a PDF");
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autoptr(GBytes) bytes_a = meso_test_read_file (a);
  g_autoptr(GBytes) bytes_b = meso_test_read_file (b);

  g_assert_cmpuint (g_bytes_get_size (bytes_a), >, 1000);
  g_assert_true (g_bytes_equal (bytes_a, bytes_b));
}

/* A session recorded by the command-line tool while the window is open is opened from
 * Today; its sheet saved from its page is byte for byte the tool's; amended and voided
 * from the page, with the reasons the tool then shows. */
static void
test_session_from_today (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *record[] = { "record", "--patient", "Zoë Núñez", "--area", "face",
                           "--injections", "40", "--duration", "20", "--language", "fr",
                           "--instructions", "Revenir vendredi.", NULL };
  g_autofree char *saved = g_build_filename (fixture->dir, "from-the-page.pdf", NULL);
  g_autofree char *tool = g_build_filename (fixture->dir, "from-the-tool.pdf", NULL);
  g_autofree char *id_text = NULL;
  g_autofree char *shown = NULL;
  SessionWait wait = { fixture, 0, FALSE, FALSE };
  GtkWidget *page, *row, *duration, *reason;
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "today"));
  wait.id = record_with_cli (fixture, record);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, wait.id);
  row = wait_for_row (fixture, "Zoë Núñez", "Sheet not printed", 1);
  g_signal_emit_by_name (row, "activate");
  meso_test_wait_for (is_session_shown, &wait, "the session's page, read whole");
  page = meso_window_get_page (fixture->window, "session");
  meso_test_wait_for (is_mapped, page, "the session's page on screen");

  /* The sheet handed out from the page is the tool's, and it is on the record. */
  save_pdf_from_session_page (fixture, saved);
  wait_for_row (fixture, "Zoë Núñez", "Sheet printed", 1);
  g_free (run_cli (fixture, (const char *[]) { "sheet", id_text, "--output", tool, NULL }));
  assert_same_file (saved, tool);

  /* An amendment needs a reason: the core refuses it, the form marks the field. */
  g_action_group_activate_action (session_actions (fixture), "amend", NULL);
  duration = find_named (page, "duration");
  reason = find_named (page, "reason");
  g_assert_nonnull (duration);
  g_assert_nonnull (reason);
  gtk_editable_set_text (GTK_EDITABLE (duration), "45");
  g_action_group_activate_action (session_actions (fixture), "save-amendment", NULL);
  meso_test_wait_for (is_marked, reason, "the reason to be marked as missing");
  shown = run_cli (fixture, (const char *[]) { "show", id_text, NULL });
  g_assert_null (strstr (shown, "Amendments"));
  g_clear_pointer (&shown, g_free);

  gtk_editable_set_text (GTK_EDITABLE (reason), "The timer was left running");
  g_action_group_activate_action (session_actions (fixture), "save-amendment", NULL);
  wait.amended = TRUE;
  meso_test_wait_for (is_session_shown, &wait, "the amended session on its page");
  g_assert_null (find_named (page, "reason"));  /* the form is closed */
  shown = run_cli (fixture, (const char *[]) { "show", id_text, NULL });
  g_assert_nonnull (strstr (shown, "The timer was left running"));
  g_assert_nonnull (strstr (shown, "Duration: “20” → “45”"));
  g_clear_pointer (&shown, g_free);

  /* Void waits for its reason, then keeps the session, marked. */
  g_action_group_activate_action (session_actions (fixture), "void", NULL);
  dialog = meso_test_wait_for_window_named ("AdwMessageDialog");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "void"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))),
                         "Recorded twice");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "void"));
  /* As its button does: answer, then close. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "void");
  gtk_window_destroy (dialog);
  wait.voided = TRUE;
  meso_test_wait_for (is_session_voided, &wait, "the voided session on its page");
  shown = run_cli (fixture, (const char *[]) { "show", id_text, NULL });
  g_assert_nonnull (strstr (shown, "VOIDED: Recorded twice"));
  g_assert_false (g_action_group_get_action_enabled (session_actions (fixture), "reprint"));
  g_assert_false (g_action_group_get_action_enabled (session_actions (fixture), "amend"));
  wait_for_row (fixture, "Zoë Núñez", "Voided", 1);

  /* Back to Today. */
  g_assert_true (gtk_widget_activate_action (page, "win.close-session", NULL));
  meso_test_wait_for (is_mapped, fixture->today, "Today on screen again");
}

/* --- History in the window ------------------------------------------------------------ */

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_VIEW (c))
        return c;
      if ((found = find_list_view (c)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  MesoSessionList *list;
  gint64           count;
  gint64           first_id;
} HistoryWait;

/* History's list counts @count sessions and has read its first row, session @first_id. */
static gboolean
is_history_showing (gpointer data)
{
  HistoryWait *wait = data;
  g_autoptr(MesoSessionItem) first = NULL;

  if (meso_session_list_get_loading (wait->list)
      || meso_session_list_get_count (wait->list) != wait->count)
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (wait->list), 0);
  return first != NULL && meso_session_item_get_session (first) != NULL
         && meso_session_item_get_id (first) == wait->first_id;
}

static gboolean
has_list (gpointer data)
{
  return gtk_list_view_get_model (data) != NULL;
}

static gboolean
is_history_search_focused (gpointer data)
{
  GtkWidget *history = data;
  GtkWidget *entry = meso_test_child (history, MESO_TYPE_HISTORY_PAGE, "search_entry");
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (history));

  return focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry));
}

/* History follows the tool's writes while the window is open, Ctrl+F searches it when it
 * is in front, and Enter on its first row opens that session's page. */
static void
test_history_in_the_window (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *first[] = { "record", "--patient", "Ana Lima", "--area", "scalp",
                          "--injections", "30", "--duration", "15", NULL };
  const char *second[] = { "record", "--patient", "Bea Ruiz", "--area", "face",
                           "--injections", "40", "--duration", "20", NULL };
  GtkWidget *history = meso_window_get_page (fixture->window, "history");
  HistoryWait wait = { meso_history_page_get_list (MESO_HISTORY_PAGE (history)), 1, 0 };
  SessionWait shown = { fixture, 0, FALSE, FALSE };
  GtkWidget *rows;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             "history"));
  wait.first_id = record_with_cli (fixture, first);
  meso_test_wait_for (is_history_showing, &wait, "History counting the tool's session");
  wait.count = 2;
  wait.first_id = shown.id = record_with_cli (fixture, second);
  meso_test_wait_for (is_history_showing, &wait, "History with the newest session first");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  meso_test_wait_for (is_history_search_focused, history, "the focus in History's search");

  /* The table, or the rows of two lines when the window is too narrow for it. */
  if (meso_history_page_get_narrow (MESO_HISTORY_PAGE (history)))
    rows = meso_test_child (history, MESO_TYPE_HISTORY_PAGE, "rows_view");
  else
    rows = find_list_view (meso_test_child (history, MESO_TYPE_HISTORY_PAGE, "column_view"));
  g_assert_nonnull (rows);
  meso_test_wait_for (has_list, rows, "History's rows on screen to have the list");
  g_assert_true (gtk_widget_activate_action (rows, "list.activate-item", "u", 0));
  meso_test_wait_for (is_session_shown, &shown, "the session's page, opened from History");
}

/* Amends the duration of the session on the session's page to @minutes, for @reason. */
static void
amend_on_session_page (Fixture    *fixture,
                       const char *minutes,
                       const char *reason)
{
  GtkWidget *page = meso_window_get_page (fixture->window, "session");
  GtkWidget *duration, *reason_entry;

  g_action_group_activate_action (session_actions (fixture), "amend", NULL);
  duration = find_named (page, "duration");
  reason_entry = find_named (page, "reason");
  g_assert_nonnull (duration);
  g_assert_nonnull (reason_entry);
  gtk_editable_set_text (GTK_EDITABLE (duration), minutes);
  gtk_editable_set_text (GTK_EDITABLE (reason_entry), reason);
  g_action_group_activate_action (session_actions (fixture), "save-amendment", NULL);
}

/* Voids the session on the session's page, for @reason, as its dialog's button does. */
static void
void_on_session_page (Fixture    *fixture,
                      const char *reason)
{
  GtkWindow *dialog;
  GtkWidget *entry;

  g_action_group_activate_action (session_actions (fixture), "void", NULL);
  dialog = meso_test_wait_for_window_named ("AdwMessageDialog");
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (entry), reason);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "void");
  gtk_window_destroy (dialog);
}

typedef struct
{
  MesoSessionList   *list;
  gint64             count;
  const char        *patient;  /* of the first row */
  MesoSessionStatus  status;   /* of the first row */
  gint64             id;       /* out: the first row's session */
} FirstRowWait;

/* History's list counts @count sessions, read, and its first row is @patient's session
 * of that status. */
static gboolean
is_first_row (gpointer data)
{
  FirstRowWait *wait = data;
  g_autoptr(MesoSessionItem) first = NULL;
  MesoSession *session;

  if (meso_session_list_get_loading (wait->list)
      || meso_session_list_get_count (wait->list) != wait->count)
    return FALSE;
  if (wait->count == 0)
    return TRUE;
  first = g_list_model_get_item (G_LIST_MODEL (wait->list), 0);
  session = first != NULL ? meso_session_item_get_session (first) : NULL;
  if (session == NULL || g_strcmp0 (meso_session_get_patient_name (session), wait->patient) != 0
      || meso_session_get_status (session) != wait->status)
    return FALSE;
  wait->id = meso_session_get_id (session);
  return TRUE;
}

/* The store tells History of other connections' writes only: the window's own, a
 * session saved on the Record page, then amended and voided on its page, are on
 * History as soon as they are stored, each of them. */
static void
test_history_follows_the_window (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWidget *history = meso_window_get_page (fixture->window, "history");
  GtkLabel *count = GTK_LABEL (meso_test_child (history, MESO_TYPE_HISTORY_PAGE, "count_label"));
  FirstRowWait wait = { meso_history_page_get_list (MESO_HISTORY_PAGE (history)), 0, NULL,
                        MESO_SESSION_STATUS_ACTIVE, 0 };
  SessionWait shown = { fixture, 0, FALSE, FALSE };

  meso_test_wait_for (is_first_row, &wait, "History's first read, of no session");
  g_assert_cmpstr (gtk_label_get_text (count), ==, "No sessions match");

  save_on_record_page (fixture, "Ann Smith");
  wait.count = 1;
  wait.patient = "Ann Smith";
  meso_test_wait_for (is_first_row, &wait, "History with the session saved on Record");
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1 session");

  shown.id = wait.id;
  meso_window_open_session (fixture->window, shown.id);
  meso_test_wait_for (is_session_shown, &shown, "the saved session's page");
  amend_on_session_page (fixture, "45", "The timer was left running");
  wait.status = MESO_SESSION_STATUS_AMENDED;
  meso_test_wait_for (is_first_row, &wait, "History with the session amended");
  g_assert_cmpint (wait.id, ==, shown.id);
  shown.amended = TRUE;
  meso_test_wait_for (is_session_shown, &shown, "the amended session on its page");

  void_on_session_page (fixture, "Recorded twice");
  wait.status = MESO_SESSION_STATUS_VOIDED;
  meso_test_wait_for (is_first_row, &wait, "History with the session voided");
  g_assert_cmpstr (gtk_label_get_text (count), ==, "1 session");
  meso_test_wait_for (is_session_voided, &shown, "the voided session on its page");
}

/* --- A patient's page ----------------------------------------------------------------- */

typedef struct
{
  Fixture *fixture;
  gint64   latest_id;   /* the latest session the page must carry on from */
} PatientWait;

static gboolean
is_patient_shown (gpointer data)
{
  PatientWait *wait = data;
  GtkWidget *page = meso_window_get_page (wait->fixture->window, "patient");
  MesoSession *latest;

  if (page == NULL || meso_patient_page_get_loading (MESO_PATIENT_PAGE (page)))
    return FALSE;
  latest = meso_patient_page_get_latest (MESO_PATIENT_PAGE (page));
  return latest != NULL && meso_session_get_id (latest) == wait->latest_id
         && gtk_widget_get_mapped (page);
}

static GtkWidget *
nth_child (GtkWidget *parent,
           guint      n)
{
  GtkWidget *c = gtk_widget_get_first_child (parent);

  for (guint i = 0; c != NULL && i < n; i++)
    c = gtk_widget_get_next_sibling (c);
  g_assert_nonnull (c);
  return c;
}

/* The row titled @title anywhere under @widget. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_ACTION_ROW (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_row (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The subtitle of the details row titled @title. */
static const char *
detail (GtkWidget  *page,
        const char *title)
{
  GtkWidget *row = find_row (meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "details_group"),
                             title);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static const char *
pressed_choice (GtkWidget *box)
{
  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
        return gtk_widget_get_name (button);
    }
  return NULL;
}

/* Two sessions of one patient recorded by the tool (and one of another patient of the
 * same name, born another day): the patient's page, opened from the second session's,
 * lists theirs only as a series, newest first, with the next session due; a row opens
 * that session; New Session brings the Record page to the front, filled with who they
 * are and what their last session carries on. */
static void
test_patient_page (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 14);
  g_autofree char *next = g_date_time_format (later, "%Y-%m-%d");
  g_autofree char *next_shown = meso_field_format_date (next);
  const char *first[] = { "record", "--patient", "Hélène Dupont", "--dob", "1970-02-03",
                          "--phone", "+33 1 23 45 67 89", "--area", "scalp",
                          "--injections", "30", "--duration", "15",
                          "--indication", "hair-loss", "--technique", "gun",
                          "--product", "Dermaheal HL", "--practitioner", "Dr Roux",
                          "--session-number", "1", "--series-total", "6", NULL };
  const char *second[] = { "record", "--patient", "Hélène Dupont", "--dob", "1970-02-03",
                           "--area", "scalp,face", "--injections", "35", "--duration", "20",
                           "--indication", "hair-loss", "--technique", "gun",
                           "--product", "Dermaheal HL", "--practitioner", "Dr Roux",
                           "--session-number", "2", "--series-total", "6",
                           "--next-session", next, NULL };
  const char *namesake[] = { "record", "--patient", "Hélène Dupont", "--dob", "1991-07-08",
                             "--area", "neck", "--injections", "10", "--duration", "10",
                             NULL };
  SessionWait shown = { fixture, 0, FALSE, FALSE };
  PatientWait patient = { fixture, 0 };
  GtkWidget *session_page, *page, *list, *record, *editor;
  AdwLeaflet *navigation;
  AdwViewStack *stack;
  gint64 first_id;

  first_id = record_with_cli (fixture, first);
  patient.latest_id = shown.id = record_with_cli (fixture, second);
  record_with_cli (fixture, namesake);

  meso_window_open_session (fixture->window, shown.id);
  meso_test_wait_for (is_session_shown, &shown, "the second session's page");
  session_page = meso_window_get_page (fixture->window, "session");
  gtk_widget_activate (meso_test_child (session_page, MESO_TYPE_SESSION_PAGE, "patient_button"));
  meso_test_wait_for (is_patient_shown, &patient, "the patient's page, read");

  page = meso_window_get_page (fixture->window, "patient");
  navigation = ADW_LEAFLET (gtk_widget_get_ancestor (page, ADW_TYPE_LEAFLET));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (navigation), ==, "patient");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (
                     meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "title_widget"))),
                   ==, "Hélène Dupont");

  /* Theirs only, newest first, as a series. */
  list = meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "sessions_list");
  g_assert_cmpuint (count_rows (list), ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_child (list, 0))), ==,
                   "Session 2 of 6");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_child (list, 1))), ==,
                   "Session 1 of 6");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nth_child (list, 0))),
                            "Face"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (
                     meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "next_row"))), ==, next_shown);
  g_assert_cmpstr (detail (page, "Phone"), ==, "+33 1 23 45 67 89");
  g_assert_cmpstr (detail (page, "Blood Thinners"), ==, "No");

  /* A row opens its session; Back from the session page's patient returns to it. */
  shown.id = first_id;
  g_signal_emit_by_name (nth_child (list, 1), "activate");
  meso_test_wait_for (is_session_shown, &shown, "the first session's page, from the patient's");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (navigation), ==, "session");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-patient",
                                             "x", first_id));
  meso_test_wait_for (is_patient_shown, &patient, "the patient's page, from the first session");
  g_assert_cmpuint (count_rows (list), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.close-patient",
                                             NULL));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (navigation), ==, "session");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-patient",
                                             "x", first_id));
  meso_test_wait_for (is_patient_shown, &patient, "the patient's page, again");

  /* New Session: the Record page in front, filled for their third session. */
  g_assert_true (gtk_widget_activate_action (page, "patient.new-session", NULL));
  record = meso_window_get_page (fixture->window, "record");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (record, ADW_TYPE_VIEW_STACK));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (navigation), ==, "pages");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "record");
  editor = meso_test_child (record, MESO_TYPE_RECORD_PAGE, "editor");
#define FIELD(name) meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, name)
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIELD ("patient_entry"))), ==,
                   "Hélène Dupont");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIELD ("dob_entry"))), ==,
                   "1970-02-03");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIELD ("product_entry"))), ==,
                   "Dermaheal HL");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIELD ("practitioner_entry"))), ==,
                   "Dr Roux");
  g_assert_cmpstr (pressed_choice (FIELD ("indication_box")), ==, "hair-loss");
  g_assert_cmpstr (pressed_choice (FIELD ("technique_box")), ==, "gun");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                     FIELD ("session_number_spin"))), ==, 3);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
                     FIELD ("series_total_spin"))), ==, 6);
  /* What changes each time is left to be typed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (FIELD ("lot_entry"))), ==, "");
#undef FIELD
}

typedef struct
{
  GtkWidget  *page;
  guint       n_rows;
  const char *first_title;     /* of the newest row */
  const char *first_status;    /* a part of its subtitle */
} SeriesWait;

/* The patient's page, read, lists @n_rows sessions, the newest titled @first_title. */
static gboolean
is_series_shown (gpointer data)
{
  SeriesWait *wait = data;
  GtkWidget *list = meso_test_child (wait->page, MESO_TYPE_PATIENT_PAGE, "sessions_list");
  GtkWidget *first = gtk_widget_get_first_child (list);

  return !meso_patient_page_get_loading (MESO_PATIENT_PAGE (wait->page))
         && count_rows (list) == wait->n_rows && first != NULL
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)),
                       wait->first_title) == 0
         && strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)),
                    wait->first_status) != NULL;
}

typedef struct
{
  GtkAdjustment *adjustment;
  double         upper;
} GrowWait;

static gboolean
has_scroll_room (gpointer data)
{
  GrowWait *wait = data;

  return gtk_adjustment_get_upper (wait->adjustment)
         - gtk_adjustment_get_page_size (wait->adjustment) > wait->upper;
}

/* Laid out again, taller than before. */
static gboolean
has_grown (gpointer data)
{
  GrowWait *wait = data;

  return gtk_adjustment_get_upper (wait->adjustment) > wait->upper;
}

static void
on_stack_switched_cb (GObject    *stack,
                      GParamSpec *pspec,
                      gpointer    data)
{
  guint *switches = data;

  (*switches)++;
}

/* A patient's page open, scrolled down its series, a row focused: a session of theirs
 * recorded by the command-line tool joins the series ("Session 11 of 11", every row's
 * total updated) in place: no spinner in between, the page scrolled where it was, the
 * focus where it was. The session voided from this window's session page is marked so,
 * and New Session carries on from the one before it. */
static void
test_patient_page_follows_changes (Fixture       *fixture,
                                   gconstpointer  data)
{
  const char *record[] = { "record", "--patient", "Inès Moreau", "--area", "neck",
                           "--injections", "12", "--duration", "10", NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  PatientWait patient = { fixture, 0 };
  SessionWait shown = { fixture, 0, FALSE, FALSE };
  SeriesWait series = { NULL, 10, "Session 10 of 10", "Recorded" };
  GrowWait grow = { NULL, 200 };
  GtkWidget *page, *list, *title, *focused;
  guint switches = 0;
  double scrolled;
  gint64 yesterday, newest;

  /* Ten sessions of hers, a day apart, the latest yesterday. */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new ("Inès Moreau", MESO_AREA_FACE,
                                                              20, 15);
      g_autoptr(GDateTime) when = g_date_time_add_days (now, (int) i - 10);

      meso_session_set_performed_at (session, when);
      patient.latest_id = shown.id = meso_test_save_session (fixture->store, session);
    }
  yesterday = shown.id;
  meso_window_open_session (fixture->window, shown.id);
  meso_test_wait_for (is_session_shown, &shown, "the latest session's page");
  meso_window_open_patient (fixture->window, shown.id);
  meso_test_wait_for (is_patient_shown, &patient, "her page");
  page = series.page = meso_window_get_page (fixture->window, "patient");
  meso_test_wait_for (is_series_shown, &series, "her ten sessions");
  list = meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "sessions_list");
  title = meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "title_widget");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "10 sessions");

  /* A row focused, and the page scrolled down the series. */
  grow.adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW)));
  meso_test_wait_for (has_scroll_room, &grow, "her page, taller than the window");
  focused = nth_child (list, 4);
  g_assert_true (gtk_widget_grab_focus (focused));
  /* The viewport brings the focus into view when it next lays out: scroll after it. */
  gtk_test_widget_wait_for_draw (page);
  gtk_adjustment_set_value (grow.adjustment, 200);
  scrolled = gtk_adjustment_get_value (grow.adjustment);
  g_assert_cmpfloat (scrolled, ==, 200);
  grow.upper = gtk_adjustment_get_upper (grow.adjustment);
  g_signal_connect (meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "stack"),
                    "notify::visible-child",
                    G_CALLBACK (on_stack_switched_cb), &switches);

  /* Another program records her eleventh. */
  newest = record_with_cli (fixture, record);
  series.n_rows = 11;
  series.first_title = "Session 11 of 11";
  meso_test_wait_for (is_series_shown, &series, "her page with the tool's session");
  g_assert_cmpuint (switches, ==, 0);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == focused);
  g_assert_true (gtk_widget_get_parent (focused) == list);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "11 sessions");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (nth_child (list, 10))), ==,
                   "Session 1 of 11");
  g_assert_cmpint (meso_session_get_id (meso_patient_page_get_latest (MESO_PATIENT_PAGE (page))),
                   ==, newest);
  meso_test_wait_for (has_grown, &grow, "her page laid out with one row more");
  g_assert_cmpfloat (gtk_adjustment_get_value (grow.adjustment), ==, scrolled);

  /* This window voids it, from the session's page behind hers. */
  meso_window_open_session (fixture->window, newest);
  shown.id = newest;
  meso_test_wait_for (is_session_shown, &shown, "the tool's session's page");
  meso_window_open_patient (fixture->window, newest);
  patient.latest_id = newest;
  meso_test_wait_for (is_patient_shown, &patient, "her page again");
  switches = 0;
  void_on_session_page (fixture, "Wrong patient");
  series.first_status = "Voided";
  meso_test_wait_for (is_series_shown, &series, "her page with the session voided");
  g_assert_cmpuint (switches, ==, 0);
  g_signal_handlers_disconnect_by_func (meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "stack"),
                                        on_stack_switched_cb, &switches);
  g_assert_cmpint (meso_session_get_id (meso_patient_page_get_latest (MESO_PATIENT_PAGE (page))),
                   ==, yesterday);
  meso_test_wait_for (is_session_voided, &shown, "the voided session on its page");
}

/* A label anywhere under @root whose text holds @text: a toast's, for one. */
static GtkWidget *
find_label_with (GtkWidget  *root,
                 const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (c) && strstr (gtk_label_get_text (GTK_LABEL (c)), text) != NULL)
        return c;
      if ((found = find_label_with (c, text)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} ToastWait;

static gboolean
is_toast_shown (gpointer data)
{
  ToastWait *wait = data;

  return find_label_with (GTK_WIDGET (wait->fixture->window), wait->text) != NULL;
}

static gboolean
is_private (gpointer data)
{
  GStatBuf buf;

  return g_stat (data, &buf) == 0 && (buf.st_mode & 0777) == 0600;
}

/* Save as PDF writes as the command-line tool does: over a file left open to all, the
 * PDF ends readable by its owner only; onto the database itself, it is refused, with a
 * message, and the database is untouched. */
static void
test_save_pdf_safely (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *record[] = { "record", "--patient", "Ann Smith", "--area", "face",
                           "--injections", "40", "--duration", "20", NULL };
  g_autofree char *open_file = g_build_filename (fixture->dir, "open-to-all.pdf", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  SessionWait wait = { fixture, 0, FALSE, FALSE };
  ToastWait toast = { fixture, "this is the database" };
  g_autoptr(GError) error = NULL;

  wait.id = record_with_cli (fixture, record);
  meso_window_open_session (fixture->window, wait.id);
  meso_test_wait_for (is_session_shown, &wait, "the session's page, read whole");

  g_file_set_contents_full (open_file, "old", -1, G_FILE_SET_CONTENTS_NONE, 0644, &error);
  g_assert_no_error (error);
  g_action_group_activate_action (session_actions (fixture), "save-pdf-to",
                                  g_variant_new_string (open_file));
  meso_test_wait_for (is_private, open_file, "the PDF written, private");
  after = meso_test_read_file (open_file);
  g_assert_cmpuint (g_bytes_get_size (after), >, 1000);
  g_clear_pointer (&after, g_bytes_unref);

  before = meso_test_read_file (fixture->db);
  g_action_group_activate_action (session_actions (fixture), "save-pdf-to",
                                  g_variant_new_string (fixture->db));
  meso_test_wait_for (is_toast_shown, &toast, "the refusal told");
  after = meso_test_read_file (fixture->db);
  g_assert_true (g_bytes_equal (before, after));
}

static gboolean
is_save_amendment_enabled (gpointer data)
{
  return g_action_group_get_action_enabled (data, "save-amendment");
}

typedef struct
{
  GtkWidget  *row;
  const char *text;
} EntryWait;

static gboolean
is_entry_text (gpointer data)
{
  EntryWait *wait = data;

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (wait->row)), wait->text) == 0;
}

typedef struct
{
  MesoStore *store;
  gint64     id;
  guint      n;
} AmendmentsWait;

static gboolean
has_amendments (gpointer data)
{
  AmendmentsWait *wait = data;
  g_autoptr(GPtrArray) amendments = meso_store_list_amendments (wait->store, wait->id, NULL);

  return amendments != NULL && amendments->len >= wait->n;
}

/* The page shows a session; another workstation (the tool) corrects its lot meanwhile.
 * The duration corrected on the page, from the values shown before, is refused: the
 * message says the session was amended since it was opened, the form stays as typed to
 * be saved again, and the lot stays the other workstation's. */
static void
test_amend_refused_when_stale (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *record[] = { "record", "--patient", "Ann Smith", "--area", "face",
                           "--injections", "40", "--duration", "20", "--lot", "L-1", NULL };
  g_autofree char *id_text = NULL;
  g_autofree char *refusal = NULL;
  g_autoptr(MesoSession) stored = NULL;
  g_autoptr(GPtrArray) amendments = NULL;
  g_autoptr(GError) error = NULL;
  SessionWait wait = { fixture, 0, FALSE, FALSE };
  ToastWait toast = { fixture, NULL };
  EntryWait lot = { NULL, NULL };
  AmendmentsWait saved = { fixture->store, 0, 2 };
  GtkWidget *page, *duration, *reason;

  wait.id = record_with_cli (fixture, record);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, wait.id);
  meso_window_open_session (fixture->window, wait.id);
  meso_test_wait_for (is_session_shown, &wait, "the session's page, read whole");
  page = meso_window_get_page (fixture->window, "session");

  g_free (run_cli (fixture, (const char *[]) { "amend", id_text, "--lot", "L-2", "--reason",
                                               "Lot misread", NULL }));

  amend_on_session_page (fixture, "45", "The timer was left running");
  refusal = g_strdup_printf ("session %s was amended by", id_text);
  toast.text = refusal;
  meso_test_wait_for (is_toast_shown, &toast, "the refusal told");
  meso_test_wait_for (is_save_amendment_enabled, session_actions (fixture),
                      "the amendment to be ready to save again");
  /* The form is kept, as typed. */
  duration = find_named (page, "duration");
  reason = find_named (page, "reason");
  g_assert_nonnull (duration);
  g_assert_nonnull (reason);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (duration)), ==, "45");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (reason)), ==,
                   "The timer was left running");

  /* Nothing of it was written: the other workstation's amendment alone. */
  stored = meso_store_get_session (fixture->store, wait.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_session_get_lot (stored), ==, "L-2");
  g_assert_cmpuint (meso_session_get_duration (stored), ==, 20);
  amendments = meso_store_list_amendments (fixture->store, wait.id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (amendments->len, ==, 1);

  /* The page read the session again: the lot not touched here shows the other
   * workstation's, the duration typed stays; saved again, it goes through, on top of
   * the other amendment, not over it. */
  lot.row = find_named (page, "lot");
  g_assert_nonnull (lot.row);
  lot.text = "L-2";
  meso_test_wait_for (is_entry_text, &lot, "the untouched lot to show the stored one");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (duration)), ==, "45");
  meso_test_wait_for (is_save_amendment_enabled, session_actions (fixture),
                      "the page read again");
  g_action_group_activate_action (session_actions (fixture), "save-amendment", NULL);
  saved.id = wait.id;
  meso_test_wait_for (has_amendments, &saved, "the amendment saved on the second try");
  g_clear_object (&stored);
  stored = meso_store_get_session (fixture->store, wait.id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_session_get_lot (stored), ==, "L-2");
  g_assert_cmpuint (meso_session_get_duration (stored), ==, 45);
}

static MesoClinicBanner *
clinic_banner (MesoWindow *window)
{
  GtkWidget *slot = meso_test_child (GTK_WIDGET (window), MESO_TYPE_WINDOW, "banner_slot");

  return MESO_CLINIC_BANNER (adw_bin_get_child (ADW_BIN (slot)));
}

static gboolean
is_banner_shown (gpointer data)
{
  return meso_clinic_banner_get_shown (data);
}

static gboolean
is_banner_hidden (gpointer data)
{
  return !meso_clinic_banner_get_shown (data);
}

/* The first start, on a database with no clinic: the window asks for the clinic's name
 * and phone above every page; they set by the command-line tool (or another
 * workstation), the question goes. Not a dialog: the pages stay usable meanwhile. */
static void
test_clinic_banner_asks (Fixture       *fixture,
                         gconstpointer  data)
{
  MesoClinicBanner *banner = clinic_banner (fixture->window);
  GtkWidget *set_up = meso_test_child (GTK_WIDGET (banner), MESO_TYPE_CLINIC_BANNER,
                                       "set_up_button");
  GtkWidget *stack = meso_test_child (GTK_WIDGET (fixture->window), MESO_TYPE_WINDOW, "stack");
  const char * const only_name[] = { "clinic", "--name", "Clinique Lumen", NULL };
  const char * const phone[] = { "clinic", "--phone", "+33 1 23 45 67 89", NULL };
  graphene_point_t top = GRAPHENE_POINT_INIT (0, 0);
  graphene_point_t at;
  g_autofree char *out = NULL;

  meso_test_wait_for (is_banner_shown, banner, "the question about the clinic");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (set_up)), ==,
                   "app.preferences");
  meso_test_wait_for_frame (GTK_WIDGET (fixture->window));
  /* Above the pages, all of it on screen. */
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (banner), stack, &top, &at));
  g_assert_cmpfloat (at.y + gtk_widget_get_height (GTK_WIDGET (banner)), <=, 0.5);
  g_assert_true (gtk_widget_is_sensitive (stack));

  /* A name alone is not enough: a sheet still gives no number to call. */
  out = run_cli (fixture, only_name);
  meso_test_wait_for (is_today_loaded, fixture->today, "Today read again");
  g_assert_true (meso_clinic_banner_get_shown (banner));
  g_clear_pointer (&out, g_free);
  out = run_cli (fixture, phone);
  meso_test_wait_for (is_banner_hidden, banner, "the question gone once the phone is set");
}

typedef struct
{
  MesoStore *store;
  gboolean   read;
} ClinicRead;

static void
on_clinic_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClinicRead *read = user_data;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic_finish (MESO_STORE (source), result,
                                                               NULL);

  g_assert_nonnull (clinic);
  read->read = TRUE;
}

static gboolean
is_read (gpointer data)
{
  return ((ClinicRead *) data)->read;
}

/* Skipped, the question stays away on this workstation, in the next window too; reset,
 * it is back. */
static void
test_clinic_banner_skip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  MesoClinicBanner *banner = clinic_banner (fixture->window);
  g_autoptr(MesoWindow) second = NULL;
  ClinicRead read = { fixture->store, FALSE };

  g_assert_nonnull (settings);
  meso_test_wait_for (is_banner_shown, banner, "the question about the clinic");
  g_signal_emit_by_name (meso_test_child (GTK_WIDGET (banner), MESO_TYPE_CLINIC_BANNER,
                                          "skip_button"), "clicked");
  meso_test_wait_for (is_banner_hidden, banner, "the question gone once skipped");
  g_assert_true (g_settings_get_boolean (settings, "clinic-setup-skipped"));

  second = g_object_ref_sink (meso_window_new (NULL, fixture->store));
  gtk_window_present (GTK_WINDOW (second));
  /* The store answers in order: once this read is in, the banner's is too. */
  meso_store_get_clinic_async (fixture->store, NULL, on_clinic_read_cb, &read);
  meso_test_wait_for (is_read, &read, "the clinic read after the second window's");
  g_assert_false (meso_clinic_banner_get_shown (clinic_banner (second)));

  g_settings_reset (settings, "clinic-setup-skipped");
  meso_test_wait_for (is_banner_shown, clinic_banner (second), "the question back");
  g_assert_true (meso_clinic_banner_get_shown (banner));
  gtk_window_destroy (GTK_WINDOW (second));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;
  int status;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-pages-home-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/pages/today-follows-the-store", test_today_follows_the_store);
  ADD ("/pages/today-follows-the-record-page", test_today_follows_the_record_page);
  ADD ("/pages/today-search-shortcut", test_today_search_shortcut);
  ADD ("/pages/session-from-today", test_session_from_today);
  ADD ("/pages/amend-refused-when-stale", test_amend_refused_when_stale);
  ADD ("/pages/record-keys-follow-the-page", test_record_keys_follow_the_page);
  ADD ("/pages/history-in-the-window", test_history_in_the_window);
  ADD ("/pages/history-follows-the-window", test_history_follows_the_window);
  ADD ("/pages/patient-page", test_patient_page);
  ADD ("/pages/patient-page-follows-changes", test_patient_page_follows_changes);
  ADD ("/pages/clinic-banner-asks", test_clinic_banner_asks);
  ADD ("/pages/save-pdf-safely", test_save_pdf_safely);
  ADD ("/pages/clinic-banner-skip", test_clinic_banner_skip);

#undef ADD
  status = g_test_run ();
  meso_test_remove_tree (xdg);
  return status;
}
