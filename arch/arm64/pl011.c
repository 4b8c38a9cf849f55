// SPDX-License-Identifier: Apache-2.0
/*
 * Arm PL011 UART, the hypervisor's own console. Baud rate and line settings
 * are kept as the firmware left them (stdout-path options are the firmware's
 * business); the driver only makes sure the transmitter is enabled.
 * Received characters raise its receive and receive-timeout interrupts;
 * both fall once the FIFO is drained, which every interrupt does.
 */

#include <libfdt.h>

#include <bulkhead/arch.h>
#include <bulkhead/cpu.h>
#include <bulkhead/partition.h>
#include <bulkhead/platform.h>

#include <arch/arm64.h>
#include <arch/gic.h>
#include <arch/mmio.h>

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTCR 0x030
#define UARTIMSC 0x038
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

const char *const arch_console_compatibles[] = {"arm,pl011", NULL};

uint64_t pl011_base;
uint64_t pl011_size;
static unsigned int input_intid; /* 0 until input is taken by interrupt */

static inline uint32_t reg_read(unsigned int off)
{
	return mmio_read32(pl011_base + off);
}

static inline void reg_write(unsigned int off, uint32_t v)
{
	mmio_write32(pl011_base + off, v);
}

enum bh_err arch_console_attach(const void *fdt, int node)
{
	struct mem_range r;

	if (fdt_node_check_compatible(fdt, node, "arm,pl011") != 0)
		return BH_ERR_UNSUPPORTED;
	TRY(fdt_node_reg(fdt, node, 0, &r));
	if (r.base == 0 || r.size < 0x1000)
		return BH_ERR_INVALID;
	/* At EL1 (the refusal path) the MMU is off and nothing needs mapping. */
	if (arm64_at_el2)
		TRY(mmu_map(r.base, r.size, MMU_DEVICE));
	pl011_base = r.base;
	pl011_size = r.size;
	uint32_t cr = reg_read(UARTCR);

	if ((cr & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
		reg_write(UARTCR, cr | CR_UARTEN | CR_TXE | CR_RXE);
	return BH_OK;
}

int arch_console_getc(void)
{
	if (pl011_base == 0 || (reg_read(UARTFR) & FR_RXFE))
		return -1;
	return (int)(reg_read(UARTDR) & 0xff);
}

uint64_t arch_console_base(void)
{
	return pl011_base;
}

void arch_console_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* The FIFO drains at line rate; this waits at most one character time. */
		while (reg_read(UARTFR) & FR_TXFF)
			;
		reg_write(UARTDR, (uint8_t)buf[i]);
	}
}

bool arch_console_input_route(unsigned int cpu_index, uint32_t intid)
{
	if (pl011_base == 0 || intid < 32 || intid >= GIC_SPURIOUS || cpu_index >= MAX_CPUS)
		return false;
	gic_spi_route(intid, cpus[cpu_index].hwid);
	input_intid = intid;
	/* Only these: a transmit interrupt left enabled by firmware would hold
	 * the line high, as the hypervisor's writes never wait for it. */
	reg_write(UARTIMSC, INT_RX | INT_RT);
	gic_spi_enable(intid, true);
	return true;
}

void pl011_input_interrupt(unsigned int intid)
{
	if (intid != 0 && intid == input_intid)
		vuart_input_interrupt();
}
