/* meso-output.h: a file written safely: whole or not at all, private, never the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MesoOutput MesoOutput;

gboolean    meso_output_check_target (const char   *path,
                                      const char   *database,
                                      GError      **error);

MesoOutput *meso_output_open         (const char   *path,
                                      const char   *database,
                                      GError      **error);
gboolean    meso_output_write        (MesoOutput   *self,
                                      const void   *data,
                                      gsize         length,
                                      GError      **error);
gboolean    meso_output_commit       (MesoOutput   *self,
                                      GError      **error);
void        meso_output_free         (MesoOutput   *self);

gboolean    meso_output_write_file   (const char   *path,
                                      const char   *database,
                                      const void   *data,
                                      gsize         length,
                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoOutput, meso_output_free)

G_END_DECLS
