/* test-record-form.c: the Record page's form at the chair, under Xvfb: Save in reach at
 * every size, the wheel that scrolls instead of changing a count, a returning patient's
 * values carried from their last session, every problem shown at once, the keyboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-field.h"
#include "meso-record-page.h"
#include "meso-session-editor.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-test-xtest.h"
#include "meso-window.h"

typedef struct
{
  int width;
  int height;
} Size;

/* The sizes: a tablet in portrait, and a full desktop; and one between. */
static const Size narrow = { 360, 640 };
static const Size wide = { 1920, 1080 };
static const Size usual = { 1280, 900 };

typedef struct
{
  char         *dir;
  MesoStore    *store;
  MesoWindow   *window;
  GtkWidget    *record;
  GtkWidget    *editor;
} Fixture;

static GtkWidget *
editor_child (Fixture    *fixture,
              const char *name)
{
  return meso_test_child (fixture->editor, MESO_TYPE_SESSION_EDITOR, name);
}

/* Whether the Record page's leaflet is still sliding: the window is not at rest. */
static gboolean
is_moving (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *leaflet = meso_test_child (fixture->record, MESO_TYPE_RECORD_PAGE, "leaflet");

  return adw_leaflet_get_child_transition_running (ADW_LEAFLET (leaflet));
}

static void
settle (Fixture *fixture)
{
  meso_test_settle (GTK_WIDGET (fixture->window), is_moving, fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Size *size = data != NULL ? data : &usual;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("mesocare-form-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "mesocare.db", NULL);
  fixture->store = meso_store_open (path, &error);
  g_assert_no_error (error);

  fixture->window = meso_window_new (NULL, fixture->store);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fixture->record = meso_window_get_page (fixture->window, "record");
  fixture->editor = meso_test_child (fixture->record, MESO_TYPE_RECORD_PAGE, "editor");
  settle (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  meso_test_drop_store_and_dir (&fixture->store, &fixture->dir);
}

static const char *
entry_text (Fixture    *fixture,
            const char *name)
{
  return gtk_editable_get_text (GTK_EDITABLE (editor_child (fixture, name)));
}

static double
spin_value (Fixture    *fixture,
            const char *name)
{
  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (editor_child (fixture, name)));
}

/* ---- Save and the essentials in reach ---- */

static double
top_in_form (Fixture    *fixture,
             const char *name)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (editor_child (fixture, name),
                                           editor_child (fixture, "box"),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  return point.y;
}

/* At the window's size, with nothing scrolled: Save is on screen, and stays there however
 * far the form is scrolled (it is not inside the scrolled form); the essentials come
 * before every other field. */
static void
test_save_in_reach (Fixture       *fixture,
                    gconstpointer  data)
{
  const Size *size = data;
  static const char * const essentials[] = {
    "patient_entry", "areas_box", "injections_spin", "duration_spin", "indication_box",
    "product_entry", "lot_entry",
  };
  static const char * const others[] = {
    "dob_entry", "language_box", "blood_thinners_check", "allergies_entry", "technique_box",
    "volume_entry", "reactions_box", "session_number_spin", "series_total_spin",
    "next_session_entry", "instructions_view", "notes_view", "practitioner_entry",
  };
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *save = editor_child (fixture, "save_button");
  graphene_rect_t bounds;
  double last_essential = 0;

  g_assert_cmpint (gtk_widget_get_width (window), <=, size->width);
  g_assert_cmpint (gtk_widget_get_height (window), <=, size->height);
  g_assert_true (gtk_widget_get_mapped (save));
  g_assert_true (gtk_widget_get_child_visible (save));
  g_assert_true (gtk_widget_compute_bounds (save, window, &bounds));
  g_test_message ("Save at %g,%g %gx%g in a window of %dx%d", bounds.origin.x, bounds.origin.y,
                  bounds.size.width, bounds.size.height, gtk_widget_get_width (window),
                  gtk_widget_get_height (window));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
  g_assert_cmpfloat (bounds.size.height, >=, 44);
  g_assert_null (gtk_widget_get_ancestor (save, GTK_TYPE_SCROLLED_WINDOW));

  for (guint i = 0; i < G_N_ELEMENTS (essentials); i++)
    {
      double top = top_in_form (fixture, essentials[i]);

      g_assert_cmpfloat (top, >=, last_essential);
      last_essential = top;
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    if (top_in_form (fixture, others[i]) <= last_essential)
      g_error ("%s comes before the essentials", others[i]);
}

/* ---- The wheel over a count at rest ---- */

typedef struct
{
  GtkWidget     *spin;
  GtkAdjustment *scrolled;  /* the form's vertical scroll */
  double         count;     /* the spin button's value before */
  double         position;  /* the form's scroll before */
} Wheel;

/* @number pressed and released over @widget, in the text, left of the spin button's own
 * buttons: 1 a click, 5 the wheel down a notch. */
static void
press_button_over (GtkWidget *widget,
                   guint      number)
{
  meso_test_xtest_press_over (widget, gtk_widget_get_width (widget) / 4.0,
                              gtk_widget_get_height (widget) / 2.0, number);
}

static gboolean
has_wheel_acted (gpointer data)
{
  Wheel *wheel = data;

  return gtk_spin_button_get_value (GTK_SPIN_BUTTON (wheel->spin)) != wheel->count
         || gtk_adjustment_get_value (wheel->scrolled) != wheel->position;
}

/* The case: the pointer over Injections (110) while the form is scrolled with the
 * wheel. The form scrolls; the count stays 110. */
static void
test_wheel_scrolls_form (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (editor_child (fixture, "scroller"));
  Wheel wheel = {
    editor_child (fixture, "injections_spin"),
    gtk_scrolled_window_get_vadjustment (scroller),
    110, 0,
  };

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (fixture->editor)))
    {
      g_test_skip ("The wheel is turned through X11’s XTest");
      return;
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (wheel.spin), wheel.count);
  gtk_widget_grab_focus (editor_child (fixture, "patient_entry"));
  gtk_adjustment_set_value (wheel.scrolled, 0);
  settle (fixture);
  g_assert_cmpfloat (gtk_adjustment_get_upper (wheel.scrolled), >,
                     gtk_adjustment_get_page_size (wheel.scrolled));

  press_button_over (wheel.spin, 5);
  meso_test_wait_for (has_wheel_acted, &wheel, "the wheel to scroll the form or change the count");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (wheel.spin)), ==, 110);
  g_assert_cmpfloat (gtk_adjustment_get_value (wheel.scrolled), >, 0);
}

/* A count tapped is selected whole: the digits typed next replace it. */
static gboolean
is_count_selected (gpointer data)
{
  GtkWidget *spin = data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (spin));
  int start = 0, end = 0;

  return focus != NULL && (focus == spin || gtk_widget_is_ancestor (focus, spin))
         && gtk_editable_get_selection_bounds (GTK_EDITABLE (spin), &start, &end)
         && start == 0
         && end == (int) g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (spin)), -1);
}

static void
test_tap_selects_count (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *spin = editor_child (fixture, "injections_spin");

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (fixture->editor)))
    {
      g_test_skip ("The click goes through X11’s XTest");
      return;
    }
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 110);
  gtk_widget_grab_focus (editor_child (fixture, "patient_entry"));
  settle (fixture);
  press_button_over (spin, 1);
  meso_test_wait_for (is_count_selected, spin, "the tapped count to be selected whole");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "110");
}

/* The window opens with the keyboard in the patient's name: the first letter typed is
 * theirs, not the page switcher's. */
static void
test_focus_at_start (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  GtkWidget *patient = editor_child (fixture, "patient_entry");

  g_assert_nonnull (focus);
  g_assert_true (focus == patient || gtk_widget_is_ancestor (focus, patient));
}

/* A long message beside its field wraps inside the form: the line between the form and
 * the sheet stays where it was. */
static void
test_long_error_keeps_divider (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkWidget *form = fixture->editor;
  g_autoptr(GString) message = g_string_new ("The patient's name");
  g_autoptr(GError) error = NULL;
  int width;

  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (meso_test_child (fixture->record,
                                                                         MESO_TYPE_RECORD_PAGE,
                                                                         "leaflet"))));
  width = gtk_widget_get_width (form);
  for (guint i = 0; i < 12; i++)
    g_string_append (message, " is not one a sheet can be printed for, as typed here");
  error = g_error_new_literal (MESO_ERROR, MESO_ERROR_PATIENT_INVALID, message->str);
  meso_session_editor_show_error (MESO_SESSION_EDITOR (fixture->editor), error);
  settle (fixture);
  g_assert_true (gtk_widget_get_visible (editor_child (fixture, "patient_error")));
  g_assert_cmpint (gtk_widget_get_width (form), ==, width);
}

/* ---- A returning patient ---- */

static void
set_text (MesoSession *session,
          MesoField    field,
          const char  *text)
{
  g_autoptr(GError) error = NULL;

  meso_session_set_field_text (session, field, text, &error);
  g_assert_no_error (error);
}

/* A session of @patient's, @days_ago, with what a series carries on. */
static void
save_past_session (Fixture    *fixture,
                   const char *patient,
                   int         days_ago,
                   const char *product,
                   int         expiry_days,  /* from today */
                   const char *number,
                   const char *total)
{
  g_autoptr(MesoSession) session = meso_test_session_new (patient, MESO_AREA_SCALP, 100, 30);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) when = g_date_time_add_days (now, -days_ago);
  g_autoptr(GDateTime) expiry = g_date_time_add_days (now, expiry_days);
  g_autofree char *expiry_text = g_date_time_format (expiry, "%Y-%m-%d");

  meso_session_set_performed_at (session, when);
  set_text (session, MESO_FIELD_DATE_OF_BIRTH, "1980-03-14");
  set_text (session, MESO_FIELD_INDICATION, "hair-loss");
  set_text (session, MESO_FIELD_TECHNIQUE, "gun");
  set_text (session, MESO_FIELD_PRODUCT, product);
  set_text (session, MESO_FIELD_LOT, "L-123");
  set_text (session, MESO_FIELD_EXPIRY, expiry_text);
  set_text (session, MESO_FIELD_PRACTITIONER, "Dr Roux");
  set_text (session, MESO_FIELD_SESSION_NUMBER, number);
  set_text (session, MESO_FIELD_SERIES_TOTAL, total);
  meso_test_save_session (fixture->store, session);
}

static gboolean
has_matches (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *list = editor_child (fixture, "patient_matches");

  return gtk_widget_get_visible (list) && gtk_widget_get_first_child (list) != NULL;
}

/* Types a few letters of the name and picks the one patient offered. */
static void
pick_patient (Fixture    *fixture,
              const char *letters)
{
  GtkWidget *list = editor_child (fixture, "patient_matches");

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "patient_entry")), letters);
  meso_test_wait_for (has_matches, fixture, "the patients matching to be offered");
  g_assert_null (gtk_widget_get_next_sibling (gtk_widget_get_first_child (list)));
  g_signal_emit_by_name (list, "row-activated", gtk_widget_get_first_child (list));
}

static gboolean
is_product_filled (gpointer data)
{
  Fixture *fixture = data;

  return *entry_text (fixture, "product_entry") != '\0';
}

static GtkWidget *
choice_button (Fixture    *fixture,
               const char *box,
               const char *id)
{
  for (GtkWidget *c = gtk_widget_get_first_child (editor_child (fixture, box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (g_str_equal (gtk_widget_get_name (button), id))
        return button;
    }
  g_error ("no button %s in %s", id, box);
  return NULL;
}

/* The caption under a field: after its error message. */
static GtkWidget *
carried_caption (Fixture    *fixture,
                 const char *error_label)
{
  GtkWidget *caption = gtk_widget_get_next_sibling (editor_child (fixture, error_label));

  g_assert_true (GTK_IS_LABEL (caption));
  return caption;
}

static void
assert_carried (Fixture    *fixture,
                const char *widget,
                const char *error_label,
                const char *year)
{
  GtkWidget *caption = carried_caption (fixture, error_label);

  if (!gtk_widget_has_css_class (editor_child (fixture, widget), "carried"))
    g_error ("%s is not marked as carried", widget);
  g_assert_true (gtk_widget_get_visible (caption));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (caption)),
                                   "From the session of "));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (caption)), year));
}

static void
assert_not_carried (Fixture    *fixture,
                    const char *widget,
                    const char *error_label)
{
  g_assert_false (gtk_widget_has_css_class (editor_child (fixture, widget), "carried"));
  g_assert_false (gtk_widget_get_visible (carried_caption (fixture, error_label)));
}

/* The case: a patient whose last session was 3 of 6 gets 4 of 6, with the
 * indication, technique, product, lot in date and practitioner of that session, each
 * marked; a value changed is no longer marked. */
static void
test_returning_patient (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) last = g_date_time_add_days (now, -23);
  g_autofree char *year = g_date_time_format (last, "%Y");
  GtkRoot *root = GTK_ROOT (fixture->window);
  static const char * const carried[][2] = {
    { "indication_box", "indication_error" }, { "technique_box", "technique_error" },
    { "product_entry", "product_error" }, { "lot_entry", "lot_error" },
    { "expiry_entry", "expiry_error" }, { "practitioner_entry", "practitioner_error" },
    { "session_number_spin", "session_number_error" },
    { "series_total_spin", "series_total_error" },
  };

  save_past_session (fixture, "Ann Smith", 60, "Nucleofill", 300, "2", "6");
  save_past_session (fixture, "Ann Smith", 23, "Dermaheal", 300, "3", "6");
  pick_patient (fixture, "Ann");
  meso_test_wait_for (is_product_filled, fixture, "the last session's values to be carried");

  g_assert_cmpfloat (spin_value (fixture, "session_number_spin"), ==, 4);
  g_assert_cmpfloat (spin_value (fixture, "series_total_spin"), ==, 6);
  g_assert_cmpstr (entry_text (fixture, "product_entry"), ==, "Dermaheal");
  g_assert_cmpstr (entry_text (fixture, "lot_entry"), ==, "L-123");
  g_assert_cmpstr (entry_text (fixture, "practitioner_entry"), ==, "Dr Roux");
  g_assert_true (gtk_toggle_button_get_active (
                   GTK_TOGGLE_BUTTON (choice_button (fixture, "indication_box", "hair-loss"))));
  g_assert_true (gtk_toggle_button_get_active (
                   GTK_TOGGLE_BUTTON (choice_button (fixture, "technique_box", "gun"))));
  for (guint i = 0; i < G_N_ELEMENTS (carried); i++)
    assert_carried (fixture, carried[i][0], carried[i][1], year);
  /* What changes at each session is left to be typed, unmarked. */
  assert_not_carried (fixture, "injections_spin", "injections_error");
  g_assert_cmpstr (entry_text (fixture, "injections_spin"), ==, "0");
  /* The keyboard went on to the areas, not out of the form. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root),
                                         editor_child (fixture, "areas_box")));

  /* Editable: a value changed is the practitioner's own. */
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "product_entry")), "Other");
  assert_not_carried (fixture, "product_entry", "product_error");
  gtk_toggle_button_set_active (
    GTK_TOGGLE_BUTTON (choice_button (fixture, "technique_box", "manual")), TRUE);
  assert_not_carried (fixture, "technique_box", "technique_error");
  assert_carried (fixture, "lot_entry", "lot_error", year);

  /* A new form carries nothing. */
  meso_session_editor_clear (MESO_SESSION_EDITOR (fixture->editor));
  for (guint i = 0; i < G_N_ELEMENTS (carried); i++)
    assert_not_carried (fixture, carried[i][0], carried[i][1]);
}

/* A lot past its expiry is not carried, nor the number after a series complete. */
static void
test_expired_lot_not_carried (Fixture       *fixture,
                              gconstpointer  data)
{
  save_past_session (fixture, "Bea Jones", 400, "Dermaheal", -200, "6", "6");
  pick_patient (fixture, "Bea");
  meso_test_wait_for (is_product_filled, fixture, "the last session's values to be carried");

  g_assert_cmpstr (entry_text (fixture, "lot_entry"), ==, "");
  g_assert_cmpstr (entry_text (fixture, "expiry_entry"), ==, "");
  assert_not_carried (fixture, "lot_entry", "lot_error");
  g_assert_cmpfloat (spin_value (fixture, "session_number_spin"), ==, 0);
  assert_not_carried (fixture, "session_number_spin", "session_number_error");
}

/* ---- Every problem at once ---- */

static gboolean
is_focus_in (GtkWidget *window,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Three problems (no patient, no area, no injection) make three messages, each under its
 * field, in one Save; the focus goes to the first. Nothing is saved. */
static void
test_all_problems_at_once (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char * const shown[] = { "patient_error", "areas_error", "injections_error" };
  static const char * const hidden[] = { "duration_error", "product_error", "lot_error" };
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *save = editor_child (fixture, "save_button");

  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "injections_spin")), "0");
  gtk_editable_set_text (GTK_EDITABLE (editor_child (fixture, "duration_spin")), "30");
  gtk_widget_grab_focus (editor_child (fixture, "duration_spin"));
  g_signal_emit_by_name (save, "clicked");

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      GtkWidget *label = editor_child (fixture, shown[i]);

      if (!gtk_widget_get_visible (label))
        g_error ("no message in %s", shown[i]);
      g_test_message ("%s: %s", shown[i], gtk_label_get_text (GTK_LABEL (label)));
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
    }
  for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
    g_assert_false (gtk_widget_get_visible (editor_child (fixture, hidden[i])));
  g_assert_true (gtk_widget_has_css_class (editor_child (fixture, "patient_entry"), "error"));
  g_assert_true (gtk_widget_has_css_class (editor_child (fixture, "areas_box"), "error"));
  g_assert_true (gtk_widget_has_css_class (editor_child (fixture, "injections_spin"), "error"));
  g_assert_true (is_focus_in (window, editor_child (fixture, "patient_entry")));
  g_assert_cmpint (meso_store_count_sessions (fixture->store, NULL), ==, 0);
}

/* ---- The keyboard ---- */

/* Raised first, as for the pointer. */
static void
press_key (GtkWidget *window,
           KeySym     key)
{
  GdkDisplay *display = gtk_widget_get_display (window);

  gdk_x11_display_error_trap_push (display);
  XRaiseWindow (gdk_x11_display_get_xdisplay (display), meso_test_xtest_window (window));
  gdk_x11_display_error_trap_pop_ignored (display);
  meso_test_xtest_type_key (window, NoSymbol, key);
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *widget;
} FocusWait;

static gboolean
has_focus_in (gpointer data)
{
  FocusWait *wait = data;

  return is_focus_in (wait->window, wait->widget);
}

static gboolean
is_patient_picked (gpointer data)
{
  Fixture *fixture = data;

  return g_str_equal (entry_text (fixture, "patient_entry"),
                      "Ann Smith")
         && !gtk_widget_get_visible (editor_child (fixture, "patient_matches"));
}

/* What a screen reader says of a Tab stop, as far as GTK 4.8 lets a test see it: the
 * label it is the mnemonic widget of, or its own label. NULL for a nameless stop. */
static const char *
stop_name (GtkWidget *stop)
{
  GtkWidget *control = stop;
  g_autoptr(GList) labels = NULL;

  if (GTK_IS_TEXT (stop) && GTK_IS_EDITABLE (gtk_widget_get_parent (stop)))
    control = gtk_widget_get_parent (stop);
  labels = gtk_widget_list_mnemonic_labels (control);
  if (labels != NULL)
    return gtk_label_get_text (labels->data);
  if (GTK_IS_CHECK_BUTTON (control))
    return gtk_check_button_get_label (GTK_CHECK_BUTTON (control));
  if (GTK_IS_BUTTON (control))
    return gtk_button_get_label (GTK_BUTTON (control));
  return NULL;
}

/* The trap: with no sheet yet, a patient picked from the suggestions sent the
 * focus to the main menu, and Tab then went between the menu and a nameless pane. Now:
 * Down goes into the suggestions, Enter picks the one highlighted, the focus goes on to
 * the areas, and Tab from the name tours the form's named controls to Save. */
static void
test_keyboard_paths (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *entry = editor_child (fixture, "patient_entry");
  GtkWidget *save = editor_child (fixture, "save_button");
  FocusWait wait = { window, NULL };
  GtkWidget *focus;
  g_autoptr(GString) tour = g_string_new (NULL);
  guint stops = 0;

  if (!GDK_IS_X11_DISPLAY (gtk_widget_get_display (window)))
    {
      g_test_skip ("The keys are typed through X11’s XTest");
      return;
    }
  save_past_session (fixture, "Ann Smith", 23, "Dermaheal", 300, "3", "6");
  g_assert_false (g_action_group_get_action_enabled (
                    meso_record_page_get_actions (MESO_RECORD_PAGE (fixture->record)), "print"));

  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Ann");
  meso_test_wait_for (has_matches, fixture, "the patients matching to be offered");
  wait.widget = gtk_widget_get_first_child (editor_child (fixture, "patient_matches"));
  press_key (window, XK_Down);
  meso_test_wait_for (has_focus_in, &wait, "Down to move into the suggestions");

  press_key (window, XK_Return);
  meso_test_wait_for (is_patient_picked, fixture, "Enter to pick the suggestion highlighted");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, editor_child (fixture, "areas_box")));

  /* Tab, as GTK moves the focus for it, from the name on. */
  gtk_widget_grab_focus (entry);
  while (!is_focus_in (window, save))
    {
      const char *name;

      g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      name = stop_name (focus);
      g_string_append_printf (tour, " %s “%s”", G_OBJECT_TYPE_NAME (focus), name);
      if (!gtk_widget_is_ancestor (focus, fixture->editor))
        g_error ("Tab left the form for %s before Save:%s", G_OBJECT_TYPE_NAME (focus), tour->str);
      if (name == NULL || *name == '\0')
        g_error ("Tab stops on a nameless %s:%s", G_OBJECT_TYPE_NAME (focus), tour->str);
      g_assert_cmpuint (++stops, <, 200);
    }
  g_test_message ("%u Tab stops from Patient to Save:%s", stops, tour->str);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-form-home-XXXXXX");
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The window is looked at at rest: transitions end at once. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* "xtest" as an argument: the cases typing through XTest, which meson runs alone;
   * without it, the others. */
  if (argc > 1 && g_str_equal (argv[argc - 1], "xtest"))
    {
      g_test_add ("/record-form/xtest/keyboard", Fixture, &usual, fixture_set_up,
                  test_keyboard_paths, fixture_tear_down);
      g_test_add ("/record-form/xtest/wheel", Fixture, &usual, fixture_set_up,
                  test_wheel_scrolls_form, fixture_tear_down);
      g_test_add ("/record-form/xtest/tap-selects-count", Fixture, &usual, fixture_set_up,
                  test_tap_selects_count, fixture_tear_down);
      return g_test_run ();
    }
  g_test_add ("/record-form/save-in-reach/wide", Fixture, &wide, fixture_set_up,
              test_save_in_reach, fixture_tear_down);
  g_test_add ("/record-form/save-in-reach/narrow", Fixture, &narrow, fixture_set_up,
              test_save_in_reach, fixture_tear_down);
  g_test_add ("/record-form/returning-patient/carried", Fixture, &usual, fixture_set_up,
              test_returning_patient, fixture_tear_down);
  g_test_add ("/record-form/returning-patient/expired-lot", Fixture, &usual, fixture_set_up,
              test_expired_lot_not_carried, fixture_tear_down);
  g_test_add ("/record-form/problems/all-at-once", Fixture, &usual, fixture_set_up,
              test_all_problems_at_once, fixture_tear_down);
  g_test_add ("/record-form/focus-at-start", Fixture, &usual, fixture_set_up,
              test_focus_at_start, fixture_tear_down);
  g_test_add ("/record-form/long-error-keeps-divider", Fixture, &usual, fixture_set_up,
              test_long_error_keeps_divider, fixture_tear_down);

  return g_test_run ();
}
