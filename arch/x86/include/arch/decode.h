/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding the guest instruction behind an MMIO access. QEMU offers neither
 * decode assists nor NRIPS, so the hypervisor reads the instruction itself:
 * this decoder knows the moves compilers emit for device registers (MOV to
 * and from memory, MOV of an immediate, MOVZX) in 32- and 64-bit code, and
 * refuses anything else. The address comes from the nested page fault, so
 * only the length, direction, size and register matter. Pure code: the host
 * unit tests run it as it is.
 */
#ifndef ARCH_X86_DECODE_H
#define ARCH_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <bulkhead/error.h>

#define INSN_MAX_LENGTH 15

struct mmio_insn {
	unsigned int length; /* bytes, prefixes included */
	unsigned int size;   /* bytes accessed in memory: 1, 2, 4 or 8 */
	bool write;          /* memory is written */
	bool has_imm;        /* a write of imm (else of register reg) */
	uint64_t imm;
	unsigned int reg;      /* 0 RAX .. 15 R15, in ModRM order */
	bool high_byte;        /* AH, CH, DH or BH: bits 8-15 of reg */
	unsigned int reg_size; /* for loads: bytes of the register written */
};

/* Decode @len bytes at @code; @long_mode is a 64-bit code segment (else
 * 32-bit). BH_ERR_UNSUPPORTED for anything but the moves above,
 * BH_ERR_INVALID when @len is too short. */
enum bh_err decode_mmio(const uint8_t *code, size_t len, bool long_mode, struct mmio_insn *out);

/* The length of an intercepted instruction (CPUID, HLT, RDMSR, ...) whose
 * opcode bytes, prefixes left out, are @opcode: the legacy prefixes (and
 * REX bytes in 64-bit code) at @code, then exactly those bytes. For CPUs
 * without NRIPS, which report no next RIP. BH_ERR_UNSUPPORTED if the bytes
 * are not that instruction (or longer than 15), BH_ERR_INVALID when @len
 * is too short. */
enum bh_err decode_length(const uint8_t *code, size_t len, bool long_mode, const uint8_t *opcode,
			  size_t opcode_len, unsigned int *length);

/* Register value as the instruction writes it: @old with the load's
 * @value merged in (32-bit writes clear the upper half, 8/16-bit ones keep
 * it). */
uint64_t decode_merge_load(const struct mmio_insn *insn, uint64_t old, uint64_t value);

/* The value a store writes from register contents @reg_value. */
uint64_t decode_store_value(const struct mmio_insn *insn, uint64_t reg_value);

#endif
