/* SPDX-License-Identifier: Apache-2.0 */
/* Internal interfaces of the x86-64 port (not for core/). */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/compiler.h>
#include <bulkhead/error.h>
#include <bulkhead/page_pool.h>
#include <bulkhead/platform.h>

#include <arch/asm.h>

/* Linker-script symbols (addresses only). */
extern char __image_start[], __image_end[], __bss_start[], __bss_end[];
extern char __text_end[], __rodata_end[];
extern char __cpu_areas[], __pt_pool[], __reserved_end[];
extern char x86_boot_pml4[];
extern char x86_trampoline_start[], x86_trampoline_end[];


#define MSR_EFER 0xc0000080u
#define MSR_TSC_DEADLINE 0x6e0u
#define MSR_GS_BASE 0xc0000101u
#define MSR_VM_CR 0xc0010114u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define EFER_SVME (1ull << 12)

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint16_t from = port; /* named outside the asm: MISRA 2.7 sees it used */
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(from));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t read_cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
	case 2: __asm__ volatile("mov %%cr2, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
	case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
	default: break;
	}
	return v;
}

static inline void write_cr(int n, uint64_t v)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory"); break;
	case 4: __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory"); break;
	default: break;
	}
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

/* head.S / entry.S */
extern const uint64_t x86_trap_stubs[256];
NORETURN void x86_halt_forever(void);
struct guest_regs;
struct vcpu;

/* Interrupt vectors (the legacy PIC is remapped to 0x20-0x2f, masked). */
#define VECTOR_PIC_BASE 0x20
#define VECTOR_TIMER 0x30
#define VECTOR_EVENT 0x31 /* arch_send_event() and arch_cpu_kick() */
#define VECTOR_SPURIOUS 0xff
#define IRQ_VECTOR_BASE 0x40u      /* + I/O APIC pin: a passthrough device's */
#define IRQ_PINS 24u
#define GUEST_IRQ_VECTOR_BASE 0x20u /* + pin: where the guest receives it */
#define MSI_VECTOR_BASE 0x58u      /* + slot: a passthrough PCI function's MSI */
#define MSI_SLOTS 8u
#define MSIX_VECTOR_BASE 0x60u     /* + entry: the MSI-X entries of all functions */
#define MSIX_VECTORS 32u

/* idt.c: the frame entry.S builds */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
void idt_init(void);
void idt_load(void);
void x86_trap(struct trap_frame *f);

/* cpu.c */
void x86_cpu_local_init(unsigned int index);
void x86_time_init(uint64_t tsc_hz);
uint64_t x86_tsc_hz(void);
void x86_interrupt(unsigned int vector);
void x86_ipis_ready(void);
void x86_ap_arrived(unsigned int index);
void x86_test_hook_online(unsigned int cpu_index);

/* apic.c */
enum bh_err apic_platform_init(const void *fdt, struct platform_arch *a);
void apic_cpu_init(void);
void apic_timer_tick(void);
void apic_timer_wake_at(uint64_t deadline_ns);

/* watchdog.c */
void x86_watchdog_start(const struct vcpu *v);

/* vcpu.c, mmu.c: reset-registers */
enum bh_err mmu_map_device_page(uint64_t pa);
void x86_watchdog_check(void);
void apic_send_ipi(uint32_t apic_id, uint8_t vector);
void apic_eoi(void);
uint32_t apic_id(void);
uint64_t pit_calibrate_tsc(void);

/*
 * The virtualisation backend (virt.c), chosen once at boot from CPUID: AMD
 * SVM (svm.c) or Intel VMX (vmx.c, vmx_vcpu.c). Both keep a vCPU's state
 * in its CPU's VMCB image (struct vmcb): SVM runs it, VMX copies what the
 * shared emulation reads and writes to and from its VMCS around each run
 * and reports each exit there in SVM's terms (exit code, EXITINFO words,
 * next RIP, EXITINTINFO), so exits.c, mmio.c and vlapic.c serve both.
 */
struct vmcb;
struct vcpu;
struct x86_virt {
	const char *name;
	/* Why the CPU cannot host partitions with this backend, or NULL. */
	const char *(*missing)(void);
	enum bh_err (*init_platform)(struct platform_arch *a);
	void (*cpu_init)(unsigned int index);
	void (*report)(const struct platform_arch *a);
	/* The state image holds the start state; add the backend's own. */
	void (*vcpu_reset)(struct vcpu *v, struct vmcb *state);
	/* Enter the guest once; the exit is left in the image. */
	void (*run)(struct vcpu *v, struct vmcb *state);
	bool ept; /* nested tables in EPT format */
};
extern const struct x86_virt svm_virt;
extern const struct x86_virt vmx_virt;
const struct x86_virt *x86_virt(void);
void x86_virt_choose(void);
/* The image's next_rip holds the intercepted instruction's end (SVM's
 * NRIPS; always on VMX, which reports instruction lengths). */
bool x86_next_rip_saved(void);
void x86_set_next_rip_saved(bool saved);
/* ASIDs (SVM) or VPIDs (VMX) the CPU offers, 0 being the host's. */
void x86_set_asids(uint32_t count);

/* entry.S */
void svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs, uint64_t host_save_pa);

/* vmx_entry.S: 0 after a VM exit, 1 if the entry failed */
int vmx_run(struct guest_regs *regs, uint64_t *rax, int launched);
void vmx_exit_point(void); /* where VM exits resume (HOST_RIP), not to be called */

/* exits.c, v16550.c */
void svm_handle_exit(struct vcpu *v, uint32_t code);
uint32_t v16550_read(struct vcpu *v, unsigned int reg);
void v16550_write(struct vcpu *v, unsigned int reg, uint8_t value);

/* mmu.c */
extern struct page_pool x86_page_pool;
enum bh_err mmu_init(const struct platform *p);
void mmu_cpu_init(unsigned int index);
unsigned int mmu_pages_used(void);
/* Whether the CPU has 1 GiB pages (and nested walks take them). */
bool mmu_gib_pages(void);
int mmu_guard_page_cpu(uint64_t address);
#define IST_DOUBLE_FAULT 1
#define IST_PAGE_FAULT 2

/* irq.c */
struct partition;
void irq_init(uint64_t ioapic_base, unsigned int pins);
enum bh_err irq_assign(struct partition *part, uint32_t pin, uint32_t apic, bool level,
		       bool active_low);
void irq_partition_arm(const struct partition *part);
void irq_partition_disarm(const struct partition *part);
void irq_received(unsigned int pin);
void irq_guest_eoi(const struct vcpu *v, unsigned int vector);

/* vpci.c: PCI functions' configuration space and MSI */
struct partition_device;
struct mmio_insn;
enum bh_err vpci_assign(struct partition *part, const struct partition_device *dev);
uint32_t vpci_config_read(uint16_t rid, unsigned int reg);
void vpci_config_write(uint16_t rid, unsigned int reg, uint32_t value);
const char *vpci_msi_refusal(const struct partition *part, uint32_t address,
			     uint32_t address_high, uint32_t data);
bool vpci_port_in(struct vcpu *v, uint16_t port, unsigned int size, uint32_t *value);
bool vpci_port_out(struct vcpu *v, uint16_t port, unsigned int size, uint32_t value);
void vpci_msi_received(unsigned int slot);
void vpci_partition_disarm(struct partition *part);

/* vmsix.c: PCI functions' MSI-X (their table's pages trap) */
enum bh_err vmsix_assign(struct partition *part, unsigned int slot, uint16_t rid,
			 const struct partition_device *dev);
bool vmsix_trapped(const struct partition *part, uint64_t gpa);
bool vmsix_access(struct vcpu *v, uint64_t gpa, const struct mmio_insn *insn, uint64_t *value);
bool vmsix_config_read(unsigned int slot, unsigned int reg, uint32_t *value);
bool vmsix_config_write(unsigned int slot, unsigned int reg, uint32_t value);
void vmsix_received(unsigned int index);
void vmsix_disarm(const struct partition *part, unsigned int slot);

/* vlapic.c */
struct vmcb_control;
#define VLAPIC_BASE 0xfee00000ull /* guest-physical, every vCPU's own */
#define VLAPIC_SIZE 0x1000
#define VLAPIC_TIMER_KHZ 1000000u /* its timer counts at 1 GHz before the divider */

static inline bool vlapic_page(uint64_t gpa)
{
	return gpa >= VLAPIC_BASE && gpa < VLAPIC_BASE + VLAPIC_SIZE;
}
void vlapic_reset(struct vcpu *v);
void vlapic_raise(struct vcpu *v, unsigned int vector);
uint32_t vlapic_read(struct vcpu *v, unsigned int offset);
void vlapic_write(struct vcpu *v, unsigned int offset, uint32_t value);
void vlapic_after_exit(struct vcpu *v, const struct vmcb_control *c);
void vlapic_before_entry(struct vcpu *v, struct vmcb_control *c);
bool vlapic_pending(struct vcpu *v);
void vlapic_write_tsc_deadline(struct vcpu *v, uint64_t value);
void vlapic_take_early_doorbells(struct vcpu *v);
void vlapic_report_doorbells(struct partition *part);
uint64_t vlapic_read_tsc_deadline(const struct vcpu *v);

/* mmio.c: the outcome of an access to an emulated page */
enum mmio_result {
	MMIO_DONE,
	MMIO_UNSUPPORTED, /* not an access the emulation takes: the partition stops */
	MMIO_UNREADABLE,  /* the instruction is not in the partition's RAM: a fault */
};
enum mmio_result mmio_emulate(struct vcpu *v, uint64_t gpa);

/* guest_mem.c: guest memory by guest address, the partition's RAM only */
struct vmcb_save;
/* Copy @len bytes at guest-physical @gpa; false (nothing meaningful
 * copied) unless every byte is in one of the partition's memory regions. */
bool guest_read(const struct partition *part, uint64_t gpa, void *buf, size_t len);
/* Up to INSN_MAX_LENGTH bytes at the guest's RIP; how many were readable
 * (through its page tables, every table and byte in its RAM). */
size_t guest_fetch(const struct vcpu *v, const struct vmcb_save *s, uint8_t *buf);
/* The guest runs 64-bit code (EFER.LMA and CS.L). */
bool guest_long_mode(const struct vmcb_save *s);

/* boot.c */
NORETURN void x86_secondary_main(unsigned int index);
uint16_t x86_exit_port(void);
void x86_exit(uint32_t status); /* /chosen bulkhead,exit-on-idle: end the run */
void x86_console_wait_sent(void);
enum bh_err x86_check_ram(const struct platform *p);

#endif
