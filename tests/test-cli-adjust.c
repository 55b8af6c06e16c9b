/* test-cli-adjust.c: mesocare-cli adjust and the sheet's safety lines
 *
 * Safety lines (when to call, the emergency number, medicines, pregnancy) cannot be
 * switched off or reworded for a patient: the tool refuses, names the line, and saves
 * nothing. Comfort advice can still be changed, and added lines can say anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-adjust"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "meso-store.h"
#include "meso-test-util.h"

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return g_strndup (data != NULL ? data : "", size);
}

/* Runs `mesocare-cli --db @db @args...`; returns its exit status. */
static int
run_cli (const char         *db,
         const char * const *args,
         char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = meso_test_spawn_cli (launcher, db, args);
  g_subprocess_communicate (process, no_input, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);
  out = bytes_to_string (out_bytes);
  *err = bytes_to_string (err_bytes);
  meso_test_log_text ("stdout", out);
  meso_test_log_text ("stderr", *err);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

typedef struct
{
  MesoTestDir *dir;
  gint64       id;
  char        *id_text;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann Lee", MESO_AREA_FACE, 40, 30);

  fixture->dir = meso_test_dir_new ();
  store = meso_test_open_store (fixture->dir->db);
  fixture->id = meso_test_save_session (store, session);
  fixture->id_text = g_strdup_printf ("%" G_GINT64_FORMAT, fixture->id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->dir, meso_test_dir_free);
  g_clear_pointer (&fixture->id_text, g_free);
}

static MesoAdjustments *
stored_adjustments (Fixture *fixture)
{
  g_autoptr(MesoStore) store = meso_test_open_store (fixture->dir->db);
  g_autoptr(GError) error = NULL;
  MesoAdjustments *adjustments = meso_store_get_adjustments (store, fixture->id, &error);

  g_assert_no_error (error);
  return adjustments;
}

static void
assert_refusal (const char *err,
                const char *rule_id)
{
  g_autofree char *named = g_strdup_printf ("“%s”", rule_id);

  g_assert_true (g_str_has_prefix (err, "mesocare-cli: "));
  g_assert_nonnull (strstr (err, named));
  g_assert_nonnull (strstr (err, "safety line"));
}

/* The issue's own example: both refused, the first named, nothing saved. */
static void
test_off_refused (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *args[] = { "adjust", fixture->id_text, "--off", "drink-water", "--off",
                         "emergency", "--off", "contact-clinic", NULL };
  g_autofree char *err = NULL;
  g_autoptr(MesoAdjustments) stored = NULL;

  g_assert_cmpint (run_cli (fixture->dir->db, args, &err), !=, 0);
  assert_refusal (err, "contact-clinic");
  g_assert_nonnull (strstr (err, "switched off"));
  stored = stored_adjustments (fixture);
  g_assert_true (meso_adjustments_is_empty (stored));
}

static void
test_reword_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *args[] = { "adjust", fixture->id_text, "--text",
                         "anti-inflammatories=Stop your warfarin for 3 days.", NULL };
  g_autofree char *err = NULL;
  g_autoptr(MesoAdjustments) stored = NULL;

  g_assert_cmpint (run_cli (fixture->dir->db, args, &err), !=, 0);
  assert_refusal (err, "anti-inflammatories");
  g_assert_nonnull (strstr (err, "cannot be changed"));
  stored = stored_adjustments (fixture);
  g_assert_true (meso_adjustments_is_empty (stored));
}

/* `--text ""`: g_strsplit gives no parts at all, and the rule's id was read past the end
 * of them (found by tests/fuzz/fuzz-cli; under AddressSanitizer, whose memory is never
 * zero, the tool crashed). Refused, asking for RULE=TEXT, nothing saved. */
static void
test_empty_text_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *args[] = { "adjust", fixture->id_text, "--text", "", NULL };
  g_autofree char *err = NULL;
  g_autoptr(MesoAdjustments) stored = NULL;

  g_assert_cmpint (run_cli (fixture->dir->db, args, &err), ==, 1);
  g_assert_nonnull (strstr (err, "Text: write it as RULE=TEXT"));
  stored = stored_adjustments (fixture);
  g_assert_true (meso_adjustments_is_empty (stored));
}

/* What stays free: comfort advice off or reworded, and added lines, whatever they say. */
static void
test_others_accepted (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *args[] = { "adjust", fixture->id_text, "--off", "drink-water", "--text",
                         "no-heat-48h=No sauna this week.", "--add-line",
                         "Stop your warfarin for 3 days.", NULL };
  g_autofree char *err = NULL;
  g_autoptr(MesoAdjustments) stored = NULL;

  g_assert_cmpint (run_cli (fixture->dir->db, args, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  stored = stored_adjustments (fixture);
  g_assert_true (meso_adjustments_is_rule_off (stored, "drink-water"));
  g_assert_cmpstr (meso_adjustments_get_text (stored, "no-heat-48h"), ==, "No sauna this week.");
  g_assert_cmpstr (meso_adjustments_get_lines (stored)[0], ==, "Stop your warfarin for 3 days.");
}

/* Adjustments stored before the lines were locked do not block the next adjustment:
 * the safety lines are put back as written, and the rest is kept. */
static void
test_old_adjustments_cleaned (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *args[] = { "adjust", fixture->id_text, "--add-line", "See you on Friday.", NULL };
  g_autofree char *err = NULL;
  g_autoptr(MesoAdjustments) old = meso_adjustments_new ();
  g_autoptr(MesoAdjustments) stored = NULL;

  {
    g_autoptr(MesoStore) store = meso_test_open_store (fixture->dir->db);
    g_autoptr(GError) error = NULL;

    meso_adjustments_set_rule_off (old, "emergency", TRUE);
    meso_adjustments_set_rule_off (old, "drink-water", TRUE);
    g_assert_true (meso_store_save_adjustments (store, fixture->id, old, &error));
    g_assert_no_error (error);
  }

  g_assert_cmpint (run_cli (fixture->dir->db, args, &err), ==, 0);
  stored = stored_adjustments (fixture);
  g_assert_false (meso_adjustments_is_rule_off (stored, "emergency"));
  g_assert_true (meso_adjustments_is_rule_off (stored, "drink-water"));
  g_assert_cmpstr (meso_adjustments_get_lines (stored)[0], ==, "See you on Friday.");
}

/* `rules` says which lines are safety lines, so that nobody tries to adjust them. */
static void
test_rules_lists_safety (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *args[] = { "rules", NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint seen = 0;

  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = meso_test_spawn_cli (launcher, NULL, args);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "emergency\t")
          || g_str_has_prefix (lines[i], "pregnancy-medicines\t"))
        {
          g_assert_true (g_str_has_suffix (lines[i], "; safety line"));
          seen++;
        }
      if (g_str_has_prefix (lines[i], "drink-water\t"))
        {
          g_assert_false (g_str_has_suffix (lines[i], "safety line"));
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/adjust/safety-off-refused", test_off_refused);
  ADD ("/cli/adjust/safety-reword-refused", test_reword_refused);
  ADD ("/cli/adjust/empty-text-refused", test_empty_text_refused);
  ADD ("/cli/adjust/others-accepted", test_others_accepted);
  ADD ("/cli/adjust/old-adjustments-cleaned", test_old_adjustments_cleaned);
  ADD ("/cli/adjust/rules-lists-safety", test_rules_lists_safety);
#undef ADD

  return g_test_run ();
}
