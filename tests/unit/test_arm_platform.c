// SPDX-License-Identifier: Apache-2.0
/*
 * What the arm64 port reads from the DT (core/arm_platform.c): the GIC
 * (v3 and v2 with its virtualisation extensions), PSCI and the architected
 * timer, on edits of QEMU's virt tree; each refusal says why.
 */

#include <arch/fake.h>
#include <bulkhead/arm_platform.h>
#include <bulkhead/console.h>
#include <bulkhead/dt.h>

#include "config_edit.h"
#include "test.h"

#define GIC "/intc@8000000"

static struct arm_platform arm;

static enum bh_err parse(const struct edit *e, unsigned int n)
{
	const void *fdt = edited_tree("qemu-virt", e, n);

	if (fdt == NULL)
		return (enum bh_err)-1;
	console_init(test_load_dtb("console-path"));
	dt_index_build(fdt);
	fake_console_reset();
	return arm_platform_parse(fdt, &arm);
}

/* A GIC-400 at the virt GIC's address, its four regions of @cpuif bytes. */
#define GICV2(cpuif)                                                                         \
	{GIC, "compatible", "arm,gic-400", 0, {0}},                                          \
	{                                                                                    \
		GIC, "reg", NULL, 16,                                                        \
		{                                                                            \
			0, 0x8000000, 0, 0x10000, 0, 0x8010000, 0, cpuif, 0, 0x8030000, 0,   \
			0x10000, 0, 0x8040000, 0, cpuif                                      \
		}                                                                            \
	}

TEST(arm_platform_reads_gicv2_psci_and_timer) /* reqs: REQ-CFG-004 REQ-BOOT-003 */
{
	const struct edit v2[] = {GICV2(0x2000),
				  {"/timer", "clock-frequency", NULL, 1, {62500000}}};

	REQUIRE(parse(v2, 3) == BH_OK);
	CHECK_EQ(arm.gic_version, 2);
	CHECK_EQ(arm.gicd_base, 0x8000000ull);
	CHECK_EQ(arm.gicc_base, 0x8010000ull);
	CHECK_EQ(arm.gicc_size, 0x2000ull);
	CHECK_EQ(arm.gich_base, 0x8030000ull);
	CHECK_EQ(arm.gicv_base, 0x8040000ull);
	CHECK_EQ(arm.timer_hz, 62500000);
	CHECK_EQ(arm.timer_irq_hyp, 26);
	CHECK(arm.psci_node >= 0);

	/* An older timer node lists no EL2 timer; without one the CPU's
	 * counter frequency is used. */
	const struct edit old_timer[] = {
		{"/timer", "interrupts", NULL, 9, {1, 13, 4, 1, 14, 4, 1, 11, 4}}};

	REQUIRE(parse(old_timer, 1) == BH_OK);
	CHECK_EQ(arm.timer_irq_hyp, 0);
	const struct edit no_timer[] = {{"/timer", "compatible", "vendor,timer", 0, {0}}};

	REQUIRE(parse(no_timer, 1) == BH_OK);
	CHECK_EQ(arm.timer_node, -1);
}

struct arm_case {
	struct edit edit[2];
	unsigned int edits;
	enum bh_err err;
	const char *msg;
};

TEST(arm_platform_refusals_say_why) /* reqs: REQ-BOOT-003 REQ-CFG-004 */
{
	static const struct arm_case cases[] = {
		{{{GIC, "compatible", "vendor,irqchip", 0, {0}}}, 1, BH_ERR_NOT_FOUND,
		 "error: no GIC: no node with compatible \"arm,gic-v3\""},
		{{{GIC, "reg", NULL, 4, {0, 0x8000000, 0, 0x10000}}}, 1, BH_ERR_INVALID,
		 "no redistributor range (entry 1)"},
		{{{GIC, "#redistributor-regions", NULL, 1, {5}}}, 1, BH_ERR_INVALID,
		 "must be 1 to 4 (GICR_MAX_REGIONS)"},
		{{GICV2(0x1000)}, 2, BH_ERR_INVALID,
		 "a CPU interface (2nd or 4th entry) under 8 KiB"},
		{{GICV2(0)}, 2, BH_ERR_INVALID, "no CPU interface range (entry 1)"},
		{{{"/psci", "compatible", "vendor,firmware", 0, {0}}}, 1, BH_ERR_NOT_FOUND,
		 "error: no PSCI node (compatible \"arm,psci-0.2\" or later)"},
		{{{"/psci", "method", NULL, EDIT_DELETE, {0}}}, 1, BH_ERR_INVALID,
		 "property 'method': missing (need \"smc\")"},
		{{{"/psci", "method", "mailbox", 0, {0}}}, 1, BH_ERR_UNSUPPORTED,
		 "unknown conduit (need \"smc\")"},
	};

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum bh_err err = parse(cases[i].edit, cases[i].edits);

		if (err != cases[i].err)
			test_fail(__FILE__, __LINE__, "case %u: %d, not %d", i, err, cases[i].err);
		if (strstr(fake_console_output(), cases[i].msg) == NULL)
			test_fail(__FILE__, __LINE__, "case %u: no \"%s\" in:\n%s", i, cases[i].msg,
				  fake_console_output());
	}
	/* A GIC-400 without its maintenance interrupt as PPI 9. */
	const struct edit v2_irq[] = {GICV2(0x2000), {GIC, "interrupts", NULL, 3, {1, 10, 4}}};

	CHECK_EQ(parse(v2_irq, 3), BH_ERR_INVALID);
	CHECK_CONTAINS(fake_console_output(), "the maintenance interrupt must be given, as PPI 9");
}
