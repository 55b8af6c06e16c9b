/* meso-cli.h: what the commands of mesocare-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "meso-store.h"

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 the operation failed (bad value, missing record...),
 * 2 the command line itself is wrong (unknown command or option). */
#define MESO_CLI_EXIT_FAILURE 1
#define MESO_CLI_EXIT_USAGE   2

typedef struct
{
  const char *db_path;   /* NULL: the app's database */
} MesoCliGlobals;

typedef int (*MesoCliCommandFunc) (const MesoCliGlobals *globals,
                                   int                   argc,
                                   char                **argv);

int        meso_cli_record   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_sheet    (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_list     (const MesoCliGlobals *globals, int argc, char **argv);

gboolean   meso_cli_parse    (GOptionContext  *context,
                              int             *argc,
                              char          ***argv,
                              const char      *command);
MesoStore *meso_cli_open_store (const MesoCliGlobals *globals,
                                gboolean              create);
int        meso_cli_fail     (const GError   *error);
int        meso_cli_usage    (const char     *command,
                              const char     *format,
                              ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
