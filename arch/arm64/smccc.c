// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC calls from guests, by owner (function ID bits 29:24): one table
 * says which services the hypervisor provides and who answers them. The
 * HVC #0 path in vectors.S indexes it before saving anything, so a call to
 * a service no one provides is answered NOT_SUPPORTED there; calls by SMC
 * (or HVC with another immediate) come here through guest_trap and find
 * their owner in the same table.
 */

#include <arch/guest.h>

/* SMC32 results are 32 bits wide, SMC64 ones full width. */
static uint64_t smccc_result(uint32_t fn, int64_t ret)
{
	return (fn & SMCCC_SMC64) != 0u ? (uint64_t)ret : (uint64_t)(uint32_t)ret;
}

/* The architecture's calls and PSCI (vpsci.c): most change a vCPU or the
 * partition, so all are checked after. */
static bool arch_standard_call(struct vcpu *v, struct exception_frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];

	f->x[0] = smccc_result(fn, guest_psci_call(v, fn, f->x));
	return true;
}

const smccc_owner_fn smccc_owners[SMCCC_OWNERS] = {
	[SMCCC_OWNER_ARCH] = arch_standard_call,
	[SMCCC_OWNER_STANDARD] = arch_standard_call,
	[SMCCC_OWNER_VENDOR_HYP] = guest_vendor_hyp_call, /* Bulkhead's own */
};

void guest_firmware_call(struct vcpu *v, struct exception_frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];
	unsigned int owner = SMCCC_OWNER(fn);

	if (smccc_owners[owner] != NULL)
		(void)smccc_owners[owner](v, f); /* guest_trap checks the vCPU after every trap */
	else
		f->x[0] = smccc_result(fn, SMCCC_RET_NOT_SUPPORTED);
}
