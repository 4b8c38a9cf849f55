// SPDX-License-Identifier: Apache-2.0
/*
 * Starting a vCPU as PC firmware starts an application processor: INIT,
 * then two start-up IPIs at the trampoline's page (partitions/x86/sipi.S).
 * A vCPU that is not off ignores them, so that case is refused up front.
 */

#include <string.h>

#include "rt.h"

#define ICR_INIT_ASSERT 0x4500u   /* INIT, level assert */
#define ICR_INIT_DEASSERT 0x8500u /* INIT, level-triggered de-assert */
#define ICR_STARTUP 0x4600u
#define STATUS_OFF 1

extern const char rt_sipi_trampoline[], rt_sipi_trampoline_end[];

static void send(unsigned int vcpu, uint32_t icr_low)
{
	rt_lapic_write(RT_LAPIC_ICR_HIGH, vcpu << 24);
	rt_lapic_write(RT_LAPIC_ICR_LOW, icr_low);
}

int64_t rt_cpu_on_sipi(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	int64_t status = rt_cpu_status(vcpu);

	if (status < 0)
		return status;
	if (status != STATUS_OFF)
		return RT_ALREADY_ON;
	int64_t ret = rt_cpu_claim(vcpu, fn, arg);

	if (ret != RT_SUCCESS)
		return ret;
	memcpy((void *)(uintptr_t)RT_SIPI_BASE, rt_sipi_trampoline,
	       (size_t)(rt_sipi_trampoline_end - rt_sipi_trampoline));
	send(vcpu, ICR_INIT_ASSERT);
	send(vcpu, ICR_INIT_DEASSERT);
	for (int i = 0; i < 2; i++)
		send(vcpu, ICR_STARTUP | (RT_SIPI_BASE >> 12));
	return RT_SUCCESS;
}

uint16_t rt_sipi_started_cs(void)
{
	uint16_t cs;

	memcpy(&cs, (const void *)(uintptr_t)(RT_SIPI_BASE + RT_SIPI_STARTED_CS), sizeof(cs));
	return cs;
}
