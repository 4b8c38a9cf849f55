// SPDX-License-Identifier: Apache-2.0
/*
 * The host "fake" architecture: implements the arch interface so core code
 * runs on the host, in unit tests and in host tools (bulkhead-check). The
 * console is a buffer the tests read, optionally mirrored to a stream; time
 * is a variable the tests set; nothing ever blocks.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/arch.h>
#include <bulkhead/cpu.h>
#include <bulkhead/platform.h>
#include <uart/uart.h>

#define CONSOLE_MAX (64 * 1024)

const char arch_name[] = "fake";
/* bulkhead-check validates x86 systems too: their consoles are ports. */
const bool arch_uart_io_space = true;

static char console_buf[CONSOLE_MAX];
static size_t console_len;
int fake_console_attached_node = -1;
FILE *fake_console_mirror;
uint64_t fake_time_ns;

/* Kept for good, as the real pool's pages are: linked from here, so the
 * leak checker sees them reachable even when boot drops its pointer (a
 * refused configuration's tables). */
struct boot_block {
	struct boot_block *next;
	max_align_t data[];
};
static struct boot_block *boot_blocks;

void *arch_boot_alloc(size_t bytes)
{
	struct boot_block *b = calloc(1, sizeof(*b) + bytes);

	if (b == NULL)
		return NULL;
	b->next = boot_blocks;
	boot_blocks = b;
	return b->data;
}
void *arch_boot_alloc_pinned(size_t bytes)
{
	return arch_boot_alloc(bytes);
}

/* The fake arch builds no tables. */
enum bh_err arch_table_pool_add(uint64_t base, uint64_t size)
{
	(void)base;
	(void)size;
	return BH_OK;
}
/* The hypervisor's colours: the fake moves nothing; the tests set what it
 * says its image takes (0: it cannot colour) and what preparing answers. */
uint64_t fake_hyp_colour_size;
enum bh_err fake_hyp_colour_prepare_result = BH_ERR_UNSUPPORTED;
uint64_t fake_hyp_colour_span;

uint64_t arch_hyp_colour_size(void)
{
	return fake_hyp_colour_size;
}

enum bh_err arch_hyp_colour_prepare(const struct system_config *sys, uint64_t span_base)
{
	(void)sys;
	fake_hyp_colour_span = span_base;
	return fake_hyp_colour_prepare_result;
}

enum bh_err arch_hyp_colour_switch(void)
{
	return BH_ERR_UNSUPPORTED;
}

void arch_hyp_colour_poll(void)
{
}

unsigned int fake_cpu_starts;
uint64_t fake_cpu_last_started_hwid;
unsigned int fake_halts;
jmp_buf *fake_halt_jmp;
unsigned int fake_kicks;
struct partition *fake_doorbell_part;
uint32_t fake_doorbell_intid;
uint64_t fake_kicked_cpus;

const char *fake_console_output(void)
{
	return console_buf;
}

void fake_console_reset(void)
{
	console_len = 0;
	console_buf[0] = '\0';
}

size_t fake_console_room = SIZE_MAX;
size_t fake_console_tx_max = SIZE_MAX;
unsigned int fake_console_tx_calls;
uint32_t (*fake_uart_read)(uint64_t off, unsigned int width);
void (*fake_uart_write)(uint64_t off, unsigned int width, uint32_t v);

uint32_t arch_uart_read(const struct uart *u, uint64_t off, unsigned int width)
{
	(void)u;
	return fake_uart_read != NULL ? fake_uart_read(off, width) : 0;
}

void arch_uart_write(const struct uart *u, uint64_t off, unsigned int width, uint32_t v)
{
	(void)u;
	if (fake_uart_write != NULL)
		fake_uart_write(off, width, v);
}

/* The driver is chosen (uart_select(), as on the hardware) but never
 * started: output goes to the buffer. */
enum bh_err arch_console_attach(const void *fdt, int node, struct uart *u)
{
	(void)fdt;
	(void)u;
	fake_console_attached_node = node;
	return BH_OK;
}

/* Takes at most fake_console_tx_max bytes a call (a slow UART, whose
 * FIFO empties between calls) and fake_console_room in all until the test
 * sets it again (a stalled one). */
void (*fake_console_tx_hook)(void);

size_t arch_console_tx(const char *buf, size_t len)
{
	if (fake_console_tx_hook != NULL)
		fake_console_tx_hook();
	fake_console_tx_calls++;
	if (len > fake_console_tx_max)
		len = fake_console_tx_max;
	if (len > fake_console_room)
		len = fake_console_room;
	if (fake_console_room != SIZE_MAX)
		fake_console_room -= len;
	/* Streams want plain newlines; the CR is for UARTs. */
	for (size_t i = 0; fake_console_mirror != NULL && i < len; i++) {
		if (buf[i] != '\r')
			fputc(buf[i], fake_console_mirror);
	}
	size_t keep = len;

	if (console_len + keep >= CONSOLE_MAX)
		keep = CONSOLE_MAX - 1 - console_len;
	memcpy(console_buf + console_len, buf, keep);
	console_len += keep;
	console_buf[console_len] = '\0';
	return len;
}

const char *fake_console_input;
bool fake_console_input_irq;
int fake_console_input_cpu = -1;
unsigned int fake_vuart_inputs;
struct partition *fake_vuart_input_part;

int arch_console_getc(void)
{
	if (fake_console_input == NULL || *fake_console_input == '\0')
		return -1;
	return (unsigned char)*fake_console_input++;
}

bool arch_console_input_route(unsigned int cpu_index, uint32_t intid)
{
	(void)intid;
	fake_console_input_cpu = (int)cpu_index;
	return fake_console_input_irq;
}

void arch_vuart_input(struct partition *part)
{
	fake_vuart_inputs++;
	fake_vuart_input_part = part;
}

void arch_doorbell_raise(struct partition *part, uint32_t intid)
{
	fake_doorbell_part = part;
	fake_doorbell_intid = intid;
}

_Thread_local unsigned int fake_cpu_index;
unsigned int fake_wait_events;

unsigned int arch_cpu_index(void)
{
	return fake_cpu_index;
}

/* Host threads stand for CPUs in the tests that race two of them: a
 * waiting "CPU" lets the others run. */
uint64_t fake_wait_time_step;

void arch_wait_event(void)
{
	(void)__atomic_fetch_add(&fake_wait_events, 1u, __ATOMIC_SEQ_CST);
	if (fake_wait_time_step != 0)
		(void)__atomic_fetch_add(&fake_time_ns, fake_wait_time_step, __ATOMIC_SEQ_CST);
	(void)sched_yield();
}

void arch_send_event(void)
{
}

jmp_buf *fake_idle_jmp;

void arch_cpu_idle(void)
{
	if (fake_idle_jmp != NULL)
		longjmp(*fake_idle_jmp, 1);
}

void arch_cpu_kick(unsigned int cpu_index)
{
	fake_kicks++;
	if (cpu_index < 64)
		fake_kicked_cpus |= 1ull << cpu_index;
}

NORETURN void arch_cpu_halt(void)
{
	fake_halts++;
	if (fake_halt_jmp != NULL)
		longjmp(*fake_halt_jmp, 1);
	fprintf(stderr, "fake arch: arch_cpu_halt called\n");
	abort();
}

uint64_t arch_time_ns(void)
{
	return fake_time_ns;
}

enum bh_err arch_platform_parse(const void *fdt, struct platform *p)
{
	(void)fdt;
	(void)p;
	return BH_OK;
}

void arch_platform_report(const struct platform *p)
{
	(void)p;
}

uint64_t fake_cpu_start_fail;

enum bh_err arch_cpu_start(const struct platform *p, struct cpu *cpu)
{
	(void)p;
	if (cpu->hwid < 64 && (fake_cpu_start_fail & (1ull << cpu->hwid)) != 0)
		return BH_ERR_FIRMWARE;
	fake_cpu_starts++;
	fake_cpu_last_started_hwid = cpu->hwid;
	return BH_OK;
}

void arch_cpu_online_hook(struct cpu *cpu)
{
	(void)cpu;
}

enum bh_err arch_partition_init(struct partition *part, const struct platform *p)
{
	(void)part;
	(void)p;
	return BH_OK;
}

enum bh_err arch_partitions_built(const struct platform *p)
{
	(void)p;
	return BH_OK;
}

void arch_sync_guest_memory(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
}

void arch_clear_guest_memory(uint64_t pa, uint64_t size)
{
	(void)pa;
	(void)size;
}

unsigned int fake_device_resets;

void arch_partition_reset_devices(struct partition *part)
{
	(void)part;
	fake_device_resets++;
}

void arch_vcpu_reset(struct vcpu *vcpu)
{
	(void)vcpu;
}

void (*fake_vcpu_enter_hook)(struct vcpu *vcpu);

void arch_vcpu_enter(struct vcpu *vcpu)
{
	if (fake_vcpu_enter_hook != NULL)
		fake_vcpu_enter_hook(vcpu);
}
