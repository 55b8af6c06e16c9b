/* meso-session-editor.c
 *
 * The form is read and marked through one table (`fields` below): which widget holds
 * each field of the record, how its value is read as text, and which label shows its
 * error. The core checks every value (meso_session_set_field_text(), then
 * meso_session_validate()): the form only carries text and shows messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-session-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-area-map.h"
#include "meso-draft.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-lot.h"
#include "meso-patient.h"
#include "meso-session-editor.h"
#include "meso-session-query.h"
#include "meso-store.h"

/* How a widget holds a value. */
typedef enum
{
  HOLDER_EDITABLE,  /* GtkEntry, GtkSpinButton: the text as typed */
  HOLDER_OPTIONAL,  /* GtkSpinButton of a count that may be left out: 0 is "not recorded" */
  HOLDER_CHECK,     /* GtkCheckButton: "yes" or "no" */
  HOLDER_CHOICE,    /* GtkFlowBox of grouped toggle buttons named by id: the id of the
                     * one pressed, "" for none ("not recorded") */
  HOLDER_TEXT_VIEW, /* GtkTextView: the text, lines and all */
  HOLDER_FLAGS,     /* GtkFlowBox of check buttons named by id: ids, comma-separated */
} Holder;

typedef struct
{
  MesoField           field;
  const char         *widget;   /* the template id of the widget; its error label is
                                 * the same id with "_error" for its last part */
  Holder              holder;   /* CHOICE and FLAGS: a button a choice of the core's */
} FieldWidget;

/* In the order of the form: the essentials first (who, where, how many, how long, for
 * what, with which product and lot), then the rest. */
static const FieldWidget fields[] = {
  { MESO_FIELD_PATIENT, "patient_entry", HOLDER_EDITABLE },
  { MESO_FIELD_AREAS, "areas_box", HOLDER_FLAGS },
  { MESO_FIELD_INJECTIONS, "injections_spin", HOLDER_EDITABLE },
  { MESO_FIELD_DURATION, "duration_spin", HOLDER_EDITABLE },
  { MESO_FIELD_INDICATION, "indication_box", HOLDER_CHOICE },
  { MESO_FIELD_PRODUCT, "product_entry", HOLDER_EDITABLE },
  { MESO_FIELD_LOT, "lot_entry", HOLDER_EDITABLE },
  { MESO_FIELD_EXPIRY, "expiry_entry", HOLDER_EDITABLE },
  { MESO_FIELD_DATE_OF_BIRTH, "dob_entry", HOLDER_EDITABLE },
  { MESO_FIELD_LANGUAGE, "language_box", HOLDER_CHOICE },
  { MESO_FIELD_BLOOD_THINNERS, "blood_thinners_check", HOLDER_CHECK },
  { MESO_FIELD_PREGNANT, "pregnant_check", HOLDER_CHECK },
  { MESO_FIELD_PREGNANCY_OVERRIDE, "pregnancy_override_check", HOLDER_CHECK },
  { MESO_FIELD_ALLERGIES, "allergies_entry", HOLDER_EDITABLE },
  { MESO_FIELD_TECHNIQUE, "technique_box", HOLDER_CHOICE },
  { MESO_FIELD_VOLUME, "volume_entry", HOLDER_EDITABLE },
  { MESO_FIELD_REACTIONS, "reactions_box", HOLDER_FLAGS },
  { MESO_FIELD_SESSION_NUMBER, "session_number_spin", HOLDER_OPTIONAL },
  { MESO_FIELD_SERIES_TOTAL, "series_total_spin", HOLDER_OPTIONAL },
  { MESO_FIELD_NEXT_SESSION, "next_session_entry", HOLDER_EDITABLE },
  { MESO_FIELD_INSTRUCTIONS, "instructions_view", HOLDER_TEXT_VIEW },
  { MESO_FIELD_NOTES, "notes_view", HOLDER_TEXT_VIEW },
  { MESO_FIELD_PRACTITIONER, "practitioner_entry", HOLDER_EDITABLE },
};

#define N_FIELDS G_N_ELEMENTS (fields)

/* How long after the last key the patients are looked for: a name typed at speed is
 * looked for once, not at every letter. */
#define SEARCH_DELAY_MS 150

struct _MesoSessionEditor
{
  GtkWidget  parent_instance;

  GtkWidget *layout;         /* the scrolled form above the Save bar */
  GtkWidget *box;
  GtkWidget *save_button;
  GtkToggleButton *timer_button;
  MesoAreaMap *area_map;
  GtkListBox *patient_matches;
  GtkLabel  *patient_flags;
  GtkFlowBox *practitioners_box;
  GtkFlowBox *recent_lots_box;
  GtkScrolledWindow *scroller;
  MesoStore *store;          /* for the patient search; may be NULL */
  guint      search_delay;   /* until the typing pauses */
  GCancellable *search;      /* the search under way; cancelled by a newer one */
  GCancellable *lots_load;   /* the recent lots being read */
  char      *default_language;      /* a new session's sheet language */
  char      *default_practitioner;  /* who works at this chair, or NULL */
  gboolean   filling;        /* the form is being filled from a patient picked */
  gint64     timer_started;  /* monotonic µs; 0 when the timer is not running */
  guint      timer_tick;
  GtkWidget *widgets[N_FIELDS];  /* in the order of fields[] */
  GtkLabel  *errors[N_FIELDS];
  GtkLabel  *carried[N_FIELDS];  /* "From the session of ...", under a value carried */
  GCancellable *last_load;       /* the picked patient's last session being read */
  GStrv      fresh;          /* each field's text as the form was started (unsaved work) */
};

G_DEFINE_FINAL_TYPE (MesoSessionEditor, meso_session_editor, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void mark_fresh (MesoSessionEditor *self);

static guint
field_index (MesoField field)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (fields[i].field == field)
      return i;
  return N_FIELDS;
}

static void
clear_errors (MesoSessionEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    {
      gtk_widget_remove_css_class (self->widgets[i], "error");
      gtk_widget_set_visible (GTK_WIDGET (self->errors[i]), FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->widgets[i]), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Said as soon as the expiry is typed, not only at Save: the lot is still in the
 * practitioner's hand. The rule itself is the core's. */
static void
update_expiry_warning (MesoSessionEditor *self)
{
  guint index = field_index (MESO_FIELD_EXPIRY);
  const char *expiry = gtk_editable_get_text (GTK_EDITABLE (self->widgets[index]));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *shown = NULL;
  g_autofree char *message = NULL;

  if (!meso_lot_is_expired (expiry, today))
    return;
  shown = meso_field_format_date (expiry);
  message = g_strdup_printf (_("This lot expired on %s: it cannot be used today."), shown);
  gtk_label_set_text (self->errors[index], message);
  gtk_widget_set_visible (GTK_WIDGET (self->errors[index]), TRUE);
  gtk_widget_add_css_class (self->widgets[index], "error");
}

/* A value carried from the last session is marked as such until it is changed: then it
 * is the practitioner's own. */
static void
unmark_carried (MesoSessionEditor *self,
                guint              index)
{
  gtk_widget_remove_css_class (self->widgets[index], "carried");
  gtk_widget_set_visible (GTK_WIDGET (self->carried[index]), FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->widgets[index]),
                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
mark_carried (MesoSessionEditor *self,
              guint              index,
              const char        *caption)
{
  gtk_widget_add_css_class (self->widgets[index], "carried");
  gtk_label_set_text (self->carried[index], caption);
  gtk_widget_set_visible (GTK_WIDGET (self->carried[index]), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->widgets[index]),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, caption, -1);
}

/* The field a widget (or a button of a field's box) belongs to. */
static guint
index_of_widget (MesoSessionEditor *self,
                 GtkWidget         *widget)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (widget == self->widgets[i] || gtk_widget_is_ancestor (widget, self->widgets[i]))
      return i;
  return N_FIELDS;
}

/* A message stays only as long as the value it is about: changing anything clears it. */
static void
on_field_changed_cb (MesoSessionEditor *self)
{
  clear_errors (self);
  update_expiry_warning (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_value_changed_cb (GtkWidget         *source,
                     MesoSessionEditor *self)
{
  guint index = index_of_widget (self, source);

  if (!self->filling && index < N_FIELDS)
    unmark_carried (self, index);
}

/* The override is asked only when it matters: for a pregnant or breastfeeding patient. */
static void
update_override (MesoSessionEditor *self)
{
  GtkWidget *pregnant = self->widgets[field_index (MESO_FIELD_PREGNANT)];
  GtkWidget *override = self->widgets[field_index (MESO_FIELD_PREGNANCY_OVERRIDE)];
  gboolean needed = gtk_check_button_get_active (GTK_CHECK_BUTTON (pregnant));

  gtk_widget_set_visible (override, needed);
  if (!needed)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (override), FALSE);
}

static void on_area_toggled_cb (MesoSessionEditor *self);

static void
add_flag_buttons (MesoSessionEditor *self,
                  guint              index)
{
  const char * const *ids = meso_field_get_choices (fields[index].field);
  GtkToggleButton *group = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *text = meso_field_get_choice_label (fields[index].field, ids[i]);
      GtkWidget *button;

      /* One of a choice is a row of toggle buttons, large enough for a finger; one of a
       * set, a check button each. */
      if (fields[index].holder == HOLDER_CHOICE)
        {
          button = gtk_toggle_button_new_with_label (text);
          gtk_widget_set_size_request (button, -1, 44);
          gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
          group = GTK_TOGGLE_BUTTON (button);
        }
      else
        button = gtk_check_button_new_with_label (text);

      gtk_widget_set_name (button, ids[i]);
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_field_changed_cb), self);
      g_signal_connect (button, "toggled", G_CALLBACK (on_value_changed_cb), self);
      if (fields[index].field == MESO_FIELD_AREAS)
        g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_area_toggled_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (self->widgets[index]), button);
      /* The check button takes the focus; its flow box cell would be a second, nameless
       * stop for keyboard and screen reader users. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
}

/* The wheel turned over a number at rest scrolls the form, as over any other field: a
 * count changes only in the field being typed in. The spin button's own wheel handling
 * is switched on while it holds the focus, and off otherwise, so that the wheel's
 * events go on to the scrolled window. */
static gboolean
select_count (gpointer data)
{
  GtkWidget *spin = data;
  GtkRoot *root = gtk_widget_get_root (spin);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Still in it: the tap was not a pass through on the way elsewhere. */
  if (focus != NULL && (focus == spin || gtk_widget_is_ancestor (focus, spin)))
    gtk_editable_select_region (GTK_EDITABLE (spin), 0, -1);
  return G_SOURCE_REMOVE;
}

/* A count is replaced more often than edited: a tap into one selects it, so that the
 * digits typed next replace it. After the click has placed the cursor, hence the idle. */
static void
select_count_later (GtkWidget *spin)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, select_count, g_object_ref (spin), g_object_unref);
}

static void
on_spin_focus_cb (GtkEventControllerFocus *focus,
                  GParamSpec              *pspec,
                  gpointer                 user_data)
{
  GtkWidget *spin = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  gboolean focused = gtk_event_controller_focus_contains_focus (focus);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (spin);

  if (focused && pspec != NULL)
    select_count_later (spin);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        gtk_event_controller_set_propagation_phase (controller,
                                                    focused ? GTK_PHASE_BUBBLE : GTK_PHASE_NONE);
    }
}

static void
keep_wheel_for_focus (GtkWidget *spin)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "notify::contains-focus", G_CALLBACK (on_spin_focus_cb), NULL);
  gtk_widget_add_controller (spin, focus);
  on_spin_focus_cb (GTK_EVENT_CONTROLLER_FOCUS (focus), NULL, NULL);
}

static void
connect_changes (MesoSessionEditor *self,
                 guint              index)
{
  GtkWidget *widget = self->widgets[index];

  switch (fields[index].holder)
    {
    case HOLDER_EDITABLE:
    case HOLDER_OPTIONAL:
      g_signal_connect_swapped (widget, "changed", G_CALLBACK (on_field_changed_cb), self);
      g_signal_connect (widget, "changed", G_CALLBACK (on_value_changed_cb), self);
      if (GTK_IS_SPIN_BUTTON (widget))
        keep_wheel_for_focus (widget);
      break;
    case HOLDER_CHECK:
      g_signal_connect_swapped (widget, "toggled", G_CALLBACK (on_field_changed_cb), self);
      g_signal_connect (widget, "toggled", G_CALLBACK (on_value_changed_cb), self);
      break;
    case HOLDER_TEXT_VIEW:
      g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "changed",
                                G_CALLBACK (on_field_changed_cb), self);
      break;
    case HOLDER_CHOICE:
    case HOLDER_FLAGS:
      add_flag_buttons (self, index);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_pressed (GtkWidget *button)
{
  if (GTK_IS_TOGGLE_BUTTON (button))
    return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (button));
}

static void
set_pressed (GtkWidget *button,
             gboolean   pressed)
{
  if (GTK_IS_TOGGLE_BUTTON (button))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), pressed);
  else
    gtk_check_button_set_active (GTK_CHECK_BUTTON (button), pressed);
}

/* The clinic's default language (English until told otherwise): a sheet always has
 * a language. */
static void
choose_default_language (MesoSessionEditor *self)
{
  GtkWidget *box = self->widgets[field_index (MESO_FIELD_LANGUAGE)];
  const char *language = self->default_language != NULL ? self->default_language : "en";

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (g_str_equal (gtk_widget_get_name (button), language))
        set_pressed (button, TRUE);
    }
}

static char *
read_flags (GtkWidget *box)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (is_pressed (button))
        g_string_append_printf (ids, "%s%s", ids->len > 0 ? "," : "", gtk_widget_get_name (button));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* The value of a field exactly as the widget shows it: what was typed is what is
 * checked, nothing clamped or guessed behind the practitioner's back. */
static char *
read_text (MesoSessionEditor *self,
           guint              index)
{
  GtkWidget *widget = self->widgets[index];
  GtkTextIter start, end;
  GtkTextBuffer *buffer;
  const char *text;

  switch (fields[index].holder)
    {
    case HOLDER_EDITABLE:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget)));
    case HOLDER_OPTIONAL:
      text = gtk_editable_get_text (GTK_EDITABLE (widget));
      return g_strdup (g_str_equal (text, "0") ? "" : text);
    case HOLDER_CHECK:
      return g_strdup (gtk_check_button_get_active (GTK_CHECK_BUTTON (widget)) ? "yes" : "no");
    case HOLDER_TEXT_VIEW:
      buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    case HOLDER_CHOICE:
    case HOLDER_FLAGS:
      return read_flags (widget);
    default:
      g_assert_not_reached ();
    }
}

/* The map and the check buttons are two views of one set of areas: each follows the
 * other (set_areas and set_active do nothing when nothing changes, so no loop). */
static void
on_area_toggled_cb (MesoSessionEditor *self)
{
  g_autofree char *ids = read_flags (self->widgets[field_index (MESO_FIELD_AREAS)]);
  MesoArea areas = MESO_AREA_NONE;

  meso_areas_parse (ids, &areas, NULL);
  meso_area_map_set_areas (self->area_map, areas);
}

static void
on_map_areas_cb (MesoSessionEditor *self)
{
  MesoArea areas = meso_area_map_get_areas (self->area_map);
  GtkWidget *box = self->widgets[field_index (MESO_FIELD_AREAS)];

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      set_pressed (button, (areas & meso_area_from_id (gtk_widget_get_name (button))) != 0);
    }
}

/* What the practitioner must see the moment a patient is picked. */
static char *
describe_flags (MesoPatient *patient)
{
  g_autoptr(GString) flags = g_string_new (NULL);
  const char *allergies = meso_patient_get_allergies (patient);

  if (meso_patient_get_blood_thinners (patient))
    g_string_append (flags, _("Takes blood-thinning medicine"));
  if (meso_patient_get_pregnant (patient))
    g_string_append_printf (flags, "%s%s", flags->len > 0 ? " · " : "",
                            _("Pregnant or breastfeeding"));
  if (allergies != NULL && *allergies != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Allergies: %s"), allergies);

      g_string_append_printf (flags, "%s%s", flags->len > 0 ? " · " : "", text);
    }
  return g_string_free (g_steal_pointer (&flags), FALSE);
}

static void
set_field (MesoSessionEditor *self,
           MesoField          field,
           MesoSession       *from)
{
  guint index = field_index (field);
  GtkWidget *widget = self->widgets[index];
  g_autofree char *text = meso_session_get_field_text (from, field);

  switch (fields[index].holder)
    {
    case HOLDER_EDITABLE:
      gtk_editable_set_text (GTK_EDITABLE (widget), text);
      break;
    case HOLDER_CHECK:
      gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), g_str_equal (text, "yes"));
      break;
    case HOLDER_CHOICE:
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        {
          GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

          set_pressed (button, g_str_equal (gtk_widget_get_name (button), text));
        }
      break;
    case HOLDER_OPTIONAL:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), g_ascii_strtod (text, NULL));
      break;
    case HOLDER_TEXT_VIEW:
    case HOLDER_FLAGS:
    default:
      g_assert_not_reached ();
    }
}

static void
show_matches (MesoSessionEditor *self,
              GPtrArray         *patients)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->patient_matches))) != NULL)
    gtk_list_box_remove (self->patient_matches, row);

  for (guint i = 0; patients != NULL && i < patients->len; i++)
    {
      MesoPatient *patient = g_ptr_array_index (patients, i);
      const char *dob = meso_patient_get_date_of_birth (patient);
      g_autofree char *born = dob != NULL ? meso_field_format_date (dob) : NULL;
      g_autofree char *flags = describe_flags (patient);
      g_autofree char *title = born != NULL
                               ? g_strdup_printf (_("%s, born %s"),
                                                  meso_patient_get_name (patient), born)
                               : g_strdup (meso_patient_get_name (patient));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label = gtk_label_new (title);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
      if (*flags != '\0')
        {
          GtkWidget *detail = gtk_label_new (flags);

          gtk_label_set_xalign (GTK_LABEL (detail), 0);
          gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
          gtk_widget_add_css_class (detail, "caption");
          gtk_widget_add_css_class (detail, "warning");
          gtk_box_append (GTK_BOX (box), detail);
        }
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 10);
      gtk_widget_set_margin_bottom (box, 10);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
      g_object_set_data_full (G_OBJECT (row), "patient", g_object_ref (patient), g_object_unref);
      gtk_list_box_append (self->patient_matches, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->patient_matches),
                          patients != NULL && patients->len > 0);
}

static const char *
patient_text (MesoSessionEditor *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->widgets[field_index (MESO_FIELD_PATIENT)]));
}

static void
cancel_last_load (MesoSessionEditor *self)
{
  g_cancellable_cancel (self->last_load);
  g_clear_object (&self->last_load);
}

/* A search overtaken by newer typing is cancelled: its answer, even if it comes, is
 * never shown. */
static void
cancel_search (MesoSessionEditor *self)
{
  g_clear_handle_id (&self->search_delay, g_source_remove);
  g_cancellable_cancel (self->search);
  g_clear_object (&self->search);
}

/* @self is not referenced: dispose cancels every search, and the answer of a cancelled
 * one does not touch it. */
static void
on_patients_found_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MesoSessionEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = meso_store_find_patients_finish (MESO_STORE (source), result,
                                                                   &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->search);
  /* The clinic server out of reach is said by the window's banner: no warning of ours. */
  if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE))
    g_debug ("The patient search failed: %s", error->message);
  else if (error != NULL)
    g_warning ("The patient search failed: %s", error->message);
  show_matches (self, patients);
}

static gboolean
on_search_delay_cb (gpointer user_data)
{
  MesoSessionEditor *self = user_data;
  const char *text = patient_text (self);

  self->search_delay = 0;
  self->search = g_cancellable_new ();
  meso_store_find_patients_async (self->store, text, 5, self->search, on_patients_found_cb, self);
  return G_SOURCE_REMOVE;
}

/* Search as you type, from the second letter: the patients already recorded whose name
 * or date of birth holds what is typed, looked for once the typing pauses. */
static void
on_patient_changed_cb (MesoSessionEditor *self)
{
  const char *text = patient_text (self);

  if (self->filling)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->patient_flags), FALSE);
  cancel_search (self);
  cancel_last_load (self);
  if (self->store == NULL || g_utf8_strlen (text, -1) < 2)
    {
      show_matches (self, NULL);
      return;
    }
  self->search_delay = g_timeout_add (SEARCH_DELAY_MS, on_search_delay_cb, self);
}

/* The first control of a field, where the keyboard goes to fill it in. */
static void
focus_field (MesoSessionEditor *self,
             guint              index)
{
  GtkWidget *widget = self->widgets[index];

  if (fields[index].holder == HOLDER_FLAGS || fields[index].holder == HOLDER_CHOICE)
    widget = gtk_flow_box_child_get_child (
               GTK_FLOW_BOX_CHILD (gtk_widget_get_first_child (widget)));
  gtk_widget_grab_focus (widget);
}

/* What clear() leaves in a field: a value still to be filled in. */
static gboolean
is_free (MesoSessionEditor *self,
         guint              index)
{
  g_autofree char *text = read_text (self, index);

  return *text == '\0'
         || (fields[index].field == MESO_FIELD_PRACTITIONER
             && g_strcmp0 (text, self->default_practitioner) == 0);
}

static void
carry_field (MesoSessionEditor *self,
             MesoField          field,
             MesoSession       *last,
             const char        *caption)
{
  guint index = field_index (field);
  g_autofree char *text = meso_session_get_field_text (last, field);

  if (*text == '\0' || !is_free (self, index))
    return;
  set_field (self, field, last);
  mark_carried (self, index, caption);
}

/* What a series keeps from one session to the next comes from @last into the fields
 * still free, each marked "From the session of ..." until it is changed: the indication,
 * technique, product and practitioner; the lot while it is in date; the series' length,
 * with @session_number (0: none) as the number of this one. */
static void
carry_from_last (MesoSessionEditor *self,
                 MesoSession       *last,
                 guint              session_number)
{
  static const MesoField carried[] = {
    MESO_FIELD_INDICATION, MESO_FIELD_TECHNIQUE, MESO_FIELD_PRODUCT, MESO_FIELD_PRACTITIONER,
  };
  GDateTime *performed_at = meso_session_get_performed_at (last);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *expiry = meso_session_get_field_text (last, MESO_FIELD_EXPIRY);
  g_autofree char *day = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *caption = NULL;
  guint number;

  if (performed_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (performed_at);

      day = g_date_time_format (local, "%Y-%m-%d");
    }
  shown = meso_field_format_date (day != NULL ? day : today);
  /* Translators: under a value filled in from the patient's last session; %s is its date */
  caption = g_strdup_printf (_("From the session of %s"), shown);

  self->filling = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (carried); i++)
    carry_field (self, carried[i], last, caption);
  /* A lot past its expiry (or of no known expiry) is not to be used again. */
  if (*expiry != '\0' && !meso_lot_is_expired (expiry, today))
    {
      carry_field (self, MESO_FIELD_LOT, last, caption);
      carry_field (self, MESO_FIELD_EXPIRY, last, caption);
    }
  number = field_index (MESO_FIELD_SESSION_NUMBER);
  if (session_number > 0 && is_free (self, number))
    {
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->widgets[number]), session_number);
      mark_carried (self, number, caption);
      carry_field (self, MESO_FIELD_SERIES_TOTAL, last, caption);
    }
  self->filling = FALSE;
}

/* The number of the session after @last in its series, or 0 when it had none or the
 * series is complete (a new one is the practitioner's decision). */
static guint
next_in_series (MesoSession *last)
{
  g_autofree char *number_text = meso_session_get_field_text (last, MESO_FIELD_SESSION_NUMBER);
  g_autofree char *total_text = meso_session_get_field_text (last, MESO_FIELD_SERIES_TOTAL);
  guint number = (guint) g_ascii_strtoull (number_text, NULL, 10);
  guint total = (guint) g_ascii_strtoull (total_text, NULL, 10);

  if (number == 0 || (total > 0 && number >= total))
    return 0;
  return number + 1;
}

/* @self is not referenced: dispose cancels the reading. */
static void
on_last_session_read_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  MesoSessionEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = meso_store_query_finish (MESO_STORE (source), result, &error);
  g_autoptr(MesoPatient) patient = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  patient = g_object_steal_data (G_OBJECT (self->last_load), "patient");
  g_clear_object (&self->last_load);
  if (sessions == NULL)
    {
      /* Nothing carried: the form is filled in by hand, as for a new patient. */
      if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE))
        g_debug ("The patient’s last session could not be read: %s", error->message);
      else
        g_warning ("The patient’s last session could not be read: %s", error->message);
      return;
    }
  /* Newest first; the same person has the same name and date of birth. A voided session
   * was a mistake kept for the record: it carries nothing. */
  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (meso_session_get_patient_name (session), meso_patient_get_name (patient)) == 0
          && g_strcmp0 (meso_session_get_date_of_birth (session),
                        meso_patient_get_date_of_birth (patient)) == 0
          && !meso_session_get_voided (session))
        {
          carry_from_last (self, session, next_in_series (session));
          return;
        }
    }
}

/* The patient's sessions, newest first, among which is their last. */
static void
load_last_session (MesoSessionEditor *self,
                   MesoPatient       *patient)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  const char *birth = meso_patient_get_date_of_birth (patient);

  cancel_last_load (self);
  if (self->store == NULL)
    return;
  meso_session_query_set_patient_text (query, meso_patient_get_name (patient));
  if (birth != NULL && !meso_session_query_set_birth_date (query, birth, NULL))
    return;
  meso_session_query_set_sort (query, MESO_SESSION_SORT_DATE, TRUE);
  meso_session_query_set_range (query, 0, 50);
  self->last_load = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self->last_load), "patient", g_object_ref (patient),
                          g_object_unref);
  meso_store_query_async (self->store, query, self->last_load, on_last_session_read_cb, self);
}

/* A patient picked fills in who they are and shows their flags at once; what their last
 * session carries on follows as soon as it is read. The keyboard goes on to the areas. */
static void
on_patient_picked_cb (MesoSessionEditor *self,
                      GtkListBoxRow     *row)
{
  g_autoptr(MesoPatient) patient = g_object_ref (g_object_get_data (G_OBJECT (row), "patient"));
  static const MesoField from_patient[] = {
    MESO_FIELD_PATIENT, MESO_FIELD_DATE_OF_BIRTH, MESO_FIELD_LANGUAGE,
    MESO_FIELD_BLOOD_THINNERS, MESO_FIELD_PREGNANT, MESO_FIELD_ALLERGIES,
  };
  g_autoptr(MesoSession) details = meso_session_new ();
  g_autofree char *flags = describe_flags (patient);

  meso_patient_fill_session (patient, details);
  self->filling = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (from_patient); i++)
    set_field (self, from_patient[i], details);
  self->filling = FALSE;

  /* The focus leaves the list before its rows go: left on a row removed, GTK would send it
   * out of the form. A search still on its way would bring the list back over the
   * patient just picked. */
  focus_field (self, field_index (MESO_FIELD_AREAS));
  cancel_search (self);
  show_matches (self, NULL);
  gtk_label_set_text (self->patient_flags, flags);
  gtk_widget_set_visible (GTK_WIDGET (self->patient_flags), *flags != '\0');
  load_last_session (self, patient);
}

/* Down from the name goes into the patients offered; Enter there picks the one
 * highlighted (the list's own activation), Up from the first comes back to the name. */
static gboolean
on_patient_key_pressed_cb (MesoSessionEditor *self,
                           guint              keyval,
                           guint              keycode,
                           GdkModifierType    state)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->patient_matches, 0);

  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) || first == NULL
      || !gtk_widget_get_visible (GTK_WIDGET (self->patient_matches)))
    return GDK_EVENT_PROPAGATE;
  gtk_widget_grab_focus (GTK_WIDGET (first));
  return GDK_EVENT_STOP;
}

static gboolean
on_matches_keynav_failed_cb (MesoSessionEditor *self,
                             GtkDirectionType   direction)
{
  if (direction != GTK_DIR_UP)
    return FALSE;
  gtk_widget_grab_focus (self->widgets[field_index (MESO_FIELD_PATIENT)]);
  return TRUE;
}

static void
on_recent_lot_clicked_cb (GtkButton         *button,
                          MesoSessionEditor *self)
{
  MesoLot *lot = g_object_get_data (G_OBJECT (button), "lot");
  const struct
  {
    MesoField   field;
    const char *text;
  } filled[] = {
    { MESO_FIELD_PRODUCT, meso_lot_get_product (lot) },
    { MESO_FIELD_LOT, meso_lot_get_number (lot) },
    { MESO_FIELD_EXPIRY, meso_lot_get_expiry (lot) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (filled); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->widgets[field_index (filled[i].field)]),
                           filled[i].text != NULL ? filled[i].text : "");
  gtk_widget_grab_focus (self->widgets[field_index (MESO_FIELD_INJECTIONS)]);
}

static void
add_lot_button (MesoSessionEditor *self,
                MesoLot           *lot)
{
  const char *number = meso_lot_get_number (lot);
  g_autofree char *label = NULL;
  GtkWidget *button;

  /* Translators: a recent product and its lot number, on a button that fills both */
  label = number != NULL ? g_strdup_printf (_("%s · lot %s"), meso_lot_get_product (lot),
                                            number)
                         : g_strdup (meso_lot_get_product (lot));
  button = gtk_button_new_with_label (label);
  gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                           PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (button, label);
  gtk_widget_set_name (button, number != NULL ? number : "");
  gtk_widget_add_css_class (button, "pill");
  g_object_set_data_full (G_OBJECT (button), "lot", g_object_ref (lot), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_recent_lot_clicked_cb), self);
  gtk_flow_box_append (self->recent_lots_box, button);
}

/* The lots of the latest sessions, one tap each, so that a lot is typed once. A lot
 * past its expiry is not offered: it must not be used again. */
static void
show_recent_lots (MesoSessionEditor *self,
                  GPtrArray         *lots)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_lots_box))) != NULL)
    gtk_flow_box_remove (self->recent_lots_box, child);
  for (guint i = 0; lots != NULL && i < lots->len; i++)
    {
      MesoLot *lot = g_ptr_array_index (lots, i);
      const char *expiry = meso_lot_get_expiry (lot);

      if (expiry != NULL && meso_lot_is_expired (expiry, today))
        continue;
      add_lot_button (self, lot);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_lots_box), shown > 0);
}

static void
on_practitioner_clicked_cb (GtkButton         *button,
                            MesoSessionEditor *self)
{
  GtkWidget *entry = self->widgets[field_index (MESO_FIELD_PRACTITIONER)];

  gtk_editable_set_text (GTK_EDITABLE (entry), gtk_widget_get_name (GTK_WIDGET (button)));
  gtk_widget_grab_focus (entry);
}

/**
 * meso_session_editor_set_practitioners:
 * @self: a #MesoSessionEditor
 * @practitioners: (nullable) (element-type MesoPractitioner): the clinic's active
 *   practitioners
 *
 * Offers them above the practitioner's entry, one tap each; another name can still be
 * typed (a visiting practitioner).
 */
void
meso_session_editor_set_practitioners (MesoSessionEditor *self,
                                       GPtrArray         *practitioners)
{
  GtkWidget *child;

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->practitioners_box))) != NULL)
    gtk_flow_box_remove (self->practitioners_box, child);
  for (guint i = 0; practitioners != NULL && i < practitioners->len; i++)
    {
      MesoPractitioner *practitioner = g_ptr_array_index (practitioners, i);
      const char *name = meso_practitioner_get_name (practitioner);
      const char *role = meso_practitioner_get_role (practitioner);
      GtkWidget *button = gtk_button_new_with_label (name);

      gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                               PANGO_ELLIPSIZE_END);
      gtk_widget_set_tooltip_text (button, role != NULL ? role : name);
      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "pill");
      g_signal_connect (button, "clicked", G_CALLBACK (on_practitioner_clicked_cb), self);
      gtk_flow_box_append (self->practitioners_box, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->practitioners_box),
                          practitioners != NULL && practitioners->len > 0);
}

/* @self is not referenced: dispose cancels the reading. */
static void
on_recent_lots_read_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  MesoSessionEditor *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lots = meso_store_recent_lots_finish (MESO_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lots_load);
  /* A failed look offers nothing, and typing works as before: no message for it. */
  show_recent_lots (self, lots);
}

/* The buttons shown stay until the new ones are read: no flicker at each session. */
static void
load_recent_lots (MesoSessionEditor *self)
{
  g_cancellable_cancel (self->lots_load);
  g_clear_object (&self->lots_load);
  if (self->store == NULL)
    {
      show_recent_lots (self, NULL);
      return;
    }
  self->lots_load = g_cancellable_new ();
  meso_store_recent_lots_async (self->store, 6, self->lots_load, on_recent_lots_read_cb, self);
}

/**
 * meso_session_editor_set_store:
 * @self: a #MesoSessionEditor
 * @store: (nullable): where to look for patients already recorded
 */
void
meso_session_editor_set_store (MesoSessionEditor *self,
                               MesoStore         *store)
{
  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));
  g_set_object (&self->store, store);
  load_recent_lots (self);
}

static void
set_timer_label (MesoSessionEditor *self,
                 gint64             now)
{
  g_autofree char *label = NULL;
  gint64 seconds;

  if (self->timer_started == 0)
    {
      gtk_button_set_label (GTK_BUTTON (self->timer_button), _("Start Timer"));
      return;
    }
  seconds = (now - self->timer_started) / G_USEC_PER_SEC;
  /* Translators: the timer running: Stop, then minutes and seconds elapsed */
  label = g_strdup_printf (_("Stop %02d:%02d"), (int) (seconds / 60), (int) (seconds % 60));
  gtk_button_set_label (GTK_BUTTON (self->timer_button), label);
}

static void on_timer_toggled_cb (MesoSessionEditor *self);

/* The button shows whether the timer runs, however it was started or stopped. */
static void
sync_timer_button (MesoSessionEditor *self)
{
  g_signal_handlers_block_by_func (self->timer_button, on_timer_toggled_cb, self);
  gtk_toggle_button_set_active (self->timer_button, self->timer_started != 0);
  g_signal_handlers_unblock_by_func (self->timer_button, on_timer_toggled_cb, self);
}

static gboolean
on_timer_tick_cb (gpointer user_data)
{
  MesoSessionEditor *self = user_data;

  set_timer_label (self, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

/**
 * meso_session_editor_start_timer:
 * @self: a #MesoSessionEditor
 * @now: the monotonic time, in microseconds
 *
 * Starts timing the session (what the timer button does when pressed).
 */
void
meso_session_editor_start_timer (MesoSessionEditor *self,
                                 gint64             now)
{
  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  self->timer_started = now;
  g_clear_handle_id (&self->timer_tick, g_source_remove);
  self->timer_tick = g_timeout_add_seconds (1, on_timer_tick_cb, self);
  set_timer_label (self, now);
  sync_timer_button (self);
}

/**
 * meso_session_editor_stop_timer:
 * @self: a #MesoSessionEditor
 * @now: the monotonic time, in microseconds
 *
 * Stops the timer and fills the duration with the minutes begun (a session of 20 min
 * 10 s lasted 21 minutes); the practitioner can still type over it.
 *
 * Returns: the minutes filled in, or 0 when the timer was not running.
 */
guint
meso_session_editor_stop_timer (MesoSessionEditor *self,
                                gint64             now)
{
  GtkWidget *spin;
  guint minutes;

  g_return_val_if_fail (MESO_IS_SESSION_EDITOR (self), 0);

  if (self->timer_started == 0)
    return 0;
  minutes = (guint) MAX (1, (now - self->timer_started + 60 * G_USEC_PER_SEC - 1)
                            / (60 * G_USEC_PER_SEC));
  self->timer_started = 0;
  g_clear_handle_id (&self->timer_tick, g_source_remove);
  spin = self->widgets[field_index (MESO_FIELD_DURATION)];
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), minutes);
  set_timer_label (self, now);
  sync_timer_button (self);
  return minutes;
}

static void
on_timer_toggled_cb (MesoSessionEditor *self)
{
  if (gtk_toggle_button_get_active (self->timer_button))
    meso_session_editor_start_timer (self, g_get_monotonic_time ());
  else
    meso_session_editor_stop_timer (self, g_get_monotonic_time ());
}

static void
meso_session_editor_dispose (GObject *object)
{
  MesoSessionEditor *self = MESO_SESSION_EDITOR (object);

  g_clear_handle_id (&self->timer_tick, g_source_remove);
  cancel_search (self);
  cancel_last_load (self);
  g_cancellable_cancel (self->lots_load);
  g_clear_object (&self->lots_load);
  g_clear_object (&self->store);
  g_clear_pointer (&self->default_language, g_free);
  g_clear_pointer (&self->default_practitioner, g_free);
  g_clear_pointer (&self->fresh, g_strfreev);
  gtk_widget_dispose_template (GTK_WIDGET (object), MESO_TYPE_SESSION_EDITOR);
  G_OBJECT_CLASS (meso_session_editor_parent_class)->dispose (object);
}

static void
meso_session_editor_class_init (MesoSessionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_session_editor_dispose;

  g_type_ensure (MESO_TYPE_AREA_MAP);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-session-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, box);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, layout);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, timer_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, area_map);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, patient_matches);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, patient_flags);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, practitioners_box);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, recent_lots_box);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, scroller);

  /**
   * MesoSessionEditor::changed:
   *
   * A field of the form changed, by the practitioner or by the form being filled or
   * cleared: meso_session_editor_get_unsaved() tells whether it now holds work.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Each field's widget and error label, bound by id from the table rather than by forty
   * lines that would have to be kept in step with it. */
  for (guint i = 0; i < N_FIELDS; i++)
    {
      const char *last = strrchr (fields[i].widget, '_');
      g_autofree char *stem = g_strndup (fields[i].widget, last - fields[i].widget);
      g_autofree char *error_id = g_strconcat (stem, "_error", NULL);

      gtk_widget_class_bind_template_child_full (widget_class, fields[i].widget, FALSE,
                                                 G_STRUCT_OFFSET (MesoSessionEditor, widgets)
                                                 + i * sizeof (GtkWidget *));
      gtk_widget_class_bind_template_child_full (widget_class, error_id, FALSE,
                                                 G_STRUCT_OFFSET (MesoSessionEditor, errors)
                                                 + i * sizeof (GtkLabel *));
    }
}

/* Under the field, after its error message. */
static void
add_carried_caption (MesoSessionEditor *self,
                     guint              index)
{
  GtkWidget *caption = gtk_label_new (NULL);
  GtkWidget *error = GTK_WIDGET (self->errors[index]);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_visible (caption, FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (error)), caption, error);
  self->carried[index] = GTK_LABEL (caption);
}

static void
meso_session_editor_init (MesoSessionEditor *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own (it cannot see a static callback). */
  for (guint i = 0; i < N_FIELDS; i++)
    {
      connect_changes (self, i);
      add_carried_caption (self, i);
    }
  g_signal_connect_swapped (self->widgets[field_index (MESO_FIELD_PREGNANT)], "toggled",
                            G_CALLBACK (update_override), self);
  update_override (self);
  choose_default_language (self);
  g_signal_connect_swapped (self->timer_button, "toggled", G_CALLBACK (on_timer_toggled_cb),
                            self);
  g_signal_connect_swapped (self->widgets[field_index (MESO_FIELD_PATIENT)], "changed",
                            G_CALLBACK (on_patient_changed_cb), self);
  g_signal_connect_swapped (self->patient_matches, "row-activated",
                            G_CALLBACK (on_patient_picked_cb), self);
  g_signal_connect_swapped (self->patient_matches, "keynav-failed",
                            G_CALLBACK (on_matches_keynav_failed_cb), self);
  keys = gtk_event_controller_key_new ();
  /* Before the entry's own keys, which would take Down as a move of the cursor. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (on_patient_key_pressed_cb), self);
  gtk_widget_add_controller (self->widgets[field_index (MESO_FIELD_PATIENT)], keys);
  g_signal_connect_swapped (self->area_map, "notify::areas", G_CALLBACK (on_map_areas_cb), self);
  mark_fresh (self);
}

GtkWidget *
meso_session_editor_new (void)
{
  return g_object_new (MESO_TYPE_SESSION_EDITOR, NULL);
}

/**
 * meso_session_editor_read_session:
 * @self: a #MesoSessionEditor
 * @problems: (element-type GError): where every problem found in the form is added,
 *   in the order of the form (see meso_session_list_problems())
 *
 * Returns: (transfer full) (nullable): a new, validated session, or %NULL when the form
 *   has problems, all of them in @problems.
 */
MesoSession *
meso_session_editor_read_session (MesoSessionEditor *self,
                                  GPtrArray         *problems)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  g_return_val_if_fail (MESO_IS_SESSION_EDITOR (self), NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *text = read_text (self, i);
      GError *error = NULL;

      if (!meso_session_set_field_text (session, fields[i].field, text, &error))
        g_ptr_array_add (found, error);
    }
  meso_session_list_problems (session, found);
  /* In the order the practitioner reads them, so that the first is the one focused. */
  for (guint i = 0; i < N_FIELDS; i++)
    for (guint j = 0; j < found->len; j++)
      {
        GError *error = g_ptr_array_index (found, j);

        if (error != NULL && field_index (meso_error_get_field (error)) == i)
          {
            g_ptr_array_add (problems, error);
            found->pdata[j] = NULL;
          }
      }
  /* About no field of the form (none today): last. */
  for (guint j = 0; j < found->len; j++)
    if (found->pdata[j] != NULL)
      g_ptr_array_add (problems, found->pdata[j]);
  if (found->len > 0)
    return NULL;
  return g_steal_pointer (&session);
}

static void
show_problem (MesoSessionEditor *self,
              const GError      *error)
{
  guint index = field_index (meso_error_get_field (error));
  GtkWidget *widget;
  const char *shown;
  g_autofree char *text = NULL;

  if (index == N_FIELDS)
    return;
  widget = self->widgets[index];
  /* Two problems of one field (its form, then a rule between fields) make one message. */
  shown = gtk_widget_get_visible (GTK_WIDGET (self->errors[index]))
          ? gtk_label_get_text (self->errors[index]) : NULL;
  text = shown != NULL ? g_strconcat (shown, "\n", error->message, NULL)
                       : g_strdup (error->message);
  gtk_label_set_text (self->errors[index], text);
  gtk_widget_set_visible (GTK_WIDGET (self->errors[index]), TRUE);
  gtk_widget_add_css_class (widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->errors[index],
                                  NULL, -1);
}

/**
 * meso_session_editor_show_problems:
 * @self: a #MesoSessionEditor
 * @problems: (element-type GError): validation errors from the core, in the order of
 *   the form
 *
 * Marks every field a problem is about, shows each message beside its field, and moves
 * the focus to the first so that the practitioner can correct them in one round.
 */
void
meso_session_editor_show_problems (MesoSessionEditor *self,
                                   GPtrArray         *problems)
{
  guint first = N_FIELDS;

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  clear_errors (self);
  for (guint i = 0; i < problems->len; i++)
    {
      const GError *error = g_ptr_array_index (problems, i);

      show_problem (self, error);
      first = MIN (first, field_index (meso_error_get_field (error)));
    }
  if (first < N_FIELDS)
    focus_field (self, first);
}

/**
 * meso_session_editor_show_error:
 * @self: a #MesoSessionEditor
 * @error: a validation error from the core
 *
 * meso_session_editor_show_problems() for a single problem (the store's answer).
 */
void
meso_session_editor_show_error (MesoSessionEditor *self,
                                const GError      *error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new ();

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  g_ptr_array_add (problems, (gpointer) error);
  meso_session_editor_show_problems (self, problems);
}

static void
clear_widget (GtkWidget *widget,
              Holder     holder)
{
  switch (holder)
    {
    case HOLDER_EDITABLE:
    case HOLDER_OPTIONAL:
      if (GTK_IS_SPIN_BUTTON (widget))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), 0);
      else
        gtk_editable_set_text (GTK_EDITABLE (widget), "");
      break;
    case HOLDER_CHECK:
      gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), FALSE);
      break;
    case HOLDER_TEXT_VIEW:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), "", -1);
      break;
    case HOLDER_CHOICE:
    case HOLDER_FLAGS:
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        set_pressed (gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c)), FALSE);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * meso_session_editor_clear:
 * @self: a #MesoSessionEditor
 *
 * Empties the form for the next session.
 */
void
meso_session_editor_clear (MesoSessionEditor *self)
{
  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  cancel_search (self);
  cancel_last_load (self);
  self->filling = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      clear_widget (self->widgets[i], fields[i].holder);
      unmark_carried (self, i);
    }
  self->filling = FALSE;
  choose_default_language (self);
  if (self->default_practitioner != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->widgets[field_index (MESO_FIELD_PRACTITIONER)]),
                           self->default_practitioner);
  show_matches (self, NULL);
  load_recent_lots (self);
  gtk_widget_set_visible (GTK_WIDGET (self->patient_flags), FALSE);
  clear_errors (self);
  gtk_widget_grab_focus (self->widgets[field_index (MESO_FIELD_PATIENT)]);
  mark_fresh (self);
}

/**
 * meso_session_editor_focus_patient:
 * @self: a #MesoSessionEditor
 *
 * Gives the keyboard to the patient's name, the form's first field, unless the focus is
 * already somewhere in the form.
 */
void
meso_session_editor_focus_patient (MesoSessionEditor *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->widgets[field_index (MESO_FIELD_PATIENT)]);
}

/**
 * meso_session_editor_set_saving:
 * @self: a #MesoSessionEditor
 * @saving: whether the session read from the form is being saved
 *
 * While its session is being saved (it may wait for another workstation), the form
 * cannot be changed: what was typed meanwhile would be lost when the form is cleared for
 * the next patient, or saved a second time. The Save button says what is happening.
 */
void
meso_session_editor_set_saving (MesoSessionEditor *self,
                                gboolean           saving)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  /* The focus leaves first: left on a field that no longer takes keys, it would be
   * lost (and GTK 4.8's text fields would go on blinking). It comes back to Save, to
   * try again, unless the result has put it on a field. */
  if (saving && focus != NULL && gtk_widget_is_ancestor (focus, self->box))
    gtk_root_set_focus (root, NULL);
  gtk_widget_set_sensitive (self->box, !saving);
  gtk_button_set_label (GTK_BUTTON (self->save_button), saving ? _("Saving…") : _("Save"));
  if (!saving && root != NULL && gtk_root_get_focus (root) == NULL)
    gtk_widget_grab_focus (self->save_button);
}

/**
 * meso_session_editor_reload_lots:
 * @self: a #MesoSessionEditor
 *
 * Reads the recent lots again: another workstation may have used a new one.
 */
void
meso_session_editor_reload_lots (MesoSessionEditor *self)
{
  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));
  load_recent_lots (self);
}

/**
 * meso_session_editor_set_defaults:
 * @self: a #MesoSessionEditor
 * @language: (nullable): the sheet language of a new session ("en", "fr", "es")
 * @practitioner: (nullable): who works at this chair, filled in on every new session
 *
 * The preferences' defaults, applied each time the form is cleared for a new session.
 */
void
meso_session_editor_set_defaults (MesoSessionEditor *self,
                                  const char        *language,
                                  const char        *practitioner)
{
  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  g_free (self->default_language);
  self->default_language = g_strdup (language);
  g_free (self->default_practitioner);
  self->default_practitioner = practitioner != NULL && *practitioner != '\0'
                               ? g_strdup (practitioner) : NULL;
}

/**
 * meso_session_editor_start_from:
 * @self: a #MesoSessionEditor
 * @last: the patient's latest session
 * @session_number: the number of the session about to be recorded in their series
 *
 * Empties the form for the patient's next session: who they are, and what a series
 * keeps from one session to the next (indication, technique, product, the lot while in
 * date, practitioner, the series' length), come from @last, each value carried marked
 * as such. What changes each time (areas, counts, reactions) is left to be typed.
 */
void
meso_session_editor_start_from (MesoSessionEditor *self,
                                MesoSession       *last,
                                guint              session_number)
{
  static const MesoField identity[] = {
    MESO_FIELD_PATIENT, MESO_FIELD_DATE_OF_BIRTH, MESO_FIELD_LANGUAGE,
    MESO_FIELD_BLOOD_THINNERS, MESO_FIELD_PREGNANT, MESO_FIELD_ALLERGIES,
  };

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));
  g_return_if_fail (MESO_IS_SESSION (last));

  meso_session_editor_clear (self);
  /* Filling the name must not open the search of patients over the form. */
  self->filling = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (identity); i++)
    set_field (self, identity[i], last);
  self->filling = FALSE;
  carry_from_last (self, last, session_number);
  focus_field (self, field_index (MESO_FIELD_AREAS));
  mark_fresh (self);
}

/* ---- Unsaved work and its draft ----
 *
 * "Unsaved" is measured against the form as it was started (cleared, or started from a
 * patient's last session): what the practitioner typed or picked since. */

/* The form as it stands now is its fresh state. */
static void
mark_fresh (MesoSessionEditor *self)
{
  g_strfreev (self->fresh);
  self->fresh = g_new0 (char *, N_FIELDS + 1);
  for (guint i = 0; i < N_FIELDS; i++)
    self->fresh[i] = read_text (self, i);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * meso_session_editor_get_unsaved:
 * @self: a #MesoSessionEditor
 *
 * Returns: whether the form differs from how it was started: work that closing it, or
 *   starting another session, would lose.
 */
gboolean
meso_session_editor_get_unsaved (MesoSessionEditor *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_EDITOR (self), FALSE);

  for (guint i = 0; self->fresh != NULL && i < N_FIELDS; i++)
    {
      g_autofree char *text = read_text (self, i);

      if (g_strcmp0 (text, self->fresh[i]) != 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * meso_session_editor_get_draft:
 * @self: a #MesoSessionEditor
 *
 * Returns: (transfer full): every field of the form as it is typed, valid or not.
 */
MesoDraft *
meso_session_editor_get_draft (MesoSessionEditor *self)
{
  MesoDraft *draft;

  g_return_val_if_fail (MESO_IS_SESSION_EDITOR (self), NULL);

  draft = meso_draft_new ();
  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_autofree char *text = read_text (self, i);

      meso_draft_set_text (draft, fields[i].field, text);
    }
  return draft;
}

static void
set_text (MesoSessionEditor *self,
          guint              index,
          const char        *text)
{
  GtkWidget *widget = self->widgets[index];
  g_auto(GStrv) ids = NULL;

  switch (fields[index].holder)
    {
    case HOLDER_OPTIONAL:
      if (*text == '\0')
        {
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), 0);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case HOLDER_EDITABLE:
      gtk_editable_set_text (GTK_EDITABLE (widget), text);
      break;
    case HOLDER_CHECK:
      gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), g_str_equal (text, "yes"));
      break;
    case HOLDER_TEXT_VIEW:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
      break;
    case HOLDER_CHOICE:
    case HOLDER_FLAGS:
      ids = g_strsplit (text, ",", -1);
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        {
          GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

          set_pressed (button, g_strv_contains ((const char * const *) ids,
                                                gtk_widget_get_name (button)));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * meso_session_editor_load_draft:
 * @self: a #MesoSessionEditor
 * @draft: a draft of this form, left by a crash or a power cut
 *
 * Fills the form as it was typed when @draft was written; a field the draft does not
 * hold is left as a new session has it. The form then holds unsaved work.
 */
void
meso_session_editor_load_draft (MesoSessionEditor *self,
                                MesoDraft         *draft)
{
  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));
  g_return_if_fail (MESO_IS_DRAFT (draft));

  meso_session_editor_clear (self);
  /* Filling the name must not open the search of patients over the form. */
  self->filling = TRUE;
  for (guint i = 0; i < N_FIELDS; i++)
    {
      const char *text = meso_draft_get_text (draft, fields[i].field);

      if (text != NULL)
        set_text (self, i, text);
    }
  self->filling = FALSE;
}
