/* meso-session-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-session-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-error.h"
#include "meso-session-editor.h"
#include "meso-validate.h"

struct _MesoSessionEditor
{
  GtkWidget       parent_instance;

  /* template children */
  GtkFlowBox     *areas_box;
  GtkLabel       *areas_error;
  GtkWidget      *box;
  GtkLabel       *duration_error;
  GtkSpinButton  *duration_spin;
  GtkLabel       *injections_error;
  GtkSpinButton  *injections_spin;
  GtkLabel       *patient_error;
  GtkEntry       *patient_entry;
  GtkButton      *save_button;

  GtkCheckButton *area_buttons[MESO_N_AREAS];  /* one per area, in MESO_AREA_FOREACH order */
};

G_DEFINE_FINAL_TYPE (MesoSessionEditor, meso_session_editor, GTK_TYPE_WIDGET)

typedef struct
{
  GtkWidget *widget;
  GtkLabel  *message;
} FieldWidgets;

static FieldWidgets
field_widgets (MesoSessionEditor *self,
               MesoField          field)
{
  switch (field)
    {
    case MESO_FIELD_PATIENT:
      return (FieldWidgets) { GTK_WIDGET (self->patient_entry), self->patient_error };
    case MESO_FIELD_AREAS:
      return (FieldWidgets) { GTK_WIDGET (self->areas_box), self->areas_error };
    case MESO_FIELD_INJECTIONS:
      return (FieldWidgets) { GTK_WIDGET (self->injections_spin), self->injections_error };
    case MESO_FIELD_DURATION:
      return (FieldWidgets) { GTK_WIDGET (self->duration_spin), self->duration_error };
    case MESO_FIELD_NONE:
    default:
      return (FieldWidgets) { NULL, NULL };
    }
}

static void
clear_errors (MesoSessionEditor *self)
{
  for (MesoField field = MESO_FIELD_PATIENT; field <= MESO_FIELD_DURATION; field++)
    {
      FieldWidgets fw = field_widgets (self, field);

      gtk_widget_remove_css_class (fw.widget, "error");
      gtk_widget_set_visible (GTK_WIDGET (fw.message), FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (fw.widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* A message stays only as long as the value it is about: typing clears it. */
static void
on_field_changed_cb (MesoSessionEditor *self)
{
  clear_errors (self);
}

static void
add_area_buttons (MesoSessionEditor *self)
{
  guint i = 0;

  MESO_AREA_FOREACH (area)
    {
      GtkWidget *button = gtk_check_button_new_with_label (meso_area_get_label (area));

      gtk_widget_set_name (button, meso_area_get_id (area));
      g_signal_connect_swapped (button, "toggled", G_CALLBACK (on_field_changed_cb), self);
      gtk_flow_box_append (self->areas_box, button);
      /* The check button takes the focus; its flow box cell would be a second, nameless
       * stop for keyboard and screen reader users. */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
      self->area_buttons[i++] = GTK_CHECK_BUTTON (button);
    }
  g_assert (i == G_N_ELEMENTS (self->area_buttons));
}

static void
meso_session_editor_dispose (GObject *object)
{
  MesoSessionEditor *self = (MesoSessionEditor *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_SESSION_EDITOR);
  G_OBJECT_CLASS (meso_session_editor_parent_class)->dispose (object);
}

static void
meso_session_editor_class_init (MesoSessionEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_session_editor_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-session-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, areas_box);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, areas_error);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, box);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, duration_error);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, injections_error);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, injections_spin);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, patient_error);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, patient_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionEditor, save_button);
}

static void
meso_session_editor_init (MesoSessionEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_area_buttons (self);

  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own (it cannot see a static callback). */
  g_signal_connect_swapped (self->patient_entry, "changed", G_CALLBACK (on_field_changed_cb), self);
  g_signal_connect_swapped (self->injections_spin, "changed", G_CALLBACK (on_field_changed_cb),
                            self);
  g_signal_connect_swapped (self->duration_spin, "changed", G_CALLBACK (on_field_changed_cb), self);
}

GtkWidget *
meso_session_editor_new (void)
{
  return g_object_new (MESO_TYPE_SESSION_EDITOR, NULL);
}

static MesoArea
read_areas (MesoSessionEditor *self)
{
  MesoArea areas = MESO_AREA_NONE;
  guint i = 0;

  MESO_AREA_FOREACH (area)
    if (gtk_check_button_get_active (self->area_buttons[i++]))
      areas |= area;
  return areas;
}

/**
 * meso_session_editor_read_session:
 * @self: a #MesoSessionEditor
 * @error: a #GError; meso_error_get_field() tells which field it is about
 *
 * The counts are read from the text the user sees, not from the spin buttons' values,
 * so that what was typed is what is checked: nothing is clamped behind their back.
 *
 * Returns: (transfer full) (nullable): a new, validated session, or %NULL.
 */
MesoSession *
meso_session_editor_read_session (MesoSessionEditor  *self,
                                  GError            **error)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  const char *injections_text = gtk_editable_get_text (GTK_EDITABLE (self->injections_spin));
  const char *duration_text = gtk_editable_get_text (GTK_EDITABLE (self->duration_spin));
  guint injections = 0;
  guint duration = 0;

  g_return_val_if_fail (MESO_IS_SESSION_EDITOR (self), NULL);

  meso_session_set_patient_name (session, gtk_editable_get_text (GTK_EDITABLE (self->patient_entry)));
  meso_session_set_areas (session, read_areas (self));

  if (!meso_validate_patient_name (meso_session_get_patient_name (session), error)
      || !meso_validate_areas (meso_session_get_areas (session), error)
      || !meso_parse_injections (injections_text, &injections, error)
      || !meso_parse_duration (duration_text, &duration, error))
    return NULL;

  meso_session_set_injections (session, injections);
  meso_session_set_duration (session, duration);
  if (!meso_session_validate (session, error))
    return NULL;
  return g_steal_pointer (&session);
}

/**
 * meso_session_editor_show_error:
 * @self: a #MesoSessionEditor
 * @error: a validation error from the core
 *
 * Marks the field @error is about, shows the message beside it, and moves the focus
 * there so the practitioner can correct it at once.
 */
void
meso_session_editor_show_error (MesoSessionEditor *self,
                                const GError      *error)
{
  FieldWidgets fw;

  g_return_if_fail (MESO_IS_SESSION_EDITOR (self));

  clear_errors (self);
  fw = field_widgets (self, meso_error_get_field (error));
  if (fw.widget == NULL)
    return;

  gtk_label_set_text (fw.message, error->message);
  gtk_widget_set_visible (GTK_WIDGET (fw.message), TRUE);
  gtk_widget_add_css_class (fw.widget, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (fw.widget),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (fw.widget),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, fw.message, NULL, -1);
  if (fw.widget == GTK_WIDGET (self->areas_box))
    gtk_widget_grab_focus (GTK_WIDGET (self->area_buttons[0]));
  else
    gtk_widget_grab_focus (fw.widget);
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

  gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), "");
  for (guint i = 0; i < G_N_ELEMENTS (self->area_buttons); i++)
    gtk_check_button_set_active (self->area_buttons[i], FALSE);
  gtk_spin_button_set_value (self->injections_spin, 0);
  gtk_spin_button_set_value (self->duration_spin, 0);
  clear_errors (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
}
