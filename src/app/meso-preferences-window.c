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

/* The paper row's items, in order, and the key's values they stand for. */
static const char * const paper_ids[] = { "", "a4", "letter" };

struct _MesoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template children */
  AdwEntryRow          *address_row;
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

static gboolean
paper_to_row (GValue   *value,
              GVariant *variant,
              gpointer  user_data)
{
  const char *id = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (paper_ids); i++)
    if (g_str_equal (id, paper_ids[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
row_to_paper (const GValue       *value,
              const GVariantType *type,
              gpointer            user_data)
{
  guint index = g_value_get_uint (value);

  return g_variant_new_string (index < G_N_ELEMENTS (paper_ids) ? paper_ids[index] : "");
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
                                G_SETTINGS_BIND_DEFAULT, paper_to_row, row_to_paper, NULL, NULL);
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
  gtk_widget_init_template (GTK_WIDGET (self));

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
