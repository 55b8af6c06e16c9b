/* meso-sheet.c
 *
 * A sheet is made in two steps: the content (which sentences, in which language), then
 * the page (MesoDocument lays the sentences out on pages and draws them). Nothing depends on the clock or the machine, so the same session and
 * adjustments always give the same PDF, byte for byte: a reprint is identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "meso-document.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-output.h"
#include "meso-sheet.h"

/* Sizes are in PostScript points (1/72 inch), the unit of a PDF page. */
#define MM              MESO_DOCUMENT_MM
#define BULLET_INDENT   MESO_DOCUMENT_BULLET_INDENT
#define PANEL_PAD       MESO_DOCUMENT_PANEL_PAD  /* inside the contact panel's box */
#define TITLE_SPACE     (4.0 * MM)    /* between the clinic's lines and the title */

/* Patient leaflets are read by people of every age and eyesight: clear-print guidance
 * asks for 12 pt at least for what they must read. Only the footer (the document's),
 * which repeats what the first page says, is smaller. */
#define BODY_FONT       "DejaVu Sans 12"
#define HEADING_FONT    "DejaVu Sans Bold 14"
#define TITLE_FONT      "DejaVu Sans Bold 19"
#define CLINIC_FONT     "DejaVu Sans Bold 15"

struct _MesoSheet
{
  GObject      parent_instance;

  MesoSession *session;
  MesoRules   *rules;
  char        *clinic_name;
  char        *clinic_address;
  char        *clinic_phone;
  char        *clinic_email;
  char        *emergency_number;
  GBytes      *logo;       /* the image itself: a reprint needs no file */
  char        *logo_type;
  char        *language;
  MesoPaper    paper;
  MesoAdjustments *adjustments;  /* the sheet's own copy */
  char        *fingerprint;  /* of the session's sealed entry, or NULL */
};

G_DEFINE_FINAL_TYPE (MesoSheet, meso_sheet, G_TYPE_OBJECT)

/* ---- The content ---- */

typedef enum
{
  ITEM_CLINIC,
  ITEM_CLINIC_DETAIL,
  ITEM_TITLE,
  ITEM_SUMMARY,
  ITEM_INTRO,
  ITEM_HEADING,
  ITEM_BULLET,
  ITEM_PANEL_HEADING,  /* the contact panel, drawn in a box */
  ITEM_PANEL_LINE,
  ITEM_PANEL_BULLET,
} ItemKind;


typedef struct
{
  ItemKind  kind;
  char     *markup;
} Item;

typedef struct
{
  MesoSheet *sheet;
  GArray    *items;         /* of Item */
  GPtrArray *untranslated;  /* groups shown in English for want of a translation */
} Content;

static void
clear_item (Item *item)
{
  g_free (item->markup);
}

static void
content_clear (Content *content)
{
  g_clear_pointer (&content->items, g_array_unref);
  g_clear_pointer (&content->untranslated, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Content, content_clear)

/* A string of the rules file in the sheet's language, noting any that falls back. */
static char *
tr (Content    *content,
    const char *group)
{
  gboolean fell_back = FALSE;
  char *text = meso_rules_translate (content->sheet->rules, group, content->sheet->language,
                                     &fell_back);

  if (fell_back && !g_ptr_array_find_with_equal_func (content->untranslated, group,
                                                      g_str_equal, NULL))
    g_ptr_array_add (content->untranslated, g_strdup (group));
  return text;
}

static char *
label (Content    *content,
       const char *key)
{
  g_autofree char *group = g_strconcat ("Label ", key, NULL);

  return tr (content, group);
}

static void
add_item (Content    *content,
          ItemKind    kind,
          char       *markup)
{
  Item item = { kind, markup };

  g_array_append_val (content->items, item);
}

static void
add_text (Content    *content,
          ItemKind    kind,
          const char *text)
{
  add_item (content, kind, g_markup_escape_text (text, -1));
}

static char *
replace_all (const char *template,
             const char *key,
             const char *value)
{
  GString *text = g_string_new (template);

  g_string_replace (text, key, value, 0);
  return g_string_free (text, FALSE);
}

/* "22 November 2026", "22 novembre 2026", "22 de noviembre de 2026": the words and their
 * order come from the rules file, so each language writes dates its own way. */
static char *
format_date (Content *content,
             guint    year,
             guint    month,
             guint    day)
{
  g_autofree char *format = label (content, day == 1 ? "date-format-first" : "date-format");
  g_autofree char *month_group = g_strdup_printf ("Month %u", month);
  g_autofree char *month_name = tr (content, month_group);
  g_autoptr(GString) text = g_string_new (format);
  g_autofree char *day_str = g_strdup_printf ("%u", day);
  g_autofree char *year_str = g_strdup_printf ("%u", year);

  g_string_replace (text, "{day}", day_str, 0);
  g_string_replace (text, "{month}", month_name, 0);
  g_string_replace (text, "{year}", year_str, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_iso_date (Content    *content,
                 const char *iso)
{
  guint year = 0, month = 0, day = 0;

  if (iso == NULL || sscanf (iso, "%4u-%2u-%2u", &year, &month, &day) != 3)
    return g_strdup (iso != NULL ? iso : "");
  return format_date (content, year, month, day);
}

static char *
format_session_date (Content *content)
{
  GDateTime *when = meso_session_get_performed_at (content->sheet->session);
  g_autoptr(GDateTime) local = NULL;

  if (when == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (when);
  return format_date (content, g_date_time_get_year (local), g_date_time_get_month (local),
                      g_date_time_get_day_of_month (local));
}

/* One "Label: value" of the summary, which runs on as a paragraph: kept whole on a line
 * when short, so that no label is parted from its value. */
static void
add_summary_row (Content    *content,
                 GString    *summary,
                 const char *key,
                 const char *value)
{
  g_autofree char *name = NULL;
  g_autofree char *format = NULL;
  g_autofree char *bold_name = NULL;
  g_autofree char *escaped_value = NULL;
  g_autofree char *with_label = NULL;
  g_autofree char *row = NULL;

  if (value == NULL || *value == '\0')
    return;
  name = label (content, key);
  format = label (content, "summary-row");
  bold_name = g_markup_printf_escaped ("<b>%s</b>", name);
  escaped_value = g_markup_escape_text (value, -1);
  with_label = replace_all (format, "{label}", bold_name);
  row = replace_all (with_label, "{value}", escaped_value);

  g_string_append_printf (summary, "%s<span allow_breaks=\"%s\">%s</span>",
                          summary->len > 0 ? "   ·   " : "",
                          g_utf8_strlen (value, -1) <= 40 ? "false" : "true", row);
}

static char *
format_areas (Content *content)
{
  g_autoptr(GString) names = g_string_new (NULL);

  MESO_AREA_FOREACH (area)
    {
      g_autofree char *group = NULL;
      g_autofree char *name = NULL;

      if (!(meso_session_get_areas (content->sheet->session) & area))
        continue;
      group = g_strconcat ("Area ", meso_area_get_id (area), NULL);
      name = tr (content, group);
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* "Hair cocktail (lot L-42)", numbers written the language's way. */
static char *
format_product (Content *content)
{
  MesoSession *session = content->sheet->session;
  const char *product = meso_session_get_product (session);
  const char *lot = meso_session_get_lot (session);
  g_autofree char *lot_word = label (content, "lot");

  if (product == NULL && lot == NULL)
    return g_strdup ("");
  if (lot == NULL)
    return g_strdup (product);
  return g_strdup_printf ("%s%s(%s %s)", product != NULL ? product : "",
                          product != NULL ? " " : "", lot_word, lot);
}

static void
add_summary (Content *content)
{
  MesoSession *session = content->sheet->session;
  g_autofree char *date = format_session_date (content);
  g_autofree char *areas = format_areas (content);
  g_autofree char *injections = g_strdup_printf ("%u", meso_session_get_injections (session));
  g_autofree char *minutes = label (content, "minutes");
  g_autofree char *duration = g_strdup_printf ("%u %s", meso_session_get_duration (session),
                                               minutes);
  g_autofree char *product = format_product (content);
  g_autofree char *practitioner = meso_rules_format_practitioner (content->sheet->rules, session,
                                                                  content->sheet->language);

  g_autoptr(GString) summary = g_string_new (NULL);

  add_summary_row (content, summary, "patient", meso_session_get_patient_name (session));
  add_summary_row (content, summary, "date", date);
  add_summary_row (content, summary, "practitioner", practitioner);
  add_summary_row (content, summary, "areas", areas);
  add_summary_row (content, summary, "injections", injections);
  add_summary_row (content, summary, "duration", duration);
  add_summary_row (content, summary, "product", product);
  add_item (content, ITEM_SUMMARY, g_string_free (g_steal_pointer (&summary), FALSE));
}

/* A phone number or an email address as one run that lines never break: "+33 1 ⏎ 23"
 * or "accueil@clinique- ⏎ lumen.example" cannot be dialled or typed. The spaces stay
 * plain spaces, so the number reads (and copies out of the PDF) as it was written. An
 * address too long for any line may still break: better broken than cut off. */
#define UNBREAKABLE_MAX_CHARS 48

static char *
unbroken (const char *text,
          gboolean    bold)
{
  gboolean keep = g_utf8_strlen (text, -1) <= UNBREAKABLE_MAX_CHARS;
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return g_strdup_printf ("<span allow_breaks=\"%s\"%s>%s</span>", keep ? "false" : "true",
                          bold ? " weight=\"bold\"" : "", escaped);
}

static char *
labelled_contact (Content    *content,
                  const char *key,
                  const char *value)
{
  g_autofree char *word = label (content, key);
  g_autofree char *escaped_word = g_markup_escape_text (word, -1);
  g_autofree char *run = unbroken (value, FALSE);

  return g_strdup_printf ("%s %s", escaped_word, run);
}

static void
add_header (Content *content)
{
  MesoSheet *self = content->sheet;
  g_autofree char *placeholder = label (content, "clinic-placeholder");
  g_autofree char *title = label (content, "title");

  add_text (content, ITEM_CLINIC, self->clinic_name != NULL ? self->clinic_name : placeholder);
  /* The address on one line where it fits: the patient needs the phone more. */
  if (self->clinic_address != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (self->clinic_address, "\n", -1);
      g_autofree char *joined = NULL;

      for (guint i = 0; lines[i] != NULL; i++)
        g_strstrip (lines[i]);
      joined = g_strjoinv (", ", lines);
      add_text (content, ITEM_CLINIC_DETAIL, joined);
    }
  if (self->clinic_phone != NULL || self->clinic_email != NULL)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      if (self->clinic_phone != NULL)
        {
          g_autofree char *phone = labelled_contact (content, "phone", self->clinic_phone);

          g_string_append (line, phone);
        }
      /* Each on a line of its own when both do not fit: the break falls between them. */
      if (self->clinic_email != NULL)
        {
          g_autofree char *email = labelled_contact (content, "email", self->clinic_email);

          g_string_append_printf (line, "%s%s", line->len > 0 ? "   ·   " : "", email);
        }
      add_item (content, ITEM_CLINIC_DETAIL, g_string_free (g_steal_pointer (&line), FALSE));
    }
  add_text (content, ITEM_TITLE, title);
  add_summary (content);
}

/* @text with the session's values put in its placeholders. */
static char *
fill_placeholders (Content    *content,
                   const char *text)
{
  MesoSheet *self = content->sheet;
  g_autoptr(GString) filled = NULL;

  if (strchr (text, '{') == NULL)
    return g_strdup (text);

  filled = g_string_new (text);
  if (strstr (text, "{next-session}") != NULL)
    {
      g_autofree char *next = format_iso_date (content,
                                               meso_session_get_next_session (self->session));

      g_string_replace (filled, "{next-session}", next, 0);
    }
  if (strstr (text, "{session-number}") != NULL || strstr (text, "{series-total}") != NULL)
    {
      g_autofree char *number = meso_session_get_field_text (self->session,
                                                             MESO_FIELD_SESSION_NUMBER);
      g_autofree char *total = meso_session_get_field_text (self->session,
                                                            MESO_FIELD_SERIES_TOTAL);

      g_string_replace (filled, "{session-number}", number, 0);
      g_string_replace (filled, "{series-total}", total, 0);
    }
  return g_string_free (g_steal_pointer (&filled), FALSE);
}

/* A rule's words for this patient: the practitioner's own text when they changed it,
 * with the session's values put in. */
static char *
rule_text (Content        *content,
           const MesoRule *rule)
{
  MesoSheet *self = content->sheet;
  const char *adjusted = meso_adjustments_get_text (self->adjustments, meso_rule_get_id (rule));
  g_autofree char *text = adjusted != NULL ? g_strdup (adjusted)
                                           : tr (content, meso_rule_get_group (rule));

  return fill_placeholders (content, text);
}

static gboolean
rule_is_off (MesoSheet      *self,
             const MesoRule *rule)
{
  return meso_adjustments_is_rule_off (self->adjustments, meso_rule_get_id (rule));
}

/* What the section adds besides its rules: the clinician's instructions, and the lines
 * added for this patient. */
static void
add_section_extras (Content    *content,
                    const char *section,
                    GPtrArray  *bullets)
{
  MesoSheet *self = content->sheet;

  if (g_str_equal (section, "instructions"))
    {
      const char *instructions = meso_session_get_instructions (self->session);
      g_auto(GStrv) lines = g_strsplit (instructions != NULL ? instructions : "", "\n", -1);

      /* The clinician's own words come first: they take precedence over the sheet. */
      for (guint i = 0; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          g_ptr_array_insert (bullets, (int) i, g_strdup (lines[i]));
      const char * const *added = meso_adjustments_get_lines (self->adjustments);

      for (guint i = 0; added[i] != NULL; i++)
        g_ptr_array_add (bullets, g_strdup (added[i]));
    }
}

/* The contact panel's section: what the patient must find at once, on the first page. */
#define PANEL_SECTION "contact"

static GPtrArray *
section_bullets (Content    *content,
                 GPtrArray  *selected,
                 const char *section)
{
  MesoSheet *self = content->sheet;
  GPtrArray *bullets = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < selected->len; i++)
    {
      const MesoRule *rule = g_ptr_array_index (selected, i);

      if (g_str_equal (meso_rule_get_section (rule), section) && !rule_is_off (self, rule))
        g_ptr_array_add (bullets, rule_text (content, rule));
    }
  add_section_extras (content, section, bullets);
  return bullets;
}

static char *
section_title (Content    *content,
               const char *section)
{
  g_autofree char *group = g_strconcat ("Section ", section, NULL);

  return tr (content, group);
}

/* The box near the top of the first page: the clinic's phone (and email), the number for
 * emergencies, and every sign to call for, each its own bullet. The numbers never break
 * across lines. Never empty: the emergency number is always there. */
static void
add_contact_panel (Content   *content,
                   GPtrArray *selected)
{
  MesoSheet *self = content->sheet;
  g_autoptr(GPtrArray) bullets = section_bullets (content, selected, PANEL_SECTION);
  g_autofree char *title = section_title (content, PANEL_SECTION);
  g_autofree char *emergency = label (content, "emergency");
  g_autofree char *emergency_escaped = NULL;
  g_autofree char *emergency_bold = NULL;
  g_autofree char *number = unbroken (self->emergency_number, TRUE);

  /* A rules file of its own may lack the panel's words: the number is given all the same. */
  if (strstr (emergency, "{number}") == NULL)
    {
      g_free (emergency);
      emergency = g_strdup ("Emergency: {number}");
    }
  emergency_escaped = g_markup_escape_text (emergency, -1);
  emergency_bold = g_strdup_printf ("<b>%s</b>", emergency_escaped);
  if (*title != '\0')
    add_text (content, ITEM_PANEL_HEADING, title);
  if (self->clinic_phone != NULL)
    {
      g_autofree char *format = label (content, "clinic-contact");
      g_autofree char *placeholder = label (content, "clinic-placeholder");
      g_autofree char *name = g_markup_escape_text (self->clinic_name != NULL
                                                    ? self->clinic_name : placeholder, -1);
      g_autofree char *escaped = g_markup_escape_text (format, -1);
      g_autofree char *phone = unbroken (self->clinic_phone, TRUE);
      g_autofree char *with_name = replace_all (escaped, "{clinic}", name);

      add_item (content, ITEM_PANEL_LINE, replace_all (with_name, "{phone}", phone));
    }
  if (self->clinic_email != NULL)
    add_item (content, ITEM_PANEL_LINE, labelled_contact (content, "email", self->clinic_email));
  add_item (content, ITEM_PANEL_LINE, replace_all (emergency_bold, "{number}", number));
  for (guint i = 0; i < bullets->len; i++)
    add_text (content, ITEM_PANEL_BULLET, g_ptr_array_index (bullets, i));
}

/* The clinician's own instructions: first after the summary, under a heading that says
 * they take precedence over the rest of the sheet. */
#define FIRST_SECTION "instructions"

/* A section's heading and bullets; a section with nothing to say for this session is
 * left out, heading and all. */
static void
add_section (Content    *content,
             GPtrArray  *selected,
             const char *section)
{
  g_autoptr(GPtrArray) bullets = section_bullets (content, selected, section);
  g_autofree char *title = NULL;

  if (bullets->len == 0)
    return;
  title = section_title (content, section);
  add_text (content, ITEM_HEADING, title);
  for (guint i = 0; i < bullets->len; i++)
    add_text (content, ITEM_BULLET, g_ptr_array_index (bullets, i));
}

/* In the order the patient needs them: what the clinician said, whom to call and when,
 * then the days as they come. */
static void
add_sections (Content *content)
{
  MesoSheet *self = content->sheet;
  g_autoptr(GPtrArray) selected = meso_rules_select (self->rules, self->session);
  const char * const *sections = meso_rules_get_sections (self->rules);
  g_autofree char *intro = label (content, "intro");

  add_section (content, selected, FIRST_SECTION);
  add_contact_panel (content, selected);
  add_text (content, ITEM_INTRO, intro);
  for (guint s = 0; sections[s] != NULL; s++)
    if (!g_str_equal (sections[s], PANEL_SECTION) && !g_str_equal (sections[s], FIRST_SECTION))
      add_section (content, selected, sections[s]);
}

static void
collect_content (MesoSheet *self,
                 Content   *content)
{
  content->sheet = self;
  content->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (content->items, (GDestroyNotify) clear_item);
  content->untranslated = g_ptr_array_new_with_free_func (g_free);
  add_header (content);
  add_sections (content);
}

/* ---- The page ---- */

/* Each kind of line of the sheet, as the document lays it out. */
static const MesoTextStyle item_styles[] = {
  [ITEM_CLINIC] = { CLINIC_FONT, 0, 0, .keep_with_next = TRUE, .beside_logo = TRUE },
  [ITEM_CLINIC_DETAIL] = { BODY_FONT, 2, 0, .keep_with_next = TRUE, .beside_logo = TRUE },
  [ITEM_TITLE] = { TITLE_FONT, TITLE_SPACE, 0, .keep_with_next = TRUE, .balanced = TRUE },
  [ITEM_SUMMARY] = { BODY_FONT, 6, 0, .keep_with_next = TRUE },
  [ITEM_INTRO] = { BODY_FONT, 10, 0 },
  [ITEM_HEADING] = { HEADING_FONT, 11, 0, .keep_with_next = TRUE },
  [ITEM_BULLET] = { BODY_FONT, 3, BULLET_INDENT, .bullet = TRUE },
  /* The panel is one block of the page: each of its parts goes with the next. */
  [ITEM_PANEL_HEADING] = { HEADING_FONT, 12 + PANEL_PAD, PANEL_PAD, .keep_with_next = TRUE,
                           .boxed = TRUE },
  [ITEM_PANEL_LINE] = { BODY_FONT, 3, PANEL_PAD, .keep_with_next = TRUE, .boxed = TRUE },
  [ITEM_PANEL_BULLET] = { BODY_FONT, 3, PANEL_PAD + BULLET_INDENT, .keep_with_next = TRUE,
                          .bullet = TRUE, .boxed = TRUE },
};

static void
append_footer_part (GString    *text,
                    const char *part)
{
  g_autofree char *escaped = g_markup_escape_text (part, -1);

  g_string_append_printf (text, "%s%s", text->len > 0 ? "   ·   " : "", escaped);
}

/* What the patient needs on any page that goes astray: whose sheet, of which day, the
 * number to call, and which page of how many. */
static char *
footer_left (Content *content)
{
  MesoSheet *self = content->sheet;
  g_autofree char *date = format_session_date (content);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *patient = meso_session_get_patient_name (self->session);

  if (self->clinic_phone != NULL)
    {
      g_autofree char *phone = labelled_contact (content, "phone", self->clinic_phone);

      g_string_append (text, phone);
    }
  if (patient != NULL && *patient != '\0')
    append_footer_part (text, patient);
  if (*date != '\0')
    append_footer_part (text, date);
  if (self->fingerprint != NULL)
    {
      g_autofree char *format = label (content, "fingerprint");
      g_autoptr(GString) code = g_string_new (format);

      g_string_replace (code, "{code}", self->fingerprint, 0);
      append_footer_part (text, code->str);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Metadata that depends only on the session, so that a reprint is byte-for-byte the
 * same document as the first print. */
static void
set_metadata (Content      *content,
              MesoDocument *document)
{
  MesoSheet *self = content->sheet;
  g_autofree char *title = label (content, "title");
  g_autofree char *placeholder = label (content, "clinic-placeholder");
  GDateTime *when = meso_session_get_performed_at (self->session);
  g_autofree char *iso = NULL;

  if (when != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

      iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  /* The subject is never the patient's name: file managers and indexers show a PDF's
   * metadata. */
  meso_document_set_metadata (document, title,
                              self->clinic_name != NULL ? self->clinic_name : placeholder,
                              title, iso);
}

/* The sheet's content on the document's pages: the clinic's lines beside its logo, the
 * footer in the sheet's language. */
static MesoDocument *
make_document (MesoSheet *self,
               Content   *content)
{
  MesoDocument *document = meso_document_new (self->paper, self->language);
  g_autofree char *footer = footer_left (content);
  g_autofree char *page_format = label (content, "page");

  meso_document_set_logo (document, self->logo, self->logo_type);
  meso_document_set_footer (document, footer, page_format);
  set_metadata (content, document);
  for (guint i = 0; i < content->items->len; i++)
    {
      const Item *item = &g_array_index (content->items, Item, i);

      meso_document_add_text (document, &item_styles[item->kind], item->markup);
    }
  return document;
}

/* ---- The object ---- */

static void
meso_sheet_finalize (GObject *object)
{
  MesoSheet *self = (MesoSheet *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->rules);
  g_clear_pointer (&self->clinic_name, g_free);
  g_clear_pointer (&self->clinic_address, g_free);
  g_clear_pointer (&self->clinic_phone, g_free);
  g_clear_pointer (&self->clinic_email, g_free);
  g_clear_pointer (&self->emergency_number, g_free);
  g_clear_pointer (&self->logo, g_bytes_unref);
  g_clear_pointer (&self->logo_type, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->adjustments);

  G_OBJECT_CLASS (meso_sheet_parent_class)->finalize (object);
}

static void
meso_sheet_class_init (MesoSheetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = meso_sheet_finalize;
}

static void
meso_sheet_init (MesoSheet *self)
{
  self->language = g_strdup ("en");
  self->paper = MESO_PAPER_A4;
  self->adjustments = meso_adjustments_new ();
  self->emergency_number = g_strdup (meso_clinic_default_emergency_number (NULL));
}

/**
 * meso_sheet_new:
 * @session: the session the sheet is for
 * @rules: the aftercare rules
 *
 * The sheet keeps its own copy of @session, so it can render in another thread. Its
 * language is the patient's, whatever the language of the user interface.
 *
 * Returns: (transfer full): a sheet on the locale's paper until told otherwise.
 */
MesoSheet *
meso_sheet_new (MesoSession *session,
                MesoRules   *rules)
{
  MesoSheet *self;

  g_return_val_if_fail (MESO_IS_SESSION (session), NULL);
  g_return_val_if_fail (MESO_IS_RULES (rules), NULL);

  self = g_object_new (MESO_TYPE_SHEET, NULL);
  self->session = meso_session_copy (session);
  self->rules = g_object_ref (rules);
  meso_sheet_set_language (self, meso_session_get_language (session));
  self->paper = meso_paper_get_default ();
  return self;
}

static char *
dup_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/**
 * meso_sheet_set_clinic:
 * @self: a #MesoSheet
 * @clinic: the clinic's details (meso_store_get_clinic()); empty ones are left out
 *
 * The sheet keeps its own copy: @clinic may change afterwards.
 */
void
meso_sheet_set_clinic (MesoSheet  *self,
                       MesoClinic *clinic)
{
  GBytes *logo;

  g_return_if_fail (MESO_IS_SHEET (self));
  g_return_if_fail (MESO_IS_CLINIC (clinic));

  meso_sheet_set_clinic_name (self, meso_clinic_get_name (clinic));
  g_free (self->clinic_address);
  self->clinic_address = dup_or_null (meso_clinic_get_address (clinic));
  g_free (self->clinic_phone);
  self->clinic_phone = dup_or_null (meso_clinic_get_phone (clinic));
  g_free (self->clinic_email);
  self->clinic_email = dup_or_null (meso_clinic_get_email (clinic));
  g_free (self->emergency_number);
  self->emergency_number = g_strdup (meso_clinic_get_emergency_number_or_default (clinic));
  /* The bytes never change: shared, not copied. */
  logo = meso_clinic_get_logo (clinic);
  g_clear_pointer (&self->logo, g_bytes_unref);
  self->logo = logo != NULL ? g_bytes_ref (logo) : NULL;
  g_free (self->logo_type);
  self->logo_type = g_strdup (meso_clinic_get_logo_type (clinic));
}

void
meso_sheet_set_clinic_name (MesoSheet  *self,
                            const char *clinic_name)
{
  g_return_if_fail (MESO_IS_SHEET (self));
  g_free (self->clinic_name);
  self->clinic_name = dup_or_null (clinic_name);
}

void
meso_sheet_set_language (MesoSheet  *self,
                         const char *language)
{
  g_return_if_fail (MESO_IS_SHEET (self));
  g_return_if_fail (language != NULL);
  g_free (self->language);
  self->language = g_strdup (language);
}

const char *
meso_sheet_get_language (MesoSheet *self)
{
  g_return_val_if_fail (MESO_IS_SHEET (self), NULL);
  return self->language;
}

void
meso_sheet_set_paper (MesoSheet *self,
                      MesoPaper  paper)
{
  g_return_if_fail (MESO_IS_SHEET (self));
  self->paper = paper;
}

/**
 * meso_sheet_set_fingerprint:
 * @self: a #MesoSheet
 * @fingerprint: (nullable): meso_store_get_fingerprint() of the session, printed in the
 *   footer so that a sheet in hand can be confirmed against the audit log
 */
void
meso_sheet_set_fingerprint (MesoSheet  *self,
                            const char *fingerprint)
{
  g_return_if_fail (MESO_IS_SHEET (self));

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
}

/**
 * meso_sheet_set_adjustments:
 * @self: a #MesoSheet
 * @adjustments: (nullable): what the practitioner changed for this patient
 *
 * The sheet keeps a copy: the form may go on changing its own while the sheet renders.
 */
void
meso_sheet_set_adjustments (MesoSheet       *self,
                            MesoAdjustments *adjustments)
{
  g_autofree char *data = NULL;

  g_return_if_fail (MESO_IS_SHEET (self));

  g_clear_object (&self->adjustments);
  if (adjustments != NULL)
    {
      data = meso_adjustments_to_data (adjustments);
      self->adjustments = meso_adjustments_new_from_data (data, NULL);
    }
  if (self->adjustments == NULL)
    self->adjustments = meso_adjustments_new ();
  meso_rules_keep_safety_lines (self->rules, self->adjustments);
}

/**
 * meso_sheet_list_untranslated:
 * @self: a #MesoSheet
 *
 * The strings this sheet prints in English because its language has no translation of
 * them yet, so that the app can say so before printing.
 *
 * Returns: (transfer full): the groups of the rules file concerned; empty when the
 *   sheet is entirely in its language.
 */
GStrv
meso_sheet_list_untranslated (MesoSheet *self)
{
  g_auto(Content) content = { 0 };

  g_return_val_if_fail (MESO_IS_SHEET (self), NULL);

  collect_content (self, &content);
  g_ptr_array_add (content.untranslated, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&content.untranslated), FALSE);
}

/**
 * meso_sheet_fill_text:
 * @self: a #MesoSheet
 * @text: words of the sheet, with placeholders such as "{session-number}"
 *
 * What the sheet prints for @text: the session's values put in its placeholders, dates
 * written the way the sheet's language writes them. The app shows the advice this way,
 * as the patient will read it.
 *
 * Returns: (transfer full): @text filled in.
 */
char *
meso_sheet_fill_text (MesoSheet  *self,
                      const char *text)
{
  g_auto(Content) content = { 0 };

  g_return_val_if_fail (MESO_IS_SHEET (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  content.sheet = self;
  content.untranslated = g_ptr_array_new_with_free_func (g_free);
  return fill_placeholders (&content, text);
}

/**
 * meso_sheet_get_missing_clinic:
 * @self: a #MesoSheet
 *
 * What the patient would miss: a sheet headed by no clinic's name, or telling them to call
 * the clinic with no number, is still printed, but the user is told first.
 *
 * Returns: %MESO_CLINIC_NAME and %MESO_CLINIC_PHONE, those of them not set.
 */
MesoClinicFields
meso_sheet_get_missing_clinic (MesoSheet *self)
{
  g_return_val_if_fail (MESO_IS_SHEET (self), 0);

  return (self->clinic_name == NULL ? MESO_CLINIC_NAME : 0)
         | (self->clinic_phone == NULL ? MESO_CLINIC_PHONE : 0);
}

/**
 * meso_sheet_render_pdf:
 * @self: a #MesoSheet
 * @error: a #GError
 *
 * Lays the sheet out and draws it. Safe to call from a worker thread.
 *
 * Returns: (transfer full): the PDF document.
 */
GBytes *
meso_sheet_render_pdf (MesoSheet  *self,
                       GError    **error)
{
  g_auto(Content) content = { 0 };
  g_autoptr(MesoDocument) document = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *pdf;

  g_return_val_if_fail (MESO_IS_SHEET (self), NULL);

  collect_content (self, &content);
  document = make_document (self, &content);
  pdf = meso_document_render_pdf (document, &local_error);
  if (pdf == NULL)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_RENDER,
                   _("Aftercare sheet: drawing failed: %s"), local_error->message);
      return NULL;
    }
  return pdf;
}

/**
 * meso_sheet_write_pdf:
 * @self: a #MesoSheet
 * @path: where to write the PDF
 * @error: a #GError
 *
 * Writes the sheet to @path. The file is replaced as a whole and readable by its owner
 * only: a failure leaves any earlier file as it was, never half-written.
 */
gboolean
meso_sheet_write_pdf (MesoSheet   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GBytes) pdf = meso_sheet_render_pdf (self, error);

  return pdf != NULL
         && meso_output_write_file (path, NULL, g_bytes_get_data (pdf, NULL),
                                    g_bytes_get_size (pdf), error);
}
