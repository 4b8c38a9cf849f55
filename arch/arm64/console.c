// SPDX-License-Identifier: Apache-2.0
/*
 * The arm64 side of the console: the UART's registers mapped as device
 * memory at EL2 and accessed at the width each driver asks, and its receive
 * interrupt routed through the GIC. Which UART and how to drive it is
 * drivers/uart's business.
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>
#include <bulkhead/platform.h>
#include <uart/uart.h>

#include <arch/arm64.h>
#include <arch/gic.h>
#include <arch/mmio.h>

const bool arch_uart_io_space = false;

static unsigned int input_intid; /* 0 until input is taken by interrupt */

uint32_t arch_uart_read(const struct uart *u, uint64_t off, unsigned int width)
{
	uint64_t addr = u->base + off;

	if (width == 1u)
		return mmio_read8(addr);
	if (width == 2u)
		return mmio_read16(addr);
	return mmio_read32(addr);
}

void arch_uart_write(const struct uart *u, uint64_t off, unsigned int width, uint32_t v)
{
	uint64_t addr = u->base + off;

	if (width == 1u)
		mmio_write8(addr, (uint8_t)v);
	else if (width == 2u)
		mmio_write16(addr, (uint16_t)v);
	else
		mmio_write32(addr, v);
}

enum bh_err arch_console_attach(const void *fdt, int node, struct uart *u)
{
	(void)fdt;
	(void)node;
	if (u->io || u->drv == NULL)
		return BH_ERR_UNSUPPORTED;
	/* At EL1 (the refusal path) the MMU is off and nothing needs mapping.
	 * Pages: a UART's registers may share one with others (the BCM2835
	 * mini-UART's). */
	if (arm64_at_el2) {
		const uint64_t page = (uint64_t)1 << PAGE_SHIFT;
		uint64_t first = u->base - (u->base % page);
		uint64_t end = u->base + u->size;
		uint64_t tail_bytes = end % page;

		if (tail_bytes != 0u)
			end += page - tail_bytes;
		TRY(mmu_map(first, end - first, MMU_DEVICE));
	}
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

bool arch_console_input_route(unsigned int cpu_index, uint32_t intid)
{
	struct uart *console = uart_console();

	if (console == NULL || intid < 32u || intid >= GIC_SPURIOUS || cpu_index >= MAX_CPUS)
		return false;
	gic_spi_route(intid, cpus[cpu_index].hwid);
	input_intid = intid;
	console->drv->rx_irq_enable(console);
	gic_spi_enable(intid, true);
	return true;
}

void console_input_interrupt(unsigned int intid)
{
	struct uart *console = uart_console();

	if (intid == 0u || intid != input_intid || console == NULL)
		return;
	/* Latched causes are cleared before the drain: a byte arriving after
	 * it raises the interrupt again. */
	console->drv->rx_irq_ack(console);
	vuart_input_interrupt();
}
