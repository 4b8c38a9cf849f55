// SPDX-License-Identifier: Apache-2.0
/*
 * One program for both architectures, using only the portable runtime API
 * (partitions/include/rt_api.h): vCPU 0 starts vCPU 1 and they pass an IPI
 * back and forth `rounds=` times, counted on both sides; then each arms its
 * one-shot timer `ticks=` times, checking with the counter that it never
 * fires early. Every wait is in rt_wait_irq(). The output is the same on
 * arm64 and x86-64 (tests: arm64 test_samples.py, x86 test_x86.py).
 */

#include "rt.h"

#define PEER 1
#define TICK_NS 2000000ull /* 2 ms */

static unsigned int rounds, ticks;
static volatile unsigned int ipis_taken[2], timer_fired[2];
static volatile unsigned int early[2];
static volatile bool peer_done;

static void on_ipi(void)
{
	ipis_taken[rt_vcpu() & 1]++;
}

static void on_timer(void)
{
	timer_fired[rt_vcpu() & 1]++;
}

/* Wait (in rt_wait_irq) until *count reaches @target. */
static void wait_for(volatile unsigned int *count, unsigned int target)
{
	while (*count < target)
		rt_wait_irq();
}

/* K one-shot deadlines of TICK_NS, each measured with the counter. */
static void tick(unsigned int me)
{
	for (unsigned int i = 0; i < ticks; i++) {
		uint64_t start = rt_counter();

		rt_timer_start(TICK_NS);
		wait_for(&timer_fired[me], i + 1);
		if (rt_counts_to_ns(rt_counter() - start) < TICK_NS)
			early[me]++;
	}
}

/* vCPU 1 answers each IPI from vCPU 0 with one of its own. */
static void peer(uint64_t arg)
{
	(void)arg;
	rt_irq_init();
	printf("pingpong: vCPU %u up\n", rt_vcpu());
	rt_send_ipi(0); /* ready */
	for (unsigned int i = 1; i <= rounds; i++) {
		wait_for(&ipis_taken[PEER], i);
		rt_send_ipi(0);
	}
	tick(PEER);
	peer_done = true;
	rt_send_ipi(0);
}

int main(void)
{
	rounds = (unsigned int)rt_bootarg_u64("rounds", 10);
	ticks = (unsigned int)rt_bootarg_u64("ticks", 5);
	printf("pingpong: partition %s, %u rounds, %u ticks\n", rt_partition_name(), rounds,
	       ticks);
	if (rt_counter_hz() == 0 || !rt_irq_init()) {
		printf("pingpong: no counter rate or interrupt controller\n");
		return 1;
	}
	rt_set_ipi_handler(on_ipi);
	rt_set_timer_handler(on_timer);
	rt_irq_disable();
	int64_t started = rt_cpu_on(PEER, peer, 0);

	/* vCPU 1 prints first, then IPIs: the vCPUs never print at once. */
	if (started == RT_SUCCESS)
		wait_for(&ipis_taken[0], 1);
	printf("pingpong: vCPU %u started vCPU %u: %lld\n", rt_vcpu(), PEER, (long long)started);
	if (started != RT_SUCCESS)
		return 1;
	for (unsigned int i = 1; i <= rounds; i++) {
		rt_send_ipi(PEER);
		wait_for(&ipis_taken[0], i + 1);
	}
	printf("pingpong: %u IPIs sent each way, vCPU 0 took %u, vCPU 1 took %u\n", rounds,
	       ipis_taken[0] - 1, ipis_taken[PEER]);
	tick(0);
	while (!peer_done)
		rt_wait_irq();
	printf("pingpong: timer ticks: vCPU 0 %u, vCPU 1 %u; early %u\n", timer_fired[0],
	       timer_fired[PEER], early[0] + early[PEER]);
	while (rt_cpu_status(PEER) != RT_CPU_OFF)
		rt_wait_event();
	printf("pingpong: vCPU 1 off, done\n");
	return 0;
}
