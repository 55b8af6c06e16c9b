/* meso-test-window.c: waiting for a window to be shown, for the tests that drive the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "meso-test-util.h"
#include "meso-test-window.h"

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
