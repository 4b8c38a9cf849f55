// SPDX-License-Identifier: Apache-2.0
/*
 * bulkhead-check's verdict (core/system_check.c): QEMU's virt tree with a
 * partition added is accepted; without one, a broken platform, without a
 * console or with the arm64 port's needs unmet, each gets its own verdict
 * and name; and the error names of core/error.c.
 */

#include <arch/fake.h>
#include <bulkhead/system_check.h>

#include "config_edit.h"
#include "test.h"

#define VIRT_EDITS EDIT_VIRT_PARTITION_COUNT
#define virt_partition edit_virt_partition

static struct system_check check;

static enum system_verdict verdict(const void *fdt)
{
	memset(&check, 0, sizeof(check));
	fake_console_reset();
	return system_check(fdt, NULL, &check);
}

TEST(system_check_accepts_a_partitioned_virt_tree) /* reqs: REQ-CFG-002 */
{
	const void *fdt = edited_tree("qemu-virt", virt_partition, VIRT_EDITS);

	REQUIRE(fdt != NULL);
	CHECK_EQ(verdict(fdt), SYSTEM_OK);
	CHECK(!check.x86);
	CHECK_EQ(check.platform.cpu_count, 4);
	CHECK_EQ(check.sys.count, 1);
	CHECK_EQ(check.errors.count, 0);
	CHECK_STR(system_verdict_name(SYSTEM_OK), "accepted");
}

TEST(system_check_verdicts_name_what_is_refused) /* reqs: REQ-CFG-002 REQ-BOOT-003 */
{
	/* No partitions: the configuration is refused, its error printed. */
	CHECK_EQ(verdict(test_load_dtb("qemu-virt")), SYSTEM_CONFIG_REFUSED);
	CHECK_CONTAINS(fake_console_output(), "error: /chosen: ");
	CHECK_STR(system_verdict_name(SYSTEM_CONFIG_REFUSED), "refused: the partitions");

	/* With PSCI through HVC, which cannot reach firmware from EL2, the
	 * arm64 port cannot run it, the partitions being fine. */
	struct edit e[VIRT_EDITS + 1];

	memcpy(e, virt_partition, sizeof(virt_partition));
	e[VIRT_EDITS] = (struct edit){"/psci", "method", "hvc", 0, {0}};
	const void *fdt = edited_tree("qemu-virt", e, VIRT_EDITS + 1);

	REQUIRE(fdt != NULL);
	CHECK_EQ(verdict(fdt), SYSTEM_NOT_RUNNABLE);
	CHECK_CONTAINS(fake_console_output(), "\"hvc\" cannot reach firmware from EL2");
	CHECK_STR(system_verdict_name(SYSTEM_NOT_RUNNABLE), "refused: the platform");
	/* Both at once. */
	e[VIRT_EDITS - 1].cells[3] = 0; /* an empty kernel module */
	fdt = edited_tree("qemu-virt", e, VIRT_EDITS + 1);
	REQUIRE(fdt != NULL);
	CHECK_EQ(verdict(fdt), SYSTEM_BOTH_REFUSED);
	CHECK_CONTAINS(fake_console_output(), "error: /chosen/bulkhead/p0/module@48000000: "
					      "property 'reg': a module needs one non-empty");
	CHECK_STR(system_verdict_name(SYSTEM_BOTH_REFUSED),
		  "refused: the partitions and the platform");

	/* No UART to keep. */
	CHECK_EQ(verdict(test_load_dtb("console-none")), SYSTEM_NO_CONSOLE);
	CHECK_CONTAINS(fake_console_output(), "error: /chosen: no property 'stdout-path'");
	CHECK_STR(system_verdict_name(SYSTEM_NO_CONSOLE), "refused: no console");

	/* No CPUs: not a machine. */
	const struct edit no_cpus[] = {{"/cpus/cpu@0", "device_type", "not-a-cpu", 0, {0}},
				       {"/cpus/cpu@1", "device_type", "not-a-cpu", 0, {0}},
				       {"/cpus/cpu@2", "device_type", "not-a-cpu", 0, {0}},
				       {"/cpus/cpu@3", "device_type", "not-a-cpu", 0, {0}}};

	fdt = edited_tree("qemu-virt", no_cpus, 4);
	REQUIRE(fdt != NULL);
	CHECK_EQ(verdict(fdt), SYSTEM_NOT_A_MACHINE);
	CHECK_STR(system_verdict_name(SYSTEM_NOT_A_MACHINE), "refused: not a machine");
	CHECK_STR(system_verdict_name((enum system_verdict)99), "?");
}

TEST(error_names) /* reqs: REQ-CFG-002 */
{
	CHECK_STR(bh_err_name(BH_OK), "ok");
	CHECK_STR(bh_err_name(BH_ERR_INVALID), "invalid");
	CHECK_STR(bh_err_name(BH_ERR_NOT_FOUND), "not found");
	CHECK_STR(bh_err_name(BH_ERR_NO_MEMORY), "out of memory");
	CHECK_STR(bh_err_name(BH_ERR_TOO_MANY), "too many");
	CHECK_STR(bh_err_name(BH_ERR_UNSUPPORTED), "unsupported");
	CHECK_STR(bh_err_name(BH_ERR_FIRMWARE), "firmware error");
	CHECK_STR(bh_err_name(BH_ERR_TIMEOUT), "timeout");
	CHECK_STR(bh_err_name((enum bh_err)-99), "unknown error");
}

TEST(system_check_x86_tree_gets_the_x86_guest_limits) /* reqs: REQ-CFG-002 REQ-PAR-004 */
{
	/* A tree with local APICs is the x86 port's: vCPUs start below 4 GiB,
	 * doorbells are local APIC vectors, memory is not coloured; the arm64
	 * port's needs are not asked. */
	struct edit e[VIRT_EDITS + 3];

	memcpy(e, virt_partition, sizeof(virt_partition));
	e[VIRT_EDITS] = (struct edit){"/", NULL, "lapic", 0, {0}};
	e[VIRT_EDITS + 1] = (struct edit){"/lapic", "compatible", "intel,ce4100-lapic", 0, {0}};
	e[VIRT_EDITS + 2] = (struct edit){"/psci", "method", "hvc", 0, {0}};
	const void *fdt = edited_tree("qemu-virt", e, VIRT_EDITS + 3);

	REQUIRE(fdt != NULL);
	CHECK_EQ(verdict(fdt), SYSTEM_OK);
	CHECK(check.x86);
	CHECK_EQ(check.platform.vcpu_start_limit, 1ull << 32);
	CHECK_EQ(check.platform.doorbell_first, 0x38);
	CHECK_EQ(check.platform.doorbell_last, 0xef);
	CHECK_STR(check.platform.doorbell_kind, "a local APIC vector");
	CHECK(check.platform.no_colouring);
}
