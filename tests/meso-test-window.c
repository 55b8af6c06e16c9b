/* meso-test-window.c: what the tests that drive the app's windows share: a private XDG
 * tree, template children, and waiting for a window to be shown, to draw, to rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "meso-session-editor.h"
#include "meso-test-util.h"
#include "meso-test-window.h"

/**
 * meso_test_has_display:
 *
 * Whether there is a display to open windows on. Without one, says so in TAP (the
 * program's whole plan skipped) and returns %FALSE: the program then returns 77.
 */
gboolean
meso_test_has_display (void)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run\n");
      return FALSE;
    }
  return TRUE;
}

/**
 * meso_test_make_xdg_home:
 * @tmpl: the name of the folder, for g_dir_make_tmp()
 *
 * gtk_test_init() cannot isolate the user's folders as g_test_init() can: a private
 * tree for XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME, set before GLib first
 * reads the variables (so before gtk_test_init()), keeps the real data untouched.
 *
 * Returns: (transfer full): the folder holding the three
 */
char *
meso_test_make_xdg_home (const char *tmpl)
{
  const char *variables[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  char *xdg = g_dir_make_tmp (tmpl, NULL);

  g_assert_nonnull (xdg);
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *sub = g_build_filename (xdg, variables[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
      g_setenv (variables[i], sub, TRUE);
    }
  return xdg;
}

/**
 * meso_test_child:
 * @widget: a widget built from a template
 * @type: the type whose template names the child
 * @name: its id in the template
 *
 * Returns: (transfer none): the child, which the test asserts is there
 */
GtkWidget *
meso_test_child (GtkWidget  *widget,
                 GType       type,
                 const char *name)
{
  GObject *object = gtk_widget_get_template_child (widget, type, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

/**
 * meso_test_area_button:
 * @editor: a #MesoSessionEditor
 * @area_id: an area's id, the name of its button
 *
 * Returns: (transfer none): the editor's button for that area, which the test asserts
 *   is there
 */
GtkWidget *
meso_test_area_button (GtkWidget  *editor,
                       const char *area_id)
{
  GtkWidget *box = meso_test_child (editor, MESO_TYPE_SESSION_EDITOR, "areas_box");

  for (GtkWidget *c = gtk_widget_get_first_child (box); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (c));

      if (g_str_equal (gtk_widget_get_name (button), area_id))
        return button;
    }
  g_error ("no button for area %s", area_id);
  return NULL;
}

typedef struct
{
  const char *type_name;
  GtkWindow  *found;
} WindowWait;

static gboolean
find_window (gpointer data)
{
  WindowWait *wait = data;
  GType type = g_type_from_name (wait->type_name);  /* 0 until GTK has made one */
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; type != 0 && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          wait->found = window;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * meso_test_wait_for_window_named:
 * @type_name: the name of a #GtkWindow type
 *
 * Waits for a visible window of that type, shown by the application or by an action.
 * By name, so that GTK's own dialogs (the print dialog) can be awaited without their
 * headers.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
meso_test_wait_for_window_named (const char *type_name)
{
  WindowWait wait = { type_name, NULL };
  g_autofree char *what = g_strdup_printf ("a %s to be shown", type_name);

  meso_test_wait_for (find_window, &wait, what);
  return wait.found;
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_set (gpointer data)
{
  return *(gboolean *) data;
}

/**
 * meso_test_wait_for_frame:
 * @widget: a widget in a shown window
 *
 * Until the next frame of @widget's window, laid out and drawn:
 * gtk_test_widget_wait_for_draw(), with a limit.
 */
void
meso_test_wait_for_frame (GtkWidget *widget)
{
  gboolean ticked = FALSE;

  gtk_widget_add_tick_callback (widget, on_tick_cb, &ticked, NULL);
  meso_test_wait_for (is_set, &ticked, "the window to draw a frame");
}

/**
 * meso_test_settle:
 * @window: a shown window
 * @is_moving: (nullable): whether something in it is still moving (a leaflet's
 *   transition), asked after each frame
 * @data: for @is_moving
 *
 * Until what the user sees has come to rest: the X server has answered every request
 * of the window (a new size is one), and the frame drawn since is the size of the one
 * before, with nothing moving.
 */
void
meso_test_settle (GtkWidget         *window,
                  MesoTestCondition  is_moving,
                  gpointer           data)
{
  gint64 deadline = g_get_monotonic_time () + MESO_TEST_WAIT_LIMIT_S * G_USEC_PER_SEC;
  int width, height;
  gboolean moving;

  meso_test_wait_for_frame (window);
  do
    {
      width = gtk_widget_get_width (window);
      height = gtk_widget_get_height (window);
      gdk_display_sync (gtk_widget_get_display (window));
      meso_test_wait_for_frame (window);
      moving = is_moving != NULL && is_moving (data);
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %d s waiting for the window to come to rest: %dx%d, then "
                 "%dx%d%s", MESO_TEST_WAIT_LIMIT_S, width, height,
                 gtk_widget_get_width (window), gtk_widget_get_height (window),
                 moving ? ", still moving" : "");
    }
  while (moving || width != gtk_widget_get_width (window)
         || height != gtk_widget_get_height (window));
}

/**
 * meso_test_start_app:
 * @id: (nullable): an application id of the test's own, or %NULL for the application's
 *
 * The real application, registered and activated, as a desktop starts it. Each test's
 * has an id of its own: two cannot export their actions at the same D-Bus path in one
 * process.
 *
 * Returns: (transfer full): the application
 */
MesoApplication *
meso_test_start_app (const char *id)
{
  MesoApplication *app = meso_application_new ();

  if (id != NULL)
    g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_application_activate (G_APPLICATION (app));
  return app;
}

static GPtrArray *ended_apps;

/**
 * meso_test_stop_app:
 * @app: (inout) (transfer full): the application of meso_test_start_app(); %NULL after
 *
 * Destroys its windows and ends the application as its run would (shutdown), then drops
 * the reference. Ended, it no longer follows the settings (the next test's database) as
 * its own.
 */
void
meso_test_stop_app (MesoApplication **app)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (*app)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_signal_emit_by_name (*app, "shutdown");
  /* Kept until the process ends: finalized while registered, it would warn (GLib 2.74
   * has no way to unregister but g_application_run()'s end). */
  if (ended_apps == NULL)
    ended_apps = g_ptr_array_new ();
  g_ptr_array_add (ended_apps, g_steal_pointer (app));
}
