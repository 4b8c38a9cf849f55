// SPDX-License-Identifier: Apache-2.0
/*
 * core/boot.c on the fake arch: the banner; the primary CPU's boot on a
 * refused machine (halted) and on QEMU's virt tree whose configuration is
 * refused (the platform reported, one secondary failing to start and the
 * others never coming online by the deadline, no partition started, the
 * CPU then idle); a secondary coming online. The fake arch's halt and idle
 * longjmp back to the test; its clock moves on while a CPU waits.
 */

#include <setjmp.h>
#include <sys/mman.h>

#include <arch/fake.h>
#include <bulkhead/arch.h>
#include <bulkhead/boot.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>

#include "config_edit.h"
#include "test.h"

TEST(boot_banner_names_version_arch_and_parts) /* reqs: REQ-BOOT-004 */
{
	char want[128];

	REQUIRE(console_init(test_load_dtb("console-path")) == BH_OK);
	fake_console_reset();
	boot_banner();
	snprintf(want, sizeof(want), "\r\nBulkhead %s (fake), a static partitioning hypervisor\r\n",
		 bulkhead_version);
	CHECK_CONTAINS(fake_console_output(), want);
	snprintf(want, sizeof(want), "parts: %s\r\n", bulkhead_parts);
	CHECK_CONTAINS(fake_console_output(), want);
}

/* Runs boot_primary_main() until the CPU halts or idles; whether it
 * halted. */
static bool boot(const void *fdt, uint64_t hyp_start, uint64_t hyp_end)
{
	jmp_buf out;
	unsigned int halts = fake_halts;

	/* As the arch's entry does: the console, then the DT's index. */
	(void)console_init(fdt);
	dt_index_build(fdt);
	fake_console_reset();
	fake_halt_jmp = &out;
	fake_idle_jmp = &out;
	if (setjmp(out) == 0) {
		boot_primary_main(fdt, 0, hyp_start, hyp_end);
		test_fail(__FILE__, __LINE__, "boot_primary_main() returned");
	}
	fake_halt_jmp = NULL;
	fake_idle_jmp = NULL;
	return fake_halts != halts;
}

/* Leave no CPU online for the tests that follow (the console input picks
 * an online CPU without a vCPU). */
static void cpus_off(void)
{
	for (unsigned int i = 0; i < MAX_CPUS; i++)
		cpus[i].state = CPU_OFF;
}

TEST(boot_halts_on_a_machine_it_cannot_use) /* reqs: REQ-BOOT-003 */
{
	const struct edit no_cpus[] = {{"/cpus/cpu@0", "device_type", "not-a-cpu", 0, {0}},
				       {"/cpus/cpu@1", "device_type", "not-a-cpu", 0, {0}},
				       {"/cpus/cpu@2", "device_type", "not-a-cpu", 0, {0}},
				       {"/cpus/cpu@3", "device_type", "not-a-cpu", 0, {0}}};
	const void *fdt = edited_tree("qemu-virt", no_cpus, 4);

	REQUIRE(fdt != NULL);
	CHECK(boot(fdt, 0x40000000, 0x40200000));
	CHECK_CONTAINS(fake_console_output(), "console: UART at 0x");
	CHECK_CONTAINS(fake_console_output(),
		       "fatal: the device tree does not describe a usable machine");
	cpus_off();
}

#define HV "/chosen/bulkhead"
#define P0 HV "/p0"

TEST(boot_reports_the_machine_and_refuses_a_bad_configuration) /* reqs: REQ-BOOT-002 REQ-CFG-001 */
{
	/* A partition whose memory overlaps the hypervisor's image, its
	 * kernel inside the image (never read: the hypervisor is not RAM to
	 * its modules). */
	const struct edit e[] = {
		{"/chosen", NULL, "bulkhead", 0, {0}},
		{HV, "compatible", "bulkhead,hypervisor", 0, {0}},
		{HV, NULL, "p0", 0, {0}},
		{P0, "compatible", "bulkhead,partition", 0, {0}},
		{P0, "#address-cells", NULL, 1, {2}},
		{P0, "#size-cells", NULL, 1, {2}},
		{P0, "cpus", NULL, 1, {0x8003}},
		{P0, "memory", NULL, 4, {0, 0x40100000, 0, 0x1000000}},
		{P0, NULL, "module@40000000", 0, {0}},
		{P0 "/module@40000000", "compatible", "multiboot,kernel", 0, {0}},
		{P0 "/module@40000000", "reg", NULL, 4, {0, 0x40000000, 0, 0x1000}},
	};
	const void *fdt = edited_tree("qemu-virt", e, sizeof(e) / sizeof(e[0]));
	unsigned int starts = fake_cpu_starts;

	REQUIRE(fdt != NULL);
	fake_cpu_start_fail = 1ull << 2;
	fake_wait_time_step = 100000000; /* 0.1 s a wait: the 1 s deadline comes */
	bool halted = boot(fdt, 0x40000000, 0x40200000);

	fake_cpu_start_fail = 0;
	fake_wait_time_step = 0;
	/* Halted, the partitions were never decided: a secondary would wait
	 * for them for good. */
	if (halted)
		printf("%s", fake_console_output());
	REQUIRE(!halted);
	const char *out = fake_console_output();

	CHECK_CONTAINS(out, "memory: 0x0000000040000000-0x000000007fffffff (1024 MiB)\r\n");
	CHECK_CONTAINS(out, "memory: 1024 MiB in 1 range(s)\r\n");
	CHECK_CONTAINS(out, "hypervisor: 0x0000000040000000-0x00000000401fffff (2048 KiB)\r\n");
	CHECK_CONTAINS(out, "cpus: 4\r\ncpu 0: hwid 0x0 (boot)\r\ncpu 1: hwid 0x1\r\n");
	/* CPUs 1 and 3 started (the fake never brings them online), 2 not. */
	CHECK_EQ(fake_cpu_starts, starts + 2);
	CHECK_CONTAINS(out, "cpu 2: hwid 0x2 failed to start: firmware error\r\n");
	CHECK_CONTAINS(out, "cpu 1: hwid 0x1 did not come online\r\n");
	CHECK_CONTAINS(out, "cpu 3: hwid 0x3 did not come online\r\n");
	CHECK_CONTAINS(out, "1 of 4 CPUs online\r\n");
	CHECK_CONTAINS(out, "error: /chosen/bulkhead/p0: property 'memory': 0x40100000-0x410fffff "
			    "overlaps the hypervisor at 0x40000000-0x401fffff\r\n");
	CHECK_CONTAINS(out, "error(s); no partition started\r\n");
	/* The boot CPU is online and runs no vCPU: it would take console input. */
	CHECK_EQ(cpus[0].state, CPU_ONLINE);
	CHECK_EQ(cpus[2].state, CPU_OFF);
	CHECK_EQ(cpu_without_vcpu(&(struct platform){.cpu_count = 4}), 0);

	/* A secondary (one without a vCPU) comes online, then idles: the
	 * partitions are decided. */
	struct cpu late = {.index = MAX_CPUS - 1, .hwid = 0x77};
	jmp_buf idle;

	fake_console_reset();
	fake_idle_jmp = &idle;
	if (setjmp(idle) == 0)
		cpu_secondary_main(&late);
	fake_idle_jmp = NULL;
	CHECK_EQ(late.state, CPU_ONLINE);
	CHECK_CONTAINS(fake_console_output(), "cpu 15: online (hwid 0x77)\r\n");
	cpu_mark_halted(&late);
	CHECK_EQ(late.state, CPU_HALTED);
	cpus_off();
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#define HYP_KERNEL_PA 0x4a000000ull

TEST(boot_carves_the_coloured_hypervisor_span_or_refuses) /* reqs: REQ-COL-005 */
{
	/* A valid coloured configuration: the hypervisor on colour 15, p0
	 * uncoloured (what happens to partitions is tested elsewhere). */
	const struct edit e[] = {
		{"/chosen", NULL, "bulkhead", 0, {0}},
		{HV, "compatible", "bulkhead,hypervisor", 0, {0}},
		{HV, "bulkhead,llc", NULL, 3, {0x100000, 1024, 64}},
		{HV, "bulkhead,hypervisor-colours", NULL, 1, {15}},
		{HV, NULL, "p0", 0, {0}},
		{P0, "compatible", "bulkhead,partition", 0, {0}},
		{P0, "#address-cells", NULL, 1, {2}},
		{P0, "#size-cells", NULL, 1, {2}},
		{P0, "cpus", NULL, 1, {0x8003}},
		{P0, "memory", NULL, 4, {0, 0x50000000, 0, 0x1000000}},
		{P0, NULL, "module@4a000000", 0, {0}},
		{P0 "/module@4a000000", "compatible", "multiboot,kernel", 0, {0}},
		{P0 "/module@4a000000", "reg", NULL, 4, {0, 0x4a000000, 0, 0x1000}},
	};
	const void *fdt = edited_tree("qemu-virt", e, sizeof(e) / sizeof(e[0]));
	/* The kernel's header is read where the module is: host memory there. */
	void *kernel = mmap((void *)(uintptr_t)HYP_KERNEL_PA, 0x1000, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	REQUIRE(fdt != NULL);
	REQUIRE(kernel == (void *)(uintptr_t)HYP_KERNEL_PA);
	fake_wait_time_step = 100000000; /* the secondaries' 1 s deadline comes */

	/* A port that cannot move its image. */
	fake_hyp_colour_size = 0;
	CHECK(!boot(fdt, 0x40000000, 0x40200000));
	CHECK_CONTAINS(fake_console_output(), "error: this port does not colour the hypervisor\r\n");
	CHECK_CONTAINS(fake_console_output(), "no partition started\r\n");

	/* One that can: a way-aligned span of 106 cycles of 64 KiB found
	 * (below the top of RAM), tables carved beside it; preparing fails
	 * here, and nothing starts. */
	fake_hyp_colour_size = 0x6a000;
	fake_hyp_colour_prepare_result = BH_ERR_NO_MEMORY;
	fake_hyp_colour_span = 0;
	CHECK(!boot(fdt, 0x40000000, 0x40200000));
	CHECK_EQ(fake_hyp_colour_span, 0x80000000ull - 106u * 0x10000u);
	CHECK_CONTAINS(fake_console_output(), "tables: 88 KiB at 0x");
	CHECK_CONTAINS(fake_console_output(), "no partition started\r\n");

	/* No gap for it: said at the property. */
	fake_hyp_colour_size = 0x10000000;
	CHECK(!boot(fdt, 0x40000000, 0x40200000));
	CHECK_CONTAINS(fake_console_output(),
		       "error: /chosen/bulkhead: property 'bulkhead,hypervisor-colours': the "
		       "hypervisor's 262144 KiB at 1 of 16 colours take 4194304 KiB of free RAM");

	fake_hyp_colour_size = 0;
	fake_hyp_colour_prepare_result = BH_ERR_UNSUPPORTED;
	fake_wait_time_step = 0;
	(void)munmap(kernel, 0x1000);
	cpus_off();
}
