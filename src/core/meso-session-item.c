/* meso-session-item.c
 *
 * A list of a million sessions hands out items before their rows are read: an item
 * is a place in the list whose session arrives later, announced by notify::session.
 * A view binds the item once and follows that signal, so scrolling never waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include "meso-session-item.h"

struct _MesoSessionItem
{
  GObject      parent_instance;

  guint        position;
  MesoSession *session;
};

G_DEFINE_FINAL_TYPE (MesoSessionItem, meso_session_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_session_item_finalize (GObject *object)
{
  MesoSessionItem *self = MESO_SESSION_ITEM (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (meso_session_item_parent_class)->finalize (object);
}

static void
meso_session_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoSessionItem *self = MESO_SESSION_ITEM (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_item_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoSessionItem *self = MESO_SESSION_ITEM (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      self->position = g_value_get_uint (value);
      break;
    case PROP_SESSION:
      meso_session_item_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_item_class_init (MesoSessionItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_session_item_finalize;
  object_class->get_property = meso_session_item_get_property;
  object_class->set_property = meso_session_item_set_property;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* NULL until the row has been read. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, MESO_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_session_item_init (MesoSessionItem *self)
{
}

/**
 * meso_session_item_new:
 * @position: its place in the list, from 0
 *
 * Returns: (transfer full): an item whose session is yet to come.
 */
MesoSessionItem *
meso_session_item_new (guint position)
{
  return g_object_new (MESO_TYPE_SESSION_ITEM, "position", position, NULL);
}

guint
meso_session_item_get_position (MesoSessionItem *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_ITEM (self), 0);
  return self->position;
}

/**
 * meso_session_item_get_session:
 * @self: a #MesoSessionItem
 *
 * Returns: (transfer none) (nullable): the session, or %NULL while it is being read.
 */
MesoSession *
meso_session_item_get_session (MesoSessionItem *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_ITEM (self), NULL);
  return self->session;
}

/* Notifies only a real change: a refresh that reads the same row again redraws
 * nothing. */
void
meso_session_item_set_session (MesoSessionItem *self,
                               MesoSession     *session)
{
  g_return_if_fail (MESO_IS_SESSION_ITEM (self));
  g_return_if_fail (session == NULL || MESO_IS_SESSION (session));

  if (self->session == session
      || (self->session != NULL && session != NULL
          && meso_session_get_amended (self->session) == meso_session_get_amended (session)
          && meso_session_equal (self->session, session)))
    return;
  g_set_object (&self->session, session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* The session's id, or 0 while it is being read. */
gint64
meso_session_item_get_id (MesoSessionItem *self)
{
  g_return_val_if_fail (MESO_IS_SESSION_ITEM (self), 0);
  return self->session != NULL ? meso_session_get_id (self->session) : 0;
}
