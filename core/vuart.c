// SPDX-License-Identifier: Apache-2.0
/*
 * Partition console output. Characters are gathered per partition into
 * whole lines and each line goes out in one console write with the
 * partition's name in front, so partitions printing at the same time
 * interleave only at line boundaries and nothing is lost.
 */

#include <bulkhead/console.h>
#include <bulkhead/partition.h>

static void flush_line(struct partition *part)
{
	struct vuart *u = &part->vuart;

	log_printf("[%s] %.*s\n", part->cfg->name, (int)u->len, u->line);
	u->len = 0;
}

void vuart_putc(struct partition *part, char c)
{
	struct vuart *u = &part->vuart;

	/* One vCPU's line at a time: the partition lock orders its vCPUs. */
	spin_lock(&part->lock);
	if (c == '\n') {
		flush_line(part);
	} else if (c != '\r') {
		u->line[u->len++] = c;
		if (u->len == VUART_LINE_MAX)
			flush_line(part);
	}
	spin_unlock(&part->lock);
}
