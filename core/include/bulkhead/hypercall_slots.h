/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layout of Bulkhead's hypercall table: plain constants only, so that
 * both C (core/hypercall.c, through hypercall.h) and arm64's HVC vector
 * (vectors.S) include it.
 */
#ifndef BULKHEAD_HYPERCALL_SLOTS_H
#define BULKHEAD_HYPERCALL_SLOTS_H

/*
 * Bulkhead's table (core/hypercall.c) has 64 slots of 16 bytes, indexed by
 * the function number (bits 15:0 of the ID) folded to six bits: number XOR
 * number >> 8, low six bits. Bulkhead's own numbers (0x00-0x3f) index it
 * directly; the SMCCC general queries (0xff00-0xff3f) land at their
 * complement, counting down from slot 63 (Call UID 0xff01 at 62, Revision
 * 0xff03 at 60). Each slot holds the full function ID it answers, so any
 * other ID that folds onto it is NOT_SUPPORTED. Shared with arm64's HVC
 * path (vectors.S), which indexes it before any C runs.
 */
#define BH_HYPERCALL_SLOTS 64
#define BH_HYPERCALL_SLOT_MASK 63
#define BH_HYPERCALL_ENTRY_SHIFT 4 /* log2 of sizeof(struct hypercall_entry) */
#define BH_HYPERCALL_ENTRY_FN 8    /* offsetof(struct hypercall_entry, fn) */
/* Bit of the entry's second doubleword (fn, reads_only) that is reads_only. */
#define BH_HYPERCALL_ENTRY_READS_ONLY_BIT 32

#endif
