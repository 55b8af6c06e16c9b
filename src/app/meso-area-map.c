/* meso-area-map.c
 *
 * The figure is a few silhouettes (head, neck, torso, arms, legs...) cut into regions.
 * A region is its silhouette clipped to a simpler shape, so neighbouring regions share
 * their borders exactly and the cuts need no care at the edges. Drawing and hit testing
 * build the very same paths, so what is seen is what is touched.
 *
 * The map only repeats the check buttons beside it, which screen readers and the
 * keyboard use: it is an image to assistive technologies and takes no focus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "meso-area-map"

#include "config.h"

#include <glib/gi18n.h>

#include "meso-area-map.h"
#include "meso-enums.h"

/* The figure is drawn in units of a box FIG_W wide, feet on the ground at FIG_H; the
 * two views sit in a DESIGN_W × DESIGN_H box, scaled to the allocation. */
#define FIG_W      128.0
#define DESIGN_W   200.0
#define DESIGN_H   300.0
#define MIN_WIDTH  180
#define MIN_HEIGHT 270
#define NAT_WIDTH  220
#define NAT_HEIGHT 300

/* Apple's and WCAG's smallest comfortable target for a finger, in pixels. */
#define TOUCH_TARGET 44.0

#define ACCENT_FALLBACK "#3584e4"

typedef void (*PathFunc) (cairo_t *cr);

typedef struct
{
  MesoArea area;        /* MESO_AREA_NONE: drawn, but selects nothing */
  PathFunc silhouette;
  PathFunc cut;         /* NULL: the whole silhouette */
  gboolean mirrored;    /* the figure's left side drawn as its right */
  double   anchor_x;    /* a point well inside the region, in figure units */
  double   anchor_y;
} Piece;

typedef struct
{
  const Piece *pieces;  /* bottom first */
  guint        n_pieces;
  double       x;       /* where the figure's box sits in the design box */
  double       y;
  double       scale;
} View;

struct _MesoAreaMap
{
  GtkWidget parent_instance;

  MesoArea  areas;
  MesoArea  hover;
  MesoArea  pressed;
};

G_DEFINE_FINAL_TYPE (MesoAreaMap, meso_area_map, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_AREAS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Geometry ------------------------------------------------------------------------- */

typedef struct
{
  double x1, y1, x2, y2, x3, y3;
} Curve;

/* A closed outline symmetric about the figure's axis: @curves go down its left half
 * from (@x0, @y0) and end on the axis; the right half is their mirror image. */
static void
append_symmetric (cairo_t     *cr,
                  double       x0,
                  double       y0,
                  const Curve *curves,
                  guint        n_curves)
{
  cairo_move_to (cr, x0, y0);
  for (guint i = 0; i < n_curves; i++)
    cairo_curve_to (cr, curves[i].x1, curves[i].y1, curves[i].x2, curves[i].y2,
                    curves[i].x3, curves[i].y3);
  for (guint i = n_curves; i-- > 0;)
    {
      double x = i > 0 ? curves[i - 1].x3 : x0;
      double y = i > 0 ? curves[i - 1].y3 : y0;

      cairo_curve_to (cr, FIG_W - curves[i].x2, curves[i].y2, FIG_W - curves[i].x1,
                      curves[i].y1, FIG_W - x, y);
    }
  cairo_close_path (cr);
}

static void
append_ellipse (cairo_t *cr,
                double   cx,
                double   cy,
                double   rx,
                double   ry)
{
  cairo_matrix_t matrix;

  cairo_get_matrix (cr, &matrix);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_close_path (cr);
  cairo_set_matrix (cr, &matrix);
}

static void
head_path (cairo_t *cr)
{
  append_ellipse (cr, 64, 36, 17, 22.5);
}

static void
ear_path (cairo_t *cr)
{
  append_ellipse (cr, 47.5, 39, 3.5, 6);
}

static void
neck_path (cairo_t *cr)
{
  static const Curve curves[] = {
    { 57, 50, 57, 50, 57, 50 },
    { 57.5, 60, 57, 66, 53, 73 },
    { 58, 74, 62, 74, 64, 74 },
  };

  append_symmetric (cr, 64, 50, curves, G_N_ELEMENTS (curves));
}

static void
torso_path (cairo_t *cr)
{
  static const Curve curves[] = {
    { 60, 68, 57, 68, 55, 68.5 },        /* neckline */
    { 45, 70.5, 33, 72, 29, 82 },        /* shoulder */
    { 26.5, 90, 32, 100, 35, 110 },      /* side of the chest, under the arm */
    { 37.5, 122, 40, 136, 40, 148 },     /* waist */
    { 40, 160, 34, 170, 34, 186 },       /* hip */
    { 34, 195, 36, 201, 41, 203.5 },
    { 48, 207, 58, 209.5, 64, 209.5 },   /* crotch */
  };

  append_symmetric (cr, 64, 68, curves, G_N_ELEMENTS (curves));
}

static void
arm_path (cairo_t *cr)
{
  cairo_move_to (cr, 34, 79);
  cairo_curve_to (cr, 24, 77, 19, 87, 19, 100);      /* deltoid */
  cairo_curve_to (cr, 19, 112, 18.5, 122, 18, 132);  /* outer upper arm */
  cairo_curve_to (cr, 17, 150, 15.5, 168, 15.5, 182);/* outer forearm */
  cairo_line_to (cr, 24.5, 182);                     /* wrist */
  cairo_curve_to (cr, 25, 168, 27, 150, 28.5, 134);  /* inner forearm */
  cairo_curve_to (cr, 29.5, 122, 31, 112, 33, 104);  /* inner upper arm */
  cairo_curve_to (cr, 35, 96, 36.5, 86, 34, 79);     /* armpit */
  cairo_close_path (cr);
}

static void
hand_path (cairo_t *cr)
{
  append_ellipse (cr, 19.5, 190, 5.5, 9);
}

static void
leg_path (cairo_t *cr)
{
  cairo_move_to (cr, 36, 190);
  cairo_curve_to (cr, 34.5, 212, 37, 236, 40.5, 254);/* outer thigh */
  cairo_curve_to (cr, 42, 268, 43, 280, 45, 290);    /* calf */
  cairo_line_to (cr, 56, 290);                       /* ankle */
  cairo_curve_to (cr, 56, 280, 57, 268, 58, 254);    /* inner calf */
  cairo_curve_to (cr, 59, 238, 62.5, 222, 63.5, 200);/* inner thigh */
  cairo_line_to (cr, 63.5, 190);
  cairo_close_path (cr);
}

static void
foot_path (cairo_t *cr)
{
  append_ellipse (cr, 50, 292.5, 8.5, 4);
}

/* The cuts, in figure units; what lies outside the silhouette does not matter. */

static void
hairline_cut (cairo_t *cr)
{
  cairo_move_to (cr, 30, 0);
  cairo_line_to (cr, 98, 0);
  cairo_line_to (cr, 98, 40);
  cairo_line_to (cr, 80, 38);
  cairo_curve_to (cr, 80, 30, 76, 26, 70, 25);
  cairo_curve_to (cr, 67, 25, 65.5, 26.5, 64, 28);
  cairo_curve_to (cr, 62.5, 26.5, 61, 25, 58, 25);
  cairo_curve_to (cr, 52, 26, 48, 30, 48, 38);
  cairo_line_to (cr, 30, 40);
  cairo_close_path (cr);
}

static void
decolletage_cut (cairo_t *cr)
{
  cairo_move_to (cr, 0, 60);
  cairo_line_to (cr, FIG_W, 60);
  cairo_line_to (cr, FIG_W, 100);
  cairo_curve_to (cr, 96, 114, 32, 114, 0, 100);
  cairo_close_path (cr);
}

/* Its top hides under the décolleté, drawn after it. */
static void
abdomen_cut (cairo_t *cr)
{
  cairo_move_to (cr, 51, 100);
  cairo_line_to (cr, 77, 100);
  cairo_line_to (cr, 77, 178);
  cairo_curve_to (cr, 74, 190, 54, 190, 51, 178);
  cairo_close_path (cr);
}

static void
flank_cut (cairo_t *cr)
{
  cairo_rectangle (cr, 0, 118, 51, 56);
}

static void
back_flank_cut (cairo_t *cr)
{
  cairo_rectangle (cr, 0, 118, 51, 50);
}

/* One cheek: the two meet on the axis, which draws the cleft. */
static void
buttock_cut (cairo_t *cr)
{
  cairo_move_to (cr, 0, 178);
  cairo_curve_to (cr, 24, 172, 48, 170, 64, 170);
  cairo_line_to (cr, 64, 230);
  cairo_line_to (cr, 0, 230);
  cairo_close_path (cr);
}

static void
thigh_cut (cairo_t *cr)
{
  cairo_rectangle (cr, 0, 150, 64, 104);
}

#define PIECE(area, silhouette, cut, mirrored, x, y) \
  { MESO_AREA_ ## area, silhouette ## _path, cut, mirrored, x, y }

static const Piece front_pieces[] = {
  PIECE (NONE, leg, NULL, FALSE, 50, 275),
  PIECE (THIGHS, leg, thigh_cut, FALSE, 49, 228),
  PIECE (NONE, leg, NULL, TRUE, 50, 275),
  PIECE (THIGHS, leg, thigh_cut, TRUE, 49, 228),
  PIECE (NONE, foot, NULL, FALSE, 50, 292),
  PIECE (NONE, foot, NULL, TRUE, 50, 292),
  PIECE (NONE, torso, NULL, FALSE, 64, 198),
  PIECE (ABDOMEN, torso, abdomen_cut, FALSE, 64, 140),
  PIECE (FLANKS, torso, flank_cut, FALSE, 45, 146),
  PIECE (FLANKS, torso, flank_cut, TRUE, 45, 146),
  PIECE (DECOLLETAGE, torso, decolletage_cut, FALSE, 64, 92),
  PIECE (NECK, neck, NULL, FALSE, 64, 65),
  PIECE (NONE, ear, NULL, FALSE, 47.5, 39),
  PIECE (NONE, ear, NULL, TRUE, 47.5, 39),
  PIECE (FACE, head, NULL, FALSE, 64, 43),
  PIECE (SCALP, head, hairline_cut, FALSE, 64, 19),
  PIECE (ARMS, arm, NULL, FALSE, 24, 125),
  PIECE (ARMS, arm, NULL, TRUE, 24, 125),
  PIECE (NONE, hand, NULL, FALSE, 19.5, 190),
  PIECE (NONE, hand, NULL, TRUE, 19.5, 190),
};

static const Piece back_pieces[] = {
  PIECE (NONE, leg, NULL, FALSE, 50, 275),
  PIECE (THIGHS, leg, thigh_cut, FALSE, 49, 228),
  PIECE (NONE, leg, NULL, TRUE, 50, 275),
  PIECE (THIGHS, leg, thigh_cut, TRUE, 49, 228),
  PIECE (NONE, foot, NULL, FALSE, 50, 292),
  PIECE (NONE, foot, NULL, TRUE, 50, 292),
  PIECE (NONE, torso, NULL, FALSE, 64, 95),
  PIECE (FLANKS, torso, back_flank_cut, FALSE, 45, 146),
  PIECE (FLANKS, torso, back_flank_cut, TRUE, 45, 146),
  PIECE (BUTTOCKS, torso, buttock_cut, FALSE, 50, 190),
  PIECE (BUTTOCKS, torso, buttock_cut, TRUE, 50, 190),
  PIECE (NECK, neck, NULL, FALSE, 64, 65),
  PIECE (NONE, ear, NULL, FALSE, 47.5, 39),
  PIECE (NONE, ear, NULL, TRUE, 47.5, 39),
  PIECE (SCALP, head, NULL, FALSE, 64, 36),
  PIECE (ARMS, arm, NULL, FALSE, 24, 125),
  PIECE (ARMS, arm, NULL, TRUE, 24, 125),
  PIECE (NONE, hand, NULL, FALSE, 19.5, 190),
  PIECE (NONE, hand, NULL, TRUE, 19.5, 190),
};

#undef PIECE

/* The back view is smaller and stands on the same ground, to the right. */
static const View views[] = {
  { front_pieces, G_N_ELEMENTS (front_pieces), -8, 0, 1 },
  { back_pieces, G_N_ELEMENTS (back_pieces), 113.5, 83, 0.72 },
};

/* From figure units to the cairo context's current user space (@base), which is the
 * widget's own coordinates. */
static void
piece_matrix (MesoAreaMap          *self,
              const View           *view,
              const Piece          *piece,
              const cairo_matrix_t *base,
              cairo_matrix_t       *out)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double scale = MIN (width / DESIGN_W, height / DESIGN_H);

  *out = *base;
  cairo_matrix_translate (out, (width - DESIGN_W * scale) / 2,
                          (height - DESIGN_H * scale) / 2);
  cairo_matrix_scale (out, scale, scale);
  cairo_matrix_translate (out, view->x, view->y);
  cairo_matrix_scale (out, view->scale, view->scale);
  if (piece->mirrored)
    {
      cairo_matrix_translate (out, FIG_W, 0);
      cairo_matrix_scale (out, -1, 1);
    }
}

/* Leaves @cr clipped to the silhouette, with the region's path current, both in
 * device space, and the matrix back at @base. */
static void
clip_to_piece (MesoAreaMap          *self,
               cairo_t              *cr,
               const View           *view,
               const Piece          *piece,
               const cairo_matrix_t *base)
{
  cairo_matrix_t matrix;

  piece_matrix (self, view, piece, base, &matrix);
  cairo_set_matrix (cr, &matrix);
  cairo_new_path (cr);
  piece->silhouette (cr);
  cairo_clip (cr);
  (piece->cut != NULL ? piece->cut : piece->silhouette) (cr);
  cairo_set_matrix (cr, base);
}

static void
append_silhouette (MesoAreaMap          *self,
                   cairo_t              *cr,
                   const View           *view,
                   const Piece          *piece,
                   const cairo_matrix_t *base)
{
  cairo_matrix_t matrix;

  piece_matrix (self, view, piece, base, &matrix);
  cairo_set_matrix (cr, &matrix);
  cairo_new_path (cr);
  piece->silhouette (cr);
  cairo_set_matrix (cr, base);
}

/* Hit testing ---------------------------------------------------------------------- */

/* Unbounded, so that no test is cut short at the edges of a surface. */
static cairo_t *
create_scratch_context (void)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  return cr;
}

static gboolean
piece_contains (MesoAreaMap *self,
                cairo_t     *cr,
                const View  *view,
                const Piece *piece,
                double       x,
                double       y)
{
  cairo_matrix_t identity;
  gboolean inside;

  cairo_matrix_init_identity (&identity);
  cairo_save (cr);
  clip_to_piece (self, cr, view, piece, &identity);
  inside = cairo_in_clip (cr, x, y) && cairo_in_fill (cr, x, y);
  cairo_restore (cr);
  return inside;
}

/* The region's box: where the boxes of its cut and its silhouette overlap. */
static void
piece_extents (MesoAreaMap *self,
               cairo_t     *cr,
               const View  *view,
               const Piece *piece,
               double       box[4])
{
  cairo_matrix_t identity, matrix;
  double cut[4];

  cairo_matrix_init_identity (&identity);
  piece_matrix (self, view, piece, &identity, &matrix);
  cairo_set_matrix (cr, &matrix);
  cairo_new_path (cr);
  piece->silhouette (cr);
  cairo_set_matrix (cr, &identity);
  cairo_fill_extents (cr, &box[0], &box[1], &box[2], &box[3]);
  if (piece->cut == NULL)
    return;

  cairo_set_matrix (cr, &matrix);
  cairo_new_path (cr);
  piece->cut (cr);
  cairo_set_matrix (cr, &identity);
  cairo_fill_extents (cr, &cut[0], &cut[1], &cut[2], &cut[3]);
  box[0] = MAX (box[0], cut[0]);
  box[1] = MAX (box[1], cut[1]);
  box[2] = MIN (box[2], cut[2]);
  box[3] = MIN (box[3], cut[3]);
}

static MesoArea
exact_area_at (MesoAreaMap *self,
               cairo_t     *cr,
               double       x,
               double       y)
{
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint i = views[v].n_pieces; i-- > 0;)
      if (piece_contains (self, cr, &views[v], &views[v].pieces[i], x, y))
        return views[v].pieces[i].area;
  return MESO_AREA_NONE;
}

/* A region too small for a finger answers in a box grown to TOUCH_TARGET around it,
 * where no other region is: the nearest such region wins. */
static MesoArea
nearby_small_area_at (MesoAreaMap *self,
                      cairo_t     *cr,
                      double       x,
                      double       y)
{
  MesoArea best = MESO_AREA_NONE;
  double best_distance = G_MAXDOUBLE;

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint i = 0; i < views[v].n_pieces; i++)
      {
        const Piece *piece = &views[v].pieces[i];
        double box[4], cx, cy, half_w, half_h, distance;

        if (piece->area == MESO_AREA_NONE)
          continue;
        piece_extents (self, cr, &views[v], piece, box);
        if (box[2] - box[0] >= TOUCH_TARGET && box[3] - box[1] >= TOUCH_TARGET)
          continue;
        cx = (box[0] + box[2]) / 2;
        cy = (box[1] + box[3]) / 2;
        half_w = MAX (box[2] - box[0], TOUCH_TARGET) / 2;
        half_h = MAX (box[3] - box[1], TOUCH_TARGET) / 2;
        if (ABS (x - cx) > half_w || ABS (y - cy) > half_h)
          continue;
        /* Squared: only compared. */
        distance = (x - cx) * (x - cx) + (y - cy) * (y - cy);
        if (distance < best_distance)
          {
            best = piece->area;
            best_distance = distance;
          }
      }
  return best;
}

/**
 * meso_area_map_area_at:
 * @self: a map
 * @x: a point in @self's coordinates
 * @y: a point in @self's coordinates
 *
 * Returns: the area drawn at (@x, @y), or near it if the area is small, or
 *   %MESO_AREA_NONE.
 */
MesoArea
meso_area_map_area_at (MesoAreaMap *self,
                       double       x,
                       double       y)
{
  cairo_t *cr;
  MesoArea area;

  g_return_val_if_fail (MESO_IS_AREA_MAP (self), MESO_AREA_NONE);

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return MESO_AREA_NONE;
  cr = create_scratch_context ();
  area = exact_area_at (self, cr, x, y);
  if (area == MESO_AREA_NONE)
    area = nearby_small_area_at (self, cr, x, y);
  cairo_destroy (cr);
  return area;
}

/**
 * meso_area_map_get_area_center:
 * @self: a map
 * @area: a single area
 * @x: (out): where to touch @area, in @self's coordinates
 * @y: (out): where to touch @area, in @self's coordinates
 *
 * Gives a point well inside @area's region, on the front view when it shows there.
 *
 * Returns: whether @area is drawn (%FALSE before @self has a size).
 */
gboolean
meso_area_map_get_area_center (MesoAreaMap *self,
                               MesoArea     area,
                               double      *x,
                               double      *y)
{
  cairo_matrix_t identity;

  g_return_val_if_fail (MESO_IS_AREA_MAP (self), FALSE);

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return FALSE;
  cairo_matrix_init_identity (&identity);
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    for (guint i = 0; i < views[v].n_pieces; i++)
      {
        const Piece *piece = &views[v].pieces[i];
        cairo_matrix_t matrix;

        if (piece->area != area)
          continue;
        piece_matrix (self, &views[v], piece, &identity, &matrix);
        *x = piece->anchor_x;
        *y = piece->anchor_y;
        cairo_matrix_transform_point (&matrix, x, y);
        return TRUE;
      }
  return FALSE;
}

/**
 * meso_area_map_toggle_at:
 * @self: a map
 * @x: a point in @self's coordinates
 * @y: a point in @self's coordinates
 *
 * What a click at (@x, @y) does: turns the area there on or off.
 *
 * Returns: the area toggled, or %MESO_AREA_NONE.
 */
MesoArea
meso_area_map_toggle_at (MesoAreaMap *self,
                         double       x,
                         double       y)
{
  MesoArea area = meso_area_map_area_at (self, x, y);

  if (area != MESO_AREA_NONE)
    meso_area_map_set_areas (self, self->areas ^ area);
  return area;
}

/* Drawing -------------------------------------------------------------------------- */

typedef struct
{
  GdkRGBA fg;
  GdkRGBA accent;
} Palette;

/* gtk_widget_get_color() is GTK 4.10; the style context is how 4.8 tells the colour
 * of the text, which follows the light or dark style. */
static void
get_palette (MesoAreaMap *self,
             Palette     *palette)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, &palette->fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &palette->accent))
    gdk_rgba_parse (&palette->accent, ACCENT_FALLBACK);
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
set_fill (MesoAreaMap   *self,
          cairo_t       *cr,
          const Palette *palette,
          MesoArea       area)
{
  gboolean hover = area != MESO_AREA_NONE && area == self->hover;

  if (area == MESO_AREA_NONE)
    set_source (cr, &palette->fg, 0.04);
  else if (self->areas & area)
    set_source (cr, &palette->accent, hover ? 1.0 : 0.8);
  else if (hover)
    set_source (cr, &palette->accent, 0.3);
  else
    set_source (cr, &palette->fg, 0.1);
}

/* Fills replace what is under them rather than blend with it, so a silhouette hides
 * the outlines of those beneath it although its fill is translucent. */
static void
draw_piece (MesoAreaMap          *self,
            cairo_t              *cr,
            const Palette        *palette,
            const View           *view,
            const Piece          *piece,
            const cairo_matrix_t *base,
            double                line_width)
{
  cairo_save (cr);
  clip_to_piece (self, cr, view, piece, base);
  cairo_set_operator (cr, CAIRO_OPERATOR_SOURCE);
  set_fill (self, cr, palette, piece->area);
  cairo_fill_preserve (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  if (piece->cut != NULL)
    {
      set_source (cr, &palette->fg, 0.45);
      cairo_set_line_width (cr, line_width * 0.75);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_outline (MesoAreaMap          *self,
              cairo_t              *cr,
              const Palette        *palette,
              const View           *view,
              const Piece          *piece,
              const cairo_matrix_t *base,
              double                line_width)
{
  append_silhouette (self, cr, view, piece, base);
  set_source (cr, &palette->fg, 0.8);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

/* A piece without a cut starts a silhouette; those with one follow it. The outline
 * goes on last, once: twice would darken it. */
static gboolean
ends_silhouette (const View *view,
                 guint       i)
{
  return i + 1 == view->n_pieces || view->pieces[i + 1].cut == NULL;
}

static void
draw_view (MesoAreaMap   *self,
           cairo_t       *cr,
           const Palette *palette,
           const View    *view,
           double         line_width)
{
  cairo_matrix_t base;

  cairo_get_matrix (cr, &base);
  for (guint i = 0; i < view->n_pieces; i++)
    {
      draw_piece (self, cr, palette, view, &view->pieces[i], &base, line_width);
      if (ends_silhouette (view, i))
        draw_outline (self, cr, palette, view, &view->pieces[i], &base, line_width);
    }
}

static void
meso_area_map_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  MesoAreaMap *self = MESO_AREA_MAP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double scale = MIN (width / DESIGN_W, height / DESIGN_H);
  Palette palette;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  get_palette (self, &palette);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    draw_view (self, cr, &palette, &views[v], CLAMP (1.3 * scale, 1, 2.5));
  cairo_destroy (cr);
}

/* Input ---------------------------------------------------------------------------- */

static void
set_hover (MesoAreaMap *self,
           MesoArea     area)
{
  if (self->hover == area)
    return;
  self->hover = area;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), area != MESO_AREA_NONE ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* A finger has no hover: a highlight left behind by a touch would read as a state. */
static gboolean
is_touch (GtkEventController *controller)
{
  GdkDevice *device = gtk_event_controller_get_current_event_device (controller);

  return device != NULL && gdk_device_get_source (device) == GDK_SOURCE_TOUCHSCREEN;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           MesoAreaMap              *self)
{
  if (is_touch (GTK_EVENT_CONTROLLER (controller)))
    return;
  set_hover (self, meso_area_map_area_at (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *controller,
          MesoAreaMap              *self)
{
  set_hover (self, MESO_AREA_NONE);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            MesoAreaMap     *self)
{
  self->pressed = meso_area_map_area_at (self, x, y);
}

/* On release, and only where the press was, so that sliding off a region cancels. */
static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             MesoAreaMap     *self)
{
  MesoArea pressed = self->pressed;

  self->pressed = MESO_AREA_NONE;
  if (pressed != MESO_AREA_NONE && meso_area_map_area_at (self, x, y) == pressed)
    meso_area_map_toggle_at (self, x, y);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  MesoArea area;

  if (keyboard_mode)
    return FALSE;
  area = meso_area_map_area_at (MESO_AREA_MAP (widget), x, y);
  if (area == MESO_AREA_NONE)
    return FALSE;
  gtk_tooltip_set_text (tooltip, meso_area_get_label (area));
  return TRUE;
}

/* Class ---------------------------------------------------------------------------- */

static GtkSizeRequestMode
meso_area_map_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
meso_area_map_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NAT_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NAT_HEIGHT;
    }
}

static void
meso_area_map_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MesoAreaMap *self = MESO_AREA_MAP (object);

  switch (prop_id)
    {
    case PROP_AREAS:
      g_value_set_flags (value, self->areas);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_area_map_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MesoAreaMap *self = MESO_AREA_MAP (object);

  switch (prop_id)
    {
    case PROP_AREAS:
      meso_area_map_set_areas (self, g_value_get_flags (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
meso_area_map_class_init (MesoAreaMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = meso_area_map_get_property;
  object_class->set_property = meso_area_map_set_property;
  widget_class->get_request_mode = meso_area_map_get_request_mode;
  widget_class->measure = meso_area_map_measure;
  widget_class->snapshot = meso_area_map_snapshot;

  /**
   * MesoAreaMap:areas:
   *
   * The areas selected, shown filled.
   */
  properties[PROP_AREAS] =
    g_param_spec_flags ("areas", NULL, NULL, MESO_TYPE_AREA, MESO_AREA_NONE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "areamap");
}

static void
meso_area_map_init (MesoAreaMap *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  /* Tab goes through the check buttons only: they say the same, in words. */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Map of the areas treated"), -1);
}

/**
 * meso_area_map_new:
 *
 * Returns: (transfer floating): a new map, with no area selected.
 */
GtkWidget *
meso_area_map_new (void)
{
  return g_object_new (MESO_TYPE_AREA_MAP, NULL);
}

MesoArea
meso_area_map_get_areas (MesoAreaMap *self)
{
  g_return_val_if_fail (MESO_IS_AREA_MAP (self), MESO_AREA_NONE);

  return self->areas;
}

void
meso_area_map_set_areas (MesoAreaMap *self,
                         MesoArea     areas)
{
  g_return_if_fail (MESO_IS_AREA_MAP (self));

  areas &= MESO_AREA_ALL;
  if (self->areas == areas)
    return;
  self->areas = areas;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREAS]);
}
