/* meso-pg-store-query.c: the sessions a query asks for, counted, in pages or streamed,
 * on the clinic's server
 *
 * The same statements as the SQLite engine's (sqlite/meso-sqlite-store-query.c) over
 * session_current, in PostgreSQL's words: $N parameters, strpos() for instr(), and NULLs
 * sorted as SQLite sorts them (first going up, last going down).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-enums.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-pg-store-private.h"

/* Over session_current alone: a line takes nothing from the patient's or practitioner's
 * rows, and every current row has its patient (a foreign key; the count assumes it too).
 * The server does not drop an unused inner join by itself: it cost about a third of a
 * page's time, two hundred lookups of the patient. */
#define LINES_SELECT \
  "SELECT c.session_id, c.performed_at, c.patient_name, c.areas, c.injections," \
  " c.duration_minutes FROM session_current c"

/* A statement being built: its WHERE and the text bound to each $N, in order. */
typedef struct
{
  GString   *where;
  GPtrArray *params;
} Filter;

/* @clause holds "$?" where its parameter goes: replaced by the parameter's number. */
static void
filter_add (Filter     *filter,
            const char *clause,
            char       *param)
{
  g_autoptr(GString) numbered = g_string_new (clause);

  g_string_append (filter->where, filter->where->len == 0 ? " WHERE " : " AND ");
  if (param != NULL)
    {
      g_autofree char *number = g_strdup_printf ("$%u", filter->params->len + 1);

      g_string_replace (numbered, "$?", number, 1);
      g_ptr_array_add (filter->params, param);
    }
  g_string_append (filter->where, numbered->str);
}

/* Any one of the ids in a comma list. */
static void
filter_any_id (Filter      *filter,
               const char  *column,
               GStrv        ids)
{
  g_autoptr(GString) clause = g_string_new ("(");

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_ptr_array_add (filter->params, g_strdup_printf (",%s,", ids[i]));
      g_string_append_printf (clause, "%sstrpos (',' || coalesce (c.%s, '') || ',', $%u) > 0",
                              i > 0 ? " OR " : "", column, filter->params->len);
    }
  g_string_append (clause, ")");
  filter_add (filter, clause->str, NULL);
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
  MesoSessionStatus status = meso_session_query_get_status (query);

  filter->where = g_string_new (NULL);
  filter->params = g_ptr_array_new_with_free_func (g_free);

  if (meso_session_query_get_from (query) != NULL)
    filter_add (filter, "c.performed_at >= $?", format_utc (meso_session_query_get_from (query)));
  if (meso_session_query_get_to (query) != NULL)
    filter_add (filter, "c.performed_at < $?", format_utc (meso_session_query_get_to (query)));
  if (meso_session_query_get_patient_key (query) != NULL)
    filter_add (filter, "strpos (c.patient_key, $?) > 0",
                g_strdup (meso_session_query_get_patient_key (query)));
  if (meso_session_query_get_birth_date (query) != NULL)
    filter_add (filter, "c.patient_id IN (SELECT id FROM patients WHERE date_of_birth = $?)",
                g_strdup (meso_session_query_get_birth_date (query)));
  if (meso_session_query_get_patient_of (query) != 0)
    filter_add (filter, "c.patient_id = (SELECT patient_id FROM session_current"
                        " WHERE session_id = $?::bigint)",
                g_strdup_printf ("%" G_GINT64_FORMAT, meso_session_query_get_patient_of (query)));
  if (meso_session_query_get_practitioner (query) != NULL)
    filter_add (filter, "c.practitioner = $?",
                g_strdup (meso_session_query_get_practitioner (query)));
  if (meso_session_query_get_indication (query) != NULL)
    filter_add (filter, "c.indication = $?", g_strdup (meso_session_query_get_indication (query)));
  if (meso_session_query_get_product (query) != NULL)
    filter_add (filter, "c.product = $?", g_strdup (meso_session_query_get_product (query)));
  if (meso_session_query_get_lot (query) != NULL)
    filter_add (filter, "c.lot = $?", g_strdup (meso_session_query_get_lot (query)));
  if (meso_session_query_get_areas (query) != MESO_AREA_NONE)
    {
      g_autofree char *text = meso_areas_to_string (meso_session_query_get_areas (query), ",");
      g_auto(GStrv) areas = g_strsplit (text, ",", -1);

      filter_any_id (filter, "areas", areas);
    }
  if (meso_session_query_get_reactions (query) != 0)
    {
      GFlagsClass *klass = g_type_class_ref (MESO_TYPE_REACTION);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_auto(GStrv) reactions = NULL;

      /* The ids are the flags' nicks, as stored. */
      for (guint i = 0; i < klass->n_values; i++)
        if (meso_session_query_get_reactions (query) & klass->values[i].value)
          g_strv_builder_add (ids, klass->values[i].value_nick);
      g_type_class_unref (klass);
      reactions = g_strv_builder_end (ids);
      filter_any_id (filter, "reactions", reactions);
    }
  if (status != MESO_SESSION_STATUS_ANY)
    filter_add (filter, "c.status = $?", g_strdup (meso_session_status_get_id (status)));
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
  const char *direction = descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";

  g_string_append (sql, " ORDER BY ");
  if (column != NULL)
    g_string_append_printf (sql, "%s %s, c.performed_at DESC, c.session_id DESC", column,
                            direction);
  else
    g_string_append_printf (sql, "c.performed_at %s, c.session_id %s",
                            descending ? "DESC" : "ASC", descending ? "DESC" : "ASC");
}

static PGresult *
run_filtered (MesoPgStore  *self,
              const char   *sql,
              Filter       *filter,
              GError      **error)
{
  return meso_pg_store_exec (self, sql, (int) filter->params->len,
                             (const char * const *) filter->params->pdata, error);
}

/* The rows of @query, each as @select takes it (a SELECT ... FROM, with no WHERE). */
static PGresult *
query_rows (MesoPgStore       *self,
            MesoSessionQuery  *query,
            const char        *select,
            GError           **error)
{
  g_autoptr(GString) sql = g_string_new (select);
  Filter filter;
  PGresult *result;

  filter_build (&filter, query);
  g_string_append (sql, filter.where->str);
  append_order (sql, query);
  if (meso_session_query_get_limit (query) > 0)
    g_string_append_printf (sql, " LIMIT %u", meso_session_query_get_limit (query));
  /* A parameter, so that every page after the first is the same prepared statement. */
  if (meso_session_query_get_offset (query) > 0)
    {
      g_ptr_array_add (filter.params,
                       g_strdup_printf ("%u", meso_session_query_get_offset (query)));
      g_string_append_printf (sql, " OFFSET $%u", filter.params->len);
    }
  result = run_filtered (self, sql->str, &filter, error);
  filter_clear (&filter);
  return result;
}

char *
meso_pg_store_explain_query (MesoStore         *store,
                             MesoSessionQuery  *query,
                             GError           **error)
{
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autofree char *explain = g_strconcat ("EXPLAIN ", meso_pg_store_select_sql (), NULL);
  g_autoptr(PGresult) result = query_rows (MESO_PG_STORE (store), query, explain, error);

  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    g_string_append_printf (plan, "%s\n", PQgetvalue (result, row, 0));
  return g_string_free (g_steal_pointer (&plan), FALSE);
}

gint64
meso_pg_store_count_matching (MesoStore         *store,
                              MesoSessionQuery  *query,
                              GError           **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT count(*) FROM session_current c");
  g_autoptr(PGresult) result = NULL;
  Filter filter;

  filter_build (&filter, query);
  g_string_append (sql, filter.where->str);
  result = run_filtered (MESO_PG_STORE (store), sql->str, &filter, error);
  filter_clear (&filter);
  if (result == NULL)
    return -1;
  return meso_pg_int64 (result, 0, 0);
}

gboolean
meso_pg_store_query_foreach (MesoStore         *store,
                             MesoSessionQuery  *query,
                             MesoSessionFunc    func,
                             gpointer           user_data,
                             GError           **error)
{
  g_autoptr(PGresult) result = query_rows (MESO_PG_STORE (store), query,
                                           meso_pg_store_select_sql (), error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      g_autoptr(MesoSession) session = meso_pg_store_session_from_row (result, row, NULL, error);

      if (session == NULL || !func (session, user_data, error))
        return FALSE;
    }
  return TRUE;
}

/* A row of LINES_SELECT, checked as a whole session's row would be where a line needs
 * it: a time that can be read, areas this version knows. */
static gboolean
line_from_row (const PGresult   *result,
               int               row,
               MesoSessionLine  *line,
               GError          **error)
{
  const char *when = meso_pg_value (result, row, 1);
  const char *areas = meso_pg_value (result, row, 3);
  g_autofree char *id = NULL;

  line->id = meso_pg_int64 (result, row, 0);
  line->performed_at = when != NULL ? g_date_time_new_from_iso8601 (when, NULL) : NULL;
  line->patient_name = meso_pg_value (result, row, 2);
  line->areas = MESO_AREA_NONE;
  line->injections = (guint) meso_pg_int64 (result, row, 4);
  line->duration = (guint) meso_pg_int64 (result, row, 5);
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
meso_pg_store_query_lines (MesoStore            *store,
                           MesoSessionQuery     *query,
                           MesoSessionLineFunc   func,
                           gpointer              user_data,
                           GError              **error)
{
  g_autoptr(PGresult) result = query_rows (MESO_PG_STORE (store), query, LINES_SELECT, error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      MesoSessionLine line;
      gboolean ok = line_from_row (result, row, &line, error)
                    && func (&line, user_data, error);

      g_clear_pointer (&line.performed_at, g_date_time_unref);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

gint64
meso_pg_store_count_sessions (MesoStore  *store,
                              GError    **error)
{
  gint64 count = -1;

  if (!meso_pg_store_query_int64 (MESO_PG_STORE (store), "SELECT count(*) FROM sessions", 0,
                                  NULL, &count, error))
    return -1;
  return count;
}
