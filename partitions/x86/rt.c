// SPDX-License-Identifier: Apache-2.0
/*
 * Runtime glue: the console is the 16550 named by /chosen/stdout-path of the
 * partition's device tree (in I/O space, under a `bulkhead,io-ports` bus);
 * printf formats with the hypervisor's own freestanding vsnprintf.
 */

#include <stdarg.h>
#include <string.h>

#include <libfdt.h>

#include <bulkhead/console.h>

#include "rt.h"

#define HC_SYSTEM_OFF 1
#define HC_SYSTEM_RESET 2
#define HC_CPU_ON 3
#define HC_CPU_OFF 4
#define HC_CPU_STATUS 5
#define MAX_VCPUS 8
#define LSR 5
#define LSR_THR_EMPTY 0x20

#define CPUID_HYPERVISOR 0x40000000u
#define CPUID_TSC_KHZ 0x40000010u
#define CPUID_FEATURES 0x40000001u
#define CPUID_FEATURE_VMCALL 1u

const void *rt_fdt;
uint64_t rt_tsc_hz;
static uint16_t uart;

void rt_start(uint64_t dtb);
void rt_secondary(uint64_t vcpu);
static void idt_load(void);
extern char rt_secondary_entry[];

/* What each secondary vCPU runs, and with what: set before CPU_ON, under a
 * claim held until the vCPU has read them, so a concurrent CPU_ON for the
 * same vCPU cannot change them. */
static void (*secondary_fn[MAX_VCPUS])(uint64_t);
static uint64_t secondary_arg[MAX_VCPUS];
static uint32_t secondary_claimed[MAX_VCPUS];

static void find_uart(void)
{
	int chosen = fdt_path_offset(rt_fdt, "/chosen");
	int len;
	const char *path = chosen >= 0 ? fdt_getprop(rt_fdt, chosen, "stdout-path", &len) : NULL;
	int node = path != NULL ? fdt_path_offset(rt_fdt, path) : -1;
	int parent = node >= 0 ? fdt_parent_offset(rt_fdt, node) : -1;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;

	if (parent >= 0 && fdt_getprop(rt_fdt, parent, "bulkhead,io-ports", NULL) != NULL &&
	    reg != NULL && len >= 4)
		uart = (uint16_t)fdt32_to_cpu(reg[0]);
}

static void putc_uart(char c)
{
	if (uart == 0)
		return;
	while (!(rt_inb(uart + LSR) & LSR_THR_EMPTY))
		__asm__ volatile("pause");
	rt_outb(uart, (uint8_t)c);
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = bh_vsnprintf(buf, sizeof(buf), fmt, ap);

	va_end(ap);
	for (int i = 0; i < n && i < (int)sizeof(buf) - 1; i++)
		putc_uart(buf[i]);
	return n;
}

/* The hypercall instruction the CPU has: VMCALL on Intel VMX, VMMCALL on
 * AMD SVM, as Bulkhead's CPUID leaf 0x40000001 says (EAX bit 0). The other
 * one raises #UD, which Bulkhead also takes as the hypercall on VMX, at the
 * cost of fetching and decoding it. Chosen once, at start. */
bool rt_use_vmcall;

static bool hypercall_is_vmcall(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(CPUID_HYPERVISOR), "c"(0));
	if (a < CPUID_FEATURES)
		return false;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(CPUID_FEATURES), "c"(0));
	return (a & CPUID_FEATURE_VMCALL) != 0;
}

static uint64_t hypercall3(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t res[4];

	rt_bulkhead_call((uint32_t)fn, a1, a2, a3, res);
	return res[0];
}

void rt_bulkhead_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t res[4])
{
	uint64_t rax = fn, rbx = a1, rcx = a2, rdx = a3;

	if (rt_use_vmcall)
		__asm__ volatile("vmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : : "memory");
	else
		__asm__ volatile("vmmcall" : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx) : : "memory");
	res[0] = rax;
	res[1] = rbx;
	res[2] = rcx;
	res[3] = rdx;
}

static uint64_t hypercall(uint64_t fn)
{
	return hypercall3(fn, 0, 0, 0);
}

int64_t rt_cpu_claim(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	uint32_t unclaimed = 0;

	if (vcpu >= MAX_VCPUS)
		return RT_INVALID;
	if (!__atomic_compare_exchange_n(&secondary_claimed[vcpu], &unclaimed, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return RT_ALREADY_ON; /* another start of it is under way */
	secondary_fn[vcpu] = fn;
	secondary_arg[vcpu] = arg;
	return RT_SUCCESS;
}

void rt_cpu_unclaim(unsigned int vcpu)
{
	__atomic_store_n(&secondary_claimed[vcpu], 0, __ATOMIC_RELEASE);
}

int64_t rt_cpu_on(unsigned int vcpu, void (*fn)(uint64_t), uint64_t arg)
{
	int64_t ret = rt_cpu_claim(vcpu, fn, arg);

	if (ret != RT_SUCCESS)
		return ret;
	/* The context is the vCPU number: rt_secondary() looks up the rest. */
	ret = (int64_t)hypercall3(HC_CPU_ON, vcpu, (uint64_t)(uintptr_t)rt_secondary_entry, vcpu);
	if (ret != RT_SUCCESS)
		rt_cpu_unclaim(vcpu);
	return ret;
}

void rt_cpu_off(void)
{
	hypercall(HC_CPU_OFF);
	for (;;)
		__asm__ volatile("hlt");
}

int64_t rt_cpu_status(unsigned int vcpu)
{
	return (int64_t)hypercall3(HC_CPU_STATUS, vcpu, 0, 0);
}

void rt_secondary(uint64_t vcpu)
{
	idt_load();
	if (vcpu >= MAX_VCPUS)
		rt_cpu_off();
	void (*fn)(uint64_t) = secondary_fn[vcpu];
	uint64_t arg = secondary_arg[vcpu];

	rt_cpu_unclaim((unsigned int)vcpu);
	if (fn != NULL)
		fn(arg);
	rt_cpu_off();
}

void rt_system_off(void)
{
	hypercall(HC_SYSTEM_OFF);
	for (;;)
		__asm__ volatile("hlt");
}

void rt_system_reset(void)
{
	hypercall(HC_SYSTEM_RESET);
	for (;;)
		__asm__ volatile("hlt");
}

#define RT_VECTORS 0x50
#define GUEST_IRQ_VECTOR_BASE 0x20
#define LAPIC_VECTOR_BASE 0x38

struct idt_gate {
	uint16_t offset_low, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

extern const uint64_t rt_trap_stubs[RT_VECTORS];
static struct idt_gate idt[RT_VECTORS] __attribute__((aligned(16)));
static rt_irq_handler irq_handler;
static rt_vector_handler lapic_handler;
static rt_event_handler timer_handler, ipi_handler;

void rt_trap(uint64_t vector, uint64_t error, uint64_t rip);

void rt_set_irq_handler(rt_irq_handler h)
{
	irq_handler = h;
}

void rt_set_lapic_handler(rt_vector_handler h)
{
	lapic_handler = h;
}

/* Plain 32-bit moves through a register, the form the hypervisor decodes:
 * left to itself the compiler may pick a MOV with a 64-bit absolute address. */
void rt_lapic_write(unsigned int offset, uint32_t value)
{
	uintptr_t at = RT_LAPIC_BASE + offset;

	__asm__ volatile("movl %1, (%0)" : : "r"(at), "r"(value) : "memory");
}

uint32_t rt_lapic_read(unsigned int offset)
{
	uintptr_t at = RT_LAPIC_BASE + offset;
	uint32_t value;

	__asm__ volatile("movl (%1), %0" : "=r"(value) : "r"(at) : "memory");
	return value;
}

#define SVR_ENABLED_SPURIOUS_FF 0x1ff
#define LVT_MASKED (1u << 16)
#define TIMER_DIVIDE_BY_1 0xb
#define TIMER_DIVIDE_BY_128 0xa

bool rt_irq_init(void)
{
	rt_lapic_write(RT_LAPIC_SVR, SVR_ENABLED_SPURIOUS_FF);
	return true;
}

void rt_set_timer_handler(rt_event_handler h)
{
	timer_handler = h;
}

/* The timer counts at 1 GHz before its divider: 1 ns a count up to 4.29 s,
 * 128 ns beyond (rounded up: never early). */
void rt_timer_start(uint64_t ns)
{
	uint32_t divide = TIMER_DIVIDE_BY_1;
	uint64_t count = ns;

	if (count > UINT32_MAX) {
		divide = TIMER_DIVIDE_BY_128;
		count = (ns + 127) / 128;
		if (count > UINT32_MAX)
			count = UINT32_MAX;
	}
	rt_lapic_write(RT_LAPIC_TIMER_DIVIDE, divide);
	rt_lapic_write(RT_LAPIC_LVT_TIMER, RT_TIMER_VECTOR); /* one-shot, unmasked */
	rt_lapic_write(RT_LAPIC_TIMER_INITIAL, count != 0 ? (uint32_t)count : 1);
}

void rt_timer_stop(void)
{
	rt_lapic_write(RT_LAPIC_LVT_TIMER, LVT_MASKED | RT_TIMER_VECTOR);
	rt_lapic_write(RT_LAPIC_TIMER_INITIAL, 0);
}

void rt_set_ipi_handler(rt_event_handler h)
{
	ipi_handler = h;
}

/* A fixed IPI to APIC ID @vcpu (physical destination). */
void rt_send_ipi(unsigned int vcpu)
{
	rt_lapic_write(RT_LAPIC_ICR_HIGH, vcpu << 24);
	rt_lapic_write(RT_LAPIC_ICR_LOW, RT_IPI_VECTOR);
}

static void lapic_vector(unsigned int vector)
{
	if (vector == RT_TIMER_VECTOR && timer_handler != NULL)
		timer_handler();
	else if (vector == RT_IPI_VECTOR && ipi_handler != NULL)
		ipi_handler();
	else if (lapic_handler != NULL)
		lapic_handler(vector);
}

/* Device interrupts arrive at 0x20 + pin; any exception is fatal for the
 * partition: reported, then it powers itself off. */
void rt_trap(uint64_t vector, uint64_t error, uint64_t rip)
{
	if (vector >= LAPIC_VECTOR_BASE) {
		lapic_vector((unsigned int)vector);
		rt_lapic_write(RT_LAPIC_EOI, 0);
		return;
	}
	if (vector >= GUEST_IRQ_VECTOR_BASE) {
		if (irq_handler != NULL)
			irq_handler((unsigned int)(vector - GUEST_IRQ_VECTOR_BASE));
		rt_lapic_write(RT_LAPIC_EOI, 0);
		return;
	}
	printf("rt: exception %llu (error 0x%llx) at rip 0x%llx on vCPU %u\n",
	       (unsigned long long)vector, (unsigned long long)error, (unsigned long long)rip,
	       rt_vcpu());
	rt_system_off();
}

static void idt_load(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} pointer = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	__asm__ volatile("lidt %0" : : "m"(pointer));
}

static void idt_init(void)
{
	for (unsigned int v = 0; v < RT_VECTORS; v++) {
		uint64_t at = rt_trap_stubs[v];

		idt[v] = (struct idt_gate){(uint16_t)at, 0x08, 0, 0x8e, (uint16_t)(at >> 16),
					   (uint32_t)(at >> 32), 0};
	}
	idt_load();
}

/* Bulkhead's TSC rate (docs/x86.md), if its CPUID leaves reach that far. */
static uint64_t tsc_hz_from_cpuid(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(CPUID_HYPERVISOR), "c"(0));
	if (a < CPUID_TSC_KHZ)
		return 0;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(CPUID_TSC_KHZ), "c"(0));
	return (uint64_t)a * 1000;
}

void rt_start(uint64_t dtb)
{
	idt_init();
	rt_use_vmcall = hypercall_is_vmcall();
	rt_tsc_hz = tsc_hz_from_cpuid();
	rt_fdt = (const void *)(uintptr_t)dtb;
	if (fdt_check_header(rt_fdt) != 0)
		rt_fdt = NULL;
	else
		find_uart();
	main();
	rt_system_off();
}
