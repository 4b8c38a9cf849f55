// SPDX-License-Identifier: Apache-2.0
/*
 * The hypervisor's console: a 16550 in I/O space, found from the device
 * tree (a node compatible with "ns16550a" or "ns16550" whose parent bus has
 * the `bulkhead,io-ports` property, so its `reg` is a port range).
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/platform.h>

#include <arch/x86.h>

#define UART_THR 0
#define UART_RBR 0
#define UART_DLL 0
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define BAUD_115200_DIVISOR 1

const char *const arch_console_compatibles[] = {"ns16550a", "ns16550", NULL};
/* No IOMMU driver yet: DMA masters need identity-mapped memory. */
const char *const arch_iommu_compatibles[] = {NULL};

uint16_t uart_port;

enum bh_err arch_console_attach(const void *fdt, int node)
{
	struct mem_range r;
	bool known = false;

	for (const char *const *c = arch_console_compatibles; *c != NULL; c++)
		known = known || fdt_node_check_compatible(fdt, node, *c) == 0;
	if (!known || !fdt_node_in_io_space(fdt, node) || fdt_node_reg(fdt, node, 0, &r) != BH_OK ||
	    r.base + 8 > 0x10000)
		return BH_ERR_UNSUPPORTED;
	uint16_t port = (uint16_t)r.base;

	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, BAUD_115200_DIVISOR);
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, 0x07); /* FIFOs on and cleared */
	outb(port + UART_MCR, 0x03); /* DTR, RTS */
	uart_port = port;
	return BH_OK;
}

void arch_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len && uart_port != 0; i++) {
		while (!(inb(uart_port + UART_LSR) & LSR_THR_EMPTY))
			__asm__ volatile("pause");
		outb(uart_port + UART_THR, (uint8_t)buf[i]);
	}
}

int arch_console_getc(void)
{
	if (uart_port == 0 || !(inb(uart_port + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(uart_port + UART_RBR);
}

uint64_t arch_console_base(void)
{
	return uart_port;
}

/* Console input is polled on x86 (the virtual 16550 reads it when the
 * guest looks): there is no receive interrupt to route. */
bool arch_console_input_route(unsigned int cpu_index, uint32_t intid)
{
	(void)cpu_index;
	(void)intid;
	return false;
}
