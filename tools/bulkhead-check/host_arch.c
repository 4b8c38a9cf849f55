// SPDX-License-Identifier: Apache-2.0
/*
 * The arch interface as bulkhead-check needs it: the core configuration
 * code runs on the host, and "the console" is standard output.
 */

#include <stdio.h>

#include <libfdt.h>

#include <bulkhead/arch.h>

const char *const arch_console_compatibles[] = {"arm,pl011", NULL};

enum bh_err arch_console_attach(const void *fdt, int node)
{
	return fdt_node_check_compatible(fdt, node, "arm,pl011") == 0 ? BH_OK : BH_ERR_UNSUPPORTED;
}

void arch_console_write(const char *buf, size_t len)
{
	fwrite(buf, 1, len, stdout);
}

int arch_console_getc(void)
{
	return -1;
}

unsigned int arch_cpu_index(void)
{
	return 0;
}

void arch_wait_event(void)
{
}

void arch_send_event(void)
{
}
