/* test-ui.c: the window driven through its real widgets, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <poppler.h>

#include "meso-application.h"
#include "meso-area-map.h"
#include "meso-backup.h"
#include "meso-field.h"
#include "meso-preferences-window.h"
#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-settings.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-test-xtest.h"
#include "meso-sheet-adjuster.h"
#include "meso-sheet-view.h"
#include "meso-store.h"
#include "meso-today-page.h"
#include "meso-window.h"

typedef struct
{
  char       *dir;
  MesoStore  *store;
  MesoWindow   *window;
  GtkWidget    *record;   /* the Record page */
  GActionGroup *actions;  /* its actions */
  GtkWidget    *editor;
  GtkWidget  *sheet_view;
} Fixture;

static GtkWidget *
editor_child (Fixture    *fixture,
              const char *name)
{
  return meso_test_child (fixture->editor, MESO_TYPE_SESSION_EDITOR, name);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mesocare-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->store = meso_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = meso_window_new (NULL, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));

  fixture->record = meso_window_get_page (fixture->window, "record");
  fixture->actions = meso_record_page_get_actions (MESO_RECORD_PAGE (fixture->record));
  fixture->editor = meso_test_child (fixture->record, MESO_TYPE_RECORD_PAGE, "editor");
  fixture->sheet_view = meso_test_child (fixture->record, MESO_TYPE_RECORD_PAGE, "sheet_view");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  meso_test_drop_store_and_dir (&fixture->store, &fixture->dir);
}

static GtkWidget *
area_button (Fixture    *fixture,
             const char *area_id)
{
  return meso_test_area_button (fixture->editor, area_id);
}

static void
fill_form (Fixture    *fixture,
           const char *patient,
           const char *areas,
           const char *injections,
           const char *duration)
{
  g_auto(GStrv) ids = g_strsplit (areas, ",", -1);

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), patient);
  for (guint i = 0; ids[i] != NULL && *ids[i] != '\0'; i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (fixture, ids[i])), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "injections_spin")), injections);
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "duration_spin")), duration);
}

static gboolean
action_enabled (Fixture    *fixture,
                const char *name)
{
  return g_action_group_get_action_enabled (fixture->actions, name);
}

static gboolean
is_save_done (gpointer data)
{
  return action_enabled (data, "save");
}

/* A valid session is saved on the store's worker thread: Save is disabled until it is
 * done, and its result (the form cleared, or an error) shown. */
static void
click_save (Fixture *fixture)
{
  GtkWidget *button = editor_child (fixture, "save_button");

  g_assert_true (gtk_widget_is_sensitive (button));
  /* What a click ends with; gtk_widget_activate() would only start a timed animation. */
  g_signal_emit_by_name (button, "clicked");
  meso_test_wait_for (is_save_done, fixture, "the save to be done");
}

static gboolean
has_document (gpointer data)
{
  return meso_sheet_view_has_document (MESO_SHEET_VIEW (data));
}

/* The sheet is rendered in a worker thread. */
static void
wait_for_document (Fixture *fixture)
{
  meso_test_wait_for (has_document, fixture->sheet_view, "the sheet to be shown");
}

/* GSettings may tell its watchers of a change from the main loop, not at once. */
static void
drain_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gint64
count_sessions (Fixture *fixture)
{
  return meso_store_count_sessions (fixture->store, NULL);
}

static void
test_save_session (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) sessions = NULL;
  MesoSession *session;

  g_assert_false (action_enabled (fixture, "print"));
  g_assert_false (action_enabled (fixture, "save-pdf"));

  fill_form (fixture, "  Ann Smith ", "face,scalp", "120", "30");
  click_save (fixture);

  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  session = g_ptr_array_index (sessions, 0);
  g_assert_cmpstr (meso_session_get_patient_name (session), ==, "Ann Smith");
  g_assert_cmphex (meso_session_get_areas (session), ==, MESO_AREA_FACE | MESO_AREA_SCALP);
  g_assert_cmpuint (meso_session_get_injections (session), ==, 120);
  g_assert_cmpuint (meso_session_get_duration (session), ==, 30);

  /* The form is ready for the next patient; the sheet appears; it can be printed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "patient_entry"))),
                   ==, "");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (area_button (fixture, "face"))));
  wait_for_document (fixture);
  g_assert_true (action_enabled (fixture, "print"));
  g_assert_true (action_enabled (fixture, "save-pdf"));
  g_assert_cmpuint (meso_sheet_view_get_n_pages (MESO_SHEET_VIEW (fixture->sheet_view)), >=, 1);
}

typedef struct
{
  const char *patient;
  const char *areas;
  const char *injections;
  const char *duration;
  const char *field;      /* the error label that must show */
  const char *widget;     /* the widget that must be marked */
  const char *message;    /* part of the message */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { "", "face", "10", "10", "patient_error", "patient_entry", "Patient" },
  { "Ann", "", "10", "10", "areas_error", "areas_box", "Area" },
  { "Ann", "face", "0", "10", "injections_error", "injections_spin", "Injections" },
  { "Ann", "face", "2500", "10", "injections_error", "injections_spin", "Injections" },
  { "Ann", "face", "10", "0", "duration_error", "duration_spin", "Duration" },
  { "Ann", "face", "10", "481", "duration_error", "duration_spin", "Duration" },
};

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  data)
{
  const InvalidCase *c = data;
  GtkWidget *message = editor_child (fixture, c->field);
  GtkWidget *marked = editor_child (fixture, c->widget);

  fill_form (fixture, c->patient, c->areas, c->injections, c->duration);
  click_save (fixture);

  g_assert_cmpint (count_sessions (fixture), ==, 0);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), c->message));
  g_assert_true (gtk_widget_has_css_class (marked, "error"));
  /* Nothing else is marked, and the form keeps what was typed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "patient_entry"))),
                   ==, c->patient);
  g_assert_false (meso_sheet_view_has_document (MESO_SHEET_VIEW (fixture->sheet_view)));

  /* Correcting the value clears the message. */
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), "Ann B");
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_has_css_class (marked, "error"));
}

static void
test_error_focuses_field (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *spin = editor_child (fixture, "injections_spin");

  fill_form (fixture, "Ann", "neck", "0", "10");
  click_save (fixture);
  g_assert_true (gtk_widget_is_focus (spin) || gtk_widget_has_focus (spin)
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), spin));
}

/* Takes @document. */
static char *
document_text (PopplerDocument *document)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (text, FALSE);
}

static char *
pdf_text (const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);

  g_assert_no_error (error);
  return document_text (document);
}

/* The sheet shown carries its fingerprint (read after the save). */
static gboolean
shows_fingerprint (gpointer data)
{
  GBytes *pdf = meso_sheet_view_get_pdf (data);
  g_autofree char *text = NULL;
  PopplerDocument *document;

  if (pdf == NULL)
    return FALSE;
  document = poppler_document_new_from_bytes (pdf, NULL, NULL);
  if (document == NULL)
    return FALSE;
  text = document_text (document);
  return strstr (text, "Code ") != NULL;
}

/* The print path, exported to a file instead of a printer: its text is the sheet's. */
static void
test_print_exports_sheet (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "printed.pdf", NULL);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkPrintOperationResult result;

  fill_form (fixture, "Claire Dubois", "thighs", "200", "40");
  click_save (fixture);
  wait_for_document (fixture);
  meso_test_wait_for (shows_fingerprint, fixture->sheet_view, "the sheet's fingerprint");

  operation = meso_sheet_view_create_print_operation (MESO_SHEET_VIEW (fixture->sheet_view));
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);

  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "Claire Dubois"));
  g_assert_nonnull (strstr (text, "Thighs"));
  g_assert_nonnull (strstr (text, "When to call for help"));
  /* The footer's fingerprint of the session's sealed entry, as a reprint prints it. */
  g_assert_nonnull (strstr (text, "Code "));
  g_unlink (path);
}

static gboolean
is_form_new (gpointer data)
{
  return g_str_equal (gtk_editable_get_text (GTK_EDITABLE (editor_child (data, "patient_entry"))),
                      "");
}

static void
test_new_session_clears (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWindow *question;

  fill_form (fixture, "Ann", "arms", "5", "5");
  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  /* Work in the form: asked first (tests/test-unsaved.c), and discarded. */
  question = meso_test_wait_for_window_named ("AdwMessageDialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (question), "discard");
  gtk_window_destroy (question);
  meso_test_wait_for (is_form_new, fixture, "the form to be cleared");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "patient_entry"))),
                   ==, "");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (area_button (fixture, "arms"))));
  g_assert_cmpint (count_sessions (fixture), ==, 0);
}

static GtkWindow *
wait_for_window (GType type)
{
  return meso_test_wait_for_window_named (g_type_name (type));
}

static GBytes *
file_bytes (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Backups left by an earlier test of this process would be offered or counted. */
static void
empty_backups_folder (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = meso_backup_get_default_dir (path);
  GDir *listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_unlink (file);
    }
  g_clear_pointer (&listing, g_dir_close);
}

/* A damaged database is never written to: the app offers the newest good backup, and
 * restoring it keeps the damaged file beside it. Driven through the real application
 * and its dialog, in the private XDG tree of this test. */
static void
test_recovery_restores_backup (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *backup = g_build_filename (dir, "backups", "mesocare-20260101-090000.db", NULL);
  g_autofree char *backup_dir = g_path_get_dirname (backup);
  g_autoptr(MesoStore) store = meso_store_open (path, NULL);
  g_autoptr(MesoSession) session = g_object_new (MESO_TYPE_SESSION, "patient-name", "Kept Safe",
                                                 "areas", MESO_AREA_FACE, "injections", 12,
                                                 "duration", 15, NULL);
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean aside_found = FALSE;
  GtkWindow *dialog, *window;

  empty_backups_folder ();
  g_assert_true (meso_store_save_session (store, session, NULL));
  g_assert_cmpint (g_mkdir_with_parents (backup_dir, 0700), ==, 0);
  g_assert_true (meso_backup_create (path, backup, NULL));
  g_clear_object (&store);

  /* Not a database any more. */
  g_assert_true (g_file_set_contents (path, "this file was damaged by a power cut", -1, NULL));
  damaged = file_bytes (path);

  app = meso_test_start_app (NULL);

  dialog = wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "mesocare-20260101-090000.db"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "restore"));
  /* As its button does: answer, then close. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  gtk_window_destroy (dialog);

  window = wait_for_window (MESO_TYPE_WINDOW);

  store = meso_store_open (path, NULL);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 1);
  g_assert_true (meso_store_check (store, NULL));

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "mesocare.db.replaced-") && !g_str_has_suffix (name, "-wal")
        && !g_str_has_suffix (name, "-shm"))
      {
        g_autofree char *aside = g_build_filename (dir, name, NULL);
        g_autoptr(GBytes) kept = file_bytes (aside);

        g_assert_true (g_bytes_equal (kept, damaged));
        aside_found = TRUE;
      }
  g_assert_true (aside_found);
  gtk_window_destroy (window);
}

/* Damage deep in a page passes the quick checks made before the window opens; the full
 * check, run beside the open window, finds it: the window goes, nothing more is written,
 * and the newest good backup is offered. */
static void
test_damage_found_after_start (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *backup = g_build_filename (dir, "backups", "mesocare-20260102-090000.db", NULL);
  g_autofree char *backup_dir = g_path_get_dirname (backup);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GBytes) after = NULL;
  GtkWindow *dialog, *window;

  empty_backups_folder ();
  g_unlink (path);
  store = meso_store_open (path, NULL);
  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *name = g_strdup_printf ("Patient with a rather longer name, number %03u", i);
      g_autoptr(MesoSession) session = meso_test_session_new (name, MESO_AREA_FACE, 10, 10);

      meso_test_save_session (store, session);
    }
  g_assert_cmpint (g_mkdir_with_parents (backup_dir, 0700), ==, 0);
  g_assert_true (meso_backup_create (path, backup, NULL));
  g_clear_object (&store);
  meso_test_damage_database (path);
  damaged = file_bytes (path);

  app = meso_test_start_app ("io.github.mesocare.Mesocare.Damage");

  dialog = wait_for_window (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "damaged"));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    g_assert_false (MESO_IS_WINDOW (l->data));
  /* Not written to since: the file is as the damage left it. */
  after = file_bytes (path);
  g_assert_true (g_bytes_equal (after, damaged));

  /* As its button does: answer, then close. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "restore");
  gtk_window_destroy (dialog);
  window = wait_for_window (MESO_TYPE_WINDOW);
  store = meso_store_open (path, NULL);
  g_assert_cmpint (meso_store_count_sessions (store, NULL), ==, 60);
  g_assert_true (meso_store_check (store, NULL));
  g_clear_object (&store);
  gtk_window_destroy (window);
}

static GtkWidget *
find_named (GtkWidget  *root,
            GType       type,
            const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) && g_strcmp0 (gtk_widget_get_name (c), name) == 0)
        return c;
      found = find_named (c, type, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* A value applied in the preferences is saved on the store's worker thread: its row is
 * insensitive until the answer is shown. */
static void
apply_and_wait (GtkWidget  *row,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  g_assert_false (gtk_widget_get_sensitive (row));
  meso_test_wait_for (is_sensitive, row, "the value applied to be saved");
}

typedef struct
{
  GtkWidget  *root;
  GType       type;
  const char *name;
  gboolean    present;
} NamedWait;

static gboolean
shows_named (gpointer data)
{
  NamedWait *wait = data;

  return (find_named (wait->root, wait->type, wait->name) != NULL) == wait->present;
}

/* The lists are read again on the store's worker thread after a change. */
static void
wait_for_named (GtkWidget  *root,
                GType       type,
                const char *name,
                gboolean    present)
{
  NamedWait wait = { root, type, name, present };

  meso_test_wait_for (shows_named, &wait, present ? "a name to be listed" : "a name to go");
}

static char *
export_sheet_text (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.pdf", NULL);
  g_autoptr(GtkPrintOperation) operation = NULL;
  char *text;

  operation = meso_sheet_view_create_print_operation (MESO_SHEET_VIEW (fixture->sheet_view));
  gtk_print_operation_set_export_filename (operation, path);
  g_assert_cmpint (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL,
                                            NULL), ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  text = pdf_text (path);
  g_unlink (path);
  return text;
}

typedef struct
{
  MesoSheetView *view;
  const char    *needle;
  GBytes        *read;    /* the last PDF read, held so that no other takes its address */
} SheetTextWait;

static gboolean
sheet_shows_text (gpointer data)
{
  SheetTextWait *wait = data;
  GBytes *pdf = meso_sheet_view_get_pdf (wait->view);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PopplerDocument *document;

  if (pdf == NULL || pdf == wait->read)
    return FALSE;
  g_clear_pointer (&wait->read, g_bytes_unref);
  wait->read = g_bytes_ref (pdf);
  document = poppler_document_new_from_bytes (pdf, NULL, &error);
  g_assert_no_error (error);
  text = document_text (document);
  return strstr (text, wait->needle) != NULL;
}

/* The preview follows edits a moment after the last key, and renders in a worker
 * thread: wait for a sheet shown with the text. */
static void
wait_for_sheet_text (Fixture    *fixture,
                     const char *needle)
{
  SheetTextWait wait = { MESO_SHEET_VIEW (fixture->sheet_view), needle, NULL };
  g_autofree char *what = g_strdup_printf ("the sheet shown to read “%s”", needle);

  meso_test_wait_for (sheet_shows_text, &wait, what);
  g_clear_pointer (&wait.read, g_bytes_unref);
}

/* The practitioner leaves a line out, rewords one, adds one: the preview follows, and
 * printing keeps the adjustments with the session, so the sheet prints the same again. */
static void
test_adjust_sheet (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *adjuster = meso_test_child (fixture->record, MESO_TYPE_RECORD_PAGE, "adjuster");
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(MesoAdjustments) stored = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;
  GtkWidget *check, *entry, *new_line;
  GtkWindow *dialog;
  gint64 id;

  fill_form (fixture, "Ann Smith", "face", "100", "30");
  click_save (fixture);
  wait_for_document (fixture);
  g_assert_true (action_enabled (fixture, "adjust-sheet"));
  g_action_group_change_action_state (fixture->actions, "adjust-sheet",
                                      g_variant_new_boolean (TRUE));

  check = find_named (adjuster, GTK_TYPE_CHECK_BUTTON, "drink-water");
  entry = find_named (adjuster, GTK_TYPE_TEXT_VIEW, "no-heat-48h");
  new_line = meso_test_child (adjuster, MESO_TYPE_SHEET_ADJUSTER, "new_line_entry");
  g_assert_nonnull (check);
  g_assert_nonnull (entry);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (entry)),
                            "No sauna or hot bath for a whole week.", -1);
  gtk_editable_set_text (GTK_EDITABLE (new_line), "Come back on Friday for a check.");
  g_signal_emit_by_name (meso_test_child (adjuster, MESO_TYPE_SHEET_ADJUSTER, "add_line_button"),
                         "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (new_line)), ==, "");

  wait_for_sheet_text (fixture, "Come back on Friday for a check.");
  /* Printing is not refused (the preview is up to date): its dialog opens. We print
   * through the export path, which needs no printer. */
  g_action_group_activate_action (fixture->actions, "print", NULL);
  dialog = meso_test_wait_for_window_named ("GtkPrintUnixDialog");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  text = export_sheet_text (fixture);
  g_assert_null (strstr (text, "Drink plenty of water."));
  g_assert_nonnull (strstr (text, "No sauna or hot bath for a whole week."));
  g_assert_nonnull (strstr (text, "Come back on Friday for a check."));

  sessions = meso_store_list_sessions (fixture->store, NULL);
  id = meso_session_get_id (g_ptr_array_index (sessions, 0));
  stored = meso_store_get_adjustments (fixture->store, id, NULL);
  g_assert_true (meso_adjustments_is_rule_off (stored, "drink-water"));
  g_assert_cmpstr (meso_adjustments_get_text (stored, "no-heat-48h"), ==,
                   "No sauna or hot bath for a whole week.");
  g_assert_cmpstr (meso_adjustments_get_lines (stored)[0], ==, "Come back on Friday for a check.");
}

/* The clinic's details applied in the preferences go to the database, for every
 * workstation, not to this one's settings; the sheet shown follows them. A bad value is
 * marked and not saved. */
static void
test_preferences_reach_the_sheet (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  g_autoptr(MesoClinic) clinic = NULL;
  GtkWidget *preferences;
  GtkWidget *name_row;
  GtkWidget *phone_row;
  GtkWidget *note;
  g_autofree char *old_key = NULL;
  g_autofree char *paper = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (settings);
  fill_form (fixture, "Ann Smith", "scalp", "100", "30");
  click_save (fixture);
  wait_for_document (fixture);

  /* No clinic yet: said above the preview. */
  note = meso_test_child (fixture->sheet_view, MESO_TYPE_SHEET_VIEW, "note_label");
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)),
                            "The clinic’s name and phone are not set"));

  preferences = meso_preferences_window_new (settings, fixture->store);
  gtk_window_present (GTK_WINDOW (preferences));
  name_row = meso_test_child (preferences, MESO_TYPE_PREFERENCES_WINDOW, "name_row");
  phone_row = meso_test_child (preferences, MESO_TYPE_PREFERENCES_WINDOW, "phone_row");
  apply_and_wait (name_row, " Clinique des Tilleuls ");
  apply_and_wait (phone_row, "+33 1 40 00 00 00");
  adw_combo_row_set_selected (ADW_COMBO_ROW (meso_test_child (preferences,
                                                              MESO_TYPE_PREFERENCES_WINDOW,
                                                              "paper_row")), 2);

  clinic = meso_store_get_clinic (fixture->store, NULL);
  g_assert_cmpstr (meso_clinic_get_name (clinic), ==, "Clinique des Tilleuls");
  g_assert_cmpstr (meso_clinic_get_phone (clinic), ==, "+33 1 40 00 00 00");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Clinique des Tilleuls");
  old_key = g_settings_get_string (settings, "clinic-name");
  g_assert_cmpstr (old_key, ==, "");
  paper = g_settings_get_string (settings, "paper-size");
  g_assert_cmpstr (paper, ==, "letter");

  /* Each change redraws the sheet: wait for the last one, the phone (the name, applied
   * before it, is then there too). */
  wait_for_sheet_text (fixture, "+33 1 40 00 00 00");
  g_assert_false (gtk_widget_get_visible (note));
  text = export_sheet_text (fixture);
  g_assert_nonnull (strstr (text, "Clinique des Tilleuls"));
  g_assert_nonnull (strstr (text, "+33 1 40 00 00 00"));

  /* Refused: the row says so, the store keeps the number it had. */
  apply_and_wait (phone_row, "call reception");
  g_assert_true (gtk_widget_has_css_class (phone_row, "error"));
  g_clear_object (&clinic);
  clinic = meso_store_get_clinic (fixture->store, NULL);
  g_assert_cmpstr (meso_clinic_get_phone (clinic), ==, "+33 1 40 00 00 00");
  apply_and_wait (phone_row, "01 40 00 00 01");
  g_assert_false (gtk_widget_has_css_class (phone_row, "error"));

  /* The emergency number the sheets print: the clinic's own setting. */
  apply_and_wait (meso_test_child (preferences, MESO_TYPE_PREFERENCES_WINDOW, "emergency_row"), "999");
  g_clear_object (&clinic);
  clinic = meso_store_get_clinic (fixture->store, NULL);
  g_assert_cmpstr (meso_clinic_get_emergency_number (clinic), ==, "999");
  wait_for_sheet_text (fixture, "call 999");

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "paper-size");
}

static guint
count_backup_entries (const char *path)
{
  g_autoptr(MesoStore) store = meso_store_open (path, NULL);
  g_autoptr(GPtrArray) entries = meso_store_list_audit (store, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    n += g_str_equal (((MesoAuditEntry *) g_ptr_array_index (entries, i))->action, "backup");
  return n;
}

typedef struct
{
  const char *path;
  guint       n;
} BackupWait;

/* The backups run in a worker thread. */
static gboolean
has_backup_entries (gpointer data)
{
  BackupWait *wait = data;

  return count_backup_entries (wait->path) >= wait->n;
}

/* The first start of a day makes a backup by itself; "Back Up Now" makes another; both
 * are in the audit log, and the backups are private files. */
static void
test_backups_from_the_app (void)
{
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *dir = meso_backup_get_default_dir (path);
  g_autoptr(MesoApplication) app = NULL;
  BackupWait wait = { path, 0 };
  GtkWindow *window;
  const char *name;
  GDir *listing;
  g_autofree char *newest = NULL;
  g_autofree char *head = NULL;
  guint n_files = 0;
  guint before;

  /* A day's backup from an earlier test would stop today's: start from none. */
  empty_backups_folder ();
  /* Earlier tests of this process started the app too, with their own backups. */
  before = count_backup_entries (path);

  app = meso_test_start_app ("io.github.mesocare.Mesocare.Test");
  window = wait_for_window (MESO_TYPE_WINDOW);

  wait.n = before + 1;
  meso_test_wait_for (has_backup_entries, &wait, "the day's first backup in the audit log");
  g_assert_cmpuint (count_backup_entries (path), ==, before + 1);

  g_action_group_activate_action (G_ACTION_GROUP (app), "backup", NULL);
  wait.n = before + 2;
  meso_test_wait_for (has_backup_entries, &wait, "the backup asked for in the audit log");
  g_assert_cmpuint (count_backup_entries (path), ==, before + 2);

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      GStatBuf st;

      g_assert_true (g_str_has_prefix (name, "mesocare-"));
      g_assert_cmpint (g_stat (file, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      if (g_str_has_suffix (name, ".db.head"))
        continue;
      g_assert_true (g_str_has_suffix (name, ".db"));
      if (g_strcmp0 (name, newest) > 0)
        {
          g_free (newest);
          newest = g_strdup (name);
        }
      n_files++;
    }
  g_dir_close (listing);
  /* Two backups, or one if both fell in the same second (the newer replaces it). */
  g_assert_cmpuint (n_files, >=, 1);
  /* The newest copied a log holding the first backup's entry at least: the head of that
   * log is beside it. (The first may have copied a log with no entry yet: no head.) */
  head = g_strconcat (dir, G_DIR_SEPARATOR_S, newest, ".head", NULL);
  g_assert_true (g_file_test (head, G_FILE_TEST_IS_REGULAR));
  gtk_window_destroy (window);
}

static gboolean
has_clinic_name (gpointer data)
{
  g_autoptr(MesoStore) store = meso_store_open_existing (data, NULL);
  g_autoptr(MesoClinic) clinic = store != NULL ? meso_store_get_clinic (store, NULL) : NULL;

  return clinic != NULL && *meso_clinic_get_name (clinic) != '\0';
}

/* The first start after the upgrade moves the clinic's details and practitioners from
 * this user's settings into the database, once its check has passed. */
static void
test_clinic_carried_over_at_start (void)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  g_autofree char *path = meso_store_get_default_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  const char * const practitioners[] = { "Dr Roux", "Nurse Diaz", NULL };
  g_autoptr(MesoApplication) app = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  GtkWindow *window;

  empty_backups_folder ();
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_settings_set_string (settings, "clinic-name", "Clinique du Parc");
  g_settings_set_string (settings, "clinic-phone", "+33 1 23 45 67 89");
  g_settings_set_strv (settings, "practitioners", practitioners);

  app = meso_test_start_app ("io.github.mesocare.Mesocare.CarryOver");
  window = wait_for_window (MESO_TYPE_WINDOW);
  meso_test_wait_for (has_clinic_name, path, "the clinic's name in the database");

  store = meso_store_open_existing (path, NULL);
  clinic = meso_store_get_clinic (store, NULL);
  g_assert_cmpstr (meso_clinic_get_name (clinic), ==, "Clinique du Parc");
  g_assert_cmpstr (meso_clinic_get_phone (clinic), ==, "+33 1 23 45 67 89");
  listed = meso_store_list_practitioners (store, TRUE, NULL);
  g_assert_cmpuint (listed->len, ==, 2);
  gtk_window_destroy (window);

  g_settings_reset (settings, "clinic-name");
  g_settings_reset (settings, "clinic-phone");
  g_settings_reset (settings, "practitioners");
}

static GtkWidget *
editor_named (Fixture    *fixture,
              const char *box,
              const char *name)
{
  GtkWidget *found = find_named (editor_child (fixture, box), GTK_TYPE_WIDGET, name);

  g_assert_nonnull (found);
  return found;
}

static void
press (GtkWidget *button)
{
  if (GTK_IS_TOGGLE_BUTTON (button))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  else
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button), TRUE);
}

static void
type_text (Fixture    *fixture,
           const char *widget,
           const char *text)
{
  GtkWidget *w = editor_child (fixture, widget);

  if (GTK_IS_TEXT_VIEW (w))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (w), text);
}

/* Every field of the record typed or chosen through the form's widgets, and found in the
 * database as given. */
static void
test_complete_record (Fixture       *fixture,
                      gconstpointer  data)
{
  const struct { MesoField field; const char *expected; } checks[] = {
    { MESO_FIELD_PATIENT, "Claire Dubois" },
    { MESO_FIELD_DATE_OF_BIRTH, "1979-06-15" },
    { MESO_FIELD_LANGUAGE, "fr" },
    { MESO_FIELD_BLOOD_THINNERS, "yes" },
    { MESO_FIELD_ALLERGIES, "latex" },
    { MESO_FIELD_AREAS, "face,scalp" },
    { MESO_FIELD_INDICATION, "hair-loss" },
    { MESO_FIELD_TECHNIQUE, "gun" },
    { MESO_FIELD_PRODUCT, "Cocktail H" },
    { MESO_FIELD_LOT, "L-42" },
    { MESO_FIELD_EXPIRY, "2031-01-31" },
    { MESO_FIELD_INJECTIONS, "150" },
    { MESO_FIELD_VOLUME, "2.5" },
    { MESO_FIELD_DURATION, "35" },
    { MESO_FIELD_REACTIONS, "redness,pain" },
    { MESO_FIELD_SESSION_NUMBER, "2" },
    { MESO_FIELD_SERIES_TOTAL, "6" },
    { MESO_FIELD_NEXT_SESSION, "2031-02-01" },
    { MESO_FIELD_INSTRUCTIONS, "Sleep on your back.\nNo hat today." },
    { MESO_FIELD_NOTES, "Prefers mornings." },
    { MESO_FIELD_PRACTITIONER, "Dr Roux" },
  };
  g_autoptr(GPtrArray) sessions = NULL;
  MesoSession *stored;

  fill_form (fixture, "Claire Dubois", "face,scalp", "150", "35");
  type_text (fixture, "dob_entry", "1979-06-15");
  press (editor_named (fixture, "language_box", "fr"));
  press (editor_child (fixture, "blood_thinners_check"));
  type_text (fixture, "allergies_entry", "latex");
  press (editor_named (fixture, "indication_box", "hair-loss"));
  press (editor_named (fixture, "technique_box", "gun"));
  type_text (fixture, "product_entry", "Cocktail H");
  type_text (fixture, "lot_entry", "L-42");
  type_text (fixture, "expiry_entry", "2031-01-31");
  type_text (fixture, "volume_entry", "2.5");
  press (editor_named (fixture, "reactions_box", "redness"));
  press (editor_named (fixture, "reactions_box", "pain"));
  type_text (fixture, "session_number_spin", "2");
  type_text (fixture, "series_total_spin", "6");
  type_text (fixture, "next_session_entry", "2031-02-01");
  type_text (fixture, "instructions_view", "Sleep on your back.\nNo hat today.");
  type_text (fixture, "notes_view", "Prefers mornings.");
  type_text (fixture, "practitioner_entry", "Dr Roux");
  click_save (fixture);

  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  stored = g_ptr_array_index (sessions, 0);
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *text = meso_session_get_field_text (stored, checks[i].field);

      g_assert_cmpstr (text, ==, checks[i].expected);
    }
}

/* The override is asked only for a pregnant or breastfeeding patient, and required then. */
static void
test_pregnancy_override (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *override = editor_child (fixture, "pregnancy_override_check");
  GtkWidget *message = editor_child (fixture, "pregnancy_override_error");
  g_autoptr(GPtrArray) sessions = NULL;

  g_assert_false (gtk_widget_get_visible (override));
  fill_form (fixture, "Ann", "face", "10", "10");
  press (editor_child (fixture, "pregnant_check"));
  g_assert_true (gtk_widget_get_visible (override));
  click_save (fixture);
  g_assert_cmpint (count_sessions (fixture), ==, 0);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_true (gtk_widget_has_css_class (override, "error"));

  press (override);
  click_save (fixture);
  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  g_assert_true (meso_session_get_pregnancy_override (g_ptr_array_index (sessions, 0)));
}

/* The timer fills the duration with the minutes begun, and can be typed over after. */
static void
test_timer_fills_duration (Fixture       *fixture,
                           gconstpointer  data)
{
  MesoSessionEditor *editor = MESO_SESSION_EDITOR (fixture->editor);
  GtkWidget *button = editor_child (fixture, "timer_button");
  GtkWidget *spin = editor_child (fixture, "duration_spin");
  gint64 start = g_get_monotonic_time ();

  meso_session_editor_start_timer (editor, start);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_cmpuint (meso_session_editor_stop_timer (editor, start + (20 * 60 + 10) * G_USEC_PER_SEC),
                    ==, 21);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "21");
  g_assert_cmpuint (meso_session_editor_stop_timer (editor, start), ==, 0);

  /* A few seconds count as a minute; the button itself starts and stops it. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "1");

  gtk_editable_set_text (GTK_EDITABLE (spin), "35");
  fill_form (fixture, "Ann", "face", "10", "35");
  click_save (fixture);
  g_assert_cmpint (count_sessions (fixture), ==, 1);
}

/* An expired lot is flagged as soon as its date is typed, before Save refuses it. */
static void
test_expired_lot_flagged (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *expiry = editor_child (fixture, "expiry_entry");
  GtkWidget *message = editor_child (fixture, "expiry_error");
  g_autofree char *shown = meso_field_format_date ("2020-01-31");  /* as the locale writes it */

  gtk_editable_set_text (GTK_EDITABLE (expiry), "2020-01-31");
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), shown));
  gtk_editable_set_text (GTK_EDITABLE (expiry), "2099-01-31");
  g_assert_false (gtk_widget_get_visible (message));

  gtk_editable_set_text (GTK_EDITABLE (expiry), "2020-01-31");
  fill_form (fixture, "Ann", "face", "10", "10");
  click_save (fixture);
  g_assert_cmpint (count_sessions (fixture), ==, 0);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (message)), "Lot expiry"));
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* Typing part of a name finds the patient already recorded; picking them fills in who
 * they are and shows their flags at once; the session is theirs, not a new patient's. */
static void
test_patient_search (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoSession) earlier = g_object_new (MESO_TYPE_SESSION, "patient-name", "Claire Dubois",
                                                 "areas", MESO_AREA_FACE, "injections", 10,
                                                 "duration", 10, NULL);
  GtkWidget *matches = editor_child (fixture, "patient_matches");
  GtkWidget *flags = editor_child (fixture, "patient_flags");
  GtkListBoxRow *row;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_assert_true (meso_session_set_field_text (earlier, MESO_FIELD_DATE_OF_BIRTH, "1979-06-15", NULL));
  g_assert_true (meso_session_set_field_text (earlier, MESO_FIELD_BLOOD_THINNERS, "yes", NULL));
  g_assert_true (meso_session_set_field_text (earlier, MESO_FIELD_ALLERGIES, "latex", NULL));
  g_assert_true (meso_session_set_field_text (earlier, MESO_FIELD_LANGUAGE, "fr", NULL));
  g_assert_true (meso_store_save_session (fixture->store, earlier, NULL));

  type_text (fixture, "patient_entry", "C");
  g_assert_false (gtk_widget_get_visible (matches));
  /* Looked for once the typing pauses, on the store's worker thread. */
  type_text (fixture, "patient_entry", "dubo");
  meso_test_wait_for (is_visible, matches, "the patients found to be listed");
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (matches), 0);
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (matches), 1));
  g_signal_emit_by_name (matches, "row-activated", row);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "patient_entry"))),
                   ==, "Claire Dubois");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "dob_entry"))),
                   ==, "1979-06-15");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (editor_child (fixture,
                                                                              "blood_thinners_check"))));
  g_assert_false (gtk_widget_get_visible (matches));
  g_assert_true (gtk_widget_get_visible (flags));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (flags)), "blood-thinning"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (flags)), "latex"));

  fill_form (fixture, "Claire Dubois", "scalp", "20", "15");
  click_save (fixture);
  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 2);
  /* Found again, not recorded twice: both sessions are one patient's, in French. */
  found = meso_store_find_patients (fixture->store, "Claire", 10, NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (meso_session_get_language (g_ptr_array_index (sessions, 0)), ==, "fr");
}

/* The drawn map and the check buttons are one set of areas: a touch on the map ticks
 * the area's button, a tick shows on the map, and what is saved is that set. */
static void
test_area_map_in_step (Fixture       *fixture,
                       gconstpointer  data)
{
  MesoAreaMap *map = MESO_AREA_MAP (editor_child (fixture, "area_map"));
  g_autoptr(GPtrArray) sessions = NULL;
  double x, y;

  g_assert_true (meso_area_map_get_area_center (map, MESO_AREA_FACE, &x, &y));
  g_assert_cmpint (meso_area_map_toggle_at (map, x, y), ==, MESO_AREA_FACE);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (area_button (fixture, "face"))));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (fixture, "thighs")), TRUE);
  g_assert_cmphex (meso_area_map_get_areas (map), ==, MESO_AREA_FACE | MESO_AREA_THIGHS);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (fixture, "face")), FALSE);
  g_assert_cmphex (meso_area_map_get_areas (map), ==, MESO_AREA_THIGHS);

  fill_form (fixture, "Ann", "", "10", "10");
  click_save (fixture);
  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  g_assert_cmphex (meso_session_get_areas (g_ptr_array_index (sessions, 0)), ==,
                   MESO_AREA_THIGHS);
  /* The form is cleared for the next patient: the map too. */
  g_assert_cmphex (meso_area_map_get_areas (map), ==, MESO_AREA_NONE);
}

/* What a finger needs. */
#define TOUCH_TARGET 44

static gboolean
is_touch_target_high (gpointer data)
{
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (data)
         && gtk_widget_compute_bounds (data, data, &bounds)
         && bounds.size.height >= TOUCH_TARGET;
}

/* A lot typed once is offered on the next session: one tap fills the product, the lot
 * and its expiry. */
static void
test_recent_lots_offered (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *recent = editor_child (fixture, "recent_lots_box");
  graphene_rect_t bounds;
  GtkWidget *button;
  g_autoptr(GPtrArray) sessions = NULL;

  g_assert_false (gtk_widget_get_visible (recent));
  fill_form (fixture, "Ann", "face", "10", "10");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "product_entry")), "Biotin complex");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "lot_entry")), "BC-77");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "expiry_entry")), "2099-06-30");
  click_save (fixture);
  g_assert_cmpint (count_sessions (fixture), ==, 1);

  /* The form is cleared for the next patient, with the lot on offer once read. */
  meso_test_wait_for (is_visible, recent, "the recent lots to be offered");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "lot_entry"))),
                   ==, "");
  button = find_named (recent, GTK_TYPE_BUTTON, "BC-77");
  g_assert_nonnull (button);
  /* Made just now: laid out, with its style, at the next frame. */
  meso_test_wait_for (is_touch_target_high, button,
                      "the button of lot BC-77 to be laid out 44 px high (its pill style)");
  g_assert_true (gtk_widget_compute_bounds (button, button, &bounds));
  g_assert_cmpfloat (bounds.size.height, >=, TOUCH_TARGET);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "product_entry"))),
                   ==, "Biotin complex");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "expiry_entry"))),
                   ==, "2099-06-30");

  fill_form (fixture, "Bea", "scalp", "20", "15");
  click_save (fixture);
  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 2);
  for (guint i = 0; i < sessions->len; i++)
    g_assert_cmpstr (meso_session_get_lot (g_ptr_array_index (sessions, i)), ==, "BC-77");
}

static GStrv
active_practitioners (MesoStore *store)
{
  g_autoptr(GPtrArray) practitioners = meso_store_list_practitioners (store, TRUE, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; i < practitioners->len; i++)
    g_strv_builder_add (names, meso_practitioner_get_name (g_ptr_array_index (practitioners, i)));
  return g_strv_builder_end (names);
}

typedef struct
{
  GtkWidget  *box;
  const char *lot;
} LotWait;

static gboolean
offers_lot (gpointer data)
{
  LotWait *wait = data;

  return gtk_widget_get_visible (wait->box)
         && find_named (wait->box, GTK_TYPE_BUTTON, wait->lot) != NULL;
}

/* A lot recorded at another workstation (another connection to the file) is offered
 * here too, without anything done in this window: the store's `changed` signal. */
static void
test_lots_from_another_workstation (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(MesoStore) other = meso_test_open_store (meso_store_get_path (fixture->store));
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, 10, 10);
  LotWait wait = { editor_child (fixture, "recent_lots_box"), "HX-12" };

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRODUCT, "Hyaluronic acid",
                                              NULL));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, "HX-12", NULL));
  g_assert_false (gtk_widget_get_visible (wait.box));
  meso_test_save_session (other, session);
  meso_test_wait_for (offers_lot, &wait, "the lot saved elsewhere to be offered");
}

/* The clinic's practitioners are listed in the preferences, in the database; the one at
 * this chair and the default sheet language, this computer's, are filled in on every new
 * session, and the form offers the practitioners listed. */
static void
test_practitioners_and_defaults (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = meso_settings_new_if_installed ();
  GtkWidget *preferences = meso_preferences_window_new (settings, fixture->store);
  GtkWidget *new_row = meso_test_child (preferences, MESO_TYPE_PREFERENCES_WINDOW,
                                        "new_practitioner_row");
  GtkWidget *current_row = meso_test_child (preferences, MESO_TYPE_PREFERENCES_WINDOW,
                                            "current_row");
  g_auto(GStrv) names = NULL;
  g_autofree char *current = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) everyone = NULL;
  g_autoptr(MesoPractitioner) roux = NULL;
  g_autoptr(GtkWidget) role_row = NULL;
  GtkWidget *box;

  gtk_window_present (GTK_WINDOW (preferences));
  apply_and_wait (new_row, "Dr Roux");
  apply_and_wait (new_row, "Nurse Diaz");
  apply_and_wait (new_row, "Dr Roux");  /* once only */
  names = active_practitioners (fixture->store);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[1], ==, "Nurse Diaz");
  /* The name refused stays to be corrected, its row marked. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (new_row)), ==, "Dr Roux");
  g_assert_true (gtk_widget_has_css_class (new_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (new_row), "");
  wait_for_named (preferences, GTK_TYPE_BUTTON, "Nurse Diaz", TRUE);

  /* A role, applied in the practitioner's own row (held: the list is read again after). */
  role_row = g_object_ref (find_named (preferences, ADW_TYPE_ENTRY_ROW, "role"));
  apply_and_wait (role_row, "physician");
  g_assert_false (gtk_widget_has_css_class (role_row, "error"));
  everyone = meso_store_list_practitioners (fixture->store, TRUE, NULL);
  roux = g_object_ref (g_ptr_array_index (everyone, 0));
  g_assert_cmpstr (meso_practitioner_get_name (roux), ==, "Dr Roux");
  g_assert_cmpstr (meso_practitioner_get_role (roux), ==, "physician");

  adw_combo_row_set_selected (ADW_COMBO_ROW (current_row), 2);
  current = g_settings_get_string (settings, "current-practitioner");
  g_assert_cmpstr (current, ==, "Nurse Diaz");
  adw_combo_row_set_selected (ADW_COMBO_ROW (meso_test_child (preferences,
                                                              MESO_TYPE_PREFERENCES_WINDOW,
                                                              "language_row")), 2);

  /* Taking a name off the list leaves the other, and the chair's choice; the name stays
   * in the database, retired. */
  apply_and_wait (new_row, "Dr Blanc");
  g_assert_false (gtk_widget_has_css_class (new_row, "error"));
  wait_for_named (preferences, GTK_TYPE_BUTTON, "Dr Blanc", TRUE);
  g_signal_emit_by_name (find_named (preferences, GTK_TYPE_BUTTON, "Dr Blanc"), "clicked");
  wait_for_named (preferences, GTK_TYPE_BUTTON, "Dr Blanc", FALSE);
  g_clear_pointer (&names, g_strfreev);
  names = active_practitioners (fixture->store);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_null (find_named (preferences, GTK_TYPE_BUTTON, "Dr Blanc"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (current_row)), ==, 2);
  g_clear_pointer (&everyone, g_ptr_array_unref);
  everyone = meso_store_list_practitioners (fixture->store, FALSE, NULL);
  g_assert_cmpuint (everyone->len, ==, 3);
  gtk_window_destroy (GTK_WINDOW (preferences));
  drain_events ();

  /* The next session: the chair's practitioner and Spanish, already filled in; the
   * clinic's practitioners offered, one tap each. */
  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture,
                                                                      "practitioner_entry"))),
                   ==, "Nurse Diaz");
  box = editor_child (fixture, "practitioners_box");
  wait_for_named (box, GTK_TYPE_BUTTON, "Nurse Diaz", TRUE);
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_null (find_named (box, GTK_TYPE_BUTTON, "Dr Blanc"));
  g_assert_nonnull (find_named (box, GTK_TYPE_BUTTON, "Nurse Diaz"));
  g_signal_emit_by_name (find_named (box, GTK_TYPE_BUTTON, "Dr Roux"), "clicked");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture,
                                                                      "practitioner_entry"))),
                   ==, "Dr Roux");
  fill_form (fixture, "Ann", "face", "10", "10");
  click_save (fixture);
  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpstr (meso_session_get_practitioner (g_ptr_array_index (sessions, 0)), ==,
                   "Dr Roux");
  g_assert_cmpstr (meso_session_get_language (g_ptr_array_index (sessions, 0)), ==, "es");

  g_settings_reset (settings, "current-practitioner");
  g_settings_reset (settings, "default-language");
  drain_events ();
}

/* ---- The window while another process holds the database ---- */

typedef struct
{
  GtkWidget  *entry;
  KeySym      key;
  const char *text;    /* what the entry holds once the key is in */
} Typing;

static void
send_key (Typing *typing)
{
  meso_test_xtest_type_key (typing->entry, NoSymbol, typing->key);
}

static gboolean
has_key_arrived (gpointer data)
{
  Typing *typing = data;

  if (strstr (gtk_editable_get_text (GTK_EDITABLE (typing->entry)), typing->text) != NULL)
    return TRUE;
  /* The other UI tests' windows share the screen, and one shown takes the X focus: if
   * it did before the key came, the key is typed again. */
  if (!meso_test_xtest_has_focus (typing->entry))
    send_key (typing);
  return FALSE;
}

typedef struct
{
  guint ticks;   /* of a timer */
  guint frames;  /* of the window's frame clock */
} Liveness;

static gboolean
on_live_timeout_cb (gpointer data)
{
  ((Liveness *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_live_frame_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  ((Liveness *) data)->frames++;
  return G_SOURCE_CONTINUE;
}

static gboolean
is_lively (gpointer data)
{
  Liveness *live = data;

  return live->ticks >= 10 && live->frames >= 10;
}

static void
on_store_debug_cb (const char     *domain,
                   GLogLevelFlags  level,
                   const char     *message,
                   gpointer        user_data)
{
  if (strstr (message, MESO_TEST_STORE_WAITS) != NULL)
    g_atomic_int_set ((int *) user_data, TRUE);
}

static gboolean
is_flag_set (gpointer data)
{
  return g_atomic_int_get ((int *) data);
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if ((GTK_IS_LABEL (c) && g_str_equal (gtk_label_get_text (GTK_LABEL (c)), text))
        || shows_label (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
shows_saved_toast (gpointer data)
{
  return shows_label (data, "Session saved");
}

static gboolean
shows_no_saved_toast (gpointer data)
{
  return !shows_saved_toast (data);
}

/* Another process holds the write lock while a session is saved: the save waits for
 * it, but the window does not. The form says it is saving and cannot be saved twice;
 * timers fire, frames are drawn, and a key typed on the other side of the window
 * reaches its entry. When the lock is let go, the session is saved and said so. */
static void
test_responsive_while_locked (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(MesoStore) other = meso_test_open_store (meso_store_get_path (fixture->store));
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *save = editor_child (fixture, "save_button");
  GtkWidget *today = meso_window_get_page (fixture->window, "today");
  Typing typing = { meso_test_child (today, MESO_TYPE_TODAY_PAGE, "search_entry"), XK_x, "x" };
  g_autoptr(GSubprocess) holder = NULL;
  Liveness live = { 0, 0 };
  int waiting = FALSE;
  guint handler, timeout, tick;

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (window)))
    {
      g_test_skip ("The keys are typed through X11’s XTest");
      return;
    }

  /* A first session, whose toast is in the way of the second one's. */
  fill_form (fixture, "Ann Smith", "face", "100", "30");
  click_save (fixture);
  wait_for_document (fixture);
  /* Its toast goes first, so that the second one's can be told. */
  meso_test_wait_for (shows_no_saved_toast, window, "the first “Session saved” to go");

  holder = meso_test_hold_write_lock (meso_store_get_path (fixture->store));
  handler = g_log_set_handler (MESO_TEST_STORE_DEBUG, G_LOG_LEVEL_DEBUG, on_store_debug_cb,
                               &waiting);
  fill_form (fixture, "Bea Jones", "scalp", "20", "15");
  g_signal_emit_by_name (save, "clicked");
  meso_test_wait_for (is_flag_set, &waiting, "the save to wait for the other process");
  g_log_remove_handler (MESO_TEST_STORE_DEBUG, handler);

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "Saving…");
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_false (action_enabled (fixture, "save"));

  timeout = g_timeout_add (10, on_live_timeout_cb, &live);
  tick = gtk_widget_add_tick_callback (window, on_live_frame_cb, &live, NULL);
  meso_test_wait_for (is_lively, &live, "timer ticks and frames while the save waits");
  /* Today's search, on the other side of the window from the form. */
  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", "today"));
  gtk_widget_grab_focus (typing.entry);
  send_key (&typing);
  meso_test_wait_for (has_key_arrived, &typing, "a key typed to reach its entry");
  g_source_remove (timeout);
  gtk_widget_remove_tick_callback (window, tick);
  g_assert_true (gtk_widget_activate_action (window, "win.show-page", "s", "record"));

  /* All that while the save waited. */
  g_assert_cmpint (meso_store_count_sessions (other, NULL), ==, 1);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "Saving…");

  meso_test_release_write_lock (holder);
  meso_test_wait_for (is_save_done, fixture, "the save to be done once the lock is let go");
  meso_test_wait_for (shows_saved_toast, window, "“Session saved”");
  g_assert_cmpint (meso_store_count_sessions (other, NULL), ==, 2);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "Save");
  g_assert_true (gtk_widget_is_sensitive (save));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "patient_entry"))),
                   ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-ui-home-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/save-session", test_save_session, NULL);
  ADD ("/ui/complete-record", test_complete_record, NULL);
  ADD ("/ui/pregnancy-override", test_pregnancy_override, NULL);
  ADD ("/ui/timer-fills-duration", test_timer_fills_duration, NULL);
  ADD ("/ui/expired-lot-flagged", test_expired_lot_flagged, NULL);
  ADD ("/ui/patient-search", test_patient_search, NULL);
  ADD ("/ui/recent-lots-offered", test_recent_lots_offered, NULL);
  ADD ("/ui/lots-from-another-workstation", test_lots_from_another_workstation, NULL);
  ADD ("/ui/area-map-in-step", test_area_map_in_step, NULL);
  ADD ("/ui/practitioners-and-defaults", test_practitioners_and_defaults, NULL);
  ADD ("/ui/error-focuses-field", test_error_focuses_field, NULL);
  ADD ("/ui/print-exports-sheet", test_print_exports_sheet, NULL);
  ADD ("/ui/new-session-clears", test_new_session_clears, NULL);
  ADD ("/ui/adjust-sheet", test_adjust_sheet, NULL);
  ADD ("/ui/preferences-reach-the-sheet", test_preferences_reach_the_sheet, NULL);
  ADD ("/ui/responsive-while-locked", test_responsive_while_locked, NULL);
  /* Before the recovery test: its application's own daily backup, finishing late, would
   * be counted here. */
  g_test_add_func ("/ui/backups-from-the-app", test_backups_from_the_app);
  g_test_add_func ("/ui/recovery-restores-backup", test_recovery_restores_backup);
  g_test_add_func ("/ui/damage-found-after-start", test_damage_found_after_start);
  g_test_add_func ("/ui/clinic-carried-over-at-start", test_clinic_carried_over_at_start);
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/invalid-input/%s/%u",
                                               invalid_cases[i].widget, i);

      ADD (path, test_invalid_input, &invalid_cases[i]);
    }

#undef ADD
  return g_test_run ();
}
