// SPDX-License-Identifier: Apache-2.0
/*
 * core/health.c: the fault verdict, the crash-loop rate limit, the
 * watchdog's deadline and actions, and the two health hypercalls, on a
 * partition built by hand against the fake arch (whose clock the test sets).
 */

#include <bulkhead/health.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include <arch/fake.h>

#include "test.h"

#define MS 1000000ull

TEST(health_fault_verdict_fires_once_at_the_limit) /* reqs: REQ-RST-003 REQ-CNT-002 */
{
	struct health_config cfg = {.fault_action = HEALTH_RESTART, .fault_limit = 3};

	CHECK_EQ(health_fault_verdict(&cfg, 1), HEALTH_IGNORE);
	CHECK_EQ(health_fault_verdict(&cfg, 2), HEALTH_IGNORE);
	CHECK_EQ(health_fault_verdict(&cfg, 3), HEALTH_RESTART);
	/* Faults while it is being restarted are not acted on again. */
	CHECK_EQ(health_fault_verdict(&cfg, 4), HEALTH_IGNORE);
	cfg.fault_action = HEALTH_IGNORE;
	CHECK_EQ(health_fault_verdict(&cfg, 3), HEALTH_IGNORE);
}

TEST(health_restarts_unlimited_without_a_limit) /* reqs: REQ-RST-003 */
{
	struct health_config cfg = {0};
	struct health_state s = {0};

	for (unsigned int i = 0; i < 100; i++)
		CHECK(health_restart_allowed(&cfg, &s, i));
}

TEST(health_restart_limit_is_a_sliding_window) /* reqs: REQ-RST-003 */
{
	struct health_config cfg = {.restart_limit = 2, .restart_window_ms = 100};
	struct health_state s = {0};

	CHECK(health_restart_allowed(&cfg, &s, 1000 * MS));
	CHECK(health_restart_allowed(&cfg, &s, 1050 * MS));
	/* A third within 100 ms of the first: a crash loop. */
	CHECK(!health_restart_allowed(&cfg, &s, 1099 * MS));
	/* Refusals are not recorded: the oldest of the last two counts. */
	CHECK(health_restart_allowed(&cfg, &s, 1100 * MS));
	CHECK(!health_restart_allowed(&cfg, &s, 1149 * MS));
	CHECK(health_restart_allowed(&cfg, &s, 1150 * MS));
}

TEST(health_restart_limit_ring_wraps) /* reqs: REQ-RST-003 */
{
	struct health_config cfg = {.restart_limit = HEALTH_RESTART_LIMIT_MAX,
				    .restart_window_ms = 10};
	struct health_state s = {0};
	uint64_t t = 0;

	/* Spaced out: never a loop, through several turns of the ring. */
	for (unsigned int i = 0; i < 5 * HEALTH_RESTART_LIMIT_MAX; i++, t += MS)
		CHECK(health_restart_allowed(&cfg, &s, t));
	/* The last 16 restarts span 16 ms: more than the window, so allowed;
	 * within a 1 s window, the next is refused. */
	CHECK(health_restart_allowed(&cfg, &s, t));
	cfg.restart_window_ms = 1000;
	CHECK(!health_restart_allowed(&cfg, &s, t + 1));
}

static struct partition_config hand_cfg;
static struct partition hand;

static struct partition *hand_partition(const struct health_config *h)
{
	memset(&hand_cfg, 0, sizeof(hand_cfg));
	memset(&hand, 0, sizeof(hand));
	memcpy(hand_cfg.name, "hand", 5);
	hand_cfg.health = *h;
	hand.cfg = &hand_cfg;
	hand.lock = (struct spinlock)SPINLOCK_INIT;
	hand.state = PARTITION_RUNNING;
	health_run_started(&hand.health, fake_time_ns);
	return &hand;
}

TEST(health_watchdog_restarts_a_partition_that_stopped_kicking) /* reqs: REQ-RST-002 */
{
	struct health_config h = {.watchdog_ms = 50, .watchdog_action = HEALTH_RESTART};
	struct vcpu v = {0};
	uint64_t regs[4] = {BH_HYPERCALL_WATCHDOG_KICK, 0, 0, 0};

	fake_time_ns = 1000 * MS;
	v.part = hand_partition(&h);
	/* The first period counts from the start. */
	CHECK_EQ(health_watchdog_timer(&hand, 1010 * MS), 1050 * MS);
	fake_time_ns = 1040 * MS;
	REQUIRE(health_hypercall(&v, BH_HYPERCALL_WATCHDOG_KICK, regs));
	CHECK_EQ(regs[0], BH_HC_SUCCESS);
	CHECK_EQ(regs[1], 50);
	/* Kicked: the timer, early, looks again at the new deadline. */
	CHECK_EQ(health_watchdog_timer(&hand, 1050 * MS), 1090 * MS);
	CHECK_EQ(hand.state, PARTITION_RUNNING);
	CHECK_EQ(health_watchdog_timer(&hand, 1090 * MS), 0);
	CHECK_EQ(hand.state, PARTITION_RESTARTING);
	CHECK_EQ(hand.restarts, 1);
	/* Not running: nothing more to watch. */
	CHECK_EQ(health_watchdog_timer(&hand, 2000 * MS), 0);
}

TEST(health_watchdog_ignore_and_stop) /* reqs: REQ-RST-002 */
{
	struct health_config h = {.watchdog_ms = 10, .watchdog_action = HEALTH_IGNORE};

	fake_time_ns = 0;
	hand_partition(&h);
	/* Ignored: logged, and looked at again a timeout later. */
	CHECK_EQ(health_watchdog_timer(&hand, 10 * MS), 20 * MS);
	CHECK_EQ(hand.state, PARTITION_RUNNING);
	h.watchdog_action = HEALTH_STOP;
	hand_partition(&h);
	CHECK_EQ(health_watchdog_timer(&hand, 10 * MS), 0);
	CHECK_EQ(hand.state, PARTITION_STOPPED);
	CHECK_EQ(hand.restarts, 0);
}

TEST(health_restart_beyond_the_limit_stops) /* reqs: REQ-RST-003 */
{
	struct health_config h = {.fault_action = HEALTH_RESTART, .fault_limit = 1,
				  .restart_limit = 1, .restart_window_ms = 100};

	fake_time_ns = 0;
	hand_partition(&h);
	partition_fault(&hand, "test fault");
	CHECK_EQ(hand.state, PARTITION_RESTARTING);
	CHECK_EQ(hand.faults, 1);
	hand.state = PARTITION_RUNNING; /* as once restarted */
	health_run_started(&hand.health, 50 * MS);
	partition_fault(&hand, "test fault");
	CHECK_EQ(hand.state, PARTITION_STOPPED);
	CHECK_EQ(hand.restarts, 1);
	CHECK_EQ(hand.faults, 2);
}

TEST(health_hypercalls_validate) /* reqs: REQ-HYP-002 REQ-RST-002 */
{
	struct health_config none = {0};
	struct health_config dog = {.watchdog_ms = 10, .watchdog_action = HEALTH_STOP};
	struct vcpu v = {0};
	uint64_t regs[4] = {0};

	v.part = hand_partition(&none);
	CHECK(!health_hypercall(&v, BH_HYPERCALL_DOORBELL, regs));
	REQUIRE(health_hypercall(&v, BH_HYPERCALL_WATCHDOG_KICK, regs));
	CHECK_EQ(regs[0], (uint32_t)BH_HC_DENIED);
	regs[1] = 0;
	REQUIRE(health_hypercall(&v, BH_HYPERCALL_HEALTH_REPORT, regs));
	CHECK_EQ(regs[0], (uint32_t)BH_HC_INVALID_PARAMETER);
	regs[1] = HEALTH_REPORT_DEGRADED;
	REQUIRE(health_hypercall(&v, BH_HYPERCALL_HEALTH_REPORT, regs));
	CHECK_EQ(regs[0], BH_HC_SUCCESS);
	CHECK_EQ(hand.health.report, HEALTH_REPORT_DEGRADED);
	/* FAILED takes the watchdog's action at once. */
	v.part = hand_partition(&dog);
	regs[1] = HEALTH_REPORT_FAILED;
	REQUIRE(health_hypercall(&v, BH_HYPERCALL_HEALTH_REPORT, regs));
	CHECK_EQ(regs[0], BH_HC_SUCCESS);
	CHECK_EQ(hand.state, PARTITION_STOPPED);
}
