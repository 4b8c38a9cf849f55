// SPDX-License-Identifier: Apache-2.0
/*
 * Every class of SMCCC call by HVC #0, through the hypervisor's short-frame
 * path (arch/arm64/vectors.S): the architecture's own calls, PSCI, Bulkhead's
 * calls, and functions no one here provides (another owner's, a yielding
 * call, an unknown ID in an owned range), in both SMC32 and SMC64 forms. For
 * each it prints x0-x3 as returned and whether x4-x30 kept their values
 * (SMCCC 1.1); the test checks the values. Then it spins with every
 * register set while its virtual timer interrupts it, and says whether the
 * registers came through the interrupts (the IRQ's short frame). Before
 * the interrupts, it counts the exits a call costs with VCPU_EXITS (one
 * wherever the call is answered, SMCCC_VERSION's fast path excepted).
 */

#include <stdio.h>

#include "rt.h"

#define PPI_VTIMER 27
#define IRQ_PERIOD_TICKS 64   /* about 1000 instructions */
#define SPIN_ITERATIONS 200000 /* a few hundred interrupts */
#define VCPU_EXITS 0xc6000004u

uint64_t smccc_regs_call(uint64_t fn, const uint64_t args[3], uint64_t res[4]);
uint64_t regs_survive_spin(uint64_t iterations);

struct call {
	const char *name;
	uint32_t fn;
	uint64_t args[3];
};

static const struct call calls[] = {
	{"SMCCC_VERSION", 0x80000000u, {0, 0, 0}},
	{"SMCCC_ARCH_FEATURES", 0x80000001u, {0x80008000u, 0, 0}},
	{"PSCI_VERSION", 0x84000000u, {0, 0, 0}},
	{"PSCI_FEATURES(CPU_ON64)", 0x8400000au, {0xc4000003u, 0, 0}},
	{"PSCI_FEATURES(MIGRATE)", 0x8400000au, {0x84000005u, 0, 0}},
	{"AFFINITY_INFO64(0)", 0xc4000004u, {0, 0, 0}},
	{"AFFINITY_INFO64(1)", 0xc4000004u, {1, 0, 0}},
	{"MIGRATE_INFO_TYPE", 0x84000006u, {0, 0, 0}},
	{"PSCI MIGRATE", 0x84000005u, {0, 0, 0}},
	{"SiP32", 0x82000000u, {1, 2, 3}},
	{"OEM64", 0xc3000001u, {1, 2, 3}},
	{"TrustedOS32", 0xb2000000u, {1, 2, 3}},
	{"yielding", 0x02000000u, {1, 2, 3}},
	{"CALL_UID", 0x8600ff01u, {0, 0, 0}},
	{"PARTITION_ID", 0x86000002u, {0, 0, 0}},
	{"CONSOLE_WRITE(17)", 0xc6000003u, {17, 0, 0}},
	{"CONSOLE_WRITE(0)", 0xc6000003u, {0, 0, 0}}, /* acts (nothing to write): checked after */
	{"VERSION32", 0x86000001u, {0, 0, 0}},        /* its slot holds the SMC64 ID only */
	{"vendor 0x3e", 0x8600003eu, {0, 0, 0}},      /* folds onto CALL_UID's slot */
	{"vendor unknown32", 0x86000099u, {0, 0, 0}},
	{"vendor unknown64", 0xc6000099u, {0, 0, 0}},
};

/* Exits taken by one call of @fn: VCPU_EXITS around it, less the second
 * VCPU_EXITS's own (no interrupt is enabled yet). */
static uint64_t exits_of(uint32_t fn)
{
	uint64_t r[4], before;

	rt_bulkhead_call(VCPU_EXITS, 0, 0, 0, r);
	before = r[1];
	smccc_call(fn, 1, 2, 3, r);
	rt_bulkhead_call(VCPU_EXITS, 0, 0, 0, r);
	return r[1] - before - 1u;
}

static volatile unsigned int irqs;
static uint64_t deadline;

static void on_irq(unsigned int intid)
{
	if (intid != PPI_VTIMER)
		return;
	irqs++;
	deadline += IRQ_PERIOD_TICKS;
	rt_vtimer_arm(deadline);
}

int main(void)
{
	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		uint64_t r[4];
		uint64_t changed = smccc_regs_call(calls[i].fn, calls[i].args, r);

		printf("smccc: %s: x0 0x%llx x1 0x%llx x2 0x%llx x3 0x%llx, x4-x30 %s 0x%llx\n",
		       calls[i].name, (unsigned long long)r[0], (unsigned long long)r[1],
		       (unsigned long long)r[2], (unsigned long long)r[3],
		       changed ? "CHANGED" : "kept", (unsigned long long)changed);
	}
	/* Unowned (answered in the vector), a Bulkhead query (its handler, no
	 * checks after), a Bulkhead call that acts (checked after), PSCI (C,
	 * checked after), SMCCC_VERSION (the fast path). */
	printf("smccc: exits per call: SiP32 %llu, PARTITION_ID %llu, DOORBELL %llu, "
	       "PSCI_VERSION %llu, SMCCC_VERSION %llu\n", (unsigned long long)exits_of(0x82000000u),
	       (unsigned long long)exits_of(0x86000002u), (unsigned long long)exits_of(0x86000010u),
	       (unsigned long long)exits_of(0x84000000u), (unsigned long long)exits_of(0x80000000u));

	if (!rt_gic_init()) {
		printf("smccc: no GIC in my device tree\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_gic_enable(PPI_VTIMER, 0x80);
	deadline = rt_counter() + IRQ_PERIOD_TICKS;
	rt_vtimer_arm(deadline);
	rt_irq_enable();
	uint64_t changed = regs_survive_spin(SPIN_ITERATIONS);

	rt_vtimer_stop();
	printf("smccc: spin with %u interrupts: x2-x30 %s 0x%llx\n", irqs,
	       changed ? "CHANGED" : "kept", (unsigned long long)changed);
	printf("smccc: done\n");
	psci_system_off();
}
