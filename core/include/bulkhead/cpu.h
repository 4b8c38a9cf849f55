/* SPDX-License-Identifier: Apache-2.0 */
/* Physical CPUs as the hypervisor sees them. */
#ifndef BULKHEAD_CPU_H
#define BULKHEAD_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/arch.h>
#include <bulkhead/compiler.h>
#include <bulkhead/config.h>

enum cpu_state {
	CPU_OFF = 0,
	CPU_STARTING,
	CPU_ONLINE,
	CPU_HALTED,
};

struct cpu {
	unsigned int index;   /* logical index, 0 = boot CPU */
	uint64_t hwid;        /* MPIDR affinity (arm64), APIC ID (x86) */
	enum cpu_state state; /* written by the CPU itself, read by others */
	struct cpu_arch arch;
};

extern struct cpu cpus[MAX_CPUS];

static inline struct cpu *this_cpu(void)
{
	return &cpus[arch_cpu_index()];
}

/* Entry point of a secondary CPU once its arch code has a stack and MMU. */
NORETURN void cpu_secondary_main(struct cpu *cpu);

/* Mark the calling CPU halted (used by fatal-exception paths). */
void cpu_mark_halted(struct cpu *cpu);

struct platform;

/* The first online CPU no vCPU is pinned to, or -1: where the hypervisor's
 * own interrupts (console input, SMMU events) cost no partition anything.
 * Valid once the partitions are placed. */
int cpu_without_vcpu(const struct platform *p);

#endif
