// SPDX-License-Identifier: Apache-2.0
/* reset-registers on x86: on its first boot the partition starts the HPET's
 * counter and opens COM2's interrupt gate (modem control 0x0b), then
 * restarts itself; on the second it finds what the hypervisor's reset
 * writes left: the counter stopped, modem control 0. */

#include "rt.h"

#define HPET_GEN_CONF 0xfed00010ull
#define COM2_MCR 0x2fc

static volatile uint32_t *gen_conf(void)
{
	return (volatile uint32_t *)(uintptr_t)HPET_GEN_CONF;
}

int main(void)
{
	unsigned int boot = rt_boot_count();

	printf("devreset: boot %u: HPET %s, COM2 modem control 0x%x\n", boot,
	       (*gen_conf() & 1u) ? "enabled" : "disabled", rt_inb(COM2_MCR));
	if (boot == 1) {
		*gen_conf() |= 1u;
		rt_outb(COM2_MCR, 0x0b);
		printf("devreset: boot 1: HPET %s, COM2 modem control 0x%x; restarting\n",
		       (*gen_conf() & 1u) ? "enabled" : "disabled", rt_inb(COM2_MCR));
		rt_system_reset();
	}
	return 0;
}
