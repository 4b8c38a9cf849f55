// SPDX-License-Identifier: Apache-2.0
/*
 * The Cadence UART left out of the build (UART_CADENCE=n, docs/building.md):
 * replaces cadence.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_cadence = UART_NOT_BUILT("Cadence UART", "UART_CADENCE");
