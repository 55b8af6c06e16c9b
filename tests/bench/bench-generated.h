/* bench-generated.h: the databases `mesocare-cli generate` makes for the benchmarks, made
 * once and kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The seed of every generated database of the benchmarks. */
#define BENCH_GENERATE_SEED "1"

gboolean bench_generated_is_current (const char          *path,
                                     guint                n_sessions);
double   bench_generate             (const char          *cli,
                                     const char * const  *env,
                                     const char          *path,
                                     guint                n_sessions);
double   bench_ensure_generated     (const char          *cli,
                                     const char * const  *env,
                                     const char          *cache,
                                     guint                n_sessions);
void     bench_remove_database      (const char          *path);

G_END_DECLS
