/* meso-server-page.h: the preferences' page of where the records are: this computer,
 * or a clinic server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define MESO_TYPE_SERVER_PAGE (meso_server_page_get_type ())

G_DECLARE_FINAL_TYPE (MesoServerPage, meso_server_page, MESO, SERVER_PAGE, AdwPreferencesPage)

GtkWidget *meso_server_page_new         (GSettings      *settings);
gboolean   meso_server_page_get_testing (MesoServerPage *self);

G_END_DECLS
