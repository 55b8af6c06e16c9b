/* meso-report-chart.c
 *
 * The chart is the document layer's own drawing (meso_report_draw_chart(), the same as
 * on paper): this widget only chooses its colours. The text and axes take the theme's
 * foreground; the stacks take the GNOME palette's middle shades in the light style and
 * its lighter ones in the dark, where the darker would sink into the background. The
 * description a screen reader reads is the chart's own sentences.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-report-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "meso-report-chart.h"
#include "meso-report-pdf.h"

struct _MesoReportChart
{
  GtkDrawingArea  parent_instance;

  MesoReport     *report;
  gboolean        dark;    /* the style the last frame was drawn in */
};

G_DEFINE_FINAL_TYPE (MesoReportChart, meso_report_chart, GTK_TYPE_DRAWING_AREA)

enum {
  PROP_0,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GNOME's palette: blue, green, yellow, orange, red, purple, brown; shade 3 for the
 * light style, shade 1 for the dark. */
static const double light_stacks[][4] = {
  { 0.208, 0.518, 0.894, 1 }, { 0.200, 0.820, 0.478, 1 }, { 0.965, 0.827, 0.176, 1 },
  { 1.000, 0.471, 0.000, 1 }, { 0.878, 0.106, 0.141, 1 }, { 0.569, 0.255, 0.675, 1 },
  { 0.596, 0.416, 0.267, 1 },
};
static const double dark_stacks[][4] = {
  { 0.600, 0.757, 0.945, 1 }, { 0.561, 0.941, 0.643, 1 }, { 0.976, 0.941, 0.420, 1 },
  { 1.000, 0.745, 0.435, 1 }, { 0.965, 0.380, 0.318, 1 }, { 0.863, 0.541, 0.867, 1 },
  { 0.804, 0.671, 0.561, 1 },
};

static void
draw (GtkDrawingArea *area,
      cairo_t        *cr,
      int             width,
      int             height,
      gpointer        user_data)
{
  MesoReportChart *self = MESO_REPORT_CHART (area);
  GdkRGBA color;
  MesoChartStyle style = { 0 };

  if (self->report == NULL)
    return;
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &color);
  style.foreground[0] = color.red;
  style.foreground[1] = color.green;
  style.foreground[2] = color.blue;
  style.foreground[3] = color.alpha;
  memcpy (style.grid, style.foreground, sizeof style.grid);
  style.grid[3] = color.alpha * 0.2;
  style.stacks = self->dark ? dark_stacks : light_stacks;
  style.n_stacks = G_N_ELEMENTS (light_stacks);
  meso_report_draw_chart (cr, self->report, &style, width, height);
}

static void
describe (MesoReportChart *self)
{
  g_autofree char *description = self->report != NULL
                                 ? meso_report_describe_chart (self->report) : NULL;

  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    description, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/**
 * meso_report_chart_set_report:
 * @self: a #MesoReportChart
 * @report: (nullable): the report to draw, or %NULL for nothing
 */
void
meso_report_chart_set_report (MesoReportChart *self,
                              MesoReport      *report)
{
  g_return_if_fail (MESO_IS_REPORT_CHART (self));
  g_return_if_fail (report == NULL || MESO_IS_REPORT (report));

  if (!g_set_object (&self->report, report))
    return;
  describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

MesoReport *
meso_report_chart_get_report (MesoReportChart *self)
{
  g_return_val_if_fail (MESO_IS_REPORT_CHART (self), NULL);
  return self->report;
}

/* Whether the last frame was drawn in the dark style's colours (for the tests). */
gboolean
meso_report_chart_get_dark (MesoReportChart *self)
{
  g_return_val_if_fail (MESO_IS_REPORT_CHART (self), FALSE);
  return self->dark;
}

static void
on_dark_changed_cb (MesoReportChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
meso_report_chart_dispose (GObject *object)
{
  MesoReportChart *self = MESO_REPORT_CHART (object);

  g_clear_object (&self->report);
  G_OBJECT_CLASS (meso_report_chart_parent_class)->dispose (object);
}

static void
meso_report_chart_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MesoReportChart *self = MESO_REPORT_CHART (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_report_chart_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MesoReportChart *self = MESO_REPORT_CHART (object);

  switch (prop_id)
    {
    case PROP_REPORT:
      meso_report_chart_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_report_chart_class_init (MesoReportChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_report_chart_dispose;
  object_class->get_property = meso_report_chart_get_property;
  object_class->set_property = meso_report_chart_set_property;

  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, MESO_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
meso_report_chart_init (MesoReportChart *self)
{
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 240);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chart of sessions"), -1);
  /* The colours are the style's: a change of style is a new drawing. */
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
meso_report_chart_new (void)
{
  return g_object_new (MESO_TYPE_REPORT_CHART, NULL);
}
