/* meso-test-xtest.h: keys and the pointer through X11's XTest, for the UI tests that
 * need real input: it goes through the X server, GDK's event source and GTK's event
 * controllers, as a real keyboard, mouse or wheel does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <gdk/x11/gdkx.h>
#include <X11/keysym.h>

G_BEGIN_DECLS

gpointer meso_test_xtest_symbol      (const char *name);
Window   meso_test_xtest_window      (GtkWidget  *widget);
gboolean meso_test_xtest_has_focus   (GtkWidget  *widget);
void     meso_test_xtest_type_key    (GtkWidget  *widget,
                                      KeySym      modifier,
                                      KeySym      key);
void     meso_test_xtest_press_over  (GtkWidget  *widget,
                                      double      x,
                                      double      y,
                                      guint       button);

G_END_DECLS
