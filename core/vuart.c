// SPDX-License-Identifier: Apache-2.0
/*
 * Partition console output. Characters are gathered per vCPU into whole
 * lines and each line goes out in one console write with the partition's
 * name in front, so vCPUs and partitions printing at the same time
 * interleave only at line boundaries and nothing is lost.
 *
 * Input is polled from the hypervisor's UART when a guest looks at its
 * virtual UART (until the GIC driver brings the receive interrupt).
 */

#include <bulkhead/console.h>
#include <bulkhead/arch.h>
#include <bulkhead/partition.h>

static void flush_line(struct vcpu *v)
{
	struct vuart_line *l = &v->out;

	log_printf("[%s] %.*s\n", v->part->cfg->name, (int)l->len, l->text);
	l->len = 0;
}

void vuart_putc(struct vcpu *v, char c)
{
	struct vuart_line *l = &v->out;

	if (c == '\n') {
		flush_line(v);
	} else if (c != '\r') {
		l->text[l->len++] = c;
		if (l->len == VUART_LINE_MAX)
			flush_line(v);
	}
}

static struct spinlock input_lock = SPINLOCK_INIT;
static struct partition *inputs[MAX_PARTITIONS];
static unsigned int input_count;
static unsigned int focus;

void vuart_input_register(struct partition *part)
{
	if (part->cfg->console != PARTITION_CONSOLE_VUART || input_count == MAX_PARTITIONS)
		return;
	spin_lock(&input_lock);
	inputs[input_count++] = part;
	spin_unlock(&input_lock);
	if (input_count == 1)
		log_printf("console: input goes to %s; Ctrl-T moves it to the next partition\n",
			   part->cfg->name);
}

/* Drain the physical UART into the focused partition's buffer (lock held). */
static void poll_physical(void)
{
	int c;

	while ((c = arch_console_getc()) >= 0) {
		if (input_count == 0)
			continue;
		if (c == VUART_FOCUS_KEY) {
			focus = (focus + 1) % input_count;
			log_printf("console: input goes to %s\n", inputs[focus]->cfg->name);
			continue;
		}
		struct vuart_input *in = &inputs[focus]->input;

		/* A full buffer drops what is typed, as a UART would overrun. */
		if (in->head - in->tail < VUART_INPUT_MAX)
			in->buf[in->head++ % VUART_INPUT_MAX] = (char)c;
	}
}

int vuart_getc(struct partition *part)
{
	int c = -1;

	spin_lock(&input_lock);
	poll_physical();
	if (part->input.head != part->input.tail)
		c = (unsigned char)part->input.buf[part->input.tail++ % VUART_INPUT_MAX];
	spin_unlock(&input_lock);
	return c;
}

bool vuart_input_waiting(struct partition *part)
{
	spin_lock(&input_lock);
	poll_physical();
	bool waiting = part->input.head != part->input.tail;

	spin_unlock(&input_lock);
	return waiting;
}
