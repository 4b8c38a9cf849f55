// SPDX-License-Identifier: Apache-2.0
/*
 * The interrupt descriptor table. Interrupts go to x86_interrupt(); an
 * exception in the hypervisor is a hypervisor bug and fatal for the CPU
 * that took it: print everything needed to debug it, then halt only that
 * CPU. The other CPUs keep running.
 */

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>

#include <arch/asm.h>
#include <arch/x86.h>

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};

static struct idt_gate idt[256] __attribute__((aligned(16)));

STATIC_ASSERT(sizeof(struct idt_gate) == 16, "64-bit IDT gate");
STATIC_ASSERT(sizeof(struct trap_frame) == 22 * 8, "frame layout is entry.S's");

void idt_init(void)
{
	for (unsigned int v = 0; v < ARRAY_SIZE(idt); v++) {
		uint64_t at = x86_trap_stubs[v];

		uint8_t ist = v == 8 ? IST_DOUBLE_FAULT : v == 14 ? IST_PAGE_FAULT : 0;

		idt[v] = (struct idt_gate){(uint16_t)at, GDT_CODE64, ist, GATE_INTERRUPT,
					   (uint16_t)(at >> 16), (uint32_t)(at >> 32), 0};
	}
}

void idt_load(void)
{
	struct __attribute__((packed)) idt_pointer {
		uint16_t limit;
		uint64_t base;
	} pointer = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	__asm__ volatile("lidt %0" : : "m"(pointer));
}

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check", "machine check",
	"SIMD error", "virtualization", "control protection", "reserved", "reserved",
	"reserved", "reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security", "reserved",
};

static NORETURN void fatal(const struct trap_frame *f)
{
	struct cpu *cpu = this_cpu();

	uint64_t cr2 = read_cr(2);
	bool overflow = f->vector == 14 && mmu_guard_page_cpu(cr2) == (int)cpu->index;

	console_emergency_begin();
	log_printf("\n*** exception on CPU %u: vector %llu (%s), error code 0x%llx%s\n", cpu->index,
		   (unsigned long long)f->vector, exception_names[f->vector & 31],
		   (unsigned long long)f->error,
		   overflow ? " (stack overflow: guard page hit)" : "");
	log_printf("RIP 0x%016llx (bulkhead.elf) CS 0x%llx RFLAGS 0x%llx\n",
		   (unsigned long long)f->rip, (unsigned long long)f->cs,
		   (unsigned long long)f->rflags);
	log_printf("RSP 0x%016llx SS 0x%llx CR2 0x%016llx\n", (unsigned long long)f->rsp,
		   (unsigned long long)f->ss, (unsigned long long)cr2);
	log_printf("CR0 0x%016llx CR3 0x%016llx CR4 0x%016llx\n", (unsigned long long)read_cr(0),
		   (unsigned long long)read_cr(3), (unsigned long long)read_cr(4));
	log_printf("RAX 0x%016llx RBX 0x%016llx RCX 0x%016llx\n", (unsigned long long)f->rax,
		   (unsigned long long)f->rbx, (unsigned long long)f->rcx);
	log_printf("RDX 0x%016llx RSI 0x%016llx RDI 0x%016llx\n", (unsigned long long)f->rdx,
		   (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	log_printf("RBP 0x%016llx R8  0x%016llx R9  0x%016llx\n", (unsigned long long)f->rbp,
		   (unsigned long long)f->r8, (unsigned long long)f->r9);
	log_printf("R10 0x%016llx R11 0x%016llx R12 0x%016llx\n", (unsigned long long)f->r10,
		   (unsigned long long)f->r11, (unsigned long long)f->r12);
	log_printf("R13 0x%016llx R14 0x%016llx R15 0x%016llx\n", (unsigned long long)f->r13,
		   (unsigned long long)f->r14, (unsigned long long)f->r15);
	log_printf("CPU %u halted; other CPUs continue\n", cpu->index);
	console_emergency_end();
	cpu_mark_halted(cpu);
	arch_cpu_halt();
}

void x86_trap(struct trap_frame *f)
{
	if (f->vector < 32)
		fatal(f);
	x86_interrupt((unsigned int)f->vector);
}
