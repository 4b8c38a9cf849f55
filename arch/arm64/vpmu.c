// SPDX-License-Identifier: Apache-2.0
/*
 * The PMU of a partition that owns its CPUs' PMU (`pmu` in the binding).
 * Each vCPU is pinned to its own CPU, so the owner gets that CPU's PMU
 * itself, not an emulation: every counter (MDCR_EL2.HPMN = PMCR_EL0.N),
 * its overflow PPI (mirrored and HW-injected like the guest timers, vgic.c)
 * and its registers; the hypervisor never uses the PMU. What the owner must
 * not get is a count of the hypervisor's own execution:
 *
 * - with PMUv3p5 (ID_AA64DFR0_EL1.PMUVer >= 6) MDCR_EL2.HPMD prohibits
 *   event counting at EL2 and HCCD cycle counting: nothing is trapped;
 * - before it there is no such control for the cycle counter (HPMD covers
 *   PMCCNTR_EL0 only while PMCR_EL0.DP is set, a guest's bit), and plain
 *   PMUv3 (Cortex-A53/A57/A72, QEMU's cortex-a57) has no HPMD at all: the
 *   only control is each counter's filter, whose NSH bit asks for EL2. So
 *   the PMU registers are trapped (MDCR_EL2.TPM, TPMCR) and passed through
 *   here, with NSH cleared from every filter the guest writes: EL2 reads as
 *   not implemented, as on a CPU without it. A PMU access costs a trap; the
 *   counting itself none.
 *
 * A partition that does not own the PMU sees ID_AA64DFR0_EL1.PMUVer = 0
 * (vsysreg.c) and gets UNDEF on the trapped registers. On every vCPU
 * (re)start the PMU is reset: counters zeroed and stopped, filters,
 * interrupt enables and overflow flags cleared, so a restart leaves nothing
 * behind.
 */

#include <bulkhead/console.h>
#include <bulkhead/partition.h>

#include <arch/guest.h>
#include <arch/sysreg.h>

#define DFR0_PMUVER(dfr0) (((dfr0) >> 8) & 0xfu)
#define PMUVER_NONE 0u
#define PMUVER_V3 1u
#define PMUVER_V3P1 4u
#define PMUVER_V3P5 6u
#define PMUVER_IMPDEF 0xfu

#define MDCR_HPMN_MASK 0x1fULL
#define MDCR_TPMCR (1ULL << 5)
#define MDCR_TPM (1ULL << 6)
#define MDCR_HPMD (1ULL << 17)
#define MDCR_HCCD (1ULL << 23)

#define PMCR_P (1ULL << 1) /* zero the event counters */
#define PMCR_C (1ULL << 2) /* zero the cycle counter */
#define PMCR_N(pmcr) (((pmcr) >> 11) & 0x1fu)

/* A register of CRn 9 by CRm and Op2, as a switch key. */
#define REG(crm, op2) ((crm) * 8U + (op2))

#define PMEVTYPER_NSH (1ULL << 27) /* count at EL2 */
#define PMEVTYPER_EVENT 0xffffULL
#define EVENT_SW_INCR 0U
#define PMCR_E (1ULL << 0)
#define CYCLE_COUNTER 31u          /* PMSELR_EL0 value for PMCCFILTR_EL0 */

static unsigned int cpu_pmu_version(void)
{
	return (unsigned int)DFR0_PMUVER(read_sysreg(id_aa64dfr0_el1));
}

static bool pmu_implemented(unsigned int version)
{
	return version != PMUVER_NONE && version != PMUVER_IMPDEF;
}

enum bh_err vpmu_partition_init(struct partition *part, const struct platform *p)
{
	const struct partition_config *cfg = part->cfg;
	unsigned int version = cpu_pmu_version();

	if (!cfg->pmu)
		return BH_OK;
	/* The DT's side was validated (config_validate.c); the CPU's is here. */
	if (!pmu_implemented(version)) {
		log_printf("error: partition %s: property 'pmu': the CPU has no PMUv3 "
			   "(ID_AA64DFR0_EL1.PMUVer %u)\n", cfg->name, version);
		return BH_ERR_UNSUPPORTED;
	}
	part->arch.pmu_ppi = 1u << p->pmu_irq;
	part->arch.pmu_trap = version < PMUVER_V3P5;
	return BH_OK;
}

/* Select counter @n (31: the cycle counter's filter) for PMXEV*. */
static void select_counter(uint64_t n)
{
	uint64_t selection = n;

	write_sysreg(pmselr_el0, selection);
	isb();
}

/* Every counter stopped and zeroed, every filter, interrupt enable and
 * overflow flag cleared, EL0 access off: as after a reset. At EL2, where
 * PMCR_EL0.P zeroes all event counters, whatever HPMN says. */
static void reset_pmu(unsigned int counters)
{
	write_sysreg(pmcntenclr_el0, ~0ULL);
	write_sysreg(pmintenclr_el1, ~0ULL);
	write_sysreg(pmovsclr_el0, ~0ULL);
	write_sysreg(pmuserenr_el0, 0);
	write_sysreg(pmccfiltr_el0, 0);
	for (unsigned int n = 0; n < counters; n++) {
		select_counter(n);
		write_sysreg(pmxevtyper_el0, 0);
	}
	select_counter(0);
	write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
	isb();
}

void vpmu_vcpu_reset(struct vcpu *v)
{
	const struct partition_arch *a = &v->part->arch;
	unsigned int version = cpu_pmu_version();
	uint64_t hpmn = read_sysreg(mdcr_el2) & MDCR_HPMN_MASK;
	uint64_t mdcr;

	if (!pmu_implemented(version)) {
		write_sysreg(mdcr_el2, MDCR_TPM | MDCR_TPMCR | hpmn);
		return;
	}
	unsigned int counters = PMCR_N(read_sysreg(pmcr_el0));

	if (a->pmu_ppi != 0u) {
		/* Every counter the guest's; EL2 never counted (above). */
		mdcr = counters | (version >= PMUVER_V3P1 ? MDCR_HPMD : 0ULL) |
		       (version >= PMUVER_V3P5 ? MDCR_HCCD : 0ULL) |
		       (a->pmu_trap ? MDCR_TPM | MDCR_TPMCR : 0ULL);
	} else {
		mdcr = MDCR_TPM | MDCR_TPMCR | hpmn |
		       (version >= PMUVER_V3P1 ? MDCR_HPMD : 0ULL);
	}
	write_sysreg(mdcr_el2, mdcr);
	isb();
	reset_pmu(counters);
}

/*
 * PMSWINC_EL0. Written at EL2, the increments would count only where the
 * filters allow EL2, which they never do here; so they are done by hand, as
 * the architecture defines them: each counter named, enabled (PMCR_EL0.E
 * and PMCNTENSET_EL0) and on event SW_INCR counts one, and flags an
 * overflow when its 32 bits wrap (PMUv3p5's 64-bit counters do not trap).
 */
static void software_increment(uint64_t which)
{
	uint64_t selected = read_sysreg(pmselr_el0);
	uint64_t pmcr = read_sysreg(pmcr_el0);
	uint64_t counting = (pmcr & PMCR_E) != 0U ? which & read_sysreg(pmcntenset_el0) : 0U;
	unsigned int counters = (unsigned int)PMCR_N(pmcr);

	for (unsigned int n = 0; n < counters; n++) {
		if (((counting >> n) & 1U) == 0U)
			continue;
		select_counter(n);
		if ((read_sysreg(pmxevtyper_el0) & PMEVTYPER_EVENT) != EVENT_SW_INCR)
			continue;
		uint64_t count = (read_sysreg(pmxevcntr_el0) + 1U) & 0xffffffffULL;

		write_sysreg(pmxevcntr_el0, count);
		if (count == 0U)
			write_sysreg(pmovsset_el0, 1ULL << n);
	}
	select_counter(selected);
}

/* PMEVTYPER<n>_EL0, PMXEVTYPER_EL0, PMCCFILTR_EL0: never EL2. */
static uint64_t without_el2(uint64_t value)
{
	return value & ~PMEVTYPER_NSH;
}

/* PMEVCNTR<n>_EL0 (@type false) or PMEVTYPER<n>_EL0 through PMSELR_EL0,
 * which is put back: the guest's own selection is the guest's state. */
static bool counter_register(unsigned int n, bool type, bool read, uint64_t *value)
{
	uint64_t selected = read_sysreg(pmselr_el0);

	if (n != CYCLE_COUNTER && n >= PMCR_N(read_sysreg(pmcr_el0)))
		return false; /* no such counter: UNDEF */
	if (n == CYCLE_COUNTER && !type)
		return false; /* PMEVCNTR31 does not exist */
	select_counter(n);
	if (read)
		*value = type ? read_sysreg(pmxevtyper_el0) : read_sysreg(pmxevcntr_el0);
	else if (type)
		write_sysreg(pmxevtyper_el0, without_el2(*value));
	else
		write_sysreg(pmxevcntr_el0, *value);
	select_counter(selected);
	return true;
}

/* Op1 3, CRn 9, CRm 12-14: the EL0 registers; false if no such one (or a
 * write to a read-only one). */
static bool el0_register(unsigned int crm, unsigned int op2, bool read, uint64_t *value)
{
	uint64_t v = *value;

	switch (REG(crm, op2)) {
	case REG(12U, 0U):
		if (read)
			v = read_sysreg(pmcr_el0);
		else
			write_sysreg(pmcr_el0, v);
		break;
	case REG(12U, 1U):
		if (read)
			v = read_sysreg(pmcntenset_el0);
		else
			write_sysreg(pmcntenset_el0, v);
		break;
	case REG(12U, 2U):
		if (read)
			v = read_sysreg(pmcntenclr_el0);
		else
			write_sysreg(pmcntenclr_el0, v);
		break;
	case REG(12U, 3U):
		if (read)
			v = read_sysreg(pmovsclr_el0);
		else
			write_sysreg(pmovsclr_el0, v);
		break;
	case REG(12U, 4U):
		if (read)
			return false; /* PMSWINC_EL0 is write-only */
		software_increment(v);
		break;
	case REG(12U, 5U):
		if (read)
			v = read_sysreg(pmselr_el0);
		else
			write_sysreg(pmselr_el0, v);
		break;
	case REG(12U, 6U):
		if (!read)
			return false;
		v = read_sysreg(pmceid0_el0);
		break;
	case REG(12U, 7U):
		if (!read)
			return false;
		v = read_sysreg(pmceid1_el0);
		break;
	case REG(13U, 0U):
		if (read)
			v = read_sysreg(pmccntr_el0);
		else
			write_sysreg(pmccntr_el0, v);
		break;
	case REG(13U, 1U):
		/* PMXEVTYPER_EL0: the selected counter's filter (31: PMCCFILTR). */
		if (read)
			v = read_sysreg(pmxevtyper_el0);
		else
			write_sysreg(pmxevtyper_el0, without_el2(v));
		break;
	case REG(13U, 2U):
		if (read)
			v = read_sysreg(pmxevcntr_el0);
		else
			write_sysreg(pmxevcntr_el0, v);
		break;
	case REG(14U, 0U):
		if (read)
			v = read_sysreg(pmuserenr_el0);
		else
			write_sysreg(pmuserenr_el0, v);
		break;
	case REG(14U, 3U):
		if (read)
			v = read_sysreg(pmovsset_el0);
		else
			write_sysreg(pmovsset_el0, v);
		break;
	default:
		return false;
	}
	*value = v;
	return true;
}

/* Op1 0, CRn 9, CRm 14: PMINTENSET_EL1, PMINTENCLR_EL1, PMMIR_EL1. */
static bool el1_register(unsigned int op2, bool read, uint64_t *value)
{
	switch (op2) {
	case 1:
		if (read)
			*value = read_sysreg(pmintenset_el1);
		else
			write_sysreg(pmintenset_el1, *value);
		return true;
	case 2:
		if (read)
			*value = read_sysreg(pmintenclr_el1);
		else
			write_sysreg(pmintenclr_el1, *value);
		return true;
	case 6:
		if (!read)
			return false;
		*value = read_sysreg(S3_0_C9_C14_6); /* PMMIR_EL1 (PMUv3p4) */
		return true;
	default:
		return false;
	}
}

bool vpmu_sysreg(const struct vcpu *v, unsigned int op1, unsigned int crn, unsigned int crm,
		 unsigned int op2, bool read, uint64_t *value)
{
	bool done;

	if (!v->part->arch.pmu_trap)
		return false; /* not an owner, or an owner whose PMU does not trap */
	if (op1 == 3U && crn == 9U && crm >= 12U && crm <= 14U)
		done = el0_register(crm, op2, read, value);
	else if (op1 == 0U && crn == 9U && crm == 14U)
		done = el1_register(op2, read, value);
	else if (op1 == 3U && crn == 14U && crm >= 8U)
		done = counter_register((crm & 3U) * 8U + op2, crm >= 12U, read, value);
	else
		return false;
	isb();
	return done;
}
