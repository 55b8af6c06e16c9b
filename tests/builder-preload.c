/* builder-preload.c: lets `gtk4-builder-tool validate` understand our templates
 *
 * The tool resolves class names with g_type_from_name(), which only knows types that
 * are registered already: libadwaita's are not (nothing in the tool calls into it),
 * and neither are our own widgets used inside templates. Loaded with LD_PRELOAD, this
 * registers them before the tool reads a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "meso-area-map.h"
#include "meso-report-chart.h"
#include "meso-session-editor.h"
#include "meso-sheet-adjuster.h"
#include "meso-sheet-view.h"

void meso_builder_preload_init (void) __attribute__ ((constructor));

void
meso_builder_preload_init (void)
{
  /* Not MesoWindow nor the pages: the tool instantiates a template's own class when it
   * exists, and a window or a page without its store is not one we can make. The tool
   * makes a stand-in. */
  g_type_ensure (ADW_TYPE_APPLICATION_WINDOW);
  g_type_ensure (ADW_TYPE_BIN);
  g_type_ensure (ADW_TYPE_SQUEEZER);
  g_type_ensure (ADW_TYPE_CLAMP);
  g_type_ensure (ADW_TYPE_ACTION_ROW);
  g_type_ensure (ADW_TYPE_COMBO_ROW);
  g_type_ensure (ADW_TYPE_ENTRY_ROW);
  g_type_ensure (ADW_TYPE_PASSWORD_ENTRY_ROW);
  g_type_ensure (ADW_TYPE_PREFERENCES_GROUP);
  g_type_ensure (ADW_TYPE_PREFERENCES_PAGE);
  g_type_ensure (ADW_TYPE_PREFERENCES_WINDOW);
  g_type_ensure (ADW_TYPE_HEADER_BAR);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  g_type_ensure (ADW_TYPE_TOAST_OVERLAY);
  g_type_ensure (ADW_TYPE_WINDOW_TITLE);
  g_type_ensure (ADW_TYPE_BIN);
  g_type_ensure (ADW_TYPE_FLAP);
  g_type_ensure (ADW_TYPE_LEAFLET);
  g_type_ensure (ADW_TYPE_VIEW_STACK);
  g_type_ensure (ADW_TYPE_VIEW_SWITCHER_BAR);
  g_type_ensure (ADW_TYPE_VIEW_SWITCHER_TITLE);
  g_type_ensure (ADW_TYPE_CLAMP);
  g_type_ensure (MESO_TYPE_AREA_MAP);
  g_type_ensure (MESO_TYPE_REPORT_CHART);
  g_type_ensure (MESO_TYPE_SESSION_EDITOR);
  g_type_ensure (MESO_TYPE_SHEET_ADJUSTER);
  g_type_ensure (MESO_TYPE_SHEET_VIEW);
}
