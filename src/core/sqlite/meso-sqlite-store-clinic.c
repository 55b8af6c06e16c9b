/* meso-sqlite-store-clinic.c: the clinic's details and practitioners, in the SQLite store
 *
 * These are written seldom and read once a sheet: each statement is prepared when it
 * runs, not kept. (Kept statements are prepared at the schema step that needs them, and
 * step 5 comes after the one that prepares them.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-sqlite-store-private.h"

#define SELECT_CLINIC \
  "SELECT name, address, phone, email, logo, emergency_number FROM clinic WHERE id = 1"
#define PUT_CLINIC \
  "INSERT INTO clinic (id, name, address, phone, email, logo, logo_type, updated_at, updated_by," \
  " emergency_number)" \
  " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)" \
  " ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address," \
  " phone = excluded.phone, email = excluded.email, logo = excluded.logo," \
  " logo_type = excluded.logo_type, updated_at = excluded.updated_at," \
  " updated_by = excluded.updated_by, emergency_number = excluded.emergency_number"
#define FIND_PRACTITIONER \
  "SELECT id, role, registration, active, retired_at FROM practitioners WHERE name = ?1"
#define INSERT_PRACTITIONER \
  "INSERT INTO practitioners (name, role, registration, active, created_at)" \
  " VALUES (?1, ?2, ?3, 1, ?4)"
#define UPDATE_PRACTITIONER \
  "UPDATE practitioners SET role = ?2, registration = ?3, active = ?4, retired_at = ?5" \
  " WHERE id = ?1"
/* By name as people read it: accents and case left out of the order. */
#define LIST_PRACTITIONERS \
  "SELECT name, role, registration, active FROM practitioners" \
  " WHERE active = 1 OR ?1 = 0 ORDER BY meso_fold (name), name"

static sqlite3_stmt *
prepare (MesoSqliteStore  *self,
         const char       *sql,
         GError          **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      meso_sqlite_store_fail (self, error, sql);
      return NULL;
    }
  return stmt;
}

/* Steps a statement that returns no row, and finalizes it. */
static gboolean
run (MesoSqliteStore  *self,
     sqlite3_stmt     *stmt,
     const char       *what,
     GError          **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    meso_sqlite_store_fail (self, error, what);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static void
bind_optional (sqlite3_stmt *stmt,
               int           index,
               const char   *text)
{
  if (text == NULL || *text == '\0')
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

/* What a damaged file holds in place of a text: shown as unreadable (U+FFFD), never
 * handed to the sheet's markup, which refuses bytes that are not UTF-8. */
#define UNREADABLE_TEXT "\xEF\xBF\xBD"

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return "";
  return g_utf8_validate (text, -1, NULL) ? text : UNREADABLE_TEXT;
}

/* ---- The clinic's details ---- */

static MesoClinic *
read_clinic (MesoSqliteStore  *self,
             gboolean         *out_stored,
             GError          **error)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  sqlite3_stmt *stmt = prepare (self, SELECT_CLINIC, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      int size = sqlite3_column_bytes (stmt, 4);

      meso_clinic_set_name (clinic, column_text (stmt, 0));
      meso_clinic_set_address (clinic, column_text (stmt, 1));
      meso_clinic_set_phone (clinic, column_text (stmt, 2));
      meso_clinic_set_email (clinic, column_text (stmt, 3));
      meso_clinic_set_emergency_number (clinic, column_text (stmt, 5));
      if (size > 0)
        {
          g_autoptr(GBytes) logo = g_bytes_new (sqlite3_column_blob (stmt, 4), (gsize) size);

          meso_clinic_set_logo (clinic, logo);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "read the clinic");
      return NULL;
    }
  if (out_stored != NULL)
    *out_stored = rc == SQLITE_ROW;
  return g_steal_pointer (&clinic);
}

MesoClinic *
meso_sqlite_store_get_clinic (MesoStore  *store,
                              gboolean   *out_stored,
                              GError    **error)
{
  return read_clinic (MESO_SQLITE_STORE (store), out_stored, error);
}

/* Writes the row whole, and its audit entry listing the @fields given. */
static gboolean
put_clinic (MesoSqliteStore   *self,
            MesoClinic        *clinic,
            const char        *change,
            MesoClinicFields   fields,
            GError           **error)
{
  sqlite3_stmt *stmt = prepare (self, PUT_CLINIC, error);
  g_autofree char *now = meso_sqlite_store_now ();
  g_autoptr(GString) payload = g_string_new (NULL);
  GBytes *logo = meso_clinic_get_logo (clinic);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, meso_clinic_get_name (clinic), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, meso_clinic_get_address (clinic), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, meso_clinic_get_phone (clinic), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, meso_clinic_get_email (clinic), -1, SQLITE_STATIC);
  if (logo != NULL)
    {
      sqlite3_bind_blob64 (stmt, 5, g_bytes_get_data (logo, NULL), g_bytes_get_size (logo),
                           SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, meso_clinic_get_logo_type (clinic), -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, meso_store_get_user (MESO_STORE (self)), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, meso_clinic_get_emergency_number (clinic), -1, SQLITE_STATIC);
  if (!run (self, stmt, "write the clinic", error))
    return FALSE;

  meso_payload_append (payload, "change", change);
  meso_clinic_append_payload (clinic, fields, payload);
  return meso_sqlite_store_append_audit (self, "clinic", "clinic", 0, payload->str, error);
}

typedef struct
{
  MesoClinic        *clinic;
  MesoClinicFields   fields;
  GPtrArray         *practitioners;
  gboolean           changed;
} ClinicData;

/* The row is read inside the write transaction: details another workstation changed
 * meanwhile are kept, only @fields are replaced. */
static gboolean
set_clinic_locked (MesoSqliteStore  *self,
                   gpointer          user_data,
                   GError          **error)
{
  ClinicData *data = user_data;
  g_autoptr(MesoClinic) current = read_clinic (self, NULL, error);
  MesoClinicFields changed;

  if (current == NULL)
    return FALSE;
  changed = meso_clinic_copy_fields (current, data->clinic, data->fields);
  if (changed == 0)
    return TRUE;
  data->changed = TRUE;
  return put_clinic (self, current, "update", changed, error);
}

gboolean
meso_sqlite_store_set_clinic (MesoStore         *store,
                              MesoClinic        *clinic,
                              MesoClinicFields   fields,
                              gboolean          *out_changed,
                              GError           **error)
{
  ClinicData data = { clinic, fields, NULL, FALSE };
  gboolean ok;

  ok = meso_sqlite_store_write_transaction (MESO_SQLITE_STORE (store), set_clinic_locked, &data,
                                            error);
  *out_changed = ok && data.changed;
  return ok;
}

/* ---- The practitioners ---- */

typedef struct
{
  gint64    id;            /* 0: no such practitioner */
  char     *role;
  char     *registration;
  gboolean  active;
  char     *retired_at;
} PractitionerRow;

static void
practitioner_row_clear (PractitionerRow *row)
{
  g_clear_pointer (&row->role, g_free);
  g_clear_pointer (&row->registration, g_free);
  g_clear_pointer (&row->retired_at, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PractitionerRow, practitioner_row_clear)

/* g_set_str() is GLib 2.76's. */
static void
replace_text (char       **member,
              const char  *text)
{
  if (*member == text)
    return;
  g_free (*member);
  *member = g_strdup (text);
}

static char *
column_dup_or_null (sqlite3_stmt *stmt,
                    int           column)
{
  const char *text = column_text (stmt, column);

  return *text != '\0' ? g_strdup (text) : NULL;
}

static gboolean
find_practitioner (MesoSqliteStore  *self,
                   const char       *name,
                   PractitionerRow  *row,
                   GError          **error)
{
  sqlite3_stmt *stmt = prepare (self, FIND_PRACTITIONER, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->id = sqlite3_column_int64 (stmt, 0);
      row->role = column_dup_or_null (stmt, 1);
      row->registration = column_dup_or_null (stmt, 2);
      row->active = sqlite3_column_int (stmt, 3) != 0;
      row->retired_at = column_dup_or_null (stmt, 4);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return meso_sqlite_store_fail (self, error, "find practitioner");
  return TRUE;
}

static gboolean
audit_practitioner (MesoSqliteStore  *self,
                    const char       *change,
                    const char       *name,
                    PractitionerRow  *row,
                    GError          **error)
{
  g_autoptr(GString) payload = g_string_new (NULL);

  meso_payload_append (payload, "change", change);
  meso_payload_append (payload, "name", name);
  meso_payload_append (payload, "role", row->role != NULL ? row->role : "");
  meso_payload_append (payload, "registration", row->registration != NULL ? row->registration : "");
  meso_payload_append (payload, "active", row->active ? "yes" : "no");
  return meso_sqlite_store_append_audit (self, "clinic", "practitioner", row->id, payload->str,
                                         error);
}

/* Inserts @row (its id 0) or writes it over the stored one, then its audit entry. */
static gboolean
put_practitioner (MesoSqliteStore  *self,
                  const char       *change,
                  const char       *name,
                  PractitionerRow  *row,
                  GError          **error)
{
  g_autofree char *now = meso_sqlite_store_now ();
  sqlite3_stmt *stmt;

  if (row->id == 0)
    {
      stmt = prepare (self, INSERT_PRACTITIONER, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      bind_optional (stmt, 2, row->role);
      bind_optional (stmt, 3, row->registration);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
      if (!run (self, stmt, "add practitioner", error))
        return FALSE;
      row->id = sqlite3_last_insert_rowid (self->db);
      row->active = TRUE;
    }
  else
    {
      stmt = prepare (self, UPDATE_PRACTITIONER, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->id);
      bind_optional (stmt, 2, row->role);
      bind_optional (stmt, 3, row->registration);
      sqlite3_bind_int (stmt, 4, row->active);
      bind_optional (stmt, 5, row->retired_at);
      if (!run (self, stmt, "update practitioner", error))
        return FALSE;
    }
  return audit_practitioner (self, change, name, row, error);
}

/* Lists @practitioner: a new row, or a known one active again, keeping the role and
 * number it had unless new ones are given. */
static gboolean
list_practitioner (MesoSqliteStore   *self,
                   MesoPractitioner  *practitioner,
                   PractitionerRow   *row,
                   const char        *change,
                   GError           **error)
{
  const char *role = meso_practitioner_get_role (practitioner);
  const char *registration = meso_practitioner_get_registration (practitioner);

  if (role != NULL)
    replace_text (&row->role, role);
  if (registration != NULL)
    replace_text (&row->registration, registration);
  row->active = TRUE;
  g_clear_pointer (&row->retired_at, g_free);
  return put_practitioner (self, change, meso_practitioner_get_name (practitioner), row, error);
}

/* What the store now holds, back into the caller's object. */
static void
update_object (MesoPractitioner *practitioner,
               PractitionerRow  *row)
{
  meso_practitioner_set_role (practitioner, row->role);
  meso_practitioner_set_registration (practitioner, row->registration);
  meso_practitioner_set_active (practitioner, row->active);
}

static gboolean
refuse_unknown (const char  *name,
                GError     **error)
{
  g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND, _("%s: no practitioner is named “%s”"),
               meso_field_get_label (MESO_FIELD_PRACTITIONER),
               g_utf8_validate (name, -1, NULL) ? name : "?");
  return FALSE;
}

/* ---- The carry-over from the settings ---- */

static gboolean
carry_over_locked (MesoSqliteStore  *self,
                   gpointer          user_data,
                   GError          **error)
{
  ClinicData *data = user_data;
  gboolean stored = FALSE;
  g_autoptr(MesoClinic) current = read_clinic (self, &stored, error);

  /* Another workstation may have been first: its details stay. */
  if (current == NULL)
    return FALSE;
  if (stored)
    return TRUE;
  data->changed = TRUE;
  if (!put_clinic (self, data->clinic, "carry-over", MESO_CLINIC_ALL, error))
    return FALSE;
  for (guint i = 0; i < data->practitioners->len; i++)
    {
      MesoPractitioner *practitioner = g_ptr_array_index (data->practitioners, i);
      g_auto(PractitionerRow) row = { 0 };

      if (!find_practitioner (self, meso_practitioner_get_name (practitioner), &row, error))
        return FALSE;
      if (row.active)
        continue;
      if (!list_practitioner (self, practitioner, &row, "carry-over", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
meso_sqlite_store_carry_over_clinic (MesoStore   *store,
                                     MesoClinic  *clinic,
                                     GPtrArray   *practitioners,
                                     gboolean    *out_changed,
                                     GError     **error)
{
  ClinicData data = { clinic, MESO_CLINIC_ALL, practitioners, FALSE };
  gboolean ok;

  ok = meso_sqlite_store_write_transaction (MESO_SQLITE_STORE (store), carry_over_locked, &data,
                                            error);
  *out_changed = ok && data.changed;
  return ok;
}

/* ---- The list and its changes ---- */

GPtrArray *
meso_sqlite_store_list_practitioners (MesoStore  *store,
                                      gboolean    active_only,
                                      GError    **error)
{
  MesoSqliteStore *self = MESO_SQLITE_STORE (store);
  g_autoptr(GPtrArray) practitioners = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = prepare (self, LIST_PRACTITIONERS, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, active_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MesoPractitioner *practitioner = meso_practitioner_new (column_text (stmt, 0));

      meso_practitioner_set_role (practitioner, column_text (stmt, 1));
      meso_practitioner_set_registration (practitioner, column_text (stmt, 2));
      meso_practitioner_set_active (practitioner, sqlite3_column_int (stmt, 3) != 0);
      g_ptr_array_add (practitioners, practitioner);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      meso_sqlite_store_fail (self, error, "list practitioners");
      return NULL;
    }
  return g_steal_pointer (&practitioners);
}

typedef struct
{
  MesoPractitioner *practitioner;
  const char       *name;
  gboolean          changed;
} PractitionerData;

static gboolean
add_locked (MesoSqliteStore  *self,
            gpointer          user_data,
            GError          **error)
{
  PractitionerData *data = user_data;
  const char *name = meso_practitioner_get_name (data->practitioner);
  g_auto(PractitionerRow) row = { 0 };

  if (!find_practitioner (self, name, &row, error))
    return FALSE;
  if (row.active)
    {
      meso_set_field_error (error, MESO_FIELD_PRACTITIONER, MESO_CHECK_INCONSISTENT,
                            _("%s: %s is on the list already"),
                            meso_field_get_label (MESO_FIELD_PRACTITIONER), name);
      return FALSE;
    }
  if (!list_practitioner (self, data->practitioner, &row, "add", error))
    return FALSE;
  data->changed = TRUE;
  update_object (data->practitioner, &row);
  return TRUE;
}

gboolean
meso_sqlite_store_add_practitioner (MesoStore         *store,
                                    MesoPractitioner  *practitioner,
                                    gboolean          *out_changed,
                                    GError           **error)
{
  PractitionerData data = { practitioner, NULL, FALSE };
  gboolean ok;

  ok = meso_sqlite_store_write_transaction (MESO_SQLITE_STORE (store), add_locked, &data, error);
  *out_changed = ok && data.changed;
  return ok;
}

static gboolean
update_locked (MesoSqliteStore  *self,
               gpointer          user_data,
               GError          **error)
{
  PractitionerData *data = user_data;
  MesoPractitioner *practitioner = data->practitioner;
  const char *name = meso_practitioner_get_name (practitioner);
  gboolean active = meso_practitioner_get_active (practitioner);
  g_auto(PractitionerRow) row = { 0 };

  if (!find_practitioner (self, name, &row, error))
    return FALSE;
  if (row.id == 0)
    return refuse_unknown (name, error);
  if (g_strcmp0 (row.role, meso_practitioner_get_role (practitioner)) == 0
      && g_strcmp0 (row.registration, meso_practitioner_get_registration (practitioner)) == 0
      && row.active == active)
    return TRUE;

  replace_text (&row.role, meso_practitioner_get_role (practitioner));
  replace_text (&row.registration, meso_practitioner_get_registration (practitioner));
  if (active)
    g_clear_pointer (&row.retired_at, g_free);
  else if (row.active)
    {
      g_free (row.retired_at);
      row.retired_at = meso_sqlite_store_now ();
    }
  row.active = active;
  data->changed = TRUE;
  return put_practitioner (self, "update", name, &row, error);
}

gboolean
meso_sqlite_store_update_practitioner (MesoStore         *store,
                                       MesoPractitioner  *practitioner,
                                       gboolean          *out_changed,
                                       GError           **error)
{
  PractitionerData data = { practitioner, NULL, FALSE };
  gboolean ok;

  ok = meso_sqlite_store_write_transaction (MESO_SQLITE_STORE (store), update_locked, &data,
                                            error);
  *out_changed = ok && data.changed;
  return ok;
}

static gboolean
retire_locked (MesoSqliteStore  *self,
               gpointer          user_data,
               GError          **error)
{
  PractitionerData *data = user_data;
  g_auto(PractitionerRow) row = { 0 };

  if (!find_practitioner (self, data->name, &row, error))
    return FALSE;
  if (!row.active)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND, _("%s: %s is not on the list"),
                   meso_field_get_label (MESO_FIELD_PRACTITIONER),
                   g_utf8_validate (data->name, -1, NULL) ? data->name : "?");
      return FALSE;
    }
  row.active = FALSE;
  g_free (row.retired_at);
  row.retired_at = meso_sqlite_store_now ();
  data->changed = TRUE;
  return put_practitioner (self, "retire", data->name, &row, error);
}

gboolean
meso_sqlite_store_retire_practitioner (MesoStore   *store,
                                       const char  *name,
                                       gboolean    *out_changed,
                                       GError     **error)
{
  PractitionerData data = { NULL, name, FALSE };
  gboolean ok;

  ok = meso_sqlite_store_write_transaction (MESO_SQLITE_STORE (store), retire_locked, &data,
                                            error);
  *out_changed = ok && data.changed;
  return ok;
}
