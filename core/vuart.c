// SPDX-License-Identifier: Apache-2.0
/*
 * Partition console output. Characters are filtered (console_filter.c: no
 * control byte of a partition reaches the terminal), gathered per vCPU into
 * whole lines, and each line goes out in one console write with the
 * partition's name in front, so vCPUs and partitions printing at the same
 * time interleave only at line boundaries and nothing is lost.
 *
 * Input comes from the hypervisor's UART on its receive interrupt, served
 * by a CPU that runs no vCPU (from its idle loop) so that it is taken, and
 * Ctrl-T works, whatever the partitions do; each partition buffers what it
 * was sent and its virtual UART raises its own interrupt. Without a free
 * CPU the interrupt follows the focus to the focused partition's vCPU 0;
 * without an interrupt, input is polled when a guest looks at its UART.
 */

#include <string.h>

#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/arch.h>
#include <bulkhead/health.h>
#include <bulkhead/partition.h>

static void flush_line(struct vcpu *v)
{
	struct vuart_line *l = &v->out;

	log_printf("[%s] %.*s\n", v->part->cfg->name, (int)l->len, l->text);
	l->len = 0;
}

/*
 * Every byte a partition writes, through its virtual UART or the
 * CONSOLE_WRITE hypercall, comes here, and goes through the console filter
 * before it joins the line: no control byte reaches the terminal, so each
 * line the partition writes starts with its prefix and stays its own.
 * What one byte gives is never split between two lines.
 */
void vuart_putc(struct vcpu *v, char c)
{
	struct vuart_line *l = &v->out;
	struct console_filter_out out;

	console_filter_byte(&l->filter, (uint8_t)c, &out);
	if (l->len + out.len > VUART_LINE_MAX)
		flush_line(v);
	(void)memcpy(&l->text[l->len], out.text, out.len);
	l->len += out.len;
	if (out.end_line || l->len == VUART_LINE_MAX)
		flush_line(v);
}

static struct spinlock input_lock = SPINLOCK_INIT;
static struct partition *inputs[MAX_PARTITIONS];
static unsigned int input_count;
static unsigned int focus;
static bool input_by_interrupt;  /* else polled on guest access */
static bool input_follows_focus; /* no free CPU: routed to the focus's vCPU 0 */
static uint32_t input_irq;

void vuart_input_register(struct partition *part)
{
	if (part->cfg->console != PARTITION_CONSOLE_VUART || input_count == MAX_PARTITIONS)
		return;
	spin_lock(&input_lock);
	inputs[input_count++] = part;
	spin_unlock(&input_lock);
	if (input_count == 1)
		log_printf("console: input goes to %s; Ctrl-T moves it to the next partition\n"
			   "console: Ctrl-T s lists the partitions' status\n", part->cfg->name);
}

/* A CPU that is online and runs no vCPU, or -1. */
void vuart_input_start(const struct platform *p)
{
	if (input_count == 0 || p->console_irq == 0)
		return;
	int cpu = cpu_without_vcpu(p);

	input_irq = p->console_irq;
	input_follows_focus = cpu < 0;
	if (input_follows_focus)
		cpu = (int)inputs[focus]->vcpus[0]->pcpu;
	input_by_interrupt = arch_console_input_route((unsigned int)cpu, input_irq);
	if (input_by_interrupt)
		log_printf("console: input on interrupt %u, taken by CPU %d%s\n", input_irq, cpu,
			   input_follows_focus ? " (no free CPU: it follows the focus)" : "");
}

/*
 * Ctrl-T is the hypervisor's key: the one after it says what to do. "s"
 * lists the partitions' status; any other moves the focus to the next
 * partition and goes to it (Ctrl-T Ctrl-T moves it twice, as before).
 */
static bool command_pending;

/* The focus moves on: the key after Ctrl-T was not a command. */
static void next_focus(bool *refocused)
{
	focus = (focus + 1) % input_count;
	*refocused = true;
	log_printf("console: input goes to %s\n", inputs[focus]->cfg->name);
}

/*
 * Drain the physical UART into the focused partition's buffer (lock held).
 * Returns the partitions (bits of inputs[]) that were given something and
 * says whether the focus moved.
 */
static uint32_t drain_physical(bool *refocused)
{
	uint32_t given = 0;
	int c;

	while ((c = arch_console_getc()) >= 0) {
		if (input_count == 0)
			continue;
		if (command_pending) {
			command_pending = false;
			if (c == VUART_STATUS_KEY) {
				console_status_print();
				continue;
			}
			next_focus(refocused);
		}
		if (c == VUART_FOCUS_KEY) {
			command_pending = true;
			continue;
		}
		struct vuart_input *in = &inputs[focus]->input;

		/* A full buffer drops what is typed, as a UART would overrun. */
		if (in->head - in->tail < VUART_INPUT_MAX) {
			in->buf[in->head++ % VUART_INPUT_MAX] = (char)c;
			given |= 1u << focus;
		}
	}
	return given;
}

void vuart_input_interrupt(void)
{
	bool refocused = false;

	spin_lock(&input_lock);
	uint32_t given = drain_physical(&refocused);
	unsigned int focus_cpu = input_count != 0 ? inputs[focus]->vcpus[0]->pcpu : 0;

	spin_unlock(&input_lock);
	/* Outside the input lock: a virtual UART's lock comes before it. */
	for (unsigned int i = 0; given != 0; i++, given >>= 1) {
		if (given & 1)
			arch_vuart_input(inputs[i]);
	}
	if (refocused && input_follows_focus)
		(void)arch_console_input_route(focus_cpu, input_irq);
}

/* Without the interrupt, a guest looking at its UART drains the physical
 * one; nobody waits for an interrupt then, so no one needs telling. */
static void poll_without_interrupt(void)
{
	bool refocused = false;

	if (!input_by_interrupt)
		(void)drain_physical(&refocused);
}

int vuart_getc(struct partition *part)
{
	int c = -1;

	spin_lock(&input_lock);
	poll_without_interrupt();
	if (part->input.head != part->input.tail)
		c = (unsigned char)part->input.buf[part->input.tail++ % VUART_INPUT_MAX];
	spin_unlock(&input_lock);
	return c;
}

unsigned int vuart_input_count(struct partition *part)
{
	spin_lock(&input_lock);
	poll_without_interrupt();
	unsigned int waiting = part->input.head - part->input.tail;

	spin_unlock(&input_lock);
	return waiting;
}
