/* meso-fuzz.h: what the libFuzzer harnesses share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/* libFuzzer's entry points (no header of its own declares them). */
int  LLVMFuzzerInitialize   (int            *argc,
                             char         ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t  *data,
                             size_t          size);

void   meso_fuzz_init          (void);
char  *meso_fuzz_make_temp_dir (void);
GStrv  meso_fuzz_split         (const uint8_t *data,
                                size_t         size,
                                guint          max_parts);
void   meso_fuzz_write_file    (const char    *path,
                                const void    *data,
                                size_t         size);
void   meso_fuzz_remove_files  (const char    *dir,
                                const char    *keep);

G_END_DECLS
