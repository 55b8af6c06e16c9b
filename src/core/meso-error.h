/* meso-error.h: the error domain of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MESO_ERROR (meso_error_quark ())

/* The fields of a session that a validation error can point at. */
typedef enum
{
  MESO_FIELD_NONE,
  MESO_FIELD_PATIENT,
  MESO_FIELD_AREAS,
  MESO_FIELD_INJECTIONS,
  MESO_FIELD_DURATION,
  MESO_FIELD_DATE,
  MESO_FIELD_DATE_OF_BIRTH,
  MESO_FIELD_PHONE,
  MESO_FIELD_EMAIL,
  MESO_FIELD_LANGUAGE,
  MESO_FIELD_BLOOD_THINNERS,
  MESO_FIELD_PREGNANT,
  MESO_FIELD_ALLERGIES,
  MESO_FIELD_PATIENT_NOTES,
  MESO_FIELD_PRACTITIONER,
  MESO_FIELD_PRACTITIONER_ROLE,
  MESO_FIELD_PRACTITIONER_REGISTRATION,
  MESO_FIELD_INDICATION,
  MESO_FIELD_TECHNIQUE,
  MESO_FIELD_PRODUCT,
  MESO_FIELD_LOT,
  MESO_FIELD_EXPIRY,
  MESO_FIELD_VOLUME,
  MESO_FIELD_SESSION_NUMBER,
  MESO_FIELD_SERIES_TOTAL,
  MESO_FIELD_NEXT_SESSION,
  MESO_FIELD_REACTIONS,
  MESO_FIELD_INSTRUCTIONS,
  MESO_FIELD_NOTES,
  MESO_FIELD_PREGNANCY_OVERRIDE,
  MESO_FIELD_REASON,
  MESO_N_FIELDS
} MesoField;

/* What a validation rule checks; with the field, it makes the error code. */
typedef enum
{
  MESO_CHECK_REQUIRED = 1,
  MESO_CHECK_TOO_LONG,
  MESO_CHECK_INVALID_TEXT,
  MESO_CHECK_NOT_A_NUMBER,
  MESO_CHECK_OUT_OF_RANGE,
  MESO_CHECK_INVALID_DATE,
  MESO_CHECK_UNKNOWN_VALUE,
  MESO_CHECK_EXPIRED,
  MESO_CHECK_NOT_CONFIRMED,
  MESO_CHECK_INCONSISTENT,
  MESO_CHECK_INVALID_FORMAT,  /* not of the field's form: an email address, a phone number */
} MesoCheck;

/* A validation error's code is field × 100 + check: it names the rule that failed, and
 * meso_error_get_field() recovers the field so a form can mark the right widget. The
 * message names the field in plain words. */
#define MESO_ERROR_CODE(field, check) ((field) * 100 + (check))

typedef enum
{
  /* Validation errors (codes of 100 and more): the common ones by name. */
  MESO_ERROR_PATIENT_REQUIRED = MESO_ERROR_CODE (MESO_FIELD_PATIENT, MESO_CHECK_REQUIRED),
  MESO_ERROR_PATIENT_TOO_LONG = MESO_ERROR_CODE (MESO_FIELD_PATIENT, MESO_CHECK_TOO_LONG),
  MESO_ERROR_PATIENT_INVALID = MESO_ERROR_CODE (MESO_FIELD_PATIENT, MESO_CHECK_INVALID_TEXT),
  MESO_ERROR_AREAS_REQUIRED = MESO_ERROR_CODE (MESO_FIELD_AREAS, MESO_CHECK_REQUIRED),
  MESO_ERROR_AREA_UNKNOWN = MESO_ERROR_CODE (MESO_FIELD_AREAS, MESO_CHECK_UNKNOWN_VALUE),
  MESO_ERROR_INJECTIONS_NOT_A_NUMBER = MESO_ERROR_CODE (MESO_FIELD_INJECTIONS,
                                                        MESO_CHECK_NOT_A_NUMBER),
  MESO_ERROR_INJECTIONS_RANGE = MESO_ERROR_CODE (MESO_FIELD_INJECTIONS, MESO_CHECK_OUT_OF_RANGE),
  MESO_ERROR_DURATION_NOT_A_NUMBER = MESO_ERROR_CODE (MESO_FIELD_DURATION,
                                                      MESO_CHECK_NOT_A_NUMBER),
  MESO_ERROR_DURATION_RANGE = MESO_ERROR_CODE (MESO_FIELD_DURATION, MESO_CHECK_OUT_OF_RANGE),
  MESO_ERROR_LOT_EXPIRED = MESO_ERROR_CODE (MESO_FIELD_EXPIRY, MESO_CHECK_EXPIRED),
  MESO_ERROR_PREGNANCY_NOT_CONFIRMED = MESO_ERROR_CODE (MESO_FIELD_PREGNANCY_OVERRIDE,
                                                        MESO_CHECK_NOT_CONFIRMED),
  MESO_ERROR_PHONE_INVALID = MESO_ERROR_CODE (MESO_FIELD_PHONE, MESO_CHECK_INVALID_FORMAT),
  MESO_ERROR_EMAIL_INVALID = MESO_ERROR_CODE (MESO_FIELD_EMAIL, MESO_CHECK_INVALID_FORMAT),

  /* Other errors (codes below 100), about no one field. New codes go at the end. */
  MESO_ERROR_FAILED = 0,
  MESO_ERROR_NOT_FOUND,         /* no record with that id */
  MESO_ERROR_DATABASE,          /* the database failed */
  MESO_ERROR_DATABASE_TOO_NEW,  /* written by a newer Mesocare: refused untouched */
  MESO_ERROR_RULES,             /* the aftercare rules file is broken */
  MESO_ERROR_RENDER,            /* the sheet could not be drawn or written */
  MESO_ERROR_CSV,               /* a CSV text is malformed; the message names the line */
  MESO_ERROR_BACKUP,            /* a backup could not be made, or the file is no backup */
  MESO_ERROR_DATABASE_DAMAGED,  /* fails SQLite's checks: never written to, restore instead */
  MESO_ERROR_WRITES_HELD,       /* the database is being checked: nothing written, try again */
  MESO_ERROR_INVALID_VALUE,     /* a value of no session field (the clinic's) is not valid;
                                 * the message names it */
  MESO_ERROR_DATABASE_REPLACED, /* the file was replaced (restored) while open: nothing
                                 * written; reopen it */
  MESO_ERROR_DATABASE_TOO_OLD,  /* opened for reading only, its schema too old to read:
                                 * open it once for writing; it was not changed */
  MESO_ERROR_SERVER_UNREACHABLE, /* the clinic server cannot be reached, or the connection
                                  * was lost: nothing was written; try again when it is back */
  MESO_ERROR_CONFLICT,          /* another workstation changed the same record first (an
                                 * amendment racing a void): nothing written; the message
                                 * says what happened */
} MesoErrorCode;

GQuark    meso_error_quark      (void);
char     *meso_error_clean_text (const char *text);
MesoField meso_error_get_field (const GError *error);
MesoCheck meso_error_get_check (const GError *error);
void      meso_set_field_error (GError     **error,
                                MesoField    field,
                                MesoCheck    check,
                                const char  *format,
                                ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
