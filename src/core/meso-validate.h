/* meso-validate.h: the rules a value must keep, in one place for every caller
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "meso-area.h"

G_BEGIN_DECLS

#define MESO_PATIENT_NAME_MAX_CHARS 200
#define MESO_INJECTIONS_MIN         1
#define MESO_INJECTIONS_MAX         2000
#define MESO_DURATION_MIN           1
#define MESO_DURATION_MAX           480
#define MESO_PHONE_MIN_DIGITS       6
#define MESO_PHONE_MAX_DIGITS       20

gboolean meso_validate_patient_name (const char  *name,
                                     GError     **error);
gboolean meso_validate_areas        (MesoArea     areas,
                                     GError     **error);
gboolean meso_validate_injections   (guint        injections,
                                     GError     **error);
gboolean meso_validate_duration     (guint        minutes,
                                     GError     **error);

gboolean meso_validate_email_address (const char *text);
gboolean meso_validate_phone_number  (const char *text);

gboolean meso_parse_injections      (const char  *text,
                                     guint       *out_injections,
                                     GError     **error);
gboolean meso_parse_duration        (const char  *text,
                                     guint       *out_minutes,
                                     GError     **error);

G_END_DECLS
