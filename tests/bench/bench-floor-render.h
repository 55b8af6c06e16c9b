/* bench-floor-render.h: the floor of the sheet benchmarks, the least Cairo and Pango
 * can do to print a sheet's text to a PDF
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text is the sheet's as poppler reads it back: pages separated by a form feed,
 * paragraphs by an empty line, the lines of a paragraph by a newline. */
#define BENCH_PAGE_BREAK      "\f"
#define BENCH_PARAGRAPH_BREAK "\n\n"

GBytes *bench_floor_render_pdf (const char *text,
                                double      width,
                                double      height);

G_END_DECLS
