// SPDX-License-Identifier: Apache-2.0
/*
 * Bulkhead's own hypercalls (docs/hypercalls.md), independent of the
 * architecture: the arch moves registers into a struct hypercall and back,
 * everything else is here. Each call first validates (no side effect), then
 * acts, so a call with a bad argument changes nothing.
 */

#include <bulkhead/boot.h>
#include <bulkhead/channel.h>
#include <bulkhead/health.h>
#include <bulkhead/hypercall.h>
#include <bulkhead/partition.h>

#define SMCCC_SMC64 0x40000000u

void hypercall_pack_version(const char *version, uint64_t regs[4])
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		regs[i] = 0;
	for (i = 0; i < BH_HYPERCALL_VERSION_BYTES && version[i] != '\0'; i++)
		regs[i / 8] |= (uint64_t)(uint8_t)version[i] << (8 * (i % 8));
}

static int64_t call_uid(const struct hypercall *call, uint64_t out[3])
{
	(void)call;
	out[0] = BH_HYPERCALL_UID_1;
	out[1] = BH_HYPERCALL_UID_2;
	out[2] = BH_HYPERCALL_UID_3;
	return BH_HYPERCALL_UID_0;
}

static int64_t revision(const struct hypercall *call, uint64_t out[3])
{
	(void)call;
	out[0] = BH_HYPERCALL_REVISION_MINOR;
	return BH_HYPERCALL_REVISION_MAJOR;
}

static int64_t version(const struct hypercall *call, uint64_t out[3])
{
	uint64_t regs[4];

	(void)call;
	hypercall_pack_version(bulkhead_version, regs);
	out[0] = regs[1];
	out[1] = regs[2];
	out[2] = regs[3];
	return (int64_t)regs[0];
}

static int64_t partition_id(const struct hypercall *call, uint64_t out[3])
{
	out[0] = call->vcpu;
	out[1] = call->caller->cfg->cpu_count;
	return call->caller->id;
}

/* How often the calling vCPU has left its guest for the hypervisor, this
 * call included: a guest checks that an idle loop or a path of its own
 * takes no exits (docs/hypercalls.md). */
static int64_t vcpu_exits(const struct hypercall *call, uint64_t out[3])
{
	out[0] = call->caller->vcpus[call->vcpu]->exits;
	return BH_HC_SUCCESS;
}

/* x1: byte count (at most 16); x2-x3: the bytes, byte i in bits
 * 8 * (i % 8) of x(2 + i / 8). */
static enum bh_hypercall_status console_validate(const struct hypercall *call)
{
	return call->arg[0] <= 16 ? BH_HC_SUCCESS : BH_HC_INVALID_PARAMETER;
}

static int64_t console_write(const struct hypercall *call, uint64_t out[3])
{
	struct vcpu *v = call->caller->vcpus[call->vcpu];

	(void)out;
	for (unsigned int i = 0; i < call->arg[0]; i++)
		vuart_putc(v, (char)(call->arg[1 + i / 8] >> (8 * (i % 8))));
	return BH_HC_SUCCESS;
}

static enum bh_hypercall_status doorbell_validate(const struct hypercall *call)
{
	return channel_ring_check(call->caller, call->arg[0]);
}

static int64_t doorbell(const struct hypercall *call, uint64_t out[3])
{
	(void)out;
	channel_ring(call->caller, (unsigned int)call->arg[0]);
	return BH_HC_SUCCESS;
}

/* The health calls (core/health.c), which validate before they act
 * themselves: x0 a status, x1 the kick's timeout. */
static int64_t health_call(const struct hypercall *call, uint64_t out[3])
{
	struct vcpu *v = call->caller->vcpus[call->vcpu];
	uint64_t regs[4] = {call->fn, call->arg[0], call->arg[1], call->arg[2]};

	if (!health_hypercall(v, call->fn, regs))
		return BH_HC_NOT_SUPPORTED; /* not one of its calls: the table is wrong */
	if (call->fn == BH_HYPERCALL_WATCHDOG_KICK)
		out[0] = regs[1];
	return (int32_t)(uint32_t)regs[0];
}


/*
 * A call's entry, or NULL. Each case holds its own entry: the function ID
 * a case matches and the entry it returns are one line and cannot fall out
 * of step (a switch and a separate table kept in step by hand once lost a
 * call in a merge). A switch, which the compiler makes a few compares,
 * rather than a walk through a table on every call.
 */
static const struct hypercall_entry *hypercall_find(uint32_t fn)
{
	/* Channels (0x10-0x1f). */
	static const struct hypercall_entry doorbell_entry = {doorbell_validate, doorbell, false};
	/* Health (0x20-0x2f). */
	static const struct hypercall_entry health_entry = {NULL, health_call, false};
	/* Identity and queries (they read only), console (its UART's line). */
	static const struct hypercall_entry call_uid_entry = {NULL, call_uid, true};
	static const struct hypercall_entry revision_entry = {NULL, revision, true};
	static const struct hypercall_entry version_entry = {NULL, version, true};
	static const struct hypercall_entry partition_id_entry = {NULL, partition_id, true};
	static const struct hypercall_entry console_entry = {console_validate, console_write, false};
	static const struct hypercall_entry vcpu_exits_entry = {NULL, vcpu_exits, true};
	const struct hypercall_entry *e;

	switch (fn) {
	case BH_HYPERCALL_DOORBELL: e = &doorbell_entry; break;
	case BH_HYPERCALL_WATCHDOG_KICK: e = &health_entry; break;
	case BH_HYPERCALL_HEALTH_REPORT: e = &health_entry; break;
	case BH_HYPERCALL_CALL_UID: e = &call_uid_entry; break;
	case BH_HYPERCALL_REVISION: e = &revision_entry; break;
	case BH_HYPERCALL_VERSION: e = &version_entry; break;
	case BH_HYPERCALL_PARTITION_ID: e = &partition_id_entry; break;
	case BH_HYPERCALL_CONSOLE_WRITE: e = &console_entry; break;
	case BH_HYPERCALL_VCPU_EXITS: e = &vcpu_exits_entry; break;
	default: e = NULL; break;
	}
	return e;
}

bool hypercall_dispatch(const struct hypercall *call, uint64_t regs[4])
{
	const struct hypercall_entry *e = hypercall_find(call->fn);
	int64_t x0 = BH_HC_NOT_SUPPORTED;
	bool changed = false;

	regs[1] = 0;
	regs[2] = 0;
	regs[3] = 0;
	if (e != NULL) {
		enum bh_hypercall_status st = e->validate != NULL ? e->validate(call) : BH_HC_SUCCESS;

		if (st == BH_HC_SUCCESS) {
			x0 = e->invoke(call, &regs[1]);
			changed = !e->reads_only;
		} else {
			x0 = st; /* refused before acting: nothing changed */
		}
	}
	regs[0] = (call->fn & SMCCC_SMC64) ? (uint64_t)x0 : (uint64_t)(uint32_t)x0;
	return changed;
}
