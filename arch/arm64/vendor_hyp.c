// SPDX-License-Identifier: Apache-2.0
/*
 * Calls in the SMCCC Vendor Specific Hypervisor Service range (owner 6)
 * by SMC, or HVC with an immediate other than 0 (HVC #0 goes from
 * vectors.S straight to hypercall_table): registers in, registers out.
 * What each call does, and its validation, is core's (core/hypercall.c,
 * docs/hypercalls.md).
 */

#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include <arch/guest.h>

bool guest_vendor_hyp_call(struct vcpu *v, struct exception_frame *f)
{
	const struct hypercall call = {
		.fn = (uint32_t)f->x[0],
		.arg = {f->x[1], f->x[2], f->x[3]},
		.caller = v->part,
		.vcpu = v->index,
	};

	return hypercall_dispatch(&call, &f->x[0]);
}
