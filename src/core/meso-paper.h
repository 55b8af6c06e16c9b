/* meso-paper.h: the paper a sheet is printed on
 *
 * Apart from the sheet itself so that what only chooses the paper (the settings, the
 * command line) does not need the renderer, nor Cairo and Pango with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum /*< prefix=MESO_PAPER >*/
{
  MESO_PAPER_A4,     /*< nick=a4 >*/
  MESO_PAPER_LETTER, /*< nick=letter >*/
} MesoPaper;

MesoPaper  meso_paper_get_default     (void);
gboolean   meso_paper_from_id         (const char   *id,
                                       MesoPaper    *out_paper);

G_END_DECLS
