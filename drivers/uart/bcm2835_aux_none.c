// SPDX-License-Identifier: Apache-2.0
/*
 * The BCM2835 auxiliary (mini) UART left out of the build (UART_BCM2835_AUX=n, docs/building.md):
 * replaces bcm2835_aux.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_bcm2835_aux = UART_NOT_BUILT("BCM2835 mini-UART", "UART_BCM2835_AUX");
