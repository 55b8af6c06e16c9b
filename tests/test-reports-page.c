/* test-reports-page.c: the Reports page over a database whose answer is known, under
 * Xvfb: a period chosen and its figures read from the page, the page following another
 * connection's write, a recall, the audit log and its chain, every export written and
 * read back, and the page as the window's fourth, on Alt+4
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <poppler.h>
#include <string.h>

#include "meso-application.h"
#include "meso-report-chart.h"
#include "meso-reports-page.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"
#include "meso-window.h"

/* Six sessions, the answer for November 2025 countable by hand:
 *   Anne Dupont  2025-10-20  scalp   50 injections, 15 min, lot L1  (before the period)
 *   Anne Dupont  2025-11-03  scalp  100 injections, 30 min, lot L1
 *   Bo Li        2025-11-05  face    80 injections, 20 min, lot L2, redness
 *   Chloé Petit  2025-11-10  thighs 200 injections, 40 min, lot L2  (voided)
 *   Anne Dupont  2025-11-17  scalp  120 injections, 30 min, lot L1
 *   Bo Li        2025-11-20  face    90 injections, 28 min, lot L1
 * November: 4 sessions, 2 patients (Bo new, Anne returning), 390 injections, 108 min,
 * 27.0 min on average, 1 voided; scalp 2, face 2; redness in 1 of 4 (25 per hundred).
 * Lot L1: Anne (three sessions) and Bo; lot L2: Bo only, Chloé's session being voided. */
typedef struct
{
  const char *patient;
  const char *phone;
  const char *language;
  int         month;
  int         day;
  MesoArea    areas;
  guint       injections;
  guint       duration;
  const char *indication;
  const char *product;
  const char *lot;
  const char *reactions;
} Seed;

static const Seed seeds[] = {
  { "Anne Dupont", "+33 1 23 45 67 89", "fr", 10, 20, MESO_AREA_SCALP, 50, 15, "hair-loss",
    "Biotin", "L1", "none" },
  { "Anne Dupont", "+33 1 23 45 67 89", "fr", 11, 3, MESO_AREA_SCALP, 100, 30, "hair-loss",
    "Biotin", "L1", "none" },
  { "Bo Li", "+1 555 0100", "en", 11, 5, MESO_AREA_FACE, 80, 20, "skin-rejuvenation",
    "Vitamin C", "L2", "redness" },
  { "Chloé Petit", "+34 600 000 000", "es", 11, 10, MESO_AREA_THIGHS, 200, 40, "cellulite",
    "Vitamin C", "L2", "none" },
  { "Anne Dupont", "+33 1 23 45 67 89", "fr", 11, 17, MESO_AREA_SCALP, 120, 30, "hair-loss",
    "Biotin", "L1", "none" },
  { "Bo Li", "+1 555 0100", "en", 11, 20, MESO_AREA_FACE, 90, 28, "skin-rejuvenation",
    "Biotin", "L1", "none" },
};

#define VOIDED_SESSION 4  /* Chloé's, the fourth saved */

typedef struct
{
  MesoTestDir      *dir;
  MesoStore        *store;
  MesoSheetPrinter *printer;
  GtkWindow        *window;
  MesoReportsPage  *page;
  guint             printed;
} Fixture;

static MesoSession *
seed_session (const Seed *seed)
{
  MesoSession *session = meso_test_session_new (seed->patient, seed->areas, seed->injections,
                                                seed->duration);
  g_autoptr(GDateTime) at = g_date_time_new_local (2025, seed->month, seed->day, 10, 0, 0);
  g_autoptr(GError) error = NULL;

  meso_session_set_performed_at (session, at);
  meso_session_set_field_text (session, MESO_FIELD_PHONE, seed->phone, &error);
  meso_session_set_field_text (session, MESO_FIELD_LANGUAGE, seed->language, &error);
  meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER, "Dr Léa Martin", &error);
  meso_session_set_field_text (session, MESO_FIELD_INDICATION, seed->indication, &error);
  meso_session_set_field_text (session, MESO_FIELD_PRODUCT, seed->product, &error);
  meso_session_set_field_text (session, MESO_FIELD_LOT, seed->lot, &error);
  meso_session_set_field_text (session, MESO_FIELD_REACTIONS, seed->reactions, &error);
  g_assert_no_error (error);
  return session;
}

static void
fill_store (MesoStore *store)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (seeds); i++)
    {
      g_autoptr(MesoSession) session = seed_session (&seeds[i]);

      meso_test_save_session (store, session);
    }
  meso_store_void_session (store, VOIDED_SESSION, "entered twice", &error);
  g_assert_no_error (error);
}

/* ---- Finding and waiting ---- */

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return meso_test_child (GTK_WIDGET (fixture->page), MESO_TYPE_REPORTS_PAGE, name);
}

/* The widget named @name (gtk_widget_set_name()) under @root, or NULL. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the page shows beside a figure's or a breakdown line's title. */
static const char *
value_of (Fixture    *fixture,
          const char *name)
{
  GtkWidget *row = find_named (GTK_WIDGET (fixture->page), name);

  if (row == NULL)
    return NULL;
  return gtk_label_get_text (g_object_get_data (G_OBJECT (row), "value"));
}

static gboolean
is_idle (gpointer data)
{
  return !meso_reports_page_get_busy (data);
}

static void
wait_idle (Fixture *fixture)
{
  meso_test_wait_for (is_idle, fixture->page, "the page's questions and files to be done");
}

typedef struct
{
  Fixture    *fixture;
  const char *first;
  const char *last;
} PeriodWait;

static gboolean
shows_period (gpointer data)
{
  PeriodWait *wait = data;
  MesoReport *report = meso_reports_page_get_report (wait->fixture->page);
  char first[16], last[16];

  if (report == NULL || meso_reports_page_get_busy (wait->fixture->page))
    return FALSE;
  g_date_strftime (first, sizeof first, "%Y-%m-%d", meso_report_get_first_day (report));
  g_date_strftime (last, sizeof last, "%Y-%m-%d", meso_report_get_last_day (report));
  return g_str_equal (first, wait->first) && g_str_equal (last, wait->last);
}

/* Chosen days, typed as a user types them. */
static void
choose_days (Fixture    *fixture,
             const char *first,
             const char *last)
{
  PeriodWait wait = { fixture, first, last };

  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (fixture, "period_dropdown")), 3);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "from_entry")), first);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "to_entry")), last);
  meso_test_wait_for (shows_period, &wait, "the report of the days chosen");
}

typedef struct
{
  Fixture    *fixture;
  const char *name;
  const char *value;
} ValueWait;

static gboolean
shows_value (gpointer data)
{
  ValueWait *wait = data;

  return g_strcmp0 (value_of (wait->fixture, wait->name), wait->value) == 0;
}

static void
on_printed_cb (MesoSheetPrinter *printer,
               gint64            session_id,
               Fixture          *fixture)
{
  fixture->printed++;
}

/* ---- Set-up ---- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = meso_test_dir_new ();
  fixture->store = meso_test_open_store (fixture->dir->db);
  fill_store (fixture->store);
  fixture->printer = meso_sheet_printer_new (fixture->store);
  g_signal_connect (fixture->printer, "printed", G_CALLBACK (on_printed_cb), fixture);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (fixture->window, 1000, 900);
  fixture->page = MESO_REPORTS_PAGE (meso_reports_page_new (fixture->store, fixture->printer));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  meso_test_wait_for_frame (GTK_WIDGET (fixture->window));
  choose_days (fixture, "2025-11-01", "2025-11-30");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->window);
  g_signal_handlers_disconnect_by_data (fixture->printer, fixture);
  g_clear_object (&fixture->printer);
  meso_test_drop_store (&fixture->store);
  meso_test_dir_free (fixture->dir);
}

static MesoAuditEntry *
last_audit_entry (Fixture    *fixture,
                  const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_list_audit (fixture->store, 0, &error);

  g_assert_no_error (error);
  for (guint i = entries->len; i > 0; i--)
    {
      MesoAuditEntry *entry = g_ptr_array_index (entries, i - 1);

      if (g_str_equal (entry->action, action))
        return g_ptr_array_steal_index (entries, i - 1);
    }
  return NULL;
}

static guint
count_entries (MesoStore  *store,
               const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = meso_store_list_audit (store, 0, &error);
  guint count = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    count += g_str_equal (((MesoAuditEntry *) g_ptr_array_index (entries, i))->action, action);
  return count;
}

/* ---- The figures ---- */

/* Every figure read from the page is the hand-counted answer, voided session apart; the
 * ones whose definition is the store's (series) are what the store says. */
static void
test_figures (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MesoReport) expected = NULL;
  g_autoptr(GError) error = NULL;
  GDate first, last;
  g_autofree char *series = NULL;

  g_assert_cmpstr (value_of (fixture, "sessions"), ==, "4");
  g_assert_cmpstr (value_of (fixture, "patients"), ==, "2");
  g_assert_cmpstr (value_of (fixture, "new-patients"), ==, "1");
  g_assert_cmpstr (value_of (fixture, "returning-patients"), ==, "1");
  g_assert_cmpstr (value_of (fixture, "injections"), ==, "390");
  g_assert_cmpstr (value_of (fixture, "minutes"), ==, "108 min");
  g_assert_cmpstr (value_of (fixture, "average-minutes"), ==, "27.0 min");
  g_assert_cmpstr (value_of (fixture, "with-reactions"), ==, "1");
  g_assert_cmpstr (value_of (fixture, "voided"), ==, "1");

  g_assert_cmpstr (value_of (fixture, "area:scalp"), ==, "2 sessions");
  g_assert_cmpstr (value_of (fixture, "area:face"), ==, "2 sessions");
  g_assert_null (find_named (GTK_WIDGET (fixture->page), "area:thighs"));  /* voided only */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     find_named (GTK_WIDGET (fixture->page), "indication:hair-loss"))), ==,
                   "Hair loss");
  g_assert_cmpstr (value_of (fixture, "product:Biotin"), ==, "3 sessions");
  g_assert_cmpstr (value_of (fixture, "practitioner:Dr Léa Martin"), ==, "4 sessions");
  g_assert_cmpstr (value_of (fixture, "reaction:redness"), ==, "25.0 per hundred");

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 1, 11, 2025);
  g_date_set_dmy (&last, 30, 11, 2025);
  expected = meso_store_report (fixture->store, &first, &last, &error);
  g_assert_no_error (error);
  series = g_strdup_printf ("%lld", (long long) meso_report_get_series (expected)->started);
  g_assert_cmpstr (value_of (fixture, "series-started"), ==, series);

  /* The chart draws the report shown. */
  g_assert_true (meso_report_chart_get_report (MESO_REPORT_CHART (child (fixture, "chart")))
                 == meso_reports_page_get_report (fixture->page));
}

static gboolean
chart_is_dark (gpointer data)
{
  return meso_report_chart_get_dark (data);
}

static gboolean
chart_is_light (gpointer data)
{
  return !meso_report_chart_get_dark (data);
}

/* The chart is drawn again, in the dark style's colours, when the style turns dark, and
 * back when it turns light. */
static void
test_chart_style (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *chart = child (fixture, "chart");

  meso_test_wait_for (chart_is_light, chart, "the chart drawn in the light style");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  meso_test_wait_for (chart_is_dark, chart, "the chart drawn again in the dark style");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  meso_test_wait_for (chart_is_light, chart, "the chart drawn again in the light style");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* A period whose days are wrong is marked on the field at fault, and the figures shown
 * stay those of the last good period. */
static void
test_bad_days (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *to = child (fixture, "to_entry");
  MesoReport *shown = meso_reports_page_get_report (fixture->page);

  gtk_editable_set_text (GTK_EDITABLE (to), "2025-13-45");
  g_assert_true (gtk_widget_has_css_class (to, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (to));
  g_assert_false (gtk_widget_has_css_class (child (fixture, "from_entry"), "error"));
  wait_idle (fixture);
  g_assert_true (meso_reports_page_get_report (fixture->page) == shown);
  g_assert_cmpstr (value_of (fixture, "sessions"), ==, "4");
}

/* Days typed one after the other, as a user's typing goes through them, make one report
 * (one audit entry), of the days left once the typing pauses. */
static void
test_typing_pause (Fixture       *fixture,
                   gconstpointer  data)
{
  PeriodWait wait = { fixture, "2025-11-01", "2025-11-25" };
  guint reports = count_entries (fixture->store, "report");
  g_autoptr(MesoAuditEntry) last = NULL;

  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "to_entry")), "2025-11-02");
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "to_entry")), "2025-11-25");
  meso_test_wait_for (shows_period, &wait, "the report of the days typed last");
  g_assert_cmpuint (count_entries (fixture->store, "report"), ==, reports + 1);
  last = last_audit_entry (fixture, "report");
  g_assert_nonnull (strstr (last->payload, "to=2025-11-25"));
}

/* Another connection's session in the period: the page reads the figures again. */
static void
test_follows_changes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MesoStore) other = meso_test_open_store (fixture->dir->db);
  Seed seed = seeds[2];
  g_autoptr(MesoSession) session = NULL;
  ValueWait wait = { fixture, "sessions", "5" };

  seed.day = 25;
  session = seed_session (&seed);
  meso_test_save_session (other, session);
  meso_test_wait_for (shows_value, &wait, "the sessions to read 5 after another's write");
  g_assert_cmpstr (value_of (fixture, "injections"), ==, "470");
  meso_test_drop_store (&other);
}

typedef struct
{
  Fixture   *fixture;
  GPtrArray *before;
} AuditWait;

static gboolean
has_read_audit_again (gpointer data)
{
  AuditWait *wait = data;

  return meso_reports_page_get_audit (wait->fixture->page) != wait->before
         && !meso_reports_page_get_busy (wait->fixture->page);
}

/* Another connection's report (an entry in the audit log, as every report is) changes no
 * figure: the page reads the log again, but asks for no report, which would write an
 * entry of its own for the other connection to answer, and so on for ever. */
static void
test_ignores_reports (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MesoStore) other = meso_test_open_store (fixture->dir->db);
  g_autoptr(MesoReport) report = NULL;
  g_autoptr(GError) error = NULL;
  /* Held, so that nothing new is ever at the same address. */
  g_autoptr(MesoReport) shown = g_object_ref (meso_reports_page_get_report (fixture->page));
  g_autoptr(GPtrArray) before = g_ptr_array_ref (meso_reports_page_get_audit (fixture->page));
  guint reports = count_entries (fixture->store, "report");
  AuditWait wait = { fixture, before };
  GDate first, last;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 1, 1, 2025);
  g_date_set_dmy (&last, 31, 12, 2025);
  report = meso_store_report (other, &first, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_entries (fixture->store, "report"), ==, reports + 1);

  meso_test_wait_for (has_read_audit_again, &wait, "the log read again after another's write");
  g_assert_true (meso_reports_page_get_report (fixture->page) == shown);
  g_assert_cmpuint (count_entries (fixture->store, "report"), ==, reports + 1);
  meso_test_drop_store (&other);
}

/* ---- Recall ---- */

static GtkWidget *
list_row (Fixture    *fixture,
          const char *list,
          int         index)
{
  return GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (fixture, list)),
                                                    index));
}

static void
recall (Fixture    *fixture,
        guint       by,
        const char *text)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (fixture, "recall_by_dropdown")), by);
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, "recall_entry")), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "reports.recall-find",
                                             NULL));
  wait_idle (fixture);
  g_assert_nonnull (meso_reports_page_get_recall (fixture->page));
}

static gboolean
has_patient (Fixture    *fixture,
             const char *name)
{
  for (int i = 0; list_row (fixture, "recall_list", i) != NULL; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     list_row (fixture, "recall_list", i))), name) == 0)
      return TRUE;
  return FALSE;
}

/* Every patient who received a lot, with their contact and the sessions' days; a voided
 * session's patient left out. */
static void
test_recall (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = meso_test_dir_file (fixture->dir, "nothing.csv");
  GtkWidget *row;

  recall (fixture, 0, "L2");
  g_assert_cmpuint (meso_reports_page_get_recall (fixture->page)->len, ==, 1);
  row = list_row (fixture, "recall_list", 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Bo Li");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "+1 555 0100"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "2025-11-05"));
  g_assert_null (list_row (fixture, "recall_list", 1));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (fixture, "recall_count_label"))), ==,
                   "1 patient received it");

  recall (fixture, 0, "L1");
  g_assert_cmpuint (meso_reports_page_get_recall (fixture->page)->len, ==, 2);
  g_assert_true (has_patient (fixture, "Anne Dupont"));
  g_assert_true (has_patient (fixture, "Bo Li"));

  recall (fixture, 1, "Vitamin C");
  g_assert_cmpuint (meso_reports_page_get_recall (fixture->page)->len, ==, 1);
  g_assert_true (has_patient (fixture, "Bo Li"));
  g_assert_false (has_patient (fixture, "Chloé Petit"));

  /* Nothing found: the export actions are off, and write nothing. */
  recall (fixture, 0, "NO-SUCH-LOT");
  g_assert_null (list_row (fixture, "recall_list", 0));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "reports.recall-export-csv-to", "s",
                              path);
  g_assert_false (meso_reports_page_get_busy (fixture->page));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ---- Files ---- */

static char *
read_text (const char *path)
{
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return g_steal_pointer (&contents);
}

/* What mesocare-cli writes on the fixture's database. */
static char *
run_cli (Fixture            *fixture,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = meso_test_spawn_cli (launcher, fixture->dir->db, args);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("mesocare-cli %s failed: %s", args[0], err);
  return g_steal_pointer (&out);
}

static int
pdf_pages (const char *path)
{
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);
  int pages;

  g_assert_no_error (error);
  pages = poppler_document_get_n_pages (document);
  g_object_unref (document);
  return pages;
}

static gboolean
is_printed (gpointer data)
{
  Fixture *fixture = data;

  return fixture->printed > 0 && !meso_reports_page_get_busy (fixture->page);
}

/* Saves through the page's action with a file, as the file chooser's answer does, then
 * waits for the printer to have entered it in the audit log. */
static void
save_document (Fixture    *fixture,
               const char *action,
               const char *path)
{
  fixture->printed = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), action, "s", path));
  meso_test_wait_for (is_printed, fixture, "the document saved and entered in the audit log");
}

static void
assert_logged (Fixture    *fixture,
               const char *action,
               const char *document,
               const char *path)
{
  g_autoptr(MesoAuditEntry) entry = last_audit_entry (fixture, action);
  g_autofree char *line = g_strdup_printf ("document=%s\n", document);

  g_assert_nonnull (entry);
  g_assert_nonnull (strstr (entry->payload, line));
  g_assert_nonnull (strstr (entry->payload, path));
}

/* The report as CSV and PDF, the recall as CSV, list and letters: each file written
 * whole, and each on the record as an export or a print; the CSV files the very bytes
 * mesocare-cli writes. */
static void
test_exports (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *report_csv = meso_test_dir_file (fixture->dir, "report.csv");
  g_autofree char *report_pdf = meso_test_dir_file (fixture->dir, "report.pdf");
  g_autofree char *recall_csv = meso_test_dir_file (fixture->dir, "recall.csv");
  g_autofree char *list_pdf = meso_test_dir_file (fixture->dir, "list.pdf");
  g_autofree char *letters_pdf = meso_test_dir_file (fixture->dir, "letters.pdf");
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "reports.export-csv-to",
                                             "s", report_csv));
  wait_idle (fixture);
  text = read_text (report_csv);
  /* As `mesocare-cli report --format csv` writes it. */
  g_assert_true (g_str_has_prefix (text, "section,key,sessions,injections,minutes,per_hundred"));
  g_assert_nonnull (strstr (text, "totals,,4,390,108,100.00"));
  g_assert_nonnull (strstr (text, "patients,new,1,,,"));
  g_assert_nonnull (strstr (text, "voided,,1,,,"));
  g_assert_nonnull (strstr (text, "area,scalp,2,220,60,"));
  g_assert_nonnull (strstr (text, "reaction,redness,1,"));
  {
    const char *args[] = { "report", "--from", "2025-11-01", "--to", "2025-11-30", "--format",
                           "csv", NULL };
    g_autofree char *tool = run_cli (fixture, args);

    g_assert_cmpstr (text, ==, tool);
  }
  assert_logged (fixture, "export", "report", report_csv);
  g_clear_pointer (&text, g_free);

  save_document (fixture, "reports.save-pdf-to", report_pdf);
  g_assert_cmpint (pdf_pages (report_pdf), >=, 1);
  assert_logged (fixture, "print", "report", report_pdf);

  recall (fixture, 0, "L1");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "reports.recall-export-csv-to", "s", recall_csv));
  wait_idle (fixture);
  text = read_text (recall_csv);
  /* As `mesocare-cli recall --format csv`: a line a session. */
  g_assert_true (g_str_has_prefix (text, "patient,phone,email,language,product,lot,session,date"));
  g_assert_nonnull (strstr (text, "Anne Dupont,+33 1 23 45 67 89,,fr,Biotin,L1,1,2025-10-20"));
  g_assert_nonnull (strstr (text, "Anne Dupont,+33 1 23 45 67 89,,fr,Biotin,L1,5,2025-11-17"));
  g_assert_nonnull (strstr (text, "Bo Li,+1 555 0100,,en,Biotin,L1,6,2025-11-20"));
  g_assert_null (strstr (text, "Chloé"));
  {
    const char *args[] = { "recall", "--lot", "L1", "--format", "csv", NULL };
    g_autofree char *tool = run_cli (fixture, args);

    g_assert_cmpstr (text, ==, tool);
  }
  assert_logged (fixture, "export", "recall", recall_csv);

  save_document (fixture, "reports.recall-save-list-to", list_pdf);
  g_assert_cmpint (pdf_pages (list_pdf), >=, 1);
  assert_logged (fixture, "print", "recall-list", list_pdf);

  save_document (fixture, "reports.recall-save-letters-to", letters_pdf);
  /* One letter a patient, each starting a page. */
  g_assert_cmpint (pdf_pages (letters_pdf), >=, 2);
  assert_logged (fixture, "print", "recall-letters", letters_pdf);
}

/* ---- The audit log ---- */

static gboolean
chain_reads (gpointer data)
{
  Fixture *fixture = data;

  return !meso_reports_page_get_busy (fixture->page)
         && g_str_equal (gtk_label_get_text (GTK_LABEL (child (fixture, "chain_label"))),
                         "Chain checked: intact");
}

/* This month's entries (those the seeding just wrote), filtered by action; the chain's
 * state; the entries shown exported. */
static void
test_audit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *path = meso_test_dir_file (fixture->dir, "audit.csv");
  g_autofree char *text = NULL;
  GPtrArray *entries;
  MesoAuditEntry *entry;
  GListModel *actions;
  guint void_index = 0;

  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (fixture, "period_dropdown")), 0);
  meso_test_wait_for (chain_reads, fixture, "the chain checked, this month's entries read");
  /* Six sessions created, one voided, and the reports asked meanwhile. */
  g_assert_cmpuint (meso_reports_page_get_audit (fixture->page)->len, >=, 7);
  g_assert_nonnull (list_row (fixture, "audit_list", 6));

  actions = gtk_drop_down_get_model (GTK_DROP_DOWN (child (fixture, "audit_action_dropdown")));
  for (guint i = 1; i < g_list_model_get_n_items (actions); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (actions, i);

      if (g_str_equal (gtk_string_object_get_string (item), "Voided"))
        void_index = i;
    }
  g_assert_cmpuint (void_index, >, 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (fixture, "audit_action_dropdown")),
                              void_index);
  wait_idle (fixture);
  entries = meso_reports_page_get_audit (fixture->page);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->action, ==, "void");
  g_assert_cmpint (entry->entity_id, ==, VOIDED_SESSION);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     list_row (fixture, "audit_list", 0))), ==, "Voided · Session 4");
  g_assert_null (list_row (fixture, "audit_list", 1));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "reports.audit-export-csv-to", "s", path));
  wait_idle (fixture);
  text = read_text (path);
  g_assert_nonnull (strstr (text, ",void,session,4,"));
  g_assert_true (g_str_has_prefix (text, "seq,at,user,action,entity,entity_id,payload"));
}

/* ---- In the window ---- */

static gboolean
has_report (gpointer data)
{
  return meso_reports_page_get_report (data) != NULL && !meso_reports_page_get_busy (data);
}

/* The window's fourth page is Reports, shown by win.show-page::reports, which the
 * application puts on Alt+4; it reads nothing until shown. */
static void
test_window (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autoptr(MesoApplication) app = meso_application_new ();
  g_auto(GStrv) accels = NULL;
  MesoWindow *window;
  AdwViewStack *stack;
  g_autoptr(AdwViewStackPage) page = NULL;
  GtkWidget *reports;

  g_application_set_application_id (G_APPLICATION (app), "io.github.mesocare.TestReports");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                  "win.show-page::reports");
  g_assert_cmpstrv (accels, ((const char *[]) { "<Alt>4", NULL }));

  fill_store (store);
  window = g_object_ref_sink (meso_window_new (NULL, store));
  gtk_window_present (GTK_WINDOW (window));
  meso_test_wait_for_frame (GTK_WIDGET (window));
  stack = ADW_VIEW_STACK (meso_test_child (GTK_WIDGET (window), MESO_TYPE_WINDOW, "stack"));
  page = g_list_model_get_item (G_LIST_MODEL (adw_view_stack_get_pages (stack)), 3);
  g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, "Reports");
  g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, "reports");
  reports = meso_window_get_page (window, "reports");
  g_assert_true (MESO_IS_REPORTS_PAGE (reports));
  g_assert_null (meso_reports_page_get_report (MESO_REPORTS_PAGE (reports)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "reports"));
  g_assert_true (adw_view_stack_get_visible_child (stack) == reports);
  meso_test_wait_for (has_report, reports, "the page's first report once shown");

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  meso_test_drop_store (&store);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-reports-home-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reports/figures", test_figures);
  ADD ("/reports/chart-style", test_chart_style);
  ADD ("/reports/bad-days", test_bad_days);
  ADD ("/reports/typing-pause", test_typing_pause);
  ADD ("/reports/follows-changes", test_follows_changes);
  ADD ("/reports/ignores-reports", test_ignores_reports);
  ADD ("/reports/recall", test_recall);
  ADD ("/reports/exports", test_exports);
  ADD ("/reports/audit", test_audit);
  g_test_add_func ("/reports/window", test_window);

#undef ADD
  return g_test_run ();
}
