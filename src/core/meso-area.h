/* meso-area.h: the body areas a session can treat
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nick of each value (its id: "face", "scalp", ...) is a stable interface: it is
 * stored in the database and typed on the command line. Append only. */
typedef enum /*< flags,prefix=MESO_AREA >*/
{
  MESO_AREA_NONE        = 0,        /*< skip >*/
  MESO_AREA_FACE        = 1 << 0,   /*< nick=face >*/
  MESO_AREA_SCALP       = 1 << 1,   /*< nick=scalp >*/
  MESO_AREA_NECK        = 1 << 2,   /*< nick=neck >*/
  MESO_AREA_DECOLLETAGE = 1 << 3,   /*< nick=decolletage >*/
  MESO_AREA_ABDOMEN     = 1 << 4,   /*< nick=abdomen >*/
  MESO_AREA_FLANKS      = 1 << 5,   /*< nick=flanks >*/
  MESO_AREA_THIGHS      = 1 << 6,   /*< nick=thighs >*/
  MESO_AREA_BUTTOCKS    = 1 << 7,   /*< nick=buttocks >*/
  MESO_AREA_ARMS        = 1 << 8,   /*< nick=arms >*/
} MesoArea;

#define MESO_AREA_ALL ((MesoArea) 0x1ff)
#define MESO_N_AREAS  9

const char *meso_area_get_id       (MesoArea     area);
const char *meso_area_get_label    (MesoArea     area);
MesoArea    meso_area_from_id      (const char  *id);
gboolean    meso_areas_parse       (const char  *text,
                                    MesoArea    *out_areas,
                                    GError     **error);
char       *meso_areas_to_string   (MesoArea     areas,
                                    const char  *separator);
char       *meso_areas_to_labels   (MesoArea     areas);

/* Iterate one area at a time, in the order of the enumeration. */
#define MESO_AREA_FOREACH(var) \
  for (MesoArea var = MESO_AREA_FACE; var & MESO_AREA_ALL; var = (MesoArea) (var << 1))

G_END_DECLS
