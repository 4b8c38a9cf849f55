// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzzing the hypercall decoder (core/hypercall.c, and the channel and
 * health calls behind it) on the host: a partition of 2 vCPUs with channel
 * ends and a watchdog makes up to 64 calls, each a function ID (one of
 * Bulkhead's, either width, or any 32 bits) with arguments that are random
 * or on a boundary.
 *
 * The partition registry (core/partition.c) is replaced by the two
 * partitions of this harness: the caller and the peer its doorbells ring;
 * partition_act() records the action instead of stopping CPUs.
 *
 * Oracles besides the sanitizers: an SMC32 call's x0 has its upper half
 * clear; an unknown function returns NOT_SUPPORTED and zero in x1-x3; every
 * status is one of the ABI's; a call that fails rings no doorbell and
 * writes nothing to the console; a doorbell rings only the caller's own
 * channel ends' peers.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/fake.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include "fuzz.h"

#define SMC64 0x40000000u

static const uint32_t known[] = {
	BH_HYPERCALL_CALL_UID,     BH_HYPERCALL_REVISION,      BH_HYPERCALL_VERSION,
	BH_HYPERCALL_PARTITION_ID, BH_HYPERCALL_CONSOLE_WRITE, BH_HYPERCALL_DOORBELL,
	BH_HYPERCALL_WATCHDOG_KICK, BH_HYPERCALL_HEALTH_REPORT, BH_HYPERCALL_VCPU_EXITS,
};

/* Calls whose x0 is data, not a status. */
static bool returns_data(uint32_t fn)
{
	return fn == BH_HYPERCALL_CALL_UID || fn == BH_HYPERCALL_REVISION ||
	       fn == BH_HYPERCALL_VERSION || fn == BH_HYPERCALL_PARTITION_ID;
}

static const uint64_t boundaries[] = {
	0, 1, 2, 3, 15, 16, 17, MAX_CHANNELS - 1, MAX_CHANNELS, 0x7fffffff, 0x80000000,
	0xffffffff, 1ull << 32, (1ull << 32) | 1, 0x7fffffffffffffffull, ~0ull,
};

static struct partition_config cfg = {
	.name = "caller",
	.cpu_count = 2,
	.chan_count = 2,
	.chan = {{.id = 2, .intid = 81, .peer = 1, .peer_end = 0},
		 {.id = 5, .intid = 82, .peer = 1, .peer_end = 1}},
	.health = {.watchdog_ms = 100, .watchdog_action = HEALTH_STOP},
};
static struct partition_config peer_cfg = {
	.name = "peer",
	.cpu_count = 1,
	.chan_count = 2,
	.chan = {{.id = 2, .intid = 90, .peer = 0, .peer_end = 0},
		 {.id = 5, .intid = 91, .peer = 0, .peer_end = 1}},
};
static struct partition caller, peer;
static struct vcpu vcpus[2];
static unsigned int actions;

/* ---- the partition registry, as this harness has it ---- */

struct vcpu *vcpu_of_cpu[MAX_CPUS];

unsigned int partitions_count(void)
{
	return 2;
}

struct partition *partition_at(unsigned int index)
{
	FUZZ_ASSERT(index < 2);
	return index == 0 ? &caller : &peer;
}

void partition_act(struct partition *part, enum health_action action, const char *why)
{
	(void)why;
	FUZZ_ASSERT(part == &caller); /* a call acts on its caller only */
	if (action != HEALTH_IGNORE) {
		actions++;
		part->state = PARTITION_STOPPED;
	}
}

enum bh_err partitions_start(const void *fdt, const struct platform *p,
			     const struct system_config *sys)
{
	(void)fdt;
	(void)p;
	(void)sys;
	abort(); /* boot is not part of this harness */
}

NORETURN void vcpu_run_loop(struct vcpu *vcpu)
{
	(void)vcpu;
	abort();
}

static uint64_t argument(struct fuzz_input *in)
{
	uint8_t how = (uint8_t)fuzz_take(in, 1);

	return how < 128 ? boundaries[how % (sizeof(boundaries) / sizeof(boundaries[0]))]
			 : fuzz_take(in, 8);
}

static void setup(void)
{
	memset(&caller, 0, sizeof(caller));
	memset(vcpus, 0, sizeof(vcpus));
	caller.id = 0;
	caller.cfg = &cfg;
	peer = (struct partition){.id = 1, .cfg = &peer_cfg, .state = PARTITION_RUNNING};
	caller.state = PARTITION_RUNNING;
	caller.lock = (struct spinlock)SPINLOCK_INIT;
	caller.uart_lock = (struct spinlock)SPINLOCK_INIT;
	for (unsigned int i = 0; i < 2; i++) {
		vcpus[i] = (struct vcpu){.part = &caller, .index = i, .pcpu = i + 1,
					 .state = VCPU_RUNNING};
		caller.vcpus[i] = &vcpus[i];
	}
	fake_console_reset();
}

static void check_call(const struct hypercall *c, const uint64_t r[4], size_t console_before,
		       bool rang)
{
	bool smc64 = (c->fn & SMC64) != 0;
	int64_t status = smc64 ? (int64_t)r[0] : (int64_t)(int32_t)(uint32_t)r[0];
	bool is_known = false;

	for (unsigned int i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		is_known = is_known || known[i] == c->fn;
	if (!smc64)
		FUZZ_ASSERT((r[0] >> 32) == 0);
	if (!is_known) {
		FUZZ_ASSERT(status == BH_HC_NOT_SUPPORTED);
		FUZZ_ASSERT((r[1] | r[2] | r[3]) == 0);
	}
	if (!returns_data(c->fn))
		FUZZ_ASSERT(status <= BH_HC_SUCCESS && status >= BH_HC_BUSY);
	if (status != BH_HC_SUCCESS && !returns_data(c->fn)) {
		FUZZ_ASSERT(!rang);
		FUZZ_ASSERT(strlen(fake_console_output()) == console_before);
	}
	if (rang) {
		/* Only to the peer, on the interrupt of the end the call named. */
		FUZZ_ASSERT(c->fn == BH_HYPERCALL_DOORBELL && status == BH_HC_SUCCESS);
		FUZZ_ASSERT(fake_doorbell_part == &peer);
		FUZZ_ASSERT((c->arg[0] == 2 && fake_doorbell_intid == 90) ||
			    (c->arg[0] == 5 && fake_doorbell_intid == 91));
	}
}

/* reqs: REQ-HYP-002 REQ-HYP-001 REQ-CNT-001 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = {data, size};

	setup();
	for (unsigned int n = 0; n < 64 && in.left > 0; n++) {
		uint8_t pick = (uint8_t)fuzz_take(&in, 1);
		uint32_t fn = pick < 192 ? known[pick % (sizeof(known) / sizeof(known[0]))]
					 : (uint32_t)fuzz_take(&in, 4);

		if (pick & 1)
			fn ^= SMC64; /* the other width of the same call */
		struct hypercall c = {.fn = fn, .arg = {argument(&in), argument(&in), argument(&in)},
				      .caller = &caller, .vcpu = (unsigned int)(fuzz_take(&in, 1) & 1)};
		uint64_t r[4] = {0xdead, 0xdead, 0xdead, 0xdead};
		size_t console_before = strlen(fake_console_output());

		fake_doorbell_part = NULL;
		fake_doorbell_intid = 0;
		hypercall_dispatch(&c, r);
		check_call(&c, r, console_before, fake_doorbell_part != NULL);
		if (caller.state != PARTITION_RUNNING)
			setup(); /* a FAILED report stopped it: start again */
	}
	return 0;
}
