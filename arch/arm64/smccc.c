// SPDX-License-Identifier: Apache-2.0
/*
 * SMCCC calls from guests, by owner (function ID bits 29:24): one table
 * says which services the hypervisor provides and who answers them. The
 * HVC #0 path in vectors.S indexes it before saving anything, so a call to
 * a service no one provides is answered NOT_SUPPORTED there, and an owned
 * one goes to its HVC entry (Bulkhead's straight to its handler's slot);
 * calls by SMC (or HVC with another immediate) come here through
 * guest_trap and find their owner's C entry in the same table.
 */

#include <stddef.h>

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

/* Owner @o: where its calls by HVC #0 go (vectors.S), and its C entry.
 * One line each, so the two columns cannot fall out of step. */
#define OWNER(o, hvc_entry, c_entry) .hvc[(o)] = (hvc_entry), .call[(o)] = (c_entry)

const struct smccc_owner_table smccc_owners = {
	OWNER(SMCCC_OWNER_ARCH, smccc_hvc_c, arch_standard_call),
	OWNER(SMCCC_OWNER_STANDARD, smccc_hvc_c, arch_standard_call),
	/* Bulkhead's own: by HVC straight to hypercall_table's slot. */
	OWNER(SMCCC_OWNER_VENDOR_HYP, smccc_hvc_bulkhead, guest_vendor_hyp_call),
};

/* vectors.S reads the second column at this offset (SMCCC_OWNER_CALLS). */
_Static_assert(offsetof(struct smccc_owner_table, call) == SMCCC_OWNERS * 8u, "owner table layout");

void guest_firmware_call(struct vcpu *v, struct exception_frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];
	unsigned int owner = SMCCC_OWNER(fn);

	if (smccc_owners.call[owner] != NULL)
		(void)smccc_owners.call[owner](v, f); /* guest_trap checks the vCPU after every trap */
	else
		f->x[0] = smccc_result(fn, SMCCC_RET_NOT_SUPPORTED);
}
