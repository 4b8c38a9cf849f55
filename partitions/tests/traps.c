// SPDX-License-Identifier: Apache-2.0
/*
 * What a guest may not do, or may only see filtered: PMU registers are
 * UNDEF, ID registers hide EL2 and the PMU, unknown firmware calls return
 * NOT_SUPPORTED, WFE returns, set/way maintenance and ACTLR_EL1 are
 * emulated. Each result is printed for the test to check.
 */

#include <stdio.h>

#include "rt.h"

static volatile int undefs;

static bool on_undef(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	if ((esr >> 26) != 0) /* only "unknown reason" (UNDEF) is expected */
		return false;
	undefs++;
	f->elr += 4;
	return true;
}

#define READ_SYSREG(name) ({                                   \
	uint64_t v_ = 0xdead;                                  \
	__asm__ volatile("mrs %0, " name : "+r"(v_));          \
	v_;                                                    \
})

int main(void)
{
	rt_set_sync_handler(on_undef);

	(void)READ_SYSREG("pmcr_el0");
	printf("traps: PMCR_EL0 read gave %d UNDEF\n", undefs);
	undefs = 0;
	__asm__ volatile("msr pmcr_el0, %0" : : "r"(1ull));
	printf("traps: PMCR_EL0 write gave %d UNDEF\n", undefs);

	uint64_t pfr0 = READ_SYSREG("id_aa64pfr0_el1");
	uint64_t dfr0 = READ_SYSREG("id_aa64dfr0_el1");

	printf("traps: ID_AA64PFR0_EL1 EL2 field %llu, EL1 field %llu\n",
	       (unsigned long long)((pfr0 >> 8) & 0xf), (unsigned long long)((pfr0 >> 4) & 0xf));
	printf("traps: ID_AA64DFR0_EL1 PMU field %llu\n", (unsigned long long)((dfr0 >> 8) & 0xf));
	printf("traps: ACTLR_EL1 reads 0x%llx\n", (unsigned long long)READ_SYSREG("actlr_el1"));

	undefs = 0;
	__asm__ volatile("dc isw, %0" : : "r"(0ull) : "memory");
	__asm__ volatile("wfe");
	printf("traps: set/way and WFE gave %d UNDEF\n", undefs);

	printf("traps: unknown HVC returns %lld\n", (long long)psci_call(0xc6000000, 1, 2, 3));
	uint64_t x0 = 0x82000010;

	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	printf("traps: unknown SMC returns 0x%llx\n", (unsigned long long)x0);
	printf("traps: SMCCC_VERSION 0x%llx, PSCI_FEATURES(CPU_ON) %lld, PSCI_FEATURES(0x84000077) %lld\n",
	       (unsigned long long)psci_call(0x80000000, 0, 0, 0),
	       (long long)psci_call(0x8400000a, 0xc4000003, 0, 0),
	       (long long)psci_call(0x8400000a, 0x84000077, 0, 0));
	printf("traps: CPU_SUSPEND returns %lld\n", (long long)psci_call(0xc4000001, 0, 0, 0));
	printf("traps: done\n");
	psci_system_off();
}
