/* meso-cli-module.c: the commands that live in a module of their own
 *
 * `sheet` is built as the module mesocare-cli-sheet (see meson.build): only it loads
 * Cairo, Pango and the libraries under them, and only when it runs. The module's entry
 * point is the command's function, named as the others are (meso_cli_sheet); it calls
 * the core linked into this program.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "meso-cli.h"

/* Run from the build folder, the tool finds its modules beside itself; installed, in
 * CLI_MODULEDIR. Looking beside the tool first means a build never loads the module of
 * an installed version, built from other sources. */
static char *
find_module (const char *name)
{
  g_autofree char *file = g_strconcat (name, "." G_MODULE_SUFFIX, NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  if (self != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      g_autofree char *beside = g_build_filename (dir, file, NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&beside);
    }
  return g_build_filename (CLI_MODULEDIR, file, NULL);
}

/**
 * meso_cli_module_symbol:
 * @module_name: the module's file name, without its suffix ("mesocare-cli-sheet")
 * @symbol: a function the module exports
 * @what: what it does, for the message ("report", "recall")
 *
 * Loads a module, for good, and finds one of its functions: a command of the tool that
 * needs the renderer only for part of its work (a report's PDF) calls it there.
 *
 * Returns: (nullable): the function, or %NULL after printing why it cannot run.
 */
gpointer
meso_cli_module_symbol (const char *module_name,
                        const char *symbol,
                        const char *what)
{
  g_autofree char *path = find_module (module_name);
  gpointer func = NULL;
  GModule *module;

  /* Bound now, not lazily: a module that does not fit this program fails here, whole,
   * rather than half-way through the command. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, symbol, &func) || func == NULL)
    {
      g_printerr (_("mesocare-cli: the “%s” command cannot load %s from its module, which is "
                    "missing or damaged (%s): reinstall Mesocare\n"), what, symbol,
                  g_module_error ());
      if (module != NULL)
        g_module_close (module);
      return NULL;
    }
  /* The process ends with the command: the module is never unloaded. */
  g_module_make_resident (module);
  return func;
}

/**
 * meso_cli_run_module:
 * @module_name: the module's file name, without its suffix ("mesocare-cli-sheet")
 * @command: the command ("sheet"); the module's entry point is meso_cli_@command
 *
 * Returns: the command's exit status, or a failure when the module cannot be loaded.
 */
int
meso_cli_run_module (const char            *module_name,
                     const char            *command,
                     const MesoCliGlobals  *globals,
                     int                    argc,
                     char                 **argv)
{
  g_autofree char *path = find_module (module_name);
  g_autofree char *symbol = g_strconcat ("meso_cli_", command, NULL);
  MesoCliCommandFunc func = NULL;
  GModule *module;

  /* Bound now, not lazily: a module that does not fit this program fails here, whole,
   * rather than half-way through the command. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL || !g_module_symbol (module, symbol, (gpointer *) &func))
    {
      g_printerr (_("mesocare-cli: the “%s” command cannot run, its module is missing or "
                    "damaged (%s): reinstall Mesocare\n"), command, g_module_error ());
      return MESO_CLI_EXIT_FAILURE;
    }
  /* The process ends with the command: the module is never unloaded. */
  g_module_make_resident (module);
  return func (globals, argc, argv);
}
