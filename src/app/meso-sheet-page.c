/* meso-sheet-page.c
 *
 * GtkPicture cannot be used here: a shrinkable picture asks for no height at all, and a
 * scrolled window gives its child only the height it asks for, so pages came out tiny.
 * A page asks for exactly the height its width calls for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet-page"

#include "config.h"

#include "meso-sheet-page.h"

#define MIN_WIDTH 120

struct _MesoSheetPage
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;
};

G_DEFINE_FINAL_TYPE (MesoSheetPage, meso_sheet_page, GTK_TYPE_WIDGET)

static double
aspect_ratio (MesoSheetPage *self)
{
  double ratio = gdk_paintable_get_intrinsic_aspect_ratio (self->paintable);

  return ratio > 0 ? ratio : 210.0 / 297.0;
}

static GtkSizeRequestMode
meso_sheet_page_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
meso_sheet_page_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  MesoSheetPage *self = MESO_SHEET_PAGE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      /* At about the size of the paper on a 96 dpi screen when there is room. */
      *natural = MAX (MIN_WIDTH, gdk_paintable_get_intrinsic_width (self->paintable) / 2);
    }
  else
    {
      int width = for_size >= 0 ? for_size
                                : gdk_paintable_get_intrinsic_width (self->paintable) / 2;

      *minimum = *natural = (int) (MAX (width, MIN_WIDTH) / aspect_ratio (self));
    }
}

static void
meso_sheet_page_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  MesoSheetPage *self = MESO_SHEET_PAGE (widget);

  gdk_paintable_snapshot (self->paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
}

static void
meso_sheet_page_dispose (GObject *object)
{
  MesoSheetPage *self = MESO_SHEET_PAGE (object);

  g_clear_object (&self->paintable);
  G_OBJECT_CLASS (meso_sheet_page_parent_class)->dispose (object);
}

static void
meso_sheet_page_class_init (MesoSheetPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_sheet_page_dispose;
  widget_class->get_request_mode = meso_sheet_page_get_request_mode;
  widget_class->measure = meso_sheet_page_measure;
  widget_class->snapshot = meso_sheet_page_snapshot;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "sheetpage");
}

static void
meso_sheet_page_init (MesoSheetPage *self)
{
}

/**
 * meso_sheet_page_new:
 * @paintable: the page, drawn
 * @name: what a screen reader says of it ("Page 1 of 2")
 *
 * Returns: (transfer floating): a new page.
 */
GtkWidget *
meso_sheet_page_new (GdkPaintable *paintable,
                     const char   *name)
{
  MesoSheetPage *self = g_object_new (MESO_TYPE_SHEET_PAGE, NULL);

  self->paintable = g_object_ref (paintable);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  return GTK_WIDGET (self);
}
