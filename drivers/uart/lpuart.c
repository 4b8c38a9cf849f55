// SPDX-License-Identifier: Apache-2.0
/*
 * NXP LPUART in its 32-bit form (i.MX7ULP, i.MX8QM/QXP): registers from
 * 0x10 past the node's address (the identification registers come first).
 * BAUD and CTRL's framing bits are the firmware's; init sets the enables
 * (CTRL TE/RE) and masks CTRL's interrupt enables. Receive raises RDRF
 * while the FIFO holds more than the watermark (0: any byte), falling as
 * it drains; the idle-line flag that flushes a partial line is latched
 * (write one to clear), as is an overrun, which would stop reception.
 */

#include "uart.h"

#define STAT 0x14u
#define CTRL 0x18u
#define DATA 0x1cu
#define FIFO 0x28u
#define WATER 0x2cu
#define STAT_TDRE 0x800000u
#define STAT_IDLE 0x100000u
#define STAT_OR 0x80000u
#define CTRL_TIE 0x800000u
#define CTRL_TCIE 0x400000u
#define CTRL_RIE 0x200000u
#define CTRL_ILIE 0x100000u
#define CTRL_TE 0x80000u
#define CTRL_RE 0x40000u
#define CTRL_IDLECFG_4 0x200u /* idle after 4 idle characters */
#define CTRL_IDLECFG_MASK 0x700u
#define FIFO_RXEMPT 0x400000u
#define FIFO_TXEMPT 0x800000u
#define WATER_RXWATER_MASK 0xff0000u

static uint32_t lpuart_rd(const struct uart *u, uint64_t off)
{
	return arch_uart_read(u, off, 4);
}

static void lpuart_wr(const struct uart *u, uint64_t off, uint32_t v)
{
	arch_uart_write(u, off, 4, v);
}

static void lpuart_init(struct uart *u)
{
	uint32_t ctrl = lpuart_rd(u, CTRL) & ~(CTRL_TIE | CTRL_TCIE | CTRL_RIE | CTRL_ILIE);

	lpuart_wr(u, CTRL, ctrl | CTRL_TE | CTRL_RE);
	u->fifo = 4; /* the smallest LPUART FIFO */
}

static unsigned int lpuart_tx_room(struct uart *u)
{
	if ((lpuart_rd(u, FIFO) & FIFO_TXEMPT) != 0u)
		return u->fifo;
	/* TDRE: at or below the TX watermark, so one more fits. */
	return (lpuart_rd(u, STAT) & STAT_TDRE) != 0u ? 1u : 0u;
}

static void lpuart_tx_put(struct uart *u, uint8_t c)
{
	lpuart_wr(u, DATA, c);
}

static int lpuart_rx_get(struct uart *u)
{
	if ((lpuart_rd(u, FIFO) & FIFO_RXEMPT) != 0u)
		return -1;
	return uart_byte(lpuart_rd(u, DATA));
}

static void lpuart_rx_irq_enable(struct uart *u)
{
	lpuart_wr(u, WATER, lpuart_rd(u, WATER) & ~WATER_RXWATER_MASK);
	lpuart_wr(u, STAT, STAT_IDLE | STAT_OR);
	uint32_t ctrl = lpuart_rd(u, CTRL) & ~CTRL_IDLECFG_MASK;

	lpuart_wr(u, CTRL, ctrl | CTRL_IDLECFG_4 | CTRL_RIE | CTRL_ILIE);
}

static void lpuart_rx_irq_ack(struct uart *u)
{
	lpuart_wr(u, STAT, STAT_IDLE | STAT_OR);
}

const struct uart_driver uart_lpuart = {
	.name = "LPUART",
	.span = WATER + 4u,
	.default_shift = 0,
	.default_width = 4,
	.io_ok = false,
	.init = lpuart_init,
	.tx_room = lpuart_tx_room,
	.tx_put = lpuart_tx_put,
	.rx_get = lpuart_rx_get,
	.rx_irq_enable = lpuart_rx_irq_enable,
	.rx_irq_ack = lpuart_rx_irq_ack,
};
