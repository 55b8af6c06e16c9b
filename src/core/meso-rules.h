/* meso-rules.h: the aftercare content, and the choice of the rules a session needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "meso-adjustments.h"
#include "meso-session.h"

G_BEGIN_DECLS

#define MESO_TYPE_RULES (meso_rules_get_type ())

G_DECLARE_FINAL_TYPE (MesoRules, meso_rules, MESO, RULES, GObject)

typedef struct _MesoRule MesoRule;

/* The languages a sheet can be printed in; English is the one every string has. */
#define MESO_SHEET_LANGUAGES "en", "fr", "es"

MesoRules   *meso_rules_new_default       (GError        **error);
MesoRules   *meso_rules_new_from_data     (const char     *data,
                                           gsize           length,
                                           GError        **error);

GPtrArray   *meso_rules_get_rules         (MesoRules      *self);
const MesoRule *meso_rules_find           (MesoRules      *self,
                                           const char     *id);
GPtrArray   *meso_rules_select            (MesoRules      *self,
                                           MesoSession    *session);
const char * const *meso_rules_get_sections (MesoRules    *self);

char        *meso_rules_translate         (MesoRules      *self,
                                           const char     *group,
                                           const char     *language,
                                           gboolean       *out_fell_back);
char        *meso_rules_get_section_title (MesoRules      *self,
                                           const char     *section,
                                           const char     *language);
char        *meso_rules_get_label         (MesoRules      *self,
                                           const char     *key,
                                           const char     *language);
char        *meso_rules_get_area_name     (MesoRules      *self,
                                           MesoArea        area,
                                           const char     *language);
char        *meso_rules_get_text          (MesoRules      *self,
                                           const MesoRule *rule,
                                           const char     *language);
char        *meso_rules_format_practitioner (MesoRules   *self,
                                             MesoSession *session,
                                             const char  *language);
gboolean     meso_rules_check_adjustments (MesoRules       *self,
                                           MesoAdjustments *adjustments,
                                           GError         **error);
void         meso_rules_keep_safety_lines (MesoRules       *self,
                                           MesoAdjustments *adjustments);

const char  *meso_rule_get_id             (const MesoRule *rule);
const char  *meso_rule_get_group          (const MesoRule *rule);
const char  *meso_rule_get_section        (const MesoRule *rule);
const char  *meso_rule_get_fact           (const MesoRule *rule);
gboolean     meso_rule_is_safety          (const MesoRule *rule);
gboolean     meso_rule_applies            (const MesoRule *rule,
                                           MesoSession    *session);
char        *meso_rule_describe           (const MesoRule *rule);
char        *meso_rule_explain            (const MesoRule *rule,
                                           MesoSession    *session);

G_END_DECLS
