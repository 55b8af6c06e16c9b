/* meso-report-pdf.c
 *
 * A manager's report, a recall list and the recall letters, on MesoDocument's pages,
 * with the chart the Reports page shows too. The report and the list are for the clinic:
 * in the user's language (gettext). A letter is for a patient: in the patient's language,
 * through the aftercare rules' own translations, as the sheet is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <stdio.h>

#include "meso-document.h"
#include "meso-error.h"
#include "meso-field.h"
#include "meso-report-pdf.h"
#include "meso-rules.h"

#define MM              MESO_DOCUMENT_MM
#define BODY_FONT       "DejaVu Sans 10"
#define TABLE_FONT      "DejaVu Sans 9.5"
#define SMALL_FONT      "DejaVu Sans 9"
#define HEADING_FONT    "DejaVu Sans Bold 13"
#define TITLE_FONT      "DejaVu Sans Bold 18"
#define CLINIC_FONT     "DejaVu Sans Bold 14"
/* A letter is read by a patient: the sheet's sizes. */
#define LETTER_FONT     "DejaVu Sans 12"
#define LETTER_TITLE_FONT "DejaVu Sans Bold 15"
#define CHART_HEIGHT    (80.0 * MM)
#define CHART_FONT_SIZE 9.0           /* in the chart's own units: points or pixels */

static const MesoTextStyle clinic_style = { CLINIC_FONT, 0, 0, .keep_with_next = TRUE,
                                            .beside_logo = TRUE };
static const MesoTextStyle clinic_detail_style = { BODY_FONT, 2, 0, .keep_with_next = TRUE,
                                                   .beside_logo = TRUE };
static const MesoTextStyle title_style = { TITLE_FONT, 5 * MM, 0, .keep_with_next = TRUE,
                                           .balanced = TRUE };
static const MesoTextStyle heading_style = { HEADING_FONT, 14, 0, .keep_with_next = TRUE };
static const MesoTextStyle body_style = { BODY_FONT, 4, 0 };
static const MesoTextStyle note_style = { SMALL_FONT, 4, 0 };

/* ---- Names ---- */

static char *
format_gdate (const GDate *date,
              const char  *format)
{
  char text[128];

  if (g_date_strftime (text, sizeof text, format, date) == 0)
    return g_strdup ("");
  return g_strdup (text);
}

/* "2 November 2026" in the user's language. */
static char *
format_day (const GDate *date)
{
  /* TRANSLATORS: a day in a report, as strftime() writes it: "2 November 2026". */
  return format_gdate (date, _("%-d %B %Y"));
}

static char *
format_period (MesoReport *report)
{
  g_autofree char *first = format_day (meso_report_get_first_day (report));
  g_autofree char *last = format_day (meso_report_get_last_day (report));

  /* TRANSLATORS: a report's period, from its first day to its last, both included. */
  return g_strdup_printf (_("%s to %s"), first, last);
}

static char *
format_count (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static char *
format_decimal (double value)
{
  return g_strdup_printf ("%.1f", value);
}

/* ---- The chart ---- */

static const double default_stacks[][4] = {
  { 0.21, 0.52, 0.89, 1 }, { 0.90, 0.38, 0.00, 1 }, { 0.18, 0.76, 0.49, 1 },
  { 0.75, 0.11, 0.16, 1 }, { 0.57, 0.25, 0.67, 1 }, { 0.60, 0.60, 0.60, 1 },
};

static const double *
stack_colour (const MesoChartStyle *style,
              guint                 i)
{
  if (style != NULL && style->stacks != NULL && style->n_stacks > 0)
    return style->stacks[i % style->n_stacks];
  return default_stacks[i % G_N_ELEMENTS (default_stacks)];
}

static void
set_colour (cairo_t      *cr,
            const double  rgba[4])
{
  cairo_set_source_rgba (cr, rgba[0], rgba[1], rgba[2], rgba[3]);
}

/* Absolute sizes: the same in a PDF's points as in a window's pixels. */
static PangoLayout *
chart_layout (cairo_t    *cr,
              const char *text,
              gboolean    bold)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string ("DejaVu Sans");

  pango_font_description_set_absolute_size (desc, CHART_FONT_SIZE * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  if (width != NULL)
    *width = pango_units_to_double (w);
  if (height != NULL)
    *height = pango_units_to_double (h);
}

/* The step between ticks: 1, 2 or 5 times a power of ten, for about five ticks. */
static gint64
tick_step (gint64 max)
{
  gint64 step = 1;

  for (;;)
    {
      if (max / step <= 5)
        return step;
      if (max / (step * 2) <= 5)
        return step * 2;
      if (max / (step * 5) <= 5)
        return step * 5;
      step *= 10;
    }
}

static gint64
max_total (GPtrArray *buckets)
{
  gint64 max = 0;

  for (guint i = 0; i < buckets->len; i++)
    max = MAX (max, ((MesoReportBucket *) g_ptr_array_index (buckets, i))->total);
  return max;
}

static char *
bucket_label (MesoReport             *report,
              const MesoReportBucket *bucket)
{
  if (meso_report_get_step (report) == MESO_REPORT_STEP_MONTH)
    /* TRANSLATORS: a month under a bar of the chart, as strftime() writes it. */
    return format_gdate (&bucket->start, _("%b %Y"));
  /* TRANSLATORS: a week under a bar of the chart (its Monday), as strftime() writes it. */
  return format_gdate (&bucket->start, _("%-d %b"));
}

static void
draw_empty (cairo_t              *cr,
            const MesoChartStyle *style,
            double                width,
            double                height)
{
  g_autoptr(PangoLayout) layout = chart_layout (cr, _("No sessions in this period"), FALSE);
  double w, h;

  layout_size (layout, &w, &h);
  set_colour (cr, style->foreground);
  cairo_move_to (cr, (width - w) / 2, (height - h) / 2);
  pango_cairo_show_layout (cr, layout);
}

/* The legend along the bottom, wrapped onto as many rows as it needs; returns its height. */
static double
draw_legend (cairo_t              *cr,
             MesoReport           *report,
             const MesoChartStyle *style,
             double                width,
             double                bottom,
             gboolean              draw)
{
  const char * const *ids = meso_report_get_indications (report);
  const double swatch = CHART_FONT_SIZE;
  double x = 0, row = 0, line_height = CHART_FONT_SIZE * 1.6;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *name = meso_field_get_choice_label (MESO_FIELD_INDICATION, ids[i]);
      g_autoptr(PangoLayout) layout = chart_layout (cr, name, FALSE);
      double w, h, item;

      layout_size (layout, &w, &h);
      item = swatch + 4 + w + 14;
      if (x > 0 && x + item > width)
        {
          x = 0;
          row++;
        }
      if (draw)
        {
          double y = bottom - (row + 1) * line_height;

          set_colour (cr, stack_colour (style, i));
          cairo_rectangle (cr, x, y + (h - swatch) / 2, swatch, swatch);
          cairo_fill (cr);
          set_colour (cr, style->foreground);
          cairo_move_to (cr, x + swatch + 4, y);
          pango_cairo_show_layout (cr, layout);
        }
      x += item;
    }
  return (row + 1) * line_height;
}

typedef struct
{
  double left, top, right, bottom;  /* the plot's rectangle */
  gint64 top_value;                 /* the value at its top */
  gint64 step;
} Plot;

static void
draw_axis (cairo_t              *cr,
           const MesoChartStyle *style,
           const Plot           *plot)
{
  for (gint64 value = 0; value <= plot->top_value; value += plot->step)
    {
      double y = plot->bottom - (plot->bottom - plot->top) * value / plot->top_value;
      g_autofree char *text = format_count (value);
      g_autoptr(PangoLayout) layout = chart_layout (cr, text, FALSE);
      double w, h;

      set_colour (cr, value == 0 ? style->foreground : style->grid);
      cairo_set_line_width (cr, value == 0 ? 1.0 : 0.5);
      cairo_move_to (cr, plot->left, y);
      cairo_line_to (cr, plot->right, y);
      cairo_stroke (cr);
      layout_size (layout, &w, &h);
      set_colour (cr, style->foreground);
      cairo_move_to (cr, plot->left - 4 - w, y - h / 2);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
draw_bars (cairo_t              *cr,
           MesoReport           *report,
           const MesoChartStyle *style,
           const Plot           *plot)
{
  GPtrArray *buckets = meso_report_get_buckets (report);
  guint n_stacks = g_strv_length ((GStrv) meso_report_get_indications (report));
  double slot = (plot->right - plot->left) / buckets->len;
  double widest = 0;
  guint every = 1;

  /* Labels that would run into each other: one every so many bars. */
  for (guint i = 0; i < buckets->len; i++)
    {
      g_autofree char *text = bucket_label (report, g_ptr_array_index (buckets, i));
      g_autoptr(PangoLayout) layout = chart_layout (cr, text, FALSE);
      double w;

      layout_size (layout, &w, NULL);
      widest = MAX (widest, w);
    }
  while (every * slot < widest + 6)
    every++;

  for (guint i = 0; i < buckets->len; i++)
    {
      const MesoReportBucket *bucket = g_ptr_array_index (buckets, i);
      double x = plot->left + i * slot + slot * 0.15;
      double y = plot->bottom;

      for (guint s = 0; s < n_stacks; s++)
        {
          double h = (plot->bottom - plot->top) * bucket->by_indication[s] / plot->top_value;

          if (bucket->by_indication[s] == 0)
            continue;
          set_colour (cr, stack_colour (style, s));
          cairo_rectangle (cr, x, y - h, slot * 0.7, h);
          cairo_fill (cr);
          y -= h;
        }
      if (i % every == 0)
        {
          g_autofree char *text = bucket_label (report, bucket);
          g_autoptr(PangoLayout) layout = chart_layout (cr, text, FALSE);
          double w;

          layout_size (layout, &w, NULL);
          set_colour (cr, style->foreground);
          cairo_move_to (cr, plot->left + i * slot + (slot - w) / 2, plot->bottom + 4);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

/**
 * meso_report_draw_chart:
 * @cr: where to draw
 * @report: the report
 * @style: (nullable): the colours; %NULL for dark on light
 * @width: the chart's width
 * @height: the chart's height
 *
 * Sessions per week or month, stacked by indication, with round ticks, the periods
 * under the bars and a legend. A period with no session says so in words.
 */
void
meso_report_draw_chart (cairo_t              *cr,
                        MesoReport           *report,
                        const MesoChartStyle *style,
                        double                width,
                        double                height)
{
  static const MesoChartStyle default_style = {
    { 0.1, 0.1, 0.1, 1 }, { 0.8, 0.8, 0.8, 1 }, NULL, 0,
  };
  GPtrArray *buckets;
  g_autoptr(PangoLayout) probe = NULL;
  g_autofree char *top_text = NULL;
  double label_width, label_height, legend;
  gint64 max;
  Plot plot;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (MESO_IS_REPORT (report));

  if (style == NULL)
    style = &default_style;
  buckets = meso_report_get_buckets (report);
  max = max_total (buckets);
  cairo_save (cr);
  if (buckets->len == 0 || max == 0)
    {
      draw_empty (cr, style, width, height);
      cairo_restore (cr);
      return;
    }

  plot.step = tick_step (max);
  plot.top_value = (max + plot.step - 1) / plot.step * plot.step;
  top_text = format_count (plot.top_value);
  probe = chart_layout (cr, top_text, FALSE);
  layout_size (probe, &label_width, &label_height);
  legend = draw_legend (cr, report, style, width, height, FALSE);
  plot.left = label_width + 6;
  plot.right = width;
  plot.top = label_height / 2;
  plot.bottom = height - legend - label_height - 10;
  /* A widget not yet given its size: no room for bars, nothing drawn wrong. */
  if (plot.bottom > plot.top && plot.right - plot.left >= buckets->len)
    {
      draw_axis (cr, style, &plot);
      draw_bars (cr, report, style, &plot);
    }
  draw_legend (cr, report, style, width, height, TRUE);
  cairo_restore (cr);
}

/* "3 hair loss, 2 skin rejuvenation" */
static char *
describe_stacks (MesoReport             *report,
                 const MesoReportBucket *bucket)
{
  const char * const *ids = meso_report_get_indications (report);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *name = NULL;

      if (bucket->by_indication[i] == 0)
        continue;
      name = g_utf8_strdown (meso_field_get_choice_label (MESO_FIELD_INDICATION, ids[i]), -1);
      g_string_append_printf (text, "%s%" G_GINT64_FORMAT " %s", text->len > 0 ? ", " : "",
                              bucket->by_indication[i], name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_bucket (MesoReport             *report,
                 const MesoReportBucket *bucket)
{
  g_autofree char *when = NULL;
  g_autofree char *stacks = describe_stacks (report, bucket);
  g_autofree char *count = NULL;

  if (meso_report_get_step (report) == MESO_REPORT_STEP_MONTH)
    {
      /* TRANSLATORS: a month in the chart's description, as strftime() writes it. */
      when = format_gdate (&bucket->start, _("%B %Y"));
    }
  else
    {
      /* TRANSLATORS: a week's Monday in the chart's description, as strftime() writes it. */
      g_autofree char *day = format_gdate (&bucket->start, _("%-d %B"));

      /* TRANSLATORS: a week in the chart's description: "Week of 2 November". */
      when = g_strdup_printf (_("Week of %s"), day);
    }
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld session", "%lld sessions",
                                        (gulong) bucket->total),
                           (long long) bucket->total);
  /* TRANSLATORS: one bar of the chart: "Week of 2 November: 5 sessions (3 hair loss,
   * 2 skin rejuvenation)." */
  return g_strdup_printf (_("%s: %s (%s)."), when, count, stacks);
}

/**
 * meso_report_describe_chart:
 * @report: the report
 *
 * The chart in words, one sentence a bar that has sessions, for its accessible
 * description and for the PDF's text.
 *
 * Returns: (transfer full): the description.
 */
char *
meso_report_describe_chart (MesoReport *report)
{
  GPtrArray *buckets;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (MESO_IS_REPORT (report), NULL);

  buckets = meso_report_get_buckets (report);
  if (max_total (buckets) == 0)
    return g_strdup (_("No sessions in this period."));
  for (guint i = 0; i < buckets->len; i++)
    {
      const MesoReportBucket *bucket = g_ptr_array_index (buckets, i);
      g_autofree char *sentence = NULL;

      if (bucket->total == 0)
        continue;
      sentence = describe_bucket (report, bucket);
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", sentence);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- The report ---- */

static void
add_escaped (MesoDocument        *document,
             const MesoTextStyle *style,
             const char          *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);

  meso_document_add_text (document, style, markup);
}

/* "Phone +33 1 23 45 67 89, Email ...", as markup: a number broken across two lines
 * cannot be dialled, an address broken at its hyphen cannot be typed. */
static void
append_unbroken (GString    *markup,
                 const char *separator,
                 const char *word,
                 const char *value)
{
  g_autofree char *escaped_word = g_markup_escape_text (word, -1);
  g_autofree char *escaped_value = g_markup_escape_text (value, -1);

  g_string_append_printf (markup, "%s%s <span allow_breaks=\"false\">%s</span>",
                          markup->len > 0 ? separator : "", escaped_word, escaped_value);
}

/* The clinic's name, address, phone and email, beside its logo. */
static void
add_clinic_header (MesoDocument *document,
                   MesoClinic   *clinic,
                   const char   *phone_word,
                   const char   *email_word)
{
  const char *address, *phone, *email;
  g_autoptr(GString) contact = g_string_new (NULL);

  if (clinic == NULL)
    return;
  meso_document_set_logo (document, meso_clinic_get_logo (clinic),
                          meso_clinic_get_logo_type (clinic));
  if (*meso_clinic_get_name (clinic) != '\0')
    add_escaped (document, &clinic_style, meso_clinic_get_name (clinic));
  address = meso_clinic_get_address (clinic);
  if (address != NULL && *address != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (address, "\n", -1);
      g_autofree char *joined = NULL;

      for (guint i = 0; lines[i] != NULL; i++)
        g_strstrip (lines[i]);
      joined = g_strjoinv (", ", lines);
      add_escaped (document, &clinic_detail_style, joined);
    }
  phone = meso_clinic_get_phone (clinic);
  email = meso_clinic_get_email (clinic);
  if (phone != NULL && *phone != '\0')
    append_unbroken (contact, "   ·   ", phone_word, phone);
  if (email != NULL && *email != '\0')
    append_unbroken (contact, "   ·   ", email_word, email);
  if (contact->len > 0)
    meso_document_add_text (document, &clinic_detail_style, contact->str);
}

static const char *
clinic_name (MesoClinic *clinic)
{
  return clinic != NULL ? meso_clinic_get_name (clinic) : "";
}

/* The clinic's name and the day the document was made: the report is a snapshot. */
static void
set_clinic_footer (MesoDocument *document,
                   MesoClinic   *clinic)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate today;
  g_autofree char *day = NULL;
  g_autofree char *made = NULL;
  g_autofree char *left = NULL;
  const char *name = clinic_name (clinic);

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  day = format_day (&today);
  /* TRANSLATORS: in the footer of a report: "Made on 2 November 2026". */
  made = g_strdup_printf (_("Made on %s"), day);
  left = *name != '\0' ? g_strdup_printf ("%s   ·   %s", name, made) : g_strdup (made);
  g_free (made);
  made = g_markup_escape_text (left, -1);
  /* TRANSLATORS: the footer's page number; keep {page} and {pages}. */
  meso_document_set_footer (document, made, _("Page {page} of {pages}"));
}

static MesoDocument *
new_document (MesoPaper paper)
{
  const char *language = pango_language_to_string (pango_language_get_default ());

  return meso_document_new (paper, language);
}

static void
add_figure (MesoDocument *document,
            const char   *name,
            char         *value)
{
  const char *cells[] = { name, value, NULL };

  meso_document_add_row (document, cells);
  g_free (value);
}

static void
add_figures (MesoDocument *document,
             MesoReport   *report)
{
  const MesoTableColumn columns[] = {
    { _("Figure"), 0.7, FALSE }, { _("Value"), 0.3, TRUE },
  };
  const MesoReportSeries *series = meso_report_get_series (report);

  add_escaped (document, &heading_style, _("Figures"));
  meso_document_begin_table (document, TABLE_FONT, columns, G_N_ELEMENTS (columns));
  add_figure (document, _("Sessions"), format_count (meso_report_get_sessions (report)));
  add_figure (document, _("Patients"), format_count (meso_report_get_patients (report)));
  add_figure (document, _("New patients"), format_count (meso_report_get_new_patients (report)));
  add_figure (document, _("Returning patients"),
              format_count (meso_report_get_returning_patients (report)));
  add_figure (document, _("Injections"), format_count (meso_report_get_injections (report)));
  add_figure (document, _("Minutes in all"), format_count (meso_report_get_minutes (report)));
  add_figure (document, _("Minutes a session, on average"),
              format_decimal (meso_report_get_average_minutes (report)));
  add_figure (document, _("Sessions with a reaction"),
              format_count (meso_report_get_with_reactions (report)));
  add_figure (document, _("Series started"), format_count (series->started));
  add_figure (document, _("Series completed"), format_count (series->completed));
  add_figure (document, _("Series abandoned"), format_count (series->abandoned));
  meso_document_end_table (document);
}

static void
chart_draw_cb (cairo_t  *cr,
               double    width,
               double    height,
               gpointer  user_data)
{
  meso_report_draw_chart (cr, user_data, NULL, width, height);
}

static void
add_chart (MesoDocument *document,
           MesoReport   *report)
{
  g_autofree char *description = meso_report_describe_chart (report);

  add_escaped (document, &heading_style,
               meso_report_get_step (report) == MESO_REPORT_STEP_MONTH
               ? _("Sessions by month") : _("Sessions by week"));
  meso_document_add_drawing (document, 6, CHART_HEIGHT, chart_draw_cb, g_object_ref (report),
                             g_object_unref);
  add_escaped (document, &note_style, description);
}

/* The first column's title: what the rows are. */
static const char *
key_title (MesoReportBy by)
{
  switch (by)
    {
    case MESO_REPORT_BY_AREA:
      return _("Area");
    case MESO_REPORT_BY_INDICATION:
      return _("Indication");
    case MESO_REPORT_BY_PRACTITIONER:
      return _("Practitioner");
    case MESO_REPORT_BY_PRODUCT:
      return _("Product");
    case MESO_REPORT_BY_REACTION:
    default:
      return _("Reaction");
    }
}

static void
add_breakdown (MesoDocument *document,
               MesoReport   *report,
               MesoReportBy  by)
{
  GPtrArray *rows = meso_report_get_rows (report, by);
  const MesoTableColumn counts[] = {
    { key_title (by), 0.46, FALSE }, { _("Sessions"), 0.18, TRUE },
    { _("Injections"), 0.18, TRUE }, { _("Minutes"), 0.18, TRUE },
  };
  const MesoTableColumn reactions[] = {
    { key_title (by), 0.5, FALSE }, { _("Sessions"), 0.25, TRUE },
    { _("Per hundred sessions"), 0.25, TRUE },
  };
  gboolean is_reaction = by == MESO_REPORT_BY_REACTION;

  add_escaped (document, &heading_style, meso_report_by_get_title (by));
  if (rows->len == 0)
    {
      add_escaped (document, &body_style, _("Nothing recorded in this period."));
      return;
    }
  if (is_reaction)
    meso_document_begin_table (document, TABLE_FONT, reactions, G_N_ELEMENTS (reactions));
  else
    meso_document_begin_table (document, TABLE_FONT, counts, G_N_ELEMENTS (counts));
  for (guint i = 0; i < rows->len; i++)
    {
      const MesoReportRow *row = g_ptr_array_index (rows, i);
      g_autofree char *sessions = format_count (row->sessions);
      g_autofree char *second = is_reaction ? format_decimal (row->per_hundred)
                                            : format_count (row->injections);
      g_autofree char *minutes = format_count (row->minutes);
      const char *cells[] = { meso_report_by_get_key_label (by, row->key), sessions, second,
                              is_reaction ? NULL : minutes, NULL };

      meso_document_add_row (document, cells);
    }
  meso_document_end_table (document);
}

static GBytes *
render (MesoDocument  *document,
        const char    *what,
        GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *pdf = meso_document_render_pdf (document, &local_error);

  if (pdf == NULL)
    /* TRANSLATORS: "Report: drawing failed: out of memory". */
    g_set_error (error, MESO_ERROR, MESO_ERROR_RENDER, _("%s: drawing failed: %s"), what,
                 local_error->message);
  return pdf;
}

/**
 * meso_report_render_pdf:
 * @report: the report
 * @clinic: (nullable): the clinic, for the header and the footer
 * @paper: the paper
 * @error: a #GError
 *
 * The report on paper, in the user's language: the clinic, the period, the figures, the
 * chart and its description, each breakdown as a table; voided sessions counted apart.
 *
 * Returns: (transfer full): the PDF.
 */
GBytes *
meso_report_render_pdf (MesoReport  *report,
                        MesoClinic  *clinic,
                        MesoPaper    paper,
                        GError     **error)
{
  g_autoptr(MesoDocument) document = NULL;
  g_autofree char *period = NULL;
  g_autofree char *title = NULL;
  g_autofree char *voided = NULL;

  g_return_val_if_fail (MESO_IS_REPORT (report), NULL);
  g_return_val_if_fail (clinic == NULL || MESO_IS_CLINIC (clinic), NULL);

  document = new_document (paper);
  period = format_period (report);
  /* TRANSLATORS: a report's title: "Report: 1 November 2026 to 30 November 2026". */
  title = g_strdup_printf (_("Report: %s"), period);
  meso_document_set_metadata (document, title, clinic_name (clinic), period, NULL);
  set_clinic_footer (document, clinic);
  add_clinic_header (document, clinic, _("Phone"), _("Email"));
  add_escaped (document, &title_style, title);
  add_figures (document, report);
  /* Voided sessions are counted apart: none of the figures includes them. */
  voided = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%lld voided session in this period, counted in none "
                                         "of the figures.",
                                         "%lld voided sessions in this period, counted in none "
                                         "of the figures.",
                                         (gulong) meso_report_get_voided (report)),
                            (long long) meso_report_get_voided (report));
  add_escaped (document, &body_style, voided);
  add_chart (document, report);
  for (MesoReportBy by = 0; by < MESO_REPORT_N_BREAKDOWNS; by++)
    add_breakdown (document, report, by);
  return render (document, _("Report"), error);
}

/* ---- The recall ---- */

static char *
recall_what (const char *lot,
             const char *product)
{
  gboolean has_lot = lot != NULL && *lot != '\0';
  gboolean has_product = product != NULL && *product != '\0';

  if (has_lot && has_product)
    /* TRANSLATORS: what a recall is about: "Hair cocktail, lot L-42". */
    return g_strdup_printf (_("%s, lot %s"), product, lot);
  if (has_lot)
    return g_strdup_printf (_("Lot %s"), lot);
  return g_strdup (has_product ? product : "");
}

static char *
join_days (const MesoRecallPatient *patient)
{
  g_autoptr(GString) days = g_string_new (NULL);

  for (guint i = 0; patient->session_days != NULL && i < patient->session_days->len; i++)
    g_string_append_printf (days, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (patient->session_days, i));
  return g_string_free (g_steal_pointer (&days), FALSE);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/**
 * meso_recall_render_list_pdf:
 * @patients: (element-type MesoRecallPatient): who received the lot or product
 * @lot: (nullable): the lot recalled
 * @product: (nullable): the product recalled
 * @clinic: (nullable): the clinic
 * @paper: the paper
 * @error: a #GError
 *
 * The list the front desk calls from: each patient's phone, email, language and the
 * days of their sessions with the lot, in the user's language.
 *
 * Returns: (transfer full): the PDF.
 */
GBytes *
meso_recall_render_list_pdf (GPtrArray   *patients,
                             const char  *lot,
                             const char  *product,
                             MesoClinic  *clinic,
                             MesoPaper    paper,
                             GError     **error)
{
  const MesoTableColumn columns[] = {
    /* Wide enough for a phone number on one line: one broken in two cannot be dialled. */
    { _("Patient"), 0.21, FALSE }, { _("Phone"), 0.2, FALSE }, { _("Email"), 0.28, FALSE },
    { _("Language"), 0.12, FALSE }, { _("Sessions"), 0.19, FALSE },
  };
  g_autoptr(MesoDocument) document = NULL;
  g_autofree char *what = NULL;
  g_autofree char *title = NULL;
  g_autofree char *count = NULL;

  g_return_val_if_fail (patients != NULL, NULL);

  document = new_document (paper);
  what = recall_what (lot, product);
  /* TRANSLATORS: the title of a recall's list: "Recall: Hair cocktail, lot L-42". */
  title = g_strdup_printf (_("Recall: %s"), what);
  meso_document_set_metadata (document, title, clinic_name (clinic), what, NULL);
  set_clinic_footer (document, clinic);
  add_clinic_header (document, clinic, _("Phone"), _("Email"));
  add_escaped (document, &title_style, title);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient received it.",
                                        "%u patients received it.", patients->len),
                           patients->len);
  add_escaped (document, &body_style, count);
  meso_document_begin_table (document, TABLE_FONT, columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < patients->len; i++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, i);
      g_autofree char *days = join_days (patient);
      const char *cells[] = { or_empty (patient->patient_name), or_empty (patient->phone),
                              or_empty (patient->email), or_empty (patient->language), days,
                              NULL };

      meso_document_add_row (document, cells);
    }
  meso_document_end_table (document);
  return render (document, _("Recall list"), error);
}

/* ---- The letters ---- */

typedef struct
{
  MesoRules  *rules;
  const char *language;
} Letter;

static char *
letter_label (Letter     *letter,
              const char *key)
{
  return meso_rules_get_label (letter->rules, key, letter->language);
}

/* A date in words, the patient's language's way, as the sheet writes it. */
static char *
letter_date (Letter *letter,
             guint   year,
             guint   month,
             guint   day)
{
  g_autofree char *format = letter_label (letter, day == 1 ? "date-format-first"
                                                           : "date-format");
  g_autofree char *month_group = g_strdup_printf ("Month %u", month);
  g_autofree char *month_name = meso_rules_translate (letter->rules, month_group,
                                                      letter->language, NULL);
  g_autoptr(GString) text = g_string_new (format);
  g_autofree char *day_str = g_strdup_printf ("%u", day);
  g_autofree char *year_str = g_strdup_printf ("%u", year);

  g_string_replace (text, "{day}", day_str, 0);
  g_string_replace (text, "{month}", month_name, 0);
  g_string_replace (text, "{year}", year_str, 0);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
letter_iso_date (Letter     *letter,
                 const char *iso)
{
  guint year = 0, month = 0, day = 0;

  if (iso == NULL || sscanf (iso, "%4u-%2u-%2u", &year, &month, &day) != 3)
    return g_strdup (or_empty (iso));
  return letter_date (letter, year, month, day);
}

/* "2 November 2026, 9 November 2026 and 16 November 2026" */
static char *
letter_dates (Letter                  *letter,
              const MesoRecallPatient *patient)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *and = letter_label (letter, "letter-and");
  guint n = patient->session_days != NULL ? patient->session_days->len : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *day = letter_iso_date (letter, g_ptr_array_index (patient->session_days,
                                                                        i));

      if (i > 0)
        g_string_append_printf (text, i + 1 == n ? " %s " : ", ", and);
      g_string_append (text, day);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
fill (const char *format,
      const char *key,
      const char *value)
{
  GString *text = g_string_new (format);

  g_string_replace (text, key, value, 0);
  return g_string_free (text, FALSE);
}

static char *
letter_contact (Letter     *letter,
                MesoClinic *clinic)
{
  g_autofree char *phone_word = letter_label (letter, "phone");
  g_autofree char *email_word = letter_label (letter, "email");
  const char *phone = clinic != NULL ? meso_clinic_get_phone (clinic) : "";
  const char *email = clinic != NULL ? meso_clinic_get_email (clinic) : "";
  g_autoptr(GString) markup = g_string_new (NULL);

  if (*phone != '\0')
    append_unbroken (markup, ", ", phone_word, phone);
  if (*email != '\0')
    append_unbroken (markup, ", ", email_word, email);
  return g_string_free (g_steal_pointer (&markup), FALSE);
}

/* The letter's request: to contact the clinic, with its phone and email when it has
 * them; without, the request all the same (the clinic's name heads the letter). */
static void
add_letter_contact (MesoDocument *document,
                    Letter       *letter,
                    MesoClinic   *clinic)
{
  static const MesoTextStyle style = { LETTER_FONT, 12, 0 };
  g_autofree char *contact = letter_contact (letter, clinic);
  g_autofree char *format = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *markup = NULL;

  if (*contact == '\0')
    {
      g_autofree char *plain = letter_label (letter, "letter-contact-plain");

      add_escaped (document, &style, plain);
      return;
    }
  format = letter_label (letter, "letter-contact");
  escaped = g_markup_escape_text (format, -1);
  markup = fill (escaped, "{contact}", contact);
  meso_document_add_text (document, &style, markup);
}

static void
add_letter_paragraph (MesoDocument *document,
                      const char   *text)
{
  static const MesoTextStyle style = { LETTER_FONT, 12, 0 };

  add_escaped (document, &style, text);
}

static void
add_letter (MesoDocument            *document,
            Letter                  *letter,
            const MesoRecallPatient *patient,
            MesoClinic              *clinic,
            GDateTime               *now)
{
  static const MesoTextStyle date_style = { LETTER_FONT, 8 * MM, 0 };
  static const MesoTextStyle title = { LETTER_TITLE_FONT, 8 * MM, 0, .keep_with_next = TRUE };
  static const MesoTextStyle signature_style = { LETTER_FONT, 4, 0 };
  g_autofree char *phone_word = letter_label (letter, "phone");
  g_autofree char *email_word = letter_label (letter, "email");
  g_autofree char *page_format = letter_label (letter, "page");
  g_autofree char *today = letter_date (letter, g_date_time_get_year (now),
                                        g_date_time_get_month (now),
                                        g_date_time_get_day_of_month (now));
  g_autofree char *heading = letter_label (letter, "letter-title");
  g_autofree char *greeting = letter_label (letter, "letter-greeting");
  g_autofree char *greeted = fill (greeting, "{name}", or_empty (patient->patient_name));
  gboolean has_lot = patient->lot != NULL && *patient->lot != '\0';
  g_autofree char *body = letter_label (letter, has_lot ? "letter-body" : "letter-body-no-lot");
  g_autofree char *dates = letter_dates (letter, patient);
  g_autofree char *body_dates = fill (body, "{dates}", dates);
  g_autofree char *body_product = fill (body_dates, "{product}", or_empty (patient->product));
  g_autofree char *body_lot = fill (body_product, "{lot}", or_empty (patient->lot));
  g_autofree char *closing = letter_label (letter, "letter-closing");
  g_autofree char *footer = g_markup_escape_text (clinic_name (clinic), -1);

  meso_document_set_footer (document, footer, page_format);
  add_clinic_header (document, clinic, phone_word, email_word);
  add_escaped (document, &date_style, today);
  add_escaped (document, &title, heading);
  add_letter_paragraph (document, greeted);
  add_letter_paragraph (document, body_lot);
  add_letter_contact (document, letter, clinic);
  add_letter_paragraph (document, closing);
  if (*clinic_name (clinic) != '\0')
    add_escaped (document, &signature_style, clinic_name (clinic));
}

/**
 * meso_recall_render_letters_pdf:
 * @patients: (element-type MesoRecallPatient): the patients to write to
 * @clinic: (nullable): the clinic that writes
 * @paper: the paper
 * @error: a #GError
 *
 * One letter a patient, each starting a page and numbered on its own, each in the
 * patient's language (English where the rules file has no translation). The document's
 * metadata names the product, never a patient.
 *
 * Returns: (transfer full): the PDF.
 */
GBytes *
meso_recall_render_letters_pdf (GPtrArray   *patients,
                                MesoClinic  *clinic,
                                MesoPaper    paper,
                                GError     **error)
{
  g_autoptr(MesoRules) rules = NULL;
  g_autoptr(MesoDocument) document = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *what = NULL;

  g_return_val_if_fail (patients != NULL, NULL);

  rules = meso_rules_new_default (error);
  if (rules == NULL)
    return NULL;
  document = new_document (paper);
  if (patients->len > 0)
    {
      const MesoRecallPatient *first = g_ptr_array_index (patients, 0);

      what = recall_what (first->lot, first->product);
    }
  meso_document_set_metadata (document, _("Letters about a product"), clinic_name (clinic),
                              what, NULL);
  for (guint i = 0; i < patients->len; i++)
    {
      const MesoRecallPatient *patient = g_ptr_array_index (patients, i);
      Letter letter = { rules, patient->language != NULL ? patient->language : "en" };

      if (i > 0)
        meso_document_start_part (document);
      add_letter (document, &letter, patient, clinic, now);
    }
  return render (document, _("Letters"), error);
}
