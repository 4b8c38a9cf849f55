/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead's own calls for partitions, in the SMCCC "Vendor Specific
 * Hypervisor Service" range (owner 6). The ABI is in docs/hypercalls.md;
 * the arch decodes the call and fills the registers from these values.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdbool.h>
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

struct partition;

/* A decoded call: what the arch read from the calling vCPU's registers. */
struct hypercall {
	uint32_t fn;             /* function ID (w0) */
	uint64_t arg[3];         /* x1-x3 */
	struct partition *caller;
	unsigned int vcpu;       /* the calling vCPU's index in its partition */
};

/*
 * One call of core/hypercall.c (its function ID is the switch case that
 * returns it). validate() looks at the
 * arguments and the caller only, changes nothing, and returns BH_HC_SUCCESS
 * or the error the call returns; invoke() runs only after it, cannot fail
 * on input, and returns x0 with x1-x3 in @out (zero unless it sets them).
 * validate may be NULL for calls without arguments.
 */
struct hypercall_entry {
	enum bh_hypercall_status (*validate)(const struct hypercall *call);
	int64_t (*invoke)(const struct hypercall *call, uint64_t out[3]);
	/* The call only reads: it changes nothing of its caller's partition
	 * (no vCPU's state, no interrupt's), so the arch may return to the
	 * guest without looking at them again (hypercall_dispatch). */
	bool reads_only;
};

/*
 * Decode-validate-invoke: the table entry for call->fn, its validation,
 * then its action. Fills @regs with x0-x3 as the guest gets them: x0 is 32
 * bits wide for an SMC32 function ID (bit 30 clear), sign-extended for
 * SMC64. An unknown ID returns BH_HC_NOT_SUPPORTED.
 *
 * Returns false when the call changed nothing of the caller's partition
 * (an entry that reads only, or an unknown or refused call): the arch may
 * then return to the guest without its checks for interrupts to deliver
 * and for the vCPU to stop, which only a change made on this CPU would
 * need (a change made elsewhere comes with a kick); true when it may have.
 */
bool hypercall_dispatch(const struct hypercall *call, uint64_t regs[4]);

/*
 * The version string as BH_HYPERCALL_VERSION returns it: byte i in bits
 * 8 * (i % 8) and up of regs[i / 8], the rest zero. A string of 32 bytes or
 * more is cut at 32 (then without a terminating NUL).
 */
void hypercall_pack_version(const char *version, uint64_t regs[4]);

#endif
