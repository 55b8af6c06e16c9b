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

gboolean meso_validate_text_characters (const char  *text,
                                        gboolean     lines);
gboolean meso_validate_date            (const char  *text,
                                        GDate       *out_date);
gboolean meso_validate_date_time       (const char  *text,
                                        GDateTime  **out_when);
gboolean meso_validate_is_in_future    (const char  *text,
                                        GDateTime   *when);
gboolean meso_validate_count           (const char  *text,
                                        guint64     *out_value);
gboolean meso_validate_volume          (const char  *text,
                                        guint64     *out_ul);
gboolean meso_validate_yes_no          (const char  *text,
                                        gboolean    *out_value);
gboolean meso_validate_email_address   (const char  *text);
gboolean meso_validate_phone_number    (const char  *text);

G_END_DECLS
