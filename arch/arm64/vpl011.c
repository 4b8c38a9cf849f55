// SPDX-License-Identifier: Apache-2.0
/*
 * The emulated PL011 behind each partition's virtual UART: enough of the
 * register file for Linux's pl011 driver and earlycon and for bare-metal
 * polling. Transmitted characters go to the shared console as whole lines
 * (core/vuart.c); the transmitter is always ready. Received characters are
 * what core/vuart.c routes to the partition with the console focus.
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
#define FR_TXFE (1u << 7)
#define INT_TX (1u << 5)

/* Peripheral and PrimeCell IDs: a PL011 r1p5, as AMBA probing expects. */
static const uint8_t ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

bool guest_vuart_hit(const struct partition *part, uint64_t ipa, uint64_t *offset)
{
	const struct partition_arch *a = &part->arch;

	if (a->uart_size == 0 || ipa < a->uart_base || ipa - a->uart_base >= a->uart_size)
		return false;
	*offset = ipa - a->uart_base;
	return true;
}

uint64_t vpl011_read(struct partition *part, uint64_t offset, unsigned int size)
{
	const struct vpl011 *u = &part->arch.uart;

	(void)size;
	switch (offset) {
	case UARTFR:
		return FR_TXFE | (vuart_input_waiting(part) ? 0 : FR_RXFE);
	case UARTDR: {
		int c = vuart_getc(part);

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
		return INT_TX; /* the transmit FIFO is always below its level */
	case UARTMIS:
		return INT_TX & u->imsc;
	case UARTDMACR:
		return u->dmacr;
	default:
		if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 32 && (offset & 3) == 0)
			return ids[(offset - UARTPERIPHID0) / 4];
		return 0; /* RSR and reserved registers */
	}
}

void vpl011_write(struct vcpu *vcpu, uint64_t offset, uint64_t value, unsigned int size)
{
	struct vpl011 *u = &vcpu->part->arch.uart;
	uint32_t v = (uint32_t)value;

	(void)size;
	switch (offset) {
	case UARTDR:
		vuart_putc(vcpu, (char)(v & 0xff));
		break;
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
	default:
		break; /* ICR, RSR and read-only registers: writes are ignored */
	}
}
