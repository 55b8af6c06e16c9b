/* meso-csv.h: RFC 4180 records in UTF-8, written and read strictly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writing */
void           meso_csv_append_row   (GString            *out,
                                      const char * const *fields,
                                      gsize               n_fields);

/* Reading */
char          *meso_csv_escape_formula   (const char *cell);
char          *meso_csv_unescape_formula (const char *cell);

typedef struct _MesoCsvReader MesoCsvReader;

MesoCsvReader *meso_csv_reader_new   (const char         *data,
                                      gsize               length);
void           meso_csv_reader_free  (MesoCsvReader      *reader);
gboolean       meso_csv_reader_next  (MesoCsvReader      *reader,
                                      GStrv              *out_fields,
                                      guint              *out_line,
                                      GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoCsvReader, meso_csv_reader_free)

G_END_DECLS
