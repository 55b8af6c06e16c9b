/* meso-patient-page.c
 *
 * A patient is known here by one of their sessions: the store's query for "the patient
 * of this session" finds them by their identity (name and date of birth), so two
 * patients of one name never mix. Their details are those of their newest session, the
 * one the store keeps up to date.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-patient-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-area.h"
#include "meso-field.h"
#include "meso-patient-page.h"
#include "meso-session-query.h"

struct _MesoPatientPage
{
  AdwBin               parent_instance;

  /* template children */
  GtkButton           *back_button;
  AdwPreferencesGroup *details_group;
  AdwStatusPage       *error_page;
  GtkButton           *new_session_button;
  AdwActionRow        *next_row;
  GtkListBox          *sessions_list;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  AdwWindowTitle      *title_widget;

  MesoStore           *store;
  GCancellable        *cancellable;   /* the read under way */
  GPtrArray           *sessions;      /* of MesoSession, newest first */
  GPtrArray           *detail_rows;   /* the rows put in details_group */
  gint64               session_id;
};

G_DEFINE_FINAL_TYPE (MesoPatientPage, meso_patient_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  NEW_SESSION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a series carries on: the latest session that counts, a voided one being a
 * mistake kept for the record. */
static MesoSession *
latest_session (MesoPatientPage *self)
{
  for (guint i = 0; self->sessions != NULL && i < self->sessions->len; i++)
    if (!meso_session_get_voided (g_ptr_array_index (self->sessions, i)))
      return g_ptr_array_index (self->sessions, i);
  return NULL;
}

/* A count recorded in @field, or 0 when none was. */
static guint
field_count (MesoSession *session,
             MesoField    field)
{
  g_autofree char *text = meso_session_get_field_text (session, field);

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/* The number the patient's next session takes: one after the latest recorded, or one
 * after the sessions the page lists when numbers were not recorded. */
static guint
next_number (MesoPatientPage *self,
             MesoSession     *last)
{
  guint number = field_count (last, MESO_FIELD_SESSION_NUMBER);

  return number > 0 ? number + 1 : self->sessions->len + 1;
}

static void
update_actions (MesoPatientPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "patient.new-session",
                                 latest_session (self) != NULL);
}

static void
set_loading (MesoPatientPage *self,
             gboolean         loading)
{
  if (loading)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  else
    {
      gtk_spinner_stop (self->spinner);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static const char *
yes_no (gboolean value)
{
  return value ? _("Yes") : _("No");
}

/* Row @index of the details, made the first time and given its new value after: a
 * refresh then leaves the page as it was, scrolled where it was. */
static void
set_detail (MesoPatientPage *self,
            guint            index,
            const char      *title,
            const char      *value)
{
  GtkWidget *row;

  if (index < self->detail_rows->len)
    {
      row = g_ptr_array_index (self->detail_rows, index);
    }
  else
    {
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_group_add (self->details_group, row);
      g_ptr_array_add (self->detail_rows, row);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               value != NULL && *value != '\0' ? value : _("Not recorded"));
}

static void
show_details (MesoPatientPage *self,
              MesoSession     *session)
{
  const char *dob = meso_session_get_date_of_birth (session);
  g_autofree char *born = dob != NULL && *dob != '\0' ? meso_field_format_date (dob) : NULL;
  g_autofree char *phone = meso_session_get_field_text (session, MESO_FIELD_PHONE);
  g_autofree char *email = meso_session_get_field_text (session, MESO_FIELD_EMAIL);
  g_autofree char *notes = meso_session_get_field_text (session, MESO_FIELD_PATIENT_NOTES);
  g_autofree char *allergies = meso_session_get_field_text (session, MESO_FIELD_ALLERGIES);
  guint i = 0;

  set_detail (self, i++, _("Date of Birth"), born);
  set_detail (self, i++, _("Phone"), phone);
  set_detail (self, i++, _("Email"), email);
  set_detail (self, i++, _("Sheet Language"), meso_session_get_language (session));
  set_detail (self, i++, _("Blood Thinners"), yes_no (meso_session_get_blood_thinners (session)));
  set_detail (self, i++, _("Pregnant or Breastfeeding"),
              yes_no (meso_session_get_pregnant (session)));
  set_detail (self, i++, _("Allergies"), *allergies != '\0' ? allergies : _("None recorded"));
  set_detail (self, i++, _("Notes"), notes);
}

static const char *
status_text (MesoSession *session)
{
  if (meso_session_get_voided (session))
    return _("Voided");
  if (meso_session_get_amended (session))
    return _("Amended");
  return _("Recorded");
}

/* "Session 3 of 6": the numbers recorded, else the session's place among those listed. */
static char *
series_title (MesoPatientPage *self,
              guint            index)
{
  MesoSession *session = g_ptr_array_index (self->sessions, index);
  guint number = field_count (session, MESO_FIELD_SESSION_NUMBER);
  guint total = field_count (session, MESO_FIELD_SERIES_TOTAL);

  if (number == 0)
    number = self->sessions->len - index;
  if (total == 0)
    total = MAX (self->sessions->len, number);
  return g_strdup_printf (_("Session %u of %u"), number, total);
}

static GtkWidget *
make_session_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
fill_session_row (MesoPatientPage *self,
                  GtkWidget       *row,
                  guint            index)
{
  MesoSession *session = g_ptr_array_index (self->sessions, index);
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (session));
  /* Translators: a session's day and time on a patient's page; see strftime */
  g_autofree char *when = g_date_time_format (local, _("%Y-%m-%d %H:%M"));
  g_autofree char *areas = meso_areas_to_labels (meso_session_get_areas (session));
  g_autofree char *title = series_title (self, index);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s", when, areas,
                                               status_text (session));
  gint64 *id = g_new (gint64, 1);

  *id = meso_session_get_id (session);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Ids are 64-bit: a pointer may not hold one. */
  g_object_set_data_full (G_OBJECT (row), "session-id", id, g_free);
}

/* The rows there are take the sessions read, in order, and only the difference is
 * added or taken away: a refresh keeps the focus and the scroll position. */
static void
show_sessions (MesoPatientPage *self)
{
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sessions_list));
  guint i;

  for (i = 0; i < self->sessions->len; i++)
    {
      if (row == NULL)
        {
          row = make_session_row ();
          gtk_list_box_append (self->sessions_list, row);
        }
      fill_session_row (self, row, i);
      row = gtk_widget_get_next_sibling (row);
    }
  while (row != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      gtk_list_box_remove (self->sessions_list, row);
      row = next;
    }
}

static void
show_next_due (MesoPatientPage *self,
               MesoSession     *last)
{
  const char *next = last != NULL ? meso_session_get_next_session (last) : NULL;
  g_autofree char *day = next != NULL && *next != '\0' ? meso_field_format_date (next) : NULL;

  adw_action_row_set_subtitle (self->next_row, day != NULL ? day : _("None planned"));
}

static void
show_patient (MesoPatientPage *self)
{
  MesoSession *newest = g_ptr_array_index (self->sessions, 0);
  MesoSession *last = latest_session (self);
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u session",
                                                         "%u sessions", self->sessions->len),
                                            self->sessions->len);

  adw_window_title_set_title (self->title_widget, meso_session_get_patient_name (newest));
  adw_window_title_set_subtitle (self->title_widget, count);
  show_details (self, last != NULL ? last : newest);
  show_next_due (self, last);
  show_sessions (self);
  gtk_stack_set_visible_child_name (self->stack, "patient");
}

static void
show_error (MesoPatientPage *self,
            const GError    *error)
{
  adw_status_page_set_description (self->error_page,
                                   error != NULL ? error->message
                                                 : _("No session of theirs was found."));
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
on_sessions_read_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  MesoPatientPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = meso_store_query_finish (MESO_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  if (sessions == NULL || sessions->len == 0)
    show_error (self, error);
  else
    {
      self->sessions = g_steal_pointer (&sessions);
      show_patient (self);
    }
  set_loading (self, FALSE);
}

/* Reads the sessions of session_id's patient, in place of a read under way. */
static void
read_sessions (MesoPatientPage *self)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  meso_session_query_set_patient_of (query, self->session_id);
  meso_session_query_set_sort (query, MESO_SESSION_SORT_DATE, TRUE);
  meso_store_query_async (self->store, query, self->cancellable, on_sessions_read_cb, self);
}

/**
 * meso_patient_page_load:
 * @self: a #MesoPatientPage
 * @session_id: a stored session's id: the page shows that session's patient
 *
 * Reads the patient's sessions off the main thread; the page shows a spinner meanwhile.
 */
void
meso_patient_page_load (MesoPatientPage *self,
                        gint64           session_id)
{
  g_return_if_fail (MESO_IS_PATIENT_PAGE (self));

  self->session_id = session_id;
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  read_sessions (self);
  set_loading (self, TRUE);
}

/**
 * meso_patient_page_refresh:
 * @self: a #MesoPatientPage
 *
 * Reads the patient shown again, a session of theirs having been recorded, amended or
 * voided: the page keeps showing what it shows, scrolled where it is, until the new
 * read replaces it. Nothing happens before a patient was loaded.
 */
void
meso_patient_page_refresh (MesoPatientPage *self)
{
  g_return_if_fail (MESO_IS_PATIENT_PAGE (self));

  if (self->session_id == 0)
    return;
  read_sessions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * meso_patient_page_get_loading:
 * @self: a #MesoPatientPage
 *
 * Returns: whether the patient's sessions are being read.
 */
gboolean
meso_patient_page_get_loading (MesoPatientPage *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * meso_patient_page_get_latest:
 * @self: a #MesoPatientPage
 *
 * Returns: (transfer none) (nullable): the patient's latest session not voided: what a
 *   new session carries on from.
 */
MesoSession *
meso_patient_page_get_latest (MesoPatientPage *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT_PAGE (self), NULL);
  return latest_session (self);
}

static void
on_row_activated_cb (MesoPatientPage *self,
                     GtkListBoxRow   *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "session-id");

  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-session", "x", *id);
}

static void
new_session_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (widget);
  MesoSession *last = latest_session (self);

  if (last != NULL)
    g_signal_emit (self, signals[NEW_SESSION], 0, last, next_number (self, last));
}

/* --- The object ---------------------------------------------------------------------- */

static void
meso_patient_page_constructed (GObject *object)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (object);

  G_OBJECT_CLASS (meso_patient_page_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  /* A session of theirs recorded, amended or voided by another process or workstation
   * while the page is open; this window's own writes come through
   * meso_patient_page_refresh(). */
  meso_store_watch_changes (self->store, TRUE);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (meso_patient_page_refresh), self,
                           G_CONNECT_SWAPPED);
}

static void
meso_patient_page_dispose (GObject *object)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      meso_store_watch_changes (self->store, FALSE);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_PATIENT_PAGE);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (meso_patient_page_parent_class)->dispose (object);
}

static void
meso_patient_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (object);

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
meso_patient_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoPatientPage *self = MESO_PATIENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, meso_patient_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_page_class_init (MesoPatientPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_patient_page_constructed;
  object_class->dispose = meso_patient_page_dispose;
  object_class->set_property = meso_patient_page_set_property;
  object_class->get_property = meso_patient_page_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MesoPatientPage::new-session:
   * @last: the patient's latest session
   * @number: the number their next session takes in the series
   *
   * New Session was asked for: the window fills the Record page from @last.
   */
  signals[NEW_SESSION] =
    g_signal_new ("new-session", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, MESO_TYPE_SESSION, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "patient.new-session", NULL,
                                   new_session_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-patient-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, new_session_button);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, next_row);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, sessions_list);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoPatientPage, title_widget);
}

static void
meso_patient_page_init (MesoPatientPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->detail_rows = g_ptr_array_new ();
  g_signal_connect_object (self->sessions_list, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

/**
 * meso_patient_page_new:
 * @store: where the sessions are read
 *
 * Returns: (transfer floating): a new, empty patient page; see meso_patient_page_load().
 */
GtkWidget *
meso_patient_page_new (MesoStore *store)
{
  return g_object_new (MESO_TYPE_PATIENT_PAGE, "store", store, NULL);
}
