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
 * - history-open: a MesoHistoryPage made and shown in a window under a display, until
 *   its first rows are read and a frame drawn with them (its closing is not timed).
 * The floor of both: the sqlite3 shell, as a whole process, running the statements the
 * store runs for them: the count, then the first page (every column the store reads,
 * ORDER BY date, LIMIT 200). Without a display it exits 77.
 *
 * Prints one line per subject (see bench_report_full()); fails only when it cannot
 * measure.
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

#include "bench-common.h"
#include "meso-history-page.h"
#include "meso-session-list.h"
#include "meso-sqlite-store-private.h"
#include "meso-store.h"

#define WAIT_LIMIT_S 60

typedef struct
{
  const char *sqlite3;
  char       *path;     /* the private copy */
  char       *floor_sql;
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
  ListWait wait = { meso_session_list_new (bench->store, NULL), NULL };

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

/* The page made and shown until its first rows are drawn: timed. */
static double
open_page (HistoryBench  *bench,
           GtkWidget    **out_window,
           gpointer      *out_page)
{
  gint64 start = g_get_monotonic_time ();
  PageWait wait = { NULL };

  wait.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (wait.window), 1920, 1080);
  wait.page = MESO_HISTORY_PAGE (meso_history_page_new (bench->store));
  gtk_window_set_child (GTK_WINDOW (wait.window), GTK_WIDGET (wait.page));
  gtk_widget_add_tick_callback (wait.window, on_tick_cb, &wait, NULL);
  gtk_window_present (GTK_WINDOW (wait.window));
  wait_until (page_ready, &wait, "first rows drawn");
  *out_window = wait.window;
  *out_page = wait.page;
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Closing History is not opening it: not timed. */
static void
close_page (GtkWidget *window,
            gpointer   page)
{
  g_object_add_weak_pointer (G_OBJECT (page), &page);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_null, &page, "page to go");
}

static double
time_floor (HistoryBench *bench);

/* As bench_run_interleaved(), each first every other round, with the closing of the
 * page left out of its time. */
static void
run_pages (const BenchOptions *options,
           HistoryBench       *bench,
           GArray             *page_ms,
           GArray             *floor_ms)
{
  for (guint round = 0; round < options->warmups + options->rounds; round++)
    {
      gboolean page_first = round % 2 == 0;
      double floor_time = page_first ? 0 : time_floor (bench);
      GtkWidget *window;
      gpointer page;
      double page_time = open_page (bench, &window, &page);

      close_page (window, page);
      if (page_first)
        floor_time = time_floor (bench);
      if (round < options->warmups)
        continue;
      g_array_append_val (page_ms, page_time);
      g_array_append_val (floor_ms, floor_time);
    }
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

static char *
make_floor_sql (void)
{
  g_autofree char *select = meso_sqlite_store_select_sql ();

  return g_strdup_printf ("SELECT count(*) FROM session_current c;"
                          " %s ORDER BY c.performed_at DESC, c.session_id DESC"
                          " LIMIT %d OFFSET 0;", select, MESO_SESSION_LIST_PAGE_SIZE);
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
  g_autoptr(GError) error = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  const char *dir;
  int sessions = 1000000;
  const GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_INT, &sessions, "Sessions in the database (1000000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || sessions < 1)
    bench_fail ("--sessions: a number of sessions, at least 1");
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
  bench.floor_sql = make_floor_sql ();
  bench.store = meso_store_open_existing (bench.path, &error);
  if (bench.store == NULL)
    bench_fail ("%s: %s", bench.path, error->message);

  bench_run_interleaved (&options, run_list, run_floor, &bench, list_ms, list_floor_ms);
  run_pages (&options, &bench, page_ms, page_floor_ms);

  label = sessions == 1000000 ? g_strdup ("1m") : g_strdup_printf ("%d", sessions);
  name = g_strconcat ("history-list-first-rows-", label, NULL);
  bench_report_full (name, list_ms, list_floor_ms, BENCH_AIM, NULL);
  g_free (name);
  name = g_strconcat ("history-open-", label, NULL);
  bench_report_full (name, page_ms, page_floor_ms, BENCH_AIM, NULL);

  g_clear_object (&bench.store);
  g_free (bench.path);
  g_free (bench.floor_sql);
  return EXIT_SUCCESS;
}
