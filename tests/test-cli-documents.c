/* test-cli-documents.c: `report --output` and `recall --letters`, end to end: the tool
 * finds the drawing module's functions, which write the PDF and record the letters'
 * printing in the audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <poppler.h>
#include <string.h>

#include "meso-field.h"
#include "meso-store.h"
#include "meso-test-util.h"

static void
add (MesoStore  *store,
     const char *patient,
     int         day,
     const char *language,
     const char *lot)
{
  g_autoptr(MesoSession) session = meso_test_session_new (patient, MESO_AREA_SCALP, 30, 20);
  g_autoptr(GDateTime) when = g_date_time_new_local (2025, 3, day, 10, 0, 0);
  g_autoptr(GError) error = NULL;

  meso_session_set_performed_at (session, when);
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_INDICATION, "hair-loss",
                                              &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PRODUCT, "Hair cocktail",
                                              &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LOT, lot, &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_PHONE, "+33 1 00 00 00 01",
                                              &error));
  g_assert_true (meso_session_set_field_text (session, MESO_FIELD_LANGUAGE, language, &error));
  g_assert_no_error (error);
  meso_test_save_session (store, session);
}

static void
run_ok (const char         *db,
        const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  process = meso_test_spawn_cli (launcher, db, args);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  meso_test_log_text ("stderr", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* Each page's text, joined. */
static char *
pdf_text (const char *path,
          int        *n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = meso_test_read_file (path);
  PopplerDocument *document = poppler_document_new_from_bytes (bytes, NULL, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  *n_pages = poppler_document_get_n_pages (document);
  for (int i = 0; i < *n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *page_text = poppler_page_get_text (page);

      g_string_append_printf (text, "%s\n", page_text);
      g_object_unref (page);
    }
  g_object_unref (document);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_report_output (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autofree char *path = meso_test_dir_file (dir, "report.pdf");
  g_autofree char *text = NULL;
  int n_pages = 0;

  add (store, "Zoé Adam", 3, "fr", "L-1");
  add (store, "Ben Roy", 5, "en", "L-2");
  run_ok (dir->db, (const char * const[]) {
    "report", "--from", "2025-03-01", "--to", "2025-03-31", "--output", path, NULL });
  text = pdf_text (path, &n_pages);

  g_assert_cmpint (n_pages, >=, 1);
  g_assert_nonnull (strstr (text, "Report: 1 March 2025 to 31 March 2025"));
  g_assert_nonnull (strstr (text, "Week of 3 March: 2 sessions (2 hair loss)."));
}

/* Two letters, the French patient's in French; one audit entry "print" naming the lot
 * and the patients, about no one session. */
static void
test_recall_letters (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();
  g_autoptr(MesoStore) store = meso_test_open_store (dir->db);
  g_autofree char *path = meso_test_dir_file (dir, "letters.pdf");
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  const MesoAuditEntry *print = NULL;
  int n_pages = 0;

  add (store, "Zoé Adam", 3, "fr", "L-1");
  add (store, "Ben Roy", 5, "en", "L-1");
  add (store, "Ana Díaz", 6, "es", "L-2");
  run_ok (dir->db, (const char * const[]) { "recall", "--lot", "L-1", "--letters", path, NULL });
  text = pdf_text (path, &n_pages);

  g_assert_cmpint (n_pages, ==, 2);
  g_assert_nonnull (strstr (text, "Bonjour Zoé Adam,"));
  g_assert_nonnull (strstr (text, "Dear Ben Roy,"));
  g_assert_null (strstr (text, "Ana Díaz"));

  audit = meso_store_list_audit (store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    {
      const MesoAuditEntry *entry = g_ptr_array_index (audit, i);

      if (g_str_equal (entry->action, "print"))
        {
          g_assert_null (print);
          print = entry;
        }
    }
  g_assert_nonnull (print);
  g_assert_nonnull (strstr (print->payload, "document=recall-letters"));
  g_assert_nonnull (strstr (print->payload, "lot=L-1"));
  g_assert_nonnull (strstr (print->payload, "Zoé Adam"));
  g_assert_nonnull (strstr (print->payload, "Ben Roy"));
  g_assert_null (strstr (print->payload, "Ana Díaz"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli-documents/report-output", test_report_output);
  g_test_add_func ("/cli-documents/recall-letters", test_recall_letters);

  return g_test_run ();
}
