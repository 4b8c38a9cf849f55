// SPDX-License-Identifier: Apache-2.0
/*
 * The Renesas SCIF left out of the build (UART_SCIF=n, docs/building.md):
 * replaces scif.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_scif = UART_NOT_BUILT("SCIF", "UART_SCIF");
