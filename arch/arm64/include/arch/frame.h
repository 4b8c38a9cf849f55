/* SPDX-License-Identifier: Apache-2.0 */
/* The register frame vectors.S saves on every exception to EL2. */
#ifndef ARCH_ARM64_FRAME_H
#define ARCH_ARM64_FRAME_H

/* Shared with the assembly (frame_asm.h); checked in exception.c. */
#define FRAME_SIZE (36 * 8)
#define FRAME_ELR 256
#define CPU_ARCH_STACK_BOTTOM 24 /* offsetof(struct cpu, arch.stack_bottom) */
#define CPU_ARCH_VCPU 32         /* offsetof(struct cpu, arch.vcpu) */
#define VCPU_EXITS 176           /* offsetof(struct vcpu, exits) */
/* For the SGI trap's path in assembly (sgi_trap.S). */
#define VCPU_PART 0              /* offsetof(struct vcpu, part) */
#define VCPU_INDEX 8             /* offsetof(struct vcpu, index) */
#define VCPU_PCPU 12             /* offsetof(struct vcpu, pcpu) */
#define VCPU_STATE 16            /* offsetof(struct vcpu, state) */
#define VCPU_STATE_RUNNING 2     /* VCPU_RUNNING */
#define VCPU_SGI_PENDING 192     /* offsetof(struct vcpu, arch.gicr.pending) */
#define PART_CFG 8               /* offsetof(struct partition, cfg) */
#define PART_VCPUS 288           /* offsetof(struct partition, vcpus) */
#define CFG_CPU_COUNT 36         /* offsetof(struct partition_config, cpu_count) */
#define CPU_KICK_SGI1R 40        /* offsetof(struct cpu, arch.kick_sgi1r) */
#define CPU_SIZE 48              /* sizeof(struct cpu) */
/* ... and for the kick's path (irq_kick.S). */
#define VCPU_EXIT 20             /* offsetof(struct vcpu, exit) */
#define VCPU_SGI_ENABLED 196     /* offsetof(struct vcpu, arch.gicr.enabled) */
#define VCPU_SGI_HELD 212        /* offsetof(struct vcpu, arch.gicr.held) */
#define VCPU_SGI_PRIORITY 216    /* offsetof(struct vcpu, arch.gicr.priority) */
#define VCPU_UIE_ARMED 248       /* offsetof(struct vcpu, arch.uie_armed) */
#define VCPU_LPI_COUNT 252       /* offsetof(struct vcpu, arch.lpi_count) */
#define PART_STATE 16            /* offsetof(struct partition, state) */
#define PARTITION_STATE_RUNNING 1 /* PARTITION_RUNNING */
#define PART_SPIS_HELD 864       /* offsetof(struct partition, arch.spis.held) */
#define PART_VSPI 920            /* offsetof(struct partition, arch.vspi) */
#define PART_VSPI_COUNT 960      /* offsetof(struct partition, arch.vspi_count) */
#define VSPI_SIZE 8              /* sizeof(struct vgic_vspi) */
#define VSPI_LEVEL 7             /* offsetof(struct vgic_vspi, level) */

/* Exception kinds: the vector slot number (see vectors.S). */
#define EXC_EL2_SYNC 4
#define EXC_LOWER_SYNC 8
#define EXC_LOWER_IRQ 9
#define EXC_LOWER_FIQ 10
#define EXC_LOWER_SERROR 11
#define EXC_LOWER32_FIRST 12
/* Or-ed into the kind when an EL2 exception found its stack exhausted. */
#define EXC_STACK_OVERFLOW 16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

struct exception_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Guest traps: non-zero means the vCPU leaves its guest. guest_irq and
 * guest_smccc get the short frame (vectors.S: x0-x19 only). */
uint64_t guest_trap(struct exception_frame *f, uint64_t kind);
uint64_t guest_irq(struct exception_frame *f);
uint64_t guest_irq_acked(struct exception_frame *f, unsigned int intid);
/* An SMCCC call by HVC #0 whose owner has an entry in smccc_owners: @owner. */
struct vcpu;
uint64_t guest_smccc(struct exception_frame *f,
		     bool (*owner)(struct vcpu *v, struct exception_frame *f));

/* After a Bulkhead call that acts, by HVC #0 (vectors.S): guest_resume's
 * checks; non-zero: the vCPU leaves its guest. */
uint64_t guest_smccc_resume(struct vcpu *v);

void guest_enter(const struct exception_frame *start);
#endif

#endif
