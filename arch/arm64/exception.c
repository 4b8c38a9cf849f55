// SPDX-License-Identifier: Apache-2.0
/*
 * EL2 exceptions. Traps from guests go to guest_trap(); an exception taken
 * in the hypervisor itself is a hypervisor bug and fatal for the CPU that
 * took it: print everything needed to debug it, then halt only that CPU.
 * The other CPUs keep running.
 */

#include <stddef.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>
#include <bulkhead/partition_config.h>

#include <arch/arm64.h>
#include <arch/frame.h>
#include <arch/gic.h>
#include <arch/sysreg.h>

STATIC_ASSERT(sizeof(struct exception_frame) == 36 * 8, "frame layout is shared with vectors.S");
STATIC_ASSERT(sizeof(struct exception_frame) == FRAME_SIZE, "FRAME_SIZE in frame_asm.h");
STATIC_ASSERT(offsetof(struct cpu, arch.stack_bottom) == CPU_ARCH_STACK_BOTTOM,
	      "CPU_ARCH_STACK_BOTTOM in frame_asm.h");
STATIC_ASSERT(offsetof(struct cpu, arch.vcpu) == CPU_ARCH_VCPU, "CPU_ARCH_VCPU in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, exits) == VCPU_EXITS, "VCPU_EXITS in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, part) == VCPU_PART, "VCPU_PART in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, index) == VCPU_INDEX, "VCPU_INDEX in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, pcpu) == VCPU_PCPU, "VCPU_PCPU in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, state) == VCPU_STATE, "VCPU_STATE in frame.h");
STATIC_ASSERT(sizeof(enum vcpu_state) == 4u && VCPU_RUNNING == VCPU_STATE_RUNNING, "VCPU_STATE_RUNNING in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, arch.gicr.pending) == VCPU_SGI_PENDING, "VCPU_SGI_PENDING in frame.h");
STATIC_ASSERT(offsetof(struct partition, cfg) == PART_CFG, "PART_CFG in frame.h");
STATIC_ASSERT(offsetof(struct partition, vcpus) == PART_VCPUS, "PART_VCPUS in frame.h");
STATIC_ASSERT(offsetof(struct partition_config, cpu_count) == CFG_CPU_COUNT, "CFG_CPU_COUNT in frame.h");
STATIC_ASSERT(offsetof(struct cpu, arch.kick_sgi1r) == CPU_KICK_SGI1R, "CPU_KICK_SGI1R in frame.h");
STATIC_ASSERT(sizeof(struct cpu) == CPU_SIZE, "CPU_SIZE in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, exit) == VCPU_EXIT, "VCPU_EXIT in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, arch.gicr.enabled) == VCPU_SGI_ENABLED, "VCPU_SGI_ENABLED in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, arch.gicr.held) == VCPU_SGI_HELD, "VCPU_SGI_HELD in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, arch.gicr.priority) == VCPU_SGI_PRIORITY, "VCPU_SGI_PRIORITY in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, arch.uie_armed) == VCPU_UIE_ARMED && sizeof(bool) == 1u,
	      "VCPU_UIE_ARMED in frame.h");
STATIC_ASSERT(offsetof(struct vcpu, arch.lpi_count) == VCPU_LPI_COUNT, "VCPU_LPI_COUNT in frame.h");
STATIC_ASSERT(offsetof(struct partition, state) == PART_STATE && sizeof(enum partition_state) == 4u,
	      "PART_STATE in frame.h");
STATIC_ASSERT(PARTITION_RUNNING == PARTITION_STATE_RUNNING, "PARTITION_STATE_RUNNING in frame.h");
STATIC_ASSERT(offsetof(struct partition, arch.spis.held) == PART_SPIS_HELD, "PART_SPIS_HELD in frame.h");
STATIC_ASSERT(offsetof(struct partition, arch.vspi) == PART_VSPI, "PART_VSPI in frame.h");
STATIC_ASSERT(offsetof(struct partition, arch.vspi_count) == PART_VSPI_COUNT, "PART_VSPI_COUNT in frame.h");
STATIC_ASSERT(sizeof(struct vgic_vspi) == VSPI_SIZE, "VSPI_SIZE in frame.h");
STATIC_ASSERT(offsetof(struct vgic_vspi, level) == VSPI_LEVEL, "VSPI_LEVEL in frame.h");
/* irq_kick.S knows the kick as INTID 0 (one cbnz). */
STATIC_ASSERT(GIC_SGI_KICK == 0u, "the kick's INTID in irq_kick.S");

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "system register access";
	case 0x20: return "instruction abort, lower EL";
	case 0x21: return "instruction abort, EL2";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort, lower EL";
	case 0x25: return "data abort, EL2";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "other";
	}
}

static __attribute__((noinline, cold)) NORETURN void fatal(struct exception_frame *f, uint64_t kind)
{
	/* A vector's kind (its index in the table, 0-15) is its origin times
	 * four plus its type. The names in place, not pointers, which cost a
	 * relocation each in the position-independent image. */
	static const char types[4][12] = {
		[0] = "synchronous", [1] = "IRQ", [2] = "FIQ", [3] = "SError",
	};
	static const char origins[4][24] = {
		[0] = "EL2 with SP_EL0", [1] = "EL2", [2] = "from AArch64 EL1/EL0",
		[3] = "from AArch32",
	};
	struct cpu *cpu = this_cpu();
	unsigned int ec = (unsigned int)ESR_EC(f->esr);

	console_emergency_begin();
	log_printf("\n*** EL2 exception on CPU %u: %s, %s%s\n", cpu->index, types[kind & 3u],
		   origins[(kind >> 2) & 3u],
		   kind & EXC_STACK_OVERFLOW ? " (stack overflow: guard page hit)" : "");
	log_printf("ESR_EL2  0x%016llx (EC 0x%02x: %s, ISS 0x%07llx)\n",
		   (unsigned long long)f->esr, ec, ec_name(ec),
		   (unsigned long long)(f->esr & 0x1ffffff));
	log_printf("FAR_EL2  0x%016llx\n", (unsigned long long)f->far);
	/* The link address is 0, so the image offset is what addr2line wants. */
	log_printf("ELR_EL2  0x%016llx (bulkhead.elf + 0x%llx)\n", (unsigned long long)f->elr,
		   (unsigned long long)(f->elr - (uint64_t)(uintptr_t)__image_start));
	log_printf("SPSR_EL2 0x%016llx\n", (unsigned long long)f->spsr);
	for (int i = 0; i < 30; i += 2)
		log_printf("x%-2d 0x%016llx  x%-2d 0x%016llx\n", i, (unsigned long long)f->x[i],
			   i + 1, (unsigned long long)f->x[i + 1]);
	log_printf("x30 0x%016llx  sp  0x%016llx\n", (unsigned long long)f->x[30],
		   (unsigned long long)f->sp);
	log_printf("CPU %u halted; other CPUs continue\n", cpu->index);
	console_emergency_end();
	cpu_mark_halted(cpu);
	arch_cpu_halt();
}

uint64_t arm64_exception(struct exception_frame *f, uint64_t kind)
{
	/* Guest traps: a tail call, so a guest's interrupt pays nothing here. */
	if (__builtin_expect(kind >= EXC_LOWER_SYNC && !(kind & EXC_STACK_OVERFLOW), 1))
		return guest_trap(f, kind);
	fatal(f, kind);
}
