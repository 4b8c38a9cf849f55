// SPDX-License-Identifier: Apache-2.0
/* core/console.c: finding the UART, and line output. */

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>

#include "test.h"

static const char *attached_path(const void *fdt)
{
	static char path[128];

	if (fdt_get_path(fdt, console_node(), path, sizeof(path)) != 0)
		return "?";
	return path;
}

TEST(console_stdout_path_alias_with_options)
{
	void *fdt = test_load_dtb("console-alias");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/soc/uart@2000");
	CHECK_STR(console_source(), "/chosen/stdout-path");
	/* The same through the DT index. */
	CHECK(dt_index_build(fdt));
	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/soc/uart@2000");
}

TEST(console_stdout_path_as_path)
{
	void *fdt = test_load_dtb("console-path");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/uart@3000");
}

TEST(console_falls_back_to_first_enabled_pl011)
{
	void *fdt = test_load_dtb("console-fallback");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/uart@4000");
	CHECK_CONTAINS(console_source(), "first enabled UART");
}

TEST(console_without_a_usable_uart)
{
	void *fdt = test_load_dtb("console-none");

	CHECK_EQ(console_init(fdt), BH_ERR_NOT_FOUND);
	CHECK(!console_ready());
	CHECK_EQ(console_node(), -1);
}

TEST(console_lines_get_crlf)
{
	void *fdt = test_load_dtb("console-path");

	CHECK_EQ(console_init(fdt), BH_OK);
	fake_console_reset();
	log_printf("one\ntwo %d\n", 2);
	CHECK_STR(fake_console_output(), "one\r\ntwo 2\r\n");
}
