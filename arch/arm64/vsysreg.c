// SPDX-License-Identifier: Apache-2.0
/*
 * Trapped system register accesses. The ID registers are trapped (HCR_EL2.
 * TID3) so a guest sees only features it may use; set/way cache maintenance
 * (TSW) is made harmless to neighbours; ACTLR_EL1 (TACR) reads as zero.
 * SGIs a guest sends (ICC_SGI1R_EL1, trapped by HCR_EL2.IMO) go to the
 * vGIC; the PMU registers of a partition that owns the PMU to vpmu.c.
 * Anything else that traps (the PMU of others, implementation defined, RAS
 * error records) is UNDEF.
 */

#include <arch/guest.h>
#include <arch/guest_skip.h>
#include <arch/sysreg.h>

/* ISS of a trapped MSR/MRS/SYS: Op0, Op2, Op1, CRn, Rt, CRm, direction. */
struct sysreg_access {
	unsigned int op0, op1, crn, crm, op2;
	unsigned int rt;
	bool read;
};

static struct sysreg_access decode(uint64_t esr)
{
	return (struct sysreg_access){
		.op0 = (unsigned int)(esr >> 20) & 3,
		.op2 = (unsigned int)(esr >> 17) & 7,
		.op1 = (unsigned int)(esr >> 14) & 7,
		.crn = (unsigned int)(esr >> 10) & 15,
		.rt = (unsigned int)(esr >> 5) & 31,
		.crm = (unsigned int)(esr >> 1) & 15,
		.read = (esr & 1) != 0,
	};
}

#define FIELD(shift) (0xfull << (shift))

/* Features hidden from guests: not virtualised, or not safe to share. */
#define PFR0_HIDDEN (FIELD(8) /* EL2 */ | FIELD(12) /* EL3 */ | FIELD(28) /* RAS */ | \
		     FIELD(32) /* SVE */ | FIELD(40) /* MPAM */ | FIELD(44) /* AMU */)
#define PFR1_HIDDEN (FIELD(8) /* MTE */ | FIELD(12) /* RAS_frac: RAS is hidden */ | \
		     FIELD(24) /* SME */ | FIELD(28) /* RNDR_trap */)
#define DFR0_HIDDEN (FIELD(4) /* trace */ | FIELD(8) /* PMU */ | FIELD(32) /* SPE */ | \
		     FIELD(44) /* trace buffer */)

/* The ID register space is Op0 3, Op1 0, CRn 0, CRm 1-7. A partition
 * that owns its CPUs' PMU (@pmu) sees it in ID_AA64DFR0_EL1. */
static uint64_t id_register(unsigned int crm, unsigned int op2, bool pmu)
{
	switch (crm << 3 | op2) {
	case 4 << 3 | 0:
		return read_sysreg(id_aa64pfr0_el1) & ~PFR0_HIDDEN;
	case 4 << 3 | 1:
		return read_sysreg(id_aa64pfr1_el1) & ~PFR1_HIDDEN;
	case 5 << 3 | 0:
		return read_sysreg(id_aa64dfr0_el1) & ~(pmu ? DFR0_HIDDEN & ~FIELD(8) : DFR0_HIDDEN);
	case 5 << 3 | 1:
		return read_sysreg(id_aa64dfr1_el1);
	case 6 << 3 | 0:
		return read_sysreg(id_aa64isar0_el1);
	case 6 << 3 | 1:
		return read_sysreg(id_aa64isar1_el1);
	case 7 << 3 | 0:
		return read_sysreg(id_aa64mmfr0_el1);
	case 7 << 3 | 1:
		return read_sysreg(id_aa64mmfr1_el1);
	case 7 << 3 | 2:
		return read_sysreg(id_aa64mmfr2_el1);
	/* AArch32 ID registers: this hypervisor runs no AArch32 guests. */
	default:
		return 0; /* unallocated and hidden registers read as zero */
	}
}

/* DC ISW/CSW/CISW: Op0 1, Op1 0, CRn 7, CRm 6/10/14, Op2 2. */
static bool set_way(const struct sysreg_access *a, uint64_t value)
{
	if (a->op0 != 1 || a->op1 != 0 || a->crn != 7 || a->op2 != 2)
		return false;
	if (a->crm != 6 && a->crm != 10 && a->crm != 14)
		return false;
	/*
	 * Invalidating by set/way would discard other partitions' dirty lines
	 * sharing the cache: every set/way operation cleans as well.
	 */
	__asm__ volatile("dc cisw, %0" : : "r"(value) : "memory");
	return true;
}

/* ISS of an MSR to ICC_SGI1R_EL1 (op0 3, op1 0, CRn 12, CRm 11, op2 5,
 * direction 0: a write), less its Rt field (bits 9:5). */
#define ISS_SYSREG_MASK 0x3fffffu
#define ISS_SYSREG_RT (31u << 5)
#define ISS_ICC_SGI1R_WRITE 0x3a3016u

bool guest_sysreg(struct vcpu *v, struct exception_frame *f)
{
	uint32_t iss = (uint32_t)f->esr & ISS_SYSREG_MASK;

	/* Every SGI a guest sends comes here: recognised by one compare
	 * before the general decode (which also refuses its read). */
	if ((iss & ~ISS_SYSREG_RT) == ISS_ICC_SGI1R_WRITE) {
		unsigned int rt = (iss & ISS_SYSREG_RT) >> 5;

		vgic_send_sgi(v, rt == 31u ? 0u : f->x[rt]);
		guest_skip_instruction(f);
		return true;
	}
	struct sysreg_access a = decode(f->esr);
	uint64_t *reg = a.rt == 31 ? NULL : &f->x[a.rt];
	uint64_t value = reg != NULL ? *reg : 0;

	if (a.op0 == 3 && a.op1 == 0 && a.crn == 12 && a.crm == 11 && a.op2 == 5) {
		if (a.read)
			return false; /* ICC_SGI1R_EL1 is write-only */
		vgic_send_sgi(v, value);
	} else if (a.op0 == 3 && a.op1 == 0 && a.crn == 0 && a.crm >= 1 && a.crm <= 7) {
		if (!a.read)
			return false;
		if (reg != NULL)
			*reg = id_register(a.crm, a.op2, v->part->arch.pmu_ppi != 0u);
	} else if (a.op0 == 3 && a.op1 == 0 && a.crn == 1 && a.crm == 0 && a.op2 == 1) {
		if (a.read && reg != NULL)
			*reg = 0; /* ACTLR_EL1: RAZ/WI */
	} else if (a.op0 == 3U && (a.crn == 9U || a.crn == 14U)) {
		if (!vpmu_sysreg(v, a.op1, a.crn, a.crm, a.op2, a.read, &value))
			return false;
		if (a.read && reg != NULL)
			*reg = value;
	} else if (a.read || !set_way(&a, value)) {
		return false;
	} else {
		/* a set/way operation, done by set_way() */
	}
	guest_skip_instruction(f);
	return true;
}
