// SPDX-License-Identifier: Apache-2.0
/*
 * The x86 side of the console: register access for drivers/uart (a 16550
 * in I/O space, "ns16550a" or "ns16550" under a bus with the
 * `bulkhead,io-ports` property, or in memory below 4 GiB, identity mapped).
 * Console input is polled: the virtual 16550 reads it when the guest looks.
 */

#include <bulkhead/arch.h>
#include <bulkhead/platform.h>
#include <uart/uart.h>

#include <arch/x86.h>

const bool arch_uart_io_space = true;
/* No IOMMU driver yet: DMA masters need identity-mapped memory. */
const char *const arch_iommu_compatibles[] = {NULL};


uint32_t arch_uart_read(const struct uart *u, uint64_t off, unsigned int width)
{
	/* A UART in I/O space is byte-wide: its registers are ports. */
	if (u->io)
		return inb((uint16_t)(u->base + off));
	if (width == 1u)
		return *(volatile uint8_t *)(uintptr_t)(u->base + off);
	if (width == 2u)
		return *(volatile uint16_t *)(uintptr_t)(u->base + off);
	return *(volatile uint32_t *)(uintptr_t)(u->base + off);
}

void arch_uart_write(const struct uart *u, uint64_t off, unsigned int width, uint32_t v)
{
	if (u->io) {
		outb((uint16_t)(u->base + off), (uint8_t)v);
	} else if (width == 1u) {
		*(volatile uint8_t *)(uintptr_t)(u->base + off) = (uint8_t)v;
	} else if (width == 2u) {
		*(volatile uint16_t *)(uintptr_t)(u->base + off) = (uint16_t)v;
	} else {
		*(volatile uint32_t *)(uintptr_t)(u->base + off) = v;
	}
}

enum bh_err arch_console_attach(const void *fdt, int node, struct uart *u)
{
	(void)fdt;
	(void)node;
	/* The boot map covers the low 4 GiB: a UART above it is unreachable. */
	if (u->drv == NULL || (!u->io && u->base + u->size > 0x100000000ULL))
		return BH_ERR_UNSUPPORTED;
	uart_console_start(u);
	return BH_OK;
}

size_t arch_console_tx(const char *buf, size_t len)
{
	return uart_console_tx(buf, len);
}

int arch_console_getc(void)
{
	return uart_console_getc();
}

/* Console input is polled on x86 (the virtual 16550 reads it when the
 * guest looks): there is no receive interrupt to route. */
bool arch_console_input_route(unsigned int cpu_index, uint32_t intid)
{
	(void)cpu_index;
	(void)intid;
	return false;
}

/* Before the machine is switched off: the UART's transmitter empty (LSR
 * TEMT), so the last line is out of its FIFO too. Bounded: a UART that
 * never empties does not keep the machine on. */
void x86_console_wait_sent(void)
{
	const struct uart *console = uart_console();

	for (unsigned int i = 0; console != NULL && i < 1000000u; i++) {
		if ((arch_uart_read(console, 5ULL << console->shift, console->width) & 0x40u) != 0u)
			break;
	}
}
