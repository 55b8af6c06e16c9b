/* meso-test-xtest.c: keys and the pointer through X11's XTest, for the UI tests that
 * need real input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmodule.h>

#include "meso-test-xtest.h"

typedef int (*FakeKeyFunc) (Display *display, unsigned int keycode, Bool is_press,
                            unsigned long delay);
typedef int (*FakeMotionFunc) (Display *display, int screen, int x, int y, unsigned long delay);
typedef int (*FakeButtonFunc) (Display *display, unsigned int button, Bool is_press,
                               unsigned long delay);

/**
 * meso_test_xtest_symbol:
 * @name: a function of libXtst
 *
 * Loaded when needed: the library comes with AT-SPI, which the a11y test needs, but its
 * headers are not installed.
 *
 * Returns: the function, which the test asserts is there
 */
gpointer
meso_test_xtest_symbol (const char *name)
{
  static GModule *xtst;
  gpointer symbol = NULL;

  if (xtst == NULL)
    {
      xtst = g_module_open ("libXtst.so.6", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      g_assert_nonnull (xtst);
      g_module_make_resident (xtst);
    }
  g_assert_true (g_module_symbol (xtst, name, &symbol));
  return symbol;
}

/* The X window of @widget's native (its window, or a popover's surface). */
Window
meso_test_xtest_window (GtkWidget *widget)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (gtk_widget_get_native (widget)));
}

/* Whether the X focus is in @widget's window: another UI test's window, shown meanwhile
 * on the same screen, takes it, and keys typed then go there. */
gboolean
meso_test_xtest_has_focus (GtkWidget *widget)
{
  Display *xdisplay = gdk_x11_display_get_xdisplay (gtk_widget_get_display (widget));
  Window focus;
  int revert;

  XGetInputFocus (xdisplay, &focus, &revert);
  return focus == meso_test_xtest_window (widget);
}

/**
 * meso_test_xtest_type_key:
 * @widget: a widget in the window the key is for
 * @modifier: a key held while @key is typed (XK_Control_L), or %NoSymbol
 * @key: the key pressed and released
 *
 * Without a window manager, the X focus is set by hand: keys go where it is.
 */
void
meso_test_xtest_type_key (GtkWidget *widget,
                          KeySym     modifier,
                          KeySym     key)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  Display *xdisplay = gdk_x11_display_get_xdisplay (display);
  KeyCode held = modifier != NoSymbol ? XKeysymToKeycode (xdisplay, modifier) : 0;
  KeyCode code = XKeysymToKeycode (xdisplay, key);
  FakeKeyFunc fake = meso_test_xtest_symbol ("XTestFakeKeyEvent");

  gdk_x11_display_error_trap_push (display);
  XSetInputFocus (xdisplay, meso_test_xtest_window (widget), RevertToParent, CurrentTime);
  if (held != 0)
    fake (xdisplay, held, True, CurrentTime);
  fake (xdisplay, code, True, CurrentTime);
  fake (xdisplay, code, False, CurrentTime);
  if (held != 0)
    fake (xdisplay, held, False, CurrentTime);
  XFlush (xdisplay);
  gdk_x11_display_error_trap_pop_ignored (display);
}

/**
 * meso_test_xtest_press_over:
 * @widget: a shown widget
 * @x: where in @widget, from its left
 * @y: where in @widget, from its top
 * @button: pressed and released there: 1 a click, 5 the wheel down a notch
 *
 * The pointer moved over @widget's window, raised first so that it is the one under
 * the pointer.
 */
void
meso_test_xtest_press_over (GtkWidget *widget,
                            double     x,
                            double     y,
                            guint      button)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkDisplay *display = gtk_widget_get_display (widget);
  Display *xdisplay = gdk_x11_display_get_xdisplay (display);
  Window xid = meso_test_xtest_window (widget);
  FakeMotionFunc motion = meso_test_xtest_symbol ("XTestFakeMotionEvent");
  FakeButtonFunc press = meso_test_xtest_symbol ("XTestFakeButtonEvent");
  graphene_point_t inside = GRAPHENE_POINT_INIT (x, y);
  graphene_point_t point;
  double offset_x, offset_y;
  int root_x, root_y;
  Window unused;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &inside, &point));
  gtk_native_get_surface_transform (native, &offset_x, &offset_y);
  gdk_x11_display_error_trap_push (display);
  XRaiseWindow (xdisplay, xid);
  XTranslateCoordinates (xdisplay, xid, DefaultRootWindow (xdisplay),
                         (int) (point.x + offset_x), (int) (point.y + offset_y),
                         &root_x, &root_y, &unused);
  motion (xdisplay, -1, root_x, root_y, CurrentTime);
  press (xdisplay, button, True, CurrentTime);
  press (xdisplay, button, False, CurrentTime);
  XFlush (xdisplay);
  gdk_x11_display_error_trap_pop_ignored (display);
}
