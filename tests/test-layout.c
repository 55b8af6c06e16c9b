/* test-layout.c: the window at the smallest size it is made for and at a full desktop,
 * under Xvfb: no control cut off, touch targets large enough, the way between the form
 * and the sheet when they are shown one at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-record-page.h"
#include "meso-reports-page.h"
#include "meso-session-editor.h"
#include "meso-sheet-view.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-patient-page.h"
#include "meso-session-page.h"
#include "meso-today-page.h"
#include "meso-window.h"

/* The sizes: a tablet in portrait, and a full desktop. */
typedef struct
{
  int width;
  int height;
} Size;

static const Size narrow = { 360, 640 };
static const Size wide = { 1920, 1080 };

/* What a finger needs. */
#define TOUCH_TARGET 44

typedef struct
{
  char       *dir;
  MesoStore  *store;
  MesoWindow *window;
  GtkWidget  *editor;
  GtkWidget  *sheet_view;
  AdwLeaflet *leaflet;
} Fixture;

/* The Record page's widgets. */
static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return meso_test_child (meso_window_get_page (fixture->window, "record"), MESO_TYPE_RECORD_PAGE,
                          name);
}

static GActionGroup *
record_actions (Fixture *fixture)
{
  return meso_record_page_get_actions (MESO_RECORD_PAGE (meso_window_get_page (fixture->window,
                                                                               "record")));
}

static GtkWidget *
editor_child (Fixture    *fixture,
              const char *name)
{
  return meso_test_child (fixture->editor, MESO_TYPE_SESSION_EDITOR, name);
}

/* The sheet's buttons, by the action they run. */
static GtkWidget *
find_by_action (GtkWidget  *root,
                const char *action)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_ACTIONABLE (c)
          && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (c)), action) == 0)
        return c;
      if ((found = find_by_action (c, action)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_by_tooltip (GtkWidget  *root,
                 const char *tooltip)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (c) && g_strcmp0 (gtk_widget_get_tooltip_text (c), tooltip) == 0)
        return c;
      if ((found = find_by_tooltip (c, tooltip)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
sheet_button (Fixture    *fixture,
              const char *action)
{
  GtkWidget *button = find_by_action (fixture->sheet_view, action);

  g_assert_nonnull (button);
  return button;
}

/* Whether a leaflet is still sliding (the window's, the Record page's): the window is
 * not at rest. */
static gboolean
is_moving (gpointer data)
{
  Fixture *fixture = data;
  AdwLeaflet *adjuster_leaflet = ADW_LEAFLET (window_child (fixture, "adjuster_leaflet"));

  return adw_leaflet_get_child_transition_running (fixture->leaflet)
         || adw_leaflet_get_child_transition_running (adjuster_leaflet);
}

static void
settle (Fixture *fixture)
{
  meso_test_settle (GTK_WIDGET (fixture->window), is_moving, fixture);
}

static char *
widget_id (GtkWidget *widget)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  return g_strdup_printf ("%s %s", G_OBJECT_TYPE_NAME (widget),
                          id != NULL ? id : gtk_widget_get_name (widget));
}

static int
min_width (GtkWidget *widget)
{
  int min;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* Why the window cannot be made @limit wide: the widgets that ask for more, from the
 * window down, then the widest child of the last of them, and its widest child. */
static void
explain_too_wide (GtkWidget *widget,
                  int        limit,
                  GString   *out)
{
  g_autofree char *id = widget_id (widget);
  GtkWidget *widest = NULL;

  g_string_append_printf (out, " %s needs %d px", id, min_width (widget));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_visible (c) && (widest == NULL || min_width (c) > min_width (widest)))
      widest = c;
  if (widest == NULL)
    return;
  if (limit > 0 && min_width (widest) > limit)
    explain_too_wide (widest, limit, out);
  else
    {
      if (limit < -2)
        return;
      g_string_append (out, limit > 0 ? " with its margins and padding; its widest child:" : ", then");
      explain_too_wide (widest, limit > 0 ? -1 : limit - 1, out);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Size *size = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GdkSurface *surface;
  GdkMonitor *monitor;
  GdkRectangle screen;
  int frame_width, frame_height;
  int expected_width = size->width;

  fixture->dir = g_dir_make_tmp ("mesocare-layout-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->store = meso_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = meso_window_new (NULL, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (fixture->window));

  fixture->editor = window_child (fixture, "editor");
  fixture->sheet_view = window_child (fixture, "sheet_view");
  fixture->leaflet = ADW_LEAFLET (window_child (fixture, "leaflet"));
  settle (fixture);

  /* Without a compositor GTK draws a frame around the window, inside its default size:
   * the window proper is to have the size asked for, as on a screen of that size. */
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

  /* The virtual screen is no wider than the desktop and the frame around the window
   * has to fit on it too: a window as wide as the screen will do. */
  monitor = gdk_display_get_monitor_at_surface (gdk_surface_get_display (surface), surface);
  gdk_monitor_get_geometry (monitor, &screen);
  if (size->width + frame_width > screen.width
      && gdk_surface_get_width (surface) == screen.width)
    {
      g_test_message ("the screen is %d px wide: the window is %d", screen.width,
                      gtk_widget_get_width (GTK_WIDGET (fixture->window)));
      expected_width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
    }

  /* The window could be made that small: nothing in it asks for more. */
  if (gtk_widget_get_width (GTK_WIDGET (fixture->window)) != expected_width)
    {
      g_autoptr(GString) why = g_string_new (NULL);

      explain_too_wide (GTK_WIDGET (fixture->window), size->width, why);
      /* On one line, for TAP; the test then stops, and the others still run. */
      g_string_replace (why, "\n", " ", 0);
      g_test_fail_printf ("the window is %d px wide, not %d: something in it asks for more:%s",
                          gtk_widget_get_width (GTK_WIDGET (fixture->window)), size->width,
                          why->str);
      return;
    }
  if (gtk_widget_get_height (GTK_WIDGET (fixture->window)) != size->height)
    g_test_fail_printf ("the window is %d px high, not %d",
                        gtk_widget_get_height (GTK_WIDGET (fixture->window)), size->height);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  meso_test_drop_store_and_dir (&fixture->store, &fixture->dir);
}

/* --- Filling in the form, as test-ui.c does ------------------------------------------ */

static GtkWidget *
area_button (Fixture    *fixture,
             const char *area_id)
{
  return meso_test_area_button (fixture->editor, area_id);
}

static gboolean
has_document (gpointer data)
{
  return meso_sheet_view_has_document (MESO_SHEET_VIEW (data));
}

static gboolean
is_save_done (gpointer data)
{
  return g_action_group_get_action_enabled (record_actions (data), "save");
}

static void
save_session (Fixture *fixture)
{
  GtkWidget *save = editor_child (fixture, "save_button");

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), "Ann Smith");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (area_button (fixture, "face")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "injections_spin")), "80");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "duration_spin")), "30");
  g_assert_true (gtk_widget_is_sensitive (save));
  g_signal_emit_by_name (save, "clicked");
  /* Saved on the store's worker thread: Save is enabled again once it is done. */
  meso_test_wait_for (is_save_done, fixture, "the save to be done");
  g_assert_cmpint (meso_store_count_sessions (fixture->store, NULL), ==, 1);

  /* Rendered in a worker thread. */
  meso_test_wait_for (has_document, fixture->sheet_view, "the sheet to be shown");
  settle (fixture);
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

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
  AdjustWait wait = { window_child (fixture, "adjuster"),
                      ADW_LEAFLET (window_child (fixture, "adjuster_leaflet")), adjusting };

  g_action_group_change_action_state (record_actions (fixture), "adjust-sheet",
                                      g_variant_new_boolean (adjusting));
  meso_test_wait_for (has_adjusting, &wait,
                      adjusting ? "the adjustments to be all in" : "the adjustments to be all out");
  settle (fixture);
}

/* --- Where the controls are ---------------------------------------------------------- */

static gboolean
is_control (GtkWidget *widget)
{
  GType types[] = {
    GTK_TYPE_BUTTON, GTK_TYPE_CHECK_BUTTON, GTK_TYPE_ENTRY, GTK_TYPE_SPIN_BUTTON,
    GTK_TYPE_TEXT_VIEW, GTK_TYPE_MENU_BUTTON, GTK_TYPE_DROP_DOWN, GTK_TYPE_SWITCH,
    GTK_TYPE_SCALE, GTK_TYPE_COMBO_BOX, GTK_TYPE_PASSWORD_ENTRY, GTK_TYPE_SEARCH_ENTRY,
    GTK_TYPE_LINK_BUTTON, GTK_TYPE_COLOR_BUTTON, GTK_TYPE_FONT_BUTTON,
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (widget, types[i]))
      return TRUE;
  return FALSE;
}

static char *
describe (GtkWidget *widget)
{
  const char *label = NULL;
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_BUTTON (widget))
    label = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  else if (GTK_IS_EDITABLE (widget))
    label = gtk_editable_get_text (GTK_EDITABLE (widget));
  return g_strdup_printf ("%s '%s' (name %s%s%s)", G_OBJECT_TYPE_NAME (widget),
                          label != NULL ? label : "", gtk_widget_get_name (widget),
                          tooltip != NULL ? ", tooltip " : "", tooltip != NULL ? tooltip : "");
}

typedef struct
{
  GtkWidget *window;
  GString   *problems;
  guint      n_checked;
} Walk;

/* Every mapped control lies within the window's width, and within its height unless it
 * scrolls: then within its scrolled window's width. */
static void
check_inside (Walk      *walk,
              GtkWidget *widget)
{
  graphene_rect_t bounds, area;
  GtkWidget *scroller;
  g_autofree char *what = NULL;
  gboolean scrolls;

  if (!gtk_widget_compute_bounds (widget, walk->window, &bounds))
    {
      what = describe (widget);
      g_string_append_printf (walk->problems, "\n%s: no bounds in the window", what);
      return;
    }
  walk->n_checked++;
  graphene_rect_init (&area, 0, 0, gtk_widget_get_width (walk->window),
                      gtk_widget_get_height (walk->window));
  scroller = gtk_widget_get_ancestor (gtk_widget_get_parent (widget), GTK_TYPE_SCROLLED_WINDOW);
  scrolls = scroller != NULL;
  if (scrolls)
    {
      graphene_rect_t scroller_bounds;

      g_assert_true (gtk_widget_compute_bounds (scroller, walk->window, &scroller_bounds));
      area.origin.x = MAX (area.origin.x, scroller_bounds.origin.x);
      area.size.width = MIN (gtk_widget_get_width (walk->window),
                             scroller_bounds.origin.x + scroller_bounds.size.width) - area.origin.x;
    }

  /* Half a pixel for the rounding of fractional transforms. */
  if (bounds.size.width < 1 || bounds.size.height < 1
      || bounds.origin.x < area.origin.x - 0.5
      || bounds.origin.x + bounds.size.width > area.origin.x + area.size.width + 0.5
      || (!scrolls && (bounds.origin.y < -0.5
                       || bounds.origin.y + bounds.size.height > area.size.height + 0.5)))
    {
      what = describe (widget);
      g_string_append_printf (walk->problems, "\n%s at %g,%g size %gx%g: outside ",
                              what, bounds.origin.x, bounds.origin.y,
                              bounds.size.width, bounds.size.height);
      if (scrolls)
        g_string_append_printf (walk->problems, "its scrolled window, %g..%g",
                                area.origin.x, area.origin.x + area.size.width);
      else
        g_string_append_printf (walk->problems, "the window, %g..%g x 0..%g",
                                area.origin.x, area.origin.x + area.size.width,
                                area.size.height);
    }
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_control (widget))
    check_inside (walk, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    walk_widget (walk, c);
}

/* Checks the controls on screen now; returns how many there are. */
static guint
assert_controls_inside (Fixture    *fixture,
                        const char *where)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  Walk walk = { GTK_WIDGET (fixture->window), problems, 0 };

  walk_widget (&walk, GTK_WIDGET (fixture->window));
  g_test_message ("%s: %u controls on screen", where, walk.n_checked);
  g_string_replace (problems, "\n", "; ", 0);
  if (problems->len > 0)
    g_test_fail_printf ("%s, window %dx%d: controls cut off%s", where,
             gtk_widget_get_width (walk.window), gtk_widget_get_height (walk.window),
             problems->str);
  g_assert_cmpuint (walk.n_checked, >, 0);
  return walk.n_checked;
}

static void
assert_touch_target (GtkWidget *widget)
{
  g_autofree char *what = describe (widget);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW),
                                            &bounds));
  if (bounds.size.height < TOUCH_TARGET || bounds.size.width < TOUCH_TARGET)
    g_test_fail_printf ("%s is %gx%g: a touch target needs %dx%d", what, bounds.size.width,
             bounds.size.height, TOUCH_TARGET, TOUCH_TARGET);
}

/* The spin button's own − and + buttons, each. */
static void
assert_steps_touch_target (GtkWidget *spin)
{
  guint buttons = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (spin); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_BUTTON (c))
      {
        assert_touch_target (c);
        buttons++;
      }
  g_assert_cmpuint (buttons, ==, 2);
}

/* Every button of ours shown in the window's header bars. (The window's own controls
 * keep the desktop's size: see ui/style.css.) */
static void
assert_header_touch_targets (GtkWidget *widget,
                             gboolean   in_header,
                             guint     *n_checked)
{
  if (!gtk_widget_get_mapped (widget) || GTK_IS_WINDOW_CONTROLS (widget))
    return;
  in_header = in_header || ADW_IS_HEADER_BAR (widget) || GTK_IS_HEADER_BAR (widget);
  if (in_header && (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget)))
    {
      assert_touch_target (widget);
      (*n_checked)++;
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    assert_header_touch_targets (c, in_header, n_checked);
}

/* The application's style sheet, as AdwApplication loads it: the windows here are
 * made without the application. */
static void
load_app_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/io/github/mesocare/Mesocare/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static const char *
visible_pane (Fixture *fixture)
{
  return adw_leaflet_get_visible_child_name (fixture->leaflet);
}

/* --- The tests ----------------------------------------------------------------------- */

/* Nothing cut off: the form, the sheet, and the sheet with its adjustments. */
static void
test_nothing_cut_off (Fixture       *fixture,
                      gconstpointer  data)
{
  const Size *size = data;
  gboolean folded = adw_leaflet_get_folded (fixture->leaflet);

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  g_assert_true (folded == (size->width < 720));
  assert_controls_inside (fixture, "the empty form");
  save_session (fixture);
  if (folded)
    {
      g_assert_cmpstr (visible_pane (fixture), ==, "sheet");
      assert_controls_inside (fixture, "the sheet");
      click (window_child (fixture, "back_button"));
      settle (fixture);
      assert_controls_inside (fixture, "the form after a session");
      click (window_child (fixture, "show_sheet_button"));
      settle (fixture);
    }
  else
    assert_controls_inside (fixture, "the form and the sheet");
  set_adjusting (fixture, TRUE);
  g_assert_true (gtk_widget_get_mapped (window_child (fixture, "adjuster")));
  assert_controls_inside (fixture, "the sheet with its adjustments");
}

/* The buttons that finish the work, the steps of the counts and the header bars' buttons
 * are large enough for a finger. */
static void
test_touch_targets (Fixture       *fixture,
                    gconstpointer  data)
{
  gboolean folded = adw_leaflet_get_folded (fixture->leaflet);
  guint n_header = 0;

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  assert_touch_target (editor_child (fixture, "save_button"));
  assert_touch_target (editor_child (fixture, "timer_button"));
  assert_header_touch_targets (GTK_WIDGET (fixture->window), FALSE, &n_header);
  g_assert_cmpuint (n_header, >, 0);
  assert_steps_touch_target (editor_child (fixture, "injections_spin"));
  assert_steps_touch_target (editor_child (fixture, "duration_spin"));
  save_session (fixture);
  if (folded)
    g_assert_cmpstr (visible_pane (fixture), ==, "sheet");
  assert_touch_target (sheet_button (fixture, "record.adjust-sheet"));
  assert_touch_target (sheet_button (fixture, "record.save-pdf"));
  assert_touch_target (sheet_button (fixture, "record.print"));
}

/* Narrow, the form and the sheet take turns: saving shows the sheet, a named button goes
 * back to the form and another comes to the sheet again; a new session starts on the
 * form. */
static void
test_navigation_folded (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *back = window_child (fixture, "back_button");
  GtkWidget *show_sheet = window_child (fixture, "show_sheet_button");

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  g_assert_true (adw_leaflet_get_folded (fixture->leaflet));
  g_assert_cmpstr (visible_pane (fixture), ==, "form");
  g_assert_true (gtk_widget_get_mapped (editor_child (fixture, "patient_entry")));
  g_assert_false (gtk_widget_get_mapped (fixture->sheet_view));
  g_assert_true (gtk_widget_get_mapped (show_sheet));

  /* An invalid session keeps the form on screen, with its message. */
  g_signal_emit_by_name (editor_child (fixture, "save_button"), "clicked");
  settle (fixture);
  g_assert_cmpstr (visible_pane (fixture), ==, "form");

  save_session (fixture);
  g_assert_cmpstr (visible_pane (fixture), ==, "sheet");
  g_assert_true (gtk_widget_get_mapped (fixture->sheet_view));
  g_assert_false (gtk_widget_get_mapped (editor_child (fixture, "patient_entry")));
  g_assert_true (gtk_widget_get_mapped (sheet_button (fixture, "record.print")));
  g_assert_true (gtk_widget_get_mapped (back));

  click (back);
  settle (fixture);
  g_assert_cmpstr (visible_pane (fixture), ==, "form");
  g_assert_true (gtk_widget_get_mapped (editor_child (fixture, "patient_entry")));
  g_assert_false (gtk_widget_get_mapped (fixture->sheet_view));

  click (show_sheet);
  settle (fixture);
  g_assert_cmpstr (visible_pane (fixture), ==, "sheet");
  g_assert_true (gtk_widget_get_mapped (sheet_button (fixture, "record.print")));

  /* The adjustments open over the preview and close again with the Adjust button's
   * action; the sheet stays on screen. */
  set_adjusting (fixture, TRUE);
  g_assert_true (gtk_widget_get_mapped (window_child (fixture, "adjuster")));
  set_adjusting (fixture, FALSE);
  g_assert_cmpstr (visible_pane (fixture), ==, "sheet");

  g_action_group_activate_action (record_actions (fixture), "new-session", NULL);
  settle (fixture);
  g_assert_cmpstr (visible_pane (fixture), ==, "form");
}

/* Wide, both are on screen at once, without the buttons that go from one to the other;
 * the adjustments open beside the preview. */
static void
test_side_by_side (Fixture       *fixture,
                   gconstpointer  data)
{
  graphene_rect_t adjuster, sheet;

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  g_assert_false (adw_leaflet_get_folded (fixture->leaflet));
  g_assert_true (gtk_widget_get_mapped (editor_child (fixture, "patient_entry")));
  g_assert_true (gtk_widget_get_mapped (fixture->sheet_view));
  g_assert_false (gtk_widget_get_mapped (window_child (fixture, "back_button")));
  g_assert_false (gtk_widget_get_mapped (window_child (fixture, "show_sheet_button")));
  g_assert_true (gtk_widget_get_mapped (meso_test_child (GTK_WIDGET (fixture->window),
                                                         MESO_TYPE_WINDOW, "menu_button")));

  save_session (fixture);
  g_assert_true (gtk_widget_get_mapped (editor_child (fixture, "patient_entry")));
  set_adjusting (fixture, TRUE);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (window_child (fixture, "adjuster_leaflet"))));
  g_assert_true (gtk_widget_compute_bounds (window_child (fixture, "adjuster"),
                                            GTK_WIDGET (fixture->window), &adjuster));
  g_assert_true (gtk_widget_compute_bounds (fixture->sheet_view, GTK_WIDGET (fixture->window),
                                            &sheet));
  g_assert_cmpfloat (adjuster.origin.x + adjuster.size.width, <=, sheet.origin.x + 0.5);
}

/* --- The other pages ------------------------------------------------------------------ */

static void
show_page (Fixture    *fixture,
           const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-page", "s",
                                             name));
  settle (fixture);
}

static gboolean
is_today_loaded (gpointer data)
{
  return !meso_today_page_get_loading (MESO_TODAY_PAGE (data));
}

/* Two sessions on Today, one with a long name and many areas: every row with its
 * buttons fits, and the buttons are touch targets. */
static void
fill_today (Fixture *fixture)
{
  GtkWidget *today = meso_window_get_page (fixture->window, "today");
  g_autoptr(MesoSession) short_one = meso_test_session_new ("Ann Smith", MESO_AREA_FACE, 80, 30);
  g_autoptr(MesoSession) long_one =
    meso_test_session_new ("Maria de los Ángeles Fernández-Villaverde y Castillo",
                           MESO_AREA_FACE | MESO_AREA_SCALP | MESO_AREA_NECK | MESO_AREA_THIGHS,
                           300, 60);

  meso_test_save_session (fixture->store, short_one);
  meso_test_save_session (fixture->store, long_one);
  /* Saved on the window's own connection, not from its Record page: told by hand. */
  meso_today_page_reload (MESO_TODAY_PAGE (today));
  meso_test_wait_for (is_today_loaded, today, "Today's rows");
  show_page (fixture, "today");
}

static void
test_today_fits (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *today;
  GtkWidget *list_box;
  guint n_buttons = 0;

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  fill_today (fixture);
  today = meso_window_get_page (fixture->window, "today");
  list_box = meso_test_child (today, MESO_TYPE_TODAY_PAGE, "list_box");
  g_assert_true (gtk_widget_get_mapped (list_box));
  assert_controls_inside (fixture, "Today");
  for (GtkWidget *row = gtk_widget_get_first_child (list_box); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *print = find_by_tooltip (row, "Print Sheet");
      GtkWidget *save = find_by_tooltip (row, "Save as PDF");

      assert_touch_target (print);
      assert_touch_target (save);
      n_buttons += 2;
    }
  g_assert_cmpuint (n_buttons, ==, 4);
}

static gboolean
is_session_page_loaded (gpointer data)
{
  GtkWidget *page = meso_window_get_page (data, "session");

  return page != NULL && !meso_session_page_get_loading (MESO_SESSION_PAGE (page))
         && meso_session_page_get_session (MESO_SESSION_PAGE (page)) != NULL
         && meso_sheet_view_has_document (
                MESO_SHEET_VIEW (meso_test_child (page, MESO_TYPE_SESSION_PAGE, "sheet_view")));
}

/* A session's page: the record and its actions fit, the buttons are touch targets; narrow
 * it is one column with the sheet one button away, wide the sheet is beside it; the
 * amendment form fits too. */
static void
test_session_page_fits (Fixture       *fixture,
                        gconstpointer  data)
{
  const Size *size = data;
  g_autoptr(MesoSession) session =
    meso_test_session_new ("Maria de los Ángeles Fernández-Villaverde y Castillo",
                           MESO_AREA_FACE | MESO_AREA_SCALP, 300, 60);
  const char *actions[] = { "session.reprint", "session.save-pdf", "session.amend",
                            "session.void" };
  GtkWidget *page, *sheet_view;
  AdwLeaflet *leaflet;
  gint64 id;

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  id = meso_test_save_session (fixture->store, session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-session",
                                             "x", id));
  meso_test_wait_for (is_session_page_loaded, fixture->window, "the session's page, read whole");
  settle (fixture);
  page = meso_window_get_page (fixture->window, "session");
  sheet_view = meso_test_child (page, MESO_TYPE_SESSION_PAGE, "sheet_view");
  leaflet = ADW_LEAFLET (meso_test_child (page, MESO_TYPE_SESSION_PAGE, "leaflet"));
  g_assert_true (adw_leaflet_get_folded (leaflet) == (size->width < 720));
  assert_controls_inside (fixture, "the session's page");
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      GtkWidget *button = find_by_action (page, actions[i]);

      g_assert_nonnull (button);
      assert_touch_target (button);
    }

  if (adw_leaflet_get_folded (leaflet))
    {
      g_assert_false (gtk_widget_get_mapped (sheet_view));
      click (meso_test_child (page, MESO_TYPE_SESSION_PAGE, "show_sheet_button"));
      settle (fixture);
      g_assert_true (gtk_widget_get_mapped (sheet_view));
      assert_controls_inside (fixture, "the session's sheet");
      click (meso_test_child (page, MESO_TYPE_SESSION_PAGE, "back_button"));
      settle (fixture);
    }
  else
    g_assert_true (gtk_widget_get_mapped (sheet_view));

  g_action_group_activate_action (meso_session_page_get_actions (MESO_SESSION_PAGE (page)),
                                  "amend", NULL);
  settle (fixture);
  assert_controls_inside (fixture, "the amendment form");
  assert_touch_target (find_by_action (page, "session.save-amendment"));
}

static gboolean
is_patient_page_loaded (gpointer data)
{
  GtkWidget *page = meso_window_get_page (data, "patient");

  return page != NULL && !meso_patient_page_get_loading (MESO_PATIENT_PAGE (page))
         && meso_patient_page_get_latest (MESO_PATIENT_PAGE (page)) != NULL
         && gtk_widget_get_mapped (page);
}

/* A patient's page, opened from their session's: the details, the series of a long name
 * with many areas and New Session fit; the buttons to and on it are touch targets. */
static void
test_patient_page_fits (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *name = "Maria de los Ángeles Fernández-Villaverde y Castillo";
  GtkWidget *session_page, *page;
  gint64 id = 0;

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(MesoSession) session = meso_test_session_new (name, MESO_AREA_ALL, 300, 60);
      g_autoptr(GError) error = NULL;

      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_ALLERGIES,
                                                  "Lidocaine, hyaluronidase, latex, nickel",
                                                  &error));
      g_assert_no_error (error);
      id = meso_test_save_session (fixture->store, session);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-session",
                                             "x", id));
  meso_test_wait_for (is_session_page_loaded, fixture->window, "the session's page, read whole");
  settle (fixture);
  session_page = meso_window_get_page (fixture->window, "session");
  assert_touch_target (meso_test_child (session_page, MESO_TYPE_SESSION_PAGE, "patient_button"));
  click (meso_test_child (session_page, MESO_TYPE_SESSION_PAGE, "patient_button"));
  meso_test_wait_for (is_patient_page_loaded, fixture->window, "the patient's page, read");
  settle (fixture);
  page = meso_window_get_page (fixture->window, "patient");
  assert_controls_inside (fixture, "the patient's page");
  assert_touch_target (meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "new_session_button"));
  assert_touch_target (meso_test_child (page, MESO_TYPE_PATIENT_PAGE, "back_button"));
}

static gboolean
is_reports_loaded (gpointer data)
{
  MesoReportsPage *page = data;

  return meso_reports_page_get_report (page) != NULL && !meso_reports_page_get_busy (page);
}

static void
add_touch_targets (GtkWidget *widget,
                   GPtrArray *buttons)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget)
      && gtk_widget_get_ancestor (widget, GTK_TYPE_DROP_DOWN) == NULL)
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    add_touch_targets (c, buttons);
}

/* Reports, with a month's sessions and a recall found: every control fits, scrolled to
 * from the top to the audit log at the end, and each button is a touch target. */
static void
test_reports_fits (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *page = meso_window_get_page (fixture->window, "reports");
  GtkWidget *chain = meso_test_child (page, MESO_TYPE_REPORTS_PAGE, "chain_label");
  GtkAdjustment *scroll;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  if (g_test_failed ())  /* the window could not be made that size */
    return;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(MesoSession) session =
        meso_test_session_new ("Maria de los Ángeles Fernández-Villaverde y Castillo",
                               MESO_AREA_FACE | MESO_AREA_SCALP, 300, 60);
      g_autoptr(GError) error = NULL;

      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, "LOT-2025-0042",
                                                  &error));
      meso_test_save_session (fixture->store, session);
    }
  show_page (fixture, "reports");
  meso_test_wait_for (is_reports_loaded, page, "the month's report");
  gtk_editable_set_text (GTK_EDITABLE (meso_test_child (page, MESO_TYPE_REPORTS_PAGE,
                                                        "recall_entry")), "LOT-2025-0042");
  g_assert_true (gtk_widget_activate_action (page, "reports.recall-find", NULL));
  meso_test_wait_for (is_reports_loaded, page, "the recall");
  settle (fixture);
  assert_controls_inside (fixture, "Reports, at the top");
  add_touch_targets (page, buttons);

  /* Down to the audit log, the page's end. */
  scroll = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (chain, GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll));
  settle (fixture);
  g_assert_true (gtk_widget_get_mapped (chain));
  assert_controls_inside (fixture, "Reports, at the end");
  add_touch_targets (page, buttons);
  g_assert_cmpuint (buttons->len, >=, 11);
  for (guint i = 0; i < buttons->len; i++)
    assert_touch_target (g_ptr_array_index (buttons, i));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;
  g_autofree char **args = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-layout-home-XXXXXX");

  /* A size the window cannot take fails its tests, not the others: keep going. */
  args = g_new0 (char *, argc + 2);
  memcpy (args, argv, argc * sizeof (char *));
  args[argc++] = (char *) "--keep-going";
  argv = args;
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);
  load_app_style ();
  /* The tests look at the window at rest, never in motion. Without animations every
   * transition (the leaflet folding, its pages sliding, the flap) ends at once, where
   * otherwise the end of some of them (the fold's) cannot be seen from here. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func, size) \
  g_test_add (path, Fixture, size, fixture_set_up, func, fixture_tear_down)

  ADD ("/layout/360x640/nothing-cut-off", test_nothing_cut_off, &narrow);
  ADD ("/layout/360x640/touch-targets", test_touch_targets, &narrow);
  ADD ("/layout/360x640/navigation", test_navigation_folded, &narrow);
  ADD ("/layout/1920x1080/nothing-cut-off", test_nothing_cut_off, &wide);
  ADD ("/layout/1920x1080/touch-targets", test_touch_targets, &wide);
  ADD ("/layout/1920x1080/side-by-side", test_side_by_side, &wide);
  ADD ("/layout/360x640/today", test_today_fits, &narrow);
  ADD ("/layout/1920x1080/today", test_today_fits, &wide);
  ADD ("/layout/360x640/session-page", test_session_page_fits, &narrow);
  ADD ("/layout/1920x1080/session-page", test_session_page_fits, &wide);
  ADD ("/layout/360x640/patient-page", test_patient_page_fits, &narrow);
  ADD ("/layout/1920x1080/patient-page", test_patient_page_fits, &wide);
  ADD ("/layout/360x640/reports", test_reports_fits, &narrow);
  ADD ("/layout/1920x1080/reports", test_reports_fits, &wide);

#undef ADD
  return g_test_run ();
}
