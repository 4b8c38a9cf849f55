// SPDX-License-Identifier: Apache-2.0
/*
 * Per-CPU state and the CPU primitives core uses. GS holds the calling
 * CPU's struct cpu. Waiting is HLT with interrupts on: arch_send_event()
 * marks every CPU's event flag (the stand-in for the arm64 event register)
 * and interrupts those asleep in arch_wait_event(), and the local APIC
 * timer wakes every CPU at least once a millisecond so waits with a
 * deadline end.
 */

#include <stddef.h>

#include <bulkhead/arch.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>

#include <arch/asm.h>
#include <arch/x86.h>

STATIC_ASSERT(offsetof(struct cpu, hwid) == CPU_HWID_OFFSET, "CPU_HWID_OFFSET in asm.h");
STATIC_ASSERT(offsetof(struct cpu, arch.stack_top) == CPU_STACK_TOP_OFFSET,
	      "CPU_STACK_TOP_OFFSET in asm.h");
STATIC_ASSERT(sizeof(struct cpu) == CPU_STRUCT_SIZE, "CPU_STRUCT_SIZE in asm.h");
STATIC_ASSERT(offsetof(struct cpu, index) == 0, "arch_cpu_index() reads %gs:0");

const char arch_name[] = "x86_64";

static uint64_t tsc_hz;
static uint32_t sleepers; /* bit i: CPU i is in arch_wait_event() */
static bool ipis_ready;   /* the local APICs are set up */

void x86_cpu_local_init(unsigned int index)
{
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&cpus[index]);
	idt_load();
}

void x86_time_init(uint64_t hz)
{
	tsc_hz = hz;
}

uint64_t x86_tsc_hz(void)
{
	return tsc_hz;
}

void x86_ipis_ready(void)
{
	ipis_ready = true;
}

unsigned int arch_cpu_index(void)
{
	unsigned int index;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(index));
	return index;
}

static bool interrupts_enabled(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(flags));
	return flags & (1u << 9);
}

void arch_wait_event(void)
{
	struct cpu *me = this_cpu();
	uint32_t bit = 1u << me->index;
	bool was_on = interrupts_enabled();

	__asm__ volatile("cli" : : : "memory");
	__atomic_fetch_or(&sleepers, bit, __ATOMIC_SEQ_CST);
	/* STI's one-instruction shadow makes "sti; hlt" atomic: an IPI sent
	 * after the flag was read wakes the HLT. */
	if (!__atomic_exchange_n(&me->arch.event, 0, __ATOMIC_SEQ_CST))
		__asm__ volatile("sti\n\thlt\n\tcli" : : : "memory");
	__atomic_fetch_and(&sleepers, ~bit, __ATOMIC_SEQ_CST);
	__atomic_store_n(&me->arch.event, 0, __ATOMIC_RELAXED);
	if (was_on)
		__asm__ volatile("sti" : : : "memory");
}

void arch_send_event(void)
{
	unsigned int self = arch_cpu_index();

	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		if (i != self)
			__atomic_store_n(&cpus[i].arch.event, 1, __ATOMIC_SEQ_CST);
	}
	uint32_t asleep = __atomic_load_n(&sleepers, __ATOMIC_SEQ_CST) & ~(1u << self);

	for (unsigned int i = 0; asleep != 0 && ipis_ready && i < MAX_CPUS; i++) {
		if (asleep & (1u << i))
			apic_send_ipi(cpus[i].arch.apic_id, VECTOR_EVENT);
	}
}

void arch_cpu_kick(unsigned int cpu_index)
{
	__atomic_store_n(&cpus[cpu_index].arch.event, 1, __ATOMIC_SEQ_CST);
	apic_send_ipi(cpus[cpu_index].arch.apic_id, VECTOR_EVENT);
}

/* The idle loop; with /chosen `bulkhead,exit-on-idle` (tests under QEMU)
 * the boot CPU, once idle, exits the machine through isa-debug-exit when no
 * partition runs, after whatever line another CPU is printing. */
void arch_cpu_idle(void)
{
	uint16_t port = x86_exit_port();

	if (port != 0 && arch_cpu_index() == 0 && partitions_running() == 0) {
		/* Queued lines out by the ordinary drain first, another CPU's
		 * drain pass included: the emergency flush below does not wait
		 * for one, and would send its bytes a second time (seen on
		 * bochs, whose UART takes time to send). Bounded by 100 ms. */
		uint64_t until = arch_time_ns() + 100000000u;

		while (__atomic_load_n(&console_ring_head, __ATOMIC_ACQUIRE) !=
			       __atomic_load_n(&console_ring_tail, __ATOMIC_ACQUIRE) &&
		       arch_time_ns() < until)
			console_drain();
		console_emergency_begin(); /* never given back: the machine ends */
		x86_exit(0);               /* QEMU exits with status 1 */
	}
	console_drain();
	__asm__ volatile("sti\n\thlt" : : : "memory");
}

NORETURN void arch_cpu_halt(void)
{
	x86_halt_forever();
}

uint64_t arch_time_ns(void)
{
	return ticks_to_ns(rdtsc(), tsc_hz);
}

/* Test hooks: fault_test.c in the fault-test build, nothing otherwise. */
__attribute__((weak)) void x86_test_hook_online(unsigned int cpu_index)
{
	(void)cpu_index;
}

void arch_cpu_online_hook(struct cpu *cpu)
{
	x86_test_hook_online(cpu->index);
}

void x86_interrupt(unsigned int vector)
{
	if (vector >= IRQ_VECTOR_BASE && vector < IRQ_VECTOR_BASE + IRQ_PINS) {
		irq_received(vector - IRQ_VECTOR_BASE);
		return;
	}
	if (vector >= MSI_VECTOR_BASE && vector < MSI_VECTOR_BASE + MSI_SLOTS) {
		vpci_msi_received(vector - MSI_VECTOR_BASE);
		return;
	}
	if (vector >= MSIX_VECTOR_BASE && vector < MSIX_VECTOR_BASE + MSIX_VECTORS) {
		vmsix_received(vector - MSIX_VECTOR_BASE);
		return;
	}
	switch (vector) {
	case VECTOR_TIMER:
		apic_timer_tick();
		apic_eoi();
		x86_watchdog_check();
		break;
	case VECTOR_EVENT:
		apic_eoi();
		break;
	default:
		/* The APIC's spurious vector and the masked PIC's IRQ 7 and 15
		 * need no end of interrupt. */
		break;
	}
}
