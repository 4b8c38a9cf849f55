/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead's own calls for partitions, in the SMCCC "Vendor Specific
 * Hypervisor Service" range (owner 6). The ABI is in docs/hypercalls.md;
 * the arch decodes the call and fills the registers from these values.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <bulkhead/hypercall_slots.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Function IDs (fast calls). */
#define BH_HYPERCALL_CALL_UID 0x8600ff01u      /* SMCCC "Call UID" query */
#define BH_HYPERCALL_REVISION 0x8600ff03u      /* SMCCC "Revision" query */
#define BH_HYPERCALL_VERSION 0xc6000001u       /* SMC64: version string in x0-x3 */

/*
 * Calls of ABI 1.2 (docs/hypercalls.md). Numbers are allocated here, once,
 * so that each call's owner (channels, health) can grow independently:
 * 0x02-0x0f identity and console, 0x10-0x1f channels, 0x20-0x2f health.
 */
#define BH_HYPERCALL_PARTITION_ID 0x86000002u  /* who am I: partition, vCPU */
#define BH_HYPERCALL_CONSOLE_WRITE 0xc6000003u /* SMC64: bytes in registers */
#define BH_HYPERCALL_VCPU_EXITS 0xc6000004u    /* SMC64: the caller's exits so far */
#define BH_HYPERCALL_DOORBELL 0x86000010u      /* ring a channel's peer */
#define BH_HYPERCALL_WATCHDOG_KICK 0x86000020u /* the partition is alive */
#define BH_HYPERCALL_HEALTH_REPORT 0x86000021u /* the partition's own state */

/* What a call returns in x0 (w0 for SMC32 calls, sign-extended in x0 for
 * SMC64 ones); results, if any, follow in x1-x3. */
enum bh_hypercall_status {
	BH_HC_SUCCESS = 0,
	BH_HC_NOT_SUPPORTED = -1,     /* no such call (SMCCC's own value) */
	BH_HC_INVALID_PARAMETER = -2, /* an argument out of range */
	BH_HC_DENIED = -3,            /* not allowed to this partition */
	BH_HC_BUSY = -4,              /* try again (e.g. doorbell still pending) */
};

/* Bulkhead's UID, 8f35e71f-b6fa-4e7a-bcb9-e3185f951378, as the four words
 * a Call UID query returns (each the little-endian read of 4 UUID bytes). */
#define BH_HYPERCALL_UID_0 0x1fe7358fu
#define BH_HYPERCALL_UID_1 0x7a4efab6u
#define BH_HYPERCALL_UID_2 0x18e3b9bcu
#define BH_HYPERCALL_UID_3 0x7813955fu

/* Revision of this ABI: major (incompatible changes), minor (additions). */
#define BH_HYPERCALL_REVISION_MAJOR 1
#define BH_HYPERCALL_REVISION_MINOR 2

#define BH_HYPERCALL_VERSION_BYTES 32

#define BH_HYPERCALL_SLOT(fn) ((((fn) ^ ((fn) >> 8)) & 0x3fu)) /* BH_HYPERCALL_SLOT_MASK */

struct partition;
struct vcpu;

/* A decoded call: what the arch read from the calling vCPU's registers
 * (the generic path: x86's VMMCALL, arm64's SMC). */
struct hypercall {
	uint32_t fn;             /* function ID (w0) */
	uint64_t arg[3];         /* x1-x3 */
	struct partition *caller;
	unsigned int vcpu;       /* the calling vCPU's index in its partition */
};

/* x0-x3 as the guest gets them. 32 bytes: a handler returns it through
 * the memory x8 points at (AAPCS64), which arm64's HVC path points at the
 * trap frame's x0-x3, so the results land where the eret loads them. */
struct hypercall_result {
	uint64_t x[4];
};

/*
 * One call: decode (its slot), validate (its arguments and the caller,
 * with no side effect: a refused call returns its error and changes
 * nothing), then act. A handler takes the calling vCPU and x1-x3, uses
 * what it needs, and returns all of x0-x3 (the ones it does not define
 * zero), x0 at its function ID's width: 32 bits, zero-extended, for an
 * SMC32 ID (bit 30 clear), 64 for SMC64 (hypercall_x0()).
 */
typedef struct hypercall_result (*hypercall_fn)(struct vcpu *v, uint64_t a1, uint64_t a2,
						uint64_t a3);

/* A slot of the table; the layout is shared with vectors.S (the offsets
 * above, checked in core/hypercall.c). */
struct hypercall_entry {
	hypercall_fn call; /* NULL: an empty slot (fn 0, which no call has) */
	uint32_t fn;       /* the one function ID this slot answers */
	/* The call only reads: it changes nothing of its caller's partition
	 * (no vCPU's state, no interrupt's), so the arch may return to the
	 * guest without looking at them again. */
	bool reads_only;
};

extern const struct hypercall_entry hypercall_table[BH_HYPERCALL_SLOTS];

/* The entry of function ID @fn, or NULL: its slot, if it holds @fn. */
static inline const struct hypercall_entry *hypercall_find(uint32_t fn)
{
	const struct hypercall_entry *e = &hypercall_table[BH_HYPERCALL_SLOT(fn)];

	return e->fn == fn && e->call != NULL ? e : NULL;
}

/* x0 of a call's result at @fn's width (a status or a value). */
static inline uint64_t hypercall_x0(uint32_t fn, int64_t x0)
{
	return (fn & 0x40000000u) != 0u ? (uint64_t)x0 : (uint64_t)(uint32_t)x0;
}

/*
 * The generic path: call->fn's entry (hypercall_find), its handler with
 * the calling vCPU. Fills @regs with x0-x3 as the guest gets them: x0 is
 * 32 bits wide for an SMC32 function ID (bit 30 clear), sign-extended for
 * SMC64. An unknown ID returns BH_HC_NOT_SUPPORTED, x1-x3 zero.
 *
 * Returns false when the call changed nothing of the caller's partition
 * (an entry that reads only, an unknown call, or a call that acts but was
 * refused: its status is an error, and it validates before it acts);
 * true when it may have.
 */
bool hypercall_dispatch(const struct hypercall *call, uint64_t regs[4]);

/*
 * The version string as BH_HYPERCALL_VERSION returns it: byte i in bits
 * 8 * (i % 8) and up of regs[i / 8], the rest zero. A string of 32 bytes or
 * more is cut at 32 (then without a terminating NUL).
 */
void hypercall_pack_version(const char *version, uint64_t regs[4]);

#endif
