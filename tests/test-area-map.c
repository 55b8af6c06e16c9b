/* test-area-map.c: the drawn map of the areas, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "meso-area-map.h"

#define WIDTH  220
#define HEIGHT 300

typedef struct
{
  GtkWidget *window;
  GtkWidget *map;
  guint      notified;
} Fixture;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  fixture->notified++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = gtk_window_new ();
  g_object_ref_sink (fixture->window);
  fixture->map = meso_area_map_new ();
  gtk_widget_set_size_request (fixture->map, WIDTH, HEIGHT);
  gtk_widget_set_halign (fixture->map, GTK_ALIGN_START);
  gtk_widget_set_valign (fixture->map, GTK_ALIGN_START);
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->map);
  g_signal_connect (fixture->map, "notify::areas", G_CALLBACK (on_notify), fixture);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gtk_test_widget_wait_for_draw (fixture->window);

  g_assert_cmpint (gtk_widget_get_width (fixture->map), ==, WIDTH);
  g_assert_cmpint (gtk_widget_get_height (fixture->map), ==, HEIGHT);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
}

static MesoAreaMap *
map (Fixture *fixture)
{
  return MESO_AREA_MAP (fixture->map);
}

static void
center (Fixture  *fixture,
        MesoArea  area,
        double   *x,
        double   *y)
{
  g_assert_true (meso_area_map_get_area_center (map (fixture), area, x, y));
  g_assert_cmpfloat (*x, >=, 0);
  g_assert_cmpfloat (*x, <, WIDTH);
  g_assert_cmpfloat (*y, >=, 0);
  g_assert_cmpfloat (*y, <, HEIGHT);
}

static void
test_property (Fixture       *fixture,
               gconstpointer  data)
{
  MesoArea areas = MESO_AREA_NONE;

  g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, MESO_AREA_NONE);

  meso_area_map_set_areas (map (fixture), MESO_AREA_FACE | MESO_AREA_NECK);
  g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, MESO_AREA_FACE | MESO_AREA_NECK);
  g_assert_cmpuint (fixture->notified, ==, 1);

  /* The same value again says nothing. */
  meso_area_map_set_areas (map (fixture), MESO_AREA_FACE | MESO_AREA_NECK);
  g_assert_cmpuint (fixture->notified, ==, 1);

  g_object_set (fixture->map, "areas", MESO_AREA_BUTTOCKS, NULL);
  g_assert_cmpuint (fixture->notified, ==, 2);
  g_object_get (fixture->map, "areas", &areas, NULL);
  g_assert_cmpint (areas, ==, MESO_AREA_BUTTOCKS);

  meso_area_map_set_areas (map (fixture), MESO_AREA_ALL);
  g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, MESO_AREA_ALL);
  g_assert_cmpuint (fixture->notified, ==, 3);
}

/* The form binds the map to its check buttons through the property. */
static void
test_binding (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GtkWidget) other = g_object_ref_sink (meso_area_map_new ());
  double x, y;

  g_object_bind_property (fixture->map, "areas", other, "areas",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  center (fixture, MESO_AREA_THIGHS, &x, &y);
  meso_area_map_toggle_at (map (fixture), x, y);
  g_assert_cmpint (meso_area_map_get_areas (MESO_AREA_MAP (other)), ==, MESO_AREA_THIGHS);
  meso_area_map_set_areas (MESO_AREA_MAP (other), MESO_AREA_SCALP);
  g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, MESO_AREA_SCALP);
  g_assert_cmpuint (fixture->notified, ==, 2);
}

static void
test_hit_centers (Fixture       *fixture,
                  gconstpointer  data)
{
  guint n = 0;

  MESO_AREA_FOREACH (area)
    {
      double x, y;

      center (fixture, area, &x, &y);
      g_test_message ("%s at %.1f, %.1f", meso_area_get_id (area), x, y);
      g_assert_cmpint (meso_area_map_area_at (map (fixture), x, y), ==, area);
      n++;
    }
  g_assert_cmpuint (n, ==, MESO_N_AREAS);
}

static void
test_hit_outside (Fixture       *fixture,
                  gconstpointer  data)
{
  static const double points[][2] = {
    { 1, 1 }, { WIDTH - 1, 1 }, { 1, HEIGHT - 1 }, { WIDTH - 1, HEIGHT - 1 },
    { WIDTH - 30, 40 },         /* above the back view */
    { WIDTH / 2.0, 10 },        /* between the heads */
    { -5, HEIGHT / 2.0 }, { WIDTH + 5, HEIGHT / 2.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    g_assert_cmpint (meso_area_map_area_at (map (fixture), points[i][0], points[i][1]), ==,
                     MESO_AREA_NONE);
  g_assert_cmpint (meso_area_map_toggle_at (map (fixture), 1, 1), ==, MESO_AREA_NONE);
  g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, MESO_AREA_NONE);
  g_assert_cmpuint (fixture->notified, ==, 0);
}

/* The feet and hands are drawn but select nothing. */
static void
test_hit_neutral (Fixture       *fixture,
                  gconstpointer  data)
{
  double x, y;

  center (fixture, MESO_AREA_THIGHS, &x, &y);
  /* Down the leg, well under the knee. */
  g_assert_cmpint (meso_area_map_area_at (map (fixture), x, y + 55), ==, MESO_AREA_NONE);
}

static void
test_toggle (Fixture       *fixture,
             gconstpointer  data)
{
  guint notified = 0;

  meso_area_map_set_areas (map (fixture), MESO_AREA_NONE);
  MESO_AREA_FOREACH (area)
    {
      MesoArea others = MESO_AREA_ALL & ~area & ~MESO_AREA_FACE;
      double x, y;

      meso_area_map_set_areas (map (fixture), others);
      notified = fixture->notified;
      center (fixture, area, &x, &y);

      g_assert_cmpint (meso_area_map_toggle_at (map (fixture), x, y), ==, area);
      g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, others | area);
      g_assert_cmpuint (fixture->notified, ==, notified + 1);

      g_assert_cmpint (meso_area_map_toggle_at (map (fixture), x, y), ==, area);
      g_assert_cmpint (meso_area_map_get_areas (map (fixture)), ==, others);
      g_assert_cmpuint (fixture->notified, ==, notified + 2);
    }
}

/* The longest run of points answering @area on a line through (@x, @y). */
static double
run_length (Fixture  *fixture,
            MesoArea  area,
            double    x,
            double    y,
            double    dx,
            double    dy)
{
  double before = 0, after = 0;

  while (meso_area_map_area_at (map (fixture), x - (before + 1) * dx, y - (before + 1) * dy) == area
         && before < WIDTH + HEIGHT)
    before++;
  while (meso_area_map_area_at (map (fixture), x + (after + 1) * dx, y + (after + 1) * dy) == area
         && after < WIDTH + HEIGHT)
    after++;
  return before + after + 1;
}

/* Small regions (the neck, the flanks, the back view) are made at least 44 px across
 * for a finger, one way or the other, at the size the form gives the map. */
static void
test_touch_targets (Fixture       *fixture,
                    gconstpointer  data)
{
  MESO_AREA_FOREACH (area)
    {
      double x, y, across, down;

      center (fixture, area, &x, &y);
      across = run_length (fixture, area, x, y, 1, 0);
      down = run_length (fixture, area, x, y, 0, 1);
      g_test_message ("%s: %.0f x %.0f px", meso_area_get_id (area), across, down);
      g_assert_cmpfloat (MAX (across, down), >=, 44);
    }
}

static void
test_not_focusable (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_false (gtk_widget_get_focusable (fixture->map));
  g_assert_false (gtk_widget_grab_focus (fixture->map));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (fixture->map)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
}

static GdkTexture *
render (Fixture *fixture,
        double   scale)
{
  GtkStyleContext *context = gtk_widget_get_style_context (fixture->map);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (fixture->map));
  GdkRGBA background;

  /* The paintable shows the widget as last drawn. */
  gtk_test_widget_wait_for_draw (fixture->window);
  paintable = gtk_widget_paintable_new (fixture->map);
  /* The map is transparent: what is behind it in the form is the window's colour. */
  g_assert_true (gtk_style_context_lookup_color (context, "window_bg_color", &background));
  gtk_snapshot_scale (snapshot, scale, scale);
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  gdk_paintable_snapshot (paintable, snapshot, WIDTH, HEIGHT);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, WIDTH * scale, HEIGHT * scale));
}

static guchar *
download (GdkTexture *texture)
{
  gsize stride = gdk_texture_get_width (texture) * 4;
  guchar *data = g_malloc (stride * gdk_texture_get_height (texture));

  gdk_texture_download (texture, data, stride);
  return data;
}

/* Cairo's ARGB32, as gdk_texture_download() gives it: one native-endian word a pixel. */
static void
pixel_at (GdkTexture *texture,
          double      x,
          double      y,
          guint      *red,
          guint      *blue)
{
  g_autofree guchar *data = download (texture);
  guint32 pixel = ((guint32 *) data)[(int) y * gdk_texture_get_width (texture) + (int) x];

  *red = (pixel >> 16) & 0xff;
  *blue = pixel & 0xff;
}

static void
set_color_scheme (Fixture        *fixture,
                  AdwColorScheme  scheme)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  gtk_widget_queue_draw (fixture->map);
  gtk_test_widget_wait_for_draw (fixture->window);
}

static void
save (GdkTexture *texture,
      const char *path)
{
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GdkTexture) light = NULL;
  g_autoptr(GdkTexture) dark = NULL;
  g_autoptr(GdkTexture) selected = NULL;
  g_autofree guchar *light_pixels = NULL;
  g_autofree guchar *dark_pixels = NULL;
  guint red, blue;
  double x, y;

  set_color_scheme (fixture, ADW_COLOR_SCHEME_FORCE_LIGHT);
  light = render (fixture, 1);
  g_assert_cmpint (gdk_texture_get_width (light), ==, WIDTH);
  center (fixture, MESO_AREA_FACE, &x, &y);
  pixel_at (light, x, y, &red, &blue);
  g_assert_cmpint (ABS ((int) red - (int) blue), <, 16);

  /* A selected area shows in the accent colour. */
  meso_area_map_set_areas (map (fixture), MESO_AREA_FACE | MESO_AREA_ABDOMEN | MESO_AREA_FLANKS
                                          | MESO_AREA_BUTTOCKS);
  selected = render (fixture, 1);
  pixel_at (selected, x, y, &red, &blue);
  g_assert_cmpint (blue, >, red + 64);
  g_clear_object (&selected);
  selected = render (fixture, 2);
  save (selected, "/tmp/area-map.png");

  set_color_scheme (fixture, ADW_COLOR_SCHEME_FORCE_DARK);
  g_clear_object (&selected);
  selected = render (fixture, 2);
  save (selected, "/tmp/area-map-dark.png");

  /* The outlines follow the style. */
  meso_area_map_set_areas (map (fixture), MESO_AREA_NONE);
  dark = render (fixture, 1);
  light_pixels = download (light);
  dark_pixels = download (dark);
  g_assert_true (memcmp (light_pixels, dark_pixels, WIDTH * HEIGHT * 4) != 0);

  set_color_scheme (fixture, ADW_COLOR_SCHEME_DEFAULT);
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/area-map/property", test_property);
  ADD ("/area-map/binding", test_binding);
  ADD ("/area-map/hit-centers", test_hit_centers);
  ADD ("/area-map/hit-outside", test_hit_outside);
  ADD ("/area-map/hit-neutral", test_hit_neutral);
  ADD ("/area-map/toggle", test_toggle);
  ADD ("/area-map/touch-targets", test_touch_targets);
  ADD ("/area-map/not-focusable", test_not_focusable);
  ADD ("/area-map/render", test_render);

#undef ADD

  return g_test_run ();
}
