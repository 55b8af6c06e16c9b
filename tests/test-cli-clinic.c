/* test-cli-clinic.c: mesocare-cli clinic end to end, from one workstation and from two
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-clinic"

#include "config.h"

#include <cairo.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <string.h>

#include "meso-store.h"
#include "meso-test-util.h"

/* ---- Running the tool ---- */

/* A workstation: its own settings, in a key file under its own XDG_CONFIG_HOME, as a
 * desktop keeps them; NULL for the tests' memory backend. */
typedef struct
{
  char *config_home;
} Workstation;

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return g_strdup ("");
  g_assert_null (memchr (data, '\0', size));
  return g_strndup (data, size);
}

/* `mesocare-cli --db @db @args`; the exit status, and what it wrote. */
static int
run_at (const Workstation  *workstation,
        const char         *db,
        const char * const *args,
        char              **out,
        char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autoptr(GError) error = NULL;

  if (workstation != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", workstation->config_home, TRUE);
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
    }
  process = meso_test_spawn_cli (launcher, db, args);
  g_subprocess_communicate (process, no_input, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  *out = bytes_to_string (out_bytes);
  *err = bytes_to_string (err_bytes);
  meso_test_log_text ("stdout", *out);
  meso_test_log_text ("stderr", *err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static int
run (const char         *db,
     const char * const *args,
     char              **out,
     char              **err)
{
  return run_at (NULL, db, args, out, err);
}

/* Runs a command that must succeed without a word on stderr; returns its stdout. */
static char *
run_ok_at (const Workstation  *workstation,
           const char         *db,
           const char * const *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_at (workstation, db, args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return g_steal_pointer (&out);
}

static char *
run_ok (const char         *db,
        const char * const *args)
{
  return run_ok_at (NULL, db, args);
}

static char *
print_clinic_at (const Workstation *workstation,
                 const char        *db)
{
  const char *args[] = { "clinic", NULL };

  return run_ok_at (workstation, db, args);
}

static guint
count_clinic_entries (const char *db)
{
  g_autoptr(MesoStore) store = meso_test_open_store (db);
  g_autoptr(GPtrArray) entries = meso_store_list_audit (store, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    n += g_str_equal (((MesoAuditEntry *) g_ptr_array_index (entries, i))->action, "clinic");
  return n;
}

static char *
write_png (const char *dir,
           const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *png = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 100);
  cairo_t *cr = cairo_create (png);

  cairo_set_source_rgb (cr, 0.1, 0.4, 0.8);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (png, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (png);
  return path;
}

static gint64
record_session (const char *db)
{
  const char *args[] = { "record", "--patient", "Ann Lee", "--area", "face", "--injections",
                         "40", "--duration", "30", NULL };
  g_autofree char *out = run_ok (db, args);

  return g_ascii_strtoll (out, NULL, 10);
}

/* ---- Printing and setting ---- */

/* Set, then printed one "Label: value" a line, as `show` prints a session; the logo
 * kept in the database, so the file may go. */
static void
test_set_and_print (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *logo = write_png (dir->path, "logo.png");
  g_autoptr(GFile) logo_file = g_file_new_for_path (logo);
  g_autoptr(GFileInfo) info = g_file_query_info (logo_file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  const char *set[] = {
    "clinic", "--name", "Clinique du Parc", "--address", "12 rue des Lilas\n75011 Paris",
    "--phone", "+33 1 23 45 67 89", "--email", "accueil@parc.example", "--logo", logo, NULL
  };
  const char *add[] = { "clinic", "--add-practitioner", "Dr Roux", "--role", "physician",
                        "--registration", "RPPS 10001", NULL };
  const char *add_other[] = { "clinic", "--add-practitioner", "Nurse Diaz", NULL };
  g_autofree char *set_out = run_ok (dir->db, set);
  g_autofree char *printed = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *add_out = NULL;

  g_assert_cmpstr (set_out, ==, "");
  g_assert_cmpint (g_unlink (logo), ==, 0);
  add_out = run_ok (dir->db, add);
  g_free (add_out);
  add_out = run_ok (dir->db, add_other);
  printed = print_clinic_at (NULL, dir->db);
  expected = g_strdup_printf ("Clinic name: Clinique du Parc\n"
                              "Address: 12 rue des Lilas\n"
                              "    75011 Paris\n"
                              "Phone: +33 1 23 45 67 89\n"
                              "Email: accueil@parc.example\n"
                              "Logo: PNG image, %" G_GUINT64_FORMAT " bytes\n"
                              "Practitioner: Dr Roux (physician, RPPS 10001)\n"
                              "Practitioner: Nurse Diaz\n",
                              (guint64) g_file_info_get_size (info));
  g_assert_cmpstr (printed, ==, expected);
  g_assert_cmpuint (count_clinic_entries (dir->db), ==, 3);
}

/* Only the details given change; '' clears one; setting the same again writes nothing. */
static void
test_only_given_change (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *name[] = { "clinic", "--name", "Clinique du Parc", "--email", "a@parc.example",
                         NULL };
  const char *phone[] = { "clinic", "--phone", "01 40 00 00 00", NULL };
  const char *clear[] = { "clinic", "--email", "", NULL };
  g_autofree char *out = NULL;
  g_autofree char *printed = NULL;

  out = run_ok (dir->db, name);
  g_free (out);
  out = run_ok (dir->db, phone);
  g_free (out);
  out = run_ok (dir->db, phone);
  g_assert_cmpuint (count_clinic_entries (dir->db), ==, 2);
  g_free (out);
  out = run_ok (dir->db, clear);
  printed = print_clinic_at (NULL, dir->db);
  g_assert_cmpstr (printed, ==, "Clinic name: Clinique du Parc\nPhone: 01 40 00 00 00\n");
}

/* Listed, once only; taken off the list, printed with --all; the sessions keep them. */
static void
test_practitioners (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *add[] = { "clinic", "--add-practitioner", "Dr Roux", NULL };
  const char *retire[] = { "clinic", "--retire-practitioner", "Dr Roux", NULL };
  const char *all[] = { "clinic", "--all", NULL };
  g_autofree char *out = run_ok (dir->db, add);
  g_autofree char *err = NULL;
  g_autofree char *printed = NULL;

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir->db, add, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, "mesocare-cli: Practitioner: Dr Roux is on the list already\n");
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  out = run_ok (dir->db, retire);
  printed = print_clinic_at (NULL, dir->db);
  g_assert_cmpstr (printed, ==, "");
  g_clear_pointer (&printed, g_free);
  printed = run_ok (dir->db, all);
  g_assert_cmpstr (printed, ==, "Practitioner: Dr Roux (not on the list)\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (dir->db, retire, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, "mesocare-cli: Practitioner: Dr Roux is not on the list\n");
}

/* ---- Two workstations, one database ---- */

static Workstation *
workstation_new (const char *root,
                 const char *name,
                 const char *keys)
{
  Workstation *workstation = g_new0 (Workstation, 1);
  g_autofree char *folder = NULL;
  g_autofree char *keyfile = NULL;
  g_autoptr(GError) error = NULL;

  workstation->config_home = g_build_filename (root, name, NULL);
  folder = g_build_filename (workstation->config_home, "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  keyfile = g_build_filename (folder, "keyfile", NULL);
  g_file_set_contents (keyfile, keys, -1, &error);
  g_assert_no_error (error);
  return workstation;
}

static void
workstation_free (Workstation *workstation)
{
  g_free (workstation->config_home);
  g_free (workstation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Workstation, workstation_free)

/* The key of the database's sealed audit log is kept in the configuration folder of the
 * workstation that made it: every workstation that writes gets a copy, as a clinic
 * setting one up would (0600, in its own folder). */
static void
share_key (const char *from_config,
           const char *to_config)
{
  g_autofree char *from = g_build_filename (from_config, "mesocare", "keys", NULL);
  g_autofree char *to = g_build_filename (to_config, "mesocare", "keys", NULL);
  g_autofree char *name = meso_test_first_entry (from);
  g_autofree char *from_key = g_build_filename (from, name, NULL);
  g_autofree char *to_key = g_build_filename (to, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  g_file_get_contents (from_key, &text, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (to_key, text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
}

static PopplerDocument *
open_pdf (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_filename_to_uri (path, NULL, &error);
  PopplerDocument *document = poppler_document_new_from_file (uri, NULL, &error);

  g_assert_no_error (error);
  return document;
}

/* The front desk sets the clinic's details; the chair, whose own settings still hold
 * another clinic's (as an older version kept them) and another paper, sees the same
 * details and prints them, on its own paper. */
static void
test_two_workstations (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(Workstation) desk = workstation_new (dir->path, "desk",
                                                 "[io/github/mesocare/Mesocare]\n"
                                                 "paper-size='a4'\n");
  g_autoptr(Workstation) chair = workstation_new (dir->path, "chair",
                                                  "[io/github/mesocare/Mesocare]\n"
                                                  "clinic-name='Old Name'\n"
                                                  "paper-size='letter'\n");
  const char *set[] = { "clinic", "--name", "Clinique du Parc", "--phone", "+33 1 23 45 67 89",
                        NULL };
  g_autofree char *desk_pdf = g_build_filename (dir->path, "desk.pdf", NULL);
  g_autofree char *chair_pdf = g_build_filename (dir->path, "chair.pdf", NULL);
  g_autofree char *out = run_ok_at (desk, dir->db, set);
  g_autofree char *at_desk = print_clinic_at (desk, dir->db);
  g_autofree char *at_chair = print_clinic_at (chair, dir->db);
  g_autofree char *id = NULL;
  const char *desk_sheet[] = { "sheet", id, "--output", desk_pdf, NULL };
  const char *chair_sheet[] = { "sheet", id, "--output", chair_pdf, NULL };
  PopplerDocument *document;
  PopplerPage *page;
  g_autofree char *text = NULL;
  double width, height;

  /* The key is the SQLite file's: a server's log keeps no key on the workstations. */
  if (!meso_test_engine_is_postgresql ())
    {
      share_key (desk->config_home, chair->config_home);
      share_key (desk->config_home, g_get_user_config_dir ());
    }
  id = g_strdup_printf ("%" G_GINT64_FORMAT, record_session (dir->db));
  desk_sheet[1] = chair_sheet[1] = id;
  g_assert_cmpstr (at_desk, ==, "Clinic name: Clinique du Parc\nPhone: +33 1 23 45 67 89\n");
  g_assert_cmpstr (at_chair, ==, at_desk);

  g_free (out);
  out = run_ok_at (desk, dir->db, desk_sheet);
  g_free (out);
  out = run_ok_at (chair, dir->db, chair_sheet);

  document = open_pdf (chair_pdf);
  page = poppler_document_get_page (document, 0);
  text = poppler_page_get_text (page);
  g_assert_nonnull (strstr (text, "Clinique du Parc"));
  g_assert_nonnull (strstr (text, "+33 1 23 45 67 89"));
  g_assert_null (strstr (text, "Old Name"));
  poppler_page_get_size (page, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 612, 1);
  g_object_unref (page);
  g_object_unref (document);

  document = open_pdf (desk_pdf);
  page = poppler_document_get_page (document, 0);
  poppler_page_get_size (page, &width, &height);
  g_assert_cmpfloat_with_epsilon (width, 595.3, 1);
  g_object_unref (page);
  g_object_unref (document);
}

/* The same details give the same sheet, byte for byte; other details another one. */
static void
test_reprint_identical (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *logo = write_png (dir->path, "logo.png");
  const char *set[] = { "clinic", "--name", "Clinique du Parc", "--phone", "01 40 00 00 00",
                        "--logo", logo, NULL };
  const char *phone[] = { "clinic", "--phone", "01 40 00 00 01", NULL };
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, record_session (dir->db));
  g_autofree char *first = g_build_filename (dir->path, "first.pdf", NULL);
  g_autofree char *second = g_build_filename (dir->path, "second.pdf", NULL);
  g_autofree char *third = g_build_filename (dir->path, "third.pdf", NULL);
  const char *print_first[] = { "sheet", id, "--output", first, "--paper", "a4", NULL };
  const char *print_second[] = { "sheet", id, "--output", second, "--paper", "a4", NULL };
  const char *print_third[] = { "sheet", id, "--output", third, "--paper", "a4", NULL };
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) second_bytes = NULL;
  g_autoptr(GBytes) third_bytes = NULL;
  g_autofree char *out = run_ok (dir->db, set);

  g_free (out);
  out = run_ok (dir->db, print_first);
  g_free (out);
  out = run_ok (dir->db, set);
  g_free (out);
  out = run_ok (dir->db, print_second);
  first_bytes = meso_test_read_file (first);
  second_bytes = meso_test_read_file (second);
  g_assert_true (g_bytes_equal (first_bytes, second_bytes));

  g_free (out);
  out = run_ok (dir->db, phone);
  g_free (out);
  out = run_ok (dir->db, print_third);
  third_bytes = meso_test_read_file (third);
  g_assert_false (g_bytes_equal (first_bytes, third_bytes));
}

/* ---- The emergency number ---- */

static char *
sheet_text (const char *pdf)
{
  PopplerDocument *document;
  g_autoptr(GString) text = g_string_new (NULL);

  document = open_pdf (pdf);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append (text, page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Set, printed, on the sheet; '' gives the country's own back, which is what the sheet
 * prints when none is set (112 for a computer with no country in its locale). */
static void
test_emergency_number (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *set[] = { "clinic", "--name", "Clinique du Parc", "--phone", "01 40 00 00 00",
                        "--emergency-number", "15", NULL };
  const char *clear[] = { "clinic", "--emergency-number", "", NULL };
  const char *bad[] = { "clinic", "--emergency-number", "call 15", NULL };
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, record_session (dir->db));
  g_autofree char *pdf = g_build_filename (dir->path, "sheet.pdf", NULL);
  const char *sheet[] = { "sheet", id, "--output", pdf, NULL };
  g_autofree char *out = run_ok (dir->db, set);
  g_autofree char *err = NULL;
  g_autofree char *printed = print_clinic_at (NULL, dir->db);
  g_autofree char *text = NULL;

  g_assert_cmpstr (printed, ==, "Clinic name: Clinique du Parc\nPhone: 01 40 00 00 00\n"
                                "Emergency number: 15\n");
  g_free (run_ok (dir->db, sheet));
  text = sheet_text (pdf);
  g_assert_nonnull (strstr (text, "Emergency: call 15\n"));
  g_assert_null (strstr (text, "112"));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run (dir->db, bad, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, "mesocare-cli: Emergency number: write the number alone, 2 to 8 "
                            "digits, such as 112\n");
  g_clear_pointer (&printed, g_free);
  printed = print_clinic_at (NULL, dir->db);
  g_assert_true (g_str_has_suffix (printed, "Emergency number: 15\n"));

  g_free (run_ok (dir->db, clear));
  g_clear_pointer (&printed, g_free);
  printed = print_clinic_at (NULL, dir->db);
  g_assert_cmpstr (printed, ==, "Clinic name: Clinique du Parc\nPhone: 01 40 00 00 00\n");
  g_free (run_ok (dir->db, sheet));
  g_clear_pointer (&text, g_free);
  text = sheet_text (pdf);
  g_assert_nonnull (strstr (text, "Emergency: call 112\n"));
}

/* The sheet is written all the same, but the user is told what it lacks. */
static void
test_sheet_warns_without_clinic (void)
{
  static const struct { const char *args[6]; const char *warning; } cases[] = {
    { { NULL }, "no name and no phone" },
    { { "--name", "Clinique du Parc" }, "no phone" },
    { { "--phone", "01 40 00 00 00" }, "no name" },
    { { "--name", "Clinique du Parc", "--phone", "01 40 00 00 00" }, NULL },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, record_session (dir->db));
      g_autofree char *pdf = g_build_filename (dir->path, "sheet.pdf", NULL);
      const char *sheet[] = { "sheet", id, "--output", pdf, NULL };
      const char *set[8] = { "clinic" };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      for (guint i = 0; cases[c].args[i] != NULL; i++)
        set[i + 1] = cases[c].args[i];
      if (set[1] != NULL)
        g_free (run_ok (dir->db, set));
      g_assert_cmpint (run (dir->db, sheet, &out, &err), ==, 0);
      g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
      if (cases[c].warning == NULL)
        {
          g_assert_cmpstr (err, ==, "");
          continue;
        }
      g_assert_true (g_str_has_prefix (err, "mesocare-cli: warning: the clinic has "));
      g_assert_nonnull (strstr (err, cases[c].warning));
      g_assert_cmpuint (meso_test_count_newlines (err), ==, 1);
    }
}

/* ---- Bad input: one line naming the field, and nothing written ---- */

#define TOO_LARGE "@TOO_LARGE@"  /* a PNG one byte over 2 MiB */
#define NOT_IMAGE "@NOT_IMAGE@"  /* a text file */
#define MISSING   "@MISSING@"    /* a file that is not there */

typedef struct
{
  const char *path;
  const char *args[8];
  int         status;
  const char *message;   /* what stderr starts with */
} BadCase;

static const BadCase bad_cases[] = {
  { "name/two-lines", { "--name", "Clinique\ndu Parc" }, 1, "mesocare-cli: Clinic name: " },
  { "name/not-utf8", { "--name", "Clinique \xff" }, 1,
    "mesocare-cli: Clinic name: the text is not valid UTF-8" },
  { "name/escape", { "--name", "Clinique \x1b[31m" }, 1, "mesocare-cli: Clinic name: " },
  { "address/too-long", { "--address", "@REPEAT_501@" }, 1, "mesocare-cli: Address: " },
  { "phone/words", { "--phone", "call reception" }, 1, "mesocare-cli: Phone: " },
  { "phone/too-long", { "--phone", "12345678901234567890123456789012345678901" }, 1,
    "mesocare-cli: Phone: " },
  { "email/no-domain", { "--email", "accueil@" }, 1, "mesocare-cli: Email: " },
  { "email/with-good-name", { "--name", "Clinique du Parc", "--email", "accueil parc" }, 1,
    "mesocare-cli: Email: " },
  { "emergency/words", { "--emergency-number", "dial 112" }, 1,
    "mesocare-cli: Emergency number: " },
  { "emergency/one-digit", { "--emergency-number", "1" }, 1, "mesocare-cli: Emergency number: " },
  { "logo/too-large", { "--logo", TOO_LARGE }, 1, "mesocare-cli: Logo: the image is too large" },
  { "logo/not-an-image", { "--logo", NOT_IMAGE }, 1, "mesocare-cli: Logo: " },
  { "logo/missing", { "--logo", MISSING }, 1, "mesocare-cli: Logo: cannot read" },
  { "practitioner/blank", { "--add-practitioner", " " }, 1, "mesocare-cli: Practitioner: " },
  { "practitioner/registration", { "--add-practitioner", "Dr Roux", "--registration",
    "1234567890123456789012345678901234567890123456789012345678901" }, 1,
    "mesocare-cli: Registration number: " },
  { "usage/both", { "--name", "Clinique", "--add-practitioner", "Dr Roux" }, 2,
    "mesocare-cli clinic: " },
  { "usage/role-alone", { "--role", "nurse" }, 2, "mesocare-cli clinic: " },
  { "usage/argument", { "Clinique" }, 2, "mesocare-cli clinic: " },
  { "usage/unknown-option", { "--fax", "01" }, 2, "mesocare-cli clinic: " },
};

static char *
expand_arg (const char *dir,
            const char *arg)
{
  if (g_str_equal (arg, TOO_LARGE))
    {
      g_autofree char *content = g_malloc0 (MESO_CLINIC_LOGO_MAX_BYTES + 1);
      char *path = g_build_filename (dir, "large.png", NULL);

      memcpy (content, "\x89PNG\r\n\x1a\n", 8);
      g_assert_true (g_file_set_contents (path, content, MESO_CLINIC_LOGO_MAX_BYTES + 1, NULL));
      return path;
    }
  if (g_str_equal (arg, NOT_IMAGE))
    {
      char *path = g_build_filename (dir, "logo.png", NULL);

      g_assert_true (g_file_set_contents (path, "Clinique du Parc", -1, NULL));
      return path;
    }
  if (g_str_equal (arg, MISSING))
    return g_build_filename (dir, "nowhere.png", NULL);
  if (g_str_equal (arg, "@REPEAT_501@"))
    return g_strnfill (501, 'a');
  return g_strdup (arg);
}

/* On a database that does not exist, nothing is created; on one that does, nothing
 * changes and nothing is audited. */
static void
test_bad_input (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *files = g_build_filename (dir->path, "files", NULL);
  g_autofree char *db_dir = g_path_get_dirname (dir->db);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  const char *name[] = { "clinic", "--name", "Clinique du Parc", NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (g_mkdir_with_parents (files, 0700), ==, 0);
  g_ptr_array_add (args, g_strdup ("clinic"));
  for (guint i = 0; c->args[i] != NULL; i++)
    g_ptr_array_add (args, expand_arg (files, c->args[i]));
  g_ptr_array_add (args, NULL);

  g_assert_cmpint (run (dir->db, (const char * const *) args->pdata, &out, &err), ==, c->status);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, c->message));
  g_assert_cmpuint (meso_test_count_newlines (err), ==, 1);
  g_assert_false (g_file_test (db_dir, G_FILE_TEST_EXISTS));
  g_assert_true (meso_test_db_location_is_blank (dir->db));

  /* Once the clinic has details. */
  g_free (run_ok (dir->db, name));
  before = print_clinic_at (NULL, dir->db);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (dir->db, (const char * const *) args->pdata, &out, &err), ==, c->status);
  g_assert_true (g_str_has_prefix (err, c->message));
  after = print_clinic_at (NULL, dir->db);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (count_clinic_entries (dir->db), ==, 1);
}

/* Reading a database that is not there (a file, or a server's database) creates none. */
static void
test_print_missing_database (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  const char *args[] = { "clinic", NULL };
  g_autofree char *db = meso_test_engine_is_postgresql () ? meso_test_missing_db_location_new ()
                                                         : g_strdup (dir->db);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (db, args, &out, &err), ==, 1);
  if (meso_test_engine_is_postgresql ())
    {
      g_autofree char *name = meso_test_location_db_name (db);
      g_autofree char *query = g_strdup_printf ("SELECT count(*) FROM pg_database"
                                                " WHERE datname = '%s'", name);

      /* The server's refusal, naming the database, with nothing about trying again. */
      g_assert_true (g_str_has_prefix (err, "mesocare-cli: "));
      g_assert_nonnull (strstr (err, "refused the connection"));
      g_assert_nonnull (strstr (err, name));
      g_assert_null (strstr (err, "try again"));
      g_assert_cmpint (meso_test_pg_count (meso_test_server_uri (), query), ==, 0);
      return;
    }
  g_assert_true (g_str_has_prefix (err, "mesocare-cli: Database: "));
  g_assert_false (g_file_test (dir->db, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli-clinic/set-and-print", test_set_and_print);
  g_test_add_func ("/cli-clinic/only-given-change", test_only_given_change);
  g_test_add_func ("/cli-clinic/practitioners", test_practitioners);
  g_test_add_func ("/cli-clinic/two-workstations", test_two_workstations);
  g_test_add_func ("/cli-clinic/reprint-identical", test_reprint_identical);
  g_test_add_func ("/cli-clinic/print-missing-database", test_print_missing_database);
  g_test_add_func ("/cli-clinic/emergency-number", test_emergency_number);
  g_test_add_func ("/cli-clinic/sheet-warns-without-clinic", test_sheet_warns_without_clinic);
  MESO_TEST_ADD_NAMED_CASES ("/cli-clinic/bad-input/", bad_cases, test_bad_input);

  return g_test_run ();
}
