/* test-store-async.c: the store's asynchronous calls, its worker thread, and the
 * `changed` signal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-error.h"
#include "meso-lot.h"
#include "meso-patient.h"
#include "meso-practitioner.h"
#include "meso-store.h"
#include "meso-test-util.h"

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

/* The worker lets go of each request from the main loop, after its answer: the store
 * goes (its worker joined) once the loop has run that far. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  meso_test_drop_store (&fixture->store);
  meso_test_dir_free (fixture->dir);
}

/* ---- Waiting for an answer ---- */

static void
on_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Runs the main loop until the answer is in @slot (set to NULL before the call). */
static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  meso_test_wait_for (has_result, slot, "the store's answer");
  return *slot;
}

static MesoSession *
new_session (const char *patient)
{
  return meso_test_session_new (patient, MESO_AREA_FACE | MESO_AREA_SCALP, 120, 30);
}

static gint64
save_async (MesoStore   *store,
            MesoSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  meso_store_save_session_async (store, session, NULL, on_result_cb, &result);
  ok = meso_store_save_session_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return meso_session_get_id (session);
}

/* ---- The calls ---- */

/* The session is copied when asked: what the form does with its own afterwards is not
 * saved. The caller's gets the id and the time once the answer is taken. */
static void
test_save_and_read (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(MesoSession) expected = meso_session_copy (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  meso_store_save_session_async (fixture->store, session, NULL, on_result_cb, &result);
  meso_session_set_patient_name (session, "Changed Meanwhile");
  g_assert_cmpint (meso_session_get_id (session), ==, 0);
  ok = meso_store_save_session_finish (fixture->store, wait_for_result (&result),
                                       &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (meso_session_get_id (session), >, 0);
  g_assert_nonnull (meso_session_get_performed_at (session));
  g_clear_object (&result);

  meso_store_get_session_async (fixture->store, meso_session_get_id (session), NULL,
                                on_result_cb, &result);
  read = meso_store_get_session_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  meso_session_set_id (expected, meso_session_get_id (session));
  meso_session_set_performed_at (expected, meso_session_get_performed_at (session));
  meso_test_assert_sessions_equal (expected, read);
}

/* An invalid session is refused on the worker as by the synchronous call, naming the
 * field, and leaves the caller's session as it was. */
static void
test_save_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MesoSession) session = meso_test_session_new ("Ann", MESO_AREA_FACE, 0, 30);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  meso_store_save_session_async (fixture->store, session, NULL, on_result_cb, &result);
  g_assert_false (meso_store_save_session_finish (fixture->store, wait_for_result (&result),
                                                  &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_INJECTIONS_RANGE);
  g_assert_cmpint (meso_error_get_field (error), ==, MESO_FIELD_INJECTIONS);
  g_assert_cmpint (meso_session_get_id (session), ==, 0);
  g_assert_cmpint (meso_store_count_sessions (fixture->store, NULL), ==, 0);
}

static void
test_amend_and_void (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  gint64 id = save_async (fixture->store, session);
  g_autoptr(MesoSession) amended = meso_store_get_session (fixture->store, id, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) amendments = NULL;
  g_autoptr(MesoSession) read = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  meso_session_set_injections (amended, 90);
  meso_store_amend_session_async (fixture->store, amended, "Recounted", NULL, on_result_cb,
                                  &result);
  ok = meso_store_amend_session_finish (fixture->store, wait_for_result (&result),
                                        &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&result);

  meso_store_list_amendments_async (fixture->store, id, NULL, on_result_cb, &result);
  amendments = meso_store_list_amendments_finish (fixture->store, wait_for_result (&result),
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (amendments->len, ==, 1);
  g_assert_cmpstr (((MesoAmendment *) g_ptr_array_index (amendments, 0))->reason, ==,
                   "Recounted");
  g_clear_object (&result);

  meso_store_void_session_async (fixture->store, id, "Wrong patient", NULL, on_result_cb,
                                 &result);
  ok = meso_store_void_session_finish (fixture->store, wait_for_result (&result),
                                       &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&result);

  /* Refusals come back as errors, as from the synchronous calls. */
  meso_store_void_session_async (fixture->store, id, "Again", NULL, on_result_cb, &result);
  g_assert_false (meso_store_void_session_finish (fixture->store, wait_for_result (&result),
                                                  &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_object (&result);

  meso_store_get_session_async (fixture->store, 4242, NULL, on_result_cb, &result);
  read = meso_store_get_session_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_null (read);
  g_assert_error (error, MESO_ERROR, MESO_ERROR_NOT_FOUND);
}

static void
test_audit_and_adjustments (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  gint64 id = save_async (fixture->store, session);
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();
  g_autoptr(MesoAdjustments) read = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  meso_store_log_event_async (fixture->store, "print", id, "printer=Front desk\n", NULL,
                              on_result_cb, &result);
  ok = meso_store_log_event_finish (fixture->store, wait_for_result (&result),
                                    &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&result);

  meso_store_list_audit_async (fixture->store, id, NULL, on_result_cb, &result);
  entries = meso_store_list_audit_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((MesoAuditEntry *) g_ptr_array_index (entries, 1))->action, ==, "print");
  g_clear_object (&result);

  meso_adjustments_set_rule_off (adjustments, "drink-water", TRUE);
  g_assert_true (meso_adjustments_add_line (adjustments, "Come back on Friday.", NULL));
  meso_store_save_adjustments_async (fixture->store, id, adjustments, NULL, on_result_cb,
                                     &result);
  /* Copied when asked: this line is not saved. */
  meso_adjustments_clear_lines (adjustments);
  ok = meso_store_save_adjustments_finish (fixture->store, wait_for_result (&result),
                                           &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_object (&result);

  meso_store_get_adjustments_async (fixture->store, id, NULL, on_result_cb, &result);
  read = meso_store_get_adjustments_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (meso_adjustments_is_rule_off (read, "drink-water"));
  g_assert_cmpstr (meso_adjustments_get_lines (read)[0], ==, "Come back on Friday.");
  g_clear_object (&result);

  meso_store_check_async (fixture->store, NULL, on_result_cb, &result);
  ok = meso_store_check_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_lists (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(MesoSession) ann = new_session ("Ann Smith");
  g_autoptr(MesoSession) bea = new_session ("Bea Jones");
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GPtrArray) lots = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_session_set_field_text (ann, MESO_FIELD_PRODUCT, "Biotin complex", NULL));
  g_assert_true (meso_session_set_field_text (ann, MESO_FIELD_LOT, "BC-77", NULL));
  save_async (fixture->store, ann);
  save_async (fixture->store, bea);

  meso_store_find_patients_async (fixture->store, "smi", 5, NULL, on_result_cb, &result);
  patients = meso_store_find_patients_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (patients->len, ==, 1);
  g_assert_cmpstr (meso_patient_get_name (g_ptr_array_index (patients, 0)), ==, "Ann Smith");
  g_clear_object (&result);

  meso_store_recent_lots_async (fixture->store, 6, NULL, on_result_cb, &result);
  lots = meso_store_recent_lots_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lots->len, ==, 1);
  g_assert_cmpstr (meso_lot_get_number (g_ptr_array_index (lots, 0)), ==, "BC-77");
  g_clear_object (&result);

  meso_session_query_set_patient_text (query, "Jones");
  meso_store_count_matching_async (fixture->store, query, NULL, on_result_cb, &result);
  g_assert_cmpint (meso_store_count_matching_finish (fixture->store, wait_for_result (&result),
                                                     &error), ==, 1);
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The query is copied when asked: the next page can be set up at once. */
  meso_session_query_set_patient_text (query, NULL);
  meso_session_query_set_range (query, 0, 1);
  meso_store_query_async (fixture->store, query, NULL, on_result_cb, &result);
  meso_session_query_set_range (query, 1, 1);
  page = meso_store_query_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (meso_session_get_patient_name (g_ptr_array_index (page, 0)), ==, "Bea Jones");
}

/* ---- Cancelling ---- */

/* Queued behind a save that waits for another process's lock, a cancelled save never
 * runs. */
static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GSubprocess) holder = meso_test_hold_write_lock (fixture->dir->db);
  g_autoptr(MesoSession) first = new_session ("First Patient");
  g_autoptr(MesoSession) second = new_session ("Second Patient");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first_result = NULL;
  g_autoptr(GAsyncResult) second_result = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  meso_store_save_session_async (fixture->store, first, NULL, on_result_cb, &first_result);
  meso_store_save_session_async (fixture->store, second, cancellable, on_result_cb,
                                 &second_result);
  g_cancellable_cancel (cancellable);
  meso_test_release_write_lock (holder);

  ok = meso_store_save_session_finish (fixture->store, wait_for_result (&first_result),
                                       &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_false (meso_store_save_session_finish (fixture->store,
                                                  wait_for_result (&second_result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (meso_session_get_id (second), ==, 0);

  sessions = meso_store_list_sessions (fixture->store, NULL);
  g_assert_cmpuint (sessions->len, ==, 1);
  g_assert_cmpstr (meso_session_get_patient_name (g_ptr_array_index (sessions, 0)), ==,
                   "First Patient");
}

static void
on_store_debug_cb (const char     *domain,
                   GLogLevelFlags  level,
                   const char     *message,
                   gpointer        user_data)
{
  if (strstr (message, MESO_TEST_STORE_WAITS) != NULL)
    g_atomic_int_set ((int *) user_data, TRUE);
}

static gboolean
is_set (gpointer data)
{
  return g_atomic_int_get ((int *) data);
}

/* A save cancelled while it waits for the lock goes on to its end: its transaction is
 * committed whole, and only its answer is dropped. */
static void
test_cancel_while_running (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSubprocess) holder = meso_test_hold_write_lock (fixture->dir->db);
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int waiting = FALSE;
  guint handler;

  /* The store says, on its worker thread, when it starts waiting for the lock. */
  handler = g_log_set_handler (MESO_TEST_STORE_DEBUG, G_LOG_LEVEL_DEBUG, on_store_debug_cb,
                               &waiting);
  meso_store_save_session_async (fixture->store, session, cancellable, on_result_cb, &result);
  meso_test_wait_for (is_set, &waiting, "the save to wait for the lock");
  g_log_remove_handler (MESO_TEST_STORE_DEBUG, handler);

  g_cancellable_cancel (cancellable);
  meso_test_release_write_lock (holder);
  g_assert_false (meso_store_save_session_finish (fixture->store, wait_for_result (&result),
                                                  &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (meso_session_get_id (session), ==, 0);
  g_assert_cmpint (meso_store_count_sessions (fixture->store, NULL), ==, 1);
  g_assert_true (meso_store_check (fixture->store, NULL));
}

/* Each search cancels the one before, as the form does at each key: only the last one
 * answers with patients. */
static void
test_cancel_searches (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *typed[] = { "cl", "cla", "clai", "clair" };
  g_autoptr(MesoSession) session = new_session ("Claire Dubois");
  GAsyncResult *results[G_N_ELEMENTS (typed)] = { NULL, };
  g_autoptr(GCancellable) cancellable = NULL;

  save_async (fixture->store, session);
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      if (cancellable != NULL)
        g_cancellable_cancel (cancellable);
      g_clear_object (&cancellable);
      cancellable = g_cancellable_new ();
      meso_store_find_patients_async (fixture->store, typed[i], 5, cancellable, on_result_cb,
                                      &results[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) patients = NULL;

      patients = meso_store_find_patients_finish (fixture->store, wait_for_result (&results[i]),
                                                  &error);
      if (i + 1 < G_N_ELEMENTS (typed))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      else
        g_assert_cmpuint (patients->len, ==, 1);
      g_clear_object (&results[i]);
    }
}

/* ---- The worker's end ---- */

typedef struct
{
  GWeakRef store;
  gboolean answered;
} Dropped;

static void
on_dropped_answer_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Dropped *dropped = user_data;

  g_assert_true (meso_store_save_session_finish (MESO_STORE (source), result, NULL));
  dropped->answered = TRUE;
}

static gboolean
is_gone (gpointer data)
{
  Dropped *dropped = data;
  g_autoptr(GObject) store = g_weak_ref_get (&dropped->store);

  return dropped->answered && store == NULL;
}

/* The caller lets the store go while its answers are on the way: the last reference
 * may then fall on the worker thread itself, which must not wait for itself. Under
 * AddressSanitizer this also shows that nothing is touched after it is freed. */
static void
test_dropped_while_busy (void)
{
  g_autoptr(MesoTestDir) dir = meso_test_dir_new ();

  for (guint i = 0; i < 20; i++)
    {
      MesoStore *store = meso_test_open_store (dir->db);
      g_autoptr(MesoSession) session = new_session ("Ann Smith");
      Dropped dropped = { { { NULL } }, FALSE };

      g_weak_ref_init (&dropped.store, store);
      meso_store_watch_changes (store, TRUE);
      meso_store_save_session_async (store, session, NULL, on_dropped_answer_cb, &dropped);
      g_object_unref (store);
      meso_test_wait_for (is_gone, &dropped, "the store to go once it has answered");
      g_weak_ref_clear (&dropped.store);
    }
}

/* ---- Changes made by others ---- */

static void
on_changed_cb (MesoStore *store,
               guint     *count)
{
  (*count)++;
}

typedef struct
{
  guint *count;
  guint  expected;
} ChangedWait;

static gboolean
has_changed (gpointer data)
{
  ChangedWait *wait = data;

  return *wait->count >= wait->expected;
}

static void
wait_for_changed (guint      *count,
                  guint       expected,
                  const char *what)
{
  ChangedWait wait = { count, expected };
  gint64 start = g_get_monotonic_time ();

  /* Promised within 2 s; 10 s leaves a loaded machine its margin. */
  if (!meso_test_wait_until (has_changed, &wait, 10))
    g_test_fail_printf ("no “changed” signal within 10 s of %s", what);
  else
    g_test_message ("changed %.2f s after %s",
                    (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, what);
}

/* Another store on the same file (another connection), then another process, write:
 * the watched store says so. */
static void
test_changed_by_others (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MesoStore) other = meso_test_open_store (fixture->dir->db);
  g_autoptr(MesoSession) session = new_session ("Ann Smith");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(MesoSessionQuery) query = meso_session_query_new ();
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *record[] = { "record", "--patient=Bea Jones", "--area=face", "--injections=10",
                           "--duration=10", NULL };
  guint changed = 0;

  g_signal_connect (fixture->store, "changed", G_CALLBACK (on_changed_cb), &changed);
  meso_store_watch_changes (fixture->store, TRUE);
  /* Requests are answered in order: once this one is, the watch has its starting point. */
  meso_store_count_matching_async (fixture->store, query, NULL, on_result_cb, &result);
  wait_for_result (&result);

  meso_test_save_session (other, session);
  wait_for_changed (&changed, 1, "another connection's save");

  launcher = meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  cli = meso_test_spawn_cli (launcher, fixture->dir->db, record);
  g_assert_true (g_subprocess_wait_check (cli, NULL, &error));
  g_assert_no_error (error);
  wait_for_changed (&changed, 2, "mesocare-cli record");

  meso_store_watch_changes (fixture->store, FALSE);
}

/* ---- The clinic ---- */

typedef struct
{
  GAsyncResult *result;    /* the write's answer, once in */
  guint     at_callback;   /* the emissions seen when it came */
  GThread  *main_thread;
  guint     count;
  gboolean  owner;         /* each emission on the main context, owned */
  gboolean  on_main;       /* each emission on the main thread */
} ClinicChanged;

static void
on_clinic_changed_cb (MesoStore     *store,
                      ClinicChanged *seen)
{
  seen->count++;
  seen->owner = seen->owner && g_main_context_is_owner (g_main_context_default ());
  seen->on_main = seen->on_main && g_thread_self () == seen->main_thread;
}

static void
on_write_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ClinicChanged *seen = user_data;

  g_assert_null (seen->result);
  seen->result = g_object_ref (result);
  seen->at_callback = seen->count;
}

static gboolean
write_finish (MesoStore                *store,
              GAsyncResult             *result,
              GError                  **error)
{
  if (g_async_result_is_tagged (result, meso_store_set_clinic_async))
    return meso_store_set_clinic_finish (store, result, error);
  if (g_async_result_is_tagged (result, meso_store_add_practitioner_async))
    return meso_store_add_practitioner_finish (store, result, error);
  if (g_async_result_is_tagged (result, meso_store_update_practitioner_async))
    return meso_store_update_practitioner_finish (store, result, error);
  return meso_store_retire_practitioner_finish (store, result, error);
}

/* Waits for a write's answer; the clinic-changed it gives, if any, came first. */
static void
expect_write (MesoStore      *store,
              ClinicChanged  *seen,
              guint           expected_count,
              gboolean        expected_ok)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = write_finish (store, wait_for_result (&seen->result), &error);
  g_clear_object (&seen->result);
  g_assert_cmpuint (seen->at_callback, ==, expected_count);
  if (expected_ok)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_nonnull (error);
      g_assert_false (ok);
    }
  g_assert_cmpuint (seen->count, ==, expected_count);
  g_assert_true (seen->owner);
  g_assert_true (seen->on_main);
}

/* The clinic's details and practitioners, read and written on the worker: the values
 * given are copied, the answers right, and clinic-changed reaches its handlers on the
 * caller's main context, on its thread, before the write's own callback. */
static void
test_clinic (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(MesoClinic) read = NULL;
  g_autoptr(MesoPractitioner) roux = meso_practitioner_new ("Dr Roux");
  g_autoptr(MesoPractitioner) diaz = meso_practitioner_new ("Nurse Diaz");
  g_autoptr(MesoPractitioner) copy = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ClinicChanged seen = { NULL, 0, g_thread_self (), 0, TRUE, TRUE };

  meso_practitioner_set_role (roux, "physician");
  meso_practitioner_set_registration (roux, "10001");
  copy = meso_practitioner_copy (roux);
  g_assert_cmpstr (meso_practitioner_get_name (copy), ==, "Dr Roux");
  g_assert_cmpstr (meso_practitioner_get_role (copy), ==, "physician");
  g_assert_cmpstr (meso_practitioner_get_registration (copy), ==, "10001");
  g_assert_true (meso_practitioner_get_active (copy));

  g_signal_connect (fixture->store, "clinic-changed", G_CALLBACK (on_clinic_changed_cb), &seen);

  /* The details: copied when asked. */
  meso_clinic_set_name (clinic, "Clinique des Tilleuls");
  meso_clinic_set_phone (clinic, "+33 1 40 00 00 00");
  meso_store_set_clinic_async (fixture->store, clinic, MESO_CLINIC_NAME | MESO_CLINIC_PHONE,
                               NULL, on_write_cb, &seen);
  meso_clinic_set_name (clinic, "Changed Meanwhile");
  expect_write (fixture->store, &seen, 1, TRUE);

  meso_store_get_clinic_async (fixture->store, NULL, on_result_cb, &result);
  read = meso_store_get_clinic_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (meso_clinic_get_name (read), ==, "Clinique des Tilleuls");
  g_assert_cmpstr (meso_clinic_get_phone (read), ==, "+33 1 40 00 00 00");

  /* The same again writes nothing, and says nothing; a refused value neither. */
  meso_clinic_set_name (clinic, "Clinique des Tilleuls");
  meso_store_set_clinic_async (fixture->store, clinic, MESO_CLINIC_NAME, NULL, on_write_cb,
                               &seen);
  expect_write (fixture->store, &seen, 1, TRUE);
  meso_clinic_set_email (clinic, "not an address");
  meso_store_set_clinic_async (fixture->store, clinic, MESO_CLINIC_EMAIL, NULL, on_write_cb,
                               &seen);
  expect_write (fixture->store, &seen, 1, FALSE);

  /* The practitioners. */
  meso_store_add_practitioner_async (fixture->store, roux, NULL, on_write_cb, &seen);
  meso_practitioner_set_role (roux, "changed meanwhile");
  expect_write (fixture->store, &seen, 2, TRUE);
  meso_store_add_practitioner_async (fixture->store, diaz, NULL, on_write_cb, &seen);
  expect_write (fixture->store, &seen, 3, TRUE);
  meso_store_add_practitioner_async (fixture->store, diaz, NULL, on_write_cb, &seen);
  expect_write (fixture->store, &seen, 3, FALSE);

  meso_practitioner_set_role (diaz, "nurse");
  meso_store_update_practitioner_async (fixture->store, diaz, NULL, on_write_cb, &seen);
  expect_write (fixture->store, &seen, 4, TRUE);

  meso_store_list_practitioners_async (fixture->store, TRUE, NULL, on_result_cb, &result);
  listed = meso_store_list_practitioners_finish (fixture->store, wait_for_result (&result),
                                                 &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (listed->len, ==, 2);
  g_assert_cmpstr (meso_practitioner_get_name (g_ptr_array_index (listed, 0)), ==, "Dr Roux");
  g_assert_cmpstr (meso_practitioner_get_role (g_ptr_array_index (listed, 0)), ==, "physician");
  g_assert_cmpstr (meso_practitioner_get_name (g_ptr_array_index (listed, 1)), ==, "Nurse Diaz");
  g_assert_cmpstr (meso_practitioner_get_role (g_ptr_array_index (listed, 1)), ==, "nurse");
  g_clear_pointer (&listed, g_ptr_array_unref);

  meso_store_retire_practitioner_async (fixture->store, "Dr Roux", NULL, on_write_cb, &seen);
  expect_write (fixture->store, &seen, 5, TRUE);
  meso_store_retire_practitioner_async (fixture->store, "Nobody", NULL, on_write_cb, &seen);
  expect_write (fixture->store, &seen, 5, FALSE);

  meso_store_list_practitioners_async (fixture->store, TRUE, NULL, on_result_cb, &result);
  listed = meso_store_list_practitioners_finish (fixture->store, wait_for_result (&result),
                                                 &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (listed->len, ==, 1);
  g_clear_pointer (&listed, g_ptr_array_unref);
  meso_store_list_practitioners_async (fixture->store, FALSE, NULL, on_result_cb, &result);
  listed = meso_store_list_practitioners_finish (fixture->store, wait_for_result (&result),
                                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);

  g_signal_handlers_disconnect_by_func (fixture->store, on_clinic_changed_cb, &seen);
}

/* Which sessions' sheets were handed out: those with a "print" entry (printed or saved
 * as a PDF) and no others, whatever else their audit log holds; in the order asked,
 * unknown ids left out. */
static void
test_printed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(MesoSession) ann = new_session ("Ann Smith");
  g_autoptr(MesoSession) bea = new_session ("Bea Jones");
  g_autoptr(MesoSession) cleo = new_session ("Cleo Martin");
  gint64 ann_id = save_async (fixture->store, ann);
  gint64 bea_id = save_async (fixture->store, bea);
  gint64 cleo_id = save_async (fixture->store, cleo);
  gint64 asked[] = { cleo_id, 999, bea_id, ann_id };
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) printed = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_log_event (fixture->store, "print", cleo_id, "file=c.pdf\n", NULL));
  g_assert_true (meso_store_log_event (fixture->store, "print", ann_id, "printer=Desk\n", NULL));
  g_assert_true (meso_store_log_event (fixture->store, "print", ann_id, "printer=Desk\n", NULL));
  g_assert_true (meso_store_void_session (fixture->store, bea_id, "Duplicate", NULL));
  /* Printed at another session's id: not Bea's. */
  g_assert_true (meso_store_log_event (fixture->store, "backup", 0, "file=b.db\n", NULL));

  g_array_append_vals (ids, asked, G_N_ELEMENTS (asked));
  meso_store_list_printed_async (fixture->store, ids, NULL, on_result_cb, &result);
  /* Copied when asked. */
  g_array_set_size (ids, 0);
  printed = meso_store_list_printed_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (printed->len, ==, 2);
  g_assert_cmpint (g_array_index (printed, gint64, 0), ==, cleo_id);
  g_assert_cmpint (g_array_index (printed, gint64, 1), ==, ann_id);

  none = meso_store_list_printed (fixture->store, &bea_id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store-async/save-and-read", test_save_and_read);
  ADD ("/store-async/save-refused", test_save_refused);
  ADD ("/store-async/amend-and-void", test_amend_and_void);
  ADD ("/store-async/audit-and-adjustments", test_audit_and_adjustments);
  ADD ("/store-async/lists", test_lists);
  ADD ("/store-async/printed", test_printed);
  ADD ("/store-async/cancel-before-start", test_cancel_before_start);
  ADD ("/store-async/cancel-while-running", test_cancel_while_running);
  ADD ("/store-async/cancel-searches", test_cancel_searches);
  ADD ("/store-async/changed-by-others", test_changed_by_others);
  ADD ("/store-async/clinic", test_clinic);
  g_test_add_func ("/store-async/dropped-while-busy", test_dropped_while_busy);

#undef ADD
  return g_test_run ();
}
