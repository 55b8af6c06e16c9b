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

#include "meso-field.h"
#include "meso-session-private.h"
#include "meso-validate.h"

typedef enum
{
  KIND_LINE,      /* one line of text */
  KIND_TEXT,      /* text that may span lines */
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
    KIND_LINE, AT (phone), 0, 40, FALSE, FALSE, NULL },
  { MESO_FIELD_EMAIL, "email", N_("Email"), N_("The patient’s email address"),
    KIND_LINE, AT (email), 0, 254, FALSE, FALSE, NULL },
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

static const FieldInfo *
lookup (MesoField field)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].field == field)
      return &fields[i];
  g_return_val_if_reached (NULL);
}

const char *
meso_field_get_id (MesoField field)
{
  return lookup (field)->id;
}

/**
 * meso_field_get_label:
 * @field: a field
 *
 * Returns: the field's name for people, in the user interface's language; every
 *   validation message starts with it.
 */
const char *
meso_field_get_label (MesoField field)
{
  return g_dgettext (GETTEXT_PACKAGE, lookup (field)->label);
}

const char *
meso_field_get_description (MesoField field)
{
  return g_dgettext (GETTEXT_PACKAGE, lookup (field)->description);
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

gboolean
meso_field_is_amendable (MesoField field)
{
  return lookup (field)->amendable;
}

gboolean
meso_field_is_flag (MesoField field)
{
  return lookup (field)->kind == KIND_BOOL;
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

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (info->kind == KIND_TEXT && (c == '\n' || c == '\t'))
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return fail (error, info, MESO_CHECK_INVALID_TEXT,
                     info->kind == KIND_TEXT
                     ? _("the text must not contain control characters")
                     : _("the text must be on one line, without control characters"));
    }

  length = g_utf8_strlen (text, -1);
  if (length > (glong) info->max)
    return fail (error, info, MESO_CHECK_TOO_LONG,
                 _("the text has %ld characters; at most %u are allowed"), length, info->max);
  return TRUE;
}

static guint
digits_value (const char *text,
              guint       n)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (guint) (text[i] - '0');
  return value;
}

/* YYYY-MM-DD, a real calendar date between 1900 and 2199. */
gboolean
meso_field_parse_date (const char *text,
                       GDate      *out_date)
{
  guint year, month, day;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  year = digits_value (text, 4);
  month = digits_value (text + 5, 2);
  day = digits_value (text + 8, 2);
  if (year < 1900 || year > 2199 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, day, month, year);
  return TRUE;
}

/**
 * meso_field_format_date:
 * @iso: a date as stored, YYYY-MM-DD
 *
 * For people to read: the date as this computer's locale writes it (its "%x"). Dates
 * are stored, typed and exported in one unambiguous form; only their display changes.
 *
 * Returns: (transfer full): the date in the locale's format, or a copy of @iso when it
 *   is no date.
 */
char *
meso_field_format_date (const char *iso)
{
  GDate date;
  char text[64];

  g_return_val_if_fail (iso != NULL, NULL);

  if (!meso_field_parse_date (iso, &date) || g_date_strftime (text, sizeof text, "%x", &date) == 0)
    return g_strdup (iso);
  return g_strdup (text);
}

static GDateTime *
parse_date_time (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  GDate date;

  GDateTime *when;

  /* A bare date is the session's day, at noon: far from any time-zone edge. */
  if (meso_field_parse_date (text, &date))
    return g_date_time_new (local, g_date_get_year (&date), g_date_get_month (&date),
                            g_date_get_day (&date), 12, 0, 0);
  when = g_date_time_new_from_iso8601 (text, local);

  /* GLib wants the seconds; people often leave them out ("2026-03-14T09:30"). */
  if (when == NULL && strlen (text) == 16 && text[10] == 'T' && text[13] == ':')
    {
      g_autofree char *with_seconds = g_strconcat (text, ":00", NULL);

      when = g_date_time_new_from_iso8601 (with_seconds, local);
    }
  return when;
}

/* Whether @when is later than now allows: a bare date may be today; a time may run a few
 * minutes ahead of this computer's clock, no more. */
static gboolean
is_in_future (const char *text,
              GDateTime  *when)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate date;

  if (meso_field_parse_date (text, &date))
    {
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      return strcmp (text, today) > 0;
    }
  return g_date_time_difference (when, now) > 10 * G_TIME_SPAN_MINUTE;
}

static gboolean
check_date_time (const FieldInfo  *info,
                 const char       *text,
                 GError          **error)
{
  g_autoptr(GDateTime) when = parse_date_time (text);

  if (when == NULL)
    return fail (error, info, MESO_CHECK_INVALID_DATE,
                 _("“%s” is not a date and time (write 2026-03-14 or 2026-03-14T09:30)"),
                 printable (text));
  if (g_date_time_get_year (when) < 2000)
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE, _("the date is before the year 2000"));
  if (is_in_future (text, when))
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE, _("the date is in the future"));
  return TRUE;
}

/* Digits only: no sign, no spaces inside, no other numeral systems. */
static gboolean
parse_count (const char *text,
             guint64    *out_value)
{
  guint64 value = 0;

  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (value <= G_MAXUINT32)
        value = value * 10 + (guint64) (*p - '0');
    }
  *out_value = value;
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

  if (!parse_count (text, &value) || (!bounds && value > G_MAXUINT))
    return fail (error, info, MESO_CHECK_NOT_A_NUMBER, _("“%s” is not a whole number"),
                 printable (text));
  if (bounds && (value < info->min || value > info->max))
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE,
                 _("enter a whole number from %u to %u"), info->min, info->max);
  *out_value = (guint) value;
  return TRUE;
}

/* Millilitres as "2", "2.5" or "2,55": stored as a whole number of microlitres, so that
 * what is read back is exactly what was written. */
static gboolean
check_volume (const FieldInfo  *info,
              const char       *text,
              guint            *out_ul,
              GError          **error)
{
  g_autofree char *whole = g_strdup (text);
  char *separator = strpbrk (whole, ".,");
  const char *decimals = "";
  guint64 ml, fraction = 0;

  if (separator != NULL)
    {
      *separator = '\0';
      decimals = separator + 1;
    }
  if (!parse_count (whole, &ml) || strlen (decimals) > 2
      || (*decimals != '\0' && !parse_count (decimals, &fraction)))
    return fail (error, info, MESO_CHECK_NOT_A_NUMBER,
                 _("“%s” is not a volume in millilitres (such as 2.5, with at most two "
                   "decimals)"), printable (text));
  if (strlen (decimals) == 1)
    fraction *= 10;
  if (ml > 100000 || ml * 1000 + fraction * 10 < info->min
      || ml * 1000 + fraction * 10 > info->max)
    return fail (error, info, MESO_CHECK_OUT_OF_RANGE,
                 _("enter from 0.01 to 100 millilitres"));
  *out_ul = (guint) (ml * 1000 + fraction * 10);
  return TRUE;
}

static gboolean
check_bool (const FieldInfo  *info,
            const char       *text,
            gboolean         *out_value,
            GError          **error)
{
  if (g_ascii_strcasecmp (text, "yes") == 0 || g_str_equal (text, "1")
      || g_ascii_strcasecmp (text, "true") == 0)
    *out_value = TRUE;
  else if (g_ascii_strcasecmp (text, "no") == 0 || g_str_equal (text, "0")
           || g_ascii_strcasecmp (text, "false") == 0 || *text == '\0')
    *out_value = FALSE;
  else
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
  GDate date;
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
      return !bounds || check_text (info, text, error);
    case KIND_DATE:
      if (!meso_field_parse_date (text, &date))
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
  guint scratch[2];

  return parse_value (lookup (field), text != NULL ? text : "", TRUE, scratch, error);
}

static char *
format_flags (const FieldInfo *info,
              guint            flags)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; info->choices[i] != NULL; i++)
    if (flags & (1u << i))
      g_string_append_printf (text, "%s%s", text->len > 0 ? "," : "", info->choices[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_volume (guint ul)
{
  if (ul % 1000 == 0)
    return g_strdup_printf ("%u", ul / 1000);
  if (ul % 100 == 0)
    return g_strdup_printf ("%u.%u", ul / 1000, (ul % 1000) / 100);
  return g_strdup_printf ("%u.%02u", ul / 1000, (ul % 1000) / 10);
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
  const FieldInfo *info = lookup (field);
  gpointer member = G_STRUCT_MEMBER_P (self, info->offset);
  guint number;

  g_return_val_if_fail (MESO_IS_SESSION (self), NULL);
  g_return_val_if_fail (field != MESO_FIELD_REASON, NULL);

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
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
      return number == 0 && !info->required ? g_strdup ("") : g_strdup_printf ("%u", number);
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

static gboolean store_text (MesoSession  *self,
                            MesoField     field,
                            const char   *text,
                            gboolean      bounds,
                            GError      **error);

static void
set_string_member (gpointer    member,
                   const char *text)
{
  g_free (*(char **) member);
  *(char **) member = *text != '\0' ? g_strdup (text) : NULL;
}

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
  g_return_val_if_fail (field != MESO_FIELD_REASON, FALSE);

  return store_text (self, field, text, TRUE, error);
}

/**
 * meso_field_load_text:
 * @self: a #MesoSession
 * @field: a field
 * @text: (nullable): a value as the store keeps it
 * @error: a #GError
 *
 * For the store: takes back a value written earlier, checking its form but not today's
 * bounds, so that a record stays readable whatever later versions allow.
 */
gboolean
meso_field_load_text (MesoSession  *self,
                      MesoField     field,
                      const char   *text,
                      GError      **error)
{
  return store_text (self, field, text, FALSE, error);
}

static gboolean
store_text (MesoSession  *self,
            MesoField     field,
            const char   *text,
            gboolean      bounds,
            GError      **error)
{
  const FieldInfo *info = lookup (field);
  gpointer member = G_STRUCT_MEMBER_P (self, info->offset);
  g_autofree char *trimmed = NULL;
  guint value[2] = { 0, 0 };

  trimmed = g_strdup (text != NULL ? text : "");
  if (g_utf8_validate (trimmed, -1, NULL))
    g_strstrip (trimmed);
  if (!parse_value (info, trimmed, bounds, value, error))
    return FALSE;

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_DATE:
    case KIND_CHOICE:
      set_string_member (member, trimmed);
      break;
    case KIND_DATE_TIME:
      {
        g_autoptr(GDateTime) when = *trimmed != '\0' ? parse_date_time (trimmed) : NULL;

        meso_session_set_performed_at (self, when);
      }
      break;
    case KIND_COUNT:
    case KIND_VOLUME:
    case KIND_FLAGS:
    case KIND_BOOL:
      *(guint *) member = value[0];
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
  const FieldInfo *info = lookup (field);
  gpointer to = G_STRUCT_MEMBER_P (dest, info->offset);
  gpointer from = G_STRUCT_MEMBER_P (src, info->offset);

  switch (info->kind)
    {
    case KIND_LINE:
    case KIND_TEXT:
    case KIND_DATE:
    case KIND_CHOICE:
      g_free (*(char **) to);
      *(char **) to = g_strdup (*(char **) from);
      break;
    case KIND_DATE_TIME:
      meso_session_set_performed_at (dest, *(GDateTime **) from);
      break;
    case KIND_COUNT:
    case KIND_VOLUME:
    case KIND_FLAGS:
    case KIND_BOOL:
      *(guint *) to = *(guint *) from;
      break;
    default:
      g_assert_not_reached ();
    }
}
