/* meso-sqlite-store-query.c: the sessions a query asks for, counted, in pages or streamed
 *
 * Every list is one statement over session_current, which holds each session's current
 * values: nothing is rebuilt or sorted in memory, so a page of a million sessions costs
 * what the page costs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-enums.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-sqlite-store-private.h"

/* What a line of a list shows (MesoSessionLine), from the same rows as a whole session. */
#define LINES_SELECT \
  "SELECT c.session_id, c.performed_at, c.patient_name, c.areas, c.injections," \
  " c.duration_minutes" MESO_SQLITE_SESSION_FROM

/* A statement being built: its SQL and the text bound to each ?N, in order. */
typedef struct
{
  GString   *where;
  GPtrArray *params;
} Filter;

static void
filter_add (Filter     *filter,
            const char *clause,
            char       *param)
{
  g_string_append (filter->where, filter->where->len == 0 ? " WHERE " : " AND ");
  g_string_append (filter->where, clause);
  if (param != NULL)
    g_ptr_array_add (filter->params, param);
}

/* "(instr (',' || c.areas || ',', ?) > 0 OR ...)": any one of the ids in a comma list. */
static void
filter_any_id (Filter      *filter,
               const char  *column,
               GStrv        ids)
{
  g_autoptr(GString) clause = g_string_new ("(");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_string_append_printf (clause, "%sinstr (',' || coalesce (c.%s, '') || ',', ?) > 0",
                              i > 0 ? " OR " : "", column);
      g_ptr_array_add (filter->params, g_strdup_printf (",%s,", ids[i]));
    }
  g_string_append (clause, ")");
  filter_add (filter, clause->str, NULL);
}

/* Three letters and more go through the trigram index; fewer through a scan of the
 * folded names. */
static void
filter_patient (Filter     *filter,
                const char *key)
{
  if (g_utf8_strlen (key, -1) >= 3)
    {
      g_autoptr(GString) phrase = g_string_new ("\"");

      for (const char *p = key; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (phrase, '"');
          g_string_append_c (phrase, *p);
        }
      g_string_append_c (phrase, '"');
      filter_add (filter, "c.session_id IN (SELECT rowid FROM session_names"
                          " WHERE session_names MATCH ?)",
                  g_string_free (g_steal_pointer (&phrase), FALSE));
    }
  else
    {
      filter_add (filter, "instr (c.patient_key, ?) > 0", g_strdup (key));
    }
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
filter_build (Filter           *filter,
              MesoSessionQuery *query)
{
  g_auto(GStrv) areas = NULL;
  g_auto(GStrv) reactions = NULL;
  MesoSessionStatus status = meso_session_query_get_status (query);

  filter->where = g_string_new (NULL);
  filter->params = g_ptr_array_new_with_free_func (g_free);

  if (meso_session_query_get_from (query) != NULL)
    filter_add (filter, "c.performed_at >= ?", format_utc (meso_session_query_get_from (query)));
  if (meso_session_query_get_to (query) != NULL)
    filter_add (filter, "c.performed_at < ?", format_utc (meso_session_query_get_to (query)));
  if (meso_session_query_get_patient_key (query) != NULL)
    filter_patient (filter, meso_session_query_get_patient_key (query));
  if (meso_session_query_get_birth_date (query) != NULL)
    filter_add (filter, "c.patient_id IN (SELECT id FROM patients WHERE date_of_birth = ?)",
                g_strdup (meso_session_query_get_birth_date (query)));
  if (meso_session_query_get_patient_of (query) != 0)
    filter_add (filter, "c.patient_id = (SELECT patient_id FROM session_current"
                        " WHERE session_id = ?)",
                g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_query_get_patient_of (query)));
  if (meso_session_query_get_practitioner (query) != NULL)
    filter_add (filter, "c.practitioner = ?",
                g_strdup (meso_session_query_get_practitioner (query)));
  if (meso_session_query_get_indication (query) != NULL)
    filter_add (filter, "c.indication = ?", g_strdup (meso_session_query_get_indication (query)));
  if (meso_session_query_get_product (query) != NULL)
    filter_add (filter, "c.product = ?", g_strdup (meso_session_query_get_product (query)));
  if (meso_session_query_get_lot (query) != NULL)
    filter_add (filter, "c.lot = ?", g_strdup (meso_session_query_get_lot (query)));
  if (meso_session_query_get_areas (query) != MESO_AREA_NONE)
    {
      g_autofree char *text = meso_areas_to_string (meso_session_query_get_areas (query), ",");

      areas = g_strsplit (text, ",", -1);
      filter_any_id (filter, "areas", areas);
    }
  if (meso_session_query_get_reactions (query) != 0)
    {
      GFlagsClass *klass = g_type_class_ref (MESO_TYPE_REACTION);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

      /* The ids are the flags' nicks, as stored. */
      for (guint i = 0; i < klass->n_values; i++)
        if (meso_session_query_get_reactions (query) & klass->values[i].value)
          g_strv_builder_add (ids, klass->values[i].value_nick);
      g_type_class_unref (klass);
      reactions = g_strv_builder_end (ids);
      filter_any_id (filter, "reactions", reactions);
    }
  if (status != MESO_SESSION_STATUS_ANY)
    filter_add (filter, "c.status = ?", g_strdup (meso_session_status_get_id (status)));
}

static void
filter_clear (Filter *filter)
{
  g_string_free (filter->where, TRUE);
  g_ptr_array_unref (filter->params);
}

static const char *
sort_column (MesoSessionSort sort)
{
  switch (sort)
    {
    case MESO_SESSION_SORT_PATIENT: return "c.patient_key";
    case MESO_SESSION_SORT_PRACTITIONER: return "c.practitioner";
    case MESO_SESSION_SORT_AREAS: return "c.areas";
    case MESO_SESSION_SORT_INDICATION: return "c.indication";
    case MESO_SESSION_SORT_PRODUCT: return "c.product";
    case MESO_SESSION_SORT_LOT: return "c.lot";
    case MESO_SESSION_SORT_INJECTIONS: return "c.injections";
    case MESO_SESSION_SORT_DURATION: return "c.duration_minutes";
    case MESO_SESSION_SORT_STATUS: return "c.status";
    case MESO_SESSION_SORT_DATE:
    default:
      return NULL;
    }
}

/* Ties fall back to the newest first, so that a page boundary is stable. */
static void
append_order (GString          *sql,
              MesoSessionQuery *query)
{
  gboolean descending = TRUE;
  MesoSessionSort sort = meso_session_query_get_sort (query, &descending);
  const char *column = sort_column (sort);
  const char *direction = descending ? "DESC" : "ASC";

  g_string_append (sql, " ORDER BY ");
  if (column != NULL)
    g_string_append_printf (sql, "%s %s, c.performed_at DESC, c.session_id DESC", column,
                            direction);
  else
    g_string_append_printf (sql, "c.performed_at %s, c.session_id %s", direction, direction);
}

static sqlite3_stmt *
prepare_query (MesoSqliteStore  *self,
               const char       *sql,
               GPtrArray        *params,
               GError          **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, "prepare query");
      return NULL;
    }
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  return stmt;
}

/* The statement for the rows of @query, each as @select takes it (a SELECT ... FROM,
 * with no WHERE). */
static sqlite3_stmt *
prepare_rows (MesoSqliteStore   *self,
              MesoSessionQuery  *query,
              const char        *select,
              GError           **error)
{
  g_autoptr(GString) sql = g_string_new (select);
  Filter filter;
  sqlite3_stmt *stmt;

  filter_build (&filter, query);
  g_string_append (sql, filter.where->str);
  append_order (sql, query);
  if (meso_session_query_get_limit (query) > 0 || meso_session_query_get_offset (query) > 0)
    g_string_append_printf (sql, " LIMIT %d OFFSET %u",
                            meso_session_query_get_limit (query) > 0
                            ? (int) meso_session_query_get_limit (query) : -1,
                            meso_session_query_get_offset (query));
  stmt = prepare_query (self, sql->str, filter.params, error);
  filter_clear (&filter);
  return stmt;
}

char *
meso_sqlite_store_explain_query (MesoStore         *store,
                                 MesoSessionQuery  *query,
                                 GError           **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autofree char *select = meso_sqlite_store_select_sql (self);
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", select, NULL);
  sqlite3_stmt *stmt;

  stmt = prepare_rows (self, query, explain, error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/* The statement's text with its values in place, as the sqlite3 shell would run it. */
static char *
expanded_sql (MesoSqliteStore  *self,
              const char       *sql,
              GPtrArray        *params,
              GError          **error)
{
  sqlite3_stmt *stmt = prepare_query (self, sql, params, error);
  char *expanded;
  char *text;

  if (stmt == NULL)
    return NULL;
  expanded = sqlite3_expanded_sql (stmt);
  text = g_strdup (expanded);
  sqlite3_free (expanded);
  sqlite3_finalize (stmt);
  if (text == NULL)
    g_set_error_literal (error, MESO_ERROR, MESO_ERROR_DATABASE, "No memory for the SQL");
  return text;
}

/* For the benchmarks' floors: what a list of @query runs for its count and its first
 * page (@select, with no WHERE), values in place, ";" after each. */
char *
meso_sqlite_store_query_sql (MesoStore         *store,
                             MesoSessionQuery  *query,
                             const char        *select,
                             GError           **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GString) count = g_string_new ("SELECT count(*) FROM session_current c");
  g_autoptr(GString) rows = g_string_new (select);
  g_autofree char *count_sql = NULL;
  g_autofree char *rows_sql = NULL;
  Filter filter;

  filter_build (&filter, query);
  g_string_append (count, filter.where->str);
  g_string_append (rows, filter.where->str);
  append_order (rows, query);
  g_string_append_printf (rows, " LIMIT %u OFFSET %u", meso_session_query_get_limit (query),
                          meso_session_query_get_offset (query));
  count_sql = expanded_sql (self, count->str, filter.params, error);
  rows_sql = count_sql != NULL ? expanded_sql (self, rows->str, filter.params, error) : NULL;
  filter_clear (&filter);
  if (rows_sql == NULL)
    return NULL;
  return g_strconcat (count_sql, ";\n", rows_sql, ";\n", NULL);
}

gint64
meso_sqlite_store_count_matching (MesoStore         *store,
                                  MesoSessionQuery  *query,
                                  GError           **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM session_current c");
  Filter filter;
  sqlite3_stmt *stmt;
  gint64 count = -1;


  filter_build (&filter, query);
  g_string_append (sql, filter.where->str);
  stmt = prepare_query (self, sql->str, filter.params, error);
  filter_clear (&filter);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    meso_sqlite_store_fail (self, error, "count sessions");
  sqlite3_finalize (stmt);
  return count;
}

gboolean
meso_sqlite_store_query_foreach (MesoStore         *store,
                                 MesoSessionQuery  *query,
                                 MesoSessionFunc    func,
                                 gpointer           user_data,
                                 GError           **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autofree char *select = meso_sqlite_store_select_sql (self);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  stmt = prepare_rows (self, query, select, error);
  if (stmt == NULL)
    return FALSE;

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(MesoSession) session = meso_sqlite_store_session_from_row (stmt, NULL, error);

      ok = session != NULL && func (session, user_data, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = meso_sqlite_store_fail (self, error, "list sessions");
  sqlite3_finalize (stmt);
  return ok;
}

/* A row of LINES_SELECT, checked as a whole session's row would be where a line needs
 * it: a time that can be read, areas this version knows. */
static gboolean
line_from_row (sqlite3_stmt     *stmt,
               MesoSessionLine  *line,
               GError          **error)
{
  const char *when = (const char *) sqlite3_column_text (stmt, 1);
  const char *areas = (const char *) sqlite3_column_text (stmt, 3);
  g_autofree char *id = NULL;

  line->id = sqlite3_column_int64 (stmt, 0);
  line->performed_at = when != NULL ? g_date_time_new_from_iso8601 (when, NULL) : NULL;
  line->patient_name = (const char *) sqlite3_column_text (stmt, 2);
  line->areas = MESO_AREA_NONE;
  line->injections = (guint) sqlite3_column_int64 (stmt, 4);
  line->duration = (guint) sqlite3_column_int64 (stmt, 5);
  /* Areas this version does not know (written by hand, or by a newer version) must not
   * stop the whole list: the line goes out with none, which a session never has, so
   * that it shows as unknown. */
  if (areas != NULL && *areas != '\0' && !meso_areas_parse (areas, &line->areas, NULL))
    {
      g_debug ("Stored session %" G_GINT64_FORMAT ": unknown areas “%s”", line->id, areas);
      line->areas = MESO_AREA_NONE;
    }
  if (line->performed_at != NULL)
    return TRUE;

  id = g_strdup_printf ("%" G_GINT64_FORMAT, line->id);
  g_set_error (error, MESO_ERROR, MESO_ERROR_DATABASE,
               _("Stored session %s: its date and time cannot be read"), id);
  return FALSE;
}

gboolean
meso_sqlite_store_query_lines (MesoStore            *store,
                               MesoSessionQuery     *query,
                               MesoSessionLineFunc   func,
                               gpointer              user_data,
                               GError              **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  stmt = prepare_rows (self, query, LINES_SELECT, error);
  if (stmt == NULL)
    return FALSE;

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MesoSessionLine line;

      ok = line_from_row (stmt, &line, error) && func (&line, user_data, error);
      g_clear_pointer (&line.performed_at, g_date_time_unref);
    }
  if (ok && rc != SQLITE_DONE)
    ok = meso_sqlite_store_fail (self, error, "list sessions");
  sqlite3_finalize (stmt);
  return ok;
}

gint64
meso_sqlite_store_count_sessions (MesoStore  *store,
                                  GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gint64 count = -1;


  stmt = meso_sqlite_store_stmt (self, STMT_COUNT_SESSIONS, error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    meso_sqlite_store_fail (self, error, "count sessions");
  meso_sqlite_store_reset (self, STMT_COUNT_SESSIONS);
  return count;
}
