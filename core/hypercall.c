// SPDX-License-Identifier: Apache-2.0
/* The architecture-neutral half of Bulkhead's hypercalls (hypercall.h). */

#include <bulkhead/hypercall.h>

void hypercall_pack_version(const char *version, uint64_t regs[4])
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		regs[i] = 0;
	for (i = 0; i < BH_HYPERCALL_VERSION_BYTES && version[i] != '\0'; i++)
		regs[i / 8] |= (uint64_t)(uint8_t)version[i] << (8 * (i % 8));
}
