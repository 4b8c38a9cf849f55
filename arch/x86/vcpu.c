// SPDX-License-Identifier: Apache-2.0
/* Placeholder until the SVM vCPU lands. */

#include <bulkhead/arch.h>
#include <bulkhead/partition.h>

enum bh_err arch_partition_init(struct partition *part, const struct platform *p)
{
	(void)part;
	(void)p;
	return BH_ERR_UNSUPPORTED;
}

void arch_sync_guest_memory(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
}

void arch_vcpu_reset(struct vcpu *vcpu)
{
	(void)vcpu;
}

void arch_vcpu_enter(struct vcpu *vcpu)
{
	(void)vcpu;
}
