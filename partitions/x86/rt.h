/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bare-metal partition runtime for x86-64: the portable API of
 * rt_api.h, and what only x86 has (device interrupt pins, raw local APIC
 * access, port I/O).
 */
#ifndef BULKHEAD_RT_X86_H
#define BULKHEAD_RT_X86_H

#include "rt_api.h"

/* The calling vCPU's number (its APIC ID, CPUID leaf 1: an exit each time). */
static inline unsigned int rt_vcpu(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return b >> 24;
}

/* The TSC, at the rate the hypervisor reports in CPUID leaf 0x40000010
 * (read once at start). */
extern uint64_t rt_tsc_hz;

static inline uint64_t rt_counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rt_counter_hz(void)
{
	return rt_tsc_hz;
}

/* Whether hypercalls use VMCALL (Intel VMX) or VMMCALL (AMD SVM): set at
 * start from Bulkhead's CPUID leaf 0x40000001. */
extern bool rt_use_vmcall;

/* rt_cpu_on(), started the way a PC's firmware starts its application
 * processors: INIT, then start-up IPIs through the local APIC, with a
 * real-mode trampoline copied to RT_SIPI_BASE (which the partition's memory
 * must hold, below 1 MiB). */
#define RT_SIPI_BASE 0x8000u
int64_t rt_cpu_on_sipi(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg);

/* The CS the trampoline last started with (RT_SIPI_BASE >> 4 after a SIPI). */
#define RT_SIPI_STARTED_CS 2
uint16_t rt_sipi_started_cs(void);

/* Reserve vCPU @vcpu's start slot for fn(arg), and give it back if the
 * start fails: for the start paths above. */
int64_t rt_cpu_claim(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg);
void rt_cpu_unclaim(unsigned int vcpu);

/* Device interrupts of the partition's passthrough devices reach vCPU 0
 * at vector 0x20 + pin; the handler gets the pin. */
typedef void (*rt_irq_handler)(unsigned int pin);
void rt_set_irq_handler(rt_irq_handler h);

/* The local APIC (xAPIC registers), and a handler for its vectors
 * 0x38-0x4f (timer, IPIs) but those of rt_timer_start() and rt_send_ipi()
 * once their handlers are set. Handlers return before the runtime's EOI. */
#define RT_TIMER_VECTOR 0x4e
#define RT_IPI_VECTOR 0x4f
#define RT_LAPIC_BASE 0xfee00000u
#define RT_LAPIC_ID 0x20
#define RT_LAPIC_VERSION 0x30
#define RT_LAPIC_EOI 0xb0
#define RT_LAPIC_SVR 0xf0
#define RT_LAPIC_ICR_LOW 0x300
#define RT_LAPIC_ICR_HIGH 0x310
#define RT_LAPIC_LVT_TIMER 0x320
#define RT_LAPIC_TIMER_INITIAL 0x380
#define RT_LAPIC_TIMER_CURRENT 0x390
#define RT_LAPIC_TIMER_DIVIDE 0x3e0
typedef void (*rt_vector_handler)(unsigned int vector);
void rt_set_lapic_handler(rt_vector_handler h);
void rt_lapic_write(unsigned int offset, uint32_t value);
uint32_t rt_lapic_read(unsigned int offset);

static inline void rt_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void rt_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

/* HLT returns to the hypervisor and comes back within a millisecond at most. */
static inline void rt_wait_event(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* STI holds interrupts off for one more instruction: none is taken
 * between it and the HLT, so none is missed. */
static inline void rt_wait_irq(void)
{
	__asm__ volatile("sti\n\thlt\n\tcli" : : : "memory");
}

static inline void rt_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void rt_wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
}

static inline uint64_t rt_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint8_t rt_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
