// SPDX-License-Identifier: Apache-2.0
/*
 * The PL011 and the SBSA UART left out of the build (UART_PL011=n, docs/building.md):
 * replaces pl011.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_pl011 = UART_NOT_BUILT("PL011", "UART_PL011");
const struct uart_driver uart_sbsa = UART_NOT_BUILT("SBSA UART", "UART_PL011");
