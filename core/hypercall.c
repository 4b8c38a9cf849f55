// SPDX-License-Identifier: Apache-2.0
/*
 * Bulkhead's own hypercalls (docs/hypercalls.md), independent of the
 * architecture: one table of handlers, indexed by function number, which
 * arm64's HVC path indexes itself (vectors.S) and everything else through
 * hypercall_dispatch. Each handler first validates (no side effect), then
 * acts, so a call with a bad argument changes nothing.
 */

#include <bulkhead/boot.h>
#include <bulkhead/channel.h>
#include <bulkhead/health.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#include <stddef.h>

void hypercall_pack_version(const char *version, uint64_t regs[4])
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		regs[i] = 0;
	for (i = 0; i < BH_HYPERCALL_VERSION_BYTES && version[i] != '\0'; i++)
		regs[i / 8] |= (uint64_t)(uint8_t)version[i] << (8 * (i % 8));
}

/* Every handler returns all four registers; a status alone leaves x1-x3 zero. */
static struct hypercall_result status_only(uint32_t fn, int64_t status)
{
	return (struct hypercall_result){{hypercall_x0(fn, status), 0, 0, 0}};
}

static struct hypercall_result call_uid(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)v;
	(void)a1;
	(void)a2;
	(void)a3;
	return (struct hypercall_result){{BH_HYPERCALL_UID_0, BH_HYPERCALL_UID_1, BH_HYPERCALL_UID_2,
					  BH_HYPERCALL_UID_3}};
}

static struct hypercall_result revision(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)v;
	(void)a1;
	(void)a2;
	(void)a3;
	return (struct hypercall_result){{BH_HYPERCALL_REVISION_MAJOR, BH_HYPERCALL_REVISION_MINOR, 0, 0}};
}

static struct hypercall_result version(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct hypercall_result r = {{0, 0, 0, 0}};

	(void)v;
	(void)a1;
	(void)a2;
	(void)a3;
	hypercall_pack_version(bulkhead_version, r.x);
	return r;
}

static struct hypercall_result partition_id(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	const struct partition *part = v->part;

	(void)a1;
	(void)a2;
	(void)a3;
	return (struct hypercall_result){{part->id, v->index, part->cfg->cpu_count, 0}};
}

/* How often the calling vCPU has left its guest for the hypervisor, this
 * call included: a guest checks that an idle loop or a path of its own
 * takes no exits (docs/hypercalls.md). */
static struct hypercall_result vcpu_exits(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a1;
	(void)a2;
	(void)a3;
	return (struct hypercall_result){{BH_HC_SUCCESS, v->exits, 0, 0}};
}

/* x1: byte count (at most 16); x2-x3: the bytes, byte i in bits
 * 8 * (i % 8) of x(2 + i / 8). */
static struct hypercall_result console_write(struct vcpu *v, uint64_t count, uint64_t a2, uint64_t a3)
{
	const uint64_t bytes[2] = {a2, a3};

	if (count > 16u)
		return status_only(BH_HYPERCALL_CONSOLE_WRITE, BH_HC_INVALID_PARAMETER);
	for (unsigned int i = 0; i < count; i++)
		vuart_putc(v, (char)(bytes[i / 8u] >> (8u * (i % 8u))));
	return status_only(BH_HYPERCALL_CONSOLE_WRITE, BH_HC_SUCCESS);
}

static struct hypercall_result doorbell(struct vcpu *v, uint64_t channel, uint64_t a2, uint64_t a3)
{
	enum bh_hypercall_status st = channel_ring_check(v->part, channel);

	(void)a2;
	(void)a3;
	if (st == BH_HC_SUCCESS)
		channel_ring(v->part, (unsigned int)channel);
	return status_only(BH_HYPERCALL_DOORBELL, st);
}

/* The health calls (core/health.c), which validate before they act
 * themselves: x0 a status, x1 the kick's timeout. */
static struct hypercall_result health_call(struct vcpu *v, uint32_t fn, uint64_t a1)
{
	uint64_t regs[4] = {fn, a1, 0, 0};

	if (!health_hypercall(v, fn, regs))
		return status_only(fn, BH_HC_NOT_SUPPORTED); /* not one of its calls: the table is wrong */
	return (struct hypercall_result){{regs[0], fn == BH_HYPERCALL_WATCHDOG_KICK ? regs[1] : 0u, 0, 0}};
}

static struct hypercall_result call_watchdog_kick(struct vcpu *v, uint64_t a1, uint64_t a2, uint64_t a3)
{
	(void)a1;
	(void)a2;
	(void)a3;
	return health_call(v, BH_HYPERCALL_WATCHDOG_KICK, 0);
}

static struct hypercall_result call_health_report(struct vcpu *v, uint64_t state, uint64_t a2, uint64_t a3)
{
	(void)a2;
	(void)a3;
	return health_call(v, BH_HYPERCALL_HEALTH_REPORT, state);
}

/* Each call's slot. Named constants rather than the fold written in the
 * designators: cppcheck's MISRA addon misreads a designator computed by a
 * macro (a false rule 9.2 finding). A constant paired with the wrong ID
 * below fails hypercall_table_each_id_in_its_slot. */
enum {
	SLOT_CALL_UID = BH_HYPERCALL_SLOT(BH_HYPERCALL_CALL_UID),
	SLOT_REVISION = BH_HYPERCALL_SLOT(BH_HYPERCALL_REVISION),
	SLOT_VERSION = BH_HYPERCALL_SLOT(BH_HYPERCALL_VERSION),
	SLOT_PARTITION_ID = BH_HYPERCALL_SLOT(BH_HYPERCALL_PARTITION_ID),
	SLOT_CONSOLE_WRITE = BH_HYPERCALL_SLOT(BH_HYPERCALL_CONSOLE_WRITE),
	SLOT_VCPU_EXITS = BH_HYPERCALL_SLOT(BH_HYPERCALL_VCPU_EXITS),
	SLOT_DOORBELL = BH_HYPERCALL_SLOT(BH_HYPERCALL_DOORBELL),
	SLOT_WATCHDOG_KICK = BH_HYPERCALL_SLOT(BH_HYPERCALL_WATCHDOG_KICK),
	SLOT_HEALTH_REPORT = BH_HYPERCALL_SLOT(BH_HYPERCALL_HEALTH_REPORT),
};

/*
 * Every call, in its slot (hypercall.h): the one table both the generic
 * path (hypercall_find) and arm64's HVC path (vectors.S) index. A function
 * ID and its handler are one line and cannot fall out of step; two IDs
 * that fold onto one slot fail the build (an initializer overridden, an
 * error with -Werror) and the unit test that looks every ID up.
 */
const struct hypercall_entry hypercall_table[BH_HYPERCALL_SLOTS] = {
	/* Identity and queries (they read only), console (its UART's line). */
	[SLOT_CALL_UID] = {.call = call_uid, .fn = BH_HYPERCALL_CALL_UID, .reads_only = true},
	[SLOT_REVISION] = {.call = revision, .fn = BH_HYPERCALL_REVISION, .reads_only = true},
	[SLOT_VERSION] = {.call = version, .fn = BH_HYPERCALL_VERSION, .reads_only = true},
	[SLOT_PARTITION_ID] = {.call = partition_id, .fn = BH_HYPERCALL_PARTITION_ID, .reads_only = true},
	[SLOT_CONSOLE_WRITE] = {.call = console_write, .fn = BH_HYPERCALL_CONSOLE_WRITE, .reads_only = false},
	[SLOT_VCPU_EXITS] = {.call = vcpu_exits, .fn = BH_HYPERCALL_VCPU_EXITS, .reads_only = true},
	/* Channels (0x10-0x1f). */
	[SLOT_DOORBELL] = {.call = doorbell, .fn = BH_HYPERCALL_DOORBELL, .reads_only = false},
	/* Health (0x20-0x2f). */
	[SLOT_WATCHDOG_KICK] = {.call = call_watchdog_kick, .fn = BH_HYPERCALL_WATCHDOG_KICK, .reads_only = false},
	[SLOT_HEALTH_REPORT] = {.call = call_health_report, .fn = BH_HYPERCALL_HEALTH_REPORT, .reads_only = false},
};

/* The layout vectors.S reads. */
_Static_assert(BH_HYPERCALL_SLOT_MASK == BH_HYPERCALL_SLOTS - 1 && BH_HYPERCALL_SLOT(0xffffffffu) == 0u,
	       "slot fold");
_Static_assert(sizeof(struct hypercall_entry) == (1u << BH_HYPERCALL_ENTRY_SHIFT), "entry size");
_Static_assert(offsetof(struct hypercall_entry, call) == 0u, "entry handler offset");
_Static_assert(offsetof(struct hypercall_entry, fn) == BH_HYPERCALL_ENTRY_FN, "entry fn offset");
_Static_assert(offsetof(struct hypercall_entry, reads_only) * 8u ==
		       BH_HYPERCALL_ENTRY_FN * 8u + BH_HYPERCALL_ENTRY_READS_ONLY_BIT, "entry flag offset");

bool hypercall_dispatch(const struct hypercall *call, uint64_t regs[4])
{
	const struct hypercall_entry *e = hypercall_find(call->fn);
	struct hypercall_result r;

	if (e == NULL) {
		r = status_only(call->fn, BH_HC_NOT_SUPPORTED);
	} else {
		r = e->call(call->caller->vcpus[call->vcpu], call->arg[0], call->arg[1], call->arg[2]);
	}
	for (unsigned int i = 0; i < 4u; i++)
		regs[i] = r.x[i];
	/* A call that acts validates first: an error status means it changed nothing. */
	return e != NULL && !e->reads_only && (int32_t)(uint32_t)r.x[0] >= 0;
}
