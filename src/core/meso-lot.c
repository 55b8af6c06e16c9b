/* meso-lot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include "meso-lot.h"

/* A product's lot and its expiry date (YYYY-MM-DD). */
struct _MesoLot
{
  GObject   parent_instance;

  char     *product;
  char     *number;
  char     *expiry;
};

G_DEFINE_FINAL_TYPE (MesoLot, meso_lot, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PRODUCT,
  PROP_NUMBER,
  PROP_EXPIRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_lot_finalize (GObject *object)
{
  MesoLot *self = (MesoLot *) object;

  g_clear_pointer (&self->product, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->expiry, g_free);

  G_OBJECT_CLASS (meso_lot_parent_class)->finalize (object);
}

static void
meso_lot_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MesoLot *self = (MesoLot *) object;

  switch (prop_id)
    {
    case PROP_PRODUCT:
      g_value_set_string (value, self->product);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_EXPIRY:
      g_value_set_string (value, self->expiry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_lot_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  MesoLot *self = (MesoLot *) object;

  switch (prop_id)
    {
    case PROP_PRODUCT:
      g_free (self->product);
      self->product = g_value_dup_string (value);
      break;
    case PROP_NUMBER:
      g_free (self->number);
      self->number = g_value_dup_string (value);
      break;
    case PROP_EXPIRY:
      g_free (self->expiry);
      self->expiry = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_lot_class_init (MesoLotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* Set once, by the store that reads them: a found record, not a form. */
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = meso_lot_finalize;
  object_class->get_property = meso_lot_get_property;
  object_class->set_property = meso_lot_set_property;

  properties[PROP_PRODUCT] = g_param_spec_string ("product", NULL, NULL, NULL, flags);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_EXPIRY] = g_param_spec_string ("expiry", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_lot_init (MesoLot *self)
{
}

MesoLot *
meso_lot_new (const char *product,
              const char *number,
              const char *expiry)
{
  return g_object_new (MESO_TYPE_LOT, "product", product, "number", number, "expiry", expiry,
                       NULL);
}

const char *
meso_lot_get_product (MesoLot *self)
{
  g_return_val_if_fail (MESO_IS_LOT (self), NULL);
  return self->product;
}

const char *
meso_lot_get_number (MesoLot *self)
{
  g_return_val_if_fail (MESO_IS_LOT (self), NULL);
  return self->number;
}

const char *
meso_lot_get_expiry (MesoLot *self)
{
  g_return_val_if_fail (MESO_IS_LOT (self), NULL);
  return self->expiry;
}
