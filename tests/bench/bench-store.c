/* bench-store.c: mesocare-cli's reads and writes on a million sessions and on ten
 * thousand, each as a whole process, against the sqlite3 shell doing the same work on
 * the same file
 *
 *   bench-store [--rounds N] [--warmups N] SQLITE3 CACHE-DIR
 *
 * The tool comes from $MESOCARE_CLI, as in the tests. Both databases are made by
 * `mesocare-cli generate --sessions N --seed 1` once and kept in CACHE-DIR
 * (store-1m.db, store-10k.db); one is made again when its schema version, its count of
 * sessions or the seed written in its audit log is not the one expected. Each run copies
 * them into a private folder, which it removes at exit.
 *
 * The floors, all through SQLITE3 (-batch) on a copy of the same file:
 *
 * - list, its first page and each filter's first page: the SELECT of the printed columns
 *   over session_current, joined to patients and practitioners as the store joins them,
 *   with the store's WHERE (the patient's letters folded here, as the tool folds them),
 *   ORDER BY and LIMIT, printed tab-separated to /dev/null;
 * - export: the SELECT of every column in the export's order (flags as yes/no), as CSV
 *   into a file, then one audit entry (with PRAGMA synchronous = FULL, as the store);
 * - show: the session's row with every column, then its amendments;
 * - import (the export of the ten thousand, into a database with the schema and nothing
 *   else, fresh each run): `.import` of the CSV into a temporary table, then, in one
 *   transaction, INSERT ... SELECT into practitioners, patients (the name lowered, not
 *   folded: the shell has no meso_fold), sessions, session_areas (json_each over the
 *   areas), session_current (its trigger fills the trigram index) and voids, and the
 *   audit log: a create entry per session (every field in its payload), a void entry per
 *   void and the import's, chained by a recursive CTE with the shell's sha3() where the
 *   store uses SHA-256. No validation: the floor trusts the file;
 * - record: in one transaction with PRAGMA synchronous = FULL, the patient (inserted when
 *   new, its contact details updated), the practitioner, the session, its areas, its
 *   current values and its chained audit entry.
 *
 * Before the rounds, each case runs once and what its floor did is compared with what
 * the tool did: the same session ids in the same order, the same number of lines
 * written, or the same number of rows in every table (see CheckKind). A floor that did
 * less would flatter the tool: the benchmark then fails.
 *
 * Every pair runs round after round, the tool and its floor in turn first, all the
 * cases interleaved, so that whatever else the machine does weighs on all alike. The
 * whole list and the export of the million run HEAVY_ROUNDS times at most, after no
 * warm-up.
 *
 * Peak memory (ru_maxrss from wait4()) of list, export and check on the million is
 * reported against the same on ten thousand: a ratio near 1 means memory does not grow
 * with the clinic.
 *
 * `mesocare-cli generate --sessions 1000000` itself is timed when the cache is made, or
 * on request with MESOCARE_BENCH_GENERATE=1 in the environment (it takes minutes):
 * `store-generate-1m seconds=...`, one run, no floor.
 *
 * MESOCARE_BENCH_ONLY=PREFIX runs only the cases whose names start with PREFIX
 * (store-import, store-list-1m...), without the figures of memory and check.
 *
 * Prints one line a result (see bench_report_full()); fails only when it cannot measure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"
#include "bench-generated.h"
#include "meso-field.h"
#include "meso-store.h"
#include "meso-text.h"

#define SEED             BENCH_GENERATE_SEED
#define HEAVY_ROUNDS     5
#define PAGE             "100"
#define AIM_RECORD       1.2
#define AIM_MEMORY       1.2
#define AIM_GENERATE_S   60.0
#define GENESIS_HASH     "0000000000000000000000000000000000000000000000000000000000000000"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* One database, and what the filters look for in it: values taken from its own data, so
 * that each filter finds sessions whatever day the generator ran. */
typedef struct
{
  const char *label;         /* in the results' names: "1m", "10k" */
  guint       n_sessions;
  char       *cache;         /* in CACHE-DIR */
  char       *path;          /* the copy the runs use */
  double      made_s;        /* how long generate took, when it ran now; 0 if cached */
  char       *surname;       /* of the newest session's patient */
  char       *practitioner;  /* the newest session's */
  char       *product;
  char       *lot;
  char       *first_day;     /* the calendar month before the newest session's */
  char       *last_day;
  char       *from_utc;      /* the same month as the store's WHERE has it */
  char       *to_utc;
  gint64      show_id;       /* an amended session, half-way */
} Db;

/* How a case makes sure its floor does the same work: a floor that did less would
 * flatter the tool. */
typedef enum
{
  CHECK_NONE,
  CHECK_IDS,     /* the same sessions in the same order: the first column of each line */
  CHECK_LINES,   /* the same number of lines in the files written (export) */
  CHECK_TABLES,  /* the same number of rows in each table written (import, record) */
} CheckKind;

typedef struct
{
  char      *name;
  double     aim;
  CheckKind  check;
  guint      rounds;
  guint      warmups;
  GStrv      ours;
  GStrv      floor;
  char      *fresh;        /* copied over each reset path before each run, or NULL */
  char      *ours_reset;   /* made fresh (or, without @fresh, removed) before each run */
  char      *floor_reset;
  char      *ours_file;    /* what CHECK_LINES and CHECK_TABLES compare */
  char      *floor_file;
  GArray    *ours_ms;
  GArray    *floor_ms;
  GArray    *ours_kb;      /* ru_maxrss of each measured run of ours */
} Case;

static const char *private_dir;  /* bench_make_private_dir() */
static const char *cli;
static const char *sqlite3_shell;
static GStrv child_env;
static char *stderr_path;

/* ---- Children ---- */

static void
fail_with_stderr (const char *program,
                  const char *what)
{
  g_autofree char *err = NULL;

  g_file_get_contents (stderr_path, &err, NULL, NULL);
  bench_fail ("%s %s: %s", program, what, err != NULL ? err : "");
}

/* Runs @argv to its end, its output into @out_path (NULL: /dev/null); returns the
 * milliseconds from before the spawn to after the wait, and the child's own resource use
 * in @out_usage. */
static double
run_child_to (GStrv          argv,
              const char    *out_path,
              struct rusage *out_usage)
{
  g_autoptr(GError) error = NULL;
  int in = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = out_path != NULL ? open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)
                             : open ("/dev/null", O_WRONLY | O_CLOEXEC);
  int err = open (stderr_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  struct rusage usage;
  GPid pid;
  int status = 0;
  gint64 start;
  double ms;

  if (in < 0 || out < 0 || err < 0)
    bench_fail ("/dev/null, %s or %s: %s", out_path != NULL ? out_path : "", stderr_path,
                g_strerror (errno));
  start = g_get_monotonic_time ();
  if (!g_spawn_async_with_fds (NULL, argv, child_env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                               &pid, in, out, err, &error))
    bench_fail ("%s: %s", argv[0], error->message);
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      bench_fail ("wait4: %s", g_strerror (errno));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  close (in);
  close (out);
  close (err);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    fail_with_stderr (argv[0], "failed");
  if (out_usage != NULL)
    *out_usage = usage;
  return ms;
}

static double
run_child (GStrv          argv,
           struct rusage *out_usage)
{
  return run_child_to (argv, NULL, out_usage);
}

/* The tool never sees the real home (GSETTINGS_*: inherited from meson's environment).
 * Its configuration folder is kept beside the cached databases: it holds the keys of
 * their sealed audit logs, made with them, which every later run needs to write. */
static GStrv
make_child_env (const char *cache_dir)
{
  static const char * const variables[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  GStrv env = g_get_environ ();
  g_autofree char *config = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *path = bench_make_dir (private_dir, variables[i][1]);

      env = g_environ_setenv (env, variables[i][0], path, TRUE);
    }
  config = g_build_filename (cache_dir, "bench-store-config", NULL);
  if (g_mkdir_with_parents (config, 0700) != 0)
    bench_fail ("%s: %s", config, g_strerror (errno));
  return g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
}

static GStrv
argv_new (const char *first,
          ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_strv_builder_add (builder, arg);
  va_end (args);
  return g_strv_builder_end (builder);
}

/* ---- Files ---- */

static void
copy_database (const char *from,
               const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) dest = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_autofree char *from_head = g_strconcat (from, ".head", NULL);
  g_autofree char *to_head = g_strconcat (to, ".head", NULL);
  g_autoptr(GFile) source_head = g_file_new_for_path (from_head);
  g_autoptr(GFile) dest_head = g_file_new_for_path (to_head);

  bench_remove_database (to);
  if (!g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    bench_fail ("%s: %s", to, error->message);
  g_chmod (to, 0600);
  /* The head of its audit log goes with it, or `check` would take the copy for a
   * database whose last entries were removed. */
  if (g_file_test (from_head, G_FILE_TEST_EXISTS)
      && !g_file_copy (source_head, dest_head, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    bench_fail ("%s: %s", to_head, error->message);
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0;
}

/* ---- SQL ---- */

static sqlite3 *
open_or_fail (const char *path,
              int         flags)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    bench_fail ("%s: %s", path, db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return db;
}

static sqlite3_stmt *
prepare_or_fail (sqlite3    *db,
                 const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    bench_fail ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

/* The first row's first column as text, or NULL. */
static char *
query_text (sqlite3    *db,
            const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* @text as an SQL literal, quotes doubled. */
static char *
sql_quote (const char *text)
{
  char *quoted = sqlite3_mprintf ("%Q", text);
  char *copy = g_strdup (quoted);

  sqlite3_free (quoted);
  return copy;
}

/* ---- The databases ---- */

/* Made once by `generate` and kept (bench-generated.c). */
static void
ensure_cache (Db *db)
{
  db->made_s = bench_ensure_generated (cli, (const char * const *) child_env, db->cache,
                                       db->n_sessions);
}

static char *
local_day_to_utc (int year,
                  int month,
                  int day)
{
  g_autoptr(GDateTime) local = g_date_time_new_local (year, month, day, 0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The calendar month before the one of @newest (UTC, ISO 8601), in local days. */
static void
pick_month (Db         *db,
            const char *newest)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (newest, NULL);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) last = NULL;

  if (when == NULL)
    bench_fail ("%s: the newest session's time “%s” is not ISO 8601", db->path, newest);
  local = g_date_time_to_local (when);
  next = g_date_time_new_local (g_date_time_get_year (local), g_date_time_get_month (local), 1,
                                0, 0, 0);
  first = g_date_time_add_months (next, -1);
  last = g_date_time_add_days (next, -1);
  db->first_day = g_date_time_format (first, "%Y-%m-%d");
  db->last_day = g_date_time_format (last, "%Y-%m-%d");
  db->from_utc = local_day_to_utc (g_date_time_get_year (first), g_date_time_get_month (first),
                                   1);
  db->to_utc = local_day_to_utc (g_date_time_get_year (next), g_date_time_get_month (next), 1);
}

static void
pick_values (Db *db)
{
  g_autoptr(sqlite3) sql = open_or_fail (db->path, SQLITE_OPEN_READONLY);
  g_autoptr(sqlite3_stmt) newest =
    prepare_or_fail (sql, "SELECT patient_name, practitioner, product, lot, performed_at"
                          " FROM session_current ORDER BY performed_at DESC, session_id DESC"
                          " LIMIT 1");
  g_autofree char *amended = NULL;
  g_autofree char *show_sql = NULL;
  const char *name, *space;

  if (sqlite3_step (newest) != SQLITE_ROW)
    bench_fail ("%s: no session", db->path);
  name = (const char *) sqlite3_column_text (newest, 0);
  space = strrchr (name, ' ');
  db->surname = g_strdup (space != NULL ? space + 1 : name);
  db->practitioner = g_strdup ((const char *) sqlite3_column_text (newest, 1));
  db->product = g_strdup ((const char *) sqlite3_column_text (newest, 2));
  db->lot = g_strdup ((const char *) sqlite3_column_text (newest, 3));
  if (db->practitioner == NULL || db->product == NULL || db->lot == NULL
      || g_utf8_strlen (db->surname, -1) < 3)
    bench_fail ("%s: the newest session lacks what the filters look for", db->path);
  pick_month (db, (const char *) sqlite3_column_text (newest, 4));

  show_sql = g_strdup_printf ("SELECT session_id FROM session_current WHERE status = 'amended'"
                              " AND session_id >= %u ORDER BY session_id LIMIT 1",
                              db->n_sessions / 2);
  amended = query_text (sql, show_sql);
  if (amended == NULL)
    bench_fail ("%s: no amended session", db->path);
  db->show_id = g_ascii_strtoll (amended, NULL, 10);
}

static void
db_prepare (Db         *db,
            const char *cache_dir)
{
  g_autofree char *name = g_strdup_printf ("store-%s.db", db->label);
  g_autofree char *dir = bench_make_dir (private_dir, db->label);

  db->cache = g_build_filename (cache_dir, name, NULL);
  db->path = g_build_filename (dir, "mesocare.db", NULL);
  ensure_cache (db);
  copy_database (db->cache, db->path);
  pick_values (db);
}

static void
db_clear (Db *db)
{
  char **texts[] = { &db->cache, &db->path, &db->surname, &db->practitioner, &db->product,
                     &db->lot, &db->first_day, &db->last_day, &db->from_utc, &db->to_utc };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_clear_pointer (texts[i], g_free);
}

/* ---- The cases ---- */

static Case *
case_new (const char *name,
          const char *label,
          double      aim,
          guint       rounds,
          guint       warmups,
          GStrv       ours,
          GStrv       floor)
{
  Case *c = g_new0 (Case, 1);

  c->name = g_strdup_printf ("store-%s-%s", name, label);
  c->aim = aim;
  c->rounds = rounds;
  c->warmups = warmups;
  c->ours = ours;
  c->floor = floor;
  c->ours_ms = g_array_new (FALSE, FALSE, sizeof (double));
  c->floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  c->ours_kb = g_array_new (FALSE, FALSE, sizeof (double));
  return c;
}

/* A run of the whole million takes a minute: fewer of them. */
static guint
rounds_for (const BenchOptions *options,
            gboolean            heavy)
{
  return heavy ? MIN (HEAVY_ROUNDS, options->rounds) : options->rounds;
}

static void
case_free (Case *c)
{
  g_free (c->name);
  g_strfreev (c->ours);
  g_strfreev (c->floor);
  g_free (c->fresh);
  g_free (c->ours_reset);
  g_free (c->floor_reset);
  g_free (c->ours_file);
  g_free (c->floor_file);
  g_array_unref (c->ours_ms);
  g_array_unref (c->floor_ms);
  g_array_unref (c->ours_kb);
  g_free (c);
}

/* What `list` prints, tab-separated: id, local time, patient, areas, injections,
 * minutes; from the rows the store reads, joined as it joins them. */
#define LIST_SELECT \
  "SELECT c.session_id, strftime ('%Y-%m-%dT%H:%M:%S', c.performed_at, 'localtime')," \
  " c.patient_name, c.areas, c.injections, c.duration_minutes"
#define JOINED_CURRENT \
  " FROM session_current c JOIN patients p ON p.id = c.patient_id" \
  " LEFT JOIN practitioners pr ON pr.name = c.practitioner"

static GStrv
floor_query (const char *db,
             const char *sql)
{
  return argv_new (sqlite3_shell, "-batch", "-noheader", "-separator", "\t", db, sql, NULL);
}

/* `list` with @filter (options and their values, or NULL), whole or its first page;
 * @where is the store's WHERE for it, in SQL (or NULL). */
static Case *
list_case (const BenchOptions  *options,
           Db                  *db,
           const char          *name,
           const char * const  *filter,
           const char          *where,
           gboolean             page)
{
  g_autoptr(GStrvBuilder) ours = g_strv_builder_new ();
  g_autofree char *sql = g_strconcat (LIST_SELECT JOINED_CURRENT, where != NULL ? " WHERE " : "",
                                      where != NULL ? where : "",
                                      " ORDER BY c.performed_at DESC, c.session_id DESC",
                                      page ? " LIMIT " PAGE : "", NULL);
  gboolean heavy = !page && db->n_sessions >= 1000000;

  Case *c;

  g_strv_builder_add_many (ours, cli, "--db", db->path, "list", NULL);
  if (filter != NULL)
    g_strv_builder_addv (ours, (const char **) filter);
  if (page)
    g_strv_builder_add_many (ours, "--limit", PAGE, NULL);
  c = case_new (name, db->label, BENCH_AIM, rounds_for (options, heavy),
                heavy ? 0 : options->warmups, g_strv_builder_end (ours),
                floor_query (db->path, sql));
  /* The whole million is checked through the whole ten thousand: the same SQL. */
  c->check = heavy ? CHECK_NONE : CHECK_IDS;
  return c;
}

/* "(instr (',' || coalesce (c.COLUMN, '') || ',', ',ID,') > 0)", as the store writes it. */
static char *
any_id_where (const char *column,
              const char *id)
{
  return g_strdup_printf ("(instr (',' || coalesce (c.%s, '') || ',', ',%s,') > 0)", column, id);
}

static void
add_list_cases (GPtrArray          *cases,
                const BenchOptions *options,
                Db                 *db)
{
  g_autofree char *folded = meso_text_fold (db->surname);
  g_autofree char *phrase = g_strdup_printf ("\"%s\"", folded);
  g_autofree char *phrase_sql = sql_quote (phrase);
  g_autofree char *practitioner = sql_quote (db->practitioner);
  g_autofree char *product = sql_quote (db->product);
  g_autofree char *lot = sql_quote (db->lot);
  g_autofree char *patient_where =
    g_strdup_printf ("c.session_id IN (SELECT rowid FROM session_names"
                     " WHERE session_names MATCH %s)", phrase_sql);
  g_autofree char *month_where =
    g_strdup_printf ("c.performed_at >= '%s' AND c.performed_at < '%s'", db->from_utc,
                     db->to_utc);
  g_autofree char *area_where = any_id_where ("areas", "scalp");
  g_autofree char *practitioner_where = g_strconcat ("c.practitioner = ", practitioner, NULL);
  g_autofree char *product_where = g_strconcat ("c.product = ", product, NULL);
  g_autofree char *lot_where = g_strconcat ("c.lot = ", lot, NULL);
  g_autofree char *reactions_where = any_id_where ("reactions", "bruising");
  const struct
  {
    const char *name;
    const char *filter[5];
    const char *where;
  } lists[] = {
    { "list-patient", { "--patient", db->surname }, patient_where },
    { "list-month", { "--from", db->first_day, "--to", db->last_day }, month_where },
    { "list-area", { "--area", "scalp" }, area_where },
    { "list-practitioner", { "--practitioner", db->practitioner }, practitioner_where },
    { "list-indication", { "--indication", "cellulite" }, "c.indication = 'cellulite'" },
    { "list-product", { "--product", db->product }, product_where },
    { "list-lot", { "--lot", db->lot }, lot_where },
    { "list-reactions", { "--reactions", "bruising" }, reactions_where },
    { "list-status", { "--status", "voided" }, "c.status = 'voided'" },
  };

  g_ptr_array_add (cases, list_case (options, db, "list", NULL, NULL, FALSE));
  g_ptr_array_add (cases, list_case (options, db, "list-page", NULL, NULL, TRUE));
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    g_ptr_array_add (cases, list_case (options, db, lists[i].name, lists[i].filter,
                                       lists[i].where, TRUE));
}

/* An INSERT of the next audit entry, chained to the last one as the store chains its own
 * (the shell's sha3() where the store uses SHA-256). @entity_id and @payload are SQL. */
static char *
audit_insert_sql (const char *action,
                  const char *entity,
                  const char *entity_id,
                  const char *payload)
{
  return g_strdup_printf (
    "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, payload, prev_hash, hash)"
    " SELECT seq, at, 'bench', '%s', '%s', eid, payload, prev,"
    "  lower (hex (sha3 (seq || char (31) || at || char (31) || 'bench' || char (31) || '%s'"
    "   || char (31) || '%s' || char (31) || eid || char (31) || payload || char (31) || prev,"
    "   256)))"
    " FROM (SELECT coalesce (max (seq), 0) + 1 AS seq,"
    "  strftime ('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now') AS at, %s AS eid, %s AS payload,"
    "  coalesce ((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '" GENESIS_HASH "')"
    "  AS prev FROM audit_log)",
    action, entity, action, entity, entity_id, payload);
}

/* Every column of a session, in the order of the export's header. */
#define EXPORT_SELECT \
  "SELECT c.session_id AS id, c.patient_name AS patient, c.areas AS area," \
  " c.injections AS injections, c.duration_minutes AS duration," \
  " strftime ('%Y-%m-%dT%H:%M:%S', c.performed_at, 'localtime') AS date," \
  " p.date_of_birth AS dob, p.phone AS phone, p.email AS email, p.language AS language," \
  " iif (c.blood_thinners, 'yes', 'no') AS \"blood-thinners\"," \
  " iif (c.pregnant, 'yes', 'no') AS pregnant, c.allergies AS allergies," \
  " p.notes AS \"patient-notes\", c.practitioner AS practitioner," \
  " pr.role AS \"practitioner-role\", pr.registration AS \"practitioner-registration\"," \
  " c.indication AS indication, c.technique AS technique, c.product AS product," \
  " c.lot AS lot, c.lot_expiry AS expiry, c.volume_ml AS volume," \
  " c.session_number AS \"session-number\", c.series_total AS \"series-total\"," \
  " c.next_session AS \"next-session\", c.reactions AS reactions," \
  " c.instructions AS instructions, c.notes AS notes," \
  " iif (c.pregnancy_override, 'yes', 'no') AS \"pregnancy-override\"," \
  " c.void_reason AS \"void-reason\"" \
  JOINED_CURRENT

static Case *
export_case (const BenchOptions *options,
             Db                 *db)
{
  gboolean heavy = db->n_sessions >= 1000000;
  g_autofree char *ours_csv = g_strdup_printf ("%s/export-%s.csv", private_dir, db->label);
  g_autofree char *floor_csv = g_strdup_printf ("%s/export-floor-%s.csv", private_dir,
                                                db->label);
  g_autofree char *once = g_strdup_printf (".once '%s'", floor_csv);
  g_autofree char *payload = g_strdup_printf ("'file=%s' || char (10) || 'sessions=%u'"
                                              " || char (10)", floor_csv, db->n_sessions);
  g_autofree char *audit = audit_insert_sql ("export", "database", "0", payload);
  Case *c;

  c = case_new ("export", db->label, BENCH_AIM, rounds_for (options, heavy),
                heavy ? 0 : options->warmups,
                argv_new (cli, "--db", db->path, "export", "--output", ours_csv, NULL),
                argv_new (sqlite3_shell, "-batch", "-csv", "-header", db->path, once,
                          EXPORT_SELECT " ORDER BY c.performed_at ASC, c.session_id ASC",
                          "PRAGMA synchronous = FULL", audit, NULL));
  c->check = heavy ? CHECK_NONE : CHECK_LINES;
  c->ours_file = g_strdup (ours_csv);
  c->floor_file = g_strdup (floor_csv);
  c->ours_reset = g_steal_pointer (&ours_csv);
  c->floor_reset = g_steal_pointer (&floor_csv);
  return c;
}

static Case *
show_case (const BenchOptions *options,
           Db                 *db)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, db->show_id);
  g_autofree char *session = g_strconcat (EXPORT_SELECT " WHERE c.session_id = ", id, NULL);
  g_autofree char *amendments =
    g_strdup_printf ("SELECT a.id, a.amended_at, a.amended_by, a.reason, v.field, v.old_value,"
                     " v.new_value FROM amendments a"
                     " JOIN amendment_values v ON v.amendment_id = a.id"
                     " WHERE a.session_id = %s ORDER BY a.id, v.rowid", id);
  GStrv floor = argv_new (sqlite3_shell, "-batch", "-noheader", "-separator", "\t", db->path,
                          session, amendments, NULL);

  return case_new ("show", db->label, BENCH_AIM, options->rounds, options->warmups,
                   argv_new (cli, "--db", db->path, "show", id, NULL), floor);
}

/* 'key=' || i."key" || char (10) for the id and every field: the create entry's payload. */
static char *
import_payload_sql (void)
{
  g_autoptr(GString) sql = g_string_new ("'id=' || i.rowid || char (10)");

  MESO_FIELD_FOREACH (field)
    {
      const char *id = meso_field_get_id (field);

      g_string_append_printf (sql, " || '%s=' || i.\"%s\" || char (10)", id, id);
    }
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static GStrv
import_floor (const char *db,
              const char *csv,
              guint       n_sessions)
{
  g_autofree char *import = g_strdup_printf (".import --csv --schema temp '%s' csv_in", csv);
  g_autofree char *payload = import_payload_sql ();
  g_autofree char *entries =
    g_strdup_printf ("INSERT INTO entries (action, entity, entity_id, payload)"
                     " SELECT action, 'session', id, payload FROM"
                     " (SELECT i.rowid AS id, 0 AS k, 'create' AS action, %s AS payload"
                     "  FROM csv_in i"
                     "  UNION ALL"
                     "  SELECT i.rowid, 1, 'void', 'id=' || i.rowid || char (10) || 'reason='"
                     "   || i.\"void-reason\" || char (10) FROM csv_in i"
                     "  WHERE i.\"void-reason\" <> '')"
                     " ORDER BY id, k", payload);
  g_autofree char *import_entry =
    g_strdup_printf ("INSERT INTO entries (action, entity, entity_id, payload)"
                     " VALUES ('import', 'database', 0, 'source=%s' || char (10)"
                     " || 'sessions=%u' || char (10))", csv, n_sessions);

  return argv_new (
    sqlite3_shell, "-batch", db,
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    import,
    "CREATE TEMP TABLE entries (seq INTEGER PRIMARY KEY, action TEXT, entity TEXT,"
    " entity_id INTEGER, payload TEXT)",
    "BEGIN IMMEDIATE",
    "CREATE TEMP TABLE stamp AS SELECT strftime ('%Y-%m-%dT%H:%M:%SZ', 'now') AS now",
    "INSERT INTO practitioners (name, role, registration, created_at)"
    " SELECT practitioner, nullif (max (\"practitioner-role\"), ''),"
    "  nullif (max (\"practitioner-registration\"), ''), (SELECT now FROM stamp)"
    " FROM csv_in WHERE practitioner <> '' GROUP BY practitioner",
    "INSERT INTO patients (full_name, date_of_birth, phone, email, language, notes, created_at,"
    " name_key)"
    " SELECT patient, nullif (dob, ''), nullif (max (phone), ''), nullif (max (email), ''),"
    "  coalesce (nullif (max (language), ''), 'en'), nullif (max (\"patient-notes\"), ''),"
    "  (SELECT now FROM stamp), lower (patient)"
    " FROM csv_in GROUP BY patient, dob ORDER BY min (rowid)",
    "INSERT INTO sessions (id, patient_id, practitioner_id, performed_at, created_at,"
    " created_by, injections, duration_minutes, indication, technique, product, lot,"
    " lot_expiry, volume_ml, session_number, series_total, next_session, reactions,"
    " instructions, notes, blood_thinners, pregnant, allergies, pregnancy_override)"
    " SELECT i.rowid, p.id, pr.id, strftime ('%Y-%m-%dT%H:%M:%SZ', i.date),"
    "  (SELECT now FROM stamp), 'bench', i.injections, i.duration, nullif (i.indication, ''),"
    "  nullif (i.technique, ''), nullif (i.product, ''), nullif (i.lot, ''),"
    "  nullif (i.expiry, ''), nullif (i.volume, ''), nullif (i.\"session-number\", ''),"
    "  nullif (i.\"series-total\", ''), nullif (i.\"next-session\", ''),"
    "  nullif (i.reactions, ''), nullif (i.instructions, ''), nullif (i.notes, ''),"
    "  i.\"blood-thinners\" = 'yes', i.pregnant = 'yes', nullif (i.allergies, ''),"
    "  i.\"pregnancy-override\" = 'yes'"
    " FROM csv_in i"
    " JOIN patients p ON p.full_name = i.patient AND p.date_of_birth IS nullif (i.dob, '')"
    " LEFT JOIN practitioners pr ON pr.name = i.practitioner"
    " ORDER BY i.rowid",
    "INSERT INTO session_areas (session_id, area)"
    " SELECT i.rowid, a.value FROM csv_in i,"
    " json_each ('[\"' || replace (i.area, ',', '\",\"') || '\"]') a",
    "INSERT INTO session_current (session_id, performed_at, patient_id, patient_name,"
    " patient_key, practitioner, areas, injections, duration_minutes, indication, technique,"
    " product, lot, lot_expiry, volume_ml, session_number, series_total, next_session,"
    " reactions, instructions, notes, blood_thinners, pregnant, allergies,"
    " pregnancy_override, status, void_reason)"
    " SELECT s.id, s.performed_at, s.patient_id, i.patient, lower (i.patient),"
    "  nullif (i.practitioner, ''), i.area, s.injections, s.duration_minutes, s.indication,"
    "  s.technique, s.product, s.lot, s.lot_expiry, s.volume_ml, s.session_number,"
    "  s.series_total, s.next_session, s.reactions, s.instructions, s.notes,"
    "  s.blood_thinners, s.pregnant, s.allergies, s.pregnancy_override,"
    "  iif (i.\"void-reason\" <> '', 'voided', 'active'), nullif (i.\"void-reason\", '')"
    " FROM csv_in i JOIN sessions s ON s.id = i.rowid ORDER BY i.rowid",
    "INSERT INTO voids (session_id, voided_at, voided_by, reason)"
    " SELECT rowid, (SELECT now FROM stamp), 'bench', \"void-reason\" FROM csv_in"
    " WHERE \"void-reason\" <> ''",
    entries,
    import_entry,
    "WITH RECURSIVE chain (seq, prev, hash) AS ("
    " SELECT 0, NULL, '" GENESIS_HASH "'"
    " UNION ALL"
    " SELECT e.seq, chain.hash, lower (hex (sha3 (e.seq || char (31) || (SELECT now FROM stamp)"
    "  || char (31) || 'bench' || char (31) || e.action || char (31) || e.entity || char (31)"
    "  || e.entity_id || char (31) || e.payload || char (31) || chain.hash, 256)))"
    " FROM chain JOIN entries e ON e.seq = chain.seq + 1)"
    " INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, payload, prev_hash,"
    " hash)"
    " SELECT e.seq, (SELECT now FROM stamp), 'bench', e.action, e.entity, e.entity_id,"
    "  e.payload, chain.prev, chain.hash"
    " FROM chain JOIN entries e ON e.seq = chain.seq ORDER BY e.seq",
    "COMMIT",
    NULL);
}

/* The export of @db imported into an empty database. */
static Case *
import_case (const BenchOptions *options,
             Db                 *db)
{
  g_autofree char *csv = g_strdup_printf ("%s/import-%s.csv", private_dir, db->label);
  g_autofree char *empty = g_build_filename (private_dir, "empty.db", NULL);
  g_autofree char *ours_db = g_build_filename (private_dir, "import.db", NULL);
  g_autofree char *floor_db = g_build_filename (private_dir, "import-floor.db", NULL);
  g_auto(GStrv) export = argv_new (cli, "--db", db->path, "export", "--output", csv, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoStore) store = meso_store_open (empty, &error);
  Case *c;

  if (store == NULL)
    bench_fail ("%s", error->message);
  g_clear_object (&store);
  run_child (export, NULL);

  c = case_new ("import", db->label, BENCH_AIM, options->rounds, options->warmups,
                argv_new (cli, "--db", ours_db, "import", csv, NULL),
                import_floor (floor_db, csv, db->n_sessions));
  c->check = CHECK_TABLES;
  c->fresh = g_steal_pointer (&empty);
  c->ours_file = g_strdup (ours_db);
  c->floor_file = g_strdup (floor_db);
  c->ours_reset = g_steal_pointer (&ours_db);
  c->floor_reset = g_steal_pointer (&floor_db);
  return c;
}

static void strip_sealed_triggers (const char *path);

/* A typical visit (bench_make_session()'s), the patient known after the first round. */
#define RECORD_PATIENT      "Claire Martin"
#define RECORD_DOB          "1980-05-12"
#define RECORD_PHONE        "+33 6 12 34 56 78"
#define RECORD_PRACTITIONER "Dr Amélie Rousseau"
#define RECORD_PRODUCT      "Hyaluronic acid 1.2% with vitamin complex"
#define RECORD_LOT          "HA-2403-117"
#define RECORD_INSTRUCTIONS "Sleep on your back for the first two nights."

static GStrv
record_floor (const char *db,
              const char *next_session)
{
  /* Built with g_strconcat(): the product's name holds a "%". */
  g_autofree char *session =
    g_strconcat ("INSERT INTO sessions (patient_id, practitioner_id, performed_at,"
                 " created_at, created_by, injections, duration_minutes, product, lot,"
                 " next_session, instructions)"
                 " SELECT p.id, pr.id, now, now, 'bench', 120, 35, '" RECORD_PRODUCT "',"
                 "  '" RECORD_LOT "', '", next_session, "', '" RECORD_INSTRUCTIONS "'"
                 " FROM stamp, patients p, practitioners pr"
                 " WHERE p.full_name = '" RECORD_PATIENT "'"
                 "  AND p.date_of_birth = '" RECORD_DOB "'"
                 "  AND pr.name = '" RECORD_PRACTITIONER "'", NULL);
  g_autofree char *payload =
    g_strconcat ("'id=' || (SELECT max (id) FROM sessions) || char (10)"
                 " || 'patient=" RECORD_PATIENT "' || char (10) || 'area=face,neck'"
                 " || char (10) || 'injections=120' || char (10) || 'duration=35'"
                 " || char (10) || 'dob=" RECORD_DOB "' || char (10)"
                 " || 'phone=" RECORD_PHONE "' || char (10)"
                 " || 'practitioner=" RECORD_PRACTITIONER "' || char (10)"
                 " || 'product=" RECORD_PRODUCT "' || char (10)"
                 " || 'lot=" RECORD_LOT "' || char (10) || 'next-session=", next_session,
                 "' || char (10) || 'instructions=" RECORD_INSTRUCTIONS "' || char (10)", NULL);
  g_autofree char *audit = audit_insert_sql ("create", "session",
                                             "(SELECT max (id) FROM sessions)", payload);

  return argv_new (
    sqlite3_shell, "-batch", db,
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "BEGIN IMMEDIATE",
    "CREATE TEMP TABLE stamp AS SELECT strftime ('%Y-%m-%dT%H:%M:%SZ', 'now') AS now",
    "INSERT INTO patients (full_name, date_of_birth, phone, language, created_at, name_key)"
    " SELECT '" RECORD_PATIENT "', '" RECORD_DOB "', '" RECORD_PHONE "', 'en', now,"
    "  lower ('" RECORD_PATIENT "') FROM stamp"
    " WHERE NOT EXISTS (SELECT 1 FROM patients WHERE full_name = '" RECORD_PATIENT "'"
    "  AND date_of_birth = '" RECORD_DOB "')",
    "UPDATE patients SET phone = '" RECORD_PHONE "'"
    " WHERE full_name = '" RECORD_PATIENT "' AND date_of_birth = '" RECORD_DOB "'",
    "INSERT INTO practitioners (name, created_at) SELECT '" RECORD_PRACTITIONER "', now"
    " FROM stamp WHERE NOT EXISTS (SELECT 1 FROM practitioners"
    "  WHERE name = '" RECORD_PRACTITIONER "')",
    session,
    "INSERT INTO session_areas (session_id, area)"
    " SELECT max (id), 'face' FROM sessions UNION ALL SELECT max (id), 'neck' FROM sessions",
    "INSERT INTO session_current (session_id, performed_at, patient_id, patient_name,"
    " patient_key, practitioner, areas, injections, duration_minutes, product, lot,"
    " next_session, instructions, status)"
    " SELECT id, performed_at, patient_id, '" RECORD_PATIENT "', lower ('" RECORD_PATIENT "'),"
    "  '" RECORD_PRACTITIONER "', 'face,neck', injections, duration_minutes, product, lot,"
    "  next_session, instructions, 'active'"
    " FROM sessions WHERE id = (SELECT max (id) FROM sessions)",
    audit,
    "COMMIT",
    NULL);
}

/* One session recorded into (a copy of) @db, against the same writes by the shell. */
static Case *
record_case (const BenchOptions *options,
             Db                 *db)
{
  g_autofree char *ours_db = g_build_filename (private_dir, "record.db", NULL);
  g_autofree char *floor_db = g_build_filename (private_dir, "record-floor.db", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 28);
  g_autofree char *next_session = g_date_time_format (later, "%Y-%m-%d");

  Case *c;

  copy_database (db->path, ours_db);
  copy_database (db->path, floor_db);
  strip_sealed_triggers (floor_db);
  c = case_new ("record", db->label, AIM_RECORD, options->rounds, options->warmups,
                argv_new (cli, "--db", ours_db, "record", "--patient", RECORD_PATIENT,
                          "--dob", RECORD_DOB, "--phone", RECORD_PHONE, "--area",
                          "face,neck", "--injections", "120", "--duration", "35",
                          "--practitioner", RECORD_PRACTITIONER, "--product",
                          RECORD_PRODUCT, "--lot", RECORD_LOT, "--next-session",
                       next_session, "--instructions", RECORD_INSTRUCTIONS, NULL),
                record_floor (floor_db, next_session));
  c->check = CHECK_TABLES;
  c->ours_file = g_steal_pointer (&ours_db);
  c->floor_file = g_steal_pointer (&floor_db);
  return c;
}

/* The sealed triggers of the floor's copy go before it is timed: they call meso_changed(),
 * which only Mesocare's connection has (the shell would refuse every insert), and the
 * floor does the plain writes, without the seal. */
static void
strip_sealed_triggers (const char *path)
{
  g_autoptr(sqlite3) db = open_or_fail (path, SQLITE_OPEN_READWRITE);
  g_autoptr(GString) drops = g_string_new (NULL);
  sqlite3_stmt *stmt = prepare_or_fail (db, "SELECT name FROM sqlite_schema WHERE type ="
                                            " 'trigger' AND instr (sql, 'meso_changed') > 0");

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (drops, "DROP TRIGGER \"%s\";",
                            (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (sqlite3_exec (db, drops->str, NULL, NULL, NULL) != SQLITE_OK)
    bench_fail ("%s: %s", path, sqlite3_errmsg (db));
}

static void
reset_path (const char *fresh,
            const char *path,
            gboolean    floor)
{
  if (path == NULL)
    return;
  if (fresh == NULL)
    {
      g_remove (path);
      return;
    }
  copy_database (fresh, path);
  if (floor)
    strip_sealed_triggers (path);
}

/* ---- Checking the floors ---- */

/* The first column of each line: the ids `list` and its floor print. */
static char *
first_columns (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GString *ids = g_string_new (NULL);

  if (!g_file_get_contents (path, &text, NULL, &error))
    bench_fail ("%s", error->message);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_string_append_printf (ids, "%.*s\n", (int) strcspn (lines[i], "\t"), lines[i]);
  return g_string_free (ids, FALSE);
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, &error))
    bench_fail ("%s", error->message);
  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static char *
count_rows (const char *path)
{
  g_autoptr(sqlite3) db = open_or_fail (path, SQLITE_OPEN_READONLY);
  char *counts =
    query_text (db, "SELECT (SELECT count (*) FROM patients) || ' patients, '"
                    " || (SELECT count (*) FROM practitioners) || ' practitioners, '"
                    " || (SELECT count (*) FROM sessions) || ' sessions, '"
                    " || (SELECT count (*) FROM session_areas) || ' areas, '"
                    " || (SELECT count (*) FROM session_current) || ' current values, '"
                    " || (SELECT count (*) FROM session_names_docsize) || ' names indexed, '"
                    " || (SELECT count (*) FROM voids) || ' voids, '"
                    " || (SELECT count (*) FROM audit_log) || ' audit entries'");

  if (counts == NULL)
    bench_fail ("%s: cannot count its rows: %s", path, sqlite3_errmsg (db));
  return counts;
}

/* Runs the tool and its floor once each and compares what they did (see CheckKind). */
static void
check_floor (Case *c)
{
  g_autofree char *ours_out = g_build_filename (private_dir, "check-ours.txt", NULL);
  g_autofree char *floor_out = g_build_filename (private_dir, "check-floor.txt", NULL);
  g_autofree char *ours = NULL;
  g_autofree char *floor = NULL;

  if (c->check == CHECK_NONE)
    return;
  reset_path (c->fresh, c->ours_reset, FALSE);
  reset_path (c->fresh, c->floor_reset, TRUE);
  run_child_to (c->ours, ours_out, NULL);
  run_child_to (c->floor, floor_out, NULL);
  switch (c->check)
    {
    case CHECK_IDS:
      ours = first_columns (ours_out);
      floor = first_columns (floor_out);
      if (*ours == '\0')
        bench_fail ("%s: the tool finds no session; the benchmark would measure nothing",
                    c->name);
      break;
    case CHECK_LINES:
      ours = g_strdup_printf ("%u lines", count_lines (c->ours_file));
      floor = g_strdup_printf ("%u lines", count_lines (c->floor_file));
      break;
    case CHECK_TABLES:
      ours = count_rows (c->ours_file);
      floor = count_rows (c->floor_file);
      break;
    case CHECK_NONE:
    default:
      return;
    }
  if (!g_str_equal (ours, floor))
    bench_fail ("%s: the floor does not do the tool's work:\ntool: %.500s\nfloor: %.500s",
                c->name, ours, floor);
  if (c->check == CHECK_IDS)
    g_printerr ("%s: the floor prints the same %u sessions\n", c->name, count_lines (ours_out));
  else
    g_printerr ("%s: the floor writes the same: %s\n", c->name, ours);
  g_remove (ours_out);
  g_remove (floor_out);
}

/* ---- Running ---- */

static void
run_pair (Case     *c,
          gboolean  ours_first,
          gboolean  measured)
{
  for (guint i = 0; i < 2; i++)
    {
      gboolean ours = (i == 0) == ours_first;
      struct rusage usage;
      double ms;

      reset_path (c->fresh, ours ? c->ours_reset : c->floor_reset, !ours);
      ms = run_child (ours ? c->ours : c->floor, &usage);
      if (!measured)
        continue;
      if (ours)
        {
          double kb = (double) usage.ru_maxrss;

          g_array_append_val (c->ours_ms, ms);
          g_array_append_val (c->ours_kb, kb);
        }
      else
        g_array_append_val (c->floor_ms, ms);
    }
}

/* Round after round, every case in turn, a different one first each round, and in each
 * pair the tool and its floor first in turn. */
static void
run_rounds (GPtrArray *cases)
{
  guint n_rounds = 0;

  for (guint k = 0; k < cases->len; k++)
    {
      Case *c = g_ptr_array_index (cases, k);

      n_rounds = MAX (n_rounds, c->warmups + c->rounds);
    }
  for (guint round = 0; round < n_rounds; round++)
    for (guint k = 0; k < cases->len; k++)
      {
        Case *c = g_ptr_array_index (cases, (round + k) % cases->len);

        if (round < c->warmups + c->rounds)
          run_pair (c, round % 2 == 0, round >= c->warmups);
      }
}

/* Peak memory on the million against the same on ten thousand. */
static void
report_memory (const char *what,
               GArray     *million_kb,
               GArray     *small_kb)
{
  double million = bench_summarize (million_kb).median / 1024;
  double small = bench_summarize (small_kb).median / 1024;
  double ratio = million / small;

  printf ("store-memory-%s median_mb=%.1f floor_mb=%.1f ratio=%.2f n=%u aim=%.1f within_aim=%s"
          " floor=10k\n", what, million, small, ratio, million_kb->len, AIM_MEMORY,
          ratio <= AIM_MEMORY ? "yes" : "no");
  fflush (stdout);
}

/* `check` walks the whole file and the whole log: on the million it takes minutes, so
 * it runs once on each, for its memory only, before anything writes to the copies. */
static void
measure_check (Db     *db,
               GArray *kb)
{
  g_auto(GStrv) argv = argv_new (cli, "--db", db->path, "check", NULL);
  struct rusage usage;
  double value;

  run_child (argv, &usage);
  value = (double) usage.ru_maxrss;
  g_array_append_val (kb, value);
}

static Case *
find_case (GPtrArray  *cases,
           const char *name)
{
  for (guint k = 0; k < cases->len; k++)
    {
      Case *c = g_ptr_array_index (cases, k);

      if (g_str_equal (c->name, name))
        return c;
    }
  bench_fail ("no case %s", name);
}

/* Only the cases whose names start with @prefix (MESOCARE_BENCH_ONLY), to measure one
 * thing while working on it; the memory and check figures need them all. */
static void
keep_cases (GPtrArray  *cases,
            const char *prefix)
{
  for (guint k = cases->len; k > 0; k--)
    if (!g_str_has_prefix (((Case *) g_ptr_array_index (cases, k - 1))->name, prefix))
      g_ptr_array_remove_index (cases, k - 1);
  if (cases->len == 0)
    bench_fail ("MESOCARE_BENCH_ONLY=%s: no case has a name that starts so", prefix);
}

static void
report_generate (Db *million)
{
  double seconds = million->made_s;
  const char *source = "cache";

  if (seconds == 0)
    {
      g_autofree char *path = g_build_filename (private_dir, "generated.db", NULL);

      seconds = bench_generate (cli, (const char * const *) child_env, path,
                                million->n_sessions);
      bench_remove_database (path);
      source = "measured";
    }
  printf ("store-generate-1m seconds=%.1f aim_s=%.0f within_aim=%s sessions=%u seed=%s"
          " db_mb=%.0f run_for=%s\n", seconds, AIM_GENERATE_S,
          seconds <= AIM_GENERATE_S ? "yes" : "no", million->n_sessions, SEED,
          file_mb (million->cache), source);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  BenchOptions options = { 0 };
  Db million = { .label = "1m", .n_sessions = 1000000 };
  Db small = { .label = "10k", .n_sessions = 10000 };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  g_autoptr(GArray) check_million = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) check_small = g_array_new (FALSE, FALSE, sizeof (double));
  Db *dbs[] = { &million, &small };
  const char *only = g_getenv ("MESOCARE_BENCH_ONLY");

  bench_parse_options (&argc, &argv, &options);
  if (argc != 3)
    bench_fail ("give the paths of sqlite3 and of the folder that keeps the databases");
  cli = g_getenv ("MESOCARE_CLI");
  if (cli == NULL || *cli == '\0')
    bench_fail ("MESOCARE_CLI is not set: run this benchmark through “meson test --benchmark”");
  sqlite3_shell = argv[1];
  private_dir = bench_make_private_dir ("bench-store-XXXXXX");
  stderr_path = g_build_filename (private_dir, "stderr.txt", NULL);
  child_env = make_child_env (argv[2]);

  for (guint i = 0; i < G_N_ELEMENTS (dbs); i++)
    db_prepare (dbs[i], argv[2]);
  if (only == NULL)
    {
      measure_check (&million, check_million);
      measure_check (&small, check_small);
    }

  for (guint i = 0; i < G_N_ELEMENTS (dbs); i++)
    {
      add_list_cases (cases, &options, dbs[i]);
      g_ptr_array_add (cases, export_case (&options, dbs[i]));
      g_ptr_array_add (cases, show_case (&options, dbs[i]));
    }
  g_ptr_array_add (cases, import_case (&options, &small));
  g_ptr_array_add (cases, record_case (&options, &small));
  if (only != NULL)
    keep_cases (cases, only);
  for (guint k = 0; k < cases->len; k++)
    check_floor (g_ptr_array_index (cases, k));
  run_rounds (cases);

  for (guint k = 0; k < cases->len; k++)
    {
      Case *c = g_ptr_array_index (cases, k);
      g_autofree char *extra = NULL;

      if (g_str_equal (c->name, "store-list-1m"))
        extra = g_strdup_printf ("sessions=%u db_mb=%.0f %s", million.n_sessions,
                                 file_mb (million.cache),
                                 million.made_s > 0 ? "db_made_now=yes" : "db_cached=yes");
      bench_report_full (c->name, c->ours_ms, c->floor_ms, c->aim, extra);
    }
  if (only == NULL)
    {
      report_memory ("list", find_case (cases, "store-list-1m")->ours_kb,
                     find_case (cases, "store-list-10k")->ours_kb);
      report_memory ("export", find_case (cases, "store-export-1m")->ours_kb,
                     find_case (cases, "store-export-10k")->ours_kb);
      report_memory ("check", check_million, check_small);
    }
  if (million.made_s > 0 || g_strcmp0 (g_getenv ("MESOCARE_BENCH_GENERATE"), "1") == 0)
    report_generate (&million);

  for (guint i = 0; i < G_N_ELEMENTS (dbs); i++)
    db_clear (dbs[i]);
  g_strfreev (child_env);
  g_free (stderr_path);
  return 0;
}
