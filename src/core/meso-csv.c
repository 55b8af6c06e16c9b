/* meso-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "meso-csv.h"
#include "meso-error.h"

#define UTF8_BOM     "\xEF\xBB\xBF"
#define UTF8_BOM_LEN 3

/* Writing */

/* Invalid bytes decode to (gunichar) -1 or -2, which are not characters at all. */
static gboolean
is_blank_at (const char *p,
             gsize       max_len)
{
  gunichar c = g_utf8_get_char_validated (p, max_len);

  return c <= 0x10FFFF && g_unichar_isspace (c);
}

static gboolean
has_blank_at_an_end (const char *field,
                     gsize       length)
{
  const char *end = field + length;
  const char *last = g_utf8_find_prev_char (field, end);

  return is_blank_at (field, length)
         || (last != NULL && is_blank_at (last, (gsize) (end - last)));
}

/* Blanks at either end are quoted because many readers trim unquoted fields, and a
 * patient's note must come back exactly as written. */
static gboolean
needs_quotes (const char *field,
              gsize       length)
{
  if (length == 0)
    return FALSE;
  return strpbrk (field, ",\"\r\n") != NULL || has_blank_at_an_end (field, length);
}

static void
append_quoted (GString    *out,
               const char *field)
{
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * meso_csv_append_row:
 * @out: where the record is appended
 * @fields: (array length=n_fields) (nullable): the fields, UTF-8 text; a %NULL one is
 *   written empty
 * @n_fields: how many fields, at least one
 *
 * Appends one RFC 4180 record: fields separated by commas, ended by CRLF. A field is
 * quoted, with a quote inside doubled, when it contains a comma, a quote, CR or LF, or
 * starts or ends with a blank; otherwise it is written as is. Bytes are copied
 * unchanged: text that is not UTF-8 is not repaired here, and the reader refuses it.
 */
void
meso_csv_append_row (GString            *out,
                     const char * const *fields,
                     gsize               n_fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL);
  /* A record of no fields would be an empty line, which is no record at all. */
  g_return_if_fail (n_fields > 0);

  for (gsize i = 0; i < n_fields; i++)
    {
      const char *field = fields[i] != NULL ? fields[i] : "";
      gsize length = strlen (field);

      if (i > 0)
        g_string_append_c (out, ',');
      /* A lone empty field written bare would be an empty line, which readers skip:
       * quoted, it comes back as the record it is. */
      if (needs_quotes (field, length) || (n_fields == 1 && length == 0))
        append_quoted (out, field);
      else
        g_string_append_len (out, field, (gssize) length);
    }
  g_string_append (out, "\r\n");
}

/* Formula cells
 *
 * A spreadsheet opening the CSV evaluates a cell that begins with one of these as a
 * formula: a patient named "=HYPERLINK(...)" would run in the receptionist's sheet.
 * OWASP's advice: such text cells are written with a single quote in front, which
 * spreadsheets show as text and which the import takes off again. A cell of quotes
 * followed by one of these gets one quote more, so that every cell reads back exactly. */
static const char formula_starts[] = "=+-@\t\r";

static gboolean
looks_like_formula (const char *cell)
{
  while (*cell == '\'')
    cell++;
  return *cell != '\0' && strchr (formula_starts, *cell) != NULL;
}

/**
 * meso_csv_escape_formula:
 * @cell: (nullable): a text cell, as the user typed it
 *
 * Returns: (transfer full): @cell made safe to open in a spreadsheet: with a single quote
 *   in front when it begins with =, +, -, @, a tab or a CR (after any quotes).
 */
char *
meso_csv_escape_formula (const char *cell)
{
  if (cell == NULL)
    return g_strdup ("");
  if (looks_like_formula (cell))
    return g_strconcat ("'", cell, NULL);
  return g_strdup (cell);
}

/**
 * meso_csv_unescape_formula:
 * @cell: a text cell as read from the file
 *
 * Returns: (transfer full): @cell as meso_csv_escape_formula() was given it.
 */
char *
meso_csv_unescape_formula (const char *cell)
{
  g_return_val_if_fail (cell != NULL, NULL);

  if (*cell == '\'' && looks_like_formula (cell + 1))
    return g_strdup (cell + 1);
  return g_strdup (cell);
}

/* Reading */

struct _MesoCsvReader
{
  char   *data;       /* our own copy, so the caller may free theirs at once */
  gsize   length;
  gsize   valid_end;  /* offset of the first byte that is NUL or not UTF-8, else length */
  gsize   pos;
  gsize   line;       /* the physical line of data[pos], counted by line feeds */
  GError *error;      /* once the text is found malformed, every later call says so */
};

/**
 * meso_csv_reader_new:
 * @data: (array length=length) (nullable): the text of a CSV file
 * @length: its length in bytes
 *
 * The reader keeps its own copy of @data: the caller may free @data at once.
 * The text is validated as it is read, record by record; see meso_csv_reader_next().
 *
 * Returns: (transfer full): a new reader
 */
MesoCsvReader *
meso_csv_reader_new (const char *data,
                     gsize       length)
{
  MesoCsvReader *reader;
  const char *valid_end = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  reader = g_new0 (MesoCsvReader, 1);
  /* One byte more, so that data is never NULL, even for an empty text. */
  reader->data = g_malloc (length + 1);
  if (length > 0)
    memcpy (reader->data, data, length);
  reader->data[length] = '\0';
  reader->length = length;

  /* This also stops at a NUL byte, which no UTF-8 text may hold. */
  g_utf8_validate_len (reader->data, length, &valid_end);
  reader->valid_end = (gsize) (valid_end - reader->data);

  reader->line = 1;
  if (length >= UTF8_BOM_LEN && memcmp (reader->data, UTF8_BOM, UTF8_BOM_LEN) == 0)
    reader->pos = UTF8_BOM_LEN;
  return reader;
}

/**
 * meso_csv_reader_free:
 * @reader: (nullable) (transfer full): a reader
 */
void
meso_csv_reader_free (MesoCsvReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_error (&reader->error);
  g_free (reader->data);
  g_free (reader);
}

/* The line number is formatted by hand: a %u could not hold every gsize. */
static gboolean
fail (MesoCsvReader *reader,
      gsize          line,
      const char    *problem)
{
  g_autofree char *number = g_strdup_printf ("%" G_GSIZE_FORMAT, line);

  g_clear_error (&reader->error);
  /* Translators: a problem in a CSV file: “Line 7: a quoted field is not closed” */
  reader->error = g_error_new (MESO_ERROR, MESO_ERROR_CSV, _("Line %s: %s"), number, problem);
  return FALSE;
}

static gboolean
at_bad_byte (const MesoCsvReader *reader)
{
  return reader->pos == reader->valid_end && reader->valid_end < reader->length;
}

static gboolean
fail_at_bad_byte (MesoCsvReader *reader)
{
  if (reader->data[reader->pos] == '\0')
    return fail (reader, reader->line, _("the text contains a NUL byte"));
  return fail (reader, reader->line, _("the text is not valid UTF-8"));
}

/* Returns the length of the line end at the current position: 1 for LF, 2 for CRLF,
 * 0 when there is none. */
static gsize
line_end_length (const MesoCsvReader *reader)
{
  const char *p = reader->data + reader->pos;
  gsize left = reader->valid_end - reader->pos;

  if (left >= 1 && p[0] == '\n')
    return 1;
  if (left >= 2 && p[0] == '\r' && p[1] == '\n')
    return 2;
  return 0;
}

static void
skip_line_end (MesoCsvReader *reader)
{
  gsize ending = line_end_length (reader);

  if (ending == 0)
    return;
  reader->pos += ending;
  reader->line++;
}

/* An empty line is not a record: spreadsheets leave them, and people add them. */
static void
skip_empty_lines (MesoCsvReader *reader)
{
  while (line_end_length (reader) > 0)
    skip_line_end (reader);
}

static gboolean
ends_unquoted_field (char c)
{
  return c == ',' || c == '"' || c == '\r' || c == '\n';
}

static char *
read_unquoted (MesoCsvReader *reader)
{
  gsize start = reader->pos;
  char c;

  while (reader->pos < reader->valid_end && !ends_unquoted_field (reader->data[reader->pos]))
    reader->pos++;

  c = reader->data[reader->pos];
  if (at_bad_byte (reader))
    fail_at_bad_byte (reader);
  else if (c == '"')
    fail (reader, reader->line, _("a quote inside a field that is not quoted"));
  else if (c == '\r' && line_end_length (reader) == 0)
    fail (reader, reader->line,
          _("a carriage return outside quotes is not followed by a line feed"));
  else
    return g_strndup (reader->data + start, reader->pos - start);
  return NULL;
}

static gsize
count_line_feeds (const char *text,
                  gsize       length)
{
  gsize n = 0;

  for (const char *p = text; (p = memchr (p, '\n', length - (gsize) (p - text))) != NULL; p++)
    n++;
  return n;
}

/* Copies the text up to the next quote, counting the line feeds on the way, so the
 * next record's line number stays right. Returns FALSE when no quote is left. */
static gboolean
append_until_quote (MesoCsvReader *reader,
                    GString       *field)
{
  const char *start = reader->data + reader->pos;
  gsize left = reader->valid_end - reader->pos;
  const char *quote = memchr (start, '"', left);
  gsize span = quote != NULL ? (gsize) (quote - start) : left;

  g_string_append_len (field, start, (gssize) span);
  reader->line += count_line_feeds (start, span);
  reader->pos += span;
  return quote != NULL;
}

static gboolean
check_after_closing_quote (MesoCsvReader *reader)
{
  if (reader->pos == reader->length
      || line_end_length (reader) > 0
      || (reader->pos < reader->valid_end && reader->data[reader->pos] == ','))
    return TRUE;
  if (at_bad_byte (reader))
    return fail_at_bad_byte (reader);
  return fail (reader, reader->line, _("unexpected character after a closing quote"));
}

static char *
read_quoted (MesoCsvReader *reader)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gsize opening_line = reader->line;

  reader->pos++;
  for (;;)
    {
      if (!append_until_quote (reader, field))
        {
          /* A bad byte is what stopped the search: name it, not its consequence. */
          if (at_bad_byte (reader))
            fail_at_bad_byte (reader);
          else
            fail (reader, opening_line, _("a quoted field is not closed"));
          return NULL;
        }
      if (reader->pos + 1 < reader->valid_end && reader->data[reader->pos + 1] == '"')
        {
          g_string_append_c (field, '"');
          reader->pos += 2;
          continue;
        }
      reader->pos++;
      break;
    }

  if (!check_after_closing_quote (reader))
    return NULL;
  return g_string_free (g_steal_pointer (&field), FALSE);
}

static char *
read_field (MesoCsvReader *reader)
{
  if (reader->pos < reader->valid_end && reader->data[reader->pos] == '"')
    return read_quoted (reader);
  return read_unquoted (reader);
}

/* The field readers stop only at a comma, a line end or the end of the text. */
static GStrv
read_record (MesoCsvReader *reader)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      char *field = read_field (reader);

      if (field == NULL)
        return NULL;
      g_ptr_array_add (fields, field);
      if (reader->pos == reader->valid_end || reader->data[reader->pos] != ',')
        break;
      reader->pos++;
    }
  skip_line_end (reader);

  g_ptr_array_add (fields, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
}

/**
 * meso_csv_reader_next:
 * @reader: a reader
 * @out_fields: (out) (transfer full): the fields of the next record, or %NULL
 * @out_line: (out) (optional): the line, from 1, where the record starts
 * @error: a #GError
 *
 * Reads the next record. Line ends may be CRLF or LF, and the last record may have
 * none; a UTF-8 byte-order mark at the start is skipped, and so are empty lines. A line
 * holding only commas is a record of empty fields. Lines are counted by line feeds,
 * those inside quoted fields included.
 *
 * The text must be valid UTF-8 with no NUL byte, and every quote must follow RFC 4180.
 * Once a record is malformed, this and every later call fail with the same error, so
 * a caller cannot read past it by mistake.
 *
 * Returns: %TRUE with a record; %FALSE at the end (@error unset) or when the text is
 *   malformed (@error set to %MESO_ERROR_CSV, its message naming the line)
 */
gboolean
meso_csv_reader_next (MesoCsvReader  *reader,
                      GStrv          *out_fields,
                      guint          *out_line,
                      GError        **error)
{
  GStrv fields = NULL;
  gsize line = 0;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_fields = NULL;
  if (reader->error == NULL)
    {
      skip_empty_lines (reader);
      if (reader->pos == reader->length)
        return FALSE;

      line = reader->line;
      if (line > G_MAXUINT)
        fail (reader, line, _("the file has too many lines"));
      else
        fields = read_record (reader);
    }

  if (fields == NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }

  *out_fields = fields;
  if (out_line != NULL)
    *out_line = (guint) line;
  return TRUE;
}
