/* meso-connect-window.c
 *
 * A workstation of a clinic server has nothing to show without it: rather than an empty
 * window, or one whose every page fails, this one says what is going on, in full: the
 * server is being reached (a spinner), or it cannot be (where, why, and what to do:
 * Retry, or the preferences to correct the address). The application opens the normal
 * window in its place once the server answers (meso-application.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-connect-window"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-connect-window.h"
#include "meso-server-address.h"

struct _MesoConnectWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwStatusPage        *connecting_page;
  GtkButton            *retry_button;
  GtkStack             *stack;
  AdwStatusPage        *unreachable_page;
};

G_DEFINE_FINAL_TYPE (MesoConnectWindow, meso_connect_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * meso_connect_window_show_connecting:
 * @self: a #MesoConnectWindow
 * @location: the server's URI
 *
 * Shows that the server at @location is being reached.
 */
void
meso_connect_window_show_connecting (MesoConnectWindow *self,
                                     const char        *location)
{
  g_autofree char *where = meso_server_describe_location (location);
  g_autofree char *escaped = g_markup_escape_text (where, -1);

  g_return_if_fail (MESO_IS_CONNECT_WINDOW (self));

  adw_status_page_set_description (self->connecting_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "connecting");
}

/**
 * meso_connect_window_show_unreachable:
 * @self: a #MesoConnectWindow
 * @location: the server's URI
 * @error: why it cannot be reached
 *
 * Shows that the server at @location cannot be reached, and why, with Retry.
 */
void
meso_connect_window_show_unreachable (MesoConnectWindow *self,
                                      const char        *location,
                                      const GError      *error)
{
  g_autofree char *where = meso_server_describe_location (location);
  g_autofree char *description = NULL;

  g_return_if_fail (MESO_IS_CONNECT_WINDOW (self));

  description = g_markup_printf_escaped (_("Mesocare keeps the clinic’s records on the server "
                                           "<b>%s</b>, and cannot reach it:\n\n%s\n\nCheck that "
                                           "the server is on and that this computer is on the "
                                           "clinic’s network, then try again. Nothing is lost: "
                                           "the records are on the server."),
                                         where, error->message);
  adw_status_page_set_description (self->unreachable_page, description);
  gtk_stack_set_visible_child_name (self->stack, "unreachable");
  gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

/**
 * meso_connect_window_get_connecting:
 * @self: a #MesoConnectWindow
 *
 * Returns: whether it shows that the server is being reached.
 */
gboolean
meso_connect_window_get_connecting (MesoConnectWindow *self)
{
  g_return_val_if_fail (MESO_IS_CONNECT_WINDOW (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "connecting") == 0;
}

static void
meso_connect_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MESO_TYPE_CONNECT_WINDOW);
  G_OBJECT_CLASS (meso_connect_window_parent_class)->dispose (object);
}

static void
meso_connect_window_class_init (MesoConnectWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = meso_connect_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mesocare/Mesocare/meso-connect-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MesoConnectWindow, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, MesoConnectWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, MesoConnectWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MesoConnectWindow, unreachable_page);
}

static void
meso_connect_window_init (MesoConnectWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * meso_connect_window_new:
 * @application: (nullable): the application, whose actions its buttons activate
 *   (app.retry-connection, app.preferences)
 *
 * Returns: (transfer full): a new window, showing that the server is being reached.
 */
MesoConnectWindow *
meso_connect_window_new (GtkApplication *application)
{
  return g_object_new (MESO_TYPE_CONNECT_WINDOW, "application", application, NULL);
}
