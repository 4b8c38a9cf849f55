// SPDX-License-Identifier: Apache-2.0
/*
 * The lifecycle attacker of the hostile-guest suite: a partition of two
 * vCPUs that races its own stop or restart, and rings the victim's doorbell
 * at a pace the tests count. It shares a channel with the victim (bootargs
 * "chan=IPA"; its first word is what the victim reports) and runs the one
 * attack named by "attack=NAME":
 *
 *   race-*:  vCPU 0 starts vCPU 1 with PSCI CPU_ON and, at once, ends the
 *            partition (SYSTEM_OFF, SYSTEM_RESET, or an access outside its
 *            memory under a fault policy of "stop" or "restart"). vCPU 1
 *            writes an ever-growing count, tagged with the boot number, into
 *            the channel for as long as it runs. Once the hypervisor says
 *            the partition is stopped (or restarted), the victim must see
 *            that word frozen: no vCPU of the old run may still execute.
 *   doorbell-paced: N rings, each after the victim had time to take the
 *            previous one; the count sent is left in the channel word, and
 *            the victim's count of doorbells taken must equal it.
 *   doorbell-flood: rings as fast as it can for a while; the victim takes
 *            at most as many as were sent, and keeps its beat.
 *
 * On a later boot (after a restart) a race only says which boot it is and
 * powers off, so every restart variant ends with "stopped".
 */

#include <stdio.h>
#include <string.h>

#include "rt.h"

#include "common/attack.h"

#define BH_DOORBELL 0x86000010u
#define PACED_RINGS 200
#define PACE_NS 3000000ull	 /* 3 beats of the victim: it takes each ring */
#define FLOOD_NS 100000000ull	 /* 100 ms of back-to-back rings */

static volatile uint64_t *chan;
static uint64_t victim_pa;

/* vCPU 1: the boot number in the top 16 bits, a count below, written for
 * ever; each store is made visible at once. */
static void writer(uint64_t boot)
{
	for (uint64_t n = 1;; n++) {
		__atomic_store_n(chan, boot << 48 | n, __ATOMIC_RELEASE);
		__asm__ volatile("dsb ish" : : : "memory");
	}
}

static bool aborted(struct rt_frame *f, uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	f->elr += 4; /* only if the policy let it run on: it should not */
	return true;
}

enum race_end { END_SYSTEM_OFF, END_SYSTEM_RESET, END_FAULT };

static void race(const char *n, enum race_end end)
{
	static const char *const how[] = {"SYSTEM_OFF", "SYSTEM_RESET", "a fault"};

	if (rt_boot_count() > 1) {
		report(n, "restarted, boot %u", (unsigned int)rt_boot_count());
		return;
	}
	report(n, "starting vCPU 1 and at once %s", how[end]);
	int64_t r = psci_cpu_on(1, writer, rt_boot_count());

	switch (end) {
	case END_SYSTEM_OFF:
		psci_system_off();
	case END_SYSTEM_RESET:
		psci_system_reset();
	case END_FAULT:
		rt_set_sync_handler(aborted);
		(void)*(volatile uint64_t *)(uintptr_t)victim_pa;
		break;
	}
	/* Only a broken fault policy gets here. */
	report(n, "still running after %s (CPU_ON %lld)", how[end], (long long)r);
}

static void race_system_off(const char *n) { race(n, END_SYSTEM_OFF); }
static void race_system_reset(const char *n) { race(n, END_SYSTEM_RESET); }
static void race_fault(const char *n) { race(n, END_FAULT); }

static int64_t ring(void)
{
	uint64_t r[4];

	smccc_call(BH_DOORBELL, 0, 0, 0, r);
	return (int32_t)(uint32_t)r[0];
}

static volatile bool paced;

static void pace_over(void)
{
	paced = true;
}

/* The pause between two rings in WFI on the vCPU's timer: not trapped, so
 * under icount it costs no instructions. */
static void pause(void)
{
	paced = false;
	rt_timer_start(PACE_NS);
	while (!paced)
		rt_wait_irq();
}

static void doorbell_paced(const char *n)
{
	unsigned int refused = 0;

	if (!rt_irq_init()) {
		report(n, "no GIC");
		return;
	}
	rt_set_timer_handler(pace_over);
	for (uint64_t sent = 1; sent <= PACED_RINGS; sent++) {
		refused += ring() != 0;
		__atomic_store_n(chan, sent, __ATOMIC_RELEASE);
		pause();
	}
	report(n, "rang %u times, %u refused", PACED_RINGS, refused);
}

static void doorbell_flood(const char *n)
{
	uint64_t end = rt_counter() + rt_ns_to_counts(FLOOD_NS), sent = 0;
	unsigned int refused = 0;

	while (rt_counter() < end) {
		refused += ring() != 0;
		__atomic_store_n(chan, ++sent, __ATOMIC_RELEASE);
	}
	report(n, "rang %llu times, %u refused", (unsigned long long)sent, refused);
}

static const struct attack attacks[] = {
	{"race-cpu-on-system-off", race_system_off},
	{"race-cpu-on-system-reset", race_system_reset},
	{"race-cpu-on-fault-stop", race_fault},
	{"race-cpu-on-fault-restart", race_fault},
	{"doorbell-paced", doorbell_paced},
	{"doorbell-flood", doorbell_flood},
};

int main(void)
{
	chan = (volatile uint64_t *)(uintptr_t)rt_bootarg_u64("chan", 0);
	victim_pa = rt_bootarg_u64("victim", 0);
	if (chan == NULL) {
		printf("hostile: no chan= in bootargs\n");
		psci_system_off();
	}
	run_named_attack(attacks, sizeof(attacks) / sizeof(attacks[0]));
}
