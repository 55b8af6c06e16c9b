/* meso-preferences-window.c
 *
 * Two kinds of preferences. The clinic's details and its practitioners are the same for
 * every workstation: they live in the database, each change applied (its row's apply
 * button, or Enter) and audited. What belongs to this computer (the paper, who sits at
 * this chair, the language of new patients' sheets) stays in GSettings, bound to its
 * row and saved at once. The sheet shown in the main window follows both (MesoWindow
 * listens to the store and to the settings).
 *
 * Nothing here waits on the database: reads and writes go to the store's worker thread
 * and are answered on the main loop. A row is insensitive while its value is being
 * saved. The window may be closed meanwhile: its cancellable, cancelled in dispose,
 * cancels the reads, and tells the writes' answers that nothing is left to show them
 * in. Writes themselves are not cancelled (a value applied is kept, window or not):
 * their answers are just not shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-preferences-window.h"
#include "meso-server-page.h"

/* The combo rows' items, in order, and the keys' values they stand for. */
static const char * const paper_ids[] = { "", "a4", "letter", NULL };
static const char * const language_ids[] = { "en", "fr", "es", NULL };

struct _MesoPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template children */
  AdwEntryRow          *address_row;
  AdwPreferencesPage   *clinic_page;
  AdwComboRow          *current_row;
  AdwEntryRow          *email_row;
  AdwEntryRow          *emergency_row;
  AdwComboRow          *language_row;
  GtkButton            *logo_choose_button;
  GtkButton            *logo_remove_button;
  AdwActionRow         *logo_row;
  AdwEntryRow          *name_row;
  AdwEntryRow          *new_practitioner_row;
  AdwComboRow          *paper_row;
  AdwEntryRow          *phone_row;
  AdwPreferencesGroup  *practitioners_group;

  GPtrArray            *practitioner_rows;  /* the rows listing practitioners */
  GSettings            *settings;
  MesoStore            *store;
  MesoServerPage       *server_page;        /* where the records are */
  MesoClinic           *shown;              /* the details as last read from the store */
  GCancellable         *cancellable;        /* cancelled when the window goes */
};

G_DEFINE_FINAL_TYPE (MesoPreferencesWindow, meso_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_STORE,
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

/* The store's messages name the field: shown as they are. */
static void
show_error (MesoPreferencesWindow *self,
            const GError          *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 6);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* A write on its way: what its answer needs. The window is not held: it is looked at
 * only while the cancellable, its own, is not cancelled. */
typedef struct
{
  MesoPreferencesWindow *self;
  GCancellable          *cancellable;
  GtkWidget             *row;       /* insensitive until the answer */
  MesoClinic            *clinic;    /* set_clinic: the details sent */
  MesoClinicFields       field;
  char                  *name;      /* retire: who */
} Pending;

static Pending *
pending_new (MesoPreferencesWindow *self,
             GtkWidget             *row)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->cancellable = g_object_ref (self->cancellable);
  pending->row = g_object_ref (row);
  gtk_widget_set_sensitive (row, FALSE);
  return pending;
}

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->cancellable);
  g_clear_object (&pending->row);
  g_clear_object (&pending->clinic);
  g_free (pending->name);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* Whether the answer has a window to be shown in; if so, the row is usable again. */
static gboolean
pending_done (Pending *pending)
{
  if (g_cancellable_is_cancelled (pending->cancellable))
    return FALSE;
  gtk_widget_set_sensitive (pending->row, TRUE);
  return TRUE;
}

/* A refused value: its row is marked, and the reason shown. */
static void
refused (Pending      *pending,
         const GError *error)
{
  gtk_widget_add_css_class (pending->row, "error");
  show_error (pending->self, error);
}

/* ---- The clinic's details ---- */

static AdwEntryRow *
detail_row (MesoPreferencesWindow *self,
            MesoClinicFields       field)
{
  switch (field)
    {
    case MESO_CLINIC_NAME: return self->name_row;
    case MESO_CLINIC_ADDRESS: return self->address_row;
    case MESO_CLINIC_PHONE: return self->phone_row;
    case MESO_CLINIC_EMAIL: return self->email_row;
    case MESO_CLINIC_EMERGENCY_NUMBER: return self->emergency_row;
    default: g_return_val_if_reached (NULL);
    }
}

static const char *
detail_text (MesoClinic       *clinic,
             MesoClinicFields  field)
{
  switch (field)
    {
    case MESO_CLINIC_NAME: return meso_clinic_get_name (clinic);
    case MESO_CLINIC_ADDRESS: return meso_clinic_get_address (clinic);
    case MESO_CLINIC_PHONE: return meso_clinic_get_phone (clinic);
    case MESO_CLINIC_EMAIL: return meso_clinic_get_email (clinic);
    case MESO_CLINIC_EMERGENCY_NUMBER: return meso_clinic_get_emergency_number (clinic);
    default: g_return_val_if_reached (NULL);
    }
}

static void
set_detail_text (MesoClinic       *clinic,
                 MesoClinicFields  field,
                 const char       *text)
{
  switch (field)
    {
    case MESO_CLINIC_NAME: meso_clinic_set_name (clinic, text); break;
    case MESO_CLINIC_ADDRESS: meso_clinic_set_address (clinic, text); break;
    case MESO_CLINIC_PHONE: meso_clinic_set_phone (clinic, text); break;
    case MESO_CLINIC_EMAIL: meso_clinic_set_email (clinic, text); break;
    case MESO_CLINIC_EMERGENCY_NUMBER: meso_clinic_set_emergency_number (clinic, text); break;
    default: g_return_if_reached ();
    }
}

static const MesoClinicFields text_fields[] = {
  MESO_CLINIC_NAME, MESO_CLINIC_ADDRESS, MESO_CLINIC_PHONE, MESO_CLINIC_EMAIL,
  MESO_CLINIC_EMERGENCY_NUMBER,
};

static void
update_logo_row (MesoPreferencesWindow *self)
{
  GBytes *logo = meso_clinic_get_logo (self->shown);
  g_autofree char *subtitle = NULL;

  if (logo != NULL)
    {
      g_autofree char *size = g_format_size (g_bytes_get_size (logo));

      /* Translators: the logo's kind and size, such as "PNG image, 12.3 kB" */
      subtitle = g_strdup_printf (_("%s image, %s"),
                                  g_strcmp0 (meso_clinic_get_logo_type (self->shown),
                                             MESO_CLINIC_LOGO_SVG) == 0 ? "SVG" : "PNG", size);
    }
  adw_action_row_set_subtitle (self->logo_row, subtitle != NULL ? subtitle : _("No logo"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->logo_remove_button), logo != NULL);
}

/* A row still showing what was read last takes the new value; one being typed in keeps
 * what is typed. */
static void
on_clinic_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MesoPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic_finish (MESO_STORE (source), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  if (clinic == NULL)
    {
      show_error (self, error);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      AdwEntryRow *row = detail_row (self, text_fields[i]);
      const char *typed = gtk_editable_get_text (GTK_EDITABLE (row));

      if (self->shown == NULL || g_str_equal (typed, detail_text (self->shown, text_fields[i])))
        gtk_editable_set_text (GTK_EDITABLE (row), detail_text (clinic, text_fields[i]));
    }
  g_set_object (&self->shown, clinic);
  update_logo_row (self);
}

static void
load_clinic (MesoPreferencesWindow *self)
{
  meso_store_get_clinic_async (self->store, self->cancellable, on_clinic_read_cb, self);
}

static void
on_details_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved = meso_store_set_clinic_finish (MESO_STORE (source), result, &error);

  if (!pending_done (pending))
    return;
  if (!saved)
    {
      refused (pending, error);
      return;
    }
  gtk_widget_remove_css_class (pending->row, "error");
  /* As stored: without the blanks around it. */
  if (pending->field != MESO_CLINIC_LOGO)
    gtk_editable_set_text (GTK_EDITABLE (pending->row),
                           detail_text (pending->clinic, pending->field));
}

/* Saves @field of @clinic; @row is insensitive until the answer, and marked if the value
 * is refused. */
static void
save_details (MesoPreferencesWindow *self,
              GtkWidget             *row,
              MesoClinic            *clinic,
              MesoClinicFields       field)
{
  Pending *pending = pending_new (self, row);

  pending->clinic = g_object_ref (clinic);
  pending->field = field;
  meso_store_set_clinic_async (self->store, clinic, field, NULL, on_details_saved_cb, pending);
}

static void
on_detail_apply_cb (AdwEntryRow           *row,
                    MesoPreferencesWindow *self)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  MesoClinicFields field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "field"));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (row)))
    return;  /* being saved */
  set_detail_text (clinic, field, gtk_editable_get_text (GTK_EDITABLE (row)));
  save_details (self, GTK_WIDGET (row), clinic, field);
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
      g_autoptr(MesoClinic) clinic = meso_clinic_new ();
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        ;
      else if (!meso_clinic_set_logo_from_file (clinic, path, &error))
        show_error (self, error);
      else
        save_details (self, GTK_WIDGET (self->logo_row), clinic, MESO_CLINIC_LOGO);
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
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();

  save_details (self, GTK_WIDGET (self->logo_row), clinic, MESO_CLINIC_LOGO);
}

/* ---- The practitioners ---- */

static void on_current_selected_cb (MesoPreferencesWindow *self);

static void
on_practitioner_retired_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  gboolean retired = meso_store_retire_practitioner_finish (MESO_STORE (source), result,
                                                            &error);
  g_autofree char *current = NULL;

  if (!pending_done (pending))
    return;
  if (!retired)
    {
      show_error (pending->self, error);
      return;
    }
  current = g_settings_get_string (pending->self->settings, "current-practitioner");
  if (g_str_equal (current, pending->name))
    g_settings_set_string (pending->self->settings, "current-practitioner", "");
}

static void
on_retire_practitioner_cb (GtkButton             *button,
                           MesoPreferencesWindow *self)
{
  Pending *pending;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (button)))
    return;
  pending = pending_new (self, GTK_WIDGET (button));
  pending->name = g_strdup (gtk_widget_get_name (GTK_WIDGET (button)));
  meso_store_retire_practitioner_async (self->store, pending->name, NULL,
                                        on_practitioner_retired_cb, pending);
}

static void
on_practitioner_updated_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  gboolean updated = meso_store_update_practitioner_finish (MESO_STORE (source), result,
                                                            &error);

  if (!pending_done (pending))
    return;
  if (!updated)
    refused (pending, error);
  else
    gtk_widget_remove_css_class (pending->row, "error");
}

static void
on_practitioner_detail_apply_cb (AdwEntryRow           *row,
                                 MesoPreferencesWindow *self)
{
  MesoPractitioner *practitioner = g_object_get_data (G_OBJECT (row), "practitioner");
  g_autoptr(MesoPractitioner) changed = meso_practitioner_new (meso_practitioner_get_name (practitioner));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  if (!gtk_widget_get_sensitive (GTK_WIDGET (row)))
    return;  /* being saved */

  meso_practitioner_set_role (changed, meso_practitioner_get_role (practitioner));
  meso_practitioner_set_registration (changed, meso_practitioner_get_registration (practitioner));
  if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), "role") == 0)
    meso_practitioner_set_role (changed, text);
  else
    meso_practitioner_set_registration (changed, text);
  meso_store_update_practitioner_async (self->store, changed, NULL, on_practitioner_updated_cb,
                                        pending_new (self, GTK_WIDGET (row)));
}

static GtkWidget *
new_detail_row (MesoPreferencesWindow *self,
                MesoPractitioner      *practitioner,
                const char            *id,
                const char            *title,
                const char            *value)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  gtk_widget_set_name (row, id);
  g_object_set_data_full (G_OBJECT (row), "practitioner", g_object_ref (practitioner),
                          g_object_unref);
  g_signal_connect (row, "apply", G_CALLBACK (on_practitioner_detail_apply_cb), self);
  g_signal_connect (row, "entry-activated", G_CALLBACK (on_practitioner_detail_apply_cb), self);
  return row;
}

/* One row a practitioner: their role and number to edit, and a button that takes them
 * off the list (their sessions keep their name). */
static GtkWidget *
new_practitioner_row (MesoPreferencesWindow *self,
                      MesoPractitioner      *practitioner)
{
  const char *name = meso_practitioner_get_name (practitioner);
  const char *role = meso_practitioner_get_role (practitioner);
  const char *registration = meso_practitioner_get_registration (practitioner);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *retire = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *retire_label = g_strdup_printf (_("Take %s Off the List"), name);
  g_autofree char *subtitle = NULL;

  if (role != NULL && registration != NULL)
    subtitle = g_strdup_printf ("%s · %s", role, registration);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row),
                                 subtitle != NULL ? subtitle
                                 : role != NULL ? role
                                 : registration != NULL ? registration : "");
  gtk_widget_set_valign (retire, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (retire, "flat");
  gtk_widget_set_tooltip_text (retire, retire_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (retire), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  retire_label, -1);
  gtk_widget_set_name (retire, name);
  g_signal_connect (retire, "clicked", G_CALLBACK (on_retire_practitioner_cb), self);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), retire);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            new_detail_row (self, practitioner, "role", _("Role"), role));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            new_detail_row (self, practitioner, "registration",
                                            _("Registration number"), registration));
  return row;
}

/* The clinic's list as the store has it, and this chair's choice among them. */
static void
on_practitioners_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  MesoPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practitioners = meso_store_list_practitioners_finish (MESO_STORE (source),
                                                                             result, &error);
  g_autofree char *current = NULL;
  g_autoptr(GtkStringList) choices = NULL;
  guint selected = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  if (practitioners == NULL)
    {
      show_error (self, error);
      return;
    }
  current = g_settings_get_string (self->settings, "current-practitioner");
  choices = gtk_string_list_new (NULL);
  for (guint i = 0; i < self->practitioner_rows->len; i++)
    adw_preferences_group_remove (self->practitioners_group,
                                  g_ptr_array_index (self->practitioner_rows, i));
  g_ptr_array_set_size (self->practitioner_rows, 0);

  gtk_string_list_append (choices, _("Nobody in particular"));
  for (guint i = 0; i < practitioners->len; i++)
    {
      MesoPractitioner *practitioner = g_ptr_array_index (practitioners, i);
      GtkWidget *row = new_practitioner_row (self, practitioner);

      adw_preferences_group_add (self->practitioners_group, row);
      g_ptr_array_add (self->practitioner_rows, row);
      gtk_string_list_append (choices, meso_practitioner_get_name (practitioner));
      if (g_str_equal (meso_practitioner_get_name (practitioner), current))
        selected = i + 1;
    }
  g_signal_handlers_block_by_func (self->current_row, on_current_selected_cb, self);
  adw_combo_row_set_model (self->current_row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (self->current_row, selected);
  g_signal_handlers_unblock_by_func (self->current_row, on_current_selected_cb, self);
}

static void
load_practitioners (MesoPreferencesWindow *self)
{
  meso_store_list_practitioners_async (self->store, TRUE, self->cancellable,
                                       on_practitioners_read_cb, self);
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
on_practitioner_added_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  g_autoptr(GError) error = NULL;
  gboolean added = meso_store_add_practitioner_finish (MESO_STORE (source), result, &error);

  if (!pending_done (pending))
    return;
  if (!added)
    {
      /* The name refused stays, to be corrected. */
      refused (pending, error);
      return;
    }
  gtk_widget_remove_css_class (pending->row, "error");
  gtk_editable_set_text (GTK_EDITABLE (pending->row), "");
}

static void
on_add_practitioner_cb (MesoPreferencesWindow *self)
{
  GtkWidget *row = GTK_WIDGET (self->new_practitioner_row);
  g_autoptr(MesoPractitioner) practitioner = meso_practitioner_new (gtk_editable_get_text (GTK_EDITABLE (row)));

  if (*meso_practitioner_get_name (practitioner) == '\0' || !gtk_widget_get_sensitive (row))
    return;
  meso_store_add_practitioner_async (self->store, practitioner, NULL, on_practitioner_added_cb,
                                     pending_new (self, row));
}

static void
on_clinic_changed_cb (MesoPreferencesWindow *self)
{
  load_clinic (self);
  load_practitioners (self);
}

static void
bind_settings (MesoPreferencesWindow *self)
{
  g_settings_bind_with_mapping (self->settings, "paper-size", self->paper_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, value_to_row, row_to_value,
                                (gpointer) paper_ids, NULL);
  g_settings_bind_with_mapping (self->settings, "default-language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, value_to_row, row_to_value,
                                (gpointer) language_ids, NULL);
  g_signal_connect_object (self->settings, "changed::current-practitioner",
                           G_CALLBACK (on_current_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "clinic-changed",
                           G_CALLBACK (on_clinic_changed_cb), self, G_CONNECT_SWAPPED);
  load_clinic (self);
  load_practitioners (self);
}

static void
meso_preferences_window_constructed (GObject *object)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (meso_preferences_window_parent_class)->constructed (object);
  self->server_page = MESO_SERVER_PAGE (meso_server_page_new (self->settings));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->server_page));
  /* Without a store (the clinic server cannot be reached), only where the records are
   * can be changed: the clinic's details are on the server. */
  if (self->store == NULL)
    {
      adw_preferences_window_remove (ADW_PREFERENCES_WINDOW (self), self->clinic_page);
      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                               ADW_PREFERENCES_PAGE (self->server_page));
      return;
    }
  bind_settings (self);
}

static void
meso_preferences_window_dispose (GObject *object)
{
  MesoPreferencesWindow *self = MESO_PREFERENCES_WINDOW (object);

  /* Answers still on their way find nothing to show them in. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->shown);
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
    case PROP_STORE:
      self->store = g_value_dup_object (value);
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

  /**
   * MesoPreferencesWindow:settings:
   *
   * What belongs to this workstation: the paper, who sits at this chair, the language of
   * new patients' sheets.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MesoPreferencesWindow:store:
   *
   * Where the clinic's details and practitioners are, the same for every workstation.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, clinic_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, current_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, emergency_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, language_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, logo_choose_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, logo_remove_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, logo_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, new_practitioner_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, paper_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, phone_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPreferencesWindow, practitioners_group);
}

static void
meso_preferences_window_init (MesoPreferencesWindow *self)
{
  self->practitioner_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      AdwEntryRow *row = detail_row (self, text_fields[i]);

      g_object_set_data (G_OBJECT (row), "field", GUINT_TO_POINTER (text_fields[i]));
      g_signal_connect (row, "apply", G_CALLBACK (on_detail_apply_cb), self);
      g_signal_connect (row, "entry-activated", G_CALLBACK (on_detail_apply_cb), self);
    }
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
 * @settings: Mesocare's settings, for what belongs to this workstation
 * @store: (nullable): the store, for what the whole clinic shares; %NULL when the clinic
 *   server cannot be reached, where only the page of where the records are is shown
 *
 * Returns: (transfer floating): the preferences window.
 */
GtkWidget *
meso_preferences_window_new (GSettings *settings,
                             MesoStore *store)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (store == NULL || MESO_IS_STORE (store), NULL);
  return g_object_new (MESO_TYPE_PREFERENCES_WINDOW, "settings", settings, "store", store, NULL);
}

/**
 * meso_preferences_window_get_server_page:
 * @self: a #MesoPreferencesWindow
 *
 * Returns: (transfer none): the page of where the records are.
 */
MesoServerPage *
meso_preferences_window_get_server_page (MesoPreferencesWindow *self)
{
  g_return_val_if_fail (MESO_IS_PREFERENCES_WINDOW (self), NULL);
  return self->server_page;
}
