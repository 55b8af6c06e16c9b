/* meso-patient.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-store"

#include "config.h"

#include "meso-field.h"
#include "meso-patient.h"

/* A patient: who they are, and the flags of their latest session. */
struct _MesoPatient
{
  GObject   parent_instance;

  char     *name;
  char     *date_of_birth;
  char     *phone;
  char     *email;
  char     *language;
  char     *notes;
  gboolean  blood_thinners;
  gboolean  pregnant;
  char     *allergies;
};

G_DEFINE_FINAL_TYPE (MesoPatient, meso_patient, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_DATE_OF_BIRTH,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_LANGUAGE,
  PROP_NOTES,
  PROP_BLOOD_THINNERS,
  PROP_PREGNANT,
  PROP_ALLERGIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_patient_finalize (GObject *object)
{
  MesoPatient *self = (MesoPatient *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->date_of_birth, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->allergies, g_free);

  G_OBJECT_CLASS (meso_patient_parent_class)->finalize (object);
}

static void
meso_patient_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MesoPatient *self = (MesoPatient *) object;

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DATE_OF_BIRTH:
      g_value_set_string (value, self->date_of_birth);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_BLOOD_THINNERS:
      g_value_set_boolean (value, self->blood_thinners);
      break;
    case PROP_PREGNANT:
      g_value_set_boolean (value, self->pregnant);
      break;
    case PROP_ALLERGIES:
      g_value_set_string (value, self->allergies);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MesoPatient *self = (MesoPatient *) object;

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_DATE_OF_BIRTH:
      g_free (self->date_of_birth);
      self->date_of_birth = g_value_dup_string (value);
      break;
    case PROP_PHONE:
      g_free (self->phone);
      self->phone = g_value_dup_string (value);
      break;
    case PROP_EMAIL:
      g_free (self->email);
      self->email = g_value_dup_string (value);
      break;
    case PROP_LANGUAGE:
      g_free (self->language);
      self->language = g_value_dup_string (value);
      break;
    case PROP_NOTES:
      g_free (self->notes);
      self->notes = g_value_dup_string (value);
      break;
    case PROP_BLOOD_THINNERS:
      self->blood_thinners = g_value_get_boolean (value);
      break;
    case PROP_PREGNANT:
      self->pregnant = g_value_get_boolean (value);
      break;
    case PROP_ALLERGIES:
      g_free (self->allergies);
      self->allergies = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_patient_class_init (MesoPatientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  /* Set once, by the store that reads them: a found record, not a form. */
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = meso_patient_finalize;
  object_class->get_property = meso_patient_get_property;
  object_class->set_property = meso_patient_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DATE_OF_BIRTH] = g_param_spec_string ("date-of-birth", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_LANGUAGE] = g_param_spec_string ("language", NULL, NULL, NULL, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_BLOOD_THINNERS] = g_param_spec_boolean ("blood-thinners", NULL, NULL, FALSE, flags);
  properties[PROP_PREGNANT] = g_param_spec_boolean ("pregnant", NULL, NULL, FALSE, flags);
  properties[PROP_ALLERGIES] = g_param_spec_string ("allergies", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_patient_init (MesoPatient *self)
{
}

const char *
meso_patient_get_name (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->name;
}

const char *
meso_patient_get_date_of_birth (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->date_of_birth;
}

const char *
meso_patient_get_phone (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->phone;
}

const char *
meso_patient_get_email (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->email;
}

const char *
meso_patient_get_language (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->language;
}

const char *
meso_patient_get_notes (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->notes;
}

gboolean
meso_patient_get_blood_thinners (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), FALSE);
  return self->blood_thinners;
}

gboolean
meso_patient_get_pregnant (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), FALSE);
  return self->pregnant;
}

const char *
meso_patient_get_allergies (MesoPatient *self)
{
  g_return_val_if_fail (MESO_IS_PATIENT (self), NULL);
  return self->allergies;
}

/**
 * meso_patient_fill_session:
 * @self: a #MesoPatient
 * @session: a session being recorded for them
 *
 * Copies who the patient is and their latest flags into @session: what the form shows
 * when a patient already recorded is picked. A value that today's rules would refuse is
 * left out here and named when the session is saved.
 */
void
meso_patient_fill_session (MesoPatient *self,
                           MesoSession *session)
{
  const struct
  {
    MesoField   field;
    const char *text;
  } values[] = {
    { MESO_FIELD_PATIENT, self->name },
    { MESO_FIELD_DATE_OF_BIRTH, self->date_of_birth },
    { MESO_FIELD_PHONE, self->phone },
    { MESO_FIELD_EMAIL, self->email },
    { MESO_FIELD_LANGUAGE, self->language },
    { MESO_FIELD_PATIENT_NOTES, self->notes },
    { MESO_FIELD_BLOOD_THINNERS, self->blood_thinners ? "yes" : "no" },
    { MESO_FIELD_PREGNANT, self->pregnant ? "yes" : "no" },
    { MESO_FIELD_ALLERGIES, self->allergies },
  };

  g_return_if_fail (MESO_IS_PATIENT (self));
  g_return_if_fail (MESO_IS_SESSION (session));

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    meso_session_set_field_text (session, values[i].field,
                                 values[i].text != NULL ? values[i].text : "", NULL);
}
