/* test-cli-record.c: bad input to mesocare-cli record, amend and import, each case
 * checked for its message and for nothing written; and the values that must still pass
 *
 * Every refusal must look the same: a non-zero exit, nothing on stdout, one line on
 * stderr that starts with "mesocare-cli: " and the field's label, and says what is wrong.
 * "Nothing written" is checked against no database (no file, no folder may appear) and
 * against one that has sessions (the sessions, the audit log and every `show` stay the
 * same).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-record"

#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <string.h>

#include "meso-csv.h"
#include "meso-store.h"
#include "meso-test-util.h"

/* The day every base command records its session on. */
#define SESSION_DATE "2024-06-15"

/* In the tables: an option left out, an option given as a bare flag, the text repeated
 * in place of REPEAT, a day three days from now, and a time 23 hours 30 minutes from
 * now. */
#define MISSING NULL
#define BARE    "@BARE@"
#define REPEAT  "@R@"
#define FUTURE  "@FUTURE@"
#define SOON    "@SOON@"

/* Each case has a fresh folder of its own, a MesoTestDir. */

/* ---- Running the tool ---- */

typedef struct
{
  int   status;  /* the exit status; -1 when the tool did not exit by itself */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* This test's own folders (see meso_test_launcher_new()), and a fixed time zone and
 * language. */
static GSubprocessLauncher *
new_launcher (void)
{
  GSubprocessLauncher *launcher =
    meso_test_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                            | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  return launcher;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return g_strndup (data != NULL ? data : "", size);
}

/* Runs `mesocare-cli --db @db @args...` with an empty stdin and fills @run. */
static void
cli_run (const char         *db,
         const char * const *args,
         Run                *run)
{
  g_autoptr(GSubprocessLauncher) launcher = new_launcher ();
  g_autoptr(GSubprocess) process = meso_test_spawn_cli (launcher, db, args);
  g_autoptr(GBytes) input = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate (process, input, NULL, &out, &err, &error);
  g_assert_no_error (error);

  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  meso_test_log_text ("stdout", run->out);
  meso_test_log_text ("stderr", run->err);
  g_test_message ("exit status: %d", run->status);
}

/* Runs a command that must succeed silently on stderr; returns its stdout. */
static char *
cli_ok (const char         *db,
        const char * const *args)
{
  g_auto(Run) run = { 0 };

  cli_run (db, args, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  return g_steal_pointer (&run.out);
}

/* The id `record` prints, alone on its line. */
static gint64
parse_id (const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strdup (out);
  gint64 id = 0;

  g_assert_true (g_str_has_suffix (line, "\n"));
  line[strlen (line) - 1] = '\0';
  g_ascii_string_to_signed (line, 10, 1, G_MAXINT64, &id, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
record_ok (const char         *db,
           const char * const *args)
{
  g_autofree char *out = cli_ok (db, args);

  return parse_id (out);
}

static char *
show (const char *db,
      gint64      id)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  const char *args[] = { "show", id_text, NULL };

  return cli_ok (db, args);
}

/* ---- Expanding the tables ---- */

static char *
repeat_text (const char *unit,
             guint       times)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
from_now (GTimeSpan   span,
          const char *format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add (now, span);

  return g_date_time_format (later, format);
}

/* @text with REPEAT replaced by @unit × @repeat, and FUTURE and SOON by times to come. */
static char *
expand (const char *text,
        const char *unit,
        guint       repeat)
{
  g_autoptr(GString) result = g_string_new (text);
  g_autofree char *repeated = repeat_text (unit != NULL ? unit : "", repeat);
  g_autofree char *future = from_now (3 * G_TIME_SPAN_DAY, "%Y-%m-%d");
  g_autofree char *soon = from_now (23 * G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_MINUTE,
                                    "%Y-%m-%dT%H:%M:%SZ");

  g_string_replace (result, REPEAT, repeated, 0);
  g_string_replace (result, FUTURE, future, 0);
  g_string_replace (result, SOON, soon, 0);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* ---- Judging ---- */

/* Turns @problem (owned) into a failure, or for a known bug into a TODO, so that the
 * suite stays readable until the tool is fixed. Returns whether there was none. */
static gboolean
judge (char       *problem,
       const char *known_bug)
{
  g_autofree char *owned = problem;

  if (owned == NULL)
    return TRUE;
  g_strdelimit (owned, "\r\n", ' ');
  g_test_message ("Problem: %s", owned);
  if (known_bug != NULL)
    g_test_incomplete_printf ("known bug: %s (%s)", known_bug, owned);
  else
    g_test_fail_printf ("%s", owned);
  return FALSE;
}

/* What every refusal must look like. Returns what is wrong, or NULL. */
static char *
refusal_problem (const Run  *run,
                 const char *start,
                 const char *reason)
{
  if (run->status < 0)
    return g_strdup ("the tool crashed");
  if (run->status == 0)
    return g_strdup ("the tool accepted the bad input");
  if (*run->out != '\0')
    return g_strdup ("the tool wrote on stdout");
  if (meso_test_count_newlines (run->err) != 1 || !g_str_has_suffix (run->err, "\n"))
    return g_strdup ("stderr is not exactly one line");
  if (!g_str_has_prefix (run->err, start))
    return g_strdup_printf ("stderr does not start with “%s”", start);
  if (strstr (run->err, reason) == NULL)
    return g_strdup_printf ("stderr does not say “%s”", reason);
  return NULL;
}

static char *
acceptance_problem (const Run *run)
{
  if (run->status != 0)
    return g_strdup ("the tool refused a valid value");
  if (*run->err != '\0')
    return g_strdup ("the tool wrote on stderr");
  return NULL;
}

static char *
absent_problem (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_strdup_printf ("%s was created", path);
  return NULL;
}

static char *
empty_dir_problem (const char *path)
{
  g_autofree char *name = meso_test_first_entry (path);

  if (name != NULL)
    return g_strdup_printf ("“%s” was left in %s", name, path);
  return NULL;
}

/* On a server, the test's empty database must stay without a table. */
static char *
blank_problem (const char *db)
{
  if (!meso_test_db_location_is_blank (db))
    return g_strdup ("the database was created");
  return NULL;
}

/* ---- What a database holds, as the tool shows it ---- */

static gint64
count_sessions (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open_existing (db, &error);
  gint64 count;

  g_assert_no_error (error);
  count = meso_store_count_sessions (store, &error);
  g_assert_no_error (error);
  return count;
}

/* The session count, the audit log's lines, and `list` and `show` of every session:
 * what a bad input must leave exactly as it was. On a server, every row of every table,
 * read in one connection: more than the tool shows, at a fraction of the cost of starting
 * it five times for each of several hundred cases. */
static char *
db_fingerprint (const char *db)
{
  const char *audit_args[] = { "audit", NULL };
  const char *list_args[] = { "list", NULL };
  g_autofree char *audit = NULL;
  g_autofree char *list = NULL;
  GString *print = NULL;
  gint64 count;

  if (meso_test_engine_is_postgresql ())
    return meso_test_pg_fingerprint (db);
  audit = cli_ok (db, audit_args);
  list = cli_ok (db, list_args);
  print = g_string_new (NULL);
  count = count_sessions (db);

  g_string_append_printf (print, "sessions: %" G_GINT64_FORMAT "\naudit lines: %u\n%s%s",
                          count, meso_test_count_newlines (audit), audit, list);
  for (gint64 id = 1; id <= count; id++)
    {
      g_autofree char *shown = show (db, id);

      g_string_append (print, shown);
    }
  return g_string_free (print, FALSE);
}

static char *
unchanged_problem (const char *db,
                   const char *before)
{
  g_autofree char *after = db_fingerprint (db);

  if (g_str_equal (before, after))
    return NULL;
  meso_test_log_text ("before", before);
  meso_test_log_text ("after", after);
  return g_strdup ("the database changed");
}

static void
seed_session (MesoStore  *store,
              const char *patient,
              const char *phone)
{
  const struct { MesoField field; const char *text; } values[] = {
    { MESO_FIELD_PATIENT, patient },
    { MESO_FIELD_AREAS, "scalp,face" },
    { MESO_FIELD_INJECTIONS, "50" },
    { MESO_FIELD_DURATION, "20" },
    { MESO_FIELD_PHONE, phone },
  };
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      meso_session_set_field_text (session, values[i].field, values[i].text, &error);
      g_assert_no_error (error);
    }
  meso_store_save_session (store, session, &error);
  g_assert_no_error (error);
}

/* Three sessions, one of them for the patient of the base command. */
static void
seed (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open (db, &error);

  g_assert_no_error (error);
  seed_session (store, "Ann Lee", "+33 1 00 00 00 00");
  seed_session (store, "Bob Stone", "");
  seed_session (store, "Chloé Martin", "0612345678");
}

/* ---- Refused twice: with no database, and with a seeded one ---- */

typedef struct
{
  const char *start;      /* how the one line on stderr starts */
  const char *reason;     /* what it must say */
  const char *known_bug;  /* NULL, or why a failure is expected for now */
} Refusal;

static gboolean
refused_without_database (const char * const *args,
                          const Refusal      *refusal)
{
  g_autoptr(MesoTestDir) box = meso_test_dir_new ();
  g_auto(Run) run = { 0 };

  g_test_message ("Without a database:");
  cli_run (box->db, args, &run);
  return judge (refusal_problem (&run, refusal->start, refusal->reason), refusal->known_bug)
         && judge (empty_dir_problem (box->path), refusal->known_bug)
         && judge (blank_problem (box->db), refusal->known_bug);
}

/* The seeded database is made once, with its fingerprint, and copied for each case: a
 * hundred cases each seeding their own spent most of this suite's time on fsync. */
typedef struct
{
  MesoTestDir *box;
  char        *fingerprint;
} SeededDatabase;

static SeededDatabase seeded;

static void
seeded_database_clear (void)
{
  g_clear_pointer (&seeded.box, meso_test_dir_free);
  g_clear_pointer (&seeded.fingerprint, g_free);
}

/* The file copied, or on a server a database made with the seeded one as its template. */
static void
copy_seeded_database (const char *db)
{
  if (seeded.box == NULL)
    {
      seeded.box = meso_test_dir_new ();
      seed (seeded.box->db);
      seeded.fingerprint = db_fingerprint (seeded.box->db);
    }
  meso_test_db_location_copy (seeded.box->db, db);
}

static void
refused_with_database (const char * const *args,
                       const Refusal      *refusal)
{
  g_autoptr(MesoTestDir) box = meso_test_dir_new ();
  g_auto(Run) run = { 0 };

  g_test_message ("With a seeded database:");
  copy_seeded_database (box->db);
  cli_run (box->db, args, &run);
  if (judge (refusal_problem (&run, refusal->start, refusal->reason), refusal->known_bug))
    judge (unchanged_problem (box->db, seeded.fingerprint), refusal->known_bug);
}

static void
assert_refused_twice (const char * const *args,
                      const Refusal      *refusal)
{
  if (refused_without_database (args, refusal))
    refused_with_database (args, refusal);
}

/* ---- record: one valid base command, one bad value ---- */

/* The base command: every required field and the session's date. */
static const char * const base_options[][2] = {
  { "patient", "Ann Lee" },
  { "area", "face" },
  { "injections", "40" },
  { "duration", "30" },
  { "date", SESSION_DATE },
};

typedef struct
{
  const char *path;
  const char *option;      /* the one option with a bad value, without "--" */
  const char *value;       /* MISSING: left out; BARE: a flag without value */
  const char *unit;        /* repeated in place of REPEAT in @value */
  guint       repeat;
  const char *context[4];  /* other valid options that a rule between fields needs */
  const char *label;       /* the field the message must start with */
  const char *reason;      /* a distinctive part of what it says is wrong */
  const char *known_bug;
} RecordCase;

static const RecordCase record_bad_cases[] = {
  /* Required fields */
  { "patient/missing", "patient", MISSING, .label = "Patient", .reason = "this is required" },
  { "patient/blank", "patient", " \t ", .label = "Patient", .reason = "this is required" },
  { "patient/too-long-201", "patient", REPEAT, "é", 201, .label = "Patient",
    .reason = "201 characters; at most 200" },
  { "patient/invalid-utf8", "patient", "Ann \xc3\x28 Lee", .label = "Patient",
    .reason = "not valid UTF-8" },
  { "patient/newline", "patient", "Ann\nLee", .label = "Patient", .reason = "on one line" },
  { "area/missing", "area", MISSING, .label = "Areas", .reason = "this is required" },
  { "area/unknown", "area", "elbow", .label = "Areas", .reason = "“elbow” is not one of" },
  { "area/empty-item", "area", "face,,neck", .label = "Areas", .reason = "empty item" },
  { "injections/missing", "injections", MISSING, .label = "Injections",
    .reason = "from 1 to 2000" },
  { "injections/0", "injections", "0", .label = "Injections", .reason = "from 1 to 2000" },
  { "injections/2001", "injections", "2001", .label = "Injections",
    .reason = "from 1 to 2000" },
  { "injections/letters", "injections", "forty", .label = "Injections",
    .reason = "not a whole number" },
  { "duration/missing", "duration", MISSING, .label = "Duration", .reason = "from 1 to 480" },
  { "duration/0", "duration", "0", .label = "Duration", .reason = "from 1 to 480" },
  { "duration/481", "duration", "481", .label = "Duration", .reason = "from 1 to 480" },
  { "duration/negative", "duration", "-1", .label = "Duration",
    .reason = "not a whole number" },
  /* The session's date */
  { "date/in-3-days", "date", FUTURE, .label = "Date", .reason = "in the future" },
  { "date/in-23-hours", "date", SOON, .label = "Date", .reason = "in the future" },
  { "date/2150", "date", "2150-01-01T09:00:00Z", .label = "Date", .reason = "in the future" },
  { "date/1999-12-31", "date", "1999-12-31", .label = "Date",
    .reason = "before the year 2000" },
  { "date/2026-02-30", "date", "2026-02-30", .label = "Date",
    .reason = "not a date and time" },
  { "date/yesterday", "date", "yesterday", .label = "Date", .reason = "not a date and time" },
  /* The patient */
  { "dob/2026-02-30", "dob", "2026-02-30", .label = "Date of birth", .reason = "not a date" },
  { "dob/2026-13-01", "dob", "2026-13-01", .label = "Date of birth", .reason = "not a date" },
  { "dob/1899-12-31", "dob", "1899-12-31", .label = "Date of birth", .reason = "not a date" },
  { "dob/slashes", "dob", "2026/01/01", .label = "Date of birth", .reason = "not a date" },
  { "dob/after-session", "dob", "2024-06-16", .label = "Date of birth",
    .reason = "2024-06-16 is after the session" },
  { "phone/too-long-41", "phone", REPEAT, "0", 41, .label = "Phone",
    .reason = "41 characters; at most 40" },
  { "phone/tab", "phone", "01\t23", .label = "Phone", .reason = "on one line" },
  { "phone/invalid-utf8", "phone", "+33 \xff", .label = "Phone", .reason = "not valid UTF-8" },
  { "email/too-long-255", "email", REPEAT "@example.org", "é", 243, .label = "Email",
    .reason = "255 characters; at most 254" },
  { "email/carriage-return", "email", "ann\r@example.org", .label = "Email",
    .reason = "on one line" },
  { "email/no-at", "email", "anna", .label = "Email",
    .reason = "“anna” is not an email address" },
  { "email/no-domain", "email", "anna@", .label = "Email", .reason = "not an email address" },
  { "email/no-name", "email", "@x.org", .label = "Email", .reason = "not an email address" },
  { "email/one-label-domain", "email", "anna@x", .label = "Email",
    .reason = "not an email address" },
  { "email/space-inside", "email", "anna lee@x.org", .label = "Email",
    .reason = "not an email address" },
  { "phone/words", "phone", "call me", .label = "Phone",
    .reason = "“call me” is not a phone number" },
  { "phone/2-digits", "phone", "12", .label = "Phone", .reason = "from 6 to 20 digits" },
  { "phone/21-digits", "phone", REPEAT, "1", 21, .label = "Phone",
    .reason = "not a phone number" },
  { "phone/extension", "phone", "+33 1 23 45 67 89 ext", .label = "Phone",
    .reason = "not a phone number" },
  { "language/de", "language", "de", .label = "Language", .reason = "“de” is not one of" },
  { "language/upper-case", "language", "EN", .label = "Language", .reason = "is not one of" },
  { "allergies/too-long-501", "allergies", REPEAT, "ü", 501, .label = "Allergies",
    .reason = "501 characters; at most 500" },
  { "allergies/c1-control", "allergies", "latex\xc2\x85nickel", .label = "Allergies",
    .reason = "on one line" },
  { "patient-notes/too-long-2001", "patient-notes", REPEAT, "n", 2001,
    .label = "Patient notes", .reason = "2001 characters; at most 2000" },
  { "patient-notes/invalid-utf8", "patient-notes", "\xfe\xfe", .label = "Patient notes",
    .reason = "not valid UTF-8" },
  /* The treatment */
  { "practitioner/too-long-201", "practitioner", REPEAT, "ß", 201, .label = "Practitioner",
    .reason = "201 characters; at most 200" },
  { "practitioner/escape", "practitioner", "Dr \x1b[31mRed", .label = "Practitioner",
    .reason = "on one line" },
  { "indication/unknown", "indication", "acne", .label = "Indication",
    .reason = "“acne” is not one of" },
  { "technique/unknown", "technique", "needle", .label = "Technique",
    .reason = "“needle” is not one of" },
  { "product/too-long-201", "product", REPEAT, "µ", 201, .label = "Product",
    .reason = "201 characters; at most 200" },
  { "product/line-separator", "product", "Cocktail\xe2\x80\xa8" "A", .label = "Product",
    .reason = "on one line" },
  { "product/invalid-utf8", "product", "Cocktail \xe2\x82", .label = "Product",
    .reason = "not valid UTF-8" },
  { "lot/too-long-61", "lot", REPEAT, "L", 61, .label = "Lot",
    .reason = "61 characters; at most 60" },
  { "lot/newline", "lot", "L1\nL2", .label = "Lot", .reason = "on one line" },
  { "lot/delete", "lot", "L1\x7f", .label = "Lot", .reason = "on one line" },
  { "expiry/2026-02-30", "expiry", "2026-02-30", .label = "Lot expiry", .reason = "not a date" },
  { "expiry/2026-13-01", "expiry", "2026-13-01", .label = "Lot expiry", .reason = "not a date" },
  { "expiry/2-digit-year", "expiry", "26-01-01", .label = "Lot expiry", .reason = "not a date" },
  { "expiry/expired-day-before", "expiry", "2024-06-14", .label = "Lot expiry",
    .reason = "expired on 2024-06-14" },
  { "expiry/expired-long-ago", "expiry", "2001-01-01", .label = "Lot expiry",
    .reason = "expired on 2001-01-01" },
  { "volume/0", "volume", "0", .label = "Volume", .reason = "from 0.01 to 100" },
  { "volume/0.001", "volume", "0.001", .label = "Volume", .reason = "at most two decimals" },
  { "volume/100.01", "volume", "100.01", .label = "Volume", .reason = "from 0.01 to 100" },
  { "volume/2.555", "volume", "2.555", .label = "Volume", .reason = "at most two decimals" },
  { "volume/letters", "volume", "abc", .label = "Volume", .reason = "“abc” is not a volume" },
  { "volume/negative", "volume", "-1", .label = "Volume", .reason = "“-1” is not a volume" },
  { "volume/unit", "volume", "2ml", .label = "Volume", .reason = "is not a volume" },
  { "session-number/0", "session-number", "0", .label = "Session number",
    .reason = "from 1 to 100" },
  { "session-number/101", "session-number", "101", .label = "Session number",
    .reason = "from 1 to 100" },
  { "session-number/above-total", "session-number", "5", .context = { "--series-total=4" },
    .label = "Session number", .reason = "session 5 of a series of 4" },
  { "series-total/0", "series-total", "0", .label = "Sessions planned",
    .reason = "from 1 to 100" },
  { "series-total/101", "series-total", "101", .label = "Sessions planned",
    .reason = "from 1 to 100" },
  { "next-session/same-day", "next-session", SESSION_DATE, .label = "Next session",
    .reason = "2024-06-15 is not after this session" },
  { "next-session/before", "next-session", "2024-06-01", .label = "Next session",
    .reason = "is not after this session" },
  { "next-session/tomorrow", "next-session", "tomorrow", .label = "Next session",
    .reason = "“tomorrow” is not a date" },
  { "reactions/itching", "reactions", "itching", .label = "Reactions",
    .reason = "“itching” is not one of" },
  { "reactions/none-and-pain", "reactions", "none,pain", .label = "Reactions",
    .reason = "cannot go with a reaction" },
  { "reactions/invalid-utf8", "reactions", "pain,\xff", .label = "Reactions",
    .reason = "not valid UTF-8" },
  { "instructions/too-long-2001", "instructions", REPEAT, "i", 2001, .label = "Instructions",
    .reason = "2001 characters; at most 2000" },
  { "instructions/bell", "instructions", "Rest\x07", .label = "Instructions",
    .reason = "control characters" },
  { "instructions/carriage-return", "instructions", "Line one\r\nLine two",
    .label = "Instructions", .reason = "control characters" },
  { "instructions/invalid-utf8", "instructions", "Rest \xc0\xaf", .label = "Instructions",
    .reason = "not valid UTF-8" },
  { "notes/too-long-4001", "notes", REPEAT, "€", 4001, .label = "Private notes",
    .reason = "4001 characters; at most 4000" },
  { "notes/escape", "notes", "\x1b]0;title\x07", .label = "Private notes",
    .reason = "control characters" },
  { "pregnant/no-override", "pregnant", BARE, .label = "Pregnancy override",
    .reason = "must confirm this session explicitly" },
};

static GStrv
record_args (const char         *option,
             const char         *value,
             const char * const *context)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, "record");
  for (guint i = 0; i < G_N_ELEMENTS (base_options); i++)
    if (!g_str_equal (base_options[i][0], option))
      {
        g_autofree char *arg = g_strdup_printf ("--%s=%s", base_options[i][0],
                                                base_options[i][1]);

        g_strv_builder_add (builder, arg);
      }
  for (guint i = 0; context[i] != NULL; i++)
    g_strv_builder_add (builder, context[i]);
  if (value != MISSING)
    {
      g_autofree char *arg = g_str_equal (value, BARE)
                             ? g_strdup_printf ("--%s", option)
                             : g_strdup_printf ("--%s=%s", option, value);

      g_strv_builder_add (builder, arg);
    }
  return g_strv_builder_end (builder);
}

static GStrv
record_case_args (const RecordCase *test_case)
{
  g_autofree char *value = NULL;

  if (test_case->value != MISSING)
    value = expand (test_case->value, test_case->unit, test_case->repeat);
  return record_args (test_case->option, value, test_case->context);
}

static void
test_record_bad (gconstpointer data)
{
  const RecordCase *bad = data;
  g_auto(GStrv) args = record_case_args (bad);
  g_autofree char *start = g_strdup_printf ("mesocare-cli: %s: ", bad->label);
  Refusal refusal = { start, bad->reason, bad->known_bug };

  assert_refused_twice ((const char * const *) args, &refusal);
}

/* ---- record: what must pass, read back through `show` ---- */

typedef struct
{
  const char *path;
  const char *option;
  const char *value;
  const char *unit;
  guint       repeat;
  const char *context[4];
  const char *shown;      /* what `show` must print; REPEAT as in @value */
  const char *known_bug;
} GoodCase;

static const GoodCase record_good_cases[] = {
  { "patient/200", "patient", REPEAT, "é", 200, .shown = "Patient: " REPEAT "\n" },
  { "patient/200-emoji", "patient", REPEAT, "\xf0\x9f\x98\x80", 200,
    .shown = "Patient: " REPEAT "\n" },
  { "patient/trimmed", "patient", " \t Ann Lee \n ", .shown = "Patient: Ann Lee\n" },
  { "injections/1", "injections", "1", .shown = "Injections: 1\n" },
  { "injections/2000", "injections", "2000", .shown = "Injections: 2000\n" },
  { "duration/1", "duration", "1", .shown = "Duration: 1\n" },
  { "duration/480", "duration", "480", .shown = "Duration: 480\n" },
  { "area/all", "area", "arms,buttocks,thighs,flanks,abdomen,decolletage,neck,scalp,face",
    .shown = "Areas: face,scalp,neck,decolletage,abdomen,flanks,thighs,buttocks,arms\n" },
  { "date/2000-01-01", "date", "2000-01-01", .shown = "Date: 2000-01-01T12:00:00+00:00\n" },
  { "date/with-seconds", "date", "2024-06-15T09:30:00Z",
    .shown = "Date: 2024-06-15T09:30:00+00:00\n" },
  { "date/as-the-message-suggests", "date", "2024-06-15T09:30",
    .shown = "Date: 2024-06-15T09:30:00+00:00\n" },
  { "dob/1900-01-01", "dob", "1900-01-01", .shown = "Date of birth: 1900-01-01\n" },
  { "dob/session-day", "dob", SESSION_DATE, .shown = "Date of birth: 2024-06-15\n" },
  { "phone/40", "phone", REPEAT, "1 - 2", 8, .shown = "Phone: " REPEAT "\n" },
  { "phone/40-with-blanks", "phone", "   " REPEAT "  ", "1 - 2", 8,
    .shown = "Phone: " REPEAT "\n" },
  { "phone/international", "phone", "+33 1 23 45 67 89", .shown = "Phone: +33 1 23 45 67 89\n" },
  { "phone/brackets", "phone", "(555) 010-2000", .shown = "Phone: (555) 010-2000\n" },
  { "phone/6-digits", "phone", "12.34.56", .shown = "Phone: 12.34.56\n" },
  { "phone/20-digits", "phone", "+" REPEAT, "1", 20, .shown = "Phone: +" REPEAT "\n" },
  { "email/254", "email", REPEAT "@example.org", "é", 242,
    .shown = "Email: " REPEAT "@example.org\n" },
  { "email/plain", "email", "anna@x.org", .shown = "Email: anna@x.org\n" },
  { "language/es", "language", "es", .shown = "Language: es\n" },
  { "blood-thinners", "blood-thinners", BARE, .shown = "Blood thinners: yes\n" },
  { "allergies/500", "allergies", REPEAT, "ü", 500, .shown = "Allergies: " REPEAT "\n" },
  { "patient-notes/2000", "patient-notes", REPEAT, "ñ", 2000,
    .shown = "Patient notes: " REPEAT "\n" },
  { "practitioner/200", "practitioner", REPEAT, "ß", 200, .shown = "Practitioner: " REPEAT "\n" },
  { "indication/cellulite", "indication", "cellulite", .shown = "Indication: cellulite\n" },
  { "technique/manual", "technique", "manual", .shown = "Technique: manual\n" },
  { "product/200", "product", REPEAT, "µ", 200, .shown = "Product: " REPEAT "\n" },
  { "lot/60", "lot", REPEAT, "L", 60, .shown = "Lot: " REPEAT "\n" },
  { "lot/trimmed", "lot", "  L1  ", .shown = "Lot: L1\n" },
  { "expiry/session-day", "expiry", SESSION_DATE, .shown = "Lot expiry: 2024-06-15\n" },
  { "expiry/2199-12-31", "expiry", "2199-12-31", .shown = "Lot expiry: 2199-12-31\n" },
  { "volume/0.01", "volume", "0.01", .shown = "Volume: 0.01\n" },
  { "volume/100", "volume", "100", .shown = "Volume: 100\n" },
  { "volume/100.00", "volume", "100.00", .shown = "Volume: 100\n" },
  { "volume/decimal-comma", "volume", "2,5", .shown = "Volume: 2.5\n" },
  { "session-number/1", "session-number", "1", .shown = "Session number: 1\n" },
  { "session-number/100-of-100", "session-number", "100", .context = { "--series-total=100" },
    .shown = "Session number: 100\nSessions planned: 100\n" },
  { "series-total/1", "series-total", "1", .context = { "--session-number=1" },
    .shown = "Session number: 1\nSessions planned: 1\n" },
  { "next-session/next-day", "next-session", "2024-06-16", .shown = "Next session: 2024-06-16\n" },
  { "reactions/none", "reactions", "none", .shown = "Reactions: none\n" },
  { "reactions/every-reaction", "reactions", " pain , other,redness,swelling,bruising,bleeding",
    .shown = "Reactions: redness,swelling,bruising,bleeding,pain,other\n" },
  { "instructions/2000", "instructions", REPEAT, "i", 2000, .shown = "Instructions: " REPEAT "\n" },
  { "instructions/multi-line", "instructions", "Line one\nLine two\n\n\tLine four",
    .shown = "Instructions: Line one\n    Line two\n    \n    \tLine four\n" },
  { "notes/4000", "notes", REPEAT, "€", 4000, .shown = "Private notes: " REPEAT "\n" },
  { "pregnant/with-override", "pregnant", BARE, .context = { "--pregnancy-override" },
    .shown = "Pregnant or breastfeeding: yes\n" },
  { "pregnancy-override/recorded", "pregnancy-override", BARE, .context = { "--pregnant" },
    .shown = "Pregnancy override: yes\n" },
};

static void
test_record_good (gconstpointer data)
{
  const GoodCase *good = data;
  g_autoptr(MesoTestDir) box = meso_test_dir_new ();
  g_autofree char *value = expand (good->value, good->unit, good->repeat);
  g_autofree char *shown = expand (good->shown, good->unit, good->repeat);
  g_auto(GStrv) args = record_args (good->option, value, good->context);
  g_autofree char *output = NULL;
  g_auto(Run) run = { 0 };

  cli_run (box->db, (const char * const *) args, &run);
  if (!judge (acceptance_problem (&run), good->known_bug))
    return;
  output = show (box->db, parse_id (run.out));
  if (strstr (output, shown) == NULL)
    judge (g_strdup_printf ("`show` does not print “%s”", shown), good->known_bug);
  g_assert_cmpint (count_sessions (box->db), ==, 1);
}

/* ---- amend ---- */

/* Session 1 in force with its whole record; session 2 voided; session 3 plain. */
static void
make_amend_fixture (const char *db)
{
  const char *first[] = {
    "record", "--patient=Ann Lee", "--area=face", "--injections=40", "--duration=30",
    "--date=" SESSION_DATE, "--dob=1980-02-03", "--phone=+33 1 23 45 67 89",
    "--lot=L1", "--expiry=2025-01-01", "--session-number=3", "--series-total=5",
    "--next-session=2024-07-01", "--reactions=redness", "--volume=2.5", NULL
  };
  const char *second[] = {
    "record", "--patient=Bob Stone", "--area=scalp", "--injections=10", "--duration=20",
    "--date=2024-06-10", NULL
  };
  const char *third[] = {
    "record", "--patient=Chloé Martin", "--area=neck", "--injections=20", "--duration=15",
    "--date=2024-06-12", NULL
  };
  const char *void_second[] = { "void", "2", "--reason=Entered twice", NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (record_ok (db, first), ==, 1);
  g_assert_cmpint (record_ok (db, second), ==, 2);
  g_assert_cmpint (record_ok (db, third), ==, 3);
  out = cli_ok (db, void_second);
  g_assert_cmpstr (out, ==, "");
}

typedef struct
{
  const char *path;
  const char *args[6];   /* after "amend"; REPEAT as in the record cases */
  const char *unit;
  guint       repeat;
  const char *start;     /* how the one line on stderr starts */
  const char *reason;
  const char *known_bug;
} AmendCase;

static const AmendCase amend_bad_cases[] = {
  { "reason/missing", { "1", "--injections=41" }, .start = "mesocare-cli: Reason: ",
    .reason = "this is required" },
  { "reason/empty", { "1", "--injections=41", "--reason=" }, .start = "mesocare-cli: Reason: ",
    .reason = "this is required" },
  { "reason/blank", { "1", "--injections=41", "--reason= \t\n " },
    .start = "mesocare-cli: Reason: ", .reason = "this is required" },
  { "reason/too-long-501", { "1", "--injections=41", "--reason=" REPEAT }, "ç", 501,
    .start = "mesocare-cli: Reason: ", .reason = "501 characters; at most 500" },
  { "reason/invalid-utf8", { "1", "--injections=41", "--reason=typo \xff" },
    .start = "mesocare-cli: Reason: ", .reason = "not valid UTF-8" },
  { "id/unknown", { "999", "--injections=41", "--reason=typo" },
    .start = "mesocare-cli: Session: ", .reason = "no session with id 999" },
  { "id/not-a-number", { "first", "--injections=41", "--reason=typo" },
    .start = "mesocare-cli: Session: ", .reason = "“first” is not a session id" },
  { "id/missing", { "--injections=41", "--reason=typo" }, .start = "mesocare-cli amend: ",
    .reason = "give the id of one session" },
  { "voided", { "2", "--injections=41", "--reason=typo" }, .start = "mesocare-cli: Session: ",
    .reason = "session 2 is voided" },
  { "no-field", { "1", "--reason=typo" }, .start = "mesocare-cli amend: ",
    .reason = "give at least one field" },
  { "no-change", { "1", "--injections=40", "--reason=typo" },
    .start = "mesocare-cli: Amendment: ", .reason = "same as the current ones" },
  { "injections/0", { "1", "--injections=0", "--reason=typo" },
    .start = "mesocare-cli: Injections: ", .reason = "from 1 to 2000" },
  { "expiry/not-a-date", { "1", "--expiry=2026-02-30", "--reason=typo" },
    .start = "mesocare-cli: Lot expiry: ", .reason = "not a date" },
  { "patient/empty", { "1", "--patient=", "--reason=typo" }, .start = "mesocare-cli: Patient: ",
    .reason = "this is required" },
  { "blood-thinners/maybe", { "1", "--blood-thinners=maybe", "--reason=typo" },
    .start = "mesocare-cli: Blood thinners: ", .reason = "“maybe” is not yes or no" },
  { "date/future", { "1", "--date=" FUTURE, "--reason=typo" }, .start = "mesocare-cli: Date: ",
    .reason = "in the future" },
  { "date/empty", { "3", "--date=", "--reason=typo" }, .start = "mesocare-cli: Date: ",
    .reason = "required" },
  { "series-total/below-session-number", { "1", "--series-total=2", "--reason=typo" },
    .start = "mesocare-cli: Session number: ", .reason = "session 3 of a series of 2" },
  { "date/after-lot-expiry", { "1", "--date=2025-06-01", "--reason=typo" },
    .start = "mesocare-cli: Lot expiry: ", .reason = "expired on 2025-01-01" },
  { "date/after-next-session", { "1", "--date=2024-07-02", "--reason=typo" },
    .start = "mesocare-cli: Next session: ", .reason = "2024-07-01 is not after" },
  { "pregnant/no-override", { "1", "--pregnant=yes", "--reason=typo" },
    .start = "mesocare-cli: Pregnancy override: ", .reason = "must confirm" },
  { "dob/patient-level", { "1", "--dob=1990-01-01", "--reason=typo" },
    .start = "mesocare-cli amend: ", .reason = "--dob" },
  { "phone/patient-level", { "1", "--phone=0612345678", "--reason=typo" },
    .start = "mesocare-cli amend: ", .reason = "--phone" },
};

static void
test_amend_bad (gconstpointer data)
{
  const AmendCase *bad = data;
  g_autoptr(MesoTestDir) box = meso_test_dir_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *before = NULL;
  g_auto(Run) run = { 0 };

  make_amend_fixture (box->db);
  before = db_fingerprint (box->db);

  g_strv_builder_add (builder, "amend");
  for (guint i = 0; bad->args[i] != NULL; i++)
    {
      g_autofree char *arg = expand (bad->args[i], bad->unit, bad->repeat);

      g_strv_builder_add (builder, arg);
    }
  args = g_strv_builder_end (builder);

  cli_run (box->db, (const char * const *) args, &run);
  if (judge (refusal_problem (&run, bad->start, bad->reason), bad->known_bug))
    judge (unchanged_problem (box->db, before), bad->known_bug);
}

/* ---- import ---- */

/* Three sessions; the first one's instructions span two lines, so that in the export
 * the rows start on lines 2, 4 and 5. */
static void
make_import_fixture (const char *db)
{
  const char *rows[][3] = {
    { "--patient=Row One", "--date=2024-06-01", "--instructions=First line\nSecond line" },
    { "--patient=Row Two", "--date=2024-06-02", "--reactions=none" },
    { "--patient=Row Three", "--date=2024-06-03", "--volume=1.5" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *args[] = {
        "record", rows[i][0], "--area=face", "--injections=40", "--duration=30", rows[i][1],
        "--lot=L1", "--expiry=2025-01-01", rows[i][2], NULL
      };

      record_ok (db, args);
    }
}

static GPtrArray *
parse_csv (const char *text)
{
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (text, strlen (text));
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GError) error = NULL;
  GStrv fields = NULL;

  while (meso_csv_reader_next (reader, &fields, NULL, &error))
    g_ptr_array_add (rows, fields);
  g_assert_no_error (error);
  return rows;
}

static char *
format_csv (GPtrArray *rows)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      GStrv fields = g_ptr_array_index (rows, i);

      meso_csv_append_row (text, (const char * const *) fields, g_strv_length (fields));
    }
  return g_string_free (text, FALSE);
}

static char *
export_csv (const char *db,
            const char *path)
{
  const char *args[] = { "export", "--output", path, NULL };
  g_autofree char *out = cli_ok (db, args);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_cmpstr (out, ==, "");
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

typedef enum
{
  EDIT_NONE,
  EDIT_SET,          /* the cell of @column in @row becomes @value (row 0: the header) */
  EDIT_DROP_LAST,    /* @row loses its last value */
  EDIT_ADD_VALUE,    /* @row gains @value at its end */
  EDIT_DROP_COLUMN,  /* @column goes, from every row */
  EDIT_EMPTY,        /* nothing at all */
} Edit;

typedef struct
{
  const char *path;
  Edit        edit;
  guint       row;
  const char *column;
  const char *value;
  const char *find;       /* then, in the text: the first @find becomes @replace */
  const char *replace;
  const char *line;       /* the line the message must name */
  const char *label;      /* the field it must name after it, or NULL */
  const char *reason;
  const char *known_bug;
} ImportCase;

static const ImportCase import_bad_cases[] = {
  { "unknown-column", EDIT_SET, 0, "notes", "remarks", .line = "Line 1",
    .reason = "“remarks” is not a column" },
  { "duplicate-column", EDIT_SET, 0, "patient-notes", "notes", .line = "Line 1",
    .reason = "“notes” appears twice" },
  { "too-few-values", EDIT_DROP_LAST, 2, .line = "Line 4",
    .reason = "the row has 30 values; the header has 31" },
  { "too-many-values", EDIT_ADD_VALUE, 3, .value = "surplus", .line = "Line 5",
    .reason = "the row has 32 values" },
  { "unclosed-quote", .find = ",Row Two,", .replace = ",\"Row Two,", .line = "Line 4",
    .reason = "not closed" },
  { "quote-inside", .find = ",Row Two,", .replace = ",Row \"Two\",", .line = "Line 4",
    .reason = "a quote inside a field" },
  { "invalid-utf8", .find = "Row Two", .replace = "Row \xff Two", .line = "Line 4",
    .reason = "not valid UTF-8" },
  { "empty-file", EDIT_EMPTY, .line = "Line 1", .reason = "the file is empty" },
  { "row-3-bad-injections", EDIT_SET, 3, "injections", "2001", .line = "Line 5",
    .label = "Injections", .reason = "from 1 to 2000" },
  { "row-3-bad-volume", EDIT_SET, 3, "volume", "1.555", .line = "Line 5",
    .label = "Volume", .reason = "at most two decimals" },
  { "row-2-expired-lot", EDIT_SET, 2, "expiry", "2024-06-01", .line = "Line 4",
    .label = "Lot expiry", .reason = "expired on 2024-06-01" },
  { "row-1-bad-date", EDIT_SET, 1, "date", "2026-02-30", .line = "Line 2", .label = "Date",
    .reason = "not a date and time" },
  { "row-2-unknown-area", EDIT_SET, 2, "area", "face,elbow", .line = "Line 4",
    .label = "Areas", .reason = "“elbow” is not one of" },
  { "row-2-none-and-pain", EDIT_SET, 2, "reactions", "none,pain", .line = "Line 4",
    .label = "Reactions", .reason = "cannot go with a reaction" },
  { "row-3-lot-too-long", EDIT_SET, 3, "lot",
    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLL" "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLL" "L",
    .line = "Line 5", .label = "Lot", .reason = "61 characters; at most 60" },
  { "row-3-pregnant", EDIT_SET, 3, "pregnant", "yes", .line = "Line 5",
    .label = "Pregnancy override", .reason = "must confirm" },
  { "row-2-bad-email", EDIT_SET, 2, "email", "anna@x", .line = "Line 4",
    .label = "Email", .reason = "“anna@x” is not an email address" },
  { "row-3-bad-phone", EDIT_SET, 3, "phone", "call me", .line = "Line 5",
    .label = "Phone", .reason = "“call me” is not a phone number" },
  { "no-patient-column", EDIT_DROP_COLUMN, .column = "patient", .line = "Line 2",
    .label = "Patient", .reason = "this is required" },
  { "row-2-blank-void-reason", EDIT_SET, 2, "void-reason", "   ", .line = "Line 4",
    .label = "Reason", .reason = "this is required" },
};

static guint
column_index (GPtrArray  *rows,
              const char *column)
{
  GStrv header = g_ptr_array_index (rows, 0);

  for (guint i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], column))
      return i;
  g_assert_not_reached ();
}

static void
strv_remove (GStrv fields,
             guint index)
{
  g_free (fields[index]);
  memmove (&fields[index], &fields[index + 1],
           (g_strv_length (fields) - index) * sizeof (char *));
}

static void
apply_edit (GPtrArray        *rows,
            const ImportCase *bad)
{
  GStrv row = g_ptr_array_index (rows, bad->row);
  guint n = g_strv_length (row);

  switch (bad->edit)
    {
    case EDIT_SET:
      {
        guint index = column_index (rows, bad->column);

        g_free (row[index]);
        row[index] = g_strdup (bad->value);
      }
      break;
    case EDIT_DROP_LAST:
      strv_remove (row, n - 1);
      break;
    case EDIT_ADD_VALUE:
      row = g_renew (char *, row, n + 2);
      row[n] = g_strdup (bad->value);
      row[n + 1] = NULL;
      g_ptr_array_index (rows, bad->row) = row;
      break;
    case EDIT_DROP_COLUMN:
      {
        guint index = column_index (rows, bad->column);

        for (guint i = 0; i < rows->len; i++)
          strv_remove (g_ptr_array_index (rows, i), index);
      }
      break;
    case EDIT_NONE:
    case EDIT_EMPTY:
    default:
      break;
    }
}

/* The export of @db with one thing broken. */
static char *
broken_csv (const char       *db,
            const char       *path,
            const ImportCase *bad)
{
  g_autofree char *exported = export_csv (db, path);
  g_autoptr(GPtrArray) rows = parse_csv (exported);
  g_autofree char *formatted = NULL;
  g_autoptr(GString) text = NULL;

  g_assert_cmpuint (rows->len, ==, 4);
  if (bad->edit == EDIT_EMPTY)
    return g_strdup ("");
  apply_edit (rows, bad);
  formatted = format_csv (rows);
  text = g_string_new (formatted);
  if (bad->find != NULL)
    {
      g_assert_nonnull (strstr (text->str, bad->find));
      g_string_replace (text, bad->find, bad->replace, 1);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Into no database: refused, and no database or folder appears. */
static gboolean
import_refused_fresh (const MesoTestDir *box,
                      const char        *csv_path,
                      const char        *where,
                      const ImportCase  *bad)
{
  g_autofree char *folder = g_build_filename (box->path, "fresh", NULL);
  g_autofree char *path = g_build_filename (folder, "mesocare.db", NULL);
  /* On a server, an empty database of its own. */
  char *db = meso_test_db_location_new (path);
  const char *args[] = { "import", csv_path, NULL };
  g_auto(Run) run = { 0 };
  gboolean refused;

  g_test_message ("Into no database:");
  cli_run (db, args, &run);
  refused = judge (refusal_problem (&run, "mesocare-cli: Import ", bad->reason), bad->known_bug)
            && judge (refusal_problem (&run, "mesocare-cli: ", where), bad->known_bug)
            && judge (absent_problem (folder), bad->known_bug)
            && judge (blank_problem (db), bad->known_bug);
  meso_test_db_location_free (db);
  return refused;
}

/* Into the database it was exported from: refused, and not one row imported. */
static void
import_refused_seeded (const MesoTestDir *box,
                       const char        *csv_path,
                       const char        *where,
                       const ImportCase  *bad)
{
  g_autofree char *before = db_fingerprint (box->db);
  const char *args[] = { "import", csv_path, NULL };
  g_auto(Run) run = { 0 };

  g_test_message ("Into the database it was exported from:");
  cli_run (box->db, args, &run);
  if (judge (refusal_problem (&run, "mesocare-cli: Import ", bad->reason), bad->known_bug)
      && judge (refusal_problem (&run, "mesocare-cli: ", where), bad->known_bug))
    judge (unchanged_problem (box->db, before), bad->known_bug);
}

static void
test_import_bad (gconstpointer data)
{
  const ImportCase *bad = data;
  g_autoptr(MesoTestDir) box = meso_test_dir_new ();
  g_autofree char *csv_path = meso_test_dir_file (box, "broken.csv");
  g_autofree char *where = g_strconcat (bad->line, ": ", bad->label,
                                        bad->label != NULL ? ": " : NULL, NULL);
  g_autofree char *csv = NULL;
  g_autoptr(GError) error = NULL;

  make_import_fixture (box->db);
  csv = broken_csv (box->db, csv_path, bad);
  meso_test_log_text ("csv", csv);
  g_file_set_contents (csv_path, csv, -1, &error);
  g_assert_no_error (error);

  if (import_refused_fresh (box, csv_path, where, bad))
    import_refused_seeded (box, csv_path, where, bad);
}

/* ---- export, import, export ---- */

static void
make_round_trip_fixture (const char *db)
{
  const char *awkward[] = {
    "record", "--patient=Zoë \"Doc\" O'Brien, Jr.", "--area=neck,face", "--injections=80",
    "--duration=45", "--date=2024-03-01T10:15:00Z", "--dob=1975-12-31",
    "--phone=+33 (0)1 23 45 67 89", "--email=zoe+\"x\"@example.org", "--language=fr",
    "--blood-thinners", "--allergies=latex, \"nickel\"", "--patient-notes=Line 1\nLine 2, ok",
    "--practitioner=Dr. Ana 👩🏽‍⚕️", "--indication=skin-rejuvenation", "--technique=gun",
    "--product=Cocktail \"A\", 2%", "--lot=L,1\"", "--expiry=2025-01-31", "--volume=2.55",
    "--session-number=2", "--series-total=6", "--next-session=2024-03-15",
    "--reactions=redness,bruising", "--instructions=Line one, \"quoted\"\nLine two 🎉\n\n\tFour",
    "--notes==SUM(A1), \"notes\"\nand more", NULL
  };
  const char *older[] = {
    "record", "--patient=Bob, \"the\" Stone", "--area=scalp", "--injections=10",
    "--duration=20", "--date=2024-01-10", "--product=Plain", NULL
  };
  const char *pregnant[] = {
    "record", "--patient=Chloé 🎉", "--area=abdomen,flanks", "--injections=200", "--duration=60",
    "--pregnant", "--pregnancy-override", "--reactions=none", NULL
  };
  const char *voided[] = {
    "record", "--patient=Dan", "--area=arms", "--injections=5", "--duration=5",
    "--date=2024-02-01", NULL
  };
  /* Text a spreadsheet would run as a formula (issue 14): written with a quote in front,
   * read back without it. A lot that already begins with a quote keeps it. (Text is
   * stored trimmed: a leading tab or CR is tried in test-csv.c.) */
  const char *formulas[] = {
    "record", "--patient==HYPERLINK(\"http://x\",\"y\")", "--area=face", "--injections=3",
    "--duration=5", "--date=2024-02-02", "--product=@SUM(1+1)", "--allergies=-nickel",
    "--practitioner=+Dr", "--lot='=L1", "--notes=-- see file", "--instructions==1+1 kept",
    "--phone=+33 1 23 45 67 89", NULL
  };
  const char *amend[] = {
    "amend", "2", "--injections=55", "--product=New, \"improved\"™",
    "--reason=Typo, \"really\"", NULL
  };
  const char *void_it[] = { "void", "4", "--reason=Duplicate, \"twice\"\nsee 1", NULL };
  g_autofree char *out1 = NULL;
  g_autofree char *out2 = NULL;

  record_ok (db, awkward);
  record_ok (db, older);
  record_ok (db, pregnant);
  record_ok (db, voided);
  record_ok (db, formulas);
  out1 = cli_ok (db, amend);
  out2 = cli_ok (db, void_it);
  g_assert_cmpstr (out1, ==, "");
  g_assert_cmpstr (out2, ==, "");
}

static void
assert_same_but_ids (GPtrArray *first,
                     GPtrArray *second)
{
  g_assert_cmpuint (first->len, ==, second->len);
  for (guint i = 0; i < first->len; i++)
    {
      GStrv a = g_ptr_array_index (first, i);
      GStrv b = g_ptr_array_index (second, i);

      g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
      if (i == 0)
        g_assert_cmpstr (a[0], ==, b[0]);
      for (guint j = 1; a[j] != NULL; j++)
        {
          if (!g_str_equal (a[j], b[j]))
            g_test_message ("Row %u, column %s differs", i, ((GStrv) first->pdata[0])[j]);
          g_assert_cmpstr (a[j], ==, b[j]);
        }
    }
}

static const char *
cell_of (GPtrArray  *rows,
         guint       row,
         const char *column)
{
  GStrv header = g_ptr_array_index (rows, 0);

  for (guint j = 0; header[j] != NULL; j++)
    if (g_str_equal (header[j], column))
      return ((GStrv) g_ptr_array_index (rows, row))[j];
  g_assert_not_reached ();
}

/* The row of the `formulas` session: the only one of 3 injections. */
static guint
formulas_row (GPtrArray *rows)
{
  for (guint i = 1; i < rows->len; i++)
    if (g_str_equal (cell_of (rows, i, "injections"), "3"))
      return i;
  g_assert_not_reached ();
}

/* The export of the `formulas` session puts a quote before each text cell a
 * spreadsheet would run, and only there; the import stored the values as typed. */
static void
assert_formulas_neutralised (GPtrArray  *rows,
                             const char *imported_db)
{
  guint row = formulas_row (rows);
  /* The import gives ids anew, in the order of the file. */
  g_autofree char *id = g_strdup_printf ("%u", row);
  const char *show[] = { "show", id, NULL };
  g_autofree char *shown = NULL;

  g_assert_cmpstr (cell_of (rows, row, "patient"), ==, "'=HYPERLINK(\"http://x\",\"y\")");
  g_assert_cmpstr (cell_of (rows, row, "product"), ==, "'@SUM(1+1)");
  g_assert_cmpstr (cell_of (rows, row, "allergies"), ==, "'-nickel");
  g_assert_cmpstr (cell_of (rows, row, "practitioner"), ==, "'+Dr");
  g_assert_cmpstr (cell_of (rows, row, "lot"), ==, "''=L1");
  g_assert_cmpstr (cell_of (rows, row, "notes"), ==, "'-- see file");
  g_assert_cmpstr (cell_of (rows, row, "instructions"), ==, "'=1+1 kept");
  /* What cannot call a function, and what the tool writes itself, is left as it is. */
  g_assert_cmpstr (cell_of (rows, row, "phone"), ==, "+33 1 23 45 67 89");
  g_assert_cmpstr (cell_of (rows, row, "injections"), ==, "3");
  g_assert_cmpstr (cell_of (rows, row, "date"), ==, "2024-02-02T12:00:00+00:00");

  shown = cli_ok (imported_db, show);
  g_assert_nonnull (strstr (shown, "=HYPERLINK(\"http://x\",\"y\")"));
  g_assert_null (strstr (shown, "'=HYPERLINK"));
  g_assert_nonnull (strstr (shown, "'=L1"));
  g_assert_null (strstr (shown, "''=L1"));
}

static void
test_import_round_trip (void)
{
  g_autoptr(MesoTestDir) box = meso_test_dir_new ();
  g_autofree char *first_path = meso_test_dir_file (box, "first.csv");
  g_autofree char *second_path = meso_test_dir_file (box, "second.csv");
  /* A database of its own, on the same engine. */
  g_autoptr(MesoTestDir) second_box = meso_test_dir_new ();
  const char *second_db = second_box->db;
  const char *import[] = { "import", first_path, NULL };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *imported = NULL;
  g_autoptr(GPtrArray) first_rows = NULL;
  g_autoptr(GPtrArray) second_rows = NULL;

  make_round_trip_fixture (box->db);
  first = export_csv (box->db, first_path);
  meso_test_log_text ("first export", first);
  imported = cli_ok (second_db, import);
  g_assert_cmpstr (imported, ==, "5 sessions imported\n");
  second = export_csv (second_db, second_path);
  meso_test_log_text ("second export", second);

  first_rows = parse_csv (first);
  second_rows = parse_csv (second);
  g_assert_cmpuint (first_rows->len, ==, 6);
  assert_same_but_ids (first_rows, second_rows);
  g_assert_cmpint (count_sessions (second_db), ==, 5);
  assert_formulas_neutralised (first_rows, second_db);
}

/* ---- Registration ---- */

static gboolean
wants_group (int          argc,
             char       **argv,
             const char  *group)
{
  if (argc < 2)
    return TRUE;
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], group))
      return TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* So that the messages logged keep their UTF-8 (the environment says C.UTF-8). */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The groups named after the options, or all of them: meson runs each group as a test
   * of its own (GTest's -p does not reach into nested paths). */
  if (wants_group (argc, argv, "bad"))
    MESO_TEST_ADD_NAMED_CASES ("/cli-record/bad/", record_bad_cases, test_record_bad);
  if (wants_group (argc, argv, "good"))
    MESO_TEST_ADD_NAMED_CASES ("/cli-record/good/", record_good_cases, test_record_good);
  if (wants_group (argc, argv, "amend-bad"))
    MESO_TEST_ADD_NAMED_CASES ("/cli-record/amend-bad/", amend_bad_cases, test_amend_bad);
  if (wants_group (argc, argv, "import-bad"))
    MESO_TEST_ADD_NAMED_CASES ("/cli-record/import-bad/", import_bad_cases, test_import_bad);
  if (wants_group (argc, argv, "import-round-trip"))
    g_test_add_func ("/cli-record/import-round-trip", test_import_round_trip);

  status = g_test_run ();
  seeded_database_clear ();
  return status;
}
