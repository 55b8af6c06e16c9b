/* meso-cli-generate.c: mesocare-cli generate
 *
 * Fills an empty database with made-up but plausible sessions, for benchmarks and for
 * trying the app on a big clinic: patients who come back for a series of sessions, six
 * practitioners, products whose lots are valid on the day, every area, indication,
 * technique and reaction, and a few amendments and voids.
 *
 * Every draw comes from two GRands seeded from --seed, one for the sessions and one for
 * their corrections, each always in the same order, so a seed gives the same records
 * (only the times of creation differ) on a given day: the sessions span the five years
 * up to yesterday. Everything goes through the store's API, validated and audited like
 * a session typed at the chair, in one bulk write (one transaction: all of it or
 * nothing). The sessions are made on a thread of their own while the batch before is
 * saved: two cores at work. Memory stays bounded whatever the count: patients are made
 * one at a time and their sessions saved in batches, a few batches ahead at most.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mesocare-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "meso-cli.h"
#include "meso-field.h"
#include "meso-validate.h"

#define MAX_SESSIONS   10000000u
#define DEFAULT_SEED   1u
#define BATCH_SIZE     5000u
#define YEARS          5

/* Dates of birth are drawn from this range; patient k of a name gets the day
 * (start + k × DOB_STRIDE) modulo its length, a prime that does not divide it, so no
 * two patients share a name and a date of birth and the store never merges them. That
 * holds while no name has more patients than the range has days (18,993): at most
 * about 1,500 for ten million sessions. */
#define DOB_FIRST_YEAR 1950
#define DOB_LAST_YEAR  2001
#define DOB_STRIDE     7919u

/* How many sessions a patient has on average, all series counted, as measured over a
 * million: it paces the arrival of new patients. */
#define SESSIONS_PER_PATIENT 8.5

/* The corrections draw from a generator of their own, seeded from the same seed: the
 * sessions are made on one thread while the batch before is saved, amended and voided
 * on another, and each stream of draws keeps its own order. */
#define FIX_SEED_MASK  0x9e3779b9u

#define VOID_RATE      0.005
#define AMEND_RATE     0.02

/* ---- What the clinic is made of ---- */

#define LIST(...) ((const char * const[]) { __VA_ARGS__, NULL })

typedef struct
{
  const char         *language;
  double              weight;
  const char * const *first_names;
  const char * const *last_names;
  gboolean            two_surnames;   /* Spanish names: the father's and the mother's */
  const char         *phone_format;   /* each X a random digit */
  const char * const *instructions;
} NamePool;

/* No first name appears in two pools, so no two pools make the same name. */
static const NamePool pools[] = {
  { "en", 0.4,
    LIST ("Olivia", "Amelia", "Isla", "Grace", "Sophie", "Emily", "Charlotte", "Hannah",
          "Jessica", "Lucy", "Zoë", "Chloë", "Niamh", "Siobhán", "Aoife", "Priya", "Aisha",
          "Mei", "Ingrid", "Astrid", "James", "Oliver", "Daniel", "Samuel", "Liam", "Seán",
          "Rhys", "Jürgen", "Mohammed", "Bartłomiej"),
    LIST ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans",
          "Thomas", "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Hughes", "O'Brien",
          "McAllister", "Müller", "Schröder", "Østergaard", "Kowalski", "Dvořák", "Şahin",
          "Öztürk", "Nguyễn", "Patel", "Khan", "Murphy", "Ní Bhriain", "Løkke"),
    FALSE, "+44 7700 900XXX",
    LIST ("Avoid the sun and make-up for 24 hours.",
          "Do not wash your hair for 24 hours.",
          "Apply arnica gel twice a day if bruising appears.",
          "Drink at least 1.5 litres of water a day this week.") },
  { "fr", 0.3,
    LIST ("Camille", "Léa", "Chloé", "Manon", "Inès", "Éléonore", "Zoé", "Maëlle", "Anaïs",
          "Hélène", "Françoise", "Noémie", "Béatrice", "Cécile", "Agnès", "Margaux", "Louis",
          "Théo", "Jérôme", "François", "Gaël", "Loïc", "Benoît", "Hervé", "Stéphane",
          "Raphaël", "Joël", "Clément", "Aurélien", "Marie-Hélène"),
    LIST ("Martin", "Bernard", "Dubois", "Robert", "Richard", "Petit", "Durand", "Leroy",
          "Moreau", "Lefèvre", "Girard", "Bonnet", "Mercier", "Fontaine", "Chevalier",
          "Rousseau", "Gauthier", "Garçon", "Lemaître", "Ménard", "Hébert", "Lévêque",
          "Dupré", "Béranger", "Faure", "Roux", "Brunet", "Gonçalves", "Da Silva",
          "N'Diaye"),
    FALSE, "+33 6 39 98 XX XX",
    LIST ("Évitez le soleil et le maquillage pendant 24 heures.",
          "Ne lavez pas vos cheveux pendant 24 heures.",
          "Pas de sauna, de hammam ni de piscine pendant 72 heures.") },
  { "es", 0.3,
    LIST ("Lucía", "María", "Sofía", "Martina", "Paula", "Valeria", "Ximena", "Begoña",
          "Inés María", "Mónica", "Ángela", "Beatriz", "Núria", "Pilar", "Rocío", "Marisol",
          "José", "Jesús", "Andrés", "Íñigo", "Álvaro", "Martín", "Hugo", "Sebastián",
          "Joaquín", "Ramón", "Raúl", "Adrián", "Nicolás", "Óscar"),
    LIST ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
          "Pérez", "Gómez", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz",
          "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez",
          "Vázquez", "Ramos", "Gil", "Serrano", "Castaño", "Peña", "Ibáñez", "Núñez",
          "Zúñiga", "Ordóñez"),
    TRUE, "+34 6XX XXX XXX",
    LIST ("Evite el sol y el maquillaje durante 24 horas.",
          "No se lave el pelo durante 24 horas.",
          "Aplique gel de árnica dos veces al día si aparecen hematomas.") },
};

typedef struct
{
  const char *name;
  const char *role;
  const char *registration;
} Practitioner;

static const Practitioner practitioners[] = {
  { "Dr Amélie Rousseau", "Physician", "RPPS 10003456789" },
  { "Dr Javier Muñoz Ortega", "Physician", "CMM 28/2845123" },
  { "Dr Sarah O'Connell", "Dermatologist", "GMC 7012345" },
  { "Inès Benali", "Nurse", "ADELI 759812345" },
  { "Chloë Hughes", "Nurse practitioner", "NMC 12A3456E" },
  { "Dr Jürgen Schäfer", "Aesthetic physician", "LÄK 2045-118" },
};

typedef struct
{
  const char *name;
  const char *lot_prefix;
  const char *indication;   /* the indication it is used for; NULL: any */
} Product;

static const Product products[] = {
  { "Dexpanthenol and biotin cocktail", "DXB", "hair-loss" },
  { "Hair revitalising peptide complex", "HRP", "hair-loss" },
  { "Non-cross-linked hyaluronic acid 1.5%", "HA15", "skin-rejuvenation" },
  { "Polyrevitalising solution (HA, vitamins, amino acids)", "PRS", "skin-rejuvenation" },
  { "Phosphatidylcholine / deoxycholate", "PCD", "fat-reduction" },
  { "Caffeine and artichoke extract", "CAF", "fat-reduction" },
  { "Organic silicon 0.5%", "OSI", "cellulite" },
  { "Caffeine and artichoke extract", "CAF", "cellulite" },
  { "Glutathione and vitamin C", "GLU", NULL },
  { "Procaine 1% with vitamins", "PRC", NULL },
};

/* Injections per area for one session, as [lowest, highest]. */
static const struct
{
  MesoArea area;
  guint    low, high;
} injection_ranges[] = {
  { MESO_AREA_FACE, 30, 80 },    { MESO_AREA_SCALP, 80, 200 },  { MESO_AREA_NECK, 15, 40 },
  { MESO_AREA_DECOLLETAGE, 20, 50 }, { MESO_AREA_ABDOMEN, 40, 120 },
  { MESO_AREA_FLANKS, 20, 60 },  { MESO_AREA_THIGHS, 40, 120 }, { MESO_AREA_BUTTOCKS, 30, 80 },
  { MESO_AREA_ARMS, 20, 60 },
};

static const char * const allergies[] = { "Lidocaine", "Latex", "Iodine", "Penicillin",
                                          "Nickel" };
static const char * const patient_notes[] = { "Prefers morning appointments.",
                                              "Contact by email only.",
                                              "Needle-phobic: numbing cream beforehand." };
static const char * const private_notes[] = { "Good tolerance.",
                                              "Compare the photos at the next session.",
                                              "Patient anxious; numbing cream applied.",
                                              "Slight asymmetry noted before treatment." };
static const char * const email_domains[] = { "example.org", "example.com", "example.net" };
static const char * const void_reasons[] = {
  "Recorded for the wrong patient",
  "Entered twice",
  "The patient left before the treatment; recorded by mistake",
};

#undef LIST

/* ---- The generator ---- */

typedef enum
{
  FATE_KEPT,
  FATE_AMENDED,
  FATE_VOIDED,
} Fate;

typedef struct
{
  char               *name;
  char               *date_of_birth;
  char               *phone;
  char               *email;
  const NamePool     *pool;
  const char         *language;
  const char         *allergies;
  const char         *notes;
  gboolean            blood_thinners;
} Patient;

typedef struct
{
  GDate               day;          /* of the next session */
  guint               number;       /* of the next session, from 1 */
  guint               total;
  guint               interval;     /* days planned between two sessions */
  const Practitioner *practitioner;
  const char         *indication;
  const char         *technique;
  const Product      *product;
  MesoArea            areas;
} Series;

typedef struct
{
  GRand              *rand;         /* the sessions' draws, on the thread that makes them */
  GRand              *fix_rand;     /* the corrections' draws, on the thread that saves */
  guint32             seed;
  GDate               first_day;
  GDate               last_day;
  GDate               dob_first;
  guint               dob_days;
  guint              *name_uses;    /* how many patients each name has had */
  guint               n_names;
  Patient             patient;
  Series              series;
  gboolean            in_series;
  guint               n_patients;
  double              arrival;           /* of the last new patient, in days from the first */
  double              mean_arrival_gap;  /* in days */
} Generator;

static void
patient_clear (Patient *patient)
{
  g_clear_pointer (&patient->name, g_free);
  g_clear_pointer (&patient->date_of_birth, g_free);
  g_clear_pointer (&patient->phone, g_free);
  g_clear_pointer (&patient->email, g_free);
}

static guint
strv_len (const char * const *strv)
{
  return g_strv_length ((char **) strv);
}

static guint
pool_names (const NamePool *pool)
{
  guint lasts = strv_len (pool->last_names);

  return strv_len (pool->first_names) * lasts * (pool->two_surnames ? lasts : 1);
}

static void
generator_init (Generator *gen,
                guint32    seed,
                guint      n_sessions)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate dob_last;

  *gen = (Generator) { 0 };
  gen->rand = g_rand_new_with_seed (seed);
  gen->fix_rand = g_rand_new_with_seed (seed ^ FIX_SEED_MASK);
  gen->seed = seed;
  g_date_set_dmy (&gen->last_day, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
  g_date_subtract_days (&gen->last_day, 1);
  gen->first_day = gen->last_day;
  g_date_subtract_years (&gen->first_day, YEARS);
  gen->mean_arrival_gap = (g_date_days_between (&gen->first_day, &gen->last_day) + 1)
                          / MAX (n_sessions / SESSIONS_PER_PATIENT, 1.0);
  g_date_set_dmy (&gen->dob_first, 1, G_DATE_JANUARY, DOB_FIRST_YEAR);
  g_date_set_dmy (&dob_last, 31, G_DATE_DECEMBER, DOB_LAST_YEAR);
  gen->dob_days = (guint) g_date_days_between (&gen->dob_first, &dob_last) + 1;
  g_assert (gen->dob_days % DOB_STRIDE != 0);

  for (guint i = 0; i < G_N_ELEMENTS (pools); i++)
    gen->n_names += pool_names (&pools[i]);
  gen->name_uses = g_new0 (guint, gen->n_names);
}

static void
generator_clear (Generator *gen)
{
  patient_clear (&gen->patient);
  g_clear_pointer (&gen->rand, g_rand_free);
  g_clear_pointer (&gen->fix_rand, g_rand_free);
  g_clear_pointer (&gen->name_uses, g_free);
}

static guint
pick (GRand *rand,
      guint  n)
{
  return (guint) g_rand_int_range (rand, 0, (gint32) n);
}

static guint
between (GRand *rand,
         guint  low,
         guint  high)
{
  return (guint) g_rand_int_range (rand, (gint32) low, (gint32) high + 1);
}

static gboolean
chance (GRand  *rand,
        double  probability)
{
  return g_rand_double (rand) < probability;
}

static const char *
pick_text (Generator          *gen,
           const char * const *strv)
{
  return strv[pick (gen->rand, strv_len (strv))];
}

#define PICK(rand, array) ((array)[pick ((rand), G_N_ELEMENTS (array))])

static const NamePool *
pick_pool (Generator *gen)
{
  double r = g_rand_double (gen->rand);

  for (guint i = 0; i + 1 < G_N_ELEMENTS (pools); i++)
    {
      if (r < pools[i].weight)
        return &pools[i];
      r -= pools[i].weight;
    }
  return &pools[G_N_ELEMENTS (pools) - 1];
}

/* Draws a name from @pool; returns it and its index among all names of all pools. */
static char *
draw_name (Generator      *gen,
           const NamePool *pool,
           guint          *out_index)
{
  guint n_first = strv_len (pool->first_names), n_last = strv_len (pool->last_names);
  guint first = pick (gen->rand, n_first), last = pick (gen->rand, n_last);
  guint second = pool->two_surnames ? pick (gen->rand, n_last) : 0;
  guint index = 0;

  for (const NamePool *p = pools; p < pool; p++)
    index += pool_names (p);
  *out_index = index + (first * n_last + last) * (pool->two_surnames ? n_last : 1) + second;

  if (pool->two_surnames)
    return g_strdup_printf ("%s %s %s", pool->first_names[first], pool->last_names[last],
                            pool->last_names[second]);
  return g_strdup_printf ("%s %s", pool->first_names[first], pool->last_names[last]);
}

static char *
draw_date_of_birth (Generator *gen,
                    guint      name_index)
{
  guint uses = gen->name_uses[name_index]++;
  guint start = (name_index * 2654435761u + gen->seed) % gen->dob_days;
  GDate day = gen->dob_first;
  char text[11];

  g_date_add_days (&day, (guint) ((start + (guint64) uses * DOB_STRIDE) % gen->dob_days));
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &day);
  return g_strdup (text);
}

/* first.last@example.org, without accents, blanks or apostrophes. */
static char *
draw_email (Generator  *gen,
            const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  g_autoptr(GString) local = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (local, g_ascii_tolower (*p));
      else if ((*p == ' ' || *p == '-') && local->len > 0
               && local->str[local->len - 1] != '.')
        g_string_append_c (local, '.');
    }
  if (chance (gen->rand, 0.3))
    g_string_append_printf (local, "%u", between (gen->rand, 1, 99));
  return g_strdup_printf ("%s@%s", local->str, PICK (gen->rand, email_domains));
}

static char *
draw_phone (Generator  *gen,
            const char *format)
{
  char *phone = g_strdup (format);

  for (char *p = phone; *p != '\0'; p++)
    if (*p == 'X')
      *p = (char) ('0' + pick (gen->rand, 10));
  return phone;
}

static void
new_patient (Generator *gen)
{
  Patient *patient = &gen->patient;
  guint name_index = 0;

  patient_clear (patient);
  patient->pool = pick_pool (gen);
  patient->name = draw_name (gen, patient->pool, &name_index);
  patient->date_of_birth = draw_date_of_birth (gen, name_index);
  patient->language = patient->pool->language;
  if (chance (gen->rand, 0.1))
    patient->language = pick_text (gen, meso_field_get_choices (MESO_FIELD_LANGUAGE));
  if (chance (gen->rand, 0.95))
    patient->phone = draw_phone (gen, patient->pool->phone_format);
  if (chance (gen->rand, 0.85))
    patient->email = draw_email (gen, patient->name);
  patient->allergies = chance (gen->rand, 0.06) ? PICK (gen->rand, allergies) : NULL;
  patient->notes = chance (gen->rand, 0.03) ? PICK (gen->rand, patient_notes) : NULL;
  patient->blood_thinners = chance (gen->rand, 0.04);
  gen->n_patients++;
}

/* ---- Series and sessions ---- */

/* The areas each indication usually treats, and those sometimes added; an indication not
 * in the table (such as "other") treats any one area. */
static const struct
{
  const char *indication;
  MesoArea    usual;
  MesoArea    sometimes;
} indication_areas[] = {
  { "hair-loss", MESO_AREA_SCALP, MESO_AREA_NONE },
  { "skin-rejuvenation", MESO_AREA_FACE, MESO_AREA_NECK | MESO_AREA_DECOLLETAGE | MESO_AREA_ARMS },
  { "fat-reduction", MESO_AREA_NONE,
    MESO_AREA_ABDOMEN | MESO_AREA_FLANKS | MESO_AREA_THIGHS | MESO_AREA_ARMS },
  { "cellulite", MESO_AREA_NONE,
    MESO_AREA_THIGHS | MESO_AREA_BUTTOCKS | MESO_AREA_ABDOMEN | MESO_AREA_FLANKS },
};

static MesoArea
pick_one_area (Generator *gen,
               MesoArea   among)
{
  guint n = 0, chosen;

  MESO_AREA_FOREACH (area)
    n += (among & area) != 0;
  chosen = pick (gen->rand, n);
  MESO_AREA_FOREACH (area)
    if ((among & area) && chosen-- == 0)
      return area;
  g_assert_not_reached ();
}

static MesoArea
draw_areas (Generator  *gen,
            const char *indication)
{
  for (guint i = 0; i < G_N_ELEMENTS (indication_areas); i++)
    {
      MesoArea areas = indication_areas[i].usual;

      if (!g_str_equal (indication, indication_areas[i].indication))
        continue;
      MESO_AREA_FOREACH (area)
        if ((indication_areas[i].sometimes & area) && chance (gen->rand, 0.3))
          areas |= area;
      return areas != MESO_AREA_NONE ? areas
                                      : pick_one_area (gen, indication_areas[i].sometimes);
    }
  return pick_one_area (gen, MESO_AREA_ALL);
}

/* A product made for @indication, or one for any indication when none is. */
static const Product *
draw_product (Generator  *gen,
              const char *indication)
{
  const Product *candidates[G_N_ELEMENTS (products)];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    if (g_strcmp0 (products[i].indication, indication) == 0)
      candidates[n++] = &products[i];
  for (guint i = 0; n == 0 && i < G_N_ELEMENTS (products); i++)
    if (products[i].indication == NULL)
      candidates[n++] = &products[i];
  return candidates[pick (gen->rand, n)];
}

/* No sessions on Sundays: a first session moves back a day (so it stays in the span), a
 * later one to either side. */
static void
skip_sunday (GDate    *day,
             gboolean  forward)
{
  if (g_date_get_weekday (day) != G_DATE_SUNDAY)
    return;
  if (forward)
    g_date_add_days (day, 1);
  else
    g_date_subtract_days (day, 1);
}

static void
start_series (Generator   *gen,
              const GDate *start)
{
  const guint intervals[] = { 7, 14, 14, 21, 28 };
  Series *series = &gen->series;

  series->day = *start;
  skip_sunday (&series->day, FALSE);
  series->number = 1;
  series->total = between (gen->rand, 3, 10);
  series->interval = PICK (gen->rand, intervals);
  series->practitioner = &PICK (gen->rand, practitioners);
  series->indication = pick_text (gen, meso_field_get_choices (MESO_FIELD_INDICATION));
  series->technique = pick_text (gen, meso_field_get_choices (MESO_FIELD_TECHNIQUE));
  series->product = draw_product (gen, series->indication);
  series->areas = draw_areas (gen, series->indication);
  gen->in_series = TRUE;
}

/* New patients arrive one after another at random intervals, paced so that the
 * sessions asked for fill the span evenly. The records then come roughly in the order
 * of their dates, as in a clinic: ids grow with time, and the store's index by date is
 * written near its end instead of all over. Returns the day, counted from the first;
 * should the span be used up before the count, arrivals start again at its beginning. */
static guint
next_arrival (Generator *gen)
{
  double span = g_date_days_between (&gen->first_day, &gen->last_day) + 1;

  gen->arrival += g_rand_double_range (gen->rand, 0, 2 * gen->mean_arrival_gap);
  while (gen->arrival >= span)
    gen->arrival -= span;
  return (guint) gen->arrival;
}

/* After a series, the patient may come back months later for another; otherwise a new
 * patient arrives and starts one. */
static void
next_series (Generator *gen)
{
  GDate start;

  if (gen->n_patients > 0 && chance (gen->rand, 0.3))
    {
      start = gen->series.day;
      g_date_add_days (&start, between (gen->rand, 60, 270));
      if (g_date_compare (&start, &gen->last_day) <= 0)
        {
          start_series (gen, &start);
          return;
        }
    }
  new_patient (gen);
  start = gen->first_day;
  g_date_add_days (&start, next_arrival (gen));
  start_series (gen, &start);
}

static guint32
mix (guint32 x)
{
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

/* Each product has two lots open each quarter, the same ones for every session of that
 * quarter, expiring 12 to 24 months after the quarter began: valid on every day of it. */
static void
draw_lot (Generator     *gen,
          const Product *product,
          const GDate   *day,
          char         **out_lot,
          char         **out_expiry)
{
  guint year = g_date_get_year (day), first_month = (g_date_get_month (day) - 1) / 3 * 3 + 1;
  guint variant = pick (gen->rand, 2);
  guint32 key = mix (g_str_hash (product->lot_prefix) ^ mix (year * 4 + first_month / 3)
                     ^ variant);
  GDate expiry;
  char text[11];

  g_date_set_dmy (&expiry, 1, (GDateMonth) first_month, (GDateYear) year);
  g_date_add_months (&expiry, 12 + key % 13);
  g_date_set_day (&expiry, g_date_get_days_in_month (g_date_get_month (&expiry),
                                                      g_date_get_year (&expiry)));
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &expiry);
  *out_lot = g_strdup_printf ("%s-%02u%03u%c", product->lot_prefix, year % 100,
                              (key >> 8) % 1000, 'A' + variant);
  *out_expiry = g_strdup (text);
}

static guint
draw_injections (Generator *gen,
                 MesoArea   areas)
{
  guint injections = 0;

  MESO_AREA_FOREACH (area)
    {
      guint low = 20, high = 60;

      if (!(areas & area))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (injection_ranges); i++)
        if (injection_ranges[i].area == area)
          low = injection_ranges[i].low, high = injection_ranges[i].high;
      injections += between (gen->rand, low, high);
    }
  return CLAMP (injections, MESO_INJECTIONS_MIN, MESO_INJECTIONS_MAX);
}

/* Ten to fifty microlitres an injection, in tenths of a millilitre. */
static char *
draw_volume (Generator *gen,
             guint      injections)
{
  guint tenths = MAX ((injections * between (gen->rand, 10, 50) + 50) / 100, 1);

  return g_strdup_printf ("%u.%u", tenths / 10, tenths % 10);
}

/* Not recorded now and then; mostly "none"; otherwise one or two reactions. */
static char *
draw_reactions (Generator *gen)
{
  const char * const *ids = meso_field_get_choices (MESO_FIELD_REACTIONS);
  guint n = strv_len (ids);
  guint first, second;

  if (chance (gen->rand, 0.1))
    return NULL;
  if (chance (gen->rand, 0.6))
    return g_strdup (ids[0]);  /* "none" */
  first = between (gen->rand, 1, n - 1);
  second = between (gen->rand, 1, n - 1);
  if (second == first || chance (gen->rand, 0.6))
    return g_strdup (ids[first]);
  return g_strdup_printf ("%s,%s", ids[MIN (first, second)], ids[MAX (first, second)]);
}

/* The generator's own values are always valid: a refusal here is a bug in this file. */
static void
set_text (MesoSession *session,
          MesoField    field,
          const char  *text)
{
  g_autoptr(GError) error = NULL;

  if (!meso_session_set_field_text (session, field, text, &error))
    g_critical ("generate: %s", error->message);
}

static void
take_text (MesoSession *session,
           MesoField    field,
           char        *text)
{
  set_text (session, field, text);
  g_free (text);
}

static void
fill_patient (MesoSession   *session,
              const Patient *patient)
{
  meso_session_set_patient_name (session, patient->name);
  set_text (session, MESO_FIELD_DATE_OF_BIRTH, patient->date_of_birth);
  set_text (session, MESO_FIELD_PHONE, patient->phone);
  set_text (session, MESO_FIELD_EMAIL, patient->email);
  set_text (session, MESO_FIELD_LANGUAGE, patient->language);
  set_text (session, MESO_FIELD_ALLERGIES, patient->allergies);
  set_text (session, MESO_FIELD_PATIENT_NOTES, patient->notes);
  set_text (session, MESO_FIELD_BLOOD_THINNERS, patient->blood_thinners ? "yes" : "no");
}

/* Mostly the series' own practitioner; now and then a colleague stands in. */
static void
fill_practitioner (Generator   *gen,
                   MesoSession *session)
{
  const Practitioner *practitioner = gen->series.practitioner;

  if (chance (gen->rand, 0.1))
    practitioner = &PICK (gen->rand, practitioners);
  set_text (session, MESO_FIELD_PRACTITIONER, practitioner->name);
  set_text (session, MESO_FIELD_PRACTITIONER_ROLE, practitioner->role);
  set_text (session, MESO_FIELD_PRACTITIONER_REGISTRATION, practitioner->registration);
}

static void
fill_treatment (Generator   *gen,
                MesoSession *session)
{
  const Series *series = &gen->series;
  guint injections = draw_injections (gen, series->areas);
  guint duration = 10 + injections / 5 + between (gen->rand, 0, 10);
  char *lot = NULL, *expiry = NULL;

  meso_session_set_areas (session, series->areas);
  meso_session_set_injections (session, injections);
  meso_session_set_duration (session, CLAMP (duration / 5 * 5, MESO_DURATION_MIN,
                                             MESO_DURATION_MAX));
  set_text (session, MESO_FIELD_INDICATION, series->indication);
  set_text (session, MESO_FIELD_TECHNIQUE, series->technique);
  set_text (session, MESO_FIELD_PRODUCT, series->product->name);
  draw_lot (gen, series->product, &series->day, &lot, &expiry);
  take_text (session, MESO_FIELD_LOT, lot);
  take_text (session, MESO_FIELD_EXPIRY, expiry);
  take_text (session, MESO_FIELD_VOLUME, draw_volume (gen, injections));
  take_text (session, MESO_FIELD_REACTIONS, draw_reactions (gen));
  if (chance (gen->rand, 0.08))
    set_text (session, MESO_FIELD_INSTRUCTIONS, pick_text (gen, gen->patient.pool->instructions));
  if (chance (gen->rand, 0.05))
    set_text (session, MESO_FIELD_NOTES, PICK (gen->rand, private_notes));
}

/* The series' next session, on its day at a quarter hour of the clinic's day; the day
 * after it is planned as the next session, except after the last. */
static MesoSession *
make_session (Generator *gen)
{
  Series *series = &gen->series;
  g_autoptr(MesoSession) session = meso_session_new ();
  g_autoptr(GDateTime) when = NULL;
  GDate next = series->day;
  char text[11];

  when = g_date_time_new_local ((int) g_date_get_year (&series->day),
                                (int) g_date_get_month (&series->day),
                                (int) g_date_get_day (&series->day),
                                (int) between (gen->rand, 8, 18), (int) pick (gen->rand, 4) * 15, 0);
  meso_session_set_performed_at (session, when);
  fill_patient (session, &gen->patient);
  fill_practitioner (gen, session);
  fill_treatment (gen, session);
  take_text (session, MESO_FIELD_SESSION_NUMBER, g_strdup_printf ("%u", series->number));
  take_text (session, MESO_FIELD_SERIES_TOTAL, g_strdup_printf ("%u", series->total));

  if (series->number < series->total)
    {
      g_date_add_days (&next, series->interval + between (gen->rand, 0, 3) - 1);
      skip_sunday (&next, chance (gen->rand, 0.5));
      g_date_strftime (text, sizeof text, "%Y-%m-%d", &next);
      set_text (session, MESO_FIELD_NEXT_SESSION, text);
      series->day = next;
      series->number++;
    }
  else
    gen->in_series = FALSE;
  return g_steal_pointer (&session);
}

/* The next session to save, and what becomes of it once saved. A series still running
 * yesterday stops there: its last session plans one to come. */
static MesoSession *
generator_next (Generator *gen,
                Fate      *out_fate)
{
  double fate;

  while (!gen->in_series || g_date_compare (&gen->series.day, &gen->last_day) > 0)
    next_series (gen);

  fate = g_rand_double (gen->rand);
  *out_fate = fate < VOID_RATE ? FATE_VOIDED
              : fate < VOID_RATE + AMEND_RATE ? FATE_AMENDED
              : FATE_KEPT;
  return make_session (gen);
}

/* ---- Amendments and voids ---- */

/* One correction of the kind made in a clinic, to the session as stored. */
static gboolean
amend_session (Generator  *gen,
               MesoStore  *store,
               gint64      id,
               GError    **error)
{
  g_autoptr(MesoSession) session = meso_store_get_session (store, id, error);
  const char *reason = NULL;
  guint old, delta;

  if (session == NULL)
    return FALSE;
  switch (pick (gen->fix_rand, 4))
    {
    case 0:
      old = meso_session_get_injections (session);
      delta = between (gen->fix_rand, 1, 10);
      meso_session_set_injections (session, old > MESO_INJECTIONS_MIN + delta ? old - delta
                                                                              : old + delta);
      reason = "The number of injections was mistyped";
      break;
    case 1:
      old = meso_session_get_duration (session);
      meso_session_set_duration (session, old + 5 <= MESO_DURATION_MAX ? old + 5 : old - 5);
      reason = "Duration corrected from the appointment book";
      break;
    case 2:
      set_text (session, MESO_FIELD_REACTIONS,
                meso_session_get_reactions (session) & MESO_REACTION_BRUISING
                ? "pain" : "bruising");
      reason = "Reaction reported by the patient the next day";
      break;
    default:
      {
        g_autofree char *notes = meso_session_get_field_text (session, MESO_FIELD_NOTES);

        take_text (session, MESO_FIELD_NOTES,
                   g_strconcat (notes, *notes != '\0' ? "\n" : "",
                                "Follow-up call: the patient is satisfied.", NULL));
        reason = "Note of the follow-up call added";
      }
      break;
    }
  return meso_store_amend_session (store, session, reason, error);
}

/* ---- Saving ---- */

typedef struct
{
  GPtrArray *sessions;
  GArray    *fates;      /* of Fate, one per session */
} Batch;

/* Saves the batch, then amends and voids those whose fate it is, one by one as they
 * would be in a clinic; empties the batch. All of it joins the bulk's transaction. */
static gboolean
save_batch (Generator   *gen,
            MesoStore   *store,
            Batch       *batch,
            const char  *source,
            GError     **error)
{
  if (!meso_store_save_sessions (store, batch->sessions, source, error))
    return FALSE;

  for (guint i = 0; i < batch->sessions->len; i++)
    {
      gint64 id = meso_session_get_id (g_ptr_array_index (batch->sessions, i));

      switch (g_array_index (batch->fates, Fate, i))
        {
        case FATE_AMENDED:
          if (!amend_session (gen, store, id, error))
            return FALSE;
          break;
        case FATE_VOIDED:
          if (!meso_store_void_session (store, id, PICK (gen->fix_rand, void_reasons), error))
            return FALSE;
          break;
        case FATE_KEPT:
        default:
          break;
        }
    }
  g_ptr_array_set_size (batch->sessions, 0);
  g_array_set_size (batch->fates, 0);
  return TRUE;
}

static void
show_progress (guint done,
               guint total)
{
  /* Translators: the progress of "mesocare-cli generate", rewritten in place */
  g_autofree char *line = g_strdup_printf (_("Generated %u of %u sessions…"), done, total);

  g_printerr ("\r%s", line);
}

/* ---- Making sessions on a second core ---- */

/* Batches this far ahead of the one being saved: enough to keep both threads busy,
 * few enough for memory to stay bounded. */
#define BATCHES_AHEAD 3

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  batch->fates = g_array_new (FALSE, FALSE, sizeof (Fate));
  return batch;
}

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->sessions);
  g_array_unref (batch->fates);
  g_free (batch);
}

/* The generator's thread fills empty batches (from @empty) and hands them over (to
 * @full), in order; it stops after the last, or when @stop is set. */
typedef struct
{
  Generator   *gen;
  guint        total;
  GAsyncQueue *empty;
  GAsyncQueue *full;
  gint         stop;
} Maker;

static gpointer
make_batches (gpointer data)
{
  Maker *maker = data;

  for (guint made = 0; made < maker->total; )
    {
      Batch *batch = g_async_queue_pop (maker->empty);

      if (g_atomic_int_get (&maker->stop))
        {
          batch_free (batch);
          break;
        }
      while (batch->sessions->len < BATCH_SIZE && made < maker->total)
        {
          Fate fate;

          g_ptr_array_add (batch->sessions, generator_next (maker->gen, &fate));
          g_array_append_val (batch->fates, fate);
          made++;
        }
      g_async_queue_push (maker->full, batch);
    }
  return NULL;
}

typedef struct
{
  Maker       maker;
  const char *source;
  gboolean    progress;
} Work;

/* Batch after batch as the maker hands them over, each saved then amended and voided. */
static gboolean
generate_bulk (MesoStore  *store,
               gpointer    user_data,
               GError    **error)
{
  Work *work = user_data;

  for (guint done = 0; done < work->maker.total; )
    {
      Batch *batch = g_async_queue_pop (work->maker.full);

      done += batch->sessions->len;
      if (!save_batch (work->maker.gen, store, batch, work->source, error))
        {
          batch_free (batch);
          return FALSE;
        }
      g_async_queue_push (work->maker.empty, batch);
      if (work->progress)
        show_progress (done, work->maker.total);
    }
  return TRUE;
}

/* Stops the maker, waiting in @empty for an empty batch if it must, and drops the
 * batches left. */
static void
stop_maker (Maker   *maker,
            GThread *thread)
{
  Batch *batch;

  g_atomic_int_set (&maker->stop, TRUE);
  g_async_queue_push (maker->empty, batch_new ());
  g_thread_join (thread);
  while ((batch = g_async_queue_try_pop (maker->full)) != NULL)
    batch_free (batch);
  while ((batch = g_async_queue_try_pop (maker->empty)) != NULL)
    batch_free (batch);
}

static gboolean
generate (Generator   *gen,
          MesoStore   *store,
          guint        n_sessions,
          GError     **error)
{
  g_autofree char *source = g_strdup_printf ("mesocare-cli generate --seed %u", gen->seed);
  Work work = { { gen, n_sessions, g_async_queue_new (), g_async_queue_new (), FALSE },
                source, isatty (STDERR_FILENO) };
  GThread *thread;
  gboolean ok;

  for (guint i = 0; i < BATCHES_AHEAD; i++)
    g_async_queue_push (work.maker.empty, batch_new ());
  thread = g_thread_new ("generate", make_batches, &work.maker);

  /* One bulk write: the store's upkeep (the name index, the indexes of an empty
   * database) is done once, and a run that fails leaves nothing. */
  ok = meso_store_write_bulk (store, generate_bulk, &work, error);
  if (work.progress)
    g_printerr ("\n");

  stop_maker (&work.maker, thread);
  g_async_queue_unref (work.maker.empty);
  g_async_queue_unref (work.maker.full);
  return ok;
}

/* ---- The command ---- */

/* A whole number in [@min, @max], in plain digits. */
static gboolean
parse_number (const char *text,
              guint64     min,
              guint64     max,
              guint64    *out_value)
{
  return g_ascii_string_to_unsigned (text, 10, min, max, out_value, NULL);
}

/* Generated sessions can never be deleted: they go into an empty database only, never
 * among real records. */
static gboolean
check_empty (MesoStore  *store,
             GError    **error)
{
  gint64 count = meso_store_count_sessions (store, error);

  if (count < 0)
    return FALSE;
  if (count > 0)
    {
      g_set_error (error, MESO_ERROR, MESO_ERROR_FAILED,
                   _("Database: %s already holds sessions; generate fills only an empty "
                     "database, as sessions can never be deleted"), meso_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

int
meso_cli_generate (const MesoCliGlobals  *globals,
                   int                    argc,
                   char                 **argv)
{
  g_autofree char *sessions_text = NULL;
  g_autofree char *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_STRING, &sessions_text,
      N_("How many sessions to make, from 1 to 10000000"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Where the random draws start: the same seed makes the same sessions "
         "(default: 1)"), N_("S") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MesoStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *patients = NULL;
  guint64 n_sessions = 0, seed = DEFAULT_SEED;
  Generator gen;
  gboolean ok;

  g_option_context_set_summary (context,
                                _("Fill an empty database with made-up sessions, for "
                                  "benchmarks and for trying the app\n"
                                  "on a big clinic: patients in series of sessions over the "
                                  "last five years, with\n"
                                  "a few amendments and voids. Sessions can never be "
                                  "deleted, so only an empty\n"
                                  "database is filled."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!meso_cli_parse (context, &argc, &argv, "generate"))
    return MESO_CLI_EXIT_USAGE;
  if (argc > 1)
    return meso_cli_usage ("generate", _("unexpected argument “%s”"), argv[1]);
  if (sessions_text == NULL)
    return meso_cli_usage ("generate", _("give the number of sessions with --sessions N"));
  if (!parse_number (sessions_text, 1, MAX_SESSIONS, &n_sessions))
    return meso_cli_usage ("generate", _("--sessions: “%s” is not a whole number from 1 to %u"),
                           sessions_text, MAX_SESSIONS);
  if (seed_text != NULL && !parse_number (seed_text, 0, G_MAXUINT32, &seed))
    return meso_cli_usage ("generate", _("--seed: “%s” is not a whole number from 0 to %u"),
                           seed_text, G_MAXUINT32);

  store = meso_cli_open_store (globals, TRUE);
  if (store == NULL)
    return MESO_CLI_EXIT_FAILURE;
  if (!check_empty (store, &error))
    return meso_cli_fail (error);

  generator_init (&gen, (guint32) seed, (guint) n_sessions);
  ok = generate (&gen, store, (guint) n_sessions, &error);
  patients = g_strdup_printf (ngettext ("%u patient", "%u patients", gen.n_patients),
                              gen.n_patients);
  generator_clear (&gen);
  if (!ok)
    return meso_cli_fail (error);

  /* Translators: %s is a number of patients, such as "12 patients" */
  g_print (ngettext ("Generated %u session for %s\n", "Generated %u sessions for %s\n",
                     (gulong) n_sessions), (guint) n_sessions, patients);
  return EXIT_SUCCESS;
}
