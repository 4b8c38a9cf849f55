// SPDX-License-Identifier: Apache-2.0
/*
 * Channel figures for make bench (QEMU -icount shift=0: 1 ns of counter
 * time is 1 instruction), between partitions "ping" and "pong" on one
 * channel:
 *
 *  doorbell   ping's doorbell hypercall (HVC) to the first instruction of
 *             pong's IRQ handler, pong waiting in WFI;
 *  roundtrip  ping writes a message and rings; pong's handler checks it,
 *             writes the reply and rings back; to the first instruction of
 *             ping's handler, ping waiting in WFI.
 *
 * Entries are stamped by stamp_vectors.S; the HVC is issued right on a
 * counter tick (as irqbench triggers its interrupts), and the stamping's
 * own error ("empty", bench_stamp_calibrate) is subtracted. pong passes its
 * stamp to ping in the shared region. Bootargs: "samples=N" (default
 * 1000). ping prints one "chanbench: <name> samples=N median=M min=A max=B
 * empty=E" line per figure, in instructions.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "bench.h"
#include "rt.h"

#define BH_DOORBELL 0x86000010u
#define MAX_SAMPLES 4000

/* The shared region: each word written by one side only. */
struct shared {
	volatile uint64_t message;  /* ping: sample number + 1 */
	uint64_t pad0[7];
	volatile uint64_t reply;    /* pong: the message it saw */
	volatile uint64_t pong_tick; /* pong's entry stamp for that message */
	volatile uint64_t pong_spins;
	uint64_t pad1[5];
};

static struct shared *shared;
static uint64_t channel_id;
static unsigned int doorbell_intid;
static volatile unsigned int rings;
static volatile struct irq_stamp taken;
static bool is_pong;
static int64_t bell_samples[MAX_SAMPLES], trip_samples[MAX_SAMPLES];

static void ring_peer(void)
{
	uint64_t r[4];

	smccc_call(BH_DOORBELL, channel_id, 0, 0, r);
}

/* The doorbell HVC right after the counter moves on to a new tick: the
 * read that saw the new tick is one of the loop's 3 instructions, the HVC
 * comes 3 after it. Returns the HVC's time in ns. */
static uint64_t ring_on_tick(void)
{
	register uint64_t x0 __asm__("x0") = BH_DOORBELL;
	register uint64_t x1 __asm__("x1") = channel_id;
	uint64_t start, now;

	__asm__ volatile("mrs %2, cntvct_el0\n"
			 "1:\tmrs %3, cntvct_el0\n\t"
			 "cmp %3, %2\n\t"
			 "b.eq 1b\n\t"
			 "hvc #0"
			 : "+r"(x0), "+r"(x1), "=&r"(start), "=&r"(now)
			 : : "x2", "x3", "cc", "memory");
	return bench_ticks_to_ns(now) + 1 + 3;
}

static void on_irq(unsigned int intid)
{
	if (intid != doorbell_intid)
		return;
	taken.tick = bench_irq_stamps[0].tick;
	taken.spins = bench_irq_stamps[0].spins;
	rings++;
	if (is_pong && shared->message != 0) {
		shared->pong_tick = taken.tick;
		shared->pong_spins = taken.spins;
		__asm__ volatile("dmb ish" : : : "memory");
		shared->reply = shared->message;
		__asm__ volatile("dmb ish" : : : "memory");
		ring_peer();
	}
}

/* WFI until @n doorbells, IRQs masked around the check. */
static void wait_rings(unsigned int n)
{
	for (;;) {
		rt_irq_disable();
		if (rings >= n)
			break;
		__asm__ volatile("wfi" : : : "memory");
		rt_irq_enable();
	}
	rt_irq_enable();
}

static void ping(unsigned int samples)
{
	int64_t empty = bench_stamp_empty_cost(bell_samples, samples);

	wait_rings(1); /* pong is ready */
	for (unsigned int i = 0; i < samples; i++) {
		shared->message = i + 1;
		__asm__ volatile("dmb ish" : : : "memory");
		uint64_t sent = ring_on_tick();

		wait_rings(i + 2);
		if (shared->reply != i + 1) {
			printf("chanbench: reply %llu to message %u\n",
			       (unsigned long long)shared->reply, i + 1);
			psci_system_off();
		}
		bell_samples[i] = (int64_t)(bench_entry_ns(shared->pong_tick, shared->pong_spins) - sent);
		trip_samples[i] = (int64_t)(bench_entry_ns(taken.tick, taken.spins) - sent);
	}
	bench_report("chanbench", "doorbell", bell_samples, samples, empty);
	bench_report("chanbench", "roundtrip", trip_samples, samples, empty);
	shared->message = 0;
	ring_on_tick(); /* pong: done */
	printf("chanbench: done\n");
}

static void pong(unsigned int samples)
{
	ring_peer(); /* ready */
	wait_rings(samples + 1);
}

int main(void)
{
	unsigned int samples = (unsigned int)rt_bootarg_u64("samples", 1000);
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "bulkhead,channel");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;
	const fdt32_t *id = node >= 0 ? fdt_getprop(rt_fdt, node, "bulkhead,channel-id", NULL)
				      : NULL;

	bench_hz = rt_counter_hz();
	if (samples == 0 || samples > MAX_SAMPLES || bench_hz == 0 || reg == NULL || irq == NULL ||
	    id == NULL || !rt_gic_init()) {
		printf("chanbench: needs 1..%u samples, a channel and a GIC\n", MAX_SAMPLES);
		psci_system_off();
	}
	shared = (struct shared *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
					       fdt32_to_cpu(reg[1]));
	channel_id = fdt32_to_cpu(*id);
	doorbell_intid = fdt32_to_cpu(irq[1]) + 32;
	is_pong = strcmp(rt_partition_name(), "pong") == 0;
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_vectors));
	rt_set_irq_handler(on_irq);
	rt_gic_enable_spi(doorbell_intid, 0x80);
	rt_irq_enable();
	if (is_pong)
		pong(samples);
	else
		ping(samples);
	psci_system_off();
}
