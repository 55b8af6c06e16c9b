/* meso-preferences-window.c
 *
 * Every row is bound to its GSettings key: a change is saved at once, and the sheet
 * shown in the main window follows it (MesoWindow listens to the settings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-preferences-window.h"

/* The combo rows' items, in order, and the keys' values they stand for. */
static const char * const paper_ids[] = { "", "a4", "letter", NULL };
static const char * const language_ids[] = { "en", "fr", "es", NULL };

struct _MesoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template children */
  AdwEntryRow          *address_row;
  AdwComboRow          *current_row;
  AdwComboRow          *language_row;
  AdwEntryRow          *new_practitioner_row;
  AdwPreferencesGroup  *practitioners_group;
  GPtrArray            *practitioner_rows;   /* the rows listing practitioners */
  AdwEntryRow          *email_row;
  GtkButton            *logo_choose_button;
  GtkButton            *logo_remove_button;
  AdwActionRow         *logo_row;
  AdwEntryRow          *name_row;
  AdwComboRow          *paper_row;
  AdwEntryRow          *phone_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (MesoPreferencesWindow, meso_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A combo row's position from a string key, through a NULL-terminated list of values. */
static gboolean
value_to_row (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  const char * const *ids = user_data;
  const char *id = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, 0);
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (id, ids[i]))
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
row_to_value (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  const char * const *ids = user_data;
  guint index = g_value_get_uint (value);

  return g_variant_new_string (index < g_strv_length ((char **) ids) ? ids[index] : ids[0]);
}

static void on_current_selected_cb (MesoPreferencesWindow *self);

static void
on_remove_practitioner_cb (GtkButton             *button,
                           MesoPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "practitioner");
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "practitioners");
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  g_autofree char *current = g_settings_get_string (self->settings, "current-practitioner");

  for (guint i = 0; names[i] != NULL; i++)
    if (!g_str_equal (names[i], name))
      g_strv_builder_add (kept, names[i]);
  result = g_strv_builder_end (kept);
  if (g_str_equal (current, name))
    g_settings_set_string (self->settings, "current-practitioner", "");
  g_settings_set_strv (self->settings, "practitioners", (const char * const *) result);
}

/* One row a practitioner, with a button to take them off the list; and the chair's
 * choice among them. */
static void
on_practitioners_changed_cb (MesoPreferencesWindow *self)
{
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "practitioners");
  g_autofree char *current = g_settings_get_string (self->settings, "current-practitioner");
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < self->practitioner_rows->len; i++)
    adw_preferences_group_remove (self->practitioners_group,
                                  g_ptr_array_index (self->practitioner_rows, i));
  g_ptr_array_set_size (self->practitioner_rows, 0);

  gtk_string_list_append (choices, _("Nobody in particular"));
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *remove_name = g_strdup_printf (_("Remove %s"), names[i]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_name, -1);
      gtk_widget_set_name (remove, names[i]);
      g_object_set_data_full (G_OBJECT (remove), "practitioner", g_strdup (names[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_practitioner_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->practitioners_group, row);
      g_ptr_array_add (self->practitioner_rows, row);

      gtk_string_list_append (choices, names[i]);
      if (g_str_equal (names[i], current))
        selected = i + 1;
    }
  g_signal_handlers_block_by_func (self->current_row, on_current_selected_cb, self);
  adw_combo_row_set_model (self->current_row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (self->current_row, selected);
  g_signal_handlers_unblock_by_func (self->current_row, on_current_selected_cb, self);
}

/* Only the selection moves here: replacing the model would pull it from under the
 * combo row while it is still announcing the choice that changed the key. */
static void
on_current_changed_cb (MesoPreferencesWindow *self)
{
  g_autofree char *current = g_settings_get_string (self->settings, "current-practitioner");
  GListModel *model = adw_combo_row_get_model (self->current_row);
  guint selected = 0;

  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), current))
        selected = i;
    }
  if (adw_combo_row_get_selected (self->current_row) == selected)
    return;
  g_signal_handlers_block_by_func (self->current_row, on_current_selected_cb, self);
  adw_combo_row_set_selected (self->current_row, selected);
  g_signal_handlers_unblock_by_func (self->current_row, on_current_selected_cb, self);
}

static void
on_current_selected_cb (MesoPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->current_row);
  GListModel *model = adw_combo_row_get_model (self->current_row);
  g_autoptr(GtkStringObject) item = selected > 0 ? g_list_model_get_item (model, selected) : NULL;

  g_settings_set_string (self->settings, "current-practitioner",
                         item != NULL ? gtk_string_object_get_string (item) : "");
}

static void
on_add_practitioner_cb (MesoPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_practitioner_row))));
  g_auto(GStrv) names = g_settings_get_strv (self->settings, "practitioners");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  if (*name == '\0' || g_strv_contains ((const char * const *) names, name))
    return;
  g_strv_builder_addv (builder, (const char **) names);
  g_strv_builder_add (builder, name);
  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "practitioners", (const char * const *) result);
  gtk_editable_set_text (GTK_EDITABLE (self->new_practitioner_row), "");
}

static void
update_logo_row (MesoPreferencesWindow *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "clinic-logo");
  g_autofree char *name = *path != '\0' ? g_path_get_basename (path) : NULL;

  adw_action_row_set_subtitle (self->logo_row, name != NULL ? name : _("No logo"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->logo_remove_button), name != NULL);
}

static void
on_logo_chosen_cb (GtkNativeDialog       *dialog,
                   int                    response,
                   MesoPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        g_settings_set_string (self->settings, "clinic-logo", path);
    }
  g_object_unref (dialog);
}

static void
on_logo_choose_cb (MesoPreferencesWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Images (PNG, SVG)"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/svg+xml");
  dialog = gtk_file_chooser_native_new (_("Choose the Clinic’s Logo"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                        _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_logo_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_logo_remove_cb (MesoPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "clinic-logo", "");
}

static void
bind_settings (MesoPreferencesWindow *self)
{
  g_settings_bind (self->settings, "clinic-name", self->name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clinic-address", self->address_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clinic-phone", self->phone_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clinic-email", self->email_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "paper-size", self->paper_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, value_to_row, row_to_value,
                                (gpointer) paper_ids, NULL);
  g_settings_bind_with_mapping (self->settings, "default-language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, value_to_row, row_to_value,
                                (gpointer) language_ids, NULL);
  g_signal_connect_object (self->settings, "changed::practitioners",
                           G_CALLBACK (on_practitioners_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::current-practitioner",
                           G_CALLBACK (on_current_changed_cb), self, G_CONNECT_SWAPPED);
  on_practitioners_changed_cb (self);
  g_signal_connect_object (self->settings, "changed::clinic-logo",
                           G_CALLBACK (update_logo_row), self, G_CONNECT_SWAPPED);
  update_logo_row (self);
}

static void
meso_preferences_window_constructed (GObject *object)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (meso_preferences_window_parent_class)->constructed (object);
  bind_settings (self);
}

static void
meso_preferences_window_dispose (GObject *object)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->practitioner_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (meso_preferences_window_parent_class)->dispose (object);
}

static void
meso_preferences_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_preferences_window_class_init (MesoPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_preferences_window_constructed;
  object_class->dispose = meso_preferences_window_dispose;
  object_class->set_property = meso_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, current_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, new_practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, practitioners_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, logo_choose_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, logo_remove_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, logo_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, paper_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, phone_row);
}

static void
meso_preferences_window_init (MesoPreferencesWindow *self)
{
  self->practitioner_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->new_practitioner_row, "apply",
                            G_CALLBACK (on_add_practitioner_cb), self);
  g_signal_connect_swapped (self->new_practitioner_row, "entry-activated",
                            G_CALLBACK (on_add_practitioner_cb), self);
  g_signal_connect_swapped (self->current_row, "notify::selected",
                            G_CALLBACK (on_current_selected_cb), self);

  g_signal_connect_swapped (self->logo_choose_button, "clicked",
                            G_CALLBACK (on_logo_choose_cb), self);
  g_signal_connect_swapped (self->logo_remove_button, "clicked",
                            G_CALLBACK (on_logo_remove_cb), self);
}

/**
 * meso_preferences_window_new:
 * @settings: Mesocare's settings
 *
 * Returns: (transfer floating): the preferences window.
 */
GtkWidget *
meso_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  return g_object_new (MESO_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
