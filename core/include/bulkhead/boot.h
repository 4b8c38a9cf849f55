/* SPDX-License-Identifier: Apache-2.0 */
/* The architecture-neutral half of booting. */
#ifndef BULKHEAD_BOOT_H
#define BULKHEAD_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/compiler.h>

/* Version string from `git describe` or the release tarball. */
extern const char bulkhead_version[];
/* The build options of the optional parts, "CHANNELS=y ..." (docs/building.md). */
extern const char *const bulkhead_parts;

/* Does bulkhead_parts say "@option=n" (core/build_parts.c)? */
bool build_part_left_out(const char *option);

/* Print the banner line (also on the refusal paths, before anything else). */
void boot_banner(void);

/*
 * Called by the arch on the boot CPU once the console works, the MMU is on
 * and the arch is ready to start secondaries. Never returns: the CPU ends in
 * the idle loop.
 */
NORETURN void boot_primary_main(const void *fdt, uint64_t boot_hwid,
				uint64_t hyp_start, uint64_t hyp_end);

/* Whether the boot has started the partitions (or decided it will not);
 * until then a waiting CPU calls arch_hyp_colour_poll() between events. */
bool boot_partitions_decided(void);

/* Park the calling CPU forever after a fatal boot error. */
NORETURN void boot_fail(const char *what);

#endif
