// SPDX-License-Identifier: Apache-2.0
/*
 * The health properties of a partition node (core/health_config.c): their
 * defaults, every one decoded, and each malformed or inconsistent one
 * refused by node and property; edits of the valid passthrough.dts, whose
 * p0 owns the UART at 0xfe201000 (4 KiB) and the timer at 0xfe300000.
 */

#include <string.h>

#include <bulkhead/health.h>

#include "config_edit.h"
#include "test.h"

#define P0 "/chosen/bulkhead/p0"

static const struct partition_config *p0(void)
{
	return &edit_sys.part[0];
}

TEST(health_config_defaults_without_properties) /* reqs: REQ-RST-002 REQ-CNT-002 REQ-RST-005 */
{
	enum bh_err status;

	REQUIRE(edited_parse("passthrough", NULL, 0, NULL, &status) != NULL);
	REQUIRE(status == BH_OK);
	const struct health_config *h = &p0()->health;

	CHECK_EQ(h->watchdog_ms, 0);
	CHECK_EQ(h->watchdog_action, HEALTH_RESTART);
	CHECK_EQ(h->fault_action, HEALTH_IGNORE);
	CHECK_EQ(h->fault_limit, 1);
	CHECK_EQ(h->poweroff_action, HEALTH_STOP);
	CHECK_EQ(h->restart_limit, 0);
	CHECK_EQ(h->reset_write_count, 0);
}

TEST(health_config_decodes_every_property) /* reqs: REQ-RST-002 REQ-RST-003 REQ-RST-004 REQ-RST-005 REQ-CNT-002 */
{
	const struct edit e[] = {
		{P0, "watchdog-timeout-ms", NULL, 1, {250}},
		{P0, "watchdog-action", "stop", 0, {0}},
		{P0, "fault-action", "restart", 0, {0}},
		{P0, "fault-limit", NULL, 1, {3}},
		{P0, "poweroff-action", "restart", 0, {0}},
		{P0, "restart-limit", NULL, 1, {16}},
		{P0, "restart-window-ms", NULL, 1, {1000}},
		/* The UART's last register, then the timer's first. */
		{P0, "reset-registers", NULL, 6, {0, 0xfe201ffc, 0x11, 0, 0xfe300000, 0x22}},
	};
	enum bh_err status;

	REQUIRE(edited_parse("passthrough", e, sizeof(e) / sizeof(e[0]), NULL, &status) != NULL);
	CHECK_EQ(status, BH_OK);
	CHECK_EQ(edit_errors.count, 0);
	const struct health_config *h = &p0()->health;

	CHECK_EQ(h->watchdog_ms, 250);
	CHECK_EQ(h->watchdog_action, HEALTH_STOP);
	CHECK_EQ(h->fault_action, HEALTH_RESTART);
	CHECK_EQ(h->fault_limit, 3);
	CHECK_EQ(h->poweroff_action, HEALTH_RESTART);
	CHECK_EQ(h->restart_limit, 16);
	CHECK_EQ(h->restart_window_ms, 1000);
	REQUIRE(h->reset_write_count == 2);
	CHECK_EQ(h->reset_writes[0].pa, 0xfe201ffcull);
	CHECK_EQ(h->reset_writes[0].value, 0x11);
	CHECK_EQ(h->reset_writes[1].pa, 0xfe300000ull);
	CHECK_EQ(h->reset_writes[1].value, 0x22);
	/* The device each write lands in, by its own registers. */
	const struct partition_device *d = reset_register_device(p0(), 0xfe201ffc);

	REQUIRE(d != NULL);
	CHECK_EQ(d->regs[0].base, 0xfe201000ull);
	CHECK(reset_register_device(p0(), 0xfe201ffd) == NULL); /* 4 bytes past its end */
	CHECK(reset_register_device(p0(), 0xfe200ffc) == NULL);
}

struct health_case {
	struct edit edit[2];
	unsigned int edits;
	const char *prop, *msg;
};

TEST(health_config_refuses_bad_properties) /* reqs: REQ-CFG-001 REQ-RST-002 REQ-RST-003 REQ-RST-004 */
{
	static const struct health_case cases[] = {
		{{{P0, "watchdog-timeout-ms", NULL, 1, {0}}}, 1, "watchdog-timeout-ms",
		 "must be at least 1 (leave it out for no watchdog)"},
		{{{P0, "watchdog-timeout-ms", NULL, 2, {0, 100}}}, 1, "watchdog-timeout-ms",
		 "expected 1 cell (a 32-bit number)"},
		{{{P0, "watchdog-action", "stop", 0, {0}}}, 1, "watchdog-timeout-ms",
		 "required with 'watchdog-action'"},
		{{{P0, "watchdog-action", "reboot", 0, {0}}, {P0, "watchdog-timeout-ms", NULL, 1, {5}}},
		 2, "watchdog-action", "must be \"restart\", \"stop\" or \"ignore\""},
		/* A prefix of a valid action is not that action. */
		{{{P0, "fault-action", "sto", 0, {0}}}, 1, "fault-action",
		 "must be \"restart\", \"stop\" or \"ignore\""},
		{{{P0, "fault-limit", NULL, 1, {0}}, {P0, "fault-action", "stop", 0, {0}}}, 2,
		 "fault-limit", "must be at least 1"},
		{{{P0, "fault-limit", NULL, 1, {2}}}, 1, "fault-action", "required with 'fault-limit'"},
		{{{P0, "poweroff-action", "ignore", 0, {0}}}, 1, "poweroff-action",
		 "must be \"stop\" or \"restart\""},
		{{{P0, "restart-limit", NULL, 1, {17}}, {P0, "restart-window-ms", NULL, 1, {10}}}, 2,
		 "restart-limit", "must be 1 to 16"},
		{{{P0, "restart-limit", NULL, 1, {0}}, {P0, "restart-window-ms", NULL, 1, {10}}}, 2,
		 "restart-limit", "must be 1 to 16"},
		{{{P0, "restart-limit", NULL, 1, {2}}}, 1, "restart-window-ms",
		 "required with 'restart-limit'"},
		{{{P0, "restart-window-ms", NULL, 1, {10}}}, 1, "restart-limit",
		 "required with 'restart-window-ms'"},
		{{{P0, "restart-window-ms", NULL, 1, {0}}, {P0, "restart-limit", NULL, 1, {2}}}, 2,
		 "restart-window-ms", "must be at least 1"},
		{{{P0, "reset-registers", NULL, 2, {0, 0xfe201000}}}, 1, "reset-registers",
		 "length 8: must be 1 to 4 (address, value) pairs (#address-cells + 1 cell), 12 bytes each"},
		{{{P0, "reset-registers", NULL, EDIT_EMPTY, {0}}}, 1, "reset-registers",
		 "length 0: must be 1 to 4 (address, value) pairs"},
		{{{P0, "reset-registers", NULL, 15,
		   {0, 0xfe201000, 1, 0, 0xfe201004, 2, 0, 0xfe201008, 3, 0, 0xfe20100c, 4, 0,
		    0xfe201010, 5}}},
		 1, "reset-registers", "length 60: must be 1 to 4 (address, value) pairs"},
		{{{P0, "reset-registers", NULL, 3, {0, 0x50000000, 1}}}, 1, "reset-registers",
		 "write 0 at 0x50000000: not an aligned register of the partition's own devices"},
		{{{P0, "reset-registers", NULL, 6, {0, 0xfe201000, 1, 0, 0xfe201002, 1}}}, 1,
		 "reset-registers", "write 1 at 0xfe201002: not an aligned register"},
		{{{P0, "reset-registers", NULL, 3, {1, 0xfe201000, 1}}}, 1, "reset-registers",
		 "write 0 at 0x1fe201000"},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct health_case *k = &cases[i];
		enum bh_err status;

		if (edited_parse("passthrough", k->edit, k->edits, NULL, &status) == NULL) {
			test_fail(__FILE__, __LINE__, "case %u: edit failed", i);
			continue;
		}
		if (status == BH_OK)
			test_fail(__FILE__, __LINE__, "case %u (%s): accepted", i, k->edit[0].prop);
		else if (!edit_has_error(P0, k->prop, k->msg))
			test_fail(__FILE__, __LINE__, "case %u: no error '%s': %s among:\n%s", i,
				  k->prop, k->msg, edit_errors_text());
		/* A refused reset-registers leaves no write behind. */
		CHECK_EQ(p0()->health.reset_write_count, 0);
	}
}
