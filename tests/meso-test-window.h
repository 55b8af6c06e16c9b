/* meso-test-window.h: what the tests that drive the app's windows share: a private XDG
 * tree, template children, and waiting for a window to be shown, to draw, to rest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "meso-application.h"
#include "meso-test-util.h"

G_BEGIN_DECLS

/* Before gtk_test_init() */
gboolean   meso_test_has_display           (void);
char      *meso_test_make_xdg_home         (const char *tmpl);

GtkWidget *meso_test_child                 (GtkWidget  *widget,
                                            GType       type,
                                            const char *name);

GtkWidget *meso_test_area_button           (GtkWidget  *editor,
                                            const char *area_id);

GtkWindow *meso_test_wait_for_window_named (const char *type_name);
void       meso_test_wait_for_frame        (GtkWidget  *widget);
void       meso_test_settle                (GtkWidget         *window,
                                            MesoTestCondition  is_moving,
                                            gpointer           data);

MesoApplication *meso_test_start_app     (const char       *id);
void             meso_test_stop_app      (MesoApplication **app);

G_END_DECLS
