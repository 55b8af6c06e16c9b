/* meso-validate.h: the rules a value must keep, as pure checks of its text: the field
 * table (meso-field.h) applies them, field by field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MESO_PATIENT_NAME_MAX_CHARS 200
#define MESO_INJECTIONS_MIN         1
#define MESO_INJECTIONS_MAX         2000
#define MESO_DURATION_MIN           1
#define MESO_DURATION_MAX           480
#define MESO_PHONE_MIN_DIGITS       6
#define MESO_PHONE_MAX_DIGITS       20

gboolean meso_validate_email_address (const char *text);
gboolean meso_validate_phone_number  (const char *text);

G_END_DECLS
