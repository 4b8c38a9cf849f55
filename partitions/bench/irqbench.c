// SPDX-License-Identifier: Apache-2.0
/*
 * Latencies of a partition's interrupts and traps, for make bench (QEMU
 * with -icount shift=0, where 1 ns of counter time is 1 instruction):
 *
 *  vtimer       virtual timer: from its deadline (CNTV_CVAL) to the first
 *               instruction of the IRQ handler, the vCPU waiting in WFI;
 *  sgi          an SGI from vCPU 0 to vCPU 1, which waits in WFI: from the
 *               ICC_SGI1R_EL1 write to the handler's first instruction;
 *  sgi-self     the same, a vCPU sending itself the SGI;
 *  passthrough  the PL031 RTC given to the partition: from the RTCMR write
 *               that raises its SPI at once (QEMU compares with the count
 *               on the write) to the handler's first instruction;
 *  hvc          a null hypercall (SMCCC_VERSION), guest to EL2 and back;
 *  hvc-general  an SMCCC function no one owns (a SiP service call),
 *               answered NOT_SUPPORTED: the general path of every call;
 *  hvc-bulkhead Bulkhead's partition identity call, the same way;
 *  mmio-read    a trapped GICD_TYPER read;
 *  vtimer-running  as vtimer, the vCPU busy in a loop, IRQs unmasked;
 *  sgi-running  an SGI from vCPU 0 to vCPU 1, busy in a loop, and vCPU 1's
 *               reply: from vCPU 0's ICC_SGI1R_EL1 write to its handler for
 *               the reply, vCPU 0 waiting in WFI (the one-way part, to
 *               vCPU 1's handler, is printed as sgi-running-oneway).
 *
 * Handler entries are stamped by stamp_vectors.S; events are triggered
 * right on a counter tick, so both ends are known to a few instructions
 * although the counter ticks every 16. The stamping's own error ("empty")
 * is measured by running the same trigger-and-stamp sequence with no
 * interrupt in between, and subtracted. Traps are timed in loops of
 * TRAP_LOOPS, less the same loop without the trap. Every figure is the
 * median of the samples with their min and max, in instructions. Bootargs:
 * "samples=N" (default 1000). Prints one "irqbench: <name> samples=N
 * median=M min=A max=B empty=E" line per figure.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "bench.h"
#include "rt.h"

#define PPI_VTIMER 27
#define SGI_PING 1
#define SGI_REPLY 2
#define SGI_GO 3 /* vCPU 1: start spinning */
/* How long vCPU 0 sleeps while vCPU 1 starts spinning, in counter ticks:
 * enough for vCPU 1 to take SGI_GO and reach its loop. */
#define SPIN_LEAD_TICKS 128
#define GICD_TYPER 0x0004
#define SMCCC_VERSION 0x80000000u
#define SMCCC_SIP_CALL 0x82000000u /* SiP service, owned by no one here */
#define SMCCC_NOT_SUPPORTED 0xffffffffu /* -1 as an SMC32 call's w0 */
#define BH_PARTITION_ID 0x86000002u
#define TRAP_LOOPS 32
#define MAX_SAMPLES 4000

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCICR 0x1c

static volatile struct irq_stamp taken[2];
static volatile unsigned int timer_fired, pings, replies, rtc_fired, gos;
static volatile bool finished, spinning, ping_while_idle;
static volatile uint32_t *rtc;
static unsigned int rtc_intid;
static int64_t samples_buf[MAX_SAMPLES];

/* The trigger is bench_store_on_tick() (bench.h); an SGI is a system-register
 * write on a GICv3, so it has its own copy. */
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
	return bench_ticks_to_ns(now) + 1 + 3;
}

/* SGI @sgi to vCPU @target on a tick: ICC_SGI1R_EL1 on a GICv3, a store
 * to GICD_SGIR (trapped and emulated) on a GICv2. */
static uint64_t sgi_on_tick(unsigned int sgi, unsigned int target)
{
	if (rt_gicc != 0)
		return bench_store_on_tick((volatile uint32_t *)(rt_gicd + RT_GICD_SGIR),
				     (1u << target) << 16 | sgi);
	return send_sgi_on_tick((uint64_t)sgi << 24 | 1u << target);
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
		rt_irq_enable();
	}
	rt_irq_enable();
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
	} else if (intid == SGI_GO) {
		gos++;
	} else if (intid == SGI_PING) {
		pings++;
		if (me == 1) {
			ping_while_idle |= !spinning;
			/* The stamp is visible before the reply arrives. */
			__asm__ volatile("dsb ish" : : : "memory");
			rt_send_sgi(SGI_REPLY, 1u << 0);
		}
	} else if (intid == SGI_REPLY) {
		replies++;
	} else if (rtc != NULL && intid == rtc_intid) {
		rtc[RTCIMSC / 4] = 0;
		rtc[RTCICR / 4] = 1;
		rtc_fired++;
	}
}

static void bench_vtimer(unsigned int samples, int64_t empty)
{
	for (unsigned int i = 0; i < samples; i++) {
		/* Far enough ahead that the WFI is reached first. */
		uint64_t deadline = rt_counter() + 64 + i % 7;

		rt_vtimer_arm(deadline);
		wait_for(&timer_fired, i + 1);
		samples_buf[i] = (int64_t)(bench_entry_ns(taken[0].tick, taken[0].spins) - bench_ticks_to_ns(deadline));
	}
	bench_report("irqbench", "vtimer", samples_buf, samples, empty);
}

/* As bench_vtimer, the vCPU busy in a loop with IRQs unmasked when its
 * deadline comes (under icount the deadline ends QEMU's turn on this CPU,
 * the only one running, so nothing else is in the figure). */
static void bench_vtimer_running(unsigned int samples, int64_t empty)
{
	unsigned int base = timer_fired;

	for (unsigned int i = 0; i < samples; i++) {
		uint64_t deadline = rt_counter() + 64 + i % 7;

		rt_vtimer_arm(deadline);
		while (timer_fired != base + i + 1)
			__asm__ volatile("" : : : "memory");
		samples_buf[i] = (int64_t)(bench_entry_ns(taken[0].tick, taken[0].spins) - bench_ticks_to_ns(deadline));
	}
	bench_report("irqbench", "vtimer-running", samples_buf, samples, empty);
}

static void bench_sgi_self(unsigned int samples, int64_t empty)
{
	for (unsigned int i = 0; i < samples; i++) {
		uint64_t sent = sgi_on_tick(SGI_PING, 0);

		/* Taken on the way back from the trap, before this line. */
		if (pings != i + 1) {
			printf("irqbench: self SGI %u not taken at once\n", i);
			psci_system_off();
		}
		samples_buf[i] = (int64_t)(bench_entry_ns(taken[0].tick, taken[0].spins) - sent);
	}
	pings = 0;
	bench_report("irqbench", "sgi-self", samples_buf, samples, empty);
}

static void second(uint64_t arg)
{
	(void)arg;
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_vectors));
	rt_gic_cpu_init();
	rt_gic_enable(SGI_PING, 0x80);
	rt_irq_enable();
	rt_gic_enable(SGI_GO, 0x80);
	rt_send_sgi(SGI_REPLY, 1u << 0); /* ready */
	while (!finished) {
		unsigned int p = pings, g = gos;

		/* Sleep until pinged, or told to spin (then busy until pinged). */
		for (;;) {
			irq_mask();
			if (pings != p || gos != g || finished)
				break;
			__asm__ volatile("wfi" : : : "memory");
			rt_irq_enable();
		}
		rt_irq_enable();
		if (gos != g) {
			spinning = true;
			while (pings == p && !finished)
				__asm__ volatile("" : : : "memory");
			spinning = false;
		}
	}
	psci_cpu_off();
}

static void bench_sgi_cross(unsigned int samples, int64_t empty)
{
	replies = 0;
	if (psci_cpu_on(1, second, 0) != 0) {
		printf("irqbench: vCPU 1 did not start\n");
		psci_system_off();
	}
	wait_for(&replies, 1);
	for (unsigned int i = 0; i < samples; i++) {
		uint64_t sent = sgi_on_tick(SGI_PING, 1);

		/* vCPU 1 stamps its entry and replies; sleep until then. */
		wait_for(&replies, i + 2);
		samples_buf[i] = (int64_t)(bench_entry_ns(taken[1].tick, taken[1].spins) - sent);
	}
	bench_report("irqbench", "sgi", samples_buf, samples, empty);
}

/*
 * An SGI to vCPU 1 busy in a loop, and its reply. vCPU 0 tells vCPU 1 to
 * spin and sleeps in WFI on its own timer meanwhile: under QEMU's round
 * robin, vCPU 1 then spins until that deadline ends its turn, and vCPU 0
 * sends the SGI on a tick and goes to WFI; vCPU 1, still spinning, takes
 * it at the start of its next turn and replies; vCPU 0 wakes for the
 * reply. So only vCPU 0 runs while it sends, and only vCPU 1 while it
 * receives: no spinning neighbour's turn is in the figure.
 */
static void bench_sgi_running(unsigned int samples, int64_t empty)
{
	static int64_t oneway[MAX_SAMPLES];

	ping_while_idle = false; /* bench_sgi_cross's were sent to an idle vCPU */
	for (unsigned int i = 0; i < samples; i++) {
		unsigned int fired = timer_fired, r = replies;

		rt_send_sgi(SGI_GO, 1u << 1);
		rt_vtimer_arm(rt_counter() + SPIN_LEAD_TICKS);
		wait_for(&timer_fired, fired + 1);
		uint64_t sent = sgi_on_tick(SGI_PING, 1);

		wait_for(&replies, r + 1);
		samples_buf[i] = (int64_t)(bench_entry_ns(taken[0].tick, taken[0].spins) - sent);
		oneway[i] = (int64_t)(bench_entry_ns(taken[1].tick, taken[1].spins) - sent);
	}
	if (ping_while_idle) {
		printf("irqbench: vCPU 1 was not spinning when an SGI came\n");
		psci_system_off();
	}
	bench_report("irqbench", "sgi-running", samples_buf, samples, empty);
	bench_report("irqbench", "sgi-running-oneway", oneway, samples, empty);
}

/*
 * The match interrupt fires when RTCMR is written equal to the count,
 * which moves once a second: a write just after the count moved on never
 * matches, and is done again.
 */
static void bench_passthrough(unsigned int samples, int64_t empty)
{
	for (unsigned int i = 0; i < samples;) {
		unsigned int fired = rtc_fired;
		uint32_t count = rtc[RTCDR / 4];

		rtc[RTCIMSC / 4] = 1;
		uint64_t sent = bench_store_on_tick(&rtc[RTCMR / 4], count);

		if (rtc_fired == fired && !(rtc[RTCRIS / 4] & 1))
			continue; /* the count moved on before the write: no match */
		wait_for(&rtc_fired, fired + 1);
		samples_buf[i++] = (int64_t)(bench_entry_ns(taken[0].tick, taken[0].spins) - sent);
	}
	bench_report("irqbench", "passthrough", samples_buf, samples, empty);
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

/* Counter ticks for @loops hypercalls of function @fn, or the same loop
 * with a nop in place of the hvc. x0-x3 are the call's results (SMCCC
 * 1.1), every other register is preserved. */
static uint64_t hvc_loop_ticks(uint64_t loops, bool call, uint64_t fn)
{
	register uint64_t x0 __asm__("x0");
	uint64_t start, end;

	if (call)
		__asm__ volatile("mrs %1, cntvct_el0\n"
				 "1:\tmov %0, %4\n\t"
				 "hvc #0\n\t"
				 "subs %3, %3, #1\n\t"
				 "b.ne 1b\n\t"
				 "mrs %2, cntvct_el0"
				 : "=&r"(x0), "=&r"(start), "=&r"(end), "+r"(loops)
				 : "r"(fn)
				 : "x1", "x2", "x3", "cc", "memory");
	else
		__asm__ volatile("mrs %1, cntvct_el0\n"
				 "1:\tmov %0, %4\n\t"
				 "nop\n\t"
				 "subs %3, %3, #1\n\t"
				 "b.ne 1b\n\t"
				 "mrs %2, cntvct_el0"
				 : "=&r"(x0), "=&r"(start), "=&r"(end), "+r"(loops)
				 : "r"(fn)
				 : "x1", "x2", "x3", "cc", "memory");
	(void)x0;
	return end - start;
}

static volatile uint32_t ram_word;
static uintptr_t gicd_typer;

static uint64_t hvc_loop(bool trap)
{
	return hvc_loop_ticks(TRAP_LOOPS, trap, SMCCC_VERSION);
}

static uint64_t hvc_general_loop(bool trap)
{
	return hvc_loop_ticks(TRAP_LOOPS, trap, SMCCC_SIP_CALL);
}

static uint64_t hvc_bulkhead_loop(bool trap)
{
	return hvc_loop_ticks(TRAP_LOOPS, trap, BH_PARTITION_ID);
}

/* What the timed calls answer, checked once: a figure of a call that
 * went wrong would mean nothing. */
static void check_calls(void)
{
	uint64_t r[4];

	smccc_call(SMCCC_SIP_CALL, 0, 0, 0, r);
	if (r[0] != SMCCC_NOT_SUPPORTED) {
		printf("irqbench: SiP call answered 0x%llx, not NOT_SUPPORTED\n",
		       (unsigned long long)r[0]);
		psci_system_off();
	}
	smccc_call(BH_PARTITION_ID, 0, 0, 0, r);
	if (r[1] != vcpu() || r[2] != 2) {
		printf("irqbench: partition identity answered vCPU %llu of %llu\n",
		       (unsigned long long)r[1], (unsigned long long)r[2]);
		psci_system_off();
	}
}

/* The trapping load reads GICD_TYPER; the plain one a word of RAM. */
static uint64_t mmio_loop(bool trap)
{
	return load_loop_ticks(trap ? gicd_typer : (uintptr_t)&ram_word, TRAP_LOOPS);
}

/*
 * One trap figure. Per sample: TRAP_LOOPS of the trapping loop less
 * TRAP_LOOPS of the same loop without the trap, per iteration, rounded;
 * "empty" is the latter.
 */
static void bench_trap(const char *name, uint64_t (*loop)(bool trap), unsigned int samples)
{
	int64_t empty;

	for (unsigned int i = 0; i < samples; i++)
		samples_buf[i] = (int64_t)(bench_ticks_to_ns(loop(false)) * 2 + TRAP_LOOPS) /
				 (2 * TRAP_LOOPS);
	empty = bench_median(samples_buf, samples);
	for (unsigned int i = 0; i < samples; i++) {
		int64_t trapped = (int64_t)bench_ticks_to_ns(loop(true));
		int64_t plain = (int64_t)bench_ticks_to_ns(loop(false));

		samples_buf[i] = (trapped - plain) / TRAP_LOOPS + empty;
	}
	bench_report("irqbench", name, samples_buf, samples, empty);
}

static void bench_traps(unsigned int samples)
{
	gicd_typer = (uintptr_t)rt_gicd_reg(GICD_TYPER);
	check_calls();
	irq_mask();
	bench_trap("hvc", hvc_loop, samples);
	bench_trap("hvc-general", hvc_general_loop, samples);
	bench_trap("hvc-bulkhead", hvc_bulkhead_loop, samples);
	bench_trap("mmio-read", mmio_loop, samples);
	rt_irq_enable();
}

/* The PL031 given to the partition, if any, with its SPI enabled. */
static void find_rtc(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl031");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", NULL) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", NULL) : NULL;

	if (reg == NULL || irq == NULL)
		return;
	rtc = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						 fdt32_to_cpu(reg[1]));
	rtc_intid = fdt32_to_cpu(irq[1]) + 32;
	rt_gic_enable_spi(rtc_intid, 0x80);
}

int main(void)
{
	unsigned int samples = (unsigned int)rt_bootarg_u64("samples", 1000);

	bench_hz = rt_counter_hz();
	if (samples == 0 || samples > MAX_SAMPLES || bench_hz == 0 || !rt_gic_init()) {
		printf("irqbench: needs 1..%u samples, a counter frequency and a GIC\n", MAX_SAMPLES);
		psci_system_off();
	}
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(bench_vectors));
	rt_set_irq_handler(on_irq);
	rt_gic_enable(PPI_VTIMER, 0x80);
	rt_gic_enable(SGI_PING, 0x80);
	rt_gic_enable(SGI_REPLY, 0x80);
	find_rtc();
	printf("irqbench: counter %llu Hz, %u samples%s\n", (unsigned long long)bench_hz, samples,
	       rtc != NULL ? ", PL031 passthrough" : "");
	bench_traps(samples);
	irq_mask();
	int64_t empty = bench_stamp_empty_cost(samples_buf, samples);

	rt_irq_enable();
	bench_vtimer(samples, empty);
	bench_vtimer_running(samples, empty);
	bench_sgi_self(samples, empty);
	if (rtc != NULL)
		bench_passthrough(samples, empty);
	bench_sgi_cross(samples, empty);
	bench_sgi_running(samples, empty);
	finished = true;
	rt_send_sgi(SGI_PING, 1u << 1);
	printf("irqbench: done\n");
	psci_system_off();
}
