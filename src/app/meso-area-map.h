/* meso-area-map.h: a drawn figure, front and back, where touching a region selects the
 * body area it stands for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-area.h"

G_BEGIN_DECLS

#define MESO_TYPE_AREA_MAP (meso_area_map_get_type ())

G_DECLARE_FINAL_TYPE (MesoAreaMap, meso_area_map, MESO, AREA_MAP, GtkWidget)

GtkWidget *meso_area_map_new             (void);
MesoArea   meso_area_map_get_areas       (MesoAreaMap *self);
void       meso_area_map_set_areas       (MesoAreaMap *self,
                                          MesoArea     areas);

/* In the widget's coordinates. Public for the tests and the tooltip. */
MesoArea   meso_area_map_area_at         (MesoAreaMap *self,
                                          double       x,
                                          double       y);
gboolean   meso_area_map_get_area_center (MesoAreaMap *self,
                                          MesoArea     area,
                                          double      *x,
                                          double      *y);
MesoArea   meso_area_map_toggle_at       (MesoAreaMap *self,
                                          double       x,
                                          double       y);

G_END_DECLS
