/* meso-clinic.c
 *
 * The details every sheet prints at its top: what one clinic shares between its
 * workstations, kept in the database (meso_store_get_clinic()). The logo is the image
 * itself, not a path, which would mean nothing on another computer; its type is read
 * from its first bytes, not from a file name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-clinic"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "meso-clinic.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-store.h"

struct _MesoClinic
{
  GObject  parent_instance;

  char    *name;
  char    *address;
  char    *phone;
  char    *email;
  char    *emergency_number;  /* "": the country's own (meso_clinic_default_emergency_number()) */
  GBytes  *logo;       /* NULL: none */
  char    *logo_type;  /* MESO_CLINIC_LOGO_PNG or _SVG; NULL when none, or not an image */
};

G_DEFINE_FINAL_TYPE (MesoClinic, meso_clinic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_EMERGENCY_NUMBER,
  PROP_LOGO,
  PROP_LOGO_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
meso_clinic_finalize (GObject *object)
{
  MesoClinic *self = (MesoClinic *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->emergency_number, g_free);
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_clear_pointer (&self->logo_type, g_free);

  G_OBJECT_CLASS (meso_clinic_parent_class)->finalize (object);
}

static void
meso_clinic_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  MesoClinic *self = MESO_CLINIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_EMERGENCY_NUMBER:
      g_value_set_string (value, self->emergency_number);
      break;
    case PROP_LOGO:
      g_value_set_boxed (value, self->logo);
      break;
    case PROP_LOGO_TYPE:
      g_value_set_string (value, self->logo_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_clinic_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  MesoClinic *self = MESO_CLINIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      meso_clinic_set_name (self, g_value_get_string (value));
      break;
    case PROP_ADDRESS:
      meso_clinic_set_address (self, g_value_get_string (value));
      break;
    case PROP_PHONE:
      meso_clinic_set_phone (self, g_value_get_string (value));
      break;
    case PROP_EMAIL:
      meso_clinic_set_email (self, g_value_get_string (value));
      break;
    case PROP_EMERGENCY_NUMBER:
      meso_clinic_set_emergency_number (self, g_value_get_string (value));
      break;
    case PROP_LOGO:
      meso_clinic_set_logo (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_clinic_class_init (MesoClinicClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = meso_clinic_finalize;
  object_class->get_property = meso_clinic_get_property;
  object_class->set_property = meso_clinic_set_property;

  /**
   * MesoClinic:name:
   *
   * Printed at the top of every sheet; "" when not set (the sheet then shows a
   * placeholder).
   */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, "", flags);
  /**
   * MesoClinic:address:
   *
   * The postal address; it may span lines.
   */
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, "", flags);
  /**
   * MesoClinic:phone:
   *
   * The number patients call: in the header and where the sheet says when to call.
   */
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, "", flags);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, "", flags);
  /**
   * MesoClinic:emergency-number:
   *
   * The number the sheet tells patients to call in an emergency; "" when not set, and
   * the sheet then prints the country's own (meso_clinic_get_emergency_number_or_default()).
   */
  properties[PROP_EMERGENCY_NUMBER] = g_param_spec_string ("emergency-number", NULL, NULL, "",
                                                           flags);
  /**
   * MesoClinic:logo:
   *
   * The logo's file content, PNG or SVG; %NULL for none.
   */
  properties[PROP_LOGO] = g_param_spec_boxed ("logo", NULL, NULL, G_TYPE_BYTES, flags);
  /**
   * MesoClinic:logo-type:
   *
   * "image/png" or "image/svg+xml", read from the logo's first bytes; %NULL when there is
   * no logo or it is neither.
   */
  properties[PROP_LOGO_TYPE] =
    g_param_spec_string ("logo-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
meso_clinic_init (MesoClinic *self)
{
  self->name = g_strdup ("");
  self->address = g_strdup ("");
  self->phone = g_strdup ("");
  self->email = g_strdup ("");
  self->emergency_number = g_strdup ("");
}

/**
 * meso_clinic_new:
 *
 * Returns: (transfer full): a clinic with no details.
 */
MesoClinic *
meso_clinic_new (void)
{
  return g_object_new (MESO_TYPE_CLINIC, NULL);
}

/**
 * meso_clinic_copy:
 * @self: a #MesoClinic
 *
 * Returns: (transfer full): a clinic with the same details (the logo's bytes shared: they
 *   never change).
 */
MesoClinic *
meso_clinic_copy (MesoClinic *self)
{
  MesoClinic *copy;

  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);

  copy = meso_clinic_new ();
  meso_clinic_copy_fields (copy, self, MESO_CLINIC_ALL);
  return copy;
}

static gboolean
logo_equal (GBytes *a,
            GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

/**
 * meso_clinic_copy_fields:
 * @dest: the clinic to change
 * @src: where the values come from
 * @fields: which of them
 *
 * Returns: which of @fields had another value in @dest: those really changed.
 */
MesoClinicFields
meso_clinic_copy_fields (MesoClinic       *dest,
                         MesoClinic       *src,
                         MesoClinicFields  fields)
{
  MesoClinicFields changed = 0;

  g_return_val_if_fail (MESO_IS_CLINIC (dest), 0);
  g_return_val_if_fail (MESO_IS_CLINIC (src), 0);

  if ((fields & MESO_CLINIC_NAME) && !g_str_equal (dest->name, src->name))
    {
      meso_clinic_set_name (dest, src->name);
      changed |= MESO_CLINIC_NAME;
    }
  if ((fields & MESO_CLINIC_ADDRESS) && !g_str_equal (dest->address, src->address))
    {
      meso_clinic_set_address (dest, src->address);
      changed |= MESO_CLINIC_ADDRESS;
    }
  if ((fields & MESO_CLINIC_PHONE) && !g_str_equal (dest->phone, src->phone))
    {
      meso_clinic_set_phone (dest, src->phone);
      changed |= MESO_CLINIC_PHONE;
    }
  if ((fields & MESO_CLINIC_EMAIL) && !g_str_equal (dest->email, src->email))
    {
      meso_clinic_set_email (dest, src->email);
      changed |= MESO_CLINIC_EMAIL;
    }
  if ((fields & MESO_CLINIC_EMERGENCY_NUMBER)
      && !g_str_equal (dest->emergency_number, src->emergency_number))
    {
      meso_clinic_set_emergency_number (dest, src->emergency_number);
      changed |= MESO_CLINIC_EMERGENCY_NUMBER;
    }
  if ((fields & MESO_CLINIC_LOGO) && !logo_equal (dest->logo, src->logo))
    {
      meso_clinic_set_logo (dest, src->logo);
      changed |= MESO_CLINIC_LOGO;
    }
  return changed;
}

/**
 * meso_clinic_is_empty:
 * @self: a #MesoClinic
 *
 * Returns: whether no detail is set at all.
 */
gboolean
meso_clinic_is_empty (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), TRUE);

  return *self->name == '\0' && *self->address == '\0' && *self->phone == '\0'
         && *self->email == '\0' && *self->emergency_number == '\0' && self->logo == NULL;
}

/**
 * meso_clinic_get_missing:
 * @self: a #MesoClinic
 *
 * Returns: which of what every aftercare sheet needs, the clinic's name and a phone to
 *   call, is not set: %MESO_CLINIC_NAME, %MESO_CLINIC_PHONE, both, or 0.
 */
MesoClinicFields
meso_clinic_get_missing (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), MESO_CLINIC_NAME | MESO_CLINIC_PHONE);

  return (*self->name == '\0' ? MESO_CLINIC_NAME : 0)
         | (*self->phone == '\0' ? MESO_CLINIC_PHONE : 0);
}

/* Text kept without the blanks around it, never NULL. Returns whether it changed. */
static gboolean
set_text (char       **member,
          const char  *text)
{
  g_autofree char *trimmed = g_strdup (text != NULL ? text : "");

  if (g_utf8_validate (trimmed, -1, NULL))
    g_strstrip (trimmed);
  if (g_str_equal (*member, trimmed))
    return FALSE;
  g_free (*member);
  *member = g_steal_pointer (&trimmed);
  return TRUE;
}

const char *
meso_clinic_get_name (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->name;
}

void
meso_clinic_set_name (MesoClinic *self,
                      const char *name)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (set_text (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
meso_clinic_get_address (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->address;
}

void
meso_clinic_set_address (MesoClinic *self,
                         const char *address)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (set_text (&self->address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

const char *
meso_clinic_get_phone (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->phone;
}

void
meso_clinic_set_phone (MesoClinic *self,
                       const char *phone)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (set_text (&self->phone, phone))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PHONE]);
}

const char *
meso_clinic_get_email (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->email;
}

void
meso_clinic_set_email (MesoClinic *self,
                       const char *email)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (set_text (&self->email, email))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

const char *
meso_clinic_get_emergency_number (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->emergency_number;
}

void
meso_clinic_set_emergency_number (MesoClinic *self,
                                  const char *number)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (set_text (&self->emergency_number, number))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMERGENCY_NUMBER]);
}

/* The country of this computer's locale ("FR" of "fr_FR.UTF-8"), where the clinic is: the
 * telephone category first, as it is the one about phone numbers; NULL when the locale
 * names none ("C", "en"). */
static char *
dup_locale_country (void)
{
  static const char * const variables[] = { "LC_ALL", "LC_TELEPHONE", "LC_MESSAGES", "LANG" };

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      const char *locale = g_getenv (variables[i]);
      const char *underscore;

      if (locale == NULL || *locale == '\0')
        continue;
      underscore = strchr (locale, '_');
      if (underscore == NULL || strlen (underscore) < 3)
        return NULL;
      return g_ascii_strup (underscore + 1, 2);
    }
  return NULL;
}

/**
 * meso_clinic_default_emergency_number:
 * @country: (nullable): an ISO 3166 country code ("FR"), or %NULL for this computer's
 *   locale's
 *
 * The number a patient calls for an ambulance where nothing else is set: 911 in North
 * America, 999 in the United Kingdom, 15 (the SAMU, medical emergencies) in France, 000
 * in Australia, 111 in New Zealand; 112 elsewhere, the European number, which also
 * reaches the emergency services from any mobile phone in most other countries.
 *
 * Returns: the number.
 */
const char *
meso_clinic_default_emergency_number (const char *country)
{
  static const struct { const char *country; const char *number; } numbers[] = {
    { "US", "911" }, { "CA", "911" }, { "MX", "911" },
    { "GB", "999" },
    { "FR", "15" },
    { "AU", "000" },
    { "NZ", "111" },
  };
  g_autofree char *locale_country = country == NULL ? dup_locale_country () : NULL;
  const char *code = country != NULL ? country : locale_country;

  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (numbers); i++)
    if (g_ascii_strcasecmp (code, numbers[i].country) == 0)
      return numbers[i].number;
  return "112";
}

/**
 * meso_clinic_get_emergency_number_or_default:
 * @self: a #MesoClinic
 *
 * Returns: the emergency number set for the clinic, or else the one of this computer's
 *   country (meso_clinic_default_emergency_number()).
 */
const char *
meso_clinic_get_emergency_number_or_default (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);

  if (*self->emergency_number != '\0')
    return self->emergency_number;
  return meso_clinic_default_emergency_number (NULL);
}

/**
 * meso_clinic_get_logo:
 * @self: a #MesoClinic
 *
 * Returns: (transfer none) (nullable): the logo's file content.
 */
GBytes *
meso_clinic_get_logo (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->logo;
}

const char *
meso_clinic_get_logo_type (MesoClinic *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), NULL);
  return self->logo_type;
}

/* An SVG file is XML text with an <svg> element; a PNG file starts with its signature. */
static const char *
sniff_logo_type (GBytes *logo)
{
  static const char png_signature[] = "\x89PNG\r\n\x1a\n";
  gsize size = 0;
  const char *data = g_bytes_get_data (logo, &size);

  if (size >= sizeof png_signature - 1 && memcmp (data, png_signature, sizeof png_signature - 1) == 0)
    return MESO_CLINIC_LOGO_PNG;
  if (size > 0 && g_utf8_validate_len (data, size, NULL) && g_strstr_len (data, size, "<svg") != NULL)
    return MESO_CLINIC_LOGO_SVG;
  return NULL;
}

/**
 * meso_clinic_set_logo:
 * @self: a #MesoClinic
 * @logo: (nullable): the content of a PNG or SVG file; %NULL or empty for no logo
 *
 * Its type is read from its first bytes (meso_clinic_get_logo_type()); content of another
 * kind is kept, for meso_clinic_validate() to refuse.
 */
void
meso_clinic_set_logo (MesoClinic *self,
                      GBytes     *logo)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (logo != NULL && g_bytes_get_size (logo) == 0)
    logo = NULL;
  if (logo_equal (self->logo, logo))
    return;
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_clear_pointer (&self->logo_type, g_free);
  if (logo != NULL)
    {
      self->logo = g_bytes_ref (logo);
      self->logo_type = g_strdup (sniff_logo_type (logo));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGO_TYPE]);
}

static gboolean
logo_error (GError     **error,
            const char  *format,
            ...) G_GNUC_PRINTF (2, 3);

/* "Logo: what is wrong". */
static gboolean
logo_error (GError     **error,
            const char  *format,
            ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: a validation message: the field's name, then what is wrong with it */
  g_set_error (error, MESO_ERROR, MESO_ERROR_INVALID_VALUE, _("%s: %s"), _("Logo"), what);
  return FALSE;
}

static gboolean
logo_too_large (GError **error,
                gsize    size)
{
  g_autofree char *have = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);

  return logo_error (error, _("the image is too large (%s); choose one of at most %u MiB"), have,
                     MESO_CLINIC_LOGO_MAX_BYTES / (1024 * 1024));
}

/**
 * meso_clinic_set_logo_from_file:
 * @self: a #MesoClinic
 * @path: a PNG or SVG file
 * @error: a #GError naming the logo and the file
 *
 * Reads the file into the clinic, once its size and its kind are checked: on error
 * @self is unchanged. A file too large is refused before it is read.
 */
gboolean
meso_clinic_set_logo_from_file (MesoClinic  *self,
                                const char  *path,
                                GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (MESO_IS_CLINIC (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  display = g_filename_display_name (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    return logo_error (error, _("cannot read %s: %s"), display, local_error->message);
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    return logo_error (error, _("%s is not a file"), display);
  if (g_file_info_get_size (info) > MESO_CLINIC_LOGO_MAX_BYTES)
    return logo_too_large (error, (gsize) g_file_info_get_size (info));

  bytes = g_file_load_bytes (file, NULL, NULL, &local_error);
  if (bytes == NULL)
    return logo_error (error, _("cannot read %s: %s"), display, local_error->message);
  if (g_bytes_get_size (bytes) > MESO_CLINIC_LOGO_MAX_BYTES)
    return logo_too_large (error, g_bytes_get_size (bytes));
  if (sniff_logo_type (bytes) == NULL)
    return logo_error (error, _("%s is neither a PNG nor an SVG image"), display);

  meso_clinic_set_logo (self, bytes);
  return TRUE;
}

static gboolean
text_error (GError     **error,
            const char  *label,
            const char  *what)
{
  /* Translators: a validation message: the field's name, then what is wrong with it */
  g_set_error (error, MESO_ERROR, MESO_ERROR_INVALID_VALUE, _("%s: %s"), label, what);
  return FALSE;
}

/* The rules of the form's text fields (meso-field.c), for details that are no session's. */
static gboolean
check_text (const char  *label,
            const char  *text,
            glong        max_chars,
            gboolean     lines,
            GError     **error)
{
  glong length;

  if (!g_utf8_validate (text, -1, NULL))
    return text_error (error, label, _("the text is not valid UTF-8"));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (lines && c == '\n')
        continue;
      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        return text_error (error, label,
                           lines ? _("the text must not contain control characters")
                                 : _("the text must be on one line, without control characters"));
    }
  length = g_utf8_strlen (text, -1);
  if (length > max_chars)
    {
      g_autofree char *what = g_strdup_printf (_("the text has %ld characters; at most %ld are "
                                                 "allowed"), length, max_chars);

      return text_error (error, label, what);
    }
  return TRUE;
}

/* The clinic's phone and email follow the rules of a patient's, in the field table:
 * validation lives there, once. */
static gboolean
check_contact (MesoField    field,
               const char  *text,
               GError     **error)
{
  return *text == '\0' || meso_field_check_text (field, text, error);
}

/* Emergency numbers are short and all digits (112, 15, 000); a few carriers have longer
 * ones, hence up to 8. */
static gboolean
check_emergency_number (const char  *number,
                        GError     **error)
{
  gsize length = strlen (number);

  if (length == 0)
    return TRUE;
  if (length < 2 || length > 8 || strspn (number, "0123456789") != length)
    {
    return text_error (error, _("Emergency number"),
                       _("write the number alone, 2 to 8 digits, such as 112"));
    }
  return TRUE;
}

static gboolean
check_logo (MesoClinic  *self,
            GError     **error)
{
  if (self->logo == NULL)
    return TRUE;
  if (g_bytes_get_size (self->logo) > MESO_CLINIC_LOGO_MAX_BYTES)
    return logo_too_large (error, g_bytes_get_size (self->logo));
  if (self->logo_type == NULL)
    return logo_error (error, _("the image is neither a PNG nor an SVG image"));
  return TRUE;
}

/**
 * meso_clinic_validate:
 * @self: a #MesoClinic
 * @fields: which details to check
 * @error: a #GError naming the first detail that is wrong
 *
 * Every detail may be empty. The name is one line of at most 200 characters, the address
 * at most 500 (it may span lines); the phone and email follow the session form's rules
 * and must look like a phone number and an email address; the logo is a PNG or SVG image
 * of at most 2 MiB; the emergency number is 2 to 8 digits.
 */
gboolean
meso_clinic_validate (MesoClinic        *self,
                      MesoClinicFields   fields,
                      GError           **error)
{
  g_return_val_if_fail (MESO_IS_CLINIC (self), FALSE);

  return (!(fields & MESO_CLINIC_NAME)
          || check_text (_("Clinic name"), self->name, MESO_CLINIC_NAME_MAX_CHARS, FALSE, error))
         && (!(fields & MESO_CLINIC_ADDRESS)
             || check_text (_("Address"), self->address, MESO_CLINIC_ADDRESS_MAX_CHARS, TRUE,
                            error))
         && (!(fields & MESO_CLINIC_PHONE) || check_contact (MESO_FIELD_PHONE, self->phone, error))
         && (!(fields & MESO_CLINIC_EMAIL) || check_contact (MESO_FIELD_EMAIL, self->email, error))
         && (!(fields & MESO_CLINIC_EMERGENCY_NUMBER)
             || check_emergency_number (self->emergency_number, error))
         && (!(fields & MESO_CLINIC_LOGO) || check_logo (self, error));
}

/**
 * meso_clinic_append_payload:
 * @self: a #MesoClinic
 * @fields: which details
 * @payload: an audit entry's payload being built
 *
 * The details as the audit log keeps them, one "key=value" a line; the logo as its type,
 * size and SHA-256, which tell one image from another without filling the log.
 */
void
meso_clinic_append_payload (MesoClinic       *self,
                            MesoClinicFields  fields,
                            GString          *payload)
{
  g_return_if_fail (MESO_IS_CLINIC (self));

  if (fields & MESO_CLINIC_NAME)
    meso_payload_append (payload, "name", self->name);
  if (fields & MESO_CLINIC_ADDRESS)
    meso_payload_append (payload, "address", self->address);
  if (fields & MESO_CLINIC_PHONE)
    meso_payload_append (payload, "phone", self->phone);
  if (fields & MESO_CLINIC_EMAIL)
    meso_payload_append (payload, "email", self->email);
  if (fields & MESO_CLINIC_EMERGENCY_NUMBER)
    meso_payload_append (payload, "emergency-number", self->emergency_number);
  if (fields & MESO_CLINIC_LOGO)
    {
      g_autofree char *sum = NULL;
      g_autofree char *text = NULL;

      if (self->logo != NULL)
        {
          sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, self->logo);
          text = g_strdup_printf ("%s, %" G_GSIZE_FORMAT " bytes, sha256 %s",
                                  self->logo_type != NULL ? self->logo_type : "?",
                                  g_bytes_get_size (self->logo), sum);
        }
      meso_payload_append (payload, "logo", text != NULL ? text : "");
    }
}
