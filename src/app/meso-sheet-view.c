/* meso-sheet-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-sheet-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <poppler.h>

#include "meso-sheet-page.h"
#include "meso-sheet-printer.h"
#include "meso-sheet-view.h"

/* Pages are rasterised at twice their size in points, sharp on a HiDPI screen and
 * scaled down by GtkPicture elsewhere. */
#define PREVIEW_SCALE 2.0

/* The zoom's steps and bounds, as a scale of the page's size in points (1.0 is about
 * the paper's size on a 96 dpi screen). */
#define ZOOM_STEP 1.25
#define ZOOM_MIN  0.25
#define ZOOM_MAX  4.0

struct _MesoSheetView
{
  GtkWidget        parent_instance;

  /* template children */
  GtkWidget       *actions_box;
  GtkWidget       *adjust_button;
  GtkWidget       *box;
  AdwStatusPage   *error_page;
  GtkLabel        *note_label;
  GtkBox          *pages_box;
  GtkWidget       *print_button;
  GtkWidget       *save_pdf_button;
  GtkScrolledWindow *scroller;
  GtkSpinner      *spinner;
  GtkStack        *stack;
  GtkLabel        *stale_label;
  GtkWidget       *zoom_in_button;
  GtkWidget       *zoom_out_button;

  GCancellable    *cancellable;
  GBytes          *pdf;
  PopplerDocument *document;
  double           page_width;     /* the first page's width in points, 0 with none */
  double           zoom;           /* the page's scale; 0 to fit the width */
  double           pinch_start;    /* the scale when a pinch began */
  gboolean         to_start;       /* the next sheet shown opens at its first page */
};

G_DEFINE_FINAL_TYPE (MesoSheetView, meso_sheet_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_HAS_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the worker thread hands back: the PDF, the document poppler made of it, and
 * each page drawn as an image. */
typedef struct
{
  GBytes          *pdf;
  PopplerDocument *document;
  GPtrArray       *pages;   /* of cairo_surface_t */
} RenderResult;

static void
render_result_free (RenderResult *result)
{
  g_clear_pointer (&result->pdf, g_bytes_unref);
  g_clear_object (&result->document);
  g_clear_pointer (&result->pages, g_ptr_array_unref);
  g_free (result);
}

static cairo_surface_t *
rasterise_page (PopplerPage *page)
{
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;

  poppler_page_get_size (page, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        (int) (width * PREVIEW_SCALE),
                                        (int) (height * PREVIEW_SCALE));
  cr = cairo_create (surface);
  /* poppler draws only the ink: paper is white. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, PREVIEW_SCALE, PREVIEW_SCALE);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  MesoSheet *sheet = task_data;
  RenderResult *result = g_new0 (RenderResult, 1);
  /* Two sheets rendered at once (a page reloading while its cancelled render still
   * runs, or two pages) take turns on poppler. */
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (meso_sheet_printer_get_poppler_lock ());
  GError *error = NULL;
  int n_pages;

  result->pdf = meso_sheet_render_pdf (sheet, &error);
  if (result->pdf != NULL)
    result->document = poppler_document_new_from_bytes (result->pdf, NULL, &error);
  if (result->document == NULL)
    {
      render_result_free (result);
      g_task_return_error (task, error);
      return;
    }

  n_pages = poppler_document_get_n_pages (result->document);
  result->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  for (int i = 0; i < n_pages && !g_cancellable_is_cancelled (cancellable); i++)
    {
      PopplerPage *page = poppler_document_get_page (result->document, i);

      g_ptr_array_add (result->pages, rasterise_page (page));
      g_object_unref (page);
    }
  g_task_return_pointer (task, result, (GDestroyNotify) render_result_free);
}

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr(GBytes) bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                                         (gsize) height * (gsize) stride);

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 layout, premultiplied, in native order. */
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface), height,
                                 GDK_MEMORY_DEFAULT, bytes, (gsize) stride);
}

static void
clear_pages (MesoSheetView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box))) != NULL)
    gtk_box_remove (self->pages_box, child);
}

/* Fit to the width, the pages take what the panel gives; zoomed, each is as wide as its
 * scale says, and the preview scrolls sideways when that is wider than the panel. */
static void
apply_zoom (MesoSheetView *self)
{
  gboolean fit = self->zoom <= 0;
  int width = fit ? -1 : (int) (self->page_width * self->zoom + 0.5);

  gtk_scrolled_window_set_policy (self->scroller,
                                  fit ? GTK_POLICY_NEVER : GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_halign (GTK_WIDGET (self->pages_box), fit ? GTK_ALIGN_FILL : GTK_ALIGN_CENTER);
  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    gtk_widget_set_size_request (page, width, -1);
}

/* The one place where the zoom actions' enabled state is decided. Fit to the width,
 * the pages are not laid out yet when they arrive: both ways are open. */
static void
update_zoom_actions (MesoSheetView *self)
{
  gboolean shown = self->document != NULL;
  gboolean fit = self->zoom <= 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sheet.zoom-in",
                                 shown && (fit || self->zoom < ZOOM_MAX));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sheet.zoom-out",
                                 shown && (fit || self->zoom > ZOOM_MIN));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sheet.zoom-fit", shown && self->zoom > 0);
}

static void
set_zoom (MesoSheetView *self,
          double         zoom)
{
  self->zoom = zoom > 0 ? CLAMP (zoom, ZOOM_MIN, ZOOM_MAX) : 0;
  apply_zoom (self);
  update_zoom_actions (self);
}

/* Back to the top left, as a sheet newly opened is. */
static void
scroll_to_start (MesoSheetView *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (self->scroller);

  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_lower (vadjustment));
  gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_lower (hadjustment));
}

static void
show_pages (MesoSheetView *self,
            GPtrArray     *pages)
{
  clear_pages (self);
  self->page_width = pages->len > 0
    ? cairo_image_surface_get_width (g_ptr_array_index (pages, 0)) / PREVIEW_SCALE
    : 0;
  for (guint i = 0; i < pages->len; i++)
    {
      g_autoptr(GdkTexture) texture = texture_from_surface (g_ptr_array_index (pages, i));
      g_autofree char *name = g_strdup_printf (_("Page %u of %u"), i + 1, pages->len);
      GtkWidget *page = meso_sheet_page_new (GDK_PAINTABLE (texture), name);

      gtk_widget_add_css_class (page, "card");
      gtk_box_append (self->pages_box, page);
    }
  apply_zoom (self);
  if (self->to_start)
    scroll_to_start (self);
  self->to_start = FALSE;
}

static void
on_render_done_cb (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  RenderResult *result = g_task_propagate_pointer (G_TASK (res), &error);
  MesoSheetView *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = MESO_SHEET_VIEW (source);
  gtk_spinner_stop (self->spinner);
  if (result == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  self->pdf = g_steal_pointer (&result->pdf);
  self->document = g_steal_pointer (&result->document);
  show_pages (self, result->pages);
  render_result_free (result);
  gtk_stack_set_visible_child_name (self->stack, "preview");
  update_zoom_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DOCUMENT]);
}

static void
drop_document (MesoSheetView *self)
{
  gboolean had_document = self->document != NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pdf, g_bytes_unref);
  g_clear_object (&self->document);
  update_zoom_actions (self);
  if (had_document)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DOCUMENT]);
}

static const char *
language_name (const char *code)
{
  if (g_strcmp0 (code, "fr") == 0)
    return _("French");
  if (g_strcmp0 (code, "es") == 0)
    return _("Spanish");
  return _("English");
}

/* A sheet without the clinic's name or phone gives the patient nobody to call. */
static const char *
missing_clinic_note (MesoSheet *sheet)
{
  MesoClinicFields missing = meso_sheet_get_missing_clinic (sheet);

  if (missing == (MESO_CLINIC_NAME | MESO_CLINIC_PHONE))
    return _("The clinic’s name and phone are not set: this sheet gives the patient no number "
             "to call. Set them in Preferences.");
  if (missing == MESO_CLINIC_PHONE)
    return _("The clinic’s phone is not set: this sheet gives the patient no number to call. "
             "Set it in Preferences.");
  if (missing == MESO_CLINIC_NAME)
    return _("The clinic’s name is not set: this sheet is headed “Your mesotherapy clinic”. "
             "Set it in Preferences.");
  return NULL;
}

/* Said before anything is printed: a clinic with no name or phone, and sentences with no
 * translation in the patient's language, printed in English. */
static void
update_note (MesoSheetView *self,
             MesoSheet     *sheet)
{
  g_auto(GStrv) untranslated = sheet != NULL ? meso_sheet_list_untranslated (sheet) : NULL;
  guint n = untranslated != NULL ? g_strv_length (untranslated) : 0;
  const char *clinic_note = sheet != NULL ? missing_clinic_note (sheet) : NULL;
  g_autoptr(GString) note = g_string_new (clinic_note);

  gtk_widget_set_visible (GTK_WIDGET (self->note_label), n > 0 || clinic_note != NULL);
  if (n > 0)
    {
      g_autofree char *translation = g_strdup_printf (
        ngettext ("%u sentence of this sheet has no %s translation yet: it is printed in "
                  "English.",
                  "%u sentences of this sheet have no %s translation yet: they are printed "
                  "in English.", n),
        n, language_name (meso_sheet_get_language (sheet)));

      g_string_append_printf (note, "%s%s", note->len > 0 ? "\n" : "", translation);
    }
  gtk_label_set_text (self->note_label, note->str);
}

/**
 * meso_sheet_view_set_sheet:
 * @self: a #MesoSheetView
 * @sheet: (nullable): the sheet to show, or %NULL for none
 *
 * Renders @sheet in a worker thread, with a spinner meanwhile: the window stays
 * responsive. A sheet set while another renders replaces it.
 */
void
meso_sheet_view_set_sheet (MesoSheetView *self,
                           MesoSheet     *sheet)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MESO_IS_SHEET_VIEW (self));

  drop_document (self);
  update_note (self, sheet);
  if (sheet == NULL)
    {
      clear_pages (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");

  task = g_task_new (self, self->cancellable, on_render_done_cb, NULL);
  g_task_set_source_tag (task, meso_sheet_view_set_sheet);
  g_task_set_task_data (task, g_object_ref (sheet), g_object_unref);
  g_task_run_in_thread (task, render_thread);
}

gboolean
meso_sheet_view_has_document (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), FALSE);
  return self->document != NULL;
}

/**
 * meso_sheet_view_get_pdf:
 * @self: a #MesoSheetView
 *
 * Returns: (transfer none) (nullable): the PDF shown, the very bytes that are printed
 *   and saved.
 */
GBytes *
meso_sheet_view_get_pdf (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), NULL);
  return self->pdf;
}

/**
 * meso_sheet_view_get_note:
 * @self: a #MesoSheetView
 *
 * Returns: (nullable): what the view says about the sheet's language, or %NULL.
 */
const char *
meso_sheet_view_get_note (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->note_label)))
    return NULL;
  return gtk_label_get_text (self->note_label);
}

guint
meso_sheet_view_get_n_pages (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), 0);
  return self->document != NULL ? (guint) poppler_document_get_n_pages (self->document) : 0;
}

/**
 * meso_sheet_view_create_print_operation:
 * @self: a #MesoSheetView with a document
 *
 * Returns: (transfer full): a print operation that prints the very PDF shown.
 */
GtkPrintOperation *
meso_sheet_view_create_print_operation (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), NULL);
  g_return_val_if_fail (self->document != NULL, NULL);

  return meso_sheet_print_operation_new (self->document);
}

/**
 * meso_sheet_view_scroll_to_start:
 * @self: a #MesoSheetView
 *
 * Shows the sheet from its first page: at once if it is shown, when it is if it is
 * still being rendered. Another session's sheet opens there, where its patient's name
 * is; the same sheet rendered again (adjusted) stays where the practitioner is reading.
 */
void
meso_sheet_view_scroll_to_start (MesoSheetView *self)
{
  g_return_if_fail (MESO_IS_SHEET_VIEW (self));

  if (self->document != NULL)
    scroll_to_start (self);
  else
    self->to_start = TRUE;
}

/**
 * meso_sheet_view_set_stale_notice:
 * @self: a #MesoSheetView
 * @notice: (nullable): why the sheet shown is not the one the user is working on, or
 *   %NULL when it is
 *
 * Says @notice above the preview and dims the pages, so that the sheet of a session
 * saved earlier is not taken for the one being typed beside it.
 */
void
meso_sheet_view_set_stale_notice (MesoSheetView *self,
                                  const char    *notice)
{
  g_return_if_fail (MESO_IS_SHEET_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->stale_label), notice != NULL);
  gtk_label_set_text (self->stale_label, notice != NULL ? notice : "");
  gtk_widget_set_opacity (GTK_WIDGET (self->pages_box), notice != NULL ? 0.4 : 1.0);
}

/**
 * meso_sheet_view_get_stale_notice:
 * @self: a #MesoSheetView
 *
 * Returns: (nullable): what the view says of a sheet that is not the form's, or %NULL.
 */
const char *
meso_sheet_view_get_stale_notice (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->stale_label)))
    return NULL;
  return gtk_label_get_text (self->stale_label);
}

/**
 * meso_sheet_view_get_scale:
 * @self: a #MesoSheetView
 *
 * Returns: the scale the pages are shown at, as laid out: their width on screen over
 *   their width in points; 0 with no sheet, or before it is laid out.
 */
double
meso_sheet_view_get_scale (MesoSheetView *self)
{
  GtkWidget *page;

  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), 0);

  page = gtk_widget_get_first_child (GTK_WIDGET (self->pages_box));
  if (self->zoom > 0)
    return self->zoom;
  if (page == NULL || self->page_width <= 0)
    return 0;
  return gtk_widget_get_width (page) / self->page_width;
}

/**
 * meso_sheet_view_get_zoom:
 * @self: a #MesoSheetView
 *
 * Returns: the scale chosen, or 0 when the pages fit the width (the default).
 */
double
meso_sheet_view_get_zoom (MesoSheetView *self)
{
  g_return_val_if_fail (MESO_IS_SHEET_VIEW (self), 0);
  return self->zoom;
}

static void
zoom_in_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MesoSheetView *self = MESO_SHEET_VIEW (widget);

  set_zoom (self, meso_sheet_view_get_scale (self) * ZOOM_STEP);
}

static void
zoom_out_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MesoSheetView *self = MESO_SHEET_VIEW (widget);

  set_zoom (self, meso_sheet_view_get_scale (self) / ZOOM_STEP);
}

static void
zoom_fit_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  set_zoom (MESO_SHEET_VIEW (widget), 0);
}

/* Two fingers on a touch screen or a touchpad: the scale follows their spread, from
 * the one the pages had when they touched. */
static void
on_pinch_begin_cb (GtkGesture       *gesture,
                   GdkEventSequence *sequence,
                   MesoSheetView    *self)
{
  self->pinch_start = meso_sheet_view_get_scale (self);
}

static void
on_pinch_scale_changed_cb (GtkGestureZoom *gesture,
                           double          scale,
                           MesoSheetView  *self)
{
  if (self->document != NULL && self->pinch_start > 0)
    set_zoom (self, self->pinch_start * scale);
}

/**
 * meso_sheet_view_set_show_actions:
 * @self: a #MesoSheetView
 * @show: whether the view shows its own Adjust, Save as PDF and Print buttons
 *
 * The Record page's buttons run "record.*" actions; a page with buttons of its own
 * hides them.
 */
void
meso_sheet_view_set_show_actions (MesoSheetView *self,
                                  gboolean       show)
{
  g_return_if_fail (MESO_IS_SHEET_VIEW (self));
  gtk_widget_set_visible (self->actions_box, show);
}

static void
meso_sheet_view_dispose (GObject *object)
{
  MesoSheetView *self = (MesoSheetView *) object;

  drop_document (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MESO_TYPE_SHEET_VIEW);
  G_OBJECT_CLASS (meso_sheet_view_parent_class)->dispose (object);
}

static void
meso_sheet_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MesoSheetView *self = MESO_SHEET_VIEW (object);

  switch (prop_id)
    {
    case PROP_HAS_DOCUMENT:
      g_value_set_boolean (value, meso_sheet_view_has_document (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_sheet_view_class_init (MesoSheetViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_sheet_view_dispose;
  object_class->get_property = meso_sheet_view_get_property;

  properties[PROP_HAS_DOCUMENT] =
    g_param_spec_boolean ("has-document", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-sheet-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, actions_box);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, adjust_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, box);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, error_page);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, note_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, pages_box);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, print_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, save_pdf_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, scroller);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, spinner);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, stale_label);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, zoom_in_button);
  gtk_widget_class_bind_template_child (widget_class, MesoSheetView, zoom_out_button);

  /* Wherever the view is, its own zoom, with the keys every document viewer uses. */
  gtk_widget_class_install_action (widget_class, "sheet.zoom-in", NULL, zoom_in_activated);
  gtk_widget_class_install_action (widget_class, "sheet.zoom-out", NULL, zoom_out_activated);
  gtk_widget_class_install_action (widget_class, "sheet.zoom-fit", NULL, zoom_fit_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "sheet.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "sheet.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK,
                                       "sheet.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "sheet.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK,
                                       "sheet.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK,
                                       "sheet.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK,
                                       "sheet.zoom-fit", NULL);
}

static void
meso_sheet_view_init (MesoSheetView *self)
{
  GtkGesture *pinch;

  gtk_widget_init_template (GTK_WIDGET (self));

  pinch = gtk_gesture_zoom_new ();
  g_signal_connect (pinch, "begin", G_CALLBACK (on_pinch_begin_cb), self);
  g_signal_connect (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), GTK_EVENT_CONTROLLER (pinch));
  update_zoom_actions (self);
}

GtkWidget *
meso_sheet_view_new (void)
{
  return g_object_new (MESO_TYPE_SHEET_VIEW, NULL);
}
