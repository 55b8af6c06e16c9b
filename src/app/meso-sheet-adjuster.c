/* meso-sheet-adjuster.c
 *
 * One row per piece of advice the sheet prints, in print order: a check button (printed
 * or not) and the words, editable in a field that wraps them over as many lines as they
 * take, filled in as the patient reads them ("session 3 of 6", not "{session-number}").
 * Below, the lines added for this patient. Every change updates the adjustments at once
 * and emits ::changed, so the preview can follow.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet-adjuster"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-sheet.h"
#include "meso-sheet-adjuster.h"

#define ACCESSIBLE_EXCERPT_CHARS 48

struct _MesoSheetAdjuster
{
  GtkWidget        parent_instance;

  /* template children */
  GtkButton       *add_line_button;
  GtkLabel        *error_label;
  GtkListBox      *lines_list;
  GtkEntry        *new_line_entry;
  GtkListBox      *rules_list;
  GtkWidget       *scroller;

  MesoAdjustments *adjustments;
};

G_DEFINE_FINAL_TYPE (MesoSheetAdjuster, meso_sheet_adjuster, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (MesoSheetAdjuster *self,
            const GError      *error)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->error_label, error->message);
}

static void
remove_all_rows (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, row);
}

/* Screen readers tell rows apart by what they say: the start of the advice. */
static char *
excerpt (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= ACCESSIBLE_EXCERPT_CHARS)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, ACCESSIBLE_EXCERPT_CHARS);
  return g_strconcat (start, "…", NULL);
}

static void
on_rule_toggled_cb (GtkCheckButton    *check,
                    MesoSheetAdjuster *self)
{
  const char *rule_id = g_object_get_data (G_OBJECT (check), "rule-id");
  GtkWidget *entry = g_object_get_data (G_OBJECT (check), "entry");
  gboolean printed = gtk_check_button_get_active (check);

  meso_adjustments_set_rule_off (self->adjustments, rule_id, !printed);
  gtk_widget_set_sensitive (entry, printed);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The rule's own words typed back mean "no change": nothing is stored for them. */
static void
on_rule_text_changed_cb (GtkTextBuffer     *buffer,
                         MesoSheetAdjuster *self)
{
  GtkWidget *view = g_object_get_data (G_OBJECT (buffer), "view");
  const char *rule_id = g_object_get_data (G_OBJECT (buffer), "rule-id");
  const char *original = g_object_get_data (G_OBJECT (buffer), "original");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start, end;
  gboolean same;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  same = g_str_equal (text, original);
  if (!meso_adjustments_set_text (self->adjustments, rule_id, same ? NULL : text, &error))
    {
      show_error (self, error);
      gtk_widget_add_css_class (view, "error");
      return;
    }
  show_error (self, NULL);
  gtk_widget_remove_css_class (view, "error");
  g_signal_emit (self, signals[CHANGED], 0);
}

/* A piece of advice is one line of the sheet, however many it wraps over here: Enter
 * does not break it. */
static gboolean
on_rule_key_pressed_cb (GtkEventControllerKey *controller,
                        guint                  keyval,
                        guint                  keycode,
                        GdkModifierType        state,
                        gpointer               user_data)
{
  return keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter;
}

static GtkWidget *
new_rule_text_view (const char *text)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  /* Tab goes on to the next control, as in any other field. */
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  gtk_widget_set_hexpand (view, TRUE);
  gtk_widget_add_css_class (view, "card");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_rule_key_pressed_cb), NULL);
  gtk_widget_add_controller (view, keys);
  return view;
}

static void
add_rule_row (MesoSheetAdjuster *self,
              MesoSheet         *sheet,
              const MesoRule    *rule,
              const char        *original)
{
  const char *rule_id = meso_rule_get_id (rule);
  const char *adjusted = meso_adjustments_get_text (self->adjustments, rule_id);
  g_autofree char *shown = meso_sheet_fill_text (sheet, adjusted != NULL ? adjusted : original);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check = gtk_check_button_new ();
  GtkWidget *view = new_rule_text_view (shown);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *short_text = excerpt (original);
  g_autofree char *check_name = g_strdup_printf (_("Print: %s"), short_text);
  g_autofree char *view_name = g_strdup_printf (_("Words: %s"), short_text);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_valign (check, GTK_ALIGN_START);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               !meso_adjustments_is_rule_off (self->adjustments, rule_id));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  check_name, -1);
  gtk_widget_set_sensitive (view, gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  view_name, -1);
  gtk_widget_set_name (check, rule_id);
  gtk_widget_set_name (view, rule_id);
  /* Safety lines are printed on every sheet, as written: shown, never changed. */
  if (meso_rule_is_safety (rule))
    {
      gtk_widget_set_sensitive (check, FALSE);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
      gtk_widget_set_tooltip_text (box, _("A safety line: printed on every sheet as written. "
                                          "Add a line of your own below instead."));
    }

  g_object_set_data_full (G_OBJECT (check), "rule-id", g_strdup (rule_id), g_free);
  g_object_set_data (G_OBJECT (check), "entry", view);
  g_object_set_data (G_OBJECT (buffer), "view", view);
  g_object_set_data_full (G_OBJECT (buffer), "rule-id", g_strdup (rule_id), g_free);
  g_object_set_data_full (G_OBJECT (buffer), "original", g_strdup (original), g_free);
  g_signal_connect (check, "toggled", G_CALLBACK (on_rule_toggled_cb), self);
  g_signal_connect (buffer, "changed", G_CALLBACK (on_rule_text_changed_cb), self);

  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), view);
  gtk_list_box_append (self->rules_list, box);
  gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
}

static void rebuild_lines (MesoSheetAdjuster *self);

static void
on_remove_line_cb (GtkButton         *button,
                   MesoSheetAdjuster *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_auto(GStrv) lines = g_strdupv ((char **) meso_adjustments_get_lines (self->adjustments));

  meso_adjustments_clear_lines (self->adjustments);
  for (guint i = 0; lines[i] != NULL; i++)
    if (i != index)
      meso_adjustments_add_line (self->adjustments, lines[i], NULL);
  rebuild_lines (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
rebuild_lines (MesoSheetAdjuster *self)
{
  const char * const *lines = meso_adjustments_get_lines (self->adjustments);

  remove_all_rows (self->lines_list);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (lines[i]);
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *short_text = excerpt (lines[i]);
      g_autofree char *remove_name = g_strdup_printf (_("Remove: %s"), short_text);

      gtk_widget_set_margin_start (box, 12);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (remove, _("Remove this line"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      gtk_widget_set_size_request (remove, 44, 44);
      gtk_widget_add_css_class (remove, "flat");
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_line_cb), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_list_box_append (self->lines_list, box);
      gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->lines_list), lines[0] != NULL);
}

static void
on_add_line_cb (MesoSheetAdjuster *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->new_line_entry));
  g_autoptr(GError) error = NULL;

  if (!meso_adjustments_add_line (self->adjustments, text, &error))
    {
      show_error (self, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->new_line_entry));
      return;
    }
  show_error (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->new_line_entry), "");
  rebuild_lines (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * meso_sheet_adjuster_load:
 * @self: a #MesoSheetAdjuster
 * @rules: the aftercare rules
 * @session: the session whose sheet is adjusted
 * @language: the sheet's language: the words are shown as the patient reads them
 * @adjustments: the adjustments stored so far (copied)
 */
void
meso_sheet_adjuster_load (MesoSheetAdjuster *self,
                          MesoRules         *rules,
                          MesoSession       *session,
                          const char        *language,
                          MesoAdjustments   *adjustments)
{
  g_autoptr(GPtrArray) selected = meso_rules_select (rules, session);
  g_autofree char *data = meso_adjustments_to_data (adjustments);
  /* What fills the placeholders in, as the sheet printed does. */
  g_autoptr(MesoSheet) sheet = meso_sheet_new (session, rules);

  g_return_if_fail (MESO_IS_SHEET_ADJUSTER (self));

  g_clear_object (&self->adjustments);
  self->adjustments = meso_adjustments_new_from_data (data, NULL);
  if (self->adjustments == NULL)
    self->adjustments = meso_adjustments_new ();
  meso_rules_keep_safety_lines (rules, self->adjustments);

  remove_all_rows (self->rules_list);
  meso_sheet_set_language (sheet, language);
  for (guint i = 0; i < selected->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (selected, i);
      g_autofree char *text = meso_rules_get_text (rules, rule, language);
      g_autofree char *filled = meso_sheet_fill_text (sheet, text);

      add_rule_row (self, sheet, rule, filled);
    }
  rebuild_lines (self);
  show_error (self, NULL);
}

/**
 * meso_sheet_adjuster_get_adjustments:
 * @self: a #MesoSheetAdjuster
 *
 * Returns: (transfer none): the adjustments as they stand.
 */
MesoAdjustments *
meso_sheet_adjuster_get_adjustments (MesoSheetAdjuster *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_ADJUSTER (self), NULL);
  return self->adjustments;
}

static void
meso_sheet_adjuster_dispose (GObject *object)
{
  MesoSheetAdjuster *self = MESO_SHEET_ADJUSTER (object);

  g_clear_object (&self->adjustments);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_SHEET_ADJUSTER);
  G_OBJECT_CLASS (meso_sheet_adjuster_parent_class)->dispose (object);
}

static void
meso_sheet_adjuster_class_init (MesoSheetAdjusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_sheet_adjuster_dispose;

  /**
   * MesoSheetAdjuster::changed:
   *
   * The practitioner changed something: the adjustments are up to date.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-sheet-adjuster.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoSheetAdjuster, add_line_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetAdjuster, error_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetAdjuster, lines_list);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetAdjuster, new_line_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetAdjuster, rules_list);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetAdjuster, scroller);
}

static void
meso_sheet_adjuster_init (MesoSheetAdjuster *self)
{
  self->adjustments = meso_adjustments_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own. */
  g_signal_connect_swapped (self->new_line_entry, "activate", G_CALLBACK (on_add_line_cb), self);
  g_signal_connect_swapped (self->add_line_button, "clicked", G_CALLBACK (on_add_line_cb), self);
}

GtkWidget *
meso_sheet_adjuster_new (void)
{
  return g_object_new (MESO_TYPE_SHEET_ADJUSTER, NULL);
}
