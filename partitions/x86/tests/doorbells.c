// SPDX-License-Identifier: Apache-2.0
/*
 * Doorbells counted, at both ends of channel.dts's channel: the read-write
 * end (hello-a) rings ROUNDS times by hypercall, each time after the
 * read-only end (hello-b) has taken the last one and rung back through its
 * doorbell page, so every ring is one interrupt: sent and taken must match.
 * In round MASKED_ROUND hello-b has its interrupts off while hello-a rings:
 * not taken until it enables them. Then, with hello-b's interrupts off,
 * hello-a rings BURST times in a row: those are edges of one doorbell and
 * coalesce (one pending behind the one offered: taken once or twice). The
 * hypervisor reports each partition's doorbells and kicks when it stops;
 * the test holds the kicks to one per interrupt made pending.
 */

#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define DOORBELL 0x86000010u
#define ROUNDS 100u
#define MASKED_ROUND 50u
#define BURST 50u

/* The shared region: written by the read-write end only. */
struct board {
	uint32_t sent;       /* paced rings rung so far */
	uint32_t burst_done; /* the burst has been rung */
};

static volatile struct board *board;
static volatile uint32_t *doorbell_page;
static uint32_t my_vector;
static uint32_t channel;
static volatile uint32_t taken;

static void on_vector(unsigned int vector)
{
	if (vector == my_vector)
		taken++;
}

/* With interrupts off between the check and the HLT (rt_wait_irq). */
static void wait_taken(uint32_t count)
{
	rt_irq_disable();
	while (taken < count)
		rt_wait_irq();
	rt_irq_enable();
}

static void ring(void)
{
	uint64_t r[4];

	if (doorbell_page != NULL) {
		doorbell_page[0] = 1;
		return;
	}
	rt_bulkhead_call(DOORBELL, channel, 0, 0, r);
	if (r[0] != 0)
		printf("doorbells: DOORBELL %u: status %d\n", channel, (int)(int32_t)r[0]);
}

static void ringer(void)
{
	board->burst_done = 0; /* the region holds the last run's */
	board->sent = 0;
	for (uint32_t k = 1; k <= ROUNDS; k++) {
		ring();
		board->sent = k;
		wait_taken(k); /* rung back */
	}
	for (uint32_t i = 0; i < BURST; i++)
		ring();
	board->burst_done = 1;
	wait_taken(ROUNDS + 1u);
	printf("doorbells: rang %u paced and %u in a burst; %u rung back\n", ROUNDS, BURST,
	       (unsigned int)taken);
}

static void receiver(void)
{
	uint32_t masked_early = 0;

	for (uint32_t k = 1; k <= ROUNDS; k++) {
		if (k == MASKED_ROUND) {
			/* Interrupts off since before the ring back that lets
			 * the peer ring k: it arrives while they are. */
			while (board->sent < k)
				;
			masked_early = taken - (k - 1u);
		}
		wait_taken(k);
		if (k + 1u == MASKED_ROUND || k == ROUNDS) /* the last for the burst */
			rt_irq_disable();
		ring();
	}
	while (board->burst_done == 0u)
		;
	uint32_t before = taken;

	wait_taken(ROUNDS + 1u);
	/* A second delivery, if the burst left one pending behind the
	 * first, follows the first's EOI at once: give it a moment. */
	for (volatile unsigned int i = 0; i < 100000u; i++)
		;
	printf("doorbells: %u taken of %u paced, %u of them while my interrupts were off\n",
	       ROUNDS, ROUNDS, (unsigned int)masked_early);
	printf("doorbells: a burst of %u rung while my interrupts were off, taken %u time(s)\n",
	       BURST, (unsigned int)(taken - before));
	ring();
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

	if (reg == NULL || vector == NULL || id == NULL || access == NULL) {
		printf("doorbells: no complete channel node in my device tree\n");
		return 1;
	}
	board = (volatile struct board *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						     fdt32_to_cpu(reg[1]));
	if (reg_len == 32) /* the region, then the doorbell page */
		doorbell_page = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[4]) << 32 |
								  fdt32_to_cpu(reg[5]));
	channel = fdt32_to_cpu(*id);
	my_vector = fdt32_to_cpu(*vector);
	rt_set_lapic_handler(on_vector);
	if (strcmp(access, "rw") == 0)
		ringer();
	else
		receiver();
	return 0;
}
