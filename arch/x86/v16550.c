// SPDX-License-Identifier: Apache-2.0
/*
 * The virtual 16550 of a partition, at the port of the hypervisor's own
 * console: what the guest transmits goes to core/vuart.c, which prefixes
 * whole lines with the partition's name; what is typed for the partition
 * is received. It always has room to transmit and raises no interrupt.
 */

#include <bulkhead/partition.h>

#include <arch/x86.h>

#define REG_DATA 0 /* THR/RBR, or DLL with DLAB */
#define REG_IER 1  /* or DLM with DLAB */
#define REG_IIR 2  /* FCR when written */
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6
#define REG_SCR 7
#define LCR_DLAB 0x80
#define LSR_DATA_READY 0x01
#define LSR_IDLE 0x60 /* transmitter holding register and shift register empty */
#define IIR_NONE_FIFO 0xc1
#define MSR_CONNECTED 0xb0 /* DCD, DSR, CTS */

uint32_t v16550_read(struct vcpu *v, unsigned int reg)
{
	struct v16550 *u = &v->part->arch.uart;
	bool dlab = u->lcr & LCR_DLAB;
	int c;

	switch (reg) {
	case REG_DATA:
		if (dlab)
			return u->dll;
		c = vuart_getc(v->part);
		return c >= 0 ? (uint32_t)c : 0;
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR:
		return IIR_NONE_FIFO;
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return LSR_IDLE | (vuart_input_count(v->part) != 0 ? LSR_DATA_READY : 0);
	case REG_MSR:
		return MSR_CONNECTED;
	default:
		return u->scr;
	}
}

void v16550_write(struct vcpu *v, unsigned int reg, uint8_t value)
{
	struct v16550 *u = &v->part->arch.uart;
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_DATA:
		if (dlab)
			u->dll = value;
		else
			vuart_putc(v, (char)value);
		break;
	case REG_IER:
		if (dlab)
			u->dlm = value;
		else
			u->ier = value & 0x0f;
		break;
	case REG_LCR:
		u->lcr = value;
		break;
	case REG_MCR:
		u->mcr = value & 0x1f;
		break;
	case REG_SCR:
		u->scr = value;
		break;
	default:
		break; /* FCR, LSR, MSR: nothing to keep */
	}
}

/* The virtual 16550 has no interrupt yet: a guest polls LSR. */
void arch_vuart_input(struct partition *part)
{
	(void)part;
}

