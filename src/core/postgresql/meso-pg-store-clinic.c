/* meso-pg-store-clinic.c: the clinic's details and practitioners on the clinic's server
 *
 * The same rules as the SQLite engine (sqlite/meso-sqlite-store-clinic.c): each write
 * reads the row under the write lock, changes only what was asked, and is audited in the
 * same transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-pg-store-private.h"
#include "meso-text.h"

/* What a damaged row holds in place of a text: shown as unreadable (U+FFFD). */
#define UNREADABLE_TEXT "\xEF\xBF\xBD"

static const char *
value_text (const PGresult *result,
            int             row,
            int             column)
{
  const char *text = meso_pg_value (result, row, column);

  if (text == NULL)
    return "";
  return g_utf8_validate (text, -1, NULL) ? text : UNREADABLE_TEXT;
}

static char *
dup_or_null (const PGresult *result,
             int             row,
             int             column)
{
  const char *text = value_text (result, row, column);

  return *text != '\0' ? g_strdup (text) : NULL;
}

static const char *
optional (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/* ---- The clinic's details ---- */

static MesoClinic *
read_clinic (MesoPgStore  *self,
             gboolean     *out_stored,
             GError      **error)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(PGresult) result = NULL;

  /* The logo as hex: text results carry bytea that way anyway. */
  result = meso_pg_store_exec (self, "SELECT name, address, phone, email, encode (logo, 'hex'),"
                               " emergency_number FROM clinic WHERE id = 1", 0, NULL, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) > 0)
    {
      const char *hex = meso_pg_value (result, 0, 4);

      meso_clinic_set_name (clinic, value_text (result, 0, 0));
      meso_clinic_set_address (clinic, value_text (result, 0, 1));
      meso_clinic_set_phone (clinic, value_text (result, 0, 2));
      meso_clinic_set_email (clinic, value_text (result, 0, 3));
      meso_clinic_set_emergency_number (clinic, value_text (result, 0, 5));
      if (hex != NULL && *hex != '\0')
        {
          gsize size = strlen (hex) / 2;
          guint8 *data = g_malloc (size);
          g_autoptr(GBytes) logo = NULL;

          for (gsize i = 0; i < size; i++)
            data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4
                                | g_ascii_xdigit_value (hex[2 * i + 1]));
          logo = g_bytes_new_take (data, size);
          meso_clinic_set_logo (clinic, logo);
        }
    }
  if (out_stored != NULL)
    *out_stored = PQntuples (result) > 0;
  return g_steal_pointer (&clinic);
}

MesoClinic *
meso_pg_store_get_clinic (MesoStore  *store,
                          gboolean   *out_stored,
                          GError    **error)
{
  return read_clinic (MESO_PG_STORE (store), out_stored, error);
}

static char *
hex_of (GBytes *bytes)
{
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  char *hex = g_malloc (2 * size + 1);

  for (gsize i = 0; i < size; i++)
    g_snprintf (hex + 2 * i, 3, "%02x", data[i]);
  hex[2 * size] = '\0';
  return hex;
}

/* Writes the row whole, and its audit entry listing the @fields given. */
static gboolean
put_clinic (MesoPgStore       *self,
            MesoClinic        *clinic,
            const char        *change,
            MesoClinicFields   fields,
            GError           **error)
{
  g_autofree char *now = meso_pg_store_now ();
  g_autoptr(GString) payload = g_string_new (NULL);
  GBytes *logo = meso_clinic_get_logo (clinic);
  g_autofree char *hex = logo != NULL ? hex_of (logo) : NULL;
  const char *params[] = {
    meso_clinic_get_name (clinic), meso_clinic_get_address (clinic),
    meso_clinic_get_phone (clinic), meso_clinic_get_email (clinic), hex,
    logo != NULL ? meso_clinic_get_logo_type (clinic) : NULL, now,
    meso_store_get_user (MESO_STORE (self)), meso_clinic_get_emergency_number (clinic),
  };

  if (!meso_pg_store_run (self, "INSERT INTO clinic (id, name, address, phone, email, logo,"
                          " logo_type, updated_at, updated_by, emergency_number)"
                          " VALUES (1, $1, $2, $3, $4, decode ($5, 'hex'), $6, $7, $8, $9)"
                          " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                          " address = excluded.address, phone = excluded.phone,"
                          " email = excluded.email, logo = excluded.logo,"
                          " logo_type = excluded.logo_type, updated_at = excluded.updated_at,"
                          " updated_by = excluded.updated_by,"
                          " emergency_number = excluded.emergency_number",
                          G_N_ELEMENTS (params), params, error))
    return FALSE;
  meso_payload_append (payload, "change", change);
  meso_clinic_append_payload (clinic, fields, payload);
  return meso_pg_store_append_audit (self, "clinic", "clinic", 0, payload->str, error);
}

typedef struct
{
  MesoClinic        *clinic;
  MesoClinicFields   fields;
  GPtrArray         *practitioners;
  gboolean           changed;
} ClinicData;

static gboolean
set_clinic_locked (MesoPgStore  *self,
                   gpointer      user_data,
                   GError      **error)
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
meso_pg_store_set_clinic (MesoStore         *store,
                          MesoClinic        *clinic,
                          MesoClinicFields   fields,
                          gboolean          *out_changed,
                          GError           **error)
{
  ClinicData data = { clinic, fields, NULL, FALSE };
  gboolean ok = meso_pg_store_write_transaction (MESO_PG_STORE (store), set_clinic_locked,
                                                 &data, error);

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

static void
replace_text (char       **member,
              const char  *text)
{
  if (*member == text)
    return;
  g_free (*member);
  *member = g_strdup (text);
}

static gboolean
find_practitioner (MesoPgStore      *self,
                   const char       *name,
                   PractitionerRow  *row,
                   GError          **error)
{
  const char *params[] = { name };
  g_autoptr(PGresult) result = meso_pg_store_exec (self, "SELECT id, role, registration, active,"
                                                   " retired_at FROM practitioners"
                                                   " WHERE name = $1", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      row->id = meso_pg_int64 (result, 0, 0);
      row->role = dup_or_null (result, 0, 1);
      row->registration = dup_or_null (result, 0, 2);
      row->active = meso_pg_int64 (result, 0, 3) != 0;
      row->retired_at = dup_or_null (result, 0, 4);
    }
  return TRUE;
}

static gboolean
audit_practitioner (MesoPgStore      *self,
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
  return meso_pg_store_append_audit (self, "clinic", "practitioner", row->id, payload->str,
                                     error);
}

/* Inserts @row (its id 0) or writes it over the stored one, then its audit entry. */
static gboolean
put_practitioner (MesoPgStore      *self,
                  const char       *change,
                  const char       *name,
                  PractitionerRow  *row,
                  GError          **error)
{
  g_autofree char *now = meso_pg_store_now ();

  if (row->id == 0)
    {
      const char *params[] = { name, optional (row->role), optional (row->registration), now };
      g_autoptr(PGresult) result = NULL;

      result = meso_pg_store_exec (self, "INSERT INTO practitioners (name, role, registration,"
                                   " active, created_at) VALUES ($1, $2, $3, 1, $4)"
                                   " RETURNING id", 4, params, error);
      if (result == NULL)
        return FALSE;
      row->id = meso_pg_int64 (result, 0, 0);
      row->active = TRUE;
    }
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->id);
      const char *params[] = { id, optional (row->role), optional (row->registration),
                               row->active ? "1" : "0", optional (row->retired_at) };

      if (!meso_pg_store_run (self, "UPDATE practitioners SET role = $2, registration = $3,"
                              " active = $4, retired_at = $5 WHERE id = $1", 5, params, error))
        return FALSE;
    }
  return audit_practitioner (self, change, name, row, error);
}

static gboolean
list_practitioner (MesoPgStore       *self,
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
carry_over_locked (MesoPgStore  *self,
                   gpointer      user_data,
                   GError      **error)
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
meso_pg_store_carry_over_clinic (MesoStore   *store,
                                 MesoClinic  *clinic,
                                 GPtrArray   *practitioners,
                                 gboolean    *out_changed,
                                 GError     **error)
{
  ClinicData data = { clinic, MESO_CLINIC_ALL, practitioners, FALSE };
  gboolean ok = meso_pg_store_write_transaction (MESO_PG_STORE (store), carry_over_locked,
                                                 &data, error);

  *out_changed = ok && data.changed;
  return ok;
}

/* ---- The list and its changes ---- */

/* By name as people read it, accents and case left out (as the SQLite engine orders
 * them with meso_fold), then by the name itself. */
static int
compare_practitioners (gconstpointer a,
                       gconstpointer b)
{
  const char *na = meso_practitioner_get_name (*(MesoPractitioner * const *) a);
  const char *nb = meso_practitioner_get_name (*(MesoPractitioner * const *) b);
  g_autofree char *fa = meso_text_fold (na);
  g_autofree char *fb = meso_text_fold (nb);
  int order = strcmp (fa, fb);

  return order != 0 ? order : strcmp (na, nb);
}

GPtrArray *
meso_pg_store_list_practitioners (MesoStore  *store,
                                  gboolean    active_only,
                                  GError    **error)
{
  g_autoptr(GPtrArray) practitioners = g_ptr_array_new_with_free_func (g_object_unref);
  const char *params[] = { active_only ? "1" : "0" };
  g_autoptr(PGresult) result = NULL;

  result = meso_pg_store_exec (MESO_PG_STORE (store), "SELECT name, role, registration, active"
                               " FROM practitioners WHERE active = 1 OR $1::int = 0", 1,
                               params, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      MesoPractitioner *practitioner = meso_practitioner_new (value_text (result, row, 0));

      meso_practitioner_set_role (practitioner, value_text (result, row, 1));
      meso_practitioner_set_registration (practitioner, value_text (result, row, 2));
      meso_practitioner_set_active (practitioner, meso_pg_int64 (result, row, 3) != 0);
      g_ptr_array_add (practitioners, practitioner);
    }
  g_ptr_array_sort (practitioners, compare_practitioners);
  return g_steal_pointer (&practitioners);
}

typedef struct
{
  MesoPractitioner *practitioner;
  const char       *name;
  gboolean          changed;
} PractitionerData;

static gboolean
add_locked (MesoPgStore  *self,
            gpointer      user_data,
            GError      **error)
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
meso_pg_store_add_practitioner (MesoStore         *store,
                                MesoPractitioner  *practitioner,
                                gboolean          *out_changed,
                                GError           **error)
{
  PractitionerData data = { practitioner, NULL, FALSE };
  gboolean ok = meso_pg_store_write_transaction (MESO_PG_STORE (store), add_locked, &data,
                                                 error);

  *out_changed = ok && data.changed;
  return ok;
}

static gboolean
update_locked (MesoPgStore  *self,
               gpointer      user_data,
               GError      **error)
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
      row.retired_at = meso_pg_store_now ();
    }
  row.active = active;
  data->changed = TRUE;
  return put_practitioner (self, "update", name, &row, error);
}

gboolean
meso_pg_store_update_practitioner (MesoStore         *store,
                                   MesoPractitioner  *practitioner,
                                   gboolean          *out_changed,
                                   GError           **error)
{
  PractitionerData data = { practitioner, NULL, FALSE };
  gboolean ok = meso_pg_store_write_transaction (MESO_PG_STORE (store), update_locked, &data,
                                                 error);

  *out_changed = ok && data.changed;
  return ok;
}

static gboolean
retire_locked (MesoPgStore  *self,
               gpointer      user_data,
               GError      **error)
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
  row.retired_at = meso_pg_store_now ();
  data->changed = TRUE;
  return put_practitioner (self, "retire", data->name, &row, error);
}

gboolean
meso_pg_store_retire_practitioner (MesoStore   *store,
                                   const char  *name,
                                   gboolean    *out_changed,
                                   GError     **error)
{
  PractitionerData data = { NULL, name, FALSE };
  gboolean ok = meso_pg_store_write_transaction (MESO_PG_STORE (store), retire_locked, &data,
                                                 error);

  *out_changed = ok && data.changed;
  return ok;
}
