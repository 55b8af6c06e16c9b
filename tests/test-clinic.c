/* test-clinic.c: the clinic's details and practitioners, their rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "meso-clinic.h"
#include "meso-error.h"
#include "meso-practitioner.h"
#include "meso-store.h"
#include "meso-test-util.h"

#define PNG_SIGNATURE "\x89PNG\r\n\x1a\n"
#define SVG_LOGO      "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='10'/>"

/* ---- The details' rules ---- */

typedef struct
{
  const char       *path;
  MesoClinicFields  field;
  const char       *value;
  const char       *label;   /* NULL: the value is valid */
} ValueCase;

static const ValueCase value_cases[] = {
  { "name/empty", MESO_CLINIC_NAME, "", NULL },
  { "name/200", MESO_CLINIC_NAME, "REPEAT:ß:200", NULL },
  { "name/201", MESO_CLINIC_NAME, "REPEAT:ß:201", "Clinic name: the text has 201 characters" },
  { "name/two-lines", MESO_CLINIC_NAME, "Clinique\ndu Parc", "Clinic name: the text must be on one line" },
  { "name/escape", MESO_CLINIC_NAME, "Clinique \x1b[31m", "Clinic name:" },
  { "name/invalid-utf8", MESO_CLINIC_NAME, "Clinique \xff", "Clinic name: the text is not valid UTF-8" },
  { "address/lines", MESO_CLINIC_ADDRESS, "12 rue des Lilas\n75011 Paris", NULL },
  { "address/501", MESO_CLINIC_ADDRESS, "REPEAT:a:501", "Address: the text has 501 characters" },
  { "address/tab", MESO_CLINIC_ADDRESS, "12\true", "Address: the text must not contain control" },
  { "phone/international", MESO_CLINIC_PHONE, "+33 1 23 45 67 89", NULL },
  { "phone/american", MESO_CLINIC_PHONE, "(555) 123-4567", NULL },
  { "phone/dots", MESO_CLINIC_PHONE, "01.23.45.67.89", NULL },
  { "phone/no-break-spaces", MESO_CLINIC_PHONE, "01\u00a023\u202f45 67 89", NULL },
  { "phone/words", MESO_CLINIC_PHONE, "call reception", "Phone: “call reception” is not a phone number" },
  { "phone/plus-inside", MESO_CLINIC_PHONE, "01 23+45 67 89",
    "Phone: “01 23+45 67 89” is not a phone number" },
  { "phone/too-few-digits", MESO_CLINIC_PHONE, "12 34", "Phone: “12 34” is not a phone number" },
  { "phone/41", MESO_CLINIC_PHONE, "REPEAT:1:41", "Phone: the text has 41 characters; at most 40" },
  { "email/plain", MESO_CLINIC_EMAIL, "accueil@parc.example", NULL },
  { "email/no-at", MESO_CLINIC_EMAIL, "accueil.parc.example",
    "Email: “accueil.parc.example” is not an email address" },
  { "email/no-domain", MESO_CLINIC_EMAIL, "accueil@",
    "Email: “accueil@” is not an email address" },
  { "email/no-dot", MESO_CLINIC_EMAIL, "accueil@parc",
    "Email: “accueil@parc” is not an email address" },
  { "email/space", MESO_CLINIC_EMAIL, "accueil du parc@parc.example",
    "Email: “accueil du parc@parc.example” is not an email address" },
  { "email/two-at", MESO_CLINIC_EMAIL, "a@b@parc.example",
    "Email: “a@b@parc.example” is not an email address" },
  { "email/255", MESO_CLINIC_EMAIL, "REPEAT:a:255", "Email: the text has 255 characters" },
};

/* "REPEAT:x:n" stands for x written n times. */
static char *
expand (const char *value)
{
  g_auto(GStrv) parts = NULL;
  GString *text;

  if (!g_str_has_prefix (value, "REPEAT:"))
    return g_strdup (value);
  parts = g_strsplit (value, ":", 3);
  text = g_string_new (NULL);
  for (guint i = 0; i < g_ascii_strtoull (parts[2], NULL, 10); i++)
    g_string_append (text, parts[1]);
  return g_string_free (text, FALSE);
}

static void
set_value (MesoClinic       *clinic,
           MesoClinicFields  field,
           const char       *value)
{
  switch (field)
    {
    case MESO_CLINIC_NAME: meso_clinic_set_name (clinic, value); break;
    case MESO_CLINIC_ADDRESS: meso_clinic_set_address (clinic, value); break;
    case MESO_CLINIC_PHONE: meso_clinic_set_phone (clinic, value); break;
    case MESO_CLINIC_EMAIL: meso_clinic_set_email (clinic, value); break;
    default: g_assert_not_reached ();
    }
}

static void
test_value (gconstpointer data)
{
  const ValueCase *c = data;
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autofree char *value = expand (c->value);
  g_autoptr(GError) error = NULL;

  set_value (clinic, c->field, value);
  /* Only the detail asked for is checked; all of them, too. */
  if (c->label == NULL)
    {
      g_assert_true (meso_clinic_validate (clinic, c->field, &error));
      g_assert_no_error (error);
      g_assert_true (meso_clinic_validate (clinic, MESO_CLINIC_ALL, &error));
      g_assert_no_error (error);
      return;
    }
  g_assert_true (meso_clinic_validate (clinic, MESO_CLINIC_ALL & ~c->field, NULL));
  g_assert_false (meso_clinic_validate (clinic, MESO_CLINIC_ALL, &error));
  g_assert_error (error, MESO_ERROR, error->code);
  if (!g_str_has_prefix (error->message, c->label))
    g_error ("“%s” does not start with “%s”", error->message, c->label);
  g_assert_null (strchr (error->message, '\n'));
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

/* Blanks around a value are no part of it; a detail's notify fires only on a change. */
static void
test_trimmed_and_notified (void)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  guint notified = 0;

  g_signal_connect (clinic, "notify::phone", G_CALLBACK (count_cb), &notified);
  meso_clinic_set_phone (clinic, "  +33 1 23 45 67 89 \n");
  g_assert_cmpstr (meso_clinic_get_phone (clinic), ==, "+33 1 23 45 67 89");
  g_assert_false (meso_clinic_is_empty (clinic));
  meso_clinic_set_phone (clinic, "+33 1 23 45 67 89");
  g_assert_cmpuint (notified, ==, 1);
  meso_clinic_set_phone (clinic, NULL);
  g_assert_cmpstr (meso_clinic_get_phone (clinic), ==, "");
  g_assert_true (meso_clinic_is_empty (clinic));
  g_assert_cmpuint (notified, ==, 2);
}

/* ---- The logo ---- */

static char *
write_file (const char *dir,
            const char *name,
            const char *content,
            gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, content, length, &error);
  g_assert_no_error (error);
  return path;
}

/* The type is read from the content, whatever the file is called. */
static void
test_logo_types (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-clinic-XXXXXX");
  g_autofree char *png = write_file (dir, "logo.svg", PNG_SIGNATURE "rest", 12);
  g_autofree char *svg = write_file (dir, "logo", "<?xml version='1.0'?>\n" SVG_LOGO, -1);
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_clinic_set_logo_from_file (clinic, png, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (meso_clinic_get_logo_type (clinic), ==, MESO_CLINIC_LOGO_PNG);
  g_assert_cmpuint (g_bytes_get_size (meso_clinic_get_logo (clinic)), ==, 12);
  g_assert_true (meso_clinic_set_logo_from_file (clinic, svg, &error));
  g_assert_cmpstr (meso_clinic_get_logo_type (clinic), ==, MESO_CLINIC_LOGO_SVG);
  g_assert_true (meso_clinic_validate (clinic, MESO_CLINIC_ALL, &error));
  g_assert_no_error (error);

  meso_clinic_set_logo (clinic, NULL);
  g_assert_null (meso_clinic_get_logo (clinic));
  g_assert_null (meso_clinic_get_logo_type (clinic));
  meso_test_remove_tree (dir);
}

typedef struct
{
  const char *path;
  gsize       size;       /* bytes of a PNG header and padding; 0: @content */
  const char *content;
  const char *message;
} LogoCase;

static const LogoCase logo_cases[] = {
  { "largest", MESO_CLINIC_LOGO_MAX_BYTES, NULL, NULL },
  { "too-large", MESO_CLINIC_LOGO_MAX_BYTES + 1, NULL,
    "Logo: the image is too large (2.0\u00a0MiB); choose one of at most 2 MiB" },
  { "text", 0, "Clinique du Parc", "is neither a PNG nor an SVG image" },
  { "empty", 0, "", "is neither a PNG nor an SVG image" },
  { "missing", 0, NULL, "Logo: cannot read" },
};

static void
test_logo_refused (gconstpointer data)
{
  const LogoCase *c = data;
  g_autofree char *dir = meso_test_make_tmp_dir ("mesocare-clinic-XXXXXX");
  g_autofree char *path = NULL;
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(GError) error = NULL;

  meso_clinic_set_name (clinic, "Clinique du Parc");
  if (c->size > 0)
    {
      g_autofree char *content = g_malloc0 (c->size);

      memcpy (content, PNG_SIGNATURE, 8);
      path = write_file (dir, "logo.png", content, (gssize) c->size);
    }
  else if (c->content != NULL)
    path = write_file (dir, "logo.png", c->content, -1);
  else
    path = g_build_filename (dir, "nowhere.png", NULL);

  if (c->message == NULL)
    {
      g_assert_true (meso_clinic_set_logo_from_file (clinic, path, &error));
      g_assert_no_error (error);
      g_assert_true (meso_clinic_validate (clinic, MESO_CLINIC_LOGO, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (meso_clinic_set_logo_from_file (clinic, path, &error));
      g_assert_error (error, MESO_ERROR, MESO_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, c->message));
      g_assert_true (g_str_has_prefix (error->message, "Logo: "));
      /* The clinic is as it was. */
      g_assert_null (meso_clinic_get_logo (clinic));
      g_assert_cmpstr (meso_clinic_get_name (clinic), ==, "Clinique du Parc");
    }
  meso_test_remove_tree (dir);
}

/* Bytes set directly are checked too. */
static void
test_logo_bytes_checked (void)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(GBytes) text = g_bytes_new_static ("GIF89a", 6);
  g_autoptr(GError) error = NULL;

  meso_clinic_set_logo (clinic, text);
  g_assert_null (meso_clinic_get_logo_type (clinic));
  g_assert_true (meso_clinic_validate (clinic, MESO_CLINIC_NAME, &error));
  g_assert_false (meso_clinic_validate (clinic, MESO_CLINIC_ALL, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "Logo: "));
}

/* ---- A practitioner's rules ---- */

static void
test_practitioner_rules (void)
{
  g_autoptr(MesoPractitioner) roux = meso_practitioner_new ("  Dr Roux ");
  g_autoptr(MesoPractitioner) nobody = meso_practitioner_new ("   ");
  g_autoptr(MesoPractitioner) long_role = meso_practitioner_new ("Dr Morel");
  g_autofree char *role = g_strnfill (101, 'r');
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (meso_practitioner_get_name (roux), ==, "Dr Roux");
  g_assert_true (meso_practitioner_get_active (roux));
  meso_practitioner_set_role (roux, " physician ");
  meso_practitioner_set_registration (roux, "");
  g_assert_cmpstr (meso_practitioner_get_role (roux), ==, "physician");
  g_assert_null (meso_practitioner_get_registration (roux));
  g_assert_true (meso_practitioner_validate (roux, &error));
  g_assert_no_error (error);

  g_assert_false (meso_practitioner_validate (nobody, &error));
  g_assert_error (error, MESO_ERROR,
                  MESO_ERROR_CODE (MESO_FIELD_PRACTITIONER, MESO_CHECK_REQUIRED));
  g_assert_true (g_str_has_prefix (error->message, "Practitioner: "));
  g_clear_error (&error);

  meso_practitioner_set_role (long_role, role);
  g_assert_false (meso_practitioner_validate (long_role, &error));
  g_assert_error (error, MESO_ERROR,
                  MESO_ERROR_CODE (MESO_FIELD_PRACTITIONER_ROLE, MESO_CHECK_TOO_LONG));
}


/* ---- In the store ---- */

typedef struct
{
  MesoTestDir *dir;
  MesoStore   *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = meso_test_dir_new ();
  fixture->store = meso_test_open_store (fixture->dir->db);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->dir, meso_test_dir_free);
}

static GBytes *
png_logo (void)
{
  static const char png[] = PNG_SIGNATURE "a few more bytes";

  return g_bytes_new_static (png, sizeof png - 1);
}

static MesoClinic *
parc_clinic (void)
{
  MesoClinic *clinic = meso_clinic_new ();
  g_autoptr(GBytes) logo = png_logo ();

  meso_clinic_set_name (clinic, "Clinique du Parc");
  meso_clinic_set_address (clinic, "12 rue des Lilas\n75011 Paris");
  meso_clinic_set_phone (clinic, "+33 1 23 45 67 89");
  meso_clinic_set_email (clinic, "accueil@parc.example");
  meso_clinic_set_logo (clinic, logo);
  return clinic;
}

static void
assert_clinics_equal (MesoClinic *a,
                      MesoClinic *b)
{
  g_assert_cmpstr (meso_clinic_get_name (a), ==, meso_clinic_get_name (b));
  g_assert_cmpstr (meso_clinic_get_address (a), ==, meso_clinic_get_address (b));
  g_assert_cmpstr (meso_clinic_get_phone (a), ==, meso_clinic_get_phone (b));
  g_assert_cmpstr (meso_clinic_get_email (a), ==, meso_clinic_get_email (b));
  g_assert_cmpstr (meso_clinic_get_logo_type (a), ==, meso_clinic_get_logo_type (b));
  if (meso_clinic_get_logo (a) == NULL || meso_clinic_get_logo (b) == NULL)
    g_assert_true (meso_clinic_get_logo (a) == meso_clinic_get_logo (b));
  else
    g_assert_true (g_bytes_equal (meso_clinic_get_logo (a), meso_clinic_get_logo (b)));
}

static MesoClinic *
get_clinic (MesoStore *store)
{
  g_autoptr(GError) error = NULL;
  MesoClinic *clinic = meso_store_get_clinic (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (clinic);
  return clinic;
}

static void
set_clinic (MesoStore        *store,
            MesoClinic       *clinic,
            MesoClinicFields  fields)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_set_clinic (store, clinic, fields, &error));
  g_assert_no_error (error);
}

/* The entries of the log about the clinic, oldest first. */
static GPtrArray *
clinic_entries (MesoStore *store)
{
  g_autoptr(GPtrArray) all = meso_store_list_audit (store, 0, NULL);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) meso_audit_entry_free);

  g_assert_nonnull (all);
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (((MesoAuditEntry *) g_ptr_array_index (all, i))->action, "clinic"))
      g_ptr_array_add (entries, g_ptr_array_steal_index (all, i--));
  return entries;
}

static void
assert_store_checks (MesoStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

/* Written, closed, opened again: the same details, the logo's bytes included. */
static void
test_store_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MesoClinic) written = parc_clinic ();
  g_autoptr(MesoClinic) empty = get_clinic (fixture->store);
  g_autoptr(MesoClinic) read = NULL;

  g_assert_true (meso_clinic_is_empty (empty));
  set_clinic (fixture->store, written, MESO_CLINIC_ALL);
  g_clear_object (&fixture->store);
  fixture->store = meso_test_open_store (fixture->dir->db);
  read = get_clinic (fixture->store);
  assert_clinics_equal (written, read);
  g_assert_cmpstr (meso_clinic_get_logo_type (read), ==, MESO_CLINIC_LOGO_PNG);
  assert_store_checks (fixture->store);
}

/* Only the details given change: another workstation's change to another one stays. */
static void
test_store_only_given_fields (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(MesoClinic) first = parc_clinic ();
  g_autoptr(MesoStore) other = meso_test_open_store (fixture->dir->db);
  g_autoptr(MesoClinic) phone = meso_clinic_new ();
  g_autoptr(MesoClinic) name = meso_clinic_new ();
  g_autoptr(MesoClinic) read = NULL;

  set_clinic (fixture->store, first, MESO_CLINIC_ALL);
  meso_clinic_set_phone (phone, "01 40 00 00 00");
  set_clinic (other, phone, MESO_CLINIC_PHONE);
  meso_clinic_set_name (name, "Clinique des Tilleuls");
  set_clinic (fixture->store, name, MESO_CLINIC_NAME);

  read = get_clinic (fixture->store);
  g_assert_cmpstr (meso_clinic_get_name (read), ==, "Clinique des Tilleuls");
  g_assert_cmpstr (meso_clinic_get_phone (read), ==, "01 40 00 00 00");
  g_assert_cmpstr (meso_clinic_get_email (read), ==, "accueil@parc.example");
  g_assert_nonnull (meso_clinic_get_logo (read));

  /* Clearing a detail is a change like another. */
  meso_clinic_set_logo (name, NULL);
  set_clinic (other, name, MESO_CLINIC_LOGO);
  g_clear_object (&read);
  read = get_clinic (fixture->store);
  g_assert_null (meso_clinic_get_logo (read));
  g_assert_cmpstr (meso_clinic_get_name (read), ==, "Clinique des Tilleuls");
}

/* Each change is one entry listing the new values; a change to nothing writes nothing. */
static void
test_store_audited (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MesoClinic) clinic = parc_clinic ();
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256,
                                                      meso_clinic_get_logo (clinic));
  g_autofree char *logo_line = g_strdup_printf ("logo=image/png, 24 bytes, sha256 %s\n", sum);
  MesoAuditEntry *entry;

  meso_store_set_user (fixture->store, "reception");
  set_clinic (fixture->store, clinic, MESO_CLINIC_ALL);
  set_clinic (fixture->store, clinic, MESO_CLINIC_ALL);
  meso_clinic_set_email (clinic, "contact@parc.example");
  set_clinic (fixture->store, clinic, MESO_CLINIC_ALL);

  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->entity, ==, "clinic");
  g_assert_cmpstr (entry->user, ==, "reception");
  g_assert_true (g_str_has_prefix (entry->payload,
                                   "change=update\nname=Clinique du Parc\n"
                                   "address=12 rue des Lilas\\n75011 Paris\n"
                                   "phone=+33 1 23 45 67 89\nemail=accueil@parc.example\n"));
  g_assert_true (g_str_has_suffix (entry->payload, logo_line));
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->payload, ==, "change=update\nemail=contact@parc.example\n");
  assert_store_checks (fixture->store);
}

typedef struct
{
  const char       *path;
  MesoClinicFields  field;
  const char       *value;
  const char       *message;
} RefusalCase;

static const RefusalCase refusal_cases[] = {
  { "name", MESO_CLINIC_NAME, "Clinique\ndu Parc", "Clinic name: " },
  { "phone", MESO_CLINIC_PHONE, "call us", "Phone: " },
  { "email", MESO_CLINIC_EMAIL, "accueil@parc", "Email: " },
  { "logo", MESO_CLINIC_LOGO, "GIF89a", "Logo: " },
};

/* A bad detail is refused with its name, and nothing is written, not even the others. */
static void
test_store_refusal (Fixture       *fixture,
                    gconstpointer  data)
{
  const RefusalCase *c = data;
  g_autoptr(MesoClinic) before = parc_clinic ();
  g_autoptr(MesoClinic) clinic = parc_clinic ();
  g_autoptr(MesoClinic) read = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  set_clinic (fixture->store, before, MESO_CLINIC_ALL);
  meso_clinic_set_name (clinic, "Clinique des Tilleuls");
  if (c->field == MESO_CLINIC_LOGO)
    {
      g_autoptr(GBytes) gif = g_bytes_new (c->value, strlen (c->value));

      meso_clinic_set_logo (clinic, gif);
    }
  else
    set_value (clinic, c->field, c->value);

  g_assert_false (meso_store_set_clinic (fixture->store, clinic, MESO_CLINIC_ALL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, c->message));
  read = get_clinic (fixture->store);
  assert_clinics_equal (before, read);
  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 1);
}

/* The database itself refuses what the store would: a logo over 2 MiB, a second row. */
static void
test_store_schema_limits (Fixture       *fixture,
                          gconstpointer  data)
{
  sqlite3 *db = NULL;

  if (meso_test_engine_is_postgresql ())
    {
      g_assert_false (meso_test_pg_try (fixture->dir->db, "INSERT INTO clinic (id, logo,"
                                        " logo_type, updated_at, updated_by) VALUES (1,"
                                        " decode (repeat ('00', 2097153), 'hex'), 'image/png',"
                                        " 'now', 'me')"));
      g_assert_false (meso_test_pg_try (fixture->dir->db, "INSERT INTO clinic (id, logo,"
                                        " updated_at, updated_by) VALUES (1, '\\x89', 'now',"
                                        " 'me')"));
      g_assert_false (meso_test_pg_try (fixture->dir->db, "INSERT INTO clinic (id, updated_at,"
                                        " updated_by) VALUES (2, 'now', 'me')"));
      /* The same statement within the limits goes through: the refusals were the limits. */
      g_assert_true (meso_test_pg_try (fixture->dir->db, "INSERT INTO clinic (id, logo,"
                                       " logo_type, updated_at, updated_by) VALUES (1,"
                                       " decode (repeat ('00', 2097152), 'hex'), 'image/png',"
                                       " 'now', 'me')"));
      return;
    }
  g_assert_cmpint (sqlite3_open (fixture->dir->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO clinic (id, logo, logo_type, updated_at,"
                                     " updated_by) VALUES (1, zeroblob (2097153), 'image/png',"
                                     " 'now', 'me')", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO clinic (id, logo, updated_at, updated_by)"
                                     " VALUES (1, x'89', 'now', 'me')", NULL, NULL, NULL), !=,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO clinic (id, updated_at, updated_by)"
                                     " VALUES (2, 'now', 'me')", NULL, NULL, NULL), !=, SQLITE_OK);
  sqlite3_close (db);
}

static void
count_changes_cb (MesoStore *store,
                  guint     *count)
{
  (*count)++;
}

/* Said once per change, after it is committed; not for a change to nothing. */
static void
test_store_clinic_changed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MesoClinic) clinic = parc_clinic ();
  g_autoptr(MesoPractitioner) roux = meso_practitioner_new ("Dr Roux");
  guint changes = 0;

  g_signal_connect (fixture->store, "clinic-changed", G_CALLBACK (count_changes_cb), &changes);
  set_clinic (fixture->store, clinic, MESO_CLINIC_ALL);
  g_assert_cmpuint (changes, ==, 1);
  set_clinic (fixture->store, clinic, MESO_CLINIC_ALL);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (meso_store_add_practitioner (fixture->store, roux, NULL));
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (meso_store_update_practitioner (fixture->store, roux, NULL));
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (meso_store_retire_practitioner (fixture->store, "Dr Roux", NULL));
  g_assert_cmpuint (changes, ==, 3);
}

/* ---- Practitioners in the store ---- */

static GStrv
names_of (MesoStore *store,
          gboolean   active_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practitioners = meso_store_list_practitioners (store, active_only, &error);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < practitioners->len; i++)
    {
      MesoPractitioner *practitioner = g_ptr_array_index (practitioners, i);
      g_autofree char *name = g_strdup_printf ("%s%s", meso_practitioner_get_name (practitioner),
                                               meso_practitioner_get_active (practitioner)
                                               ? "" : " (off)");

      g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}

static void
assert_names (MesoStore  *store,
              gboolean    active_only,
              const char *expected)
{
  g_auto(GStrv) names = names_of (store, active_only);
  g_autofree char *joined = g_strjoinv (", ", names);

  g_assert_cmpstr (joined, ==, expected);
}

static MesoPractitioner *
find_practitioner (MesoStore  *store,
                   const char *name)
{
  g_autoptr(GPtrArray) practitioners = meso_store_list_practitioners (store, FALSE, NULL);

  for (guint i = 0; i < practitioners->len; i++)
    if (g_str_equal (meso_practitioner_get_name (g_ptr_array_index (practitioners, i)), name))
      return g_object_ref (g_ptr_array_index (practitioners, i));
  return NULL;
}

static void
add_practitioner (MesoStore  *store,
                  const char *name,
                  const char *role,
                  const char *registration)
{
  g_autoptr(MesoPractitioner) practitioner = meso_practitioner_new (name);
  g_autoptr(GError) error = NULL;

  meso_practitioner_set_role (practitioner, role);
  meso_practitioner_set_registration (practitioner, registration);
  g_assert_true (meso_store_add_practitioner (store, practitioner, &error));
  g_assert_no_error (error);
}

/* Listed, sorted as people read, retired without being deleted, listed again. */
static void
test_store_practitioners (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(MesoPractitioner) read = NULL;
  g_autoptr(MesoPractitioner) again = meso_practitioner_new ("Dr Roux");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  MesoAuditEntry *entry;

  add_practitioner (fixture->store, "Nurse Diaz", NULL, NULL);
  add_practitioner (fixture->store, "Dr Roux", "physician", "RPPS 10001");
  add_practitioner (fixture->store, "dr Émile Blanc", NULL, NULL);
  assert_names (fixture->store, TRUE, "dr Émile Blanc, Dr Roux, Nurse Diaz");

  /* Once only. */
  g_assert_false (meso_store_add_practitioner (fixture->store, again, &error));
  g_assert_error (error, MESO_ERROR,
                  MESO_ERROR_CODE (MESO_FIELD_PRACTITIONER, MESO_CHECK_INCONSISTENT));
  g_assert_cmpstr (error->message, ==, "Practitioner: Dr Roux is on the list already");
  g_clear_error (&error);

  g_assert_true (meso_store_retire_practitioner (fixture->store, " Dr Roux ", &error));
  g_assert_no_error (error);
  assert_names (fixture->store, TRUE, "dr Émile Blanc, Nurse Diaz");
  assert_names (fixture->store, FALSE, "dr Émile Blanc, Dr Roux (off), Nurse Diaz");
  g_assert_false (meso_store_retire_practitioner (fixture->store, "Dr Roux", &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Practitioner: Dr Roux is not on the list");
  g_clear_error (&error);

  /* Listed again: their role and number come back with them. */
  g_assert_true (meso_store_add_practitioner (fixture->store, again, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (meso_practitioner_get_role (again), ==, "physician");
  read = find_practitioner (fixture->store, "Dr Roux");
  g_assert_true (meso_practitioner_get_active (read));
  g_assert_cmpstr (meso_practitioner_get_registration (read), ==, "RPPS 10001");

  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 5);
  entry = g_ptr_array_index (entries, 3);
  g_assert_cmpstr (entry->entity, ==, "practitioner");
  g_assert_cmpint (entry->entity_id, >, 0);
  g_assert_cmpstr (entry->payload, ==, "change=retire\nname=Dr Roux\nrole=physician\n"
                                       "registration=RPPS 10001\nactive=no\n");
  entry = g_ptr_array_index (entries, 4);
  g_assert_cmpstr (entry->payload, ==, "change=add\nname=Dr Roux\nrole=physician\n"
                                       "registration=RPPS 10001\nactive=yes\n");
  assert_store_checks (fixture->store);
}

/* The role and number change; the name is the key and never changes. */
static void
test_store_update_practitioner (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(MesoPractitioner) diaz = meso_practitioner_new ("Nurse Diaz");
  g_autoptr(MesoPractitioner) nobody = meso_practitioner_new ("Dr Nobody");
  g_autoptr(MesoPractitioner) read = NULL;
  g_autoptr(GError) error = NULL;

  add_practitioner (fixture->store, "Nurse Diaz", "nurse", NULL);
  meso_practitioner_set_role (diaz, "head nurse");
  meso_practitioner_set_registration (diaz, "ADELI 42");
  g_assert_true (meso_store_update_practitioner (fixture->store, diaz, &error));
  g_assert_no_error (error);
  read = find_practitioner (fixture->store, "Nurse Diaz");
  g_assert_cmpstr (meso_practitioner_get_role (read), ==, "head nurse");
  g_assert_cmpstr (meso_practitioner_get_registration (read), ==, "ADELI 42");

  /* Made inactive by an update: off the form too. */
  meso_practitioner_set_active (diaz, FALSE);
  g_assert_true (meso_store_update_practitioner (fixture->store, diaz, &error));
  assert_names (fixture->store, TRUE, "");

  g_assert_false (meso_store_update_practitioner (fixture->store, nobody, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Practitioner: no practitioner is named “Dr Nobody”");
}

/* Bad input names the field and writes nothing. */
static void
test_store_practitioner_refused (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(MesoPractitioner) blank = meso_practitioner_new (" ");
  g_autoptr(MesoPractitioner) two_lines = meso_practitioner_new ("Dr\nRoux");
  g_autoptr(MesoPractitioner) number = meso_practitioner_new ("Dr Roux");
  g_autofree char *long_number = g_strnfill (61, '1');
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (meso_store_add_practitioner (fixture->store, blank, &error));
  g_assert_true (g_str_has_prefix (error->message, "Practitioner: "));
  g_clear_error (&error);
  g_assert_false (meso_store_add_practitioner (fixture->store, two_lines, &error));
  g_assert_true (g_str_has_prefix (error->message, "Practitioner: "));
  g_clear_error (&error);
  meso_practitioner_set_registration (number, long_number);
  g_assert_false (meso_store_add_practitioner (fixture->store, number, &error));
  g_assert_true (g_str_has_prefix (error->message, "Registration number: "));

  assert_names (fixture->store, FALSE, "");
  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 0);
}

/* Someone named by sessions is known, not listed until added; their sessions keep their
 * name whatever happens to the list, and the database refuses to delete or rename them. */
static void
test_store_practitioner_of_sessions (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, 10, 10);
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(MesoPractitioner) visiting = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER, "Dr Visiting",
                                              &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRACTITIONER_ROLE,
                                              "dermatologist", &error));
  id = meso_test_save_session (fixture->store, session);
  assert_names (fixture->store, TRUE, "");
  assert_names (fixture->store, FALSE, "Dr Visiting (off)");

  add_practitioner (fixture->store, "Dr Visiting", NULL, "RPPS 2");
  visiting = find_practitioner (fixture->store, "Dr Visiting");
  g_assert_cmpstr (meso_practitioner_get_role (visiting), ==, "dermatologist");
  g_assert_true (meso_store_retire_practitioner (fixture->store, "Dr Visiting", &error));

  read = meso_store_get_session (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_session_get_practitioner (read), ==, "Dr Visiting");

  if (meso_test_engine_is_postgresql ())
    {
      g_assert_false (meso_test_pg_try (fixture->dir->db, "DELETE FROM practitioners"));
      g_assert_false (meso_test_pg_try (fixture->dir->db,
                                        "UPDATE practitioners SET name = 'Dr Other'"));
    }
  else
    {
      g_assert_cmpint (sqlite3_open (fixture->dir->db, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "DELETE FROM practitioners", NULL, NULL, NULL), !=,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, "UPDATE practitioners SET name = 'Dr Other'", NULL,
                                     NULL, NULL), !=, SQLITE_OK);
      sqlite3_close (db);
    }
  assert_names (fixture->store, FALSE, "Dr Visiting (off)");
  assert_store_checks (fixture->store);
}

/* A database of schema 3 gains the clinic's table; its practitioners, known from its
 * sessions, are there, not listed. */
static void
test_store_upgrade_from_schema_3 (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "schema-3.db", NULL);
  g_autoptr(GBytes) bytes = meso_test_read_file (source);
  g_autofree char *folder = g_path_get_dirname (dir->db);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (dir->db, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                       &error);
  g_assert_no_error (error);
  store = meso_test_open_store (dir->db);
  g_assert_cmpint (meso_store_get_schema_version (store), ==,
                   meso_store_get_latest_schema_version ());
  clinic = get_clinic (store);
  g_assert_true (meso_clinic_is_empty (clinic));
  assert_names (store, TRUE, "");
  assert_names (store, FALSE, "Dr Léa Martin (off), Nurse Tom (off)");
  add_practitioner (store, "Dr Léa Martin", NULL, NULL);
  assert_names (store, TRUE, "Dr Léa Martin");
  assert_store_checks (store);
}

/* ---- The carry-over from an older version's settings ---- */

static char *
write_png_logo (const char *dir)
{
  g_autoptr(GBytes) logo = png_logo ();

  return write_file (dir, "logo.png", g_bytes_get_data (logo, NULL),
                     (gssize) g_bytes_get_size (logo));
}

/* Once: the settings' values become the database's, with their audit entries; a second
 * workstation, its settings different, changes nothing. */
static void
test_carry_over_once (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *logo = write_png_logo (fixture->dir->path);
  const char * const practitioners[] = { "Dr Roux", " Nurse Diaz", "Dr Roux", NULL };
  const char * const others[] = { "Dr Other", NULL };
  MesoClinicSettings settings = { "Clinique du Parc", "12 rue des Lilas", "+33 1 23 45 67 89",
                                  "accueil@parc.example", logo, practitioners };
  MesoClinicSettings second = { "Clinique Autre", "", "01 99 99 99 99", "", NULL, others };
  g_autoptr(MesoClinic) expected = parc_clinic ();
  g_autoptr(MesoClinic) read = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean carried = FALSE;

  meso_clinic_set_address (expected, "12 rue des Lilas");
  g_assert_true (meso_store_carry_over_clinic (fixture->store, &settings, &carried, &error));
  g_assert_no_error (error);
  g_assert_true (carried);
  read = get_clinic (fixture->store);
  assert_clinics_equal (expected, read);
  assert_names (fixture->store, TRUE, "Dr Roux, Nurse Diaz");
  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_true (g_str_has_prefix (((MesoAuditEntry *) g_ptr_array_index (entries, 0))->payload,
                                   "change=carry-over\nname=Clinique du Parc\n"));

  /* The logo was read once: the file may go. */
  g_assert_cmpint (g_unlink (logo), ==, 0);
  g_assert_true (meso_store_carry_over_clinic (fixture->store, &second, &carried, &error));
  g_assert_no_error (error);
  g_assert_false (carried);
  g_clear_object (&read);
  read = get_clinic (fixture->store);
  assert_clinics_equal (expected, read);
  assert_names (fixture->store, FALSE, "Dr Roux, Nurse Diaz");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 3);
  assert_store_checks (fixture->store);
}

/* Details already in the database, written from anywhere, are never overwritten. */
static void
test_carry_over_never_overwrites (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(MesoClinic) phone = meso_clinic_new ();
  const char * const practitioners[] = { "Dr Roux", NULL };
  MesoClinicSettings settings = { "Clinique du Parc", NULL, "+33 1 23 45 67 89", NULL, NULL,
                                  practitioners };
  g_autoptr(MesoClinic) read = NULL;
  gboolean carried = TRUE;

  meso_clinic_set_phone (phone, "01 40 00 00 00");
  set_clinic (fixture->store, phone, MESO_CLINIC_PHONE);
  g_assert_true (meso_store_carry_over_clinic (fixture->store, &settings, &carried, NULL));
  g_assert_false (carried);
  read = get_clinic (fixture->store);
  g_assert_cmpstr (meso_clinic_get_name (read), ==, "");
  g_assert_cmpstr (meso_clinic_get_phone (read), ==, "01 40 00 00 00");
  assert_names (fixture->store, FALSE, "");
}

/* Values no longer valid are left out; the others come. Nothing to carry writes nothing,
 * and leaves the carry-over for later. */
static void
test_carry_over_takes_what_is_valid (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *gone = g_build_filename (fixture->dir->path, "moved.png", NULL);
  const char * const practitioners[] = { "", "Dr\nRoux", "Nurse Diaz", NULL };
  MesoClinicSettings nothing = { "", "", "", "", "", NULL };
  MesoClinicSettings settings = { "Clinique du Parc", NULL, "call us", "accueil@", gone,
                                  practitioners };
  g_autoptr(MesoClinic) read = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gboolean carried = TRUE;

  g_assert_true (meso_store_carry_over_clinic (fixture->store, &nothing, &carried, NULL));
  g_assert_false (carried);
  entries = clinic_entries (fixture->store);
  g_assert_cmpuint (entries->len, ==, 0);

  g_assert_true (meso_store_carry_over_clinic (fixture->store, &settings, &carried, NULL));
  g_assert_true (carried);
  read = get_clinic (fixture->store);
  g_assert_cmpstr (meso_clinic_get_name (read), ==, "Clinique du Parc");
  g_assert_cmpstr (meso_clinic_get_phone (read), ==, "");
  g_assert_cmpstr (meso_clinic_get_email (read), ==, "");
  g_assert_null (meso_clinic_get_logo (read));
  assert_names (fixture->store, FALSE, "Nurse Diaz");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The values themselves, with no store: once, on the SQLite run. */
  if (!meso_test_engine_is_postgresql ())
    {
      MESO_TEST_ADD_NAMED_CASES ("/clinic/value/", value_cases, test_value);
      g_test_add_func ("/clinic/trimmed-and-notified", test_trimmed_and_notified);
      g_test_add_func ("/clinic/logo/types", test_logo_types);
      MESO_TEST_ADD_NAMED_CASES ("/clinic/logo/refused/", logo_cases, test_logo_refused);
      g_test_add_func ("/clinic/logo/bytes-checked", test_logo_bytes_checked);
      g_test_add_func ("/clinic/practitioner-rules", test_practitioner_rules);
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/clinic/store/round-trip", test_store_round_trip);
  ADD ("/clinic/store/only-given-fields", test_store_only_given_fields);
  ADD ("/clinic/store/audited", test_store_audited);
  for (guint i = 0; i < G_N_ELEMENTS (refusal_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/clinic/store/refused/", refusal_cases[i].path, NULL);

      g_test_add (path, Fixture, &refusal_cases[i], fixture_set_up, test_store_refusal,
                  fixture_tear_down);
    }
  ADD ("/clinic/store/schema-limits", test_store_schema_limits);
  ADD ("/clinic/store/practitioner-of-sessions", test_store_practitioner_of_sessions);
  /* A file of an old schema. */
  if (!meso_test_engine_is_postgresql ())
    g_test_add_func ("/clinic/store/upgrade-from-schema-3", test_store_upgrade_from_schema_3);
  ADD ("/clinic/store/clinic-changed", test_store_clinic_changed);
  ADD ("/clinic/store/practitioners", test_store_practitioners);
  ADD ("/clinic/store/update-practitioner", test_store_update_practitioner);
  ADD ("/clinic/store/practitioner-refused", test_store_practitioner_refused);
  ADD ("/clinic/carry-over/once", test_carry_over_once);
  ADD ("/clinic/carry-over/never-overwrites", test_carry_over_never_overwrites);
  ADD ("/clinic/carry-over/takes-what-is-valid", test_carry_over_takes_what_is_valid);

#undef ADD

  return g_test_run ();
}
