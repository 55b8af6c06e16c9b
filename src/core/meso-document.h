/* meso-document.h: pages for print, shared by the aftercare sheet, the reports and the
 * recall letters: margins, a header on the first page, a footer with "Page N of M" on
 * every page, blocks kept whole, text that breaks between lines, boxed panels, tables
 * whose rows never split, and drawings (a chart, a logo) made by a Cairo callback
 *
 * In the renderer's library (mesocare-sheet), not the core: Cairo and Pango.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "meso-paper.h"

G_BEGIN_DECLS

/* Sizes are in PostScript points (1/72 inch), the unit of a PDF page. */
#define MESO_DOCUMENT_MM     (72.0 / 25.4)
#define MESO_DOCUMENT_MARGIN (15.0 * MESO_DOCUMENT_MM)  /* inside what office printers print */
#define MESO_DOCUMENT_PANEL_PAD     9.0   /* inside a panel's box */
#define MESO_DOCUMENT_BULLET_INDENT 15.0  /* the room a bullet's dot takes */

/* How a block of text looks and where it may break. A block shorter than a third of the
 * page is kept whole; a longer one may flow on between lines, never leaving one line
 * alone at a page's foot or head; a bullet is always kept whole. */
typedef struct
{
  const char *font;            /* a Pango font description: "DejaVu Sans 12" */
  double      space_before;    /* dropped at the top of a page */
  double      indent;          /* from the left margin */
  gboolean    keep_with_next;  /* a heading: never the last thing on a page */
  gboolean    bullet;          /* a dot in the indent before the first line; kept whole */
  gboolean    boxed;           /* consecutive boxed blocks are drawn in one panel */
  gboolean    beside_logo;     /* stops short of the first page's logo */
  gboolean    balanced;        /* a title on two lines: the second never one word */
} MesoTextStyle;

/* One column of a table. Widths are shares of the text's width. */
typedef struct
{
  const char *title;
  double      share;
  gboolean    numeric;         /* right-aligned, as figures are read */
} MesoTableColumn;

/* Draws into (0, 0, @width, @height) of @cr, in points. */
typedef void (*MesoDocumentDrawFunc) (cairo_t  *cr,
                                      double    width,
                                      double    height,
                                      gpointer  user_data);

#define MESO_TYPE_DOCUMENT (meso_document_get_type ())

G_DECLARE_FINAL_TYPE (MesoDocument, meso_document, MESO, DOCUMENT, GObject)

MesoDocument *meso_document_new            (MesoPaper             paper,
                                            const char           *language);
double        meso_document_get_text_width (MesoDocument         *self);

/* The clinic's logo (PNG or SVG bytes, @type as meso_clinic_get_logo_type()), top right
 * of the first page of each part; one that cannot be read is left out. */
void          meso_document_set_logo       (MesoDocument         *self,
                                            GBytes               *logo,
                                            const char           *type);
/* The footer of the current part: @left_markup on the left, @page_format (with {page}
 * and {pages}, counted within the part) on the right. */
void          meso_document_set_footer     (MesoDocument         *self,
                                            const char           *left_markup,
                                            const char           *page_format);
void          meso_document_set_metadata   (MesoDocument         *self,
                                            const char           *title,
                                            const char           *author,
                                            const char           *subject,
                                            const char           *create_date);
/* A new part starts on a new page, with its own page count and footer (a letter to
 * each patient); the first part needs no call. */
void          meso_document_start_part     (MesoDocument         *self);

void          meso_document_add_text       (MesoDocument         *self,
                                            const MesoTextStyle  *style,
                                            const char           *markup);
/* A table: its header row is repeated on every page it runs onto, and a row is never
 * split. Cells are plain text; the columns' shares should add up to 1. */
void          meso_document_begin_table    (MesoDocument         *self,
                                            const char           *font,
                                            const MesoTableColumn *columns,
                                            guint                 n_columns);
void          meso_document_add_row        (MesoDocument         *self,
                                            const char * const   *cells);
void          meso_document_end_table      (MesoDocument         *self);
/* A block of @height points drawn by @draw, across the text's width, kept whole. */
void          meso_document_add_drawing    (MesoDocument         *self,
                                            double                space_before,
                                            double                height,
                                            MesoDocumentDrawFunc  draw,
                                            gpointer              user_data,
                                            GDestroyNotify        destroy);

GBytes       *meso_document_render_pdf     (MesoDocument         *self,
                                            GError              **error);
guint         meso_document_get_n_pages    (MesoDocument         *self);

G_END_DECLS
