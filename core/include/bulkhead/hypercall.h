/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bulkhead's own calls for partitions, in the SMCCC "Vendor Specific
 * Hypervisor Service" range (owner 6). The ABI is in docs/hypercalls.md;
 * the arch decodes the call and fills the registers from these values.
 */
#ifndef BULKHEAD_HYPERCALL_H
#define BULKHEAD_HYPERCALL_H

#include <stdint.h>

/* Function IDs (fast calls). */
#define BH_HYPERCALL_CALL_UID 0x8600ff01u      /* SMCCC "Call UID" query */
#define BH_HYPERCALL_REVISION 0x8600ff03u      /* SMCCC "Revision" query */
#define BH_HYPERCALL_VERSION 0xc6000001u       /* SMC64: version string in x0-x3 */

/* Bulkhead's UID, 8f35e71f-b6fa-4e7a-bcb9-e3185f951378, as the four words
 * a Call UID query returns (each the little-endian read of 4 UUID bytes). */
#define BH_HYPERCALL_UID_0 0x1fe7358fu
#define BH_HYPERCALL_UID_1 0x7a4efab6u
#define BH_HYPERCALL_UID_2 0x18e3b9bcu
#define BH_HYPERCALL_UID_3 0x7813955fu

/* Revision of this ABI: major (incompatible changes), minor (additions). */
#define BH_HYPERCALL_REVISION_MAJOR 1
#define BH_HYPERCALL_REVISION_MINOR 0

#define BH_HYPERCALL_VERSION_BYTES 32

/*
 * The version string as BH_HYPERCALL_VERSION returns it: byte i in bits
 * 8 * (i % 8) and up of regs[i / 8], the rest zero. A string of 32 bytes or
 * more is cut at 32 (then without a terminating NUL).
 */
void hypercall_pack_version(const char *version, uint64_t regs[4]);

#endif
