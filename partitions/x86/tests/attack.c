// SPDX-License-Identifier: Apache-2.0
/*
 * One attack on the hypervisor per boot, chosen by the bootarg attack=NAME:
 * SVM instructions, the hypervisor's MSRs, EFER.SVME, ports it keeps, a
 * triple fault, a fetch outside the partition, an odd-sized local APIC
 * access, an INIT to itself; cache and TLB maintenance (WBINVD, INVD,
 * INVLPGA); intercepted instructions with prefixes; an MMIO access whose
 * page tables or code are in the partition's passthrough HPET; control
 * bytes and escape sequences for the operator's terminal (console_spoof.c);
 * and Intel's VMX: its instructions, its MSRs and CR4.VMXE (the guest sees
 * no VMX on either backend).
 * Each must end in an exception for this partition or its stop, never in
 * the hypervisor's or a neighbour's harm; "still running" follows the
 * attacks the hypervisor lets pass harmlessly.
 */

#include <string.h>

#include "console_spoof.h"
#include "rt.h"

#define MSR_APIC_BASE 0x1bu
#define MSR_VM_HSAVE_PA 0xc0010117u
#define MSR_EFER 0xc0000080u
#define EFER_SVME (1ull << 12)
#define MSR_FEATURE_CONTROL 0x3au
#define MSR_VMX_BASIC 0x480u
#define CR4_VMXE (1ull << 13)

/* VMX's instructions and state: a #UD or #GP, whichever backend runs it. */
static void vmx_attack(const char *name)
{
	static uint64_t region[2] __attribute__((aligned(16)));

	if (strcmp(name, "vmxon") == 0) {
		__asm__ volatile("vmxon %0" : : "m"(region) : "cc", "memory");
	} else if (strcmp(name, "vmread") == 0) {
		__asm__ volatile("vmread %%rax, %%rbx" : : "a"(0x4402u) : "rbx", "cc");
	} else if (strcmp(name, "invept") == 0) {
		__asm__ volatile("invept %0, %%rax" : : "m"(region), "a"(2u) : "cc", "memory");
	} else if (strcmp(name, "feature-control") == 0) {
		printf("attack: IA32_FEATURE_CONTROL 0x%llx\n",
		       (unsigned long long)rt_rdmsr(MSR_FEATURE_CONTROL));
	} else if (strcmp(name, "vmx-basic") == 0) {
		printf("attack: IA32_VMX_BASIC 0x%llx\n", (unsigned long long)rt_rdmsr(MSR_VMX_BASIC));
	} else if (strcmp(name, "cr4-vmxe") == 0) {
		uint64_t cr4;

		__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
		__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_VMXE) : "memory");
	}
}

static void triple_fault(void)
{
	static const struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty = {0, 0};

	__asm__ volatile("lidt %0\n\tint3" : : "m"(empty) : "memory");
}

#define HPET_BASE 0xfed00000u /* q35's, passed through by attack-hpet.dts */
#define HPET_CONFIG 0x10u
#define HPET_COUNTER 0xf0u    /* writable while the HPET is disabled */
#define PTE_P_RW_A 0x23u      /* present, writable, accessed: no walk writes it */
#define LAPIC_EOI_ADDRESS (RT_LAPIC_BASE + RT_LAPIC_EOI)

static uint8_t code_page[4096] __attribute__((aligned(4096)));
static uint64_t page_directory[512] __attribute__((aligned(4096)));

static void hpet_counter_set(uint64_t value)
{
	volatile uint32_t *hpet = (volatile uint32_t *)(uintptr_t)HPET_BASE;

	hpet[HPET_CONFIG / 4] = 0;
	hpet[HPET_COUNTER / 4] = (uint32_t)value;
	hpet[HPET_COUNTER / 4 + 1] = (uint32_t)(value >> 32);
}

/* Call @code with RAX and RCX = the local APIC's EOI register: the code
 * there stores to one of them, an MMIO access the hypervisor emulates. */
static void call_mmio_code(uint64_t code)
{
	__asm__ volatile("call *%0"
			 : : "r"(code), "a"(LAPIC_EOI_ADDRESS), "c"(LAPIC_EOI_ADDRESS)
			 : "memory");
}

/* Linear 16 GiB, beyond the runtime's identity map: through
 * page_directory, whose first entry is @pde. */
static void map_16gib(uint64_t pde)
{
	uint64_t cr3;

	page_directory[0] = pde;
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(((uint64_t *)(uintptr_t)(cr3 & ~0xfffull))[0] &
						 0x000ffffffffff000ull);

	pdpt[16] = (uint64_t)(uintptr_t)page_directory | PTE_P_RW_A;
	__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

/* Its page tables in the HPET: the page directory's first entry names the
 * HPET's page as a page table; entry 30 of that is the main counter, set to
 * a page-table entry for a page of RAM holding the MMIO code. The CPU walks
 * it (QEMU reads the counter), and so must the hypervisor to find the
 * instruction. */
static void pte_in_hpet(void)
{
	static const uint8_t mmio_code[] = {0x89, 0x01, 0xc3}; /* mov %eax, (%rcx); ret */
	uint64_t linear = (16ull << 30) + 30u * 4096u;

	memcpy(code_page, mmio_code, sizeof(mmio_code));
	hpet_counter_set((uint64_t)(uintptr_t)code_page | PTE_P_RW_A);
	map_16gib(HPET_BASE | PTE_P_RW_A);
	printf("attack: pte-hpet: code at 0x%llx through the HPET's page; calling it\n",
	       (unsigned long long)linear);
	call_mmio_code(linear);
}

/* The MMIO instruction in the HPET, run from there: its main counter's
 * low byte 0x89 and the byte after it (QEMU's HPET reads 0 at an unaligned
 * offset) make `mov %eax, (%rax)`. */
static void code_in_hpet(void)
{
	hpet_counter_set(0x89u);
	printf("attack: fetch-hpet: calling the HPET's main counter\n");
	call_mmio_code(HPET_BASE + HPET_COUNTER);
}

static void cache_maintenance(void)
{
	unsigned int wbinvd = 0, invd = 0;

	for (unsigned int i = 0; i < 1000u; i++) {
		__asm__ volatile("wbinvd" : : : "memory");
		wbinvd++;
		__asm__ volatile("invd" : : : "memory");
		invd++;
	}
	printf("attack: wbinvd: %u WBINVD and %u INVD executed\n", wbinvd, invd);
}

/* After each instruction, a jump over six 0xff bytes. Resumed short of
 * the instruction's end (inside it), the CPU would run its last bytes with
 * those: CPUID's 0xa2 a store to 0xffffffffffff06eb (unmapped), the others
 * (after a harmless register operation) an invalid PUSH ES; either an
 * exception that ends the program before the count is printed. */
#define RESUME_CHECK ".byte 0xeb, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff\n\t"
#define CPUID_PREFIXED(prefixes)                                                              \
	({                                                                                    \
		uint32_t a = 0x40000000u, b, c = 0, d;                                        \
		__asm__ volatile(".byte " prefixes ", 0x0f, 0xa2\n\t" RESUME_CHECK            \
				 : "+a"(a), "=b"(b), "+c"(c), "=d"(d));                        \
		b == 0x6b6c7542u; /* "Bulk" */                                               \
	})

static void tally(unsigned int *ok, unsigned int *n, bool good)
{
	*ok += good ? 1u : 0u;
	*n += 1u;
}

static void prefixes(void)
{
	unsigned int ok = 0, n = 0;
	uint32_t lo, hi, value;
	uint64_t res[4];

	tally(&ok, &n, CPUID_PREFIXED("0x3e"));
	tally(&ok, &n, CPUID_PREFIXED("0x66"));
	tally(&ok, &n, CPUID_PREFIXED("0x48")); /* REX.W */
	tally(&ok, &n, CPUID_PREFIXED("0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, "
				      "0x3e, 0x3e, 0x3e, 0x3e")); /* 15 bytes */
	__asm__ volatile(".byte 0x3e, 0x0f, 0x32\n\t" RESUME_CHECK /* RDMSR EFER */
			 : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
	tally(&ok, &n, ((uint64_t)hi << 32 | lo) == rt_rdmsr(MSR_EFER));
	__asm__ volatile(".byte 0x3e, 0x0f, 0x30\n\t" RESUME_CHECK /* WRMSR EFER, unchanged */
			 : : "a"(lo), "d"(hi), "c"(MSR_EFER) : "memory");
	tally(&ok, &n, ((uint64_t)hi << 32 | lo) == rt_rdmsr(MSR_EFER));
	rt_bulkhead_call(0x86000002u, 0, 0, 0, res); /* PARTITION_ID, unprefixed */
	uint64_t rax = 0x86000002u, rbx = 0, rcx = 0, rdx = 0;

	__asm__ volatile(".byte 0x3e, 0x0f, 0x01, 0xd9\n\t" RESUME_CHECK /* VMMCALL */
			 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : : "memory");
	tally(&ok, &n, rax == res[0] && rbx == res[1] && rcx == res[2]);
	__asm__ volatile(".byte 0x3e, 0x0f, 0x09\n\t" RESUME_CHECK ::: "memory"); /* WBINVD */
	tally(&ok, &n, true);
	__asm__ volatile(".byte 0x3e, 0xee\n\t" RESUME_CHECK /* OUT DX, AL: the scratch register */
			 : : "a"(0x5a), "d"(0x3ff) : "memory");
	value = 0;
	__asm__ volatile(".byte 0x3e, 0xec\n\t" RESUME_CHECK /* IN AL, DX */
			 : "+a"(value) : "d"(0x3ff) : "memory");
	tally(&ok, &n, (value & 0xffu) == 0x5au);
	value = 0xffff0000u;
	__asm__ volatile(".byte 0x66, 0x3e, 0xed\n\t" RESUME_CHECK /* IN AX, DX */
			 : "+a"(value) : "d"(0x3ff) : "memory");
	tally(&ok, &n, value == 0xffff005au);
	__asm__ volatile(".byte 0x3e, 0xf4\n\t" RESUME_CHECK ::: "memory"); /* HLT */
	tally(&ok, &n, true);
	printf("attack: prefixes: %u of %u resumed at the next instruction\n", ok, n);
}

static void attack(const char *name)
{
	if (strcmp(name, "vmrun") == 0) {
		__asm__ volatile("xor %%eax, %%eax\n\tvmrun" : : : "rax", "memory");
	} else if (strcmp(name, "stgi") == 0) {
		__asm__ volatile("clgi\n\tstgi" : : : "memory");
	} else if (strcmp(name, "apic-base") == 0) {
		rt_wrmsr(MSR_APIC_BASE, 0xfed00000u | 0x900u); /* move the local APIC */
	} else if (strcmp(name, "hsave") == 0) {
		printf("attack: VM_HSAVE_PA 0x%llx\n", (unsigned long long)rt_rdmsr(MSR_VM_HSAVE_PA));
	} else if (strcmp(name, "efer") == 0) {
		rt_wrmsr(MSR_EFER, rt_rdmsr(MSR_EFER) & ~EFER_SVME);
		rt_wrmsr(MSR_EFER, rt_rdmsr(MSR_EFER) | EFER_SVME);
		printf("attack: EFER.SVME reads %u after setting it\n",
		       (unsigned int)((rt_rdmsr(MSR_EFER) & EFER_SVME) != 0));
	} else if (strcmp(name, "pit") == 0) {
		rt_outb(0x43, 0x30); /* the hypervisor's calibration timer */
	} else if (strcmp(name, "triple") == 0) {
		triple_fault();
	} else if (strcmp(name, "fetch") == 0) {
		((void (*)(void))(uintptr_t)0x30000000u)(); /* beyond its 16 MiB */
	} else if (strcmp(name, "lapic-byte") == 0) {
		*(volatile uint8_t *)(uintptr_t)(RT_LAPIC_BASE + RT_LAPIC_EOI) = 0;
	} else if (strcmp(name, "init-self") == 0) {
		rt_lapic_write(RT_LAPIC_ICR_LOW, (1u << 18) | 0x4500u); /* INIT to self */
	} else if (strcmp(name, "console-spoof") == 0) {
		struct console_spoof_sent uart, call;

		printf("attack: console-spoof: by the UART\n");
		console_spoof_uart(&uart);
		printf("attack: console-spoof: by CONSOLE_WRITE\n");
		console_spoof_hypercall(&call);
		printf("attack: console-spoof: sent %u and %u bytes, fnv1a %08x and %08x, "
		       "call errors %u\n", uart.bytes, call.bytes, (unsigned int)uart.fnv1a,
		       (unsigned int)call.fnv1a, call.call_errors);
	} else if (strcmp(name, "wbinvd") == 0) {
		cache_maintenance();
	} else if (strcmp(name, "invlpga") == 0) {
		/* every ASID's entry for address 0, the host's (ASID 0) first */
		__asm__ volatile("invlpga %%rax, %%ecx" : : "a"(0), "c"(0) : "memory");
	} else if (strcmp(name, "prefixes") == 0) {
		prefixes();
	} else if (strcmp(name, "pte-hpet") == 0) {
		pte_in_hpet();
	} else if (strcmp(name, "fetch-hpet") == 0) {
		code_in_hpet();
	} else {
		vmx_attack(name);
	}
}

int main(void)
{
	char name[16];

	if (rt_bootarg("attack", name, sizeof(name)) == NULL) {
		printf("attack: no attack=NAME in the bootargs\n");
		return 1;
	}
	printf("attack: %s\n", name);
	attack(name);
	printf("attack: %s: still running\n", name);
	return 0;
}
