/* meso-server-banner.c
 *
 * The connection to the clinic server was lost (a call of the store, a save or a read
 * of any page, failed with MESO_ERROR_SERVER_UNREACHABLE: the store's
 * server-unreachable property): a banner under the header bar says so, and that the
 * work in the form is kept, for as long as the server stays out of reach. A banner and
 * not a dialog: the form stays usable, and Save can be pressed again. The store
 * reconnects by itself at its next call; while the banner is up it makes one, a read of
 * one row, every few seconds, and the banner goes at the first call that succeeds (that
 * one, a save pressed again, or a change the watch saw come from the server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-server-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-error.h"
#include "meso-server-banner.h"

/* Often enough that the banner goes soon after the server is back; a read of one row
 * that often costs the server nothing. */
#define PROBE_INTERVAL_S 2

struct _MesoServerBanner
{
  AdwBin        parent_instance;

  /* template children */
  GtkRevealer  *revealer;

  MesoStore    *store;
  GCancellable *cancellable;   /* the probes; cancelled when the banner goes */
  guint         probe_source;
  gboolean      probing;       /* a probe is on its way */
  gboolean      unreachable;
};

G_DEFINE_FINAL_TYPE (MesoServerBanner, meso_server_banner, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean on_probe_cb (gpointer user_data);

static void
set_unreachable (MesoServerBanner *self,
                 gboolean          unreachable)
{
  if (self->unreachable == unreachable)
    return;
  self->unreachable = unreachable;
  /* Hidden, not only folded: a closed revealer still takes part in the layout. */
  gtk_widget_set_visible (GTK_WIDGET (self), unreachable);
  gtk_revealer_set_reveal_child (self->revealer, unreachable);
  if (unreachable)
    self->probe_source = g_timeout_add_seconds (PROBE_INTERVAL_S, on_probe_cb, self);
  else
    g_clear_handle_id (&self->probe_source, g_source_remove);
}

static void
on_probed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic_finish (MESO_STORE (source), result,
                                                               &error);
  MesoServerBanner *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the banner is gone */
  self = MESO_SERVER_BANNER (user_data);
  self->probing = FALSE;
  if (clinic != NULL)
    set_unreachable (self, FALSE);
}

static gboolean
on_probe_cb (gpointer user_data)
{
  MesoServerBanner *self = user_data;

  if (!self->probing)
    {
      self->probing = TRUE;
      meso_store_get_clinic_async (self->store, self->cancellable, on_probed_cb, self);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * meso_server_banner_report:
 * @self: a #MesoServerBanner
 * @error: (nullable): how a call of the store ended: %NULL when it succeeded
 *
 * Shows the banner when @error says the server cannot be reached; hides it when a call
 * succeeded. Other errors say nothing about the server.
 */
void
meso_server_banner_report (MesoServerBanner *self,
                           const GError     *error)
{
  g_return_if_fail (MESO_IS_SERVER_BANNER (self));

  if (error == NULL)
    set_unreachable (self, FALSE);
  else if (g_error_matches (error, MESO_ERROR, MESO_ERROR_SERVER_UNREACHABLE))
    set_unreachable (self, TRUE);
}

gboolean
meso_server_banner_get_unreachable (MesoServerBanner *self)
{
  g_return_val_if_fail (MESO_IS_SERVER_BANNER (self), FALSE);
  return self->unreachable;
}

/* Another workstation's write came through: the server answers again. */
static void
on_store_changed_cb (MesoServerBanner *self)
{
  set_unreachable (self, FALSE);
}

/* Whatever call found it out: a page's read as well as a save. */
static void
on_server_unreachable_cb (MesoServerBanner *self)
{
  set_unreachable (self, meso_store_get_server_unreachable (self->store));
}

static void
meso_server_banner_constructed (GObject *object)
{
  MesoServerBanner *self = MESO_SERVER_BANNER (object);

  G_OBJECT_CLASS (meso_server_banner_parent_class)->constructed (object);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::server-unreachable",
                           G_CALLBACK (on_server_unreachable_cb), self, G_CONNECT_SWAPPED);
}

static void
meso_server_banner_dispose (GObject *object)
{
  MesoServerBanner *self = MESO_SERVER_BANNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->probe_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  /* Not gtk_widget_dispose_template(): AdwBin lets go of its child, the revealer, itself. */
  G_OBJECT_CLASS (meso_server_banner_parent_class)->dispose (object);
}

static void
meso_server_banner_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  MesoServerBanner *self = MESO_SERVER_BANNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_server_banner_class_init (MesoServerBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = meso_server_banner_constructed;
  object_class->dispose = meso_server_banner_dispose;
  object_class->set_property = meso_server_banner_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MESO_TYPE_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-server-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoServerBanner, revealer);
}

static void
meso_server_banner_init (MesoServerBanner *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * meso_server_banner_new:
 * @store: the store whose server the banner is about
 *
 * Returns: (transfer floating): a banner, hidden until meso_server_banner_report() is
 *   told the server cannot be reached.
 */
GtkWidget *
meso_server_banner_new (MesoStore *store)
{
  g_return_val_if_fail (MESO_IS_STORE (store), NULL);
  return g_object_new (MESO_TYPE_SERVER_BANNER, "store", store, NULL);
}
