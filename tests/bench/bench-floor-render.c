/* bench-floor-render.c
 *
 * What a program that knows only Cairo and Pango would write to print the sheet's text:
 * one PDF surface in memory, one layout per paragraph in the sheet's body font, wrapped
 * to the sheet's width, one paragraph under the other. No content to choose, no
 * pagination to work out, no line placed on its own: whatever the sheet takes beyond
 * this is the cost of being a sheet.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "bench-floor-render.h"

#define FLOOR_FONT    "DejaVu Sans 12"     /* the sheet's body font */
#define MARGIN        (15.0 * 72.0 / 25.4) /* the sheet's margin, in points */
#define PARAGRAPH_GAP 3.0                  /* the sheet's space before a bullet */

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
draw_page (cairo_t                    *cr,
           PangoContext               *context,
           const PangoFontDescription *font,
           const char                 *page,
           double                      width)
{
  g_auto(GStrv) paragraphs = g_strsplit (page, BENCH_PARAGRAPH_BREAK, -1);
  double y = MARGIN;

  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_autoptr(PangoLayout) layout = pango_layout_new (context);
      int height;

      pango_layout_set_font_description (layout, font);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_width (layout, pango_units_from_double (width - 2 * MARGIN));
      pango_layout_set_text (layout, paragraphs[i], -1);
      cairo_move_to (cr, MARGIN, y);
      pango_cairo_show_layout (cr, layout);
      pango_layout_get_size (layout, NULL, &height);
      y += pango_units_to_double (height) + PARAGRAPH_GAP;
    }
}

/**
 * bench_floor_render_pdf:
 * @text: the pages, in the form of bench-floor-render.h
 * @width: the page's width, in points
 * @height: the page's height, in points
 *
 * Returns: (transfer full) (nullable): the PDF, or %NULL when Cairo failed.
 */
GBytes *
bench_floor_render_pdf (const char *text,
                        double      width,
                        double      height)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_auto(GStrv) pages = g_strsplit (text, BENCH_PAGE_BREAK, -1);
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_byte_array,
                                                                  bytes, width, height);
  cairo_t *cr = cairo_create (surface);
  PangoContext *context = pango_cairo_create_context (cr);
  PangoFontDescription *font = pango_font_description_from_string (FLOOR_FONT);
  cairo_status_t status;

  /* Sizes in points of the page, as the sheet's. */
  pango_cairo_context_set_resolution (context, 72.0);
  for (guint i = 0; pages[i] != NULL; i++)
    {
      draw_page (cr, context, font, pages[i], width);
      cairo_show_page (cr);
    }

  pango_font_description_free (font);
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
