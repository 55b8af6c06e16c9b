/* test-csv.c: the CSV writer's exact bytes, the reader on every shape of file, and
 * every malformed text refused with its line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "meso-csv.h"
#include "meso-error.h"
#include "meso-test-util.h"

#define MAX_FIELDS  4
#define MAX_RECORDS 4

/* Writer: exact bytes */

typedef struct
{
  const char *fields[MAX_FIELDS];
  gsize       n_fields;
  const char *expected;
} WriteCase;

static const WriteCase write_cases[] = {
  { { "a", "b,c", "d\"e" }, 3, "a,\"b,c\",\"d\"\"e\"\r\n" },
  { { "plain", "two words" }, 2, "plain,two words\r\n" },
  { { "", NULL, "" }, 3, ",,\r\n" },
  /* Alone, an empty field is quoted: bare, it would be an empty line, skipped. */
  { { "" }, 1, "\"\"\r\n" },
  { { NULL }, 1, "\"\"\r\n" },
  { { "\"" }, 1, "\"\"\"\"\r\n" },
  { { "line 1\nline 2", "x" }, 2, "\"line 1\nline 2\",x\r\n" },
  { { "a\r\nb" }, 1, "\"a\r\nb\"\r\n" },
  { { "cr\r" }, 1, "\"cr\r\"\r\n" },
  { { " lead", "trail ", "\ttab" }, 3, "\" lead\",\"trail \",\"\ttab\"\r\n" },
  /* A no-break space is a blank too: readers that trim would lose it. */
  { { "\xC2\xA0" "x" }, 1, "\"\xC2\xA0x\"\r\n" },
  { { "é", "😀", "שלום" }, 3, "é,😀,שלום\r\n" },
};

static void
test_write (gconstpointer data)
{
  const WriteCase *c = data;
  g_autoptr(GString) out = g_string_new ("prefix;");

  meso_csv_append_row (out, c->fields, c->n_fields);
  /* Appends: what was there stays. */
  g_assert_true (g_str_has_prefix (out->str, "prefix;"));
  g_assert_cmpstr (out->str + strlen ("prefix;"), ==, c->expected);
}

/* Reader: records, line numbers, and errors */

typedef struct
{
  const char *input;
  gsize       length;                           /* 0: strlen (input) */
  const char *records[MAX_RECORDS][MAX_FIELDS + 1]; /* each NULL-terminated */
  guint       lines[MAX_RECORDS];
  guint       error_line;                       /* 0: the text is well formed */
  const char *error_words;
} ReadCase;

static const ReadCase read_cases[] = {
  /* Well formed */
  { "a,b\r\nc,d\r\n", 0, { { "a", "b" }, { "c", "d" } }, { 1, 2 } },
  { "a,b\nc,d\n", 0, { { "a", "b" }, { "c", "d" } }, { 1, 2 } },
  { "a,b\nc,d", 0, { { "a", "b" }, { "c", "d" } }, { 1, 2 } },
  { "a\r\n\"b\"", 0, { { "a" }, { "b" } }, { 1, 2 } },
  { "", 0, { { NULL } }, { 0 } },
  { "\n\r\n\n", 0, { { NULL } }, { 0 } },
  { "\xEF\xBB\xBFid,name\r\n1,Ann\r\n", 0, { { "id", "name" }, { "1", "Ann" } }, { 1, 2 } },
  { "\xEF\xBB\xBF", 0, { { NULL } }, { 0 } },
  /* A BOM anywhere else is text, not a mark to skip. */
  { "a\n\xEF\xBB\xBF" "b\n", 0, { { "a" }, { "\xEF\xBB\xBF" "b" } }, { 1, 2 } },
  { "\n\na\r\n\r\n\nb\n\n", 0, { { "a" }, { "b" } }, { 3, 6 } },
  { ",,\n,\n", 0, { { "", "", "" }, { "", "" } }, { 1, 2 } },
  { "a,\nb", 0, { { "a", "" }, { "b" } }, { 1, 2 } },
  { "\"\"\n\"\",\"\"\n", 0, { { "" }, { "", "" } }, { 1, 2 } },
  { "id,note\r\n1,\"first\r\nsecond\nthird\"\r\n2,x\r\n", 0,
    { { "id", "note" }, { "1", "first\r\nsecond\nthird" }, { "2", "x" } }, { 1, 2, 5 } },
  { "\"a\n\nb\",c\n\nd\n", 0, { { "a\n\nb", "c" }, { "d" } }, { 1, 5 } },
  { "\"a\"\"b\",\"c,d\",\"\"\"\"\n", 0, { { "a\"b", "c,d", "\"" } }, { 1 } },
  { "\"a\rb\"\n", 0, { { "a\rb" } }, { 1 } },
  { " a , b \n", 0, { { " a ", " b " } }, { 1 } },
  { "é,😀,שלום,مرحبا\n", 0, { { "é", "😀", "שלום", "مرحبا" } }, { 1 } },

  /* Malformed: the records before the fault are read, then the fault with its line. */
  { "a\n\"b,c\nd\n", 0, { { "a" } }, { 1 }, 2, "a quoted field is not closed" },
  { "1,\"x\ny\"\n2,\"open\n\nmore", 0, { { "1", "x\ny" } }, { 1 }, 3,
    "a quoted field is not closed" },
  { "\"", 0, { { NULL } }, { 0 }, 1, "a quoted field is not closed" },
  { "\"a\"b\n", 0, { { NULL } }, { 0 }, 1, "unexpected character after a closing quote" },
  { "x\n\"a\nb\"c\n", 0, { { "x" } }, { 1 }, 3, "unexpected character after a closing quote" },
  { "\"a\" ,b\n", 0, { { NULL } }, { 0 }, 1, "unexpected character after a closing quote" },
  { "a\nb\"c\n", 0, { { "a" } }, { 1 }, 2, "a quote inside a field that is not quoted" },
  { "a, \"b\"\n", 0, { { NULL } }, { 0 }, 1, "a quote inside a field that is not quoted" },
  { "a\r\nb\rc\r\n", 0, { { "a" } }, { 1 }, 2, "carriage return" },
  { "a\nb\xFF\n", 0, { { "a" } }, { 1 }, 2, "the text is not valid UTF-8" },
  { "\"a\nb\nc\xC3\"\n", 0, { { NULL } }, { 0 }, 3, "the text is not valid UTF-8" },
  { "\"a\"\xC3\xA9\n", 0, { { NULL } }, { 0 }, 1, "unexpected character after a closing quote" },
  { "\"a\"\xE9\n", 0, { { NULL } }, { 0 }, 1, "the text is not valid UTF-8" },
  { "\xC0\xAF\n", 0, { { NULL } }, { 0 }, 1, "the text is not valid UTF-8" },
  { "ok\n\xED\xA0\x80\n", 0, { { "ok" } }, { 1 }, 2, "the text is not valid UTF-8" },
  { "\xEF\xBB", 0, { { NULL } }, { 0 }, 1, "the text is not valid UTF-8" },
  { "a\n\nb\0c\n", 7, { { "a" } }, { 1 }, 3, "NUL" },
  { "\"a\nb\0\"\n", 7, { { NULL } }, { 0 }, 2, "NUL" },
};

static void
assert_record (const char * const *expected,
               const char * const *fields)
{
  guint n = g_strv_length ((GStrv) fields);

  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (fields[i], ==, expected[i]);
  g_assert_null (expected[n]);
}

static void
assert_csv_error (const GError *error,
                  guint         line,
                  const char   *words)
{
  g_autofree char *prefix = g_strdup_printf ("Line %u: ", line);

  g_assert_error (error, MESO_ERROR, MESO_ERROR_CSV);
  g_test_message ("error: %s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpint (meso_error_get_field (error), ==, MESO_FIELD_NONE);
}

static void
test_read (gconstpointer data)
{
  const ReadCase *c = data;
  gsize length = c->length > 0 ? c->length : strlen (c->input);
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (c->input, length);
  GError *error = NULL;
  GStrv fields = NULL;
  guint line = 0;
  guint i;

  for (i = 0; c->records[i][0] != NULL; i++)
    {
      g_auto(GStrv) record = NULL;

      g_assert_true (meso_csv_reader_next (reader, &record, &line, &error));
      g_assert_no_error (error);
      assert_record (c->records[i], (const char * const *) record);
      g_assert_cmpuint (line, ==, c->lines[i]);
    }

  g_assert_false (meso_csv_reader_next (reader, &fields, &line, &error));
  g_assert_null (fields);
  if (c->error_line == 0)
    {
      g_assert_no_error (error);
      /* The end stays the end. */
      g_assert_false (meso_csv_reader_next (reader, &fields, NULL, &error));
      g_assert_no_error (error);
      return;
    }

  assert_csv_error (error, c->error_line, c->error_words);
  g_clear_error (&error);
  /* A fault is not skipped over: the next call reports it again. */
  g_assert_false (meso_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_null (fields);
  assert_csv_error (error, c->error_line, c->error_words);
  g_clear_error (&error);
}

/* Round trip: write a record between two plain ones, read all three back */

typedef struct
{
  const char *fields[MAX_FIELDS];
  gsize       n_fields;
} RoundTripCase;

static const RoundTripCase round_trip_cases[] = {
  { { "a,b", ",", ",,," }, 3 },
  { { "\"", "\"\"", "say \"hi\"" }, 3 },
  { { "cr\r", "\rcr", "a\rb" }, 3 },
  { { "lf\n", "\nlf", "a\n\nb" }, 3 },
  { { "crlf\r\n", "\r\ncrlf", "a\r\n\r\nb" }, 3 },
  { { " lead", "trail ", "  both  ", "\t" }, 4 },
  { { "", "", "" }, 3 },
  { { "" }, 1 },
  { { NULL, "x", NULL }, 3 },
  { { "😀", "👩🏽‍⚕️", "🇫🇷" }, 3 },
  { { "שלום עולם", "مرحبا بالعالم", "\u200Frtl mark" }, 3 },
  { { "\xEF\xBB\xBF" "bom", "\u00A0nbsp\u00A0" }, 2 },
  { { "\"a\r\n,b\"", " \" ", "=1+2" }, 3 },
};

static guint
count_line_feeds (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
round_trip (const char * const *fields,
            gsize               n_fields)
{
  static const char * const before[] = { "before", "1" };
  static const char * const after[] = { "after", "2" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(MesoCsvReader) reader = NULL;
  g_auto(GStrv) first = NULL;
  g_auto(GStrv) middle = NULL;
  g_auto(GStrv) last = NULL;
  GStrv none = NULL;
  GError *error = NULL;
  guint line = 0;
  guint after_line;

  meso_csv_append_row (out, before, G_N_ELEMENTS (before));
  meso_csv_append_row (out, fields, n_fields);
  after_line = count_line_feeds (out->str) + 1;
  meso_csv_append_row (out, after, G_N_ELEMENTS (after));

  reader = meso_csv_reader_new (out->str, out->len);
  g_assert_true (meso_csv_reader_next (reader, &first, &line, &error));
  g_assert_cmpuint (line, ==, 1);
  g_assert_true (meso_csv_reader_next (reader, &middle, &line, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (line, ==, 2);
  g_assert_cmpuint (g_strv_length (middle), ==, n_fields);
  for (gsize i = 0; i < n_fields; i++)
    g_assert_cmpstr (middle[i], ==, fields[i] != NULL ? fields[i] : "");

  /* The line feeds inside the middle record are counted: the next line is right. */
  g_assert_true (meso_csv_reader_next (reader, &last, &line, &error));
  g_assert_cmpuint (line, ==, after_line);
  g_assert_cmpstr (last[0], ==, "after");
  g_assert_false (meso_csv_reader_next (reader, &none, NULL, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (gconstpointer data)
{
  const RoundTripCase *c = data;

  round_trip (c->fields, c->n_fields);
}

static void
test_round_trip_long_field (void)
{
  g_autoptr(GString) field = g_string_new (NULL);
  const char *fields[2];

  /* Quotes, commas and line breaks all through it: no buffer may cut it anywhere. */
  while (field->len < 100000)
    g_string_append (field, "abc,\"é\"\r\n\n ");
  g_string_truncate (field, 100000);
  fields[0] = field->str;
  fields[1] = "tail";
  round_trip (fields, G_N_ELEMENTS (fields));
}

static void
test_reader_keeps_a_copy (void)
{
  g_autofree char *text = g_strdup ("a,b\r\n");
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (text, strlen (text));
  g_auto(GStrv) fields = NULL;

  /* Freed and overwritten before the first read: the reader must not look at it. */
  memset (text, 'x', strlen (text));
  g_clear_pointer (&text, g_free);
  g_assert_true (meso_csv_reader_next (reader, &fields, NULL, NULL));
  g_assert_cmpstr (fields[0], ==, "a");
  g_assert_cmpstr (fields[1], ==, "b");
}

static void
test_reader_empty_null (void)
{
  g_autoptr(MesoCsvReader) reader = meso_csv_reader_new (NULL, 0);
  GStrv fields = NULL;
  GError *error = NULL;

  g_assert_false (meso_csv_reader_next (reader, &fields, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fields);
}

static void
test_many_records (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(MesoCsvReader) reader = NULL;
  GError *error = NULL;
  guint expected_line = 1;
  guint n = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *number = g_strdup_printf ("%u", i);
      const char *fields[] = { number, i % 3 == 0 ? "two\nlines" : "one line" };

      meso_csv_append_row (out, fields, G_N_ELEMENTS (fields));
    }

  reader = meso_csv_reader_new (out->str, out->len);
  for (;;)
    {
      g_auto(GStrv) fields = NULL;
      g_autofree char *number = g_strdup_printf ("%u", n);
      guint line = 0;

      if (!meso_csv_reader_next (reader, &fields, &line, &error))
        break;
      g_assert_cmpstr (fields[0], ==, number);
      g_assert_cmpuint (line, ==, expected_line);
      expected_line += n % 3 == 0 ? 2 : 1;
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2000);
}

/* Cells a spreadsheet would run get a quote in front (issue 14); every cell, quoted or
 * not, comes back exactly as it was given. */
static void
test_formula_escape (void)
{
  static const struct { const char *cell; const char *escaped; } cases[] = {
    { "=1+1", "'=1+1" }, { "+33 1 23", "'+33 1 23" }, { "-nickel", "'-nickel" },
    { "@SUM(A1)", "'@SUM(A1)" }, { "\tTab", "'\tTab" }, { "\rCR", "'\rCR" },
    { "'=already", "''=already" }, { "''-x", "'''-x" }, { "'plain", "'plain" },
    { "'", "'" }, { "", "" }, { "Ann = Lee", "Ann = Lee" }, { "2024-01-01", "2024-01-01" },
    { "O'Brien", "O'Brien" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = meso_csv_escape_formula (cases[i].cell);
      g_autofree char *back = meso_csv_unescape_formula (escaped);

      g_assert_cmpstr (escaped, ==, cases[i].escaped);
      g_assert_cmpstr (back, ==, cases[i].cell);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  MESO_TEST_ADD_NUMBERED_CASES ("/csv/write", write_cases, test_write);
  MESO_TEST_ADD_NUMBERED_CASES ("/csv/read", read_cases, test_read);
  MESO_TEST_ADD_NUMBERED_CASES ("/csv/round-trip", round_trip_cases, test_round_trip);
  g_test_add_func ("/csv/round-trip-long-field", test_round_trip_long_field);
  g_test_add_func ("/csv/many-records", test_many_records);
  g_test_add_func ("/csv/reader-keeps-a-copy", test_reader_keeps_a_copy);
  g_test_add_func ("/csv/reader-empty-null", test_reader_empty_null);
  g_test_add_func ("/csv/formula-escape", test_formula_escape);

  return g_test_run ();
}
