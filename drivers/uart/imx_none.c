// SPDX-License-Identifier: Apache-2.0
/*
 * The i.MX UART left out of the build (UART_IMX=n, docs/building.md):
 * replaces imx.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_imx = UART_NOT_BUILT("i.MX UART", "UART_IMX");
