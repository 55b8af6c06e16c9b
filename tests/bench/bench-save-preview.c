/* bench-save-preview.c: from Save to the sheet shown, in the real window, against the
 * same window showing a sheet of the same session directly
 *
 *   bench-save-preview [--rounds N] [--warmups N]
 *
 * The window runs in this process on a temporary store, under a display (xvfb-run, as
 * the ui suite; without one it exits 77). Each round fills the form through its widgets
 * with a typical visit and emits "clicked" on Save, as test-ui.c does, then times until
 * the sheet view has its document: the session validated and written (its transaction
 * waits for the disk), the form cleared, the sheet rendered off the main thread and read
 * by poppler. The floor: meso_sheet_view_set_sheet() in the same window with the sheet
 * the window makes of the session just saved (the clinic's details, the stored
 * adjustments), until the view has its document: the rendering alone.
 *
 * Prints one line (see bench_report()); fails only when it cannot measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"
#include "meso-record-page.h"
#include "meso-settings.h"
#include "meso-sheet-view.h"
#include "meso-sheet.h"
#include "meso-store.h"
#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-test-util.h"
#include "meso-window.h"

#define WAIT_LIMIT_S 20

typedef struct
{
  MesoStore  *store;
  MesoRules  *rules;
  GSettings  *settings;   /* NULL without the schema: the window does without too */
  MesoWindow *window;
  GtkWidget  *editor;
  GtkWidget  *sheet_view;
} SaveBench;

static const char *private_dir;  /* bench_make_private_dir() */

static GtkWidget *
template_child (GtkWidget  *widget,
                GType       type,
                const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  if (object == NULL)
    bench_fail ("the window has no %s", name);
  return GTK_WIDGET (object);
}

static GtkWidget *
editor_child (SaveBench  *bench,
              const char *name)
{
  return template_child (bench->editor, MESO_TYPE_SESSION_EDITOR, name);
}

static GtkWidget *
area_button (SaveBench  *bench,
             const char *area_id)
{
  GtkWidget *box = editor_child (bench, "areas_box");

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (g_str_equal (gtk_widget_get_name (button), area_id))
        return button;
    }
  bench_fail ("no button for the area %s", area_id);
}

static void
type_text (SaveBench  *bench,
           const char *widget,
           const char *text)
{
  GtkWidget *w = editor_child (bench, widget);

  if (GTK_IS_TEXT_VIEW (w))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (w), text);
}

/* The typical visit of the sheet benchmarks (bench_make_session()), typed in. */
static void
fill_form (SaveBench *bench)
{
  type_text (bench, "patient_entry", "Claire Martin");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (bench, "face")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (bench, "neck")), TRUE);
  type_text (bench, "injections_spin", "120");
  type_text (bench, "duration_spin", "35");
  type_text (bench, "product_entry", "Hyaluronic acid 1.2% with vitamin complex");
  type_text (bench, "lot_entry", "HA-2403-117");
  type_text (bench, "next_session_entry", "2031-04-09");
  type_text (bench, "instructions_view", "Sleep on your back for the first two nights.\n"
                                         "No facial massage or gua sha until your next session.");
}

/* Whatever one run left to do (redraws, the toast) is done before the next starts. */
static void
settle (SaveBench *bench)
{
  gtk_test_widget_wait_for_draw (GTK_WIDGET (bench->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
has_document (gpointer data)
{
  return meso_sheet_view_has_document (MESO_SHEET_VIEW (data));
}

static gboolean
has_no_document (gpointer data)
{
  return !has_document (data);
}

/* Blocking between events, not spinning: a spinning loop would take one of the
 * machine's cores from the render it measures. */
static void
wait_for_document (SaveBench *bench)
{
  if (!meso_test_wait_until (has_document, bench->sheet_view, WAIT_LIMIT_S))
    bench_fail ("no sheet shown after %d s", WAIT_LIMIT_S);
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
run_save (SaveBench *bench,
          double    *out_ms)
{
  GtkWidget *save = editor_child (bench, "save_button");
  gint64 before = meso_store_count_sessions (bench->store, NULL);
  gint64 start;

  fill_form (bench);
  settle (bench);
  if (!gtk_widget_is_sensitive (save))
    bench_fail ("the Save button is not sensitive");

  start = g_get_monotonic_time ();
  g_signal_emit_by_name (save, "clicked");
  /* The session is saved on the store's worker thread; the view drops the sheet it
   * showed as the new one starts. One still shown after the wait means that nothing was
   * saved. */
  if (!meso_test_wait_until (has_no_document, bench->sheet_view, WAIT_LIMIT_S))
    bench_fail ("Save showed no new sheet after %d s", WAIT_LIMIT_S);
  wait_for_document (bench);
  *out_ms = elapsed_ms (start);

  if (meso_store_count_sessions (bench->store, NULL) != before + 1)
    bench_fail ("Save did not store the session");
  settle (bench);
  return TRUE;
}

/* The sheet the window shows for the newest session, as meso-window.c makes it. */
static MesoSheet *
newest_sheet (SaveBench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = meso_store_list_sessions (bench->store, &error);
  g_autoptr(MesoAdjustments) adjustments = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  MesoSession *session;
  MesoSheet *sheet;

  if (sessions == NULL || sessions->len == 0)
    bench_fail ("no session to show: %s", error != NULL ? error->message : "none saved");
  session = g_ptr_array_index (sessions, 0);
  adjustments = meso_store_get_adjustments (bench->store, meso_session_get_id (session), &error);
  if (adjustments == NULL)
    bench_fail ("%s", error->message);
  clinic = meso_store_get_clinic (bench->store, &error);
  if (clinic == NULL)
    bench_fail ("%s", error->message);
  sheet = meso_sheet_new (session, bench->rules);
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_paper (sheet, meso_settings_get_paper (bench->settings));
  meso_sheet_set_adjustments (sheet, adjustments);
  return sheet;
}

static gboolean
run_floor (SaveBench *bench,
           double    *out_ms)
{
  g_autoptr(MesoSheet) sheet = newest_sheet (bench);
  gint64 start;

  settle (bench);
  start = g_get_monotonic_time ();
  meso_sheet_view_set_sheet (MESO_SHEET_VIEW (bench->sheet_view), sheet);
  wait_for_document (bench);
  *out_ms = elapsed_ms (start);
  settle (bench);
  return TRUE;
}

/* XDG folders of its own, set before GLib first reads them: the settings and anything
 * the window writes stay out of the real home. */
static void
isolate (void)
{
  const char *variables[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };

  private_dir = bench_make_private_dir ("bench-save-preview-XXXXXX");
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *sub = bench_make_dir (private_dir, variables[i]);

      g_setenv (variables[i], sub, TRUE);
    }
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options = { 0 };
  SaveBench bench = { 0 };
  g_autoptr(GArray) save_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  double first;

  bench_parse_options (&argc, &argv, &options);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("save-to-preview: no display, run under xvfb-run\n");
      return 77;
    }
  isolate ();
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_init ();
  adw_init ();

  db = g_build_filename (private_dir, "mesocare.db", NULL);
  bench.store = meso_store_open (db, &error);
  if (bench.store == NULL)
    bench_fail ("%s", error->message);
  bench.rules = bench_load_rules ();
  bench.settings = meso_settings_new_if_installed ();

  bench.window = g_object_ref_sink (meso_window_new (NULL, bench.store));
  gtk_window_present (GTK_WINDOW (bench.window));
  bench.editor = template_child (meso_window_get_page (bench.window, "record"),
                                 MESO_TYPE_RECORD_PAGE, "editor");
  bench.sheet_view = template_child (meso_window_get_page (bench.window, "record"),
                                     MESO_TYPE_RECORD_PAGE, "sheet_view");
  settle (&bench);

  /* The floor shows the session saved last: there is one before the first round. */
  run_save (&bench, &first);
  for (guint round = 0; round < options.warmups + options.rounds; round++)
    {
      double save_time = 0, floor_time = 0;

      /* Each goes first every other round. */
      if (round % 2 == 0)
        {
          run_save (&bench, &save_time);
          run_floor (&bench, &floor_time);
        }
      else
        {
          run_floor (&bench, &floor_time);
          run_save (&bench, &save_time);
        }
      if (round < options.warmups)
        continue;
      g_array_append_val (save_ms, save_time);
      g_array_append_val (floor_ms, floor_time);
    }

  bench_report ("save-to-preview", save_ms, floor_ms);
  g_print ("save-to-preview pages=%u sessions_in_store=%" G_GINT64_FORMAT "\n",
           meso_sheet_view_get_n_pages (MESO_SHEET_VIEW (bench.sheet_view)),
           meso_store_count_sessions (bench.store, NULL));

  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_clear_object (&bench.window);
  g_clear_object (&bench.settings);
  g_clear_object (&bench.rules);
  g_clear_object (&bench.store);
  return 0;
}
