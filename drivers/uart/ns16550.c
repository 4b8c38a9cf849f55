// SPDX-License-Identifier: Apache-2.0
/*
 * The 16550/8250 family, one core whether the registers are I/O ports (x86
 * COM ports) or memory (reg-shift apart, reg-io-width wide): plain
 * ns16550(a), the Synopsys DesignWare APB UART, TI's K3 UARTs and NVIDIA
 * Tegra's. Line control and the divisor are never written, so the
 * firmware's line settings stay, and the DesignWare UART's busy-detect
 * trap (a write to LCR while it shifts is dropped and raises an interrupt
 * that only reading USR clears) is never sprung by this driver; a
 * busy-detect left pending by firmware is cleared at init and on every
 * receive interrupt, or it would hold the line high.
 */

#include "uart.h"

#define RBR 0u /* register indices, scaled by reg-shift */
#define THR 0u
#define IER 1u
#define IIR 2u
#define FCR 2u
#define MCR 4u
#define LSR 5u
#define DW_USR 31u
#define IER_RDI 0x01u  /* received data available, and the FIFO timeout */
#define IIR_NONE 0x01u
#define IIR_ID 0x0fu
#define IIR_BUSY 0x07u /* DesignWare: busy detect */
#define IIR_FIFOS 0xc0u
#define FCR_FIFO_ENABLE 0x01u
#define MCR_DTR_RTS 0x03u
#define LSR_DR 0x01u
#define LSR_THRE 0x20u

static uint32_t ns16550_rd(const struct uart *u, unsigned int reg)
{
	return arch_uart_read(u, (uint64_t)reg << u->shift, u->width) & 0xffu;
}

static void ns16550_wr(const struct uart *u, unsigned int reg, uint32_t v)
{
	arch_uart_write(u, (uint64_t)reg << u->shift, u->width, v);
}

static void clear_busy_detect(const struct uart *u)
{
	if (u->drv == &uart_dw_apb && (ns16550_rd(u, IIR) & IIR_ID) == IIR_BUSY)
		(void)ns16550_rd(u, DW_USR);
}

static void ns16550_init(struct uart *u)
{
	ns16550_wr(u, IER, 0);
	clear_busy_detect(u);
	/* FIFOs on without the reset bits: what is in them stays. A UART
	 * without FIFOs (the plain 16550's are unreliable) ignores it. */
	if (u->drv != &uart_ns16550)
		ns16550_wr(u, FCR, FCR_FIFO_ENABLE);
	ns16550_wr(u, MCR, ns16550_rd(u, MCR) | MCR_DTR_RTS);
	/* IIR's top bits say the FIFOs are on: THRE then means 16 free. */
	u->fifo = (ns16550_rd(u, IIR) & IIR_FIFOS) == IIR_FIFOS ? 16u : 1u;
}

static unsigned int ns16550_tx_room(struct uart *u)
{
	return (ns16550_rd(u, LSR) & LSR_THRE) != 0u ? u->fifo : 0u;
}

static void ns16550_tx_put(struct uart *u, uint8_t c)
{
	ns16550_wr(u, THR, c);
}

static int ns16550_rx_get(struct uart *u)
{
	if ((ns16550_rd(u, LSR) & LSR_DR) == 0u)
		return -1;
	return uart_byte(ns16550_rd(u, RBR));
}

static void ns16550_rx_irq_enable(struct uart *u)
{
	ns16550_wr(u, IER, IER_RDI);
}

static void ns16550_rx_irq_ack(struct uart *u)
{
	clear_busy_detect(u);
}

/* The register sequences every member of the family shares: they differ
 * only in their register span, stride, width and bus. */
#define NS16550_OPS                                                            \
	.init = ns16550_init, .tx_room = ns16550_tx_room, .tx_put = ns16550_tx_put, \
	.rx_get = ns16550_rx_get, .rx_irq_enable = ns16550_rx_irq_enable,        \
	.rx_irq_ack = ns16550_rx_irq_ack

const struct uart_driver uart_ns16550 = {
	.name = "16550",
	.span = 8u,
	.default_shift = 0u,
	.default_width = 1u,
	.io_ok = true,
	NS16550_OPS,
};

const struct uart_driver uart_ns16550a = {
	.name = "16550A",
	.span = 8u,
	.default_shift = 0u,
	.default_width = 1u,
	.io_ok = true,
	NS16550_OPS,
};

/* USR is register 31: the node must cover it. */
const struct uart_driver uart_dw_apb = {
	.name = "DesignWare APB UART",
	.span = 32u,
	.default_shift = 0u,
	.default_width = 1u,
	.io_ok = false,
	NS16550_OPS,
};

/* Linux's 8250_omap takes a stride of 4 when the node does not say. */
const struct uart_driver uart_ti_k3 = {
	.name = "TI K3 UART (16550)",
	.span = 8u,
	.default_shift = 2u,
	.default_width = 1u,
	.io_ok = false,
	NS16550_OPS,
};

const struct uart_driver uart_tegra = {
	.name = "Tegra UART (16550)",
	.span = 8u,
	.default_shift = 2u,
	.default_width = 1u,
	.io_ok = false,
	NS16550_OPS,
};
