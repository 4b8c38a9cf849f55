// SPDX-License-Identifier: Apache-2.0
/*
 * The 16550 family left out of the build (UART_NS16550=n, docs/building.md):
 * replaces ns16550.c. The compatibles stay in uart_select()'s table, so that a
 * console UART of this kind is refused naming the option (at boot and in
 * bulkhead-check), not as a UART nobody knows.
 */

#include "uart.h"

const struct uart_driver uart_ns16550 = UART_NOT_BUILT("16550", "UART_NS16550");
const struct uart_driver uart_ns16550a = UART_NOT_BUILT("16550A", "UART_NS16550");
const struct uart_driver uart_dw_apb = UART_NOT_BUILT("DesignWare APB UART", "UART_NS16550");
const struct uart_driver uart_ti_k3 = UART_NOT_BUILT("TI K3 UART (16550)", "UART_NS16550");
const struct uart_driver uart_tegra = UART_NOT_BUILT("Tegra UART (16550)", "UART_NS16550");
