/* meso-text.h: text as people search it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *meso_text_fold (const char *text);

G_END_DECLS
