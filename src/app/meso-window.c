/* meso-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-window"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-error.h"
#include "meso-session-editor.h"
#include "meso-sheet-adjuster.h"
#include "meso-settings.h"
#include "meso-sheet-view.h"
#include "meso-window.h"

struct _MesoWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  MesoSheetAdjuster    *adjuster;
  AdwFlap              *adjuster_flap;
  GtkButton            *back_button;
  MesoSessionEditor    *editor;
  GtkMenuButton        *form_menu_button;
  AdwLeaflet           *leaflet;
  GtkMenuButton        *menu_button;
  GtkButton            *show_sheet_button;
  MesoSheetView        *sheet_view;
  AdwToastOverlay      *toast_overlay;

  MesoStore            *store;
  MesoRules            *rules;
  GSettings            *settings;       /* NULL when the schema is not installed */
  MesoClinic           *clinic;         /* the clinic's details, read for the sheet shown */
  MesoSession          *shown_session;  /* the session whose sheet is shown */
  MesoAdjustments      *stored;         /* its adjustments as stored */
  MesoSession          *saving;         /* the session being saved, if one is */
  gboolean              keeping;        /* the adjustments are being saved */
  guint                 preview_timeout;
  GtkPrintSettings     *print_settings; /* remembered between prints */
  GtkPageSetup         *page_setup;
  GCancellable         *cancellable;    /* the clinic's reads; cancelled when it goes */
};

G_DEFINE_FINAL_TYPE (MesoWindow, meso_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * meso_window_show_toast:
 * @self: a #MesoWindow
 * @message: a short message for the user
 *
 * Shows @message for a few seconds at the foot of the window.
 */
void
meso_window_show_toast (MesoWindow *self,
                        const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_enabled (MesoWindow *self,
             const char *name,
             gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The one place where the enabled state of the window's actions is decided. While a
 * session is saved, the form waits for it; while the adjustments are kept, the sheet
 * does not leave. */
static void
update_actions (MesoWindow *self)
{
  gboolean has_sheet = meso_sheet_view_has_document (self->sheet_view);

  set_enabled (self, "save", self->saving == NULL);
  set_enabled (self, "new-session", self->saving == NULL);
  set_enabled (self, "print", has_sheet && !self->keeping);
  set_enabled (self, "save-pdf", has_sheet && !self->keeping);
  set_enabled (self, "adjust-sheet", self->shown_session != NULL);
}

/* A write from this window, on its way. The application is held until it is done, so
 * that closing the window, even the last one, does not end the process before it. */
typedef struct
{
  MesoWindow      *window;
  GApplication    *application;  /* NULL for a window without one (the tests') */
  /* Keeping adjustments: which, for which session, and what follows. */
  gint64           session_id;
  MesoAdjustments *adjustments;
  void           (*then) (MesoWindow *self);
} Write;

static Write *
write_new (MesoWindow *self)
{
  Write *write = g_new0 (Write, 1);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  write->window = g_object_ref (self);
  if (application != NULL)
    {
      write->application = g_object_ref (G_APPLICATION (application));
      g_application_hold (write->application);
    }
  return write;
}

static void
write_free (Write *write)
{
  if (write->application != NULL)
    g_application_release (write->application);
  g_clear_object (&write->application);
  g_clear_object (&write->window);
  g_clear_object (&write->adjustments);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

/* The window was closed while a write was on its way: nothing is left to show it in. */
static gboolean
is_closed (MesoWindow *self)
{
  return self->store == NULL;
}

static gboolean refresh_preview_cb (gpointer user_data);
static void render_sheet (MesoWindow      *self,
                          MesoAdjustments *adjustments);

static void
on_clinic_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MesoWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic_finish (MESO_STORE (source), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  if (clinic == NULL)
    {
      meso_window_show_toast (self, error->message);
      if (self->clinic == NULL)
        self->clinic = meso_clinic_new ();
      return;
    }
  g_set_object (&self->clinic, clinic);
  /* The sheet shown follows at once, with the adjustments being edited. */
  if (self->shown_session != NULL)
    {
      g_clear_handle_id (&self->preview_timeout, g_source_remove);
      render_sheet (self, meso_sheet_adjuster_get_adjustments (self->adjuster));
    }
}

/* The clinic's details as the database has them now: written from this workstation or
 * another. The sheet shown is rendered again when they arrive; a failed read keeps
 * those read before, and says so. The first read is asked for as the window is made:
 * requests are answered in order, so it is in before any session's save. */
static void
load_clinic (MesoWindow *self)
{
  meso_store_get_clinic_async (self->store, self->cancellable, on_clinic_read_cb, self);
}

static void
on_practitioners_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  MesoWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practitioners = meso_store_list_practitioners_finish (MESO_STORE (source),
                                                                             result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  meso_session_editor_set_practitioners (self->editor, practitioners);
}

/* The clinic's active practitioners, offered on the form. A failed read offers none:
 * the name can still be typed. */
static void
load_practitioners (MesoWindow *self)
{
  meso_store_list_practitioners_async (self->store, TRUE, self->cancellable,
                                       on_practitioners_read_cb, self);
}

/* Renders the shown session's sheet as the command-line tool makes it: the clinic's
 * details, this computer's paper, in the patient's language, with @adjustments (those
 * being edited, or the stored ones). */
static void
render_sheet (MesoWindow      *self,
              MesoAdjustments *adjustments)
{
  g_autoptr(MesoSheet) sheet = meso_sheet_new (self->shown_session, self->rules);
  g_autoptr(MesoClinic) none = NULL;

  /* Until the details are read (they re-render it then). */
  if (self->clinic == NULL)
    none = meso_clinic_new ();
  meso_sheet_set_clinic (sheet, self->clinic != NULL ? self->clinic : none);
  meso_sheet_set_paper (sheet, meso_settings_get_paper (self->settings));
  meso_sheet_set_adjustments (sheet, adjustments);
  meso_sheet_view_set_sheet (self->sheet_view, sheet);
}

/* A session just saved: it has no adjustments yet. */
static void
show_sheet (MesoWindow  *self,
            MesoSession *session)
{
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();

  g_set_object (&self->shown_session, session);
  g_set_object (&self->stored, adjustments);
  load_clinic (self);
  meso_sheet_adjuster_load (self->adjuster, self->rules, session,
                            meso_session_get_language (session), adjustments);
  render_sheet (self, adjustments);
  update_actions (self);
}

/* A new practitioner at the chair, or a new default language, apply to the next
 * session: the one being typed is left as it is. */
static void
load_form_defaults (MesoWindow *self)
{
  g_autofree char *language = NULL;
  g_autofree char *practitioner = NULL;

  if (self->settings == NULL)
    return;
  language = g_settings_get_string (self->settings, "default-language");
  practitioner = g_settings_get_string (self->settings, "current-practitioner");
  meso_session_editor_set_defaults (self->editor, language, practitioner);
}

static void
schedule_preview (MesoWindow *self)
{
  if (self->shown_session == NULL)
    return;
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (300, refresh_preview_cb, self);
}

static void
on_settings_changed_cb (MesoWindow *self,
                        const char *key)
{
  if (g_str_equal (key, "default-language") || g_str_equal (key, "current-practitioner"))
    load_form_defaults (self);
  /* The paper is this computer's; the clinic's details are the store's. */
  else if (g_str_equal (key, "paper-size"))
    schedule_preview (self);
}

/* Changed from this workstation: the sheet shown and the form follow at once. */
static void
on_clinic_changed_cb (MesoWindow *self)
{
  load_clinic (self);
  load_practitioners (self);
  schedule_preview (self);
}

static gboolean
refresh_preview_cb (gpointer user_data)
{
  MesoWindow *self = user_data;

  self->preview_timeout = 0;
  render_sheet (self, meso_sheet_adjuster_get_adjustments (self->adjuster));
  return G_SOURCE_REMOVE;
}

/* The preview follows the practitioner's changes as they type, a moment after the last
 * key, so that it does not re-render on every letter. */
static void
on_adjustments_changed_cb (MesoWindow *self)
{
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (300, refresh_preview_cb, self);
}

static void
on_adjustments_kept_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Write) write = user_data;
  MesoWindow *self = write->window;
  g_autoptr(GError) error = NULL;
  gboolean kept = meso_store_save_adjustments_finish (MESO_STORE (source), result, &error);

  self->keeping = FALSE;
  if (is_closed (self))
    return;
  update_actions (self);
  if (!kept)
    {
      meso_window_show_toast (self, error->message);
      return;
    }
  /* Another session saved meanwhile shows its own sheet: that one is not what was
   * asked to leave. */
  if (self->shown_session == NULL
      || meso_session_get_id (self->shown_session) != write->session_id)
    return;
  g_set_object (&self->stored, write->adjustments);
  write->then (self);
}

/* Adjustments are kept with the session before the sheet leaves the building, so that
 * a reprint is the sheet the patient took home: @then (print, save as PDF) follows once
 * they are. */
static void
keep_adjustments_then (MesoWindow *self,
                       void      (*then) (MesoWindow *self))
{
  MesoAdjustments *current = meso_sheet_adjuster_get_adjustments (self->adjuster);
  Write *write;

  /* What is printed is the preview: it must show the latest changes first. */
  if (self->preview_timeout != 0)
    {
      g_clear_handle_id (&self->preview_timeout, g_source_remove);
      render_sheet (self, current);
      meso_window_show_toast (self, _("The sheet is being updated: try again in a moment"));
      return;
    }
  if (self->stored == NULL || meso_adjustments_equal (current, self->stored))
    {
      then (self);
      return;
    }
  write = write_new (self);
  write->session_id = meso_session_get_id (self->shown_session);
  write->adjustments = meso_adjustments_copy (current);
  write->then = then;
  self->keeping = TRUE;
  update_actions (self);
  meso_store_save_adjustments_async (self->store, write->session_id, write->adjustments, NULL,
                                     on_adjustments_kept_cb, write);
}

static void
adjust_sheet_changed (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  MesoWindow *self = user_data;

  g_simple_action_set_state (action, state);
  adw_flap_set_reveal_flap (self->adjuster_flap, g_variant_get_boolean (state));
}

/* Over the preview, in a narrow window, the adjustments are closed by a click beside
 * them, Escape or a swipe: the Adjust button follows. */
static void
on_flap_revealed_cb (MesoWindow *self)
{
  gboolean revealed = adw_flap_get_reveal_flap (self->adjuster_flap);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "adjust-sheet");
  g_autoptr(GVariant) state = g_action_get_state (action);

  if (g_variant_get_boolean (state) != revealed)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (revealed));
}

/* In a narrow window the form and the sheet are shown one at a time. */
static void
show_pane (MesoWindow *self,
           const char *name)
{
  adw_leaflet_set_visible_child_name (self->leaflet, name);
}

static void
on_back_clicked_cb (MesoWindow *self)
{
  show_pane (self, "form");
}

static void
on_show_sheet_clicked_cb (MesoWindow *self)
{
  show_pane (self, "sheet");
}

/* F10 opens the main menu of the pane on screen: each has its own when folded. */
static void
on_fold_changed_cb (MesoWindow *self)
{
  gboolean on_form = adw_leaflet_get_folded (self->leaflet)
                     && g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "form") == 0;

  gtk_menu_button_set_primary (self->menu_button, !on_form);
  gtk_menu_button_set_primary (self->form_menu_button, on_form);
}

static void
show_save_error (MesoWindow   *self,
                 const GError *error)
{
  meso_session_editor_show_error (self->editor, error);
  if (meso_error_get_field (error) == MESO_FIELD_NONE)
    meso_window_show_toast (self, error->message);
}

static void
set_saving (MesoWindow  *self,
            MesoSession *session)
{
  g_set_object (&self->saving, session);
  meso_session_editor_set_saving (self->editor, session != NULL);
  update_actions (self);
}

static void
on_session_saved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Write) write = user_data;
  MesoWindow *self = write->window;
  g_autoptr(MesoSession) session = g_steal_pointer (&self->saving);
  g_autoptr(GError) error = NULL;
  gboolean saved = meso_store_save_session_finish (MESO_STORE (source), result, &error);

  if (is_closed (self))
    return;
  set_saving (self, NULL);
  if (!saved)
    {
      show_save_error (self, error);
      return;
    }
  meso_window_show_toast (self, _("Session saved"));
  meso_session_editor_clear (self->editor);
  show_sheet (self, session);
  show_pane (self, "sheet");
}

/* The session is saved beside the main loop: another workstation holding the database
 * makes it wait, never the window. Meanwhile the form shows it is saving, and cannot be
 * saved again. */
static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MesoWindow *self = user_data;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GError) error = NULL;

  if (self->saving != NULL)
    return;
  session = meso_session_editor_read_session (self->editor, &error);
  if (session == NULL)
    {
      show_save_error (self, error);
      return;
    }
  set_saving (self, session);
  meso_store_save_session_async (self->store, session, NULL, on_session_saved_cb,
                                 write_new (self));
}

static void
new_session_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MesoWindow *self = user_data;

  meso_session_editor_clear (self->editor);
  show_pane (self, "form");
}

static void
on_print_logged_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Write) write = user_data;
  g_autoptr(GError) error = NULL;

  if (!meso_store_log_event_finish (MESO_STORE (source), result, &error)
      && !is_closed (write->window))
    meso_window_show_toast (write->window, error->message);
}

/* Every sheet handed out is on the record: which session, and where it went. */
static void
log_print (MesoWindow *self,
           const char *key,
           const char *value)
{
  g_autoptr(GString) payload = g_string_new (NULL);

  if (self->shown_session == NULL)
    return;
  meso_payload_append (payload, key, value != NULL ? value : "");
  meso_store_log_event_async (self->store, "print", meso_session_get_id (self->shown_session),
                              payload->str, NULL, on_print_logged_cb, write_new (self));
}

static void
on_print_done_cb (GtkPrintOperation       *operation,
                  GtkPrintOperationResult  result,
                  MesoWindow              *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      meso_window_show_toast (self, error->message);
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    {
      g_set_object (&self->print_settings, gtk_print_operation_get_print_settings (operation));
      g_set_object (&self->page_setup, gtk_print_operation_get_default_page_setup (operation));
      log_print (self, "printer", gtk_print_settings_get_printer (self->print_settings));
    }
}

static void
start_printing (MesoWindow *self)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  operation = meso_sheet_view_create_print_operation (self->sheet_view);
  if (self->print_settings != NULL)
    gtk_print_operation_set_print_settings (operation, self->print_settings);
  if (self->page_setup != NULL)
    gtk_print_operation_set_default_page_setup (operation, self->page_setup);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done_cb), self, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    meso_window_show_toast (self, error->message);
}

static void
print_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  keep_adjustments_then (user_data, start_printing);
}

static void
on_pdf_written_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(MesoWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), res, NULL, &error))
    {
      message = g_strdup_printf (_("The sheet could not be saved: %s"), error->message);
      meso_window_show_toast (self, message);
      return;
    }
  name = g_file_get_basename (G_FILE (source));
  message = g_strdup_printf (_("Sheet saved as “%s”"), name);
  meso_window_show_toast (self, message);
  path = g_file_get_path (G_FILE (source));
  log_print (self, "file", path);
}

static void
on_save_pdf_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         MesoWindow      *self)
{
  g_autoptr(GFile) file = NULL;
  GBytes *pdf = meso_sheet_view_get_pdf (self->sheet_view);

  if (response == GTK_RESPONSE_ACCEPT && pdf != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_file_replace_contents_bytes_async (file, pdf, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                           NULL, on_pdf_written_cb, g_object_ref (self));
    }
  g_object_unref (dialog);
}

static char *
suggest_pdf_name (MesoSession *session)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (session));
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *name = g_strdup (meso_session_get_patient_name (session));

  g_strdelimit (name, "/\\:", '-');
  /* Translators: the file name of a saved sheet: patient, date */
  return g_strdup_printf (_("Aftercare %s %s.pdf"), name, date);
}

static void
choose_pdf_file (MesoWindow *self)
{
  g_autofree char *suggested = suggest_pdf_name (self->shown_session);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save Aftercare Sheet"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_pdf_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
save_pdf_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  keep_adjustments_then (user_data, choose_pdf_file);
}

static const GActionEntry win_entries[] = {
  { "save", save_activated, NULL, NULL, NULL },
  { "new-session", new_session_activated, NULL, NULL, NULL },
  { "print", print_activated, NULL, NULL, NULL },
  { "save-pdf", save_pdf_activated, NULL, NULL, NULL },
  { "adjust-sheet", NULL, NULL, "false", adjust_sheet_changed },
};

static void
restore_size (MesoWindow *self)
{
  if (self->settings == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
meso_window_close_request (GtkWindow *window)
{
  MesoWindow *self = MESO_WINDOW (window);
  int width, height;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (meso_window_parent_class)->close_request (window);
}

static void
on_store_changed_cb (MesoWindow *self)
{
  meso_session_editor_reload_lots (self->editor);
}

static void
meso_window_constructed (GObject *object)
{
  MesoWindow *self = MESO_WINDOW (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (meso_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  /* The rules ship inside the program: failing to read them is a broken build. */
  self->rules = meso_rules_new_default (&error);
  if (self->rules == NULL)
    g_error ("%s", error->message);

  meso_session_editor_set_store (self->editor, self->store);
  g_signal_connect_object (self->store, "clinic-changed",
                           G_CALLBACK (on_clinic_changed_cb), self, G_CONNECT_SWAPPED);
  load_clinic (self);
  load_practitioners (self);
  /* A lot recorded at another workstation is offered here too. */
  meso_store_watch_changes (self->store, TRUE);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  load_form_defaults (self);
  meso_session_editor_clear (self->editor);
  restore_size (self);
  update_actions (self);
}

static void
meso_window_dispose (GObject *object)
{
  MesoWindow *self = (MesoWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      meso_store_watch_changes (self->store, FALSE);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->saving);
  g_clear_object (&self->rules);
  g_clear_object (&self->settings);
  g_clear_object (&self->clinic);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  g_clear_object (&self->shown_session);
  g_clear_object (&self->stored);
  g_clear_object (&self->print_settings);
  g_clear_object (&self->page_setup);

  G_OBJECT_CLASS (meso_window_parent_class)->dispose (object);
}

static void
meso_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MesoWindow *self = MESO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MesoWindow *self = MESO_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_window_class_init (MesoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = meso_window_constructed;
  object_class->dispose = meso_window_dispose;
  object_class->set_property = meso_window_set_property;
  object_class->get_property = meso_window_get_property;
  window_class->close_request = meso_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MESO_TYPE_SESSION_EDITOR);
  g_type_ensure (MESO_TYPE_SHEET_ADJUSTER);
  g_type_ensure (MESO_TYPE_SHEET_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, adjuster);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, adjuster_flap);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, editor);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, form_menu_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, show_sheet_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, sheet_view);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, toast_overlay);
}

static void
meso_window_init (MesoWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = meso_settings_new_if_installed ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
  g_signal_connect_object (self->sheet_view, "notify::has-document",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjuster, "changed",
                           G_CALLBACK (on_adjustments_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjuster_flap, "notify::reveal-flap",
                           G_CALLBACK (on_flap_revealed_cb), self, G_CONNECT_SWAPPED);
  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own (it cannot see a static callback). */
  g_signal_connect_swapped (self->show_sheet_button, "clicked",
                            G_CALLBACK (on_show_sheet_clicked_cb), self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  g_signal_connect_object (self->leaflet, "notify::folded",
                           G_CALLBACK (on_fold_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::visible-child",
                           G_CALLBACK (on_fold_changed_cb), self, G_CONNECT_SWAPPED);
  /* The sheet shown follows the paper chosen in the preferences. */
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * meso_window_new:
 * @application: (nullable): the application
 * @store: where sessions are saved
 *
 * Returns: (transfer full): a new main window.
 */
MesoWindow *
meso_window_new (GtkApplication *application,
                 MesoStore      *store)
{
  return g_object_new (MESO_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}
