// SPDX-License-Identifier: Apache-2.0
/*
 * Partition console output. Characters are gathered per vCPU into whole
 * lines and each line goes out in one console write with the partition's
 * name in front, so vCPUs and partitions printing at the same time
 * interleave only at line boundaries and nothing is lost.
 */

#include <bulkhead/console.h>
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
