// SPDX-License-Identifier: Apache-2.0
/*
 * The UART the hypervisor's console writes to, once a port has made its
 * registers reachable (arch_console_attach): the same holder for every
 * port, so that arch_console_tx() and arch_console_getc() are one line
 * each there.
 */

#include <uart/uart.h>

static struct uart *console;

void uart_console_start(struct uart *u)
{
	u->drv->init(u);
	console = u;
}

struct uart *uart_console(void)
{
	return console;
}

size_t uart_console_tx(const char *buf, size_t len)
{
	/* Before a console is attached, output has nowhere to go: taken. */
	return console != NULL ? uart_tx(console, buf, len) : len;
}

int uart_console_getc(void)
{
	return console != NULL ? console->drv->rx_get(console) : -1;
}
