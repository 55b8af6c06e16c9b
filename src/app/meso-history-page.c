/* meso-history-page.c
 *
 * Every session, in a GtkColumnView over MesoSessionList: the list counts first and
 * reads its rows a page at a time as they scroll into view, so a million sessions
 * open as quickly as a hundred. The filters and the sort make one MesoSessionQuery:
 * the store filters and sorts (never the page: nothing is sorted in memory). GTK 4.8
 * has no public API for the column view's sort column (GtkColumnViewSorter's getters
 * are 4.10), so each column's sorter is a probe that only says which column it is.
 *
 * Narrow (a tablet held upright), the table gives way to rows of two lines: an
 * AdwSqueezer shows the table only when all its columns fit.
 *
 * The page is the window's to place: it takes the store, emits `open-session` with a
 * session's id when a row is activated (Enter, or a double click), and carries its own
 * actions (history.search on Ctrl+F, history.export, history.export-to,
 * history.clear-filters).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-export.h"
#include "meso-field.h"
#include "meso-history-page.h"
#include "meso-practitioner.h"

/* The columns, in the template's order, and the store's sort for each. */
typedef enum
{
  COLUMN_DATE,
  COLUMN_PATIENT,
  COLUMN_PRACTITIONER,
  COLUMN_AREAS,
  COLUMN_INDICATION,
  COLUMN_PRODUCT,
  COLUMN_INJECTIONS,
  COLUMN_DURATION,
  COLUMN_STATUS,
  N_COLUMNS,
  COLUMN_ROW = N_COLUMNS,  /* the two lines of a narrow row */
} Column;

static const MesoSessionSort column_sorts[N_COLUMNS] = {
  MESO_SESSION_SORT_DATE, MESO_SESSION_SORT_PATIENT, MESO_SESSION_SORT_PRACTITIONER,
  MESO_SESSION_SORT_AREAS, MESO_SESSION_SORT_INDICATION, MESO_SESSION_SORT_PRODUCT,
  MESO_SESSION_SORT_INJECTIONS, MESO_SESSION_SORT_DURATION, MESO_SESSION_SORT_STATUS,
};

/* The ids of the choices, after "any" in each drop-down. */
static const char * const indication_ids[] = {
  "hair-loss", "skin-rejuvenation", "fat-reduction", "cellulite", "other",
};
static const MesoReaction reaction_flags[] = {
  MESO_REACTION_NONE, MESO_REACTION_REDNESS, MESO_REACTION_SWELLING, MESO_REACTION_BRUISING,
  MESO_REACTION_BLEEDING, MESO_REACTION_PAIN, MESO_REACTION_OTHER,
};

struct _MesoHistoryPage
{
  AdwBin              parent_instance;

  MesoStore          *store;
  MesoSessionList    *list;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;    /* the practitioners' loading, the export */
  int                 probed_column;  /* set by the column sorters' probe */
  gboolean            exporting;
  gboolean            frozen;         /* controls being reset: one query at the end */
  guint               view_idle;

  GtkDropDown        *area_dropdown;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;
  GtkWidget          *export_button;
  GtkFlowBox         *filters_box;
  GtkToggleButton    *filters_button;
  GtkEntry           *from_entry;
  GtkDropDown        *indication_dropdown;
  GtkEntry           *lot_entry;
  GtkDropDown        *period_dropdown;
  GtkDropDown        *practitioner_dropdown;
  GtkStringList      *practitioner_names;
  GtkEntry           *product_entry;
  GtkDropDown        *reactions_dropdown;
  GtkListView        *rows_view;
  GtkSearchEntry     *search_entry;
  GtkSpinner         *spinner;
  GtkDropDown        *status_dropdown;
  GtkWidget          *table_scroller;
  GtkEntry           *to_entry;
  AdwToastOverlay    *toast_overlay;
  AdwSqueezer        *views_squeezer;
};

G_DEFINE_FINAL_TYPE (MesoHistoryPage, meso_history_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  PROP_EXPORTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPEN_SESSION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- What a cell says ---- */

static const char *
status_label (MesoSession *session)
{
  switch (meso_session_get_status (session))
    {
    case MESO_SESSION_STATUS_AMENDED: return _("Amended");
    case MESO_SESSION_STATUS_VOIDED: return _("Voided");
    case MESO_SESSION_STATUS_ACTIVE:
    case MESO_SESSION_STATUS_ANY:
    default:
      return "";
    }
}

static char *
product_text (MesoSession *session)
{
  const char *product = meso_session_get_product (session);
  const char *lot = meso_session_get_lot (session);

  if (product != NULL && lot != NULL)
    /* Translators: a product and its lot, in a list of sessions */
    return g_strdup_printf (_("%s, lot %s"), product, lot);
  if (lot != NULL)
    return g_strdup_printf (_("Lot %s"), lot);
  return g_strdup (product != NULL ? product : "");
}

static char *
date_text (MesoSession *session)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (meso_session_get_performed_at (session));

  /* The one form of date no one misreads, as the form takes it. */
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static char *
cell_text (MesoSession *session,
           Column       column)
{
  switch (column)
    {
    case COLUMN_DATE:
      return date_text (session);
    case COLUMN_PATIENT:
      return g_strdup (meso_session_get_patient_name (session));
    case COLUMN_PRACTITIONER:
      return g_strdup (meso_session_get_practitioner (session));
    case COLUMN_AREAS:
      return meso_areas_to_labels (meso_session_get_areas (session));
    case COLUMN_INDICATION:
      return g_strdup (meso_field_get_choice_label (MESO_FIELD_INDICATION,
                                                   meso_session_get_indication (session)));
    case COLUMN_PRODUCT:
      return product_text (session);
    case COLUMN_INJECTIONS:
      return g_strdup_printf ("%u", meso_session_get_injections (session));
    case COLUMN_DURATION:
      return g_strdup_printf (_("%u min"), meso_session_get_duration (session));
    case COLUMN_STATUS:
      return g_strdup (status_label (session));
    case COLUMN_ROW:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The second line of a narrow row: what the columns that do not fit say. */
static char *
row_details (MesoSession *session)
{
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  g_autofree char *areas = cell_text (session, COLUMN_AREAS);
  g_autofree char *product = product_text (session);
  g_autofree char *injections = g_strdup_printf (ngettext ("%u injection", "%u injections",
                                                           meso_session_get_injections (session)),
                                                 meso_session_get_injections (session));
  const char *status = status_label (session);

  g_strv_builder_add (parts, areas);
  if (*product != '\0')
    g_strv_builder_add (parts, product);
  g_strv_builder_add (parts, injections);
  if (*status != '\0')
    g_strv_builder_add (parts, status);
  strv = g_strv_builder_end (parts);
  return g_strjoinv (" · ", strv);
}

/* ---- The cells ---- */

static void
update_cell (GtkListItem *list_item)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "column"));
  MesoSessionItem *item = gtk_list_item_get_item (list_item);
  MesoSession *session = item != NULL ? meso_session_item_get_session (item) : NULL;
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (column != COLUMN_ROW)
    {
      g_autofree char *text = session != NULL ? cell_text (session, column) : NULL;

      /* Never NULL: GTK 4.8 answers a screen reader's request for the text of an
       * inscription holding none with a critical warning. */
      gtk_inscription_set_text (GTK_INSCRIPTION (child), text != NULL ? text : "");
      return;
    }
  {
    GtkWidget *first = gtk_widget_get_first_child (child);
    GtkWidget *second = gtk_widget_get_next_sibling (first);
    g_autofree char *date = session != NULL ? date_text (session) : NULL;
    g_autofree char *title = session != NULL
      ? g_strdup_printf ("%s  %s", date, meso_session_get_patient_name (session))
      : NULL;
    g_autofree char *details = session != NULL ? row_details (session) : NULL;

    gtk_inscription_set_text (GTK_INSCRIPTION (first), title != NULL ? title : "");
    gtk_inscription_set_text (GTK_INSCRIPTION (second), details != NULL ? details : "");
  }
}

/* An inscription, not a label: the list views of GTK 4.8 keep some 200 rows, nine cells
 * each, and a label shapes its whole text to measure itself, where an inscription asks
 * only for a number of characters and shapes the text of the cells drawn. */
static GtkWidget *
new_cell_text (void)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), 12);
  return text;
}

static void
on_setup_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  column)
{
  g_object_set_data (G_OBJECT (list_item), "column", column);
  if (GPOINTER_TO_INT (column) == COLUMN_ROW)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = new_cell_text ();
      GtkWidget *details = new_cell_text ();

      gtk_widget_add_css_class (title, "heading");
      gtk_widget_add_css_class (details, "dim-label");
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), details);
      gtk_list_item_set_child (list_item, box);
    }
  else
    gtk_list_item_set_child (list_item, new_cell_text ());
}

static void
on_item_session_cb (MesoSessionItem *item,
                    GParamSpec      *pspec,
                    GtkListItem     *list_item)
{
  update_cell (list_item);
}

/* A placeholder fills in when its page arrives: the cell follows it until unbound. */
static void
on_bind_cb (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  column)
{
  MesoSessionItem *item = gtk_list_item_get_item (list_item);

  g_signal_connect_object (item, "notify::session", G_CALLBACK (on_item_session_cb),
                           list_item, 0);
  update_cell (list_item);
}

static void
on_unbind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  column)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item),
                                        on_item_session_cb, list_item);
}

static GtkListItemFactory *
new_factory (Column column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_cb), GINT_TO_POINTER (column));
  return factory;
}

/* ---- The sort, read from the column view ---- */

typedef struct
{
  MesoHistoryPage *page;
  Column           column;
} Probe;

/* Never used to sort anything: it tells the page which column the view asks first
 * and, by the sign the view gives back, in which direction. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  Probe *probe = data;

  if (probe->page->probed_column < 0)
    probe->page->probed_column = (int) probe->column;
  return GTK_ORDERING_SMALLER;
}

static void
read_sort (MesoHistoryPage  *self,
           MesoSessionSort  *out_sort,
           gboolean         *out_descending)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  GtkOrdering order;

  self->probed_column = -1;
  /* Two objects, any: the sorter takes the same one twice as equal, asking no one. */
  order = gtk_sorter_compare (sorter, self, self->column_view);
  if (self->probed_column < 0)
    {
      *out_sort = MESO_SESSION_SORT_DATE;
      *out_descending = TRUE;
      return;
    }
  *out_sort = column_sorts[self->probed_column];
  *out_descending = order == GTK_ORDERING_LARGER;
}

static void
set_up_columns (MesoHistoryPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  g_assert (g_list_model_get_n_items (columns) == N_COLUMNS);
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_autoptr(GtkListItemFactory) factory = new_factory ((Column) i);
      Probe *probe = g_new0 (Probe, 1);
      g_autoptr(GtkSorter) sorter = NULL;

      probe->page = self;
      probe->column = (Column) i;
      sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, probe, g_free));
      gtk_column_view_column_set_factory (column, factory);
      gtk_column_view_column_set_sorter (column, sorter);
      if (i == COLUMN_PATIENT)
        gtk_column_view_column_set_expand (column, TRUE);
    }
}

/* ---- Filters ---- */

static void
fill_choices (MesoHistoryPage *self)
{
  g_autoptr(GtkStringList) areas = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) indications = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) reactions = gtk_string_list_new (NULL);
  const char * const *reaction_ids = meso_field_get_choices (MESO_FIELD_REACTIONS);

  gtk_string_list_append (areas, _("Any area"));
  MESO_AREA_FOREACH (area)
    gtk_string_list_append (areas, meso_area_get_label (area));
  gtk_string_list_append (indications, _("Any indication"));
  for (guint i = 0; i < G_N_ELEMENTS (indication_ids); i++)
    gtk_string_list_append (indications,
                            meso_field_get_choice_label (MESO_FIELD_INDICATION,
                                                         indication_ids[i]));
  gtk_string_list_append (reactions, _("Any or none recorded"));
  /* Reaction flag i is 1 << i, its id the core's choice i. */
  for (guint i = 0; i < G_N_ELEMENTS (reaction_flags); i++)
    gtk_string_list_append (reactions,
                            meso_field_get_choice_label (MESO_FIELD_REACTIONS,
                                                         reaction_ids[i]));
  gtk_drop_down_set_model (self->area_dropdown, G_LIST_MODEL (areas));
  gtk_drop_down_set_model (self->indication_dropdown, G_LIST_MODEL (indications));
  gtk_drop_down_set_model (self->reactions_dropdown, G_LIST_MODEL (reactions));
}

static MesoArea
chosen_area (MesoHistoryPage *self)
{
  guint chosen = gtk_drop_down_get_selected (self->area_dropdown);
  guint i = 1;

  MESO_AREA_FOREACH (area)
    if (i++ == chosen)
      return area;
  return MESO_AREA_NONE;
}

static const char *
chosen_text (GtkDropDown *dropdown)
{
  guint chosen = gtk_drop_down_get_selected (dropdown);
  GtkStringObject *string;

  if (chosen == 0 || chosen == GTK_INVALID_LIST_POSITION)
    return NULL;
  string = g_list_model_get_item (gtk_drop_down_get_model (dropdown), chosen);
  g_object_unref (string);  /* the model keeps it */
  return gtk_string_object_get_string (string);
}

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

static const char *
entry_text (GtkEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  return *text != '\0' ? text : NULL;
}

/* The period: the chosen days are checked by the core, which names the field at fault;
 * FALSE leaves the list as it was until they are right. */
static gboolean
set_period (MesoHistoryPage   *self,
            MesoSessionQuery  *query)
{
  guint period = gtk_drop_down_get_selected (self->period_dropdown);
  g_autoptr(GError) error = NULL;
  gboolean chosen_days = period == 4;

  gtk_widget_set_sensitive (GTK_WIDGET (self->from_entry), chosen_days);
  gtk_widget_set_sensitive (GTK_WIDGET (self->to_entry), chosen_days);
  if (!chosen_days)
    {
      mark_error (GTK_WIDGET (self->from_entry), NULL);
      mark_error (GTK_WIDGET (self->to_entry), NULL);
      meso_session_query_set_calendar_period (query, MIN (period, MESO_PERIOD_THIS_MONTH), NULL);
      return TRUE;
    }
  if (!meso_session_query_set_days (query, entry_text (self->from_entry),
                                    entry_text (self->to_entry), &error))
    {
      /* The message starts with the field's name: "From: ..." or "To: ...". */
      gboolean to = g_str_has_prefix (error->message, _("To"));

      mark_error (GTK_WIDGET (to ? self->to_entry : self->from_entry), error);
      mark_error (GTK_WIDGET (to ? self->from_entry : self->to_entry), NULL);
      return FALSE;
    }
  mark_error (GTK_WIDGET (self->from_entry), NULL);
  mark_error (GTK_WIDGET (self->to_entry), NULL);
  return TRUE;
}

static MesoSessionQuery *
build_query (MesoHistoryPage *self)
{
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  guint reaction = gtk_drop_down_get_selected (self->reactions_dropdown);
  guint indication = gtk_drop_down_get_selected (self->indication_dropdown);
  MesoSessionSort sort;
  gboolean descending;

  if (!set_period (self, query))
    return NULL;
  meso_session_query_set_patient_text (query,
                                       gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  meso_session_query_set_practitioner (query, chosen_text (self->practitioner_dropdown));
  meso_session_query_set_areas (query, chosen_area (self));
  if (indication > 0 && indication <= G_N_ELEMENTS (indication_ids))
    meso_session_query_set_indication (query, indication_ids[indication - 1]);
  meso_session_query_set_product (query, entry_text (self->product_entry));
  meso_session_query_set_lot (query, entry_text (self->lot_entry));
  if (reaction > 0 && reaction <= G_N_ELEMENTS (reaction_flags))
    meso_session_query_set_reactions (query, reaction_flags[reaction - 1]);
  meso_session_query_set_status (query, MIN (gtk_drop_down_get_selected (self->status_dropdown),
                                             MESO_SESSION_STATUS_VOIDED));
  read_sort (self, &sort, &descending);
  meso_session_query_set_sort (query, sort, descending);
  return g_steal_pointer (&query);
}

/* Every filter and the sort, at each change: a query replaced cancels the old one's
 * reads, so typing letter by letter costs only the last. */
static void
apply_filters (MesoHistoryPage *self)
{
  g_autoptr(MesoSessionQuery) query = NULL;

  if (self->list == NULL || self->frozen)
    return;
  query = build_query (self);
  if (query != NULL)
    meso_session_list_set_query (self->list, query);
}

static void
on_filter_changed_cb (MesoHistoryPage *self)
{
  apply_filters (self);
}

/* ---- The count ---- */

static void
update_count (MesoHistoryPage *self)
{
  gint64 count = meso_session_list_get_count (self->list);
  g_autofree char *text = NULL;

  if (count < 0)
    text = g_strdup (_("Counting sessions…"));
  else if (count == 0)
    text = g_strdup (_("No sessions match"));
  else
    text = g_strdup_printf (ngettext ("%'lld session", "%'lld sessions", (gulong) count),
                            (long long) count);
  gtk_label_set_text (self->count_label, text);
}

static void
on_count_cb (MesoHistoryPage *self)
{
  update_count (self);
}

/* ---- Practitioners, for their filter ---- */

static void
on_practitioners_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MesoHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practitioners = NULL;
  g_autofree char *chosen = NULL;
  guint n;

  practitioners = meso_store_list_practitioners_finish (MESO_STORE (source), result, &error);
  if (practitioners == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The practitioners could not be read: %s", error->message);
      return;
    }
  chosen = g_strdup (chosen_text (self->practitioner_dropdown));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->practitioner_names));
  g_signal_handlers_block_by_func (self->practitioner_dropdown, on_filter_changed_cb, self);
  gtk_string_list_splice (self->practitioner_names, 1, n - 1, NULL);
  gtk_drop_down_set_selected (self->practitioner_dropdown, 0);
  for (guint i = 0; i < practitioners->len; i++)
    {
      const char *name = meso_practitioner_get_name (g_ptr_array_index (practitioners, i));

      gtk_string_list_append (self->practitioner_names, name);
      if (g_strcmp0 (name, chosen) == 0)
        gtk_drop_down_set_selected (self->practitioner_dropdown, i + 1);
    }
  g_signal_handlers_unblock_by_func (self->practitioner_dropdown, on_filter_changed_cb, self);
  /* A practitioner chosen and no longer listed: the filter goes with them. */
  if (chosen != NULL && g_strcmp0 (chosen, chosen_text (self->practitioner_dropdown)) != 0)
    apply_filters (self);
}

static void
load_practitioners (MesoHistoryPage *self)
{
  meso_store_list_practitioners_async (self->store, FALSE, self->cancellable,
                                       on_practitioners_cb, g_object_ref (self));
}

/* ---- The view shown ---- */

/* Only the view on screen has the model: a list view with a model makes rows for up
 * to 200 items even while hidden, and the table's have nine cells each. */
static gboolean
give_model_to_visible_view (gpointer data)
{
  MesoHistoryPage *self = data;
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  gboolean narrow = meso_history_page_get_narrow (self);

  self->view_idle = 0;
  gtk_column_view_set_model (self->column_view, narrow ? NULL : model);
  gtk_list_view_set_model (self->rows_view, narrow ? model : NULL);
  return G_SOURCE_REMOVE;
}

/* The squeezer chooses while it allocates, when no model can be set: in an idle, after
 * the frame (its first choice made at the first one). */
static void
on_visible_view_cb (MesoHistoryPage *self)
{
  if (self->view_idle == 0)
    self->view_idle = g_idle_add (give_model_to_visible_view, self);
}

/* ---- Opening a session ---- */

static void
on_activate_cb (MesoHistoryPage *self,
                guint            position)
{
  g_autoptr(MesoSessionItem) item = g_list_model_get_item (G_LIST_MODEL (self->list), position);
  gint64 id = item != NULL ? meso_session_item_get_id (item) : 0;

  /* A row still on its way has no session to open yet. */
  if (id > 0)
    g_signal_emit (self, signals[OPEN_SESSION], 0, id);
}

/* ---- Export ---- */

static void
set_exporting (MesoHistoryPage *self,
               gboolean         exporting)
{
  self->exporting = exporting;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export", !exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.export-to", !exporting);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPORTING]);
}

static void
on_exported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(MesoHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint count = 0;

  if (!meso_export_csv_finish (MESO_STORE (source), result, &count, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The sessions could not be exported: %s"), error->message);
    }
  else
    message = g_strdup_printf (ngettext ("%u session exported", "%u sessions exported", count),
                               count);
  set_exporting (self, FALSE);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/**
 * meso_history_page_export_to:
 * @self: a #MesoHistoryPage
 * @file: a local file, replaced when the export is whole
 *
 * Writes the sessions the filters find, in the order shown, as `mesocare-cli export`
 * does, off the main thread; #MesoHistoryPage:exporting is %TRUE meanwhile.
 */
void
meso_history_page_export_to (MesoHistoryPage *self,
                             GFile           *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (MESO_IS_HISTORY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!self->exporting);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Choose a file on this computer")));
      return;
    }
  set_exporting (self, TRUE);
  meso_export_csv_async (self->store, meso_session_list_get_query (self->list), path,
                         self->cancellable, on_exported_cb, g_object_ref (self));
}

static void
on_export_response_cb (GtkNativeDialog *dialog,
                       int              response,
                       MesoHistoryPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && !self->exporting)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      meso_history_page_export_to (self, file);
    }
  g_object_unref (dialog);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Sessions"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                        _("_Cancel"));
  /* Translators: the file name suggested for an export of sessions */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("sessions.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_to_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  meso_history_page_export_to (MESO_HISTORY_PAGE (widget), file);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (MESO_HISTORY_PAGE (widget)->search_entry));
}

static void
clear_filters_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (widget);
  GtkDropDown *dropdowns[] = {
    self->period_dropdown, self->practitioner_dropdown, self->area_dropdown,
    self->indication_dropdown, self->reactions_dropdown, self->status_dropdown,
  };
  GtkEditable *entries[] = {
    GTK_EDITABLE (self->search_entry), GTK_EDITABLE (self->from_entry),
    GTK_EDITABLE (self->to_entry), GTK_EDITABLE (self->product_entry),
    GTK_EDITABLE (self->lot_entry),
  };

  self->frozen = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
    gtk_drop_down_set_selected (dropdowns[i], 0);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_editable_set_text (entries[i], "");
  self->frozen = FALSE;
  apply_filters (self);
}

/* ---- GObject ---- */

static void
connect_filters (MesoHistoryPage *self)
{
  GtkDropDown *dropdowns[] = {
    self->period_dropdown, self->practitioner_dropdown, self->area_dropdown,
    self->indication_dropdown, self->reactions_dropdown, self->status_dropdown,
  };
  GtkEntry *entries[] = {
    self->from_entry, self->to_entry, self->product_entry, self->lot_entry,
  };

  for (guint i = 0; i < G_N_ELEMENTS (dropdowns); i++)
    g_signal_connect_swapped (dropdowns[i], "notify::selected",
                              G_CALLBACK (on_filter_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect_swapped (entries[i], "changed", G_CALLBACK (on_filter_changed_cb), self);
  /* The search entry waits for a pause in the typing. */
  g_signal_connect_swapped (self->search_entry, "search-changed",
                            G_CALLBACK (on_filter_changed_cb), self);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (on_filter_changed_cb), self);
}

static void
meso_history_page_constructed (GObject *object)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (object);
  g_autoptr(MesoSessionQuery) query = NULL;
  g_autoptr(GtkListItemFactory) rows_factory = new_factory (COLUMN_ROW);
  GtkColumnViewColumn *date_column;

  G_OBJECT_CLASS (meso_history_page_parent_class)->constructed (object);
  g_return_if_fail (MESO_IS_STORE (self->store));

  /* Newest first, shown as such on the date column. */
  date_column = g_list_model_get_item (gtk_column_view_get_columns (self->column_view),
                                       COLUMN_DATE);
  gtk_column_view_sort_by_column (self->column_view, date_column, GTK_SORT_DESCENDING);
  g_object_unref (date_column);

  query = build_query (self);
  self->list = meso_session_list_new (self->store, query);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_factory (self->rows_view, rows_factory);
  g_signal_connect_object (self->views_squeezer, "notify::visible-child",
                           G_CALLBACK (on_visible_view_cb), self, G_CONNECT_SWAPPED);
  on_visible_view_cb (self);

  g_signal_connect_object (self->list, "notify::count", G_CALLBACK (on_count_cb), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (self->list, "loading", self->spinner, "spinning",
                          G_BINDING_SYNC_CREATE);
  update_count (self);
  connect_filters (self);
  g_signal_connect_object (self->store, "clinic-changed", G_CALLBACK (load_practitioners),
                           self, G_CONNECT_SWAPPED);
  load_practitioners (self);
}

static void
meso_history_page_dispose (GObject *object)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->view_idle, g_source_remove);
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (meso_history_page_parent_class)->dispose (object);
}

static void
meso_history_page_finalize (GObject *object)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (meso_history_page_parent_class)->finalize (object);
}

static void
meso_history_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_EXPORTING:
      g_value_set_boolean (value, self->exporting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_history_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoHistoryPage *self = MESO_HISTORY_PAGE (object);

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
meso_history_page_class_init (MesoHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_history_page_constructed;
  object_class->dispose = meso_history_page_dispose;
  object_class->finalize = meso_history_page_finalize;
  object_class->get_property = meso_history_page_get_property;
  object_class->set_property = meso_history_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPORTING] =
    g_param_spec_boolean ("exporting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MesoHistoryPage::open-session:
   * @self: the page
   * @id: the session's id
   *
   * A row was activated: the window opens that session.
   */
  signals[OPEN_SESSION] =
    g_signal_new ("open-session", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, area_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, filters_box);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, filters_button);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, indication_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, lot_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, practitioner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, practitioner_names);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, product_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, reactions_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, rows_view);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, table_scroller);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MesoHistoryPage, views_squeezer);

  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "history.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "history.export-to", "s",
                                   export_to_activated);
  gtk_widget_class_install_action (widget_class, "history.clear-filters", NULL,
                                   clear_filters_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "history.search", NULL);
}

static void
meso_history_page_init (MesoHistoryPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_choices (self);
  set_up_columns (self);
  g_signal_connect_swapped (self->column_view, "activate", G_CALLBACK (on_activate_cb), self);
  g_signal_connect_swapped (self->rows_view, "activate", G_CALLBACK (on_activate_cb), self);
}

GtkWidget *
meso_history_page_new (MesoStore *store)
{
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  return g_object_new (MESO_TYPE_HISTORY_PAGE, "store", store, NULL);
}

MesoStore *
meso_history_page_get_store (MesoHistoryPage *self)
{
  g_return_val_if_fail (MESO_IS_HISTORY_PAGE (self), NULL);
  return self->store;
}

/**
 * meso_history_page_get_list:
 * @self: a #MesoHistoryPage
 *
 * Returns: (transfer none): the sessions shown (for the window, after a save of its
 *   own: meso_session_list_refresh()).
 */
MesoSessionList *
meso_history_page_get_list (MesoHistoryPage *self)
{
  g_return_val_if_fail (MESO_IS_HISTORY_PAGE (self), NULL);
  return self->list;
}

gboolean
meso_history_page_get_exporting (MesoHistoryPage *self)
{
  g_return_val_if_fail (MESO_IS_HISTORY_PAGE (self), FALSE);
  return self->exporting;
}

/* Whether the sessions are shown as rows of two lines, the table being too wide. */
gboolean
meso_history_page_get_narrow (MesoHistoryPage *self)
{
  g_return_val_if_fail (MESO_IS_HISTORY_PAGE (self), FALSE);
  return adw_squeezer_get_visible_child (self->views_squeezer) != self->table_scroller;
}
