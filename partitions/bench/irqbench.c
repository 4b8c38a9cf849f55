// SPDX-License-Identifier: Apache-2.0
/*
 * Interrupt and trap latencies of a partition, for make bench (QEMU with
 * -icount shift=0, where 1 ns of counter time is 1 instruction):
 *
 *  vtimer   virtual timer: from its deadline (CNTV_CVAL) to the first
 *           instruction of the IRQ handler, the vCPU waiting in WFI;
 *  sgi-self an SGI a vCPU sends itself: from the ICC_SGI1R_EL1 write to
 *           the handler's first instruction;
 *  sgi      the same from vCPU 0 to vCPU 1, which waits in WFI;
 *  gicd     one trapped GICD_TYPER read, from the time of 1000 of them
 *           less that of 1000 loads from RAM in the same loop.
 *
 * Handler entries are stamped by stamp_vectors.S; SGIs are sent right on
 * a counter tick, so both ends are known to a few instructions although
 * the counter ticks every 16. Bootargs: "samples=N" (default 200).
 * Prints one "irqbench: <name> samples=N mean_ns=M.MM min_ns=A max_ns=B"
 * line per figure.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define PPI_VTIMER 27
#define SGI_PING 1
#define SGI_REPLY 2
#define GICD_TYPER 0x0004
#define TRAP_LOOPS 1000
#define MAX_SAMPLES 1000

struct irq_stamp {
	uint64_t tick; /* the counter at the handler's second instruction */
	uint64_t spins; /* 4-instruction spins until it moved on */
};

/* Written by stamp_vectors.S, one per vCPU. */
volatile struct irq_stamp bench_irq_stamps[8];
extern char bench_vectors[];

struct stats {
	uint64_t n, sum, min, max;
};

static uint64_t hz;
static volatile struct irq_stamp taken[2];
static volatile unsigned int timer_fired, pings, replies;
static volatile bool finished;

static uint64_t ticks_to_ns(uint64_t t)
{
	return t / hz * 1000000000ull + t % hz * 1000000000ull / hz;
}

/*
 * When the handler's first instruction ran. Spin n read the counter
 * 1 + 4n instructions after it and saw the first tick after the stamp's,
 * so the entry lies in the 4 instructions ending 1 + 4n before that tick
 * (1 ns per instruction: icount shift=0); this is the middle of them.
 */
static uint64_t entry_ns(volatile const struct irq_stamp *s)
{
	return ticks_to_ns(s->tick + 1) - 4 * s->spins + 1;
}

/*
 * Write ICC_SGI1R_EL1 right after the counter moves on to a new tick, so
 * the write's time is known: the read that saw the new tick is one of the
 * 3 instructions of the loop, the write comes 3 after it. Returns that
 * time, in ns.
 */
static uint64_t send_sgi_on_tick(uint64_t sgi1r)
{
	uint64_t start, now;

	__asm__ volatile("mrs %0, cntvct_el0\n"
			 "1:\tmrs %1, cntvct_el0\n\t"
			 "cmp %1, %0\n\t"
			 "b.eq 1b\n\t"
			 "msr S3_0_C12_C11_5, %2\n\t"
			 "isb"
			 : "=&r"(start), "=&r"(now) : "r"(sgi1r) : "cc", "memory");
	return ticks_to_ns(now) + 1 + 3;
}

static void irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

/* Sleep in WFI until *flag reaches @n, as an OS idle loop does: IRQs masked
 * around the check, so one that comes in between still ends the WFI. */
static void wait_for(volatile unsigned int *flag, unsigned int n)
{
	for (;;) {
		irq_mask();
		if (*flag >= n)
			break;
		__asm__ volatile("wfi" : : : "memory");
		rt_irq_unmask();
	}
	rt_irq_unmask();
}

static unsigned int vcpu(void)
{
	return (unsigned int)(rt_mpidr() & 7);
}

static void on_irq(unsigned int intid)
{
	unsigned int me = vcpu();

	if (me < 2) {
		taken[me].tick = bench_irq_stamps[me].tick;
		taken[me].spins = bench_irq_stamps[me].spins;
	}
	if (intid == PPI_VTIMER) {
		rt_vtimer_stop();
		timer_fired++;
	} else if (intid == SGI_PING) {
		pings++;
		if (me == 1) {
			/* The stamp is visible before the reply arrives. */
			__asm__ volatile("dsb ish" : : : "memory");
			rt_send_sgi(SGI_REPLY, 1u << 0);
		}
	} else if (intid == SGI_REPLY) {
		replies++;
	}
}

static void add(struct stats *s, uint64_t ns)
{
	s->n++;
	s->sum += ns;
	s->min = ns < s->min ? ns : s->min;
	s->max = ns > s->max ? ns : s->max;
}

static void report(const char *name, const struct stats *s)
{
	uint64_t centi = s->n ? s->sum * 100 / s->n : 0;

	printf("irqbench: %s samples=%llu mean_ns=%llu.%02llu min_ns=%llu max_ns=%llu\n", name,
	       (unsigned long long)s->n, (unsigned long long)(centi / 100),
	       (unsigned long long)(centi % 100), (unsigned long long)s->min,
	       (unsigned long long)s->max);
}

static void bench_vtimer(unsigned int samples)
{
	struct stats s = {.min = ~0ull};

	for (unsigned int i = 0; i < samples; i++) {
		/* Far enough ahead that the WFI is reached first. */
		uint64_t deadline = rt_counter() + 64 + i % 7;

		rt_vtimer_arm(deadline);
		wait_for(&timer_fired, i + 1);
		add(&s, entry_ns(&taken[0]) - ticks_to_ns(deadline));
	}
	report("vtimer", &s);
}

static void bench_sgi_self(unsigned int samples)
{
	struct stats s = {.min = ~0ull};

	for (unsigned int i = 0; i < samples; i++) {
		uint64_t sent = send_sgi_on_tick((uint64_t)SGI_PING << 24 | 1u << 0);

		/* Taken on the way back from the trap, before this line. */
		if (pings != i + 1) {
			printf("irqbench: self SGI %u not taken at once\n", i);
			psci_system_off();
		}
		add(&s, entry_ns(&taken[0]) - sent);
	}
	pings = 0;
	report("sgi-self", &s);
}

static void second(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_vectors));
	rt_gic_cpu_init();
	rt_gic_enable(SGI_PING, 0x80);
	rt_irq_unmask();
	rt_send_sgi(SGI_REPLY, 1u << 0); /* ready */
	while (!finished)
		wait_for(&pings, pings + 1);
	psci_cpu_off();
}

static void bench_sgi_cross(unsigned int samples)
{
	struct stats s = {.min = ~0ull};

	replies = 0;
	if (psci_cpu_on(1, second, 0) != 0) {
		printf("irqbench: vCPU 1 did not start\n");
		psci_system_off();
	}
	wait_for(&replies, 1);
	for (unsigned int i = 0; i < samples; i++) {
		uint64_t sent = send_sgi_on_tick((uint64_t)SGI_PING << 24 | 1u << 1);

		/* vCPU 1 stamps its entry and replies; sleep until then. */
		wait_for(&replies, i + 2);
		add(&s, entry_ns(&taken[1]) - sent);
	}
	finished = true;
	rt_send_sgi(SGI_PING, 1u << 1);
	report("sgi", &s);
}

/* Counter ticks for @loops loads from @addr, IRQs masked. */
static uint64_t load_loop_ticks(uintptr_t addr, uint64_t loops)
{
	uint64_t start, end, scratch;

	__asm__ volatile("mrs %0, cntvct_el0\n"
			 "1:\tldr %w2, [%3]\n\t"
			 "subs %4, %4, #1\n\t"
			 "b.ne 1b\n\t"
			 "mrs %1, cntvct_el0"
			 : "=&r"(start), "=&r"(end), "=&r"(scratch), "+r"(addr), "+r"(loops)
			 : : "cc", "memory");
	return end - start;
}

static void bench_gicd_trap(unsigned int samples)
{
	static volatile uint32_t ram_word;
	struct stats s = {.min = ~0ull};
	uintptr_t typer = (uintptr_t)rt_gicd_reg(GICD_TYPER);

	irq_mask();
	for (unsigned int i = 0; i < samples; i++) {
		uint64_t trapped = ticks_to_ns(load_loop_ticks(typer, TRAP_LOOPS));
		uint64_t plain = ticks_to_ns(load_loop_ticks((uintptr_t)&ram_word, TRAP_LOOPS));

		add(&s, (trapped - plain + TRAP_LOOPS / 2) / TRAP_LOOPS);
	}
	rt_irq_unmask();
	report("gicd-read", &s);
}

/* "name=N" from bootargs, or @fallback. */
static unsigned int bootarg(const char *name, unsigned int fallback)
{
	int chosen = fdt_path_offset(rt_fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(rt_fdt, chosen, "bootargs", NULL) : NULL;
	const char *b = args != NULL ? strstr(args, name) : NULL;

	return b != NULL ? (unsigned int)strtoul(b + strlen(name), NULL, 10) : fallback;
}

int main(void)
{
	unsigned int samples = bootarg("samples=", 200);

	hz = rt_counter_hz();
	if (samples == 0 || samples > MAX_SAMPLES || hz == 0 || !rt_gic_init()) {
		printf("irqbench: needs 1..%u samples, a counter frequency and a GIC\n", MAX_SAMPLES);
		psci_system_off();
	}
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_vectors));
	rt_set_irq_handler(on_irq);
	rt_gic_enable(PPI_VTIMER, 0x80);
	rt_gic_enable(SGI_PING, 0x80);
	rt_gic_enable(SGI_REPLY, 0x80);
	printf("irqbench: counter %llu Hz, %u samples\n", (unsigned long long)hz, samples);
	bench_gicd_trap(samples < 10 ? samples : 10);
	rt_irq_unmask();
	bench_vtimer(samples);
	bench_sgi_self(samples);
	bench_sgi_cross(samples);
	printf("irqbench: done\n");
	psci_system_off();
}
