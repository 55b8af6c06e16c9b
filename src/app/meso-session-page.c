/* meso-session-page.c
 *
 * A stored session as the front desk and the manager see it: every field, the
 * amendments (earlier value, new value, who, when, why), its entries in the audit log,
 * and its sheet rendered as the command-line tool renders it, so that Reprint hands
 * out the very sheet printed first. Amend and Void go through the store, which checks
 * them (a reason is required) and keeps every earlier value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-session-page.h"
#include "meso-sheet-view.h"
#include "meso-window.h"

struct _MesoSessionPage
{
  AdwBin               parent_instance;

  /* template children */
  GtkWidget           *amend_buttons;
  AdwPreferencesGroup *amend_group;
  AdwPreferencesGroup *amendments_group;
  AdwPreferencesGroup *audit_group;
  GtkButton           *back_button;
  AdwStatusPage       *error_page;
  AdwPreferencesGroup *fields_group;
  AdwLeaflet          *leaflet;
  GtkButton           *patient_button;
  GtkLabel            *patient_label;
  MesoSheetView       *sheet_view;
  GtkButton           *show_sheet_button;
  GtkSpinner          *spinner;
  GtkStack            *stack;
  GtkLabel            *status_label;
  AdwWindowTitle      *title_widget;

  MesoStore           *store;
  MesoSheetPrinter    *printer;
  GSimpleActionGroup  *actions;
  GCancellable        *cancellable;   /* the reads of the session shown */
  gint64               id;
  MesoSession         *session;
  guint                pending;       /* reads under way */
  gboolean             busy;          /* an amendment or a void on its way */
  GHashTable          *rows;          /* group → GPtrArray of the rows put in it */
  GPtrArray           *amend_rows;    /* the form's rows, each with its field */
  AdwEntryRow         *reason_row;
};

G_DEFINE_FINAL_TYPE (MesoSessionPage, meso_session_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PRINTER,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_toast (MesoSessionPage *self,
            const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (MESO_IS_WINDOW (root))
    meso_window_show_toast (MESO_WINDOW (root), message);
}

/* Tells the window whether the clinic server answered a write (its banner). */
static void
report_store_result (MesoSessionPage *self,
                     const GError    *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (MESO_IS_WINDOW (root))
    meso_window_report_store_result (MESO_WINDOW (root), error);
}

static gboolean
is_amending (MesoSessionPage *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->amend_group));
}

static void
set_enabled (MesoSessionPage *self,
             const char      *name,
             gboolean         enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The one place where what can be done with the session shown is decided. A voided
 * session is kept to be read, not handed out or changed. */
static void
update_actions (MesoSessionPage *self)
{
  gboolean open = self->session != NULL && !meso_session_get_voided (self->session)
                  && !self->busy;
  gboolean has_sheet = meso_sheet_view_has_document (self->sheet_view);

  set_enabled (self, "reprint", open && has_sheet);
  set_enabled (self, "save-pdf", open && has_sheet);
  set_enabled (self, "save-pdf-to", open && has_sheet);
  set_enabled (self, "amend", open && !is_amending (self));
  set_enabled (self, "void", open);
  set_enabled (self, "save-amendment", open && is_amending (self));
  set_enabled (self, "cancel-amendment", is_amending (self) && !self->busy);
}

static void
set_pending (MesoSessionPage *self,
             guint            pending)
{
  gboolean was_loading = self->pending > 0;

  self->pending = pending;
  if (was_loading != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
read_done (MesoSessionPage *self)
{
  g_return_if_fail (self->pending > 0);
  set_pending (self, self->pending - 1);
}

/* --- Rows ---------------------------------------------------------------------------- */

static void
clear_group (MesoSessionPage     *self,
             AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_hash_table_lookup (self->rows, group);

  if (rows == NULL)
    return;
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
add_row (MesoSessionPage     *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  GPtrArray *rows = g_hash_table_lookup (self->rows, group);

  if (rows == NULL)
    {
      rows = g_ptr_array_new ();
      g_hash_table_insert (self->rows, group, rows);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

/* A line of text under its title; neither is markup. */
static GtkWidget *
text_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
show_fields (MesoSessionPage *self)
{
  clear_group (self, self->fields_group);
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = meso_session_get_field_text (self->session, field);

      if (*text == '\0' && field != MESO_FIELD_REACTIONS)
        continue;
      /* "Not recorded" is said, never left to look like "none". */
      add_row (self, self->fields_group,
               text_row (meso_field_get_label (field), *text != '\0' ? text : _("not recorded")));
    }
}

static char *
change_label (const MesoChange *change)
{
  if (change->field == MESO_FIELD_NONE)
    /* Translators: an amended field this version does not know, by its stored id */
    return g_strdup_printf (_("%s (unknown field)"), change->field_id);
  return g_strdup (meso_field_get_label (change->field));
}

static void
show_amendments (MesoSessionPage *self,
                 GPtrArray       *amendments)
{
  clear_group (self, self->amendments_group);
  if (amendments->len == 0)
    add_row (self, self->amendments_group, text_row (_("Never amended"), NULL));
  for (guint i = 0; i < amendments->len; i++)
    {
      MesoAmendment *amendment = g_ptr_array_index (amendments, i);
      /* Translators: who amended, when (UTC), and why */
      g_autofree char *by = g_strdup_printf (_("%s, %s: %s"), amendment->user,
                                             amendment->amended_at, amendment->reason);

      for (guint c = 0; c < amendment->changes->len; c++)
        {
          MesoChange *change = &g_array_index (amendment->changes, MesoChange, c);
          g_autofree char *label = change_label (change);
          /* Translators: an amended field, its earlier value and its new one */
          g_autofree char *title = g_strdup_printf (_("%s: “%s” → “%s”"), label,
                                                    change->old_value != NULL ? change->old_value : "",
                                                    change->new_value != NULL ? change->new_value : "");

          add_row (self, self->amendments_group, text_row (title, by));
        }
    }
}

static void
show_audit (MesoSessionPage *self,
            GPtrArray       *entries)
{
  clear_group (self, self->audit_group);
  for (guint i = 0; i < entries->len; i++)
    {
      MesoAuditEntry *entry = g_ptr_array_index (entries, i);
      /* Translators: who did it, and when (UTC) */
      g_autofree char *by = g_strdup_printf (_("%s, %s"), entry->user, entry->at);

      add_row (self, self->audit_group, text_row (entry->action, by));
    }
}

/* The patient's name, a button to their page: win.open-patient with this session's id,
 * by which the store finds them. */
static void
show_patient_button (MesoSessionPage *self)
{
  const char *name = meso_session_get_patient_name (self->session);
  g_autofree char *label = g_strdup_printf (_("Patient: %s"), name);

  /* The name read out is the label shown, as everywhere else. */
  gtk_label_set_text (self->patient_label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->patient_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->patient_button),
                                          g_variant_new_int64 (self->id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->patient_button), "win.open-patient");
}

static void
show_status (MesoSessionPage *self)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (self->session));
  /* Translators: a session's day and time in its page's title; see strftime */
  g_autofree char *when = g_date_time_format (local, _("%Y-%m-%d %H:%M"));
  g_autofree char *status = NULL;

  adw_window_title_set_title (self->title_widget, meso_session_get_patient_name (self->session));
  adw_window_title_set_subtitle (self->title_widget, when);
  if (meso_session_get_voided (self->session))
    status = g_strdup_printf (_("Voided: %s"), meso_session_get_void_reason (self->session));
  else if (meso_session_get_amended (self->session))
    status = g_strdup (_("Amended: the values shown are the corrected ones."));
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  show_patient_button (self);
}

/* --- Reading ------------------------------------------------------------------------- */

static void
on_amendments_read_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  MesoSessionPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) amendments = meso_store_list_amendments_finish (MESO_STORE (source),
                                                                       result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (amendments != NULL)
    show_amendments (self, amendments);
  else
    show_toast (self, error->message);
  read_done (self);
}

static void
on_audit_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MesoSessionPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_list_audit_finish (MESO_STORE (source), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (entries != NULL)
    show_audit (self, entries);
  else
    show_toast (self, error->message);
  read_done (self);
}

static void
on_sheet_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MesoSessionPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSheet) sheet = meso_sheet_printer_load_sheet_finish (MESO_SHEET_PRINTER (source),
                                                                     result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (sheet != NULL)
    meso_sheet_view_set_sheet (self->sheet_view, sheet);
  else
    show_toast (self, error->message);
  read_done (self);
}

static void set_amending        (MesoSessionPage *self,
                                 gboolean         amending);
static void refresh_amend_form  (MesoSessionPage *self);

static void
on_session_read_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MesoSessionPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoSession) session = meso_store_get_session_finish (MESO_STORE (source), result,
                                                                  &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  if (session == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      read_done (self);
      return;
    }
  g_set_object (&self->session, session);
  /* Read again with the amendment form open: after a refusal, another workstation's
   * amendment or void is now what the form stands on. */
  if (self->amend_rows->len > 0 && meso_session_get_voided (session))
    set_amending (self, FALSE);
  else if (self->amend_rows->len > 0)
    refresh_amend_form (self);
  show_status (self);
  show_fields (self);
  gtk_stack_set_visible_child_name (self->stack, "session");
  update_actions (self);

  /* The rest follows in the order asked; the page is loaded when all are in. */
  set_pending (self, self->pending + 3);
  meso_store_list_amendments_async (self->store, self->id, self->cancellable,
                                    on_amendments_read_cb, self);
  meso_store_list_audit_async (self->store, self->id, self->cancellable, on_audit_read_cb,
                               self);
  meso_sheet_printer_load_sheet_async (self->printer, session, self->cancellable,
                                       on_sheet_loaded_cb, self);
  read_done (self);
}

/**
 * meso_session_page_load:
 * @self: a #MesoSessionPage
 * @id: a stored session's id
 *
 * Shows session @id: its record at once when read, then its amendments, its audit
 * entries and its sheet. All are read off the main thread.
 */
void
meso_session_page_load (MesoSessionPage *self,
                        gint64           id)
{
  g_return_if_fail (MESO_IS_SESSION_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (id != self->id)
    {
      g_clear_object (&self->session);
      meso_sheet_view_set_sheet (self->sheet_view, NULL);
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      adw_leaflet_set_visible_child_name (self->leaflet, "details");
    }
  self->id = id;
  set_pending (self, 1);
  update_actions (self);
  meso_store_get_session_async (self->store, id, self->cancellable, on_session_read_cb, self);
}

MesoSession *
meso_session_page_get_session (MesoSessionPage *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_PAGE (self), NULL);
  return self->session;
}

gboolean
meso_session_page_get_loading (MesoSessionPage *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_PAGE (self), FALSE);
  return self->pending > 0;
}

/* --- Handing the sheet out ----------------------------------------------------------- */

static void
reprint_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MesoSessionPage *self = user_data;

  meso_sheet_printer_print (self->printer, GTK_WIDGET (self), self->id,
                            meso_sheet_view_get_pdf (self->sheet_view));
}

static void
save_pdf_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MesoSessionPage *self = user_data;

  meso_sheet_printer_save_pdf (self->printer, GTK_WIDGET (self), self->session,
                               meso_sheet_view_get_pdf (self->sheet_view));
}

/* session.save-pdf-to (s): Save as PDF to a path given, with no dialog: for scripts
 * and the tests, which cannot drive the desktop's file chooser. */
static void
save_pdf_to_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MesoSessionPage *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  meso_sheet_printer_write_pdf (self->printer, GTK_WIDGET (self), self->id,
                                meso_sheet_view_get_pdf (self->sheet_view), file);
}

/* --- Amending ------------------------------------------------------------------------ */

static void
clear_amend_form (MesoSessionPage *self)
{
  clear_group (self, self->amend_group);
  g_ptr_array_set_size (self->amend_rows, 0);
  self->reason_row = NULL;
}

static void
set_amending (MesoSessionPage *self,
              gboolean         amending)
{
  if (!amending)
    clear_amend_form (self);
  gtk_widget_set_visible (GTK_WIDGET (self->amend_group), amending);
  gtk_widget_set_visible (self->amend_buttons, amending);
  update_actions (self);
}

/* One row of the form: a switch for a yes-or-no field, an entry for the others, filled
 * with the value recorded. */
static GtkWidget *
amend_row (MesoSessionPage *self,
           MesoField        field)
{
  g_autofree char *text = meso_session_get_field_text (self->session, field);
  GtkWidget *row;

  if (meso_field_is_flag (field))
    {
      GtkWidget *toggle = gtk_switch_new ();

      row = text_row (meso_field_get_label (field), NULL);
      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (toggle), g_strcmp0 (text, "yes") == 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
      g_object_set_data (G_OBJECT (row), "switch", toggle);
    }
  else
    {
      row = adw_entry_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), meso_field_get_label (field));
      gtk_editable_set_text (GTK_EDITABLE (row), text);
    }
  gtk_widget_set_name (row, meso_field_get_id (field));
  g_object_set_data (G_OBJECT (row), "field", GINT_TO_POINTER (field));
  g_object_set_data_full (G_OBJECT (row), "recorded", g_steal_pointer (&text), g_free);
  return row;
}

static void
amend_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  MesoSessionPage *self = user_data;

  clear_amend_form (self);
  MESO_FIELD_FOREACH (field)
    {
      GtkWidget *row;

      if (!meso_field_is_amendable (field))
        continue;
      row = amend_row (self, field);
      add_row (self, self->amend_group, row);
      g_ptr_array_add (self->amend_rows, row);
    }
  self->reason_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->reason_row),
                                 _("Reason for the amendment"));
  gtk_widget_set_name (GTK_WIDGET (self->reason_row), "reason");
  add_row (self, self->amend_group, GTK_WIDGET (self->reason_row));
  set_amending (self, TRUE);
  adw_leaflet_set_visible_child_name (self->leaflet, "details");
  if (self->amend_rows->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->amend_rows, 0));
}

static void
cancel_amendment_activated (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  set_amending (user_data, FALSE);
}

static char *
row_text (GtkWidget *row)
{
  GtkSwitch *toggle = g_object_get_data (G_OBJECT (row), "switch");

  if (toggle != NULL)
    return g_strdup (gtk_switch_get_active (toggle) ? "yes" : "no");
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
}

/* The session was read again with the form open: the rows not touched here show the
 * stored values now, the rows typed keep what was typed, and each row's recorded value
 * becomes the stored one, so that Save writes what was typed here and only that. */
static void
refresh_amend_form (MesoSessionPage *self)
{
  for (guint i = 0; i < self->amend_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->amend_rows, i);
      MesoField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "field"));
      GtkSwitch *toggle = g_object_get_data (G_OBJECT (row), "switch");
      g_autofree char *text = row_text (row);
      g_autofree char *stored = meso_session_get_field_text (self->session, field);

      if (g_strcmp0 (text, g_object_get_data (G_OBJECT (row), "recorded")) == 0)
        {
          if (toggle != NULL)
            gtk_switch_set_active (toggle, g_strcmp0 (stored, "yes") == 0);
          else
            gtk_editable_set_text (GTK_EDITABLE (row), stored);
        }
      g_object_set_data_full (G_OBJECT (row), "recorded", g_steal_pointer (&stored), g_free);
    }
}

static GtkWidget *
row_of_field (MesoSessionPage *self,
              MesoField        field)
{
  if (field == MESO_FIELD_REASON)
    return GTK_WIDGET (self->reason_row);
  for (guint i = 0; i < self->amend_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->amend_rows, i);

      if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "field")) == (int) field)
        return row;
    }
  return NULL;
}

/* The field the core names is marked, and the focus goes there. */
static void
show_amend_error (MesoSessionPage *self,
                  const GError    *error)
{
  GtkWidget *row = row_of_field (self, meso_error_get_field (error));

  show_toast (self, error->message);
  if (row == NULL)
    return;
  gtk_widget_add_css_class (row, "error");
  gtk_widget_grab_focus (row);
}

static void
on_changed_saved (MesoSessionPage *self,
                  const char      *message)
{
  show_toast (self, message);
  g_signal_emit (self, signals[CHANGED], 0, self->id);
  meso_session_page_load (self, self->id);
}

static void
on_amended_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MesoSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (self->store == NULL)
    return;  /* the page is gone */
  if (!meso_store_amend_session_finish (MESO_STORE (source), result, &error))
    {
      /* The amendment form keeps what was typed: it can be saved again. */
      report_store_result (self, error);
      update_actions (self);
      show_amend_error (self, error);
      /* Amended or voided elsewhere since it was read: read it again, the form kept. */
      if (g_error_matches (error, MESO_ERROR, MESO_ERROR_CONFLICT))
        meso_session_page_load (self, self->id);
      return;
    }
  report_store_result (self, NULL);
  set_amending (self, FALSE);
  on_changed_saved (self, _("Session amended"));
}

/* Reads the form into a copy of the session: the fields changed, and only those. */
static MesoSession *
read_amendment (MesoSessionPage  *self,
                guint            *n_changed,
                GError          **error)
{
  g_autoptr(MesoSession) amended = meso_session_copy (self->session);

  *n_changed = 0;
  for (guint i = 0; i < self->amend_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->amend_rows, i);
      MesoField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "field"));
      g_autofree char *text = row_text (row);

      gtk_widget_remove_css_class (row, "error");
      if (g_strcmp0 (text, g_object_get_data (G_OBJECT (row), "recorded")) == 0)
        continue;
      if (!meso_session_set_field_text (amended, field, text, error))
        return NULL;
      (*n_changed)++;
    }
  return g_steal_pointer (&amended);
}

static void
save_amendment_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  MesoSessionPage *self = user_data;
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed = 0;

  amended = read_amendment (self, &n_changed, &error);
  if (amended == NULL)
    {
      show_amend_error (self, error);
      return;
    }
  if (n_changed == 0)
    {
      show_toast (self, _("Nothing was changed: correct a field first"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->reason_row), "error");
  self->busy = TRUE;
  update_actions (self);
  meso_store_amend_session_async (self->store, amended,
                                  gtk_editable_get_text (GTK_EDITABLE (self->reason_row)), NULL,
                                  on_amended_cb, g_object_ref (self));
}

/* --- Voiding ------------------------------------------------------------------------- */

static void
on_voided_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MesoSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  if (self->store == NULL)
    return;
  if (!meso_store_void_session_finish (MESO_STORE (source), result, &error))
    {
      report_store_result (self, error);
      update_actions (self);
      show_toast (self, error->message);
      return;
    }
  report_store_result (self, NULL);
  set_amending (self, FALSE);
  on_changed_saved (self, _("Session voided"));
}

static void
on_void_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     MesoSessionPage  *self)
{
  GtkEditable *reason = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "void") != 0 || self->session == NULL)
    return;
  self->busy = TRUE;
  update_actions (self);
  meso_store_void_session_async (self->store, self->id, gtk_editable_get_text (reason), NULL,
                                 on_voided_cb, g_object_ref (self));
}

/* Void stays out of reach until a reason is typed; the core checks it again. */
static void
on_void_reason_changed_cb (GtkEditable      *reason,
                           AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "void", *text != '\0');
}

static void
void_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MesoSessionPage *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              _("Void This Session?"),
                                              _("It stays in the records, marked void with "
                                                "the reason. Its sheet can no longer be "
                                                "printed."));
  GtkWidget *reason = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Why it is voided"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (reason), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "void", _("_Void"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "void",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "void", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (reason, "changed", G_CALLBACK (on_void_reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_void_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry session_entries[] = {
  { "reprint", reprint_activated, NULL, NULL, NULL },
  { "save-pdf", save_pdf_activated, NULL, NULL, NULL },
  { "save-pdf-to", save_pdf_to_activated, "s", NULL, NULL },
  { "amend", amend_activated, NULL, NULL, NULL },
  { "cancel-amendment", cancel_amendment_activated, NULL, NULL, NULL },
  { "save-amendment", save_amendment_activated, NULL, NULL, NULL },
  { "void", void_activated, NULL, NULL, NULL },
};

GActionGroup *
meso_session_page_get_actions (MesoSessionPage *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_PAGE (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

/* --- Navigation ---------------------------------------------------------------------- */

static void
on_show_sheet_clicked_cb (MesoSessionPage *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "sheet");
}

/* Narrow, from the sheet back to the record; otherwise back to the page it came from. */
static void
on_back_clicked_cb (MesoSessionPage *self)
{
  if (adw_leaflet_get_folded (self->leaflet)
      && g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "sheet") == 0)
    adw_leaflet_set_visible_child_name (self->leaflet, "details");
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.close-session", NULL);
}

/* --- The object ---------------------------------------------------------------------- */

static void
meso_session_page_dispose (GObject *object)
{
  MesoSessionPage *self = MESO_SESSION_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->printer);
  g_clear_object (&self->session);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->amend_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (meso_session_page_parent_class)->dispose (object);
}

static void
meso_session_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoSessionPage *self = MESO_SESSION_PAGE (object);

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
meso_session_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoSessionPage *self = MESO_SESSION_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PRINTER:
      g_value_set_object (value, self->printer);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_page_class_init (MesoSessionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_session_page_dispose;
  object_class->set_property = meso_session_page_set_property;
  object_class->get_property = meso_session_page_get_property;

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

  /**
   * MesoSessionPage::changed:
   * @id: the session amended or voided
   *
   * The session was amended or voided from this page: the lists follow.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (MESO_TYPE_SHEET_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-session-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, amend_buttons);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, amend_group);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, amendments_group);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, audit_group);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, fields_group);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, patient_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, patient_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, sheet_view);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, show_sheet_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSessionPage, title_widget);
}

static void
meso_session_page_init (MesoSessionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->amend_rows = g_ptr_array_new ();
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), session_entries,
                                   G_N_ELEMENTS (session_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "session", G_ACTION_GROUP (self->actions));
  /* The page has its own buttons: the view's are the Record page's. */
  meso_sheet_view_set_show_actions (self->sheet_view, FALSE);
  g_signal_connect_object (self->sheet_view, "notify::has-document",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  /* Connected here rather than in the template, so that gtk4-builder-tool can validate
   * the .ui file on its own. */
  g_signal_connect_object (self->show_sheet_button, "clicked",
                           G_CALLBACK (on_show_sheet_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->back_button, "clicked", G_CALLBACK (on_back_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  update_actions (self);
}

/**
 * meso_session_page_new:
 * @store: where the session is read and amended
 * @printer: what prints its sheet
 *
 * Returns: (transfer floating): a new session page, showing nothing until
 *   meso_session_page_load().
 */
GtkWidget *
meso_session_page_new (MesoStore        *store,
                       MesoSheetPrinter *printer)
{
  return g_object_new (MESO_TYPE_SESSION_PAGE, "store", store, "printer", printer, NULL);
}
