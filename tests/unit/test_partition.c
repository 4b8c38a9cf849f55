// SPDX-License-Identifier: Apache-2.0
/*
 * core/partition.c and the console input of core/vuart.c on the host: the
 * partitions of tests/unit/dts/lifecycle.dts built, loaded and started,
 * their vCPUs run by vcpu_run_loop() on the fake arch (whose idle longjmps
 * back to the test once a vCPU is off, and whose guest entry runs a hook),
 * through CPU_ON, CPU_OFF, power-off, restart and stop. Guest memory is
 * host memory mapped at the partitions' and modules' physical addresses.
 */

#include <setjmp.h>
#include <string.h>
#include <sys/mman.h>

#include <libfdt.h>

#include <arch/fake.h>
#include <bulkhead/boot.h>
#include <bulkhead/channel.h>
#include <bulkhead/console.h>
#include <bulkhead/cpu.h>
#include <bulkhead/dt.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>
#include <bulkhead/platform.h>

#include "test.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define MODULES_PA 0x48000000ull
#define MODULES_SIZE 0x10000ull
#define GUEST_PA 0x50000000ull
#define GUEST_SIZE 0x3000000ull /* p0, p1 and the channel */
#define CHANNEL_PA 0x52000000ull
#define GUEST_DT_MAX 0x10000ull

static struct platform plat;
static struct system_config sys;
static struct config_errors errors;
static bool started;
/* What partitions_start() left, before any test changed it. */
static enum vcpu_state boot_state[2][2];
static unsigned int boot_running;
static char boot_log[4096];

static bool map_at(uint64_t pa, uint64_t size)
{
	void *p = mmap((void *)(uintptr_t)pa, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == (void *)(uintptr_t)pa)
		return true;
	printf("  cannot map host memory at 0x%llx\n", (unsigned long long)pa);
	return false;
}

/* Started once for the whole binary: partitions_start() sets up state
 * for good, as at boot. */
static bool start_once(void)
{
	static bool tried;

	if (tried)
		return started;
	tried = true;
	if (!map_at(MODULES_PA, MODULES_SIZE) || !map_at(GUEST_PA, GUEST_SIZE))
		return false;
	/* Kernels and ramdisk, each its own pattern; stale channel bytes. */
	memset((void *)(uintptr_t)MODULES_PA, 0x11, 0x1000);
	memset((void *)(uintptr_t)(MODULES_PA + 0x1000), 0x22, 0x1000);
	memset((void *)(uintptr_t)(MODULES_PA + 0x2000), 0x33, 0x1000);
	memset((void *)(uintptr_t)CHANNEL_PA, 0x5a, 0x10000);

	void *fdt = test_load_dtb("lifecycle");

	console_init(fdt);
	fake_console_reset();
	dt_index_build(fdt);
	if (platform_parse(fdt, 0, &plat) != BH_OK ||
	    platform_set_console(fdt, fdt_path_offset(fdt, "/pl011@9000000"), &plat) != BH_OK ||
	    config_parse(fdt, &plat, NULL, NULL, &sys, &errors) != BH_OK) {
		printf("  lifecycle.dts refused (%u errors): %s: %s\n", errors.count,
		       errors.list[0].path, errors.list[0].message);
		return false;
	}
	/* No CPU online (as no test brought one up): console input has no
	 * free CPU and follows the focus. */
	for (unsigned int i = 0; i < MAX_CPUS; i++)
		cpus[i].state = CPU_OFF;
	if (partitions_start(fdt, &plat, &sys) != BH_OK)
		return false;
	for (unsigned int p = 0; p < 2; p++) {
		for (unsigned int v = 0; v < sys.part[p].cpu_count; v++)
			boot_state[p][v] = partition_at(p)->vcpus[v]->state;
	}
	boot_running = partitions_running();
	snprintf(boot_log, sizeof(boot_log), "%s", fake_console_output());
	started = true;
	return true;
}

static bool all_bytes(uint64_t pa, uint8_t value, uint64_t size)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)pa;

	for (uint64_t i = 0; i < size; i++) {
		if (p[i] != value)
			return false;
	}
	return true;
}

TEST(partitions_start_loads_images_and_boots_vcpu0) /* reqs: REQ-PAR-001 REQ-CFG-006 REQ-CHN-001 */
{
	REQUIRE(start_once());
	CHECK_EQ(partitions_count(), 2);
	CHECK_EQ(boot_running, 2);
	const struct partition *p0 = partition_at(0), *p1 = partition_at(1);

	CHECK_STR(p0->cfg->name, "p0");
	CHECK_STR(p1->cfg->name, "p1");
	/* The kernel at its load address, the DT at the top of the first
	 * region, the ramdisk just below it. */
	CHECK_EQ(p0->dt_ipa, GUEST_PA + 0x1000000 - GUEST_DT_MAX);
	CHECK(all_bytes(GUEST_PA + 0x80000, 0x11, 0x1000));
	CHECK(all_bytes(p0->dt_ipa - 0x1000, 0x22, 0x1000));
	CHECK(all_bytes(0x51000000, 0x33, 0x1000));
	CHECK_EQ(fdt_check_header((const void *)(uintptr_t)p0->dt_ipa), 0);
	CHECK_EQ(fdt_check_header((const void *)(uintptr_t)p1->dt_ipa), 0);
	/* The channel starts empty, whatever the RAM held. */
	CHECK(all_bytes(CHANNEL_PA, 0, 0x10000));
	/* vCPU 0 of each starting at its entry with its DT; the others off. */
	CHECK_EQ(boot_state[0][0], VCPU_STARTING);
	CHECK_EQ(boot_state[0][1], VCPU_OFF);
	CHECK_EQ(boot_state[1][0], VCPU_STARTING);
	CHECK_EQ(p0->boots, 1);
	CHECK(vcpu_for_cpu(1) == p0->vcpus[0]);
	CHECK(vcpu_for_cpu(2) == p0->vcpus[1]);
	CHECK(vcpu_for_cpu(3) == p1->vcpus[0]);
	CHECK(vcpu_for_cpu(0) == NULL);
	CHECK(vcpu_for_cpu(MAX_CPUS) == NULL);
	CHECK_CONTAINS(boot_log, "partition p0: starting on 2 CPU(s), entry 0x50080000, device "
				 "tree at 0x50ff0000");
	CHECK_CONTAINS(boot_log, "partition p1: starting on 1 CPU(s), entry 0x51000000");
	CHECK_CONTAINS(boot_log, "console: input goes to p0");
}

/* What the guest does each time a vCPU is entered: the test's script. */
static unsigned int entries;
static jmp_buf *hook_jmp;
static void (*on_entry)(struct vcpu *v, unsigned int n);

static void enter_hook(struct vcpu *v)
{
	entries++;
	if (on_entry != NULL)
		on_entry(v, entries);
}

/* Run @v's CPU until its vCPU is off and it idles (or the script jumps out). */
static void run_cpu(struct vcpu *v, void (*script)(struct vcpu *, unsigned int))
{
	jmp_buf idle;

	entries = 0;
	on_entry = script;
	fake_vcpu_enter_hook = enter_hook;
	fake_idle_jmp = &idle;
	hook_jmp = &idle;
	if (setjmp(idle) == 0)
		vcpu_run_loop(v);
	fake_idle_jmp = NULL;
	fake_vcpu_enter_hook = NULL;
	hook_jmp = NULL;
}

TEST(partition_cpu_on_then_every_vcpu_off_stops_it) /* reqs: REQ-HYP-003 REQ-CNT-004 */
{
	REQUIRE(start_once());
	struct partition *p0 = partition_at(0);
	bool pending = false;
	unsigned int running = partitions_running();

	REQUIRE(p0->state == PARTITION_RUNNING);
	CHECK(vcpu_is_on(p0, 0, &pending));
	CHECK(pending);
	CHECK(!vcpu_is_on(p0, 1, &pending));
	CHECK_EQ(vcpu_power_on(p0, 2, 0x50080100, 7), VCPU_ON_INVALID);
	fake_kicked_cpus = 0;
	CHECK_EQ(vcpu_power_on(p0, 1, 0x50080100, 7), VCPU_ON_OK);
	CHECK_EQ(fake_kicked_cpus, 1ull << 2); /* its CPU, idle, is woken */
	CHECK_EQ(p0->vcpus[1]->entry, 0x50080100ull);
	CHECK_EQ(p0->vcpus[1]->context, 7);
	/* Racing CPU_ONs: the second loses. */
	CHECK_EQ(vcpu_power_on(p0, 1, 0x50080200, 8), VCPU_ON_ALREADY_ON);
	CHECK_EQ(p0->vcpus[1]->entry, 0x50080100ull);

	/* vCPU 0 runs, then turns itself off: vCPU 1 is still on. */
	fake_console_reset();
	run_cpu(p0->vcpus[0], NULL);
	CHECK_EQ(entries, 1);
	CHECK_EQ(p0->vcpus[0]->state, VCPU_OFF);
	CHECK_EQ(p0->state, PARTITION_RUNNING);
	/* The last one off: nothing can turn one on again, so it stops. */
	run_cpu(p0->vcpus[1], NULL);
	CHECK_EQ(entries, 1);
	CHECK_EQ(p0->state, PARTITION_STOPPED);
	CHECK_EQ(partitions_running(), running - 1);
	CHECK_CONTAINS(fake_console_output(),
		       "partition p0: stopping: every vCPU is off (PSCI CPU_OFF)\r\n"
		       "partition p0: stopped\r\n");
	/* Stopped for good: no CPU_ON, no stop, restart or action again. */
	CHECK_EQ(vcpu_power_on(p0, 0, 0x50080000, 0), VCPU_ON_ALREADY_ON);
	fake_console_reset();
	partition_stop(p0, "again");
	partition_restart(p0, "again");
	partition_act(p0, HEALTH_RESTART, "again");
	CHECK_EQ(p0->state, PARTITION_STOPPED);
	CHECK_EQ(p0->restarts, 0);
	CHECK_STR(fake_console_output(), "");
}

/* p1: the first time in, the guest turns its only vCPU off (its
 * power-off restarts it); the second time, it is stopped from outside. */
static void p1_script(struct vcpu *v, unsigned int n)
{
	if (n == 2)
		partition_stop(v->part, "stopped by the test");
	if (n > 2)
		longjmp(*hook_jmp, 1); /* a loop the code under test should not make */
}

TEST(partition_power_off_restarts_reloading_its_images) /* reqs: REQ-RST-001 REQ-RST-005 REQ-RST-004 */
{
	REQUIRE(start_once());
	struct partition *p1 = partition_at(1);
	unsigned int running = partitions_running();
	unsigned int resets = fake_device_resets;

	REQUIRE(p1->state == PARTITION_RUNNING);
	partition_act(p1, HEALTH_IGNORE, "ignored");
	CHECK_EQ(p1->state, PARTITION_RUNNING);
	/* The guest scribbles over its kernel; a restart loads it afresh. */
	memset((void *)(uintptr_t)0x51000000, 0xee, 0x1000);
	fake_console_reset();
	fake_kicked_cpus = 0;
	partition_power_off(p1, "power off by the test");
	CHECK_EQ(p1->state, PARTITION_RESTARTING);
	CHECK_EQ(p1->restarts, 1);
	/* Its vCPU, starting, is kicked to see the new state. */
	CHECK_EQ(fake_kicked_cpus, 1ull << 3);
	CHECK_CONTAINS(fake_console_output(), "partition p1: restarting (1): power off by the test");

	/* Its CPU: vCPU 0 was still starting, so it is not entered but leaves
	 * as the last one out, reloads and boots again (entry 1); there it
	 * turns itself off, which restarts it (entry 2), and it is stopped. */
	run_cpu(p1->vcpus[0], p1_script);
	CHECK_EQ(entries, 2);
	CHECK_EQ(p1->restarts, 2);
	CHECK_EQ(p1->boots, 3);
	CHECK_EQ(fake_device_resets, resets + 2);
	CHECK(all_bytes(0x51000000, 0x33, 0x1000));
	CHECK_EQ(p1->state, PARTITION_STOPPED);
	CHECK_EQ(p1->vcpus[0]->state, VCPU_OFF);
	CHECK_EQ(partitions_running(), running - 1);
	const char *out = fake_console_output();

	CHECK_CONTAINS(out, "partition p1: restarting (2): every vCPU is off (PSCI CPU_OFF)");
	CHECK_CONTAINS(out, "partition p1: stopping: stopped by the test\r\npartition p1: stopped");
}

/* Ctrl-T s's table (core/console_status.c): each partition's state as it
 * is now, its uptime only while running, and its last health report. */
TEST(console_status_names_state_uptime_and_report) /* reqs: REQ-CNS-004 */
{
	REQUIRE(start_once());
	struct partition *p0 = partition_at(0), *p1 = partition_at(1);
	enum partition_state s0 = p0->state, s1 = p1->state;
	struct health_state h0 = p0->health, h1 = p1->health;
	uint64_t t = fake_time_ns;

	fake_time_ns = 5000000000ull;
	p0->state = PARTITION_RUNNING;
	p0->health.started_ns = 3500000000ull;
	p0->health.report = HEALTH_REPORT_DEGRADED;
	p1->state = PARTITION_RESTARTING;
	p1->health.started_ns = 1000000000ull;
	p1->health.report = HEALTH_REPORT_FAILED;
	fake_console_reset();
	console_status_print();
	const char *out = fake_console_output();

	CHECK_CONTAINS(out, "status: p0               running ");
	CHECK_CONTAINS(out, "       1500 degraded");
	CHECK_CONTAINS(out, "status: p1               restarting ");
	/* Not running: no uptime, whenever its last run started. */
	CHECK_CONTAINS(out, "          0 failed");
	p0->state = s0;
	p1->state = s1;
	p0->health = h0;
	p1->health = h1;
	fake_time_ns = t;
}

/* Console input, polled (the fake UART has no receive interrupt until the
 * test says so): to the focused partition, Ctrl-T moving the focus. */
TEST(vuart_input_goes_to_the_focus_and_ctrl_t_moves_it) /* reqs: REQ-CNS-004 */
{
	REQUIRE(start_once());
	struct partition *p0 = partition_at(0), *p1 = partition_at(1);

	/* No CPU is free (none is online here): the input interrupt follows
	 * the focus, p0's vCPU 0 on CPU 1. */
	CHECK_EQ(fake_console_input_cpu, 1);
	fake_console_input = "hi";
	CHECK_EQ(vuart_input_count(p0), 2);
	CHECK_EQ(vuart_getc(p0), 'h');
	CHECK_EQ(vuart_getc(p0), 'i');
	CHECK_EQ(vuart_getc(p0), -1);

	/* Ctrl-T and any key: the focus moves, and the key goes with it. */
	fake_console_reset();
	fake_console_input = "\x14xy";
	CHECK_EQ(vuart_getc(p0), -1);
	CHECK_EQ(vuart_getc(p1), 'x');
	CHECK_EQ(vuart_getc(p1), 'y');
	CHECK_CONTAINS(fake_console_output(), "console: input goes to p1");

	/* Ctrl-T s: the status list, the focus stays. */
	fake_console_reset();
	fake_console_input = "\x14sz";
	CHECK_EQ(vuart_getc(p1), 'z');
	const char *out = fake_console_output();

	CHECK_CONTAINS(out, "status: partition        state      cpus");
	CHECK_CONTAINS(out, "status: p0 ");
	CHECK_CONTAINS(out, "status: p1 ");
	CHECK_CONTAINS(out, "1,2");
	CHECK(strstr(out, "input goes to") == NULL);

	/* A full buffer drops what is typed beyond it. */
	static char many[VUART_INPUT_MAX + 11];

	memset(many, 'm', sizeof(many) - 1);
	fake_console_input = many;
	CHECK_EQ(vuart_input_count(p1), VUART_INPUT_MAX);
	for (unsigned int i = 0; i < VUART_INPUT_MAX; i++)
		(void)vuart_getc(p1);
	CHECK_EQ(vuart_getc(p1), -1);

	/* By interrupt: the focused partition's virtual UART is told, and
	 * once the focus moves the interrupt follows it (p0, CPU 1). */
	fake_vuart_inputs = 0;
	fake_console_input = "\x14q";
	vuart_input_interrupt();
	CHECK_EQ(fake_vuart_inputs, 1);
	CHECK(fake_vuart_input_part == p0);
	CHECK_EQ(fake_console_input_cpu, 1);
	CHECK_EQ(vuart_getc(p0), 'q');
	fake_console_input = NULL;
}

/* Channel 0 between the started partitions: p1's end read-only, each end's
 * doorbell page at guest 0x61000000, each doorbell INTID 80. */
TEST(channel_doorbells_and_read_only_ends_of_started_partitions) /* reqs: REQ-CHN-002 REQ-CHN-003 */
{
	REQUIRE(start_once());
	struct partition *p0 = partition_at(0), *p1 = partition_at(1);
	uint64_t value = 0xdead;

	CHECK(channel_read_only_at(p1, 0x60000000));
	CHECK(channel_read_only_at(p1, 0x6000ffff));
	CHECK(!channel_read_only_at(p1, 0x60010000));
	CHECK(!channel_read_only_at(p0, 0x60000000));

	/* The doorbell page: ID reads the channel's id, others read 0. */
	CHECK(channel_doorbell_access(p0, 0x61000000 + CHANNEL_DOORBELL_ID, false, &value));
	CHECK_EQ(value, 0);
	value = 0xdead;
	CHECK(channel_doorbell_access(p0, 0x61000008, false, &value));
	CHECK_EQ(value, 0);
	CHECK(!channel_doorbell_access(p0, 0x61001000, false, &value));
	/* A write elsewhere in the page rings nothing; to RING, the peer. */
	fake_doorbell_part = NULL;
	CHECK(channel_doorbell_access(p0, 0x61000008, true, &value));
	CHECK(fake_doorbell_part == NULL);
	CHECK(channel_doorbell_access(p0, 0x61000000 + CHANNEL_DOORBELL_RING, true, &value));
	CHECK(fake_doorbell_part == p1);
	CHECK_EQ(fake_doorbell_intid, 80);
	fake_doorbell_part = NULL;
	CHECK(channel_doorbell_access(p1, 0x61000000, true, &value));
	CHECK(fake_doorbell_part == p0);
}

/* The call's registers in @regs; true if it reported a change. */
static bool call(struct partition *caller, uint32_t fn, uint64_t a1, uint64_t regs[4])
{
	const struct hypercall c = {.fn = fn, .arg = {a1, 0, 0}, .caller = caller, .vcpu = 0};

	regs[0] = regs[1] = regs[2] = regs[3] = 0xdead;
	return hypercall_dispatch(&c, regs);
}

TEST(hypercalls_of_started_partitions) /* reqs: REQ-HYP-001 REQ-HYP-002 REQ-CHN-003 REQ-RST-002 */
{
	REQUIRE(start_once());
	struct partition *p0 = partition_at(0), *p1 = partition_at(1);
	uint64_t regs[4], want[4];

	call(p0, BH_HYPERCALL_VERSION, 0, regs);
	hypercall_pack_version(bulkhead_version, want);
	CHECK_EQ(regs[0], want[0]); /* SMC64: all of x0 */
	CHECK_EQ(regs[1], want[1]);
	CHECK_EQ(regs[2], want[2]);
	CHECK_EQ(regs[3], want[3]);

	/* DOORBELL on channel 0 rings the other end; on channel 1, nothing. */
	fake_doorbell_part = NULL;
	CHECK(call(p1, BH_HYPERCALL_DOORBELL, 0, regs)); /* it acted: a change reported */
	CHECK_EQ(regs[0], BH_HC_SUCCESS);
	CHECK(fake_doorbell_part == p0);
	fake_doorbell_part = NULL;
	CHECK(!call(p1, BH_HYPERCALL_DOORBELL, 1, regs)); /* refused: none */
	CHECK(regs[0] != BH_HC_SUCCESS);
	CHECK(fake_doorbell_part == NULL);

	/* The health calls: no watchdog to kick; a report is taken. */
	call(p0, BH_HYPERCALL_WATCHDOG_KICK, 0, regs);
	CHECK_EQ(regs[0], (uint32_t)BH_HC_DENIED);
	call(p0, BH_HYPERCALL_HEALTH_REPORT, HEALTH_REPORT_DEGRADED, regs);
	CHECK_EQ(regs[0], BH_HC_SUCCESS);
	CHECK_EQ(p0->health.report, HEALTH_REPORT_DEGRADED);
}
