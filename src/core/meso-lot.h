/* meso-lot.h: a product's lot, as offered again on the form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MESO_TYPE_LOT (meso_lot_get_type ())

G_DECLARE_FINAL_TYPE (MesoLot, meso_lot, MESO, LOT, GObject)

MesoLot    *meso_lot_new         (const char *product,
                                  const char *number,
                                  const char *expiry);
const char *meso_lot_get_product (MesoLot    *self);
const char *meso_lot_get_number  (MesoLot    *self);
const char *meso_lot_get_expiry  (MesoLot    *self);

G_END_DECLS
