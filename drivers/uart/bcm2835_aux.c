// SPDX-License-Identifier: Apache-2.0
/*
 * The BCM2835 (Raspberry Pi) mini-UART of the auxiliary block: a 16550
 * look-alike with 32-bit spaced registers, eight-byte FIFOs and its own
 * status register. Its baud rate follows the VPU clock, which firmware
 * fixes (core_freq): the baud register is left alone, as is the AUX
 * block's enable bit, outside this node's registers (firmware sets it for
 * the console). Receive interrupts fall as the FIFO is read.
 */

#include "uart.h"

#define MU_IO 0x00u
#define MU_IER 0x04u
#define MU_LSR 0x14u
#define MU_CNTL 0x20u
#define MU_STAT 0x24u
#define MU_BAUD 0x28u
#define IER_RX 0x01u
#define LSR_DR 0x01u
#define CNTL_RX_TX 0x03u
#define STAT_TX_LEVEL(s) (((s) >> 24) & 0xfu)
#define FIFO_DEPTH 8u

static uint32_t aux_rd(const struct uart *u, uint64_t off)
{
	return arch_uart_read(u, off, 4);
}

static void aux_wr(const struct uart *u, uint64_t off, uint32_t v)
{
	arch_uart_write(u, off, 4, v);
}

static void aux_init(struct uart *u)
{
	aux_wr(u, MU_IER, 0);
	aux_wr(u, MU_CNTL, aux_rd(u, MU_CNTL) | CNTL_RX_TX);
	u->fifo = FIFO_DEPTH;
}

static unsigned int aux_tx_room(struct uart *u)
{
	uint32_t level = STAT_TX_LEVEL(aux_rd(u, MU_STAT));

	return level >= u->fifo ? 0u : u->fifo - level;
}

static void aux_tx_put(struct uart *u, uint8_t c)
{
	aux_wr(u, MU_IO, c);
}

static int aux_rx_get(struct uart *u)
{
	if ((aux_rd(u, MU_LSR) & LSR_DR) == 0u)
		return -1;
	return uart_byte(aux_rd(u, MU_IO));
}

static void aux_rx_irq_enable(struct uart *u)
{
	aux_wr(u, MU_IER, IER_RX);
}

static void aux_rx_irq_ack(struct uart *u)
{
	(void)u;
}

const struct uart_driver uart_bcm2835_aux = {
	.name = "BCM2835 mini-UART",
	.span = MU_BAUD + 4u,
	.default_shift = 0,
	.default_width = 4,
	.io_ok = false,
	.init = aux_init,
	.tx_room = aux_tx_room,
	.tx_put = aux_tx_put,
	.rx_get = aux_rx_get,
	.rx_irq_enable = aux_rx_irq_enable,
	.rx_irq_ack = aux_rx_irq_ack,
};
