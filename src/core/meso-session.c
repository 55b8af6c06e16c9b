/* meso-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "meso-enums.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-session-private.h"
#include "meso-validate.h"

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

  char **strings[] = {
    &self->patient_name, &self->date_of_birth, &self->phone, &self->email, &self->language,
    &self->allergies, &self->patient_notes, &self->practitioner, &self->practitioner_role,
    &self->practitioner_registration, &self->indication,
    &self->technique, &self->product, &self->lot, &self->lot_expiry, &self->next_session,
    &self->instructions, &self->notes, &self->void_reason,
  };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    g_clear_pointer (strings[i], g_free);
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
  MesoSession *copy;

  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  copy = meso_session_new ();
  copy->id = self->id;
  MESO_FIELD_FOREACH (field)
    meso_field_copy_value (field, copy, self);
  copy->voided = self->voided;
  copy->void_reason = g_strdup (self->void_reason);
  return copy;
}

/**
 * meso_session_equal:
 * @a: a #MesoSession
 * @b: a #MesoSession
 *
 * Returns: whether @a and @b have the same id and the same value in every field.
 */
gboolean
meso_session_equal (MesoSession *a,
                    MesoSession *b)
{
  g_return_val_if_fail (MESO_IS_SESSION (a) && MESO_IS_SESSION (b), FALSE);

  if (a->id != b->id || a->voided != b->voided
      || g_strcmp0 (a->void_reason, b->void_reason) != 0)
    return FALSE;
  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text_a = meso_session_get_field_text (a, field);
      g_autofree char *text_b = meso_session_get_field_text (b, field);

      if (!g_str_equal (text_a, text_b))
        return FALSE;
    }
  return TRUE;
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

static GDate *
date_from_text (const char *text)
{
  GDate *date = g_date_new ();

  /* Only called on values that passed their field's check. */
  if (!meso_validate_date (text, date))
    g_assert_not_reached ();
  return date;
}

/* The session's day in local time: today for a session not stamped yet. */
static GDate *
session_day (MesoSession *self)
{
  g_autoptr(GDateTime) local = self->performed_at != NULL
                               ? g_date_time_to_local (self->performed_at)
                               : g_date_time_new_now_local ();
  g_autofree char *text = g_date_time_format (local, "%Y-%m-%d");

  return date_from_text (text);
}

/* The rules between fields, once each field is valid on its own. */
static gboolean
validate_together (MesoSession  *self,
                   GError      **error)
{
  g_autoptr(GDate) day = session_day (self);

  if (self->lot_expiry != NULL)
    {
      char day_text[11];

      g_date_strftime (day_text, sizeof day_text, "%Y-%m-%d", day);
      if (meso_lot_is_expired (self->lot_expiry, day_text))
        {
          meso_set_field_error (error, MESO_FIELD_EXPIRY, MESO_CHECK_EXPIRED,
                                _("%s: the lot expired on %s, before the session"),
                                meso_field_get_label (MESO_FIELD_EXPIRY), self->lot_expiry);
          return FALSE;
        }
    }

  if (self->next_session != NULL)
    {
      g_autoptr(GDate) next = date_from_text (self->next_session);

      if (g_date_compare (next, day) <= 0)
        {
          meso_set_field_error (error, MESO_FIELD_NEXT_SESSION, MESO_CHECK_INCONSISTENT,
                                _("%s: %s is not after this session"),
                                meso_field_get_label (MESO_FIELD_NEXT_SESSION),
                                self->next_session);
          return FALSE;
        }
    }

  if (self->date_of_birth != NULL)
    {
      g_autoptr(GDate) birth = date_from_text (self->date_of_birth);

      if (g_date_compare (birth, day) > 0)
        {
          meso_set_field_error (error, MESO_FIELD_DATE_OF_BIRTH, MESO_CHECK_INCONSISTENT,
                                _("%s: %s is after the session"),
                                meso_field_get_label (MESO_FIELD_DATE_OF_BIRTH),
                                self->date_of_birth);
          return FALSE;
        }
    }

  if (self->session_number > 0 && self->series_total > 0
      && self->session_number > self->series_total)
    {
      meso_set_field_error (error, MESO_FIELD_SESSION_NUMBER, MESO_CHECK_INCONSISTENT,
                            _("%s: session %u of a series of %u is not possible"),
                            meso_field_get_label (MESO_FIELD_SESSION_NUMBER),
                            self->session_number, self->series_total);
      return FALSE;
    }

  if ((self->reactions & MESO_REACTION_NONE) && self->reactions != MESO_REACTION_NONE)
    {
      meso_set_field_error (error, MESO_FIELD_REACTIONS, MESO_CHECK_INCONSISTENT,
                            _("%s: “none” cannot go with a reaction"),
                            meso_field_get_label (MESO_FIELD_REACTIONS));
      return FALSE;
    }

  if (self->pregnant && !self->pregnancy_override)
    {
      meso_set_field_error (error, MESO_FIELD_PREGNANCY_OVERRIDE, MESO_CHECK_NOT_CONFIRMED,
                            _("%s: the patient is pregnant or breastfeeding; the practitioner "
                              "must confirm this session explicitly"),
                            meso_field_get_label (MESO_FIELD_PREGNANCY_OVERRIDE));
      return FALSE;
    }

  return TRUE;
}

/**
 * meso_lot_is_expired:
 * @expiry: a lot's expiry date, YYYY-MM-DD
 * @day: the day of the session, YYYY-MM-DD
 *
 * The one rule for an expired lot, for the validation and for the form's early
 * warning: a lot may be used up to and including its expiry day.
 *
 * Returns: whether the lot had expired on @day; %FALSE when either is not a date.
 */
gboolean
meso_lot_is_expired (const char *expiry,
                     const char *day)
{
  GDate expiry_date, session_date;

  if (expiry == NULL || day == NULL || !meso_validate_date (expiry, &expiry_date)
      || !meso_validate_date (day, &session_date))
    return FALSE;
  return g_date_compare (&expiry_date, &session_date) < 0;
}

/**
 * meso_session_validate:
 * @self: a #MesoSession
 * @error: a #GError in %MESO_ERROR; meso_error_get_field() tells which field
 *
 * The one place where a session is checked before it is stored: each field against its
 * own rules (through its canonical text, so exactly as the command line and the import
 * check it), in the order of the form, then the rules between fields.
 */
gboolean
meso_session_validate (MesoSession *self,
                       GError     **error)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  /* A new session is stamped when it is saved; a saved one keeps a date for good. */
  if (self->id != 0 && self->performed_at == NULL)
    {
      meso_set_field_error (error, MESO_FIELD_DATE, MESO_CHECK_REQUIRED, _("%s: this is required"),
                            meso_field_get_label (MESO_FIELD_DATE));
      return FALSE;
    }

  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = NULL;

      /* An area that does not exist has no text form: its bit is looked at instead. */
      if (field == MESO_FIELD_AREAS)
        {
          if (!meso_validate_areas (self->areas, error))
            return FALSE;
          continue;
        }
      text = meso_session_get_field_text (self, field);
      if (!meso_field_check_text (field, text, error))
        return FALSE;
    }

  return validate_together (self, error);
}

#define GETTER(type, name, member) \
  type \
  meso_session_get_##name (MesoSession *self) \
  { \
    g_return_val_if_fail (MESO_IS_SESSION (self), (type) 0); \
    return self->member; \
  }

GETTER (const char *, date_of_birth, date_of_birth)
GETTER (gboolean, blood_thinners, blood_thinners)
GETTER (gboolean, pregnant, pregnant)
GETTER (gboolean, pregnancy_override, pregnancy_override)
GETTER (const char *, practitioner, practitioner)
GETTER (const char *, indication, indication)
GETTER (const char *, technique, technique)
GETTER (const char *, product, product)
GETTER (const char *, lot, lot)
GETTER (MesoReaction, reactions, reactions)
GETTER (const char *, instructions, instructions)
GETTER (const char *, next_session, next_session)
GETTER (gboolean, voided, voided)
GETTER (const char *, void_reason, void_reason)

#undef GETTER

/**
 * meso_session_get_language:
 * @self: a #MesoSession
 *
 * Returns: the language of the patient's sheet: "en" unless recorded otherwise.
 */
const char *
meso_session_get_language (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), "en");
  return self->language != NULL ? self->language : "en";
}

/**
 * meso_session_set_voided:
 * @self: a #MesoSession
 * @reason: (nullable): why it was voided, or %NULL for a session in force
 *
 * For the store, which reads voids from their own table: a session itself is never
 * changed once saved.
 */
void
meso_session_set_voided (MesoSession *self,
                         const char  *reason)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  self->voided = reason != NULL;
  g_free (self->void_reason);
  self->void_reason = g_strdup (reason);
}
