// SPDX-License-Identifier: Apache-2.0
/*
 * Cadence UART (Zynq, ZynqMP: xuartps). Mode register, baud generator and
 * divider are the firmware's; init only enables transmitter and receiver
 * and masks every interrupt. Its interrupt status bits are latched events
 * (write one to clear), so the receive interrupt is acknowledged before
 * the FIFO is drained: a byte arriving after the drain then raises it
 * again instead of waiting for the next one.
 */

#include "uart.h"

#define CR 0x00u
#define IER 0x08u
#define IDR 0x0cu
#define ISR 0x14u
#define RXTOUT 0x1cu
#define RXWM 0x20u
#define SR 0x2cu
#define FIFO 0x30u
#define CR_RXEN 0x4u
#define CR_RXDIS 0x8u
#define CR_TXEN 0x10u
#define CR_TXDIS 0x20u
#define CR_RESETS 0x3u /* self-clearing FIFO resets: never written as read */
#define INT_RXTRIG 0x1u
#define INT_TOUT 0x100u
#define INT_ALL 0x3fffu
#define SR_RXEMPTY 0x2u
#define SR_TXEMPTY 0x8u
#define SR_TXFULL 0x10u
#define FIFO_DEPTH 64u
#define RX_TIMEOUT 10u /* bit times x4 of silence that flush a partial FIFO */

static uint32_t cdns_rd(const struct uart *u, uint64_t off)
{
	return arch_uart_read(u, off, 4);
}

static void cdns_wr(const struct uart *u, uint64_t off, uint32_t v)
{
	arch_uart_write(u, off, 4, v);
}

static void cadence_init(struct uart *u)
{
	uint32_t cr = cdns_rd(u, CR) & ~(CR_RESETS | CR_RXDIS | CR_TXDIS);

	cdns_wr(u, IDR, INT_ALL);
	cdns_wr(u, ISR, INT_ALL);
	cdns_wr(u, CR, cr | CR_RXEN | CR_TXEN);
	u->fifo = FIFO_DEPTH;
}

static unsigned int cadence_tx_room(struct uart *u)
{
	uint32_t sr = cdns_rd(u, SR);

	if ((sr & SR_TXEMPTY) != 0u)
		return u->fifo;
	return (sr & SR_TXFULL) != 0u ? 0u : 1u;
}

static void cadence_tx_put(struct uart *u, uint8_t c)
{
	cdns_wr(u, FIFO, c);
}

static int cadence_rx_get(struct uart *u)
{
	if ((cdns_rd(u, SR) & SR_RXEMPTY) != 0u)
		return -1;
	return uart_byte(cdns_rd(u, FIFO));
}

/* Every byte raises it (watermark 1), a partial FIFO after a short
 * silence too. */
static void cadence_rx_irq_enable(struct uart *u)
{
	cdns_wr(u, RXWM, 1);
	cdns_wr(u, RXTOUT, RX_TIMEOUT);
	cdns_wr(u, ISR, INT_RXTRIG | INT_TOUT);
	cdns_wr(u, IER, INT_RXTRIG | INT_TOUT);
}

static void cadence_rx_irq_ack(struct uart *u)
{
	cdns_wr(u, ISR, INT_RXTRIG | INT_TOUT);
}

const struct uart_driver uart_cadence = {
	.name = "Cadence UART",
	.span = FIFO + 4u,
	.default_shift = 0,
	.default_width = 4,
	.io_ok = false,
	.init = cadence_init,
	.tx_room = cadence_tx_room,
	.tx_put = cadence_tx_put,
	.rx_get = cadence_rx_get,
	.rx_irq_enable = cadence_rx_irq_enable,
	.rx_irq_ack = cadence_rx_irq_ack,
};
