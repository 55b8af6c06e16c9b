/* test-dump.c: a database's dump and its load into an empty store (issue 13), and the
 * backups of a store that is no file, made and restored through them
 *
 * A load keeps every id and every audit entry as it was, so the copy's check proves it
 * with the same key; it goes only into an empty store, all of it or nothing; and rows
 * that the copied entries do not seal never get in. With MESOCARE_TEST_SERVER (a
 * superuser's URI of a private PostgreSQL server) a round trip through the server, and
 * the loads a server refuses, are registered too; without it, they are not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "meso-backup.h"
#include "meso-dump.h"
#include "meso-store.h"
#include "meso-test-util.h"

/* ---- A clinic, made through the store ---- */

#define N_SESSIONS 5

static GBytes *
make_png (void)
{
  g_autofree char *dir = meso_test_make_tmp_dir ("dump-png-XXXXXX");
  g_autofree char *path = g_build_filename (dir, "logo.png", NULL);
  cairo_surface_t *png = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 80, 40);
  cairo_t *cr = cairo_create (png);
  GBytes *bytes;

  cairo_set_source_rgb (cr, 0.3, 0.2, 0.7);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (png, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (png);
  bytes = meso_test_read_file (path);
  meso_test_remove_tree (dir);
  return bytes;
}

static void
add_clinic (MesoStore *store)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(GBytes) logo = make_png ();
  g_autoptr(MesoPractitioner) ames = meso_practitioner_new ("Dr Ames");
  g_autoptr(MesoPractitioner) bell = meso_practitioner_new ("Dr Bell");
  g_autoptr(GError) error = NULL;

  meso_clinic_set_name (clinic, "Clinique du Lac");
  meso_clinic_set_logo (clinic, logo);
  g_assert_true (meso_store_set_clinic (store, clinic, MESO_CLINIC_NAME | MESO_CLINIC_LOGO,
                                        &error));
  g_assert_no_error (error);
  g_assert_true (meso_store_add_practitioner (store, ames, &error));
  g_assert_true (meso_store_add_practitioner (store, bell, &error));
  g_assert_true (meso_store_retire_practitioner (store, "Dr Bell", &error));
  g_assert_no_error (error);
}

/* Sessions 1 (amended, adjusted twice), 2 (voided), 3 to 5. */
static void
add_sessions (MesoStore *store)
{
  static const MesoArea areas[N_SESSIONS] = {
    MESO_AREA_FACE | MESO_AREA_NECK, MESO_AREA_SCALP, MESO_AREA_THIGHS | MESO_AREA_ARMS,
    MESO_AREA_ABDOMEN, MESO_AREA_DECOLLETAGE,
  };
  g_autoptr(MesoSession) first = NULL;
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_SESSIONS; i++)
    {
      g_autofree char *patient = g_strdup_printf ("Patient %c", 'A' + (i % 3));
      g_autoptr(MesoSession) session = meso_test_session_new (patient, areas[i], 10 + i,
                                                              20 + i);

      g_assert_true (meso_session_set_field_text (session, MESO_FIELD_NOTES,
                                                  "A tab\there,\na line, and é", NULL));
      meso_test_save_session (store, session);
    }
  first = meso_store_get_session (store, 1, &error);
  g_assert_no_error (error);
  meso_session_set_injections (first, 42);
  g_assert_true (meso_store_amend_session (store, first, "Recounted", &error));
  g_assert_true (meso_store_void_session (store, 2, "Entered twice", &error));
  g_assert_true (meso_adjustments_add_line (adjustments, "Drink water", &error));
  g_assert_true (meso_store_save_adjustments (store, 1, adjustments, &error));
  g_assert_true (meso_adjustments_add_line (adjustments, "Rest a day", &error));
  g_assert_true (meso_store_save_adjustments (store, 1, adjustments, &error));
  g_assert_no_error (error);
}

typedef struct
{
  char      *dir;
  MesoStore *source;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->dir = meso_test_make_tmp_dir ("dump-XXXXXX");
  path = g_build_filename (fixture->dir, "source.db", NULL);
  fixture->source = meso_test_open_store (path);
  add_clinic (fixture->source);
  add_sessions (fixture->source);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->source);
  meso_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static MesoStore *
open_target (Fixture    *fixture,
             const char *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  return meso_test_open_store (path);
}

/* ---- A dump as text, to compare two stores row by row ---- */

static void
append_value (GString             *text,
              const MesoDumpValue *value)
{
  switch (value->type)
    {
    case MESO_DUMP_INTEGER:
      g_string_append_printf (text, "i%" G_GINT64_FORMAT, value->integer);
      break;
    case MESO_DUMP_REAL:
      g_string_append_printf (text, "r%.17g", value->real);
      break;
    case MESO_DUMP_TEXT:
      g_string_append_c (text, 't');
      g_string_append_len (text, value->data, (gssize) value->length);
      break;
    case MESO_DUMP_BLOB:
      {
        g_autofree char *digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                               (const guchar *) value->data,
                                                               value->length);

        g_string_append_printf (text, "x%zu:%s", value->length, digest);
      }
      break;
    case MESO_DUMP_NULL:
    default:
      g_string_append (text, "NULL");
      break;
    }
}

static gboolean
append_row (const MesoDumpRow  *row,
            gpointer            user_data,
            GError            **error)
{
  GString *text = user_data;

  g_string_append (text, row->table);
  for (guint i = 0; i < row->n_columns; i++)
    {
      g_string_append_printf (text, "\x1f%s=", row->columns[i]);
      append_value (text, &row->values[i]);
    }
  g_string_append_c (text, '\n');
  return TRUE;
}

static char *
dump_text (MesoStore *store)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_dump (store, append_row, text, &error));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
count_lines_with_prefix (const char *text,
                         const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

static void
assert_check_ok (MesoStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_store_check (store, &error));
  g_assert_no_error (error);
}

/* Empty as a store just made is: no row in any table, the log empty, check ok. */
static void
assert_empty (MesoStore *store)
{
  g_autofree char *text = dump_text (store);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (meso_store_count_sessions (store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (meso_test_count_newlines (text), ==, 1);  /* the header alone */
  g_assert_true (g_str_has_prefix (text, MESO_DUMP_HEADER "\x1f"));
  assert_check_ok (store);
}

static guint
count_keys (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "mesocare", "keys", NULL);
  g_autoptr(GDir) keys = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (keys != NULL && g_dir_read_name (keys) != NULL)
    n++;
  return n;
}

/* ---- The copy ---- */

static void
test_copy_identical (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoStore) target = open_target (fixture, "copy.db");
  g_autofree char *expected = dump_text (fixture->source);
  g_autofree char *copied = NULL;
  g_autoptr(GError) error = NULL;
  MesoDumpCounts counts;

  g_assert_cmpuint (count_keys (), ==, 2);
  g_assert_true (meso_dump_copy (fixture->source, target, &error));
  g_assert_no_error (error);
  copied = dump_text (target);
  /* Every table's rows with their ids and typed values, the chain's id, and every
   * audit entry with its hash, rows and mac. */
  g_assert_cmpstr (copied, ==, expected);
  g_assert_cmpuint (count_lines_with_prefix (copied, "session_current\x1f"), ==, N_SESSIONS);
  g_assert_nonnull (strstr (copied, "logo=x"));
  assert_check_ok (fixture->source);
  assert_check_ok (target);
  for (gint64 id = 1; id <= N_SESSIONS; id++)
    {
      g_autoptr(MesoSession) a = meso_store_get_session (fixture->source, id, &error);
      g_autoptr(MesoSession) b = meso_store_get_session (target, id, &error);
      g_autofree char *fingerprint_a = meso_store_get_fingerprint (fixture->source, id, NULL);
      g_autofree char *fingerprint_b = meso_store_get_fingerprint (target, id, NULL);

      g_assert_no_error (error);
      meso_test_assert_sessions_equal (a, b);
      g_assert_cmpstr (fingerprint_a, ==, fingerprint_b);
    }
  g_assert_true (meso_dump_count (target, &counts, &error));
  g_assert_cmpint (counts.sessions, ==, N_SESSIONS);
  g_assert_cmpint (counts.amendments, ==, 1);
  g_assert_cmpint (counts.voids, ==, 1);
  g_assert_cmpint (counts.adjustments, ==, 2);
  g_assert_cmpint (counts.practitioners, ==, 2);
  /* The copy's first key sealed nothing but its empty tables' triggers: it is gone. */
  g_assert_cmpuint (count_keys (), ==, 1);
}

static void
test_copy_written_to (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(MesoStore) target = open_target (fixture, "copy.db");
  g_autoptr(MesoSession) session = meso_test_session_new ("Patient D", MESO_AREA_FACE, 8, 15);
  g_autoptr(MesoSession) third = NULL;
  g_autoptr(MesoPractitioner) cole = meso_practitioner_new ("Dr Cole");
  g_autofree char *before = dump_text (fixture->source);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (meso_dump_copy (fixture->source, target, &error));
  g_assert_no_error (error);
  g_assert_cmpint (meso_test_save_session (target, session), ==, N_SESSIONS + 1);
  third = meso_store_get_session (target, 3, &error);
  meso_session_set_duration (third, 61);
  g_assert_true (meso_store_amend_session (target, third, "Clock", &error));
  g_assert_true (meso_store_void_session (target, 4, "Twice", &error));
  g_assert_true (meso_store_add_practitioner (target, cole, &error));
  g_assert_no_error (error);
  assert_check_ok (target);
  /* The copied history is its start, as it was. */
  after = dump_text (target);
  g_assert_nonnull (strstr (after, strstr (before, "\n" MESO_DUMP_AUDIT "\x1f")));
  assert_check_ok (fixture->source);
}

/* A store that holds a session, or anything at all, is refused and left as it was. */
static void
test_refuses_non_empty (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MesoStore) with_session = open_target (fixture, "session.db");
  g_autoptr(MesoStore) with_practitioner = open_target (fixture, "practitioner.db");
  g_autoptr(MesoSession) session = meso_test_session_new ("Patient Z", MESO_AREA_FACE, 8, 15);
  g_autoptr(MesoPractitioner) cole = meso_practitioner_new ("Dr Cole");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  meso_test_save_session (with_session, session);
  before = dump_text (with_session);
  g_assert_false (meso_dump_copy (fixture->source, with_session, &error));
  g_assert_error (error, MESO_ERROR, MESO_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "already holds 1 session:"));
  g_assert_nonnull (strstr (error->message, meso_store_get_path (with_session)));
  after = dump_text (with_session);
  g_assert_cmpstr (before, ==, after);
  assert_check_ok (with_session);

  g_assert_true (meso_store_add_practitioner (with_practitioner, cole, NULL));
  g_assert_false (meso_dump_copy (fixture->source, with_practitioner, &error2));
  g_assert_nonnull (strstr (error2->message, "already holds records (the practitioners "
                                             "table)"));
  assert_check_ok (with_practitioner);
}

/* ---- Loads that must leave the store empty ---- */

typedef enum
{
  STOP,          /* fail after @at rows */
  ALTER,         /* change a value of the row @table's first */
  ADD,           /* a row no entry records, after @table's first */
  DROP,          /* leave @table's first row out */
  OLD_SCHEMA,    /* the header says an older schema */
} Mischief;

typedef struct
{
  const char *path;
  Mischief    mischief;
  const char *table;
  guint       at;
  const char *message;
} LoadCase;

typedef struct
{
  MesoStore      *from;
  const LoadCase *load_case;
  MesoDumpFunc    func;
  gpointer        func_data;
  guint           seen;
  gboolean        done;      /* the mischief was made */
} Wrap;

static gboolean
wrap_changed_row (Wrap               *wrap,
                  const MesoDumpRow  *row,
                  GError            **error)
{
  g_autofree MesoDumpValue *values = g_memdup2 (row->values,
                                                sizeof (MesoDumpValue) * row->n_columns);
  MesoDumpRow changed = *row;

  changed.values = values;
  for (guint i = 0; i < row->n_columns; i++)
    {
      if (wrap->load_case->mischief == OLD_SCHEMA && g_str_equal (row->columns[i],
                                                                  "schema_version"))
        values[i].integer--;
      else if (wrap->load_case->mischief == ALTER && g_str_equal (row->columns[i],
                                                                  "injections"))
        values[i].integer++;
      else if (wrap->load_case->mischief == ALTER && g_str_equal (row->table, MESO_DUMP_AUDIT)
               && g_str_equal (row->columns[i], "at"))
        values[i].data = "2000-01-01T00:00:00Z", values[i].length = strlen (values[i].data);
      else if (wrap->load_case->mischief == ADD && (g_str_equal (row->columns[i], "id")
                                                    || g_str_equal (row->columns[i],
                                                                    "session_id")))
        values[i].integer = 1000;
      else if (wrap->load_case->mischief == ADD && values[i].type == MESO_DUMP_TEXT
               && g_str_equal (row->columns[i], "name"))
        values[i].data = "Dr Nobody", values[i].length = strlen ("Dr Nobody");
    }
  return wrap->func (&changed, wrap->func_data, error);
}

static gboolean
wrap_row (const MesoDumpRow  *row,
          gpointer            user_data,
          GError            **error)
{
  Wrap *wrap = user_data;
  const LoadCase *load_case = wrap->load_case;
  gboolean mine = !wrap->done && (g_strcmp0 (row->table, load_case->table) == 0
                                  || (load_case->mischief == OLD_SCHEMA
                                      && g_str_equal (row->table, MESO_DUMP_HEADER)));

  if (load_case->mischief == STOP && ++wrap->seen > load_case->at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "The source went away");
      return FALSE;
    }
  if (!mine)
    return wrap->func (row, wrap->func_data, error);
  wrap->done = TRUE;
  switch (load_case->mischief)
    {
    case DROP:
      return TRUE;
    case ADD:
      return wrap->func (row, wrap->func_data, error) && wrap_changed_row (wrap, row, error);
    case ALTER:
    case OLD_SCHEMA:
      return wrap_changed_row (wrap, row, error);
    case STOP:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
wrap_source (MesoDumpFunc   func,
             gpointer       func_data,
             gpointer       user_data,
             GError       **error)
{
  Wrap *wrap = user_data;

  wrap->func = func;
  wrap->func_data = func_data;
  return meso_store_dump (wrap->from, wrap_row, wrap, error);
}

static void
load_fails_into (Fixture        *fixture,
                 const LoadCase *load_case,
                 MesoStore      *target)
{
  g_autofree char *expected = dump_text (fixture->source);
  g_autofree char *empty = dump_text (target);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  Wrap wrap = { fixture->source, load_case };

  g_assert_false (meso_store_load (target, wrap_source, &wrap, &error));
  g_assert_nonnull (error);
  g_assert_true (load_case->mischief == STOP || wrap.done);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, load_case->message));
  g_assert_true (g_str_has_prefix (error->message, "Nothing was copied into "));
  after = dump_text (target);
  g_assert_cmpstr (after, ==, empty);
  assert_empty (target);

  /* Still the empty store it was: the whole copy goes in. */
  g_clear_error (&error);
  g_assert_true (meso_dump_copy (fixture->source, target, &error));
  g_assert_no_error (error);
  g_free (after);
  after = dump_text (target);
  g_assert_cmpstr (after, ==, expected);
  assert_check_ok (target);
}

static void
test_load_fails (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(MesoStore) target = open_target (fixture, "copy.db");

  load_fails_into (fixture, data, target);
}

static const LoadCase load_cases[] = {
  { "stop/at-header", STOP, NULL, 0, "The source went away" },
  { "stop/after-header", STOP, NULL, 1, "The source went away" },
  { "stop/in-the-tables", STOP, NULL, 12, "The source went away" },
  { "stop/in-the-log", STOP, NULL, 40, "The source went away" },
  { "altered/session", ALTER, "sessions", 0, "sessions row 1 differs from what entry" },
  { "altered/current", ALTER, "session_current", 0, "session_current row 1 differs" },
  { "altered/audit-entry", ALTER, MESO_DUMP_AUDIT, 0, "entry 1 (" },
  { "added/patient", ADD, "patients", 0, "patients row 1000 was copied, but no entry" },
  { "added/practitioner", ADD, "practitioners", 0, "practitioners row 1000 was copied" },
  { "dropped/adjustments", DROP, "sheet_adjustments", 0,
    "records 2 rows of the sheet_adjustments table, but 1 were copied" },
  { "dropped/void", DROP, "voids", 0, "records 1 rows of the voids table, but 0 were" },
  { "old-schema", OLD_SCHEMA, NULL, 0, "bring the older one up to date first" },
};

/* The file of the key of @store's chain, its id read from the dump's header. */
static char *
key_path (MesoStore *store)
{
  g_autofree char *text = dump_text (store);
  const char *start = strstr (text, "chain_id=t");
  g_autofree char *chain_id = NULL;
  g_autofree char *name = NULL;

  g_assert_nonnull (start);
  start += strlen ("chain_id=t");
  chain_id = g_strndup (start, strcspn (start, "\n\x1f"));
  g_assert_true (g_uuid_string_is_valid (chain_id));
  name = g_strconcat (chain_id, ".key", NULL);
  return g_build_filename (g_get_user_config_dir (), "mesocare", "keys", name, NULL);
}

/* The key of the copied chain must be on this computer: the message names its file. */
static void
test_load_needs_key (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(MesoStore) target = open_target (fixture, "copy.db");
  g_autofree char *key = key_path (fixture->source);
  g_autofree char *aside = g_strconcat (key, ".aside", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_rename (key, aside), ==, 0);

  g_assert_false (meso_dump_copy (fixture->source, target, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, key));
  g_assert_nonnull (strstr (error->message, "is not on this computer"));
  g_assert_cmpint (g_rename (aside, key), ==, 0);
  assert_empty (target);
}

/* ---- A log whose entries are not all sealed (a clinic server's own) ---- */

/* The entries a server writes itself have no rows and no mac (it keeps the plain chain);
 * one that never held a copy of a file has no chain id either. Made here from a file's
 * dump, so that the load's side is tried with no server. */
typedef struct
{
  MesoStore    *from;
  gint64        unsealed_from;   /* entries from this seq on lose their rows and mac */
  gboolean      no_chain_id;
  gint64        broken;          /* this entry's link is rewritten, or 0 */
  MesoDumpFunc  func;
  gpointer      func_data;
} Unseal;

static gboolean
unseal_row (const MesoDumpRow  *row,
            gpointer            user_data,
            GError            **error)
{
  Unseal *unseal = user_data;
  g_autofree MesoDumpValue *values = g_memdup2 (row->values,
                                                sizeof (MesoDumpValue) * row->n_columns);
  MesoDumpRow changed = *row;
  const MesoDumpValue *seq = meso_dump_row_get (row, "seq");
  static const char broken_link[] = "1111111111111111111111111111111111111111111111111111"
                                    "111111111111";

  changed.values = values;
  for (guint i = 0; i < row->n_columns; i++)
    {
      const char *column = row->columns[i];

      if (g_str_equal (row->table, MESO_DUMP_HEADER) && g_str_equal (column, "chain_id")
          && unseal->no_chain_id)
        memset (&values[i], 0, sizeof values[i]);
      if (!g_str_equal (row->table, MESO_DUMP_AUDIT))
        continue;
      if ((g_str_equal (column, "rows") || g_str_equal (column, "mac"))
          && seq->integer >= unseal->unsealed_from)
        memset (&values[i], 0, sizeof values[i]);
      if (g_str_equal (column, "prev_hash") && seq->integer == unseal->broken)
        values[i].data = broken_link, values[i].length = strlen (broken_link);
    }
  return unseal->func (&changed, unseal->func_data, error);
}

static gboolean
unseal_source (MesoDumpFunc   func,
               gpointer       func_data,
               gpointer       user_data,
               GError       **error)
{
  Unseal *unseal = user_data;

  unseal->func = func;
  unseal->func_data = func_data;
  return meso_store_dump (unseal->from, unseal_row, unseal, error);
}

static char *
chain_id_line (MesoStore *store)
{
  g_autofree char *text = dump_text (store);
  const char *start = strstr (text, "chain_id=");

  g_assert_nonnull (start);
  return g_strndup (start, strcspn (start, "\n\x1f"));
}

/* Loaded into a file, such a log gets the file's own seal: a chain id and key of its
 * own, every entry kept (content, hash, link) and sealed under it, the rows sealed as
 * they stand; `check` passes, and the file goes on as any file. */
static void
load_unsealed_log (Fixture  *fixture,
                   gboolean  no_chain_id)
{
  g_autoptr(MesoStore) target = open_target (fixture, "copy.db");
  g_autoptr(MesoSession) session = meso_test_session_new ("Patient D", MESO_AREA_FACE, 8, 15);
  g_autoptr(GError) error = NULL;
  g_autofree char *theirs = chain_id_line (fixture->source);
  g_autofree char *ours = NULL;
  g_autoptr(GPtrArray) source_entries = meso_store_list_audit (fixture->source, 0, &error);
  g_autoptr(GPtrArray) copied_entries = NULL;
  Unseal unseal = { fixture->source, no_chain_id ? 1 : 6, no_chain_id };

  g_assert_no_error (error);
  g_assert_cmpuint (count_keys (), ==, 2);
  g_assert_true (meso_store_load (target, unseal_source, &unseal, &error));
  g_assert_no_error (error);
  assert_check_ok (target);
  ours = chain_id_line (target);
  g_assert_cmpstr (ours, !=, theirs);
  /* The target's first key is gone, its new one is there. */
  g_assert_cmpuint (count_keys (), ==, 2);
  copied_entries = meso_store_list_audit (target, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copied_entries->len, >, source_entries->len);
  for (guint i = 0; i < source_entries->len; i++)
    {
      MesoAuditEntry *a = g_ptr_array_index (source_entries, i);
      MesoAuditEntry *b = g_ptr_array_index (copied_entries, i);

      g_assert_cmpint (a->seq, ==, b->seq);
      g_assert_cmpstr (a->hash, ==, b->hash);
      g_assert_cmpstr (a->prev_hash, ==, b->prev_hash);
      g_assert_cmpstr (a->payload, ==, b->payload);
    }
  for (guint i = source_entries->len; i < copied_entries->len; i++)
    g_assert_cmpstr (((MesoAuditEntry *) g_ptr_array_index (copied_entries, i))->action, ==,
                     "seal");
  for (gint64 id = 1; id <= N_SESSIONS; id++)
    {
      g_autoptr(MesoSession) a = meso_store_get_session (fixture->source, id, &error);
      g_autoptr(MesoSession) b = meso_store_get_session (target, id, &error);

      g_assert_no_error (error);
      meso_test_assert_sessions_equal (a, b);
    }
  meso_test_save_session (target, session);
  g_assert_true (meso_store_void_session (target, 3, "Entered twice", &error));
  g_assert_no_error (error);
  assert_check_ok (target);
}

static void
test_load_unsealed_tail (Fixture       *fixture,
                         gconstpointer  data)
{
  load_unsealed_log (fixture, FALSE);
}

static void
test_load_unsealed_no_chain (Fixture       *fixture,
                             gconstpointer  data)
{
  load_unsealed_log (fixture, TRUE);
}

/* A broken link in such a log is refused, naming the entry: nothing is copied, and no
 * key is left for a copy that was not kept. */
static void
test_load_unsealed_broken (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MesoStore) target = open_target (fixture, "copy.db");
  g_autoptr(GError) error = NULL;
  Unseal unseal = { fixture->source, 6, FALSE, 8 };

  g_assert_cmpuint (count_keys (), ==, 2);
  g_assert_false (meso_store_load (target, unseal_source, &unseal, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Nothing was copied into "));
  g_assert_nonnull (strstr (error->message, "entry 8 ("));
  g_assert_nonnull (strstr (error->message, "of the copied audit log does not link to the "
                                            "one before it"));
  assert_empty (target);
  g_assert_cmpuint (count_keys (), ==, 2);
}

/* ---- Backups of a store that is no file ---- */

static void
test_backup_through_store (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "backups", "server.db", NULL);
  g_autofree char *head = g_strconcat (backup, ".head", NULL);
  g_autofree char *expected = dump_text (fixture->source);
  g_autofree char *in_backup = NULL;
  g_autofree char *restored_text = NULL;
  g_autoptr(MesoStore) read_backup = NULL;
  g_autoptr(MesoStore) restored = open_target (fixture, "restored.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refused = NULL;

  g_assert_true (meso_backup_create_from_store (fixture->source, backup, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (head, G_FILE_TEST_IS_REGULAR));
  /* As `check --db BACKUP` proves it: its log, every table, its head. */
  g_assert_true (meso_backup_verify_file (backup, TRUE, &error));
  g_assert_no_error (error);
  read_backup = meso_store_open_read_only (backup, &error);
  g_assert_no_error (error);
  assert_check_ok (read_backup);
  in_backup = dump_text (read_backup);
  g_assert_cmpstr (in_backup, ==, expected);

  g_assert_true (meso_backup_restore_into_store (backup, restored, &error));
  g_assert_no_error (error);
  restored_text = dump_text (restored);
  g_assert_cmpstr (restored_text, ==, expected);
  assert_check_ok (restored);

  /* Never over records: a server's database cannot be moved aside. */
  g_assert_false (meso_backup_restore_into_store (backup, fixture->source, &refused));
  g_assert_nonnull (strstr (refused->message, "already holds 5 sessions"));
  g_assert_true (g_str_has_prefix (refused->message, "The backup "));
}

/* A failed backup leaves no file where it was to go. */
static void
test_backup_through_store_fails (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "out", "server.db", NULL);
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *first = NULL;
  g_autoptr(GError) error = NULL;

  g_autofree char *key = key_path (fixture->source);
  g_autofree char *aside = g_strconcat (key, ".aside", NULL);

  /* The source's chain has no key here: the copy cannot be proven, nor kept. */
  g_assert_cmpint (g_rename (key, aside), ==, 0);
  g_assert_false (meso_backup_create_from_store (fixture->source, backup, &error));
  g_assert_cmpint (g_rename (aside, key), ==, 0);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "No backup was written to "));
  g_assert_false (g_file_test (backup, G_FILE_TEST_EXISTS));
  first = meso_test_first_entry (out);
  g_assert_null (first);
}

/* ---- Through a PostgreSQL server ---- */

static void
run_psql (const char *server,
          const char *sql)
{
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql,
                         NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The URI of database @name on the server of @server's URI. */
static char *
server_database (const char *server,
                 const char *name)
{
  const char *path = strchr (strstr (server, "://") + 3, '/');
  const char *query;

  g_assert_nonnull (path);
  query = strchr (path, '?');
  return g_strdup_printf ("%.*s/%s%s", (int) (path - server), server, name,
                          query != NULL ? query : "");
}

/* SQLite → a new database on the server → SQLite: every row the same at each step, each
 * copy proven by its check; and a backup of the server's database, through the store. */
static void
test_server_round_trip (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *server = data;
  g_autofree char *name = g_strdup_printf ("meso_dump_%u", g_random_int ());
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", name);
  g_autofree char *uri = server_database (server, name);
  g_autofree char *expected = dump_text (fixture->source);
  g_autofree char *on_server = NULL;
  g_autofree char *back_text = NULL;
  g_autofree char *backup = g_build_filename (fixture->dir, "server-backup.db", NULL);
  g_autoptr(MesoStore) remote = NULL;
  g_autoptr(MesoStore) back = open_target (fixture, "back.db");
  g_autoptr(GError) error = NULL;

  run_psql (server, create);
  remote = meso_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (meso_dump_copy (fixture->source, remote, &error));
  g_assert_no_error (error);
  on_server = dump_text (remote);
  g_assert_cmpstr (on_server, ==, expected);
  assert_check_ok (remote);

  g_assert_true (meso_dump_copy (remote, back, &error));
  g_assert_no_error (error);
  back_text = dump_text (back);
  g_assert_cmpstr (back_text, ==, expected);
  assert_check_ok (back);

  g_assert_true (meso_backup_create_from_store (remote, backup, &error));
  g_assert_no_error (error);
  g_assert_true (meso_backup_verify_file (backup, FALSE, &error));
  g_assert_no_error (error);
  g_clear_object (&remote);
  run_psql (server, drop);
}

/* A load into a server database that fails leaves it empty, and the whole copy goes in
 * afterwards (nothing of the failed one stays: no row, no chain id, no id taken). Only
 * the cases the server's load proves: a source that stops, an older schema, an altered
 * audit entry (the chain's check). A record row altered, added or left out is the
 * sealed chain's to find, which this engine does not replay (meso-pg-store-audit.c). */
static void
test_server_load_fails (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *server = g_getenv ("MESOCARE_TEST_SERVER");
  g_autofree char *name = g_strdup_printf ("meso_dump_fails_%u", g_random_int ());
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", name);
  g_autofree char *uri = server_database (server, name);
  g_autoptr(MesoStore) target = NULL;
  g_autoptr(GError) error = NULL;

  run_psql (server, create);
  target = meso_store_open (uri, &error);
  g_assert_no_error (error);
  load_fails_into (fixture, data, target);
  g_clear_object (&target);
  run_psql (server, drop);
}

/* A server database that holds a practitioner is not loaded into, and stays as it was. */
static void
test_server_refuses_non_empty (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *server = data;
  g_autofree char *name = g_strdup_printf ("meso_dump_full_%u", g_random_int ());
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", name);
  g_autofree char *uri = server_database (server, name);
  g_autoptr(MesoPractitioner) cole = meso_practitioner_new ("Dr Cole");
  g_autoptr(MesoStore) target = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  run_psql (server, create);
  target = meso_store_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (meso_store_add_practitioner (target, cole, NULL));
  before = dump_text (target);
  g_assert_false (meso_dump_copy (fixture->source, target, &error));
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Nothing was copied into "));
  g_assert_nonnull (strstr (error->message, "already holds records (the practitioners "
                                            "table)"));
  after = dump_text (target);
  g_assert_cmpstr (after, ==, before);
  assert_check_ok (target);
  g_clear_object (&target);
  run_psql (server, drop);
}

/* ---- Locations ---- */

static void
test_describe_location (void)
{
  static const struct
  {
    const char *location;
    const char *shown;
  } cases[] = {
    { "/var/lib/mesocare/clinic.db", "/var/lib/mesocare/clinic.db" },
    { "postgresql://meso@/clinic?host=/tmp/s", "postgresql://meso@/clinic?host=/tmp/s" },
    { "postgresql://meso:s3cret@db.lan:5432/clinic", "postgresql://meso:***@db.lan:5432/clinic" },
    { "postgres://meso:p@ss@db/clinic", "postgres://meso:***@db/clinic" },
    { "postgresql://meso@db/cl:inic@x", "postgresql://meso@db/cl:inic@x" },
    { "postgresql://db.lan/clinic?user=meso&password=s3cret&sslmode=require",
      "postgresql://db.lan/clinic?user=meso&password=***&sslmode=require" },
    { "postgresql://db.lan/clinic?password=s3cret", "postgresql://db.lan/clinic?password=***" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = meso_dump_describe_location (cases[i].location);

      g_assert_cmpstr (shown, ==, cases[i].shown);
    }
  g_assert_true (meso_dump_is_server ("postgresql://meso@/clinic"));
  g_assert_false (meso_dump_is_server ("clinic.db"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dump/location/password-hidden", test_describe_location);
  g_test_add ("/dump/copy/identical", Fixture, NULL, fixture_set_up, test_copy_identical,
              fixture_tear_down);
  g_test_add ("/dump/copy/written-to", Fixture, NULL, fixture_set_up, test_copy_written_to,
              fixture_tear_down);
  g_test_add ("/dump/load/refuses-non-empty", Fixture, NULL, fixture_set_up,
              test_refuses_non_empty, fixture_tear_down);
  g_test_add ("/dump/load/needs-key", Fixture, NULL, fixture_set_up, test_load_needs_key,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (load_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/dump/load/fails/", load_cases[i].path, NULL);

      g_test_add (path, Fixture, &load_cases[i], fixture_set_up, test_load_fails,
                  fixture_tear_down);
    }
  g_test_add ("/dump/load/unsealed-tail", Fixture, NULL, fixture_set_up,
              test_load_unsealed_tail, fixture_tear_down);
  g_test_add ("/dump/load/unsealed-no-chain", Fixture, NULL, fixture_set_up,
              test_load_unsealed_no_chain, fixture_tear_down);
  g_test_add ("/dump/load/unsealed-broken", Fixture, NULL, fixture_set_up,
              test_load_unsealed_broken, fixture_tear_down);
  g_test_add ("/dump/backup/through-store", Fixture, NULL, fixture_set_up,
              test_backup_through_store, fixture_tear_down);
  g_test_add ("/dump/backup/through-store-fails", Fixture, NULL, fixture_set_up,
              test_backup_through_store_fails, fixture_tear_down);
  /* Only with a server to run them on. */
  if (g_getenv ("MESOCARE_TEST_SERVER") != NULL && *g_getenv ("MESOCARE_TEST_SERVER") != '\0')
    {
      g_test_add ("/dump/postgresql/round-trip", Fixture, g_getenv ("MESOCARE_TEST_SERVER"),
                  fixture_set_up, test_server_round_trip, fixture_tear_down);
      g_test_add ("/dump/postgresql/refuses-non-empty", Fixture,
                  g_getenv ("MESOCARE_TEST_SERVER"), fixture_set_up,
                  test_server_refuses_non_empty, fixture_tear_down);
      for (guint i = 0; i < G_N_ELEMENTS (load_cases); i++)
        {
          g_autofree char *path = NULL;

          if (load_cases[i].mischief != STOP && load_cases[i].mischief != OLD_SCHEMA
              && g_strcmp0 (load_cases[i].table, MESO_DUMP_AUDIT) != 0)
            continue;
          path = g_strconcat ("/dump/postgresql/load/fails/", load_cases[i].path, NULL);
          g_test_add (path, Fixture, &load_cases[i], fixture_set_up, test_server_load_fails,
                      fixture_tear_down);
        }
    }
  return g_test_run ();
}
