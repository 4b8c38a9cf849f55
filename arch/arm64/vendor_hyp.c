// SPDX-License-Identifier: Apache-2.0
/*
 * Calls in the SMCCC Vendor Specific Hypervisor Service range (owner 6):
 * the standard UID and revision queries, and BH_HYPERCALL_VERSION
 * (docs/hypercalls.md). Every other function in the range returns
 * NOT_SUPPORTED, as unknown firmware calls do.
 */

#include <bulkhead/boot.h>
#include <bulkhead/health.h>
#include <bulkhead/hypercall.h>

#include <arch/guest.h>

#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_SMC64 0x40000000u

void guest_vendor_hyp_call(struct exception_frame *f)
{
	uint32_t fn = (uint32_t)f->x[0];

	switch (fn) {
	case BH_HYPERCALL_CALL_UID:
		f->x[0] = BH_HYPERCALL_UID_0;
		f->x[1] = BH_HYPERCALL_UID_1;
		f->x[2] = BH_HYPERCALL_UID_2;
		f->x[3] = BH_HYPERCALL_UID_3;
		return;
	case BH_HYPERCALL_REVISION:
		f->x[0] = BH_HYPERCALL_REVISION_MAJOR;
		f->x[1] = BH_HYPERCALL_REVISION_MINOR;
		return;
	case BH_HYPERCALL_VERSION:
		hypercall_pack_version(bulkhead_version, &f->x[0]);
		return;
	default:
		if (health_hypercall(vcpu_for_cpu(arch_cpu_index()), fn, &f->x[0]))
			return;
		/* SMC32 results are 32 bits wide; SMC64 ones full width. */
		f->x[0] = (fn & SMCCC_SMC64) ? (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED
					     : (uint32_t)SMCCC_NOT_SUPPORTED;
		return;
	}
}
