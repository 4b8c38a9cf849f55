// SPDX-License-Identifier: Apache-2.0
/*
 * drivers/uart: each driver's register sequences against a fake register
 * file. init enables the UART and keeps the line settings (no write to a
 * baud or framing register), transmit writes only while the transmitter
 * has room, receive reads only what is there, and the receive interrupt is
 * enabled and acknowledged at the registers the hardware has.
 */

#include <arch/fake.h>
#include <uart/uart.h>

#include "test.h"

#define NREGS 0x400u
#define MAX_LOG 256u

static uint32_t regs[NREGS];
static struct {
	uint32_t off;
	unsigned int width;
	uint32_t v;
} wlog[MAX_LOG];
static unsigned int nw;
static unsigned int bad_width;   /* accesses at another width than expected */
static unsigned int want_width;  /* 0: any */
static int64_t write_only = -1;  /* an offset whose writes do not read back (16550 FCR/IIR) */

static unsigned int usr_reads; /* of the DesignWare USR, register 31 at a stride of 4 */

static uint32_t fake_read(uint64_t off, unsigned int width)
{
	if (want_width != 0 && width != want_width)
		bad_width++;
	usr_reads += off == (31u << 2);
	return off < NREGS ? regs[off] : 0xdeadbeef;
}

static void fake_write(uint64_t off, unsigned int width, uint32_t v)
{
	if (want_width != 0 && width != want_width)
		bad_width++;
	if (nw < MAX_LOG)
		wlog[nw++] = (typeof(wlog[0])){(uint32_t)off, width, v};
	if (off < NREGS && (int64_t)off != write_only)
		regs[off] = v;
}

static struct uart setup(const struct uart_driver *drv, uint8_t shift, uint8_t width)
{
	memset(regs, 0, sizeof(regs));
	nw = 0;
	bad_width = 0;
	want_width = 0;
	write_only = -1;
	usr_reads = 0;
	fake_uart_read = fake_read;
	fake_uart_write = fake_write;
	return (struct uart){.drv = drv, .base = 0x1000, .size = 0x1000, .shift = shift, .width = width};
}

static unsigned int writes_to(uint32_t off)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nw; i++)
		n += wlog[i].off == off;
	return n;
}

/* The bytes written to @off, in order, as a string. */
static const char *data_written(uint32_t off)
{
	static char s[MAX_LOG + 1];
	unsigned int n = 0;

	for (unsigned int i = 0; i < nw; i++) {
		if (wlog[i].off == off)
			s[n++] = (char)wlog[i].v;
	}
	s[n] = '\0';
	return s;
}

static void done(void)
{
	fake_uart_read = NULL;
	fake_uart_write = NULL;
}

/* ---- PL011 -------------------------------------------------------------- */

TEST(uart_pl011_registers) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_pl011, 0, 4);

	regs[0x24] = 13;    /* IBRD */
	regs[0x28] = 1;     /* FBRD */
	regs[0x2c] = 0x70;  /* LCR_H: 8 bits, FIFOs */
	regs[0x30] = 0x001; /* CR: enabled, TX and RX off */
	want_width = 4;
	u.drv->init(&u);
	CHECK_EQ(writes_to(0x24) + writes_to(0x28) + writes_to(0x2c), 0);
	CHECK_EQ(regs[0x30], 0x301);
	CHECK_EQ(regs[0x38], 0); /* IMSC: all masked */
	/* Full: nothing written. Not full: one at a time. Empty: the FIFO. */
	regs[0x18] = 1u << 5;
	nw = 0;
	CHECK_EQ(uart_tx(&u, "abc", 3), 0);
	CHECK_EQ(writes_to(0x00), 0);
	regs[0x18] = 0;
	CHECK_EQ(uart_tx(&u, "abc", 3), 3);
	CHECK_STR(data_written(0x00), "abc");
	/* Receive */
	regs[0x18] = 1u << 4;
	CHECK_EQ(u.drv->rx_get(&u), -1);
	regs[0x18] = 0;
	regs[0x00] = 0x100 | 'x'; /* with a framing-error bit above the byte */
	CHECK_EQ(u.drv->rx_get(&u), 'x');
	u.drv->rx_irq_enable(&u);
	CHECK_EQ(regs[0x38], (1u << 4) | (1u << 6));
	CHECK_EQ(bad_width, 0);
	done();
}

TEST(uart_sbsa_leaves_the_control_register) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_sbsa, 0, 4);

	u.drv->init(&u);
	CHECK_EQ(writes_to(0x30), 0);
	regs[0x18] = 1u << 7; /* TXFE: a FIFO's worth */
	CHECK_EQ(u.drv->tx_room(&u), 16);
	regs[0x18] = 0; /* neither empty nor full: one */
	CHECK_EQ(u.drv->tx_room(&u), 1);
	regs[0x18] = (1u << 5) | (1u << 3); /* TXFF, BUSY */
	CHECK_EQ(u.drv->tx_room(&u), 0);
	done();
}

/* ---- 16550 family ------------------------------------------------------ */

TEST(uart_16550_mmio_reg_shift_2_io_width_4) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_ns16550a, 2, 4);

	regs[3 << 2] = 0x1b;   /* LCR: 8 bits, even parity, 1 stop */
	regs[2 << 2] = 0xc1;   /* IIR: FIFOs on, no interrupt */
	regs[4 << 2] = 0x08;   /* MCR: OUT2 */
	want_width = 4;
	write_only = 2 << 2;
	u.drv->init(&u);
	CHECK_EQ(writes_to(3 << 2), 0); /* LCR (and so the divisor latch) untouched */
	CHECK_EQ(regs[1 << 2], 0);       /* IER */
	CHECK_EQ(regs[4 << 2], 0x0b);    /* DTR, RTS added, OUT2 kept */
	CHECK_EQ(u.fifo, 16);
	regs[5 << 2] = 0x00; /* LSR: THR not empty */
	nw = 0;
	CHECK_EQ(uart_tx(&u, "hi", 2), 0);
	regs[5 << 2] = 0x60;
	CHECK_EQ(uart_tx(&u, "hi", 2), 2);
	CHECK_STR(data_written(0), "hi");
	regs[5 << 2] = 0x60;
	CHECK_EQ(u.drv->rx_get(&u), -1);
	regs[5 << 2] = 0x61;
	regs[0] = 0x41;
	CHECK_EQ(u.drv->rx_get(&u), 'A');
	u.drv->rx_irq_enable(&u);
	CHECK_EQ(regs[1 << 2], 0x01);
	CHECK_EQ(bad_width, 0);
	done();
}

TEST(uart_16550_io_ports_byte_wide) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_ns16550a, 0, 1);

	u.io = true;
	regs[2] = 0x01; /* IIR: no FIFOs */
	want_width = 1;
	write_only = 2;
	u.drv->init(&u);
	CHECK_EQ(u.fifo, 1);
	CHECK_EQ(writes_to(3), 0);
	regs[5] = 0x20;
	nw = 0;
	CHECK_EQ(uart_tx(&u, "ab", 2), 2); /* THRE seen before each byte */
	CHECK_STR(data_written(0), "ab");
	CHECK_EQ(bad_width, 0);
	done();
}

TEST(uart_dw_apb_busy_detect) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_dw_apb, 2, 4);

	/* A busy-detect interrupt left pending by firmware: IIR id 7. */
	regs[2 << 2] = 0xc7;
	write_only = 2 << 2;
	u.drv->init(&u);
	CHECK_EQ(writes_to(3 << 2), 0); /* never LCR: the trap is not sprung */
	CHECK_EQ(usr_reads, 1);         /* USR read: the pending busy-detect cleared */
	regs[2 << 2] = 0xc4;            /* received data, no busy-detect */
	u.drv->rx_irq_ack(&u);
	CHECK_EQ(usr_reads, 1);
	regs[2 << 2] = 0xc7;
	u.drv->rx_irq_ack(&u);
	CHECK_EQ(usr_reads, 2);
	CHECK_EQ(writes_to(3 << 2), 0);
	done();
}

/* ---- Cadence ------------------------------------------------------------ */

TEST(uart_cadence_registers) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_cadence, 0, 4);

	regs[0x04] = 0x20;  /* MR: 8N1 */
	regs[0x18] = 0x7c;  /* BAUDGEN */
	regs[0x34] = 6;     /* BAUDDIV */
	regs[0x00] = 0x28;  /* CR: TX and RX disabled */
	want_width = 4;
	u.drv->init(&u);
	CHECK_EQ(writes_to(0x04) + writes_to(0x18) + writes_to(0x34), 0);
	CHECK_EQ(regs[0x00], 0x14); /* TXEN | RXEN, the disables cleared */
	CHECK_EQ(regs[0x0c], 0x3fff); /* IDR: everything masked */
	regs[0x2c] = 1u << 4; /* SR: TX full */
	nw = 0;
	CHECK_EQ(uart_tx(&u, "zz", 2), 0);
	regs[0x2c] = 0; /* neither full nor empty: one at a time */
	CHECK_EQ(uart_tx(&u, "zz", 2), 2);
	CHECK_STR(data_written(0x30), "zz");
	regs[0x2c] = 1u << 1; /* RX empty */
	CHECK_EQ(u.drv->rx_get(&u), -1);
	regs[0x2c] = 0;
	regs[0x30] = 'q';
	CHECK_EQ(u.drv->rx_get(&u), 'q');
	nw = 0;
	u.drv->rx_irq_enable(&u);
	CHECK_EQ(regs[0x20], 1);                    /* RX watermark: every byte */
	CHECK_EQ(regs[0x08], (1u << 0) | (1u << 8)); /* IER: RTRIG, TOUT */
	nw = 0;
	u.drv->rx_irq_ack(&u);
	CHECK_EQ(writes_to(0x14), 1); /* ISR, write one to clear */
	CHECK_EQ(regs[0x14], (1u << 0) | (1u << 8));
	CHECK_EQ(bad_width, 0);
	done();
}

/* ---- i.MX UART ---------------------------------------------------------- */

TEST(uart_imx_registers) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_imx, 0, 4);

	regs[0xa4] = 0xf;    /* UBIR */
	regs[0xa8] = 0x15b;  /* UBMR */
	regs[0x84] = 0x4020; /* UCR2: IRTS, WS (8 bits); TXEN/RXEN off */
	regs[0x80] = 1u << 9; /* UCR1: RRDYEN left on by firmware */
	want_width = 4;
	u.drv->init(&u);
	CHECK_EQ(writes_to(0xa4) + writes_to(0xa8), 0);
	CHECK_EQ(regs[0x84], 0x4020 | 0x7); /* framing kept; SRST released, TXEN, RXEN */
	CHECK_EQ(regs[0x80], 1);             /* UARTEN, interrupts off */
	regs[0xb4] = 1u << 4;                /* UTS: TX full */
	nw = 0;
	CHECK_EQ(uart_tx(&u, "m", 1), 0);
	regs[0xb4] = 0;
	CHECK_EQ(uart_tx(&u, "m", 1), 1);
	CHECK_STR(data_written(0x40), "m");
	CHECK_EQ(u.drv->rx_get(&u), -1);    /* USR2 RDR clear */
	regs[0x98] = 1;
	regs[0x00] = (1u << 15) | 'k';
	CHECK_EQ(u.drv->rx_get(&u), 'k');
	u.drv->rx_irq_enable(&u);
	CHECK((regs[0x80] & (1u << 9)) != 0); /* RRDYEN */
	CHECK((regs[0x84] & (1u << 3)) != 0); /* ATEN */
	nw = 0;
	u.drv->rx_irq_ack(&u);
	CHECK_EQ(regs[0x94], 1u << 8); /* USR1 AGTIM, write one to clear */
	CHECK_EQ(bad_width, 0);
	done();
}

/* ---- LPUART ------------------------------------------------------------- */

TEST(uart_lpuart_registers) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_lpuart, 0, 4);

	regs[0x10] = 0x0f000004; /* BAUD */
	regs[0x18] = 1u << 23;   /* CTRL: TIE on, TE/RE off */
	want_width = 4;
	u.drv->init(&u);
	CHECK_EQ(writes_to(0x10), 0);
	CHECK_EQ(regs[0x18], (1u << 19) | (1u << 18));
	regs[0x28] = 0; /* FIFO: TX not empty */
	regs[0x14] = 0; /* STAT: TDRE clear */
	nw = 0;
	CHECK_EQ(uart_tx(&u, "w", 1), 0);
	regs[0x14] = 1u << 23;
	CHECK_EQ(uart_tx(&u, "w", 1), 1);
	CHECK_STR(data_written(0x1c), "w");
	regs[0x28] = 1u << 22; /* RX empty */
	CHECK_EQ(u.drv->rx_get(&u), -1);
	regs[0x28] = 0;
	regs[0x1c] = 'r';
	CHECK_EQ(u.drv->rx_get(&u), 'r');
	regs[0x2c] = 0x00030001; /* WATER: RX watermark 3 */
	u.drv->rx_irq_enable(&u);
	CHECK_EQ(regs[0x2c], 0x00000001);
	CHECK((regs[0x18] & (1u << 21)) != 0); /* RIE */
	CHECK((regs[0x18] & (1u << 20)) != 0); /* ILIE */
	CHECK_EQ(writes_to(0x10), 0);
	CHECK_EQ(bad_width, 0);
	done();
}

/* ---- SCIF --------------------------------------------------------------- */

static unsigned int scif_bad_width;

static uint32_t scif_read(uint64_t off, unsigned int width)
{
	/* Data registers are 8-bit, the rest 16-bit. */
	if (width != ((off == 0x0c || off == 0x14) ? 1u : 2u))
		scif_bad_width++;
	return fake_read(off, width);
}

static void scif_write(uint64_t off, unsigned int width, uint32_t v)
{
	if (width != ((off == 0x0c || off == 0x14) ? 1u : 2u))
		scif_bad_width++;
	fake_write(off, width, v);
}

TEST(uart_scif_registers) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_scif, 0, 2);

	fake_uart_read = scif_read;
	fake_uart_write = scif_write;
	scif_bad_width = 0;
	regs[0x00] = 0x0;  /* SCSMR */
	regs[0x04] = 0x1a; /* SCBRR */
	regs[0x08] = 0x02; /* SCSCR: CKE1, TE/RE off */
	u.drv->init(&u);
	CHECK_EQ(writes_to(0x00) + writes_to(0x04), 0);
	CHECK_EQ(regs[0x08], 0x32); /* clock selection kept, TE, RE */
	regs[0x1c] = 16u << 8; /* SCFDR: TX FIFO full */
	nw = 0;
	CHECK_EQ(uart_tx(&u, "s", 1), 0);
	regs[0x1c] = 14u << 8;
	CHECK_EQ(u.drv->tx_room(&u), 2);
	CHECK_EQ(uart_tx(&u, "st", 2), 2);
	CHECK_STR(data_written(0x0c), "st");
	/* Empty RX FIFO: the receive flags read as one are written zero. */
	regs[0x1c] = 0;
	regs[0x10] = 0x63; /* TEND, TDFE, RDF, DR */
	CHECK_EQ(u.drv->rx_get(&u), -1);
	CHECK_EQ(regs[0x10] & 0xffff, 0xfffc);
	regs[0x1c] = 1;
	regs[0x14] = 'c';
	CHECK_EQ(u.drv->rx_get(&u), 'c');
	u.drv->rx_irq_enable(&u);
	CHECK_EQ(regs[0x08] & 0x48, 0x48); /* RIE, REIE */
	CHECK_EQ(scif_bad_width, 0);
	done();
}

/* ---- BCM2835 mini-UART ------------------------------------------------- */

TEST(uart_bcm2835_aux_registers) /* reqs: REQ-CNS-002 */
{
	struct uart u = setup(&uart_bcm2835_aux, 0, 4);

	regs[0x0c] = 0x03;  /* LCR: 8 bits */
	regs[0x28] = 270;   /* BAUD */
	want_width = 4;
	u.drv->init(&u);
	CHECK_EQ(writes_to(0x0c) + writes_to(0x28), 0);
	CHECK_EQ(regs[0x20], 3); /* CNTL: RX, TX on */
	regs[0x24] = 8u << 24;   /* STAT: TX FIFO holds 8 */
	nw = 0;
	CHECK_EQ(uart_tx(&u, "p", 1), 0);
	regs[0x24] = 5u << 24;
	CHECK_EQ(u.drv->tx_room(&u), 3);
	CHECK_EQ(uart_tx(&u, "pqr", 3), 3);
	CHECK_STR(data_written(0x00), "pqr");
	CHECK_EQ(u.drv->rx_get(&u), -1);
	regs[0x14] = 1;
	regs[0x00] = 'b';
	CHECK_EQ(u.drv->rx_get(&u), 'b');
	u.drv->rx_irq_enable(&u);
	CHECK_EQ(regs[0x04], 1);
	CHECK_EQ(bad_width, 0);
	done();
}
