/* meso-server-page.c
 *
 * Where this workstation's records are: this computer's file, or a clinic server. The
 * server's address is edited as fields, each checked by the core (which names the field
 * at fault); "Use These Settings" writes it to GSettings as a URI without the password,
 * and the password, if one was typed, to the user's .pgpass file, which libpq reads by
 * itself. The application follows the setting (meso-application.c): it reopens the
 * records from the new place.
 *
 * Test Connection tries the address as typed, password included (never stored for it),
 * on a worker thread with a short timeout: the window never waits for a server that
 * does not answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-server-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-error.h"
#include "meso-pgpass.h"
#include "meso-server-address.h"
#include "meso-server-page.h"
#include "meso-store.h"

#define LOCATION_KEY "database-location"
/* Long enough for a server across a slow network, short enough for a person to wait. */
#define TEST_TIMEOUT_S 5

struct _MesoServerPage
{
  AdwPreferencesPage  parent_instance;

  /* template children */
  GtkButton          *apply_button;
  GtkButton          *ca_button;
  AdwActionRow       *ca_row;
  AdwEntryRow        *database_row;
  AdwEntryRow        *host_row;
  GtkCheckButton     *local_check;
  AdwEntryRow        *password_row;
  AdwEntryRow        *port_row;
  GtkCheckButton     *server_check;
  AdwPreferencesGroup *server_group;
  AdwActionRow       *status_row;
  GtkButton          *test_button;
  GtkSpinner         *test_spinner;
  AdwComboRow        *tls_row;
  AdwEntryRow        *user_row;

  GSettings          *settings;
  char               *ca_file;       /* the certificate authority chosen */
  char               *applied;       /* the location this page wrote last, until it changes */
  GCancellable       *cancellable;   /* the connection test; cancelled when the page goes */
  gboolean            testing;
};

G_DEFINE_FINAL_TYPE (MesoServerPage, meso_server_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_TESTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_status (MesoServerPage *self,
            const char     *text)
{
  adw_action_row_set_subtitle (self->status_row, text);
}

static GtkWidget *
field_row (MesoServerPage  *self,
           MesoServerField  field)
{
  switch (field)
    {
    case MESO_SERVER_FIELD_HOST: return GTK_WIDGET (self->host_row);
    case MESO_SERVER_FIELD_PORT: return GTK_WIDGET (self->port_row);
    case MESO_SERVER_FIELD_DATABASE: return GTK_WIDGET (self->database_row);
    case MESO_SERVER_FIELD_USER: return GTK_WIDGET (self->user_row);
    case MESO_SERVER_FIELD_PASSWORD: return GTK_WIDGET (self->password_row);
    case MESO_SERVER_FIELD_CA_FILE: return GTK_WIDGET (self->ca_row);
    case MESO_SERVER_FIELD_NONE:
    default: return NULL;
    }
}

static void
clear_errors (MesoServerPage *self)
{
  for (MesoServerField field = MESO_SERVER_FIELD_HOST; field <= MESO_SERVER_FIELD_CA_FILE; field++)
    gtk_widget_remove_css_class (field_row (self, field), "error");
}

/* The core's message names the field; its row is marked and focused. */
static void
show_error (MesoServerPage *self,
            const GError   *error)
{
  GtkWidget *row = error->domain == MESO_SERVER_ERROR ? field_row (self, error->code) : NULL;

  set_status (self, error->message);
  if (row == NULL)
    return;
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
}

static const char *
entry_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* The address as typed, checked by the core; %NULL with @error naming the field. */
static MesoServerAddress *
read_address (MesoServerPage  *self,
              GError         **error)
{
  g_autoptr(MesoServerAddress) address = meso_server_address_new ();

  address->host = g_strstrip (g_strdup (entry_text (self->host_row)));
  address->database = g_strstrip (g_strdup (entry_text (self->database_row)));
  address->user = g_strstrip (g_strdup (entry_text (self->user_row)));
  address->tls = adw_combo_row_get_selected (self->tls_row);
  address->ca_file = g_strdup (self->ca_file);
  if (!meso_server_address_set_port_text (address, entry_text (self->port_row), error)
      || !meso_server_address_validate (address, error))
    return NULL;
  return g_steal_pointer (&address);
}

static void
update_ca_row (MesoServerPage *self)
{
  g_autofree char *name = self->ca_file != NULL ? g_path_get_basename (self->ca_file) : NULL;

  adw_action_row_set_subtitle (self->ca_row, name != NULL ? name : _("None chosen"));
  gtk_widget_set_visible (GTK_WIDGET (self->ca_row),
                          adw_combo_row_get_selected (self->tls_row) == MESO_TLS_VERIFY_FULL);
}

static void
on_ca_chosen_cb (GtkNativeDialog *dialog,
                 int              response,
                 MesoServerPage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_free (self->ca_file);
      self->ca_file = g_file_get_path (file);
      gtk_widget_remove_css_class (GTK_WIDGET (self->ca_row), "error");
      update_ca_row (self);
    }
  g_object_unref (dialog);
}

static void
on_ca_choose_cb (MesoServerPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  dialog = gtk_file_chooser_native_new (_("Choose the Certificate Authority"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                        _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_ca_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- Test Connection ---- */

typedef struct
{
  char *uri;        /* with the password typed: never stored, never shown */
  char *password;
  char *database;
} Trial;

static void
trial_free (Trial *trial)
{
  g_free (trial->uri);
  g_free (trial->password);
  g_free (trial->database);
  g_free (trial);
}

/* A message that would quote the address tried keeps its password out. */
static char *
scrub_password (const char *message,
                const char *password)
{
  g_autofree char *escaped = NULL;
  g_autoptr(GString) text = g_string_new (message);

  if (password == NULL || *password == '\0')
    return g_string_free (g_steal_pointer (&text), FALSE);
  escaped = g_uri_escape_string (password, NULL, FALSE);
  g_string_replace (text, escaped, "••••", 0);
  g_string_replace (text, password, "••••", 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The server answers (its version), then Mesocare opens its records there, as the
 * application will: an engine that cannot use it says so here rather than at the
 * next start. */
static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Trial *trial = task_data;
  g_autofree char *version = NULL;
  g_autoptr(MesoStore) store = NULL;
  GError *error = NULL;

  if (!meso_server_probe (trial->uri, &version, &error)
      || (store = meso_store_open (trial->uri, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&version), g_free);
}

static void
set_testing (MesoServerPage *self,
             gboolean        testing)
{
  self->testing = testing;
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !testing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TESTING]);
}

static void
on_tested_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MesoServerPage *self = MESO_SERVER_PAGE (source);
  Trial *trial = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *version = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the page is gone */
  set_testing (self, FALSE);
  if (version == NULL)
    {
      g_autofree char *message = scrub_password (error->message, trial->password);

      set_status (self, message);
      return;
    }
  text = g_strdup_printf (_("Connected: PostgreSQL %s, database “%s”. Mesocare can keep its "
                            "records there."), version, trial->database);
  set_status (self, text);
}

static void
on_test_clicked_cb (MesoServerPage *self)
{
  g_autoptr(MesoServerAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  Trial *trial;

  if (self->testing)
    return;
  clear_errors (self);
  address = read_address (self, &error);
  if (address == NULL)
    {
      show_error (self, error);
      return;
    }
  uri = meso_server_address_to_uri (address);
  trial = g_new0 (Trial, 1);
  trial->password = g_strdup (entry_text (self->password_row));
  trial->uri = meso_server_uri_for_test (uri, trial->password, TEST_TIMEOUT_S);
  trial->database = g_strdup (address->database);

  set_status (self, _("Connecting…"));
  set_testing (self, TRUE);
  /* The test is cancelled with the page: its answer then has nowhere to go. */
  task = g_task_new (self, self->cancellable, on_tested_cb, NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, trial, (GDestroyNotify) trial_free);
  g_task_run_in_thread (task, test_thread);
}

/* ---- Use These Settings ---- */

/* Remembered first: the application may put the setting back (the unsaved work in a
 * form kept), which the page then shows. */
static void
write_location (MesoServerPage *self,
                const char     *location)
{
  g_free (self->applied);
  self->applied = g_strdup (location);
  g_settings_set_string (self->settings, LOCATION_KEY, location);
}

/* The password goes to .pgpass, the address to the settings; the password field is
 * emptied once kept. */

static gboolean
apply_server (MesoServerPage  *self,
              GError         **error)
{
  g_autoptr(MesoServerAddress) address = read_address (self, error);
  const char *password = entry_text (self->password_row);
  g_autofree char *pgpass = meso_pgpass_get_path ();
  g_autofree char *uri = NULL;

  if (address == NULL)
    return FALSE;
  if (*password != '\0'
      && !meso_pgpass_set_password (pgpass, address->host, address->port, address->database,
                                    address->user, password, error))
    return FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  uri = meso_server_address_to_uri (address);
  write_location (self, uri);
  return TRUE;
}

static void
on_apply_clicked_cb (MesoServerPage *self)
{
  g_autoptr(GError) error = NULL;

  clear_errors (self);
  if (!gtk_check_button_get_active (self->server_check))
    {
      write_location (self, "");
      set_status (self, _("The records are kept on this computer"));
      return;
    }
  if (!apply_server (self, &error))
    {
      show_error (self, error);
      return;
    }
  set_status (self, _("Saved: Mesocare opens the records from the clinic server"));
}

/* ---- The page ---- */

/* The fields show the address in the settings, or stay empty for this computer. */
static void
load_location (MesoServerPage *self)
{
  g_autofree char *location = g_settings_get_string (self->settings, LOCATION_KEY);
  g_autoptr(MesoServerAddress) address = NULL;
  g_autofree char *port = NULL;

  if (meso_location_is_server (location))
    address = meso_server_address_parse (location, NULL);
  gtk_check_button_set_active (address != NULL ? self->server_check : self->local_check, TRUE);
  if (address == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), address->host ? address->host : "");
  port = address->port != 0 ? g_strdup_printf ("%u", address->port) : g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
  gtk_editable_set_text (GTK_EDITABLE (self->database_row),
                         address->database ? address->database : "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), address->user ? address->user : "");
  adw_combo_row_set_selected (self->tls_row, address->tls);
  g_free (self->ca_file);
  self->ca_file = g_strdup (address->ca_file);
}

/* The setting changed, not to what this page wrote: put back by the application (the
 * practitioner kept the unsaved work), or set from elsewhere. The form shows it, so that
 * the page never shows another database than the one in use. */
static void
on_location_changed_cb (MesoServerPage *self)
{
  g_autofree char *location = g_settings_get_string (self->settings, LOCATION_KEY);
  gboolean put_back = self->applied != NULL;

  if (g_strcmp0 (location, self->applied) == 0)
    return;
  g_clear_pointer (&self->applied, g_free);
  clear_errors (self);
  load_location (self);
  update_ca_row (self);
  if (put_back)
    set_status (self, _("Not changed: the unsaved session was kept, and with it the "
                        "database in use"));
}

static void
on_row_changed_cb (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

static void
meso_server_page_constructed (GObject *object)
{
  MesoServerPage *self = MESO_SERVER_PAGE (object);

  G_OBJECT_CLASS (meso_server_page_parent_class)->constructed (object);
  load_location (self);
  update_ca_row (self);
  g_signal_connect_object (self->settings, "changed::" LOCATION_KEY,
                           G_CALLBACK (on_location_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
meso_server_page_dispose (GObject *object)
{
  MesoServerPage *self = MESO_SERVER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_SERVER_PAGE);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->applied, g_free);
  G_OBJECT_CLASS (meso_server_page_parent_class)->dispose (object);
}

static void
meso_server_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MesoServerPage *self = MESO_SERVER_PAGE (object);

  switch (prop_id)
    {
    case PROP_TESTING:
      g_value_set_boolean (value, self->testing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_server_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MesoServerPage *self = MESO_SERVER_PAGE (object);

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
meso_server_page_class_init (MesoServerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_server_page_constructed;
  object_class->dispose = meso_server_page_dispose;
  object_class->get_property = meso_server_page_get_property;
  object_class->set_property = meso_server_page_set_property;

  /**
   * MesoServerPage:settings:
   *
   * Mesocare's settings, whose `database-location` the page edits.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MesoServerPage:testing:
   *
   * Whether a connection test is on its way.
   */
  properties[PROP_TESTING] =
    g_param_spec_boolean ("testing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-server-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, apply_button);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, ca_button);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, ca_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, database_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, local_check);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, server_check);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, server_group);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, tls_row);
  gtk_widget_class_bind_template_child (widget_class, MesoServerPage, user_row);
}

static void
meso_server_page_init (MesoServerPage *self)
{
  AdwEntryRow *rows[5];

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  rows[0] = self->host_row;
  rows[1] = self->port_row;
  rows[2] = self->database_row;
  rows[3] = self->user_row;
  rows[4] = self->password_row;
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_signal_connect (rows[i], "changed", G_CALLBACK (on_row_changed_cb), NULL);
  g_signal_connect_swapped (self->tls_row, "notify::selected", G_CALLBACK (update_ca_row), self);
  /* Connected here rather than in the template: gtk4-builder-tool validates it without
   * this class's callbacks. */
  g_signal_connect_swapped (self->ca_button, "clicked", G_CALLBACK (on_ca_choose_cb), self);
  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (on_test_clicked_cb), self);
  g_signal_connect_swapped (self->apply_button, "clicked", G_CALLBACK (on_apply_clicked_cb),
                            self);
}

/**
 * meso_server_page_new:
 * @settings: Mesocare's settings
 *
 * Returns: (transfer floating): the page of where the records are.
 */
GtkWidget *
meso_server_page_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  return g_object_new (MESO_TYPE_SERVER_PAGE, "settings", settings, NULL);
}

/**
 * meso_server_page_get_testing:
 * @self: a #MesoServerPage
 *
 * Returns: whether a connection test is on its way.
 */
gboolean
meso_server_page_get_testing (MesoServerPage *self)
{
  g_return_val_if_fail (MESO_IS_SERVER_PAGE (self), FALSE);
  return self->testing;
}
