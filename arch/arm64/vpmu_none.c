// SPDX-License-Identifier: Apache-2.0
/*
 * PMU ownership left out of the build (PMU=n, docs/building.md): replaces
 * vpmu.c. No partition owns a PMU (core/pmu_none.c refuses `pmu`), so each
 * gets what vpmu.c gives a partition that does not own it: the PMU's
 * registers trapped (MDCR_EL2.TPM, TPMCR), and those traps answered with
 * UNDEF (vsysreg.c), while ID_AA64DFR0_EL1 says there is no PMU. The
 * hypervisor never uses the PMU, so there is nothing to reset: no guest
 * can have set anything in it.
 */

#include <bulkhead/partition.h>

#include <arch/guest.h>
#include <arch/sysreg.h>

#define MDCR_HPMN_MASK 0x1fULL
#define MDCR_TPMCR (1ULL << 5)
#define MDCR_TPM (1ULL << 6)

enum bh_err vpmu_partition_init(struct partition *part, const struct platform *p)
{
	(void)part;
	(void)p;
	return BH_OK;
}

void vpmu_vcpu_reset(struct vcpu *v)
{
	/* HPMN as the firmware left it: the counters' split is not ours. */
	uint64_t hpmn = read_sysreg(mdcr_el2) & MDCR_HPMN_MASK;

	(void)v;
	write_sysreg(mdcr_el2, MDCR_TPM | MDCR_TPMCR | hpmn);
	isb();
}

bool vpmu_sysreg(const struct vcpu *v, unsigned int op1, unsigned int crn, unsigned int crm,
		 unsigned int op2, bool read, uint64_t *value)
{
	(void)v;
	(void)op1;
	(void)crn;
	(void)crm;
	(void)op2;
	(void)read;
	(void)value;
	return false;
}
