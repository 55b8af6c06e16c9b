/* meso-sheet.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "meso-error.h"
#include "meso-sheet.h"

/* Sizes are in PostScript points (1/72 inch), the unit of a PDF page. */
#define MARGIN          (20.0 / 25.4 * 72.0)  /* 20 mm: inside what office printers print */
#define FOOTER_HEIGHT   24.0
#define BULLET_INDENT   14.0
#define BODY_FONT       "Sans 10.5"
#define SMALL_FONT      "Sans 8.5"
#define HEADING_FONT    "Sans Bold 12.5"
#define TITLE_FONT      "Sans Bold 18"
#define CLINIC_FONT     "Sans Bold 13"

struct _MesoSheet
{
  GObject      parent_instance;

  MesoSession *session;
  MesoRules   *rules;
  char        *clinic_name;
  char        *language;
  MesoPaper    paper;
};

G_DEFINE_FINAL_TYPE (MesoSheet, meso_sheet, G_TYPE_OBJECT)

/* One paragraph of the sheet, measured once, then placed on a page. */
typedef struct
{
  PangoLayout *layout;
  double       x;               /* from the left margin */
  double       space_before;
  gboolean     bullet;
  gboolean     keep_with_next;  /* a heading never ends a page */
  guint        page;
  double       y;               /* from the top of the page */
} Block;

typedef struct
{
  double        width;
  double        height;
  PangoContext *context;
  GArray       *blocks;  /* of Block */
  guint         n_pages;
} SheetLayout;

static void
meso_sheet_finalize (GObject *object)
{
  MesoSheet *self = (MesoSheet *) object;

  g_clear_object (&self->session);
  g_clear_object (&self->rules);
  g_clear_pointer (&self->clinic_name, g_free);
  g_clear_pointer (&self->language, g_free);

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
}

/**
 * meso_sheet_new:
 * @session: the session the sheet is for
 * @rules: the aftercare rules
 *
 * The sheet keeps its own copy of @session, so it can render in another thread.
 *
 * Returns: (transfer full): a sheet in English on A4 until told otherwise.
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
  return self;
}

void
meso_sheet_set_clinic_name (MesoSheet  *self,
                            const char *clinic_name)
{
  g_return_if_fail (MESO_IS_SHEET (self));
  g_free (self->clinic_name);
  self->clinic_name = g_strdup (clinic_name);
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

void
meso_sheet_set_paper (MesoSheet *self,
                      MesoPaper  paper)
{
  g_return_if_fail (MESO_IS_SHEET (self));
  self->paper = paper;
}

static char *
label (MesoSheet  *self,
       const char *key)
{
  return meso_rules_get_label (self->rules, key, self->language);
}

static void
clear_block (Block *block)
{
  g_clear_object (&block->layout);
}

static Block *
add_block (SheetLayout *sl,
           const char  *font,
           const char  *markup,
           double       space_before)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  Block block = { 0 };

  block.layout = pango_layout_new (sl->context);
  pango_layout_set_font_description (block.layout, desc);
  pango_layout_set_wrap (block.layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (block.layout, pango_units_from_double (sl->width - 2 * MARGIN));
  pango_layout_set_markup (block.layout, markup, -1);
  block.space_before = space_before;
  g_array_append_val (sl->blocks, block);
  return &g_array_index (sl->blocks, Block, sl->blocks->len - 1);
}

static void
add_text_block (SheetLayout *sl,
                const char  *font,
                const char  *text,
                double       space_before)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  add_block (sl, font, escaped, space_before);
}

/* One row of the summary, "Patient: Ann Smith", its shape taken from the rules file so
 * that each language punctuates it its own way. Wrapped lines hang under the value. */
static void
add_summary_row (MesoSheet   *self,
                 SheetLayout *sl,
                 const char  *key,
                 const char  *value,
                 double       space_before)
{
  g_autofree char *name = label (self, key);
  g_autofree char *format = label (self, "SummaryRow");
  g_autofree char *bold_name = g_markup_printf_escaped ("<b>%s</b>", name);
  g_autofree char *escaped_value = g_markup_escape_text (value, -1);
  g_autoptr(GString) markup = g_string_new (format);
  Block *block;

  g_string_replace (markup, "{label}", bold_name, 1);
  g_string_replace (markup, "{value}", escaped_value, 1);
  block = add_block (sl, BODY_FONT, markup->str, space_before);
  pango_layout_set_indent (block->layout, -pango_units_from_double (BULLET_INDENT));
  block->keep_with_next = TRUE;
}

static char *
format_areas (MesoSheet *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  MESO_AREA_FOREACH (area)
    {
      g_autofree char *name = NULL;

      if (!(meso_session_get_areas (self->session) & area))
        continue;
      name = meso_rules_get_area_name (self->rules, area, self->language);
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/* The session at a glance, as a two-column table of label and value. */
static void
add_summary (MesoSheet   *self,
             SheetLayout *sl)
{
  GDateTime *when = meso_session_get_performed_at (self->session);
  g_autoptr(GDateTime) local = when != NULL ? g_date_time_to_local (when) : NULL;
  g_autofree char *date = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("");
  g_autofree char *areas = format_areas (self);
  g_autofree char *injections = g_strdup_printf ("%u", meso_session_get_injections (self->session));
  g_autofree char *minutes = label (self, "Minutes");
  g_autofree char *duration = g_strdup_printf ("%u %s", meso_session_get_duration (self->session),
                                               minutes);

  add_summary_row (self, sl, "Patient", meso_session_get_patient_name (self->session), 10);
  add_summary_row (self, sl, "Date", date, 2);
  add_summary_row (self, sl, "Areas", areas, 2);
  add_summary_row (self, sl, "Injections", injections, 2);
  add_summary_row (self, sl, "Duration", duration, 2);
}

static void
add_header (MesoSheet   *self,
            SheetLayout *sl)
{
  g_autofree char *placeholder = label (self, "ClinicPlaceholder");
  g_autofree char *title = label (self, "Title");
  g_autofree char *intro = label (self, "Intro");
  const char *clinic = self->clinic_name != NULL && *self->clinic_name != '\0'
                       ? self->clinic_name : placeholder;

  add_text_block (sl, CLINIC_FONT, clinic, 0);
  add_text_block (sl, TITLE_FONT, title, 14);
  add_summary (self, sl);
  add_text_block (sl, BODY_FONT, intro, 12);
}

/* The advice, section by section in the order a patient lives them; a section with no
 * rule for this session is left out, heading and all. */
static void
add_sections (MesoSheet   *self,
              SheetLayout *sl)
{
  g_autoptr(GPtrArray) selected = meso_rules_select (self->rules, self->session);
  const char * const *sections = meso_rules_get_sections (self->rules);

  for (guint s = 0; sections[s] != NULL; s++)
    {
      gboolean heading_done = FALSE;

      for (guint i = 0; i < selected->len; i++)
        {
          const MesoRule *rule = g_ptr_array_index (selected, i);
          g_autofree char *text = NULL;
          Block *block;

          if (!g_str_equal (meso_rule_get_section (rule), sections[s]))
            continue;

          if (!heading_done)
            {
              g_autofree char *title = meso_rules_get_section_title (self->rules, sections[s],
                                                                      self->language);

              add_text_block (sl, HEADING_FONT, title, 16);
              g_array_index (sl->blocks, Block, sl->blocks->len - 1).keep_with_next = TRUE;
              heading_done = TRUE;
            }

          text = meso_rules_get_text (self->rules, rule, self->language);
          block = NULL;
          add_text_block (sl, BODY_FONT, text, 5);
          block = &g_array_index (sl->blocks, Block, sl->blocks->len - 1);
          block->bullet = TRUE;
          block->x = BULLET_INDENT;
          pango_layout_set_width (block->layout,
                                  pango_units_from_double (sl->width - 2 * MARGIN - BULLET_INDENT));
        }
    }
}

static double
block_height (const Block *block)
{
  int height;

  pango_layout_get_size (block->layout, NULL, &height);
  return pango_units_to_double (height);
}

/* Places every block on a page. A block goes to the next page when it does not fit,
 * and a heading goes with the block after it, so no page ends on a heading. */
static void
paginate (SheetLayout *sl)
{
  const double top = MARGIN;
  const double bottom = sl->height - MARGIN - FOOTER_HEIGHT;
  guint page = 0;
  double y = top;

  for (guint i = 0; i < sl->blocks->len; i++)
    {
      Block *block = &g_array_index (sl->blocks, Block, i);
      double needed = block->space_before + block_height (block);

      if (block->keep_with_next && i + 1 < sl->blocks->len)
        {
          const Block *next = &g_array_index (sl->blocks, Block, i + 1);

          needed += next->space_before + block_height (next);
        }

      if (y > top && y + needed > bottom)
        {
          page++;
          y = top;
        }
      if (y > top)
        y += block->space_before;

      block->page = page;
      block->y = y;
      y += block_height (block);
    }
  sl->n_pages = page + 1;
}

static void
draw_footer (MesoSheet   *self,
             SheetLayout *sl,
             cairo_t     *cr,
             guint        page)
{
  g_autofree char *format = label (self, "Page");
  g_autofree char *page_str = g_strdup_printf ("%u", page + 1);
  g_autofree char *pages_str = g_strdup_printf ("%u", sl->n_pages);
  g_autoptr(GString) text = g_string_new (format);
  g_autoptr(PangoLayout) layout = pango_layout_new (sl->context);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (SMALL_FONT);
  int width, height;

  g_string_replace (text, "{page}", page_str, 0);
  g_string_replace (text, "{pages}", pages_str, 0);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text->str, -1);
  pango_layout_get_size (layout, &width, &height);

  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  cairo_move_to (cr, (sl->width - pango_units_to_double (width)) / 2,
                 sl->height - MARGIN - pango_units_to_double (height));
  pango_cairo_show_layout (cr, layout);
}

static void
draw_bullet (SheetLayout *sl,
             cairo_t     *cr,
             const Block *block)
{
  PangoLayoutIter *iter = pango_layout_get_iter (block->layout);
  double baseline = pango_units_to_double (pango_layout_iter_get_baseline (iter));

  pango_layout_iter_free (iter);
  cairo_arc (cr, MARGIN + BULLET_INDENT / 2 - 1, block->y + baseline - 3.5, 1.8, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
draw_page (MesoSheet   *self,
           SheetLayout *sl,
           cairo_t     *cr,
           guint        page)
{
  for (guint i = 0; i < sl->blocks->len; i++)
    {
      const Block *block = &g_array_index (sl->blocks, Block, i);

      if (block->page != page)
        continue;
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      if (block->bullet)
        draw_bullet (sl, cr, block);
      cairo_move_to (cr, MARGIN + block->x, block->y);
      pango_cairo_show_layout (cr, block->layout);
    }
  draw_footer (self, sl, cr, page);
}

static void
get_paper_size (MesoPaper  paper,
                double    *width,
                double    *height)
{
  if (paper == MESO_PAPER_LETTER)
    {
      *width = 612.0;
      *height = 792.0;
    }
  else
    {
      *width = 210.0 / 25.4 * 72.0;
      *height = 297.0 / 25.4 * 72.0;
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
set_metadata (MesoSheet       *self,
              cairo_surface_t *surface,
              const char      *clinic)
{
  g_autofree char *title = label (self, "Title");
  GDateTime *when = meso_session_get_performed_at (self->session);

  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, clinic);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT,
                                  meso_session_get_patient_name (self->session));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Mesocare");
  if (when != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (when);
      g_autofree char *iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    }
}

static PangoContext *
create_context (cairo_t *cr)
{
  PangoContext *context = pango_cairo_create_context (cr);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted metrics: the layout is the same whatever the device. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  return context;
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
  g_autofree char *placeholder = NULL;
  SheetLayout sl = { 0 };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (MESO_IS_SHEET (self), NULL);

  get_paper_size (self->paper, &sl.width, &sl.height);
  surface = cairo_pdf_surface_create_for_stream (append_to_byte_array, bytes,
                                                 sl.width, sl.height);
  placeholder = label (self, "ClinicPlaceholder");
  set_metadata (self, surface,
                self->clinic_name != NULL && *self->clinic_name != '\0'
                ? self->clinic_name : placeholder);
  cr = cairo_create (surface);

  sl.context = create_context (cr);
  sl.blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (sl.blocks, (GDestroyNotify) clear_block);
  add_header (self, &sl);
  add_sections (self, &sl);
  paginate (&sl);

  for (guint page = 0; page < sl.n_pages; page++)
    {
      draw_page (self, &sl, cr, page);
      cairo_show_page (cr);
    }

  g_array_unref (sl.blocks);
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
 * Writes the sheet to @path. The file is replaced as a whole: a failure leaves any
 * earlier file as it was, never half-written.
 */
gboolean
meso_sheet_write_pdf (MesoSheet   *self,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GBytes) pdf = meso_sheet_render_pdf (self, error);
  g_autoptr(GFile) file = NULL;

  if (pdf == NULL)
    return FALSE;

  file = g_file_new_for_path (path);
  if (!g_file_replace_contents (file, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL, error))
    {
      g_prefix_error (error, _("Aftercare sheet %s: "), path);
      return FALSE;
    }
  return TRUE;
}
