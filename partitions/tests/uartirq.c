// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual UART's interrupt. First the transmit interrupt: enabled with
 * the (always empty) transmit FIFO, it must fire. Then lines typed at the
 * partition are read only by the interrupt handler, on the receive and
 * receive-timeout interrupts, while the program waits in WFI; each line is
 * echoed, and "quit" ends with the interrupt counts.
 */

#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "rt.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define FR_RXFE (1u << 4)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)

#define TEXT_MAX 64

#define LINES 4

static volatile uint32_t *uart;
static unsigned int uart_intid;
static volatile unsigned int tx_irqs, rx_irqs, other_irqs;
static volatile bool tx_fired;
static char typing[TEXT_MAX];
static unsigned int typed;
/* Whole lines from the handler to main: a ring written only by the
 * handler (head) and read only by main (tail). */
static char lines[LINES][TEXT_MAX];
static volatile unsigned int lines_head, lines_tail;

static void receive(void)
{
	while (!(uart[UARTFR / 4] & FR_RXFE)) {
		char c = (char)(uart[UARTDR / 4] & 0xff);

		if (c == '\r')
			continue;
		if (c != '\n' && typed < TEXT_MAX - 1) {
			typing[typed++] = c;
			continue;
		}
		if (c != '\n')
			continue; /* beyond TEXT_MAX: dropped */
		if (lines_head - lines_tail < LINES) {
			memcpy(lines[lines_head % LINES], typing, typed);
			lines[lines_head % LINES][typed] = '\0';
			__asm__ volatile("" : : : "memory");
			lines_head++;
		}
		typed = 0;
	}
}

static void on_irq(unsigned int intid)
{
	if (intid != uart_intid) {
		other_irqs++;
		return;
	}
	uint32_t mis = uart[UARTMIS / 4];

	if (mis & INT_TX) {
		tx_irqs++;
		tx_fired = true;
		uart[UARTIMSC / 4] &= ~INT_TX; /* nothing more to send */
	}
	if (mis & (INT_RX | INT_RT)) {
		rx_irqs++;
		receive();
	}
}

static bool line_waiting(void)
{
	return lines_head != lines_tail;
}

static bool tx_was_fired(void)
{
	return tx_fired;
}

/* Sleep until the handler made @done true; IRQs masked around the check
 * so that an interrupt between it and WFI still ends the WFI. */
static void wait_for(bool (*done)(void))
{
	for (;;) {
		__asm__ volatile("msr daifset, #2" : : : "memory");
		if (done())
			break;
		__asm__ volatile("wfi\n\tmsr daifclr, #2\n\tisb" : : : "memory");
	}
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static bool find_uart(void)
{
	int node = fdt_node_offset_by_compatible(rt_fdt, -1, "arm,pl011");
	int len;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(rt_fdt, node, "reg", &len) : NULL;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(rt_fdt, node, "interrupts", &len) : NULL;

	if (reg == NULL || irq == NULL || len != 12 || fdt32_to_cpu(irq[0]) != 0)
		return false;
	uart = (volatile uint32_t *)(uintptr_t)((uint64_t)fdt32_to_cpu(reg[0]) << 32 |
						  fdt32_to_cpu(reg[1]));
	uart_intid = fdt32_to_cpu(irq[1]) + 32;
	return true;
}

int main(void)
{
	if (!find_uart() || !rt_gic_init()) {
		printf("uartirq: no virtual UART interrupt in the device tree\n");
		psci_system_off();
	}
	rt_set_irq_handler(on_irq);
	rt_gic_enable_spi(uart_intid, 0x80);
	rt_irq_enable();
	printf("uartirq: SPI %u, RIS 0x%x\n", uart_intid, (unsigned int)uart[UARTRIS / 4]);

	uart[UARTIMSC / 4] = INT_TX;
	wait_for(tx_was_fired);
	printf("uartirq: TX interrupt with an empty FIFO (%u)\n", tx_irqs);

	uart[UARTICR / 4] = INT_RX | INT_RT;
	uart[UARTIMSC / 4] = INT_RX | INT_RT;
	printf("uartirq: ready\n");
	for (;;) {
		wait_for(line_waiting);
		char line[TEXT_MAX];

		memcpy(line, lines[lines_tail % LINES], sizeof(line));
		lines_tail++;
		printf("uartirq: got '%s'\n", line);
		if (strcmp(line, "quit") == 0)
			break;
	}
	printf("uartirq: interrupts: rx %u, tx %u, other %u\n", rx_irqs, tx_irqs, other_irqs);
	psci_system_off();
}
