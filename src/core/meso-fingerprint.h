/* meso-fingerprint.h: a sheet's fingerprint, the short code printed in its footer that
 * names the audit entry the sheet was printed from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The entries that change what a session's sheet prints. */
#define MESO_FINGERPRINT_SHEET_ACTIONS "('create', 'amend', 'void', 'adjust')"

char *meso_fingerprint_from_digest (const char *digest);
char *meso_fingerprint_to_prefix   (const char *code);

G_END_DECLS
