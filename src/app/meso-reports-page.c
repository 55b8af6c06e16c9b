/* meso-reports-page.c
 *
 * The manager's page: a period's figures, its chart and its breakdowns; every patient
 * who received a lot or a product; the audit log with the state of its chain. The store
 * adds everything up in SQL (meso_store_report() and friends): the page only asks, off
 * the main thread, each new question cancelling the one before, and shows the answer.
 * It asks when it is first shown, when the period changes, and when the store says
 * another connection wrote (a page never shown asks nothing).
 *
 * Every report the store makes is an entry in the audit log, itself a write that other
 * connections see: were each write answered with a new report, two workstations showing
 * Reports would answer each other's reports for ever. So a write seen is first looked
 * up in the log: only entries newer than the figures that change sessions ask for the
 * figures again; the rest (reports, recalls, prints, exports) only for the log shown.
 *
 * What leaves the page goes the way the sheets go: the PDFs (the document layer's, the
 * same as `mesocare-cli report --output`) through MesoSheetPrinter, which prints or
 * saves them and enters each in the audit log; the CSV files, the same as the tool's
 * `--format csv`, are written here off the main thread and entered as exports.
 *
 * Every button is an action of the page (reports.*); each "…" action that asks for a
 * file has a twin "…-to" taking the file's path, which the tests use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-reports-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-report-chart.h"
#include "meso-report-csv.h"
#include "meso-report-pdf.h"
#include "meso-reports-page.h"
#include "meso-settings.h"
#include "meso-validate.h"

/* How long the typing of a day must pause before the report is asked for. */
#define TYPING_PAUSE_MS 500

/* The period drop-down's choices, in the template's order. */
typedef enum
{
  PERIOD_THIS_MONTH,
  PERIOD_LAST_MONTH,
  PERIOD_THIS_YEAR,
  PERIOD_CHOSEN_DAYS,
} Period;

/* The documents the page puts on paper. */
typedef enum
{
  DOCUMENT_REPORT,
  DOCUMENT_RECALL_LIST,
  DOCUMENT_RECALL_LETTERS,
} Document;

/* The audit log's actions, after "any" in the drop-down. */
static const struct { const char *id; const char *label; } audit_actions[] = {
  { "create", N_("Session recorded") }, { "amend", N_("Amended") }, { "void", N_("Voided") },
  { "print", N_("Printed") }, { "export", N_("Exported") }, { "import", N_("Imported") },
  { "report", N_("Report") }, { "recall", N_("Recall") }, { "adjust", N_("Sheet adjusted") },
  { "clinic", N_("Clinic details") }, { "backup", N_("Backup") }, { "restore", N_("Restore") },
};

/* The figures, in the order shown; their ids name their rows (and their CSV lines). */
typedef enum
{
  FIGURE_SESSIONS,
  FIGURE_PATIENTS,
  FIGURE_NEW_PATIENTS,
  FIGURE_RETURNING_PATIENTS,
  FIGURE_INJECTIONS,
  FIGURE_MINUTES,
  FIGURE_AVERAGE_MINUTES,
  FIGURE_WITH_REACTIONS,
  FIGURE_VOIDED,
  FIGURE_SERIES_STARTED,
  FIGURE_SERIES_COMPLETED,
  FIGURE_SERIES_ABANDONED,
  N_FIGURES,
  FIRST_SERIES_FIGURE = FIGURE_SERIES_STARTED,
} Figure;

static const struct { const char *id; const char *title; } figures[N_FIGURES] = {
  { "sessions", N_("Sessions") },
  { "patients", N_("Patients") },
  { "new-patients", N_("New patients") },
  { "returning-patients", N_("Returning patients") },
  { "injections", N_("Injections") },
  { "minutes", N_("Total duration") },
  { "average-minutes", N_("Average duration") },
  { "with-reactions", N_("Sessions with reactions") },
  { "voided", N_("Voided sessions") },
  { "series-started", N_("Started") },
  { "series-completed", N_("Completed") },
  { "series-abandoned", N_("Abandoned") },
};

struct _MesoReportsPage
{
  AdwBin            parent_instance;

  MesoStore        *store;
  MesoSheetPrinter *printer;
  GSettings        *settings;          /* NULL when the schema is not installed */
  GCancellable     *cancellable;       /* the page's life: files, clinic reads */
  GCancellable     *report_cancellable;
  GCancellable     *recall_cancellable;
  GCancellable     *audit_cancellable;

  MesoReport       *report;            /* the figures shown, NULL before the first */
  GPtrArray        *recall;            /* of MesoRecallPatient, NULL before a search */
  char             *recall_lot;        /* what the recall shown was for */
  char             *recall_product;
  GPtrArray        *audit;             /* of MesoAuditEntry */
  GtkWidget        *figure_values[N_FIGURES];
  GtkWidget        *figure_rows[N_FIGURES];

  gboolean          stale;             /* to ask again when next shown */
  GDateTime        *asked_at;          /* when the figures shown were asked for */
  gint64            seen_seq;          /* the newest audit entry the figures know of */
  guint             typing_timeout;    /* the days typed, asked for after a pause */
  gboolean          reading_report;
  gboolean          reading_recall;
  gboolean          reading_audit;
  gboolean          checking_chain;
  guint             writing;           /* files being written */
  gboolean          busy;

  GtkDropDown      *audit_action_dropdown;
  GtkEntry         *audit_session_entry;
  GtkEntry         *audit_user_entry;
  GtkListBox       *audit_list;
  GtkBox           *breakdowns_box;
  GtkLabel         *chain_label;
  MesoReportChart  *chart;
  AdwPreferencesGroup *figures_group;
  GtkEntry         *from_entry;
  GtkDropDown      *period_dropdown;
  GtkLabel         *period_title;
  GtkDropDown      *recall_by_dropdown;
  GtkLabel         *recall_count_label;
  GtkEntry         *recall_entry;
  GtkListBox       *recall_list;
  AdwPreferencesGroup *series_group;
  GtkSpinner       *spinner;
  GtkEntry         *to_entry;
  AdwToastOverlay  *toast_overlay;
};

G_DEFINE_FINAL_TYPE (MesoReportsPage, meso_reports_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_PRINTER,
  PROP_REPORT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh_audit (MesoReportsPage *self);

/* ---- What the page says ---- */

/* The page may have gone while a write it started ran on: it then tells nothing. */
static gboolean
is_disposed (MesoReportsPage *self)
{
  return self->store == NULL;
}

static void
tell (MesoReportsPage *self,
      const char      *message)
{
  if (is_disposed (self))
    return;
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static const char *
language_label (const char *id)
{
  static const struct { const char *id; const char *label; } labels[] = {
    { "en", N_("English") }, { "fr", N_("French") }, { "es", N_("Spanish") },
  };

  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (id, labels[i].id))
      return _(labels[i].label);
  return id != NULL ? id : "";
}

/* Here the reactions' figures are per hundred sessions, which their heading says. */
static const char *
breakdown_title (MesoReportBy by)
{
  if (by == MESO_REPORT_BY_REACTION)
    return _("Reactions per hundred sessions");
  return meso_report_by_get_title (by);
}

static char *
count_text (gint64 count)
{
  return g_strdup_printf ("%'lld", (long long) count);
}

static char *
minutes_text (gint64 minutes)
{
  return g_strdup_printf (ngettext ("%'lld min", "%'lld min", (gulong) minutes),
                          (long long) minutes);
}

static char *
figure_text (MesoReport *report,
             Figure      figure)
{
  const MesoReportSeries *series = meso_report_get_series (report);

  switch (figure)
    {
    case FIGURE_SESSIONS: return count_text (meso_report_get_sessions (report));
    case FIGURE_PATIENTS: return count_text (meso_report_get_patients (report));
    case FIGURE_NEW_PATIENTS: return count_text (meso_report_get_new_patients (report));
    case FIGURE_RETURNING_PATIENTS:
      return count_text (meso_report_get_returning_patients (report));
    case FIGURE_INJECTIONS: return count_text (meso_report_get_injections (report));
    case FIGURE_MINUTES: return minutes_text (meso_report_get_minutes (report));
    case FIGURE_AVERAGE_MINUTES:
      /* Translators: an average duration in minutes, with one decimal */
      return g_strdup_printf (_("%.1f min"), meso_report_get_average_minutes (report));
    case FIGURE_WITH_REACTIONS: return count_text (meso_report_get_with_reactions (report));
    case FIGURE_VOIDED: return count_text (meso_report_get_voided (report));
    case FIGURE_SERIES_STARTED: return count_text (series->started);
    case FIGURE_SERIES_COMPLETED: return count_text (series->completed);
    case FIGURE_SERIES_ABANDONED: return count_text (series->abandoned);
    case N_FIGURES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- Busy ---- */

static void
update_busy (MesoReportsPage *self)
{
  gboolean busy = self->reading_report || self->reading_recall || self->reading_audit
                  || self->checking_chain || self->writing > 0;

  if (is_disposed (self))
    return;
  gtk_spinner_set_spinning (self->spinner, self->reading_report);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->reading_report);
  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Each action's enabled state, recomputed here only. */
static void
update_actions (MesoReportsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean report = self->report != NULL;
  gboolean recall = self->recall != NULL && self->recall->len > 0;
  const char *report_actions[] = {
    "reports.save-pdf", "reports.save-pdf-to", "reports.print", "reports.export-csv",
    "reports.export-csv-to",
  };
  const char *recall_actions[] = {
    "reports.recall-export-csv", "reports.recall-export-csv-to", "reports.recall-print-list",
    "reports.recall-save-list", "reports.recall-save-list-to", "reports.recall-print-letters",
    "reports.recall-save-letters", "reports.recall-save-letters-to",
  };

  for (guint i = 0; i < G_N_ELEMENTS (report_actions); i++)
    gtk_widget_action_set_enabled (widget, report_actions[i], report);
  for (guint i = 0; i < G_N_ELEMENTS (recall_actions); i++)
    gtk_widget_action_set_enabled (widget, recall_actions[i], recall);
  gtk_widget_action_set_enabled (widget, "reports.recall-find",
                                 *gtk_editable_get_text (GTK_EDITABLE (self->recall_entry))
                                 != '\0');
  gtk_widget_action_set_enabled (widget, "reports.audit-export-csv", self->audit != NULL);
  gtk_widget_action_set_enabled (widget, "reports.audit-export-csv-to", self->audit != NULL);
}

/* ---- The period ---- */

static void
mark_error (GtkWidget    *entry,
            const GError *error)
{
  if (error != NULL)
    gtk_widget_add_css_class (entry, "error");
  else
    gtk_widget_remove_css_class (entry, "error");
  gtk_widget_set_tooltip_text (entry, error != NULL ? error->message : NULL);
}

/* The chosen days, checked by the core as History checks them: the message names the
 * field at fault. FALSE, with nothing marked, while either is still empty. */
static gboolean
read_chosen_days (MesoReportsPage *self,
                  GDate           *first,
                  GDate           *last)
{
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GError) error = NULL;

  mark_error (GTK_WIDGET (self->from_entry), NULL);
  mark_error (GTK_WIDGET (self->to_entry), NULL);
  if (*from == '\0' || *to == '\0')
    return FALSE;
  if (!meso_session_query_set_days (query, from, to, &error))
    {
      /* The message starts with the field's name: "From: ..." or "To: ...". */
      mark_error (GTK_WIDGET (g_str_has_prefix (error->message, _("To"))
                              ? self->to_entry : self->from_entry), error);
      return FALSE;
    }
  return meso_validate_date (from, first) && meso_validate_date (to, last);
}

/* The first and last days of the period chosen, both included, in local days. */
static gboolean
read_period (MesoReportsPage *self,
             GDate           *first,
             GDate           *last)
{
  Period period = gtk_drop_down_get_selected (self->period_dropdown);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDateYear year = g_date_time_get_year (now);
  GDateMonth month = g_date_time_get_month (now);

  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), period == PERIOD_CHOSEN_DAYS);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), period == PERIOD_CHOSEN_DAYS);
  switch (period)
    {
    case PERIOD_LAST_MONTH:
      if (month == G_DATE_JANUARY)
        year--;
      month = month == G_DATE_JANUARY ? G_DATE_DECEMBER : month - 1;
      G_GNUC_FALLTHROUGH;
    case PERIOD_THIS_MONTH:
      g_date_set_dmy (first, 1, month, year);
      g_date_set_dmy (last, g_date_get_days_in_month (month, year), month, year);
      return TRUE;
    case PERIOD_THIS_YEAR:
      g_date_set_dmy (first, 1, G_DATE_JANUARY, year);
      g_date_set_dmy (last, 31, G_DATE_DECEMBER, year);
      return TRUE;
    case PERIOD_CHOSEN_DAYS:
    default:
      return read_chosen_days (self, first, last);
    }
}

static char *
period_text (MesoReport *report)
{
  char first[64], last[64];

  /* Translators: a day in a report's title, as strftime() writes it */
  g_date_strftime (first, sizeof first, _("%-d %B %Y"), meso_report_get_first_day (report));
  g_date_strftime (last, sizeof last, _("%-d %B %Y"), meso_report_get_last_day (report));
  /* Translators: a report's period, from its first day to its last */
  return g_strdup_printf (_("%s – %s"), first, last);
}

/* ---- The figures ---- */

static GtkWidget *
new_value_row (const char *name,
               const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (value), FALSE);
  gtk_widget_add_css_class (value, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  g_object_set_data (G_OBJECT (row), "value", value);
  return row;
}

/* The value beside its title, and both in the row's name, as a screen reader reads it:
 * "Sessions 12". */
static void
set_row_value (GtkWidget  *row,
               const char *value)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *name = g_strdup_printf ("%s %s", title, value);

  gtk_label_set_text (g_object_get_data (G_OBJECT (row), "value"), value);
  /* The row is labelled by its title alone, which a name given by the label property
   * would not override. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
add_figure_rows (MesoReportsPage *self)
{
  for (guint i = 0; i < N_FIGURES; i++)
    {
      AdwPreferencesGroup *group = i < FIRST_SERIES_FIGURE ? self->figures_group
                                                           : self->series_group;

      self->figure_rows[i] = new_value_row (figures[i].id, _(figures[i].title));
      adw_preferences_group_add (group, self->figure_rows[i]);
      set_row_value (self->figure_rows[i], "…");
    }
}

static GtkWidget *
new_breakdown_row (MesoReportBy         by,
                   const MesoReportRow *line)
{
  g_autofree char *name = g_strdup_printf ("%s:%s", meso_report_by_get_id (by), line->key);
  GtkWidget *row = new_value_row (name, meso_report_by_get_key_label (by, line->key));
  g_autofree char *value = NULL;

  if (by == MESO_REPORT_BY_REACTION)
    /* Translators: how often a reaction was seen, per hundred sessions */
    value = g_strdup_printf (_("%.1f per hundred"), line->per_hundred);
  else
    {
      g_autofree char *minutes = minutes_text (line->minutes);
      g_autofree char *details = g_strdup_printf (ngettext ("%'lld injection",
                                                            "%'lld injections",
                                                            (gulong) line->injections),
                                                  (long long) line->injections);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", details, minutes);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      value = g_strdup_printf (ngettext ("%'lld session", "%'lld sessions",
                                         (gulong) line->sessions),
                               (long long) line->sessions);
    }
  set_row_value (row, value);
  return row;
}

static void
show_breakdowns (MesoReportsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->breakdowns_box))) != NULL)
    gtk_box_remove (self->breakdowns_box, child);
  for (MesoReportBy by = 0; by < MESO_REPORT_N_BREAKDOWNS; by++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      GPtrArray *rows = meso_report_get_rows (self->report, by);

      gtk_widget_set_name (group, meso_report_by_get_id (by));
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), breakdown_title (by));
      for (guint i = 0; rows != NULL && i < rows->len; i++)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   new_breakdown_row (by, g_ptr_array_index (rows, i)));
      if (rows == NULL || rows->len == 0)
        {
          GtkWidget *none = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("None in this period"));
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), none);
        }
      gtk_box_append (self->breakdowns_box, group);
    }
}

static void
show_report (MesoReportsPage *self)
{
  g_autofree char *title = period_text (self->report);

  gtk_label_set_text (self->period_title, title);
  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_autofree char *value = figure_text (self->report, i);

      set_row_value (self->figure_rows[i], value);
    }
  meso_report_chart_set_report (self->chart, self->report);
  show_breakdowns (self);
}

static void
on_report_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoReport) report = meso_store_report_finish (MESO_STORE (source), result, &error);

  /* Cancelled: a newer question is on its way, or the page has gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading_report = FALSE;
  update_busy (self);
  if (report == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The figures could not be read: %s"),
                                                  error->message);

      tell (self, message);
      return;
    }
  g_set_object (&self->report, report);
  show_report (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

/* The newest entry of the log before a report is asked for: the writes seen after it
 * are those the figures may not hold. */
static void
on_newest_entry_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GPtrArray) entries = meso_store_find_audit_finish (MESO_STORE (source), result,
                                                               NULL);

  if (entries != NULL && entries->len > 0)
    self->seen_seq = MAX (self->seen_seq,
                          ((MesoAuditEntry *) g_ptr_array_index (entries, 0))->seq);
}

static void
refresh_report (MesoReportsPage *self)
{
  MesoAuditFilter newest = { .limit = 1 };
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  if (!read_period (self, &first, &last))
    return;
  g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  self->report_cancellable = g_cancellable_new ();
  self->reading_report = TRUE;
  update_busy (self);
  g_clear_pointer (&self->asked_at, g_date_time_unref);
  self->asked_at = g_date_time_new_now_utc ();
  /* Asked first: the store answers in the order asked. */
  meso_store_find_audit_async (self->store, &newest, self->report_cancellable,
                               on_newest_entry_cb, g_object_ref (self));
  meso_store_report_async (self->store, &first, &last, self->report_cancellable,
                           on_report_cb, g_object_ref (self));
}

/**
 * meso_reports_page_refresh:
 * @self: a #MesoReportsPage
 *
 * Asks the store again for the report and the audit log shown, off the main thread (for
 * the window, after a write of its own); a page not on screen asks when next shown.
 */
void
meso_reports_page_refresh (MesoReportsPage *self)
{
  g_return_if_fail (MESO_IS_REPORTS_PAGE (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  refresh_report (self);
  refresh_audit (self);
}

static void
on_period_changed_cb (MesoReportsPage *self)
{
  g_clear_handle_id (&self->typing_timeout, g_source_remove);
  meso_reports_page_refresh (self);
}

static gboolean
on_typing_paused_cb (gpointer data)
{
  MesoReportsPage *self = data;

  self->typing_timeout = 0;
  meso_reports_page_refresh (self);
  return G_SOURCE_REMOVE;
}

/* A day typed is checked at once, but asked for only after a pause in the typing: each
 * report is an entry in the audit log, and "2025-11-3", on the way to "2025-11-30", is
 * a day too. Enter asks at once. */
static void
on_day_typed_cb (MesoReportsPage *self)
{
  GDate first, last;

  g_clear_handle_id (&self->typing_timeout, g_source_remove);
  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  if (read_period (self, &first, &last))
    self->typing_timeout = g_timeout_add (TYPING_PAUSE_MS, on_typing_paused_cb, self);
}

static void
on_map_cb (MesoReportsPage *self)
{
  if (self->stale)
    meso_reports_page_refresh (self);
}

/* What changes a report's figures, as the audit log names it. */
static gboolean
changes_sessions (const char *action)
{
  static const char * const actions[] = {
    "create", "amend", "void", "import", "restore", NULL,
  };

  return g_strv_contains (actions, action);
}

static void
on_writes_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_find_audit_finish (MESO_STORE (source), result,
                                                               &error);
  gboolean sessions_changed = entries == NULL;  /* not known: asked again, to be sure */
  gint64 seen = self->seen_seq;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      MesoAuditEntry *entry = g_ptr_array_index (entries, i);

      if (entry->seq <= self->seen_seq)
        continue;
      sessions_changed |= changes_sessions (entry->action);
      seen = MAX (seen, entry->seq);
    }
  self->seen_seq = seen;
  if (sessions_changed)
    meso_reports_page_refresh (self);
  else
    refresh_audit (self);
}

/* Another connection wrote: what, the log says (the entries since the figures shown were
 * asked for, with some minutes to spare for two workstations' clocks, newer than the
 * newest then). */
static void
on_store_changed_cb (MesoReportsPage *self)
{
  MesoAuditFilter filter = { 0 };
  g_autoptr(GDateTime) since = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->asked_at == NULL)
    {
      self->stale = TRUE;
      return;
    }
  since = g_date_time_add_minutes (self->asked_at, -5);
  filter.from = since;
  meso_store_find_audit_async (self->store, &filter, self->cancellable, on_writes_read_cb,
                               g_object_ref (self));
}

/* ---- Recall ---- */

static char *
recall_details (MesoRecallPatient *patient)
{
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autoptr(GString) days = g_string_new (NULL);

  if (patient->phone != NULL && *patient->phone != '\0')
    g_strv_builder_add (parts, patient->phone);
  if (patient->email != NULL && *patient->email != '\0')
    g_strv_builder_add (parts, patient->email);
  g_strv_builder_add (parts, language_label (patient->language));
  for (guint i = 0; i < patient->session_days->len; i++)
    g_string_append_printf (days, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (patient->session_days, i));
  g_strv_builder_add (parts, days->str);
  strv = g_strv_builder_end (parts);
  return g_strjoinv (" · ", strv);
}

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static void
show_recall (MesoReportsPage *self)
{
  g_autofree char *count = NULL;

  clear_list (self->recall_list);
  for (guint i = 0; i < self->recall->len; i++)
    {
      MesoRecallPatient *patient = g_ptr_array_index (self->recall, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *details = recall_details (patient);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), patient->patient_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details);
      gtk_list_box_append (self->recall_list, row);
    }
  if (self->recall->len == 0)
    count = g_strdup (_("No patient received it"));
  else
    count = g_strdup_printf (ngettext ("%u patient received it", "%u patients received it",
                                       self->recall->len),
                             self->recall->len);
  gtk_label_set_text (self->recall_count_label, count);
}

static void
on_recall_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) patients = meso_store_recall_finish (MESO_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading_recall = FALSE;
  if (patients == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The patients could not be found: %s"),
                                                  error->message);

      tell (self, message);
    }
  else
    {
      g_clear_pointer (&self->recall, g_ptr_array_unref);
      self->recall = g_steal_pointer (&patients);
      show_recall (self);
    }
  update_actions (self);
  update_busy (self);
}

static void
recall_find_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->recall_entry));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  gboolean by_product = gtk_drop_down_get_selected (self->recall_by_dropdown) == 1;

  if (*text == '\0')
    return;
  g_cancellable_cancel (self->recall_cancellable);
  g_clear_object (&self->recall_cancellable);
  self->recall_cancellable = g_cancellable_new ();
  g_free (self->recall_lot);
  g_free (self->recall_product);
  self->recall_lot = by_product ? NULL : g_strdup (text);
  self->recall_product = by_product ? g_strdup (text) : NULL;
  self->reading_recall = TRUE;
  update_busy (self);
  meso_store_recall_async (self->store, self->recall_lot, self->recall_product,
                           self->recall_cancellable, on_recall_cb, g_object_ref (self));
}

/* ---- The audit log ---- */

static const char *
audit_action_label (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (audit_actions); i++)
    if (g_strcmp0 (id, audit_actions[i].id) == 0)
      return _(audit_actions[i].label);
  return id;
}

static char *
audit_subject (MesoAuditEntry *entry)
{
  if (g_strcmp0 (entry->entity, "session") == 0 && entry->entity_id > 0)
    return g_strdup_printf (_("Session %lld"), (long long) entry->entity_id);
  if (g_strcmp0 (entry->entity, "clinic") == 0)
    return g_strdup (_("The clinic"));
  if (g_strcmp0 (entry->entity, "practitioner") == 0)
    return g_strdup (_("A practitioner"));
  return g_strdup (_("The records"));
}

static char *
audit_time (MesoAuditEntry *entry)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (entry->at, NULL);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (entry->at);
}

static void
show_audit (MesoReportsPage *self)
{
  clear_list (self->audit_list);
  for (guint i = 0; i < self->audit->len; i++)
    {
      MesoAuditEntry *entry = g_ptr_array_index (self->audit, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subject = audit_subject (entry);
      g_autofree char *title = g_strdup_printf ("%s · %s", audit_action_label (entry->action),
                                                subject);
      g_autofree char *at = audit_time (entry);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", at, entry->user);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, entry->payload);
      gtk_list_box_append (self->audit_list, row);
    }
}

static void
on_chain_checked_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 first_broken = 0;

  if (!meso_store_check_chain_finish (MESO_STORE (source), result, &first_broken, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The chain could not be checked: %s"), error->message);
    }
  else if (first_broken > 0)
    text = g_strdup_printf (_("Broken at entry %lld"), (long long) first_broken);
  else
    text = g_strdup (_("Chain checked: intact"));
  self->checking_chain = FALSE;
  gtk_label_set_text (self->chain_label, text);
  if (first_broken > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->chain_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->chain_label), "error");
  update_busy (self);
}

static void
on_audit_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_find_audit_finish (MESO_STORE (source), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reading_audit = FALSE;
  if (entries == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The audit log could not be read: %s"),
                                                  error->message);

      tell (self, message);
    }
  else
    {
      g_clear_pointer (&self->audit, g_ptr_array_unref);
      self->audit = g_steal_pointer (&entries);
      show_audit (self);
    }
  update_actions (self);
  update_busy (self);
}

/* The session filter: digits, or nothing for any session. */
static gboolean
read_audit_session (MesoReportsPage *self,
                    gint64          *out_id)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->audit_session_entry));
  guint64 id = 0;
  g_autoptr(GError) error = NULL;

  *out_id = 0;
  if (*text == '\0')
    {
      mark_error (GTK_WIDGET (self->audit_session_entry), NULL);
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Session: type the number of a session"));
      mark_error (GTK_WIDGET (self->audit_session_entry), error);
      return FALSE;
    }
  mark_error (GTK_WIDGET (self->audit_session_entry), NULL);
  *out_id = (gint64) id;
  return TRUE;
}

static GDateTime *
day_start (const GDate *day)
{
  return g_date_time_new_local (g_date_get_year (day), g_date_get_month (day),
                                g_date_get_day (day), 0, 0, 0);
}

static void
refresh_audit (MesoReportsPage *self)
{
  MesoAuditFilter filter = { 0 };
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  guint action = gtk_drop_down_get_selected (self->audit_action_dropdown);
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->audit_user_entry));
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  if (!read_period (self, &first, &last) || !read_audit_session (self, &filter.session_id))
    return;
  g_date_add_days (&last, 1);
  filter.from = from = day_start (&first);
  filter.to = to = day_start (&last);
  filter.action = action > 0 && action <= G_N_ELEMENTS (audit_actions)
                  ? audit_actions[action - 1].id : NULL;
  filter.user = *user != '\0' ? user : NULL;
  filter.limit = 1000;

  g_cancellable_cancel (self->audit_cancellable);
  g_clear_object (&self->audit_cancellable);
  self->audit_cancellable = g_cancellable_new ();
  self->reading_audit = TRUE;
  self->checking_chain = TRUE;
  gtk_label_set_text (self->chain_label, _("Checking the chain…"));
  update_busy (self);
  meso_store_find_audit_async (self->store, &filter, self->audit_cancellable, on_audit_cb,
                               g_object_ref (self));
  meso_store_check_chain_async (self->store, self->audit_cancellable, on_chain_checked_cb,
                                g_object_ref (self));
}

static void
audit_find_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  refresh_audit (MESO_REPORTS_PAGE (widget));
}

/* ---- CSV files: the tool's `--format csv`, written by the core ---- */

typedef struct
{
  MesoReportsPage *page;
  char            *payload;   /* what the audit log says of the export */
} Write;

static void
write_free (Write *write)
{
  g_clear_object (&write->page);
  g_free (write->payload);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Write, write_free)

static void
on_export_logged_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MesoReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!meso_store_log_event_finish (MESO_STORE (source), result, &error))
    tell (self, error->message);
  self->writing--;
  update_busy (self);
}

static void
on_csv_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Write) write = user_data;
  MesoReportsPage *self = write->page;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      message = g_strdup_printf (_("The file could not be written: %s"), error->message);
      tell (self, message);
      self->writing--;
      update_busy (self);
      return;
    }
  message = g_strdup_printf (_("Saved as “%s”"), name);
  tell (self, message);
  /* Patients' data leaving the records: on the record, as History's export is. */
  meso_store_log_event_async (self->store, "export", 0, write->payload, NULL,
                              on_export_logged_cb, g_object_ref (self));
}

static void
write_csv (MesoReportsPage *self,
           GString         *csv,
           const char      *path,
           const char      *document)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = g_string_free_to_bytes (csv);
  g_autoptr(GString) payload = g_string_new (NULL);
  Write *write = g_new0 (Write, 1);

  meso_payload_append (payload, "document", document);
  meso_payload_append (payload, "file", path);
  write->page = g_object_ref (self);
  write->payload = g_string_free (g_steal_pointer (&payload), FALSE);
  self->writing++;
  update_busy (self);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       self->cancellable, on_csv_written_cb, write);
}

static void
export_csv_to_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  GString *csv = g_string_new (NULL);

  meso_report_write_csv (self->report, csv);
  write_csv (self, csv, g_variant_get_string (parameter, NULL), "report");
}

static void
recall_export_csv_to_activated (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  GString *csv = g_string_new (NULL);

  meso_recall_write_csv (self->recall, csv);
  write_csv (self, csv, g_variant_get_string (parameter, NULL), "recall");
}

static void
audit_export_csv_to_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  GString *csv = g_string_new (NULL);

  meso_audit_write_csv (self->audit, csv);
  write_csv (self, csv, g_variant_get_string (parameter, NULL), "audit");
}

/* ---- Documents: the report and the recall on paper ---- */

/* What a document is made of, copied for the thread that renders it: the report and
 * the patients are not changed once made. */
typedef struct
{
  MesoReportsPage *page;
  Document         document;
  MesoReport      *report;
  GPtrArray       *patients;
  char            *lot;
  char            *product;
  MesoClinic      *clinic;
  MesoPaper        paper;
  char            *path;      /* where to save it, or NULL to print it */
} Render;

static void
render_free (Render *render)
{
  g_clear_object (&render->page);
  g_clear_object (&render->report);
  g_clear_pointer (&render->patients, g_ptr_array_unref);
  g_free (render->lot);
  g_free (render->product);
  g_clear_object (&render->clinic);
  g_free (render->path);
  g_free (render);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Render, render_free)

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Render *render = task_data;
  GError *error = NULL;
  GBytes *pdf = NULL;

  switch (render->document)
    {
    case DOCUMENT_REPORT:
      pdf = meso_report_render_pdf (render->report, render->clinic, render->paper, &error);
      break;
    case DOCUMENT_RECALL_LIST:
      pdf = meso_recall_render_list_pdf (render->patients, render->lot, render->product,
                                         render->clinic, render->paper, &error);
      break;
    case DOCUMENT_RECALL_LETTERS:
    default:
      pdf = meso_recall_render_letters_pdf (render->patients, render->clinic, render->paper,
                                            &error);
      break;
    }
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify) g_bytes_unref);
}

/* What the audit log says of a document handed out: which, and for what. */
static char *
document_payload (Render *render)
{
  static const char * const ids[] = { "report", "recall-list", "recall-letters" };
  g_autoptr(GString) payload = g_string_new (NULL);

  meso_payload_append (payload, "document", ids[render->document]);
  if (render->report != NULL)
    {
      char first[16], last[16];

      g_date_strftime (first, sizeof first, "%Y-%m-%d",
                       meso_report_get_first_day (render->report));
      g_date_strftime (last, sizeof last, "%Y-%m-%d", meso_report_get_last_day (render->report));
      meso_payload_append (payload, "from", first);
      meso_payload_append (payload, "to", last);
    }
  if (render->lot != NULL)
    meso_payload_append (payload, "lot", render->lot);
  if (render->product != NULL)
    meso_payload_append (payload, "product", render->product);
  if (render->patients != NULL)
    {
      g_autofree char *count = g_strdup_printf ("%u", render->patients->len);

      meso_payload_append (payload, "patients", count);
    }
  /* The printer adds where it went: its last line. */
  g_string_truncate (payload, payload->len > 0 && payload->str[payload->len - 1] == '\n'
                              ? payload->len - 1 : payload->len);
  return g_string_free (g_steal_pointer (&payload), FALSE);
}

static const char *
document_job_name (Document document)
{
  switch (document)
    {
    case DOCUMENT_REPORT: return _("Report");
    case DOCUMENT_RECALL_LIST: return _("Recall list");
    case DOCUMENT_RECALL_LETTERS:
    default:
      return _("Recall letters");
    }
}

static void
on_rendered_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Render *render = g_task_get_task_data (G_TASK (result));
  MesoReportsPage *self = render->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *payload = NULL;

  self->writing--;
  update_busy (self);
  if (pdf == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The document could not be made: %s"),
                                                  error->message);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tell (self, message);
      return;
    }
  payload = document_payload (render);
  if (render->path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (render->path);

      meso_sheet_printer_write_document (self->printer, GTK_WIDGET (self), pdf, file, payload);
    }
  else
    meso_sheet_printer_print_document (self->printer, GTK_WIDGET (self), pdf,
                                       document_job_name (render->document), payload);
}

static void
on_clinic_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Render) render = user_data;
  MesoReportsPage *self = render->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  render->clinic = meso_store_get_clinic_finish (MESO_STORE (source), result, &error);
  if (render->clinic == NULL)
    {
      self->writing--;
      update_busy (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tell (self, error->message);
      return;
    }
  task = g_task_new (self, self->cancellable, on_rendered_cb, NULL);
  g_task_set_source_tag (task, on_clinic_cb);
  g_task_set_task_data (task, g_steal_pointer (&render), (GDestroyNotify) render_free);
  g_task_run_in_thread (task, render_thread);
}

/* Renders @document with the clinic's details, off the main thread, then saves it at
 * @path (or prints it, @path NULL) through the printer, which enters it in the audit
 * log. */
static void
hand_out (MesoReportsPage *self,
          Document         document,
          const char      *path)
{
  Render *render = g_new0 (Render, 1);

  render->page = g_object_ref (self);
  render->document = document;
  render->paper = meso_settings_get_paper (self->settings);
  render->path = g_strdup (path);
  if (document == DOCUMENT_REPORT)
    render->report = g_object_ref (self->report);
  else
    {
      render->patients = g_ptr_array_ref (self->recall);
      render->lot = g_strdup (self->recall_lot);
      render->product = g_strdup (self->recall_product);
    }
  self->writing++;
  update_busy (self);
  meso_store_get_clinic_async (self->store, self->cancellable, on_clinic_cb, render);
}

static void
save_pdf_to_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  hand_out (MESO_REPORTS_PAGE (widget), DOCUMENT_REPORT, g_variant_get_string (parameter, NULL));
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  hand_out (MESO_REPORTS_PAGE (widget), DOCUMENT_REPORT, NULL);
}

static void
recall_save_list_to_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  hand_out (MESO_REPORTS_PAGE (widget), DOCUMENT_RECALL_LIST,
            g_variant_get_string (parameter, NULL));
}

static void
recall_print_list_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  hand_out (MESO_REPORTS_PAGE (widget), DOCUMENT_RECALL_LIST, NULL);
}

static void
recall_save_letters_to_activated (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  hand_out (MESO_REPORTS_PAGE (widget), DOCUMENT_RECALL_LETTERS,
            g_variant_get_string (parameter, NULL));
}

static void
recall_print_letters_activated (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  hand_out (MESO_REPORTS_PAGE (widget), DOCUMENT_RECALL_LETTERS, NULL);
}

/* ---- Choosing a file ---- */

static void
on_file_chosen_cb (GtkNativeDialog *dialog,
                   int              response,
                   MesoReportsPage *self)
{
  const char *then = g_object_get_data (G_OBJECT (dialog), "then");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
      if (path == NULL)
        tell (self, _("Choose a file on this computer"));
      else
        gtk_widget_activate_action (GTK_WIDGET (self), then, "s", path);
    }
  g_object_unref (dialog);
}

/* Asks where to save, then activates @then (an action taking the file's path). */
static void
choose_file (MesoReportsPage *self,
             const char      *title,
             const char      *suggested,
             const char      *then)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), suggested);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_object_set_data (G_OBJECT (dialog), "then", (gpointer) then);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static char *
report_file_name (MesoReportsPage *self,
                  const char      *extension)
{
  char first[16], last[16];

  g_date_strftime (first, sizeof first, "%Y-%m-%d", meso_report_get_first_day (self->report));
  g_date_strftime (last, sizeof last, "%Y-%m-%d", meso_report_get_last_day (self->report));
  /* Translators: the file name of a saved report: its first and last days, the extension */
  return g_strdup_printf (_("Report %s to %s.%s"), first, last, extension);
}

static char *
recall_file_name (MesoReportsPage *self,
                  const char      *what,
                  const char      *extension)
{
  g_autofree char *subject = g_strdup (self->recall_lot != NULL ? self->recall_lot
                                                                : self->recall_product);

  g_strdelimit (subject, "/\\:", '-');
  return g_strdup_printf ("%s %s.%s", what, subject, extension);
}

static void
save_pdf_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  g_autofree char *name = report_file_name (self, "pdf");

  choose_file (self, _("Save Report"), name, "reports.save-pdf-to");
}

static void
export_csv_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  g_autofree char *name = report_file_name (self, "csv");

  choose_file (self, _("Export Report"), name, "reports.export-csv-to");
}

static void
recall_export_csv_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  /* Translators: the start of a recall's file names, before the lot or product */
  g_autofree char *name = recall_file_name (self, _("Recall"), "csv");

  choose_file (self, _("Export Recall"), name, "reports.recall-export-csv-to");
}

static void
recall_save_list_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  g_autofree char *name = recall_file_name (self, _("Recall"), "pdf");

  choose_file (self, _("Save Recall List"), name, "reports.recall-save-list-to");
}

static void
recall_save_letters_activated (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (widget);
  /* Translators: the start of the file name of a recall's letters */
  g_autofree char *name = recall_file_name (self, _("Recall letters"), "pdf");

  choose_file (self, _("Save Recall Letters"), name, "reports.recall-save-letters-to");
}

static void
audit_export_csv_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  /* Translators: the file name suggested for an export of the audit log */
  choose_file (MESO_REPORTS_PAGE (widget), _("Export Audit Log"), _("audit-log.csv"),
               "reports.audit-export-csv-to");
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  meso_reports_page_refresh (MESO_REPORTS_PAGE (widget));
}

/* ---- GObject ---- */

static void
fill_audit_actions (MesoReportsPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  gtk_string_list_append (names, _("Any action"));
  for (guint i = 0; i < G_N_ELEMENTS (audit_actions); i++)
    gtk_string_list_append (names, _(audit_actions[i].label));
  gtk_drop_down_set_model (self->audit_action_dropdown, G_LIST_MODEL (names));
}

static void
on_recall_text_cb (MesoReportsPage *self)
{
  update_actions (self);
}

static void
on_recall_activate_cb (MesoReportsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "reports.recall-find", NULL);
}

static void
on_audit_activate_cb (MesoReportsPage *self)
{
  refresh_audit (self);
}

static void
meso_reports_page_constructed (GObject *object)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (object);

  G_OBJECT_CLASS (meso_reports_page_parent_class)->constructed (object);
  g_return_if_fail (MESO_IS_STORE (self->store));
  g_return_if_fail (MESO_IS_SHEET_PRINTER (self->printer));

  /* Written by another process or workstation. */
  meso_store_watch_changes (self->store, TRUE);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* A print entered in the audit log: the log shown says so. */
  g_signal_connect_object (self->printer, "printed", G_CALLBACK (refresh_audit), self,
                           G_CONNECT_SWAPPED);
}

static void
meso_reports_page_dispose (GObject *object)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (object);

  g_clear_handle_id (&self->typing_timeout, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->report_cancellable);
  g_cancellable_cancel (self->recall_cancellable);
  g_cancellable_cancel (self->audit_cancellable);
  if (self->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->store, self);
      meso_store_watch_changes (self->store, FALSE);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->printer);
  g_clear_object (&self->settings);
  g_clear_object (&self->report);
  g_clear_pointer (&self->recall, g_ptr_array_unref);
  g_clear_pointer (&self->audit, g_ptr_array_unref);
  G_OBJECT_CLASS (meso_reports_page_parent_class)->dispose (object);
}

static void
meso_reports_page_finalize (GObject *object)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->report_cancellable);
  g_clear_object (&self->recall_cancellable);
  g_clear_object (&self->audit_cancellable);
  g_free (self->recall_lot);
  g_free (self->recall_product);
  g_clear_pointer (&self->asked_at, g_date_time_unref);
  G_OBJECT_CLASS (meso_reports_page_parent_class)->finalize (object);
}

static void
meso_reports_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PRINTER:
      g_value_set_object (value, self->printer);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_reports_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoReportsPage *self = MESO_REPORTS_PAGE (object);

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
install_actions (GtkWidgetClass *widget_class)
{
  static const struct {
    const char *name;
    const char *parameter;
    GtkWidgetActionActivateFunc activate;
  } actions[] = {
    { "reports.refresh", NULL, refresh_activated },
    { "reports.save-pdf", NULL, save_pdf_activated },
    { "reports.save-pdf-to", "s", save_pdf_to_activated },
    { "reports.print", NULL, print_activated },
    { "reports.export-csv", NULL, export_csv_activated },
    { "reports.export-csv-to", "s", export_csv_to_activated },
    { "reports.recall-find", NULL, recall_find_activated },
    { "reports.recall-export-csv", NULL, recall_export_csv_activated },
    { "reports.recall-export-csv-to", "s", recall_export_csv_to_activated },
    { "reports.recall-print-list", NULL, recall_print_list_activated },
    { "reports.recall-save-list", NULL, recall_save_list_activated },
    { "reports.recall-save-list-to", "s", recall_save_list_to_activated },
    { "reports.recall-print-letters", NULL, recall_print_letters_activated },
    { "reports.recall-save-letters", NULL, recall_save_letters_activated },
    { "reports.recall-save-letters-to", "s", recall_save_letters_to_activated },
    { "reports.audit-find", NULL, audit_find_activated },
    { "reports.audit-export-csv", NULL, audit_export_csv_activated },
    { "reports.audit-export-csv-to", "s", audit_export_csv_to_activated },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i].name, actions[i].parameter,
                                     actions[i].activate);
}

static void
meso_reports_page_class_init (MesoReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_reports_page_constructed;
  object_class->dispose = meso_reports_page_dispose;
  object_class->finalize = meso_reports_page_finalize;
  object_class->get_property = meso_reports_page_get_property;
  object_class->set_property = meso_reports_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRINTER] =
    g_param_spec_object ("printer", NULL, NULL, MESO_TYPE_SHEET_PRINTER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, MESO_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MESO_TYPE_REPORT_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, audit_action_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, audit_list);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, audit_session_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, audit_user_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, breakdowns_box);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, chain_label);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, figures_group);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, period_title);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, recall_by_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, recall_count_label);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, recall_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, recall_list);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, series_group);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoReportsPage, toast_overlay);

  install_actions (widget_class);
}

static void
meso_reports_page_init (MesoReportsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->settings = meso_settings_new_if_installed ();
  self->stale = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_audit_actions (self);
  add_figure_rows (self);

  g_signal_connect_swapped (self->period_dropdown, "notify::selected",
                            G_CALLBACK (on_period_changed_cb), self);
  g_signal_connect_swapped (self->from_entry, "changed", G_CALLBACK (on_day_typed_cb), self);
  g_signal_connect_swapped (self->to_entry, "changed", G_CALLBACK (on_day_typed_cb), self);
  g_signal_connect_swapped (self->from_entry, "activate", G_CALLBACK (on_period_changed_cb),
                            self);
  g_signal_connect_swapped (self->to_entry, "activate", G_CALLBACK (on_period_changed_cb), self);
  g_signal_connect_swapped (self->recall_entry, "changed", G_CALLBACK (on_recall_text_cb), self);
  g_signal_connect_swapped (self->recall_entry, "activate", G_CALLBACK (on_recall_activate_cb),
                            self);
  g_signal_connect_swapped (self->audit_user_entry, "activate",
                            G_CALLBACK (on_audit_activate_cb), self);
  g_signal_connect_swapped (self->audit_session_entry, "activate",
                            G_CALLBACK (on_audit_activate_cb), self);
  g_signal_connect_swapped (self->audit_action_dropdown, "notify::selected",
                            G_CALLBACK (on_audit_activate_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), FALSE);
  update_actions (self);
  update_busy (self);
}

/**
 * meso_reports_page_new:
 * @store: where the figures come from
 * @printer: what prints and saves the documents, and enters them in the audit log
 *
 * Returns: (transfer full): a new Reports page.
 */
GtkWidget *
meso_reports_page_new (MesoStore        *store,
                       MesoSheetPrinter *printer)
{
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (MESO_IS_SHEET_PRINTER (printer), NULL);
  return g_object_new (MESO_TYPE_REPORTS_PAGE, "store", store, "printer", printer, NULL);
}

/**
 * meso_reports_page_get_report:
 * @self: a #MesoReportsPage
 *
 * Returns: (transfer none) (nullable): the report shown, %NULL before the first.
 */
MesoReport *
meso_reports_page_get_report (MesoReportsPage *self)
{
  g_return_val_if_fail (MESO_IS_REPORTS_PAGE (self), NULL);
  return self->report;
}

/**
 * meso_reports_page_get_recall:
 * @self: a #MesoReportsPage
 *
 * Returns: (transfer none) (nullable) (element-type MesoRecallPatient): the patients
 *   the last recall found, %NULL before the first.
 */
GPtrArray *
meso_reports_page_get_recall (MesoReportsPage *self)
{
  g_return_val_if_fail (MESO_IS_REPORTS_PAGE (self), NULL);
  return self->recall;
}

/**
 * meso_reports_page_get_audit:
 * @self: a #MesoReportsPage
 *
 * Returns: (transfer none) (nullable) (element-type MesoAuditEntry): the entries shown.
 */
GPtrArray *
meso_reports_page_get_audit (MesoReportsPage *self)
{
  g_return_val_if_fail (MESO_IS_REPORTS_PAGE (self), NULL);
  return self->audit;
}

/* Whether a question is on its way to the store, or a file being written. */
gboolean
meso_reports_page_get_busy (MesoReportsPage *self)
{
  g_return_val_if_fail (MESO_IS_REPORTS_PAGE (self), FALSE);
  return self->busy;
}
