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

TEST(console_stdout_path_alias_with_options) /* reqs: REQ-CNS-001 */
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

TEST(console_stdout_path_as_path) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-path");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/uart@3000");
}

TEST(console_stdout_path_naming_nothing_is_refused) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-fallback");

	CHECK_EQ(console_init(fdt), BH_ERR_NOT_FOUND);
	CHECK(!console_ready());
	CHECK_EQ(console_node(), -1);
	CHECK_CONTAINS(console_refusal(), "/chosen: property 'stdout-path'");
	CHECK_CONTAINS(console_refusal(), "\"/nothing-here\" names no node");
}

TEST(console_without_a_usable_uart) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-none");

	CHECK_EQ(console_init(fdt), BH_ERR_NOT_FOUND);
	CHECK(!console_ready());
	CHECK_EQ(console_node(), -1);
	CHECK_CONTAINS(console_refusal(), "no enabled UART has a console driver");
}

TEST(console_lines_get_crlf) /* reqs: REQ-CNS-003 */
{
	void *fdt = test_load_dtb("console-path");

	CHECK_EQ(console_init(fdt), BH_OK);
	fake_console_reset();
	log_printf("one\ntwo %d\n", 2);
	CHECK_STR(fake_console_output(), "one\r\ntwo 2\r\n");
}

TEST(console_stdout_path_as_path_with_options) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-path-options");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/soc/uart@8000");
	CHECK_STR(console_source(), "/chosen/stdout-path");
	CHECK_EQ(fake_console_attached_node, console_node());
	CHECK(console_ready());
}

TEST(console_stdout_path_bare_alias) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-alias-plain");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/uart@7000");
	CHECK_STR(console_source(), "/chosen/stdout-path");
}

TEST(console_falls_back_without_chosen) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-nochosen");

	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/uart@5000");
	CHECK_CONTAINS(console_source(), "first enabled UART");
	/* The same through the DT index. */
	CHECK(dt_index_build(fdt));
	CHECK_EQ(console_init(fdt), BH_OK);
	CHECK_STR(attached_path(fdt), "/uart@5000");
}

TEST(console_stdout_path_without_a_driver_is_refused) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-not-pl011");

	CHECK_EQ(console_init(fdt), BH_ERR_UNSUPPORTED);
	CHECK(!console_ready());
	CHECK_EQ(console_node(), -1);
	CHECK_STR(console_refusal(),
		  "/serial@2000: compatible \"acme,fancy-uart\": no console driver for it");
}

TEST(console_every_pl011_disabled) /* reqs: REQ-CNS-001 */
{
	void *fdt = test_load_dtb("console-all-disabled");

	CHECK_EQ(console_init(fdt), BH_ERR_NOT_FOUND);
	CHECK(!console_ready());
	CHECK_STR(console_source(), "none");
}

TEST(console_silent_until_attached) /* reqs: REQ-CNS-003 */
{
	CHECK_EQ(console_init(test_load_dtb("console-none")), BH_ERR_NOT_FOUND);
	fake_console_reset();
	log_printf("lost\n");
	CHECK_STR(fake_console_output(), "");
}

TEST(console_crlf_edge_cases) /* reqs: REQ-CNS-003 */
{
	char longer[400];

	CHECK_EQ(console_init(test_load_dtb("console-path")), BH_OK);
	fake_console_reset();
	log_printf("\n\nno newline at the end");
	CHECK_STR(fake_console_output(), "\r\n\r\nno newline at the end");
	fake_console_reset();
	log_printf("%s|%d\n", "a\nb", -7);
	CHECK_STR(fake_console_output(), "a\r\nb|-7\r\n");
	/* A line longer than the line buffer is cut, not overrun. */
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	fake_console_reset();
	log_printf("%s", longer);
	CHECK(strlen(fake_console_output()) > 100);
	CHECK(strlen(fake_console_output()) < sizeof(longer) - 1);
	CHECK(strspn(fake_console_output(), "x") == strlen(fake_console_output()));
}
