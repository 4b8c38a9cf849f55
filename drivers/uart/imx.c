// SPDX-License-Identifier: Apache-2.0
/*
 * The i.MX UART (i.MX21 to i.MX8M). Baud registers, UCR2's framing bits and
 * the FIFO trigger levels are the firmware's; init sets the enables (UCR1
 * UARTEN, UCR2 TXEN/RXEN, and keeps UCR2's active-low soft reset released)
 * and masks the interrupts it owns. Receive raises RRDY at the trigger
 * level and the aging timer for fewer bytes; the aging status is latched
 * (write one to clear), RRDY falls as the FIFO drains.
 */

#include "uart.h"

#define URXD 0x00u
#define UTXD 0x40u
#define UCR1 0x80u
#define UCR2 0x84u
#define USR1 0x94u
#define USR2 0x98u
#define UTS 0xb4u
#define URXD_CHARRDY 0x8000u
#define UCR1_UARTEN 0x1u
#define UCR1_TRDYEN 0x2000u
#define UCR1_RRDYEN 0x200u
#define UCR1_TXMPTYEN 0x40u
#define UCR1_RTSDEN 0x20u
#define UCR2_SRST 0x1u /* 0 resets the UART */
#define UCR2_RXEN 0x2u
#define UCR2_TXEN 0x4u
#define UCR2_ATEN 0x8u
#define USR1_AGTIM 0x100u
#define USR2_RDR 0x1u
#define USR2_TXFE 0x4000u
#define UTS_TXFULL 0x10u
#define FIFO_DEPTH 32u

static uint32_t imx_rd(const struct uart *u, uint64_t off)
{
	return arch_uart_read(u, off, 4);
}

static void imx_wr(const struct uart *u, uint64_t off, uint32_t v)
{
	arch_uart_write(u, off, 4, v);
}

static void imx_init(struct uart *u)
{
	uint32_t ucr1 = imx_rd(u, UCR1) & ~(UCR1_TRDYEN | UCR1_RRDYEN | UCR1_TXMPTYEN | UCR1_RTSDEN);
	uint32_t ucr2 = imx_rd(u, UCR2) & ~UCR2_ATEN;

	imx_wr(u, UCR1, ucr1 | UCR1_UARTEN);
	imx_wr(u, UCR2, ucr2 | UCR2_SRST | UCR2_RXEN | UCR2_TXEN);
	u->fifo = FIFO_DEPTH;
}

static unsigned int imx_tx_room(struct uart *u)
{
	if ((imx_rd(u, USR2) & USR2_TXFE) != 0u)
		return u->fifo;
	return (imx_rd(u, UTS) & UTS_TXFULL) != 0u ? 0u : 1u;
}

static void imx_tx_put(struct uart *u, uint8_t c)
{
	imx_wr(u, UTXD, c);
}

static int imx_rx_get(struct uart *u)
{
	if ((imx_rd(u, USR2) & USR2_RDR) == 0u)
		return -1;
	uint32_t v = imx_rd(u, URXD);

	return (v & URXD_CHARRDY) != 0u ? uart_byte(v) : -1;
}

static void imx_rx_irq_enable(struct uart *u)
{
	imx_wr(u, USR1, USR1_AGTIM);
	imx_wr(u, UCR2, imx_rd(u, UCR2) | UCR2_ATEN | UCR2_SRST);
	imx_wr(u, UCR1, imx_rd(u, UCR1) | UCR1_RRDYEN);
}

static void imx_rx_irq_ack(struct uart *u)
{
	imx_wr(u, USR1, USR1_AGTIM);
}

const struct uart_driver uart_imx = {
	.name = "i.MX UART",
	.span = UTS + 4u,
	.default_shift = 0,
	.default_width = 4,
	.io_ok = false,
	.init = imx_init,
	.tx_room = imx_tx_room,
	.tx_put = imx_tx_put,
	.rx_get = imx_rx_get,
	.rx_irq_enable = imx_rx_irq_enable,
	.rx_irq_ack = imx_rx_irq_ack,
};
