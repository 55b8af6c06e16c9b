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
  /* One for each field, in the order of the form. */
  PROP_PATIENT_NAME,
  PROP_AREAS,
  PROP_INJECTIONS,
  PROP_DURATION,
  PROP_PERFORMED_AT,
  PROP_DATE_OF_BIRTH,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_LANGUAGE,
  PROP_BLOOD_THINNERS,
  PROP_PREGNANT,
  PROP_ALLERGIES,
  PROP_PATIENT_NOTES,
  PROP_PRACTITIONER,
  PROP_PRACTITIONER_ROLE,
  PROP_PRACTITIONER_REGISTRATION,
  PROP_INDICATION,
  PROP_TECHNIQUE,
  PROP_PRODUCT,
  PROP_LOT,
  PROP_LOT_EXPIRY,
  PROP_VOLUME_UL,
  PROP_SESSION_NUMBER,
  PROP_SERIES_TOTAL,
  PROP_NEXT_SESSION,
  PROP_REACTIONS,
  PROP_INSTRUCTIONS,
  PROP_NOTES,
  PROP_PREGNANCY_OVERRIDE,
  /* Set by the store. */
  PROP_VOIDED,
  PROP_VOID_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The field behind each property, read and written through the field table. */
static const MesoField prop_fields[N_PROPS] = {
  [PROP_PATIENT_NAME] = MESO_FIELD_PATIENT,
  [PROP_AREAS] = MESO_FIELD_AREAS,
  [PROP_INJECTIONS] = MESO_FIELD_INJECTIONS,
  [PROP_DURATION] = MESO_FIELD_DURATION,
  [PROP_PERFORMED_AT] = MESO_FIELD_DATE,
  [PROP_DATE_OF_BIRTH] = MESO_FIELD_DATE_OF_BIRTH,
  [PROP_PHONE] = MESO_FIELD_PHONE,
  [PROP_EMAIL] = MESO_FIELD_EMAIL,
  [PROP_LANGUAGE] = MESO_FIELD_LANGUAGE,
  [PROP_BLOOD_THINNERS] = MESO_FIELD_BLOOD_THINNERS,
  [PROP_PREGNANT] = MESO_FIELD_PREGNANT,
  [PROP_ALLERGIES] = MESO_FIELD_ALLERGIES,
  [PROP_PATIENT_NOTES] = MESO_FIELD_PATIENT_NOTES,
  [PROP_PRACTITIONER] = MESO_FIELD_PRACTITIONER,
  [PROP_PRACTITIONER_ROLE] = MESO_FIELD_PRACTITIONER_ROLE,
  [PROP_PRACTITIONER_REGISTRATION] = MESO_FIELD_PRACTITIONER_REGISTRATION,
  [PROP_INDICATION] = MESO_FIELD_INDICATION,
  [PROP_TECHNIQUE] = MESO_FIELD_TECHNIQUE,
  [PROP_PRODUCT] = MESO_FIELD_PRODUCT,
  [PROP_LOT] = MESO_FIELD_LOT,
  [PROP_LOT_EXPIRY] = MESO_FIELD_EXPIRY,
  [PROP_VOLUME_UL] = MESO_FIELD_VOLUME,
  [PROP_SESSION_NUMBER] = MESO_FIELD_SESSION_NUMBER,
  [PROP_SERIES_TOTAL] = MESO_FIELD_SERIES_TOTAL,
  [PROP_NEXT_SESSION] = MESO_FIELD_NEXT_SESSION,
  [PROP_REACTIONS] = MESO_FIELD_REACTIONS,
  [PROP_INSTRUCTIONS] = MESO_FIELD_INSTRUCTIONS,
  [PROP_NOTES] = MESO_FIELD_NOTES,
  [PROP_PREGNANCY_OVERRIDE] = MESO_FIELD_PREGNANCY_OVERRIDE,
};

/* The inverse, filled in once by class_init. */
static GParamSpec *field_pspecs[MESO_N_FIELDS];

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
  g_clear_pointer (&self->unknown_values, g_hash_table_unref);

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
    case PROP_VOIDED:
      g_value_set_boolean (value, self->voided);
      break;
    case PROP_VOID_REASON:
      g_value_set_string (value, self->void_reason);
      break;
    default:
      if (prop_id < N_PROPS && prop_fields[prop_id] != MESO_FIELD_NONE)
        meso_field_get_value (self, prop_fields[prop_id], value);
      else
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
    default:
      if (prop_id < N_PROPS && prop_fields[prop_id] != MESO_FIELD_NONE)
        meso_field_set_value (self, prop_fields[prop_id], value);
      else
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define PARAM_FLAGS (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static GParamSpec *
text_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL, PARAM_FLAGS);
}

static GParamSpec *
count_property (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0, PARAM_FLAGS);
}

static GParamSpec *
yes_no_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE, PARAM_FLAGS);
}

static void
meso_session_class_init (MesoSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = meso_session_finalize;
  object_class->get_property = meso_session_get_property;
  object_class->set_property = meso_session_set_property;

  /* 0 until the store has saved the session. */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, PARAM_FLAGS);

  /* The fields, as stored: %NULL or 0 for "not recorded". Written through a property,
   * a value is taken as it is, unchecked: meso_session_validate() checks it later. */
  properties[PROP_PATIENT_NAME] = text_property ("patient-name");
  properties[PROP_AREAS] = g_param_spec_flags ("areas", NULL, NULL, MESO_TYPE_AREA,
                                               MESO_AREA_NONE, PARAM_FLAGS);
  properties[PROP_INJECTIONS] = count_property ("injections");
  properties[PROP_DURATION] = count_property ("duration");
  properties[PROP_PERFORMED_AT] = g_param_spec_boxed ("performed-at", NULL, NULL,
                                                      G_TYPE_DATE_TIME, PARAM_FLAGS);
  properties[PROP_DATE_OF_BIRTH] = text_property ("date-of-birth");
  properties[PROP_PHONE] = text_property ("phone");
  properties[PROP_EMAIL] = text_property ("email");
  properties[PROP_LANGUAGE] = text_property ("language");
  properties[PROP_BLOOD_THINNERS] = yes_no_property ("blood-thinners");
  properties[PROP_PREGNANT] = yes_no_property ("pregnant");
  properties[PROP_ALLERGIES] = text_property ("allergies");
  properties[PROP_PATIENT_NOTES] = text_property ("patient-notes");
  properties[PROP_PRACTITIONER] = text_property ("practitioner");
  properties[PROP_PRACTITIONER_ROLE] = text_property ("practitioner-role");
  properties[PROP_PRACTITIONER_REGISTRATION] = text_property ("practitioner-registration");
  properties[PROP_INDICATION] = text_property ("indication");
  properties[PROP_TECHNIQUE] = text_property ("technique");
  properties[PROP_PRODUCT] = text_property ("product");
  properties[PROP_LOT] = text_property ("lot");
  properties[PROP_LOT_EXPIRY] = text_property ("lot-expiry");
  properties[PROP_VOLUME_UL] = count_property ("volume-ul");  /* microlitres */
  properties[PROP_SESSION_NUMBER] = count_property ("session-number");
  properties[PROP_SERIES_TOTAL] = count_property ("series-total");
  properties[PROP_NEXT_SESSION] = text_property ("next-session");
  properties[PROP_REACTIONS] = g_param_spec_flags ("reactions", NULL, NULL, MESO_TYPE_REACTION,
                                                   0, PARAM_FLAGS);
  properties[PROP_INSTRUCTIONS] = text_property ("instructions");
  properties[PROP_NOTES] = text_property ("notes");
  properties[PROP_PREGNANCY_OVERRIDE] = yes_no_property ("pregnancy-override");

  /* Set by the store, with meso_session_set_voided(). */
  properties[PROP_VOIDED] =
    g_param_spec_boolean ("voided", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOID_REASON] =
    g_param_spec_string ("void-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  for (guint prop = 1; prop < N_PROPS; prop++)
    if (prop_fields[prop] != MESO_FIELD_NONE)
      field_pspecs[prop_fields[prop]] = properties[prop];
}

static void
meso_session_init (MesoSession *self)
{
  self->amendments_read = -1;
}

void
meso_session_notify_field (MesoSession *self,
                           MesoField    field)
{
  g_return_if_fail (field > MESO_FIELD_NONE && field < MESO_N_FIELDS);
  g_return_if_fail (field_pspecs[field] != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), field_pspecs[field]);
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
 * changing its own while a sheet renders. A copy remembers what its original was read
 * with, as an amendment made from it is checked against (meso_store_amend_session()).
 *
 * Returns: (transfer full): a session with the same values as @self.
 */
MesoSession *
meso_session_copy (MesoSession *self)
{
  MesoSession *copy;

  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  copy = meso_session_new ();
  meso_session_set_id (copy, self->id);
  MESO_FIELD_FOREACH (field)
    meso_field_copy_value (field, copy, self);
  copy->amended = self->amended;
  copy->amendments_read = self->amendments_read;
  meso_session_set_voided (copy, self->void_reason);
  if (self->unknown_values != NULL)
    {
      GHashTableIter iter;
      gpointer field, raw;

      g_hash_table_iter_init (&iter, self->unknown_values);
      while (g_hash_table_iter_next (&iter, &field, &raw))
        meso_session_set_unknown_value (copy, GPOINTER_TO_UINT (field), raw);
    }
  return copy;
}

/**
 * meso_session_set_unknown_value:
 * @self: a #MesoSession
 * @field: the field whose stored value could not be read
 * @raw: (nullable): the value as it is stored
 *
 * For the store: @field holds a value this version does not know (an id a newer
 * Mesocare wrote, or a row changed by hand). The session is still read, the field left
 * "not recorded", and the value kept so that it is shown as unknown, never dropped
 * silently.
 */
void
meso_session_set_unknown_value (MesoSession *self,
                                MesoField    field,
                                const char  *raw)
{
  g_return_if_fail (MESO_IS_SESSION (self));

  if (self->unknown_values == NULL)
    self->unknown_values = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_hash_table_replace (self->unknown_values, GUINT_TO_POINTER (field),
                        g_strdup (raw != NULL ? raw : ""));
}

/**
 * meso_session_get_unknown_value:
 * @self: a #MesoSession
 * @field: a field
 *
 * Returns: (nullable): the stored value of @field this version could not read, or %NULL
 *   when it read it (see meso_session_set_unknown_value()).
 */
const char *
meso_session_get_unknown_value (MesoSession *self,
                                MesoField    field)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);

  if (self->unknown_values == NULL)
    return NULL;
  return g_hash_table_lookup (self->unknown_values, GUINT_TO_POINTER (field));
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
  /* What was read of another session says nothing of this one. */
  self->amendments_read = -1;
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

/* Whether one of @problems is about @field. */
static gboolean
names_field (GPtrArray *problems,
             MesoField  field)
{
  for (guint i = 0; i < problems->len; i++)
    if (meso_error_get_field (g_ptr_array_index (problems, i)) == field)
      return TRUE;
  return FALSE;
}

static void
add_problem (GPtrArray *problems,
             GError    *error)
{
  g_ptr_array_add (problems, error);
}

/* The rules between fields, each looked at once its fields are valid on their own. */
static void
check_together (MesoSession *self,
                GPtrArray   *problems)
{
  g_autoptr(GDate) day = session_day (self);
  GError *error = NULL;

  if (self->lot_expiry != NULL && !names_field (problems, MESO_FIELD_EXPIRY))
    {
      char day_text[11];

      g_date_strftime (day_text, sizeof day_text, "%Y-%m-%d", day);
      if (meso_lot_is_expired (self->lot_expiry, day_text))
        {
          meso_set_field_error (&error, MESO_FIELD_EXPIRY, MESO_CHECK_EXPIRED,
                                _("%s: the lot expired on %s, before the session"),
                                meso_field_get_label (MESO_FIELD_EXPIRY), self->lot_expiry);
          add_problem (problems, g_steal_pointer (&error));
        }
    }

  if (self->next_session != NULL && !names_field (problems, MESO_FIELD_NEXT_SESSION))
    {
      g_autoptr(GDate) next = date_from_text (self->next_session);

      if (g_date_compare (next, day) <= 0)
        {
          meso_set_field_error (&error, MESO_FIELD_NEXT_SESSION, MESO_CHECK_INCONSISTENT,
                                _("%s: %s is not after this session"),
                                meso_field_get_label (MESO_FIELD_NEXT_SESSION),
                                self->next_session);
          add_problem (problems, g_steal_pointer (&error));
        }
    }

  if (self->date_of_birth != NULL && !names_field (problems, MESO_FIELD_DATE_OF_BIRTH))
    {
      g_autoptr(GDate) birth = date_from_text (self->date_of_birth);

      if (g_date_compare (birth, day) > 0)
        {
          meso_set_field_error (&error, MESO_FIELD_DATE_OF_BIRTH, MESO_CHECK_INCONSISTENT,
                                _("%s: %s is after the session"),
                                meso_field_get_label (MESO_FIELD_DATE_OF_BIRTH),
                                self->date_of_birth);
          add_problem (problems, g_steal_pointer (&error));
        }
    }

  if (self->session_number > 0 && self->series_total > 0
      && self->session_number > self->series_total
      && !names_field (problems, MESO_FIELD_SESSION_NUMBER)
      && !names_field (problems, MESO_FIELD_SERIES_TOTAL))
    {
      meso_set_field_error (&error, MESO_FIELD_SESSION_NUMBER, MESO_CHECK_INCONSISTENT,
                            _("%s: session %u of a series of %u is not possible"),
                            meso_field_get_label (MESO_FIELD_SESSION_NUMBER),
                            self->session_number, self->series_total);
      add_problem (problems, g_steal_pointer (&error));
    }

  if ((self->reactions & MESO_REACTION_NONE) && self->reactions != MESO_REACTION_NONE
      && !names_field (problems, MESO_FIELD_REACTIONS))
    {
      meso_set_field_error (&error, MESO_FIELD_REACTIONS, MESO_CHECK_INCONSISTENT,
                            _("%s: “none” cannot go with a reaction"),
                            meso_field_get_label (MESO_FIELD_REACTIONS));
      add_problem (problems, g_steal_pointer (&error));
    }

  if (self->pregnant && !self->pregnancy_override
      && !names_field (problems, MESO_FIELD_PREGNANT)
      && !names_field (problems, MESO_FIELD_PREGNANCY_OVERRIDE))
    {
      meso_set_field_error (&error, MESO_FIELD_PREGNANCY_OVERRIDE, MESO_CHECK_NOT_CONFIRMED,
                            _("%s: the patient is pregnant or breastfeeding; the practitioner "
                              "must confirm this session explicitly"),
                            meso_field_get_label (MESO_FIELD_PREGNANCY_OVERRIDE));
      add_problem (problems, g_steal_pointer (&error));
    }
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
 * meso_session_list_problems:
 * @self: a #MesoSession
 * @problems: (element-type GError): where each problem found is added, a #GError in
 *   %MESO_ERROR whose meso_error_get_field() tells which field it is about
 *
 * The one place where a session is checked before it is stored: each field against its
 * own rules (through its canonical text, so exactly as the command line and the import
 * check it), in the order of the fields, then the rules between fields. Every problem is
 * listed, not only the first, so that a form can show them all at once. A field that
 * @problems already names (a value that could not even be read into @self) is not
 * looked at again.
 *
 * Returns: %TRUE when @problems is (still) empty: the session may be stored.
 */
gboolean
meso_session_list_problems (MesoSession *self,
                            GPtrArray   *problems)
{
  GError *error = NULL;

  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (problems != NULL, FALSE);

  /* A new session is stamped when it is saved; a saved one keeps a date for good. */
  if (self->id != 0 && self->performed_at == NULL && !names_field (problems, MESO_FIELD_DATE))
    {
      meso_set_field_error (&error, MESO_FIELD_DATE, MESO_CHECK_REQUIRED, _("%s: this is required"),
                            meso_field_get_label (MESO_FIELD_DATE));
      add_problem (problems, g_steal_pointer (&error));
    }

  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *text = NULL;

      if (names_field (problems, field))
        continue;
      /* An area that does not exist has no text form: its bit is looked at instead. */
      if (field == MESO_FIELD_AREAS)
        {
          if (!meso_validate_areas (self->areas, &error))
            add_problem (problems, g_steal_pointer (&error));
          continue;
        }
      text = meso_session_get_field_text (self, field);
      if (!meso_field_check_text (field, text, &error))
        add_problem (problems, g_steal_pointer (&error));
    }

  check_together (self, problems);
  return problems->len == 0;
}

/**
 * meso_session_validate:
 * @self: a #MesoSession
 * @error: a #GError in %MESO_ERROR; meso_error_get_field() tells which field
 *
 * meso_session_list_problems(), for a caller that stops at the first problem (the
 * store, before it writes).
 */
gboolean
meso_session_validate (MesoSession *self,
                       GError     **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);

  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  if (meso_session_list_problems (self, problems))
    return TRUE;
  g_propagate_error (error, g_error_copy (g_ptr_array_index (problems, 0)));
  return FALSE;
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
GETTER (gboolean, amended, amended)
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
 * meso_session_set_amended:
 * @self: a #MesoSession
 * @amended: whether the store holds amendments of it
 *
 * For the store, which knows the session's history.
 */
void
meso_session_set_amended (MesoSession *self,
                          gboolean     amended)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  self->amended = amended;
}

gint
meso_session_get_amendments_read (MesoSession *self)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), -1);
  return self->amendments_read;
}

/* @n_amendments: the amendments the store held when it read the session, or -1 */
void
meso_session_set_amendments_read (MesoSession *self,
                                  gint         n_amendments)
{
  g_return_if_fail (MESO_IS_SESSION (self));
  g_return_if_fail (n_amendments >= -1);
  self->amendments_read = n_amendments;
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

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (self->void_reason, reason) != 0)
    {
      g_free (self->void_reason);
      self->void_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOID_REASON]);
    }
  if (self->voided != (reason != NULL))
    {
      self->voided = reason != NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOIDED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
