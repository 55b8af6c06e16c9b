/* meso-record-page.c
 *
 * The Record page: the chair-side form beside the sheet of the session just saved (one
 * at a time when narrow), and the sheet's adjustments. Its actions ("record.save",
 * "record.print"...) live in its own group, which the window also makes reachable from
 * its accelerators.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-record-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-draft-keeper.h"
#include "meso-error.h"
#include "meso-record-page.h"
#include "meso-server-address.h"
#include "meso-session-editor.h"
#include "meso-sheet-adjuster.h"
#include "meso-settings.h"
#include "meso-sheet-view.h"
#include "meso-window.h"

struct _MesoRecordPage
{
  AdwBin                parent_instance;

  /* template children */
  MesoSheetAdjuster    *adjuster;
  GtkWidget            *adjust_done_button;
  AdwLeaflet           *adjuster_leaflet;
  GtkWidget            *adjuster_pane;
  GtkWidget            *adjuster_separator;
  GtkButton            *back_button;
  MesoSessionEditor    *editor;
  AdwLeaflet           *leaflet;
  GtkButton            *show_sheet_button;
  AdwWindowTitle       *sheet_title;
  MesoSheetView        *sheet_view;

  MesoStore            *store;
  MesoSheetPrinter     *printer;
  GSimpleActionGroup   *actions;
  GSettings            *settings;       /* NULL when the schema is not installed */
  MesoClinic           *clinic;         /* the clinic's details, read for the sheet shown */
  MesoSession          *shown_session;  /* the session whose sheet is shown */
  char                 *fingerprint;    /* its sealed entry's, in the sheet's footer */
  void                (*after_render) (MesoRecordPage *self);  /* a print waiting for it */
  GDateTime            *shown_saved_at; /* when it was saved from this page */
  gboolean              sheet_stale;    /* a new form was started since: not its sheet */
  MesoAdjustments      *stored;         /* its adjustments as stored */
  MesoSession          *saving;         /* the session being saved, if one is */
  gboolean              keeping;        /* the adjustments are being saved */
  gboolean              active;         /* on screen: Ctrl+S and Ctrl+P are for it */
  guint                 preview_timeout;
  guint                 adjuster_idle;  /* follows the adjuster's leaflet once laid out */
  GCancellable         *cancellable;    /* the clinic's reads; cancelled when it goes */
  MesoDraftKeeper      *drafts;         /* the form's unsaved work */
};

G_DEFINE_FINAL_TYPE (MesoRecordPage, meso_record_page, ADW_TYPE_BIN)

enum {
  SESSION_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_STORE,
  PROP_PRINTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Said in the window the page is in. */
static void
show_toast (MesoRecordPage *self,
            const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (MESO_IS_WINDOW (root))
    meso_window_show_toast (MESO_WINDOW (root), message);
}

static void
set_enabled (MesoRecordPage *self,
             const char *name,
             gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The one place where the enabled state of the window's actions is decided. While a
 * session is saved, the form waits for it; while the adjustments are kept, the sheet
 * does not leave. */
static void
update_actions (MesoRecordPage *self)
{
  gboolean has_sheet = meso_sheet_view_has_document (self->sheet_view);
  gboolean current = has_sheet && !self->sheet_stale;

  set_enabled (self, "save", self->active && self->saving == NULL);
  set_enabled (self, "new-session", self->saving == NULL);
  set_enabled (self, "print", self->active && current && !self->keeping);
  set_enabled (self, "save-pdf", self->active && current && !self->keeping);
  set_enabled (self, "adjust-sheet", self->shown_session != NULL && !self->sheet_stale);
}

/* A write from this window, on its way. The application is held until it is done, so
 * that closing the window, even the last one, does not end the process before it. */
typedef struct
{
  MesoRecordPage      *window;
  GApplication    *application;  /* NULL for a window without one (the tests') */
  /* Keeping adjustments: which, for which session, and what follows. */
  gint64           session_id;
  MesoAdjustments *adjustments;
  void           (*then) (MesoRecordPage *self);
} Write;

static Write *
write_new (MesoRecordPage *self)
{
  Write *write = g_new0 (Write, 1);
  GApplication *application = g_application_get_default ();

  write->window = g_object_ref (self);
  if (application != NULL)
    {
      write->application = g_object_ref (application);
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
is_closed (MesoRecordPage *self)
{
  return self->store == NULL;
}

static gboolean refresh_preview_cb (gpointer user_data);
static void render_sheet (MesoRecordPage      *self,
                          MesoAdjustments *adjustments);

static void
on_clinic_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MesoRecordPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic_finish (MESO_STORE (source), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the window is gone */
  if (clinic == NULL)
    {
      show_toast (self, error->message);
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
load_clinic (MesoRecordPage *self)
{
  meso_store_get_clinic_async (self->store, self->cancellable, on_clinic_read_cb, self);
}

static void
on_practitioners_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  MesoRecordPage *self = user_data;
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
load_practitioners (MesoRecordPage *self)
{
  meso_store_list_practitioners_async (self->store, TRUE, self->cancellable,
                                       on_practitioners_read_cb, self);
}

/* Renders the shown session's sheet as the command-line tool makes it: the clinic's
 * details, this computer's paper, in the patient's language, with @adjustments (those
 * being edited, or the stored ones). */
static void
render_sheet (MesoRecordPage  *self,
              MesoAdjustments *adjustments)
{
  g_autoptr(MesoSheet) sheet = meso_sheet_printer_make_sheet (self->printer, self->shown_session,
                                                              self->clinic, adjustments);

  meso_sheet_set_fingerprint (sheet, self->fingerprint);
  meso_sheet_view_set_sheet (self->sheet_view, sheet);
}

/* --- Whose sheet is shown ------------------------------------------------------------
 * The sheet panel belongs to the form beside it: it shows the session just saved from it,
 * named in the panel's title, from its first page. Once a new form is started (its first
 * change, New Session, a patient's next session), the sheet shown is the previous
 * patient's: it says so, and can no longer be printed or adjusted from here. */

static char *
format_saved_at (MesoRecordPage *self)
{
  return g_date_time_format (self->shown_saved_at, "%H:%M");
}

static void
update_sheet_title (MesoRecordPage *self)
{
  const char *patient;
  g_autofree char *title = NULL;
  g_autofree char *time = NULL;
  g_autofree char *subtitle = NULL;

  if (self->shown_session == NULL)
    {
      adw_window_title_set_title (self->sheet_title, _("Aftercare Sheet"));
      adw_window_title_set_subtitle (self->sheet_title, NULL);
      return;
    }
  patient = meso_session_get_patient_name (self->shown_session);
  /* Translators: the title of the sheet panel; %s is the patient's name. */
  title = g_strdup_printf (_("Sheet of %s"), patient);
  time = format_saved_at (self);
  subtitle = self->sheet_stale
    /* Translators: %s is a time of day, 14:05. */
    ? g_strdup_printf (_("Saved at %s — not the form beside it"), time)
    : g_strdup_printf (_("Saved at %s"), time);
  adw_window_title_set_title (self->sheet_title, title);
  adw_window_title_set_subtitle (self->sheet_title, subtitle);
}

static void
set_sheet_stale (MesoRecordPage *self,
                 gboolean        stale)
{
  g_autofree char *notice = NULL;

  self->sheet_stale = stale;
  if (stale)
    {
      g_autofree char *time = format_saved_at (self);

      /* Translators: the first %s is the previous patient's name, the second the time
       * their session was saved. */
      notice = g_strdup_printf (_("Sheet of %s, saved at %s — not the form beside it. "
                                  "Reprint it from Today or History."),
                                meso_session_get_patient_name (self->shown_session), time);
      g_action_group_change_action_state (G_ACTION_GROUP (self->actions), "adjust-sheet",
                                          g_variant_new_boolean (FALSE));
    }
  meso_sheet_view_set_stale_notice (self->sheet_view, notice);
  update_sheet_title (self);
  update_actions (self);
}

/* A new form is started: the sheet shown is no longer its own. */
static void
on_form_started_cb (MesoRecordPage *self)
{
  if (self->shown_session != NULL && !self->sheet_stale)
    set_sheet_stale (self, TRUE);
}

/* Shown (the window opened on it, or Alt+1), the page gives the keyboard to the form,
 * where the first letter typed is the patient's; not the page switcher's. */
static void
on_map_cb (MesoRecordPage *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->editor)))
    meso_session_editor_focus_patient (self->editor);
}

/* The first thing typed or picked after a save starts the next form; the form cleared
 * for it (changed too) does not. */
static void
on_editor_changed_cb (MesoRecordPage *self)
{
  if (meso_session_editor_get_unsaved (self->editor))
    on_form_started_cb (self);
}

static void
on_fingerprint_read_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Write) write = user_data;
  MesoRecordPage *self = write->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = meso_store_get_fingerprint_finish (MESO_STORE (source), result,
                                                                    &error);

  if (is_closed (self) || self->shown_session == NULL
      || meso_session_get_id (self->shown_session) != write->session_id)
    return;
  if (error != NULL)
    {
      show_toast (self, error->message);
      return;
    }
  if (g_strcmp0 (fingerprint, self->fingerprint) != 0)
    {
      g_free (self->fingerprint);
      self->fingerprint = g_steal_pointer (&fingerprint);
      render_sheet (self, meso_sheet_adjuster_get_adjustments (self->adjuster));
    }
  if (write->then == NULL)
    return;
  /* What is printed is what the view shows: once it is rendered with the fingerprint. */
  if (meso_sheet_view_has_document (self->sheet_view))
    write->then (self);
  else
    self->after_render = write->then;
}

static void
on_sheet_rendered_cb (MesoRecordPage *self)
{
  void (*then) (MesoRecordPage *self) = self->after_render;

  if (then == NULL || !meso_sheet_view_has_document (self->sheet_view) || is_closed (self))
    return;
  self->after_render = NULL;
  then (self);
}

/* The fingerprint of the sheet shown, read again after each write that changes it (the
 * record, its adjustments); then @then (print, save as PDF), with the sheet in its
 * final form. */
static void
read_fingerprint_then (MesoRecordPage *self,
                       void          (*then) (MesoRecordPage *self))
{
  Write *write = write_new (self);

  write->session_id = meso_session_get_id (self->shown_session);
  write->then = then;
  meso_store_get_fingerprint_async (self->store, write->session_id, NULL, on_fingerprint_read_cb,
                                    write);
}

/* A session just saved: it has no adjustments yet. */
static void
show_sheet (MesoRecordPage  *self,
            MesoSession *session)
{
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();

  g_set_object (&self->shown_session, session);
  g_clear_pointer (&self->fingerprint, g_free);
  read_fingerprint_then (self, NULL);
  g_clear_pointer (&self->shown_saved_at, g_date_time_unref);
  self->shown_saved_at = g_date_time_new_now_local ();
  g_set_object (&self->stored, adjustments);
  load_clinic (self);
  meso_sheet_adjuster_load (self->adjuster, meso_sheet_printer_get_rules (self->printer), session,
                            meso_session_get_language (session), adjustments);
  meso_sheet_view_scroll_to_start (self->sheet_view);
  /* Shown at once, then again with its fingerprint once read (read_fingerprint_then()
   * above); a print waits for it (keep_adjustments_then()). */
  render_sheet (self, adjustments);
  set_sheet_stale (self, FALSE);
}

/* --- End of whose sheet is shown ------------------------------------------------------ */

/* Ctrl+plus, Ctrl+minus and Ctrl+0 zoom the sheet from anywhere on the page, the form
 * included: nothing else here zooms. With the focus in the sheet, its own keys answer
 * first. */
static gboolean
zoom_sheet_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  MesoRecordPage *self = MESO_RECORD_PAGE (widget);

  return gtk_widget_activate_action (GTK_WIDGET (self->sheet_view),
                                     g_variant_get_string (args, NULL), NULL);
}

static void
add_zoom_shortcuts (MesoRecordPage *self)
{
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_plus, "sheet.zoom-in" }, { GDK_KEY_equal, "sheet.zoom-in" },
    { GDK_KEY_KP_Add, "sheet.zoom-in" }, { GDK_KEY_minus, "sheet.zoom-out" },
    { GDK_KEY_KP_Subtract, "sheet.zoom-out" }, { GDK_KEY_0, "sheet.zoom-fit" },
    { GDK_KEY_KP_0, "sheet.zoom-fit" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (keys[i].key, GDK_CONTROL_MASK),
                                       gtk_callback_action_new (zoom_sheet_cb, NULL, NULL),
                                       "s", keys[i].action));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* A new practitioner at the chair, or a new default language, apply to the next
 * session: the one being typed is left as it is. */
static void
load_form_defaults (MesoRecordPage *self)
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
schedule_preview (MesoRecordPage *self)
{
  if (self->shown_session == NULL)
    return;
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  self->preview_timeout = g_timeout_add (300, refresh_preview_cb, self);
}

static void
on_settings_changed_cb (MesoRecordPage *self,
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
on_clinic_changed_cb (MesoRecordPage *self)
{
  load_clinic (self);
  load_practitioners (self);
  schedule_preview (self);
}

static gboolean
refresh_preview_cb (gpointer user_data)
{
  MesoRecordPage *self = user_data;

  self->preview_timeout = 0;
  render_sheet (self, meso_sheet_adjuster_get_adjustments (self->adjuster));
  return G_SOURCE_REMOVE;
}

/* The preview follows the practitioner's changes as they type, a moment after the last
 * key, so that it does not re-render on every letter. */
static void
on_adjustments_changed_cb (MesoRecordPage *self)
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
  MesoRecordPage *self = write->window;
  g_autoptr(GError) error = NULL;
  gboolean kept = meso_store_save_adjustments_finish (MESO_STORE (source), result, &error);

  self->keeping = FALSE;
  if (is_closed (self))
    return;
  update_actions (self);
  if (!kept)
    {
      show_toast (self, error->message);
      return;
    }
  /* Another session saved meanwhile shows its own sheet: that one is not what was
   * asked to leave. */
  if (self->shown_session == NULL
      || meso_session_get_id (self->shown_session) != write->session_id)
    return;
  g_set_object (&self->stored, write->adjustments);
  read_fingerprint_then (self, write->then);
}

/* Adjustments are kept with the session before the sheet leaves the building, so that
 * a reprint is the sheet the patient took home: @then (print, save as PDF) follows once
 * they are. */
static void
keep_adjustments_then (MesoRecordPage *self,
                       void      (*then) (MesoRecordPage *self))
{
  MesoAdjustments *current = meso_sheet_adjuster_get_adjustments (self->adjuster);
  Write *write;

  /* What is printed is the preview: it must show the latest changes first. */
  if (self->preview_timeout != 0)
    {
      g_clear_handle_id (&self->preview_timeout, g_source_remove);
      render_sheet (self, current);
      show_toast (self, _("The sheet is being updated: try again in a moment"));
      return;
    }
  if (self->stored == NULL || meso_adjustments_equal (current, self->stored))
    {
      /* A print asked for as soon as the session is saved waits for its fingerprint. */
      if (self->fingerprint == NULL)
        read_fingerprint_then (self, then);
      else
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

/* Beside the preview when both fit; a page of their own in front of it when not. */
static void
adjust_sheet_changed (GSimpleAction *action,
                      GVariant      *state,
                      gpointer       user_data)
{
  MesoRecordPage *self = user_data;
  gboolean adjusting = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  if (adjusting)
    {
      gtk_widget_set_visible (self->adjuster_pane, TRUE);
      gtk_widget_set_visible (self->adjuster_separator, TRUE);
      adw_leaflet_set_visible_child_name (self->adjuster_leaflet, "adjust");
      return;
    }
  adw_leaflet_set_visible_child_name (self->adjuster_leaflet, "preview");
  gtk_widget_set_visible (self->adjuster_pane, FALSE);
  gtk_widget_set_visible (self->adjuster_separator, FALSE);
}

/* One at a time, going back to the preview (Alt+Right, a swipe) ends the adjusting: the
 * Adjust button follows; Done shows only then. The leaflet folds while it allocates,
 * when no child may be shown or hidden (it would be drawn unallocated): after it. */
static gboolean
follow_adjuster_leaflet (gpointer user_data)
{
  MesoRecordPage *self = user_data;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "adjust-sheet");
  g_autoptr(GVariant) state = g_action_get_state (action);
  const char *shown = adw_leaflet_get_visible_child_name (self->adjuster_leaflet);
  gboolean folded = adw_leaflet_get_folded (self->adjuster_leaflet);

  self->adjuster_idle = 0;
  gtk_widget_set_visible (self->adjust_done_button, folded);
  if (folded && g_variant_get_boolean (state) && g_strcmp0 (shown, "preview") == 0
      && !adw_leaflet_get_child_transition_running (self->adjuster_leaflet))
    g_action_change_state (action, g_variant_new_boolean (FALSE));
  return G_SOURCE_REMOVE;
}

static void
on_adjuster_page_cb (MesoRecordPage *self)
{
  if (self->adjuster_idle == 0)
    self->adjuster_idle = g_idle_add (follow_adjuster_leaflet, self);
}

/* In a narrow window the form and the sheet are shown one at a time. */
static void
show_pane (MesoRecordPage *self,
           const char *name)
{
  adw_leaflet_set_visible_child_name (self->leaflet, name);
}

static void
on_back_clicked_cb (MesoRecordPage *self)
{
  show_pane (self, "form");
}

static void
on_show_sheet_clicked_cb (MesoRecordPage *self)
{
  show_pane (self, "sheet");
}

/* Tells the window how a call of the store ended: whether the clinic server answers. */
static void
report_store_result (MesoRecordPage *self,
                     const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (MESO_IS_WINDOW (root))
    meso_window_report_store_result (MESO_WINDOW (root), error);
}

static void
show_save_error (MesoRecordPage   *self,
                 const GError *error)
{
  report_store_result (self, error);
  /* The connection was lost: nothing was written, and the form is kept as it is. */
  if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE))
    {
      show_toast (self, _("The session was not saved: the clinic server cannot be reached. "
                          "The form keeps what you typed; save it again when the server is "
                          "back."));
      return;
    }
  meso_session_editor_show_error (self->editor, error);
  if (meso_error_get_field (error) == MESO_FIELD_NONE)
    show_toast (self, error->message);
}

static void
set_saving (MesoRecordPage  *self,
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
  MesoRecordPage *self = write->window;
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
  report_store_result (self, NULL);
  show_toast (self, _("Session saved"));
  meso_session_editor_clear (self->editor);
  show_sheet (self, session);
  show_pane (self, "sheet");
  g_signal_emit (self, signals[SESSION_SAVED], 0, meso_session_get_id (session));
}

/* The session is saved beside the main loop: another workstation holding the database
 * makes it wait, never the window. Meanwhile the form shows it is saving, and cannot be
 * saved again. */
static void
save_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MesoRecordPage *self = user_data;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  if (self->saving != NULL)
    return;
  /* Every problem at once, each beside its field, the first one focused. */
  session = meso_session_editor_read_session (self->editor, problems);
  if (session == NULL)
    {
      meso_session_editor_show_problems (self->editor, problems);
      return;
    }
  set_saving (self, session);
  meso_store_save_session_async (self->store, session, NULL, on_session_saved_cb,
                                 write_new (self));
}

static void
start_new_session (gpointer user_data)
{
  MesoRecordPage *self = user_data;

  meso_session_editor_clear (self->editor);
  on_form_started_cb (self);
  show_pane (self, "form");
  /* From the main menu or Ctrl+N on another page: the form comes to the front. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "record");
}

static GtkWindow *
get_window (MesoRecordPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* A form with work in it is not cleared without asking. */
static void
new_session_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MesoRecordPage *self = user_data;

  meso_draft_keeper_ask_discard (self->drafts, get_window (self), start_new_session,
                                 g_object_ref (self), g_object_unref);
}

static void
start_printing (MesoRecordPage *self)
{
  meso_sheet_printer_print (self->printer, GTK_WIDGET (self),
                            meso_session_get_id (self->shown_session),
                            meso_sheet_view_get_pdf (self->sheet_view));
}

static void
print_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  keep_adjustments_then (user_data, start_printing);
}

static void
choose_pdf_file (MesoRecordPage *self)
{
  meso_sheet_printer_save_pdf (self->printer, GTK_WIDGET (self), self->shown_session,
                               meso_sheet_view_get_pdf (self->sheet_view));
}

static void
save_pdf_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  keep_adjustments_then (user_data, choose_pdf_file);
}

static const GActionEntry record_entries[] = {
  { "save", save_activated, NULL, NULL, NULL },
  { "new-session", new_session_activated, NULL, NULL, NULL },
  { "print", print_activated, NULL, NULL, NULL },
  { "save-pdf", save_pdf_activated, NULL, NULL, NULL },
  { "adjust-sheet", NULL, NULL, "false", adjust_sheet_changed },
};

static void
on_store_changed_cb (MesoRecordPage *self)
{
  meso_session_editor_reload_lots (self->editor);
}

/* Beside the database's file; for a clinic server, in this user's folder, one for each
 * server address: a draft never comes back in the form of another database. */
static char *
get_draft_path (MesoRecordPage *self)
{
  const char *location = meso_store_get_path (self->store);
  g_autofree char *local = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stand_in = NULL;

  if (!meso_location_is_server (location))
    return meso_draft_get_default_path (location);
  local = meso_store_get_default_path ();
  dir = g_path_get_dirname (local);
  key = g_compute_checksum_for_string (G_CHECKSUM_SHA256, location, -1);
  key[16] = '\0';
  stand_in = g_build_filename (dir, "servers", key, "server", NULL);
  return meso_draft_get_default_path (stand_in);
}

static void
meso_record_page_constructed (GObject *object)
{
  MesoRecordPage *self = MESO_RECORD_PAGE (object);
  g_autofree char *path = NULL;

  G_OBJECT_CLASS (meso_record_page_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->printer != NULL);
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
  path = get_draft_path (self);
  self->drafts = meso_draft_keeper_new (self->editor, path);
  update_actions (self);
}

static void
meso_record_page_dispose (GObject *object)
{
  MesoRecordPage *self = (MesoRecordPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      meso_store_watch_changes (self->store, FALSE);
    }
  /* Not gtk_widget_dispose_template(): AdwBin lets go of its child itself, and the
   * template's widgets are all inside that child. */
  g_clear_object (&self->store);
  g_clear_object (&self->saving);
  g_clear_object (&self->printer);
  g_clear_object (&self->settings);
  g_clear_object (&self->clinic);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  g_clear_handle_id (&self->adjuster_idle, g_source_remove);
  g_clear_object (&self->shown_session);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->shown_saved_at, g_date_time_unref);
  g_clear_object (&self->stored);
  g_clear_object (&self->actions);
  g_clear_object (&self->drafts);

  G_OBJECT_CLASS (meso_record_page_parent_class)->dispose (object);
}

static void
meso_record_page_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MesoRecordPage *self = MESO_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PRINTER:
      self->printer = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_record_page_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MesoRecordPage *self = MESO_RECORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PRINTER:
      g_value_set_object (value, self->printer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_record_page_class_init (MesoRecordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_record_page_constructed;
  object_class->dispose = meso_record_page_dispose;
  object_class->set_property = meso_record_page_set_property;
  object_class->get_property = meso_record_page_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRINTER] =
    g_param_spec_object ("printer", NULL, NULL, MESO_TYPE_SHEET_PRINTER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MesoRecordPage::session-saved:
   * @session_id: the session just stored
   *
   * A session was saved from this page: the lists of sessions follow.
   */
  signals[SESSION_SAVED] = g_signal_new ("session-saved", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (MESO_TYPE_SESSION_EDITOR);
  g_type_ensure (MESO_TYPE_SHEET_ADJUSTER);
  g_type_ensure (MESO_TYPE_SHEET_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-record-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, adjuster);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, adjuster_leaflet);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, adjust_done_button);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, adjuster_pane);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, adjuster_separator);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, editor);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, show_sheet_button);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, sheet_title);
  gtk_widget_class_bind_template_child (widget_class, MesoRecordPage, sheet_view);
}

static void
meso_record_page_init (MesoRecordPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->active = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = meso_settings_new_if_installed ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), record_entries,
                                   G_N_ELEMENTS (record_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "record", G_ACTION_GROUP (self->actions));
  add_zoom_shortcuts (self);
  g_signal_connect_object (self->sheet_view, "notify::has-document",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sheet_view, "notify::has-document",
                           G_CALLBACK (on_sheet_rendered_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjuster, "changed",
                           G_CALLBACK (on_adjustments_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjuster_leaflet, "notify::visible-child",
                           G_CALLBACK (on_adjuster_page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjuster_leaflet, "notify::child-transition-running",
                           G_CALLBACK (on_adjuster_page_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->adjuster_leaflet, "notify::folded",
                           G_CALLBACK (on_adjuster_page_cb), self, G_CONNECT_SWAPPED);
  /* The first change after a save starts the next session's form. */
  g_signal_connect_object (self->editor, "changed",
                           G_CALLBACK (on_editor_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own (it cannot see a static callback). */
  g_signal_connect_swapped (self->show_sheet_button, "clicked",
                            G_CALLBACK (on_show_sheet_clicked_cb), self);
  g_signal_connect_swapped (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self);
  /* The sheet shown follows the paper chosen in the preferences. */
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed",
                             G_CALLBACK (on_settings_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * meso_record_page_new:
 * @store: where sessions are saved
 * @printer: what prints the sheets and puts them on the record
 *
 * Returns: (transfer floating): a new Record page.
 */
GtkWidget *
meso_record_page_new (MesoStore        *store,
                      MesoSheetPrinter *printer)
{
  return g_object_new (MESO_TYPE_RECORD_PAGE,
                       "store", store,
                       "printer", printer,
                       NULL);
}

/**
 * meso_record_page_set_active:
 * @self: a #MesoRecordPage
 * @active: whether the page is the one on screen
 *
 * Ctrl+S, Ctrl+P and Shift+Ctrl+S save and print what is on screen: with another page
 * in front they do nothing here. New Session works from anywhere: it comes to the front.
 */
void
meso_record_page_set_active (MesoRecordPage *self,
                             gboolean        active)
{
  g_return_if_fail (MESO_IS_RECORD_PAGE (self));

  self->active = active;
  update_actions (self);
}

/**
 * meso_record_page_get_actions:
 * @self: a #MesoRecordPage
 *
 * Returns: (transfer none): the page's actions, "save", "print", "save-pdf",
 *   "new-session" and "adjust-sheet", for the window to reach from its accelerators.
 */
GActionGroup *
meso_record_page_get_actions (MesoRecordPage *self)
{
  g_return_val_if_fail (MESO_IS_RECORD_PAGE (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

/**
 * meso_record_page_start_for:
 * @self: a #MesoRecordPage
 * @last: the patient's latest session
 * @session_number: the number of their next session in the series
 *
 * Brings the form to the front for the patient's next session, filled with who they
 * are and what is carried from @last (see meso_session_editor_start_from()).
 *
 * A form holding unsaved work is not replaced without asking: the form is filled once
 * the practitioner has discarded it.
 *
 * Returns: %FALSE, with a message shown, while the form's session is being saved: the
 *   form is cleared when that ends, and would lose what was filled.
 */
typedef struct
{
  MesoRecordPage *page;
  MesoSession    *last;
  guint           number;
} StartFor;

static void
start_for_free (StartFor *start)
{
  g_object_unref (start->page);
  g_object_unref (start->last);
  g_free (start);
}

static void
start_for_patient (gpointer user_data)
{
  StartFor *start = user_data;

  meso_session_editor_start_from (start->page->editor, start->last, start->number);
  on_form_started_cb (start->page);
  show_pane (start->page, "form");
  gtk_widget_activate_action (GTK_WIDGET (start->page), "win.show-page", "s", "record");
}

gboolean
meso_record_page_start_for (MesoRecordPage *self,
                            MesoSession    *last,
                            guint           session_number)
{
  StartFor *start;

  g_return_val_if_fail (MESO_IS_RECORD_PAGE (self), FALSE);
  g_return_val_if_fail (MESO_IS_SESSION (last), FALSE);

  if (self->saving != NULL)
    {
      show_toast (self, _("A session is being saved: try again in a moment"));
      return FALSE;
    }
  start = g_new0 (StartFor, 1);
  start->page = g_object_ref (self);
  start->last = g_object_ref (last);
  start->number = session_number;
  meso_draft_keeper_ask_discard (self->drafts, get_window (self), start_for_patient, start,
                                 (GDestroyNotify) start_for_free);
  return TRUE;
}

/**
 * meso_record_page_get_drafts:
 * @self: a #MesoRecordPage
 *
 * Returns: (transfer none): what keeps the form's unsaved work, and asks before it is
 *   lost (closing the window, quitting).
 */
MesoDraftKeeper *
meso_record_page_get_drafts (MesoRecordPage *self)
{
  g_return_val_if_fail (MESO_IS_RECORD_PAGE (self), NULL);
  return self->drafts;
}
