/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A second vCPU that only takes interrupts (the messages a PCI function's
 * MSI or MSI-X entries route to it) until vCPU 0 tells it to stop: the
 * PCI tests' way to see a message arrive on the vCPU it names.
 */
#ifndef PARTITIONS_X86_IRQ_VCPU_H
#define PARTITIONS_X86_IRQ_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "rt.h"

static volatile bool irq_vcpu_up, irq_vcpu_done;

/* The IPI only ends the other vCPU's wait; the flag says why. */
static void irq_vcpu_wake(void)
{
}

static void irq_vcpu_main(uint64_t arg)
{
	(void)arg;
	rt_irq_disable();
	irq_vcpu_up = true;
	while (!irq_vcpu_done)
		rt_wait_irq();
	rt_irq_enable();
}

/* Start vCPU @vcpu taking interrupts and wait until it does; nonzero if it
 * cannot be started (a single-vCPU partition). */
static inline int64_t irq_vcpu_start(unsigned int vcpu)
{
	rt_set_ipi_handler(irq_vcpu_wake);
	if (rt_cpu_on(vcpu, irq_vcpu_main, 0) != 0)
		return -1;
	while (!irq_vcpu_up)
		rt_wait_event();
	return 0;
}

/* Tell vCPU @vcpu to stop, and wake it so it sees that. */
static inline void irq_vcpu_stop(unsigned int vcpu)
{
	irq_vcpu_done = true;
	rt_send_ipi(vcpu);
}

#endif
