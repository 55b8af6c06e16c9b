/* test-clinic.c: the clinic's details and practitioners, their rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "meso-clinic.h"
#include "meso-error.h"
#include "meso-practitioner.h"
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
  { "phone/words", MESO_CLINIC_PHONE, "call reception", "Phone: write the number with digits" },
  { "phone/plus-inside", MESO_CLINIC_PHONE, "01 23+45 67 89", "Phone: write the number with digits" },
  { "phone/too-few-digits", MESO_CLINIC_PHONE, "12 34", "Phone: a phone number has between 5 and 20" },
  { "phone/41", MESO_CLINIC_PHONE, "REPEAT:1:41", "Phone: the text has 41 characters; at most 40" },
  { "email/plain", MESO_CLINIC_EMAIL, "accueil@parc.example", NULL },
  { "email/no-at", MESO_CLINIC_EMAIL, "accueil.parc.example", "Email: write an address such as" },
  { "email/no-domain", MESO_CLINIC_EMAIL, "accueil@", "Email: write an address such as" },
  { "email/no-dot", MESO_CLINIC_EMAIL, "accueil@parc", "Email: write an address such as" },
  { "email/space", MESO_CLINIC_EMAIL, "accueil du parc@parc.example", "Email: write an address" },
  { "email/two-at", MESO_CLINIC_EMAIL, "a@b@parc.example", "Email: write an address such as" },
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  MESO_TEST_ADD_NAMED_CASES ("/clinic/value/", value_cases, test_value);
  g_test_add_func ("/clinic/trimmed-and-notified", test_trimmed_and_notified);
  g_test_add_func ("/clinic/logo/types", test_logo_types);
  MESO_TEST_ADD_NAMED_CASES ("/clinic/logo/refused/", logo_cases, test_logo_refused);
  g_test_add_func ("/clinic/logo/bytes-checked", test_logo_bytes_checked);
  g_test_add_func ("/clinic/practitioner-rules", test_practitioner_rules);

  return g_test_run ();
}
