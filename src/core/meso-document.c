/* meso-document.c
 *
 * A document is made in two steps: its blocks are described (text with a style, table
 * rows, drawings), then rendered: each block laid out with Pango, every line placed on a
 * page, and the pages drawn onto a Cairo PDF surface. Nothing depends on the clock or the
 * machine: the same blocks always give the same PDF, byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-document"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "meso-clinic.h"
#include "meso-document.h"
#include "meso-error.h"

#define MM              MESO_DOCUMENT_MM
#define MARGIN          MESO_DOCUMENT_MARGIN
#define FOOTER_HEIGHT   24.0
#define PANEL_PAD       MESO_DOCUMENT_PANEL_PAD
#define BULLET_INDENT   MESO_DOCUMENT_BULLET_INDENT
#define LOGO_WIDTH      (40.0 * MM)
#define LOGO_HEIGHT     (20.0 * MM)
#define LOGO_GAP        (6.0 * MM)
#define CELL_PAD_X      4.0
#define CELL_PAD_Y      2.5
#define MIN_LINES       2             /* never a lone line at a page's foot or head */
#define LAST_PAGE_MIN   0.15          /* a last page less full than this is drawn tighter */
#define SMALL_FONT      "DejaVu Sans 9"

typedef enum
{
  BLOCK_TEXT,
  BLOCK_ROW,      /* a table's row; the table's header row is one too */
  BLOCK_DRAWING,
} BlockKind;

typedef struct
{
  guint  page;
  double y;       /* of the line's top, from the top of the page */
  double height;
} LinePlace;

typedef struct
{
  BlockKind      kind;
  guint          part;
  /* BLOCK_TEXT */
  char          *markup;
  char          *font;
  MesoTextStyle  style;         /* its font is @font */
  guint          panel;         /* which run of boxed blocks, from 1; 0 if not boxed */
  /* BLOCK_ROW */
  int            table;         /* an index of tables */
  gboolean       is_header;
  GStrv          cells;
  /* BLOCK_DRAWING */
  double         height;
  MesoDocumentDrawFunc draw;
  gpointer       user_data;
  GDestroyNotify destroy;

  /* The layout, made by meso_document_render_pdf() */
  PangoLayout   *layout;        /* BLOCK_TEXT */
  GPtrArray     *cell_layouts;  /* BLOCK_ROW */
  double         space_before;
  gboolean       keep_with_next;
  GArray        *extents;       /* of PangoRectangle, one a line, from the block's top */
  GArray        *places;        /* of LinePlace, one a line */
  double         own_needed;    /* what of it must fit where it starts */
} Block;

typedef struct
{
  char            *font;
  MesoTableColumn *columns;     /* titles owned */
  guint            n_columns;
  guint            header;      /* the index of its header row among the blocks */
} Table;

typedef struct
{
  char  *footer_left;
  char  *page_format;
  guint  first_page;
  guint  n_pages;
} Part;

typedef struct
{
  guint page;
  int   table;
} RepeatedHeader;

struct _MesoDocument
{
  GObject       parent_instance;

  double        width;
  double        height;
  char         *language;
  GBytes       *logo;
  char         *logo_type;
  char         *metadata[4];    /* title, author, subject, creation date */
  GArray       *blocks;         /* of Block */
  GArray       *tables;         /* of Table */
  GArray       *parts;          /* of Part */
  int           open_table;     /* -1 when none */
  guint         n_panels;

  /* While rendering */
  PangoContext *context;
  GArray       *repeats;        /* of RepeatedHeader */
  double        spacing;        /* 1, or less to keep a last page from holding a line or two */
  guint         n_pages;
};

G_DEFINE_FINAL_TYPE (MesoDocument, meso_document, G_TYPE_OBJECT)

static void
clear_block (Block *block)
{
  g_free (block->markup);
  g_free (block->font);
  g_strfreev (block->cells);
  if (block->destroy != NULL)
    block->destroy (block->user_data);
  g_clear_object (&block->layout);
  g_clear_pointer (&block->cell_layouts, g_ptr_array_unref);
  g_clear_pointer (&block->extents, g_array_unref);
  g_clear_pointer (&block->places, g_array_unref);
}

static void
clear_table (Table *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    g_free ((char *) table->columns[i].title);
  g_free (table->columns);
  g_free (table->font);
}

static void
clear_part (Part *part)
{
  g_free (part->footer_left);
  g_free (part->page_format);
}

static void
meso_document_finalize (GObject *object)
{
  MesoDocument *self = (MesoDocument *) object;

  g_free (self->language);
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_free (self->logo_type);
  for (guint i = 0; i < G_N_ELEMENTS (self->metadata); i++)
    g_free (self->metadata[i]);
  g_array_unref (self->blocks);
  g_array_unref (self->tables);
  g_array_unref (self->parts);

  G_OBJECT_CLASS (meso_document_parent_class)->finalize (object);
}

static void
meso_document_class_init (MesoDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_document_finalize;
}

static void
meso_document_init (MesoDocument *self)
{
  Part first = { 0 };

  self->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (self->blocks, (GDestroyNotify) clear_block);
  self->tables = g_array_new (FALSE, TRUE, sizeof (Table));
  g_array_set_clear_func (self->tables, (GDestroyNotify) clear_table);
  self->parts = g_array_new (FALSE, TRUE, sizeof (Part));
  g_array_set_clear_func (self->parts, (GDestroyNotify) clear_part);
  first.page_format = g_strdup ("{page} / {pages}");
  g_array_append_val (self->parts, first);
  self->open_table = -1;
  self->spacing = 1.0;
}

/**
 * meso_document_new:
 * @paper: the paper's size
 * @language: the language of the text, for line breaking ("en", "fr"...)
 *
 * Returns: (transfer full): an empty document.
 */
MesoDocument *
meso_document_new (MesoPaper   paper,
                   const char *language)
{
  MesoDocument *self = g_object_new (MESO_TYPE_DOCUMENT, NULL);

  if (paper == MESO_PAPER_LETTER)
    {
      self->width = 8.5 * 72.0;
      self->height = 11.0 * 72.0;
    }
  else
    {
      self->width = 210.0 * MM;
      self->height = 297.0 * MM;
    }
  self->language = g_strdup (language != NULL ? language : "en");
  return self;
}

double
meso_document_get_text_width (MesoDocument *self)
{
  g_return_val_if_fail (MESO_IS_DOCUMENT (self), 0);
  return self->width - 2 * MARGIN;
}

void
meso_document_set_logo (MesoDocument *self,
                        GBytes       *logo,
                        const char   *type)
{
  g_return_if_fail (MESO_IS_DOCUMENT (self));

  g_clear_pointer (&self->logo, g_bytes_unref);
  self->logo = logo != NULL ? g_bytes_ref (logo) : NULL;
  g_free (self->logo_type);
  self->logo_type = g_strdup (type);
}

static Part *
current_part (MesoDocument *self)
{
  return &g_array_index (self->parts, Part, self->parts->len - 1);
}

void
meso_document_set_footer (MesoDocument *self,
                          const char   *left_markup,
                          const char   *page_format)
{
  Part *part;

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (page_format != NULL);

  part = current_part (self);
  g_free (part->footer_left);
  part->footer_left = g_strdup (left_markup != NULL ? left_markup : "");
  g_free (part->page_format);
  part->page_format = g_strdup (page_format);
}

void
meso_document_set_metadata (MesoDocument *self,
                            const char   *title,
                            const char   *author,
                            const char   *subject,
                            const char   *create_date)
{
  const char *values[] = { title, author, subject, create_date };

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_free (self->metadata[i]);
      self->metadata[i] = g_strdup (values[i]);
    }
}

void
meso_document_start_part (MesoDocument *self)
{
  Part part = { 0 };

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (self->open_table < 0);

  part.footer_left = g_strdup (current_part (self)->footer_left);
  part.page_format = g_strdup (current_part (self)->page_format);
  g_array_append_val (self->parts, part);
}

static Block *
append_block (MesoDocument *self,
              BlockKind     kind)
{
  Block block = { 0 };

  block.kind = kind;
  block.part = self->parts->len - 1;
  block.table = -1;
  g_array_append_val (self->blocks, block);
  return &g_array_index (self->blocks, Block, self->blocks->len - 1);
}

static gboolean
last_block_is_boxed (MesoDocument *self)
{
  const Block *last;

  if (self->blocks->len == 0)
    return FALSE;
  last = &g_array_index (self->blocks, Block, self->blocks->len - 1);
  return last->kind == BLOCK_TEXT && last->style.boxed;
}

void
meso_document_add_text (MesoDocument        *self,
                        const MesoTextStyle *style,
                        const char          *markup)
{
  gboolean after_box;
  Block *block;

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (style != NULL && style->font != NULL);
  g_return_if_fail (markup != NULL);
  g_return_if_fail (self->open_table < 0);

  after_box = last_block_is_boxed (self);
  if (style->boxed && !after_box)
    self->n_panels++;
  block = append_block (self, BLOCK_TEXT);
  block->markup = g_strdup (markup);
  block->font = g_strdup (style->font);
  block->style = *style;
  block->style.font = block->font;
  block->panel = style->boxed ? self->n_panels : 0;
  block->space_before = style->space_before;
  /* The text after a panel keeps clear of its box. */
  if (after_box && !style->boxed)
    block->space_before += PANEL_PAD;
  block->keep_with_next = style->keep_with_next;
}

void
meso_document_begin_table (MesoDocument          *self,
                           const char            *font,
                           const MesoTableColumn *columns,
                           guint                  n_columns)
{
  Table table = { 0 };
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  Block *header;

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (font != NULL && columns != NULL && n_columns > 0);
  g_return_if_fail (self->open_table < 0);

  table.font = g_strdup (font);
  table.columns = g_memdup2 (columns, n_columns * sizeof (MesoTableColumn));
  table.n_columns = n_columns;
  for (guint i = 0; i < n_columns; i++)
    {
      table.columns[i].title = g_strdup (columns[i].title != NULL ? columns[i].title : "");
      g_ptr_array_add (titles, g_strdup (table.columns[i].title));
    }
  g_ptr_array_add (titles, NULL);
  table.header = self->blocks->len;
  g_array_append_val (self->tables, table);
  self->open_table = self->tables->len - 1;

  header = append_block (self, BLOCK_ROW);
  header->table = self->open_table;
  header->is_header = TRUE;
  header->cells = (GStrv) g_ptr_array_free (g_steal_pointer (&titles), FALSE);
  header->space_before = 6;
  /* A header alone at a page's foot tells nothing. */
  header->keep_with_next = TRUE;
}

void
meso_document_add_row (MesoDocument       *self,
                       const char * const *cells)
{
  const Table *table;
  Block *row;

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (cells != NULL);
  g_return_if_fail (self->open_table >= 0);

  table = &g_array_index (self->tables, Table, self->open_table);
  g_return_if_fail (g_strv_length ((GStrv) cells) == table->n_columns);
  row = append_block (self, BLOCK_ROW);
  row->table = self->open_table;
  row->cells = g_strdupv ((GStrv) cells);
}

void
meso_document_end_table (MesoDocument *self)
{
  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (self->open_table >= 0);
  self->open_table = -1;
}

void
meso_document_add_drawing (MesoDocument         *self,
                           double                space_before,
                           double                height,
                           MesoDocumentDrawFunc  draw,
                           gpointer              user_data,
                           GDestroyNotify        destroy)
{
  Block *block;

  g_return_if_fail (MESO_IS_DOCUMENT (self));
  g_return_if_fail (draw != NULL);
  g_return_if_fail (height > 0);
  g_return_if_fail (self->open_table < 0);

  block = append_block (self, BLOCK_DRAWING);
  block->space_before = space_before;
  block->height = height;
  block->draw = draw;
  block->user_data = user_data;
  block->destroy = destroy;
}

/* ---- The layout ---- */

static double
body_height (MesoDocument *self)
{
  return self->height - 2 * MARGIN - FOOTER_HEIGHT;
}

/* A title on two lines is balanced: narrowed until just before it would take a third,
 * so that its second line never holds a single word. */
static void
balance_lines (PangoLayout *layout,
               double       width)
{
  int n_lines = pango_layout_get_line_count (layout);
  double narrowest = width;
  double widest_too_narrow = width * 0.4;

  if (n_lines < 2)
    return;
  /* Halving the range: a handful of layouts, to within 2% of the width. */
  while (narrowest - widest_too_narrow > width * 0.02)
    {
      double trial = (narrowest + widest_too_narrow) / 2;

      pango_layout_set_width (layout, pango_units_from_double (trial));
      if (pango_layout_get_line_count (layout) > n_lines)
        widest_too_narrow = trial;
      else
        narrowest = trial;
    }
  pango_layout_set_width (layout, pango_units_from_double (narrowest));
}

static PangoLayout *
new_layout (MesoDocument *self,
            const char   *font,
            gboolean      bold,
            double        width)
{
  PangoLayout *layout = pango_layout_new (self->context);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width (layout, pango_units_from_double (width));
  return layout;
}

static double
header_right (MesoDocument *self)
{
  return self->logo != NULL ? self->width - MARGIN - LOGO_WIDTH - LOGO_GAP
                            : self->width - MARGIN;
}

/* The top and height of each line of @layout, from its top. */
static GArray *
line_extents (PangoLayout *layout)
{
  GArray *extents = g_array_new (FALSE, FALSE, sizeof (PangoRectangle));
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoRectangle logical;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      g_array_append_val (extents, logical);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  return extents;
}

/* One "line" the whole block's height: a block that never splits. */
static GArray *
whole_extents (double height)
{
  GArray *extents = g_array_new (FALSE, TRUE, sizeof (PangoRectangle));
  PangoRectangle whole = { 0, 0, 0, pango_units_from_double (height) };

  g_array_append_val (extents, whole);
  return extents;
}

static double
extents_height (const GArray *extents)
{
  const PangoRectangle *last = &g_array_index (extents, PangoRectangle, extents->len - 1);

  return pango_units_to_double (last->y + last->height);
}

static double
text_height (const Block *block)
{
  int height;

  pango_layout_get_size (block->layout, NULL, &height);
  return pango_units_to_double (height);
}

/* A block taller than this may flow onto the next page; any shorter one (every bullet,
 * every heading) is kept whole: a safety sentence is never cut in two. A bullet flows
 * on only when no page could hold it. */
static gboolean
block_may_split (MesoDocument *self,
                 const Block  *block)
{
  double limit = block->style.bullet ? body_height (self) : body_height (self) / 3;

  return block->kind == BLOCK_TEXT && text_height (block) > limit;
}

/* How much of @block must fit where it starts: all of a block kept whole, or the first
 * MIN_LINES of a long one. */
static double
own_needed_height (MesoDocument *self,
                   const Block  *block)
{
  int n_lines = block->extents->len;

  if (n_lines > 2 * MIN_LINES && block_may_split (self, block))
    {
      const PangoRectangle *line = &g_array_index (block->extents, PangoRectangle,
                                                   MIN_LINES - 1);

      return pango_units_to_double (line->y + line->height);
    }
  if (block->kind == BLOCK_TEXT)
    return text_height (block);
  return extents_height (block->extents);
}

static void
lay_out_text (MesoDocument *self,
              Block        *block)
{
  double width = self->width - 2 * MARGIN - block->style.indent;

  if (block->style.beside_logo)
    width = header_right (self) - MARGIN;
  if (block->style.boxed)
    width -= PANEL_PAD;
  block->layout = new_layout (self, block->font, FALSE, width);
  pango_layout_set_markup (block->layout, block->markup, -1);
  if (block->style.balanced)
    balance_lines (block->layout, width);
  block->extents = line_extents (block->layout);
}

static double
column_width (MesoDocument *self,
              const Table  *table,
              guint         column)
{
  return (self->width - 2 * MARGIN) * table->columns[column].share;
}

static void
lay_out_row (MesoDocument *self,
             Block        *block)
{
  const Table *table = &g_array_index (self->tables, Table, block->table);
  double height = 0;

  block->cell_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint c = 0; c < table->n_columns; c++)
    {
      PangoLayout *layout = new_layout (self, table->font, block->is_header,
                                        column_width (self, table, c) - 2 * CELL_PAD_X);
      int cell_height;

      if (table->columns[c].numeric)
        pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      pango_layout_set_text (layout, block->cells[c], -1);
      pango_layout_get_size (layout, NULL, &cell_height);
      height = MAX (height, pango_units_to_double (cell_height));
      g_ptr_array_add (block->cell_layouts, layout);
    }
  block->extents = whole_extents (height + 2 * CELL_PAD_Y);
}

static void
lay_out_block (MesoDocument *self,
               Block        *block)
{
  /* From scratch at each rendering. */
  g_clear_object (&block->layout);
  g_clear_pointer (&block->cell_layouts, g_ptr_array_unref);
  g_clear_pointer (&block->extents, g_array_unref);
  g_clear_pointer (&block->places, g_array_unref);
  switch (block->kind)
    {
    case BLOCK_TEXT:
      lay_out_text (self, block);
      break;
    case BLOCK_ROW:
      lay_out_row (self, block);
      break;
    case BLOCK_DRAWING:
    default:
      block->extents = whole_extents (block->height);
      break;
    }
  block->places = g_array_new (FALSE, TRUE, sizeof (LinePlace));
  block->own_needed = own_needed_height (self, block);
}

/* What must fit where each block starts: its own share and, for a block kept with the
 * next, that block's too; worked out from the last block back, once a pagination. A part
 * ends any chain: the next part starts a page anyway. */
static GArray *
needed_heights (MesoDocument *self)
{
  guint n = self->blocks->len;
  GArray *needed = g_array_sized_new (FALSE, TRUE, sizeof (double), n);

  g_array_set_size (needed, n);
  for (guint i = n; i-- > 0;)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);
      const Block *next = i + 1 < n ? &g_array_index (self->blocks, Block, i + 1) : NULL;
      double value = block->own_needed;

      if (block->keep_with_next && next != NULL && next->part == block->part)
        value += next->space_before * self->spacing + g_array_index (needed, double, i + 1);
      g_array_index (needed, double, i) = value;
    }
  return needed;
}

static double
table_header_height (MesoDocument *self,
                     int           table)
{
  const Table *t = &g_array_index (self->tables, Table, table);

  return extents_height (g_array_index (self->blocks, Block, t->header).extents);
}

/* Places every line on a page. A block starts on a new page when its start does not
 * fit; a long paragraph then flows on, line by line, never leaving fewer than
 * MIN_LINES at a page's foot or head; a heading goes with what follows it; a table
 * that runs onto a new page has its header row repeated there. Returns how full the
 * last page is. */
static double
paginate_once (MesoDocument *self)
{
  const double top = MARGIN;
  const double bottom = self->height - MARGIN - FOOTER_HEIGHT;
  guint page = 0;
  double y = top;
  g_autoptr(GArray) needed = needed_heights (self);

  g_array_set_size (self->repeats, 0);
  for (guint p = 0; p < self->parts->len; p++)
    g_array_index (self->parts, Part, p).n_pages = 0;
  for (guint b = 0; b < self->blocks->len; b++)
    {
      Block *block = &g_array_index (self->blocks, Block, b);
      const GArray *extents = block->extents;
      double space = block->space_before * self->spacing;
      gboolean new_part = b > 0 && g_array_index (self->blocks, Block, b - 1).part != block->part;
      double origin;

      g_array_set_size (block->places, 0);
      if (new_part || (y > top && y + space + g_array_index (needed, double, b) > bottom))
        {
          page++;
          y = top;
          if (block->kind == BLOCK_ROW && !block->is_header)
            {
              RepeatedHeader repeat = { page, block->table };

              g_array_append_val (self->repeats, repeat);
              y += table_header_height (self, block->table);
            }
        }
      if (new_part || b == 0)
        g_array_index (self->parts, Part, block->part).first_page = page;
      if (y > top)
        y += space;

      origin = y;
      for (guint l = 0; l < extents->len; l++)
        {
          const PangoRectangle *line = &g_array_index (extents, PangoRectangle, l);
          double line_top = origin + pango_units_to_double (line->y);
          double line_bottom = line_top + pango_units_to_double (line->height);
          guint left = extents->len - l;
          LinePlace place;

          /* Break before this line if it does not fit, or if it would leave too few
           * lines of the paragraph for the next page. */
          if (line_top > top && l > 0
              && (line_bottom > bottom
                  || (left < MIN_LINES && line_bottom + (left - 1) * (line_bottom - line_top)
                                           > bottom)))
            {
              page++;
              origin = top - pango_units_to_double (line->y);
              line_top = top;
              line_bottom = top + pango_units_to_double (line->height);
            }
          place.page = page;
          place.y = line_top;
          place.height = line_bottom - line_top;
          g_array_append_val (block->places, place);
          y = line_bottom;
        }
    }
  self->n_pages = page + 1;
  for (guint p = 0; p < self->parts->len; p++)
    {
      Part *part = &g_array_index (self->parts, Part, p);
      guint end = p + 1 < self->parts->len ? g_array_index (self->parts, Part, p + 1).first_page
                                           : self->n_pages;

      part->n_pages = end > part->first_page ? end - part->first_page : 1;
    }
  return (y - top) / (bottom - top);
}

/* A last page holding only a heading and a line or two wastes a sheet and reads as
 * forgotten: the spaces between blocks are then narrowed until it goes, or as far as
 * they can while the page stays clear. */
static void
paginate (MesoDocument *self)
{
  static const double tighter[] = { 0.75, 0.5, 0.3 };
  double last_fill;
  guint n_pages;

  self->spacing = 1.0;
  last_fill = paginate_once (self);
  n_pages = self->n_pages;
  if (n_pages < 2 || last_fill >= LAST_PAGE_MIN)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (tighter); i++)
    {
      self->spacing = tighter[i];
      paginate_once (self);
      if (self->n_pages < n_pages)
        return;
    }
  self->spacing = 1.0;
  paginate_once (self);
}

/* ---- Drawing ---- */

static PangoLayout *
footer_layout (MesoDocument *self,
               const char   *markup)
{
  PangoLayout *layout = new_layout (self, SMALL_FONT, FALSE, -1);

  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_markup (layout, markup, -1);
  return layout;
}

static const Part *
part_of_page (MesoDocument *self,
              guint         page)
{
  for (guint p = self->parts->len; p-- > 0;)
    {
      const Part *part = &g_array_index (self->parts, Part, p);

      if (part->first_page <= page)
        return part;
    }
  return &g_array_index (self->parts, Part, 0);
}

static void
draw_footer (MesoDocument *self,
             cairo_t      *cr,
             guint         page)
{
  const Part *part = part_of_page (self, page);
  g_autofree char *page_str = g_strdup_printf ("%u", page - part->first_page + 1);
  g_autofree char *pages_str = g_strdup_printf ("%u", part->n_pages);
  g_autoptr(GString) text = g_string_new (part->page_format);
  g_autofree char *escaped = NULL;
  g_autoptr(PangoLayout) right = NULL;
  g_autoptr(PangoLayout) left = NULL;
  int right_width, height;
  double baseline_top;

  g_string_replace (text, "{page}", page_str, 0);
  g_string_replace (text, "{pages}", pages_str, 0);
  escaped = g_markup_escape_text (text->str, -1);
  right = footer_layout (self, escaped);
  pango_layout_get_size (right, &right_width, &height);
  left = footer_layout (self, part->footer_left != NULL ? part->footer_left : "");
  /* A very long name gives way, never the page number. */
  pango_layout_set_width (left, pango_units_from_double (self->width - 2 * MARGIN - 12)
                                - right_width);
  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  baseline_top = self->height - MARGIN - pango_units_to_double (height);

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_new_path (cr);
  cairo_move_to (cr, MARGIN, baseline_top - 5);
  cairo_line_to (cr, self->width - MARGIN, baseline_top - 5);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  cairo_move_to (cr, MARGIN, baseline_top);
  pango_cairo_show_layout (cr, left);
  cairo_move_to (cr, self->width - MARGIN - pango_units_to_double (right_width), baseline_top);
  pango_cairo_show_layout (cr, right);
}

/* A panel's box, around its lines on @page: a light ground and a firm edge, so that it
 * is the first thing the eye finds. */
static void
draw_panel_box (MesoDocument *self,
                cairo_t      *cr,
                guint         panel,
                guint         page)
{
  double top = G_MAXDOUBLE, bottom = -1;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      const Block *block = &g_array_index (self->blocks, Block, i);

      if (block->panel != panel)
        continue;
      for (guint l = 0; l < block->places->len; l++)
        {
          const LinePlace *place = &g_array_index (block->places, LinePlace, l);

          if (place->page != page)
            continue;
          top = MIN (top, place->y);
          bottom = MAX (bottom, place->y + place->height);
        }
    }
  if (bottom < 0)
    return;
  top = MAX (top - PANEL_PAD, MARGIN);
  bottom = MIN (bottom + PANEL_PAD, self->height - MARGIN - FOOTER_HEIGHT);
  cairo_new_path (cr);
  cairo_rectangle (cr, MARGIN + 0.75, top, self->width - 2 * MARGIN - 1.5, bottom - top);
  cairo_set_source_rgb (cr, 0.95, 0.96, 0.98);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.15, 0.25, 0.45);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

static void
draw_bullet (cairo_t         *cr,
             const Block     *block,
             const LinePlace *first)
{
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);
  double baseline = pango_units_to_double (pango_layout_iter_get_baseline (iter));

  pango_layout_iter_free (iter);
  /* A path of its own: from the last text's current point, the arc would draw a line. */
  cairo_new_path (cr);
  cairo_arc (cr, MARGIN + block->style.indent - BULLET_INDENT / 2 - 1, first->y + baseline - 4,
             2, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
draw_text_lines (cairo_t     *cr,
                 const Block *block,
                 guint        page)
{
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);
  guint l = 0;

  do
    {
      const LinePlace *place = &g_array_index (block->places, LinePlace, l++);
      PangoRectangle logical;
      int baseline;

      if (place->page != page)
        continue;
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      baseline = pango_layout_iter_get_baseline (iter);
      cairo_move_to (cr, MARGIN + block->style.indent + pango_units_to_double (logical.x),
                     place->y + pango_units_to_double (baseline - logical.y));
      pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* A row's cells side by side, a hairline under it (a firmer one under the header). */
static void
draw_row (MesoDocument *self,
          cairo_t      *cr,
          const Block  *row,
          double        y)
{
  const Table *table = &g_array_index (self->tables, Table, row->table);
  double height = extents_height (row->extents);
  double x = MARGIN;

  if (row->is_header)
    {
      cairo_new_path (cr);
      cairo_rectangle (cr, MARGIN, y, self->width - 2 * MARGIN, height);
      cairo_set_source_rgb (cr, 0.93, 0.94, 0.96);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  for (guint c = 0; c < table->n_columns; c++)
    {
      cairo_move_to (cr, x + CELL_PAD_X, y + CELL_PAD_Y);
      pango_cairo_show_layout (cr, g_ptr_array_index (row->cell_layouts, c));
      x += column_width (self, table, c);
    }
  cairo_new_path (cr);
  cairo_move_to (cr, MARGIN, y + height);
  cairo_line_to (cr, self->width - MARGIN, y + height);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, row->is_header ? 1.0 : 0.4);
  cairo_stroke (cr);
}

static void
draw_drawing (MesoDocument *self,
              cairo_t      *cr,
              const Block  *block,
              double        y)
{
  cairo_save (cr);
  cairo_translate (cr, MARGIN, y);
  cairo_new_path (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  block->draw (cr, self->width - 2 * MARGIN, block->height, block->user_data);
  cairo_restore (cr);
}

static void
draw_block (MesoDocument *self,
            cairo_t      *cr,
            const Block  *block,
            guint         page)
{
  const LinePlace *first = &g_array_index (block->places, LinePlace, 0);

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  switch (block->kind)
    {
    case BLOCK_TEXT:
      if (block->style.bullet && first->page == page)
        draw_bullet (cr, block, first);
      draw_text_lines (cr, block, page);
      break;
    case BLOCK_ROW:
      if (first->page == page)
        draw_row (self, cr, block, first->y);
      break;
    case BLOCK_DRAWING:
    default:
      if (first->page == page)
        draw_drawing (self, cr, block, first->y);
      break;
    }
}

static void draw_logo (MesoDocument *self,
                       cairo_t      *cr);

static void
draw_page (MesoDocument *self,
           cairo_t      *cr,
           guint         page)
{
  if (part_of_page (self, page)->first_page == page)
    draw_logo (self, cr);
  for (guint panel = 1; panel <= self->n_panels; panel++)
    draw_panel_box (self, cr, panel, page);
  for (guint i = 0; i < self->repeats->len; i++)
    {
      const RepeatedHeader *repeat = &g_array_index (self->repeats, RepeatedHeader, i);
      const Table *table = &g_array_index (self->tables, Table, repeat->table);

      if (repeat->page == page)
        draw_row (self, cr, &g_array_index (self->blocks, Block, table->header), MARGIN);
    }
  for (guint i = 0; i < self->blocks->len; i++)
    draw_block (self, cr, &g_array_index (self->blocks, Block, i), page);
  draw_footer (self, cr, page);
}

/* librsvg and what it pulls in take longer to load than the rest of a sheet takes to
 * make, and only an SVG logo needs it: it is loaded then, once, not at every start. */
typedef struct
{
  __typeof__ (rsvg_handle_new_from_data)                *new_from_data;
  __typeof__ (rsvg_handle_get_intrinsic_size_in_pixels) *get_size;
  __typeof__ (rsvg_handle_render_document)              *render;
} Rsvg;

static const Rsvg *
load_rsvg (void)
{
  static Rsvg rsvg;
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      GModule *module = g_module_open ("librsvg-2.so.2", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gboolean ok = module != NULL
                    && g_module_symbol (module, "rsvg_handle_new_from_data",
                                        (gpointer *) &rsvg.new_from_data)
                    && g_module_symbol (module, "rsvg_handle_get_intrinsic_size_in_pixels",
                                        (gpointer *) &rsvg.get_size)
                    && g_module_symbol (module, "rsvg_handle_render_document",
                                        (gpointer *) &rsvg.render);

      if (!ok)
        {
          g_warning ("SVG logos cannot be drawn: %s", g_module_error ());
          rsvg.new_from_data = NULL;
        }
      /* Kept loaded for the life of the process. */
      g_once_init_leave (&loaded, 1);
    }
  return rsvg.new_from_data != NULL ? &rsvg : NULL;
}

typedef struct
{
  GBytes *bytes;
  gsize   offset;
} PngReader;

static cairo_status_t
read_png_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  PngReader *reader = closure;
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (reader->bytes, &size);

  if (size - reader->offset < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, bytes + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* The clinic's logo, top right, scaled into LOGO_WIDTH × LOGO_HEIGHT. A logo that cannot
 * be read is left out rather than stopping the document: the document matters more. */
static void
draw_logo (MesoDocument *self,
           cairo_t      *cr)
{
  RsvgHandle *svg = NULL;  /* librsvg 2.54 has no g_autoptr for it */
  const Rsvg *rsvg = NULL;
  cairo_surface_t *png = NULL;
  double width = 0, height = 0, scale;

  if (self->logo == NULL)
    return;
  if (g_strcmp0 (self->logo_type, MESO_CLINIC_LOGO_SVG) == 0)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (self->logo, &size);

      rsvg = load_rsvg ();
      if (rsvg == NULL)
        return;
      svg = rsvg->new_from_data (data, size, NULL);
      if (svg == NULL || !rsvg->get_size (svg, &width, &height))
        {
          g_clear_object (&svg);
          return;
        }
    }
  else
    {
      PngReader reader = { self->logo, 0 };

      png = cairo_image_surface_create_from_png_stream (read_png_cb, &reader);
      if (cairo_surface_status (png) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (png);
          return;
        }
      width = cairo_image_surface_get_width (png);
      height = cairo_image_surface_get_height (png);
    }
  if (width <= 0 || height <= 0)
    {
      g_clear_pointer (&png, cairo_surface_destroy);
      g_clear_object (&svg);
      return;
    }

  scale = MIN (LOGO_WIDTH / width, LOGO_HEIGHT / height);
  cairo_save (cr);
  cairo_translate (cr, self->width - MARGIN - width * scale, MARGIN);
  if (svg != NULL)
    {
      RsvgRectangle viewport = { 0, 0, width * scale, height * scale };

      rsvg->render (svg, cr, &viewport, NULL);
      g_object_unref (svg);
    }
  else
    {
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, png, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (png);
    }
  cairo_restore (cr);
}

/* ---- The PDF ---- */

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
set_metadata (MesoDocument    *self,
              cairo_surface_t *surface)
{
  static const cairo_pdf_metadata_t keys[] = {
    CAIRO_PDF_METADATA_TITLE, CAIRO_PDF_METADATA_AUTHOR, CAIRO_PDF_METADATA_SUBJECT,
    CAIRO_PDF_METADATA_CREATE_DATE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (self->metadata[i] != NULL)
      cairo_pdf_surface_set_metadata (surface, keys[i], self->metadata[i]);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mesocare");
}

static PangoContext *
create_context (cairo_t    *cr,
                const char *language)
{
  PangoContext *context = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted metrics: the layout is the same whatever the device. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  /* Sizes in points of the page: PangoCairo's default of 96 dpi would print "12 pt" text
   * at 16 points of the PDF. */
  pango_cairo_context_set_resolution (context, 72.0);
  /* Line breaking and hyphenation by the document's language, not the desktop's. */
  pango_context_set_language (context, pango_language_from_string (language));
  return context;
}

/**
 * meso_document_render_pdf:
 * @self: a #MesoDocument
 * @error: a #GError
 *
 * Lays the document out and draws it. Safe to call from a worker thread, for a document
 * no other thread touches.
 *
 * Returns: (transfer full): the PDF.
 */
GBytes *
meso_document_render_pdf (MesoDocument  *self,
                          GError       **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (MESO_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (self->open_table < 0, NULL);

  surface = cairo_pdf_surface_create_for_stream (append_to_byte_array, bytes,
                                                 self->width, self->height);
  set_metadata (self, surface);
  cr = cairo_create (surface);
  self->context = create_context (cr, self->language);
  self->repeats = g_array_new (FALSE, TRUE, sizeof (RepeatedHeader));

  for (guint i = 0; i < self->blocks->len; i++)
    lay_out_block (self, &g_array_index (self->blocks, Block, i));
  paginate (self);
  for (guint page = 0; page < self->n_pages; page++)
    {
      draw_page (self, cr, page);
      cairo_show_page (cr);
    }

  g_clear_pointer (&self->repeats, g_array_unref);
  g_clear_object (&self->context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      /* Cairo's own words: each caller says what it was drawing. */
      g_set_error_literal (error, MESO_ERROR, MESO_ERROR_RENDER,
                           cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* How many pages the last rendering made. */
guint
meso_document_get_n_pages (MesoDocument *self)
{
  g_return_val_if_fail (MESO_IS_DOCUMENT (self), 0);
  return self->n_pages;
}
