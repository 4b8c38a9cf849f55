// SPDX-License-Identifier: Apache-2.0
/*
 * What a guest may not do, or may only see filtered: PMU registers are
 * UNDEF, ID registers hide EL2 and the PMU, unknown firmware calls return
 * NOT_SUPPORTED, WFE returns, set/way maintenance and ACTLR_EL1 are
 * emulated; SMCCC_VERSION answers the same by HVC (the hypervisor's fast
 * path) as by SMC (its full trap path). Each result is printed for the
 * test to check.
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

/* The function ID is w0: the upper half of x0 must not matter. The fast
 * path may change x0 only. */
static void smccc_version_both_ways(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = 0x1111;
	register uint64_t x2 __asm__("x2") = 0x2222;
	register uint64_t x3 __asm__("x3") = 0x3333;
	register uint64_t x17 __asm__("x17") = 0x1717;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x17) : : "memory");
	uint64_t by_hvc = x0;
	bool kept = x1 == 0x1111 && x2 == 0x2222 && x3 == 0x3333 && x17 == 0x1717;

	x0 = fn;
	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	printf("traps: SMCCC_VERSION as 0x%llx: by HVC 0x%llx (x1-x3, x17 %s), by SMC 0x%llx\n",
	       (unsigned long long)fn, (unsigned long long)by_hvc, kept ? "kept" : "CHANGED",
	       (unsigned long long)x0);
}

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
	smccc_version_both_ways(0x80000000);
	smccc_version_both_ways(0xffffffff80000000ull);
	printf("traps: done\n");
	psci_system_off();
}
