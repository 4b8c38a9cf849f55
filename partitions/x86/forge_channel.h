/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The channel the x86 forged-message tests (msiforge, msixforge) run
 * across: both ends run the same program. The victim (read-only end)
 * counts every interrupt it takes until the attacker writes DONE into the
 * channel and rings its doorbell; anything else it takes is stray.
 */
#ifndef PARTITIONS_X86_FORGE_CHANNEL_H
#define PARTITIONS_X86_FORGE_CHANNEL_H

#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>

#include "rt.h"

#define FORGE_DOORBELL 0x86000010u
#define FORGE_DONE_MAGIC 0x444f4e45u /* "DONE" */

static volatile unsigned int stray, doorbells;
static volatile uint32_t *region;
static uint32_t my_doorbell;

static void victim_vector(unsigned int vector)
{
	if (vector == my_doorbell && region[0] == FORGE_DONE_MAGIC)
		doorbells++;
	else
		stray++;
}

/* The channel's region and doorbell vector into region and my_doorbell,
 * its ID into *@channel; nonzero, said as @program, if there is none. */
static inline int forge_find_channel(const char *program, uint32_t *channel)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "bulkhead,channel");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *vector = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,doorbell-vector", NULL)
					  : NULL;
	const fdt32_t *id = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,channel-id", NULL) : NULL;

	if (reg == NULL || vector == NULL || id == NULL) {
		printf("%s: no channel in my device tree\n", program);
		return 1;
	}
	region = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						  fdt32_to_cpu(reg[1]));
	my_doorbell = fdt32_to_cpu(*vector);
	*channel = fdt32_to_cpu(*id);
	return 0;
}

/* The attacker is done: DONE in the channel, then the victim's doorbell. */
static inline void forge_tell_done(uint32_t channel)
{
	uint64_t r[4];

	region[0] = FORGE_DONE_MAGIC;
	rt_bulkhead_call(FORGE_DOORBELL, channel, 0, 0, r);
}

/* The victim's end: count until the attacker's doorbell, then report. */
static inline int forge_watch(const char *program)
{
	rt_set_lapic_handler(victim_vector);
	rt_irq_disable();
	while (doorbells == 0u)
		rt_wait_irq();
	rt_irq_enable();
	printf("%s: victim: %u interrupt(s) before the attacker was done, %u doorbell after\n",
	       program, stray, doorbells);
	return 0;
}

#endif
