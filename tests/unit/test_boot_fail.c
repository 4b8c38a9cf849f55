// SPDX-License-Identifier: Apache-2.0
/* core/boot.c's fatal path, through the fake arch's catchable halt. */

#include <setjmp.h>

#include <arch/fake.h>
#include <bulkhead/boot.h>
#include <bulkhead/console.h>

#include "test.h"

TEST(boot_fail_reports_then_halts) /* reqs: REQ-CFG-001 */
{
	jmp_buf halted;
	unsigned int halts = fake_halts;

	REQUIRE(console_init(test_load_dtb("console-path")) == BH_OK);
	fake_console_reset();
	fake_halt_jmp = &halted;
	if (setjmp(halted) == 0) {
		boot_fail("no usable RAM");
		test_fail(__FILE__, __LINE__, "boot_fail() returned");
	}
	fake_halt_jmp = NULL;
	CHECK_EQ(fake_halts, halts + 1);
	CHECK_CONTAINS(fake_console_output(), "fatal: no usable RAM; the hypervisor stays");
	CHECK_CONTAINS(fake_console_output(), "starts nothing\r\n");
}
