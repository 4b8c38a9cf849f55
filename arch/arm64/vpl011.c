// SPDX-License-Identifier: Apache-2.0
/*
 * The emulated PL011 behind each partition's virtual UART: enough of the
 * register file for Linux's pl011 driver (interrupt-driven) and earlycon
 * and for bare-metal polling. Transmitted characters go to the shared
 * console as whole lines (core/vuart.c); the transmitter is always ready.
 * Received characters are what core/vuart.c buffers for the partition with
 * the console focus.
 *
 * Interrupts, level-sensitive as on the real device, on the partition's
 * virtual SPI (vgic.c): the line is high while UARTRIS & UARTIMSC != 0.
 *  - TX: transmission is instantaneous, so the FIFO is always empty, below
 *    any trigger level, and TXRIS always reads 1; UARTICR cannot clear a
 *    condition that still holds. Linux enables TXIM only while it has more
 *    to send, and expects the interrupt to come to go on sending.
 *  - RX and RT: with LCR_H.FEN the FIFO's trigger level (UARTIFLS, of a
 *    16-entry FIFO as for this r1p5) decides between RX (at or above the
 *    level) and receive timeout (RT, below it). Characters arrive at typing
 *    speed, long after the 32 bit periods of the real timeout, so RT holds
 *    at once. Both fall when the buffer is drained, which is how Linux
 *    clears them (it never writes them to UARTICR). A write to UARTICR
 *    does not hide characters still waiting: their timeout is taken to
 *    have elapsed again at once, so a guest that clears before enabling
 *    the interrupt (as Linux does at startup) still hears of them.
 */

#include <bulkhead/partition.h>

#include <arch/guest.h>

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UARTPERIPHID0 0xfe0

#define FR_RXFE (1u << 4)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define LCR_H_FEN (1u << 4)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define FIFO_DEPTH 16

/* Peripheral and PrimeCell IDs: a PL011 r1p5, as AMBA probing expects. */
static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* Characters waiting that raise RX rather than RT (UARTIFLS RXIFLSEL). */
static unsigned int rx_trigger_level(const struct vpl011 *u)
{
	static const uint8_t eighths[8] = {1, 2, 4, 6, 7, 4, 4, 4}; /* reserved: 1/2 */

	if (!(u->lcr_h & LCR_H_FEN))
		return 1; /* one-character holding register */
	return FIFO_DEPTH * eighths[(u->ifls >> 3) & 7] / 8;
}

/* UARTRIS (uart_lock held). */
static uint32_t raw_status(struct partition *part)
{
	const struct vpl011 *u = &part->arch.uart;
	unsigned int waiting = vuart_input_count(part);
	uint32_t ris = INT_TX;

	if (waiting >= rx_trigger_level(u))
		ris |= INT_RX;
	else if (waiting > 0)
		ris |= INT_RT;
	else {
		/* nothing received: the transmit interrupt only */
	}
	return ris;
}

/* Drive the partition's virtual SPI from the current state (uart_lock held). */
static void update_line(struct partition *part)
{
	vgic_set_virtual_spi_level(part, (raw_status(part) & part->arch.uart.imsc) != 0);
}

void arch_vuart_input(struct partition *part)
{
	spin_lock(&part->uart_lock);
	update_line(part);
	spin_unlock(&part->uart_lock);
}

void vpl011_reset(struct partition *part)
{
	spin_lock(&part->uart_lock);
	part->arch.uart = (struct vpl011){.ifls = 0x12}; /* the PL011's reset values */
	vgic_set_virtual_spi_level(part, false);
	spin_unlock(&part->uart_lock);
}

static uint64_t read_locked(struct partition *part, uint64_t offset)
{
	const struct vpl011 *u = &part->arch.uart;

	switch (offset) {
	case UARTFR: {
		unsigned int waiting = vuart_input_count(part);

		/* Never BUSY nor TXFF: what is written is already sent. */
		return FR_TXFE | (waiting == 0 ? FR_RXFE : 0) |
		       (waiting >= VUART_INPUT_MAX ? FR_RXFF : 0);
	}
	case UARTDR: {
		int c = vuart_getc(part);

		update_line(part); /* RX/RT fall as the buffer drains */
		return c < 0 ? 0 : (uint64_t)c;
	}
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIFLS:
		return u->ifls;
	case UARTIMSC:
		return u->imsc;
	case UARTRIS:
		return raw_status(part);
	case UARTMIS:
		return raw_status(part) & u->imsc;
	case UARTDMACR:
		return u->dmacr;
	default:
		if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 32 && (offset & 3) == 0)
			return ids[(offset - UARTPERIPHID0) / 4];
		return 0; /* RSR and reserved registers */
	}
}

uint64_t vpl011_read(struct partition *part, uint64_t offset, unsigned int size)
{
	(void)size;
	spin_lock(&part->uart_lock);
	uint64_t v = read_locked(part, offset);

	spin_unlock(&part->uart_lock);
	return v;
}

void vpl011_write(struct vcpu *vcpu, uint64_t offset, uint64_t value, unsigned int size)
{
	struct partition *part = vcpu->part;
	struct vpl011 *u = &part->arch.uart;
	uint32_t v = (uint32_t)value;

	(void)size;
	if (offset == UARTDR) {
		/* No state changes: the FIFO stays empty and TXRIS stays set. */
		vuart_putc(vcpu, (char)(v & 0xff));
		return;
	}
	spin_lock(&part->uart_lock);
	switch (offset) {
	case UARTIBRD:
		u->ibrd = v & 0xffff;
		break;
	case UARTFBRD:
		u->fbrd = v & 0x3f;
		break;
	case UARTLCR_H:
		u->lcr_h = v & 0xff;
		break;
	case UARTCR:
		u->cr = v & 0xffff;
		break;
	case UARTIFLS:
		u->ifls = v & 0x3f;
		break;
	case UARTIMSC:
		u->imsc = v & 0x7ff;
		break;
	case UARTDMACR:
		u->dmacr = v & 7;
		break;
	case UARTICR:
		break; /* nothing it could clear stays cleared: see above */
	default:
		break; /* RSR and read-only registers: writes are ignored */
	}
	update_line(part);
	spin_unlock(&part->uart_lock);
}
