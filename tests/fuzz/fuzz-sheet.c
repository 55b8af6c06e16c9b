/* fuzz-sheet.c: the aftercare sheet drawn from extreme values
 *
 * Input: parts cut at NUL bytes. The first is a few control bytes (language, paper,
 * counts at their maximum, a text repeated to make it huge); then one part per field of
 * a session, in the form's order, taken as the store takes back a stored value (its form
 * checked, not today's bounds: what an old or damaged record may hold); then the
 * clinic's name, address, phone, email and emergency number; then a rule's adjusted text
 * and an added line. The patient's name is set as it comes, whatever its length.
 * The PDF is drawn into memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "meso-clinic.h"
#include "meso-field.h"
#include "meso-fuzz.h"
#include "meso-rules.h"
#include "meso-session-private.h"
#include "meso-sheet.h"

static MesoRules *rules;
static const char * const languages[] = { MESO_SHEET_LANGUAGES, "de", "" };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  meso_fuzz_init ();
  rules = meso_rules_new_default (&error);
  g_assert_no_error (error);
  return 0;
}

static const char *
next_part (GStrv   parts,
           guint  *index)
{
  if (parts[*index] == NULL)
    return NULL;
  return parts[(*index)++];
}

/* Control byte 1: which field (in the form's order) is repeated, byte 2 how often; up to
 * 64 KiB, some twenty pages of text, so that one input still draws in a second or so. */
static char *
enlarge (const char *text,
         guint       times)
{
  g_autoptr(GString) big = g_string_new (NULL);

  for (guint i = 0; i < times && big->len < 64 * 1024; i++)
    g_string_append (big, text);
  return g_string_free (g_steal_pointer (&big), FALSE);
}

static MesoSession *
make_session (GStrv        parts,
              guint       *index,
              const guint8 *control)
{
  g_autoptr(MesoSession) session = meso_session_new ();
  guint field_number = 0;
  const char *text;

  MESO_FIELD_FOREACH (field)
    {
      g_autofree char *big = NULL;

      if ((text = next_part (parts, index)) == NULL)
        break;
      if (field_number++ == control[1] % MESO_N_FIELDS && control[2] > 1)
        text = big = enlarge (text, control[2]);
      /* Text that is not UTF-8 never reaches a session: the store refuses it. */
      if (field == MESO_FIELD_PATIENT && g_utf8_validate (text, -1, NULL))
        meso_session_set_patient_name (session, text);
      else
        meso_field_load_text (session, field, text, NULL);
    }
  if (control[3] & 1)
    meso_session_set_injections (session, G_MAXUINT);
  if (control[3] & 2)
    meso_session_set_duration (session, G_MAXUINT);
  if (control[3] & 4)
    meso_session_set_areas (session, MESO_AREA_ALL);
  if (control[3] & 8)
    meso_field_load_text (session, MESO_FIELD_REACTIONS,
                          "redness,bruising,swelling,bleeding,pain,other", NULL);
  if (control[3] & 16)
    meso_session_set_voided (session, "fuzz");
  if (control[3] & 32)
    meso_session_set_amended (session, TRUE);
  return g_steal_pointer (&session);
}

static MesoClinic *
make_clinic (GStrv  parts,
             guint *index)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  void (*setters[]) (MesoClinic *, const char *) = {
    meso_clinic_set_name, meso_clinic_set_address, meso_clinic_set_phone,
    meso_clinic_set_email, meso_clinic_set_emergency_number,
  };
  const char *text;

  for (guint i = 0; i < G_N_ELEMENTS (setters); i++)
    if ((text = next_part (parts, index)) != NULL && g_utf8_validate (text, -1, NULL))
      setters[i] (clinic, text);
  return g_steal_pointer (&clinic);
}

static MesoAdjustments *
make_adjustments (GStrv         parts,
                  guint        *index,
                  const guint8 *control)
{
  g_autoptr(MesoAdjustments) adjustments = meso_adjustments_new ();
  GPtrArray *all = meso_rules_get_rules (rules);
  const MesoRule *rule = g_ptr_array_index (all, control[4] % all->len);
  const char *text;

  if ((text = next_part (parts, index)) != NULL)
    meso_adjustments_set_text (adjustments, meso_rule_get_id (rule), text, NULL);
  if ((text = next_part (parts, index)) != NULL)
    meso_adjustments_add_line (adjustments, text, NULL);
  if (control[5] & 1)
    meso_adjustments_set_rule_off (adjustments, meso_rule_get_id (rule), TRUE);
  return g_steal_pointer (&adjustments);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(GStrv) parts = meso_fuzz_split (data, size, 64);
  guint8 control[8] = { 0 };
  guint index = 1;
  g_autoptr(MesoSession) session = NULL;
  g_autoptr(MesoClinic) clinic = NULL;
  g_autoptr(MesoAdjustments) adjustments = NULL;
  g_autoptr(MesoSheet) sheet = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;

  memcpy (control, parts[0], MIN (strlen (parts[0]), sizeof control));
  session = make_session (parts, &index, control);
  clinic = make_clinic (parts, &index);
  adjustments = make_adjustments (parts, &index, control);

  sheet = meso_sheet_new (session, rules);
  if (control[0] % 4 != 0)
    meso_sheet_set_language (sheet, languages[control[0] % G_N_ELEMENTS (languages)]);
  meso_sheet_set_paper (sheet, control[5] & 2 ? MESO_PAPER_LETTER : MESO_PAPER_A4);
  meso_sheet_set_clinic (sheet, clinic);
  meso_sheet_set_adjustments (sheet, adjustments);
  g_strfreev (meso_sheet_list_untranslated (sheet));
  meso_sheet_get_missing_clinic (sheet);

  pdf = meso_sheet_render_pdf (sheet, &error);
  if (pdf == NULL)
    g_error ("the sheet was not drawn: %s", error->message);
  return 0;
}
