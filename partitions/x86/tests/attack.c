// SPDX-License-Identifier: Apache-2.0
/*
 * One attack on the hypervisor per boot, chosen by the bootarg attack=NAME:
 * SVM instructions, the hypervisor's MSRs, EFER.SVME, ports it keeps, a
 * triple fault, a fetch outside the partition, an odd-sized local APIC
 * access, an INIT to itself, control bytes and escape sequences for the
 * operator's terminal (console_spoof.c). Each must end in an exception for this
 * partition or its stop, never in the hypervisor's or a neighbour's harm;
 * "still running" follows the attacks the hypervisor lets pass harmlessly.
 */

#include <string.h>

#include "console_spoof.h"
#include "rt.h"

#define MSR_APIC_BASE 0x1bu
#define MSR_VM_HSAVE_PA 0xc0010117u
#define MSR_EFER 0xc0000080u
#define EFER_SVME (1ull << 12)

static void triple_fault(void)
{
	static const struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} empty = {0, 0};

	__asm__ volatile("lidt %0\n\tint3" : : "m"(empty) : "memory");
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
