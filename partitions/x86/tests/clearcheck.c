// SPDX-License-Identifier: Apache-2.0
/* Restarts its partition once through the SYSTEM_RESET hypercall after
 * changing an initialised variable of its image and writing a word of its
 * memory outside the image: the second boot must find the variable as the
 * image has it (reloaded) and the word zero (the memory cleared). */

#include "rt.h"

#define DATA_AS_LOADED 0x600dda7aull
#define OUTSIDE_IMAGE ((volatile uint64_t *)0x800000ull) /* 8 MiB: in its RAM, past the image */

static volatile uint64_t data = DATA_AS_LOADED; /* in .data: comes from the image */

int main(void)
{
	printf("clearcheck: boot %u, data 0x%llx, word at %p 0x%llx\n", rt_boot_count(),
	       (unsigned long long)data, (const void *)OUTSIDE_IMAGE,
	       (unsigned long long)*OUTSIDE_IMAGE);
	if (rt_boot_count() == 1) {
		data = 0xbad;
		*OUTSIDE_IMAGE = 0xfeedface;
		rt_system_reset();
	}
	return 0;
}
