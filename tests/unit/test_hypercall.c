// SPDX-License-Identifier: Apache-2.0
/* core/hypercall.c: the version string packed into four registers; the
 * dispatcher: decode, validate (nothing changes on error), invoke. */

#include <string.h>

#include <arch/fake.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include "test.h"

/* What a little-endian guest does: store the registers, read a string. */
static void unpack(const uint64_t regs[4], char out[33])
{
	memcpy(out, regs, 32);
	out[32] = '\0';
}

TEST(hypercall_version_round_trip) /* reqs: REQ-HYP-001 */
{
	uint64_t regs[4];
	char s[33];

	hypercall_pack_version("v1.2-3-gabcdef0-dirty", regs);
	unpack(regs, s);
	CHECK_STR(s, "v1.2-3-gabcdef0-dirty");
	CHECK_EQ(regs[0], 0x672d332d322e3176ull); /* "v1.2-3-g", byte 0 lowest */
	CHECK_EQ(regs[3], 0);
}

TEST(hypercall_version_edges) /* reqs: REQ-HYP-001 */
{
	uint64_t regs[4];
	char s[33];

	hypercall_pack_version("", regs);
	CHECK_EQ(regs[0] | regs[1] | regs[2] | regs[3], 0);
	/* Longer than 32 bytes: cut, no NUL in the registers. */
	hypercall_pack_version("0123456789abcdef0123456789ABCDEFtail", regs);
	unpack(regs, s);
	CHECK_STR(s, "0123456789abcdef0123456789ABCDEF");
	CHECK_EQ(regs[3] >> 56, 'F');
}

/* A partition with one end of channel 2 (doorbell INTID 80 at its peer). */
static struct partition_config caller_cfg = {
	.name = "caller",
	.cpu_count = 2,
	.chan_count = 1,
	.chan = {{.id = 2, .intid = 81, .peer = 1, .peer_end = 0}},
};
static struct partition caller;
/* The calling vCPU (index 1) the handlers are given. */
static struct vcpu caller_vcpu = {.part = &caller, .index = 1};
static struct partition caller = {.id = 3, .cfg = &caller_cfg, .vcpus = {NULL, &caller_vcpu}};

/* The call's registers in @regs; true if it reported a change. */
static bool call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t regs[4])
{
	const struct hypercall c = {.fn = fn, .arg = {a1, a2, a3}, .caller = &caller, .vcpu = 1};

	regs[0] = regs[1] = regs[2] = regs[3] = 0xdead;
	return hypercall_dispatch(&c, regs);
}

TEST(hypercall_dispatch_queries) /* reqs: REQ-HYP-001 */
{
	uint64_t r[4];

	call(BH_HYPERCALL_CALL_UID, 0, 0, 0, r);
	CHECK_EQ(r[0], BH_HYPERCALL_UID_0);
	CHECK_EQ(r[3], BH_HYPERCALL_UID_3);
	call(BH_HYPERCALL_REVISION, 0, 0, 0, r);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 2);
	CHECK_EQ(r[2], 0);
	call(BH_HYPERCALL_PARTITION_ID, 0, 0, 0, r);
	CHECK_EQ(r[0], 3);
	CHECK_EQ(r[1], 1);
	CHECK_EQ(r[2], 2);
}

TEST(hypercall_vcpu_exits_are_the_callers) /* reqs: REQ-HYP-001 */
{
	struct vcpu mine = {.part = &caller, .index = 1, .exits = 0x123456789ull};
	struct vcpu other = {.part = &caller, .index = 0, .exits = 7};
	uint64_t r[4];

	caller.vcpus[0] = &other;
	caller.vcpus[1] = &mine;
	call(BH_HYPERCALL_VCPU_EXITS, 0, 0, 0, r);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 0x123456789ull); /* all 64 bits: the SMC64 form */
	CHECK_EQ(r[2] | r[3], 0);
	call(BH_HYPERCALL_VCPU_EXITS & ~0x40000000u, 0, 0, 0, r); /* no SMC32 form */
	CHECK_EQ(r[0], 0xffffffffull);
	caller.vcpus[0] = NULL;
	caller.vcpus[1] = &caller_vcpu;
}

TEST(hypercall_dispatch_unknown_calls_by_width) /* reqs: REQ-HYP-001 REQ-ISO-007 */
{
	uint64_t r[4];

	call(0x8600000f, 0, 0, 0, r);
	CHECK_EQ(r[0], 0xffffffffull); /* SMC32: 32-bit -1 */
	CHECK_EQ(r[1] | r[2] | r[3], 0);
	call(0xc600000f, 0, 0, 0, r);
	CHECK_EQ(r[0], ~0ull); /* SMC64: sign-extended */
	call(0x86000001, 0, 0, 0, r); /* the version needs SMC64 */
	CHECK_EQ(r[0], 0xffffffffull);
}

TEST(hypercall_doorbell_validated_before_acting) /* reqs: REQ-HYP-002 REQ-CHN-003 */
{
	uint64_t r[4];

	fake_doorbell_part = NULL;
	call(BH_HYPERCALL_DOORBELL, 1, 0, 0, r); /* a channel, not ours */
	CHECK_EQ(r[0], (uint32_t)BH_HC_DENIED);
	call(BH_HYPERCALL_DOORBELL, MAX_CHANNELS, 0, 0, r);
	CHECK_EQ(r[0], (uint32_t)BH_HC_INVALID_PARAMETER);
	call(BH_HYPERCALL_DOORBELL, 1ull << 32 | 2, 0, 0, r); /* no truncation to 2 */
	CHECK_EQ(r[0], (uint32_t)BH_HC_INVALID_PARAMETER);
	CHECK(fake_doorbell_part == NULL);
	call(BH_HYPERCALL_CONSOLE_WRITE, 17, 0, 0, r);
	CHECK_EQ(r[0], (uint64_t)(int64_t)BH_HC_INVALID_PARAMETER);
}

/* What lets arm64's HVC path return without looking at the caller again:
 * the queries read only, and an unknown or refused call changes nothing;
 * a call that acts reports that it may have changed something. */
TEST(hypercall_dispatch_reports_only_calls_that_act) /* reqs: REQ-HYP-001 REQ-HYP-002 */
{
	struct vcpu mine = {.part = &caller, .index = 1};
	uint64_t r[4];

	caller.vcpus[1] = &mine;
	CHECK(!call(BH_HYPERCALL_PARTITION_ID, 0, 0, 0, r));
	CHECK(!call(BH_HYPERCALL_CALL_UID, 0, 0, 0, r));
	CHECK(!call(BH_HYPERCALL_REVISION, 0, 0, 0, r));
	CHECK(!call(BH_HYPERCALL_VERSION, 0, 0, 0, r));
	CHECK(!call(BH_HYPERCALL_VCPU_EXITS, 0, 0, 0, r));
	CHECK(!call(0x8600000f, 0, 0, 0, r)); /* unknown */
	CHECK(!call(BH_HYPERCALL_CONSOLE_WRITE, 17, 0, 0, r)); /* refused */
	CHECK(!call(BH_HYPERCALL_DOORBELL, 1, 0, 0, r)); /* refused: not our channel */
	caller.vcpus[1] = &caller_vcpu;
	/* A doorbell that rings reports a change: hypercalls_of_started_partitions. */
}

/* The one table: every call's ID finds its own entry in the slot its
 * number folds to (the slot arm64's HVC path computes in vectors.S), with
 * the right reads_only; its other width and every ID of an empty slot
 * find nothing; no slot holds an ID that does not fold to it. */
TEST(hypercall_table_each_id_in_its_slot) /* reqs: REQ-HYP-001 */
{
	static const struct {
		uint32_t fn;
		bool reads_only;
	} calls[] = {
		{BH_HYPERCALL_CALL_UID, true},       {BH_HYPERCALL_REVISION, true},
		{BH_HYPERCALL_VERSION, true},        {BH_HYPERCALL_PARTITION_ID, true},
		{BH_HYPERCALL_CONSOLE_WRITE, false}, {BH_HYPERCALL_VCPU_EXITS, true},
		{BH_HYPERCALL_DOORBELL, false},      {BH_HYPERCALL_WATCHDOG_KICK, false},
		{BH_HYPERCALL_HEALTH_REPORT, false},
	};
	unsigned int used = 0;

	for (unsigned int i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct hypercall_entry *e = hypercall_find(calls[i].fn);

		REQUIRE(e != NULL);
		CHECK(e == &hypercall_table[BH_HYPERCALL_SLOT(calls[i].fn)]);
		CHECK_EQ(e->fn, calls[i].fn);
		CHECK(e->call != NULL);
		CHECK(e->reads_only == calls[i].reads_only);
		CHECK(hypercall_find(calls[i].fn ^ 0x40000000u) == NULL); /* the other width */
	}
	CHECK_EQ(BH_HYPERCALL_SLOT(0x8600ff01u), 62); /* the queries count down from the top */
	CHECK_EQ(BH_HYPERCALL_SLOT(0x86000021u), 0x21); /* Bulkhead's own numbers index directly */
	for (unsigned int s = 0; s < BH_HYPERCALL_SLOTS; s++) {
		const struct hypercall_entry *e = &hypercall_table[s];

		if (e->call == NULL) {
			CHECK_EQ(e->fn, 0); /* matches no owner-6 ID */
			continue;
		}
		used++;
		CHECK_EQ(BH_HYPERCALL_SLOT(e->fn), s);
		CHECK_EQ((e->fn >> 24) & 0x3fu, 6); /* the vendor hypervisor owner */
	}
	CHECK_EQ(used, sizeof(calls) / sizeof(calls[0])); /* no entry the list above lacks */
	CHECK(hypercall_find(0x8600003eu) == NULL); /* Call UID's slot, another number */
	CHECK(hypercall_find(0u) == NULL);
}
