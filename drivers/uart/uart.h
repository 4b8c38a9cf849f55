/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The console UART drivers both ports use. A driver is chosen by the DT
 * node's compatible (uart_select(), the same code in the hypervisor and in
 * bulkhead-check); its register accesses go through the port's
 * arch_uart_read()/arch_uart_write(), so one 16550 core serves I/O ports
 * and memory, and the host tests run every driver against a fake register
 * file.
 *
 * Every driver keeps the line settings (baud rate, framing) the firmware
 * left: stdout-path options are the firmware's business. Nothing here
 * waits: transmit is "how many bytes may I write now", receive is "one
 * byte or -1".
 */
#ifndef BULKHEAD_UART_H
#define BULKHEAD_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/error.h>

struct uart_driver;

struct uart {
	const struct uart_driver *drv;
	const char *compatible; /* the string that chose the driver */
	uint64_t base;          /* CPU address, or first I/O port when io */
	uint64_t size;          /* of the node's first `reg` range */
	uint8_t shift;          /* register stride: index << shift (reg-shift) */
	uint8_t width;          /* bytes per register access (reg-io-width) */
	bool io;                /* registers are I/O ports (x86) */
	uint8_t fifo;           /* TX FIFO depth the driver found at init */
};

struct uart_driver {
	const char *name;
	/* The build option that left this driver out (its <name>_none.c stub,
	 * UART_NOT_BUILT): uart_select() refuses its UARTs naming it; NULL in
	 * a driver that is built. */
	const char *left_out;
	/* Bytes of registers the driver touches at shift 0 (the node's `reg`
	 * must cover them once scaled by 1 << shift). */
	uint64_t span;
	uint8_t default_shift; /* without reg-shift */
	uint8_t default_width; /* without reg-io-width */
	bool io_ok;            /* may sit in I/O space */
	/* Enable transmitter and receiver, mask its interrupts, keep the line
	 * settings. */
	void (*init)(struct uart *u);
	/* Bytes the transmitter takes now without waiting (0: full). */
	unsigned int (*tx_room)(struct uart *u);
	void (*tx_put)(struct uart *u, uint8_t c);
	/* One received byte, or -1 if none waits. */
	int (*rx_get)(struct uart *u);
	/* Raise the interrupt for received data (and its idle timeout). */
	void (*rx_irq_enable)(struct uart *u);
	/* Clear the receive interrupt's latched causes before the FIFO is
	 * drained (causes that clear by reading need nothing). */
	void (*rx_irq_ack)(struct uart *u);
};

/* A driver left out of the build by @option ("UART_PL011"), in its stub. */
#define UART_NOT_BUILT(driver_name, option) {.name = (driver_name), .left_out = (option)}

/* Port-provided register access: @off is a byte offset from u->base,
 * @width 1, 2 or 4 bytes. */
uint32_t arch_uart_read(const struct uart *u, uint64_t off, unsigned int width);
void arch_uart_write(const struct uart *u, uint64_t off, unsigned int width, uint32_t v);
/* Whether this port has I/O ports at all (x86, and the host checker). */
extern const bool arch_uart_io_space;

/*
 * Choose the driver for DT node @node and fill @u (address translated
 * through every bus's `ranges`, reg-shift and reg-io-width read). Touches no
 * register. On failure @why (of @why_len bytes) says, naming the node,
 * what stops it: no driver for its compatible, a `reg` too small for the
 * registers, an address no `ranges` translates, a bad reg-shift.
 */
enum bh_err uart_select(const void *fdt, int node, struct uart *u, char *why, size_t why_len);

/* The compatibles with a driver, in the order a console is looked for
 * when there is no stdout-path: the @i-th, or NULL past the last. */
const char *uart_compatible(unsigned int i);

/* Write as much of @buf as the transmitter takes now; the count taken. */
size_t uart_tx(struct uart *u, const char *buf, size_t len);

/* The console's UART (drivers/uart/uart_console.c): started (the driver's
 * init) and held by the port's arch_console_attach(); the console's output
 * and input then go through it. NULL / all taken / -1 before that. */
void uart_console_start(struct uart *u);
struct uart *uart_console(void);
size_t uart_console_tx(const char *buf, size_t len);
int uart_console_getc(void);

/* A received byte from a data register's value (bits above it are error
 * flags). */
static inline int uart_byte(uint32_t v)
{
	uint32_t b = v & 0xffu;

	return (int)b;
}

/* The drivers (drivers/uart/<name>.c). */
extern const struct uart_driver uart_pl011;
extern const struct uart_driver uart_sbsa;
extern const struct uart_driver uart_ns16550;
extern const struct uart_driver uart_ns16550a;
extern const struct uart_driver uart_dw_apb;
extern const struct uart_driver uart_ti_k3;
extern const struct uart_driver uart_tegra;
extern const struct uart_driver uart_cadence;
extern const struct uart_driver uart_imx;
extern const struct uart_driver uart_lpuart;
extern const struct uart_driver uart_scif;
extern const struct uart_driver uart_bcm2835_aux;

#endif
