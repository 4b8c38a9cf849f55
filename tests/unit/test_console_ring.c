// SPDX-License-Identifier: Apache-2.0
/*
 * core/console_ring.c through log_printf(), against a fake slow or stalled
 * UART: a CPU running a vCPU never waits for the UART (each write costs a
 * bounded number of transmit attempts, however stuck the UART is), lines
 * stay whole and in order, nothing is lost until the ring is full, and
 * what is lost then is counted and reported. A CPU without a vCPU loses
 * nothing: it waits for room.
 */

#include <pthread.h>
#include <sched.h>

#include <arch/fake.h>
#include <bulkhead/console.h>

#include "test.h"

/* 64 bytes on the wire with its CR LF: 128 fill the ring exactly. */
#define LINE_FMT "line %03u %053u\n"
#define LINE_WIRE 64u
#define RING_LINES (CONSOLE_OUTPUT_RING / LINE_WIRE)

static void start(void)
{
	REQUIRE(console_init(test_load_dtb("console-path")) == BH_OK);
	fake_console_reset();
	fake_console_room = SIZE_MAX;
	fake_console_tx_max = SIZE_MAX;
	fake_console_tx_calls = 0;
}

static void stop(void)
{
	fake_console_room = SIZE_MAX;
	fake_console_tx_max = SIZE_MAX;
	console_drain();
}

/* Lines first..last-1 appear in order, each whole, and nothing else. */
static bool lines_in_order(const char *out, unsigned int first, unsigned int last)
{
	char want[LINE_WIRE + 1];

	for (unsigned int i = first; i < last; i++) {
		snprintf(want, sizeof(want), "line %03u %053u\r\n", i, 0u);
		if (strncmp(out, want, LINE_WIRE) != 0)
			return false;
		out += LINE_WIRE;
	}
	return *out == '\0';
}

TEST(console_ring_writer_on_a_vcpu_cpu_never_waits_for_a_stalled_uart) /* reqs: REQ-CNS-003 */
{
	start();
	console_cpu_runs_vcpu(0); /* the fake's only CPU */
	fake_console_room = 0;    /* the transmitter takes nothing */
	for (unsigned int i = 0; i < 200; i++) {
		unsigned int before = fake_console_tx_calls;

		log_printf(LINE_FMT, i, 0u);
		/* One attempt, which the UART refuses: no waiting loop. */
		CHECK(fake_console_tx_calls - before <= 1);
	}
	CHECK_STR(fake_console_output(), "");
	CHECK_EQ(console_dropped_lines(), 200 - RING_LINES);
	/* The UART comes back: everything that fitted comes out, whole. */
	fake_console_room = SIZE_MAX;
	console_drain();
	CHECK(lines_in_order(fake_console_output(), 0, RING_LINES));
	/* The next line says how many were lost, before itself. */
	fake_console_reset();
	log_printf("after\n");
	CHECK_STR(fake_console_output(), "console: 72 line(s) dropped, the output ring was full\r\n"
					 "after\r\n");
	stop();
}

TEST(console_ring_nothing_lost_until_full) /* reqs: REQ-CNS-003 */
{
	start();
	console_cpu_runs_vcpu(0);
	fake_console_room = 0;
	for (unsigned int i = 0; i < RING_LINES; i++)
		log_printf(LINE_FMT, i, 0u);
	CHECK_EQ(console_dropped_lines(), 0);
	fake_console_room = SIZE_MAX;
	console_drain();
	CHECK(lines_in_order(fake_console_output(), 0, RING_LINES));
	stop();
}

TEST(console_ring_slow_uart_gets_whole_lines_in_order) /* reqs: REQ-CNS-003 */
{
	start();
	console_cpu_runs_vcpu(0);
	fake_console_tx_max = 7; /* a FIFO of 7 that empties between calls */
	for (unsigned int i = 0; i < 50; i++)
		log_printf(LINE_FMT, i, 0u);
	CHECK_EQ(console_dropped_lines(), 0); /* 50 lines fit: nothing lost */
	/* Each write moved the ring on by what the UART took; the rest comes
	 * out as later drains (interrupts, idle CPUs) find room. */
	CHECK(strlen(fake_console_output()) < 50 * LINE_WIRE);
	for (unsigned int i = 0; i < 50 * LINE_WIRE; i++)
		console_drain();
	CHECK(lines_in_order(fake_console_output(), 0, 50));
	stop();
}

TEST(console_ring_cpu_without_vcpu_waits_and_loses_nothing) /* reqs: REQ-CNS-003 */
{
	start(); /* no CPU runs a vCPU */
	fake_console_tx_max = 5;
	for (unsigned int i = 0; i < 300; i++)
		log_printf(LINE_FMT, i, 0u);
	CHECK_EQ(console_dropped_lines(), 0);
	for (unsigned int i = 0; i < 300 * LINE_WIRE; i++)
		console_drain();
	CHECK(lines_in_order(fake_console_output(), 0, 300));
	stop();
}

TEST(console_ring_emergency_writes_synchronously) /* reqs: REQ-CNS-003 */
{
	start();
	console_cpu_runs_vcpu(0);
	fake_console_tx_max = 3;
	log_printf("queued\n");
	CHECK_STR(fake_console_output(), "que");
	console_emergency_begin(); /* what was queued goes out first, all of it */
	CHECK_STR(fake_console_output(), "queued\r\n");
	log_printf("fatal\n");
	console_emergency_end();
	CHECK_STR(fake_console_output(), "queued\r\nfatal\r\n");
	stop();
}

/*
 * The race the QEMU fault test once lost: CPU 1 is in the middle of a
 * drain pass (inside arch_console_tx) when CPU 2 faults and starts its
 * register dump. The dump must wait for that pass: the queued line comes
 * out once and whole, then the dump, nothing interleaved or sent twice.
 * Each "CPU" is a host thread (fake_cpu_index).
 */
static unsigned int race_fatal_done;

static void *race_fatal_cpu(void *arg)
{
	(void)arg;
	fake_cpu_index = 2;
	console_emergency_begin();
	log_printf("fatal on cpu 2\n");
	console_emergency_end();
	__atomic_store_n(&race_fatal_done, 1u, __ATOMIC_SEQ_CST);
	return NULL;
}

static pthread_t race_thread;
static unsigned int race_started;

/* CPU 1's first transmit: start CPU 2's fatal report, and go on sending
 * only once CPU 2 waits for the ring (or, were it not to wait, has
 * finished: the interleaving this test exists to catch). */
static void race_mid_drain(void)
{
	if (race_started != 0u)
		return;
	race_started = 1u;
	unsigned int waits = __atomic_load_n(&fake_wait_events, __ATOMIC_SEQ_CST);

	REQUIRE(pthread_create(&race_thread, NULL, race_fatal_cpu, NULL) == 0);
	while (__atomic_load_n(&fake_wait_events, __ATOMIC_SEQ_CST) == waits &&
	       __atomic_load_n(&race_fatal_done, __ATOMIC_SEQ_CST) == 0u)
		(void)sched_yield();
}

TEST(console_ring_fatal_report_waits_for_a_drain_in_progress_on_another_cpu) /* reqs: REQ-CNT-003 REQ-CNS-003 */
{
	start();
	fake_cpu_index = 1;
	race_started = 0;
	race_fatal_done = 0;
	fake_console_tx_hook = race_mid_drain;
	log_printf("queued by cpu 1\n");
	fake_console_tx_hook = NULL;
	REQUIRE(race_started == 1u);
	REQUIRE(pthread_join(race_thread, NULL) == 0);
	fake_cpu_index = 0;
	CHECK_STR(fake_console_output(), "queued by cpu 1\r\nfatal on cpu 2\r\n");
	stop();
}
