// SPDX-License-Identifier: Apache-2.0
/* arch/x86/decode.c: the MMIO instruction decoder, on the host. */

#include <arch/decode.h>

#include "test.h"

static struct mmio_insn decoded(const uint8_t *code, size_t len, bool long_mode)
{
	struct mmio_insn insn;

	CHECK_EQ(decode_mmio(code, len, long_mode, &insn), BH_OK);
	return insn;
}

TEST(decode_mov_stores_and_loads) /* reqs: REQ-PAR-003 */
{
	/* mov %eax, 0x20(%rbx) */
	static const uint8_t store32[] = {0x89, 0x43, 0x20};
	/* mov 0xfee000b0, %ecx (32-bit code: absolute disp32) */
	static const uint8_t load_abs[] = {0x8b, 0x0d, 0xb0, 0x00, 0xe0, 0xfe};
	/* mov %r9, (%rdi,%rsi,8) */
	static const uint8_t store64_sib[] = {0x4c, 0x89, 0x0c, 0xf7};
	/* addr32 mov -0x1200000(%edi), %eax: 32-bit addressing in 64-bit code */
	static const uint8_t addr32[] = {0x67, 0x8b, 0x87, 0x00, 0x00, 0xe0, 0xfe};
	/* mov 0x380(%rip), %r10d */
	static const uint8_t load_rip[] = {0x44, 0x8b, 0x15, 0x80, 0x03, 0x00, 0x00};
	struct mmio_insn i = decoded(store32, sizeof(store32), true);

	CHECK_EQ(i.length, 3);
	CHECK(i.write);
	CHECK_EQ(i.size, 4);
	CHECK_EQ(i.reg, 0);
	i = decoded(load_abs, sizeof(load_abs), false);
	CHECK_EQ(i.length, 6);
	CHECK(!i.write);
	CHECK_EQ(i.reg, 1);
	i = decoded(store64_sib, sizeof(store64_sib), true);
	CHECK_EQ(i.length, 4);
	CHECK_EQ(i.size, 8);
	CHECK_EQ(i.reg, 9);
	i = decoded(load_rip, sizeof(load_rip), true);
	CHECK_EQ(i.length, 7);
	CHECK_EQ(i.reg, 10);
	CHECK_EQ(decode_merge_load(&i, 0xffffffffffffffffull, 0x12345678), 0x12345678);
	i = decoded(addr32, sizeof(addr32), true);
	CHECK_EQ(i.length, 7);
	CHECK(!i.write);
	CHECK_EQ(i.reg, 0);
}

TEST(decode_immediates_bytes_words_movzx) /* reqs: REQ-PAR-003 */
{
	/* movl $0x1000, 0x380(%rax) */
	static const uint8_t store_imm[] = {0xc7, 0x80, 0x80, 0x03, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00};
	/* movq $-1, (%rax): the immediate is sign-extended */
	static const uint8_t store_imm64[] = {0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff};
	/* mov %ah, (%rdx) */
	static const uint8_t store_ah[] = {0x88, 0x22};
	/* movw 2(%rbx), %cx */
	static const uint8_t load16[] = {0x66, 0x8b, 0x4b, 0x02};
	/* movzbl (%rsi), %eax */
	static const uint8_t movzx[] = {0x0f, 0xb6, 0x06};
	struct mmio_insn i = decoded(store_imm, sizeof(store_imm), true);

	CHECK_EQ(i.length, 10);
	CHECK(i.write && i.has_imm);
	CHECK_EQ(decode_store_value(&i, 0), 0x1000);
	i = decoded(store_imm64, sizeof(store_imm64), true);
	CHECK_EQ(decode_store_value(&i, 0), 0xffffffffffffffffull);
	i = decoded(store_ah, sizeof(store_ah), true);
	CHECK(i.high_byte);
	CHECK_EQ(i.reg, 0);
	CHECK_EQ(decode_store_value(&i, 0xabcd), 0xab);
	i = decoded(load16, sizeof(load16), true);
	CHECK_EQ(i.size, 2);
	CHECK_EQ(decode_merge_load(&i, 0x1111222233334444ull, 0xbeef), 0x111122223333beefull);
	i = decoded(movzx, sizeof(movzx), true);
	CHECK_EQ(i.size, 1);
	CHECK_EQ(i.reg_size, 4);
	CHECK_EQ(decode_merge_load(&i, ~0ull, 0x7f), 0x7f);
}

TEST(decode_refuses_what_it_does_not_know) /* reqs: REQ-PAR-003 REQ-CNT-001 */
{
	static const uint8_t add[] = {0x01, 0x03};          /* add %eax, (%rbx) */
	static const uint8_t reg_to_reg[] = {0x89, 0xc3};   /* mov %eax, %ebx */
	static const uint8_t addr16[] = {0x67, 0x89, 0x03}; /* 16-bit addressing in 32-bit code */
	static const uint8_t truncated[] = {0x89, 0x83, 0x00};
	struct mmio_insn i;

	CHECK_EQ(decode_mmio(add, sizeof(add), true, &i), BH_ERR_UNSUPPORTED);
	CHECK_EQ(decode_mmio(reg_to_reg, sizeof(reg_to_reg), true, &i), BH_ERR_UNSUPPORTED);
	CHECK_EQ(decode_mmio(addr16, sizeof(addr16), false, &i), BH_ERR_UNSUPPORTED);
	CHECK_EQ(decode_mmio(truncated, sizeof(truncated), true, &i), BH_ERR_INVALID);
	CHECK_EQ(decode_mmio(add, 0, true, &i), BH_ERR_INVALID);
}

TEST(decode_moffs_accumulator_moves) /* reqs: REQ-PAR-003 */
{
	/* movabs %eax, 0xfee00380 (64-bit code: an 8-byte address) */
	static const uint8_t store64[] = {0xa3, 0x80, 0x03, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00};
	/* movabs 0xfee00030, %rax */
	static const uint8_t load_rax[] = {0x48, 0xa1, 0x30, 0x00, 0xe0, 0xfe, 0, 0, 0, 0};
	/* addr32 mov 0xfee00020, %al: a 4-byte address */
	static const uint8_t load_al32[] = {0x67, 0xa0, 0x20, 0x00, 0xe0, 0xfe};
	/* mov %ax, 0xfee000b0 (32-bit code) */
	static const uint8_t store16[] = {0x66, 0xa3, 0xb0, 0x00, 0xe0, 0xfe};
	/* the address cut short */
	static const uint8_t short_offset[] = {0xa3, 0x80, 0x03, 0xe0, 0xfe};
	struct mmio_insn insn;
	struct mmio_insn i = decoded(store64, sizeof(store64), true);

	CHECK_EQ(i.length, 9);
	CHECK(i.write);
	CHECK_EQ(i.size, 4);
	CHECK_EQ(i.reg, 0);
	CHECK(!i.has_imm);
	i = decoded(load_rax, sizeof(load_rax), true);
	CHECK_EQ(i.length, 10);
	CHECK(!i.write);
	CHECK_EQ(i.size, 8);
	i = decoded(load_al32, sizeof(load_al32), true);
	CHECK_EQ(i.length, 6);
	CHECK_EQ(i.size, 1);
	CHECK(!i.high_byte);
	CHECK_EQ(decode_merge_load(&i, 0x1234, 0xab), 0x12ab);
	i = decoded(store16, sizeof(store16), false);
	CHECK_EQ(i.length, 6);
	CHECK(i.write);
	CHECK_EQ(i.size, 2);
	CHECK_EQ(decode_mmio(short_offset, sizeof(short_offset), true, &insn), BH_ERR_INVALID);
	CHECK_EQ(decode_mmio(short_offset, sizeof(short_offset), false, &insn), BH_OK);
}

/* Intercepted instructions without NRIPS: their length with prefixes. */
static unsigned int length_of(const uint8_t *code, size_t len, bool long_mode,
			      const uint8_t *opcode, size_t opcode_len)
{
	unsigned int length = 0;

	CHECK_EQ(decode_length(code, len, long_mode, opcode, opcode_len, &length), BH_OK);
	return length;
}

TEST(decode_length_of_intercepted_instructions) /* reqs: REQ-PAR-003 */
{
	static const uint8_t cpuid[] = {0x0f, 0xa2};
	static const uint8_t vmmcall[] = {0x0f, 0x01, 0xd9};
	static const uint8_t hlt[] = {0xf4};
	static const uint8_t plain[] = {0x0f, 0xa2, 0x90};
	static const uint8_t ds[] = {0x3e, 0x0f, 0xa2};
	static const uint8_t rex_w[] = {0x48, 0x0f, 0xa2};
	static const uint8_t mixed[] = {0x66, 0x48, 0x2e, 0xf3, 0x41, 0x0f, 0xa2, 0xcc};
	static const uint8_t prefixed_vmmcall[] = {0x3e, 0x66, 0x0f, 0x01, 0xd9};
	static const uint8_t prefixed_hlt[] = {0x3e, 0xf4};
	/* 13 prefixes and the opcode: 15 bytes, the most the CPU runs */
	static const uint8_t longest[] = {0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
					  0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x0f, 0xa2};
	static const uint8_t too_long[] = {0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
					   0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x0f, 0xa2};
	static const uint8_t other[] = {0x3e, 0x0f, 0x31};  /* RDTSC, not CPUID */
	unsigned int length = 0;

	CHECK_EQ(length_of(plain, sizeof(plain), true, cpuid, sizeof(cpuid)), 2);
	CHECK_EQ(length_of(ds, sizeof(ds), false, cpuid, sizeof(cpuid)), 3);
	CHECK_EQ(length_of(rex_w, sizeof(rex_w), true, cpuid, sizeof(cpuid)), 3);
	CHECK_EQ(length_of(mixed, sizeof(mixed), true, cpuid, sizeof(cpuid)), 7);
	CHECK_EQ(length_of(prefixed_vmmcall, sizeof(prefixed_vmmcall), true, vmmcall,
			   sizeof(vmmcall)), 5);
	CHECK_EQ(length_of(prefixed_hlt, sizeof(prefixed_hlt), false, hlt, sizeof(hlt)), 2);
	CHECK_EQ(length_of(longest, sizeof(longest), true, cpuid, sizeof(cpuid)), 15);
	/* REX is an instruction (INC/DEC) in 32-bit code, not a prefix */
	CHECK_EQ(decode_length(rex_w, sizeof(rex_w), false, cpuid, sizeof(cpuid), &length),
		 BH_ERR_UNSUPPORTED);
	CHECK_EQ(decode_length(too_long, sizeof(too_long), true, cpuid, sizeof(cpuid), &length),
		 BH_ERR_UNSUPPORTED);
	CHECK_EQ(decode_length(other, sizeof(other), true, cpuid, sizeof(cpuid), &length),
		 BH_ERR_UNSUPPORTED);
	/* Bytes cut short (the rest not readable): not enough to say. */
	CHECK_EQ(decode_length(ds, 2, true, cpuid, sizeof(cpuid), &length), BH_ERR_INVALID);
	CHECK_EQ(decode_length(ds, 0, true, cpuid, sizeof(cpuid), &length), BH_ERR_INVALID);
	CHECK_EQ(decode_length(longest, 14, true, cpuid, sizeof(cpuid), &length), BH_ERR_INVALID);
}
