/* meso-cli.h: what the commands of mesocare-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "meso-report.h"
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
/* In the module mesocare-cli-sheet, run through meso_cli_run_module(). */
int        meso_cli_sheet    (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_list     (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_show     (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_amend    (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_void     (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_audit    (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_export   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_import   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_backup   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_restore  (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_check    (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_rules    (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_adjust   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_generate (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_clinic   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_report   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_recall   (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_upgrade  (const MesoCliGlobals *globals, int argc, char **argv);
int        meso_cli_migrate  (const MesoCliGlobals *globals, int argc, char **argv);

/* json-glib's builder, named without its header: the modules include this file and do
 * not link json-glib (C11 allows the same typedef twice). */
typedef struct _JsonBuilder JsonBuilder;

/* Whether @text is one of @names (NULL-terminated); its place in *@out_index. */
gboolean   meso_cli_parse_choice (const char          *text,
                                  const char * const  *names,
                                  guint               *out_index);
/* What @builder built, as JSON text: indented for a whole document, or on one line. */
char      *meso_cli_json_text    (JsonBuilder         *builder,
                                  gboolean             pretty);

/* The commands built as modules (meso-cli-module.c). */
int        meso_cli_run_module (const char           *module_name,
                                const char           *command,
                                const MesoCliGlobals *globals,
                                int                   argc,
                                char                **argv);

/* A function of a module (meso-cli-module.c), or NULL after saying why not. */
gpointer   meso_cli_module_symbol (const char *module_name,
                                   const char *symbol,
                                   const char *what);

/* The module that draws (mesocare-cli-sheet) also writes the report's PDF and the
 * recall's letters: `report --output` and `recall --letters` call these there, by name.
 * Each returns an exit status, having printed why when it is not 0. */
#define MESO_CLI_DRAWING_MODULE "mesocare-cli-sheet"

typedef int (*MesoCliReportPdfFunc)     (const MesoCliGlobals *globals,
                                         MesoReport           *report,
                                         MesoClinic           *clinic,
                                         const char           *path);
typedef int (*MesoCliRecallLettersFunc) (const MesoCliGlobals *globals,
                                         GPtrArray            *patients,
                                         MesoClinic           *clinic,
                                         const char           *path);

int        meso_cli_module_report_pdf     (const MesoCliGlobals *globals,
                                           MesoReport           *report,
                                           MesoClinic           *clinic,
                                           const char           *path);
int        meso_cli_module_recall_letters (const MesoCliGlobals *globals,
                                           GPtrArray            *patients,
                                           MesoClinic           *clinic,
                                           const char           *path);

/* A day as typed, YYYY-MM-DD (meso-cli-report.c); @error names @label. */
gboolean   meso_cli_parse_day (const char  *text,
                               const char  *label,
                               GDate       *out_day,
                               GError     **error);

/* The session fields as options (meso-cli-fields.c). */
typedef enum
{
  MESO_CLI_FIELDS_RECORD,
  MESO_CLI_FIELDS_AMEND,
} MesoCliFieldsMode;

typedef struct _MesoCliFields MesoCliFields;

MesoCliFields      *meso_cli_fields_new         (MesoCliFieldsMode  mode);
void                meso_cli_fields_free        (MesoCliFields     *self);
const GOptionEntry *meso_cli_fields_get_entries (MesoCliFields     *self);
gboolean            meso_cli_fields_apply       (MesoCliFields     *self,
                                                 MesoSession       *session,
                                                 guint             *out_n_given,
                                                 GError           **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoCliFields, meso_cli_fields_free)

/* The options that choose sessions (meso-cli-query.c). */
typedef struct _MesoCliQuery MesoCliQuery;

MesoCliQuery       *meso_cli_query_new          (void);
void                meso_cli_query_free         (MesoCliQuery      *self);
const GOptionEntry *meso_cli_query_get_entries  (MesoCliQuery      *self);
MesoSessionQuery   *meso_cli_query_build        (MesoCliQuery      *self,
                                                 GError           **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MesoCliQuery, meso_cli_query_free)

gboolean   meso_cli_parse_session_id (const char  *text,
                                      gint64      *out_id,
                                      GError     **error);
char      *meso_cli_get_db_path      (const MesoCliGlobals *globals);
void       meso_cli_pin_local_time_zone (void);

gboolean   meso_cli_parse    (GOptionContext  *context,
                              int             *argc,
                              char          ***argv,
                              const char      *command);
MesoStore *meso_cli_open_store (const MesoCliGlobals *globals,
                                gboolean              create);
MesoStore *meso_cli_open_store_read_only (const MesoCliGlobals *globals);
MesoStore *meso_cli_open_store_for_output (const MesoCliGlobals *globals);
void       meso_cli_warn_not_audited (MesoStore       *store);
int        meso_cli_fail     (const GError   *error);
int        meso_cli_usage    (const char     *command,
                              const char     *format,
                              ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
