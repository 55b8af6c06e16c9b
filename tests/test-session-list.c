/* test-session-list.c: MesoSessionList, the list model over a query: counted first, its
 * rows read a page at a time when asked for, refreshed when others write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-session-list.h"
#include "meso-store.h"
#include "meso-test-util.h"

/* The known database: sessions over days from 2025-03-01 (one a day at 10:00 UTC)
 * (or hours) whose patient, practitioner, area, indication, lot and reaction each cycle with a
 * period of their own, so every filter's answer can be counted by hand. */
static const char * const patients[] = { "Zoë Ölund", "José Núñez", "Anne Dupont", "Bo Li" };
static const char * const practitioners[] = { "Dr Léa Martin", "Nurse Tom", "Dr Ama Owusu" };
static const MesoArea areas[] = { MESO_AREA_SCALP, MESO_AREA_FACE | MESO_AREA_NECK,
                                  MESO_AREA_THIGHS, MESO_AREA_ABDOMEN, MESO_AREA_ARMS };
static const char * const indications[] = { "hair-loss", "skin-rejuvenation", "cellulite" };
static const char * const products[] = { "Vitamin C", "Biotin" };
static const char * const lots[] = { "A1", "B2" };

#define SMALL 60
#define LARGE 10000

typedef struct
{
  MesoTestDir *dir;
  MesoStore   *store;
} Fixture;

/* A day apart; an hour apart in the large database, which would otherwise reach into
 * the future. */
static MesoSession *
known_session (guint i,
               guint n)
{
  MesoSession *session = meso_test_session_new (patients[i % 4], areas[i % 5], 10 + i % 500,
                                                5 + i % 7);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2025, 3, 1, 10, 0, 0);
  g_autoptr(GDateTime) day = g_date_time_add_minutes (start,
                                                      (int) i * (n > SMALL ? 60 : 24 * 60));
  g_autoptr(GError) error = NULL;

  meso_session_set_performed_at (session, day);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER,
                                              practitioners[i % 3], &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INDICATION,
                                              indications[i % 3], &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRODUCT, products[i % 2 == 0 && i % 4 == 0],
                                              &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, lots[i % 2], &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_REACTIONS,
                                              i % 6 == 0 ? "redness,bruising" : "none", &error));
  g_assert_no_error (error);
  return session;
}

/* @n sessions in one transaction; then session 2 amended and session 3 voided. */
static void
fixture_set_up (Fixture *fixture,
                guint    n)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MesoSession) amended = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = meso_test_dir_new ();
  fixture->store = meso_test_open_store (fixture->dir->db);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sessions, known_session (i, n));
  meso_store_save_sessions (fixture->store, sessions, "test", &error);
  g_assert_no_error (error);

  amended = meso_store_get_session (fixture->store, 2, &error);
  g_assert_no_error (error);
  g_assert_true (meso_session_set_field_text (amended, MESO_FIELD_LOT, "C3", &error));
  g_assert_true (meso_store_amend_session (fixture->store, amended, "wrong lot", &error));
  g_assert_true (meso_store_void_session (fixture->store, 3, "entered twice", &error));
  g_assert_no_error (error);
}

static void
fixture_set_up_small (Fixture       *fixture,
                      gconstpointer  data)
{
  fixture_set_up (fixture, SMALL);
}

static void
fixture_set_up_large (Fixture       *fixture,
                      gconstpointer  data)
{
  fixture_set_up (fixture, LARGE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_drop_store (&fixture->store);
  meso_test_dir_free (fixture->dir);
}

/* ---- Waiting ---- */

typedef struct
{
  MesoSessionList *list;
  gint64           count;
} CountWait;

static gboolean
has_count (gpointer data)
{
  CountWait *wait = data;

  return meso_session_list_get_count (wait->list) == wait->count
         && g_list_model_get_n_items (G_LIST_MODEL (wait->list)) == (guint) wait->count;
}

static void
wait_for_count (MesoSessionList *list,
                gint64           count)
{
  CountWait wait = { list, count };

  meso_test_wait_for (has_count, &wait, "the list's count");
}

static gboolean
is_filled (gpointer data)
{
  return meso_session_item_get_session (data) != NULL;
}

static gboolean
is_idle (gpointer data)
{
  return !meso_session_list_get_loading (data);
}

/* Every item, filled: their ids in the list's order. */
static GArray *
read_all_ids (MesoSessionList *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (list), i));
  for (guint i = 0; i < n; i++)
    {
      MesoSessionItem *item = g_ptr_array_index (items, i);
      gint64 id;

      meso_test_wait_for (is_filled, item, "an item's row");
      g_assert_cmpuint (meso_session_item_get_position (item), ==, i);
      id = meso_session_item_get_id (item);
      g_array_append_val (ids, id);
    }
  return ids;
}

static GArray *
query_ids (MesoStore        *store,
           MesoSessionQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = meso_store_query (store, query, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      gint64 id = meso_session_get_id (g_ptr_array_index (rows, i));

      g_array_append_val (ids, id);
    }
  return ids;
}

static void
assert_ids_equal (GArray *a,
                  GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

/* ---- On demand ---- */

/* Counted first with no row read; asking for item 5000 of 10000 reads its page alone,
 * and the placeholder handed out fills in with the right session. */
static void
test_on_demand (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MesoSessionList) list = meso_session_list_new (fixture->store, NULL);
  g_autoptr(MesoSessionItem) item = NULL;
  g_autoptr(MesoSessionItem) same_page = NULL;
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_session_list_get_loading (list));
  g_assert_cmpint (meso_session_list_get_count (list), ==, -1);
  wait_for_count (list, LARGE);
  meso_test_wait_for (is_idle, list, "the list to be idle");
  g_assert_cmpuint (meso_session_list_get_rows_read (list), ==, 0);

  item = g_list_model_get_item (G_LIST_MODEL (list), 5000);
  g_assert_nonnull (item);
  g_assert_null (meso_session_item_get_session (item));
  g_assert_true (meso_session_list_get_loading (list));
  meso_test_wait_for (is_filled, item, "item 5000's row");
  meso_test_wait_for (is_idle, list, "the list to be idle");
  g_assert_cmpuint (meso_session_list_get_rows_read (list), ==, MESO_SESSION_LIST_PAGE_SIZE);

  /* Newest first: the 5001st newest. */
  meso_session_query_set_range (query, 5000, 1);
  expected = meso_store_query (fixture->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (meso_session_item_get_id (item), ==,
                   meso_session_get_id (g_ptr_array_index (expected, 0)));

  /* The rest of its page came with it; nothing more is read. */
  same_page = g_list_model_get_item (G_LIST_MODEL (list), 5001);
  g_assert_nonnull (meso_session_item_get_session (same_page));
  g_assert_cmpuint (meso_session_list_get_rows_read (list), ==, MESO_SESSION_LIST_PAGE_SIZE);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), LARGE));
  g_assert_false (meso_session_list_get_loading (list));
}

/* A few pages are kept: going back to a page dropped reads it again, one kept does
 * not. */
static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MesoSessionList) list = meso_session_list_new (fixture->store, NULL);
  guint page = MESO_SESSION_LIST_PAGE_SIZE;

  wait_for_count (list, LARGE);
  for (guint i = 0; i <= MESO_SESSION_LIST_CACHED_PAGES; i++)
    {
      g_autoptr(MesoSessionItem) item = g_list_model_get_item (G_LIST_MODEL (list), i * page);

      meso_test_wait_for (is_filled, item, "a page's row");
    }
  g_assert_cmpuint (meso_session_list_get_rows_read (list), ==,
                    (MESO_SESSION_LIST_CACHED_PAGES + 1) * page);

  /* The last page asked for is kept; the first, least recently asked for, is not. */
  g_object_unref (g_list_model_get_item (G_LIST_MODEL (list),
                                         MESO_SESSION_LIST_CACHED_PAGES * page));
  g_assert_cmpuint (meso_session_list_get_rows_read (list), ==,
                    (MESO_SESSION_LIST_CACHED_PAGES + 1) * page);
  {
    g_autoptr(MesoSessionItem) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_null (meso_session_item_get_session (first));
    meso_test_wait_for (is_filled, first, "the first page again");
  }
  g_assert_cmpuint (meso_session_list_get_rows_read (list), ==,
                    (MESO_SESSION_LIST_CACHED_PAGES + 2) * page);
}

/* ---- Filters and sort, against the known database ---- */

typedef void (*QuerySetUp) (MesoSessionQuery *query);

typedef struct
{
  const char *path;
  QuerySetUp  set_up;
  gint64      count;
} FilterCase;

static void q_all (MesoSessionQuery *q) { }
static void q_march (MesoSessionQuery *q) { g_assert_true (meso_session_query_set_days (q, "2025-03-01", "2025-03-31", NULL)); }
static void q_patient (MesoSessionQuery *q) { meso_session_query_set_patient_text (q, "nunez"); }
static void q_practitioner (MesoSessionQuery *q) { meso_session_query_set_practitioner (q, "Nurse Tom"); }
static void q_areas (MesoSessionQuery *q) { meso_session_query_set_areas (q, MESO_AREA_NECK | MESO_AREA_ARMS); }
static void q_indication (MesoSessionQuery *q) { meso_session_query_set_indication (q, "cellulite"); }
static void q_product (MesoSessionQuery *q) { meso_session_query_set_product (q, "Biotin"); }
static void q_lot (MesoSessionQuery *q) { meso_session_query_set_lot (q, "A1"); }
static void q_reactions (MesoSessionQuery *q) { meso_session_query_set_reactions (q, MESO_REACTION_BRUISING); }
static void q_amended (MesoSessionQuery *q) { meso_session_query_set_status (q, MESO_SESSION_STATUS_AMENDED); }
static void q_voided (MesoSessionQuery *q) { meso_session_query_set_status (q, MESO_SESSION_STATUS_VOIDED); }
static void q_active (MesoSessionQuery *q) { meso_session_query_set_status (q, MESO_SESSION_STATUS_ACTIVE); }

static void
q_combined (MesoSessionQuery *q)
{
  /* Nurse Tom (i % 3 == 1) and lot A1 (even i): i % 6 == 4, ten of sixty. */
  meso_session_query_set_practitioner (q, "Nurse Tom");
  meso_session_query_set_lot (q, "A1");
}

/* Counts by hand, i from 0 to 59: session i + 1 is the i-th made. */
static const FilterCase filter_cases[] = {
  { "all", q_all, SMALL },
  { "period", q_march, 31 },
  { "patient", q_patient, 15 },           /* i % 4 == 1 */
  { "practitioner", q_practitioner, 20 }, /* i % 3 == 1 */
  { "areas", q_areas, 24 },               /* i % 5 in 1, 4 */
  { "indication", q_indication, 20 },     /* i % 3 == 2 */
  { "product", q_product, 15 },           /* i % 4 == 0 */
  { "lot", q_lot, 30 },                   /* even i (session 2, amended to C3, is odd) */
  { "reactions", q_reactions, 10 },       /* i % 6 == 0 */
  { "status-amended", q_amended, 1 },
  { "status-voided", q_voided, 1 },
  { "status-active", q_active, SMALL - 2 },
  { "combined", q_combined, 10 },
};

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  const FilterCase *filter = data;
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(MesoSessionList) list = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) expected = NULL;

  filter->set_up (query);
  list = meso_session_list_new (fixture->store, query);
  wait_for_count (list, filter->count);
  ids = read_all_ids (list);
  expected = query_ids (fixture->store, query);
  assert_ids_equal (ids, expected);
}

typedef struct
{
  const char      *path;
  MesoSessionSort  sort;
  gboolean         descending;
} SortCase;

static const SortCase sort_cases[] = {
  { "date-ascending", MESO_SESSION_SORT_DATE, FALSE },
  { "patient", MESO_SESSION_SORT_PATIENT, FALSE },
  { "practitioner-descending", MESO_SESSION_SORT_PRACTITIONER, TRUE },
  { "areas", MESO_SESSION_SORT_AREAS, FALSE },
  { "indication", MESO_SESSION_SORT_INDICATION, FALSE },
  { "product", MESO_SESSION_SORT_PRODUCT, FALSE },
  { "lot", MESO_SESSION_SORT_LOT, TRUE },
  { "injections", MESO_SESSION_SORT_INJECTIONS, TRUE },
  { "duration", MESO_SESSION_SORT_DURATION, FALSE },
  { "status", MESO_SESSION_SORT_STATUS, FALSE },
};

/* The list is in the store's order, whichever the sort; for the numbers, the order is
 * checked on the values themselves. */
static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  const SortCase *sort = data;
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(MesoSessionList) list = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) expected = NULL;

  meso_session_query_set_sort (query, sort->sort, sort->descending);
  list = meso_session_list_new (fixture->store, query);
  wait_for_count (list, SMALL);
  ids = read_all_ids (list);
  expected = query_ids (fixture->store, query);
  assert_ids_equal (ids, expected);

  for (guint i = 1; i < SMALL; i++)
    {
      g_autoptr(MesoSessionItem) a = g_list_model_get_item (G_LIST_MODEL (list), i - 1);
      g_autoptr(MesoSessionItem) b = g_list_model_get_item (G_LIST_MODEL (list), i);
      MesoSession *sa = meso_session_item_get_session (a);
      MesoSession *sb = meso_session_item_get_session (b);
      int order = 0;

      if (sort->sort == MESO_SESSION_SORT_INJECTIONS)
        order = (int) meso_session_get_injections (sa) - (int) meso_session_get_injections (sb);
      else if (sort->sort == MESO_SESSION_SORT_DURATION)
        order = (int) meso_session_get_duration (sa) - (int) meso_session_get_duration (sb);
      else if (sort->sort == MESO_SESSION_SORT_DATE)
        order = g_date_time_compare (meso_session_get_performed_at (sa),
                                     meso_session_get_performed_at (sb));
      if (sort->descending)
        g_assert_cmpint (order, >=, 0);
      else
        g_assert_cmpint (order, <=, 0);
    }
}

/* ---- Changes ---- */

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   i,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change;

  g_assert_cmpuint (changes->len, >, i);
  change = &g_array_index (changes, Change, i);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

/* A new query empties the list at once, then fills it with the new count; a query
 * replaced before its answer never shows. */
static void
test_query_change (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MesoSessionList) list = meso_session_list_new (fixture->store, NULL);
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) expected = NULL;

  wait_for_count (list, SMALL);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  meso_session_query_set_indication (query, "cellulite");
  meso_session_list_set_query (list, query);
  assert_change (changes, 0, 0, SMALL, 0);
  g_assert_cmpint (meso_session_list_get_count (list), ==, -1);
  g_assert_true (meso_session_list_get_loading (list));

  /* Changed again before the store answered: only the last one counts. */
  meso_session_query_set_indication (query, NULL);
  meso_session_query_set_practitioner (query, "Nurse Tom");
  meso_session_query_set_sort (query, MESO_SESSION_SORT_PATIENT, FALSE);
  meso_session_list_set_query (list, query);
  /* What is handed over is copied. */
  meso_session_query_set_practitioner (query, "Nobody");
  wait_for_count (list, 20);
  meso_test_wait_for (is_idle, list, "the list to be idle");
  g_assert_cmpuint (changes->len, ==, 2);
  assert_change (changes, 1, 0, 0, 20);

  /* The same question again: nothing is emptied, nothing asked. */
  meso_session_query_set_practitioner (query, "Nurse Tom");
  meso_session_list_set_query (list, query);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_false (meso_session_list_get_loading (list));
  ids = read_all_ids (list);
  expected = query_ids (fixture->store, query);
  assert_ids_equal (ids, expected);
}

/* Another process records a session: the list counts again and reads the rows on
 * screen again, in place; the new one shows first. */
static void
test_changed_by_other_process (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(MesoSessionList) list = meso_session_list_new (fixture->store, NULL);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(MesoSessionItem) first = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  const char *record[] = { "record", "--patient=Bea Jones", "--area=face", "--injections=10",
                           "--duration=10", NULL };
  gint64 old_first;

  wait_for_count (list, SMALL);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  meso_test_wait_for (is_filled, first, "the first row");
  old_first = meso_session_item_get_id (first);
  g_signal_connect (list, "items-changed", G_CALLBACK (on_items_changed_cb), changes);

  launcher = meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  cli = meso_test_spawn_cli (launcher, fixture->dir->db, record);
  g_assert_true (g_subprocess_wait_check (cli, NULL, &error));
  g_assert_no_error (error);

  wait_for_count (list, SMALL + 1);
  assert_change (changes, 0, SMALL, 0, 1);
  meso_test_wait_for (is_idle, list, "the list to be idle");
  /* The same item, its content now the newest session (today's, after 2025's). */
  g_assert_cmpstr (meso_session_get_patient_name (meso_session_item_get_session (first)), ==,
                   "Bea Jones");
  g_assert_cmpint (meso_session_item_get_id (first), !=, old_first);
  {
    g_autoptr(MesoSessionItem) second = g_list_model_get_item (G_LIST_MODEL (list), 1);

    meso_test_wait_for (is_filled, second, "the second row");
    g_assert_cmpint (meso_session_item_get_id (second), ==, old_first);
  }
}

/* A list let go with reads in flight goes at once; the answers that come later find
 * nothing to fill. */
static void
test_dispose_cancels (Fixture       *fixture,
                      gconstpointer  data)
{
  MesoSessionList *list = meso_session_list_new (fixture->store, NULL);
  g_autoptr(MesoSessionItem) item = NULL;
  g_autoptr(MesoSessionList) other = NULL;

  wait_for_count (list, SMALL);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (meso_session_list_get_loading (list));
  g_assert_finalize_object (list);

  /* The store still answers the next one, in order, behind the cancelled read. */
  other = meso_session_list_new (fixture->store, NULL);
  wait_for_count (other, SMALL);
  g_assert_null (meso_session_item_get_session (item));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, size, data) \
  g_test_add (path, Fixture, data, fixture_set_up_##size, func, fixture_tear_down)

  ADD ("/session-list/on-demand", test_on_demand, large, NULL);
  ADD ("/session-list/cache", test_cache, large, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (filter_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/session-list/filter/", filter_cases[i].path, NULL);

      ADD (path, test_filter, small, &filter_cases[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (sort_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/session-list/sort/", sort_cases[i].path, NULL);

      ADD (path, test_sort, small, &sort_cases[i]);
    }
  ADD ("/session-list/query-change", test_query_change, small, NULL);
  ADD ("/session-list/changed-by-other-process", test_changed_by_other_process, small, NULL);
  ADD ("/session-list/dispose-cancels", test_dispose_cancels, small, NULL);

#undef ADD
  return g_test_run ();
}
