/* meso-session-private.h: the session's storage, shared by meso-session.c and the field
 * table of meso-field.c, which reads and writes it generically, and what the store
 * alone sets on it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "meso-session.h"

G_BEGIN_DECLS

struct _MesoSession
{
  GObject      parent_instance;

  gint64       id;
  GDateTime   *performed_at;

  /* The patient, as known at this session. */
  char        *patient_name;
  char        *date_of_birth;    /* YYYY-MM-DD */
  char        *phone;
  char        *email;
  char        *language;         /* "en", "fr" or "es" */
  gboolean     blood_thinners;
  gboolean     pregnant;
  char        *allergies;
  char        *patient_notes;

  char        *practitioner;
  char        *practitioner_role;
  char        *practitioner_registration;
  MesoArea     areas;
  char        *indication;       /* an id of meso_indication_ids */
  char        *technique;        /* an id of meso_technique_ids */
  char        *product;
  char        *lot;
  char        *lot_expiry;       /* YYYY-MM-DD */
  guint        injections;
  guint        duration;
  guint        volume_ul;        /* microlitres; 0: not recorded */
  guint        session_number;   /* 0: not recorded */
  guint        series_total;     /* 0: not recorded */
  char        *next_session;     /* YYYY-MM-DD */
  MesoReaction reactions;        /* 0: not recorded; NONE is an explicit "none seen" */
  char        *instructions;     /* printed on the sheet */
  char        *notes;            /* private: never printed */
  gboolean     pregnancy_override;

  /* Set by the store. */
  gboolean     amended;
  gboolean     voided;
  char        *void_reason;
  /* Stored values this version cannot read (a field's id -> the raw text); %NULL when
   * there are none. Their fields are left "not recorded". */
  GHashTable  *unknown_values;
  /* How many amendments the store held of it when it was read (meso_store_get_session()),
   * or -1 for a session not read from a store: an amendment made from a copy read
   * before another one is refused rather than written over it. */
  gint         amendments_read;
};

gboolean meso_field_load_text  (MesoSession  *self,
                                MesoField     field,
                                const char   *text,
                                GError      **error);
void     meso_field_copy_value (MesoField     field,
                                MesoSession  *dest,
                                MesoSession  *src);
void     meso_field_get_value  (MesoSession  *self,
                                MesoField     field,
                                GValue       *value);
void     meso_field_set_value  (MesoSession  *self,
                                MesoField     field,
                                const GValue *value);

/* For the store, which reads the session and checks an amendment against it. */
gint     meso_session_get_amendments_read (MesoSession *self);
void     meso_session_set_amendments_read (MesoSession *self,
                                           gint         n_amendments);

/* For the field table, after it changed @field's value. */
void     meso_session_notify_field (MesoSession *self,
                                    MesoField    field);

G_END_DECLS
