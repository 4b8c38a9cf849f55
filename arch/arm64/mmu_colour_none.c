// SPDX-License-Identifier: Apache-2.0
/*
 * Cache colouring left out of the build (COLOUR=n, docs/building.md):
 * replaces mmu_colour.c and colour_switch.S, the coloured hypervisor's
 * move. The configuration refuses `bulkhead,hypervisor-colours`
 * (core/colour_none.c), so the boot never asks for a move: as on a port
 * that does not colour the hypervisor (arch/x86/mmu.c), there is nothing
 * to copy and nothing to wait for.
 */

#include <bulkhead/arch.h>
#include <bulkhead/compiler.h>

uint64_t arch_hyp_colour_size(void)
{
	return 0;
}

enum bh_err arch_hyp_colour_prepare(const struct system_config *sys, uint64_t span_base)
{
	(void)sys;
	(void)span_base;
	return BH_ERR_UNSUPPORTED;
}

enum bh_err arch_hyp_colour_switch(void)
{
	return BH_ERR_UNSUPPORTED;
}

void arch_hyp_colour_poll(void)
{
}
