/* SPDX-License-Identifier: Apache-2.0 */
/* x86-64 halves of core structures (see core/include/bulkhead/arch.h). */
#ifndef ARCH_X86_TYPES_H
#define ARCH_X86_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include <bulkhead/page_pool.h>

struct cpu_arch {
	uint32_t apic_id;
	/* Set by any CPU that calls arch_send_event(), consumed by this CPU's
	 * arch_wait_event(): the x86 stand-in for the arm64 event register. */
	uint32_t event;
	uint64_t stack_top;
	uint64_t timer_deadline_ns; /* when its local APIC timer fires next */
};

/* General registers a VMRUN does not load or save (RAX, RSP, RIP and
 * RFLAGS live in the VMCB). Layout shared with entry.S. */
struct guest_regs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* A vCPU's emulated local APIC (xAPIC registers at 0xfee00000). */
struct vlapic {
	uint32_t irr[8]; /* requested vectors: set by any CPU, atomically */
	uint32_t isr[8]; /* in service: this vCPU only */
	uint32_t tpr, svr, lvt_timer, timer_initial, divide, icr_high;
	uint64_t timer_deadline_ns; /* 0: not armed */
	uint64_t timer_period_ns;   /* periodic mode; the one-shot's length */
	uint64_t tsc_deadline;      /* TSC-deadline mode: IA32_TSC_DEADLINE, 0 once fired */
	int offered;                /* vector offered with V_IRQ, or -1 */
};

struct vcpu_arch {
	struct guest_regs regs;
	void *vmcb; /* 4 KiB, this CPU's */
	struct vlapic lapic;
	bool wait_for_sipi; /* off, and an INIT arrived: a SIPI starts it */
	bool launched;      /* VMX: its VMCS was launched (VMRESUME next) */
};

/* A vCPU context with this bit set was started by a SIPI: the low byte is
 * the vector, and the vCPU starts in real mode (no 32-bit context exists). */
#define VCPU_CONTEXT_SIPI (1ull << 63)

/* The emulated 16550 behind a partition's virtual UART. */
struct v16550 {
	uint8_t ier, lcr, mcr, scr, dll, dlm;
};

struct partition_arch {
	uint64_t npt_root; /* physical address of the nested PML4 */
	struct page_pool *npt_pool;
	uint32_t asid;
	uint16_t uart_port; /* first I/O port of the virtual UART (0: none) */
	struct v16550 uart;
	uint8_t *iopm;      /* 12 KiB I/O permission map, 1 = intercepted */
	/* Doorbell vectors rung while vCPU 0 was not running: its local APIC
	 * reset would drop them, so its start raises them again. */
	uint32_t early_doorbells[8];
	unsigned int fault_reports;
	bool cache_flush_seen; /* its first WBINVD or INVD is logged */
	unsigned int doorbells_raised; /* since the last report, and the kicks they cost */
	unsigned int doorbell_kicks;
	uint32_t pci_address; /* its port 0xcf8 (vpci.c) */
};

struct platform_arch {
	uint64_t lapic_base;
	uint64_t ioapic_base;
	unsigned int ioapic_pins;
	uint64_t tsc_hz;
	uint64_t lapic_timer_hz;
	uint16_t exit_port; /* isa-debug-exit port from /chosen (0: none) */
	uint32_t svm_asids; /* ASIDs the CPU offers (0: no SVM) */
	bool svm_nrips;     /* the CPU saves the next RIP on instruction intercepts */
	bool nested_gib_pages; /* nested (NPT or EPT) tables may have 1 GiB leaves */
};

#endif
