/* meso-test-window.h: waiting for a window to be shown, for the tests that drive the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWindow *meso_test_wait_for_window_named (const char *type_name);

G_END_DECLS
