/* meso-today-page.c
 *
 * The front desk's list: today's sessions, newest first, each with its sheet one tap
 * away. It follows the store: a session saved here, by the command-line tool or at
 * another workstation appears within the watch's second or two. A search replaces the
 * day with any patient's recent sessions, by a few letters of the name or a date of
 * birth. Every read is asynchronous; a newer one cancels the one before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-today-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-error.h"
#include "meso-today-page.h"

/* A day at a busy clinic is a few dozen sessions; a patient's recent ones, a page. */
#define TODAY_LIMIT  500
#define SEARCH_LIMIT 100

struct _MesoTodayPage
{
  AdwBin              parent_instance;

  /* template children */
  AdwStatusPage      *empty_page;
  GtkLabel           *heading_label;
  GtkListBox         *list_box;
  GtkSearchEntry     *search_entry;
  GtkSpinner         *spinner;
  GtkStack           *stack;

  MesoStore          *store;
  MesoSheetPrinter   *printer;
  GSimpleActionGroup *actions;
  GCancellable       *cancellable;   /* the read under way */
  gboolean            loading;
  gboolean            searching;     /* the rows are a search's, not today's */
};

G_DEFINE_FINAL_TYPE (MesoTodayPage, meso_today_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PRINTER,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What one read found: the sessions, and which of them were printed. */
typedef struct
{
  MesoTodayPage *page;
  GPtrArray     *sessions;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->page);
  g_clear_pointer (&load->sessions, g_ptr_array_unref);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
set_loading (MesoTodayPage *self,
             gboolean       loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static char *
format_time (MesoSession *session,
             gboolean     with_date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (session));

  /* Translators: a session's day and time in a search's results; see strftime */
  return g_date_time_format (local, with_date ? _("%Y-%m-%d %H:%M") : "%H:%M");
}

/* Second line of a row: areas, practitioner, and what became of the sheet. */
static char *
describe (MesoSession *session,
          gboolean     printed)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *areas = meso_areas_to_labels (meso_session_get_areas (session));
  const char *practitioner = meso_session_get_practitioner (session);

  g_string_append (text, areas);
  if (practitioner != NULL && *practitioner != '\0')
    g_string_append_printf (text, " · %s", practitioner);
  if (meso_session_get_voided (session))
    g_string_append_printf (text, " · %s", _("Voided"));
  else if (meso_session_get_amended (session))
    g_string_append_printf (text, " · %s", _("Amended"));
  g_string_append_printf (text, " · %s", printed ? _("Sheet printed") : _("Sheet not printed"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static MesoSession *
row_session (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return g_object_get_data (G_OBJECT (row), "session");
}

static void
on_print_clicked_cb (GtkButton     *button,
                     MesoTodayPage *self)
{
  meso_sheet_printer_hand_out (self->printer, GTK_WIDGET (self),
                               row_session (GTK_WIDGET (button)), FALSE);
}

static void
on_save_pdf_clicked_cb (GtkButton     *button,
                        MesoTodayPage *self)
{
  meso_sheet_printer_hand_out (self->printer, GTK_WIDGET (self),
                               row_session (GTK_WIDGET (button)), TRUE);
}

/* An icon button on a row, named for screen readers, large enough for a finger. */
static GtkWidget *
row_button (MesoTodayPage *self,
            const char    *icon_name,
            const char    *name,
            GCallback      callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (button, 44, 44);
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static GtkWidget *
make_row (MesoTodayPage *self,
          MesoSession   *session,
          gboolean       printed)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = format_time (session, self->searching);
  g_autofree char *subtitle = describe (session, printed);
  GtkWidget *time = gtk_label_new (when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 meso_session_get_patient_name (session));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Open the session (Enter)"));
  gtk_widget_add_css_class (time, "numeric");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), time);
  if (!meso_session_get_voided (session))
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "document-save-as-symbolic", _("Save as PDF"),
                                             G_CALLBACK (on_save_pdf_clicked_cb)));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (self, "printer-symbolic", _("Print Sheet"),
                                             G_CALLBACK (on_print_clicked_cb)));
    }
  g_object_set_data_full (G_OBJECT (row), "session", g_object_ref (session), g_object_unref);
  return row;
}

static gboolean
contains_id (GArray *ids,
             gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
clear_rows (MesoTodayPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
}

static void
show_sessions (MesoTodayPage *self,
               GPtrArray     *sessions,
               GArray        *printed)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *heading = NULL;

  clear_rows (self);
  for (guint i = 0; i < sessions->len; i++)
    {
      MesoSession *session = g_ptr_array_index (sessions, i);

      gtk_list_box_append (self->list_box,
                           make_row (self, session,
                                     contains_id (printed, meso_session_get_id (session))));
    }

  if (self->searching)
    heading = g_strdup_printf (ngettext ("%u session found for “%s”",
                                         "%u sessions found for “%s”", sessions->len),
                               sessions->len, text);
  else
    heading = g_strdup_printf (ngettext ("%u session today", "%u sessions today",
                                         sessions->len), sessions->len);
  gtk_label_set_text (self->heading_label, heading);

  adw_status_page_set_title (self->empty_page, self->searching ? _("No Sessions Found")
                                                               : _("No Sessions Today"));
  adw_status_page_set_description (self->empty_page,
                                   self->searching
                                   ? _("Try fewer letters of the name, or the date of birth as YYYY-MM-DD.")
                                   : _("Sessions recorded today, here or at another workstation, appear here."));
  gtk_stack_set_visible_child_name (self->stack, sessions->len > 0 ? "list" : "empty");
}

/* The server out of reach: rows shown stay as they were, the window's banner says why,
 * and the page is read again when the server answers. */
static void
show_error (MesoTodayPage *self,
            const GError  *error)
{
  if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE)
      && gtk_widget_get_first_child (GTK_WIDGET (self->list_box)) != NULL)
    return;
  adw_status_page_set_title (self->empty_page, _("The Sessions Could Not Be Read"));
  adw_status_page_set_description (self->empty_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
on_printed_listed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  MesoTodayPage *self = load->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) printed = meso_store_list_printed_finish (MESO_STORE (source), result,
                                                              &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* a newer read replaces this one */
  gtk_spinner_stop (self->spinner);
  if (printed == NULL)
    show_error (self, error);
  else
    show_sessions (self, load->sessions, printed);
  set_loading (self, FALSE);
}

static void
on_sessions_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  MesoTodayPage *self = load->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  load->sessions = meso_store_query_finish (MESO_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (load->sessions == NULL)
    {
      gtk_spinner_stop (self->spinner);
      show_error (self, error);
      set_loading (self, FALSE);
      return;
    }
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), load->sessions->len);
  for (guint i = 0; i < load->sessions->len; i++)
    {
      gint64 id = meso_session_get_id (g_ptr_array_index (load->sessions, i));

      g_array_append_val (ids, id);
    }
  meso_store_list_printed_async (MESO_STORE (source), ids, self->cancellable,
                                 on_printed_listed_cb, g_steal_pointer (&load));
}

static gboolean
looks_like_date (const char *text)
{
  return g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text, 0, 0);
}

/* Today (local midnight to midnight), or the search typed. */
static MesoSessionQuery *
make_query (MesoTodayPage *self)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;

  meso_session_query_set_sort (query, MESO_SESSION_SORT_DATE, TRUE);
  self->searching = *text != '\0';
  if (!self->searching)
    {
      midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                        g_date_time_get_day_of_month (now), 0, 0, 0);
      tomorrow = g_date_time_add_days (midnight, 1);
      meso_session_query_set_period (query, midnight, tomorrow);
      meso_session_query_set_range (query, 0, TODAY_LIMIT);
      return g_steal_pointer (&query);
    }
  /* A date that is no date finds nobody, as a name that is nobody's does. */
  if (!looks_like_date (text) || !meso_session_query_set_birth_date (query, text, NULL))
    meso_session_query_set_patient_text (query, text);
  meso_session_query_set_range (query, 0, SEARCH_LIMIT);
  return g_steal_pointer (&query);
}

/**
 * meso_today_page_reload:
 * @self: a #MesoTodayPage
 *
 * Reads the sessions shown again, off the main thread: the rows shown stay until the
 * new ones come.
 */
void
meso_today_page_reload (MesoTodayPage *self)
{
  g_autoptr(MesoSessionQuery) query = NULL;
  Load *load;

  g_return_if_fail (MESO_IS_TODAY_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  query = make_query (self);
  set_loading (self, TRUE);
  /* A spinner in place of an empty list; rows already shown stay meanwhile. */
  if (gtk_widget_get_first_child (GTK_WIDGET (self->list_box)) == NULL)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  load = g_new0 (Load, 1);
  load->page = g_object_ref (self);
  meso_store_query_async (self->store, query, self->cancellable, on_sessions_read_cb, load);
}

gboolean
meso_today_page_get_loading (MesoTodayPage *self)
{
  g_return_val_if_fail (MESO_IS_TODAY_PAGE (self), FALSE);
  return self->loading;
}

static void
open_session (MesoTodayPage *self,
              MesoSession   *session)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-session", "x",
                              meso_session_get_id (session));
}

static void
on_row_activated_cb (MesoTodayPage *self,
                     GtkListBoxRow *row)
{
  open_session (self, g_object_get_data (G_OBJECT (row), "session"));
}

/* Enter in the search field opens the first session found. */
static void
on_search_activated_cb (MesoTodayPage *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->list_box, 0);

  if (first != NULL && !self->loading)
    open_session (self, g_object_get_data (G_OBJECT (first), "session"));
}

static void
search_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MesoTodayPage *self = user_data;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "today");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static const GActionEntry today_entries[] = {
  { "search", search_activated, NULL, NULL, NULL },
};

/**
 * meso_today_page_get_actions:
 * @self: a #MesoTodayPage
 *
 * Returns: (transfer none): the page's actions ("search"), for the window's accelerators.
 */
GActionGroup *
meso_today_page_get_actions (MesoTodayPage *self)
{
  g_return_val_if_fail (MESO_IS_TODAY_PAGE (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

static void
meso_today_page_constructed (GObject *object)
{
  MesoTodayPage *self = MESO_TODAY_PAGE (object);

  G_OBJECT_CLASS (meso_today_page_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->printer != NULL);
  /* Written by another process or workstation. */
  meso_store_watch_changes (self->store, TRUE);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (meso_today_page_reload), self,
                           G_CONNECT_SWAPPED);
  /* A sheet handed out from here or another page: its row says so. */
  g_signal_connect_object (self->printer, "printed", G_CALLBACK (meso_today_page_reload), self,
                           G_CONNECT_SWAPPED);
  meso_today_page_reload (self);
}

static void
meso_today_page_dispose (GObject *object)
{
  MesoTodayPage *self = MESO_TODAY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      meso_store_watch_changes (self->store, FALSE);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->printer);
  g_clear_object (&self->actions);
  G_OBJECT_CLASS (meso_today_page_parent_class)->dispose (object);
}

static void
meso_today_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MesoTodayPage *self = MESO_TODAY_PAGE (object);

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
meso_today_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MesoTodayPage *self = MESO_TODAY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PRINTER:
      g_value_set_object (value, self->printer);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_today_page_class_init (MesoTodayPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_today_page_constructed;
  object_class->dispose = meso_today_page_dispose;
  object_class->set_property = meso_today_page_set_property;
  object_class->get_property = meso_today_page_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRINTER] =
    g_param_spec_object ("printer", NULL, NULL, MESO_TYPE_SHEET_PRINTER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-today-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoTodayPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, MesoTodayPage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, MesoTodayPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, MesoTodayPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoTodayPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoTodayPage, stack);
}

static void
meso_today_page_init (MesoTodayPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), today_entries,
                                   G_N_ELEMENTS (today_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "today", G_ACTION_GROUP (self->actions));
  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own. */
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (on_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
  /* GtkSearchEntry waits a moment after the last key: a search typed letter by letter
   * reads once, and each read cancels the one before. */
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (meso_today_page_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (on_search_activated_cb),
                           self, G_CONNECT_SWAPPED);
}

/**
 * meso_today_page_new:
 * @store: where the sessions are read
 * @printer: what prints their sheets
 *
 * Returns: (transfer floating): a new Today page.
 */
GtkWidget *
meso_today_page_new (MesoStore        *store,
                     MesoSheetPrinter *printer)
{
  return g_object_new (MESO_TYPE_TODAY_PAGE, "store", store, "printer", printer, NULL);
}
