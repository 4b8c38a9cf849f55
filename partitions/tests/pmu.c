// SPDX-License-Identifier: Apache-2.0
/*
 * The PMU as a partition sees it (arch/arm64/vpmu.c). Without `pmu` in its
 * node: ID_AA64DFR0_EL1.PMUVer 0 and UNDEF on PMCR_EL0. With it, on its
 * first boot: counters that count, but never the hypervisor (instructions
 * and cycles per hypercall with every filter asking for EL2 too: the trap
 * is the hypervisor's, a few hundred instructions, and must not show), the
 * overflow interrupt on the PMU's PPI, and then a restart with the PMU left
 * running, an overflow pending and every control set; on its second boot
 * it prints the PMU's state before touching it: all reset.
 */

#include <stdio.h>

#include <libfdt.h>

#include "rt.h"

#define PMCR_E (1ull << 0)
#define PMCR_P (1ull << 1)
#define PMCR_C (1ull << 2)
#define PMCR_LC (1ull << 6)
#define FILTER_NSH (1ull << 27) /* count at EL2 too, if one could */
#define EVENT_INST_RETIRED 0x08
#define CYCLES (1ull << 31)
#define CALLS 100

/* The PMU's PPI as INTID, from the /pmu node of the partition's DT; 0 if none. */
static unsigned int dt_pmu_intid(void)
{
	int node = rt_fdt != NULL ? fdt_path_offset(rt_fdt, "/pmu") : -1;
	int len;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", &len) : NULL;

	if (irq == NULL || len < 12 || fdt32_to_cpu(irq[0]) != 1)
		return 0;
	return 16 + fdt32_to_cpu(irq[1]);
}

#define VCPU_EXITS 0xc6000004u

static volatile int undefs;
static volatile int overflows;
static volatile unsigned int overflow_intid;

static bool on_undef(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	if ((esr >> 26) != 0)
		return false;
	undefs++;
	f->elr += 4;
	return true;
}

static void on_irq(unsigned int intid)
{
	uint64_t ovs;

	__asm__ volatile("mrs %0, pmovsclr_el0" : "=r"(ovs));
	__asm__ volatile("msr pmovsclr_el0, %0\n\tisb" : : "r"(ovs));
	if (ovs & 1) {
		overflows++;
		overflow_intid = intid;
	}
}

#define READ(name) ({                                          \
	uint64_t v_ = 0xdead;                                  \
	__asm__ volatile("mrs %0, " name : "+r"(v_) : : "memory"); \
	v_;                                                    \
})
#define WRITE(name, v) __asm__ volatile("msr " name ", %0\n\tisb" : : "r"((uint64_t)(v)) : "memory")

static uint64_t counter0(void)
{
	WRITE("pmselr_el0", 0);
	return READ("pmxevcntr_el0");
}

static void not_owner(void)
{
	(void)READ("pmcr_el0");
	printf("pmu: not the owner: PMCR_EL0 read gave %d UNDEF\n", undefs);
	undefs = 0;
	WRITE("pmcr_el0", PMCR_E);
	printf("pmu: not the owner: PMCR_EL0 write gave %d UNDEF\n", undefs);
	undefs = 0;
	(void)READ("pmccntr_el0");
	printf("pmu: not the owner: PMCCNTR_EL0 read gave %d UNDEF\n", undefs);
}

/* Counter 0 on retired instructions and the cycle counter, both asking for
 * EL0, EL1 and EL2, across CALLS hypercalls. */
static void count_hypercalls(void)
{
	uint64_t r[4];

	WRITE("pmcr_el0", PMCR_P | PMCR_C | PMCR_LC);
	WRITE("pmselr_el0", 0);
	WRITE("pmxevtyper_el0", FILTER_NSH | EVENT_INST_RETIRED);
	WRITE("pmccfiltr_el0", FILTER_NSH);
	printf("pmu: filters read back: counter 0 0x%llx, cycles 0x%llx\n",
	       (unsigned long long)READ("pmxevtyper_el0"), (unsigned long long)READ("pmccfiltr_el0"));
	WRITE("pmcntenset_el0", CYCLES | 1);
	WRITE("pmcr_el0", PMCR_E | PMCR_LC);
	uint64_t i0 = counter0(), c0 = READ("pmccntr_el0");

	for (int i = 0; i < CALLS; i++)
		rt_bulkhead_call(VCPU_EXITS, 0, 0, 0, r);
	uint64_t i1 = counter0(), c1 = READ("pmccntr_el0");

	WRITE("pmcr_el0", PMCR_LC);
	printf("pmu: per hypercall: %llu instructions, %llu cycles counted\n",
	       (unsigned long long)((i1 - i0) / CALLS), (unsigned long long)((c1 - c0) / CALLS));
}

/* Counter 1 on SW_INCR, incremented three times by PMSWINC_EL0 (which the
 * hypervisor emulates where it traps the PMU). */
static void software_increments(void)
{
	WRITE("pmselr_el0", 1);
	WRITE("pmxevtyper_el0", 0); /* SW_INCR */
	WRITE("pmxevcntr_el0", 0);
	WRITE("pmcntenset_el0", 2);
	WRITE("pmcr_el0", PMCR_E | PMCR_LC);
	for (int i = 0; i < 3; i++)
		WRITE("pmswinc_el0", 2);
	WRITE("pmselr_el0", 1);
	uint64_t counted = READ("pmxevcntr_el0");

	WRITE("pmcntenclr_el0", 2);
	WRITE("pmcr_el0", PMCR_LC);
	printf("pmu: software increments counted: %llu\n", (unsigned long long)counted);
}

/* Counter 0 just below overflow, its interrupt on: the PPI comes. The wait
 * makes a hypercall per turn: QEMU brings its PMU's counts (and overflows)
 * up to date at exception-level changes and PMU register accesses, not as
 * instructions retire; hardware raises the interrupt at once either way. */
static void overflow(void)
{
	uint64_t r[4];

	rt_set_irq_handler(on_irq);
	rt_gic_enable(dt_pmu_intid(), 0x80);
	WRITE("pmselr_el0", 0);
	WRITE("pmxevtyper_el0", EVENT_INST_RETIRED);
	WRITE("pmxevcntr_el0", 0xffffff00ull);
	WRITE("pmintenset_el1", 1);
	WRITE("pmcntenset_el0", 1);
	WRITE("pmcr_el0", PMCR_E | PMCR_LC);
	rt_irq_enable();
	for (unsigned int turns = 0; overflows == 0 && turns < 1000; turns++)
		rt_bulkhead_call(VCPU_EXITS, 0, 0, 0, r);
	rt_irq_disable();
	printf("pmu: overflow interrupts taken: %d (INTID %u)\n", overflows, overflow_intid);
}

/* Everything set and running, an overflow flagged: then restart. */
static void leave_it_dirty(void)
{
	WRITE("pmintenclr_el1", 1); /* the flag stays, no interrupt storm meanwhile */
	WRITE("pmselr_el0", 0);
	WRITE("pmxevtyper_el0", EVENT_INST_RETIRED | (1ull << 31)); /* P: not EL1 */
	WRITE("pmxevcntr_el0", 0x12345);
	WRITE("pmccntr_el0", 0x6789a);
	WRITE("pmovsset_el0", 1);
	WRITE("pmuserenr_el0", 0xf);
	WRITE("pmcntenset_el0", CYCLES | 1);
	WRITE("pmcr_el0", PMCR_E | PMCR_LC);
	printf("pmu: restarting with the PMU running (counter 0 %llu)\n",
	       (unsigned long long)counter0());
	rt_system_reset();
}

static void after_restart(void)
{
	/* Read before anything else writes: what the restart left. */
	uint64_t pmcr = READ("pmcr_el0");
	uint64_t cnten = READ("pmcntenset_el0");
	uint64_t inten = READ("pmintenset_el1");
	uint64_t ovs = READ("pmovsset_el0");
	uint64_t user = READ("pmuserenr_el0");
	uint64_t ccfilt = READ("pmccfiltr_el0");
	uint64_t ccnt = READ("pmccntr_el0");
	uint64_t type0, cnt0;

	WRITE("pmselr_el0", 0);
	type0 = READ("pmxevtyper_el0");
	cnt0 = READ("pmxevcntr_el0");
	printf("pmu: after restart: PMCR.E %llu, enabled 0x%llx, interrupts 0x%llx, overflows "
	       "0x%llx, EL0 access 0x%llx\n", (unsigned long long)(pmcr & PMCR_E),
	       (unsigned long long)cnten, (unsigned long long)inten, (unsigned long long)ovs,
	       (unsigned long long)user);
	printf("pmu: after restart: counter 0 %llu (filter 0x%llx), cycles %llu (filter 0x%llx)\n",
	       (unsigned long long)cnt0, (unsigned long long)type0, (unsigned long long)ccnt,
	       (unsigned long long)ccfilt);
}

int main(void)
{
	uint64_t dfr0 = READ("id_aa64dfr0_el1");
	unsigned int version = (unsigned int)(dfr0 >> 8) & 0xf;

	rt_set_sync_handler(on_undef);
	printf("pmu: boot %u: ID_AA64DFR0_EL1 PMU field %u, DT PMU interrupt %u\n", rt_boot_count(),
	       version, dt_pmu_intid());
	if (version == 0) {
		not_owner();
	} else if (rt_boot_count() == 1) {
		if (!rt_irq_init())
			printf("pmu: no GIC\n");
		printf("pmu: %llu event counters\n", (unsigned long long)(READ("pmcr_el0") >> 11 & 0x1f));
		count_hypercalls();
		software_increments();
		overflow();
		leave_it_dirty();
	} else {
		after_restart();
	}
	printf("pmu: done\n");
	rt_system_off();
}
