/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the benchmark partitions (irqbench, chanbench, msi's bench mode) share: the entry
 * stamps of stamp_vectors.S, the counter's time, and the statistics every
 * figure is reported with (QEMU -icount shift=0: 1 ns is 1 instruction).
 */
#ifndef PARTITIONS_BENCH_BENCH_H
#define PARTITIONS_BENCH_BENCH_H

#include <stdint.h>

#include "bench_stats.h"

struct irq_stamp {
	uint64_t tick;  /* the counter at the handler's second instruction */
	uint64_t spins; /* 4-instruction spins until it moved on */
};

/* Written by stamp_vectors.S, one per vCPU. */
extern volatile struct irq_stamp bench_irq_stamps[8];
extern char bench_vectors[];
/* stamp_vectors.S: the trigger loop followed by a stamp, no interrupt. */
uint64_t bench_stamp_calibrate(volatile struct irq_stamp *out);

/* The counter's frequency: each program sets it first (rt_counter_hz()). */
extern uint64_t bench_hz;

/* Counter ticks to ns. Inline: it runs between a trigger and the wait for
 * what it triggered, where a call would show in the figures. */
static inline uint64_t bench_ticks_to_ns(uint64_t t)
{
	return t / bench_hz * 1000000000ull + t % bench_hz * 1000000000ull / bench_hz;
}

/*
 * The trigger: a store right after the counter moves on to a new tick, so
 * its time is known: the read that saw the new tick is one of the 3
 * instructions of the loop, the store comes 3 after it. Returns that time.
 * Inline, like bench_ticks_to_ns(), so no call stands between the two.
 */
static inline uint64_t bench_store_on_tick(volatile uint32_t *addr, uint32_t value)
{
	uint64_t start, now;

	__asm__ volatile("mrs %0, cntvct_el0\n"
			 "1:\tmrs %1, cntvct_el0\n\t"
			 "cmp %1, %0\n\t"
			 "b.eq 1b\n\t"
			 "str %w2, [%3]\n\t"
			 "isb"
			 : "=&r"(start), "=&r"(now) : "r"(value), "r"(addr) : "cc", "memory");
	return bench_ticks_to_ns(now) + 1 + 3;
}

/* When the handler whose entry was stamped (@tick, @spins) ran its first
 * instruction. */
uint64_t bench_entry_ns(uint64_t tick, uint64_t spins);

/* The stamping's own error: the trigger loop straight into a stamp, @samples
 * times (in @buf), the median. */
int64_t bench_stamp_empty_cost(int64_t *buf, unsigned int samples);


#endif
