/* meso-window.c
 *
 * The main window only switches: its pages (Record, Today, History, Reports) are made
 * from the table below, each its own class with its own actions; a session opened from
 * one of them slides in over them with a Back button.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-window"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-clinic-banner.h"
#include "meso-history-page.h"
#include "meso-patient-page.h"
#include "meso-record-page.h"
#include "meso-reports-page.h"
#include "meso-server-banner.h"
#include "meso-session-page.h"
#include "meso-settings.h"
#include "meso-sheet-printer.h"
#include "meso-today-page.h"
#include "meso-window.h"

struct _MesoWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  GtkMenuButton        *menu_button;
  AdwLeaflet           *navigation;
  AdwBin               *banner_slot;
  AdwBin               *patient_slot;
  AdwBin               *server_banner_slot;
  AdwBin               *session_slot;
  AdwViewStack         *stack;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *title_switcher;
  AdwToastOverlay      *toast_overlay;

  MesoStore            *store;
  MesoSheetPrinter     *printer;
  GSettings            *settings;       /* NULL when the schema is not installed */
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

/**
 * meso_window_report_store_result:
 * @self: a #MesoWindow
 * @error: (nullable): how a call of the store made from the window ended: %NULL when it
 *   succeeded
 *
 * Tells the window whether the clinic server answers: the banner saying it cannot be
 * reached comes with %MESO_ERROR_SERVER_UNREACHABLE, and goes with a call that succeeded.
 */
void
meso_window_report_store_result (MesoWindow   *self,
                                 const GError *error)
{
  g_return_if_fail (MESO_IS_WINDOW (self));

  meso_server_banner_report (MESO_SERVER_BANNER (adw_bin_get_child (self->server_banner_slot)),
                             error);
}

static GtkWidget *
make_record_page (MesoWindow *self)
{
  GtkWidget *page = meso_record_page_new (self->store, self->printer);

  /* Reachable from the application's accelerators (Ctrl+S, Ctrl+P...) wherever the
   * focus is. */
  gtk_widget_insert_action_group (GTK_WIDGET (self), "record",
                                  meso_record_page_get_actions (MESO_RECORD_PAGE (page)));
  return page;
}

static GtkWidget *
make_today_page (MesoWindow *self)
{
  GtkWidget *page = meso_today_page_new (self->store, self->printer);

  gtk_widget_insert_action_group (GTK_WIDGET (self), "today",
                                  meso_today_page_get_actions (MESO_TODAY_PAGE (page)));
  return page;
}

static GtkWidget *
make_history_page (MesoWindow *self)
{
  return meso_history_page_new (self->store);
}

static GtkWidget *
make_reports_page (MesoWindow *self)
{
  return meso_reports_page_new (self->store, self->printer);
}

/* The pages, in the order of the switcher; their names are those of win.show-page. */
static const struct {
  const char  *name;
  const char  *title;
  const char  *icon_name;
  GtkWidget *(*make) (MesoWindow *self);
} pages[] = {
  { "record", N_("Record"), "document-edit-symbolic", make_record_page },
  { "today", N_("Today"), "x-office-calendar-symbolic", make_today_page },
  { "history", N_("History"), "document-open-recent-symbolic", make_history_page },
  { "reports", N_("Reports"), "x-office-spreadsheet-symbolic", make_reports_page },
};

/* The store's `changed` tells of other connections' writes only: this window's own
 * saves, amendments and voids are told to History, Reports and the patient's page, here. */
static void
refresh_after_own_write (MesoWindow *self)
{
  MesoHistoryPage *history = MESO_HISTORY_PAGE (meso_window_get_page (self, "history"));

  meso_session_list_refresh (meso_history_page_get_list (history));
  meso_reports_page_refresh (MESO_REPORTS_PAGE (meso_window_get_page (self, "reports")));
  if (adw_bin_get_child (self->patient_slot) != NULL)
    meso_patient_page_refresh (MESO_PATIENT_PAGE (adw_bin_get_child (self->patient_slot)));
}

/* The server answers again: what the pages could not read meanwhile is read now (and
 * what other workstations wrote meanwhile, whose notices were lost with the
 * connection). The pages kept what they showed until then. */
static void
on_server_unreachable_cb (MesoWindow *self)
{
  if (meso_store_get_server_unreachable (self->store))
    return;
  meso_today_page_reload (MESO_TODAY_PAGE (meso_window_get_page (self, "today")));
  refresh_after_own_write (self);
}

static void
add_pages (MesoWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = pages[i].make (self);
      AdwViewStackPage *stack_page = adw_view_stack_add_titled (self->stack, page, pages[i].name,
                                                                gettext (pages[i].title));

      adw_view_stack_page_set_icon_name (stack_page, pages[i].icon_name);
      adw_view_stack_page_set_use_underline (stack_page, FALSE);
    }
  /* A session saved at the chair is on the front desk's list at once. */
  g_signal_connect_object (meso_window_get_page (self, "record"), "session-saved",
                           G_CALLBACK (meso_today_page_reload),
                           meso_window_get_page (self, "today"), G_CONNECT_SWAPPED);
  g_signal_connect_object (meso_window_get_page (self, "record"), "session-saved",
                           G_CALLBACK (refresh_after_own_write), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (meso_window_get_page (self, "history"), "open-session",
                           G_CALLBACK (meso_window_open_session), self, G_CONNECT_SWAPPED);
}

/**
 * meso_window_get_page:
 * @self: a #MesoWindow
 * @name: "record", "today", "history", "reports", "session" for the session opened, or
 *   "patient" for the patient opened
 *
 * Returns: (transfer none) (nullable): the page of that name.
 */
GtkWidget *
meso_window_get_page (MesoWindow *self,
                      const char *name)
{
  g_return_val_if_fail (MESO_IS_WINDOW (self), NULL);

  if (g_strcmp0 (name, "session") == 0)
    return adw_bin_get_child (self->session_slot);
  if (g_strcmp0 (name, "patient") == 0)
    return adw_bin_get_child (self->patient_slot);
  return adw_view_stack_get_child_by_name (self->stack, name);
}

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  MesoWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->stack, name) == NULL)
    return;
  adw_leaflet_set_visible_child_name (self->navigation, "pages");
  adw_view_stack_set_visible_child_name (self->stack, name);
}

/* Made when first needed, then kept: one session is shown at a time. */
static MesoSessionPage *
ensure_session_page (MesoWindow *self)
{
  GtkWidget *page = adw_bin_get_child (self->session_slot);

  if (page != NULL)
    return MESO_SESSION_PAGE (page);
  page = meso_session_page_new (self->store, self->printer);
  /* An amendment or a void is on the front desk's list at once. */
  g_signal_connect_object (page, "changed", G_CALLBACK (meso_today_page_reload),
                           meso_window_get_page (self, "today"), G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "changed", G_CALLBACK (refresh_after_own_write), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (self->session_slot, page);
  return MESO_SESSION_PAGE (page);
}

/**
 * meso_window_open_session:
 * @self: a #MesoWindow
 * @id: a stored session's id
 *
 * Shows session @id's page over the pages, with a Back button. The shape of
 * MesoHistoryPage::open-session, to connect it with G_CONNECT_SWAPPED.
 */
void
meso_window_open_session (MesoWindow *self,
                          gint64      id)
{
  g_return_if_fail (MESO_IS_WINDOW (self));

  meso_session_page_load (ensure_session_page (self), id);
  adw_leaflet_set_visible_child_name (self->navigation, "session");
}

/* win.open-session (x): what Today opens a session with. */
static void
open_session_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  meso_window_open_session (user_data, g_variant_get_int64 (parameter));
}

static void
close_session_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  MesoWindow *self = user_data;

  adw_leaflet_set_visible_child_name (self->navigation, "pages");
}

static void
on_new_session_cb (MesoWindow  *self,
                   MesoSession *last,
                   guint        number)
{
  meso_record_page_start_for (MESO_RECORD_PAGE (meso_window_get_page (self, "record")), last,
                              number);
}

/* Made when first needed, then kept, like the session page. */
static MesoPatientPage *
ensure_patient_page (MesoWindow *self)
{
  GtkWidget *page = adw_bin_get_child (self->patient_slot);

  if (page != NULL)
    return MESO_PATIENT_PAGE (page);
  page = meso_patient_page_new (self->store);
  g_signal_connect_object (page, "new-session", G_CALLBACK (on_new_session_cb), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (self->patient_slot, page);
  return MESO_PATIENT_PAGE (page);
}

/**
 * meso_window_open_patient:
 * @self: a #MesoWindow
 * @session_id: a stored session's id
 *
 * Shows the page of that session's patient over the session, with a Back button.
 */
void
meso_window_open_patient (MesoWindow *self,
                          gint64      session_id)
{
  g_return_if_fail (MESO_IS_WINDOW (self));

  /* Read again each time: a session may have been recorded or amended since. */
  meso_patient_page_load (ensure_patient_page (self), session_id);
  adw_leaflet_set_visible_child_name (self->navigation, "patient");
}

/* win.open-patient (x): a session's id, whose patient the page is for. */
static void
open_patient_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  meso_window_open_patient (user_data, g_variant_get_int64 (parameter));
}

/* Back from a patient to the session they were opened from, if any. */
static void
close_patient_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  MesoWindow *self = user_data;

  adw_leaflet_set_visible_child_name (self->navigation,
                                      adw_bin_get_child (self->session_slot) != NULL
                                      ? "session" : "pages");
}

/* Ctrl+F: the search of History when it is in front, else Today's (which comes to the
 * front). */
static void
search_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MesoWindow *self = user_data;
  gboolean on_pages = g_strcmp0 (adw_leaflet_get_visible_child_name (self->navigation),
                                 "pages") == 0;

  if (on_pages && g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "history") == 0)
    gtk_widget_activate_action (meso_window_get_page (self, "history"), "history.search", NULL);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "today.search", NULL);
}

static const GActionEntry win_entries[] = {
  { "search", search_activated, NULL, NULL, NULL },
  { "show-page", show_page_activated, "s", NULL, NULL },
  { "open-session", open_session_activated, "x", NULL, NULL },
  { "close-session", close_session_activated, NULL, NULL, NULL },
  { "open-patient", open_patient_activated, "x", NULL, NULL },
  { "close-patient", close_patient_activated, NULL, NULL, NULL },
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

static MesoDraftKeeper *
get_drafts (MesoWindow *self)
{
  return meso_record_page_get_drafts (MESO_RECORD_PAGE (meso_window_get_page (self, "record")));
}

/**
 * meso_window_get_unsaved:
 * @self: a #MesoWindow
 *
 * Returns: whether the Record form holds work that closing the window would lose.
 */
gboolean
meso_window_get_unsaved (MesoWindow *self)
{
  g_return_val_if_fail (MESO_IS_WINDOW (self), FALSE);
  return meso_draft_keeper_get_unsaved (get_drafts (self));
}

/**
 * meso_window_ask_discard:
 * @self: a #MesoWindow
 * @then: what would lose the Record form's work (quitting)
 * @user_data: for @then
 * @destroy: (nullable): frees @user_data
 *
 * Calls @then at once when the form holds no unsaved work, else once the practitioner
 * has discarded it (see meso_draft_keeper_ask_discard()).
 */
void
meso_window_ask_discard (MesoWindow        *self,
                         MesoDiscardedFunc  then,
                         gpointer           user_data,
                         GDestroyNotify     destroy)
{
  g_return_if_fail (MESO_IS_WINDOW (self));

  /* The question is about this window's form: it comes to the front with it. */
  gtk_window_present (GTK_WINDOW (self));
  adw_leaflet_set_visible_child_name (self->navigation, "pages");
  adw_view_stack_set_visible_child_name (self->stack, "record");
  meso_draft_keeper_ask_discard (get_drafts (self), GTK_WINDOW (self), then, user_data,
                                 destroy);
}

static void
close_after_discard (gpointer user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static gboolean
meso_window_close_request (GtkWindow *window)
{
  MesoWindow *self = MESO_WINDOW (window);
  int width, height;

  /* Asked first; once the work is discarded, closing again goes through. */
  if (meso_window_get_unsaved (self))
    {
      meso_window_ask_discard (self, close_after_discard, g_object_ref (self), g_object_unref);
      return TRUE;
    }
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

/* The Record page's keys act only while it is the page on screen. */
static void
on_page_shown_cb (MesoWindow *self)
{
  gboolean on_record = g_strcmp0 (adw_leaflet_get_visible_child_name (self->navigation),
                                  "pages") == 0
                       && g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack),
                                     "record") == 0;

  meso_record_page_set_active (MESO_RECORD_PAGE (meso_window_get_page (self, "record")),
                               on_record);
}

static void
meso_window_constructed (GObject *object)
{
  MesoWindow *self = MESO_WINDOW (object);

  G_OBJECT_CLASS (meso_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  self->printer = meso_sheet_printer_new (self->store);
  add_pages (self);
  adw_bin_set_child (self->banner_slot, meso_clinic_banner_new (self->store, self->settings));
  adw_bin_set_child (self->server_banner_slot, meso_server_banner_new (self->store));
  g_signal_connect_object (self->store, "notify::server-unreachable",
                           G_CALLBACK (on_server_unreachable_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stack, "notify::visible-child",
                           G_CALLBACK (on_page_shown_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->navigation, "notify::visible-child",
                           G_CALLBACK (on_page_shown_cb), self, G_CONNECT_SWAPPED);
  restore_size (self);
}

static void
meso_window_dispose (GObject *object)
{
  MesoWindow *self = (MesoWindow *) object;

  /* The pages go with the template; a window kept alive after it must not be told. */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_WINDOW);
  g_clear_object (&self->printer);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, banner_slot);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, navigation);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, patient_slot);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, server_banner_slot);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, session_slot);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, title_switcher);
  gtk_widget_class_bind_template_child (widget_class, MesoWindow, toast_overlay);
}

static void
meso_window_init (MesoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = meso_settings_new_if_installed ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
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
