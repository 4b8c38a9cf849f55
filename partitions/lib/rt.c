// SPDX-License-Identifier: Apache-2.0
/*
 * Runtime glue: the console UART and the PSCI conduit come from the device
 * tree the partition was started with; picolibc's stdio writes to the UART.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define MAX_VCPUS 8

const void *rt_fdt;
uint64_t rt_first_ns;
static volatile uint32_t *uart;
static bool psci_use_smc;
static rt_sync_handler sync_handler;
static unsigned int sync_vector;
static void (*secondary_fn[MAX_VCPUS])(uint64_t);

void rt_start(uint64_t dtb, uint64_t first_count);
void rt_secondary(uint64_t arg);
void rt_exception(struct rt_frame *f, uint64_t kind);
extern char rt_secondary_entry[];

static int uart_putc(char c, FILE *file)
{
	(void)file;
	if (uart == NULL)
		return (unsigned char)c;
	while (uart[UARTFR / 4] & FR_TXFF)
		;
	uart[UARTDR / 4] = (unsigned char)c;
	return (unsigned char)c;
}

/* Waits for input in WFE, which the hypervisor traps and returns from. */
static int uart_getc(FILE *file)
{
	(void)file;
	if (uart == NULL)
		return EOF;
	while (uart[UARTFR / 4] & FR_RXFE)
		rt_wait_event();
	return (int)(uart[UARTDR / 4] & 0xff);
}

static FILE rt_stdio = FDEV_SETUP_STREAM(uart_putc, uart_getc, NULL, _FDEV_SETUP_RW);
FILE *const stdin = &rt_stdio;
FILE *const stdout = &rt_stdio;
FILE *const stderr = &rt_stdio;

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

static int console_node(void)
{
	int chosen = fdt_path_offset(rt_fdt, "/chosen");
	int len;
	const char *path = chosen >= 0 ? fdt_getprop(rt_fdt, chosen, "stdout-path", &len) : NULL;

	if (path != NULL) {
		const char *colon = strchr(path, ':');
		int node = fdt_path_offset_namelen(rt_fdt, path,
						   colon != NULL ? (int)(colon - path) : (int)strlen(path));

		if (node >= 0)
			return node;
	}
	return fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl011");
}

static void find_devices(void)
{
	int node = console_node();
	int len;

	if (node >= 0) {
		int parent = fdt_parent_offset(rt_fdt, node);
		const fdt32_t *reg = fdt_getprop(rt_fdt, node, "reg", &len);
		int ac = fdt_address_cells(rt_fdt, parent);

		if (reg != NULL && ac > 0 && len >= ac * 4)
			uart = (volatile uint32_t *)(uintptr_t)read_cells(reg, ac);
	}
	node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,psci-0.2");
	const char *method = node >= 0 ? fdt_getprop(rt_fdt, node, "method", NULL) : NULL;

	psci_use_smc = method != NULL && strcmp(method, "smc") == 0;
}

uint64_t rt_mpidr(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
	return v;
}

void rt_set_sync_handler(rt_sync_handler h)
{
	sync_handler = h;
}

unsigned int rt_sync_vector(void)
{
	return sync_vector;
}


void rt_bulkhead_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4])
{
	smccc_call(fn, a1, a2, a3, res);
}

void smccc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4])
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (psci_use_smc)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	res[0] = x0;
	res[1] = x1;
	res[2] = x2;
	res[3] = x3;
}

int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t res[4];

	smccc_call(fn, a1, a2, a3, res);
	/* SMC32 calls (bit 30 clear) return a 32-bit result in w0. */
	if (!(fn & 0x40000000))
		return (int32_t)(uint32_t)res[0];
	return (int64_t)res[0];
}

int64_t psci_version(void)
{
	return psci_call(0x84000000, 0, 0, 0);
}

int64_t psci_cpu_on(uint64_t mpidr, void (*fn)(uint64_t), uint64_t arg)
{
	if ((mpidr & 0xff) < MAX_VCPUS)
		secondary_fn[mpidr & 0xff] = fn;
	return psci_call(0xc4000003, mpidr, (uint64_t)(uintptr_t)rt_secondary_entry, arg);
}

int64_t psci_affinity_info(uint64_t mpidr)
{
	return psci_call(0xc4000004, mpidr, 0, 0);
}

/* PSCI's ALREADY_ON and ON_PENDING are both "already on" to rt_cpu_on(). */
int64_t rt_cpu_on(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	int64_t ret = vcpu < MAX_VCPUS ? psci_cpu_on(vcpu, fn, arg) : RT_INVALID;

	if (ret == -4 || ret == -5)
		return RT_ALREADY_ON;
	return ret < 0 ? RT_INVALID : RT_SUCCESS;
}

int64_t rt_cpu_status(unsigned int vcpu)
{
	return psci_affinity_info(vcpu);
}

void rt_cpu_off(void)
{
	psci_cpu_off();
}

void rt_system_off(void)
{
	psci_system_off();
}

void rt_system_reset(void)
{
	psci_system_reset();
}

void psci_cpu_off(void)
{
	psci_call(0x84000002, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void psci_system_off(void)
{
	psci_call(0x84000008, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void psci_system_reset(void)
{
	psci_call(0x84000009, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void _exit(int status)
{
	printf("exit %d\n", status);
	psci_system_off();
}

void rt_start(uint64_t dtb, uint64_t first_count)
{
	uint64_t hz;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
	if (hz != 0)
		rt_first_ns = first_count / hz * 1000000000ull + first_count % hz * 1000000000ull / hz;
	rt_fdt = (const void *)(uintptr_t)dtb;
	if (fdt_check_header(rt_fdt) == 0)
		find_devices();
	exit(main());
}

void rt_secondary(uint64_t arg)
{
	void (*fn)(uint64_t) = secondary_fn[rt_mpidr() & 0xff];

	if (fn != NULL)
		fn(arg);
	psci_cpu_off();
}

void rt_exception(struct rt_frame *f, uint64_t kind)
{
	uint64_t esr, far;

	/* IRQ, from EL1 with SP_EL0 or SP_EL1. */
	if (kind == 1 || kind == 5) {
		rt_irq();
		return;
	}
	__asm__ volatile("mrs %0, esr_el1\n\tmrs %1, far_el1" : "=r"(esr), "=r"(far));
	/* Synchronous: from EL1 (SP_EL0 or SP_EL1), or EL0 (AArch64 or AArch32). */
	sync_vector = (unsigned int)kind * 0x80;
	if (kind % 4 == 0 && sync_handler != NULL && sync_handler(f, esr, far))
		return;
	printf("exception: kind %llu ESR_EL1 0x%llx FAR_EL1 0x%llx ELR_EL1 0x%llx\n",
	       (unsigned long long)kind, (unsigned long long)esr, (unsigned long long)far,
	       (unsigned long long)f->elr);
	for (int i = 0; i < 31; i += 2)
		printf("x%-2d 0x%016llx  x%-2d 0x%016llx\n", i, (unsigned long long)f->x[i], i + 1,
		       i + 1 < 31 ? (unsigned long long)f->x[i + 1] : 0ull);
	psci_system_off();
}

/*
 * libgcc's out-of-line atomics ask the auxiliary vector whether the CPU has
 * LSE atomics. A partition has no auxiliary vector: answer "no features",
 * and the helpers use load/store-exclusive, which every ARMv8 CPU has.
 */
unsigned long __getauxval(unsigned long type);
unsigned long __getauxval(unsigned long type)
{
	(void)type;
	return 0;
}
