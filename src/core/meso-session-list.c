/* meso-session-list.c
 *
 * A list of a million sessions cannot be read whole, nor sorted in memory: the list
 * asks the store how many sessions match, reports that many items at once, and reads
 * a page of rows (MESO_SESSION_LIST_PAGE_SIZE) only when one of its items is asked
 * for. Until then the items of the page are placeholders (MesoSessionItem with no
 * session), which fill in through notify::session, as GtkDirectoryList's files do:
 * scrolling never waits and never jumps. A few pages are kept, the least recently
 * asked for dropped first.
 *
 * Every read goes through the store's asynchronous calls, on its worker thread; a new
 * query cancels what the old one still had in flight. When another process or
 * workstation writes (MesoStore::changed), the count is asked again and the pages
 * kept are read again in place: the items keep their places, so what is on screen
 * stays where it is and only changes its content.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include "meso-session-list.h"

/* One page of items, shared with the request reading it: a page dropped from the
 * cache while its rows are on their way still fills the items a view holds. */
typedef struct
{
  guint      index;
  GPtrArray *items;     /* of MesoSessionItem */
  guint64    used;      /* when an item of it was last asked for */
  gboolean   stale;     /* read before a change made elsewhere: to be read again */
} Page;

struct _MesoSessionList
{
  GObject           parent_instance;

  MesoStore        *store;
  MesoSessionQuery *query;
  GCancellable     *cancellable;  /* of the requests for the current state */
  GHashTable       *pages;        /* page index → Page */
  guint64           clock;        /* ticks at each get_item, for the LRU */
  guint             n_items;
  gint64            count;        /* -1 until known */
  guint             pending;      /* requests in flight, cancelled ones included */
  guint64           rows_read;
  gulong            changed_id;
  gboolean          constructed;
};

static void meso_session_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MesoSessionList, meso_session_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      meso_session_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_COUNT,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Pages ---- */

static void
page_clear (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
}

static void
page_unref (gpointer data)
{
  g_rc_box_release_full (data, page_clear);
}

/* The items of @page from its first position up to the end of the list, at most a
 * page: added as placeholders, or taken away. */
static void
page_fit (Page  *page,
          guint  n_items)
{
  guint first = page->index * MESO_SESSION_LIST_PAGE_SIZE;
  guint size = MIN (MESO_SESSION_LIST_PAGE_SIZE, n_items - first);

  if (page->items->len > size)
    g_ptr_array_set_size (page->items, size);
  while (page->items->len < size)
    g_ptr_array_add (page->items, meso_session_item_new (first + page->items->len));
}

/* ---- Requests ---- */

typedef struct
{
  GWeakRef      list;
  GCancellable *cancellable;
  Page         *page;         /* NULL for the count */
} Request;

static Request *
request_new (MesoSessionList *self,
             Page            *page)
{
  Request *request = g_new0 (Request, 1);

  g_weak_ref_init (&request->list, self);
  request->cancellable = g_object_ref (self->cancellable);
  request->page = page != NULL ? g_rc_box_acquire (page) : NULL;
  return request;
}

static void
request_free (Request *request)
{
  g_weak_ref_clear (&request->list);
  g_object_unref (request->cancellable);
  g_clear_pointer (&request->page, page_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
set_pending (MesoSessionList *self,
             guint            pending)
{
  gboolean was_loading = self->pending > 0;

  self->pending = pending;
  if (was_loading != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* The list a request was made for, if it is still there (its pending count then
 * lowered), and the request still of its current state. */
static MesoSessionList *
take_answer (Request *request)
{
  MesoSessionList *self = g_weak_ref_get (&request->list);

  if (self == NULL)
    return NULL;
  set_pending (self, self->pending - 1);
  if (g_cancellable_is_cancelled (request->cancellable))
    g_clear_object (&self);
  return self;
}

static void
on_page_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = meso_store_query_finish (MESO_STORE (source), result, &error);
  g_autoptr(MesoSessionList) self = take_answer (request);
  GPtrArray *items = request->page->items;

  if (self == NULL)
    return;
  if (rows == NULL)
    {
      /* The items stay empty; the next change or query reads them again. */
      g_debug ("A page of sessions could not be read: %s", error->message);
      request->page->stale = TRUE;
      return;
    }
  self->rows_read += rows->len;
  /* Fewer rows than items when sessions were voided away meanwhile: the count that
   * the change brings takes those places away. */
  for (guint i = 0; i < items->len; i++)
    meso_session_item_set_session (g_ptr_array_index (items, i),
                                   i < rows->len ? g_ptr_array_index (rows, i) : NULL);
}

static void
read_page (MesoSessionList *self,
           Page            *page)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_copy (self->query);

  page->stale = FALSE;
  meso_session_query_set_range (query, page->index * MESO_SESSION_LIST_PAGE_SIZE,
                                MESO_SESSION_LIST_PAGE_SIZE);
  set_pending (self, self->pending + 1);
  meso_store_query_async (self->store, query, self->cancellable, on_page_read_cb,
                          request_new (self, page));
}

/* The least recently asked for pages go, all but @keep. */
static void
trim_cache (MesoSessionList *self,
            Page            *keep)
{
  while (g_hash_table_size (self->pages) > MESO_SESSION_LIST_CACHED_PAGES)
    {
      GHashTableIter iter;
      Page *page, *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        if (page != keep && (oldest == NULL || page->used < oldest->used))
          oldest = page;
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest->index));
    }
}

static Page *
get_page (MesoSessionList *self,
          guint            index)
{
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));

  if (page == NULL)
    {
      page = g_rc_box_new0 (Page);
      page->index = index;
      page->items = g_ptr_array_new_with_free_func (g_object_unref);
      page_fit (page, self->n_items);
      g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);
      read_page (self, page);
    }
  page->used = ++self->clock;
  trim_cache (self, page);
  return page;
}

/* ---- The count ---- */

static void
set_n_items (MesoSessionList *self,
             guint            n_items)
{
  guint old = self->n_items;
  GHashTableIter iter;
  Page *page;

  if (n_items == old)
    return;
  self->n_items = n_items;
  /* The items kept keep their places: only the end of the list changes. */
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    if (page->index * MESO_SESSION_LIST_PAGE_SIZE >= n_items)
      g_hash_table_iter_remove (&iter);
    else
      page_fit (page, n_items);
  if (n_items > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n_items - old);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), n_items, old - n_items, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
read_stale_pages (MesoSessionList *self)
{
  GHashTableIter iter;
  Page *page;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    if (page->stale)
      read_page (self, page);
}

static void
on_counted_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;
  gint64 count = meso_store_count_matching_finish (MESO_STORE (source), result, &error);
  g_autoptr(MesoSessionList) self = take_answer (request);

  if (self == NULL)
    return;
  if (count < 0)
    {
      g_debug ("The sessions could not be counted: %s", error->message);
      return;
    }
  set_n_items (self, (guint) MIN (count, G_MAXUINT));
  read_stale_pages (self);
  if (count != self->count)
    {
      self->count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
}

/* Whatever was in flight answers a question no longer asked. */
static void
restart (MesoSessionList *self)
{
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
count (MesoSessionList *self)
{
  set_pending (self, self->pending + 1);
  meso_store_count_matching_async (self->store, self->query, self->cancellable,
                                   on_counted_cb, request_new (self, NULL));
}

/**
 * meso_session_list_refresh:
 * @self: a #MesoSessionList
 *
 * Counts again and reads the pages kept again, in place. The list does so by itself
 * when another connection writes; call this after a write of this process's own.
 */
void
meso_session_list_refresh (MesoSessionList *self)
{
  GHashTableIter iter;
  Page *page;

  g_return_if_fail (MESO_IS_SESSION_LIST (self));

  restart (self);
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
    page->stale = TRUE;
  count (self);
}

static void
on_store_changed_cb (MesoStore       *store,
                     MesoSessionList *self)
{
  meso_session_list_refresh (self);
}

/* ---- GListModel ---- */

static GType
meso_session_list_get_item_type (GListModel *model)
{
  return MESO_TYPE_SESSION_ITEM;
}

static guint
meso_session_list_get_n_items (GListModel *model)
{
  return MESO_SESSION_LIST (model)->n_items;
}

static gpointer
meso_session_list_get_item (GListModel *model,
                            guint       position)
{
  MesoSessionList *self = MESO_SESSION_LIST (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;
  page = get_page (self, position / MESO_SESSION_LIST_PAGE_SIZE);
  return g_object_ref (g_ptr_array_index (page->items,
                                          position % MESO_SESSION_LIST_PAGE_SIZE));
}

static void
meso_session_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = meso_session_list_get_item_type;
  iface->get_n_items = meso_session_list_get_n_items;
  iface->get_item = meso_session_list_get_item;
}

/* ---- GObject ---- */

static void
meso_session_list_constructed (GObject *object)
{
  MesoSessionList *self = MESO_SESSION_LIST (object);

  G_OBJECT_CLASS (meso_session_list_parent_class)->constructed (object);

  g_return_if_fail (MESO_IS_STORE (self->store));
  if (self->query == NULL)
    self->query = meso_session_query_new ();
  /* Watched before the first read: a write after it is either read or signalled. */
  self->changed_id = g_signal_connect (self->store, "changed",
                                       G_CALLBACK (on_store_changed_cb), self);
  meso_store_watch_changes (self->store, TRUE);
  self->constructed = TRUE;
  count (self);
}

static void
meso_session_list_dispose (GObject *object)
{
  MesoSessionList *self = MESO_SESSION_LIST (object);

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->changed_id, self->store);
      meso_store_watch_changes (self->store, FALSE);
      g_clear_object (&self->store);
    }
  g_hash_table_remove_all (self->pages);
  G_OBJECT_CLASS (meso_session_list_parent_class)->dispose (object);
}

static void
meso_session_list_finalize (GObject *object)
{
  MesoSessionList *self = MESO_SESSION_LIST (object);

  g_clear_object (&self->query);
  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->pages);
  G_OBJECT_CLASS (meso_session_list_parent_class)->finalize (object);
}

static void
meso_session_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoSessionList *self = MESO_SESSION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_object (value, self->query);
      break;
    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoSessionList *self = MESO_SESSION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      if (!self->constructed)
        {
          MesoSessionQuery *query = g_value_get_object (value);

          self->query = query != NULL ? meso_session_query_copy (query) : NULL;
        }
      else
        meso_session_list_set_query (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_list_class_init (MesoSessionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = meso_session_list_constructed;
  object_class->dispose = meso_session_list_dispose;
  object_class->finalize = meso_session_list_finalize;
  object_class->get_property = meso_session_list_get_property;
  object_class->set_property = meso_session_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Copied when set: changing a query after handing it over changes nothing. */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, MESO_TYPE_SESSION_QUERY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  /* How many sessions match; -1 until the store has said. */
  properties[PROP_COUNT] =
    g_param_spec_int64 ("count", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* While a count or a page is on its way: for a spinner. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_session_list_init (MesoSessionList *self)
{
  self->count = -1;
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_unref);
}

/**
 * meso_session_list_new:
 * @store: where the sessions are
 * @query: (nullable): which, in which order (its range is ignored); copied.
 *   %NULL: every session, newest first
 *
 * Returns: (transfer full): a list that counts at once and reads its rows as they are
 *   asked for. Call from the thread whose main context is to get its signals.
 */
MesoSessionList *
meso_session_list_new (MesoStore        *store,
                       MesoSessionQuery *query)
{
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (query == NULL || MESO_IS_SESSION_QUERY (query), NULL);

  return g_object_new (MESO_TYPE_SESSION_LIST, "store", store, "query", query, NULL);
}

MesoStore *
meso_session_list_get_store (MesoSessionList *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_LIST (self), NULL);
  return self->store;
}

/**
 * meso_session_list_get_query:
 * @self: a #MesoSessionList
 *
 * Returns: (transfer none): the list's own query: copy it to change it, then hand the
 *   copy to meso_session_list_set_query().
 */
MesoSessionQuery *
meso_session_list_get_query (MesoSessionList *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_LIST (self), NULL);
  return self->query;
}

/**
 * meso_session_list_set_query:
 * @self: a #MesoSessionList
 * @query: which sessions now, in which order; copied
 *
 * Empties the list at once (what was on its way is cancelled), then fills it with the
 * new count. The same question again changes nothing.
 */
void
meso_session_list_set_query (MesoSessionList  *self,
                             MesoSessionQuery *query)
{
  guint old;

  g_return_if_fail (MESO_IS_SESSION_LIST (self));
  g_return_if_fail (MESO_IS_SESSION_QUERY (query));

  if (meso_session_query_equal (query, self->query))
    return;
  g_clear_object (&self->query);
  self->query = meso_session_query_copy (query);
  restart (self);
  g_hash_table_remove_all (self->pages);
  old = self->n_items;
  self->n_items = 0;
  self->count = -1;
  if (old > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
  count (self);
}

gint64
meso_session_list_get_count (MesoSessionList *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_LIST (self), -1);
  return self->count;
}

gboolean
meso_session_list_get_loading (MesoSessionList *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_LIST (self), FALSE);
  return self->pending > 0;
}

/* How many rows the list has read from the store since it was made: for tests and
 * benchmarks, which check that a list reads only what is looked at. */
guint64
meso_session_list_get_rows_read (MesoSessionList *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_LIST (self), 0);
  return self->rows_read;
}
