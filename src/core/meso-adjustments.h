/* meso-adjustments.h: what the practitioner changed on one patient's sheet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MESO_ADJUSTMENT_TEXT_MAX_CHARS 1000
#define MESO_ADJUSTMENT_MAX_LINES      50

#define MESO_TYPE_ADJUSTMENTS (meso_adjustments_get_type ())

G_DECLARE_FINAL_TYPE (MesoAdjustments, meso_adjustments, MESO, ADJUSTMENTS, GObject)

MesoAdjustments *meso_adjustments_new          (void);
MesoAdjustments *meso_adjustments_new_from_data (const char      *data,
                                                 GError         **error);
MesoAdjustments *meso_adjustments_copy         (MesoAdjustments *self);
char            *meso_adjustments_to_data      (MesoAdjustments *self);
gboolean         meso_adjustments_is_empty     (MesoAdjustments *self);
gboolean         meso_adjustments_equal        (MesoAdjustments *a,
                                                MesoAdjustments *b);

void             meso_adjustments_set_rule_off (MesoAdjustments *self,
                                                const char      *rule_id,
                                                gboolean         off);
gboolean         meso_adjustments_is_rule_off  (MesoAdjustments *self,
                                                const char      *rule_id);
GStrv            meso_adjustments_dup_rules_off (MesoAdjustments *self);
gboolean         meso_adjustments_set_text     (MesoAdjustments *self,
                                                const char      *rule_id,
                                                const char      *text,
                                                GError         **error);
const char      *meso_adjustments_get_text     (MesoAdjustments *self,
                                                const char      *rule_id);
GHashTable      *meso_adjustments_get_texts    (MesoAdjustments *self);
gboolean         meso_adjustments_add_line     (MesoAdjustments *self,
                                                const char      *line,
                                                GError         **error);
void             meso_adjustments_clear_lines  (MesoAdjustments *self);
const char * const *meso_adjustments_get_lines (MesoAdjustments *self);

G_END_DECLS
