/* meso-field.c: the table of a session's fields
 *
 * Each field is described once: its id (the command-line option, the CSV column, the key
 * in amendments and the audit log), its label for people, its kind, its bounds, and where
 * it lives in MesoSession. Reading, writing and checking a value as text all go through
 * this table, so a rule is written once for the form, the command line and the import.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-field"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "meso-field.h"
#include "meso-session-private.h"
#include "meso-validate.h"

typedef enum
{
  KIND_LINE,      /* one line of text */
  KIND_TEXT,      /* text that may span lines */
  KIND_EMAIL,     /* one line: an email address */
  KIND_PHONE,     /* one line: a phone number */
  KIND_DATE,      /* YYYY-MM-DD */
  KIND_DATE_TIME, /* ISO 8601; the session's own time */
  KIND_COUNT,     /* a whole number within bounds; 0 stored means "not recorded" */
  KIND_VOLUME,    /* millilitres with up to two decimals, stored in microlitres */
  KIND_BOOL,      /* yes / no */
  KIND_CHOICE,    /* one id of a list */
  KIND_FLAGS,     /* several ids of a list, comma-separated */
} Kind;

typedef struct
{
  MesoField          field;
  const char        *id;
  const char        *label;
  const char        *description;
  Kind               kind;
  gsize              offset;
  guint              min;       /* COUNT: lowest value; TEXT/LINE: unused */
  guint              max;       /* COUNT: highest value; TEXT/LINE: most characters */
  gboolean           required;
  gboolean           amendable;
  const char * const *choices;  /* CHOICE and FLAGS: ids, flag i being 1 << i */
} FieldInfo;

static const char * const area_ids[] = {
  "face", "scalp", "neck", "decolletage", "abdomen", "flanks", "thighs", "buttocks", "arms", NULL
};
static const char * const indication_ids[] = {
  "hair-loss", "skin-rejuvenation", "fat-reduction", "cellulite", "other", NULL
};
static const char * const technique_ids[] = { "manual", "gun", NULL };
static const char * const reaction_ids[] = {
  "none", "redness", "swelling", "bruising", "bleeding", "pain", "other", NULL
};
static const char * const language_ids[] = { "en", "fr", "es", NULL };

/* The choices' names, in the order of their ids. A language in its own words: the
 * patient may be the one to say which. Areas have theirs in meso-area.c. */
static const char * const indication_labels[] = {
  N_("Hair loss"), N_("Skin rejuvenation"), N_("Fat reduction"), N_("Cellulite"), N_("Other")
};
static const char * const technique_labels[] = { N_("By hand"), N_("With a gun") };
static const char * const reaction_labels[] = {
  N_("None seen"), N_("Redness"), N_("Swelling"), N_("Bruising"), N_("Bleeding"), N_("Pain"),
  N_("Other")
};
static const char * const language_labels[] = { "English", "Français", "Español" };

G_STATIC_ASSERT (G_N_ELEMENTS (indication_labels) + 1 == G_N_ELEMENTS (indication_ids));
G_STATIC_ASSERT (G_N_ELEMENTS (technique_labels) + 1 == G_N_ELEMENTS (technique_ids));
G_STATIC_ASSERT (G_N_ELEMENTS (reaction_labels) + 1 == G_N_ELEMENTS (reaction_ids));
G_STATIC_ASSERT (G_N_ELEMENTS (language_labels) + 1 == G_N_ELEMENTS (language_ids));

#define AT(member) G_STRUCT_OFFSET (MesoSession, member)

static const FieldInfo fields[] = {
  { MESO_FIELD_PATIENT, "patient", N_("Patient"), N_("The patient’s full name"),
    KIND_LINE, AT (patient_name), 0, MESO_PATIENT_NAME_MAX_CHARS, TRUE, TRUE, NULL },
  { MESO_FIELD_AREAS, "area", N_("Areas"), N_("Areas treated"),
    KIND_FLAGS, AT (areas), 0, 0, TRUE, TRUE, area_ids },
  { MESO_FIELD_INJECTIONS, "injections", N_("Injections"), N_("Number of injections"),
    KIND_COUNT, AT (injections), MESO_INJECTIONS_MIN, MESO_INJECTIONS_MAX, TRUE, TRUE, NULL },
  { MESO_FIELD_DURATION, "duration", N_("Duration"), N_("Duration in whole minutes"),
    KIND_COUNT, AT (duration), MESO_DURATION_MIN, MESO_DURATION_MAX, TRUE, TRUE, NULL },
  { MESO_FIELD_DATE, "date", N_("Date"), N_("When the session took place (ISO 8601)"),
    KIND_DATE_TIME, AT (performed_at), 0, 0, FALSE, TRUE, NULL },
  { MESO_FIELD_DATE_OF_BIRTH, "dob", N_("Date of birth"), N_("The patient’s date of birth"),
    KIND_DATE, AT (date_of_birth), 0, 0, FALSE, FALSE, NULL },
  { MESO_FIELD_PHONE, "phone", N_("Phone"), N_("The patient’s phone number"),
    KIND_PHONE, AT (phone), 0, 40, FALSE, FALSE, NULL },
  { MESO_FIELD_EMAIL, "email", N_("Email"), N_("The patient’s email address"),
    KIND_EMAIL, AT (email), 0, 254, FALSE, FALSE, NULL },
  { MESO_FIELD_LANGUAGE, "language", N_("Language"), N_("The language of the patient’s sheet"),
    KIND_CHOICE, AT (language), 0, 0, FALSE, FALSE, language_ids },
  { MESO_FIELD_BLOOD_THINNERS, "blood-thinners", N_("Blood thinners"),
    N_("The patient takes blood-thinning medicine"),
    KIND_BOOL, AT (blood_thinners), 0, 0, FALSE, TRUE, NULL },
  { MESO_FIELD_PREGNANT, "pregnant", N_("Pregnant or breastfeeding"),
    N_("The patient is pregnant or breastfeeding"),
    KIND_BOOL, AT (pregnant), 0, 0, FALSE, TRUE, NULL },
  { MESO_FIELD_ALLERGIES, "allergies", N_("Allergies"), N_("Known allergies"),
    KIND_LINE, AT (allergies), 0, 500, FALSE, TRUE, NULL },
  { MESO_FIELD_PATIENT_NOTES, "patient-notes", N_("Patient notes"),
    N_("Notes about the patient"),
    KIND_TEXT, AT (patient_notes), 0, 2000, FALSE, FALSE, NULL },
  { MESO_FIELD_PRACTITIONER, "practitioner", N_("Practitioner"),
    N_("Who gave the treatment"),
    KIND_LINE, AT (practitioner), 0, 200, FALSE, TRUE, NULL },
  { MESO_FIELD_PRACTITIONER_ROLE, "practitioner-role", N_("Practitioner’s role"),
    N_("The practitioner’s role, such as physician or nurse"),
    KIND_LINE, AT (practitioner_role), 0, 100, FALSE, FALSE, NULL },
  { MESO_FIELD_PRACTITIONER_REGISTRATION, "practitioner-registration",
    N_("Registration number"), N_("The practitioner’s professional registration number"),
    KIND_LINE, AT (practitioner_registration), 0, 60, FALSE, FALSE, NULL },
  { MESO_FIELD_INDICATION, "indication", N_("Indication"),
    N_("Why: hair-loss, skin-rejuvenation, fat-reduction, cellulite or other"),
    KIND_CHOICE, AT (indication), 0, 0, FALSE, TRUE, indication_ids },
  { MESO_FIELD_TECHNIQUE, "technique", N_("Technique"), N_("How: manual or gun"),
    KIND_CHOICE, AT (technique), 0, 0, FALSE, TRUE, technique_ids },
  { MESO_FIELD_PRODUCT, "product", N_("Product"), N_("The product or cocktail injected"),
    KIND_LINE, AT (product), 0, 200, FALSE, TRUE, NULL },
  { MESO_FIELD_LOT, "lot", N_("Lot"), N_("The product’s lot number"),
    KIND_LINE, AT (lot), 0, 60, FALSE, TRUE, NULL },
  { MESO_FIELD_EXPIRY, "expiry", N_("Lot expiry"), N_("The lot’s expiry date"),
    KIND_DATE, AT (lot_expiry), 0, 0, FALSE, TRUE, NULL },
  { MESO_FIELD_VOLUME, "volume", N_("Volume"), N_("Total volume injected, in millilitres"),
    KIND_VOLUME, AT (volume_ul), 10, 100000, FALSE, TRUE, NULL },
  { MESO_FIELD_SESSION_NUMBER, "session-number", N_("Session number"),
    N_("This session’s number in the series"),
    KIND_COUNT, AT (session_number), 1, 100, FALSE, TRUE, NULL },
  { MESO_FIELD_SERIES_TOTAL, "series-total", N_("Sessions planned"),
    N_("How many sessions the series has"),
    KIND_COUNT, AT (series_total), 1, 100, FALSE, TRUE, NULL },
  { MESO_FIELD_NEXT_SESSION, "next-session", N_("Next session"), N_("The next session’s date"),
    KIND_DATE, AT (next_session), 0, 0, FALSE, TRUE, NULL },
  { MESO_FIELD_REACTIONS, "reactions", N_("Reactions"),
    N_("Seen at the chair: none, redness, swelling, bruising, bleeding, pain, other"),
    KIND_FLAGS, AT (reactions), 0, 0, FALSE, TRUE, reaction_ids },
  { MESO_FIELD_INSTRUCTIONS, "instructions", N_("Instructions"),
    N_("Extra instructions for the patient, printed on the sheet"),
    KIND_TEXT, AT (instructions), 0, 2000, FALSE, TRUE, NULL },
  { MESO_FIELD_NOTES, "notes", N_("Private notes"), N_("Notes never printed on the sheet"),
    KIND_TEXT, AT (notes), 0, 4000, FALSE, TRUE, NULL },
  { MESO_FIELD_PREGNANCY_OVERRIDE, "pregnancy-override", N_("Pregnancy override"),
    N_("The practitioner confirms treating a pregnant or breastfeeding patient"),
    KIND_BOOL, AT (pregnancy_override), 0, 0, FALSE, TRUE, NULL },
  { MESO_FIELD_REASON, "reason", N_("Reason"), N_("Why the record is changed"),
    KIND_TEXT, 0, 0, 500, TRUE, FALSE, NULL },
};

#undef AT

/* %NULL for MESO_FIELD_NONE, which meso_field_from_id() gives for an id this build does
 * not know, and for any value outside the table: every caller must be ready for it. */
static const FieldInfo *
lookup (MesoField field)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].field == field)
      return &fields[i];
  return NULL;
}

/* As lookup(), and %NULL for the reason too: it describes an amendment and has no place
 * in MesoSession, so its offset means nothing. */
static const FieldInfo *
lookup_session_field (MesoField field)
{
  const FieldInfo *info = lookup (field);

  return info != NULL && info->field != MESO_FIELD_REASON ? info : NULL;
}

/**
 * meso_field_get_id:
 * @field: a field, not %MESO_FIELD_NONE
 *
 * Returns: the field's id, such as "injections".
 */
const char *
meso_field_get_id (MesoField field)
{
  const FieldInfo *info = lookup (field);

  g_return_val_if_fail (info != NULL, NULL);
  return info->id;
}

/**
 * meso_field_get_label:
 * @field: a field, not %MESO_FIELD_NONE
 *
 * Returns: the field's name for people, in the user interface's language; every
 *   validation message starts with it.
 */
const char *
meso_field_get_label (MesoField field)
{
  const FieldInfo *info = lookup (field);

  g_return_val_if_fail (info != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, info->label);
}

const char *
meso_field_get_description (MesoField field)
{
  const FieldInfo *info = lookup (field);

  g_return_val_if_fail (info != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, info->description);
}

/**
 * meso_field_from_id:
 * @id: a field id, such as "injections"
 *
 * Returns: the field, or %MESO_FIELD_NONE when @id names none.
 */
MesoField
meso_field_from_id (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].id, id) == 0)
      return fields[i].field;
  return MESO_FIELD_NONE;
}

/* Both %FALSE for a field this build does not know. */
gboolean
meso_field_is_amendable (MesoField field)
{
  const FieldInfo *info = lookup (field);

  return info != NULL && info->amendable;
}

gboolean
meso_field_is_flag (MesoField field)
{
  const FieldInfo *info = lookup (field);

  return info != NULL && info->kind == KIND_BOOL;
}

/**
 * meso_field_is_free_text:
 * @field: a field
 *
 * Returns: whether @field holds text as the user typed it (names, notes, products,
 *   email), rather than a number, a date or ids the tool writes itself. A phone number
 *   is not: its digits, "+", dashes and brackets can never call a spreadsheet function,
 *   and "+33 1 23 45 67 89" stays as clinics have always exported it.
 */
gboolean
meso_field_is_free_text (MesoField field)
{
  const FieldInfo *info = lookup (field);

  return info != NULL
         && (info->kind == KIND_LINE || info->kind == KIND_TEXT || info->kind == KIND_EMAIL);
}

/**
 * meso_field_get_choices:
 * @field: a field
 *
 * Returns: (transfer none) (nullable): the ids a field with a list of values accepts
 *   (areas, indication, technique, reactions, language), %NULL-terminated, in the order
 *   of their flags; %NULL for any other field.
 */
const char * const *
meso_field_get_choices (MesoField field)
{
  return lookup (field)->choices;
}

/**
 * meso_field_get_choice_label:
 * @field: a field with a list of values (see meso_field_get_choices())
 * @id: (nullable): one of its ids, as stored
 *
 * Returns: (transfer none): what people read for @id: an area's, indication's,
 *   technique's or reaction's name in the user interface's language, a language in its
 *   own words; @id itself when this build does not know it, "" for %NULL.
 */
const char *
meso_field_get_choice_label (MesoField   field,
                             const char *id)
{
  const char * const *ids = meso_field_get_choices (field);
  const char * const *labels = NULL;

  if (id == NULL)
    return "";
  if (field == MESO_FIELD_AREAS)
    {
      const char *label = meso_area_get_label (meso_area_from_id (id));

      return label != NULL ? label : id;
    }
  switch (field)
    {
    case MESO_FIELD_INDICATION: labels = indication_labels; break;
    case MESO_FIELD_TECHNIQUE: labels = technique_labels; break;
    case MESO_FIELD_REACTIONS: labels = reaction_labels; break;
    case MESO_FIELD_LANGUAGE: labels = language_labels; break;
    default: g_return_val_if_reached (id);
    }
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_equal (ids[i], id))
      return field == MESO_FIELD_LANGUAGE ? labels[i] : g_dgettext (GETTEXT_PACKAGE, labels[i]);
  return id;
}

static gboolean
fail (GError          **error,
      const FieldInfo  *info,
      MesoCheck         check,
      const char       *format,
      ...) G_GNUC_PRINTF (4, 5);

/* Sets a validation error whose message is "Label: what is wrong". */
static gboolean
fail (GError          **error,
      const FieldInfo  *info,
      MesoCheck         check,
      const char       *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a validation message: the field's name, then what is wrong with it */
  meso_set_field_error (error, info->field, check, _("%s: %s"),
                        g_dgettext (GETTEXT_PACKAGE, info->label), what);
  return FALSE;
}

static const char *
printable (const char *text)
{
  return g_utf8_validate (text, -1, NULL) ? text : "?";
}

static gboolean
check_text (const FieldInfo  *info,
            const char       *text,
            GError          **error)
{
  glong length;

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, info, MESO_CHECK_INVALID_TEXT, _("the text is not valid UTF-8"));
  if (!meso_validate_text_characters (text, info->kind == KIND_TEXT))
    return fail (error, info, MESO_CHECK_INVALID_TEXT,
                 info->kind == KIND_TEXT
                 ? _("the text must not contain control characters")
                 : _("the text must be on one line, without control characters"));

  length = g_utf8_strlen (text, -1);
  if (length > (glong) info->max)
    return fail (error, info, MESO_CHECK_TOO_LONG,
                 _("the text has %ld characters; at most %u are allowed"), length, info->max);

  if (info->kind == KIND_EMAIL && !meso_validate_email_address (text))
    return fail (error, info, MESO_CHECK_INVALID_FORMAT,
                 _("“%s” is not an email address (write it as name@example.org)"), text);
  if (info->kind == KIND_PHONE && !meso_validate_phone_number (text))
    return fail (error, info, MESO_CHECK_INVALID_FORMAT,
                 _("“%s” is not a phone number (write from %u to %u digits, such as "
                   "+33 1 23 45 67 89)"), text, MESO_PHONE_MIN_DIGITS, MESO_PHONE_MAX_DIGITS);
  return TRUE;
}

/**
 * meso_field_format_date:
 * @iso: a date as stored, YYYY-MM-DD
 *
 * For people to read, in every place the app shows a day: the year always in four
 * digits (a locale's "%x" may write 03/14/80), the day and month in the order and words
 * of the interface's language. Dates are stored, typed and exported in one unambiguous
 * form; only their display changes.
 *
 * Returns: (transfer full): the date to show, or a copy of @iso when it is no date.
 */
char *
meso_field_format_date (const char *iso)
{
  g_autoptr(GDateTime) day = NULL;
  GDate date;

  g_return_val_if_fail (iso != NULL, NULL);

  if (!meso_validate_date (iso, &date))
    return g_strdup (iso);
  day = g_date_time_new_utc (g_date_get_year (&date), g_date_get_month (&date),
                             g_date_get_day (&date), 0, 0, 0);
  /* Translators: a day as shown in the app, such as "14 Mar 1980"; see g_date_time_format().
   * Keep %Y, the year in four digits. */
  /* xgettext:no-c-format */
  return g_date_time_format (day, _("%-d %b %Y"));
}

/* Whether @text ends in a UTC offset ("Z", "+01:00", "-0500"): a date the tool wrote
 * (sessions are stored in UTC and exported with their offset), or one typed with it. */
static gboolean
has_offset (const char *text)
{
  gsize length = strlen (text);

  if (length > 10 && (text[length - 1] == 'Z' || text[length - 1] == 'z'))
    return TRUE;
  for (gsize i = 11; i < length; i++)
    if (text[i] == '+' || text[i] == '-')
      return TRUE;
  return FALSE;
}

/* The year-2000 rule applies to the date as it was given: "2000-01-01T00:30:00+01:00" is
 * in 2000, though it is stored in UTC as 1999-12-31T23:30:00Z. That stored form comes back
 * when the session is amended, exported and imported: a time with an offset is therefore
 * also in range when it is 2000 somewhere on Earth (UTC+14 is the earliest zone), so the
 * tool never refuses the dates it wrote itself. A bare date or a local time is taken as
 * typed. */
static gboolean
is_before_2000 (const char *text,
                GDateTime  *when)
{
  g_autoptr(GTimeZone) earliest = NULL;
  g_autoptr(GDateTime) first = NULL;

  if (g_date_time_get_year (when) >= 2000)
    return FALSE;
  if (!has_offset (text))
    return TRUE;
  earliest = g_time_zone_new_offset (14 * 3600);
  first = g_date_time_new (earliest, 2000, 1, 1, 0, 0, 0);
  return g_date_time_compare (when, first) < 0;
}

static gboolean
check_date_time (const FieldInfo  *info,
                 const char       *text,
                 GError          **error)
{
  g_autoptr(GDateTime) when = NULL;

  if (!meso_validate_date_time (text, &when))
    return fail (error, info, MESO_CHECK_INVALID_DATE,
                 _("“%s” is not a date and time (write 2026-03-14 or 2026-03-14T09:30)"),
                 printable (text));
  if (is_before_2000 (text, when))
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE, _("the date is before the year 2000"));
  if (meso_validate_is_in_future (text, when))
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE, _("the date is in the future"));
  return TRUE;
}

static gboolean
check_count (const FieldInfo  *info,
             const char       *text,
             gboolean          bounds,
             guint            *out_value,
             GError          **error)
{
  guint64 value;

  if (!meso_validate_count (text, &value) || (!bounds && value > G_MAXUINT))
    return fail (error, info, MESO_CHECK_NOT_A_NUMBER, _("“%s” is not a whole number"),
                 printable (text));
  if (bounds && (value < info->min || value > info->max))
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE,
                 _("enter a whole number from %u to %u"), info->min, info->max);
  *out_value = (guint) value;
  return TRUE;
}

static gboolean
check_volume (const FieldInfo  *info,
              const char       *text,
              guint            *out_ul,
              GError          **error)
{
  guint64 ul;

  if (!meso_validate_volume (text, &ul))
    return fail (error, info, MESO_CHECK_NOT_A_NUMBER,
                 _("“%s” is not a volume in millilitres (such as 2.5, with at most two "
                   "decimals)"), printable (text));
  if (ul < info->min || ul > info->max)
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE,
                 _("enter from 0.01 to 100 millilitres"));
  *out_ul = (guint) ul;
  return TRUE;
}

static gboolean
check_bool (const FieldInfo  *info,
            const char       *text,
            gboolean         *out_value,
            GError          **error)
{
  if (!meso_validate_yes_no (text, out_value))
    return fail (error, info, MESO_CHECK_UNKNOWN_VALUE, _("“%s” is not yes or no"),
                 printable (text));
  return TRUE;
}

static int
choice_index (const FieldInfo *info,
              const char      *id)
{
  for (int i = 0; info->choices[i] != NULL; i++)
    if (g_str_equal (info->choices[i], id))
      return i;
  return -1;
}

static gboolean
fail_unknown_choice (const FieldInfo  *info,
                     const char       *id,
                     GError          **error)
{
  g_autofree char *known = g_strjoinv (", ", (char **) info->choices);

  return fail (error, info, MESO_CHECK_UNKNOWN_VALUE, _("“%s” is not one of: %s"),
               printable (id), known);
}

static gboolean
check_flags (const FieldInfo  *info,
             const char       *text,
             guint            *out_flags,
             GError          **error)
{
  g_auto(GStrv) parts = NULL;
  guint flags = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return fail (error, info, MESO_CHECK_UNKNOWN_VALUE, _("the text is not valid UTF-8"));

  parts = g_strsplit (text, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *id = g_strstrip (parts[i]);
      int index;

      if (*id == '\0')
        {
          if (parts[1] == NULL)
            break;
          return fail (error, info, MESO_CHECK_UNKNOWN_VALUE, _("the list has an empty item"));
        }
      index = choice_index (info, id);
      if (index < 0)
        return fail_unknown_choice (info, id, error);
      flags |= 1u << index;
    }

  *out_flags = flags;
  return TRUE;
}

/* Checks @text for @info's kind and bounds, and when @out is not NULL, stores the value
 * it stands for there. An empty text is "not recorded", refused for a required field. */
static gboolean
parse_value (const FieldInfo  *info,
             const char       *text,
             gboolean          bounds,
             gpointer          out,
             GError          **error)
{
  guint number = 0;
  gboolean flag = FALSE;

  if (*text == '\0' && info->kind != KIND_BOOL)
    {
      if (info->required)
        return fail (error, info, MESO_CHECK_REQUIRED, _("this is required"));
      return TRUE;
    }

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_EMAIL:
    case KIND_PHONE:
      if (bounds)
        return check_text (info, text, error);
      /* A stored value too: text that is not UTF-8 (a damaged file) would reach the
       * screen and the sheet's layout, which expect UTF-8; it is read as unknown. */
      if (!g_utf8_validate (text, -1, NULL))
        return fail (error, info, MESO_CHECK_INVALID_TEXT, _("the text is not valid UTF-8"));
      return TRUE;
    case KIND_DATE:
      if (!meso_validate_date (text, NULL))
        return fail (error, info, MESO_CHECK_INVALID_DATE,
                     _("“%s” is not a date (write it as YYYY-MM-DD, such as 2026-03-14)"),
                     printable (text));
      return TRUE;
    case KIND_DATE_TIME:
      return bounds ? check_date_time (info, text, error) : TRUE;
    case KIND_COUNT:
      if (!check_count (info, text, bounds, &number, error))
        return FALSE;
      break;
    case KIND_VOLUME:
      if (!check_volume (info, text, &number, error))
        return FALSE;
      break;
    case KIND_BOOL:
      if (!check_bool (info, text, &flag, error))
        return FALSE;
      if (out != NULL)
        *(gboolean *) out = flag;
      return TRUE;
    case KIND_CHOICE:
      if (choice_index (info, text) < 0)
        return fail_unknown_choice (info, text, error);
      return TRUE;
    case KIND_FLAGS:
      if (!check_flags (info, text, &number, error))
        return FALSE;
      if (number == 0 && info->required)
        return fail (error, info, MESO_CHECK_REQUIRED, _("choose at least one"));
      break;
    default:
      g_assert_not_reached ();
    }

  if (out != NULL)
    *(guint *) out = number;
  return TRUE;
}

/* A character that shows nothing: any Unicode space (U+00A0 NO-BREAK
 * SPACE included) and the invisible format characters (U+200B ZERO WIDTH SPACE, U+2060
 * WORD JOINER, U+FEFF BYTE ORDER MARK). A name of only these is no name at all. */
static gboolean
is_invisible (gunichar c)
{
  return g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_FORMAT
         || c == 0x00A0 || c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

/* Blanks around a value typed are dropped; a value of nothing but invisible characters
 * is empty. Other invisible characters are kept (and an email address or a phone number
 * with a no-break space at its end is refused by its own check, never quietly mended).
 * Text that is not UTF-8 is kept as it is, for its check to refuse. */
static char *
trim (const char *text)
{
  char *trimmed = g_strdup (text != NULL ? text : "");

  if (!g_utf8_validate (trimmed, -1, NULL))
    return trimmed;
  g_strstrip (trimmed);
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    if (!is_invisible (g_utf8_get_char (p)))
      return trimmed;
  *trimmed = '\0';
  return trimmed;
}

/**
 * meso_field_check_text:
 * @field: a field
 * @text: its value as typed
 * @error: a #GError naming the field
 *
 * Returns: whether @text is a valid value of @field taken alone (rules between fields
 *   are meso_session_validate()'s).
 */
gboolean
meso_field_check_text (MesoField    field,
                       const char  *text,
                       GError     **error)
{
  const FieldInfo *info = lookup (field);
  g_autofree char *trimmed = trim (text);
  guint scratch[2];

  g_return_val_if_fail (info != NULL, FALSE);

  /* Checked as it would be stored: blanks only, visible or not, are no value. */
  return parse_value (info, trimmed, TRUE, scratch, error);
}

static char *
format_flags (const FieldInfo *info,
              guint            flags)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; info->choices[i] != NULL; i++)
    if (flags & (1u << i))
      {
        if (text->len > 0)
          g_string_append_c (text, ',');
        g_string_append (text, info->choices[i]);
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Writes @number's digits so that they end just before @end; returns where they start.
 * Counts and volumes become text millions of times in a bulk write: by hand, this costs
 * a tenth of a printf. */
static char *
write_digits (guint  number,
              char  *end)
{
  char *p = end;

  do
    *--p = (char) ('0' + number % 10);
  while ((number /= 10) > 0);
  return p;
}

static char *
format_count (guint number)
{
  char text[16];

  text[sizeof text - 1] = '\0';
  return g_strdup (write_digits (number, text + sizeof text - 1));
}

/* ---- Single fields checked by value, for callers that hold a value, not its text ---- */

gboolean
meso_validate_patient_name (const char  *name,
                            GError     **error)
{
  return meso_field_check_text (MESO_FIELD_PATIENT, name, error);
}

/**
 * meso_validate_areas:
 * @areas: the areas treated
 * @error: a #GError
 *
 * At least one area, and only areas that exist: a bit outside %MESO_AREA_ALL has no
 * text form, so it is looked for in the value itself.
 */
gboolean
meso_validate_areas (MesoArea   areas,
                     GError   **error)
{
  g_autofree char *ids = NULL;

  if ((areas & ~MESO_AREA_ALL) != 0)
    {
      meso_set_field_error (error, MESO_FIELD_AREAS, MESO_CHECK_UNKNOWN_VALUE,
                            _("%s: the session names an area that does not exist"),
                            meso_field_get_label (MESO_FIELD_AREAS));
      return FALSE;
    }
  ids = format_flags (lookup (MESO_FIELD_AREAS), areas);
  return meso_field_check_text (MESO_FIELD_AREAS, ids, error);
}

static gboolean
validate_count (MesoField   field,
                guint       value,
                GError    **error)
{
  g_autofree char *text = format_count (value);

  return meso_field_check_text (field, text, error);
}

gboolean
meso_validate_injections (guint    injections,
                          GError **error)
{
  return validate_count (MESO_FIELD_INJECTIONS, injections, error);
}

gboolean
meso_validate_duration (guint    minutes,
                        GError **error)
{
  return validate_count (MESO_FIELD_DURATION, minutes, error);
}

/* A count typed as text, blanks around it dropped, checked as its field checks it. */
static gboolean
parse_count_field (MesoField    field,
                   const char  *text,
                   guint       *out_value,
                   GError     **error)
{
  g_autofree char *trimmed = trim (text);
  guint value[2] = { 0, 0 };

  if (!parse_value (lookup (field), trimmed, TRUE, value, error))
    return FALSE;
  *out_value = value[0];
  return TRUE;
}

gboolean
meso_parse_injections (const char  *text,
                       guint       *out_injections,
                       GError     **error)
{
  return parse_count_field (MESO_FIELD_INJECTIONS, text, out_injections, error);
}

gboolean
meso_parse_duration (const char  *text,
                     guint       *out_minutes,
                     GError     **error)
{
  return parse_count_field (MESO_FIELD_DURATION, text, out_minutes, error);
}

static char *
format_volume (guint ul)
{
  char text[24];
  char *end = text + sizeof text - 1;
  char *start;

  *end = '\0';
  if (ul % 1000 == 0)
    return g_strdup (write_digits (ul / 1000, end));
  /* The tenths, and the hundredths when there are any: 1.5, 1.25, 1.05. */
  if (ul % 100 != 0)
    *--end = (char) ('0' + (ul % 100) / 10);
  *--end = (char) ('0' + (ul % 1000) / 100);
  *--end = '.';
  start = write_digits (ul / 1000, end);
  return g_strdup (start);
}

/**
 * meso_session_get_field_text:
 * @self: a #MesoSession
 * @field: a field
 *
 * Returns: (transfer full): the value in its canonical text form, the one
 *   meso_session_set_field_text() reads back to the same value; "" when not recorded.
 */
char *
meso_session_get_field_text (MesoSession *self,
                             MesoField    field)
{
  const FieldInfo *info = lookup_session_field (field);
  gpointer member;
  guint number;

  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  member = G_STRUCT_MEMBER_P (self, info->offset);

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_EMAIL:
    case KIND_PHONE:
    case KIND_DATE:
    case KIND_CHOICE:
      return g_strdup (*(char **) member != NULL ? *(char **) member : "");
    case KIND_DATE_TIME:
      if (*(GDateTime **) member == NULL)
        return g_strdup ("");
      return g_date_time_format (*(GDateTime **) member, "%Y-%m-%dT%H:%M:%S%:z");
    case KIND_COUNT:
      number = *(guint *) member;
      /* A required count keeps its 0, so that checking it says what is wrong. */
      return number == 0 && !info->required ? g_strdup ("") : format_count (number);
    case KIND_VOLUME:
      number = *(guint *) member;
      return number == 0 ? g_strdup ("") : format_volume (number);
    case KIND_BOOL:
      return g_strdup (*(gboolean *) member ? "yes" : "no");
    case KIND_FLAGS:
      return format_flags (info, *(guint *) member);
    default:
      g_assert_not_reached ();
    }
}

/* Every write to a session's field goes through these two (the date through its
 * setter), which notify the field's property when, and only when, the value changes. */
static void
write_string (MesoSession     *self,
              const FieldInfo *info,
              const char      *value)
{
  char **member = G_STRUCT_MEMBER_P (self, info->offset);
  char *old = *member;

  if (g_strcmp0 (old, value) == 0)
    return;
  *member = g_strdup (value);
  g_free (old);
  meso_session_notify_field (self, info->field);
}

/* Counts, volumes, sets of flags and yes/no answers are all kept in an int. */
static void
write_number (MesoSession     *self,
              const FieldInfo *info,
              guint            value)
{
  guint *member = G_STRUCT_MEMBER_P (self, info->offset);

  if (*member == value)
    return;
  *member = value;
  meso_session_notify_field (self, info->field);
}

static gboolean store_text (MesoSession  *self,
                            MesoField     field,
                            const char   *text,
                            gboolean      bounds,
                            GError      **error);

/**
 * meso_session_set_field_text:
 * @self: a #MesoSession
 * @field: a field
 * @text: (nullable): the value as typed; blanks around it are dropped; "" or %NULL
 *   means "not recorded"
 * @error: a #GError naming the field
 *
 * Checks @text against @field's own rules and, only when it passes, stores it: on
 * error @self is unchanged.
 */
gboolean
meso_session_set_field_text (MesoSession  *self,
                             MesoField     field,
                             const char   *text,
                             GError      **error)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);
  g_return_val_if_fail (lookup_session_field (field) != NULL, FALSE);

  if (!store_text (self, field, text, TRUE, error))
    return FALSE;
  /* A value given now replaces a stored one this version could not read. */
  if (self->unknown_values != NULL)
    g_hash_table_remove (self->unknown_values, GUINT_TO_POINTER (field));
  return TRUE;
}

/**
 * meso_field_load_text:
 * @self: a #MesoSession
 * @field: a field
 * @text: (nullable): a value as the store keeps it
 * @error: a #GError
 *
 * For the store: takes back a value written earlier, checking its form but not today's
 * bounds, so that a record stays readable whatever later versions allow. A value of a
 * field that is no field of a session here (%MESO_FIELD_NONE for one a newer version
 * added, or the reason) is left out: the amendments still show it.
 */
gboolean
meso_field_load_text (MesoSession  *self,
                      MesoField     field,
                      const char   *text,
                      GError      **error)
{
  g_return_val_if_fail (MESO_IS_SESSION (self), FALSE);

  if (lookup_session_field (field) == NULL)
    return TRUE;
  return store_text (self, field, text, FALSE, error);
}

static gboolean
store_text (MesoSession  *self,
            MesoField     field,
            const char   *text,
            gboolean      bounds,
            GError      **error)
{
  const FieldInfo *info = lookup_session_field (field);
  g_autofree char *trimmed = trim (text);
  guint value[2] = { 0, 0 };

  if (!parse_value (info, trimmed, bounds, value, error))
    return FALSE;

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_EMAIL:
    case KIND_PHONE:
    case KIND_DATE:
    case KIND_CHOICE:
      write_string (self, info, *trimmed != '\0' ? trimmed : NULL);
      break;
    case KIND_DATE_TIME:
      {
        g_autoptr(GDateTime) when = NULL;

        if (*trimmed != '\0')
          meso_validate_date_time (trimmed, &when);
        meso_session_set_performed_at (self, when);
      }
      break;
    case KIND_COUNT:
    case KIND_VOLUME:
    case KIND_FLAGS:
    case KIND_BOOL:
      write_number (self, info, value[0]);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* Copies a value as it is, valid or not: a copy of a half-filled form is the same
 * half-filled form. */
void
meso_field_copy_value (MesoField    field,
                       MesoSession *dest,
                       MesoSession *src)
{
  const FieldInfo *info = lookup_session_field (field);
  gpointer from;

  g_return_if_fail (info != NULL);

  from = G_STRUCT_MEMBER_P (src, info->offset);
  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_EMAIL:
    case KIND_PHONE:
    case KIND_DATE:
    case KIND_CHOICE:
      write_string (dest, info, *(char **) from);
      break;
    case KIND_DATE_TIME:
      meso_session_set_performed_at (dest, *(GDateTime **) from);
      break;
    case KIND_COUNT:
    case KIND_VOLUME:
    case KIND_FLAGS:
    case KIND_BOOL:
      write_number (dest, info, *(guint *) from);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * meso_field_get_value:
 * @self: a #MesoSession
 * @field: a field of a session
 * @value: a #GValue of the type of @field's property
 *
 * For the session's properties: reads @field as it is stored.
 */
void
meso_field_get_value (MesoSession *self,
                      MesoField    field,
                      GValue      *value)
{
  const FieldInfo *info = lookup_session_field (field);
  gpointer member;

  g_return_if_fail (info != NULL);

  member = G_STRUCT_MEMBER_P (self, info->offset);
  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_EMAIL:
    case KIND_PHONE:
    case KIND_DATE:
    case KIND_CHOICE:
      g_value_set_string (value, *(char **) member);
      break;
    case KIND_DATE_TIME:
      g_value_set_boxed (value, *(GDateTime **) member);
      break;
    case KIND_COUNT:
    case KIND_VOLUME:
      g_value_set_uint (value, *(guint *) member);
      break;
    case KIND_FLAGS:
      g_value_set_flags (value, *(guint *) member);
      break;
    case KIND_BOOL:
      g_value_set_boolean (value, *(gboolean *) member);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * meso_field_set_value:
 * @self: a #MesoSession
 * @field: a field of a session
 * @value: a #GValue of the type of @field's property
 *
 * For the session's properties: stores @value as it is, unchecked, as the typed
 * setters do (meso_session_validate() checks it later), and notifies when it changes.
 */
void
meso_field_set_value (MesoSession  *self,
                      MesoField     field,
                      const GValue *value)
{
  const FieldInfo *info = lookup_session_field (field);

  g_return_if_fail (info != NULL);

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_EMAIL:
    case KIND_PHONE:
    case KIND_DATE:
    case KIND_CHOICE:
      write_string (self, info, g_value_get_string (value));
      break;
    case KIND_DATE_TIME:
      meso_session_set_performed_at (self, g_value_get_boxed (value));
      break;
    case KIND_COUNT:
    case KIND_VOLUME:
      write_number (self, info, g_value_get_uint (value));
      break;
    case KIND_FLAGS:
      write_number (self, info, g_value_get_flags (value));
      break;
    case KIND_BOOL:
      write_number (self, info, g_value_get_boolean (value));
      break;
    default:
      g_assert_not_reached ();
    }
}
