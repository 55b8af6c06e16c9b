/* meso-clinic-banner.c
 *
 * A sheet with no clinic's name or phone gives the patient nobody to call, so the first
 * start asks for them: a banner under the header bar, until they are set (here, in the
 * preferences it opens, or from another workstation or the command-line tool) or this
 * workstation chooses to skip them. A banner and not a dialog: the practitioner can
 * still record the session of the patient in the chair, and the question stays in
 * sight. Skipped, each sheet's preview still says what is missing (MesoSheetView).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-clinic-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-clinic-banner.h"
#include "meso-error.h"
#include "meso-window.h"

#define SKIPPED_KEY "clinic-setup-skipped"

struct _MesoClinicBanner
{
  AdwBin        parent_instance;

  /* template children */
  GtkRevealer  *revealer;
  GtkButton    *set_up_button;
  GtkButton    *skip_button;

  MesoStore    *store;
  GSettings    *settings;       /* NULL when the schema is not installed */
  GCancellable *cancellable;    /* the clinic's reads; cancelled when the banner goes */
  gboolean      missing;        /* the clinic, as last read, lacks its name or phone */
  gboolean      skipped;        /* without settings: skipped for this run */
};

G_DEFINE_FINAL_TYPE (MesoClinicBanner, meso_clinic_banner, ADW_TYPE_BIN)

static gboolean
is_skipped (MesoClinicBanner *self)
{
  return self->skipped
         || (self->settings != NULL && g_settings_get_boolean (self->settings, SKIPPED_KEY));
}

static void
update (MesoClinicBanner *self)
{
  gboolean shown = self->missing && !is_skipped (self);

  /* Hidden, not only folded: a closed revealer still takes part in the layout. */
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  gtk_revealer_set_reveal_child (self->revealer, shown);
}

static void
on_clinic_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  MesoClinicBanner *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic_finish (MESO_STORE (source), result,
                                                               &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the banner is gone */
  self = MESO_CLINIC_BANNER (user_data);
  /* A failed read is told by the pages that need the clinic; the banner only asks
   * when it knows something is missing. */
  if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE))
    {
      /* Not a fault of ours: the window's banner says the server is out of reach. */
      g_debug ("The clinic's details could not be read: %s", error->message);
      if (MESO_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
        meso_window_report_store_result (MESO_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         error);
      return;
    }
  if (clinic == NULL)
    {
      g_warning ("The clinic's details could not be read: %s", error->message);
      return;
    }
  self->missing = meso_clinic_get_missing (clinic) != 0;
  update (self);
}

static void
load_clinic (MesoClinicBanner *self)
{
  meso_store_get_clinic_async (self->store, self->cancellable, on_clinic_read_cb, self);
}

static void
on_skip_clicked_cb (MesoClinicBanner *self)
{
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, SKIPPED_KEY, TRUE);
  else
    self->skipped = TRUE;
  update (self);
}

static void
meso_clinic_banner_dispose (GObject *object)
{
  MesoClinicBanner *self = MESO_CLINIC_BANNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  /* Not gtk_widget_dispose_template(): AdwBin lets go of its child, the revealer, itself. */

  G_OBJECT_CLASS (meso_clinic_banner_parent_class)->dispose (object);
}

static void
meso_clinic_banner_class_init (MesoClinicBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_clinic_banner_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/"
                                               "meso-clinic-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoClinicBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, MesoClinicBanner, set_up_button);
  gtk_widget_class_bind_template_child (widget_class, MesoClinicBanner, skip_button);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_clicked_cb);
}

static void
meso_clinic_banner_init (MesoClinicBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Nothing is shown before the clinic is read: a set clinic never flashes a banner. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * meso_clinic_banner_new:
 * @store: the clinic's database
 * @settings: (nullable): this workstation's settings, where a skip is kept
 *
 * Returns: (transfer floating): a banner that shows itself while the clinic's name or
 *   phone is missing and has not been skipped.
 */
GtkWidget *
meso_clinic_banner_new (MesoStore *store,
                        GSettings *settings)
{
  MesoClinicBanner *self;

  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MESO_TYPE_CLINIC_BANNER, NULL);
  self->store = g_object_ref (store);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed::" SKIPPED_KEY, G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  /* Set here (clinic-changed), or by another workstation or the command-line tool
   * (changed): the store tells. */
  g_signal_connect_object (store, "clinic-changed", G_CALLBACK (load_clinic), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (load_clinic), self,
                           G_CONNECT_SWAPPED);
  load_clinic (self);
  return GTK_WIDGET (self);
}

/**
 * meso_clinic_banner_get_shown:
 * @self: a #MesoClinicBanner
 *
 * Returns: whether the banner is asking for the clinic's details now.
 */
gboolean
meso_clinic_banner_get_shown (MesoClinicBanner *self)
{
  g_return_val_if_fail (MESO_IS_CLINIC_BANNER (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self))
         && gtk_revealer_get_reveal_child (self->revealer);
}
