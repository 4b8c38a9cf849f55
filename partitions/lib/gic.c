// SPDX-License-Identifier: Apache-2.0
/*
 * The GIC for partitions: a GICv3's distributor and this vCPU's
 * redistributor from the device tree, its CPU interface through system
 * registers; or a GICv2's (GIC-400) distributor, whose SGI and PPI
 * registers are banked per vCPU, and memory-mapped CPU interface. IRQ
 * dispatch to a handler.
 */

#include <libfdt.h>

#include "rt.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_ARE_GRP1 0x12
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICR_FRAME 0x20000
#define GICR_WAKER 0x0014
#define GICR_SGI 0x10000
#define GICR_IGROUPR0 (GICR_SGI + 0x080)
#define GICR_ISENABLER0 (GICR_SGI + 0x100)
#define GICR_IPRIORITYR (GICR_SGI + 0x400)

#define RT_IRQ_PRIORITY 0x80

static uintptr_t gicd, gicr_base;
uintptr_t rt_gicc, rt_gicd;

#define GICD_CTLR_ENABLE_GRP0 0x1u
#define GICC_CTLR 0x00
#define GICC_CTLR_ENABLE_GRP0 0x1u
#define GICC_PMR 0x04
static rt_irq_handler irq_handler;
static bool handler_ends; /* the program's handler ends its interrupts itself */
static rt_event_handler timer_handler, ipi_handler;

/* A GICv2 has no redistributors: its distributor's first words are the
 * calling vCPU's, at the offsets of a redistributor's SGI frame. */
static uintptr_t my_gicr(void)
{
	if (rt_gicc != 0)
		return gicd - GICR_SGI;
	return gicr_base + (rt_mpidr() & 0xff) * GICR_FRAME;
}

static uint64_t read_reg(const fdt32_t *reg, int index)
{
	return (uint64_t)fdt32_to_cpu(reg[4 * index]) << 32 | fdt32_to_cpu(reg[4 * index + 1]);
}

bool rt_gic_init(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,gic-v3");
	bool v2 = node < 0;
	int len;

	if (v2)
		node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,gic-400");
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;

	if (reg == NULL || len < 32)
		return false;
	gicd = (uintptr_t)read_reg(reg, 0);
	rt_gicd = gicd;
	if (v2) {
		rt_gicc = (uintptr_t)read_reg(reg, 1);
		*(volatile uint32_t *)(gicd + GICD_CTLR) = GICD_CTLR_ENABLE_GRP0;
	} else {
		gicr_base = (uintptr_t)read_reg(reg, 1);
		*(volatile uint32_t *)(gicd + GICD_CTLR) = GICD_CTLR_ARE_GRP1;
	}
	rt_gic_cpu_init();
	return true;
}

void rt_gic_cpu_init(void)
{
	if (rt_gicc != 0) {
		*(volatile uint32_t *)(rt_gicc + GICC_PMR) = 0xff;
		*(volatile uint32_t *)(rt_gicc + GICC_CTLR) = GICC_CTLR_ENABLE_GRP0;
		return;
	}
	volatile uint32_t *waker = (volatile uint32_t *)(my_gicr() + GICR_WAKER);

	*waker = *waker & ~2u;
	while (*waker & 4u)
		rt_wait_event();
	__asm__ volatile("mrs x0, S3_0_C12_C12_5\n\torr x0, x0, #1\n\tmsr S3_0_C12_C12_5, x0\n\tisb"
			 : : : "x0", "memory");                      /* ICC_SRE_EL1.SRE */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" : : "r"(0xffull));   /* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0\n\tisb" : : "r"(1ull)); /* ICC_IGRPEN1_EL1 */
}

void rt_gic_enable(unsigned int intid, uint8_t priority)
{
	uintptr_t r = my_gicr();

	*(volatile uint8_t *)(r + GICR_IPRIORITYR + intid) = priority;
	if (rt_gicc == 0)
		*(volatile uint32_t *)(r + GICR_IGROUPR0) |= 1u << intid; /* a GICv2's: Group 0 */
	*(volatile uint32_t *)(r + GICR_ISENABLER0) = 1u << intid;
}

volatile uint32_t *rt_gicr_sgi_reg(unsigned int offset)
{
	return (volatile uint32_t *)(my_gicr() + GICR_SGI + offset);
}

void rt_gic_enable_spi(unsigned int intid, uint8_t priority)
{
	*(volatile uint8_t *)(gicd + GICD_IPRIORITYR + intid) = priority;
	*(volatile uint32_t *)(gicd + GICD_ISENABLER + 4 * (intid / 32)) = 1u << (intid % 32);
}

volatile uint32_t *rt_gicd_reg(unsigned int offset)
{
	return (volatile uint32_t *)(gicd + offset);
}

void rt_set_irq_handler(rt_irq_handler h)
{
	irq_handler = h;
	handler_ends = false;
}

void rt_set_irq_handler_ending(rt_irq_handler h)
{
	irq_handler = h;
	handler_ends = true;
}

/* The first vCPU here also sets up the distributor; a second doing so at
 * the same time writes the same values. */
bool rt_irq_init(void)
{
	if (gicd == 0) {
		if (!rt_gic_init())
			return false;
	} else {
		rt_gic_cpu_init();
	}
	rt_gic_enable(RT_TIMER_INTID, RT_IRQ_PRIORITY);
	rt_gic_enable(RT_IPI_SGI, RT_IRQ_PRIORITY);
	return true;
}

void rt_set_timer_handler(rt_event_handler h)
{
	timer_handler = h;
}

void rt_timer_start(uint64_t ns)
{
	rt_vtimer_arm(rt_counter() + rt_ns_to_counts(ns));
}

void rt_timer_stop(void)
{
	rt_vtimer_stop();
}

void rt_set_ipi_handler(rt_event_handler h)
{
	ipi_handler = h;
}

/* vCPU n is Aff0 = n, bit n of the target list (Aff1 and up 0). */
void rt_send_ipi(unsigned int vcpu)
{
	if (vcpu < 16)
		rt_send_sgi(RT_IPI_SGI, (uint16_t)(1u << vcpu));
}

/* The timer and IPI interrupts go to their handlers once a program set
 * them (the one-shot timer stopped first: its interrupt is a level);
 * everything else to the program's own handler. */
/* True if the handler ended the interrupt itself. */
static bool dispatch(unsigned int intid)
{
	if (intid == RT_TIMER_INTID && timer_handler != NULL) {
		rt_vtimer_stop();
		timer_handler();
	} else if (intid == RT_IPI_SGI && ipi_handler != NULL) {
		ipi_handler();
	} else if (irq_handler != NULL) {
		irq_handler(intid);
		return handler_ends;
	}
	return false;
}

void rt_irq(void)
{
	for (;;) {
		unsigned int intid = rt_gic_ack();

		/* 1020-1023 are special (1023: none); LPIs start at 8192. */
		if (intid >= 1020 && intid < 8192)
			return;
		if (!dispatch(intid))
			rt_gic_end(intid);
	}
}
