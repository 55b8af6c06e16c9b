/* main.c: mesocare, the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "meso-application.h"

/* The folder of the interface's catalogues. Run from its build folder (build-aux/run),
 * the app reads those built there (po/LANG/LC_MESSAGES/mesocare.mo): the installed
 * prefix may hold none, or older ones. Told apart by where this program lies. */
static const char *
get_localedir (void)
{
#ifdef MESOCARE_BUILD_DIR
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *exe_dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  g_autofree char *build_dir = realpath (MESOCARE_BUILD_DIR, NULL);

  if (exe_dir != NULL && build_dir != NULL && g_str_equal (exe_dir, build_dir))
    return MESOCARE_BUILD_LOCALEDIR;
#endif
  return LOCALEDIR;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MesoApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, get_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = meso_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
