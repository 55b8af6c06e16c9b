/* test-draft.c: the draft of a form not yet saved, written and read back headless
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "meso-draft.h"
#include "meso-field.h"
#include "meso-test-util.h"

/* What a form half typed holds: text no session would accept, lines, quotes, accents. */
static MesoDraft *
make_draft (void)
{
  MesoDraft *draft = meso_draft_new ();
  g_autoptr(GDateTime) at = g_date_time_new_local (2026, 12, 5, 14, 32, 7);

  meso_draft_set_text (draft, MESO_FIELD_PATIENT, "Zoë \"Zo\" Núñez");
  meso_draft_set_text (draft, MESO_FIELD_AREAS, "face,scalp");
  meso_draft_set_text (draft, MESO_FIELD_INJECTIONS, "12x");
  meso_draft_set_text (draft, MESO_FIELD_DURATION, "");
  meso_draft_set_text (draft, MESO_FIELD_INSTRUCTIONS, "Line one\nLine two; = [x]\n\\n stays");
  meso_draft_set_text (draft, MESO_FIELD_PREGNANT, "no");
  meso_draft_set_saved_at (draft, at);
  return draft;
}

static void
assert_same (MesoDraft *a,
             MesoDraft *b)
{
  MESO_FIELD_FOREACH (field)
    g_assert_cmpstr (meso_draft_get_text (a, field), ==, meso_draft_get_text (b, field));
  g_assert_nonnull (meso_draft_get_saved_at (b));
  g_assert_true (g_date_time_equal (meso_draft_get_saved_at (a), meso_draft_get_saved_at (b)));
}

static void
test_round_trip (void)
{
  g_autoptr(MesoDraft) draft = make_draft ();
  g_autoptr(GBytes) bytes = meso_draft_to_bytes (draft);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoDraft) back = meso_draft_new_from_bytes (bytes, &error);

  g_assert_no_error (error);
  assert_same (draft, back);
  /* A field never typed stays absent, not empty. */
  g_assert_null (meso_draft_get_text (back, MESO_FIELD_LOT));
  g_assert_cmpstr (meso_draft_get_text (back, MESO_FIELD_DURATION), ==, "");
}

/* Private (0600 in a 0700 folder), whole, and nothing left beside it. */
static void
test_save_load_remove (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autofree char *path = meso_draft_get_default_path (dir->db);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *expected_folder = g_path_get_dirname (dir->db);
  g_autoptr(MesoDraft) draft = make_draft ();
  g_autoptr(MesoDraft) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  GStatBuf st;

  g_assert_cmpstr (folder, ==, expected_folder);
  g_assert_true (meso_draft_save (draft, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Written again over itself: still one file, no temporary one left. */
  meso_draft_set_text (draft, MESO_FIELD_INJECTIONS, "120");
  g_assert_true (meso_draft_save (draft, path, &error));
  listing = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "unsaved-session.ini");
  g_assert_null (g_dir_read_name (listing));

  back = meso_draft_load (path, &error);
  g_assert_no_error (error);
  assert_same (draft, back);

  g_assert_true (meso_draft_remove (path, &error));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Removing no draft is no error; loading none says so. */
  g_assert_true (meso_draft_remove (path, &error));
  g_assert_no_error (error);
  g_clear_object (&back);
  back = meso_draft_load (path, &error);
  g_assert_null (back);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* A file that is no draft is refused with a message; a field of another version is
 * passed over. */
static void
test_foreign_files (void)
{
  static const char other_version[] =
    "[Draft]\nsaved-at=2026-12-05T14:32:00+01\n"
    "[Fields]\npatient=Ann\nmood-of-the-day=sunny\nreason=x\n";
  g_autoptr(GBytes) garbage = g_bytes_new_static ("\x01 not [a key file", 17);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) other = g_bytes_new_static (other_version, sizeof other_version - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoDraft) draft = NULL;

  g_assert_null (meso_draft_new_from_bytes (garbage, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (meso_draft_new_from_bytes (empty, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_FAILED);
  g_clear_error (&error);

  draft = meso_draft_new_from_bytes (other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meso_draft_get_text (draft, MESO_FIELD_PATIENT), ==, "Ann");
  g_assert_null (meso_draft_get_text (draft, MESO_FIELD_NOTES));
  g_assert_cmpint (g_date_time_get_hour (meso_draft_get_saved_at (draft)), >=, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/draft/round-trip", test_round_trip);
  g_test_add_func ("/draft/save-load-remove", test_save_load_remove);
  g_test_add_func ("/draft/foreign-files", test_foreign_files);

  return g_test_run ();
}
