/* meso-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-application"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-application.h"
#include "meso-store.h"
#include "meso-window.h"

struct _MesoApplication
{
  AdwApplication  parent_instance;

  MesoStore      *store;
};

G_DEFINE_FINAL_TYPE (MesoApplication, meso_application, ADW_TYPE_APPLICATION)

/* Without its database Mesocare can do nothing safely: say why, in words, and quit
 * once the message is read. The database file is left as it was. */
static void
show_fatal_error (MesoApplication *self,
                  const GError    *error)
{
  GtkWidget *dialog = adw_message_dialog_new (NULL, _("Mesocare Cannot Open Its Database"),
                                              error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_quit), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
meso_application_activate (GApplication *app)
{
  MesoApplication *self = MESO_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->store == NULL)
    {
      path = meso_store_get_default_path ();
      self->store = meso_store_open (path, &error);
      if (self->store == NULL)
        {
          show_fatal_error (self, error);
          return;
        }
    }

  window = GTK_WINDOW (meso_window_new (GTK_APPLICATION (app), self->store));
  gtk_window_present (window);
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Mesocare developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Mesocare"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Record mesotherapy sessions and print aftercare sheets."),
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
};

static const struct {
  const char *action;
  const char *accels[2];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.print", { "<Control>p", NULL } },
  { "win.save-pdf", { "<Shift><Control>s", NULL } },
  { "win.new-session", { "<Control>n", NULL } },
};

static void
meso_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (meso_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
meso_application_dispose (GObject *object)
{
  MesoApplication *self = (MesoApplication *) object;

  g_clear_object (&self->store);
  G_OBJECT_CLASS (meso_application_parent_class)->dispose (object);
}

static void
meso_application_class_init (MesoApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = meso_application_dispose;
  G_APPLICATION_CLASS (klass)->activate = meso_application_activate;
  G_APPLICATION_CLASS (klass)->startup = meso_application_startup;
}

static void
meso_application_init (MesoApplication *self)
{
}

MesoApplication *
meso_application_new (void)
{
  return g_object_new (MESO_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/mesocare/Mesocare",
                       NULL);
}
