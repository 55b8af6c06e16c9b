/* test-sheet-adjuster.c: the sheet adjuster shows safety lines but does not let them
 * change, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "meso-rules.h"
#include "meso-sheet-adjuster.h"

static GtkWidget *
find_named (GtkWidget  *root,
            GType       type,
            const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type) && g_strcmp0 (gtk_widget_get_name (c), name) == 0)
        return c;
      found = find_named (c, type, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Adjustments stored before safety lines were locked switched the emergency line off:
 * the adjuster shows it printed, and neither its check button nor its words can change;
 * comfort advice stays free. */
static void
test_safety_lines_read_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MesoRules) rules = meso_rules_new_default (&error);
  g_autoptr(MesoSession) session = g_object_new (MESO_TYPE_SESSION, "patient-name", "Ann",
                                                 "areas", MESO_AREA_FACE, "injections", 40,
                                                 "duration", 30, NULL);
  g_autoptr(MesoAdjustments) stored = meso_adjustments_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *adjuster = meso_sheet_adjuster_new ();
  MesoAdjustments *adjustments;
  GtkWidget *check;
  GtkWidget *entry;

  g_assert_no_error (error);
  meso_adjustments_set_rule_off (stored, "emergency", TRUE);
  meso_adjustments_set_rule_off (stored, "drink-water", TRUE);
  gtk_window_set_child (GTK_WINDOW (window), adjuster);
  meso_sheet_adjuster_load (MESO_SHEET_ADJUSTER (adjuster), rules, session, "en", stored);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  check = find_named (adjuster, GTK_TYPE_CHECK_BUTTON, "emergency");
  entry = find_named (adjuster, GTK_TYPE_TEXT_VIEW, "emergency");
  g_assert_nonnull (check);
  g_assert_nonnull (entry);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_false (gtk_widget_get_sensitive (check));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (entry)));
  g_assert_nonnull (gtk_widget_get_tooltip_text (gtk_widget_get_parent (check)));

  check = find_named (adjuster, GTK_TYPE_CHECK_BUTTON, "drink-water");
  entry = find_named (adjuster, GTK_TYPE_TEXT_VIEW, "no-heat-48h");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  g_assert_true (gtk_widget_get_sensitive (check));
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (entry)));

  adjustments = meso_sheet_adjuster_get_adjustments (MESO_SHEET_ADJUSTER (adjuster));
  g_assert_false (meso_adjustments_is_rule_off (adjustments, "emergency"));
  g_assert_true (meso_adjustments_is_rule_off (adjustments, "drink-water"));
  g_assert_true (meso_rules_check_adjustments (rules, adjustments, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display: run under xvfb-run\n");
      return 77;
    }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/sheet-adjuster/safety-lines-read-only", test_safety_lines_read_only);
  return g_test_run ();
}
