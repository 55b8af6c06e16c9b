/* bench-history.c: History opened on a million sessions, to its first rows, against the
 * sqlite3 shell running the same SQL on the same file
 *
 *   bench-history [--rounds N] [--warmups N] [--sessions N] SQLITE3 CACHE-DIR
 *
 * The database is `mesocare-cli generate --sessions N --seed 1` (a million by default),
 * made once and kept in CACHE-DIR as store-1m.db, the file the store's benchmark keeps
 * (bench-store.c), then copied to a private folder: the runs never touch the cache.
 *
 * Two subjects, in this process, on one store opened once (as in the app, where History
 * is opened in a running window):
 * - history-list-first-rows: a MesoSessionList made, until its count is known and its
 *   first page of rows read through the store's worker thread (no GTK);
 * - history-open: a MesoHistoryPage made and put in a window already on screen (as
 *   History is opened in the app's running window), until its first rows are read and
 *   a frame drawn with them (its closing is not timed).
 * The floor of both: the sqlite3 shell, as a whole process, running the statements the
 * store runs for them: the count, then the first page (every column the store reads,
 * ORDER BY date, LIMIT 200).
 * history-open again, as history-open-over-bare-view, against what the toolkit alone
 * costs: a bare GtkColumnView of the same nine columns over 200 rows of text, put in
 * the same window until drawn (GTK 4.8's list views make some 200 rows, a widget per
 * cell, whatever the window shows).
 * history-filter-NAME: the list of each of History's filters alone (month, patient,
 * practitioner, area, indication, product, lot, reactions, status), its value one the
 * newest session has, to its first rows, beside the shell running the same count and
 * first page (meso_sqlite_store_query_sql(): the store's own statements, values in place).
 * And history-memory: the peak memory (ru_maxrss, from wait4()) of a process of its own,
 * this program again (--memory-child DB), that opens the store and the app's window on
 * it (MesoWindow, every page), shows History until its first rows are drawn, then
 * scrolls it a screen at a time through
 * MEMORY_ROWS rows, each screen's rows read and drawn before the next; against the same
 * on an empty database, where there is nothing to scroll. Without a display it exits 77.
 *
 * Prints one line per subject (see bench_report_full(); history-memory's in MB, as the
 * store's memory lines); fails only when it cannot measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench-common.h"
#include "meso-history-page.h"
#include "meso-session-list.h"
#include "meso-sqlite-store-private.h"
#include "meso-store.h"
#include "meso-window.h"

#define WAIT_LIMIT_S 60

/* history-memory: rows scrolled through, processes run for each database, and the aim
 * (as the store's memory figures). */
#define MEMORY_ROWS       10000
#define MEMORY_ROUNDS_MAX 5
#define AIM_MEMORY        1.2

typedef struct
{
  const char *sqlite3;
  char       *path;     /* the private copy */
  MesoSessionQuery *query;  /* of the list timed now */
  char       *floor_sql;    /* what the sqlite3 shell runs for it */
  MesoStore  *store;
} HistoryBench;

/* ---- The database ---- */

static char *
cache_path (const char *cache_dir,
            guint       n_sessions)
{
  g_autofree char *name = n_sessions == 1000000 ? g_strdup ("store-1m.db")
                                                : g_strdup_printf ("history-%u.db", n_sessions);

  return g_build_filename (cache_dir, name, NULL);
}

/* Made beside the cache, then renamed into place: a cache half made is never taken. */
static void
ensure_cache (const char *path,
              guint       n_sessions)
{
  const char *cli = g_getenv ("MESOCARE_CLI");
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n_sessions);
  const char *argv[] = { cli, "--db", tmp, "generate", "--sessions", count, "--seed", "1",
                         NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  if (cli == NULL)
    bench_fail ("MESOCARE_CLI is not set: it makes the database");
  g_printerr ("Making %s with mesocare-cli generate --sessions %u (once)…\n", path, n_sessions);
  g_unlink (tmp);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    bench_fail ("generate: %s", error->message);
  if (g_rename (tmp, path) != 0)
    bench_fail ("%s: %s", path, g_strerror (errno));
}

static void
copy_database (const char *from,
               const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    bench_fail ("%s: %s", from, error->message);
}

/* ---- The subjects ---- */

static gboolean
list_has_first_rows (MesoSessionList *list,
                     MesoSessionItem *first)
{
  return meso_session_list_get_count (list) >= 0 && first != NULL
         && meso_session_item_get_session (first) != NULL;
}

/* Until @done (@data) holds, iterating the main context; fails after WAIT_LIMIT_S. */
static void
wait_until (gboolean   (*done) (gpointer),
            gpointer     data,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_LIMIT_S * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        bench_fail ("no %s after %d s", what, WAIT_LIMIT_S);
      g_main_context_iteration (NULL, TRUE);
    }
}

typedef struct
{
  MesoSessionList *list;
  MesoSessionItem *first;
} ListWait;

static gboolean
list_ready (gpointer data)
{
  ListWait *wait = data;

  if (wait->first == NULL && meso_session_list_get_count (wait->list) > 0)
    wait->first = g_list_model_get_item (G_LIST_MODEL (wait->list), 0);
  return list_has_first_rows (wait->list, wait->first);
}

static gboolean
run_list (gpointer data)
{
  HistoryBench *bench = data;
  ListWait wait = { meso_session_list_new (bench->store, bench->query), NULL };

  wait_until (list_ready, &wait, "first rows from the list");
  g_clear_object (&wait.first);
  g_object_unref (wait.list);
  return TRUE;
}

typedef struct
{
  MesoHistoryPage *page;
  GtkWidget       *window;
  gboolean         ticked;
  gboolean         filled;
} PageWait;

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  PageWait *wait = data;

  /* A frame laid out after the rows came: they are on screen. */
  if (!wait->filled)
    return G_SOURCE_CONTINUE;
  wait->ticked = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
page_ready (gpointer data)
{
  PageWait *wait = data;
  MesoSessionList *list = meso_history_page_get_list (wait->page);

  if (!wait->filled && meso_session_list_get_count (list) > 0
      && !meso_session_list_get_loading (list) && meso_session_list_get_rows_read (list) > 0)
    wait->filled = TRUE;
  return wait->ticked;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The page made and put in the window already on screen (as History is opened in the
 * app's running window), until its first rows are drawn: timed. */
static double
open_page (HistoryBench *bench,
           GtkWidget    *window,
           gpointer     *out_page)
{
  gint64 start = g_get_monotonic_time ();
  PageWait wait = { NULL };

  wait.window = window;
  wait.page = MESO_HISTORY_PAGE (meso_history_page_new (bench->store));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (wait.page));
  gtk_widget_add_tick_callback (window, on_tick_cb, &wait, NULL);
  wait_until (page_ready, &wait, "first rows drawn");
  *out_page = wait.page;
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Closing History is not opening it: not timed. */
static void
close_page (GtkWidget *window,
            gpointer   page)
{
  g_object_add_weak_pointer (G_OBJECT (page), &page);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  wait_until (is_null, &page, "page to go");
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_window_frame_cb (GdkFrameClock *clock,
                    gboolean      *drawn)
{
  *drawn = TRUE;
}

/* The window the pages open in: on screen, a frame drawn, before any round. */
static GtkWidget *
new_window (void)
{
  GtkWidget *window = gtk_window_new ();
  gboolean drawn = FALSE;
  GdkFrameClock *clock;
  gulong handler;

  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (window));
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_window_frame_cb), &drawn);
  wait_until (is_true, &drawn, "window drawn");
  g_signal_handler_disconnect (clock, handler);
  return window;
}

/* ---- The toolkit's floor of history-open ---- */

/* GTK 4.8's list views make some 200 rows whatever the window shows, a widget per cell:
 * a bare GtkColumnView of History's nine columns, over as many rows of text as the
 * first page, shows what any such table costs. */

static void
on_bare_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_list_item_set_child (item, text);
}

static void
on_bare_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static GtkWidget *
new_bare_view (GListModel *rows)
{
  static const int widths[] = { 150, 170, 140, 150, 140, 170, 90, 90, 100 };
  GtkWidget *view = gtk_column_view_new (GTK_SELECTION_MODEL (
    gtk_single_selection_new (g_object_ref (rows))));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (on_bare_setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (on_bare_bind_cb), NULL);
      column = gtk_column_view_column_new ("Column", factory);
      gtk_column_view_column_set_fixed_width (column, widths[i]);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), column);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  return scroller;
}

static gboolean
on_bare_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Made and put in @window until a frame is drawn with its rows: timed. */
static double
time_bare_view (GtkWidget  *window,
                GListModel *rows)
{
  gint64 start = g_get_monotonic_time ();
  gboolean drawn = FALSE;
  GtkWidget *view = new_bare_view (rows);

  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_widget_add_tick_callback (window, on_bare_tick_cb, &drawn, NULL);
  wait_until (is_true, &drawn, "bare view drawn");
  return (g_get_monotonic_time () - start) / 1000.0;
}

static GListModel *
new_bare_rows (void)
{
  GtkStringList *rows = gtk_string_list_new (NULL);

  for (guint i = 0; i < MESO_SESSION_LIST_PAGE_SIZE; i++)
    {
      g_autofree char *text = g_strdup_printf ("2026-11-%02u 10:%02u Text of row %u",
                                               i % 28 + 1, i % 60, i);

      gtk_string_list_append (rows, text);
    }
  return G_LIST_MODEL (rows);
}

static double
time_floor (HistoryBench *bench);

/* As bench_run_interleaved(), each first every other round, with the closing of the
 * page left out of its time. */
static void
run_pages (const BenchOptions *options,
           HistoryBench       *bench,
           GArray             *page_ms,
           GArray             *floor_ms,
           GArray             *view_ms)
{
  GtkWidget *window = new_window ();
  g_autoptr(GListModel) rows = new_bare_rows ();

  for (guint round = 0; round < options->warmups + options->rounds; round++)
    {
      gboolean page_first = round % 2 == 0;
      double floor_time = page_first ? 0 : time_floor (bench);
      gpointer page;
      double page_time = open_page (bench, window, &page);

      double view_time;

      close_page (window, page);
      if (page_first)
        floor_time = time_floor (bench);
      view_time = time_bare_view (window, rows);
      gtk_window_set_child (GTK_WINDOW (window), NULL);
      if (round < options->warmups)
        continue;
      g_array_append_val (page_ms, page_time);
      g_array_append_val (floor_ms, floor_time);
      g_array_append_val (view_ms, view_time);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
run_floor (gpointer data)
{
  HistoryBench *bench = data;
  const char *argv[] = { bench->sqlite3, "-batch", "-noheader", bench->path, bench->floor_sql,
                         NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* The rows read back, as the store reads them. */
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    bench_fail ("sqlite3: %s", error->message);
  return out != NULL && *out != '\0';
}

static double
time_floor (HistoryBench *bench)
{
  gint64 start = g_get_monotonic_time ();

  if (!run_floor (bench))
    bench_fail ("sqlite3 read no rows");
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The statements the list runs for @query's count and first page, values in place. */
static char *
make_floor_sql (HistoryBench     *bench,
                MesoSessionQuery *query)
{
  g_autoptr(MesoSessionQuery) page = meso_session_query_copy (query);
  g_autofree char *select = meso_sqlite_store_select_sql (MESO_SQLITE_STORE (bench->store));
  g_autoptr(GError) error = NULL;
  char *sql;

  meso_session_query_set_range (page, 0, MESO_SESSION_LIST_PAGE_SIZE);
  sql = meso_sqlite_store_query_sql (bench->store, page, select, &error);
  if (sql == NULL)
    bench_fail ("the SQL of a list: %s", error->message);
  return sql;
}

/* ---- Each filter's first rows ---- */

/* The newest session: what the filters look for, taken from the database itself. */
static MesoSession *
newest_session (HistoryBench *bench)
{
  ListWait wait = { meso_session_list_new (bench->store, NULL), NULL };
  MesoSession *session;

  wait_until (list_ready, &wait, "the newest session");
  session = g_object_ref (meso_session_item_get_session (wait.first));
  g_clear_object (&wait.first);
  g_object_unref (wait.list);
  return session;
}

/* The last word of the patient's name, as typed in History's search. */
static char *
surname_of (MesoSession *session)
{
  const char *name = meso_session_get_patient_name (session);
  const char *space = strrchr (name, ' ');

  return g_strdup (space != NULL ? space + 1 : name);
}

/* Each filter of History alone, its value one the newest session has. */
static GPtrArray *
filter_queries (MesoSession *newest,
                GPtrArray   *names)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_object_unref);
  MesoArea areas = meso_session_get_areas (newest);
  MesoReaction reactions = meso_session_get_reactions (newest) & ~MESO_REACTION_NONE;
  g_autofree char *surname = surname_of (newest);
  MesoSessionQuery *query;

#define ADD_QUERY(label) \
  (query = meso_session_query_new (), g_ptr_array_add (queries, query), \
   g_ptr_array_add (names, (gpointer) (label)))
  ADD_QUERY ("month");
  meso_session_query_set_calendar_period (query, MESO_PERIOD_THIS_MONTH,
                                          meso_session_get_performed_at (newest));
  ADD_QUERY ("patient");
  meso_session_query_set_patient_text (query, surname);
  ADD_QUERY ("practitioner");
  meso_session_query_set_practitioner (query, meso_session_get_practitioner (newest));
  ADD_QUERY ("area");
  meso_session_query_set_areas (query, areas & -areas);
  ADD_QUERY ("indication");
  meso_session_query_set_indication (query, meso_session_get_indication (newest));
  ADD_QUERY ("product");
  meso_session_query_set_product (query, meso_session_get_product (newest));
  ADD_QUERY ("lot");
  meso_session_query_set_lot (query, meso_session_get_lot (newest));
  ADD_QUERY ("reactions");
  meso_session_query_set_reactions (query, reactions != 0 ? reactions & -reactions
                                                          : MESO_REACTION_BRUISING);
  ADD_QUERY ("status");
  meso_session_query_set_status (query, MESO_SESSION_STATUS_AMENDED);
#undef ADD_QUERY
  return queries;
}

/* history-filter-NAME: the list of each filter to its first rows, beside the sqlite3
 * shell running its count and first page. */
static void
run_filters (const BenchOptions *options,
             HistoryBench       *bench,
             const char         *label)
{
  g_autoptr(MesoSession) newest = newest_session (bench);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) queries = filter_queries (newest, names);

  for (guint i = 0; i < queries->len; i++)
    {
      g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *name = g_strdup_printf ("history-filter-%s-%s",
                                               (const char *) g_ptr_array_index (names, i),
                                               label);
      g_autofree char *floor_sql = make_floor_sql (bench, g_ptr_array_index (queries, i));
      MesoSessionQuery *saved_query = bench->query;
      char *saved_sql = bench->floor_sql;

      bench->query = g_ptr_array_index (queries, i);
      bench->floor_sql = floor_sql;
      bench_run_interleaved (options, run_list, run_floor, bench, list_ms, floor_ms);
      bench->query = saved_query;
      bench->floor_sql = saved_sql;
      bench_report_full (name, list_ms, floor_ms, BENCH_AIM, NULL);
    }
}

/* ---- history-memory ---- */

typedef struct
{
  MesoSessionList *list;
  MesoSessionItem *items[2];  /* held while their pages are read, as a view holds them */
  guint            frames;
} ScrollWait;

static gboolean
on_frame_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  ((ScrollWait *) data)->frames++;
  return G_SOURCE_CONTINUE;
}

static gboolean
list_settled (gpointer data)
{
  ScrollWait *wait = data;
  MesoSessionList *list = wait->list;

  return meso_session_list_get_count (list) >= 0 && !meso_session_list_get_loading (list)
         && (meso_session_list_get_count (list) == 0
             || meso_session_list_get_rows_read (list) > 0);
}

static gboolean
items_filled (gpointer data)
{
  ScrollWait *wait = data;

  for (guint i = 0; i < G_N_ELEMENTS (wait->items); i++)
    if (wait->items[i] != NULL && meso_session_item_get_session (wait->items[i]) == NULL)
      return FALSE;
  return TRUE;
}

typedef struct
{
  ScrollWait *wait;
  guint       until;
} FrameWait;

static gboolean
frames_reached (gpointer data)
{
  FrameWait *frame = data;

  return frame->wait->frames >= frame->until;
}

/* Two frames begun after now: the one laid out with what is there now has been drawn. */
static void
wait_frames (ScrollWait *wait)
{
  FrameWait frame = { wait, wait->frames + 2 };

  wait_until (frames_reached, &frame, "frame drawn");
}

/* The page's view of the rows: the column view (the window is wide), or the list of
 * the narrow layout. */
static GtkWidget *
find_view (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_view (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
position_at (GtkAdjustment *adjustment,
             double         value,
             guint          n_items)
{
  double upper = gtk_adjustment_get_upper (adjustment);
  guint position = upper > 0 ? (guint) (value / upper * n_items) : 0;

  return MIN (position, n_items - 1);
}

/* The whole of one measured process: the app's window opened, History shown in it,
 * then scrolled. */
static int
run_memory_child (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open_existing (path, &error);
  ScrollWait wait = { NULL };
  GtkWidget *window;
  GtkWidget *page;
  GtkWidget *view;
  GtkAdjustment *adjustment;
  guint n_items;
  guint step;
  guint top;

  if (store == NULL)
    bench_fail ("%s: %s", path, error->message);
  window = GTK_WIDGET (meso_window_new (NULL, store));
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  page = meso_window_get_page (MESO_WINDOW (window), "history");
  wait.list = meso_history_page_get_list (MESO_HISTORY_PAGE (page));
  gtk_widget_add_tick_callback (window, on_frame_cb, &wait, NULL);
  gtk_window_present (GTK_WINDOW (window));
  if (!gtk_widget_activate_action (window, "win.show-page", "s", "history"))
    bench_fail ("no action win.show-page");
  wait_until (list_settled, &wait, "first rows");
  wait_frames (&wait);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (wait.list));
  if (n_items == 0)
    return EXIT_SUCCESS;
  view = find_view (page, GTK_TYPE_COLUMN_VIEW);
  if (view == NULL)
    view = find_view (page, GTK_TYPE_LIST_VIEW);
  if (view == NULL)
    bench_fail ("no view of the rows in the page");
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  /* A screen at a time, until MEMORY_ROWS rows have been at the top of it or the end
   * is reached: each screen's rows read and drawn before the next. */
  for (step = 0;; step++)
    {
      double value = gtk_adjustment_get_value (adjustment);
      double page_size = gtk_adjustment_get_page_size (adjustment);
      double last = gtk_adjustment_get_upper (adjustment) - page_size;

      if (page_size <= 0 || step > MEMORY_ROWS)
        bench_fail ("the view does not scroll");
      if (value >= last || position_at (adjustment, value, n_items) >= MEMORY_ROWS)
        break;
      value = MIN (value + page_size, last);
      gtk_adjustment_set_value (adjustment, value);
      top = position_at (adjustment, value, n_items);
      wait.items[0] = g_list_model_get_item (G_LIST_MODEL (wait.list), top);
      wait.items[1] = g_list_model_get_item (G_LIST_MODEL (wait.list),
                                             position_at (adjustment, value + page_size,
                                                          n_items));
      wait_until (items_filled, &wait, "rows read on scrolling");
      wait_frames (&wait);
      g_clear_object (&wait.items[0]);
      g_clear_object (&wait.items[1]);
    }
  top = position_at (adjustment, gtk_adjustment_get_value (adjustment), n_items);
  g_debug ("scrolled to row %u of %u in %u steps", top, n_items, step);
  if (top < MIN (MEMORY_ROWS, n_items) / 2)
    bench_fail ("scrolled through too few rows");
  return EXIT_SUCCESS;
}

/* The peak memory of one child, in kB. */
static double
child_peak_kb (const char *program,
               const char *path)
{
  const char *argv[] = { program, "--memory-child", path, NULL };
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  int status = 0;
  GPid pid;

  if (!g_spawn_async (NULL, (char **) argv, NULL,
                      G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                      &pid, &error))
    bench_fail ("%s: %s", program, error->message);
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      bench_fail ("wait4: %s", g_strerror (errno));
  g_spawn_close_pid (pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    bench_fail ("--memory-child %s failed", path);
  return (double) usage.ru_maxrss;
}

/* Each database first every other round. */
static void
run_memory (const BenchOptions *options,
            const char         *full_path,
            const char         *empty_path,
            GArray             *full_kb,
            GArray             *empty_kb)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  guint rounds = MIN (options->rounds, MEMORY_ROUNDS_MAX);

  if (program == NULL)
    bench_fail ("cannot find this program (/proc/self/exe)");
  for (guint round = 0; round < rounds; round++)
    {
      double full = 0, empty = 0;

      if (round % 2 == 0)
        full = child_peak_kb (program, full_path);
      empty = child_peak_kb (program, empty_path);
      if (round % 2 != 0)
        full = child_peak_kb (program, full_path);
      g_array_append_val (full_kb, full);
      g_array_append_val (empty_kb, empty);
    }
}

static void
report_memory (const char *name,
               GArray     *full_kb,
               GArray     *empty_kb,
               guint       rows)
{
  double full = bench_summarize (full_kb).median / 1024;
  double empty = bench_summarize (empty_kb).median / 1024;
  double ratio = full / empty;

  printf ("%s median_mb=%.1f floor_mb=%.1f ratio=%.2f n=%u aim=%.1f within_aim=%s"
          " floor=empty rows=%u\n", name, full, empty, ratio, full_kb->len, AIM_MEMORY,
          ratio <= AIM_MEMORY ? "yes" : "no", rows);
  fflush (stdout);
}

static char *
make_empty_database (const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "empty.db", NULL);
  MesoStore *store = meso_store_open (path, &error);

  if (store == NULL)
    bench_fail ("%s: %s", path, error->message);
  g_object_unref (store);
  return path;
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options;
  HistoryBench bench = { NULL };
  g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list_floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_view_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) memory_kb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) memory_floor_kb = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *empty_path = NULL;
  g_autofree char *memory_child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  const char *dir;
  int sessions = 1000000;
  const GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_INT, &sessions, "Sessions in the database (1000000)", "N" },
    { "memory-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &memory_child,
      "Be the process history-memory measures, on DB", "DB" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || sessions < 1)
    bench_fail ("--sessions: a number of sessions, at least 1");
  if (memory_child != NULL)
    {
      if (!gtk_init_check ())
        bench_fail ("no display");
      adw_init ();
      return run_memory_child (memory_child);
    }
  bench_parse_options (&argc, &argv, &options);
  if (argc != 3)
    bench_fail ("usage: bench-history [--rounds N] [--warmups N] [--sessions N] SQLITE3 "
                "CACHE-DIR");
  if (!gtk_init_check ())
    {
      g_print ("no display: run under xvfb-run\n");
      return 77;
    }
  adw_init ();

  bench.sqlite3 = argv[1];
  cache = cache_path (argv[2], (guint) sessions);
  ensure_cache (cache, (guint) sessions);
  dir = bench_make_private_dir ("mesocare-bench-history-XXXXXX");
  bench.path = g_build_filename (dir, "mesocare.db", NULL);
  copy_database (cache, bench.path);
  bench.store = meso_store_open_existing (bench.path, &error);
  if (bench.store == NULL)
    bench_fail ("%s: %s", bench.path, error->message);
  bench.query = meso_session_query_new ();
  bench.floor_sql = make_floor_sql (&bench, bench.query);

  bench_run_interleaved (&options, run_list, run_floor, &bench, list_ms, list_floor_ms);
  run_pages (&options, &bench, page_ms, page_floor_ms, page_view_ms);
  empty_path = make_empty_database (dir);
  run_memory (&options, bench.path, empty_path, memory_kb, memory_floor_kb);

  label = sessions == 1000000 ? g_strdup ("1m") : g_strdup_printf ("%d", sessions);
  name = g_strconcat ("history-list-first-rows-", label, NULL);
  bench_report_full (name, list_ms, list_floor_ms, BENCH_AIM, NULL);
  g_free (name);
  name = g_strconcat ("history-open-", label, NULL);
  bench_report_full (name, page_ms, page_floor_ms, BENCH_AIM, NULL);
  g_free (name);
  name = g_strconcat ("history-open-over-bare-view-", label, NULL);
  bench_report_full (name, page_ms, page_view_ms, BENCH_AIM, NULL);
  g_free (name);
  name = g_strconcat ("history-memory-", label, NULL);
  report_memory (name, memory_kb, memory_floor_kb, MIN (MEMORY_ROWS, (guint) sessions));

  run_filters (&options, &bench, label);

  g_clear_object (&bench.query);
  g_clear_object (&bench.store);
  g_free (bench.path);
  g_free (bench.floor_sql);
  return EXIT_SUCCESS;
}
