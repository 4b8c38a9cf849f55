// SPDX-License-Identifier: Apache-2.0

#include <string.h>

#include <arch/decode.h>

#define PREFIX_OPERAND_SIZE 0x66u
#define PREFIX_ADDRESS_SIZE 0x67u
#define REX_W 0x8
#define REX_R 0x4

static bool segment_or_lock_prefix(uint8_t b)
{
	return b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 || b == 0x65 ||
	       b == 0xf0;
}

/* Bytes of ModRM, SIB and displacement; 0 if the operand is a register
 * (no memory access) or out of bytes. */
static unsigned int modrm_length(const uint8_t *p, size_t avail)
{
	if (avail < 1)
		return 0;
	unsigned int mod = p[0] >> 6, rm = p[0] & 7;
	unsigned int n = 1;

	if (mod == 3)
		return 0;
	if (rm == 4) {
		if (avail < 2)
			return 0;
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4; /* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		n += 4; /* RIP-relative (64-bit) or absolute (32-bit) disp32 */
	} else {
		/* no SIB byte, no disp32: any displacement is mod's, below */
	}
	n += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	return n <= avail ? n : 0;
}

static bool legacy_prefix(uint8_t b)
{
	return segment_or_lock_prefix(b) || b == PREFIX_OPERAND_SIZE || b == PREFIX_ADDRESS_SIZE ||
	       b == 0xf2 || b == 0xf3;
}

enum bh_err decode_length(const uint8_t *code, size_t len, bool long_mode, const uint8_t *opcode,
			  size_t opcode_len, unsigned int *length)
{
	size_t at = 0;

	/* In 64-bit code a REX byte followed by a legacy prefix is ignored
	 * but still part of the instruction: any mix of the two counts. */
	while (at < len && at < INSN_MAX_LENGTH &&
	       (legacy_prefix(code[at]) || (long_mode && (code[at] & 0xf0u) == 0x40u)))
		at++;
	for (size_t i = 0; i < opcode_len; i++) {
		if (at >= INSN_MAX_LENGTH)
			return BH_ERR_UNSUPPORTED; /* the CPU would not have run it */
		if (at >= len)
			return BH_ERR_INVALID;
		if (code[at] != opcode[i])
			return BH_ERR_UNSUPPORTED;
		at++;
	}
	*length = (unsigned int)at;
	return BH_OK;
}

static uint64_t read_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i = n;

	while (i-- > 0u)
		v = v << 8 | p[i];
	return v;
}

/* MOV between the accumulator and an absolute address (moffs) that follows
 * the opcode: 8 bytes in 64-bit code, 4 with an address-size prefix or in
 * 32-bit code. The address itself is the fault's; only its length counts. */
static enum bh_err decode_moffs(uint8_t op, unsigned int full, unsigned int offset_bytes,
				size_t at, size_t len, struct mmio_insn *out)
{
	out->size = (op & 1u) != 0u ? full : 1u;
	out->reg_size = out->size;
	out->write = op >= 0xa2u;
	out->reg = 0; /* AL, AX, EAX or RAX */
	size_t end = at + offset_bytes;

	if (end > len)
		return BH_ERR_INVALID;
	if (end > INSN_MAX_LENGTH)
		return BH_ERR_UNSUPPORTED;
	out->length = (unsigned int)end;
	return BH_OK;
}

enum bh_err decode_mmio(const uint8_t *code, size_t len, bool long_mode, struct mmio_insn *out)
{
	size_t at = 0;
	bool operand16 = false;
	bool address32 = false;
	uint8_t rex = 0;

	(void)memset(out, 0, sizeof(*out));
	/* An address-size prefix means 32-bit addressing in 64-bit code (same
	 * ModRM forms; compilers use it to zero-extend an address) but 16-bit
	 * addressing in 32-bit code, which is refused. */
	while (at < len && at < INSN_MAX_LENGTH &&
	       (code[at] == PREFIX_OPERAND_SIZE || code[at] == PREFIX_ADDRESS_SIZE ||
		segment_or_lock_prefix(code[at]))) {
		if (code[at] == PREFIX_ADDRESS_SIZE && !long_mode)
			return BH_ERR_UNSUPPORTED;
		operand16 = operand16 || code[at] == PREFIX_OPERAND_SIZE;
		address32 = address32 || code[at] == PREFIX_ADDRESS_SIZE;
		at++;
	}
	if (long_mode && at < len && (code[at] & 0xf0) == 0x40)
		rex = code[at++];
	if (at >= len)
		return BH_ERR_INVALID;
	uint8_t op = code[at++];
	bool two_byte = op == 0x0f;

	if (two_byte) {
		if (at >= len)
			return BH_ERR_INVALID;
		op = code[at++];
	}
	unsigned int full = rex & REX_W ? 8 : operand16 ? 2 : 4;

	if (!two_byte && op >= 0xa0u && op <= 0xa3u)
		return decode_moffs(op, full, long_mode && !address32 ? 8u : 4u, at, len, out);
	if (two_byte && (op == 0xb6 || op == 0xb7)) { /* MOVZX r, r/m8 or r/m16 */
		out->size = op == 0xb6 ? 1 : 2;
		out->reg_size = full;
	} else if (!two_byte && (op == 0x88 || op == 0x8a || op == 0xc6)) {
		out->size = 1;
		out->reg_size = 1;
	} else if (!two_byte && (op == 0x89 || op == 0x8b || op == 0xc7)) {
		out->size = full;
		out->reg_size = full;
	} else {
		return BH_ERR_UNSUPPORTED;
	}
	if (at >= len)
		return BH_ERR_INVALID;
	unsigned int reg_field = (code[at] >> 3) & 7;
	unsigned int modrm = modrm_length(code + at, len - at);

	if (modrm == 0)
		return (code[at] >> 6) == 3 ? BH_ERR_UNSUPPORTED : BH_ERR_INVALID;
	at += modrm;
	out->write = !two_byte && (op == 0x88 || op == 0x89 || op == 0xc6 || op == 0xc7);
	if (!two_byte && (op == 0xc6 || op == 0xc7)) {
		unsigned int imm_size = op == 0xc6 ? 1 : out->size == 2 ? 2 : 4;

		if (reg_field != 0)
			return BH_ERR_UNSUPPORTED;
		if (at + imm_size > len)
			return BH_ERR_INVALID;
		out->has_imm = true;
		out->imm = read_le(code + at, imm_size);
		if (imm_size == 4 && out->size == 8 && (out->imm & 0x80000000u))
			out->imm |= 0xffffffff00000000ull; /* sign-extended to 64 bits */
		at += imm_size;
	} else {
		out->reg = reg_field | (rex & REX_R ? 8 : 0);
		/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
		if (out->reg_size == 1 && rex == 0 && reg_field >= 4) {
			out->high_byte = true;
			out->reg = reg_field - 4;
		}
	}
	if (at > INSN_MAX_LENGTH)
		return BH_ERR_UNSUPPORTED;
	out->length = (unsigned int)at;
	return BH_OK;
}

uint64_t decode_merge_load(const struct mmio_insn *insn, uint64_t old, uint64_t value)
{
	switch (insn->reg_size) {
	case 1:
		if (insn->high_byte)
			return (old & ~0xff00ull) | (value & 0xff) << 8;
		return (old & ~0xffull) | (value & 0xff);
	case 2:
		return (old & ~0xffffull) | (value & 0xffff);
	case 4:
		return value & 0xffffffffu;
	default:
		return value;
	}
}

uint64_t decode_store_value(const struct mmio_insn *insn, uint64_t reg_value)
{
	if (insn->has_imm)
		return insn->imm;
	if (insn->high_byte)
		return (reg_value >> 8) & 0xff;
	return insn->size == 8 ? reg_value : reg_value & ((1ull << (8 * insn->size)) - 1);
}
