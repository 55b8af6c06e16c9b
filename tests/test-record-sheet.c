/* test-record-sheet.c: the Record page's sheet panel, under Xvfb: it always belongs to
 * the form beside it, it opens at the first page, it zooms, it is readable and in reach
 * on a 360×640 screen, and its adjustments sit beside the preview.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-sheet-adjuster.h"
#include "meso-sheet-view.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-test-xtest.h"
#include "meso-clinic-banner.h"
#include "meso-window.h"

typedef struct
{
  int width;
  int height;
} Size;

/* A desktop window, and the narrowest screen: a phone or a tablet in portrait. */
static const Size desktop = { 1280, 900 };
static const Size narrow = { 360, 640 };
static const Size laptop = { 1024, 700 };

typedef struct
{
  char         *dir;
  MesoStore    *store;
  MesoWindow   *window;
  GtkWidget    *record;      /* the Record page */
  GActionGroup *actions;     /* its actions */
  GtkWidget    *editor;
  GtkWidget    *sheet_view;
  AdwWindowTitle *title;     /* the sheet panel's */
} Fixture;

static GtkWidget *
editor_child (Fixture    *fixture,
              const char *name)
{
  return meso_test_child (fixture->editor, MESO_TYPE_SESSION_EDITOR, name);
}

static GtkWidget *
record_child (Fixture    *fixture,
              const char *name)
{
  return meso_test_child (fixture->record, MESO_TYPE_RECORD_PAGE, name);
}

static GtkWidget *
view_child (Fixture    *fixture,
            const char *name)
{
  return meso_test_child (fixture->sheet_view, MESO_TYPE_SHEET_VIEW, name);
}

/* --- Waiting for what is on screen ----------------------------------------------------- */

/* Whether a leaflet of the Record page is still sliding: the window is not at rest. */
static gboolean
is_moving (gpointer data)
{
  Fixture *fixture = data;
  AdwLeaflet *leaflet = ADW_LEAFLET (record_child (fixture, "leaflet"));
  AdwLeaflet *adjuster_leaflet = ADW_LEAFLET (record_child (fixture, "adjuster_leaflet"));

  return adw_leaflet_get_child_transition_running (leaflet)
         || adw_leaflet_get_child_transition_running (adjuster_leaflet);
}

static void
settle (Fixture *fixture)
{
  meso_test_settle (GTK_WIDGET (fixture->window), is_moving, fixture);
}

/* --- The window ------------------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Size *size = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GdkSurface *surface;
  int frame_width, frame_height;

  fixture->dir = g_dir_make_tmp ("mesocare-record-sheet-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->store = meso_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = meso_window_new (NULL, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (fixture->window));

  fixture->record = meso_window_get_page (fixture->window, "record");
  fixture->actions = meso_record_page_get_actions (MESO_RECORD_PAGE (fixture->record));
  fixture->editor = record_child (fixture, "editor");
  fixture->sheet_view = record_child (fixture, "sheet_view");
  fixture->title = ADW_WINDOW_TITLE (record_child (fixture, "sheet_title"));
  settle (fixture);

  /* Without a compositor GTK draws a frame around the window, inside its default size:
   * the window proper is to have the size asked for. */
  surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));
  frame_width = gdk_surface_get_width (surface) - gtk_widget_get_width (GTK_WIDGET (fixture->window));
  frame_height = gdk_surface_get_height (surface) - gtk_widget_get_height (GTK_WIDGET (fixture->window));
  if (frame_width > 0 || frame_height > 0)
    {
      gtk_window_set_default_size (GTK_WINDOW (fixture->window),
                                   size->width + MAX (frame_width, 0),
                                   size->height + MAX (frame_height, 0));
      settle (fixture);
    }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, size->width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), ==, size->height);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  meso_test_drop_store_and_dir (&fixture->store, &fixture->dir);
}

/* --- Saving a session through the form ------------------------------------------------- */

static GtkWidget *
area_button (Fixture    *fixture,
             const char *area_id)
{
  return meso_test_area_button (fixture->editor, area_id);
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

static gboolean
has_document (gpointer data)
{
  return meso_sheet_view_has_document (MESO_SHEET_VIEW (data));
}

/* Saves @patient's session, several areas long enough for a sheet of two pages, and
 * waits for its sheet, rendered in a worker thread, to be on screen. */
static void
save_session (Fixture    *fixture,
              const char *patient)
{
  const char *areas[] = { "face", "scalp", "neck", "abdomen" };
  GtkWidget *save = editor_child (fixture, "save_button");
  gint64 before = meso_store_count_sessions (fixture->store, NULL);

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), patient);
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (fixture, areas[i])), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "injections_spin")), "120");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "duration_spin")), "30");
  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  meso_test_wait_for (is_save_done, fixture, "the save to be done");
  g_assert_cmpint (meso_store_count_sessions (fixture->store, NULL), ==, before + 1);
  meso_test_wait_for (has_document, fixture->sheet_view, "the sheet to be shown");
  settle (fixture);
}

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

/* The panel names the patient whose sheet it shows, and it can be printed. */
static void
assert_sheet_of (Fixture    *fixture,
                 const char *patient)
{
  g_autofree char *title = g_strdup_printf ("Sheet of %s", patient);

  g_assert_cmpstr (adw_window_title_get_title (fixture->title), ==, title);
  g_assert_true (contains (adw_window_title_get_subtitle (fixture->title), "Saved at "));
  g_assert_null (meso_sheet_view_get_stale_notice (MESO_SHEET_VIEW (fixture->sheet_view)));
  g_assert_true (action_enabled (fixture, "print"));
  g_assert_true (action_enabled (fixture, "save-pdf"));
  g_assert_true (action_enabled (fixture, "adjust-sheet"));
}

/* The panel plainly says its sheet is @previous's, not the form's, and it can be
 * neither printed nor adjusted from here. */
static void
assert_previous_sheet (Fixture    *fixture,
                       const char *previous,
                       const char *typed)
{
  const char *notice = meso_sheet_view_get_stale_notice (MESO_SHEET_VIEW (fixture->sheet_view));

  g_assert_false (action_enabled (fixture, "print"));
  g_assert_false (action_enabled (fixture, "save-pdf"));
  g_assert_false (action_enabled (fixture, "adjust-sheet"));
  g_assert_true (contains (adw_window_title_get_title (fixture->title), previous));
  g_assert_true (contains (adw_window_title_get_subtitle (fixture->title),
                           "not the form beside it"));
  if (typed != NULL)
    {
      g_assert_false (contains (adw_window_title_get_title (fixture->title), typed));
      g_assert_false (contains (notice, typed));
    }
  g_assert_true (contains (notice, previous));
  g_assert_true (contains (notice, "not the form beside it"));
  g_assert_true (gtk_widget_get_mapped (view_child (fixture, "stale_label")));
}

/* --- The sheet belongs to the form ------------------------------------------------------ */

/* The first letter of the next patient's name: the sheet beside it is the previous
 * patient's, and says so; Print and Save as PDF are off. */
static void
test_second_patient_typed (Fixture       *fixture,
                           gconstpointer  data)
{
  save_session (fixture, "Ann Smith");
  assert_sheet_of (fixture, "Ann Smith");

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), "B");
  assert_previous_sheet (fixture, "Ann Smith", NULL);
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), "Bob Jones");
  assert_previous_sheet (fixture, "Ann Smith", "Bob");

  /* Saved, the sheet is the form's again: Bob's. */
  save_session (fixture, "Bob Jones");
  assert_sheet_of (fixture, "Bob Jones");
}

/* New Session, even on a form left empty. */
static void
test_new_session_started (Fixture       *fixture,
                          gconstpointer  data)
{
  save_session (fixture, "Ann Smith");
  assert_sheet_of (fixture, "Ann Smith");
  g_action_group_activate_action (fixture->actions, "new-session", NULL);
  assert_previous_sheet (fixture, "Ann Smith", NULL);
}

/* A patient's next session, from their page. */
static void
test_next_session_started (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) sessions = NULL;

  save_session (fixture, "Ann Smith");
  assert_sheet_of (fixture, "Ann Smith");
  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  g_assert_true (meso_record_page_start_for (MESO_RECORD_PAGE (fixture->record),
                                             g_ptr_array_index (sessions, 0), 2));
  assert_previous_sheet (fixture, "Ann Smith", NULL);
}

/* The previous sheet was read down to its last page; the next one saved opens at its
 * first, where its patient's name is, and the panel's title names them. */
static void
test_next_sheet_at_first_page (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (view_child (fixture, "scroller"));
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (scroller);
  double bottom;

  save_session (fixture, "Ann Smith");
  bottom = gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment);
  g_test_message ("the sheet is %g px long, %g shown",
                  gtk_adjustment_get_upper (vadjustment),
                  gtk_adjustment_get_page_size (vadjustment));
  g_assert_cmpfloat (bottom, >, 100);
  gtk_adjustment_set_value (vadjustment, bottom);
  settle (fixture);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==, bottom);

  save_session (fixture, "Bob Jones");
  assert_sheet_of (fixture, "Bob Jones");
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), ==,
                     gtk_adjustment_get_lower (vadjustment));
}

/* --- Zoom ------------------------------------------------------------------------------ */

static GtkWidget *
first_page (Fixture *fixture)
{
  GtkWidget *page = gtk_widget_get_first_child (view_child (fixture, "pages_box"));

  g_assert_nonnull (page);
  return page;
}

/* The page's width on screen, as laid out and drawn. */
static int
page_width (Fixture *fixture)
{
  settle (fixture);
  return gtk_widget_get_width (first_page (fixture));
}

static void
zoom (Fixture    *fixture,
      const char *action)
{
  g_assert_true (gtk_widget_activate_action (fixture->sheet_view, action, NULL));
}

/* --- Keys typed through the X server, as a user types them ------------------------------ */

typedef struct
{
  Fixture *fixture;
  KeySym   key;       /* typed with Ctrl */
  int      before;    /* the page's width before */
  int      expected;  /* its width once the key has done its work, or 0 for any other */
} Shortcut;

static void
send_shortcut (Shortcut *shortcut)
{
  meso_test_xtest_type_key (GTK_WIDGET (shortcut->fixture->window), XK_Control_L, shortcut->key);
}

static gboolean
has_shortcut_worked (gpointer data)
{
  Shortcut *shortcut = data;
  int width = gtk_widget_get_width (first_page (shortcut->fixture));

  if (shortcut->expected > 0 ? width == shortcut->expected : width != shortcut->before)
    return TRUE;
  /* Another UI test's window, shown meanwhile, takes the X focus: the keys went there,
   * and are typed again. */
  if (!meso_test_xtest_has_focus (GTK_WIDGET (shortcut->fixture->window)))
    send_shortcut (shortcut);
  return FALSE;
}

/* Ctrl+@key typed with the focus in the sheet panel; returns the page's width after. */
static int
type_shortcut (Fixture *fixture,
               KeySym   key,
               int      expected)
{
  Shortcut shortcut = { fixture, key, gtk_widget_get_width (first_page (fixture)), expected };
  g_autofree char *what = g_strdup_printf ("Ctrl+%s to zoom the sheet", XKeysymToString (key));

  send_shortcut (&shortcut);
  meso_test_wait_for (has_shortcut_worked, &shortcut, what);
  return page_width (fixture);
}

/* The same with the keys: Ctrl+plus (Ctrl+equal, the key it is on) typed in the form
 * beside the sheet, then Ctrl+minus and Ctrl+0 from the sheet panel's buttons. */
static void
test_zoom_keys (Fixture       *fixture,
                gconstpointer  data)
{
  int fit, larger;

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (GTK_WIDGET (fixture->window))))
    {
      g_test_skip ("The keys are typed through X11’s XTest");
      return;
    }
  save_session (fixture, "Ann Smith");
  fit = page_width (fixture);
  g_assert_true (gtk_widget_grab_focus (editor_child (fixture, "patient_entry")));
  larger = type_shortcut (fixture, XK_equal, 0);
  g_assert_cmpint (larger, >, fit);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, "patient_entry"))),
                   ==, "");

  g_assert_true (gtk_widget_grab_focus (view_child (fixture, "zoom_in_button")));
  g_assert_cmpint (type_shortcut (fixture, XK_minus, 0), <, larger);
  g_assert_cmpint (type_shortcut (fixture, XK_0, fit), ==, fit);
}

/* Fit to the width by default; each step in or out changes the page's size on screen;
 * fit width again fills the panel. */
static void
test_zoom (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *scroller = view_child (fixture, "scroller");
  int fit, larger, smaller;

  save_session (fixture, "Ann Smith");
  /* Both ways are open from the width. */
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "zoom_in_button")));
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "zoom_out_button")));
  fit = page_width (fixture);
  g_assert_cmpfloat (meso_sheet_view_get_zoom (MESO_SHEET_VIEW (fixture->sheet_view)), ==, 0);
  /* The panel's width, less the pages' margins. */
  g_assert_cmpint (fit, ==, gtk_widget_get_width (scroller) - 2 * 18);

  zoom (fixture, "sheet.zoom-in");
  larger = page_width (fixture);
  g_test_message ("fit: %d px; zoomed in: %d px", fit, larger);
  g_assert_cmpint (larger, >=, fit * 1.2);
  g_assert_cmpfloat (meso_sheet_view_get_scale (MESO_SHEET_VIEW (fixture->sheet_view)), >, 0);

  zoom (fixture, "sheet.zoom-out");
  zoom (fixture, "sheet.zoom-out");
  smaller = page_width (fixture);
  g_test_message ("zoomed out twice: %d px", smaller);
  g_assert_cmpint (smaller, <, fit);

  zoom (fixture, "sheet.zoom-fit");
  g_assert_cmpint (page_width (fixture), ==, fit);
  g_assert_cmpfloat (meso_sheet_view_get_zoom (MESO_SHEET_VIEW (fixture->sheet_view)), ==, 0);
}

static gboolean
is_banner_hidden (gpointer data)
{
  GtkWidget *slot = meso_test_child (data, MESO_TYPE_WINDOW, "banner_slot");

  return !meso_clinic_banner_get_shown (MESO_CLINIC_BANNER (adw_bin_get_child (ADW_BIN (slot))));
}

/* The clinic set up, as from another workstation: the first start's question, above the
 * pages, is gone. */
static void
set_up_clinic (Fixture *fixture)
{
  g_autoptr(MesoStore) other = meso_test_open_store (meso_store_get_path (fixture->store));
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(GError) error = NULL;

  meso_clinic_set_name (clinic, "Clinique Lumen");
  meso_clinic_set_phone (clinic, "+33 1 23 45 67 89");
  meso_store_set_clinic (other, clinic, MESO_CLINIC_NAME | MESO_CLINIC_PHONE, &error);
  g_assert_no_error (error);
  meso_test_wait_for (is_banner_hidden, fixture->window, "the clinic's question gone");
}

/* On a 360×640 screen the sheet is shown across the panel's width, and can be zoomed
 * until its words are of a size to read (10.5 pt body text at 1.5 is 21 px high: its
 * letters about 10 px), the preview then scrolling sideways. */
static void
test_readable_when_narrow (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *scroller = view_child (fixture, "scroller");
  GtkAdjustment *hadjustment;
  GtkWidget *page;

  /* The clinic in use, as the phone is where it is asked for at the first start. */
  set_up_clinic (fixture);
  save_session (fixture, "Ann Smith");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (ADW_LEAFLET (record_child (fixture,
                                                                                  "leaflet"))),
                   ==, "sheet");
  page = first_page (fixture);
  g_test_message ("the preview is %dx%d, its first page %dx%d",
                  gtk_widget_get_width (scroller), gtk_widget_get_height (scroller),
                  gtk_widget_get_width (page), gtk_widget_get_height (page));
  g_assert_cmpint (gtk_widget_get_width (page), ==, gtk_widget_get_width (scroller) - 2 * 18);
  g_assert_cmpint (gtk_widget_get_width (scroller), ==, 360);
  g_assert_cmpint (gtk_widget_get_height (scroller), >=, 640 / 2);

  for (guint i = 0; i < 6 && meso_sheet_view_get_scale (MESO_SHEET_VIEW (fixture->sheet_view)) < 1.5; i++)
    zoom (fixture, "sheet.zoom-in");
  g_test_message ("zoomed to %g: the page is %d px wide",
                  meso_sheet_view_get_scale (MESO_SHEET_VIEW (fixture->sheet_view)),
                  page_width (fixture));
  g_assert_cmpfloat (meso_sheet_view_get_scale (MESO_SHEET_VIEW (fixture->sheet_view)), >=, 1.5);
  g_assert_cmpint (page_width (fixture), >=, 595 * 1.5 - 1);
  hadjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >,
                     gtk_adjustment_get_page_size (hadjustment));
  /* The buttons that hand the sheet out stay on screen. */
  g_assert_true (gtk_widget_get_mapped (view_child (fixture, "print_button")));
  g_assert_cmpint (gtk_widget_get_width (fixture->sheet_view), ==, 360);
}

/* --- The adjustments ---------------------------------------------------------------- */

typedef struct
{
  GtkWidget  *adjuster;
  AdwLeaflet *leaflet;
  gboolean    adjusting;
} AdjustWait;

/* On screen or gone, and still: beside the preview, or a page of their own. */
static gboolean
has_adjusting (gpointer data)
{
  AdjustWait *wait = data;

  return gtk_widget_get_mapped (wait->adjuster) == wait->adjusting
         && !adw_leaflet_get_child_transition_running (wait->leaflet);
}

static void
set_adjusting (Fixture  *fixture,
               gboolean  adjusting)
{
  AdjustWait wait = { record_child (fixture, "adjuster"),
                      ADW_LEAFLET (record_child (fixture, "adjuster_leaflet")), adjusting };

  g_action_group_change_action_state (fixture->actions, "adjust-sheet",
                                      g_variant_new_boolean (adjusting));
  meso_test_wait_for (has_adjusting, &wait,
                      adjusting ? "the adjustments to be all in" : "the adjustments to be all out");
  settle (fixture);
}

static char *
text_view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The words of every piece of advice, as the adjustments show them, by rule. */
static void
collect_advice (GtkWidget  *widget,
                GHashTable *advice)
{
  if (GTK_IS_TEXT_VIEW (widget))
    g_hash_table_insert (advice, g_strdup (gtk_widget_get_name (widget)), text_view_text (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_advice (c, advice);
}

/* Session 3 of a series of 6: its sheet says so, in words with the numbers put in. The
 * adjustments show the advice that way, each in a field of several lines, beside the
 * preview, never over it. */
static void
test_adjustments_beside (Fixture       *fixture,
                         gconstpointer  data)
{
  const Size *size = data;
  GtkWidget *adjuster = record_child (fixture, "adjuster");
  g_autoptr(GHashTable) advice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  graphene_rect_t adjuster_bounds, preview_bounds, overlap;
  GHashTableIter iter;
  gpointer rule, words;
  GtkWidget *view;

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "session_number_spin")), "3");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "series_total_spin")), "6");
  save_session (fixture, "Ann Smith");
  set_adjusting (fixture, TRUE);
  g_assert_true (gtk_widget_get_mapped (adjuster));

  collect_advice (adjuster, advice);
  g_assert_cmpuint (g_hash_table_size (advice), >, 3);
  g_hash_table_iter_init (&iter, advice);
  while (g_hash_table_iter_next (&iter, &rule, &words))
    if (strchr (words, '{') != NULL)
      g_test_fail_printf ("the advice %s reads “%s”", (char *) rule, (char *) words);
  g_assert_cmpstr (g_hash_table_lookup (advice, "series"), ==, "This was session 3 of 6.");

  /* A long piece of advice takes several lines. */
  view = NULL;
  for (GtkWidget *w = adjuster; w != NULL && view == NULL; )
    {
      if (GTK_IS_TEXT_VIEW (w) && g_str_equal (gtk_widget_get_name (w), "series"))
        view = w;
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != adjuster && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w != adjuster ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (view);
  g_assert_true (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (view)) != GTK_WRAP_NONE);

  /* Beside the preview: the two do not overlap. At the narrowest, the adjustments are a
   * page of their own, the preview one step back. */
  g_assert_true (gtk_widget_compute_bounds (adjuster, GTK_WIDGET (fixture->window),
                                            &adjuster_bounds));
  g_test_message ("the adjustments at %g,%g %gx%g", adjuster_bounds.origin.x,
                  adjuster_bounds.origin.y, adjuster_bounds.size.width,
                  adjuster_bounds.size.height);
  if (gtk_widget_get_mapped (fixture->sheet_view))
    {
      g_assert_true (gtk_widget_compute_bounds (fixture->sheet_view,
                                                GTK_WIDGET (fixture->window), &preview_bounds));
      g_test_message ("the preview at %g,%g %gx%g", preview_bounds.origin.x,
                      preview_bounds.origin.y, preview_bounds.size.width,
                      preview_bounds.size.height);
      if (graphene_rect_intersection (&adjuster_bounds, &preview_bounds, &overlap))
        g_assert_cmpfloat (overlap.size.width * overlap.size.height, <, 1);
    }
  else
    g_assert_true (adw_leaflet_get_folded (ADW_LEAFLET (record_child (fixture,
                                                                      "adjuster_leaflet"))));
  g_assert_cmpint (adjuster_bounds.origin.x + adjuster_bounds.size.width, <=, size->width);

  /* Done (or Adjust) goes back to the preview. */
  set_adjusting (fixture, FALSE);
  g_assert_true (gtk_widget_get_mapped (fixture->sheet_view));
}

/* --- The toasts ------------------------------------------------------------------------ */

/* The toast saying @text, as laid out: the child of the window's toast overlay that
 * holds its label, or %NULL when none is shown. */
static GtkWidget *
find_toast (GtkWidget  *widget,
            const char *text)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_LABEL (c) && g_str_equal (gtk_label_get_text (GTK_LABEL (c)), text))
        return c;
      if ((found = find_toast (c, text)) != NULL)
        return ADW_IS_TOAST_OVERLAY (widget) ? c : found;
    }
  return NULL;
}

typedef struct
{
  Fixture   *fixture;
  GtkWidget *toast;
} ToastWait;

static gboolean
shows_toast (gpointer data)
{
  ToastWait *wait = data;

  wait->toast = find_toast (GTK_WIDGET (wait->fixture->window), "Session saved");
  return wait->toast != NULL && gtk_widget_get_mapped (wait->toast)
         && !GTK_IS_LABEL (wait->toast);
}

static void
assert_not_covered (GtkWidget             *button,
                    const graphene_rect_t *toast)
{
  graphene_rect_t bounds, overlap;

  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_compute_bounds (button, gtk_widget_get_ancestor (button,
                                                                             GTK_TYPE_WINDOW),
                                            &bounds));
  g_test_message ("%s at %g,%g %gx%g", gtk_button_get_label (GTK_BUTTON (button)),
                  bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height);
  if (graphene_rect_intersection (&bounds, toast, &overlap)
      && overlap.size.width * overlap.size.height >= 1)
    g_test_fail_printf ("the toast covers %s", gtk_button_get_label (GTK_BUTTON (button)));
}

/* A session saved on a 360×640 screen: the sheet comes in front, with its toast at the
 * foot of the window; Adjust, Save as PDF and Print stay uncovered. */
static void
test_toast_leaves_buttons (Fixture       *fixture,
                           gconstpointer  data)
{
  ToastWait wait = { fixture, NULL };
  graphene_rect_t toast;

  save_session (fixture, "Ann Smith");
  /* Said again, in case the first one has gone on a slow machine. */
  meso_window_show_toast (fixture->window, "Session saved");
  meso_test_wait_for (shows_toast, &wait, "the toast to be shown");
  g_assert_true (gtk_widget_compute_bounds (wait.toast, GTK_WIDGET (fixture->window), &toast));
  g_test_message ("the toast at %g,%g %gx%g", toast.origin.x, toast.origin.y,
                  toast.size.width, toast.size.height);
  g_assert_cmpfloat (toast.size.width * toast.size.height, >, 0);
  assert_not_covered (view_child (fixture, "adjust_button"), &toast);
  assert_not_covered (view_child (fixture, "save_pdf_button"), &toast);
  assert_not_covered (view_child (fixture, "print_button"), &toast);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-record-sheet-home-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* The window is looked at at rest: transitions end at once (see test-layout.c). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func, size) \
  g_test_add (path, Fixture, size, fixture_set_up, func, fixture_tear_down)

  /* "xtest" as an argument: the case typing through XTest, which meson runs alone;
   * without it, the others. */
  if (argc > 1 && g_str_equal (argv[argc - 1], "xtest"))
    {
      ADD ("/record-sheet/zoom-keys", test_zoom_keys, &desktop);
      return g_test_run ();
    }
  ADD ("/record-sheet/second-patient-typed", test_second_patient_typed, &desktop);
  ADD ("/record-sheet/new-session-started", test_new_session_started, &desktop);
  ADD ("/record-sheet/next-session-started", test_next_session_started, &desktop);
  ADD ("/record-sheet/next-sheet-at-first-page", test_next_sheet_at_first_page, &desktop);
  ADD ("/record-sheet/zoom", test_zoom, &desktop);
  ADD ("/record-sheet/360x640/readable", test_readable_when_narrow, &narrow);
  ADD ("/record-sheet/adjustments-beside", test_adjustments_beside, &desktop);
  ADD ("/record-sheet/1024x700/adjustments-beside", test_adjustments_beside, &laptop);
  ADD ("/record-sheet/360x640/adjustments-beside", test_adjustments_beside, &narrow);
  ADD ("/record-sheet/360x640/toast-leaves-buttons", test_toast_leaves_buttons, &narrow);

#undef ADD
  return g_test_run ();
}
