/* meso-practitioner.c
 *
 * A practitioner is known by their name: it is what every session recorded with them
 * keeps, so it is given once, at construction, and never changes. Their role and
 * registration number may; "active" says whether the form offers them (listed, and
 * still practising here).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-practitioner"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-field.h"
#include "meso-practitioner.h"

struct _MesoPractitioner
{
  GObject   parent_instance;

  char     *name;
  char     *role;
  char     *registration;
  gboolean  active;
};

G_DEFINE_FINAL_TYPE (MesoPractitioner, meso_practitioner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ROLE,
  PROP_REGISTRATION,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_practitioner_finalize (GObject *object)
{
  MesoPractitioner *self = (MesoPractitioner *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->registration, g_free);

  G_OBJECT_CLASS (meso_practitioner_parent_class)->finalize (object);
}

static void
meso_practitioner_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoPractitioner *self = MESO_PRACTITIONER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    case PROP_REGISTRATION:
      g_value_set_string (value, self->registration);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_practitioner_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoPractitioner *self = MESO_PRACTITIONER (object);

  switch (prop_id)
    {
    case PROP_NAME:
      /* Blanks around a name are no part of it: "Dr Roux " is Dr Roux. */
      self->name = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      if (g_utf8_validate (self->name, -1, NULL))
        g_strstrip (self->name);
      break;
    case PROP_ROLE:
      meso_practitioner_set_role (self, g_value_get_string (value));
      break;
    case PROP_REGISTRATION:
      meso_practitioner_set_registration (self, g_value_get_string (value));
      break;
    case PROP_ACTIVE:
      meso_practitioner_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_practitioner_class_init (MesoPractitionerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_practitioner_finalize;
  object_class->get_property = meso_practitioner_get_property;
  object_class->set_property = meso_practitioner_set_property;

  /**
   * MesoPractitioner:name:
   *
   * The name every session recorded with them keeps; never changed.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * MesoPractitioner:role:
   *
   * Such as physician or nurse; %NULL when not given.
   */
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MesoPractitioner:registration:
   *
   * Their professional registration number; %NULL when not given.
   */
  properties[PROP_REGISTRATION] =
    g_param_spec_string ("registration", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MesoPractitioner:active:
   *
   * Whether the session form offers them: on the clinic's list and still practising.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_practitioner_init (MesoPractitioner *self)
{
  self->active = TRUE;
}

/**
 * meso_practitioner_new:
 * @name: their name, as sessions will show it
 *
 * Returns: (transfer full): an active practitioner with no role or registration yet.
 */
MesoPractitioner *
meso_practitioner_new (const char *name)
{
  return g_object_new (MESO_TYPE_PRACTITIONER, "name", name, NULL);
}

/**
 * meso_practitioner_copy:
 * @self: a #MesoPractitioner
 *
 * Returns: (transfer full): a new practitioner with the same name, role, registration
 *   number and active state, for another thread to keep.
 */
MesoPractitioner *
meso_practitioner_copy (MesoPractitioner *self)
{
  MesoPractitioner *copy;

  g_return_val_if_fail (MESO_IS_PRACTITIONER (self), NULL);

  copy = meso_practitioner_new (self->name);
  copy->role = g_strdup (self->role);
  copy->registration = g_strdup (self->registration);
  copy->active = self->active;
  return copy;
}

const char *
meso_practitioner_get_name (MesoPractitioner *self)
{
  g_return_val_if_fail (MESO_IS_PRACTITIONER (self), NULL);
  return self->name;
}

const char *
meso_practitioner_get_role (MesoPractitioner *self)
{
  g_return_val_if_fail (MESO_IS_PRACTITIONER (self), NULL);
  return self->role;
}

/* Text kept without the blanks around it; blank text is no value. */
static gboolean
set_text (char       **member,
          const char  *text)
{
  g_autofree char *trimmed = g_strdup (text != NULL ? text : "");

  if (g_utf8_validate (trimmed, -1, NULL))
    g_strstrip (trimmed);
  if (*trimmed == '\0')
    g_clear_pointer (&trimmed, g_free);
  if (g_strcmp0 (*member, trimmed) == 0)
    return FALSE;
  g_free (*member);
  *member = g_steal_pointer (&trimmed);
  return TRUE;
}

/**
 * meso_practitioner_set_role:
 * @self: a #MesoPractitioner
 * @role: (nullable): such as physician or nurse; %NULL or "" for none
 */
void
meso_practitioner_set_role (MesoPractitioner *self,
                            const char       *role)
{
  g_return_if_fail (MESO_IS_PRACTITIONER (self));

  if (set_text (&self->role, role))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

const char *
meso_practitioner_get_registration (MesoPractitioner *self)
{
  g_return_val_if_fail (MESO_IS_PRACTITIONER (self), NULL);
  return self->registration;
}

/**
 * meso_practitioner_set_registration:
 * @self: a #MesoPractitioner
 * @registration: (nullable): their registration number; %NULL or "" for none
 */
void
meso_practitioner_set_registration (MesoPractitioner *self,
                                    const char       *registration)
{
  g_return_if_fail (MESO_IS_PRACTITIONER (self));

  if (set_text (&self->registration, registration))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION]);
}

gboolean
meso_practitioner_get_active (MesoPractitioner *self)
{
  g_return_val_if_fail (MESO_IS_PRACTITIONER (self), FALSE);
  return self->active;
}

void
meso_practitioner_set_active (MesoPractitioner *self,
                              gboolean          active)
{
  g_return_if_fail (MESO_IS_PRACTITIONER (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/**
 * meso_practitioner_validate:
 * @self: a #MesoPractitioner
 * @error: a #GError naming the field
 *
 * The rules of the session form's fields (meso-field.c): a name of one line and at most
 * 200 characters, which is required here; a role and a registration number of one line.
 */
gboolean
meso_practitioner_validate (MesoPractitioner  *self,
                            GError           **error)
{
  g_return_val_if_fail (MESO_IS_PRACTITIONER (self), FALSE);

  if (*self->name == '\0')
    {
      /* Translators: a validation message: the field's name, then what is wrong with it */
      meso_set_field_error (error, MESO_FIELD_PRACTITIONER, MESO_CHECK_REQUIRED, _("%s: %s"),
                            meso_field_get_label (MESO_FIELD_PRACTITIONER),
                            _("give the practitioner’s name"));
      return FALSE;
    }
  return meso_field_check_text (MESO_FIELD_PRACTITIONER, self->name, error)
         && meso_field_check_text (MESO_FIELD_PRACTITIONER_ROLE, self->role, error)
         && meso_field_check_text (MESO_FIELD_PRACTITIONER_REGISTRATION, self->registration,
                                   error);
}
