/* meso-cli-clinic.c: mesocare-cli clinic
 *
 * The clinic's details and practitioners, as every workstation sees them: printed, or
 * changed in the database with an audit entry. Every value is checked before the
 * database is opened, so bad input writes nothing at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-cli.h"

typedef struct
{
  char     *name;
  char     *address;
  char     *phone;
  char     *email;
  char     *emergency;
  char     *logo;
  char     *add;
  char     *retire;
  char     *role;
  char     *registration;
  gboolean  all;
} ClinicOptions;

static void
clinic_options_clear (ClinicOptions *options)
{
  g_free (options->name);
  g_free (options->address);
  g_free (options->phone);
  g_free (options->email);
  g_free (options->emergency);
  g_free (options->logo);
  g_free (options->add);
  g_free (options->retire);
  g_free (options->role);
  g_free (options->registration);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ClinicOptions, clinic_options_clear)

/* Text that spans lines is indented under its label, as `show` prints it. */
static void
print_value (const char *label,
             const char *value)
{
  g_auto(GStrv) lines = g_strsplit (value, "\n", -1);

  g_print ("%s: %s\n", label, lines[0]);
  for (guint i = 1; lines[i] != NULL; i++)
    g_print ("    %s\n", lines[i]);
}

static void
print_detail (const char *label,
              const char *value)
{
  if (*value != '\0')
    print_value (label, value);
}

static void
print_practitioner (MesoPractitioner *practitioner)
{
  const char *role = meso_practitioner_get_role (practitioner);
  const char *registration = meso_practitioner_get_registration (practitioner);
  g_autoptr(GString) line = g_string_new (meso_practitioner_get_name (practitioner));
  g_autoptr(GPtrArray) notes = g_ptr_array_new ();

  if (role != NULL)
    g_ptr_array_add (notes, (gpointer) role);
  if (registration != NULL)
    g_ptr_array_add (notes, (gpointer) registration);
  if (!meso_practitioner_get_active (practitioner))
    g_ptr_array_add (notes, _("not on the list"));
  g_ptr_array_add (notes, NULL);
  if (notes->len > 1)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) notes->pdata);

      g_string_append_printf (line, " (%s)", joined);
    }
  print_value (_("Practitioner"), line->str);
}

/* One "Label: value" a line; the details not set are left out. */
static int
print_clinic (MesoStore *store,
              gboolean   all)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoClinic) clinic = meso_store_get_clinic (store, &error);
  g_autoptr(GPtrArray) practitioners = NULL;
  GBytes *logo;

  if (clinic != NULL)
    practitioners = meso_store_list_practitioners (store, !all, &error);
  if (practitioners == NULL)
    return meso_cli_fail (error);

  print_detail (_("Clinic name"), meso_clinic_get_name (clinic));
  print_detail (_("Address"), meso_clinic_get_address (clinic));
  print_detail (_("Phone"), meso_clinic_get_phone (clinic));
  print_detail (_("Email"), meso_clinic_get_email (clinic));
  print_detail (_("Emergency number"), meso_clinic_get_emergency_number (clinic));
  logo = meso_clinic_get_logo (clinic);
  if (logo != NULL)
    {
      gulong size = (gulong) g_bytes_get_size (logo);  /* at most 2 MiB */
      const char *kind = g_strcmp0 (meso_clinic_get_logo_type (clinic),
                                    MESO_CLINIC_LOGO_SVG) == 0 ? "SVG" : "PNG";
      /* Translators: the clinic's logo: its kind (PNG or SVG), then its size */
      g_autofree char *text = g_strdup_printf (ngettext ("%s image, %lu byte",
                                                         "%s image, %lu bytes", size),
                                               kind, size);

      print_value (_("Logo"), text);
    }
  for (guint i = 0; i < practitioners->len; i++)
    print_practitioner (g_ptr_array_index (practitioners, i));
  return EXIT_SUCCESS;
}

/* The details given, as a clinic and the fields it sets; checked whole. */
static gboolean
read_details (const ClinicOptions  *options,
              MesoClinic           *clinic,
              MesoClinicFields     *out_fields,
              GError              **error)
{
  MesoClinicFields fields = 0;

  if (options->name != NULL)
    {
      meso_clinic_set_name (clinic, options->name);
      fields |= MESO_CLINIC_NAME;
    }
  if (options->address != NULL)
    {
      meso_clinic_set_address (clinic, options->address);
      fields |= MESO_CLINIC_ADDRESS;
    }
  if (options->phone != NULL)
    {
      meso_clinic_set_phone (clinic, options->phone);
      fields |= MESO_CLINIC_PHONE;
    }
  if (options->email != NULL)
    {
      meso_clinic_set_email (clinic, options->email);
      fields |= MESO_CLINIC_EMAIL;
    }
  if (options->emergency != NULL)
    {
      meso_clinic_set_emergency_number (clinic, options->emergency);
      fields |= MESO_CLINIC_EMERGENCY_NUMBER;
    }
  /* --logo '' takes the logo off. */
  if (options->logo != NULL)
    {
      if (*options->logo != '\0' && !meso_clinic_set_logo_from_file (clinic, options->logo, error))
        return FALSE;
      fields |= MESO_CLINIC_LOGO;
    }
  *out_fields = fields;
  return meso_clinic_validate (clinic, fields, error);
}

/* What to do, from the options; a wrong combination is a usage error. */
static gboolean
check_combination (const ClinicOptions *options,
                   gboolean             details,
                   int                 *out_status)
{
  gboolean practitioner = options->add != NULL || options->retire != NULL;

  if (options->add != NULL && options->retire != NULL)
    *out_status = meso_cli_usage ("clinic", _("add or retire one practitioner at a time"));
  else if (details && practitioner)
    *out_status = meso_cli_usage ("clinic", _("change the clinic’s details or its "
                                              "practitioners, not both at once"));
  else if ((options->role != NULL || options->registration != NULL) && options->add == NULL)
    *out_status = meso_cli_usage ("clinic", _("--role and --registration go with "
                                              "--add-practitioner NAME"));
  else if (options->all && (details || practitioner))
    *out_status = meso_cli_usage ("clinic", _("--all goes with printing the details alone"));
  else
    return TRUE;
  return FALSE;
}

static int
change_practitioners (const MesoCliGlobals *globals,
                      const ClinicOptions  *options)
{
  g_autoptr(MesoPractitioner) practitioner = NULL;
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (options->add != NULL)
    {
      practitioner = meso_practitioner_new (options->add);
      meso_practitioner_set_role (practitioner, options->role);
      meso_practitioner_set_registration (practitioner, options->registration);
      if (!meso_practitioner_validate (practitioner, &error))
        return meso_cli_fail (error);
    }

  store = meso_cli_open_store (globals, options->add != NULL);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (practitioner != NULL ? !meso_store_add_practitioner (store, practitioner, &error)
                           : !meso_store_retire_practitioner (store, options->retire, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}

static int
change_details (const MesoCliGlobals *globals,
                const ClinicOptions  *options)
{
  g_autoptr(MesoClinic) clinic = meso_clinic_new ();
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  MesoClinicFields fields = 0;

  if (!read_details (options, clinic, &fields, &error))
    return meso_cli_fail (error);
  store = meso_cli_open_store (globals, TRUE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!meso_store_set_clinic (store, clinic, fields, &error))
    return meso_cli_fail (error);
  return EXIT_SUCCESS;
}

int
meso_cli_clinic (const MesoCliGlobals  *globals,
                 int                    argc,
                 char                 **argv)
{
  g_auto(ClinicOptions) options = { 0 };
  /* Raw bytes (FILENAME) throughout, so that text that is not UTF-8 reaches the core's
   * checks, which name the field, rather than GOption's. */
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_FILENAME, &options.name,
      N_("The clinic’s name, printed at the top of every sheet"), N_("TEXT") },
    { "address", 0, 0, G_OPTION_ARG_FILENAME, &options.address,
      N_("Its postal address (it may span lines)"), N_("TEXT") },
    { "phone", 0, 0, G_OPTION_ARG_FILENAME, &options.phone,
      N_("The number patients call"), N_("NUMBER") },
    { "email", 0, 0, G_OPTION_ARG_FILENAME, &options.email,
      N_("Its email address"), N_("ADDRESS") },
    { "emergency-number", 0, 0, G_OPTION_ARG_FILENAME, &options.emergency,
      N_("The emergency number the sheets print; '' for the country’s own (112, 999, 911, "
         "15…)"), N_("NUMBER") },
    { "logo", 0, 0, G_OPTION_ARG_FILENAME, &options.logo,
      N_("A PNG or SVG image of at most 2 MiB, kept in the database; '' for none"),
      N_("FILE") },
    { "add-practitioner", 0, 0, G_OPTION_ARG_FILENAME, &options.add,
      N_("List a practitioner on the session form"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_FILENAME, &options.role,
      N_("With --add-practitioner: their role, such as physician or nurse"), N_("TEXT") },
    { "registration", 0, 0, G_OPTION_ARG_FILENAME, &options.registration,
      N_("With --add-practitioner: their registration number"), N_("NUMBER") },
    { "retire-practitioner", 0, 0, G_OPTION_ARG_FILENAME, &options.retire,
      N_("Take a practitioner off the list; their sessions keep their name"), N_("NAME") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &options.all,
      N_("Print also the practitioners not on the list"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  gboolean details;
  int status = EXIT_SUCCESS;

  g_option_context_set_summary (context, _("Print the clinic’s details and practitioners, or "
                                           "change them. They are kept in the database, the "
                                           "same for every workstation; only the details "
                                           "given change."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "clinic"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("clinic", _("unexpected argument “%s”"), argv[1]);

  details = options.name != NULL || options.address != NULL || options.phone != NULL
            || options.email != NULL || options.emergency != NULL || options.logo != NULL;
  if (!check_combination (&options, details, &status))
    return status;
  if (details)
    return change_details (globals, &options);
  if (options.add != NULL || options.retire != NULL)
    return change_practitioners (globals, &options);

  /* Printing only reads: the database is left as it is. */
  store = meso_cli_open_store_read_only (globals);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  return print_clinic (store, options.all);
}
