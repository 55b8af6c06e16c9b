/* meso-sheet.c
 *
 * A sheet is made in three steps: the content (which sentences, in which language),
 * the layout (Pango layouts placed line by line on pages), and the drawing onto a Cairo
 * PDF surface. Nothing depends on the clock or the machine, so the same session and
 * adjustments always give the same PDF, byte for byte: a reprint is identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "meso-error.h"
#include "meso-field.h"
#include "meso-output.h"
#include "meso-sheet.h"

/* Sizes are in PostScript points (1/72 inch), the unit of a PDF page. */
#define MM              (72.0 / 25.4)
#define MARGIN          (15.0 * MM)   /* inside what office printers print */
#define FOOTER_HEIGHT   24.0
#define BULLET_INDENT   15.0
#define PANEL_PAD       9.0           /* inside the contact panel's box */
#define TITLE_SPACE     4.0 * MM      /* between the clinic's lines and the title */
#define LOGO_WIDTH      (40.0 * MM)
#define LOGO_HEIGHT     (20.0 * MM)
#define MIN_LINES       2             /* never a lone line at a page's foot or head */
#define LAST_PAGE_MIN   0.15          /* a last page less full than this is drawn tighter */

/* Patient leaflets are read by people of every age and eyesight: clear-print guidance
 * asks for 12 pt at least for what they must read. Only the footer, which repeats what
 * the first page says, is smaller. */
#define BODY_FONT       "DejaVu Sans 12"
#define SMALL_FONT      "DejaVu Sans 9"
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

#define ITEM_IS_BOXED(kind) ((kind) >= ITEM_PANEL_HEADING)
#define ITEM_IS_BULLET(kind) ((kind) == ITEM_BULLET || (kind) == ITEM_PANEL_BULLET)

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

static void
add_sections (Content *content)
{
  MesoSheet *self = content->sheet;
  g_autoptr(GPtrArray) selected = meso_rules_select (self->rules, self->session);
  const char * const *sections = meso_rules_get_sections (self->rules);
  g_autofree char *intro = label (content, "intro");

  add_contact_panel (content, selected);
  add_text (content, ITEM_INTRO, intro);
  for (guint s = 0; sections[s] != NULL; s++)
    {
      g_autoptr(GPtrArray) bullets = NULL;
      g_autofree char *title = NULL;

      if (g_str_equal (sections[s], PANEL_SECTION))
        continue;
      bullets = section_bullets (content, selected, sections[s]);
      /* A section with nothing to say for this session is left out, heading and all. */
      if (bullets->len == 0)
        continue;
      title = section_title (content, sections[s]);
      add_text (content, ITEM_HEADING, title);
      for (guint i = 0; i < bullets->len; i++)
        add_text (content, ITEM_BULLET, g_ptr_array_index (bullets, i));
    }
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

/* ---- The layout ---- */

typedef struct
{
  guint  page;
  double y;       /* of the line's top, from the top of the page */
  double height;
} LinePlace;

typedef struct
{
  PangoLayout *layout;
  ItemKind     kind;
  double       x;             /* from the left margin */
  double       space_before;
  gboolean     keep_with_next;
  GArray      *places;        /* of LinePlace, one a line */
  GArray      *extents;       /* of PangoRectangle, one a line, from the layout's top */
  double       own_needed;    /* what of it must fit where it starts (needed_height ()) */
} Block;

typedef struct
{
  double        width;
  double        height;
  PangoContext *context;
  GArray       *blocks;       /* of Block */
  guint         n_pages;
  double        header_right; /* where the logo leaves room for the clinic's lines */
  double        spacing;      /* 1, or less to keep a last page from holding a line or two */
  char         *footer_left;  /* markup: the phone, the patient, the date */
  char         *page_format;  /* "Page {page} of {pages}" in the sheet's language */
} SheetLayout;

static void
clear_block (Block *block)
{
  g_clear_object (&block->layout);
  g_clear_pointer (&block->places, g_array_unref);
  g_clear_pointer (&block->extents, g_array_unref);
}

static const struct
{
  const char *font;
  double      space_before;
  double      x;
  gboolean    keep_with_next;
} item_styles[] = {
  [ITEM_CLINIC] = { CLINIC_FONT, 0, 0, TRUE },
  [ITEM_CLINIC_DETAIL] = { BODY_FONT, 2, 0, TRUE },
  [ITEM_TITLE] = { TITLE_FONT, TITLE_SPACE, 0, TRUE },
  [ITEM_SUMMARY] = { BODY_FONT, 6, 0, TRUE },
  [ITEM_INTRO] = { BODY_FONT, 10, 0, FALSE },
  [ITEM_HEADING] = { HEADING_FONT, 11, 0, TRUE },
  [ITEM_BULLET] = { BODY_FONT, 3, BULLET_INDENT, FALSE },
  /* The panel is one block of the page: each of its parts goes with the next. */
  [ITEM_PANEL_HEADING] = { HEADING_FONT, 12 + PANEL_PAD, PANEL_PAD, TRUE },
  [ITEM_PANEL_LINE] = { BODY_FONT, 3, PANEL_PAD, TRUE },
  [ITEM_PANEL_BULLET] = { BODY_FONT, 3, PANEL_PAD + BULLET_INDENT, TRUE },
};

/* A title on two lines is balanced: narrowed until just before it would take a third,
 * so that its second line never holds a single word. */
static void
balance_lines (PangoLayout *layout,
               double       width)
{
  int n_lines = pango_layout_get_line_count (layout);
  double narrowest = width;

  double widest_too_narrow = width * 0.4;

  if (n_lines < 2)
    return;
  /* Halving the range: a handful of layouts, to within 2% of the width. */
  while (narrowest - widest_too_narrow > width * 0.02)
    {
      double trial = (narrowest + widest_too_narrow) / 2;

      pango_layout_set_width (layout, pango_units_from_double (trial));
      if (pango_layout_get_line_count (layout) > n_lines)
        widest_too_narrow = trial;
      else
        narrowest = trial;
    }
  pango_layout_set_width (layout, pango_units_from_double (narrowest));
}

static GArray *line_extents      (const Block *block);
static double  own_needed_height (SheetLayout *sl,
                                  const Block *block);

static void
add_block (SheetLayout *sl,
           const Item  *item)
{
  g_autoptr(PangoFontDescription) desc =
    pango_font_description_from_string (item_styles[item->kind].font);
  Block block = { 0 };
  double width = sl->width - 2 * MARGIN - item_styles[item->kind].x;

  /* The clinic's own lines stop short of the logo. */
  if (item->kind == ITEM_CLINIC || item->kind == ITEM_CLINIC_DETAIL)
    width = sl->header_right - MARGIN;

  if (ITEM_IS_BOXED (item->kind))
    width -= PANEL_PAD;
  block.kind = item->kind;
  block.x = item_styles[item->kind].x;
  block.space_before = item_styles[item->kind].space_before;
  block.keep_with_next = item_styles[item->kind].keep_with_next;
  /* The text after the panel keeps clear of its box. */
  if (sl->blocks->len > 0 && !ITEM_IS_BOXED (item->kind)
      && ITEM_IS_BOXED (g_array_index (sl->blocks, Block, sl->blocks->len - 1).kind))
    block.space_before += PANEL_PAD;
  block.layout = pango_layout_new (sl->context);
  pango_layout_set_font_description (block.layout, desc);
  pango_layout_set_wrap (block.layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (block.layout, pango_units_from_double (width));
  pango_layout_set_markup (block.layout, item->markup, -1);
  if (item->kind == ITEM_TITLE)
    balance_lines (block.layout, width);
  block.places = g_array_new (FALSE, TRUE, sizeof (LinePlace));
  block.extents = line_extents (&block);
  block.own_needed = own_needed_height (sl, &block);
  g_array_append_val (sl->blocks, block);
}

/* The top and height of each line of @block, from the top of its layout. */
static GArray *
line_extents (const Block *block)
{
  GArray *extents = g_array_new (FALSE, FALSE, sizeof (PangoRectangle));
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);

  do
    {
      PangoRectangle logical;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      g_array_append_val (extents, logical);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  return extents;
}

static double
block_height (const Block *block)
{
  int height;

  pango_layout_get_size (block->layout, NULL, &height);
  return pango_units_to_double (height);
}

/* A block taller than this may flow onto the next page; any shorter one (every bullet
 * of the rules, every heading) is kept whole: a safety sentence is never cut in two. */
static gboolean
block_may_split (SheetLayout *sl,
                 const Block *block)
{
  return block_height (block) > (sl->height - 2 * MARGIN - FOOTER_HEIGHT) / 3;
}

/* How much of @block must fit where it starts: all of a block kept whole, or the first
 * MIN_LINES of a long one. */
static double
own_needed_height (SheetLayout *sl,
                   const Block *block)
{
  int n_lines = block->extents->len;

  if (n_lines > 2 * MIN_LINES && block_may_split (sl, block))
    {
      const PangoRectangle *line = &g_array_index (block->extents, PangoRectangle,
                                                   MIN_LINES - 1);

      return pango_units_to_double (line->y + line->height);
    }
  return block_height (block);
}

/* What must fit where each block starts: its own share and, for a block kept with the
 * next, that block's too; worked out from the last block back, once a pagination. */
static GArray *
needed_heights (SheetLayout *sl)
{
  guint n = sl->blocks->len;
  GArray *needed = g_array_sized_new (FALSE, TRUE, sizeof (double), n);

  g_array_set_size (needed, n);
  for (guint i = n; i-- > 0;)
    {
      const Block *block = &g_array_index (sl->blocks, Block, i);
      double value = block->own_needed;

      if (block->keep_with_next && i + 1 < n)
        value += g_array_index (sl->blocks, Block, i + 1).space_before * sl->spacing
                 + g_array_index (needed, double, i + 1);
      g_array_index (needed, double, i) = value;
    }
  return needed;
}

/* Places every line on a page. A block starts on a new page when its start does not
 * fit; a long paragraph then flows on, line by line, never leaving fewer than
 * MIN_LINES at a page's foot or head; a heading goes with what follows it. */
static double
paginate_once (SheetLayout *sl)
{
  const double top = MARGIN;
  const double bottom = sl->height - MARGIN - FOOTER_HEIGHT;
  guint page = 0;
  double y = top;
  g_autoptr(GArray) needed = needed_heights (sl);

  for (guint b = 0; b < sl->blocks->len; b++)
    {
      Block *block = &g_array_index (sl->blocks, Block, b);
      const GArray *extents = block->extents;
      double space = block->space_before * sl->spacing;
      double origin;

      g_array_set_size (block->places, 0);
      if (y > top && y + space + g_array_index (needed, double, b) > bottom)
        {
          page++;
          y = top;
        }
      if (y > top)
        y += space;

      origin = y;
      for (guint l = 0; l < extents->len; l++)
        {
          const PangoRectangle *line = &g_array_index (extents, PangoRectangle, l);
          double line_top = origin + pango_units_to_double (line->y);
          double line_bottom = line_top + pango_units_to_double (line->height);
          guint left = extents->len - l;
          LinePlace place;

          /* Break before this line if it does not fit, or if it would leave too few
           * lines of the paragraph for the next page. */
          if (line_top > top && l > 0
              && (line_bottom > bottom
                  || (left < MIN_LINES && line_bottom + (left - 1) * (line_bottom - line_top)
                                           > bottom)))
            {
              page++;
              origin = top - pango_units_to_double (line->y);
              line_top = top;
              line_bottom = top + pango_units_to_double (line->height);
            }
          place.page = page;
          place.y = line_top;
          place.height = line_bottom - line_top;
          g_array_append_val (block->places, place);
          y = line_bottom;
        }
    }
  sl->n_pages = page + 1;
  return (y - top) / (bottom - top);
}

/* A last page holding only a heading and a line or two wastes a sheet and reads as
 * forgotten: the spaces between blocks are then narrowed until it goes, or as far as
 * they can while the sheet stays clear. */
static void
paginate (SheetLayout *sl)
{
  static const double tighter[] = { 0.75, 0.5, 0.3 };
  double last_fill;
  guint n_pages;

  sl->spacing = 1.0;
  last_fill = paginate_once (sl);
  n_pages = sl->n_pages;
  if (n_pages < 2 || last_fill >= LAST_PAGE_MIN)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (tighter); i++)
    {
      sl->spacing = tighter[i];
      paginate_once (sl);
      if (sl->n_pages < n_pages)
        return;
    }
  sl->spacing = 1.0;
  paginate_once (sl);
}

/* ---- Drawing ---- */

static PangoLayout *
footer_layout (SheetLayout *sl,
               const char  *text)
{
  PangoLayout *layout = pango_layout_new (sl->context);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (SMALL_FONT);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_markup (layout, text, -1);
  return layout;
}

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
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
draw_footer (SheetLayout *sl,
             cairo_t     *cr,
             guint        page)
{
  g_autofree char *page_str = g_strdup_printf ("%u", page + 1);
  g_autofree char *pages_str = g_strdup_printf ("%u", sl->n_pages);
  g_autoptr(GString) text = g_string_new (sl->page_format);
  g_autofree char *escaped = NULL;
  g_autoptr(PangoLayout) right = NULL;
  g_autoptr(PangoLayout) left = NULL;
  int right_width, height;
  double baseline_top;

  g_string_replace (text, "{page}", page_str, 0);
  g_string_replace (text, "{pages}", pages_str, 0);
  escaped = g_markup_escape_text (text->str, -1);
  right = footer_layout (sl, escaped);
  pango_layout_get_size (right, &right_width, &height);
  left = footer_layout (sl, sl->footer_left);
  /* A very long name gives way, never the page number. */
  pango_layout_set_width (left, pango_units_from_double (sl->width - 2 * MARGIN - 12)
                                - right_width);
  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  baseline_top = sl->height - MARGIN - pango_units_to_double (height);

  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_new_path (cr);
  cairo_move_to (cr, MARGIN, baseline_top - 5);
  cairo_line_to (cr, sl->width - MARGIN, baseline_top - 5);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  cairo_move_to (cr, MARGIN, baseline_top);
  pango_cairo_show_layout (cr, left);
  cairo_move_to (cr, sl->width - MARGIN - pango_units_to_double (right_width), baseline_top);
  pango_cairo_show_layout (cr, right);
}

/* The contact panel's box, around its lines on @page: a light ground and a firm edge, so
 * that it is the first thing the eye finds. */
static void
draw_panel_box (SheetLayout *sl,
                cairo_t     *cr,
                guint        page)
{
  double top = G_MAXDOUBLE, bottom = -1;

  for (guint i = 0; i < sl->blocks->len; i++)
    {
      const Block *block = &g_array_index (sl->blocks, Block, i);

      if (!ITEM_IS_BOXED (block->kind))
        continue;
      for (guint l = 0; l < block->places->len; l++)
        {
          const LinePlace *place = &g_array_index (block->places, LinePlace, l);

          if (place->page != page)
            continue;
          top = MIN (top, place->y);
          bottom = MAX (bottom, place->y + place->height);
        }
    }
  if (bottom < 0)
    return;
  top = MAX (top - PANEL_PAD, MARGIN);
  bottom = MIN (bottom + PANEL_PAD, sl->height - MARGIN - FOOTER_HEIGHT);
  cairo_new_path (cr);
  cairo_rectangle (cr, MARGIN + 0.75, top, sl->width - 2 * MARGIN - 1.5, bottom - top);
  cairo_set_source_rgb (cr, 0.95, 0.96, 0.98);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.15, 0.25, 0.45);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

static void
draw_bullet (cairo_t         *cr,
             const Block     *block,
             const LinePlace *first)
{
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);
  double baseline = pango_units_to_double (pango_layout_iter_get_baseline (iter));

  pango_layout_iter_free (iter);
  /* A path of its own: from the last text's current point, the arc would draw a line. */
  cairo_new_path (cr);
  cairo_arc (cr, MARGIN + block->x - BULLET_INDENT / 2 - 1, first->y + baseline - 4, 2, 0,
             2 * G_PI);
  cairo_fill (cr);
}

static void
draw_block_lines (cairo_t     *cr,
                  const Block *block,
                  guint        page)
{
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);
  guint l = 0;

  do
    {
      const LinePlace *place = &g_array_index (block->places, LinePlace, l++);
      PangoRectangle logical;
      int baseline;

      if (place->page != page)
        continue;
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      baseline = pango_layout_iter_get_baseline (iter);
      cairo_move_to (cr, MARGIN + block->x + pango_units_to_double (logical.x),
                     place->y + pango_units_to_double (baseline - logical.y));
      pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
draw_page (Content     *content,
           SheetLayout *sl,
           cairo_t     *cr,
           guint        page)
{
  draw_panel_box (sl, cr, page);
  for (guint i = 0; i < sl->blocks->len; i++)
    {
      const Block *block = &g_array_index (sl->blocks, Block, i);
      const LinePlace *first = &g_array_index (block->places, LinePlace, 0);

      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      if (ITEM_IS_BULLET (block->kind) && first->page == page)
        draw_bullet (cr, block, first);
      draw_block_lines (cr, block, page);
    }
  draw_footer (sl, cr, page);
}

/* librsvg and what it pulls in take longer to load than the rest of a sheet takes to
 * make, and only an SVG logo needs it: it is loaded then, once, not at every start. */
typedef struct
{
  __typeof__ (rsvg_handle_new_from_data)                *new_from_data;
  __typeof__ (rsvg_handle_get_intrinsic_size_in_pixels) *get_size;
  __typeof__ (rsvg_handle_render_document)              *render;
} Rsvg;

static const Rsvg *
load_rsvg (void)
{
  static Rsvg rsvg;
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      GModule *module = g_module_open ("librsvg-2.so.2", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gboolean ok = module != NULL
                    && g_module_symbol (module, "rsvg_handle_new_from_data",
                                        (gpointer *) &rsvg.new_from_data)
                    && g_module_symbol (module, "rsvg_handle_get_intrinsic_size_in_pixels",
                                        (gpointer *) &rsvg.get_size)
                    && g_module_symbol (module, "rsvg_handle_render_document",
                                        (gpointer *) &rsvg.render);

      if (!ok)
        {
          g_warning ("SVG logos cannot be drawn: %s", g_module_error ());
          rsvg.new_from_data = NULL;
        }
      /* Kept loaded for the life of the process. */
      g_once_init_leave (&loaded, 1);
    }
  return rsvg.new_from_data != NULL ? &rsvg : NULL;
}

typedef struct
{
  GBytes *bytes;
  gsize   offset;
} PngReader;

static cairo_status_t
read_png_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  PngReader *reader = closure;
  gsize size = 0;
  const guint8 *bytes = g_bytes_get_data (reader->bytes, &size);

  if (size - reader->offset < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, bytes + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

/* The clinic's logo, top right, scaled into LOGO_WIDTH × LOGO_HEIGHT. A logo that cannot
 * be read is left out rather than stopping the sheet: the sheet matters more. */
static void
draw_logo (MesoSheet   *self,
           SheetLayout *sl,
           cairo_t     *cr)
{
  RsvgHandle *svg = NULL;  /* librsvg 2.54 has no g_autoptr for it */
  const Rsvg *rsvg = NULL;
  cairo_surface_t *png = NULL;
  double width = 0, height = 0, scale;

  if (self->logo == NULL)
    return;
  if (g_strcmp0 (self->logo_type, MESO_CLINIC_LOGO_SVG) == 0)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (self->logo, &size);

      rsvg = load_rsvg ();
      if (rsvg == NULL)
        return;
      svg = rsvg->new_from_data (data, size, NULL);
      if (svg == NULL || !rsvg->get_size (svg, &width, &height))
        {
          g_clear_object (&svg);
          return;
        }
    }
  else
    {
      PngReader reader = { self->logo, 0 };

      png = cairo_image_surface_create_from_png_stream (read_png_cb, &reader);
      if (cairo_surface_status (png) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (png);
          return;
        }
      width = cairo_image_surface_get_width (png);
      height = cairo_image_surface_get_height (png);
    }
  if (width <= 0 || height <= 0)
    {
      g_clear_pointer (&png, cairo_surface_destroy);
      g_clear_object (&svg);
      return;
    }

  scale = MIN (LOGO_WIDTH / width, LOGO_HEIGHT / height);
  cairo_save (cr);
  cairo_translate (cr, sl->width - MARGIN - width * scale, MARGIN);
  if (svg != NULL)
    {
      RsvgRectangle viewport = { 0, 0, width * scale, height * scale };

      rsvg->render (svg, cr, &viewport, NULL);
      g_object_unref (svg);
    }
  else
    {
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, png, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (png);
    }
  cairo_restore (cr);
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

static void
get_paper_size (MesoPaper  paper,
                double    *width,
                double    *height)
{
  if (paper == MESO_PAPER_LETTER)
    {
      *width = 8.5 * 72.0;
      *height = 11.0 * 72.0;
    }
  else
    {
      *width = 210.0 * MM;
      *height = 297.0 * MM;
    }
}

static cairo_status_t
append_to_byte_array (void                *closure,
                      const unsigned char *data,
                      unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Metadata that depends only on the session, so that a reprint is byte-for-byte the
 * same document as the first print. */
static void
set_metadata (Content         *content,
              cairo_surface_t *surface)
{
  MesoSheet *self = content->sheet;
  g_autofree char *title = label (content, "title");
  g_autofree char *placeholder = label (content, "clinic-placeholder");
  GDateTime *when = meso_session_get_performed_at (self->session);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR,
                                  self->clinic_name != NULL ? self->clinic_name : placeholder);
  /* Never the patient's name: file managers and indexers show a PDF's metadata. */
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mesocare");
  if (when != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
      g_autofree char *iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    }
}

static PangoContext *
create_context (cairo_t    *cr,
                const char *language)
{
  PangoContext *context = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted metrics: the layout is the same whatever the device. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  /* Sizes in points of the page: PangoCairo's default of 96 dpi would print "12 pt" text
   * at 16 points of the PDF. */
  pango_cairo_context_set_resolution (context, 72.0);
  /* Line breaking and hyphenation by the sheet's language, not the desktop's. */
  pango_context_set_language (context, pango_language_from_string (language));
  return context;
}

static void
lay_out (Content     *content,
         SheetLayout *sl)
{
  for (guint i = 0; i < content->items->len; i++)
    add_block (sl, &g_array_index (content->items, Item, i));
  paginate (sl);
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
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_auto(Content) content = { 0 };
  SheetLayout sl = { 0 };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (MESO_IS_SHEET (self), NULL);

  collect_content (self, &content);
  get_paper_size (self->paper, &sl.width, &sl.height);
  sl.header_right = self->logo != NULL ? sl.width - MARGIN - LOGO_WIDTH - 6 * MM
                                            : sl.width - MARGIN;
  surface = cairo_pdf_surface_create_for_stream (append_to_byte_array, bytes,
                                                 sl.width, sl.height);
  set_metadata (&content, surface);
  cr = cairo_create (surface);

  sl.context = create_context (cr, self->language);
  sl.blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (sl.blocks, (GDestroyNotify) clear_block);
  lay_out (&content, &sl);
  sl.footer_left = footer_left (&content);
  sl.page_format = label (&content, "page");

  for (guint page = 0; page < sl.n_pages; page++)
    {
      if (page == 0)
        draw_logo (self, &sl, cr);
      draw_page (&content, &sl, cr, page);
      cairo_show_page (cr);
    }

  g_array_unref (sl.blocks);
  g_free (sl.footer_left);
  g_free (sl.page_format);
  g_object_unref (sl.context);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_RENDER,
                   _("Aftercare sheet: drawing failed: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
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
