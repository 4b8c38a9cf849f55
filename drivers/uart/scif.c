// SPDX-License-Identifier: Apache-2.0
/*
 * Renesas SCIF with FIFO (R-Car Gen3 and older SCIF): 16-bit registers,
 * 8-bit data registers. SCSMR, SCBRR and the clock selection are the
 * firmware's; init sets SCSCR's TE/RE and masks its interrupt enables.
 * Status flags (SCFSR) clear by writing zero after reading one, and the
 * receive flags only once the FIFO is below its trigger, so they are
 * cleared when a read finds the FIFO empty; an overrun (SCLSR ORER)
 * stops reception until cleared.
 */

#include "uart.h"

#define SCSCR 0x08u
#define SCFTDR 0x0cu
#define SCFSR 0x10u
#define SCFRDR 0x14u
#define SCFDR 0x1cu
#define SCLSR 0x24u
#define SCSCR_TIE 0x80u
#define SCSCR_RIE 0x40u
#define SCSCR_TE 0x20u
#define SCSCR_RE 0x10u
#define SCSCR_REIE 0x8u
#define SCFSR_ER 0x80u
#define SCFSR_BRK 0x10u
#define SCFSR_RDF 0x2u
#define SCFSR_DR 0x1u
#define SCFSR_RX (SCFSR_ER | SCFSR_BRK | SCFSR_RDF | SCFSR_DR)
#define SCLSR_ORER 0x1u
#define FIFO_DEPTH 16u

static uint32_t scif_rd16(const struct uart *u, uint64_t off)
{
	return arch_uart_read(u, off, 2) & 0xffffu;
}

static void scif_wr16(const struct uart *u, uint64_t off, uint32_t v)
{
	arch_uart_write(u, off, 2, v & 0xffffu);
}

static void scif_init(struct uart *u)
{
	uint32_t scr = scif_rd16(u, SCSCR) & ~(SCSCR_TIE | SCSCR_RIE | SCSCR_REIE);

	scif_wr16(u, SCSCR, scr | SCSCR_TE | SCSCR_RE);
	u->fifo = FIFO_DEPTH;
}

static unsigned int scif_tx_room(struct uart *u)
{
	uint32_t queued = (scif_rd16(u, SCFDR) >> 8) & 0x1fu;

	return queued >= u->fifo ? 0u : u->fifo - queued;
}

static void scif_tx_put(struct uart *u, uint8_t c)
{
	arch_uart_write(u, SCFTDR, 1, c);
}

/* The flags read as one are written zero; the others are written one,
 * which leaves them. */
static void clear_rx_flags(const struct uart *u)
{
	uint32_t fsr = scif_rd16(u, SCFSR);

	if ((fsr & SCFSR_RX) != 0u)
		scif_wr16(u, SCFSR, ~(fsr & SCFSR_RX));
	if ((scif_rd16(u, SCLSR) & SCLSR_ORER) != 0u)
		scif_wr16(u, SCLSR, ~SCLSR_ORER);
}

static int scif_rx_get(struct uart *u)
{
	if ((scif_rd16(u, SCFDR) & 0x1fu) == 0u) {
		clear_rx_flags(u);
		return -1;
	}
	return uart_byte(arch_uart_read(u, SCFRDR, 1));
}

static void scif_rx_irq_enable(struct uart *u)
{
	clear_rx_flags(u);
	scif_wr16(u, SCSCR, scif_rd16(u, SCSCR) | SCSCR_RIE | SCSCR_REIE);
}

/* The flags clear at the end of the drain (scif_rx_get). */
static void scif_rx_irq_ack(struct uart *u)
{
	(void)u;
}

const struct uart_driver uart_scif = {
	.name = "SCIF",
	.span = SCLSR + 2u,
	.default_shift = 0,
	.default_width = 2,
	.io_ok = false,
	.init = scif_init,
	.tx_room = scif_tx_room,
	.tx_put = scif_tx_put,
	.rx_get = scif_rx_get,
	.rx_irq_enable = scif_rx_irq_enable,
	.rx_irq_ack = scif_rx_irq_ack,
};
