// SPDX-License-Identifier: Apache-2.0
/*
 * A channel on x86 (docs/channels.md), the same program at both ends: each
 * finds its end in its device tree (region, access, peer, id, doorbell
 * vector, doorbell page if any). The read-write end writes a message and
 * rings by hypercall; the read-only end takes its doorbell, prints the
 * message, rings back through its doorbell page if it has one (emulated
 * MMIO), then writes to its read-only region, which is contained (a #GP for
 * it, a fault for its policy, nothing for the peer).
 */

#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define DOORBELL 0x86000010u
#define PAGE_RING 0x0
#define PAGE_ID 0x4

static volatile bool rung;
static uint32_t my_vector;

static void on_vector(unsigned int vector)
{
	if (vector == my_vector)
		rung = true;
}

static void wait_for_doorbell(void)
{
	rt_irq_disable();
	while (!rung)
		rt_wait_irq();
	rung = false;
	rt_irq_enable();
}

static volatile uint32_t *doorbell_page;

static void ring(uint32_t id)
{
	uint64_t r[4];

	if (doorbell_page != NULL) {
		doorbell_page[PAGE_RING / 4] = 1;
		return;
	}
	rt_bulkhead_call(DOORBELL, id, 0, 0, r);
	if (r[0] != 0)
		printf("chan: DOORBELL %u: status %d\n", id, (int)(int32_t)r[0]);
}

int main(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "bulkhead,channel");
	int reg_len = 0;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &reg_len) : NULL;
	const fdt32_t *vector = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,doorbell-vector", NULL)
					  : NULL;
	const fdt32_t *id = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,channel-id", NULL) : NULL;
	const char *access = node >= 0 ? fdt_getprop(rt_fdt, node, "access", NULL) : NULL;
	const char *peer = node >= 0 ? fdt_getprop(rt_fdt, node, "peer", NULL) : NULL;

	if (reg == NULL || vector == NULL || id == NULL || access == NULL || peer == NULL) {
		printf("chan: no complete channel node in my device tree\n");
		return 1;
	}
	/* The partition DT's cells: two of address, two of size. */
	volatile char *region = (volatile char *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
							     fdt32_to_cpu(reg[1]));
	uint32_t channel = fdt32_to_cpu(*id);

	my_vector = fdt32_to_cpu(*vector);
	printf("chan: channel %u to %s, %s, doorbell vector 0x%x\n", channel, peer, access,
	       my_vector);
	if (reg_len == 32) { /* the region, then the doorbell page */
		doorbell_page = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[4]) << 32 |
								  fdt32_to_cpu(reg[5]));
		printf("chan: doorbell page at %p, its ID register reads %u\n",
		       (const void *)doorbell_page, doorbell_page[PAGE_ID / 4]);
	}
	rt_set_lapic_handler(on_vector);
	rt_irq_enable();
	if (strcmp(access, "rw") == 0) {
		static const char message[] = "hello over channel 0";

		for (unsigned int i = 0; i < sizeof(message); i++)
			region[i] = message[i];
		ring(channel);
		wait_for_doorbell();
		printf("chan: %s rang back\n", peer);
		return 0;
	}
	wait_for_doorbell();
	char seen[32];

	for (unsigned int i = 0; i < sizeof(seen); i++)
		seen[i] = region[i];
	seen[sizeof(seen) - 1] = '\0';
	printf("chan: doorbell; the region says \"%s\"\n", seen);
	ring(channel);
	printf("chan: writing to my read-only end\n");
	region[0] = 'X';
	printf("chan: the write went through\n");
	return 0;
}
