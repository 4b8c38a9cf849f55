// SPDX-License-Identifier: Apache-2.0
/* The virtual UART node of a synthesised partition device tree. */

#include <stdlib.h>

#include <libfdt.h>

#include <bulkhead/dt.h>
#include <bulkhead/guest_dt.h>
#include <bulkhead/platform.h>

#include "test.h"

#define GUEST_DT_SIZE (64 * 1024)

/* A one-vCPU partition of the QEMU virt tree with a virtual UART raising
 * @vuart_irq; returns the built tree (to free) or NULL. */
static void *build(uint32_t vuart_irq)
{
	void *sys = test_load_dtb("qemu-virt");
	static struct platform p;
	struct partition_config cfg = {.name = "p", .cpu_count = 1, .mem_count = 1,
				       .console = PARTITION_CONSOLE_VUART};
	struct guest_dt_layout layout = {.vuart_ipa = 0x9000000, .vuart_size = 0x1000,
					 .vuart_irq = vuart_irq, .boot_count = 1};
	void *buf = malloc(GUEST_DT_SIZE);
	size_t used = 0;

	cfg.mem[0] = (struct partition_mem){0x50000000, 0x40000000, 0x1000000, 0x1000000};
	dt_index_build(sys);
	if (buf == NULL || platform_parse(sys, 0, &p) != BH_OK ||
	    guest_dt_build(buf, GUEST_DT_SIZE, sys, &p, &cfg, 0, &layout, &used) != BH_OK) {
		free(buf);
		return NULL;
	}
	return buf;
}

TEST(guest_dt_vuart_has_the_console_interrupt) /* reqs: REQ-CFG-006 REQ-CNS-004 */
{
	void *dt = build(33);
	int len;

	REQUIRE(dt != NULL);
	int uart = fdt_path_offset(dt, "/pl011@9000000");
	const fdt32_t *irq = uart >= 0 ? fdt_getprop(dt, uart, "interrupts", &len) : NULL;

	REQUIRE(irq != NULL);
	CHECK_EQ(len, 12);
	CHECK_EQ(fdt32_to_cpu(irq[0]), 0); /* SPI */
	CHECK_EQ(fdt32_to_cpu(irq[1]), 1); /* INTID 33 */
	CHECK_EQ(fdt32_to_cpu(irq[2]), 4); /* level high */
	free(dt);
}

TEST(guest_dt_vuart_without_interrupt_is_polled) /* reqs: REQ-CFG-006 REQ-CNS-004 */
{
	void *dt = build(0);

	REQUIRE(dt != NULL);
	int uart = fdt_path_offset(dt, "/pl011@9000000");

	CHECK(uart >= 0);
	CHECK(fdt_getprop(dt, uart, "interrupts", NULL) == NULL);
	free(dt);
}
