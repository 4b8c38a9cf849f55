// SPDX-License-Identifier: Apache-2.0
/*
 * x86-64 latencies for make bench, under QEMU -icount shift=0, where the
 * TSC counts virtual nanoseconds and so instructions (under bochs, with
 * clock sync=none, instructions too): a hypercall round trip (Bulkhead's
 * revision call, through the core dispatcher), a read of an
 * emulated local APIC register (a nested page fault, the guest's
 * instruction fetched and decoded), and the local APIC timer's lateness in
 * TSC-deadline mode (from the deadline to the handler's first read of the
 * TSC). Each figure is reported less the cost of reading the TSC.
 */

#include "../bench/bench_stats.h"
#include "bench_empty.h"
#include "rt.h"

#define SAMPLES 1000
#define TIMER_SAMPLES 200
#define TIMER_VECTOR 0x40
#define SHOT_NS 20000u
#define HC_REVISION 0x8600ff03u
#define MSR_TSC_DEADLINE 0x6e0u
#define LVT_TSC_DEADLINE (1u << 18)

static int64_t samples[SAMPLES];
static volatile uint64_t fired_at;

static void on_vector(unsigned int vector)
{
	if (vector == TIMER_VECTOR)
		fired_at = rt_counter();
}

/* Bulkhead's revision call by VMCALL or VMMCALL. The one the CPU lacks is
 * a #UD exit, taken as the hypercall once its bytes are fetched and
 * decoded: on Intel both are measured, on AMD only VMMCALL (VMCALL's #UD
 * is not intercepted there). */
static void hypercall_roundtrip(int64_t empty, bool vmcall)
{
	for (unsigned int i = 0; i < SAMPLES; i++) {
		uint64_t rax = HC_REVISION, rbx = 0, rcx = 0, rdx = 0;
		uint64_t start = rt_counter();

		if (vmcall)
			__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : :
					 "memory");
		else
			__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : :
					 "memory");
		samples[i] = (int64_t)(rt_counter() - start);
	}
	bench_report("xbench", vmcall ? "vmcall_roundtrip" : "vmmcall_roundtrip", samples, SAMPLES,
		     empty);
}

static void mmio_read(int64_t empty)
{
	for (unsigned int i = 0; i < SAMPLES; i++) {
		uint64_t start = rt_counter();

		(void)rt_lapic_read(RT_LAPIC_VERSION);
		samples[i] = (int64_t)(rt_counter() - start);
	}
	bench_report("xbench", "mmio_trap_read", samples, SAMPLES, empty);
}

static void timer_lateness(int64_t empty)
{
	rt_set_lapic_handler(on_vector);
	rt_lapic_write(RT_LAPIC_SVR, 0x1ff);
	rt_lapic_write(RT_LAPIC_LVT_TIMER, LVT_TSC_DEADLINE | TIMER_VECTOR);
	rt_irq_enable();
	for (unsigned int i = 0; i < TIMER_SAMPLES; i++) {
		fired_at = 0;
		uint64_t deadline = rt_counter() + SHOT_NS; /* -icount: 1 TSC tick per ns */

		rt_wrmsr(MSR_TSC_DEADLINE, deadline);
		while (fired_at == 0)
			rt_wait_event();
		samples[i] = (int64_t)(fired_at - deadline);
	}
	rt_irq_disable();
	bench_report("xbench", "vtimer_latency", samples, TIMER_SAMPLES, empty);
}

int main(void)
{
	int64_t empty = bench_tsc_empty_cost(samples, SAMPLES);

	if (rt_use_vmcall)
		hypercall_roundtrip(empty, true);
	hypercall_roundtrip(empty, false);
	mmio_read(empty);
	timer_lateness(empty);
	return 0;
}
