// SPDX-License-Identifier: Apache-2.0
/*
 * Arm PL011 and the SBSA generic UART (a PL011 subset without the control
 * and line registers, which firmware owns). The transmitter and receiver
 * are enabled if firmware left them off; baud rate and framing are kept.
 * The receive and receive-timeout interrupts fall once the FIFO is
 * drained, so nothing needs acknowledging.
 */

#include "uart.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTCR 0x030
#define UARTIMSC 0x038
#define UARTICR 0x044
#define INT_RX 0x10u
#define INT_RT 0x40u
#define FR_RXFE 0x10u
#define FR_TXFF 0x20u
#define FR_TXFE 0x80u
#define CR_UARTEN 0x1u
#define CR_TXE 0x100u
#define CR_RXE 0x200u
#define FIFO_DEPTH 16u /* the smallest PL011 revision's (r1p4: 32) */

static uint32_t pl011_rd(const struct uart *u, uint64_t off)
{
	return arch_uart_read(u, off, 4);
}

static void pl011_wr(const struct uart *u, uint64_t off, uint32_t v)
{
	arch_uart_write(u, off, 4, v);
}

/* Masked, not cleared: a receive interrupt latched for bytes already in
 * the FIFO is what makes them seen once input is routed (QEMU's model
 * raises it only as a byte arrives, and no more arrive while it is full). */
static void sbsa_init(struct uart *u)
{
	pl011_wr(u, UARTIMSC, 0);
	u->fifo = FIFO_DEPTH;
}

static void pl011_init(struct uart *u)
{
	uint32_t cr = pl011_rd(u, UARTCR);

	sbsa_init(u);
	if ((cr & (CR_UARTEN | CR_TXE | CR_RXE)) != (CR_UARTEN | CR_TXE | CR_RXE))
		pl011_wr(u, UARTCR, cr | CR_UARTEN | CR_TXE | CR_RXE);
}

/* Empty: a FIFO's worth; else one while it is not full. */
static unsigned int pl011_tx_room(struct uart *u)
{
	uint32_t fr = pl011_rd(u, UARTFR);

	if ((fr & FR_TXFE) != 0u)
		return u->fifo;
	return (fr & FR_TXFF) != 0u ? 0u : 1u;
}

static void pl011_tx_put(struct uart *u, uint8_t c)
{
	pl011_wr(u, UARTDR, c);
}

static int pl011_rx_get(struct uart *u)
{
	if ((pl011_rd(u, UARTFR) & FR_RXFE) != 0u)
		return -1;
	return uart_byte(pl011_rd(u, UARTDR));
}

/* Only these: a transmit interrupt left enabled by firmware would hold the
 * line high, as the console never waits for it. */
static void pl011_rx_irq_enable(struct uart *u)
{
	pl011_wr(u, UARTIMSC, INT_RX | INT_RT);
}

static void pl011_rx_irq_ack(struct uart *u)
{
	(void)u;
}

const struct uart_driver uart_pl011 = {
	.name = "PL011",
	.span = UARTICR + 4,
	.default_shift = 0,
	.default_width = 4,
	.io_ok = false,
	.init = pl011_init,
	.tx_room = pl011_tx_room,
	.tx_put = pl011_tx_put,
	.rx_get = pl011_rx_get,
	.rx_irq_enable = pl011_rx_irq_enable,
	.rx_irq_ack = pl011_rx_irq_ack,
};

const struct uart_driver uart_sbsa = {
	.name = "SBSA UART",
	.span = UARTICR + 4,
	.default_shift = 0,
	.default_width = 4,
	.io_ok = false,
	.init = sbsa_init,
	.tx_room = pl011_tx_room,
	.tx_put = pl011_tx_put,
	.rx_get = pl011_rx_get,
	.rx_irq_enable = pl011_rx_irq_enable,
	.rx_irq_ack = pl011_rx_irq_ack,
};
