/* meso-paper.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-paper"

#include "config.h"

#include <langinfo.h>

#include "meso-paper.h"

/**
 * meso_paper_get_default:
 *
 * Returns: the paper of the locale (LC_PAPER): US Letter where the locale says so (216
 *   mm wide), A4 elsewhere.
 */
MesoPaper
meso_paper_get_default (void)
{
#ifdef _NL_PAPER_WIDTH
  union { char *string; unsigned int word; } width;

  width.string = nl_langinfo (_NL_PAPER_WIDTH);
  if (width.word == 216)
    return MESO_PAPER_LETTER;
#endif
  return MESO_PAPER_A4;
}

gboolean
meso_paper_from_id (const char *id,
                    MesoPaper  *out_paper)
{
  if (g_strcmp0 (id, "a4") == 0)
    *out_paper = MESO_PAPER_A4;
  else if (g_strcmp0 (id, "letter") == 0)
    *out_paper = MESO_PAPER_LETTER;
  else
    return FALSE;
  return TRUE;
}
