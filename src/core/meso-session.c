/* meso-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-enums.h"
#include "meso-error.h"
#include "meso-session.h"
#include "meso-validate.h"

struct _MesoSession
{
  GObject    parent_instance;

  gint64     id;
  char      *patient_name;
  MesoArea   areas;
  guint      injections;
  guint      duration;
  GDateTime *performed_at;
};

G_DEFINE_FINAL_TYPE (MesoSession, meso_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PATIENT_NAME,
  PROP_AREAS,
  PROP_INJECTIONS,
  PROP_DURATION,
  PROP_PERFORMED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_session_finalize (GObject *object)
{
  MesoSession *self = (MesoSession *) object;

  g_clear_pointer (&self->patient_name, g_free);
  g_clear_pointer (&self->performed_at, g_date_time_unref);

  G_OBJECT_CLASS (meso_session_parent_class)->finalize (object);
}

static void
meso_session_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MesoSession *self = MESO_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_PATIENT_NAME:
      g_value_set_string (value, self->patient_name);
      break;
    case PROP_AREAS:
      g_value_set_flags (value, self->areas);
      break;
    case PROP_INJECTIONS:
      g_value_set_uint (value, self->injections);
      break;
    case PROP_DURATION:
      g_value_set_uint (value, self->duration);
      break;
    case PROP_PERFORMED_AT:
      g_value_set_boxed (value, self->performed_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MesoSession *self = MESO_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      meso_session_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_PATIENT_NAME:
      meso_session_set_patient_name (self, g_value_get_string (value));
      break;
    case PROP_AREAS:
      meso_session_set_areas (self, g_value_get_flags (value));
      break;
    case PROP_INJECTIONS:
      meso_session_set_injections (self, g_value_get_uint (value));
      break;
    case PROP_DURATION:
      meso_session_set_duration (self, g_value_get_uint (value));
      break;
    case PROP_PERFORMED_AT:
      meso_session_set_performed_at (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_session_class_init (MesoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_session_finalize;
  object_class->get_property = meso_session_get_property;
  object_class->set_property = meso_session_set_property;

  /* 0 until the store has saved the session. */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATIENT_NAME] =
    g_param_spec_string ("patient-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AREAS] =
    g_param_spec_flags ("areas", NULL, NULL, MESO_TYPE_AREA, MESO_AREA_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INJECTIONS] =
    g_param_spec_uint ("injections", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_uint ("duration", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERFORMED_AT] =
    g_param_spec_boxed ("performed-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_session_init (MesoSession *self)
{
}

/**
 * meso_session_new:
 *
 * Returns: (transfer full): an empty session, to be filled and validated.
 */
MesoSession *
meso_session_new (void)
{
  return g_object_new (MESO_TYPE_SESSION, NULL);
}

/**
 * meso_session_copy:
 * @self: a #MesoSession
 *
 * Sessions are handed to worker threads as copies, so that the form can go on
 * changing its own while a sheet renders.
 *
 * Returns: (transfer full): a session with the same values as @self.
 */
MesoSession *
meso_session_copy (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  return g_object_new (MESO_TYPE_SESSION,
                       "id", self->id,
                       "patient-name", self->patient_name,
                       "areas", self->areas,
                       "injections", self->injections,
                       "duration", self->duration,
                       "performed-at", self->performed_at,
                       NULL);
}

gint64
meso_session_get_id (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);
  return self->id;
}

void
meso_session_set_id (MesoSession *self,
                     gint64       id)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
meso_session_get_patient_name (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);
  return self->patient_name;
}

/**
 * meso_session_set_patient_name:
 * @self: a #MesoSession
 * @patient_name: (nullable): the name as typed
 *
 * Blanks around the name are dropped: "  Ann " and "Ann" are one patient.
 */
void
meso_session_set_patient_name (MesoSession *self,
                               const char  *patient_name)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (MESO_IS_SESSION (self));

  if (patient_name != NULL)
    trimmed = g_strstrip (g_strdup (patient_name));
  if (g_strcmp0 (self->patient_name, trimmed) == 0)
    return;
  g_free (self->patient_name);
  self->patient_name = g_steal_pointer (&trimmed);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATIENT_NAME]);
}

MesoArea
meso_session_get_areas (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), MESO_AREA_NONE);
  return self->areas;
}

void
meso_session_set_areas (MesoSession *self,
                        MesoArea     areas)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->areas == areas)
    return;
  self->areas = areas;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREAS]);
}

guint
meso_session_get_injections (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);
  return self->injections;
}

void
meso_session_set_injections (MesoSession *self,
                             guint        injections)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->injections == injections)
    return;
  self->injections = injections;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INJECTIONS]);
}

guint
meso_session_get_duration (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), 0);
  return self->duration;
}

void
meso_session_set_duration (MesoSession *self,
                           guint        minutes)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->duration == minutes)
    return;
  self->duration = minutes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

/**
 * meso_session_get_performed_at:
 * @self: a #MesoSession
 *
 * Returns: (transfer none) (nullable): when the session took place; %NULL until set
 *   (the store stamps the current time on save).
 */
GDateTime *
meso_session_get_performed_at (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);
  return self->performed_at;
}

void
meso_session_set_performed_at (MesoSession *self,
                               GDateTime   *performed_at)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->performed_at == performed_at
      || (self->performed_at != NULL && performed_at != NULL
          && g_date_time_equal (self->performed_at, performed_at)))
    return;
  g_clear_pointer (&self->performed_at, g_date_time_unref);
  if (performed_at != NULL)
    self->performed_at = g_date_time_ref (performed_at);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERFORMED_AT]);
}

/**
 * meso_session_validate:
 * @self: a #MesoSession
 * @error: a #GError in %MESO_ERROR; meso_error_get_field() tells which field
 *
 * The one place where a session is checked before it is stored. Fields are checked
 * in the order of the form, so the first error is the first field to fix.
 */
gboolean
meso_session_validate (MesoSession *self,
                       GError     **error)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  if (!meso_validate_patient_name (self->patient_name, error))
    return FALSE;

  return meso_validate_areas (self->areas, error)
         && meso_validate_injections (self->injections, error)
         && meso_validate_duration (self->duration, error);
}
