// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzzing the x86 port's MMIO instruction decoder (arch/x86/decode.c): the
 * first input byte picks 64- or 32-bit code, the rest are the guest's
 * instruction bytes, as the hypervisor reads them after a nested page fault.
 *
 * Oracles besides the sanitizers: a decoded instruction is 1 to 15 bytes
 * and no longer than the bytes given; its fields are in range; decoding only
 * its own bytes gives the same result (the decoder never looks past the
 * instruction); a load writes its register as the CPU would (32-bit loads
 * clear the upper half, 8- and 16-bit ones keep the rest), and a store never
 * writes more bytes than its size. The same bytes go through decode_length()
 * (intercepted instructions, CPUID and VMMCALL here): a length found is
 * 1-15 bytes within the bytes given, ends in the opcode, and is found again
 * from exactly those bytes.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/decode.h>

#include "fuzz.h"

static bool valid_size(unsigned int size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static uint64_t mask_of(unsigned int size)
{
	return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static void check_fields(const struct mmio_insn *insn, size_t len)
{
	FUZZ_ASSERT(insn->length >= 1 && insn->length <= INSN_MAX_LENGTH && insn->length <= len);
	FUZZ_ASSERT(valid_size(insn->size));
	FUZZ_ASSERT(insn->reg < 16);
	FUZZ_ASSERT(!insn->has_imm || insn->write);
	FUZZ_ASSERT(!insn->high_byte || (insn->reg < 4 && insn->size == 1));
	if (!insn->write)
		FUZZ_ASSERT(valid_size(insn->reg_size) && insn->reg_size >= insn->size);
}

static void check_register_effects(const struct mmio_insn *insn)
{
	const uint64_t old = 0x0123456789abcdefull, value = 0xfedcba9876543210ull;

	if (!insn->write) {
		uint64_t merged = decode_merge_load(insn, old, value);
		unsigned int shift = insn->high_byte ? 8 : 0;
		uint64_t field = mask_of(insn->reg_size) << shift;

		if (insn->reg_size == 4) /* a 32-bit write zero-extends */
			FUZZ_ASSERT(merged == (value & 0xffffffffu));
		else
			FUZZ_ASSERT((merged & ~field) == (old & ~field));
		FUZZ_ASSERT(((merged & field) >> shift) == (value & mask_of(insn->reg_size)));
	} else {
		uint64_t stored = decode_store_value(insn, value);

		FUZZ_ASSERT((stored & ~mask_of(insn->size)) == 0 || insn->has_imm);
		if (insn->has_imm)
			FUZZ_ASSERT(stored == insn->imm);
	}
}

static void check_length(const uint8_t *code, size_t len, bool long_mode, const uint8_t *opcode,
			 size_t opcode_len)
{
	unsigned int length = 0, again = 0;

	if (decode_length(code, len, long_mode, opcode, opcode_len, &length) != BH_OK)
		return;
	FUZZ_ASSERT(length >= opcode_len && length <= INSN_MAX_LENGTH && length <= len);
	FUZZ_ASSERT(memcmp(code + length - opcode_len, opcode, opcode_len) == 0);
	FUZZ_ASSERT(decode_length(code, length, long_mode, opcode, opcode_len, &again) == BH_OK);
	FUZZ_ASSERT(again == length);
}

/* reqs: REQ-PAR-003 REQ-CNT-001 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t cpuid[] = {0x0f, 0xa2};
	static const uint8_t vmmcall[] = {0x0f, 0x01, 0xd9};
	struct mmio_insn insn, again;

	if (size < 1)
		return 0;
	bool long_mode = data[0] & 1;
	const uint8_t *code = data + 1;
	size_t len = size - 1;

	check_length(code, len, long_mode, cpuid, sizeof(cpuid));
	check_length(code, len, long_mode, vmmcall, sizeof(vmmcall));
	if (decode_mmio(code, len, long_mode, &insn) != BH_OK)
		return 0;
	check_fields(&insn, len);
	FUZZ_ASSERT(decode_mmio(code, insn.length, long_mode, &again) == BH_OK);
	FUZZ_ASSERT(memcmp(&insn, &again, sizeof(insn)) == 0);
	check_register_effects(&insn);
	return 0;
}
