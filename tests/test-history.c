/* test-history.c: the History page over a known database, under Xvfb: the filters and
 * the count shown, the sort done by the store, a row opened, the export, and the page
 * at the smallest size it is made for and at a full desktop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "meso-csv.h"
#include "meso-history-page.h"
#include "meso-store.h"
#include "meso-test-util.h"
#include "meso-test-window.h"

/* Sixty sessions, one a day from 2025-03-01 at 10:00 UTC, each filter's answer
 * countable by hand (as in test-session-list.c). Session 2 is amended, 3 voided. */
#define N_SESSIONS 60

static const char * const patients[] = { "Zoë Ölund", "José Núñez", "Anne Dupont", "Bo Li" };
static const char * const practitioners[] = { "Dr Léa Martin", "Nurse Tom", "Dr Ama Owusu" };
static const MesoArea areas[] = { MESO_AREA_SCALP, MESO_AREA_FACE | MESO_AREA_NECK,
                                  MESO_AREA_THIGHS, MESO_AREA_ABDOMEN, MESO_AREA_ARMS };
static const char * const indications[] = { "hair-loss", "skin-rejuvenation", "cellulite" };

typedef struct
{
  int width;
  int height;
} Size;

static const Size narrow = { 360, 640 };
static const Size wide = { 1920, 1080 };

typedef struct
{
  MesoTestDir     *dir;
  MesoStore       *store;
  GtkWindow       *window;
  MesoHistoryPage *page;
} Fixture;

static MesoSession *
known_session (guint i)
{
  MesoSession *session = meso_test_session_new (patients[i % 4], areas[i % 5], 10 + i, 5 + i % 7);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2025, 3, 1, 10, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_days (start, (int) i);
  g_autoptr(GError) error = NULL;

  meso_session_set_performed_at (session, day);
  meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER, practitioners[i % 3], &error);
  meso_session_set_field_text (session, MESO_FIELD_INDICATION, indications[i % 3], &error);
  meso_session_set_field_text (session, MESO_FIELD_PRODUCT, i % 4 == 0 ? "Biotin" : "Vitamin C",
                               &error);
  meso_session_set_field_text (session, MESO_FIELD_LOT, i % 2 == 0 ? "A1" : "B2", &error);
  meso_session_set_field_text (session, MESO_FIELD_REACTIONS,
                               i % 6 == 0 ? "redness,bruising" : "none", &error);
  g_assert_no_error (error);
  return session;
}

static void
fill_store (MesoStore *store)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_SESSIONS; i++)
    g_ptr_array_add (sessions, known_session (i));
  meso_store_save_sessions (store, sessions, "test", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (practitioners); i++)
    {
      g_autoptr(MesoPractitioner) practitioner = meso_practitioner_new (practitioners[i]);

      meso_store_add_practitioner (store, practitioner, &error);
      g_assert_no_error (error);
    }
  amended = meso_store_get_session (store, 2, &error);
  g_assert_no_error (error);
  meso_session_set_field_text (amended, MESO_FIELD_LOT, "C3", &error);
  meso_store_amend_session (store, amended, "wrong lot", &error);
  meso_store_void_session (store, 3, "entered twice", &error);
  g_assert_no_error (error);
}

/* ---- Waiting ---- */

static void
settle (Fixture *fixture)
{
  meso_test_settle (GTK_WIDGET (fixture->window), NULL, NULL);
}

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return meso_test_child (GTK_WIDGET (fixture->page), MESO_TYPE_HISTORY_PAGE, name);
}

typedef struct
{
  Fixture    *fixture;
  const char *text;
} LabelWait;

static gboolean
count_label_is (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (child (wait->fixture, "count_label"))),
                    wait->text) == 0
         && !meso_session_list_get_loading (meso_history_page_get_list (wait->fixture->page));
}

/* The count the page shows, which is what the user reads. */
static void
wait_for_count_shown (Fixture    *fixture,
                      const char *text)
{
  LabelWait wait = { fixture, text };

  if (!meso_test_wait_until (count_label_is, &wait, MESO_TEST_WAIT_LIMIT_S))
    g_error ("the count shown is “%s”, not “%s”",
             gtk_label_get_text (GTK_LABEL (child (fixture, "count_label"))), text);
}

static gboolean
is_filled (gpointer data)
{
  return meso_session_item_get_session (data) != NULL;
}

static MesoSessionItem *
get_filled_item (Fixture *fixture,
                 guint    position)
{
  MesoSessionItem *item = g_list_model_get_item (G_LIST_MODEL (meso_history_page_get_list (fixture->page)),
                                                 position);

  g_assert_nonnull (item);
  meso_test_wait_for (is_filled, item, "a row to be read");
  return item;
}

/* ---- Set-up ---- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Size *size = data != NULL ? data : &wide;

  fixture->dir = meso_test_dir_new ();
  fixture->store = meso_test_open_store (fixture->dir->db);
  fill_store (fixture->store);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  g_object_ref_sink (fixture->window);
  /* No frame: the page gets the whole size asked for, as on a screen of that size. */
  gtk_window_set_decorated (fixture->window, FALSE);
  gtk_window_set_default_size (fixture->window, size->width, size->height);
  fixture->page = MESO_HISTORY_PAGE (meso_history_page_new (fixture->store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
  settle (fixture);
  wait_for_count_shown (fixture, "60 sessions");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->window);
  meso_test_drop_store (&fixture->store);
  meso_test_dir_free (fixture->dir);
}

/* ---- Filters ---- */

static gboolean
has_practitioners (gpointer data)
{
  return g_list_model_get_n_items (gtk_drop_down_get_model (data)) == 1 + G_N_ELEMENTS (practitioners);
}

static void
choose (Fixture    *fixture,
        const char *dropdown,
        guint       position)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (fixture, dropdown)), position);
}

static void
type (Fixture    *fixture,
      const char *entry,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (fixture, entry)), text);
}

/* Each filter changes the count shown, and they combine. */
static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  GtkWidget *practitioner = child (fixture, "practitioner_dropdown");

  type (fixture, "search_entry", "nunez");          /* i % 4 == 1 */
  wait_for_count_shown (fixture, "15 sessions");
  choose (fixture, "indication_dropdown", 4);        /* cellulite, i % 3 == 2: i % 12 == 5 */
  wait_for_count_shown (fixture, "5 sessions");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.clear-filters", NULL);
  wait_for_count_shown (fixture, "60 sessions");

  meso_test_wait_for (has_practitioners, practitioner, "the practitioners to be offered");
  choose (fixture, "practitioner_dropdown", 2);      /* Nurse Tom, i % 3 == 1 */
  wait_for_count_shown (fixture, "20 sessions");
  type (fixture, "lot_entry", "A1");                 /* and even i: i % 6 == 4 */
  wait_for_count_shown (fixture, "10 sessions");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.clear-filters", NULL);
  wait_for_count_shown (fixture, "60 sessions");

  choose (fixture, "area_dropdown", 3);              /* neck, i % 5 == 1 */
  wait_for_count_shown (fixture, "12 sessions");
  choose (fixture, "area_dropdown", 0);
  type (fixture, "product_entry", "Biotin");         /* i % 4 == 0 */
  wait_for_count_shown (fixture, "15 sessions");
  type (fixture, "product_entry", "");
  choose (fixture, "reactions_dropdown", 4);         /* bruising, i % 6 == 0 */
  wait_for_count_shown (fixture, "10 sessions");
  choose (fixture, "reactions_dropdown", 0);
  choose (fixture, "status_dropdown", 3);            /* voided */
  wait_for_count_shown (fixture, "1 session");
  choose (fixture, "status_dropdown", 2);            /* amended */
  wait_for_count_shown (fixture, "1 session");
  choose (fixture, "status_dropdown", 0);

  /* Days chosen; a day that is no day is named, and the list stays as it was. */
  choose (fixture, "period_dropdown", 4);
  type (fixture, "from_entry", "2025-03-01");
  type (fixture, "to_entry", "2025-03-31");
  wait_for_count_shown (fixture, "31 sessions");
  type (fixture, "from_entry", "2025-13-01");
  g_assert_true (gtk_widget_has_css_class (child (fixture, "from_entry"), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (child (fixture, "from_entry")));
  wait_for_count_shown (fixture, "31 sessions");
  type (fixture, "from_entry", "2025-03-15");
  g_assert_false (gtk_widget_has_css_class (child (fixture, "from_entry"), "error"));
  wait_for_count_shown (fixture, "17 sessions");
  choose (fixture, "period_dropdown", 1);            /* today: nothing since 2025 */
  wait_for_count_shown (fixture, "No sessions match");
  choose (fixture, "period_dropdown", 0);
  wait_for_count_shown (fixture, "60 sessions");
}

/* ---- Sort ---- */

static GtkColumnViewColumn *
column (Fixture *fixture,
        guint    position)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (child (fixture, "column_view")));
  GtkColumnViewColumn *found = g_list_model_get_item (columns, position);

  g_object_unref (found);  /* the view keeps it */
  return found;
}

typedef struct
{
  MesoSessionList *list;
  MesoSessionSort  sort;
  gboolean         descending;
} SortWait;

static gboolean
is_sorted_by (gpointer data)
{
  SortWait *wait = data;
  gboolean descending;
  MesoSessionSort sort = meso_session_query_get_sort (meso_session_list_get_query (wait->list),
                                                      &descending);

  return sort == wait->sort && descending == wait->descending
         && meso_session_list_get_count (wait->list) >= 0;
}

static void
sort_by (Fixture         *fixture,
         guint            position,
         GtkSortType      direction,
         MesoSessionSort  expected)
{
  SortWait wait = { meso_history_page_get_list (fixture->page), expected,
                    direction == GTK_SORT_DESCENDING };

  gtk_column_view_sort_by_column (GTK_COLUMN_VIEW (child (fixture, "column_view")),
                                  column (fixture, position), direction);
  meso_test_wait_for (is_sorted_by, &wait, "the list to be sorted by the column");
}

/* A column's header sorts by it, in the store: the first row is then the least (or the
 * greatest) of the column. */
static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(MesoSessionItem) item = get_filled_item (fixture, 0);

  /* Newest first at the start. */
  g_assert_cmpint (meso_session_item_get_id (item), ==, N_SESSIONS);
  g_clear_object (&item);

  sort_by (fixture, 1, GTK_SORT_ASCENDING, MESO_SESSION_SORT_PATIENT);
  item = get_filled_item (fixture, 0);
  g_assert_cmpstr (meso_session_get_patient_name (meso_session_item_get_session (item)), ==,
                   "Anne Dupont");
  g_clear_object (&item);

  sort_by (fixture, 1, GTK_SORT_DESCENDING, MESO_SESSION_SORT_PATIENT);
  item = get_filled_item (fixture, 0);
  g_assert_cmpstr (meso_session_get_patient_name (meso_session_item_get_session (item)), ==,
                   "Zoë Ölund");
  g_clear_object (&item);

  sort_by (fixture, 6, GTK_SORT_DESCENDING, MESO_SESSION_SORT_INJECTIONS);
  item = get_filled_item (fixture, 0);
  g_assert_cmpuint (meso_session_get_injections (meso_session_item_get_session (item)), ==,
                    10 + N_SESSIONS - 1);
  g_clear_object (&item);

  sort_by (fixture, 0, GTK_SORT_ASCENDING, MESO_SESSION_SORT_DATE);
  item = get_filled_item (fixture, 0);
  g_assert_cmpint (meso_session_item_get_id (item), ==, 1);
}

/* ---- Opening a session ---- */

static void
on_open_session_cb (MesoHistoryPage *page,
                    gint64           id,
                    gint64          *opened)
{
  *opened = id;
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_LIST_VIEW (c))
        return c;
      if ((found = find_list_view (c)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_model (gpointer data)
{
  if (GTK_IS_COLUMN_VIEW (data))
    return gtk_column_view_get_model (data) != NULL;
  return gtk_list_view_get_model (data) != NULL;
}

/* The page hands the list to the view on screen once the squeezer has chosen it. */
static void
wait_for_view (GtkWidget *view)
{
  meso_test_wait_for (has_model, view, "the view on screen to have the list");
}

/* Enter on a row (the list's activate-item, which Enter runs) opens its session. */
static void
test_open_session (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MesoSessionItem) item = get_filled_item (fixture, 3);
  GtkWidget *rows = find_list_view (child (fixture, "column_view"));
  gint64 opened = 0;

  g_signal_connect (fixture->page, "open-session", G_CALLBACK (on_open_session_cb), &opened);
  g_assert_nonnull (rows);
  wait_for_view (child (fixture, "column_view"));
  g_assert_true (gtk_widget_activate_action (rows, "list.activate-item", "u", 3));
  g_assert_cmpint (opened, ==, meso_session_item_get_id (item));
  g_assert_cmpint (opened, ==, N_SESSIONS - 3);
}

/* ---- Export ---- */

static gboolean
is_exported (gpointer data)
{
  return !meso_history_page_get_exporting (data);
}

/* The filtered list, in the order shown, written as mesocare-cli export writes it. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = meso_test_dir_file (fixture->dir, "export.csv");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MesoCsvReader) reader = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;
  guint line = 0, rows = 0;

  type (fixture, "search_entry", "nunez");
  choose (fixture, "status_dropdown", 1);            /* active: José's but session 2 */
  wait_for_count_shown (fixture, "14 sessions");
  sort_by (fixture, 7, GTK_SORT_ASCENDING, MESO_SESSION_SORT_DURATION);

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.export-to", "s", path);
  g_assert_true (meso_history_page_get_exporting (fixture->page));
  meso_test_wait_for (is_exported, fixture->page, "the export to be written");

  bytes = meso_test_read_file (path);
  reader = meso_csv_reader_new (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_true (meso_csv_reader_next (reader, &fields, &line, &error));
  g_assert_cmpstr (fields[0], ==, "id");
  g_assert_true (g_strv_contains ((const char * const *) fields, "patient"));
  g_clear_pointer (&fields, g_strfreev);
  while (meso_csv_reader_next (reader, &fields, &line, &error))
    {
      g_autoptr(MesoSessionItem) item = get_filled_item (fixture, rows++);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_item_get_id (item));

      g_assert_cmpstr (fields[0], ==, id);
      g_assert_true (g_strv_contains ((const char * const *) fields, "José Núñez"));
      g_clear_pointer (&fields, g_strfreev);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 14);

  /* Entered in the audit log, as the command line's export is. */
  audit = meso_store_list_audit (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((MesoAuditEntry *) g_ptr_array_index (audit, audit->len - 1))->action, ==,
                   "export");
}

/* ---- Layout ---- */

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget)
         || GTK_IS_DROP_DOWN (widget) || GTK_IS_TOGGLE_BUTTON (widget);
}

/* Every mapped control inside the window's width, and its height unless it scrolls. */
static void
check_inside (GtkWidget *window,
              GtkWidget *widget,
              GString   *problems,
              guint     *n_checked)
{
  graphene_rect_t bounds;
  gboolean scrolls = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) != NULL;

  if (!gtk_widget_get_mapped (widget))
    return;
  if (is_control (widget))
    {
      (*n_checked)++;
      if (!gtk_widget_compute_bounds (widget, window, &bounds)
          || bounds.origin.x < -0.5
          || bounds.origin.x + bounds.size.width > gtk_widget_get_width (window) + 0.5
          || (!scrolls && bounds.origin.y + bounds.size.height > gtk_widget_get_height (window) + 0.5))
        g_string_append_printf (problems, " %s at %g,%g %gx%g;", G_OBJECT_TYPE_NAME (widget),
                                bounds.origin.x, bounds.origin.y, bounds.size.width,
                                bounds.size.height);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    check_inside (window, c, problems, n_checked);
}

static void
assert_controls_inside (Fixture    *fixture,
                        const char *where)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_checked = 0;

  check_inside (GTK_WIDGET (fixture->window), GTK_WIDGET (fixture->window), problems, &n_checked);
  g_test_message ("%s: %u controls on screen", where, n_checked);
  if (problems->len > 0)
    g_test_fail_printf ("%s, %dx%d: controls cut off:%s", where,
                        gtk_widget_get_width (GTK_WIDGET (fixture->window)),
                        gtk_widget_get_height (GTK_WIDGET (fixture->window)), problems->str);
  g_assert_cmpuint (n_checked, >, 0);
}

static gboolean
has_rows_drawn (gpointer data)
{
  GtkWidget *view = data;
  GtkWidget *row = gtk_widget_get_first_child (view);

  return row != NULL && gtk_widget_get_mapped (row);
}

/* At the size asked for: the table when its columns fit, rows of two lines when not;
 * nothing cut off, with the filters shown or not; a row opens there too. */
static void
test_layout (Fixture       *fixture,
             gconstpointer  data)
{
  const Size *size = data;
  gboolean narrow_expected = size->width < 1000;
  GtkWidget *view = child (fixture, narrow_expected ? "rows_view" : "column_view");
  g_autoptr(MesoSessionItem) item = NULL;
  gint64 opened = 0;

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, size->width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), ==, size->height);
  g_assert_true (meso_history_page_get_narrow (fixture->page) == narrow_expected);
  g_assert_true (gtk_widget_get_mapped (view));
  wait_for_view (view);
  g_assert_false (has_model (child (fixture, narrow_expected ? "column_view" : "rows_view")));
  meso_test_wait_for (has_rows_drawn, narrow_expected ? view : find_list_view (view),
                      "the rows to be drawn");
  assert_controls_inside (fixture, "the list");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (fixture, "filters_button")), TRUE);
  settle (fixture);
  g_assert_true (gtk_widget_get_mapped (child (fixture, "status_dropdown"))
                 || gtk_widget_get_ancestor (child (fixture, "status_dropdown"),
                                             GTK_TYPE_SCROLLED_WINDOW) != NULL);
  assert_controls_inside (fixture, "the list and the filters");

  item = get_filled_item (fixture, 0);
  g_signal_connect (fixture->page, "open-session", G_CALLBACK (on_open_session_cb), &opened);
  g_assert_true (gtk_widget_activate_action (narrow_expected ? view : find_list_view (view),
                                             "list.activate-item", "u", 0));
  g_assert_cmpint (opened, ==, meso_session_item_get_id (item));
}

/* history.search, the page's action for Ctrl+F, goes to the search from anywhere in the
 * page. (The key itself is the page's binding: no key is typed here.) */
static void
test_search_shortcut (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *search = child (fixture, "search_entry");

  gtk_widget_grab_focus (child (fixture, "filters_button"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "history.search", NULL));
  g_assert_true (gtk_widget_is_focus (search)
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), search));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *xdg = NULL;

  if (!meso_test_has_display ())
    return 77;
  xdg = meso_test_make_xdg_home ("mesocare-history-home-XXXXXX");

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, func, size) \
  g_test_add (path, Fixture, size, fixture_set_up, func, fixture_tear_down)

  ADD ("/history/filters", test_filters, NULL);
  ADD ("/history/sort", test_sort, NULL);
  ADD ("/history/open-session", test_open_session, NULL);
  ADD ("/history/export", test_export, NULL);
  ADD ("/history/search-shortcut", test_search_shortcut, NULL);
  ADD ("/history/layout/360x640", test_layout, &narrow);
  ADD ("/history/layout/1920x1080", test_layout, &wide);

#undef ADD
  return g_test_run ();
}
