// SPDX-License-Identifier: Apache-2.0
/*
 * The i.MX LPUART left out of the build (UART_LPUART=n, docs/building.md):
 * replaces lpuart.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_lpuart = UART_NOT_BUILT("LPUART", "UART_LPUART");
