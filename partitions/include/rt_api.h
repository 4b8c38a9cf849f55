/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition runtime's portable API: what a partition program may use
 * on both arm64 and x86-64. Declared here once; each architecture's rt.h
 * (partitions/lib/rt.h, partitions/x86/rt.h) includes it, adds its own
 * extras (GIC, PSCI and SMCCC on arm64; port I/O and raw local APIC access
 * on x86) and defines the few calls marked inline below. Programs include
 * "rt.h"; one that keeps to this file builds for both (partitions/samples).
 */
#ifndef BULKHEAD_RT_API_H
#define BULKHEAD_RT_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Provided by each partition program; returning powers the partition off. */
int main(void);

/* The device tree the partition was started with (NULL if none). */
extern const void *rt_fdt;

/* Name of this partition (/chosen/bulkhead,partition) or "unknown". */
const char *rt_partition_name(void);

/* 1 on the partition's first boot, +1 per restart (/chosen/bulkhead,boot-count). */
uint32_t rt_boot_count(void);

/* The value of `key=value` in the partition's bootargs, copied to @buf
 * (NULL if absent or longer than @size - 1); as a number (decimal or 0x
 * hex), @fallback if absent. */
const char *rt_bootarg(const char *key, char *buf, size_t size);
uint64_t rt_bootarg_u64(const char *key, uint64_t fallback);

/* Formatted output on the partition's console. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Power the whole partition off, or restart it (its boot count + 1). */
__attribute__((noreturn)) void rt_system_off(void);
__attribute__((noreturn)) void rt_system_reset(void);

/* One of Bulkhead's own calls (docs/hypercalls.md: function @fn, arguments
 * @a1-@a3; @res gets the four result registers): SMC or HVC as the DT's
 * PSCI node says on arm64, VMMCALL on x86. */
void rt_bulkhead_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4]);

/* Results of rt_cpu_on() and rt_cpu_status(). */
#define RT_SUCCESS 0
#define RT_INVALID (-2)
#define RT_ALREADY_ON (-3)
#define RT_CPU_ON 0
#define RT_CPU_OFF 1
#define RT_CPU_STARTING 2

/* vCPUs are numbered 0 (the boot vCPU) to the partition's count - 1.
 * rt_cpu_on() starts vCPU @vcpu running fn(arg) on its own stack; when fn
 * returns, that vCPU turns itself off. */
int64_t rt_cpu_on(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg);
__attribute__((noreturn)) void rt_cpu_off(void);
int64_t rt_cpu_status(unsigned int vcpu);
static inline unsigned int rt_vcpu(void);

/* A free-running counter shared by the partition's vCPUs (arm64: the
 * virtual counter; x86: the TSC), its rate, and a wait of @ns in
 * rt_wait_event(). */
static inline uint64_t rt_counter(void);
static inline uint64_t rt_counter_hz(void);
uint64_t rt_ns_to_counts(uint64_t ns);
uint64_t rt_counts_to_ns(uint64_t counts);
void rt_wait_ns(uint64_t ns);

/*
 * Interrupts. Each vCPU that takes the timer or IPIs calls rt_irq_init()
 * once first (arm64: the GIC from the DT, the timer's and IPI's interrupts
 * enabled; x86: the local APIC enabled); false if the interrupt controller
 * is missing. The handlers are the same on every vCPU and run with
 * interrupts disabled; rt_vcpu() tells them where they run.
 */
typedef void (*rt_event_handler)(void);
bool rt_irq_init(void);
static inline void rt_irq_enable(void);
static inline void rt_irq_disable(void);

/* The calling vCPU's one-shot timer: the handler runs once @ns from now
 * (never earlier); starting it again replaces the earlier deadline. */
void rt_set_timer_handler(rt_event_handler h);
void rt_timer_start(uint64_t ns);
void rt_timer_stop(void);

/* An interrupt to vCPU @vcpu of this partition, taken by its IPI handler. */
void rt_set_ipi_handler(rt_event_handler h);
void rt_send_ipi(unsigned int vcpu);

/* With interrupts disabled: sleep until an interrupt is pending, let its
 * handler run, and return with interrupts disabled again. Waking without
 * one is possible; wait in a loop on what the handler changes. */
static inline void rt_wait_irq(void);

/* Sleep briefly for another vCPU or an interrupt (arm64: WFE; x86: HLT);
 * the hypervisor may return at once: wait in a loop. */
static inline void rt_wait_event(void);

#endif
