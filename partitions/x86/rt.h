/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bare-metal partition runtime for x86-64: the subset of the arm64
 * runtime's API (partitions/lib/rt.h) that the x86 port supports so far.
 */
#ifndef BULKHEAD_RT_X86_H
#define BULKHEAD_RT_X86_H

#include <stdbool.h>
#include <stdint.h>

/* Provided by each partition program; returning powers the partition off. */
int main(void);

/* The device tree the partition was started with. */
extern const void *rt_fdt;

/* Name of this partition (/chosen/bulkhead,partition) or "unknown". */
const char *rt_partition_name(void);

/* 1 on the partition's first boot, +1 per restart (/chosen/bulkhead,boot-count). */
uint32_t rt_boot_count(void);

/* Formatted output on the partition's console (the virtual 16550). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Hypercalls (VMMCALL, function in RAX). */
__attribute__((noreturn)) void rt_system_off(void);
__attribute__((noreturn)) void rt_system_reset(void);

/* Results of the vCPU hypercalls. */
#define RT_SUCCESS 0
#define RT_INVALID (-2)
#define RT_ALREADY_ON (-3)

/* Start vCPU @vcpu of this partition running fn(arg) on its own stack;
 * when fn returns, the vCPU turns itself off. */
int64_t rt_cpu_on(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg);
__attribute__((noreturn)) void rt_cpu_off(void);

/* The same, started the way a PC's firmware starts its application
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

/* 0: on, 1: off, 2: starting; RT_INVALID for no such vCPU. */
int64_t rt_cpu_status(unsigned int vcpu);

/* The calling vCPU's number (its APIC ID). */
unsigned int rt_vcpu(void);

/* Device interrupts of the partition's passthrough devices reach vCPU 0
 * at vector 0x20 + pin; the handler gets the pin. */
typedef void (*rt_irq_handler)(unsigned int pin);
void rt_set_irq_handler(rt_irq_handler h);

/* The local APIC (xAPIC registers), and a handler for its vectors
 * 0x38-0x4f (timer, IPIs). Handlers return before the runtime's EOI. */
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

/* Wait for something another vCPU or an interrupt does: HLT, which
 * returns to the hypervisor and comes back within a millisecond at most. */
static inline void rt_wait(void)
{
	__asm__ volatile("hlt" : : : "memory");
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
