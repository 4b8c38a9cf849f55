/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bare-metal partition runtime for arm64: the portable API of
 * rt_api.h, and what only arm64 has (GICv3 or GICv2, PSCI and SMCCC, the virtual
 * timer's registers, synchronous exception handlers).
 */
#ifndef BULKHEAD_RT_H
#define BULKHEAD_RT_H

#include "rt_api.h"

/* Sleep until an event (WFE). */
static inline void rt_wait_event(void)
{
	__asm__ volatile("wfe" : : : "memory");
}

static inline void rt_send_event(void)
{
	__asm__ volatile("dsb ish\n\tsev" : : : "memory");
}

struct rt_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* Virtual counter time of the partition's first instruction, in ns. */
extern uint64_t rt_first_ns;

uint64_t rt_mpidr(void);

/* vCPU n reads Aff0 = n in MPIDR_EL1 (docs/bindings/partitions.md). */
static inline unsigned int rt_vcpu(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return (unsigned int)(v & 0xff);
}

/* The interrupts behind rt_timer_start() and rt_send_ipi(). */
#define RT_TIMER_INTID 27
#define RT_IPI_SGI 15

/* A handler for synchronous exceptions (from EL1, or from code the
 * partition runs at EL0); return true to resume at f->elr. */
typedef bool (*rt_sync_handler)(struct rt_frame *f, uint64_t esr, uint64_t far);
void rt_set_sync_handler(rt_sync_handler h);
/* In a synchronous handler: the offset of the vector that took the
 * exception from VBAR_EL1 (0x000/0x200 EL1 with SP_EL0/SP_EL1, 0x400/0x600
 * EL0 in AArch64/AArch32). */
unsigned int rt_sync_vector(void);

/* The GIC (v3, or v2 "arm,gic-400"): set up from the DT (vCPU 0 calls
 * rt_gic_init, other vCPUs rt_gic_cpu_init), enable a private interrupt,
 * handle IRQs. */
typedef void (*rt_irq_handler)(unsigned int intid);
bool rt_gic_init(void);
void rt_gic_cpu_init(void);
void rt_gic_enable(unsigned int intid, uint8_t priority);
void rt_gic_enable_spi(unsigned int intid, uint8_t priority);
volatile uint32_t *rt_gicd_reg(unsigned int offset);
void rt_set_irq_handler(rt_irq_handler h);
/* The same, for a handler that ends its interrupt itself (rt_gic_end), e.g.
 * before it clears the device, as some RTOSes' handlers do. */
void rt_set_irq_handler_ending(rt_irq_handler h);
/* The virtual counter, its frequency, and the EL1 virtual timer. */
static inline uint64_t rt_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t rt_counter_hz(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* Fire when the counter reaches @deadline (interrupt unmasked at the timer). */
static inline void rt_vtimer_arm(uint64_t deadline)
{
	__asm__ volatile("msr cntv_cval_el0, %0\n\tmsr cntv_ctl_el0, %1\n\tisb"
			 : : "r"(deadline), "r"(1ull) : "memory");
}

static inline void rt_vtimer_stop(void)
{
	__asm__ volatile("msr cntv_ctl_el0, %0\n\tisb" : : "r"(0ull) : "memory");
}

/* This vCPU's redistributor SGI-frame register at @offset (e.g. 0x200);
 * on a GICv2 the distributor's, whose word 0 is banked per vCPU alike. */
volatile uint32_t *rt_gicr_sgi_reg(unsigned int offset);
void rt_irq(void); /* called from the IRQ vector */

/* A GICv2's CPU interface and distributor (rt_gic_init); rt_gicc is 0 on
 * a GICv3, whose CPU interface is system registers. */
extern uintptr_t rt_gicc, rt_gicd;

#define RT_GICC_IAR 0x0c
#define RT_GICC_EOIR 0x10
#define RT_GICD_SGIR 0xf00

/* Acknowledge the most urgent pending interrupt (ICC_IAR1_EL1 or GICC_IAR;
 * 1020 and up: none), and end one (ICC_EOIR1_EL1 or GICC_EOIR), as rt_irq()
 * does around the handler. A GICv2 SGI's source CPU bits are left out: the
 * vGIC reports every SGI from CPU interface 0, so its EOI needs none. */
static inline unsigned int rt_gic_ack(void)
{
	uint64_t intid;

	if (rt_gicc != 0)
		return *(volatile uint32_t *)(rt_gicc + RT_GICC_IAR) & 0x3ffu;
	__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid) : : "memory");
	return (unsigned int)(intid & 0xffffff);
}

static inline void rt_gic_end(unsigned int intid)
{
	if (rt_gicc != 0) {
		*(volatile uint32_t *)(rt_gicc + RT_GICC_EOIR) = intid;
		return;
	}
	__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" : : "r"((uint64_t)intid) : "memory");
}

/* SGI @intid to the vCPUs in @targets (bit n = vCPU n), or to all others:
 * ICC_SGI1R_EL1, or GICD_SGIR (8 vCPUs at most). */
static inline void rt_send_sgi(unsigned int intid, uint16_t targets)
{
	if (rt_gicc != 0) {
		__asm__ volatile("dsb ishst" : : : "memory");
		*(volatile uint32_t *)(rt_gicd + RT_GICD_SGIR) = (uint32_t)(targets & 0xffu) << 16 | intid;
		return;
	}
	__asm__ volatile("msr S3_0_C12_C11_5, %0\n\tisb"
			 : : "r"((uint64_t)intid << 24 | targets) : "memory");
}

static inline void rt_send_sgi_to_others(unsigned int intid)
{
	if (rt_gicc != 0) {
		__asm__ volatile("dsb ishst" : : : "memory");
		*(volatile uint32_t *)(rt_gicd + RT_GICD_SGIR) = 1u << 24 | intid;
		return;
	}
	__asm__ volatile("msr S3_0_C12_C11_5, %0\n\tisb"
			 : : "r"(1ull << 40 | (uint64_t)intid << 24) : "memory");
}

static inline void rt_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static inline void rt_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

/* WFI wakes on a pending interrupt even while it is masked; unmasking
 * then takes it. */
static inline void rt_wait_irq(void)
{
	__asm__ volatile("dsb sy\n\twfi\n\tmsr daifclr, #2\n\tisb\n\tmsr daifset, #2"
			 : : : "memory");
}

/* PSCI through the conduit in the DT's /psci node. */
int64_t psci_version(void);
int64_t psci_cpu_on(uint64_t mpidr, void (*fn)(uint64_t), uint64_t arg);
int64_t psci_affinity_info(uint64_t mpidr);
int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
/* Any SMCCC call through the same conduit; res gets x0-x3 as returned. */
void smccc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4]);
__attribute__((noreturn)) void psci_cpu_off(void);
__attribute__((noreturn)) void psci_system_off(void);
__attribute__((noreturn)) void psci_system_reset(void);


#endif
