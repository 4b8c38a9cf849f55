// SPDX-License-Identifier: Apache-2.0
/*
 * The validator's checks across partitions (core/config_validate.c): names,
 * CPUs, memory against RAM, modules and each other, guest ranges, and
 * passthrough devices against each other and the console UART; each case
 * one edit of a valid tree (channels.dts: three partitions; validate.dts:
 * two with devices beside the console), refused by node and property.
 */

#include <string.h>

#include <bulkhead/partition_config.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"
#define P1 "/chosen/bulkhead/p1"

TEST(config_validate_refuses_clashing_partitions) /* reqs: REQ-CFG-001 REQ-ISO-001 REQ-ISO-005 */
{
	const void *base = test_load_dtb("channels");
	uint32_t cpu1 = edit_phandle(base, "/cpus/cpu@1");

	REQUIRE(cpu1 != 0);
	const struct error_case cases[] = {
		{{{P1, "label", "p0", 0, {0}}}, 1, P1, "",
		 "name 'p0' is already used by another partition"},
		{{{P1, "cpus", NULL, 1, {cpu1}}}, 1, P1, "cpus", "/cpus/cpu@1 is already in partition 'p0'"},
		{{{P0, "cpus", NULL, 2, {cpu1, cpu1}}}, 1, P0, "cpus", "the same CPU is listed twice"},
		{{{P0 "/module@48000000", "reg", NULL, 4, {0, 0x90000000, 0, 0x1000}}}, 1, P0, "",
		 "boot module at 0x90000000 (4096 bytes) is not in RAM"},
		{{{P0, "memory", NULL, 4, {0, 0x90000000, 0, 0x1000000}}}, 1, P0, "memory",
		 "0x90000000-0x90ffffff is not inside one RAM range"},
		{{{P0, "memory", NULL, 4, {0, 0x48000000, 0, 0x1000000}}}, 1, P0, "memory",
		 "0x48000000-0x48ffffff overlaps a boot module of 'p0' at 0x48000000"},
		{{{P1, "memory", NULL, 4, {0, 0x50800000, 0, 0x1000000}}}, 1, P1, "memory",
		 "0x50800000-0x517fffff overlaps memory of 'p0'"},
		{{{P0, "memory", NULL, 8, {0, 0x50000000, 0, 0x1000000, 0, 0x51000000, 0, 0x1000000}},
		  {P0, "memory-guest-base", NULL, 4, {0, 0, 0, 0x800000}}},
		 2, P0, "memory-guest-base", "guest ranges of regions 0 and 1 overlap"},
	};

	edit_check_cases("channels", cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(config_validate_refuses_shared_and_reserved_devices) /* reqs: REQ-CFG-001 REQ-ISO-002 REQ-IRQ-002 */
{
	enum bh_err status;

	/* The tree itself is valid, its console known to the platform. */
	REQUIRE(edited_parse("validate", NULL, 0, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	CHECK_EQ(edit_plat.console_irq, 33);
	CHECK_EQ(edit_plat.console.base, 0xfe100000ull);

	const void *base = test_load_dtb("validate");
	uint32_t uart0 = edit_phandle(base, "/soc/serial@201000");
	uint32_t gpio = edit_phandle(base, "/soc/gpio@201800");

	REQUIRE(uart0 != 0 && gpio != 0);
	const struct error_case cases[] = {
		{{{P1, "devices", NULL, 1, {uart0}}}, 1, P1, "devices",
		 "/soc/serial@201000 is already assigned to 'p0'"},
		{{{P1, "devices", NULL, 1, {gpio}}}, 1, P1, "devices",
		 "/soc/gpio@201800 shares a 4 KiB page with /soc/serial@201000 of 'p0'"},
		{{{"/soc/timer@300000", "interrupts", NULL, 3, {0, 5, 4}}}, 1, P1, "devices",
		 "/soc/timer@300000: interrupt 37 is also used by a device of 'p0'"},
		{{{"/soc/timer@300000", "interrupts", NULL, 3, {0, 1, 4}}}, 1, P1, "devices",
		 "/soc/timer@300000: interrupt 33 is the console UART's"},
		{{{"/soc/timer@300000", "reg", NULL, 2, {0x100800, 0x100}}}, 1, P1, "devices",
		 "/soc/timer@300000 shares a 4 KiB page with the hypervisor's console UART"},
		{{{P0, "memory-guest-base", NULL, 2, {0, 0xfd200000}}}, 1, P0, "memory",
		 "guest range 0xfd200000-0xfe1fffff overlaps the virtual UART"},
		{{{P0, "memory-guest-base", NULL, 2, {0, 0xfe000000}}}, 1, P0, "memory",
		 "guest range 0xfe000000-0xfeffffff overlaps a passthrough device"},
		/* The bus puts the timer's page inside RAM. */
		{{{"/soc", "ranges", NULL, 8,
		   {0x300000, 0, 0x60000000, 0x1000, 0, 0, 0xfe000000, 0x1000000}}},
		 1, P1, "devices", "/soc/timer@300000 has registers inside RAM"},
	};

	edit_check_cases("validate", cases, sizeof(cases) / sizeof(cases[0]));
}

TEST(config_error_kind_names) /* reqs: REQ-CFG-001 REQ-CFG-002 */
{
	CHECK_STR(config_error_kind_name(CFG_ERR_CPU_SHARED), "cpu-shared");
	CHECK_STR(config_error_kind_name(CFG_ERR_MALFORMED), "malformed");
	CHECK_STR(config_error_kind_name(CFG_ERR_NO_HYPERVISOR_NODE), "no-hypervisor-node");
	CHECK_STR(config_error_kind_name((enum config_error_kind)1000), "unknown");
	/* The names are held in 24-byte arrays: a longer one would lose its
	 * terminator without a word from the compiler. Every kind has one. */
	for (unsigned int k = 0; k <= (unsigned int)CFG_ERR_NO_PMU; k++) {
		const char *name = config_error_kind_name((enum config_error_kind)k);

		CHECK(memchr(name, '\0', 24) != NULL);
		CHECK(strcmp(name, "unknown") != 0);
	}
}

/* A channel between validate.dts's p0 and p1, whose guest addresses and
 * doorbells must miss what each partition already has. */
#define CH HV_NODE "/channel@0"
#define HV_NODE "/chosen/bulkhead"

static const struct edit with_channel[] = {
	{P0, "phandle", NULL, 1, {0x7200}},
	{P1, "phandle", NULL, 1, {0x7201}},
	{HV_NODE, NULL, "channel@0", 0, {0}},
	{CH, "compatible", "bulkhead,channel", 0, {0}},
	{CH, "region", NULL, 4, {0, 0x56000000, 0, 0x1000}},
	{CH, "partitions", NULL, 2, {0x7200, 0x7201}},
	{CH, "guest-addresses", NULL, 4, {0, 0x60000000, 0, 0x60000000}},
	{CH, "doorbell-intids", NULL, 2, {80, 81}},
};
#define CHANNEL_EDITS (sizeof(with_channel) / sizeof(with_channel[0]))

TEST(channel_clashes_with_devices_and_the_virtual_uart) /* reqs: REQ-CFG-001 REQ-CHN-003 */
{
	static const struct {
		struct edit edit;
		const char *prop, *msg;
	} cases[] = {
		{{CH, "guest-addresses", NULL, 4, {0, 0xfe201000, 0, 0x60000000}}, "guest-addresses",
		 "in 'p0', 0xfe201000-0xfe201fff overlaps a passthrough device"},
		{{CH, "guest-addresses", NULL, 4, {0, 0x60000000, 0, 0xfe100000}}, "guest-addresses",
		 "in 'p1', 0xfe100000-0xfe100fff overlaps the virtual UART"},
		{{CH, "doorbell-intids", NULL, 2, {37, 81}}, "doorbell-intids",
		 "in 'p0', INTID 37 is already in use"},
		{{CH, "doorbell-intids", NULL, 2, {80, 38}}, "doorbell-intids",
		 "in 'p1', INTID 38 is already in use"},
	};
	struct edit e[CHANNEL_EDITS + 1];
	enum bh_err status;

	memcpy(e, with_channel, sizeof(with_channel));
	REQUIRE(edited_parse("validate", e, CHANNEL_EDITS, NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e[CHANNEL_EDITS] = cases[i].edit;
		if (edited_parse("validate", e, CHANNEL_EDITS + 1, NULL, &status) == NULL ||
		    status == BH_OK)
			test_fail(__FILE__, __LINE__, "case %u: accepted", i);
		else if (!edit_has_error(CH, cases[i].prop, cases[i].msg))
			test_fail(__FILE__, __LINE__, "case %u: no error '%s': %s among:\n%s", i,
				  cases[i].prop, cases[i].msg, edit_errors_text());
	}
}
