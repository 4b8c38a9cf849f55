// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzzing the CFI flash bank's command state machine (core/cfi_flash.c):
 * the first input byte picks the geometry (bank and chip widths), the rest
 * is a stream of guest loads and stores (kind and size, offset, value) as
 * the trap handler passes them, some aimed past the bank's end.
 *
 * Oracles besides the sanitizers: an access inside the bank is taken, one
 * past its end refused; the guard bytes after the bank never change; a
 * store changes the bank only as flash can: bits only cleared, except an
 * erase, which leaves a whole block of all ones and counts itself; a load
 * while the bank reads its array returns the store's bytes.
 */

#include <string.h>

#include <bulkhead/cfi_flash.h>

#include "fuzz.h"

#define BANK 0x1000u
#define BLOCK 0x400u /* the least for four x8 chips: 256 bytes each */
#define MAX_OPS 512u /* per input: the seeds are whole device trees */
#define GUARD 64u

static uint8_t store[BANK + GUARD];
static uint8_t before[BANK + GUARD];

static void check_change(const struct cfi_flash *c, uint32_t erases_before)
{
	for (uint32_t at = 0; at < BANK + GUARD; at++) {
		uint8_t now = store[at];

		if (at >= BANK) {
			FUZZ_ASSERT(now == before[at]);
			continue;
		}
		if ((now & (uint8_t)~before[at]) == 0u)
			continue; /* unchanged, or bits cleared: a program */
		/* Bits set: only an erase, of this whole block. */
		FUZZ_ASSERT(c->erases == erases_before + 1u);
		for (uint32_t b = at & ~(BLOCK - 1u); b < (at & ~(BLOCK - 1u)) + BLOCK; b++)
			FUZZ_ASSERT(store[b] == 0xffu);
	}
}

/* reqs: REQ-PAR-007 REQ-CNT-001 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t widths[][2] = {{1, 1}, {2, 1}, {2, 2}, {4, 1}, {4, 2}, {4, 4}};
	struct fuzz_input in = {data, size};
	struct cfi_flash c;
	uint8_t pick = (uint8_t)fuzz_take(&in, 1);
	const struct cfi_geometry geo = {widths[pick % 6u][0], widths[pick % 6u][1], BLOCK};

	memset(store, 0x5a, sizeof(store));
	cfi_flash_init(&c, store, BANK, &geo);
	for (unsigned int op = 0; op < MAX_OPS && in.left > 0; op++) {
		uint8_t kind = (uint8_t)fuzz_take(&in, 1);
		unsigned int bytes = 1u << ((kind >> 1) & 3u);
		uint64_t offset = fuzz_take(&in, 2) % (BANK + 16u);
		uint64_t value = fuzz_take(&in, 4);
		bool inside = offset + bytes <= BANK;

		if ((kind & 0x80u) != 0u)
			value = (uint64_t)(value & 0xffu) * 0x0001000100010001ull; /* a command to all chips */
		memcpy(before, store, sizeof(store));
		uint32_t erases = c.erases;

		if ((kind & 1u) != 0u) {
			FUZZ_ASSERT(cfi_flash_write(&c, offset, value, bytes) == inside);
			check_change(&c, erases);
		} else {
			uint64_t v = 0;
			bool array = cfi_flash_reads_array(&c);

			FUZZ_ASSERT(cfi_flash_read(&c, offset, bytes, &v) == inside);
			FUZZ_ASSERT(memcmp(before, store, sizeof(store)) == 0);
			if (inside && array) {
				uint64_t expect = 0;

				memcpy(&expect, &store[offset], bytes);
				FUZZ_ASSERT(v == expect);
			}
		}
	}
	return 0;
}
